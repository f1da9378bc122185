/* Tests of app/project/glob.c, ignore.c and gitrepo.c's config reader: the matcher on a
 * table of cases (git's wildmatch semantics; check_proj_git compares whole trees with git
 * itself), how lines become patterns (trailing spaces, escapes, CRLF, BOM, comments, limits),
 * and core.excludesFile in config files. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app/project/gitrepo.h"
#include "app/project/glob.h"
#include "app/project/ignore.h"
#include "tests/common/testutil.h"

enum { P = PROJ_GLOB_PATHNAME, I = PROJ_GLOB_CASEFOLD };

static const struct glob_case {
    const char *pattern, *text;
    unsigned flags;
    bool match;
} glob_cases[] = {
    { "foo", "foo", 0, true },
    { "foo", "bar", 0, false },
    { "", "", 0, true },
    { "???", "foo", 0, true },
    { "??", "foo", 0, false },
    { "*", "foo", 0, true },
    { "f*", "foo", 0, true },
    { "*f", "foo", 0, false },
    { "*foo*", "foo", 0, true },
    { "*ob*a*r*", "foobar", 0, true },
    { "*ab", "aaaaaaabababab", 0, true },
    { "foo\\*", "foo*", 0, true },
    { "foo\\*bar", "foobar", 0, false },
    { "f\\\\oo", "f\\oo", 0, true },
    { "foo\\", "foo\\", 0, false }, /* a trailing backslash matches nothing */
    { "*[al]?", "ball", 0, true },
    { "[ten]", "ten", 0, false },
    { "**[!te]", "ten", 0, true },
    { "**[!ten]", "ten", 0, false },
    { "t[a-g]n", "ten", 0, true },
    { "t[!a-g]n", "ten", 0, false },
    { "t[!a-g]n", "ton", 0, true },
    { "t[^a-g]n", "ton", 0, true },
    { "a[]]b", "a]b", 0, true },
    { "a[]-]b", "a-b", 0, true },
    { "a[]-]b", "a]b", 0, true },
    { "a[]-]b", "aab", 0, false },
    { "a[]a-]b", "aab", 0, true },
    { "]", "]", 0, true },
    { "[-a]", "-", 0, true },
    { "[a-]", "-", 0, true },
    { "[\\]]", "]", 0, true },
    { "[a-", "a", 0, false },   /* unclosed: matches nothing */
    { "[!", "a", 0, false },
    { "\\", "", 0, false },
    { "[[:alpha:]][[:digit:]][[:upper:]]", "a1B", 0, true },
    { "[[:digit:][:upper:][:space:]]", "A", 0, true },
    { "[[:digit:][:upper:][:space:]]", "a", 0, false },
    { "[[:xdigit:]]", "f", 0, true },
    { "[[:xdigit:]]", "g", 0, false },
    { "[[:bogus:]]", "a", 0, false },
    { "[[:punct:]]", "!", 0, true },
    { "[[:blank:]]", "\t", 0, true },
    { "[[:alnum:]]", "_", 0, false },
    { "[[:]", "[", 0, true },   /* no ":]": a plain '[' in the class */
    /* '/' under PROJ_GLOB_PATHNAME. */
    { "foo*bar", "foo/baz/bar", P, false },
    { "foo*bar", "foo/baz/bar", 0, true },
    { "foo**bar", "foo/baz/bar", P, false },
    { "foo/**/bar", "foo/bar", P, true },
    { "foo/**/bar", "foo/baz/bar", P, true },
    { "foo/**/bar", "foo/b/a/z/bar", P, true },
    { "**/foo", "foo", P, true },
    { "**/foo", "x/y/foo", P, true },
    { "**/foo", "xfoo", P, false },
    { "abc/**", "abc/x/y", P, true },
    { "abc/**", "abc", P, false },
    { "*/foo", "bar/foo", P, true },
    { "*/foo", "a/bar/foo", P, false },
    { "?", "/", P, false },
    { "[/]", "/", P, false },
    { "a/*", "a/b/c", P, false },
    { "**", "a/b/c", P, true },
    { "a**", "a/b", P, false },
    /* ASCII case folding (the private defaults). */
    { "A*", "abc", I, true },
    { "a*", "ABC", I, true },
    { "[A-C]x", "bx", I, true },
    { "[a-c]x", "BX", I, true },
    { "\\A", "a", I, true },
    { "k\xc3\xa9", "K\xc3\xa9", I, true },
    { "k\xc3\xa9", "k\xc3\x89", I, false }, /* only ASCII folds here (fold.h does Unicode) */
};

START_TEST(test_proj_ignore__glob_table)
{
    const struct glob_case *c = &glob_cases[_i];
    int r = proj_glob_match(c->pattern, c->text, strlen(c->text), c->flags);
    ck_assert_msg(r == (c->match ? PROJ_GLOB_MATCH : PROJ_GLOB_NOMATCH),
                  "glob \"%s\" on \"%s\" (flags %u): want %s, got %d", c->pattern, c->text,
                  c->flags, c->match ? "a match" : "no match", r);
}
END_TEST

START_TEST(test_proj_ignore__glob_no_blowup)
{
    /* Many stars against a long text that almost matches: the aborts keep this polynomial
     * (an exponential matcher would not finish within Check's timeout). */
    char text[4097];
    memset(text, 'a', 4096);
    text[4096] = '\0';
    ck_assert_int_eq(proj_glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", text, 4096, 0),
                     PROJ_GLOB_NOMATCH);
    ck_assert_int_eq(proj_glob_match("**/*a*a*a*a*a*a*a*a*a*a*a*a*b", text, 4096, P),
                     PROJ_GLOB_NOMATCH);
    for (size_t i = 1; i < 4096; i += 2)
        text[i] = '/';
    ck_assert_int_eq(proj_glob_match("**/a/**/a/**/a/**/a/**/a/**/b", text, 4096, P),
                     PROJ_GLOB_NOMATCH);
    ck_assert_int_eq(proj_glob_match("**/a/**/a/**/a/**/a/**/a", text, 4095, P), PROJ_GLOB_MATCH);
}
END_TEST

/* "/" "**" a hundred times, as fuzz_path found it (tests/fuzz/corpus/path/
 * regress-starstar-timeout): git's algorithm takes exponential time on it (git itself does
 * not finish). The budget stops it, and the ignore list fails closed. */
static char *many_starstar(size_t n)
{
    char *p = malloc(3 * n + 8);
    ck_assert_ptr_nonnull(p);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(p + o, "/**", 3);
        o += 3;
    }
    memcpy(p + o, "/x", 3);
    return p;
}

START_TEST(test_proj_ignore__glob_budget)
{
    char *pat = many_starstar(100);
    char text[400];
    for (size_t i = 0; i < sizeof text; i += 2)
        memcpy(text + i, "a/", 2);
    ck_assert_int_eq(proj_glob_match(pat + 1, text, sizeof text - 1, P), PROJ_GLOB_TOO_COMPLEX);
    /* Short texts are still answered exactly. */
    ck_assert_int_eq(proj_glob_match(pat + 1, "a/b/x", 5, P), PROJ_GLOB_MATCH);
    ck_assert_int_eq(proj_glob_match(pat + 1, "a/b/y", 5, P), PROJ_GLOB_NOMATCH);

    struct proj_ignore l;
    ck_assert_int_eq(proj_ignore_init(&l, "", 0, "t"), 0);
    ck_assert_int_eq(proj_ignore_add(&l, pat, strlen(pat), 1), 0);
    pat[0] = '!';
    ck_assert_int_eq(proj_ignore_add(&l, pat, strlen(pat), 2), 0);
    /* The negation (last) runs out first: it re-includes nothing, and the positive pattern,
     * out of budget too, hides. Both are marked, and stay so. */
    ck_assert_ptr_eq(proj_ignore_match(&l, text, sizeof text - 1, false), &l.pat[0]);
    ck_assert(l.pat[1].flags & PROJ_PAT_TOO_COMPLEX);
    ck_assert(l.pat[0].flags & PROJ_PAT_TOO_COMPLEX);
    ck_assert_ptr_nonnull(l.complex_new);
    ck_assert_ptr_eq(proj_ignore_match(&l, "a/b/y", 5, false), &l.pat[0]);
    proj_ignore_close(&l);
    free(pat);
}
END_TEST

/* The single pattern a line becomes: its text, flags, or none. */
static const struct proj_pattern *one(struct proj_ignore *l, const char *line)
{
    ck_assert_int_eq(proj_ignore_init(l, "", 0, "test"), 0);
    ck_assert_int_eq(proj_ignore_add(l, line, strlen(line), 1), 0);
    return l->n ? &l->pat[0] : NULL;
}

START_TEST(test_proj_ignore__lines)
{
    static const struct {
        const char *line, *text;
        unsigned flags;
    } cases[] = {
        { "a  ", "a", PROJ_PAT_NODIR },
        { "a\\ ", "a\\ ", PROJ_PAT_NODIR },
        { "a\\  ", "a\\ ", PROJ_PAT_NODIR },
        { "a \\", "a \\", PROJ_PAT_NODIR }, /* a lone trailing '\' keeps everything */
        { " a", " a", PROJ_PAT_NODIR },     /* leading spaces count */
        { "a\t", "a\t", PROJ_PAT_NODIR },   /* only spaces are trimmed */
        { "!x", "x", PROJ_PAT_NEGATIVE | PROJ_PAT_NODIR },
        { "\\!x", "\\!x", PROJ_PAT_NODIR },
        { "\\#x", "\\#x", PROJ_PAT_NODIR },
        { "x/", "x", PROJ_PAT_MUSTBEDIR | PROJ_PAT_NODIR },
        { "/x", "/x", 0 },
        { "a/b", "a/b", 0 },
        { "a/b/", "a/b", PROJ_PAT_MUSTBEDIR },
        { "*.c", "*.c", PROJ_PAT_NODIR | PROJ_PAT_ENDSWITH },
        { "*.c/", "*.c", PROJ_PAT_NODIR | PROJ_PAT_ENDSWITH | PROJ_PAT_MUSTBEDIR },
        { "*.[ch]", "*.[ch]", PROJ_PAT_NODIR },
        { "!/a/", "/a", PROJ_PAT_NEGATIVE | PROJ_PAT_MUSTBEDIR },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct proj_ignore l;
        const struct proj_pattern *p = one(&l, cases[i].line);
        ck_assert_msg(p != NULL, "line \"%s\" gave no pattern", cases[i].line);
        ck_assert_msg(strcmp(p->text, cases[i].text) == 0 && p->flags == cases[i].flags,
                      "line \"%s\": got \"%s\" flags %u, want \"%s\" flags %u", cases[i].line,
                      p->text, p->flags, cases[i].text, cases[i].flags);
        proj_ignore_close(&l);
    }
    /* Lines that are no pattern at all. */
    static const char *const none[] = { "", "   ", "!", "! " };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        struct proj_ignore l;
        ck_assert_msg(one(&l, none[i]) == NULL, "\"%s\" made a pattern", none[i]);
        proj_ignore_close(&l);
    }
}
END_TEST

START_TEST(test_proj_ignore__file)
{
    /* A BOM, CRLF, comments, a line cut at a NUL, no newline at the end; line numbers count
     * the skipped lines too. */
    static const char text[] = "\xef\xbb\xbf" "a\r\n# c\r\n\r\nb\0junk\n\\#d\n  \ne";
    struct proj_ignore l;
    ck_assert_int_eq(proj_ignore_init(&l, "", 0, "t"), 0);
    uint32_t bad = 0;
    ck_assert_int_eq(proj_ignore_parse(&l, text, sizeof text - 1, &bad), 0);
    ck_assert_uint_eq(l.n, 4);
    const char *want[] = { "a", "b", "\\#d", "e" };
    unsigned lines[] = { 1, 4, 5, 7 };
    for (size_t i = 0; i < 4; i++) {
        ck_assert_str_eq(l.pat[i].text, want[i]);
        ck_assert_uint_eq(l.pat[i].line, lines[i]);
    }
    /* A lone "\r" line is a pattern that can match nothing. */
    ck_assert_ptr_null(proj_ignore_match(&l, "", 0, false));
    ck_assert_ptr_nonnull(proj_ignore_match(&l, "x/a", 3, false));
    ck_assert_ptr_nonnull(proj_ignore_match(&l, "#d", 2, false));
    proj_ignore_close(&l);
}
END_TEST

START_TEST(test_proj_ignore__limits)
{
    struct proj_ignore l;
    ck_assert_int_eq(proj_ignore_init(&l, "", 0, "t"), 0);
    size_t n = PROJ_IGNORE_LINE_MAX + 1;
    char *buf = malloc(n + 8);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, "ok\nok\n", 6);
    memset(buf + 6, 'x', n);
    uint32_t bad = 0;
    ck_assert_int_eq(proj_ignore_parse(&l, buf, 6 + n, &bad), -E2BIG);
    ck_assert_uint_eq(bad, 3);
    proj_ignore_close(&l);
    /* The longest line is fine, with its trailing spaces beyond the limit. */
    ck_assert_int_eq(proj_ignore_init(&l, "", 0, "t"), 0);
    memset(buf, 'y', PROJ_IGNORE_LINE_MAX);
    memset(buf + PROJ_IGNORE_LINE_MAX, ' ', 8);
    ck_assert_int_eq(proj_ignore_parse(&l, buf, PROJ_IGNORE_LINE_MAX + 8, &bad), 0);
    ck_assert_uint_eq(l.n, 1);
    proj_ignore_close(&l);
    free(buf);
    ck_assert_int_eq(proj_ignore_init(&l, "", 0, "t"), 0);
    ck_assert_int_eq(proj_ignore_parse(&l, "", PROJ_IGNORE_FILE_MAX + 1, &bad), -EFBIG);
    proj_ignore_close(&l);
}
END_TEST

START_TEST(test_proj_ignore__base)
{
    /* Patterns of a nested file are relative to its directory; a basename pattern matches at
     * any depth below it, but never above or beside it. */
    struct proj_ignore l;
    ck_assert_int_eq(proj_ignore_init(&l, "src/", 4, "src/.gitignore"), 0);
    ck_assert_int_eq(proj_ignore_parse(&l, "/top\nany\nsub/x\n", 15, NULL), 0);
    ck_assert_ptr_nonnull(proj_ignore_match(&l, "src/top", 7, false));
    ck_assert_ptr_null(proj_ignore_match(&l, "src/a/top", 9, false));
    ck_assert_ptr_nonnull(proj_ignore_match(&l, "src/a/b/any", 11, false));
    ck_assert_ptr_nonnull(proj_ignore_match(&l, "src/sub/x", 9, false));
    ck_assert_ptr_null(proj_ignore_match(&l, "src/a/sub/x", 11, false));
    ck_assert_ptr_null(proj_ignore_match(&l, "srcx/top", 8, false));
    ck_assert_ptr_null(proj_ignore_match(&l, "top", 3, false));
    proj_ignore_close(&l);
}
END_TEST

/* core.excludesFile from config text, or NULL. */
static char *excludes(const char *text)
{
    char *v = NULL;
    ck_assert_int_eq(proj_git_config_excludes(text, strlen(text), &v), 0);
    return v;
}

START_TEST(test_proj_ignore__config)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        { "[core]\n\texcludesFile = ~/x\n", "~/x" },
        { "[CORE]\nEXCLUDESFILE=a\n", "a" },
        { "[core \"x\"]\nexcludesfile = no\n", NULL },
        { "[core.x]\nexcludesfile = no\n", NULL },
        { "[core]\nexcludesfile = \"a  b\"  c  \n", "a  b  c" },
        { "[core]\nexcludesfile = \"\"  x\t\"\"\n", "x " },
        { "[core]\nexcludesfile = a ; comment\n", "a" },
        { "[core]\nexcludesfile = a#b\n", "a" },
        { "[core]\nexcludesfile = \"a;#\"\n", "a;#" },
        { "[core]\nexcludesfile = \"a\\\"b\\\\c\"\n", "a\"b\\c" },
        { "[core]\nexcludesfile = a\\\nb\n", "ab" },
        { "[core]\nexcludesfile = first\n[user]\nexcludesfile = other\n[core]\n"
          "excludesfile = last\n", "last" },
        { "[core] excludesfile = same-line\n", "same-line" },
        { "[core]\nexcludesfile = bad\\q\nx = 1\n", NULL },
        { "[core]\nexcludesfile\n", NULL },
        { "[core]\r\nexcludesfile = crlf\r\n", "crlf" },
        { "# [core]\n; excludesfile = no\n[core]\n  # excludesfile = no\n", NULL },
        { "[core]\nexcludesfile = \"unclosed\n", NULL },
        { "[include]\npath = elsewhere\n", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *v = excludes(cases[i].text);
        ck_assert_msg((v == NULL) == (cases[i].want == NULL)
                          && (!v || strcmp(v, cases[i].want) == 0),
                      "config %s: got %s, want %s", wt_esc(cases[i].text, strlen(cases[i].text)),
                      v ? v : "(none)", cases[i].want ? cases[i].want : "(none)");
        free(v);
    }
}
END_TEST

static Suite *ignore_suite(void)
{
    Suite *s = suite_create("proj_ignore");
    TCase *tc = tcase_create("glob");
    tcase_add_loop_test(tc, test_proj_ignore__glob_table, 0,
                        (int)(sizeof glob_cases / sizeof glob_cases[0]));
    tcase_add_test(tc, test_proj_ignore__glob_no_blowup);
    tcase_add_test(tc, test_proj_ignore__glob_budget);
    suite_add_tcase(s, tc);
    tc = tcase_create("parse");
    tcase_add_test(tc, test_proj_ignore__lines);
    tcase_add_test(tc, test_proj_ignore__file);
    tcase_add_test(tc, test_proj_ignore__limits);
    tcase_add_test(tc, test_proj_ignore__base);
    suite_add_tcase(s, tc);
    tc = tcase_create("config");
    tcase_add_test(tc, test_proj_ignore__config);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(ignore_suite());
}
