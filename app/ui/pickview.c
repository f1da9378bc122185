/* The picker's list (see pickview.h). */
#include "app/ui/pickview.h"

#include <curses.h>
#include <stdbool.h>
#include <string.h>
#include <wchar.h>

#include "app/editor/picker.h"
#include "app/editor/picking.h"

/* Whether byte offset off of a hit's path is one the query matched. */
static bool matched(const struct picker *p, const struct proj_fuzzy_hit *h, size_t off)
{
    for (size_t i = 0; i < p->qchars && i < PROJ_FUZZY_QUERY_MAX; i++)
        if (h->pos[i] == off)
            return true;
    return false;
}

/* One path on row, cut to cols columns, with its matched characters marked. */
static void draw_path(const struct picker *p, const struct proj_fuzzy_hit *h, int row,
                      int cols, attr_t base)
{
    const char *s = p->paths[h->index];
    size_t n = p->lens[h->index], off = 0;
    int used = 0;
    mbstate_t ps;
    memset(&ps, 0, sizeof ps);
    move(row, 0);
    attrset(base);
    addch(' ');
    used++;
    while (off < n && used < cols) {
        wchar_t wc;
        size_t k = mbrtowc(&wc, s + off, n - off, &ps);
        int w = 1;
        if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
            k = 1;
            memset(&ps, 0, sizeof ps);
            wc = L'?';
        } else if ((w = wcwidth(wc)) < 0) {
            w = 1;
        }
        if (used + w > cols)
            break;
        attrset(base | (p->qchars && matched(p, h, off) ? A_BOLD | A_UNDERLINE : 0));
        if (wc == L'?' && k == 1 && s[off] != '?')
            addch('?');
        else
            addnstr(s + off, (int)k);
        used += w;
        off += k;
    }
    attrset(base);
    for (; used < cols; used++)
        addch(' ');
    attrset(A_NORMAL);
}

void pickview_draw(struct editor *ed, int bottom, int cols)
{
    struct picker *p = ed->picker;
    if (!p || p->nhits == 0)
        return;
    size_t rows = PICKING_ROWS;
    if ((size_t)ed->buf->view.rows - 1 < rows)
        rows = ed->buf->view.rows > 1 ? (size_t)ed->buf->view.rows - 1 : 1;
    if (rows > p->nhits)
        rows = p->nhits;
    if (p->sel < p->top)
        p->top = p->sel;
    if (p->sel >= p->top + rows)
        p->top = p->sel - rows + 1;
    for (size_t i = 0; i < rows; i++) {
        size_t k = p->top + i;
        /* Best match nearest the prompt, as in fzf. */
        int row = bottom - 1 - (int)i;
        draw_path(p, &p->hits[k], row, cols, k == p->sel ? A_REVERSE : A_NORMAL);
    }
}
