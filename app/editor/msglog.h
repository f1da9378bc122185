/* The message log: the last MSGLOG_MAX messages shown in the status line (the editor's and
 * the session's), kept whole, for the screen that shows them (the status line may have had
 * to shorten them). The same message repeated in a row is one entry with a count. */
#ifndef WEFT_APP_EDITOR_MSGLOG_H
#define WEFT_APP_EDITOR_MSGLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define MSGLOG_MAX 100

struct msglog_entry {
    char *text;      /* owned, NUL-terminated UTF-8 */
    time_t when;     /* when it was last shown (wall clock) */
    unsigned count;  /* times shown in a row, >= 1 */
    bool error;      /* it reported a failure */
};

/* Caller's storage; zero-initialised is an empty log. Free with msglog_close(). */
struct msglog {
    struct msglog_entry e[MSGLOG_MAX]; /* a ring: the oldest at first */
    size_t first;                      /* index of the oldest entry */
    size_t n;                          /* entries in use */
};

void msglog_close(struct msglog *log);
/* Adds text (copied) shown at when; the oldest entry goes when the log is full. An empty
 * text is not logged. */
void msglog_add(struct msglog *log, time_t when, bool error, const char *text);
/* Entries in the log. */
size_t msglog_count(const struct msglog *log);
/* Entry i, 0 the oldest. Borrowed: valid until the next msglog_add(). */
const struct msglog_entry *msglog_get(const struct msglog *log, size_t i);

/* The log as screen lines wrapped to width columns, oldest first: each entry starts with
 * its time ("14:03:07  "), continues indented under its text, and ends with the count
 * ("(3 times)") when repeated. */
struct msglog_line {
    char *text;      /* owned */
    bool error;      /* from an entry that reported a failure */
};
struct msglog_lines {
    struct msglog_line *v; /* owned */
    size_t n;
};
/* Fills *out (caller's storage) with new lines; free with msglog_lines_free(). */
void msglog_lines(const struct msglog *log, int width, struct msglog_lines *out);
void msglog_lines_free(struct msglog_lines *out);

#endif
