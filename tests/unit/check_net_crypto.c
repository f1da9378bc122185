/* net/crypto: the handshake run in memory between two wn_handshake structs (frames carried
 * through wn_frame_readers), and the sealing of frames after it.
 *
 * Handshake: right token, read-only token, wrong token (ERROR frame, the host's words at the
 * guest), a host without a read-only token, version mismatch both ways, malformed greetings
 * and authentications of every length, unexpected frames, ERROR frames, an impostor host (the
 * documented key schedule computed here independently, with the wrong token) and a replayed
 * guest. Sealing: round trips of every size class up to 70000 bytes (random), and tampering
 * with any byte, replay, reordering, truncation, another session's keys and reflection all
 * fail with WN_EAUTH; two handshakes never share keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "net/crypto.h"
#include "net/frame.h"
#include "tests/common/testutil.h"

#define TOKEN "correct-horse-battery-staple"
#define TOKEN_RO "read-only-token-for-watchers"
#define TOKEN_BAD "wrong-token-wrong-token-wrong"
#define SS_HEADER crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SS_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES

/* One side of an in-memory handshake. */
typedef struct side {
    wn_handshake hs;
    wn_session s;
    wf_buf out;         /* frames it wrote, not delivered yet */
    wn_frame_reader in; /* bytes delivered to it */
    int rc;             /* last wn_handshake_feed() result; 0 while under way */
    char msg[512];      /* its message on error */
} side;

static void side_init(side *x)
{
    memset(x, 0, sizeof *x);
    wf_buf_init(&x->out);
    wn_frame_reader_init(&x->in, WN_FRAME_MAX_HANDSHAKE);
}

/* A copy of x at this point of its handshake, with buffers of its own, to try an input on
 * without touching x. Free with side_free(). */
static side side_copy(const side *x)
{
    side c = *x;
    wf_buf_init(&c.out);
    wn_frame_reader_init(&c.in, WN_FRAME_MAX_HANDSHAKE);
    return c;
}

static void guest_init(side *x, const char *token, const char *version)
{
    side_init(x);
    wn_handshake_guest(&x->hs, token, version);
}

static void host_init(side *x, const char *rw, const char *ro, const char *version)
{
    side_init(x);
    wn_handshake_host(&x->hs, rw, ro, version);
}

static void side_free(side *x)
{
    wf_buf_free(&x->out);
    wn_frame_reader_free(&x->in);
}

/* Feeds one frame to x's handshake. */
static void feed(side *x, uint8_t type, const void *p, size_t n)
{
    x->rc = wn_handshake_feed(&x->hs, type, p, n, &x->out, &x->s, x->msg, sizeof x->msg);
}

/* Delivers from's output to `to`, one frame at a time until to's handshake ends. */
static void deliver(side *from, side *to)
{
    wn_frame_reader_feed(&to->in, from->out.data, from->out.len);
    wf_buf_reset(&from->out);
    while (to->rc == 0) {
        uint8_t type;
        const uint8_t *p;
        size_t n;
        int rc = wn_frame_next(&to->in, &type, &p, &n);
        ck_assert_msg(rc >= 0, "a handshake frame did not parse: %d", rc);
        if (rc == 0)
            break;
        feed(to, type, p, n);
    }
}

/* Runs the handshake until it succeeds on both sides or fails on one. A host's failure
 * stops before its output (an ERROR frame, maybe) is delivered. */
static void run(side *g, side *h)
{
    wn_handshake_start(&g->hs, &g->out);
    for (int i = 0; i < 3; i++) {
        deliver(g, h);
        if (h->rc < 0)
            return;
        deliver(h, g);
        if (g->rc != 0)
            return;
    }
}

/* Takes the only frame in buf (which must hold exactly one). */
static void only_frame(const wf_buf *buf, uint8_t *type, wf_buf *payload)
{
    wn_frame_reader r;
    wn_frame_reader_init(&r, WN_FRAME_MAX);
    wn_frame_reader_feed(&r, buf->data, buf->len);
    const uint8_t *p;
    size_t n;
    ck_assert_int_eq(wn_frame_next(&r, type, &p, &n), 1);
    wf_buf_reset(payload);
    wf_buf_put(payload, p, n);
    ck_assert_uint_eq(wn_frame_reader_pending(&r), 0);
    wn_frame_reader_free(&r);
}

/* A completed handshake between a guest with token and a host with rw/ro tokens. */
static void handshake_ok(side *g, side *h, const char *token, const char *rw, const char *ro,
                         int role)
{
    guest_init(g, token, "1.0-guest");
    host_init(h, rw, ro, "1.0-host");
    run(g, h);
    ck_assert_msg(h->rc == 1, "host: %d (%s)", h->rc, h->msg);
    ck_assert_msg(g->rc == 1, "guest: %d (%s)", g->rc, g->msg);
    ck_assert_int_eq(h->hs.role, role);
    ck_assert_int_eq(g->hs.role, role);
    ck_assert_str_eq(h->hs.peer_version, "1.0-guest");
    ck_assert_str_eq(g->hs.peer_version, "1.0-host");
    ck_assert_uint_eq(g->out.len, 0); /* nothing more to say */
}

/* Seals (type, p[0..n)) on `from` and opens it on `to`; both must agree. */
static void check_round_trip(side *from, side *to, uint8_t type, const uint8_t *p, size_t n)
{
    wf_buf frame, ct, plain;
    wf_buf_init(&frame);
    wf_buf_init(&ct);
    wf_buf_init(&plain);
    wn_seal(&from->s, type, p, n, &frame);
    uint8_t ftype;
    only_frame(&frame, &ftype, &ct);
    ck_assert_uint_eq(ftype, WN_T_SEALED);
    ck_assert_uint_eq(ct.len, 1 + n + SS_ABYTES);
    uint8_t got = (uint8_t)~type;
    int rc = wn_open(&to->s, ct.data, ct.len, &got, &plain);
    ck_assert_msg(rc == 0, "open of %zu bytes: %d", n, rc);
    ck_assert_uint_eq(got, type);
    ck_assert_uint_eq(plain.len, n);
    ck_assert(n == 0 || memcmp(plain.data, p, n) == 0);
    wf_buf_free(&frame);
    wf_buf_free(&ct);
    wf_buf_free(&plain);
}

/* --- the handshake ---------------------------------------------------------------------- */

START_TEST(test_crypto__right_token)
{
    side g, h;
    handshake_ok(&g, &h, TOKEN, TOKEN, NULL, WN_ROLE_RW);
    /* the keys agree, both ways */
    check_round_trip(&g, &h, 16, (const uint8_t *)"hello host", 10);
    check_round_trip(&h, &g, 17, (const uint8_t *)"hello guest", 11);
    side_free(&g);
    side_free(&h);
    /* with a read-only token configured too, the read-write one still gives RW */
    handshake_ok(&g, &h, TOKEN, TOKEN, TOKEN_RO, WN_ROLE_RW);
    check_round_trip(&g, &h, 16, (const uint8_t *)"x", 1);
    side_free(&g);
    side_free(&h);
}
END_TEST

START_TEST(test_crypto__read_only_token)
{
    side g, h;
    handshake_ok(&g, &h, TOKEN_RO, TOKEN, TOKEN_RO, WN_ROLE_RO);
    check_round_trip(&g, &h, 16, (const uint8_t *)"watching", 8);
    check_round_trip(&h, &g, 16, (const uint8_t *)"welcome", 7);
    side_free(&g);
    side_free(&h);
}
END_TEST

/* The ERROR frame in buf: its code (as a negative WN_E* code) and text. */
static int error_frame(const wf_buf *buf, char *text, size_t size)
{
    uint8_t type;
    wf_buf p;
    wf_buf_init(&p);
    only_frame(buf, &type, &p);
    ck_assert_uint_eq(type, WN_T_ERROR);
    ck_assert_uint_ge(p.len, 2);
    int code = -(int)(p.data[0] << 8 | p.data[1]);
    size_t n = p.len - 2 < size - 1 ? p.len - 2 : size - 1;
    memcpy(text, p.data + 2, n);
    text[n] = '\0';
    wf_buf_free(&p);
    return code;
}

/* A wrong token: the host refuses with an ERROR frame; the guest, fed it, reports the host's
 * words. */
static void check_refused(const char *token, const char *rw, const char *ro)
{
    side g, h;
    guest_init(&g, token, "1.0");
    host_init(&h, rw, ro, "1.0");
    run(&g, &h);
    ck_assert_int_eq(h.rc, WN_EAUTH);
    ck_assert_int_eq(h.hs.role, WN_ROLE_NONE);
    ck_assert_msg(h.msg[0] != '\0', "the host gives no message");
    char text[1024];
    ck_assert_int_eq(error_frame(&h.out, text, sizeof text), WN_EAUTH);
    ck_assert_msg(text[0] != '\0', "the ERROR frame has no text");
    deliver(&h, &g);
    ck_assert_int_eq(g.rc, WN_EAUTH);
    ck_assert_msg(strstr(g.msg, text) != NULL, "guest message '%s' lacks the host's words '%s'",
                  g.msg, text);
    ck_assert_int_eq(g.hs.role, WN_ROLE_NONE);
    side_free(&g);
    side_free(&h);
}

START_TEST(test_crypto__wrong_token)
{
    check_refused(TOKEN_BAD, TOKEN, NULL);
    check_refused(TOKEN_BAD, TOKEN, TOKEN_RO);
    /* one character off */
    check_refused("correct-horse-battery-staplE", TOKEN, TOKEN_RO);
}
END_TEST

START_TEST(test_crypto__no_read_only_token)
{
    /* a host that admits no read-only guests refuses the read-only token */
    check_refused(TOKEN_RO, TOKEN, NULL);
}
END_TEST

/* A greeting payload: "WEFT" · u16 protocol · u8 n · version · nonce[32]. */
static size_t greeting(uint8_t *out, int protocol, const char *version)
{
    size_t vn = strlen(version), k = 0;
    memcpy(out, "WEFT", 4);
    k = 4;
    out[k++] = (uint8_t)(protocol >> 8);
    out[k++] = (uint8_t)protocol;
    out[k++] = (uint8_t)vn;
    memcpy(out + k, version, vn);
    k += vn;
    randombytes_buf(out + k, WN_NONCE_BYTES);
    return k + WN_NONCE_BYTES;
}

START_TEST(test_crypto__version_mismatch_at_host)
{
    /* a guest speaking protocol WN_PROTOCOL + 1 */
    side h, g;
    host_init(&h, TOKEN, NULL, "1.2.3");
    uint8_t hello[128];
    size_t n = greeting(hello, WN_PROTOCOL + 1, "9.8.7-future");
    feed(&h, WN_T_HELLO, hello, n);
    ck_assert_int_eq(h.rc, WN_EVERSION);
    ck_assert_msg(strstr(h.msg, "1.2.3") && strstr(h.msg, "9.8.7-future"),
                  "the host's message does not name both versions: '%s'", h.msg);
    char text[1024];
    ck_assert_int_eq(error_frame(&h.out, text, sizeof text), WN_EVERSION);
    ck_assert_msg(strstr(text, "1.2.3") && strstr(text, "9.8.7-future"),
                  "the ERROR frame does not name both versions: '%s'", text);
    /* a guest fed that ERROR reports the version mismatch in the host's words */
    guest_init(&g, TOKEN, "9.8.7-future");
    wn_handshake_start(&g.hs, &g.out);
    deliver(&h, &g);
    ck_assert_int_eq(g.rc, WN_EVERSION);
    ck_assert_msg(strstr(g.msg, "1.2.3") && strstr(g.msg, "9.8.7-future"), "'%s'", g.msg);
    side_free(&h);
    side_free(&g);

    /* protocol 0 and 0xffff too */
    static const int others[] = {0, 0xffff, WN_PROTOCOL + 256};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        host_init(&h, TOKEN, NULL, "1.2.3");
        n = greeting(hello, others[i], "0.0.1");
        feed(&h, WN_T_HELLO, hello, n);
        ck_assert_int_eq(h.rc, WN_EVERSION);
        ck_assert_msg(strstr(h.msg, "1.2.3") && strstr(h.msg, "0.0.1"), "'%s'", h.msg);
        side_free(&h);
    }
}
END_TEST

/* Protocol 3 carries projects: a weft of protocol 2 (one file per session) is refused both
 * ways, with both protocol numbers in the sentence, and the error is final (no retrying). */
START_TEST(test_crypto__protocol_2_refused)
{
    ck_assert_int_eq(WN_PROTOCOL, 3);
    side h, g;
    host_init(&h, TOKEN, NULL, "0.11");
    uint8_t hello[128];
    size_t n = greeting(hello, 2, "0.10");
    feed(&h, WN_T_HELLO, hello, n);
    ck_assert_int_eq(h.rc, WN_EVERSION);
    ck_assert_msg(strstr(h.msg, "(protocol 3)") && strstr(h.msg, "(protocol 2)"), "'%s'", h.msg);
    char text[1024];
    ck_assert_int_eq(error_frame(&h.out, text, sizeof text), WN_EVERSION);
    ck_assert_msg(strstr(text, "(protocol 2)"), "'%s'", text);
    side_free(&h);
    guest_init(&g, TOKEN, "0.11");
    wn_handshake_start(&g.hs, &g.out);
    n = greeting(hello, 2, "0.10");
    feed(&g, WN_T_CHALLENGE, hello, n);
    ck_assert_int_eq(g.rc, WN_EVERSION);
    ck_assert_msg(strstr(g.msg, "(protocol 3)") && strstr(g.msg, "(protocol 2)"), "'%s'", g.msg);
    ck_assert(wn_error_final(WN_EVERSION));
    side_free(&g);
}
END_TEST

START_TEST(test_crypto__version_mismatch_at_guest)
{
    side g;
    guest_init(&g, TOKEN, "1.2.3");
    wn_handshake_start(&g.hs, &g.out);
    uint8_t chal[128];
    size_t n = greeting(chal, WN_PROTOCOL + 1, "2.0-host");
    feed(&g, WN_T_CHALLENGE, chal, n);
    ck_assert_int_eq(g.rc, WN_EVERSION);
    ck_assert_msg(strstr(g.msg, "1.2.3") && strstr(g.msg, "2.0-host"),
                  "the guest's message does not name both versions: '%s'", g.msg);
    side_free(&g);
}
END_TEST

/* The payload of the guest's HELLO and the host's CHALLENGE of a fresh exchange. */
static void greetings(wf_buf *hello, wf_buf *chal)
{
    side g, h;
    guest_init(&g, TOKEN, "1.0");
    host_init(&h, TOKEN, NULL, "1.0");
    wn_handshake_start(&g.hs, &g.out);
    uint8_t type;
    only_frame(&g.out, &type, hello);
    ck_assert_uint_eq(type, WN_T_HELLO);
    deliver(&g, &h);
    ck_assert_int_eq(h.rc, 0);
    only_frame(&h.out, &type, chal);
    ck_assert_uint_eq(type, WN_T_CHALLENGE);
    side_free(&g);
    side_free(&h);
}

/* Feeds a greeting of p[0..n) (the host gets HELLO, a started guest CHALLENGE); returns
 * the result. */
static int feed_greeting(bool to_host, const uint8_t *p, size_t n)
{
    side x;
    if (to_host) {
        host_init(&x, TOKEN, TOKEN_RO, "1.0");
        feed(&x, WN_T_HELLO, p, n);
    } else {
        guest_init(&x, TOKEN, "1.0");
        wn_handshake_start(&x.hs, &x.out);
        feed(&x, WN_T_CHALLENGE, p, n);
    }
    int rc = x.rc;
    if (rc < 0)
        ck_assert_msg(x.msg[0] != '\0', "no message for %d", rc);
    side_free(&x);
    return rc;
}

START_TEST(test_crypto__malformed_greetings)
{
    wf_buf hello, chal;
    wf_buf_init(&hello);
    wf_buf_init(&chal);
    greetings(&hello, &chal);
    for (int side_ = 0; side_ < 2; side_++) {
        bool to_host = side_ == 0;
        const wf_buf *good = to_host ? &hello : &chal;
        ck_assert_int_eq(feed_greeting(to_host, good->data, good->len), 0);
        uint8_t buf[256];
        memset(buf, 0, sizeof buf);
        memcpy(buf, good->data, good->len);
        /* every length but the right one: cut, or with bytes added */
        for (size_t n = 0; n < good->len + 64; n++) {
            if (n == good->len)
                continue;
            int rc = feed_greeting(to_host, buf, n);
            ck_assert_msg(rc == WN_EPROTO, "%s, greeting of %zu bytes (right: %zu): %d",
                          to_host ? "host" : "guest", n, good->len, rc);
        }
        /* the magic, each byte wrong */
        for (size_t i = 0; i < 4; i++) {
            memcpy(buf, good->data, good->len);
            buf[i] ^= 0x20;
            ck_assert_int_eq(feed_greeting(to_host, buf, good->len), WN_EPROTO);
        }
        /* the version length disagreeing with the size, either way */
        for (int d = -3; d <= 3; d++) {
            if (d == 0)
                continue;
            memcpy(buf, good->data, good->len);
            buf[6] = (uint8_t)(buf[6] + d);
            ck_assert_int_eq(feed_greeting(to_host, buf, good->len), WN_EPROTO);
        }
        /* a version over WN_VERSION_MAX, consistent with the size */
        char longv[WN_VERSION_MAX + 2];
        memset(longv, 'v', sizeof longv - 1);
        longv[sizeof longv - 1] = '\0';
        size_t n = greeting(buf, WN_PROTOCOL, longv);
        ck_assert_int_eq(feed_greeting(to_host, buf, n), WN_EPROTO);
        /* exactly WN_VERSION_MAX is fine */
        longv[WN_VERSION_MAX] = '\0';
        n = greeting(buf, WN_PROTOCOL, longv);
        ck_assert_int_eq(feed_greeting(to_host, buf, n), 0);
    }
    wf_buf_free(&hello);
    wf_buf_free(&chal);
}
END_TEST

/* A host that has seen a HELLO (waiting for AUTH) and a guest that has answered the
 * CHALLENGE (waiting for AUTH_OK), with the AUTH frame the guest sent. */
static void midway(side *g, side *h, const char *token, wf_buf *auth)
{
    guest_init(g, token, "1.0");
    host_init(h, TOKEN, TOKEN_RO, "1.0");
    wn_handshake_start(&g->hs, &g->out);
    deliver(g, h);
    ck_assert_int_eq(h->rc, 0);
    deliver(h, g);
    ck_assert_int_eq(g->rc, 0);
    uint8_t type;
    only_frame(&g->out, &type, auth);
    ck_assert_uint_eq(type, WN_T_AUTH);
    ck_assert_uint_eq(auth->len, SS_HEADER + WN_MAC_BYTES);
}

START_TEST(test_crypto__malformed_auth)
{
    side g, h;
    wf_buf auth;
    wf_buf_init(&auth);
    midway(&g, &h, TOKEN, &auth);
    uint8_t buf[256];
    memset(buf, 0, sizeof buf);
    memcpy(buf, auth.data, auth.len);
    for (size_t n = 0; n < auth.len + 64; n++) {
        if (n == auth.len)
            continue;
        side x = side_copy(&h);
        feed(&x, WN_T_AUTH, buf, n);
        ck_assert_msg(x.rc == WN_EPROTO, "AUTH of %zu bytes: %d", n, x.rc);
        side_free(&x);
    }
    /* the right size, wrong bytes: a wrong token, as far as the host can tell */
    side x = side_copy(&h);
    buf[SS_HEADER + 3] ^= 1;
    feed(&x, WN_T_AUTH, buf, auth.len);
    ck_assert_int_eq(x.rc, WN_EAUTH);
    side_free(&x);
    /* the real one still works */
    feed(&h, WN_T_AUTH, auth.data, auth.len);
    ck_assert_int_eq(h.rc, 1);
    side_free(&g);
    side_free(&h);
    wf_buf_free(&auth);
}
END_TEST

START_TEST(test_crypto__malformed_auth_ok)
{
    side g, h;
    wf_buf auth, ok;
    wf_buf_init(&auth);
    wf_buf_init(&ok);
    midway(&g, &h, TOKEN, &auth);
    wf_buf_reset(&g.out);
    feed(&h, WN_T_AUTH, auth.data, auth.len);
    ck_assert_int_eq(h.rc, 1);
    uint8_t type;
    only_frame(&h.out, &type, &ok);
    ck_assert_uint_eq(type, WN_T_AUTH_OK);
    ck_assert_uint_eq(ok.len, 1 + SS_HEADER + WN_MAC_BYTES);
    uint8_t buf[256];
    memset(buf, 0, sizeof buf);
    memcpy(buf, ok.data, ok.len);
    for (size_t n = 0; n < ok.len + 64; n++) {
        if (n == ok.len)
            continue;
        side x = side_copy(&g);
        feed(&x, WN_T_AUTH_OK, buf, n);
        ck_assert_msg(x.rc == WN_EPROTO, "AUTH_OK of %zu bytes: %d", n, x.rc);
        side_free(&x);
    }
    /* a role that does not exist */
    static const uint8_t bad_roles[] = {WN_ROLE_NONE, 3, 0x81, 0xff};
    for (size_t i = 0; i < sizeof bad_roles; i++) {
        side x = side_copy(&g);
        buf[0] = bad_roles[i];
        feed(&x, WN_T_AUTH_OK, buf, ok.len);
        ck_assert_msg(x.rc == WN_EPROTO, "role %u: %d", bad_roles[i], x.rc);
        side_free(&x);
    }
    /* a valid role, flipped by someone in between: the MAC covers it */
    {
        side x = side_copy(&g);
        memcpy(buf, ok.data, ok.len);
        buf[0] = WN_ROLE_RO;
        feed(&x, WN_T_AUTH_OK, buf, ok.len);
        ck_assert_int_eq(x.rc, WN_EAUTH);
        side_free(&x);
    }
    /* every other byte flipped */
    for (size_t i = 1; i < ok.len; i++) {
        side x = side_copy(&g);
        memcpy(buf, ok.data, ok.len);
        buf[i] ^= 0x04;
        feed(&x, WN_T_AUTH_OK, buf, ok.len);
        ck_assert_msg(x.rc == WN_EAUTH, "AUTH_OK byte %zu changed: %d", i, x.rc);
        side_free(&x);
    }
    feed(&g, WN_T_AUTH_OK, ok.data, ok.len);
    ck_assert_int_eq(g.rc, 1);
    side_free(&g);
    side_free(&h);
    wf_buf_free(&auth);
    wf_buf_free(&ok);
}
END_TEST

/* Frames out of turn: each is WN_EPROTO. */
START_TEST(test_crypto__unexpected_frames)
{
    static const uint8_t junk[64];
    static const uint8_t host_first[] = {WN_T_CHALLENGE, WN_T_AUTH, WN_T_AUTH_OK, WN_T_SEALED,
                                         0, 7, 99, 255};
    for (size_t i = 0; i < sizeof host_first; i++) {
        side h;
        host_init(&h, TOKEN, NULL, "1.0");
        feed(&h, host_first[i], junk, sizeof junk);
        ck_assert_msg(h.rc == WN_EPROTO, "host fed type %u first: %d", host_first[i], h.rc);
        side_free(&h);
    }
    static const uint8_t guest_first[] = {WN_T_HELLO, WN_T_AUTH, WN_T_AUTH_OK, WN_T_SEALED,
                                          0, 7, 99, 255};
    for (size_t i = 0; i < sizeof guest_first; i++) {
        side g;
        guest_init(&g, TOKEN, "1.0");
        wn_handshake_start(&g.hs, &g.out);
        feed(&g, guest_first[i], junk, sizeof junk);
        ck_assert_msg(g.rc == WN_EPROTO, "guest fed type %u first: %d", guest_first[i], g.rc);
        side_free(&g);
    }
    /* a second HELLO, a second CHALLENGE */
    side g, h;
    wf_buf auth, hello;
    wf_buf_init(&auth);
    wf_buf_init(&hello);
    guest_init(&g, TOKEN, "1.0");
    wn_handshake_start(&g.hs, &g.out);
    uint8_t type;
    only_frame(&g.out, &type, &hello);
    side_free(&g);
    midway(&g, &h, TOKEN, &auth);
    feed(&h, WN_T_HELLO, hello.data, hello.len);
    ck_assert_int_eq(h.rc, WN_EPROTO);
    side_free(&g);
    side_free(&h);
    /* anything after the end */
    handshake_ok(&g, &h, TOKEN, TOKEN, NULL, WN_ROLE_RW);
    h.rc = 0;
    feed(&h, WN_T_AUTH, auth.data, auth.len);
    ck_assert_int_eq(h.rc, WN_EPROTO);
    g.rc = 0;
    feed(&g, WN_T_CHALLENGE, hello.data, hello.len);
    ck_assert_int_eq(g.rc, WN_EPROTO);
    side_free(&g);
    side_free(&h);
    wf_buf_free(&auth);
    wf_buf_free(&hello);
}
END_TEST

/* A peer's ERROR frame ends the handshake with its code (when it is one of ours) and its
 * words, control characters replaced. */
START_TEST(test_crypto__error_frames)
{
    static const struct {
        int code;
        const char *text;
        int want;
        const char *want_msg;
    } cases[] = {
        {WN_EAUTH, "go away", WN_EAUTH, "go away"},
        {WN_EDOC, "other doc", WN_EDOC, "other doc"},
        {WN_ETOOBIG, "the session is full", WN_ETOOBIG, "the session is full"},
        {-5, "not one of ours", WN_EREMOTE, "not one of ours"},
        {WN_EPROTO, "bad\x1b[2Jbell\x07", WN_EPROTO, "bad?[2Jbell?"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        for (int to_host = 0; to_host < 2; to_host++) {
            side x;
            if (to_host) {
                host_init(&x, TOKEN, NULL, "1.0");
            } else {
                guest_init(&x, TOKEN, "1.0");
                wn_handshake_start(&x.hs, &x.out);
            }
            wf_buf f;
            wf_buf_init(&f);
            wn_error_frame(&f, cases[i].code, cases[i].text);
            uint8_t type;
            wf_buf p;
            wf_buf_init(&p);
            only_frame(&f, &type, &p);
            ck_assert_uint_eq(type, WN_T_ERROR);
            feed(&x, type, p.data, p.len);
            ck_assert_msg(x.rc == cases[i].want, "case %zu: %d", i, x.rc);
            ck_assert_str_eq(x.msg, cases[i].want_msg);
            wf_buf_free(&f);
            wf_buf_free(&p);
            side_free(&x);
        }
    }
    /* too short to hold a code */
    static const uint8_t one[1] = {0x52};
    side x;
    host_init(&x, TOKEN, NULL, "1.0");
    feed(&x, WN_T_ERROR, one, 0);
    ck_assert_int_eq(x.rc, WN_EREMOTE);
    feed(&x, WN_T_ERROR, one, 1);
    ck_assert_int_eq(x.rc, WN_EREMOTE);
    /* no message buffer */
    ck_assert_int_eq(wn_handshake_feed(&x.hs, WN_T_ERROR, one, 1, &x.out, &x.s, NULL, 0),
                     WN_EREMOTE);
    side_free(&x);
}
END_TEST

/* A peer that has not proved anything yet can still send ERROR: its words reach people (the
 * host's log on a terminal, the guest's status line), so no control character may pass,
 * C1 (U+0080..U+009F, e.g. U+009B CSI) included. */
START_TEST(test_crypto__error_frame_c1)
{
    static const char text[] = "x\xc2\x9b" "2J\xc2\x9d" "0;title\x07y";
    for (int to_host = 0; to_host < 2; to_host++) {
        side x;
        if (to_host) {
            host_init(&x, TOKEN, NULL, "1.0");
        } else {
            guest_init(&x, TOKEN, "1.0");
            wn_handshake_start(&x.hs, &x.out);
        }
        wf_buf f, p;
        wf_buf_init(&f);
        wf_buf_init(&p);
        wn_error_frame(&f, WN_EAUTH, text);
        uint8_t type;
        only_frame(&f, &type, &p);
        feed(&x, type, p.data, p.len);
        ck_assert_int_eq(x.rc, WN_EAUTH);
        const unsigned char *m = (const unsigned char *)x.msg;
        for (size_t i = 0; m[i]; i++)
            ck_assert_msg(m[i] >= 0x20 && m[i] != 0x7f
                              && !(m[i] == 0xc2 && m[i + 1] >= 0x80 && m[i + 1] <= 0x9f),
                          "%s: control character at byte %zu of '%s'", to_host ? "host" : "guest",
                          i, wt_esc(x.msg, strlen(x.msg)));
        ck_assert_uint_eq(m[0], 'x');
        wf_buf_free(&f);
        wf_buf_free(&p);
        side_free(&x);
    }
}
END_TEST

/* --- an impostor host ------------------------------------------------------------------- */

/* AUTH_OK's MAC as crypto.h documents it, computed here from the token alone:
 * T = BLAKE2b(HELLO · CHALLENGE), tk = BLAKE2b(token), K = BLAKE2b_tk("weft-k1" · nonce_g ·
 * nonce_h), mac_h = BLAKE2b_K("weft-host" · T · header_g · role · header_h). */
static void documented_mac_h(const wf_buf *hello, const wf_buf *chal, const char *token,
                             const uint8_t *header_g, uint8_t role, const uint8_t *header_h,
                             uint8_t mac[WN_MAC_BYTES])
{
    uint8_t t[32], tk[32], k[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, hello->data, hello->len);
    crypto_generichash_update(&st, chal->data, chal->len);
    crypto_generichash_final(&st, t, 32);
    crypto_generichash(tk, 32, (const uint8_t *)token, strlen(token), NULL, 0);
    uint8_t m[7 + 2 * WN_NONCE_BYTES];
    memcpy(m, "weft-k1", 7);
    memcpy(m + 7, hello->data + hello->len - WN_NONCE_BYTES, WN_NONCE_BYTES);
    memcpy(m + 7 + WN_NONCE_BYTES, chal->data + chal->len - WN_NONCE_BYTES, WN_NONCE_BYTES);
    crypto_generichash(k, 32, m, sizeof m, tk, 32);
    crypto_generichash_init(&st, k, 32, WN_MAC_BYTES);
    crypto_generichash_update(&st, (const uint8_t *)"weft-host", 9);
    crypto_generichash_update(&st, t, 32);
    crypto_generichash_update(&st, header_g, SS_HEADER);
    crypto_generichash_update(&st, &role, 1);
    crypto_generichash_update(&st, header_h, SS_HEADER);
    crypto_generichash_final(&st, mac, WN_MAC_BYTES);
}

/* A host that knows `token` answers the guest's AUTH with a well-formed AUTH_OK of its own
 * making; returns the guest's result. */
static int answer_as(const char *token, char *msg, size_t size)
{
    side g, imp;
    guest_init(&g, TOKEN, "1.0");
    host_init(&imp, token, NULL, "1.0"); /* only to send a real CHALLENGE */
    wf_buf hello, chal, auth;
    wf_buf_init(&hello);
    wf_buf_init(&chal);
    wf_buf_init(&auth);
    wn_handshake_start(&g.hs, &g.out);
    uint8_t type;
    only_frame(&g.out, &type, &hello);
    deliver(&g, &imp);
    ck_assert_int_eq(imp.rc, 0);
    only_frame(&imp.out, &type, &chal);
    deliver(&imp, &g);
    ck_assert_int_eq(g.rc, 0);
    only_frame(&g.out, &type, &auth);
    ck_assert_uint_eq(type, WN_T_AUTH);

    uint8_t ok[1 + SS_HEADER + WN_MAC_BYTES];
    ok[0] = WN_ROLE_RW;
    randombytes_buf(ok + 1, SS_HEADER);
    documented_mac_h(&hello, &chal, token, auth.data, WN_ROLE_RW, ok + 1, ok + 1 + SS_HEADER);
    feed(&g, WN_T_AUTH_OK, ok, sizeof ok);
    int rc = g.rc;
    snprintf(msg, size, "%s", g.msg);
    wf_buf_free(&hello);
    wf_buf_free(&chal);
    wf_buf_free(&auth);
    side_free(&g);
    side_free(&imp);
    return rc;
}

START_TEST(test_crypto__impostor_host)
{
    char msg[512];
    /* Control: with the right token, the independently computed AUTH_OK is accepted, so the
     * derivation above is the one the code uses. */
    ck_assert_int_eq(answer_as(TOKEN, msg, sizeof msg), 1);
    /* A host with another token cannot prove itself. */
    ck_assert_int_eq(answer_as(TOKEN_BAD, msg, sizeof msg), WN_EAUTH);
    ck_assert_msg(msg[0] != '\0', "no message");
    ck_assert_int_eq(answer_as(TOKEN_RO, msg, sizeof msg), WN_EAUTH);
}
END_TEST

/* A recorded HELLO and AUTH replayed to a new host session fail: the host's fresh nonce
 * changes the keys. */
START_TEST(test_crypto__replayed_guest)
{
    side g, h;
    guest_init(&g, TOKEN, "1.0");
    host_init(&h, TOKEN, NULL, "1.0");
    wf_buf hello, auth;
    wf_buf_init(&hello);
    wf_buf_init(&auth);
    wn_handshake_start(&g.hs, &g.out);
    uint8_t type;
    only_frame(&g.out, &type, &hello);
    deliver(&g, &h);
    deliver(&h, &g);
    only_frame(&g.out, &type, &auth);
    deliver(&g, &h);
    ck_assert_int_eq(h.rc, 1); /* the original succeeded */
    side_free(&h);
    host_init(&h, TOKEN, NULL, "1.0");
    feed(&h, WN_T_HELLO, hello.data, hello.len);
    ck_assert_int_eq(h.rc, 0);
    feed(&h, WN_T_AUTH, auth.data, auth.len);
    ck_assert_int_eq(h.rc, WN_EAUTH);
    side_free(&g);
    side_free(&h);
    wf_buf_free(&hello);
    wf_buf_free(&auth);
}
END_TEST

START_TEST(test_crypto__versions)
{
    /* control characters in a peer's version are shown as '?'; a long version is cut */
    side g, h;
    guest_init(&g, TOKEN, "1.0\x1b[31m");
    char longv[200];
    memset(longv, 'L', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    host_init(&h, TOKEN, NULL, longv);
    run(&g, &h);
    ck_assert_int_eq(h.rc, 1);
    ck_assert_int_eq(g.rc, 1);
    ck_assert_str_eq(h.hs.peer_version, "1.0?[31m");
    ck_assert_uint_eq(strlen(g.hs.peer_version), WN_VERSION_MAX);
    side_free(&g);
    side_free(&h);
    /* NULL versions are allowed */
    guest_init(&g, TOKEN, NULL);
    host_init(&h, TOKEN, NULL, NULL);
    run(&g, &h);
    ck_assert_int_eq(h.rc, 1);
    ck_assert_int_eq(g.rc, 1);
    side_free(&g);
    side_free(&h);
}
END_TEST

START_TEST(test_crypto__wipe)
{
    side g, h;
    handshake_ok(&g, &h, TOKEN, TOKEN, TOKEN_RO, WN_ROLE_RW);
    wn_handshake_wipe(&g.hs);
    wn_handshake_wipe(&h.hs);
    static const wn_handshake zero;
    ck_assert(memcmp(&g.hs, &zero, sizeof zero) == 0);
    ck_assert(memcmp(&h.hs, &zero, sizeof zero) == 0);
    side_free(&g);
    side_free(&h);
}
END_TEST

/* --- sealing ----------------------------------------------------------------------------- */

START_TEST(test_crypto__seal_round_trip)
{
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("crypto seal sizes"));
    side g, h;
    handshake_ok(&g, &h, TOKEN, TOKEN, NULL, WN_ROLE_RW);
    enum { MAXN = 70000 };
    uint8_t *p = malloc(MAXN);
    ck_assert_ptr_nonnull(p);
    for (size_t i = 0; i < MAXN; i++)
        p[i] = (uint8_t)wt_rng_next(&rng);
    static const size_t fixed[] = {0, 1, 2, 15, 16, 17, 63, 64, 65, 255, 256, 4095, 4096,
                                   4097, 65535, 65536, 65537, MAXN};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
        check_round_trip(&g, &h, (uint8_t)(16 + i), p, fixed[i]);
        check_round_trip(&h, &g, (uint8_t)(200 + i), p + (MAXN - fixed[i]), fixed[i]);
    }
    long iters = wt_scaled(300);
    for (long it = 0; it < iters; it++) {
        size_t n = wt_rng_chance(&rng, 1, 2) ? wt_rng_below(&rng, 300)
                                             : wt_rng_below(&rng, MAXN + 1);
        size_t off = wt_rng_below(&rng, (uint32_t)(MAXN - n + 1));
        uint8_t type = (uint8_t)wt_rng_next(&rng);
        if (wt_rng_chance(&rng, 1, 2))
            check_round_trip(&g, &h, type, p + off, n);
        else
            check_round_trip(&h, &g, type, p + off, n);
    }
    free(p);
    side_free(&g);
    side_free(&h);
}
END_TEST

/* An empty message may be sealed from a NULL pointer (as PING, PONG and SAVE are). */
START_TEST(test_crypto__seal_empty_null)
{
    side g, h;
    handshake_ok(&g, &h, TOKEN, TOKEN, NULL, WN_ROLE_RW);
    check_round_trip(&g, &h, 1, NULL, 0);
    check_round_trip(&h, &g, 2, NULL, 0);
    side_free(&g);
    side_free(&h);
}
END_TEST

/* Several sealed frames back to back in one buffer open in order. */
START_TEST(test_crypto__seal_stream)
{
    side g, h;
    handshake_ok(&g, &h, TOKEN, TOKEN, NULL, WN_ROLE_RW);
    wf_buf wire, plain;
    wf_buf_init(&wire);
    wf_buf_init(&plain);
    for (int i = 0; i < 100; i++) {
        char m[32];
        int n = snprintf(m, sizeof m, "message %d", i);
        wn_seal(&g.s, (uint8_t)(16 + i % 100), m, (size_t)n, &wire);
    }
    wn_frame_reader r;
    wn_frame_reader_init(&r, WN_FRAME_MAX);
    wn_frame_reader_feed(&r, wire.data, wire.len);
    for (int i = 0; i < 100; i++) {
        uint8_t ft, mt;
        const uint8_t *p;
        size_t n;
        ck_assert_int_eq(wn_frame_next(&r, &ft, &p, &n), 1);
        ck_assert_uint_eq(ft, WN_T_SEALED);
        ck_assert_int_eq(wn_open(&h.s, p, n, &mt, &plain), 0);
        char m[32];
        int mn = snprintf(m, sizeof m, "message %d", i);
        ck_assert_uint_eq(mt, 16 + i % 100);
        ck_assert_uint_eq(plain.len, (size_t)mn);
        ck_assert(memcmp(plain.data, m, (size_t)mn) == 0);
    }
    wn_frame_reader_free(&r);
    wf_buf_free(&wire);
    wf_buf_free(&plain);
    side_free(&g);
    side_free(&h);
}
END_TEST

/* Seals one message on `from` and returns the frame's payload (the ciphertext) in ct. */
static void seal_ct(side *from, uint8_t type, const void *p, size_t n, wf_buf *ct)
{
    wf_buf frame;
    wf_buf_init(&frame);
    wn_seal(&from->s, type, p, n, &frame);
    uint8_t ft;
    only_frame(&frame, &ft, ct);
    ck_assert_uint_eq(ft, WN_T_SEALED);
    wf_buf_free(&frame);
}

/* wn_open on a copy of s (so that the real receiving state is untouched). */
static int open_copy(const wn_session *s, const uint8_t *ct, size_t n)
{
    wn_session copy = *s;
    wf_buf plain;
    wf_buf_init(&plain);
    uint8_t type;
    int rc = wn_open(&copy, ct, n, &type, &plain);
    wf_buf_free(&plain);
    return rc;
}

static int open_real(wn_session *s, const wf_buf *ct, uint8_t want_type, const char *want)
{
    wf_buf plain;
    wf_buf_init(&plain);
    uint8_t type;
    int rc = wn_open(s, ct->data, ct->len, &type, &plain);
    if (rc == 0) {
        ck_assert_uint_eq(type, want_type);
        ck_assert_uint_eq(plain.len, strlen(want));
        ck_assert(memcmp(plain.data, want, plain.len) == 0);
    }
    wf_buf_free(&plain);
    return rc;
}

START_TEST(test_crypto__tamper_any_byte)
{
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("crypto tamper"));
    side g, h;
    handshake_ok(&g, &h, TOKEN, TOKEN, NULL, WN_ROLE_RW);
    static const char *msgs[] = {"", "x", "move the cursor to line 42, column 7, please"};
    for (size_t m = 0; m < 3; m++) {
        wf_buf ct;
        wf_buf_init(&ct);
        seal_ct(&g, 19, msgs[m], strlen(msgs[m]), &ct);
        for (size_t i = 0; i < ct.len; i++) {
            for (int bit = 0; bit < 8; bit++) {
                ct.data[i] ^= (uint8_t)(1u << bit);
                ck_assert_msg(open_copy(&h.s, ct.data, ct.len) == WN_EAUTH,
                              "message %zu, byte %zu bit %d flipped: opened", m, i, bit);
                ct.data[i] ^= (uint8_t)(1u << bit);
            }
            uint8_t x = (uint8_t)(1 + wt_rng_below(&rng, 255));
            ct.data[i] ^= x;
            ck_assert_int_eq(open_copy(&h.s, ct.data, ct.len), WN_EAUTH);
            ct.data[i] ^= x;
        }
        ck_assert_int_eq(open_real(&h.s, &ct, 19, msgs[m]), 0);
        wf_buf_free(&ct);
    }
    side_free(&g);
    side_free(&h);
}
END_TEST

START_TEST(test_crypto__replay_reorder_truncate)
{
    side g, h;
    handshake_ok(&g, &h, TOKEN, TOKEN, NULL, WN_ROLE_RW);
    wf_buf c1, c2, c3;
    wf_buf_init(&c1);
    wf_buf_init(&c2);
    wf_buf_init(&c3);
    seal_ct(&g, 19, "first", 5, &c1);
    seal_ct(&g, 19, "second", 6, &c2);
    seal_ct(&g, 20, "third", 5, &c3);
    /* reordered: the second before the first */
    ck_assert_int_eq(open_copy(&h.s, c2.data, c2.len), WN_EAUTH);
    ck_assert_int_eq(open_copy(&h.s, c3.data, c3.len), WN_EAUTH);
    /* truncated at every length, and extended */
    for (size_t n = 0; n < c1.len; n++)
        ck_assert_msg(open_copy(&h.s, c1.data, n) == WN_EAUTH, "cut to %zu of %zu opened", n,
                      c1.len);
    wf_buf longer;
    wf_buf_init(&longer);
    wf_buf_put(&longer, c1.data, c1.len);
    wf_buf_put_u8(&longer, 0);
    ck_assert_int_eq(open_copy(&h.s, longer.data, longer.len), WN_EAUTH);
    wf_buf_free(&longer);
    /* in order */
    ck_assert_int_eq(open_real(&h.s, &c1, 19, "first"), 0);
    /* replayed */
    ck_assert_int_eq(open_copy(&h.s, c1.data, c1.len), WN_EAUTH);
    ck_assert_int_eq(open_real(&h.s, &c2, 19, "second"), 0);
    ck_assert_int_eq(open_copy(&h.s, c1.data, c1.len), WN_EAUTH);
    ck_assert_int_eq(open_copy(&h.s, c2.data, c2.len), WN_EAUTH);
    /* one skipped (dropped on the way): the next does not open */
    wf_buf c4;
    wf_buf_init(&c4);
    seal_ct(&g, 21, "fourth", 6, &c4);
    ck_assert_int_eq(open_copy(&h.s, c4.data, c4.len), WN_EAUTH);
    ck_assert_int_eq(open_real(&h.s, &c3, 20, "third"), 0);
    ck_assert_int_eq(open_real(&h.s, &c4, 21, "fourth"), 0);
    wf_buf_free(&c1);
    wf_buf_free(&c2);
    wf_buf_free(&c3);
    wf_buf_free(&c4);
    side_free(&g);
    side_free(&h);
}
END_TEST

START_TEST(test_crypto__other_session_keys)
{
    side g1, h1, g2, h2;
    handshake_ok(&g1, &h1, TOKEN, TOKEN, NULL, WN_ROLE_RW);
    handshake_ok(&g2, &h2, TOKEN, TOKEN, NULL, WN_ROLE_RW); /* the same token */
    /* fresh nonces: the two handshakes derived different keys */
    ck_assert(memcmp(g1.hs.nonce_g, g2.hs.nonce_g, WN_NONCE_BYTES) != 0);
    ck_assert(memcmp(h1.hs.nonce_h, h2.hs.nonce_h, WN_NONCE_BYTES) != 0);
    ck_assert(memcmp(g1.hs.k, g2.hs.k, WN_KEY_BYTES) != 0);
    ck_assert(memcmp(g1.hs.k, h1.hs.k, WN_KEY_BYTES) == 0);
    wf_buf a, b;
    wf_buf_init(&a);
    wf_buf_init(&b);
    seal_ct(&g1, 19, "same words", 10, &a);
    seal_ct(&g2, 19, "same words", 10, &b);
    ck_assert_uint_eq(a.len, b.len);
    ck_assert(memcmp(a.data, b.data, a.len) != 0);
    /* a frame sealed under another session's keys */
    ck_assert_int_eq(open_copy(&h2.s, a.data, a.len), WN_EAUTH);
    ck_assert_int_eq(open_copy(&h1.s, b.data, b.len), WN_EAUTH);
    /* reflected back to its sender */
    ck_assert_int_eq(open_copy(&g1.s, a.data, a.len), WN_EAUTH);
    /* host to guest under the other session */
    wf_buf c;
    wf_buf_init(&c);
    seal_ct(&h1, 20, "to the guest", 12, &c);
    ck_assert_int_eq(open_copy(&g2.s, c.data, c.len), WN_EAUTH);
    ck_assert_int_eq(open_copy(&h1.s, c.data, c.len), WN_EAUTH);
    ck_assert_int_eq(open_real(&g1.s, &c, 20, "to the guest"), 0);
    ck_assert_int_eq(open_real(&h1.s, &a, 19, "same words"), 0);
    ck_assert_int_eq(open_real(&h2.s, &b, 19, "same words"), 0);
    wf_buf_free(&a);
    wf_buf_free(&b);
    wf_buf_free(&c);
    side_free(&g1);
    side_free(&h1);
    side_free(&g2);
    side_free(&h2);
}
END_TEST

static void setup(void)
{
    ck_assert_int_eq(wn_crypto_init(), 0);
}

static Suite *crypto_suite(void)
{
    Suite *s = suite_create("net_crypto");
    TCase *tc = tcase_create("handshake");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_crypto__right_token);
    tcase_add_test(tc, test_crypto__read_only_token);
    tcase_add_test(tc, test_crypto__wrong_token);
    tcase_add_test(tc, test_crypto__no_read_only_token);
    tcase_add_test(tc, test_crypto__version_mismatch_at_host);
    tcase_add_test(tc, test_crypto__version_mismatch_at_guest);
    tcase_add_test(tc, test_crypto__protocol_2_refused);
    tcase_add_test(tc, test_crypto__versions);
    tcase_add_test(tc, test_crypto__wipe);
    suite_add_tcase(s, tc);

    tc = tcase_create("malformed");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_crypto__malformed_greetings);
    tcase_add_test(tc, test_crypto__malformed_auth);
    tcase_add_test(tc, test_crypto__malformed_auth_ok);
    tcase_add_test(tc, test_crypto__unexpected_frames);
    tcase_add_test(tc, test_crypto__error_frames);
    tcase_add_test(tc, test_crypto__error_frame_c1);
    suite_add_tcase(s, tc);

    tc = tcase_create("attacks");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_crypto__impostor_host);
    tcase_add_test(tc, test_crypto__replayed_guest);
    suite_add_tcase(s, tc);

    tc = tcase_create("sealing");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_crypto__seal_round_trip);
    tcase_add_test(tc, test_crypto__seal_empty_null);
    tcase_add_test(tc, test_crypto__seal_stream);
    tcase_add_test(tc, test_crypto__tamper_any_byte);
    tcase_add_test(tc, test_crypto__replay_reorder_truncate);
    tcase_add_test(tc, test_crypto__other_session_keys);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(crypto_suite());
}
