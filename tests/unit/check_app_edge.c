/* Tests of app/ui/edge.c: who is tagged at which edge, nearest first from the right, with
 * their line numbers; a tag that does not fit is left out, with everyone further away. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "app/ui/edge.h"

static const struct edge_person people[] = {
    {"ben", 1, 39},   /* above a screen of lines 100..139 */
    {"cleo", 2, 120}, /* on it */
    {"dan", 3, 899},  /* below */
    {"eve", 4, 95},   /* above, nearer than ben */
    {"fay", 5, 140},  /* just below */
};

START_TEST(test_edge__above_and_below)
{
    struct edge_tag t[8];
    size_t n = edge_tags(people, 5, 100, 139, true, 60, t, 8);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(t[0].text, " eve \xe2\x86\x91 96 ");     /* the nearest, rightmost */
    ck_assert_int_eq(t[0].width, 10);
    ck_assert_int_eq(t[0].col, 50);
    ck_assert_uint_eq(t[0].colour, 4);
    ck_assert_str_eq(t[1].text, " ben \xe2\x86\x91 40 ");
    ck_assert_int_eq(t[1].col, 39);                          /* one blank between */
    n = edge_tags(people, 5, 100, 139, false, 60, t, 8);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(t[0].text, " fay \xe2\x86\x93 141 ");
    ck_assert_str_eq(t[1].text, " dan \xe2\x86\x93 900 ");
    ck_assert_int_eq(t[1].col + t[1].width, t[0].col - 1);
}
END_TEST

START_TEST(test_edge__what_does_not_fit)
{
    struct edge_tag t[8];
    /* room for one tag only: the nearest */
    size_t n = edge_tags(people, 5, 100, 139, true, 15, t, 8);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(t[0].text, " eve \xe2\x86\x91 96 ");
    ck_assert_uint_eq(edge_tags(people, 5, 100, 139, true, 5, t, 8), 0);
    ck_assert_uint_eq(edge_tags(people, 5, 100, 139, true, 60, t, 1), 1); /* max */
    /* everyone on screen: no tags */
    ck_assert_uint_eq(edge_tags(people, 5, 0, 1000, true, 60, t, 8), 0);
    ck_assert_uint_eq(edge_tags(people, 5, 0, 1000, false, 60, t, 8), 0);
    ck_assert_uint_eq(edge_tags(NULL, 0, 0, 10, false, 60, t, 8), 0);
}
END_TEST

START_TEST(test_edge__ties_keep_arrival_order)
{
    static const struct edge_person two[] = {{"a", 0, 5}, {"b", 1, 5}};
    struct edge_tag t[4];
    ck_assert_uint_eq(edge_tags(two, 2, 10, 20, true, 60, t, 4), 2);
    ck_assert_str_eq(t[0].text, " a \xe2\x86\x91 6 ");
    ck_assert_str_eq(t[1].text, " b \xe2\x86\x91 6 ");
}
END_TEST

static Suite *edge_suite(void)
{
    Suite *s = suite_create("app_edge");
    TCase *tc = tcase_create("edge");
    tcase_add_test(tc, test_edge__above_and_below);
    tcase_add_test(tc, test_edge__what_does_not_fit);
    tcase_add_test(tc, test_edge__ties_keep_arrival_order);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(edge_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
