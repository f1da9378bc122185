/* Text or binary: see sniff.h. One pass over the window: a NUL decides at once; UTF-8 is
 * checked by the same strict decoder as guests' paths (utf8.h). */
#include "app/project/sniff.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "app/project/utf8.h"

enum proj_content proj_sniff(const void *buf, size_t n, bool whole)
{
    const unsigned char *s = buf;
    if (n > PROJ_SNIFF_BYTES) {
        n = PROJ_SNIFF_BYTES;
        whole = false;
    }
    if (memchr(s, '\0', n))
        return PROJ_CONTENT_BINARY_NUL;
    for (size_t i = 0; i < n;) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = proj_utf8_seq(s + i, n - i, &cp);
        if (l == PROJ_UTF8_CUT)
            return whole ? PROJ_CONTENT_BINARY_UTF8 : PROJ_CONTENT_TEXT;
        if (l == 0)
            return PROJ_CONTENT_BINARY_UTF8;
        i += l;
    }
    return PROJ_CONTENT_TEXT;
}

int proj_sniff_fd(int fd, enum proj_content *out)
{
    unsigned char buf[PROJ_SNIFF_BYTES + 1]; /* one more byte: is the window the whole file? */
    size_t got = 0;
    while (got < sizeof buf) {
        ssize_t r = pread(fd, buf + got, sizeof buf - got, (off_t)got);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    *out = proj_sniff(buf, got > PROJ_SNIFF_BYTES ? PROJ_SNIFF_BYTES : got,
                      got <= PROJ_SNIFF_BYTES);
    return 0;
}
