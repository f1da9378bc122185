/* wf_doc_check(): recomputes every count, link and index from the leaves and compares them
 * with what the document maintains incrementally (CRDT.md T21). O(n + text); for tests. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/doc-internal.h"
#include "core/mem.h"
#include "core/utf8.h"

typedef struct checker {
    const wf_doc *doc;
    char *msg;
    size_t size;
    int err;
    uint32_t *leaf_order; /* leaves in tree order */
    uint32_t nleaves;
    wf__range *ranges;    /* every run's ID range */
    size_t nranges;
} checker;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static bool fail(checker *c, const char *fmt, ...)
{
    if (c->err)
        return false;
    c->err = WF_ECORRUPT;
    if (c->msg && c->size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->msg, c->size, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool counts_eq(wf__counts a, wf__counts b)
{
    return a.all == b.all && a.vis == b.vis && a.bytes == b.bytes && a.nl == b.nl;
}

static bool check_run(checker *c, uint32_t leaf, uint32_t slot)
{
    const wf_doc *doc = c->doc;
    const wf__run *r = &doc->leaves[leaf].runs[slot];
    if (r->agent >= doc->nagents || r->len == 0)
        return fail(c, "leaf %u run %u: bad agent %u or length %u", leaf, slot,
                    (unsigned)r->agent, r->len);
    const wf__agent *ag = &doc->agents[r->agent];
    if ((uint64_t)r->seq + r->len > ag->next)
        return fail(c, "leaf %u run %u: seqs %u+%u beyond next %u", leaf, slot, r->seq, r->len,
                    ag->next);
    if (r->text == WF_NOTEXT) {
        if (!r->deleted || r->nbytes || r->nl)
            return fail(c, "leaf %u run %u: no text but visible or counted", leaf, slot);
    } else {
        if (r->text + r->nbytes > ag->log_len)
            return fail(c, "leaf %u run %u: text beyond log", leaf, slot);
        size_t nl;
        size_t units = wf_utf8_count(ag->log + r->text, (size_t)r->nbytes, &nl);
        if (units != r->len || nl != r->nl)
            return fail(c, "leaf %u run %u: text has %zu units %zu newlines, run says %u %u",
                        leaf, slot, units, nl, r->len, r->nl);
    }
    wf__lid ids[2] = {r->ol, r->or};
    for (int i = 0; i < 2; i++)
        if (!wf__lid_is_none(ids[i])
            && (ids[i].agent >= doc->nagents || ids[i].seq >= doc->agents[ids[i].agent].next))
            return fail(c, "leaf %u run %u: unknown origin", leaf, slot);
    if (wf__idmap_find(&doc->idmap, r->agent, r->seq) != leaf
        || wf__idmap_find(&doc->idmap, r->agent, r->seq + r->len - 1) != leaf)
        return fail(c, "leaf %u run %u (agent %u seq %u len %u): ID index points elsewhere",
                    leaf, slot, (unsigned)r->agent, r->seq, r->len);
    c->ranges[c->nranges++] = (wf__range){r->agent, r->seq, r->len};
    return true;
}

/* Checks the subtree and returns its counts in *sum. */
static bool check_subtree(checker *c, uint32_t id, uint32_t h, uint32_t parent, wf__counts *sum)
{
    const wf_doc *doc = c->doc;
    *sum = (wf__counts){0, 0, 0, 0};
    if (h == 0) {
        if (id >= doc->nleaves)
            return fail(c, "leaf id %u out of range", id);
        const wf__leaf *l = &doc->leaves[id];
        if (l->parent != parent)
            return fail(c, "leaf %u: parent %u, expected %u", id, l->parent, parent);
        if (parent != WF_NONE && doc->nodes[parent].child[l->pslot] != id)
            return fail(c, "leaf %u: wrong slot %u in parent %u", id, l->pslot, parent);
        if (l->n > WF_LEAF_CAP || (l->n == 0 && doc->nruns != 0))
            return fail(c, "leaf %u: %u runs", id, l->n);
        c->leaf_order[c->nleaves++] = id;
        for (uint32_t i = 0; i < l->n; i++) {
            if (!check_run(c, id, i))
                return false;
            wf__counts rc = wf__run_counts(&l->runs[i]);
            sum->all += rc.all;
            sum->vis += rc.vis;
            sum->bytes += rc.bytes;
            sum->nl += rc.nl;
        }
        return true;
    }
    if (id >= doc->nnodes)
        return fail(c, "node id %u out of range", id);
    const wf__node *nd = &doc->nodes[id];
    if (nd->parent != parent)
        return fail(c, "node %u: parent %u, expected %u", id, nd->parent, parent);
    if (parent != WF_NONE && doc->nodes[parent].child[nd->pslot] != id)
        return fail(c, "node %u: wrong slot %u in parent %u", id, nd->pslot, parent);
    if (nd->n == 0 || nd->n > WF_NODE_CAP)
        return fail(c, "node %u: %u children", id, nd->n);
    for (uint32_t i = 0; i < nd->n; i++) {
        wf__counts cs;
        if (!check_subtree(c, nd->child[i], h - 1, id, &cs))
            return false;
        if (!counts_eq(cs, nd->cnt[i]))
            return fail(c, "node %u child %u: counts %llu/%llu/%llu/%llu, "
                           "stored %llu/%llu/%llu/%llu",
                        id, i, (unsigned long long)cs.all, (unsigned long long)cs.vis,
                        (unsigned long long)cs.bytes, (unsigned long long)cs.nl,
                        (unsigned long long)nd->cnt[i].all, (unsigned long long)nd->cnt[i].vis,
                        (unsigned long long)nd->cnt[i].bytes, (unsigned long long)nd->cnt[i].nl);
        sum->all += cs.all;
        sum->vis += cs.vis;
        sum->bytes += cs.bytes;
        sum->nl += cs.nl;
    }
    return true;
}

static int range_cmp(const void *a, const void *b)
{
    const wf__range *x = a, *y = b;
    if (x->agent != y->agent)
        return x->agent < y->agent ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static bool check_tiling(checker *c)
{
    const wf_doc *doc = c->doc;
    qsort(c->ranges, c->nranges, sizeof *c->ranges, range_cmp);
    uint64_t *covered = wf_xcalloc(doc->nagents ? doc->nagents : 1, sizeof *covered);
    bool ok = true;
    for (size_t i = 0; i < c->nranges && ok; i++) {
        const wf__range *r = &c->ranges[i];
        if (r->seq != covered[r->agent])
            ok = fail(c, "agent %u: units from %u missing or doubled (next run at %u)",
                      (unsigned)r->agent, (unsigned)covered[r->agent], r->seq);
        covered[r->agent] = (uint64_t)r->seq + r->len;
    }
    for (uint32_t a = 0; a < doc->nagents && ok; a++)
        if (covered[a] != doc->agents[a].next)
            ok = fail(c, "agent %u: runs cover %llu units, next is %u", a,
                      (unsigned long long)covered[a], doc->agents[a].next);
    free(covered);
    return ok;
}

static int check_entry(void *ctx, uint64_t key, uint32_t val)
{
    checker *c = ctx;
    const wf_doc *doc = c->doc;
    uint32_t a = (uint32_t)(key >> 32), seq = (uint32_t)key;
    if (a >= doc->nagents || seq >= doc->agents[a].next)
        return 0; /* a boundary past the known units: never looked up */
    if (val >= doc->nleaves)
        return fail(c, "ID index entry %u/%u: leaf %u out of range", a, seq, val), 1;
    const wf__leaf *l = &doc->leaves[val];
    for (uint32_t i = 0; i < l->n; i++)
        if (l->runs[i].agent == a && seq >= l->runs[i].seq && seq - l->runs[i].seq < l->runs[i].len)
            return 0;
    fail(c, "ID index entry %u/%u points at leaf %u, which does not hold it", a, seq, val);
    return 1;
}

/* Where the previous checkpoint was found: consecutive checkpoints usually lie in one long
 * run, and the next is found from there (no rescan from the run's start). */
typedef struct ckpt_at {
    uint32_t text;   /* that run's text offset, or WF_NOTEXT */
    uint32_t off;    /* the unit offset in it */
    uint64_t byte;   /* its byte offset in it */
    uint64_t nl_at;  /* a log offset, and the newlines before it */
    uint64_t nl;
} ckpt_at;

/* A checkpoint must sit where its unit's text starts in the log, after the newlines the
 * log holds before it. Only units with text have checkpoints. */
static bool check_ckpt(checker *c, uint32_t a, const wf__ckpt *k, ckpt_at *at)
{
    const wf_doc *doc = c->doc;
    wf__pos p;
    uint32_t off;
    if (!wf__find_id(doc, wf__lid_make(a, k->seq), &p, &off))
        return fail(c, "agent %u: checkpoint at unknown seq %u", a, k->seq);
    const wf__run *r = &doc->leaves[p.leaf].runs[p.slot];
    const wf__agent *ag = &doc->agents[a];
    if (r->text == WF_NOTEXT)
        return true; /* its run lost its text, the checkpoint is never consulted */
    if (at->text != r->text || at->off > off)
        *at = (ckpt_at){r->text, 0, 0, at->nl_at, at->nl};
    const char *t = ag->log + r->text;
    at->byte += r->nbytes == r->len ? off - at->off
                                     : wf_utf8_offset(t + at->byte, r->nbytes - at->byte,
                                                      off - at->off);
    at->off = off;
    /* Newlines before k->byte, counted on from the previous checkpoint when it lies before. */
    if (at->nl_at > k->byte)
        at->nl_at = at->nl = 0;
    at->nl += wf_utf8_count_newlines(ag->log + at->nl_at, (size_t)(k->byte - at->nl_at));
    at->nl_at = k->byte;
    if (k->byte != r->text + at->byte || k->nl != at->nl)
        return fail(c, "agent %u: checkpoint of seq %u is not where its text is", a, k->seq);
    return true;
}

/* The delete log: sorted by dseq, entries well formed, dnext past every entry that reaches
 * it (else it would have advanced), the complete part starting at or below dnext. */
static bool check_dlog(checker *c, uint32_t a)
{
    const wf_doc *doc = c->doc;
    const wf__agent *ag = &doc->agents[a];
    if (ag->dlog_start > ag->dnext)
        return fail(c, "agent %u: delete log starts at %u, past dnext %u", a, ag->dlog_start,
                    ag->dnext);
    for (uint32_t i = 0; i < ag->ndlog; i++) {
        const wf__dentry *e = &ag->dlog[i];
        if (e->dseq > e->dlast || e->target.agent >= doc->nagents || e->target.len == 0
            || (uint64_t)e->target.seq + e->target.len > WF_MAX_SEQ)
            return fail(c, "agent %u: delete log entry %u is malformed", a, i);
        if (i > 0 && (e->dseq < ag->dlog[i - 1].dseq
                      || (!ag->dlog_tangled && e->dlast < ag->dlog[i - 1].dlast)))
            return fail(c, "agent %u: delete log out of order at entry %u", a, i);
        if (e->dseq <= ag->dnext && e->dlast >= ag->dnext)
            return fail(c, "agent %u: delete log entry %u reaches dnext %u", a, i, ag->dnext);
    }
    if (a == doc->me && doc->flushed_dels > ag->dnext)
        return fail(c, "flushed deletions %u past dnext %u", doc->flushed_dels, ag->dnext);
    return true;
}

static bool check_agents(checker *c)
{
    const wf_doc *doc = c->doc;
    for (uint32_t i = 0; i < doc->nagents && i < doc->idmap.ntail; i++) {
        uint32_t next = doc->agents[i].next;
        if (next && doc->idmap.tail[i] != WF_NONE
            && doc->idmap.tail[i] != wf__idmap_find(&doc->idmap, i, next - 1))
            return fail(c, "agent %u: ID index tail cache is stale", i);
    }
    for (uint32_t i = 0; i < doc->nagents; i++) {
        if (doc->by_id[i] >= doc->nagents)
            return fail(c, "agent order entry %u out of range", i);
        if (i > 0 && doc->agents[doc->by_id[i - 1]].id >= doc->agents[doc->by_id[i]].id)
            return fail(c, "agent order not sorted at %u", i);
        const wf__agent *ag = &doc->agents[i];
        /* Sorted by seq; bytes need not grow with seq (a loaded state's log is in
         * document order), but each must be where its unit's text is. */
        for (uint32_t k = 1; k < ag->nckpt; k++)
            if (ag->ckpt[k].seq <= ag->ckpt[k - 1].seq)
                return fail(c, "agent %u: checkpoints out of order", i);
        ckpt_at at = {WF_NOTEXT, 0, 0, 0, 0};
        for (uint32_t k = 0; k < ag->nckpt; k++)
            if (ag->ckpt[k].byte > ag->log_len || !check_ckpt(c, i, &ag->ckpt[k], &at))
                return fail(c, "agent %u: checkpoint %u is wrong", i, k);
        if (wf_utf8_count_newlines(ag->log, (size_t)ag->log_len) != ag->log_nl)
            return fail(c, "agent %u: log newline count", i);
        if (!check_dlog(c, i))
            return false;
    }
    return true;
}

int wf_doc_check(const wf_doc *doc, char *msg, size_t size)
{
    checker c = {.doc = doc, .msg = msg, .size = size};
    if (msg && size)
        msg[0] = '\0';
    if (doc->lazy_leaf != WF_NONE && doc->lazy_leaf >= doc->nleaves)
        return fail(&c, "lazy leaf %u out of range", doc->lazy_leaf), c.err;
    /* The stored counts are checked with the pending ones added. */
    wf__tree_settle(doc);
    c.leaf_order = wf_xmalloc((doc->nleaves ? doc->nleaves : 1) * sizeof *c.leaf_order);
    c.ranges = wf_xmalloc((doc->nruns ? doc->nruns : 1) * sizeof *c.ranges);
    /* nruns could be wrong: guard the ranges array by the leaves' capacity. */
    size_t max_runs = (size_t)doc->nleaves * WF_LEAF_CAP;
    if (doc->nruns < max_runs) {
        free(c.ranges);
        c.ranges = wf_xmalloc((max_runs ? max_runs : 1) * sizeof *c.ranges);
    }
    wf__counts sum;
    if (doc->finger != WF_NONE) {
        wf__counts fb = wf__tree_before(doc, (wf__pos){doc->finger, 0});
        wf_doc *mut = (wf_doc *)doc; /* recompute without the cache */
        uint32_t f = mut->finger;
        mut->finger = WF_NONE;
        wf__counts real = wf__tree_before(doc, (wf__pos){f, 0});
        mut->finger = f;
        if (!counts_eq(fb, real))
            fail(&c, "finger counts are stale");
        if (doc->finger_slot != WF_NONE) {
            const wf__leaf *fl = &doc->leaves[f];
            uint64_t vis = 0;
            for (uint32_t i = 0; i < doc->finger_slot && i < fl->n; i++)
                vis += fl->runs[i].deleted ? 0 : fl->runs[i].len;
            if (doc->finger_slot >= fl->n || vis != doc->finger_slot_vis)
                fail(&c, "finger slot is stale");
        }
    }
    if (!c.err && check_agents(&c) && check_subtree(&c, doc->root, doc->height, WF_NONE, &sum)) {
        if (!counts_eq(sum, doc->total))
            fail(&c, "document totals differ from the tree's");
        else if (c.nranges != doc->nruns)
            fail(&c, "run count %llu, tree has %zu", (unsigned long long)doc->nruns, c.nranges);
        /* The leaf chain must visit the leaves in tree order. */
        uint32_t id = c.leaf_order[0], prev = WF_NONE;
        for (uint32_t i = 0; i < c.nleaves && !c.err; i++) {
            if (id != c.leaf_order[i] || doc->leaves[id].prev != prev)
                fail(&c, "leaf chain broken at leaf %u", c.leaf_order[i]);
            prev = id;
            id = doc->leaves[id].next;
        }
        if (!c.err && id != WF_NONE)
            fail(&c, "leaf chain runs past the last leaf");
        if (!c.err)
            wf__idmap_each(&doc->idmap, check_entry, &c);
        if (!c.err)
            check_tiling(&c);
    }
    free(c.leaf_order);
    free(c.ranges);
    return c.err;
}
