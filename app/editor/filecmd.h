/* The tree of a shared project from the editor: Alt-O makes a file (a path ending in '/'
 * makes a directory), F6 renames or moves the file shown, F8 deletes it. Each is a request
 * to the session's host (session_ops.tree), which checks it against what is shared, does
 * it on disk and tells everyone; the answer comes back as a message, and a file made this
 * way opens. Outside a shared project (weft FILE, weft DIR alone) they say where they work. */
#ifndef WEFT_APP_EDITOR_FILECMD_H
#define WEFT_APP_EDITOR_FILECMD_H

#include <stdbool.h>

#include "app/editor/editor.h"
#include "app/editor/keys.h"

void filecmd_new(struct editor *ed);
void filecmd_rename(struct editor *ed);
void filecmd_delete(struct editor *ed);
/* Whether kind is one of these prompts whose answer is text (new, rename). */
bool filecmd_text_prompt(int kind);
/* A key on one of these prompts that is not text editing (Enter, Esc, y/n). */
void filecmd_key(struct editor *ed, const struct keyev *ev);

#endif
