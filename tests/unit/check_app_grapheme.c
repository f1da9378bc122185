/* The editor's grapheme clusters against Unicode's own test, GraphemeBreakTest.txt (Debian's
 * unicode-data package; scripts/setup installs it): every line of it, as the cells of
 * app/editor/layout.c (what is drawn as one, and what the cursor steps over) and as the cursor's
 * steps through a document (app/editor/text.c, forward and back). The file is required: without
 * it the test fails and says what to install, rather than pass having checked nothing.
 * WEFT_GRAPHEME_TEST names another copy of the file. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "app/editor/layout.h"
#include "app/editor/text.h"
#include "core/doc.h"

#define SYSTEM_FILE "/usr/share/unicode/auxiliary/GraphemeBreakTest.txt"
#define MAXCP 64

/* One test line: code points and, before each (and at the end), whether there is a break. */
struct case_line {
    int32_t cp[MAXCP];
    bool brk[MAXCP + 1]; /* brk[i]: a break before cp[i]; brk[n]: at the end */
    size_t n;
};

/* Parses "÷ 0020 × 0308 ÷ # comment"; false for a line without code points. */
static bool parse(char *line, struct case_line *t)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    t->n = 0;
    for (char *p = line; *p;) {
        if (!strncmp(p, "\xc3\xb7", 2) || !strncmp(p, "\xc3\x97", 2)) { /* ÷ or × */
            ck_assert_uint_le(t->n, MAXCP);
            t->brk[t->n] = p[1] == '\xb7';
            p += 2;
        } else if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            p++;
        } else {
            char *end;
            long cp = strtol(p, &end, 16);
            ck_assert_msg(end != p && cp >= 0 && cp <= 0x10ffff, "bad line: %s", line);
            ck_assert_uint_lt(t->n, MAXCP);
            t->cp[t->n++] = (int32_t)cp;
            p = end;
        }
    }
    return t->n > 0;
}

/* The line's text in UTF-8, and the byte offset of each code point (off[n] = the length). */
static size_t encode(const struct case_line *t, char *out, size_t *off)
{
    size_t len = 0;
    for (size_t i = 0; i < t->n; i++) {
        off[i] = len;
        len += (size_t)utf8proc_encode_char(t->cp[i], (utf8proc_uint8_t *)out + len);
    }
    off[t->n] = len;
    return len;
}

static void show(const struct case_line *t, const bool *got, char *out, size_t size)
{
    size_t used = 0;
    for (size_t i = 0; i <= t->n && used + 16 < size; i++) {
        used += (size_t)snprintf(out + used, size - used, "%s", got[i] ? "÷" : "×");
        if (i < t->n)
            used += (size_t)snprintf(out + used, size - used, " %04X ", (unsigned)t->cp[i]);
    }
}

/* Breaks as the layout's cells give them. */
static void cells_breaks(const char *s, size_t len, const size_t *off, size_t n, bool *got)
{
    memset(got, 0, (n + 1) * sizeof *got);
    struct layout l;
    struct cell c;
    layout_init(&l, s, len, LAYOUT_TABW);
    while (layout_next(&l, &c))
        for (size_t i = 0; i <= n; i++)
            if (off[i] == c.off)
                got[i] = true;
    got[n] = true;
}

/* Breaks as the cursor finds them in a document holding the line: steps forward from the
 * start (fwd) and back from the end (back), in units (here one per code point). */
static void cursor_breaks(const char *s, size_t len, size_t n, bool *fwd, bool *back)
{
    wf_doc *doc = wf_doc_new(1);
    char *copy = malloc(len ? len : 1);
    memcpy(copy, s, len);
    ck_assert_int_eq(wf_doc_load(doc, copy, len), 0);
    ck_assert_uint_eq(wf_doc_len(doc), n);
    memset(fwd, 0, (n + 1) * sizeof *fwd);
    memset(back, 0, (n + 1) * sizeof *back);
    fwd[0] = back[0] = true;
    for (size_t p = 0, k = 0; p < n && k <= n; k++) {
        size_t q = text_next_cluster(doc, p);
        ck_assert_uint_gt(q, p);
        fwd[q] = true;
        p = q;
    }
    for (size_t p = n, k = 0; p > 0 && k <= n; k++) {
        size_t q = text_prev_cluster(doc, p);
        ck_assert_uint_lt(q, p);
        back[q] = true;
        p = q;
    }
    back[n] = true;
    wf_doc_free(doc);
}

START_TEST(test_grapheme__every_line_of_the_unicode_test)
{
    const char *path = getenv("WEFT_GRAPHEME_TEST");
    if (!path || !*path)
        path = SYSTEM_FILE;
    FILE *f = fopen(path, "r");
    ck_assert_msg(f, "cannot read %s, Unicode's grapheme break test. Install it: apt-get "
                  "install unicode-data (scripts/setup does), or set WEFT_GRAPHEME_TEST to a "
                  "copy of GraphemeBreakTest.txt.", path);
    char line[4096], version[128] = "an unknown version";
    long lines = 0, bad = 0;
    char first_bad[2048] = "";
    while (fgets(line, sizeof line, f)) {
        if (!lines && !strncmp(line, "# GraphemeBreakTest-", 20))
            snprintf(version, sizeof version, "%.*s", (int)strcspn(line + 2, "\r\n"), line + 2);
        struct case_line t;
        char raw[sizeof line];
        snprintf(raw, sizeof raw, "%s", line);
        if (!parse(line, &t))
            continue;
        lines++;
        char s[MAXCP * 4];
        size_t off[MAXCP + 1];
        size_t len = encode(&t, s, off);
        bool cells[MAXCP + 1], fwd[MAXCP + 1], back[MAXCP + 1];
        cells_breaks(s, len, off, t.n, cells);
        cursor_breaks(s, len, t.n, fwd, back);
        const char *which = NULL;
        const bool *got = NULL;
        for (size_t i = 0; i <= t.n && !which; i++) {
            if (cells[i] != t.brk[i])
                which = "cells", got = cells;
            else if (fwd[i] != t.brk[i])
                which = "cursor forward", got = fwd;
            else if (back[i] != t.brk[i])
                which = "cursor back", got = back;
        }
        if (which && bad++ == 0) {
            char g[512];
            show(&t, got, g, sizeof g);
            snprintf(first_bad, sizeof first_bad, "%s: got %s for %.*s", which, g,
                     (int)strcspn(raw, "#\r\n"), raw);
        }
    }
    fclose(f);
    ck_assert_msg(lines >= 500, "%s holds only %ld test lines", path, lines);
    ck_assert_msg(bad == 0, "%ld of %ld lines of %s (%s) fail with utf8proc %s (Unicode %s); "
                  "the first: %s", bad, lines, path, version, utf8proc_version(),
                  utf8proc_unicode_version(), first_bad);
    fprintf(stderr, "grapheme: all %ld lines of %s (%s) pass, utf8proc %s (Unicode %s)\n",
            lines, path, version, utf8proc_version(), utf8proc_unicode_version());
}
END_TEST

static Suite *grapheme_suite(void)
{
    Suite *s = suite_create("app_grapheme");
    TCase *tc = tcase_create("unicode");
    tcase_add_test(tc, test_grapheme__every_line_of_the_unicode_test);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(grapheme_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
