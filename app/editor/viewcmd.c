/* The view's commands (see viewcmd.h). */
#include "app/editor/viewcmd.h"

#include "app/editor/bracket.h"
#include "app/editor/chooser.h"
#include "core/anchor.h"
#include "core/undo.h"

void viewcmd_bracket(struct editor *ed)
{
    struct view *v = &ed->buf->view;
    size_t at;
    size_t m = bracket_near(ed->buf->doc, v->cur, BRACKET_BUDGET, &at);
    if (at == WF_NOPOS) {
        editor_message(ed, false, "Not on a bracket: Alt-] jumps from ( ) [ ] { } to the "
                       "one that matches it.");
        return;
    }
    if (m == WF_NOPOS) {
        editor_message(ed, false, "This bracket has no match (looked up to %zu KB away).",
                       BRACKET_BUDGET >> 10);
        return;
    }
    view_clear_selection(v);
    view_set_cursor(v, ed->buf->doc, m);
    view_show_cursor(v, ed->buf->doc);
    wf_doc_undo_break(ed->buf->doc);
}

/* Where participant i's cursor is in our document, or WF_NOPOS. */
static size_t cursor_of(const struct editor *ed, size_t i)
{
    const wn_presence *p = &ed->session->people[i];
    if (!(p->flags & WN_PRESENCE_CURSOR))
        return WF_NOPOS;
    const struct session *s = ed->session;
    if (!session_in_shown_file(ed, p)
        && (!p->file || !s->ops || !s->ops->show_file
            || !s->ops->show_file(s->ctx, p->file) || !session_in_shown_file(ed, p)))
        return WF_NOPOS;
    size_t pos = wf_doc_anchor_pos(ed->buf->doc, p->cursor);
    size_t len = wf_doc_len(ed->buf->doc);
    return pos == WF_NOPOS ? WF_NOPOS : pos > len ? len : pos;
}

void viewcmd_jump(struct editor *ed)
{
    chooser_open(ed, PROMPT_JUMP, "jump to");
}

void viewcmd_jump_key(struct editor *ed, const struct keyev *ev)
{
    const struct session *s = ed->session;
    if (chooser_key(ed, ev, s ? s->npeople : 0, 'j', MOD_ALT) != CHOOSER_PICK)
        return;
    const char *name = s->people[ed->follow_pick].name;
    size_t pos = cursor_of(ed, ed->follow_pick);
    if (pos == WF_NOPOS) {
        editor_message(ed, false, "%s's cursor is not known here yet.", name);
        return;
    }
    struct view *v = &ed->buf->view;
    view_clear_selection(v);
    view_set_cursor(v, ed->buf->doc, pos);
    view_center_cursor(v, ed->buf->doc);
    wf_doc_undo_break(ed->buf->doc);
    editor_message(ed, false, "At %s's cursor (line %zu).", name,
                   wf_doc_line_of(ed->buf->doc, pos) + 1);
}

void viewcmd_softwrap(struct editor *ed)
{
    struct view *v = &ed->buf->view;
    v->wrap = !v->wrap;
    v->leftcol = 0;
    v->top_row = 0;
    view_show_cursor(v, ed->buf->doc);
    editor_message(ed, false, "Soft wrap %s.", v->wrap ? "on: long lines continue on the "
                   "next rows" : "off");
}
