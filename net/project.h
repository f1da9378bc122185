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
#include "net/proto.h"

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

/* Tree requests per participant: the last number heard, and the last WN_TREE_ANSWERS
 * answers, so that a request sent again after a reconnect (its answer lost with the link)
 * is answered again, not done twice. At most WN_TREE_AGENTS participants are remembered
 * (the oldest forgotten). */
#define WN_TREE_ANSWERS 4
#define WN_TREE_AGENTS 256

typedef struct wn_tree_agent {
    uint64_t agent;
    uint32_t heard;                        /* the highest request number heard */
    wn_tree_done answers[WN_TREE_ANSWERS]; /* the last ones, by request (0: none) */
    size_t next;                           /* where the next answer goes */
} wn_tree_agent;

typedef struct wn_tree_log {
    wn_tree_agent *v;                      /* owned, oldest first */
    size_t n, cap;
} wn_tree_log;

/* Whether request is new for agent (then it is heard from now on); when not, *answer is its
 * answer if one was given and is kept, else NULL (still being done: it will come). */
bool wn_tree_log_hear(wn_tree_log *l, uint64_t agent, uint32_t request,
                      const wn_tree_done **answer);
/* Keeps the answer given to agent. */
void wn_tree_log_answer(wn_tree_log *l, uint64_t agent, const wn_tree_done *d);
void wn_tree_log_free(wn_tree_log *l);

#endif
