/* net/frame: the frame reader and writer. Streams of frames fed split at every byte
 * boundary, one byte at a time and several frames per feed; exact encodings; the errors
 * (empty frame, a length over the reader's maximum decided from the header alone, a length
 * varint longer than 5 bytes) and that the reader stays in error; truncated frames stay
 * pending; random round trips with random feed sizes. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "net/frame.h"
#include "tests/common/testutil.h"

/* One frame of a test stream. */
typedef struct frame {
    uint8_t type;
    uint8_t *payload; /* owned; NULL when n == 0 */
    size_t n;         /* payload bytes */
} frame;

/* A stream: the frames and their encoding back to back. */
typedef struct stream {
    frame *f;
    size_t nf;
    wf_buf bytes;
} stream;

static void stream_init(stream *s)
{
    s->f = NULL;
    s->nf = 0;
    wf_buf_init(&s->bytes);
}

static void stream_add(stream *s, uint8_t type, const uint8_t *p, size_t n)
{
    s->f = realloc(s->f, (s->nf + 1) * sizeof *s->f);
    ck_assert_ptr_nonnull(s->f);
    frame *f = &s->f[s->nf++];
    f->type = type;
    f->n = n;
    f->payload = n ? malloc(n) : NULL;
    if (n)
        memcpy(f->payload, p, n);
    wn_frame_put(&s->bytes, type, p, n);
}

/* A frame whose payload is n bytes of a pattern that depends on its index. */
static void stream_add_pattern(stream *s, uint8_t type, size_t n)
{
    uint8_t *p = n ? malloc(n) : NULL;
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 31 + s->nf * 7 + 1);
    stream_add(s, type, p, n);
    free(p);
}

static void stream_free(stream *s)
{
    for (size_t i = 0; i < s->nf; i++)
        free(s->f[i].payload);
    free(s->f);
    wf_buf_free(&s->bytes);
}

/* Takes every complete frame out of r and checks it against s->f[*next...]. */
static void drain(wn_frame_reader *r, const stream *s, size_t *next, const char *what)
{
    for (;;) {
        uint8_t type = 0;
        const uint8_t *p = NULL;
        size_t n = 0;
        int rc = wn_frame_next(r, &type, &p, &n);
        ck_assert_msg(rc == 0 || rc == 1, "%s: wn_frame_next returned %d", what, rc);
        if (rc == 0)
            return;
        ck_assert_msg(*next < s->nf, "%s: an extra frame (type %u, %zu bytes)", what, type, n);
        const frame *f = &s->f[*next];
        ck_assert_msg(type == f->type && n == f->n, "%s: frame %zu is type %u with %zu bytes, "
                      "expected type %u with %zu", what, *next, type, n, f->type, f->n);
        ck_assert_msg(n == 0 || memcmp(p, f->payload, n) == 0, "%s: frame %zu payload differs",
                      what, *next);
        (*next)++;
    }
}

/* A small stream, cut at every byte: an empty payload, one byte, the 1/2-byte varint
 * boundary (length = 1 + payload: 127 and 128) and a few more. */
static void small_stream(stream *s)
{
    stream_init(s);
    stream_add_pattern(s, 1, 0);
    stream_add_pattern(s, 2, 1);
    stream_add_pattern(s, 0, 126);
    stream_add_pattern(s, 255, 127);
    stream_add_pattern(s, 6, 300);
    stream_add_pattern(s, 3, 0);
    stream_add_pattern(s, 4, 5);
}

/* The small stream plus the 2/3-byte varint boundary (16383/16384) and a frame larger than
 * the reader's first allocation and than one 64 KiB socket read. */
static void big_stream(stream *s)
{
    small_stream(s);
    stream_add_pattern(s, 6, 16382);
    stream_add_pattern(s, 6, 16383);
    stream_add_pattern(s, 7, 70000);
    stream_add_pattern(s, 8, 2);
}

/* Feeds s in two parts cut at `cut` and checks every frame comes out. */
static void check_cut(const stream *s, size_t cut)
{
    wn_frame_reader r;
    wn_frame_reader_init(&r, WN_FRAME_MAX);
    size_t next = 0;
    wn_frame_reader_feed(&r, s->bytes.data, cut);
    drain(&r, s, &next, "first part");
    wn_frame_reader_feed(&r, s->bytes.data + cut, s->bytes.len - cut);
    drain(&r, s, &next, "second part");
    ck_assert_msg(next == s->nf, "cut at %zu: %zu of %zu frames", cut, next, s->nf);
    ck_assert_uint_eq(wn_frame_reader_pending(&r), 0);
    wn_frame_reader_free(&r);
}

/* --- exact encoding --------------------------------------------------------------------- */

START_TEST(test_frame__encoding)
{
    wf_buf b;
    wf_buf_init(&b);
    wn_frame_put(&b, 6, "abc", 3);
    static const uint8_t want1[] = {4, 6, 'a', 'b', 'c'};
    ck_assert_uint_eq(b.len, sizeof want1);
    ck_assert(memcmp(b.data, want1, sizeof want1) == 0);

    /* payload 127: length 128, a two-byte varint */
    wf_buf_reset(&b);
    uint8_t p[127];
    memset(p, 'x', sizeof p);
    wn_frame_put(&b, 9, p, sizeof p);
    ck_assert_uint_eq(b.len, 2 + 1 + 127);
    ck_assert_uint_eq(b.data[0], 0x80);
    ck_assert_uint_eq(b.data[1], 0x01);
    ck_assert_uint_eq(b.data[2], 9);

    /* an empty payload is a frame of length 1 */
    wf_buf_reset(&b);
    wn_frame_put(&b, 5, NULL, 0);
    ck_assert_uint_eq(b.len, 2);
    ck_assert_uint_eq(b.data[0], 1);
    ck_assert_uint_eq(b.data[1], 5);

    /* put_header + the payload appended by hand gives the same bytes as put */
    wf_buf c;
    wf_buf_init(&c);
    wf_buf_reset(&b);
    wn_frame_put(&b, 77, p, 100);
    wn_frame_put_header(&c, 77, 100);
    wf_buf_put(&c, p, 100);
    ck_assert_uint_eq(b.len, c.len);
    ck_assert(memcmp(b.data, c.data, b.len) == 0);
    wf_buf_free(&b);
    wf_buf_free(&c);
}
END_TEST

/* --- split and merged reads ------------------------------------------------------------- */

START_TEST(test_frame__split_at_every_boundary)
{
    stream s;
    small_stream(&s);
    for (size_t cut = 0; cut <= s.bytes.len; cut++)
        check_cut(&s, cut);
    stream_free(&s);

    /* The big stream: every cut within 3 bytes of a frame boundary (the length varints and
     * type bytes), and a spread of cuts inside the payloads. */
    big_stream(&s);
    size_t off = 0;
    for (size_t k = 0; k <= s.nf; k++) {
        for (size_t d = 0; d < 7; d++)
            if (off + d >= 3 && off + d - 3 <= s.bytes.len)
                check_cut(&s, off + d - 3);
        if (k < s.nf) {
            wf_buf one;
            wf_buf_init(&one);
            wn_frame_put(&one, s.f[k].type, s.f[k].payload, s.f[k].n);
            off += one.len;
            wf_buf_free(&one);
        }
    }
    ck_assert_uint_eq(off, s.bytes.len);
    for (size_t cut = 0; cut <= s.bytes.len; cut += 997)
        check_cut(&s, cut);
    stream_free(&s);
}
END_TEST

START_TEST(test_frame__one_byte_at_a_time)
{
    stream s;
    big_stream(&s);
    wn_frame_reader r;
    wn_frame_reader_init(&r, WN_FRAME_MAX);
    size_t next = 0, frame_start = 0;
    for (size_t i = 0; i < s.bytes.len; i++) {
        wn_frame_reader_feed(&r, s.bytes.data + i, 1);
        size_t before = next;
        drain(&r, &s, &next, "byte feed");
        if (next > before) {
            ck_assert_uint_eq(next, before + 1); /* one byte completes at most one frame */
            frame_start = i + 1;
        }
        ck_assert_uint_eq(wn_frame_reader_pending(&r), i + 1 - frame_start);
    }
    ck_assert_uint_eq(next, s.nf);
    wn_frame_reader_free(&r);
    stream_free(&s);
}
END_TEST

START_TEST(test_frame__several_per_feed)
{
    stream s;
    stream_init(&s);
    for (int i = 0; i < 300; i++)
        stream_add_pattern(&s, (uint8_t)i, (size_t)(i % 5 == 0 ? 0 : i % 40));
    wn_frame_reader r;
    wn_frame_reader_init(&r, WN_FRAME_MAX_HANDSHAKE);
    size_t next = 0;
    /* all at once */
    wn_frame_reader_feed(&r, s.bytes.data, s.bytes.len);
    drain(&r, &s, &next, "one feed");
    ck_assert_uint_eq(next, s.nf);
    ck_assert_uint_eq(wn_frame_reader_pending(&r), 0);
    /* again, on the same reader, in feeds of 1000 bytes (several frames and parts of one) */
    next = 0;
    for (size_t off = 0; off < s.bytes.len; off += 1000) {
        size_t n = s.bytes.len - off < 1000 ? s.bytes.len - off : 1000;
        wn_frame_reader_feed(&r, s.bytes.data + off, n);
        drain(&r, &s, &next, "1000-byte feeds");
    }
    ck_assert_uint_eq(next, s.nf);
    ck_assert_uint_eq(wn_frame_reader_pending(&r), 0);
    /* an empty feed changes nothing */
    wn_frame_reader_feed(&r, NULL, 0);
    ck_assert_uint_eq(wn_frame_reader_pending(&r), 0);
    uint8_t type;
    const uint8_t *p;
    size_t n;
    ck_assert_int_eq(wn_frame_next(&r, &type, &p, &n), 0);
    wn_frame_reader_free(&r);
    stream_free(&s);
}
END_TEST

/* The payload returned is valid until the next call: a frame taken, then more bytes fed
 * (which may move the buffer), then the next frame is still right. */
START_TEST(test_frame__feed_after_partial_take)
{
    stream s;
    stream_init(&s);
    stream_add_pattern(&s, 1, 3000);
    stream_add_pattern(&s, 2, 3000);
    stream_add_pattern(&s, 3, 9000);
    wn_frame_reader r;
    wn_frame_reader_init(&r, WN_FRAME_MAX);
    size_t next = 0;
    size_t first = 3000 + 3; /* length varint 2 bytes + type */
    wn_frame_reader_feed(&r, s.bytes.data, first + 100);
    drain(&r, &s, &next, "first");
    ck_assert_uint_eq(next, 1);
    ck_assert_uint_eq(wn_frame_reader_pending(&r), 100);
    /* the rest in one feed larger than the space left: slides and grows */
    wn_frame_reader_feed(&r, s.bytes.data + first + 100, s.bytes.len - first - 100);
    drain(&r, &s, &next, "rest");
    ck_assert_uint_eq(next, 3);
    wn_frame_reader_free(&r);
    stream_free(&s);
}
END_TEST

/* --- truncated frames --------------------------------------------------------------------- */

/* Cuts of a frame of the big stream: the header bytes, the middle, all but the last byte. */
static bool interesting_cut(size_t cut, size_t len)
{
    return len < 1000 || cut < 6 || cut == len / 2 || cut + 1 == len;
}

START_TEST(test_frame__truncated_stays_pending)
{
    stream s;
    big_stream(&s);
    size_t off = 0;
    for (size_t k = 0; k < s.nf; k++) {
        wf_buf one;
        wf_buf_init(&one);
        wn_frame_put(&one, s.f[k].type, s.f[k].payload, s.f[k].n);
        for (size_t cut = 0; cut < one.len; cut++) {
            if (!interesting_cut(cut, one.len))
                continue;
            wn_frame_reader r;
            wn_frame_reader_init(&r, WN_FRAME_MAX);
            wn_frame_reader_feed(&r, one.data, cut);
            uint8_t type;
            const uint8_t *p;
            size_t n;
            int rc = wn_frame_next(&r, &type, &p, &n);
            ck_assert_msg(rc == 0, "frame %zu cut at %zu of %zu: rc %d", k, cut, one.len, rc);
            ck_assert_uint_eq(wn_frame_reader_pending(&r), cut);
            /* asking again changes nothing */
            ck_assert_int_eq(wn_frame_next(&r, &type, &p, &n), 0);
            ck_assert_uint_eq(wn_frame_reader_pending(&r), cut);
            /* the rest completes it */
            wn_frame_reader_feed(&r, one.data + cut, one.len - cut);
            ck_assert_int_eq(wn_frame_next(&r, &type, &p, &n), 1);
            ck_assert_uint_eq(type, s.f[k].type);
            ck_assert_uint_eq(n, s.f[k].n);
            ck_assert_uint_eq(wn_frame_reader_pending(&r), 0);
            wn_frame_reader_free(&r);
        }
        off += one.len;
        wf_buf_free(&one);
    }
    ck_assert_uint_eq(off, s.bytes.len);
    stream_free(&s);
}
END_TEST

/* --- errors ------------------------------------------------------------------------------- */

/* Feeds bytes to a new reader with maximum max; returns wn_frame_next's result. */
static int next_of(const uint8_t *bytes, size_t len, size_t max, size_t *pending_after)
{
    wn_frame_reader r;
    wn_frame_reader_init(&r, max);
    wn_frame_reader_feed(&r, bytes, len);
    uint8_t type;
    const uint8_t *p;
    size_t n;
    int rc = wn_frame_next(&r, &type, &p, &n);
    if (pending_after)
        *pending_after = wn_frame_reader_pending(&r);
    wn_frame_reader_free(&r);
    return rc;
}

START_TEST(test_frame__empty_frame_rejected)
{
    static const uint8_t zero[] = {0};
    static const uint8_t zero_then_frame[] = {0, 2, 6, 'x'};
    /* a zero length written as a longer (non-minimal) varint is still zero */
    static const uint8_t zero_long[] = {0x80, 0x80, 0x00};
    ck_assert_int_eq(next_of(zero, sizeof zero, WN_FRAME_MAX, NULL), WN_EFRAME);
    ck_assert_int_eq(next_of(zero, sizeof zero, WN_FRAME_MAX_HANDSHAKE, NULL), WN_EFRAME);
    ck_assert_int_eq(next_of(zero_then_frame, sizeof zero_then_frame, WN_FRAME_MAX, NULL),
                     WN_EFRAME);
    ck_assert_int_eq(next_of(zero_long, sizeof zero_long, WN_FRAME_MAX, NULL), WN_EFRAME);
    /* length 1 (a type and no payload) is the smallest frame */
    static const uint8_t one[] = {1, 42};
    ck_assert_int_eq(next_of(one, sizeof one, WN_FRAME_MAX, NULL), 1);
}
END_TEST

/* Encodes v as a varint into b; returns its length. */
static size_t varint(uint8_t *b, uint64_t v)
{
    size_t k = 0;
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        b[k++] = (uint8_t)(byte | (v ? 0x80 : 0));
    } while (v);
    return k;
}

/* A length over the maximum is refused from the header alone: the payload is never fed. */
static void check_max(size_t max)
{
    uint8_t h[10];
    size_t hn;
    size_t pending;

    /* exactly max: accepted, waiting for the payload */
    hn = varint(h, max);
    h[hn++] = 6;
    ck_assert_int_eq(next_of(h, hn, max, &pending), 0);
    ck_assert_uint_eq(pending, hn);

    /* max + 1, with and without the type byte, and far over */
    static const uint64_t over_by[] = {1, 2, 4096, 1u << 20, (uint64_t)1 << 30, 0xffffffffu};
    for (size_t i = 0; i < sizeof over_by / sizeof *over_by; i++) {
        uint64_t len = max + over_by[i];
        if (len >= (uint64_t)1 << 35)
            continue;
        hn = varint(h, len);
        ck_assert_msg(next_of(h, hn, max, NULL) == WN_EFRAME, "length %llu, max %zu, no type",
                      (unsigned long long)len, max);
        h[hn] = 6;
        ck_assert_msg(next_of(h, hn + 1, max, NULL) == WN_EFRAME, "length %llu, max %zu",
                      (unsigned long long)len, max);
    }

    /* a whole frame of max bytes comes out whole */
    wf_buf b;
    wf_buf_init(&b);
    uint8_t *payload = calloc(1, max - 1);
    ck_assert_ptr_nonnull(payload);
    payload[max - 2] = 0x5a;
    wn_frame_put(&b, 6, payload, max - 1);
    wn_frame_reader r;
    wn_frame_reader_init(&r, max);
    wn_frame_reader_feed(&r, b.data, b.len);
    uint8_t type;
    const uint8_t *p;
    size_t n;
    ck_assert_int_eq(wn_frame_next(&r, &type, &p, &n), 1);
    ck_assert_uint_eq(n, max - 1);
    ck_assert_uint_eq(p[max - 2], 0x5a);
    wn_frame_reader_free(&r);
    /* and one byte more is refused once the header is in */
    wf_buf_reset(&b);
    wn_frame_put_header(&b, 6, max);
    ck_assert_int_eq(next_of(b.data, b.len, max, NULL), WN_EFRAME);
    free(payload);
    wf_buf_free(&b);
}

START_TEST(test_frame__oversize_handshake_max)
{
    check_max(WN_FRAME_MAX_HANDSHAKE);
}
END_TEST

START_TEST(test_frame__oversize_frame_max)
{
    check_max(WN_FRAME_MAX);
}
END_TEST

/* set_max applies to the next frame: a reader raised from the handshake maximum accepts a
 * frame it refused before. */
START_TEST(test_frame__set_max)
{
    wf_buf b;
    wf_buf_init(&b);
    uint8_t *payload = calloc(1, 10000);
    wn_frame_put(&b, 6, payload, 10000);
    wn_frame_reader r;
    wn_frame_reader_init(&r, WN_FRAME_MAX_HANDSHAKE);
    wn_frame_reader_set_max(&r, WN_FRAME_MAX);
    wn_frame_reader_feed(&r, b.data, b.len);
    uint8_t type;
    const uint8_t *p;
    size_t n;
    ck_assert_int_eq(wn_frame_next(&r, &type, &p, &n), 1);
    ck_assert_uint_eq(n, 10000);
    wn_frame_reader_free(&r);
    free(payload);
    wf_buf_free(&b);
}
END_TEST

START_TEST(test_frame__long_varint_rejected)
{
    /* six bytes: five with the continuation bit, then a terminator */
    static const uint8_t six[] = {0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 6};
    ck_assert_int_eq(next_of(six, sizeof six, WN_FRAME_MAX, NULL), WN_EFRAME);
    static const uint8_t many[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    ck_assert_int_eq(next_of(many, sizeof many, WN_FRAME_MAX, NULL), WN_EFRAME);
    /* five continuation bytes alone can only become a varint longer than 5 bytes: refused
     * now, or at the latest when any sixth byte arrives */
    wn_frame_reader r;
    wn_frame_reader_init(&r, WN_FRAME_MAX);
    wn_frame_reader_feed(&r, six, 5);
    uint8_t type;
    const uint8_t *p;
    size_t n;
    int rc = wn_frame_next(&r, &type, &p, &n);
    ck_assert_msg(rc == 0 || rc == WN_EFRAME, "rc %d", rc);
    wn_frame_reader_feed(&r, six + 5, 2);
    ck_assert_int_eq(wn_frame_next(&r, &type, &p, &n), WN_EFRAME);
    wn_frame_reader_free(&r);
    /* a 5-byte varint is legal in form; a non-minimal small length is a frame */
    static const uint8_t five_small[] = {0x82, 0x80, 0x80, 0x80, 0x00, 6, 'z'};
    wn_frame_reader_init(&r, WN_FRAME_MAX);
    wn_frame_reader_feed(&r, five_small, sizeof five_small);
    ck_assert_int_eq(wn_frame_next(&r, &type, &p, &n), 1);
    ck_assert_uint_eq(type, 6);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(p[0], 'z');
    wn_frame_reader_free(&r);
    /* a 5-byte varint beyond 32 bits is over any maximum */
    static const uint8_t five_big[] = {0xff, 0xff, 0xff, 0xff, 0x7f};
    ck_assert_int_eq(next_of(five_big, sizeof five_big, WN_FRAME_MAX, NULL), WN_EFRAME);
}
END_TEST

/* After an error the reader stays in error: good bytes fed afterwards, asking again, or a
 * new maximum do not bring it back. */
START_TEST(test_frame__stays_in_error)
{
    static const uint8_t bad[][3] = {{0, 0, 0}, {0xff, 0xff, 0x7f}};
    for (size_t i = 0; i < 2; i++) {
        wn_frame_reader r;
        wn_frame_reader_init(&r, WN_FRAME_MAX_HANDSHAKE);
        wn_frame_reader_feed(&r, bad[i], 3);
        uint8_t type;
        const uint8_t *p;
        size_t n;
        ck_assert_int_eq(wn_frame_next(&r, &type, &p, &n), WN_EFRAME);
        ck_assert_int_eq(wn_frame_next(&r, &type, &p, &n), WN_EFRAME);
        wf_buf good;
        wf_buf_init(&good);
        wn_frame_put(&good, 6, "ok", 2);
        wn_frame_reader_feed(&r, good.data, good.len);
        ck_assert_int_eq(wn_frame_next(&r, &type, &p, &n), WN_EFRAME);
        /* raising the maximum (as the connection does after the handshake) is no way out */
        wn_frame_reader_set_max(&r, WN_FRAME_MAX);
        int rc = wn_frame_next(&r, &type, &p, &n);
        ck_assert_msg(rc == WN_EFRAME, "case %zu: after set_max, wn_frame_next returned %d "
                      "instead of staying in error", i, rc);
        wf_buf_free(&good);
        wn_frame_reader_free(&r);
    }
}
END_TEST

/* --- random ------------------------------------------------------------------------------ */

START_TEST(test_frame__random_round_trip)
{
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("frame random"));
    long iters = wt_scaled(200);
    for (long it = 0; it < iters; it++) {
        stream s;
        stream_init(&s);
        size_t nframes = 1 + wt_rng_below(&rng, 40);
        for (size_t k = 0; k < nframes; k++) {
            size_t n;
            switch (wt_rng_below(&rng, 4)) {
            case 0: n = 0; break;
            case 1: n = wt_rng_below(&rng, 200); break;
            case 2: n = wt_rng_below(&rng, 20000); break;
            default: n = 16000 + wt_rng_below(&rng, 500); break; /* the 2/3-byte varint edge */
            }
            uint8_t *p = n ? malloc(n) : NULL;
            for (size_t i = 0; i < n; i++)
                p[i] = (uint8_t)wt_rng_next(&rng);
            stream_add(&s, (uint8_t)wt_rng_next(&rng), p, n);
            free(p);
        }
        wn_frame_reader r;
        wn_frame_reader_init(&r, WN_FRAME_MAX);
        size_t next = 0;
        for (size_t off = 0; off < s.bytes.len;) {
            size_t chunk;
            switch (wt_rng_below(&rng, 3)) {
            case 0: chunk = 1 + wt_rng_below(&rng, 8); break;
            case 1: chunk = 1 + wt_rng_below(&rng, 5000); break;
            default: chunk = 1 + wt_rng_below(&rng, 70000); break;
            }
            if (chunk > s.bytes.len - off)
                chunk = s.bytes.len - off;
            wn_frame_reader_feed(&r, s.bytes.data + off, chunk);
            off += chunk;
            drain(&r, &s, &next, "random");
        }
        ck_assert_uint_eq(next, s.nf);
        ck_assert_uint_eq(wn_frame_reader_pending(&r), 0);
        wn_frame_reader_free(&r);
        stream_free(&s);
    }
}
END_TEST

static Suite *frame_suite(void)
{
    Suite *s = suite_create("net_frame");
    TCase *tc = tcase_create("encoding");
    tcase_add_test(tc, test_frame__encoding);
    suite_add_tcase(s, tc);

    tc = tcase_create("reads");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_frame__split_at_every_boundary);
    tcase_add_test(tc, test_frame__one_byte_at_a_time);
    tcase_add_test(tc, test_frame__several_per_feed);
    tcase_add_test(tc, test_frame__feed_after_partial_take);
    tcase_add_test(tc, test_frame__truncated_stays_pending);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, test_frame__empty_frame_rejected);
    tcase_add_test(tc, test_frame__oversize_handshake_max);
    tcase_add_test(tc, test_frame__oversize_frame_max);
    tcase_add_test(tc, test_frame__set_max);
    tcase_add_test(tc, test_frame__long_varint_rejected);
    tcase_add_test(tc, test_frame__stays_in_error);
    suite_add_tcase(s, tc);

    tc = tcase_create("random");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_frame__random_round_trip);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(frame_suite());
}
