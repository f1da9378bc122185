/* `weft DIR` alone: a directory opened as a project without a network. Its files (those the
 * project filter shares, app/project/filter.h: the same a guest would see) fill the Ctrl-P
 * picker, and the editor starts on an empty scratch buffer with the picker open. */
#ifndef WEFT_APP_EDITOR_DIR_H
#define WEFT_APP_EDITOR_DIR_H

#include <stddef.h>

#include "app/editor/editor.h"
#include "core/error.h"

/* Files listed per step of the walk. */
#define DIR_WALK_BATCH 512

/* Starts ed (initialised like editor_open(): release with editor_close()) on a project
 * rooted at root whose files come later (picker_add() on ed->picker, as a host's walk or a
 * guest's manifest yields them): an empty picker, the scratch buffer, the picker open. */
void editor_open_project(struct editor *ed, const char *root);

/* Turns ed, open on one empty buffer (a guest's before it knew what the host shares), into
 * a project's as editor_open_project() starts one: that buffer becomes the scratch buffer,
 * an empty picker rooted at root opens. */
void editor_become_project(struct editor *ed, const char *root);

/* Opens the directory dir into ed (which editor_open_dir() initialises like editor_open():
 * release with editor_close()). Lists its shared files into ed->picker, starts a scratch
 * buffer (Ctrl-S on it asks where to save) and opens the picker. Returns 0, or -errno with
 * a message for people in err (what, why, what to do). */
WF_MUST_CHECK int editor_open_dir(struct editor *ed, const char *dir, char *err,
                                  size_t errsize);

#endif
