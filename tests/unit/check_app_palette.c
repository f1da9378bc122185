/* Tests of app/ui/palette.c: twelve participants stay distinct at every colour depth (the
 * 8-colour terminal by attributes), a cursor is told from a selection, and the palette is
 * as large as the host's (WN_COLOURS). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "app/ui/palette.h"
#include "net/presence.h"

static bool same(struct palette_style a, struct palette_style b)
{
    return a.fg == b.fg && a.bg == b.bg && a.attrs == b.attrs;
}

START_TEST(test_palette__size_matches_the_host)
{
    ck_assert_int_eq(PALETTE_SIZE, WN_COLOURS);
}
END_TEST

START_TEST(test_palette__depths)
{
    ck_assert_int_eq(palette_depth(0), PALETTE_MONO);
    ck_assert_int_eq(palette_depth(2), PALETTE_MONO);
    ck_assert_int_eq(palette_depth(8), PALETTE_8);
    ck_assert_int_eq(palette_depth(16), PALETTE_8);
    ck_assert_int_eq(palette_depth(88), PALETTE_8);
    ck_assert_int_eq(palette_depth(256), PALETTE_256);
    ck_assert_int_eq(palette_depth(0x1000000), PALETTE_DIRECT);
}
END_TEST

/* Every pair of participants differs, for each use, at each colour depth. */
START_TEST(test_palette__twelve_distinct)
{
    static const enum palette_depth depths[] = {PALETTE_8, PALETTE_256, PALETTE_DIRECT};
    for (size_t d = 0; d < 3; d++) {
        for (int u = 0; u < PALETTE_USES; u++) {
            for (unsigned a = 0; a < PALETTE_SIZE; a++) {
                struct palette_style sa = palette_style(depths[d], a, (enum palette_use)u);
                for (unsigned b = a + 1; b < PALETTE_SIZE; b++) {
                    struct palette_style sb = palette_style(depths[d], b, (enum palette_use)u);
                    ck_assert_msg(!same(sa, sb), "depth %d use %d: %u and %u look alike",
                                  (int)depths[d], u, a, b);
                }
            }
        }
    }
}
END_TEST

START_TEST(test_palette__eight_colours_fit)
{
    for (unsigned c = 0; c < PALETTE_SIZE; c++) {
        for (int u = 0; u < PALETTE_USES; u++) {
            struct palette_style s = palette_style(PALETTE_8, c, (enum palette_use)u);
            ck_assert(s.fg >= -1 && s.fg < 8 && s.bg >= -1 && s.bg < 8);
            ck_assert(s.fg != s.bg);
        }
        /* The first six are plain colours; the second six add attributes. */
        struct palette_style cur = palette_style(PALETTE_8, c, PALETTE_CURSOR);
        ck_assert_int_eq(cur.attrs != 0, c >= 6);
    }
}
END_TEST

START_TEST(test_palette__cursor_differs_from_selection)
{
    static const enum palette_depth depths[] = {PALETTE_MONO, PALETTE_8, PALETTE_256,
                                                PALETTE_DIRECT};
    for (size_t d = 0; d < 4; d++)
        for (unsigned c = 0; c < PALETTE_SIZE; c++)
            ck_assert(!same(palette_style(depths[d], c, PALETTE_CURSOR),
                            palette_style(depths[d], c, PALETTE_SELECTION)));
    /* 256 colours and true colour show the same hue. */
    for (unsigned c = 0; c < PALETTE_SIZE; c++) {
        struct palette_style d = palette_style(PALETTE_DIRECT, c, PALETTE_CURSOR);
        ck_assert_uint_eq((uint32_t)d.bg, palette_rgb(c));
    }
    ck_assert_uint_eq(palette_rgb(0), 0x0087ff);     /* xterm 33 */
    ck_assert_uint_eq(palette_rgb(12), palette_rgb(0)); /* indexes wrap */
}
END_TEST

/* NO_COLOR (no-color.org): any value but the empty one drops colours; the palette without
 * colours tells a cursor, a selection, a tag and our own selection (plain reverse) apart
 * by attributes alone, and uses no colour. */
START_TEST(test_palette__no_color)
{
    ck_assert(!palette_no_color(NULL));
    ck_assert(!palette_no_color(""));
    ck_assert(palette_no_color("1"));
    ck_assert(palette_no_color("0"));
    ck_assert(palette_no_color("no"));
    struct palette_style st[PALETTE_USES + 1];
    for (int u = 0; u < PALETTE_USES; u++) {
        for (unsigned c = 0; c < PALETTE_SIZE; c++) {
            st[u] = palette_style(PALETTE_MONO, c, (enum palette_use)u);
            ck_assert_int_eq(st[u].fg, -1);
            ck_assert_int_eq(st[u].bg, -1);
            ck_assert_uint_ne(st[u].attrs, 0);
        }
    }
    st[PALETTE_USES] = (struct palette_style){-1, -1, PALETTE_REVERSE}; /* our selection */
    for (int a = 0; a <= PALETTE_USES; a++)
        for (int b = a + 1; b <= PALETTE_USES; b++)
            ck_assert_msg(!same(st[a], st[b]), "uses %d and %d look alike without colour", a, b);
}
END_TEST

/* Syntax colours: a foreground only, at every depth; the light ones bold on 8 colours;
 * nothing without colours; the light scheme darkens what fades on white. */
static syn_style style_of(const char *name)
{
    syn_style st = SYN_STYLE_NONE;
    char msg[128];
    ck_assert_int_eq(colour_parse(name, strlen(name), &st, msg, sizeof msg), COLOUR_OK);
    return st;
}

START_TEST(test_palette__syntax_colours)
{
    syn_style blue = style_of("brightblue"), green = style_of("green");
    syn_style it = style_of("italic,#c44"), white = style_of("white");
    struct palette_style p = palette_syntax(PALETTE_8, blue, SYN_SCHEME_DARK);
    ck_assert(p.fg == 4 && p.bg == -1 && (p.attrs & PALETTE_BOLD));
    p = palette_syntax(PALETTE_8, green, SYN_SCHEME_DARK);
    ck_assert(p.fg == 2 && p.bg == -1 && p.attrs == 0);
    p = palette_syntax(PALETTE_256, blue, SYN_SCHEME_DARK);
    ck_assert(p.fg == 12 && p.bg == -1 && (p.attrs & PALETTE_BOLD));
    p = palette_syntax(PALETTE_DIRECT, it, SYN_SCHEME_DARK);
    ck_assert(p.fg == 0xcc4444 && p.bg == -1 && p.attrs == PALETTE_ITALIC);
    p = palette_syntax(PALETTE_256, it, SYN_SCHEME_DARK);
    ck_assert(p.fg >= 16 && p.fg <= 255 && p.attrs == PALETTE_ITALIC);
    p = palette_syntax(PALETTE_MONO, blue, SYN_SCHEME_DARK);
    ck_assert(p.fg == -1 && p.bg == -1 && p.attrs == 0);
    ck_assert_int_eq(palette_syntax(PALETTE_256, SYN_STYLE_NONE, SYN_SCHEME_DARK).fg, -1);
    /* light: white becomes black, light blue blue (still bold) */
    ck_assert_int_eq(palette_syntax(PALETTE_256, white, SYN_SCHEME_LIGHT).fg, 0);
    p = palette_syntax(PALETTE_256, blue, SYN_SCHEME_LIGHT);
    ck_assert(p.fg == 4 && (p.attrs & PALETTE_BOLD));
}
END_TEST

static Suite *palette_suite(void)
{
    Suite *s = suite_create("app_palette");
    TCase *tc = tcase_create("palette");
    tcase_add_test(tc, test_palette__size_matches_the_host);
    tcase_add_test(tc, test_palette__depths);
    tcase_add_test(tc, test_palette__twelve_distinct);
    tcase_add_test(tc, test_palette__eight_colours_fit);
    tcase_add_test(tc, test_palette__cursor_differs_from_selection);
    tcase_add_test(tc, test_palette__no_color);
    tcase_add_test(tc, test_palette__syntax_colours);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(palette_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
