/* The document: a sequence CRDT of text (FugueMax order, run-length encoded, tree indexed).
 *
 * Units: every position and length in this API counts *units* (code points, or single
 * invalid bytes: see core/utf8.h) of the *visible* text, unless it says bytes. Lines count
 * '\n' bytes; line k (0-based) starts after the k-th newline.
 *
 * Every inserted unit has an ID (agent, seq). A document is one replica: its local edits
 * use its own agent, whose seqs count up from 0. Remote edits arrive as encoded updates
 * (core/codec.h). Deleted units stay as tombstones so that concurrent edits still find
 * their place. See ../shared/CRDT.md for the algorithm and its sources.
 *
 * A wf_doc is not thread-safe; all calls on one document must come from one thread. */
#ifndef WEFT_CORE_DOC_H
#define WEFT_CORE_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/vv.h"

typedef struct wf_doc wf_doc;

/* The ID of one inserted unit. IDs order by agent, then seq. */
typedef struct wf_id {
    uint64_t agent; /* random per replica session */
    uint32_t seq;   /* 0-based count of that agent's inserted units */
} wf_id;

/* "No position": returned by queries that have no answer. */
#define WF_NOPOS SIZE_MAX

/* Hard limit on the units one agent may insert (seq is 32 bits). */
#define WF_MAX_SEQ UINT32_MAX

/* Returns a new empty document whose local edits are made as `agent`; free with
 * wf_doc_free(). `agent` must be unique per editing session (choose it at random). */
wf_doc *wf_doc_new(uint64_t agent);
void wf_doc_free(wf_doc *doc);
uint64_t wf_doc_agent(const wf_doc *doc);

/* Loads the initial content: doc must be new (no edits, nothing applied). The bytes become
 * one insert run by the local agent, whatever their size (no per-unit cost beyond one
 * counting pass). They are the document's base state: not an undo step, and not part of the
 * next wf_doc_flush() (peers receive them with wf_doc_encode_diff()). Takes ownership of buf
 * (allocated with malloc; len bytes used), also on error. Errors: WF_EINVAL (doc not new),
 * WF_ETOOBIG (more than WF_MAX_SEQ units or 4 GiB). */
WF_MUST_CHECK int wf_doc_load(wf_doc *doc, char *buf, size_t len);

/* Sizes of the visible text. */
size_t wf_doc_len(const wf_doc *doc);         /* units */
uint64_t wf_doc_bytes(const wf_doc *doc);     /* bytes */
size_t wf_doc_newlines(const wf_doc *doc);    /* '\n' bytes; the text has newlines+1 lines */

/* Inserts the bytes text[0..nbytes) (segmented into units) before the unit at pos
 * (0 <= pos <= len). Errors: WF_EINVAL (pos > len), WF_ETOOBIG (seq space exhausted).
 * nbytes == 0 is a no-op. */
WF_MUST_CHECK int wf_doc_insert(wf_doc *doc, size_t pos, const char *text, size_t nbytes);

/* Deletes n units starting at pos. Errors: WF_EINVAL (pos + n > len). n == 0 is a no-op. */
WF_MUST_CHECK int wf_doc_delete(wf_doc *doc, size_t pos, size_t n);

/* Position conversions. Each is O(log n) plus a scan inside one run of bounded length. */
/* Byte offset of unit pos (pos <= len; len gives the byte length). */
uint64_t wf_doc_pos_to_byte(const wf_doc *doc, size_t pos);
/* The unit containing byte offset b (b <= bytes; bytes gives len). */
size_t wf_doc_byte_to_pos(const wf_doc *doc, uint64_t b);
/* First unit of line `line` (0-based); WF_NOPOS if line > newlines. */
size_t wf_doc_line_start(const wf_doc *doc, size_t line);
/* The 0-based line of unit pos (pos <= len); its column is pos - wf_doc_line_start(). */
size_t wf_doc_line_of(const wf_doc *doc, size_t pos);

/* ID of the visible unit at pos (pos < len). */
wf_id wf_doc_id_at(const wf_doc *doc, size_t pos);
/* Visible position of the unit with this ID. If it is deleted, *visible (if not NULL) is
 * set false and the result is the number of visible units before it. WF_NOPOS when the ID
 * is not (yet) known here. */
size_t wf_doc_pos_of(const wf_doc *doc, wf_id id, bool *visible);

/* The version vector: what this replica holds. Replaces *out. */
void wf_doc_vv(const wf_doc *doc, wf_vv *out);

/* Iteration over the bytes of a range of visible units, in chunks borrowed from the
 * document (no copy). Treat as opaque; any edit or apply of the document invalidates it.
 *
 *     wf_iter it; const char *p; size_t n;
 *     wf_iter_init(&it, doc, pos, count);
 *     while (wf_iter_next(&it, &p, &n)) fwrite(p, 1, n, f);
 */
typedef struct wf_iter {
    const wf_doc *doc;
    uint32_t leaf;     /* current leaf node, or UINT32_MAX when done */
    uint32_t slot;     /* run index within the leaf */
    uint64_t skip;     /* bytes to skip at the start of the current run */
    uint64_t left;     /* bytes still to yield */
} wf_iter;

/* Starts at unit pos (clamped to len) and covers count units (clamped to the end). */
void wf_iter_init(wf_iter *it, const wf_doc *doc, size_t pos, size_t count);
/* Yields the next non-empty chunk; false when the range is exhausted. *p is borrowed. */
bool wf_iter_next(wf_iter *it, const char **p, size_t *nbytes);

/* Returns a new NUL-terminated copy of units [pos, pos+count) (clamped); *nbytes (if not
 * NULL) receives its length without the NUL. Free with free(). */
char *wf_doc_text(const wf_doc *doc, size_t pos, size_t count, size_t *nbytes);

/* Recomputes every count, link and index from the leaves and compares (CRDT.md T21).
 * Returns 0, or WF_ECORRUPT with a description written to msg (if msg && size). O(n). */
WF_MUST_CHECK int wf_doc_check(const wf_doc *doc, char *msg, size_t size);

/* Memory held by the document's structures, in bytes (allocated capacity, not just used:
 * tree nodes, runs, indexes, text logs, queues, undo history). */
size_t wf_doc_memory(const wf_doc *doc);

/* A number that changes whenever the visible text may have changed (local edits, remote
 * updates, undo): equal revisions of one document mean the same text. For caches of
 * things computed from the text. */
uint64_t wf_doc_revision(const wf_doc *doc);
/* The lowest position (units) at which the visible text changed since the previous call
 * (local edits, remote updates, undo, loads; a new document counts as changed at 0), or
 * WF_NOPOS when it did not; the next call starts afresh. The text before it is the same
 * as at the previous call, so a cache of things computed line by line (syntax colours)
 * keeps what lies above wf_doc_line_of() of it. The answer may be lower than the true one
 * (the start of the piece of text changed), never higher. One consumer per document. */
size_t wf_doc_take_lowest_change(wf_doc *doc);

/* Number of runs in the content tree (a diagnostic for benchmarks and tests). */
size_t wf_doc_runs(const wf_doc *doc);

#endif
