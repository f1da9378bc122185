/* A naive reference implementation of the sequence CRDT of CRDT.md §1: the oracle of the
 * differential (T19) and conformance (T18) tests.
 *
 * One array of units in document order, tombstones included, each with its ID and origins;
 * every lookup is a linear scan, so operations cost O(n) to O(n^2). It shares no code with
 * core/ (only the wf_id type): its own UTF-8 segmentation, its own integrate, its own op
 * format (wt_nop, never encoded), so agreement with the core means something.
 *
 * Usage: local edits append ID-form ops to a wt_nops; another replica integrates them with
 * wt_naive_apply(), in any order, any number of times. */
#ifndef WEFT_TESTS_NAIVE_H
#define WEFT_TESTS_NAIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/doc.h" /* wf_id only */

enum wt_nref_kind { WT_NREF_START, WT_NREF_END, WT_NREF_ID };

/* An origin: a unit's ID, or one of the sentinels. */
typedef struct wt_nref {
    uint8_t kind; /* enum wt_nref_kind */
    wf_id id;     /* when kind == WT_NREF_ID */
} wt_nref;

enum wt_nop_kind { WT_NOP_INSERT, WT_NOP_DELETE };

/* One ID-form op. An insert of len units has IDs (id.agent, id.seq .. id.seq+len-1); unit 0
 * has origin-left ol, unit k > 0 has the previous unit; all share origin-right or. A delete
 * marks the len units with IDs (id.agent, id.seq ..) deleted. */
typedef struct wt_nop {
    uint8_t kind;  /* enum wt_nop_kind */
    wf_id id;      /* first ID */
    uint32_t len;  /* units, >= 1 */
    wt_nref ol;    /* insert: origin-left of the first unit */
    wt_nref or;    /* insert: origin-right of every unit */
    char *bytes;   /* insert: the units' bytes, owned; NULL for deletes */
    size_t nbytes; /* insert: bytes */
} wt_nop;

/* A list of ops: one local transaction, or anything to deliver. */
typedef struct wt_nops {
    wt_nop *v;  /* owned */
    size_t n;   /* in use */
    size_t cap; /* allocated */
} wt_nops;

void wt_nops_init(wt_nops *ops);
void wt_nops_free(wt_nops *ops);
void wt_nops_clear(wt_nops *ops);
/* Appends deep copies of src's ops to dst. */
void wt_nops_append(wt_nops *dst, const wt_nops *src);

typedef struct wt_naive wt_naive;

/* A new empty replica whose local edits use `agent` (seqs from 0). Free with
 * wt_naive_free(). */
wt_naive *wt_naive_new(uint64_t agent);
void wt_naive_free(wt_naive *d);

/* Local insert of text[0..nbytes) (segmented into units) before visible unit pos; appends
 * one insert op to out (if not NULL). Returns 0, or -1 if pos > length. nbytes == 0: no-op. */
int wt_naive_insert(wt_naive *d, size_t pos, const char *text, size_t nbytes, wt_nops *out);

/* Local delete of visible units [pos, pos+n); appends delete ops to out (if not NULL).
 * Returns 0, or -1 if the range is out of bounds. */
int wt_naive_delete(wt_naive *d, size_t pos, size_t n, wt_nops *out);

/* Integrates ops (CRDT.md §1.3, unit by unit), in any order: known units are dropped,
 * ops whose dependencies are missing wait in the pending queue, which is retried until it
 * stops shrinking. Returns 0, or -1 if a known ID arrives with different content (the
 * replica is then unchanged by that unit). */
int wt_naive_apply(wt_naive *d, const wt_nops *ops);

/* Units (and delete targets) waiting for dependencies. */
size_t wt_naive_pending(const wt_naive *d);

/* Visible units. */
size_t wt_naive_len(const wt_naive *d);
/* All units, tombstones included. */
size_t wt_naive_all(const wt_naive *d);
/* New NUL-terminated copy of the visible text; *nbytes (if not NULL) gets its length. */
char *wt_naive_text(const wt_naive *d, size_t *nbytes);
/* ID of the visible unit at pos (pos < length). */
wf_id wt_naive_id_at(const wt_naive *d, size_t pos);
/* Index in the tombstone-inclusive list of the unit with this ID, or SIZE_MAX. */
size_t wt_naive_rank(const wt_naive *d, wf_id id);
/* ID and deleted flag of the unit at rank i (i < wt_naive_all()). */
wf_id wt_naive_id_at_rank(const wt_naive *d, size_t i, bool *deleted);
/* Next seq of the local agent = units it has inserted. */
uint32_t wt_naive_next_seq(const wt_naive *d);

#endif
