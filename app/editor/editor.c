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
    ed->doc = wf_doc_new(random_agent());
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
