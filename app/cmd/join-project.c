/* `weft join TICKET` of a project (see join-internal.h): the host shares a directory.
 *
 * The guest holds the manifest as the host lists it (app/project/manifest.h, by id: a page's
 * entry or a change replaces what we hold for that id when it is newer), and the picker
 * (Ctrl-P) lists its files as they arrive, so that a file can be picked before the listing
 * ends. Picking a file asks the host for its document (net/guest.h's wn_guest_open()); it
 * opens in a buffer of its own when the host sends it (`opened`), keyed by the file id, so a
 * rename on the host renames the buffer and keeps its text, cursor and undo. A guest never
 * opens a file of its own machine from the picker: a path the host does not list is not
 * the session's, and is said to be so.
 *
 * Deleted on the host: the buffer stays with its text, no longer the session's (it becomes
 * a scratch buffer: Ctrl-S saves it here, under a name asked for). After a reconnection
 * the host lists everything again, and that listing replaces ours: what it no longer lists
 * was deleted meanwhile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cmd/join-internal.h"
#include "app/editor/dir.h"
#include "app/editor/picker.h"
#include "app/editor/picking.h"
#include "core/mem.h"

/* The path of file `id` relative to the root, NUL-terminated in out (the manifest's are not),
 * or NULL when the manifest has no such file. */
static const char *rel_of(const struct join *j, uint64_t id, char out[PROJ_PATH_MAX + 1])
{
    struct manifest_entry e;
    if (!j->files || !manifest_get(j->files, id, &e) || e.len > PROJ_PATH_MAX)
        return NULL;
    memcpy(out, e.path, e.len);
    out[e.len] = '\0';
    return out;
}

static void refresh_picker(struct join *j)
{
    struct editor *ed = &j->c.ed;
    if (ed->prompt.kind == PROMPT_PICK)
        picking_changed(ed);
    j->c.ui.redraw = true;
}

/* The file's buffer is no longer the session's (deleted on the host): its text stays. */
static void orphan(struct join *j, struct buffer *b)
{
    wn_guest_close(j->guest, b->file_id);
    j->orphaned = b->file_id;
    b->file_id = 0;
    b->scratch = true; /* Ctrl-S asks where to save it here */
    b->modified = true;
    collab_notice(&j->c, true, "%s was deleted on the host: its text stays open here; Ctrl-S "
                  "saves it on this machine.", b->path);
}

/* An open buffer of the file follows its new path. */
static void renamed(struct join *j, struct buffer *b, const char *rel)
{
    char *path = picker_full_path(j->c.ed.picker, rel);
    collab_notice(&j->c, false, "%s is now %s.", b->path, path);
    free(b->path);
    b->path = path;
}

/* Applies the host's entry e (a page's or a change's) to the manifest, the picker and an open
 * buffer of it, unless we hold newer news of it. */
static void put_entry(struct join *j, const wn_entry *e)
{
    struct editor *ed = &j->c.ed;
    struct manifest_entry had;
    bool known = manifest_get(j->files, e->id, &had);
    if (known && had.version >= e->version)
        return;
    size_t len = strlen(e->path);
    bool moved = known && (had.len != len || memcmp(had.path, e->path, len) != 0);
    if (moved && had.attr.kind != MANIFEST_DIR)
        picker_remove(ed->picker, had.path, had.len);
    /* Another id at this path is stale news (its removal crossed this entry's arrival). */
    struct manifest_entry other;
    bool taken = manifest_find(j->files, e->path, len, &other) && other.id != e->id;
    if (taken && manifest_remove(j->files, other.id) != 0)
        return; /* cannot be: found just now */
    struct manifest_attr a = {.kind = e->kind, .mode = e->mode, .size = e->size,
                              .mtime_ns = e->mtime_ns};
    int err = manifest_put(j->files, e->id, e->path, len, &a, e->version);
    if (err) {
        collab_notice(&j->c, true, "Cannot list %s: %s.", e->path, strerror(-err));
        return;
    }
    if ((!known || moved) && !taken && e->kind != WN_KIND_DIR)
        picker_add(ed->picker, e->path, len);
    struct buffer *b = editor_find_file(ed, e->id);
    if (b && moved)
        renamed(j, b, e->path);
}

static void remove_entry(struct join *j, uint64_t id)
{
    struct editor *ed = &j->c.ed;
    struct manifest_entry had;
    if (!manifest_get(j->files, id, &had))
        return;
    if (had.attr.kind != MANIFEST_DIR)
        picker_remove(ed->picker, had.path, had.len);
    if (manifest_remove(j->files, id) != 0)
        return; /* cannot be: found just now */
    struct buffer *b = editor_find_file(ed, id);
    if (b)
        orphan(j, b);
}

/* A new listing (after a reconnection) replaces ours: the manifest and the picker start
 * empty; the buffers keep their files, found again by id as the pages come. */
static void start_listing(struct join *j)
{
    struct editor *ed = &j->c.ed;
    manifest *fresh = manifest_new();
    if (!fresh)
        return; /* keep the old one: better stale than nothing */
    manifest_free(j->files);
    j->files = fresh;
    char *root = wf_xstrndup(ed->picker->root, strlen(ed->picker->root));
    picker_free(ed->picker);
    picker_init(ed->picker, root);
    free(root);
}

/* The listing is whole: the files of open buffers it does not hold were deleted meanwhile. */
static void end_listing(struct join *j)
{
    struct editor *ed = &j->c.ed;
    ed->picker->complete = true;
    struct manifest_entry e;
    for (size_t i = 0; i < ed->nbufs; i++)
        if (ed->bufs[i]->file_id && !manifest_get(j->files, ed->bufs[i]->file_id, &e))
            orphan(j, ed->bufs[i]);
}

static void on_manifest(void *data, const wn_entries *page)
{
    struct join *j = data;
    if (!j->files)
        return;
    if (j->relist) {
        j->relist = false;
        start_listing(j);
    }
    for (size_t i = 0; i < page->n; i++)
        put_entry(j, &page->v[i].entry);
    if (page->next_after == 0)
        end_listing(j);
    refresh_picker(j);
}

static void on_changes(void *data, const wn_entries *changes)
{
    struct join *j = data;
    if (!j->files)
        return;
    for (size_t i = 0; i < changes->n; i++) {
        const wn_change *c = &changes->v[i];
        if (c->op == WN_CHANGE_REMOVE)
            remove_entry(j, c->entry.id);
        else
            put_entry(j, &c->entry);
    }
    refresh_picker(j);
}

static void on_opened(void *data, uint64_t file, wf_doc *doc, const char *why)
{
    struct join *j = data;
    struct editor *ed = &j->c.ed;
    char relbuf[PROJ_PATH_MAX + 1];
    const char *rel = rel_of(j, file, relbuf);
    if (!doc) {
        collab_notice(&j->c, true, "Cannot open %s: %s", rel ? rel : "the file", why);
        if (j->want == file)
            j->want = 0;
        return;
    }
    struct buffer *b = editor_find_file(ed, file);
    if (b) { /* cannot be: `opened` comes once per open, and an open file is not reopened */
        buffer_replace_doc(b, doc);
        return;
    }
    struct buffer *shown = ed->buf;
    char *path = picker_full_path(ed->picker, rel ? rel : "untitled.txt");
    b = buffer_new_doc(doc, path, NULL);
    free(path);
    b->file_id = file;
    editor_add_buffer(ed, b, rel ? rel : "", false);
    if (j->want == file) {
        j->want = 0;
        if (shown->scratch && !shown->modified && !shown->file_id)
            editor_forget_buffer(ed, shown); /* the empty start has served its purpose */
    } else {
        editor_show(ed, shown); /* asked for before another: that one stays in front */
    }
    session_follow_update(ed);
    session_update(ed); /* our presence names the file now shown */
    j->c.ui.redraw = true;
}

static void on_changed(void *data, uint64_t file)
{
    struct join *j = data;
    struct editor *ed = &j->c.ed;
    struct buffer *b = editor_find_file(ed, file);
    if (b && b == ed->buf) { /* another buffer's view catches up when it is shown */
        editor_doc_changed(ed);
        session_follow_update(ed);
    }
    session_set_sync_state(&j->c.sess, wn_guest_in_sync(j->guest), wn_guest_unsent(j->guest));
    j->c.ui.redraw = true;
}

static void on_replaced(void *data, uint64_t file, wf_doc *doc)
{
    struct join *j = data;
    struct editor *ed = &j->c.ed;
    struct buffer *b = editor_find_file(ed, file);
    if (!b) /* cannot be: a file's buffer stays while the guest has it open */
        return;
    if (b == ed->buf)
        editor_replace_doc(ed, doc);
    else
        buffer_replace_doc(b, doc);
    session_follow_update(ed);
    j->c.ui.redraw = true;
}

static void on_saved(void *data, uint64_t file, bool ok, const char *text)
{
    struct join *j = data;
    char relbuf[PROJ_PATH_MAX + 1];
    const char *rel = rel_of(j, file, relbuf);
    if (ok)
        collab_notice(&j->c, false, "%s: %s", j->c.sess.host_name, text);
    else
        collab_notice(&j->c, true, "%s could not save %s: %s", j->c.sess.host_name,
                      rel ? rel : "the file", text);
}

static void on_tree_done(void *data, const wn_tree_done *done)
{
    struct join *j = data;
    /* Our own deletion of a file open here: the notice of what became of its buffer says
     * more than "deleted". */
    if (!done->ok || !done->file || done->file != j->orphaned)
        collab_notice(&j->c, !done->ok, "%s: %s", j->c.sess.host_name, done->text);
    if (done->ok && done->request == j->create_request && done->file) {
        j->create_request = 0;
        j->want = done->file; /* listed by now: CHANGES came before this answer */
        wn_guest_open(j->guest, done->file, NULL);
    }
}

void join_project_tree(struct join *j, int op, uint64_t file, const char *path,
                       const char *path2)
{
    uint32_t r = wn_guest_tree(j->guest, op, file, path, path2);
    if (!r) {
        editor_message(&j->c.ed, true, "Not a path in the project: %s (relative to its root, "
                       "no \"..\", no control characters).", path ? path : path2);
        return;
    }
    if (op == WN_TREE_CREATE)
        j->create_request = r;
    if (j->c.sess.link == SESSION_ONLINE)
        editor_message(&j->c.ed, false, "Asked %s...", j->c.sess.host_name);
    else
        editor_message(&j->c.ed, false, "Asked %s: it is done when %s is reachable again.",
                       j->c.sess.host_name, j->c.sess.host_name);
}

const wn_guest_project_events join_project_events = {
    .manifest = on_manifest, .changes = on_changes, .opened = on_opened,
    .changed = on_changed, .replaced = on_replaced, .saved = on_saved,
    .tree_done = on_tree_done,
};

void join_project_begin(struct join *j)
{
    struct collab *c = &j->c;
    j->project = true;
    j->files = manifest_new();
    const char *root = wn_guest_file_name(j->guest);
    editor_become_project(&c->ed, *root ? root : "project");
    c->sess.project = true;
    session_set_synced(&c->sess); /* nothing to wait for: the files come when picked */
    if (!j->files)
        collab_notice(c, true, "Not enough memory to list %s's files.", c->sess.host_name);
    else
        collab_notice(c, false, "Joined %s's project %s%s: Ctrl-P opens a file.",
                      c->sess.host_name, c->ed.picker->root,
                      c->sess.read_only ? " (read-only: you can watch, not edit)" : "");
}

void join_project_online(struct join *j)
{
    j->relist = true;
}

bool join_project_open(struct join *j, const char *rel)
{
    struct editor *ed = &j->c.ed;
    struct manifest_entry e;
    if (!j->files || !manifest_find(j->files, rel, strlen(rel), &e)) {
        editor_message(ed, true, "%s is not one of the session's files (any more).", rel);
        return true; /* and not one of ours either: a guest's picker lists the host's */
    }
    struct buffer *b = editor_find_file(ed, e.id);
    if (b) {
        editor_show(ed, b);
        session_update(ed);
        return true;
    }
    if (e.attr.kind == MANIFEST_BINARY) {
        editor_message(ed, true, "%s is not text: `weft cat TICKET %s` prints its bytes.", rel,
                       rel);
        return true;
    }
    j->want = e.id;
    wn_guest_open(j->guest, e.id, NULL);
    if (j->c.sess.link == SESSION_ONLINE)
        editor_message(ed, false, "Opening %s...", rel);
    else
        editor_message(ed, false, "%s opens when %s is reachable again.", rel,
                       j->c.sess.host_name);
    return true;
}

bool join_project_show(struct join *j, uint64_t file)
{
    struct editor *ed = &j->c.ed;
    struct buffer *b = editor_find_file(ed, file);
    if (b) {
        editor_show(ed, b);
        return true;
    }
    struct manifest_entry e;
    if (j->files && manifest_get(j->files, file, &e) && e.attr.kind == MANIFEST_TEXT
        && j->want != file) {
        j->want = file; /* shown when it arrives */
        wn_guest_open(j->guest, file, NULL);
    }
    return false;
}

void join_project_free(struct join *j)
{
    manifest_free(j->files);
    j->files = NULL;
}
