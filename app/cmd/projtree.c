/* Tree requests of a project (see projhost.h's projhost_tree()): a guest's create, mkdir,
 * rename and delete, and the host's own, checked, done on disk and told to everyone here.
 *
 * The choke point. Every name goes through proj_target() (app/project/resolve.h): the path
 * is resolved from the root one component at a time with no link followed, the filter
 * decides the parent and the new name before the disk is touched, and the change is made
 * with *at() calls on the parent's descriptor (O_EXCL, RENAME_NOREPLACE), so a race on the
 * host cannot redirect it. A name the filter would hide (.env, what .gitignore ignores) or
 * that decides what is shared (.gitignore, .weftignore) is refused for what it is, never for
 * what is on disk; a path that is not shared gets the same answer as one that does not exist.
 *
 * Conflicts keep both: a create or rename onto a name that is taken (or that collides with a
 * shared sibling but for case or normalisation) lands at "name~who" instead, and the answer
 * says so. Directories are created and renamed by anyone with read-write rights, but deleted
 * only by the host: a directory may hold what is not shared, and a guest's delete must
 * neither touch it nor tell that it is there. A deleted file stays open for whoever had it
 * (its document is kept; it is no longer the session's file). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* renameat2() */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/cmd/projhost-internal.h"
#include "app/cmd/share.h"
#include "app/project/resolve.h"
#include "core/mem.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

/* The answer's sentence. */
static void say_to(wn_tree_done *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say_to(wn_tree_done *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->text, sizeof d->text, fmt, ap);
    va_end(ap);
}

/* Renames without replacing what is at the destination; a file system without
 * RENAME_NOREPLACE gets a check, then renameat() (a race only the host's own processes can
 * run: the destination was checked absent a moment before). Returns 0 or -errno. */
static int rename_noreplace(int fromfd, const char *from, int tofd, const char *to)
{
    if (renameat2(fromfd, from, tofd, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -errno;
    struct stat st;
    if (fstatat(tofd, to, &st, AT_SYMLINK_NOFOLLOW) == 0)
        return -EEXIST;
    return renameat(fromfd, from, tofd, to) == 0 ? 0 : -errno;
}

/* A name for "path~who": the participant's display name when it can be part of a file name,
 * else "guest". */
static const char *suffix_of(projhost *ph, uint64_t agent)
{
    const char *who = agent == ph->agent ? share_name(ph->hs->o.name, "host")
                                          : projhost__who(ph, agent);
    if (!who || !*who || strpbrk(who, "/~\\") || strlen(who) > 32)
        return "guest";
    for (const char *p = who; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return "guest";
    return who;
}

/* What an error of proj_target() or the disk means for a request, into text. */
static void explain(int e, const char *verb, const char *path, char *text, size_t size)
{
    if (e == -ENOENT || e == -ENOTDIR)
        snprintf(text, size, "cannot %s %s: it is not shared in this session", verb, path);
    else if (e == -EPERM)
        snprintf(text, size, "cannot %s %s: the name would not be shared (the host's ignore "
                 "rules or private-file rules hide it, or it decides what is shared)", verb,
                 path);
    else if (e == -EINVAL)
        snprintf(text, size, "cannot %s %s: not a valid path in a project", verb, path);
    else if (e == -EISDIR)
        snprintf(text, size, "cannot %s %s: it is a directory", verb, path);
    else
        snprintf(text, size, "cannot %s %s: %s", verb, path, strerror(-e));
}

/* The new name's target: path, or "path~who" when path is taken (*moved then true). except
 * as proj_target()'s. Returns 0 or an error, t closed. */
static int new_target(projhost *ph, uint64_t agent, const char *path, enum proj_kind kind,
                      const char *except, bool host, struct proj_target *t,
                      char out[PROJ_PATH_MAX + 1], bool *moved)
{
    unsigned flags = PROJ_TARGET_NEW | (host ? PROJ_TARGET_ALLOW_POLICY : 0);
    size_t len = strlen(path);
    *moved = false;
    int e = proj_target(ph->filter, path, len, kind, flags, except, t, NULL, 0, NULL);
    if (e != -EEXIST) {
        snprintf(out, PROJ_PATH_MAX + 1, "%s", path);
        return e;
    }
    const char *who = suffix_of(ph, agent);
    int n = manifest_conflict_name(ph->m, path, len, who, strlen(who), out, PROJ_PATH_MAX + 1);
    if (n < 0)
        return -EEXIST;
    *moved = true;
    return proj_target(ph->filter, out, (size_t)n, kind, flags, except, t, NULL, 0, NULL);
}

/* Adds what was just made at t (path) to the manifest and the batch. Returns its id, or 0. */
static uint64_t listed(projhost *ph, const struct proj_target *t, const char *path,
                       enum proj_kind kind, struct projhost_batch *b)
{
    struct stat st;
    if (fstatat(t->dirfd, t->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        memset(&st, 0, sizeof st);
    struct proj_entry pe = {.path = path, .len = strlen(path), .kind = kind,
                            .mode = st.st_mode, .size = st.st_size, .mtime = st.st_mtim,
                            .dev = st.st_dev, .ino = st.st_ino};
    uint64_t id = 0;
    int e = projhost__add_entry(ph, &pe, &id);
    if (e == -EEXIST) /* the walk found it first */
        return 0;
    struct manifest_entry me;
    if (e || !manifest_get(ph->m, id, &me))
        return 0;
    projhost__batch_add(b, WN_CHANGE_ADD, &me, NULL, 0);
    return id;
}

/* The directories path's last component goes in, made where missing (as mkdir -p does; a
 * directory that is there but not listed yet counts as there). Returns 0, or an error of the
 * first that cannot be, with that directory's path in bad. */
static int make_parents(projhost *ph, const char *path, bool host, struct projhost_batch *b,
                        char bad[PROJ_PATH_MAX + 1])
{
    unsigned flags = PROJ_TARGET_NEW | (host ? PROJ_TARGET_ALLOW_POLICY : 0);
    for (const char *slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
        size_t n = (size_t)(slash - path);
        snprintf(bad, PROJ_PATH_MAX + 1, "%.*s", (int)n, path);
        struct manifest_entry me;
        if (manifest_find(ph->m, path, n, &me) && me.attr.kind == MANIFEST_DIR)
            continue;
        struct proj_target t;
        int e = proj_target(ph->filter, path, n, PROJ_KIND_DIR, flags, NULL, &t, NULL, 0, NULL);
        if (e == -EEXIST) { /* a shared directory the walk has not listed yet, or a file */
            struct stat st;
            int fd = proj_open(ph->filter, path, n, PROJ_WANT_DIR, &st, NULL);
            if (fd < 0)
                return fd == -ENOTDIR ? -ENOTDIR : -ENOENT;
            close(fd);
            continue;
        }
        if (e)
            return e;
        e = mkdirat(t.dirfd, t.name, 0777) == 0 ? 0 : -errno;
        if (!e)
            listed(ph, &t, bad, PROJ_KIND_DIR, b);
        proj_target_close(&t);
        if (e)
            return e;
    }
    return 0;
}

static bool do_create(projhost *ph, uint64_t agent, const char *path, bool dir, bool host,
                      wn_tree_done *d, struct projhost_batch *b)
{
    char parent[PROJ_PATH_MAX + 1];
    int pe = make_parents(ph, path, host, b, parent);
    if (pe) {
        explain(pe, "create the directory", parent, d->text, sizeof d->text);
        return false;
    }
    enum proj_kind kind = dir ? PROJ_KIND_DIR : PROJ_KIND_FILE;
    const char *verb = dir ? "create the directory" : "create";
    struct proj_target t;
    char where[PROJ_PATH_MAX + 1];
    bool moved;
    int e = new_target(ph, agent, path, kind, NULL, host, &t, where, &moved);
    if (!e) {
        if (dir) {
            e = mkdirat(t.dirfd, t.name, 0777) == 0 ? 0 : -errno;
        } else {
            int fd = openat(t.dirfd, t.name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                            O_CLOEXEC, 0666);
            e = fd >= 0 ? 0 : -errno;
            if (fd >= 0)
                close(fd);
        }
        if (!e)
            d->file = listed(ph, &t, where, kind, b);
        proj_target_close(&t);
    }
    if (e) {
        explain(e, verb, path, d->text, sizeof d->text);
        return false;
    }
    if (moved)
        say_to(d, "created %s (%s was taken)", where, path);
    else
        say_to(d, "created %s%s", where, dir ? "/" : "");
    return true;
}

static bool do_rename(projhost *ph, uint64_t agent, uint64_t file, const char *to, bool host,
                      wn_tree_done *d, struct projhost_batch *b)
{
    struct named nm;
    d->file = file;
    if (!projhost__get_named(ph, file, &nm)) {
        say_to(d, "cannot rename: that file is not in the session");
        return false;
    }
    enum proj_kind kind = nm.e.attr.kind == MANIFEST_DIR ? PROJ_KIND_DIR : PROJ_KIND_FILE;
    unsigned flags = PROJ_TARGET_EXISTING | (host ? PROJ_TARGET_ALLOW_POLICY : 0);
    struct proj_target from, dest;
    int e = proj_target(ph->filter, nm.path, nm.e.len, kind, flags, NULL, &from, NULL, 0, NULL);
    if (e == -EPERM) {
        say_to(d, "cannot rename %s: guests may not change the files that decide what is "
               "shared", nm.path);
        return false;
    }
    if (e) {
        explain(e, "rename", nm.path, d->text, sizeof d->text);
        return false;
    }
    char where[PROJ_PATH_MAX + 1];
    bool moved;
    e = make_parents(ph, to, host, b, where);
    if (e) {
        proj_target_close(&from);
        explain(e, "create the directory", where, d->text, sizeof d->text);
        return false;
    }
    /* "readme" -> "README" in one directory is a rename, not a collision with itself */
    e = new_target(ph, agent, to, kind, from.name, host, &dest, where, &moved);
    if (!e) {
        e = rename_noreplace(from.dirfd, from.name, dest.dirfd, dest.name);
        proj_target_close(&dest);
    }
    proj_target_close(&from);
    if (e) {
        char what[2 * PROJ_PATH_MAX + 8];
        snprintf(what, sizeof what, "%s to %s", nm.path, to);
        explain(e, "rename", what, d->text, sizeof d->text);
        return false;
    }
    size_t wlen = strlen(where);
    struct manifest_entry me;
    if (manifest_rename(ph->m, file, where, wlen) != 0 || !manifest_get(ph->m, file, &me)) {
        say_to(d, "renamed %s to %s on disk, but the session lost "
                 "track of it", nm.path, where);
        return false;
    }
    projhost__batch_add(b, WN_CHANGE_RENAME, &me, nm.path, nm.e.len);
    if (kind == PROJ_KIND_DIR) {
        projhost__move_children(ph, nm.path, nm.e.len, where, wlen, b);
        projhost__watch_moved(ph, nm.path, nm.e.len, where, wlen);
    }
    if (moved)
        say_to(d, "renamed %s to %s (%s was taken)", nm.path, where, to);
    else
        say_to(d, "renamed %s to %s", nm.path, where);
    return true;
}

static bool do_delete(projhost *ph, uint64_t file, bool host, wn_tree_done *d, struct projhost_batch *b)
{
    struct named nm;
    d->file = file;
    if (!projhost__get_named(ph, file, &nm)) {
        say_to(d, "cannot delete: that file is not in the session");
        return false;
    }
    bool dir = nm.e.attr.kind == MANIFEST_DIR;
    if (dir && !host) {
        say_to(d, "cannot delete %s: directories are deleted by the "
                 "host (delete its files one by one)", nm.path);
        return false;
    }
    unsigned flags = PROJ_TARGET_EXISTING | (host ? PROJ_TARGET_ALLOW_POLICY : 0);
    struct proj_target t;
    int e = proj_target(ph->filter, nm.path, nm.e.len, dir ? PROJ_KIND_DIR : PROJ_KIND_FILE,
                        flags, NULL, &t, NULL, 0, NULL);
    if (!e) {
        e = unlinkat(t.dirfd, t.name, dir ? AT_REMOVEDIR : 0) == 0 ? 0 : -errno;
        proj_target_close(&t);
    }
    if (e == -ENOTEMPTY || e == -EEXIST) {
        say_to(d, "cannot delete %s: the directory is not empty", nm.path);
        return false;
    }
    if (e) {
        explain(e, "delete", nm.path, d->text, sizeof d->text);
        return false;
    }
    if (manifest_remove(ph->m, file) == 0) { /* it can only succeed: found just now */
        projhost__batch_add(b, WN_CHANGE_REMOVE, &nm.e, NULL, 0); /* nm holds its own copy */
        if (dir)
            projhost__watch_moved(ph, nm.path, nm.e.len, NULL, 0);
    }
    /* The document stays for whoever has it open (no longer the session's file): the
     * projhost frees it at the end. */
    say_to(d, "deleted %s", nm.path);
    return true;
}

bool projhost_tree(projhost *ph, uint64_t agent, const wn_tree_request *req, wn_tree_done *d)
{
    bool host = agent == ph->agent;
    struct projhost_batch b = {0};
    bool ok;
    d->request = req->request;
    d->file = 0;
    d->text[0] = '\0';
    switch (req->op) {
    case WN_TREE_CREATE: ok = do_create(ph, agent, req->path, false, host, d, &b); break;
    case WN_TREE_MKDIR: ok = do_create(ph, agent, req->path, true, host, d, &b); break;
    case WN_TREE_RENAME: ok = do_rename(ph, agent, req->file, req->path2, host, d, &b); break;
    case WN_TREE_DELETE: ok = do_delete(ph, req->file, host, d, &b); break;
    default:
        say_to(d, "unknown request");
        ok = false;
    }
    d->ok = ok;
    projhost__say(ph, "%s %s%s", host ? "the host" : projhost__who(ph, agent),
                  ok ? "" : "asked: ", d->text);
    projhost__batch_send(ph, &b);
    return ok;
}

static void on_tree(projhost *ph, uint64_t guest, const wn_tree_request *req)
{
    wn_tree_done d;
    projhost_tree(ph, guest, req, &d);
    wn_host_tree_done(ph->hs->host, guest, &d);
}

void projtree_install(projhost *ph)
{
    ph->hooks.tree = on_tree;
}
