/* Tests of app/project/linediff.c: applying the hunks to the old text gives the new one byte
 * for byte (random texts with repeated lines, CRLF, NUL, invalid UTF-8, no final newline,
 * empty texts); the hunks are well formed (ordered, not touching, on line boundaries, line
 * numbers right); without a fallback the edit is a shortest one (compared with an LCS table
 * on small inputs); small edits give small hunks; a tiny budget or line limit falls back and
 * stays exact. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/project/linediff.h"
#include "core/buf.h"
#include "tests/common/testutil.h"

/* Texts are built in a wf_buf (core/buf.h: appends never fail); these name its bytes. */
struct text {
    wf_buf b;
};
#define TP(t) ((char *)(t)->b.data)
#define TN(t) ((t)->b.len)

static void put(struct text *t, const char *s, size_t n)
{
    wf_buf_reserve(&t->b, n + 1); /* so that an empty text still has bytes to point at */
    wf_buf_put(&t->b, s, n);
}

static size_t lines_in(const char *p, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += p[i] == '\n';
    return k;
}

/* Checks the hunks' form and that applying them to old gives new. */
static void check_apply(const char *old, size_t on, const char *new, size_t nn,
                        const struct ld_result *r)
{
    struct text out = { 0 };
    put(&out, "", 0);
    size_t at = 0, nat = 0;
    for (size_t i = 0; i < r->n; i++) {
        const struct ld_hunk *h = &r->hunks[i];
        ck_assert_msg(h->old_off >= at && h->new_off >= nat, "hunk %zu out of order", i);
        if (i > 0)
            ck_assert_msg(h->old_off > at || h->new_off > nat, "hunks %zu and %zu touch", i - 1, i);
        ck_assert(h->old_len > 0 || h->new_len > 0);
        ck_assert(h->old_off + h->old_len <= on && h->new_off + h->new_len <= nn);
        /* on line boundaries */
        ck_assert(h->old_off == 0 || old[h->old_off - 1] == '\n');
        ck_assert(h->new_off == 0 || new[h->new_off - 1] == '\n');
        size_t oe = h->old_off + h->old_len, ne = h->new_off + h->new_len;
        ck_assert(oe == 0 || oe == on || old[oe - 1] == '\n');
        ck_assert(ne == 0 || ne == nn || new[ne - 1] == '\n');
        ck_assert_uint_eq(h->old_line, lines_in(old, h->old_off));
        ck_assert_uint_eq(h->new_line, lines_in(new, h->new_off));
        ck_assert_uint_eq(h->old_lines, lines_in(old + h->old_off, h->old_len) +
                                            (oe == on && h->old_len && old[oe - 1] != '\n'));
        ck_assert_uint_eq(h->new_lines, lines_in(new + h->new_off, h->new_len) +
                                            (ne == nn && h->new_len && new[ne - 1] != '\n'));
        /* the unchanged stretch before the hunk is the same in both */
        ck_assert_uint_eq(h->old_off - at, h->new_off - nat);
        ck_assert(h->old_off == at || memcmp(old + at, new + nat, h->old_off - at) == 0);
        put(&out, old + at, h->old_off - at);
        put(&out, new + h->new_off, h->new_len);
        at = oe;
        nat = ne;
    }
    put(&out, old + at, on - at);
    ck_assert_msg(TN(&out) == nn && (nn == 0 || memcmp(TP(&out), new, nn) == 0), "applying the hunks: %s",
                  wt_esc(TP(&out), TN(&out)));
    wf_buf_free(&out.b);
}

static struct ld_result diff(const char *old, size_t on, const char *new, size_t nn,
                             const struct ld_limits *lim)
{
    struct ld_result r;
    ck_assert_int_eq(ld_diff(old, on, new, nn, lim, &r), 0);
    check_apply(old, on, new, nn, &r);
    return r;
}

static struct ld_result diffs(const char *old, const char *new)
{
    return diff(old, strlen(old), new, strlen(new), NULL);
}

START_TEST(test_linediff__edges)
{
    static const char *const texts[] = { "", "a", "a\n", "\n", "\n\n", "a\nb", "a\nb\n",
                                         "a\r\nb\r\n", "b\na", "a\n\nb" };
    size_t nt = sizeof texts / sizeof texts[0];
    for (size_t i = 0; i < nt; i++)
        for (size_t j = 0; j < nt; j++) {
            struct ld_result r = diffs(texts[i], texts[j]);
            ck_assert(!r.fallback);
            if (i == j)
                ck_assert_uint_eq(r.n, 0);
            ld_result_free(&r);
        }
    struct ld_result r;
    ck_assert_int_eq(ld_diff(NULL, 0, NULL, 0, NULL, &r), 0);
    ck_assert_uint_eq(r.n, 0);
    ld_result_free(&r);
    /* a final newline added: the last line is replaced */
    r = diffs("x\ny", "x\ny\n");
    ck_assert_uint_eq(r.n, 1);
    ck_assert_uint_eq(r.hunks[0].old_off, 2);
    ck_assert_uint_eq(r.hunks[0].old_line, 1);
    ck_assert_uint_eq(r.hunks[0].old_lines, 1);
    ck_assert_uint_eq(r.hunks[0].new_lines, 1);
    ld_result_free(&r);
    /* CRLF to LF is every line */
    r = diffs("a\r\nb\r\nc\r\n", "a\nb\nc\n");
    ck_assert_uint_eq(r.n, 1);
    ck_assert_uint_eq(r.hunks[0].old_lines, 3);
    ld_result_free(&r);
}
END_TEST

START_TEST(test_linediff__small_edits_small_hunks)
{
    struct text old = { 0 }, new = { 0 };
    char line[64];
    for (int i = 0; i < 1000; i++) {
        int n = snprintf(line, sizeof line, "line %d of the text\n", i);
        put(&old, line, (size_t)n);
        if (i % 100 == 50)
            n = snprintf(line, sizeof line, "changed %d\n", i);
        if (i != 700)
            put(&new, line, (size_t)n);
    }
    struct ld_result r = diff(TP(&old), TN(&old), TP(&new), TN(&new), NULL);
    ck_assert(!r.fallback);
    ck_assert_uint_eq(r.n, 11); /* ten changed lines and one removed */
    for (size_t i = 0; i < r.n; i++) {
        ck_assert_uint_eq(r.hunks[i].old_lines, 1);
        ck_assert_uint_eq(r.hunks[i].new_lines, r.hunks[i].old_line == 700 ? 0 : 1);
    }
    ld_result_free(&r);
    /* an insertion in the middle of repeated lines is one hunk of one line */
    r = diffs("x\nx\nx\nx\n", "x\nx\ny\nx\nx\n");
    ck_assert_uint_eq(r.n, 1);
    ck_assert_uint_eq(r.hunks[0].old_lines, 0);
    ck_assert_uint_eq(r.hunks[0].new_lines, 1);
    ld_result_free(&r);
    wf_buf_free(&old.b);
    wf_buf_free(&new.b);
}
END_TEST

/* Random lines from a small vocabulary (so lines repeat), with CR, NUL and invalid bytes. */
static void random_line(wt_rng *g, struct text *t, bool last)
{
    static const char *const words[] = { "int x;", "}", "", "\r", "a\0b", "\xff\xfe", "\xc3\xa9t\xc3\xa9",
                                         "return 0;", "  ", "\xe2\x82" };
    static const size_t lens[] = { 6, 1, 0, 1, 3, 2, 6, 9, 2, 2 };
    uint32_t k = wt_rng_below(g, 10);
    put(t, words[k], lens[k]);
    if (wt_rng_chance(g, 1, 4)) {
        char c = (char)('a' + wt_rng_below(g, 26));
        put(t, &c, 1);
    }
    if (!last || wt_rng_chance(g, 1, 2))
        put(t, "\n", 1);
}

/* The length of a longest common subsequence of the lines of a and b (small inputs). */
static size_t lcs_lines(const char *a, size_t an, const char *b, size_t bn, size_t *na, size_t *nb)
{
    const char *la[256], *lb[256];
    size_t za[256], zb[256], n = 0, m = 0;
    for (size_t i = 0; i < an; n++) {
        const char *nl = memchr(a + i, '\n', an - i);
        size_t e = nl ? (size_t)(nl - a) + 1 : an;
        la[n] = a + i, za[n] = e - i, i = e;
    }
    for (size_t i = 0; i < bn; m++) {
        const char *nl = memchr(b + i, '\n', bn - i);
        size_t e = nl ? (size_t)(nl - b) + 1 : bn;
        lb[m] = b + i, zb[m] = e - i, i = e;
    }
    ck_assert(n < 256 && m < 256);
    static size_t t[257][257];
    for (size_t i = 0; i <= n; i++)
        for (size_t j = 0; j <= m; j++) {
            if (i == 0 || j == 0)
                t[i][j] = 0;
            else if (za[i - 1] == zb[j - 1] && memcmp(la[i - 1], lb[j - 1], za[i - 1]) == 0)
                t[i][j] = t[i - 1][j - 1] + 1;
            else
                t[i][j] = t[i - 1][j] > t[i][j - 1] ? t[i - 1][j] : t[i][j - 1];
        }
    *na = n;
    *nb = m;
    return t[n][m];
}

START_TEST(test_linediff__random_exact_and_shortest)
{
    wt_rng g;
    wt_rng_init(&g, wt_seed("linediff random"));
    long rounds = wt_scaled(3000);
    for (long round = 0; round < rounds; round++) {
        struct text old = { 0 }, new = { 0 };
        put(&old, "", 0);
        put(&new, "", 0);
        size_t lines = wt_rng_below(&g, 60);
        for (size_t i = 0; i < lines; i++)
            random_line(&g, &old, i + 1 == lines);
        /* new: old with a few random line edits (each line kept, dropped, or followed by
         * new lines) */
        uint32_t rate = 1 + wt_rng_below(&g, 20);
        for (size_t at = 0; at < TN(&old);) {
            const char *nl = memchr(TP(&old) + at, '\n', TN(&old) - at);
            size_t end = nl ? (size_t)(nl - TP(&old)) + 1 : TN(&old);
            if (!wt_rng_chance(&g, 1, rate + 1))
                put(&new, TP(&old) + at, end - at);
            else if (wt_rng_chance(&g, 1, 2))
                for (uint32_t k = wt_rng_below(&g, 3) + 1; k > 0; k--)
                    random_line(&g, &new, end == TN(&old) && k == 1);
            at = end;
        }
        if (wt_rng_chance(&g, 1, 20)) { /* sometimes unrelated texts */
            wf_buf_reset(&new.b);
            size_t nl = wt_rng_below(&g, 40);
            for (size_t i = 0; i < nl; i++)
                random_line(&g, &new, i + 1 == nl);
        }
        struct ld_result r = diff(TP(&old), TN(&old), TP(&new), TN(&new), NULL);
        ck_assert(!r.fallback);
        size_t n, m, lcs = lcs_lines(TP(&old), TN(&old), TP(&new), TN(&new), &n, &m), edit = 0;
        for (size_t i = 0; i < r.n; i++)
            edit += r.hunks[i].old_lines + r.hunks[i].new_lines;
        ck_assert_msg(edit == n + m - 2 * lcs, "round %ld: %zu lines changed, shortest %zu",
                      round, edit, n + m - 2 * lcs);
        ld_result_free(&r);
        /* the same pair under a tiny budget: coarser, still exact */
        struct ld_limits lim = { .budget = 1 + wt_rng_below(&g, 40) };
        r = diff(TP(&old), TN(&old), TP(&new), TN(&new), &lim);
        ld_result_free(&r);
        wf_buf_free(&old.b);
        wf_buf_free(&new.b);
    }
}
END_TEST

/* Two texts of n different lines, with a common first and last line and a common line after
 * every `every`th. */
static void unrelated(size_t n, size_t every, struct text *old, struct text *new)
{
    char line[64];
    put(old, "head\n", 5);
    put(new, "head\n", 5);
    for (size_t i = 0; i < n; i++) {
        put(old, line, (size_t)snprintf(line, sizeof line, "old %zu\n", i));
        put(new, line, (size_t)snprintf(line, sizeof line, "new %zu\n", i));
        if (i % every == 0) {
            put(old, "common\n", 7);
            put(new, "common\n", 7);
        }
    }
    put(old, "tail", 4);
    put(new, "tail", 4);
}

START_TEST(test_linediff__fallback)
{
    /* 40,000 lines with 20 in common: D is about 80,000, so Myers would take some 10^9 steps;
     * the budget cuts it short, and the result is still exact */
    struct text old = { 0 }, new = { 0 };
    unrelated(20000, 1000, &old, &new);
    struct ld_limits lim = { .budget = 100000 };
    struct ld_result r = diff(TP(&old), TN(&old), TP(&new), TN(&new), &lim);
    ck_assert(r.fallback);
    ck_assert_uint_ge(r.n, 1);
    ck_assert_uint_eq(r.hunks[0].old_off, 5); /* the common first line is kept */
    ld_result_free(&r);
    r = diff(TP(&old), TN(&old), TP(&new), TN(&new), NULL);
    ck_assert(r.fallback);
    ld_result_free(&r);
    /* the line limit: one replace hunk between the common ends */
    lim = (struct ld_limits){ .lines_max = 100 };
    r = diff(TP(&old), TN(&old), TP(&new), TN(&new), &lim);
    ck_assert(r.fallback);
    ck_assert_uint_eq(r.n, 1);
    ck_assert_uint_eq(r.hunks[0].old_off, 5);
    ck_assert_uint_eq(r.hunks[0].old_len, TN(&old) - 9);
    ck_assert_uint_eq(r.hunks[0].new_len, TN(&new) - 9);
    ld_result_free(&r);
    /* a tenth of it fits the default budget: every common line is found */
    wf_buf_reset(&old.b);
    wf_buf_reset(&new.b);
    unrelated(1000, 100, &old, &new);
    r = diff(TP(&old), TN(&old), TP(&new), TN(&new), NULL);
    ck_assert(!r.fallback);
    ck_assert_uint_eq(r.n, 11);
    ld_result_free(&r);
    wf_buf_free(&old.b);
    wf_buf_free(&new.b);
}
END_TEST

static Suite *linediff_suite(void)
{
    Suite *s = suite_create("proj_linediff");
    TCase *tc = tcase_create("linediff");
    tcase_add_test(tc, test_linediff__edges);
    tcase_add_test(tc, test_linediff__small_edits_small_hunks);
    tcase_add_test(tc, test_linediff__random_exact_and_shortest);
    tcase_add_test(tc, test_linediff__fallback);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(linediff_suite());
}
