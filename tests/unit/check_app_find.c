/* Tests of app/editor/find.c: forward and backward search with wrap-around, compared with a naive
 * search of the whole text, on documents cut into many runs (so matches straddle chunk
 * seams). Random; the seed is printed and WEFT_SEED=N replays it. */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/editor/find.h"
#include "core/doc.h"

static uint64_t rng;

static uint32_t below(uint32_t n)
{
    rng += 0x9e3779b97f4a7c15ULL;
    uint64_t z = rng;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (uint32_t)((z ^ (z >> 31)) % n);
}

static const char *const alphabet[] = { "a", "b", "\n", "\xc3\xa9", "\xff", "ab" };
#define NALPHA (sizeof alphabet / sizeof alphabet[0])

static void random_units(char *out, size_t *n, size_t units)
{
    *n = 0;
    for (size_t i = 0; i < units; i++) {
        const char *u = alphabet[below(NALPHA)];
        memcpy(out + *n, u, strlen(u));
        *n += strlen(u);
    }
}

/* Naive: first match at byte >= from_b, else first anywhere (wrapped). */
static size_t naive_next(const char *t, size_t n, const char *nd, size_t m, size_t from_b,
                         bool *wrapped)
{
    *wrapped = false;
    for (size_t i = from_b; i + m <= n; i++)
        if (memcmp(t + i, nd, m) == 0)
            return i;
    for (size_t i = 0; i < from_b && i + m <= n; i++)
        if (memcmp(t + i, nd, m) == 0) {
            *wrapped = true;
            return i;
        }
    return SIZE_MAX;
}

/* Naive: last match at byte < before_b, else last anywhere (wrapped). */
static size_t naive_prev(const char *t, size_t n, const char *nd, size_t m, size_t before_b,
                         bool *wrapped)
{
    *wrapped = false;
    for (size_t i = before_b; i-- > 0;)
        if (i + m <= n && memcmp(t + i, nd, m) == 0)
            return i;
    for (size_t i = n + 1; i-- > before_b;)
        if (i + m <= n && memcmp(t + i, nd, m) == 0) {
            *wrapped = true;
            return i;
        }
    return SIZE_MAX;
}

static uint64_t seed(void)
{
    const char *s = getenv("WEFT_SEED");
    uint64_t v = s ? strtoull(s, NULL, 10) : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
    fprintf(stderr, "check_app_find: seed=%" PRIu64 " (replay: WEFT_SEED=%" PRIu64 ")\n", v, v);
    return v;
}

static void compare(const wf_doc *doc, const char *nd, size_t m, size_t pos)
{
    size_t n;
    char *t = wf_doc_text(doc, 0, wf_doc_len(doc), &n);
    size_t pb = (size_t)wf_doc_pos_to_byte(doc, pos);
    bool w1, w2;
    size_t want = naive_next(t, n, nd, m, pb, &w1);
    size_t got = find_next(doc, nd, m, pos, &w2);
    size_t want_pos = want == SIZE_MAX ? WF_NOPOS : wf_doc_byte_to_pos(doc, want);
    ck_assert_msg(got == want_pos && (want == SIZE_MAX || w1 == w2),
                  "next from %zu (needle %zu bytes): got %zu, want %zu", pos, m, got, want_pos);
    want = naive_prev(t, n, nd, m, pb, &w1);
    got = find_prev(doc, nd, m, pos, &w2);
    want_pos = want == SIZE_MAX ? WF_NOPOS : wf_doc_byte_to_pos(doc, want);
    ck_assert_msg(got == want_pos && (want == SIZE_MAX || w1 == w2),
                  "prev from %zu (needle %zu bytes): got %zu, want %zu", pos, m, got, want_pos);
    free(t);
}

START_TEST(test_find__simple)
{
    wf_doc *doc = wf_doc_new(1);
    char *s = strdup("one fish\ntwo fish\n");
    ck_assert_int_eq(wf_doc_load(doc, s, strlen(s)), 0);
    bool w;
    ck_assert_uint_eq(find_next(doc, "fish", 4, 0, &w), 4);
    ck_assert(!w);
    ck_assert_uint_eq(find_next(doc, "fish", 4, 5, &w), 13);
    ck_assert_uint_eq(find_next(doc, "fish", 4, 14, &w), 4);
    ck_assert(w);
    ck_assert_uint_eq(find_prev(doc, "fish", 4, 13, &w), 4);
    ck_assert_uint_eq(find_prev(doc, "fish", 4, 4, &w), 13);
    ck_assert(w);
    ck_assert_uint_eq(find_next(doc, "cat", 3, 0, &w), WF_NOPOS);
    ck_assert_uint_eq(find_next(doc, "", 0, 0, &w), WF_NOPOS);
    ck_assert_uint_eq(find_next(doc, "h\ntwo", 5, 0, &w), 7);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_find__random_fragmented)
{
    rng = seed();
    for (int round = 0; round < 20; round++) {
        wf_doc *doc = wf_doc_new(1);
        char *buf = malloc(4 * 600 + 1);
        size_t n;
        random_units(buf, &n, 300 + below(300));
        ck_assert_int_eq(wf_doc_load(doc, buf, n), 0);
        for (int e = 0; e < 300; e++) {
            size_t len = wf_doc_len(doc);
            if (below(3) == 0 && len > 0) {
                size_t at = below((uint32_t)len);
                ck_assert_int_eq(wf_doc_delete(doc, at, 1), 0);
            } else {
                char ins[64];
                size_t k;
                random_units(ins, &k, 1 + below(4));
                ck_assert_int_eq(wf_doc_insert(doc, below((uint32_t)len + 1), ins, k), 0);
            }
        }
        ck_assert_uint_gt(wf_doc_runs(doc), 100); /* many chunks, many seams */
        for (int q = 0; q < 60; q++) {
            char nd[64];
            size_t m;
            random_units(nd, &m, 1 + below(q < 50 ? 4 : 12));
            compare(doc, nd, m, below((uint32_t)wf_doc_len(doc) + 1));
        }
        wf_doc_free(doc);
    }
}
END_TEST

START_TEST(test_find__large_blocks)
{
    /* Matches near the 64 KiB block edges of the backward search. */
    size_t n = 300000;
    char *buf = malloc(n);
    memset(buf, 'x', n);
    memcpy(buf + 65536 - 2, "NEEDLE", 6);
    memcpy(buf + 200000, "NEEDLE", 6);
    wf_doc *doc = wf_doc_new(1);
    ck_assert_int_eq(wf_doc_load(doc, buf, n), 0);
    bool w;
    ck_assert_uint_eq(find_prev(doc, "NEEDLE", 6, n, &w), 200000);
    ck_assert_uint_eq(find_prev(doc, "NEEDLE", 6, 200000, &w), 65534);
    ck_assert_uint_eq(find_prev(doc, "NEEDLE", 6, 65534, &w), 200000);
    ck_assert(w);
    ck_assert_uint_eq(find_next(doc, "NEEDLE", 6, 65535, &w), 200000);
    compare(doc, "xNEEDLEx", 8, 131072);
    wf_doc_free(doc);
}
END_TEST

static Suite *find_suite(void)
{
    Suite *s = suite_create("app_find");
    TCase *tc = tcase_create("find");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_find__simple);
    tcase_add_test(tc, test_find__random_fragmented);
    tcase_add_test(tc, test_find__large_blocks);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(find_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
