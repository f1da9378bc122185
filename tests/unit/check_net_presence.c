/* net/presence and net/proto: presence records (every flag combination, anchors of every
 * kind, names cut at a UTF-8 boundary and cleaned of control characters, truncation at
 * every byte, trailing bytes, out-of-range fields) and the session messages JOIN, WELCOME
 * and DIGEST (round trips, truncation at every byte, trailing bytes), plus wn_text_copy and
 * wn_text_hash. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/anchor.h"
#include "core/buf.h"
#include "core/doc.h"
#include "core/vv.h"
#include "net/presence.h"
#include "net/proto.h"
#include "tests/common/testutil.h"

/* --- helpers ------------------------------------------------------------------------------ */

static wf_anchor anchor_of(uint8_t kind, uint64_t agent, uint32_t seq, int8_t assoc)
{
    wf_anchor a;
    memset(&a, 0, sizeof a);
    a.kind = kind;
    a.assoc = assoc;
    if (kind == WF_ANCHOR_ID) {
        a.id.agent = agent;
        a.id.seq = seq;
    }
    return a;
}

static void assert_anchor(wf_anchor got, wf_anchor want, const char *what)
{
    ck_assert_msg(got.kind == want.kind, "%s: kind %u, want %u", what, got.kind, want.kind);
    ck_assert_msg((got.assoc < 0) == (want.assoc < 0), "%s: assoc %d, want %d", what,
                  got.assoc, want.assoc);
    if (want.kind == WF_ANCHOR_ID)
        ck_assert_msg(got.id.agent == want.id.agent && got.id.seq == want.id.seq,
                      "%s: id differs", what);
}

/* Fails unless got equals want in every field the flags say is present (absent anchors
 * decode as zero). */
static void assert_presence(const wn_presence *got, const wn_presence *want)
{
    static const wf_anchor none;
    ck_assert_uint_eq(got->agent, want->agent);
    ck_assert_uint_eq(got->clock, want->clock);
    ck_assert_uint_eq(got->colour, want->colour);
    ck_assert_uint_eq(got->flags, want->flags);
    ck_assert_str_eq(got->name, want->name);
    ck_assert_uint_eq(got->file, want->file);
    assert_anchor(got->cursor, want->flags & WN_PRESENCE_CURSOR ? want->cursor : none,
                  "cursor");
    assert_anchor(got->selection, want->flags & WN_PRESENCE_SELECTION ? want->selection : none,
                  "selection");
    assert_anchor(got->view_top, want->flags & WN_PRESENCE_VIEW ? want->view_top : none,
                  "view top");
    ck_assert_uint_eq(got->view_lines, want->flags & WN_PRESENCE_VIEW ? want->view_lines : 0);
}

/* A record with every field set (the flags decide which are encoded). */
static wn_presence sample(uint8_t flags)
{
    wn_presence p;
    memset(&p, 0, sizeof p);
    p.agent = 0x0123456789abcdefULL;
    p.clock = 300;
    p.colour = 5;
    p.flags = flags;
    wn_presence_set_name(&p, "Ada Lovelace");
    p.cursor = anchor_of(WF_ANCHOR_ID, 77, 1000, 0);
    p.selection = anchor_of(WF_ANCHOR_ID, UINT64_MAX, UINT32_MAX, -1);
    p.view_top = anchor_of(WF_ANCHOR_START, 0, 0, 0);
    p.view_lines = 48;
    p.file = 0x1234567;
    return p;
}

/* Encodes p, decodes it, compares; then checks every strict prefix and a trailing byte are
 * refused without touching the output. */
static void check_codec(const wn_presence *p)
{
    wf_buf b;
    wf_buf_init(&b);
    wn_presence_encode(p, &b);
    wn_presence got;
    memset(&got, 0xa5, sizeof got);
    ck_assert_int_eq(wn_presence_decode(b.data, b.len, &got), 0);
    assert_presence(&got, p);

    wn_presence keep = got;
    for (size_t cut = 0; cut < b.len; cut++) {
        int rc = wn_presence_decode(b.data, cut, &got);
        ck_assert_msg(rc == WN_EPROTO, "cut at %zu of %zu: %d", cut, b.len, rc);
        ck_assert_msg(memcmp(&got, &keep, sizeof got) == 0, "cut at %zu: output changed", cut);
    }
    static const uint8_t extra[] = {0, 1, 0xff};
    for (size_t i = 0; i < sizeof extra; i++) {
        wf_buf longer;
        wf_buf_init(&longer);
        wf_buf_put(&longer, b.data, b.len);
        wf_buf_put_u8(&longer, extra[i]);
        ck_assert_int_eq(wn_presence_decode(longer.data, longer.len, &got), WN_EPROTO);
        ck_assert(memcmp(&got, &keep, sizeof got) == 0);
        wf_buf_free(&longer);
    }
    wf_buf_free(&b);
}

/* True when s holds a control character: C0, DEL, or C1 (U+0080..U+009F, UTF-8 C2 80..9F). */
static bool has_control(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; u[i]; i++)
        if (u[i] < 0x20 || u[i] == 0x7f || (u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f))
            return true;
    return false;
}

/* Fails unless got is free of control characters and starts with pre and ends with post
 * (what replaces a control character is the code's choice: one '?' per byte or per
 * character). */
static void assert_clean(const char *got, const char *pre, const char *post, const char *what)
{
    size_t n = strlen(got), pn = strlen(pre), qn = strlen(post);
    ck_assert_msg(!has_control(got), "%s: '%s' still holds a control character", what,
                  wt_esc(got, n));
    ck_assert_msg(n >= pn + qn && !memcmp(got, pre, pn) && !strcmp(got + n - qn, post),
                  "%s: '%s' lost its text", what, wt_esc(got, n));
}

/* --- presence ---------------------------------------------------------------------------- */

START_TEST(test_presence__every_flag_combination)
{
    for (unsigned flags = 0; flags < 32; flags++) {
        wn_presence p = sample((uint8_t)flags);
        check_codec(&p);
    }
}
END_TEST

START_TEST(test_presence__anchor_kinds)
{
    const wf_anchor kinds[] = {
        anchor_of(WF_ANCHOR_START, 0, 0, 0),  anchor_of(WF_ANCHOR_START, 0, 0, -1),
        anchor_of(WF_ANCHOR_END, 0, 0, 0),    anchor_of(WF_ANCHOR_END, 0, 0, -1),
        anchor_of(WF_ANCHOR_ID, 0, 0, 0),     anchor_of(WF_ANCHOR_ID, 1, 1, -1),
        anchor_of(WF_ANCHOR_ID, 127, 128, 0), anchor_of(WF_ANCHOR_ID, UINT64_MAX, UINT32_MAX, -1),
    };
    size_t nk = sizeof kinds / sizeof *kinds;
    for (size_t a = 0; a < nk; a++) {
        for (size_t s = 0; s < nk; s++) {
            wn_presence p = sample(WN_PRESENCE_CURSOR | WN_PRESENCE_SELECTION | WN_PRESENCE_VIEW);
            p.cursor = kinds[a];
            p.selection = kinds[s];
            p.view_top = kinds[(a + s) % nk];
            check_codec(&p);
        }
    }
    /* extreme scalars */
    wn_presence p = sample(WN_PRESENCE_VIEW | WN_PRESENCE_TYPING | WN_PRESENCE_READONLY);
    p.agent = 0;
    p.clock = UINT64_MAX;
    p.colour = WN_COLOURS - 1;
    p.view_lines = UINT32_MAX;
    wn_presence_set_name(&p, "");
    check_codec(&p);
}
END_TEST

START_TEST(test_presence__random)
{
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("presence random"));
    long iters = wt_scaled(2000);
    for (long it = 0; it < iters; it++) {
        wn_presence p;
        memset(&p, 0, sizeof p);
        p.agent = wt_rng_next(&rng);
        p.clock = wt_rng_next(&rng) >> wt_rng_below(&rng, 64);
        p.colour = (uint8_t)wt_rng_below(&rng, WN_COLOURS);
        p.flags = (uint8_t)wt_rng_below(&rng, 32);
        char name[WN_NAME_MAX * 2];
        size_t n = wt_rng_below(&rng, sizeof name - 1);
        for (size_t i = 0; i < n; i++)
            name[i] = (char)(0x20 + wt_rng_below(&rng, 0x5f));
        name[n] = '\0';
        wn_presence_set_name(&p, name);
        wf_anchor *as[] = {&p.cursor, &p.selection, &p.view_top};
        for (int k = 0; k < 3; k++)
            *as[k] = anchor_of((uint8_t)wt_rng_below(&rng, 3), wt_rng_next(&rng),
                               (uint32_t)wt_rng_next(&rng), wt_rng_chance(&rng, 1, 2) ? -1 : 0);
        p.view_lines = (uint32_t)(wt_rng_next(&rng) >> wt_rng_below(&rng, 32));
        p.file = wt_rng_next(&rng) >> wt_rng_below(&rng, 64);
        check_codec(&p);
    }
}
END_TEST

/* wn_presence_set_name cuts at the last whole unit that fits WN_NAME_MAX bytes. */
START_TEST(test_presence__name_cut_at_utf8_boundary)
{
    static const char *units[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"}; /* é € 😀 */
    for (size_t u = 0; u < 3; u++) {
        size_t ul = strlen(units[u]);
        /* an ASCII prefix of every length, then the multi-byte unit, then more */
        for (size_t pre = WN_NAME_MAX - 6; pre <= WN_NAME_MAX + 1; pre++) {
            char in[WN_NAME_MAX * 2 + 16];
            memset(in, 'a', pre);
            memcpy(in + pre, units[u], ul);
            strcpy(in + pre + ul, "tail");
            wn_presence p;
            memset(&p, 0, sizeof p);
            wn_presence_set_name(&p, in);
            /* the longest prefix of whole units within WN_NAME_MAX bytes */
            size_t want;
            if (pre >= WN_NAME_MAX)
                want = WN_NAME_MAX;
            else if (pre + ul > WN_NAME_MAX)
                want = pre;
            else
                want = pre + ul + 4 < WN_NAME_MAX ? pre + ul + 4 : WN_NAME_MAX;
            ck_assert_msg(strlen(p.name) == want, "unit %zu after %zu bytes: %zu bytes kept, "
                          "want %zu", u, pre, strlen(p.name), want);
            ck_assert(memcmp(p.name, in, want) == 0);
            /* and it survives a round trip unchanged */
            check_codec(&p);
        }
        /* a name made only of that unit */
        char in[WN_NAME_MAX * 4 + 1];
        size_t k = 0;
        while (k + ul < sizeof in) {
            memcpy(in + k, units[u], ul);
            k += ul;
        }
        in[k] = '\0';
        wn_presence p;
        memset(&p, 0, sizeof p);
        wn_presence_set_name(&p, in);
        ck_assert_uint_eq(strlen(p.name), WN_NAME_MAX / ul * ul);
        ck_assert_uint_eq(wt_units(p.name, strlen(p.name)), WN_NAME_MAX / ul);
    }
}
END_TEST

/* The names already in a session, for wn_presence_unique_name(). */
typedef struct name_list {
    const char *names[16];
    size_t n;
} name_list;

static bool in_names(const char *name, void *ctx)
{
    const name_list *l = ctx;
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->names[i], name))
            return true;
    return false;
}

START_TEST(test_presence__unique_name)
{
    static const struct {
        const char *wanted;
        name_list taken;
        const char *want;
    } cases[] = {
        {"ana", {{NULL}, 0}, "ana"},
        {"ana", {{"ben", "ana (2)"}, 2}, "ana"},
        {"ana", {{"ana"}, 1}, "ana (2)"},
        {"ana", {{"ana", "ana (2)"}, 2}, "ana (3)"},
        {"ana", {{"ana", "ana (3)"}, 2}, "ana (2)"}, /* the first free one */
        {"ana (2)", {{"ana (2)"}, 1}, "ana (2) (2)"},
        {"ana", {{"ana", "ana (2)", "ana (3)", "ana (4)", "ana (5)", "ana (6)", "ana (7)",
                  "ana (8)", "ana (9)"}, 9}, "ana (10)"},
        {"Ana", {{"ana"}, 1}, "Ana"}, /* names differ by case: no need to tell them apart */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[WN_NAME_MAX + 1];
        name_list taken = cases[i].taken;
        wn_presence_unique_name(out, cases[i].wanted, in_names, &taken);
        ck_assert_msg(!strcmp(out, cases[i].want), "case %zu: '%s', want '%s'", i, out,
                      cases[i].want);
    }
    /* A long name is cut, at a UTF-8 boundary, to leave room for the number. */
    static const char *units[] = {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"};
    for (size_t u = 0; u < 4; u++) {
        for (size_t pre = WN_NAME_MAX - 8; pre <= WN_NAME_MAX; pre++) {
            char wanted[WN_NAME_MAX * 2];
            memset(wanted, 'x', pre);
            strcpy(wanted + pre, units[u]);
            wn_presence p;
            wn_presence_set_name(&p, wanted); /* as the host has it: at most WN_NAME_MAX */
            name_list taken = {{p.name}, 1};
            char out[WN_NAME_MAX + 1];
            wn_presence_unique_name(out, p.name, in_names, &taken);
            size_t n = strlen(out);
            ck_assert_msg(n <= WN_NAME_MAX && n >= WN_NAME_MAX - 3 && n > 4
                          && !strcmp(out + n - 4, " (2)"),
                          "unit %zu after %zu bytes: '%s'", u, pre, out);
            ck_assert(memcmp(out, p.name, n - 4) == 0);
            char again[WN_NAME_MAX + 1]; /* whole units: nothing for wn_text_copy to replace */
            wn_text_copy(again, sizeof again, (const uint8_t *)out, n);
            ck_assert_str_eq(again, out);
            ck_assert(strcmp(out, p.name) != 0);
        }
    }
}
END_TEST

START_TEST(test_presence__name_control_characters)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"plain", "plain"},
        {"tab\there", "tab?here"},
        {"esc\x1b[31mred", "esc?[31mred"},
        {"nl\ncr\rdel\x7f", "nl?cr?del?"},
        {"\x01\x02\x03", "???"},
        {"caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac"},   /* UTF-8 kept */
        {"bad\xff\xc3(", "bad?\?("},                                /* invalid bytes */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        wn_presence p;
        memset(&p, 0, sizeof p);
        wn_presence_set_name(&p, cases[i].in);
        ck_assert_msg(strcmp(p.name, cases[i].want) == 0, "set_name, case %zu: '%s'", i,
                      wt_esc(p.name, strlen(p.name)));
        /* the same bytes arriving from the network are cleaned by the decoder */
        wf_buf b;
        wf_buf_init(&b);
        for (int k = 0; k < 8; k++)
            wf_buf_put_u8(&b, (uint8_t)(k + 1));
        wf_buf_put_varuint(&b, 1); /* clock */
        wf_buf_put_u8(&b, 2);      /* colour */
        wf_buf_put_u8(&b, 0);      /* flags */
        wf_buf_put_varuint(&b, strlen(cases[i].in));
        wf_buf_put(&b, cases[i].in, strlen(cases[i].in));
        wf_buf_put_varuint(&b, 0); /* file */
        wn_presence got;
        ck_assert_int_eq(wn_presence_decode(b.data, b.len, &got), 0);
        ck_assert_msg(strcmp(got.name, cases[i].want) == 0, "decoded, case %zu: '%s'", i,
                      wt_esc(got.name, strlen(got.name)));
        wf_buf_free(&b);
    }
    /* C1 control characters (U+0080..U+009F) are control characters too: U+009B is CSI, an
     * escape sequence introducer for terminals that honour C1 */
    static const struct {
        const char *in, *pre, *post;
    } c1[] = {
        {"c1\xc2\x9b" "31m", "c1", "31m"},
        {"c1\xc2\x85next", "c1", "next"},
        {"\xc2\x80\xc2\x9f" "x", "", "x"},
    };
    for (size_t i = 0; i < sizeof c1 / sizeof *c1; i++) {
        wn_presence p;
        memset(&p, 0, sizeof p);
        wn_presence_set_name(&p, c1[i].in);
        assert_clean(p.name, c1[i].pre, c1[i].post, "wn_presence_set_name");
        wf_buf b;
        wf_buf_init(&b);
        wn_presence q = sample(0);
        size_t n = strlen(c1[i].in);
        memcpy(q.name, c1[i].in, n + 1); /* raw, as a peer could send it */
        wn_presence_encode(&q, &b);
        wn_presence got;
        ck_assert_int_eq(wn_presence_decode(b.data, b.len, &got), 0);
        assert_clean(got.name, c1[i].pre, c1[i].post, "wn_presence_decode");
        wf_buf_free(&b);
    }
}
END_TEST

/* A hand-made record: agent 1, clock, colour, flags, name, then `rest`. */
static void raw_record(wf_buf *b, uint64_t clock, unsigned colour, unsigned flags,
                       size_t name_len, const uint8_t *rest, size_t rest_len)
{
    wf_buf_reset(b);
    static const uint8_t agent[8] = {1};
    wf_buf_put(b, agent, 8);
    wf_buf_put_varuint(b, clock);
    wf_buf_put_u8(b, (uint8_t)colour);
    wf_buf_put_u8(b, (uint8_t)flags);
    wf_buf_put_varuint(b, name_len);
    for (size_t i = 0; i < name_len; i++)
        wf_buf_put_u8(b, 'n');
    wf_buf_put_varuint(b, 0); /* file */
    wf_buf_put(b, rest, rest_len);
}

START_TEST(test_presence__out_of_range)
{
    wf_buf b;
    wf_buf_init(&b);
    wn_presence p;
    /* colours: the last one is fine, WN_COLOURS and beyond are refused */
    raw_record(&b, 1, WN_COLOURS - 1, 0, 3, NULL, 0);
    ck_assert_int_eq(wn_presence_decode(b.data, b.len, &p), 0);
    ck_assert_uint_eq(p.colour, WN_COLOURS - 1);
    static const unsigned bad_colours[] = {WN_COLOURS, WN_COLOURS + 1, 128, 255};
    for (size_t i = 0; i < 4; i++) {
        raw_record(&b, 1, bad_colours[i], 0, 3, NULL, 0);
        ck_assert_msg(wn_presence_decode(b.data, b.len, &p) == WN_EPROTO, "colour %u",
                      bad_colours[i]);
    }
    /* an encoder given a bad colour: its output is refused, not clamped */
    wn_presence q = sample(0);
    q.colour = WN_COLOURS;
    wf_buf_reset(&b);
    wn_presence_encode(&q, &b);
    ck_assert_int_eq(wn_presence_decode(b.data, b.len, &p), WN_EPROTO);
    /* unknown flag bits */
    for (unsigned bit = 5; bit < 8; bit++) {
        raw_record(&b, 1, 0, 1u << bit, 3, NULL, 0);
        ck_assert_int_eq(wn_presence_decode(b.data, b.len, &p), WN_EPROTO);
    }
    /* names: WN_NAME_MAX bytes fine, one more refused */
    raw_record(&b, 1, 0, 0, WN_NAME_MAX, NULL, 0);
    ck_assert_int_eq(wn_presence_decode(b.data, b.len, &p), 0);
    ck_assert_uint_eq(strlen(p.name), WN_NAME_MAX);
    raw_record(&b, 1, 0, 0, WN_NAME_MAX + 1, NULL, 0);
    ck_assert_int_eq(wn_presence_decode(b.data, b.len, &p), WN_EPROTO);
    /* a huge name length (no bytes behind it) */
    wf_buf_reset(&b);
    raw_record(&b, 1, 0, 0, 0, NULL, 0);
    b.len -= 2; /* drop the zero length and the file */
    wf_buf_put_varuint(&b, UINT64_MAX);
    ck_assert_int_eq(wn_presence_decode(b.data, b.len, &p), WN_EPROTO);
    /* an anchor of an unknown kind */
    static const uint8_t kind3[] = {3};
    raw_record(&b, 1, 0, WN_PRESENCE_CURSOR, 1, kind3, 1);
    ck_assert_int_eq(wn_presence_decode(b.data, b.len, &p), WN_EPROTO);
    /* an anchor whose seq exceeds 32 bits */
    static const uint8_t bigseq[] = {WF_ANCHOR_ID, 5, 0x80, 0x80, 0x80, 0x80, 0x10};
    raw_record(&b, 1, 0, WN_PRESENCE_CURSOR, 1, bigseq, sizeof bigseq);
    ck_assert_int_eq(wn_presence_decode(b.data, b.len, &p), WN_EPROTO);
    /* view lines beyond 32 bits */
    static const uint8_t biglines[] = {WF_ANCHOR_END, 0x80, 0x80, 0x80, 0x80, 0x10};
    raw_record(&b, 1, 0, WN_PRESENCE_VIEW, 1, biglines, sizeof biglines);
    ck_assert_int_eq(wn_presence_decode(b.data, b.len, &p), WN_EPROTO);
    /* a clock varint longer than 64 bits */
    wf_buf_reset(&b);
    static const uint8_t agent[8] = {1};
    wf_buf_put(&b, agent, 8);
    for (int i = 0; i < 10; i++)
        wf_buf_put_u8(&b, 0xff);
    wf_buf_put_u8(&b, 0x01);
    wf_buf_put_u8(&b, 0);
    wf_buf_put_u8(&b, 0);
    wf_buf_put_u8(&b, 0);
    ck_assert_int_eq(wn_presence_decode(b.data, b.len, &p), WN_EPROTO);
    /* nothing at all */
    ck_assert_int_eq(wn_presence_decode(NULL, 0, &p), WN_EPROTO);
    wf_buf_free(&b);
}
END_TEST

/* --- session messages ---------------------------------------------------------------------- */

static void random_vv(wt_rng *rng, wf_vv *vv)
{
    wf_vv_init(vv);
    size_t n = wt_rng_below(rng, 6);
    for (size_t i = 0; i < n; i++)
        wf_vv_set(vv, wt_rng_next(rng) >> wt_rng_below(rng, 64),
                  1 + (uint32_t)(wt_rng_next(rng) >> wt_rng_below(rng, 33)) % UINT32_MAX);
}

START_TEST(test_proto__join_round_trip)
{
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("proto join"));
    long iters = wt_scaled(200);
    for (long it = 0; it < iters; it++) {
        wn_join j;
        memset(&j, 0, sizeof j);
        j.agent = wt_rng_next(&rng);
        if (it % 3) /* a first join carries zeros */
            for (int i = 0; i < WN_DOC_ID_BYTES; i++)
                j.doc_id[i] = (uint8_t)wt_rng_next(&rng);
        size_t n = it == 0 ? 0 : it == 1 ? 64 : wt_rng_below(&rng, 65);
        for (size_t i = 0; i < n; i++)
            j.name[i] = (char)('A' + wt_rng_below(&rng, 26));
        j.name[n] = '\0';
        wf_buf b;
        wf_buf_init(&b);
        wn_join_encode(&j, &b);
        wn_join got;
        ck_assert_int_eq(wn_join_decode(b.data, b.len, &got), 0);
        ck_assert_uint_eq(got.agent, j.agent);
        ck_assert(memcmp(got.doc_id, j.doc_id, WN_DOC_ID_BYTES) == 0);
        ck_assert_str_eq(got.name, j.name);
        for (size_t cut = 0; cut < b.len; cut++) {
            int rc = wn_join_decode(b.data, cut, &got);
            ck_assert_msg(rc == WN_EPROTO, "JOIN cut at %zu of %zu: %d", cut, b.len, rc);
        }
        wf_buf_put_u8(&b, 0);
        ck_assert_int_eq(wn_join_decode(b.data, b.len, &got), WN_EPROTO);
        wf_buf_free(&b);
    }
}
END_TEST

START_TEST(test_proto__welcome_round_trip)
{
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("proto welcome"));
    long iters = wt_scaled(200);
    for (long it = 0; it < iters; it++) {
        wn_welcome w;
        memset(&w, 0, sizeof w);
        for (int i = 0; i < WN_DOC_ID_BYTES; i++)
            w.doc_id[i] = (uint8_t)wt_rng_next(&rng);
        w.colour = (uint8_t)wt_rng_below(&rng, WN_COLOURS);
        size_t n = it == 0 ? 0 : it == 1 ? 64 : wt_rng_below(&rng, 65);
        for (size_t i = 0; i < n; i++)
            w.name[i] = (char)('a' + wt_rng_below(&rng, 26));
        w.name[n] = '\0';
        size_t m = wt_rng_below(&rng, 255);
        for (size_t i = 0; i < m; i++)
            w.file[i] = (char)('a' + wt_rng_below(&rng, 26));
        w.file[m] = '\0';
        w.flags = (uint8_t)wt_rng_below(&rng, 2);
        w.version = wt_rng_next(&rng);
        w.entries = wt_rng_next(&rng) >> wt_rng_below(&rng, 64);
        wf_buf b;
        wf_buf_init(&b);
        wn_welcome_encode(&w, &b);
        wn_welcome got;
        ck_assert_int_eq(wn_welcome_decode(b.data, b.len, &got), 0);
        ck_assert(memcmp(got.doc_id, w.doc_id, WN_DOC_ID_BYTES) == 0);
        ck_assert_uint_eq(got.colour, w.colour);
        ck_assert_str_eq(got.name, w.name);
        ck_assert_str_eq(got.file, w.file);
        ck_assert_uint_eq(got.flags, w.flags);
        ck_assert_uint_eq(got.version, w.version);
        ck_assert_uint_eq(got.entries, w.entries);
        for (size_t cut = 0; cut < b.len; cut++) {
            int rc = wn_welcome_decode(b.data, cut, &got);
            ck_assert_msg(rc == WN_EPROTO, "WELCOME cut at %zu of %zu: %d", cut, b.len, rc);
        }
        wf_buf_put_u8(&b, 7);
        ck_assert_int_eq(wn_welcome_decode(b.data, b.len, &got), WN_EPROTO);
        wf_buf_free(&b);
    }
}
END_TEST

START_TEST(test_proto__digest_round_trip)
{
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("proto digest"));
    long iters = wt_scaled(200);
    for (long it = 0; it < iters; it++) {
        wf_vv vv;
        random_vv(&rng, &vv);
        uint8_t hash[32];
        for (int i = 0; i < 32; i++)
            hash[i] = (uint8_t)wt_rng_next(&rng);
        wf_buf b;
        wf_buf_init(&b);
        uint64_t file = 1 + (wt_rng_next(&rng) >> wt_rng_below(&rng, 64)), got_file;
        wn_digest_encode(file, &vv, hash, &b);
        wf_vv got;
        uint8_t got_hash[32];
        ck_assert_int_eq(wn_digest_decode(b.data, b.len, &got_file, &got, got_hash), 0);
        ck_assert_uint_eq(got_file, file);
        ck_assert(wt_vv_same(&got, &vv));
        ck_assert(memcmp(got_hash, hash, 32) == 0);
        wf_vv_free(&got);
        for (size_t cut = 0; cut < b.len; cut++) {
            int rc = wn_digest_decode(b.data, cut, &got_file, &got, got_hash);
            ck_assert_msg(rc == WN_EPROTO, "DIGEST cut at %zu of %zu: %d", cut, b.len, rc);
        }
        wf_buf_put_u8(&b, 0);
        ck_assert_int_eq(wn_digest_decode(b.data, b.len, &got_file, &got, got_hash), WN_EPROTO);
        wf_buf_free(&b);
        wf_vv_free(&vv);
    }
}
END_TEST

/* Names in JOIN and WELCOME: cut to 64 bytes by the encoder, longer ones refused by the
 * decoder, control characters replaced. */
START_TEST(test_proto__names)
{
    wn_join j;
    memset(&j, 0, sizeof j);
    j.agent = 9;
    memset(j.name, 'x', 64);
    j.name[64] = '\0';
    wf_buf b;
    wf_buf_init(&b);
    wn_join_encode(&j, &b);
    wn_join got;
    ck_assert_int_eq(wn_join_decode(b.data, b.len, &got), 0);
    ck_assert_uint_eq(strlen(got.name), 64);

    /* hand-made: a 65-byte name */
    wf_buf_reset(&b);
    static const uint8_t agent_and_id[8 + WN_DOC_ID_BYTES];
    wf_buf_put(&b, agent_and_id, sizeof agent_and_id);
    wf_buf_put_varuint(&b, 65);
    for (int i = 0; i < 65; i++)
        wf_buf_put_u8(&b, 'y');
    ck_assert_int_eq(wn_join_decode(b.data, b.len, &got), WN_EPROTO);

    /* control characters, C0 and C1 */
    wf_buf_reset(&b);
    static const char evil[] = "eve\x1b]0;owned\x07\xc2\x9b" "2J";
    wf_buf_put(&b, agent_and_id, sizeof agent_and_id);
    wf_buf_put_varuint(&b, sizeof evil - 1);
    wf_buf_put(&b, evil, sizeof evil - 1);
    ck_assert_int_eq(wn_join_decode(b.data, b.len, &got), 0);
    ck_assert_msg(!strncmp(got.name, "eve?]0;owned?", 13), "JOIN name '%s'",
                  wt_esc(got.name, strlen(got.name)));
    assert_clean(got.name, "eve?]0;owned?", "2J", "JOIN name");
    wf_buf_free(&b);
}
END_TEST

START_TEST(test_proto__text_copy)
{
    char out[16];
    wn_text_copy(out, sizeof out, (const uint8_t *)"saved notes.md", 14);
    ck_assert_str_eq(out, "saved notes.md");
    /* cut to size - 1 bytes */
    wn_text_copy(out, sizeof out, (const uint8_t *)"0123456789abcdefghij", 20);
    ck_assert_str_eq(out, "0123456789abcde");
    /* control characters: C0 and DEL */
    static const char ctl[] = "a\nb\x1b" "c\x7f" "d";
    wn_text_copy(out, sizeof out, (const uint8_t *)ctl, sizeof ctl - 1);
    ck_assert_msg(strcmp(out, "a?b?c?d") == 0, "'%s'", wt_esc(out, strlen(out)));
    /* UTF-8 kept */
    wn_text_copy(out, sizeof out, (const uint8_t *)"\xc3\xa9t\xc3\xa9", 5);
    ck_assert_str_eq(out, "\xc3\xa9t\xc3\xa9");
    /* empty input, size 1 and size 0 */
    wn_text_copy(out, sizeof out, NULL, 0);
    ck_assert_str_eq(out, "");
    out[0] = 'z';
    wn_text_copy(out, 1, (const uint8_t *)"abc", 3);
    ck_assert_str_eq(out, "");
    out[0] = 'z';
    wn_text_copy(out, 0, (const uint8_t *)"abc", 3);
    ck_assert_uint_eq(out[0], 'z');
    /* C1 control characters too (U+0080..U+009F; U+009B is CSI) */
    static const char c1[] = "d\xc2\x9b" "e";
    wn_text_copy(out, sizeof out, (const uint8_t *)c1, sizeof c1 - 1);
    assert_clean(out, "d", "e", "wn_text_copy");
}
END_TEST

/* The digest's hash is BLAKE2b-256 of the visible text, however the text is split into runs
 * and whatever was deleted. */
START_TEST(test_proto__text_hash)
{
    wf_doc *a = wf_doc_new(1), *b = wf_doc_new(2);
    wt_ins(a, 0, "hello world");
    wt_ins(b, 0, "world");
    wt_ins(b, 0, "hello ");
    wt_ins(b, 0, "XXX");
    wt_del(b, 0, 3);
    uint8_t ha[32], hb[32], want[32];
    wn_text_hash(a, ha);
    wn_text_hash(b, hb);
    crypto_generichash(want, 32, (const uint8_t *)"hello world", 11, NULL, 0);
    ck_assert(memcmp(ha, want, 32) == 0);
    ck_assert(memcmp(hb, want, 32) == 0);
    wt_ins(b, 5, ",");
    wn_text_hash(b, hb);
    ck_assert(memcmp(hb, want, 32) != 0);
    wf_doc_free(a);
    wf_doc_free(b);
    /* the empty text */
    wf_doc *e = wf_doc_new(3);
    wn_text_hash(e, ha);
    crypto_generichash(want, 32, NULL, 0, NULL, 0);
    ck_assert(memcmp(ha, want, 32) == 0);
    wf_doc_free(e);
}
END_TEST

static Suite *presence_suite(void)
{
    Suite *s = suite_create("net_presence");
    TCase *tc = tcase_create("presence");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_presence__every_flag_combination);
    tcase_add_test(tc, test_presence__anchor_kinds);
    tcase_add_test(tc, test_presence__random);
    tcase_add_test(tc, test_presence__name_cut_at_utf8_boundary);
    tcase_add_test(tc, test_presence__name_control_characters);
    tcase_add_test(tc, test_presence__unique_name);
    tcase_add_test(tc, test_presence__out_of_range);
    suite_add_tcase(s, tc);

    tc = tcase_create("messages");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_proto__join_round_trip);
    tcase_add_test(tc, test_proto__welcome_round_trip);
    tcase_add_test(tc, test_proto__digest_round_trip);
    tcase_add_test(tc, test_proto__names);
    tcase_add_test(tc, test_proto__text_copy);
    tcase_add_test(tc, test_proto__text_hash);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    if (sodium_init() < 0)
        return 99;
    return wt_run_suite(presence_suite());
}
