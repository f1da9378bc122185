/* The gap-buffer baseline (see gapbuf.h). */
#include "gapbuf.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/utf8.h"

void gapbuf_init(gapbuf *g)
{
    g->cap = 1024;
    g->a = wf_xmalloc(g->cap * sizeof *g->a);
    g->gap = 0;
    g->gap_end = g->cap;
}

void gapbuf_free(gapbuf *g)
{
    free(g->a);
}

size_t gapbuf_len(const gapbuf *g)
{
    return g->cap - (g->gap_end - g->gap);
}

static void move_gap(gapbuf *g, size_t pos)
{
    if (pos < g->gap) {
        size_t n = g->gap - pos;
        memmove(g->a + g->gap_end - n, g->a + pos, n * sizeof *g->a);
        g->gap = pos;
        g->gap_end -= n;
    } else if (pos > g->gap) {
        size_t n = pos - g->gap;
        memmove(g->a + g->gap, g->a + g->gap_end, n * sizeof *g->a);
        g->gap += n;
        g->gap_end += n;
    }
}

static void reserve(gapbuf *g, size_t n)
{
    if (g->gap_end - g->gap >= n)
        return;
    size_t len = gapbuf_len(g), cap = g->cap * 2;
    while (cap - len < n)
        cap *= 2;
    size_t tail = g->cap - g->gap_end;
    g->a = wf_xrealloc(g->a, cap * sizeof *g->a);
    memmove(g->a + cap - tail, g->a + g->gap_end, tail * sizeof *g->a);
    g->gap_end = cap - tail;
    g->cap = cap;
}

void gapbuf_insert(gapbuf *g, size_t pos, const char *text, size_t n)
{
    reserve(g, n);
    move_gap(g, pos);
    size_t i = 0;
    while (i < n) {
        size_t l;
        g->a[g->gap++] = wf_utf8_decode(text + i, n - i, &l);
        i += l;
    }
}

void gapbuf_delete(gapbuf *g, size_t pos, size_t n)
{
    move_gap(g, pos);
    g->gap_end += n;
}

char *gapbuf_text(const gapbuf *g, size_t *n)
{
    size_t len = gapbuf_len(g), k = 0;
    char *out = wf_xmalloc(len * 4 + 1);
    for (size_t i = 0; i < g->cap; i++) {
        if (i == g->gap)
            i = g->gap_end;
        if (i >= g->cap)
            break;
        int32_t c = g->a[i];
        if (WF_UTF8_IS_RAW(c))
            out[k++] = (char)WF_UTF8_RAW_BYTE(c);
        else
            k += wf_utf8_encode((uint32_t)c, out + k);
    }
    out[k] = '\0';
    *n = k;
    return out;
}
