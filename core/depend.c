/* Whether an update is complete against a document: every unit it refers to (a run's
 * predecessor in its agent's sequence, its origins, the units it deletes) is either in the
 * document already or in the update itself, with no cycle among the update's own runs.
 *
 * A replica that takes updates from many peers must hold ones whose dependencies have not
 * arrived yet (wf_doc_apply). A host relaying its guests' edits need not: each guest only
 * ever depends on what the host sent it, so a guest's update that is not complete is
 * malformed or hostile, and would otherwise wait in every replica's pending queue forever.
 * wf_doc_apply_complete() refuses it instead. */
#include <stdlib.h>
#include <string.h>

#include "core/doc-internal.h"
#include "core/error.h"
#include "core/mem.h"

typedef struct keyed {
    uint64_t key;             /* agent << 32 | seq */
    uint32_t piece;
} keyed;

typedef struct dep_ctx {
    const wf__piece *pieces;  /* agent fields are message agent indexes */
    const keyed *order;       /* the pieces sorted by (agent, seq) */
    size_t n;
    const uint32_t *known;    /* per message agent: the document's next seq */
} dep_ctx;

static int by_key(const void *a, const void *b)
{
    uint64_t x = ((const keyed *)a)->key, y = ((const keyed *)b)->key;
    return x < y ? -1 : x > y;
}

/* Where unit (agent, seq) comes from: -1 when the document has it, the index of the piece
 * holding it, or -2 when nobody has it. */
static long long source_of(const dep_ctx *c, uint32_t agent, uint32_t seq)
{
    if (seq < c->known[agent])
        return -1;
    uint64_t key = (uint64_t)agent << 32 | seq;
    size_t lo = 0, hi = c->n; /* first piece after (agent, seq) */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->order[mid].key <= key)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return -2;
    uint32_t i = c->order[lo - 1].piece;
    const wf__piece *p = &c->pieces[i];
    if (p->agent == agent && (uint64_t)seq < (uint64_t)p->seq + p->len)
        return i;
    return -2;
}

/* The pieces piece i waits for (at most 3), into out; -2 in *missing when one is nowhere. */
static int deps_of(const dep_ctx *c, uint32_t i, uint32_t out[3], bool *missing)
{
    const wf__piece *x = &c->pieces[i];
    int k = 0;
    if (x->seq < c->known[x->agent])
        return 0; /* its start is held: trimmed to what follows, it needs nothing new */
    wf__lid need[3];
    int nneed = 0;
    if (x->seq > 0)
        need[nneed++] = (wf__lid){x->agent, x->seq - 1};
    if (!wf__lid_is_none(x->ol))
        need[nneed++] = x->ol;
    if (!wf__lid_is_none(x->or))
        need[nneed++] = x->or;
    for (int j = 0; j < nneed; j++) {
        long long s = source_of(c, need[j].agent, need[j].seq);
        if (s == -2)
            *missing = true;
        else if (s >= 0)
            out[k++] = (uint32_t)s;
    }
    return k;
}

/* Depth-first search for a cycle among the pieces (a piece waiting, through others, for
 * itself would never integrate). Iterative: updates can hold millions of pieces. */
static int find_cycle(const dep_ctx *c)
{
    enum { WHITE, GREY, BLACK };
    uint8_t *colour = wf_trymalloc(c->n ? c->n : 1);
    typedef struct frame {
        uint32_t piece;
        uint8_t next, ndeps;
        uint32_t deps[3];
    } frame;
    frame *stack = wf_trymalloc((c->n ? c->n : 1) * sizeof *stack);
    if (!colour || !stack) {
        free(colour);
        free(stack);
        return WF_ENOMEM;
    }
    memset(colour, WHITE, c->n);
    int err = 0;
    for (size_t root = 0; root < c->n && !err; root++) {
        if (colour[root] != WHITE)
            continue;
        size_t top = 0;
        bool missing = false;
        stack[0] = (frame){.piece = (uint32_t)root};
        stack[0].ndeps = (uint8_t)deps_of(c, (uint32_t)root, stack[0].deps, &missing);
        colour[root] = GREY;
        top = 1;
        while (top && !err) {
            frame *f = &stack[top - 1];
            if (f->next == f->ndeps) {
                colour[f->piece] = BLACK;
                top--;
                continue;
            }
            uint32_t d = f->deps[f->next++];
            if (colour[d] == GREY) {
                err = WF_EDEPEND;
            } else if (colour[d] == WHITE) {
                colour[d] = GREY;
                stack[top] = (frame){.piece = d};
                stack[top].ndeps = (uint8_t)deps_of(c, d, stack[top].deps, &missing);
                top++;
            }
        }
        if (missing)
            err = WF_EDEPEND;
    }
    free(stack);
    free(colour);
    return err;
}

int wf__check_complete(const wf_doc *doc, const uint64_t *agents, uint32_t nagents,
                       const wf__piece *pieces, size_t npieces, const wf__range *dels,
                       size_t ndels)
{
    uint32_t *known = wf_trymalloc((nagents ? nagents : 1) * sizeof *known);
    uint64_t *cover = wf_trymalloc((nagents ? nagents : 1) * sizeof *cover);
    keyed *order = wf_trymalloc((npieces ? npieces : 1) * sizeof *order);
    int err = known && cover && order ? 0 : WF_ENOMEM;
    if (err)
        goto out;
    for (uint32_t i = 0; i < nagents; i++) {
        uint32_t a = wf__agent_find(doc, agents[i]);
        known[i] = a == WF_NONE ? 0 : doc->agents[a].next;
        cover[i] = known[i];
    }
    for (size_t i = 0; i < npieces; i++)
        order[i] = (keyed){(uint64_t)pieces[i].agent << 32 | pieces[i].seq, (uint32_t)i};
    qsort(order, npieces, sizeof *order, by_key);
    dep_ctx c = {pieces, order, npieces, known};
    /* Pieces of one agent must not overlap (no encoder makes such an update): then each
     * unit has one source, and an agent's new pieces, each needing its predecessor, cover
     * one contiguous range from the document's next seq. */
    for (size_t i = 0; i < npieces && !err; i++) {
        const wf__piece *p = &pieces[order[i].piece];
        uint64_t end = (uint64_t)p->seq + p->len;
        if (i > 0) {
            const wf__piece *q = &pieces[order[i - 1].piece];
            if (q->agent == p->agent && (uint64_t)q->seq + q->len > p->seq)
                err = WF_EDEPEND;
        }
        if (end > cover[p->agent])
            cover[p->agent] = end;
    }
    for (size_t i = 0; i < ndels && !err; i++)
        if ((uint64_t)dels[i].seq + dels[i].len > cover[dels[i].agent])
            err = WF_EDEPEND;
    if (!err)
        err = find_cycle(&c);
out:
    free(known);
    free(cover);
    free(order);
    return err;
}
