/* The document on one replica: local edits against a plain model (CRDT.md T16, T17),
 * position conversions, iteration, IDs, loading, argument errors, and recoverable
 * allocation failure.
 *
 * The model is the visible text as bytes plus the byte offset of every unit. Each insert is
 * segmented on its own (core/doc.h: "the bytes text[0..nbytes) (segmented into units)"), so
 * inserting "\xAC" after "\xE2\x82" leaves three one-byte units, not a euro sign. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/anchor.h"
#include "core/codec.h"
#include "core/doc.h"
#include "core/undo.h"
#include "core/mem.h"
#include "core/undo.h"
#include "tests/common/testutil.h"

/* --- the model ------------------------------------------------------------------------------ */

typedef struct model {
    char *b;     /* visible bytes */
    size_t nb;   /* their count */
    size_t *off; /* off[k] = byte offset of unit k; off[nu] = nb */
    size_t nu;   /* units */
    size_t cap_b, cap_u;
} model;

static void model_init(model *m)
{
    memset(m, 0, sizeof *m);
    m->cap_u = 16;
    m->off = calloc(m->cap_u, sizeof *m->off);
}

static void model_free(model *m)
{
    free(m->b);
    free(m->off);
}

static void model_insert(model *m, size_t pos, const char *s, size_t n)
{
    size_t k = wt_units(s, n), at = m->off[pos];
    if (m->nb + n + 1 > m->cap_b) {
        m->cap_b = (m->nb + n + 1) * 2;
        m->b = realloc(m->b, m->cap_b);
    }
    if (m->nu + k + 1 > m->cap_u) {
        m->cap_u = (m->nu + k + 1) * 2;
        m->off = realloc(m->off, m->cap_u * sizeof *m->off);
    }
    memmove(m->b + at + n, m->b + at, m->nb - at);
    memcpy(m->b + at, s, n);
    m->nb += n;
    memmove(m->off + pos + k, m->off + pos, (m->nu + 1 - pos) * sizeof *m->off);
    for (size_t i = pos + k; i <= m->nu + k; i++)
        m->off[i] += n;
    for (size_t i = 0, o = 0; i < k; i++) {
        m->off[pos + i] = at + o;
        o += wt_unit_len(s + o, n - o);
    }
    m->nu += k;
}

static void model_delete(model *m, size_t pos, size_t n)
{
    size_t b0 = m->off[pos], b1 = m->off[pos + n];
    memmove(m->b + b0, m->b + b1, m->nb - b1);
    m->nb -= b1 - b0;
    memmove(m->off + pos, m->off + pos + n, (m->nu + 1 - pos - n) * sizeof *m->off);
    m->nu -= n;
    for (size_t i = pos; i <= m->nu; i++)
        m->off[i] -= b1 - b0;
}

static size_t model_newlines(const model *m, size_t upto_byte)
{
    size_t k = 0;
    for (size_t i = 0; i < upto_byte; i++)
        k += m->b[i] == '\n';
    return k;
}

/* Compares the sizes and the whole text of doc with m. */
static void assert_model(const wf_doc *doc, const model *m)
{
    size_t n;
    char *t = wt_text_n(doc, &n);
    if (n != m->nb || memcmp(t, m->b, n) != 0) {
        char got[400];
        snprintf(got, sizeof got, "%s", wt_esc(t, n));
        ck_abort_msg("text \"%s\", model \"%s\"", got, wt_esc(m->b, m->nb));
    }
    free(t);
    ck_assert_uint_eq(wf_doc_len(doc), m->nu);
    ck_assert_uint_eq(wf_doc_bytes(doc), m->nb);
    ck_assert_uint_eq(wf_doc_newlines(doc), model_newlines(m, m->nb));
}

#define F_(lit) {lit, sizeof(lit) - 1}

/* Fragments for random inserts: ASCII, multi-byte, 4-byte emoji, invalid and truncated
 * sequences, NUL, CR LF. Lengths are explicit because of the NULs. */
static const struct frag {
    const char *s;
    size_t n;
} frags[] = {
    F_("a"), F_("hello"), F_(" "), F_("\n"), F_("\r\n"), F_("\xc3\xa9"),
    F_("\xf0\x9f\x98\x80"), F_("\xe6\x97\xa5\xe6\x9c\xac"), F_("\xff"), F_("\x80"),
    F_("\xe2\x82"), F_("\xac"), F_("\0"), F_("x\0y"), F_("\xed\xa0\x80"),
    F_("line\nline\n"), F_("\xf0\x9f"), F_("\x98\x80"), F_("\xc0\xaf"), F_("\t"),
};
#undef F_

static const struct frag *random_frag(wt_rng *r)
{
    return &frags[wt_rng_below(r, sizeof frags / sizeof *frags)];
}

/* --- fixed cases ---------------------------------------------------------------------------- */

START_TEST(test_doc__empty)
{
    wf_doc *doc = wf_doc_new(42);
    ck_assert_uint_eq(wf_doc_agent(doc), 42);
    ck_assert_uint_eq(wf_doc_len(doc), 0);
    ck_assert_uint_eq(wf_doc_bytes(doc), 0);
    ck_assert_uint_eq(wf_doc_newlines(doc), 0);
    ck_assert_uint_eq(wf_doc_pending(doc), 0);
    ck_assert_uint_eq(wf_doc_line_start(doc, 0), 0);
    ck_assert_uint_eq(wf_doc_line_start(doc, 1), WF_NOPOS);
    ck_assert_uint_eq(wf_doc_line_of(doc, 0), 0);
    ck_assert_uint_eq(wf_doc_pos_to_byte(doc, 0), 0);
    ck_assert_uint_eq(wf_doc_byte_to_pos(doc, 0), 0);
    ck_assert_uint_gt(wf_doc_memory(doc), 0);
    wf_id unknown = {42, 0};
    ck_assert_uint_eq(wf_doc_pos_of(doc, unknown, NULL), WF_NOPOS);
    wf_vv vv;
    wf_vv_init(&vv);
    wf_doc_vv(doc, &vv);
    ck_assert_uint_eq(vv.n, 0);
    wf_vv_free(&vv);
    size_t n = 99;
    char *t = wf_doc_text(doc, 0, 10, &n);
    ck_assert_str_eq(t, "");
    ck_assert_uint_eq(n, 0);
    free(t);
    wf_iter it;
    const char *p;
    wf_iter_init(&it, doc, 0, 100);
    ck_assert(!wf_iter_next(&it, &p, &n));
    wt_check(doc);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_doc__t16_utf8_accounting)
{
    wf_doc *doc = wf_doc_new(1);
    wt_ins(doc, 0, "\xc3\xa9\xf0\x9f\x98\x80\n"); /* é 😀 \n */
    ck_assert_uint_eq(wf_doc_len(doc), 3);
    ck_assert_uint_eq(wf_doc_bytes(doc), 7);
    ck_assert_uint_eq(wf_doc_newlines(doc), 1);
    ck_assert_uint_eq(wf_doc_pos_to_byte(doc, 1), 2);
    ck_assert_uint_eq(wf_doc_pos_to_byte(doc, 2), 6);
    ck_assert_uint_eq(wf_doc_pos_to_byte(doc, 3), 7);
    for (uint64_t b = 2; b < 6; b++) /* every byte of the emoji is in unit 1 */
        ck_assert_uint_eq(wf_doc_byte_to_pos(doc, b), 1);
    ck_assert_uint_eq(wf_doc_byte_to_pos(doc, 7), 3);
    ck_assert_uint_eq(wf_doc_line_start(doc, 1), 3);
    ck_assert_uint_eq(wf_doc_line_of(doc, 2), 0);
    ck_assert_uint_eq(wf_doc_line_of(doc, 3), 1);
    wt_del(doc, 1, 1); /* the emoji */
    ck_assert_uint_eq(wf_doc_len(doc), 2);
    ck_assert_uint_eq(wf_doc_bytes(doc), 3);
    wt_assert_text(doc, "\xc3\xa9\n");
    wt_del(doc, 1, 1);
    ck_assert_uint_eq(wf_doc_newlines(doc), 0);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_doc__invalid_bytes_are_units)
{
    wf_doc *doc = wf_doc_new(1);
    wt_ins(doc, 0, "\xe2\x82");
    wt_ins(doc, 2, "\xac"); /* stays three units: never re-segmented */
    ck_assert_uint_eq(wf_doc_len(doc), 3);
    ck_assert_uint_eq(wf_doc_bytes(doc), 3);
    wt_del(doc, 1, 1);
    wt_assert_text(doc, "\xe2\xac");
    ck_assert_uint_eq(wf_doc_len(doc), 2);
    static const char nul[] = "a\0b";
    ck_assert_int_eq(wf_doc_insert(doc, 1, nul, 3), 0);
    wt_check(doc);
    ck_assert_uint_eq(wf_doc_len(doc), 5);
    size_t n;
    char *t = wt_text_n(doc, &n);
    ck_assert_uint_eq(n, 5);
    ck_assert(memcmp(t, "\xe2" "a\0b\xac", 5) == 0);
    free(t);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_doc__einval)
{
    wf_doc *doc = wf_doc_new(1);
    wt_ins(doc, 0, "abc");
    wt_state s;
    wt_state_take(&s, doc);
    ck_assert_int_eq(wf_doc_insert(doc, 4, "x", 1), WF_EINVAL);
    ck_assert_int_eq(wf_doc_insert(doc, SIZE_MAX, "x", 1), WF_EINVAL);
    ck_assert_int_eq(wf_doc_delete(doc, 0, 4), WF_EINVAL);
    ck_assert_int_eq(wf_doc_delete(doc, 3, 1), WF_EINVAL);
    ck_assert_int_eq(wf_doc_delete(doc, 4, 0), WF_EINVAL);
    ck_assert_int_eq(wf_doc_delete(doc, 1, SIZE_MAX), WF_EINVAL); /* pos + n wraps */
    ck_assert_int_eq(wf_doc_delete(doc, SIZE_MAX, 2), WF_EINVAL);
    wt_assert_state(doc, &s);
    wf_buf b;
    wf_buf_init(&b);
    ck_assert_uint_gt(wf_doc_flush(doc, &b), 0); /* only the valid insert */
    ck_assert_uint_eq(wf_doc_flush(doc, &b) , 0);
    wf_buf_free(&b);
    /* the edges are fine */
    ck_assert_int_eq(wf_doc_insert(doc, 3, "d", 1), 0);
    ck_assert_int_eq(wf_doc_delete(doc, 4, 0), 0);
    ck_assert_int_eq(wf_doc_delete(doc, 0, 4), 0);
    wt_assert_text(doc, "");
    wt_state_free(&s);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_doc__ids)
{
    wf_doc *doc = wf_doc_new(7);
    wt_ins(doc, 0, "abc");
    wt_ins(doc, 1, "XY"); /* aXYbc */
    wf_id id = wf_doc_id_at(doc, 0);
    ck_assert_uint_eq(id.agent, 7);
    ck_assert_uint_eq(id.seq, 0);
    id = wf_doc_id_at(doc, 2);
    ck_assert_uint_eq(id.seq, 4); /* Y */
    id = wf_doc_id_at(doc, 3);
    ck_assert_uint_eq(id.seq, 1); /* b */
    bool vis = false;
    ck_assert_uint_eq(wf_doc_pos_of(doc, id, &vis), 3);
    ck_assert(vis);
    wt_del(doc, 1, 3); /* a c */
    ck_assert_uint_eq(wf_doc_pos_of(doc, id, &vis), 1); /* deleted: visible units before */
    ck_assert(!vis);
    wf_id x = {7, 3};
    ck_assert_uint_eq(wf_doc_pos_of(doc, x, &vis), 1);
    ck_assert(!vis);
    wf_id c = {7, 2};
    ck_assert_uint_eq(wf_doc_pos_of(doc, c, &vis), 1);
    ck_assert(vis);
    wf_id unknown = {7, 5}, other = {8, 0};
    ck_assert_uint_eq(wf_doc_pos_of(doc, unknown, NULL), WF_NOPOS);
    ck_assert_uint_eq(wf_doc_pos_of(doc, other, NULL), WF_NOPOS);
    wf_vv vv;
    wf_vv_init(&vv);
    wf_doc_vv(doc, &vv);
    ck_assert_uint_eq(wf_vv_get(&vv, 7), 5); /* deletes take no seqs */
    ck_assert_uint_eq(vv.n, 1);
    wf_vv_free(&vv);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_doc__lines)
{
    wf_doc *doc = wf_doc_new(1);
    wt_ins(doc, 0, "one\ntwo\r\n\nfour\xc3\xa9\nlast");
    /* units: o n e \n t w o \r \n \n f o u r é \n l a s t */
    ck_assert_uint_eq(wf_doc_newlines(doc), 4);
    static const size_t starts[] = {0, 4, 9, 10, 16};
    for (size_t k = 0; k < 5; k++) {
        ck_assert_uint_eq(wf_doc_line_start(doc, k), starts[k]);
        ck_assert_uint_eq(wf_doc_line_of(doc, starts[k]), k);
        if (starts[k] > 0)
            ck_assert_uint_eq(wf_doc_line_of(doc, starts[k] - 1), k - 1);
    }
    ck_assert_uint_eq(wf_doc_line_start(doc, 5), WF_NOPOS);
    ck_assert_uint_eq(wf_doc_line_of(doc, wf_doc_len(doc)), 4);
    /* a trailing newline makes an empty last line */
    wt_ins(doc, wf_doc_len(doc), "\n");
    ck_assert_uint_eq(wf_doc_line_start(doc, 5), wf_doc_len(doc));
    ck_assert_uint_eq(wf_doc_line_of(doc, wf_doc_len(doc)), 5);
    wf_doc_free(doc);
}
END_TEST

/* --- loading ---------------------------------------------------------------------------------- */

static wf_doc *load_bytes(uint64_t agent, const char *s, size_t n)
{
    wf_doc *doc = wf_doc_new(agent);
    char *buf = malloc(n ? n : 1);
    memcpy(buf, s, n);
    ck_assert_int_eq(wf_doc_load(doc, buf, n), 0);
    wt_check(doc);
    return doc;
}

START_TEST(test_doc__load_roundtrip)
{
#define FILE_(s) {s, sizeof(s) - 1}
    static const struct frag files[] = {
        FILE_("dos\r\nline\r\n"),
        FILE_("no final newline"),
        FILE_("bad \xff\xfe utf8 \xc3 \xe2\x82 \xed\xa0\x80 \xf4\x90\x80\x80\n"),
        FILE_("nul\0in\0the\0middle\0"),
        FILE_("\0"),
        FILE_("\n"),
        FILE_("mixed \xf0\x9f\x98\x80\r\n\xc3\xa9\xe6\x97\xa5\x80"),
    };
#undef FILE_
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        wf_doc *doc = load_bytes(1, files[i].s, files[i].n);
        size_t n, nl = 0;
        char *t = wt_text_n(doc, &n);
        ck_assert_uint_eq(n, files[i].n);
        ck_assert_msg(memcmp(t, files[i].s, n) == 0, "file %zu changed on load", i);
        free(t);
        ck_assert_uint_eq(wf_doc_runs(doc), 1);
        ck_assert_uint_eq(wf_doc_len(doc), wt_units(files[i].s, files[i].n));
        for (size_t k = 0; k < files[i].n; k++)
            nl += files[i].s[k] == '\n';
        ck_assert_uint_eq(wf_doc_newlines(doc), nl);
        /* and it travels byte for byte */
        wf_doc *copy = wf_doc_new(2);
        wt_update u = wt_diff(doc, NULL);
        wt_apply(copy, &u);
        t = wt_text_n(copy, &n);
        ck_assert(n == files[i].n && memcmp(t, files[i].s, n) == 0);
        free(t);
        wt_update_free(&u);
        wf_doc_free(copy);
        wf_doc_free(doc);
    }
}
END_TEST

START_TEST(test_doc__load_empty_and_twice)
{
    wf_doc *doc = wf_doc_new(1);
    ck_assert_int_eq(wf_doc_load(doc, malloc(1), 0), 0);
    wt_check(doc);
    ck_assert_uint_eq(wf_doc_len(doc), 0);
    wf_doc_free(doc);
    doc = load_bytes(1, "abc", 3);
    char *again = malloc(3);
    memcpy(again, "xyz", 3);
    ck_assert_int_eq(wf_doc_load(doc, again, 3), WF_EINVAL); /* takes ownership anyway */
    wt_assert_text(doc, "abc");
    wf_doc_free(doc);
    doc = wf_doc_new(1);
    wt_ins(doc, 0, "edited");
    again = malloc(3);
    memcpy(again, "xyz", 3);
    ck_assert_int_eq(wf_doc_load(doc, again, 3), WF_EINVAL);
    wt_assert_text(doc, "edited");
    wf_doc_free(doc);
    /* a doc that received remote content is not new either */
    wf_doc *src = load_bytes(5, "remote", 6), *dst = wf_doc_new(6);
    wt_update u = wt_diff(src, NULL);
    wt_apply(dst, &u);
    again = malloc(3);
    memcpy(again, "xyz", 3);
    ck_assert_int_eq(wf_doc_load(dst, again, 3), WF_EINVAL);
    wt_assert_text(dst, "remote");
    wt_update_free(&u);
    wf_doc_free(src);
    wf_doc_free(dst);
}
END_TEST

START_TEST(test_doc__load_large_then_edit)
{
    size_t n = 6u << 20;
    char *buf = malloc(n), *copy = malloc(n);
    wt_rng r;
    wt_rng_init(&r, wt_seed("doc load large"));
    size_t nl = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t x = wt_rng_below(&r, 100);
        buf[i] = x < 3 ? '\n' : x < 5 ? (char)0xc3 : x < 7 ? (char)0xa9 : (char)('a' + x % 26);
        nl += buf[i] == '\n';
    }
    memcpy(copy, buf, n);
    wf_doc *doc = wf_doc_new(1);
    ck_assert_int_eq(wf_doc_load(doc, buf, n), 0);
    wt_check(doc);
    ck_assert_uint_eq(wf_doc_runs(doc), 1);
    ck_assert_uint_eq(wf_doc_bytes(doc), n);
    ck_assert_uint_eq(wf_doc_newlines(doc), nl);
    ck_assert_uint_eq(wf_doc_len(doc), wt_units(copy, n));
    size_t tn;
    char *t = wt_text_n(doc, &tn);
    ck_assert(tn == n && memcmp(t, copy, n) == 0);
    free(t);
    /* conversions deep inside the one big run */
    size_t len = wf_doc_len(doc);
    for (int k = 0; k < 200; k++) {
        size_t pos = wt_rng_below(&r, (uint32_t)len);
        uint64_t b = wf_doc_pos_to_byte(doc, pos), b1 = wf_doc_pos_to_byte(doc, pos + 1);
        ck_assert_uint_eq(b1 - b, wt_unit_len(copy + b, n - b));
        ck_assert_uint_eq(wf_doc_byte_to_pos(doc, b), pos);
        ck_assert_uint_eq(wf_doc_byte_to_pos(doc, b1 - 1), pos);
    }
    for (int k = 0; k < 50; k++) {
        size_t line = wt_rng_below(&r, (uint32_t)nl + 1);
        size_t start = wf_doc_line_start(doc, line);
        ck_assert_uint_eq(wf_doc_line_of(doc, start), line);
        uint64_t b = wf_doc_pos_to_byte(doc, start);
        ck_assert(b == 0 || copy[b - 1] == '\n');
    }
    /* edits in the middle split it */
    wt_ins(doc, len / 2, "MIDDLE");
    wt_del(doc, len / 3, 1000);
    ck_assert_uint_eq(wf_doc_len(doc), len + 6 - 1000);
    wt_check(doc);
    free(copy);
    wf_doc_free(doc);
}
END_TEST

/* --- single-replica fuzz against the model (T17, T16) ----------------------------------------- */

/* Checks conversions, IDs, iteration and sub-ranges at random places. */
static void probe(wt_rng *r, const wf_doc *doc, const model *m)
{
    for (int k = 0; k < 4; k++) {
        size_t pos = wt_rng_below(r, (uint32_t)m->nu + 1);
        ck_assert_uint_eq(wf_doc_pos_to_byte(doc, pos), m->off[pos]);
        ck_assert_uint_eq(wf_doc_line_of(doc, pos), model_newlines(m, m->off[pos]));
        uint64_t b = wt_rng_below(r, (uint32_t)m->nb + 1);
        size_t want = 0;
        while (want < m->nu && m->off[want + 1] <= b)
            want++;
        ck_assert_uint_eq(wf_doc_byte_to_pos(doc, b), want);
        if (pos < m->nu) {
            bool vis = false;
            wf_id id = wf_doc_id_at(doc, pos);
            ck_assert_uint_eq(wf_doc_pos_of(doc, id, &vis), pos);
            ck_assert(vis);
        }
        /* a sub-range as text and as iterator chunks */
        size_t count = wt_rng_below(r, (uint32_t)(m->nu - pos) + 3);
        size_t end = pos + count > m->nu ? m->nu : pos + count;
        size_t b0 = m->off[pos], b1 = m->off[end], n = 0;
        char *t = wf_doc_text(doc, pos, count, &n);
        ck_assert_uint_eq(n, b1 - b0);
        ck_assert(memcmp(t, m->b + b0, n) == 0);
        ck_assert(t[n] == '\0');
        free(t);
        wf_iter it;
        const char *p;
        size_t got = 0, chunk;
        wf_iter_init(&it, doc, pos, count);
        while (wf_iter_next(&it, &p, &chunk)) {
            ck_assert_uint_gt(chunk, 0);
            ck_assert_uint_le(got + chunk, b1 - b0);
            ck_assert(memcmp(p, m->b + b0 + got, chunk) == 0);
            got += chunk;
        }
        ck_assert_uint_eq(got, b1 - b0);
    }
    size_t lines = model_newlines(m, m->nb);
    size_t line = wt_rng_below(r, (uint32_t)lines + 2);
    size_t start = wf_doc_line_start(doc, line);
    if (line > lines) {
        ck_assert_uint_eq(start, WF_NOPOS);
    } else {
        size_t k = 0, want = 0;
        while (k < line) {
            if (m->b[m->off[want]] == '\n')
                k++;
            want++;
        }
        ck_assert_uint_eq(start, want);
    }
}

static void fuzz_single(uint64_t seed, long steps, bool probes)
{
    wt_rng r;
    wt_rng_init(&r, seed);
    wf_doc *doc = wf_doc_new(1);
    model m;
    model_init(&m);
    for (long step = 0; step < steps; step++) {
        uint32_t what = wt_rng_below(&r, 10);
        if (what < 6 || m.nu == 0) {
            size_t pos = wt_rng_below(&r, (uint32_t)m.nu + 1);
            const struct frag *f = random_frag(&r);
            int rep = wt_rng_chance(&r, 1, 8) ? 1 + (int)wt_rng_below(&r, 40) : 1;
            char buf[512];
            size_t n = 0;
            for (int i = 0; i < rep; i++) {
                memcpy(buf + n, f->s, f->n);
                n += f->n;
            }
            /* repeated fragments are segmented as one insert, by the model too */
            ck_assert_int_eq(wf_doc_insert(doc, pos, buf, n), 0);
            model_insert(&m, pos, buf, n);
        } else {
            size_t pos = wt_rng_below(&r, (uint32_t)m.nu);
            size_t n = 1 + wt_rng_below(&r, wt_rng_chance(&r, 1, 4) ? (uint32_t)(m.nu - pos)
                                                                     : 3);
            if (n > m.nu - pos)
                n = m.nu - pos;
            ck_assert_int_eq(wf_doc_delete(doc, pos, n), 0);
            model_delete(&m, pos, n);
        }
        wt_check(doc);
        assert_model(doc, &m);
        if (probes)
            probe(&r, doc, &m);
    }
    /* every single-replica history must survive a round trip */
    wf_doc *copy = wf_doc_new(2);
    wt_update u = wt_diff(doc, NULL);
    wt_apply(copy, &u);
    assert_model(copy, &m);
    wt_update_free(&u);
    wf_doc_free(copy);
    model_free(&m);
    wf_doc_free(doc);
}

START_TEST(test_doc__t17_fuzz_against_model)
{
    uint64_t seed = wt_seed("doc fuzz");
    long rounds = wt_scaled(20);
    for (long i = 0; i < rounds; i++)
        fuzz_single(seed + (uint64_t)i, 400, true);
}
END_TEST

START_TEST(test_doc__t17_long_history)
{
    fuzz_single(wt_seed("doc long"), wt_scaled(4000), false);
}
END_TEST

/* Backspacing, one unit at a time, moves each unit into the deleted run after it (the
 * fast path of wf_doc_delete): the text, counts, runs, undo and what a peer receives must be
 * exactly what splitting it off and merging it would give. With multi-byte units, newlines
 * and an invalid byte, so that byte and line counts move too. */
static void check_backspacing(const char *typed)
{
    wf_doc *doc = wf_doc_new(1), *peer = wf_doc_new(2);
    wt_type(doc, 0, typed);
    size_t nbytes = strlen(typed), units = wt_units(typed, nbytes);
    wt_update u = wt_flush(doc);
    wt_apply(peer, &u);
    wt_update_free(&u);
    wf_doc_undo_break(doc);
    for (size_t left = units; left > 1; left--) {
        ck_assert_int_eq(wf_doc_delete(doc, left - 1, 1), 0);
        wt_check(doc);
        size_t keep = wt_unit_offset(typed, nbytes, left - 1);
        wt_assert_text_n(doc, typed, keep);
        ck_assert_uint_eq(wf_doc_bytes(doc), keep);
        size_t nl = 0;
        for (size_t i = 0; i < keep; i++)
            nl += typed[i] == '\n';
        ck_assert_uint_eq(wf_doc_newlines(doc), nl);
        /* the typed run and one deleted run: every backspace joined the deleted one */
        ck_assert_uint_eq(wf_doc_runs(doc), 2);
        u = wt_flush(doc);
        wt_apply(peer, &u);
        wt_update_free(&u);
        wt_check(peer);
        wt_assert_text_n(peer, typed, keep);
    }
    /* one undo group: all the backspaces come back */
    size_t cursor;
    ck_assert_int_eq(wf_doc_undo(doc, &cursor), 0);
    wt_check(doc);
    wt_assert_text_n(doc, typed, nbytes);
    wf_doc *fresh = wf_doc_new(3);
    u = wt_diff(doc, NULL);
    wt_apply(fresh, &u);
    wt_update_free(&u);
    wt_check(fresh);
    wt_assert_text_n(fresh, typed, nbytes);
    wf_doc_free(fresh);
    wf_doc_free(peer);
    wf_doc_free(doc);
}

START_TEST(test_doc__backspacing)
{
    check_backspacing("abcdefgh");
    check_backspacing("h\xC3\xA9llo\n\xE2\x82\xAC wor\xFFld\n\xF0\x9F\x98\x80!");
    /* a backspace in the middle: the first splits the run, the next joins the deleted one */
    wf_doc *doc = wf_doc_new(1);
    wt_type(doc, 0, "abcdef");
    wf_doc_undo_break(doc);
    wt_del(doc, 3, 1);
    wt_check(doc);
    wt_assert_text(doc, "abcef");
    ck_assert_uint_eq(wf_doc_runs(doc), 3);
    wt_del(doc, 2, 1);
    wt_check(doc);
    wt_assert_text(doc, "abef");
    ck_assert_uint_eq(wf_doc_runs(doc), 3);
    size_t cursor;
    ck_assert_int_eq(wf_doc_undo(doc, &cursor), 0);
    wt_check(doc);
    wt_assert_text(doc, "abcdef");
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_doc__deleting_forward)
{
    /* Forward deletes at one place: each joins the deleted run before it (one run for them
     * all), with the text, the counts and the undo as the general path leaves them. */
    wf_doc *doc = wf_doc_new(1);
    wt_type(doc, 0, "ab\ncd\nef");
    wf_doc_undo_break(doc);
    for (int i = 0; i < 5; i++) {
        wt_del(doc, 1, 1);
        wt_check(doc);
    }
    wt_assert_text(doc, "aef");
    ck_assert_uint_eq(wf_doc_runs(doc), 3);
    ck_assert_uint_eq(wf_doc_newlines(doc), 0);
    size_t cursor;
    ck_assert_int_eq(wf_doc_undo(doc, &cursor), 0);
    wt_check(doc);
    wt_assert_text(doc, "ab\ncd\nef");
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_doc__typing_on_after_other_changes)
{
    /* The typing cursor must not survive a change elsewhere: a remote insert right after
     * the run, a delete, an undo, a load of another replica's edits. */
    wf_doc *a = wf_doc_new(1), *b = wf_doc_new(2);
    wt_type(a, 0, "hello");
    wt_update u = wt_diff(a, NULL);
    wt_apply(b, &u);
    wt_update_free(&u);
    wt_type(b, 5, "XY"); /* b's run after a's: a's typing cursor is stale once it arrives */
    u = wt_diff(b, NULL);
    wt_apply(a, &u);
    wt_update_free(&u);
    wt_check(a);
    wt_type(a, 5, "!"); /* directly after a's 'o', before b's XY */
    wt_check(a);
    wt_assert_text(a, "hello!XY");
    wt_type(a, 6, "?");
    wt_del(a, 0, 1);
    wt_type(a, 6, "z");
    wt_check(a);
    wt_assert_text(a, "ello!?zXY");
    size_t cursor;
    ck_assert_int_eq(wf_doc_undo(a, &cursor), 0);
    wt_check(a);
    wt_type(a, cursor, "w");
    wt_check(a);
    u = wt_diff(a, NULL);
    wf_doc *c = wf_doc_new(3);
    wt_apply(c, &u);
    wt_update_free(&u);
    char *ta = wt_text(a), *tc = wt_text(c);
    ck_assert_str_eq(ta, tc);
    free(ta);
    free(tc);
    wf_doc_free(a);
    wf_doc_free(b);
    wf_doc_free(c);
}
END_TEST

/* --- recoverable allocation failure ---------------------------------------------------------- */

/* wf_doc_apply of a large update under injected wf_trymalloc failures: each attempt either
 * succeeds, or fails with WF_ENOMEM and leaves the document as it was. */
START_TEST(test_doc__apply_enomem_leaves_doc_unchanged)
{
    wf_doc *src = wf_doc_new(1);
    size_t n = 1u << 20;
    char *big = malloc(n);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + i % 23);
    ck_assert_int_eq(wf_doc_insert(src, 0, big, n), 0);
    for (int k = 0; k < 200; k++)
        wt_ins(src, (size_t)k * 997, "\xc3\xa9");
    wt_del(src, 500, 3000);
    wt_update full = wt_diff(src, NULL);
    char *want = wt_text(src);
    int failures = 0;
    for (long nth = 1; nth <= 40; nth++) {
        for (int which = 0; which < 2; which++) {
            /* which 0: into an empty doc; 1: into a doc holding other text */
            wf_doc *dst = wf_doc_new(2);
            if (which)
                wt_ins(dst, 0, "local text");
            wt_state s;
            wt_state_take(&s, dst);
            wf_set_trymalloc_failure(nth);
            int rc = wf_doc_apply(dst, full.data, full.n);
            wf_set_trymalloc_failure(0);
            if (rc == WF_ENOMEM) {
                failures++;
                wt_assert_state(dst, &s);
                /* and it still works afterwards */
                wt_apply(dst, &full);
            } else {
                ck_assert_msg(rc == 0, "nth %ld: rc %d (%s)", nth, rc, wf_strerror(rc));
                wt_check(dst);
            }
            if (!which)
                wt_assert_text(dst, want);
            wt_state_free(&s);
            wf_doc_free(dst);
        }
    }
    fprintf(stderr, "doc enomem: %d injected failures reported WF_ENOMEM\n", failures);
    wt_update_free(&full);
    free(want);
    free(big);
    wf_doc_free(src);
}
END_TEST

/* --- memory ---------------------------------------------------------------------------------- */

START_TEST(test_doc__memory_grows_and_is_bounded)
{
    wf_doc *doc = wf_doc_new(1);
    size_t m0 = wf_doc_memory(doc);
    wt_rng r;
    wt_rng_init(&r, 12345);
    for (int i = 0; i < 5000; i++) {
        size_t pos = wt_rng_below(&r, (uint32_t)wf_doc_len(doc) + 1);
        ck_assert_int_eq(wf_doc_insert(doc, pos, "xy", 2), 0);
    }
    wt_check(doc);
    size_t m1 = wf_doc_memory(doc);
    ck_assert_uint_gt(m1, m0);
    /* 10,000 units in ~5,000 runs: well under 1 KiB per run */
    ck_assert_msg(m1 < 5000u * 1024, "memory %zu for 5000 runs", m1);
    wf_doc_free(doc);
}
END_TEST

/* The first byte where a and b differ: the length of their common prefix. (In bytes: the
 * document's units are segmented per insert, which the text alone does not show.) */
static size_t first_difference(const char *a, size_t na, const char *b, size_t nb)
{
    size_t i = 0;
    while (i < na && i < nb && a[i] == b[i])
        i++;
    return i;
}

/* wf_doc_take_lowest_change() never answers a position above the first changed unit, for
 * local edits, undo, redo and a peer's applied updates; and no change answers WF_NOPOS. */
START_TEST(test_doc__lowest_change_is_never_above_the_change)
{
    wt_rng r;
    wt_rng_init(&r, wt_seed("doc lowest change"));
    wf_doc *doc = wf_doc_new(1), *peer = wf_doc_new(2);
    ck_assert_uint_eq(wf_doc_take_lowest_change(doc), 0); /* new: changed at 0 */
    ck_assert_uint_eq(wf_doc_take_lowest_change(doc), WF_NOPOS);
    wt_ins(doc, 0, "hello\nworld\n");
    wf_doc_take_lowest_change(doc);
    wt_ins(doc, 8, "X"); /* inside the first run: the new run starts at the change */
    ck_assert_uint_eq(wf_doc_take_lowest_change(doc), 8);
    wt_del(doc, 10, 2);
    ck_assert_uint_eq(wf_doc_take_lowest_change(doc), 10);
    for (long step = 0; step < wt_scaled(2000); step++) {
        size_t nb, pnb;
        char *before = wt_text_n(doc, &nb), *pbefore = wt_text_n(peer, &pnb);
        size_t len = wf_doc_len(doc), cursor;
        uint32_t what = wt_rng_below(&r, 10);
        if (what < 5 || len == 0) {
            const struct frag *f = random_frag(&r);
            ck_assert_int_eq(wf_doc_insert(doc, wt_rng_below(&r, (uint32_t)len + 1), f->s,
                                           f->n), 0);
        } else if (what < 8) {
            size_t pos = wt_rng_below(&r, (uint32_t)len);
            ck_assert_int_eq(wf_doc_delete(doc, pos, 1 + wt_rng_below(&r,
                                           (uint32_t)(len - pos < 4 ? len - pos : 4))), 0);
        } else if (what == 8 && wf_doc_can_undo(doc)) {
            ck_assert_int_eq(wf_doc_undo(doc, &cursor), 0);
        } else if (what == 9 && wf_doc_can_redo(doc)) {
            ck_assert_int_eq(wf_doc_redo(doc, &cursor), 0);
        }
        if (wt_rng_chance(&r, 1, 4))
            wf_doc_undo_break(doc);
        wt_update u = wt_flush(doc);
        wt_apply(peer, &u);
        wt_update_free(&u);
        size_t na, pna;
        char *after = wt_text_n(doc, &na), *pafter = wt_text_n(peer, &pna);
        wf_doc *ds[2] = {doc, peer};
        const char *was[2] = {before, pbefore}, *is[2] = {after, pafter};
        size_t wn[2] = {nb, pnb}, in[2] = {na, pna};
        for (int k = 0; k < 2; k++) {
            size_t low = wf_doc_take_lowest_change(ds[k]);
            bool same = wn[k] == in[k] && memcmp(was[k], is[k], in[k]) == 0;
            if (low == WF_NOPOS)
                ck_assert_msg(same, "step %ld (%u) doc %d: text changed, no change reported", step, what, k);
            else
                ck_assert_uint_le(wf_doc_pos_to_byte(ds[k], low),
                                  first_difference(was[k], wn[k], is[k], in[k]));
        }
        free(before);
        free(pbefore);
        free(after);
        free(pafter);
    }
    wf_doc_free(peer);
    wf_doc_free(doc);
}
END_TEST

static Suite *doc_suite(void)
{
    Suite *s = suite_create("doc");
    TCase *tc = tcase_create("basic");
    tcase_add_test(tc, test_doc__empty);
    tcase_add_test(tc, test_doc__t16_utf8_accounting);
    tcase_add_test(tc, test_doc__invalid_bytes_are_units);
    tcase_add_test(tc, test_doc__einval);
    tcase_add_test(tc, test_doc__ids);
    tcase_add_test(tc, test_doc__lines);
    tcase_add_test(tc, test_doc__memory_grows_and_is_bounded);
    suite_add_tcase(s, tc);

    tc = tcase_create("load");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_doc__load_roundtrip);
    tcase_add_test(tc, test_doc__load_empty_and_twice);
    tcase_add_test(tc, test_doc__load_large_then_edit);
    suite_add_tcase(s, tc);

    tc = tcase_create("fuzz");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_doc__t17_fuzz_against_model);
    tcase_add_test(tc, test_doc__t17_long_history);
    tcase_add_test(tc, test_doc__backspacing);
    tcase_add_test(tc, test_doc__deleting_forward);
    tcase_add_test(tc, test_doc__typing_on_after_other_changes);
    tcase_add_test(tc, test_doc__lowest_change_is_never_above_the_change);
    suite_add_tcase(s, tc);

    tc = tcase_create("enomem");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_doc__apply_enomem_leaves_doc_unchanged);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(doc_suite());
}
