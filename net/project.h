/* The host's registry of a project's documents: file id -> the application's wf_doc, shared
 * by every guest that opened the file, with its digest state; and, per guest, the set of
 * files it has open (the host relays a file's updates to those guests only).
 *
 * Both are small arrays searched linearly: a session has as many documents as files
 * someone opened (tens), and a guest a few open at once. */
#ifndef WEFT_NET_PROJECT_H
#define WEFT_NET_PROJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/doc.h"

typedef struct wn_hdoc {
    uint64_t id;
    wf_doc *doc;          /* borrowed from the application */
    size_t openers;       /* guests that have it open */
    bool digest_due;      /* changed since the last digest */
    uint64_t last_change; /* uv_now() of its last edit */
} wn_hdoc;

typedef struct wn_docs {
    wn_hdoc *v;           /* owned */
    size_t n, cap;
} wn_docs;

wn_hdoc *wn_docs_find(const wn_docs *d, uint64_t id);
/* Registers doc under id (which must not be there); returns its record, valid until the
 * next add or remove. */
wn_hdoc *wn_docs_add(wn_docs *d, uint64_t id, wf_doc *doc);
void wn_docs_remove(wn_docs *d, uint64_t id);
void wn_docs_free(wn_docs *d);

/* One file a guest has open. */
typedef struct wn_opening {
    uint64_t id;
    bool resynced;        /* a full resync was sent, at resync_at (uv_now()) */
    uint64_t resync_at;
    bool resync_wanted;   /* asked again within WN_RESYNC_INTERVAL_MS: sent later */
} wn_opening;

typedef struct wn_openset {
    wn_opening *v;        /* owned */
    size_t n, cap;
} wn_openset;

wn_opening *wn_openset_find(const wn_openset *s, uint64_t id);
/* Adds id if absent; returns its record (valid until the next add or remove). */
wn_opening *wn_openset_add(wn_openset *s, uint64_t id);
/* Removes id; true if it was there. */
bool wn_openset_remove(wn_openset *s, uint64_t id);
void wn_openset_free(wn_openset *s);

#endif
