/* The filter's directory nodes, for the other files of app/project/ (resolve.c, walk.c),
 * which walk the tree with open directory descriptors and so can hand them to the filter
 * instead of letting it open each directory again from the root. Not for other rooms. */
#ifndef WEFT_APP_PROJECT_FILTER_INTERNAL_H
#define WEFT_APP_PROJECT_FILTER_INTERNAL_H

#include "app/project/filter.h"

/* A shared directory whose ignore files the filter has read. Opaque; borrowed from the
 * filter until the generation changes (proj_filter_invalidate()). */
struct proj__dir;

/* The root's node; never changes. */
struct proj__dir *proj__filter_root_dir(proj_filter *f);

/* Bumped by every proj_filter_invalidate(): nodes taken before are gone. */
unsigned long proj__filter_generation(const proj_filter *f);

/* The node of the directory path[0..len) (relative to the root), a child of parent, whose
 * open descriptor is dirfd (borrowed). The caller has found it shared with
 * proj__filter_entry(). Reads its ignore files unless it is known already. Returns 0 and
 * *out, or -ENOMEM. */
int proj__filter_enter(proj_filter *f, struct proj__dir *parent, const char *path, size_t len,
                       int dirfd, struct proj__dir **out);

/* The verdict on the entry path[0..len) of kind kind, whose last component starts at
 * name_off, in the directory parent (whose node the caller holds: so every directory above
 * is shared). Returns 0 or -ENOMEM. */
int proj__filter_entry(proj_filter *f, struct proj__dir *parent, const char *path, size_t len,
                       size_t name_off, enum proj_kind kind, struct proj_verdict *v);

#endif
