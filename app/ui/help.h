/* The F1 help screen's text: every key binding with what it does, generated from the key
 * tables (app/editor/keymap.h) and wrapped to the screen's width, so nothing is ever cut off. */
#ifndef WEFT_APP_UI_HELP_H
#define WEFT_APP_UI_HELP_H

#include <stddef.h>

/* The help lines for a screen `width` columns wide (clamped to 20..200); *n receives their
 * count. Borrowed: valid until the next call. ASCII only, so bytes are columns. */
const char *const *help_lines(int width, size_t *n);
/* A paragraph shown under the introduction (how syntax colours stand: none installed, or
 * turned off), or NULL for none; copied. The next help_lines() rebuilds when it changed. */
void help_set_note(const char *note);

#endif
