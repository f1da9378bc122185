/* Tests of app/editor/fileconf.c: detection of a file's indentation from its first lines,
 * EditorConfig files in a temporary tree (nested, globs, sections, root = true, a file that
 * cannot be parsed, values not understood), and the order EditorConfig, settings,
 * detection, defaults. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/editor/fileconf.h"
#include "tests/common/testutil.h"
#include "tests/common/tmpdir.h"

static void detect(const char *text, struct fileconf_guess *g)
{
    fileconf_detect(text, strlen(text), g);
}

START_TEST(test_fileconf__detect)
{
    struct fileconf_guess g;
    detect("int main(void)\n{\n\tif (x) {\n\t\ty();\n\t}\n\treturn 0;\n}\n", &g);
    ck_assert(g.known && !g.spaces);
    ck_assert_uint_eq(g.tab_lines, 4);
    detect("def f(x):\n    if x:\n        return 1\n    return 2\n\nclass A:\n    pass\n", &g);
    ck_assert(g.known && g.spaces);
    ck_assert_uint_eq(g.width, 4);
    detect("function f() {\n  if (a) {\n    b();\n  }\n  return c;\n}\n", &g);
    ck_assert(g.known && g.spaces);
    ck_assert_uint_eq(g.width, 2);
    detect("a:\n        b\n        c\n                d\nx:\n        y\n", &g);
    ck_assert(g.known && g.spaces);
    ck_assert_uint_eq(g.width, 8);
    /* a C file indented with four spaces, with block comments (" * ") and blank lines */
    detect("/* A file.\n *\n * More.\n */\nint f(void)\n{\n    int x;\n\n    if (x) {\n"
           "        /* two\n         * lines */\n        x++;\n    }\n    return x;\n}\n", &g);
    ck_assert(g.known && g.spaces);
    ck_assert_uint_eq(g.width, 4);
    /* mostly tabs, a few space-aligned continuation lines */
    detect("f(a,\n  b);\n\tx;\n\ty;\n\tz;\n\tw;\n", &g);
    ck_assert(g.known && !g.spaces);
    /* too little to say */
    detect("one\ntwo\n    three\n", &g);
    ck_assert(!g.known);
    detect("", &g);
    ck_assert(!g.known);
    fileconf_detect(NULL, 0, &g);
    ck_assert(!g.known);
    /* CRLF lines, and spaces before a tab count as a tab */
    detect("a\r\n    b\r\n    c\r\n        d\r\n", &g);
    ck_assert(g.known && g.spaces && g.width == 4);
    detect("a\n  \tb\n\tc\n\td\n", &g);
    ck_assert(g.known && !g.spaces);
}
END_TEST

START_TEST(test_fileconf__detect_is_bounded)
{
    size_t n = FILECONF_DETECT_BYTES * 4;
    char *text = malloc(n + 1);
    /* tabs in the first 1000 lines, spaces after them */
    size_t k = 0, lines = 0;
    while (k + 16 < n) {
        k += (size_t)sprintf(text + k, lines < FILECONF_DETECT_LINES ? "x\n\ty\n" : "x\n  y\n");
        lines += 2;
    }
    struct fileconf_guess g;
    fileconf_detect(text, k, &g);
    ck_assert(g.known && !g.spaces);
    ck_assert_uint_eq(g.tab_lines + g.space_lines, FILECONF_DETECT_LINES / 2);
    free(text);
}
END_TEST

static char *dir;
static struct notes notes;
static struct settings defaults;

static void tree_setup(void)
{
    dir = wt_tmpdir_new("fileconf");
    notes_init(&notes, 16, "EditorConfig");
    settings_defaults(&defaults);
    wt_tmpdir_puts(dir, "p/.editorconfig",
                   "root = true\n"
                   "\n"
                   "[*]\n"
                   "indent_style = tab\n"
                   "tab_width = 8\n"
                   "end_of_line = lf\n"
                   "insert_final_newline = true\n"
                   "\n"
                   "[*.py]\n"
                   "indent_style = space\n"
                   "indent_size = 4\n"
                   "\n"
                   "[*.{js,json}]\n"
                   "indent_style = space\n"
                   "indent_size = 2\n"
                   "\n"
                   "[Makefile]\n"
                   "indent_style = tab\n"
                   "\n"
                   "[*.md]\n"
                   "trim_trailing_whitespace = false\n"
                   "insert_final_newline = unset\n"
                   "\n"
                   "[*.bat]\n"
                   "end_of_line = crlf\n"
                   "\n"
                   "[lib/**.c]\n"
                   "indent_style = space\n"
                   "indent_size = 3\n"
                   "trim_trailing_whitespace = true\n");
    /* nested: overrides for its directory */
    wt_tmpdir_puts(dir, "p/sub/.editorconfig", "[*.py]\nindent_size = 2\n");
    /* root = true: nothing above applies */
    wt_tmpdir_puts(dir, "p/sub/own/.editorconfig", "root = true\n[*.c]\nindent_size = 6\n");
    /* values not understood */
    wt_tmpdir_puts(dir, "p/odd/.editorconfig",
                   "[*]\nindent_style = wide\nindent_size = 99\ntab_width = x\n"
                   "end_of_line = nl\ntrim_trailing_whitespace = maybe\n");
    /* a file that cannot be parsed: a line that is neither a section nor a pair */
    wt_tmpdir_puts(dir, "q/.editorconfig", "root = true\n[*]\nthis line is broken\n");
}

static void tree_teardown(void)
{
    notes_free(&notes);
    wt_tmpdir_free(dir);
    dir = NULL;
}

static void resolve(const char *rel, const struct settings *s, const char *sample,
                    struct fileconf *fc)
{
    char *p = wt_tmpdir_path(dir, rel);
    fileconf_resolve(fc, p, s ? s : &defaults, sample, sample ? strlen(sample) : 0, &notes);
    free(p);
}

START_TEST(test_fileconf__editorconfig)
{
    struct fileconf fc;
    resolve("p/main.c", NULL, NULL, &fc);
    ck_assert(!fc.spaces && fc.tab_width == 8 && fc.indent_width == 8);
    ck_assert_int_eq(fc.spaces_from, FILECONF_EDITORCONFIG);
    ck_assert_int_eq(fc.eol, FILECONF_EOL_LF);
    ck_assert_int_eq(fc.final_newline, FILECONF_YES);
    ck_assert_int_eq(fc.trim_trailing, FILECONF_UNSAID);
    resolve("p/tool.py", NULL, NULL, &fc);
    ck_assert(fc.spaces && fc.indent_width == 4);
    ck_assert_int_eq(fc.indent_from, FILECONF_EDITORCONFIG);
    resolve("p/web/app.js", NULL, NULL, &fc); /* a glob with braces, a subdirectory */
    ck_assert(fc.spaces && fc.indent_width == 2);
    resolve("p/data.json", NULL, NULL, &fc);
    ck_assert(fc.spaces && fc.indent_width == 2);
    resolve("p/Makefile", NULL, NULL, &fc);
    ck_assert(!fc.spaces);
    resolve("p/README.md", NULL, NULL, &fc);
    ck_assert_int_eq(fc.trim_trailing, FILECONF_NO);
    ck_assert_int_eq(fc.final_newline, FILECONF_UNSAID); /* unset */
    resolve("p/run.bat", NULL, NULL, &fc);
    ck_assert_int_eq(fc.eol, FILECONF_EOL_CRLF);
    resolve("p/lib/deep/x.c", NULL, NULL, &fc); /* ** crosses directories */
    ck_assert(fc.spaces && fc.indent_width == 3);
    ck_assert_int_eq(fc.trim_trailing, FILECONF_YES);
    /* nested */
    resolve("p/sub/t.py", NULL, NULL, &fc);
    ck_assert(fc.spaces && fc.indent_width == 2);
    resolve("p/sub/main.c", NULL, NULL, &fc);
    ck_assert(!fc.spaces && fc.tab_width == 8);
    /* root = true below: p's [*] does not apply, own's [*.c] does */
    resolve("p/sub/own/main.c", NULL, "x\n\ty\n\tz\n\tw\n", &fc);
    ck_assert_uint_eq(fc.indent_width, 6);
    ck_assert_uint_eq(fc.tab_width, 6); /* tab_width follows indent_size */
    ck_assert_int_eq(fc.spaces_from, FILECONF_DETECTED);
    ck_assert(!fc.spaces);
    ck_assert_int_eq(fc.eol, FILECONF_EOL_KEEP);
    ck_assert_uint_eq(notes.n, 0);
    /* a file that need not exist yet, by a relative path */
    char *cwd = getcwd(NULL, 0);
    char *p = wt_tmpdir_path(dir, "p");
    ck_assert_int_eq(chdir(p), 0);
    fileconf_resolve(&fc, "new.py", &defaults, NULL, 0, &notes);
    ck_assert(fc.spaces && fc.indent_width == 4);
    ck_assert_int_eq(chdir(cwd), 0);
    free(p);
    free(cwd);
}
END_TEST

START_TEST(test_fileconf__editorconfig_errors)
{
    struct fileconf fc;
    struct settings s;
    settings_defaults(&s);
    s.tabwidth = 4;
    s.given = SETTING_TABWIDTH;
    resolve("p/odd/x.txt", &s, NULL, &fc);
    /* the nearer file's values replace p/.editorconfig's; not understood, they are not
     * used, and the settings (tabwidth 4) and defaults apply */
    ck_assert(!fc.spaces && fc.tab_width == 4 && fc.indent_width == 4);
    ck_assert_int_eq(fc.tab_from, FILECONF_SETTINGS);
    ck_assert_int_eq(fc.eol, FILECONF_EOL_KEEP);
    ck_assert_uint_eq(notes.n, 5);
    const char *want[] = { "indent_style = wide", "indent_size = 99", "tab_width = x",
                           "end_of_line = nl", "trim_trailing_whitespace = maybe" };
    for (size_t i = 0; i < 5; i++) {
        bool seen = false;
        for (size_t k = 0; k < notes.n; k++)
            seen = seen || (strstr(notes.text[k], want[i]) && strstr(notes.text[k], "not used"));
        ck_assert_msg(seen, "no message about %s", want[i]);
    }
    notes_free(&notes);
    resolve("q/x.c", &s, NULL, &fc);
    ck_assert_uint_eq(notes.n, 1);
    ck_assert_msg(strstr(notes.text[0], "q/.editorconfig line 3 cannot be parsed"), "%s",
                  notes.text[0]);
    ck_assert_uint_eq(fc.tab_width, 4); /* the settings apply */
    ck_assert_int_eq(fc.tab_from, FILECONF_SETTINGS);
}
END_TEST

START_TEST(test_fileconf__order)
{
    struct fileconf fc;
    struct settings s;
    const char *four = "a\n    b\n    c\n        d\n    e\n";
    const char *tabs = "a\n\tb\n\tc\n\t\td\n";
    /* no EditorConfig (q2 has none; the tree's root has root = true above nothing) */
    wt_tmpdir_puts(dir, "r/.editorconfig", "root = true\n");
    settings_defaults(&s);
    resolve("r/x.txt", &s, four, &fc); /* detection over the defaults */
    ck_assert(fc.spaces && fc.indent_width == 4 && fc.tab_width == 8);
    ck_assert_int_eq(fc.spaces_from, FILECONF_DETECTED);
    ck_assert_int_eq(fc.indent_from, FILECONF_DETECTED);
    ck_assert_int_eq(fc.tab_from, FILECONF_DEFAULT);
    resolve("r/x.txt", &s, tabs, &fc);
    ck_assert(!fc.spaces && fc.indent_width == 8);
    resolve("r/x.txt", &s, "", &fc); /* nothing to detect: the defaults */
    ck_assert(!fc.spaces && fc.indent_width == 8 && fc.tab_width == 8);
    ck_assert_int_eq(fc.spaces_from, FILECONF_DEFAULT);
    /* the settings over detection */
    s.tabstospaces = false;
    s.given = SETTING_TABSTOSPACES;
    resolve("r/x.txt", &s, four, &fc);
    ck_assert(!fc.spaces);
    ck_assert_int_eq(fc.spaces_from, FILECONF_SETTINGS);
    s.tabstospaces = true;
    resolve("r/x.txt", &s, "a\n  b\n  c\n    d\n", &fc);
    ck_assert(fc.spaces && fc.indent_width == 2); /* width: detected, not given */
    s.tabwidth = 3;
    s.given |= SETTING_TABWIDTH;
    resolve("r/x.txt", &s, "a\n  b\n  c\n    d\n", &fc);
    ck_assert(fc.spaces && fc.indent_width == 3 && fc.tab_width == 3);
    /* EditorConfig over the settings */
    resolve("p/tool.py", &s, tabs, &fc);
    ck_assert(fc.spaces && fc.indent_width == 4 && fc.tab_width == 8); /* [*] says 8 */
    resolve("p/main.c", &s, four, &fc);
    ck_assert(!fc.spaces && fc.tab_width == 8);
    ck_assert_uint_eq(notes.n, 0);
}
END_TEST

static Suite *fileconf_suite(void)
{
    Suite *s = suite_create("app_fileconf");
    TCase *tc = tcase_create("detect");
    tcase_add_test(tc, test_fileconf__detect);
    tcase_add_test(tc, test_fileconf__detect_is_bounded);
    suite_add_tcase(s, tc);
    tc = tcase_create("editorconfig");
    tcase_add_checked_fixture(tc, tree_setup, tree_teardown);
    tcase_add_test(tc, test_fileconf__editorconfig);
    tcase_add_test(tc, test_fileconf__editorconfig_errors);
    tcase_add_test(tc, test_fileconf__order);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(fileconf_suite());
}
