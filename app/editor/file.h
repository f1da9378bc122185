/* Files on disk: loading whole, saving atomically, noticing changes made by others.
 *
 * Nothing here knows the document: a load returns a malloc'd buffer (which the caller hands
 * to wf_doc_load), and a save pulls the bytes from a callback (the caller iterates the
 * document with wf_iter), so the bytes written are exactly the document's, never
 * re-encoded. Errors are negative errno values plus the step that failed; file_open_error()
 * and app/editor/editor.c turn them into messages for people. */
#ifndef WEFT_APP_EDITOR_FILE_H
#define WEFT_APP_EDITOR_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "core/error.h" /* WF_MUST_CHECK, the WF_E* codes file_open_error() describes */

/* What a file looked like when we last read or wrote it. */
struct file_stamp {
    bool exists;           /* false: there was no file */
    dev_t dev;             /* device */
    ino_t ino;             /* inode: changes when someone replaces the file */
    off_t size;            /* bytes */
    struct timespec mtime; /* modification time */
};

/* Largest file file_read() accepts, in bytes. */
#define FILE_MAX_SIZE ((size_t)4 << 30)

/* Reads the whole regular file at path into a new buffer (free with free()); *len receives
 * its size, *st its stamp. Returns 0, or -errno: -ENOENT (no such file: *st->exists is
 * false, the caller starts empty), -EISDIR / -EINVAL (not a regular file), -EFBIG (over
 * FILE_MAX_SIZE), -ENOMEM, or what open/read reported. */
WF_MUST_CHECK int file_read(const char *path, char **buf, size_t *len, struct file_stamp *st);
/* The message for people when the file at path cannot be opened for editing: err is
 * file_read()'s error in its terms (-EINVAL is "not a regular file", not "invalid
 * argument") or wf_doc_load()'s (a WF_E* code); size is the file's size in bytes when known.
 * Two lines in out (cut to n): what went wrong, then what to do. The one description of a
 * failed read, for the editor and for `weft serve` alike. */
void file_open_error(const char *path, int err, size_t size, char *out, size_t n);

/* Yields the next chunk to write into *p, *n (borrowed); false when there is no more. */
typedef bool (*file_chunk_fn)(void *ctx, const char **p, size_t *n);

/* The step of a save that failed. */
enum file_step { FILE_STEP_RESOLVE, FILE_STEP_CREATE, FILE_STEP_WRITE, FILE_STEP_SYNC,
                 FILE_STEP_RENAME };

/* Writes the chunks to path atomically: a temporary file in the target's directory,
 * written, fsync'ed, given the old file's mode (and owner, when allowed), then renamed over
 * the target. If path is a symbolic link, the file it points to is replaced and the link
 * kept. A new file gets mode 0666 minus the umask. On success returns 0 and fills *st with
 * the new file's stamp. On failure returns -errno with *step (if not NULL) saying which step
 * failed; the old file is untouched and no temporary file is left behind. */
WF_MUST_CHECK int file_write_atomic(const char *path, file_chunk_fn next, void *ctx, struct file_stamp *st,
                      enum file_step *step);

/* The temporary file that a save to path (file_write_atomic) left beside it when it was
 * killed before the rename: ".NAME.weft-XXXXXX" in the directory of the file path finally
 * names. Returns a new string (free with free()), the leftover's path, or NULL when there is
 * none or the directory cannot be read. */
char *file_save_leftover(const char *path);

/* The file at path as it is now (st->exists false when there is none). */
void file_stamp_now(const char *path, struct file_stamp *st);

/* True when the file at path no longer matches st (modified, replaced, created, or
 * removed since). */
bool file_changed(const char *path, const struct file_stamp *st);

/* A human description of a failed step ("write the temporary file"). */
const char *file_step_name(enum file_step step);

#endif
