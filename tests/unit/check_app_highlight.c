/* Tests of app/editor/highlight.c: spans of nano's own C, Python, shell and Markdown
 * syntaxes (as nano 7.2's files colour them: the expected lines are written
 * "[colour:text]"), painting order and regions on crafted syntaxes, a comment opened far
 * above the drawn line (within the scan cap: exact; beyond it: estimated, then made exact by
 * the idle catch-up), invalidation after edits that open and close a comment, windows on
 * long lines, and a random comparison of a highlighter that is edited and invalidated
 * against a fresh one (WEFT_SEED=N replays). */
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/highlight.h"
#include "app/editor/nanorc.h"
#include "tests/common/testutil.h"

static struct syn_set *nano;

static void load_nano(void)
{
    setlocale(LC_ALL, "C.UTF-8"); /* as the editor runs */
    nano = syn_set_new();
    nanorc_load_glob(nano, NANORC_SYSTEM_GLOB, NANORC_SYNTAX_FILE);
    ck_assert_msg(syn_set_find(nano, "c"), "nano's syntax files are missing (install nano; "
                  "scripts/setup does)");
}

static void free_nano(void)
{
    syn_set_free(nano);
    nano = NULL;
}

static struct hl *nano_hl(const char *name)
{
    struct syn_syntax *syn = syn_set_find(nano, name);
    ck_assert_msg(syn, "nano has no syntax %s", name);
    return hl_new(nano, syn);
}

static wf_doc *doc_of(const char *text)
{
    wf_doc *doc = wf_doc_new(7);
    size_t n = strlen(text);
    char *copy = malloc(n + 1);
    memcpy(copy, text, n + 1);
    ck_assert_int_eq(wf_doc_load(doc, copy, n), 0);
    return doc;
}

/* A name for a style: nano's (brightred = light red and bold), xN for 256-colour ones. */
static void label(syn_style s, char *out, size_t size)
{
    static const char *const names[8] = { "black", "red",     "green", "yellow",
                                          "blue",  "magenta", "cyan",  "white" };
    int a = syn_style_xterm(s);
    bool bold = syn_style_is_bold(s);
    if (a < 0)
        snprintf(out, size, "normal%s", bold ? "+b" : "");
    else if (a >= 8 && a < 16)
        snprintf(out, size, "%s%s", bold ? "bright" : "light", names[a - 8]);
    else if (a < 8)
        snprintf(out, size, "%s%s", names[a], bold ? "+b" : "");
    else
        snprintf(out, size, "x%d%s", a, bold ? "+b" : "");
    if (syn_style_is_italic(s))
        strncat(out, "+i", size - strlen(out) - 1);
}

/* Line `line` of doc with its spans as "[colour:text]". A new string; free with free(). */
static char *render_window(struct hl *hl, const wf_doc *doc, size_t line, size_t lo,
                           size_t hi)
{
    size_t n, len;
    const struct hl_span *sp = hl_line(hl, doc, line, lo, hi, &n);
    size_t s0 = wf_doc_line_start(doc, line);
    size_t s1 = wf_doc_line_start(doc, line + 1);
    char *t = wf_doc_text(doc, s0, (s1 == WF_NOPOS ? wf_doc_len(doc) : s1) - s0, &len);
    if (len && t[len - 1] == '\n' && --len && t[len - 1] == '\r')
        len--; /* as text_line(): the content ends before one CR LF or LF */
    size_t cap = len * 2 + n * 40 + 1, k = 0, at = 0;
    char *out = malloc(cap);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(sp[i].start >= at && sp[i].end > sp[i].start && sp[i].end <= len,
                      "line %zu: bad span [%zu,%zu) after %zu (len %zu)", line, sp[i].start,
                      sp[i].end, at, len);
        char lab[32];
        label(sp[i].style, lab, sizeof lab);
        k += (size_t)snprintf(out + k, cap - k, "%.*s[%s:%.*s]", (int)(sp[i].start - at),
                              t + at, lab, (int)(sp[i].end - sp[i].start), t + sp[i].start);
        at = sp[i].end;
    }
    snprintf(out + k, cap - k, "%.*s", (int)(len - at), t + at);
    free(t);
    return out;
}

static char *render(struct hl *hl, const wf_doc *doc, size_t line)
{
    return render_window(hl, doc, line, 0, SIZE_MAX);
}

#define expect_line(hl, doc, line, want) expect_line_at((hl), (doc), (line), (want), __LINE__)
static void expect_line_at(struct hl *hl, const wf_doc *doc, size_t line, const char *want,
                           int where)
{
    char *got = render(hl, doc, line);
    ck_assert_msg(strcmp(got, want) == 0, "line %d: line %zu:\n got: %s\nwant: %s", where, line,
                  got, want);
    free(got);
}

/* Every line of text through a fresh highlighter of nano's syntax `name`. */
static void expect_lines(const char *name, const char *text, const char *const *want,
                         size_t n)
{
    wf_doc *doc = doc_of(text);
    struct hl *hl = nano_hl(name);
    for (size_t i = 0; i < n; i++)
        expect_line(hl, doc, i, want[i]);
    ck_assert(hl_last_exact(hl));
    hl_free(hl);
    wf_doc_free(doc);
}

/* --- nano's syntaxes ---------------------------------------------------------------------- */

START_TEST(test_hl__c)
{
    const char *text =
        "#include <stdio.h>\n"
        "#define MAX 10 // the most\n"
        "static int count(const char *s)\n"
        "{\n"
        "    if (s == NULL)\n"
        "        return 0; /* none */\n"
        "    char c = '\\n';\n"
        "    printf(\"%d\\n\", MAX); /* spans\n"
        "      two lines */ goto out;\n"
        "    size_t n = sizeof(uint32_t); // TODO\n"
        "}\n";
    const char *const want[] = {
        "[brightcyan:#include][brightyellow: <stdio.h>]",
        "[brightcyan:#define] [brightred:MAX] 10 [brightblue:// the most]",
        "[green:static] [green:int] count([green:const] [green:char] *s)",
        "{",
        "    [brightyellow:if] (s == [brightred:NULL])",
        "        [magenta:return] 0; [brightblue:/* none */]",
        "    [green:char] c = [brightmagenta:'\\n'];",
        "    printf([brightyellow:\"%d\\n\"], [brightred:MAX]); [brightblue:/* spans]",
        "[brightblue:      two lines */] [magenta:goto] out;",
        ("    [green:size_t] n = [green:sizeof]([green:uint32_t]); "
         "[brightblue:// ][brightwhite:TODO]"),
        "}",
    };
    expect_lines("c", text, want, sizeof want / sizeof want[0]);
}
END_TEST

START_TEST(test_hl__python)
{
    const char *text =
        "def area(r):\n"
        "    \"\"\"The area,\n"
        "    of a circle.\"\"\"\n"
        "    return None  # not yet\n"
        "s = 'it\\'s' + \"x\"\n"
        "if x and not y: pass\n";
    const char *const want[] = {
        "[brightcyan:def][brightblue: area](r):",
        "    [brightgreen:\"\"\"The area,]",
        "[brightgreen:    of a circle.\"\"\"]",
        "    [brightcyan:return] [brightmagenta:None] [brightred: # not yet]",
        "s = [brightgreen:'it][x148:\\'][brightgreen:s'] + [brightgreen:\"x\"]",
        "[brightcyan:if] x [brightcyan:and] [brightcyan:not] y: [brightcyan:pass]",
    };
    expect_lines("python", text, want, sizeof want / sizeof want[0]);
}
END_TEST

START_TEST(test_hl__shell)
{
    const char *text =
        "#!/bin/sh\n"
        "greet() {\n"
        "    if [ -n \"$1\" ]; then echo \"hi $1\"; fi # say it\n"
        "    local n=${#x}\n"
        "}\n";
    const char *const want[] = {
        "[cyan:#!/bin/sh]",
        "[brightgreen:greet][green:()] [green:{]", /* the later rule paints "()" */
        "    [green:if] [green:[][brightmagenta: -n] [brightyellow:\"$1\"] [green:];] "
        "[green:then] [brightblue:echo] [brightyellow:\"hi $1\"][green:;] [green:fi]"
        "[cyan: # say it]",
        "    [green:local] n[green:=][brightred:${#x}]",
        "[green:}]",
    };
    expect_lines("sh", text, want, sizeof want / sizeof want[0]);
}
END_TEST

START_TEST(test_hl__markdown)
{
    const char *text =
        "# Title\n"
        "Some **bold** and `code` and [a link](http://x).\n"
        "> quoted\n"
        "- item\n"
        "```\n"
        "int x;\n"
        "```\n"
        "after\n";
    const char *const want[] = {
        "[brightyellow:# Title]",
        ("Some [brightgreen:**bold**] and [brightcyan:`code`] and "
         "[brightmagenta:[a link]][brightblue:(http://x)]."),
        "[magenta:> quoted]",
        "[brightmagenta:- ]item",
        "[brightcyan:```]",
        "[brightcyan:int x;]",
        "[brightcyan:```]",
        "after",
    };
    expect_lines("markdown", text, want, sizeof want / sizeof want[0]);
}
END_TEST

/* A block comment opened thousands of lines above the first line drawn. */
START_TEST(test_hl__comment_far_above)
{
    size_t lines = 20000, cap = lines * 16 + 64, k = 0;
    char *text = malloc(cap);
    k += (size_t)snprintf(text + k, cap - k, "/* opened here\n");
    for (size_t i = 0; i < lines; i++)
        k += (size_t)snprintf(text + k, cap - k, "int x = %zu;\n", i % 10);
    snprintf(text + k, cap - k, "*/ int y;\n");
    wf_doc *doc = doc_of(text);
    struct hl *hl = nano_hl("c");
    /* the screen shows only the last lines: the state comes from a scan from the top */
    expect_line(hl, doc, lines + 1, "[brightblue:*/] [green:int] y;");
    ck_assert(hl_last_exact(hl));
    expect_line(hl, doc, lines, "[brightblue:int x = 9;]");
    expect_line(hl, doc, lines / 2, "[brightblue:int x = 9;]");
    /* an edit far above closes the comment: only invalidation, then the redraw is right */
    size_t at = wf_doc_line_start(doc, 1);
    ck_assert_int_eq(wf_doc_insert(doc, at, "*/\n", 3), 0);
    hl_invalidate(hl, 1);
    expect_line(hl, doc, lines + 2, "*/ [green:int] y;"); /* a lone end is no comment */
    expect_line(hl, doc, lines + 1, "[green:int] x = 9;");
    hl_free(hl);
    wf_doc_free(doc);
    free(text);
}
END_TEST

/* Beyond HL_SCAN_UNITS the state is estimated, and the catch-up makes it exact. */
START_TEST(test_hl__comment_beyond_the_cap)
{
    size_t lines = HL_SCAN_UNITS / 8, cap = lines * 16 + 64, k = 0; /* 11 bytes a line */
    char *text = malloc(cap);
    k += (size_t)snprintf(text + k, cap - k, "/* opened here\n");
    for (size_t i = 0; i < lines; i++)
        k += (size_t)snprintf(text + k, cap - k, "int x = %zu;\n", i % 10);
    snprintf(text + k, cap - k, "*/ int y;\n");
    wf_doc *doc = doc_of(text);
    struct hl *hl = nano_hl("c");
    char plain[64], comment[64];
    snprintf(plain, sizeof plain, "[green:int] x = %zu;", (lines - 1) % 10);
    snprintf(comment, sizeof comment, "[brightblue:int x = %zu;]", (lines - 1) % 10);
    expect_line(hl, doc, lines, plain); /* the estimate: nothing open */
    ck_assert(!hl_last_exact(hl));
    expect_line(hl, doc, lines + 1, "*/ [green:int] y;"); /* the next line follows it */
    ck_assert(!hl_last_exact(hl));
    ck_assert_uint_lt(hl_exact_lines(hl), lines / 2);
    int steps = 0;
    while (hl_catch_up(hl, doc, HL_SCAN_UNITS / 8))
        ck_assert_int_lt(++steps, 100);
    ck_assert_int_ge(steps, 8); /* bounded steps, not one long scan */
    ck_assert_uint_ge(hl_exact_lines(hl), lines + 2);
    expect_line(hl, doc, lines, comment);
    ck_assert(hl_last_exact(hl));
    expect_line(hl, doc, lines + 1, "[brightblue:*/] [green:int] y;");
    hl_free(hl);
    wf_doc_free(doc);
    free(text);
}
END_TEST

START_TEST(test_hl__invalidate_open_close)
{
    wf_doc *doc = doc_of("int a;\nint b;\nint c;\nint d;\n");
    struct hl *hl = nano_hl("c");
    for (size_t i = 0; i < 4; i++)
        free(render(hl, doc, i));
    ck_assert_int_eq(wf_doc_insert(doc, wf_doc_line_start(doc, 1), "/* ", 3), 0);
    hl_invalidate(hl, 1);
    expect_line(hl, doc, 0, "[green:int] a;");
    expect_line(hl, doc, 1, "[brightblue:/* int b;]");
    expect_line(hl, doc, 2, "[brightblue:int c;]");
    expect_line(hl, doc, 3, "[brightblue:int d;]");
    size_t end2 = wf_doc_line_start(doc, 3) - 1;
    ck_assert_int_eq(wf_doc_insert(doc, end2, " */", 3), 0);
    hl_invalidate(hl, 2);
    expect_line(hl, doc, 2, "[brightblue:int c; */]");
    expect_line(hl, doc, 3, "[green:int] d;");
    ck_assert_int_eq(wf_doc_delete(doc, wf_doc_line_start(doc, 1), 3), 0);
    hl_invalidate(hl, 1);
    expect_line(hl, doc, 1, "[green:int] b;");
    expect_line(hl, doc, 2, "[green:int] c; */");
    /* an edit at the top opens a comment that the end of line 2 closes */
    ck_assert_int_eq(wf_doc_insert(doc, 0, "/*", 2), 0);
    hl_invalidate(hl, 0);
    expect_line(hl, doc, 3, "[green:int] d;");
    expect_line(hl, doc, 2, "[brightblue:int c; */]");
    hl_free(hl);
    wf_doc_free(doc);
}
END_TEST

/* --- crafted syntaxes --------------------------------------------------------------------- */

static struct syn_set *crafted;

static struct hl *crafted_hl(const char *rules)
{
    syn_set_free(crafted);
    crafted = syn_set_new();
    ck_assert(nanorc_parse(crafted, "t.nanorc", rules, strlen(rules), NANORC_SYNTAX_FILE));
    struct syn_syntax *syn = syn_set_nth(crafted, 0);
    size_t n;
    syn_rules(syn, &n);
    ck_assert_uint_eq(syn_compile(crafted, syn), n);
    return hl_new(crafted, syn);
}

static void free_crafted(void)
{
    syn_set_free(crafted);
    crafted = NULL;
}

START_TEST(test_hl__order_and_normal)
{
    struct hl *hl = crafted_hl("syntax t\ncolor red \"abc\"\ncolor blue \"b\"\n"
                               "color normal \"c\"\ncolor bold,green \"z+\"\n");
    wf_doc *doc = doc_of("abc zz abcabc\n\nno\r\nz\r\n");
    expect_line(hl, doc, 0, "[red:a][blue:b]c [green+b:zz] [red:a][blue:b]c[red:a][blue:b]c");
    expect_line(hl, doc, 1, "");
    expect_line(hl, doc, 2, "no");
    expect_line(hl, doc, 3, "[green+b:z]");
    expect_line(hl, doc, 4, "");
    size_t n;
    hl_line(hl, doc, 99, 0, SIZE_MAX, &n); /* past the end */
    ck_assert_uint_eq(n, 0);
    hl_free(hl);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_hl__regions)
{
    struct hl *hl = crafted_hl("syntax t\ncolor green \"k\"\n"
                               "color red start=\"<\" end=\">\"\n"
                               "color blue start=\"\\{\" end=\"\\}\"\n"
                               "color cyan \"!\"\n");
    wf_doc *doc = doc_of("k<k>k<k>k\n"
                         "a<b{c\n"        /* both open, independently */
                         "d>e}f{\n"       /* both close; blue opens again */
                         "g\n"
                         "}<\n"
                         "!\n");
    expect_line(hl, doc, 0, "[green:k][red:<k>][green:k][red:<k>][green:k]");
    expect_line(hl, doc, 1, "a[red:<b][blue:{c]");
    expect_line(hl, doc, 2, "[blue:d>e}]f[blue:{]");
    expect_line(hl, doc, 3, "[blue:g]");
    expect_line(hl, doc, 4, "[blue:}][red:<]");
    expect_line(hl, doc, 5, "[cyan:!]"); /* a later rule paints over the open region */
    hl_free(hl);
    wf_doc_free(doc);
    /* zero-length matches and multibyte text: no endless loop, whole characters */
    hl = crafted_hl("syntax t\ncolor red \"a*\"\ncolor blue start=\"x*\" end=\"y*\"\n"
                    "color green \"é\"\n");
    doc = doc_of("ééaaé\n");
    expect_line(hl, doc, 0, "[green:éé][red:aa][green:é]");
    hl_free(hl);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_hl__anchors_and_words)
{
    /* glibc's GNU extensions that nano's files use: \< \> \b \s \w */
    struct hl *hl = crafted_hl("syntax t\ncolor red \"^x\"\ncolor blue \"y$\"\n"
                               "color green \"\\<w\\>\"\ncolor cyan \"\\bq\\b\"\n"
                               "color magenta \"=\\s\\w+\"\n");
    wf_doc *doc = doc_of("xxw w yy\r\nw\nqq q = ab\n");
    expect_line(hl, doc, 0, "[red:x]xw [green:w] y[blue:y]");
    expect_line(hl, doc, 1, "[green:w]");
    expect_line(hl, doc, 2, "qq [cyan:q] [magenta:= ab]");
    hl_free(hl);
    wf_doc_free(doc);
}
END_TEST

/* A line of n bytes: "<" at 10, 'x' to the end but "k" at n-50 and n-5. */
static char *long_line(size_t n)
{
    char *s = malloc(n + 8);
    memset(s, 'x', n);
    s[10] = '<';
    s[n - 50] = 'k';
    s[n - 5] = 'k';
    memcpy(s + n, "\nk\n", 4);
    return s;
}

START_TEST(test_hl__long_lines)
{
    struct hl *hl = crafted_hl("syntax t\ncolor green \"k\"\ncolor red start=\"<\" end=\">\"\n"
                               "color blue \"^x+\"\n");
    /* up to HL_FULL_LINE: regions exact, single-line rules in a window */
    size_t n = HL_FULL_LINE - 100;
    char *s = long_line(n);
    wf_doc *doc = doc_of(s);
    char *got = render_window(hl, doc, 0, n - 60, n);
    ck_assert(hl_last_exact(hl));
    size_t spans;
    const struct hl_span *sp = hl_line(hl, doc, 0, n - 60, n, &spans);
    ck_assert_uint_ge(sp[0].start, n - 60 - HL_MARGIN - 1);
    ck_assert_uint_eq(sp[spans - 1].end, n);
    ck_assert_uint_eq(spans, 1); /* inside the region; "^x+" cannot see the line start */
    ck_assert_int_eq(syn_style_xterm(sp[0].style), 1);
    free(got);
    expect_line(hl, doc, 1, "[red:k]"); /* the region stays open */
    wf_doc_free(doc);
    free(s);
    /* longer: the window's state is the line's start state, and it passes on unchanged */
    n = HL_FULL_LINE + 100;
    s = long_line(n);
    doc = doc_of(s);
    sp = hl_line(hl, doc, 0, n - 60, n, &spans);
    ck_assert(!hl_last_exact(hl));
    ck_assert_uint_eq(spans, 2);
    ck_assert_uint_eq(sp[0].start, n - 50);
    ck_assert_uint_eq(sp[1].start, n - 5);
    ck_assert_int_eq(syn_style_xterm(sp[0].style), 2);
    expect_line(hl, doc, 1, "[green:k]");
    ck_assert(hl_last_exact(hl));
    /* the start of the line, drawn: here the region is seen */
    sp = hl_line(hl, doc, 0, 0, 100, &spans);
    ck_assert_uint_eq(spans, 2);
    ck_assert_uint_eq(sp[0].end, 10);
    ck_assert_int_eq(syn_style_xterm(sp[0].style), 4); /* ^x+ */
    ck_assert_uint_eq(sp[1].start, 10);
    ck_assert_uint_le(sp[1].end, 100 + HL_MARGIN + 1);
    ck_assert_int_eq(syn_style_xterm(sp[1].style), 1);
    hl_free(hl);
    wf_doc_free(doc);
    free(s);
}
END_TEST

/* The window of a long line starts on a character boundary, with the context before it. */
START_TEST(test_hl__long_line_multibyte)
{
    struct hl *hl = crafted_hl("syntax t\ncolor green \"\\<é+\\>\"\ncolor red \"^a\"\n");
    size_t reps = HL_FULL_LINE; /* 2 bytes each: twice the limit */
    char *s = malloc(reps * 2 + 8);
    for (size_t i = 0; i < reps; i++)
        memcpy(s + 2 * i, i % 8 == 7 ? " \x61" : "\xc3\xa9", 2);
    strcpy(s + reps * 2, "\n");
    wf_doc *doc = doc_of(s);
    size_t n;
    const struct hl_span *sp = hl_line(hl, doc, 0, reps + 1, reps + 41, &n);
    ck_assert_uint_gt(n, 0);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(((unsigned char)s[sp[i].start] & 0xc0) != 0x80, "span in a character");
        ck_assert_int_eq(syn_style_xterm(sp[i].style), 2); /* "^a" never matches */
        ck_assert_int_eq(memcmp(s + sp[i].start, "\xc3\xa9", 2), 0);
    }
    hl_free(hl);
    wf_doc_free(doc);
    free(s);
}
END_TEST

START_TEST(test_hl__no_regions)
{
    struct hl *hl = crafted_hl("syntax t\ncolor red \"k\"\n");
    wf_doc *doc = doc_of("a\nk\n");
    expect_line(hl, doc, 1, "[red:k]");
    ck_assert(!hl_catch_up(hl, doc, 100));
    ck_assert(hl_last_exact(hl));
    ck_assert_uint_gt(hl_memory(hl), 0);
    hl_free(hl);
    wf_doc_free(doc);
}
END_TEST

/* Edits and invalidations, random windows and catch-ups, against a fresh highlighter. */
START_TEST(test_hl__random_against_fresh)
{
    static const char *const tokens[] = { "/*", "*/", "\"", "k", "x", "\n", "\n", " ",
                                          "\\", "é", "#if", "\r\n" };
    const char *rules = "syntax t\ncolor green \"k\"\n"
                        "color red start=\"/\\*\" end=\"\\*/\"\n"
                        "color blue start=\"\\\"\" end=\"\\\"\"\n"
                        "color cyan start=\"^#if\" end=\"[^\\\\]$\"\n"
                        "color yellow \"x+\"\n";
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("check_app_highlight random"));
    for (int round = 0; round < 30; round++) {
        struct hl *hl = crafted_hl(rules);
        wf_doc *doc = wf_doc_new(3);
        for (int step = 0; step < 150; step++) {
            size_t len = wf_doc_len(doc);
            size_t pos = wt_rng_below(&rng, (uint32_t)len + 1);
            size_t line = wf_doc_line_of(doc, pos);
            if (len > 0 && wt_rng_chance(&rng, 1, 3)) {
                size_t k = 1 + wt_rng_below(&rng, 6);
                if (pos + k > len)
                    k = len - pos;
                ck_assert_int_eq(wf_doc_delete(doc, pos, k), 0);
            } else {
                const char *t = tokens[wt_rng_below(&rng, sizeof tokens / sizeof tokens[0])];
                ck_assert_int_eq(wf_doc_insert(doc, pos, t, strlen(t)), 0);
            }
            hl_invalidate(hl, line);
            if (wt_rng_chance(&rng, 1, 4))
                hl_catch_up(hl, doc, 1 + wt_rng_below(&rng, 40));
            size_t lines = wf_doc_newlines(doc) + 1;
            size_t top = wt_rng_below(&rng, (uint32_t)lines);
            struct hl *fresh = hl_new(crafted, syn_set_nth(crafted, 0));
            for (size_t l = top; l < top + 8 && l < lines; l++) {
                char *a = render(hl, doc, l), *b = render(fresh, doc, l);
                ck_assert_msg(strcmp(a, b) == 0, "round %d step %d line %zu:\n cached: %s\n"
                              "  fresh: %s", round, step, l, a, b);
                free(a);
                free(b);
            }
            hl_free(fresh);
        }
        hl_free(hl);
        wf_doc_free(doc);
    }
}
END_TEST

static Suite *highlight_suite(void)
{
    Suite *s = suite_create("app_highlight");
    TCase *tc = tcase_create("nano");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, load_nano, free_nano);
    tcase_add_test(tc, test_hl__c);
    tcase_add_test(tc, test_hl__python);
    tcase_add_test(tc, test_hl__shell);
    tcase_add_test(tc, test_hl__markdown);
    tcase_add_test(tc, test_hl__comment_far_above);
    tcase_add_test(tc, test_hl__comment_beyond_the_cap);
    tcase_add_test(tc, test_hl__invalidate_open_close);
    suite_add_tcase(s, tc);
    tc = tcase_create("crafted");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, NULL, free_crafted);
    tcase_add_test(tc, test_hl__order_and_normal);
    tcase_add_test(tc, test_hl__regions);
    tcase_add_test(tc, test_hl__anchors_and_words);
    tcase_add_test(tc, test_hl__long_lines);
    tcase_add_test(tc, test_hl__long_line_multibyte);
    tcase_add_test(tc, test_hl__no_regions);
    tcase_add_test(tc, test_hl__random_against_fresh);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    return wt_run_suite(highlight_suite());
}
