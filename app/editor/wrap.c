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

size_t wrap_skip(struct wrap *w, size_t limit)
{
    size_t c0 = w->l.col, k = layout_skip_ascii(&w->l, limit);
    if (k == 0)
        return 0;
    place(w, c0, 1); /* the first of them; the others follow it column by column */
    size_t last = c0 + k - 1;
    if (last >= w->row_col + w->cols) {
        size_t m = (last - w->row_col) / w->cols;
        w->row += m;
        w->row_col += m * w->cols;
    }
    return k;
}

/* Walks cells quickly (wrap_skip) until the next one would be on row `row` - 1 or later:
 * nothing before that row matters to the callers. False when the line ended first. */
static bool skip_to_row(struct wrap *w, size_t row)
{
    struct cell c;
    size_t r, x;
    while (w->row + 1 < row)
        if (!wrap_skip(w, (row - w->row - 1) * w->cols) && !wrap_next(w, &c, &r, &x))
            return false;
    return true;
}

void wrap_end(const struct wrap *w, size_t *row, size_t *x)
{
    struct wrap t = *w;
    place(&t, t.l.col, 1);
    *row = t.row;
    *x = t.l.col - t.row_col;
}

/* wrap_locate() from the state w (at or before the cell at `units`). */
static void locate_from(struct wrap *w, size_t units, size_t *row, size_t *x)
{
    struct cell c;
    while (w->l.unit < units && (wrap_skip(w, units - w->l.unit) || wrap_next(w, &c, row, x)))
        ;
    if (w->l.off < w->l.n) { /* stopped before a cell: that cell's place */
        struct wrap t = *w;
        if (wrap_next(&t, &c, row, x))
            return;
    }
    wrap_end(w, row, x);
}

void wrap_locate(const char *s, size_t n, unsigned tabw, size_t cols, size_t units,
                 size_t *row, size_t *x)
{
    struct wrap w;
    wrap_init(&w, s, n, tabw, cols);
    locate_from(&w, units, row, x);
}

size_t wrap_rows(const char *s, size_t n, unsigned tabw, size_t cols)
{
    struct wrap w;
    struct cell c;
    size_t row, x;
    wrap_init(&w, s, n, tabw, cols);
    while (wrap_skip(&w, SIZE_MAX) || wrap_next(&w, &c, &row, &x))
        ;
    wrap_end(&w, &row, &x);
    return row + 1;
}

/* wrap_units_at() from the state w (before every cell of row `row`). */
static size_t units_at_from(struct wrap *w, size_t row, size_t x)
{
    struct cell c;
    size_t r, cx, last = SIZE_MAX; /* units of the last cell seen on the row */
    if (!skip_to_row(w, row))
        return w->l.unit; /* the line ends above that row */
    while (wrap_next(w, &c, &r, &cx)) {
        if (r > row)
            return last != SIZE_MAX ? last : c.unit;
        if (r == row) {
            if (x < cx + c.width)
                return c.unit;
            last = c.unit;
        }
    }
    wrap_end(w, &r, &cx);
    if (r > row && last != SIZE_MAX)
        return last; /* the end is on the next row: stay on this one */
    return w->l.unit;
}

size_t wrap_units_at(const char *s, size_t n, unsigned tabw, size_t cols, size_t row, size_t x)
{
    struct wrap w;
    wrap_init(&w, s, n, tabw, cols);
    return units_at_from(&w, row, x);
}

/* --- the index of a very long line ---------------------------------------------------------
 * A walk over a line of many megabytes takes a good part of a second, and a keystroke
 * asks several questions of the cursor's line (its rows, the cursor's row, the rows
 * scrolled off, the row to draw from). So for the last long line asked about, one walk
 * records the iterator's state every 1/WRAP_INDEX_N of its bytes; a question then starts
 * from the nearest state before its answer. The index belongs to one text: the document,
 * its revision (any edit makes a new one), the line, its length, the tab width and the
 * row width. It is this module's one piece of state (the editor asks about one view at a
 * time); it holds no pointer into anything but the document's identity. */
#define WRAP_INDEX_MIN ((size_t)64 << 10) /* bytes: shorter lines are walked each time */
#define WRAP_INDEX_N 1024

static struct {
    bool valid;
    const wf_doc *doc;
    uint64_t revision;
    size_t line, n, cols;
    unsigned tabw;
    size_t nck;
    struct wrap ck[WRAP_INDEX_N]; /* states, ascending; their l.s is not kept */
    size_t rows;                  /* of the line */
} ix;

/* Whether line `line` of doc, text s[0..n) (all of it), has an index (built now if need
 * be); false when it is too short to need one. */
static bool index_for(const wf_doc *doc, size_t line, const char *s, size_t n, unsigned tabw,
                      size_t cols)
{
    if (n < WRAP_INDEX_MIN)
        return false;
    if (ix.valid && ix.doc == doc && ix.revision == wf_doc_revision(doc) && ix.line == line &&
        ix.n == n && ix.tabw == tabw && ix.cols == cols)
        return true;
    struct wrap w;
    struct cell c;
    size_t r, x, stride = n / WRAP_INDEX_N + 1;
    wrap_init(&w, s, n, tabw, cols);
    ix.nck = 0;
    for (;;) {
        while (ix.nck < WRAP_INDEX_N && w.l.off >= ix.nck * stride)
            ix.ck[ix.nck++] = w;
        if (!wrap_skip(&w, stride) && !wrap_next(&w, &c, &r, &x))
            break;
    }
    wrap_end(&w, &r, &x);
    ix.rows = r + 1;
    ix.valid = true;
    ix.doc = doc;
    ix.revision = wf_doc_revision(doc);
    ix.line = line;
    ix.n = n;
    ix.tabw = tabw;
    ix.cols = cols;
    return true;
}

/* The last checkpoint i for which before(i) holds (before(0) is taken to hold), restored
 * into *w on the text s. */
static void restore(struct wrap *w, const char *s, size_t i)
{
    *w = ix.ck[i];
    w->l.s = s;
}

static size_t last_at_or_before_units(size_t units)
{
    size_t lo = 0, hi = ix.nck; /* ck[lo].l.unit <= units */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix.ck[mid].l.unit <= units)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static size_t last_before_row(size_t row)
{
    size_t lo = 0, hi = ix.nck; /* lo == 0 or ck[lo].row < row */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix.ck[mid].row < row)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
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

/* The rows of line `line` of doc, text s[0..n). */
static size_t rows_of(const struct view *v, const wf_doc *doc, size_t line, const char *s,
                      size_t n)
{
    if (index_for(doc, line, s, n, v->tabw, cols_of(v)))
        return ix.rows;
    return wrap_rows(s, n, v->tabw, cols_of(v));
}

/* An iterator on line `line` (text s[0..n)) at or before the cell at `units`. */
static void seek_units(const struct view *v, const wf_doc *doc, size_t line, const char *s,
                       size_t n, size_t units, struct wrap *w)
{
    /* Near the start a walk is cheaper than building an index. */
    if (units >= WRAP_INDEX_MIN && index_for(doc, line, s, n, v->tabw, cols_of(v)))
        restore(w, s, last_at_or_before_units(units));
    else
        wrap_init(w, s, n, v->tabw, cols_of(v));
}

/* An iterator on line `line` (text s[0..n)) before every cell of row `row`. */
static void seek_row(const struct view *v, const wf_doc *doc, size_t line, const char *s,
                     size_t n, size_t row, struct wrap *w)
{
    if (row * cols_of(v) >= WRAP_INDEX_MIN && index_for(doc, line, s, n, v->tabw, cols_of(v)))
        restore(w, s, last_before_row(row));
    else
        wrap_init(w, s, n, v->tabw, cols_of(v));
}

void wrap_seek_row(const struct view *v, const wf_doc *doc, size_t line, const char *s,
                   size_t n, size_t row, struct wrap *w)
{
    seek_row(v, doc, line, s, n, row, w);
    skip_to_row(w, row);
}

/* The units before the cell at row `row`, column x of line `line` (text s[0..n)). */
static size_t units_at(const struct view *v, const wf_doc *doc, size_t line, const char *s,
                       size_t n, size_t row, size_t x)
{
    struct wrap w;
    seek_row(v, doc, line, s, n, row, &w);
    return units_at_from(&w, row, x);
}

size_t wrap_line_rows(const struct view *v, const wf_doc *doc, size_t line)
{
    struct line_info li;
    size_t n;
    char *s = line_text(doc, line, &li, &n);
    size_t rows = rows_of(v, doc, line, s, n);
    free(s);
    return rows;
}

void wrap_where(const struct view *v, const wf_doc *doc, size_t pos, size_t *line, size_t *row,
                size_t *x)
{
    struct line_info li;
    struct wrap w;
    size_t n;
    *line = wf_doc_line_of(doc, pos);
    char *s = line_text(doc, *line, &li, &n);
    seek_units(v, doc, *line, s, n, pos - li.start, &w);
    locate_from(&w, pos - li.start, row, x);
    free(s);
}

/* The top row of the screen, clamped to the top line's rows (others' edits may have
 * shortened it). */
static size_t top_row(const struct view *v, const wf_doc *doc)
{
    if (v->top_row == 0)
        return 0;
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
        size_t rows = rows_of(v, doc, l, s, n);
        if (want < rows) {
            size_t u = units_at(v, doc, l, s, n, want, x);
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
    size_t u = units_at(v, doc, line, s, n, row, x);
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
