/* Tests of app/editor/wrap.c: the rows of a line (cells that would cross the edge start the
 * next row, wide characters and tabs, the end of a full row), where a position is, the
 * position at a row and column, motions by rows across lines, and scrolling by rows. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/text.h"
#include "app/editor/view.h"
#include "app/editor/wrap.h"
#include "core/doc.h"

static size_t rows_of(const char *s, size_t cols)
{
    return wrap_rows(s, strlen(s), 8, cols);
}

START_TEST(test_wrap__rows_of_a_line)
{
    ck_assert_uint_eq(rows_of("", 10), 1);
    ck_assert_uint_eq(rows_of("abc", 10), 1);
    ck_assert_uint_eq(rows_of("abcdefghi", 10), 1);  /* the end fits in column 9 */
    ck_assert_uint_eq(rows_of("abcdefghij", 10), 2); /* full: the end takes a row */
    ck_assert_uint_eq(rows_of("abcdefghijk", 10), 2);
    ck_assert_uint_eq(rows_of("abcdefghijklmnopqrstu", 10), 3);
    /* a wide character that would cross the edge starts the next row */
    const char *wide = "abcdefghi\xe6\x97\xa5z"; /* 9 columns, then a 2-column one */
    size_t row, x;
    wrap_locate(wide, strlen(wide), 8, 10, 9, &row, &x);
    ck_assert(row == 1 && x == 0);
    wrap_locate(wide, strlen(wide), 8, 10, 10, &row, &x); /* z */
    ck_assert(row == 1 && x == 2);
    /* a tab keeps its stop in the line's columns: 8 -> 16 crosses a 10-column row */
    const char *tab = "abcdefgh\tx";
    wrap_locate(tab, strlen(tab), 8, 10, 8, &row, &x);
    ck_assert(row == 1 && x == 0);
    wrap_locate(tab, strlen(tab), 8, 10, 9, &row, &x);
    ck_assert(row == 1 && x == 8);
    /* a row narrower than one cell: each cell alone */
    ck_assert_uint_eq(rows_of("\xe6\x97\xa5\xe6\x97\xa5", 1), 3);
}
END_TEST

START_TEST(test_wrap__units_at_a_row_and_column)
{
    const char *s = "abcdefghijklmnopqrstu"; /* rows: a..j, k..t, u */
    size_t n = strlen(s);
    ck_assert_uint_eq(wrap_units_at(s, n, 8, 10, 0, 3), 3);
    ck_assert_uint_eq(wrap_units_at(s, n, 8, 10, 1, 0), 10);
    ck_assert_uint_eq(wrap_units_at(s, n, 8, 10, 1, 99), 19); /* past a full row: its last */
    ck_assert_uint_eq(wrap_units_at(s, n, 8, 10, 2, 5), 21);  /* last row: the end */
    ck_assert_uint_eq(wrap_units_at(s, n, 8, 10, 7, 0), 21);
    const char *full = "abcdefghij"; /* its end is alone on row 1 */
    ck_assert_uint_eq(wrap_units_at(full, 10, 8, 10, 0, 99), 9);
    ck_assert_uint_eq(wrap_units_at(full, 10, 8, 10, 1, 0), 10);
}
END_TEST

/* The fast walks (wrap_skip over plain ASCII) agree with the cell by cell rule, on lines of
 * ASCII, wide characters, tabs and marks, at many widths. */
START_TEST(test_wrap__fast_walks_agree_with_the_rule)
{
    static const char *const pieces[] = {"abc", " ", "\t", "\xe6\x97\xa5", "e\xcc\x81",
                                         "xyzxyzxyzxyzxyz", "\xc3\xa9"};
    unsigned seed = 12345;
    for (int round = 0; round < 300; round++) {
        char s[512];
        size_t n = 0;
        while (n < 400) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % 7];
            memcpy(s + n, p, strlen(p));
            n += strlen(p);
        }
        size_t cols = 1 + (size_t)round % 37;
        /* the reference: every cell through wrap_next */
        struct wrap w;
        struct cell c;
        size_t r, x, rows = 0;
        wrap_init(&w, s, n, 8, cols);
        size_t units[600], rr[600], xx[600], k = 0;
        while (wrap_next(&w, &c, &r, &x)) {
            units[k] = c.unit, rr[k] = r, xx[k] = x, k++;
        }
        wrap_end(&w, &r, &x);
        rows = r + 1;
        ck_assert_uint_eq(wrap_rows(s, n, 8, cols), rows);
        for (size_t i = 0; i < k; i++) {
            size_t row, cx;
            wrap_locate(s, n, 8, cols, units[i], &row, &cx);
            ck_assert_msg(row == rr[i] && cx == xx[i], "cols %zu cell %zu: %zu,%zu not %zu,%zu",
                          cols, i, row, cx, rr[i], xx[i]);
            /* the cell at its own row and column is itself */
            ck_assert_uint_eq(wrap_units_at(s, n, 8, cols, rr[i], xx[i]), units[i]);
        }
    }
}
END_TEST

static wf_doc *doc;
static struct view v;

static void setup(void)
{
    doc = wf_doc_new(1);
    /* line 0: 25 chars (3 rows of 10), line 1: "x", line 2: 12 chars (2 rows) */
    const char *t = "aaaaaaaaaabbbbbbbbbbccccc\nx\nddddddddddee";
    ck_assert_int_eq(wf_doc_insert(doc, 0, t, strlen(t)), 0);
    view_init(&v, doc);
    v.rows = 4;
    v.cols = 10;
    v.wrap = true;
}

static void teardown(void)
{
    wf_doc_free(doc);
}

START_TEST(test_wrap__motions_by_rows)
{
    size_t line, row, x;
    wrap_where(&v, doc, 13, &line, &row, &x);
    ck_assert(line == 0 && row == 1 && x == 3);
    ck_assert_uint_eq(wrap_vertical(&v, doc, 13, 1, 3), 23);  /* row 2 of line 0 */
    ck_assert_uint_eq(wrap_vertical(&v, doc, 13, 2, 3), 27);  /* line 1 ("x"): its end */
    ck_assert_uint_eq(wrap_vertical(&v, doc, 13, 3, 3), 31);  /* line 2, row 0 */
    ck_assert_uint_eq(wrap_vertical(&v, doc, 13, 4, 3), 40);  /* line 2, row 1: its end */
    ck_assert_uint_eq(wrap_vertical(&v, doc, 13, 9, 3), wf_doc_len(doc));
    ck_assert_uint_eq(wrap_vertical(&v, doc, 31, -3, 3), 13); /* back up */
    ck_assert_uint_eq(wrap_vertical(&v, doc, 3, -1, 3), 0);   /* above the top: the start */
}
END_TEST

START_TEST(test_wrap__screen_rows_and_scrolling)
{
    int srow;
    size_t x;
    ck_assert(wrap_screen_row(&v, doc, 23, &srow, &x) && srow == 2 && x == 3);
    ck_assert(wrap_screen_row(&v, doc, 27, &srow, &x) && srow == 3 && x == 1);
    ck_assert(!wrap_screen_row(&v, doc, 28, &srow, &x)); /* line 2: below the 4 rows */
    ck_assert_uint_eq(wrap_pos_at_screen(&v, doc, 1, 4), 14);
    ck_assert_uint_eq(wrap_pos_at_screen(&v, doc, 3, 4), 27);
    /* showing line 2's second row scrolls by rows: it becomes the last screen row */
    wrap_show(&v, doc, 39, false);
    ck_assert_uint_eq(v.top_line, 0);
    ck_assert_uint_eq(v.top_row, 2);
    ck_assert(wrap_screen_row(&v, doc, 39, &srow, &x) && srow == 3);
    ck_assert(wrap_screen_row(&v, doc, 20, &srow, &x) && srow == 0);
    ck_assert_uint_eq(wrap_pos_at_screen(&v, doc, 1, 0), 26);
    /* and back up to the first row */
    wrap_show(&v, doc, 2, false);
    ck_assert(v.top_line == 0 && v.top_row == 0);
}
END_TEST

/* A line of 200 KB (long enough for the index of wrap.c) answers on a view as the line
 * functions answer on its text, before and after an edit changes its rows. */
START_TEST(test_wrap__long_line_index_agrees)
{
    size_t n = 200000;
    char *s = malloc(n + 1);
    for (size_t i = 0; i < n;) { /* ASCII runs, an é, now and then a wide character */
        if (i % 97 == 96 && i + 3 <= n) {
            memcpy(s + i, "\xe6\x97\xa5", 3);
            i += 3;
        } else if (i % 10 == 9 && i + 2 <= n) {
            memcpy(s + i, "\xc3\xa9", 2);
            i += 2;
        } else {
            s[i] = (char)('a' + i % 26);
            i++;
        }
    }
    wf_doc *d = wf_doc_new(2);
    ck_assert_int_eq(wf_doc_insert(d, 0, "top\n", 4), 0);
    ck_assert_int_eq(wf_doc_insert(d, 4, s, n), 0);
    struct view w;
    view_init(&w, d);
    w.rows = 40;
    w.cols = 37;
    w.wrap = true;
    for (int round = 0; round < 2; round++) {
        struct line_info li;
        text_line(d, 1, &li);
        size_t bn;
        char *t = wf_doc_text(d, li.start, li.end - li.start, &bn);
        size_t rows = wrap_rows(t, bn, 8, 37);
        ck_assert_uint_eq(wrap_line_rows(&w, d, 1), rows);
        for (size_t u = 0; u <= li.end - li.start; u += 997) {
            size_t line, row, x, r2, x2;
            wrap_where(&w, d, li.start + u, &line, &row, &x);
            wrap_locate(t, bn, 8, 37, u, &r2, &x2);
            ck_assert_uint_eq(line, 1);
            ck_assert_msg(row == r2 && x == x2, "unit %zu: %zu,%zu not %zu,%zu", u, row, x, r2,
                          x2);
        }
        w.top_line = 1;
        w.top_row = 0;
        for (size_t r = 0; r < rows; r += 211)
            ck_assert_uint_eq(wrap_pos_at_screen(&w, d, (int)r, 5),
                              li.start + wrap_units_at(t, bn, 8, 37, r, 5));
        free(t);
        /* an edit near the start shifts every row after it: the index is rebuilt */
        ck_assert_int_eq(wf_doc_insert(d, li.start + 3, "\xe6\x97\xa5xyz", 6), 0);
    }
    free(s);
    wf_doc_free(d);
}
END_TEST

static Suite *wrap_suite(void)
{
    Suite *s = suite_create("app_wrap");
    TCase *tc = tcase_create("line");
    tcase_add_test(tc, test_wrap__rows_of_a_line);
    tcase_add_test(tc, test_wrap__units_at_a_row_and_column);
    tcase_add_test(tc, test_wrap__fast_walks_agree_with_the_rule);
    suite_add_tcase(s, tc);
    tc = tcase_create("view");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_wrap__motions_by_rows);
    tcase_add_test(tc, test_wrap__screen_rows_and_scrolling);
    tcase_add_test(tc, test_wrap__long_line_index_agrees);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(wrap_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
