/* Updates: the encoded form of a set of inserts and deletes, for the wire and for disk.
 *
 * An update lists insert runs (agent, seq, length, origins, text) and a delete set (ID
 * ranges). Applying one is idempotent and order-independent: runs already held are
 * dropped, partly held runs are trimmed, and runs or deletes whose dependencies have not
 * arrived wait in a pending queue until they do. Deleted runs travel without their text.
 * The format is CRDT.md §3.2 compacted into columns: version 2, described in core/wire2.c
 * (read it before changing it). Updates of version 1 (core/wire1.c), which old journals
 * hold, are still read; nothing writes them any more. */
#ifndef WEFT_CORE_CODEC_H
#define WEFT_CORE_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/doc.h"
#include "core/vv.h"

/* Largest update wf_doc_apply() accepts, in bytes. */
#define WF_MAX_UPDATE ((size_t)1 << 32)

/* Appends to out an update holding everything doc has that a replica at `since` lacks:
 * every run with seq >= since[agent] (trimmed; deleted ones flagged, without text), plus
 * the deletions it lacks by their numbers (since's dels: core/dellog.c), so that k missing
 * edits cost O(k) bytes; when doc's logs do not reach back that far, every deletion of a
 * unit below since[agent] instead. since == NULL (or empty) encodes the whole state, in
 * document order, which a replica that holds nothing loads without searching. */
void wf_doc_encode_diff(const wf_doc *doc, const wf_vv *since, wf_buf *out);

/* Appends to out the local edits made since the previous flush (or since the document was
 * created): its new units, and its new deletions (each one numbered, core/dellog.c), then
 * forgets them; appends nothing and returns 0 when there are none. Returns the number of
 * bytes appended. */
size_t wf_doc_flush(wf_doc *doc, wf_buf *out);

/* Validates the whole update, then integrates it. Errors (document unchanged):
 * WF_EDECODE (malformed), WF_ECONFLICT (an ID already held or pending, with other
 * origins or other text: core/conflict.c),
 * WF_ETOOBIG (too large, or the pending queue would exceed its limit), WF_ENOMEM. */
WF_MUST_CHECK int wf_doc_apply(wf_doc *doc, const uint8_t *data, size_t n);

/* Like wf_doc_apply(), but refuses with WF_EDEPEND (document unchanged) an update that
 * refers to a unit neither the document nor the update holds, or whose runs wait for each
 * other: one that would stay pending. For a host taking its guests' edits (every guest
 * depends only on what the host sent it), not for updates relayed out of order. */
WF_MUST_CHECK int wf_doc_apply_complete(wf_doc *doc, const uint8_t *data, size_t n);

/* Number of insert runs and delete ranges waiting for dependencies. */
size_t wf_doc_pending(const wf_doc *doc);

#endif
