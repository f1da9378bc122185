/* A guest for one look at a session, without an editor: join (the project form of net/
 * guest.h, which a one-file session answers as a project of one), page through the whole
 * manifest, perhaps open one file, leave. What `weft ls` and `weft cat` share.
 *
 * Order of use: fill a struct peek (zeroed: prog, ops, ctx), peek_run(); the ops run on
 * its loop; one of them calls peek_finish() when the command has what it came for. */
#ifndef WEFT_APP_CMD_PEEK_H
#define WEFT_APP_CMD_PEEK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/doc.h"
#include "net/guest.h"
#include "net/manifest.h"

struct peek;

struct peek_ops {
    /* A page of the manifest (borrowed for the call), in order. */
    void (*page)(struct peek *p, const wn_entries *page);
    /* The last page has come: the whole manifest has been seen. */
    void (*listed)(struct peek *p);
    /* The answer to peek_open(): doc (now the command's: free with wf_doc_free()), or
     * NULL and the host's why. */
    void (*opened)(struct peek *p, uint64_t file, wf_doc *doc, const char *why);
};

struct peek {
    const char *prog;            /* "weft ls": for messages */
    const struct peek_ops *ops;
    void *ctx;                   /* the command's */
    wn_guest *guest;             /* while running */
    int status;                  /* the exit status peek_finish() was given */
    char why[1024];              /* said on stderr after "prog: " when status is not 0 */
    bool done;
};

/* Joins the session of ticket and runs until peek_finish() (or the session is lost: status
 * 1). Returns the exit status, after saying p->why on stderr when it is not 0 (2: the
 * ticket is malformed). */
int peek_run(struct peek *p, const char *ticket);

/* Opens file; the answer comes as ops->opened. */
void peek_open(struct peek *p, uint64_t file);

/* Leaves with status; why (may be NULL) is a printf format for the message. Only the
 * first call counts. */
void peek_finish(struct peek *p, int status, const char *why, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether the session shares one file (then the manifest holds just it). */
bool peek_single_file(const struct peek *p);

#endif
