/* Syntax colours on the screen: the ncurses attributes of a syntax style, and keeping a
 * buffer's highlighter (app/editor/highlight.h) in step with its document and catching up
 * when the editor is idle.
 *
 * The highlighter is told of every change, whoever made it (typing, paste, undo, replace, a
 * peer's update), from one place: before each frame and each idle step, paint_sync() asks
 * the document for the lowest position changed since the last time
 * (wf_doc_take_lowest_change) and forgets the cached states from that line down. Nothing
 * in the edit paths has to remember to do it. */
#ifndef WEFT_APP_UI_PAINT_H
#define WEFT_APP_UI_PAINT_H

#include <stdbool.h>
#include <stddef.h>

#include "app/editor/buffer.h"
#include "app/editor/colour.h"

/* Brings b's highlighter up to date with b's document (nothing when b has none). */
void paint_sync(struct buffer *b);

/* ncurses attributes for style s under scheme at the terminal's depth: a
 * colour pair made on demand (foreground only, default background), bold, italic; A_NORMAL
 * for SYN_STYLE_NONE, on a terminal without colours, with NO_COLOR, or when the terminal
 * has no pair left. */
unsigned paint_attr(syn_style s, enum syn_scheme scheme);

/* One step of background work for a screen whose first line is top: when the highlighter
 * estimated the states there (a jump far down), extends its exact cache by a bounded step
 * (a few ms). Sets *redraw when the truth now reaches the screen. Returns true when another
 * step is wanted. */
bool paint_idle(struct buffer *b, size_t top, bool *redraw);

#endif
