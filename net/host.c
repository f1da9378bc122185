/* The host side of a session (see net/host.h for what it does and why).
 *
 * Structure: a listening TCP handle; a list of peers, one per accepted connection, each
 * becoming a guest once its JOIN arrives; the admission limits (net/admit.h: the accept
 * budget per turn, addresses with failed handshakes, which slow their answers down and
 * never bar anyone, and who gives way among connections setting up); a timer that sends
 * digests after a lull. Connections free themselves after their `closed` event (net/conn.h); the peer record
 * goes with them. */
#include "net/host.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec.h"
#include "core/mem.h"
#include "net/conn.h"
#include "net/crypto.h"

#define LISTEN_BACKLOG 128

typedef struct peer {
    struct peer *next;
    wn_host *host;
    wn_conn *conn;
    bool joined;
    bool refused;             /* turned away (full session), or gave way to newer ones */
    bool quiet;               /* its failed proof is not worth a line of the log */
    bool replaced;            /* superseded by a newer connection of the same participant */
    size_t bulk;              /* bytes of a join or resync state still allowed in the queue */
    bool resynced;            /* a full resync was sent, at resync_at (uv_now()) */
    uint64_t resync_at;
    bool resync_wanted;       /* asked again within WN_RESYNC_INTERVAL_MS: sent later */
    char addr[64];
    wn_presence presence;     /* agent, name and colour are set at JOIN */
    bool has_presence;
} peer;

struct wn_host {
    uv_loop_t *loop;
    wf_doc *doc;
    uv_tcp_t listener;
    uv_timer_t timer;
    uv_idle_t resume;         /* takes a connection left waiting by the per-turn budget */
    bool accept_waiting;      /* one is waiting: libuv has paused the listener meanwhile */
    wn_admit *admit;          /* owned: the accept budget, failures per address */
    wn_handshake hs;          /* prepared host handshake, copied for each connection */
    uint8_t doc_id[WN_DOC_ID_BYTES];
    char name[WN_NAME_MAX + 1];
    char file[256];
    char address[80];
    uint16_t port;
    wn_host_events ev;
    void *data;
    peer *peers;
    size_t npeers;
    wn_presence self;
    bool has_self;
    wn_colour_entry *colours; /* every participant's colour this session, oldest first */
    size_t ncolours, colours_cap;
    wn_presence *list;        /* for wn_host_guests() */
    size_t list_cap;
    uint64_t last_change;     /* uv_now() of the last edit */
    bool digest_due;
    uint64_t slowed;          /* wrong tokens whose answer was held back, in all */
    bool stopping;
    int open_handles;
    void (*done)(void *);
    void *done_data;
    wf_buf scratch;
    uint64_t turned_away;     /* connections refused at once (full, or a flood) */
};

static void logf_(wn_host *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void logf_(wn_host *h, const char *fmt, ...)
{
    if (!h->ev.log)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    h->ev.log(h->data, line);
}

/* Counts a failed handshake from addr (net/admit.h); returns the address's failures in the
 * window. */
static uint32_t count_failure(wn_host *h, const char *addr)
{
    uint32_t failures = wn_admit_fail(h->admit, addr, uv_now(h->loop));
    if (failures == WN_SLOW_AFTER + 1) {
        char ip[WN_ADMIT_IP_MAX];
        wn_admit_ip(addr, ip, sizeof ip);
        logf_(h, "slowing down %s: %d failed attempts within %d s; its wrong tokens are "
                 "answered %d s late from now on (nobody is refused for it)", ip,
              WN_SLOW_AFTER, WN_SLOW_WINDOW_MS / 1000, WN_SLOW_ANSWER_MS / 1000);
    }
    return failures;
}

/* --- sending -------------------------------------------------------------------------- */

/* Sends a message; a guest whose queue stays over WN_SLOW_BYTES (beyond the document it
 * is being sent on joining) is dropped with a reason. */
static void send_to(peer *p, uint8_t type, const void *data, size_t n)
{
    wn_conn_send(p->conn, type, data, n);
    size_t queued = wn_conn_queued(p->conn);
    if (queued <= WN_SLOW_BYTES)
        p->bulk = 0; /* the join's state has drained */
    else if (queued > WN_SLOW_BYTES + p->bulk)
        wn_conn_fail(p->conn, WN_ESLOW, "you could not keep up with the session; "
                                        "reconnecting will catch up");
}

/* Sends a whole state (join, resync): not held against the guest's speed. */
static void send_state(peer *p, const wf_buf *state)
{
    p->bulk = state->len;
    send_to(p, WN_M_SYNC, state->data, state->len);
}

/* Sends to every joined guest but `except`. */
static void broadcast(wn_host *h, const peer *except, uint8_t type, const void *data, size_t n)
{
    for (peer *p = h->peers, *next; p; p = next) {
        next = p->next; /* send_to may drop p */
        if (p->joined && p != except)
            send_to(p, type, data, n);
    }
}

static void send_presence(wn_host *h, peer *to, const wn_presence *pr)
{
    wf_buf_reset(&h->scratch);
    wn_presence_encode(pr, &h->scratch);
    if (to)
        send_to(to, WN_M_PRESENCE, h->scratch.data, h->scratch.len);
}

static void broadcast_presence(wn_host *h, const peer *except, const wn_presence *pr)
{
    wf_buf buf;
    wf_buf_init(&buf);
    wn_presence_encode(pr, &buf);
    broadcast(h, except, WN_M_PRESENCE, buf.data, buf.len);
    wf_buf_free(&buf);
}

static void changed(wn_host *h)
{
    h->last_change = uv_now(h->loop);
    h->digest_due = true;
}

void wn_host_local_changed(wn_host *h)
{
    wf_buf buf;
    wf_buf_init(&buf);
    if (wf_doc_flush(h->doc, &buf) > 0) {
        if (h->ev.recorded)
            h->ev.recorded(h->data, buf.data, buf.len);
        broadcast(h, NULL, WN_M_UPDATE, buf.data, buf.len);
        changed(h);
    }
    wf_buf_free(&buf);
}

void wn_host_set_presence(wn_host *h, const wn_presence *p)
{
    uint64_t clock = h->self.clock + 1;
    h->self = *p;
    h->self.clock = clock > p->clock ? clock : p->clock;
    h->self.agent = wf_doc_agent(h->doc);
    h->self.colour = 0;
    if (!h->self.name[0])
        wn_presence_set_name(&h->self, h->name);
    h->has_self = true;
    broadcast_presence(h, NULL, &h->self);
}

void wn_host_notice(wn_host *h, const char *text)
{
    broadcast(h, NULL, WN_M_NOTICE, text, strlen(text));
}

void wn_host_save_done(wn_host *h, uint64_t agent, bool ok, const char *text)
{
    for (peer *p = h->peers; p; p = p->next) {
        if (p->joined && p->presence.agent == agent) {
            size_t n = strlen(text);
            uint8_t *m = wf_xmalloc(n + 1);
            m[0] = ok;
            memcpy(m + 1, text, n);
            send_to(p, WN_M_SAVED, m, n + 1);
            free(m);
            return;
        }
    }
}

size_t wn_host_guests(wn_host *h, const wn_presence **list)
{
    if (h->list_cap < h->npeers) {
        h->list_cap = h->npeers;
        h->list = wf_xreallocarray(h->list, h->list_cap, sizeof *h->list);
    }
    size_t n = 0;
    for (peer *p = h->peers; p; p = p->next)
        if (p->joined)
            h->list[n++] = p->presence;
    *list = h->list;
    return n;
}

/* --- guests' messages ----------------------------------------------------------------- */

static void remember_colour(wn_host *h, uint64_t agent, uint8_t colour)
{
    for (size_t i = 0; i < h->ncolours; i++) {
        if (h->colours[i].agent == agent) {
            h->colours[i].colour = colour;
            return;
        }
    }
    if (h->ncolours == WN_COLOURS_KEPT) { /* forget the oldest */
        memmove(h->colours, h->colours + 1, (h->ncolours - 1) * sizeof *h->colours);
        h->ncolours--;
    }
    if (h->ncolours == h->colours_cap) {
        h->colours_cap = h->colours_cap ? h->colours_cap * 2 : 16;
        h->colours = wf_xreallocarray(h->colours, h->colours_cap, sizeof *h->colours);
    }
    h->colours[h->ncolours++] = (wn_colour_entry){agent, colour};
}

/* The colour of a participant: the one it had earlier in the session, else the colour
 * fewest of those here have (0 is the host's), and of those the one fewest remembered
 * participants had, so that those who come back are likely to find theirs free. */
static uint8_t pick_colour(wn_host *h, uint64_t agent)
{
    for (size_t i = 0; i < h->ncolours; i++)
        if (h->colours[i].agent == agent)
            return h->colours[i].colour;
    unsigned here[WN_COLOURS] = {0}, known[WN_COLOURS] = {0};
    here[0]++;
    for (peer *p = h->peers; p; p = p->next)
        if (p->joined)
            here[p->presence.colour]++;
    for (size_t i = 0; i < h->ncolours; i++)
        known[h->colours[i].colour]++;
    uint8_t best = 1;
    for (uint8_t c = 2; c < WN_COLOURS; c++)
        if (here[c] < here[best] || (here[c] == here[best] && known[c] < known[best]))
            best = c;
    remember_colour(h, agent, best);
    if (h->ev.coloured)
        h->ev.coloured(h->data, agent, best);
    return best;
}

/* Names are the host's to give, like colours, so that every screen agrees: a second "ana"
 * is shown as "ana (2)" everywhere. The host counts as a participant. */
typedef struct naming {
    const wn_host *h;
    const peer *p; /* the one being named */
} naming;

static bool name_taken(const char *name, void *ctx)
{
    const naming *n = ctx;
    const char *host = n->h->has_self && n->h->self.name[0] ? n->h->self.name : n->h->name;
    if (!strcmp(name, host))
        return true;
    for (const peer *q = n->h->peers; q; q = q->next)
        if (q != n->p && q->joined && !strcmp(q->presence.name, name))
            return true;
    return false;
}

static void on_join(peer *p, const uint8_t *data, size_t n)
{
    wn_host *h = p->host;
    wn_join j;
    if (p->joined || wn_join_decode(data, n, &j) != 0) {
        wn_conn_fail(p->conn, WN_EPROTO, "malformed JOIN");
        return;
    }
    static const uint8_t zero[WN_DOC_ID_BYTES];
    if (memcmp(j.doc_id, zero, sizeof zero) && memcmp(j.doc_id, h->doc_id, sizeof zero)) {
        wf_vv_free(&j.vv);
        wn_conn_fail(p->conn, WN_EDOC, "this is not the session you were in (the host "
                                       "started a new one); your copy is kept: save it");
        return;
    }
    if (j.agent == wf_doc_agent(h->doc)) {
        wf_vv_free(&j.vv);
        wn_conn_fail(p->conn, WN_EPROTO, "that participant is already in the session");
        return;
    }
    /* The same participant again: its old connection is dead but not noticed yet (a
     * half-open link). The new one takes over without a leave. */
    for (peer *q = h->peers; q; q = q->next) {
        if (q != p && q->joined && q->presence.agent == j.agent
            && wn_conn_role(p->conn) == WN_ROLE_RO && wn_conn_role(q->conn) == WN_ROLE_RW) {
            /* Agents are no secret (every update names them): a read-only guest may not
             * push out a read-write participant by claiming its identity. */
            wf_vv_free(&j.vv);
            wn_conn_fail(p->conn, WN_EPROTO, "that participant is already in the session");
            return;
        }
    }
    for (peer *q = h->peers; q; q = q->next) {
        if (q != p && q->joined && q->presence.agent == j.agent) {
            q->joined = false;
            q->replaced = true;
            wn_conn_fail(q->conn, WN_ECLOSED, "replaced by a newer connection");
        }
    }
    memset(&p->presence, 0, sizeof p->presence);
    p->presence.agent = j.agent;
    naming who = {h, p};
    wn_presence_unique_name(p->presence.name, j.name[0] ? j.name : "guest", name_taken, &who);
    p->presence.colour = pick_colour(h, j.agent);
    if (wn_conn_role(p->conn) == WN_ROLE_RO)
        p->presence.flags |= WN_PRESENCE_READONLY;
    p->joined = true;

    wn_welcome w;
    memcpy(w.doc_id, h->doc_id, WN_DOC_ID_BYTES);
    w.colour = p->presence.colour;
    snprintf(w.name, sizeof w.name, "%s", h->name);
    snprintf(w.file, sizeof w.file, "%s", h->file);
    wf_vv_init(&w.vv);
    wf_doc_vv(h->doc, &w.vv);
    wf_buf buf;
    wf_buf_init(&buf);
    wn_welcome_encode(&w, &buf);
    send_to(p, WN_M_WELCOME, buf.data, buf.len);
    wf_vv_free(&w.vv);
    wf_buf_reset(&buf);
    wf_doc_encode_diff(h->doc, &j.vv, &buf);
    wf_vv_free(&j.vv);
    send_state(p, &buf);
    wf_buf_free(&buf);
    if (h->has_self)
        send_presence(h, p, &h->self);
    for (peer *q = h->peers; q; q = q->next)
        if (q != p && q->joined && q->has_presence)
            send_presence(h, p, &q->presence);
    logf_(h, "joined: %s from %s (%s)", p->presence.name, p->addr,
          wn_conn_role(p->conn) == WN_ROLE_RO ? "read-only" : "read-write");
    h->digest_due = true;
}

static void on_update(peer *p, uint8_t type, const uint8_t *data, size_t n)
{
    wn_host *h = p->host;
    if (wn_conn_role(p->conn) != WN_ROLE_RW) {
        static const char why[] = "this session is read-only for you: your edit was not applied";
        send_to(p, WN_M_REFUSED, why, sizeof why - 1);
        logf_(h, "refused an edit from %s (read-only)", p->presence.name);
        return;
    }
    /* Complete: a guest only ever depends on what we sent it, so an update waiting for
     * more would be malformed, and would wait in every replica forever. */
    int err = wf_doc_apply_complete(h->doc, data, n);
    if (err) {
        char why[160];
        snprintf(why, sizeof why, "your update was rejected: %s", wf_strerror(err));
        logf_(h, "dropped %s: %s", p->presence.name, why);
        wn_conn_fail(p->conn, WN_EPROTO, why);
        return;
    }
    (void)type;
    if (h->ev.recorded)
        h->ev.recorded(h->data, data, n);
    broadcast(h, p, WN_M_UPDATE, data, n);
    changed(h);
    if (h->ev.changed)
        h->ev.changed(h->data);
}

static void on_presence(peer *p, const uint8_t *data, size_t n)
{
    wn_host *h = p->host;
    wn_presence pr;
    if (wn_presence_decode(data, n, &pr) != 0) {
        wn_conn_fail(p->conn, WN_EPROTO, "malformed presence");
        return;
    }
    if (p->has_presence && pr.clock < p->presence.clock)
        return; /* older than what we have */
    /* Identity and colour are the host's to say. */
    pr.agent = p->presence.agent;
    pr.colour = p->presence.colour;
    memcpy(pr.name, p->presence.name, sizeof pr.name);
    pr.flags = (uint8_t)((pr.flags & ~WN_PRESENCE_READONLY)
                         | (p->presence.flags & WN_PRESENCE_READONLY));
    p->presence = pr;
    p->has_presence = true;
    broadcast_presence(h, p, &pr);
    if (h->ev.presence)
        h->ev.presence(h->data);
}

/* Sends the whole document to a guest whose copy differs. A full state costs an encoding
 * and a queue the size of the document, so one guest gets at most one per
 * WN_RESYNC_INTERVAL_MS: requests in between are answered together, once, when the
 * interval has passed. (An honest guest asks once per digest it disagrees with.) */
static void serve_resync(peer *p)
{
    wn_host *h = p->host;
    p->resync_wanted = false;
    p->resynced = true;
    p->resync_at = uv_now(h->loop);
    logf_(h, "%s asked for a full resync", p->presence.name);
    wf_buf buf;
    wf_buf_init(&buf);
    wf_doc_encode_diff(h->doc, NULL, &buf);
    send_state(p, &buf);
    wf_buf_free(&buf);
}

static void on_message(wn_conn *c, uint8_t type, const uint8_t *data, size_t n)
{
    peer *p = wn_conn_data(c);
    if (type != WN_M_JOIN && !p->joined) {
        wn_conn_fail(c, WN_EPROTO, "JOIN expected first");
        return;
    }
    switch (type) {
    case WN_M_JOIN: on_join(p, data, n); break;
    case WN_M_SYNC:
    case WN_M_UPDATE: on_update(p, type, data, n); break;
    case WN_M_PRESENCE: on_presence(p, data, n); break;
    case WN_M_SAVE:
        logf_(p->host, "%s asks to save", p->presence.name);
        if (wn_conn_role(p->conn) != WN_ROLE_RW)
            /* writing the host's disk is an edit of a kind: not for read-only guests */
            wn_host_save_done(p->host, p->presence.agent, false,
                              "this session is read-only for you: only editors can save");
        else if (p->host->ev.save)
            p->host->ev.save(p->host->data, p->presence.agent);
        else
            wn_host_save_done(p->host, p->presence.agent, false, "this host cannot save");
        break;
    case WN_M_RESYNC:
        if (!p->resynced || uv_now(p->host->loop) - p->resync_at >= WN_RESYNC_INTERVAL_MS)
            serve_resync(p);
        else
            p->resync_wanted = true; /* on_tick() sends it when the interval has passed */
        break;
    default: break; /* a newer guest's message this host does not know: ignore it */
    }
}

static void on_ready(wn_conn *c)
{
    /* The guest speaks first (JOIN). A read-only guest has nothing big to say (a join,
     * presence, a resync request): it may not make us buffer a huge message. */
    if (wn_conn_role(c) == WN_ROLE_RO)
        wn_conn_limit_messages(c, WN_READONLY_MSG_MAX);
}

static void unlink_peer(wn_host *h, peer *p)
{
    for (peer **pp = &h->peers; *pp; pp = &(*pp)->next) {
        if (*pp == p) {
            *pp = p->next;
            h->npeers--;
            return;
        }
    }
}

static void maybe_done(wn_host *h);

static void on_closed(wn_conn *c, int err, const char *why)
{
    peer *p = wn_conn_data(c);
    wn_host *h = p->host;
    unlink_peer(h, p);
    if (p->joined) {
        logf_(h, "left: %s (%s)", p->presence.name, err ? why : "closed");
        uint8_t m[8];
        for (int i = 0; i < 8; i++)
            m[i] = (uint8_t)(p->presence.agent >> (8 * i));
        broadcast(h, NULL, WN_M_GONE, m, 8);
        if (h->ev.presence)
            h->ev.presence(h->data);
    } else if (p->replaced) {
        /* its participant is still here, on the newer connection */
    } else if (p->refused) {
        /* turned away, and logged then (admit) */
    } else if (!h->stopping && (err == WN_EAUTH || err == WN_EPROTO || err == WN_EFRAME
                                || err == WN_ETIMEOUT || err == WN_EVERSION)) {
        if (!p->quiet)
            logf_(h, "refused %s: %s", p->addr, why);
        if (err != WN_EVERSION && err != WN_EAUTH) /* a wrong token was counted already */
            count_failure(h, p->addr);
    }
    free(p);
    maybe_done(h);
}

/* Counts one more event of a flood; true for the 1st, 10th, 100th, ... (to log). */
static bool sparingly(uint64_t *count)
{
    uint64_t n = ++*count;
    while (n % 10 == 0)
        n /= 10;
    return n == 1;
}

/* A guest's proof of the token failed: past WN_SLOW_AFTER failures from its address, the
 * answer is held back (net/conn.h), and logged sparingly. */
static uint64_t on_refused(wn_conn *c, int err)
{
    (void)err;
    peer *p = wn_conn_data(c);
    wn_host *h = p->host;
    uint64_t hold = wn_admit_hold_ms(count_failure(h, p->addr));
    if (!hold)
        return 0;
    p->quiet = true;
    if (sparingly(&h->slowed))
        logf_(h, "refused %s: a wrong token, answered %d s late (%" PRIu64 " so far)", p->addr,
              (int)(hold / 1000), h->slowed);
    return hold;
}

static const wn_conn_events conn_events = {.ready = on_ready, .message = on_message,
                                           .closed = on_closed, .refused = on_refused};

/* Among the connections still setting up (from the IP address ip, or from anywhere when ip
 * is NULL), other than the newcomer: the one that gives way when they are cap or more
 * (net/admit.h), or NULL. (With WN_ACCEPTS_PER_TURN, a guest's hello is read before many
 * newer connections can push it out.) */
static peer *give_way(wn_host *h, const peer *newcomer, const char *ip, size_t cap)
{
    wn_admit_scan scan;
    wn_admit_scan_init(&scan, ip);
    for (peer *q = h->peers; q; q = q->next) /* newest first */
        if (!q->joined && q != newcomer && !q->refused && !q->replaced)
            wn_admit_scan_add(&scan, q, q->addr, wn_conn_held(q->conn), wn_conn_heard(q->conn));
    return wn_admit_scan_over(&scan, cap);
}

static void push_out(wn_host *h, peer *q, const char *why)
{
    if (sparingly(&h->turned_away))
        logf_(h, "refused %s: %s, it gave way (%" PRIu64 " so far)", q->addr, why,
              h->turned_away);
    q->refused = true;
    wn_conn_fail(q->conn, WN_ETOOBIG, why);
}

/* A new connection goes on with its handshake, unless the session is full. Only
 * participants that joined count toward WN_MAX_GUESTS; connections still setting up are
 * capped apart, per address and in all, so that nobody can fill the session without a
 * token, and past a cap another connection gives way (give_way()): nobody is refused for
 * what other connections did. */
static void admit(wn_host *h, peer *p)
{
    size_t joined = 0;
    for (peer *q = h->peers; q; q = q->next)
        joined += q->joined;
    if (joined >= WN_MAX_GUESTS) {
        const char *why = "the session is full: try again later";
        if (sparingly(&h->turned_away))
            logf_(h, "refused %s: %s (%" PRIu64 " so far)", p->addr, why, h->turned_away);
        p->refused = true;
        wn_conn_fail(p->conn, WN_ETOOBIG, why);
        return;
    }
    char ip[WN_ADMIT_IP_MAX];
    wn_admit_ip(p->addr, ip, sizeof ip);
    peer *q = give_way(h, p, ip, WN_MAX_SETUP_PER_ADDRESS);
    if (q)
        push_out(h, q, "too many connections from your address are setting up at once: try "
                       "again");
    q = give_way(h, p, NULL, WN_MAX_SETUP);
    if (q)
        push_out(h, q, "too many connections are setting up at once: try again");
}

/* Takes the connection libuv holds for the listener; a libuv error code if it cannot. */
static int accept_one(wn_host *h)
{
    uv_stream_t *server = (uv_stream_t *)&h->listener;
    uv_tcp_t *tcp = wf_xmalloc(sizeof *tcp);
    int err = uv_tcp_init(h->loop, tcp);
    if (err) {
        free(tcp);
        return err;
    }
    err = uv_accept(server, (uv_stream_t *)tcp);
    if (err) {
        uv_close((uv_handle_t *)tcp, (uv_close_cb)free);
        return err;
    }
    /* Without TCP_NODELAY keystrokes wait for acknowledgements; a socket that refuses the
     * option still carries the session, only slower. */
    (void)uv_tcp_nodelay(tcp, 1);
    peer *p = wf_xcalloc(1, sizeof *p);
    p->host = h;
    p->conn = wn_conn_new(h->loop, (uv_stream_t *)tcp, (uv_stream_t *)tcp, &h->hs,
                          &conn_events, p);
    snprintf(p->addr, sizeof p->addr, "%s", wn_conn_peer(p->conn));
    p->next = h->peers;
    h->peers = p;
    h->npeers++;
    admit(h, p);
    return 0;
}

static void on_connection(uv_stream_t *server, int status);

static void on_resume(uv_idle_t *idle)
{
    wn_host *h = idle->data;
    (void)uv_idle_stop(idle); /* cannot fail */
    uint64_t now = uv_now(h->loop);
    wn_admit_new_turn(h->admit, now);
    if (h->accept_waiting && !h->stopping && wn_admit_may_accept(h->admit, now)) {
        h->accept_waiting = false;
        /* uv_accept() resumes the listener, but not when it fails: listen anew. */
        int err = accept_one(h);
        if (err) {
            logf_(h, "cannot take a connection: %s", uv_strerror(err));
            err = uv_listen((uv_stream_t *)&h->listener, LISTEN_BACKLOG, on_connection);
            if (err)
                logf_(h, "cannot listen any more: %s", uv_strerror(err));
        }
    }
}

/* libuv calls this for every pending connection until the kernel has none. Taking a burst
 * of hundreds in one turn would let them push out an honest guest whose hello is waiting
 * to be read, so at most WN_ACCEPTS_PER_TURN are taken per turn: the next one is left to
 * libuv (which pauses the listener) and taken on the next turn, after reads. */
static void on_connection(uv_stream_t *server, int status)
{
    wn_host *h = server->data;
    if (status < 0 || h->stopping)
        return;
    if (!wn_admit_may_accept(h->admit, uv_now(h->loop))) {
        h->accept_waiting = true;
        (void)uv_idle_start(&h->resume, on_resume); /* fails only on a closing handle */
        return;
    }
    int err = accept_one(h);
    if (err)
        logf_(h, "cannot take a connection: %s", uv_strerror(err));
}

/* --- digests -------------------------------------------------------------------------- */

static void on_tick(uv_timer_t *t)
{
    wn_host *h = t->data;
    uint64_t now = uv_now(h->loop);
    for (peer *p = h->peers, *next; p; p = next) {
        next = p->next; /* sending may drop p */
        if (p->resync_wanted && now - p->resync_at >= WN_RESYNC_INTERVAL_MS)
            serve_resync(p);
    }
    if (!h->digest_due || now - h->last_change < WN_QUIET_MS)
        return;
    h->digest_due = false;
    uint8_t hash[32];
    wn_text_hash(h->doc, hash);
    wf_vv vv;
    wf_vv_init(&vv);
    wf_doc_vv(h->doc, &vv);
    wf_buf buf;
    wf_buf_init(&buf);
    wn_digest_encode(&vv, hash, &buf);
    broadcast(h, NULL, WN_M_DIGEST, buf.data, buf.len);
    wf_buf_free(&buf);
    wf_vv_free(&vv);
}

/* --- lifecycle ------------------------------------------------------------------------ */

static int parse_listen(const char *spec, struct sockaddr_storage *ss, char *host, size_t hsize)
{
    const char *colon = strrchr(spec, ':');
    if (!colon)
        return WN_ELISTEN;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || end == colon + 1 || port < 0 || port > 65535)
        return WN_ELISTEN;
    size_t n = (size_t)(colon - spec);
    if (n >= hsize)
        return WN_ELISTEN;
    memcpy(host, spec, n);
    host[n] = '\0';
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        memmove(host, host + 1, n - 2);
        host[n - 2] = '\0';
    }
    if (!strcmp(host, "localhost"))
        strcpy(host, "127.0.0.1");
    if (uv_ip4_addr(host, (int)port, (struct sockaddr_in *)ss) == 0)
        return 0;
    if (uv_ip6_addr(host, (int)port, (struct sockaddr_in6 *)ss) == 0)
        return 0;
    return WN_ELISTEN;
}

static void free_host(wn_host *h)
{
    wn_handshake_wipe(&h->hs);
    wf_buf_free(&h->scratch);
    wn_admit_free(h->admit);
    free(h->list);
    free(h->colours);
    free(h);
}

static void on_handle_closed(uv_handle_t *handle);

/* wn_host_start() failed after the listener was open: it closes, and its close frees the
 * host (no `done`: nobody had it). */
static void abandon(wn_host *h)
{
    h->stopping = true;
    h->open_handles = 1;
    uv_close((uv_handle_t *)&h->listener, on_handle_closed);
}

/* Binds the listener to ss and listens; h->port and h->address say where (ip is the
 * address as given, for the text). A libuv error if any step fails. */
static int listen_on(wn_host *h, const struct sockaddr_storage *ss, const char *ip)
{
    int err = uv_tcp_bind(&h->listener, (const struct sockaddr *)ss, 0);
    if (!err)
        err = uv_listen((uv_stream_t *)&h->listener, LISTEN_BACKLOG, on_connection);
    struct sockaddr_storage bound;
    int len = sizeof bound;
    if (!err)
        err = uv_tcp_getsockname(&h->listener, (struct sockaddr *)&bound, &len);
    if (err)
        return err;
    h->port = ntohs(bound.ss_family == AF_INET ? ((struct sockaddr_in *)&bound)->sin_port
                                               : ((struct sockaddr_in6 *)&bound)->sin6_port);
    snprintf(h->address, sizeof h->address, bound.ss_family == AF_INET6 ? "[%s]:%u" : "%s:%u",
             ip, h->port);
    return 0;
}

int wn_host_start(uv_loop_t *loop, wf_doc *doc, const wn_host_config *cfg,
                  const wn_host_events *ev, void *data, wn_host **out)
{
    struct sockaddr_storage ss;
    char ip[64];
    int err = parse_listen(cfg->listen ? cfg->listen : "127.0.0.1:0", &ss, ip, sizeof ip);
    if (err)
        return err;
    wn_host *h = wf_xcalloc(1, sizeof *h);
    h->loop = loop;
    h->doc = doc;
    h->ev = *ev;
    h->data = data;
    memcpy(h->doc_id, cfg->doc_id, WN_DOC_ID_BYTES);
    const char *name = cfg->name && cfg->name[0] ? cfg->name : "host";
    wn_text_copy(h->name, sizeof h->name, (const uint8_t *)name, strlen(name));
    if (cfg->file) {
        const char *slash = strrchr(cfg->file, '/');
        snprintf(h->file, sizeof h->file, "%s", slash ? slash + 1 : cfg->file);
    }
    for (size_t i = 0; i < cfg->ncolours; i++)
        if (cfg->colours[i].colour > 0 && cfg->colours[i].colour < WN_COLOURS)
            remember_colour(h, cfg->colours[i].agent, cfg->colours[i].colour);
    wn_handshake_host(&h->hs, cfg->token_rw, cfg->token_ro, cfg->version);
    wf_buf_init(&h->scratch);
    h->admit = wn_admit_new();
    err = uv_tcp_init(loop, &h->listener);
    if (err) {
        free_host(h); /* a handle whose init failed is not on the loop */
        return err;
    }
    h->listener.data = h;
    err = listen_on(h, &ss, ip);
    if (err) {
        abandon(h);
        return err;
    }
    /* These return 0 on a loop and on a new timer (libuv); nothing can fail past here. */
    (void)uv_timer_init(loop, &h->timer);
    h->timer.data = h;
    (void)uv_timer_start(&h->timer, on_tick, 100, 100);
    (void)uv_idle_init(loop, &h->resume);
    h->resume.data = h;
    h->open_handles = 3;
    *out = h;
    return 0;
}

uint16_t wn_host_port(const wn_host *h)
{
    return h->port;
}

const char *wn_host_address(const wn_host *h)
{
    return h->address;
}

static void maybe_done(wn_host *h)
{
    if (!h->stopping || h->open_handles > 0 || h->peers)
        return;
    void (*done)(void *) = h->done;
    void *done_data = h->done_data;
    free_host(h);
    if (done)
        done(done_data);
}

static void on_handle_closed(uv_handle_t *handle)
{
    wn_host *h = handle->data;
    h->open_handles--;
    maybe_done(h);
}

void wn_host_end(wn_host *h, int reason, bool saved, void (*done)(void *), void *data)
{
    if (h->stopping)
        return;
    wn_end e = {.reason = (uint8_t)reason, .flags = saved ? WN_END_SAVED : 0};
    wn_text_copy(e.name, sizeof e.name, (const uint8_t *)h->name, strlen(h->name));
    wn_text_hash(h->doc, e.hash);
    wf_vv_init(&e.vv);
    wf_doc_vv(h->doc, &e.vv);
    wf_buf buf;
    wf_buf_init(&buf);
    wn_end_encode(&e, &buf);
    broadcast(h, NULL, WN_M_END, buf.data, buf.len);
    wf_buf_free(&buf);
    wf_vv_free(&e.vv);
    wn_host_stop(h, done, data);
}

void wn_host_stop(wn_host *h, void (*done)(void *), void *data)
{
    if (h->stopping)
        return;
    h->stopping = true;
    h->done = done;
    h->done_data = data;
    uv_close((uv_handle_t *)&h->listener, on_handle_closed);
    uv_close((uv_handle_t *)&h->timer, on_handle_closed);
    uv_close((uv_handle_t *)&h->resume, on_handle_closed);
    for (peer *p = h->peers, *next; p; p = next) {
        next = p->next;
        wn_conn_fail(p->conn, WN_ECLOSED, "the host ended the session");
    }
}
