/* net/dial: reaching a host in one libuv loop, without any session on top. TCP: a listening
 * port is reached and handed over; a closed port is refused, with a sentence naming it; a
 * name that cannot exist fails to resolve; a dial cancelled before it connected says
 * nothing more but `closed`. ssh: a program that does not exist fails at once with
 * WN_ENOSSH and no event; a child is handed over at once, and when the connection over it
 * ends with nothing heard, its exit explains it; a child cancelled is stopped and reaped.
 *
 * Every wait runs the loop until a condition holds, with a deadline (tests/common/nettest.h);
 * each test ends with no handle left on the loop. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/dial.h"
#include "net/error.h"
#include "net/ticket.h"
#include "tests/common/nettest.h"
#include "tests/common/testutil.h"

#define TOKEN "correct-horse-battery-staple"
#define WAIT_MS 8000

/* What a dial told its owner. */
typedef struct rec {
    int nconnected, nfailed, nclosed;
    uv_stream_t *rd, *wr;
    uint64_t handshake_ms;
    int err;
    char why[1024];
} rec;

static void on_connected(void *data, uv_stream_t *rd, uv_stream_t *wr, uint64_t handshake_ms)
{
    rec *r = data;
    r->nconnected++;
    r->rd = rd;
    r->wr = wr;
    r->handshake_ms = handshake_ms;
}

static void on_failed(void *data, int err, const char *why)
{
    rec *r = data;
    r->nfailed++;
    r->err = err;
    snprintf(r->why, sizeof r->why, "%s", why);
    if (wt_verbose())
        fprintf(stderr, "failed %d: %s\n", err, why);
}

static void on_closed(void *data)
{
    ((rec *)data)->nclosed++;
}

static const wn_dial_events events = {.connected = on_connected, .failed = on_failed,
                                      .closed = on_closed};

static bool is_connected(void *arg)
{
    return ((rec *)arg)->nconnected > 0;
}

static bool has_failed(void *arg)
{
    return ((rec *)arg)->nfailed > 0;
}

static bool is_closed(void *arg)
{
    return ((rec *)arg)->nclosed > 0;
}

static wn_ticket ticket(const char *text)
{
    wn_ticket t;
    char err[200];
    ck_assert_msg(wn_ticket_parse(text, &t, err, sizeof err) == 0, "%s: %s", text, err);
    return t;
}

/* Starts a dial that must start. */
static wn_dial *dial(uv_loop_t *loop, const wn_dial_config *cfg, rec *r)
{
    char why[WN_DIAL_WHY_MAX];
    wn_dial *d;
    int err = wn_dial_start(loop, cfg, &events, r, why, sizeof why, &d);
    ck_assert_msg(err == 0, "wn_dial_start: %d (%s)", err, why);
    ck_assert_ptr_nonnull(d);
    return d;
}

/* A weft:// ticket for 127.0.0.1:port. */
static wn_ticket local_ticket(unsigned port)
{
    char text[200];
    snprintf(text, sizeof text, "weft://" TOKEN "@127.0.0.1:%u", port);
    return ticket(text);
}

/* Closes the streams a dial handed over (the same handle twice for TCP). */
static void close_streams(rec *r)
{
    uv_close((uv_handle_t *)r->rd, (uv_close_cb)free);
    if (r->wr != r->rd)
        uv_close((uv_handle_t *)r->wr, (uv_close_cb)free);
}

/* --- TCP ------------------------------------------------------------------------------ */

static void on_incoming(uv_stream_t *server, int status)
{
    ck_assert_int_eq(status, 0);
    uv_tcp_t *c = malloc(sizeof *c);
    ck_assert_int_eq(uv_tcp_init(server->loop, c), 0);
    ck_assert_int_eq(uv_accept(server, (uv_stream_t *)c), 0);
    uv_close((uv_handle_t *)c, (uv_close_cb)free);
    (*(int *)server->data)++;
}

/* A port on 127.0.0.1: listening (with on_incoming) or, when !listen, bound and closed again
 * so that nothing listens there. */
static unsigned local_port(uv_loop_t *loop, uv_tcp_t *server, bool listen, int *accepted)
{
    struct sockaddr_in sa;
    ck_assert_int_eq(uv_ip4_addr("127.0.0.1", 0, &sa), 0);
    ck_assert_int_eq(uv_tcp_init(loop, server), 0);
    ck_assert_int_eq(uv_tcp_bind(server, (const struct sockaddr *)&sa, 0), 0);
    struct sockaddr_storage ss;
    int len = sizeof ss;
    ck_assert_int_eq(uv_tcp_getsockname(server, (struct sockaddr *)&ss, &len), 0);
    unsigned port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
    server->data = accepted;
    if (listen)
        ck_assert_int_eq(uv_listen((uv_stream_t *)server, 8, on_incoming), 0);
    else
        uv_close((uv_handle_t *)server, NULL);
    return port;
}

START_TEST(test_dial__tcp_connected)
{
    uv_loop_t loop;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    uv_tcp_t server;
    int accepted = 0;
    wn_ticket t = local_ticket(local_port(&loop, &server, true, &accepted));
    wn_dial_config cfg = {.ticket = &t};
    rec r = {0};
    wn_dial *d = dial(&loop, &cfg, &r);
    ck_assert_ptr_nonnull(d);
    wt_wait(&loop, is_connected, &r, WAIT_MS, "the dial to connect");
    ck_assert_ptr_eq(r.rd, r.wr); /* one TCP stream */
    ck_assert_int_eq(r.handshake_ms, 0);
    ck_assert_int_eq(r.nfailed, 0);
    ck_assert_int_eq(r.nclosed, 0); /* held until the owner hangs up */
    ck_assert(!wn_dial_hangup(d, true, 0));
    close_streams(&r);
    uv_close((uv_handle_t *)&server, NULL);
    wt_wait(&loop, is_closed, &r, WAIT_MS, "the dial to close");
    ck_assert_int_eq(r.nclosed, 1);
    ck_assert_int_eq(r.nfailed, 0);
    wt_loop_finish(&loop, WAIT_MS);
    wn_ticket_free(&t);
}
END_TEST

START_TEST(test_dial__tcp_refused)
{
    uv_loop_t loop;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    uv_tcp_t server;
    unsigned port = local_port(&loop, &server, false, NULL);
    char where[40];
    snprintf(where, sizeof where, "127.0.0.1:%u", port);
    wn_ticket t = local_ticket(port);
    wn_dial_config cfg = {.ticket = &t};
    rec r = {0};
    (void)dial(&loop, &cfg, &r); /* it lets go of itself: `failed` */
    wt_wait(&loop, has_failed, &r, WAIT_MS, "the dial to fail");
    ck_assert_int_eq(r.err, UV_ECONNREFUSED);
    ck_assert_msg(strstr(r.why, where) != NULL, "the sentence names %s: '%s'", where, r.why);
    ck_assert_int_eq(r.nconnected, 0);
    wt_wait(&loop, is_closed, &r, WAIT_MS, "the dial to close");
    ck_assert_int_eq(r.nfailed, 1);
    ck_assert_int_eq(r.nclosed, 1);
    wt_loop_finish(&loop, WAIT_MS);
    wn_ticket_free(&t);
}
END_TEST

START_TEST(test_dial__tcp_unresolvable)
{
    uv_loop_t loop;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    /* .invalid never resolves (RFC 2606); without a name server it fails all the same. */
    wn_ticket t = ticket("weft://" TOKEN "@no-such-host.invalid:5000");
    wn_dial_config cfg = {.ticket = &t};
    rec r = {0};
    (void)dial(&loop, &cfg, &r);
    wt_wait(&loop, has_failed, &r, WAIT_MS, "the lookup to fail");
    /* No such name (WN_ENOHOST), or a name server that did not answer (UV_EAI_AGAIN...). */
    ck_assert_msg(r.err == WN_ENOHOST || (r.err <= UV_EAI_ADDRFAMILY && r.err >= UV_EAI_PROTOCOL),
                  "err %d", r.err);
    ck_assert_msg(strstr(r.why, "no-such-host.invalid") != NULL, "the sentence: '%s'", r.why);
    ck_assert_int_eq(r.nconnected, 0);
    wt_wait(&loop, is_closed, &r, WAIT_MS, "the dial to close");
    ck_assert_int_eq(r.nfailed, 1);
    wt_loop_finish(&loop, WAIT_MS);
    wn_ticket_free(&t);
}
END_TEST

/* Cancelled at once (the lookup in flight), and cancelled while connecting: no event but
 * `closed`, and nothing accepted stays open. */
START_TEST(test_dial__cancel_before_connect)
{
    uv_loop_t loop;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    uv_tcp_t server;
    int accepted = 0;
    wn_ticket t = local_ticket(local_port(&loop, &server, true, &accepted));
    wn_dial_config cfg = {.ticket = &t};
    rec r = {0};
    wn_dial *d = dial(&loop, &cfg, &r);
    wn_dial_cancel(d);
    ck_assert_int_eq(r.nclosed, 0); /* never inside a call */
    wt_wait(&loop, is_closed, &r, WAIT_MS, "the cancelled dial to close");
    ck_assert_int_eq(r.nconnected, 0);
    ck_assert_int_eq(r.nfailed, 0);
    ck_assert_int_eq(r.nclosed, 1);
    uv_close((uv_handle_t *)&server, NULL);
    wt_loop_finish(&loop, WAIT_MS);
    wn_ticket_free(&t);
}
END_TEST

/* --- ssh ------------------------------------------------------------------------------ */

START_TEST(test_dial__ssh_no_program)
{
    uv_loop_t loop;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    wn_ticket t = ticket("ssh://devbox/" TOKEN "@127.0.0.1:5000");
    wn_dial_config cfg = {.ticket = &t, .weft_ssh = "/nonexistent/weft-test-ssh"};
    rec r = {0};
    char why[WN_DIAL_WHY_MAX];
    wn_dial *d = (wn_dial *)&r;
    ck_assert_int_eq(wn_dial_start(&loop, &cfg, &events, &r, why, sizeof why, &d), WN_ENOSSH);
    ck_assert_ptr_null(d);
    ck_assert_msg(strstr(why, "/nonexistent/weft-test-ssh") != NULL, "why: '%s'", why);
    wt_loop_finish(&loop, WAIT_MS);
    ck_assert_int_eq(r.nconnected + r.nfailed + r.nclosed, 0);
    wn_ticket_free(&t);
}
END_TEST

/* A child that exits at once with status 1 (false(1) takes ssh's arguments): handed over
 * before wn_dial_start() returns; the connection over it ends with nothing heard, and its
 * exit status says why. */
START_TEST(test_dial__ssh_end_explains)
{
    uv_loop_t loop;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    wn_ticket t = ticket("ssh://devbox/" TOKEN "@127.0.0.1:5000");
    wn_dial_config cfg = {.ticket = &t, .weft_ssh = "false", .may_ask = true};
    rec r = {0};
    wn_dial *d = dial(&loop, &cfg, &r);
    ck_assert_int_eq(r.nconnected, 1);
    ck_assert_ptr_ne(r.rd, r.wr); /* ssh's stdout and stdin */
    ck_assert_int_eq(r.handshake_ms, WN_SSH_ASK_MS);
    close_streams(&r);
    ck_assert(wn_dial_hangup(d, false, WN_ECLOSED));
    wt_wait(&loop, has_failed, &r, WAIT_MS, "ssh's end to be explained");
    ck_assert_int_eq(r.err, WN_ESSH);
    ck_assert_msg(strstr(r.why, "devbox") != NULL && strstr(r.why, "exit status 1") != NULL,
                  "the sentence: '%s'", r.why);
    wt_wait(&loop, is_closed, &r, WAIT_MS, "the dial to close");
    ck_assert_int_eq(r.nfailed, 1);
    wt_loop_finish(&loop, WAIT_MS);
    wn_ticket_free(&t);
}
END_TEST

/* A child that would run for long (sh runs "sleep 30"; ssh's arguments become $0 and $@):
 * cancelled, it is stopped and reaped, and only `closed` comes. */
START_TEST(test_dial__ssh_cancel)
{
    uv_loop_t loop;
    ck_assert_int_eq(uv_loop_init(&loop), 0);
    wn_ticket t = ticket("ssh://devbox/" TOKEN "@127.0.0.1:5000");
    wn_dial_config cfg = {.ticket = &t, .weft_ssh = "sh -c 'exec sleep 30'"};
    rec r = {0};
    wn_dial *d = dial(&loop, &cfg, &r);
    ck_assert_int_eq(r.nconnected, 1);
    ck_assert_int_eq(r.handshake_ms, 0); /* BatchMode: the usual handshake time */
    wn_dial_cancel(d);
    close_streams(&r);
    wt_wait(&loop, is_closed, &r, WAIT_MS, "the child to be stopped and reaped");
    ck_assert_int_eq(r.nfailed, 0);
    wt_loop_finish(&loop, WAIT_MS);
    wn_ticket_free(&t);
}
END_TEST

static Suite *dial_suite(void)
{
    Suite *s = suite_create("net_dial");
    TCase *tc = tcase_create("tcp");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_dial__tcp_connected);
    tcase_add_test(tc, test_dial__tcp_refused);
    tcase_add_test(tc, test_dial__tcp_unresolvable);
    tcase_add_test(tc, test_dial__cancel_before_connect);
    suite_add_tcase(s, tc);

    tc = tcase_create("ssh");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_dial__ssh_no_program);
    tcase_add_test(tc, test_dial__ssh_end_explains);
    tcase_add_test(tc, test_dial__ssh_cancel);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    return wt_run_suite(dial_suite());
}
