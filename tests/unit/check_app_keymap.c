/* Tests of app/editor/keymap.c: the key contract of DESIGN.md §4, dispatch from terminal bytes,
 * and that the F1 help lists every binding. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/ui/help.h"
#include "app/editor/keymap.h"
#include "app/editor/keys.h"

struct one {
    struct keyev ev;
    int n;
};

static void take(void *ctx, const struct keyev *ev)
{
    struct one *o = ctx;
    o->ev = *ev;
    o->n++;
}

/* The command that the terminal bytes s run. */
static enum cmd dispatch(const char *s)
{
    struct keys k;
    struct one o = { .n = 0 };
    keys_init(&k);
    keys_feed(&k, s, strlen(s), take, &o);
    keys_flush(&k, take, &o);
    keys_close(&k);
    ck_assert_int_eq(o.n, 1);
    return keymap_lookup(o.ev.code, o.ev.mods);
}

static void expect(const char *bytes, const char *name)
{
    enum cmd c = dispatch(bytes);
    ck_assert_msg(c != CMD_NONE, "no command for a key, want %s", name);
    ck_assert_str_eq(keymap_cmd(c)->name, name);
}

START_TEST(test_keymap__contract)
{
    expect("\x13", "save");
    expect("\x11", "quit");
    expect("\x1a", "undo");
    expect("\x19", "redo");
    expect("\x06", "find");
    expect("\x07", "goto");
    expect("\x01", "select-all");
    expect("\x03", "copy");
    expect("\x18", "cut");
    expect("\x16", "paste");
    expect("\x14", "tickets");
    expect("\x0f", "follow");
    expect("\x1bOP", "help");
    expect("\x1b[11~", "help");
    expect("\x1b[A", "up");
    expect("\x1b[B", "down");
    expect("\x1b[C", "right");
    expect("\x1b[D", "left");
    expect("\x1b[1;2A", "select-up");
    expect("\x1b[1;2B", "select-down");
    expect("\x1b[1;2C", "select-right");
    expect("\x1b[1;2D", "select-left");
    expect("\x1b[H", "home");
    expect("\x1b[F", "end");
    expect("\x1b[1;2H", "select-home");
    expect("\x1b[1;2F", "select-end");
    expect("\x1b[5~", "page-up");
    expect("\x1b[6~", "page-down");
    expect("\x1b[5;2~", "select-page-up");
    expect("\x1b[1;5H", "doc-start");
    expect("\x1b[1;5F", "doc-end");
    expect("\x1b[1;5C", "word-right");
    expect("\x1b[1;5D", "word-left");
    expect("\x1b[1;6C", "select-word-right");
    expect("\r", "newline");
    expect("\t", "tab");
    expect("\x7f", "backspace");
    expect("\x1b[3~", "delete");
    expect("\x1bn", "line-numbers");
    expect("\x1bm", "messages");
    expect("\x0c", "redraw");
    expect("\x1b[1;2R", "find-previous");
    expect("\x1b[13~", "find-next");
}
END_TEST

START_TEST(test_keymap__text_is_unbound)
{
    ck_assert_int_eq(dispatch("a"), CMD_NONE);
    ck_assert_int_eq(dispatch("\xe4\xb8\xad"), CMD_NONE);
    ck_assert_int_eq(dispatch(" "), CMD_NONE);
}
END_TEST

START_TEST(test_keymap__table_is_sound)
{
    size_t n;
    const struct binding *b = keymap_bindings(&n);
    bool bound[CMD_COUNT] = { false };
    for (size_t i = 0; i < n; i++) {
        ck_assert(b[i].cmd > CMD_NONE && b[i].cmd < CMD_COUNT);
        bound[b[i].cmd] = true;
        for (size_t j = i + 1; j < n; j++)
            ck_assert_msg(b[i].code != b[j].code || b[i].mods != b[j].mods,
                          "key bound twice: %s", keymap_cmd(b[i].cmd)->name);
        /* The selecting twin of a motion is the same key with Shift. */
        if (b[i].cmd >= CMD_LEFT && b[i].cmd <= CMD_SEL_DOC_END &&
            (b[i].cmd - CMD_LEFT) % 2 == 0)
            ck_assert_int_eq(keymap_lookup(b[i].code, b[i].mods | MOD_SHIFT), b[i].cmd + 1);
    }
    for (int c = CMD_NONE + 1; c < CMD_COUNT; c++) {
        ck_assert_msg(bound[c], "command %d has no key", c);
        ck_assert_ptr_nonnull(keymap_cmd((enum cmd)c)->name);
        ck_assert_ptr_nonnull(keymap_cmd((enum cmd)c)->help);
    }
}
END_TEST

START_TEST(test_keymap__help_lists_every_key)
{
    size_t n, nb;
    const char *const *lines = help_lines(200, &n);
    const struct binding *b = keymap_bindings(&nb);
    for (size_t i = 0; i < nb; i++) {
        char name[32];
        keys_name(b[i].code, b[i].mods, name, sizeof name);
        const char *help = keymap_cmd(b[i].cmd)->help;
        bool found = false;
        for (size_t k = 0; k < n && !found; k++)
            found = strstr(lines[k], name) && strstr(lines[k], help);
        ck_assert_msg(found, "F1 help does not list %s (%s)", name, help);
    }
    /* Narrow: every line fits, every key is still there, descriptions wrap below. */
    for (int width = 20; width <= 80; width += 30) {
        lines = help_lines(width, &n);
        for (size_t k = 0; k < n; k++)
            ck_assert_msg((int)strlen(lines[k]) <= width, "%d: \"%s\"", width, lines[k]);
        for (size_t i = 0; i < nb; i++) {
            char name[32];
            keys_name(b[i].code, b[i].mods, name, sizeof name);
            bool found = false;
            for (size_t k = 0; k < n && !found; k++)
                found = strstr(lines[k], name) != NULL;
            ck_assert_msg(found, "F1 help at width %d lacks %s", width, name);
        }
    }
    char keys[128];
    ck_assert_str_eq(keymap_keys_of(CMD_SAVE, keys, sizeof keys), "Ctrl-S");
    ck_assert_str_eq(keymap_keys_of(CMD_FIND_NEXT, keys, sizeof keys), "Ctrl-N / F3");
}
END_TEST

/* The man page (man/weft.1) names every bound key. */
/* The note on syntax colours shows under the introduction, wrapped, and goes again. */
START_TEST(test_keymap__help_shows_the_note)
{
    size_t n, m;
    help_lines(60, &n);
    help_set_note("No syntax colours: no syntax files were found here or there at all.");
    const char *const *lines = help_lines(60, &m);
    ck_assert_uint_gt(m, n);
    bool seen = false;
    for (size_t i = 0; i < m; i++) {
        ck_assert_uint_le(strlen(lines[i]), 60);
        seen = seen || strstr(lines[i], "No syntax colours") != NULL;
    }
    ck_assert(seen);
    help_set_note(NULL);
    help_lines(60, &m);
    ck_assert_uint_eq(m, n);
}
END_TEST

START_TEST(test_keymap__man_page_lists_every_key)
{
    FILE *f = fopen(WEFT_TEST_DATA "/../../man/weft.1", "rb");
    ck_assert_ptr_nonnull(f);
    static char man[1 << 16];
    size_t n = fread(man, 1, sizeof man - 1, f);
    fclose(f);
    man[n] = '\0';
    /* roff writes a hyphen as \- */
    char *w = man;
    for (char *r = man; *r; r++) {
        if (r[0] == '\\' && r[1] == '-')
            r++;
        *w++ = *r;
    }
    *w = '\0';
    size_t nb;
    const struct binding *b = keymap_bindings(&nb);
    for (size_t i = 0; i < nb; i++) {
        char name[32];
        keys_name(b[i].code, b[i].mods, name, sizeof name);
        ck_assert_msg(strstr(man, name), "man/weft.1 does not mention %s", name);
    }
}
END_TEST

static Suite *keymap_suite(void)
{
    Suite *s = suite_create("app_keymap");
    TCase *tc = tcase_create("dispatch");
    tcase_add_test(tc, test_keymap__contract);
    tcase_add_test(tc, test_keymap__text_is_unbound);
    suite_add_tcase(s, tc);
    tc = tcase_create("table");
    tcase_add_test(tc, test_keymap__table_is_sound);
    tcase_add_test(tc, test_keymap__help_lists_every_key);
    tcase_add_test(tc, test_keymap__help_shows_the_note);
    tcase_add_test(tc, test_keymap__man_page_lists_every_key);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(keymap_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
