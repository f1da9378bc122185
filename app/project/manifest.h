/* The manifest: what a shared project holds, as guests see it, and its pages on the wire.
 *
 * An entry is a file or a directory: a stable id (never 0, never reused in a session: a
 * document is keyed by it, so a rename keeps history, buffers and cursors), a path (valid in
 * the sense of path.h: relative, UTF-8, at most PROJ_PATH_MAX bytes), a kind, the mode, size
 * and mtime the host's disk gave. Lookups by id and by path are hash lookups (O(1)); every
 * change (add, update, rename, remove) advances the manifest's version by one and stamps the
 * entry with it.
 *
 * Paging. The host sends the manifest as pages of entries in increasing id order:
 * manifest_page_encode(after = 0), then after = the page's `next`, until a page says `last`.
 * Between pages the manifest may change. The rule (test_manifest__paging_under_changes):
 * every entry that exists from the walk's first page to its last is in exactly one page,
 * under the path it had when that page was made, whatever renames happen; an entry added
 * during the walk gets an id above every id before it, so it is in a later page, once (unless
 * the walk had ended: then only the change's broadcast tells of it); an entry removed during
 * the walk is in at most one page; no id is in two pages. A guest applies a paged entry or a
 * broadcast change only when its version is above the one it holds for that id, which makes
 * the order in which pages and broadcasts arrive irrelevant.
 *
 * Page format (all integers little-endian):
 *     u32 total bytes   u8 format (1)   u8 flags (bit 0: last page)   u32 count
 *     u64 version       u64 after       u64 next (the last id in the page; after if none)
 *   then count entries:
 *     u64 id   u8 kind   u32 mode   u64 size   i64 mtime_ns   u64 version   u16 len   path
 * Decoding checks everything before it allocates or returns anything: the lengths, the
 * format, unknown flags, ids increasing and above `after`, `next`, kinds, every path valid,
 * nothing left over. */
#ifndef WEFT_APP_PROJECT_MANIFEST_H
#define WEFT_APP_PROJECT_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/project/common.h"
#include "app/project/path.h"

enum manifest_kind {
    MANIFEST_TEXT = 0,
    MANIFEST_BINARY = 1, /* listed, read-only, byte-exact */
    MANIFEST_DIR = 2,
};

/* What the disk says of an entry. */
struct manifest_attr {
    uint8_t kind;     /* enum manifest_kind */
    uint32_t mode;    /* st_mode as the host has it (type and permission bits) */
    uint64_t size;    /* bytes */
    int64_t mtime_ns; /* nanoseconds since the epoch */
};

struct manifest_entry {
    uint64_t id;
    const char *path; /* borrowed: valid until the next change of the manifest */
    size_t len;       /* bytes of path */
    struct manifest_attr attr;
    uint64_t version; /* the manifest's version at the entry's last change */
};

typedef struct manifest manifest;

/* Returns a new empty manifest (version 0; ids from 1), free with manifest_free(); NULL
 * when out of memory. */
manifest *manifest_new(void);
void manifest_free(manifest *m);

/* Adds path[0..len) with a new id (the next one: ids only grow), stored in *id. Errors:
 * -EINVAL (not a valid path, or a bad kind), -EEXIST (the path is taken: see
 * manifest_conflict_name()), -ENOMEM. */
PROJ_MUST_CHECK int manifest_add(manifest *m, const char *path, size_t len,
                                 const struct manifest_attr *a, uint64_t *id);
/* Sets the entry `id` to path and a with the given version (a guest applying the host's
 * entry; ids above the highest so far keep ids growing for manifest_add()). Replaces an
 * existing entry with that id. Errors: -EINVAL (id 0, a bad path or kind), -EEXIST (another
 * id has that path), -ENOMEM. */
PROJ_MUST_CHECK int manifest_put(manifest *m, uint64_t id, const char *path, size_t len,
                                 const struct manifest_attr *a, uint64_t version);
/* Errors: -ENOENT (no such id), -EINVAL, -EEXIST (another id has the path), -ENOMEM. */
PROJ_MUST_CHECK int manifest_rename(manifest *m, uint64_t id, const char *path, size_t len);
/* New attributes for `id`. Errors: -ENOENT, -EINVAL (a bad kind). */
PROJ_MUST_CHECK int manifest_update(manifest *m, uint64_t id, const struct manifest_attr *a);
/* Errors: -ENOENT. */
PROJ_MUST_CHECK int manifest_remove(manifest *m, uint64_t id);

/* Lookups: true and *out filled (path borrowed), or false. */
bool manifest_get(const manifest *m, uint64_t id, struct manifest_entry *out);
bool manifest_find(const manifest *m, const char *path, size_t len, struct manifest_entry *out);

size_t manifest_count(const manifest *m);     /* entries */
uint64_t manifest_version(const manifest *m); /* changes so far */
/* Bytes the manifest holds allocated (arrays, tables and path bytes, capacity included). */
size_t manifest_memory(const manifest *m);

/* --- pages ------------------------------------------------------------------------------ */

#define MANIFEST_PAGE_HEADER 34u                        /* bytes */
#define MANIFEST_ENTRY_FIXED 39u                        /* bytes of an entry before its path */
#define MANIFEST_PAGE_MIN (MANIFEST_PAGE_HEADER + MANIFEST_ENTRY_FIXED + PROJ_PATH_MAX)

/* Encodes into buf[0..max) the entries with id > after, in id order, as many as fit (at
 * least one, when any is left: max must be at least MANIFEST_PAGE_MIN). *len receives the
 * page's bytes and *next the id to continue after; *last is true when no entry above *next
 * is left. Not const: a manifest that manifest_put() filled out of id order is sorted first.
 * Errors: -EINVAL (max below MANIFEST_PAGE_MIN), -ENOMEM (sorting). */
PROJ_MUST_CHECK int manifest_page_encode(manifest *m, uint64_t after, uint8_t *buf, size_t max,
                                         size_t *len, uint64_t *next, bool *last);

struct manifest_page {
    uint64_t version, after, next;
    bool last;
    struct manifest_entry *entries; /* owned: free with manifest_page_free(); paths borrowed
                                       from the decoded bytes */
    size_t n;
};

/* Decodes buf[0..len), a whole page. Errors: -EBADMSG (malformed in any way: then *page is
 * empty), -ENOMEM. Never reads outside buf. */
PROJ_MUST_CHECK int manifest_page_decode(const uint8_t *buf, size_t len,
                                         struct manifest_page *page);
void manifest_page_free(struct manifest_page *page);

/* --- names for collisions ---------------------------------------------------------------- */

/* For a create or rename by `who` (a name, e.g. "ben") that collides at path[0..len): writes
 * to out[0..cap) the first of "path~who", "path~who~2", "path~who~3", ... that is a valid
 * path and no entry's, NUL-terminated. The suffix goes after the whole last component
 * ("src/main.c~ben", as git names the two sides of a conflict), so the original name stays
 * readable. Returns the length, or -EINVAL (who is empty or holds '/', '~' or what a path may
 * not), -ENAMETOOLONG (the last component or the path would be too long, or cap too small). */
PROJ_MUST_CHECK int manifest_conflict_name(const manifest *m, const char *path, size_t len,
                                           const char *who, size_t wlen, char *out, size_t cap);

#endif
