/* Tests of app/ui/status.c: what the status line says alone, as a host and as a guest in each
 * link state, with participants (typing, following, read-only), and what it drops first
 * when the terminal is narrow. Every composed line must fit its width with no overlap. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/editor.h"
#include "app/editor/session.h"
#include "app/ui/status.h"
#include "core/doc.h"

static struct editor ed;
static struct session sess;

static void setup(void)
{
    wf_doc *doc = wf_doc_new(1);
    char *text = strdup("one\ntwo 😀x\n");
    ck_assert_int_eq(wf_doc_load(doc, text, strlen(text)), 0);
    editor_open_doc(&ed, doc, "dir/notes.md", NULL);
    editor_resize(&ed, 10, 80);
    session_init(&sess, SESSION_HOST, NULL, NULL);
}

static void teardown(void)
{
    editor_close(&ed);
    session_close(&sess);
}

/* Composes at width cols, checks that the parts fit without overlapping, returns the text
 * (static). */
static const char *line(int cols)
{
    static char out[1024];
    struct status_part parts[STATUS_PARTS];
    size_t n = status_compose(&ed, cols, parts, STATUS_PARTS);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(parts[i].col >= 0 && parts[i].col + parts[i].width <= cols,
                      "part '%s' at %d+%d outside %d columns", parts[i].text, parts[i].col,
                      parts[i].width, cols);
        for (size_t j = 0; j < n; j++)
            ck_assert_msg(i == j || parts[j].col >= parts[i].col + parts[i].width
                              || parts[i].col >= parts[j].col + parts[j].width,
                          "parts '%s' and '%s' overlap", parts[i].text, parts[j].text);
    }
    status_text(parts, n, out, sizeof out);
    ck_assert_int_le(status_width(out), cols);
    return out;
}

static void people(int n, bool typing)
{
    static const char *names[] = {"alice", "bob", "carol", "dmitri"};
    wn_presence list[4];
    memset(list, 0, sizeof list);
    for (int i = 0; i < n; i++) {
        list[i].agent = (uint64_t)(100 + i);
        list[i].colour = (uint8_t)(i + 1);
        snprintf(list[i].name, sizeof list[i].name, "%s", names[i]);
        if (typing && i == 1)
            list[i].flags |= WN_PRESENCE_TYPING;
    }
    session_set_people(&sess, list, (size_t)n, NULL, NULL, 0);
}

/* The editor as a read-only guest, online. */
static void as_read_only_guest(void)
{
    sess.role = SESSION_GUEST;
    sess.link = SESSION_ONLINE;
    sess.read_only = true;
    ed.session = &sess;
}

#define EXPECT_HAS(s, want) ck_assert_msg(strstr((s), (want)), "'%s' lacks '%s'", (s), (want))
#define EXPECT_LACKS(s, no) ck_assert_msg(!strstr((s), (no)), "'%s' has '%s'", (s), (no))

START_TEST(test_status__alone)
{
    /* The position ends one column before the edge, as it always did. */
    char want[81];
    snprintf(want, sizeof want, "%-68s%s", " notes.md", "Ln 1, Col 1");
    const char *s = line(80);
    ck_assert_str_eq(s, want);
    ed.buf->modified = true;
    ed.buf->view.cur = 9; /* after the emoji: the column counts clusters */
    editor_message(&ed, false, "Saved.");
    s = line(80);
    EXPECT_HAS(s, " notes.md [modified]  Saved.");
    EXPECT_HAS(s, "Ln 2, Col 6");
}
END_TEST

START_TEST(test_status__host_with_people)
{
    ed.session = &sess;
    people(3, true);
    const char *s = line(80);
    EXPECT_HAS(s, " alice   bob\xe2\x9c\x8e   carol ");
    EXPECT_HAS(s, "hosting  Ln 1, Col 1");
    EXPECT_HAS(s, "notes.md");
    /* Colours: each name is a tag in its colour. */
    struct status_part parts[STATUS_PARTS];
    size_t n = status_compose(&ed, 80, parts, STATUS_PARTS);
    int tags = 0;
    for (size_t i = 0; i < n; i++)
        if (parts[i].style == STATUS_PEER)
            ck_assert_uint_eq(parts[i].colour, (unsigned)++tags);
    ck_assert_int_eq(tags, 3);
    /* A notice shows where messages go; a message of the editor wins. */
    session_notice(&sess, 0, false, "bob joined");
    EXPECT_HAS(line(80), "notes.md  bob joined");
    editor_message(&ed, true, "Not saved.");
    EXPECT_HAS(line(80), "Not saved.");
    EXPECT_LACKS(line(80), "bob joined");
    ed.session = NULL;
}
END_TEST

START_TEST(test_status__guest_links)
{
    sess.role = SESSION_GUEST;
    sess.link = SESSION_CONNECTING;
    ed.session = &sess;
    ed.buf->modified = true; /* a guest's copy is not the file: no [modified] */
    free(ed.buf->title);
    ed.buf->title = strdup("hana's session");
    EXPECT_HAS(line(80), "connecting\xe2\x80\xa6");
    EXPECT_HAS(line(80), " hana's session ");
    EXPECT_LACKS(line(80), "[modified]");
    sess.link = SESSION_ONLINE;
    EXPECT_HAS(line(80), "online  Ln");
    sess.in_sync = true;
    EXPECT_HAS(line(80), "online \xe2\x9c\x93  Ln");
    sess.link = SESSION_RECONNECTING;
    sess.unsent = 12;
    EXPECT_HAS(line(80), "reconnecting\xe2\x80\xa6 12 unsent");
    sess.link = SESSION_OFFLINE;
    EXPECT_HAS(line(80), "offline 12 unsent");
    sess.link = SESSION_ENDED; /* the host ended the session */
    EXPECT_HAS(line(80), "session ended 12 unsent  Ln");
    sess.link = SESSION_OFFLINE;
    sess.unsent = 0;
    EXPECT_HAS(line(80), "offline  Ln");
    sess.read_only = true;
    EXPECT_HAS(line(80), "offline  read-only  Ln");
    ed.session = NULL;
}
END_TEST

START_TEST(test_status__narrow_drops_in_order)
{
    as_read_only_guest();
    people(4, false);
    sess.follow = 101;
    const char *s = line(120);
    EXPECT_HAS(s, "following bob   alice   bob   carol   dmitri   online  read-only  Ln 1, Col 1");
    /* Narrower: initials first. */
    s = line(80);
    EXPECT_HAS(s, "following bob   a   b   c   d   online");
    /* Then a count, then no participants, then the rest; the position always stays. */
    s = line(62);
    EXPECT_HAS(s, "following bob  +4  online  read-only  Ln 1, Col 1");
    s = line(56);
    EXPECT_LACKS(s, "+4");
    EXPECT_HAS(s, "following bob");
    s = line(44);
    EXPECT_LACKS(s, "following");
    EXPECT_HAS(s, "online  read-only  Ln 1, Col 1");
    s = line(30);
    EXPECT_HAS(s, "Ln 1, Col 1");
    EXPECT_LACKS(s, "read-only");
    for (int w = 20; w <= 130; w++)
        EXPECT_HAS(line(w), "Ln 1, Col 1");
    ed.session = NULL;
}
END_TEST

/* The message part of a composed line (the last in bold or error style), or "".
 * Borrowed: valid until the next call. */
static const char *message_of(int cols)
{
    static struct status_part parts[STATUS_PARTS];
    size_t n = status_compose(&ed, cols, parts, STATUS_PARTS);
    line(cols); /* and the geometry checks */
    const char *msg = ""; /* the left side's, emitted after the right side's */
    for (size_t i = 0; i < n; i++)
        if (parts[i].style == STATUS_BOLD || parts[i].style == STATUS_ERROR)
            msg = parts[i].text;
    return msg;
}

#define ELLIPSIS "\xe2\x80\xa6"

/* The message shown at cols is msg whole, or a prefix of it that ends with a whole word,
 * then an ellipsis, and the status line names the key of the messages screen. */
static void expect_whole_words(const char *msg, int cols)
{
    const char *m = message_of(cols);
    size_t n = strlen(m);
    if (strcmp(m, msg) == 0)
        return;
    ck_assert_msg(n >= 3 && strcmp(m + n - 3, ELLIPSIS) == 0, "at %d: '%s' is cut without an "
                  "ellipsis", cols, m);
    n -= 3;
    ck_assert_msg(strncmp(m, msg, n) == 0, "at %d: '%s' is not the start of '%s'", cols, m, msg);
    /* (Only a first word wider than the room may be cut: nothing else could be shown.) */
    bool first_word = memchr(msg, ' ', n) == NULL && msg[n] != ' ';
    ck_assert_msg(n == 0 || first_word || (msg[n] == ' ' && msg[n - 1] != ' '),
                  "at %d: '%s' cuts a word", cols, m);
    if (cols >= 40)
        ck_assert_msg(n > 0, "at %d: nothing of '%s' is left", cols, msg);
    if (cols >= 30 && !ed.session) /* (a guest's link and position leave less room) */
        EXPECT_HAS(line(cols), ELLIPSIS " Alt-M");
}

START_TEST(test_status__long_message_never_cut_in_a_word)
{
    static const char msg[] = "f.txt.weft-save holds unsaved text from an earlier weft that "
                              "was stopped: compare it with f.txt, keep what you want, then "
                              "delete it.";
    editor_message(&ed, true, "%s", msg);
    const char *s = line(80);
    EXPECT_HAS(s, " f.txt.weft-save holds unsaved text from an earlier weft" ELLIPSIS
               " Alt-M");
    EXPECT_HAS(s, "Ln 1, Col 1");
    s = line(40);
    EXPECT_HAS(s, " f.txt.weft-save" ELLIPSIS " Alt-M");
    EXPECT_HAS(s, "Ln 1, Col 1");
    for (int w = 20; w <= 200; w++)
        expect_whole_words(msg, w);
    /* A guest with people, online, read-only: the same at every width. */
    as_read_only_guest();
    people(4, true);
    for (int w = 20; w <= 200; w++)
        expect_whole_words(msg, w);
    /* One word longer than the room: cut, as nothing else can be shown. */
    editor_message(&ed, false, "%s", "/a/very/long/path/with/no/spaces/in/it/at/all/to/a/file");
    ck_assert_int_le(status_width(message_of(40)), 40);
    EXPECT_HAS(message_of(40), ELLIPSIS);
    ed.session = NULL;
}
END_TEST

/* A message that fits once the right side drops what it may drop is shown whole (the
 * participants come back with the next key); the line and column always stay. */
START_TEST(test_status__message_takes_room_from_the_right)
{
    as_read_only_guest();
    free(ed.buf->title);
    ed.buf->title = strdup("hana's session");
    people(3, false);
    static const char msg[] = "Read-only session: you can watch and copy, not edit.";
    editor_message(&ed, true, "%s", msg);
    const char *s = line(80);
    EXPECT_HAS(s, msg);
    EXPECT_HAS(s, "Ln 1, Col 1");
    ck_assert_str_eq(message_of(80), msg);
    expect_whole_words(msg, 40);
    EXPECT_HAS(line(40), "Ln 1, Col 1");
    /* Without a message, the participants are back. */
    ed.msg[0] = '\0';
    EXPECT_HAS(line(80), "alice");
    /* A short message stays beside the name, with everyone. */
    editor_message(&ed, false, "Copied.");
    s = line(80);
    EXPECT_HAS(s, " hana's session  Copied.");
    EXPECT_HAS(s, "alice");
    ed.session = NULL;
}
END_TEST

static Suite *status_suite(void)
{
    Suite *s = suite_create("app_status");
    TCase *tc = tcase_create("status");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_status__alone);
    tcase_add_test(tc, test_status__host_with_people);
    tcase_add_test(tc, test_status__guest_links);
    tcase_add_test(tc, test_status__narrow_drops_in_order);
    suite_add_tcase(s, tc);
    tc = tcase_create("messages");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_status__long_message_never_cut_in_a_word);
    tcase_add_test(tc, test_status__message_takes_room_from_the_right);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(status_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
