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
    /* An entry just removed from the manifest whose removal is being told: may_see judges
     * its path by this kind (the manifest no longer has it). id 0: none. */
    struct { uint64_t id; uint8_t kind; } gone;
    void *tree;              /* projtree.c's state, or NULL */
    void *watch;             /* projwatch.c's state, or NULL */
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

/* Tells the embedder (ev.doc_changed) that file's document changed other than through it. */
void projhost__doc_changed(projhost *ph, uint64_t file);
/* Tells the guests (wn_host_manifest_changed) and the embedder (ev.tree_changed) of n
 * changes already made to the manifest; old_paths as wn_host_manifest_changed()'s. */
void projhost__tree_changed(projhost *ph, const wn_change *changes,
                            const char *const *old_paths, size_t n);

/* projtree.c: wn_project_ops.tree, a guest's tree request (projhost_tree(), answered). */
void projhost__on_tree(void *data, uint64_t guest, const wn_tree_request *req);

#endif
