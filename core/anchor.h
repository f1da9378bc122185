/* Anchors: positions that stay with their character (cursors, selection ends, viewports).
 *
 * An anchor names a unit by ID plus a side (CRDT.md §3.5, Yjs RelativePosition):
 * assoc >= 0 means "just before this unit", assoc < 0 "just after it". START and END stick
 * to the ends of the text. An anchor on a deleted unit resolves to where that unit was,
 * unless this replica's undo (or redo) brought the unit back as a copy: then it resolves as
 * if on the copy (Yjs's followRedone), so a cursor or a view in text that was deleted and
 * restored is where it was before. */
#ifndef WEFT_CORE_ANCHOR_H
#define WEFT_CORE_ANCHOR_H

#include <stdint.h>

#include "core/buf.h"
#include "core/doc.h"

enum wf_anchor_kind {
    WF_ANCHOR_START = 0, /* before everything */
    WF_ANCHOR_END = 1,   /* after everything */
    WF_ANCHOR_ID = 2,    /* relative to unit `id` */
};

typedef struct wf_anchor {
    wf_id id;     /* the unit, when kind == WF_ANCHOR_ID */
    uint8_t kind; /* enum wf_anchor_kind */
    int8_t assoc; /* >= 0: before id; < 0: after id */
} wf_anchor;

/* An anchor for the gap before unit pos (0 <= pos <= len). assoc >= 0 binds it to the unit
 * at pos (END when pos == len); assoc < 0 binds it to the unit before pos (START when
 * pos == 0). Carets use assoc 0; a selection's end uses -1 so it does not grow when others
 * type at its edge. */
wf_anchor wf_doc_anchor_at(const wf_doc *doc, size_t pos, int assoc);

/* The anchor's current visible position (0..len); WF_NOPOS if its unit is not known yet. */
size_t wf_doc_anchor_pos(const wf_doc *doc, wf_anchor a);

void wf_anchor_encode(wf_anchor a, wf_buf *out);
/* Returns 0 or WF_EDECODE. */
WF_MUST_CHECK int wf_anchor_decode(wf_reader *r, wf_anchor *a);

#endif
