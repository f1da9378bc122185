/* What net/guest.c and net/guest-files.c share: the guest's record and each open file's,
 * and the functions each side calls of the other. net/guest.c has the connection (dial,
 * join, presence, reconnecting, the state); net/guest-files.c the project (the files it
 * has open and their sync, digests and resyncs, the manifest, saves, tree requests, the
 * host's goodbye). Not for use outside net/guest*.c. */
#ifndef WEFT_NET_GUEST_INTERNAL_H
#define WEFT_NET_GUEST_INTERNAL_H

#include "net/conn.h"
#include "net/dial.h"
#include "net/guest.h"
#include "net/proto.h"

/* One file the guest has open. */
typedef struct gfile {
    uint64_t id;
    wf_doc *doc;
    bool owned;                /* made by the guest and not handed over yet: ours to free */
    bool announced;            /* `opened` was told (the one file: needs no telling) */
    bool opened;               /* OPENED ok in this connection */
    bool synced;               /* the host's SYNC arrived in this connection */
    bool in_sync;
    bool resync_pending;
    uint64_t pending_since;    /* uv_now() when a digest first found updates waiting, or 0 */
    bool unconfirmed;          /* local edits since a digest last matched our text */
    wf_vv host_vv;             /* what the host holds, as last told */
} gfile;

/* A tree request, until answered. */
typedef struct treq {
    uint32_t request;
    uint8_t op;
    uint64_t file;
    char *path, *path2;        /* owned */
    bool sent;                 /* on the current connection */
} treq;

struct wn_guest {
    uv_loop_t *loop;
    uint64_t agent;
    bool single;               /* wn_guest_start(): one file, the caller's document */
    bool may_be_project;       /* wn_guest_start_any(), until the first WELCOME decides */
    wn_ticket ticket;          /* owned copy */
    char *weft_ssh;            /* owned, or NULL */
    char name[WN_NAME_MAX + 1];
    char version[WN_VERSION_MAX + 1];
    bool reconnect;
    bool ssh_may_ask;          /* the next ssh attempt may ask the user (the first only) */
    unsigned retry_min, retry_max;
    wn_guest_events ev;
    wn_guest_project_events pev;
    void *data;

    int state;
    int role;
    bool welcomed;             /* WELCOME arrived on this connection */
    bool ever_synced;
    bool host_single;          /* WELCOME's flag */
    bool have_doc_id;
    uint8_t doc_id[WN_DOC_ID_BYTES];
    uint8_t colour;
    char host_name[WN_NAME_MAX + 1];
    char file_name[WN_ROOT_MAX]; /* the root's name, as the host calls it */

    gfile **files;             /* owned records */
    size_t nfiles, files_cap;
    treq *trees;               /* in order */
    size_t ntrees, trees_cap;
    uint32_t next_request;
    uint64_t stray;            /* file messages of files not open here */

    wn_conn *conn;             /* the current connection, or NULL */
    bool authed;               /* it proved the token (the handshake finished) */
    wn_dial *dial;             /* the current attempt, until it lets go (net/dial.h) */
    uv_timer_t retry;
    uv_timer_t presence_timer;
    unsigned attempt;          /* failed attempts since last in the session */
    int last_err;
    uint64_t retry_at;         /* uv_now() of the next attempt, while one is scheduled */
    int pending;               /* asynchronous requests and handles still out */

    wn_presence self;
    bool has_self, self_dirty;
    wn_presence *others;
    size_t nothers, others_cap;

    bool ended;                /* the host said goodbye: the session is over */
    wn_goodbye goodbye;

    bool stopping;
    void (*done)(void *);
    void *done_data;
};

/* net/guest.c */
/* Joined on this connection (WELCOME came) and not stopping. */
bool wn__guest_online(const wn_guest *g);
void wn__guest_set_state(wn_guest *g, int state, const char *why);
void wn__guest_notice(wn_guest *g, const char *text);
/* Sends our presence now, if there is one to send and we are in the session. */
void wn__guest_send_presence(wn_guest *g);

/* net/guest-files.c */
gfile *wn__guest_find_file(const wn_guest *g, uint64_t id);
/* A new record for file id with doc (owned: the guest's to free until handed over). */
gfile *wn__guest_add_file(wn_guest *g, uint64_t id, wf_doc *doc, bool owned);
/* Forgets f; a document never handed over goes with it. */
void wn__guest_drop_file(wn_guest *g, gfile *f);
/* OPEN of f on the current connection, with our copy's vector. */
void wn__guest_send_open(wn_guest *g, gfile *f);
/* The tree requests not sent on this connection, in order. */
void wn__guest_send_trees(wn_guest *g);
/* A message of the project (MANIFEST, CHANGES, OPENED, SYNC, UPDATE, DIGEST, END, SAVED,
 * TREE_DONE; others are ignored). */
void wn__guest_file_message(wn_guest *g, uint8_t type, const uint8_t *p, size_t n);
/* The connection is gone: nothing is open or sent on the next one yet. */
void wn__guest_files_lost(wn_guest *g);

#endif
