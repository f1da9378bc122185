/* Merging a file that changed on disk (a git checkout, a formatter, a build) into its open
 * document, as the host's own edit, so that every screen updates and no one's unsaved edit is
 * overwritten.
 *
 * A three-way line merge. base is the file as the document last loaded or saved it, disk is
 * the file now, and the document's current text holds everyone's edits since base (the host's
 * and the guests', saved or not). Two line diffs (app/project/linediff.h) over base give what
 * the disk changed (its hunks) and what the document changed ("ours"). Each disk hunk that no
 * hunk of ours overlaps is applied where its base lines now stand in the document (found by
 * walking our hunks: the lines between them are unchanged, so their offsets shift by a known
 * amount); where one of ours and one of the disk's overlap (also transitively), the region of
 * the document keeps its text and the disk's text for the same base lines is inserted after
 * it, unless the two are already equal: nothing anyone wrote is lost, and the person sees both.
 * Insertions at one point: the document's come first. A hunk of ours and one of the disk's
 * that only touch (adjacent lines) do not conflict.
 *
 * Why re-diffing base against the current text, rather than core anchors placed at load time:
 * anchors would have to be placed at every line boundary of the file (the hunks are not known
 * until the disk changes), which costs memory for every open file forever; the diff costs
 * time only when a change happens, and the current text is what the person sees. The price: a
 * line someone rewrote to exactly its base bytes counts as unchanged (then the disk's change
 * to it applies), which is what a person would expect anyway.
 *
 * Inside a changed line, the bytes the line keeps (the common start and end of a replaced
 * stretch) are not deleted and retyped, so carets and selections elsewhere on it stay put. */
#ifndef WEFT_APP_EDITOR_DISKMERGE_H
#define WEFT_APP_EDITOR_DISKMERGE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/doc.h"

struct diskmerge_stats {
    size_t hunks;     /* disk hunks applied as they are */
    size_t conflicts; /* regions both changed: the disk's text was added after the document's */
    bool fallback;    /* a diff was cut short (huge change): hunks are coarser, still exact */
};

/* Merges the disk's change from base[0..base_len) to disk[0..disk_len) (bytes) into doc, as
 * local edits of doc's agent in one undo step (between two wf_doc_undo_break()), sent to
 * peers by the next wf_doc_flush(). When the document still holds base exactly, its text
 * becomes disk exactly. Afterwards disk is the caller's new base. stats may be NULL.
 * Errors: WF_ENOMEM (a diff could not allocate), WF_ETOOBIG (the document's seq space ran
 * out); on error the document is as it was (a partial merge is undone). Borrows base and
 * disk for the call; either may be NULL when its length is 0. */
WF_MUST_CHECK int diskmerge(wf_doc *doc, const char *base, size_t base_len, const char *disk,
                            size_t disk_len, struct diskmerge_stats *stats);

#endif
