/* Tab, Shift-Tab and the comment toggle (app/editor/indent.c, app/editor/comment.c): what
 * Tab inserts by the file's conventions and the syntax's tabgives, indenting and
 * outdenting selected lines as one undo step, commenting with the syntax's comment string
 * (one part or two) or "#". */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/editor.h"
#include "app/editor/syntax.h"
#include "core/doc.h"
#include "tests/common/edtest.h"

#define TAB "\t"
#define S_TAB "\x1b[Z"
#define S_DOWN "\x1b[1;2B"
#define DOWN "\x1b[B"
#define END "\x1b[F"
#define UNDO "\x1a"
#define ALT_3 "\x1b" "3"
#define CTRL_SLASH "\x1f"

static struct syn_set *set;

static void setup(void)
{
    et_setup();
    set = NULL;
}

static void teardown(void)
{
    et_teardown();
    syn_set_free(set);
}

/* Gives the buffer a syntax with this comment and tabgives (NULL: none given). */
static void use_syntax(const char *comment, const char *tabgives)
{
    syn_set_free(set); /* an earlier buffer's */
    set = syn_set_new();
    struct syn_syntax *syn = syn_set_add(set, "test", syn_set_origin(set, "test.nanorc"), 1);
    if (comment)
        syn_set_comment(syn, comment);
    if (tabgives)
        syn_set_tabgives(syn, tabgives);
    et_ed.buf->syntax = syn;
}

START_TEST(test_indent__tab_inserts_what_the_file_uses)
{
    et_open("x\n");
    et_feed(TAB);
    et_expect_text("\tx\n");
    /* Spaces, 4 wide: up to the next multiple of 4 from the cursor's column. */
    et_open("x\n");
    et_ed.buf->conf.spaces = true;
    et_ed.buf->conf.indent_width = 4;
    et_feed("\x1b[C" TAB);
    et_expect_text("x   \n");
    et_feed(TAB);
    et_expect_text("x       \n");
    /* A syntax's tabgives wins. */
    et_open("x\n");
    use_syntax(NULL, "  ");
    et_feed(TAB);
    et_expect_text("  x\n");
}
END_TEST

START_TEST(test_indent__selection_in_and_out)
{
    et_open("a\n\nb\nc\n");
    et_feed(S_DOWN S_DOWN S_DOWN); /* lines 0..2 selected; the selection ends at c's start */
    et_feed(TAB);
    et_expect_text("\ta\n\n\tb\nc\n"); /* the blank line and c are left alone */
    size_t from, to;
    ck_assert(view_selection(&et_ed.buf->view, &from, &to));
    ck_assert_uint_eq(from, 0);
    et_feed(TAB);
    et_expect_text("\t\ta\n\n\t\tb\nc\n");
    et_feed(S_TAB);
    et_expect_text("\ta\n\n\tb\nc\n");
    et_feed(UNDO);
    et_expect_text("\t\ta\n\n\t\tb\nc\n");
    et_feed(UNDO UNDO);
    et_expect_text("a\n\nb\nc\n");
}
END_TEST

START_TEST(test_indent__outdent_a_line)
{
    et_open("        x\n\ty\n  z\n");
    et_ed.buf->conf.spaces = true;
    et_ed.buf->conf.indent_width = 4;
    et_feed(END S_TAB);
    et_expect_text("    x\n\ty\n  z\n");
    et_feed(DOWN S_TAB DOWN S_TAB);
    et_expect_text("    x\ny\nz\n");
    et_feed(S_TAB);
    ck_assert_msg(strstr(et_ed.msg, "Nothing to outdent") != NULL, "%s", et_ed.msg);
}
END_TEST

START_TEST(test_comment__hash_without_syntax)
{
    et_open("  x = 1\ny\n");
    et_feed(ALT_3);
    et_expect_text("#  x = 1\ny\n");
    et_feed(CTRL_SLASH);
    et_expect_text("  x = 1\ny\n");
    /* Lines: the uncommented ones are commented, blank ones left; then all come back. */
    et_open("#a\nb\n\nc\n");
    et_feed(S_DOWN S_DOWN S_DOWN S_DOWN ALT_3);
    et_expect_text("#a\n#b\n\n#c\n");
    et_feed(ALT_3);
    et_expect_text("a\nb\n\nc\n");
    et_feed(UNDO);
    et_expect_text("#a\n#b\n\n#c\n");
}
END_TEST

START_TEST(test_comment__syntax_strings)
{
    et_open("int x;\n");
    use_syntax("//", NULL);
    et_feed(ALT_3);
    et_expect_text("//int x;\n");
    et_open("<p>hi</p>\n");
    use_syntax("<!--|-->", NULL);
    et_feed(ALT_3);
    et_expect_text("<!--<p>hi</p>-->\n");
    et_feed(ALT_3);
    et_expect_text("<p>hi</p>\n");
    et_open("{}\n");
    use_syntax("", NULL);
    et_feed(ALT_3);
    et_expect_text("{}\n");
    ck_assert_msg(strstr(et_ed.msg, "has no comments") != NULL, "%s", et_ed.msg);
}
END_TEST

static Suite *indent_suite(void)
{
    Suite *s = suite_create("app_indent");
    TCase *tc = tcase_create("indent");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_indent__tab_inserts_what_the_file_uses);
    tcase_add_test(tc, test_indent__selection_in_and_out);
    tcase_add_test(tc, test_indent__outdent_a_line);
    suite_add_tcase(s, tc);
    tc = tcase_create("comment");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_comment__hash_without_syntax);
    tcase_add_test(tc, test_comment__syntax_strings);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(indent_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
