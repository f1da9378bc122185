/* Growable byte buffers and LEB128 varints: the building blocks of every encoding.
 *
 * wf_buf appends never fail (they use wf_xrealloc). wf_reader never reads past its end: a
 * read that would returns WF_EDECODE and leaves the reader in its error state, so a
 * decoder may check once at the end. */
#ifndef WEFT_CORE_BUF_H
#define WEFT_CORE_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

typedef struct wf_buf {
    uint8_t *data; /* owned; NULL while cap == 0 */
    size_t len;    /* bytes in use */
    size_t cap;    /* bytes allocated */
} wf_buf;

/* Caller's storage; release with wf_buf_free(). */
void wf_buf_init(wf_buf *b);
void wf_buf_free(wf_buf *b);
/* Empties the buffer, keeping its storage. */
void wf_buf_reset(wf_buf *b);
/* Makes room for n more bytes. */
void wf_buf_reserve(wf_buf *b, size_t n);
void wf_buf_put(wf_buf *b, const void *p, size_t n);
void wf_buf_put_u8(wf_buf *b, uint8_t v);
/* Eight bytes, least significant first. */
void wf_buf_put_u64le(wf_buf *b, uint64_t v);
/* LEB128, 1..10 bytes. */
void wf_buf_put_varuint(wf_buf *b, uint64_t v);
/* Zigzag, then LEB128. */
void wf_buf_put_varint(wf_buf *b, int64_t v);

typedef struct wf_reader {
    const uint8_t *p;   /* next byte */
    const uint8_t *end; /* one past the last byte */
    int err;            /* 0, or WF_EDECODE once a read failed (sticky) */
} wf_reader;

void wf_reader_init(wf_reader *r, const void *data, size_t n);
size_t wf_reader_left(const wf_reader *r);
/* Each returns 0, or WF_EDECODE (truncated, or a varint longer than its type). */
int wf_read_u8(wf_reader *r, uint8_t *v);
/* Eight bytes, least significant first. */
int wf_read_u64le(wf_reader *r, uint64_t *v);
int wf_read_varuint(wf_reader *r, uint64_t *v);
int wf_read_varint(wf_reader *r, int64_t *v);
/* A varuint that must fit in a u32. */
int wf_read_varu32(wf_reader *r, uint32_t *v);
/* Borrows n bytes from the input: *p is valid as long as the input is. */
int wf_read_bytes(wf_reader *r, size_t n, const uint8_t **p);

#endif
