/* Reading a small text file whole (a syntax file, the settings file), with a size limit
 * checked before and while reading, so a huge or growing file is refused, not loaded. */
#ifndef WEFT_APP_EDITOR_SMALLFILE_H
#define WEFT_APP_EDITOR_SMALLFILE_H

#include <stddef.h>

#include "core/error.h" /* WF_MUST_CHECK */

/* Reads the regular file at path, of at most max bytes, into a new buffer (free with
 * free(); NUL-terminated, the NUL not counted in *n). Returns 0, or -errno: -ENOENT and
 * the others of open() and read(), -EISDIR (not a regular file), -EFBIG (more than max
 * bytes). */
WF_MUST_CHECK int smallfile_read(const char *path, size_t max, char **buf, size_t *n);

#endif
