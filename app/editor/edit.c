/* Editing commands (see edit.h).
 *
 * Each command is: tell the core the time, change the document by position, put the cursor
 * where the change ended, scroll to it. A core error (only possible on exhausted sequence
 * space or a bug) becomes a status-line message and leaves the document as the core left
 * it, which is consistent by the core's contract. */
#include "app/editor/edit.h"

#include <stdlib.h>
#include <string.h>

#include "app/editor/text.h"
#include "core/error.h"
#include "core/mem.h"
#include "core/undo.h"
#include "core/utf8.h"

static void tick(struct editor *ed)
{
    if (ed->clock)
        wf_doc_set_time(ed->buf->doc, ed->clock());
}

static bool check(struct editor *ed, int err)
{
    if (err)
        editor_message(ed, true, "Edit failed: %s.", wf_strerror(err));
    return err == 0;
}

/* Puts the cursor at pos after an edit: after_insert binds it to the unit just inserted
 * (view_set_cursor_after). The edit goes out to others after this input event
 * (app/editor/session.c), and editor_event() sets ed->buf->modified from the undo position. */
static void land(struct editor *ed, size_t pos, bool after_insert)
{
    view_sync(&ed->buf->view, ed->buf->doc); /* an undo may have changed text above the screen */
    view_clear_selection(&ed->buf->view);
    if (after_insert && pos > 0)
        view_set_cursor_after(&ed->buf->view, ed->buf->doc, pos);
    else
        view_set_cursor(&ed->buf->view, ed->buf->doc, pos);
    view_show_cursor(&ed->buf->view, ed->buf->doc);
    ed->edits++;
}

/* Deletes units [from, to) and puts the cursor there. */
static void delete_range(struct editor *ed, size_t from, size_t to)
{
    if (to <= from)
        return;
    tick(ed);
    if (check(ed, wf_doc_delete(ed->buf->doc, from, to - from)))
        land(ed, from, false);
}

/* Deletes the selection if there is one; true if it did. */
static bool delete_selection(struct editor *ed)
{
    size_t from, to;
    if (!view_selection(&ed->buf->view, &from, &to))
        return false;
    delete_range(ed, from, to);
    return true;
}

void edit_insert(struct editor *ed, const char *text, size_t n)
{
    size_t at = ed->buf->view.cur;
    size_t from, to;
    tick(ed);
    if (view_selection(&ed->buf->view, &from, &to)) {
        if (!check(ed, wf_doc_delete(ed->buf->doc, from, to - from)))
            return;
        at = from;
    }
    if (n > 0 && !check(ed, wf_doc_insert(ed->buf->doc, at, text, n)))
        return;
    land(ed, at + wf_utf8_count(text, n, NULL), n > 0);
}

void edit_paste_text(struct editor *ed, const char *text, size_t n)
{
    /* Terminals send line breaks in a paste as CR; files may want LF or CR LF. */
    char *out = wf_xmalloc(n * 2 + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        bool brk = text[i] == '\r' || text[i] == '\n';
        if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n')
            i++;
        if (!brk) {
            out[o++] = text[i];
            continue;
        }
        if (ed->buf->crlf)
            out[o++] = '\r';
        out[o++] = '\n';
    }
    wf_doc_undo_break(ed->buf->doc);
    edit_insert(ed, out, o);
    wf_doc_undo_break(ed->buf->doc);
    free(out);
}

void edit_newline(struct editor *ed)
{
    size_t from, to;
    size_t at = view_selection(&ed->buf->view, &from, &to) ? from : ed->buf->view.cur;
    struct line_info li;
    text_line_at(ed->buf->doc, at, &li);
    size_t k = text_indent(ed->buf->doc, &li, at);
    char *indent = wf_doc_text(ed->buf->doc, li.start, k, &k);
    char *s = wf_xmalloc(k + 2);
    size_t n = 0;
    if (ed->buf->crlf)
        s[n++] = '\r';
    s[n++] = '\n';
    memcpy(s + n, indent, k);
    edit_insert(ed, s, n + k);
    free(s);
    free(indent);
}

void edit_backspace(struct editor *ed)
{
    if (!delete_selection(ed))
        delete_range(ed, text_prev_cluster(ed->buf->doc, ed->buf->view.cur), ed->buf->view.cur);
}

void edit_delete(struct editor *ed)
{
    if (!delete_selection(ed))
        delete_range(ed, ed->buf->view.cur, text_next_cluster(ed->buf->doc, ed->buf->view.cur));
}

void edit_delete_word_left(struct editor *ed)
{
    if (!delete_selection(ed))
        delete_range(ed, text_word_left(ed->buf->doc, ed->buf->view.cur), ed->buf->view.cur);
}

void edit_delete_word_right(struct editor *ed)
{
    if (!delete_selection(ed))
        delete_range(ed, ed->buf->view.cur, text_word_right(ed->buf->doc, ed->buf->view.cur));
}

void edit_select_all(struct editor *ed)
{
    view_clear_selection(&ed->buf->view);
    view_set_cursor(&ed->buf->view, ed->buf->doc, 0);
    view_begin_selection(&ed->buf->view, ed->buf->doc);
    view_set_cursor(&ed->buf->view, ed->buf->doc, wf_doc_len(ed->buf->doc));
    view_show_cursor(&ed->buf->view, ed->buf->doc);
    wf_doc_undo_break(ed->buf->doc);
}

/* The range a copy or cut takes: the selection, else the cursor's whole line. */
static bool clip_range(struct editor *ed, size_t *from, size_t *to)
{
    if (view_selection(&ed->buf->view, from, to))
        return false;
    struct line_info li;
    text_line_at(ed->buf->doc, ed->buf->view.cur, &li);
    *from = li.start;
    *to = li.next;
    return true;
}

/* Copies [from, to) to the clipboard (a whole line gets a line break if it had none). */
static void copy_range(struct editor *ed, size_t from, size_t to, bool line)
{
    size_t n;
    char *text = wf_doc_text(ed->buf->doc, from, to - from, &n);
    if (line && (n == 0 || text[n - 1] != '\n')) {
        text = wf_xrealloc(text, n + 3);
        if (ed->buf->crlf)
            text[n++] = '\r';
        text[n++] = '\n';
        text[n] = '\0';
    }
    clipboard_set(&ed->clip, text, n, line);
    size_t len;
    char *osc = ed->term_write ? clipboard_osc52(text, n, &len) : NULL;
    if (osc) {
        ed->term_write(osc, len);
        free(osc);
    }
}

void edit_copy(struct editor *ed)
{
    size_t from, to;
    bool line = clip_range(ed, &from, &to);
    if (from == to) {
        editor_message(ed, false, "Nothing to copy.");
        return;
    }
    copy_range(ed, from, to, line);
    editor_message(ed, false, line ? "Copied the line." : "Copied.");
}

void edit_cut(struct editor *ed)
{
    size_t from, to;
    bool line = clip_range(ed, &from, &to);
    if (from == to) {
        editor_message(ed, false, "Nothing to cut.");
        return;
    }
    copy_range(ed, from, to, line);
    wf_doc_undo_break(ed->buf->doc);
    delete_range(ed, from, to);
    wf_doc_undo_break(ed->buf->doc);
}

void edit_paste(struct editor *ed)
{
    if (!ed->clip.text) {
        editor_message(ed, false, "The clipboard is empty: cut or copy something first.");
        return;
    }
    wf_doc_undo_break(ed->buf->doc);
    if (ed->clip.whole_line && !ed->buf->view.sel) {
        /* A whole line goes above the cursor's line; the cursor stays on its text. */
        struct line_info li;
        text_line_at(ed->buf->doc, ed->buf->view.cur, &li);
        size_t cur = ed->buf->view.cur;
        tick(ed);
        if (check(ed, wf_doc_insert(ed->buf->doc, li.start, ed->clip.text, ed->clip.len)))
            land(ed, cur + wf_utf8_count(ed->clip.text, ed->clip.len, NULL), false);
    } else {
        edit_insert(ed, ed->clip.text, ed->clip.len);
    }
    wf_doc_undo_break(ed->buf->doc);
}

static void undo_redo(struct editor *ed, bool redo)
{
    size_t cur = ed->buf->view.cur;
    wf_doc_undo_break(ed->buf->doc);
    int err = redo ? wf_doc_redo(ed->buf->doc, &cur) : wf_doc_undo(ed->buf->doc, &cur);
    if (err == WF_EEMPTY) {
        editor_message(ed, false, redo ? "Nothing to redo." : "Nothing to undo.");
        return;
    }
    if (check(ed, err))
        land(ed, cur, false);
}

void edit_undo(struct editor *ed)
{
    undo_redo(ed, false);
}

void edit_redo(struct editor *ed)
{
    undo_redo(ed, true);
}
