/* The host's project (see net/host.h and net/host-internal.h): the manifest through the
 * application's callbacks, OPEN asked of the application every time and answered with the
 * document's state, a file's updates, digests and resyncs only to the guests that opened
 * it, CHANGES filtered per guest, saves and tree requests passed on (a tree request sent
 * again after a reconnect is answered from the log, not done twice), and the one-file
 * session as a project of one. */
#include "net/host-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec.h"
#include "core/mem.h"

/* Sends to every joined guest but `except` that has file open. */
static void broadcast_file(wn_host *h, const peer *except, uint64_t file, uint8_t type,
                           const void *data, size_t n)
{
    for (peer *p = h->peers, *next; p; p = next) {
        next = p->next; /* send_to may drop p */
        if (p->joined && p != except && wn_openset_find(&p->open, file))
            wn__host_send(p, type, data, n);
    }
}

/* Sends (type, file id · data) to p, or to file's openers but except when p is NULL. */
static void send_file_msg(wn_host *h, peer *p, const peer *except, uint8_t type, uint64_t file,
                          const void *data, size_t n)
{
    wf_buf buf;
    wf_buf_init(&buf);
    wn_file_prefix(file, &buf);
    wf_buf_put(&buf, data, n);
    if (p)
        wn__host_send(p, type, buf.data, buf.len);
    else
        broadcast_file(h, except, file, type, buf.data, buf.len);
    wf_buf_free(&buf);
}

bool wn__host_may_see(wn_host *h, uint64_t guest, uint64_t file, const char *path)
{
    return !h->ops.may_see || h->ops.may_see(h->ops_data, guest, file, path);
}


static void changed(wn_host *h, wn_hdoc *d)
{
    d->last_change = uv_now(h->loop);
    d->digest_due = true;
}

void wn_host_file_changed(wn_host *h, uint64_t file)
{
    wn_hdoc *d = wn_docs_find(&h->docs, file);
    if (!d)
        return;
    wf_buf buf;
    wf_buf_init(&buf);
    if (wf_doc_flush(d->doc, &buf) > 0) {
        if (h->ops.recorded)
            h->ops.recorded(h->ops_data, file, buf.data, buf.len);
        send_file_msg(h, NULL, NULL, WN_M_UPDATE, file, buf.data, buf.len);
        changed(h, d);
    }
    wf_buf_free(&buf);
}

void wn_host_local_changed(wn_host *h)
{
    wn_host_file_changed(h, WN_SINGLE_FILE_ID);
}

void wn_host_register(wn_host *h, uint64_t file, wf_doc *doc)
{
    wn_hdoc *d = wn_docs_find(&h->docs, file);
    if (d)
        d->doc = doc;
    else
        wn_docs_add(&h->docs, file, doc);
}

void wn_host_forget(wn_host *h, uint64_t file)
{
    for (peer *p = h->peers; p; p = p->next)
        (void)wn_openset_remove(&p->open, file);
    wn_docs_remove(&h->docs, file);
}

size_t wn_host_openers(const wn_host *h, uint64_t file)
{
    size_t n = 0;
    for (const peer *p = h->peers; p; p = p->next)
        n += p->joined && wn_openset_find(&p->open, file);
    return n;
}

uint64_t wn_host_manifest_version(const wn_host *h)
{
    return h->mversion;
}

/* The change c as guest p may see it, in *out; false when it is not for p. A file that
 * leaves p's sight is closed for it (p keeps its copy; nothing more of it is sent). */
static bool change_for(wn_host *h, peer *p, const wn_change *c, const char *old_path,
                       wn_change *out)
{
    uint64_t guest = p->presence.agent;
    *out = *c;
    bool now = wn__host_may_see(h, guest, c->entry.id, c->entry.path);
    if (c->op == WN_CHANGE_RENAME) {
        bool before = !old_path || wn__host_may_see(h, guest, c->entry.id, old_path);
        if (before && !now) {
            out->op = WN_CHANGE_REMOVE;
            out->entry.path = old_path; /* not where it went */
        } else if (!before && now) {
            out->op = WN_CHANGE_ADD;
        } else if (!before) {
            return false;
        }
    } else if (!now) {
        return false;
    }
    if (out->op == WN_CHANGE_REMOVE)
        (void)wn_openset_remove(&p->open, c->entry.id);
    return true;
}

void wn_host_manifest_changed(wn_host *h, uint64_t version, const wn_change *changes,
                              const char *const *old_paths, size_t n)
{
    h->mversion = version ? version : h->mversion + 1;
    wn_change *mine = n ? wf_xcalloc(n, sizeof *mine) : NULL;
    wf_buf buf;
    wf_buf_init(&buf);
    for (peer *p = h->peers, *next; p; p = next) {
        next = p->next; /* send_to may drop p */
        if (!p->joined)
            continue;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            k += change_for(h, p, &changes[i], old_paths ? old_paths[i] : NULL, &mine[k]);
        if (k == 0)
            continue;
        wf_buf_reset(&buf);
        wn_changes_encode(h->mversion, mine, k, &buf);
        wn__host_send(p, WN_M_CHANGES, buf.data, buf.len);
    }
    wf_buf_free(&buf);
    free(mine);
}

void wn_host_file_saved(wn_host *h, uint64_t agent, uint64_t file, bool ok, const char *text)
{
    peer *p = wn__host_find_guest(h, agent);
    if (!p)
        return;
    wf_buf buf;
    wf_buf_init(&buf);
    wn_saved_encode(file, ok, text, &buf);
    wn__host_send(p, WN_M_SAVED, buf.data, buf.len);
    wf_buf_free(&buf);
}

void wn_host_save_done(wn_host *h, uint64_t agent, bool ok, const char *text)
{
    wn_host_file_saved(h, agent, WN_SINGLE_FILE_ID, ok, text);
}

static void send_tree_done(wn_host *h, uint64_t agent, const wn_tree_done *d)
{
    peer *p = wn__host_find_guest(h, agent);
    if (!p)
        return;
    wf_buf buf;
    wf_buf_init(&buf);
    wn_tree_done_encode(d, &buf);
    wn__host_send(p, WN_M_TREE_DONE, buf.data, buf.len);
    wf_buf_free(&buf);
}

void wn_host_tree_done(wn_host *h, uint64_t agent, const wn_tree_done *d)
{
    wn_tree_log_answer(&h->trees, agent, d);
    send_tree_done(h, agent, d);
}

/* Sends p the page of the manifest after after_id (what the application lets it see). */
void wn__host_send_page(peer *p, uint64_t after_id)
{
    wn_host *h = p->host;
    wn_page pg;
    wn_page_init(&pg, WN_MANIFEST_PAGE_BYTES);
    bool more = h->ops.manifest_page(h->ops_data, p->presence.agent, after_id, &pg);
    wf_buf buf;
    wf_buf_init(&buf);
    /* A page that took nothing cannot say where the next starts: it is the last. */
    wn_manifest_encode(&pg, h->mversion, more && pg.count ? pg.last_id : 0, &buf);
    wn__host_send(p, WN_M_MANIFEST, buf.data, buf.len);
    wf_buf_free(&buf);
    wn_page_free(&pg);
}

static void on_update(peer *p, const uint8_t *data, size_t n)
{
    wn_host *h = p->host;
    uint64_t file;
    const uint8_t *u;
    size_t un;
    if (wn_file_split(data, n, &file, &u, &un) != 0) {
        wn_conn_fail(p->conn, WN_EPROTO, "malformed update");
        return;
    }
    if (wn_conn_role(p->conn) != WN_ROLE_RW) {
        static const char why[] = "this session is read-only for you: your edit was not applied";
        wn__host_send(p, WN_M_REFUSED, why, sizeof why - 1);
        wn__host_log(h, "refused an edit from %s (read-only)", p->presence.name);
        return;
    }
    /* Only a file this guest opened (and the application let it): anything else is
     * dropped unread, also one the host forgot while the update was on its way. */
    wn_hdoc *d = wn_openset_find(&p->open, file) ? wn_docs_find(&h->docs, file) : NULL;
    if (!d)
        return;
    /* Complete: a guest only ever depends on what we sent it, so an update waiting for
     * more would be malformed, and would wait in every replica forever. */
    int err = wf_doc_apply_complete(d->doc, u, un);
    if (err) {
        char why[160];
        snprintf(why, sizeof why, "your update was rejected: %s", wf_strerror(err));
        wn__host_log(h, "dropped %s: %s", p->presence.name, why);
        wn_conn_fail(p->conn, WN_EPROTO, why);
        return;
    }
    if (h->ops.recorded)
        h->ops.recorded(h->ops_data, file, u, un);
    broadcast_file(h, p, file, WN_M_UPDATE, data, n);
    changed(h, d);
    if (h->ops.changed)
        h->ops.changed(h->ops_data, file);
}

/* Sends the whole document to a guest whose copy differs. A full state costs an encoding
 * and a queue the size of the document, so one guest gets at most one per
 * WN_RESYNC_INTERVAL_MS and file: requests in between are answered together, once, when
 * the interval has passed. (An honest guest asks once per digest it disagrees with.) */
static void serve_resync(peer *p, wn_opening *o)
{
    wn_host *h = p->host;
    o->resync_wanted = false;
    o->resynced = true;
    o->resync_at = uv_now(h->loop);
    wn_hdoc *d = wn_docs_find(&h->docs, o->id);
    if (!d)
        return;
    wn__host_log(h, "%s asked for a full resync", p->presence.name);
    wf_buf buf;
    wf_buf_init(&buf);
    wn_file_prefix(o->id, &buf);
    wf_doc_encode_diff(d->doc, NULL, &buf);
    wn__host_send_state(p, &buf);
    wf_buf_free(&buf);
}

/* A message that is only a file id (RESYNC, CLOSE, SAVE): false, with the connection
 * failed, when it is malformed. */
static bool file_only(peer *p, const uint8_t *data, size_t n, uint64_t *file, const char *what)
{
    const uint8_t *rest;
    size_t rn;
    if (wn_file_split(data, n, file, &rest, &rn) == 0 && rn == 0)
        return true;
    char why[64];
    snprintf(why, sizeof why, "malformed %s", what);
    wn_conn_fail(p->conn, WN_EPROTO, why);
    return false;
}

static void on_resync(peer *p, const uint8_t *data, size_t n)
{
    uint64_t file;
    if (!file_only(p, data, n, &file, "RESYNC"))
        return;
    wn_opening *o = wn_openset_find(&p->open, file);
    if (!o)
        return; /* not open (any more): nothing to send */
    if (!o->resynced || uv_now(p->host->loop) - o->resync_at >= WN_RESYNC_INTERVAL_MS)
        serve_resync(p, o);
    else
        o->resync_wanted = true; /* on_tick() sends it when the interval has passed */
}

/* No guest has the file open any more: the application may let go of it. */
static void release_one(wn_host *h, uint64_t file)
{
    wn_hdoc *d = wn_docs_find(&h->docs, file);
    if (d && d->openers > 0 && --d->openers == 0 && h->ops.release)
        h->ops.release(h->ops_data, file);
}

static void refuse_open(peer *p, uint64_t file, const char *why)
{
    wf_buf buf;
    wf_buf_init(&buf);
    wn_opened_encode(file, false, why, NULL, &buf);
    wn__host_send(p, WN_M_OPENED, buf.data, buf.len);
    wf_buf_free(&buf);
}

/* OPEN: the application says whether this guest may have the file, and which document it
 * is; the guest gets OPENED, then SYNC with what it lacks. */
static void on_open(peer *p, const uint8_t *data, size_t n)
{
    wn_host *h = p->host;
    uint64_t file;
    wf_vv vv;
    if (wn_open_decode(data, n, &file, &vv) != 0) {
        wn_conn_fail(p->conn, WN_EPROTO, "malformed OPEN");
        return;
    }
    char why[WN_TEXT_MAX] = "";
    wf_doc *doc = NULL;
    int err = h->ops.open(h->ops_data, p->presence.agent, file, &doc, why, sizeof why);
    wn_hdoc *d = wn_docs_find(&h->docs, file);
    if (!err && (!doc || (d && d->doc != doc)))
        err = -1, snprintf(why, sizeof why, "the host has another copy of that file open");
    if (err) {
        wf_vv_free(&vv);
        refuse_open(p, file, why[0] ? why : "no such file");
        return;
    }
    if (!d)
        d = wn_docs_add(&h->docs, file, doc);
    if (!wn_openset_find(&p->open, file)) {
        (void)wn_openset_add(&p->open, file);
        d->openers++;
    }
    wf_vv have;
    wf_vv_init(&have);
    wf_doc_vv(doc, &have);
    wf_buf buf;
    wf_buf_init(&buf);
    wn_opened_encode(file, true, "", &have, &buf);
    wn__host_send(p, WN_M_OPENED, buf.data, buf.len);
    wf_vv_free(&have);
    wf_buf_reset(&buf);
    wn_file_prefix(file, &buf);
    wf_doc_encode_diff(doc, &vv, &buf);
    wf_vv_free(&vv);
    wn__host_send_state(p, &buf);
    wf_buf_free(&buf);
    d->digest_due = true;
}

static void on_close_file(peer *p, const uint8_t *data, size_t n)
{
    uint64_t file;
    if (!file_only(p, data, n, &file, "CLOSE"))
        return;
    if (wn_openset_remove(&p->open, file))
        release_one(p->host, file);
}

static void on_more(peer *p, const uint8_t *data, size_t n)
{
    wf_reader r;
    wf_reader_init(&r, data, n);
    uint64_t after;
    if (wf_read_varuint(&r, &after) || wf_reader_left(&r) != 0) {
        wn_conn_fail(p->conn, WN_EPROTO, "malformed MORE");
        return;
    }
    wn__host_send_page(p, after);
}

static void on_save(peer *p, const uint8_t *data, size_t n)
{
    wn_host *h = p->host;
    uint64_t file;
    if (!file_only(p, data, n, &file, "SAVE"))
        return;
    wn__host_log(h, "%s asks to save", p->presence.name);
    uint64_t agent = p->presence.agent;
    if (wn_conn_role(p->conn) != WN_ROLE_RW)
        /* writing the host's disk is an edit of a kind: not for read-only guests */
        wn_host_file_saved(h, agent, file, false,
                           "this session is read-only for you: only editors can save");
    else if (!wn_openset_find(&p->open, file))
        wn_host_file_saved(h, agent, file, false, "that file is not open");
    else if (h->ops.save)
        h->ops.save(h->ops_data, agent, file);
    else
        wn_host_file_saved(h, agent, file, false, "this host cannot save");
}

static void on_tree(peer *p, const uint8_t *data, size_t n)
{
    wn_host *h = p->host;
    static char path[WN_PATH_MAX + 1], path2[WN_PATH_MAX + 1]; /* one loop, no threads */
    wn_tree_request t;
    if (wn_tree_decode(data, n, &t, path, path2) != 0) {
        wn_conn_fail(p->conn, WN_EPROTO, "malformed TREE");
        return;
    }
    uint64_t agent = p->presence.agent;
    wn_tree_done d = {.request = t.request};
    if (wn_conn_role(p->conn) != WN_ROLE_RW) {
        snprintf(d.text, sizeof d.text, "this session is read-only for you: files cannot be "
                                        "created, renamed or deleted");
    } else if (!h->ops.tree) {
        snprintf(d.text, sizeof d.text, "this host does not change its files for guests");
    } else {
        const wn_tree_done *before;
        if (wn_tree_log_hear(&h->trees, agent, t.request, &before))
            h->ops.tree(h->ops_data, agent, &t);
        else if (before) /* sent again after a reconnect: its answer again, not the act */
            send_tree_done(h, agent, before);
        /* else heard and not answered yet: the answer will come */
        return;
    }
    wn_host_tree_done(h, agent, &d);
}

static void send_digest(wn_host *h, wn_hdoc *d)
{
    d->digest_due = false;
    uint8_t hash[32];
    wn_text_hash(d->doc, hash);
    wf_vv vv;
    wf_vv_init(&vv);
    wf_doc_vv(d->doc, &vv);
    wf_buf buf;
    wf_buf_init(&buf);
    wn_digest_encode(d->id, &vv, hash, &buf);
    broadcast_file(h, NULL, d->id, WN_M_DIGEST, buf.data, buf.len);
    wf_buf_free(&buf);
    wf_vv_free(&vv);
}

void wn__host_tick(wn_host *h)
{
    uint64_t now = uv_now(h->loop);
    for (peer *p = h->peers, *next; p; p = next) {
        next = p->next; /* sending may drop p */
        for (size_t i = 0; i < p->open.n; i++) {
            wn_opening *o = &p->open.v[i];
            if (o->resync_wanted && now - o->resync_at >= WN_RESYNC_INTERVAL_MS) {
                serve_resync(p, o);
                break; /* p may be gone: the others wait for the next tick */
            }
        }
    }
    for (size_t i = 0; i < h->docs.n; i++) {
        wn_hdoc *d = &h->docs.v[i];
        if (d->digest_due && now - d->last_change >= WN_QUIET_MS)
            send_digest(h, d);
    }
}

/* --- one file: a project of one ------------------------------------------------------- */

static bool single_page(void *data, uint64_t guest, uint64_t after_id, wn_page *page)
{
    (void)guest;
    wn_host *h = data;
    if (after_id < WN_SINGLE_FILE_ID) {
        const char *path = h->file[0] && wn_path_valid(h->file, strlen(h->file)) ? h->file
                                                                                  : "untitled";
        wn_entry e = {.id = WN_SINGLE_FILE_ID, .kind = WN_KIND_TEXT, .mode = 0644,
                      .size = wf_doc_bytes(h->single_doc), .path = path};
        (void)wn_page_add(page, &e); /* the first entry always fits */
    }
    return false;
}

static uint64_t single_count(void *data, uint64_t guest)
{
    (void)data, (void)guest;
    return 1;
}

static int single_open(void *data, uint64_t guest, uint64_t file, wf_doc **doc, char *why,
                       size_t size)
{
    (void)guest;
    wn_host *h = data;
    if (file != WN_SINGLE_FILE_ID) {
        snprintf(why, size, "this session shares one file");
        return WN_EPROTO;
    }
    *doc = h->single_doc;
    return 0;
}

static void single_changed(void *data, uint64_t file)
{
    (void)file;
    wn_host *h = data;
    if (h->ev.changed)
        h->ev.changed(h->data);
}

static void single_recorded(void *data, uint64_t file, const uint8_t *u, size_t n)
{
    (void)file;
    wn_host *h = data;
    if (h->ev.recorded)
        h->ev.recorded(h->data, u, n);
}

static void single_save(void *data, uint64_t guest, uint64_t file)
{
    wn_host *h = data;
    if (h->ev.save)
        h->ev.save(h->data, guest);
    else
        wn_host_file_saved(h, guest, file, false, "this host cannot save");
}

const wn_project_ops wn__host_single_ops = {
    .manifest_page = single_page, .manifest_count = single_count, .open = single_open,
    .changed = single_changed, .recorded = single_recorded, .save = single_save};

void wn__host_release_files(peer *p)
{
    for (size_t i = 0; i < p->open.n; i++)
        release_one(p->host, p->open.v[i].id);
    wn_openset_free(&p->open);
}

void wn__host_file_message(peer *p, uint8_t type, const uint8_t *data, size_t n)
{
    switch (type) {
    case WN_M_SYNC:
    case WN_M_UPDATE: on_update(p, data, n); break;
    case WN_M_OPEN: on_open(p, data, n); break;
    case WN_M_CLOSE: on_close_file(p, data, n); break;
    case WN_M_MORE: on_more(p, data, n); break;
    case WN_M_SAVE: on_save(p, data, n); break;
    case WN_M_RESYNC: on_resync(p, data, n); break;
    case WN_M_TREE: on_tree(p, data, n); break;
    default: break; /* a newer guest's message this host does not know: ignore it */
    }
}
