/* Finding text (see find.h).
 *
 * Forward: the chunks of wf_iter are searched in place (memchr for the first byte, then
 * memcmp); the last m-1 bytes of each chunk are kept so that a match across the seam with
 * the next chunk is found in a window of at most 2(m-1) bytes. Backward: blocks of
 * BLOCK bytes are copied from the end towards the start and the last match in each wins.
 * Work is done in byte offsets and converted to units once, at the end. */
#include "app/editor/find.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT64_MAX
#define BLOCK ((uint64_t)1 << 16)

struct needle {
    const char *s; /* bytes */
    size_t m;      /* length, >= 1 */
};

/* First i in s[0..n) with i < limit where the needle matches entirely inside s. */
static size_t first_in(const char *s, size_t n, size_t limit, const struct needle *nd)
{
    if (n < nd->m)
        return SIZE_MAX;
    size_t last = n - nd->m + 1 < limit ? n - nd->m + 1 : limit;
    const char *p = s;
    while ((size_t)(p - s) < last) {
        p = memchr(p, nd->s[0], last - (size_t)(p - s));
        if (!p)
            return SIZE_MAX;
        if (memcmp(p, nd->s, nd->m) == 0)
            return (size_t)(p - s);
        p++;
    }
    return SIZE_MAX;
}

/* The bytes of units covering byte range [lo, hi): a new copy and its start offset. */
static char *copy_bytes(const wf_doc *doc, uint64_t lo, uint64_t hi, uint64_t *base,
                        size_t *n)
{
    size_t u0 = wf_doc_byte_to_pos(doc, lo);
    size_t u1 = wf_doc_byte_to_pos(doc, hi);
    *base = wf_doc_pos_to_byte(doc, u0);
    return wf_doc_text(doc, u0, u1 - u0 + 1, n);
}

struct seam {
    char buf[2 * 1024];  /* tail of the previous chunk, then head of the next */
    size_t tl;           /* bytes of tail in buf, < m */
    uint64_t tail_at;    /* document byte offset of buf[0] */
};

/* Searches the seam between the kept tail and chunk p[0..n) for a match that starts in the
 * tail and starts in [lo, hi); then keeps the last m-1 bytes seen as the new tail. */
static uint64_t seam_step(struct seam *sm, const struct needle *nd, const char *p, size_t n,
                          uint64_t lo, uint64_t hi)
{
    size_t keep = nd->m - 1;
    size_t k = n < keep ? n : keep;
    memcpy(sm->buf + sm->tl, p, k);
    size_t avail = sm->tl + k;
    for (size_t i = 0; i < sm->tl && i + nd->m <= avail; i++) {
        uint64_t at = sm->tail_at + i;
        if (at >= lo && at < hi && memcmp(sm->buf + i, nd->s, nd->m) == 0)
            return at;
    }
    if (n >= keep) {
        sm->tail_at += sm->tl + n - keep;
        memcpy(sm->buf, p + n - keep, keep);
        sm->tl = keep;
    } else {
        size_t drop = avail > keep ? avail - keep : 0;
        memmove(sm->buf, sm->buf + drop, avail - drop);
        sm->tail_at += drop;
        sm->tl = avail - drop;
    }
    return NONE;
}

/* First match starting in [lo, hi) (byte offsets), or NONE. */
static uint64_t scan_fwd(const wf_doc *doc, const struct needle *nd, uint64_t lo, uint64_t hi)
{
    uint64_t total = wf_doc_bytes(doc);
    uint64_t end = hi + nd->m - 1 < total ? hi + nd->m - 1 : total;
    if (lo >= hi || end < lo + nd->m)
        return NONE;
    size_t u0 = wf_doc_byte_to_pos(doc, lo);
    size_t u1 = wf_doc_byte_to_pos(doc, end);
    uint64_t off = wf_doc_pos_to_byte(doc, u0);
    struct seam sm = { .tl = 0, .tail_at = off };
    wf_iter it;
    const char *p;
    size_t n;
    wf_iter_init(&it, doc, u0, u1 - u0 + 1);
    while (wf_iter_next(&it, &p, &n)) {
        uint64_t at = nd->m > 1 ? seam_step(&sm, nd, p, n, lo, hi) : NONE;
        if (at != NONE)
            return at;
        size_t skip = lo > off ? (size_t)(lo - off < n ? lo - off : n) : 0;
        size_t limit = hi > off ? (size_t)(hi - off < n ? hi - off : n) : 0;
        if (skip < limit) {
            size_t i = first_in(p + skip, n - skip, limit - skip, nd);
            if (i != SIZE_MAX)
                return off + skip + i;
        }
        if (off + n >= hi + nd->m)
            return NONE;
        off += n;
    }
    return NONE;
}

/* Last match starting in [lo, hi) (byte offsets), or NONE. */
static uint64_t scan_back(const wf_doc *doc, const struct needle *nd, uint64_t lo, uint64_t hi)
{
    uint64_t total = wf_doc_bytes(doc);
    while (hi > lo) {
        uint64_t blo = hi - lo > BLOCK ? hi - BLOCK : lo;
        uint64_t end = hi + nd->m - 1 < total ? hi + nd->m - 1 : total;
        uint64_t base;
        size_t n;
        char *s = copy_bytes(doc, blo, end, &base, &n);
        uint64_t found = NONE;
        size_t from = (size_t)(blo - base);
        size_t limit = (size_t)(hi - base);
        for (size_t i = first_in(s + from, n - from, limit - from, nd); i != SIZE_MAX;) {
            found = base + from + i;
            from += i + 1;
            if (from >= limit)
                break;
            i = first_in(s + from, n - from, limit - from, nd);
        }
        free(s);
        if (found != NONE)
            return found;
        hi = blo;
    }
    return NONE;
}

size_t find_next(const wf_doc *doc, const char *needle, size_t n, size_t from, bool *wrapped)
{
    struct needle nd = { needle, n };
    *wrapped = false;
    if (n == 0 || n > 1024)
        return WF_NOPOS;
    uint64_t total = wf_doc_bytes(doc);
    uint64_t fb = wf_doc_pos_to_byte(doc, from > wf_doc_len(doc) ? wf_doc_len(doc) : from);
    uint64_t at = scan_fwd(doc, &nd, fb, total);
    if (at == NONE) {
        at = scan_fwd(doc, &nd, 0, fb);
        *wrapped = at != NONE;
    }
    return at == NONE ? WF_NOPOS : wf_doc_byte_to_pos(doc, at);
}

size_t find_prev(const wf_doc *doc, const char *needle, size_t n, size_t before,
                 bool *wrapped)
{
    struct needle nd = { needle, n };
    *wrapped = false;
    if (n == 0 || n > 1024)
        return WF_NOPOS;
    uint64_t total = wf_doc_bytes(doc);
    uint64_t bb = wf_doc_pos_to_byte(doc, before > wf_doc_len(doc) ? wf_doc_len(doc) : before);
    uint64_t at = scan_back(doc, &nd, 0, bb);
    if (at == NONE) {
        at = scan_back(doc, &nd, bb, total);
        *wrapped = at != NONE;
    }
    return at == NONE ? WF_NOPOS : wf_doc_byte_to_pos(doc, at);
}
