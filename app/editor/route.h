/* The input router: one decoded input event (app/editor/keys.h) to the screen shown, the
 * prompt, a command or typing, and afterwards the session told (session_update).
 *
 * This is the top of the editor room: it calls the commands, edits and moves, which call
 * the editor state (editor.h) below them, never back up. */
#ifndef WEFT_APP_EDITOR_ROUTE_H
#define WEFT_APP_EDITOR_ROUTE_H

#include "app/editor/editor.h"
#include "app/editor/keys.h"

/* Routes one input event to the help screen, the messages screen, the tickets screen, the
 * prompt or a command. Afterwards, modified says whether the text differs from the file's:
 * it is exact for our own edits (undoing back to the saved text clears it, redoing sets it
 * again), by the undo position, never by comparing text; once others edited (a host's
 * guests) or the document was replaced, it stays set until the next save. A guest does not
 * count the host's edits (the file is the host's). Then hands new local edits and our
 * presence to the session (session_update). */
void editor_event(struct editor *ed, const struct keyev *ev);

#endif
