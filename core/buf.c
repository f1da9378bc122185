/* Byte buffers and LEB128 varints (see core/buf.h). */
#include "core/buf.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void wf_buf_init(wf_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void wf_buf_free(wf_buf *b)
{
    free(b->data);
    wf_buf_init(b);
}

void wf_buf_reset(wf_buf *b)
{
    b->len = 0;
}

void wf_buf_reserve(wf_buf *b, size_t n)
{
    if (b->cap - b->len >= n)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap - b->len < n) {
        if (cap > SIZE_MAX / 2) {
            cap = b->len + n;
            break;
        }
        cap *= 2;
    }
    b->data = wf_xrealloc(b->data, cap);
    b->cap = cap;
}

void wf_buf_put(wf_buf *b, const void *p, size_t n)
{
    if (n == 0)
        return;
    wf_buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void wf_buf_put_u8(wf_buf *b, uint8_t v)
{
    wf_buf_reserve(b, 1);
    b->data[b->len++] = v;
}

void wf_buf_put_u64le(wf_buf *b, uint64_t v)
{
    uint8_t le[8];
    for (int i = 0; i < 8; i++)
        le[i] = (uint8_t)(v >> (8 * i));
    wf_buf_put(b, le, 8);
}

void wf_buf_put_varuint(wf_buf *b, uint64_t v)
{
    wf_buf_reserve(b, 10);
    while (v >= 0x80) {
        b->data[b->len++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    b->data[b->len++] = (uint8_t)v;
}

void wf_buf_put_varint(wf_buf *b, int64_t v)
{
    wf_buf_put_varuint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

void wf_reader_init(wf_reader *r, const void *data, size_t n)
{
    r->p = data;
    r->end = r->p + n;
    r->err = 0;
}

size_t wf_reader_left(const wf_reader *r)
{
    return r->err ? 0 : (size_t)(r->end - r->p);
}

static int fail(wf_reader *r)
{
    r->err = WF_EDECODE;
    r->p = r->end;
    return WF_EDECODE;
}

int wf_read_u8(wf_reader *r, uint8_t *v)
{
    if (r->err || r->p == r->end)
        return fail(r);
    *v = *r->p++;
    return 0;
}

int wf_read_u64le(wf_reader *r, uint64_t *v)
{
    if (r->err || wf_reader_left(r) < 8)
        return fail(r);
    uint64_t x = 0;
    for (int i = 7; i >= 0; i--)
        x = x << 8 | r->p[i];
    r->p += 8;
    *v = x;
    return 0;
}

/* Rejects varints longer than 10 bytes and a 10th byte with bits beyond 64. */
int wf_read_varuint(wf_reader *r, uint64_t *v)
{
    uint64_t x = 0;
    for (unsigned shift = 0;; shift += 7) {
        if (r->err || r->p == r->end || shift > 63)
            return fail(r);
        uint8_t byte = *r->p++;
        if (shift == 63 && byte > 1)
            return fail(r);
        x |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            break;
    }
    *v = x;
    return 0;
}

int wf_read_varint(wf_reader *r, int64_t *v)
{
    uint64_t u;
    if (wf_read_varuint(r, &u))
        return WF_EDECODE;
    *v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
    return 0;
}

int wf_read_varu32(wf_reader *r, uint32_t *v)
{
    uint64_t u;
    if (wf_read_varuint(r, &u))
        return WF_EDECODE;
    if (u > UINT32_MAX)
        return fail(r);
    *v = (uint32_t)u;
    return 0;
}

int wf_read_bytes(wf_reader *r, size_t n, const uint8_t **p)
{
    if (r->err || (size_t)(r->end - r->p) < n)
        return fail(r);
    *p = r->p;
    r->p += n;
    return 0;
}
