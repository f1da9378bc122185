/* Tests of app/editor/bracket.c: nesting, the three kinds apart, both directions (across the
 * backward search's windows and with multi-byte text between), the bracket just before the
 * cursor, and the budget. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/bracket.h"
#include "core/doc.h"

static wf_doc *doc_of(const char *s)
{
    wf_doc *d = wf_doc_new(1);
    ck_assert_int_eq(wf_doc_insert(d, 0, s, strlen(s)), 0);
    return d;
}

START_TEST(test_bracket__nesting_and_kinds)
{
    /*                      0123456789012345 */
    wf_doc *d = doc_of("f(a[i], {b}) ( x");
    ck_assert_uint_eq(bracket_match(d, 1, BRACKET_BUDGET), 11);
    ck_assert_uint_eq(bracket_match(d, 11, BRACKET_BUDGET), 1);
    ck_assert_uint_eq(bracket_match(d, 3, BRACKET_BUDGET), 5);
    ck_assert_uint_eq(bracket_match(d, 8, BRACKET_BUDGET), 10);
    ck_assert_uint_eq(bracket_match(d, 10, BRACKET_BUDGET), 8);
    ck_assert_uint_eq(bracket_match(d, 13, BRACKET_BUDGET), WF_NOPOS); /* unclosed */
    ck_assert_uint_eq(bracket_match(d, 0, BRACKET_BUDGET), WF_NOPOS);  /* not a bracket */
    ck_assert_uint_eq(bracket_match(d, 16, BRACKET_BUDGET), WF_NOPOS); /* the end */
    wf_doc_free(d);
    d = doc_of("(a[b)c]");                 /* another kind unbalanced inside */
    ck_assert_uint_eq(bracket_match(d, 0, BRACKET_BUDGET), 4);
    wf_doc_free(d);
}
END_TEST

START_TEST(test_bracket__multibyte_and_long)
{
    /* é and an emoji between: positions are units, not bytes */
    wf_doc *d = doc_of("(\xc3\xa9\xf0\x9f\x98\x80)");
    ck_assert_uint_eq(bracket_match(d, 0, BRACKET_BUDGET), 3);
    ck_assert_uint_eq(bracket_match(d, 3, BRACKET_BUDGET), 0);
    wf_doc_free(d);
    /* far apart, with nesting across many backward windows */
    size_t n = 200000;
    char *s = malloc(n + 3);
    s[0] = '{';
    for (size_t i = 1; i <= n; i++)
        s[i] = i % 1000 == 1 ? '{' : i % 1000 == 999 ? '}' : i % 7 ? 'x' : '\n';
    s[n + 1] = '}';
    s[n + 2] = '\0';
    d = doc_of(s);
    ck_assert_uint_eq(bracket_match(d, 0, BRACKET_BUDGET), n + 1);
    ck_assert_uint_eq(bracket_match(d, n + 1, BRACKET_BUDGET), 0);
    /* the budget: not found when the match lies further */
    ck_assert_uint_eq(bracket_match(d, 0, 1000), WF_NOPOS);
    ck_assert_uint_eq(bracket_match(d, n + 1, 1000), WF_NOPOS);
    free(s);
    wf_doc_free(d);
}
END_TEST

START_TEST(test_bracket__near_the_cursor)
{
    wf_doc *d = doc_of("(ab) x");
    size_t at;
    ck_assert_uint_eq(bracket_near(d, 0, BRACKET_BUDGET, &at), 3); /* on it */
    ck_assert_uint_eq(at, 0);
    ck_assert_uint_eq(bracket_near(d, 4, BRACKET_BUDGET, &at), 0); /* just after it */
    ck_assert_uint_eq(at, 3);
    ck_assert_uint_eq(bracket_near(d, 6, BRACKET_BUDGET, &at), WF_NOPOS);
    ck_assert_uint_eq(at, WF_NOPOS);
    ck_assert_uint_eq(bracket_near(d, 2, BRACKET_BUDGET, &at), WF_NOPOS);
    wf_doc_free(d);
}
END_TEST

static Suite *bracket_suite(void)
{
    Suite *s = suite_create("app_bracket");
    TCase *tc = tcase_create("bracket");
    tcase_add_test(tc, test_bracket__nesting_and_kinds);
    tcase_add_test(tc, test_bracket__multibyte_and_long);
    tcase_add_test(tc, test_bracket__near_the_cursor);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(bracket_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
