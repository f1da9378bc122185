/* Guest paths to descriptors through the filter: see resolve.h.
 *
 * One loop, walk_parent(), takes a valid path to its parent directory: for each component
 * the filter's verdict comes first (a hidden name is never looked up on disk), then
 * fstatat() without following, the exact-name check, openat() without following, and a
 * comparison of the opened directory with what fstatat() saw. The last component is then
 * checked the same way by check_entry() and opened (proj_open) or examined for a change
 * (proj_target). */
#include "app/project/resolve.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "app/project/filter-internal.h"
#include "app/project/fold.h"

/* May the entry, of the kind its lstat shows, be what the caller wants? */
enum { WANT_FILE = 1, WANT_DIR = 2 };

static unsigned want_mask(enum proj_want w)
{
    return w == PROJ_WANT_FILE ? WANT_FILE : w == PROJ_WANT_DIR ? WANT_DIR : WANT_FILE | WANT_DIR;
}

/* Is the entry path[0..len) (last name at off) shared as kind? Errors count as hidden. */
static bool shared_as(proj_filter *f, struct proj__dir *node, const char *path, size_t len,
                      size_t off, enum proj_kind kind)
{
    struct proj_verdict v;
    return proj__filter_entry(f, node, path, len, off, kind, &v) == 0 && v.shared;
}

/* Checks the entry name (n bytes, NUL-terminated; path[off..len) in the path) of directory
 * cur, node `node`, against `mask`. Fills *st. Returns 0, -ENOENT, -EISDIR, -ENOTDIR or
 * -errno. */
static int check_entry(proj_filter *f, struct proj__dir *node, int cur, const char *path,
                       size_t len, size_t off, const char *name, unsigned mask, struct stat *st)
{
    /* The verdict before the disk: a name hidden as every kind asked is not looked up. */
    bool as_file = shared_as(f, node, path, len, off, PROJ_KIND_FILE);
    bool as_dir = shared_as(f, node, path, len, off, PROJ_KIND_DIR);
    if (!as_file && !as_dir)
        return -ENOENT;
    if (fstatat(cur, name, st, AT_SYMLINK_NOFOLLOW) < 0)
        return errno == ENOENT || errno == ENOTDIR || errno == ELOOP ? -ENOENT : -errno;
    bool is_dir = S_ISDIR(st->st_mode);
    if (!is_dir && !S_ISREG(st->st_mode))
        return -ENOENT; /* links, devices, FIFOs, sockets do not exist for guests */
    if (!(is_dir ? as_dir : as_file))
        return -ENOENT;
    int rc = proj_path_exact(cur, name, len - off, st);
    if (rc < 0)
        return rc;
    if (is_dir && !(mask & WANT_DIR))
        return -EISDIR;
    if (!is_dir && !(mask & WANT_FILE))
        return -ENOTDIR;
    return 0;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino
           && (a->st_mode & S_IFMT) == (b->st_mode & S_IFMT);
}

/* Opens the checked entry name of cur (flags: O_DIRECTORY or not) and makes sure it is the
 * entry that was checked (*st). */
static int open_checked(int cur, const char *name, int flags, const struct stat *st)
{
    int fd = openat(cur, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | flags);
    if (fd < 0)
        return errno == ENOENT || errno == ELOOP || errno == ENOTDIR ? -ENOENT : -errno;
    struct stat o;
    if (fstat(fd, &o) < 0 || !same_file(&o, st)) {
        close(fd);
        return -ENOENT; /* replaced since it was checked */
    }
    /* O_NONBLOCK only guarded the open; reads of a regular file do not use it. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

/* Walks path[0..len) (valid) to the directory holding its last component: *dirfd (owned),
 * its node, and the offset of the last name, which is copied into name. */
static int walk_parent(proj_filter *f, const char *path, size_t len, int *dirfd,
                       struct proj__dir **node, size_t *last, char name[PROJ_NAME_MAX + 1])
{
    int cur = openat(proj_filter_root_fd(f), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cur < 0)
        return -errno;
    struct proj__dir *d = proj__filter_root_dir(f);
    size_t start = 0;
    for (;;) {
        const char *slash = memchr(path + start, '/', len - start);
        size_t end = slash ? (size_t)(slash - path) : len;
        size_t n = end - start;
        memcpy(name, path + start, n);
        name[n] = '\0';
        if (!slash)
            break;
        struct stat st;
        int rc = check_entry(f, d, cur, path, end, start, name, WANT_DIR, &st);
        int next = rc < 0 ? rc : open_checked(cur, name, O_DIRECTORY, &st);
        if (next >= 0) {
            rc = proj__filter_enter(f, d, path, end, next, &d);
            if (rc < 0)
                close(next);
        }
        close(cur);
        if (next < 0 || rc < 0)
            return rc < 0 ? (rc == -ENOTDIR ? -ENOENT : rc) : next;
        cur = next;
        start = end + 1;
    }
    *dirfd = cur;
    *node = d;
    *last = start;
    return 0;
}

int proj_open(proj_filter *f, const char *path, size_t len, enum proj_want want, struct stat *st,
              enum proj_path_error *why)
{
    enum proj_path_error e = proj_path_check(path, len);
    if (why)
        *why = e;
    if (e != PROJ_PATH_OK)
        return -EINVAL;
    int dirfd;
    struct proj__dir *node;
    size_t last;
    char name[PROJ_NAME_MAX + 1];
    int rc = walk_parent(f, path, len, &dirfd, &node, &last, name);
    if (rc < 0)
        return rc;
    struct stat s;
    rc = check_entry(f, node, dirfd, path, len, last, name, want_mask(want), &s);
    if (rc == 0)
        rc = open_checked(dirfd, name, S_ISDIR(s.st_mode) ? O_DIRECTORY : 0, &s);
    close(dirfd);
    if (rc >= 0 && st)
        *st = s;
    return rc;
}

void proj_target_close(struct proj_target *t)
{
    if (t->dirfd >= 0)
        close(t->dirfd);
    t->dirfd = -1;
}

/* Does a shared sibling in directory dirfd (node, parent path path[0..off)) fold to the same
 * key as name? Copies its name into collides. 0 none, -EEXIST, -errno. */
static int collision(proj_filter *f, struct proj__dir *node, int dirfd, const char *path,
                     size_t off, const char *name, const char *except, char *collides,
                     size_t cap)
{
    struct proj_fold key;
    int rc = proj_fold_init(&key, name, strlen(name));
    DIR *dir = rc < 0 ? NULL : proj_path_opendir(dirfd);
    if (rc == 0 && !dir)
        rc = -errno;
    char full[PROJ_PATH_MAX + 1];
    struct dirent *de;
    while (rc == 0 && (errno = 0, de = readdir(dir)) != NULL) {
        const char *s = de->d_name;
        size_t n = strlen(s);
        if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0 || strcmp(s, name) == 0
            || (except && strcmp(s, except) == 0) || proj_name_check(s, n) != PROJ_PATH_OK
            || off + n > PROJ_PATH_MAX)
            continue;
        struct proj_fold other;
        int r = proj_fold_init(&other, s, n);
        bool same = r == 0 && other.len == key.len && memcmp(other.s, key.s, key.len) == 0;
        proj_fold_close(&other);
        if (r < 0) {
            rc = r;
            break;
        }
        struct stat st;
        if (!same || fstatat(dirfd, s, &st, AT_SYMLINK_NOFOLLOW) < 0
            || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
            continue;
        memcpy(full, path, off);
        memcpy(full + off, s, n);
        if (!shared_as(f, node, full, off + n, off,
                       S_ISDIR(st.st_mode) ? PROJ_KIND_DIR : PROJ_KIND_FILE))
            continue; /* hidden: not told */
        if (collides && cap) {
            size_t c = n < cap - 1 ? n : cap - 1;
            memcpy(collides, s, c);
            collides[c] = '\0';
        }
        rc = -EEXIST;
    }
    if (rc == 0 && errno != 0)
        rc = -errno;
    if (dir)
        closedir(dir);
    proj_fold_close(&key);
    return rc;
}

int proj_target(proj_filter *f, const char *path, size_t len, enum proj_kind kind,
                unsigned flags, const char *except, struct proj_target *t, char *collides,
                size_t cap, enum proj_path_error *why)
{
    memset(t, 0, sizeof *t);
    t->dirfd = -1;
    enum proj_path_error e = proj_path_check(path, len);
    if (why)
        *why = e;
    if (e != PROJ_PATH_OK)
        return -EINVAL;
    struct proj__dir *node;
    size_t last;
    int rc = walk_parent(f, path, len, &t->dirfd, &node, &last, t->name);
    if (rc < 0)
        return rc;
    size_t n = len - last;
    if (!(flags & PROJ_TARGET_ALLOW_POLICY) && proj_filter_is_policy_name(t->name, n))
        rc = -EPERM;
    else if (flags & PROJ_TARGET_EXISTING)
        rc = check_entry(f, node, t->dirfd, path, len, last, t->name,
                         kind == PROJ_KIND_DIR ? WANT_DIR : WANT_FILE, &t->st);
    else if (!shared_as(f, node, path, len, last, PROJ_KIND_FILE)
             || !shared_as(f, node, path, len, last, PROJ_KIND_DIR))
        rc = -EPERM; /* the name would be hidden (as either kind: it may be there, hidden) */
    else if (fstatat(t->dirfd, t->name, &t->st, AT_SYMLINK_NOFOLLOW) == 0)
        rc = -EEXIST;
    else if (errno != ENOENT)
        rc = -errno;
    else
        rc = collision(f, node, t->dirfd, path, last, t->name, except, collides, cap);
    if (rc == 0 && (flags & PROJ_TARGET_EXISTING))
        t->exists = true;
    if (rc < 0)
        proj_target_close(t);
    return rc;
}
