/* Reading a document line by line (see lines.h).
 *
 * One wf_iter over everything from the first line's start to the end; each call copies
 * the bytes up to the next '\n' (memchr over the chunk) into a buffer that grows to the
 * longest line read, or only counts them when the line is past `max`. Unit positions are
 * counted along (a chunk holds whole units, and '\n' is a unit), so no line costs a lookup
 * in the document's tree. */
#include "app/editor/lines.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/utf8.h"

void line_stream_init(struct line_stream *ls, const wf_doc *doc, size_t line, size_t max)
{
    memset(ls, 0, sizeof *ls);
    ls->doc = doc;
    ls->max = max;
    ls->next_line = line;
    size_t start = wf_doc_line_start(doc, line);
    if (start == WF_NOPOS) {
        ls->done = true;
        return;
    }
    ls->next_offset = wf_doc_pos_to_byte(doc, start);
    ls->next_start = start;
    wf_iter_init(&ls->it, doc, start, wf_doc_len(doc) - start);
}

/* Appends p[0..k) to the line being assembled (copied unless it is already past max). */
static void take(struct line_stream *ls, const char *p, size_t k)
{
    if (k == 0)
        return;
    size_t have = ls->len;
    ls->len += k;
    ls->units += wf_utf8_count(p, k, NULL);
    ls->last = p[k - 1];
    if (ls->len - 1 > ls->max) /* one more than max: room for the CR of a CR LF */
        return;
    if (ls->len + 1 > ls->cap) {
        ls->cap = 2 * (ls->len + 1);
        ls->buf = wf_xrealloc(ls->buf, ls->cap);
    }
    memcpy(ls->buf + have, p, k);
}

bool line_stream_next(struct line_stream *ls)
{
    if (ls->done)
        return false;
    ls->line = ls->next_line;
    ls->offset = ls->next_offset;
    ls->start = ls->next_start;
    ls->len = ls->units = 0;
    ls->last = '\0';
    bool ended = false;
    for (;;) {
        if (ls->p == ls->end) {
            size_t n;
            if (!wf_iter_next(&ls->it, &ls->p, &n)) {
                ls->done = true; /* the last line: no line break after it */
                break;
            }
            ls->end = ls->p + n;
        }
        const char *nl = memchr(ls->p, '\n', (size_t)(ls->end - ls->p));
        size_t k = (size_t)((nl ? nl : ls->end) - ls->p);
        take(ls, ls->p, k);
        ls->p += k;
        if (nl) {
            ls->p++;
            ended = true;
            break;
        }
    }
    ls->next_offset = ls->offset + ls->len + ended;
    ls->next_start = ls->start + ls->units + ended;
    ls->next_line = ls->line + 1;
    if (ended && ls->last == '\r')
        ls->len--; /* the content ends before a CR LF */
    if (ls->len > ls->max) {
        ls->text = NULL;
    } else {
        if (!ls->buf) {
            ls->cap = 1;
            ls->buf = wf_xmalloc(1);
        }
        ls->buf[ls->len] = '\0';
        ls->text = ls->buf;
    }
    return true;
}

void line_stream_close(struct line_stream *ls)
{
    free(ls->buf);
    memset(ls, 0, sizeof *ls);
}
