/* Tests of app/editor/keys.c: terminal bytes to key, paste and mouse events. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/keys.h"

#define MAXEV 16

struct got {
    struct keyev ev[MAXEV];
    char text[MAXEV][64];
    int n;
};

static void collect(void *ctx, const struct keyev *ev)
{
    struct got *g = ctx;
    ck_assert_int_lt(g->n, MAXEV);
    g->ev[g->n] = *ev;
    if (ev->type == KEV_PASTE) {
        ck_assert_uint_lt(ev->len, sizeof g->text[0]);
        memcpy(g->text[g->n], ev->text, ev->len);
        g->text[g->n][ev->len] = '\0';
        g->ev[g->n].text = NULL; /* borrowed by the event; the copy is text[n] */
    }
    g->n++;
}

/* Feeds the pieces one after another (NULL-terminated), then flushes. */
static struct got decode_parts(const char *const *parts, bool flush)
{
    struct keys k;
    struct got g;
    memset(&g, 0, sizeof g);
    keys_init(&k);
    for (int i = 0; parts[i]; i++)
        keys_feed(&k, parts[i], strlen(parts[i]), collect, &g);
    if (flush)
        keys_flush(&k, collect, &g);
    keys_close(&k);
    return g;
}

static struct got decode(const char *s)
{
    const char *parts[] = { s, NULL };
    return decode_parts(parts, true);
}

static void expect_key(const char *bytes, uint32_t code, unsigned mods)
{
    struct got g = decode(bytes);
    ck_assert_msg(g.n == 1, "%d events for \\e%s", g.n, bytes + 1);
    ck_assert_int_eq(g.ev[0].type, KEV_KEY);
    ck_assert_msg(g.ev[0].code == code && g.ev[0].mods == mods,
                  "got code %#x mods %u, want %#x %u", g.ev[0].code, g.ev[0].mods, code, mods);
}

START_TEST(test_keys__text)
{
    struct got g = decode("a\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80");
    ck_assert_int_eq(g.n, 4);
    ck_assert_uint_eq(g.ev[0].code, 'a');
    ck_assert_uint_eq(g.ev[1].code, 0xe9);
    ck_assert_uint_eq(g.ev[2].code, 0x4e2d);
    ck_assert_uint_eq(g.ev[3].code, 0x1f600);
    for (int i = 0; i < 4; i++)
        ck_assert_uint_eq(g.ev[i].mods, 0);
}
END_TEST

START_TEST(test_keys__controls)
{
    expect_key("\x01", 'a', MOD_CTRL);
    expect_key("\x13", 's', MOD_CTRL);
    expect_key("\x11", 'q', MOD_CTRL);
    expect_key("\x1a", 'z', MOD_CTRL);
    expect_key("\r", K_ENTER, 0);
    expect_key("\t", K_TAB, 0);
    expect_key("\x7f", K_BACKSPACE, 0);
    expect_key("\x08", K_BACKSPACE, 0);
    expect_key("\x1f", '_', MOD_CTRL);
    struct keys k;
    struct got g = { .n = 0 };
    keys_init(&k);
    keys_feed(&k, "\0", 1, collect, &g);
    keys_close(&k);
    ck_assert_int_eq(g.n, 1);
    ck_assert_uint_eq(g.ev[0].code, ' ');
    ck_assert_uint_eq(g.ev[0].mods, MOD_CTRL);
}
END_TEST

START_TEST(test_keys__cursor_keys)
{
    expect_key("\x1b[A", K_UP, 0);
    expect_key("\x1bOB", K_DOWN, 0);
    expect_key("\x1b[1;2C", K_RIGHT, MOD_SHIFT);
    expect_key("\x1b[1;5D", K_LEFT, MOD_CTRL);
    expect_key("\x1b[1;6D", K_LEFT, MOD_CTRL | MOD_SHIFT);
    expect_key("\x1b[1;3C", K_RIGHT, MOD_ALT);
    expect_key("\x1b[H", K_HOME, 0);
    expect_key("\x1b[1~", K_HOME, 0);
    expect_key("\x1bOF", K_END, 0);
    expect_key("\x1b[4~", K_END, 0);
    expect_key("\x1b[1;5H", K_HOME, MOD_CTRL);
    expect_key("\x1b[1;5F", K_END, MOD_CTRL);
    expect_key("\x1b[5~", K_PGUP, 0);
    expect_key("\x1b[6;2~", K_PGDN, MOD_SHIFT);
    expect_key("\x1b[3~", K_DELETE, 0);
    expect_key("\x1b[3;5~", K_DELETE, MOD_CTRL);
    expect_key("\x1bOP", K_F1, 0);
    expect_key("\x1b[11~", K_F1, 0);
    expect_key("\x1b[[A", K_F1, 0);
    expect_key("\x1b[1;2R", K_F3, MOD_SHIFT);
    expect_key("\x1b[24~", K_F12, 0);
    expect_key("\x1b[Z", K_TAB, MOD_SHIFT);
}
END_TEST

START_TEST(test_keys__alt_and_csi_u)
{
    expect_key("\x1b" "a", 'a', MOD_ALT);
    expect_key("\x1bn", 'n', MOD_ALT);
    expect_key("\x1b\x7f", K_BACKSPACE, MOD_ALT);
    expect_key("\x1b[99;5u", 'c', MOD_CTRL);
    expect_key("\x1b[13;2u", K_ENTER, MOD_SHIFT);
}
END_TEST

START_TEST(test_keys__lone_escape_waits)
{
    struct keys k;
    struct got g = { .n = 0 };
    keys_init(&k);
    keys_feed(&k, "\x1b", 1, collect, &g);
    ck_assert_int_eq(g.n, 0);
    ck_assert(keys_pending(&k));
    keys_flush(&k, collect, &g);
    ck_assert_int_eq(g.n, 1);
    ck_assert_uint_eq(g.ev[0].code, K_ESC);
    ck_assert(!keys_pending(&k));
    keys_close(&k);
}
END_TEST

START_TEST(test_keys__split_sequence)
{
    const char *parts[] = { "\x1b", "[1;", "5C", "x", NULL };
    struct got g = decode_parts(parts, false);
    ck_assert_int_eq(g.n, 2);
    ck_assert_uint_eq(g.ev[0].code, K_RIGHT);
    ck_assert_uint_eq(g.ev[0].mods, MOD_CTRL);
    ck_assert_uint_eq(g.ev[1].code, 'x');
    const char *parts2[] = { "\xe4", "\xb8", "\xad", NULL };
    g = decode_parts(parts2, false);
    ck_assert_int_eq(g.n, 1);
    ck_assert_uint_eq(g.ev[0].code, 0x4e2d);
}
END_TEST

START_TEST(test_keys__invalid_bytes)
{
    struct got g = decode("\xff" "A\xe4" "B");
    ck_assert_int_eq(g.n, 4);
    ck_assert_uint_eq(g.ev[0].code, K_RAW + 0xff);
    ck_assert_uint_eq(g.ev[1].code, 'A');
    ck_assert_uint_eq(g.ev[2].code, K_RAW + 0xe4);
    ck_assert_uint_eq(g.ev[3].code, 'B');
    /* A valid prefix cut short by the timeout: each byte on its own. */
    g = decode("\xe4\xb8");
    ck_assert_int_eq(g.n, 2);
    ck_assert_uint_eq(g.ev[0].code, K_RAW + 0xe4);
    ck_assert_uint_eq(g.ev[1].code, K_RAW + 0xb8);
}
END_TEST

START_TEST(test_keys__unknown_sequences_ignored)
{
    struct got g = decode("\x1b[?1;2c" "x" "\x1b[1;5X");
    ck_assert_int_eq(g.n, 1);
    ck_assert_uint_eq(g.ev[0].code, 'x');
    /* Focus reports (mode 1004) are events of their own, not keys to ignore. */
    g = decode("\x1b[I" "\x1b[O");
    ck_assert_int_eq(g.n, 2);
    ck_assert_uint_eq(g.ev[0].code, K_FOCUS_IN);
    ck_assert_uint_eq(g.ev[1].code, K_FOCUS_OUT);
}
END_TEST

START_TEST(test_keys__paste)
{
    struct got g = decode("\x1b[200~hello\r\nw\x1b[Aorld\x1b[201~x");
    ck_assert_int_eq(g.n, 2);
    ck_assert_int_eq(g.ev[0].type, KEV_PASTE);
    ck_assert_str_eq(g.text[0], "hello\r\nw\x1b[Aorld");
    ck_assert_uint_eq(g.ev[1].code, 'x');
}
END_TEST

START_TEST(test_keys__paste_split)
{
    const char *parts[] = { "\x1b[20", "0~ab", "c\x1b[20", "1", "~", "\x1b[200~", "\x1b[201~",
                            NULL };
    struct got g = decode_parts(parts, false);
    ck_assert_int_eq(g.n, 2);
    ck_assert_int_eq(g.ev[0].type, KEV_PASTE);
    ck_assert_str_eq(g.text[0], "abc");
    ck_assert_int_eq(g.ev[1].type, KEV_PASTE);
    ck_assert_uint_eq(g.ev[1].len, 0);
}
END_TEST

struct len_ctx {
    size_t len;
    int events;
};

static void collect_len(void *ctx, const struct keyev *ev)
{
    struct len_ctx *c = ctx;
    ck_assert_int_eq(ev->type, KEV_PASTE);
    for (size_t i = 0; i < ev->len; i++)
        ck_assert(ev->text[i] == 'z');
    c->len = ev->len;
    c->events++;
}

START_TEST(test_keys__paste_large)
{
    size_t n = 1 << 20;
    char *buf = malloc(n + 16);
    memcpy(buf, "\x1b[200~", 6);
    memset(buf + 6, 'z', n);
    memcpy(buf + 6 + n, "\x1b[201~", 6);
    struct keys k;
    keys_init(&k);
    struct len_ctx ctx = { 0, 0 };
    for (size_t off = 0; off < n + 12; off += 4096) {
        size_t m = n + 12 - off < 4096 ? n + 12 - off : 4096;
        keys_feed(&k, buf + off, m, collect_len, &ctx);
    }
    keys_close(&k);
    free(buf);
    ck_assert_int_eq(ctx.events, 1);
    ck_assert_uint_eq(ctx.len, n);
}
END_TEST

START_TEST(test_keys__mouse)
{
    struct got g = decode("\x1b[<0;10;5M\x1b[<32;11;5M\x1b[<0;11;5m\x1b[<64;1;1M"
                          "\x1b[<65;1;1M\x1b[<4;3;3M");
    ck_assert_int_eq(g.n, 6);
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(g.ev[i].type, KEV_MOUSE);
    ck_assert_int_eq(g.ev[0].action, MOUSE_PRESS);
    ck_assert_int_eq(g.ev[0].x, 9);
    ck_assert_int_eq(g.ev[0].y, 4);
    ck_assert_int_eq(g.ev[0].button, 0);
    ck_assert_int_eq(g.ev[1].action, MOUSE_DRAG);
    ck_assert_int_eq(g.ev[1].x, 10);
    ck_assert_int_eq(g.ev[2].action, MOUSE_RELEASE);
    ck_assert_int_eq(g.ev[3].action, MOUSE_WHEEL_UP);
    ck_assert_int_eq(g.ev[4].action, MOUSE_WHEEL_DOWN);
    ck_assert_int_eq(g.ev[5].action, MOUSE_PRESS);
    ck_assert_uint_eq(g.ev[5].mods, MOD_SHIFT);
}
END_TEST

START_TEST(test_keys__names)
{
    char b[32];
    ck_assert_str_eq(keys_name('s', MOD_CTRL, b, sizeof b), "Ctrl-S");
    ck_assert_str_eq(keys_name(K_UP, MOD_SHIFT, b, sizeof b), "Shift-Up");
    ck_assert_str_eq(keys_name(K_LEFT, MOD_CTRL | MOD_SHIFT, b, sizeof b), "Ctrl-Shift-Left");
    ck_assert_str_eq(keys_name(K_F1, 0, b, sizeof b), "F1");
    ck_assert_str_eq(keys_name('n', MOD_ALT, b, sizeof b), "Alt-N");
    ck_assert_str_eq(keys_name(0x4e2d, 0, b, sizeof b), "\xe4\xb8\xad");
}
END_TEST

static Suite *keys_suite(void)
{
    Suite *s = suite_create("app_keys");
    TCase *tc = tcase_create("keys");
    tcase_add_test(tc, test_keys__text);
    tcase_add_test(tc, test_keys__controls);
    tcase_add_test(tc, test_keys__cursor_keys);
    tcase_add_test(tc, test_keys__alt_and_csi_u);
    tcase_add_test(tc, test_keys__names);
    suite_add_tcase(s, tc);
    tc = tcase_create("streams");
    tcase_add_test(tc, test_keys__lone_escape_waits);
    tcase_add_test(tc, test_keys__split_sequence);
    tcase_add_test(tc, test_keys__invalid_bytes);
    tcase_add_test(tc, test_keys__unknown_sequences_ignored);
    suite_add_tcase(s, tc);
    tc = tcase_create("paste_and_mouse");
    tcase_add_test(tc, test_keys__paste);
    tcase_add_test(tc, test_keys__paste_split);
    tcase_add_test(tc, test_keys__paste_large);
    tcase_add_test(tc, test_keys__mouse);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(keys_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
