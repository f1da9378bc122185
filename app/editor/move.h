/* Cursor movement commands, with and without selecting.
 *
 * Horizontal moves step by grapheme cluster (a line break is one step), vertical moves keep
 * a goal display column across short lines, and every move ends the current undo step
 * (wf_doc_undo_break), so typing after a jump is undone separately. */
#ifndef WEFT_APP_EDITOR_MOVE_H
#define WEFT_APP_EDITOR_MOVE_H

#include <stdbool.h>

#include "app/editor/editor.h"
#include "app/editor/keymap.h"

/* True for CMD_LEFT .. CMD_SEL_DOC_END. */
bool move_is_motion(enum cmd c);
/* Runs a motion command (a CMD_SEL_* twin extends the selection). */
void move_run(struct editor *ed, enum cmd c);
/* Moves the cursor to the text at screen cell (row, col) of the text area. */
void move_to_cell(struct editor *ed, int row, int col, bool select);
/* Moves to line (0-based) and cluster column (0-based), clamped; centres it on screen. */
void move_to_line(struct editor *ed, size_t line, size_t column);

#endif
