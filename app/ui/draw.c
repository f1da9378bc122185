/* Drawing (see draw.h).
 *
 * Each text row is laid out from its line's start (tabs depend on the column), cells left
 * of the horizontal scroll are skipped, and each visible cell is put at its own column
 * with wmove, so a disagreement between utf8proc's widths and the C library's (which
 * ncurses uses) can never shift the rest of the row. A cluster is drawn as one cchar_t:
 * its first code point plus up to CCHARW_MAX-1 zero-width ones. One that does not fit
 * there (a ZWJ sequence, a flag, a skin tone, a spacing mark: more than one spacing
 * character) gets its first character through ncurses, as a placeholder, and is written
 * whole over it after the refresh (term_put_clusters), each redraw.
 *
 * Other participants (a shared session) are resolved once per redraw from their anchors
 * to positions; a cell gets, in order of precedence, our selection, someone's cursor,
 * someone's selection. A cursor at the end of a line is a coloured blank there. Their
 * names go after the end of their cursor's line, where they hide no text (a line that
 * runs off the screen has no room, and the status line lists everyone anyway); with line
 * numbers on, the number of a line with someone's cursor is in their colour too. */
#define NCURSES_WIDECHAR 1
#include "app/ui/draw.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "app/editor/fit.h"
#include "app/ui/edge.h"
#include "app/ui/help.h"
#include "app/editor/bracket.h"
#include "app/editor/highlight.h"
#include "app/ui/pickview.h"
#include "app/editor/keymap.h"
#include "app/editor/layout.h"
#include "app/editor/session.h"
#include "app/ui/paint.h"
#include "app/ui/status.h"
#include "app/ui/term.h"
#include "app/editor/text.h"
#include "app/editor/wrap.h"
#include "app/ui/ticketview.h"
#include "core/anchor.h"
#include "core/mem.h"
#include "core/utf8.h"

static int put_clipped(int row, int x, const char *s, int width);

/* Someone else's cursor and selection, resolved for this redraw. */
struct remote {
    size_t cur;         /* cursor position, units; WF_NOPOS when not known here */
    size_t from, to;    /* the selection [from, to); from == to when none */
    unsigned colour;    /* palette index */
    const char *name;   /* borrowed from the session */
    bool typing;
};

struct remotes {
    struct remote *r;   /* owned */
    size_t n;
};

/* What one redraw of the text gathers besides ncurses' cells: the others, and the clusters
 * that the terminal gets whole after the refresh. */
struct frame {
    struct remotes rs;
    size_t bracket[2];       /* the bracket at the cursor and its match, units; WF_NOPOS
                                when the cursor is on none or it has no match */
    struct term_cluster *cl; /* owned */
    size_t ncl, clcap;
    char *bytes;             /* owned: the clusters' bytes */
    size_t nbytes, bytecap;
};

/* Keeps cluster s[0..n) (after prefix) for the terminal at (row, x). */
static void frame_cluster(struct frame *f, int row, int x, attr_t attr, const char *prefix,
                          const char *s, size_t n)
{
    size_t pn = strlen(prefix);
    if (f->ncl == f->clcap) {
        f->clcap = f->clcap ? f->clcap * 2 : 16;
        f->cl = wf_xreallocarray(f->cl, f->clcap, sizeof *f->cl);
    }
    if (f->nbytes + pn + n > f->bytecap) {
        f->bytecap = (f->nbytes + pn + n) * 2;
        f->bytes = wf_xrealloc(f->bytes, f->bytecap);
    }
    f->cl[f->ncl++] = (struct term_cluster){ row, x, (unsigned)attr, f->nbytes, pn + n };
    memcpy(f->bytes + f->nbytes, prefix, pn);
    memcpy(f->bytes + f->nbytes + pn, s, n);
    f->nbytes += pn + n;
}

/* Draws a cell that starts left of the scroll or runs past the right edge: blanks. */
static void draw_partial(int row, int x, int width, attr_t attr)
{
    attrset(attr);
    for (int i = 0; i < width; i++)
        mvaddch(row, x + i, ' ');
}

static void draw_cluster(struct frame *f, int row, int x, const char *s, const struct cell *c,
                         attr_t attr)
{
    wchar_t wch[CCHARW_MAX + 1];
    int n = 0;
    bool whole = true; /* ncurses can hold it in one cell */
    size_t off = c->off;
    if (c->kind == CELL_LONE)
        wch[n++] = L' ';
    while (off < c->off + c->len) {
        size_t len;
        int32_t cp = wf_utf8_decode(s + off, c->off + c->len - off, &len);
        off += len;
        if (n > 0 && (n == CCHARW_MAX || wcwidth((wchar_t)cp) != 0)) {
            whole = false;
            n = 1; /* the placeholder: the first character alone */
            break;
        }
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
    setcchar(&cc, wch, attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
    mvadd_wch(row, x, &cc);
    if (!whole)
        frame_cluster(f, row, x, attr, c->kind == CELL_LONE ? " " : "", s + c->off, c->len);
}

/* Draws the escapes of a control or escaped cell, then the rest of its cluster. */
static void draw_escaped(struct frame *f, int row, int x, const char *s, const struct cell *c,
                         attr_t attr)
{
    size_t n = layout_escape(s, c, NULL, 0) + 1;
    char *esc = wf_xmalloc(n);
    layout_escape(s, c, esc, n);
    attrset(attr | term_attr(TERM_SPECIAL));
    mvaddstr(row, x, esc);
    free(esc);
    struct cell rest;
    if (layout_rest(s, c, &rest))
        draw_cluster(f, row, x + (int)(rest.col - c->col), s, &rest, attr);
}

static void draw_cell(struct frame *f, int row, int x, const char *s, const struct cell *c,
                      attr_t attr)
{
    switch (c->kind) {
    case CELL_TEXT:
    case CELL_LONE:
        draw_cluster(f, row, x, s, c, attr);
        break;
    case CELL_TAB:
        draw_partial(row, x, (int)c->width, attr);
        break;
    default:
        draw_escaped(f, row, x, s, c, attr);
    }
}

static size_t resolve(const wf_doc *doc, wf_anchor a)
{
    size_t pos = wf_doc_anchor_pos(doc, a);
    size_t len = wf_doc_len(doc);
    return pos == WF_NOPOS ? WF_NOPOS : pos > len ? len : pos;
}

static void remotes_init(struct remotes *rs, const struct editor *ed)
{
    const struct session *s = ed->session;
    rs->n = 0;
    rs->r = NULL;
    if (!s || !s->synced || s->npeople == 0)
        return;
    rs->r = calloc(s->npeople, sizeof *rs->r);
    if (!rs->r)
        return; /* drawn without them this time */
    for (size_t i = 0; i < s->npeople; i++) {
        const wn_presence *p = &s->people[i];
        if (!(p->flags & WN_PRESENCE_CURSOR) || !session_in_shown_file(ed, p))
            continue;
        struct remote *r = &rs->r[rs->n];
        r->cur = resolve(ed->buf->doc, p->cursor);
        if (r->cur == WF_NOPOS)
            continue;
        r->from = r->to = r->cur;
        size_t other = (p->flags & WN_PRESENCE_SELECTION) ? resolve(ed->buf->doc, p->selection)
                                                          : WF_NOPOS;
        if (other != WF_NOPOS) {
            r->from = other < r->cur ? other : r->cur;
            r->to = other < r->cur ? r->cur : other;
        }
        r->colour = p->colour;
        r->name = p->name;
        r->typing = (p->flags & WN_PRESENCE_TYPING) != 0;
        rs->n++;
    }
}

/* The attributes of the cell covering units [u, u + units) (a cursor inside a cluster
 * marks the cluster). */
static attr_t cell_attr(const struct remotes *rs, size_t u, size_t units, size_t sel_from,
                        size_t sel_to)
{
    if (u >= sel_from && u < sel_to)
        return A_REVERSE;
    for (size_t i = rs->n; i-- > 0;)
        if (rs->r[i].cur >= u && rs->r[i].cur < u + units)
            return term_peer_attr(rs->r[i].colour, PALETTE_CURSOR);
    for (size_t i = rs->n; i-- > 0;)
        if (u >= rs->r[i].from && u < rs->r[i].to)
            return term_peer_attr(rs->r[i].colour, PALETTE_SELECTION);
    return A_NORMAL;
}

/* Draws the names of those whose cursor is on line li after its text, from column x
 * (screen) up to limit, in their tags' colours; a name that does not fit whole is left
 * out (a cut name could read as another). */
static void draw_labels(const struct remotes *rs, const struct line_info *li, int row, int x,
                        int limit)
{
    for (size_t i = 0; i < rs->n; i++) {
        const struct remote *r = &rs->r[i];
        if (r->cur < li->start || r->cur > li->end)
            continue;
        char label[WN_NAME_MAX + 8];
        snprintf(label, sizeof label, " %s%s ", r->name, r->typing ? "\xe2\x9c\x8e" : "");
        int w = status_width(label);
        if (x + w > limit)
            break;
        attrset(term_peer_attr(r->colour, PALETTE_TAG));
        x += put_clipped(row, x, label, w) + 1;
    }
    attrset(A_NORMAL);
}

/* A line's syntax colours, asked for when its first visible cell is drawn (so that only the
 * part on screen of a long line is matched) and walked alongside its cells. */
struct colours {
    struct hl *hl;             /* borrowed; NULL: no colours */
    const wf_doc *doc;
    size_t line;
    size_t nbytes;             /* bytes of the line fetched for drawing */
    size_t reach;              /* bytes after the first visible cell that can be drawn */
    enum syn_scheme scheme;
    const struct hl_span *sp;  /* borrowed from hl until the next line */
    size_t n, i;
    bool asked;
};

/* The attributes of syntax colour for the cell at byte off of the line (cells come in
 * order): a cluster takes the style of the span holding its first byte. */
static attr_t colour_at(struct colours *co, size_t off)
{
    if (!co->hl)
        return A_NORMAL;
    if (!co->asked) {
        size_t hi = co->nbytes - off > co->reach ? off + co->reach : co->nbytes;
        co->sp = hl_line(co->hl, co->doc, co->line, off, hi, &co->n);
        co->asked = true;
    }
    while (co->i < co->n && co->sp[co->i].end <= off)
        co->i++;
    if (co->i == co->n || co->sp[co->i].start > off)
        return A_NORMAL;
    return paint_attr(co->sp[co->i].style, co->scheme);
}

/* The attributes of a cell at units [u, u + c->units): ours and the others' marks win whole
 * (their backgrounds, and the foregrounds they set, are never mixed with a syntax colour);
 * else its syntax colour, bold and underlined on a matched bracket. Escapes keep their own
 * colour. */
static attr_t text_attr(struct colours *co, const struct frame *f, const struct cell *c,
                        size_t u, attr_t marks)
{
    if (marks != A_NORMAL || c->kind == CELL_CTRL || c->kind == CELL_ESCAPED)
        return marks;
    attr_t a = colour_at(co, c->off);
    if (f->bracket[1] != WF_NOPOS && (u == f->bracket[0] || u == f->bracket[1]))
        a |= A_BOLD | A_UNDERLINE;
    return a;
}

/* Draws line li on row, columns [gutter, gutter + view.cols). sel_from/sel_to: our
 * selection in document units (empty when equal). */
static void draw_line(struct editor *ed, int row, const struct line_info *li, int gutter,
                      size_t sel_from, size_t sel_to, struct frame *f)
{
    const struct remotes *rs = &f->rs;
    const struct view *v = &ed->buf->view;
    size_t right = v->leftcol + (size_t)v->cols;
    /* Every cell is at least one column wide, so a line's visible part lies within its
     * first `right` clusters; 8 units per cluster on average is far beyond real text, and
     * keeps a line of many megabytes from being copied whole on each redraw. */
    size_t units = li->end - li->start;
    size_t cap = right * 8 + 1024;
    size_t n;
    char *s = wf_doc_text(ed->buf->doc, li->start, units < cap ? units : cap, &n);
    struct layout l;
    struct cell c;
    layout_init(&l, s, n, v->tabw);
    struct colours co = {ed->buf->hl, ed->buf->doc, li->line, n, SIZE_MAX,
                         ed->config.settings.scheme, NULL, 0, 0, false};
    bool cut = false; /* the text runs past the right edge */
    for (;;) {
        if (l.col < v->leftcol) /* cells left of the view, quickly when plain ASCII */
            layout_skip_ascii(&l, v->leftcol - l.col);
        if (!layout_next(&l, &c))
            break;
        if (c.col + c.width <= v->leftcol)
            continue;
        if (c.col >= right) {
            cut = true;
            break;
        }
        size_t u = li->start + c.unit;
        attr_t attr = text_attr(&co, f, &c, u, cell_attr(rs, u, c.units, sel_from, sel_to));
        int x = gutter + (int)(c.col > v->leftcol ? c.col - v->leftcol : 0);
        if (c.col < v->leftcol || c.col + c.width > right) {
            size_t from = c.col < v->leftcol ? v->leftcol : c.col;
            size_t to = c.col + c.width > right ? right : c.col + c.width;
            draw_partial(row, x, (int)(to - from), attr);
            cut = cut || c.col + c.width > right;
        } else {
            draw_cell(f, row, x, s, &c, attr);
        }
    }
    cut = cut || units > cap;
    /* After the text: a selected line break, or someone's cursor at the end of the line,
     * is one coloured cell. */
    size_t end_col = l.col;
    if (!cut && end_col >= v->leftcol && end_col < right) {
        /* (A selection can only cover li->end when a line break is there.) */
        attr_t attr = cell_attr(rs, li->end, 1, sel_from, sel_to);
        if (attr != A_NORMAL) {
            attrset(attr);
            mvaddch(row, gutter + (int)(end_col - v->leftcol), ' ');
        }
    }
    attrset(A_NORMAL);
    free(s);
    if (!cut && rs->n) {
        size_t from = end_col + 2 > v->leftcol ? end_col + 2 : v->leftcol;
        if (from < right)
            draw_labels(rs, li, row, gutter + (int)(from - v->leftcol), gutter + v->cols);
    }
}

/* Soft wrap: draws line li from screen row `row` on, its first `skip` rows left out (the
 * top line scrolled part way), down to the last text row at most; the rows follow the rule
 * of app/editor/wrap.h. Returns the screen row after the line's last. */
static int draw_wrapped(struct editor *ed, int row, size_t skip, const struct line_info *li,
                        int gutter, size_t sel_from, size_t sel_to, struct frame *f)
{
    const struct remotes *rs = &f->rs;
    const struct view *v = &ed->buf->view;
    size_t cols = (size_t)v->cols, n, r, x;
    /* The whole line: the rows above `skip` are counted (quickly: wrap_seek_row) on the
     * same text as every other question about it. */
    char *s = wf_doc_text(ed->buf->doc, li->start, li->end - li->start, &n);
    /* The rows left hold at most this many clusters (8 bytes each is far beyond real
     * text): the syntax colours of a long line are matched on that much only. */
    size_t reach = (size_t)(v->rows - row) * cols * 8 + 1024;
    struct colours co = {ed->buf->hl, ed->buf->doc, li->line, n, reach,
                         ed->config.settings.scheme, NULL, 0, 0, false};
    struct wrap w;
    struct cell c;
    wrap_seek_row(v, ed->buf->doc, li->line, s, n, skip, &w);
    bool cut = false; /* rows of the line run past the screen */
    while (wrap_next(&w, &c, &r, &x)) {
        if (r < skip)
            continue;
        int y = row + (int)(r - skip);
        if (y >= v->rows) {
            cut = true;
            break;
        }
        attr_t attr = text_attr(&co, f, &c, li->start + c.unit,
                                cell_attr(rs, li->start + c.unit, c.units, sel_from, sel_to));
        if (c.width > cols - x) /* wider than a whole row */
            draw_partial(y, gutter + (int)x, (int)(cols - x), attr);
        else
            draw_cell(f, y, gutter + (int)x, s, &c, attr);
    }
    free(s);
    if (cut)
        return v->rows;
    wrap_end(&w, &r, &x);
    if (r < skip)
        return row;
    int y = row + (int)(r - skip);
    if (y >= v->rows)
        return v->rows;
    attr_t attr = cell_attr(rs, li->end, 1, sel_from, sel_to);
    if (attr != A_NORMAL) {
        attrset(attr);
        mvaddch(y, gutter + (int)x, ' ');
        attrset(A_NORMAL);
    }
    if (rs->n && x + 2 < cols)
        draw_labels(rs, li, y, gutter + (int)x + 2, gutter + v->cols);
    return y + 1;
}

/* The colour of the first remote cursor on line li, or -1. */
static int line_colour(const struct remotes *rs, const struct line_info *li)
{
    for (size_t i = 0; i < rs->n; i++)
        if (rs->r[i].cur >= li->start && rs->r[i].cur <= li->end)
            return (int)rs->r[i].colour;
    return -1;
}

static void draw_edges(struct editor *ed, const struct remotes *rs, size_t first, size_t last,
                       int gutter);

/* The line number of li in the gutter at row r, in the colour of someone whose cursor is
 * on the line. */
static void draw_gutter(const struct remotes *rs, const struct line_info *li, int r, int gutter)
{
    int colour = line_colour(rs, li);
    attrset(colour >= 0 ? term_peer_attr((unsigned)colour, PALETTE_TAG)
                        : term_attr(TERM_GUTTER));
    mvprintw(r, 0, "%*zu", gutter - 1, li->line + 1);
    attrset(A_NORMAL);
    addch(' ');
}

/* The text rows with soft wrap on: from the top line's top_row-th row, line after line. */
static void draw_text_wrapped(struct editor *ed, int gutter, size_t sf, size_t st,
                              struct frame *f)
{
    const struct view *v = &ed->buf->view;
    size_t last = wf_doc_newlines(ed->buf->doc), line = v->top_line, skip = v->top_row;
    int r = 0;
    for (; r < v->rows && line <= last; line++, skip = 0) {
        struct line_info li;
        text_line(ed->buf->doc, line, &li);
        if (gutter && skip == 0)
            draw_gutter(&f->rs, &li, r, gutter);
        r = draw_wrapped(ed, r, skip, &li, gutter, sf, st, f);
    }
    draw_edges(ed, &f->rs, v->top_line, line > v->top_line ? line - 1 : line, gutter);
}

/* Tags for those whose cursors are above the first line shown or below the last one, on
 * the first and last text rows (app/ui/edge.h). */
static void draw_edges(struct editor *ed, const struct remotes *rs, size_t first, size_t last,
                       int gutter)
{
    if (rs->n == 0)
        return;
    struct edge_person *p = calloc(rs->n, sizeof *p);
    if (!p)
        return; /* drawn without them this time */
    for (size_t i = 0; i < rs->n; i++)
        p[i] = (struct edge_person){rs->r[i].name, rs->r[i].colour,
                                    wf_doc_line_of(ed->buf->doc, rs->r[i].cur)};
    const struct view *v = &ed->buf->view;
    for (int side = 0; side < 2; side++) {
        struct edge_tag t[8];
        size_t n = edge_tags(p, rs->n, first, last, side == 0, v->cols, t, 8);
        int row = side == 0 ? 0 : v->rows - 1;
        for (size_t i = 0; i < n; i++) {
            attrset(term_peer_attr(t[i].colour, PALETTE_TAG));
            put_clipped(row, gutter + t[i].col, t[i].text, t[i].width);
        }
    }
    attrset(A_NORMAL);
    free(p);
}

/* Draws the text rows; f (caller's, zeroed) receives what goes to the terminal after the
 * refresh. */
static void draw_text(struct editor *ed, struct frame *f)
{
    const struct view *v = &ed->buf->view;
    int gutter = editor_gutter(ed);
    size_t last = wf_doc_newlines(ed->buf->doc);
    size_t sf = 0, st = 0;
    view_selection(v, &sf, &st);
    const struct remotes *rs = &f->rs;
    remotes_init(&f->rs, ed);
    f->bracket[1] = bracket_near(ed->buf->doc, v->cur, BRACKET_BUDGET, &f->bracket[0]);
    if (v->wrap) {
        draw_text_wrapped(ed, gutter, sf, st, f);
        return;
    }
    for (int r = 0; r < v->rows; r++) {
        size_t line = v->top_line + (size_t)r;
        if (line > last)
            break;
        struct line_info li;
        text_line(ed->buf->doc, line, &li);
        if (gutter)
            draw_gutter(rs, &li, r, gutter);
        draw_line(ed, r, &li, gutter, sf, st, f);
    }
    size_t shown = v->top_line + (size_t)v->rows - 1;
    draw_edges(ed, rs, v->top_line, shown < last ? shown : last, gutter);
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

/* Puts as many whole words of s as fit in width columns at (row, x) (app/editor/fit.h). */
static void put_words(int row, int x, const char *s, int width)
{
    size_t n = fit_words(s, strlen(s), width);
    char *t = wf_xstrndup(s, n);
    put_clipped(row, x, t, width);
    free(t);
}

static attr_t status_attr(const struct status_part *p)
{
    switch (p->style) {
    case STATUS_BOLD: return A_REVERSE | A_BOLD;
    case STATUS_ERROR: return term_attr(TERM_ERROR);
    case STATUS_PEER: return term_peer_attr(p->colour, PALETTE_TAG);
    default: return A_REVERSE;
    }
}

static void draw_status(struct editor *ed, int row, int cols)
{
    struct status_part parts[STATUS_PARTS];
    size_t n = status_compose(ed, cols, parts, STATUS_PARTS);
    attrset(A_REVERSE);
    mvhline(row, 0, ' ', cols);
    for (size_t i = 0; i < n; i++) {
        attrset(status_attr(&parts[i]));
        put_clipped(row, parts[i].col, parts[i].text, parts[i].width);
    }
    attrset(A_NORMAL);
}

/* One help bar item at x; returns its width with the gap after it. */
static int draw_helpbar_item(int row, int x, const struct helpbar_item *it)
{
    attrset(A_REVERSE);
    mvaddstr(row, x, it->key);
    attrset(A_NORMAL);
    mvprintw(row, x + (int)strlen(it->key), " %s", it->label);
    return (int)(strlen(it->key) + 1 + strlen(it->label) + 2);
}

/* The help bar: as many items as fit, in order, but the last (F1 Help, the way to every
 * other key) always, at the right end, when the line is too narrow for all of them. */
static void draw_helpbar(int row, int cols)
{
    const struct helpbar_item *items = keymap_helpbar(), *last = items;
    int total = 0;
    for (const struct helpbar_item *it = items; it->key; it++) {
        total += (int)(strlen(it->key) + 1 + strlen(it->label) + 2);
        last = it;
    }
    int last_w = (int)(strlen(last->key) + 1 + strlen(last->label));
    int room = total - 2 <= cols ? cols : cols - last_w - 2;
    int x = 0;
    move(row, 0);
    clrtoeol();
    for (const struct helpbar_item *it = items; it->key && it != last; it++) {
        int w = (int)(strlen(it->key) + 1 + strlen(it->label) + 2);
        if (x + w - 2 > room)
            break;
        x += draw_helpbar_item(row, x, it);
    }
    if (last_w <= cols)
        draw_helpbar_item(row, total - 2 <= cols ? x : cols - last_w, last);
}

/* The follow (or jump) chooser: every participant as a tag in their colour, the
 * highlighted one marked; returns the column of the highlighted one. Only the follow
 * chooser has "nobody" (to stop following). */
static int draw_chooser(const struct editor *ed, int row, int x, int cols)
{
    const struct session *s = ed->session;
    bool follow = ed->prompt.kind == PROMPT_FOLLOW;
    size_t n = s ? s->npeople + (follow && s->follow ? 1 : 0) : 0;
    int at = x;
    for (size_t i = 0; i < n && x < cols; i++) {
        bool nobody = i == s->npeople;
        bool picked = i == ed->follow_pick;
        char t[WN_NAME_MAX + 8];
        snprintf(t, sizeof t, "%s%s%s", picked ? ">" : " ", nobody ? "nobody" : s->people[i].name,
                 picked ? "<" : " ");
        attrset(nobody ? A_BOLD : term_peer_attr(s->people[i].colour, PALETTE_TAG));
        if (picked)
            attron(A_BOLD | A_UNDERLINE);
        if (picked)
            at = x + 1;
        x += put_clipped(row, x, t, cols - x) + 1;
    }
    attrset(A_NORMAL);
    return at < cols ? at : cols - 1;
}

/* Draws the prompt; returns the column of its cursor. */
static int draw_prompt(struct editor *ed, int row, int cols)
{
    move(row, 0);
    clrtoeol();
    attrset(A_BOLD);
    int kind = ed->prompt.kind;
    const char *label = prompt_label(kind);
    int room_for_answer = kind == PROMPT_FIND || kind == PROMPT_GOTO ? 20
                          : kind == PROMPT_SAVE_COPY || kind == PROMPT_FOLLOW
                                || kind == PROMPT_JUMP ? 30 : 0;
    if ((int)strlen(label) + room_for_answer > cols)
        label = prompt_label_short(kind);
    int x = put_clipped(row, 0, label, cols);
    attrset(A_NORMAL);
    if (kind == PROMPT_FOLLOW || kind == PROMPT_JUMP)
        return draw_chooser(ed, row, x, cols);
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

/* Keeps the first line shown of a screen of n lines in rows rows from running past its
 * end (it is SIZE_MAX for "the end" when the screen opens). */
static void clamp_top(size_t *top, size_t n, int rows)
{
    if (*top > n || n - *top < (size_t)rows)
        *top = n > (size_t)rows ? n - (size_t)rows : 0;
}

/* What F1 says of syntax colours when there are none. */
static const char *colour_note(const struct config *c)
{
    if (c->no_syntax_files)
        return "No syntax colours: no syntax files were found. weft reads nano's "
               "(/usr/share/nano/*.nanorc: apt-get install nano), the include lines of "
               "~/.nanorc and ~/.config/weft/syntax/*.nanorc.";
    if (c->colours_off)
        return "Syntax colours are off (NO_COLOR is set, or 'syntax off' in "
               "~/.config/weft/weftrc).";
    return NULL;
}

static void draw_help(struct editor *ed, int rows, int cols)
{
    size_t n;
    help_set_note(colour_note(&ed->config));
    const char *const *lines = help_lines(cols, &n);
    clamp_top(&ed->help_top, n, rows);
    for (int r = 0; r < rows && ed->help_top + (size_t)r < n; r++) {
        attrset(r == 0 && ed->help_top == 0 ? A_BOLD : A_NORMAL);
        put_clipped(r, 0, lines[ed->help_top + (size_t)r], cols);
    }
    attrset(A_NORMAL);
}

/* The messages screen: a title, then every logged message whole, oldest first, wrapped,
 * failures highlighted; it opens at the newest. */
static void draw_messages(struct editor *ed, int rows, int cols)
{
    struct msglog_lines ml;
    msglog_lines(&ed->log, cols, &ml);
    char title[160];
    snprintf(title, sizeof title, "Messages (%zu, the newest last): arrows scroll, any other "
             "key returns to the text.", msglog_count(&ed->log));
    attrset(A_BOLD);
    put_words(0, 0, title, cols);
    attrset(A_NORMAL);
    if (ml.n == 0)
        put_clipped(2, 0, "No messages yet.", cols);
    int shown = rows - 1;
    clamp_top(&ed->messages_top, ml.n, shown);
    for (int r = 0; r < shown && ed->messages_top + (size_t)r < ml.n; r++) {
        const struct msglog_line *l = &ml.v[ed->messages_top + (size_t)r];
        attrset(l->error ? term_attr(TERM_ERROR) : A_NORMAL);
        put_clipped(r + 1, 0, l->text, cols);
    }
    attrset(A_NORMAL);
    msglog_lines_free(&ml);
}

/* The Ctrl-T screen: the session's tickets, each whole on a row (app/ui/ticketview.h); one
 * wider than the screen shows the part ed->tickets_left columns in (clamped here), and the
 * arrows scroll it, so that no ticket is ever broken across rows. */
static void draw_tickets(struct editor *ed, int rows, int cols)
{
    const struct session *s = ed->session;
    int r = 0;
    attrset(A_BOLD);
    put_clipped(r++, 0, s->role == SESSION_HOST ? "Join tickets: a guest runs  weft join TICKET"
                                                : "You joined with this ticket:", cols);
    attrset(A_NORMAL);
    r++;
    struct ticket_row tr[2 * SESSION_TICKETS_MAX];
    size_t n = ticketview_rows(s->tickets, s->ntickets, cols, tr, 2 * SESSION_TICKETS_MAX);
    size_t widest = 0;
    for (size_t i = 0; i < n; i++)
        widest = tr[i].len > widest ? tr[i].len : widest;
    size_t most = widest > (size_t)cols ? widest - (size_t)cols : 0;
    if (ed->tickets_left > most)
        ed->tickets_left = most;
    for (size_t i = 0; i < n && r < rows; i++, r++) {
        size_t from = 0, k = tr[i].len;
        if (k > (size_t)cols) { /* scrolled, as far as it goes */
            size_t last = k - (size_t)cols;
            from = ed->tickets_left < last ? ed->tickets_left : last;
            k = (size_t)cols;
        }
        attrset(tr[i].label ? A_BOLD : A_NORMAL);
        mvaddnstr(r, 0, tr[i].text + from, (int)k);
    }
    attrset(A_BOLD);
    const char *hint = most ? "Left and Right scroll the tickets; any other key returns."
                            : "Any key returns to the text.";
    if (r + 1 < rows)
        put_words(r + 1, 0, hint, cols);
    attrset(A_NORMAL);
}

static void place_cursor(struct editor *ed)
{
    const struct view *v = &ed->buf->view;
    if (v->wrap) {
        int row;
        size_t x;
        if (!wrap_screen_row(v, ed->buf->doc, v->cur, &row, &x) || x >= (size_t)v->cols) {
            curs_set(0);
            return;
        }
        curs_set(1);
        move(row, editor_gutter(ed) + (int)x);
        return;
    }
    size_t line = wf_doc_line_of(ed->buf->doc, v->cur);
    size_t col = text_col_memo(&ed->buf->view.colm, ed->buf->doc, v->cur, v->tabw);
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
    if (ed->redraw_all) {
        term_redraw_all();
        ed->redraw_all = false;
    }
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
    if (ed->messages) {
        draw_messages(ed, rows, cols);
        curs_set(0);
        refresh();
        return;
    }
    if (ed->tickets && ed->session) {
        draw_tickets(ed, rows, cols);
        curs_set(0);
        refresh();
        return;
    }
    struct frame f;
    memset(&f, 0, sizeof f);
    paint_sync(ed->buf);
    draw_text(ed, &f);
    if (ed->prompt.kind == PROMPT_PICK)
        pickview_draw(ed, rows - 2, cols);
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
    term_put_clusters(f.cl, f.ncl, f.bytes);
    free(f.rs.r);
    free(f.cl);
    free(f.bytes);
}

bool draw_idle(struct editor *ed, bool *redraw)
{
    return paint_idle(ed->buf, ed->buf->view.top_line, redraw);
}
