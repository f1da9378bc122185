/* Tests of app/editor/session.c and the editor's session behaviour without a terminal or a
 * network: two documents stand for two replicas (their edits cross with wf_doc_flush /
 * wf_doc_apply), and the session's ops are recorded instead of sent. Covers sending edits
 * and presence once per change, the typing mark, the people list, following (the view
 * tracks their cursor, ours stays, our keys stop it), read-only refusals, a guest's Ctrl-S
 * online and offline, a guest's quit with unsent edits, and the Ctrl-T and Ctrl-O keys. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/editor/editor.h"
#include "app/editor/route.h"
#include "app/editor/keys.h"
#include "app/editor/session.h"
#include "app/editor/text.h"
#include "core/anchor.h"
#include "core/buf.h"
#include "core/codec.h"
#include "core/doc.h"

#define CTRL(c) ((char)((c) & 0x1f))
#define ESC "\x1b"
#define RIGHT "\x1b[C"
#define DOWN "\x1b[B"
#define S_RIGHT "\x1b[1;2C"
#define TAB "\t"

static struct editor ed;
static struct session sess;
static wf_doc *theirs;       /* the other replica */
static uint64_t now;         /* the fake clock, ms */
static int edited_calls, presence_calls, save_calls, saved_calls;
static char saved_text[600];
static wn_presence last_presence;
static char dir[256];

static uint64_t fake_clock(void)
{
    return now;
}

static void op_edited(void *ctx)
{
    (void)ctx;
    edited_calls++;
}

static void op_presence(void *ctx, const wn_presence *p)
{
    (void)ctx;
    presence_calls++;
    last_presence = *p;
}

static void op_save(void *ctx)
{
    (void)ctx;
    save_calls++;
}

static void op_saved(void *ctx, const char *text)
{
    (void)ctx;
    saved_calls++;
    snprintf(saved_text, sizeof saved_text, "%s", text);
}

static const struct session_ops ops = {.edited = op_edited, .presence = op_presence,
                                       .save = op_save, .saved = op_saved};

static void on_event(void *ctx, const struct keyev *ev)
{
    editor_event(ctx, ev);
}

static void feed(const char *s)
{
    struct keys k;
    keys_init(&k);
    keys_feed(&k, s, strlen(s), on_event, &ed);
    keys_flush(&k, on_event, &ed);
    keys_close(&k);
}

/* Our whole state, applied to theirs (what they have already is skipped). */
static void deliver_ours(void)
{
    wf_buf b;
    wf_buf_init(&b);
    wf_doc_encode_diff(ed.buf->doc, NULL, &b);
    ck_assert_int_eq(wf_doc_apply(theirs, b.data, b.len), 0);
    wf_buf_free(&b);
}

/* Their local edits, applied to our document as the network would, and the view synced. */
static void deliver_theirs(void)
{
    wf_buf b;
    wf_buf_init(&b);
    wf_doc_flush(theirs, &b);
    ck_assert_int_eq(wf_doc_apply(ed.buf->doc, b.data, b.len), 0);
    wf_buf_free(&b);
    editor_doc_changed(&ed);
    session_follow_update(&ed);
}

static char *text_of(const wf_doc *doc)
{
    return wf_doc_text(doc, 0, wf_doc_len(doc), NULL);
}

/* A document of n lines "line 0\n" ..., and the same text in theirs. */
static void start(int role, int lines)
{
    size_t cap = (size_t)lines * 16 + 1, n = 0;
    char *buf = malloc(cap);
    for (int i = 0; i < lines; i++)
        n += (size_t)snprintf(buf + n, cap - n, "line %d\n", i);
    wf_doc *doc = wf_doc_new(1);
    ck_assert_int_eq(wf_doc_load(doc, buf, n), 0);
    theirs = wf_doc_new(2);
    wf_buf b;
    wf_buf_init(&b);
    wf_doc_encode_diff(doc, NULL, &b); /* the loaded text is the base state */
    ck_assert_int_eq(wf_doc_apply(theirs, b.data, b.len), 0);
    wf_buf_free(&b);
    char path[300];
    snprintf(path, sizeof path, "%s/copy.txt", dir);
    editor_open_doc(&ed, doc, path, "their session");
    ed.clock = fake_clock;
    session_init(&sess, role, &ops, NULL);
    sess.synced = true;
    sess.link = SESSION_ONLINE;
    snprintf(sess.host_name, sizeof sess.host_name, "hana");
    ed.session = &sess;
    editor_resize(&ed, 12, 40); /* 10 text rows */
    session_update(&ed);       /* as the UI does after a resize */
}

/* Their presence: cursor at pos, selection other end at sel (or none), view top line. */
static wn_presence them(size_t pos, size_t sel, size_t top)
{
    wn_presence p;
    memset(&p, 0, sizeof p);
    p.agent = 2;
    p.colour = 3;
    snprintf(p.name, sizeof p.name, "bob");
    p.flags = WN_PRESENCE_CURSOR | WN_PRESENCE_VIEW;
    p.cursor = wf_doc_anchor_at(theirs, pos, 0);
    if (sel != WF_NOPOS) {
        p.flags |= WN_PRESENCE_SELECTION;
        p.selection = wf_doc_anchor_at(theirs, sel, -1);
    }
    p.view_top = wf_doc_anchor_at(theirs, wf_doc_line_start(theirs, top), -1);
    p.view_lines = 10;
    return p;
}

static void setup(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/weft-session-XXXXXX", t && *t ? t : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    now = 1000;
    edited_calls = presence_calls = save_calls = saved_calls = 0;
    memset(&last_presence, 0, sizeof last_presence);
}

static void teardown(void)
{
    ed.session = NULL;
    editor_close(&ed);
    session_close(&sess);
    wf_doc_free(theirs);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* --- sending -------------------------------------------------------------------------- */

START_TEST(test_session__edits_and_presence_sent_on_change)
{
    start(SESSION_HOST, 5);
    int p0 = presence_calls;
    ck_assert_int_ge(p0, 1); /* the resize told our view's height */
    feed("x");
    ck_assert_int_eq(edited_calls, 1);
    ck_assert_int_eq(presence_calls, p0 + 1);
    ck_assert(last_presence.flags & WN_PRESENCE_TYPING);
    ck_assert_uint_eq(wf_doc_anchor_pos(ed.buf->doc, last_presence.cursor), 1);
    /* A key that changes nothing sends nothing. */
    feed(ESC);
    ck_assert_int_eq(edited_calls, 1);
    ck_assert_int_eq(presence_calls, p0 + 1);
    /* Their edit before our cursor moves its position, not its anchor: nothing to send. */
    deliver_ours();
    ck_assert_int_eq(wf_doc_insert(theirs, 0, "abc", 3), 0);
    deliver_theirs();
    session_update(&ed);
    ck_assert_int_eq(presence_calls, p0 + 1);
    ck_assert_uint_eq(ed.buf->view.cur, 4);
    /* The typing mark ends after SESSION_TYPING_MS, with one more presence. */
    session_tick(&ed, now + SESSION_TYPING_MS - 1);
    ck_assert(sess.typing);
    session_tick(&ed, now + SESSION_TYPING_MS);
    ck_assert(!sess.typing);
    ck_assert_int_eq(presence_calls, p0 + 2);
    ck_assert(!(last_presence.flags & WN_PRESENCE_TYPING));
    /* Moving sends presence, not edits. */
    feed(DOWN);
    ck_assert_int_eq(edited_calls, 1);
    ck_assert_int_eq(presence_calls, p0 + 3);
}
END_TEST

/* Typing at the same place at once: our cursor stays right after our own last key, with
 * their text beyond it, so that our next key continues our run instead of landing after
 * theirs (which would interleave the two runs on every screen), and our presence says so. */
START_TEST(test_session__concurrent_typing_keeps_our_run)
{
    start(SESSION_HOST, 2);
    feed("xy");
    ck_assert_int_eq(wf_doc_insert(theirs, 0, "ABC", 3), 0); /* concurrent: not seen "xy" */
    deliver_theirs();
    session_update(&ed);
    feed("z");
    char *text = text_of(ed.buf->doc);
    ck_assert_msg(strncmp(text, "xyzABC", 6) == 0 || strncmp(text, "ABCxyz", 6) == 0,
                  "the runs interleaved: '%.12s'", text);
    free(text);
    size_t pos = wf_doc_anchor_pos(ed.buf->doc, last_presence.cursor);
    ck_assert_uint_eq(pos, ed.buf->view.cur);
    char *before = wf_doc_text(ed.buf->doc, pos - 1, 1, NULL);
    ck_assert_str_eq(before, "z");
    free(before);
}
END_TEST

START_TEST(test_session__selection_anchors)
{
    start(SESSION_HOST, 3);
    feed(RIGHT S_RIGHT S_RIGHT); /* mark at 1, cursor at 3 */
    ck_assert(last_presence.flags & WN_PRESENCE_SELECTION);
    ck_assert_int_eq(last_presence.cursor.assoc, 0);
    ck_assert_int_eq(last_presence.selection.assoc, 0); /* the start: binds forward */
    ck_assert_uint_eq(wf_doc_anchor_pos(ed.buf->doc, last_presence.selection), 1);
    /* Typing by them at the selection's start does not grow it for the others. */
    ck_assert_int_eq(wf_doc_insert(theirs, 1, "ZZ", 2), 0);
    deliver_theirs();
    ck_assert_uint_eq(wf_doc_anchor_pos(ed.buf->doc, last_presence.selection), 3);
    /* Selecting backwards: the other end is the selection's end, assoc -1. */
    feed(ESC "\x1b[1;2D");
    ck_assert(last_presence.flags & WN_PRESENCE_SELECTION);
    ck_assert_int_eq(last_presence.selection.assoc, -1);
    ck_assert(last_presence.flags & WN_PRESENCE_VIEW);
    ck_assert_uint_eq(last_presence.view_lines, 10);
}
END_TEST

START_TEST(test_session__people_keep_order)
{
    start(SESSION_HOST, 3);
    wn_presence list[3];
    memset(list, 0, sizeof list);
    for (int i = 0; i < 3; i++) {
        list[i].agent = (uint64_t)(10 + i);
        snprintf(list[i].name, sizeof list[i].name, "p%d", i);
    }
    char joined[64], left[64];
    session_set_people(&sess, list, 2, joined, left, sizeof joined);
    ck_assert_str_eq(joined, "p0, p1");
    ck_assert_str_eq(left, "");
    /* Reversed, with p2 new and p0 gone: p1 keeps its place, p2 comes after. */
    wn_presence again[2] = {list[2], list[1]};
    session_set_people(&sess, again, 2, joined, left, sizeof joined);
    ck_assert_str_eq(joined, "p2");
    ck_assert_str_eq(left, "p0");
    ck_assert_uint_eq(sess.npeople, 2);
    ck_assert_str_eq(sess.people[0].name, "p1");
    ck_assert_str_eq(sess.people[1].name, "p2");
    ck_assert_ptr_null(session_find(&sess, 10));
    session_set_people(&sess, NULL, 0, NULL, NULL, 0);
    ck_assert_uint_eq(sess.npeople, 0);
}
END_TEST

/* The host's Ctrl-S tells the others what was saved; editor_save itself tells nobody (the
 * editor state does not reach into the session: its callers do). */
START_TEST(test_session__host_save_tells_the_others)
{
    start(SESSION_HOST, 3);
    feed("x");
    feed((char[]){CTRL('s'), 0});
    ck_assert_int_eq(saved_calls, 1);
    ck_assert_str_eq(saved_text, ed.msg);
    ck_assert_msg(strncmp(saved_text, "Saved 3 lines to ", 17) == 0, "%s", saved_text);
    ck_assert(!ed.buf->modified);
    ck_assert(editor_save(&ed, true));
    ck_assert_int_eq(saved_calls, 1);
}
END_TEST

/* --- following ------------------------------------------------------------------------ */

START_TEST(test_session__follow_tracks_their_cursor)
{
    start(SESSION_GUEST, 1000);
    size_t at = wf_doc_line_start(theirs, 500) + 2;
    wn_presence p = them(at, WF_NOPOS, 495);
    session_set_people(&sess, &p, 1, NULL, NULL, 0);
    /* Ctrl-O opens the chooser on the only participant; Enter follows. */
    feed((char[]){CTRL('o'), 0});
    ck_assert_int_eq(ed.prompt.kind, PROMPT_FOLLOW);
    feed("\r");
    ck_assert_uint_eq(sess.follow, 2);
    ck_assert_uint_eq(ed.buf->view.top_line, 495); /* what they see */
    ck_assert_uint_eq(ed.buf->view.cur, 0);        /* our cursor stayed */
    /* They move far down without telling their view: their line is centred. */
    p = them(wf_doc_line_start(theirs, 900), WF_NOPOS, 495);
    p.flags &= (uint8_t)~WN_PRESENCE_VIEW;
    session_set_people(&sess, &p, 1, NULL, NULL, 0);
    session_follow_update(&ed);
    ck_assert_uint_eq(ed.buf->view.top_line, 900 - 5);
    /* They insert lines above themselves: we still see their cursor's line. */
    ck_assert_int_eq(wf_doc_insert(theirs, 0, "new\nnew\nnew\n", 12), 0);
    deliver_theirs();
    size_t line = wf_doc_line_of(ed.buf->doc, wf_doc_anchor_pos(ed.buf->doc, p.cursor));
    ck_assert_uint_eq(line, 903);
    ck_assert(line >= ed.buf->view.top_line && line < ed.buf->view.top_line + 10);
    /* Ctrl-T and F1 keep following; a move of ours stops it. */
    feed((char[]){CTRL('t'), 0});
    ck_assert(ed.tickets == false); /* a guest without tickets says so */
    ck_assert_uint_eq(sess.follow, 2);
    feed(DOWN);
    ck_assert_uint_eq(sess.follow, 0);
    ck_assert_msg(strstr(ed.msg, "Stopped following bob"), "message: %s", ed.msg);
    /* Our cursor stayed on "line 0", which their insert pushed down to line 3. */
    ck_assert_uint_eq(wf_doc_line_of(ed.buf->doc, ed.buf->view.cur), 4);
    ck_assert_uint_le(ed.buf->view.top_line, 4); /* back at our own cursor */
}
END_TEST

START_TEST(test_session__follow_ends_when_they_leave)
{
    start(SESSION_HOST, 50);
    wn_presence p = them(wf_doc_line_start(theirs, 30), WF_NOPOS, 25);
    session_set_people(&sess, &p, 1, NULL, NULL, 0);
    ck_assert(session_follow(&ed, 2));
    ck_assert_uint_eq(ed.buf->view.top_line, 25);
    ck_assert(!session_follow(&ed, 99));
    session_set_people(&sess, NULL, 0, NULL, NULL, 0);
    session_follow_update(&ed);
    ck_assert_uint_eq(sess.follow, 0);
    ck_assert_msg(strstr(sess.notice, "left"), "notice: %s", sess.notice);
    ck_assert_uint_eq(ed.buf->view.top_line, 25); /* the view stays where it was */
    /* The notice goes away after SESSION_NOTICE_MS. */
    ck_assert(!session_tick(&ed, now + 10));
    ck_assert(session_tick(&ed, now + SESSION_NOTICE_MS));
    ck_assert_str_eq(sess.notice, "");
}
END_TEST

START_TEST(test_session__follow_chooser_cycles)
{
    start(SESSION_HOST, 50);
    wn_presence list[2] = {them(0, WF_NOPOS, 0), them(wf_doc_line_start(theirs, 40), WF_NOPOS, 35)};
    list[1].agent = 3;
    snprintf(list[1].name, sizeof list[1].name, "cy");
    session_set_people(&sess, list, 2, NULL, NULL, 0);
    feed((char[]){CTRL('o'), 0});
    ck_assert_uint_eq(ed.follow_pick, 0);
    feed(TAB);
    ck_assert_uint_eq(ed.follow_pick, 1);
    feed(TAB);
    ck_assert_uint_eq(ed.follow_pick, 0);
    feed("\x1b[D"); /* Left wraps to the last */
    ck_assert_uint_eq(ed.follow_pick, 1);
    feed("\r");
    ck_assert_uint_eq(sess.follow, 3);
    ck_assert_uint_eq(ed.buf->view.top_line, 35);
    /* Following, the chooser offers "nobody" after the participants. */
    feed((char[]){CTRL('o'), 0});
    ck_assert_uint_eq(ed.follow_pick, 1);
    feed(TAB "\r");
    ck_assert_uint_eq(sess.follow, 0);
    /* Esc cancels. */
    feed((char[]){CTRL('o'), 0});
    feed(ESC);
    ck_assert_int_eq(ed.prompt.kind, PROMPT_NONE);
    ck_assert_uint_eq(sess.follow, 0);
    /* Alone, there is nobody to follow. */
    session_set_people(&sess, NULL, 0, NULL, NULL, 0);
    feed((char[]){CTRL('o'), 0});
    ck_assert_int_eq(ed.prompt.kind, PROMPT_NONE);
    ck_assert_msg(strstr(ed.msg, "Nobody"), "message: %s", ed.msg);
}
END_TEST

/* --- guests --------------------------------------------------------------------------- */

START_TEST(test_session__read_only_refuses_edits)
{
    start(SESSION_GUEST, 3);
    sess.read_only = true;
    char *before = text_of(ed.buf->doc);
    feed("abc\r\x7f" "\x1b[3~");
    feed((char[]){CTRL('v'), CTRL('x'), CTRL('z'), 0});
    feed("\x1b[200~pasted\x1b[201~");
    char *after = text_of(ed.buf->doc);
    ck_assert_str_eq(after, before);
    ck_assert_int_eq(edited_calls, 0);
    ck_assert_msg(strstr(ed.msg, "Read-only"), "message: %s", ed.msg);
    ck_assert(last_presence.flags & WN_PRESENCE_READONLY);
    /* Moving, selecting and copying work. */
    feed(RIGHT S_RIGHT);
    ck_assert_uint_eq(ed.buf->view.cur, 2);
    feed((char[]){CTRL('c'), 0});
    ck_assert_str_eq(ed.clip.text, "i");
    free(before);
    free(after);
}
END_TEST

START_TEST(test_session__no_edits_before_the_document)
{
    start(SESSION_GUEST, 1);
    sess.synced = false;
    sess.link = SESSION_CONNECTING;
    feed("x");
    ck_assert_int_eq(edited_calls, 0);
    ck_assert_msg(strstr(ed.msg, "not arrived"), "message: %s", ed.msg);
    feed((char[]){CTRL('s'), 0});
    ck_assert_int_eq(save_calls, 0);
    ck_assert_int_eq(ed.prompt.kind, PROMPT_NONE);
}
END_TEST

START_TEST(test_session__guest_save_online_and_offline)
{
    start(SESSION_GUEST, 2);
    feed((char[]){CTRL('s'), 0});
    ck_assert_int_eq(save_calls, 1);
    ck_assert_msg(strstr(ed.msg, "Asked hana to save"), "message: %s", ed.msg);
    /* Offline: Ctrl-S offers a copy at the default path; Enter writes it. */
    sess.link = SESSION_RECONNECTING;
    feed("new ");
    feed((char[]){CTRL('s'), 0});
    ck_assert_int_eq(save_calls, 1);
    ck_assert_int_eq(ed.prompt.kind, PROMPT_SAVE_COPY);
    ck_assert_str_eq(ed.prompt.text, ed.buf->path);
    feed((char[]){CTRL('u'), 0});
    char where[300];
    snprintf(where, sizeof where, "%s/mine.txt", dir);
    feed(where);
    feed("\r");
    ck_assert_int_eq(ed.prompt.kind, PROMPT_NONE);
    ck_assert_msg(strstr(ed.msg, "Saved a copy"), "message: %s", ed.msg);
    FILE *f = fopen(where, "rb");
    ck_assert_ptr_nonnull(f);
    char buf[64] = {0};
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    ck_assert_uint_eq(n, strlen("new line 0\nline 1\n"));
    ck_assert_str_eq(buf, "new line 0\nline 1\n");
    /* Esc saves nothing. */
    feed((char[]){CTRL('s'), 0});
    feed(ESC);
    ck_assert_int_eq(ed.prompt.kind, PROMPT_NONE);
    ck_assert_msg(strstr(ed.msg, "No copy"), "message: %s", ed.msg);
}
END_TEST

START_TEST(test_session__guest_quit)
{
    start(SESSION_GUEST, 2);
    feed("x");
    /* Online: quitting needs no question, what is in flight still goes out. */
    sess.unsent = 1;
    feed((char[]){CTRL('q'), 0});
    ck_assert(ed.quit);
    ed.quit = false;
    /* Offline with unsent edits: asked; n stays, y quits. A deletion counts too, though
     * the unsent count (units inserted) does not see it. */
    sess.link = SESSION_OFFLINE;
    sess.unsent = 0;
    feed((char[]){CTRL('q'), 0});
    ck_assert(ed.quit); /* nothing made offline yet */
    ed.quit = false;
    feed("\x1b[3~");
    ck_assert_uint_eq(sess.offline_edits, 1);
    feed((char[]){CTRL('q'), 0});
    ck_assert_int_eq(ed.prompt.kind, PROMPT_LEAVE);
    feed("n");
    ck_assert(!ed.quit);
    feed((char[]){CTRL('q'), 0});
    feed("y");
    ck_assert(ed.quit);
}
END_TEST

/* A guest's resync hands over a new document with the same IDs: the view and cursor stay
 * on their text, and the others' anchors still resolve. */
START_TEST(test_session__replaced_doc_keeps_view)
{
    start(SESSION_GUEST, 100);
    feed("\x1b[6~" DOWN DOWN RIGHT); /* PgDn: top line 9, cursor further down */
    size_t top = ed.buf->view.top_line, cur = ed.buf->view.cur;
    ck_assert_uint_gt(top, 0);
    wn_presence p = them(wf_doc_line_start(theirs, 50), WF_NOPOS, 45);
    session_set_people(&sess, &p, 1, NULL, NULL, 0);
    wf_doc *fresh = wf_doc_new(wf_doc_agent(ed.buf->doc));
    wf_buf b;
    wf_buf_init(&b);
    wf_doc_encode_diff(ed.buf->doc, NULL, &b);
    ck_assert_int_eq(wf_doc_apply(fresh, b.data, b.len), 0);
    wf_buf_free(&b);
    editor_replace_doc(&ed, fresh);
    ck_assert_ptr_eq(ed.buf->doc, fresh);
    ck_assert_uint_eq(ed.buf->view.top_line, top);
    ck_assert_uint_eq(ed.buf->view.cur, cur);
    ck_assert_uint_eq(wf_doc_anchor_pos(ed.buf->doc, sess.people[0].cursor),
                      wf_doc_line_start(ed.buf->doc, 50));
    /* Typing goes on in the new document. */
    feed("z");
    ck_assert_int_eq(edited_calls, 1);
    char *t = wf_doc_text(ed.buf->doc, cur, 1, NULL);
    ck_assert_str_eq(t, "z");
    free(t);
}
END_TEST

START_TEST(test_session__tickets_screen)
{
    start(SESSION_HOST, 2);
    session_add_ticket(&sess, "read-write: weft://AAAAAAAAAAAAAAAAAAAAAA@127.0.0.1:1");
    feed((char[]){CTRL('t'), 0});
    ck_assert(ed.tickets);
    feed("x"); /* any key closes it, and does nothing else */
    ck_assert(!ed.tickets);
    ck_assert_uint_eq(wf_doc_len(ed.buf->doc), strlen("line 0\nline 1\n"));
}
END_TEST

/* What join.c learns of the link goes through the setters, with their consequences. */
START_TEST(test_session__network_setters)
{
    start(SESSION_GUEST, 2);
    sess.synced = false;
    session_set_link(&sess, SESSION_CONNECTING);
    ck_assert(!session_may_edit(&sess, &(const char *){NULL}));
    session_set_synced(&sess);
    ck_assert(sess.synced);
    /* Offline, our edits are counted (deletions too, which the unit count misses). */
    session_set_link(&sess, SESSION_RECONNECTING);
    ck_assert_int_eq(sess.link, SESSION_RECONNECTING);
    feed("x\x7f");
    ck_assert_uint_eq(sess.offline_edits, 2);
    /* Online again: the join's exchange carried them, and the host forgot our presence: the
     * next update hands it on again, though it did not change, and only once. */
    int p = presence_calls;
    session_update(&ed);
    ck_assert_int_eq(presence_calls, p);
    session_set_link(&sess, SESSION_ONLINE);
    ck_assert_int_eq(sess.link, SESSION_ONLINE);
    ck_assert_uint_eq(sess.offline_edits, 0);
    session_update(&ed);
    ck_assert_int_eq(presence_calls, p + 1);
    session_update(&ed);
    ck_assert_int_eq(presence_calls, p + 1);
    /* Other links leave both alone. */
    feed("y");
    session_set_link(&sess, SESSION_OFFLINE);
    ck_assert_uint_eq(sess.offline_edits, 0);
    feed("z");
    ck_assert_uint_eq(sess.offline_edits, 1);
    session_set_link(&sess, SESSION_ENDED);
    ck_assert_uint_eq(sess.offline_edits, 1);
    /* The host: its name (cut to fit) and our role. */
    char longname[2 * WN_NAME_MAX];
    memset(longname, 'h', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    session_set_host(&sess, longname, true);
    ck_assert_uint_eq(strlen(sess.host_name), WN_NAME_MAX);
    ck_assert(sess.read_only);
    session_set_host(&sess, "hana", false);
    ck_assert_str_eq(sess.host_name, "hana");
    ck_assert(!sess.read_only);
    /* The digest's verdict and the unsent count: true when what is shown changes. */
    ck_assert(session_set_sync_state(&sess, true, 0));
    ck_assert(!session_set_sync_state(&sess, true, 0));
    ck_assert(session_set_sync_state(&sess, true, 7));
    ck_assert_uint_eq(sess.unsent, 7);
    ck_assert(session_set_sync_state(&sess, false, 7));
    ck_assert(!sess.in_sync);
    /* A notice kept stays past SESSION_NOTICE_MS; a later one replaces it as usual. */
    session_notice(&sess, now, true, "The host ended the session.");
    session_keep_notice(&sess);
    ck_assert(!session_tick(&ed, now + 100 * SESSION_NOTICE_MS));
    ck_assert_str_eq(sess.notice, "The host ended the session.");
    session_notice(&sess, now, false, "Saved a copy.");
    ck_assert(session_tick(&ed, now + SESSION_NOTICE_MS));
    ck_assert_str_eq(sess.notice, "");
}
END_TEST

static Suite *session_suite(void)
{
    Suite *s = suite_create("app_session");
    TCase *tc = tcase_create("sending");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_session__edits_and_presence_sent_on_change);
    tcase_add_test(tc, test_session__concurrent_typing_keeps_our_run);
    tcase_add_test(tc, test_session__selection_anchors);
    tcase_add_test(tc, test_session__people_keep_order);
    tcase_add_test(tc, test_session__host_save_tells_the_others);
    suite_add_tcase(s, tc);
    tc = tcase_create("following");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_session__follow_tracks_their_cursor);
    tcase_add_test(tc, test_session__follow_ends_when_they_leave);
    tcase_add_test(tc, test_session__follow_chooser_cycles);
    suite_add_tcase(s, tc);
    tc = tcase_create("guests");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_session__read_only_refuses_edits);
    tcase_add_test(tc, test_session__no_edits_before_the_document);
    tcase_add_test(tc, test_session__guest_save_online_and_offline);
    tcase_add_test(tc, test_session__guest_quit);
    tcase_add_test(tc, test_session__tickets_screen);
    tcase_add_test(tc, test_session__network_setters);
    tcase_add_test(tc, test_session__replaced_doc_keeps_view);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(session_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
