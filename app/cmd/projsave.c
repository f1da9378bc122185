/* Atomic saves relative to a resolved directory (see projsave.h). The temporary name ends
 * in 24 random bits: O_EXCL makes a clash a retry, not a mistake, and TRIES clashes in a
 * row end the save. */
#include "app/cmd/projsave.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/editor/agent.h"

#define TRIES 16

/* Creates the temporary file beside name; its name goes to tmp. Returns the descriptor or
 * -errno. */
static int create_temp(int dirfd, const char *name, char *tmp, size_t size)
{
    for (int i = 0; i < TRIES; i++) {
        int n = snprintf(tmp, size, ".%s.weft-%06llx", name,
                         (unsigned long long)(agent_random() & 0xffffff));
        if (n < 0 || (size_t)n >= size)
            return -ENAMETOOLONG;
        int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0 || errno != EEXIST)
            return fd >= 0 ? fd : -errno;
    }
    return -EEXIST;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -errno;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Fills the open temporary file: the chunks, the mode, fsync. Returns 0 or -errno. */
static int fill(int fd, mode_t mode, file_chunk_fn next, void *ctx, enum file_step *step)
{
    const char *p;
    size_t n;
    *step = FILE_STEP_WRITE;
    while (next(ctx, &p, &n)) {
        int e = write_all(fd, p, n);
        if (e)
            return e;
    }
    if (fchmod(fd, mode & 07777) != 0)
        return -errno;
    *step = FILE_STEP_SYNC;
    return fsync(fd) != 0 ? -errno : 0;
}

int projsave_write(int dirfd, const char *name, mode_t mode, file_chunk_fn next, void *ctx,
                   enum file_step *step)
{
    enum file_step dummy;
    if (!step)
        step = &dummy;
    *step = FILE_STEP_CREATE;
    char tmp[300];
    int fd = create_temp(dirfd, name, tmp, sizeof tmp);
    if (fd < 0)
        return fd;
    int e = fill(fd, mode, next, ctx, step);
    if (close(fd) != 0 && !e)
        e = -errno;
    if (!e) {
        *step = FILE_STEP_RENAME;
        if (renameat(dirfd, tmp, dirfd, name) != 0)
            e = -errno;
    }
    if (e) {
        unlinkat(dirfd, tmp, 0);
        return e;
    }
    /* The rename itself reaches the disk with the directory. */
    (void)fsync(dirfd);
    return 0;
}
