/* What `weft host` (app/cmd/host.c) and `weft serve` (app/cmd/serve.c) share: the options
 * of a session's host, its tokens and the file's lock, the recovery of a journal an
 * unfinished session left, the wn_host with its crash journal (app/cmd/journal.h) kept on
 * a timer, and the tickets.
 *
 * Order of use: hosting_option() for each option getopt_long() returns, hosting_options_check()
 * after the loop; hosting_begin() (tokens, lock); hosting_recover(); hosting_start() on the
 * command's loop; hosting_print_tickets(); when the session ends, hosting_stop_timer()
 * before the loop's last run; hosting_end() after it.
 *
 * The wn_host's callbacks (and ctx's) receive the struct hosting: its ctx field gets the
 * command back. Everything said along the way after the start goes through say(), to the
 * editor's notices (host) or the log (serve); what ends the command is said on stderr. */
#ifndef WEFT_APP_CMD_HOSTING_H
#define WEFT_APP_CMD_HOSTING_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "app/cmd/hostlock.h"
#include "app/cmd/journal.h"
#include "core/doc.h"
#include "net/host.h"
#include "net/proto.h"
#include "net/ticket.h"

/* The options both commands take. */
struct hosting_options {
    const char *file;     /* the FILE operand */
    const char *listen;   /* --listen HOST:PORT, or NULL */
    const char *token;    /* --token, or NULL ($WEFT_TOKEN, else random) */
    const char *name;     /* --name, or NULL */
    const char *ssh_host; /* --ssh-host, or NULL */
    bool read_only;       /* --read-only-guests */
    bool recover;         /* --recover */
    bool discard;         /* --discard */
    /* --share-private PATTERN, each time given (a DIR's private files shared on purpose:
     * app/project/filter.h): the patterns are borrowed from argv; the array is the parsing
     * command's, freed by hosting_options_release() (struct hosting's copy borrows it). */
    const char **share_private;
    size_t nshare_private;
};

/* The shared entries of each command's getopt_long() table, and their codes that take an
 * argument (for cli_bad_option()). A command's own options use other codes. */
#define HOSTING_LONGOPTS                                   \
    {"listen", required_argument, NULL, 'l'},              \
    {"token", required_argument, NULL, 't'},               \
    {"read-only-guests", no_argument, NULL, 'r'},          \
    {"name", required_argument, NULL, 'N'},                \
    {"ssh-host", required_argument, NULL, 's'},            \
    {"recover", no_argument, NULL, 'R'},                   \
    {"discard", no_argument, NULL, 'D'},                   \
    {"share-private", required_argument, NULL, 'P'}
#define HOSTING_NEEDS_ARG "ltNsP"

/* Their lines in the usage texts: the session's, then the journal's. */
#define HOSTING_USAGE_SESSION                                                              \
    "  --listen HOST:PORT    address to listen on (default 127.0.0.1:0: loopback, any port)\n" \
    "  --token TOKEN         the session token (16-128 of A-Z a-z 0-9 _ -; default: random,\n" \
    "                        or $WEFT_TOKEN)\n"                                               \
    "  --read-only-guests    also print tickets that admit read-only guests\n"               \
    "  --name NAME           your name as others see it (default $WEFT_NAME, then the\n"    \
    "                        name setting of weftrc, then $USER)\n"                         \
    "  --ssh-host [USER@]HOST[:PORT]\n"                                                      \
    "                        how guests reach this machine over ssh, for the ssh tickets\n" \
    "  --share-private PATTERN\n"                                                            \
    "                        a DIR only: share the private files (.env*, keys) matching\n"   \
    "                        PATTERN (gitignore syntax, relative to DIR) on purpose;\n"      \
    "                        may be given again\n"
#define HOSTING_USAGE_JOURNAL                                                              \
    "  --recover             continue the session a crash left in its journal\n"             \
    "  --discard             throw that journal away and start a new session\n"

/* What hosting_recover() found. */
enum hosting_journal {
    HOSTING_NO_JOURNAL, /* none (or no state directory): a new session */
    HOSTING_DISCARDED,  /* there was one; --discard (or the user) threw it away */
    HOSTING_RECOVERED,  /* the session continues from it */
};

struct hosting {
    const char *prog;                 /* "weft host", "weft serve": for messages and the lock */
    struct hosting_options o;
    char rw[WN_TOKEN_MAX + 1];        /* the read-write token (a recovered one replaces it) */
    char ro[WN_TOKEN_MAX + 1];        /* the read-only token, meaningful when o.read_only */
    uint8_t doc_id[WN_DOC_ID_BYTES];  /* new, or the recovered session's */
    const char *listen;               /* o.listen, else the recovered session's, or NULL */
    journal_session was;              /* the recovered session (zeroed if none); owned */
    hostlock *lock;                   /* NULL when the lock could not be taken */
    char *jpath;                      /* owned: the journal's path, or NULL (jpath_err) */
    int jpath_err;                    /* errno when there is no journal path */
    wn_host *host;                    /* after hosting_start(), until the session stopped */
    const wf_doc *doc;                /* the shared document (for the journal's restarts) */
    journal *journal;                 /* NULL if it could not be started */
    uv_timer_t journal_timer;         /* fsync within JOURNAL_SYNC_MS; restarts after saves */
    bool timer_on;                    /* journal_timer is initialised and not closed */
    size_t journal_records;           /* updates recorded since the journal last started over */
    /* The command's: tell people (a notice in the editor, serve's log); whether the file
     * holds the document now (then the journal starts over); the command itself. */
    void (*say)(void *ctx, bool error, const char *text);
    bool (*saved)(void *ctx);
    void *ctx;
};

/* Takes option c (getopt_long()'s return, with its optarg) into *o. Returns false when it
 * is not one of the shared options. */
bool hosting_option(struct hosting_options *o, int c, const char *arg);
/* For a DIR operand: refuses what is only for a FILE (--recover, --discard: a directory has
 * no journal yet). Returns -1 to go on, or 2 after saying why on stderr. */
int hosting_dir_check(const char *prog, const struct hosting_options *o);
/* Frees what hosting_option() allocated (the share_private array); o stays usable, empty. */
void hosting_options_release(struct hosting_options *o);

/* After the getopt_long() loop: the FILE operand, then the checks (--ssh-host's value,
 * --recover with --discard). Returns -1 to go on, or the exit status (2) after saying why
 * on stderr. */
int hosting_options_check(const char *prog, const char *usage, int argc, char **argv,
                          struct hosting_options *o);

/* Caller's storage h (zeroed): the tokens, then the file's lock (before anything touches
 * its journal). Returns -1 to go on, or the exit status after saying why on stderr; call
 * hosting_end() in both cases. */
int hosting_begin(struct hosting *h, const char *prog, const struct hosting_options *o);

/* A journal of an unfinished session of the file: recovered, discarded or refused as the
 * options say; ask: when they say nothing and stdin is a terminal, the user is asked.
 * Recovered, *doc gets a new document (free with wf_doc_free()) and h the session's
 * doc_id, tokens, read-only flag and listen address; note describes what was recovered.
 * Returns -1 to go on with *found, or the exit status (1: cannot recover; 2: not told what
 * to do) after saying why on stderr. */
int hosting_recover(struct hosting *h, bool ask, enum hosting_journal *found, wf_doc **doc,
                    char *note, size_t notesize);

/* Shares doc on loop: a wn_host as the options and a recovered session say, with ev (the
 * journal's callbacks are added; every callback gets h), then the crash journal and its
 * timer (a journal that cannot be started is said, and the session goes on without).
 * Frees h->was. Returns 0, or 1 after saying on stderr why the host could not start (the
 * loop may then hold handles to run down). */
int hosting_start(struct hosting *h, uv_loop_t *loop, wf_doc *doc, wn_host_events ev);

/* The wn_host_config of the session the options and a recovered session say (strings
 * borrowed from h), for a command that starts its own kind of host (a project's). */
void hosting_config(const struct hosting *h, wn_host_config *cfg);
/* Says on stderr that the host could not listen (err: wn_host_start*()'s error). */
void hosting_listen_failed(const struct hosting *h, int err);

/* Prints the tickets on stdout and notes them in the file's lock for a second comer to
 * show. Returns them as a new string (free with free()), or NULL when they cannot be
 * formed (nothing printed). */
char *hosting_print_tickets(struct hosting *h);

/* For the commands without an editor: "weft HH:MM:SS: " and the line on stderr. */
void hosting_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* SIGINT and SIGTERM, for the commands without an editor. Caller's storage, zeroed. */
struct hosting_signals {
    uv_signal_t sigint, sigterm;
    bool on; /* both initialised: hosting_release_signals() closes them */
};
/* SIGINT and SIGTERM call cb (data in each handle's data field): both initialised on loop
 * and started. Returns 0 or a libuv error (release them either way when stopping). */
int hosting_catch_signals(uv_loop_t *loop, struct hosting_signals *sg, uv_signal_cb cb,
                          void *data);
/* Closes the handles hosting_catch_signals() initialised (idempotent). */
void hosting_release_signals(struct hosting_signals *sg);
/* The END reason for a stop by signal signum (SIGINT: interrupted, else terminated). */
int hosting_end_reason(int signum);

/* The session is stopping: closes the journal's timer (idempotent). */
void hosting_stop_timer(struct hosting *h);

/* Closes the journal (removing it when remove: the session ended with everything saved),
 * wipes the tokens, releases the lock. */
void hosting_end(struct hosting *h, bool remove_journal);

#endif
