/* Updates: encoding, sync deltas, flush, and hostile input (CRDT.md T20).
 *
 * Most malformed-input tests build updates by hand in format version 1 (core/wire1.c),
 * which the core no longer writes but still reads, since old journals hold it: the h_*
 * builder below mirrors that file's comment, and test_codec__hand_encoded_valid proves the
 * core still takes it. The current format (core/wire2.c) has its own hand builder (h2_*),
 * and the truncation and flip tests mutate what the core itself encodes. Every rejected
 * update must leave the document exactly as it was: text, version vector, pending count,
 * and wf_doc_check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec.h"
#include "core/doc-internal.h"
#include "core/doc.h"
#include "core/mem.h"
#include "core/undo.h"
#include "tests/common/testutil.h"

/* --- a hand encoder for format version 1 (still read) ---------------------------------------- */

#define OL_START 0
#define OL_SELF 1
#define OL_PREV 2
#define OL_EXPLICIT 3
#define OR_END (0 << 2)
#define OR_NEXT (1 << 2)
#define OR_EXPLICIT (2 << 2)
#define OR_OWN (3 << 2)
#define R_SAME_AGENT 0x10
#define R_BYTE_UNITS 0x20
#define R_OL_OWN 0x40
#define R_LEN1 0x80
#define F_HUFF 0x02

/* A message being built: the header, agent table, delete set and run headers go to head;
 * run texts go to the text column, which ends the message. */
typedef struct hmsg {
    wf_buf head;
    wf_buf text;
} hmsg;

static void h_u64le(wf_buf *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        wf_buf_put_u8(b, (uint8_t)(v >> (8 * i)));
}

/* Starts a message: version, flags, agent table. */
static void h_header(hmsg *m, uint8_t flags, const uint64_t *agents, size_t n)
{
    wf_buf_init(&m->head);
    wf_buf_init(&m->text);
    wf_buf_put_u8(&m->head, 1);
    wf_buf_put_u8(&m->head, flags);
    wf_buf_put_varuint(&m->head, n);
    for (size_t i = 0; i < n; i++)
        h_u64le(&m->head, agents[i]);
}

/* A raw varuint in the head (delete set, counts). */
static void h_varuint(hmsg *m, uint64_t v)
{
    wf_buf_put_varuint(&m->head, v);
}

static void h_free(hmsg *m)
{
    wf_buf_free(&m->head);
    wf_buf_free(&m->text);
}

/* One run: flags, agent index (skipped with R_SAME_AGENT), seq delta, len (skipped with
 * R_LEN1), explicit origins when the flags say so (ola/ora: message agent index, ols/ors:
 * seq; with R_OL_OWN / OR_OWN, ols/ors is the raw "seq - 1 - origin" value), then nbytes
 * (skipped with R_BYTE_UNITS or without text) in the head and the text in the column. */
static void h_run(hmsg *m, uint8_t flags, uint64_t agent, int64_t delta, uint64_t len,
                  long ola, uint64_t ols, long ora, uint64_t ors, const char *text,
                  size_t nbytes)
{
    wf_buf *b = &m->head;
    wf_buf_put_u8(b, flags);
    if (!(flags & R_SAME_AGENT))
        wf_buf_put_varuint(b, agent);
    wf_buf_put_varint(b, delta);
    if (!(flags & R_LEN1))
        wf_buf_put_varuint(b, len);
    if ((flags & 3) == OL_EXPLICIT) {
        if (!(flags & R_OL_OWN))
            wf_buf_put_varuint(b, (uint64_t)ola);
        wf_buf_put_varuint(b, ols);
    }
    if ((flags & 0xc) == OR_EXPLICIT)
        wf_buf_put_varuint(b, (uint64_t)ora);
    if ((flags & 0xc) == OR_EXPLICIT || (flags & 0xc) == OR_OWN)
        wf_buf_put_varuint(b, ors);
    if (text) {
        if (!(flags & R_BYTE_UNITS))
            wf_buf_put_varuint(b, nbytes);
        wf_buf_put(&m->text, text, nbytes);
    }
}

/* The finished message: head, then the text column. Free with wf_buf_free(). */
static wf_buf h_bytes(const hmsg *m)
{
    wf_buf out;
    wf_buf_init(&out);
    wf_buf_put(&out, m->head.data, m->head.len);
    wf_buf_put(&out, m->text.data, m->text.len);
    return out;
}

/* An update with no deletes and one plain run (START..END) of `text` by `agent`. */
static void h_simple(hmsg *m, uint64_t agent, uint64_t len, const char *text)
{
    h_header(m, 0, &agent, 1);
    h_varuint(m, 0); /* no delete groups */
    h_varuint(m, 1); /* one run */
    h_run(m, OL_START | OR_END, 0, 0, len, -1, 0, -1, 0, text, strlen(text));
}

/* Applies m to doc, expecting rc; if rc is an error, nothing may have changed. */
#define expect_apply(doc, m, rc) expect_apply_at((doc), (m), (rc), false, __FILE__, __LINE__)
/* The same with wf_doc_apply_complete(). */
#define expect_complete(doc, m, rc) expect_apply_at((doc), (m), (rc), true, __FILE__, __LINE__)
static void expect_apply_at(wf_doc *doc, const hmsg *m, int want, bool complete,
                            const char *file, int line)
{
    wt_state before;
    wt_state_take(&before, doc);
    wf_buf b = h_bytes(m);
    int rc = complete ? wf_doc_apply_complete(doc, b.data, b.len)
                      : wf_doc_apply(doc, b.data, b.len);
    wf_buf_free(&b);
    if (rc != want)
        _ck_assert_failed(file, line, "apply", "wf_doc_apply = %d (%s), want %d (%s)", rc,
                          wf_strerror(rc), want, wf_strerror(want));
    if (rc != 0)
        wt__assert_state(doc, &before, file, line);
    else
        wt__check(doc, file, line);
    wt_state_free(&before);
}

/* A document with base text by agent 5. */
static wf_doc *doc_with(uint64_t agent, const char *text)
{
    wf_doc *doc = wf_doc_new(agent);
    hmsg b;
    h_simple(&b, 5, strlen(text), text);
    expect_apply(doc, &b, 0);
    h_free(&b);
    wt_assert_text(doc, text);
    return doc;
}

/* --- round trips ------------------------------------------------------------------------------ */

START_TEST(test_codec__hand_encoded_valid)
{
    wf_doc *doc = wf_doc_new(1);
    hmsg b;
    h_simple(&b, 5, 3, "abc");
    expect_apply(doc, &b, 0);
    wt_assert_text(doc, "abc");
    wf_id id = wf_doc_id_at(doc, 1);
    ck_assert_uint_eq(id.agent, 5);
    ck_assert_uint_eq(id.seq, 1);
    h_free(&b);
    /* a second run by the same agent, one byte per unit, after 'c' (explicit ol) */
    uint64_t ag = 5;
    h_header(&b, 0, &ag, 1);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_EXPLICIT | OR_END | R_BYTE_UNITS, 0, 3, 2, 0, 2, -1, 0, "de", 2);
    expect_apply(doc, &b, 0);
    wt_assert_text(doc, "abcde");
    h_free(&b);
    /* a delete of (5, 1) and (5, 3..4): gap 1 len 1, gap 1 len 2 */
    h_header(&b, 0, &ag, 1);
    h_varuint(&b, 1);
    h_varuint(&b, 0);
    h_varuint(&b, 2);
    h_varuint(&b, 1);
    h_varuint(&b, 1);
    h_varuint(&b, 1);
    h_varuint(&b, 2);
    h_varuint(&b, 0); /* no runs */
    expect_apply(doc, &b, 0);
    wt_assert_text(doc, "ac");
    h_free(&b);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_codec__full_state_roundtrip)
{
    wf_doc *a = wf_doc_new(1), *b = wf_doc_new(2);
    wt_type(a, 0, "hello \xc3\xa9 world\n");
    wt_ins(b, 0, "\xf0\x9f\x98\x80 line two\r\n\xff\x80 tail");
    wt_sync(a, b);
    wt_del(a, 2, 5);
    wt_ins(a, 4, "XYZ");
    wt_update full = wt_diff(a, NULL);
    wf_doc *c = wf_doc_new(3);
    wt_apply(c, &full);
    char *ta = wt_text(a);
    wt_assert_text(c, ta);
    free(ta);
    wf_vv va, vc;
    wf_vv_init(&va);
    wf_vv_init(&vc);
    wf_doc_vv(a, &va);
    wf_doc_vv(c, &vc);
    ck_assert(wt_vv_same(&va, &vc));
    ck_assert_uint_eq(wf_vv_total(&va), wf_vv_get(&va, 1) + wf_vv_get(&va, 2));
    /* decode(encode(doc)) == doc: the copy encodes to the same bytes */
    wt_update again = wt_diff(c, NULL);
    ck_assert_uint_eq(again.n, full.n);
    ck_assert(memcmp(again.data, full.data, full.n) == 0);
    /* since = empty vector is the same as NULL */
    wf_vv empty;
    wf_vv_init(&empty);
    wt_update e = wt_diff(a, &empty);
    ck_assert_uint_eq(e.n, full.n);
    ck_assert(memcmp(e.data, full.data, full.n) == 0);
    /* applying the full state again, or to the original, changes nothing */
    wt_state s;
    wt_state_take(&s, c);
    wt_apply(c, &full);
    wt_assert_state(c, &s);
    wt_state_free(&s);
    wt_state_take(&s, a);
    wt_apply(a, &full);
    wt_assert_state(a, &s);
    wt_state_free(&s);
    wt_update_free(&e);
    wt_update_free(&full);
    wt_update_free(&again);
    wf_vv_free(&va);
    wf_vv_free(&vc);
    wf_vv_free(&empty);
    wf_doc_free(a);
    wf_doc_free(b);
    wf_doc_free(c);
}
END_TEST

/* apply(S1, delta(S2, sv(S1))) equals the merge of S1 and S2. */
/* Two copies of one full state: `fast` loaded as it is (core/load.c), `slow` integrated run
 * by run (wf__apply_integrating). They must be the same document:
 * same encoding, same answers to position queries, and the same after the same local edits,
 * remote updates and undo. */
static void check_load_matches(const wf_doc *src, uint64_t seed)
{
    wt_update full = wt_diff(src, NULL);
    wf_doc *fast = wf_doc_new(100), *slow = wf_doc_new(100);
    wt_apply(fast, &full);
    ck_assert_int_eq(wf__apply_integrating(slow, full.data, full.n), 0);
    wt_check(slow);
    wt_update f2 = wt_diff(fast, NULL), s2 = wt_diff(slow, NULL);
    ck_assert(f2.n == s2.n && memcmp(f2.data, s2.data, f2.n) == 0);
    ck_assert(f2.n == full.n && memcmp(f2.data, full.data, full.n) == 0);
    size_t len = wf_doc_len(fast), lines = wf_doc_newlines(fast);
    ck_assert_uint_eq(len, wf_doc_len(slow));
    for (size_t pos = 0; pos <= len; pos += 1 + len / 97) {
        ck_assert_uint_eq(wf_doc_pos_to_byte(fast, pos), wf_doc_pos_to_byte(slow, pos));
        ck_assert_uint_eq(wf_doc_line_of(fast, pos), wf_doc_line_of(slow, pos));
        if (pos < len) {
            wf_id a = wf_doc_id_at(fast, pos), b = wf_doc_id_at(slow, pos);
            ck_assert(a.agent == b.agent && a.seq == b.seq);
            ck_assert_uint_eq(wf_doc_pos_of(fast, a, NULL), pos);
        }
    }
    for (size_t l = 0; l <= lines; l += 1 + lines / 31)
        ck_assert_uint_eq(wf_doc_line_start(fast, l), wf_doc_line_start(slow, l));
    /* The same local edits on both (the same agent: the same IDs) */
    wt_rng r;
    wt_rng_init(&r, seed);
    for (int i = 0; i < 40; i++) {
        size_t n = wf_doc_len(fast);
        if (n > 2 && wt_rng_chance(&r, 1, 3)) {
            size_t at = wt_rng_below(&r, (uint32_t)n - 1), k = 1 + wt_rng_below(&r, 2);
            wt_del(fast, at, k);
            wt_del(slow, at, k);
        } else {
            size_t at = wt_rng_below(&r, (uint32_t)n + 1);
            const char *t = i % 3 ? "q" : "\xc3\xa9\n";
            wt_ins(fast, at, t);
            wt_ins(slow, at, t);
        }
    }
    ck_assert_int_eq(wf_doc_undo(fast, NULL), 0);
    ck_assert_int_eq(wf_doc_undo(slow, NULL), 0);
    wt_update fu = wt_flush(fast), su = wt_flush(slow);
    ck_assert(fu.n == su.n && memcmp(fu.data, su.data, fu.n) == 0);
    /* ... and the same remote update: an edit of src's, and the copies' own, into src */
    wf_doc *peer = wf_doc_new(101);
    wt_apply(peer, &full);
    wt_ins(peer, wf_doc_len(peer) / 2, "[peer]");
    wt_update pu = wt_flush(peer);
    wt_apply(fast, &pu);
    wt_apply(slow, &pu);
    wt_apply(peer, &fu);
    char *want = wt_text(peer);
    wt_assert_text(fast, want);
    wt_assert_text(slow, want);
    free(want);
    wt_update_free(&f2);
    wt_update_free(&s2);
    f2 = wt_diff(fast, NULL);
    s2 = wt_diff(slow, NULL);
    ck_assert(f2.n == s2.n && memcmp(f2.data, s2.data, f2.n) == 0);
    wt_update_free(&full);
    wt_update_free(&f2);
    wt_update_free(&s2);
    wt_update_free(&fu);
    wt_update_free(&su);
    wt_update_free(&pu);
    wf_doc_free(fast);
    wf_doc_free(slow);
    wf_doc_free(peer);
}

START_TEST(test_codec__load_then_edit)
{
    uint64_t seed = wt_seed("load");
    wt_rng r;
    wt_rng_init(&r, seed);
    /* Three agents, long runs (checkpoints), multi-byte text, tombstones everywhere. */
    wf_doc *d[3] = {wf_doc_new(7), wf_doc_new(3), wf_doc_new(5)};
    char *big = malloc(6001);
    for (int i = 0; i < 6000; i++)
        big[i] = "ab\n cd"[i % 6];
    big[6000] = '\0';
    wt_ins(d[0], 0, big);
    wt_ins(d[1], 0, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xff");
    for (int i = 0; i < 3; i++)
        wt_ins(d[2], 0, "\xe2\x82\xac\xe2\x82\xac\n");
    for (int step = 0; step < 300; step++) {
        wf_doc *x = d[wt_rng_below(&r, 3)];
        size_t n = wf_doc_len(x);
        if (n > 4 && wt_rng_chance(&r, 1, 3))
            wt_del(x, wt_rng_below(&r, (uint32_t)n - 3), 1 + wt_rng_below(&r, 3));
        else
            wt_ins(x, wt_rng_below(&r, (uint32_t)n + 1), step % 5 ? "xy" : "\xc3\xa9");
        if (wt_rng_chance(&r, 1, 10))
            wt_sync(d[wt_rng_below(&r, 3)], d[wt_rng_below(&r, 3)]);
    }
    wt_sync(d[0], d[1]);
    wt_sync(d[1], d[2]);
    wt_sync(d[0], d[1]);
    check_load_matches(d[0], seed);
    free(big);
    for (int i = 0; i < 3; i++)
        wf_doc_free(d[i]);
}
END_TEST

/* A peer that lacks k edits is sent O(k) bytes, not every tombstone (core/dellog.c): the
 * document below has thousands of deletions; a replica that lacks one keystroke, or one
 * backspace, or 50 mixed edits, gets a delta of a few bytes each, and ends up equal. A
 * replica loaded from a state (its log starts there) still answers a peer older than that,
 * with every tombstone. */
START_TEST(test_codec__reconnect_delta_is_small)
{
    uint64_t seed = wt_seed("delta");
    wt_rng r;
    wt_rng_init(&r, seed);
    wf_doc *a = wf_doc_new(1), *b = wf_doc_new(2);
    for (int i = 0; i < 4000; i++) { /* typing with deletions here and there */
        size_t n = wf_doc_len(a);
        int rc;
        if (n > 10 && wt_rng_chance(&r, 1, 3))
            rc = wf_doc_delete(a, wt_rng_below(&r, (uint32_t)n), 1);
        else
            rc = wf_doc_insert(a, wt_rng_below(&r, (uint32_t)n + 1), i % 9 ? "x" : "\xc3\xa9",
                               i % 9 ? 1 : 2);
        ck_assert_int_eq(rc, 0);
    }
    wt_check(a);
    wt_update full = wt_diff(a, NULL);
    wt_apply(b, &full);
    wf_vv vb;
    wf_vv_init(&vb);
    size_t prev = 0;
    static const int ks[] = {1, 2, 50};
    for (size_t t = 0; t < 3; t++) {
        for (int i = 0; i < ks[t]; i++) {
            size_t n = wf_doc_len(a);
            if (i % 2 == 1 || (t == 1 && i == 0))
                wt_del(a, wt_rng_below(&r, (uint32_t)n), 1);
            else
                wt_ins(a, wt_rng_below(&r, (uint32_t)n + 1), "k");
        }
        wf_doc_vv(b, &vb);
        wt_update delta = wt_diff(a, &vb);
        ck_assert_msg(delta.n < 30 + 24 * (size_t)ks[t], "k=%d: %zu bytes (state %zu)", ks[t],
                      delta.n, full.n);
        wt_apply(b, &delta);
        char *want = wt_text(a);
        wt_assert_text(b, want);
        free(want);
        wf_vv va;
        wf_vv_init(&va);
        wf_doc_vv(a, &va);
        wf_doc_vv(b, &vb);
        ck_assert(wt_vv_same(&va, &vb));
        wf_vv_free(&va);
        prev = delta.n;
        wt_update_free(&delta);
    }
    ck_assert_uint_gt(full.n, 20 * prev / 10);
    /* c is loaded from a state of b; a peer older than that (the state's floors) is sent
     * every tombstone and ends up equal all the same. */
    wf_doc *old = wf_doc_new(3);
    wt_apply(old, &full);
    wf_vv vold;
    wf_vv_init(&vold);
    wf_doc_vv(old, &vold);
    wt_update sb = wt_diff(b, NULL);
    wf_doc *c = wf_doc_new(4);
    wt_apply(c, &sb);
    wt_update back = wt_diff(c, &vold);
    wt_apply(old, &back);
    char *want = wt_text(a);
    wt_assert_text(old, want);
    free(want);
    wf_doc_vv(old, &vold);
    wf_doc_vv(c, &vb);
    ck_assert(wt_vv_same(&vold, &vb));
    wt_update_free(&back);
    wt_update_free(&sb);
    wt_update_free(&full);
    wf_vv_free(&vb);
    wf_vv_free(&vold);
    wf_doc_free(a);
    wf_doc_free(b);
    wf_doc_free(c);
    wf_doc_free(old);
}
END_TEST

/* Deletions counted in version vectors: a replica whose only news is a deletion shows it in
 * its version, and a peer that has it shows that too. */
START_TEST(test_codec__deletions_in_versions)
{
    wf_doc *a = wf_doc_new(1), *b = wf_doc_new(2);
    wt_ins(a, 0, "hello");
    wt_sync(a, b);
    wf_vv va, vb;
    wf_vv_init(&va);
    wf_vv_init(&vb);
    wf_doc_vv(a, &va);
    wf_doc_vv(b, &vb);
    ck_assert(wf_vv_equal(&va, &vb));
    wt_del(a, 1, 1);
    wf_doc_vv(a, &va);
    ck_assert(!wf_vv_covers(&vb, &va));
    ck_assert_uint_eq(wf_vv_get_dels(&va, 1), 1);
    wt_update u = wt_flush(a);
    wt_apply(b, &u);
    wf_doc_vv(b, &vb);
    ck_assert(wf_vv_equal(&va, &vb));
    wt_assert_text(b, "hllo");
    /* the same deletion again (a re-sent update): nothing changes */
    wt_apply(b, &u);
    wf_doc_vv(b, &vb);
    ck_assert(wf_vv_equal(&va, &vb));
    wt_update_free(&u);
    wf_vv_free(&va);
    wf_vv_free(&vb);
    wf_doc_free(a);
    wf_doc_free(b);
}
END_TEST

START_TEST(test_codec__delta_equals_merge)
{
    wf_doc *s1 = wf_doc_new(1), *s2 = wf_doc_new(2), *m = wf_doc_new(3);
    wt_type(s1, 0, "shared base text");
    wt_sync(s1, s2);
    wt_ins(s1, 6, "[one]");
    wt_del(s1, 0, 2);
    wt_ins(s2, 11, "{two}");
    wt_del(s2, 13, 4);
    wt_type(s2, 0, ">>");
    /* the merge: m gets both full states */
    wt_update f1 = wt_diff(s1, NULL), f2 = wt_diff(s2, NULL);
    wt_apply(m, &f1);
    wt_apply(m, &f2);
    char *want = wt_text(m);
    wf_vv v1;
    wf_vv_init(&v1);
    wf_doc_vv(s1, &v1);
    wt_update delta = wt_diff(s2, &v1);
    ck_assert_uint_lt(delta.n, f2.n); /* the base is not sent again */
    wt_apply(s1, &delta);
    wt_assert_text(s1, want);
    ck_assert_uint_eq(wf_doc_pending(s1), 0);
    /* and the other way round */
    wf_vv v2;
    wf_vv_init(&v2);
    wf_doc_vv(s2, &v2);
    wt_update delta2 = wt_diff(m, &v2);
    wt_apply(s2, &delta2);
    wt_assert_text(s2, want);
    /* equal structure: equal full-state bytes */
    wt_update g1 = wt_diff(s1, NULL), g2 = wt_diff(s2, NULL), gm = wt_diff(m, NULL);
    ck_assert(g1.n == g2.n && memcmp(g1.data, g2.data, g1.n) == 0);
    ck_assert(g1.n == gm.n && memcmp(g1.data, gm.data, g1.n) == 0);
    wt_update *us[] = {&f1, &f2, &delta, &delta2, &g1, &g2, &gm};
    for (size_t i = 0; i < 7; i++)
        wt_update_free(us[i]);
    free(want);
    wf_vv_free(&v1);
    wf_vv_free(&v2);
    wf_doc_free(s1);
    wf_doc_free(s2);
    wf_doc_free(m);
}
END_TEST

/* A peer that knows more than we do (its vector is ahead) gets only what it lacks. */
START_TEST(test_codec__diff_against_newer_peer)
{
    wf_doc *a = wf_doc_new(1), *b = wf_doc_new(2);
    wt_type(a, 0, "abc");
    wt_sync(a, b);
    wt_type(b, 3, "def");
    wt_ins(a, 0, "X");
    wf_vv vb;
    wf_vv_init(&vb);
    wf_doc_vv(b, &vb);
    wt_update d = wt_diff(a, &vb);
    wt_apply(b, &d);
    wt_assert_text(b, "Xabcdef");
    wt_sync(a, b);
    wt_assert_text(a, "Xabcdef");
    wt_update_free(&d);
    wf_vv_free(&vb);
    wf_doc_free(a);
    wf_doc_free(b);
}
END_TEST

START_TEST(test_codec__tombstones_travel_without_text)
{
    wf_doc *a = wf_doc_new(1), *b = wf_doc_new(2);
    size_t n = 20000;
    char *big = malloc(n);
    memset(big, 'x', n);
    ck_assert_int_eq(wf_doc_insert(a, 0, big, n), 0);
    free(big);
    wt_check(a);
    wt_ins(a, n, "tail");
    wt_del(a, 0, n);
    wt_update full = wt_diff(a, NULL);
    ck_assert_msg(full.n < 200, "full state of 4 visible bytes is %zu bytes", full.n);
    wt_apply(b, &full);
    wt_assert_text(b, "tail");
    /* b has the tombstones without their text; the original insert may still arrive late */
    wf_doc *c = wf_doc_new(3);
    wt_update fl = wt_flush(a); /* the insert and the delete, in one local update */
    ck_assert_uint_lt(fl.n, 200);
    wt_apply(c, &fl);
    wt_assert_text(c, "tail");
    wt_update_free(&full);
    wt_update_free(&fl);
    wf_doc_free(a);
    wf_doc_free(b);
    wf_doc_free(c);
}
END_TEST

/* A unit first received as a tombstone without text, then in its original update with
 * text, is no conflict. */
START_TEST(test_codec__text_after_tombstone_is_no_conflict)
{
    wf_doc *a = wf_doc_new(1), *b = wf_doc_new(2);
    wt_ins(a, 0, "hello");
    wt_update ins = wt_flush(a);
    wt_del(a, 1, 3);
    wt_update del = wt_flush(a);
    wt_update full = wt_diff(a, NULL);
    wt_apply(b, &full);
    wt_assert_text(b, "ho");
    wt_apply(b, &ins); /* late re-send of the original insert */
    wt_assert_text(b, "ho");
    wt_apply(b, &del);
    wt_assert_text(b, "ho");
    wt_update_free(&ins);
    wt_update_free(&del);
    wt_update_free(&full);
    wf_doc_free(a);
    wf_doc_free(b);
}
END_TEST

/* --- flush ---------------------------------------------------------------------------------- */

START_TEST(test_codec__flush)
{
    wf_doc *a = wf_doc_new(1), *b = wf_doc_new(2);
    wf_buf buf;
    wf_buf_init(&buf);
    ck_assert_uint_eq(wf_doc_flush(a, &buf), 0);
    ck_assert_uint_eq(buf.len, 0);
    wt_ins(a, 0, "abc");
    wf_buf_put(&buf, "PREFIX", 6);
    size_t n = wf_doc_flush(a, &buf);
    ck_assert_uint_gt(n, 0);
    ck_assert_uint_eq(buf.len, 6 + n); /* appended, not overwritten */
    ck_assert(memcmp(buf.data, "PREFIX", 6) == 0);
    ck_assert_uint_eq(wf_doc_flush(a, &buf), 0); /* forgotten after a flush */
    ck_assert_int_eq(wf_doc_apply(b, buf.data + 6, n), 0);
    wt_check(b);
    wt_assert_text(b, "abc");
    ck_assert_uint_eq(wf_doc_flush(b, &buf), 0); /* remote edits are not local */
    /* a delete of remote text is local */
    wt_del(b, 0, 1);
    wf_buf_reset(&buf);
    n = wf_doc_flush(b, &buf);
    ck_assert_uint_gt(n, 0);
    ck_assert_int_eq(wf_doc_apply(a, buf.data, n), 0);
    wt_assert_text(a, "bc");
    /* no-op edits make no update */
    ck_assert_int_eq(wf_doc_insert(a, 1, "", 0), 0);
    ck_assert_int_eq(wf_doc_delete(a, 1, 0), 0);
    ck_assert_uint_eq(wf_doc_flush(a, &buf), 0);
    wf_buf_free(&buf);
    wf_doc_free(a);
    wf_doc_free(b);
}
END_TEST

/* Several edits between flushes arrive as one update with the same effect. */
START_TEST(test_codec__flush_batches)
{
    wf_doc *a = wf_doc_new(1), *b = wf_doc_new(2);
    wt_type(a, 0, "The quick brown fox");
    wt_del(a, 4, 6);
    wt_type(a, 4, "slow ");
    wt_del(a, 0, 1);
    wt_ins(a, 0, "t");
    wt_update u = wt_flush(a);
    wt_apply(b, &u);
    wt_assert_text(b, "the slow brown fox");
    wt_update_free(&u);
    wf_doc_free(a);
    wf_doc_free(b);
}
END_TEST

/* CRDT.md §5: a keystroke's update stays small. */
START_TEST(test_codec__keystroke_update_small)
{
    wf_doc *a = wf_doc_new(0x1234567890abcdefu), *b = wf_doc_new(0x0fedcba987654321u);
    wt_type(a, 0, "some text typed by a\n");
    wt_sync(a, b);
    wt_type(b, 10, "and b");
    wt_sync(a, b);
    wt_update u = wt_flush(a);
    wt_update_free(&u);
    for (size_t i = 0; i < 20; i++) {
        wt_ins(a, 5 + i, "k");
        u = wt_flush(a);
        ck_assert_msg(u.n <= 40, "keystroke update is %zu bytes", u.n);
        wt_update_free(&u);
    }
    wt_del(a, 3, 1);
    u = wt_flush(a);
    ck_assert_msg(u.n <= 40, "backspace update is %zu bytes", u.n);
    wt_update_free(&u);
    wf_doc_free(a);
    wf_doc_free(b);
}
END_TEST

/* --- malformed input ------------------------------------------------------------------------- */

START_TEST(test_codec__reject_utf8_count_mismatch)
{
    wf_doc *doc = doc_with(1, "base");
    hmsg b;
    h_simple(&b, 7, 3, "a\xc3\xa9"); /* 2 units, says 3 */
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    h_simple(&b, 7, 2, "abc"); /* 3 units, says 2 */
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    h_simple(&b, 7, 5, "\xf0\x9f\x98\x80"); /* one emoji is one unit, not four */
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    h_simple(&b, 7, 0, ""); /* len 0 */
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* one byte per unit claimed, but the two bytes are one unit */
    uint64_t ag = 7;
    h_header(&b, 0, &ag, 1);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_START | OR_END | R_BYTE_UNITS, 0, 0, 2, -1, 0, -1, 0, "\xc3\xa9", 2);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* invalid bytes are units of their own: accepted when counted that way */
    h_simple(&b, 7, 3, "\xff\xc3\x28");
    expect_apply(doc, &b, 0);
    ck_assert_uint_eq(wf_doc_len(doc), 7);
    h_free(&b);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_codec__reject_forward_self_reference)
{
    wf_doc *doc = doc_with(1, "base");
    uint64_t ag[2] = {5, 7};
    hmsg b;
    /* agent 7's run (seq 0, len 2) with origin-left (7, 0): its own first unit */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_EXPLICIT | OR_END, 1, 0, 2, 1, 0, -1, 0, "xy", 2);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* origin-left ahead of the run: (7, 9) */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_EXPLICIT | OR_END, 1, 0, 2, 1, 9, -1, 0, "xy", 2);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* origin-right on its own unit */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_START | OR_EXPLICIT, 1, 0, 2, -1, 0, 1, 1, "xy", 2);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* an own-agent origin-left (seq - 1 - origin) on seq 0: it would be negative */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_EXPLICIT | R_OL_OWN | OR_END, 1, 0, 2, -1, 0, -1, 0, "xy", 2);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_START | OR_OWN, 1, 0, 2, -1, 0, -1, 0, "xy", 2);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* "ol = (a, seq-1)" on seq 0 */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_SELF | OR_END, 1, 0, 2, -1, 0, -1, 0, "xy", 2);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* "origin-right = the next run" on the last run */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_START | OR_NEXT, 1, 0, 2, -1, 0, -1, 0, "xy", 2);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* "origin-left = the previous run" on the first run */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_PREV | OR_END, 1, 0, 2, -1, 0, -1, 0, "xy", 2);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* sanity: the same run with origin-left (5, 1) is fine */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_EXPLICIT | OR_END, 1, 0, 2, 0, 1, -1, 0, "xy", 2);
    expect_apply(doc, &b, 0);
    h_free(&b);
    wt_check(doc);
    ck_assert_uint_eq(wf_doc_len(doc), 6);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_codec__reject_bad_indexes)
{
    wf_doc *doc = doc_with(1, "base");
    uint64_t ag[2] = {5, 7};
    hmsg b;
    /* run agent index out of range */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_START | OR_END, 2, 0, 1, -1, 0, -1, 0, "x", 1);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* origin agent index out of range */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_EXPLICIT | OR_END, 1, 0, 1, 9, 0, -1, 0, "x", 1);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* delete group agent out of range */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 1);
    h_varuint(&b, 2);
    h_varuint(&b, 1);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_varuint(&b, 0);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* "same agent as the previous run" on the first run */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_START | OR_END | R_SAME_AGENT, 0, 0, 1, -1, 0, -1, 0, "x", 1);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* agent table not strictly increasing */
    uint64_t bad[2] = {7, 5};
    h_header(&b, 0, bad, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 0);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* seq range beyond 32 bits */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_START | OR_END, 1, UINT32_MAX, 2, -1, 0, -1, 0, "xy", 2);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* negative seq */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_START | OR_END, 1, -1, 1, -1, 0, -1, 0, "x", 1);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* unknown version, unknown header flags, trailing bytes, a text column too short */
    h_simple(&b, 7, 1, "x");
    b.head.data[0] = 2;
    expect_apply(doc, &b, WF_EDECODE);
    b.head.data[0] = 1;
    b.head.data[1] = 0x80;
    expect_apply(doc, &b, WF_EDECODE);
    b.head.data[1] = 0;
    wf_buf_put_u8(&b.text, 'y');
    expect_apply(doc, &b, WF_EDECODE);
    b.text.len = 0;
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* a "Huffman" text column that is not one */
    h_header(&b, F_HUFF, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_START | OR_END, 1, 0, 3, -1, 0, -1, 0, "xyz", 3);
    expect_apply(doc, &b, WF_EDECODE);
    b.text.len = 0;
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* nbytes larger than 4 bytes per unit */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_START | OR_END, 1, 0, 1, -1, 0, -1, 0, "\xff\xff\xff\xff\xff", 5);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    /* huge counts must not allocate: agents, runs, delete ranges */
    h_header(&b, 0, NULL, 0);
    b.head.len = 2;
    h_varuint(&b, (uint64_t)1 << 40);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, (uint64_t)1 << 40);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 1);
    h_varuint(&b, 0);
    h_varuint(&b, (uint64_t)1 << 40);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    wt_assert_text(doc, "base");
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_codec__reject_equivocation)
{
    wf_doc *doc = doc_with(1, "abc");
    hmsg b;
    h_simple(&b, 5, 3, "xyz"); /* the same IDs (5, 0..2) with other text */
    expect_apply(doc, &b, WF_ECONFLICT);
    h_free(&b);
    h_simple(&b, 5, 3, "abd");
    expect_apply(doc, &b, WF_ECONFLICT);
    h_free(&b);
    h_simple(&b, 5, 3, "abc"); /* the same content again: a duplicate, fine */
    expect_apply(doc, &b, 0);
    h_free(&b);
    h_simple(&b, 5, 4, "abcd"); /* a known prefix plus one new unit: trimmed */
    expect_apply(doc, &b, 0);
    wt_assert_text(doc, "abcd");
    h_free(&b);
    h_simple(&b, 5, 5, "abXde"); /* overlapping, with a changed known unit */
    expect_apply(doc, &b, WF_ECONFLICT);
    h_free(&b);
    wt_assert_text(doc, "abcd");
    wf_doc_free(doc);
}
END_TEST

/* A unit's origins are part of its identity as much as its text: an update that reuses an
 * ID with other origins is refused too, also when the units travel deleted (without text),
 * and also against units that wait in the pending queue. */
START_TEST(test_codec__reject_equivocation_origins)
{
    wf_doc *doc = doc_with(1, "abc"); /* (5, 0..2), START..END */
    uint64_t ag[2] = {5, 7};
    hmsg b;
    h_header(&b, 0, ag, 2); /* (7, 0) "x" after (5, 2) */
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_EXPLICIT | OR_END, 1, 0, 1, 0, 2, -1, 0, "x", 1);
    expect_apply(doc, &b, 0);
    h_free(&b);
    wt_assert_text(doc, "abcx");
    /* (5, 0..2) again with origin-right (7, 0) instead of END */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_START | OR_EXPLICIT, 0, 0, 3, -1, 0, 1, 0, "abc", 3);
    expect_apply(doc, &b, WF_ECONFLICT);
    expect_complete(doc, &b, WF_ECONFLICT);
    h_free(&b);
    /* (7, 0) again after START instead of after (5, 2) */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_START | OR_END, 1, 0, 1, -1, 0, -1, 0, "x", 1);
    expect_apply(doc, &b, WF_ECONFLICT);
    h_free(&b);
    /* (5, 1..2) after START: inside the held run, unit 1 follows (5, 0) */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_START | OR_END, 0, 1, 2, -1, 0, -1, 0, "bc", 2);
    expect_apply(doc, &b, WF_ECONFLICT);
    h_free(&b);
    /* ... but after (5, 0) it is a true duplicate */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_EXPLICIT | R_OL_OWN | OR_END, 0, 1, 2, -1, 0, -1, 0, "bc", 2);
    expect_apply(doc, &b, 0);
    h_free(&b);
    /* (5, 0..2) deleted (no text to compare) with another origin-right: still refused */
    h_header(&b, 0, ag, 2);
    h_varuint(&b, 1); /* delete group: agent 5, (0, 3) */
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_varuint(&b, 0);
    h_varuint(&b, 3);
    h_varuint(&b, 1);
    h_run(&b, OL_START | OR_EXPLICIT, 0, 0, 3, -1, 0, 1, 0, NULL, 0);
    expect_apply(doc, &b, WF_ECONFLICT);
    h_free(&b);
    wt_assert_text(doc, "abcx");
    wf_doc_free(doc);

    /* Pending: (9, 0) "p" after (8, 0), which has not arrived. */
    doc = wf_doc_new(1);
    uint64_t pg[2] = {8, 9};
    h_header(&b, 0, pg, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_EXPLICIT | OR_END, 1, 0, 1, 0, 0, -1, 0, "p", 1);
    expect_apply(doc, &b, 0);
    expect_apply(doc, &b, 0); /* re-sent: waits once */
    h_free(&b);
    ck_assert_uint_eq(wf_doc_pending(doc), 1);
    h_header(&b, 0, pg, 2); /* the same ID, other text */
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_EXPLICIT | OR_END, 1, 0, 1, 0, 0, -1, 0, "q", 1);
    expect_apply(doc, &b, WF_ECONFLICT);
    h_free(&b);
    h_header(&b, 0, pg, 2); /* the same ID and text, after START: no longer waits */
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_START | OR_END, 1, 0, 1, -1, 0, -1, 0, "p", 1);
    expect_apply(doc, &b, WF_ECONFLICT);
    h_free(&b);
    ck_assert_uint_eq(wf_doc_pending(doc), 1);
    h_simple(&b, 8, 1, "z"); /* what it waited for */
    expect_apply(doc, &b, 0);
    h_free(&b);
    ck_assert_uint_eq(wf_doc_pending(doc), 0);
    wt_assert_text(doc, "zp");
    wf_doc_free(doc);
}
END_TEST

/* --- a hand encoder for format version 2 (core/wire2.c), unpacked ---------------------------- */

enum { H2_START, H2_SELF, H2_PREV, H2_RUN, H2_EXPLICIT, H2_OWN };      /* ol kinds */
enum { H2_END, H2_NEXT, H2_SAME, H2_ORRUN, H2_OREXPLICIT };           /* or kinds */
#define H2_SAME_AGENT 0x20
#define H2_DELETED 0x40
#define H2_UNIT 0x80

/* The columns of a v2 message being built, then its header. */
typedef struct h2msg {
    wf_buf col[8]; /* flags, agent, seq, len, ol, or, bytes, text */
    size_t nruns;
} h2msg;

static void h2_init(h2msg *m)
{
    for (int i = 0; i < 8; i++)
        wf_buf_init(&m->col[i]);
    m->nruns = 0;
}

static void h2_free(h2msg *m)
{
    for (int i = 0; i < 8; i++)
        wf_buf_free(&m->col[i]);
}

/* One run: flags (kinds and bits), then the column values the flags call for (agent unless
 * same-agent, the seq delta, len unless one-unit, ol/or values: up to two each, -1 for
 * none), and the text (NULL: deleted). */
static void h2_run(h2msg *m, unsigned olk, unsigned ork, uint8_t bits, long agent, int64_t delta,
                   uint64_t len, long ol0, long ol1, long or0, long or1, const char *text)
{
    wf_buf_put_u8(&m->col[0], (uint8_t)((olk * 5 + ork) | bits));
    if (!(bits & H2_SAME_AGENT))
        wf_buf_put_varuint(&m->col[1], (uint64_t)agent);
    wf_buf_put_varint(&m->col[2], delta);
    if (!(bits & H2_UNIT))
        wf_buf_put_varuint(&m->col[3], len - 1);
    if (ol0 >= 0)
        wf_buf_put_varuint(&m->col[4], (uint64_t)ol0);
    if (ol1 >= 0)
        wf_buf_put_varuint(&m->col[4], (uint64_t)ol1);
    if (or0 >= 0)
        wf_buf_put_varuint(&m->col[5], (uint64_t)or0);
    if (or1 >= 0)
        wf_buf_put_varuint(&m->col[5], (uint64_t)or1);
    if (text && !(bits & H2_UNIT))
        wf_buf_put_varuint(&m->col[6], strlen(text) - len);
    if (text)
        wf_buf_put(&m->col[7], text, strlen(text));
    m->nruns++;
}

/* The message: version 2, flags, agent table, no deletions but the runs' own, the runs. */
static wf_buf h2_bytes(const h2msg *m, uint8_t flags, const uint64_t *agents, size_t n)
{
    wf_buf b;
    wf_buf_init(&b);
    wf_buf_put_u8(&b, 2);
    wf_buf_put_u8(&b, flags);
    wf_buf_put_varuint(&b, n);
    for (size_t i = 0; i < n; i++)
        h_u64le(&b, agents[i]);
    wf_buf_put_varuint(&b, 0); /* no delete set, floors, delete-log entries */
    wf_buf_put_varuint(&b, 0);
    wf_buf_put_varuint(&b, 0);
    wf_buf_put_varuint(&b, m->nruns);
    for (int i = 0; i < 8; i++)
        wf_buf_put(&b, m->col[i].data, m->col[i].len);
    return b;
}

/* Applies the v2 message to doc (plain or complete), expecting rc; nothing may change on
 * an error. */
static void h2_expect(wf_doc *doc, const h2msg *m, uint8_t flags, const uint64_t *agents,
                      size_t n, int want, bool complete, int line)
{
    wt_state before;
    wt_state_take(&before, doc);
    wf_buf b = h2_bytes(m, flags, agents, n);
    int rc = complete ? wf_doc_apply_complete(doc, b.data, b.len)
                      : wf_doc_apply(doc, b.data, b.len);
    wf_buf_free(&b);
    if (rc != want)
        _ck_assert_failed(__FILE__, line, "apply", "v2 apply = %d (%s), want %d (%s)", rc,
                          wf_strerror(rc), want, wf_strerror(want));
    if (rc != 0)
        wt__assert_state(doc, &before, __FILE__, line);
    else
        wt__check(doc, __FILE__, line);
    wt_state_free(&before);
}

START_TEST(test_codec__v2_hand_encoded)
{
    uint64_t ag[2] = {5, 7};
    wf_doc *doc = wf_doc_new(1);
    h2msg m;
    /* valid: (5, 0..2) "abc", then (7, 0) "x" after it, as a state */
    h2_init(&m);
    h2_run(&m, H2_START, H2_END, 0, 0, 0, 3, -1, -1, -1, -1, "abc");
    h2_run(&m, H2_PREV, H2_END, H2_UNIT, 1, 0, 1, -1, -1, -1, -1, "x");
    h2_expect(doc, &m, 1, ag, 2, 0, false, __LINE__);
    wt_assert_text(doc, "abcx");
    wf_doc_free(doc);
    doc = wf_doc_new(1);
    /* the same, complete; and a header flag nobody defined */
    h2_expect(doc, &m, 0, ag, 2, 0, true, __LINE__);
    h2_expect(doc, &m, 0x04, ag, 2, WF_EDECODE, false, __LINE__);
    h2_free(&m);
    /* a flags byte past the kinds; same-agent on the first run; or NEXT on the last run */
    h2_init(&m);
    h2_run(&m, 6, 0, 0, 0, 0, 1, -1, -1, -1, -1, "q");
    h2_expect(doc, &m, 0, ag, 2, WF_EDECODE, false, __LINE__);
    h2_free(&m);
    h2_init(&m);
    h2_run(&m, H2_START, H2_END, H2_SAME_AGENT, 0, 0, 1, -1, -1, -1, -1, "q");
    h2_expect(doc, &m, 0, ag, 2, WF_EDECODE, false, __LINE__);
    h2_free(&m);
    h2_init(&m);
    h2_run(&m, H2_START, H2_NEXT, 0, 0, 3, 1, -1, -1, -1, -1, "q");
    h2_expect(doc, &m, 0, ag, 2, WF_EDECODE, false, __LINE__);
    h2_free(&m);
    /* ol: the last unit of run i - 2 - x with x too large; own unit not yet made */
    h2_init(&m);
    h2_run(&m, H2_START, H2_END, 0, 1, 1, 1, -1, -1, -1, -1, "p");
    h2_run(&m, H2_RUN, H2_END, 0, 1, 0, 1, 0, -1, -1, -1, "q");
    h2_expect(doc, &m, 0, ag, 2, WF_EDECODE, false, __LINE__);
    h2_free(&m);
    h2_init(&m);
    h2_run(&m, H2_OWN, H2_END, 0, 1, 1, 1, 1, -1, -1, -1, "q");
    h2_expect(doc, &m, 0, ag, 2, WF_EDECODE, false, __LINE__);
    h2_free(&m);
    /* text: one byte short; an ASCII run claiming a byte more than its units */
    h2_init(&m);
    h2_run(&m, H2_START, H2_END, 0, 1, 3, 2, -1, -1, -1, -1, "ab");
    m.col[7].len--;
    h2_expect(doc, &m, 0, ag, 2, WF_EDECODE, false, __LINE__);
    h2_free(&m);
    h2_init(&m);
    h2_run(&m, H2_START, H2_END, 0, 1, 3, 2, -1, -1, -1, -1, "abc");
    h2_expect(doc, &m, 0, ag, 2, WF_EDECODE, false, __LINE__);
    h2_free(&m);
    /* a "state" whose runs overlap: not loaded as one, and malformed as an update */
    wf_doc *empty = wf_doc_new(1);
    h2_init(&m);
    h2_run(&m, H2_START, H2_END, 0, 0, 0, 2, -1, -1, -1, -1, "ab");
    h2_run(&m, H2_START, H2_END, 0, 0, -1, 2, -1, -1, -1, -1, "bc");
    h2_expect(empty, &m, 1, ag, 2, WF_EDECODE, false, __LINE__);
    h2_free(&m);
    /* a "state" with a gap: it waits (plain apply), or is refused (complete) */
    h2_init(&m);
    h2_run(&m, H2_START, H2_END, 0, 0, 1, 2, -1, -1, -1, -1, "bc");
    h2_expect(empty, &m, 1, ag, 2, WF_EDEPEND, true, __LINE__);
    h2_expect(empty, &m, 1, ag, 2, 0, false, __LINE__);
    ck_assert_uint_eq(wf_doc_pending(empty), 1);
    h2_free(&m);
    wf_doc_free(empty);
    wt_assert_text(doc, "abcx");
    wf_doc_free(doc);
}
END_TEST

/* Every one-byte change of a packed state is refused with nothing changed, or gives a sound
 * document; most are refused (a block must unpack to exactly the length it states and use
 * every bit of its codes). */
START_TEST(test_codec__v2_packed_mutations)
{
    wf_doc *a = wf_doc_new(3);
    char text[3000];
    for (size_t i = 0; i < sizeof text - 1; i++)
        text[i] = "the text of a long paste\n"[i % 25];
    text[sizeof text - 1] = '\0';
    wt_ins(a, 0, text);
    wt_update full = wt_diff(a, NULL);
    ck_assert(full.data[0] == 2 && (full.data[1] & 2)); /* version 2, packed */
    wf_doc *b = wf_doc_new(4);
    int refused = 0;
    for (size_t at = 2; at < full.n; at++) {
        uint8_t save = full.data[at];
        full.data[at] = (uint8_t)(save + 1);
        wt_state s;
        wt_state_take(&s, b);
        int rc = wf_doc_apply(b, full.data, full.n);
        if (rc != 0) {
            wt_assert_state(b, &s);
            refused++;
        } else {
            wt_check(b);
            wf_doc_free(b);
            b = wf_doc_new(4);
        }
        wt_state_free(&s);
        full.data[at] = save;
    }
    ck_assert_uint_gt(refused, full.n / 2);
    wt_apply(b, &full);
    wt_assert_text(b, text);
    wt_update_free(&full);
    wf_doc_free(a);
    wf_doc_free(b);
}
END_TEST

#define NSAMPLES 4
#define NSAMPLES 4

/* Updates the truncation and flip tests mutate: a flush and two diffs of a busy document,
 * and a paste large enough for a compressed text column. */
static void sample_updates(wt_update *out, wf_doc **target)
{
    wf_doc *a = wf_doc_new(11), *b = wf_doc_new(22);
    wt_type(a, 0, "abc\xc3\xa9\n");
    wt_ins(b, 0, "\xf0\x9f\x98\x80zz\xff");
    wt_sync(a, b);
    wt_update u = wt_flush(a);
    wt_update_free(&u);
    wt_ins(a, 2, "MID");
    wt_del(a, 0, 1);
    wt_del(a, 5, 2);
    out[0] = wt_flush(a);
    out[1] = wt_diff(a, NULL);
    wf_vv vb;
    wf_vv_init(&vb);
    wf_doc_vv(b, &vb);
    out[2] = wt_diff(a, &vb);
    wf_vv_free(&vb);
    char paste[2001];
    for (size_t i = 0; i < 2000; i++)
        paste[i] = "the quick brown fox jumps over the lazy dog\n"[i % 44];
    paste[2000] = '\0';
    wt_ins(a, 3, paste);
    out[3] = wt_flush(a);
    *target = b;
    wf_doc_free(a);
}

START_TEST(test_codec__truncation_rejected)
{
    wt_update u[NSAMPLES];
    wf_doc *b;
    sample_updates(u, &b);
    wf_doc *fresh = wf_doc_new(99);
    for (int k = 0; k < NSAMPLES; k++) {
        for (size_t cut = 0; cut < u[k].n; cut++) {
            wf_doc *targets[2] = {b, fresh};
            for (int t = 0; t < 2; t++) {
                wt_state s;
                wt_state_take(&s, targets[t]);
                int rc = wf_doc_apply(targets[t], u[k].data, cut);
                ck_assert_msg(rc < 0, "update %d cut at %zu of %zu bytes was accepted", k, cut,
                              u[k].n);
                wt_assert_state(targets[t], &s);
                wt_state_free(&s);
            }
        }
        wt_update_free(&u[k]);
    }
    wf_doc_free(b);
    wf_doc_free(fresh);
}
END_TEST

START_TEST(test_codec__random_flips)
{
    wt_rng r;
    wt_rng_init(&r, wt_seed("codec flips"));
    wt_update u[NSAMPLES];
    wf_doc *b;
    sample_updates(u, &b);
    long iters = wt_scaled(3000);
    long accepted = 0;
    uint8_t *m = malloc(4096);
    for (long it = 0; it < iters; it++) {
        const wt_update *src = &u[wt_rng_below(&r, NSAMPLES)];
        ck_assert_uint_le(src->n, 4096);
        memcpy(m, src->data, src->n);
        int flips = 1 + (int)wt_rng_below(&r, 3);
        for (int f = 0; f < flips; f++) {
            size_t at = wt_rng_below(&r, (uint32_t)src->n);
            m[at] ^= (uint8_t)(wt_rng_chance(&r, 1, 2) ? 1u << wt_rng_below(&r, 8)
                                                       : 1 + wt_rng_below(&r, 255));
        }
        wf_doc *target = wt_rng_chance(&r, 1, 2) ? b : wf_doc_new(99);
        wt_state s;
        wt_state_take(&s, target);
        int rc = wf_doc_apply(target, m, src->n);
        if (rc == 0) {
            accepted++;
            wt_check(target);
        } else {
            ck_assert_msg(rc == WF_EDECODE || rc == WF_ECONFLICT || rc == WF_ETOOBIG,
                          "unexpected error %d (%s)", rc, wf_strerror(rc));
            wt_assert_state(target, &s);
        }
        wt_state_free(&s);
        if (target != b) {
            wf_doc_free(target);
        } else if (rc == 0) {
            /* b changed legitimately: start again from a clean b */
            wf_doc_free(b);
            for (int k = 0; k < NSAMPLES; k++)
                wt_update_free(&u[k]);
            sample_updates(u, &b);
        }
    }
    fprintf(stderr, "codec flips: %ld of %ld mutated updates were valid\n", accepted, iters);
    free(m);
    for (int k = 0; k < NSAMPLES; k++)
        wt_update_free(&u[k]);
    wf_doc_free(b);
}
END_TEST

/* Old journals hold updates of format version 1: a state, then the updates integrated after
 * it. They must still load, into the same text. The fixture was written by the core of
 * before version 2 (tests/data/regress/v1-journal-updates.*: u32 LE length + update, the
 * first one a state with a Huffman-coded text column; and the host's final text). */
START_TEST(test_codec__v1_journal_updates_still_read)
{
    char *data, *want;
    size_t n, wn;
    ck_assert_int_eq(wt_read_file(WT_DATA("regress/v1-journal-updates.bin"), &data, &n), 0);
    ck_assert_int_eq(wt_read_file(WT_DATA("regress/v1-journal-updates.txt"), &want, &wn), 0);
    wf_doc *doc = wf_doc_new(0x3333333333333333ULL);
    size_t at = 0, records = 0;
    while (at + 4 <= n) {
        const uint8_t *p = (const uint8_t *)data + at;
        size_t len = (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
        ck_assert_uint_le(at + 4 + len, n);
        ck_assert_uint_eq(p[4], 1); /* version 1 */
        ck_assert_int_eq(wf_doc_apply(doc, p + 4, len), 0);
        wt_check(doc);
        at += 4 + len;
        records++;
    }
    ck_assert_uint_eq(at, n);
    ck_assert_uint_eq(records, 8);
    wt_assert_text_n(doc, want, wn);
    ck_assert_uint_eq(wf_doc_pending(doc), 0);
    /* ... and what it then writes is version 2, which a fresh replica loads as it is */
    wt_update state = wt_diff(doc, NULL);
    ck_assert_uint_eq(state.data[0], 2);
    wf_doc *copy = wf_doc_new(4);
    wt_apply(copy, &state);
    wt_assert_text_n(copy, want, wn);
    wt_update_free(&state);
    wf_doc_free(copy);
    wf_doc_free(doc);
    free(data);
    free(want);
}
END_TEST

/* A hostile update may give a run an origin-right that lies before its origin-left. The
 * document integrates it deterministically; its full state (which then lists those origins
 * out of order) must load into a fresh replica all the same, with the same text. Found by
 * fuzz_update after 10 minutes; the input is kept in tests/data/regress/. */
START_TEST(test_codec__state_with_out_of_order_origins_reloads)
{
    char *data;
    size_t n;
    ck_assert_int_eq(wt_read_file(WT_DATA("regress/update-out-of-order-origins.bin"), &data, &n),
                     0);
    wf_doc *a = wf_doc_new(1), *b = wf_doc_new(2);
    wt_ins(a, 0, "hello world\n");
    wt_ins(b, 0, "\xc3\xa9t\xc3\xa9 \xff");
    wt_update u = wt_flush(b);
    wt_apply(a, &u);
    wt_update_free(&u);
    wt_del(a, 2, 3);
    ck_assert_int_eq(wf_doc_apply(a, (const uint8_t *)data, n), 0);
    wt_check(a);
    wt_update state = wt_diff(a, NULL);
    wf_doc *c = wf_doc_new(3);
    wt_apply(c, &state);
    wt_check(c);
    size_t la, lc;
    char *ta = wt_text_n(a, &la), *tc = wt_text_n(c, &lc);
    ck_assert(la == lc && memcmp(ta, tc, la) == 0);
    free(ta);
    free(tc);
    free(data);
    wt_update_free(&state);
    wf_doc_free(a);
    wf_doc_free(b);
    wf_doc_free(c);
}
END_TEST

/* --- complete updates (what a host takes from its guests) --------------------------------- */

START_TEST(test_codec__complete_refuses_what_would_wait)
{
    wf_doc *doc = doc_with(1, "base"); /* agent 5, seqs 0..3 */
    uint64_t ag[3] = {5, 7, 9};
    hmsg b;
    /* a run by 7 after (9, 3): nobody sent agent 9's text */
    h_header(&b, 0, ag, 3);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_EXPLICIT | OR_END, 1, 0, 2, 2, 3, -1, 0, "xy", 2);
    expect_complete(doc, &b, WF_EDEPEND);
    expect_apply(doc, &b, 0); /* the plain apply keeps it for later */
    ck_assert_uint_eq(wf_doc_pending(doc), 1);
    h_free(&b);
    wf_doc_free(doc);

    doc = doc_with(1, "base");
    /* a run by 5 that starts at seq 6: units 4 and 5 never came */
    h_header(&b, 0, ag, 3);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_EXPLICIT | OR_END, 0, 6, 1, 0, 3, -1, 0, "z", 1);
    expect_complete(doc, &b, WF_EDEPEND);
    h_free(&b);
    /* an origin-right nobody sent: (9, 0) */
    h_header(&b, 0, ag, 3);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_run(&b, OL_START | OR_EXPLICIT, 1, 0, 1, -1, 0, 2, 0, "z", 1);
    expect_complete(doc, &b, WF_EDEPEND);
    h_free(&b);
    /* deleting (5, 2..5): units 4 and 5 do not exist */
    h_header(&b, 0, ag, 3);
    h_varuint(&b, 1); /* one delete group */
    h_varuint(&b, 0); /* agent 5 */
    h_varuint(&b, 1); /* one range */
    h_varuint(&b, 2); /* gap */
    h_varuint(&b, 4); /* len */
    h_varuint(&b, 0); /* no runs */
    expect_complete(doc, &b, WF_EDEPEND);
    h_free(&b);
    /* two runs waiting for each other: (7, 0) after (9, 0), (9, 0) after (7, 0) */
    h_header(&b, 0, ag, 3);
    h_varuint(&b, 0);
    h_varuint(&b, 2);
    h_run(&b, OL_EXPLICIT | OR_END, 1, 0, 1, 2, 0, -1, 0, "p", 1);
    h_run(&b, OL_EXPLICIT | OR_END, 2, 0, 1, 1, 0, -1, 0, "q", 1);
    expect_complete(doc, &b, WF_EDEPEND);
    h_free(&b);
    /* two runs of one agent that overlap (no encoder writes that): malformed, for both */
    h_header(&b, 0, ag, 3);
    h_varuint(&b, 0);
    h_varuint(&b, 2);
    h_run(&b, OL_START | OR_END, 1, 0, 2, -1, 0, -1, 0, "pq", 2);
    h_run(&b, OL_START | OR_END, 1, -1, 2, -1, 0, -1, 0, "qr", 2);
    expect_complete(doc, &b, WF_EDECODE);
    expect_apply(doc, &b, WF_EDECODE);
    h_free(&b);
    ck_assert_uint_eq(wf_doc_pending(doc), 0);
    wt_assert_text(doc, "base");

    /* Complete ones go in, whatever the order of their runs: (7, 0) after (9, 0..1), which
     * comes later in the message, after (5, 3); deleting (9, 1) and (5, 0). */
    h_header(&b, 0, ag, 3);
    h_varuint(&b, 2);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_varuint(&b, 0);
    h_varuint(&b, 1);
    h_varuint(&b, 2);
    h_varuint(&b, 1);
    h_varuint(&b, 1);
    h_varuint(&b, 1);
    h_varuint(&b, 2);
    h_run(&b, OL_EXPLICIT | OR_END, 1, 0, 1, 2, 0, -1, 0, "p", 1);
    h_run(&b, OL_EXPLICIT | OR_END, 2, 0, 2, 0, 3, -1, 0, "q", 1); /* r travels deleted */
    expect_complete(doc, &b, 0);
    ck_assert_uint_eq(wf_doc_pending(doc), 0);
    wt_assert_text(doc, "aseqp");
    h_free(&b);
    wf_doc_free(doc);
}
END_TEST

/* Every update an honest replica sends is complete at a host that has what it was sent:
 * random edits by two guests, relayed through a host that takes them complete-only. */
START_TEST(test_codec__complete_accepts_honest_updates)
{
    uint64_t seed = wt_seed("complete");
    wt_rng r;
    wt_rng_init(&r, seed);
    wf_doc *host = wf_doc_new(1), *g[2] = {wf_doc_new(2), wf_doc_new(3)};
    wt_ins(host, 0, "shared text\n");
    wt_update base = wt_diff(host, NULL);
    for (int i = 0; i < 2; i++) {
        wf_doc *fresh = g[i];
        ck_assert_int_eq(wf_doc_apply_complete(fresh, base.data, base.n), 0);
    }
    wt_update_free(&base);
    wt_update f = wt_flush(host);
    wt_update_free(&f);
    /* Each guest's flushes go to the host, which catches the other up only now and then: a
     * guest often edits an old copy, whose units the host all has. */
    for (int step = 0; step < 400; step++) {
        int i = (int)wt_rng_below(&r, 2);
        size_t len = wf_doc_len(g[i]);
        if (len > 0 && wt_rng_chance(&r, 1, 3)) {
            size_t at = wt_rng_below(&r, (uint32_t)len);
            size_t n = 1 + wt_rng_below(&r, (uint32_t)(len - at < 5 ? len - at : 5));
            wt_del(g[i], at, n);
        } else {
            const char *text = wt_rng_chance(&r, 1, 2) ? "ab" : "\xc3\xa9";
            wt_ins(g[i], wt_rng_below(&r, (uint32_t)len + 1), text);
        }
        if (wt_rng_chance(&r, 1, 2)) {
            wt_update u = wt_flush(g[i]);
            if (u.n) {
                int rc = wf_doc_apply_complete(host, u.data, u.n);
                ck_assert_msg(rc == 0, "seed %llu step %d: %s", (unsigned long long)seed, step,
                              wf_strerror(rc));
            }
            wt_update_free(&u);
        }
        if (wt_rng_chance(&r, 1, 8)) { /* the host catches guest 1-i up */
            wf_vv vv;
            wf_vv_init(&vv);
            wf_doc_vv(g[1 - i], &vv);
            wt_update u = wt_diff(host, &vv);
            wt_apply(g[1 - i], &u);
            wt_update_free(&u);
            wf_vv_free(&vv);
        }
    }
    for (int i = 0; i < 2; i++) {
        wt_update u = wt_flush(g[i]);
        if (u.n)
            ck_assert_int_eq(wf_doc_apply_complete(host, u.data, u.n), 0);
        wt_update_free(&u);
    }
    ck_assert_uint_eq(wf_doc_pending(host), 0);
    /* and a whole state into an empty document */
    wt_update all = wt_diff(host, NULL);
    wf_doc *copy = wf_doc_new(4);
    ck_assert_int_eq(wf_doc_apply_complete(copy, all.data, all.n), 0);
    wt_check(copy);
    wt_update_free(&all);
    wf_doc_free(copy);
    wf_doc_free(host);
    wf_doc_free(g[0]);
    wf_doc_free(g[1]);
}
END_TEST

static Suite *codec_suite(void)
{
    Suite *s = suite_create("codec");
    TCase *tc = tcase_create("roundtrip");
    tcase_add_test(tc, test_codec__hand_encoded_valid);
    tcase_add_test(tc, test_codec__state_with_out_of_order_origins_reloads);
    tcase_add_test(tc, test_codec__v1_journal_updates_still_read);
    tcase_add_test(tc, test_codec__full_state_roundtrip);
    tcase_add_test(tc, test_codec__load_then_edit);
    tcase_add_test(tc, test_codec__delta_equals_merge);
    tcase_add_test(tc, test_codec__reconnect_delta_is_small);
    tcase_add_test(tc, test_codec__deletions_in_versions);
    tcase_add_test(tc, test_codec__diff_against_newer_peer);
    tcase_add_test(tc, test_codec__tombstones_travel_without_text);
    tcase_add_test(tc, test_codec__text_after_tombstone_is_no_conflict);
    suite_add_tcase(s, tc);

    tc = tcase_create("flush");
    tcase_add_test(tc, test_codec__flush);
    tcase_add_test(tc, test_codec__flush_batches);
    tcase_add_test(tc, test_codec__keystroke_update_small);
    suite_add_tcase(s, tc);

    tc = tcase_create("malformed");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_codec__reject_utf8_count_mismatch);
    tcase_add_test(tc, test_codec__reject_forward_self_reference);
    tcase_add_test(tc, test_codec__reject_bad_indexes);
    tcase_add_test(tc, test_codec__reject_equivocation);
    tcase_add_test(tc, test_codec__reject_equivocation_origins);
    tcase_add_test(tc, test_codec__v2_hand_encoded);
    tcase_add_test(tc, test_codec__v2_packed_mutations);
    tcase_add_test(tc, test_codec__truncation_rejected);
    tcase_add_test(tc, test_codec__random_flips);
    suite_add_tcase(s, tc);

    tc = tcase_create("complete");
    tcase_add_test(tc, test_codec__complete_refuses_what_would_wait);
    tcase_add_test(tc, test_codec__complete_accepts_honest_updates);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(codec_suite());
}
