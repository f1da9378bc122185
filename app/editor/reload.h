/* The file changed on disk under the editor: reloading it, or asking.
 *
 * When the file edited (ours: alone or hosting, not a guest's) no longer matches the stamp
 * of its last load or save, and the buffer has no unsaved edits, it is reloaded at once;
 * with unsaved edits, the prompt asks: r reload (yours are replaced, and undo brings them
 * back), k keep mine (the next save overwrites the disk's version), b both (yours stay in
 * the editor, the disk's version is copied beside the file as FILE.weft-disk to compare;
 * the next save overwrites FILE).
 *
 * A reload is one edit and one undo step that replaces only what differs: the text
 * between the longest common start and the longest common end of the two versions, so
 * the cursors and views of everyone in the session stay where they were outside it.
 *
 * When it looks (a stat; cheap): on focus-in, after each input event at most once per
 * RELOAD_CHECK_MS, and before a save (editor_save asks then). A file that was removed is
 * not reloaded: the text stays, and Ctrl-S asks before writing it again. */
#ifndef WEFT_APP_EDITOR_RELOAD_H
#define WEFT_APP_EDITOR_RELOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "app/editor/editor.h"

#define RELOAD_CHECK_MS 1000
#define RELOAD_SIDE_SUFFIX ".weft-disk"

/* Looks at the file on disk (always when now, else at most once per RELOAD_CHECK_MS by
 * ed->clock; never without a clock unless now) and reloads or asks. */
void reload_check(struct editor *ed, bool now);
/* A key in PROMPT_RELOAD. */
void reload_key(struct editor *ed, const struct keyev *ev);

/* Replaces the document's text with text[0..n) as one undo step, changing only the part
 * between their common start and end (whole units). Returns 0 or a WF_E* code. */
WF_MUST_CHECK int reload_replace_text(wf_doc *doc, const char *text, size_t n);

#endif
