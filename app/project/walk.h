/* Listing the shared tree in pages, for the manifest: a cursor that yields up to K shared
 * entries per call, so a 100,000-file tree is listed while guests already edit.
 *
 * Order: depth first, a directory before its contents, the entries of a directory in byte
 * order of their names; the order is the same on every run over the same tree. Only shared
 * entries are yielded: regular files and directories that the filter shares, whose names
 * proj_name_check() accepts and whose paths fit PROJ_PATH_MAX and PROJ_DEPTH_MAX. A hidden
 * directory is counted once and never opened, so nothing below it is read. Symbolic links,
 * devices, FIFOs and sockets are counted and skipped.
 *
 * Cost: one readdir() pass and a sort per directory, the filter's verdict per entry, one
 * fstatat() per shared entry (when it is yielded). Memory: the listings of the directories
 * from the root to the current one, and an open descriptor for each (at most
 * PROJ_DEPTH_MAX + 1), not the tree. Changes to the tree during a walk are seen or not,
 * depending on whether the walk has read that directory yet; an entry that vanished before
 * its turn is skipped. After proj_filter_invalidate() the rest of the walk uses the new
 * rules. */
#ifndef WEFT_APP_PROJECT_WALK_H
#define WEFT_APP_PROJECT_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "app/project/common.h"
#include "app/project/filter.h"

typedef struct proj_walk proj_walk;

enum proj_entry_flags {
    PROJ_ENTRY_POLICY = 1,     /* a .gitignore: guests may read it but not change it */
    PROJ_ENTRY_COLLIDES = 2,   /* a shared sibling has the same name but for case or Unicode
                                  normalisation (fold.h); both are listed */
    PROJ_ENTRY_UNLISTED = 4,   /* a directory whose contents could not be read (or lie deeper
                                  than PROJ_DEPTH_MAX): listed, empty */
};

struct proj_entry {
    const char *path;      /* relative to the root, NUL-terminated; borrowed until the next
                              proj_walk_next() or proj_walk_free() */
    size_t len;            /* bytes of path */
    enum proj_kind kind;   /* file or directory */
    unsigned flags;        /* enum proj_entry_flags */
    mode_t mode;           /* st_mode */
    off_t size;            /* bytes (files) */
    struct timespec mtime; /* modification time */
    dev_t dev;             /* with ino: the file's identity, to notice a rename */
    ino_t ino;
};

/* Counts so far (all of them once the walk is done): what the start-up summary says. */
struct proj_walk_stats {
    size_t files;      /* shared regular files yielded */
    size_t dirs;       /* shared directories yielded */
    size_t hidden;     /* entries the filter hides (a hidden directory counts once) */
    size_t links;      /* symbolic links, not shared */
    size_t special;    /* devices, FIFOs, sockets, not shared */
    size_t bad_names;  /* names proj_name_check() refuses, or paths too long or too deep */
    size_t unlisted;   /* directories whose contents could not be read */
    bool done;         /* the whole tree has been yielded */
};

/* Starts a walk of f's tree. Returns 0 and a new walk in *out (free with proj_walk_free()
 * before f), or -ENOMEM, or -errno if the root cannot be read. */
PROJ_MUST_CHECK int proj_walk_new(proj_filter *f, proj_walk **out);

enum proj_walk_flags {
    PROJ_WALK_SHALLOW = 1, /* the directory's own entries only: its directories are yielded,
                              not entered */
};

/* Starts a walk of the shared directory path[0..len) (relative to the root, "" for the
 * root) and what is below it: entries are yielded with their paths from the root, judged as
 * the whole walk judges them (every directory on the way must be shared, and is entered
 * without following links). For a rescan of part of the tree. Returns as proj_walk_new(),
 * and -ENOENT when path is not a shared directory. Unlike a walk from the root, one that
 * meets an invalidated filter fails (-ESTALE): use it within one turn of the loop. */
PROJ_MUST_CHECK int proj_walk_new_at(proj_filter *f, const char *path, size_t len,
                                     unsigned flags, proj_walk **out);

/* Yields up to max shared entries into out[0..max) and their number in *n; *n is 0 only when
 * the walk is done. Returns 0, or -ENOMEM (the walk cannot go on: free it). */
PROJ_MUST_CHECK int proj_walk_next(proj_walk *w, struct proj_entry *out, size_t max, size_t *n);

void proj_walk_stats(const proj_walk *w, struct proj_walk_stats *st);
void proj_walk_free(proj_walk *w);

#endif
