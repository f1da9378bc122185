/* Saving a shared project's file atomically where the filter resolved it: in the directory
 * proj_target() opened, by name, never by a path a guest gave (app/project/resolve.h).
 *
 * The bytes go to a temporary ".NAME.weft-XXXXXX" created with O_EXCL | O_NOFOLLOW beside
 * the target, are fsync'ed, get the old file's permission bits, and are renamed over NAME
 * with renameat(); then the directory is fsync'ed. Every call is relative to dirfd, so a
 * directory swapped for a link after the resolve cannot move the save elsewhere. */
#ifndef WEFT_APP_CMD_PROJSAVE_H
#define WEFT_APP_CMD_PROJSAVE_H

#include <sys/types.h>

#include "app/editor/file.h" /* file_chunk_fn, enum file_step */

/* Writes the chunks to name in the open directory dirfd, with permission bits mode (07777
 * of it). Returns 0, or -errno with *step (may be NULL) saying which step failed; the old
 * file is then untouched and no temporary file is left behind. */
WF_MUST_CHECK int projsave_write(int dirfd, const char *name, mode_t mode, file_chunk_fn next,
                                 void *ctx, enum file_step *step);

#endif
