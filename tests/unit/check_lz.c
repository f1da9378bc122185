/* LZ77 + Huffman blocks (core/lz.c): round trips over inputs shaped like the columns and
 * texts of updates and over the format's edges (the longest match, the furthest distance,
 * one symbol, incompressible bytes), and hostile blocks: every truncation and random bit
 * flips are refused or decode to exactly the requested size, never past it. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/lz.h"
#include "tests/common/testutil.h"

/* Encodes src[0..n), decodes it, and compares; returns the block size. */
static size_t roundtrip(const uint8_t *src, size_t n)
{
    wf_buf b;
    wf_buf_init(&b);
    wf_lz_encode(src, n, &b);
    uint8_t *out = malloc(n + 1);
    out[n] = 0xa5;
    int rc = wf_lz_decode(b.data, b.len, out, n);
    ck_assert_msg(rc == 0, "decode of %zu bytes: %s", n, wf_strerror(rc));
    ck_assert(memcmp(out, src, n) == 0);
    ck_assert_uint_eq(out[n], 0xa5); /* nothing written past dst */
    size_t len = b.len;
    /* Asked for more than the block holds: refused, with nothing written past dst (the
     * zero padding may still decode as a symbol or two: the caller states the size). */
    uint8_t *big = malloc(n + 64);
    big[n + 63] = 0xa5;
    ck_assert_int_eq(wf_lz_decode(b.data, b.len, big, n + 63), WF_EDECODE);
    ck_assert_uint_eq(big[n + 63], 0xa5);
    free(big);
    free(out);
    wf_buf_free(&b);
    return len;
}

START_TEST(test_lz__edges)
{
    uint8_t one = 'x';
    roundtrip(&one, 1);
    uint8_t same[1000];
    memset(same, 7, sizeof same);
    ck_assert_uint_lt(roundtrip(same, sizeof same), 40); /* overlapping matches of 258 */
    /* A repeat 65536 bytes back (the furthest distance) and one further (out of reach). */
    size_t n = 65536 + 600;
    uint8_t *far = malloc(n);
    wt_rng r;
    wt_rng_init(&r, 1);
    for (size_t i = 0; i < n; i++)
        far[i] = (uint8_t)wt_rng_next(&r);
    memcpy(far + 65536, far, 300);
    memcpy(far + 65536 + 300, far + 1, 300);
    roundtrip(far, n);
    /* Incompressible bytes cost little more than themselves. */
    ck_assert_uint_lt(roundtrip(far, 65536), 65536 + 65536 / 50 + 200);
    free(far);
}
END_TEST

START_TEST(test_lz__random_shapes)
{
    uint64_t seed = wt_seed("lz");
    wt_rng r;
    wt_rng_init(&r, seed);
    for (int round = 0; round < wt_scaled(200); round++) {
        size_t n = 1 + wt_rng_below(&r, round % 10 == 0 ? 200000 : 3000);
        uint8_t *src = malloc(n);
        unsigned kind = wt_rng_below(&r, 4), alpha = 1 + wt_rng_below(&r, 255);
        for (size_t i = 0; i < n; i++) {
            if (kind == 0) /* skewed small values, as in a varint column */
                src[i] = (uint8_t)(wt_rng_below(&r, 1 + wt_rng_below(&r, alpha)));
            else if (kind == 1 && i > 8 && wt_rng_chance(&r, 7, 8)) /* text-like repeats */
                src[i] = src[i - 1 - wt_rng_below(&r, (uint32_t)(i < 300 ? i - 1 : 300))];
            else
                src[i] = (uint8_t)wt_rng_below(&r, alpha);
        }
        roundtrip(src, n);
        free(src);
    }
}
END_TEST

START_TEST(test_lz__hostile_blocks)
{
    uint64_t seed = wt_seed("lz hostile");
    wt_rng r;
    wt_rng_init(&r, seed);
    const char *text = "the quick brown fox jumps over the lazy dog; the quick brown cat "
                       "jumps over the lazy fox, and the dog sleeps. \xc3\xa9\xc3\xa9\xc3\xa9";
    size_t n = strlen(text);
    wf_buf b;
    wf_buf_init(&b);
    wf_lz_encode((const uint8_t *)text, n, &b);
    uint8_t *out = malloc(n + 16);
    for (size_t cut = 0; cut < b.len; cut++)
        ck_assert_int_eq(wf_lz_decode(b.data, cut, out, n), WF_EDECODE);
    uint8_t *copy = malloc(b.len + 1);
    memcpy(copy, b.data, b.len);
    copy[b.len] = 0;
    ck_assert_int_eq(wf_lz_decode(copy, b.len + 1, out, n), WF_EDECODE); /* a byte too many */
    int accepted = 0;
    for (int i = 0; i < 20000; i++) {
        memcpy(copy, b.data, b.len);
        for (int k = 1 + (int)wt_rng_below(&r, 3); k > 0; k--)
            copy[wt_rng_below(&r, (uint32_t)b.len)] ^= (uint8_t)(1u << wt_rng_below(&r, 8));
        out[n] = 0x5a;
        int rc = wf_lz_decode(copy, b.len, out, n);
        ck_assert(rc == 0 || rc == WF_EDECODE);
        ck_assert_uint_eq(out[n], 0x5a);
        accepted += rc == 0;
    }
    fprintf(stderr, "lz flips: %d of 20000 mutated blocks decoded\n", accepted);
    free(copy);
    free(out);
    wf_buf_free(&b);
}
END_TEST

static Suite *lz_suite(void)
{
    Suite *s = suite_create("lz");
    TCase *tc = tcase_create("lz");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_lz__edges);
    tcase_add_test(tc, test_lz__random_shapes);
    tcase_add_test(tc, test_lz__hostile_blocks);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(lz_suite());
}
