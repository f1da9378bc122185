/* Tests of the editor's commands without a terminal: bytes as a terminal would send them go
 * through app/editor/keys.c into editor_event(), and the document, cursor, clipboard and file are
 * checked. Covers app/editor/edit.c, app/editor/move.c, app/editor/commands.c and app/editor/editor.c. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/editor/editor.h"
#include "app/editor/route.h"
#include "app/editor/keys.h"
#include "app/editor/text.h"
#include "core/buf.h"
#include "core/codec.h"
#include "core/doc.h"
#include "core/undo.h"
#include "tests/common/testutil.h"

static char dir[256];
static char path[512];
static struct editor ed;
static uint64_t now;         /* the fake clock, ms */
static char osc[256];        /* the last raw terminal output */

static uint64_t fake_clock(void)
{
    return now;
}

static void fake_term(const char *p, size_t n)
{
    snprintf(osc, sizeof osc, "%.*s", (int)n, p);
}

static void on_event(void *ctx, const struct keyev *ev)
{
    editor_event(ctx, ev);
}

/* Sends terminal bytes to the editor, as if typed. */
static void feed_n(const char *s, size_t n)
{
    struct keys k;
    keys_init(&k);
    keys_feed(&k, s, n, on_event, &ed);
    keys_flush(&k, on_event, &ed);
    keys_close(&k);
}

static void feed(const char *s)
{
    feed_n(s, strlen(s));
}

static void put_file(const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void open_with(const char *data, size_t n)
{
    char err[512];
    if (ed.buf)
        editor_close(&ed);
    if (data)
        put_file(data, n);
    ck_assert_int_eq(editor_open(&ed, path, err, sizeof err), 0);
    ed.clock = fake_clock;
    ed.term_write = fake_term;
    editor_resize(&ed, 12, 40);
}

static void open_text(const char *s)
{
    open_with(s, strlen(s));
}

static void expect_text(const char *want)
{
    size_t n;
    char *got = wf_doc_text(ed.buf->doc, 0, wf_doc_len(ed.buf->doc), &n);
    ck_assert_msg(n == strlen(want) && memcmp(got, want, n) == 0, "text is \"%s\", want \"%s\"",
                  got, want);
    free(got);
    char msg[256];
    ck_assert_msg(wf_doc_check(ed.buf->doc, msg, sizeof msg) == 0, "%s", msg);
}

static void expect_cursor(size_t line, size_t col)
{
    size_t l = wf_doc_line_of(ed.buf->doc, ed.buf->view.cur);
    size_t c = text_cluster_col(ed.buf->doc, ed.buf->view.cur);
    ck_assert_msg(l == line && c == col, "cursor at %zu:%zu, want %zu:%zu", l, c, line, col);
}

static void expect_file(const char *want, size_t n)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    char buf[4096];
    size_t got = fread(buf, 1, sizeof buf, f);
    fclose(f);
    ck_assert_msg(got == n && memcmp(buf, want, n) == 0, "file has \"%.*s\", want \"%s\"",
                  (int)got, buf, want);
}

static void setup(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/weft-edit-XXXXXX", t && *t ? t : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/f.txt", dir);
    now = 1000;
    osc[0] = '\0';
}

static void teardown(void)
{
    char cmd[300];
    editor_close(&ed);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

#define LEFT "\x1b[D"
#define RIGHT "\x1b[C"
#define UP "\x1b[A"
#define DOWN "\x1b[B"
#define HOME "\x1b[H"
#define END "\x1b[F"
#define S_LEFT "\x1b[1;2D"
#define S_RIGHT "\x1b[1;2C"
#define C_LEFT "\x1b[1;5D"
#define C_RIGHT "\x1b[1;5C"
#define C_HOME "\x1b[1;5H"
#define C_END "\x1b[1;5F"
#define DEL "\x1b[3~"
#define BS "\x7f"
#define CTRL_A "\x01"
#define CTRL_C "\x03"
#define CTRL_F "\x06"
#define CTRL_G "\x07"
#define CTRL_N "\x0e"
#define CTRL_O "\x0f"
#define CTRL_Q "\x11"
#define CTRL_S "\x13"
#define CTRL_T "\x14"
#define CTRL_V "\x16"
#define CTRL_X "\x18"
#define CTRL_Y "\x19"
#define CTRL_Z "\x1a"

START_TEST(test_edit__typing_and_moving)
{
    open_text("");
    feed("h\xc3\xa9llo");
    expect_text("h\xc3\xa9llo");
    expect_cursor(0, 5);
    feed(LEFT LEFT "X" HOME "[" END "]");
    expect_text("[h\xc3\xa9lXlo]");
    ck_assert(ed.buf->modified);
}
END_TEST

START_TEST(test_edit__enter_keeps_indent)
{
    open_text("\tif (x) {\n");
    feed(END "\r" "y;");
    expect_text("\tif (x) {\n\ty;\n");
    feed(HOME HOME "\r"); /* at column 0 there is no indentation to copy */
    expect_text("\tif (x) {\n\n\ty;\n");
    open_text("    abc");
    feed(HOME HOME RIGHT RIGHT "\r"); /* inside the indentation: only what is left of it */
    expect_text("  \n    abc");
}
END_TEST

START_TEST(test_edit__crlf_file)
{
    open_text("one\r\ntwo\r\n");
    ck_assert(ed.buf->crlf);
    feed(END "\r" "x");
    expect_text("one\r\nx\r\ntwo\r\n");
    feed(HOME BS); /* the line break is one character: \r\n goes at once */
    expect_text("onex\r\ntwo\r\n");
    feed(END RIGHT);
    expect_cursor(1, 0);
    feed(LEFT DEL);
    expect_text("onextwo\r\n");
}
END_TEST

START_TEST(test_edit__delete_clusters)
{
    /* e + combining acute, a family emoji (5 code points), a flag, CJK */
    open_text("e\xcc\x81" "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7"
              "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7" "\xe4\xb8\xad");
    feed(C_END BS);
    expect_text("e\xcc\x81" "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7"
                "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7");
    feed(BS);
    expect_text("e\xcc\x81" "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7");
    feed(LEFT);
    expect_cursor(0, 1);
    feed(DEL);
    expect_text("e\xcc\x81");
    feed(BS);
    expect_text("");
}
END_TEST

START_TEST(test_edit__invalid_bytes_kept)
{
    open_with("a\x9f" "b\0c\xff", 6);
    feed(RIGHT RIGHT "X");
    size_t n;
    char *s = wf_doc_text(ed.buf->doc, 0, wf_doc_len(ed.buf->doc), &n);
    ck_assert_uint_eq(n, 7);
    ck_assert(memcmp(s, "a\x9fXb\0c\xff", 7) == 0);
    free(s);
    feed(CTRL_S);
    expect_file("a\x9fXb\0c\xff", 7);
}
END_TEST

START_TEST(test_edit__selection_cut_paste)
{
    open_text("one two three");
    feed(C_RIGHT S_RIGHT S_RIGHT S_RIGHT S_RIGHT CTRL_X);
    expect_text("one three");
    feed(C_END " " CTRL_V);
    expect_text("one three  two");
    feed(S_LEFT S_LEFT S_LEFT CTRL_C C_HOME CTRL_V);
    expect_text("twoone three  two");
    ck_assert_str_eq(osc, "\x1b]52;c;dHdv\a"); /* "two" in base64, to the terminal */
    /* Typing replaces the selection; Left collapses it to its start. */
    feed(CTRL_A "new");
    expect_text("new");
    feed(S_LEFT S_LEFT LEFT);
    expect_cursor(0, 1);
}
END_TEST

START_TEST(test_edit__line_copy_without_selection)
{
    open_text("first\nsecond\nthird");
    feed(DOWN CTRL_X);
    expect_text("first\nthird");
    expect_cursor(1, 0);
    feed(CTRL_V); /* a whole line goes above the cursor's line */
    expect_text("first\nsecond\nthird");
    feed(C_END CTRL_C CTRL_V);
    expect_text("first\nsecond\nthird\nthird");
}
END_TEST

START_TEST(test_edit__undo_groups)
{
    open_text("");
    feed("abc");
    now += 2000;
    feed("def");
    feed(CTRL_Z);
    expect_text("abc");
    feed(CTRL_Z);
    expect_text("");
    feed(CTRL_Z);
    ck_assert_str_eq(ed.msg, "Nothing to undo.");
    feed(CTRL_Y);
    expect_text("abc");
    feed(CTRL_Y);
    expect_text("abcdef");
    /* A cursor jump ends the step, even without a pause. */
    feed(HOME "X" END "Y" CTRL_Z);
    expect_text("Xabcdef");
}
END_TEST

START_TEST(test_edit__bracketed_paste_one_step)
{
    open_text("ab");
    feed(RIGHT "x");
    feed("\x1b[200~one\rtwo\r\nthree\x1b[201~");
    expect_text("axone\ntwo\nthreeb");
    expect_cursor(2, 5);
    feed(CTRL_Z);
    expect_text("axb");
    feed(CTRL_Z);
    expect_text("ab");
    open_text("a\r\nb");
    feed("\x1b[200~1\n2\x1b[201~");
    expect_text("1\r\n2a\r\nb");
}
END_TEST

START_TEST(test_edit__vertical_keeps_goal)
{
    open_text("long line here\nab\nanother long one\n");
    feed(END UP); /* nothing above: to the start */
    expect_cursor(0, 0);
    feed(END DOWN);
    expect_cursor(1, 2);
    feed(DOWN);
    expect_cursor(2, 14);
    feed(DOWN DOWN);
    expect_cursor(3, 0);
    /* Across a wide character, the display column is kept. */
    open_text("abcd\n\xe4\xb8\xad\xe6\x96\x87xy\n");
    feed(RIGHT RIGHT RIGHT DOWN);
    expect_cursor(1, 1); /* column 3 is inside the second ideograph: its start */
    feed(DOWN);
    expect_cursor(2, 0);
}
END_TEST

START_TEST(test_edit__words)
{
    open_text("foo bar_baz, qux\n  q\xc3\xa9t\xc3\xa9");
    feed(C_RIGHT);
    expect_cursor(0, 3);
    feed(C_RIGHT);
    expect_cursor(0, 11);
    feed(C_RIGHT C_RIGHT);
    expect_cursor(1, 6);
    feed(C_LEFT);
    expect_cursor(1, 2);
    feed(C_LEFT);
    expect_cursor(0, 13);
    feed("\x1b\x7f"); /* Alt-Backspace: delete to the start of the word before */
    expect_text("foo qux\n  q\xc3\xa9t\xc3\xa9");
}
END_TEST

START_TEST(test_edit__find)
{
    open_text("one fish\ntwo fish\nred fish\n");
    feed(CTRL_F "fish");
    size_t from, to;
    ck_assert(view_selection(&ed.buf->view, &from, &to));
    ck_assert_uint_eq(from, 4);
    feed(DOWN);
    ck_assert(view_selection(&ed.buf->view, &from, &to));
    ck_assert_uint_eq(from, 13);
    feed("\r");
    ck_assert_int_eq(ed.prompt.kind, PROMPT_NONE);
    feed(CTRL_N);
    ck_assert(view_selection(&ed.buf->view, &from, &to));
    ck_assert_uint_eq(from, 22);
    feed(CTRL_N); /* wraps */
    ck_assert(view_selection(&ed.buf->view, &from, &to));
    ck_assert_uint_eq(from, 4);
    ck_assert_str_eq(ed.msg, "Search wrapped around.");
    feed("\x1b[1;2R"); /* Shift-F3: backwards, wraps */
    ck_assert(view_selection(&ed.buf->view, &from, &to));
    ck_assert_uint_eq(from, 22);
    feed(CTRL_F "zebra");
    ck_assert_str_eq(ed.msg, "Not found.");
    feed("\x1b");
    ck_assert_int_eq(ed.prompt.kind, PROMPT_NONE);
    expect_cursor(2, 4); /* Esc: back where the search started */
}
END_TEST

START_TEST(test_edit__goto)
{
    open_text("a\nbb\nccc\n");
    feed(CTRL_G "3:2\r");
    expect_cursor(2, 1);
    feed(CTRL_G "99\r");
    expect_cursor(3, 0);
    feed(CTRL_G "x\r");
    ck_assert(strstr(ed.msg, "Not a line number"));
}
END_TEST

START_TEST(test_edit__save_and_quit)
{
    open_text("keep\n");
    feed(CTRL_Q);
    ck_assert(ed.quit); /* unmodified: quits at once */
    ed.quit = false;
    feed("x" CTRL_Q);
    ck_assert(!ed.quit);
    ck_assert_int_eq(ed.prompt.kind, PROMPT_QUIT);
    feed("\x1b");
    ck_assert(!ed.quit);
    feed(CTRL_Q "y");
    ck_assert(ed.quit);
    expect_file("xkeep\n", 6);
    ck_assert(!ed.buf->modified);
    ed.quit = false;
    feed("z" CTRL_Q "n");
    ck_assert(ed.quit);
    expect_file("xkeep\n", 6);
}
END_TEST

/* [modified] follows whether the text is the file's: undoing back to the saved text clears
 * it, redoing sets it again, also when the undo goes back past a save; an edit right after
 * a save (within the undo grouping time) is a step of its own; another agent's edit keeps
 * it set until the next save. */
START_TEST(test_edit__modified_follows_undo)
{
    open_text("base\n");
    feed("abc");
    ck_assert(ed.buf->modified);
    feed(CTRL_Z);
    expect_text("base\n");
    ck_assert(!ed.buf->modified); /* type, undo all: the file's text */
    feed(CTRL_Y);
    ck_assert(ed.buf->modified);
    feed(CTRL_S);
    ck_assert(!ed.buf->modified);
    feed("d"); /* the same instant as "abc": must not join its step */
    ck_assert(ed.buf->modified);
    feed(CTRL_Z);
    expect_text("abcbase\n");
    ck_assert(!ed.buf->modified); /* save, type, undo */
    feed(CTRL_Y);
    expect_text("abcdbase\n");
    ck_assert(ed.buf->modified); /* redo */
    feed(CTRL_Z);
    ck_assert(!ed.buf->modified);
    feed(CTRL_Z); /* back past the save */
    expect_text("base\n");
    ck_assert(ed.buf->modified);
    feed(CTRL_Y);
    ck_assert(!ed.buf->modified);
    /* Undo "abc" and type "g": a history as deep as the saved one, but not the file. */
    feed(CTRL_Z "g");
    expect_text("gbase\n");
    ck_assert(ed.buf->modified);
    feed(CTRL_S);
    ck_assert(!ed.buf->modified);
    /* Another agent's edit (a host's guest) is in the text, not in the file. */
    wf_doc *peer = wf_doc_new(77);
    wf_buf b;
    wf_buf_init(&b);
    wf_doc_encode_diff(ed.buf->doc, NULL, &b);
    ck_assert_int_eq(wf_doc_apply(peer, b.data, b.len), 0);
    ck_assert_int_eq(wf_doc_insert(peer, 0, "P", 1), 0);
    wf_buf_reset(&b);
    wf_doc_flush(peer, &b);
    ck_assert_int_eq(wf_doc_apply(ed.buf->doc, b.data, b.len), 0);
    wf_buf_free(&b);
    wf_doc_free(peer);
    feed("f" CTRL_Z);
    expect_text("Pgbase\n");
    ck_assert(ed.buf->modified);
    feed(CTRL_S);
    ck_assert(!ed.buf->modified);
    expect_file("Pgbase\n", 7);
}
END_TEST

/* Select all, delete, undo: the view shows the restored text where it was (it was at the
 * end, where select-all put the cursor). The top of the view was anchored in the deleted
 * text, and the undo brings the text back as new units before the deleted ones: the
 * anchor resolved after all of it, showing only the empty last line, until a key moved the
 * cursor (seen on a 100 MB file; any file taller than the screen). */
START_TEST(test_edit__undo_delete_all_keeps_view)
{
    char text[100 * 8 + 1];
    size_t n = 0;
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "line %02d\n", i);
    open_with(text, n);
    feed(CTRL_A);
    size_t top = ed.buf->view.top_line;
    ck_assert_uint_eq(top, 100 - (size_t)ed.buf->view.rows + 1);
    feed(DEL);
    expect_text("");
    feed(CTRL_Z);
    ck_assert_uint_eq(wf_doc_len(ed.buf->doc), n);
    ck_assert_uint_eq(ed.buf->view.top_line, top);
    ck_assert_uint_eq(wf_doc_line_of(ed.buf->doc, ed.buf->view.cur), 100);
    /* and again, after a redo */
    feed(CTRL_Y CTRL_Z);
    ck_assert_uint_eq(ed.buf->view.top_line, top);
}
END_TEST

/* Messages go to the log; Alt-M shows it (any other key returns, and is not typed); Ctrl-L
 * asks for a full redraw; neither changes the text. */
START_TEST(test_edit__message_log_and_redraw)
{
    open_text("abc\n");
    size_t before = msglog_count(&ed.log);
    feed("\x02"); /* Ctrl-B: bound to nothing */
    ck_assert(strstr(ed.msg, "Ctrl-B does nothing"));
    ck_assert_uint_eq(msglog_count(&ed.log), before + 1);
    ck_assert(strstr(msglog_get(&ed.log, before)->text, "Ctrl-B does nothing"));
    feed("\x1bm");
    ck_assert(ed.messages);
    feed(UP DOWN "\x1b[5~");
    ck_assert(ed.messages);
    feed("x");
    ck_assert(!ed.messages);
    expect_text("abc\n");
    ck_assert(!ed.redraw_all);
    feed("\x0c");
    ck_assert(ed.redraw_all);
    expect_text("abc\n");
    ck_assert(!ed.buf->modified);
}
END_TEST

START_TEST(test_edit__new_file)
{
    open_with(NULL, 0);
    ck_assert(strstr(ed.msg, "New file"));
    feed("hi" CTRL_S);
    expect_file("hi", 2);
    struct stat sb;
    ck_assert_int_eq(stat(path, &sb), 0);
    mode_t mask = umask(0);
    umask(mask);
    ck_assert_int_eq(sb.st_mode & 0777, 0666 & ~mask);
}
END_TEST

START_TEST(test_edit__changed_on_disk)
{
    open_text("mine\n");
    feed("!");
    put_file("theirs, longer\n", 15);
    feed(CTRL_S);
    ck_assert_int_eq(ed.prompt.kind, PROMPT_OVERWRITE);
    feed("n");
    expect_file("theirs, longer\n", 15);
    ck_assert(ed.buf->modified);
    feed(CTRL_S "y");
    expect_file("!mine\n", 6);
    ck_assert(!ed.buf->modified);
    feed("?" CTRL_S); /* our own save is not a change on disk */
    ck_assert_int_eq(ed.prompt.kind, PROMPT_NONE);
    expect_file("!?mine\n", 7);
}
END_TEST

START_TEST(test_edit__save_error_keeps_buffer)
{
    char sub[600];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    snprintf(path, sizeof path, "%s/sub/f.txt", dir);
    open_text("text\n");
    feed("more ");
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(rmdir(sub), 0);
    feed(CTRL_S);
    ck_assert_int_eq(ed.prompt.kind, PROMPT_OVERWRITE); /* the file is gone: ask first */
    feed("y");
    ck_assert(ed.msg_error);
    ck_assert_msg(strstr(ed.msg, "Not saved") && strstr(ed.msg, "directory no longer exists"),
                  "%s", ed.msg);
    ck_assert(ed.buf->modified);
    expect_text("more text\n");
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    feed(CTRL_S "y");
    ck_assert(!ed.buf->modified);
    expect_file("more text\n", 10);
}
END_TEST

START_TEST(test_edit__mouse_and_messages)
{
    open_text("abc\n\xe4\xb8\xad\xe6\x96\x87z\n");
    feed("\x1b[<0;4;2M\x1b[<0;4;2m"); /* column 3 of row 1: the second ideograph */
    expect_cursor(1, 1);
    feed("\x1b[<0;2;1M\x1b[<32;4;1M\x1b[<0;4;1m"); /* drag over "bc" */
    size_t from, to;
    ck_assert(view_selection(&ed.buf->view, &from, &to));
    ck_assert_uint_eq(from, 1);
    ck_assert_uint_eq(to, 3);
    feed(CTRL_T);
    ck_assert(strstr(ed.msg, "Not in a shared session"));
    feed(CTRL_O);
    ck_assert(strstr(ed.msg, "Not in a shared session"));
    feed("\x1b[24~");
    ck_assert(strstr(ed.msg, "F12 does nothing"));
    feed("\x1bOP");
    ck_assert(ed.help);
    feed("\x1b");
    ck_assert(!ed.help);
}
END_TEST

/* Two presses at one cell within the click time select the word, three the line; a
 * fourth starts over; a press elsewhere or later is a single click. */
START_TEST(test_edit__double_and_triple_click)
{
    open_text("foo bar_baz qux\nnext\n");
    feed("\x1b[<0;7;1M\x1b[<0;7;1m"); /* in "bar_baz" */
    now += 100;
    feed("\x1b[<0;7;1M\x1b[<0;7;1m");
    size_t from, to;
    ck_assert(view_selection(&ed.buf->view, &from, &to));
    ck_assert_uint_eq(from, 4);
    ck_assert_uint_eq(to, 11);
    now += 100;
    feed("\x1b[<0;7;1M\x1b[<0;7;1m");
    ck_assert(view_selection(&ed.buf->view, &from, &to));
    ck_assert_uint_eq(from, 0);
    ck_assert_uint_eq(to, 16); /* the line with its break */
    now += 100;
    feed("\x1b[<0;7;1M\x1b[<0;7;1m");
    ck_assert(!view_selection(&ed.buf->view, &from, &to));
    now += 1000;
    feed("\x1b[<0;7;1M\x1b[<0;7;1m");
    ck_assert(!view_selection(&ed.buf->view, &from, &to));
    /* The wheel scrolls without moving the cursor. */
    for (int i = 0; i < 10; i++)
        feed("\r");
    feed("\x1b[<65;1;1M");
    ck_assert_uint_gt(ed.buf->view.top_line, 0);
}
END_TEST

/* Random keys: the document stays consistent (wf_doc_check), the cursor in range; undoing
 * everything gives back the file as loaded, redoing everything the text before the undo
 * (after redoing what the random keys themselves left undone).
 * The seed is printed; WEFT_SEED=N replays it. */
START_TEST(test_edit__random_keys)
{
    static const char *const keys[] = {
        "a", "xyz", "\xc3\xa9", "\xe4\xb8\xad", "e\xcc\x81", "\xf0\x9f\x98\x80", "\t", "\r", BS,
        DEL, LEFT, RIGHT, UP, DOWN, HOME, END, S_LEFT, S_RIGHT, "\x1b[1;2A", "\x1b[1;2B",
        C_LEFT, C_RIGHT, C_HOME, C_END, "\x1b[5~", "\x1b[6~", CTRL_A, CTRL_C, CTRL_X, CTRL_V,
        CTRL_Z, CTRL_Y, "\x1b[200~p\rq\x1b[201~", "\x1b\x7f", "\x1b[3;5~", "\xff",
    };
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("test_edit__random_keys"));
    const char *orig = "first line\n\tsecond \xe4\xb8\xad\xe6\x96\x87\r\nthird\n";
    open_text(orig);
    char msg[256];
    for (int i = 0; i < 3000; i++) {
        if (wt_rng_chance(&rng, 1, 10))
            now += 1000; /* a pause: a new undo step */
        feed(keys[wt_rng_below(&rng, sizeof keys / sizeof keys[0])]);
        ck_assert_msg(wf_doc_check(ed.buf->doc, msg, sizeof msg) == 0, "step %d: %s", i, msg);
        ck_assert_uint_le(ed.buf->view.cur, wf_doc_len(ed.buf->doc));
    }
    while (wf_doc_can_redo(ed.buf->doc)) /* steps undone by the random keys come back first */
        feed(CTRL_Y);
    size_t n;
    char *before = wf_doc_text(ed.buf->doc, 0, wf_doc_len(ed.buf->doc), &n);
    while (wf_doc_can_undo(ed.buf->doc))
        feed(CTRL_Z);
    expect_text(orig);
    while (wf_doc_can_redo(ed.buf->doc))
        feed(CTRL_Y);
    size_t m;
    char *after = wf_doc_text(ed.buf->doc, 0, wf_doc_len(ed.buf->doc), &m);
    ck_assert_msg(m == n && memcmp(before, after, n) == 0, "redo all: \"%s\", want \"%s\"",
                  after, before);
    free(before);
    free(after);
}
END_TEST

static Suite *edit_suite(void)
{
    Suite *s = suite_create("app_edit");
    TCase *tc = tcase_create("typing");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_edit__typing_and_moving);
    tcase_add_test(tc, test_edit__enter_keeps_indent);
    tcase_add_test(tc, test_edit__crlf_file);
    tcase_add_test(tc, test_edit__delete_clusters);
    tcase_add_test(tc, test_edit__invalid_bytes_kept);
    suite_add_tcase(s, tc);
    tc = tcase_create("clipboard_undo");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_edit__selection_cut_paste);
    tcase_add_test(tc, test_edit__line_copy_without_selection);
    tcase_add_test(tc, test_edit__undo_groups);
    tcase_add_test(tc, test_edit__bracketed_paste_one_step);
    tcase_add_test(tc, test_edit__undo_delete_all_keeps_view);
    suite_add_tcase(s, tc);
    tc = tcase_create("moving");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_edit__vertical_keeps_goal);
    tcase_add_test(tc, test_edit__words);
    tcase_add_test(tc, test_edit__find);
    tcase_add_test(tc, test_edit__goto);
    tcase_add_test(tc, test_edit__mouse_and_messages);
    tcase_add_test(tc, test_edit__double_and_triple_click);
    tcase_add_test(tc, test_edit__message_log_and_redraw);
    suite_add_tcase(s, tc);
    tc = tcase_create("files");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_edit__save_and_quit);
    tcase_add_test(tc, test_edit__modified_follows_undo);
    tcase_add_test(tc, test_edit__new_file);
    tcase_add_test(tc, test_edit__changed_on_disk);
    tcase_add_test(tc, test_edit__save_error_keeps_buffer);
    suite_add_tcase(s, tc);
    tc = tcase_create("random");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_edit__random_keys);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(edit_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
