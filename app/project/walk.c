/* The paged walk: see walk.h.
 *
 * A stack of frames, one per directory from the root to the current one. A frame holds the
 * directory's open descriptor, its filter node, and its whole listing, read at once and
 * sorted, each entry classified by the filter (shared file, shared directory, hidden, link,
 * special, bad name). proj_walk_next() takes entries off the top frame: a shared directory
 * is opened relative to its parent's descriptor (O_NOFOLLOW, and checked against its
 * fstatat()), read, and pushed after it is yielded; a frame is popped when it runs out.
 * Classification happens when a directory is read; if the filter is invalidated meanwhile,
 * refresh() classifies the rest again under the new rules. */
/* readdir()'s d_type (DT_DIR, ...) is not POSIX; glibc and the BSDs have it by default. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif
#include "app/project/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/project/filter-internal.h"
#include "app/project/fold.h"
#include "app/project/path.h"

enum status { ST_FILE, ST_DIR, ST_HIDDEN, ST_LINK, ST_SPECIAL, ST_BAD };

struct item {
    const char *name;   /* in the frame's names */
    uint16_t len;       /* bytes of name (at most 255) */
    uint8_t dtype;      /* DT_* from readdir */
    uint8_t status;     /* enum status */
    bool collides;      /* a shared sibling folds to the same key */
};

struct frame {
    int fd;                 /* the directory, open */
    struct proj__dir *node; /* its filter node */
    size_t pathlen;         /* bytes of its path at the start of w->path */
    char *names;            /* owned: the names, NUL-terminated, one after another */
    struct item *items;     /* owned: sorted by name */
    size_t n, next;         /* items; the next one to take */
};

struct proj_walk {
    proj_filter *f;
    struct frame *stack;           /* owned: stack[0] is the root */
    size_t depth, cap;             /* frames used, allocated */
    char path[PROJ_PATH_MAX + 2];  /* the current entry's path */
    char *page;                    /* owned: this page's paths */
    size_t pagecap;
    size_t *offs;                  /* owned: offset of each yielded path in page */
    size_t offscap;
    unsigned long gen;             /* the filter's generation when classified */
    struct proj_walk_stats st;
    size_t base_depth;             /* components of the directory walked (0: the root) */
    bool shallow;                  /* PROJ_WALK_SHALLOW: no directory is entered */
};

static void free_frame(struct frame *fr)
{
    if (fr->fd >= 0)
        close(fr->fd);
    free(fr->names);
    free(fr->items);
    memset(fr, 0, sizeof *fr);
    fr->fd = -1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct item *)a)->name, ((const struct item *)b)->name);
}

/* Reads the whole listing of fr->fd into fr (sorted). Returns 0, -ENOMEM or -errno. */
static int read_listing(struct frame *fr)
{
    DIR *d = proj_path_opendir(fr->fd);
    if (!d)
        return -errno;
    size_t ncap = 0, nlen = 0, icap = 0;
    size_t *offs = NULL; /* names move while they grow: offsets until the end */
    int rc = 0;
    struct dirent *de;
    while ((errno = 0, de = readdir(d)) != NULL) {
        const char *s = de->d_name;
        size_t l = strlen(s);
        if ((l == 1 && s[0] == '.') || (l == 2 && s[0] == '.' && s[1] == '.'))
            continue;
        if (nlen + l + 1 > ncap || fr->n == icap) {
            size_t nc = nlen + l + 1 > ncap ? 2 * (nlen + l + 1) + 4096 : ncap;
            size_t ic = fr->n == icap ? 2 * icap + 64 : icap;
            char *nn = realloc(fr->names, nc);
            if (nn)
                fr->names = nn;
            struct item *ni = nn ? realloc(fr->items, ic * sizeof *ni) : NULL;
            if (ni)
                fr->items = ni;
            size_t *no = ni ? realloc(offs, ic * sizeof *no) : NULL;
            if (!no) {
                rc = -ENOMEM;
                break;
            }
            offs = no;
            ncap = nc;
            icap = ic;
        }
        memcpy(fr->names + nlen, s, l + 1);
        offs[fr->n] = nlen;
        fr->items[fr->n++] = (struct item){ .len = (uint16_t)(l > UINT16_MAX ? UINT16_MAX : l),
                                            .dtype = de->d_type };
        nlen += l + 1;
    }
    if (rc == 0 && errno != 0)
        rc = -errno;
    closedir(d);
    for (size_t i = 0; i < fr->n; i++)
        fr->items[i].name = fr->names + offs[i];
    free(offs);
    if (rc == 0 && fr->n > 1)
        qsort(fr->items, fr->n, sizeof *fr->items, by_name);
    return rc;
}

/* Writes the path of item it of frame fr into w->path; returns its length, or 0 when it
 * does not fit. */
static size_t entry_path(struct proj_walk *w, const struct frame *fr, const struct item *it)
{
    size_t o = fr->pathlen + (fr->pathlen ? 1 : 0);
    if (o + it->len > PROJ_PATH_MAX)
        return 0;
    if (fr->pathlen)
        w->path[fr->pathlen] = '/';
    memcpy(w->path + o, it->name, it->len);
    w->path[o + it->len] = '\0';
    return o + it->len;
}

/* The filter's verdict on item it of frame fr (index k in the stack) as kind: ST_FILE,
 * ST_DIR or ST_HIDDEN; or -ENOMEM. */
static int judge(struct proj_walk *w, struct frame *fr, const struct item *it, enum proj_kind kind)
{
    size_t len = entry_path(w, fr, it);
    struct proj_verdict v;
    int rc = proj__filter_entry(w->f, fr->node, w->path, len, len - it->len, kind, &v);
    if (rc < 0)
        return rc;
    return !v.shared ? ST_HIDDEN : kind == PROJ_KIND_DIR ? ST_DIR : ST_FILE;
}

/* Classifies item it of frame fr at stack depth k (its path has k + 1 components). */
static int classify(struct proj_walk *w, struct frame *fr, size_t k, struct item *it)
{
    if (proj_name_check(it->name, it->len) != PROJ_PATH_OK
        || w->base_depth + k + 1 > PROJ_DEPTH_MAX
        || entry_path(w, fr, it) == 0)
        return it->status = ST_BAD, 0;
    unsigned char t = it->dtype;
    if (t == DT_UNKNOWN) {
        struct stat st;
        if (fstatat(fr->fd, it->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            return it->status = ST_SPECIAL, 0; /* gone; skipped at its turn */
        t = S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR
            : S_ISLNK(st.st_mode) ? DT_LNK : DT_FIFO;
        it->dtype = t;
    }
    if (t == DT_LNK)
        return it->status = ST_LINK, 0;
    if (t != DT_REG && t != DT_DIR)
        return it->status = ST_SPECIAL, 0;
    int s = judge(w, fr, it, t == DT_DIR ? PROJ_KIND_DIR : PROJ_KIND_FILE);
    if (s < 0)
        return s;
    it->status = (uint8_t)s;
    return 0;
}

struct key {
    char *s;   /* owned */
    size_t i;  /* item index */
};

static int by_key(const void *a, const void *b)
{
    return strcmp(((const struct key *)a)->s, ((const struct key *)b)->s);
}

static int find_name(const void *key, const void *item)
{
    return strcmp(key, ((const struct item *)item)->name);
}

/* Marks the shared items of fr whose keys (fold.h) are equal. Only a name that differs from
 * its key can collide with another, so only those keys are kept and compared: with each
 * other, and with the names of the rest. */
static int mark_collisions(struct frame *fr)
{
    struct key *keys = NULL;
    size_t nk = 0, cap = 0;
    int rc = 0;
    for (size_t i = 0; i < fr->n && rc == 0; i++) {
        struct item *it = &fr->items[i];
        it->collides = false;
        if (it->status != ST_FILE && it->status != ST_DIR)
            continue;
        struct proj_fold k;
        rc = proj_fold_init(&k, it->name, it->len);
        if (rc == 0 && (k.len != it->len || memcmp(k.s, it->name, k.len) != 0)) {
            if (nk == cap) {
                cap = 2 * cap + 16;
                struct key *nkeys = realloc(keys, cap * sizeof *nkeys);
                if (!nkeys)
                    rc = -ENOMEM;
                else
                    keys = nkeys;
            }
            char *s = rc == 0 ? strdup(k.s) : NULL;
            if (rc == 0 && !s)
                rc = -ENOMEM;
            if (rc == 0)
                keys[nk++] = (struct key){ s, i };
        }
        proj_fold_close(&k);
    }
    if (rc == 0 && nk > 1)
        qsort(keys, nk, sizeof *keys, by_key);
    for (size_t j = 0; rc == 0 && j < nk; j++) {
        if (j + 1 < nk && strcmp(keys[j].s, keys[j + 1].s) == 0)
            fr->items[keys[j].i].collides = fr->items[keys[j + 1].i].collides = true;
        struct item *o = bsearch(keys[j].s, fr->items, fr->n, sizeof *fr->items, find_name);
        if (o && (o->status == ST_FILE || o->status == ST_DIR)) {
            o->collides = true;
            fr->items[keys[j].i].collides = true;
        }
    }
    for (size_t j = 0; j < nk; j++)
        free(keys[j].s);
    free(keys);
    return rc;
}

/* Classifies the items of frame k from `from` on, and marks collisions. */
static int classify_frame(struct proj_walk *w, size_t k, size_t from)
{
    struct frame *fr = &w->stack[k];
    for (size_t i = from; i < fr->n; i++) {
        int rc = classify(w, fr, k, &fr->items[i]);
        if (rc < 0)
            return rc;
    }
    return mark_collisions(fr);
}

/* After an invalidation: new nodes for every frame, and the rest classified again. A frame
 * whose directory the new rules hide is finished. */
static int refresh(struct proj_walk *w)
{
    if (w->base_depth > 0)
        return -ESTALE; /* a walk below the root has no node for the directories above */
    w->gen = proj__filter_generation(w->f);
    w->stack[0].node = proj__filter_root_dir(w->f);
    /* Classifying frame k writes its entries' paths over the deeper frames' paths in
     * w->path: keep the deepest directory's path and put it back before each frame. */
    size_t plen = w->stack[w->depth - 1].pathlen;
    char *saved = malloc(plen + 1);
    if (!saved)
        return -ENOMEM;
    memcpy(saved, w->path, plen);
    int rc = 0;
    for (size_t k = 0; k < w->depth && rc == 0; k++) {
        memcpy(w->path, saved, plen);
        w->path[plen] = '\0';
        struct frame *fr = &w->stack[k];
        if (k > 0) {
            struct frame *up = &w->stack[k - 1];
            size_t off = up->pathlen + (up->pathlen ? 1 : 0);
            struct proj_verdict v;
            rc = proj__filter_entry(w->f, up->node, w->path, fr->pathlen, off, PROJ_KIND_DIR, &v);
            if (rc == 0 && v.shared)
                rc = proj__filter_enter(w->f, up->node, w->path, fr->pathlen, fr->fd, &fr->node);
            if (rc == 0 && !v.shared) {
                /* Hidden now: this frame and those above it end here. Their nodes are not
                 * used again, but must not dangle. */
                for (size_t j = k; j < w->depth; j++) {
                    w->stack[j].next = w->stack[j].n;
                    w->stack[j].node = up->node;
                }
                break;
            }
        }
        if (rc == 0)
            rc = classify_frame(w, k, fr->next);
    }
    memcpy(w->path, saved, plen);
    w->path[plen] = '\0';
    free(saved);
    return rc;
}

/* Pushes a frame for the directory fd (owned by the frame only on success). */
static int push(struct proj_walk *w, int fd, struct proj__dir *node, size_t pathlen)
{
    if (w->depth == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 8;
        struct frame *s = realloc(w->stack, cap * sizeof *s);
        if (!s)
            return -ENOMEM;
        w->stack = s;
        w->cap = cap;
    }
    struct frame *fr = &w->stack[w->depth];
    *fr = (struct frame){ .fd = fd, .node = node, .pathlen = pathlen };
    int rc = read_listing(fr);
    if (rc == 0) {
        w->depth++;
        rc = classify_frame(w, w->depth - 1, 0);
        if (rc < 0)
            w->depth--;
    }
    if (rc < 0) {
        fr->fd = -1; /* the caller still owns fd */
        free_frame(fr);
    }
    return rc;
}

int proj_walk_new(proj_filter *f, proj_walk **out)
{
    return proj_walk_new_at(f, "", 0, 0, out);
}

int proj_walk_new_at(proj_filter *f, const char *path, size_t len, unsigned flags,
                     proj_walk **out)
{
    if (len > PROJ_PATH_MAX)
        return -ENOENT;
    proj_walk *w = calloc(1, sizeof *w);
    if (!w)
        return -ENOMEM;
    w->f = f;
    w->gen = proj__filter_generation(f);
    w->shallow = flags & PROJ_WALK_SHALLOW;
    memcpy(w->path, path, len);
    w->path[len] = '\0';
    struct proj__dir *node = proj__filter_root_dir(f);
    int fd = openat(proj_filter_root_fd(f), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = fd < 0 ? -errno : 0;
    /* Down from the root one shared directory at a time, as the walk would go. */
    for (size_t start = 0; rc == 0 && start < len;) {
        const char *slash = memchr(path + start, '/', len - start);
        size_t end = slash ? (size_t)(slash - path) : len;
        char name[PROJ_NAME_MAX + 1];
        struct proj_verdict v;
        if (end - start > PROJ_NAME_MAX || end == start) {
            rc = -ENOENT;
            break;
        }
        memcpy(name, path + start, end - start);
        name[end - start] = '\0';
        rc = proj__filter_entry(f, node, w->path, end, start, PROJ_KIND_DIR, &v);
        if (rc == 0 && !v.shared)
            rc = -ENOENT;
        int next = rc ? -1 : openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (rc == 0 && next < 0)
            rc = errno == ENOTDIR || errno == ELOOP ? -ENOENT : -errno;
        close(fd);
        fd = next;
        if (rc == 0)
            rc = proj__filter_enter(f, node, w->path, end, fd, &node);
        w->base_depth++;
        start = end + 1;
    }
    if (rc == 0)
        rc = push(w, fd, node, len);
    if (rc < 0) {
        if (fd >= 0)
            close(fd);
        proj_walk_free(w);
        return rc;
    }
    *out = w;
    return 0;
}

/* Opens and pushes the shared directory at w->path[0..len), the entry it of frame fr.
 * Returns 0 (*unlisted set when its contents cannot be read) or -ENOMEM. */
static int descend(struct proj_walk *w, size_t k, const struct item *it, size_t len,
                   const struct stat *st, bool *unlisted)
{
    struct frame *fr = &w->stack[k];
    *unlisted = true;
    if (w->base_depth + k + 2 > PROJ_DEPTH_MAX)
        return 0; /* its entries would be too deep */
    int fd = openat(fr->fd, it->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat o;
    if (fd < 0)
        return 0;
    if (fstat(fd, &o) < 0 || o.st_dev != st->st_dev || o.st_ino != st->st_ino) {
        close(fd);
        return 0;
    }
    struct proj__dir *node;
    int rc = proj__filter_enter(w->f, fr->node, w->path, len, fd, &node);
    if (rc == 0)
        rc = push(w, fd, node, len);
    if (rc < 0) {
        close(fd);
        return rc == -ENOMEM ? rc : 0;
    }
    *unlisted = false;
    return 0;
}

/* Appends path[0..len) to this page; false when out of memory. */
static bool page_add(struct proj_walk *w, size_t *used, size_t count, const char *path,
                     size_t len)
{
    if (*used + len + 1 > w->pagecap) {
        size_t cap = 2 * (*used + len + 1) + 4096;
        char *p = realloc(w->page, cap);
        if (!p)
            return false;
        w->page = p;
        w->pagecap = cap;
    }
    if (count == w->offscap) {
        size_t cap = 2 * w->offscap + 64;
        size_t *o = realloc(w->offs, cap * sizeof *o);
        if (!o)
            return false;
        w->offs = o;
        w->offscap = cap;
    }
    memcpy(w->page + *used, path, len + 1);
    w->offs[count] = *used;
    *used += len + 1;
    return true;
}

/* Takes the next item of the top frame: 1 when it was yielded into *e, 0 when skipped. */
static int take(struct proj_walk *w, struct proj_entry *e, size_t *used, size_t count)
{
    size_t k = w->depth - 1;
    struct frame *fr = &w->stack[k];
    struct item *it = &fr->items[fr->next++];
    switch (it->status) {
    case ST_HIDDEN: w->st.hidden++; return 0;
    case ST_LINK: w->st.links++; return 0;
    case ST_SPECIAL: w->st.special++; return 0;
    case ST_BAD: w->st.bad_names++; return 0;
    }
    size_t len = entry_path(w, fr, it);
    struct stat st;
    if (fstatat(fr->fd, it->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return 0; /* vanished since the directory was read */
    if (S_ISLNK(st.st_mode)) {
        w->st.links++;
        return 0;
    }
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        w->st.special++;
        return 0;
    }
    enum status now = S_ISDIR(st.st_mode) ? ST_DIR : ST_FILE;
    if (now != it->status) { /* replaced by the other kind: judge it as what it is */
        int s = judge(w, fr, it, now == ST_DIR ? PROJ_KIND_DIR : PROJ_KIND_FILE);
        if (s < 0)
            return s;
        if (s == ST_HIDDEN) {
            w->st.hidden++;
            return 0;
        }
    }
    unsigned flags = it->collides ? PROJ_ENTRY_COLLIDES : 0;
    if (proj_filter_is_policy_name(it->name, it->len))
        flags |= PROJ_ENTRY_POLICY;
    if (!page_add(w, used, count, w->path, len))
        return -ENOMEM;
    if (now == ST_DIR && w->shallow) {
        w->st.dirs++;
    } else if (now == ST_DIR) {
        bool unlisted;
        int rc = descend(w, k, it, len, &st, &unlisted); /* may move w->stack */
        if (rc < 0)
            return rc;
        if (unlisted) {
            flags |= PROJ_ENTRY_UNLISTED;
            w->st.unlisted++;
        }
        w->st.dirs++;
    } else {
        w->st.files++;
    }
    *e = (struct proj_entry){ .len = len, .kind = now == ST_DIR ? PROJ_KIND_DIR : PROJ_KIND_FILE,
                              .flags = flags, .mode = st.st_mode, .size = st.st_size,
                              .mtime = st.st_mtim, .dev = st.st_dev, .ino = st.st_ino };
    return 1;
}

int proj_walk_next(proj_walk *w, struct proj_entry *out, size_t max, size_t *n)
{
    *n = 0;
    size_t used = 0;
    if (w->depth && w->gen != proj__filter_generation(w->f)) {
        int rc = refresh(w);
        if (rc < 0)
            return rc;
    }
    while (*n < max && w->depth > 0) {
        struct frame *fr = &w->stack[w->depth - 1];
        if (fr->next == fr->n) {
            free_frame(fr);
            w->depth--;
            continue;
        }
        int r = take(w, &out[*n], &used, *n);
        if (r < 0)
            return r;
        *n += (size_t)r;
    }
    for (size_t i = 0; i < *n; i++)
        out[i].path = w->page + w->offs[i];
    w->st.done = w->depth == 0;
    return 0;
}

void proj_walk_stats(const proj_walk *w, struct proj_walk_stats *st)
{
    *st = w->st;
}

void proj_walk_free(proj_walk *w)
{
    if (!w)
        return;
    for (size_t k = 0; k < w->depth; k++)
        free_frame(&w->stack[k]);
    free(w->stack);
    free(w->page);
    free(w->offs);
    free(w);
}
