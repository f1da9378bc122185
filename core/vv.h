/* Version vectors: for each agent, how many of its inserted units a replica holds.
 *
 * A replica that holds agent a's units 0..n-1 (and none later) has vv[a] = n. Entries with
 * n == 0 are never stored. Encoding: varuint count, then count x (varuint agent,
 * varuint n) in increasing agent order. */
#ifndef WEFT_CORE_VV_H
#define WEFT_CORE_VV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"

typedef struct wf_vv_entry {
    uint64_t agent; /* the agent's random id */
    uint32_t next;  /* units held: seqs 0..next-1 */
} wf_vv_entry;

typedef struct wf_vv {
    wf_vv_entry *e; /* owned; sorted by agent, no duplicates, every next > 0 */
    size_t n;       /* entries in use */
    size_t cap;     /* entries allocated */
} wf_vv;

/* Caller's storage; release with wf_vv_free(). */
void wf_vv_init(wf_vv *vv);
void wf_vv_free(wf_vv *vv);
void wf_vv_clear(wf_vv *vv);
void wf_vv_copy(wf_vv *dst, const wf_vv *src);
/* 0 when the agent has no entry. */
uint32_t wf_vv_get(const wf_vv *vv, uint64_t agent);
/* Sets (next > 0) or removes (next == 0) the agent's entry. */
void wf_vv_set(wf_vv *vv, uint64_t agent, uint32_t next);
bool wf_vv_equal(const wf_vv *a, const wf_vv *b);
/* True when a holds everything b holds. */
bool wf_vv_covers(const wf_vv *a, const wf_vv *b);
/* Total units counted (sum of all next). */
uint64_t wf_vv_total(const wf_vv *vv);

void wf_vv_encode(const wf_vv *vv, wf_buf *out);
/* Replaces *vv with the decoded vector. On error (WF_EDECODE: truncated, trailing bytes,
 * unsorted or duplicate agents, zero counts) *vv is left unchanged. */
WF_MUST_CHECK int wf_vv_decode(wf_vv *vv, const uint8_t *data, size_t n);

#endif
