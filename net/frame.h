/* Frames: the unit of the wire protocol.
 *
 *   frame = varuint length · u8 type · payload      (length = 1 + payload bytes)
 *
 * A reader accumulates bytes as they arrive, in pieces of any size, and hands out complete
 * frames. The maximum frame size is a property of the reader: tiny while a peer is not yet
 * authenticated (WN_FRAME_MAX_HANDSHAKE), larger after (WN_FRAME_MAX). A length beyond the
 * maximum is an error before any of the frame is buffered. */
#ifndef WEFT_NET_FRAME_H
#define WEFT_NET_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "net/error.h"

#define WN_FRAME_MAX_HANDSHAKE 4096u
#define WN_FRAME_MAX (16u << 20)

typedef struct wn_frame_reader {
    uint8_t *buf;  /* owned: received bytes not yet handed out, from buf[start] */
    size_t start;  /* first unconsumed byte */
    size_t len;    /* bytes in buf */
    size_t cap;
    size_t max;    /* largest frame accepted (type + payload) */
    bool failed;   /* a bad frame was seen: nothing more is handed out */
} wn_frame_reader;

/* Caller's storage; release with wn_frame_reader_free(). */
void wn_frame_reader_init(wn_frame_reader *r, size_t max);
void wn_frame_reader_free(wn_frame_reader *r);
void wn_frame_reader_set_max(wn_frame_reader *r, size_t max);
/* Bytes held that do not form a complete frame yet. */
size_t wn_frame_reader_pending(const wn_frame_reader *r);

/* Appends received bytes. */
void wn_frame_reader_feed(wn_frame_reader *r, const void *data, size_t n);

/* Takes the next complete frame: returns 1 with *type and *payload (borrowed: valid until the
 * next call on r) and *n (payload bytes); 0 when no complete frame is buffered; WN_EFRAME
 * when the bytes cannot be a frame (bad length varint, empty frame, frame over the maximum).
 * After an error the reader stays in error. */
WF_MUST_CHECK int wn_frame_next(wn_frame_reader *r, uint8_t *type, const uint8_t **payload,
                                size_t *n);

/* Appends one frame to out. */
void wn_frame_put(wf_buf *out, uint8_t type, const void *payload, size_t n);
/* Appends the header of a frame whose payload (n bytes) the caller appends next. */
void wn_frame_put_header(wf_buf *out, uint8_t type, size_t n);

#endif
