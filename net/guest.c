/* The guest side of a session (see net/guest.h).
 *
 * One connection at a time. An attempt is a dial (net/dial.h: TCP, or an `ssh -W` child),
 * which hands over the connected streams, or fails with a sentence from net/failure.h; the
 * guest holds the dial until the connection on its streams ends, because when an ssh
 * connection ends before anything came through it, the attempt's outcome waits for ssh's
 * own end (exit status, stderr), which explains it best. A failure is retried unless it is
 * a final no (net/guest.h). After the handshake the guest sends JOIN with its version
 * vector; the host's WELCOME carries the host's vector, its SYNC what we lack; we answer
 * with a SYNC of what the host lacks. While offline, local edits simply stay in the
 * document: the next join's diff carries them. Every dial and timer holds a reference to
 * the guest (`pending`), so that stopping waits for them. uv_timer_init() returns 0, and
 * uv_timer_start() fails only on a closed timer (once stopping): where it can, that is
 * handled; the init's result is discarded with (void). */
#include "net/guest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec.h"
#include "core/mem.h"
#include "net/conn.h"
#include "net/crypto.h"
#include "net/failure.h"
#include "net/proto.h"

struct wn_guest {
    uv_loop_t *loop;
    wf_doc *doc;
    wn_ticket ticket;          /* owned copy */
    char *weft_ssh;            /* owned, or NULL */
    char name[WN_NAME_MAX + 1];
    char version[WN_VERSION_MAX + 1];
    bool reconnect;
    bool ssh_may_ask;          /* the next ssh attempt may ask the user (the first only) */
    unsigned retry_min, retry_max;
    wn_guest_events ev;
    void *data;

    int state;
    int role;
    bool synced;               /* received the host's document in this connection */
    bool ever_synced;
    bool in_sync;
    bool resync_pending;
    uint64_t pending_since;    /* uv_now() when a digest first found updates waiting, or 0 */
    bool unconfirmed;          /* local edits since a digest last matched our text */
    bool have_doc_id;
    uint8_t doc_id[WN_DOC_ID_BYTES];
    uint8_t colour;
    char host_name[WN_NAME_MAX + 1];
    char file_name[256];       /* the shared file's name, as the host calls it */
    wf_vv host_vv;             /* what the host holds, as last told */

    wn_conn *conn;             /* the current connection, or NULL */
    bool authed;               /* it proved the token (the handshake finished) */
    wn_dial *dial;             /* the current attempt, until it lets go (net/dial.h) */
    uv_timer_t retry;
    uv_timer_t presence_timer;
    unsigned attempt;          /* failed attempts since last in the session */
    int last_err;
    uint64_t retry_at;         /* uv_now() of the next attempt, while one is scheduled */
    int pending;               /* asynchronous requests and handles still out */

    wn_presence self;
    bool has_self, self_dirty;
    wn_presence *others;
    size_t nothers, others_cap;

    bool ended;                /* the host said goodbye: the session is over */
    wn_goodbye goodbye;

    bool stopping;
    void (*done)(void *);
    void *done_data;
};

static void start_attempt(wn_guest *g);

static void on_retry(uv_timer_t *t)
{
    start_attempt(t->data);
}

/* --- state ---------------------------------------------------------------------------- */

static void set_state(wn_guest *g, int state, const char *why)
{
    g->state = state;
    if (g->ev.state)
        g->ev.state(g->data, state, why);
}

static void notice(wn_guest *g, const char *text)
{
    if (g->ev.notice)
        g->ev.notice(g->data, text);
}

/* A final no (net/guest.h): wn_error_final(), weighed by where it happened. */
static bool gives_up(const wn_guest *g, int err)
{
    if (err == WN_EAUTH && g->authed)
        return false; /* the token was proven: a tampered or damaged link, not a wrong token */
    if (err == WN_ENOHOST && g->ever_synced)
        return false; /* the name was found before: the network is away for now */
    return wn_error_final(err);
}

static void maybe_done(wn_guest *g)
{
    if (!g->stopping || g->pending > 0 || g->conn)
        return;
    void (*done)(void *) = g->done;
    void *done_data = g->done_data;
    wn_ticket_free(&g->ticket);
    free(g->weft_ssh);
    wf_vv_free(&g->host_vv);
    free(g->others);
    free(g);
    if (done)
        done(done_data);
}

/* The attempt failed (or the connection ended): retry later, or give up. */
static void lost(wn_guest *g, int err, const char *why)
{
    g->synced = false;
    g->in_sync = false;
    g->nothers = 0;
    if (g->ev.presence)
        g->ev.presence(g->data);
    if (g->stopping)
        return;
    if (g->ended) {
        set_state(g, WN_GUEST_ENDED, why);
        return;
    }
    g->last_err = err;
    g->attempt++;
    if (gives_up(g, err) || !g->reconnect) {
        set_state(g, WN_GUEST_OFFLINE, why);
        return;
    }
    unsigned shift = g->attempt - 1 < 6 ? g->attempt - 1 : 6;
    uint64_t delay = (uint64_t)g->retry_min << shift;
    if (delay > g->retry_max)
        delay = g->retry_max;
    delay = delay * (80 + randombytes_uniform(41)) / 100; /* +-20% so guests do not stampede */
    if (uv_timer_start(&g->retry, on_retry, delay, 0) != 0) {
        set_state(g, WN_GUEST_OFFLINE, why); /* the timer is closed: nothing can retry */
        return;
    }
    g->retry_at = uv_now(g->loop) + delay;
    set_state(g, WN_GUEST_RECONNECTING, why);
}

/* --- sending -------------------------------------------------------------------------- */

static bool online(const wn_guest *g)
{
    return g->conn && g->synced && !g->stopping;
}

static void send_presence_now(wn_guest *g)
{
    if (!online(g) || !g->has_self)
        return;
    wf_buf buf;
    wf_buf_init(&buf);
    wn_presence_encode(&g->self, &buf);
    wn_conn_send(g->conn, WN_M_PRESENCE, buf.data, buf.len);
    wf_buf_free(&buf);
    g->self_dirty = false;
}

static void on_presence_timer(uv_timer_t *t)
{
    send_presence_now(t->data);
}

void wn_guest_set_presence(wn_guest *g, const wn_presence *p)
{
    uint64_t clock = g->self.clock + 1;
    g->self = *p;
    g->self.agent = wf_doc_agent(g->doc);
    g->self.clock = clock;
    g->self.colour = g->colour;
    wn_presence_set_name(&g->self, g->name);
    g->has_self = true;
    if (!g->self_dirty) {
        g->self_dirty = true;
        /* coalesce; a closed timer (stopping) cannot wait, and nothing goes out then */
        if (uv_timer_start(&g->presence_timer, on_presence_timer, 30, 0) != 0)
            send_presence_now(g);
    }
}

void wn_guest_local_changed(wn_guest *g)
{
    wf_buf buf;
    wf_buf_init(&buf);
    if (wf_doc_flush(g->doc, &buf) > 0) {
        g->in_sync = false;
        g->unconfirmed = true;
        if (g->ev.recorded)
            g->ev.recorded(g->data, buf.data, buf.len);
        /* Offline, the edits stay in the document: the next join's diff carries them. */
        if (online(g))
            wn_conn_send(g->conn, WN_M_UPDATE, buf.data, buf.len);
    }
    wf_buf_free(&buf);
}

void wn_guest_request_save(wn_guest *g)
{
    if (online(g))
        wn_conn_send(g->conn, WN_M_SAVE, NULL, 0);
    else if (g->ev.saved)
        g->ev.saved(g->data, false, "not connected to the host");
}

/* --- receiving ------------------------------------------------------------------------ */

static void on_welcome(wn_guest *g, const uint8_t *p, size_t n)
{
    wn_welcome w;
    if (wn_welcome_decode(p, n, &w) != 0) {
        wn_conn_fail(g->conn, WN_EPROTO, "malformed WELCOME");
        return;
    }
    if (g->have_doc_id && memcmp(w.doc_id, g->doc_id, WN_DOC_ID_BYTES)) {
        wf_vv_free(&w.vv);
        wn_conn_fail(g->conn, WN_EDOC, "the host now shares another document");
        return;
    }
    memcpy(g->doc_id, w.doc_id, WN_DOC_ID_BYTES);
    g->have_doc_id = true;
    g->colour = w.colour;
    snprintf(g->host_name, sizeof g->host_name, "%s", w.name);
    snprintf(g->file_name, sizeof g->file_name, "%s", w.file);
    wf_vv_free(&g->host_vv);
    g->host_vv = w.vv;
    g->role = wn_conn_role(g->conn);
}

/* Rebuilds the document from the host's full state (after a digest mismatch). What we
 * have that the state lacks (our edits still on their way) is carried over and sent. */
static int replace_doc(wn_guest *g, const uint8_t *p, size_t n)
{
    wf_doc *fresh = wf_doc_new(wf_doc_agent(g->doc));
    int err = wf_doc_apply(fresh, p, n);
    if (err) {
        wf_doc_free(fresh);
        return err;
    }
    wf_vv have;
    wf_vv_init(&have);
    wf_doc_vv(fresh, &have);
    wf_buf extra;
    wf_buf_init(&extra);
    wf_doc_encode_diff(g->doc, &have, &extra);
    wf_vv_free(&have);
    if (wf_doc_apply(fresh, extra.data, extra.len) == 0 && g->role == WN_ROLE_RW)
        wn_conn_send(g->conn, WN_M_SYNC, extra.data, extra.len);
    wf_buf_free(&extra);
    g->doc = fresh;
    if (g->ev.replaced)
        g->ev.replaced(g->data, fresh);
    notice(g, "your copy differed from the host's: it was reloaded from the host");
    return 0;
}

static void on_sync(wn_guest *g, const uint8_t *p, size_t n)
{
    int err;
    if (g->resync_pending) {
        g->resync_pending = false;
        err = replace_doc(g, p, n);
    } else {
        err = wf_doc_apply(g->doc, p, n);
        if (!err && g->ev.recorded)
            g->ev.recorded(g->data, p, n);
    }
    if (err) {
        char why[128];
        snprintf(why, sizeof why, "the host sent a bad update: %s", wf_strerror(err));
        wn_conn_fail(g->conn, WN_EPROTO, why);
        return;
    }
    if (!g->synced) {
        g->synced = true;
        g->ever_synced = true;
        g->attempt = 0;
        /* Our edits the host lacks (made offline, or lost in flight). */
        wf_buf buf;
        wf_buf_init(&buf);
        if (wf_doc_flush(g->doc, &buf) > 0 && g->ev.recorded) /* the diff below covers them */
            g->ev.recorded(g->data, buf.data, buf.len);
        wf_buf_reset(&buf);
        wf_vv mine;
        wf_vv_init(&mine);
        wf_doc_vv(g->doc, &mine);
        /* Deletions do not show in version vectors: after edits the host has not confirmed,
         * send the diff (it carries every deletion) even when the vectors agree. */
        if (g->role == WN_ROLE_RW && (g->unconfirmed || !wf_vv_covers(&g->host_vv, &mine))) {
            wf_doc_encode_diff(g->doc, &g->host_vv, &buf);
            wn_conn_send(g->conn, WN_M_SYNC, buf.data, buf.len);
        }
        wf_vv_free(&mine);
        wf_buf_free(&buf);
        set_state(g, WN_GUEST_ONLINE, "connected");
        send_presence_now(g);
    }
    if (g->ev.changed)
        g->ev.changed(g->data);
}

static void on_update(wn_guest *g, const uint8_t *p, size_t n)
{
    int err = wf_doc_apply(g->doc, p, n);
    if (err) {
        char why[128];
        snprintf(why, sizeof why, "the host sent a bad update: %s", wf_strerror(err));
        wn_conn_fail(g->conn, WN_EPROTO, why);
        return;
    }
    if (g->ev.recorded)
        g->ev.recorded(g->data, p, n);
    g->in_sync = false;
    if (g->ev.changed)
        g->ev.changed(g->data);
}

static void on_presence(wn_guest *g, const uint8_t *p, size_t n)
{
    wn_presence pr;
    if (wn_presence_decode(p, n, &pr) != 0 || pr.agent == wf_doc_agent(g->doc))
        return;
    for (size_t i = 0; i < g->nothers; i++) {
        if (g->others[i].agent == pr.agent) {
            if (pr.clock >= g->others[i].clock)
                g->others[i] = pr;
            goto done;
        }
    }
    if (g->nothers == g->others_cap) {
        g->others_cap = g->others_cap ? g->others_cap * 2 : 8;
        g->others = wf_xreallocarray(g->others, g->others_cap, sizeof *g->others);
    }
    g->others[g->nothers++] = pr;
done:
    if (g->ev.presence)
        g->ev.presence(g->data);
}

static void on_gone(wn_guest *g, const uint8_t *p, size_t n)
{
    if (n != 8)
        return;
    uint64_t agent = 0;
    for (int i = 7; i >= 0; i--)
        agent = agent << 8 | p[i];
    for (size_t i = 0; i < g->nothers; i++) {
        if (g->others[i].agent == agent) {
            g->others[i] = g->others[--g->nothers];
            if (g->ev.presence)
                g->ev.presence(g->data);
            return;
        }
    }
}

static void on_digest(wn_guest *g, const uint8_t *p, size_t n)
{
    wf_vv vv;
    uint8_t hash[32];
    if (wn_digest_decode(p, n, &vv, hash) != 0)
        return;
    wf_vv_free(&g->host_vv);
    g->host_vv = vv;
    wf_vv mine;
    wf_vv_init(&mine);
    wf_doc_vv(g->doc, &mine);
    bool same_version = wf_vv_equal(&mine, &vv);
    wf_vv_free(&mine);
    if (wf_doc_pending(g->doc) > 0) {
        /* Updates that wait for others that never came, through a quiet moment: a bug
         * somewhere (CRDT.md §3.3). Say so and fetch everything again. */
        uint64_t now = uv_now(g->loop);
        if (!g->pending_since) {
            g->pending_since = now;
        } else if (now - g->pending_since > 2000 && !g->resync_pending) {
            notice(g, "updates waited too long for missing ones: resynchronising");
            g->resync_pending = true;
            g->pending_since = 0;
            wn_conn_send(g->conn, WN_M_RESYNC, NULL, 0);
        }
        g->in_sync = false;
        return;
    }
    g->pending_since = 0;
    if (!same_version) {
        g->in_sync = false;
        return; /* edits in flight: not a quiet moment here */
    }
    uint8_t ours[32];
    wn_text_hash(g->doc, ours);
    g->in_sync = memcmp(ours, hash, 32) == 0;
    if (g->in_sync)
        g->unconfirmed = false;
    if (!g->in_sync && !g->resync_pending) {
        notice(g, "your copy differs from the host's: resynchronising");
        g->resync_pending = true;
        wn_conn_send(g->conn, WN_M_RESYNC, NULL, 0);
    }
}

/* The host ends the session: what it holds tells which of our edits it never got. */
static void on_end(wn_guest *g, const uint8_t *p, size_t n)
{
    wn_end e;
    if (wn_end_decode(p, n, &e) != 0) {
        wn_conn_fail(g->conn, WN_EPROTO, "malformed END");
        return;
    }
    wf_vv_free(&g->host_vv);
    g->host_vv = e.vv;
    wf_vv mine;
    wf_vv_init(&mine);
    wf_doc_vv(g->doc, &mine);
    uint8_t ours[32];
    wn_text_hash(g->doc, ours);
    /* Deletions do not show in vectors: the same text at the same vector says they came. */
    bool same = wf_vv_equal(&mine, &g->host_vv) && memcmp(ours, e.hash, 32) == 0;
    wf_vv_free(&mine);
    g->goodbye = (wn_goodbye){.reason = e.reason, .saved = e.flags & WN_END_SAVED,
                              .unsent = wn_guest_unsent(g)};
    g->goodbye.all_received = same || (g->goodbye.unsent == 0 && !g->unconfirmed);
    snprintf(g->goodbye.host, sizeof g->goodbye.host, "%s", e.name);
    g->ended = true;
    char why[WN_NAME_MAX + 96];
    const char *words = wn_end_reason_text(e.reason);
    snprintf(why, sizeof why, "%s ended the session%s%s%s", e.name, *words ? " (" : "", words,
             *words ? ")" : "");
    wn_conn_fail(g->conn, WN_ECLOSED, why);
}

static void on_message(wn_conn *c, uint8_t type, const uint8_t *p, size_t n)
{
    wn_guest *g = wn_conn_data(c);
    char text[512];
    switch (type) {
    case WN_M_WELCOME: on_welcome(g, p, n); break;
    case WN_M_SYNC: on_sync(g, p, n); break;
    case WN_M_UPDATE: on_update(g, p, n); break;
    case WN_M_PRESENCE: on_presence(g, p, n); break;
    case WN_M_GONE: on_gone(g, p, n); break;
    case WN_M_DIGEST: on_digest(g, p, n); break;
    case WN_M_END: on_end(g, p, n); break;
    case WN_M_SAVED:
        wn_text_copy(text, sizeof text, p + (n > 0), n > 0 ? n - 1 : 0);
        if (g->ev.saved)
            g->ev.saved(g->data, n > 0 && p[0], text);
        break;
    case WN_M_REFUSED:
    case WN_M_NOTICE:
        wn_text_copy(text, sizeof text, p, n);
        notice(g, text);
        break;
    default: break; /* from a newer host: ignore */
    }
}

static void on_ready(wn_conn *c)
{
    wn_guest *g = wn_conn_data(c);
    g->authed = true;
    wn_join j;
    j.agent = wf_doc_agent(g->doc);
    if (g->have_doc_id)
        memcpy(j.doc_id, g->doc_id, WN_DOC_ID_BYTES);
    else
        memset(j.doc_id, 0, WN_DOC_ID_BYTES);
    snprintf(j.name, sizeof j.name, "%s", g->name);
    wf_vv_init(&j.vv);
    wf_doc_vv(g->doc, &j.vv);
    wf_buf buf;
    wf_buf_init(&buf);
    wn_join_encode(&j, &buf);
    wn_conn_send(c, WN_M_JOIN, buf.data, buf.len);
    wf_buf_free(&buf);
    wf_vv_free(&j.vv);
}

static void on_closed(wn_conn *c, int err, const char *why)
{
    wn_guest *g = wn_conn_data(c);
    g->conn = NULL;
    /* (g->dial is NULL once stopping: wn_guest_stop() let go of it.) */
    if (g->dial && wn_dial_hangup(g->dial, wn_conn_heard(c), err))
        return; /* nothing came through ssh: its end says why (on_dial_failed()) */
    g->dial = NULL;
    char reason[512];
    if (!g->authed && !wn_conn_peer_said(c)) {
        /* Ended during the handshake without a word from the host: say what it means. */
        char target[300];
        snprintf(target, sizeof target, "%s:%u", g->ticket.host, g->ticket.port);
        wn_failure_handshake(reason, sizeof reason, target, err, why);
        why = reason;
    }
    lost(g, err, why);
    maybe_done(g);
}

static const wn_conn_events conn_events = {.ready = on_ready, .message = on_message,
                                           .closed = on_closed};

/* --- connecting (net/dial.h) ---------------------------------------------------------- */

static void on_dialled(void *data, uv_stream_t *rd, uv_stream_t *wr, uint64_t handshake_ms)
{
    wn_guest *g = data;
    wn_handshake hs;
    wn_handshake_guest(&hs, g->ticket.token, g->version);
    g->authed = false;
    g->conn = wn_conn_new(g->loop, rd, wr, &hs, &conn_events, g);
    wn_handshake_wipe(&hs);
    if (handshake_ms)
        wn_conn_set_handshake_deadline(g->conn, handshake_ms);
}

/* The attempt failed, or (ssh) the connection over it ended and ssh's end says why. */
static void on_dial_failed(void *data, int err, const char *why)
{
    wn_guest *g = data;
    g->dial = NULL;
    lost(g, err, why);
}

static void on_dial_closed(void *data)
{
    wn_guest *g = data;
    g->pending--;
    maybe_done(g);
}

static const wn_dial_events dial_events = {.connected = on_dialled, .failed = on_dial_failed,
                                           .closed = on_dial_closed};

static void start_attempt(wn_guest *g)
{
    g->retry_at = 0;
    if (g->stopping || g->conn || g->dial)
        return;
    wn_dial_config cfg = {.ticket = &g->ticket, .weft_ssh = g->weft_ssh,
                          .may_ask = g->ssh_may_ask};
    if (g->ticket.ssh)
        g->ssh_may_ask = false; /* only ever the first attempt */
    char why[WN_DIAL_WHY_MAX];
    int err = wn_dial_start(g->loop, &cfg, &dial_events, g, why, sizeof why, &g->dial);
    if (err) {
        lost(g, err, why);
        return;
    }
    g->pending++; /* until on_dial_closed() */
}

/* --- lifecycle ------------------------------------------------------------------------ */

int wn_guest_start(uv_loop_t *loop, wf_doc *doc, const wn_guest_config *cfg,
                   const wn_guest_events *ev, void *data, wn_guest **out)
{
    char *s = wn_ticket_format(cfg->ticket);
    wn_guest *g = wf_xcalloc(1, sizeof *g);
    int err = wn_ticket_parse(s, &g->ticket, NULL, 0);
    free(s);
    if (err) {
        free(g);
        return err;
    }
    g->loop = loop;
    g->doc = doc;
    g->weft_ssh = cfg->weft_ssh ? wf_xstrndup(cfg->weft_ssh, strlen(cfg->weft_ssh)) : NULL;
    snprintf(g->name, sizeof g->name, "%s", cfg->name ? cfg->name : "guest");
    snprintf(g->version, sizeof g->version, "%s", cfg->version ? cfg->version : "?");
    g->reconnect = cfg->reconnect;
    g->ssh_may_ask = cfg->ssh_may_ask;
    g->retry_min = cfg->retry_min_ms ? cfg->retry_min_ms : WN_RETRY_MIN_MS;
    g->retry_max = cfg->retry_max_ms ? cfg->retry_max_ms : WN_RETRY_MAX_MS;
    if (g->retry_max < g->retry_min)
        g->retry_max = g->retry_min;
    if (cfg->doc_id) {
        memcpy(g->doc_id, cfg->doc_id, WN_DOC_ID_BYTES);
        g->have_doc_id = true;
        g->unconfirmed = true; /* a resumed copy: what the host lacks goes out on joining */
    }
    g->ev = *ev;
    g->data = data;
    g->state = WN_GUEST_CONNECTING;
    wf_vv_init(&g->host_vv);
    (void)uv_timer_init(loop, &g->retry); /* returns 0 (see the top of the file) */
    (void)uv_timer_init(loop, &g->presence_timer);
    g->retry.data = g;
    g->presence_timer.data = g;
    g->pending = 2; /* the timers, until closed */
    *out = g;
    start_attempt(g);
    return 0;
}

static void on_timer_closed(uv_handle_t *h)
{
    wn_guest *g = h->data;
    g->pending--;
    maybe_done(g);
}

void wn_guest_stop(wn_guest *g, void (*done)(void *), void *data)
{
    if (g->stopping)
        return;
    g->stopping = true;
    g->done = done;
    g->done_data = data;
    if (g->dial) {
        wn_dial_cancel(g->dial); /* its `closed` still comes (on_dial_closed()) */
        g->dial = NULL;
    }
    uv_close((uv_handle_t *)&g->retry, on_timer_closed);
    uv_close((uv_handle_t *)&g->presence_timer, on_timer_closed);
    if (g->conn)
        wn_conn_close(g->conn);
}

int wn_guest_state(const wn_guest *g)
{
    return g->state;
}

unsigned wn_guest_failures(const wn_guest *g)
{
    return g->attempt;
}

uint64_t wn_guest_retry_in(const wn_guest *g)
{
    if (g->state != WN_GUEST_RECONNECTING || !g->retry_at)
        return 0;
    uint64_t now = uv_now(g->loop);
    return g->retry_at > now ? g->retry_at - now : 0;
}

int wn_guest_error(const wn_guest *g)
{
    return g->last_err;
}

int wn_guest_role(const wn_guest *g)
{
    return g->role;
}

bool wn_guest_synced(const wn_guest *g)
{
    return g->synced;
}

bool wn_guest_in_sync(const wn_guest *g)
{
    return g->in_sync && g->synced;
}

uint64_t wn_guest_unsent(const wn_guest *g)
{
    wf_vv mine;
    wf_vv_init(&mine);
    wf_doc_vv(g->doc, &mine);
    uint64_t me = wf_doc_agent(g->doc);
    uint64_t ours = wf_vv_get(&mine, me), theirs = wf_vv_get(&g->host_vv, me);
    wf_vv_free(&mine);
    return ours > theirs ? ours - theirs : 0;
}

const wn_goodbye *wn_guest_goodbye(const wn_guest *g)
{
    return g->state == WN_GUEST_ENDED ? &g->goodbye : NULL;
}

uint8_t wn_guest_colour(const wn_guest *g)
{
    return g->colour;
}

const char *wn_guest_host_name(const wn_guest *g)
{
    return g->host_name;
}

bool wn_guest_doc_id(const wn_guest *g, uint8_t *out)
{
    if (g->have_doc_id)
        memcpy(out, g->doc_id, WN_DOC_ID_BYTES);
    return g->have_doc_id;
}

const char *wn_guest_file_name(const wn_guest *g)
{
    return g->file_name;
}

size_t wn_guest_participants(const wn_guest *g, const wn_presence **list)
{
    *list = g->others;
    return g->nothers;
}
