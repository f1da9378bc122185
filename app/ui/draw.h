/* Drawing the editor with ncurses: the visible lines, the status line, the help bar or the
 * prompt, and the F1 help screen.
 *
 * A redraw reads only the lines on screen (app/editor/text.h, app/editor/layout.h) and leaves it to
 * ncurses to send the terminal just the cells that changed; app/ui/input.c calls it at most
 * once per loop turn. Screen layout: text rows (with the other participants' cursors,
 * selections and names in a shared session), then a status line (app/ui/status.h), then the
 * help bar or the prompt; or, instead, the F1 help, the Alt-M messages or the Ctrl-T
 * tickets screen (each ticket whole on a row, app/ui/ticketview.h). After Ctrl-L
 * (ed->redraw_all) the whole terminal is repainted. */
#ifndef WEFT_APP_UI_DRAW_H
#define WEFT_APP_UI_DRAW_H

#include "app/editor/editor.h"

/* Draws everything and updates the terminal. */
void draw_screen(struct editor *ed);
/* Background work for the screen while idle (syntax colours catching up after a jump far
 * down: app/ui/paint.h); sets *redraw when the screen should be drawn again. Returns true
 * while more steps are wanted. */
bool draw_idle(struct editor *ed, bool *redraw);

#endif
