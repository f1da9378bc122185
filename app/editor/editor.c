/* The editor (see editor.h): opening and saving the file, and messages. Input is routed
 * by app/editor/route.c, which sits above the commands; this file sits below them and calls
 * none of them, nor the session.
 *
 * Messages for people (what happened, why, what to do) are made here and in the commands,
 * never in the modules below. */
#include "app/editor/editor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/editor/agent.h"
#include "app/editor/picker.h"
#include "app/editor/saverules.h"
#include "core/error.h"
#include "core/mem.h"
#include "core/undo.h"

#define EMERGENCY_SUFFIX ".weft-save"

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
    char *t = file_save_leftover(ed->buf->path);
    if (t)
        editor_message(ed, true, "%s is left from a save that was interrupted (%s itself was "
                       "not changed by it): delete %s.", t, ed->buf->path, t);
    free(t);
    char *save = emergency_path(ed->buf->path);
    if (!save)
        return;
    if ((t = file_save_leftover(save)) != NULL)
        editor_message(ed, true, "%s is an unfinished emergency save (weft was killed while "
                       "writing it, so it may be incomplete): compare it with %s, keep what "
                       "you want, then delete it.", t, ed->buf->path);
    free(t);
    struct stat sb;
    if (stat(save, &sb) == 0 && S_ISREG(sb.st_mode)) {
        char when[64] = "";
        struct tm tm;
        if (localtime_r(&sb.st_mtime, &tm))
            strftime(when, sizeof when, " (written %Y-%m-%d %H:%M)", &tm);
        editor_message(ed, true, "%s holds unsaved text from an earlier weft that was "
                       "stopped%s: compare it with %s, keep what you want, then delete it.",
                       save, when, ed->buf->path);
    }
    free(save);
}

/* Appends b (taken over) to the open buffers; the first one becomes the one shown. */
static void add_buffer(struct editor *ed, struct buffer *b)
{
    ed->bufs = wf_xreallocarray(ed->bufs, ed->nbufs + 1, sizeof *ed->bufs);
    ed->bufs[ed->nbufs++] = b;
    if (!ed->buf)
        ed->buf = b;
}

int editor_open(struct editor *ed, const char *path, char *err, size_t errsize)
{
    memset(ed, 0, sizeof *ed);
    clipboard_init(&ed->clip);
    config_defaults(&ed->config);
    struct buffer *b;
    int e = buffer_open(&b, path, agent_random(), err, errsize);
    if (e)
        return e;
    add_buffer(ed, b);
    if (!ed->buf->stamp.exists)
        editor_message(ed, false, "New file: it will be created when you save (Ctrl-S).");
    report_leftovers(ed);
    return 0;
}

void editor_open_doc(struct editor *ed, wf_doc *doc, const char *path, const char *title)
{
    memset(ed, 0, sizeof *ed);
    clipboard_init(&ed->clip);
    config_defaults(&ed->config);
    add_buffer(ed, buffer_new_doc(doc, path, title));
}

int editor_open_another(struct editor *ed, const char *path, char *err, size_t errsize)
{
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    for (size_t i = 0; i < ed->nbufs; i++) {
        const struct buffer *b = ed->bufs[i];
        bool same = exists ? b->stamp.exists && b->stamp.dev == sb.st_dev
                                 && b->stamp.ino == sb.st_ino
                           : !b->title && strcmp(b->path, path) == 0;
        if (same) {
            editor_show_buffer(ed, i);
            return 0;
        }
    }
    struct buffer *b;
    int e = buffer_open(&b, path, agent_random(), err, errsize);
    if (e)
        return e;
    add_buffer(ed, b);
    editor_show_buffer(ed, ed->nbufs - 1);
    editor_configure_buffer(ed, path, true);
    b->view.wrap = ed->config.settings.softwrap; /* issue 14, view */
    if (!b->stamp.exists)
        editor_message(ed, false, "New file: it will be created when you save (Ctrl-S).");
    return 0;
}

void editor_add_buffer(struct editor *ed, struct buffer *b, const char *conf_name, bool local)
{
    add_buffer(ed, b);
    editor_show_buffer(ed, ed->nbufs - 1);
    editor_configure_buffer(ed, conf_name, local);
    b->view.wrap = ed->config.settings.softwrap;
}

struct buffer *editor_find_file(const struct editor *ed, uint64_t file)
{
    for (size_t i = 0; file && i < ed->nbufs; i++)
        if (ed->bufs[i]->file_id == file)
            return ed->bufs[i];
    return NULL;
}

void editor_show(struct editor *ed, const struct buffer *b)
{
    for (size_t i = 0; i < ed->nbufs; i++)
        if (ed->bufs[i] == b)
            editor_show_buffer(ed, i);
}

void editor_show_buffer(struct editor *ed, size_t i)
{
    struct buffer *b = ed->bufs[i];
    ed->buf = b;
    if (ed->screen_rows > 0) /* sized by the terminal: the gutter may differ per file */
        editor_resize(ed, ed->screen_rows, ed->screen_cols);
    view_sync(&b->view, b->doc);
}

size_t editor_shown(const struct editor *ed)
{
    for (size_t i = 0; i < ed->nbufs; i++)
        if (ed->bufs[i] == ed->buf)
            return i;
    return 0; /* not reached: buf is always one of bufs */
}

bool editor_close_buffer(struct editor *ed)
{
    if (ed->nbufs <= 1)
        return false;
    size_t i = editor_shown(ed);
    struct buffer *closing = ed->buf;
    editor_show_buffer(ed, i > 0 ? i - 1 : 1); /* the one opened before (or after, first) */
    editor_forget_buffer(ed, closing);
    return true;
}

void editor_forget_buffer(struct editor *ed, struct buffer *b)
{
    for (size_t i = 0; i < ed->nbufs; i++) {
        if (ed->bufs[i] != b || b == ed->buf)
            continue;
        buffer_free(b);
        memmove(ed->bufs + i, ed->bufs + i + 1, (ed->nbufs - i - 1) * sizeof *ed->bufs);
        ed->nbufs--;
        return;
    }
}

bool editor_any_modified(const struct editor *ed)
{
    for (size_t i = 0; i < ed->nbufs; i++)
        if (ed->bufs[i]->modified)
            return true;
    return false;
}

/* Shows each note as a message (the last stays on the status line) and frees them. */
static void show_notes(struct editor *ed, struct notes *notes)
{
    for (size_t i = 0; i < notes->n; i++)
        editor_message(ed, true, "%s", notes->text[i]);
    notes_free(notes);
}

void editor_configure_buffer(struct editor *ed, const char *name, bool local)
{
    struct notes notes;
    notes_init(&notes, CONFIG_MAX_NOTES, "this file's settings");
    config_buffer(&ed->config, ed->buf, name, local, &notes);
    show_notes(ed, &notes);
}

void editor_configure(struct editor *ed, const char *no_color)
{
    struct notes notes;
    notes_init(&notes, CONFIG_MAX_NOTES, "the settings and syntax files");
    config_free(&ed->config);
    config_load(&ed->config, no_color, &notes);
    show_notes(ed, &notes);
    if (ed->config.settings.linenumbers)
        ed->line_numbers = true;
    if (ed->config.settings.softwrap) /* issue 14, view */
        ed->buf->view.wrap = true;
    bool local = !ed->buf->title; /* a buffer without a title is a file of ours */
    /* A guest's buffer may have been configured by the host's file name already. */
    const char *name = ed->buf->conf_name ? ed->buf->conf_name : ed->buf->path;
    editor_configure_buffer(ed, name, local);
}

void editor_replace_doc(struct editor *ed, wf_doc *doc)
{
    buffer_replace_doc(ed->buf, doc);
}

void editor_reset_view(struct editor *ed)
{
    buffer_reset_view(ed->buf);
}

void editor_close(struct editor *ed)
{
    replace_ui_end(&ed->replace);
    for (size_t i = 0; i < ed->nbufs; i++)
        buffer_free(ed->bufs[i]);
    free(ed->bufs);
    if (ed->picker)
        picker_free(ed->picker);
    free(ed->picker);
    config_free(&ed->config);
    clipboard_close(&ed->clip);
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
    for (size_t n = wf_doc_newlines(ed->buf->doc) + 1; n >= 10; n /= 10)
        digits++;
    return digits + 1;
}

void editor_resize(struct editor *ed, int rows, int cols)
{
    ed->screen_rows = rows;
    ed->screen_cols = cols;
    ed->buf->view.rows = rows > 3 ? rows - 2 : 1;
    int c = cols - editor_gutter(ed);
    ed->buf->view.cols = c > 1 ? c : 1;
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

/* EditorConfig's save-time rules (saverules.h), only on a modified buffer: an unchanged
 * file is written back byte for byte. Enter then makes the line ends the file now has. */
static void apply_save_rules(struct editor *ed)
{
    struct buffer *b = ed->buf;
    if (!b->modified || !saverules_any(&b->conf))
        return;
    if (ed->clock)
        wf_doc_set_time(b->doc, ed->clock());
    size_t n;
    int e = saverules_apply(b->doc, &b->conf, &n);
    if (e)
        editor_message(ed, true, "The .editorconfig rules were not all applied: %s.",
                       wf_strerror(e));
    if (n) {
        view_sync(&b->view, b->doc);
        ed->edits++;
    }
    if (b->conf.eol == FILECONF_EOL_CRLF || b->conf.eol == FILECONF_EOL_LF)
        b->crlf = b->conf.eol == FILECONF_EOL_CRLF;
}

bool editor_save(struct editor *ed, bool force)
{
    if (!force && file_changed(ed->buf->path, &ed->buf->stamp)) {
        prompt_open(&ed->prompt, PROMPT_OVERWRITE, NULL, 0);
        return false;
    }
    apply_save_rules(ed);
    enum file_step step;
    struct file_stamp st;
    int e = buffer_write(ed->buf, ed->buf->path, &st, &step);
    if (e) {
        editor_message(ed, true, "Not saved: could not %s (%s). %s Your text is unchanged.",
                       file_step_name(step), strerror(-e), save_advice(e, step));
        return false;
    }
    ed->buf->stamp = st;
    buffer_mark_saved(ed->buf);
    size_t lines = buffer_lines(ed->buf);
    editor_message(ed, false, "Saved %zu line%s to %s.", lines, lines == 1 ? "" : "s",
                   ed->buf->path);
    return true;
}

bool editor_save_copy(struct editor *ed, const char *path)
{
    enum file_step step;
    struct file_stamp st;
    int e = buffer_write(ed->buf, path, &st, &step);
    if (e) {
        editor_message(ed, true, "No copy saved: could not %s (%s). %s", file_step_name(step),
                       strerror(-e), save_advice(e, step));
        return false;
    }
    size_t lines = buffer_lines(ed->buf);
    editor_message(ed, false, "Saved a copy (%zu line%s) to %s.", lines, lines == 1 ? "" : "s",
                   path);
    return true;
}

bool editor_save_as(struct editor *ed, const char *path)
{
    char *old = ed->buf->path;
    ed->buf->path = strdup(path);
    if (!ed->buf->path) {
        ed->buf->path = old;
        editor_message(ed, true, "Not saved: out of memory.");
        return false;
    }
    struct file_stamp keep = ed->buf->stamp;
    bool was_modified = ed->buf->modified;
    struct fileconf conf = ed->buf->conf;
    editor_configure_buffer(ed, path, true); /* the new name's EditorConfig and syntax */
    if (editor_save(ed, true)) {
        free(old);
        ed->buf->scratch = false; /* a file of its own now */
        return true;
    }
    free(ed->buf->path);
    ed->buf->path = old;
    ed->buf->stamp = keep;
    ed->buf->modified = was_modified;
    ed->buf->conf = conf;
    char err[sizeof ed->msg];
    memcpy(err, ed->msg, sizeof err);
    editor_configure_buffer(ed, old, true);
    snprintf(ed->msg, sizeof ed->msg, "%s", err);
    return false;
}

int editor_emergency_save(struct editor *ed, char **where)
{
    *where = emergency_path(ed->buf->path);
    if (!*where)
        return -ENOMEM;
    struct file_stamp st;
    return buffer_write(ed->buf, *where, &st, NULL);
}

void editor_doc_changed(struct editor *ed)
{
    view_sync(&ed->buf->view, ed->buf->doc);
}
