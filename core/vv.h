/* Version vectors: for each agent, how many of its inserted units and of its deletions a
 * replica holds.
 *
 * A replica that holds agent a's units 0..n-1 (and none later) has next = n; one that holds
 * its deletions 0..d-1 (each local delete of a range is one, numbered like units: CRDT.md
 * §3.3 as extended in core/dellog.c) has dels = d. Entries with next == 0 and dels == 0
 * are never stored. Encoding: varuint count, then count x (varuint agent, varuint next,
 * varuint dels) in increasing agent order. */
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
    uint32_t dels;  /* deletions held: 0..dels-1 */
} wf_vv_entry;

typedef struct wf_vv {
    wf_vv_entry *e; /* owned; sorted by agent, no duplicates, next or dels > 0 */
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
uint32_t wf_vv_get_dels(const wf_vv *vv, uint64_t agent);
/* Sets the agent's units (keeping its deletions); the entry goes when both are 0. */
void wf_vv_set(wf_vv *vv, uint64_t agent, uint32_t next);
/* Sets both counts of the agent; the entry goes when both are 0. */
void wf_vv_set2(wf_vv *vv, uint64_t agent, uint32_t next, uint32_t dels);
bool wf_vv_equal(const wf_vv *a, const wf_vv *b);
/* True when a holds everything b holds (units and deletions). */
bool wf_vv_covers(const wf_vv *a, const wf_vv *b);
/* Total units counted (sum of all next). */
uint64_t wf_vv_total(const wf_vv *vv);

void wf_vv_encode(const wf_vv *vv, wf_buf *out);
/* Replaces *vv with the decoded vector. On error (WF_EDECODE: truncated, trailing bytes,
 * unsorted or duplicate agents, an entry with both counts zero) *vv is left unchanged. */
WF_MUST_CHECK int wf_vv_decode(wf_vv *vv, const uint8_t *data, size_t n);

#endif
