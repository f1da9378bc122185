/* Participants whose cursors are above or below the screen, shown at its edge: a tag like
 * "ben ↑ 40" at the right end of the first text row for those above, "ben ↓ 900" on the
 * last text row for those below (the number is the line their cursor is on, 1-based, as
 * Ctrl-G takes it). Nearest first, from the right; a tag that does not fit whole is left
 * out (the status line lists everyone anyway). Pure: app/ui/draw.c draws the answer. */
#ifndef WEFT_APP_UI_EDGE_H
#define WEFT_APP_UI_EDGE_H

#include <stdbool.h>
#include <stddef.h>

#include "net/presence.h" /* WN_NAME_MAX */

struct edge_person {
    const char *name;   /* borrowed */
    unsigned colour;    /* palette index */
    size_t line;        /* 0-based line of their cursor */
};

struct edge_tag {
    char text[WN_NAME_MAX + 32]; /* " ben ↑ 40 " (UTF-8, a blank either side) */
    unsigned colour;
    int col;                     /* first column, 0-based within the text area */
    int width;                   /* display columns */
};

/* The tags for one edge: above (people on lines before first) or below (after last, the
 * last line shown), in cols columns; at most max. Returns how many were written. */
size_t edge_tags(const struct edge_person *p, size_t n, size_t first, size_t last, bool above,
                 int cols, struct edge_tag *out, size_t max);

#endif
