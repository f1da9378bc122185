/* What app/cmd/join.c and app/cmd/join-project.c share: the guest's record. join.c has the
 * connection, the one-file session, the journal and the editor's life; join-project.c what
 * a guest of a project does (the manifest into the picker, a file opened when picked, each
 * file's events). Not for use outside those two files. */
#ifndef WEFT_APP_CMD_JOIN_INTERNAL_H
#define WEFT_APP_CMD_JOIN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/cmd/collab.h"
#include "app/cmd/journal.h"
#include "app/project/manifest.h"
#include "net/guest.h"

struct join {
    struct collab c;          /* first: the collab callbacks get this */
    wn_guest *guest;
    char *jpath;              /* our journal's path, or NULL */
    journal *journal;         /* open once the document has arrived */
    size_t journal_records;   /* updates recorded since it last started over */
    bool confirmed;           /* the host had all our edits, when last looked at */
    char tokenbuf[WN_TOKEN_MAX + 1], hostport[300];
    char ticket[600];         /* canonical, for Ctrl-T */
    char joined_me[WN_NAME_MAX + 16]; /* the host's notice of our own arrival */
    char why[1024];           /* the last failure, for people */
    unsigned failures;        /* failed attempts then */
    char link_notice[256];    /* the notice about the link we showed last (refreshed) */

    /* A project's (join-project.c), once WELCOME said the host shares a directory. */
    bool project;
    manifest *files;          /* owned: the shared files as the host lists them */
    bool relist;              /* the next MANIFEST page starts a new listing (a reconnect) */
    uint64_t want;            /* the file asked for last: shown when it arrives */
    uint32_t create_request;  /* our last Alt-O: the file it makes opens, or 0 */
    uint64_t orphaned;        /* the file whose buffer was last left by a deletion */
};

/* The events of a project's files (wn_guest_start_any()'s pev), with the join as data. */
extern const wn_guest_project_events join_project_events;

/* WELCOME said the host shares a directory: the editor becomes a project's (the picker
 * opens, filled as the manifest arrives). */
void join_project_begin(struct join *j);
/* The connection came back: the host lists its files again, and that listing replaces ours. */
void join_project_online(struct join *j);
/* session ops: the picker's choice (rel), and a file to show (follow, jump). */
bool join_project_open(struct join *j, const char *rel);
bool join_project_show(struct join *j, uint64_t file);
/* session op: Alt-O, F6, F8 (enum session_tree_op), sent to the host. */
void join_project_tree(struct join *j, int op, uint64_t file, const char *path,
                       const char *path2);
/* Frees what join_project_begin() made (nothing when it never ran). */
void join_project_free(struct join *j);

#endif
