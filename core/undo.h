/* Local undo and redo (CRDT.md §3.6, Yjs UndoManager semantics).
 *
 * Only this replica's own edits are recorded, never remote ones. Consecutive edits less
 * than WF_UNDO_GROUP_MS apart (by the clock given to wf_doc_set_time()) form one undo
 * step; wf_doc_undo_break() ends a step early (the editor calls it on a cursor jump). Undo
 * deletes what the step inserted (if still there) and re-inserts what it deleted, as new
 * units placed where the old ones were, even after others edited around them; the result is
 * an ordinary local edit that reaches peers through wf_doc_flush(). A new edit clears the
 * redo stack. */
#ifndef WEFT_CORE_UNDO_H
#define WEFT_CORE_UNDO_H

#include <stdbool.h>
#include <stdint.h>

#include "core/doc.h"

#define WF_UNDO_GROUP_MS 500

/* Sets the clock (milliseconds, any epoch, non-decreasing) used to group edits. */
void wf_doc_set_time(wf_doc *doc, uint64_t ms);
/* Ends the current undo step: the next edit starts a new one. */
void wf_doc_undo_break(wf_doc *doc);

/* Undo or redo one step. A step that would change nothing (its edits cancelled out, or
 * others already removed its text) is dropped and the next one is taken, as Yjs does. On
 * success *cursor (if not NULL) receives the position where the change happened (after
 * re-inserted text, or where text was removed). Errors: WF_EEMPTY, when no step would change
 * anything. */
WF_MUST_CHECK int wf_doc_undo(wf_doc *doc, size_t *cursor);
WF_MUST_CHECK int wf_doc_redo(wf_doc *doc, size_t *cursor);
/* Where the undo history stands: a value that changes with every local edit (one that joins
 * the current step too), undo and redo, and comes back when undo and redo bring the
 * history back to the same steps. Equal positions of one document mean the same text as
 * far as this replica's own edits go (others' edits are not counted: see
 * wf_doc_revision()); a step that undo skips because it changes nothing can make equal
 * texts have different positions, never the reverse. 0 for an empty history. O(1). */
uint64_t wf_doc_undo_position(const wf_doc *doc);
/* Would wf_doc_undo()/wf_doc_redo() change anything? O(size of the steps looked at). */
bool wf_doc_can_undo(const wf_doc *doc);
bool wf_doc_can_redo(const wf_doc *doc);

#endif
