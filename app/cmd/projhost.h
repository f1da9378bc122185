/* A shared directory on the host's side, without an editor: the project filter on the root
 * (app/project/filter.h), the manifest the walk fills (app/project/manifest.h; ids stable
 * for the session), the documents guests opened, and the wn_host of protocol 3 with ops
 * backed by all that (net/host.h). For `weft serve DIR`; `weft host DIR` can reuse it.
 *
 * Listing. projhost_new() walks the first PROJHOST_BATCH entries; the rest is walked on the
 * loop (an idle handle, PROJHOST_BATCH entries per turn), and a guest paging through the
 * manifest faster than that walks the next batch itself, so a page is never empty while the
 * walk goes on, and "the last page" means the whole tree. No guest finishes paging before
 * the walk is done, so entries the walk adds need no broadcast.
 *
 * What a guest gets. Only what the filter shares (the walk asks it; may_see asks it again),
 * opened through proj_open() by the manifest's path for the file id the guest gave, never a
 * path from the guest. Binary files are listed and refused for editing. A file's document
 * is made at its first OPEN and shared by every guest that opens it; saves go where
 * proj_target() resolves the path now (app/cmd/projsave.h). Everything worth a line (joins,
 * opens, saves, the summary once the walk is done) goes through the hosting's say(). */
#ifndef WEFT_APP_CMD_PROJHOST_H
#define WEFT_APP_CMD_PROJHOST_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

#include "app/cmd/hosting.h"
#include "app/project/walk.h"
#include "core/doc.h"
#include "net/manifest.h"

#define PROJHOST_BATCH 2048 /* entries walked per turn of the loop */

typedef struct projhost projhost;

/* What the embedder (weft host DIR's editor) hears; serve DIR has none. ctx is theirs. */
struct projhost_events {
    /* file's document changed other than through the embedder: a guest's edits, or the file
     * changed on disk and was merged in. */
    void (*doc_changed)(void *ctx, uint64_t file);
    /* The manifest changed (already applied): n changes as the wire has them (a rename
     * carries the new path, old_paths[i] the one before, NULL for the others; a remove leaves
     * the document, if any, to its holders). */
    void (*tree_changed)(void *ctx, const wn_change *changes, const char *const *old_paths,
                         size_t n);
    /* The walk listed a file (path[0..len), relative to the root; not NUL-terminated). */
    void (*listed)(void *ctx, uint64_t file, const char *path, size_t len);
    /* The walk is done: every shared file was listed. */
    void (*listed_all)(void *ctx);
    /* A guest asks to save file: true when the embedder saves it (it has the file open) and
     * answers with wn_host_file_saved() and projhost_saved(); false: the projhost saves. */
    bool (*save)(void *ctx, uint64_t guest, uint64_t file);
    /* Someone's presence changed, or they left (wn_host_guests() has the list). */
    void (*presence)(void *ctx);
    /* file changed on disk and was merged into its document (after doc_changed): the disk
     * holds what the document had then, merged. */
    void (*disk_merged)(void *ctx, uint64_t file);
    void *ctx;
};

/* Opens the filter on dir and walks the first batch. ev (may be NULL: none) is what the
 * embedder hears, copied. hs is borrowed (its options, tokens
 * and say(); hosting_begin() done) and must outlive the projhost. Returns -1 to go on with
 * a new projhost in *out (free with projhost_free()), or the exit status (1) after saying
 * why on stderr. */
int projhost_new(const char *dir, struct hosting *hs, const struct projhost_events *ev,
                 projhost **out);

/* The walk's counts so far (st->done: all of them). */
void projhost_stats(const projhost *ph, struct proj_walk_stats *st);
/* "N files shared, M hidden" (and the links and special files skipped), into out. */
void projhost_summary(const projhost *ph, char *out, size_t size);

/* Starts the wn_host (hs->host) and the walk on loop. Returns 0, or 1 after saying on
 * stderr why the host could not start (the loop may then hold handles to run down). */
int projhost_start(projhost *ph, uv_loop_t *loop);

/* --- the tree (projtree.c) ------------------------------------------------------------- */

/* Does tree request req (create, mkdir, rename, delete) for agent: a guest's (read-write:
 * the wn_host checked), or the host's own (agent is the projhost's: projhost_agent()), which
 * may also touch the files that decide what is shared and delete directories. Checked
 * through the filter, done on disk, applied to the manifest and told to the guests and the
 * embedder; a name that is taken gets "name~who" instead. d receives the answer (ok, the
 * file's id, a sentence for people); the log gets it too. Returns d->ok. */
bool projhost_tree(projhost *ph, uint64_t agent, const wn_tree_request *req, wn_tree_done *d);
/* What a command adds to its projhost, after projhost_new() (before projhost_start()):
 * guests' tree requests answered (projtree.c; without it they are refused), and changes on
 * disk followed (projwatch.c). */
void projtree_install(projhost *ph);
void projwatch_install(projhost *ph);
/* The host's agent, in every document. */
uint64_t projhost_agent(const projhost *ph);

/* --- the host's own editor (weft host DIR) ----------------------------------------------- */

/* Opens rel[0..len) (a path as the manifest has it) for the host's editor: *id and the
 * file's document (made from the disk through the filter at its first open, by the host or
 * a guest, and the same one every guest who opens the file edits; borrowed: the projhost
 * frees it), registered with the wn_host so that the host's edits reach the guests. Returns
 * 0, or -errno with a sentence for people in why. */
int projhost_open_path(projhost *ph, const char *rel, size_t len, uint64_t *id, wf_doc **doc,
                       char *why, size_t size);
/* The path of file id relative to the root, NUL-terminated into out: false when it is not
 * in the manifest (or does not fit). */
bool projhost_path_of(const projhost *ph, uint64_t id, char *out, size_t size);
/* The host edited file's document: it is unsaved, and the guests that have it open get the
 * edits. */
void projhost_local_changed(projhost *ph, uint64_t file);
/* The host's editor saved file's document itself: its text is the file's now. */
void projhost_saved(projhost *ph, uint64_t file);

/* Documents with edits not saved yet. */
size_t projhost_dirty(const projhost *ph);
/* Saves every document with unsaved edits; returns how many could not be saved (each
 * said). */
size_t projhost_save_all(projhost *ph);
/* The same for the documents held(ctx, file) says false for (weft host DIR: those no buffer
 * of the host's editor holds, the editor having asked about its own). */
size_t projhost_save_unheld(projhost *ph, bool (*held)(void *ctx, uint64_t file), void *ctx);
/* Whether file's document has edits not saved yet. */
bool projhost_file_dirty(projhost *ph, uint64_t file);

/* The session is stopping: stops the walk's handle (idempotent). */
void projhost_stop(projhost *ph);
void projhost_free(projhost *ph);

#endif
