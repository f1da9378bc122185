/* Text or binary: what a file's first bytes say about how guests may have it.
 *
 * A file is binary when its first PROJ_SNIFF_BYTES hold a NUL byte (git's own test,
 * buffer_is_binary) or a byte sequence that is not UTF-8 (RFC 3629). Binary files are listed
 * and read byte-exact but are read-only for guests: a text editor must not offer to edit
 * what it cannot show. A multibyte sequence cut by the end of the window is not counted as
 * invalid unless the window is the whole file. An empty file is text. */
#ifndef WEFT_APP_PROJECT_SNIFF_H
#define WEFT_APP_PROJECT_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "app/project/common.h"

#define PROJ_SNIFF_BYTES 8192

enum proj_content {
    PROJ_CONTENT_TEXT,
    PROJ_CONTENT_BINARY_NUL,  /* binary: a NUL byte */
    PROJ_CONTENT_BINARY_UTF8, /* binary: not UTF-8 */
};

/* Judges buf[0..n) (the first n bytes of a file; only the first PROJ_SNIFF_BYTES are
 * looked at); whole says whether they are the whole file. */
enum proj_content proj_sniff(const void *buf, size_t n, bool whole);

/* Reads the first PROJ_SNIFF_BYTES of the open regular file fd with pread() (the offset is
 * not moved) and judges them into *out. Returns 0 or -errno from pread. */
PROJ_MUST_CHECK int proj_sniff_fd(int fd, enum proj_content *out);

/* Whether a file's name alone says it is text for listing: a source or text extension
 * (".c", ".h", ".py", ".md", ".json", ...: the files that make up most of a source tree).
 * Listing a tree then reads none of those files (a large tree's walk is otherwise mostly
 * opening and reading each file); opening one for editing still reads and judges its bytes,
 * so a binary file with such a name is refused then. path[0..len) is the path or the name. */
bool proj_sniff_name_is_text(const char *path, size_t len);

#endif
