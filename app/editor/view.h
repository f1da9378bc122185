/* The viewport and the cursor: what part of the document is on screen, and where you are.
 *
 * Positions that must survive other people's edits are core anchors (core/anchor.h): the
 * top of the screen is anchored just after the line break that precedes the top line, the
 * cursor and the selection's other end on their characters. After the document changed
 * remotely, view_sync() resolves them, so text inserted or deleted above the screen never
 * scrolls what you see, and the cursor stays on its character. Local edits set positions
 * directly (view_set_cursor), which re-anchors. The cached positions (top_line, cur, mark)
 * are valid between a sync and the next remote change. */
#ifndef WEFT_APP_EDITOR_VIEW_H
#define WEFT_APP_EDITOR_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "core/anchor.h"
#include "app/editor/text.h"
#include "core/doc.h"

struct view {
    wf_anchor top_a;  /* after the line break before the top line; START for line 0 */
    size_t top_line;  /* line on the first text row */
    size_t leftcol;   /* display columns scrolled off to the left (0 while wrap) */
    bool wrap;        /* soft wrap: long lines continue on the next rows (Alt-S) */
    size_t top_row;   /* while wrap: screen rows of the top line scrolled off above it */
    int rows;         /* text rows on screen, >= 1 */
    int cols;         /* text columns on screen (without the gutter), >= 1 */
    unsigned tabw;    /* tab stop distance */
    wf_anchor cur_a;  /* the cursor */
    size_t cur;       /* the cursor's position, units */
    wf_anchor mark_a; /* the selection's fixed end, when sel */
    size_t mark;      /* its position, units */
    bool sel;         /* a selection is active: [min(cur,mark), max(cur,mark)) */
    size_t goal;      /* display column that up/down try to keep */
    bool goal_set;    /* goal is meaningful (the last move was vertical) */
    struct col_memo colm; /* the cursor's column, for the several asks of one frame */
};

/* Caller's storage, no resources: top of the document, cursor at 0. */
void view_init(struct view *v, const wf_doc *doc);

/* Resolves every anchor after the document changed under the view. */
void view_sync(struct view *v, const wf_doc *doc);

/* Moves the cursor to pos (clamped to the length), re-anchoring it; forgets the goal. */
void view_set_cursor(struct view *v, const wf_doc *doc, size_t pos);
/* The same, but bound to the unit before pos (the one just typed): others typing at the
 * same place then land after the cursor, not between our last key and our next one, so
 * that a run of typing stays whole on every screen (FugueMax keeps a run together only if
 * each key goes right after the one before). */
void view_set_cursor_after(struct view *v, const wf_doc *doc, size_t pos);
/* Starts (or keeps) a selection anchored at the cursor's current position. */
void view_begin_selection(struct view *v, const wf_doc *doc);
void view_clear_selection(struct view *v);
/* The selected range [*from, *to) if a non-empty selection exists. */
bool view_selection(const struct view *v, size_t *from, size_t *to);

/* Puts line at the top of the screen (clamped to the last line). */
void view_set_top(struct view *v, const wf_doc *doc, size_t line);
/* Scrolls by delta lines (negative: up), without moving the cursor. */
void view_scroll(struct view *v, const wf_doc *doc, long delta);
/* Scrolls, vertically and horizontally, the least needed to show the cursor. */
void view_show_cursor(struct view *v, const wf_doc *doc);
/* Scrolls the least needed to show position pos (someone else's cursor); the cursor stays. */
void view_show_pos(struct view *v, const wf_doc *doc, size_t pos);
/* Like view_show_cursor, but puts the cursor's line in the middle when it is off screen. */
void view_center_cursor(struct view *v, const wf_doc *doc);

#endif
