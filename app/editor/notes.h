/* Messages for people collected while reading files (syntax files, the settings file), for
 * the editor to show once it has a screen.
 *
 * A list with a limit: past `max` messages, the last one is replaced by "... and N more
 * problems with <what>", so a file of junk cannot flood the screen or the memory. */
#ifndef WEFT_APP_EDITOR_NOTES_H
#define WEFT_APP_EDITOR_NOTES_H

#include <stddef.h>

/* Caller's storage: notes_init(), then notes_free(). */
struct notes {
    char **text;      /* owned, n used, oldest first */
    size_t n, cap;
    size_t max;       /* most kept, >= 1 */
    size_t dropped;   /* messages past max */
    const char *what; /* what they are about, for the summary line (static) */
};

void notes_init(struct notes *notes, size_t max, const char *what);
void notes_free(struct notes *notes);
/* Adds a message (printf format). */
void notes_add(struct notes *notes, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
