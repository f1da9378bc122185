/* The input router (see route.h).
 *
 * Input goes, in order, to the help screen if it is shown, to the messages screen, to the
 * Ctrl-T screen, to the prompt if one is open, then to the key bindings
 * (app/editor/keymap.c); a key bound to nothing that is text is typed. The router sits above
 * the commands and edits it calls, and the editor state (editor.c) below them: keeping it
 * out of editor.c is what leaves no call circle in the editor. */
#include "app/editor/route.h"

#include <stdint.h>

#include "app/editor/commands.h"
#include "app/editor/edit.h"
#include "app/editor/filecmd.h"
#include "app/editor/keymap.h"
#include "app/editor/move.h"
#include "app/editor/reload.h"
#include "app/editor/replace_ui.h"
#include "app/editor/session.h"
#include "app/editor/text.h"
#include "core/undo.h"
#include "core/utf8.h"

/* A key on a screen of text (F1 help, the messages): arrows and pages scroll its first
 * line *top (the drawing clamps it), any other key closes it (*shown = false). */
static void screen_key(const struct keyev *ev, size_t *top, bool *shown)
{
    if (ev->type != KEV_KEY)
        return;
    if (*top == SIZE_MAX && (ev->code == K_UP || ev->code == K_PGUP))
        return; /* not drawn yet: it still means "the end" */
    switch (ev->code) {
    case K_UP: if (*top > 0) (*top)--; break;
    case K_DOWN: if (*top < SIZE_MAX - 1) (*top)++; break;
    case K_PGUP: *top = *top > 10 ? *top - 10 : 0; break;
    case K_PGDN: *top = *top < SIZE_MAX - 10 ? *top + 10 : SIZE_MAX - 1; break;
    default: *shown = false;
    }
}

/* A key on the Ctrl-T screen: the arrows, Home and End scroll tickets wider than the
 * screen (the drawing clamps the offset), any other key returns to the text. */
static void tickets_key(struct editor *ed, const struct keyev *ev)
{
    if (ev->type != KEV_KEY)
        return;
    size_t step = ed->screen_cols > 8 ? (size_t)ed->screen_cols / 2 : 4;
    switch (ev->code) {
    case K_LEFT: ed->tickets_left = ed->tickets_left > step ? ed->tickets_left - step : 0; break;
    case K_RIGHT: ed->tickets_left += step; break;
    case K_HOME: ed->tickets_left = 0; break;
    case K_END: ed->tickets_left = SIZE_MAX; break;
    default: ed->tickets = false;
    }
}

/* Most time between the presses of a double or triple click, ms. */
#define CLICK_MS 400

/* A left press: counts it as the 1st, 2nd or 3rd of a click at one cell (by ed->clock);
 * returns the count. */
static int count_click(struct editor *ed, const struct keyev *ev)
{
    uint64_t now = ed->clock ? ed->clock() : 0;
    bool again = ed->click_ms && now - ed->click_ms <= CLICK_MS && ev->x == ed->click_x
                 && ev->y == ed->click_y && !(ev->mods & MOD_SHIFT);
    ed->clicks = again ? ed->clicks % 3 + 1 : 1;
    ed->click_ms = now ? now : 1;
    ed->click_x = ev->x;
    ed->click_y = ev->y;
    return ed->clicks;
}

/* A double click selects the word at the cursor (or the next one, from a blank), a triple
 * click the whole line with its break. */
static void select_unit(struct editor *ed, int clicks)
{
    struct view *v = &ed->buf->view;
    wf_doc *doc = ed->buf->doc;
    size_t from, to;
    if (clicks == 2) {
        to = text_word_right(doc, v->cur);
        from = text_word_left(doc, to);
        if (from > v->cur) /* the cursor was on a blank before the word */
            from = v->cur;
    } else {
        struct line_info li;
        text_line_at(doc, v->cur, &li);
        from = li.start;
        to = li.next;
    }
    if (to <= from)
        return;
    view_clear_selection(v);
    view_set_cursor(v, doc, from);
    view_begin_selection(v, doc);
    view_set_cursor(v, doc, to);
    view_show_cursor(v, doc);
}

static void mouse(struct editor *ed, const struct keyev *ev)
{
    int row = ev->y;
    int col = ev->x - editor_gutter(ed);
    switch (ev->action) {
    case MOUSE_WHEEL_UP:
        view_scroll(&ed->buf->view, ed->buf->doc, -3);
        break;
    case MOUSE_WHEEL_DOWN: {
        size_t last = wf_doc_newlines(ed->buf->doc);
        size_t top = ed->buf->view.top_line;
        view_scroll(&ed->buf->view, ed->buf->doc, last - top < 3 ? (long)(last - top) : 3);
        break;
    }
    case MOUSE_PRESS: {
        if (ev->button != 0 || row >= ed->buf->view.rows)
            break;
        move_to_cell(ed, row, col, ev->mods & MOD_SHIFT);
        ed->dragging = true;
        int clicks = count_click(ed, ev);
        if (clicks > 1)
            select_unit(ed, clicks);
        break;
    }
    case MOUSE_DRAG:
        if (ed->dragging)
            move_to_cell(ed, row < ed->buf->view.rows ? row : ed->buf->view.rows - 1, col, true);
        break;
    case MOUSE_RELEASE:
        ed->dragging = false;
        break;
    default:
        break;
    }
}

static void type_key(struct editor *ed, const struct keyev *ev)
{
    char u[4];
    size_t n;
    if (ev->code >= K_RAW && ev->code < K_RAW + 256) {
        u[0] = (char)(ev->code - K_RAW);
        n = 1;
    } else {
        n = wf_utf8_encode(ev->code, u);
    }
    if (n)
        edit_insert(ed, u, n);
}

/* Commands that change the document (refused in a read-only session). */
static bool is_edit(enum cmd c)
{
    return (c >= CMD_NEWLINE && c <= CMD_DELETE_WORD_RIGHT) || c == CMD_CUT || c == CMD_PASTE
           || c == CMD_UNDO || c == CMD_REDO || c == CMD_REPLACE || c == CMD_OUTDENT
           || c == CMD_COMMENT;
}

/* False, with the reason in the status line, when the session does not let us edit. */
static bool may_edit(struct editor *ed)
{
    const char *why;
    if (session_may_edit(ed->session, &why))
        return true;
    editor_message(ed, true, "%s", why);
    return false;
}

static void key(struct editor *ed, const struct keyev *ev)
{
    enum cmd c = keymap_lookup(ev->code, ev->mods);
    if (c != CMD_NONE) {
        if (!is_edit(c) || may_edit(ed))
            commands_run(ed, c);
        return;
    }
    bool text = ev->code >= 0x20 && ev->code != 0x7f && ev->code < K_SPECIAL;
    if (text && !(ev->mods & (MOD_CTRL | MOD_ALT))) {
        if (may_edit(ed))
            type_key(ed, ev);
        return;
    }
    char name[32];
    keys_name(ev->code, ev->mods, name, sizeof name);
    editor_message(ed, false, "%s does nothing in weft; F1 lists the keys.", name);
}

/* Our own key, paste, click or wheel turn stops following someone; the keys that only
 * look (Ctrl-O, Ctrl-T, F1) and mouse moves without a button do not. */
static void maybe_stop_following(struct editor *ed, const struct keyev *ev)
{
    if (!ed->session || !ed->session->follow)
        return;
    if (ev->type == KEV_MOUSE && ev->action != MOUSE_PRESS && ev->action != MOUSE_WHEEL_UP
        && ev->action != MOUSE_WHEEL_DOWN)
        return;
    if (ev->type == KEV_KEY) {
        enum cmd c = keymap_lookup(ev->code, ev->mods);
        if (c == CMD_FOLLOW || c == CMD_TICKETS || c == CMD_HELP || c == CMD_MESSAGES
            || c == CMD_REDRAW)
            return;
    }
    session_stop_following(ed);
}

static void route(struct editor *ed, const struct keyev *ev)
{
    if (ev->type == KEV_KEY && (ev->code == K_FOCUS_IN || ev->code == K_FOCUS_OUT)) {
        if (ev->code == K_FOCUS_IN)
            reload_check(ed, true);
        return; /* not a key of the user's: nothing else changes */
    }
    if (ed->help) {
        screen_key(ev, &ed->help_top, &ed->help);
        return;
    }
    if (ed->messages) {
        screen_key(ev, &ed->messages_top, &ed->messages);
        return;
    }
    if (ed->tickets) {
        tickets_key(ed, ev);
        return;
    }
    if (ed->prompt.kind != PROMPT_NONE) {
        bool text_prompt = ed->prompt.kind == PROMPT_FIND || ed->prompt.kind == PROMPT_GOTO
                           || ed->prompt.kind == PROMPT_SAVE_COPY
                           || ed->prompt.kind == PROMPT_SAVE_AS
                           || ed->prompt.kind == PROMPT_PICK
                           || filecmd_text_prompt(ed->prompt.kind)
                           || replace_ui_text_prompt(ed->prompt.kind);
        if (text_prompt && prompt_edit(&ed->prompt, ev))
            commands_prompt_changed(ed);
        else
            commands_prompt_key(ed, ev);
        return;
    }
    maybe_stop_following(ed, ev);
    switch (ev->type) {
    case KEV_PASTE:
        if (may_edit(ed))
            edit_paste_text(ed, ev->text, ev->len);
        break;
    case KEV_MOUSE:
        mouse(ed, ev);
        break;
    default:
        key(ed, ev);
    }
}

void editor_event(struct editor *ed, const struct keyev *ev)
{
    /* A change since the last event was not ours: others' edits, which the file lacks too
     * unless we are a guest (whose file is the host's). */
    uint64_t before = wf_doc_revision(ed->buf->doc);
    bool guest = ed->session && ed->session->role == SESSION_GUEST;
    if (before != ed->buf->seen_revision && !guest)
        ed->buf->others_edited = true;
    bool focus = ev->type == KEV_KEY && (ev->code == K_FOCUS_IN || ev->code == K_FOCUS_OUT);
    if ((ev->type != KEV_MOUSE || ev->action == MOUSE_PRESS) && !focus)
        ed->msg[0] = '\0';
    route(ed, ev);
    /* After the event, so that the key is not taken by the question (Ctrl-S asks its own). */
    reload_check(ed, false);
    if (wf_doc_revision(ed->buf->doc) != before) /* our commands changed the text */
        ed->buf->modified = ed->buf->others_edited || wf_doc_undo_position(ed->buf->doc) != ed->buf->saved_undo;
    ed->buf->seen_revision = wf_doc_revision(ed->buf->doc);
    session_update(ed);
}
