/* `weft host DIR`: edit a directory's files and share them, in the editor.
 *
 * The project's host is app/cmd/projhost.h's, as for `weft serve DIR`: the filter decides
 * what guests see, the tree is listed on the loop while the session runs, and each file has
 * one document for everyone, keyed by its manifest id. The host's editor is one participant
 * among them: Ctrl-P lists the files the walk has found so far (exactly what guests can
 * open), and picking one opens the same document the guests edit, borrowed from the
 * projhost (app/editor/buffer.h's doc_borrowed), so the host's typing and theirs meet in
 * one CRDT with no copy to keep in step. Our edits reach the guests after each input event
 * (ops.edited), for the file shown, the only one an event can edit; theirs arrive through
 * the projhost's doc_changed.
 *
 * Saving. The host owns the disk: Ctrl-S saves the file shown as `weft FILE` does (asking
 * when it changed on disk) and tells the projhost its text is the file's; Alt-A saves every
 * open file and the files only guests have open. A guest's Ctrl-S of a file the host has
 * open is the host's Ctrl-S of it, unless the file changed on disk (the host decides, as
 * in `weft host FILE`); of any other file, the projhost saves it. Quitting asks about the
 * editor's files, saves what only guests edited, and ends the session.
 *
 * Presence is per file (session.project): the others' cursors are drawn in the file they
 * are in, and following someone follows them into their file. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "app/cmd/cmd.h"
#include "app/cmd/collab.h"
#include "app/cmd/hosting.h"
#include "app/cmd/projhost.h"
#include "app/editor/dir.h"
#include "app/editor/picker.h"
#include "app/editor/picking.h"
#include "app/project/path.h"
#include "app/ui/term.h"
#include "core/mem.h"
#include "net/host.h"

struct host_dir {
    struct collab c;   /* first: the collab callbacks get this */
    struct hosting hs; /* the options, tokens, lock and the wn_host */
    projhost *ph;      /* owned */
};

static struct host_dir *of(void *ctx)
{
    return ((struct hosting *)ctx)->ctx;
}

/* --- the files ---------------------------------------------------------------------------- */

/* Shows the project's file id (path rel) in a buffer on its shared document: the one open
 * already, or a new one. */
static void show_doc(struct host_dir *h, uint64_t id, wf_doc *doc, const char *rel)
{
    struct editor *ed = &h->c.ed;
    struct buffer *b = editor_find_file(ed, id);
    if (b) {
        editor_show(ed, b);
        return;
    }
    char *path = picker_full_path(ed->picker, rel);
    b = buffer_new_doc(doc, path, NULL);
    b->doc_borrowed = true;
    b->file_id = id;
    file_stamp_now(path, &b->stamp);
    /* A guest may have edited it before we opened it: then it differs from the file. */
    b->modified = b->others_edited = projhost_file_dirty(h->ph, id);
    editor_add_buffer(ed, b, path, true);
    free(path);
}

static bool op_open_file(void *ctx, const char *rel)
{
    struct host_dir *h = of(ctx);
    uint64_t id;
    wf_doc *doc;
    char why[PROJ_PATH_MAX + 512];
    int e = projhost_open_path(h->ph, rel, strlen(rel), &id, &doc, why, sizeof why);
    if (e == -ENOENT)
        return false; /* not the session's (any more): the editor opens it alone */
    if (e)
        editor_message(&h->c.ed, true, "%s.", why);
    else
        show_doc(h, id, doc, rel);
    return true;
}

static bool op_show_file(void *ctx, uint64_t file)
{
    struct host_dir *h = of(ctx);
    char rel[PROJ_PATH_MAX + 1];
    if (!projhost_path_of(h->ph, file, rel, sizeof rel))
        return false;
    struct buffer *was = h->c.ed.buf;
    return op_open_file(ctx, rel) && h->c.ed.buf != was;
}

/* --- what the editor asks ------------------------------------------------------------- */

static void op_edited(void *ctx)
{
    struct host_dir *h = of(ctx);
    if (h->c.ed.buf->file_id)
        projhost_local_changed(h->ph, h->c.ed.buf->file_id);
}

static void op_presence(void *ctx, const wn_presence *p)
{
    struct host_dir *h = of(ctx);
    collab_host_presence(&h->c, h->hs.host, p);
}

/* The editor saved the file shown (Ctrl-S, Alt-A, a guest's request). */
static void op_saved(void *ctx, const char *text)
{
    struct host_dir *h = of(ctx);
    if (h->c.ed.buf->file_id)
        projhost_saved(h->ph, h->c.ed.buf->file_id);
    wn_host_notice(h->hs.host, text);
}

static void op_save_all(void *ctx)
{
    struct host_dir *h = of(ctx);
    size_t failed = projhost_save_unheld(h->ph, NULL, NULL);
    if (failed)
        collab_notice(&h->c, true, "%zu file%s only guests had open could not be saved: "
                      "Alt-M shows why.", failed, failed == 1 ? "" : "s");
}

/* Alt-O, F6, F8: the host's own request, done at once (the log line says how it went). A
 * file made so opens. */
static void op_tree(void *ctx, int op, uint64_t file, const char *path, const char *path2)
{
    struct host_dir *h = of(ctx);
    wn_tree_request req = {.op = (uint8_t)op, .file = file, .path = path ? path : "",
                           .path2 = path2 ? path2 : ""};
    wn_tree_done d;
    if (!projhost_tree(h->ph, projhost_agent(h->ph), &req, &d) || op != WN_TREE_CREATE)
        return;
    char rel[PROJ_PATH_MAX + 1];
    struct buffer *was = h->c.ed.buf;
    if (d.file && projhost_path_of(h->ph, d.file, rel, sizeof rel) && op_open_file(ctx, rel)
        && was != h->c.ed.buf && was->scratch && !was->modified)
        editor_forget_buffer(&h->c.ed, was);
}

static const struct session_ops ops = {
    .edited = op_edited, .presence = op_presence, .saved = op_saved,
    .open_file = op_open_file, .show_file = op_show_file, .save_all = op_save_all,
    .tree = op_tree,
};

/* --- what the project and the network say ----------------------------------------------- */

static void on_doc_changed(void *ctx, uint64_t file)
{
    struct host_dir *h = ctx;
    struct editor *ed = &h->c.ed;
    struct buffer *b = editor_find_file(ed, file);
    if (!b)
        return;
    b->modified = true;
    if (b == ed->buf) {
        editor_doc_changed(ed);
        session_follow_update(ed);
    }
    h->c.ui.redraw = true;
}

static void on_tree_changed(void *ctx, const wn_change *changes, const char *const *old_paths,
                            size_t n)
{
    struct host_dir *h = ctx;
    struct editor *ed = &h->c.ed;
    for (size_t i = 0; i < n; i++) {
        const wn_change *c = &changes[i];
        struct buffer *b = editor_find_file(ed, c->entry.id);
        bool file = c->entry.kind != WN_KIND_DIR;
        const char *old = c->op == WN_CHANGE_RENAME && old_paths ? old_paths[i] : NULL;
        if (file && c->op == WN_CHANGE_REMOVE)
            picker_remove(ed->picker, c->entry.path, strlen(c->entry.path));
        if (file && old)
            picker_remove(ed->picker, old, strlen(old));
        if (file && (c->op == WN_CHANGE_ADD || c->op == WN_CHANGE_RENAME))
            picker_add(ed->picker, c->entry.path, strlen(c->entry.path));
        if (!b)
            continue;
        if (c->op == WN_CHANGE_RENAME) {
            char *path = picker_full_path(ed->picker, c->entry.path);
            free(b->path);
            b->path = path;
            file_stamp_now(path, &b->stamp);
        } else if (c->op == WN_CHANGE_REMOVE) {
            /* The projhost keeps the document (guests may hold it too): ours to save
             * where it was, or elsewhere (Alt-W), no longer the session's file. */
            b->file_id = 0;
            b->modified = true;
            collab_notice(&h->c, true, "%s was deleted: its text stays open here; Ctrl-S "
                          "writes it again.", b->path);
        }
    }
    if (ed->prompt.kind == PROMPT_PICK)
        picking_changed(ed);
    h->c.ui.redraw = true;
}

/* The file changed on disk and the projhost merged it in: the disk is what our buffer
 * was last loaded from now, so a Ctrl-S does not ask about "changed on disk". */
static void on_disk_merged(void *ctx, uint64_t file)
{
    struct host_dir *h = ctx;
    struct buffer *b = editor_find_file(&h->c.ed, file);
    if (b)
        file_stamp_now(b->path, &b->stamp);
}

static void on_listed(void *ctx, uint64_t file, const char *path, size_t len)
{
    (void)file;
    struct host_dir *h = ctx;
    picker_add(h->c.ed.picker, path, len);
}

static void on_listed_all(void *ctx)
{
    struct host_dir *h = ctx;
    h->c.ed.picker->complete = true;
    if (h->c.ed.prompt.kind == PROMPT_PICK)
        picking_changed(&h->c.ed);
    h->c.ui.redraw = true;
}

/* A guest's Ctrl-S of a file the host has open: saved as the host's Ctrl-S would, except
 * that a file changed on disk is not overwritten on a guest's word. */
static bool on_guest_save(void *ctx, uint64_t guest, uint64_t file)
{
    struct host_dir *h = ctx;
    struct editor *ed = &h->c.ed;
    struct buffer *b = editor_find_file(ed, file);
    if (!b)
        return false;
    const wn_presence *who = session_find(&h->c.sess, guest);
    const char *name = who ? who->name : "a guest";
    char text[sizeof ed->msg + 64];
    if (file_changed(b->path, &b->stamp)) {
        snprintf(text, sizeof text, "Not saved: %s changed on disk since it was opened; "
                 "the host decides whether to overwrite it.", b->path);
        wn_host_file_saved(h->hs.host, guest, file, false, text);
        collab_notice(&h->c, true, "%s asked to save %s, but it changed on disk: show it "
                      "and press Ctrl-S to decide.", name, b->path);
        return true;
    }
    struct buffer *shown = ed->buf;
    ed->buf = b; /* editor_save() saves the buffer shown */
    bool ok = editor_save(ed, true);
    if (ok) {
        projhost_saved(h->ph, file);
        wn_host_notice(h->hs.host, ed->msg);
    }
    ed->buf = shown;
    wn_host_file_saved(h->hs.host, guest, file, ok, ed->msg);
    collab_notice(&h->c, !ok, "%s asked to save. %s", name, ed->msg);
    ed->msg[0] = '\0';
    return true;
}

/* Someone moved or joined: the people list (and whose cursor shows in which file) again. */
static void on_presence(void *ctx)
{
    struct host_dir *h = ctx;
    collab_take_people(&h->c, h->hs.host);
}

/* What the projhost and hosting say: a notice (the projhost's log lines, joins among
 * them, so the list of people is taken again). */
static void say(void *ctx, bool error, const char *text)
{
    struct host_dir *h = ctx;
    if (!h->c.ed.bufs) { /* before the editor: the terminal is still the shell's */
        fprintf(stderr, "weft host: %s\n", text);
        return;
    }
    collab_notice(&h->c, error || !strncmp(text, "refus", 5) || !strncmp(text, "cannot", 6),
                  "%s", text);
    if (h->hs.host)
        collab_take_people(&h->c, h->hs.host);
}

static bool held_by_editor(void *ctx, uint64_t file)
{
    return editor_find_file(&((struct host_dir *)ctx)->c.ed, file) != NULL;
}

/* Quitting the editor ends the session: what only guests edited is saved (the editor asked
 * about its own files), the guests are told, and whether everything was saved. A signal or
 * a hang-up is no decision to end it: nothing is saved on its account, and the guests,
 * not told, reconnect as after a crash. */
static void stop(struct collab *c, void (*done)(void *), void *data)
{
    struct host_dir *h = (struct host_dir *)c;
    hosting_stop_timer(&h->hs);
    projhost_stop(h->ph);
    if (c->ui.stopped) {
        wn_host_stop(h->hs.host, done, data);
        return;
    }
    projhost_save_unheld(h->ph, held_by_editor, h);
    wn_host_end(h->hs.host, WN_END_QUIT,
                !editor_any_modified(&c->ed) && projhost_dirty(h->ph) == 0, done, data);
}

/* --- start ---------------------------------------------------------------------------- */

static int start(struct host_dir *h)
{
    struct collab *c = &h->c;
    if (projhost_start(h->ph, &c->loop) != 0)
        return 1;
    return collab_show_tickets(c, &h->hs);
}

static int run(struct host_dir *h, bool line_numbers, bool mouse)
{
    struct collab *c = &h->c;
    const char *dir = h->hs.o.file;
    char err[1024];
    if (ui_check_terminal(err, sizeof err) != 0) {
        fprintf(stderr, "weft: %s\n", err);
        return 1;
    }
    const struct projhost_events ev = {
        .doc_changed = on_doc_changed, .tree_changed = on_tree_changed,
        .listed = on_listed, .listed_all = on_listed_all, .save = on_guest_save,
        .presence = on_presence, .disk_merged = on_disk_merged, .ctx = h,
    };
    /* The editor first: the first batch of the walk goes straight into its picker. */
    ui_set_locale();
    wf_set_oom_hook(term_oom_hook);
    signal(SIGPIPE, SIG_IGN);
    editor_open_project(&c->ed, dir);
    int status = projhost_new(dir, &h->hs, &ev, &h->ph);
    if (status >= 0) {
        editor_close(&c->ed);
        return status;
    }
    projtree_install(h->ph);
    projwatch_install(h->ph);
    if (collab_host_begin(c, &ops, &h->hs, line_numbers, mouse) != 0)
        return 1;
    c->sess.project = true;
    c->stop = stop;
    status = start(h);
    if (status == 0) {
        char summary[256];
        projhost_summary(h->ph, summary, sizeof summary);
        collab_notice(c, false, "Sharing %s (%s%s): Ctrl-P opens a file, Ctrl-T shows the "
                      "join tickets.", dir, summary, c->ed.picker->complete ? "" : " so far");
        picking_changed(&c->ed);
        status = collab_run(c);
    } else {
        hosting_stop_timer(&h->hs);
        projhost_stop(h->ph);
        if (h->hs.host)
            wn_host_stop(h->hs.host, NULL, NULL);
        uv_run(&c->loop, UV_RUN_DEFAULT);
        uv_loop_close(&c->loop);
    }
    session_close(&c->sess);
    editor_close(&c->ed); /* before the projhost: the buffers borrow its documents */
    return status;
}

int host_dir(const struct hosting_options *o, bool line_numbers, bool mouse)
{
    int status = hosting_dir_check("weft host", o);
    if (status >= 0)
        return status;
    /* Static: zeroed, and it outlives every handle on its loop. */
    static struct host_dir h;
    h.hs.say = say;
    h.hs.ctx = &h;
    status = hosting_begin(&h.hs, "weft host", o);
    if (status < 0)
        status = run(&h, line_numbers, mouse);
    hosting_end(&h.hs, true);
    projhost_free(h.ph);
    return status;
}
