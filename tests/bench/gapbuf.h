/* A plain gap buffer of code points: the baseline that trace-bench measures the CRDT
 * against. No IDs, no history, no metadata: an array with a movable hole. */
#ifndef WEFT_BENCH_GAPBUF_H
#define WEFT_BENCH_GAPBUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct gapbuf {
    int32_t *a;       /* units (code points, or WF_UTF8_RAW bytes) */
    size_t cap;       /* units allocated */
    size_t gap, gap_end; /* the hole is a[gap .. gap_end) */
} gapbuf;

void gapbuf_init(gapbuf *g);
void gapbuf_free(gapbuf *g);
size_t gapbuf_len(const gapbuf *g);
/* Inserts the units of UTF-8 text[0..n) at unit position pos. */
void gapbuf_insert(gapbuf *g, size_t pos, const char *text, size_t n);
void gapbuf_delete(gapbuf *g, size_t pos, size_t n);
/* Returns the content as UTF-8 (malloc'd, NUL-terminated); *n its length. */
char *gapbuf_text(const gapbuf *g, size_t *n);

#endif
