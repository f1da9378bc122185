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
 * join's diff carries them; tree requests wait in a queue. Every dial and timer holds a reference to
 * the guest (`pending`), so that stopping waits for them. uv_timer_init() returns 0, and
 * uv_timer_start() fails only on a closed timer (once stopping): where it can, that is
 * handled; the init's result is discarded with (void). */
#include "net/guest.h"

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

/* One file the guest has open. */
typedef struct gfile {
    uint64_t id;
    wf_doc *doc;
    bool owned;                /* made by the guest and not handed over yet: ours to free */
    bool announced;            /* `opened` was told (the one file: needs no telling) */
    bool opened;               /* OPENED ok in this connection */
    bool synced;               /* the host's SYNC arrived in this connection */
    bool in_sync;
    bool resync_pending;
    uint64_t pending_since;    /* uv_now() when a digest first found updates waiting, or 0 */
    bool unconfirmed;          /* local edits since a digest last matched our text */
    wf_vv host_vv;             /* what the host holds, as last told */
} gfile;

/* A tree request, until answered. */
typedef struct treq {
    uint32_t request;
    uint8_t op;
    uint64_t file;
    char *path, *path2;        /* owned */
    bool sent;                 /* on the current connection */
} treq;

struct wn_guest {
    uv_loop_t *loop;
    uint64_t agent;
    bool single;               /* wn_guest_start(): one file, the caller's document */
    wn_ticket ticket;          /* owned copy */
    char *weft_ssh;            /* owned, or NULL */
    char name[WN_NAME_MAX + 1];
    char version[WN_VERSION_MAX + 1];
    bool reconnect;
    bool ssh_may_ask;          /* the next ssh attempt may ask the user (the first only) */
    unsigned retry_min, retry_max;
    wn_guest_events ev;
    wn_guest_project_events pev;
    void *data;

    int state;
    int role;
    bool welcomed;             /* WELCOME arrived on this connection */
    bool ever_synced;
    bool host_single;          /* WELCOME's flag */
    bool have_doc_id;
    uint8_t doc_id[WN_DOC_ID_BYTES];
    uint8_t colour;
    char host_name[WN_NAME_MAX + 1];
    char file_name[WN_ROOT_MAX]; /* the root's name, as the host calls it */

    gfile **files;             /* owned records */
    size_t nfiles, files_cap;
    treq *trees;               /* in order */
    size_t ntrees, trees_cap;
    uint32_t next_request;
    uint64_t stray;            /* file messages of files not open here */

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

static void drop_file(wn_guest *g, gfile *f);

static void free_guest(wn_guest *g)
{
    while (g->nfiles)
        drop_file(g, g->files[0]);
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
    for (size_t i = 0; i < g->nfiles; i++) {
        gfile *f = g->files[i];
        f->opened = f->synced = f->in_sync = false;
    }
    for (size_t i = 0; i < g->ntrees; i++)
        g->trees[i].sent = false; /* sent again on the next join */
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

/* --- files ---------------------------------------------------------------------------- */

static gfile *find_file(const wn_guest *g, uint64_t id)
{
    for (size_t i = 0; i < g->nfiles; i++)
        if (g->files[i]->id == id)
            return g->files[i];
    return NULL;
}

static gfile *add_file(wn_guest *g, uint64_t id, wf_doc *doc, bool owned)
{
    if (g->nfiles == g->files_cap) {
        g->files_cap = g->files_cap ? g->files_cap * 2 : 4;
        g->files = wf_xreallocarray(g->files, g->files_cap, sizeof *g->files);
    }
    gfile *f = wf_xcalloc(1, sizeof *f);
    f->id = id;
    f->doc = doc;
    f->owned = owned;
    wf_vv_init(&f->host_vv);
    g->files[g->nfiles++] = f;
    return f;
}

/* Forgets f; a document never handed over goes with it. */
static void drop_file(wn_guest *g, gfile *f)
{
    for (size_t i = 0; i < g->nfiles; i++) {
        if (g->files[i] == f) {
            g->files[i] = g->files[--g->nfiles];
            break;
        }
    }
    if (f->owned)
        wf_doc_free(f->doc);
    wf_vv_free(&f->host_vv);
    free(f);
}

/* The application hears of a file's events in the form it started the guest with. */
static void file_changed_ev(wn_guest *g, const gfile *f)
{
    if (g->single ? g->ev.changed != NULL : g->pev.changed != NULL) {
        if (g->single)
            g->ev.changed(g->data);
        else
            g->pev.changed(g->data, f->id);
    }
}

static void file_recorded_ev(wn_guest *g, const gfile *f, const uint8_t *u, size_t n)
{
    if (g->single && g->ev.recorded)
        g->ev.recorded(g->data, u, n);
    else if (!g->single && g->pev.recorded && !f->owned)
        g->pev.recorded(g->data, f->id, u, n);
}

static void file_saved_ev(wn_guest *g, uint64_t file, bool ok, const char *text)
{
    if (g->single && g->ev.saved)
        g->ev.saved(g->data, ok, text);
    else if (!g->single && g->pev.saved)
        g->pev.saved(g->data, file, ok, text);
}

/* f's document was rebuilt: old goes to the application to free, or is ours to. */
static void file_replaced_ev(wn_guest *g, const gfile *f, wf_doc *old)
{
    if (f->owned)
        wf_doc_free(old);
    else if (g->single && g->ev.replaced)
        g->ev.replaced(g->data, f->doc);
    else if (!g->single && g->pev.replaced)
        g->pev.replaced(g->data, f->id, f->doc);
}

/* --- sending -------------------------------------------------------------------------- */

static bool online(const wn_guest *g)
{
    return g->conn && g->welcomed && !g->stopping;
}

/* A message of file's: prefix · data. */
static void send_file_msg(wn_guest *g, uint8_t type, uint64_t file, const void *data, size_t n)
{
    wf_buf buf;
    wf_buf_init(&buf);
    wn_file_prefix(file, &buf);
    wf_buf_put(&buf, data, n);
    wn_conn_send(g->conn, type, buf.data, buf.len);
    wf_buf_free(&buf);
}

static void send_presence_now(wn_guest *g)
{
    if (!online(g) || !g->has_self)
        return;
    if (g->single) {
        gfile *f = find_file(g, WN_SINGLE_FILE_ID);
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
    send_presence_now(t->data);
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
            send_presence_now(g);
    }
}

void wn_guest_file_changed(wn_guest *g, uint64_t file)
{
    gfile *f = find_file(g, file);
    if (!f)
        return;
    wf_buf buf;
    wf_buf_init(&buf);
    if (wf_doc_flush(f->doc, &buf) > 0) {
        f->in_sync = false;
        f->unconfirmed = true;
        file_recorded_ev(g, f, buf.data, buf.len);
        /* Offline (or before the file's sync), the edits stay in the document: the next
         * sync's diff carries them. */
        if (online(g) && f->synced)
            send_file_msg(g, WN_M_UPDATE, file, buf.data, buf.len);
    }
    wf_buf_free(&buf);
}

void wn_guest_local_changed(wn_guest *g)
{
    wn_guest_file_changed(g, WN_SINGLE_FILE_ID);
}

void wn_guest_save_file(wn_guest *g, uint64_t file)
{
    gfile *f = find_file(g, file);
    if (online(g) && f && f->synced)
        send_file_msg(g, WN_M_SAVE, file, NULL, 0);
    else
        file_saved_ev(g, file, false, f ? "not connected to the host" : "that file is not open");
}

void wn_guest_request_save(wn_guest *g)
{
    wn_guest_save_file(g, WN_SINGLE_FILE_ID);
}

static void send_open(wn_guest *g, gfile *f)
{
    f->opened = f->synced = false;
    wf_vv vv;
    wf_vv_init(&vv);
    wf_doc_vv(f->doc, &vv);
    wf_buf buf;
    wf_buf_init(&buf);
    wn_open_encode(f->id, &vv, &buf);
    wn_conn_send(g->conn, WN_M_OPEN, buf.data, buf.len);
    wf_buf_free(&buf);
    wf_vv_free(&vv);
}

void wn_guest_open(wn_guest *g, uint64_t file, wf_doc *doc)
{
    if (file == 0 || find_file(g, file) || g->stopping)
        return;
    gfile *f = add_file(g, file, doc ? doc : wf_doc_new(g->agent), doc == NULL);
    f->unconfirmed = doc != NULL; /* a copy of ours: what the host lacks goes out */
    if (g->conn && g->authed)
        send_open(g, f);
}

void wn_guest_close(wn_guest *g, uint64_t file)
{
    gfile *f = find_file(g, file);
    if (!f)
        return;
    if (online(g))
        send_file_msg(g, WN_M_CLOSE, file, NULL, 0);
    drop_file(g, f);
}

static void send_tree(wn_guest *g, treq *t)
{
    wn_tree_request r = {.request = t->request, .op = t->op, .file = t->file,
                         .path = t->path, .path2 = t->path2};
    wf_buf buf;
    wf_buf_init(&buf);
    wn_tree_encode(&r, &buf);
    wn_conn_send(g->conn, WN_M_TREE, buf.data, buf.len);
    wf_buf_free(&buf);
    t->sent = true;
}

/* On joining: the requests made offline, or unanswered when the last connection dropped. */
static void send_trees(wn_guest *g)
{
    for (size_t i = 0; i < g->ntrees; i++)
        if (!g->trees[i].sent)
            send_tree(g, &g->trees[i]);
}

uint32_t wn_guest_tree(wn_guest *g, int op, uint64_t file, const char *path, const char *path2)
{
    path = path ? path : "";
    path2 = path2 ? path2 : "";
    bool by_path = op == WN_TREE_CREATE || op == WN_TREE_MKDIR;
    bool ok = op >= 0 && op < WN_TREE_OPS
              && (by_path ? path[0] && !path2[0] && !file
                          : file && !path[0] && (op == WN_TREE_RENAME) == (path2[0] != 0))
              && (!path[0] || wn_path_valid(path, strlen(path)))
              && (!path2[0] || wn_path_valid(path2, strlen(path2)));
    if (!ok || g->stopping)
        return 0;
    if (g->ntrees == g->trees_cap) {
        g->trees_cap = g->trees_cap ? g->trees_cap * 2 : 8;
        g->trees = wf_xreallocarray(g->trees, g->trees_cap, sizeof *g->trees);
    }
    treq *t = &g->trees[g->ntrees++];
    *t = (treq){.request = ++g->next_request, .op = (uint8_t)op, .file = file,
                .path = wf_xstrndup(path, strlen(path)),
                .path2 = wf_xstrndup(path2, strlen(path2))};
    if (online(g))
        send_tree(g, t);
    return t->request;
}

size_t wn_guest_tree_pending(const wn_guest *g)
{
    return g->ntrees;
}

/* --- receiving ------------------------------------------------------------------------ */

static void bad_update(wn_guest *g, int err)
{
    char why[128];
    snprintf(why, sizeof why, "the host sent a bad update: %s", wf_strerror(err));
    wn_conn_fail(g->conn, WN_EPROTO, why);
}

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
    set_state(g, WN_GUEST_ONLINE, "connected");
    send_trees(g);
    send_presence_now(g);
}

static void on_manifest(wn_guest *g, uint8_t type, const uint8_t *p, size_t n)
{
    wn_entries e;
    int err = type == WN_M_MANIFEST ? wn_manifest_decode(p, n, &e) : wn_changes_decode(p, n, &e);
    if (err) {
        wn_conn_fail(g->conn, WN_EPROTO, type == WN_M_MANIFEST ? "malformed MANIFEST"
                                                                : "malformed CHANGES");
        return;
    }
    if (type == WN_M_MANIFEST && e.next_after) {
        /* The next page at once: the manifest keeps coming while the session goes on. */
        wf_buf buf;
        wf_buf_init(&buf);
        wf_buf_put_varuint(&buf, e.next_after);
        wn_conn_send(g->conn, WN_M_MORE, buf.data, buf.len);
        wf_buf_free(&buf);
    }
    if (type == WN_M_MANIFEST && g->pev.manifest)
        g->pev.manifest(g->data, &e);
    else if (type == WN_M_CHANGES && g->pev.changes)
        g->pev.changes(g->data, &e);
    wn_entries_free(&e);
}

static void on_opened(wn_guest *g, const uint8_t *p, size_t n)
{
    wn_opened o;
    if (wn_opened_decode(p, n, &o) != 0) {
        wn_conn_fail(g->conn, WN_EPROTO, "malformed OPENED");
        return;
    }
    gfile *f = find_file(g, o.file);
    if (!f) { /* closed meanwhile */
        wf_vv_free(&o.vv);
        return;
    }
    if (!o.ok) {
        wf_vv_free(&o.vv);
        if (g->single) {
            wn_conn_fail(g->conn, WN_EDOC, o.why);
            return;
        }
        drop_file(g, f);
        if (g->pev.opened)
            g->pev.opened(g->data, o.file, NULL, o.why);
        return;
    }
    wf_vv_free(&f->host_vv);
    f->host_vv = o.vv;
    f->opened = true;
}

/* Rebuilds f's document from the host's full state (after a digest mismatch). What we
 * have that the state lacks (our edits still on their way) is carried over and sent. */
static int replace_doc(wn_guest *g, gfile *f, const uint8_t *p, size_t n)
{
    wf_doc *fresh = wf_doc_new(g->agent);
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
    wf_doc_encode_diff(f->doc, &have, &extra);
    wf_vv_free(&have);
    if (wf_doc_apply(fresh, extra.data, extra.len) == 0 && g->role == WN_ROLE_RW)
        send_file_msg(g, WN_M_SYNC, f->id, extra.data, extra.len);
    wf_buf_free(&extra);
    wf_doc *old = f->doc;
    f->doc = fresh;
    file_replaced_ev(g, f, old);
    notice(g, "your copy differed from the host's: it was reloaded from the host");
    return 0;
}

/* The first SYNC of a file on this connection: answer with what the host lacks. */
static void file_synced(wn_guest *g, gfile *f)
{
    f->synced = true;
    /* Our edits the host lacks (made offline, or lost in flight). */
    wf_buf buf;
    wf_buf_init(&buf);
    if (wf_doc_flush(f->doc, &buf) > 0) /* the diff below covers them */
        file_recorded_ev(g, f, buf.data, buf.len);
    wf_buf_reset(&buf);
    wf_vv mine;
    wf_vv_init(&mine);
    wf_doc_vv(f->doc, &mine);
    /* Deletions do not show in version vectors: after edits the host has not confirmed,
     * send the diff (it carries every deletion) even when the vectors agree. */
    if (g->role == WN_ROLE_RW && (f->unconfirmed || !wf_vv_covers(&f->host_vv, &mine))) {
        wf_doc_encode_diff(f->doc, &f->host_vv, &buf);
        send_file_msg(g, WN_M_SYNC, f->id, buf.data, buf.len);
    }
    wf_vv_free(&mine);
    wf_buf_free(&buf);
    if (g->single) {
        g->ever_synced = true;
        g->attempt = 0;
        set_state(g, WN_GUEST_ONLINE, "connected");
        send_presence_now(g);
    } else if (!f->announced) {
        f->announced = true;
        f->owned = false; /* the application's from now on */
        if (g->pev.opened)
            g->pev.opened(g->data, f->id, f->doc, "");
    }
}

/* SYNC or UPDATE of a file: applied to its document. */
static void on_file_update(wn_guest *g, uint8_t type, const uint8_t *p, size_t n)
{
    uint64_t file;
    const uint8_t *u;
    size_t un;
    if (wn_file_split(p, n, &file, &u, &un) != 0) {
        wn_conn_fail(g->conn, WN_EPROTO, "malformed update");
        return;
    }
    gfile *f = find_file(g, file);
    if (!f || !f->opened) {
        g->stray++; /* closed meanwhile (or a host's mistake) */
        return;
    }
    int err;
    if (type == WN_M_SYNC && f->resync_pending) {
        f->resync_pending = false;
        err = replace_doc(g, f, u, un);
    } else {
        err = wf_doc_apply(f->doc, u, un);
        if (!err)
            file_recorded_ev(g, f, u, un);
    }
    if (err) {
        bad_update(g, err);
        return;
    }
    if (type == WN_M_UPDATE)
        f->in_sync = false;
    if (type == WN_M_SYNC && !f->synced) {
        file_synced(g, f);
        f = find_file(g, file); /* `opened` may have closed it */
        if (!f)
            return;
    }
    file_changed_ev(g, f);
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

static void on_digest(wn_guest *g, const uint8_t *p, size_t n)
{
    uint64_t file;
    wf_vv vv;
    uint8_t hash[32];
    if (wn_digest_decode(p, n, &file, &vv, hash) != 0)
        return;
    gfile *f = find_file(g, file);
    if (!f || !f->synced) {
        g->stray += !f;
        wf_vv_free(&vv);
        return;
    }
    wf_vv_free(&f->host_vv);
    f->host_vv = vv;
    wf_vv mine;
    wf_vv_init(&mine);
    wf_doc_vv(f->doc, &mine);
    bool same_version = wf_vv_equal(&mine, &vv);
    wf_vv_free(&mine);
    if (wf_doc_pending(f->doc) > 0) {
        /* Updates that wait for others that never came, through a quiet moment: a bug
         * somewhere (CRDT.md §3.3). Say so and fetch everything again. */
        uint64_t now = uv_now(g->loop);
        if (!f->pending_since) {
            f->pending_since = now;
        } else if (now - f->pending_since > 2000 && !f->resync_pending) {
            notice(g, "updates waited too long for missing ones: resynchronising");
            f->resync_pending = true;
            f->pending_since = 0;
            send_file_msg(g, WN_M_RESYNC, file, NULL, 0);
        }
        f->in_sync = false;
        return;
    }
    f->pending_since = 0;
    if (!same_version) {
        f->in_sync = false;
        return; /* edits in flight: not a quiet moment here */
    }
    uint8_t ours[32];
    wn_text_hash(f->doc, ours);
    f->in_sync = memcmp(ours, hash, 32) == 0;
    if (f->in_sync)
        f->unconfirmed = false;
    if (!f->in_sync && !f->resync_pending) {
        notice(g, "your copy differs from the host's: resynchronising");
        f->resync_pending = true;
        send_file_msg(g, WN_M_RESYNC, file, NULL, 0);
    }
}

/* The host ends the session: what it holds of the one file tells which of our edits it
 * never got. */
static void on_end(wn_guest *g, const uint8_t *p, size_t n)
{
    wn_end e;
    if (wn_end_decode(p, n, &e) != 0) {
        wn_conn_fail(g->conn, WN_EPROTO, "malformed END");
        return;
    }
    gfile *f = find_file(g, WN_SINGLE_FILE_ID);
    bool same = false, unconfirmed = false;
    if (f) {
        wf_vv_free(&f->host_vv);
        f->host_vv = e.vv;
        wf_vv mine;
        wf_vv_init(&mine);
        wf_doc_vv(f->doc, &mine);
        uint8_t ours[32];
        wn_text_hash(f->doc, ours);
        /* Deletions do not show in vectors: the same text at the same vector says they came. */
        same = wf_vv_equal(&mine, &f->host_vv) && memcmp(ours, e.hash, 32) == 0;
        wf_vv_free(&mine);
        unconfirmed = f->unconfirmed;
    } else {
        wf_vv_free(&e.vv);
        same = true;
    }
    g->goodbye = (wn_goodbye){.reason = e.reason, .saved = e.flags & WN_END_SAVED,
                              .unsent = wn_guest_unsent(g)};
    g->goodbye.all_received = same || (g->goodbye.unsent == 0 && !unconfirmed);
    snprintf(g->goodbye.host, sizeof g->goodbye.host, "%s", e.name);
    g->ended = true;
    char why[WN_NAME_MAX + 96];
    const char *words = wn_end_reason_text(e.reason);
    snprintf(why, sizeof why, "%s ended the session%s%s%s", e.name, *words ? " (" : "", words,
             *words ? ")" : "");
    wn_conn_fail(g->conn, WN_ECLOSED, why);
}

static void on_saved(wn_guest *g, const uint8_t *p, size_t n)
{
    uint64_t file;
    bool ok;
    char text[WN_TEXT_MAX];
    if (wn_saved_decode(p, n, &file, &ok, text) != 0) {
        wn_conn_fail(g->conn, WN_EPROTO, "malformed SAVED");
        return;
    }
    file_saved_ev(g, file, ok, text);
}

static void on_tree_done(wn_guest *g, const uint8_t *p, size_t n)
{
    wn_tree_done d;
    if (wn_tree_done_decode(p, n, &d) != 0) {
        wn_conn_fail(g->conn, WN_EPROTO, "malformed TREE_DONE");
        return;
    }
    for (size_t i = 0; i < g->ntrees; i++) {
        if (g->trees[i].request == d.request) {
            free(g->trees[i].path);
            free(g->trees[i].path2);
            memmove(&g->trees[i], &g->trees[i + 1], (g->ntrees - i - 1) * sizeof *g->trees);
            g->ntrees--;
            if (g->pev.tree_done)
                g->pev.tree_done(g->data, &d);
            return;
        }
    }
    /* an answer to a request answered already (a repeat): nothing to tell */
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
    case WN_M_MANIFEST:
    case WN_M_CHANGES: on_manifest(g, type, p, n); break;
    case WN_M_OPENED: on_opened(g, p, n); break;
    case WN_M_SYNC:
    case WN_M_UPDATE: on_file_update(g, type, p, n); break;
    case WN_M_PRESENCE: on_presence(g, p, n); break;
    case WN_M_GONE: on_gone(g, p, n); break;
    case WN_M_DIGEST: on_digest(g, p, n); break;
    case WN_M_END: on_end(g, p, n); break;
    case WN_M_SAVED: on_saved(g, p, n); break;
    case WN_M_TREE_DONE: on_tree_done(g, p, n); break;
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
        send_open(g, g->files[i]);
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
    gfile *f = add_file(g, WN_SINGLE_FILE_ID, doc, false);
    f->announced = true;
    f->unconfirmed = cfg->doc_id != NULL; /* a resumed copy: what the host lacks goes out */
    start_attempt(g);
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
    const gfile *f = find_file(g, WN_SINGLE_FILE_ID);
    return f && f->synced;
}

bool wn_guest_in_sync(const wn_guest *g)
{
    for (size_t i = 0; i < g->nfiles; i++)
        if (!g->files[i]->in_sync || !g->files[i]->synced)
            return false;
    return g->welcomed;
}

uint64_t wn_guest_unsent(const wn_guest *g)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < g->nfiles; i++) {
        const gfile *f = g->files[i];
        wf_vv mine;
        wf_vv_init(&mine);
        wf_doc_vv(f->doc, &mine);
        uint64_t ours = wf_vv_get(&mine, g->agent), theirs = wf_vv_get(&f->host_vv, g->agent);
        wf_vv_free(&mine);
        sum += ours > theirs ? ours - theirs : 0;
    }
    return sum;
}

uint64_t wn_guest_stray(const wn_guest *g)
{
    return g->stray;
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
