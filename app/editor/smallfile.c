/* Reading a small file whole (see smallfile.h). The buffer starts at the size fstat gave
 * plus one byte, so a file that grew since shows as more to read, and grows (doubling) up
 * to max + 1 bytes: reading more than max is the refusal. */
#include "app/editor/smallfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mem.h"

int smallfile_read(const char *path, size_t max, char **buf, size_t *n)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct stat st;
    int err = 0;
    if (fstat(fd, &st) != 0)
        err = -errno;
    else if (!S_ISREG(st.st_mode))
        err = -EISDIR;
    else if ((uintmax_t)st.st_size > max)
        err = -EFBIG;
    size_t len = 0, cap = err ? 0 : (size_t)st.st_size + 1;
    char *b = err ? NULL : wf_xmalloc(cap + 1);
    while (!err) {
        if (len == cap) {
            if (cap > max) {
                err = -EFBIG;
                break;
            }
            cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            b = wf_xrealloc(b, cap + 1);
        }
        ssize_t r = read(fd, b + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            err = -errno;
        else if (r == 0)
            break;
        else
            len += (size_t)r;
    }
    close(fd);
    if (err) {
        free(b);
        return err;
    }
    b[len] = '\0';
    *buf = b;
    *n = len;
    return 0;
}
