/* The content tree: a counted B+tree over the runs of L, in document order.
 *
 * Leaves hold up to WF_LEAF_CAP runs and are linked in document order; internal nodes hold
 * up to WF_NODE_CAP children with the counts (all units, visible units, visible bytes,
 * visible newlines) of each child's subtree, so a descent by any count finds a unit in
 * O(log n) and a walk up sums what lies before a run. Nodes are array elements addressed by
 * u32 index (diamond-types' src/ost layout). Units are never removed from L, so nodes only
 * split; a leaf shrinks only when two of its runs merge. Whenever runs move to another leaf,
 * the ID index is re-pointed (CRDT.md §2.2). */
#include <stdlib.h>
#include <string.h>

#include "core/doc-internal.h"
#include "core/mem.h"
#include "core/utf8.h"

static wf__counts counts_add(wf__counts a, wf__counts b)
{
    return (wf__counts){a.all + b.all, a.vis + b.vis, a.bytes + b.bytes, a.nl + b.nl};
}


static uint64_t counts_field(const wf__counts *c, size_t field)
{
    uint64_t v;
    memcpy(&v, (const char *)c + field, sizeof v);
    return v;
}


static wf__counts leaf_sum(const wf_doc *doc, uint32_t leaf)
{
    const wf__leaf *l = &doc->leaves[leaf];
    wf__counts c = {0, 0, 0, 0};
    for (uint32_t i = 0; i < l->n; i++)
        c = counts_add(c, wf__run_counts(&l->runs[i]));
    return c;
}

static wf__counts node_sum(const wf_doc *doc, uint32_t node)
{
    const wf__node *nd = &doc->nodes[node];
    wf__counts c = {0, 0, 0, 0};
    for (uint32_t i = 0; i < nd->n; i++)
        c = counts_add(c, nd->cnt[i]);
    return c;
}

static uint32_t pslot_of(const wf_doc *doc, uint32_t id, bool is_leaf)
{
    return is_leaf ? doc->leaves[id].pslot : doc->nodes[id].pslot;
}

/* Allocation of nodes. Growing an array moves it: callers re-fetch pointers afterwards. */
static uint32_t leaf_alloc(wf_doc *doc)
{
    uint32_t id;
    if (doc->free_leaf != WF_NONE) {
        id = doc->free_leaf;
        doc->free_leaf = doc->leaves[id].next;
    } else {
        if (doc->nleaves == doc->leaves_cap) {
            uint32_t cap = doc->leaves_cap < 4 ? 4 : doc->leaves_cap + doc->leaves_cap / 2;
            doc->leaves = wf_xreallocarray(doc->leaves, cap, sizeof *doc->leaves);
            doc->leaves_cap = cap;
        }
        id = doc->nleaves++;
    }
    wf__leaf *l = &doc->leaves[id];
    l->parent = l->prev = l->next = WF_NONE;
    l->n = 0;
    return id;
}

static uint32_t node_alloc(wf_doc *doc)
{
    uint32_t id;
    if (doc->free_node != WF_NONE) {
        id = doc->free_node;
        doc->free_node = doc->nodes[id].parent;
    } else {
        if (doc->nnodes == doc->nodes_cap) {
            uint32_t cap = doc->nodes_cap < 4 ? 4 : doc->nodes_cap + doc->nodes_cap / 2;
            doc->nodes = wf_xreallocarray(doc->nodes, cap, sizeof *doc->nodes);
            doc->nodes_cap = cap;
        }
        id = doc->nnodes++;
    }
    doc->nodes[id].parent = WF_NONE;
    doc->nodes[id].n = 0;
    return id;
}

void wf__tree_init(wf_doc *doc)
{
    doc->leaves = NULL;
    doc->nodes = NULL;
    doc->nleaves = doc->leaves_cap = doc->nnodes = doc->nodes_cap = 0;
    doc->free_leaf = doc->free_node = WF_NONE;
    doc->root = leaf_alloc(doc);
    doc->height = 0;
    doc->total = (wf__counts){0, 0, 0, 0};
    doc->nruns = 0;
    doc->finger = WF_NONE;
    doc->lazy_leaf = WF_NONE;
    doc->lazy = (wf__counts){0, 0, 0, 0};
    doc->type_leaf = WF_NONE;
}

void wf__tree_free(wf_doc *doc)
{
    free(doc->leaves);
    free(doc->nodes);
    doc->leaves = NULL;
    doc->nodes = NULL;
}

uint32_t wf__first_leaf(const wf_doc *doc)
{
    uint32_t id = doc->root;
    for (uint32_t h = doc->height; h > 0; h--)
        id = doc->nodes[id].child[0];
    return id;
}

bool wf__pos_next(const wf_doc *doc, wf__pos *p)
{
    const wf__leaf *l = &doc->leaves[p->leaf];
    if (p->slot + 1 < l->n) {
        p->slot++;
        return true;
    }
    if (l->next == WF_NONE) {
        p->slot = l->n;
        return false;
    }
    p->leaf = l->next;
    p->slot = 0;
    return true;
}

bool wf__pos_prev(const wf_doc *doc, wf__pos *p)
{
    if (p->slot > 0) {
        p->slot--;
        return true;
    }
    const wf__leaf *l = &doc->leaves[p->leaf];
    if (l->prev == WF_NONE)
        return false;
    p->leaf = l->prev;
    p->slot = doc->leaves[p->leaf].n - 1;
    return true;
}

wf__pos wf__tree_descend(const wf_doc *doc, size_t field, uint64_t idx, uint64_t *off,
                         wf__counts *before)
{
    wf__tree_settle(doc);
    wf__counts acc = {0, 0, 0, 0};
    uint32_t id = doc->root;
    for (uint32_t h = doc->height; h > 0; h--) {
        const wf__node *nd = &doc->nodes[id];
        uint32_t i = 0;
        for (; i + 1 < nd->n; i++) {
            uint64_t c = counts_field(&nd->cnt[i], field);
            if (idx < c)
                break;
            idx -= c;
            acc = counts_add(acc, nd->cnt[i]);
        }
        id = nd->child[i];
    }
    const wf__leaf *l = &doc->leaves[id];
    uint32_t slot = 0;
    for (; slot + 1 < l->n; slot++) {
        wf__counts rc = wf__run_counts(&l->runs[slot]);
        uint64_t c = counts_field(&rc, field);
        if (idx < c)
            break;
        idx -= c;
        acc = counts_add(acc, rc);
    }
    if (off)
        *off = idx;
    if (before)
        *before = acc;
    return (wf__pos){id, slot};
}

wf__pos wf__find_visible(wf_doc *doc, uint64_t pos, uint32_t *off, wf__counts *before)
{
    wf__counts acc;
    uint32_t id;
    if (doc->finger != WF_NONE && pos >= doc->finger_before.vis) {
        id = doc->finger;
        acc = doc->finger_before;
    } else {
        /* Descend, remembering the leaf as the new finger. */
        wf__tree_settle(doc);
        acc = (wf__counts){0, 0, 0, 0};
        id = doc->root;
        for (uint32_t h = doc->height; h > 0; h--) {
            const wf__node *nd = &doc->nodes[id];
            uint32_t i = 0;
            for (; i + 1 < nd->n && pos - acc.vis >= nd->cnt[i].vis; i++)
                acc = counts_add(acc, nd->cnt[i]);
            id = nd->child[i];
        }
        doc->finger = id;
        doc->finger_before = acc;
        doc->finger_slot = WF_NONE;
    }
    const wf__leaf *l = &doc->leaves[id];
    uint64_t idx = pos - acc.vis, skipped = 0;
    uint32_t slot = 0;
    if (doc->finger_slot != WF_NONE) {
        slot = doc->finger_slot;
        skipped = doc->finger_slot_vis;
        while (idx < skipped) { /* before the remembered run: walk back from it */
            slot--;
            skipped -= l->runs[slot].deleted ? 0 : l->runs[slot].len;
        }
    }
    for (; slot < l->n; slot++) {
        const wf__run *r = &l->runs[slot];
        uint64_t vis = r->deleted ? 0 : r->len;
        if (idx - skipped < vis) {
            *off = (uint32_t)(idx - skipped);
            doc->finger_slot = slot;
            doc->finger_slot_vis = skipped;
            if (before) {
                for (uint32_t i = 0; i < slot; i++)
                    acc = counts_add(acc, wf__run_counts(&l->runs[i]));
                *before = acc;
            }
            return (wf__pos){id, slot};
        }
        skipped += vis;
    }
    /* pos lies beyond the finger leaf: forget it and descend. */
    doc->finger = WF_NONE;
    return wf__find_visible(doc, pos, off, before);
}

wf__counts wf__tree_before(const wf_doc *doc, wf__pos p)
{
    wf__counts acc = {0, 0, 0, 0};
    const wf__leaf *l = &doc->leaves[p.leaf];
    for (uint32_t i = 0; i < p.slot; i++)
        acc = counts_add(acc, wf__run_counts(&l->runs[i]));
    if (p.leaf == doc->finger)
        return counts_add(acc, doc->finger_before);
    wf__tree_settle(doc);
    uint32_t slot = l->pslot, parent = l->parent;
    while (parent != WF_NONE) {
        const wf__node *nd = &doc->nodes[parent];
        for (uint32_t i = 0; i < slot; i++)
            acc = counts_add(acc, nd->cnt[i]);
        slot = nd->pslot;
        parent = nd->parent;
    }
    return acc;
}

/* See doc-internal.h. The run at (leaf, slot) starts where the change is, or before it. */
void wf__note_change(wf_doc *doc, uint32_t leaf, uint32_t slot)
{
    if (doc->lowest_change == 0)
        return;
    uint64_t at = wf__tree_before(doc, (wf__pos){leaf, slot}).vis;
    if (at < doc->lowest_change)
        doc->lowest_change = at;
}

/* Adds the delta to the entries of every ancestor of leaf. */
static void add_up(wf_doc *doc, uint32_t leaf, const wf__counts *d)
{
    uint32_t s = doc->leaves[leaf].pslot, parent = doc->leaves[leaf].parent;
    while (parent != WF_NONE) {
        wf__node *nd = &doc->nodes[parent];
        wf__counts *c = &nd->cnt[s];
        c->all += d->all;
        c->vis += d->vis;
        c->bytes += d->bytes;
        c->nl += d->nl;
        s = nd->pslot;
        parent = nd->parent;
    }
}

void wf__tree_settle(const wf_doc *cdoc)
{
    if (cdoc->lazy_leaf == WF_NONE)
        return;
    wf_doc *doc = (wf_doc *)cdoc; /* a cache, like the finger */
    add_up(doc, doc->lazy_leaf, &doc->lazy);
    doc->lazy_leaf = WF_NONE;
}


/* Recomputes the count entry of node `id` (a leaf when is_leaf) in its parent, and so on
 * up to the root. */
static void refresh_up(wf_doc *doc, uint32_t id, bool is_leaf)
{
    wf__tree_settle(doc);
    for (;;) {
        uint32_t parent = is_leaf ? doc->leaves[id].parent : doc->nodes[id].parent;
        if (parent == WF_NONE)
            return;
        wf__counts sum = is_leaf ? leaf_sum(doc, id) : node_sum(doc, id);
        doc->nodes[parent].cnt[pslot_of(doc, id, is_leaf)] = sum;
        id = parent;
        is_leaf = false;
    }
}

static void set_parent(wf_doc *doc, uint32_t child, bool child_is_leaf, uint32_t parent,
                       uint32_t slot)
{
    if (child_is_leaf) {
        doc->leaves[child].parent = parent;
        doc->leaves[child].pslot = slot;
    } else {
        doc->nodes[child].parent = parent;
        doc->nodes[child].pslot = slot;
    }
}

/* Inserts `right` as the child after `left` in left's parent, splitting nodes upward as
 * needed. The entry of `left` itself is refreshed by the caller via refresh_up(). */
static void insert_child(wf_doc *doc, uint32_t left, uint32_t right, bool is_leaf)
{
    uint32_t parent = is_leaf ? doc->leaves[left].parent : doc->nodes[left].parent;
    if (parent == WF_NONE) {
        uint32_t root = node_alloc(doc);
        wf__node *nd = &doc->nodes[root];
        nd->n = 2;
        nd->child[0] = left;
        nd->child[1] = right;
        nd->cnt[0] = is_leaf ? leaf_sum(doc, left) : node_sum(doc, left);
        nd->cnt[1] = is_leaf ? leaf_sum(doc, right) : node_sum(doc, right);
        set_parent(doc, left, is_leaf, root, 0);
        set_parent(doc, right, is_leaf, root, 1);
        doc->root = root;
        doc->height++;
        return;
    }
    wf__node *nd = &doc->nodes[parent];
    uint32_t s = pslot_of(doc, left, is_leaf) + 1;
    if (nd->n < WF_NODE_CAP) {
        memmove(nd->child + s + 1, nd->child + s, (nd->n - s) * sizeof *nd->child);
        memmove(nd->cnt + s + 1, nd->cnt + s, (nd->n - s) * sizeof *nd->cnt);
        nd->child[s] = right;
        nd->cnt[s] = is_leaf ? leaf_sum(doc, right) : node_sum(doc, right);
        nd->n++;
        for (uint32_t i = s; i < nd->n; i++)
            set_parent(doc, nd->child[i], is_leaf, parent, i);
        return;
    }
    /* Split the full parent: children [0, mid) stay, the rest move to a new node. */
    uint32_t child[WF_NODE_CAP + 1];
    wf__counts cnt[WF_NODE_CAP + 1];
    memcpy(child, nd->child, s * sizeof *child);
    memcpy(cnt, nd->cnt, s * sizeof *cnt);
    child[s] = right;
    cnt[s] = is_leaf ? leaf_sum(doc, right) : node_sum(doc, right);
    memcpy(child + s + 1, nd->child + s, (WF_NODE_CAP - s) * sizeof *child);
    memcpy(cnt + s + 1, nd->cnt + s, (WF_NODE_CAP - s) * sizeof *cnt);
    uint32_t sib = node_alloc(doc); /* may move doc->nodes */
    nd = &doc->nodes[parent];
    wf__node *sn = &doc->nodes[sib];
    uint32_t total = WF_NODE_CAP + 1, mid = total / 2;
    nd->n = mid;
    memcpy(nd->child, child, mid * sizeof *child);
    memcpy(nd->cnt, cnt, mid * sizeof *cnt);
    sn->n = total - mid;
    memcpy(sn->child, child + mid, sn->n * sizeof *child);
    memcpy(sn->cnt, cnt + mid, sn->n * sizeof *cnt);
    for (uint32_t i = 0; i < nd->n; i++)
        set_parent(doc, nd->child[i], is_leaf, parent, i);
    for (uint32_t i = 0; i < sn->n; i++)
        set_parent(doc, sn->child[i], is_leaf, sib, i);
    insert_child(doc, parent, sib, false);
    /* Both halves lost or gained children: their entries above are stale. */
    refresh_up(doc, parent, false);
    refresh_up(doc, sib, false);
}

/* Points the ID index at `leaf` for every run in it from slot `from` on. */
static void reindex(wf_doc *doc, uint32_t leaf, uint32_t from)
{
    const wf__leaf *l = &doc->leaves[leaf];
    uint64_t keys[WF_LEAF_CAP];
    for (uint32_t i = from; i < l->n; i++)
        keys[i - from] = (uint64_t)l->runs[i].agent << 32 | l->runs[i].seq;
    wf__idmap_prefetch(&doc->idmap, keys, l->n - from);
    for (uint32_t i = from; i < l->n; i++) {
        const wf__run *r = &l->runs[i];
        wf__idmap_set(&doc->idmap, r->agent, r->seq, r->len, leaf, doc->agents[r->agent].next);
    }
}

/* Inserts r before p. A new run adds its counts upward and is entered in the ID index; a
 * split-off part (new == false) changes no totals above its leaf and keeps its index entry
 * unless it moves to another leaf. */
static wf__pos insert_run(wf_doc *doc, wf__pos p, const wf__run *r, bool new)
{
    doc->nruns++;
    doc->revision += new;
    doc->type_leaf = WF_NONE;
    wf__leaf *l = &doc->leaves[p.leaf];
    /* The runs before the finger's run stay as they are unless this lands before it or
     * next to it (a split-off part: the run before it was cut). */
    if (p.leaf == doc->finger && (p.slot <= doc->finger_slot || l->n == WF_LEAF_CAP))
        doc->finger_slot = WF_NONE;
    if (l->n < WF_LEAF_CAP) {
        memmove(l->runs + p.slot + 1, l->runs + p.slot, (l->n - p.slot) * sizeof *l->runs);
        l->runs[p.slot] = *r;
        l->n++;
        if (new) {
            wf__counts delta = wf__run_counts(r);
            wf__tree_add(doc, p.leaf, p.slot, &delta);
            wf__idmap_add(&doc->idmap, r->agent, r->seq, p.leaf);
        }
        return p;
    }
    /* Split the full leaf around the new run. */
    wf__tree_settle(doc);
    wf__run runs[WF_LEAF_CAP + 1];
    memcpy(runs, l->runs, p.slot * sizeof *runs);
    runs[p.slot] = *r;
    memcpy(runs + p.slot + 1, l->runs + p.slot, (WF_LEAF_CAP - p.slot) * sizeof *runs);
    uint32_t right = leaf_alloc(doc); /* may move doc->leaves */
    l = &doc->leaves[p.leaf];
    wf__leaf *rl = &doc->leaves[right];
    uint32_t total = WF_LEAF_CAP + 1, mid = total / 2;
    l->n = mid;
    memcpy(l->runs, runs, mid * sizeof *runs);
    rl->n = total - mid;
    memcpy(rl->runs, runs + mid, rl->n * sizeof *runs);
    rl->prev = p.leaf;
    rl->next = l->next;
    if (l->next != WF_NONE)
        doc->leaves[l->next].prev = right;
    l->next = right;
    insert_child(doc, p.leaf, right, true);
    refresh_up(doc, p.leaf, true);
    refresh_up(doc, right, true);
    if (new) {
        doc->total = counts_add(doc->total, wf__run_counts(r));
        if (doc->finger != p.leaf)
            doc->finger = WF_NONE;
    }
    wf__pos at = p.slot < mid ? p : (wf__pos){right, p.slot - mid};
    if (new && !r->deleted)
        wf__note_change(doc, at.leaf, at.slot);
    reindex(doc, right, 0);
    if (new && at.leaf == p.leaf)
        wf__idmap_add(&doc->idmap, r->agent, r->seq, p.leaf);
    return at;
}

wf__pos wf__tree_insert(wf_doc *doc, wf__pos p, const wf__run *r)
{
    return insert_run(doc, p, r, true);
}

void wf__run_cut(const wf_doc *doc, const wf__run *r, uint32_t k, wf__run *left,
                 wf__run *right)
{
    uint64_t byte = 0;
    uint32_t nl = 0;
    if (r->text != WF_NOTEXT && r->nbytes == r->len && r->nl == 0)
        byte = k; /* ASCII without newlines: nothing to look up */
    else if (r->text != WF_NOTEXT)
        wf__run_locate(doc, r, k, &byte, &nl);
    *left = *right = *r;
    left->len = k;
    left->nbytes = (uint32_t)byte;
    left->nl = nl;
    right->seq += k;
    right->len -= k;
    if (right->text != WF_NOTEXT)
        right->text += (uint32_t)byte;
    right->nbytes -= (uint32_t)byte;
    right->nl -= nl;
    right->ol = wf__lid_make(r->agent, r->seq + k - 1);
}

wf__pos wf__tree_split(wf_doc *doc, wf__pos p, uint32_t k)
{
    wf__run left, right;
    wf__run_cut(doc, wf__run_at(doc, p), k, &left, &right);
    /* The leaf holds the same units as before: no count above it changes. */
    *wf__run_at(doc, p) = left;
    return insert_run(doc, (wf__pos){p.leaf, p.slot + 1}, &right, false);
}

bool wf__runs_chain(const wf_doc *doc, const wf__run *a, const wf__run *b)
{
    if (a->agent != b->agent || a->deleted != b->deleted || a->seq + a->len != b->seq
        || !wf__lid_eq(a->or, b->or) || b->ol.agent != a->agent
        || b->ol.seq != a->seq + a->len - 1)
        return false;
    if (a->text == WF_NOTEXT || b->text == WF_NOTEXT)
        return a->text == b->text;
    return a->text + a->nbytes == b->text
           && wf_utf8_ends_clean(wf__run_text(doc, a), (size_t)a->nbytes);
}

bool wf__tree_try_merge(wf_doc *doc, wf__pos p)
{
    wf__leaf *l = &doc->leaves[p.leaf];
    if (p.slot + 1 >= l->n)
        return false;
    wf__run *a = &l->runs[p.slot], *b = a + 1;
    if (!wf__runs_chain(doc, a, b))
        return false;
    doc->type_leaf = WF_NONE;
    if (p.leaf == doc->finger && p.slot < doc->finger_slot)
        doc->finger_slot = WF_NONE;
    a->len += b->len;
    a->nbytes += b->nbytes;
    a->nl += b->nl;
    memmove(b, b + 1, (l->n - p.slot - 2) * sizeof *b);
    l->n--;
    doc->nruns--;
    return true;
}

/* Builds the levels above `ids` (count n, all of one height) until one root remains.
 * leaf_counts: the leaves' counts when ids are leaves and the caller has them, else NULL. */
static void build_levels(wf_doc *doc, uint32_t *ids, uint32_t n, bool is_leaf,
                                 const wf__counts *leaf_counts)
{
    while (n > 1) {
        uint32_t groups = (n + WF_NODE_CAP - 1) / WF_NODE_CAP, k = 0;
        for (uint32_t g = 0; g < groups; g++) {
            uint32_t node = node_alloc(doc);
            wf__node *nd = &doc->nodes[node];
            uint32_t first = (uint32_t)((uint64_t)n * g / groups);
            uint32_t last = (uint32_t)((uint64_t)n * (g + 1) / groups);
            for (uint32_t i = first; i < last; i++) {
                nd->child[nd->n] = ids[i];
                nd->cnt[nd->n] = !is_leaf     ? node_sum(doc, ids[i])
                                 : leaf_counts ? leaf_counts[ids[i]]
                                               : leaf_sum(doc, ids[i]);
                nd->n++;
                set_parent(doc, ids[i], is_leaf, node, nd->n - 1);
            }
            ids[k++] = node;
        }
        n = k;
        is_leaf = false;
        doc->height++;
    }
    doc->root = ids[0];
}

void wf__tree_bulk_load(wf_doc *doc, size_t n, const uint32_t *order, const uint64_t *key,
                        const wf__counts *leaf_counts)
{
    doc->finger = WF_NONE;
    doc->type_leaf = WF_NONE;
    wf__tree_settle(doc);
    doc->revision++;
    doc->lowest_change = 0;
    uint32_t nleaves = (uint32_t)((n + WF_LOAD_FILL - 1) / WF_LOAD_FILL);
    uint32_t *ids = wf_xreallocarray(NULL, nleaves, sizeof *ids);
    for (uint32_t i = 0; i < nleaves; i++) {
        wf__leaf *l = &doc->leaves[i];
        l->n = i + 1 < nleaves ? WF_LOAD_FILL : (uint32_t)(n - (size_t)i * WF_LOAD_FILL);
        l->prev = i ? i - 1 : WF_NONE;
        l->next = i + 1 < nleaves ? i + 1 : WF_NONE;
        l->parent = WF_NONE;
        l->pslot = 0;
        ids[i] = i;
    }
    doc->nleaves = nleaves;
    doc->root = 0;
    doc->nruns = n;
    doc->height = 0;
    build_levels(doc, ids, nleaves, true, leaf_counts);
    free(ids);
    doc->total = doc->height ? node_sum(doc, doc->root) : leaf_counts[0];
    /* The ID index, from the runs in (agent, seq) order: one entry per stretch that stays
     * in one leaf, and one at every agent's seq 0. */
    uint64_t *keys = wf_xreallocarray(NULL, n, sizeof *keys);
    uint32_t *vals = wf_xreallocarray(NULL, n, sizeof *vals);
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t leaf = order[k] / WF_LOAD_FILL;
        uint64_t kk = key[order[k]];
        if (m > 0 && (uint32_t)kk != 0 && vals[m - 1] == leaf)
            continue;
        keys[m] = kk;
        vals[m++] = leaf;
    }
    wf__idmap_build(&doc->idmap, keys, vals, m);
    free(keys);
    free(vals);
}
