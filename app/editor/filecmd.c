/* Alt-O, F6 and F8 in a project (see filecmd.h). */
#include "app/editor/filecmd.h"

#include <string.h>

#include "app/editor/picker.h"
#include "app/editor/prompt.h"
#include "app/editor/session.h"

/* The session's project, or NULL with a message saying why there is none. */
static struct session *project_of(struct editor *ed, const char *what)
{
    struct session *s = ed->session;
    if (s && s->project && s->ops && s->ops->tree)
        return s;
    editor_message(ed, false, "%s works on the files of a shared project (weft host DIR, or "
                   "weft join of one).", what);
    return NULL;
}

/* The shown file's path in the project (borrowed from its buffer), or NULL with a message:
 * it is not one of the session's files. */
static const char *shown_rel(struct editor *ed, const char *what)
{
    const struct buffer *b = ed->buf;
    size_t n = ed->picker ? strlen(ed->picker->root) : 0;
    if (!b->file_id || !ed->picker || strncmp(b->path, ed->picker->root, n) != 0
        || b->path[n] != '/') {
        editor_message(ed, false, "%s works on a file of the session: this one is not (Ctrl-P "
                       "opens one).", what);
        return NULL;
    }
    return b->path + n + 1;
}

void filecmd_new(struct editor *ed)
{
    if (project_of(ed, "Alt-O (new file)"))
        prompt_open(&ed->prompt, PROMPT_NEW_FILE, NULL, 0);
}

void filecmd_rename(struct editor *ed)
{
    const char *rel;
    if (project_of(ed, "F6 (rename)") && (rel = shown_rel(ed, "F6 (rename)")))
        prompt_open(&ed->prompt, PROMPT_RENAME, rel, strlen(rel));
}

void filecmd_delete(struct editor *ed)
{
    const char *rel;
    if (project_of(ed, "F8 (delete)") && (rel = shown_rel(ed, "F8 (delete)"))) {
        prompt_open(&ed->prompt, PROMPT_DELETE, NULL, 0);
        editor_message(ed, true, "Delete %s for everyone?", rel);
    }
}

bool filecmd_text_prompt(int kind)
{
    return kind == PROMPT_NEW_FILE || kind == PROMPT_RENAME;
}

/* The request for the prompt's answer. */
static void answer(struct editor *ed, int kind)
{
    struct session *s = ed->session;
    char text[PROMPT_MAX + 1];
    memcpy(text, ed->prompt.text, ed->prompt.len + 1);
    size_t n = ed->prompt.len;
    if (kind == PROMPT_NEW_FILE) {
        bool dir = n > 1 && text[n - 1] == '/';
        if (dir)
            text[n - 1] = '\0';
        s->ops->tree(s->ctx, dir ? SESSION_TREE_MKDIR : SESSION_TREE_CREATE, 0, text, NULL);
    } else if (kind == PROMPT_RENAME) {
        s->ops->tree(s->ctx, SESSION_TREE_RENAME, ed->buf->file_id, NULL, text);
    } else {
        s->ops->tree(s->ctx, SESSION_TREE_DELETE, ed->buf->file_id, NULL, NULL);
    }
}

void filecmd_key(struct editor *ed, const struct keyev *ev)
{
    int kind = ed->prompt.kind;
    bool cancel = ev->code == K_ESC || (ev->mods == MOD_CTRL && ev->code == 'c');
    if (kind == PROMPT_DELETE) {
        bool yes = !ev->mods && (ev->code == 'y' || ev->code == 'Y');
        prompt_close(&ed->prompt);
        if (yes && project_of(ed, "F8 (delete)"))
            answer(ed, kind);
        else
            editor_message(ed, false, "Not deleted.");
        return;
    }
    if (cancel) {
        prompt_close(&ed->prompt);
        return;
    }
    if (ev->code != K_ENTER || ed->prompt.len == 0)
        return;
    prompt_close(&ed->prompt);
    if (project_of(ed, kind == PROMPT_NEW_FILE ? "Alt-O (new file)" : "F6 (rename)"))
        answer(ed, kind);
}
