/* Ctrl-P, the file picker on screen, and the keys that switch between open files.
 *
 * The picker is a prompt (PROMPT_PICK): its text is the query; the list of matches
 * (ed->picker, picker.h) is drawn above it by app/ui/pickview.c. Up/Down/PgUp/PgDn choose,
 * Enter opens the chosen file (or shows it, when it is open already), Esc closes. Without a
 * project (weft FILE), Ctrl-P says how to get one. */
#ifndef WEFT_APP_EDITOR_PICKING_H
#define WEFT_APP_EDITOR_PICKING_H

#include "app/editor/editor.h"
#include "app/editor/keys.h"

/* Rows of matches the picker shows at most (fewer on a small screen). */
#define PICKING_ROWS 10

/* Ctrl-P: opens the picker on the project's files. */
void picking_open(struct editor *ed);
/* A key on the picker's prompt that is not text editing. */
void picking_key(struct editor *ed, const struct keyev *ev);
/* The query changed: the matches follow. */
void picking_changed(struct editor *ed);
/* Alt-, / Alt-.: shows the file opened before / after the one shown (wrapping), and says
 * which it is ("2 of 3: src/main.c"). */
void picking_cycle(struct editor *ed, int dir);

#endif
