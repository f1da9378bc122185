/* net/host and net/guest: whole sessions in one libuv loop over loopback TCP, with real
 * documents. Guests join and get the host's text; concurrent edits on every replica
 * converge (checked by text and version vector once every guest reports in sync); presence
 * travels with the host's colour and name (also against a guest that lies about them);
 * leaving gives GONE; save requests and answers; read-only guests and wrong tokens; a host
 * that stops and comes back on the same port: guests reconnect and every edit, made before,
 * during or in flight at the cut, arrives exactly once; a host that ends the session: the
 * guests are told by whom, why and what did not arrive, and stop; names and colours.
 *
 * Every wait runs the loop until a condition holds, with a deadline (tests/common/nettest.h).
 * Each test stops every guest and the host and checks that the loop holds no handle. */
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/anchor.h"
#include "core/buf.h"
#include "core/codec.h"
#include "core/doc.h"
#include "net/conn.h"
#include "net/crypto.h"
#include "net/guest.h"
#include "net/host.h"
#include "net/presence.h"
#include "net/proto.h"
#include "net/ticket.h"
#include "tests/common/nettest.h"
#include "tests/common/testutil.h"

#define MAX_GUESTS 16
#define WAIT_MS 8000

/* --- a guest ----------------------------------------------------------------------------- */

typedef struct gst {
    const char *name;
    wf_doc *doc;          /* the guest's replica (replaced on resync) */
    wn_guest *g;          /* NULL once stopped */
    bool stopping, stopped;
    bool skip;            /* left out of all_online() and converged() */
    int state;
    char why[256];
    int nreconnecting;    /* times it went WN_GUEST_RECONNECTING */
    int nreplaced;
    int nnotices;
    char notice[512];     /* the last one */
    int nsaved;
    bool saved_ok;
    char saved_text[512];
} gst;

static void g_changed(void *data)
{
    (void)data;
}

static void g_replaced(void *data, wf_doc *doc)
{
    gst *x = data;
    wf_doc_free(x->doc);
    x->doc = doc;
    x->nreplaced++;
}

static void g_presence(void *data)
{
    (void)data;
}

static void g_state(void *data, int state, const char *why)
{
    gst *x = data;
    x->state = state;
    x->nreconnecting += state == WN_GUEST_RECONNECTING;
    snprintf(x->why, sizeof x->why, "%s", why ? why : "");
    if (wt_verbose())
        fprintf(stderr, "%s: state %d (%s)\n", x->name, state, x->why);
}

static void g_notice(void *data, const char *text)
{
    gst *x = data;
    x->nnotices++;
    snprintf(x->notice, sizeof x->notice, "%s", text);
    if (wt_verbose())
        fprintf(stderr, "%s: notice %s\n", x->name, text);
}

static void g_saved(void *data, bool ok, const char *text)
{
    gst *x = data;
    x->nsaved++;
    x->saved_ok = ok;
    snprintf(x->saved_text, sizeof x->saved_text, "%s", text);
}

static const wn_guest_events guest_events = {.changed = g_changed, .replaced = g_replaced,
                                             .presence = g_presence, .state = g_state,
                                             .notice = g_notice, .saved = g_saved};

/* --- the world: a host and its guests ------------------------------------------------------ */

typedef struct world {
    uv_loop_t loop;
    wf_doc *hdoc;         /* the host's document (kept across host restarts) */
    wn_host *host;        /* NULL while stopped */
    bool host_stopping, host_stopped;
    bool with_save;       /* start hosts with a save handler */
    char token[WN_TOKEN_GENERATED + 1], token_ro[WN_TOKEN_GENERATED + 1];
    uint8_t doc_id[WN_DOC_ID_BYTES];
    uint16_t port;
    gst guests[MAX_GUESTS];
    int nguests;
    int host_changed, host_presence;
    int nlog;
    char log[64][256];    /* the first 64 lines */
    int nsave;
    uint64_t save_agent;
    wn_colour_entry colours[MAX_GUESTS]; /* the `coloured` events, as a journal keeps them */
    size_t ncolours;
    bool recovering;      /* start hosts with the colours above, as after a crash */
} world;

static world W; /* one per test (each test runs in its own process) */

static void h_changed(void *data)
{
    ((world *)data)->host_changed++;
}

static void h_presence(void *data)
{
    ((world *)data)->host_presence++;
}

static void h_log(void *data, const char *line)
{
    world *w = data;
    if (w->nlog < 64)
        snprintf(w->log[w->nlog], sizeof w->log[0], "%s", line);
    w->nlog++;
    if (wt_verbose())
        fprintf(stderr, "host: %s\n", line);
}

static void h_coloured(void *data, uint64_t agent, uint8_t colour)
{
    world *w = data;
    ck_assert_uint_lt(w->ncolours, MAX_GUESTS);
    w->colours[w->ncolours++] = (wn_colour_entry){agent, colour};
}

static void h_save(void *data, uint64_t agent)
{
    world *w = data;
    w->nsave++;
    w->save_agent = agent;
}

/* True when a line of the host's log contains s. */
static bool logged(const world *w, const char *s)
{
    for (int i = 0; i < w->nlog && i < 64; i++)
        if (strstr(w->log[i], s))
            return true;
    return false;
}

static void host_start(world *w, const char *listen)
{
    wn_host_config cfg = {.listen = listen, .token_rw = w->token, .token_ro = w->token_ro,
                          .name = "hostname", .doc_id = w->doc_id, .version = "test-1.0",
                          .file = "shared.txt", .colours = w->recovering ? w->colours : NULL,
                          .ncolours = w->recovering ? w->ncolours : 0};
    wn_host_events ev = {.changed = h_changed, .presence = h_presence, .log = h_log,
                         .save = w->with_save ? h_save : NULL, .coloured = h_coloured};
    int rc = wn_host_start(&w->loop, w->hdoc, &cfg, &ev, w, &w->host);
    ck_assert_msg(rc == 0, "wn_host_start(%s): %s", listen, wn_strerror(rc));
    w->port = wn_host_port(w->host);
    ck_assert_uint_gt(w->port, 0);
    w->host_stopping = w->host_stopped = false;
}

static void world_open(world *w, const char *initial, bool with_save)
{
    memset(w, 0, sizeof *w);
    ck_assert_int_eq(uv_loop_init(&w->loop), 0);
    ck_assert_int_eq(wn_token_generate(w->token, sizeof w->token), 0);
    ck_assert_int_eq(wn_token_generate(w->token_ro, sizeof w->token_ro), 0);
    randombytes_buf(w->doc_id, sizeof w->doc_id);
    w->hdoc = wf_doc_new(randombytes_random() | 1);
    size_t n = strlen(initial);
    char *buf = malloc(n + 1);
    memcpy(buf, initial, n + 1);
    ck_assert_int_eq(wf_doc_load(w->hdoc, buf, n), 0);
    w->with_save = with_save;
    host_start(w, "127.0.0.1:0");
}

static unsigned guest_retry_ms; /* 0: the default backoff; else its bounds */

/* Starts a guest with its own new document of agent `agent` on the ticket t. */
static gst *guest_start_ticket(world *w, const char *name, wn_ticket *t, const char *weft_ssh,
                               uint64_t agent)
{
    ck_assert_int_lt(w->nguests, MAX_GUESTS);
    gst *x = &w->guests[w->nguests++];
    memset(x, 0, sizeof *x);
    x->name = name;
    x->doc = wf_doc_new(agent);
    wn_guest_config cfg = {.ticket = t, .weft_ssh = weft_ssh, .name = name,
                           .version = "test-1.0", .reconnect = true,
                           .retry_min_ms = guest_retry_ms, .retry_max_ms = guest_retry_ms};
    ck_assert_int_eq(wn_guest_start(&w->loop, x->doc, &cfg, &guest_events, x, &x->g), 0);
    return x;
}

static uint64_t new_agent(void)
{
    return ((uint64_t)randombytes_random() << 32) | randombytes_random() | 1;
}

/* Starts a guest with its own new document (a new agent); token NULL: the read-write token. */
static gst *guest_start(world *w, const char *name, const char *token)
{
    wn_ticket t = {.token = (char *)(token ? token : w->token), .host = "127.0.0.1",
                   .port = w->port};
    return guest_start_ticket(w, name, &t, NULL, new_agent());
}

/* A guest that was here before, with a new document under its old agent. */
static gst *guest_start_as(world *w, const char *name, uint64_t agent)
{
    wn_ticket t = {.token = w->token, .host = "127.0.0.1", .port = w->port};
    return guest_start_ticket(w, name, &t, NULL, agent);
}

/* Starts a guest through `weft_ssh` (the ssh command) to the host, with an ssh ticket. */
static gst *guest_start_ssh(world *w, const char *name, const char *weft_ssh)
{
    wn_ticket t = {.token = w->token, .host = "127.0.0.1", .port = w->port, .ssh = true,
                   .ssh_host = "sshhost"};
    return guest_start_ticket(w, name, &t, weft_ssh, new_agent());
}

static void on_guest_done(void *data)
{
    gst *x = data;
    x->stopped = true;
    x->g = NULL;
}

static void guest_stop(gst *x)
{
    if (x->g && !x->stopping) {
        x->stopping = true;
        wn_guest_stop(x->g, on_guest_done, x);
    }
}

static void on_host_done(void *data)
{
    world *w = data;
    w->host_stopped = true;
    w->host = NULL;
}

static void host_stop(world *w)
{
    if (w->host && !w->host_stopping) {
        w->host_stopping = true;
        wn_host_stop(w->host, on_host_done, w);
    }
}

/* Ends the session on purpose (the guests are told). */
static void host_end(world *w, int reason, bool saved)
{
    ck_assert(w->host && !w->host_stopping);
    w->host_stopping = true;
    wn_host_end(w->host, reason, saved, on_host_done, w);
}

static bool host_is_stopped(void *arg)
{
    return ((world *)arg)->host_stopped;
}

/* Stops the host and waits until it has; listen gets its address, to start again on. */
static void host_stop_keeping_port(world *w, char *listen, size_t size)
{
    snprintf(listen, size, "127.0.0.1:%u", w->port);
    host_stop(w);
    wt_wait(&w->loop, host_is_stopped, w, WAIT_MS, "the host to stop");
}

static bool all_stopped(void *arg)
{
    world *w = arg;
    for (int i = 0; i < w->nguests; i++)
        if (w->guests[i].stopping && !w->guests[i].stopped)
            return false;
    return !w->host_stopping || w->host_stopped;
}

static void world_close(world *w)
{
    for (int i = 0; i < w->nguests; i++)
        guest_stop(&w->guests[i]);
    host_stop(w);
    wt_wait(&w->loop, all_stopped, w, 5000, "every guest and the host to stop");
    wt_loop_finish(&w->loop, 3000);
    for (int i = 0; i < w->nguests; i++)
        wf_doc_free(w->guests[i].doc);
    wf_doc_free(w->hdoc);
}

static bool all_online(void *arg)
{
    world *w = arg;
    for (int i = 0; i < w->nguests; i++) {
        const gst *x = &w->guests[i];
        if (x->g && !x->stopping && !x->skip
            && (wn_guest_state(x->g) != WN_GUEST_ONLINE || !wn_guest_synced(x->g)))
            return false;
    }
    return true;
}

/* Every running guest reports in sync, and really holds the host's text and vector. */
static bool converged(void *arg)
{
    world *w = arg;
    if (!w->host)
        return false;
    char *ht = wt_text(w->hdoc);
    wf_vv hv, gv;
    wf_vv_init(&hv);
    wf_vv_init(&gv);
    wf_doc_vv(w->hdoc, &hv);
    bool ok = true;
    for (int i = 0; i < w->nguests && ok; i++) {
        const gst *x = &w->guests[i];
        if (!x->g || x->stopping || x->skip)
            continue;
        if (!wn_guest_in_sync(x->g)) {
            ok = false;
            break;
        }
        char *gt = wt_text(x->doc);
        wf_doc_vv(x->doc, &gv);
        ok = strcmp(gt, ht) == 0 && wt_vv_same(&gv, &hv);
        free(gt);
    }
    wf_vv_free(&hv);
    wf_vv_free(&gv);
    free(ht);
    return ok;
}

static void wait_converged(world *w, const char *what)
{
    if (wt_run_until(&w->loop, converged, w, WAIT_MS))
        return;
    char *ht = wt_text(w->hdoc);
    for (int i = 0; i < w->nguests; i++) {
        const gst *x = &w->guests[i];
        if (!x->g || x->stopping || x->skip)
            continue;
        char *gt = wt_text(x->doc);
        fprintf(stderr, "%s: in_sync %d state %d\n  host:  %s\n", x->name,
                wn_guest_in_sync(x->g), wn_guest_state(x->g), wt_esc(ht, strlen(ht)));
        fprintf(stderr, "  guest: %s\n", wt_esc(gt, strlen(gt)));
        free(gt);
    }
    free(ht);
    ck_abort_msg("no convergence within %d ms: %s", WAIT_MS, what);
}

/* Occurrences of s in doc's text. */
static int count_in(const wf_doc *doc, const char *s)
{
    char *t = wt_text(doc);
    int n = 0;
    for (const char *p = t; (p = strstr(p, s)) != NULL; p++)
        n++;
    free(t);
    return n;
}

/* The record for agent among a guest's participants, or NULL. */
static const wn_presence *seen_by(const gst *x, uint64_t agent)
{
    const wn_presence *list;
    size_t n = wn_guest_participants(x->g, &list);
    for (size_t i = 0; i < n; i++)
        if (list[i].agent == agent)
            return &list[i];
    return NULL;
}

/* A random edit: an insert of 1-4 characters or a delete of 1-3 units. */
static void random_edit(wt_rng *r, wf_doc *d)
{
    size_t len = wf_doc_len(d);
    if (len > 0 && wt_rng_chance(r, 1, 3)) {
        size_t pos = wt_rng_below(r, (uint32_t)len);
        size_t n = 1 + wt_rng_below(r, 3);
        if (n > len - pos)
            n = len - pos;
        wt_del(d, pos, n);
    } else {
        static const char alphabet[] = "abcxyz \n";
        char text[5];
        size_t n = 1 + wt_rng_below(r, 4);
        for (size_t i = 0; i < n; i++)
            text[i] = alphabet[wt_rng_below(r, sizeof alphabet - 1)];
        text[n] = '\0';
        if (wt_rng_chance(r, 1, 8))
            strcpy(text, "\xc3\xa9"); /* a two-byte unit */
        wt_ins(d, wt_rng_below(r, (uint32_t)len + 1), text);
    }
}

/* --- joining ---------------------------------------------------------------------------- */

START_TEST(test_session__join)
{
    world_open(&W, "hello world\nsecond line\n", true);
    gst *a = guest_start(&W, "alice", NULL);
    gst *b = guest_start(&W, "bob", NULL);
    ck_assert_int_eq(wn_guest_state(a->g), WN_GUEST_CONNECTING);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "both guests online");
    wt_assert_text(a->doc, "hello world\nsecond line\n");
    wt_assert_text(b->doc, "hello world\nsecond line\n");
    ck_assert_int_eq(wn_guest_role(a->g), WN_ROLE_RW);
    ck_assert_str_eq(wn_guest_host_name(a->g), "hostname");
    /* distinct colours, none the host's (0), all in the palette */
    uint8_t ca = wn_guest_colour(a->g), cb = wn_guest_colour(b->g);
    ck_assert_uint_ne(ca, cb);
    ck_assert(ca > 0 && ca < WN_COLOURS && cb > 0 && cb < WN_COLOURS);
    /* the host's list */
    const wn_presence *list;
    size_t n = wn_host_guests(W.host, &list);
    ck_assert_uint_eq(n, 2);
    bool saw_a = false, saw_b = false;
    for (size_t i = 0; i < n; i++) {
        saw_a |= list[i].agent == wf_doc_agent(a->doc) && !strcmp(list[i].name, "alice")
                 && list[i].colour == ca;
        saw_b |= list[i].agent == wf_doc_agent(b->doc) && !strcmp(list[i].name, "bob")
                 && list[i].colour == cb;
    }
    ck_assert(saw_a && saw_b);
    ck_assert(logged(&W, "joined: alice"));
    ck_assert(logged(&W, "joined: bob"));
    /* after a lull the host's digest says they are in sync */
    wait_converged(&W, "a quiet session");
    ck_assert_uint_eq(wn_guest_unsent(a->g), 0);
    world_close(&W);
}
END_TEST

/* A big document arrives whole in one join. */
START_TEST(test_session__join_big)
{
    size_t n = 3 << 20;
    char *text = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        text[i] = i % 61 == 60 ? '\n' : (char)('a' + i % 26);
    text[n] = '\0';
    world_open(&W, text, true);
    gst *a = guest_start(&W, "alice", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "the guest online");
    size_t got;
    char *gt = wt_text_n(a->doc, &got);
    ck_assert_uint_eq(got, n);
    ck_assert(memcmp(gt, text, n) == 0);
    free(gt);
    free(text);
    world_close(&W);
}
END_TEST

/* A document larger than the host's slow-guest limit (WN_SLOW_BYTES of queued output)
 * reaches a new guest on its first attempt: the join's own SYNC, queued all at once, is not
 * a sign of a guest that "could not keep up". (Dropping it wastes the transfer; over a link
 * that cannot carry the queue within the connection's linger time, every attempt is dropped
 * the same way and the guest never joins.) */
START_TEST(test_session__join_huge)
{
    size_t n = WN_SLOW_BYTES + (24u << 20);
    char *text = malloc(n + 1);
    wt_rng rng;
    wt_rng_init(&rng, 42);
    /* printable ASCII at random (the update codec compresses text: a regular pattern would
     * shrink below the limit), a line every 60 bytes or so */
    for (size_t i = 0; i < n; i += 8) {
        uint64_t w = wt_rng_next(&rng);
        for (size_t k = 0; k < 8 && i + k < n; k++)
            text[i + k] = (i + k) % 61 == 60 ? '\n' : (char)(0x20 + ((w >> (8 * k)) & 0xff) % 95);
    }
    text[n] = '\0';
    world_open(&W, text, true);
    gst *a = guest_start(&W, "alice", NULL);
    if (!wt_run_until(&W.loop, all_online, &W, 15000))
        ck_abort_msg("a %zu-byte document never reached the guest: state %d, last reason '%s'",
                     n, a->state, a->why);
    ck_assert_uint_eq(wf_doc_bytes(a->doc), n);
    ck_assert_msg(a->nreconnecting == 0 && !logged(&W, "could not keep up"),
                  "the joining guest was dropped %d time(s) as too slow", a->nreconnecting);
    free(text);
    world_close(&W);
}
END_TEST

/* --- editing ----------------------------------------------------------------------------- */

START_TEST(test_session__concurrent_edits_converge)
{
    world_open(&W, "The quick brown fox\njumps over\nthe lazy dog.\n", true);
    gst *a = guest_start(&W, "alice", NULL);
    gst *b = guest_start(&W, "bob", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "both guests online");
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("session concurrent edits"));
    long rounds = wt_scaled(60);
    for (long r = 0; r < rounds; r++) {
        /* each replica edits without hearing the others, then the loop turns a little */
        for (int k = 0; k < 3; k++) {
            int edits = (int)wt_rng_below(&rng, 4);
            for (int e = 0; e < edits; e++)
                random_edit(&rng, k == 0 ? W.hdoc : k == 1 ? a->doc : b->doc);
            if (k == 0)
                wn_host_local_changed(W.host);
            else
                wn_guest_local_changed((k == 1 ? a : b)->g);
        }
        int turns = (int)wt_rng_below(&rng, 4);
        for (int t = 0; t < turns; t++)
            uv_run(&W.loop, UV_RUN_NOWAIT);
    }
    wait_converged(&W, "after random concurrent edits");

    /* markers typed at the same time, two of them at the same place */
    wt_ins(W.hdoc, 0, "<H-MARK>");
    wt_ins(a->doc, 0, "<A-MARK>");
    wt_ins(b->doc, wf_doc_len(b->doc) / 2, "<B-MARK>");
    wn_host_local_changed(W.host);
    wn_guest_local_changed(a->g);
    wn_guest_local_changed(b->g);
    wait_converged(&W, "after concurrent markers");
    static const char *marks[] = {"<H-MARK>", "<A-MARK>", "<B-MARK>"};
    for (int m = 0; m < 3; m++) {
        ck_assert_int_eq(count_in(W.hdoc, marks[m]), 1);
        ck_assert_int_eq(count_in(a->doc, marks[m]), 1);
        ck_assert_int_eq(count_in(b->doc, marks[m]), 1);
    }
    /* no replica had to be rebuilt from the host's state */
    ck_assert_int_eq(a->nreplaced + b->nreplaced, 0);
    ck_assert_int_gt(W.host_changed, 0);
    wt_check(W.hdoc);
    wt_check(a->doc);
    wt_check(b->doc);
    world_close(&W);
}
END_TEST

/* --- presence ---------------------------------------------------------------------------- */

typedef struct presence_wait {
    const gst *viewer;
    uint64_t agent;
    uint8_t flag;         /* a flag the record must carry */
} presence_wait;

static bool sees(void *arg)
{
    presence_wait *p = arg;
    const wn_presence *r = seen_by(p->viewer, p->agent);
    return r && (r->flags & p->flag) == p->flag;
}

START_TEST(test_session__presence)
{
    world_open(&W, "0123456789\nabcdefghij\n", true);
    gst *a = guest_start(&W, "alice", NULL);
    gst *b = guest_start(&W, "bob", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "both guests online");
    uint64_t aa = wf_doc_agent(a->doc);

    /* alice's caret, selection and view, with a name and colour she does not get to pick */
    wn_presence p;
    memset(&p, 0, sizeof p);
    p.flags = WN_PRESENCE_CURSOR | WN_PRESENCE_SELECTION | WN_PRESENCE_VIEW;
    p.cursor = wf_doc_anchor_at(a->doc, 3, 0);
    p.selection = wf_doc_anchor_at(a->doc, 7, -1);
    p.view_top = wf_doc_anchor_at(a->doc, 0, 0);
    p.view_lines = 40;
    p.colour = WN_COLOURS - 1;
    wn_presence_set_name(&p, "not alice");
    wn_guest_set_presence(a->g, &p);
    presence_wait pw = {b, aa, WN_PRESENCE_CURSOR};
    wt_wait(&W.loop, sees, &pw, WAIT_MS, "bob to see alice's caret");
    const wn_presence *r = seen_by(b, aa);
    ck_assert_uint_eq(r->colour, wn_guest_colour(a->g));
    ck_assert_str_eq(r->name, "alice");
    ck_assert_uint_eq(r->view_lines, 40);
    ck_assert(!(r->flags & WN_PRESENCE_READONLY));
    ck_assert_uint_eq(wf_doc_anchor_pos(b->doc, r->cursor), 3);
    ck_assert_uint_eq(wf_doc_anchor_pos(b->doc, r->selection), 7);
    /* the anchors stay on their characters when the text before them changes */
    wt_ins(W.hdoc, 0, "++");
    wn_host_local_changed(W.host);
    wait_converged(&W, "after an insert before alice's caret");
    r = seen_by(b, aa);
    ck_assert_uint_eq(wf_doc_anchor_pos(b->doc, r->cursor), 5);
    /* the host knows it too */
    const wn_presence *list;
    size_t n = wn_host_guests(W.host, &list);
    bool host_saw = false;
    for (size_t i = 0; i < n; i++)
        host_saw |= list[i].agent == aa && (list[i].flags & WN_PRESENCE_CURSOR);
    ck_assert(host_saw);

    /* a later change replaces the earlier one */
    p.flags = WN_PRESENCE_CURSOR | WN_PRESENCE_TYPING;
    p.cursor = wf_doc_anchor_at(a->doc, 1, 0);
    wn_guest_set_presence(a->g, &p);
    presence_wait pt = {b, aa, WN_PRESENCE_TYPING};
    wt_wait(&W.loop, sees, &pt, WAIT_MS, "bob to see alice typing");
    r = seen_by(b, aa);
    ck_assert_uint_eq(wf_doc_anchor_pos(b->doc, r->cursor), 1);
    ck_assert(!(r->flags & WN_PRESENCE_SELECTION));

    /* the host's own presence: colour 0 and its name */
    wn_presence hp;
    memset(&hp, 0, sizeof hp);
    hp.flags = WN_PRESENCE_CURSOR;
    hp.cursor = wf_doc_anchor_at(W.hdoc, 2, 0);
    hp.colour = 9;
    wn_host_set_presence(W.host, &hp);
    presence_wait ph = {a, wf_doc_agent(W.hdoc), WN_PRESENCE_CURSOR};
    wt_wait(&W.loop, sees, &ph, WAIT_MS, "alice to see the host's caret");
    ph.viewer = b;
    wt_wait(&W.loop, sees, &ph, WAIT_MS, "bob to see the host's caret");
    r = seen_by(b, wf_doc_agent(W.hdoc));
    ck_assert_uint_eq(r->colour, 0);
    ck_assert_str_eq(r->name, "hostname");
    ck_assert_uint_eq(wf_doc_anchor_pos(b->doc, r->cursor), 2);
    /* nobody is shown their own record */
    ck_assert_ptr_null(seen_by(a, aa));

    /* a guest joining later is told everyone's presence at once */
    gst *c = guest_start(&W, "carol", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "carol online");
    presence_wait pc = {c, aa, WN_PRESENCE_CURSOR};
    wt_wait(&W.loop, sees, &pc, WAIT_MS, "carol to see alice's caret");
    pc.agent = wf_doc_agent(W.hdoc);
    wt_wait(&W.loop, sees, &pc, WAIT_MS, "carol to see the host's caret");
    world_close(&W);
}
END_TEST

/* The host's name for a guest: unique in the session, the host included. */
static const char *host_name_of(const world *w, const gst *x)
{
    const wn_presence *list;
    size_t n = wn_host_guests(w->host, &list);
    for (size_t i = 0; i < n; i++)
        if (list[i].agent == wf_doc_agent(x->doc))
            return list[i].name;
    return NULL;
}

static void show_caret(gst *x)
{
    wn_presence p;
    memset(&p, 0, sizeof p);
    p.flags = WN_PRESENCE_CURSOR;
    p.cursor = wf_doc_anchor_at(x->doc, 0, 0);
    wn_guest_set_presence(x->g, &p);
}

static bool host_has_three(void *arg)
{
    const wn_presence *list;
    return wn_host_guests(((world *)arg)->host, &list) == 3;
}

/* Two people may pick the same name: the host tells them apart for everyone. */
START_TEST(test_session__same_names)
{
    world_open(&W, "text\n", true);
    gst *a1 = guest_start(&W, "alice", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "the first alice online");
    gst *a2 = guest_start(&W, "alice", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "the second alice online");
    gst *h2 = guest_start(&W, "hostname", NULL); /* the host's own name */
    gst *a3 = guest_start(&W, "alice", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "everyone online");
    ck_assert_str_eq(host_name_of(&W, a1), "alice");
    ck_assert_str_eq(host_name_of(&W, a2), "alice (2)");
    ck_assert_str_eq(host_name_of(&W, h2), "hostname (2)");
    ck_assert_str_eq(host_name_of(&W, a3), "alice (3)");
    /* every screen shows the host's names, whatever the guests call themselves */
    show_caret(a1);
    show_caret(a2);
    presence_wait pw = {a3, wf_doc_agent(a1->doc), WN_PRESENCE_CURSOR};
    wt_wait(&W.loop, sees, &pw, WAIT_MS, "the third alice to see the first");
    pw.agent = wf_doc_agent(a2->doc);
    wt_wait(&W.loop, sees, &pw, WAIT_MS, "the third alice to see the second");
    ck_assert_str_eq(seen_by(a3, wf_doc_agent(a1->doc))->name, "alice");
    ck_assert_str_eq(seen_by(a3, wf_doc_agent(a2->doc))->name, "alice (2)");
    /* a name that was freed is given again */
    guest_stop(a2);
    wt_wait(&W.loop, host_has_three, &W, WAIT_MS, "the second alice to leave");
    gst *a4 = guest_start(&W, "alice", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "the fourth alice online");
    ck_assert_str_eq(host_name_of(&W, a4), "alice (2)");
    world_close(&W);
}
END_TEST

/* A guest of our own making that lies in its presence: it claims another participant's
 * agent, a colour of its choosing, another name and the read-only flag. The host keeps the
 * identity it assigned at JOIN. */
typedef struct rogue {
    uv_tcp_t *tcp;
    uv_connect_t req;
    wn_conn *c;
    bool welcomed;
    uint8_t colour;
    int nclosed;
    int err;
    char why[256];
    uint64_t agent;
    uint64_t victim;      /* the agent it claims */
    int resyncs;          /* when > 0: on WELCOME, ask for this many resyncs, no lie */
    int nsync;            /* SYNC messages (full states) received */
    uint64_t sync_ms[8];  /* uv_now() at the first eight */
} rogue;

static void rogue_ready(wn_conn *c)
{
    rogue *r = wn_conn_data(c);
    wn_join j;
    memset(&j, 0, sizeof j);
    j.agent = r->agent;
    snprintf(j.name, sizeof j.name, "mallory");
    wf_buf b;
    wf_buf_init(&b);
    wn_join_encode(&j, &b);
    wn_conn_send(c, WN_M_JOIN, b.data, b.len);
    wf_buf_reset(&b);
    wf_vv none;
    wf_vv_init(&none);
    wn_open_encode(WN_SINGLE_FILE_ID, &none, &b); /* the one file */
    wn_conn_send(c, WN_M_OPEN, b.data, b.len);
    wf_buf_free(&b);
}

static void rogue_message(wn_conn *c, uint8_t type, const uint8_t *p, size_t n)
{
    rogue *r = wn_conn_data(c);
    if (type == WN_M_SYNC) {
        if (r->nsync < 8)
            r->sync_ms[r->nsync] = uv_now(&W.loop);
        r->nsync++;
    }
    if (type != WN_M_WELCOME)
        return;
    wn_welcome w;
    ck_assert_int_eq(wn_welcome_decode(p, n, &w), 0);
    r->welcomed = true;
    r->colour = w.colour;
    if (r->resyncs > 0) {
        for (int i = 0; i < r->resyncs; i++)
            wn_conn_send(c, WN_M_RESYNC, "\x01", 1); /* file 1 */
        return;
    }
    wn_presence lie;
    memset(&lie, 0, sizeof lie);
    lie.agent = r->victim;
    lie.clock = 1000;
    lie.colour = (uint8_t)((w.colour + 5) % WN_COLOURS);
    lie.flags = WN_PRESENCE_CURSOR | WN_PRESENCE_READONLY;
    lie.cursor.kind = WF_ANCHOR_END;
    wn_presence_set_name(&lie, "the host");
    wf_buf b;
    wf_buf_init(&b);
    wn_presence_encode(&lie, &b);
    wn_conn_send(c, WN_M_PRESENCE, b.data, b.len);
    wf_buf_free(&b);
}

static void rogue_closed(wn_conn *c, int err, const char *why)
{
    rogue *r = wn_conn_data(c);
    r->nclosed++;
    r->err = err;
    snprintf(r->why, sizeof r->why, "%s", why);
    r->c = NULL;
}

static const wn_conn_events rogue_events = {.ready = rogue_ready, .message = rogue_message,
                                            .closed = rogue_closed};

static void rogue_connected(uv_connect_t *req, int status)
{
    rogue *r = req->data;
    ck_assert_int_eq(status, 0);
    wn_handshake hs;
    wn_handshake_guest(&hs, W.token, "rogue-0.1");
    r->c = wn_conn_new(&W.loop, (uv_stream_t *)r->tcp, (uv_stream_t *)r->tcp, &hs,
                       &rogue_events, r);
}

static void rogue_start(rogue *r, uint64_t victim)
{
    memset(r, 0, sizeof *r);
    r->agent = 0xbadbadbadULL;
    r->victim = victim;
    r->tcp = malloc(sizeof *r->tcp);
    uv_tcp_init(&W.loop, r->tcp);
    struct sockaddr_in addr;
    uv_ip4_addr("127.0.0.1", W.port, &addr);
    r->req.data = r;
    ck_assert_int_eq(uv_tcp_connect(&r->req, r->tcp, (struct sockaddr *)&addr,
                                    rogue_connected), 0);
}

static bool rogue_closed_cond(void *arg)
{
    return ((rogue *)arg)->nclosed > 0;
}

typedef struct gone_wait {
    const gst *viewer;
    uint64_t agent;
} gone_wait;

static bool is_gone(void *arg)
{
    gone_wait *g = arg;
    return seen_by(g->viewer, g->agent) == NULL;
}

START_TEST(test_session__presence_forced_by_host)
{
    world_open(&W, "text\n", true);
    gst *a = guest_start(&W, "alice", NULL);
    gst *b = guest_start(&W, "bob", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "both guests online");
    uint64_t aa = wf_doc_agent(a->doc);
    static rogue r;
    rogue_start(&r, aa);
    presence_wait pw = {b, r.agent, WN_PRESENCE_CURSOR};
    wt_wait(&W.loop, sees, &pw, WAIT_MS, "bob to see mallory's caret");
    ck_assert(r.welcomed);
    const wn_presence *rec = seen_by(b, r.agent);
    ck_assert_uint_eq(rec->colour, r.colour);
    ck_assert_str_eq(rec->name, "mallory");
    ck_assert(!(rec->flags & WN_PRESENCE_READONLY));
    ck_assert_uint_ne(r.colour, wn_guest_colour(a->g));
    ck_assert_uint_ne(r.colour, wn_guest_colour(b->g));
    /* and nothing was said in alice's name */
    ck_assert_ptr_null(seen_by(b, aa));

    /* a malformed update: the rogue is dropped, the others carry on and hear it left */
    wn_conn_send(r.c, WN_M_UPDATE, "\x01\xff\xff\xff garbage", 12); /* file 1 */
    wt_wait(&W.loop, rogue_closed_cond, &r, WAIT_MS, "the rogue dropped");
    ck_assert_msg(r.err == WN_EPROTO, "the rogue closed with %d (%s)", r.err, r.why);
    gone_wait gw = {b, r.agent};
    wt_wait(&W.loop, is_gone, &gw, WAIT_MS, "bob to hear mallory left");
    wt_ins(a->doc, 0, "still here ");
    wn_guest_local_changed(a->g);
    wait_converged(&W, "after the rogue left");
    ck_assert_int_eq(count_in(b->doc, "garbage"), 0);
    world_close(&W);
}
END_TEST

typedef struct sync_wait {
    const rogue *r;
    int n;
} sync_wait;

static bool rogue_got_states(void *arg)
{
    const sync_wait *sw = arg;
    return sw->r->nsync >= sw->n;
}

static int log_count(const world *w, const char *s)
{
    int n = 0;
    for (int i = 0; i < w->nlog && i < 64; i++)
        n += strstr(w->log[i], s) != NULL;
    return n;
}

/* A guest that asks for a full resync 50 times at once gets one at once and one more when
 * WN_RESYNC_INTERVAL_MS has passed, not 50 copies of the document; the others carry on. */
START_TEST(test_session__resync_flood)
{
    world_open(&W, "the host's text\n", true);
    gst *a = guest_start(&W, "alice", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "alice online");
    static rogue r;
    rogue_start(&r, 0);
    r.resyncs = 50;
    sync_wait sw = {&r, 2};
    wt_wait(&W.loop, rogue_got_states, &sw, WAIT_MS, "the join's state and a first resync");
    sw.n = 3;
    wt_wait(&W.loop, rogue_got_states, &sw, WAIT_MS, "the other requests' one resync");
    uint64_t gap = r.sync_ms[2] - r.sync_ms[1];
    ck_assert_msg(gap >= WN_RESYNC_INTERVAL_MS / 2,
                  "the second resync came %llu ms after the first", (unsigned long long)gap);
    sw.n = 4;
    ck_assert_msg(!wt_run_until(&W.loop, rogue_got_states, &sw, 1500),
                  "more full states than the interval allows: %d", r.nsync);
    ck_assert_int_eq(log_count(&W, "asked for a full resync"), 2);
    wt_ins(a->doc, 0, "unbothered ");
    wn_guest_local_changed(a->g);
    wait_converged(&W, "alice during the resync flood");
    world_close(&W);
}
END_TEST

START_TEST(test_session__gone)
{
    world_open(&W, "text\n", true);
    gst *a = guest_start(&W, "alice", NULL);
    gst *b = guest_start(&W, "bob", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "both guests online");
    uint64_t aa = wf_doc_agent(a->doc);
    wn_presence p;
    memset(&p, 0, sizeof p);
    p.flags = WN_PRESENCE_CURSOR;
    p.cursor = wf_doc_anchor_at(a->doc, 1, 0);
    wn_guest_set_presence(a->g, &p);
    presence_wait pw = {b, aa, WN_PRESENCE_CURSOR};
    wt_wait(&W.loop, sees, &pw, WAIT_MS, "bob to see alice");
    int before = W.host_presence;
    guest_stop(a);
    gone_wait gw = {b, aa};
    wt_wait(&W.loop, is_gone, &gw, WAIT_MS, "bob to hear alice left");
    const wn_presence *list;
    ck_assert_uint_eq(wn_host_guests(W.host, &list), 1);
    ck_assert_uint_eq(list[0].agent, wf_doc_agent(b->doc));
    ck_assert_int_gt(W.host_presence, before);
    ck_assert(logged(&W, "left: alice"));
    ck_assert_int_eq(wn_guest_state(b->g), WN_GUEST_ONLINE);
    world_close(&W);
}
END_TEST

/* --- saving ------------------------------------------------------------------------------- */

static bool save_asked(void *arg)
{
    return ((world *)arg)->nsave > 0;
}

static bool saved_once(void *arg)
{
    return ((gst *)arg)->nsaved > 0;
}

START_TEST(test_session__save)
{
    world_open(&W, "text\n", true);
    gst *a = guest_start(&W, "alice", NULL);
    gst *b = guest_start(&W, "bob", NULL);
    /* not connected yet: answered at once */
    wn_guest_request_save(a->g);
    ck_assert_int_eq(a->nsaved, 1);
    ck_assert(!a->saved_ok);
    a->nsaved = 0;
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "both guests online");

    wn_guest_request_save(b->g);
    wt_wait(&W.loop, save_asked, &W, WAIT_MS, "the host's save event");
    ck_assert_uint_eq(W.save_agent, wf_doc_agent(b->doc));
    ck_assert(logged(&W, "bob asks to save"));
    wn_host_save_done(W.host, W.save_agent, true, "saved notes.md (5 bytes)");
    wt_wait(&W.loop, saved_once, b, WAIT_MS, "bob's answer");
    ck_assert(b->saved_ok);
    ck_assert_str_eq(b->saved_text, "saved notes.md (5 bytes)");
    ck_assert_int_eq(a->nsaved, 0); /* the answer goes to the one who asked */

    W.nsave = 0;
    wn_guest_request_save(a->g);
    wt_wait(&W.loop, save_asked, &W, WAIT_MS, "the host's save event");
    ck_assert_uint_eq(W.save_agent, wf_doc_agent(a->doc));
    wn_host_save_done(W.host, W.save_agent, false, "cannot write notes.md: disk full");
    wt_wait(&W.loop, saved_once, a, WAIT_MS, "alice's answer");
    ck_assert(!a->saved_ok);
    ck_assert_str_eq(a->saved_text, "cannot write notes.md: disk full");
    ck_assert_int_eq(b->nsaved, 1);
    world_close(&W);
}
END_TEST

START_TEST(test_session__save_without_handler)
{
    world_open(&W, "text\n", false);
    gst *a = guest_start(&W, "alice", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "the guest online");
    wn_guest_request_save(a->g);
    wt_wait(&W.loop, saved_once, a, WAIT_MS, "alice's answer");
    ck_assert(!a->saved_ok);
    ck_assert_msg(a->saved_text[0] != '\0', "no reason given");
    world_close(&W);
}
END_TEST

/* --- who may do what ------------------------------------------------------------------------ */

static bool got_notice(void *arg)
{
    return ((gst *)arg)->nnotices > 0;
}

START_TEST(test_session__read_only_guest)
{
    world_open(&W, "read me\n", true);
    gst *a = guest_start(&W, "alice", NULL);
    gst *v = guest_start(&W, "viewer", W.token_ro);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "both guests online");
    ck_assert_int_eq(wn_guest_role(v->g), WN_ROLE_RO);
    wt_assert_text(v->doc, "read me\n");
    ck_assert(logged(&W, "read-only"));
    /* others see the flag */
    wn_presence p;
    memset(&p, 0, sizeof p);
    p.flags = WN_PRESENCE_CURSOR;
    p.cursor = wf_doc_anchor_at(v->doc, 0, 0);
    wn_guest_set_presence(v->g, &p);
    presence_wait pw = {a, wf_doc_agent(v->doc), WN_PRESENCE_READONLY};
    wt_wait(&W.loop, sees, &pw, WAIT_MS, "alice to see the viewer as read-only");
    /* its edit is refused and reported, and reaches nobody */
    wt_ins(v->doc, 0, "VANDAL");
    wn_guest_local_changed(v->g);
    wt_wait(&W.loop, got_notice, v, WAIT_MS, "the refusal");
    ck_assert_msg(strstr(v->notice, "read-only") != NULL, "notice: %s", v->notice);
    ck_assert(logged(&W, "refused an edit from viewer"));
    /* the host and alice still agree without it, and hear alice's edits */
    wt_ins(a->doc, 0, "alice: ");
    wn_guest_local_changed(a->g);
    v->skip = true; /* the viewer's copy has its refused edit: leave it out ... */
    wait_converged(&W, "alice and the host");
    ck_assert_int_eq(count_in(W.hdoc, "VANDAL"), 0);
    ck_assert_int_eq(count_in(a->doc, "VANDAL"), 0);
    ck_assert_int_eq(count_in(v->doc, "alice: "), 1); /* ... which still receives */
    world_close(&W);
}
END_TEST

static bool offline(void *arg)
{
    const gst *x = arg;
    return x->state == WN_GUEST_OFFLINE;
}

START_TEST(test_session__wrong_token)
{
    world_open(&W, "secret\n", true);
    gst *a = guest_start(&W, "alice", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "alice online");
    gst *e = guest_start(&W, "eve", "AAAAAAAAAAAAAAAAAAAAAA");
    e->skip = true;
    wt_wait(&W.loop, offline, e, WAIT_MS, "eve to give up");
    ck_assert_msg(strstr(e->why, "token") != NULL, "eve's reason: %s", e->why);
    ck_assert_int_eq(wf_doc_len(e->doc), 0); /* nothing leaked */
    ck_assert(logged(&W, "refused"));
    /* a read-only token in a read-write place is still not the read-write one */
    gst *f = guest_start(&W, "frank", W.token_ro);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "frank online (read-only)");
    ck_assert_int_eq(wn_guest_role(f->g), WN_ROLE_RO);
    /* alice carries on */
    wt_ins(a->doc, 0, "still editing: ");
    wn_guest_local_changed(a->g);
    wait_converged(&W, "alice after eve's attempt");
    ck_assert_int_eq(wn_guest_state(a->g), WN_GUEST_ONLINE);
    world_close(&W);
}
END_TEST

static bool all_skipped_offline(void *arg)
{
    world *w = arg;
    for (int i = 0; i < w->nguests; i++)
        if (w->guests[i].skip && w->guests[i].state != WN_GUEST_OFFLINE)
            return false;
    return true;
}

static bool is_online(void *arg)
{
    const gst *x = arg;
    return x->state == WN_GUEST_ONLINE;
}

/* WN_SLOW_AFTER failed handshakes from one address: that address's next wrong token is
 * answered WN_SLOW_ANSWER_MS late, but a guest with the token from the same address (all ssh
 * guests come from the host's loopback) gets in at once; guests in the session carry on. */
START_TEST(test_session__slow_failures)
{
    world_open(&W, "guarded\n", true);
    gst *a = guest_start(&W, "alice", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "alice online");
    uint64_t t0 = uv_now(&W.loop);
    for (int i = 0; i < WN_SLOW_AFTER; i++) {
        gst *e = guest_start(&W, "mallet", "BBBBBBBBBBBBBBBBBBBBBB");
        e->skip = true;
    }
    wt_wait(&W.loop, all_skipped_offline, &W, WAIT_MS, "every wrong token refused");
    ck_assert_msg(uv_now(&W.loop) - t0 < WN_SLOW_ANSWER_MS,
                  "the first %d wrong tokens were not answered at once: %llu ms", WN_SLOW_AFTER,
                  (unsigned long long)(uv_now(&W.loop) - t0));
    /* One more wrong token: its answer is held back ... */
    gst *slow = guest_start(&W, "slowpoke", "BBBBBBBBBBBBBBBBBBBBBB");
    slow->skip = true;
    uint64_t t1 = uv_now(&W.loop);
    /* ... while a guest with the token, from the same address, gets in at once. */
    gst *late = guest_start(&W, "late", NULL);
    late->skip = true;
    ck_assert_msg(wt_run_until(&W.loop, is_online, late, WN_SLOW_ANSWER_MS / 2),
                  "a guest with the token was kept out by others' failures: state %d (%s)",
                  late->state, late->why);
    ck_assert_int_ne(slow->state, WN_GUEST_OFFLINE);
    wt_wait(&W.loop, offline, slow, WAIT_MS, "the wrong token's late answer");
    uint64_t held = uv_now(&W.loop) - t1;
    ck_assert_msg(held + 50 >= WN_SLOW_ANSWER_MS, "answered after %llu ms",
                  (unsigned long long)held);
    ck_assert_msg(strstr(slow->why, "wrong token") != NULL, "its reason: '%s'", slow->why);
    ck_assert(logged(&W, "slowing down 127.0.0.1"));
    ck_assert_int_eq(wn_guest_state(a->g), WN_GUEST_ONLINE);
    wt_ins(a->doc, 0, "unbothered ");
    wn_guest_local_changed(a->g);
    late->skip = false;
    wait_converged(&W, "alice and the late guest");
    world_close(&W);
}
END_TEST

/* A guest whose link dropped gets back in, even though others failed from its address
 * meanwhile (before, the ban that followed them made its reconnect a final "no"). */
START_TEST(test_session__reconnect_after_others_failed)
{
    world_open(&W, "shared\n", true);
    gst *a = guest_start(&W, "alice", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "alice online");
    char listen[32];
    host_stop_keeping_port(&W, listen, sizeof listen);
    host_start(&W, listen);
    for (int i = 0; i < WN_SLOW_AFTER + 2; i++) {
        gst *e = guest_start(&W, "mallet", "BBBBBBBBBBBBBBBBBBBBBB");
        e->skip = true;
    }
    wt_wait(&W.loop, all_skipped_offline, &W, WAIT_MS, "every wrong token refused");
    ck_assert(logged(&W, "slowing down 127.0.0.1"));
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "alice back online");
    ck_assert_int_ne(a->state, WN_GUEST_OFFLINE);
    world_close(&W);
}
END_TEST

/* --- refusals, final and not: a host of our own making that says no --------------------- */

/* Listens on a free loopback port with server (data: its data), which guests started next
 * connect to (W.port). */
static void listen_any(uv_tcp_t *server, void *data, uv_connection_cb on_connection)
{
    uv_tcp_init(&W.loop, server);
    server->data = data;
    struct sockaddr_in addr;
    uv_ip4_addr("127.0.0.1", 0, &addr);
    ck_assert_int_eq(uv_tcp_bind(server, (struct sockaddr *)&addr, 0), 0);
    ck_assert_int_eq(uv_listen((uv_stream_t *)server, 16, on_connection), 0);
    struct sockaddr_storage bound;
    int len = sizeof bound;
    uv_tcp_getsockname(server, (struct sockaddr *)&bound, &len);
    W.port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
}

typedef struct naysayer {
    uv_tcp_t server;
    int code;             /* what it says */
    const char *text;
    bool after_ready;     /* after the handshake (a BYE), else during it (an ERROR) */
    int nconns;
    bool closed;
} naysayer;

static void nay_server_closed(uv_handle_t *h)
{
    ((naysayer *)h->data)->closed = true;
}

static bool nay_is_closed(void *arg)
{
    return ((naysayer *)arg)->closed;
}

static void nay_ready(wn_conn *c)
{
    naysayer *n = wn_conn_data(c);
    wn_conn_fail(c, n->code, n->text);
}

static void nay_closed(wn_conn *c, int err, const char *why)
{
    (void)c, (void)err, (void)why;
}

static const wn_conn_events nay_events = {.ready = nay_ready, .closed = nay_closed};

static void nay_connection(uv_stream_t *server, int status)
{
    naysayer *n = server->data;
    ck_assert_int_eq(status, 0);
    uv_tcp_t *tcp = malloc(sizeof *tcp);
    uv_tcp_init(server->loop, tcp);
    ck_assert_int_eq(uv_accept(server, (uv_stream_t *)tcp), 0);
    n->nconns++;
    wn_handshake hs;
    wn_handshake_host(&hs, W.token, NULL, "nay-1.0");
    wn_conn *c = wn_conn_new(server->loop, (uv_stream_t *)tcp, (uv_stream_t *)tcp, &hs,
                             &nay_events, n);
    wn_handshake_wipe(&hs);
    if (!n->after_ready)
        wn_conn_fail(c, n->code, n->text);
}

static void nay_start(naysayer *n, int code, const char *text, bool after_ready)
{
    memset(n, 0, sizeof *n);
    n->code = code;
    n->text = text;
    n->after_ready = after_ready;
    listen_any(&n->server, n, nay_connection);
}

typedef struct tries {
    const naysayer *n;
    const gst *x;
    int conns;
} tries;

static bool retried(void *arg)
{
    const tries *t = arg;
    return t->n->nconns >= t->conns && t->x->state == WN_GUEST_RECONNECTING;
}

/* Each refusal is classified: one that can pass is retried with backoff, a final one stops
 * the guest (and says why). A failed authentication after the handshake proved the token
 * is a damaged link, retried too. */
START_TEST(test_session__refusal_classes)
{
    static const struct {
        int code;
        const char *text;
        bool after_ready;
        bool final;
    } cases[] = {
        {WN_ETOOBIG, "the session is full: try again later", false, false},
        {WN_ETOOBIG, "too many connections are setting up at once: try again", false, false},
        {WN_EPROTO, "unexpected message during the handshake", false, false},
        {WN_ETIMEOUT, "the handshake did not finish in time", false, false},
        {WN_EAUTH, "a message failed authentication (tampered)", true, false},
        {WN_ECLOSED, "replaced by a newer connection", true, false},
        {WN_EAUTH, "wrong token: check the ticket you were given", false, true},
        {WN_EVERSION, "this host runs weft 9 (protocol 9): use the same version", false, true},
        {WN_EDOC, "this is not the session you were in", true, true},
    };
    world_open(&W, "unused\n", true);
    guest_retry_ms = 30;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        naysayer n;
        nay_start(&n, cases[i].code, cases[i].text, cases[i].after_ready);
        gst *x = guest_start(&W, "guest", NULL);
        x->skip = true;
        if (cases[i].final) {
            wt_wait(&W.loop, offline, x, WAIT_MS, "a final no to stop the guest");
            ck_assert_msg(strstr(x->why, cases[i].text) != NULL, "case %zu: reason '%s'", i,
                          x->why);
            ck_assert_int_eq(n.nconns, 1);
            ck_assert_int_eq(x->nreconnecting, 0);
        } else {
            tries t = {&n, x, 3};
            ck_assert_msg(wt_run_until(&W.loop, retried, &t, WAIT_MS),
                          "case %zu (%s): %d connections, state %d (%s)", i, cases[i].text,
                          n.nconns, x->state, x->why);
            ck_assert_msg(strstr(x->why, cases[i].text) != NULL, "case %zu: reason '%s'", i,
                          x->why);
            ck_assert_uint_ge(wn_guest_failures(x->g), 2);
        }
        ck_assert_int_eq(wn_guest_error(x->g), cases[i].code);
        guest_stop(x);
        wt_wait(&W.loop, all_stopped, &W, WAIT_MS, "the guest to stop");
        uv_close((uv_handle_t *)&n.server, nay_server_closed);
        wt_wait(&W.loop, nay_is_closed, &n, WAIT_MS, "the naysayer to close");
    }
    world_close(&W);
}
END_TEST

/* --- the host goes away and comes back ------------------------------------------------------ */

static bool both_reconnecting(void *arg)
{
    world *w = arg;
    return w->guests[0].state == WN_GUEST_RECONNECTING
           && w->guests[1].state == WN_GUEST_RECONNECTING;
}

START_TEST(test_session__reconnect)
{
    world_open(&W, "shared text\n", true);
    gst *a = guest_start(&W, "alice", NULL);
    gst *b = guest_start(&W, "bob", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "both guests online");
    wt_ins(a->doc, 0, "<A-BEFORE>");
    wn_guest_local_changed(a->g);
    wait_converged(&W, "before the cut");

    /* an edit on its way when the host stops: the host never reads it */
    wt_ins(a->doc, wf_doc_len(a->doc), "<A-INFLIGHT>");
    wn_guest_local_changed(a->g);
    char listen[32];
    host_stop_keeping_port(&W, listen, sizeof listen);
    wt_wait(&W.loop, both_reconnecting, &W, WAIT_MS, "both guests reconnecting");
    ck_assert_int_eq(count_in(W.hdoc, "<A-INFLIGHT>"), 0);

    /* edits everywhere while apart */
    wt_ins(a->doc, 0, "<A-OFFLINE>");
    wn_guest_local_changed(a->g);
    wt_ins(b->doc, wf_doc_len(b->doc), "<B-OFFLINE>");
    wn_guest_local_changed(b->g);
    wt_ins(W.hdoc, wf_doc_len(W.hdoc), "<H-OFFLINE>");
    ck_assert_uint_gt(wn_guest_unsent(a->g), 0);
    /* a request made offline is answered at once */
    wn_guest_request_save(b->g);
    ck_assert_int_eq(b->nsaved, 1);
    ck_assert(!b->saved_ok);

    /* the host comes back on the same port, same document, same tokens */
    host_start(&W, listen);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "both guests back online");
    /* the host's offline edit is also flushed now, as the application would */
    wt_ins(W.hdoc, 0, "<H-AFTER>");
    wn_host_local_changed(W.host);
    wait_converged(&W, "after reconnecting");
    static const char *marks[] = {"<A-BEFORE>", "<A-INFLIGHT>", "<A-OFFLINE>", "<B-OFFLINE>",
                                  "<H-OFFLINE>", "<H-AFTER>"};
    for (size_t m = 0; m < sizeof marks / sizeof *marks; m++) {
        ck_assert_msg(count_in(W.hdoc, marks[m]) == 1, "%s: %d times at the host", marks[m],
                      count_in(W.hdoc, marks[m]));
        ck_assert_msg(count_in(a->doc, marks[m]) == 1, "%s: %d times at alice", marks[m],
                      count_in(a->doc, marks[m]));
        ck_assert_msg(count_in(b->doc, marks[m]) == 1, "%s: %d times at bob", marks[m],
                      count_in(b->doc, marks[m]));
    }
    ck_assert_uint_eq(wn_guest_unsent(a->g), 0);
    ck_assert_uint_eq(wn_guest_unsent(b->g), 0);
    ck_assert_int_eq(a->nreplaced + b->nreplaced, 0);
    wt_check(W.hdoc);
    world_close(&W);
}
END_TEST

static bool host_has_two(void *arg)
{
    const wn_presence *list;
    return wn_host_guests(((world *)arg)->host, &list) == 2;
}

/* A participant keeps its colour: when it reconnects, and when the host comes back after a
 * crash with the colours its journal kept, even if a newcomer arrives first. */
START_TEST(test_session__colours_kept)
{
    world_open(&W, "text\n", true);
    gst *a = guest_start(&W, "alice", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "alice online");
    gst *b = guest_start(&W, "bob", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "bob online");
    uint8_t ca = wn_guest_colour(a->g), cb = wn_guest_colour(b->g);
    ck_assert_uint_eq(ca, 1); /* in order of arrival */
    ck_assert_uint_eq(cb, 2);
    ck_assert_uint_eq(W.ncolours, 2);
    ck_assert(W.colours[0].agent == wf_doc_agent(a->doc) && W.colours[0].colour == ca);
    ck_assert(W.colours[1].agent == wf_doc_agent(b->doc) && W.colours[1].colour == cb);

    /* the host crashes and comes back with its journal's colours; a newcomer joins before
     * the others are back (they retry after 200 ms at the soonest) */
    char listen[32];
    snprintf(listen, sizeof listen, "127.0.0.1:%u", W.port);
    host_stop(&W);
    wt_wait(&W.loop, host_is_stopped, &W, WAIT_MS, "the host to stop");
    wt_wait(&W.loop, both_reconnecting, &W, WAIT_MS, "both guests reconnecting");
    W.recovering = true;
    host_start(&W, listen);
    gst *c = guest_start(&W, "carol", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "everyone back");
    ck_assert_uint_eq(wn_guest_colour(a->g), ca);
    ck_assert_uint_eq(wn_guest_colour(b->g), cb);
    uint8_t cc = wn_guest_colour(c->g);
    ck_assert_msg(cc != ca && cc != cb && cc > 0, "carol got colour %u", cc);
    ck_assert_uint_eq(W.ncolours, 3); /* only the newcomer was new */
    ck_assert(W.colours[2].agent == wf_doc_agent(c->doc) && W.colours[2].colour == cc);

    /* alice leaves; a newcomer meanwhile does not take her colour; she comes back (the same
     * agent: a resumed copy) and has it again */
    uint64_t alice = wf_doc_agent(a->doc);
    guest_stop(a);
    wt_wait(&W.loop, host_has_two, &W, WAIT_MS, "alice to leave");
    gst *d = guest_start(&W, "dave", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "dave online");
    uint8_t cd = wn_guest_colour(d->g);
    ck_assert_msg(cd != ca && cd != cb && cd != cc, "dave got colour %u", cd);
    gst *a2 = guest_start_as(&W, "alice", alice);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "alice back");
    ck_assert_uint_eq(wn_guest_colour(a2->g), ca);
    world_close(&W);
}
END_TEST

static bool all_ended(void *arg)
{
    world *w = arg;
    for (int i = 0; i < w->nguests; i++)
        if (w->guests[i].state != WN_GUEST_ENDED)
            return false;
    return true;
}

static bool any_online(void *arg)
{
    world *w = arg;
    for (int i = 0; i < w->nguests; i++)
        if (w->guests[i].state == WN_GUEST_ONLINE)
            return true;
    return false;
}

/* A host that ends the session says goodbye: each guest is told by whom and why, and what
 * of its own the host did not get (edits still on their way when it ended); none of them
 * reconnects, even to a host on the same address. */
START_TEST(test_session__host_ends)
{
    world_open(&W, "0123456789\n", true);
    gst *a = guest_start(&W, "alice", NULL);
    gst *b = guest_start(&W, "bob", NULL);
    gst *c = guest_start(&W, "carol", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "every guest online");
    wt_ins(a->doc, 0, "<A>");
    wn_guest_local_changed(a->g);
    wt_del(c->doc, 5, 1);
    wn_guest_local_changed(c->g);
    wait_converged(&W, "before the end");
    /* on their way when the host ends, in the same loop turn: never read */
    wt_ins(b->doc, 0, "xyz");
    wn_guest_local_changed(b->g);
    wt_del(c->doc, 0, 2);
    wn_guest_local_changed(c->g);
    host_end(&W, WN_END_INTERRUPTED, true);
    wt_wait(&W.loop, all_ended, &W, WAIT_MS, "every guest told the session ended");
    wt_wait(&W.loop, host_is_stopped, &W, WAIT_MS, "the host to stop");
    ck_assert_int_eq(count_in(W.hdoc, "xyz"), 0);

    const wn_goodbye *ga = wn_guest_goodbye(a->g), *gb = wn_guest_goodbye(b->g),
                     *gc = wn_guest_goodbye(c->g);
    ck_assert(ga && gb && gc);
    for (int i = 0; i < 3; i++) {
        const gst *x = &W.guests[i];
        const wn_goodbye *bye = wn_guest_goodbye(x->g);
        ck_assert_str_eq(bye->host, "hostname");
        ck_assert_int_eq(bye->reason, WN_END_INTERRUPTED);
        ck_assert(bye->saved);
        ck_assert_msg(strstr(x->why, "hostname ended the session (stopped with Ctrl-C)"),
                      "%s was told '%s'", x->name, x->why);
        ck_assert_int_eq(x->nreconnecting, 0);
    }
    ck_assert_uint_eq(ga->unsent, 0); /* everything of alice's arrived */
    ck_assert(ga->all_received);
    ck_assert_uint_eq(gb->unsent, 3); /* bob's "xyz" did not */
    ck_assert(!gb->all_received);
    ck_assert_uint_eq(wn_guest_unsent(b->g), 3);
    ck_assert_uint_eq(gc->unsent, 0); /* carol's last deletion did not: no units, yet lost */
    ck_assert(!gc->all_received);
    wt_assert_text(b->doc, "xyz<A>012346789\n"); /* the guests keep their copies */

    /* the session is over: a host on the same address does not bring them back */
    char listen[32];
    snprintf(listen, sizeof listen, "127.0.0.1:%u", W.port);
    host_start(&W, listen);
    ck_assert_msg(!wt_run_until(&W.loop, any_online, &W, 1500), "a guest reconnected");
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(W.guests[i].state, WN_GUEST_ENDED);
    world_close(&W);
}
END_TEST

/* A host that starts again with another document id: the guest keeps its copy and stops. */
START_TEST(test_session__other_document)
{
    world_open(&W, "first session\n", true);
    gst *a = guest_start(&W, "alice", NULL);
    wt_wait(&W.loop, all_online, &W, WAIT_MS, "alice online");
    char listen[32];
    host_stop_keeping_port(&W, listen, sizeof listen);
    W.doc_id[0] ^= 1;
    host_start(&W, listen);
    wt_wait(&W.loop, offline, a, WAIT_MS, "alice to give up on the new session");
    ck_assert_msg(a->why[0] != '\0', "no reason");
    wt_assert_text(a->doc, "first session\n");
    world_close(&W);
}
END_TEST

/* --- not a weft host ------------------------------------------------------------------- */

typedef struct stranger {
    uv_tcp_t server;
    const char *says;     /* written on each connection, which is then closed */
    bool closed;
} stranger;

static void stranger_said(uv_write_t *req, int status)
{
    (void)status;
    uv_close((uv_handle_t *)req->handle, (uv_close_cb)free);
    free(req);
}

static void stranger_connection(uv_stream_t *server, int status)
{
    stranger *x = server->data;
    ck_assert_int_eq(status, 0);
    uv_tcp_t *tcp = malloc(sizeof *tcp);
    uv_tcp_init(server->loop, tcp);
    ck_assert_int_eq(uv_accept(server, (uv_stream_t *)tcp), 0);
    uv_write_t *req = malloc(sizeof *req);
    uv_buf_t b = uv_buf_init((char *)x->says, (unsigned)strlen(x->says));
    ck_assert_int_eq(uv_write(req, (uv_stream_t *)tcp, &b, 1, stranger_said), 0);
}

static void stranger_closed(uv_handle_t *h)
{
    ((stranger *)h->data)->closed = true;
}

static bool stranger_is_closed(void *arg)
{
    return ((stranger *)arg)->closed;
}

static bool reconnecting(void *arg)
{
    return ((const gst *)arg)->state == WN_GUEST_RECONNECTING;
}

/* A port where something else answers (an HTTP server), or that closes at once: the guest
 * says so, and tries again (the host may come back there). */
START_TEST(test_session__not_a_weft_host)
{
    static const struct {
        const char *says, *why;
    } cases[] = {
        {"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n"
         "Connection: close\r\n\r\nBad Request\n", "does not speak weft's protocol"},
        {"", "the connection closed during the handshake. Is it a weft host"},
    };
    world_open(&W, "unused\n", true);
    guest_retry_ms = 30;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        stranger x = {.says = cases[i].says};
        listen_any(&x.server, &x, stranger_connection);
        gst *g = guest_start(&W, "guest", NULL);
        g->skip = true;
        wt_wait(&W.loop, reconnecting, g, WAIT_MS, "the guest to try again");
        ck_assert_msg(strstr(g->why, cases[i].why) != NULL, "case %zu: '%s'", i, g->why);
        guest_stop(g);
        wt_wait(&W.loop, all_stopped, &W, WAIT_MS, "the guest to stop");
        uv_close((uv_handle_t *)&x.server, stranger_closed);
        wt_wait(&W.loop, stranger_is_closed, &x, WAIT_MS, "the stranger to close");
    }
    world_close(&W);
}
END_TEST

/* --- the ssh transport's children ------------------------------------------------------ */

/* This process's children that are zombies (exited, not reaped), from /proc. */
static int zombie_children(void)
{
    int zombies = 0;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)getpid(), (int)getpid());
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    int pid;
    while (fscanf(f, "%d", &pid) == 1) {
        char stat[64], buf[512];
        snprintf(stat, sizeof stat, "/proc/%d/stat", pid);
        FILE *g = fopen(stat, "r");
        if (!g)
            continue;
        /* "pid (comm) S ...": the state follows the last ')'. */
        if (fgets(buf, sizeof buf, g)) {
            char *rp = strrchr(buf, ')');
            zombies += rp && rp[1] == ' ' && rp[2] == 'Z';
        }
        fclose(g);
    }
    fclose(f);
    return zombies;
}

typedef struct failures_wait {
    const gst *x;
    unsigned n;
} failures_wait;

static bool failed_often(void *arg)
{
    const failures_wait *f = arg;
    return f->x->g && wn_guest_failures(f->x->g) >= f->n;
}

/* 20 attempts through an ssh that fails at once: each child is reaped (none is left a
 * zombie, while the guest runs nor after), the failure is retried and its words say how
 * ssh ended. */
START_TEST(test_session__ssh_children_reaped)
{
    world_open(&W, "over ssh\n", true);
    guest_retry_ms = 20;
    gst *x = guest_start_ssh(&W, "sam", "false");
    x->skip = true;
    failures_wait f = {x, 20};
    wt_wait(&W.loop, failed_often, &f, WAIT_MS, "20 failed attempts through ssh");
    ck_assert_int_eq(x->state, WN_GUEST_RECONNECTING);
    ck_assert_msg(strstr(x->why, "ssh to sshhost ended") != NULL, "the reason: '%s'", x->why);
    int running = zombie_children();
    guest_stop(x);
    wt_wait(&W.loop, all_stopped, &W, WAIT_MS, "the guest to stop");
    ck_assert_msg(running <= 1, "%d zombie ssh children while the guest retried", running);
    ck_assert_int_eq(zombie_children(), 0);
    world_close(&W);
}
END_TEST

/* No ssh program: a final no, which says what to install. */
START_TEST(test_session__no_ssh_program)
{
    world_open(&W, "over ssh\n", true);
    gst *x = guest_start_ssh(&W, "sam", "/nonexistent/weft-test-ssh");
    x->skip = true;
    wt_wait(&W.loop, offline, x, WAIT_MS, "the guest to give up");
    ck_assert_msg(strstr(x->why, "no program '/nonexistent/weft-test-ssh'") != NULL
                      && strstr(x->why, "WEFT_SSH") != NULL, "the reason: '%s'", x->why);
    ck_assert_int_eq(wn_guest_error(x->g), WN_ENOSSH);
    world_close(&W);
}
END_TEST

static Suite *session_suite(void)
{
    Suite *s = suite_create("net_session");
    TCase *tc = tcase_create("join");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_session__join);
    tcase_add_test(tc, test_session__join_big);
    tcase_add_test(tc, test_session__join_huge);
    suite_add_tcase(s, tc);

    tc = tcase_create("edits");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_session__concurrent_edits_converge);
    suite_add_tcase(s, tc);

    tc = tcase_create("presence");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_session__presence);
    tcase_add_test(tc, test_session__presence_forced_by_host);
    tcase_add_test(tc, test_session__gone);
    tcase_add_test(tc, test_session__same_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("save");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_session__save);
    tcase_add_test(tc, test_session__save_without_handler);
    suite_add_tcase(s, tc);

    tc = tcase_create("access");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_session__read_only_guest);
    tcase_add_test(tc, test_session__wrong_token);
    tcase_add_test(tc, test_session__slow_failures);
    tcase_add_test(tc, test_session__refusal_classes);
    tcase_add_test(tc, test_session__not_a_weft_host);
    tcase_add_test(tc, test_session__resync_flood);
    suite_add_tcase(s, tc);

    tc = tcase_create("faults");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_session__reconnect);
    tcase_add_test(tc, test_session__host_ends);
    tcase_add_test(tc, test_session__reconnect_after_others_failed);
    tcase_add_test(tc, test_session__other_document);
    tcase_add_test(tc, test_session__colours_kept);
    tcase_add_test(tc, test_session__ssh_children_reaped);
    tcase_add_test(tc, test_session__no_ssh_program);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    if (wn_crypto_init() != 0)
        return 99;
    return wt_run_suite(session_suite());
}
