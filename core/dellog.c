/* Delete logs: deletions as numbered operations, so that a replica that lacks k edits is
 * sent O(k) bytes, not every tombstone (CRDT.md §3.3 sends "the full delete set", as Yjs
 * does: 80-92% of a full state for one missing keystroke).
 *
 * Every range an agent deletes locally is one of its deletions, numbered 0, 1, 2, ... like
 * its units (dseq). A version vector counts them too (wf_vv_entry.dels: 0..dels-1 held), so
 * a diff for a peer's version sends, per agent, the entries with a dseq it lacks. Each agent
 * keeps the log of its deletions as entries (dseq..dlast, target range): consecutive
 * deletions of one stretch (backspacing, forward deletes) share one entry, so the log is
 * about as long as the delete set. A deletion is idempotent, so an entry may carry a
 * superset of what some of its deletions removed, and one received twice does no harm.
 *
 * A full state carries no log: it says, per agent, how many deletions it holds (a floor);
 * its tombstones are the deletions themselves. A replica loaded from it has no log below
 * that floor (dlog_start), and a peer that lacks deletions below it gets every tombstone
 * instead (core/encode.c), which is always correct. Entries may arrive out of order (a
 * relay that skipped some): they are applied and logged, and dnext advances once the gap
 * closes. */
#include <stdlib.h>
#include <string.h>

#include "core/doc-internal.h"
#include "core/mem.h"

static void dlog_reserve(wf__agent *ag, uint32_t more)
{
    if (ag->ndlog + more <= ag->dlog_cap)
        return;
    uint32_t cap = ag->dlog_cap ? ag->dlog_cap : 8;
    while (cap < ag->ndlog + more)
        cap *= 2;
    ag->dlog = wf_xreallocarray(ag->dlog, cap, sizeof *ag->dlog);
    ag->dlog_cap = cap;
}

void wf__dlog_free(wf__agent *ag)
{
    free(ag->dlog);
    ag->dlog = NULL;
    ag->ndlog = ag->dlog_cap = 0;
}

void wf__dlog_local(wf_doc *doc, wf__range r)
{
    wf__agent *me = &doc->agents[doc->me];
    uint32_t d = me->dnext++;
    /* Backspacing or deleting forward over one stretch: one entry for all of it (but not
     * across a flush: what was sent stays as it was). */
    if (me->ndlog > 0) {
        wf__dentry *e = &me->dlog[me->ndlog - 1];
        if (e->dlast + 1 == d && e->dseq >= doc->flushed_dels && e->target.agent == r.agent
            && (r.seq + r.len == e->target.seq || e->target.seq + e->target.len == r.seq)) {
            e->dlast = d;
            if (r.seq < e->target.seq)
                e->target.seq = r.seq;
            e->target.len += r.len;
            return;
        }
    }
    dlog_reserve(me, 1);
    me->dlog[me->ndlog++] = (wf__dentry){d, d, r};
}

uint32_t wf__dlog_since(const wf__agent *ag, uint32_t from)
{
    if (ag->dlog_tangled)
        return 0;
    uint32_t lo = 0, hi = ag->ndlog; /* the first entry with dlast >= from */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ag->dlog[mid].dlast < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Inserts e into the log at its place by dseq (usually the end). */
static void dlog_insert(wf__agent *ag, wf__dentry e)
{
    dlog_reserve(ag, 1);
    uint32_t at = ag->ndlog;
    while (at > 0 && ag->dlog[at - 1].dseq > e.dseq)
        at--;
    memmove(ag->dlog + at + 1, ag->dlog + at, (ag->ndlog - at) * sizeof *ag->dlog);
    ag->dlog[at] = e;
    ag->ndlog++;
    if ((at > 0 && ag->dlog[at - 1].dlast > e.dlast)
        || (at + 1 < ag->ndlog && ag->dlog[at + 1].dlast < e.dlast))
        ag->dlog_tangled = true;
}

/* Moves dnext past the entries that now continue it. */
static void advance(wf__agent *ag)
{
    for (uint32_t i = wf__dlog_since(ag, ag->dnext); i < ag->ndlog; i++) {
        const wf__dentry *e = &ag->dlog[i];
        if (e->dseq > ag->dnext)
            break;
        if (e->dlast >= ag->dnext)
            ag->dnext = e->dlast + 1;
    }
}

void wf__dlog_take(wf_doc *doc, uint32_t deleter, const wf__dentry *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        /* Deletions are idempotent: apply the targets whatever we hold already. */
        wf__apply_pieces(doc, NULL, 0, &e[i].target, 1);
        wf__agent *ag = &doc->agents[deleter];
        if (e[i].dlast < ag->dnext)
            continue; /* held: logged already (or below a floor) */
        wf__dentry x = e[i];
        if (x.dseq < ag->dnext)
            x.dseq = ag->dnext;
        dlog_insert(ag, x);
        advance(ag);
    }
}

void wf__dlog_floor(wf_doc *doc, uint32_t agent, uint32_t floor)
{
    wf__agent *ag = &doc->agents[agent];
    if (floor <= ag->dnext)
        return;
    /* Deletions below floor are held, but not all in the log. */
    ag->dnext = floor;
    if (floor > ag->dlog_start)
        ag->dlog_start = floor;
    advance(ag);
}
