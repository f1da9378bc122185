/* Tests of app/project/fuzzy.c: ranking on handpicked cases (word starts, '/' boundaries,
 * runs, smart case, the "mkf" decision), positions, the empty and the too-long query, UTF-8
 * and bytes that are not UTF-8; on random short paths the score is the score of the
 * positions it reports and never more than the best placement found by brute force; the top
 * list equals a full sort. */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/project/fuzzy.h"
#include "tests/common/testutil.h"

static proj_fuzzy *query_of(const char *q)
{
    proj_fuzzy *f;
    ck_assert_int_eq(proj_fuzzy_new(q, strlen(q), &f), 0);
    return f;
}

static int32_t score(const char *q, const char *path)
{
    proj_fuzzy *f = query_of(q);
    int32_t s = proj_fuzzy_score(f, path, strlen(path), NULL);
    proj_fuzzy_free(f);
    return s;
}

/* The paths in the order proj_fuzzy_top() ranks them for q, one string "a b c". */
static const char *ranked(const char *q, const char *const *paths, size_t n)
{
    static char out[1024];
    struct proj_fuzzy_hit hits[16];
    proj_fuzzy *f = query_of(q);
    size_t k = proj_fuzzy_top(f, paths, NULL, n, hits, 16);
    out[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        strcat(out, i ? " " : "");
        strcat(out, paths[hits[i].index]);
    }
    proj_fuzzy_free(f);
    return out;
}

START_TEST(test_fuzzy__ranking)
{
    static const char *const p1[] = { "Makefile", "src/make_tmp_file.c", "docs/mkfifo.txt" };
    /* the documented decision: word starts in make_tmp_file beat Makefile's shorter gap; an
     * exact run wins over both */
    ck_assert_str_eq(ranked("mkf", p1, 3), "docs/mkfifo.txt src/make_tmp_file.c Makefile");
    ck_assert_str_eq(ranked("make", p1, 3), "Makefile src/make_tmp_file.c");
    static const char *const p2[] = { "src/maxfoo.c", "src/main/foo.c" };
    ck_assert_str_eq(ranked("mf", p2, 2), "src/main/foo.c src/maxfoo.c");
    /* a run beats the same letters after separators; shorter wins a tie */
    static const char *const p3[] = { "f/o/o", "lib/foo.c", "foo.c" };
    ck_assert_str_eq(ranked("foo", p3, 3), "foo.c lib/foo.c f/o/o");
    /* camelCase humps */
    static const char *const p4[] = { "src/getvalue.js", "src/getValue.js" };
    ck_assert_str_eq(ranked("gv", p4, 2), "src/getValue.js src/getvalue.js");
    /* no match: not listed */
    ck_assert_str_eq(ranked("zzz", p1, 3), "");
}
END_TEST

START_TEST(test_fuzzy__smart_case)
{
    ck_assert_int_ne(score("make", "Makefile"), PROJ_FUZZY_NOMATCH);
    ck_assert_int_ne(score("make", "makefile"), PROJ_FUZZY_NOMATCH);
    ck_assert_int_ne(score("Make", "Makefile"), PROJ_FUZZY_NOMATCH);
    ck_assert_int_eq(score("Make", "makefile"), PROJ_FUZZY_NOMATCH);
    /* beyond ASCII: folding through utf8proc, and an upper-case letter makes it exact */
    ck_assert_int_ne(score("é", "CAFÉ.txt"), PROJ_FUZZY_NOMATCH);
    ck_assert_int_ne(score("É", "CAFÉ.txt"), PROJ_FUZZY_NOMATCH);
    ck_assert_int_eq(score("É", "café.txt"), PROJ_FUZZY_NOMATCH);
    ck_assert_int_eq(score("e", "café"), PROJ_FUZZY_NOMATCH); /* no accent stripping */
}
END_TEST

static void positions(const char *q, const char *path, const uint16_t *want)
{
    proj_fuzzy *f = query_of(q);
    uint16_t pos[PROJ_FUZZY_QUERY_MAX];
    ck_assert_int_ne(proj_fuzzy_score(f, path, strlen(path), pos), PROJ_FUZZY_NOMATCH);
    for (size_t i = 0; i < proj_fuzzy_len(f); i++)
        ck_assert_msg(pos[i] == want[i], "%s in %s: position %zu is %u, want %u", q, path, i,
                      pos[i], want[i]);
    proj_fuzzy_free(f);
}

START_TEST(test_fuzzy__positions)
{
    positions("abc", "a/b/c", (const uint16_t[]){ 0, 2, 4 });
    positions("foo", "xfoo/foo.c", (const uint16_t[]){ 5, 6, 7 }); /* the run after '/' */
    positions("mtf", "src/make_tmp_file.c", (const uint16_t[]){ 4, 9, 13 });
    positions("éa", "caf\xc3\xa9/a", (const uint16_t[]){ 3, 6 }); /* byte offsets */
    positions("ab", "a\xff" "b", (const uint16_t[]){ 0, 2 });
    /* a byte that is not UTF-8 matches only itself */
    ck_assert_int_ne(score("\xff", "x\xff"), PROJ_FUZZY_NOMATCH);
    ck_assert_int_eq(score("\xff", "\xc3\xbf"), PROJ_FUZZY_NOMATCH); /* ÿ is not \xff */
}
END_TEST

START_TEST(test_fuzzy__empty_and_long_query)
{
    static const char *const paths[] = { "bb/c", "a", "zz", "ab" };
    ck_assert_str_eq(ranked("", paths, 4), "a ab zz bb/c");
    ck_assert_int_eq(score("", "anything"), 0);
    char q[PROJ_FUZZY_QUERY_MAX + 2];
    memset(q, 'a', sizeof q - 1);
    q[sizeof q - 1] = '\0';
    proj_fuzzy *f;
    ck_assert_int_eq(proj_fuzzy_new(q, PROJ_FUZZY_QUERY_MAX + 1, &f), -E2BIG);
    ck_assert_int_eq(proj_fuzzy_new(q, PROJ_FUZZY_QUERY_MAX, &f), 0);
    proj_fuzzy_free(f);
    /* a path over the limit never matches */
    static char longp[PROJ_FUZZY_PATH_MAX + 2];
    memset(longp, 'a', PROJ_FUZZY_PATH_MAX + 1);
    ck_assert_int_eq(score("a", longp), PROJ_FUZZY_NOMATCH);
    longp[PROJ_FUZZY_PATH_MAX] = '\0';
    ck_assert_int_ne(score("aaa", longp), PROJ_FUZZY_NOMATCH);
}
END_TEST

/* --- an independent scorer for random tests ----------------------------------------- */

/* Paths and queries are made of these tokens; é and É are two bytes, one character. */
static const char *const tok[] = { "a", "b", "A", "B", "/", "_", ".", "1", " ", "é", "É" };
enum { T_E = 9, T_EU = 10, NTOK = 11 };

static int tok_cls(int t) /* fuzzy.c's enum cls: white, slash, nonword, lower, upper, digit, letter */
{
    static const int c[NTOK] = { 3, 3, 4, 4, 1, 2, 2, 5, 0, 6, 4 };
    return c[t];
}

static int tok_fold(int t)
{
    return t == 2 ? 0 : t == 3 ? 1 : t == T_EU ? T_E : t;
}

static int bonus_at(const int *p, size_t j)
{
    int prev = j ? tok_cls(p[j - 1]) : 1, cur = tok_cls(p[j]);
    if (cur < 3)
        return cur == 0 ? 10 : 8;
    if (prev == 0)
        return 10;
    if (prev == 1)
        return 9;
    if (prev == 2)
        return 8;
    if ((prev == 3 && cur == 4) || (prev != 5 && cur == 5))
        return 7;
    return 0;
}

/* The score of one placement (token indices at[]), by the rules in fuzzy.h; gaps are
 * measured by where[] (bytes for an ASCII query, characters otherwise). */
static int32_t placement_score(const int *p, const size_t *where, const size_t *at, size_t m)
{
    int32_t s = 0, run = 0;
    for (size_t i = 0; i < m; i++) {
        int b = bonus_at(p, at[i]);
        if (i == 0) {
            s += 16 + 2 * b;
            run = b;
        } else if (at[i] == at[i - 1] + 1) {
            run = run > b ? run : b;
            s += 16 + (run > 4 ? run : 4);
        } else {
            s += 16 + b - 3 - (int32_t)(where[at[i]] - where[at[i - 1]] - 2);
            run = b;
        }
    }
    return s;
}

static int32_t brute(const int *p, const size_t *where, size_t n, const int *q, size_t m,
                     size_t i, size_t from, size_t *at)
{
    if (i == m)
        return placement_score(p, where, at, m);
    int32_t best = PROJ_FUZZY_NOMATCH;
    for (size_t j = from; j < n; j++) {
        if (tok_fold(p[j]) != q[i])
            continue;
        at[i] = j;
        int32_t s = brute(p, where, n, q, m, i + 1, j + 1, at);
        best = s > best ? s : best;
    }
    return best;
}

START_TEST(test_fuzzy__random_against_brute_force)
{
    wt_rng g;
    wt_rng_init(&g, wt_seed("fuzzy brute"));
    static const int qtok[] = { 0, 1, 4, 5, 7, T_E };
    long rounds = wt_scaled(20000), below = 0;
    for (long round = 0; round < rounds; round++) {
        int p[16], q[4];
        size_t n = 1 + wt_rng_below(&g, 14), m = 1 + wt_rng_below(&g, 4);
        size_t bytes[16], chars[16];
        char path[64] = "", query[16] = "";
        bool ascii = wt_rng_chance(&g, 2, 3);
        for (size_t i = 0; i < n; i++) {
            p[i] = (int)wt_rng_below(&g, NTOK);
            bytes[i] = strlen(path);
            chars[i] = i;
            strcat(path, tok[p[i]]);
        }
        for (size_t i = 0; i < m; i++) {
            q[i] = qtok[wt_rng_below(&g, ascii ? 5 : 6)];
            strcat(query, tok[q[i]]);
        }
        ascii = strlen(query) == m;
        const size_t *where = ascii ? bytes : chars;
        size_t at[4];
        int32_t want = brute(p, where, n, q, m, 0, 0, at);
        proj_fuzzy *f = query_of(query);
        uint16_t pos[PROJ_FUZZY_QUERY_MAX];
        int32_t got = proj_fuzzy_score(f, path, strlen(path), pos);
        proj_fuzzy_free(f);
        if (want == PROJ_FUZZY_NOMATCH) {
            ck_assert_msg(got == PROJ_FUZZY_NOMATCH, "%s in \"%s\" matched", query, path);
            continue;
        }
        ck_assert_msg(got != PROJ_FUZZY_NOMATCH, "%s in \"%s\" did not match", query, path);
        for (size_t i = 0; i < m; i++) {
            size_t t = 0;
            while (t < n && bytes[t] != pos[i])
                t++;
            ck_assert_msg(t < n && tok_fold(p[t]) == q[i], "%s in \"%s\": position %zu", query,
                          path, i);
            ck_assert(i == 0 || t > at[i - 1]);
            at[i] = t;
        }
        int32_t mine = placement_score(p, where, at, m);
        ck_assert_msg(mine == got, "%s in \"%s\": score %d, its positions' %d", query, path, got,
                      mine);
        ck_assert_msg(got <= want, "%s in \"%s\": %d above the best placement %d", query, path,
                      got, want);
        below += got < want;
    }
    /* the table keeps one run bonus per cell (as fzf does), so rarely it misses the best */
    ck_assert_msg(below * 100 <= rounds, "%ld of %ld below the best placement", below, rounds);
}
END_TEST

static const struct list_ctx {
    const char *const *paths;
    const int32_t *scores;
} *sort_ctx;

static int by_rank(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const int32_t *s = sort_ctx->scores;
    if (s[i] != s[j])
        return s[i] > s[j] ? -1 : 1;
    size_t li = strlen(sort_ctx->paths[i]), lj = strlen(sort_ctx->paths[j]);
    if (li != lj)
        return li < lj ? -1 : 1;
    int c = strcmp(sort_ctx->paths[i], sort_ctx->paths[j]);
    return c ? c : (i < j ? -1 : 1);
}

START_TEST(test_fuzzy__top_equals_full_sort)
{
    wt_rng g;
    wt_rng_init(&g, wt_seed("fuzzy top"));
    enum { N = 3000 };
    static char store[N][24];
    static const char *paths[N];
    static int32_t scores[N];
    static size_t order[N];
    static const char alphabet[] = "abcdeABC/_.-";
    for (size_t i = 0; i < N; i++) {
        size_t n = 1 + wt_rng_below(&g, 22);
        for (size_t k = 0; k < n; k++)
            store[i][k] = alphabet[wt_rng_below(&g, sizeof alphabet - 1)];
        store[i][n] = '\0';
        paths[i] = store[i];
    }
    static const char *const queries[] = { "a", "ab", "abc", "a/b", "Ab", "", "e_d" };
    for (size_t qi = 0; qi < sizeof queries / sizeof queries[0]; qi++) {
        proj_fuzzy *f = query_of(queries[qi]);
        size_t matched = 0;
        for (size_t i = 0; i < N; i++) {
            scores[i] = proj_fuzzy_score(f, paths[i], strlen(paths[i]), NULL);
            if (scores[i] != PROJ_FUZZY_NOMATCH)
                order[matched++] = i;
        }
        struct list_ctx ctx = { paths, scores };
        sort_ctx = &ctx;
        qsort(order, matched, sizeof order[0], by_rank);
        struct proj_fuzzy_hit hits[50];
        size_t k = proj_fuzzy_top(f, paths, NULL, N, hits, 50);
        ck_assert_uint_eq(k, matched < 50 ? matched : 50);
        for (size_t i = 0; i < k; i++) {
            ck_assert_uint_eq(hits[i].index, order[i]);
            ck_assert_int_eq(hits[i].score, scores[order[i]]);
        }
        proj_fuzzy_free(f);
    }
}
END_TEST

static Suite *fuzzy_suite(void)
{
    Suite *s = suite_create("proj_fuzzy");
    TCase *tc = tcase_create("fuzzy");
    tcase_add_test(tc, test_fuzzy__ranking);
    tcase_add_test(tc, test_fuzzy__smart_case);
    tcase_add_test(tc, test_fuzzy__positions);
    tcase_add_test(tc, test_fuzzy__empty_and_long_query);
    tcase_add_test(tc, test_fuzzy__random_against_brute_force);
    tcase_add_test(tc, test_fuzzy__top_equals_full_sort);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(fuzzy_suite());
}
