/* The file on disk and the editor (app/editor/reload.c, app/editor/saverules.c, save-as in
 * app/editor/editor.c and commands.c): reloading a file changed on disk as one diff edit,
 * the r / k / b question under unsaved edits, focus-in, EditorConfig's save-time rules only
 * on a modified buffer, and Alt-W. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/editor/editor.h"
#include "app/editor/reload.h"
#include "app/editor/text.h"
#include "core/doc.h"
#include "tests/common/edtest.h"

#define UNDO "\x1a"
#define SAVE "\x13"
#define DOWN "\x1b[B"
#define END "\x1b[F"
#define FOCUS_IN "\x1b[I"
#define ALT_W "\x1b" "w"
#define CTRL_U "\x15"

static void change_on_disk(const char *text)
{
    et_put(et_path, text, strlen(text));
}

START_TEST(test_reload__unmodified_reloads_as_one_edit)
{
    et_open("aaa\nbbb\nccc\n");
    et_feed(DOWN DOWN END); /* on "ccc", at its end */
    size_t cur = et_ed.buf->view.cur;
    change_on_disk("AAA!\nbbb\nccc\n");
    et_feed(FOCUS_IN);
    et_expect_text("AAA!\nbbb\nccc\n");
    ck_assert(!et_ed.buf->modified);
    ck_assert_msg(strstr(et_ed.msg, "Reloaded") != NULL, "%s", et_ed.msg);
    /* Only the first line was replaced: the cursor stayed on its character. */
    ck_assert_uint_eq(et_ed.buf->view.cur, cur + 1);
    /* No question next time: the stamp is the new file's. */
    et_feed(SAVE);
    ck_assert_int_eq(et_ed.prompt.kind, PROMPT_NONE);
    et_expect_file(et_path, "AAA!\nbbb\nccc\n");
    et_feed(UNDO);
    et_expect_text("aaa\nbbb\nccc\n");
}
END_TEST

START_TEST(test_reload__timer_by_the_clock)
{
    et_open("one\n");
    et_feed(END); /* the first event looks (nothing changed) */
    change_on_disk("two\n");
    et_now += 10;
    et_feed(END);
    et_expect_text("one\n"); /* looked less than a second ago */
    et_now += RELOAD_CHECK_MS;
    et_feed(END);
    et_expect_text("two\n");
}
END_TEST

START_TEST(test_reload__ask_keep_mine)
{
    et_open("mine\n");
    et_feed("x");
    change_on_disk("theirs\n");
    et_feed(FOCUS_IN);
    ck_assert_int_eq(et_ed.prompt.kind, PROMPT_RELOAD);
    et_feed("k");
    ck_assert_int_eq(et_ed.prompt.kind, PROMPT_NONE);
    et_expect_text("xmine\n");
    et_feed(SAVE); /* no overwrite question: we chose */
    ck_assert_int_eq(et_ed.prompt.kind, PROMPT_NONE);
    et_expect_file(et_path, "xmine\n");
}
END_TEST

START_TEST(test_reload__ask_reload_and_undo_brings_mine_back)
{
    et_open("mine\n");
    et_feed("x");
    change_on_disk("theirs\n");
    et_feed(FOCUS_IN "r");
    et_expect_text("theirs\n");
    ck_assert(!et_ed.buf->modified);
    et_feed(UNDO);
    et_expect_text("xmine\n");
    ck_assert(et_ed.buf->modified);
}
END_TEST

START_TEST(test_reload__ask_both_writes_theirs_beside)
{
    et_open("mine\n");
    et_feed("x");
    change_on_disk("theirs\n");
    et_feed(FOCUS_IN "b");
    et_expect_text("xmine\n");
    char side[600];
    snprintf(side, sizeof side, "%s" RELOAD_SIDE_SUFFIX, et_path);
    et_expect_file(side, "theirs\n");
    et_expect_file(et_path, "theirs\n");
    ck_assert_msg(strstr(et_ed.msg, side) != NULL, "%s", et_ed.msg);
    et_feed(SAVE);
    et_expect_file(et_path, "xmine\n");
}
END_TEST

/* The key that finds the change still does its job (Ctrl-S asks its own question); a file
 * removed from the disk is not a reason to ask. */
START_TEST(test_reload__the_key_is_not_taken)
{
    et_open("mine\n");
    et_feed("x");
    change_on_disk("theirs\n");
    et_now += RELOAD_CHECK_MS;
    et_feed(SAVE);
    ck_assert_int_eq(et_ed.prompt.kind, PROMPT_OVERWRITE);
    et_feed("n");
    unlink(et_path);
    et_now += RELOAD_CHECK_MS;
    et_feed("y");
    ck_assert_int_eq(et_ed.prompt.kind, PROMPT_NONE);
    et_expect_text("xymine\n");
}
END_TEST

START_TEST(test_reload__replace_text_keeps_units_whole)
{
    et_open("h\xc3\xa9llo w\xc3\xb6rld\n");
    wf_doc *doc = et_ed.buf->doc;
    ck_assert_int_eq(reload_replace_text(doc, "h\xc3\xabllo w\xc3\xb6rld\n", 14), 0);
    et_expect_text("h\xc3\xabllo w\xc3\xb6rld\n");
    ck_assert_int_eq(reload_replace_text(doc, "", 0), 0);
    et_expect_text("");
    ck_assert_int_eq(reload_replace_text(doc, "abc", 3), 0);
    et_expect_text("abc");
    ck_assert_int_eq(reload_replace_text(doc, "abXbc", 5), 0);
    et_expect_text("abXbc");
}
END_TEST

/* Opens name with an .editorconfig beside it giving these rules. */
static void open_with_rules(const char *rules, const char *text)
{
    char ec[600];
    snprintf(ec, sizeof ec, "%s/.editorconfig", et_dir);
    FILE *f = fopen(ec, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "root = true\n[*]\n%s", rules);
    fclose(f);
    et_open(text);
    editor_configure_buffer(&et_ed, et_path, true);
}

START_TEST(test_saverules__only_on_modified_buffers)
{
    open_with_rules("trim_trailing_whitespace = true\ninsert_final_newline = true\n"
                    "end_of_line = lf\n", "a  \r\nb\t");
    et_feed(SAVE);
    et_expect_file(et_path, "a  \r\nb\t"); /* unchanged: byte for byte */
    et_feed("x" SAVE);
    et_expect_file(et_path, "xa\nb\n");
    et_expect_text("xa\nb\n");
    ck_assert(!et_ed.buf->modified);
    et_feed(UNDO); /* the rules were one step */
    et_expect_text("xa  \r\nb\t");
}
END_TEST

START_TEST(test_saverules__crlf_and_no_final_newline)
{
    open_with_rules("end_of_line = crlf\ninsert_final_newline = false\n", "a\nb\r\nc\n");
    et_feed("x" SAVE);
    et_expect_file(et_path, "xa\r\nb\r\nc");
    ck_assert(et_ed.buf->crlf); /* Enter now makes the file's line ends */
}
END_TEST

START_TEST(test_save_as__new_path_and_confirm)
{
    et_open("text\n");
    char other[600];
    snprintf(other, sizeof other, "%s/g.txt", et_dir);
    et_feed(ALT_W);
    ck_assert_int_eq(et_ed.prompt.kind, PROMPT_SAVE_AS);
    ck_assert_str_eq(et_ed.prompt.text, et_path);
    et_feed(CTRL_U);
    et_feed(other);
    et_feed("\r");
    et_expect_file(other, "text\n");
    ck_assert_str_eq(et_ed.buf->path, other);
    /* An existing file: the second Enter replaces it. */
    char third[600];
    snprintf(third, sizeof third, "%s/h.txt", et_dir);
    et_put(third, "old\n", 4);
    et_feed("y" ALT_W CTRL_U);
    et_feed(third);
    et_feed("\r");
    ck_assert_int_eq(et_ed.prompt.kind, PROMPT_SAVE_AS);
    et_expect_file(third, "old\n");
    et_feed("\r");
    ck_assert_int_eq(et_ed.prompt.kind, PROMPT_NONE);
    et_expect_file(third, "ytext\n");
    ck_assert(!et_ed.buf->modified);
    /* A path that cannot be written: the file edited stays the last one. */
    et_feed(ALT_W CTRL_U);
    et_feed("/nonexistent-dir/x.txt\r");
    ck_assert_str_eq(et_ed.buf->path, third);
    ck_assert(et_ed.msg_error);
}
END_TEST

static Suite *reload_suite(void)
{
    Suite *s = suite_create("app_reload");
    TCase *tc = tcase_create("reload");
    tcase_add_checked_fixture(tc, et_setup, et_teardown);
    tcase_add_test(tc, test_reload__unmodified_reloads_as_one_edit);
    tcase_add_test(tc, test_reload__timer_by_the_clock);
    tcase_add_test(tc, test_reload__ask_keep_mine);
    tcase_add_test(tc, test_reload__ask_reload_and_undo_brings_mine_back);
    tcase_add_test(tc, test_reload__ask_both_writes_theirs_beside);
    tcase_add_test(tc, test_reload__the_key_is_not_taken);
    tcase_add_test(tc, test_reload__replace_text_keeps_units_whole);
    suite_add_tcase(s, tc);
    tc = tcase_create("saving");
    tcase_add_checked_fixture(tc, et_setup, et_teardown);
    tcase_add_test(tc, test_saverules__only_on_modified_buffers);
    tcase_add_test(tc, test_saverules__crlf_and_no_final_newline);
    tcase_add_test(tc, test_save_as__new_path_and_confirm);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(reload_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
