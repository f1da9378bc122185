/* Tests of app/editor/colour.c, syntax.c and nanorc.c: nano's colour names, the parser of
 * nano's syntax files on every file nano ships (/usr/share/nano, installed by
 * scripts/setup) and on crafted bad inputs, lazy compilation, choosing a syntax, includes
 * and the loading order. Random mutations of real files use a seed (WEFT_SEED=N replays). */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/editor/colour.h"
#include "app/editor/nanorc.h"
#include "app/editor/syntax.h"
#include "tests/common/testutil.h"
#include "tests/common/tmpdir.h"

#define NANO_DIR "/usr/share/nano"

/* --- colours ------------------------------------------------------------------------------ */

static syn_style colour_ok(const char *s)
{
    syn_style st = 0;
    char msg[200];
    enum colour_parse r = colour_parse(s, strlen(s), &st, msg, sizeof msg);
    ck_assert_msg(r == COLOUR_OK, "\"%s\" did not parse: %d %s", s, r, msg);
    return st;
}

static void colour_bad(const char *s, const char *why)
{
    syn_style st = 0;
    char msg[200];
    ck_assert_msg(colour_parse(s, strlen(s), &st, msg, sizeof msg) == COLOUR_BAD,
                  "\"%s\" parsed", s);
    ck_assert_msg(strstr(msg, why), "\"%s\": message \"%s\" lacks \"%s\"", s, msg, why);
}

START_TEST(test_colour__names)
{
    ck_assert_int_eq(syn_style_ansi(colour_ok("red")), 1);
    ck_assert(!syn_style_is_bold(colour_ok("red")));
    ck_assert_int_eq(syn_style_ansi(colour_ok("lightred")), 9);
    ck_assert(!syn_style_is_bold(colour_ok("lightred")));
    /* nano: "bright" is light and bold */
    ck_assert_int_eq(syn_style_ansi(colour_ok("brightred")), 9);
    ck_assert(syn_style_is_bold(colour_ok("brightred")));
    ck_assert_int_eq(syn_style_ansi(colour_ok("BrightBlue")), 12);
    ck_assert_int_eq(syn_style_ansi(colour_ok("grey")), 8);
    ck_assert_int_eq(syn_style_ansi(colour_ok("gray")), 8);
    ck_assert_int_eq(syn_style_ansi(colour_ok("black")), 0);
    ck_assert_int_eq(syn_style_ansi(colour_ok("white")), 7);
    ck_assert_uint_eq(colour_ok("normal"), SYN_STYLE_NONE);
    ck_assert_int_eq(syn_style_ansi(colour_ok("normal")), -1);
    ck_assert_int_eq(syn_style_rgb(colour_ok("normal")), -1);
    /* nano's 256-colour hues are xterm entries */
    ck_assert_int_eq(syn_style_xterm(colour_ok("pink")), 204);
    ck_assert_int_eq(syn_style_xterm(colour_ok("crimson")), 161);
    ck_assert_int_eq(syn_style_xterm(colour_ok("lagoon")), 38);
    ck_assert_int_eq(syn_style_rgb(colour_ok("lagoon")), 0x00afd7);
    ck_assert_int_eq(syn_style_ansi(colour_ok("lagoon")), 6); /* nearest: cyan */
    /* #rgb keeps its value and maps to nano's cube entry */
    syn_style c = colour_ok("#48c");
    ck_assert_int_eq(syn_style_rgb(c), 0x4488cc);
    ck_assert_int_eq(syn_style_xterm(c), 16 + 36 * 1 + 6 * 2 + 4);
    ck_assert_int_eq(syn_style_xterm(colour_ok("#888")), 232 + 9); /* nano's grey ramp */
    ck_assert_int_eq(syn_style_xterm(colour_ok("#000")), 16);
    ck_assert_int_eq(syn_style_xterm(colour_ok("#fff")), 231);
    /* attributes, backgrounds */
    c = colour_ok("bold,lagoon");
    ck_assert(syn_style_is_bold(c) && !syn_style_is_italic(c));
    c = colour_ok("italic,#c44");
    ck_assert(syn_style_is_italic(c) && !syn_style_is_bold(c));
    c = colour_ok("bold,italic,red");
    ck_assert(syn_style_is_italic(c) && syn_style_is_bold(c));
    c = colour_ok("brightwhite,yellow"); /* the background is dropped */
    ck_assert_int_eq(syn_style_ansi(c), 15);
    syn_style st;
    char msg[200];
    ck_assert_int_eq(colour_parse(",green", 6, &st, msg, sizeof msg), COLOUR_BG_ONLY);
    ck_assert_int_eq(colour_parse("bold,pink,red", 13, &st, msg, sizeof msg), COLOUR_OK);
    ck_assert_int_eq(syn_style_xterm(st), 204);
}
END_TEST

START_TEST(test_colour__bad)
{
    colour_bad("reddish", "not one nano knows");
    colour_bad("lightpink", "takes no");
    colour_bad("bright#fff", "takes no");
    colour_bad("#12", "not one nano knows");
    colour_bad("#12g", "not one nano knows");
    colour_bad("", "needs a foreground or a background");
    colour_bad(",", "needs a foreground or a background");
    colour_bad("red,", "nothing after its comma");
    colour_bad("red,green,blue", "more than two");
    colour_bad("bold", "not one nano knows");
    colour_bad("red,reddish", "not one nano knows");
}
END_TEST

START_TEST(test_colour__mappings)
{
    /* every encodable colour has consistent answers */
    for (unsigned v = 1; v < 257 + 4096; v++) {
        syn_style s = (syn_style)v;
        int x = syn_style_xterm(s), a = syn_style_ansi(s);
        int32_t rgb = syn_style_rgb(s);
        ck_assert(x >= 0 && x < 256 && a >= 0 && a < 16 && rgb >= 0 && rgb <= 0xffffff);
        if (v <= 16)
            ck_assert_int_eq(a, (int)v - 1);
    }
    /* the light scheme: white and light colours darken; attributes stay */
    syn_style w = colour_ok("brightwhite");
    ck_assert_int_eq(syn_style_ansi(syn_style_for_scheme(w, SYN_SCHEME_LIGHT)), 0);
    ck_assert(syn_style_is_bold(syn_style_for_scheme(w, SYN_SCHEME_LIGHT)));
    ck_assert_int_eq(syn_style_ansi(syn_style_for_scheme(colour_ok("lightgreen"),
                                                         SYN_SCHEME_LIGHT)), 2);
    ck_assert_uint_eq(syn_style_for_scheme(colour_ok("red"), SYN_SCHEME_LIGHT),
                      colour_ok("red"));
    ck_assert_uint_eq(syn_style_for_scheme(w, SYN_SCHEME_DARK), w);
    syn_style sand = syn_style_for_scheme(colour_ok("italic,sand"), SYN_SCHEME_LIGHT);
    ck_assert(syn_style_is_italic(sand));
    int32_t before = syn_style_rgb(colour_ok("sand")), after = syn_style_rgb(sand);
    ck_assert_int_lt((after >> 8) & 255, (before >> 8) & 255);
    syn_style fff = syn_style_for_scheme(colour_ok("#fff"), SYN_SCHEME_LIGHT);
    ck_assert_int_eq(syn_style_rgb(fff), 0x777777);
    ck_assert_uint_eq(syn_style_for_scheme(colour_ok("#224"), SYN_SCHEME_LIGHT),
                      colour_ok("#224"));
}
END_TEST

/* --- nano's own files --------------------------------------------------------------------- */

/* Every *.nanorc below dir (recursively), appended to a list. */
static void collect(const char *dir, char ***list, size_t *n)
{
    DIR *d = opendir(dir);
    ck_assert_msg(d, "cannot open %s: nano's syntax files are missing; install nano "
                  "(scripts/setup does)", dir);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        ck_assert_int_eq(stat(path, &st), 0);
        size_t len = strlen(e->d_name);
        if (S_ISDIR(st.st_mode)) {
            collect(path, list, n);
        } else if (len > 7 && strcmp(e->d_name + len - 7, ".nanorc") == 0) {
            *list = realloc(*list, (*n + 1) * sizeof **list);
            (*list)[(*n)++] = strdup(path);
        }
    }
    closedir(d);
}

START_TEST(test_nanorc__every_nano_file)
{
    char **files = NULL;
    size_t nfiles = 0, nsyn = 0, nrules = 0;
    collect(NANO_DIR, &files, &nfiles);
    ck_assert_uint_ge(nfiles, 40);
    for (size_t i = 0; i < nfiles; i++) {
        struct syn_set *set = syn_set_new();
        bool ok = nanorc_load_file(set, files[i], NANORC_SYNTAX_FILE, false);
        ck_assert_msg(ok && syn_set_message_count(set) == 0, "%s: %s", files[i],
                      syn_set_message_count(set) ? syn_set_message(set, 0) : "not used");
        ck_assert_uint_ge(syn_set_count(set), 1);
        for (size_t k = 0; k < syn_set_count(set); k++) {
            struct syn_syntax *syn = syn_set_nth(set, k);
            size_t n;
            syn_rules(syn, &n);
            /* glibc compiles every regex of nano's files (\<, \>, \b, \s, \`, ...) */
            size_t usable = syn_compile(set, syn);
            ck_assert_msg(usable == n, "%s: syntax %s: %zu of %zu rules usable: %s", files[i],
                          syn_name(syn), usable, n,
                          syn_set_message_count(set) ? syn_set_message(set, 0) : "");
            nrules += n;
        }
        nsyn += syn_set_count(set);
        syn_set_free(set);
        free(files[i]);
    }
    free(files);
    fprintf(stderr, "check_app_syntax: %zu files in %s, %zu syntaxes, %zu rules: all parse "
            "and compile\n", nfiles, NANO_DIR, nsyn, nrules);
}
END_TEST

START_TEST(test_nanorc__system_glob_facts)
{
    struct syn_set *set = syn_set_new();
    ck_assert_uint_ge(nanorc_load_glob(set, NANORC_SYSTEM_GLOB, NANORC_SYNTAX_FILE), 40);
    ck_assert_uint_eq(syn_set_message_count(set), 0);
    struct syn_syntax *c = syn_set_find(set, "c");
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(syn_comment(c), "//");
    ck_assert_uint_eq(syn_regions(c), 2); /* preprocessor continuation, block comment */
    struct syn_syntax *css = syn_set_find(set, "css");
    ck_assert_ptr_nonnull(css);
    ck_assert_str_eq(syn_comment(css), "/*|*/");
    struct syn_syntax *json = syn_set_find(set, "json");
    ck_assert_ptr_nonnull(json);
    ck_assert_str_eq(syn_comment(json), "");
    struct syn_syntax *yaml = syn_set_find(set, "yaml");
    ck_assert_ptr_nonnull(yaml);
    ck_assert_str_eq(syn_tabgives(yaml), "  ");
    ck_assert_ptr_null(syn_tabgives(c));
    ck_assert_ptr_nonnull(syn_set_find(set, "haskell")); /* quoted name */
    /* lazy: nothing compiled until asked */
    size_t n;
    const struct syn_rule *r = syn_rules(c, &n);
    ck_assert(n > 10 && !r[0].compiled);
    syn_set_free(set);
}
END_TEST

START_TEST(test_nanorc__choose)
{
    struct syn_set *set = syn_set_new();
    nanorc_load_glob(set, NANORC_SYSTEM_GLOB, NANORC_SYNTAX_FILE);
    struct { const char *path, *first, *want; } cases[] = {
        { "/src/weft/core/doc.c", "", "c" },
        { "/src/weft/core/doc.h", "", "c" },
        { "/src/x.py", "", "python" },
        { "/src/README.md", "", "markdown" },
        { "/src/Makefile", "", "makefile" },
        { "/src/Makefile.am", "", "makefile" },
        { "/src/setup", "#!/usr/bin/env bash", "sh" },       /* by header */
        { "/src/tool", "#!/usr/bin/python3", "python" },       /* by header */
        { "/etc/apt/sources.list", "deb http://x y", "sources.list" }, /* a path regex */
        { "/src/notes.txt", "hello", "default" },
        { "/src/x.c", "#!/bin/sh", "c" },                      /* name before header */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct syn_syntax *s = syn_set_choose(set, cases[i].path, cases[i].first,
                                              strlen(cases[i].first));
        ck_assert_msg(s && strcmp(syn_name(s), cases[i].want) == 0, "%s: %s, want %s",
                      cases[i].path, s ? syn_name(s) : "none", cases[i].want);
    }
    ck_assert_uint_eq(syn_set_message_count(set), 0);
    syn_set_free(set);
    /* no syntaxes: none */
    set = syn_set_new();
    ck_assert_ptr_null(syn_set_choose(set, "/x.c", "", 0));
    syn_set_free(set);
}
END_TEST

/* --- crafted inputs ----------------------------------------------------------------------- */

static struct syn_set *parse_str(const char *text, bool want_ok)
{
    struct syn_set *set = syn_set_new();
    bool ok = nanorc_parse(set, "test.nanorc", text, strlen(text), NANORC_SYNTAX_FILE);
    ck_assert_msg(ok == want_ok, "parse gave %d: %s", ok,
                  syn_set_message_count(set) ? syn_set_message(set, 0) : "(no message)");
    return set;
}

/* The file is skipped, with one message naming line `line` and holding `why`. */
static void expect_skipped(const char *text, unsigned line, const char *why)
{
    struct syn_set *set = parse_str(text, false);
    ck_assert_uint_eq(syn_set_count(set), 0);
    ck_assert_uint_eq(syn_set_message_count(set), 1);
    const char *m = syn_set_message(set, 0);
    char where[64];
    snprintf(where, sizeof where, "test.nanorc line %u: ", line);
    ck_assert_msg(strstr(m, where) && strstr(m, why), "message \"%s\" lacks \"%s\" / \"%s\"",
                  m, where, why);
    ck_assert_msg(strstr(m, "No syntax from this file is used"), "%s", m);
    syn_set_free(set);
}

START_TEST(test_nanorc__good_crafted)
{
    struct syn_set *set = parse_str(
        "# a comment\n"
        "   \n"
        "syntax \"demo\" \"\\.demo$\" \"\\.dm$\"\r\n"
        "header \"^#!demo\"\n"
        "magic \"Demo text\"\n"
        "comment \"--\"\n"
        "tabgives \"  \"\n"
        "linter demo --check\n"
        "formatter demo --fmt\n"
        "color brightred \"\\<(if|then)\\>\" \"x[\"]y\"\n"
        "icolor green \"select\"\n"
        "color ,green \"[[:space:]]+$\"\n"
        "color cyan start=\"\\(\\*\" end=\"\\*\\)\"\n"
        "color cyan start=\"/\\*\" end=\"\\*/\" \"//.*\"\n"
        "color brightyellow \"\"([^\"]|\\\\\")*\"\"\n"
        "syntax other \"\\.oth$\"\n"
        "color red \"o\"\n"
        "extendsyntax demo color blue \"extra\"\n"
        "extendsyntax demo comment \"#\"\n"
        "extendsyntax demo header \"^demo-header\"\n", true);
    ck_assert_uint_eq(syn_set_count(set), 2);
    struct syn_syntax *d = syn_set_find(set, "demo");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(syn_comment(d), "#");
    ck_assert_str_eq(syn_tabgives(d), "  ");
    ck_assert_str_eq(syn_origin(d), "test.nanorc");
    ck_assert_uint_eq(syn_line(d), 3);
    size_t n;
    const struct syn_rule *r = syn_rules(d, &n);
    /* 2 + 1 + (background only: none) + 1 + 2 + 1 + the extension */
    ck_assert_uint_eq(n, 8);
    ck_assert_str_eq(r[0].start, "\\<(if|then)\\>");
    ck_assert_str_eq(r[1].start, "x[\"]y");
    ck_assert(r[2].icase && !r[0].icase);
    ck_assert_str_eq(r[3].start, "\\(\\*");
    ck_assert_str_eq(r[3].end, "\\*\\)");
    ck_assert_uint_eq(r[3].region, 0);
    ck_assert_uint_eq(r[4].region, 1);
    ck_assert_ptr_null(r[5].end);
    ck_assert_str_eq(r[6].start, "\"([^\"]|\\\\\")*\"");
    ck_assert_str_eq(r[7].start, "extra");
    ck_assert_uint_eq(r[7].line, 18);
    ck_assert_uint_eq(syn_regions(d), 2);
    ck_assert_uint_eq(syn_compile(set, d), 8);
    ck_assert_ptr_eq(syn_set_choose(set, "/a/b.dm", "", 0), d);
    ck_assert_ptr_eq(syn_set_choose(set, "/a/b", "#!demo", 6), d);
    ck_assert_ptr_eq(syn_set_choose(set, "/a/b", "demo-header x", 13), d);
    ck_assert_ptr_eq(syn_set_choose(set, "/a/b.oth", "", 0), syn_set_find(set, "other"));
    ck_assert_ptr_null(syn_set_choose(set, "/a/b.txt", "plain", 5));
    ck_assert_uint_eq(syn_set_message_count(set), 0);
    syn_set_free(set);
}
END_TEST

START_TEST(test_nanorc__bad_lines_skip_the_file)
{
    const char *good = "syntax good \"\\.g$\"\ncolor red \"x\"\n";
    char buf[512];
    struct { const char *line, *why; } cases[] = {
        { "color red \"unterminated", "no closing double quote" },
        { "color red unquoted", "must be in double quotes" },
        { "color red \"\"", "is empty" },
        { "color reddish \"x\"", "not one nano knows" },
        { "color red", "needs a regex after its colour" },
        { "color \"x\"", "needs a colour" },
        { "color red start=\"a\"", "needs an end= regex" },
        { "color red start=\"a\" end=\"b", "no closing double quote" },
        { "color red start=a end=\"b\"", "must be in double quotes" },
        { "syntax", "needs a name" },
        { "syntax none \"x\"", "reserved" },
        { "syntax default \"\\.x$\"", "takes no file-name regexes" },
        { "syntax x \"\\.x$\" unquoted", "must be in double quotes" },
        { "frobnicate \"x\"", "not a command of nano's syntax files" },
        { "set tabsize 4", "not a command of nano's syntax files" },
        { "include \"/etc/x.nanorc\"", "only allowed in a nanorc" },
        { "extendsyntax nosuch color red \"x\"", "no syntax \"nosuch\" to extend" },
        { "extendsyntax good syntax x", "cannot extend with 'syntax'" },
        { "extendsyntax good", "needs a syntax name and a command" },
        { "comment", "needs an argument" },
        { "comment \"abc", "has no closing double quote" },
        { "header", "needs a regex" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* the bad line comes after a good syntax: all or nothing */
        snprintf(buf, sizeof buf, "%s%s\ncolor blue \"y\"\n", good, cases[i].line);
        expect_skipped(buf, 3, cases[i].why);
    }
    expect_skipped("color red \"x\"\n", 1, "needs a 'syntax' line before it");
    expect_skipped("header \"x\"\n", 1, "needs a 'syntax' line before it");
    expect_skipped("syntax default\nheader \"x\"\n", 2, "takes no 'header' regexes");
    /* several bad lines: the first is named, the others counted */
    struct syn_set *set = parse_str("syntax a\ncolor red \"x\nbogus\ncolor zzz \"q\"\n", false);
    ck_assert_msg(strstr(syn_set_message(set, 0), "line 2:") &&
                  strstr(syn_set_message(set, 0), "and 2 more bad lines"), "%s",
                  syn_set_message(set, 0));
    syn_set_free(set);
}
END_TEST

START_TEST(test_nanorc__bad_regex_disables_one_rule)
{
    struct syn_set *set = parse_str("syntax r \"(\\.r$\"\n"
                                    "color red \"a(\"\n"
                                    "color green \"ok\"\n"
                                    "color blue start=\"s\" end=\"[\"\n", true);
    struct syn_syntax *s = syn_set_find(set, "r");
    ck_assert_uint_eq(syn_set_message_count(set), 0); /* lazily: nothing compiled yet */
    ck_assert_uint_eq(syn_compile(set, s), 1);
    ck_assert_uint_eq(syn_set_message_count(set), 2);
    ck_assert_msg(strstr(syn_set_message(set, 0), "test.nanorc line 2: the regex \"a(\"") &&
                  strstr(syn_set_message(set, 0), "not valid"), "%s", syn_set_message(set, 0));
    ck_assert_msg(strstr(syn_set_message(set, 1), "line 4"), "%s", syn_set_message(set, 1));
    size_t n;
    const struct syn_rule *r = syn_rules(s, &n);
    ck_assert(!r[0].usable && r[1].usable && !r[2].usable);
    ck_assert_uint_eq(syn_compile(set, s), 1); /* again: no new messages */
    ck_assert_uint_eq(syn_set_message_count(set), 2);
    /* the bad file-name regex: one message, the syntax is not chosen by name */
    ck_assert_ptr_null(syn_set_choose(set, "/x.r", "", 0));
    ck_assert_uint_eq(syn_set_message_count(set), 3);
    ck_assert_msg(strstr(syn_set_message(set, 2), "file-name regex"), "%s",
                  syn_set_message(set, 2));
    ck_assert_ptr_null(syn_set_choose(set, "/x.r", "", 0));
    ck_assert_uint_eq(syn_set_message_count(set), 3);
    syn_set_free(set);
}
END_TEST

START_TEST(test_nanorc__huge_and_binary)
{
    /* a huge line (500 KB regex) parses; a file over the limit is skipped */
    size_t big = 500000;
    char *text = malloc(big + 64);
    int k = sprintf(text, "syntax big\ncolor red \"");
    memset(text + k, 'a', big);
    strcpy(text + k + big, "\"\n");
    struct syn_set *set = parse_str(text, true);
    size_t n;
    ck_assert_uint_eq(strlen(syn_rules(syn_set_find(set, "big"), &n)[0].start), big);
    syn_set_free(set);
    char *dir = wt_tmpdir_new("syntax");
    char *huge = malloc(NANORC_MAX_BYTES + 10);
    memset(huge, '#', NANORC_MAX_BYTES + 10);
    huge[NANORC_MAX_BYTES + 9] = '\n';
    wt_tmpdir_put(dir, "huge.nanorc", huge, NANORC_MAX_BYTES + 10);
    char *p = wt_tmpdir_path(dir, "huge.nanorc");
    set = syn_set_new();
    ck_assert(!nanorc_load_file(set, p, NANORC_SYNTAX_FILE, false));
    ck_assert_msg(strstr(syn_set_message(set, 0), "too large"), "%s", syn_set_message(set, 0));
    syn_set_free(set);
    free(p);
    /* a directory and a missing file */
    set = syn_set_new();
    ck_assert(!nanorc_load_file(set, dir, NANORC_SYNTAX_FILE, false));
    ck_assert_msg(strstr(syn_set_message(set, 0), "not a regular file"), "%s",
                  syn_set_message(set, 0));
    p = wt_tmpdir_path(dir, "missing.nanorc");
    ck_assert(!nanorc_load_file(set, p, NANORC_SYNTAX_FILE, false));
    ck_assert_msg(strstr(syn_set_message(set, 1), "No such file"), "%s",
                  syn_set_message(set, 1));
    ck_assert(!nanorc_load_file(set, p, NANORC_SYNTAX_FILE, true));
    ck_assert_uint_eq(syn_set_message_count(set), 2);
    syn_set_free(set);
    free(p);
    /* binary junk: skipped, never a crash */
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("check_app_syntax binary"));
    for (int round = 0; round < 200; round++) {
        size_t len = 1 + wt_rng_below(&rng, 4096);
        for (size_t i = 0; i < len; i++)
            huge[i] = (char)wt_rng_below(&rng, 256);
        huge[wt_rng_below(&rng, (uint32_t)len)] = '\0';
        set = syn_set_new();
        ck_assert(!nanorc_parse(set, "junk", huge, len, NANORC_SYNTAX_FILE));
        ck_assert_uint_eq(syn_set_count(set), 0);
        ck_assert_uint_eq(syn_set_message_count(set), 1);
        syn_set_free(set);
    }
    free(huge);
    free(text);
    wt_tmpdir_free(dir);
}
END_TEST

/* Mutations of nano's C syntax (bytes replaced, lines cut, quotes removed): the parser
 * either uses the file or skips it with one message, and compiling what it kept never
 * fails the program. */
START_TEST(test_nanorc__mutations)
{
    char *c;
    size_t n;
    ck_assert_int_eq(wt_read_file(NANO_DIR "/c.nanorc", &c, &n), 0);
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("check_app_syntax mutations"));
    char *m = malloc(n + 1);
    int used = 0;
    for (int round = 0; round < 400; round++) {
        memcpy(m, c, n);
        size_t len = n;
        int edits = 1 + (int)wt_rng_below(&rng, 4);
        for (int e = 0; e < edits; e++) {
            size_t at = wt_rng_below(&rng, (uint32_t)len);
            static const char pool[] = "\"\\ =,#\n\t()[]*+{}";
            switch (wt_rng_below(&rng, 3)) {
            case 0: m[at] = pool[wt_rng_below(&rng, sizeof pool - 1)]; break;
            case 1: m[at] = (char)wt_rng_below(&rng, 256); break;
            default: len = at; break;
            }
        }
        struct syn_set *set = syn_set_new();
        bool ok = nanorc_parse(set, "mutant", m, len, NANORC_SYNTAX_FILE);
        ck_assert_uint_eq(syn_set_message_count(set), ok ? 0 : 1);
        for (size_t i = 0; i < syn_set_count(set); i++)
            syn_compile(set, syn_set_nth(set, i));
        syn_set_choose(set, "/x.c", m, len < 80 ? len : 80);
        used += ok;
        syn_set_free(set);
    }
    ck_assert_int_gt(used, 0);
    free(m);
    free(c);
}
END_TEST

START_TEST(test_nanorc__message_cap)
{
    struct syn_set *set = syn_set_new();
    for (int i = 0; i < SYN_MAX_MESSAGES + 10; i++)
        ck_assert(!nanorc_parse(set, "bad", "bogus\n", 6, NANORC_SYNTAX_FILE));
    ck_assert_uint_eq(syn_set_message_count(set), SYN_MAX_MESSAGES);
    const char *last = syn_set_message(set, SYN_MAX_MESSAGES - 1);
    ck_assert_msg(strstr(last, "and 11 more problems with syntax files"), "%s", last);
    syn_set_free(set);
}
END_TEST

START_TEST(test_nanorc__region_limit)
{
    size_t cap = 80 * (SYN_MAX_REGIONS + 2);
    char *text = malloc(cap);
    int k = sprintf(text, "syntax many\n");
    for (int i = 0; i < SYN_MAX_REGIONS + 1; i++)
        k += sprintf(text + k, "color red start=\"a%d\" end=\"b\"\n", i);
    struct syn_set *set = parse_str(text, true);
    ck_assert_uint_eq(syn_regions(syn_set_find(set, "many")), SYN_MAX_REGIONS);
    ck_assert_uint_eq(syn_set_message_count(set), 1);
    ck_assert_msg(strstr(syn_set_message(set, 0), "more than 64"), "%s",
                  syn_set_message(set, 0));
    syn_set_free(set);
    free(text);
}
END_TEST

/* --- includes and the loading order ------------------------------------------------------- */

START_TEST(test_nanorc__rc_includes_and_order)
{
    char *dir = wt_tmpdir_new("syntax");
    wt_tmpdir_puts(dir, "inc/one.nanorc", "syntax one \"\\.one$\"\ncolor red \"1\"\n");
    wt_tmpdir_puts(dir, "inc/two.nanorc", "syntax two \"\\.two$\"\ncolor red \"2\"\n");
    wt_tmpdir_puts(dir, "inc/bad.nanorc", "syntax bad\ncolor red \"x\n");
    wt_tmpdir_puts(dir, "inc/nest.nanorc", "include \"/nowhere\"\n");
    wt_tmpdir_puts(dir, "home/.nanorc",
                   "set tabsize 4\n"
                   "bind ^S savefile main\n"
                   "include \"~/../inc/*.nanorc\"\n"
                   "include \"~/../inc/one.nanorc\"\n" /* again: read once */
                   "extendsyntax one color blue \"more\"\n"
                   "syntax mine \"\\.mine$\"\n"
                   "color green \"m\"\n"
                   "include \"~/../nothing/*.nanorc\"\n");
    /* the user's weft syntaxes come last: they win a file both claim */
    wt_tmpdir_puts(dir, "config/weft/syntax/c.nanorc", "syntax myc \"\\.c$\"\ncolor red \"q\"\n");
    char *home = wt_tmpdir_path(dir, "home");
    char *config = wt_tmpdir_path(dir, "config");
    setenv("HOME", home, 1);
    setenv("XDG_CONFIG_HOME", config, 1);
    struct syn_set *set = syn_set_new();
    nanorc_load_standard(set);
    ck_assert_ptr_nonnull(syn_set_find(set, "c")); /* nano's */
    ck_assert_ptr_nonnull(syn_set_find(set, "one"));
    ck_assert_ptr_nonnull(syn_set_find(set, "two"));
    ck_assert_ptr_null(syn_set_find(set, "bad"));
    ck_assert_ptr_nonnull(syn_set_find(set, "mine"));
    size_t n;
    syn_rules(syn_set_find(set, "one"), &n);
    ck_assert_uint_eq(n, 2); /* its own rule and the extension, once */
    ck_assert_str_eq(syn_name(syn_set_choose(set, "/x/y.c", "", 0)), "myc");
    ck_assert_str_eq(syn_name(syn_set_choose(set, "/x/y.h", "", 0)), "c");
    /* two messages: bad.nanorc, and nest.nanorc (include is not for syntax files) */
    ck_assert_uint_eq(syn_set_message_count(set), 2);
    ck_assert_msg(strstr(syn_set_message(set, 0), "bad.nanorc line 2"), "%s",
                  syn_set_message(set, 0));
    ck_assert_msg(strstr(syn_set_message(set, 1), "nest.nanorc line 1"), "%s",
                  syn_set_message(set, 1));
    syn_set_free(set);
    /* without ~/.nanorc, $XDG_CONFIG_HOME/nano/nanorc is read */
    char *rc = wt_tmpdir_path(dir, "home/.nanorc");
    ck_assert_int_eq(unlink(rc), 0);
    wt_tmpdir_puts(dir, "config/nano/nanorc", "include \"~/../inc/two.nanorc\"\n");
    set = syn_set_new();
    nanorc_load_standard(set);
    ck_assert_ptr_nonnull(syn_set_find(set, "two"));
    ck_assert_ptr_null(syn_set_find(set, "one"));
    syn_set_free(set);
    /* no HOME: no nanorc, but $XDG_CONFIG_HOME/weft/syntax still */
    unsetenv("HOME");
    set = syn_set_new();
    nanorc_load_standard(set);
    ck_assert_ptr_nonnull(syn_set_find(set, "myc"));
    ck_assert_ptr_null(syn_set_find(set, "two"));
    syn_set_free(set);
    /* neither: nano's files only */
    unsetenv("XDG_CONFIG_HOME");
    set = syn_set_new();
    nanorc_load_standard(set);
    ck_assert_ptr_nonnull(syn_set_find(set, "c"));
    ck_assert_ptr_null(syn_set_find(set, "myc"));
    syn_set_free(set);
    free(rc);
    free(home);
    free(config);
    wt_tmpdir_free(dir);
}
END_TEST

static Suite *syntax_suite(void)
{
    Suite *s = suite_create("app_syntax");
    TCase *tc = tcase_create("colour");
    tcase_add_test(tc, test_colour__names);
    tcase_add_test(tc, test_colour__bad);
    tcase_add_test(tc, test_colour__mappings);
    suite_add_tcase(s, tc);
    tc = tcase_create("nano");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_nanorc__every_nano_file);
    tcase_add_test(tc, test_nanorc__system_glob_facts);
    tcase_add_test(tc, test_nanorc__choose);
    suite_add_tcase(s, tc);
    tc = tcase_create("crafted");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_nanorc__good_crafted);
    tcase_add_test(tc, test_nanorc__bad_lines_skip_the_file);
    tcase_add_test(tc, test_nanorc__bad_regex_disables_one_rule);
    tcase_add_test(tc, test_nanorc__huge_and_binary);
    tcase_add_test(tc, test_nanorc__mutations);
    tcase_add_test(tc, test_nanorc__message_cap);
    tcase_add_test(tc, test_nanorc__region_limit);
    suite_add_tcase(s, tc);
    tc = tcase_create("loading");
    tcase_add_test(tc, test_nanorc__rc_includes_and_order);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(syntax_suite());
}
