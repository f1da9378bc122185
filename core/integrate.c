/* Remote integration (CRDT.md §1.3) and causal buffering (§3.4).
 *
 * A run x = {id, len, ol, or} from another replica goes between its origins: scan the run
 * heads after ol up to or, and stop before the first one that belongs after x by the
 * FugueMax rule (Weidner & Kleppmann, "The Art of the Fugue", in its list form YjsMod).
 * Only heads matter: every inner unit's origin-left is the unit before it, inside a subtree
 * already passed. The scan is empty unless others inserted at the same place concurrently,
 * so integration usually costs two rank lookups, O(log n).
 *
 * A piece is ready when the unit before it (same agent), its ol and its or are all
 * integrated. One that is not waits in doc->pend, registered in a min-heap on the agent whose
 * unit it needs; integrating a piece wakes the waiters of its agent. Deletes of units not yet
 * integrated wait the same way. */
#include <stdlib.h>
#include <string.h>

#include "core/codec.h"
#include "core/doc-internal.h"
#include "core/mem.h"
#include "core/utf8.h"

#define PDEL_BIT 0x80000000u

static bool known(const wf_doc *doc, wf__lid id)
{
    return wf__lid_is_none(id) || id.seq < doc->agents[id.agent].next;
}

/* Is piece ready (dependencies integrated)? If not, *need = the first missing ID. */
static bool wf__piece_ready(const wf_doc *doc, const wf__piece *x, wf__lid *need)
{
    if (doc->agents[x->agent].next < x->seq) {
        *need = wf__lid_make(x->agent, x->seq - 1);
        return false;
    }
    if (!known(doc, x->ol)) {
        *need = x->ol;
        return false;
    }
    if (!known(doc, x->or)) {
        *need = x->or;
        return false;
    }
    return true;
}

/* Rank + 1 of the unit (0 for START), so that START compares below every unit. */
static uint64_t rank1(const wf_doc *doc, wf__lid id)
{
    return wf__lid_is_none(id) ? 0 : wf__rank(doc, id) + 1;
}

static int id_cmp(const wf_doc *doc, uint32_t a1, uint32_t s1, uint32_t a2, uint32_t s2)
{
    uint64_t x = doc->agents[a1].id, y = doc->agents[a2].id;
    if (x != y)
        return x < y ? -1 : 1;
    return s1 < s2 ? -1 : s1 > s2;
}

static bool at_end(const wf_doc *doc, wf__pos *p)
{
    const wf__leaf *l = &doc->leaves[p->leaf];
    if (p->slot < l->n)
        return false;
    if (l->next == WF_NONE)
        return true;
    p->leaf = l->next;
    p->slot = 0;
    return false;
}

/* Integrates a ready piece (already trimmed to start at agents[x->agent].next). */
static void wf__integrate(wf_doc *doc, const wf__piece *x)
{
    /* Position just after ol; lo = rank(ol) + 1. */
    wf__pos cur;
    uint64_t lo1;
    if (wf__lid_is_none(x->ol)) {
        cur = (wf__pos){wf__first_leaf(doc), 0};
        lo1 = 0;
    } else {
        uint32_t off;
        wf__find_id(doc, x->ol, &cur, &off);
        lo1 = wf__tree_before(doc, cur).all + off + 1;
        if (off + 1 < wf__run_at(doc, cur)->len)
            cur = wf__tree_split(doc, cur, off + 1);
        else
            cur.slot++;
    }
    uint64_t hi1 = wf__lid_is_none(x->or) ? doc->total.all + 1 : rank1(doc, x->or);
    uint64_t i1 = lo1 + 1; /* rank + 1 of the run at cur */
    wf__pos dest = cur;
    bool scanning = false;
    for (;;) {
        if (!scanning)
            dest = cur;
        if (i1 == hi1 || at_end(doc, &cur))
            break;
        const wf__run *o = wf__run_at(doc, cur);
        uint64_t o_ol = rank1(doc, o->ol);
        if (o_ol < lo1)
            break;
        if (o_ol == lo1) {
            uint64_t o_or = wf__lid_is_none(o->or) ? doc->total.all + 1 : rank1(doc, o->or);
            if (o_or == hi1) {
                if (id_cmp(doc, x->agent, x->seq, o->agent, o->seq) < 0)
                    break;
                scanning = false;
            } else {
                scanning = o_or < hi1;
            }
        }
        i1 += o->len;
        cur.slot++;
    }

    wf__agent *ag = &doc->agents[x->agent];
    uint32_t text = WF_NOTEXT;
    uint32_t nl = 0;
    if (!x->deleted) {
        nl = (uint32_t)wf_utf8_count_newlines(x->text, (size_t)x->nbytes);
        text = wf__log_append(doc, x->agent, x->seq, x->len, x->text, x->nbytes, nl);
    }
    wf__run run = {.agent = x->agent, .deleted = x->deleted, .seq = x->seq, .len = x->len,
                   .nl = nl, .nbytes = x->deleted ? 0 : (uint32_t)x->nbytes, .text = text,
                   .ol = x->ol, .or = x->or};
    /* Extend the run just before dest when x continues it (remote typing). */
    wf__pos prev = dest;
    if (wf__pos_prev(doc, &prev)) {
        wf__run *r = wf__run_at(doc, prev);
        if (wf__runs_chain(doc, r, &run)) {
            wf__counts delta = wf__run_counts(&run);
            r->len += run.len;
            r->nbytes += run.nbytes;
            r->nl += run.nl;
            wf__tree_add(doc, prev.leaf, prev.slot, &delta);
            /* The run's ID index entry already covers the new seqs. */
            ag->next = x->seq + x->len;
            return;
        }
    }
    wf__tree_insert(doc, dest, &run);
    ag->next = x->seq + x->len;
}

/* --- pending queue -------------------------------------------------------------------- */

static void heap_push(wf__agent *ag, wf__wait w)
{
    if (ag->nwait == ag->wait_cap) {
        ag->wait_cap = ag->wait_cap ? ag->wait_cap * 2 : 8;
        ag->waiters = wf_xreallocarray(ag->waiters, ag->wait_cap, sizeof *ag->waiters);
    }
    uint32_t i = ag->nwait++;
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (ag->waiters[parent].seq <= w.seq)
            break;
        ag->waiters[i] = ag->waiters[parent];
        i = parent;
    }
    ag->waiters[i] = w;
}

static wf__wait heap_pop(wf__agent *ag)
{
    wf__wait top = ag->waiters[0], last = ag->waiters[--ag->nwait];
    uint32_t i = 0;
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= ag->nwait)
            break;
        if (c + 1 < ag->nwait && ag->waiters[c + 1].seq < ag->waiters[c].seq)
            c++;
        if (last.seq <= ag->waiters[c].seq)
            break;
        ag->waiters[i] = ag->waiters[c];
        i = c;
    }
    if (ag->nwait)
        ag->waiters[i] = last;
    return top;
}

/* Drops the first k units of a piece (they are known already). */
static void trim(wf__piece *x, uint32_t k)
{
    if (!x->deleted) {
        size_t b = wf_utf8_offset(x->text, (size_t)x->nbytes, k);
        x->text += b;
        x->nbytes -= b;
    }
    x->seq += k;
    x->len -= k;
    x->ol = wf__lid_make(x->agent, x->seq - 1);
}

/* Agents whose next advanced, to wake their waiters. */
typedef struct wake_list {
    uint32_t *a;
    uint32_t n, cap;
} wake_list;

static void wake_push(wake_list *w, uint32_t agent)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 8;
        w->a = wf_xreallocarray(w->a, w->cap, sizeof *w->a);
    }
    w->a[w->n++] = agent;
}

/* Integrates x if ready (true), else returns false with *need set. Duplicates count as done. */
static bool try_piece(wf_doc *doc, wf__piece *x, wf__lid *need, wake_list *wake)
{
    uint32_t next = doc->agents[x->agent].next;
    /* A deleted piece also says its units are deleted: those already held get deleted. */
    if (x->deleted && x->seq < next) {
        uint32_t k = next - x->seq < x->len ? next - x->seq : x->len;
        wf__delete_ids(doc, (wf__range){x->agent, x->seq, k}, false);
    }
    if ((uint64_t)x->seq + x->len <= next)
        return true;
    if (x->seq < next)
        trim(x, next - x->seq);
    if (!wf__piece_ready(doc, x, need))
        return false;
    wf__integrate(doc, x);
    wake_push(wake, x->agent);
    return true;
}

static void wait_on(wf_doc *doc, wf__lid need, uint32_t item)
{
    heap_push(&doc->agents[need.agent], (wf__wait){need.seq, item});
}

/* --- duplicate detection for the pending queue ---------------------------------------- */

#define PKEY_DEL (1ULL << 63)
#define PKEY_EMPTY UINT64_MAX

static uint64_t pkey(bool del, uint32_t agent, uint32_t seq)
{
    return (del ? PKEY_DEL : 0) | (uint64_t)agent << 32 | seq;
}

static uint32_t phash(uint64_t k, uint32_t cap)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (uint32_t)k & (cap - 1);
}

/* Does the live item that entry val names still carry key k? */
static bool pentry_live(const wf_doc *doc, uint64_t k, uint32_t val)
{
    uint32_t agent = (uint32_t)(k >> 32) & 0x7fffffff, seq = (uint32_t)k;
    if (k & PKEY_DEL)
        return val < doc->npdel && doc->pdel[val].live && doc->pdel[val].r.agent == agent
               && doc->pdel[val].r.seq == seq;
    return val < doc->npend && doc->pend[val].live && doc->pend[val].p.agent == agent
           && doc->pend[val].p.seq == seq;
}

/* The pending item with key k, or WF_NONE. */
static uint32_t pfind(const wf_doc *doc, uint64_t k)
{
    if (!doc->pcap)
        return WF_NONE;
    for (uint32_t i = phash(k, doc->pcap);; i = (i + 1) & (doc->pcap - 1)) {
        if (doc->pkeys[i] == PKEY_EMPTY)
            return WF_NONE;
        if (doc->pkeys[i] == k)
            return pentry_live(doc, k, doc->pvals[i]) ? doc->pvals[i] : WF_NONE;
    }
}

static void pinsert_raw(wf_doc *doc, uint64_t k, uint32_t val)
{
    uint32_t i = phash(k, doc->pcap);
    while (doc->pkeys[i] != PKEY_EMPTY && doc->pkeys[i] != k)
        i = (i + 1) & (doc->pcap - 1);
    if (doc->pkeys[i] == PKEY_EMPTY)
        doc->pused++;
    doc->pkeys[i] = k;
    doc->pvals[i] = val;
}

static void pinsert(wf_doc *doc, uint64_t k, uint32_t val)
{
    if (2 * (doc->pused + 1) > doc->pcap) {
        /* Rebuild with only the live items, at least twice as large as they need. */
        uint32_t live = doc->pend_live + doc->pdel_live + 1, cap = 16;
        while (cap < 4 * live)
            cap *= 2;
        free(doc->pkeys);
        free(doc->pvals);
        doc->pkeys = wf_xreallocarray(NULL, cap, sizeof *doc->pkeys);
        doc->pvals = wf_xreallocarray(NULL, cap, sizeof *doc->pvals);
        memset(doc->pkeys, 0xff, cap * sizeof *doc->pkeys);
        doc->pcap = cap;
        doc->pused = 0;
        for (uint32_t j = 0; j < doc->npend; j++)
            if (doc->pend[j].live)
                pinsert_raw(doc, pkey(false, doc->pend[j].p.agent, doc->pend[j].p.seq), j);
        for (uint32_t j = 0; j < doc->npdel; j++)
            if (doc->pdel[j].live)
                pinsert_raw(doc, pkey(true, doc->pdel[j].r.agent, doc->pdel[j].r.seq), j);
    }
    pinsert_raw(doc, k, val);
}

static void enqueue_piece(wf_doc *doc, const wf__piece *x, wf__lid need)
{
    uint64_t k = pkey(false, x->agent, x->seq);
    uint32_t dup = pfind(doc, k);
    if (dup != WF_NONE && doc->pend[dup].p.len >= x->len && doc->pend[dup].p.deleted == x->deleted)
        return; /* already waiting */
    if (doc->npend == doc->pend_cap) {
        doc->pend_cap = doc->pend_cap ? doc->pend_cap * 2 : 8;
        doc->pend = wf_xreallocarray(doc->pend, doc->pend_cap, sizeof *doc->pend);
    }
    uint32_t i = doc->npend++;
    wf__pend *pd = &doc->pend[i];
    pd->p = *x;
    pd->own = NULL;
    if (!x->deleted && x->nbytes) {
        pd->own = wf_xmalloc((size_t)x->nbytes);
        memcpy(pd->own, x->text, (size_t)x->nbytes);
        pd->p.text = pd->own;
    }
    pd->live = true;
    doc->pend_live++;
    wait_on(doc, need, i);
    pinsert(doc, k, i);
}

/* Applies the known part of a delete; returns false (with the rest in *r) if some units
 * are not integrated yet. */
static bool try_delete(wf_doc *doc, wf__range *r)
{
    uint32_t next = doc->agents[r->agent].next;
    if (r->seq < next) {
        uint32_t k = next - r->seq < r->len ? next - r->seq : r->len;
        wf__delete_ids(doc, (wf__range){r->agent, r->seq, k}, false);
        r->seq += k;
        r->len -= k;
    }
    return r->len == 0;
}

static void enqueue_delete(wf_doc *doc, wf__range r)
{
    uint64_t k = pkey(true, r.agent, r.seq);
    uint32_t dup = pfind(doc, k);
    if (dup != WF_NONE && doc->pdel[dup].r.len >= r.len)
        return; /* already waiting */
    if (doc->npdel == doc->pdel_cap) {
        doc->pdel_cap = doc->pdel_cap ? doc->pdel_cap * 2 : 8;
        doc->pdel = wf_xreallocarray(doc->pdel, doc->pdel_cap, sizeof *doc->pdel);
    }
    uint32_t i = doc->npdel++;
    doc->pdel[i] = (wf__pend_del){r, true};
    doc->pdel_live++;
    wait_on(doc, wf__lid_make(r.agent, r.seq), i | PDEL_BIT);
    pinsert(doc, k, i);
}

static void release_piece(wf_doc *doc, uint32_t i)
{
    free(doc->pend[i].own);
    doc->pend[i].own = NULL;
    doc->pend[i].live = false;
    doc->pend_live--;
}

/* Retries everything waiting on the agents in the list, until nothing more is ready. */
static void wake_all(wf_doc *doc, wake_list *wake)
{
    while (wake->n > 0) {
        uint32_t a = wake->a[--wake->n];
        wf__agent *ag = &doc->agents[a];
        while (ag->nwait > 0 && ag->waiters[0].seq < ag->next) {
            wf__wait w = heap_pop(ag);
            if (w.item & PDEL_BIT) {
                uint32_t i = w.item & ~PDEL_BIT;
                if (try_delete(doc, &doc->pdel[i].r)) {
                    doc->pdel[i].live = false;
                    doc->pdel_live--;
                } else {
                    wait_on(doc, wf__lid_make(doc->pdel[i].r.agent, doc->pdel[i].r.seq), w.item);
                }
            } else {
                wf__lid need;
                wf__piece x = doc->pend[w.item].p;
                if (try_piece(doc, &x, &need, wake))
                    release_piece(doc, w.item);
                else
                    wait_on(doc, need, w.item);
            }
            ag = &doc->agents[a];
        }
    }
    /* Reclaim the queues once they drain (the hash then only holds stale entries). */
    if (doc->pend_live == 0)
        doc->npend = 0;
    if (doc->pdel_live == 0)
        doc->npdel = 0;
    if (doc->pend_live == 0 && doc->pdel_live == 0 && doc->pused) {
        memset(doc->pkeys, 0xff, doc->pcap * sizeof *doc->pkeys);
        doc->pused = 0;
    }
}

void wf__apply_pieces(wf_doc *doc, wf__piece *pieces, size_t n, const wf__range *dels,
                      size_t ndels)
{
    wake_list wake = {NULL, 0, 0};
    for (size_t i = 0; i < n; i++) {
        wf__lid need;
        if (!try_piece(doc, &pieces[i], &need, &wake))
            enqueue_piece(doc, &pieces[i], need);
        wake_all(doc, &wake);
    }
    for (size_t i = 0; i < ndels; i++) {
        wf__range r = dels[i];
        if (!try_delete(doc, &r))
            enqueue_delete(doc, r);
    }
    free(wake.a);
    doc->touched = true;
}

void wf__pending_free(wf_doc *doc)
{
    for (uint32_t i = 0; i < doc->npend; i++)
        free(doc->pend[i].own);
    free(doc->pend);
    free(doc->pdel);
    free(doc->pkeys);
    free(doc->pvals);
    doc->pend = NULL;
    doc->pdel = NULL;
    doc->pkeys = NULL;
    doc->pvals = NULL;
    doc->pcap = doc->pused = 0;
    doc->npend = doc->npdel = doc->pend_live = doc->pdel_live = 0;
}

size_t wf_doc_pending(const wf_doc *doc)
{
    return (size_t)doc->pend_live + doc->pdel_live;
}
