/* The guest's project (see net/guest.h and net/guest-internal.h): the files it has open,
 * each with its document, the host's vector, and its sync state on this connection; OPEN
 * on every join, the first SYNC answered with what the host lacks, digests and resyncs per
 * file; the manifest asked for page after page; saves; the queue of tree requests; the
 * host's goodbye, weighed against the one file. */
#include "net/guest-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec.h"
#include "core/mem.h"
#include "net/crypto.h"

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

/* --- files ---------------------------------------------------------------------------- */

gfile *wn__guest_find_file(const wn_guest *g, uint64_t id)
{
    for (size_t i = 0; i < g->nfiles; i++)
        if (g->files[i]->id == id)
            return g->files[i];
    return NULL;
}

gfile *wn__guest_add_file(wn_guest *g, uint64_t id, wf_doc *doc, bool owned)
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
void wn__guest_drop_file(wn_guest *g, gfile *f)
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


void wn_guest_file_changed(wn_guest *g, uint64_t file)
{
    gfile *f = wn__guest_find_file(g, file);
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
        if (wn__guest_online(g) && f->synced)
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
    gfile *f = wn__guest_find_file(g, file);
    if (wn__guest_online(g) && f && f->synced)
        send_file_msg(g, WN_M_SAVE, file, NULL, 0);
    else
        file_saved_ev(g, file, false, f ? "not connected to the host" : "that file is not open");
}

void wn_guest_request_save(wn_guest *g)
{
    wn_guest_save_file(g, WN_SINGLE_FILE_ID);
}

void wn__guest_send_open(wn_guest *g, gfile *f)
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
    if (file == 0 || wn__guest_find_file(g, file) || g->stopping)
        return;
    gfile *f = wn__guest_add_file(g, file, doc ? doc : wf_doc_new(g->agent), doc == NULL);
    f->unconfirmed = doc != NULL; /* a copy of ours: what the host lacks goes out */
    if (g->conn && g->authed)
        wn__guest_send_open(g, f);
}

void wn_guest_close(wn_guest *g, uint64_t file)
{
    gfile *f = wn__guest_find_file(g, file);
    if (!f)
        return;
    if (wn__guest_online(g))
        send_file_msg(g, WN_M_CLOSE, file, NULL, 0);
    wn__guest_drop_file(g, f);
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
void wn__guest_send_trees(wn_guest *g)
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
    if (wn__guest_online(g))
        send_tree(g, t);
    return t->request;
}

size_t wn_guest_tree_pending(const wn_guest *g)
{
    return g->ntrees;
}


static void bad_update(wn_guest *g, int err)
{
    char why[128];
    snprintf(why, sizeof why, "the host sent a bad update: %s", wf_strerror(err));
    wn_conn_fail(g->conn, WN_EPROTO, why);
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
    gfile *f = wn__guest_find_file(g, o.file);
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
        wn__guest_drop_file(g, f);
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
    wn__guest_notice(g, "your copy differed from the host's: it was reloaded from the host");
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
        wn__guest_set_state(g, WN_GUEST_ONLINE, "connected");
        wn__guest_send_presence(g);
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
    gfile *f = wn__guest_find_file(g, file);
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
        f = wn__guest_find_file(g, file); /* `opened` may have closed it */
        if (!f)
            return;
    }
    file_changed_ev(g, f);
}

static void on_digest(wn_guest *g, const uint8_t *p, size_t n)
{
    uint64_t file;
    wf_vv vv;
    uint8_t hash[32];
    if (wn_digest_decode(p, n, &file, &vv, hash) != 0)
        return;
    gfile *f = wn__guest_find_file(g, file);
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
            wn__guest_notice(g, "updates waited too long for missing ones: resynchronising");
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
        wn__guest_notice(g, "your copy differs from the host's: resynchronising");
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
    gfile *f = wn__guest_find_file(g, WN_SINGLE_FILE_ID);
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


void wn__guest_file_message(wn_guest *g, uint8_t type, const uint8_t *p, size_t n)
{
    switch (type) {
    case WN_M_MANIFEST:
    case WN_M_CHANGES: on_manifest(g, type, p, n); break;
    case WN_M_OPENED: on_opened(g, p, n); break;
    case WN_M_SYNC:
    case WN_M_UPDATE: on_file_update(g, type, p, n); break;
    case WN_M_DIGEST: on_digest(g, p, n); break;
    case WN_M_END: on_end(g, p, n); break;
    case WN_M_SAVED: on_saved(g, p, n); break;
    case WN_M_TREE_DONE: on_tree_done(g, p, n); break;
    default: break; /* from a newer host: ignore */
    }
}

void wn__guest_files_lost(wn_guest *g)
{
    for (size_t i = 0; i < g->nfiles; i++) {
        gfile *f = g->files[i];
        f->opened = f->synced = f->in_sync = false;
    }
    for (size_t i = 0; i < g->ntrees; i++)
        g->trees[i].sent = false; /* sent again on the next join */
}

