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

/* Sorts idx[0..n) by key[idx[i]] (LSD radix, 8 bits a pass, skipping bytes that are the
 * same in every key). tmp has room for n entries. */
static void radix_sort(const uint64_t *key, uint32_t *idx, uint32_t *tmp, size_t n)
{
    uint64_t all_or = 0, all_and = ~(uint64_t)0;
    for (size_t i = 0; i < n; i++) {
        all_or |= key[i];
        all_and &= key[i];
        idx[i] = (uint32_t)i;
    }
    uint64_t varies = all_or ^ all_and;
    for (unsigned shift = 0; shift < 64; shift += 8) {
        if (!((varies >> shift) & 0xff))
            continue;
        size_t count[256] = {0};
        for (size_t i = 0; i < n; i++)
            count[(key[idx[i]] >> shift) & 0xff]++;
        size_t at = 0;
        for (unsigned b = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = at;
            at += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[count[(key[idx[i]] >> shift) & 0xff]++] = idx[i];
        memcpy(idx, tmp, n * sizeof *idx);
    }
}

/* Does the sorted order tile every agent's seqs from 0? Sets next[a] to each agent's end. */
static bool tiles(const wf__piece *p, const uint32_t *order, size_t n, uint32_t *next)
{
    for (size_t k = 0; k < n; k++) {
        const wf__piece *x = &p[order[k]];
        if (x->seq != next[x->agent])
            return false;
        next[x->agent] = x->seq + x->len;
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

/* Makes the agents' logs from the block (the visible text of the pieces, in their order) and
 * points each run at its text. With one agent and an owned block, the block is the log. */
static void place_text(wf_doc *doc, const wf__piece *p, size_t n, wf__run *runs,
                       char **block, uint64_t block_len)
{
    uint64_t *need = wf_xcalloc(doc->nagents, sizeof *need);
    uint32_t only = WF_NONE;
    bool one = true;
    for (size_t i = 0; i < n; i++)
        if (!p[i].deleted && p[i].nbytes) {
            need[p[i].agent] += p[i].nbytes;
            one = one && (only == WF_NONE || only == p[i].agent);
            only = p[i].agent;
        }
    bool adopt = *block && one && only != WF_NONE && need[only] == block_len
                 && doc->agents[only].log_len == 0;
    for (uint32_t a = 0; a < doc->nagents; a++) {
        wf__agent *ag = &doc->agents[a];
        if (adopt && a == only) {
            free(ag->log);
            ag->log = *block;
            ag->log_cap = block_len;
            *block = NULL;
        } else if (need[a] > ag->log_cap - ag->log_len) {
            ag->log = wf_xrealloc(ag->log, (size_t)(ag->log_len + need[a]));
            ag->log_cap = ag->log_len + need[a];
        }
    }
    free(need);
    for (size_t i = 0; i < n; i++) {
        const wf__piece *x = &p[i];
        if (x->deleted || !x->nbytes)
            continue;
        wf__agent *ag = &doc->agents[x->agent];
        if (!adopt)
            memcpy(ag->log + ag->log_len, x->text, (size_t)x->nbytes);
        uint32_t nl = (uint32_t)wf_utf8_count_newlines(ag->log + ag->log_len, (size_t)x->nbytes);
        wf__run *r = &runs[i];
        r->nbytes = (uint32_t)x->nbytes;
        r->nl = nl;
        r->text = wf__log_take(doc, x->agent, x->seq, x->len, x->nbytes, nl);
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

int wf__state_check(const wf__piece *p, size_t n, uint32_t nagents, wf__state_plan *plan)
{
    uint64_t *key = wf_trymalloc((n ? n : 1) * sizeof *key);
    uint32_t *tmp = wf_trymalloc((n ? n : 1) * sizeof *tmp);
    plan->order = wf_trymalloc((n ? n : 1) * sizeof *plan->order);
    plan->next = wf_trymalloc((nagents ? nagents : 1) * sizeof *plan->next);
    int err = key && tmp && plan->order && plan->next ? 0 : WF_ENOMEM;
    if (!err) {
        for (size_t i = 0; i < n; i++)
            key[i] = (uint64_t)p[i].agent << 32 | p[i].seq;
        radix_sort(key, plan->order, tmp, n);
        memset(plan->next, 0, (nagents ? nagents : 1) * sizeof *plan->next);
        if (!tiles(p, plan->order, n, plan->next))
            err = 1;
    }
    /* Every origin must be a unit of the state. Their order is not checked: the sender's
     * own document may hold units whose origins a hostile peer chose out of order, and
     * integration placed them deterministically; the state is that same order. */
    for (size_t i = 0; i < n && !err; i++)
        if (!origin_ok(p[i].ol, plan->next) || !origin_ok(p[i].or, plan->next))
            err = WF_EDECODE;
    free(key);
    free(tmp);
    if (err)
        wf__state_plan_free(plan);
    return err;
}

void wf__state_plan_free(wf__state_plan *plan)
{
    free(plan->order);
    free(plan->next);
    plan->order = plan->next = NULL;
}

void wf__state_load(wf_doc *doc, const wf__piece *p, size_t n, const uint32_t *map,
                    uint32_t nagents, wf__state_plan *plan, char **block, uint64_t block_len)
{
    wf__run *runs = wf_xreallocarray(NULL, n ? n : 1, sizeof *runs);
    for (size_t i = 0; i < n; i++)
        runs[i] = (wf__run){.agent = p[i].agent, .deleted = p[i].deleted, .seq = p[i].seq,
                            .len = p[i].len, .text = WF_NOTEXT, .ol = p[i].ol, .or = p[i].or};
    place_text(doc, p, n, runs, block, block_len);
    for (uint32_t a = 0; a < nagents; a++)
        doc->agents[map[a]].next = plan->next[a];
    wf__tree_bulk_load(doc, runs, n, plan->order);
    doc->touched = true;
    free(runs);
    wf__state_plan_free(plan);
}
