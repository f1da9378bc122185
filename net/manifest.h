/* The manifest on the wire: what a project holds, as entries keyed by a stable file id
 * (never the path: a rename keeps the id, the document and whoever has it open), listed in
 * pages of at most WN_MANIFEST_PAGE_BYTES so that joining never waits for the whole tree,
 * and changed by CHANGES (net/proto.h has the messages).
 *
 * Entry: file id · u8 kind · mode · size · mtime_ns (zigzag varint) · version · path
 * (net/proto.h's wn_path_valid). MANIFEST: version · next_after (0: the last page) · count · entries.
 * CHANGES: version · count · {u8 op · entry}. Every number is a varuint.
 *
 * Pages go by id: a page holds entries with ids after the asked one, in increasing order,
 * and next_after is the last id on it. Pages and CHANGES travel on one ordered connection,
 * each as the host's tree is when it is sent, so a guest applying them in arrival order
 * (by id: an add or update is an upsert, a remove a delete) holds the tree as it is; each
 * entry carries the manifest version of its last change too (app/project/manifest.h's
 * rule: apply only what is newer than what one holds), for a guest that merges from
 * elsewhere (a journal). */
#ifndef WEFT_NET_MANIFEST_H
#define WEFT_NET_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "net/error.h"

#define WN_MANIFEST_PAGE_BYTES ((size_t)64 << 10) /* of entries, per MANIFEST */

enum wn_kind {
    WN_KIND_TEXT = 0,   /* a text file: a CRDT document, opened with OPEN */
    WN_KIND_BINARY = 1, /* listed, read-only */
    WN_KIND_DIR = 2,
};

enum wn_change_op {
    WN_CHANGE_ADD = 0,
    WN_CHANGE_UPDATE = 1, /* size, mode or mtime */
    WN_CHANGE_REMOVE = 2,
    WN_CHANGE_RENAME = 3, /* the entry carries the new path */
};

typedef struct wn_entry {
    uint64_t id;       /* never 0 */
    uint8_t kind;      /* enum wn_kind */
    uint32_t mode;     /* st_mode as the host has it (type and permission bits) */
    uint64_t size;     /* bytes */
    int64_t mtime_ns;  /* nanoseconds since the epoch */
    uint64_t version;  /* the manifest's version at the entry's last change */
    const char *path;  /* relative, '/'-separated, NUL-terminated */
} wn_entry;

typedef struct wn_change {
    uint8_t op;        /* enum wn_change_op */
    wn_entry entry;
} wn_change;

/* Encodes one entry; false (nothing appended) for an invalid one (id 0, an unknown kind, a
 * path wn_path_valid() refuses), which is never sent. */
bool wn_entry_encode(const wn_entry *e, wf_buf *out);

/* A page being filled (the host's manifest_page callback adds to it). */
typedef struct wn_page {
    wf_buf entries;    /* the encoded entries */
    size_t count;
    size_t max;        /* bytes of entries allowed */
    uint64_t last_id;  /* of the last entry added */
} wn_page;

void wn_page_init(wn_page *pg, size_t max);
void wn_page_free(wn_page *pg);
/* Adds e; false when it does not fit (the page is full: stop and say there is more), or
 * is invalid (skipped: the page takes the next). A page always takes its first entry. */
bool wn_page_add(wn_page *pg, const wn_entry *e);
/* True when e would not fit in the page. */
bool wn_page_full(const wn_page *pg, const wn_entry *e);
/* MANIFEST: version · next_after · the page's entries. */
void wn_manifest_encode(const wn_page *pg, uint64_t version, uint64_t next_after, wf_buf *out);

/* A decoded MANIFEST or CHANGES: entries (changes) with their paths in one block. */
typedef struct wn_entries {
    uint64_t version;
    uint64_t next_after; /* MANIFEST only */
    size_t n;
    wn_change *v;        /* a MANIFEST's have op WN_CHANGE_ADD */
    char *paths;         /* the paths' storage */
} wn_entries;

/* Return 0 or WN_EPROTO (truncated, trailing bytes, an invalid entry or op); on success *out
 * holds what it needs (the caller frees it with wn_entries_free). */
WF_MUST_CHECK int wn_manifest_decode(const uint8_t *p, size_t n, wn_entries *out);
void wn_changes_encode(uint64_t version, const wn_change *c, size_t n, wf_buf *out);
WF_MUST_CHECK int wn_changes_decode(const uint8_t *p, size_t n, wn_entries *out);
void wn_entries_free(wn_entries *e);

#endif
