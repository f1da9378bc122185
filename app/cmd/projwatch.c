/* Changes on the host's disk in a shared project (a git checkout, a formatter, a build, an
 * editor beside weft): the manifest and the open documents follow them.
 *
 * Watching. Every directory of the manifest has a libuv fs event handle (inotify on Linux,
 * which watches one directory each). An event marks its directory dirty; PROJWATCH_DEBOUNCE_MS
 * after the first, the dirty directories are rescanned (a burst of events, as a checkout
 * makes, is one rescan). A rescan lists the directory through the filter, as the walk does
 * (proj_walk_new_at(), shallow), and reconciles it with the manifest: entries that appeared
 * are added (a new directory with everything in it), entries gone are removed (a directory
 * with everything below it), entries whose size, mtime or kind changed are updated. A removal
 * and an addition of the same inode in one rescan are a rename (git mv, mv): the entry keeps
 * its id, so its document, buffers and cursors follow it. Everyone hears the changes at once.
 *
 * When watching is not possible (more than PROJWATCH_DIRS_MAX directories, the system's
 * limit on watches, another error) or a burst dirties more than PROJWATCH_DIRTY_MAX
 * directories, the whole tree is rescanned instead: at once for a burst, every
 * PROJWATCH_POLL_MS without watches. An ignore file that changed makes the filter read its
 * directory's rules again, and that directory is rescanned whole: what it shares may change.
 *
 * Open documents. A shared file that changed on disk and has a document is read again and
 * merged into the document as the host's edit (app/editor/diskmerge.h: a three-way line
 * merge against the text as last loaded or saved), so every screen updates and no unsaved
 * edit of anyone's is lost; the host's own saves come back as events whose bytes are the
 * base already, and change nothing. A file that turned binary is left as it was, and said. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/cmd/projhost-internal.h"
#include "app/editor/diskmerge.h"
#include "app/editor/file.h"
#include "app/project/resolve.h"
#include "app/project/sniff.h"
#include "app/project/walk.h"
#include "core/mem.h"

#define PROJWATCH_DEBOUNCE_MS 100
#define PROJWATCH_DIRS_MAX 8192
#define PROJWATCH_DIRTY_MAX 256
#define PROJWATCH_POLL_MS 10000

/* What the directory's ignore files (.gitignore, .weftignore) looked like when last seen. */
struct rules_sig {
    struct timespec mtime[2];
    off_t size[2];
    ino_t ino[2];
    bool exists[2];
};

struct wdir {
    struct projwatch *w;
    char *path;           /* owned: relative to the root ("" for the root) */
    size_t len;
    uv_fs_event_t ev;
    bool dirty;
    bool closing;         /* uv_close() called: freed in its callback */
    struct rules_sig rules;
};

struct projwatch {
    projhost *ph;
    struct wdir **dirs;   /* owned (each freed after its handle closed) */
    size_t n, cap;
    size_t ndirty;
    bool full;            /* the next rescan is of the whole tree */
    bool polling;         /* watching failed: the whole tree every PROJWATCH_POLL_MS */
    bool stopping;
    uv_timer_t debounce, poll;
    int open_handles;     /* handles not closed yet (freed when 0 after the loop) */
};

/* --- reading the disk ---------------------------------------------------------------------- */

/* One shared entry as a rescan found it, its path owned. */
struct found {
    char *path;
    size_t len;
    enum proj_kind kind;
    struct proj_entry e;  /* e.path points at path */
    uint64_t id;          /* the manifest's entry at that path, or 0 */
};

struct listing {
    struct found *v;
    size_t n, cap;
};

static void listing_free(struct listing *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].path);
    free(l->v);
    *l = (struct listing){0};
}

/* Appends what a walk of dir (shallow or deep) yields. Returns 0 or -errno (-ENOENT: dir is
 * not a shared directory now). */
static int list_dir(projhost *ph, const char *dir, size_t len, bool deep, struct listing *l)
{
    proj_walk *walk;
    int e = proj_walk_new_at(ph->filter, dir, len, deep ? 0 : PROJ_WALK_SHALLOW, &walk);
    if (e)
        return e;
    struct proj_entry batch[256];
    size_t n;
    while ((e = proj_walk_next(walk, batch, sizeof batch / sizeof *batch, &n)) == 0 && n) {
        for (size_t i = 0; i < n; i++) {
            if (l->n == l->cap) {
                l->cap = l->cap ? 2 * l->cap : 64;
                l->v = wf_xreallocarray(l->v, l->cap, sizeof *l->v);
            }
            struct found *f = &l->v[l->n++];
            f->path = wf_xstrndup(batch[i].path, batch[i].len);
            f->len = batch[i].len;
            f->kind = batch[i].kind;
            f->e = batch[i];
            f->e.path = f->path;
            f->id = 0;
        }
    }
    proj_walk_free(walk);
    return e;
}

/* Whether path[0..len) is dir's child (deep: or below it); dir "" is the root. */
static bool in_scope(const char *path, size_t len, const char *dir, size_t dlen, bool deep)
{
    if (dlen) {
        if (len <= dlen || memcmp(path, dir, dlen) != 0 || path[dlen] != '/')
            return false;
        path += dlen + 1;
        len -= dlen + 1;
    }
    return deep || !memchr(path, '/', len);
}

/* What one rescan looks at: directories, each with its children or everything below. */
struct scope {
    char *dir;  /* owned */
    size_t len;
    bool deep;
};

static bool in_scopes(const char *path, size_t len, const struct scope *sc, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (in_scope(path, len, sc[i].dir, sc[i].len, sc[i].deep))
            return true;
    return false;
}

/* Whether the scopes list what the directory path[0..len) holds. */
static bool covers_children(const char *path, size_t len, const struct scope *sc, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((sc[i].len == len && memcmp(sc[i].dir, path, len) == 0)
            || (sc[i].deep && in_scope(path, len, sc[i].dir, sc[i].len, true)))
            return true;
    return false;
}

/* --- merging a changed file into its document ----------------------------------------------- */

/* Reads the shared file path[0..len) whole. Returns 0 with *out (free()) and *n, or -errno. */
static int read_shared(projhost *ph, const char *path, size_t len, char **out, size_t *n,
                       bool *text)
{
    struct stat st;
    int fd = proj_open(ph->filter, path, len, PROJ_WANT_FILE, &st, NULL);
    if (fd < 0)
        return fd;
    enum proj_content c;
    int e = proj_sniff_fd(fd, &c);
    *text = !e && c == PROJ_CONTENT_TEXT;
    if (e || !*text || (uint64_t)st.st_size > FILE_MAX_SIZE) {
        close(fd);
        return e ? e : *text ? -EFBIG : 0;
    }
    size_t size = (size_t)st.st_size, got = 0;
    char *buf = wf_trymalloc(size ? size : 1);
    if (!buf) {
        close(fd);
        return -ENOMEM;
    }
    while (got < size) {
        ssize_t k = pread(fd, buf + got, size - got, (off_t)got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    *out = buf;
    *n = got;
    return 0;
}

static void merge_from_disk(projhost *ph, struct pdoc *d, const char *path, size_t len)
{
    char *disk = NULL;
    size_t n = 0;
    bool text = true;
    int e = read_shared(ph, path, len, &disk, &n, &text);
    if (e == -ENOENT)
        return; /* gone meanwhile: the next rescan removes it */
    if (!e && !text) {
        projhost__say(ph, "%s changed on disk and is not text now: its document was left as "
                      "it was (save it to write the text back)", path);
        return;
    }
    if (e) {
        projhost__say(ph, "%s changed on disk, but cannot be read: %s", path, strerror(-e));
        return;
    }
    if (d->base && n == d->base_len && memcmp(disk, d->base, n) == 0) {
        free(disk); /* our own save, or a touch */
        return;
    }
    struct diskmerge_stats st;
    e = diskmerge(d->doc, d->base, d->base_len, disk, n, &st);
    if (e) {
        projhost__say(ph, "%s changed on disk, but could not be merged: %s", path, wf_strerror(e));
        free(disk);
        return;
    }
    free(d->base);
    d->base = disk;
    d->base_len = n;
    if (ph->hs->host)
        wn_host_file_changed(ph->hs->host, d->id); /* the host's edit, to everyone */
    projhost__doc_changed(ph, d->id);
    if (ph->ev.disk_merged)
        ph->ev.disk_merged(ph->ev.ctx, d->id);
    if (st.conflicts)
        projhost__say(ph, "%s changed on disk: merged in; %zu place%s edited here too keep "
                      "both texts, the disk's after ours", path, st.conflicts,
                      st.conflicts == 1 ? "" : "s");
    else
        projhost__say(ph, "%s changed on disk: merged in (%zu change%s)", path, st.hunks,
                      st.hunks == 1 ? "" : "s");
}

/* --- reconciling a listing with the manifest --------------------------------------------- */

static struct manifest_attr attr_of(projhost *ph, const struct found *f, uint8_t was_kind)
{
    (void)ph;
    uint8_t kind = f->kind == PROJ_KIND_DIR ? MANIFEST_DIR
                   : was_kind == MANIFEST_BINARY ? MANIFEST_BINARY : MANIFEST_TEXT;
    return (struct manifest_attr){
        .kind = kind, .mode = (uint32_t)f->e.mode, .size = (uint64_t)f->e.size,
        .mtime_ns = (int64_t)f->e.mtime.tv_sec * 1000000000 + f->e.mtime.tv_nsec};
}

static bool same_ino(const projhost *ph, uint64_t id, const struct proj_entry *e)
{
    return id < ph->inos_cap && ph->inos[id].ino && ph->inos[id].ino == (uint64_t)e->ino
           && ph->inos[id].dev == (uint64_t)e->dev;
}

/* Removes id (and, a directory, everything below it) from the manifest, into b. */
static void remove_entry(projhost *ph, uint64_t id, struct projhost_batch *b)
{
    struct named nm;
    if (!projhost__get_named(ph, id, &nm))
        return;
    if (nm.e.attr.kind == MANIFEST_DIR) { /* one pass over the manifest for all below it */
        for (uint64_t k = 1; k <= ph->last_id; k++) {
            struct named c;
            if (k != id && projhost__get_named(ph, k, &c)
                && in_scope(c.path, c.e.len, nm.path, nm.e.len, true)
                && manifest_remove(ph->m, k) == 0)
                projhost__batch_add(b, WN_CHANGE_REMOVE, &c.e, NULL, 0);
        }
        projhost__watch_moved(ph, nm.path, nm.e.len, NULL, 0);
    }
    if (manifest_remove(ph->m, id) == 0)
        projhost__batch_add(b, WN_CHANGE_REMOVE, &nm.e, NULL, 0);
}

/* Reconciles the manifest's entries in the scopes with l, what the disk holds there now,
 * into b. One listing for all the scopes, so that a file moved from one directory to another
 * is seen as the rename it is. */
static void reconcile(projhost *ph, const struct scope *sc, size_t nsc, struct listing *l,
                      struct projhost_batch *b)
{
    /* What is still there, and what changed. */
    uint8_t *seen = wf_xcalloc(ph->last_id + 2, 1);
    for (size_t i = 0; i < l->n; i++) {
        struct found *f = &l->v[i];
        struct manifest_entry me;
        if (!manifest_find(ph->m, f->path, f->len, &me))
            continue;
        bool was_dir = me.attr.kind == MANIFEST_DIR;
        if (was_dir != (f->kind == PROJ_KIND_DIR))
            continue; /* replaced by the other kind: a removal and an addition */
        f->id = me.id;
        if (me.id <= ph->last_id)
            seen[me.id] = 1;
        struct manifest_attr a = attr_of(ph, f, me.attr.kind);
        bool changed = a.size != me.attr.size || a.mtime_ns != me.attr.mtime_ns
                       || a.mode != me.attr.mode;
        if (!changed || was_dir)
            continue;
        projhost__set_ino(ph, me.id, f->e.dev, f->e.ino);
        if (manifest_update(ph->m, me.id, &a) == 0 && manifest_get(ph->m, me.id, &me))
            projhost__batch_add(b, WN_CHANGE_UPDATE, &me, NULL, 0);
        struct pdoc *d = projhost__find_doc(ph, me.id);
        if (d)
            merge_from_disk(ph, d, f->path, f->len);
    }
    /* What went: an entry in scope not listed, unless the same inode came back elsewhere
     * in this listing (a rename on disk). In three passes: directories renamed (their
     * entries go with them, out of the scopes), then files renamed or gone, then the
     * directories gone (with what is still below them): a file moved out of a directory
     * that went is a rename, not a loss. */
    uint64_t top = ph->last_id;
    for (int pass = 0; pass < 3; pass++)
    for (uint64_t id = 1; id <= top; id++) {
        struct named nm;
        if (seen[id] || !projhost__get_named(ph, id, &nm) || !in_scopes(nm.path, nm.e.len, sc, nsc))
            continue;
        if ((nm.e.attr.kind == MANIFEST_DIR) != (pass != 1))
            continue;
        struct found *to = NULL;
        for (size_t i = 0; i < l->n && !to; i++)
            if (!l->v[i].id && (l->v[i].kind == PROJ_KIND_DIR) == (nm.e.attr.kind == MANIFEST_DIR)
                && same_ino(ph, id, &l->v[i].e))
                to = &l->v[i];
        if (!to && pass == 0)
            continue; /* a directory gone: in the last pass */
        if (!to) {
            remove_entry(ph, id, b);
            continue;
        }
        struct manifest_entry me;
        if (manifest_rename(ph->m, id, to->path, to->len) != 0 || !manifest_get(ph->m, id, &me)) {
            remove_entry(ph, id, b);
            continue;
        }
        to->id = id;
        seen[id] = 1; /* where it went may be in the scopes too */
        projhost__batch_add(b, WN_CHANGE_RENAME, &me, nm.path, nm.e.len);
        if (nm.e.attr.kind == MANIFEST_DIR) {
            projhost__move_children(ph, nm.path, nm.e.len, to->path, to->len, b);
            projhost__watch_moved(ph, nm.path, nm.e.len, to->path, to->len);
            /* What moved with it is there under its new paths: not gone, not new. */
            for (size_t i = 0; i < l->n; i++) {
                struct manifest_entry c;
                if (!l->v[i].id && in_scope(l->v[i].path, l->v[i].len, to->path, to->len, true)
                    && manifest_find(ph->m, l->v[i].path, l->v[i].len, &c)) {
                    l->v[i].id = c.id;
                    if (c.id <= top)
                        seen[c.id] = 1;
                }
            }
        }
    }
    free(seen);
    /* What came: listed, not in the manifest (a new directory brings what it holds). */
    for (size_t i = 0; i < l->n; i++) {
        struct found *f = &l->v[i];
        uint64_t id = 0;
        if (f->id || manifest_find(ph->m, f->path, f->len, &(struct manifest_entry){0}))
            continue;
        if (projhost__add_entry(ph, &f->e, &id) != 0)
            continue;
        struct manifest_entry me;
        if (manifest_get(ph->m, id, &me))
            projhost__batch_add(b, WN_CHANGE_ADD, &me, NULL, 0);
        if (f->kind == PROJ_KIND_DIR && !covers_children(f->path, f->len, sc, nsc)) {
            /* a new directory whose contents no scope covers: all of it, now */
            struct listing sub = {0};
            struct scope all = {.dir = f->path, .len = f->len, .deep = true};
            if (list_dir(ph, f->path, f->len, true, &sub) == 0)
                reconcile(ph, &all, 1, &sub, b);
            listing_free(&sub);
        }
    }
}

/* The signature of dir's ignore files now. */
static void rules_now(projhost *ph, const char *dir, size_t dlen, struct rules_sig *sig)
{
    static const char *const names[2] = {".gitignore", ".weftignore"};
    memset(sig, 0, sizeof *sig);
    int fd = dlen ? proj_open(ph->filter, dir, dlen, PROJ_WANT_DIR, NULL, NULL)
                  : proj_filter_root_fd(ph->filter);
    if (fd < 0)
        return;
    for (int i = 0; i < 2; i++) {
        struct stat st;
        if (fstatat(fd, names[i], &st, AT_SYMLINK_NOFOLLOW) == 0) {
            sig->exists[i] = true;
            sig->mtime[i] = st.st_mtim;
            sig->size[i] = st.st_size;
            sig->ino[i] = st.st_ino;
        }
    }
    if (dlen)
        close(fd);
}

static struct wdir *wdir_of(struct projwatch *w, const char *dir, size_t dlen)
{
    for (size_t i = 0; w && i < w->n; i++)
        if (w->dirs[i]->len == dlen && memcmp(w->dirs[i]->path, dir, dlen) == 0)
            return w->dirs[i];
    return NULL;
}

/* Whether dir's ignore files changed since last seen (and now they are seen). */
static bool rules_changed(projhost *ph, const char *dir, size_t dlen)
{
    struct wdir *d = wdir_of(ph->watch, dir, dlen);
    struct rules_sig now;
    rules_now(ph, dir, dlen, &now);
    bool changed = !d || memcmp(&now, &d->rules, sizeof now) != 0;
    if (d)
        d->rules = now;
    return changed && (d || now.exists[0] || now.exists[1]);
}

/* Lists dir for a rescan into l, and says how in *sc: deep when the directory is gone (all
 * below it goes) or its ignore rules changed (all below it is judged again). False when it
 * cannot be read (it is left as it is, and said). */
static bool rescan_dir(projhost *ph, const char *dir, size_t dlen, bool deep, struct listing *l,
                       struct scope *sc)
{
    *sc = (struct scope){.dir = wf_xstrndup(dir, dlen), .len = dlen, .deep = deep};
    if (!deep && rules_changed(ph, dir, dlen)) {
        proj_filter_invalidate(ph->filter, dir, dlen);
        sc->deep = true;
    }
    size_t before = l->n;
    int e = list_dir(ph, dir, dlen, sc->deep, l);
    if (e == -ENOENT) { /* not a shared directory now: what it held goes */
        sc->deep = true;
        return true;
    }
    if (e) {
        projhost__say(ph, "cannot read %s again: %s", dlen ? dir : "the shared directory",
                      strerror(-e));
        for (size_t i = before; i < l->n; i++)
            free(l->v[i].path);
        l->n = before;
        free(sc->dir);
        sc->dir = NULL;
        return false;
    }
    return true;
}

/* --- the watches --------------------------------------------------------------------------- */

static void on_debounce(uv_timer_t *t)
{
    struct projwatch *w = t->data;
    projhost *ph = w->ph;
    struct projhost_batch b = {0};
    struct listing l = {0};
    bool full = w->full || w->ndirty > PROJWATCH_DIRTY_MAX;
    size_t n = 0;
    struct scope *sc = wf_xcalloc(full ? 1 : w->ndirty + 1, sizeof *sc);
    if (full) {
        proj_filter_invalidate(ph->filter, "", 0);
        n += rescan_dir(ph, "", 0, true, &l, &sc[n]);
    } else {
        /* Copies of the paths: a rescan may add or drop watches. */
        size_t k = 0;
        char **paths = wf_xcalloc(w->ndirty + 1, sizeof *paths);
        for (size_t i = 0; i < w->n && k < w->ndirty; i++)
            if (w->dirs[i]->dirty && !w->dirs[i]->closing)
                paths[k++] = wf_xstrndup(w->dirs[i]->path, w->dirs[i]->len);
        for (size_t i = 0; i < k; i++) {
            n += rescan_dir(ph, paths[i], strlen(paths[i]), false, &l, &sc[n]);
            free(paths[i]);
        }
        free(paths);
    }
    for (size_t i = 0; i < w->n; i++)
        w->dirs[i]->dirty = false;
    w->ndirty = 0;
    w->full = false;
    reconcile(ph, sc, n, &l, &b);
    for (size_t i = 0; i < n; i++)
        free(sc[i].dir);
    free(sc);
    listing_free(&l);
    projhost__batch_send(ph, &b);
}

static void schedule(struct projwatch *w)
{
    if (w->stopping || uv_is_active((uv_handle_t *)&w->debounce))
        return;
    if (uv_timer_start(&w->debounce, on_debounce, PROJWATCH_DEBOUNCE_MS, 0) != 0)
        on_debounce(&w->debounce);
}

static void on_event(uv_fs_event_t *h, const char *filename, int events, int status)
{
    (void)filename;
    (void)events;
    struct wdir *d = h->data;
    struct projwatch *w = d->w;
    if (status < 0)
        w->full = true; /* the watch failed: look at everything */
    else if (!d->dirty) {
        d->dirty = true;
        w->ndirty++;
    }
    schedule(w);
}

static void on_poll(uv_timer_t *t)
{
    struct projwatch *w = t->data;
    w->full = true;
    on_debounce(&w->debounce);
}

/* Watching failed: the whole tree is looked at now and then instead. */
static void start_polling(struct projwatch *w, const char *why)
{
    if (w->polling)
        return;
    w->polling = true;
    projhost__say(w->ph, "cannot watch the shared directory for changes (%s): it is read again "
                  "every %d s instead", why, PROJWATCH_POLL_MS / 1000);
    if (uv_timer_start(&w->poll, on_poll, PROJWATCH_POLL_MS, PROJWATCH_POLL_MS) != 0)
        projhost__say(w->ph, "cannot even do that: changes on disk are not followed");
}

static void on_handle_closed(uv_handle_t *h)
{
    struct projwatch *w = h->data;
    w->open_handles--;
}

static void on_dir_closed(uv_handle_t *h)
{
    struct wdir *d = h->data;
    d->w->open_handles--;
    free(d->path);
    free(d);
}

static void watch_dir(projhost *ph, const char *path, size_t len)
{
    struct projwatch *w = ph->watch;
    if (!w || w->stopping || w->polling)
        return;
    if (w->n >= PROJWATCH_DIRS_MAX) {
        start_polling(w, "more than 8192 directories");
        return;
    }
    struct wdir *d = wf_xcalloc(1, sizeof *d);
    d->w = w;
    d->path = wf_xstrndup(path, len);
    d->len = len;
    char full[PROJ_PATH_MAX + 4096];
    const char *root = proj_filter_root(ph->filter);
    snprintf(full, sizeof full, "%s%s%s", root, len ? "/" : "", d->path);
    rules_now(ph, path, len, &d->rules);
    int e = uv_fs_event_init(ph->loop, &d->ev);
    if (!e) {
        d->ev.data = d;
        w->open_handles++;
        e = uv_fs_event_start(&d->ev, on_event, full, 0);
        if (e) {
            uv_close((uv_handle_t *)&d->ev, on_dir_closed);
            start_polling(w, uv_strerror(e));
            return;
        }
    } else {
        free(d->path);
        free(d);
        start_polling(w, uv_strerror(e));
        return;
    }
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 64;
        w->dirs = wf_xreallocarray(w->dirs, w->cap, sizeof *w->dirs);
    }
    w->dirs[w->n++] = d;
}

static void watch_moved(projhost *ph, const char *old, size_t old_len, const char *new,
                        size_t new_len)
{
    struct projwatch *w = ph->watch;
    if (!w)
        return;
    for (size_t i = 0; i < w->n;) {
        struct wdir *d = w->dirs[i];
        bool at = d->len == old_len && memcmp(d->path, old, old_len) == 0;
        bool below = in_scope(d->path, d->len, old, old_len, true);
        if (!at && !below) {
            i++;
            continue;
        }
        if (new) { /* the inotify watch follows the directory: only its name changes */
            size_t rest = d->len - old_len;
            char *p = wf_xmalloc(new_len + rest + 1);
            memcpy(p, new, new_len);
            memcpy(p + new_len, d->path + old_len, rest);
            p[new_len + rest] = '\0';
            free(d->path);
            d->path = p;
            d->len = new_len + rest;
            i++;
            continue;
        }
        if (d->dirty)
            w->ndirty--;
        d->closing = true;
        uv_close((uv_handle_t *)&d->ev, on_dir_closed);
        w->dirs[i] = w->dirs[--w->n];
    }
}

static void watch_start(projhost *ph)
{
    struct projwatch *w = wf_xcalloc(1, sizeof *w);
    w->ph = ph;
    ph->watch = w;
    uv_timer_init(ph->loop, &w->debounce); /* returns 0 */
    uv_timer_init(ph->loop, &w->poll);
    w->debounce.data = w->poll.data = w;
    w->open_handles = 2;
    watch_dir(ph, "", 0);
    for (uint64_t id = 1; id <= ph->last_id && !w->polling; id++) {
        struct named nm;
        if (projhost__get_named(ph, id, &nm) && nm.e.attr.kind == MANIFEST_DIR)
            watch_dir(ph, nm.path, nm.e.len);
    }
}

static void watch_stop(projhost *ph)
{
    struct projwatch *w = ph->watch;
    if (!w || w->stopping)
        return;
    w->stopping = true;
    uv_close((uv_handle_t *)&w->debounce, on_handle_closed);
    uv_close((uv_handle_t *)&w->poll, on_handle_closed);
    for (size_t i = 0; i < w->n; i++) {
        w->dirs[i]->closing = true;
        uv_close((uv_handle_t *)&w->dirs[i]->ev, on_dir_closed);
    }
    w->n = 0;
}

static void watch_free(projhost *ph)
{
    struct projwatch *w = ph->watch;
    if (!w)
        return;
    /* After the loop ran the closes: every handle's callback has freed its directory. */
    free(w->dirs);
    free(w);
    ph->watch = NULL;
}

void projwatch_install(projhost *ph)
{
    ph->hooks.watch_start = watch_start;
    ph->hooks.watch_dir = watch_dir;
    ph->hooks.watch_moved = watch_moved;
    ph->hooks.watch_stop = watch_stop;
    ph->hooks.watch_free = watch_free;
}
