/* What net/host.c and net/host-files.c share: the host's and each connection's records,
 * and the functions each side calls of the other. net/host.c has the connections (listen,
 * admit, join, presence, the end); net/host-files.c the project (the manifest, OPEN and
 * CLOSE, updates relayed to a file's openers, digests and resyncs, saves, tree requests,
 * the one-file session's callbacks). Not for use outside net/host*.c. */
#ifndef WEFT_NET_HOST_INTERNAL_H
#define WEFT_NET_HOST_INTERNAL_H

#include "net/conn.h"
#include "net/crypto.h"
#include "net/host.h"
#include "net/project.h"

typedef struct peer {
    struct peer *next;
    wn_host *host;
    wn_conn *conn;
    bool joined;
    bool refused;             /* turned away (full session), or gave way to newer ones */
    bool quiet;               /* its failed proof is not worth a line of the log */
    bool replaced;            /* superseded by a newer connection of the same participant */
    size_t bulk;              /* bytes of a join or resync state still allowed in the queue */
    wn_openset open;          /* the files it has open: it gets their updates */
    char addr[64];
    wn_presence presence;     /* agent, name and colour are set at JOIN */
    bool has_presence;
} peer;

struct wn_host {
    uv_loop_t *loop;
    uint64_t agent;           /* the host's own, in every document */
    bool single;              /* a one-file session (wn_host_start()) */
    wf_doc *single_doc;       /* its document */
    wn_project_ops ops;
    void *ops_data;           /* ops' data: the application's, or the host (one file) */
    wn_docs docs;             /* file id -> document, of files opened */
    uint64_t mversion;        /* the manifest's version */
    wn_tree_log trees;        /* tree requests heard and answered, per participant */
    uv_tcp_t listener;
    uv_timer_t timer;
    uv_idle_t resume;         /* takes a connection left waiting by the per-turn budget */
    bool accept_waiting;      /* one is waiting: libuv has paused the listener meanwhile */
    wn_admit *admit;          /* owned: the accept budget, failures per address */
    wn_handshake hs;          /* prepared host handshake, copied for each connection */
    uint8_t doc_id[WN_DOC_ID_BYTES];
    char name[WN_NAME_MAX + 1];
    char file[WN_ROOT_MAX];
    char address[80];
    uint16_t port;
    wn_host_events ev;
    void *data;
    peer *peers;
    size_t npeers;
    wn_presence self;
    bool has_self;
    wn_colour_entry *colours; /* every participant's colour this session, oldest first */
    size_t ncolours, colours_cap;
    wn_presence *list;        /* for wn_host_guests() */
    size_t list_cap;
    uint64_t slowed;          /* wrong tokens whose answer was held back, in all */
    bool stopping;
    int open_handles;
    void (*done)(void *);
    void *done_data;
    wf_buf scratch;
    uint64_t turned_away;     /* connections refused at once (full, or a flood) */
};

/* One line of the log (ev.log), printf-style. */
void wn__host_log(wn_host *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sends a message; a guest whose queue stays over WN_SLOW_BYTES (beyond the state it is
 * being sent) is dropped with a reason, so p may be closing after. */
void wn__host_send(peer *p, uint8_t type, const void *data, size_t n);
/* Sends a whole state (SYNC on opening, a resync): not held against the guest's speed. */
void wn__host_send_state(peer *p, const wf_buf *state);
/* The joined guest of that agent, or NULL. */
peer *wn__host_find_guest(wn_host *h, uint64_t agent);

/* net/host-files.c */
/* Whether guest may know of file (ops.may_see; all may without one). */
bool wn__host_may_see(wn_host *h, uint64_t guest, uint64_t file, const char *path);
/* Sends p the page of the manifest after after_id. */
void wn__host_send_page(peer *p, uint64_t after_id);
/* A message of the project (SYNC, UPDATE, OPEN, CLOSE, MORE, SAVE, RESYNC, TREE; others
 * are ignored) from a joined guest. */
void wn__host_file_message(peer *p, uint8_t type, const uint8_t *data, size_t n);
/* p is leaving: its files are released, and its set freed. */
void wn__host_release_files(peer *p);
/* Every 100 ms: resyncs due, digests of files quiet for WN_QUIET_MS. */
void wn__host_tick(wn_host *h);
/* The one-file session's callbacks (their data is the host). */
extern const wn_project_ops wn__host_single_ops;

#endif
