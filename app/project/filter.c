/* The filter: see filter.h for the rules and their order.
 *
 * Structure. The filter keeps a node for every shared directory it has needed, in a hash
 * table keyed by the directory's path below the root. A node holds the directory's
 * .gitignore and .weftignore (or NULL) and a pointer to its parent's node, so the lists that
 * apply to an entry are found by walking up from its directory's node: that walk is git's
 * stack of per-directory pattern lists (prep_exclude in git's dir.c). Nodes exist only for
 * directories that exist and are shared: a hidden directory is never opened, so a guest
 * asking about names inside one learns nothing and makes the filter store nothing, and the
 * table holds at most the tree's directories.
 *
 * The rule that nothing below an excluded directory comes back falls out of the order of
 * questions: proj_filter_check() decides every directory on the way down and stops at the
 * first hidden one, and walk.c never descends into one.
 *
 * Lists of .gitignore files are matched on the path relative to the repository's top (the
 * root's prefix below the top, then the path); .weftignore and private lists on the path
 * relative to the root; the private lists and the VCS names on the folded path (fold.h). */
/* realpath() is in XSI. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#include "app/project/filter.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/project/filter-internal.h"
#include "app/project/fold.h"
#include "app/project/gitrepo.h"
#include "app/project/ignore.h"
#include "app/project/path.h"
#include "app/project/utf8.h"

/* Rule 4's defaults; a pattern here is a gitignore line. */
static const char *const private_defaults[] = {
    ".env*",  "*.pem",    "*.key",   "*.p12", "*.pfx",  "id_rsa*",
    "id_ed25519*", ".ssh/", ".gnupg/", ".netrc", "*.kdbx", "secrets.*",
};

struct proj__dir {
    char *path;               /* owned: relative to the root, "" for the root */
    size_t len;               /* bytes of path */
    struct proj__dir *parent; /* NULL for the root */
    struct proj_ignore *git;  /* owned: its .gitignore, or NULL */
    struct proj_ignore *weft; /* owned: its .weftignore, or NULL */
    char *broken;             /* owned: "FILE: reason" when an ignore file here could not be
                                 read (everything in the directory is then hidden), or NULL */
};

struct proj_filter {
    int rootfd;                 /* the root, O_DIRECTORY */
    char *root;                 /* owned: canonical absolute path */
    struct proj_git git;        /* repository, prefix, excludes files */
    size_t prefixlen;           /* bytes of git.prefix */
    struct proj_ignore *above;  /* owned: .gitignore files from the top down to the root's
                                   parent (above[0] is the top's); NULL entries skipped */
    size_t nabove;
    struct proj_ignore info;    /* info/exclude (empty when none) */
    struct proj_ignore global;  /* the global excludes file (empty when none) */
    char *broken;               /* owned: "FILE: reason" for an unreadable file that applies
                                   to everything (rule 3), or NULL */
    struct proj_ignore priv;    /* the private defaults (folded matching) */
    struct proj_ignore share;   /* the host's share_private patterns (folded matching) */
    struct proj__dir *rootdir;  /* the root's node (also in the table) */
    struct proj__dir **table;   /* owned: open addressing by path; NULL is empty */
    size_t cap, count;          /* slots (a power of two), nodes */
    char *full;                 /* owned scratch: git.prefix + a path */
    size_t fullcap;             /* bytes allocated for full */
    char *notices[PROJ_FILTER_NOTICES]; /* owned */
    size_t nnotices, dropped;
    unsigned long generation;   /* bumped by every invalidation */
    bool stale;                 /* an invalidation ran out of memory: everything is hidden
                                   until a later proj_filter_invalidate() of the whole tree */
    bool root_vcs;              /* the root is, or is inside, a VCS directory */
    const struct proj_pattern *root_private; /* the private default that the root, or a
                                   directory above it, matches (rule 4 for everything), or
                                   NULL */
};

/* --- small helpers ---------------------------------------------------------------- */

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

/* Records a notice (formatted) unless the same one is kept already. Out of memory, or past
 * the limit, it is counted as dropped. Notices quote ignore files, which a cloned repository
 * brings: control and bidi characters are escaped before they reach the host's terminal. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void notice(proj_filter *f, const char *fmt, ...)
{
    char raw[1024], buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    proj_utf8_printable(raw, strlen(raw), buf, sizeof buf);
    for (size_t i = 0; i < f->nnotices; i++)
        if (strcmp(f->notices[i], buf) == 0)
            return;
    char *s = f->nnotices < PROJ_FILTER_NOTICES ? strdup(buf) : NULL;
    if (!s) {
        f->dropped++;
        return;
    }
    f->notices[f->nnotices++] = s;
}

static const char *read_error(int err)
{
    switch (err) {
    case -ELOOP: return "it is a symbolic link, which weft does not follow";
    case -EINVAL: return "it is not a regular file";
    case -EFBIG: return "it is larger than 1 MiB";
    case -E2BIG: return "a line is longer than 4096 bytes";
    default: return strerror(-err);
    }
}

/* --- reading ignore files ---------------------------------------------------------- */

/* Reads and parses the ignore file fd into a new list (*out). Returns 0 or -errno. */
static int parse_fd(int fd, const char *base, size_t baselen, const char *source,
                    struct proj_ignore **out, uint32_t *bad_line)
{
    char *buf = NULL;
    size_t n = 0;
    int rc = proj_ignore_read_fd(fd, &buf, &n);
    if (rc < 0)
        return rc;
    struct proj_ignore *l = malloc(sizeof *l);
    if (!l) {
        free(buf);
        return -ENOMEM;
    }
    rc = proj_ignore_init(l, base, baselen, source);
    if (rc == 0)
        rc = proj_ignore_parse(l, buf, n, bad_line);
    free(buf);
    if (rc < 0) {
        proj_ignore_close(l);
        free(l);
        return rc;
    }
    *out = l;
    return 0;
}

/* Loads the ignore file name of directory dirfd. *out stays NULL when there is none.
 * Returns 0, -ENOMEM, or another -errno for a file that exists but cannot be used. */
static int load_one(int dirfd, const char *name, const char *base, size_t baselen,
                    const char *source, struct proj_ignore **out, uint32_t *bad_line)
{
    *out = NULL;
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return errno == ENOENT ? 0 : -errno;
    int rc = parse_fd(fd, base, baselen, source, out, bad_line);
    close(fd);
    return rc;
}

/* s1 + s2 + s3 in a new string, or NULL. */
static char *cat3(const char *s1, const char *s2, size_t n2, const char *s3)
{
    size_t l1 = strlen(s1), l3 = strlen(s3);
    char *s = malloc(l1 + n2 + l3 + 1);
    if (!s)
        return NULL;
    memcpy(s, s1, l1);
    memcpy(s + l1, s2, n2);
    memcpy(s + l1 + n2, s3, l3 + 1);
    return s;
}

/* Marks d broken because of file source (error err), with a notice. */
static int set_broken(proj_filter *f, struct proj__dir *d, const char *source, int err,
                      uint32_t line)
{
    char reason[160];
    if (err == -E2BIG)
        snprintf(reason, sizeof reason, "line %u is longer than 4096 bytes", (unsigned)line);
    else
        snprintf(reason, sizeof reason, "%s", read_error(err));
    size_t n = strlen(source) + strlen(reason) + 3;
    d->broken = malloc(n);
    if (!d->broken)
        return -ENOMEM;
    snprintf(d->broken, n, "%s: %s", source, reason);
    notice(f, "%s cannot be read (%s): everything in %s%s is hidden", source, reason,
           d->len ? d->path : "the shared directory", d->len ? "/" : "");
    return 0;
}

/* Reads the .gitignore and .weftignore of node d, whose directory is dirfd. */
static int load_dir(proj_filter *f, struct proj__dir *d, int dirfd)
{
    /* .gitignore: relative to the top; .weftignore: relative to the root. */
    char *gbase = cat3(f->git.prefix, d->path, d->len, d->len ? "/" : "");
    char *wbase = cat3("", d->path, d->len, d->len ? "/" : "");
    char *gsrc = gbase ? cat3(gbase, "", 0, ".gitignore") : NULL;
    char *wsrc = wbase ? cat3(wbase, "", 0, ".weftignore") : NULL;
    int rc = -ENOMEM;
    if (gsrc && wsrc) {
        uint32_t line = 0;
        rc = load_one(dirfd, ".gitignore", gbase, strlen(gbase), gsrc, &d->git, &line);
        if (rc < 0 && rc != -ENOMEM)
            rc = set_broken(f, d, gsrc, rc, line);
        if (rc == 0 && !d->broken) {
            rc = load_one(dirfd, ".weftignore", wbase, strlen(wbase), wsrc, &d->weft, &line);
            if (rc < 0 && rc != -ENOMEM)
                rc = set_broken(f, d, wsrc, rc, line);
        }
    }
    free(gbase);
    free(wbase);
    free(gsrc);
    free(wsrc);
    return rc;
}

static void free_list(struct proj_ignore *l)
{
    if (l) {
        proj_ignore_close(l);
        free(l);
    }
}

static void free_dir(struct proj__dir *d)
{
    free_list(d->git);
    free_list(d->weft);
    free(d->broken);
    free(d->path);
    free(d);
}

/* --- the node table ------------------------------------------------------------------ */

static struct proj__dir **slot(proj_filter *f, const char *path, size_t len)
{
    size_t i = (size_t)hash(path, len) & (f->cap - 1);
    for (;; i = (i + 1) & (f->cap - 1)) {
        struct proj__dir *d = f->table[i];
        if (!d || (d->len == len && memcmp(d->path, path, len) == 0))
            return &f->table[i];
    }
}

static struct proj__dir *lookup(proj_filter *f, const char *path, size_t len)
{
    return *slot(f, path, len);
}

static int insert(proj_filter *f, struct proj__dir *d)
{
    if (2 * (f->count + 1) > f->cap) {
        size_t ncap = f->cap ? 2 * f->cap : 64;
        struct proj__dir **nt = calloc(ncap, sizeof *nt);
        if (!nt)
            return -ENOMEM;
        struct proj__dir **old = f->table;
        size_t ocap = f->cap;
        f->table = nt;
        f->cap = ncap;
        for (size_t i = 0; i < ocap; i++)
            if (old[i])
                *slot(f, old[i]->path, old[i]->len) = old[i];
        free(old);
    }
    *slot(f, d->path, d->len) = d;
    f->count++;
    return 0;
}

/* A new node for directory path[0..len) below parent, read from dirfd, in the table. */
static int new_dir(proj_filter *f, struct proj__dir *parent, const char *path, size_t len,
                   int dirfd, struct proj__dir **out)
{
    struct proj__dir *d = calloc(1, sizeof *d);
    if (!d)
        return -ENOMEM;
    d->path = malloc(len + 1);
    if (!d->path) {
        free(d);
        return -ENOMEM;
    }
    memcpy(d->path, path, len);
    d->path[len] = '\0';
    d->len = len;
    d->parent = parent;
    int rc = load_dir(f, d, dirfd);
    if (rc == 0)
        rc = insert(f, d);
    if (rc < 0) {
        free_dir(d);
        return rc;
    }
    *out = d;
    return 0;
}

/* --- verdicts ---------------------------------------------------------------------- */

static bool folded_is(const struct proj_fold *k, const char *s)
{
    return k->len == strlen(s) && memcmp(k->s, s, k->len) == 0;
}

static void hide(struct proj_verdict *v, enum proj_why why, const char *source, unsigned line,
                 const char *pattern)
{
    v->shared = false;
    v->why = why;
    v->source = source;
    v->line = line;
    v->pattern = pattern;
}

/* Rules 1 and 2, on the last component's key. */
static bool vcs_or_policy(const struct proj_fold *k, struct proj_verdict *v)
{
    if (folded_is(k, ".git") || folded_is(k, ".hg") || folded_is(k, ".svn")) {
        hide(v, PROJ_WHY_VCS, NULL, 0, NULL);
        return true;
    }
    if (folded_is(k, ".weftignore")) {
        hide(v, PROJ_WHY_POLICY, NULL, 0, NULL);
        return true;
    }
    return false;
}

/* git.prefix + path[0..len) in f->full. */
static const char *full_path(proj_filter *f, const char *path, size_t len)
{
    if (f->prefixlen == 0)
        return path;
    if (f->prefixlen + len + 1 > f->fullcap) {
        size_t cap = f->prefixlen + len + 1 + 256;
        char *b = realloc(f->full, cap);
        if (!b)
            return NULL;
        f->full = b;
        f->fullcap = cap;
    }
    memcpy(f->full, f->git.prefix, f->prefixlen);
    memcpy(f->full + f->prefixlen, path, len);
    f->full[f->prefixlen + len] = '\0';
    return f->full;
}

/* proj_ignore_match(), with a notice when a pattern proved too complex (ignore.h). */
static const struct proj_pattern *match(proj_filter *f, struct proj_ignore *l, const char *path,
                                        size_t len, bool is_dir)
{
    const struct proj_pattern *m = proj_ignore_match(l, path, len, is_dir);
    if (l->complex_new) {
        const struct proj_pattern *c = l->complex_new;
        l->complex_new = NULL;
        notice(f, "%s:%u: %s is too complex to match (git would take minutes on it too); it "
                  "%s", l->source, (unsigned)c->line, c->written,
               (c->flags & PROJ_PAT_NEGATIVE) ? "re-includes nothing"
                                              : "now hides everything it could apply to");
    }
    return m;
}

/* Rules 5 and 6: the first list (deepest first) with a matching pattern decides. */
static const struct proj_pattern *ignored(proj_filter *f, struct proj__dir *parent,
                                          const char *path, size_t len, bool is_dir,
                                          const struct proj_ignore **from, bool *oom)
{
    const struct proj_pattern *m;
    for (struct proj__dir *d = parent; d; d = d->parent)
        if (d->weft && (m = match(f, d->weft, path, len, is_dir)) != NULL) {
            *from = d->weft;
            return m;
        }
    const char *full = full_path(f, path, len);
    if (!full) {
        *oom = true;
        return NULL;
    }
    size_t flen = f->prefixlen + len;
    for (struct proj__dir *d = parent; d; d = d->parent)
        if (d->git && (m = match(f, d->git, full, flen, is_dir)) != NULL) {
            *from = d->git;
            return m;
        }
    for (size_t i = f->nabove; i-- > 0;)
        if ((m = match(f, &f->above[i], full, flen, is_dir)) != NULL) {
            *from = &f->above[i];
            return m;
        }
    if ((m = match(f, &f->info, full, flen, is_dir)) != NULL) {
        *from = &f->info;
        return m;
    }
    if ((m = match(f, &f->global, full, flen, is_dir)) != NULL) {
        *from = &f->global;
        return m;
    }
    return NULL;
}

int proj__filter_entry(proj_filter *f, struct proj__dir *parent, const char *path, size_t len,
                       size_t name_off, enum proj_kind kind, struct proj_verdict *v)
{
    *v = (struct proj_verdict){ .shared = true, .why = PROJ_WHY_NONE, .hidden_at = len };
    bool is_dir = kind == PROJ_KIND_DIR;
    struct proj_fold key;
    int rc = proj_fold_init(&key, path + name_off, len - name_off);
    bool done = rc == 0 && vcs_or_policy(&key, v);
    proj_fold_close(&key);
    if (rc < 0 || done)
        return rc;
    if (f->root_vcs) {
        hide(v, PROJ_WHY_VCS, NULL, 0, NULL);
        return 0;
    }
    if (f->broken || parent->broken || f->stale) {
        hide(v, PROJ_WHY_UNREADABLE, f->broken ? f->broken : parent->broken, 0, NULL);
        return 0;
    }

    rc = proj_fold_init(&key, path, len);
    if (rc < 0) {
        proj_fold_close(&key);
        return rc;
    }
    const struct proj_pattern *priv = match(f, &f->priv, key.s, key.len, is_dir);
    if (!priv)
        priv = f->root_private;
    if (priv && match(f, &f->share, key.s, key.len, is_dir))
        priv = NULL;
    proj_fold_close(&key);

    const struct proj_ignore *from = NULL;
    bool oom = false;
    const struct proj_pattern *m = ignored(f, parent, path, len, is_dir, &from, &oom);
    if (oom)
        return -ENOMEM;
    if (priv) {
        hide(v, PROJ_WHY_PRIVATE, f->priv.source, priv->line, priv->written);
        if (m && (m->flags & PROJ_PAT_NEGATIVE))
            notice(f, "%.*s stays hidden: it is a private file (%s), and %s:%u: %s does not "
                      "share it; to share it on purpose: weft host --share-private '%.*s'",
                   (int)len, path, priv->written, from->source, (unsigned)m->line, m->written,
                   (int)len, path);
        return 0;
    }
    if (m) {
        bool weft = from == parent->weft;
        for (struct proj__dir *d = parent; d && !weft; d = d->parent)
            weft = from == d->weft;
        if (m->flags & PROJ_PAT_NEGATIVE) {
            v->why = PROJ_WHY_NEGATED;
            v->source = from->source;
            v->line = m->line;
            v->pattern = m->written;
        } else {
            hide(v, weft ? PROJ_WHY_WEFTIGNORE : PROJ_WHY_GITIGNORE, from->source, m->line,
                 m->written);
        }
    }
    return 0;
}

struct proj__dir *proj__filter_root_dir(proj_filter *f)
{
    return f->rootdir;
}

unsigned long proj__filter_generation(const proj_filter *f)
{
    return f->generation;
}

int proj__filter_enter(proj_filter *f, struct proj__dir *parent, const char *path, size_t len,
                       int dirfd, struct proj__dir **out)
{
    struct proj__dir *d = lookup(f, path, len);
    if (d) {
        *out = d;
        return 0;
    }
    return new_dir(f, parent, path, len, dirfd, out);
}

int proj_filter_check(proj_filter *f, const char *path, size_t len, enum proj_kind kind,
                      struct proj_verdict *v)
{
    if (proj_path_check(path, len) != PROJ_PATH_OK)
        return -EINVAL;
    struct proj__dir *node = f->rootdir;
    bool exists = true; /* node is the directory just above the next component */
    size_t start = 0;
    for (;;) {
        const char *slash = memchr(path + start, '/', len - start);
        if (!slash)
            break;
        size_t dlen = (size_t)(slash - path);
        struct proj__dir *d = exists ? lookup(f, path, dlen) : NULL;
        if (!d) {
            int rc = proj__filter_entry(f, node, path, dlen, start, PROJ_KIND_DIR, v);
            if (rc < 0)
                return rc;
            if (!v->shared) {
                v->hidden_at = dlen;
                return 0;
            }
            if (exists) {
                int fd = proj_path_open_dir(f->rootfd, path, dlen);
                if (fd == -ENOENT || fd == -ENOTDIR) {
                    exists = false; /* nothing below can exist, nor hold ignore files */
                } else if (fd < 0) {
                    /* A shared directory we cannot open: its ignore files are unknown. */
                    notice(f, "%.*s/ cannot be read (%s): everything in it is hidden",
                           (int)dlen, path, strerror(-fd));
                    hide(v, PROJ_WHY_UNREADABLE, NULL, 0, NULL);
                    v->hidden_at = dlen;
                    return 0;
                } else {
                    rc = new_dir(f, node, path, dlen, fd, &d);
                    close(fd);
                    if (rc < 0)
                        return rc;
                }
            }
        }
        if (d)
            node = d;
        start = dlen + 1;
    }
    return proj__filter_entry(f, node, path, len, start, kind, v);
}

bool proj_filter_shared(proj_filter *f, const char *path, size_t len, enum proj_kind kind)
{
    struct proj_verdict v;
    return proj_filter_check(f, path, len, kind, &v) == 0 && v.shared;
}

/* --- opening ------------------------------------------------------------------------- */

void proj_filter_options_from_env(struct proj_filter_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->home = getenv("HOME");
    opt->xdg_config_home = getenv("XDG_CONFIG_HOME");
    const char *nosys = getenv("GIT_CONFIG_NOSYSTEM");
    opt->system_config = nosys && *nosys ? NULL : "/etc/gitconfig";
}

/* Reads a file outside the tree (info/exclude, the global excludes) into l, which is
 * initialised here. A missing file leaves l empty; one that cannot be read sets f->broken. */
static int load_outside(proj_filter *f, const char *path, struct proj_ignore *l)
{
    int rc = proj_ignore_init(l, "", 0, path ? path : "");
    if (rc < 0 || !path)
        return rc;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        rc = errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
    uint32_t line = 0;
    if (fd >= 0) {
        char *buf = NULL;
        size_t n = 0;
        rc = proj_ignore_read_fd(fd, &buf, &n);
        close(fd);
        if (rc == 0)
            rc = proj_ignore_parse(l, buf, n, &line);
        free(buf);
    }
    if (rc < 0 && rc != -ENOMEM && !f->broken) {
        struct proj__dir tmp = { .path = (char *)"", .len = 0 };
        rc = set_broken(f, &tmp, path, rc, line);
        f->broken = tmp.broken;
    }
    return rc;
}

/* The .gitignore files between the repository's top and the root (not the root's own). */
static int load_above(proj_filter *f)
{
    const char *prefix = f->git.prefix;
    size_t depth = 0;
    for (const char *p = prefix; *p; p++)
        depth += *p == '/';
    if (depth == 0)
        return 0;
    f->above = calloc(depth, sizeof *f->above);
    if (!f->above)
        return -ENOMEM;
    int dirfd = open(f->git.top, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0)
        return 0; /* the top vanished: nothing above applies */
    int rc = 0;
    size_t start = 0;
    for (size_t k = 0; k < depth && rc == 0; k++) {
        /* Directory k is prefix[0..start) ("" for the top). */
        char *src = cat3("", prefix, start, ".gitignore");
        if (!src) {
            rc = -ENOMEM;
            break;
        }
        struct proj_ignore *l = NULL;
        uint32_t line = 0;
        rc = load_one(dirfd, ".gitignore", prefix, start, src, &l, &line);
        if (rc == 0 && l) {
            f->above[f->nabove++] = *l;
            free(l);
        } else if (rc == 0) {
            rc = proj_ignore_init(&f->above[f->nabove++], prefix, start, src);
        } else if (rc != -ENOMEM && !f->broken) {
            struct proj__dir tmp = { .path = (char *)"", .len = 0 };
            rc = set_broken(f, &tmp, src, rc, line);
            f->broken = tmp.broken;
        }
        free(src);
        const char *slash = strchr(prefix + start, '/');
        char name[PROJ_NAME_MAX + 1];
        size_t n = (size_t)(slash - (prefix + start));
        if (rc < 0 || n > PROJ_NAME_MAX)
            break;
        memcpy(name, prefix + start, n);
        name[n] = '\0';
        int next = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        close(dirfd);
        dirfd = next;
        if (dirfd < 0)
            return rc;
        start += n + 1;
    }
    close(dirfd);
    return rc;
}

static int add_patterns(struct proj_ignore *l, const char *const *pats, size_t n, bool check)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(pats[i]);
        if (check && (len == 0 || pats[i][0] == '!' || len > PROJ_IGNORE_LINE_MAX))
            return -EINVAL;
        size_t before = l->n;
        int rc = proj_ignore_add(l, pats[i], len, (uint32_t)(i + 1));
        if (rc < 0)
            return rc == -E2BIG ? -EINVAL : rc;
        if (check && l->n == before)
            return -EINVAL; /* only spaces */
    }
    return 0;
}

/* Rules 1 and 4 for the root itself: is it, or a directory above it, a VCS directory or a
 * private one (~/.ssh)? The host chose it, but "weft host ." typed in the wrong place must
 * not share a key ring: then everything in it counts as private (or VCS). */
static int check_root_path(proj_filter *f)
{
    const char *p = f->root;
    while (*p) {
        while (*p == '/')
            p++;
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 0)
            break;
        struct proj_fold k;
        int rc = proj_fold_init(&k, p, n);
        if (rc == 0) {
            struct proj_verdict v;
            if (vcs_or_policy(&k, &v) && v.why == PROJ_WHY_VCS)
                f->root_vcs = true;
            const struct proj_pattern *m = match(f, &f->priv, k.s, k.len, true);
            if (m && !f->root_private)
                f->root_private = m;
        }
        proj_fold_close(&k);
        if (rc == -ENOMEM)
            return rc;
        p += n;
    }
    if (f->root_vcs)
        notice(f, "%s is a version control directory, or inside one: nothing in it is shared",
               f->root);
    else if (f->root_private)
        notice(f, "%s is a private directory (%s), or inside one: everything in it is private, "
                  "and only weft host --share-private PATTERN shares any of it", f->root,
               f->root_private->written);
    return 0;
}

static int open_filter(proj_filter *f, const char *root, const struct proj_filter_options *opt)
{
    f->root = realpath(root, NULL);
    if (!f->root)
        return errno == ENOMEM ? -ENOMEM : -errno;
    f->rootfd = open(f->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (f->rootfd < 0)
        return -errno;
    int rc = proj_ignore_init(&f->priv, "", 0, "private defaults");
    if (rc == 0)
        rc = proj_ignore_init(&f->share, "", 0, "--share-private");
    if (rc < 0)
        return rc;
    f->priv.casefold = f->share.casefold = true;
    rc = add_patterns(&f->priv, private_defaults,
                      sizeof private_defaults / sizeof private_defaults[0], false);
    if (rc == 0)
        rc = add_patterns(&f->share, opt->share_private, opt->nshare_private, true);
    if (rc == 0)
        rc = check_root_path(f);
    if (rc < 0)
        return rc;

    struct proj_git_env env = { opt->home, opt->xdg_config_home, opt->system_config };
    rc = proj_git_discover(f->root, &env, &f->git);
    if (rc < 0)
        return rc;
    f->prefixlen = strlen(f->git.prefix);
    if (f->git.config_error) {
        size_t n = strlen(f->git.config_error) + 1;
        f->broken = malloc(n);
        if (!f->broken)
            return -ENOMEM;
        memcpy(f->broken, f->git.config_error, n);
        notice(f, "%s: the global excludes file is unknown, so everything is hidden",
               f->git.config_error);
    }
    rc = load_outside(f, f->broken ? NULL : f->git.info_exclude, &f->info);
    if (rc == 0)
        rc = load_outside(f, f->broken ? NULL : f->git.excludes_file, &f->global);
    if (rc == 0 && f->git.top)
        rc = load_above(f);
    if (rc < 0)
        return rc;
    return new_dir(f, NULL, "", 0, f->rootfd, &f->rootdir);
}

int proj_filter_open(const char *root, const struct proj_filter_options *opt, proj_filter **out)
{
    proj_filter *f = calloc(1, sizeof *f);
    if (!f)
        return -ENOMEM;
    f->rootfd = -1;
    int rc = open_filter(f, root, opt);
    if (rc < 0) {
        proj_filter_free(f);
        return rc;
    }
    *out = f;
    return 0;
}

void proj_filter_free(proj_filter *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->cap; i++)
        if (f->table[i])
            free_dir(f->table[i]);
    free(f->table);
    for (size_t i = 0; i < f->nabove; i++)
        proj_ignore_close(&f->above[i]);
    free(f->above);
    proj_ignore_close(&f->info);
    proj_ignore_close(&f->global);
    proj_ignore_close(&f->priv);
    proj_ignore_close(&f->share);
    proj_git_close(&f->git);
    for (size_t i = 0; i < f->nnotices; i++)
        free(f->notices[i]);
    free(f->broken);
    free(f->full);
    free(f->root);
    if (f->rootfd >= 0)
        close(f->rootfd);
    free(f);
}

/* --- invalidation and queries ------------------------------------------------------ */

static bool below(const struct proj__dir *d, const char *dir, size_t len)
{
    if (len == 0)
        return true;
    return d->len >= len && memcmp(d->path, dir, len) == 0 && (d->len == len || d->path[len] == '/');
}

void proj_filter_invalidate(proj_filter *f, const char *dir, size_t len)
{
    f->generation++;
    /* Rebuild the table without the subtree; the root's node is kept and re-read. */
    struct proj__dir **old = f->table;
    size_t ocap = f->cap;
    f->table = calloc(ocap, sizeof *f->table);
    if (!f->table) {
        /* Stale rules could share what a changed ignore file now hides: fail closed. */
        f->table = old;
        f->stale = true;
        notice(f, "out of memory while re-reading ignore files: everything is hidden");
        return;
    }
    f->count = 0;
    for (size_t i = 0; i < ocap; i++) {
        struct proj__dir *d = old[i];
        if (!d)
            continue;
        if (d == f->rootdir || !below(d, dir, len)) {
            *slot(f, d->path, d->len) = d;
            f->count++;
        } else {
            free_dir(d);
        }
    }
    free(old);
    if (len == 0) {
        struct proj__dir *r = f->rootdir;
        free_list(r->git);
        free_list(r->weft);
        free(r->broken);
        r->git = r->weft = NULL;
        r->broken = NULL;
        f->stale = load_dir(f, r, f->rootfd) < 0;
        if (f->stale)
            notice(f, "out of memory while re-reading ignore files: everything is hidden");
    }
}

bool proj_filter_is_policy_name(const char *name, size_t len)
{
    struct proj_fold k;
    if (proj_fold_init(&k, name, len) < 0) {
        proj_fold_close(&k);
        return true; /* cannot tell: treat as protected */
    }
    bool r = folded_is(&k, ".gitignore") || folded_is(&k, ".weftignore");
    proj_fold_close(&k);
    return r;
}

int proj_filter_root_fd(const proj_filter *f) { return f->rootfd; }
const char *proj_filter_root(const proj_filter *f) { return f->root; }
const char *proj_filter_git_top(const proj_filter *f) { return f->git.top; }
size_t proj_filter_notice_count(const proj_filter *f) { return f->nnotices; }
const char *proj_filter_notice(const proj_filter *f, size_t i)
{
    return i < f->nnotices ? f->notices[i] : NULL;
}
size_t proj_filter_notices_dropped(const proj_filter *f) { return f->dropped; }
size_t proj_filter_share_private_count(const proj_filter *f) { return f->share.n; }
const char *proj_filter_share_private(const proj_filter *f, size_t i)
{
    return i < f->share.n ? f->share.pat[i].written : NULL;
}
