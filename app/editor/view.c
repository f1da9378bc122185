/* The viewport and the cursor (see view.h).
 *
 * The top anchor binds to the line break that ends the line above the screen (assoc -1,
 * "just after this unit"). Text typed at the start of the top line goes after that break,
 * so it shows on the top row; text inserted above it moves the break and the anchor along;
 * if the break itself is deleted, the anchor resolves to where it was, which is then inside
 * the merged line, and view_sync() shows that line from its start. */
#include "app/editor/view.h"

#include "app/editor/text.h"
#include "app/editor/layout.h"
#include "app/editor/wrap.h"

static wf_anchor top_anchor(const wf_doc *doc, size_t line)
{
    if (line == 0)
        return wf_doc_anchor_at(doc, 0, -1);
    return wf_doc_anchor_at(doc, wf_doc_line_start(doc, line), -1);
}

void view_init(struct view *v, const wf_doc *doc)
{
    *v = (struct view){ .rows = 1, .cols = 1, .tabw = LAYOUT_TABW };
    v->top_a = top_anchor(doc, 0);
    v->cur_a = wf_doc_anchor_at(doc, 0, 0);
    v->mark_a = v->cur_a;
}

static size_t resolve(const wf_doc *doc, wf_anchor a, size_t old)
{
    size_t pos = wf_doc_anchor_pos(doc, a);
    size_t len = wf_doc_len(doc);
    if (pos == WF_NOPOS)
        pos = old;
    return pos > len ? len : pos;
}

void view_sync(struct view *v, const wf_doc *doc)
{
    v->colm.valid = false; /* the document may have been replaced by another */
    size_t top = resolve(doc, v->top_a, 0);
    v->top_line = wf_doc_line_of(doc, top);
    v->cur = resolve(doc, v->cur_a, v->cur);
    v->mark = resolve(doc, v->mark_a, v->mark);
}

static void set_cursor(struct view *v, const wf_doc *doc, size_t pos, int assoc)
{
    size_t len = wf_doc_len(doc);
    v->cur = pos > len ? len : pos;
    v->cur_a = wf_doc_anchor_at(doc, v->cur, assoc);
    v->goal_set = false;
}

void view_set_cursor(struct view *v, const wf_doc *doc, size_t pos)
{
    set_cursor(v, doc, pos, 0);
}

void view_set_cursor_after(struct view *v, const wf_doc *doc, size_t pos)
{
    set_cursor(v, doc, pos, -1);
}

void view_begin_selection(struct view *v, const wf_doc *doc)
{
    if (v->sel)
        return;
    v->sel = true;
    v->mark = v->cur;
    /* Which end the mark is (start or end) changes as the cursor moves, so it binds like
     * the cursor: to the character after it. */
    v->mark_a = wf_doc_anchor_at(doc, v->mark, 0);
}

void view_clear_selection(struct view *v)
{
    v->sel = false;
}

bool view_selection(const struct view *v, size_t *from, size_t *to)
{
    if (!v->sel || v->mark == v->cur)
        return false;
    *from = v->mark < v->cur ? v->mark : v->cur;
    *to = v->mark < v->cur ? v->cur : v->mark;
    return true;
}

void view_set_top(struct view *v, const wf_doc *doc, size_t line)
{
    size_t last = wf_doc_newlines(doc);
    v->top_line = line > last ? last : line;
    v->top_row = 0;
    v->top_a = top_anchor(doc, v->top_line);
}

void view_scroll(struct view *v, const wf_doc *doc, long delta)
{
    if (delta < 0 && (size_t)-delta > v->top_line)
        view_set_top(v, doc, 0);
    else
        view_set_top(v, doc, (size_t)((long)v->top_line + delta));
}

static void show_column(struct view *v, const wf_doc *doc, size_t pos)
{
    size_t col = text_col_memo(&v->colm, doc, pos, v->tabw);
    size_t cols = (size_t)(v->cols > 1 ? v->cols : 1);
    if (col < v->leftcol)
        v->leftcol = col > cols / 4 ? col - cols / 4 : 0;
    else if (col >= v->leftcol + cols)
        v->leftcol = col - cols + 1 + cols / 4;
}

void view_show_pos(struct view *v, const wf_doc *doc, size_t pos)
{
    if (v->wrap) { /* by screen rows (app/editor/wrap.h) */
        wrap_show(v, doc, pos, false);
        v->top_a = top_anchor(doc, v->top_line);
        return;
    }
    size_t line = wf_doc_line_of(doc, pos);
    size_t rows = (size_t)(v->rows > 1 ? v->rows : 1);
    if (line < v->top_line)
        view_set_top(v, doc, line);
    else if (line >= v->top_line + rows)
        view_set_top(v, doc, line - rows + 1);
    show_column(v, doc, pos);
}

void view_show_cursor(struct view *v, const wf_doc *doc)
{
    view_show_pos(v, doc, v->cur);
}

void view_center_cursor(struct view *v, const wf_doc *doc)
{
    if (v->wrap) {
        wrap_show(v, doc, v->cur, true);
        v->top_a = top_anchor(doc, v->top_line);
        return;
    }
    size_t line = wf_doc_line_of(doc, v->cur);
    size_t rows = (size_t)(v->rows > 1 ? v->rows : 1);
    if (line < v->top_line || line >= v->top_line + rows)
        view_set_top(v, doc, line > rows / 2 ? line - rows / 2 : 0);
    show_column(v, doc, v->cur);
}
