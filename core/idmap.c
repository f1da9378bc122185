/* The ID index: which content leaf holds unit (agent, seq).
 *
 * A B+tree of entries (key, leaf) with key = agent index << 32 | seq, run-length encoded:
 * an entry covers every key from its own up to the next entry's, so one entry serves a whole
 * stretch of seqs that sits in one leaf. Every agent's seq 0 has an entry, so coverage never
 * crosses from one agent to the next (diamond-types' IndexTree; CRDT.md §2.2). Lookup is
 * a predecessor search. Internal nodes keep the exact minimum key of each child, which
 * makes successor search and routing simple. Nodes shrink on delete without rebalancing:
 * an empty node is unlinked, and depth stays logarithmic in the peak size. */
#include <stdlib.h>
#include <string.h>

#include "core/doc-internal.h"
#include "core/mem.h"

#define MAX_DEPTH 48
#define NO_KEY UINT64_MAX

static uint64_t make_key(uint32_t agent, uint32_t seq)
{
    return (uint64_t)agent << 32 | seq;
}

void wf__idmap_init(wf__idmap *m)
{
    m->nodes = NULL;
    m->nnodes = m->cap = 0;
    m->free_list = WF_NONE;
    m->root = WF_NONE;
    m->height = 0;
    m->tail = NULL;
    m->ntail = 0;
    m->hint = WF_NONE;
}

void wf__idmap_free(wf__idmap *m)
{
    free(m->nodes);
    free(m->tail);
    wf__idmap_init(m);
}

size_t wf__idmap_memory(const wf__idmap *m)
{
    return (size_t)m->cap * sizeof *m->nodes + (size_t)m->ntail * sizeof *m->tail;
}

/* The cache of where each agent's newest units live, which makes appending them free. */
static void set_tail(wf__idmap *m, uint32_t agent, uint32_t leaf)
{
    if (agent >= m->ntail) {
        uint32_t n = agent + 8;
        m->tail = wf_xreallocarray(m->tail, n, sizeof *m->tail);
        for (uint32_t i = m->ntail; i < n; i++)
            m->tail[i] = WF_NONE;
        m->ntail = n;
    }
    m->tail[agent] = leaf;
}

static uint32_t node_alloc(wf__idmap *m)
{
    uint32_t id;
    if (m->free_list != WF_NONE) {
        id = m->free_list;
        m->free_list = m->nodes[id].val[0];
    } else {
        if (m->nnodes == m->cap) {
            m->cap = m->cap ? m->cap + m->cap / 2 : 4;
            m->nodes = wf_xreallocarray(m->nodes, m->cap, sizeof *m->nodes);
        }
        id = m->nnodes++;
    }
    m->nodes[id].n = 0;
    return id;
}

static void node_release(wf__idmap *m, uint32_t id)
{
    if (id == m->hint)
        m->hint = WF_NONE;
    m->nodes[id].val[0] = m->free_list;
    m->free_list = id;
}

/* Index of the last key <= q, or -1. */
static int last_le(const wf__idx_node *nd, uint64_t q)
{
    int lo = 0, hi = (int)nd->n; /* answer is lo - 1 */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (nd->key[mid] <= q)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - 1;
}

/* Entry with the largest key <= q: returns its value, *key its key; WF_NONE if none. */
static uint32_t pred(const wf__idmap *m, uint64_t q, uint64_t *key)
{
    if (m->root == WF_NONE)
        return WF_NONE;
    uint32_t id = m->root;
    for (uint32_t h = m->height; h > 0; h--) {
        const wf__idx_node *nd = &m->nodes[id];
        int i = last_le(nd, q);
        if (i < 0)
            return WF_NONE;
        id = nd->val[i];
    }
    const wf__idx_node *leaf = &m->nodes[id];
    int i = last_le(leaf, q);
    if (i < 0)
        return WF_NONE;
    if (key)
        *key = leaf->key[i];
    return leaf->val[i];
}

void wf__idmap_prefetch(const wf__idmap *m, const uint64_t *keys, size_t n)
{
    /* A small index stays in the caches: then this would only repeat the lookups. */
    if (m->root == WF_NONE || (size_t)m->nnodes * sizeof *m->nodes < ((size_t)8 << 20))
        return;
    uint32_t cur[64];
    if (n > 64)
        n = 64;
    for (size_t k = 0; k < n; k++)
        cur[k] = m->root;
    /* The descents in lockstep: each level's nodes for all keys are asked for at once. */
    for (uint32_t h = m->height; h > 0; h--) {
        for (size_t k = 0; k < n; k++) {
            const wf__idx_node *nd = &m->nodes[cur[k]];
            int i = last_le(nd, keys[k]);
            cur[k] = nd->val[i < 0 ? 0 : i];
            const char *next = (const char *)&m->nodes[cur[k]];
            for (size_t b = 0; b < sizeof(wf__idx_node); b += 64)
                __builtin_prefetch(next + b);
        }
    }
}

/* Smallest key >= q, or NO_KEY. */
static uint64_t succ_in(const wf__idmap *m, uint32_t id, uint32_t h, uint64_t q)
{
    const wf__idx_node *nd = &m->nodes[id];
    int i = last_le(nd, q);
    if (h == 0) {
        uint32_t j = (i >= 0 && nd->key[i] == q) ? (uint32_t)i : (uint32_t)(i + 1);
        return j < nd->n ? nd->key[j] : NO_KEY;
    }
    if (i < 0)
        return nd->key[0];
    uint64_t r = succ_in(m, nd->val[i], h - 1, q);
    if (r != NO_KEY)
        return r;
    return (uint32_t)(i + 1) < nd->n ? nd->key[i + 1] : NO_KEY;
}

static uint64_t succ(const wf__idmap *m, uint64_t q)
{
    return m->root == WF_NONE ? NO_KEY : succ_in(m, m->root, m->height, q);
}

uint32_t wf__idmap_find(const wf__idmap *m, uint32_t agent, uint32_t seq)
{
    return pred(m, make_key(agent, seq), NULL);
}

typedef struct path {
    uint32_t node[MAX_DEPTH]; /* node[0] = root ... node[height] = leaf */
    int idx[MAX_DEPTH];       /* child index taken at each internal level */
} path;

/* Descends towards q, taking the child whose range holds q (child 0 if q is below all). */
static uint32_t descend(const wf__idmap *m, uint64_t q, path *p)
{
    uint32_t id = m->root;
    for (uint32_t lvl = 0; lvl < m->height; lvl++) {
        const wf__idx_node *nd = &m->nodes[id];
        int i = last_le(nd, q);
        if (i < 0)
            i = 0;
        p->node[lvl] = id;
        p->idx[lvl] = i;
        id = nd->val[i];
    }
    p->node[m->height] = id;
    return id;
}

/* After the minimum of the node at level lvl changed, updates the keys above it. */
static void fix_min(wf__idmap *m, const path *p, uint32_t lvl)
{
    while (lvl > 0) {
        uint64_t mn = m->nodes[p->node[lvl]].key[0];
        wf__idx_node *parent = &m->nodes[p->node[lvl - 1]];
        parent->key[p->idx[lvl - 1]] = mn;
        if (p->idx[lvl - 1] != 0)
            return;
        lvl--;
    }
}

/* Inserts (key, val) at index i of the node at level lvl, splitting upward when full. */
static void insert_at(wf__idmap *m, path *p, uint32_t lvl, int i, uint64_t key, uint32_t val)
{
    uint32_t id = p->node[lvl];
    wf__idx_node *nd = &m->nodes[id];
    if (nd->n < WF_IDX_CAP) {
        memmove(nd->key + i + 1, nd->key + i, (nd->n - (uint32_t)i) * sizeof *nd->key);
        memmove(nd->val + i + 1, nd->val + i, (nd->n - (uint32_t)i) * sizeof *nd->val);
        nd->key[i] = key;
        nd->val[i] = val;
        nd->n++;
        if (i == 0)
            fix_min(m, p, lvl);
        return;
    }
    uint64_t keys[WF_IDX_CAP + 1];
    uint32_t vals[WF_IDX_CAP + 1];
    memcpy(keys, nd->key, (size_t)i * sizeof *keys);
    memcpy(vals, nd->val, (size_t)i * sizeof *vals);
    keys[i] = key;
    vals[i] = val;
    memcpy(keys + i + 1, nd->key + i, (WF_IDX_CAP - (uint32_t)i) * sizeof *keys);
    memcpy(vals + i + 1, nd->val + i, (WF_IDX_CAP - (uint32_t)i) * sizeof *vals);
    uint32_t sib = node_alloc(m); /* may move m->nodes */
    nd = &m->nodes[id];
    wf__idx_node *sn = &m->nodes[sib];
    uint32_t total = WF_IDX_CAP + 1, mid = total / 2;
    nd->n = mid;
    memcpy(nd->key, keys, mid * sizeof *keys);
    memcpy(nd->val, vals, mid * sizeof *vals);
    sn->n = total - mid;
    memcpy(sn->key, keys + mid, sn->n * sizeof *keys);
    memcpy(sn->val, vals + mid, sn->n * sizeof *vals);
    if (i == 0)
        fix_min(m, p, lvl);
    if (lvl == 0) {
        uint32_t root = node_alloc(m);
        wf__idx_node *rn = &m->nodes[root];
        rn->n = 2;
        rn->key[0] = m->nodes[id].key[0];
        rn->val[0] = id;
        rn->key[1] = m->nodes[sib].key[0];
        rn->val[1] = sib;
        m->root = root;
        m->height++;
        return;
    }
    insert_at(m, p, lvl - 1, p->idx[lvl - 1] + 1, m->nodes[sib].key[0], sib);
}

/* Sets key -> val, inserting the key if absent. */
static void put(wf__idmap *m, uint64_t key, uint32_t val)
{
    if (m->root == WF_NONE) {
        m->root = node_alloc(m);
        m->height = 0;
    }
    path p;
    uint32_t leaf = descend(m, key, &p);
    wf__idx_node *nd = &m->nodes[leaf];
    int i = last_le(nd, key);
    if (i >= 0 && nd->key[i] == key) {
        nd->val[i] = val;
        return;
    }
    insert_at(m, &p, m->height, i + 1, key, val);
}

/* Removes entry i of the node at level lvl; unlinks nodes that become empty. */
static void remove_at(wf__idmap *m, path *p, uint32_t lvl, int i)
{
    uint32_t id = p->node[lvl];
    wf__idx_node *nd = &m->nodes[id];
    memmove(nd->key + i, nd->key + i + 1, (nd->n - (uint32_t)i - 1) * sizeof *nd->key);
    memmove(nd->val + i, nd->val + i + 1, (nd->n - (uint32_t)i - 1) * sizeof *nd->val);
    nd->n--;
    if (nd->n == 0) {
        if (lvl == 0) {
            node_release(m, id);
            m->root = WF_NONE;
            m->height = 0;
            return;
        }
        node_release(m, id);
        remove_at(m, p, lvl - 1, p->idx[lvl - 1]);
        return;
    }
    if (i == 0)
        fix_min(m, p, lvl);
}

static void erase(wf__idmap *m, uint64_t key)
{
    path p;
    uint32_t leaf = descend(m, key, &p);
    wf__idx_node *nd = &m->nodes[leaf];
    int i = last_le(nd, key);
    if (i < 0 || nd->key[i] != key)
        return;
    remove_at(m, &p, m->height, i);
    /* Collapse a root left with one child. */
    while (m->root != WF_NONE && m->height > 0 && m->nodes[m->root].n == 1) {
        uint32_t old = m->root;
        m->root = m->nodes[old].val[0];
        m->height--;
        node_release(m, old);
    }
}

/* wf__idmap_set() when one entry covers [lo, hi) and the entries around it lie in the same
 * index leaf with room for two more (the common case: runs moved by a leaf split): one
 * descent, edits within that node only. False, with nothing changed, otherwise. */
static bool set_in_node(wf__idmap *m, uint64_t lo, uint64_t hi, uint32_t leaf, bool keep_hi)
{
    if (m->root == WF_NONE)
        return false;
    /* The runs a split moves often lie in one index leaf: a live index leaf whose keys
     * bracket lo is the one a descent would reach. */
    wf__idx_node *nd;
    if (m->hint != WF_NONE && m->nodes[m->hint].n > 1 && m->nodes[m->hint].key[0] <= lo
        && lo < m->nodes[m->hint].key[m->nodes[m->hint].n - 1]) {
        nd = &m->nodes[m->hint];
    } else {
        path p;
        m->hint = descend(m, lo, &p);
        nd = &m->nodes[m->hint];
    }
    int i = last_le(nd, lo);
    if (i < 0 || (uint32_t)i + 1 >= nd->n || nd->n + 2 > WF_IDX_CAP || nd->key[i + 1] < hi)
        return false;
    uint32_t cur = nd->val[i];
    uint32_t j = (uint32_t)i + 1; /* the entry after: at hi or beyond */
    /* What lies at hi and beyond keeps its leaf. */
    if (nd->key[j] == hi) {
        if (nd->val[j] == leaf) { /* covered by the entry at lo from now on; hi's seq > 0 */
            memmove(nd->key + j, nd->key + j + 1, (nd->n - j - 1) * sizeof *nd->key);
            memmove(nd->val + j, nd->val + j + 1, (nd->n - j - 1) * sizeof *nd->val);
            nd->n--;
        }
    } else if (keep_hi && cur != leaf) {
        memmove(nd->key + j + 1, nd->key + j, (nd->n - j) * sizeof *nd->key);
        memmove(nd->val + j + 1, nd->val + j, (nd->n - j) * sizeof *nd->val);
        nd->key[j] = hi;
        nd->val[j] = cur;
        nd->n++;
    }
    if (nd->key[i] == lo) {
        nd->val[i] = leaf;
    } else if (cur != leaf) {
        memmove(nd->key + j + 1, nd->key + j, (nd->n - j) * sizeof *nd->key);
        memmove(nd->val + j + 1, nd->val + j, (nd->n - j) * sizeof *nd->val);
        nd->key[j] = lo;
        nd->val[j] = leaf;
        nd->n++;
    }
    return true;
}

void wf__idmap_set(wf__idmap *m, uint32_t agent, uint32_t seq, uint32_t len, uint32_t leaf,
                   uint32_t known_end)
{
    if ((uint64_t)seq + len >= known_end)
        set_tail(m, agent, leaf);
    uint64_t lo = make_key(agent, seq), hi = lo + len;
    if (seq > 0 && set_in_node(m, lo, hi, leaf, (uint64_t)seq + len < known_end))
        return;
    uint64_t at = NO_KEY;
    uint32_t cur = pred(m, lo, &at);
    uint64_t after = succ(m, lo + 1);
    /* Fast path: the whole range already maps to leaf (by an entry of this agent). */
    if (cur == leaf && after >= hi && (seq > 0 || at == lo))
        return;
    /* Common case (runs moved by a leaf split): one entry covers the whole range. */
    if (cur != WF_NONE && after >= hi && seq > 0) {
        if ((uint64_t)seq + len < known_end && after != hi)
            put(m, hi, cur);
        else if (after == hi && pred(m, hi, NULL) == leaf)
            erase(m, hi);
        if (at == lo && pred(m, lo - 1, NULL) == leaf)
            erase(m, lo);
        else
            put(m, lo, leaf);
        return;
    }
    /* Keep what lies at hi and beyond mapped as it was. */
    bool keep_hi = (uint64_t)seq + len < known_end;
    uint32_t hi_val = keep_hi ? pred(m, hi, NULL) : WF_NONE;
    for (uint64_t k = succ(m, lo); k != NO_KEY && k < hi; k = succ(m, lo))
        erase(m, k);
    uint64_t pk;
    if (seq == 0 || pred(m, lo, &pk) != leaf)
        put(m, lo, leaf);
    if (!keep_hi)
        return;
    uint64_t hk;
    uint32_t hv = pred(m, hi, &hk);
    if (hk == hi) {
        if (hv == leaf && (uint32_t)hi != 0)
            erase(m, hi);
    } else if (hi_val != leaf) {
        put(m, hi, hi_val);
    }
}

void wf__idmap_add(wf__idmap *m, uint32_t agent, uint32_t seq, uint32_t leaf)
{
    /* Nothing is mapped at or after a fresh seq, so the entry before it decides; but every
     * agent's seq 0 has an entry of its own, so that no entry covers two agents. */
    uint64_t key = make_key(agent, seq), at;
    if (seq > 0 && agent < m->ntail && m->tail[agent] == leaf)
        return;
    set_tail(m, agent, leaf);
    if (seq > 0 && pred(m, key, &at) == leaf)
        return;
    put(m, key, leaf);
}

void wf__idmap_build(wf__idmap *m, const uint64_t *keys, const uint32_t *vals, size_t n)
{
    if (n == 0)
        return;
    /* Bottom level: nodes filled to 3/4, like the content tree's bulk load. */
    uint32_t per = WF_IDX_CAP - WF_IDX_CAP / 4;
    size_t level = (n + per - 1) / per;
    uint32_t *ids = wf_xreallocarray(NULL, level, sizeof *ids);
    for (size_t i = 0; i < level; i++) {
        uint32_t id = node_alloc(m);
        wf__idx_node *nd = &m->nodes[id];
        size_t first = n * i / level, last = n * (i + 1) / level;
        nd->n = (uint32_t)(last - first);
        memcpy(nd->key, keys + first, nd->n * sizeof *keys);
        memcpy(nd->val, vals + first, nd->n * sizeof *vals);
        ids[i] = id;
    }
    m->height = 0;
    while (level > 1) {
        size_t up = (level + WF_IDX_CAP - 1) / WF_IDX_CAP;
        for (size_t g = 0; g < up; g++) {
            uint32_t id = node_alloc(m);
            wf__idx_node *nd = &m->nodes[id];
            size_t first = level * g / up, last = level * (g + 1) / up;
            for (size_t i = first; i < last; i++) {
                nd->key[nd->n] = m->nodes[ids[i]].key[0];
                nd->val[nd->n++] = ids[i];
            }
            ids[g] = id;
        }
        level = up;
        m->height++;
    }
    m->root = ids[0];
    free(ids);
    for (size_t i = 0; i < n; i++)
        set_tail(m, (uint32_t)(keys[i] >> 32), vals[i]);
}

static int each_in(const wf__idmap *m, uint32_t id, uint32_t h,
                   int (*fn)(void *, uint64_t, uint32_t), void *ctx)
{
    const wf__idx_node *nd = &m->nodes[id];
    for (uint32_t i = 0; i < nd->n; i++) {
        int r = h == 0 ? fn(ctx, nd->key[i], nd->val[i]) : each_in(m, nd->val[i], h - 1, fn, ctx);
        if (r)
            return r;
    }
    return 0;
}

int wf__idmap_each(const wf__idmap *m, int (*fn)(void *ctx, uint64_t key, uint32_t val),
                   void *ctx)
{
    return m->root == WF_NONE ? 0 : each_in(m, m->root, m->height, fn, ctx);
}
