/* Frame reader and writer (see net/frame.h). */
#include "net/frame.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void wn_frame_reader_init(wn_frame_reader *r, size_t max)
{
    r->buf = NULL;
    r->start = r->len = r->cap = 0;
    r->max = max;
    r->failed = false;
}

void wn_frame_reader_free(wn_frame_reader *r)
{
    free(r->buf);
    r->buf = NULL;
    r->start = r->len = r->cap = 0;
}

void wn_frame_reader_set_max(wn_frame_reader *r, size_t max)
{
    r->max = max;
}

size_t wn_frame_reader_pending(const wn_frame_reader *r)
{
    return r->len - r->start;
}

void wn_frame_reader_feed(wn_frame_reader *r, const void *data, size_t n)
{
    if (n == 0)
        return;
    if (r->start > 0 && r->start == r->len) {
        r->start = r->len = 0;
    } else if (r->start > 0 && r->cap - r->len < n) {
        /* Slide the unconsumed bytes down before growing. */
        memmove(r->buf, r->buf + r->start, r->len - r->start);
        r->len -= r->start;
        r->start = 0;
    }
    if (r->cap - r->len < n) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap - r->len < n)
            cap *= 2;
        r->buf = wf_xrealloc(r->buf, cap);
        r->cap = cap;
    }
    memcpy(r->buf + r->len, data, n);
    r->len += n;
}

int wn_frame_next(wn_frame_reader *r, uint8_t *type, const uint8_t **payload, size_t *n)
{
    if (r->failed)
        return WN_EFRAME;
    if (r->len == r->start)
        return 0; /* nothing buffered (maybe not even a buffer yet) */
    const uint8_t *p = r->buf + r->start;
    size_t avail = r->len - r->start;
    uint64_t len = 0;
    size_t hdr = 0;
    for (unsigned shift = 0;; shift += 7) {
        if (hdr == 5) { /* no length needs more than 5 bytes */
            r->failed = true;
            return WN_EFRAME;
        }
        if (hdr == avail)
            return 0; /* the length itself is incomplete */
        uint8_t b = p[hdr++];
        len |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
    }
    if (len == 0 || len > r->max) {
        r->failed = true;
        return WN_EFRAME;
    }
    if (avail - hdr < len)
        return 0;
    *type = p[hdr];
    *payload = p + hdr + 1;
    *n = (size_t)len - 1;
    r->start += hdr + (size_t)len;
    return 1;
}

void wn_frame_put_header(wf_buf *out, uint8_t type, size_t n)
{
    wf_buf_put_varuint(out, (uint64_t)n + 1);
    wf_buf_put_u8(out, type);
}

void wn_frame_put(wf_buf *out, uint8_t type, const void *payload, size_t n)
{
    wn_frame_put_header(out, type, n);
    wf_buf_put(out, payload, n);
}
