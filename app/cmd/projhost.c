/* A shared directory on the host's side (see projhost.h).
 *
 * Structure: the filter and the walk feed the manifest (ids are the manifest's: they only
 * grow, so "the entries after id X" is the ids X+1 .. last_id, each an O(1) lookup); the
 * documents guests opened are a small array by id (a session opens few files; a linear
 * search per OPEN, SAVE and change costs less than the frame that asked). A document stays
 * registered for the session once made, even when no guest has it open: its edits are the
 * session's until saved, and the net's registry keeps it the one copy. */
#include "app/cmd/projhost.h"
#include "app/cmd/projhost-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/cmd/projsave.h"
#include "app/editor/agent.h"
#include "app/editor/file.h"
#include "app/project/filter.h"
#include "app/project/manifest.h"
#include "app/project/resolve.h"
#include "app/project/sniff.h"
#include "core/mem.h"
#include "net/host.h"

#define TEXT_MAX PROJHOST_TEXT_MAX

void projhost__say(projhost *ph, const char *fmt, ...)
{
    char text[TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    ph->hs->say(ph->hs->ctx, false, text);
}

bool projhost__get_named(const projhost *ph, uint64_t id, struct named *out)
{
    if (!manifest_get(ph->m, id, &out->e))
        return false;
    memcpy(out->path, out->e.path, out->e.len);
    out->path[out->e.len] = '\0';
    out->e.path = out->path;
    return true;
}

/* --- the walk -------------------------------------------------------------------------- */

/* Whether the file the walk just yielded is binary: read through a descriptor that is
 * checked to be that very file (device and inode), so a swap after the walk's fstatat()
 * cannot make us judge another. A file that cannot be read is taken for text: opening it
 * (proj_open()) then says why. An empty file, and one whose name says text (a source
 * extension: proj_sniff_name_is_text()), is listed as text unread, which keeps the walk of
 * a large source tree from reading every file; open_doc() judges the bytes at the open. */
static bool binary(projhost *ph, const struct proj_entry *e)
{
    if (e->size == 0 || proj_sniff_name_is_text(e->path, e->len))
        return false;
    int fd = openat(proj_filter_root_fd(ph->filter), e->path,
                    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    enum proj_content c = PROJ_CONTENT_TEXT;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_dev == e->dev &&
        st.st_ino == e->ino && proj_sniff_fd(fd, &c) != 0)
        c = PROJ_CONTENT_TEXT;
    close(fd);
    return c != PROJ_CONTENT_TEXT;
}

void projhost__set_ino(projhost *ph, uint64_t id, uint64_t dev, uint64_t ino)
{
    if (id >= ph->inos_cap) {
        size_t cap = ph->inos_cap ? ph->inos_cap : 1024;
        while (cap <= id)
            cap *= 2;
        ph->inos = wf_xreallocarray(ph->inos, cap, sizeof *ph->inos);
        memset(ph->inos + ph->inos_cap, 0, (cap - ph->inos_cap) * sizeof *ph->inos);
        ph->inos_cap = cap;
    }
    ph->inos[id] = (struct projhost_ino){.dev = dev, .ino = ino};
}

int projhost__add_entry(projhost *ph, const struct proj_entry *e, uint64_t *idp)
{
    struct manifest_attr a = {
        .kind = e->kind == PROJ_KIND_DIR ? MANIFEST_DIR
                : binary(ph, e)          ? MANIFEST_BINARY
                                         : MANIFEST_TEXT,
        .mode = (uint32_t)e->mode, .size = (uint64_t)e->size,
        .mtime_ns = (int64_t)e->mtime.tv_sec * 1000000000 + e->mtime.tv_nsec,
    };
    uint64_t id;
    int err = manifest_add(ph->m, e->path, e->len, &a, &id);
    if (err == 0) {
        ph->last_id = id;
        if (idp)
            *idp = id;
        projhost__set_ino(ph, id, e->dev, e->ino);
        if (e->kind == PROJ_KIND_DIR)
            projhost__watch_dir(ph, e->path, e->len);
    }
    return err == -EINVAL ? -EEXIST : err; /* the filter passed it: never invalid */
}

/* Walks up to PROJHOST_BATCH more entries into the manifest. */
static void walk_batch(projhost *ph)
{
    if (!ph->walk)
        return;
    struct proj_entry out[256];
    size_t total = 0, n = 1;
    while (total < PROJHOST_BATCH && n > 0) {
        int err = proj_walk_next(ph->walk, out, sizeof out / sizeof *out, &n);
        /* -EEXIST: the walk yields each path once, so never; skip it if so. */
        for (size_t i = 0; i < n && !err; i++) {
            uint64_t id = 0;
            if ((err = projhost__add_entry(ph, &out[i], &id)) == -EEXIST)
                err = 0;
            else if (!err && out[i].kind == PROJ_KIND_FILE && ph->ev.listed)
                ph->ev.listed(ph->ev.ctx, id, out[i].path, out[i].len);
        }
        if (err) {
            projhost__say(ph, "cannot list the rest of the tree: %s; guests see what was listed",
                strerror(-err));
            n = 0;
            break;
        }
        total += n;
    }
    proj_walk_stats(ph->walk, &ph->stats);
    if (n == 0) {
        ph->stats.done = true;
        proj_walk_free(ph->walk);
        ph->walk = NULL;
        if (ph->ev.listed_all)
            ph->ev.listed_all(ph->ev.ctx);
    }
}

static void on_idle(uv_idle_t *idle)
{
    projhost *ph = idle->data;
    walk_batch(ph);
    if (ph->walk)
        return;
    uv_idle_stop(idle);
    char text[256];
    projhost_summary(ph, text, sizeof text);
    projhost__say(ph, "listed the whole tree: %s", text);
}

void projhost_stats(const projhost *ph, struct proj_walk_stats *st)
{
    *st = ph->stats;
}

void projhost_summary(const projhost *ph, char *out, size_t size)
{
    const struct proj_walk_stats *s = &ph->stats;
    int n = snprintf(out, size, "%zu file%s shared, %zu hidden", s->files,
                     s->files == 1 ? "" : "s", s->hidden);
    if (n >= 0 && (size_t)n < size && (s->links || s->special))
        snprintf(out + n, size - (size_t)n, " (%zu symbolic link%s and %zu special file%s "
                 "not shared)", s->links, s->links == 1 ? "" : "s", s->special,
                 s->special == 1 ? "" : "s");
}

/* --- the documents --------------------------------------------------------------------- */

struct pdoc *projhost__find_doc(projhost *ph, uint64_t id)
{
    for (size_t i = 0; i < ph->nd; i++)
        if (ph->docs[i].id == id)
            return &ph->docs[i];
    return NULL;
}

/* Reads the open file fd whole into a new document. Returns 0, or -errno / a WF_E* code. */
static int load_fd(projhost *ph, int fd, const struct stat *st, wf_doc **out)
{
    if ((uint64_t)st->st_size > FILE_MAX_SIZE)
        return -EFBIG;
    size_t size = (size_t)st->st_size, len = 0;
    char *buf = wf_trymalloc(size ? size : 1);
    if (!buf)
        return -ENOMEM;
    while (len < size) { /* a file that shrank meanwhile is read as it is */
        ssize_t k = read(fd, buf + len, size - len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int e = -errno;
            free(buf);
            return e;
        }
        if (k == 0)
            break;
        len += (size_t)k;
    }
    wf_doc *doc = wf_doc_new(ph->agent);
    int e = len ? wf_doc_load(doc, buf, len) : (free(buf), 0);
    if (e) {
        wf_doc_free(doc);
        return e;
    }
    *out = doc;
    return 0;
}

/* The participant's name for the log. */
const char *projhost__who(projhost *ph, uint64_t agent)
{
    const wn_presence *list;
    size_t n = wn_host_guests(ph->hs->host, &list);
    for (size_t i = 0; i < n; i++)
        if (list[i].agent == agent)
            return list[i].name;
    return "a guest";
}

/* The document of file, made from the disk through the filter at its first open. Returns
 * 0, or an error with the guest's sentence in why. */
static int open_doc(projhost *ph, const struct manifest_entry *me, wf_doc **doc, char *why,
                    size_t size)
{
    struct stat st;
    int fd = proj_open(ph->filter, me->path, me->len, PROJ_WANT_FILE, &st, NULL);
    if (fd < 0) {
        snprintf(why, size, "%s is not shared in this session", me->path);
        return fd;
    }
    enum proj_content c;
    int e = proj_sniff_fd(fd, &c);
    if (!e && c != PROJ_CONTENT_TEXT) {
        snprintf(why, size, "%s is a binary file: it is listed, but weft opens only text "
                 "files for editing", me->path);
        e = -EPERM;
    }
    if (!e)
        e = load_fd(ph, fd, &st, doc);
    close(fd);
    if (e && !why[0]) {
        char text[1024];
        file_open_error(me->path, e, (size_t)st.st_size, text, sizeof text);
        char *nl = strchr(text, '\n'); /* the guest gets what went wrong, not the host's fix */
        if (nl)
            *nl = '\0';
        snprintf(why, size, "%s", text);
    }
    return e;
}

static struct pdoc *add_doc(projhost *ph, uint64_t id, wf_doc *doc)
{
    if (ph->nd == ph->cap) {
        ph->cap = ph->cap ? 2 * ph->cap : 8;
        ph->docs = wf_xreallocarray(ph->docs, ph->cap, sizeof *ph->docs);
    }
    ph->docs[ph->nd] = (struct pdoc){.id = id, .doc = doc};
    struct pdoc *d = &ph->docs[ph->nd++];
    projhost__set_base(d); /* the text just loaded is the file's */
    return d;
}

void projhost__set_base(struct pdoc *d)
{
    size_t n;
    char *text = wf_doc_text(d->doc, 0, SIZE_MAX, &n);
    free(d->base);
    d->base = text;
    d->base_len = n;
}

static bool next_chunk(void *ctx, const char **p, size_t *n)
{
    return wf_iter_next(ctx, p, n);
}

/* Saves d where the filter resolves its path now. Returns true on success; the message
 * goes to the log and, through text, to whoever asked. */
static bool save_doc(projhost *ph, struct pdoc *d, char *text, size_t size)
{
    struct named nm;
    if (!projhost__get_named(ph, d->id, &nm)) {
        snprintf(text, size, "cannot save: the file is no longer in the session");
        projhost__say(ph, "%s", text);
        return false;
    }
    const struct manifest_entry me = nm.e;
    struct proj_target t;
    int e = proj_target(ph->filter, me.path, me.len, PROJ_KIND_FILE, PROJ_TARGET_EXISTING,
                        NULL, &t, NULL, 0, NULL);
    enum file_step step = FILE_STEP_RESOLVE;
    if (!e) {
        wf_iter it;
        wf_iter_init(&it, d->doc, 0, SIZE_MAX);
        e = projsave_write(t.dirfd, t.name, t.st.st_mode, next_chunk, &it, &step);
        proj_target_close(&t);
    }
    if (e == -EPERM)
        snprintf(text, size, "cannot save %s: guests may not change the files that decide "
                 "what is shared", me.path);
    else if (e == -ENOENT)
        snprintf(text, size, "cannot save %s: it is no longer shared (moved, removed or "
                 "hidden on the host)", me.path);
    else if (e)
        snprintf(text, size, "cannot save %s: %s failed: %s", me.path, file_step_name(step),
                 strerror(-e));
    else
        snprintf(text, size, "saved %s (%llu bytes)", me.path,
                 (unsigned long long)wf_doc_bytes(d->doc));
    projhost__say(ph, "%s", text);
    if (!e) {
        d->dirty = false;
        projhost__set_base(d);
    }
    return !e;
}

size_t projhost_dirty(const projhost *ph)
{
    size_t n = 0;
    for (size_t i = 0; i < ph->nd; i++)
        n += ph->docs[i].dirty;
    return n;
}

size_t projhost_save_unheld(projhost *ph, bool (*held)(void *ctx, uint64_t file), void *ctx)
{
    size_t failed = 0;
    char text[TEXT_MAX];
    for (size_t i = 0; i < ph->nd; i++)
        if (ph->docs[i].dirty && !(held && held(ctx, ph->docs[i].id))
            && !save_doc(ph, &ph->docs[i], text, sizeof text))
            failed++;
    return failed;
}

size_t projhost_save_all(projhost *ph)
{
    return projhost_save_unheld(ph, NULL, NULL);
}

bool projhost_file_dirty(projhost *ph, uint64_t file)
{
    const struct pdoc *d = projhost__find_doc(ph, file);
    return d && d->dirty;
}

/* --- the host's own editor ---------------------------------------------------------------- */

/* The document of the manifest's entry, made at the first open (a guest's or the host's).
 * Returns it, or NULL with why filled. */
static struct pdoc *doc_of(projhost *ph, const struct manifest_entry *me, char *why,
                           size_t size, int *err)
{
    struct pdoc *d = projhost__find_doc(ph, me->id);
    if (d)
        return d;
    wf_doc *made = NULL;
    why[0] = '\0';
    *err = open_doc(ph, me, &made, why, size);
    return *err ? NULL : add_doc(ph, me->id, made);
}

int projhost_open_path(projhost *ph, const char *rel, size_t len, uint64_t *id, wf_doc **doc,
                       char *why, size_t size)
{
    struct manifest_entry me;
    if (!manifest_find(ph->m, rel, len, &me) || me.attr.kind == MANIFEST_DIR) {
        snprintf(why, size, "%.*s is not shared in this session", (int)len, rel);
        return -ENOENT;
    }
    struct named nm;
    if (!projhost__get_named(ph, me.id, &nm))
        return -ENOENT; /* not reached: it was just found */
    int e = 0;
    struct pdoc *d = doc_of(ph, &nm.e, why, size, &e);
    if (!d)
        return e;
    if (ph->hs->host)
        wn_host_register(ph->hs->host, d->id, d->doc);
    *id = d->id;
    *doc = d->doc;
    return 0;
}

bool projhost_path_of(const projhost *ph, uint64_t id, char *out, size_t size)
{
    struct manifest_entry me;
    if (!manifest_get(ph->m, id, &me) || me.len >= size)
        return false;
    memcpy(out, me.path, me.len);
    out[me.len] = '\0';
    return true;
}

void projhost_local_changed(projhost *ph, uint64_t file)
{
    struct pdoc *d = projhost__find_doc(ph, file);
    if (!d)
        return;
    d->dirty = true;
    if (ph->hs->host)
        wn_host_file_changed(ph->hs->host, file);
}

void projhost_saved(projhost *ph, uint64_t file)
{
    struct pdoc *d = projhost__find_doc(ph, file);
    if (d) {
        d->dirty = false;
        projhost__set_base(d);
    }
}

/* --- changes of the manifest, told to everyone ------------------------------------------ */

void projhost__batch_add(struct projhost_batch *b, uint8_t op, const struct manifest_entry *me,
                         const char *old, size_t oldlen)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 4;
        b->v = wf_xreallocarray(b->v, b->cap, sizeof *b->v);
        b->paths = wf_xreallocarray(b->paths, b->cap, sizeof *b->paths);
        b->old = wf_xreallocarray(b->old, b->cap, sizeof *b->old);
    }
    b->paths[b->n] = wf_xstrndup(me->path, me->len);
    b->old[b->n] = old ? wf_xstrndup(old, oldlen) : NULL;
    b->v[b->n] = (wn_change){.op = op, .entry = {.id = me->id, .kind = me->attr.kind,
                                                 .mode = me->attr.mode, .size = me->attr.size,
                                                 .mtime_ns = me->attr.mtime_ns,
                                                 .version = me->version,
                                                 .path = b->paths[b->n]}};
    b->n++;
}

void projhost__batch_send(projhost *ph, struct projhost_batch *b)
{
    ph->sending = b;
    if (b->n)
        projhost__tree_changed(ph, b->v, (const char *const *)b->old, b->n);
    ph->sending = NULL;
    for (size_t i = 0; i < b->n; i++) {
        free(b->paths[i]);
        free(b->old[i]);
    }
    free(b->v);
    free(b->paths);
    free(b->old);
    *b = (struct projhost_batch){0};
}

int projhost__gone_kind(const projhost *ph, uint64_t id)
{
    const struct projhost_batch *b = ph->sending;
    for (size_t i = 0; b && i < b->n; i++)
        if (b->v[i].op == WN_CHANGE_REMOVE && b->v[i].entry.id == id)
            return b->v[i].entry.kind;
    return -1;
}

void projhost__move_children(projhost *ph, const char *old, size_t old_len, const char *new,
                          size_t new_len, struct projhost_batch *b)
{
    for (uint64_t id = 1; id <= ph->last_id; id++) {
        struct named nm;
        if (!projhost__get_named(ph, id, &nm) || nm.e.len <= old_len
            || memcmp(nm.path, old, old_len) != 0 || nm.path[old_len] != '/')
            continue;
        size_t rest = nm.e.len - old_len;
        if (new_len + rest > PROJ_PATH_MAX) /* cannot be: the disk took the rename */
            continue;
        char path[PROJ_PATH_MAX + 1];
        memcpy(path, new, new_len);
        memcpy(path + new_len, nm.path + old_len, rest);
        path[new_len + rest] = '\0';
        struct manifest_entry me;
        if (manifest_rename(ph->m, id, path, new_len + rest) == 0 && manifest_get(ph->m, id, &me))
            projhost__batch_add(b, WN_CHANGE_RENAME, &me, nm.path, nm.e.len);
    }
}

/* --- the ops --------------------------------------------------------------------------- */

static void to_wire(const struct manifest_entry *me, wn_entry *e)
{
    *e = (wn_entry){.id = me->id, .kind = me->attr.kind, .mode = me->attr.mode,
                    .size = me->attr.size, .mtime_ns = me->attr.mtime_ns,
                    .version = me->version, .path = me->path};
}

static bool op_page(void *data, uint64_t guest, uint64_t after_id, wn_page *page)
{
    (void)guest; /* every guest may see the whole manifest: the walk asked the filter */
    projhost *ph = data;
    if (after_id == UINT64_MAX)
        return false; /* nothing comes after it (after_id + 1 would wrap to the first page) */
    /* No id past last_id was ever sent, so no honest guest asks after one; walking the rest
     * of the tree in this loop turn to answer would let one guest stall the host. */
    if (after_id > ph->last_id)
        return false;
    for (uint64_t id = after_id + 1;; id++) {
        while (id > ph->last_id && ph->walk)
            walk_batch(ph); /* the guest is ahead of the idle walk */
        if (id > ph->last_id)
            return false;
        struct named nm;
        if (!projhost__get_named(ph, id, &nm))
            continue;
        wn_entry e;
        to_wire(&nm.e, &e);
        if (wn_page_full(page, &e))
            return true;
        (void)wn_page_add(page, &e); /* an entry the wire refuses is skipped */
    }
}

static uint64_t op_count(void *data, uint64_t guest)
{
    (void)guest;
    return manifest_count(((projhost *)data)->m);
}

static bool op_may_see(void *data, uint64_t guest, uint64_t file, const char *path)
{
    (void)guest;
    projhost *ph = data;
    struct named nm;
    /* Its removal is being told: every guest may see every entry of the manifest, so every
     * guest saw it (even if the rules hide it now: that is why it goes). */
    if (path && projhost__gone_kind(ph, file) >= 0)
        return true;
    if (!projhost__get_named(ph, file, &nm))
        return false;
    const struct manifest_entry me = nm.e;
    const char *p = path ? path : me.path;
    enum proj_kind kind = me.attr.kind == MANIFEST_DIR ? PROJ_KIND_DIR : PROJ_KIND_FILE;
    return proj_filter_shared(ph->filter, p, strlen(p), kind);
}

static int op_open(void *data, uint64_t guest, uint64_t file, wf_doc **doc, char *why,
                   size_t size)
{
    projhost *ph = data;
    struct named nm;
    if (!projhost__get_named(ph, file, &nm) || nm.e.attr.kind == MANIFEST_DIR ||
        !proj_filter_shared(ph->filter, nm.e.path, nm.e.len, PROJ_KIND_FILE)) {
        snprintf(why, size, "that file is not shared in this session");
        return -ENOENT;
    }
    const struct manifest_entry me = nm.e;
    int e = 0;
    struct pdoc *d = doc_of(ph, &me, why, size, &e);
    if (!d) {
        projhost__say(ph, "refused %s to %s: %s", me.path, projhost__who(ph, guest), why);
        return e;
    }
    *doc = d->doc;
    projhost__say(ph, "%s opened %s", projhost__who(ph, guest), me.path);
    return 0;
}

static void op_changed(void *data, uint64_t file)
{
    struct pdoc *d = projhost__find_doc(data, file);
    if (d)
        d->dirty = true;
    projhost__doc_changed(data, file);
}

static void op_save(void *data, uint64_t guest, uint64_t file)
{
    projhost *ph = data;
    if (ph->ev.save && ph->ev.save(ph->ev.ctx, guest, file))
        return;
    struct pdoc *d = projhost__find_doc(ph, file);
    char text[TEXT_MAX];
    bool ok = d && save_doc(ph, d, text, sizeof text);
    if (!d)
        snprintf(text, sizeof text, "cannot save: that file is not open");
    wn_host_file_saved(ph->hs->host, guest, file, ok, text);
    if (ok)
        wn_host_notice(ph->hs->host, text);
}

/* A guest's tree request: projtree.c's, when the command installed it (projtree_install()). */
static void op_tree(void *data, uint64_t guest, const wn_tree_request *req)
{
    projhost *ph = data;
    if (ph->hooks.tree) {
        ph->hooks.tree(ph, guest, req);
        return;
    }
    wn_tree_done d = {.request = req->request, .ok = false, .file = req->file};
    snprintf(d.text, sizeof d.text, "this host does not change its files for guests");
    wn_host_tree_done(ph->hs->host, guest, &d);
}

/* The watch's hooks (projwatch_install()); none: changes on disk are not followed. */
void projhost__watch_dir(projhost *ph, const char *path, size_t len)
{
    if (ph->hooks.watch_dir)
        ph->hooks.watch_dir(ph, path, len);
}

void projhost__watch_moved(projhost *ph, const char *old, size_t old_len, const char *new,
                           size_t new_len)
{
    if (ph->hooks.watch_moved)
        ph->hooks.watch_moved(ph, old, old_len, new, new_len);
}

static const wn_project_ops ops = {
    .manifest_page = op_page, .manifest_count = op_count, .may_see = op_may_see,
    .open = op_open, .changed = op_changed, .save = op_save, .tree = op_tree,
};

void projhost__doc_changed(projhost *ph, uint64_t file)
{
    if (ph->ev.doc_changed)
        ph->ev.doc_changed(ph->ev.ctx, file);
}

void projhost__tree_changed(projhost *ph, const wn_change *changes,
                            const char *const *old_paths, size_t n)
{
    if (ph->hs->host)
        wn_host_manifest_changed(ph->hs->host, manifest_version(ph->m), changes, old_paths, n);
    if (ph->ev.tree_changed)
        ph->ev.tree_changed(ph->ev.ctx, changes, old_paths, n);
}

static void on_presence(void *data)
{
    projhost *ph = data;
    if (ph->ev.presence)
        ph->ev.presence(ph->ev.ctx);
}

static void on_log(void *data, const char *line)
{
    projhost__say(data, "%s", line);
}

/* --- life ------------------------------------------------------------------------------ */

int projhost_new(const char *dir, struct hosting *hs, const struct projhost_events *ev,
                 projhost **out)
{
    projhost *ph = wf_xcalloc(1, sizeof *ph);
    ph->hs = hs;
    if (ev)
        ph->ev = *ev;
    ph->agent = agent_random();
    struct proj_filter_options fo;
    proj_filter_options_from_env(&fo);
    fo.share_private = hs->o.share_private;
    fo.nshare_private = hs->o.nshare_private;
    int e = proj_filter_open(dir, &fo, &ph->filter);
    if (!e && !(ph->m = manifest_new()))
        e = -ENOMEM;
    if (!e)
        e = proj_walk_new(ph->filter, &ph->walk);
    if (e) {
        fprintf(stderr, "%s: cannot share %s: %s\n", hs->prog, dir, strerror(-e));
        projhost_free(ph);
        return 1;
    }
    for (size_t i = 0; i < proj_filter_notice_count(ph->filter); i++)
        fprintf(stderr, "%s: %s\n", hs->prog, proj_filter_notice(ph->filter, i));
    for (size_t i = 0; i < proj_filter_share_private_count(ph->filter); i++)
        projhost__say(ph, "sharing private files on purpose (--share-private): %s",
            proj_filter_share_private(ph->filter, i));
    walk_batch(ph);
    *out = ph;
    return -1;
}

int projhost_start(projhost *ph, uv_loop_t *loop)
{
    ph->loop = loop;
    struct hosting *hs = ph->hs;
    wn_host_config cfg;
    hosting_config(hs, &cfg);
    const char *slash = strrchr(proj_filter_root(ph->filter), '/');
    cfg.file = slash && slash[1] ? slash + 1 : hs->o.file; /* the root's name, for guests */
    cfg.agent = ph->agent;
    cfg.manifest_version = manifest_version(ph->m);
    wn_host_events ev = {.log = on_log, .presence = on_presence};
    int e = wn_host_start_project(loop, &cfg, &ops, &ev, ph, &hs->host);
    if (e) {
        hosting_listen_failed(hs, e);
        return 1;
    }
    uv_idle_init(loop, &ph->idle);
    ph->idle.data = ph;
    ph->idle_on = true;
    if (ph->walk && (e = uv_idle_start(&ph->idle, on_idle)) != 0)
        projhost__say(ph, "cannot list the tree in the background (%s): it is listed as guests ask",
            uv_strerror(e));
    if (ph->hooks.watch_start)
        ph->hooks.watch_start(ph); /* it says why when it cannot */
    return 0;
}

uint64_t projhost_agent(const projhost *ph)
{
    return ph->agent;
}

void projhost_stop(projhost *ph)
{
    if (ph->hooks.watch_stop)
        ph->hooks.watch_stop(ph);
    if (ph->idle_on)
        uv_close((uv_handle_t *)&ph->idle, NULL);
    ph->idle_on = false;
}

void projhost_free(projhost *ph)
{
    if (!ph)
        return;
    if (ph->hooks.watch_free)
        ph->hooks.watch_free(ph);
    for (size_t i = 0; i < ph->nd; i++) {
        wf_doc_free(ph->docs[i].doc);
        free(ph->docs[i].base);
    }
    free(ph->docs);
    free(ph->inos);
    proj_walk_free(ph->walk);
    manifest_free(ph->m);
    proj_filter_free(ph->filter);
    free(ph);
}
