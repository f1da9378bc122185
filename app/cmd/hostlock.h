/* One host per file: `weft host` and `weft serve` hold a lock on the file they share, so
 * that a second one cannot start a session beside the first (each saving over the other)
 * nor --discard the first one's journal.
 *
 * The lock is flock(2) on a file of the state directory named like the file's journal
 * (journal_lock_path()), held for as long as the process runs: the kernel drops it when
 * the process ends, however it ends (kill -9 included), so a crash never blocks the next
 * start and recovery goes on as before. The lock file holds, as text, the holder's pid, its
 * command and, once printed, its tickets, for the next comer to show:
 *
 *     pid 1234
 *     command weft serve
 *     read-write: weft://...            (the ticket lines, as printed)
 *
 * It is removed when the holder releases the lock; one left by a crash is taken over. */
#ifndef WEFT_APP_CMD_HOSTLOCK_H
#define WEFT_APP_CMD_HOSTLOCK_H

#include <stdbool.h>
#include <stddef.h>

typedef struct hostlock hostlock;

/* Who holds a file's lock, as its lock file says. */
typedef struct hostlock_holder {
    long pid;         /* 0 when it has not said yet */
    char command[32]; /* "weft serve", "weft host", or "" */
    char *tickets;    /* owned: its ticket lines, or NULL before it printed them */
} hostlock_holder;

void hostlock_holder_free(hostlock_holder *who);

#define HOSTLOCK_HELD 1 /* hostlock_take(): another process shares the file */

/* Takes the lock for sharing file (which need not exist), as command ("weft serve").
 * Returns 0 with *out (release with hostlock_release()); HOSTLOCK_HELD when another process
 * holds it, with *who filled in (free with hostlock_holder_free()); or -errno when the lock
 * file cannot be used (no state directory), with a message in err. */
int hostlock_take(const char *file, const char *command, hostlock **out, hostlock_holder *who,
                  char *err, size_t errsize);

/* Records the tickets (lines of text, as printed) for a second comer to show. Returns 0 or
 * -errno. */
int hostlock_set_tickets(hostlock *l, const char *tickets);

/* Releases the lock and removes its file. NULL is ignored. */
void hostlock_release(hostlock *l);

/* Whether another process shares file right now (without taking the lock): true with *who
 * filled in (free with hostlock_holder_free()). */
bool hostlock_holder_of(const char *file, hostlock_holder *who);

/* For `weft host` and `weft serve` (command), before they touch the file's journal: takes
 * the lock into *out and returns -1 to go on; when another process shares the file, says
 * so on stderr (who, its tickets, how to end it) and returns 1, the exit status. A lock
 * that cannot be taken (no state directory) is said and leaves *out NULL: the file is
 * shared unguarded rather than not at all. */
int hostlock_share(const char *command, const char *file, hostlock **out);

/* For `weft FILE`: when a session shares file, says so on stderr with its tickets and asks
 * whether to edit it alone anyway (no question without a terminal). Returns true to go on. */
bool hostlock_edit_anyway(const char *file);

#endif
