/* Commands (see commands.h). Motions live in app/editor/move.c and edits in app/editor/edit.c; this file
 * holds the table that names them all, and the commands that talk to the user through the
 * prompt: find, go to line, save, quit. */
#include "app/editor/commands.h"

#include <stdlib.h>
#include <string.h>

#include "app/editor/chooser.h"
#include "app/editor/comment.h"
#include "app/editor/edit.h"
#include "app/editor/filecmd.h"
#include "app/editor/find.h"
#include "app/editor/indent.h"
#include "app/editor/move.h"
#include "app/editor/picking.h"
#include "app/editor/reload.h"
#include "app/editor/replace_ui.h"
#include "app/editor/viewcmd.h"
#include "core/undo.h"
#include "core/utf8.h"

static void cmd_scroll_up(struct editor *ed)
{
    view_scroll(&ed->buf->view, ed->buf->doc, -1);
}

static void cmd_scroll_down(struct editor *ed)
{
    if (ed->buf->view.top_line < wf_doc_newlines(ed->buf->doc))
        view_scroll(&ed->buf->view, ed->buf->doc, 1);
}

static void cmd_find(struct editor *ed)
{
    size_t from, to;
    ed->buf->find_origin = view_selection(&ed->buf->view, &from, &to) ? from : ed->buf->view.cur;
    prompt_open(&ed->prompt, PROMPT_FIND, NULL, 0);
}

/* Finds the next (dir > 0) or previous match of the prompt's text, or of the last search
 * when the prompt is closed or empty, and selects it. */
static bool find_step(struct editor *ed, int dir)
{
    const char *q = ed->buf->find;
    if (ed->prompt.kind == PROMPT_FIND && ed->prompt.len > 0)
        q = ed->prompt.text;
    if (!q || !*q) {
        editor_message(ed, false, "Nothing to find: press Ctrl-F and type the text.");
        return false;
    }
    size_t n = strlen(q);
    if (q != ed->buf->find) {
        free(ed->buf->find);
        ed->buf->find = strdup(q);
    }
    struct view *v = &ed->buf->view;
    size_t from, to;
    bool has = view_selection(v, &from, &to);
    size_t start = has ? from : v->cur;
    bool wrapped;
    size_t pos = dir > 0 ? find_next(ed->buf->doc, q, n, start + (has ? 1 : 0), &wrapped)
                         : find_prev(ed->buf->doc, q, n, start, &wrapped);
    if (pos == WF_NOPOS) {
        editor_message(ed, true, "\"%s\" was not found.", q);
        return false;
    }
    view_clear_selection(v);
    view_set_cursor(v, ed->buf->doc, pos);
    view_begin_selection(v, ed->buf->doc);
    view_set_cursor(v, ed->buf->doc, pos + wf_utf8_count(q, n, NULL));
    view_center_cursor(v, ed->buf->doc);
    wf_doc_undo_break(ed->buf->doc);
    if (wrapped)
        editor_message(ed, false, "Search wrapped around.");
    return true;
}

static void cmd_find_next(struct editor *ed)
{
    find_step(ed, 1);
}

static void cmd_find_prev(struct editor *ed)
{
    find_step(ed, -1);
}

static void cmd_goto(struct editor *ed)
{
    prompt_open(&ed->prompt, PROMPT_GOTO, NULL, 0);
}

/* A guest's Ctrl-S: the host saves its file; without the host, a copy is saved here. */
static void guest_save(struct editor *ed)
{
    struct session *s = ed->session;
    if (!s->synced) {
        editor_message(ed, false, "Nothing to save yet: the document has not arrived.");
    } else if (s->link == SESSION_ONLINE) {
        if (s->ops && s->ops->save)
            s->ops->save(s->ctx);
        editor_message(ed, false, "Asked %s to save the file...", s->host_name);
    } else {
        prompt_open(&ed->prompt, PROMPT_SAVE_COPY, ed->buf->path, strlen(ed->buf->path));
    }
}

/* Saves the file (editor_save) and, in a session, tells the others. */
static bool save_file(struct editor *ed, bool force)
{
    if (!editor_save(ed, force))
        return false;
    session_saved(ed->session, ed->msg);
    return true;
}

static void cmd_save_as(struct editor *ed);

static void cmd_save(struct editor *ed)
{
    if (ed->buf->scratch) /* weft DIR's first buffer: no file chosen yet */
        cmd_save_as(ed);
    else if (ed->session && ed->session->role == SESSION_GUEST)
        guest_save(ed);
    else
        save_file(ed, false);
}

static void cmd_quit(struct editor *ed)
{
    const struct session *s = ed->session;
    if (s && s->role == SESSION_GUEST) {
        /* Online, what is in flight still goes out before the connection closes. */
        if (s->link != SESSION_ONLINE && (s->unsent > 0 || s->offline_edits > 0))
            prompt_open(&ed->prompt, PROMPT_LEAVE, NULL, 0);
        else
            ed->quit = true;
    } else if (editor_any_modified(ed)) {
        /* Ask about each file with unsaved changes in turn, showing it; a yes saves it and
         * asks about the next. */
        size_t left = 0, first = SIZE_MAX;
        for (size_t i = 0; i < ed->nbufs; i++)
            if (ed->bufs[i]->modified) {
                left++;
                if (first == SIZE_MAX || ed->bufs[i] == ed->buf)
                    first = i;
            }
        editor_show_buffer(ed, first);
        if (left > 1)
            editor_message(ed, false, "%zu files have unsaved changes; this one first.", left);
        if (ed->buf->scratch) {
            editor_message(ed, false, "Save this text first (Enter), or Esc and Ctrl-Q "
                           "again after undoing it.");
            cmd_save_as(ed);
        } else {
            prompt_open(&ed->prompt, PROMPT_QUIT, NULL, 0);
        }
    } else {
        ed->quit = true;
    }
}

static void cmd_help(struct editor *ed)
{
    ed->help = true;
    ed->help_top = 0;
}

static void cmd_line_numbers(struct editor *ed)
{
    ed->line_numbers = !ed->line_numbers;
    editor_resize(ed, ed->screen_rows, ed->screen_cols);
    view_show_cursor(&ed->buf->view, ed->buf->doc);
}

static void cmd_tickets(struct editor *ed)
{
    if (!ed->session || ed->session->ntickets == 0)
        editor_message(ed, false, "Not in a shared session: there are no join tickets to show.");
    else {
        ed->tickets = true;
        ed->tickets_left = 0;
    }
}

static void cmd_follow(struct editor *ed)
{
    const struct session *s = ed->session;
    if (!chooser_open(ed, PROMPT_FOLLOW, "follow"))
        return;
    /* Start on the one followed now, else the first (for a guest, usually the host). */
    for (size_t i = 0; i < s->npeople; i++)
        if (s->people[i].agent == s->follow)
            ed->follow_pick = i;
}

static void cmd_messages(struct editor *ed)
{
    ed->messages = true;
    ed->messages_top = SIZE_MAX; /* the newest at the bottom; drawing clamps it */
}

static void cmd_redraw(struct editor *ed)
{
    ed->redraw_all = true;
}

static void cmd_escape(struct editor *ed)
{
    view_clear_selection(&ed->buf->view);
    ed->msg[0] = '\0';
}

/* Alt-W: where to save (the file's own path to start from). A guest saves a copy: the
 * file is the host's. */
static void cmd_save_as(struct editor *ed)
{
    const char *p = ed->buf->path;
    int kind = ed->session && ed->session->role == SESSION_GUEST ? PROMPT_SAVE_COPY
                                                                   : PROMPT_SAVE_AS;
    prompt_open(&ed->prompt, kind, p, strlen(p));
}

static void cmd_buffer_prev(struct editor *ed)
{
    picking_cycle(ed, -1);
}

static void cmd_buffer_next(struct editor *ed)
{
    picking_cycle(ed, 1);
}

/* Alt-A: every open file with unsaved changes, saved as Ctrl-S would save it, except that
 * one changed on disk is left for its own Ctrl-S to ask about; a guest asks the host for
 * each; a host then saves the files only guests have open. */
static void cmd_save_all(struct editor *ed)
{
    struct session *s = ed->session;
    bool guest = s && s->role == SESSION_GUEST;
    if (guest && (!s->synced || s->link != SESSION_ONLINE)) {
        editor_message(ed, false, "Alt-A asks the host, who is not reachable now: Ctrl-S "
                       "saves a copy of the file shown here.");
        return;
    }
    struct buffer *shown = ed->buf;
    const char *changed = NULL;
    size_t saved = 0, failed = 0;
    for (size_t i = 0; i < ed->nbufs; i++) {
        struct buffer *b = ed->bufs[i];
        if (!b->modified || b->scratch)
            continue;
        ed->buf = b; /* the commands save the buffer shown */
        if (guest) {
            if (s->ops && s->ops->save)
                s->ops->save(s->ctx);
            saved++;
        } else if (b->stamp.exists && file_changed(b->path, &b->stamp)) {
            changed = b->path;
            failed++;
        } else if (save_file(ed, true)) {
            saved++;
        } else {
            failed++;
        }
    }
    ed->buf = shown;
    if (!guest && s && s->ops && s->ops->save_all)
        s->ops->save_all(s->ctx);
    if (guest)
        editor_message(ed, false, "Asked %s to save %zu file%s...", s->host_name, saved,
                       saved == 1 ? "" : "s");
    else if (changed)
        editor_message(ed, true, "Saved %zu file%s; %zu not: %s changed on disk (show it, "
                       "Ctrl-S decides).", saved, saved == 1 ? "" : "s", failed, changed);
    else if (failed)
        editor_message(ed, true, "Saved %zu file%s; %zu could not be saved (Alt-M shows "
                       "why).", saved, saved == 1 ? "" : "s", failed);
    else
        editor_message(ed, false, "Saved %zu file%s.", saved, saved == 1 ? "" : "s");
}

static void cmd_suspend(struct editor *ed)
{
    if (ed->suspend) {
        ed->suspend();
        ed->redraw_all = true;
    } else {
        editor_message(ed, false, "weft cannot be suspended here.");
    }
}

typedef void (*cmd_fn)(struct editor *ed);

static const cmd_fn table[CMD_COUNT] = {
    /* issue 14, view (app/editor/viewcmd.c) */
    [CMD_BRACKET] = viewcmd_bracket,
    [CMD_JUMP] = viewcmd_jump,
    [CMD_SOFTWRAP] = viewcmd_softwrap,
    [CMD_SCROLL_UP] = cmd_scroll_up,
    [CMD_SCROLL_DOWN] = cmd_scroll_down,
    [CMD_NEWLINE] = edit_newline,
    [CMD_TAB] = indent_tab,
    [CMD_BACKSPACE] = edit_backspace,
    [CMD_DELETE] = edit_delete,
    [CMD_DELETE_WORD_LEFT] = edit_delete_word_left,
    [CMD_DELETE_WORD_RIGHT] = edit_delete_word_right,
    [CMD_SELECT_ALL] = edit_select_all,
    [CMD_COPY] = edit_copy,
    [CMD_CUT] = edit_cut,
    [CMD_PASTE] = edit_paste,
    [CMD_UNDO] = edit_undo,
    [CMD_REDO] = edit_redo,
    [CMD_FIND] = cmd_find,
    [CMD_FIND_NEXT] = cmd_find_next,
    [CMD_FIND_PREV] = cmd_find_prev,
    [CMD_GOTO] = cmd_goto,
    [CMD_SAVE] = cmd_save,
    [CMD_QUIT] = cmd_quit,
    [CMD_HELP] = cmd_help,
    [CMD_LINE_NUMBERS] = cmd_line_numbers,
    [CMD_TICKETS] = cmd_tickets,
    [CMD_FOLLOW] = cmd_follow,
    [CMD_MESSAGES] = cmd_messages,
    [CMD_REDRAW] = cmd_redraw,
    [CMD_ESCAPE] = cmd_escape,
    /* issue 14, editing */
    [CMD_REPLACE] = replace_ui_start,
    [CMD_OUTDENT] = indent_outdent,
    [CMD_COMMENT] = comment_toggle,
    [CMD_SAVE_AS] = cmd_save_as,
    [CMD_SUSPEND] = cmd_suspend,
    [CMD_PICK] = picking_open,
    [CMD_BUFFER_PREV] = cmd_buffer_prev,
    [CMD_BUFFER_NEXT] = cmd_buffer_next,
    [CMD_SAVE_ALL] = cmd_save_all,
    [CMD_FILE_NEW] = filecmd_new,
    [CMD_FILE_RENAME] = filecmd_rename,
    [CMD_FILE_DELETE] = filecmd_delete,
};

void commands_run(struct editor *ed, enum cmd c)
{
    if (move_is_motion(c))
        move_run(ed, c);
    else if (c > CMD_NONE && c < CMD_COUNT && table[c])
        table[c](ed);
}

/* "LINE" or "LINE:COLUMN", both 1-based. */
static void goto_answer(struct editor *ed)
{
    char *end;
    const char *s = ed->prompt.text;
    unsigned long line = strtoul(s, &end, 10);
    unsigned long col = 1;
    if (end != s && *end == ':')
        col = strtoul(end + 1, &end, 10);
    prompt_close(&ed->prompt);
    if (end == s || *end != '\0' || line == 0 || col == 0 || s[0] == '-') {
        editor_message(ed, true, "Not a line number: \"%s\" (give LINE or LINE:COLUMN, "
                       "counting from 1).", s);
        return;
    }
    move_to_line(ed, line - 1, col - 1);
}

static void find_key(struct editor *ed, const struct keyev *ev)
{
    uint32_t k = ev->code;
    bool ctrl = ev->mods == MOD_CTRL;
    if (k == K_ESC) {
        prompt_close(&ed->prompt);
        view_clear_selection(&ed->buf->view);
        view_set_cursor(&ed->buf->view, ed->buf->doc, ed->buf->find_origin);
        view_show_cursor(&ed->buf->view, ed->buf->doc);
    } else if (k == K_ENTER) {
        size_t from, to;
        if (!view_selection(&ed->buf->view, &from, &to) || ed->prompt.len == 0)
            find_step(ed, 1);
        if (ed->prompt.len > 0) {
            free(ed->buf->find);
            ed->buf->find = strdup(ed->prompt.text);
        }
        prompt_close(&ed->prompt);
    } else if (k == K_DOWN || (ctrl && (k == 'n' || k == 'f')) || k == K_F3) {
        find_step(ed, ev->mods == MOD_SHIFT ? -1 : 1);
    } else if (k == K_UP || (ctrl && k == 'p')) {
        find_step(ed, -1);
    }
}

static void yes_no_key(struct editor *ed, const struct keyev *ev)
{
    int kind = ed->prompt.kind;
    uint32_t k = ev->code;
    if (k == K_ESC || (ev->mods == MOD_CTRL && (k == 'c' || k == 'q'))) {
        prompt_close(&ed->prompt);
        ed->quit_after_save = false;
        return;
    }
    if (ev->mods || (k != 'y' && k != 'Y' && k != 'n' && k != 'N'))
        return;
    bool yes = k == 'y' || k == 'Y';
    prompt_close(&ed->prompt);
    if (kind == PROMPT_LEAVE) {
        ed->quit = yes;
        return;
    }
    if (kind == PROMPT_QUIT) {
        if (!yes) {
            ed->quit = true;
            return;
        }
        ed->quit_after_save = true;
        if (save_file(ed, false)) {
            ed->quit_after_save = false;
            cmd_quit(ed); /* the next file with unsaved changes, or out */
        }
    } else if (kind == PROMPT_OVERWRITE) {
        if (yes && save_file(ed, true) && ed->quit_after_save) {
            ed->quit_after_save = false;
            cmd_quit(ed);
        }
        if (!yes)
            editor_message(ed, false, "Not saved.");
        ed->quit_after_save = false;
    }
}

/* The follow chooser: the entries are the participants, then "nobody" when following. */
static void follow_key(struct editor *ed, const struct keyev *ev)
{
    struct session *s = ed->session;
    size_t n = s->npeople + (s->follow ? 1 : 0);
    if (chooser_key(ed, ev, n, 'o', MOD_CTRL) != CHOOSER_PICK)
        return;
    if (ed->follow_pick >= s->npeople) {
        session_stop_following(ed);
        return;
    }
    const wn_presence *p = &s->people[ed->follow_pick];
    session_follow(ed, p->agent);
    editor_message(ed, false, "Following %s: your view tracks their cursor. Any key of yours "
                   "stops it.", p->name);
}

static void save_copy_key(struct editor *ed, const struct keyev *ev)
{
    if (ev->code == K_ESC || (ev->mods == MOD_CTRL && ev->code == 'c')) {
        prompt_close(&ed->prompt);
        editor_message(ed, false, "No copy saved.");
    } else if (ev->code == K_ENTER && ed->prompt.len > 0) {
        prompt_close(&ed->prompt);
        editor_save_copy(ed, ed->prompt.text);
    }
}

/* Enter on the save-as prompt: an existing file other than ours is replaced only on a
 * second Enter with the same path. */
static void save_as_key(struct editor *ed, const struct keyev *ev)
{
    if (ev->code == K_ESC || (ev->mods == MOD_CTRL && ev->code == 'c')) {
        prompt_close(&ed->prompt);
        ed->save_as_confirm = false;
        editor_message(ed, false, "Not saved.");
        return;
    }
    if (ev->code != K_ENTER || ed->prompt.len == 0)
        return;
    char path[PROMPT_MAX + 1];
    memcpy(path, ed->prompt.text, ed->prompt.len + 1);
    struct file_stamp none = { .exists = false };
    bool exists = file_changed(path, &none);
    if (exists && strcmp(path, ed->buf->path) != 0 && !ed->save_as_confirm) {
        ed->save_as_confirm = true;
        editor_message(ed, true, "%s exists: Enter again replaces it, Esc keeps it.", path);
        return;
    }
    ed->save_as_confirm = false;
    prompt_close(&ed->prompt);
    if (editor_save_as(ed, path))
        session_saved(ed->session, ed->msg);
}

void commands_prompt_key(struct editor *ed, const struct keyev *ev)
{
    if (ev->type != KEV_KEY)
        return;
    switch (ed->prompt.kind) {
    case PROMPT_FOLLOW:
        follow_key(ed, ev);
        break;
    case PROMPT_JUMP: /* issue 14, view */
        viewcmd_jump_key(ed, ev);
        break;
    case PROMPT_SAVE_COPY:
        save_copy_key(ed, ev);
        break;
    case PROMPT_FIND:
        find_key(ed, ev);
        break;
    case PROMPT_REPLACE:
    case PROMPT_REPLACE_WITH:
    case PROMPT_REPLACE_ASK:
        replace_ui_key(ed, ev);
        break;
    case PROMPT_SAVE_AS:
        save_as_key(ed, ev);
        break;
    case PROMPT_RELOAD:
        reload_key(ed, ev);
        break;
    case PROMPT_PICK:
        picking_key(ed, ev);
        break;
    case PROMPT_NEW_FILE:
    case PROMPT_RENAME:
    case PROMPT_DELETE:
        filecmd_key(ed, ev);
        break;
    case PROMPT_GOTO:
        if (ev->code == K_ENTER)
            goto_answer(ed);
        else if (ev->code == K_ESC || (ev->mods == MOD_CTRL && ev->code == 'c'))
            prompt_close(&ed->prompt);
        break;
    case PROMPT_QUIT:
    case PROMPT_OVERWRITE:
    case PROMPT_LEAVE:
        yes_no_key(ed, ev);
        break;
    default:
        break;
    }
}

void commands_prompt_changed(struct editor *ed)
{
    ed->save_as_confirm = false; /* another path: ask again */
    if (ed->prompt.kind == PROMPT_PICK)
        picking_changed(ed);
    if (ed->prompt.kind != PROMPT_FIND)
        return;
    struct view *v = &ed->buf->view;
    view_clear_selection(v);
    view_set_cursor(v, ed->buf->doc, ed->buf->find_origin);
    if (ed->prompt.len == 0) {
        view_show_cursor(v, ed->buf->doc);
        return;
    }
    bool wrapped;
    size_t n = ed->prompt.len;
    size_t pos = find_next(ed->buf->doc, ed->prompt.text, n, ed->buf->find_origin, &wrapped);
    if (pos == WF_NOPOS) {
        editor_message(ed, true, "Not found.");
        view_show_cursor(v, ed->buf->doc);
        return;
    }
    if (wrapped)
        editor_message(ed, false, "Search wrapped around.");
    else
        ed->msg[0] = '\0';
    view_set_cursor(v, ed->buf->doc, pos);
    view_begin_selection(v, ed->buf->doc);
    view_set_cursor(v, ed->buf->doc, pos + wf_utf8_count(ed->prompt.text, n, NULL));
    view_center_cursor(v, ed->buf->doc);
}
