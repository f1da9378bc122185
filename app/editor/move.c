/* Cursor movement (see move.h). Motions come in pairs in enum cmd: CMD_X, then CMD_SEL_X,
 * so one table of target functions serves both. */
#include "app/editor/move.h"

#include "app/editor/text.h"
#include "app/editor/wrap.h"
#include "core/undo.h"

bool move_is_motion(enum cmd c)
{
    return c >= CMD_LEFT && c <= CMD_SEL_DOC_END;
}

/* Target of a vertical move by delta lines, keeping the goal column; with soft wrap on, by
 * delta screen rows, the goal a column within the row. */
static size_t vertical(struct view *v, const wf_doc *doc, long delta)
{
    if (v->wrap) {
        if (!v->goal_set) {
            size_t line, row;
            wrap_where(v, doc, v->cur, &line, &row, &v->goal);
        }
        return wrap_vertical(v, doc, v->cur, delta, v->goal);
    }
    if (!v->goal_set)
        v->goal = text_col_memo(&v->colm, doc, v->cur, v->tabw);
    size_t line = wf_doc_line_of(doc, v->cur);
    size_t last = wf_doc_newlines(doc);
    if (delta < 0 && line == 0)
        return 0;
    if (delta > 0 && line == last)
        return wf_doc_len(doc);
    if (delta < 0)
        line = (size_t)-delta > line ? 0 : line - (size_t)-delta;
    else
        line = last - line < (size_t)delta ? last : line + (size_t)delta;
    struct line_info li;
    text_line(doc, line, &li);
    return text_pos_at_col(doc, &li, v->goal, v->tabw);
}

/* Home: to the first non-blank character; from there (or a blank line) to column 0. */
static size_t home(const wf_doc *doc, size_t pos)
{
    struct line_info li;
    text_line_at(doc, pos, &li);
    size_t indent = li.start + text_indent(doc, &li, li.end);
    return pos == indent ? li.start : indent;
}

static size_t line_end(const wf_doc *doc, size_t pos)
{
    struct line_info li;
    text_line_at(doc, pos, &li);
    return li.end;
}

static long page(const struct view *v)
{
    return v->rows > 2 ? v->rows - 1 : 1;
}

/* Where motion c (a non-selecting one) takes the cursor; *vert says it kept the goal. */
static size_t target(struct editor *ed, enum cmd c, bool *vert)
{
    struct view *v = &ed->buf->view;
    const wf_doc *doc = ed->buf->doc;
    *vert = false;
    switch (c) {
    case CMD_LEFT: return text_prev_cluster(doc, v->cur);
    case CMD_RIGHT: return text_next_cluster(doc, v->cur);
    case CMD_WORD_LEFT: return text_word_left(doc, v->cur);
    case CMD_WORD_RIGHT: return text_word_right(doc, v->cur);
    case CMD_HOME: return home(doc, v->cur);
    case CMD_END: return line_end(doc, v->cur);
    case CMD_DOC_START: return 0;
    case CMD_DOC_END: return wf_doc_len(doc);
    case CMD_UP: *vert = true; return vertical(v, doc, -1);
    case CMD_DOWN: *vert = true; return vertical(v, doc, 1);
    case CMD_PGUP:
        *vert = true;
        if (v->wrap) /* a page of rows; the view follows the cursor */
            return vertical(v, doc, -page(v));
        view_scroll(v, doc, -page(v));
        return vertical(v, doc, -page(v));
    case CMD_PGDN:
        *vert = true;
        if (v->wrap)
            return vertical(v, doc, page(v));
        if (v->top_line + (size_t)page(v) <= wf_doc_newlines(doc))
            view_scroll(v, doc, page(v));
        return vertical(v, doc, page(v));
    default: return v->cur;
    }
}

void move_run(struct editor *ed, enum cmd c)
{
    struct view *v = &ed->buf->view;
    bool select = (c - CMD_LEFT) % 2 == 1;
    enum cmd base = select ? c - 1 : c;
    size_t from, to;
    bool had_sel = view_selection(v, &from, &to);
    if (select) {
        view_begin_selection(v, ed->buf->doc);
    } else {
        view_clear_selection(v);
        /* Left/Right on a selection go to its edge, like most editors. */
        if (had_sel && (base == CMD_LEFT || base == CMD_RIGHT)) {
            view_set_cursor(v, ed->buf->doc, base == CMD_LEFT ? from : to);
            view_show_cursor(v, ed->buf->doc);
            wf_doc_undo_break(ed->buf->doc);
            return;
        }
    }
    bool vert;
    size_t goal = v->goal;
    bool goal_set = v->goal_set;
    size_t pos = target(ed, base, &vert);
    if (vert && !goal_set) {
        goal = v->goal;
        goal_set = true;
    }
    view_set_cursor(v, ed->buf->doc, pos);
    if (vert) {
        v->goal = goal;
        v->goal_set = goal_set;
    }
    view_show_cursor(v, ed->buf->doc);
    wf_doc_undo_break(ed->buf->doc);
}

void move_to_cell(struct editor *ed, int row, int col, bool select)
{
    struct view *v = &ed->buf->view;
    size_t line = v->top_line + (size_t)(row < 0 ? 0 : row);
    size_t last = wf_doc_newlines(ed->buf->doc);
    size_t pos;
    if (v->wrap) {
        pos = wrap_pos_at_screen(v, ed->buf->doc, row, (size_t)(col < 0 ? 0 : col));
    } else if (line > last) {
        pos = wf_doc_len(ed->buf->doc);
    } else {
        struct line_info li;
        text_line(ed->buf->doc, line, &li);
        pos = text_pos_at_col(ed->buf->doc, &li, v->leftcol + (size_t)(col < 0 ? 0 : col), v->tabw);
    }
    if (select)
        view_begin_selection(v, ed->buf->doc);
    else
        view_clear_selection(v);
    view_set_cursor(v, ed->buf->doc, pos);
    view_show_cursor(v, ed->buf->doc);
    wf_doc_undo_break(ed->buf->doc);
}

void move_to_line(struct editor *ed, size_t line, size_t column)
{
    size_t last = wf_doc_newlines(ed->buf->doc);
    struct line_info li;
    text_line(ed->buf->doc, line > last ? last : line, &li);
    view_clear_selection(&ed->buf->view);
    view_set_cursor(&ed->buf->view, ed->buf->doc, text_pos_at_cluster(ed->buf->doc, &li, column));
    view_center_cursor(&ed->buf->view, ed->buf->doc);
    wf_doc_undo_break(ed->buf->doc);
}
