/* The Ctrl-P picker's list of matches, drawn over the bottom rows of the text (ncurses):
 * the selected one reversed, the matched characters bold and underlined. */
#ifndef WEFT_APP_UI_PICKVIEW_H
#define WEFT_APP_UI_PICKVIEW_H

#include "app/editor/editor.h"

/* Draws ed->picker's matches on the rows just above row bottom (the status line), at most
 * PICKING_ROWS and never more than the text area has; keeps the selection in view. */
void pickview_draw(struct editor *ed, int bottom, int cols);

#endif
