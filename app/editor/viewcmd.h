/* The view's commands of issue 14: jump to the matching bracket (Alt-]), jump to a
 * participant's cursor once (Alt-J, with its chooser), soft wrap on or off (Alt-S). The
 * command table (app/editor/commands.c) runs them. */
#ifndef WEFT_APP_EDITOR_VIEWCMD_H
#define WEFT_APP_EDITOR_VIEWCMD_H

#include "app/editor/editor.h"
#include "app/editor/keys.h"

/* Alt-]: the cursor to the bracket matching the one at it (or just before it); a message
 * when there is no bracket or no match within BRACKET_BUDGET (app/editor/bracket.h). */
void viewcmd_bracket(struct editor *ed);
/* Alt-J: opens the chooser (PROMPT_JUMP; ed->follow_pick is the highlighted one), or says
 * why not (alone, nobody else, nobody's cursor known). */
void viewcmd_jump(struct editor *ed);
/* A key in the chooser: Tab, Shift-Tab and the arrows choose, Enter puts our cursor on the
 * chosen participant's (and shows it, centred when off screen), Esc cancels. */
void viewcmd_jump_key(struct editor *ed, const struct keyev *ev);
/* Alt-S: soft wrap on or off for the buffer shown (a message says which). */
void viewcmd_softwrap(struct editor *ed);

#endif
