/* Text queries for the editor (see text.h).
 *
 * Cluster and word queries copy a window of at most WINDOW units around the position and
 * run app/editor/layout.c or the word classifier on it, so their cost does not depend on the
 * document's size or on the length of the line. A grapheme cluster longer than WINDOW units
 * (only seen in "zalgo" text) is cut there. */
#include "app/editor/text.h"

#include <stdlib.h>
#include <utf8proc.h>

#include "app/editor/layout.h"
#include "core/utf8.h"

#define WINDOW 1024

void text_line(const wf_doc *doc, size_t line, struct line_info *li)
{
    size_t len = wf_doc_len(doc);
    li->line = line;
    li->start = wf_doc_line_start(doc, line);
    if (li->start == WF_NOPOS)
        li->start = len;
    size_t nl = wf_doc_line_start(doc, line + 1);
    if (nl == WF_NOPOS) {
        li->next = len;
        li->end = len;
        return;
    }
    li->next = nl;
    li->end = nl - 1;
    if (li->end > li->start) {
        const char *p;
        size_t n;
        wf_iter it;
        wf_iter_init(&it, doc, li->end - 1, 1);
        if (wf_iter_next(&it, &p, &n) && n == 1 && p[0] == '\r')
            li->end--;
    }
}

void text_line_at(const wf_doc *doc, size_t pos, struct line_info *li)
{
    text_line(doc, wf_doc_line_of(doc, pos), li);
}

char *text_line_copy(const wf_doc *doc, const struct line_info *li, size_t *nbytes)
{
    return wf_doc_text(doc, li->start, li->end - li->start, nbytes);
}

size_t text_next_cluster(const wf_doc *doc, size_t pos)
{
    size_t len = wf_doc_len(doc);
    if (pos >= len)
        return len;
    struct line_info li;
    text_line_at(doc, pos, &li);
    if (pos >= li.end)
        return li.next;
    size_t end = li.end - pos > WINDOW ? pos + WINDOW : li.end;
    size_t n;
    char *s = wf_doc_text(doc, pos, end - pos, &n);
    struct layout l;
    struct cell c;
    layout_init(&l, s, n, LAYOUT_TABW);
    size_t units = layout_next(&l, &c) ? c.units : 1;
    free(s);
    return pos + units;
}

size_t text_prev_cluster(const wf_doc *doc, size_t pos)
{
    if (pos == 0)
        return 0;
    struct line_info li;
    text_line_at(doc, pos, &li);
    if (pos <= li.start) {
        struct line_info prev;
        text_line(doc, li.line - 1, &prev);
        return prev.end;
    }
    if (pos > li.end)
        pos = li.end;
    size_t from = pos - li.start > WINDOW ? pos - WINDOW : li.start;
    size_t n;
    char *s = wf_doc_text(doc, from, pos - from, &n);
    struct layout l;
    struct cell c;
    size_t last = 0;
    layout_init(&l, s, n, LAYOUT_TABW);
    while (layout_next(&l, &c))
        last = c.unit;
    free(s);
    return from + last;
}

static bool is_word_cp(int32_t cp)
{
    if (WF_UTF8_IS_RAW(cp))
        return false;
    if (cp == '_')
        return true;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return true;
    default:
        return false;
    }
}

/* Classifies units [from, from+count) into cls (1 = word unit); returns units classified. */
static size_t classify(const wf_doc *doc, size_t from, size_t count, unsigned char *cls)
{
    size_t n;
    char *s = wf_doc_text(doc, from, count, &n);
    size_t u = 0;
    for (size_t off = 0; off < n && u < count; u++) {
        size_t len;
        int32_t cp = wf_utf8_decode(s + off, n - off, &len);
        cls[u] = is_word_cp(cp);
        off += len;
    }
    free(s);
    return u;
}

size_t text_word_right(const wf_doc *doc, size_t pos)
{
    size_t len = wf_doc_len(doc);
    unsigned char cls[WINDOW];
    bool in_word = false;
    while (pos < len) {
        size_t got = classify(doc, pos, len - pos < WINDOW ? len - pos : WINDOW, cls);
        for (size_t i = 0; i < got; i++, pos++) {
            if (cls[i])
                in_word = true;
            else if (in_word)
                return pos;
        }
        if (got == 0)
            break;
    }
    return len;
}

size_t text_word_left(const wf_doc *doc, size_t pos)
{
    unsigned char cls[WINDOW];
    bool in_word = false;
    while (pos > 0) {
        size_t from = pos > WINDOW ? pos - WINDOW : 0;
        size_t got = classify(doc, from, pos - from, cls);
        if (got == 0)
            break;
        for (size_t i = got; i-- > 0; pos--) {
            if (cls[i])
                in_word = true;
            else if (in_word)
                return pos;
        }
    }
    return 0;
}


size_t text_pos_at_col(const wf_doc *doc, const struct line_info *li, size_t col,
                       unsigned tabw)
{
    size_t n;
    char *s = text_line_copy(doc, li, &n);
    size_t units = layout_units_at_col(s, n, tabw, col);
    free(s);
    return li->start + units;
}

/* Walks pos's line up to pos once: its display width (tabs every tabw) and its cells. */
static void measure_prefix(const wf_doc *doc, size_t pos, unsigned tabw, size_t *col,
                           size_t *clusters)
{
    struct line_info li;
    text_line_at(doc, pos, &li);
    if (pos > li.end)
        pos = li.end;
    size_t n;
    char *s = wf_doc_text(doc, li.start, pos - li.start, &n);
    struct layout l;
    struct cell c;
    size_t k = 0;
    layout_init(&l, s, n, tabw);
    for (;;) {
        k += layout_skip_ascii(&l, SIZE_MAX);
        if (!layout_next(&l, &c))
            break;
        k++;
    }
    free(s);
    *col = l.col;
    *clusters = k;
}

size_t text_col_of(const wf_doc *doc, size_t pos, unsigned tabw)
{
    size_t col, clusters;
    measure_prefix(doc, pos, tabw, &col, &clusters);
    return col;
}

size_t text_cluster_col(const wf_doc *doc, size_t pos)
{
    size_t col, clusters;
    measure_prefix(doc, pos, LAYOUT_TABW, &col, &clusters);
    return clusters;
}

static void memo_fill(struct col_memo *m, const wf_doc *doc, size_t pos, unsigned tabw)
{
    measure_prefix(doc, pos, tabw, &m->col, &m->clusters);
    m->doc = doc;
    m->revision = wf_doc_revision(doc);
    m->pos = pos;
    m->tabw = tabw;
    m->valid = true;
}

static bool memo_holds(const struct col_memo *m, const wf_doc *doc, size_t pos)
{
    return m->valid && m->doc == doc && m->revision == wf_doc_revision(doc) && m->pos == pos;
}

size_t text_col_memo(struct col_memo *m, const wf_doc *doc, size_t pos, unsigned tabw)
{
    if (!memo_holds(m, doc, pos) || m->tabw != tabw)
        memo_fill(m, doc, pos, tabw);
    return m->col;
}

size_t text_cluster_col_memo(struct col_memo *m, const wf_doc *doc, size_t pos)
{
    /* The count of cells does not depend on the tab width. */
    if (!memo_holds(m, doc, pos))
        memo_fill(m, doc, pos, LAYOUT_TABW);
    return m->clusters;
}

size_t text_pos_at_cluster(const wf_doc *doc, const struct line_info *li, size_t cluster)
{
    size_t n;
    char *s = text_line_copy(doc, li, &n);
    struct layout l;
    struct cell c;
    size_t k = 0;
    size_t pos = li->end;
    layout_init(&l, s, n, LAYOUT_TABW);
    for (;;) {
        if (k < cluster)
            k += layout_skip_ascii(&l, cluster - k);
        if (!layout_next(&l, &c))
            break;
        if (k++ == cluster) {
            pos = li->start + c.unit;
            break;
        }
    }
    free(s);
    return pos;
}

size_t text_indent(const wf_doc *doc, const struct line_info *li, size_t limit)
{
    size_t end = li->end < limit ? li->end : limit;
    if (end > li->start + WINDOW)
        end = li->start + WINDOW;
    size_t n;
    char *s = wf_doc_text(doc, li->start, end - li->start, &n);
    size_t k = 0;
    while (k < n && (s[k] == ' ' || s[k] == '\t'))
        k++;
    free(s);
    return k;
}
