/* A guest's path to an open file, through the filter: the calls the protocol makes for
 * everything a guest opens, creates, renames or deletes.
 *
 * Each call validates the path (path.h), then walks it from the root one component at a
 * time: the filter decides the component before the disk is touched, fstatat() (no follow)
 * learns what it is, its name must be the exact one on disk (proj_path_exact()), and the
 * next directory is opened with openat(O_DIRECTORY | O_NOFOLLOW) relative to the one
 * before. Symbolic links (anywhere, pointing anywhere), devices, FIFOs and sockets do not
 * exist for guests. A mount point inside the root is entered like any directory (it is not
 * a link): what is mounted there is the host's choice, and walk.h lists it the same way.
 *
 * Errors. -EINVAL: the path is not valid (its proj_path_check() error is in *why and may be
 * told to the guest). -ENOENT: the path is not shared: hidden, missing, a link, a special
 * file, a component that is not a directory, or a name only a folding file system finds;
 * all the same answer, so a guest cannot tell hidden from absent. Other -errno values come
 * from the system for shared entries (-EACCES, -EMFILE, -EIO).
 *
 * Races. A directory renamed or replaced by a link between two steps cannot lead outside:
 * every step is relative to the descriptor of the directory already open, and a link is
 * never followed. An entry swapped between fstatat() and open is caught by comparing the
 * opened file's fstat() (type, device, inode) with what was checked: the call then fails
 * with -ENOENT. O_NONBLOCK keeps a FIFO swapped in at that instant from blocking the open.
 * (A device node swapped in at that instant would be opened, and then refused; only a
 * process on the host can make that race.) */
#ifndef WEFT_APP_PROJECT_RESOLVE_H
#define WEFT_APP_PROJECT_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "app/project/common.h"
#include "app/project/filter.h"
#include "app/project/path.h"

enum proj_want {
    PROJ_WANT_FILE, /* a regular file; a shared directory there is -EISDIR */
    PROJ_WANT_DIR,  /* a directory; a shared file there is -ENOTDIR */
    PROJ_WANT_ANY,  /* either */
};

/* Opens the shared entry at path[0..len) read-only (O_RDONLY | O_CLOEXEC; a directory with
 * O_DIRECTORY). Returns the new descriptor (the caller closes it) and its fstat() in *st
 * (may be NULL), or a negative error as above. *why (may be NULL) gets the path error. */
PROJ_MUST_CHECK int proj_open(proj_filter *f, const char *path, size_t len, enum proj_want want,
                              struct stat *st, enum proj_path_error *why);

/* Where a change lands: the parent directory, open, and the last name. Caller's storage:
 * call proj_target_close(). */
struct proj_target {
    int dirfd;                     /* owned: the parent directory, or -1 */
    char name[PROJ_NAME_MAX + 1];  /* the last component, NUL-terminated */
    bool exists;                   /* a shared entry of that name is there (and st holds its
                                      lstat) */
    struct stat st;
};

enum proj_target_flags {
    PROJ_TARGET_NEW = 1,          /* create, mkdir, the new name of a rename: nothing may be
                                     there, and the name must be shareable */
    PROJ_TARGET_EXISTING = 2,     /* delete, save, the old name of a rename: a shared entry of
                                     the kind asked must be there */
    PROJ_TARGET_ALLOW_POLICY = 4, /* the host itself: policy names (.gitignore) allowed */
};

/* Resolves the parent of path[0..len) as proj_open() does and checks its last name for the
 * change described by flags, for an entry of kind kind. Then the caller acts with *at()
 * calls on t->dirfd and t->name (openat(O_CREAT | O_EXCL | O_NOFOLLOW), mkdirat(),
 * renameat2(RENAME_NOREPLACE), unlinkat()), which keep the checks true against a race.
 *
 * Returns 0, an error as above, or, for a change:
 *   -EPERM  the name is a policy name (.gitignore, .weftignore: filter.h), or a new name the
 *           filter would hide (the answer depends on the name only, never on the disk);
 *   -EEXIST (PROJ_TARGET_NEW) the name is taken, or collides (fold.h: same name but for case
 *           or Unicode normalisation) with a shared sibling, whose name is copied into
 *           collides[0..cap) when collides is not NULL. A hidden entry that folds to the same
 *           name is not a collision (its existence is not told); the file system itself
 *           refuses the create if it folds. `except` (may be NULL) is a sibling name that
 *           does not count: the entry being renamed, for "readme" -> "README".
 * t is closed (dirfd -1) on error. */
PROJ_MUST_CHECK int proj_target(proj_filter *f, const char *path, size_t len, enum proj_kind kind,
                                unsigned flags, const char *except, struct proj_target *t,
                                char *collides, size_t cap, enum proj_path_error *why);
void proj_target_close(struct proj_target *t);

#endif
