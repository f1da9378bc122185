/* core/buf: growable buffers, LEB128 varints (zigzag for signed), and the bounds-checked
 * reader every decoder is built on. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "tests/common/testutil.h"

/* --- buffers ----------------------------------------------------------------------------- */

START_TEST(test_buf__put_and_grow)
{
    wf_buf b;
    wf_buf_init(&b);
    ck_assert_uint_eq(b.len, 0);
    for (int i = 0; i < 100000; i++)
        wf_buf_put_u8(&b, (uint8_t)(i * 7));
    ck_assert_uint_eq(b.len, 100000);
    ck_assert_uint_ge(b.cap, b.len);
    for (int i = 0; i < 100000; i++)
        ck_assert_uint_eq(b.data[i], (uint8_t)(i * 7));
    wf_buf_put(&b, "hello", 5);
    ck_assert(memcmp(b.data + 100000, "hello", 5) == 0);
    wf_buf_put(&b, NULL, 0);
    ck_assert_uint_eq(b.len, 100005);
    size_t cap = b.cap;
    wf_buf_reset(&b);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_uint_eq(b.cap, cap);
    wf_buf_reserve(&b, 1 << 20);
    ck_assert_uint_ge(b.cap - b.len, 1 << 20);
    wf_buf_free(&b);
}
END_TEST

START_TEST(test_buf__large_put)
{
    size_t n = 3u << 20;
    char *big = malloc(n);
    ck_assert_ptr_nonnull(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)(i ^ (i >> 8));
    wf_buf b;
    wf_buf_init(&b);
    wf_buf_put_u8(&b, 1);
    wf_buf_put(&b, big, n);
    ck_assert_uint_eq(b.len, n + 1);
    ck_assert(memcmp(b.data + 1, big, n) == 0);
    wf_buf_free(&b);
    free(big);
}
END_TEST

/* --- varints ------------------------------------------------------------------------------ */

static size_t varuint_len(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

START_TEST(test_buf__varuint_exact_bytes)
{
    static const struct {
        uint64_t v;
        const char *bytes;
        size_t n;
    } cases[] = {
        {0, "\x00", 1},
        {1, "\x01", 1},
        {127, "\x7f", 1},
        {128, "\x80\x01", 2},
        {300, "\xac\x02", 2},
        {16383, "\xff\x7f", 2},
        {16384, "\x80\x80\x01", 3},
        {UINT32_MAX, "\xff\xff\xff\xff\x0f", 5},
        {(uint64_t)1 << 63, "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", 10},
        {UINT64_MAX, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        wf_buf b;
        wf_buf_init(&b);
        wf_buf_put_varuint(&b, cases[i].v);
        ck_assert_uint_eq(b.len, cases[i].n);
        ck_assert(memcmp(b.data, cases[i].bytes, cases[i].n) == 0);
        wf_reader r;
        uint64_t v = 12345;
        wf_reader_init(&r, b.data, b.len);
        ck_assert_int_eq(wf_read_varuint(&r, &v), 0);
        ck_assert_uint_eq(v, cases[i].v);
        ck_assert_uint_eq(wf_reader_left(&r), 0);
        ck_assert_int_eq(r.err, 0);
        wf_buf_free(&b);
    }
}
END_TEST

START_TEST(test_buf__varint_zigzag)
{
    static const struct {
        int64_t v;
        uint64_t zz;
    } cases[] = {
        {0, 0}, {-1, 1}, {1, 2}, {-2, 3}, {2, 4}, {63, 126}, {-64, 127},
        {INT64_MAX, UINT64_MAX - 1}, {INT64_MIN, UINT64_MAX},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        wf_buf b, want;
        wf_buf_init(&b);
        wf_buf_init(&want);
        wf_buf_put_varint(&b, cases[i].v);
        wf_buf_put_varuint(&want, cases[i].zz);
        ck_assert_uint_eq(b.len, want.len);
        ck_assert(memcmp(b.data, want.data, b.len) == 0);
        wf_reader r;
        int64_t v = 7;
        wf_reader_init(&r, b.data, b.len);
        ck_assert_int_eq(wf_read_varint(&r, &v), 0);
        ck_assert_int_eq(v, cases[i].v);
        wf_buf_free(&b);
        wf_buf_free(&want);
    }
}
END_TEST

START_TEST(test_buf__random_roundtrip)
{
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("buf roundtrip"));
    long iters = wt_scaled(200);
    for (long it = 0; it < iters; it++) {
        enum { N = 500 };
        uint64_t vals[N];
        uint8_t kinds[N];
        wf_buf b;
        wf_buf_init(&b);
        size_t want_len = 0;
        for (int i = 0; i < N; i++) {
            /* values of every magnitude: shift a random word right by 0..63 */
            vals[i] = wt_rng_next(&rng) >> wt_rng_below(&rng, 64);
            kinds[i] = (uint8_t)wt_rng_below(&rng, 4);
            switch (kinds[i]) {
            case 0: wf_buf_put_varuint(&b, vals[i]); want_len += varuint_len(vals[i]); break;
            case 1: wf_buf_put_varint(&b, (int64_t)vals[i]); break;
            case 2: wf_buf_put_u8(&b, (uint8_t)vals[i]); want_len++; break;
            default:
                vals[i] &= UINT32_MAX;
                wf_buf_put_varuint(&b, vals[i]);
                want_len += varuint_len(vals[i]);
            }
            if (kinds[i] == 1) {
                uint64_t zz = (vals[i] << 1) ^ (uint64_t)((int64_t)vals[i] >> 63);
                want_len += varuint_len(zz);
            }
        }
        ck_assert_uint_eq(b.len, want_len);
        wf_reader r;
        wf_reader_init(&r, b.data, b.len);
        for (int i = 0; i < N; i++) {
            uint64_t u;
            int64_t s;
            uint8_t c;
            uint32_t w;
            switch (kinds[i]) {
            case 0: ck_assert_int_eq(wf_read_varuint(&r, &u), 0); ck_assert_uint_eq(u, vals[i]);
                break;
            case 1: ck_assert_int_eq(wf_read_varint(&r, &s), 0);
                ck_assert_int_eq(s, (int64_t)vals[i]);
                break;
            case 2: ck_assert_int_eq(wf_read_u8(&r, &c), 0);
                ck_assert_uint_eq(c, (uint8_t)vals[i]);
                break;
            default: ck_assert_int_eq(wf_read_varu32(&r, &w), 0);
                ck_assert_uint_eq(w, vals[i]);
            }
        }
        ck_assert_uint_eq(wf_reader_left(&r), 0);
        ck_assert_int_eq(r.err, 0);
        wf_buf_free(&b);
    }
}
END_TEST

/* --- the reader rejects bad input ------------------------------------------------------------ */

START_TEST(test_buf__truncated_varints)
{
    static const uint64_t vals[] = {128, 300, 16384, UINT32_MAX, (uint64_t)1 << 62,
                                    UINT64_MAX};
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
        wf_buf b;
        wf_buf_init(&b);
        wf_buf_put_varuint(&b, vals[i]);
        for (size_t cut = 0; cut < b.len; cut++) {
            wf_reader r;
            uint64_t v = 42;
            wf_reader_init(&r, b.data, cut);
            ck_assert_int_eq(wf_read_varuint(&r, &v), WF_EDECODE);
            ck_assert_int_eq(r.err, WF_EDECODE);
            ck_assert_uint_eq(wf_reader_left(&r), 0);
            int64_t s;
            wf_reader_init(&r, b.data, cut);
            ck_assert_int_eq(wf_read_varint(&r, &s), WF_EDECODE);
            uint32_t w;
            wf_reader_init(&r, b.data, cut);
            ck_assert_int_eq(wf_read_varu32(&r, &w), WF_EDECODE);
        }
        wf_buf_free(&b);
    }
}
END_TEST

START_TEST(test_buf__overlong_varints)
{
    wf_reader r;
    uint64_t v;
    /* 11 bytes: longer than any u64 */
    static const uint8_t eleven[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                     0x80, 0x01};
    wf_reader_init(&r, eleven, sizeof eleven);
    ck_assert_int_eq(wf_read_varuint(&r, &v), WF_EDECODE);
    /* 10 bytes whose last carries bits beyond 64 */
    static const uint8_t ten_big[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                      0x02};
    wf_reader_init(&r, ten_big, sizeof ten_big);
    ck_assert_int_eq(wf_read_varuint(&r, &v), WF_EDECODE);
    /* 10 bytes with a continuation bit on the last: would need an 11th */
    static const uint8_t ten_cont[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                       0x81, 0x00};
    wf_reader_init(&r, ten_cont, sizeof ten_cont);
    ck_assert_int_eq(wf_read_varuint(&r, &v), WF_EDECODE);
    /* a long run of continuation bytes must not be read past the 10th */
    uint8_t many[64];
    memset(many, 0x80, sizeof many);
    wf_reader_init(&r, many, sizeof many);
    ck_assert_int_eq(wf_read_varuint(&r, &v), WF_EDECODE);
    /* varu32: 2^32 does not fit */
    static const uint8_t two32[] = {0x80, 0x80, 0x80, 0x80, 0x10};
    uint32_t w = 5;
    wf_reader_init(&r, two32, sizeof two32);
    ck_assert_int_eq(wf_read_varu32(&r, &w), WF_EDECODE);
    ck_assert_uint_eq(w, 5);
    static const uint8_t max32[] = {0xff, 0xff, 0xff, 0xff, 0x0f};
    wf_reader_init(&r, max32, sizeof max32);
    ck_assert_int_eq(wf_read_varu32(&r, &w), 0);
    ck_assert_uint_eq(w, UINT32_MAX);
}
END_TEST

START_TEST(test_buf__errors_are_sticky)
{
    static const uint8_t data[] = {0x05, 0x80};
    wf_reader r;
    uint64_t v;
    uint8_t c;
    wf_reader_init(&r, data, sizeof data);
    ck_assert_int_eq(wf_read_varuint(&r, &v), 0);
    ck_assert_uint_eq(v, 5);
    ck_assert_uint_eq(wf_reader_left(&r), 1);
    ck_assert_int_eq(wf_read_varuint(&r, &v), WF_EDECODE); /* truncated */
    ck_assert_int_eq(r.err, WF_EDECODE);
    ck_assert_uint_eq(wf_reader_left(&r), 0);
    /* every later read fails, even one that would have fit */
    wf_reader_init(&r, data, sizeof data);
    const uint8_t *p;
    ck_assert_int_eq(wf_read_bytes(&r, 3, &p), WF_EDECODE);
    ck_assert_int_eq(wf_read_u8(&r, &c), WF_EDECODE);
    ck_assert_int_eq(wf_read_bytes(&r, 0, &p), WF_EDECODE);
}
END_TEST

START_TEST(test_buf__read_bytes_and_u8)
{
    static const uint8_t data[] = {1, 2, 3, 4, 5};
    wf_reader r;
    const uint8_t *p = NULL;
    uint8_t c;
    wf_reader_init(&r, data, sizeof data);
    ck_assert_int_eq(wf_read_u8(&r, &c), 0);
    ck_assert_uint_eq(c, 1);
    ck_assert_int_eq(wf_read_bytes(&r, 0, &p), 0);
    ck_assert_int_eq(wf_read_bytes(&r, 3, &p), 0);
    ck_assert_ptr_eq(p, data + 1); /* borrowed, not copied */
    ck_assert_uint_eq(wf_reader_left(&r), 1);
    ck_assert_int_eq(wf_read_bytes(&r, 2, &p), WF_EDECODE);
    wf_reader_init(&r, data, 0);
    ck_assert_int_eq(wf_read_u8(&r, &c), WF_EDECODE);
    /* a huge length must not wrap the pointer arithmetic */
    wf_reader_init(&r, data, sizeof data);
    ck_assert_int_eq(wf_read_bytes(&r, SIZE_MAX, &p), WF_EDECODE);
    wf_reader_init(&r, data, sizeof data);
    ck_assert_int_eq(wf_read_bytes(&r, SIZE_MAX - 2, &p), WF_EDECODE);
}
END_TEST

/* Little-endian u64: the exact bytes, the round trip, and truncation (7 bytes) failing
 * without consuming a partial value. */
START_TEST(test_buf__u64le)
{
    wf_buf b;
    wf_buf_init(&b);
    wf_buf_put_u64le(&b, 0x0102030405060708u);
    wf_buf_put_u64le(&b, UINT64_MAX);
    static const uint8_t want[8] = {8, 7, 6, 5, 4, 3, 2, 1};
    ck_assert_uint_eq(b.len, 16);
    ck_assert_mem_eq(b.data, want, 8);
    wf_reader r;
    uint64_t v = 0;
    wf_reader_init(&r, b.data, b.len);
    ck_assert_int_eq(wf_read_u64le(&r, &v), 0);
    ck_assert_uint_eq(v, 0x0102030405060708u);
    ck_assert_int_eq(wf_read_u64le(&r, &v), 0);
    ck_assert_uint_eq(v, UINT64_MAX);
    ck_assert_int_eq(wf_read_u64le(&r, &v), WF_EDECODE);
    wf_reader_init(&r, b.data, 7);
    v = 42;
    ck_assert_int_eq(wf_read_u64le(&r, &v), WF_EDECODE);
    ck_assert_uint_eq(v, 42);
    wf_buf_free(&b);
}
END_TEST

static Suite *buf_suite(void)
{
    Suite *s = suite_create("buf");
    TCase *tc = tcase_create("buffer");
    tcase_add_test(tc, test_buf__put_and_grow);
    tcase_add_test(tc, test_buf__large_put);
    suite_add_tcase(s, tc);

    tc = tcase_create("varint");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_buf__varuint_exact_bytes);
    tcase_add_test(tc, test_buf__varint_zigzag);
    tcase_add_test(tc, test_buf__random_roundtrip);
    suite_add_tcase(s, tc);

    tc = tcase_create("reader");
    tcase_add_test(tc, test_buf__truncated_varints);
    tcase_add_test(tc, test_buf__overlong_varints);
    tcase_add_test(tc, test_buf__errors_are_sticky);
    tcase_add_test(tc, test_buf__read_bytes_and_u8);
    tcase_add_test(tc, test_buf__u64le);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(buf_suite());
}
