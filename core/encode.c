/* What an update holds: the runs and deletions a peer lacks, collected from the document
 * (core/wire.h); core/wire2.c turns them into bytes.
 *
 * A diff for a peer's version vector lists every run with seq >= since[agent] (trimmed), in
 * document order, deleted ones flagged and without text, and every delete-log entry with a
 * deletion the peer lacks (core/dellog.c): O(k) bytes for k missing edits. When this
 * replica's logs do not reach back to the peer's version (it was loaded from a state, or
 * holds version-1 deletions), the diff instead deletes every unit below since[agent] that is
 * deleted here, as Yjs's delete set does, and vouches for every agent's deletions (floors).
 * With no version it is the whole state: its runs tile L, their flags are the tombstones,
 * and floors say how many deletions it holds. A flush lists the local agent's units and
 * deletions since the previous flush. */
#include <stdlib.h>
#include <string.h>

#include "core/codec.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "core/wire.h"

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    *cap = c;
    return wf_xreallocarray(p, c, size);
}

void wf__wmsg_del(wf__wmsg *m, wf__range r)
{
    m->dels = grow(m->dels, &m->delcap, m->ndels + 1, sizeof *m->dels);
    m->dels[m->ndels++] = r;
}

void wf__wmsg_floor(wf__wmsg *m, uint32_t agent, uint32_t floor)
{
    m->floors = grow(m->floors, &m->floorcap, m->nfloors + 1, sizeof *m->floors);
    m->floors[m->nfloors++] = (wf__range){agent, floor, 0};
}

void wf__wmsg_op(wf__wmsg *m, uint32_t deleter, const wf__dentry *e)
{
    size_t cap = m->opcap;
    m->ops = grow(m->ops, &m->opcap, m->nops + 1, sizeof *m->ops);
    m->opsby = grow(m->opsby, &cap, m->nops + 1, sizeof *m->opsby);
    m->ops[m->nops] = *e;
    m->opsby[m->nops++] = deleter;
}

void wf__wmsg_free(wf__wmsg *m)
{
    free(m->w);
    free(m->segs);
    free(m->dels);
    free(m->floors);
    free(m->ops);
    free(m->opsby);
}

/* Can text continue the run's text without changing how either segments? This looks at the
 * text only (never at how runs happen to be split in memory), so that replicas with the same
 * content encode it to the same bytes. */
static bool text_joins(const wf__wrun *w)
{
    return wf_utf8_ends_clean((const char *)w->tail, w->ntail);
}

static void keep_tail(wf__wrun *w, const char *text, uint64_t n)
{
    uint8_t buf[6];
    size_t k = 0;
    for (uint8_t i = 0; i < w->ntail; i++)
        buf[k++] = w->tail[i];
    for (uint64_t i = n > 3 ? n - 3 : 0; i < n; i++)
        buf[k++] = (uint8_t)text[i];
    size_t keep = k < 3 ? k : 3;
    memcpy(w->tail, buf + k - keep, keep);
    w->ntail = (uint8_t)keep;
}

void wf__wmsg_add(wf__wmsg *m, uint32_t agent, uint32_t seq, uint32_t len, wf__lid ol,
                  wf__lid or, bool deleted, const char *text, uint64_t nbytes)
{
    wf__wrun *w = m->nw ? &m->w[m->nw - 1] : NULL;
    bool chain = w && w->agent == agent && w->seq + w->len == seq && w->deleted == deleted
                 && wf__lid_eq(ol, wf__lid_make(agent, seq - 1)) && wf__lid_eq(w->or, or)
                 && (deleted || text_joins(w));
    if (!chain) {
        m->w = grow(m->w, &m->wcap, m->nw + 1, sizeof *m->w);
        w = &m->w[m->nw++];
        *w = (wf__wrun){.agent = agent, .seq = seq, .ol = ol, .or = or, .deleted = deleted,
                        .seg_first = (uint32_t)m->nsegs};
    }
    w->len += len;
    if (!deleted && nbytes) {
        m->segs = grow(m->segs, &m->segcap, m->nsegs + 1, sizeof *m->segs);
        m->segs[m->nsegs++] = (wf__seg){text, nbytes};
        keep_tail(w, text, nbytes);
        w->nseg++;
        w->nbytes += nbytes;
    }
}

/* Deletions that wait for their units: whoever receives them may need them too. */
static void pending_dels(const wf_doc *doc, wf__wmsg *m)
{
    for (uint32_t i = 0; i < doc->npdel; i++)
        if (doc->pdel[i].live)
            wf__wmsg_del(m, doc->pdel[i].r);
}

/* Every agent's entries with a deletion the peer (holding from_dels[a]) lacks; only those
 * beyond dnext when `floors` (the message vouches for the rest). */
static void log_entries(const wf_doc *doc, const uint32_t *from_dels, bool floors,
                        wf__wmsg *m)
{
    for (uint32_t a = 0; a < doc->nagents; a++) {
        const wf__agent *ag = &doc->agents[a];
        uint32_t from = floors ? ag->dnext : from_dels[a];
        for (uint32_t i = wf__dlog_since(ag, from); i < ag->ndlog; i++)
            if (ag->dlog[i].dlast >= from)
                wf__wmsg_op(m, a, &ag->dlog[i]);
        if (floors && ag->dnext > from_dels[a])
            wf__wmsg_floor(m, a, ag->dnext);
    }
}

/* Collects the diff for since (NULL: the whole state). */
static void collect_diff(const wf_doc *doc, const wf_vv *since, wf__wmsg *m)
{
    size_t na = doc->nagents ? doc->nagents : 1;
    uint32_t *from = wf_xcalloc(na, sizeof *from), *from_dels = wf_xcalloc(na, sizeof *from);
    bool everything = true, all_tombstones = doc->legacy_dels;
    for (uint32_t a = 0; since && a < doc->nagents; a++) {
        from[a] = wf_vv_get(since, doc->agents[a].id);
        from_dels[a] = wf_vv_get_dels(since, doc->agents[a].id);
        everything = everything && from[a] == 0;
        /* The log does not reach back to what the peer holds: send every tombstone. */
        all_tombstones = all_tombstones || from_dels[a] < doc->agents[a].dlog_start;
    }
    m->state = everything;
    wf__pos p = {wf__first_leaf(doc), 0};
    for (bool more = doc->leaves[p.leaf].n > 0; more; more = wf__pos_next(doc, &p)) {
        const wf__run *r = &doc->leaves[p.leaf].runs[p.slot];
        uint32_t k = r->seq < from[r->agent] ? from[r->agent] - r->seq : 0;
        if (r->deleted && k && all_tombstones) /* units the peer holds */
            wf__wmsg_del(m, (wf__range){r->agent, r->seq, k < r->len ? k : r->len});
        if (k >= r->len)
            continue;
        uint64_t byte = 0;
        uint32_t nl;
        if (k && !r->deleted)
            wf__run_locate(doc, r, k, &byte, &nl);
        wf__lid ol = k ? wf__lid_make(r->agent, r->seq + k - 1) : r->ol;
        wf__wmsg_add(m, r->agent, r->seq + k, r->len - k, ol, r->or, r->deleted,
                     r->deleted ? NULL : wf__run_text(doc, r) + byte,
                     r->deleted ? 0 : r->nbytes - byte);
    }
    /* A state or a diff with every tombstone vouches for every agent's deletions; else
     * the log entries the peer lacks say what it lacks (they also cover what waits). */
    bool floors = everything || all_tombstones;
    if (floors)
        pending_dels(doc, m);
    log_entries(doc, from_dels, floors, m);
    free(from);
    free(from_dels);
}

void wf_doc_encode_diff(const wf_doc *doc, const wf_vv *since, wf_buf *out)
{
    wf__wmsg m = {.doc = doc};
    collect_diff(doc, since, &m);
    wf__wire_write(&m, out, NULL);
    wf__wmsg_free(&m);
}

void wf__encode_stats(const wf_doc *doc, const wf_vv *since, wf_buf *out, wf__wire_stats *st)
{
    wf__wmsg m = {.doc = doc};
    collect_diff(doc, since, &m);
    wf__wire_write(&m, out, st);
    wf__wmsg_free(&m);
}

size_t wf_doc_flush(wf_doc *doc, wf_buf *out)
{
    const wf__agent *me = &doc->agents[doc->me];
    if (doc->nout_ins == 0 && me->dnext == doc->flushed_dels)
        return 0;
    size_t start = out->len;
    wf__wmsg m = {.doc = doc};
    for (uint32_t i = wf__dlog_since(me, doc->flushed_dels); i < me->ndlog; i++)
        wf__wmsg_op(&m, doc->me, &me->dlog[i]);
    for (uint32_t i = 0; i < doc->nout_ins; i++) {
        wf__range rg = doc->out_ins[i];
        uint32_t seq = rg.seq, end = rg.seq + rg.len;
        while (seq < end) {
            wf__pos p;
            uint32_t off;
            wf__find_id(doc, wf__lid_make(rg.agent, seq), &p, &off);
            const wf__run *r = wf__run_at(doc, p);
            uint32_t take = r->len - off < end - seq ? r->len - off : end - seq;
            uint64_t b0 = 0, b1 = 0;
            uint32_t nl;
            if (!r->deleted) {
                wf__run_locate(doc, r, off, &b0, &nl);
                wf__run_locate(doc, r, off + take, &b1, &nl);
            }
            wf__lid ol = off ? wf__lid_make(r->agent, seq - 1) : r->ol;
            wf__wmsg_add(&m, r->agent, seq, take, ol, r->or, r->deleted,
                         r->deleted ? NULL : wf__run_text(doc, r) + b0, b1 - b0);
            seq += take;
        }
    }
    wf__wire_write(&m, out, NULL);
    wf__wmsg_free(&m);
    doc->nout_ins = 0;
    doc->flushed_dels = doc->agents[doc->me].dnext;
    return out->len - start;
}
