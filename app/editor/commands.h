/* Running commands: the table from enum cmd (app/editor/keymap.h) to the functions that do them,
 * and the answers to prompts (find, go to line, quit, overwrite). */
#ifndef WEFT_APP_EDITOR_COMMANDS_H
#define WEFT_APP_EDITOR_COMMANDS_H

#include "app/editor/editor.h"
#include "app/editor/keymap.h"

void commands_run(struct editor *ed, enum cmd c);

/* Handles a key while a prompt is open (the prompt has already taken text keys). */
void commands_prompt_key(struct editor *ed, const struct keyev *ev);
/* Called after the prompt's text changed (incremental find). */
void commands_prompt_changed(struct editor *ed);

#endif
