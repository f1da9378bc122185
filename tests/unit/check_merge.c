/* Merging concurrent edits: CRDT.md T1-T8 and T12, with the exact expected strings.
 *
 * Agents A < B < C < D are 1, 2, 3, 4. "Types" means one insert per unit at increasing
 * positions (or at 0 for backward typing). Every replica here is a pair: the core document
 * and a naive replica (tests/common/naive.c) driven with the same edits and deliveries, so
 * a wrong expectation in a test shows up as a naive failure, and a core bug as a core-only
 * failure. wf_doc_check runs after every step (T21). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec.h"
#include "core/doc.h"
#include "tests/common/naive.h"
#include "tests/common/testutil.h"

enum { A = 1, B = 2, C = 3, D = 4 };

typedef struct rep {
    wf_doc *doc;  /* the core replica */
    wt_naive *nv; /* the oracle, fed the same edits */
    wt_nops out;  /* naive ops made since the last flush */
} rep;

/* An update in flight: the core's bytes and the naive ops of the same edits. */
typedef struct msg {
    wt_update u;
    wt_nops ops;
} msg;

static rep *rep_new(uint64_t agent)
{
    rep *r = calloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    r->doc = wf_doc_new(agent);
    ck_assert_ptr_nonnull(r->doc);
    ck_assert_uint_eq(wf_doc_agent(r->doc), agent);
    r->nv = wt_naive_new(agent);
    wt_nops_init(&r->out);
    wt_check(r->doc);
    return r;
}

static void rep_free(rep *r)
{
    wf_doc_free(r->doc);
    wt_naive_free(r->nv);
    wt_nops_free(&r->out);
    free(r);
}

static void rep_ins(rep *r, size_t pos, const char *s)
{
    wt_ins(r->doc, pos, s);
    ck_assert_int_eq(wt_naive_insert(r->nv, pos, s, strlen(s), &r->out), 0);
}

/* Types s one unit at a time, from pos on. */
static void rep_type(rep *r, size_t pos, const char *s)
{
    for (size_t i = 0; s[i]; i++) {
        char one[2] = {s[i], 0};
        rep_ins(r, pos + i, one);
    }
}

/* Types s backwards: each unit at pos, so the last one typed ends up first. */
static void rep_type_back(rep *r, size_t pos, const char *s)
{
    for (size_t i = strlen(s); i-- > 0;) {
        char one[2] = {s[i], 0};
        rep_ins(r, pos, one);
    }
}

static void rep_del(rep *r, size_t pos, size_t n)
{
    wt_del(r->doc, pos, n);
    ck_assert_int_eq(wt_naive_delete(r->nv, pos, n, &r->out), 0);
}

static msg rep_flush(rep *r)
{
    msg m;
    m.u = wt_flush(r->doc);
    wt_nops_init(&m.ops);
    wt_nops_append(&m.ops, &r->out);
    wt_nops_clear(&r->out);
    return m;
}

static void msg_free(msg *m)
{
    wt_update_free(&m->u);
    wt_nops_free(&m->ops);
}

static void deliver(rep *r, const msg *m)
{
    wt_apply(r->doc, &m->u);
    ck_assert_int_eq(wt_naive_apply(r->nv, &m->ops), 0);
}

/* Flushes `from` and delivers the result to every replica in the NULL-terminated list. */
static void send(rep *from, ...)
{
    msg m = rep_flush(from);
    va_list ap;
    va_start(ap, from);
    for (rep *to; (to = va_arg(ap, rep *)) != NULL;)
        deliver(to, &m);
    va_end(ap);
    msg_free(&m);
}

/* Both the naive replica and the core must show want; the naive one is checked first so a
 * wrong expectation is told apart from a core bug. */
#define expect(r, want) expect_at((r), (want), __FILE__, __LINE__)
static void expect_at(rep *r, const char *want, const char *file, int line)
{
    size_t n;
    char *nt = wt_naive_text(r->nv, &n);
    if (strcmp(nt, want) != 0)
        _ck_assert_failed(file, line, "naive", "TEST BUG? the naive replica has \"%s\", the "
                          "test expects \"%s\"", wt_esc(nt, n), want);
    free(nt);
    wt__assert_text(r->doc, want, file, line);
    ck_assert_uint_eq(wf_doc_len(r->doc), wt_naive_len(r->nv));
}

/* --- T1 forward non-interleaving -------------------------------------------------------------- */

START_TEST(test_merge__t1_forward_empty)
{
    rep *a = rep_new(A), *b = rep_new(B);
    rep_type(a, 0, "abc");
    rep_type(b, 0, "xyz");
    send(a, b, NULL);
    send(b, a, NULL);
    expect(a, "abcxyz");
    expect(b, "abcxyz");
    rep_free(a);
    rep_free(b);
}
END_TEST

START_TEST(test_merge__t1_forward_in_brackets)
{
    rep *a = rep_new(A), *b = rep_new(B), *c = rep_new(C);
    rep_ins(c, 0, "[]");
    send(c, a, b, NULL);
    rep_type(a, 1, "abc");
    rep_type(b, 1, "xyz");
    send(a, b, c, NULL);
    send(b, a, c, NULL);
    expect(a, "[abcxyz]");
    expect(b, "[abcxyz]");
    expect(c, "[abcxyz]");
    rep_free(a);
    rep_free(b);
    rep_free(c);
}
END_TEST

START_TEST(test_merge__t1_forward_one_insert_each)
{
    rep *a = rep_new(A), *b = rep_new(B), *c = rep_new(C);
    rep_ins(c, 0, "[]");
    send(c, a, b, NULL);
    rep_ins(a, 1, "abc");
    rep_ins(b, 1, "xyz");
    send(b, a, c, NULL); /* the other delivery order */
    send(a, b, c, NULL);
    expect(a, "[abcxyz]");
    expect(b, "[abcxyz]");
    expect(c, "[abcxyz]");
    rep_free(a);
    rep_free(b);
    rep_free(c);
}
END_TEST

/* --- T2 backward non-interleaving ------------------------------------------------------------- */

START_TEST(test_merge__t2_both_backward)
{
    rep *a = rep_new(A), *b = rep_new(B);
    rep_type_back(a, 0, "abc"); /* c, b, a each at 0 */
    rep_type_back(b, 0, "xyz");
    expect(a, "abc");
    expect(b, "xyz");
    send(a, b, NULL);
    send(b, a, NULL);
    expect(a, "abcxyz");
    expect(b, "abcxyz");
    rep_free(a);
    rep_free(b);
}
END_TEST

START_TEST(test_merge__t2_a_forward_b_backward)
{
    rep *a = rep_new(A), *b = rep_new(B);
    rep_type(a, 0, "abc");
    rep_type_back(b, 0, "xyz");
    send(b, a, NULL);
    send(a, b, NULL);
    expect(a, "abcxyz");
    expect(b, "abcxyz");
    rep_free(a);
    rep_free(b);
}
END_TEST

START_TEST(test_merge__t2_b_forward_a_backward)
{
    rep *a = rep_new(A), *b = rep_new(B);
    rep_type(b, 0, "abc");
    rep_type_back(a, 0, "xyz");
    send(a, b, NULL);
    send(b, a, NULL);
    expect(a, "xyzabc");
    expect(b, "xyzabc");
    rep_free(a);
    rep_free(b);
}
END_TEST

/* --- T3 same origins: lower ID first ---------------------------------------------------------- */

START_TEST(test_merge__t3_lower_id_first)
{
    rep *a = rep_new(A), *b = rep_new(B);
    rep_ins(a, 0, "a");
    rep_ins(b, 0, "b");
    send(b, a, NULL);
    send(a, b, NULL);
    expect(a, "ab");
    expect(b, "ab");
    rep_free(a);
    rep_free(b);
}
END_TEST

/* The tie-break compares full 64-bit agents, not a truncation of them. */
START_TEST(test_merge__t3_u64_agents)
{
    static const uint64_t pairs[][2] = {
        {(uint64_t)1 << 32, 2},                     /* low halves would order them backwards */
        {0x00000001ffffffffu, 0x0000000200000000u},
        {UINT64_MAX - 1, UINT64_MAX},
        {0x8000000000000000u, 0x7fffffffffffffffu}, /* unsigned, not signed, comparison */
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        uint64_t lo = pairs[i][0] < pairs[i][1] ? pairs[i][0] : pairs[i][1];
        rep *p = rep_new(pairs[i][0]), *q = rep_new(pairs[i][1]);
        rep_ins(p, 0, pairs[i][0] == lo ? "L" : "H");
        rep_ins(q, 0, pairs[i][1] == lo ? "L" : "H");
        send(p, q, NULL);
        send(q, p, NULL);
        expect(p, "LH");
        expect(q, "LH");
        rep_free(p);
        rep_free(q);
    }
}
END_TEST

/* --- T4 cross-agent backward (the Yjs bug) ---------------------------------------------------- */

START_TEST(test_merge__t4_cross_agent_backward)
{
    rep *a = rep_new(A), *b = rep_new(B), *c = rep_new(C);
    rep_ins(c, 0, "b");
    msg mc = rep_flush(c);
    deliver(a, &mc);
    rep_ins(a, 0, "a"); /* A has b */
    rep_ins(b, 0, "x"); /* B does not */
    send(a, b, c, NULL);
    send(b, a, c, NULL);
    deliver(b, &mc);
    msg_free(&mc);
    expect(a, "xab");
    expect(b, "xab");
    expect(c, "xab");
    rep_free(a);
    rep_free(b);
    rep_free(c);
}
END_TEST

/* --- T5 maximal non-interleaving (Fugue paper, Fig. 7) ---------------------------------------- */

/* A, B, C insert "A", "B", "C" at 0; replica rx (agent xa) knows A and C and inserts X between
 * them; replica ry (agent ya) knows A and B and inserts Y between them. */
static void t5(uint64_t xa, uint64_t ya)
{
    rep *a = rep_new(A), *b = rep_new(B), *c = rep_new(C);
    rep_ins(a, 0, "A");
    rep_ins(b, 0, "B");
    rep_ins(c, 0, "C");
    msg ma = rep_flush(a), mb = rep_flush(b), mc = rep_flush(c);
    rep *rx = xa == C ? c : rep_new(xa), *ry = ya == B ? b : rep_new(ya);
    deliver(rx, &ma);
    if (rx != c)
        deliver(rx, &mc);
    deliver(ry, &ma);
    if (ry != b)
        deliver(ry, &mb);
    expect(rx, "AC");
    expect(ry, "AB");
    rep_ins(rx, 1, "X");
    rep_ins(ry, 1, "Y");
    msg mx = rep_flush(rx), my = rep_flush(ry);
    rep *all = rep_new(D);
    deliver(all, &ma);
    deliver(all, &mb);
    deliver(all, &mc);
    expect(all, "ABC");
    deliver(all, &mx);
    expect(all, "AXBC");
    deliver(all, &my);
    expect(all, "AXYBC");
    /* the other order, and the authors themselves */
    rep *all2 = rep_new(D + 1);
    deliver(all2, &my);
    deliver(all2, &mc);
    deliver(all2, &mx);
    deliver(all2, &ma);
    deliver(all2, &mb);
    expect(all2, "AXYBC");
    ck_assert_uint_eq(wf_doc_pending(all2->doc), 0);
    deliver(rx, &mb);
    deliver(rx, &my);
    deliver(ry, &mc);
    deliver(ry, &mx);
    expect(rx, "AXYBC");
    expect(ry, "AXYBC");
    msg *ms[] = {&ma, &mb, &mc, &mx, &my};
    for (size_t i = 0; i < 5; i++)
        msg_free(ms[i]);
    if (rx != c)
        rep_free(rx);
    if (ry != b)
        rep_free(ry);
    rep_free(a);
    rep_free(b);
    rep_free(c);
    rep_free(all);
    rep_free(all2);
}

START_TEST(test_merge__t5_maximal_c_and_b)
{
    t5(C, B);
}
END_TEST

START_TEST(test_merge__t5_maximal_other_agents)
{
    t5(10, 11);
    t5(11, 10);
    t5(C, 10);
    t5(10, B);
}
END_TEST

/* --- T6 tails --------------------------------------------------------------------------------- */

START_TEST(test_merge__t6_tails)
{
    rep *a = rep_new(A), *b = rep_new(B);
    rep_ins(a, 0, "a");
    rep_ins(a, 0, "(");
    rep_ins(a, 2, ")");
    rep_ins(b, 0, "b");
    rep_ins(b, 0, "[");
    rep_ins(b, 2, "]");
    expect(a, "(a)");
    expect(b, "[b]");
    send(a, b, NULL);
    send(b, a, NULL);
    expect(a, "(a)[b]");
    expect(b, "(a)[b]");
    rep_free(a);
    rep_free(b);
}
END_TEST

START_TEST(test_merge__t6_tails_third_agent_lowest)
{
    /* A < B as before, but B's "[" comes from a third agent with the lowest ID of all. */
    rep *a = rep_new(20), *b = rep_new(30), *t = rep_new(10);
    rep_ins(a, 0, "a");
    rep_ins(a, 0, "(");
    rep_ins(a, 2, ")");
    rep_ins(b, 0, "b");
    msg mb1 = rep_flush(b);
    deliver(t, &mb1);
    rep_ins(t, 0, "[");
    msg mt = rep_flush(t);
    deliver(b, &mt);
    rep_ins(b, 2, "]");
    expect(b, "[b]");
    msg mb2 = rep_flush(b), ma = rep_flush(a);
    deliver(a, &mb2); /* out of order: waits for b's "b" and t's "[" */
    deliver(a, &mt);
    deliver(a, &mb1);
    ck_assert_uint_eq(wf_doc_pending(a->doc), 0);
    deliver(b, &ma);
    deliver(t, &ma);
    deliver(t, &mb2);
    msg none = rep_flush(t);
    ck_assert_uint_eq(none.u.n, 0); /* t made nothing new */
    msg *ms[] = {&none, &mb1, &mt, &mb2, &ma};
    for (size_t i = 0; i < 5; i++)
        msg_free(ms[i]);
    expect(a, "(a)[b]");
    expect(b, "(a)[b]");
    expect(t, "(a)[b]");
    rep_free(a);
    rep_free(b);
    rep_free(t);
}
END_TEST

/* --- T7 local vs concurrent ------------------------------------------------------------------- */

START_TEST(test_merge__t7_local_vs_concurrent)
{
    rep *a = rep_new(A), *b = rep_new(B), *c = rep_new(C), *d = rep_new(D);
    rep_ins(a, 0, "a");
    rep_ins(b, 0, "b");
    rep_ins(c, 0, "c");
    msg ma = rep_flush(a), mb = rep_flush(b), mc = rep_flush(c);
    deliver(d, &ma);
    deliver(d, &mc);
    expect(d, "ac");
    rep_ins(d, 1, "d");
    msg md = rep_flush(d);
    deliver(d, &mb);
    expect(d, "adbc");
    deliver(a, &md); /* before b and c: d's origins a and c must wait for c */
    deliver(a, &mb);
    deliver(a, &mc);
    expect(a, "adbc");
    ck_assert_uint_eq(wf_doc_pending(a->doc), 0);
    deliver(b, &mc);
    deliver(b, &md);
    deliver(b, &ma);
    expect(b, "adbc");
    deliver(c, &mb);
    deliver(c, &ma);
    deliver(c, &md);
    expect(c, "adbc");
    msg *ms[] = {&ma, &mb, &mc, &md};
    for (size_t i = 0; i < 4; i++)
        msg_free(ms[i]);
    rep_free(a);
    rep_free(b);
    rep_free(c);
    rep_free(d);
}
END_TEST

/* --- T8 delete vs insert ---------------------------------------------------------------------- */

/* Base "abc" made by C and known to A and B. */
static void base3(rep **a, rep **b, rep **c, const char *base)
{
    *a = rep_new(A);
    *b = rep_new(B);
    *c = rep_new(C);
    rep_ins(*c, 0, base);
    send(*c, *a, *b, NULL);
}

static void finish3(rep *a, rep *b, rep *c, const char *want)
{
    send(a, b, c, NULL);
    send(b, a, c, NULL);
    expect(a, want);
    expect(b, want);
    expect(c, want);
    rep_free(a);
    rep_free(b);
    rep_free(c);
}

START_TEST(test_merge__t8_delete_vs_insert_after)
{
    rep *a, *b, *c;
    base3(&a, &b, &c, "abc");
    rep_del(a, 1, 1);
    rep_ins(b, 2, "X");
    finish3(a, b, c, "aXc");
}
END_TEST

START_TEST(test_merge__t8_delete_vs_insert_before)
{
    rep *a, *b, *c;
    base3(&a, &b, &c, "abc");
    rep_del(a, 1, 1);
    rep_ins(b, 1, "X");
    finish3(a, b, c, "aXc");
}
END_TEST

START_TEST(test_merge__t8_delete_all_vs_insert)
{
    rep *a, *b, *c;
    base3(&a, &b, &c, "abc");
    rep_del(a, 0, 3);
    expect(a, "");
    rep_ins(b, 2, "X");
    finish3(a, b, c, "X");
}
END_TEST

START_TEST(test_merge__t8_both_delete)
{
    rep *a, *b, *c;
    base3(&a, &b, &c, "abc");
    rep_del(a, 1, 1);
    rep_del(b, 1, 1);
    finish3(a, b, c, "ac");
}
END_TEST

START_TEST(test_merge__t8_insert_after_tombstone)
{
    rep *a, *b, *c;
    base3(&a, &b, &c, "ab");
    rep_del(a, 1, 1);
    rep_ins(a, 1, "X"); /* ol = a, or = the tombstone b */
    rep_ins(b, 2, "Y");
    finish3(a, b, c, "aXY");
}
END_TEST

/* --- T12 causal buffering --------------------------------------------------------------------- */

START_TEST(test_merge__t12_pending_insert)
{
    rep *a = rep_new(A), *b = rep_new(B);
    rep_ins(a, 0, "x");
    msg u1 = rep_flush(a);
    rep_ins(a, 1, "y");
    msg u2 = rep_flush(a);
    deliver(b, &u2);
    expect(b, "");
    ck_assert_uint_eq(wf_doc_pending(b->doc), 1);
    ck_assert_uint_eq(wf_doc_len(b->doc), 0);
    deliver(b, &u1);
    expect(b, "xy");
    ck_assert_uint_eq(wf_doc_pending(b->doc), 0);
    ck_assert_uint_eq(wt_naive_pending(b->nv), 0);
    msg_free(&u1);
    msg_free(&u2);
    rep_free(a);
    rep_free(b);
}
END_TEST

START_TEST(test_merge__t12_pending_delete)
{
    rep *a = rep_new(A), *b = rep_new(B), *c = rep_new(C);
    rep_ins(a, 0, "x");
    msg u1 = rep_flush(a);
    rep_ins(a, 1, "y");
    msg u2 = rep_flush(a);
    rep_del(a, 0, 1);
    msg u3 = rep_flush(a);
    /* b: the delete of an unknown ID waits */
    deliver(b, &u3);
    expect(b, "");
    ck_assert_uint_eq(wf_doc_pending(b->doc), 1);
    deliver(b, &u1);
    expect(b, "");
    ck_assert_uint_eq(wf_doc_pending(b->doc), 0);
    deliver(b, &u2);
    expect(b, "y");
    ck_assert_uint_eq(wf_doc_pending(b->doc), 0);
    /* c: everything backwards; the pending queue is retried after each integrate */
    deliver(c, &u3);
    deliver(c, &u2);
    expect(c, "");
    ck_assert_uint_eq(wf_doc_pending(c->doc), 2);
    deliver(c, &u1);
    expect(c, "y");
    ck_assert_uint_eq(wf_doc_pending(c->doc), 0);
    msg_free(&u1);
    msg_free(&u2);
    msg_free(&u3);
    rep_free(a);
    rep_free(b);
    rep_free(c);
}
END_TEST

/* Pending state that depends on another agent: a's insert waits for c's text. */
START_TEST(test_merge__t12_pending_other_agent)
{
    rep *a = rep_new(A), *b = rep_new(B), *c = rep_new(C);
    rep_ins(c, 0, "base");
    msg mc = rep_flush(c);
    deliver(a, &mc);
    rep_ins(a, 2, "--");
    msg ma = rep_flush(a);
    deliver(b, &ma);
    ck_assert_uint_eq(wf_doc_pending(b->doc), 1);
    expect(b, "");
    deliver(b, &ma); /* a duplicate of a pending update adds nothing */
    ck_assert_uint_eq(wf_doc_pending(b->doc), 1); /* T11: pending unchanged */
    deliver(b, &mc);
    expect(b, "ba--se");
    ck_assert_uint_eq(wf_doc_pending(b->doc), 0);
    msg_free(&mc);
    msg_free(&ma);
    rep_free(a);
    rep_free(b);
    rep_free(c);
}
END_TEST

/* --- sync by version vector ------------------------------------------------------------------- */

START_TEST(test_merge__sync_by_diff)
{
    wf_doc *a = wf_doc_new(A), *b = wf_doc_new(B), *c = wf_doc_new(C);
    wt_type(a, 0, "hello");
    wt_type(b, 0, "world");
    wt_sync(a, b);
    wt_assert_text(a, "helloworld");
    wt_assert_text(b, "helloworld");
    wt_del(a, 0, 5);
    wt_ins(b, 10, "!");
    wt_sync(a, b);
    wt_assert_text(a, "world!");
    wt_assert_text(b, "world!");
    wt_sync(c, a);
    wt_assert_text(c, "world!");
    wt_sync(c, a); /* nothing new: a no-op both ways */
    wt_assert_text(c, "world!");
    wf_vv va, vc;
    wf_vv_init(&va);
    wf_vv_init(&vc);
    wf_doc_vv(a, &va);
    wf_doc_vv(c, &vc);
    ck_assert(wt_vv_same(&va, &vc));
    ck_assert_uint_eq(wf_vv_get(&va, A), 5);
    ck_assert_uint_eq(wf_vv_get(&va, B), 6);
    ck_assert_uint_eq(wf_vv_get(&va, C), 0);
    wf_vv_free(&va);
    wf_vv_free(&vc);
    wf_doc_free(a);
    wf_doc_free(b);
    wf_doc_free(c);
}
END_TEST

static Suite *merge_suite(void)
{
    Suite *s = suite_create("merge");
    TCase *tc = tcase_create("forward");
    tcase_add_test(tc, test_merge__t1_forward_empty);
    tcase_add_test(tc, test_merge__t1_forward_in_brackets);
    tcase_add_test(tc, test_merge__t1_forward_one_insert_each);
    suite_add_tcase(s, tc);

    tc = tcase_create("backward");
    tcase_add_test(tc, test_merge__t2_both_backward);
    tcase_add_test(tc, test_merge__t2_a_forward_b_backward);
    tcase_add_test(tc, test_merge__t2_b_forward_a_backward);
    tcase_add_test(tc, test_merge__t4_cross_agent_backward);
    suite_add_tcase(s, tc);

    tc = tcase_create("tie_break");
    tcase_add_test(tc, test_merge__t3_lower_id_first);
    tcase_add_test(tc, test_merge__t3_u64_agents);
    tcase_add_test(tc, test_merge__t5_maximal_c_and_b);
    tcase_add_test(tc, test_merge__t5_maximal_other_agents);
    tcase_add_test(tc, test_merge__t6_tails);
    tcase_add_test(tc, test_merge__t6_tails_third_agent_lowest);
    tcase_add_test(tc, test_merge__t7_local_vs_concurrent);
    suite_add_tcase(s, tc);

    tc = tcase_create("delete");
    tcase_add_test(tc, test_merge__t8_delete_vs_insert_after);
    tcase_add_test(tc, test_merge__t8_delete_vs_insert_before);
    tcase_add_test(tc, test_merge__t8_delete_all_vs_insert);
    tcase_add_test(tc, test_merge__t8_both_delete);
    tcase_add_test(tc, test_merge__t8_insert_after_tombstone);
    suite_add_tcase(s, tc);

    tc = tcase_create("pending");
    tcase_add_test(tc, test_merge__t12_pending_insert);
    tcase_add_test(tc, test_merge__t12_pending_delete);
    tcase_add_test(tc, test_merge__t12_pending_other_agent);
    suite_add_tcase(s, tc);

    tc = tcase_create("sync");
    tcase_add_test(tc, test_merge__sync_by_diff);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(merge_suite());
}
