/* Loading a full state into an empty document (a joining guest, a recovering host).
 *
 * A full state lists the sender's runs in document order, so its order *is* L: the tree is
 * built bottom-up from it with no integration and no search (tree.c wf__tree_bulk_load).
 * What remains is bookkeeping that is linear in the number of runs:
 *
 *   - the runs must tile every agent's seqs from 0 (else the state is not a snapshot and the
 *     caller integrates it the general way). A radix sort by (agent, seq) checks that and
 *     gives the order the ID index is built in;
 *   - every origin must be a unit of the state: once the tiling holds, that is a comparison
 *     with the agent's total, no lookup;
 *   - the text: the visible text arrives as one block in document order, and becomes the
 *     agents' logs as it is, in document order (a log needs no seq order: a run's text is
 *     contiguous in it, and checkpoints are looked up by seq). With one agent, and a block
 *     the decoder allocated, the block itself is adopted as the log: no copy at all.
 *
 * Nothing is left to build later: right after the load the document takes local edits and
 * remote updates like one built by integration (check_codec's load tests). */
#include <stdlib.h>
#include <string.h>

#include "core/doc-internal.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "core/wire.h"

#define RADIX_BITS 11

/* Sorts idx[0..n) by key[idx[i]] (LSD radix, 11 bits a pass, over the bits that differ
 * between keys only: one or two passes for a document of one agent). tmp has room for n. */
static void radix_sort(const uint64_t *key, uint32_t *idx, uint32_t *tmp, size_t n)
{
    uint64_t all_or = 0, all_and = ~(uint64_t)0;
    for (size_t i = 0; i < n; i++) {
        all_or |= key[i];
        all_and &= key[i];
        idx[i] = (uint32_t)i;
    }
    uint64_t varies = all_or ^ all_and;
    unsigned lo = 0;
    while (lo < 64 && !((varies >> lo) & 1))
        lo++;
    uint32_t *src = idx, *dst = tmp;
    for (unsigned shift = lo; shift < 64 && (varies >> shift); shift += RADIX_BITS) {
        uint32_t count[1u << RADIX_BITS] = {0}, mask = (1u << RADIX_BITS) - 1;
        for (size_t i = 0; i < n; i++)
            count[(key[i] >> shift) & mask]++;
        uint32_t at = 0;
        for (unsigned b = 0; b <= mask; b++) {
            uint32_t c = count[b];
            count[b] = at;
            at += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(key[src[i]] >> shift) & mask]++] = src[i];
        uint32_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != idx)
        memcpy(idx, src, n * sizeof *idx);
}

/* Does the sorted order tile every agent's seqs from 0 (key: agent << 32 | seq, end: seq +
 * len, per run)? Sets next[a] to each agent's end. */
static bool tiles(const uint64_t *key, const uint32_t *end, const uint32_t *order, size_t n,
                  uint32_t *next)
{
    for (size_t k = 0; k < n; k++) {
        uint32_t i = order[k], a = (uint32_t)(key[i] >> 32);
        if ((uint32_t)key[i] != next[a])
            return false;
        next[a] = end[i];
    }
    return true;
}

static bool origin_ok(wf__lid id, const uint32_t *next)
{
    return wf__lid_is_none(id) || id.seq < next[id.agent];
}

static int ckpt_cmp(const void *a, const void *b)
{
    const wf__ckpt *x = a, *y = b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The newlines of a text block whose runs' texts come one after another: each run's count,
 * found by walking from one newline to the next (a memchr per newline, none per run). */
typedef struct nl_cursor {
    const char *next, *end; /* the next newline at or after the current run, or NULL */
} nl_cursor;

static void nl_init(nl_cursor *c, const char *block, uint64_t n)
{
    c->end = block + n;
    c->next = n ? memchr(block, '\n', (size_t)n) : NULL;
}

/* The newlines in [s, s+n), the run after the previous one asked about. */
static uint32_t nl_take(nl_cursor *c, const char *s, uint64_t n)
{
    uint32_t k = 0;
    while (c->next && c->next < s + n) {
        k++;
        c->next = memchr(c->next + 1, '\n', (size_t)(c->end - c->next - 1));
    }
    return k;
}

/* Does a run of units [seq, seq+len) hold a checkpoint's unit (a multiple of
 * WF_CKPT_EVERY)? */
static bool has_checkpoint(uint32_t seq, uint32_t len)
{
    uint64_t m = ((uint64_t)seq + WF_CKPT_EVERY - 1) / WF_CKPT_EVERY * WF_CKPT_EVERY;
    return m < (uint64_t)seq + len;
}

static void map_run(wf__run *r, const uint32_t *map)
{
    r->agent = map[r->agent];
    if (!wf__lid_is_none(r->ol))
        r->ol.agent = map[r->ol.agent];
    if (!wf__lid_is_none(r->or))
        r->or.agent = map[r->or.agent];
}

/* Maps each run's agents to the document's, makes the agents' logs from the text block and
 * points each run at its text there, in one pass over the leaves. With one agent, and an
 * owned block, the block is the log: the runs' offsets into it are already right. */
static void place_text(wf_doc *doc, wf__decoded *d, const uint32_t *map, wf__counts *lc)
{
    uint64_t *need = wf_xcalloc(doc->nagents, sizeof *need);
    uint32_t only = WF_NONE;
    bool one = true;
    /* One agent (the usual state): it wrote all the text, and its runs are mapped in the
     * pass below. Else a pass first, to size each agent's log. */
    if (d->nagents == 1) {
        only = map[0];
        need[only] = d->text_len;
    }
    for (size_t l = 0, i = 0; d->nagents > 1 && i < d->nruns; l++)
        for (uint32_t k = 0; k < WF_LOAD_FILL && i < d->nruns; k++, i++) {
            wf__run *r = &d->leaves[l].runs[k];
            map_run(r, map);
            if (!r->deleted) {
                need[r->agent] += r->nbytes;
                one = one && (only == WF_NONE || only == r->agent);
                only = r->agent;
            }
        }
    bool adopt = d->text && one && only != WF_NONE && need[only] == d->text_len
                 && doc->agents[only].log_len == 0;
    for (uint32_t a = 0; a < doc->nagents; a++) {
        wf__agent *ag = &doc->agents[a];
        if (adopt && a == only) {
            free(ag->log);
            ag->log = d->text;
            ag->log_cap = d->text_len;
            d->text = NULL;
        } else if (need[a] > ag->log_cap - ag->log_len) {
            ag->log = wf_xrealloc(ag->log, (size_t)(ag->log_len + need[a]));
            ag->log_cap = ag->log_len + need[a];
        }
    }
    free(need);
    wf__agent *one_ag = adopt ? &doc->agents[only] : NULL;
    uint32_t nl_before = 0; /* adopted: the log's newlines before the run */
    const char *base = adopt ? one_ag->log : d->text_base;
    nl_cursor nc;
    nl_init(&nc, base, d->text_len);
    for (size_t l = 0, i = 0; i < d->nruns; l++) {
        lc[l] = (wf__counts){0, 0, 0, 0};
        for (uint32_t k = 0; k < WF_LOAD_FILL && i < d->nruns; k++, i++) {
            wf__run *r = &d->leaves[l].runs[k];
            if (d->nagents == 1)
                map_run(r, map);
            lc[l].all += r->len;
            if (r->deleted) {
                r->text = WF_NOTEXT;
                r->nbytes = 0;
                continue;
            }
            lc[l].vis += r->len;
            lc[l].bytes += r->nbytes;
            if (!adopt) {
                wf__agent *ag = &doc->agents[r->agent];
                memcpy(ag->log + ag->log_len, base + r->text, r->nbytes);
                r->nl = nl_take(&nc, base + r->text, r->nbytes);
                lc[l].nl += r->nl;
                r->text = wf__log_take(doc, r->agent, r->seq, r->len, r->nbytes, r->nl);
                continue;
            }
            r->nl = nl_take(&nc, base + r->text, r->nbytes);
            lc[l].nl += r->nl;
            if (has_checkpoint(r->seq, r->len)) {
                one_ag->log_len = r->text; /* as if the text were appended now */
                one_ag->log_nl = nl_before;
                wf__log_take(doc, only, r->seq, r->len, r->nbytes, r->nl);
            }
            nl_before += r->nl;
        }
    }
    if (adopt) {
        one_ag->log_len = d->text_len;
        one_ag->log_nl = nl_before;
    }
    for (uint32_t a = 0; a < doc->nagents; a++) {
        wf__agent *ag = &doc->agents[a];
        for (uint32_t k = 1; k < ag->nckpt; k++)
            if (ag->ckpt[k].seq < ag->ckpt[k - 1].seq) {
                qsort(ag->ckpt, ag->nckpt, sizeof *ag->ckpt, ckpt_cmp);
                break;
            }
    }
}

int wf__state_check(const wf__decoded *d, wf__state_plan *plan)
{
    size_t n = d->nruns;
    uint64_t *key = plan->key = wf_trymalloc((n ? n : 1) * sizeof *key);
    uint32_t *tmp = wf_trymalloc((n ? n : 1) * sizeof *tmp);
    plan->order = wf_trymalloc((n ? n : 1) * sizeof *plan->order);
    plan->next = wf_trymalloc((d->nagents ? d->nagents : 1) * sizeof *plan->next);
    int err = key && tmp && plan->order && plan->next ? 0 : WF_ENOMEM;
    if (!err) {
        for (size_t l = 0, i = 0; i < n; l++)
            for (uint32_t k = 0; k < WF_LOAD_FILL && i < n; k++, i++) {
                const wf__run *r = &d->leaves[l].runs[k];
                key[i] = (uint64_t)r->agent << 32 | r->seq;
            }
        radix_sort(key, plan->order, tmp, n);
        memset(plan->next, 0, (d->nagents ? d->nagents : 1) * sizeof *plan->next);
        /* The ends, now that tmp is free again. */
        for (size_t l = 0, i = 0; i < n; l++)
            for (uint32_t k = 0; k < WF_LOAD_FILL && i < n; k++, i++)
                tmp[i] = d->leaves[l].runs[k].seq + d->leaves[l].runs[k].len;
        if (!tiles(key, tmp, plan->order, n, plan->next))
            err = 1;
    }
    /* Every origin must be a unit of the state. Their order is not checked: the sender's
     * own document may hold units whose origins a hostile peer chose out of order, and
     * integration placed them deterministically; the state is that same order. */
    for (size_t l = 0, i = 0; i < n && !err; l++)
        for (uint32_t k = 0; k < WF_LOAD_FILL && i < n; k++, i++) {
            const wf__run *r = &d->leaves[l].runs[k];
            if (!origin_ok(r->ol, plan->next) || !origin_ok(r->or, plan->next))
                err = WF_EDECODE;
        }
    free(tmp);
    if (err)
        wf__state_plan_free(plan);
    return err;
}

void wf__state_plan_free(wf__state_plan *plan)
{
    free(plan->key);
    free(plan->order);
    free(plan->next);
    plan->key = NULL;
    plan->order = plan->next = NULL;
}

/* order lists the runs by (message agent, seq); the ID index needs (doc agent, seq), and
 * the two agent numberings need not agree: moves each agent's stretch (already in seq
 * order) to its doc agent's place. d's runs carry doc agents already. */
static void regroup(const wf__decoded *d, const uint32_t *map, uint32_t ndoc, uint32_t *order)
{
    bool monotone = true;
    for (uint32_t a = 1; a < d->nagents; a++)
        monotone = monotone && map[a - 1] < map[a];
    if (monotone || d->nruns == 0)
        return;
    size_t *start = wf_xcalloc((size_t)ndoc + 1, sizeof *start);
    for (size_t k = 0; k < d->nruns; k++)
        start[wf__decoded_run(d, order[k])->agent + 1]++;
    for (uint32_t a = 0; a < ndoc; a++)
        start[a + 1] += start[a];
    uint32_t *out = wf_xreallocarray(NULL, d->nruns, sizeof *out);
    for (size_t k = 0; k < d->nruns; k++)
        out[start[wf__decoded_run(d, order[k])->agent]++] = order[k];
    memcpy(order, out, d->nruns * sizeof *order);
    free(out);
    free(start);
}

void wf__state_load(wf_doc *doc, wf__decoded *d, const uint32_t *map, wf__state_plan *plan)
{
    size_t nleaves = (d->nruns + WF_LOAD_FILL - 1) / WF_LOAD_FILL;
    wf__counts *lc = wf_xreallocarray(NULL, nleaves ? nleaves : 1, sizeof *lc);
    place_text(doc, d, map, lc);
    for (uint32_t a = 0; a < d->nagents; a++)
        doc->agents[map[a]].next = plan->next[a];
    regroup(d, map, doc->nagents, plan->order);
    if (d->nruns > 0) {
        /* The decoded leaves become the tree's (the empty root leaf goes). */
        free(doc->leaves);
        doc->leaves = d->leaves;
        doc->leaves_cap = (uint32_t)d->leaves_cap;
        d->leaves = NULL;
        for (size_t i = 0; i < d->nruns; i++) /* the ID index's keys: doc agents */
            plan->key[i] = (uint64_t)map[plan->key[i] >> 32] << 32 | (uint32_t)plan->key[i];
        wf__tree_bulk_load(doc, d->nruns, plan->order, plan->key, lc);
    }
    free(lc);
    doc->touched = true;
    wf__state_plan_free(plan);
}
