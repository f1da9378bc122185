/* Equivocation: an update that says something else about a unit than what was already
 * accepted (CRDT.md §3.2, "a known ID arriving with different content").
 *
 * A unit is fixed by its ID: its origin-left, its origin-right and its text never change.
 * An update that reuses an ID with other origins or other text is a peer lying (or a reused
 * agent id), and taking it as a duplicate would leave replicas that saw the two versions in
 * different orders with different documents, for ever. So every claim an update makes about
 * a unit is compared with what the document holds about it: integrated units (origins
 * always, text when both sides have it; a tombstone received without text cannot be
 * compared), and units waiting in the pending queue. Within one update no encoder lists a
 * unit twice, so two of its pieces that overlap are malformed.
 *
 * Comparing origins needs no lookup per unit: inside a piece, every unit's origin-left is
 * the unit before it and all share one origin-right, as inside a run. So per stretch that
 * lies in one run of the document (or one other piece) it is enough to compare the first
 * unit's origin-left and the shared origin-right, then the bytes. */
#include <stdlib.h>
#include <string.h>

#include "core/doc-internal.h"
#include "core/error.h"
#include "core/mem.h"
#include "core/utf8.h"

/* An origin by agent id (0 agent with is_set false: a sentinel). */
typedef struct origin {
    uint64_t agent;
    uint32_t seq;
    bool set;
} origin;

static bool origin_eq(origin a, origin b)
{
    return a.set == b.set && (!a.set || (a.agent == b.agent && a.seq == b.seq));
}

/* What one piece (of the update, or pending) says about units [seq, seq+len) of agent. */
typedef struct claim {
    uint64_t agent;     /* agent id */
    uint32_t seq, len;
    origin ol, or;      /* ol: of the first unit */
    const char *text;   /* NULL when the piece travels without text (deleted) */
    uint64_t nbytes;
    bool pending;       /* from the pending queue (else from the update) */
} claim;

static origin doc_origin(const wf_doc *doc, wf__lid id)
{
    if (wf__lid_is_none(id))
        return (origin){0, 0, false};
    return (origin){doc->agents[id.agent].id, id.seq, true};
}

static origin msg_origin(const uint64_t *agents, wf__lid id)
{
    if (wf__lid_is_none(id))
        return (origin){0, 0, false};
    return (origin){agents[id.agent], id.seq, true};
}

/* Byte offset of unit k of a claim's text; ASCII texts need no scan. */
static uint64_t claim_offset(const claim *c, uint32_t k)
{
    if (c->nbytes == c->len)
        return k;
    return wf_utf8_offset(c->text, (size_t)c->nbytes, k);
}

/* Do a claim and the document agree on the units of it that the document holds? */
static int check_against_doc(const wf_doc *doc, const claim *c)
{
    uint32_t a = wf__agent_find(doc, c->agent);
    if (a == WF_NONE || c->seq >= doc->agents[a].next)
        return 0;
    uint32_t next = doc->agents[a].next;
    uint32_t seq = c->seq, end = c->seq + c->len < next ? c->seq + c->len : next;
    uint64_t byte = 0; /* offset of unit seq in c->text */
    while (seq < end) {
        wf__pos p;
        uint32_t off;
        if (!wf__find_id(doc, wf__lid_make(a, seq), &p, &off))
            return WF_ECONFLICT;
        const wf__run *r = &doc->leaves[p.leaf].runs[p.slot];
        uint32_t take = r->len - off < end - seq ? r->len - off : end - seq;
        origin ol_doc = off ? (origin){c->agent, seq - 1, true} : doc_origin(doc, r->ol);
        origin ol_claim = seq == c->seq ? c->ol : (origin){c->agent, seq - 1, true};
        if (!origin_eq(ol_doc, ol_claim) || !origin_eq(doc_origin(doc, r->or), c->or))
            return WF_ECONFLICT;
        if (c->text) {
            uint64_t stop = c->nbytes == c->len
                                ? byte + take
                                : byte + wf_utf8_offset(c->text + byte,
                                                        (size_t)(c->nbytes - byte), take);
            if (r->text != WF_NOTEXT) {
                uint64_t b0, b1;
                uint32_t nl;
                wf__run_locate(doc, r, off, &b0, &nl);
                wf__run_locate(doc, r, off + take, &b1, &nl);
                if (b1 - b0 != stop - byte
                    || memcmp(wf__run_text(doc, r) + b0, c->text + byte, (size_t)(b1 - b0)))
                    return WF_ECONFLICT;
            }
            byte = stop;
        }
        seq += take;
    }
    return 0;
}

/* Do two claims on one agent, c starting at or after r, agree where they overlap? */
static int check_pair(const claim *r, const claim *c)
{
    uint64_t r_end = (uint64_t)r->seq + r->len, c_end = (uint64_t)c->seq + c->len;
    if (c->seq >= r_end)
        return 0;
    if (!r->pending && !c->pending)
        return WF_EDECODE; /* one update listing a unit twice */
    origin ol_r = c->seq == r->seq ? r->ol : (origin){r->agent, c->seq - 1, true};
    if (!origin_eq(ol_r, c->ol) || !origin_eq(r->or, c->or))
        return WF_ECONFLICT;
    if (r->text && c->text) {
        uint32_t n = (uint32_t)((r_end < c_end ? r_end : c_end) - c->seq);
        uint64_t rb = claim_offset(r, c->seq - r->seq);
        uint64_t rn = r->nbytes == r->len ? n
                                          : wf_utf8_offset(r->text + rb,
                                                           (size_t)(r->nbytes - rb), n);
        if (claim_offset(c, n) != rn || memcmp(r->text + rb, c->text, (size_t)rn))
            return WF_ECONFLICT;
    }
    return 0;
}

static int claim_cmp(const void *x, const void *y)
{
    const claim *a = x, *b = y;
    if (a->agent != b->agent)
        return a->agent < b->agent ? -1 : 1;
    if (a->seq != b->seq)
        return a->seq < b->seq ? -1 : 1;
    return (int)a->pending - (int)b->pending;
}

/* Sorts the claims by (agent, seq) and compares each with the earlier claim that reaches
 * furthest: any unit two claims share is also covered by that one, so agreeing with it
 * pairwise is agreeing with all. */
static int check_overlaps(claim *cl, size_t n)
{
    qsort(cl, n, sizeof *cl, claim_cmp);
    size_t reach = 0;
    for (size_t i = 1; i < n; i++) {
        const claim *r = &cl[reach], *c = &cl[i];
        if (r->agent != c->agent) {
            reach = i;
            continue;
        }
        int err = check_pair(r, c);
        if (err)
            return err;
        if ((uint64_t)c->seq + c->len > (uint64_t)r->seq + r->len)
            reach = i;
    }
    /* Two pieces of the update can still overlap below a pending claim that reaches over
     * both: check the update's own claims once more on their own. */
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!cl[i].pending)
            cl[k++] = cl[i];
    for (size_t i = 1; i < k; i++)
        if (cl[i].agent == cl[i - 1].agent
            && (uint64_t)cl[i - 1].seq + cl[i - 1].len > cl[i].seq)
            return WF_EDECODE;
    return 0;
}

int wf__check_conflicts(const wf_doc *doc, const uint64_t *agents, const wf__piece *pieces,
                        size_t npieces, bool in_seq_order)
{
    int err = 0;
    for (size_t i = 0; i < npieces && !err; i++) {
        const wf__piece *x = &pieces[i];
        claim c = {agents[x->agent], x->seq, x->len, msg_origin(agents, x->ol),
                   msg_origin(agents, x->or), x->deleted ? NULL : x->text, x->nbytes, false};
        err = check_against_doc(doc, &c);
    }
    /* Pieces that list each agent's units in increasing order cannot overlap one another;
     * without pending pieces there is nothing else to compare with. */
    if (err || (in_seq_order && doc->pend_live == 0))
        return err;
    size_t n = npieces + doc->pend_live;
    claim *cl = wf_trymalloc((n ? n : 1) * sizeof *cl);
    if (!cl)
        return WF_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < npieces; i++) {
        const wf__piece *x = &pieces[i];
        cl[k++] = (claim){agents[x->agent], x->seq, x->len, msg_origin(agents, x->ol),
                          msg_origin(agents, x->or), x->deleted ? NULL : x->text, x->nbytes,
                          false};
    }
    for (uint32_t i = 0; i < doc->npend; i++) {
        const wf__pend *pd = &doc->pend[i];
        if (!pd->live)
            continue;
        const wf__piece *x = &pd->p;
        cl[k++] = (claim){doc->agents[x->agent].id, x->seq, x->len, doc_origin(doc, x->ol),
                          doc_origin(doc, x->or), x->deleted ? NULL : x->text, x->nbytes,
                          true};
    }
    err = check_overlaps(cl, k);
    free(cl);
    return err;
}
