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
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/undo.h"

#define EMERGENCY_SUFFIX ".weft-save"

static uint64_t random_agent(void)
{
    uint64_t a = 0;
    if (getrandom(&a, sizeof a, 0) != (ssize_t)sizeof a) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        a = ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 16);
    }
    return a;
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

int editor_open(struct editor *ed, const char *path, char *err, size_t errsize)
{
    memset(ed, 0, sizeof *ed);
    clipboard_init(&ed->clip);
    config_defaults(&ed->config);
    int e = buffer_open(&ed->buf, path, random_agent(), err, errsize);
    if (e)
        return e;
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
    ed->buf = buffer_new_doc(doc, path, title);
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
    buffer_free(ed->buf);
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

bool editor_save(struct editor *ed, bool force)
{
    if (!force && file_changed(ed->buf->path, &ed->buf->stamp)) {
        prompt_open(&ed->prompt, PROMPT_OVERWRITE, NULL, 0);
        return false;
    }
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
