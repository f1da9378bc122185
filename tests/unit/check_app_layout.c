/* Tests of app/editor/layout.c: grapheme clusters and display widths of one line. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "app/editor/layout.h"

#define MAXC 32

struct cells {
    struct cell c[MAXC];
    int n;
    size_t width;
};

static struct cells lay(const char *s, unsigned tabw)
{
    struct cells r;
    struct layout l;
    size_t n = strlen(s);
    size_t bytes = 0;
    memset(&r, 0, sizeof r);
    layout_init(&l, s, n, tabw);
    while (r.n < MAXC && layout_next(&l, &r.c[r.n])) {
        ck_assert_uint_eq(r.c[r.n].off, bytes); /* cells tile the line */
        bytes += r.c[r.n].len;
        r.n++;
    }
    ck_assert_uint_eq(bytes, n);
    r.width = l.col;
    return r;
}

static void expect_cell(const struct cells *r, int i, size_t col, unsigned width, size_t units,
                        int kind)
{
    ck_assert_int_lt(i, r->n);
    const struct cell *c = &r->c[i];
    ck_assert_msg(c->col == col && c->width == width && c->units == units && c->kind == kind,
                  "cell %d: col %zu width %u units %zu kind %d; want %zu %u %zu %d", i, c->col,
                  c->width, c->units, c->kind, col, width, units, kind);
}

static void expect_escape(const char *s, const char *want)
{
    struct cells r = lay(s, 8);
    char out[32];
    ck_assert_int_eq(r.n, 1);
    size_t n = layout_escape(s, &r.c[0], out, sizeof out);
    ck_assert_str_eq(out, want);
    ck_assert_uint_eq(n, r.c[0].width);
}

START_TEST(test_layout__ascii)
{
    struct cells r = lay("abc", 8);
    ck_assert_int_eq(r.n, 3);
    expect_cell(&r, 0, 0, 1, 1, CELL_TEXT);
    expect_cell(&r, 2, 2, 1, 1, CELL_TEXT);
    ck_assert_uint_eq(r.width, 3);
}
END_TEST

START_TEST(test_layout__cjk)
{
    struct cells r = lay("\xe4\xb8\xad\xe6\x96\x87x", 8); /* 中文x */
    ck_assert_int_eq(r.n, 3);
    expect_cell(&r, 0, 0, 2, 1, CELL_TEXT);
    expect_cell(&r, 1, 2, 2, 1, CELL_TEXT);
    expect_cell(&r, 2, 4, 1, 1, CELL_TEXT);
}
END_TEST

START_TEST(test_layout__emoji)
{
    struct cells r = lay("\xf0\x9f\x98\x80x", 8); /* 😀x */
    ck_assert_int_eq(r.n, 2);
    expect_cell(&r, 0, 0, 2, 1, CELL_TEXT);
    expect_cell(&r, 1, 2, 1, 1, CELL_TEXT);
    /* ❤ + VS16: emoji presentation, one cell of width 2 */
    r = lay("\xe2\x9d\xa4\xef\xb8\x8f" "a", 8);
    ck_assert_int_eq(r.n, 2);
    expect_cell(&r, 0, 0, 2, 2, CELL_TEXT);
    /* a flag: two regional indicators */
    r = lay("\xf0\x9f\x87\xab\xf0\x9f\x87\xb7", 8);
    ck_assert_int_eq(r.n, 1);
    expect_cell(&r, 0, 0, 2, 2, CELL_TEXT);
    /* man ZWJ woman ZWJ girl: one cluster */
    r = lay("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7", 8);
    ck_assert_int_eq(r.n, 1);
    expect_cell(&r, 0, 0, 2, 5, CELL_TEXT);
}
END_TEST

/* Emoji of several code points are one cell of two columns: a skin tone rides on its base,
 * a ZWJ sequence on its first emoji (also one that starts with a narrow pictograph made an
 * emoji by U+FE0F), a keycap; a spacing mark adds its column (as terminals draw it). */
START_TEST(test_layout__sequences_and_spacing_marks)
{
    struct cells r = lay("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd" "x", 8); /* thumbs up, medium */
    ck_assert_int_eq(r.n, 2);
    expect_cell(&r, 0, 0, 2, 2, CELL_TEXT);
    expect_cell(&r, 1, 2, 1, 1, CELL_TEXT);
    r = lay("\xf0\x9f\x8f\xb3\xef\xb8\x8f\xe2\x80\x8d\xf0\x9f\x8c\x88", 8); /* rainbow flag */
    ck_assert_int_eq(r.n, 1);
    expect_cell(&r, 0, 0, 2, 4, CELL_TEXT);
    r = lay("1\xef\xb8\x8f\xe2\x83\xa3", 8); /* keycap 1 */
    ck_assert_int_eq(r.n, 1);
    expect_cell(&r, 0, 0, 2, 3, CELL_TEXT);
    /* man ZWJ woman ZWJ girl ZWJ boy: 7 code points, still one cell of two */
    r = lay("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7"
            "\xe2\x80\x8d\xf0\x9f\x91\xa6", 8);
    ck_assert_int_eq(r.n, 1);
    expect_cell(&r, 0, 0, 2, 7, CELL_TEXT);
    r = lay("\xe0\xa4\x95\xe0\xa4\xbe" "z", 8); /* ka + vowel sign aa (spacing) */
    ck_assert_int_eq(r.n, 2);
    expect_cell(&r, 0, 0, 2, 2, CELL_TEXT);
    expect_cell(&r, 1, 2, 1, 1, CELL_TEXT);
    r = lay("\xe0\xa4\x95\xe0\xa5\x8d", 8); /* ka + virama (non-spacing) */
    expect_cell(&r, 0, 0, 1, 2, CELL_TEXT);
    r = lay("\xe0\xa4\xbe", 8); /* a spacing mark alone is drawn as itself */
    expect_cell(&r, 0, 0, 1, 1, CELL_TEXT);
}
END_TEST

/* Clusters that UAX #29 keeps whole although their first code point is shown as an escape:
 * the escape, then the rest of the cluster as text, in one cell (one cursor step). CR LF
 * is one cluster too. */
START_TEST(test_layout__escape_with_rest)
{
    char out[64];
    struct cell rest;
    struct cells r = lay("\xd8\x80" "b" "c", 8); /* ARABIC NUMBER SIGN joins the b */
    ck_assert_int_eq(r.n, 2);
    expect_cell(&r, 0, 0, 7, 2, CELL_ESCAPED);
    expect_cell(&r, 1, 7, 1, 1, CELL_TEXT);
    ck_assert_uint_eq(layout_escape("\xd8\x80" "bc", &r.c[0], out, sizeof out), 6);
    ck_assert_str_eq(out, "\\u0600");
    ck_assert(layout_rest("\xd8\x80" "bc", &r.c[0], &rest));
    ck_assert_uint_eq(rest.off, 2);
    ck_assert_uint_eq(rest.len, 1);
    ck_assert_uint_eq(rest.col, 6);
    ck_assert_uint_eq(rest.unit, 1);
    ck_assert_uint_eq(rest.units, 1);
    ck_assert_uint_eq(rest.width, 1);
    ck_assert_int_eq(rest.kind, CELL_TEXT);
    r = lay("\xe2\x80\x8d\xcc\x88", 8); /* a lone ZWJ, then a mark: one cluster */
    ck_assert_int_eq(r.n, 1);
    expect_cell(&r, 0, 0, 7, 2, CELL_ESCAPED);
    ck_assert(layout_rest("\xe2\x80\x8d\xcc\x88", &r.c[0], &rest));
    ck_assert_int_eq(rest.kind, CELL_LONE);
    r = lay("\xcd\xb8\xcc\x88", 8); /* unassigned, then a mark */
    ck_assert_int_eq(r.n, 1);
    expect_cell(&r, 0, 0, 7, 2, CELL_ESCAPED);
    r = lay("\xd8\x80\xd8\x80" "1", 8); /* prepended twice: both escaped, then the 1 */
    ck_assert_int_eq(r.n, 1);
    expect_cell(&r, 0, 0, 13, 3, CELL_ESCAPED);
    ck_assert_uint_eq(layout_escape("\xd8\x80\xd8\x80" "1", &r.c[0], out, sizeof out), 12);
    ck_assert_str_eq(out, "\\u0600\\u0600");
    ck_assert_uint_eq(layout_escape("\xd8\x80\xd8\x80" "1", &r.c[0], out, 8), 12);
    ck_assert_str_eq(out, "\\u0600"); /* cut to what fits, whole escapes only */
    r = lay("\xef\xbb\xbf", 8); /* alone: no rest */
    ck_assert(!layout_rest("\xef\xbb\xbf", &r.c[0], &rest));
    r = lay("a\r\nb", 8);
    ck_assert_int_eq(r.n, 3);
    expect_cell(&r, 1, 1, 4, 2, CELL_CTRL);
    ck_assert_uint_eq(layout_escape("a\r\nb", &r.c[1], out, sizeof out), 4);
    ck_assert_str_eq(out, "^M^J");
}
END_TEST

START_TEST(test_layout__combining)
{
    struct cells r = lay("e\xcc\x81x", 8); /* e + U+0301, x */
    ck_assert_int_eq(r.n, 2);
    expect_cell(&r, 0, 0, 1, 2, CELL_TEXT);
    expect_cell(&r, 1, 1, 1, 1, CELL_TEXT);
    r = lay("a\xcc\x81\xcc\xa3\xcd\x9c", 8); /* three marks on one base */
    ck_assert_int_eq(r.n, 1);
    expect_cell(&r, 0, 0, 1, 4, CELL_TEXT);
    r = lay("\xcc\x81" "a", 8); /* a mark with no base */
    ck_assert_int_eq(r.n, 2);
    expect_cell(&r, 0, 0, 1, 1, CELL_LONE);
    /* Hangul syllable from jamo: one cluster, width 2 */
    r = lay("\xe1\x84\x80\xe1\x85\xa1", 8);
    ck_assert_int_eq(r.n, 1);
    expect_cell(&r, 0, 0, 2, 2, CELL_TEXT);
}
END_TEST

START_TEST(test_layout__tabs)
{
    struct cells r = lay("a\tb\t\tc", 8);
    ck_assert_int_eq(r.n, 6);
    expect_cell(&r, 1, 1, 7, 1, CELL_TAB);
    expect_cell(&r, 2, 8, 1, 1, CELL_TEXT);
    expect_cell(&r, 3, 9, 7, 1, CELL_TAB);
    expect_cell(&r, 4, 16, 8, 1, CELL_TAB);
    expect_cell(&r, 5, 24, 1, 1, CELL_TEXT);
    r = lay("ab\tc", 4);
    expect_cell(&r, 2, 2, 2, 1, CELL_TAB);
    r = lay("\xe4\xb8\xad\t", 4); /* a tab after a wide character */
    expect_cell(&r, 1, 2, 2, 1, CELL_TAB);
}
END_TEST

START_TEST(test_layout__invalid_and_controls)
{
    struct cells r = lay("a\x9f\xff" "b\r", 8);
    ck_assert_int_eq(r.n, 5);
    expect_cell(&r, 1, 1, 4, 1, CELL_ESCAPED);
    expect_cell(&r, 2, 5, 4, 1, CELL_ESCAPED);
    expect_cell(&r, 3, 9, 1, 1, CELL_TEXT);
    expect_cell(&r, 4, 10, 2, 1, CELL_CTRL);
    expect_escape("\x9f", "\\x9f");
    expect_escape("\xc0", "\\xc0");       /* overlong lead byte */
    r = lay("\xed\xa0\x80", 8); /* an encoded surrogate: three invalid bytes */
    ck_assert_int_eq(r.n, 3);
    expect_cell(&r, 2, 8, 4, 1, CELL_ESCAPED);
    expect_escape("\r", "^M");
    expect_escape("\x7f", "^?");
    expect_escape("\x1b", "^[");
    expect_escape("\xc2\x85", "\\u0085"); /* C1 control */
    expect_escape("\xef\xbb\xbf", "\\ufeff"); /* BOM standing alone */
    expect_escape("\xe2\x80\x8b", "\\u200b"); /* zero width space */
    expect_escape("\xcd\xb8", "\\u0378"); /* unassigned */
}
END_TEST

START_TEST(test_layout__nul_byte)
{
    const char s[] = "a\0b";
    struct layout l;
    struct cell c;
    char out[8];
    layout_init(&l, s, 3, 8);
    ck_assert(layout_next(&l, &c));
    ck_assert(layout_next(&l, &c));
    ck_assert_int_eq(c.kind, CELL_CTRL);
    layout_escape(s, &c, out, sizeof out);
    ck_assert_str_eq(out, "^@");
    ck_assert(layout_next(&l, &c));
    ck_assert_uint_eq(c.col, 3);
    ck_assert(!layout_next(&l, &c));
}
END_TEST

START_TEST(test_layout__columns)
{
    const char *s = "a\xe4\xb8\xad" "b\te\xcc\x81z"; /* a 中 b TAB é z */
    size_t n = strlen(s);
    ck_assert_uint_eq(layout_col_of(s, n, 8, 0), 0);
    ck_assert_uint_eq(layout_col_of(s, n, 8, 1), 1);
    ck_assert_uint_eq(layout_col_of(s, n, 8, 2), 3);
    ck_assert_uint_eq(layout_col_of(s, n, 8, 3), 4);
    ck_assert_uint_eq(layout_col_of(s, n, 8, 4), 8);
    ck_assert_uint_eq(layout_col_of(s, n, 8, 6), 9); /* after é (2 units) */
    ck_assert_uint_eq(layout_col_of(s, n, 8, 7), 10);
    ck_assert_uint_eq(layout_units_at_col(s, n, 8, 2), 1); /* inside 中: its start */
    ck_assert_uint_eq(layout_units_at_col(s, n, 8, 3), 2);
    ck_assert_uint_eq(layout_units_at_col(s, n, 8, 6), 3); /* inside the tab */
    ck_assert_uint_eq(layout_units_at_col(s, n, 8, 8), 4);
    ck_assert_uint_eq(layout_units_at_col(s, n, 8, 9), 6);
    ck_assert_uint_eq(layout_units_at_col(s, n, 8, 99), 7);
    ck_assert_uint_eq(layout_width(s, n, 8), 10);
}
END_TEST

/* The ASCII fast path (layout_skip_ascii) changes no answer: the column queries agree with
 * a cell-by-cell walk on random lines mixing ASCII with tabs, marks that join the ASCII
 * before them, CR LF, wide and invalid characters. */
static size_t ref_col_of(const char *s, size_t n, size_t units)
{
    struct layout l;
    struct cell c;
    layout_init(&l, s, n, 4);
    while (layout_next(&l, &c))
        if (c.unit + c.units > units)
            return c.col;
    return l.col;
}

static size_t ref_units_at_col(const char *s, size_t n, size_t col)
{
    struct layout l;
    struct cell c;
    layout_init(&l, s, n, 4);
    while (layout_next(&l, &c))
        if (col < c.col + c.width)
            return c.unit;
    return l.unit;
}

START_TEST(test_layout__ascii_fast_path_agrees)
{
    static const char *const pieces[] = {"a", "Z", " ", "~", "\t", "e\xcc\x81", "\r\n", "\r",
                                         "\xe4\xb8\xad", "\xff", "\x7f", "\x01", "x\xe2\x80\x8dy",
                                         "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7", "abcdefgh"};
    const size_t npieces = sizeof pieces / sizeof *pieces;
    unsigned seed = 12345;
    char line[512];
    for (int round = 0; round < 2000; round++) {
        size_t n = 0;
        int k = (int)(rand_r(&seed) % 40);
        for (int i = 0; i < k; i++) {
            const char *p = pieces[(size_t)rand_r(&seed) % npieces];
            size_t len = strlen(p);
            if (n + len >= sizeof line)
                break;
            memcpy(line + n, p, len);
            n += len;
        }
        size_t units = 0, width = 0;
        {
            struct layout l;
            struct cell c;
            layout_init(&l, line, n, 4);
            while (layout_next(&l, &c)) {
            }
            units = l.unit;
            width = l.col;
        }
        ck_assert_uint_eq(layout_width(line, n, 4), width);
        for (size_t u = 0; u <= units + 1; u++)
            ck_assert_msg(layout_col_of(line, n, 4, u) == ref_col_of(line, n, u),
                          "round %d: col of unit %zu", round, u);
        for (size_t col = 0; col <= width + 1; col++)
            ck_assert_msg(layout_units_at_col(line, n, 4, col) == ref_units_at_col(line, n, col),
                          "round %d: units at col %zu", round, col);
    }
}
END_TEST

/* layout.c decides most clusters from the next code point's class alone
 * (layout_joins_other) and reads widths and categories from utf8proc_get_property(): both
 * must agree with utf8proc's own functions for every code point, on either side. */
START_TEST(test_layout__plain_cluster_rule_agrees_with_utf8proc)
{
    /* Plain loops that note the first disagreement: a Check assertion per code point costs
     * a message to the test runner each. */
    enum { NCLASS = 64 };
    int32_t rep[NCLASS];
    bool have[NCLASS] = {false};
    long bad = 0;
    char first_bad[160] = "";
#define NOTE_BAD(...)                                                                       \
    do {                                                                                    \
        if (bad++ == 0)                                                                     \
            snprintf(first_bad, sizeof first_bad, __VA_ARGS__);                             \
    } while (0)
    for (int32_t cp = 0; cp <= 0x10ffff; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff)
            continue;
        const utf8proc_property_t *pr = utf8proc_get_property(cp);
        if (pr->charwidth != utf8proc_charwidth(cp)
            || pr->category != (utf8proc_propval_t)utf8proc_category(cp))
            NOTE_BAD("U+%04X: property fields differ from charwidth()/category()", (unsigned)cp);
        if (pr->boundclass >= NCLASS)
            NOTE_BAD("U+%04X: boundclass %d", (unsigned)cp, (int)pr->boundclass);
        else if (!have[pr->boundclass]) {
            have[pr->boundclass] = true;
            rep[pr->boundclass] = cp;
        }
    }
    int classes = 0;
    for (int b = 0; b < NCLASS; b++)
        classes += have[b];
    ck_assert_int_ge(classes, 10);
    /* every code point of class Other, followed by one of every class */
    long pairs = 0;
    for (int32_t cp = 0; cp <= 0x10ffff; cp++) {
        if ((cp >= 0xd800 && cp <= 0xdfff)
            || utf8proc_get_property(cp)->boundclass != UTF8PROC_BOUNDCLASS_OTHER)
            continue;
        for (int b = 0; b < NCLASS; b++) {
            if (!have[b])
                continue;
            utf8proc_int32_t state = 0;
            bool brk = utf8proc_grapheme_break_stateful(cp, rep[b], &state);
            pairs++;
            if (brk != !layout_joins_other(b))
                NOTE_BAD("U+%04X then U+%04X (class %d): utf8proc says %s", (unsigned)cp,
                         (unsigned)rep[b], b, brk ? "break" : "no break");
        }
    }
    /* letters of several scripts (class Other), followed by every code point */
    static const int32_t firsts[] = {'a', 0xe9, 0x416, 0x5d0, 0x627, 0x915, 0x4e2d, 0x3042};
    for (size_t i = 0; i < sizeof firsts / sizeof *firsts; i++) {
        ck_assert_int_eq(utf8proc_get_property(firsts[i])->boundclass,
                         UTF8PROC_BOUNDCLASS_OTHER);
        for (int32_t cp = 0; cp <= 0x10ffff; cp++) {
            if (cp >= 0xd800 && cp <= 0xdfff)
                continue;
            utf8proc_int32_t state = 0;
            bool brk = utf8proc_grapheme_break_stateful(firsts[i], cp, &state);
            pairs++;
            if (brk != !layout_joins_other(utf8proc_get_property(cp)->boundclass))
                NOTE_BAD("U+%04X then U+%04X: utf8proc says %s", (unsigned)firsts[i],
                         (unsigned)cp, brk ? "break" : "no break");
        }
    }
#undef NOTE_BAD
    ck_assert_int_gt(pairs, 10000000);
    ck_assert_msg(bad == 0, "%ld disagreements; the first: %s", bad, first_bad);
}
END_TEST

static Suite *layout_suite(void)
{
    Suite *s = suite_create("app_layout");
    TCase *tc = tcase_create("widths");
    tcase_add_test(tc, test_layout__ascii);
    tcase_add_test(tc, test_layout__cjk);
    tcase_add_test(tc, test_layout__emoji);
    tcase_add_test(tc, test_layout__sequences_and_spacing_marks);
    tcase_add_test(tc, test_layout__escape_with_rest);
    tcase_add_test(tc, test_layout__combining);
    tcase_add_test(tc, test_layout__tabs);
    suite_add_tcase(s, tc);
    tc = tcase_create("escapes");
    tcase_add_test(tc, test_layout__invalid_and_controls);
    tcase_add_test(tc, test_layout__nul_byte);
    suite_add_tcase(s, tc);
    tc = tcase_create("columns");
    tcase_add_test(tc, test_layout__columns);
    tcase_add_test(tc, test_layout__ascii_fast_path_agrees);
    tcase_add_test(tc, test_layout__plain_cluster_rule_agrees_with_utf8proc);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(layout_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
