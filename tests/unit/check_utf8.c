/* core/utf8: segmentation of arbitrary bytes into units (valid scalars, or single bytes).
 *
 * Fixed cases pin the RFC 3629 boundaries (overlongs, surrogates, > U+10FFFF, truncated
 * sequences, lone continuation bytes, NUL); exhaustive and random cases compare the core
 * with the tests' own segmenter (wt_unit_len in tests/common/testutil.c). */
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "tests/common/testutil.h"

/* Expected segmentation of s: the unit lengths, 0-terminated. */
static void expect_units(const char *s, size_t n, const size_t *lens)
{
    size_t i = 0, k = 0;
    for (; i < n; k++) {
        ck_assert_msg(lens[k] != 0, "\"%s\": more units than expected", wt_esc(s, n));
        size_t got = wf_utf8_unit_len(s + i, n - i);
        ck_assert_msg(got == lens[k], "\"%s\": unit %zu has %zu bytes, want %zu",
                      wt_esc(s, n), k, got, lens[k]);
        i += got;
    }
    ck_assert_msg(lens[k] == 0, "\"%s\": fewer units than expected", wt_esc(s, n));
    ck_assert_uint_eq(wf_utf8_count(s, n, NULL), k);
}

#define UNITS(str, ...)                                                                     \
    do {                                                                                    \
        static const size_t lens_[] = {__VA_ARGS__, 0};                                     \
        expect_units((str), sizeof(str) - 1, lens_);                                        \
    } while (0)

/* --- fixed cases -------------------------------------------------------------------------- */

START_TEST(test_utf8__valid_boundaries)
{
    static const struct {
        const char *s;
        size_t len;
        int32_t cp;
    } cases[] = {
        {"A", 1, 'A'},
        {"\x7f", 1, 0x7f},
        {"\xc2\x80", 2, 0x80},
        {"\xdf\xbf", 2, 0x7ff},
        {"\xe0\xa0\x80", 3, 0x800},
        {"\xe2\x82\xac", 3, 0x20ac},
        {"\xed\x9f\xbf", 3, 0xd7ff},
        {"\xee\x80\x80", 3, 0xe000},
        {"\xef\xbf\xbf", 3, 0xffff},
        {"\xf0\x90\x80\x80", 4, 0x10000},
        {"\xf0\x9f\x98\x80", 4, 0x1f600},
        {"\xf4\x8f\xbf\xbf", 4, 0x10ffff},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = strlen(cases[i].s), len = 99;
        ck_assert_uint_eq(wf_utf8_unit_len(cases[i].s, n), cases[i].len);
        ck_assert_int_eq(wf_utf8_decode(cases[i].s, n, &len), cases[i].cp);
        ck_assert_uint_eq(len, cases[i].len);
        char out[4];
        ck_assert_uint_eq(wf_utf8_encode((uint32_t)cases[i].cp, out), cases[i].len);
        ck_assert(memcmp(out, cases[i].s, cases[i].len) == 0);
    }
}
END_TEST

START_TEST(test_utf8__nul_is_a_unit)
{
    size_t len = 9;
    ck_assert_uint_eq(wf_utf8_unit_len("\0", 1), 1);
    ck_assert_int_eq(wf_utf8_decode("\0", 1, &len), 0);
    ck_assert_uint_eq(len, 1);
    UNITS("a\0b\0", 1, 1, 1, 1);
}
END_TEST

START_TEST(test_utf8__overlongs)
{
    UNITS("\xc0\x80", 1, 1);
    UNITS("\xc1\xbf", 1, 1);
    UNITS("\xe0\x80\x80", 1, 1, 1);
    UNITS("\xe0\x9f\xbf", 1, 1, 1);
    UNITS("\xf0\x80\x80\x80", 1, 1, 1, 1);
    UNITS("\xf0\x8f\xbf\xbf", 1, 1, 1, 1);
    size_t len;
    ck_assert_int_eq(wf_utf8_decode("\xc0\x80", 2, &len), WF_UTF8_RAW(0xc0));
    ck_assert_uint_eq(len, 1);
    ck_assert(WF_UTF8_IS_RAW(WF_UTF8_RAW(0xc0)));
    ck_assert_uint_eq(WF_UTF8_RAW_BYTE(WF_UTF8_RAW(0xc0)), 0xc0);
    ck_assert_uint_eq(WF_UTF8_RAW_BYTE(WF_UTF8_RAW(0x80)), 0x80);
    ck_assert_uint_eq(WF_UTF8_RAW_BYTE(WF_UTF8_RAW(0xff)), 0xff);
}
END_TEST

START_TEST(test_utf8__surrogates)
{
    UNITS("\xed\xa0\x80", 1, 1, 1);  /* U+D800 */
    UNITS("\xed\xbf\xbf", 1, 1, 1);  /* U+DFFF */
    UNITS("\xed\xa0\xbd\xed\xb8\x80", 1, 1, 1, 1, 1, 1); /* CESU-8 pair */
    char out[4];
    ck_assert_uint_eq(wf_utf8_encode(0xd800, out), 0);
    ck_assert_uint_eq(wf_utf8_encode(0xdfff, out), 0);
}
END_TEST

START_TEST(test_utf8__beyond_max)
{
    UNITS("\xf4\x90\x80\x80", 1, 1, 1, 1); /* U+110000 */
    UNITS("\xf5\x80\x80\x80", 1, 1, 1, 1);
    UNITS("\xf8\x88\x80\x80\x80", 1, 1, 1, 1, 1);
    UNITS("\xfe\xff", 1, 1);
    char out[4];
    ck_assert_uint_eq(wf_utf8_encode(0x110000, out), 0);
    ck_assert_uint_eq(wf_utf8_encode(UINT32_MAX, out), 0);
}
END_TEST

START_TEST(test_utf8__truncated)
{
    UNITS("\xe2\x82", 1, 1);
    UNITS("\xe2\x82" "A", 1, 1, 1);
    UNITS("\xf0\x9f\x98", 1, 1, 1);
    UNITS("\xf0\x9f\x98" "\xf0\x9f\x98\x80", 1, 1, 1, 4);
    UNITS("\xc3", 1);
    UNITS("\xc3\xc3\xa9", 1, 2);
    /* a valid sequence cut by the length argument */
    ck_assert_uint_eq(wf_utf8_unit_len("\xe2\x82\xac", 2), 1);
    ck_assert_uint_eq(wf_utf8_unit_len("\xf0\x9f\x98\x80", 3), 1);
    ck_assert_uint_eq(wf_utf8_unit_len("\xc3\xa9", 1), 1);
}
END_TEST

START_TEST(test_utf8__lone_continuations)
{
    UNITS("\x80", 1);
    UNITS("\xbf\x80" "a", 1, 1, 1);
    UNITS("\xc3\xa9\xa9", 2, 1);
    UNITS("\xe2\x82\xac\x80", 3, 1);
    UNITS("\xff\xfe\xfd", 1, 1, 1);
}
END_TEST

START_TEST(test_utf8__count_and_newlines)
{
    const char s[] = "\xc3\xa9\xf0\x9f\x98\x80\n\r\n\xff\n" "abc\x80";
    size_t nl = 99;
    /* é 😀 \n \r \n \xff \n a b c \x80 */
    ck_assert_uint_eq(wf_utf8_count(s, sizeof s - 1, &nl), 11);
    ck_assert_uint_eq(nl, 3);
    ck_assert_uint_eq(wf_utf8_count("", 0, &nl), 0);
    ck_assert_uint_eq(nl, 0);
    /* a long ASCII stretch (the word-at-a-time path) with newlines at odd places */
    char buf[1000];
    size_t want_nl = 0;
    for (size_t i = 0; i < sizeof buf; i++) {
        buf[i] = (i % 7 == 3 || i % 64 == 63) ? '\n' : (char)('a' + i % 26);
        want_nl += buf[i] == '\n';
    }
    for (size_t off = 0; off < 16; off++) {
        size_t w = 0;
        for (size_t i = off; i < sizeof buf; i++)
            w += buf[i] == '\n';
        ck_assert_uint_eq(wf_utf8_count(buf + off, sizeof buf - off, &nl), sizeof buf - off);
        ck_assert_uint_eq(nl, w);
    }
    ck_assert_uint_gt(want_nl, 0);
    /* '\n' bytes are never part of a multi-byte unit, and 0x8A is not a newline */
    ck_assert_uint_eq(wf_utf8_count("\xc4\x8a\x0a", 3, &nl), 2);
    ck_assert_uint_eq(nl, 1);
}
END_TEST

START_TEST(test_utf8__offset)
{
    const char s[] = "a\xc3\xa9\xff\xf0\x9f\x98\x80" "b";
    size_t n = sizeof s - 1;
    static const size_t off[] = {0, 1, 3, 4, 8, 9};
    for (size_t k = 0; k < 6; k++)
        ck_assert_uint_eq(wf_utf8_offset(s, n, k), off[k]);
    ck_assert_uint_eq(wf_utf8_offset("", 0, 0), 0);
}
END_TEST

START_TEST(test_utf8__ends_clean)
{
    static const struct {
        const char *s;
        bool clean;
    } cases[] = {
        {"", true},
        {"a", true},
        {"\n", true},
        {"\xc3\xa9", true},
        {"\xe2\x82\xac", true},
        {"\xf0\x9f\x98\x80", true},
        {"\xc3", false},
        {"\xe2", false},
        {"\xe2\x82", false},
        {"a\xe2\x82", false},
        {"\xf0", false},
        {"\xf0\x9f", false},
        {"\xf0\x9f\x98", false},
        {"\xf4\x8f", false},
        {"\xed\x9f", false},
        {"\x80", true},       /* lone continuation: already a unit of its own */
        {"\xc0", true},       /* can never begin a sequence */
        {"\xc1", true},
        {"\xf5", true},
        {"\xff", true},
        {"\xe0\x80", true},   /* already malformed: E0 needs A0..BF */
        {"\xed\xa0", true},   /* surrogate */
        {"\xf0\x80", true},
        {"\xf4\x90", true},
        {"\xe2\x82\xac\xe2", false},
        {"\xe2\x41", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        ck_assert_msg(wf_utf8_ends_clean(cases[i].s, strlen(cases[i].s)) == cases[i].clean,
                      "ends_clean(\"%s\") should be %d", wt_esc(cases[i].s,
                                                                  strlen(cases[i].s)),
                      cases[i].clean);
}
END_TEST

START_TEST(test_utf8__encode_roundtrip)
{
    for (uint32_t cp = 0; cp < 0x110000; cp++) {
        char out[4];
        size_t n = wf_utf8_encode(cp, out), len;
        if (cp >= 0xd800 && cp <= 0xdfff) {
            ck_assert_uint_eq(n, 0);
            continue;
        }
        ck_assert_uint_eq(n, cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
        ck_assert_int_eq(wf_utf8_decode(out, n, &len), (int32_t)cp);
        ck_assert_uint_eq(len, n);
        ck_assert_uint_eq(wt_unit_len(out, n), n);
    }
}
END_TEST

/* --- against the tests' own segmenter --------------------------------------------------------- */

/* Compares unit_len and decode on s[0..n) with the reference. */
static void compare_at(const char *s, size_t n)
{
    size_t want = wt_unit_len(s, n), len = 99;
    size_t got = wf_utf8_unit_len(s, n);
    if (got != want)
        ck_abort_msg("unit_len(\"%s\") = %zu, want %zu", wt_esc(s, n), got, want);
    int32_t c = wf_utf8_decode(s, n, &len);
    ck_assert_uint_eq(len, want);
    if (want == 1 && (unsigned char)s[0] >= 0x80)
        ck_assert_int_eq(c, WF_UTF8_RAW(s[0]));
    else
        ck_assert_int_ge(c, 0);
}

START_TEST(test_utf8__exhaustive_short)
{
    char s[3];
    for (unsigned a = 0; a < 256; a++) {
        s[0] = (char)a;
        compare_at(s, 1);
        for (unsigned b = 0; b < 256; b++) {
            s[1] = (char)b;
            compare_at(s, 2);
            if (a < 0xc2 || a > 0xf4)
                continue; /* a is one unit whatever follows: covered above */
            for (unsigned c = 0; c < 256; c++) {
                s[2] = (char)c;
                compare_at(s, 3);
            }
        }
    }
}
END_TEST

START_TEST(test_utf8__four_byte_edges)
{
    static const unsigned char edge[] = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f,
                                         0xa0, 0xbf, 0xc0, 0xc2, 0xe0, 0xf0, 0xff};
    char s[4];
    for (unsigned a = 0xf0; a <= 0xf7; a++)
        for (size_t b = 0; b < sizeof edge; b++)
            for (size_t c = 0; c < sizeof edge; c++)
                for (size_t d = 0; d < sizeof edge; d++) {
                    s[0] = (char)a;
                    s[1] = (char)edge[b];
                    s[2] = (char)edge[c];
                    s[3] = (char)edge[d];
                    compare_at(s, 4);
                }
}
END_TEST

/* Random bytes biased towards UTF-8 structure. */
static size_t random_bytes(wt_rng *r, char *buf, size_t max)
{
    static const unsigned char pool[] = {'a', '\n', '\r', 0, 0x7f, 0x80, 0x8f, 0x90, 0x9f,
                                         0xa0, 0xa9, 0xbf, 0xc0, 0xc3, 0xdf, 0xe0, 0xe2,
                                         0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x82, 0x98};
    size_t n = wt_rng_below(r, (uint32_t)max + 1);
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)(wt_rng_chance(r, 1, 4) ? (unsigned char)wt_rng_below(r, 256)
                                                : pool[wt_rng_below(r, sizeof pool)]);
    return n;
}

/* Reference for ends_clean: s is clean iff no continuation changes how s segments. */
static bool ref_ends_clean(const char *s, size_t n)
{
    static const unsigned char tails[] = {0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf};
    char buf[80];
    size_t units = wt_units(s, n);
    memcpy(buf, s, n);
    for (size_t t1 = 0; t1 < 6; t1++)
        for (size_t t2 = 0; t2 < 6; t2++)
            for (size_t t3 = 0; t3 < 6; t3++) {
                buf[n] = (char)tails[t1];
                buf[n + 1] = (char)tails[t2];
                buf[n + 2] = (char)tails[t3];
                for (size_t k = 1; k <= 3; k++)
                    if (wt_unit_offset(buf, n + k, units) != n)
                        return false;
            }
    return true;
}

START_TEST(test_utf8__random_vs_reference)
{
    wt_rng r;
    wt_rng_init(&r, wt_seed("utf8 random"));
    char buf[80];
    long iters = wt_scaled(20000);
    for (long it = 0; it < iters; it++) {
        size_t n = random_bytes(&r, buf, 64), nl = 0, want_nl = 0;
        for (size_t i = 0; i < n; i++)
            want_nl += buf[i] == '\n';
        size_t units = wf_utf8_count(buf, n, &nl);
        ck_assert_uint_eq(units, wt_units(buf, n));
        ck_assert_uint_eq(nl, want_nl);
        for (size_t k = 0; k <= units; k++)
            ck_assert_uint_eq(wf_utf8_offset(buf, n, k), wt_unit_offset(buf, n, k));
        for (size_t i = 0; i < n; i += wt_unit_len(buf + i, n - i))
            compare_at(buf + i, n - i);
        bool want = ref_ends_clean(buf, n);
        if (wf_utf8_ends_clean(buf, n) != want)
            ck_abort_msg("ends_clean(\"%s\") should be %d", wt_esc(buf, n), want);
    }
}
END_TEST

/* Splitting at a clean boundary and segmenting the halves gives the same units. */
START_TEST(test_utf8__clean_boundaries_compose)
{
    wt_rng r;
    wt_rng_init(&r, wt_seed("utf8 compose"));
    char buf[80];
    long iters = wt_scaled(20000);
    for (long it = 0; it < iters; it++) {
        size_t n = random_bytes(&r, buf, 64);
        size_t cut = n ? wt_rng_below(&r, (uint32_t)n + 1) : 0;
        if (!wf_utf8_ends_clean(buf, cut))
            continue;
        ck_assert_uint_eq(wf_utf8_count(buf, cut, NULL) + wf_utf8_count(buf + cut, n - cut,
                                                                          NULL),
                          wf_utf8_count(buf, n, NULL));
    }
}
END_TEST

static Suite *utf8_suite(void)
{
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("fixed");
    tcase_add_test(tc, test_utf8__valid_boundaries);
    tcase_add_test(tc, test_utf8__nul_is_a_unit);
    tcase_add_test(tc, test_utf8__overlongs);
    tcase_add_test(tc, test_utf8__surrogates);
    tcase_add_test(tc, test_utf8__beyond_max);
    tcase_add_test(tc, test_utf8__truncated);
    tcase_add_test(tc, test_utf8__lone_continuations);
    tcase_add_test(tc, test_utf8__count_and_newlines);
    tcase_add_test(tc, test_utf8__offset);
    tcase_add_test(tc, test_utf8__ends_clean);
    suite_add_tcase(s, tc);

    tc = tcase_create("exhaustive");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_utf8__encode_roundtrip);
    tcase_add_test(tc, test_utf8__exhaustive_short);
    tcase_add_test(tc, test_utf8__four_byte_edges);
    suite_add_tcase(s, tc);

    tc = tcase_create("random");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_utf8__random_vs_reference);
    tcase_add_test(tc, test_utf8__clean_boundaries_compose);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(utf8_suite());
}
