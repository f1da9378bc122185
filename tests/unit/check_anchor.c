/* Anchors (CRDT.md T15, §3.5): positions that stay with their character across everyone's
 * edits, resolve to where a deleted character was, and are hidden until their character
 * arrives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/anchor.h"
#include "core/codec.h"
#include "core/doc.h"
#include "core/undo.h"
#include "tests/common/naive.h"
#include "tests/common/testutil.h"

enum { A = 1, B = 2, C = 3 };

/* Sends a's unflushed edits to b. */
static void pass(wf_doc *a, wf_doc *b)
{
    wt_update u = wt_flush(a);
    wt_apply(b, &u);
    wt_update_free(&u);
}

START_TEST(test_anchor__t15_cursor_on_deleted_char)
{
    wf_doc *a = wf_doc_new(A), *b = wf_doc_new(B);
    wt_ins(a, 0, "abcd");
    pass(a, b);
    wf_anchor caret = wf_doc_anchor_at(b, 2, 0); /* before c */
    ck_assert_uint_eq(caret.kind, WF_ANCHOR_ID);
    ck_assert_int_ge(caret.assoc, 0);
    ck_assert_uint_eq(caret.id.agent, A);
    ck_assert_uint_eq(caret.id.seq, 2);
    ck_assert_uint_eq(wf_doc_anchor_pos(b, caret), 2);
    wf_anchor end = wf_doc_anchor_at(b, 4, 0);
    ck_assert_uint_eq(end.kind, WF_ANCHOR_END);
    wt_ins(a, 0, "XY");
    pass(a, b);
    wt_assert_text(b, "XYabcd");
    ck_assert_uint_eq(wf_doc_anchor_pos(b, caret), 4);
    ck_assert_uint_eq(wf_doc_anchor_pos(a, caret), 4); /* same answer on every replica */
    wt_del(a, 4, 1); /* c */
    pass(a, b);
    wt_assert_text(b, "XYabd");
    ck_assert_uint_eq(wf_doc_anchor_pos(b, caret), 4); /* XYab|d */
    wt_del(a, 4, 1); /* d */
    wt_del(a, 2, 2); /* a b */
    pass(a, b);
    wt_assert_text(b, "XY");
    ck_assert_uint_eq(wf_doc_anchor_pos(b, caret), 2);
    ck_assert_uint_eq(wf_doc_anchor_pos(b, end), 2); /* END stays at len */
    wt_ins(a, 2, "tail");
    pass(a, b);
    ck_assert_uint_eq(wf_doc_anchor_pos(b, end), 6);
    /* "tail" went in after Y, before the tombstones a b c d: c now has 6 units before it */
    ck_assert_uint_eq(wf_doc_anchor_pos(b, caret), 6);
    wf_anchor start = wf_doc_anchor_at(b, 0, -1);
    ck_assert_uint_eq(start.kind, WF_ANCHOR_START);
    wt_ins(a, 0, ">");
    pass(a, b);
    ck_assert_uint_eq(wf_doc_anchor_pos(b, start), 0);
    wf_doc_free(a);
    wf_doc_free(b);
}
END_TEST

/* Text deleted and brought back by undo is a copy (new units): an anchor on the old text
 * resolves on the copy, where it was before the delete, through every undo and redo. */
START_TEST(test_anchor__follows_undo_copies)
{
    wf_doc *a = wf_doc_new(A);
    wf_doc_set_time(a, 0);
    wt_ins(a, 0, "one\ntwo\nthree\n");
    wf_doc_undo_break(a);
    wf_anchor top = wf_doc_anchor_at(a, 8, -1);  /* after "one\ntwo\n": line 2's start */
    wf_anchor caret = wf_doc_anchor_at(a, 5, 0); /* before the w */
    wf_doc_set_time(a, 10000);
    wt_del(a, 0, 14);
    ck_assert_uint_eq(wf_doc_anchor_pos(a, top), 0);
    ck_assert_uint_eq(wf_doc_anchor_pos(a, caret), 0);
    for (int round = 0; round < 3; round++) {
        ck_assert_int_eq(wf_doc_undo(a, NULL), 0);
        wt_assert_text(a, "one\ntwo\nthree\n");
        ck_assert_uint_eq(wf_doc_anchor_pos(a, top), 8);
        ck_assert_uint_eq(wf_doc_anchor_pos(a, caret), 5);
        ck_assert_int_eq(wf_doc_redo(a, NULL), 0);
        wt_assert_text(a, "");
        ck_assert_uint_eq(wf_doc_anchor_pos(a, top), 0);
    }
    /* Deleted again by hand after the undo: where the copy was. */
    ck_assert_int_eq(wf_doc_undo(a, NULL), 0);
    wt_del(a, 4, 4); /* "two\n" */
    ck_assert_uint_eq(wf_doc_anchor_pos(a, top), 4);
    ck_assert_uint_eq(wf_doc_anchor_pos(a, caret), 4);
    wf_doc_free(a);
}
END_TEST

START_TEST(test_anchor__t15_unknown_id_hidden)
{
    wf_doc *a = wf_doc_new(A), *b = wf_doc_new(B), *c = wf_doc_new(C);
    wt_ins(a, 0, "base");
    wt_update base = wt_flush(a);
    wt_apply(b, &base);
    wt_apply(c, &base);
    wt_ins(c, 2, "new");
    wf_anchor on_new = wf_doc_anchor_at(c, 3, 0); /* before 'e' of "new" */
    ck_assert_uint_eq(wf_doc_anchor_pos(c, on_new), 3);
    ck_assert_uint_eq(wf_doc_anchor_pos(b, on_new), WF_NOPOS);
    wf_anchor after = wf_doc_anchor_at(c, 5, -1); /* after 'w' */
    ck_assert_uint_eq(wf_doc_anchor_pos(b, after), WF_NOPOS);
    pass(c, b);
    ck_assert_uint_eq(wf_doc_anchor_pos(b, on_new), 3);
    ck_assert_uint_eq(wf_doc_anchor_pos(b, after), 5);
    wt_update_free(&base);
    wf_doc_free(a);
    wf_doc_free(b);
    wf_doc_free(c);
}
END_TEST

/* A selection [start assoc 0, end assoc -1) does not grow when others type at its edges. */
START_TEST(test_anchor__selection_does_not_grow)
{
    wf_doc *a = wf_doc_new(A), *b = wf_doc_new(B);
    wt_ins(a, 0, "hello world");
    pass(a, b);
    wf_anchor s = wf_doc_anchor_at(b, 0, 0), e = wf_doc_anchor_at(b, 5, -1);
    ck_assert_uint_eq(wf_doc_anchor_pos(b, s), 0);
    ck_assert_uint_eq(wf_doc_anchor_pos(b, e), 5);
    wt_ins(a, 5, "XX"); /* at the end edge */
    wt_ins(a, 0, "YY"); /* at the start edge */
    pass(a, b);
    wt_assert_text(b, "YYhelloXX world");
    ck_assert_uint_eq(wf_doc_anchor_pos(b, s), 2);
    ck_assert_uint_eq(wf_doc_anchor_pos(b, e), 7);
    wt_ins(a, 4, "--"); /* inside grows it */
    pass(a, b);
    ck_assert_uint_eq(wf_doc_anchor_pos(b, e), 9);
    /* deleting the selection's last character: the end falls to where it was */
    wt_del(a, 8, 1); /* 'o' */
    pass(a, b);
    wt_assert_text(b, "YYhe--llXX world");
    ck_assert_uint_eq(wf_doc_anchor_pos(b, e), 8);
    wf_doc_free(a);
    wf_doc_free(b);
}
END_TEST

START_TEST(test_anchor__at_and_pos_agree)
{
    wf_doc *a = wf_doc_new(A);
    wt_ins(a, 0, "\xc3\xa9t\xc3\xa9\n\xf0\x9f\x98\x80!");
    size_t len = wf_doc_len(a);
    for (size_t pos = 0; pos <= len; pos++) {
        ck_assert_uint_eq(wf_doc_anchor_pos(a, wf_doc_anchor_at(a, pos, 0)), pos);
        ck_assert_uint_eq(wf_doc_anchor_pos(a, wf_doc_anchor_at(a, pos, -1)), pos);
        ck_assert_uint_eq(wf_doc_anchor_pos(a, wf_doc_anchor_at(a, pos, 7)), pos);
        ck_assert_uint_eq(wf_doc_anchor_pos(a, wf_doc_anchor_at(a, pos, -7)), pos);
    }
    wf_doc_free(a);
}
END_TEST

START_TEST(test_anchor__encode_roundtrip)
{
    wf_doc *a = wf_doc_new(0xfedcba9876543210u);
    wt_ins(a, 0, "abc");
    wf_anchor as[] = {wf_doc_anchor_at(a, 0, -1), wf_doc_anchor_at(a, 3, 0),
                      wf_doc_anchor_at(a, 1, 0), wf_doc_anchor_at(a, 2, -1)};
    wf_buf b;
    wf_buf_init(&b);
    for (size_t i = 0; i < 4; i++)
        wf_anchor_encode(as[i], &b);
    wf_reader r;
    wf_reader_init(&r, b.data, b.len);
    for (size_t i = 0; i < 4; i++) {
        wf_anchor x;
        ck_assert_int_eq(wf_anchor_decode(&r, &x), 0);
        ck_assert_uint_eq(x.kind, as[i].kind);
        ck_assert_int_eq(x.assoc < 0, as[i].assoc < 0);
        ck_assert_uint_eq(wf_doc_anchor_pos(a, x), wf_doc_anchor_pos(a, as[i]));
        if (x.kind == WF_ANCHOR_ID) {
            ck_assert_uint_eq(x.id.agent, as[i].id.agent);
            ck_assert_uint_eq(x.id.seq, as[i].id.seq);
        }
    }
    ck_assert_uint_eq(wf_reader_left(&r), 0);
    /* every strict prefix of an ID anchor fails */
    wf_buf_reset(&b);
    wf_anchor_encode(as[2], &b);
    for (size_t cut = 0; cut < b.len; cut++) {
        wf_anchor x;
        wf_reader_init(&r, b.data, cut);
        ck_assert_int_eq(wf_anchor_decode(&r, &x), WF_EDECODE);
    }
    /* an unknown kind fails */
    static const uint8_t bad[] = {0x05};
    wf_anchor x;
    wf_reader_init(&r, bad, 1);
    ck_assert_int_eq(wf_anchor_decode(&r, &x), WF_EDECODE);
    wf_buf_free(&b);
    wf_doc_free(a);
}
END_TEST

/* Where the rule of CRDT.md §3.5 puts an anchor, computed on the naive replica: a visible
 * unit's rank among visible units (+1 after it), a tombstone's count of visible units
 * before it. */
static size_t naive_anchor_pos(const wt_naive *nv, wf_anchor an)
{
    if (an.kind == WF_ANCHOR_START)
        return 0;
    if (an.kind == WF_ANCHOR_END)
        return wt_naive_len(nv);
    size_t rank = wt_naive_rank(nv, an.id), vis = 0;
    if (rank == SIZE_MAX)
        return WF_NOPOS;
    for (size_t i = 0; i < rank; i++) {
        bool del;
        wt_naive_id_at_rank(nv, i, &del);
        vis += !del;
    }
    bool del;
    wt_naive_id_at_rank(nv, rank, &del);
    return vis + (!del && an.assoc < 0);
}

/* Random edits on two replicas, each mirrored by a naive replica; anchors made on either
 * must resolve on both, after every sync, where the naive rule puts them. */
START_TEST(test_anchor__random_vs_naive)
{
    wt_rng r;
    wt_rng_init(&r, wt_seed("anchor random"));
    long rounds = wt_scaled(20);
    for (long round = 0; round < rounds; round++) {
        wf_doc *d[2] = {wf_doc_new(A), wf_doc_new(B)};
        wt_naive *nv[2] = {wt_naive_new(A), wt_naive_new(B)};
        wt_nops made[2]; /* every naive op each side made */
        wt_nops_init(&made[0]);
        wt_nops_init(&made[1]);
        enum { MAXA = 64 };
        wf_anchor anchors[MAXA];
        size_t na = 0;
        for (int step = 0; step < 150; step++) {
            int who = (int)wt_rng_below(&r, 2);
            size_t len = wf_doc_len(d[who]);
            uint32_t what = wt_rng_below(&r, 10);
            if (what < 5 || len == 0) {
                static const char *const texts[] = {"a", "bc", "\xc3\xa9", "\n", "xyz"};
                const char *t = texts[wt_rng_below(&r, 5)];
                size_t pos = wt_rng_below(&r, (uint32_t)len + 1);
                wt_ins(d[who], pos, t);
                ck_assert_int_eq(wt_naive_insert(nv[who], pos, t, strlen(t), &made[who]), 0);
            } else if (what < 8) {
                size_t pos = wt_rng_below(&r, (uint32_t)len);
                size_t n = 1 + wt_rng_below(&r, 3);
                n = n > len - pos ? len - pos : n;
                wt_del(d[who], pos, n);
                ck_assert_int_eq(wt_naive_delete(nv[who], pos, n, &made[who]), 0);
            } else if (na < MAXA) {
                size_t pos = wt_rng_below(&r, (uint32_t)len + 1);
                anchors[na++] = wf_doc_anchor_at(d[who], pos, wt_rng_chance(&r, 1, 2) ? 0 : -1);
                ck_assert_uint_eq(wf_doc_anchor_pos(d[who], anchors[na - 1]), pos);
            }
            for (size_t i = 0; i < na; i++)
                for (int k = 0; k < 2; k++)
                    ck_assert_uint_eq(wf_doc_anchor_pos(d[k], anchors[i]),
                                      naive_anchor_pos(nv[k], anchors[i]));
            if (wt_rng_chance(&r, 1, 4)) {
                wt_sync(d[0], d[1]);
                ck_assert_int_eq(wt_naive_apply(nv[0], &made[1]), 0);
                ck_assert_int_eq(wt_naive_apply(nv[1], &made[0]), 0);
                for (size_t i = 0; i < na; i++) {
                    size_t p0 = wf_doc_anchor_pos(d[0], anchors[i]);
                    ck_assert_uint_eq(p0, wf_doc_anchor_pos(d[1], anchors[i]));
                    ck_assert_uint_eq(p0, naive_anchor_pos(nv[0], anchors[i]));
                    ck_assert_uint_le(p0, wf_doc_len(d[0]));
                }
            }
        }
        for (int k = 0; k < 2; k++) {
            wt_nops_free(&made[k]);
            wt_naive_free(nv[k]);
            wf_doc_free(d[k]);
        }
    }
}
END_TEST

static Suite *anchor_suite(void)
{
    Suite *s = suite_create("anchor");
    TCase *tc = tcase_create("resolve");
    tcase_add_test(tc, test_anchor__t15_cursor_on_deleted_char);
    tcase_add_test(tc, test_anchor__follows_undo_copies);
    tcase_add_test(tc, test_anchor__t15_unknown_id_hidden);
    tcase_add_test(tc, test_anchor__selection_does_not_grow);
    tcase_add_test(tc, test_anchor__at_and_pos_agree);
    suite_add_tcase(s, tc);

    tc = tcase_create("encoding");
    tcase_add_test(tc, test_anchor__encode_roundtrip);
    suite_add_tcase(s, tc);

    tc = tcase_create("random");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_anchor__random_vs_naive);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(anchor_suite());
}
