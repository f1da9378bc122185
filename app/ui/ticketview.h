/* The rows of the Ctrl-T screen: the session's tickets, each whole on a row of its own so
 * that it can be copied in one piece. A line "LABEL: TICKET" that fits the width stays one
 * row; one that does not puts its label on a row and the ticket on the next; a ticket
 * wider than the screen is scrolled sideways when drawn (app/ui/draw.c), never broken.
 * Tickets are ASCII (URLs), so bytes are columns. Nothing here allocates. */
#ifndef WEFT_APP_UI_TICKETVIEW_H
#define WEFT_APP_UI_TICKETVIEW_H

#include <stdbool.h>
#include <stddef.h>

struct ticket_row {
    const char *text; /* borrowed from the ticket lines */
    size_t len;       /* bytes (= columns) */
    bool label;       /* a label on its own ("read-write:"), drawn bold */
};

/* Lays out lines[0..n) ("LABEL: TICKET", or a bare ticket) for a screen cols wide; writes
 * at most max rows to out and returns how many. */
size_t ticketview_rows(char *const *lines, size_t n, int cols, struct ticket_row *out,
                       size_t max);

#endif
