/* Local undo/redo (CRDT.md T13, T14, §3.6): own edits only, grouped by time, correct when
 * others edited meanwhile, and an ordinary edit on the wire. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec.h"
#include "core/doc.h"
#include "core/undo.h"
#include "tests/common/testutil.h"

enum { A = 1, B = 2, C = 3 };

static void pass(wf_doc *from, wf_doc *to)
{
    wt_update u = wt_flush(from);
    wt_apply(to, &u);
    wt_update_free(&u);
}

#define undo_ok(doc) undo_ok_at((doc), true, __FILE__, __LINE__)
#define redo_ok(doc) undo_ok_at((doc), false, __FILE__, __LINE__)
static size_t undo_ok_at(wf_doc *doc, bool undo, const char *file, int line)
{
    size_t cursor = 12345;
    int rc = undo ? wf_doc_undo(doc, &cursor) : wf_doc_redo(doc, &cursor);
    if (rc != 0)
        _ck_assert_failed(file, line, "undo", "%s: %d (%s)", undo ? "undo" : "redo", rc,
                          wf_strerror(rc));
    wt__check(doc, file, line);
    if (cursor > wf_doc_len(doc))
        _ck_assert_failed(file, line, "undo", "cursor %zu past the end (%zu)", cursor,
                          wf_doc_len(doc));
    return cursor;
}

/* --- T13, T14 -------------------------------------------------------------------------- */

START_TEST(test_undo__t13_undo_own_insert)
{
    wf_doc *a = wf_doc_new(A), *b = wf_doc_new(B);
    wf_doc_set_time(a, 1000);
    wt_type(a, 0, "abc"); /* one group: no time passes */
    pass(a, b);
    wt_ins(b, 1, "X");
    pass(b, a);
    wt_assert_text(a, "aXbc");
    ck_assert(wf_doc_can_undo(a));
    ck_assert(!wf_doc_can_redo(a));
    undo_ok(a);
    wt_assert_text(a, "X");
    ck_assert(!wf_doc_can_undo(a));
    ck_assert(wf_doc_can_redo(a));
    pass(a, b);
    wt_assert_text(b, "X");
    redo_ok(a);
    wt_assert_text(a, "aXbc");
    pass(a, b);
    wt_assert_text(b, "aXbc");
    wf_doc_free(a);
    wf_doc_free(b);
}
END_TEST

START_TEST(test_undo__t13_undo_insert_partly_deleted)
{
    wf_doc *a = wf_doc_new(A), *b = wf_doc_new(B);
    wf_doc_set_time(a, 1000);
    wt_type(a, 0, "abc");
    pass(a, b);
    wt_del(b, 1, 1);
    pass(b, a);
    wt_assert_text(a, "ac");
    undo_ok(a);
    wt_assert_text(a, "");
    pass(a, b);
    wt_assert_text(b, "");
    redo_ok(a);
    wt_assert_text(a, "ac"); /* b stays deleted: b's delete is not undone */
    pass(a, b);
    wt_assert_text(b, "ac");
    wf_doc_free(a);
    wf_doc_free(b);
}
END_TEST

START_TEST(test_undo__t14_undo_own_delete)
{
    wf_doc *a = wf_doc_new(A), *b = wf_doc_new(B), *c = wf_doc_new(C);
    wt_ins(c, 0, "abc");
    wt_update base = wt_flush(c);
    wt_apply(a, &base);
    wt_apply(b, &base);
    ck_assert(!wf_doc_can_undo(a)); /* remote edits are never recorded */
    wf_doc_set_time(a, 1000);
    wt_del(a, 1, 1);
    pass(a, b);
    wt_assert_text(b, "ac");
    wt_ins(b, 2, "Y");
    pass(b, a);
    wt_assert_text(a, "acY");
    size_t cursor = undo_ok(a);
    wt_assert_text(a, "abcY");
    ck_assert_uint_eq(cursor, 2); /* after the re-inserted b */
    ck_assert(!wf_doc_can_undo(a));
    pass(a, b);
    wt_assert_text(b, "abcY");
    wt_sync(c, b);
    wt_assert_text(c, "abcY");
    redo_ok(a);
    wt_assert_text(a, "acY");
    pass(a, b);
    wt_assert_text(b, "acY");
    wt_update_free(&base);
    wf_doc_free(a);
    wf_doc_free(b);
    wf_doc_free(c);
}
END_TEST

/* Undo of a delete re-inserts the text where it was, even when others edited around it;
 * stretches of tombstones adjacent in L come back as one piece each (a†·X·b†c† → aXbc). */
START_TEST(test_undo__redo_splits_around_foreign_text)
{
    wf_doc *a = wf_doc_new(A), *b = wf_doc_new(B);
    wf_doc_set_time(a, 0);
    wt_ins(a, 0, "abc");
    pass(a, b);
    wf_doc_set_time(a, 5000);
    wt_del(a, 0, 3); /* a: "" */
    wt_ins(b, 1, "X"); /* b, concurrently: "aXbc" */
    pass(b, a);
    pass(a, b);
    wt_assert_text(a, "X"); /* L = a† X b† c† */
    wt_assert_text(b, "X");
    undo_ok(a);
    wt_assert_text(a, "aXbc");
    pass(a, b);
    wt_assert_text(b, "aXbc");
    redo_ok(a);
    wt_assert_text(a, "X");
    undo_ok(a);
    wt_assert_text(a, "aXbc");
    pass(a, b);
    wt_assert_text(b, "aXbc");
    wf_doc_free(a);
    wf_doc_free(b);
}
END_TEST

/* --- grouping ------------------------------------------------------------------------------ */

START_TEST(test_undo__group_by_time)
{
    wf_doc *a = wf_doc_new(A);
    wf_doc_set_time(a, 1000);
    wt_ins(a, 0, "a");
    wf_doc_set_time(a, 1100);
    wt_ins(a, 1, "b");
    wf_doc_set_time(a, 1200);
    wt_ins(a, 2, "c");
    wf_doc_set_time(a, 1800); /* 600 ms later: a new step */
    wt_ins(a, 3, "d");
    wf_doc_set_time(a, 1900);
    wt_ins(a, 4, "e");
    undo_ok(a);
    wt_assert_text(a, "abc");
    undo_ok(a);
    wt_assert_text(a, "");
    ck_assert(!wf_doc_can_undo(a));
    size_t cursor = 99;
    ck_assert_int_eq(wf_doc_undo(a, &cursor), WF_EEMPTY);
    wt_check(a);
    redo_ok(a);
    wt_assert_text(a, "abc");
    redo_ok(a);
    wt_assert_text(a, "abcde");
    ck_assert_int_eq(wf_doc_redo(a, NULL), WF_EEMPTY);
    wf_doc_free(a);
}
END_TEST

/* Grouping chains from edit to edit: 0, 400, 800, 1200 is one step. Exactly 500 ms apart is
 * not "less than WF_UNDO_GROUP_MS". */
START_TEST(test_undo__group_chains_and_boundary)
{
    wf_doc *a = wf_doc_new(A);
    for (int i = 0; i < 4; i++) {
        wf_doc_set_time(a, 10000 + 400 * (uint64_t)i);
        wt_ins(a, (size_t)i, "x");
    }
    undo_ok(a);
    wt_assert_text(a, "");
    wf_doc_free(a);

    a = wf_doc_new(A);
    wf_doc_set_time(a, 10000);
    wt_ins(a, 0, "a");
    wf_doc_set_time(a, 10000 + WF_UNDO_GROUP_MS - 1);
    wt_ins(a, 1, "b");
    wf_doc_set_time(a, 10000 + 2 * WF_UNDO_GROUP_MS - 1);
    wt_ins(a, 2, "c");
    undo_ok(a);
    wt_assert_text(a, "ab");
    undo_ok(a);
    wt_assert_text(a, "");
    wf_doc_free(a);
}
END_TEST

START_TEST(test_undo__break_splits)
{
    wf_doc *a = wf_doc_new(A);
    wf_doc_set_time(a, 1000);
    wt_ins(a, 0, "hello");
    wf_doc_undo_break(a);
    wt_ins(a, 5, " world");
    undo_ok(a);
    wt_assert_text(a, "hello");
    undo_ok(a);
    wt_assert_text(a, "");
    wf_doc_free(a);
}
END_TEST

/* A replace (delete + insert in one step) undoes as one. */
START_TEST(test_undo__replace_is_one_step)
{
    wf_doc *a = wf_doc_new(A);
    wf_doc_set_time(a, 0);
    wt_ins(a, 0, "hello world");
    wf_doc_set_time(a, 10000);
    wt_del(a, 6, 5);
    wt_ins(a, 6, "there");
    wt_assert_text(a, "hello there");
    size_t cursor = undo_ok(a);
    wt_assert_text(a, "hello world");
    ck_assert_uint_le(cursor, 11);
    redo_ok(a);
    wt_assert_text(a, "hello there");
    wf_doc_free(a);
}
END_TEST

/* The undo position: new with each edit (also one that joins the open step), back when
 * undo and redo return to the same steps, and not fooled by a new branch of the history
 * that is as deep as the old one. */
START_TEST(test_undo__position)
{
    wf_doc *a = wf_doc_new(A), *b = wf_doc_new(B);
    ck_assert_uint_eq(wf_doc_undo_position(a), 0);
    wf_doc_set_time(a, 1000);
    wt_ins(a, 0, "a");
    uint64_t p1 = wf_doc_undo_position(a);
    ck_assert_uint_ne(p1, 0);
    wf_doc_set_time(a, 1100); /* joins the step: the step is not the same any more */
    wt_ins(a, 1, "b");
    uint64_t p2 = wf_doc_undo_position(a);
    ck_assert_uint_ne(p2, p1);
    wf_doc_undo_break(a);
    wt_ins(a, 2, "c");
    uint64_t p3 = wf_doc_undo_position(a);
    ck_assert_uint_ne(p3, p2);
    undo_ok(a);
    ck_assert_uint_eq(wf_doc_undo_position(a), p2);
    undo_ok(a);
    ck_assert_uint_eq(wf_doc_undo_position(a), 0);
    redo_ok(a);
    ck_assert_uint_eq(wf_doc_undo_position(a), p2);
    redo_ok(a);
    ck_assert_uint_eq(wf_doc_undo_position(a), p3);
    wt_assert_text(a, "abc");
    /* Undo "c", type "d": as deep as before, but another text, so another position. */
    undo_ok(a);
    wf_doc_set_time(a, 9000);
    wt_ins(a, 2, "d");
    ck_assert_uint_ne(wf_doc_undo_position(a), p3);
    ck_assert_uint_ne(wf_doc_undo_position(a), p2);
    /* Others' edits leave it alone (they are not in this replica's history). */
    uint64_t pd = wf_doc_undo_position(a);
    wt_ins(b, 0, "zz");
    pass(b, a);
    ck_assert_uint_eq(wf_doc_undo_position(a), pd);
    wf_doc_free(a);
    wf_doc_free(b);
}
END_TEST

START_TEST(test_undo__new_edit_clears_redo)
{
    wf_doc *a = wf_doc_new(A);
    wf_doc_set_time(a, 0);
    wt_ins(a, 0, "abc");
    undo_ok(a);
    ck_assert(wf_doc_can_redo(a));
    wf_doc_set_time(a, 5000);
    wt_ins(a, 0, "x");
    ck_assert(!wf_doc_can_redo(a));
    ck_assert_int_eq(wf_doc_redo(a, NULL), WF_EEMPTY);
    wt_assert_text(a, "x");
    undo_ok(a);
    wt_assert_text(a, "");
    ck_assert(!wf_doc_can_undo(a));
    wf_doc_free(a);
}
END_TEST

START_TEST(test_undo__cursor)
{
    wf_doc *a = wf_doc_new(A), *c = wf_doc_new(C);
    wt_ins(c, 0, "hello world");
    pass(c, a);
    wf_doc_set_time(a, 0);
    wt_ins(a, 3, "XY");
    size_t cur = undo_ok(a);
    ck_assert_uint_eq(cur, 3); /* where the text was removed */
    wf_doc_set_time(a, 5000);
    wt_del(a, 6, 5);
    cur = undo_ok(a);
    ck_assert_uint_eq(cur, 11); /* after the re-inserted text */
    wt_assert_text(a, "hello world");
    wf_doc_free(a);
    wf_doc_free(c);
}
END_TEST

START_TEST(test_undo__empty_and_remote_only)
{
    wf_doc *a = wf_doc_new(A), *b = wf_doc_new(B);
    ck_assert(!wf_doc_can_undo(a));
    ck_assert(!wf_doc_can_redo(a));
    ck_assert_int_eq(wf_doc_undo(a, NULL), WF_EEMPTY);
    ck_assert_int_eq(wf_doc_redo(a, NULL), WF_EEMPTY);
    wt_ins(b, 0, "remote");
    pass(b, a);
    ck_assert(!wf_doc_can_undo(a));
    ck_assert_int_eq(wf_doc_undo(a, NULL), WF_EEMPTY);
    wt_assert_text(a, "remote");
    wf_buf buf;
    wf_buf_init(&buf);
    ck_assert_uint_eq(wf_doc_flush(a, &buf), 0);
    wf_buf_free(&buf);
    wf_doc_free(a);
    wf_doc_free(b);
}
END_TEST

/* --- fuzz ------------------------------------------------------------------------------------ */

static const char *const words[] = {"a", "hello", " ", "\n", "\xc3\xa9", "\xf0\x9f\x98\x80",
                                    "\xff", "x\r\ny"};

static void random_edit(wt_rng *r, wf_doc *doc)
{
    size_t len = wf_doc_len(doc);
    if (len == 0 || wt_rng_chance(r, 3, 5)) {
        const char *w = words[wt_rng_below(r, sizeof words / sizeof *words)];
        size_t pos = wt_rng_below(r, (uint32_t)len + 1);
        if (wt_verbose())
            fprintf(stderr, "  agent %llu: insert(%zu, \"%s\")\n",
                    (unsigned long long)wf_doc_agent(doc), pos, wt_esc(w, strlen(w)));
        wt_ins(doc, pos, w);
    } else {
        size_t pos = wt_rng_below(r, (uint32_t)len);
        size_t n = 1 + wt_rng_below(r, 4);
        n = n > len - pos ? len - pos : n;
        if (wt_verbose())
            fprintf(stderr, "  agent %llu: delete(%zu, %zu)\n",
                    (unsigned long long)wf_doc_agent(doc), pos, n);
        wt_del(doc, pos, n);
    }
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A step of a fuzz test, on stderr when WEFT_VERBOSE is set. */
static void say(const char *fmt, ...)
{
    if (!wt_verbose())
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

/* One replica alone: after G steps, undoing step by step walks back through every recorded
 * text to the original, and redoing walks forward again; random undo/redo mixes too. */
/* A step whose edits cancelled out changes nothing when undone: undo skips it and undoes the
 * step before (Yjs UndoManager), and can_undo agrees with what undo would do. */
START_TEST(test_undo__skips_steps_that_change_nothing)
{
    wf_doc *a = wf_doc_new(A);
    wf_doc_set_time(a, 0);
    wt_ins(a, 0, "abc");
    wf_doc_set_time(a, 1000);
    wt_ins(a, 3, "x"); /* step 2: a real change */
    wf_doc_undo_break(a);
    wt_ins(a, 1, "y"); /* step 3: cancels itself out */
    wt_del(a, 1, 1);
    wt_assert_text(a, "abcx");
    ck_assert(wf_doc_can_undo(a));
    size_t cursor = 99;
    ck_assert_int_eq(wf_doc_undo(a, &cursor), 0); /* undoes step 2, not the empty step 3 */
    wt_assert_text(a, "abc");
    ck_assert_uint_eq(cursor, 3);
    ck_assert_int_eq(wf_doc_undo(a, NULL), 0);
    wt_assert_text(a, "");
    ck_assert(!wf_doc_can_undo(a));
    ck_assert_int_eq(wf_doc_undo(a, NULL), WF_EEMPTY);
    ck_assert_int_eq(wf_doc_redo(a, NULL), 0);
    ck_assert_int_eq(wf_doc_redo(a, NULL), 0);
    wt_assert_text(a, "abcx");
    ck_assert(!wf_doc_can_redo(a));
    ck_assert_int_eq(wf_doc_redo(a, NULL), WF_EEMPTY);
    /* Only an empty step left: nothing to undo, and can_undo says so. */
    wf_doc *b = wf_doc_new(B);
    wt_ins(b, 0, "q");
    wt_del(b, 0, 1);
    ck_assert(!wf_doc_can_undo(b));
    ck_assert_int_eq(wf_doc_undo(b, NULL), WF_EEMPTY);
    wf_doc_free(a);
    wf_doc_free(b);
}
END_TEST

START_TEST(test_undo__fuzz_alone_walks_history)
{
    wt_rng r;
    wt_rng_init(&r, wt_seed("undo alone"));
    long rounds = wt_scaled(300);
    for (long round = 0; round < rounds; round++) {
        wf_doc *a = wf_doc_new(A), *c = wf_doc_new(C);
        wt_ins(c, 0, "The base text\nof the file.\n");
        pass(c, a);
        say("round %ld: base \"The base text\\nof the file.\\n\" from agent %d\n", round, C);
        enum { G = 12 };
        char *texts[G + 1];
        uint64_t positions[G + 1];
        texts[0] = wt_text(a);
        positions[0] = wf_doc_undo_position(a);
        uint64_t now = 1000;
        for (int g = 1; g <= G; g++) {
            int edits = 1 + (int)wt_rng_below(&r, 5);
            for (int e = 0; e < edits; e++) {
                say("  set_time(%llu)\n", (unsigned long long)now);
                wf_doc_set_time(a, now);
                random_edit(&r, a);
                now += wt_rng_below(&r, WF_UNDO_GROUP_MS); /* < 500: same step */
            }
            /* A step whose edits cancel out would be skipped by undo (Yjs semantics, tested
             * on its own below): keep every step a visible change, so that one undo is one
             * step back in this walk. */
            for (;;) {
                char *t = wt_text(a);
                bool same = strcmp(t, texts[g - 1]) == 0;
                free(t);
                if (!same)
                    break;
                say("  set_time(%llu)\n", (unsigned long long)now);
                wf_doc_set_time(a, now);
                random_edit(&r, a);
            }
            if (wt_rng_chance(&r, 1, 2))
                now += WF_UNDO_GROUP_MS + wt_rng_below(&r, 5000);
            else
                wf_doc_undo_break(a), say("  undo_break\n");
            texts[g] = wt_text(a);
            positions[g] = wf_doc_undo_position(a);
            for (int h = 0; h < g; h++)
                ck_assert_uint_ne(positions[g], positions[h]);
        }
        int k = G;
        for (int step = 0; step < 60; step++) {
            bool undo = k == G ? true : k == 0 ? false : wt_rng_chance(&r, 1, 2);
            if (step < G) /* first walk all the way back */
                undo = true;
            else if (step < 2 * G)
                undo = false;
            ck_assert(wf_doc_can_undo(a) == (k > 0));
            ck_assert(wf_doc_can_redo(a) == (k < G));
            say("  %s\n", undo ? "undo" : "redo");
            if (undo) {
                undo_ok(a);
                k--;
            } else {
                redo_ok(a);
                k++;
            }
            char *t = wt_text(a);
            ck_assert_msg(strcmp(t, texts[k]) == 0, "round %ld step %d: after %s at %d: "
                          "\"%s\"", round, step, undo ? "undo" : "redo", k, wt_esc(t,
                                                                                  strlen(t)));
            free(t);
            ck_assert_msg(wf_doc_undo_position(a) == positions[k], "round %ld step %d: the "
                          "undo position is not the one step %d had", round, step, k);
        }
        /* the whole dance reaches the peer as ordinary edits */
        pass(a, c);
        char *ta = wt_text(a);
        wt_assert_text(c, ta);
        free(ta);
        for (int g = 0; g <= G; g++)
            free(texts[g]);
        wf_doc_free(a);
        wf_doc_free(c);
    }
}
END_TEST

/* Visible units of agent `agent` in doc, as IDs (sorted by position). */
static size_t visible_of(const wf_doc *doc, uint64_t agent, wf_id *out, size_t max)
{
    size_t n = 0, len = wf_doc_len(doc);
    for (size_t p = 0; p < len && n < max; p++) {
        wf_id id = wf_doc_id_at(doc, p);
        if (id.agent == agent)
            out[n++] = id;
    }
    return n;
}

/* Undo/redo interleaved with a peer's edits: invariants hold after every step, undo never
 * deletes or revives the peer's units, and both replicas converge after a sync. */
START_TEST(test_undo__fuzz_with_remote_edits)
{
    wt_rng r;
    wt_rng_init(&r, wt_seed("undo remote"));
    long rounds = wt_scaled(200);
    enum { MAXV = 4096 };
    wf_id *before = malloc(MAXV * sizeof *before);
    for (long round = 0; round < rounds; round++) {
        wf_doc *a = wf_doc_new(A), *b = wf_doc_new(B);
        wt_ins(b, 0, "shared start\n");
        pass(b, a);
        say("round %ld: b inserts \"shared start\\n\", b -> a\n", round);
        uint64_t now = 0;
        for (int step = 0; step < 200; step++) {
            uint32_t what = wt_rng_below(&r, 20);
            now += wt_rng_chance(&r, 1, 3) ? 700 : 50;
            say("  set_time(%llu)\n", (unsigned long long)now);
            wf_doc_set_time(a, now);
            if (what < 7) {
                random_edit(&r, a);
            } else if (what < 11) {
                random_edit(&r, b);
            } else if (what < 15) {
                size_t nb = visible_of(a, B, before, MAXV);
                bool undo = what < 13;
                bool can = undo ? wf_doc_can_undo(a) : wf_doc_can_redo(a);
                say("  a: %s\n", undo ? "undo" : "redo");
                int rc = undo ? wf_doc_undo(a, NULL) : wf_doc_redo(a, NULL);
                ck_assert_msg(rc == (can ? 0 : WF_EEMPTY), "%s: rc %d, can %d",
                              undo ? "undo" : "redo", rc, can);
                wt_check(a);
                for (size_t i = 0; i < nb; i++) {
                    bool vis = false;
                    ck_assert_uint_ne(wf_doc_pos_of(a, before[i], &vis), WF_NOPOS);
                    ck_assert_msg(vis, "undo/redo deleted the peer's unit (%llu, %u)",
                                  (unsigned long long)before[i].agent, before[i].seq);
                }
                ck_assert_uint_eq(visible_of(a, B, before, MAXV), nb);
            } else if (what < 18) {
                say("  a -> b\n");
                pass(a, b);
            } else {
                say("  b -> a\n");
                pass(b, a);
            }
        }
        pass(a, b);
        pass(b, a);
        char *ta = wt_text(a);
        wt_assert_text(b, ta);
        free(ta);
        ck_assert_uint_eq(wf_doc_pending(a), 0);
        ck_assert_uint_eq(wf_doc_pending(b), 0);
        wf_doc_free(a);
        wf_doc_free(b);
    }
    free(before);
}
END_TEST

static Suite *undo_suite(void)
{
    Suite *s = suite_create("undo");
    TCase *tc = tcase_create("semantics");
    tcase_add_test(tc, test_undo__t13_undo_own_insert);
    tcase_add_test(tc, test_undo__t13_undo_insert_partly_deleted);
    tcase_add_test(tc, test_undo__t14_undo_own_delete);
    tcase_add_test(tc, test_undo__redo_splits_around_foreign_text);
    tcase_add_test(tc, test_undo__cursor);
    tcase_add_test(tc, test_undo__empty_and_remote_only);
    suite_add_tcase(s, tc);

    tc = tcase_create("grouping");
    tcase_add_test(tc, test_undo__group_by_time);
    tcase_add_test(tc, test_undo__group_chains_and_boundary);
    tcase_add_test(tc, test_undo__break_splits);
    tcase_add_test(tc, test_undo__replace_is_one_step);
    tcase_add_test(tc, test_undo__new_edit_clears_redo);
    tcase_add_test(tc, test_undo__position);
    suite_add_tcase(s, tc);

    tc = tcase_create("fuzz");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_undo__fuzz_alone_walks_history);
    tcase_add_test(tc, test_undo__skips_steps_that_change_nothing);
    tcase_add_test(tc, test_undo__fuzz_with_remote_edits);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(undo_suite());
}
