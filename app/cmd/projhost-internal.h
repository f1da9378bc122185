/* The insides of a projhost (projhost.h), for the files that implement one concern of it
 * each: projhost.c (the walk, the documents, the protocol's ops), projtree.c (guests' and the
 * host's tree requests: create, mkdir, rename, delete), projwatch.c (changes on disk). Not for
 * the commands: they use projhost.h. */
#ifndef WEFT_APP_CMD_PROJHOST_INTERNAL_H
#define WEFT_APP_CMD_PROJHOST_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "app/cmd/projhost.h"
#include "app/project/filter.h"
#include "app/project/manifest.h"
#include "app/project/path.h"
#include "core/doc.h"
#include "net/host.h"

#define PROJHOST_TEXT_MAX (PROJ_PATH_MAX + 512) /* a message naming a path */

/* A file's document, made at its first open (a guest's OPEN, or the host's editor). */
struct pdoc {
    uint64_t id;   /* the manifest's file id */
    wf_doc *doc;   /* owned; registered with the host */
    bool dirty;    /* edits not saved yet */
    char *base;    /* owned: the file as last loaded or saved (diskmerge()'s base), or NULL */
    size_t base_len;
};

/* Changes of the manifest being made, their paths owned, to tell everyone at once
 * (projhost__batch_send()). Zero-initialise. */
struct projhost_batch {
    wn_change *v;
    char **paths, **old;
    size_t n, cap;
};

/* Where the disk says an entry lives (for telling a rename on disk from a delete and an add). */
struct projhost_ino {
    uint64_t dev, ino;
};

struct projhost {
    struct hosting *hs;      /* borrowed: options, tokens, say(), the wn_host */
    struct projhost_events ev; /* the embedder's (zeroed: none) */
    proj_filter *filter;     /* owned */
    manifest *m;             /* owned */
    proj_walk *walk;         /* owned; NULL once done (or failed) */
    struct proj_walk_stats stats; /* as of the last batch */
    uint64_t last_id;        /* the highest id added (ids run 1..last_id, with holes) */
    uint64_t agent;          /* the host's, in every document */
    struct pdoc *docs;       /* owned, nd of cap */
    size_t nd, cap;
    uv_loop_t *loop;         /* once started */
    uv_idle_t idle;          /* walks a batch per turn while walk != NULL */
    bool idle_on;            /* idle is initialised and not closed */
    /* The changes being told (projhost__batch_send()): may_see judges a removed entry's
     * path by the kind it had there (the manifest no longer has it). NULL: none. */
    const struct projhost_batch *sending;
    struct projhost_ino *inos; /* owned: by id, up to inos_cap (0: unknown) */
    size_t inos_cap;
    struct projwatch *watch; /* projwatch.c's, or NULL */
    /* What the command installed of projtree.c and projwatch.c (projhost.h): called through
     * these, so that the core of a projhost depends on neither. NULL: not installed. */
    struct {
        void (*tree)(projhost *ph, uint64_t guest, const wn_tree_request *req);
        void (*watch_start)(projhost *ph);
        void (*watch_dir)(projhost *ph, const char *path, size_t len);
        void (*watch_moved)(projhost *ph, const char *old, size_t old_len, const char *new,
                            size_t new_len);
        void (*watch_stop)(projhost *ph);
        void (*watch_free)(projhost *ph);
    } hooks;
};

/* A line for the log (the hosting's say()). */
void projhost__say(projhost *ph, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The manifest's paths are bytes with a length (manifest.h): an entry, its path copied
 * NUL-terminated beside it (for the wire, the filter and messages). */
struct named {
    struct manifest_entry e;
    char path[PROJ_PATH_MAX + 1];
};
bool projhost__get_named(const projhost *ph, uint64_t id, struct named *out);

/* The document of file id, or NULL when none was made. */
struct pdoc *projhost__find_doc(projhost *ph, uint64_t id);
/* The participant's name for the log ("a guest" when unknown; the host's own agent is the
 * host's name). */
const char *projhost__who(projhost *ph, uint64_t agent);

/* Adds a manifest entry for what the walk (or a rescan, or a tree request) found; the id
 * in *id when id is not NULL. Returns 0, -EEXIST, or -ENOMEM. */
int projhost__add_entry(projhost *ph, const struct proj_entry *e, uint64_t *id);
/* Records where entry id lives on disk. */
void projhost__set_ino(projhost *ph, uint64_t id, uint64_t dev, uint64_t ino);

/* Tells the embedder (ev.doc_changed) that file's document changed other than through it. */
void projhost__doc_changed(projhost *ph, uint64_t file);
/* Tells the guests (wn_host_manifest_changed) and the embedder (ev.tree_changed) of n
 * changes already made to the manifest; old_paths as wn_host_manifest_changed()'s. */
void projhost__tree_changed(projhost *ph, const wn_change *changes,
                            const char *const *old_paths, size_t n);

/* Adds a change of entry me (path copied; old[0..oldlen) the path before a rename, or NULL). */
void projhost__batch_add(struct projhost_batch *b, uint8_t op, const struct manifest_entry *me,
                         const char *old, size_t oldlen);
/* Tells everyone of b's changes (already made to the manifest), then empties b. */
void projhost__batch_send(projhost *ph, struct projhost_batch *b);
/* Every entry below the directory old/ now below new/ (renamed in the manifest), into b. */
void projhost__move_children(projhost *ph, const char *old, size_t old_len, const char *new,
                             size_t new_len, struct projhost_batch *b);
/* The kind a removal being told gave id, or -1 (not being removed). */
int projhost__gone_kind(const projhost *ph, uint64_t id);

/* Through the hooks of projwatch.c (changes on disk), when installed: each directory the
 * manifest gains is watched (projhost__add_entry() calls projhost__watch_dir()). */
void projhost__watch_dir(projhost *ph, const char *path, size_t len);
/* A directory of the manifest renamed (old/ to new/) or removed (new NULL): its watches follow. */
void projhost__watch_moved(projhost *ph, const char *old, size_t old_len, const char *new,
                           size_t new_len);
/* The text of d's document is now the file's (loaded or saved): the new base. */
void projhost__set_base(struct pdoc *d);

#endif
