/* Files on disk (see file.h).
 *
 * A save never writes into the existing file: it writes a temporary file ".NAME.weft-XXXXXX"
 * beside the target, fsyncs it, and renames it over the target, so a crash or a full disk
 * leaves either the old file or the new one, never a mix (the classic write-rename
 * protocol; see also the fsync-the-directory advice in rename(2) and ext4's
 * auto_da_alloc notes). The stamp (device, inode, size, mtime) taken at load and at save
 * tells whether somebody else touched the file in between. */
#include "app/editor/file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TEMP_SUFFIX ".weft-" /* then mkstemp's six characters */

static void stamp_of(const struct stat *sb, struct file_stamp *st)
{
    st->exists = true;
    st->dev = sb->st_dev;
    st->ino = sb->st_ino;
    st->size = sb->st_size;
    st->mtime = sb->st_mtim;
}

void file_stamp_now(const char *path, struct file_stamp *st)
{
    struct stat sb;
    memset(st, 0, sizeof *st);
    if (stat(path, &sb) == 0)
        stamp_of(&sb, st);
}

/* Reads fd to its end into *buf (grown as needed); *len is the bytes read. */
static int read_all(int fd, char **buf, size_t *cap, size_t *len)
{
    for (;;) {
        if (*len == *cap) {
            if (*cap >= FILE_MAX_SIZE)
                return -EFBIG;
            size_t ncap = *cap < 4096 ? 4096 : *cap * 2;
            char *nb = realloc(*buf, ncap);
            if (!nb)
                return -ENOMEM;
            *buf = nb;
            *cap = ncap;
        }
        ssize_t r = read(fd, *buf + *len, *cap - *len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        if (r == 0)
            return 0;
        *len += (size_t)r;
    }
}

void file_open_error(const char *path, int err, size_t size, char *out, size_t n)
{
    switch (-err) {
    case EACCES: case EPERM:
        snprintf(out, n, "cannot open %s: permission denied.\n"
                 "Check its permissions (ls -l), or run weft as a user who may read it.", path);
        break;
    case EISDIR:
        snprintf(out, n, "%s is a directory.\nGive the name of a file.", path);
        break;
    case EINVAL:
        snprintf(out, n, "%s is not a regular file (a device, FIFO or socket).\n"
                 "weft opens regular files only.", path);
        break;
    case EFBIG: case -WF_ETOOBIG:
        snprintf(out, n, "%s is too large to edit (weft's limit is 4 GiB and 4 billion "
                 "characters).\nSplit it into smaller files.", path);
        break;
    case ENOMEM: case -WF_ENOMEM:
        snprintf(out, n, "not enough memory to load %s (%zu bytes).\n"
                 "Close other programs, or edit a smaller file.", path, size);
        break;
    default:
        snprintf(out, n, "cannot open %s: %s.\nCheck the path and try again.", path,
                 err <= WF_ERR_MAX && err >= WF_ERR_MIN ? wf_strerror(err) : strerror(-err));
    }
}

int file_read(const char *path, char **buf, size_t *len, struct file_stamp *st)
{
    memset(st, 0, sizeof *st);
    *buf = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO must not hang; it is refused below anyway. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct stat sb;
    int err = 0;
    if (fstat(fd, &sb) != 0)
        err = -errno;
    else if (S_ISDIR(sb.st_mode))
        err = -EISDIR;
    else if (!S_ISREG(sb.st_mode))
        err = -EINVAL;
    else if ((uint64_t)sb.st_size > FILE_MAX_SIZE)
        err = -EFBIG;
    if (err) {
        close(fd);
        return err;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    /* One allocation of the right size (plus one byte, so that reading up to the end
     * needs no second allocation to see EOF). */
    size_t cap = (size_t)sb.st_size + 1;
    char *b = malloc(cap);
    if (!b) {
        close(fd);
        return -ENOMEM;
    }
    err = read_all(fd, &b, &cap, len);
    close(fd);
    if (err) {
        free(b);
        *len = 0;
        return err;
    }
    stamp_of(&sb, st);
    st->size = (off_t)*len;
    *buf = b;
    return 0;
}

/* Joins the directory part of base (up to its last '/') with rel. */
static char *join_dir(const char *base, const char *rel)
{
    const char *slash = strrchr(base, '/');
    size_t dlen = slash ? (size_t)(slash - base) + 1 : 0;
    char *out = malloc(dlen + strlen(rel) + 1);
    if (!out)
        return NULL;
    memcpy(out, base, dlen);
    strcpy(out + dlen, rel);
    return out;
}

/* Follows symbolic links from path to the file they finally name (which may not exist
 * yet). Returns a new string (free with free()), or NULL with errno set (ELOOP, ENOMEM). */
static char *file_resolve(const char *path)
{
    char *cur = strdup(path);
    for (int hops = 0; cur && hops < 40; hops++) {
        struct stat sb;
        if (lstat(cur, &sb) != 0 || !S_ISLNK(sb.st_mode))
            return cur;
        size_t size = sb.st_size > 0 ? (size_t)sb.st_size + 1 : 4096;
        char *target = malloc(size);
        ssize_t n = target ? readlink(cur, target, size - 1) : -1;
        if (n < 0) {
            free(target);
            free(cur);
            return NULL;
        }
        target[n] = '\0';
        char *next = target[0] == '/' ? strdup(target) : join_dir(cur, target);
        free(target);
        free(cur);
        cur = next;
    }
    if (cur) {
        free(cur);
        errno = ELOOP;
    } else {
        errno = ENOMEM;
    }
    return NULL;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -errno;
        if (w == 0)
            return -EIO;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Gives the temporary file the old file's owner and mode, or a new file's default mode. */
static int copy_mode(int fd, const struct stat *old, bool have_old)
{
    mode_t mode;
    if (have_old) {
        /* Best effort: only root (or the owner, for the group) may do this. */
        if (old->st_uid != geteuid() || old->st_gid != getegid())
            if (fchown(fd, old->st_uid, old->st_gid) != 0 && fchown(fd, (uid_t)-1, old->st_gid))
                (void)0;
        mode = old->st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    return fchmod(fd, mode) == 0 ? 0 : -errno;
}

/* Best effort: make the rename itself durable. */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

/* Writes everything to fd, then fsyncs and closes it (fd is closed in all cases). */
static int write_and_close(int fd, file_chunk_fn next, void *ctx, enum file_step *step)
{
    const char *p;
    size_t n;
    int err = 0;
    *step = FILE_STEP_WRITE;
    while (!err && next(ctx, &p, &n))
        err = write_all(fd, p, n);
    if (!err && fsync(fd) != 0) {
        *step = FILE_STEP_SYNC;
        err = -errno;
    }
    if (close(fd) != 0 && !err) {
        *step = FILE_STEP_WRITE;
        err = -errno;
    }
    return err;
}

static int save_to(const char *target, file_chunk_fn next, void *ctx, struct file_stamp *st,
                   enum file_step *step)
{
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    size_t dlen = slash ? (size_t)(slash - target) : 0;
    char *dir = slash ? strndup(target, dlen ? dlen : 1) : strdup(".");
    size_t tlen = strlen(target) + 16;
    char *tmp = malloc(tlen);
    if (!dir || !tmp) {
        free(dir);
        free(tmp);
        *step = FILE_STEP_CREATE;
        return -ENOMEM;
    }
    snprintf(tmp, tlen, "%.*s.%s" TEMP_SUFFIX "XXXXXX", (int)(slash ? dlen + 1 : 0), target,
             base);

    struct stat old;
    bool have_old = stat(target, &old) == 0;
    *step = FILE_STEP_CREATE;
    int err = 0;
    int fd = mkstemp(tmp);
    if (fd < 0)
        err = -errno;
    else if ((err = copy_mode(fd, &old, have_old)) != 0)
        close(fd);
    else
        err = write_and_close(fd, next, ctx, step);
    if (!err && rename(tmp, target) != 0) {
        *step = FILE_STEP_RENAME;
        err = -errno;
    }
    if (err && fd >= 0)
        unlink(tmp);
    if (!err) {
        sync_dir(dir);
        struct stat sb;
        if (stat(target, &sb) == 0)
            stamp_of(&sb, st);
    }
    free(dir);
    free(tmp);
    return err;
}

int file_write_atomic(const char *path, file_chunk_fn next, void *ctx, struct file_stamp *st,
                      enum file_step *step)
{
    enum file_step dummy;
    if (!step)
        step = &dummy;
    *step = FILE_STEP_RESOLVE;
    char *target = file_resolve(path);
    if (!target)
        return -errno;
    int err = save_to(target, next, ctx, st, step);
    free(target);
    return err;
}

/* Whether name is ".BASE.weft-" and six characters of mkstemp's alphabet. */
static bool is_temp_of(const char *name, const char *base)
{
    size_t bl = strlen(base), sl = sizeof TEMP_SUFFIX - 1;
    if (name[0] != '.' || strncmp(name + 1, base, bl) != 0
        || strncmp(name + 1 + bl, TEMP_SUFFIX, sl) != 0)
        return false;
    const char *x = name + 1 + bl + sl;
    size_t n = strspn(x, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    return n == 6 && x[n] == '\0';
}

char *file_save_leftover(const char *path)
{
    char *target = file_resolve(path);
    if (!target)
        return NULL;
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    int dlen = slash ? (int)(slash - target) + 1 : 0;
    char *dir = slash ? strndup(target, dlen > 1 ? (size_t)dlen - 1 : 1) : strdup(".");
    DIR *d = dir ? opendir(dir) : NULL;
    char *found = NULL;
    struct dirent *e;
    while (d && !found && (e = readdir(d)) != NULL) {
        if (!is_temp_of(e->d_name, base))
            continue;
        size_t n = (size_t)dlen + strlen(e->d_name) + 1;
        if ((found = malloc(n)) != NULL)
            snprintf(found, n, "%.*s%s", dlen, target, e->d_name);
    }
    if (d)
        closedir(d);
    free(dir);
    free(target);
    return found;
}

bool file_changed(const char *path, const struct file_stamp *st)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return st->exists;
    if (!st->exists)
        return true;
    return sb.st_dev != st->dev || sb.st_ino != st->ino || sb.st_size != st->size ||
           sb.st_mtim.tv_sec != st->mtime.tv_sec || sb.st_mtim.tv_nsec != st->mtime.tv_nsec;
}

const char *file_step_name(enum file_step step)
{
    switch (step) {
    case FILE_STEP_RESOLVE: return "follow the symbolic link";
    case FILE_STEP_CREATE: return "create a temporary file";
    case FILE_STEP_WRITE: return "write the temporary file";
    case FILE_STEP_SYNC: return "flush the temporary file to disk";
    case FILE_STEP_RENAME: return "replace the file";
    }
    return "save";
}
