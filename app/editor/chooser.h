/* The participant chooser on the prompt line (Ctrl-O follow, Alt-J jump): who is
 * highlighted (ed->follow_pick) and what a key does to it. Drawn by app/ui/draw.c. */
#ifndef WEFT_APP_EDITOR_CHOOSER_H
#define WEFT_APP_EDITOR_CHOOSER_H

#include <stdbool.h>
#include <stddef.h>

#include "app/editor/editor.h"
#include "app/editor/keys.h"

enum chooser_step { CHOOSER_CANCEL, CHOOSER_MOVE, CHOOSER_PICK };

/* Opens prompt kind on the first participant; false, with a message ("there is nobody to
 * <what>"), when alone or nobody else is here. */
bool chooser_open(struct editor *ed, int kind, const char *what);
/* What key ev does in a chooser of n entries: Esc, Ctrl-C, Ctrl-Q cancel (the prompt is
 * closed); Enter picks ed->follow_pick (the prompt is closed); Tab, the arrows, Shift-Tab
 * and `again` (the key that opened it, or 0) move the highlight. */
enum chooser_step chooser_key(struct editor *ed, const struct keyev *ev, size_t n,
                              uint32_t again, unsigned again_mods);

#endif
