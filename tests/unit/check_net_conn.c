/* net/conn: two connections in one libuv loop over socket pairs (and once over loopback
 * TCP): the handshake and roles; messages of 0 bytes to 40 MiB arriving whole (past
 * WN_FRAME_MAX they travel as chunks); order over many messages both ways; the reasons of
 * wn_conn_fail() and wn_conn_close() at the other end; garbage written behind a
 * connection's back; frames tampered with, replayed, dropped or swapped by a relay in the
 * middle; a wrong token; peers that say nothing (dropped after WN_HANDSHAKE_MS: those tests
 * take about 5 s) and keepalives on an idle connection (about 6 s).
 *
 * Every wait runs the loop until a condition holds, with a deadline (tests/common/nettest.h).
 * Each test ends by closing everything and checking that the loop holds no handle. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "net/conn.h"
#include "net/crypto.h"
#include "net/frame.h"
#include "tests/common/nettest.h"
#include "tests/common/testutil.h"

#define TOKEN "correct-horse-battery-staple"
#define TOKEN_RO "read-only-token-for-watchers"
#define TOKEN_BAD "wrong-token-wrong-token-wrong"
#define MIB ((size_t)1 << 20)

/* --- one end of a connection ---------------------------------------------------------- */

typedef struct msg {
    uint8_t type;
    uint8_t *data; /* owned; NULL when n == 0 */
    size_t n;
} msg;

typedef struct end end;

/* Checks a message as it arrives instead of keeping a copy (for the big ones). */
typedef void (*end_check)(end *e, uint8_t type, const uint8_t *p, size_t n);

struct end {
    const char *name;
    uv_loop_t *loop;
    wn_conn *c;           /* NULL once closed */
    bool ready;
    int role;
    char peer_version[WN_VERSION_MAX + 1];
    int nclosed;          /* closed events seen (must stay <= 1) */
    int err;              /* from the closed event */
    char why[256];
    uint64_t created_at, closed_at; /* uv_now() */
    size_t nready_msgs;   /* messages that arrived before the closed event */
    msg *msgs;            /* kept messages */
    size_t nmsgs, cap;
    end_check check;      /* if set, messages are checked here and not kept */
    size_t nchecked;
    uint64_t key;         /* for check */
};

static void on_ready(wn_conn *c)
{
    end *e = wn_conn_data(c);
    ck_assert_msg(!e->ready, "%s: ready twice", e->name);
    ck_assert_msg(wn_conn_is_ready(c), "%s: ready event, but not ready", e->name);
    e->ready = true;
    e->role = wn_conn_role(c);
    snprintf(e->peer_version, sizeof e->peer_version, "%s", wn_conn_peer_version(c));
}

static void on_message(wn_conn *c, uint8_t type, const uint8_t *p, size_t n)
{
    end *e = wn_conn_data(c);
    ck_assert_msg(e->nclosed == 0, "%s: a message after the closed event", e->name);
    ck_assert_msg(type >= 16 && type <= 127, "%s: message type %u", e->name, type);
    if (e->check) {
        e->check(e, type, p, n);
        e->nchecked++;
        return;
    }
    if (e->nmsgs == e->cap) {
        e->cap = e->cap ? 2 * e->cap : 64;
        e->msgs = realloc(e->msgs, e->cap * sizeof *e->msgs);
        ck_assert_ptr_nonnull(e->msgs);
    }
    msg *m = &e->msgs[e->nmsgs++];
    m->type = type;
    m->n = n;
    m->data = n ? malloc(n) : NULL;
    if (n)
        memcpy(m->data, p, n);
}

static void on_closed(wn_conn *c, int err, const char *why)
{
    end *e = wn_conn_data(c);
    e->nclosed++;
    ck_assert_msg(e->nclosed == 1, "%s: closed twice", e->name);
    e->err = err;
    snprintf(e->why, sizeof e->why, "%s", why ? why : "(null)");
    e->closed_at = uv_now(e->loop);
    e->c = NULL;
    if (wt_verbose())
        fprintf(stderr, "%s closed: %d %s\n", e->name, err, e->why);
}

static const wn_conn_events events = {.ready = on_ready, .message = on_message,
                                      .closed = on_closed};

static void end_init(end *e, const char *name, uv_loop_t *loop)
{
    memset(e, 0, sizeof *e);
    e->name = name;
    e->loop = loop;
}

static void end_free(end *e)
{
    for (size_t i = 0; i < e->nmsgs; i++)
        free(e->msgs[i].data);
    free(e->msgs);
}

/* Wraps stream in a guest (token) or host (TOKEN read-write, TOKEN_RO read-only) conn. */
static void end_start(end *e, uv_stream_t *s, bool host, const char *token)
{
    wn_handshake hs;
    if (host)
        wn_handshake_host(&hs, TOKEN, TOKEN_RO, "host-1.0");
    else
        wn_handshake_guest(&hs, token, "guest-1.0");
    e->created_at = uv_now(e->loop);
    e->c = wn_conn_new(e->loop, s, s, &hs, &events, e);
    wn_handshake_wipe(&hs);
    ck_assert_ptr_nonnull(e->c);
}

/* --- a pair of connected ends ---------------------------------------------------------- */

typedef struct pair {
    uv_loop_t loop;
    end g, h;   /* guest and host */
    int raw[2]; /* duplicates of the guest's [0] and the host's [1] socket descriptors */
} pair;

static void pair_open(pair *p, const char *guest_token)
{
    ck_assert_int_eq(uv_loop_init(&p->loop), 0);
    end_init(&p->g, "guest", &p->loop);
    end_init(&p->h, "host", &p->loop);
    uv_pipe_t *pp[2];
    wt_pipe_pair(&p->loop, pp, p->raw);
    end_start(&p->h, (uv_stream_t *)pp[1], true, NULL);
    end_start(&p->g, (uv_stream_t *)pp[0], false, guest_token);
}

static bool both_ready(void *arg)
{
    pair *p = arg;
    return p->g.ready && p->h.ready;
}

static bool both_closed(void *arg)
{
    pair *p = arg;
    return p->g.nclosed && p->h.nclosed;
}

static void pair_ready(pair *p, const char *guest_token)
{
    pair_open(p, guest_token);
    wt_wait(&p->loop, both_ready, p, 3000, "both ends ready");
}

/* Closes what is still open, waits for both closed events, checks no handle is left. */
static void pair_close(pair *p)
{
    if (p->g.c)
        wn_conn_close(p->g.c);
    if (p->h.c)
        wn_conn_close(p->h.c);
    wt_wait(&p->loop, both_closed, p, 3000, "both ends closed");
    close(p->raw[0]);
    close(p->raw[1]);
    wt_loop_finish(&p->loop, 3000);
    ck_assert_int_eq(p->g.nclosed, 1);
    ck_assert_int_eq(p->h.nclosed, 1);
    end_free(&p->g);
    end_free(&p->h);
}

/* --- the handshake --------------------------------------------------------------------- */

START_TEST(test_conn__handshake)
{
    static pair p;
    pair_ready(&p, TOKEN);
    ck_assert_int_eq(p.g.role, WN_ROLE_RW);
    ck_assert_int_eq(p.h.role, WN_ROLE_RW);
    ck_assert_str_eq(p.g.peer_version, "host-1.0");
    ck_assert_str_eq(p.h.peer_version, "guest-1.0");
    ck_assert_str_eq(wn_conn_peer(p.g.c), ""); /* not TCP */
    ck_assert_uint_eq(wn_conn_queued(p.g.c), 0);
    int tag = 7;
    wn_conn_set_data(p.g.c, &tag);
    ck_assert_ptr_eq(wn_conn_data(p.g.c), &tag);
    wn_conn_set_data(p.g.c, &p.g);
    /* a clean close: err 0 here, WN_ECLOSED there */
    wn_conn_close(p.g.c);
    wn_conn_close(p.g.c); /* twice is harmless */
    wt_wait(&p.loop, both_closed, &p, 3000, "both closed");
    ck_assert_int_eq(p.g.err, 0);
    ck_assert_int_eq(p.h.err, WN_ECLOSED);
    ck_assert_msg(p.h.why[0] != '\0', "no reason given");
    pair_close(&p);
}
END_TEST

START_TEST(test_conn__read_only)
{
    static pair p;
    pair_ready(&p, TOKEN_RO);
    ck_assert_int_eq(p.g.role, WN_ROLE_RO);
    ck_assert_int_eq(p.h.role, WN_ROLE_RO);
    wn_conn_send(p.g.c, 16, "hi", 2);
    pair_close(&p);
}
END_TEST

/* Over loopback TCP: the peers' addresses are known. */
typedef struct tcp_case {
    uv_loop_t loop;
    uv_tcp_t listener;
    uv_tcp_t *client;
    uv_connect_t req;
    end g, h;
    char client_addr[64];
    int port;
} tcp_case;

static void on_tcp_connection(uv_stream_t *server, int status)
{
    tcp_case *t = server->data;
    ck_assert_int_eq(status, 0);
    uv_tcp_t *s = malloc(sizeof *s);
    ck_assert_ptr_nonnull(s);
    uv_tcp_init(&t->loop, s);
    ck_assert_int_eq(uv_accept(server, (uv_stream_t *)s), 0);
    end_start(&t->h, (uv_stream_t *)s, true, NULL);
}

static void on_tcp_connected(uv_connect_t *req, int status)
{
    tcp_case *t = req->data;
    ck_assert_int_eq(status, 0);
    struct sockaddr_in a;
    int len = sizeof a;
    ck_assert_int_eq(uv_tcp_getsockname(t->client, (struct sockaddr *)&a, &len), 0);
    snprintf(t->client_addr, sizeof t->client_addr, "127.0.0.1:%d", ntohs(a.sin_port));
    end_start(&t->g, (uv_stream_t *)t->client, false, TOKEN);
}

static bool tcp_ready(void *arg)
{
    tcp_case *t = arg;
    return t->g.ready && t->h.ready;
}

static bool tcp_closed(void *arg)
{
    tcp_case *t = arg;
    return t->g.nclosed && t->h.nclosed;
}

START_TEST(test_conn__tcp)
{
    static tcp_case t;
    ck_assert_int_eq(uv_loop_init(&t.loop), 0);
    end_init(&t.g, "guest", &t.loop);
    end_init(&t.h, "host", &t.loop);
    uv_tcp_init(&t.loop, &t.listener);
    t.listener.data = &t;
    struct sockaddr_in addr;
    uv_ip4_addr("127.0.0.1", 0, &addr);
    ck_assert_int_eq(uv_tcp_bind(&t.listener, (struct sockaddr *)&addr, 0), 0);
    ck_assert_int_eq(uv_listen((uv_stream_t *)&t.listener, 8, on_tcp_connection), 0);
    int len = sizeof addr;
    uv_tcp_getsockname(&t.listener, (struct sockaddr *)&addr, &len);
    t.port = ntohs(addr.sin_port);
    t.client = malloc(sizeof *t.client);
    uv_tcp_init(&t.loop, t.client);
    t.req.data = &t;
    ck_assert_int_eq(uv_tcp_connect(&t.req, t.client, (struct sockaddr *)&addr,
                                    on_tcp_connected), 0);
    wt_wait(&t.loop, tcp_ready, &t, 3000, "both ends ready over TCP");
    char want[64];
    snprintf(want, sizeof want, "127.0.0.1:%d", t.port);
    ck_assert_str_eq(wn_conn_peer(t.g.c), want);
    ck_assert_str_eq(wn_conn_peer(t.h.c), t.client_addr);
    wn_conn_send(t.g.c, 20, "over tcp", 8);
    wn_conn_send(t.h.c, 21, "and back", 8);
    wn_conn_close(t.g.c);
    wt_wait(&t.loop, tcp_closed, &t, 3000, "both closed");
    ck_assert_uint_eq(t.h.nmsgs, 1);
    ck_assert_uint_eq(t.h.msgs[0].n, 8);
    ck_assert(memcmp(t.h.msgs[0].data, "over tcp", 8) == 0);
    ck_assert_int_eq(t.g.err, 0);
    ck_assert_int_eq(t.h.err, WN_ECLOSED);
    uv_close((uv_handle_t *)&t.listener, NULL);
    wt_loop_finish(&t.loop, 3000);
    end_free(&t.g);
    end_free(&t.h);
}
END_TEST

/* --- messages --------------------------------------------------------------------------- */

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* The content of message i: a stream of words derived from (key, i). */
static void fill(uint8_t *p, size_t n, uint64_t key, size_t i)
{
    uint64_t base = mix(key ^ (i * 0x9e3779b97f4a7c15u));
    size_t j = 0;
    for (; j + 8 <= n; j += 8) {
        uint64_t w = mix(base + j);
        memcpy(p + j, &w, 8);
    }
    if (j < n) {
        uint64_t w = mix(base + j);
        memcpy(p + j, &w, n - j);
    }
}

static const size_t sizes[] = {
    0, 1, 2, 100, 4096, 65535, 65536, 65537, MIB,
    WN_FRAME_MAX - 100, WN_FRAME_MAX - 64, WN_FRAME_MAX - 63, WN_FRAME_MAX, WN_FRAME_MAX + 1,
    2 * (size_t)WN_FRAME_MAX, 40 * MIB, 3,
};
#define NSIZES (sizeof sizes / sizeof *sizes)

/* Checks that message number e->nchecked is sizes[...] bytes of fill(). */
static void check_sized(end *e, uint8_t type, const uint8_t *p, size_t n)
{
    size_t i = e->nchecked;
    ck_assert_msg(i < NSIZES, "%s: an extra message", e->name);
    ck_assert_msg(type == 16 + i % 100, "%s: message %zu has type %u", e->name, i, type);
    ck_assert_msg(n == sizes[i], "%s: message %zu has %zu bytes, sent %zu", e->name, i, n,
                  sizes[i]);
    uint8_t *want = n ? malloc(n) : NULL;
    fill(want, n, e->key, i);
    for (size_t j = 0; j < n; j++)
        if (p[j] != want[j])
            ck_abort_msg("%s: message %zu (%zu bytes) differs at byte %zu", e->name, i, n, j);
    free(want);
}

static bool all_sizes_arrived(void *arg)
{
    pair *p = arg;
    return (p->h.nchecked == NSIZES && p->g.nchecked == NSIZES) || p->h.nclosed || p->g.nclosed;
}

START_TEST(test_conn__message_sizes)
{
    static pair p;
    pair_ready(&p, TOKEN);
    uint64_t key = wt_seed("conn message sizes");
    p.h.check = p.g.check = check_sized;
    p.h.key = key;
    p.g.key = ~key;
    for (size_t i = 0; i < NSIZES; i++) {
        for (int dir = 0; dir < 2; dir++) {
            size_t n = sizes[i];
            uint8_t *buf = malloc(n ? n : 1); /* (NULL for 0 bytes: test_conn__empty) */
            fill(buf, n, dir ? ~key : key, i);
            wn_conn_send(dir ? p.h.c : p.g.c, (uint8_t)(16 + i % 100), buf, n);
            free(buf); /* the connection keeps its own copy */
        }
    }
    ck_assert_uint_gt(wn_conn_queued(p.g.c), 0);
    wt_wait(&p.loop, all_sizes_arrived, &p, 20000, "every message, both ways");
    ck_assert_msg(!p.h.nclosed && !p.g.nclosed, "closed: host %d '%s', guest %d '%s'",
                  p.h.err, p.h.why, p.g.err, p.g.why);
    pair_close(&p);
}
END_TEST

/* Empty messages, given as NULL (as SAVE and RESYNC are sent) or as a pointer. */
static bool four_each(void *arg)
{
    pair *p = arg;
    return (p->h.nmsgs == 4 && p->g.nmsgs == 4) || p->h.nclosed || p->g.nclosed;
}

START_TEST(test_conn__empty)
{
    static pair p;
    pair_ready(&p, TOKEN);
    for (int i = 0; i < 2; i++) {
        wn_conn_send(p.g.c, (uint8_t)(22 + i), NULL, 0);
        wn_conn_send(p.g.c, (uint8_t)(24 + i), "", 0);
        wn_conn_send(p.h.c, (uint8_t)(22 + i), NULL, 0);
        wn_conn_send(p.h.c, (uint8_t)(24 + i), "", 0);
    }
    wt_wait(&p.loop, four_each, &p, 3000, "four empty messages each way");
    for (int e = 0; e < 2; e++) {
        end *to = e ? &p.g : &p.h;
        ck_assert_uint_eq(to->nmsgs, 4);
        static const uint8_t want[] = {22, 24, 23, 25};
        for (int i = 0; i < 4; i++) {
            ck_assert_uint_eq(to->msgs[i].type, want[i]);
            ck_assert_uint_eq(to->msgs[i].n, 0);
        }
    }
    pair_close(&p);
}
END_TEST

/* The sequence number a message carries in its first 4 bytes. */
static uint32_t seq_of(const msg *m)
{
    uint32_t s;
    ck_assert_uint_ge(m->n, 4);
    memcpy(&s, m->data, 4);
    return s;
}

typedef struct order_case {
    pair *p;
    size_t want;
} order_case;

static bool order_done(void *arg)
{
    order_case *o = arg;
    return (o->p->h.nmsgs == o->want && o->p->g.nmsgs == o->want) || o->p->h.nclosed
           || o->p->g.nclosed;
}

START_TEST(test_conn__order)
{
    static pair p;
    pair_ready(&p, TOKEN);
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("conn order"));
    enum { N = 4000 };
    uint8_t types[2][N];
    uint32_t lens[2][N];
    /* in bursts, with the loop turning between them, so that writes and reads interleave */
    for (size_t i = 0; i < N;) {
        size_t burst = 1 + wt_rng_below(&rng, 200);
        for (; burst > 0 && i < N; burst--, i++) {
            for (int dir = 0; dir < 2; dir++) {
                uint8_t buf[4 + 300];
                uint32_t n = 4 + wt_rng_below(&rng, 300);
                if (wt_rng_chance(&rng, 1, 100))
                    n = 4; /* a header only */
                uint32_t seq = (uint32_t)i;
                memcpy(buf, &seq, 4);
                for (uint32_t k = 4; k < n; k++)
                    buf[k] = (uint8_t)(seq + k);
                types[dir][i] = (uint8_t)(16 + wt_rng_below(&rng, 112));
                lens[dir][i] = n;
                wn_conn_send(dir ? p.h.c : p.g.c, types[dir][i], buf, n);
            }
        }
        uv_run(&p.loop, UV_RUN_NOWAIT);
    }
    order_case o = {&p, N};
    wt_wait(&p.loop, order_done, &o, 10000, "every message, both ways");
    for (int dir = 0; dir < 2; dir++) {
        end *to = dir ? &p.g : &p.h;
        ck_assert_msg(to->nmsgs == N, "%s got %zu of %d (closed: %d %s)", to->name, to->nmsgs,
                      N, to->err, to->why);
        for (size_t i = 0; i < N; i++) {
            const msg *m = &to->msgs[i];
            ck_assert_msg(seq_of(m) == i, "%s: message %zu carries seq %u", to->name, i,
                          seq_of(m));
            ck_assert_uint_eq(m->type, types[dir][i]);
            ck_assert_uint_eq(m->n, lens[dir][i]);
            for (size_t k = 4; k < m->n; k++)
                ck_assert_uint_eq(m->data[k], (uint8_t)(i + k));
        }
    }
    pair_close(&p);
}
END_TEST

/* Sending before the handshake is done, and after closing, does nothing. */
START_TEST(test_conn__send_outside_ready)
{
    static pair p;
    pair_open(&p, TOKEN);
    wn_conn_send(p.g.c, 16, "too early", 9);
    wn_conn_send(p.h.c, 16, "too early", 9);
    wt_wait(&p.loop, both_ready, &p, 3000, "both ends ready");
    wn_conn_send(p.g.c, 17, "on time", 7);
    wn_conn_fail(p.g.c, WN_EPROTO, "leaving");
    wn_conn_send(p.g.c, 18, "too late", 8); /* closing: ignored */
    wt_wait(&p.loop, both_closed, &p, 3000, "both closed");
    ck_assert_uint_eq(p.h.nmsgs, 1);
    ck_assert_uint_eq(p.h.msgs[0].type, 17);
    ck_assert_uint_eq(p.g.nmsgs, 0);
    pair_close(&p);
}
END_TEST

/* --- reasons ---------------------------------------------------------------------------- */

/* wn_conn_fail() on one side: the other gets a closed event with the same code and words,
 * after every message sent before it. */
static void check_fail(bool host_fails, int err, const char *why, int want_peer_err)
{
    static pair p;
    memset(&p, 0, sizeof p);
    pair_ready(&p, TOKEN);
    end *me = host_fails ? &p.h : &p.g, *peer = host_fails ? &p.g : &p.h;
    wn_conn_send(me->c, 30, "last words", 10);
    wn_conn_fail(me->c, err, why);
    wn_conn_fail(me->c, WN_EPROTO, "a second failure changes nothing");
    wt_wait(&p.loop, both_closed, &p, 3000, "both closed");
    ck_assert_int_eq(me->err, err);
    ck_assert_str_eq(me->why, why);
    ck_assert_msg(peer->err == want_peer_err, "%s got %d, want %d", peer->name, peer->err,
                  want_peer_err);
    ck_assert_str_eq(peer->why, why);
    ck_assert_uint_eq(peer->nmsgs, 1);
    ck_assert(memcmp(peer->msgs[0].data, "last words", 10) == 0);
    pair_close(&p);
}

START_TEST(test_conn__fail_reason)
{
    check_fail(false, WN_EDOC, "this is another document: your copy is kept", WN_EDOC);
    check_fail(true, WN_ESLOW, "you could not keep up with the session", WN_ESLOW);
    check_fail(true, WN_EAUTH, "too many failed attempts", WN_EAUTH);
    /* a code that is not one of ours reaches the peer as WN_EREMOTE, with the words */
    check_fail(true, UV_ECONNRESET, "the host's disk is full", WN_EREMOTE);
}
END_TEST

/* A peer's words in a BYE are made harmless: no control character, valid UTF-8. */
START_TEST(test_conn__fail_reason_sanitised)
{
    static pair p;
    memset(&p, 0, sizeof p);
    pair_ready(&p, TOKEN);
    wn_conn_fail(p.g.c, WN_EPROTO, "bye \033]0;title\007 \302\233" "1m \377 end");
    wt_wait(&p.loop, both_closed, &p, 3000, "both closed");
    ck_assert_int_eq(p.h.err, WN_EPROTO);
    for (const unsigned char *c = (const unsigned char *)p.h.why; *c; c++) {
        ck_assert_msg(*c >= 0x20 && *c != 0x7f, "control byte %#x in '%s'", *c, p.h.why);
        ck_assert_msg(!(c[0] == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f), "C1 control in '%s'",
                      p.h.why);
        ck_assert_msg(*c != 0xff, "invalid UTF-8 in '%s'", p.h.why);
    }
    ck_assert_msg(strstr(p.h.why, "bye") && strstr(p.h.why, "end"), "words lost: '%s'",
                  p.h.why);
    pair_close(&p);
}
END_TEST

/* wn_conn_limit_messages(): a larger message, whole or in chunks, ends the connection
 * (WN_ETOOBIG) before it is delivered; smaller ones still arrive. */
START_TEST(test_conn__message_limit)
{
    static pair p;
    for (int chunked = 0; chunked < 2; chunked++) {
        memset(&p, 0, sizeof p);
        pair_ready(&p, TOKEN);
        wn_conn_limit_messages(p.h.c, 1000);
        size_t big = chunked ? 40 * MIB : 1001; /* 40 MiB goes in chunks */
        uint8_t *data = calloc(1, big);
        ck_assert_ptr_nonnull(data);
        wn_conn_send(p.g.c, 20, data, 1000);
        wn_conn_send(p.g.c, 21, data, big);
        free(data);
        wt_wait(&p.loop, both_closed, &p, 10000, "both closed");
        ck_assert_int_eq(p.h.err, WN_ETOOBIG);
        ck_assert_uint_eq(p.h.nmsgs, 1);
        ck_assert_uint_eq(p.h.msgs[0].type, 20);
        pair_close(&p);
    }
}
END_TEST

START_TEST(test_conn__fail_before_ready)
{
    /* during the handshake there are no sealed words yet: the peer sees the end */
    static pair p;
    pair_open(&p, TOKEN);
    wn_conn_fail(p.h.c, WN_ETOOBIG, "the session is full");
    wt_wait(&p.loop, both_closed, &p, 3000, "both closed");
    ck_assert_int_eq(p.h.err, WN_ETOOBIG);
    ck_assert_str_eq(p.h.why, "the session is full");
    ck_assert_msg(p.g.err < 0, "guest closed with %d", p.g.err);
    ck_assert(!p.g.ready);
    pair_close(&p);
}
END_TEST

/* --- garbage ----------------------------------------------------------------------------- */

/* Writes bytes behind the guest's back (into its socket: they reach the host) or the host's;
 * the receiver must close with want (either of want/want2), and tell the other side. */
static void check_garbage(bool to_host, const uint8_t *bytes, size_t n, int want, int want2)
{
    static pair p;
    memset(&p, 0, sizeof p);
    pair_ready(&p, TOKEN);
    end *victim = to_host ? &p.h : &p.g, *other = to_host ? &p.g : &p.h;
    wn_conn_send(other->c, 40, "before", 6);
    wt_write_all(p.raw[to_host ? 0 : 1], bytes, n);
    wt_wait(&p.loop, both_closed, &p, 3000, "both closed after garbage");
    ck_assert_msg(victim->err == want || victim->err == want2, "%s closed with %d (%s)",
                  victim->name, victim->err, victim->why);
    /* the other side is told why, in the victim's words */
    ck_assert_msg(other->err == victim->err, "%s closed with %d (%s), %s with %d",
                  other->name, other->err, other->why, victim->name, victim->err);
    ck_assert_str_eq(other->why, victim->why);
    ck_assert_uint_eq(victim->nmsgs, 1);
    pair_close(&p);
}

START_TEST(test_conn__garbage_after_handshake)
{
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("conn garbage"));
    uint8_t buf[300];
    size_t n;
    for (int to_host = 1; to_host >= 0; to_host--) {
        /* a well-formed SEALED frame of random bytes */
        buf[0] = 200;
        buf[1] = 0x01; /* length 200 */
        buf[2] = WN_T_SEALED;
        for (int i = 3; i < 202; i++)
            buf[i] = (uint8_t)wt_rng_next(&rng);
        check_garbage(to_host, buf, 202, WN_EAUTH, WN_EAUTH);
        /* a SEALED frame too short to hold a tag */
        static const uint8_t short_sealed[] = {3, WN_T_SEALED, 1, 2};
        check_garbage(to_host, short_sealed, sizeof short_sealed, WN_EAUTH, WN_EAUTH);
        /* an empty frame */
        static const uint8_t empty[] = {0};
        check_garbage(to_host, empty, 1, WN_EFRAME, WN_EFRAME);
        /* a length over WN_FRAME_MAX, alone */
        n = 0;
        {
            uint64_t v = (uint64_t)WN_FRAME_MAX + 1;
            do {
                uint8_t b = v & 0x7f;
                v >>= 7;
                buf[n++] = (uint8_t)(b | (v ? 0x80 : 0));
            } while (v);
        }
        check_garbage(to_host, buf, n, WN_EFRAME, WN_EFRAME);
        /* a length varint that never ends */
        memset(buf, 0xff, 8);
        check_garbage(to_host, buf, 8, WN_EFRAME, WN_EFRAME);
        /* a plain handshake frame after the handshake */
        static const uint8_t hello[] = {5, WN_T_HELLO, 'W', 'E', 'F', 'T'};
        check_garbage(to_host, hello, sizeof hello, WN_EPROTO, WN_EPROTO);
        /* random bytes forming a complete frame of random type */
        buf[0] = 64;
        for (int i = 1; i < 65; i++)
            buf[i] = (uint8_t)wt_rng_next(&rng);
        check_garbage(to_host, buf, 65, WN_EAUTH, WN_EPROTO);
    }
}
END_TEST

static bool end_closed(void *arg)
{
    return ((end *)arg)->nclosed > 0;
}

/* Everything a descriptor yields until EOF (the other end must be closed). */
static void read_all(int fd, wf_buf *out)
{
    for (;;) {
        uint8_t chunk[4096];
        ssize_t k = read(fd, chunk, sizeof chunk);
        ck_assert_msg(k >= 0, "read: %s", strerror(errno));
        if (k == 0)
            return;
        wf_buf_put(out, chunk, (size_t)k);
    }
}

/* The code of the ERROR frame at the end of bytes (after any other frames). */
static int last_error_code(const wf_buf *bytes, char *text, size_t size)
{
    wn_frame_reader r;
    wn_frame_reader_init(&r, WN_FRAME_MAX);
    wn_frame_reader_feed(&r, bytes->data, bytes->len);
    int code = 0;
    for (;;) {
        uint8_t type;
        const uint8_t *p;
        size_t n;
        int rc = wn_frame_next(&r, &type, &p, &n);
        ck_assert_int_ge(rc, 0);
        if (rc == 0)
            break;
        if (type == WN_T_ERROR) {
            ck_assert_uint_ge(n, 2);
            code = -(int)(p[0] << 8 | p[1]);
            size_t tn = n - 2 < size - 1 ? n - 2 : size - 1;
            memcpy(text, p + 2, tn);
            text[tn] = '\0';
        }
    }
    ck_assert_uint_eq(wn_frame_reader_pending(&r), 0);
    wn_frame_reader_free(&r);
    return code;
}

typedef struct bad_start {
    uint8_t bytes[8];
    size_t n;
    int want;
} bad_start;

/* Feeds each case's bytes to a new host connection as its peer's first words: the host
 * closes at once (not after WN_HANDSHAKE_MS) with the case's code, and its peer reads an
 * ERROR frame with that code and some text. */
static void check_bad_starts(const bad_start *cases, size_t ncases)
{
    for (size_t i = 0; i < ncases; i++) {
        uv_loop_t loop;
        ck_assert_int_eq(uv_loop_init(&loop), 0);
        end h;
        end_init(&h, "host", &loop);
        uv_pipe_t *pipe;
        int fd;
        wt_pipe_and_fd(&loop, &pipe, &fd);
        end_start(&h, (uv_stream_t *)pipe, true, NULL);
        wt_write_all(fd, cases[i].bytes, cases[i].n);
        wt_wait(&loop, end_closed, &h, 2000, "the host to drop the peer");
        ck_assert_msg(h.err == cases[i].want, "case %zu: closed with %d (%s)", i, h.err, h.why);
        ck_assert_msg(h.closed_at - h.created_at < WN_HANDSHAKE_MS / 2,
                      "case %zu: took %llu ms", i,
                      (unsigned long long)(h.closed_at - h.created_at));
        ck_assert(!h.ready);
        wt_loop_finish(&loop, 3000);
        /* what the peer was told */
        wf_buf got;
        wf_buf_init(&got);
        read_all(fd, &got);
        close(fd);
        char text[512] = "";
        int code = last_error_code(&got, text, sizeof text);
        ck_assert_msg(code == cases[i].want, "case %zu: the ERROR frame says %d", i, code);
        ck_assert_msg(text[0] != '\0', "case %zu: the ERROR frame has no text", i);
        wf_buf_free(&got);
        end_free(&h);
    }
}

/* Bytes that cannot be frames: the host says so (WN_EFRAME). */
START_TEST(test_conn__garbage_during_handshake)
{
    static const bad_start cases[] = {
        {{0}, 1, WN_EFRAME},                                  /* an empty frame */
        {{0x89, 0x27}, 2, WN_EFRAME}, /* 5001 > WN_FRAME_MAX_HANDSHAKE, the header alone */
        {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 6, WN_EFRAME}, /* an endless varint */
    };
    check_bad_starts(cases, sizeof cases / sizeof *cases);
}
END_TEST

/* Frames out of turn or malformed: the host ends the connection and (as for bad frames, a
 * wrong token or another version) tells its peer why in an ERROR frame. */
START_TEST(test_conn__bad_handshake_frames_told)
{
    static const bad_start cases[] = {
        {{3, WN_T_AUTH, 1, 2}, 4, WN_EPROTO},   /* out of turn */
        {{3, WN_T_SEALED, 1, 2}, 4, WN_EPROTO}, /* sealed before any key */
        {{3, WN_T_HELLO, 1, 2}, 4, WN_EPROTO},  /* a malformed greeting */
    };
    check_bad_starts(cases, sizeof cases / sizeof *cases);
}
END_TEST

/* A guest whose peer is not a weft host but, say, a web server: its answer parses as a
 * frame of the wrong type, and the guest gives up at once. */
START_TEST(test_conn__guest_meets_a_stranger)
{
    uv_loop_t loop;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    end g;
    end_init(&g, "guest", &loop);
    uv_pipe_t *pipe;
    int fd;
    wt_pipe_and_fd(&loop, &pipe, &fd);
    end_start(&g, (uv_stream_t *)pipe, false, TOKEN);
    static const char banner[] =
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: 100\r\n"
        "Connection: close\r\n\r\n<html><body>400 Bad Request</body></html>\r\n";
    ck_assert_uint_gt(sizeof banner - 1, (size_t)banner[0] + 1);
    wt_write_all(fd, banner, sizeof banner - 1);
    wt_wait(&loop, end_closed, &g, 2000, "the guest to give up");
    ck_assert_msg(g.err == WN_EFRAME || g.err == WN_EPROTO, "closed with %d (%s)", g.err, g.why);
    wt_loop_finish(&loop, 3000);
    close(fd);
    end_free(&g);
}
END_TEST

START_TEST(test_conn__wrong_token)
{
    static pair p;
    pair_open(&p, TOKEN_BAD);
    wt_wait(&p.loop, both_closed, &p, 3000, "both refused");
    ck_assert(!p.g.ready && !p.h.ready);
    ck_assert_int_eq(p.h.err, WN_EAUTH);
    ck_assert_int_eq(p.g.err, WN_EAUTH);
    ck_assert_msg(strstr(p.g.why, "token") != NULL, "the guest's reason: '%s'", p.g.why);
    ck_assert_msg(p.h.why[0] != '\0', "the host gives no reason");
    pair_close(&p);
}
END_TEST

/* --- silence ---------------------------------------------------------------------------- */

typedef struct silent_case {
    end e[3];
} silent_case;

static bool all_three_closed(void *arg)
{
    silent_case *c = arg;
    return c->e[0].nclosed && c->e[1].nclosed && c->e[2].nclosed;
}

/* A host whose peer connects and says nothing, a host whose peer stops in the middle of its
 * HELLO, and a guest whose host never answers: each is dropped with WN_ETIMEOUT once
 * WN_HANDSHAKE_MS have passed, not before. */
START_TEST(test_conn__silent_peers)
{
    uv_loop_t loop;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    static silent_case c;
    static const char *names[] = {"host, silent peer", "host, half a HELLO", "guest"};
    int fds[3];
    for (int i = 0; i < 3; i++) {
        end_init(&c.e[i], names[i], &loop);
        uv_pipe_t *pipe;
        wt_pipe_and_fd(&loop, &pipe, &fds[i]);
        end_start(&c.e[i], (uv_stream_t *)pipe, i < 2, TOKEN);
    }
    static const uint8_t half_hello[] = {50, WN_T_HELLO, 'W', 'E', 'F', 'T', 0};
    wt_write_all(fds[1], half_hello, sizeof half_hello);
    wt_wait(&loop, all_three_closed, &c, WN_HANDSHAKE_MS + 3000, "the handshake deadline");
    for (int i = 0; i < 3; i++) {
        end *e = &c.e[i];
        uint64_t took = e->closed_at - e->created_at;
        ck_assert_msg(e->err == WN_ETIMEOUT, "%s: closed with %d (%s)", e->name, e->err, e->why);
        ck_assert_msg(took + 20 >= WN_HANDSHAKE_MS && took <= WN_HANDSHAKE_MS + 1500,
                      "%s: dropped after %llu ms", e->name, (unsigned long long)took);
        ck_assert(!e->ready);
    }
    wt_loop_finish(&loop, 3000);
    for (int i = 0; i < 3; i++) {
        /* the peer sees the end of the stream */
        wf_buf got;
        wf_buf_init(&got);
        read_all(fds[i], &got);
        close(fds[i]);
        wf_buf_free(&got);
        end_free(&c.e[i]);
    }
}
END_TEST

/* --- a relay in the middle ------------------------------------------------------------- */

typedef struct relay_case {
    uv_loop_t loop;
    end g, h;
    wt_relay r;           /* guest -> host is its a -> b direction */
} relay_case;

/* Guest <-> relay <-> host, with mode applied to the guest's target-th sealed frame (or the
 * host's, when host_side). */
static void relay_open(relay_case *c, enum wt_relay_mode mode, long target, bool host_side)
{
    memset(c, 0, sizeof *c);
    ck_assert_int_eq(uv_loop_init(&c->loop), 0);
    end_init(&c->g, "guest", &c->loop);
    end_init(&c->h, "host", &c->loop);
    uv_pipe_t *a[2], *b[2];
    wt_pipe_pair(&c->loop, a, NULL);
    wt_pipe_pair(&c->loop, b, NULL);
    wt_relay_start(&c->r, a[1], b[0], mode, target, host_side);
    end_start(&c->h, (uv_stream_t *)b[1], true, NULL);
    end_start(&c->g, (uv_stream_t *)a[0], false, TOKEN);
}

static bool relay_ready(void *arg)
{
    relay_case *c = arg;
    return c->g.ready && c->h.ready;
}

static bool relay_closed(void *arg)
{
    relay_case *c = arg;
    return c->g.nclosed && c->h.nclosed;
}

static void relay_close(relay_case *c)
{
    if (c->g.c)
        wn_conn_close(c->g.c);
    if (c->h.c)
        wn_conn_close(c->h.c);
    wt_wait(&c->loop, relay_closed, c, 3000, "both ends closed");
    wt_relay_close(&c->r);
    wt_loop_finish(&c->loop, 3000);
    wt_relay_free(&c->r);
    end_free(&c->g);
    end_free(&c->h);
}

/* Five messages through a relay that spoils the target-th: the receiver takes those before
 * it, then closes with WN_EAUTH and tells the sender so. */
static void check_relay(enum wt_relay_mode mode, long target, size_t want_before, bool host_side)
{
    static relay_case c;
    relay_open(&c, mode, target, host_side);
    wt_wait(&c.loop, relay_ready, &c, 3000, "both ends ready through the relay");
    end *from = host_side ? &c.h : &c.g, *to = host_side ? &c.g : &c.h;
    for (int i = 0; i < 5; i++) {
        char m[16];
        int n = snprintf(m, sizeof m, "msg %d", i);
        wn_conn_send(from->c, 16, m, (size_t)n);
    }
    wt_wait(&c.loop, relay_closed, &c, 3000, "both ends closed");
    ck_assert_msg(to->err == WN_EAUTH, "mode %d: %s closed with %d (%s)", mode, to->name,
                  to->err, to->why);
    ck_assert_msg(from->err == WN_EAUTH, "mode %d: %s closed with %d (%s)", mode, from->name,
                  from->err, from->why);
    ck_assert_str_eq(from->why, to->why);
    ck_assert_msg(to->nmsgs == want_before, "mode %d: %zu messages before the end, want %zu",
                  mode, to->nmsgs, want_before);
    for (size_t i = 0; i < to->nmsgs; i++) {
        char m[16];
        int n = snprintf(m, sizeof m, "msg %zu", i);
        ck_assert_uint_eq(to->msgs[i].n, (size_t)n);
        ck_assert(memcmp(to->msgs[i].data, m, (size_t)n) == 0);
    }
    relay_close(&c);
}

START_TEST(test_conn__relay_pass)
{
    static relay_case c;
    relay_open(&c, WT_RELAY_PASS, 0, false);
    wt_wait(&c.loop, relay_ready, &c, 3000, "both ends ready through the relay");
    wn_conn_send(c.g.c, 16, "through", 7);
    wn_conn_send(c.h.c, 17, "and back", 8);
    wn_conn_close(c.g.c);
    wt_wait(&c.loop, relay_closed, &c, 3000, "both ends closed");
    ck_assert_uint_eq(c.h.nmsgs, 1);
    ck_assert_int_eq(c.g.err, 0);
    ck_assert_int_eq(c.h.err, WN_ECLOSED);
    relay_close(&c);
}
END_TEST

START_TEST(test_conn__relay_replay)
{
    check_relay(WT_RELAY_DUPLICATE, 2, 3, false);
    check_relay(WT_RELAY_DUPLICATE, 0, 1, true);
}
END_TEST

START_TEST(test_conn__relay_tamper)
{
    check_relay(WT_RELAY_FLIP, 2, 2, false);
    check_relay(WT_RELAY_FLIP, 0, 0, false);
    check_relay(WT_RELAY_FLIP, 4, 4, true);
}
END_TEST

START_TEST(test_conn__relay_drop_and_swap)
{
    check_relay(WT_RELAY_DROP, 1, 1, false);
    check_relay(WT_RELAY_SWAP, 1, 1, false);
    check_relay(WT_RELAY_SWAP, 0, 0, true);
}
END_TEST

/* An idle connection sends keepalives (a sealed frame each way once WN_PING_MS pass) and
 * stays open. */
static bool pinged(void *arg)
{
    relay_case *c = arg;
    return (c->r.ab.sealed > 0 && c->r.ba.sealed > 0) || c->g.nclosed || c->h.nclosed;
}

static bool host_got_one(void *arg)
{
    return ((relay_case *)arg)->h.nmsgs == 1;
}

START_TEST(test_conn__keepalive)
{
    static relay_case c;
    relay_open(&c, WT_RELAY_PASS, 0, false);
    wt_wait(&c.loop, relay_ready, &c, 3000, "both ends ready through the relay");
    wt_wait(&c.loop, pinged, &c, WN_PING_MS + 3000, "keepalives both ways");
    ck_assert_msg(!c.g.nclosed && !c.h.nclosed, "closed while idle: %d %s / %d %s", c.g.err,
                  c.g.why, c.h.err, c.h.why);
    ck_assert_uint_eq(c.g.nmsgs + c.h.nmsgs, 0); /* keepalives are not messages */
    /* still usable */
    wn_conn_send(c.g.c, 16, "awake", 5);
    wt_wait(&c.loop, host_got_one, &c, 3000, "a message after the keepalives");
    relay_close(&c);
}
END_TEST

static Suite *conn_suite(void)
{
    Suite *s = suite_create("net_conn");
    TCase *tc = tcase_create("handshake");
    tcase_add_test(tc, test_conn__handshake);
    tcase_add_test(tc, test_conn__read_only);
    tcase_add_test(tc, test_conn__tcp);
    suite_add_tcase(s, tc);

    tc = tcase_create("messages");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_conn__message_sizes);
    tcase_add_test(tc, test_conn__empty);
    tcase_add_test(tc, test_conn__order);
    tcase_add_test(tc, test_conn__send_outside_ready);
    suite_add_tcase(s, tc);

    tc = tcase_create("reasons");
    tcase_add_test(tc, test_conn__fail_reason);
    tcase_add_test(tc, test_conn__fail_before_ready);
    tcase_add_test(tc, test_conn__fail_reason_sanitised);
    tcase_add_test(tc, test_conn__message_limit);
    suite_add_tcase(s, tc);

    tc = tcase_create("garbage");
    tcase_add_test(tc, test_conn__garbage_after_handshake);
    tcase_add_test(tc, test_conn__garbage_during_handshake);
    tcase_add_test(tc, test_conn__bad_handshake_frames_told);
    tcase_add_test(tc, test_conn__guest_meets_a_stranger);
    tcase_add_test(tc, test_conn__wrong_token);
    suite_add_tcase(s, tc);

    tc = tcase_create("relay");
    tcase_add_test(tc, test_conn__relay_pass);
    tcase_add_test(tc, test_conn__relay_replay);
    tcase_add_test(tc, test_conn__relay_tamper);
    tcase_add_test(tc, test_conn__relay_drop_and_swap);
    suite_add_tcase(s, tc);

    tc = tcase_create("time");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_conn__silent_peers);
    tcase_add_test(tc, test_conn__keepalive);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    if (wn_crypto_init() != 0)
        return 99;
    return wt_run_suite(conn_suite());
}
