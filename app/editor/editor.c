/* The editor (see editor.h): opening and saving the file, and routing input.
 *
 * Input goes, in order, to the help screen if it is shown, to the prompt if one is open,
 * then to the key bindings (app/editor/keymap.c); a key bound to nothing that is text is typed.
 * Messages for people (what happened, why, what to do) are made here and in the commands,
 * never in the modules below. */
#include "app/editor/editor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/editor/agent.h"
#include "app/editor/commands.h"
#include "app/editor/edit.h"
#include "app/editor/keymap.h"
#include "app/editor/move.h"
#include "core/error.h"
#include "core/undo.h"
#include "core/utf8.h"

#define EMERGENCY_SUFFIX ".weft-save"

/* The file's line ending, judged by its first line break. */
static bool first_break_is_crlf(const char *buf, size_t len)
{
    const char *nl = memchr(buf, '\n', len);
    return nl && nl > buf && nl[-1] == '\r';
}

static void open_error(const char *path, int err, size_t size, char *out, size_t n)
{
    switch (-err) {
    case EACCES: case EPERM:
        snprintf(out, n, "cannot open %s: permission denied.\n"
                 "Check its permissions (ls -l), or run weft as a user who may read it.", path);
        break;
    case EISDIR:
        snprintf(out, n, "%s is a directory.\nGive the name of a file to edit.", path);
        break;
    case EINVAL:
        snprintf(out, n, "%s is not a regular file (a device, FIFO or socket).\n"
                 "weft edits regular files only.", path);
        break;
    case EFBIG: case -WF_ETOOBIG:
        snprintf(out, n, "%s is too large to edit (weft's limit is 4 GiB and 4 billion "
                 "characters).\nSplit it into smaller files.", path);
        break;
    case ENOMEM: case -WF_ENOMEM:
        snprintf(out, n, "not enough memory to load %s (%zu bytes).\n"
                 "Close other programs, or edit a smaller file.", path, size);
        break;
    default:
        snprintf(out, n, "cannot open %s: %s.\nCheck the path and try again.", path,
                 err <= WF_ERR_MAX && err >= WF_ERR_MIN ? wf_strerror(err) : strerror(-err));
    }
}

/* The text is the file's, as of now. */
static void mark_saved(struct editor *ed)
{
    ed->modified = false;
    ed->others_edited = false;
    ed->saved_undo = wf_doc_undo_position(ed->doc);
    ed->seen_revision = wf_doc_revision(ed->doc);
    wf_doc_undo_break(ed->doc); /* typing on joins no step that is part of the file */
}

/* PATH.weft-save: a new string (free with free()), or NULL when out of memory. */
static char *emergency_path(const char *path)
{
    size_t n = strlen(path) + sizeof EMERGENCY_SUFFIX;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s" EMERGENCY_SUFFIX, path);
    return p;
}

/* Says what an earlier weft on path left behind: an emergency save, an emergency save cut
 * short, or the temporary file of a save cut short. Each is a message (the log keeps them
 * all; the most important, last, stays on the status line); nothing is removed, as only a
 * person can tell which text to keep. */
static void report_leftovers(struct editor *ed)
{
    char *t = file_save_leftover(ed->path);
    if (t)
        editor_message(ed, true, "%s is left from a save that was interrupted (%s itself was "
                       "not changed by it): delete %s.", t, ed->path, t);
    free(t);
    char *save = emergency_path(ed->path);
    if (!save)
        return;
    if ((t = file_save_leftover(save)) != NULL)
        editor_message(ed, true, "%s is an unfinished emergency save (weft was killed while "
                       "writing it, so it may be incomplete): compare it with %s, keep what "
                       "you want, then delete it.", t, ed->path);
    free(t);
    struct stat sb;
    if (stat(save, &sb) == 0 && S_ISREG(sb.st_mode)) {
        char when[64] = "";
        struct tm tm;
        if (localtime_r(&sb.st_mtime, &tm))
            strftime(when, sizeof when, " (written %Y-%m-%d %H:%M)", &tm);
        editor_message(ed, true, "%s holds unsaved text from an earlier weft that was "
                       "stopped%s: compare it with %s, keep what you want, then delete it.",
                       save, when, ed->path);
    }
    free(save);
}

int editor_open(struct editor *ed, const char *path, char *err, size_t errsize)
{
    memset(ed, 0, sizeof *ed);
    ed->path = strdup(path);
    ed->doc = wf_doc_new(agent_random());
    clipboard_init(&ed->clip);
    char *buf;
    size_t len;
    int e = file_read(path, &buf, &len, &ed->stamp);
    if (e == -ENOENT) {
        editor_message(ed, false, "New file: it will be created when you save (Ctrl-S).");
    } else if (e) {
        open_error(path, e, len, err, errsize);
        return e;
    } else {
        ed->crlf = first_break_is_crlf(buf, len);
        e = wf_doc_load(ed->doc, buf, len);
        if (e) {
            open_error(path, e, len, err, errsize);
            return e;
        }
    }
    view_init(&ed->view, ed->doc);
    view_sync(&ed->view, ed->doc);
    mark_saved(ed);
    report_leftovers(ed);
    return 0;
}

void editor_open_doc(struct editor *ed, wf_doc *doc, const char *path, const char *title)
{
    memset(ed, 0, sizeof *ed);
    ed->path = strdup(path);
    ed->title = title ? strdup(title) : NULL;
    ed->doc = doc;
    clipboard_init(&ed->clip);
    view_init(&ed->view, ed->doc);
    view_sync(&ed->view, ed->doc);
    mark_saved(ed);
}

void editor_replace_doc(struct editor *ed, wf_doc *doc)
{
    wf_doc_free(ed->doc);
    ed->doc = doc;
    ed->others_edited = true; /* another document: its history says nothing of the file */
    ed->seen_revision = wf_doc_revision(doc);
    view_sync(&ed->view, ed->doc);
}

void editor_reset_view(struct editor *ed)
{
    int rows = ed->view.rows, cols = ed->view.cols;
    view_init(&ed->view, ed->doc);
    ed->view.rows = rows;
    ed->view.cols = cols;
    view_sync(&ed->view, ed->doc);
}

void editor_close(struct editor *ed)
{
    wf_doc_free(ed->doc);
    clipboard_close(&ed->clip);
    free(ed->path);
    free(ed->title);
    free(ed->find);
    msglog_close(&ed->log);
    memset(ed, 0, sizeof *ed);
}

void editor_message(struct editor *ed, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ed->msg, sizeof ed->msg, fmt, ap);
    va_end(ap);
    ed->msg_error = error;
    editor_log(ed, error, ed->msg);
}

void editor_log(struct editor *ed, bool error, const char *text)
{
    msglog_add(&ed->log, time(NULL), error, text);
}

int editor_gutter(const struct editor *ed)
{
    if (!ed->line_numbers)
        return 0;
    int digits = 1;
    for (size_t n = wf_doc_newlines(ed->doc) + 1; n >= 10; n /= 10)
        digits++;
    return digits + 1;
}

void editor_resize(struct editor *ed, int rows, int cols)
{
    ed->screen_rows = rows;
    ed->screen_cols = cols;
    ed->view.rows = rows > 3 ? rows - 2 : 1;
    int c = cols - editor_gutter(ed);
    ed->view.cols = c > 1 ? c : 1;
    session_update(ed); /* others see how many lines we see */
}

struct save_src {
    wf_iter it;
};

static bool next_chunk(void *ctx, const char **p, size_t *n)
{
    return wf_iter_next(&((struct save_src *)ctx)->it, p, n);
}

static const char *save_advice(int err, enum file_step step)
{
    switch (-err) {
    case ENOSPC: case EDQUOT: return "The disk is full: free some space, then press Ctrl-S.";
    case EROFS: return "The file system is read-only.";
    case EACCES: case EPERM:
        return "Check the permissions of the file and its directory, then press Ctrl-S.";
    case ENOENT:
        if (step == FILE_STEP_CREATE || step == FILE_STEP_RENAME)
            return "Its directory no longer exists: create it again, then press Ctrl-S.";
        return "Press Ctrl-S to try again.";
    default: return "Fix that and press Ctrl-S again.";
    }
}

/* Lines as a user counts them: a last line without a newline counts too. */
static size_t lines_counted(const wf_doc *doc)
{
    size_t lines = wf_doc_newlines(doc);
    if (wf_doc_line_start(doc, lines) < wf_doc_len(doc))
        lines++;
    return lines;
}

bool editor_save(struct editor *ed, bool force)
{
    if (!force && file_changed(ed->path, &ed->stamp)) {
        prompt_open(&ed->prompt, PROMPT_OVERWRITE, NULL, 0);
        return false;
    }
    struct save_src src;
    wf_iter_init(&src.it, ed->doc, 0, wf_doc_len(ed->doc));
    enum file_step step;
    struct file_stamp st;
    int e = file_write_atomic(ed->path, next_chunk, &src, &st, &step);
    if (e) {
        editor_message(ed, true, "Not saved: could not %s (%s). %s Your text is unchanged.",
                       file_step_name(step), strerror(-e), save_advice(e, step));
        return false;
    }
    ed->stamp = st;
    mark_saved(ed);
    size_t lines = lines_counted(ed->doc);
    editor_message(ed, false, "Saved %zu line%s to %s.", lines, lines == 1 ? "" : "s",
                   ed->path);
    if (ed->session && ed->session->ops && ed->session->ops->saved)
        ed->session->ops->saved(ed->session->ctx, ed->msg);
    return true;
}

bool editor_save_copy(struct editor *ed, const char *path)
{
    struct save_src src;
    wf_iter_init(&src.it, ed->doc, 0, wf_doc_len(ed->doc));
    enum file_step step;
    struct file_stamp st;
    int e = file_write_atomic(path, next_chunk, &src, &st, &step);
    if (e) {
        editor_message(ed, true, "No copy saved: could not %s (%s). %s", file_step_name(step),
                       strerror(-e), save_advice(e, step));
        return false;
    }
    size_t lines = lines_counted(ed->doc);
    editor_message(ed, false, "Saved a copy (%zu line%s) to %s.", lines, lines == 1 ? "" : "s",
                   path);
    return true;
}

int editor_emergency_save(struct editor *ed, char **where)
{
    *where = emergency_path(ed->path);
    if (!*where)
        return -ENOMEM;
    struct save_src src;
    struct file_stamp st;
    wf_iter_init(&src.it, ed->doc, 0, wf_doc_len(ed->doc));
    return file_write_atomic(*where, next_chunk, &src, &st, NULL);
}

void editor_doc_changed(struct editor *ed)
{
    view_sync(&ed->view, ed->doc);
}

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

static void mouse(struct editor *ed, const struct keyev *ev)
{
    int row = ev->y;
    int col = ev->x - editor_gutter(ed);
    switch (ev->action) {
    case MOUSE_WHEEL_UP:
        view_scroll(&ed->view, ed->doc, -3);
        break;
    case MOUSE_WHEEL_DOWN: {
        size_t last = wf_doc_newlines(ed->doc);
        size_t top = ed->view.top_line;
        view_scroll(&ed->view, ed->doc, last - top < 3 ? (long)(last - top) : 3);
        break;
    }
    case MOUSE_PRESS:
        if (ev->button != 0 || row >= ed->view.rows)
            break;
        move_to_cell(ed, row, col, ev->mods & MOD_SHIFT);
        ed->dragging = true;
        break;
    case MOUSE_DRAG:
        if (ed->dragging)
            move_to_cell(ed, row < ed->view.rows ? row : ed->view.rows - 1, col, true);
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
           || c == CMD_UNDO || c == CMD_REDO;
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
                           || ed->prompt.kind == PROMPT_SAVE_COPY;
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
    uint64_t before = wf_doc_revision(ed->doc);
    bool guest = ed->session && ed->session->role == SESSION_GUEST;
    if (before != ed->seen_revision && !guest)
        ed->others_edited = true;
    if (ev->type != KEV_MOUSE || ev->action == MOUSE_PRESS)
        ed->msg[0] = '\0';
    route(ed, ev);
    if (wf_doc_revision(ed->doc) != before) /* our commands changed the text */
        ed->modified = ed->others_edited || wf_doc_undo_position(ed->doc) != ed->saved_undo;
    ed->seen_revision = wf_doc_revision(ed->doc);
    session_update(ed);
}
