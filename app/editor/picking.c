/* Ctrl-P and switching between open files (see picking.h). */
#include "app/editor/picking.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/picker.h"
#include "app/editor/prompt.h"

void picking_open(struct editor *ed)
{
    if (!ed->picker) {
        editor_message(ed, false, "Ctrl-P opens the files of a project: start weft with a "
                       "directory (weft DIR).");
        return;
    }
    prompt_open(&ed->prompt, PROMPT_PICK, NULL, 0);
    picking_changed(ed);
}

void picking_changed(struct editor *ed)
{
    int e = picker_query(ed->picker, ed->prompt.text, ed->prompt.len);
    if (e == -E2BIG)
        editor_message(ed, true, "The query is too long (at most %d characters).",
                       PROJ_FUZZY_QUERY_MAX);
    else if (e)
        editor_message(ed, true, "Not enough memory to search the file names.");
    else if (ed->picker->nhits == 0)
        editor_message(ed, false, "No file matches (%zu files%s).", ed->picker->n,
                       ed->picker->complete ? "" : " so far");
    else
        snprintf(ed->msg, sizeof ed->msg, "%s%zu of %zu files%s",
                 ed->picker->nhits == PICKER_HITS ? "the best " : "", ed->picker->nhits,
                 ed->picker->n, ed->picker->complete ? "" : " so far");
}

/* Opens or shows the chosen file; the picker closes either way. */
static void pick(struct editor *ed)
{
    const char *rel = picker_selected(ed->picker);
    if (!rel)
        return;
    char *path = picker_full_path(ed->picker, rel);
    prompt_close(&ed->prompt);
    char err[1024];
    struct buffer *was = ed->buf;
    const struct session *s = ed->session;
    if (s && s->project && s->ops && s->ops->open_file && s->ops->open_file(s->ctx, rel)) {
        /* the session's file: shown now (the host) or once it arrives (a guest) */
        if (was != ed->buf && was->scratch && !was->modified)
            editor_forget_buffer(ed, was);
    } else if (editor_open_another(ed, path, err, sizeof err) != 0) {
        for (char *nl = strchr(err, '\n'); nl; nl = strchr(nl, '\n'))
            *nl = ' ';
        editor_message(ed, true, "%s", err);
    } else if (was != ed->buf && was->scratch && !was->modified) {
        editor_forget_buffer(ed, was); /* weft DIR's empty buffer has served its purpose */
    }
    free(path);
}

void picking_key(struct editor *ed, const struct keyev *ev)
{
    struct picker *p = ed->picker;
    switch (ev->code) {
    case K_UP: picker_move(p, -1); break;
    case K_DOWN: picker_move(p, 1); break;
    case K_PGUP: picker_move(p, -PICKING_ROWS); break;
    case K_PGDN: picker_move(p, PICKING_ROWS); break;
    case K_ENTER: pick(ed); break;
    case K_ESC: prompt_close(&ed->prompt); break;
    default:
        if (ev->mods == MOD_CTRL && (ev->code == 'c' || ev->code == 'p'))
            prompt_close(&ed->prompt);
    }
}

void picking_cycle(struct editor *ed, int dir)
{
    if (ed->nbufs < 2) {
        editor_message(ed, false, "Only one file is open%s.",
                       ed->picker ? " (Ctrl-P opens another)" : "");
        return;
    }
    size_t i = editor_shown(ed);
    i = dir < 0 ? (i + ed->nbufs - 1) % ed->nbufs : (i + 1) % ed->nbufs;
    editor_show_buffer(ed, i);
    const char *name = ed->buf->path;
    size_t r = ed->picker ? strlen(ed->picker->root) : 0;
    if (r && strncmp(name, ed->picker->root, r) == 0 && name[r] == '/')
        name += r + 1;
    editor_message(ed, false, "%zu of %zu: %s", i + 1, ed->nbufs, name);
}
