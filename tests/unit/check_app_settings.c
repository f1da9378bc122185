/* Tests of app/editor/settings.c: every key and its default, bad lines (a message with the
 * line number; the other lines still apply), the file's path ($XDG_CONFIG_HOME, $HOME),
 * files that are missing, too large or not regular, and NO_COLOR. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/settings.h"
#include "tests/common/testutil.h"
#include "tests/common/tmpdir.h"

static struct notes notes;

static void setup(void)
{
    notes_init(&notes, SETTINGS_MAX_NOTES, "the settings file");
}

static void teardown(void)
{
    notes_free(&notes);
}

static void parse(struct settings *s, const char *text)
{
    settings_defaults(s);
    settings_parse(s, "weftrc", text, strlen(text), &notes);
}

static void expect_note(size_t i, const char *a, const char *b)
{
    ck_assert_uint_gt(notes.n, i);
    ck_assert_msg(strstr(notes.text[i], a) && (!b || strstr(notes.text[i], b)),
                  "message %zu \"%s\" lacks \"%s\" / \"%s\"", i, notes.text[i], a, b ? b : "");
}

START_TEST(test_settings__defaults)
{
    struct settings s;
    settings_defaults(&s);
    ck_assert_uint_eq(s.tabwidth, 8);
    ck_assert(!s.tabstospaces && !s.linenumbers && !s.softwrap && s.syntax);
    ck_assert_int_eq(s.scheme, SYN_SCHEME_DARK);
    ck_assert_str_eq(s.name, "");
    ck_assert_uint_eq(s.given, 0);
    parse(&s, "");
    parse(&s, "\n\n# only comments\n   # indented comment\n\t\n");
    ck_assert_uint_eq(s.given, 0);
    ck_assert_uint_eq(notes.n, 0);
}
END_TEST

START_TEST(test_settings__every_key)
{
    struct settings s;
    parse(&s, "tabwidth 4\n"
              "tabstospaces on\n"
              "  linenumbers   yes  \r\n"
              "softwrap true\n"
              "syntax off\n"
              "colourscheme light\n"
              "name  Ann Example  \n");
    ck_assert_uint_eq(notes.n, 0);
    ck_assert_uint_eq(s.tabwidth, 4);
    ck_assert(s.tabstospaces && s.linenumbers && s.softwrap && !s.syntax);
    ck_assert_int_eq(s.scheme, SYN_SCHEME_LIGHT);
    ck_assert_str_eq(s.name, "Ann Example");
    ck_assert_uint_eq(s.given, SETTING_TABWIDTH | SETTING_TABSTOSPACES | SETTING_LINENUMBERS |
                                   SETTING_SOFTWRAP | SETTING_SYNTAX | SETTING_COLOURSCHEME |
                                   SETTING_NAME);
    /* other spellings of the values; a later line wins */
    parse(&s, "tabstospaces 1\ntabstospaces NO\nsyntax False\nsyntax 1\n"
              "colorscheme DARK\ntabwidth 16\ntabwidth 1\nname \xc3\x89lise\n");
    ck_assert_uint_eq(notes.n, 0);
    ck_assert(!s.tabstospaces && s.syntax);
    ck_assert_int_eq(s.scheme, SYN_SCHEME_DARK);
    ck_assert_uint_eq(s.tabwidth, 1);
    ck_assert_str_eq(s.name, "\xc3\x89lise");
}
END_TEST

START_TEST(test_settings__bad_lines)
{
    struct settings s;
    parse(&s, "tabwidth 4\n"       /* 1: good */
              "tabwidth 0\n"       /* 2 */
              "tabwidth 17\n"      /* 3 */
              "tabwidth four\n"    /* 4 */
              "tabwidth\n"         /* 5 */
              "softwrap maybe\n"   /* 6 */
              "colourscheme blue\n" /* 7 */
              "frobnicate 3\n"     /* 8 */
              "name \x01x\n"       /* 9 */
              "name \xff\n"        /* 10 */
              "tabstospaces on\n"  /* 11: good, after the bad ones */
              "Tabwidth 2\n");     /* 12: keys are lower case */
    ck_assert_uint_eq(s.tabwidth, 4);
    ck_assert(s.tabstospaces && !s.softwrap);
    ck_assert_int_eq(s.scheme, SYN_SCHEME_DARK);
    ck_assert_str_eq(s.name, "");
    ck_assert_uint_eq(s.given, SETTING_TABWIDTH | SETTING_TABSTOSPACES);
    ck_assert_uint_eq(notes.n, 10);
    expect_note(0, "weftrc line 2: tabwidth must be a number from 1 to 16", "not \"0\"");
    expect_note(1, "line 3:", "17");
    expect_note(2, "line 4:", "four");
    expect_note(3, "line 5:", "number");
    expect_note(4, "line 6: softwrap must be on or off", "maybe");
    expect_note(5, "line 7: colourscheme must be dark or light", "blue");
    expect_note(6, "line 8: \"frobnicate\" is not a setting", "known: tabwidth");
    expect_note(7, "line 9: name must be UTF-8 text without control characters", NULL);
    expect_note(8, "line 10:", "UTF-8");
    expect_note(9, "line 12: \"Tabwidth\" is not a setting", NULL);
    for (size_t i = 0; i < notes.n; i++)
        ck_assert_msg(strstr(notes.text[i], "the line is ignored"), "%s", notes.text[i]);
    /* a name too long, a NUL byte */
    char line[100];
    memset(line, 'x', sizeof line);
    memcpy(line, "name ", 5);
    notes_free(&notes);
    settings_parse(&s, "weftrc", line, sizeof line, &notes);
    expect_note(0, "name must be 1 to 64 bytes long", NULL);
    notes_free(&notes);
    settings_parse(&s, "weftrc", "syntax o\0n\nlinenumbers on\n", 26, &notes);
    expect_note(0, "line 1: holds a NUL byte", NULL);
    ck_assert(s.linenumbers);
}
END_TEST

START_TEST(test_settings__junk_is_capped)
{
    struct settings s;
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("check_app_settings junk"));
    char junk[4096];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)wt_rng_below(&rng, 256);
    settings_defaults(&s);
    settings_parse(&s, "junk", junk, sizeof junk, &notes);
    ck_assert_uint_le(notes.n, SETTINGS_MAX_NOTES);
    ck_assert_uint_ge(s.tabwidth, 1);
    ck_assert_uint_le(s.tabwidth, SETTINGS_TABWIDTH_MAX);
}
END_TEST

START_TEST(test_settings__files)
{
    char *dir = wt_tmpdir_new("settings");
    char *home = wt_tmpdir_path(dir, "home"), *xdg = wt_tmpdir_path(dir, "xdg");
    setenv("HOME", home, 1);
    unsetenv("XDG_CONFIG_HOME");
    char *p = settings_path();
    char *want = wt_tmpdir_path(dir, "home/.config/weft/weftrc");
    ck_assert_str_eq(p, want);
    free(p);
    free(want);
    setenv("XDG_CONFIG_HOME", xdg, 1);
    p = settings_path();
    want = wt_tmpdir_path(dir, "xdg/weft/weftrc");
    ck_assert_str_eq(p, want);
    free(p);
    free(want);
    setenv("XDG_CONFIG_HOME", "relative/ignored", 1);
    p = settings_path();
    ck_assert_ptr_nonnull(strstr(p, "/home/.config/weft/weftrc"));
    free(p);
    /* a missing file: defaults, no message */
    struct settings s;
    settings_defaults(&s);
    settings_load(&s, NULL, &notes);
    ck_assert_uint_eq(notes.n, 0);
    ck_assert_uint_eq(s.given, 0);
    /* the file at $XDG_CONFIG_HOME/weft/weftrc */
    setenv("XDG_CONFIG_HOME", xdg, 1);
    wt_tmpdir_puts(dir, "xdg/weft/weftrc", "tabwidth 2\nbogus\n");
    settings_load(&s, NULL, &notes);
    ck_assert_uint_eq(s.tabwidth, 2);
    ck_assert_uint_eq(notes.n, 1);
    ck_assert_msg(strstr(notes.text[0], "xdg/weft/weftrc line 2:"), "%s", notes.text[0]);
    /* too large; a directory */
    char *big = malloc(SETTINGS_MAX_BYTES + 1);
    memset(big, '#', SETTINGS_MAX_BYTES + 1);
    wt_tmpdir_put(dir, "big", big, SETTINGS_MAX_BYTES + 1);
    free(big);
    char *bp = wt_tmpdir_path(dir, "big");
    settings_load(&s, bp, &notes);
    ck_assert_msg(notes.n == 2 && strstr(notes.text[1], "too large"), "%s", notes.text[1]);
    settings_load(&s, dir, &notes);
    ck_assert_msg(notes.n == 3 && strstr(notes.text[2], "not a regular file"), "%s",
                  notes.text[2]);
    ck_assert_uint_eq(s.tabwidth, 2);
    /* no HOME, no XDG_CONFIG_HOME: no path, nothing read */
    unsetenv("HOME");
    unsetenv("XDG_CONFIG_HOME");
    ck_assert_ptr_null(settings_path());
    settings_load(&s, NULL, &notes);
    ck_assert_uint_eq(notes.n, 3);
    free(bp);
    free(home);
    free(xdg);
    wt_tmpdir_free(dir);
}
END_TEST

START_TEST(test_settings__no_color)
{
    struct settings s;
    settings_defaults(&s);
    ck_assert(settings_syntax_on(&s, NULL));
    ck_assert(settings_syntax_on(&s, ""));
    ck_assert(!settings_syntax_on(&s, "1"));
    s.syntax = false;
    ck_assert(!settings_syntax_on(&s, NULL));
}
END_TEST

static Suite *settings_suite(void)
{
    Suite *s = suite_create("app_settings");
    TCase *tc = tcase_create("settings");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_settings__defaults);
    tcase_add_test(tc, test_settings__every_key);
    tcase_add_test(tc, test_settings__bad_lines);
    tcase_add_test(tc, test_settings__junk_is_capped);
    tcase_add_test(tc, test_settings__files);
    tcase_add_test(tc, test_settings__no_color);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(settings_suite());
}
