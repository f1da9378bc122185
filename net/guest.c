/* The guest side of a session (see net/guest.h).
 *
 * One connection at a time. An attempt is a dial (net/dial.h: TCP, or an `ssh -W` child),
 * which hands over the connected streams, or fails with a sentence from net/failure.h; the
 * guest holds the dial until the connection on its streams ends, because when an ssh
 * connection ends before anything came through it, the attempt's outcome waits for ssh's
 * own end (exit status, stderr), which explains it best. A failure is retried unless it is
 * a final no (net/guest.h). After the handshake the guest sends JOIN, then OPEN with its
 * version vector for each file it has open (one, for a one-file session); the host's
 * OPENED carries the host's vector, its SYNC what we lack; we answer with a SYNC of what
 * the host lacks. While offline, local edits simply stay in each document: the next
 * join's diff carries them; tree requests wait in a queue. This file has the connection;
 * the files, the manifest and the tree requests are net/guest-files.c's (the records both
 * share: net/guest-internal.h). Every dial and timer holds a reference to
 * the guest (`pending`), so that stopping waits for them. uv_timer_init() returns 0, and
 * uv_timer_start() fails only on a closed timer (once stopping): where it can, that is
 * handled; the init's result is discarded with (void). */
#include "net/guest.h"
#include "net/guest-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/codec.h"
#include "core/mem.h"
#include "net/conn.h"
#include "net/crypto.h"
#include "net/failure.h"
#include "net/proto.h"


static void start_attempt(wn_guest *g);

static void on_retry(uv_timer_t *t)
{
    start_attempt(t->data);
}

/* --- state ---------------------------------------------------------------------------- */

void wn__guest_set_state(wn_guest *g, int state, const char *why)
{
    g->state = state;
    if (g->ev.state)
        g->ev.state(g->data, state, why);
}

void wn__guest_notice(wn_guest *g, const char *text)
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

static void free_guest(wn_guest *g)
{
    while (g->nfiles)
        wn__guest_drop_file(g, g->files[0]);
    free(g->files);
    for (size_t i = 0; i < g->ntrees; i++) {
        free(g->trees[i].path);
        free(g->trees[i].path2);
    }
    free(g->trees);
    wn_ticket_free(&g->ticket);
    free(g->weft_ssh);
    free(g->others);
    free(g);
}

static void maybe_done(wn_guest *g)
{
    if (!g->stopping || g->pending > 0 || g->conn)
        return;
    void (*done)(void *) = g->done;
    void *done_data = g->done_data;
    free_guest(g);
    if (done)
        done(done_data);
}

/* The attempt failed (or the connection ended): retry later, or give up. */
static void lost(wn_guest *g, int err, const char *why)
{
    g->welcomed = false;
    wn__guest_files_lost(g);
    g->nothers = 0;
    if (g->ev.presence)
        g->ev.presence(g->data);
    if (g->stopping)
        return;
    if (g->ended) {
        wn__guest_set_state(g, WN_GUEST_ENDED, why);
        return;
    }
    g->last_err = err;
    g->attempt++;
    if (gives_up(g, err) || !g->reconnect) {
        wn__guest_set_state(g, WN_GUEST_OFFLINE, why);
        return;
    }
    unsigned shift = g->attempt - 1 < 6 ? g->attempt - 1 : 6;
    uint64_t delay = (uint64_t)g->retry_min << shift;
    if (delay > g->retry_max)
        delay = g->retry_max;
    delay = delay * (80 + randombytes_uniform(41)) / 100; /* +-20% so guests do not stampede */
    if (uv_timer_start(&g->retry, on_retry, delay, 0) != 0) {
        wn__guest_set_state(g, WN_GUEST_OFFLINE, why); /* the timer is closed: nothing can retry */
        return;
    }
    g->retry_at = uv_now(g->loop) + delay;
    wn__guest_set_state(g, WN_GUEST_RECONNECTING, why);
}

/* --- sending -------------------------------------------------------------------------- */

bool wn__guest_online(const wn_guest *g)
{
    return g->conn && g->welcomed && !g->stopping;
}

void wn__guest_send_presence(wn_guest *g)
{
    if (!wn__guest_online(g) || !g->has_self)
        return;
    if (g->single) {
        gfile *f = wn__guest_find_file(g, WN_SINGLE_FILE_ID);
        if (!f || !f->synced)
            return; /* as before protocol 3: presence once the document is in */
    }
    wf_buf buf;
    wf_buf_init(&buf);
    wn_presence_encode(&g->self, &buf);
    wn_conn_send(g->conn, WN_M_PRESENCE, buf.data, buf.len);
    wf_buf_free(&buf);
    g->self_dirty = false;
}

static void on_presence_timer(uv_timer_t *t)
{
    wn__guest_send_presence(t->data);
}

void wn_guest_set_presence(wn_guest *g, const wn_presence *p)
{
    uint64_t clock = g->self.clock + 1;
    g->self = *p;
    g->self.agent = g->agent;
    g->self.clock = clock;
    g->self.colour = g->colour;
    if (g->single)
        g->self.file = WN_SINGLE_FILE_ID;
    wn_presence_set_name(&g->self, g->name);
    g->has_self = true;
    if (!g->self_dirty) {
        g->self_dirty = true;
        /* coalesce; a closed timer (stopping) cannot wait, and nothing goes out then */
        if (uv_timer_start(&g->presence_timer, on_presence_timer, 30, 0) != 0)
            wn__guest_send_presence(g);
    }
}

/* --- receiving ------------------------------------------------------------------------ */

static void on_welcome(wn_guest *g, const uint8_t *p, size_t n)
{
    wn_welcome w;
    if (g->welcomed || wn_welcome_decode(p, n, &w) != 0) {
        wn_conn_fail(g->conn, WN_EPROTO, "malformed WELCOME");
        return;
    }
    if (g->have_doc_id && memcmp(w.doc_id, g->doc_id, WN_DOC_ID_BYTES)) {
        wn_conn_fail(g->conn, WN_EDOC, "the host now shares another document");
        return;
    }
    if (g->single && !(w.flags & WN_WELCOME_SINGLE) && g->may_be_project) {
        /* A project after all: the one-file record goes (its document is the caller's). */
        gfile *f = wn__guest_find_file(g, WN_SINGLE_FILE_ID);
        if (f)
            wn__guest_drop_file(g, f);
        g->single = false;
    }
    g->may_be_project = false;
    if (g->single && !(w.flags & WN_WELCOME_SINGLE)) {
        char why[WN_ROOT_MAX + 96];
        snprintf(why, sizeof why, "the host shares a directory (%s), not one file", w.file);
        wn_conn_fail(g->conn, WN_EDOC, why);
        return;
    }
    memcpy(g->doc_id, w.doc_id, WN_DOC_ID_BYTES);
    g->have_doc_id = true;
    g->host_single = w.flags & WN_WELCOME_SINGLE;
    g->colour = w.colour;
    snprintf(g->host_name, sizeof g->host_name, "%s", w.name);
    snprintf(g->file_name, sizeof g->file_name, "%s", w.file);
    g->role = wn_conn_role(g->conn);
    g->welcomed = true;
    if (g->single)
        return; /* online once the file's state is in (on_sync()) */
    g->ever_synced = true;
    g->attempt = 0;
    wn__guest_set_state(g, WN_GUEST_ONLINE, "connected");
    wn__guest_send_trees(g);
    wn__guest_send_presence(g);
}


static void on_presence(wn_guest *g, const uint8_t *p, size_t n)
{
    wn_presence pr;
    if (wn_presence_decode(p, n, &pr) != 0 || pr.agent == g->agent)
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

static void on_message(wn_conn *c, uint8_t type, const uint8_t *p, size_t n)
{
    wn_guest *g = wn_conn_data(c);
    char text[512];
    if (!g->welcomed && type != WN_M_WELCOME && type != WN_M_NOTICE) {
        wn_conn_fail(c, WN_EPROTO, "WELCOME expected first");
        return;
    }
    switch (type) {
    case WN_M_WELCOME: on_welcome(g, p, n); break;
    case WN_M_PRESENCE: on_presence(g, p, n); break;
    case WN_M_GONE: on_gone(g, p, n); break;
    case WN_M_REFUSED:
    case WN_M_NOTICE:
        wn_text_copy(text, sizeof text, p, n);
        wn__guest_notice(g, text);
        break;
    default: wn__guest_file_message(g, type, p, n); break; /* net/guest-files.c */
    }
}

static void on_ready(wn_conn *c)
{
    wn_guest *g = wn_conn_data(c);
    g->authed = true;
    g->welcomed = false;
    wn_join j;
    j.agent = g->agent;
    if (g->have_doc_id)
        memcpy(j.doc_id, g->doc_id, WN_DOC_ID_BYTES);
    else
        memset(j.doc_id, 0, WN_DOC_ID_BYTES);
    snprintf(j.name, sizeof j.name, "%s", g->name);
    wf_buf buf;
    wf_buf_init(&buf);
    wn_join_encode(&j, &buf);
    wn_conn_send(c, WN_M_JOIN, buf.data, buf.len);
    wf_buf_free(&buf);
    /* Pipelined: a host that refuses the JOIN closes before reading these. */
    for (size_t i = 0; i < g->nfiles; i++)
        wn__guest_send_open(g, g->files[i]);
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

static int start(uv_loop_t *loop, uint64_t agent, const wn_guest_config *cfg,
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
    g->agent = agent;
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
    }
    /* Tree requests are numbered upwards from the wall clock's seconds, so that a guest
     * started again with the same agent (a recovered journal) does not reuse numbers the
     * host heard (it answers a number it heard as a repeat). */
    g->next_request = (uint32_t)time(NULL);
    g->ev = *ev;
    g->data = data;
    g->state = WN_GUEST_CONNECTING;
    (void)uv_timer_init(loop, &g->retry); /* returns 0 (see the top of the file) */
    (void)uv_timer_init(loop, &g->presence_timer);
    g->retry.data = g;
    g->presence_timer.data = g;
    g->pending = 2; /* the timers, until closed */
    *out = g;
    return 0;
}

int wn_guest_start(uv_loop_t *loop, wf_doc *doc, const wn_guest_config *cfg,
                   const wn_guest_events *ev, void *data, wn_guest **out)
{
    int err = start(loop, wf_doc_agent(doc), cfg, ev, data, out);
    if (err)
        return err;
    wn_guest *g = *out;
    g->single = true;
    gfile *f = wn__guest_add_file(g, WN_SINGLE_FILE_ID, doc, false);
    f->announced = true;
    f->unconfirmed = cfg->doc_id != NULL; /* a resumed copy: what the host lacks goes out */
    start_attempt(g);
    return 0;
}

int wn_guest_start_any(uv_loop_t *loop, wf_doc *doc, const wn_guest_config *cfg,
                       const wn_guest_events *ev, const wn_guest_project_events *pev,
                       void *data, wn_guest **out)
{
    int err = wn_guest_start(loop, doc, cfg, ev, data, out);
    if (err)
        return err;
    (*out)->pev = *pev;
    (*out)->may_be_project = true;
    return 0;
}

int wn_guest_start_project(uv_loop_t *loop, uint64_t agent, const wn_guest_config *cfg,
                           const wn_guest_events *ev, const wn_guest_project_events *pev,
                           void *data, wn_guest **out)
{
    if (agent == 0)
        return WN_EPROTO;
    int err = start(loop, agent, cfg, ev, data, out);
    if (err)
        return err;
    (*out)->pev = *pev;
    start_attempt(*out);
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
    if (!g->single)
        return g->welcomed;
    const gfile *f = wn__guest_find_file(g, WN_SINGLE_FILE_ID);
    return f && f->synced;
}

bool wn_guest_single_file(const wn_guest *g)
{
    return g->host_single;
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
