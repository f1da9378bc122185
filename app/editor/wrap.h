/* Soft wrap: a line too long for the screen continues on the rows below it.
 *
 * The rule (the same for drawing, the cursor and motions): a line's cells fill a row of
 * `cols` columns from the left; a cell that would cross the row's right edge starts the
 * next row (a cell wider than a whole row gets a row to itself, cut). The end of the line,
 * where the cursor can be, counts as one more column-wide cell, so a line exactly as wide
 * as the screen takes a second, empty row for it. Tabs keep their stops in the line's
 * columns. Columns inside a row ("x") count from the row's start.
 *
 * The line functions work on one line's bytes (app/editor/layout.h); the view functions on
 * a document and a view whose `wrap` is on: its top is (top_line, top_row), the top_row-th
 * row of top_line. An answer walks the lines between the top of the screen and the place
 * asked about (those on screen), each from its start; a very long line (64 KB and more)
 * is walked once per edit, into an index of states that later answers start from (see
 * wrap.c). Positions are units; rows and columns are 0-based. */
#ifndef WEFT_APP_EDITOR_WRAP_H
#define WEFT_APP_EDITOR_WRAP_H

#include <stdbool.h>
#include <stddef.h>

#include "app/editor/layout.h"
#include "app/editor/view.h"
#include "core/doc.h"

/* An iterator over a line's cells with the row each goes on; caller's storage. */
struct wrap {
    struct layout l;
    size_t cols;     /* row width, >= 1 */
    size_t row;      /* the row of the last cell given */
    size_t row_col;  /* the line's display column where that row starts */
    bool any;        /* a cell was given */
};

void wrap_init(struct wrap *w, const char *s, size_t n, unsigned tabw, size_t cols);
/* The next cell, its row and its column in the row; false at the end of the line. */
bool wrap_next(struct wrap *w, struct cell *c, size_t *row, size_t *x);
/* Skips at most `limit` cells of printable ASCII at once (layout_skip_ascii), keeping the
 * rows right: such cells are a column wide, so their rows break every cols columns. Returns
 * how many; 0 when the next cell is not such a one (then use wrap_next()). This is what
 * keeps a very long line's rows a fast walk. */
size_t wrap_skip(struct wrap *w, size_t limit);
/* After wrap_next() returned false: the row and column of the line's end. */
void wrap_end(const struct wrap *w, size_t *row, size_t *x);

/* The row and column of the cell starting at units `units` of line s[0..n) (its end when
 * units is past the last cell). */
void wrap_locate(const char *s, size_t n, unsigned tabw, size_t cols, size_t units,
                 size_t *row, size_t *x);
/* The rows line s[0..n) takes, >= 1. */
size_t wrap_rows(const char *s, size_t n, unsigned tabw, size_t cols);
/* The units before the cell on row `row` covering column x; past the row's last cell: that
 * cell on a row the line continues after, the line's end on its last row. */
size_t wrap_units_at(const char *s, size_t n, unsigned tabw, size_t cols, size_t row, size_t x);

/* --- on a view (v->wrap on; v->cols is the row width) ------------------------------- */

/* Rows of line `line` of doc. */
size_t wrap_line_rows(const struct view *v, const wf_doc *doc, size_t line);
/* Where pos is: its line, its row in the line, its column in the row. */
void wrap_where(const struct view *v, const wf_doc *doc, size_t pos, size_t *line, size_t *row,
                size_t *x);
/* The screen row (0-based, from the top row) of pos, when it is on the screen: true. */
bool wrap_screen_row(const struct view *v, const wf_doc *doc, size_t pos, int *srow, size_t *x);
/* The position at screen row srow, column x (a click), or the document's end below it. */
size_t wrap_pos_at_screen(const struct view *v, const wf_doc *doc, int srow, size_t x);
/* The position delta rows (negative: up) from pos, at column x of that row (the goal). */
size_t wrap_vertical(const struct view *v, const wf_doc *doc, size_t pos, long delta, size_t x);
/* An iterator over line `line` of doc, whose whole text is s[0..n), placed before every
 * cell of row `row` (past most of the rows above it: quickly, from the index of a very long
 * line). The caller's wrap_next() then skips cells of rows above `row`. */
void wrap_seek_row(const struct view *v, const wf_doc *doc, size_t line, const char *s,
                   size_t n, size_t row, struct wrap *w);
/* Scrolls (top_line, top_row) the least to show pos; with centre, puts its row in the
 * middle when it was off the screen. Sets top_line and top_row only: the caller re-anchors
 * the top (view_set_top keeps top_row). */
void wrap_show(struct view *v, const wf_doc *doc, size_t pos, bool centre);

#endif
