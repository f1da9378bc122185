/* Drawing (see draw.h).
 *
 * Each text row is laid out from its line's start (tabs depend on the column), cells left
 * of the horizontal scroll are skipped, and each visible cell is put at its own column
 * with wmove, so a disagreement between utf8proc's widths and the C library's (which
 * ncurses uses) can never shift the rest of the row. A cluster is drawn as one cchar_t:
 * its first code point plus up to CCHARW_MAX-1 zero-width ones. */
#define NCURSES_WIDECHAR 1
#include "app/draw.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "app/help.h"
#include "app/keymap.h"
#include "app/layout.h"
#include "app/term.h"
#include "app/text.h"
#include "core/utf8.h"

/* Draws a cell that starts left of the scroll or runs past the right edge: blanks. */
static void draw_partial(int row, int x, int width, attr_t attr)
{
    attrset(attr);
    for (int i = 0; i < width; i++)
        mvaddch(row, x + i, ' ');
}

static void draw_cluster(int row, int x, const char *s, const struct cell *c, attr_t attr)
{
    wchar_t wch[CCHARW_MAX + 1];
    int n = 0;
    size_t off = c->off;
    if (c->kind == CELL_LONE)
        wch[n++] = L' ';
    while (off < c->off + c->len && n < CCHARW_MAX) {
        size_t len;
        int32_t cp = wf_utf8_decode(s + off, c->off + c->len - off, &len);
        off += len;
        if (n > 0 && wcwidth((wchar_t)cp) != 0)
            continue; /* a second spacing character (ZWJ sequence, flag): not drawable */
        wch[n++] = (wchar_t)cp;
    }
    wch[n] = L'\0';
    if (wcwidth(wch[0]) < 1) { /* the C library does not know it: show its width in '?' */
        attrset(attr | term_attr(TERM_SPECIAL));
        for (unsigned i = 0; i < c->width; i++)
            mvaddch(row, x + (int)i, '?');
        return;
    }
    cchar_t cc;
    setcchar(&cc, wch, attr, 0, NULL);
    mvadd_wch(row, x, &cc);
}

static void draw_cell(int row, int x, const char *s, const struct cell *c, attr_t attr)
{
    char esc[24];
    switch (c->kind) {
    case CELL_TEXT:
    case CELL_LONE:
        draw_cluster(row, x, s, c, attr);
        break;
    case CELL_TAB:
        draw_partial(row, x, (int)c->width, attr);
        break;
    default:
        layout_escape(s, c, esc, sizeof esc);
        attrset(attr | term_attr(TERM_SPECIAL));
        mvaddstr(row, x, esc);
    }
}

/* Draws line li on row, columns [gutter, gutter + view.cols). sel_from/sel_to: the
 * selection in document units (empty when equal). */
static void draw_line(struct editor *ed, int row, const struct line_info *li, int gutter,
                      size_t sel_from, size_t sel_to)
{
    const struct view *v = &ed->view;
    size_t right = v->leftcol + (size_t)v->cols;
    /* Every cell is at least one column wide, so a line's visible part lies within its
     * first `right` clusters; 8 units per cluster on average is far beyond real text, and
     * keeps a line of many megabytes from being copied whole on each redraw. */
    size_t units = li->end - li->start;
    size_t cap = right * 8 + 1024;
    size_t n;
    char *s = wf_doc_text(ed->doc, li->start, units < cap ? units : cap, &n);
    struct layout l;
    struct cell c;
    layout_init(&l, s, n, v->tabw);
    while (layout_next(&l, &c)) {
        if (c.col + c.width <= v->leftcol)
            continue;
        if (c.col >= right)
            break;
        size_t u = li->start + c.unit;
        attr_t attr = (u >= sel_from && u < sel_to) ? A_REVERSE : A_NORMAL;
        int x = gutter + (int)(c.col > v->leftcol ? c.col - v->leftcol : 0);
        if (c.col < v->leftcol || c.col + c.width > right) {
            size_t from = c.col < v->leftcol ? v->leftcol : c.col;
            size_t to = c.col + c.width > right ? right : c.col + c.width;
            draw_partial(row, x, (int)(to - from), attr);
        } else {
            draw_cell(row, x, s, &c, attr);
        }
    }
    /* A selected line break shows as one selected cell after the text. */
    if (li->end < li->next && li->end >= sel_from && li->end < sel_to && l.col >= v->leftcol &&
        l.col < right) {
        attrset(A_REVERSE);
        mvaddch(row, gutter + (int)(l.col - v->leftcol), ' ');
    }
    attrset(A_NORMAL);
    free(s);
}

static void draw_text(struct editor *ed)
{
    const struct view *v = &ed->view;
    int gutter = editor_gutter(ed);
    size_t last = wf_doc_newlines(ed->doc);
    size_t sf = 0, st = 0;
    view_selection(v, &sf, &st);
    for (int r = 0; r < v->rows; r++) {
        size_t line = v->top_line + (size_t)r;
        if (line > last)
            break;
        if (gutter) {
            attrset(term_attr(TERM_GUTTER));
            mvprintw(r, 0, "%*zu ", gutter - 1, line + 1);
            attrset(A_NORMAL);
        }
        struct line_info li;
        text_line(ed->doc, line, &li);
        draw_line(ed, r, &li, gutter, sf, st);
    }
}

/* Puts s (at most width columns of it) at (row, x); returns the columns used. */
static int put_clipped(int row, int x, const char *s, int width)
{
    int used = 0;
    const char *p = s;
    mbstate_t ps;
    memset(&ps, 0, sizeof ps);
    move(row, x);
    while (*p && used < width) {
        wchar_t wc;
        size_t k = mbrtowc(&wc, p, strlen(p), &ps);
        if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
            addch('?');
            used++;
            p++;
            memset(&ps, 0, sizeof ps);
            continue;
        }
        int w = wcwidth(wc);
        if (w < 0)
            w = 1;
        if (used + w > width)
            break;
        addnstr(p, (int)k);
        used += w;
        p += k;
    }
    return used;
}

static void draw_status(struct editor *ed, int row, int cols)
{
    char left[512], right[64];
    const char *name = strrchr(ed->path, '/') ? strrchr(ed->path, '/') + 1 : ed->path;
    snprintf(left, sizeof left, " %s%s", name, ed->modified ? " [modified]" : "");
    size_t line = wf_doc_line_of(ed->doc, ed->view.cur);
    snprintf(right, sizeof right, " Ln %zu, Col %zu %s ", line + 1,
             text_cluster_col(ed->doc, ed->view.cur) + 1, ed->crlf ? " CRLF" : "");
    attrset(A_REVERSE);
    mvhline(row, 0, ' ', cols);
    int rw = (int)strlen(right);
    int x = 0;
    /* A message that does not fit beside the file name takes its place. */
    if (!ed->msg[0] || (int)(strlen(left) + 2 + strlen(ed->msg)) <= cols - rw)
        x = put_clipped(row, 0, left, cols - rw > 0 ? cols - rw : 0);
    else
        x = -1;
    if (ed->msg[0] && cols - rw - x - 2 > 0) {
        attrset(ed->msg_error ? term_attr(TERM_ERROR) : A_REVERSE | A_BOLD);
        put_clipped(row, x + 2, ed->msg, cols - rw - x - 2);
        attrset(A_REVERSE);
    }
    if (rw < cols)
        mvaddstr(row, cols - rw, right);
    attrset(A_NORMAL);
}

static void draw_helpbar(int row, int cols)
{
    int x = 0;
    move(row, 0);
    clrtoeol();
    for (const struct helpbar_item *it = keymap_helpbar(); it->key; it++) {
        int w = (int)(strlen(it->key) + 1 + strlen(it->label) + 2);
        if (x + w - 2 > cols)
            break;
        attrset(A_REVERSE);
        mvaddstr(row, x, it->key);
        attrset(A_NORMAL);
        mvprintw(row, x + (int)strlen(it->key), " %s", it->label);
        x += w;
    }
}

/* Draws the prompt; returns the column of its cursor. */
static int draw_prompt(struct editor *ed, int row, int cols)
{
    move(row, 0);
    clrtoeol();
    attrset(A_BOLD);
    int kind = ed->prompt.kind;
    const char *label = prompt_label(kind);
    int room_for_answer = kind == PROMPT_FIND || kind == PROMPT_GOTO ? 20 : 0;
    if ((int)strlen(label) + room_for_answer > cols)
        label = prompt_label_short(kind);
    int x = put_clipped(row, 0, label, cols);
    attrset(A_NORMAL);
    const char *t = ed->prompt.text;
    /* A long answer shows its end, where the typing is. */
    size_t tl = strlen(t);
    int room = cols - x - 1;
    while (room > 0 && tl > (size_t)room) {
        size_t k = wf_utf8_unit_len(t, tl);
        t += k;
        tl -= k;
    }
    return x + put_clipped(row, x, t, room > 0 ? room : 0);
}

static void draw_help(struct editor *ed, int rows, int cols)
{
    size_t n;
    const char *const *lines = help_lines(cols, &n);
    if (ed->help_top + (size_t)rows > n)
        ed->help_top = n > (size_t)rows ? n - (size_t)rows : 0;
    for (int r = 0; r < rows && ed->help_top + (size_t)r < n; r++) {
        attrset(r == 0 && ed->help_top == 0 ? A_BOLD : A_NORMAL);
        put_clipped(r, 0, lines[ed->help_top + (size_t)r], cols);
    }
    attrset(A_NORMAL);
}

static void place_cursor(struct editor *ed)
{
    const struct view *v = &ed->view;
    size_t line = wf_doc_line_of(ed->doc, v->cur);
    size_t col = text_col_of(ed->doc, v->cur, v->tabw);
    if (line < v->top_line || line >= v->top_line + (size_t)v->rows || col < v->leftcol ||
        col >= v->leftcol + (size_t)v->cols) {
        curs_set(0);
        return;
    }
    curs_set(1);
    move((int)(line - v->top_line), editor_gutter(ed) + (int)(col - v->leftcol));
}

void draw_screen(struct editor *ed)
{
    int rows = ed->screen_rows, cols = ed->screen_cols;
    erase();
    if (rows < 3 || cols < 20) {
        put_clipped(0, 0, "weft: the terminal is too small", cols);
        curs_set(0);
        refresh();
        return;
    }
    if (ed->help) {
        draw_help(ed, rows, cols);
        curs_set(0);
        refresh();
        return;
    }
    draw_text(ed);
    draw_status(ed, rows - 2, cols);
    if (ed->prompt.kind != PROMPT_NONE) {
        int x = draw_prompt(ed, rows - 1, cols);
        curs_set(1);
        move(rows - 1, x);
    } else {
        draw_helpbar(rows - 1, cols);
        place_cursor(ed);
    }
    refresh();
}
