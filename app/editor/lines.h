/* Reading a document line by line, forward, in one pass over its chunks.
 *
 * For work that visits many lines in order (the highlighter catching up, a regex search,
 * replace all, counting matches): it iterates the document once with wf_iter and cuts the
 * chunks at newlines, so a line costs its bytes, not a lookup in the tree. A line's
 * *content* is as in app/editor/text.h: without its "\n", or "\r\n". Lines are 0-based;
 * positions are units, offsets bytes.
 *
 *     struct line_stream ls;
 *     line_stream_init(&ls, doc, first_line, max);
 *     while (line_stream_next(&ls))
 *         use(ls.line, ls.text, ls.len, ls.start);
 *     line_stream_close(&ls);
 *
 * Any edit of the document invalidates the stream (as it does a wf_iter). */
#ifndef WEFT_APP_EDITOR_LINES_H
#define WEFT_APP_EDITOR_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/doc.h"

/* Caller's storage; treat the fields below the line as private. */
struct line_stream {
    /* the line delivered by the last line_stream_next() */
    size_t line;        /* its 0-based number */
    const char *text;   /* its content (borrowed until the next call), or NULL when it is
                           longer than max bytes (its bytes were skipped, not copied) */
    size_t len;         /* bytes of its content, also when text is NULL */
    size_t start;       /* unit position of its first unit */
    uint64_t offset;    /* document byte offset of its first byte */

    const wf_doc *doc;
    wf_iter it;
    const char *p, *end; /* the rest of the current chunk */
    char *buf;           /* owned: the line being assembled */
    size_t cap;
    size_t max;          /* longest content copied, bytes */
    uint64_t next_offset; /* byte offset of the next line */
    size_t next_start;    /* unit position of the next line */
    size_t next_line;
    size_t units;         /* units of the line read so far */
    char last;            /* its last byte read */
    bool done;
};

/* Starts at the beginning of line `line` (nothing to read if line > wf_doc_newlines()).
 * Lines longer than max bytes are reported without their text (max = SIZE_MAX: all whole). */
void line_stream_init(struct line_stream *ls, const wf_doc *doc, size_t line, size_t max);
/* Reads the next line into ls->line/text/len/start/offset; false after the last line. */
bool line_stream_next(struct line_stream *ls);
void line_stream_close(struct line_stream *ls);

#endif
