/* `weft DIR` alone (see dir.h). */
#include "app/editor/dir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/agent.h"
#include "app/editor/picker.h"
#include "app/editor/picking.h"
#include "app/project/walk.h"
#include "core/mem.h"

/* Lists f's shared files into p. Returns 0 or -errno. */
static int list_files(proj_filter *f, struct picker *p)
{
    proj_walk *w;
    int e = proj_walk_new(f, &w);
    if (e)
        return e;
    struct proj_entry *batch = wf_xcalloc(DIR_WALK_BATCH, sizeof *batch);
    size_t n;
    while ((e = proj_walk_next(w, batch, DIR_WALK_BATCH, &n)) == 0 && n > 0)
        for (size_t i = 0; i < n; i++)
            if (batch[i].kind == PROJ_KIND_FILE)
                picker_add(p, batch[i].path, batch[i].len);
    free(batch);
    proj_walk_free(w);
    p->complete = e == 0;
    return e;
}

/* A picker rooted at root (trailing slashes dropped). Free with picker_free(), free(). */
static struct picker *new_picker(const char *root)
{
    size_t dn = strlen(root);
    while (dn > 1 && root[dn - 1] == '/')
        dn--;
    char *r = wf_xstrndup(root, dn);
    struct picker *p = wf_xmalloc(sizeof *p);
    picker_init(p, r);
    free(r);
    return p;
}

void editor_open_project(struct editor *ed, const char *root)
{
    struct picker *p = new_picker(root);
    char *scratch = picker_full_path(p, "untitled.txt");
    editor_open_doc(ed, wf_doc_new(agent_random()), scratch, NULL);
    free(scratch);
    ed->buf->scratch = true;
    ed->picker = p;
    picking_open(ed);
}

void editor_become_project(struct editor *ed, const char *root)
{
    struct picker *p = new_picker(root);
    char *scratch = picker_full_path(p, "untitled.txt");
    free(ed->buf->path);
    ed->buf->path = scratch;
    free(ed->buf->title);
    ed->buf->title = NULL;
    ed->buf->scratch = true;
    if (ed->picker) {
        picker_free(ed->picker);
        free(ed->picker);
    }
    ed->picker = p;
    picking_open(ed);
}

int editor_open_dir(struct editor *ed, const char *dir, char *err, size_t errsize)
{
    struct proj_filter_options opt;
    proj_filter_options_from_env(&opt);
    proj_filter *f;
    int e = proj_filter_open(dir, &opt, &f);
    if (e) {
        snprintf(err, errsize, "cannot open the directory %s: %s.\nCheck the path and its "
                 "permissions.", dir, strerror(-e));
        return e;
    }
    editor_open_project(ed, dir);
    e = list_files(f, ed->picker);
    proj_filter_free(f);
    if (e) {
        snprintf(err, errsize, "cannot list the directory %s: %s.\nCheck its permissions.",
                 dir, strerror(-e));
        editor_close(ed);
        return e;
    }
    picking_changed(ed); /* the list is complete now */
    return 0;
}
