/* One open file (see buffer.h). */
#include "app/editor/buffer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/layout.h"
#include "core/mem.h"
#include "core/undo.h"

/* The file's line ending, judged by its first line break. */
static bool first_break_is_crlf(const char *buf, size_t len)
{
    const char *nl = memchr(buf, '\n', len);
    return nl && nl > buf && nl[-1] == '\r';
}

/* A buffer with no document yet: its strings copied, the rest zero. */
static struct buffer *buffer_alloc(const char *path, const char *title)
{
    struct buffer *b = wf_xcalloc(1, sizeof *b);
    b->path = wf_xstrndup(path, strlen(path));
    b->title = title ? wf_xstrndup(title, strlen(title)) : NULL;
    b->conf = (struct fileconf){ .tab_width = LAYOUT_TABW, .indent_width = LAYOUT_TABW,
                                 .trim_trailing = FILECONF_UNSAID,
                                 .final_newline = FILECONF_UNSAID, .eol = FILECONF_EOL_KEEP };
    return b;
}

/* The document is in place: the view on its top, the text as the file's. */
static void buffer_start(struct buffer *b)
{
    view_init(&b->view, b->doc);
    b->view.tabw = b->conf.tab_width;
    view_sync(&b->view, b->doc);
    buffer_mark_saved(b);
}

int buffer_open(struct buffer **out, const char *path, uint64_t agent, char *err,
                size_t errsize)
{
    *out = NULL;
    struct buffer *b = buffer_alloc(path, NULL);
    b->doc = wf_doc_new(agent);
    char *text;
    size_t len;
    int e = file_read(path, &text, &len, &b->stamp);
    if (e && e != -ENOENT) {
        file_open_error(path, e, len, err, errsize);
        buffer_free(b);
        return e;
    }
    if (!e) {
        b->crlf = first_break_is_crlf(text, len);
        e = wf_doc_load(b->doc, text, len); /* takes text over, also on failure */
        if (e) {
            file_open_error(path, e, len, err, errsize);
            buffer_free(b);
            return e;
        }
    }
    buffer_start(b);
    *out = b;
    return 0;
}

/* The same judgement on a document's text, chunk by chunk up to its first line break. */
static bool doc_first_break_is_crlf(const wf_doc *doc)
{
    wf_iter it;
    wf_iter_init(&it, doc, 0, SIZE_MAX);
    const char *p;
    size_t n;
    char last = '\0';
    while (wf_iter_next(&it, &p, &n)) {
        const char *nl = memchr(p, '\n', n);
        if (nl)
            return nl > p ? nl[-1] == '\r' : last == '\r';
        if (n)
            last = p[n - 1];
    }
    return false;
}

struct buffer *buffer_new_doc(wf_doc *doc, const char *path, const char *title)
{
    struct buffer *b = buffer_alloc(path, title);
    b->doc = doc;
    b->crlf = doc_first_break_is_crlf(doc);
    buffer_start(b);
    return b;
}

void buffer_free(struct buffer *b)
{
    if (!b)
        return;
    hl_free(b->hl);
    if (!b->doc_borrowed)
        wf_doc_free(b->doc);
    free(b->path);
    free(b->title);
    free(b->find);
    free(b->conf_name);
    free(b);
}

void buffer_mark_saved(struct buffer *b)
{
    b->modified = false;
    b->others_edited = false;
    b->saved_undo = wf_doc_undo_position(b->doc);
    b->seen_revision = wf_doc_revision(b->doc);
    wf_doc_undo_break(b->doc); /* typing on joins no step that is part of the file */
}

void buffer_replace_doc(struct buffer *b, wf_doc *doc)
{
    if (!b->doc_borrowed)
        wf_doc_free(b->doc);
    b->doc_borrowed = false;
    b->doc = doc;
    b->others_edited = true; /* another document: its history says nothing of the file */
    if (b->hl)
        hl_invalidate(b->hl, 0); /* its states were the old document's */
    b->seen_revision = wf_doc_revision(doc);
    view_sync(&b->view, b->doc);
}

void buffer_reset_view(struct buffer *b)
{
    int rows = b->view.rows, cols = b->view.cols;
    unsigned tabw = b->view.tabw;
    view_init(&b->view, b->doc);
    b->view.rows = rows;
    b->view.cols = cols;
    b->view.tabw = tabw;
    view_sync(&b->view, b->doc);
}

struct write_src {
    wf_iter it;
};

static bool next_chunk(void *ctx, const char **p, size_t *n)
{
    return wf_iter_next(&((struct write_src *)ctx)->it, p, n);
}

int buffer_write(const struct buffer *b, const char *path, struct file_stamp *st,
                 enum file_step *step)
{
    struct write_src src;
    wf_iter_init(&src.it, b->doc, 0, wf_doc_len(b->doc));
    return file_write_atomic(path, next_chunk, &src, st, step);
}

size_t buffer_lines(const struct buffer *b)
{
    size_t lines = wf_doc_newlines(b->doc);
    if (wf_doc_line_start(b->doc, lines) < wf_doc_len(b->doc))
        lines++;
    return lines;
}
