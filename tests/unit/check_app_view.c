/* Tests of app/view.c: the viewport and cursor are anchors, so edits made by someone else
 * (a second replica, through wf_doc_flush / wf_doc_apply) never move what you see. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/text.h"
#include "app/view.h"
#include "core/buf.h"
#include "core/codec.h"
#include "core/doc.h"
#include "core/undo.h"

static wf_doc *mine, *theirs;
static struct view v;

/* Sends their local edits to my document and resyncs the view. */
static void deliver(wf_doc *from, wf_doc *to)
{
    wf_buf b;
    wf_buf_init(&b);
    wf_doc_flush(from, &b);
    ck_assert_int_eq(wf_doc_apply(to, b.data, b.len), 0);
    wf_buf_free(&b);
}

static char *line_text(const wf_doc *doc, size_t line)
{
    struct line_info li;
    size_t n;
    text_line(doc, line, &li);
    return text_line_copy(doc, &li, &n);
}

static void expect_top(const char *want)
{
    char *got = line_text(mine, v.top_line);
    ck_assert_str_eq(got, want);
    free(got);
}

/* The character under the cursor. */
static void expect_cursor_on(char want)
{
    char *s = wf_doc_text(mine, v.cur, 1, NULL);
    ck_assert_msg(s[0] == want, "cursor on '%c', want '%c'", s[0], want);
    free(s);
}

static void setup(void)
{
    size_t cap = 100 * 16;
    char *buf = malloc(cap);
    size_t n = 0;
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(buf + n, cap - n, "line %d\n", i);
    mine = wf_doc_new(1);
    theirs = wf_doc_new(2);
    ck_assert_int_eq(wf_doc_load(mine, buf, n), 0);
    wf_buf b; /* the loaded text is the base state: it travels as a diff, not a flush */
    wf_buf_init(&b);
    wf_doc_encode_diff(mine, NULL, &b);
    ck_assert_int_eq(wf_doc_apply(theirs, b.data, b.len), 0);
    wf_buf_free(&b);
    view_init(&v, mine);
    v.rows = 10;
    v.cols = 40;
    view_set_top(&v, mine, 50);
    view_set_cursor(&v, mine, wf_doc_line_start(mine, 55) + 5); /* on the '5' of "line 55" */
    view_sync(&v, mine);
}

static void teardown(void)
{
    wf_doc_free(mine);
    wf_doc_free(theirs);
}

START_TEST(test_view__insert_above_keeps_view)
{
    ck_assert_int_eq(wf_doc_insert(theirs, 0, "new\nlines\n", 10), 0);
    ck_assert_int_eq(wf_doc_insert(theirs, wf_doc_line_start(theirs, 30), "x\n", 2), 0);
    deliver(theirs, mine);
    view_sync(&v, mine);
    ck_assert_uint_eq(v.top_line, 53);
    expect_top("line 50");
    expect_cursor_on('5');
    ck_assert_uint_eq(wf_doc_line_of(mine, v.cur), 58);
}
END_TEST

START_TEST(test_view__delete_above_keeps_view)
{
    size_t from = wf_doc_line_start(theirs, 10);
    ck_assert_int_eq(wf_doc_delete(theirs, from, wf_doc_line_start(theirs, 20) - from), 0);
    deliver(theirs, mine);
    view_sync(&v, mine);
    ck_assert_uint_eq(v.top_line, 40);
    expect_top("line 50");
    expect_cursor_on('5');
}
END_TEST

START_TEST(test_view__edits_below_and_on_screen)
{
    /* Below the screen: nothing moves. */
    ck_assert_int_eq(wf_doc_insert(theirs, wf_doc_line_start(theirs, 90), "zzz\n", 4), 0);
    /* On the top line's start: shows on the top row, the top stays line 50. */
    ck_assert_int_eq(wf_doc_insert(theirs, wf_doc_line_start(theirs, 50), ">> ", 3), 0);
    /* Before the cursor, on its line: the cursor stays on its character. */
    ck_assert_int_eq(wf_doc_insert(theirs, wf_doc_line_start(theirs, 55), "abc", 3), 0);
    deliver(theirs, mine);
    view_sync(&v, mine);
    ck_assert_uint_eq(v.top_line, 50);
    expect_top(">> line 50");
    expect_cursor_on('5');
    ck_assert_uint_eq(v.cur - wf_doc_line_start(mine, 55), 8);
}
END_TEST

START_TEST(test_view__deletions_reaching_the_view)
{
    /* They delete the line break above the top line: the top is the merged line. */
    size_t brk = wf_doc_line_start(theirs, 50) - 1;
    ck_assert_int_eq(wf_doc_delete(theirs, brk, 1), 0);
    /* And the character under my cursor: the cursor stays where it was. */
    size_t at = wf_doc_line_start(theirs, 54) + 5;
    ck_assert_int_eq(wf_doc_delete(theirs, at, 1), 0);
    deliver(theirs, mine);
    view_sync(&v, mine);
    ck_assert_uint_eq(v.top_line, 49);
    expect_top("line 49line 50");
    ck_assert_uint_eq(v.cur, wf_doc_line_start(mine, 54) + 5);
    char *l54 = line_text(mine, 54);
    ck_assert_str_eq(l54, "line 5"); /* was "line 55"; the cursor is on the second 5 */
    free(l54);
    expect_cursor_on('5');
}
END_TEST

START_TEST(test_view__selection_follows_its_text)
{
    view_begin_selection(&v, mine);
    view_set_cursor(&v, mine, v.cur + 1); /* "5" of "line 55" selected */
    ck_assert_int_eq(wf_doc_insert(theirs, 0, "0123456789", 10), 0);
    deliver(theirs, mine);
    view_sync(&v, mine);
    size_t from, to;
    ck_assert(view_selection(&v, &from, &to));
    char *s = wf_doc_text(mine, from, to - from, NULL);
    ck_assert_str_eq(s, "5");
    free(s);
}
END_TEST

START_TEST(test_view__show_cursor_scrolls_least)
{
    view_set_cursor(&v, mine, wf_doc_line_start(mine, 70));
    view_show_cursor(&v, mine);
    ck_assert_uint_eq(v.top_line, 61); /* the cursor on the last row */
    view_set_cursor(&v, mine, wf_doc_line_start(mine, 65));
    view_show_cursor(&v, mine);
    ck_assert_uint_eq(v.top_line, 61); /* already visible: no scroll */
    view_set_cursor(&v, mine, wf_doc_line_start(mine, 3));
    view_show_cursor(&v, mine);
    ck_assert_uint_eq(v.top_line, 3);
    view_set_cursor(&v, mine, wf_doc_line_start(mine, 80));
    view_center_cursor(&v, mine);
    ck_assert_uint_eq(v.top_line, 75);
    view_scroll(&v, mine, -1000);
    ck_assert_uint_eq(v.top_line, 0);
    view_scroll(&v, mine, 1000);
    ck_assert_uint_eq(v.top_line, 100); /* the empty last line */
}
END_TEST

START_TEST(test_view__horizontal_scroll)
{
    char line[200];
    memset(line, 'a', 120);
    line[120] = '\n';
    size_t at = wf_doc_line_start(mine, 60);
    ck_assert_int_eq(wf_doc_insert(mine, at, line, 121), 0);
    view_sync(&v, mine);
    view_set_cursor(&v, mine, at + 100);
    view_show_cursor(&v, mine);
    ck_assert(v.leftcol <= 100 && 100 < v.leftcol + 40);
    view_set_cursor(&v, mine, at);
    view_show_cursor(&v, mine);
    ck_assert_uint_eq(v.leftcol, 0);
}
END_TEST

/* The column memo answers again only while nothing changed: a local edit before the
 * position, a remote one, an undo and a wider tab each give the new column, and so does a
 * document put in the old one's place. */
START_TEST(test_view__column_memo_follows_changes)
{
    struct col_memo m = {0};
    size_t at = wf_doc_line_start(mine, 70); /* "line 70" */
    ck_assert_uint_eq(text_col_memo(&m, mine, at + 4, 8), 4);
    ck_assert_uint_eq(text_cluster_col_memo(&m, mine, at + 4), 4);
    uint64_t rev = wf_doc_revision(mine);
    ck_assert_uint_eq(text_col_memo(&m, mine, at + 4, 8), 4);
    ck_assert_uint_eq(wf_doc_revision(mine), rev); /* asking changes nothing */
    /* a tab typed at the line's start: 8 columns, one cluster */
    ck_assert_int_eq(wf_doc_insert(mine, at, "\t", 1), 0);
    ck_assert_uint_ne(wf_doc_revision(mine), rev);
    ck_assert_uint_eq(text_col_memo(&m, mine, at + 4, 8), 11);
    ck_assert_uint_eq(text_cluster_col_memo(&m, mine, at + 4), 4);
    ck_assert_uint_eq(text_col_memo(&m, mine, at + 4, 4), 7);
    /* a remote wide character before it */
    ck_assert_int_eq(wf_doc_insert(theirs, wf_doc_line_start(theirs, 70), "\xe4\xb8\xad", 3),
                     0);
    deliver(theirs, mine);
    /* the two concurrent inserts at the line's start merge in either order */
    char *first = wf_doc_text(mine, at, 1, NULL);
    size_t want = first[0] == '\t' ? 12 : 10; /* \t 中 l i, or 中 \t l i */
    free(first);
    ck_assert_uint_eq(text_col_memo(&m, mine, at + 4, 8), want);
    ck_assert_uint_eq(text_col_of(mine, at + 4, 8), want);
    ck_assert_uint_eq(text_cluster_col_memo(&m, mine, at + 4), 4);
    /* undo of the tab */
    size_t cursor;
    ck_assert_int_eq(wf_doc_undo(mine, &cursor), 0);
    ck_assert_uint_eq(text_col_memo(&m, mine, at + 4, 8), 5); /* 中 l i n */
    /* another document in the same place: the view forgets the memo on view_sync() */
    v.colm = m;
    wf_doc *other = wf_doc_new(3);
    char *text = strdup("x\n");
    ck_assert_int_eq(wf_doc_load(other, text, 2), 0);
    view_sync(&v, other);
    ck_assert(!v.colm.valid);
    wf_doc_free(other);
}
END_TEST

static Suite *view_suite(void)
{
    Suite *s = suite_create("app_view");
    TCase *tc = tcase_create("anchoring");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_view__insert_above_keeps_view);
    tcase_add_test(tc, test_view__delete_above_keeps_view);
    tcase_add_test(tc, test_view__edits_below_and_on_screen);
    tcase_add_test(tc, test_view__deletions_reaching_the_view);
    tcase_add_test(tc, test_view__selection_follows_its_text);
    suite_add_tcase(s, tc);
    tc = tcase_create("scrolling");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_view__show_cursor_scrolls_least);
    tcase_add_test(tc, test_view__horizontal_scroll);
    tcase_add_test(tc, test_view__column_memo_follows_changes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(view_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
