/* Soft wrap (see wrap.h).
 *
 * Everything derives from wrap_next(): a row holds the cells from one that starts it up to
 * the last that ends at or before row_col + cols. The view functions fetch whole lines
 * (wf_doc_text) one at a time and count rows between the screen's top and a place; they
 * never look at more lines than there are rows on the screen, since every line takes at
 * least one row. */
#include "app/editor/wrap.h"

#include <stdlib.h>

#include "app/editor/text.h"

void wrap_init(struct wrap *w, const char *s, size_t n, unsigned tabw, size_t cols)
{
    layout_init(&w->l, s, n, tabw);
    w->cols = cols ? cols : 1;
    w->row = 0;
    w->row_col = 0;
    w->any = false;
}

/* Puts a cell of `width` at column col on the current row, or starts the next row. */
static void place(struct wrap *w, size_t col, size_t width)
{
    if (w->any && col + width > w->row_col + w->cols && col > w->row_col) {
        w->row++;
        w->row_col = col;
    }
    w->any = true;
}

bool wrap_next(struct wrap *w, struct cell *c, size_t *row, size_t *x)
{
    if (!layout_next(&w->l, c))
        return false;
    place(w, c->col, c->width);
    *row = w->row;
    *x = c->col - w->row_col;
    return true;
}

void wrap_end(const struct wrap *w, size_t *row, size_t *x)
{
    struct wrap t = *w;
    place(&t, t.l.col, 1);
    *row = t.row;
    *x = t.l.col - t.row_col;
}

void wrap_locate(const char *s, size_t n, unsigned tabw, size_t cols, size_t units,
                 size_t *row, size_t *x)
{
    struct wrap w;
    struct cell c;
    wrap_init(&w, s, n, tabw, cols);
    while (w.l.unit < units && wrap_next(&w, &c, row, x))
        ;
    if (w.l.off < n) { /* stopped before a cell: that cell's place */
        struct wrap t = w;
        if (wrap_next(&t, &c, row, x))
            return;
    }
    wrap_end(&w, row, x);
}

size_t wrap_rows(const char *s, size_t n, unsigned tabw, size_t cols)
{
    struct wrap w;
    struct cell c;
    size_t row, x;
    wrap_init(&w, s, n, tabw, cols);
    while (wrap_next(&w, &c, &row, &x))
        ;
    wrap_end(&w, &row, &x);
    return row + 1;
}

size_t wrap_units_at(const char *s, size_t n, unsigned tabw, size_t cols, size_t row, size_t x)
{
    struct wrap w;
    struct cell c;
    size_t r, cx, last = SIZE_MAX; /* units of the last cell seen on the row */
    wrap_init(&w, s, n, tabw, cols);
    while (wrap_next(&w, &c, &r, &cx)) {
        if (r > row)
            return last != SIZE_MAX ? last : c.unit;
        if (r == row) {
            if (x < cx + c.width)
                return c.unit;
            last = c.unit;
        }
    }
    wrap_end(&w, &r, &cx);
    if (r > row && last != SIZE_MAX)
        return last; /* the end is on the next row: stay on this one */
    return w.l.unit;
}

/* --- on a view --------------------------------------------------------------------------- */

/* Line `line` of doc: a new copy of its bytes (free with free()), *n their count, *li it. */
static char *line_text(const wf_doc *doc, size_t line, struct line_info *li, size_t *n)
{
    text_line(doc, line, li);
    return wf_doc_text(doc, li->start, li->end - li->start, n);
}

static size_t cols_of(const struct view *v)
{
    return (size_t)(v->cols > 1 ? v->cols : 1);
}

size_t wrap_line_rows(const struct view *v, const wf_doc *doc, size_t line)
{
    struct line_info li;
    size_t n;
    char *s = line_text(doc, line, &li, &n);
    size_t rows = wrap_rows(s, n, v->tabw, cols_of(v));
    free(s);
    return rows;
}

void wrap_where(const struct view *v, const wf_doc *doc, size_t pos, size_t *line, size_t *row,
                size_t *x)
{
    struct line_info li;
    size_t n;
    *line = wf_doc_line_of(doc, pos);
    char *s = line_text(doc, *line, &li, &n);
    wrap_locate(s, n, v->tabw, cols_of(v), pos - li.start, row, x);
    free(s);
}

/* The top row of the screen, clamped to the top line's rows (others' edits may have
 * shortened it). */
static size_t top_row(const struct view *v, const wf_doc *doc)
{
    size_t rows = wrap_line_rows(v, doc, v->top_line);
    return v->top_row < rows ? v->top_row : rows - 1;
}

bool wrap_screen_row(const struct view *v, const wf_doc *doc, size_t pos, int *srow, size_t *x)
{
    size_t line, row;
    wrap_where(v, doc, pos, &line, &row, x);
    size_t tr = top_row(v, doc), screen = (size_t)v->rows;
    if (line < v->top_line || (line == v->top_line && row < tr) ||
        line - v->top_line >= screen)
        return false;
    size_t at = 0; /* screen rows before the line's first row (may start above: tr) */
    for (size_t l = v->top_line; l < line && at < screen + tr; l++)
        at += wrap_line_rows(v, doc, l);
    at += row;
    if (at < tr || at - tr >= screen)
        return false;
    *srow = (int)(at - tr);
    return true;
}

size_t wrap_pos_at_screen(const struct view *v, const wf_doc *doc, int srow, size_t x)
{
    size_t last = wf_doc_newlines(doc), want = top_row(v, doc) + (size_t)(srow > 0 ? srow : 0);
    for (size_t l = v->top_line; l <= last; l++) {
        struct line_info li;
        size_t n;
        char *s = line_text(doc, l, &li, &n);
        size_t rows = wrap_rows(s, n, v->tabw, cols_of(v));
        if (want < rows) {
            size_t u = wrap_units_at(s, n, v->tabw, cols_of(v), want, x);
            free(s);
            return li.start + u;
        }
        free(s);
        want -= rows;
    }
    return wf_doc_len(doc);
}

size_t wrap_vertical(const struct view *v, const wf_doc *doc, size_t pos, long delta, size_t x)
{
    size_t line, row, cx, last = wf_doc_newlines(doc);
    wrap_where(v, doc, pos, &line, &row, &cx);
    /* Walk row by row, crossing into the lines above or below. */
    while (delta < 0) {
        if (row > 0) {
            row--;
        } else if (line > 0) {
            line--;
            row = wrap_line_rows(v, doc, line) - 1;
        } else {
            return 0;
        }
        delta++;
    }
    size_t rows = wrap_line_rows(v, doc, line);
    while (delta > 0) {
        if (row + 1 < rows) {
            row++;
        } else if (line < last) {
            line++;
            row = 0;
            rows = wrap_line_rows(v, doc, line);
        } else {
            return wf_doc_len(doc);
        }
        delta--;
    }
    struct line_info li;
    size_t n;
    char *s = line_text(doc, line, &li, &n);
    size_t u = wrap_units_at(s, n, v->tabw, cols_of(v), row, x);
    free(s);
    return li.start + u;
}

/* Moves the top (line, row) up by k rows. */
static void top_up(struct view *v, const wf_doc *doc, size_t line, size_t row, size_t k)
{
    while (k > 0) {
        if (row >= k) {
            row -= k;
            break;
        }
        k -= row + 1;
        if (line == 0) {
            row = 0;
            break;
        }
        line--;
        row = wrap_line_rows(v, doc, line) - 1;
    }
    v->top_line = line;
    v->top_row = row;
}

void wrap_show(struct view *v, const wf_doc *doc, size_t pos, bool centre)
{
    int srow;
    size_t x, line, row;
    v->leftcol = 0;
    if (wrap_screen_row(v, doc, pos, &srow, &x))
        return;
    wrap_where(v, doc, pos, &line, &row, &x);
    size_t screen = (size_t)(v->rows > 1 ? v->rows : 1);
    bool above = line < v->top_line || (line == v->top_line && row < top_row(v, doc));
    if (centre)
        top_up(v, doc, line, row, screen / 2);
    else if (above)
        top_up(v, doc, line, row, 0);
    else
        top_up(v, doc, line, row, screen - 1);
}
