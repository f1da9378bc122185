/* The status line's content, composed without curses so that tests can read it: pieces of
 * text with their columns and styles, which app/ui/draw.c puts on the screen.
 *
 * Left: the file's name (a guest: the host's session) and [modified], then the message of
 * the moment (a message that does not fit beside the name takes its place, and the right
 * side gives it what it may drop, as below, if that shows all of it, else the
 * participants; one that still does not fit is cut after its last whole word, with an
 * ellipsis and the key that shows the messages whole, "Alt-M"). Right, from
 * left to right: "following NAME", the other participants as tags in their colours (a
 * pencil mark while they type), the link (a guest: connecting..., online with a check mark
 * when the host's digest matched, reconnecting or offline with the count of units the host
 * does not have yet, or "edits unsent" for deletions; a host: hosting), "read-only", then
 * the line and column. When the
 * line is narrow, the right side drops, in order: the participants' names (leaving their
 * initials, then a count), "following", "read-only", the link; the line and column stay. */
#ifndef WEFT_APP_UI_STATUS_H
#define WEFT_APP_UI_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "app/editor/editor.h"

enum status_style {
    STATUS_PLAIN,  /* the status line's own look */
    STATUS_BOLD,   /* messages, following */
    STATUS_ERROR,  /* a message that reports a failure */
    STATUS_PEER,   /* a participant's tag, in their colour */
};

struct status_part {
    char text[640];  /* UTF-8, NUL-terminated (a message, ed->msg, is shorter) */
    int col;         /* first column */
    int width;       /* display columns */
    uint8_t style;   /* enum status_style */
    uint8_t colour;  /* palette index, for STATUS_PEER */
};

#define STATUS_PARTS 40

/* Composes the status line for a screen cols wide (at least 20). Returns the number of
 * parts written to parts[0..max); they do not overlap and fit in cols. The editor's message
 * wins over the session's notice; notices expire by session_tick(). Changes nothing in the
 * editor but its cursor-column memo (ed->buf->view.colm). */
size_t status_compose(struct editor *ed, int cols, struct status_part *parts, size_t max);

/* The line as plain text (parts at their columns, blanks between), for tests. */
void status_text(const struct status_part *parts, size_t n, char *out, size_t size);

/* Display width of a UTF-8 string (grapheme clusters, app/editor/layout.h). */
int status_width(const char *s);

#endif
