/* A connection over a libuv stream (see net/conn.h).
 *
 * Lifetime: the connection owns its stream handles and a timer. To
 * end it, every handle is closed with uv_close(); the memory is freed in the last close
 * callback (libuv's rule: a handle's memory lives until its close callback), after the
 * `closed` event has told the owner. A failure first writes the reason (an ERROR frame
 * during the handshake, a sealed BYE after it) and shuts the stream down so that the
 * reason reaches the peer, with a short timer in case the peer does not read it.
 *
 * The libuv calls whose result is discarded with (void) cannot fail here: uv_timer_init()
 * and uv_pipe_init() return 0, uv_timer_stop() and uv_read_stop() too, and uv_timer_start()
 * fails only on a closing handle or without a callback. */
#include "net/conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "net/frame.h"
#include "net/proto.h"

#define READ_BUF (64 * 1024)
#define CHUNK (WN_FRAME_MAX - 64)
#define LINGER_MS 1000 /* how long a failing connection waits for its last words to go */

/* HOLDING: a failed proof whose answer is held back (the `refused` event). */
enum state { HANDSHAKE, HOLDING, READY, CLOSING };

struct wn_conn {
    uv_loop_t *loop;
    uv_stream_t *rd, *wr;   /* owned; the same for TCP */
    uv_timer_t timer;       /* handshake deadline (or the end of a hold), then keepalive */
    int handles_open;       /* close callbacks still to come */
    enum state state;
    bool shutting_down;
    wn_handshake hs;
    wn_session session;
    wn_frame_reader reader;
    wf_buf plain;           /* an opened message */
    wf_buf partial;         /* chunks of a message not complete yet */
    uint8_t partial_type;
    size_t max_message;     /* largest reassembled message accepted */
    uint64_t last_heard, last_sent; /* uv_now() */
    bool heard;             /* the peer has sent at least one byte */
    bool peer_said;         /* the reason is the peer's (ERROR, BYE) */
    int err;                /* why it is closing */
    char why[256];
    char peer[64];
    wn_conn_events ev;
    void *data;
    wf_buf answer;          /* HOLDING: the ERROR frame to send when the hold ends */
};

typedef struct write_req {
    uv_write_t req;
    wf_buf data;
} write_req;

static void close_all(wn_conn *c);

void *wn_conn_data(const wn_conn *c)
{
    return c->data;
}

void wn_conn_set_data(wn_conn *c, void *data)
{
    c->data = data;
}

void wn_conn_limit_messages(wn_conn *c, size_t max)
{
    c->max_message = max < WN_MSG_MAX ? max : WN_MSG_MAX;
}

bool wn_conn_heard(const wn_conn *c)
{
    return c->heard;
}

bool wn_conn_peer_said(const wn_conn *c)
{
    return c->peer_said;
}

bool wn_conn_held(const wn_conn *c)
{
    return c->state == HOLDING;
}

int wn_conn_role(const wn_conn *c)
{
    return c->hs.role;
}

bool wn_conn_is_ready(const wn_conn *c)
{
    return c->state == READY;
}

const char *wn_conn_peer_version(const wn_conn *c)
{
    return c->hs.peer_version;
}

const char *wn_conn_peer(const wn_conn *c)
{
    return c->peer;
}

size_t wn_conn_queued(const wn_conn *c)
{
    return uv_stream_get_write_queue_size(c->wr);
}

static void on_written(uv_write_t *req, int status)
{
    (void)status; /* a failed write shows up as a read error or EOF */
    write_req *w = (write_req *)req;
    wf_buf_free(&w->data);
    free(w);
}

/* Writes the bytes of buf and empties it. */
static void write_buf(wn_conn *c, wf_buf *buf)
{
    if (buf->len == 0 || c->shutting_down)
        return;
    write_req *w = wf_xmalloc(sizeof *w);
    w->data = *buf;
    wf_buf_init(buf);
    /* Keep only the bytes to write while they wait in the queue: wn_seal() builds the
     * plaintext past them, and growth leaves slack; both would double a slow peer's cost. */
    if (w->data.cap > w->data.len + 4096) {
        w->data.data = wf_xrealloc(w->data.data, w->data.len);
        w->data.cap = w->data.len;
    }
    uv_buf_t b = uv_buf_init((char *)w->data.data, (unsigned)w->data.len);
    int err = uv_write(&w->req, c->wr, &b, 1, on_written);
    if (err) {
        wf_buf_free(&w->data);
        free(w);
        if (c->state != CLOSING)
            wn_conn_fail(c, err, uv_strerror(err));
        return;
    }
    c->last_sent = uv_now(c->loop);
}

static void send_sealed(wn_conn *c, uint8_t type, const void *p, size_t n)
{
    wf_buf out;
    wf_buf_init(&out);
    wn_seal(&c->session, type, p, n, &out);
    write_buf(c, &out);
}

void wn_conn_send(wn_conn *c, uint8_t type, const void *p, size_t n)
{
    if (c->state != READY)
        return;
    const uint8_t *bytes = p;
    while (n > CHUNK) {
        send_sealed(c, (uint8_t)(type | WN_MSG_MORE), bytes, CHUNK);
        bytes += CHUNK;
        n -= CHUNK;
    }
    send_sealed(c, type, bytes, n);
}

/* --- closing -------------------------------------------------------------------------- */

static void on_handle_closed(uv_handle_t *h)
{
    wn_conn *c = h->data;
    if (h != (uv_handle_t *)&c->timer)
        free(h);
    if (--c->handles_open > 0)
        return;
    wn_handshake_wipe(&c->hs);
    sodium_memzero(&c->session, sizeof c->session);
    wn_frame_reader_free(&c->reader);
    wf_buf_free(&c->plain);
    wf_buf_free(&c->partial);
    wf_buf_free(&c->answer);
    free(c);
}

static void stop_reading(wn_conn *c)
{
    (void)uv_read_stop(c->rd);
}

static void close_handle(wn_conn *c, uv_handle_t *h)
{
    if (h && !uv_is_closing(h)) {
        h->data = c;
        uv_close(h, on_handle_closed);
    }
}

static void close_all(wn_conn *c)
{
    if (c->handles_open > 0)
        return; /* already closing */
    c->state = CLOSING;
    c->handles_open = 2 + (c->wr != c->rd);
    stop_reading(c);
    /* Tell the owner first: after the close callbacks the memory is gone. */
    if (c->ev.closed)
        c->ev.closed(c, c->err, c->why);
    close_handle(c, (uv_handle_t *)&c->timer);
    close_handle(c, (uv_handle_t *)c->rd);
    if (c->wr != c->rd)
        close_handle(c, (uv_handle_t *)c->wr);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
    (void)status;
    wn_conn *c = req->data;
    free(req);
    close_all(c);
}

static void on_linger_timeout(uv_timer_t *t)
{
    close_all(t->data);
}

/* Flushes what is queued (the reason for closing), then closes. */
static void linger_and_close(wn_conn *c)
{
    c->state = CLOSING;
    stop_reading(c);
    uv_shutdown_t *req = wf_xmalloc(sizeof *req);
    req->data = c;
    (void)uv_timer_stop(&c->timer);
    c->timer.data = c;
    if (uv_shutdown(req, c->wr, on_shutdown) != 0) {
        /* Close on the next loop turn: never inside the caller's own call. */
        free(req);
        (void)uv_timer_start(&c->timer, on_linger_timeout, 0, 0);
        return;
    }
    c->shutting_down = true;
    (void)uv_timer_start(&c->timer, on_linger_timeout, LINGER_MS, 0);
}

static void set_reason(wn_conn *c, int err, const char *why)
{
    c->err = err;
    snprintf(c->why, sizeof c->why, "%s", why ? why : wn_strerror(err));
}

/* A held answer goes now; the reason stays that of the failed proof. */
static void answer_held(wn_conn *c)
{
    write_buf(c, &c->answer);
    linger_and_close(c);
}

static void on_hold_over(uv_timer_t *t)
{
    answer_held(t->data);
}

void wn_conn_fail(wn_conn *c, int err, const char *why)
{
    if (c->state == CLOSING)
        return;
    if (c->state == HOLDING) {
        answer_held(c);
        return;
    }
    set_reason(c, err, why);
    if (c->state == HANDSHAKE) {
        wf_buf out;
        wf_buf_init(&out);
        wn_error_frame(&out, err, c->why);
        write_buf(c, &out);
        wf_buf_free(&out);
    } else if (c->state == READY) {
        size_t n = strlen(c->why);
        uint8_t *m = wf_xmalloc(2 + n);
        m[0] = (uint8_t)((uint16_t)(-err) >> 8);
        m[1] = (uint8_t)(-err);
        memcpy(m + 2, c->why, n);
        send_sealed(c, WN_M_BYE, m, 2 + n);
        free(m);
    }
    linger_and_close(c);
}

void wn_conn_close(wn_conn *c)
{
    if (c->state == CLOSING)
        return;
    if (c->state == HOLDING) {
        answer_held(c);
        return;
    }
    set_reason(c, 0, "closed");
    if (c->state == READY)
        send_sealed(c, WN_M_BYE, "\0\0", 2);
    linger_and_close(c);
}

/* --- receiving ------------------------------------------------------------------------ */

static void deliver(wn_conn *c, uint8_t type, const uint8_t *p, size_t n)
{
    switch (type) {
    case WN_M_PING: send_sealed(c, WN_M_PONG, NULL, 0); return;
    case WN_M_PONG: return;
    case WN_M_BYE: {
        int code = n >= 2 ? -(int)(p[0] << 8 | p[1]) : 0;
        /* Made harmless like every text from a peer: it ends up in logs and on screens. */
        char why[256];
        wn_text_copy(why, sizeof why, p + (n > 2 ? 2 : n), n > 2 ? n - 2 : 0);
        size_t k = strlen(why);
        /* The peer's own code (WN_EDOC, WN_EAUTH, ...) when it is one of ours. */
        int err = code >= WN_ERR_MIN && code <= WN_ERR_MAX ? code : code ? WN_EREMOTE
                                                                          : WN_ECLOSED;
        set_reason(c, err, k ? why : "the peer closed the session");
        c->peer_said = true;
        close_all(c);
        return;
    }
    default:
        if (type < 16) {
            wn_conn_fail(c, WN_EPROTO, "unknown message type");
            return;
        }
        if (c->ev.message)
            c->ev.message(c, type, p, n);
    }
}

/* Handles one sealed message, reassembling chunks. */
static void on_sealed(wn_conn *c, uint8_t type, const uint8_t *p, size_t n)
{
    bool more = type & WN_MSG_MORE;
    type &= (uint8_t)~WN_MSG_MORE;
    if (c->partial.len == 0 && !more) {
        if (n > c->max_message) {
            wn_conn_fail(c, WN_ETOOBIG, "message too large");
            return;
        }
        deliver(c, type, p, n);
        return;
    }
    if (c->partial.len && type != c->partial_type) {
        wn_conn_fail(c, WN_EPROTO, "interleaved message chunks");
        return;
    }
    if (c->partial.len + n > c->max_message) {
        wn_conn_fail(c, WN_ETOOBIG, "message too large");
        return;
    }
    c->partial_type = type;
    wf_buf_put(&c->partial, p, n);
    if (more)
        return;
    wf_buf whole = c->partial;
    wf_buf_init(&c->partial);
    deliver(c, type, whole.data, whole.len);
    wf_buf_free(&whole);
}

/* Pings an idle peer; ends the connection when the peer has been silent too long. */
static void on_keepalive(uv_timer_t *t)
{
    wn_conn *c = t->data;
    if (c->state != READY)
        return;
    uint64_t now = uv_now(c->loop);
    if (now - c->last_heard > WN_DEAD_MS) {
        set_reason(c, WN_ETIMEOUT, "the peer stopped responding");
        close_all(c);
        return;
    }
    if (now - c->last_sent >= WN_PING_MS)
        send_sealed(c, WN_M_PING, NULL, 0);
}

static void on_frame(wn_conn *c, uint8_t type, const uint8_t *p, size_t n)
{
    if (c->state == HANDSHAKE) {
        wf_buf out;
        wf_buf_init(&out);
        char msg[256];
        int rc = wn_handshake_feed(&c->hs, type, p, n, &out, &c->session, msg, sizeof msg);
        /* Whatever went wrong, the peer hears why (unless it was the one that said so). */
        if (rc < 0 && out.len == 0 && rc != WN_EREMOTE)
            wn_error_frame(&out, rc, msg);
        uint64_t hold = 0;
        if (rc == WN_EAUTH && c->hs.host && c->ev.refused)
            hold = c->ev.refused(c, rc);
        if (hold > 0) {
            /* The answer waits: a peer that guesses tokens learns less per second. */
            set_reason(c, rc, msg);
            c->answer = out;
            c->state = HOLDING;
            stop_reading(c);
            wn_frame_reader_free(&c->reader); /* p is not used again */
            (void)uv_timer_stop(&c->timer);
            (void)uv_timer_start(&c->timer, on_hold_over, hold, 0);
            return;
        }
        write_buf(c, &out);
        wf_buf_free(&out);
        if (rc < 0) {
            set_reason(c, rc, msg);
            c->peer_said = type == WN_T_ERROR;
            linger_and_close(c);
            return;
        }
        if (rc == 1) {
            c->state = READY;
            wn_frame_reader_set_max(&c->reader, WN_FRAME_MAX);
            (void)uv_timer_stop(&c->timer);
            (void)uv_timer_start(&c->timer, on_keepalive, 1000, 1000);
            if (c->ev.ready)
                c->ev.ready(c);
        }
        return;
    }
    if (type != WN_T_SEALED) {
        wn_conn_fail(c, WN_EPROTO, "unexpected plain frame");
        return;
    }
    uint8_t mtype;
    if (wn_open(&c->session, p, n, &mtype, &c->plain) != 0) {
        wn_conn_fail(c, WN_EAUTH, "a message failed authentication (tampered, replayed or "
                                  "out of order)");
        return;
    }
    on_sealed(c, mtype, c->plain.data, c->plain.len);
}

/* One read buffer for every connection: libuv calls on_alloc() and then on_read() with that
 * buffer in one go for each read, and on_read() copies the bytes into the connection's frame
 * reader before anything else can read. (A buffer per connection cost 64 KiB each: the
 * host's memory grew with every unfinished handshake.) */
static char read_buf[READ_BUF];

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    (void)suggested;
    *buf = uv_buf_init(read_buf, sizeof read_buf);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    wn_conn *c = s->data;
    if (c->state == CLOSING || c->state == HOLDING)
        return;
    if (nread < 0) {
        if (nread == UV_EOF)
            set_reason(c, WN_ECLOSED, c->state == HANDSHAKE
                                          ? "the connection closed during the handshake"
                                          : "the peer closed the connection");
        else
            set_reason(c, (int)nread, uv_strerror((int)nread));
        close_all(c);
        return;
    }
    if (nread == 0)
        return;
    c->last_heard = uv_now(c->loop);
    c->heard = true;
    wn_frame_reader_feed(&c->reader, buf->base, (size_t)nread);
    for (;;) {
        uint8_t type;
        const uint8_t *p;
        size_t n;
        int rc = wn_frame_next(&c->reader, &type, &p, &n);
        if (rc == 0)
            return;
        if (rc < 0) {
            if (c->state == HANDSHAKE) {
                wf_buf out;
                wf_buf_init(&out);
                wn_error_frame(&out, WN_EFRAME, "malformed or oversized frame");
                write_buf(c, &out);
                wf_buf_free(&out);
                set_reason(c, WN_EFRAME, "malformed or oversized frame from the peer");
                linger_and_close(c);
            } else {
                wn_conn_fail(c, WN_EFRAME, "malformed or oversized frame from the peer");
            }
            return;
        }
        on_frame(c, type, p, n);
        if (c->state == CLOSING || c->state == HOLDING)
            return;
    }
}

/* --- timers --------------------------------------------------------------------------- */

static void on_handshake_timeout(uv_timer_t *t)
{
    wn_conn *c = t->data;
    if (c->state != HANDSHAKE)
        return;
    set_reason(c, WN_ETIMEOUT, "the handshake did not finish in time");
    close_all(c);
}

/* --- creation ------------------------------------------------------------------------- */

static void describe_peer(wn_conn *c)
{
    if (c->rd->type != UV_TCP)
        return;
    struct sockaddr_storage ss;
    int len = sizeof ss;
    if (uv_tcp_getpeername((uv_tcp_t *)c->rd, (struct sockaddr *)&ss, &len) != 0)
        return;
    char ip[48] = "";
    int port = 0;
    if (ss.ss_family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        uv_ip4_name(a, ip, sizeof ip);
        port = ntohs(a->sin_port);
        snprintf(c->peer, sizeof c->peer, "%s:%d", ip, port);
    } else if (ss.ss_family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        uv_ip6_name(a, ip, sizeof ip);
        port = ntohs(a->sin6_port);
        snprintf(c->peer, sizeof c->peer, "[%s]:%d", ip, port);
    }
}

void wn_conn_set_handshake_deadline(wn_conn *c, uint64_t ms)
{
    if (c->state != HANDSHAKE)
        return;
    (void)uv_timer_stop(&c->timer);
    (void)uv_timer_start(&c->timer, on_handshake_timeout, ms, 0);
}

wn_conn *wn_conn_new(uv_loop_t *loop, uv_stream_t *rd, uv_stream_t *wr,
                     const wn_handshake *hs, const wn_conn_events *ev, void *data)
{
    wn_conn *c = wf_xcalloc(1, sizeof *c);
    c->loop = loop;
    c->rd = rd;
    c->wr = wr;
    c->hs = *hs;
    c->ev = *ev;
    c->data = data;
    wn_frame_reader_init(&c->reader, WN_FRAME_MAX_HANDSHAKE);
    wf_buf_init(&c->plain);
    wf_buf_init(&c->partial);
    wf_buf_init(&c->answer);
    c->max_message = WN_MSG_MAX;
    rd->data = c;
    wr->data = c;
    (void)uv_timer_init(loop, &c->timer);
    c->timer.data = c;
    c->last_heard = c->last_sent = uv_now(loop);
    describe_peer(c);
    (void)uv_timer_start(&c->timer, on_handshake_timeout, WN_HANDSHAKE_MS, 0);
    int err = uv_read_start(rd, on_alloc, on_read);
    if (err) {
        /* Closed on the next loop turn: the caller gets the connection before `closed`. */
        set_reason(c, err, uv_strerror(err));
        c->state = CLOSING;
        (void)uv_timer_stop(&c->timer);
        (void)uv_timer_start(&c->timer, on_linger_timeout, 0, 0);
        return c;
    }
    if (!c->hs.host) {
        wf_buf out;
        wf_buf_init(&out);
        wn_handshake_start(&c->hs, &out);
        write_buf(c, &out);
        wf_buf_free(&out);
    }
    return c;
}
