/* Ctrl-R as a user drives it (app/editor/replace_ui.c): the prompts, y / n / a / Esc at each
 * match, "k of N", the toggles, the round wrapping and ending where it began, one undo
 * step for "all", and matches that others' edits moved or changed. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/editor.h"
#include "core/doc.h"
#include "tests/common/edtest.h"

#define CTRL_R "\x12"
#define ENTER "\r"
#define RIGHT "\x1b[C"

static void expect_prompt(int kind, const char *text)
{
    ck_assert_int_eq(et_ed.prompt.kind, kind);
    if (text)
        ck_assert_str_eq(et_ed.prompt.text, text);
}

START_TEST(test_replace_ui__ask_each)
{
    et_open("a x a x a\n");
    et_feed(CTRL_R "a" ENTER "b" ENTER);
    expect_prompt(PROMPT_REPLACE_ASK, "1 of 3");
    et_expect_selection(0, 1);
    et_feed("y");
    et_expect_text("b x a x a\n");
    expect_prompt(PROMPT_REPLACE_ASK, "1 of 2");
    et_expect_selection(4, 5);
    et_feed("n");
    expect_prompt(PROMPT_REPLACE_ASK, "2 of 2");
    et_feed("y");
    et_expect_text("b x a x b\n");
    expect_prompt(PROMPT_NONE, NULL);
    ck_assert_str_eq(et_ed.msg, "Replaced 2 occurrences.");
    ck_assert(et_ed.buf->modified);
}
END_TEST

START_TEST(test_replace_ui__all_is_one_undo_step)
{
    et_open("one two one two one\n");
    et_feed(CTRL_R "one" ENTER "1" ENTER "a");
    et_expect_text("1 two 1 two 1\n");
    ck_assert_str_eq(et_ed.msg, "Replaced 3 occurrences.");
    expect_prompt(PROMPT_NONE, NULL);
    et_feed("\x1a"); /* Ctrl-Z */
    et_expect_text("one two one two one\n");
}
END_TEST

START_TEST(test_replace_ui__round_wraps_and_ends_at_start)
{
    et_open("a a a\n");
    et_feed(RIGHT RIGHT RIGHT); /* on the second "a"'s right: the round starts at 3 */
    et_feed(CTRL_R "a" ENTER "bb" ENTER);
    expect_prompt(PROMPT_REPLACE_ASK, "3 of 3");
    et_feed("y");
    et_expect_text("a a bb\n");
    expect_prompt(PROMPT_REPLACE_ASK, "1 of 2"); /* wrapped to the start */
    et_feed("y");
    et_expect_text("bb a bb\n");
    expect_prompt(PROMPT_REPLACE_ASK, "1 of 1");
    et_feed("n");
    expect_prompt(PROMPT_NONE, NULL); /* back where it began: the second "a" stays */
    et_expect_text("bb a bb\n");
    ck_assert_str_eq(et_ed.msg, "Replaced 2 occurrences.");
}
END_TEST

START_TEST(test_replace_ui__all_after_no_keeps_the_declined)
{
    et_open("a a a a\n");
    et_feed(CTRL_R "a" ENTER "b" ENTER "n" "a");
    et_expect_text("a b b b\n");
    ck_assert_str_eq(et_ed.msg, "Replaced 3 occurrences.");
}
END_TEST

START_TEST(test_replace_ui__regex_groups_and_case)
{
    et_open("Foo foo FOO bar\n");
    et_feed(CTRL_R "\x1b" "c"); /* Alt-C: any case */
    ck_assert_msg(strstr(et_ed.msg, "any case") != NULL, "%s", et_ed.msg);
    et_feed("\x1b" "r"); /* Alt-R: regex */
    ck_assert_msg(strstr(et_ed.msg, "Regular expression") != NULL, "%s", et_ed.msg);
    et_feed("(f)(o+)" ENTER "\\2-\\1" ENTER "a");
    et_expect_text("oo-F oo-f OO-F bar\n");
    /* The toggles stay for the next Ctrl-R; a bad regex says why and keeps the prompt. */
    et_feed(CTRL_R "\x15" "(" ENTER);
    expect_prompt(PROMPT_REPLACE, "(");
    ck_assert(et_ed.msg_error);
}
END_TEST

START_TEST(test_replace_ui__case_sensitive_by_default)
{
    et_open("Foo foo\n");
    et_feed(CTRL_R "foo" ENTER "x" ENTER);
    expect_prompt(PROMPT_REPLACE_ASK, "1 of 1");
    et_expect_selection(4, 7);
    et_feed("y");
    et_expect_text("Foo x\n");
}
END_TEST

START_TEST(test_replace_ui__not_found_and_escape)
{
    et_open("abc\n");
    et_feed(CTRL_R "zz" ENTER "y" ENTER);
    expect_prompt(PROMPT_NONE, NULL);
    ck_assert_str_eq(et_ed.msg, "\"zz\" was not found.");
    et_feed(CTRL_R "b" ENTER "x" ENTER);
    expect_prompt(PROMPT_REPLACE_ASK, "1 of 1");
    et_feed("\x1b");
    expect_prompt(PROMPT_NONE, NULL);
    et_expect_text("abc\n");
    ck_assert_str_eq(et_ed.msg, "Replaced 0 occurrences.");
    ck_assert(!et_ed.replace.active);
    /* Enter on an empty prompt: the last search. */
    et_feed(CTRL_R ENTER);
    expect_prompt(PROMPT_REPLACE_WITH, "");
    et_feed("B" ENTER "y");
    et_expect_text("aBc\n");
    /* Esc in the first prompt: nothing at all. */
    et_feed(CTRL_R);
    expect_prompt(PROMPT_REPLACE, "");
    et_feed("\x1b");
    expect_prompt(PROMPT_NONE, NULL);
    ck_assert_str_eq(et_ed.msg, "Nothing replaced.");
}
END_TEST

/* Others type before the match is answered: it moved (replaced where it is now), or they
 * changed it (not replaced, the round goes on). */
START_TEST(test_replace_ui__others_edit_meanwhile)
{
    et_open("cat dog cat\n");
    et_feed(CTRL_R "cat" ENTER "cow" ENTER);
    expect_prompt(PROMPT_REPLACE_ASK, "1 of 2");
    ck_assert_int_eq(wf_doc_insert(et_ed.buf->doc, 0, ">> ", 3), 0);
    editor_doc_changed(&et_ed);
    et_feed("y");
    et_expect_text(">> cow dog cat\n");
    expect_prompt(PROMPT_REPLACE_ASK, "1 of 1");
    /* Someone changes "cat" to "cut" before we answer. */
    ck_assert_int_eq(wf_doc_delete(et_ed.buf->doc, 12, 1), 0);
    ck_assert_int_eq(wf_doc_insert(et_ed.buf->doc, 12, "u", 1), 0);
    editor_doc_changed(&et_ed);
    et_feed("y");
    et_expect_text(">> cow dog cut\n");
    expect_prompt(PROMPT_NONE, NULL);
}
END_TEST

static Suite *replace_ui_suite(void)
{
    Suite *s = suite_create("app_replace_ui");
    TCase *tc = tcase_create("rounds");
    tcase_add_checked_fixture(tc, et_setup, et_teardown);
    tcase_add_test(tc, test_replace_ui__ask_each);
    tcase_add_test(tc, test_replace_ui__all_is_one_undo_step);
    tcase_add_test(tc, test_replace_ui__round_wraps_and_ends_at_start);
    tcase_add_test(tc, test_replace_ui__all_after_no_keeps_the_declined);
    tcase_add_test(tc, test_replace_ui__regex_groups_and_case);
    tcase_add_test(tc, test_replace_ui__case_sensitive_by_default);
    tcase_add_test(tc, test_replace_ui__not_found_and_escape);
    tcase_add_test(tc, test_replace_ui__others_edit_meanwhile);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(replace_ui_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
