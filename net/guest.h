/* The guest side of a session: connects to a host by ticket (TCP, or through `ssh -W`),
 * joins, keeps its copy of the document in sync both ways, and survives the host going
 * away: local edits continue offline, and the guest reconnects with backoff (bounded, with
 * jitter); on reconnect both sides exchange what the other lacks, so nothing is lost or
 * doubled. When the host's digest disagrees with the guest's text at the same version,
 * the guest fetches the whole state again and tells the application. A host that ends the
 * session on purpose says goodbye (net/proto.h, END): the guest stops reconnecting and
 * says what the host did not receive. */
#ifndef WEFT_NET_GUEST_H
#define WEFT_NET_GUEST_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "core/doc.h"
#include "net/dial.h" /* WN_SSH_ASK_MS */
#include "net/error.h"
#include "net/manifest.h"
#include "net/presence.h"
#include "net/proto.h"
#include "net/ticket.h"

#define WN_RETRY_MIN_MS 250
#define WN_RETRY_MAX_MS 10000

/* A refusal or failure that can pass (the host not reachable, busy, restarting; a link that
 * dropped or was damaged) is retried with backoff; only a final no stops the retries
 * (wn_error_final(): wrong token, another protocol version or document, ssh refused the
 * login, no such host, no ssh). Two are weighed by where they happen: a failed
 * authentication after this connection had proven the token is a damaged link, not a
 * wrong token; "no such host" after the guest has been in the session is taken for a
 * network that is away for now. */
enum wn_guest_state {
    WN_GUEST_CONNECTING,   /* first connection under way */
    WN_GUEST_ONLINE,       /* joined and in the session */
    WN_GUEST_RECONNECTING, /* not in the session (lost it, or not reached yet); retrying */
    WN_GUEST_OFFLINE,      /* gave up: a final no (wrong token, other document, ...) */
    WN_GUEST_ENDED,        /* the host ended the session on purpose: wn_guest_goodbye() */
};

/* How the host ended the session (WN_GUEST_ENDED), and what of ours it had. */
typedef struct wn_goodbye {
    int reason;                 /* enum wn_end_reason (a newer host may send others) */
    bool saved;                 /* the host says its file holds the session's text */
    char host[WN_NAME_MAX + 1]; /* the host's name */
    uint64_t unsent;            /* our units the host did not receive */
    bool all_received;          /* the host had all our edits, deletions included */
} wn_goodbye;

typedef struct wn_guest wn_guest;

typedef struct wn_guest_config {
    const wn_ticket *ticket;
    const char *weft_ssh;  /* $WEFT_SSH (the ssh command), or NULL for "ssh" */
    const char *name;      /* display name */
    const char *version;   /* weft's version */
    bool reconnect;        /* retry when the connection drops (false: go offline) */
    /* The document this guest's copy belongs to, when resuming one (a recovered journal):
     * a host sharing another document is refused. NULL for a first join. */
    const uint8_t *doc_id;
    /* ssh tickets: the first attempt's ssh may ask the user on the terminal (host key,
     * password, passphrase), with WN_SSH_ASK_MS for the handshake. Every other attempt
     * runs ssh with BatchMode=yes and without a controlling terminal, so that it never
     * asks (nor draws over a screen); one that would have had to ask fails with WN_EDENIED
     * and a sentence saying so. false: every attempt is such. */
    bool ssh_may_ask;
    /* Backoff bounds in ms (0: WN_RETRY_MIN_MS, WN_RETRY_MAX_MS). */
    unsigned retry_min_ms, retry_max_ms;
} wn_guest_config;

typedef struct wn_guest_events {
    void (*changed)(void *data);                /* the host's edits were applied */
    /* After a resync the document was rebuilt: the guest now uses doc, and the application
     * must switch to it and free the old one. Anchors stay valid (same IDs). */
    void (*replaced)(void *data, wf_doc *doc);
    void (*presence)(void *data);               /* someone's presence changed or they left */
    /* enum wn_guest_state; why is a sentence for people (what, why, what to do). */
    void (*state)(void *data, int state, const char *why);
    void (*notice)(void *data, const char *text);/* messages: host notices, refusals, resyncs */
    void (*saved)(void *data, bool ok, const char *text); /* the answer to a save request */
    /* An update changed our copy (our own edits as sent, or the host's as applied), in
     * order: for a journal. */
    void (*recorded)(void *data, const uint8_t *update, size_t n);
} wn_guest_events;

/* --- a project (many files on one connection) ------------------------------------------
 *
 * The guest keeps the files it opened (wn_guest_open()) open across reconnections: on each
 * join it sends OPEN with its copy's vector for each, and the SYNCs carry what either side
 * lacks (offline edits included). Manifest pages are asked for one after the other as they
 * arrive, so the whole manifest comes while the session goes on. Tree requests
 * (wn_guest_tree()) made offline wait, and go out in order on the next join; one whose
 * answer was lost in a dropped connection is sent again (the host answers a repeat without
 * doing it twice). Documents belong to the application: those it passes to wn_guest_open(),
 * and those the guest makes for it, handed over in `opened`. */
typedef struct wn_guest_project_events {
    /* A page of the manifest (page->next_after 0: the last; the next is already asked
     * for). Borrowed for the call. */
    void (*manifest)(void *data, const wn_entries *page);
    /* The tree changed (apply by id: add and update are upserts, remove a delete). */
    void (*changes)(void *data, const wn_entries *changes);
    /* file is open: doc is its document (the one given to wn_guest_open(), or a new one,
     * now the application's), synced with the host's; or doc is NULL and why says why the
     * host refused (the file is then closed). Comes once per wn_guest_open(). */
    void (*opened)(void *data, uint64_t file, wf_doc *doc, const char *why);
    void (*changed)(void *data, uint64_t file);            /* the host's edits were applied */
    /* After a resync file's document was rebuilt: switch to doc, free the old one. */
    void (*replaced)(void *data, uint64_t file, wf_doc *doc);
    void (*saved)(void *data, uint64_t file, bool ok, const char *text);
    /* An update changed file's copy (ours as sent, the host's as applied), in order: for a
     * journal. Only for documents that are the application's: one made by the guest is
     * reported from `opened` on (journal its state then). */
    void (*recorded)(void *data, uint64_t file, const uint8_t *update, size_t n);
    void (*tree_done)(void *data, const wn_tree_done *done);
} wn_guest_project_events;

/* Starts connecting to a project (or a one-file session, which is a project of one file).
 * agent is ours in every document; of ev, the state, presence and notice events are used.
 * Returns as wn_guest_start(). */
WF_MUST_CHECK int wn_guest_start_project(uv_loop_t *loop, uint64_t agent,
                                         const wn_guest_config *cfg, const wn_guest_events *ev,
                                         const wn_guest_project_events *pev, void *data,
                                         wn_guest **out);
/* Opens file (an id from the manifest): doc is our copy of it (borrowed; e.g. recovered
 * from a journal), or NULL for a new one. `opened` tells the outcome. Opening a file that
 * is open does nothing. */
void wn_guest_open(wn_guest *g, uint64_t file, wf_doc *doc);
/* Stops receiving file's updates (the document stays the application's). */
void wn_guest_close(wn_guest *g, uint64_t file);
/* Sends file's local edits (call after editing its document; offline, they wait). */
void wn_guest_file_changed(wn_guest *g, uint64_t file);
/* Asks the host to save file; the answer comes as `saved`. */
void wn_guest_save_file(wn_guest *g, uint64_t file);
/* Asks the host to change the tree (struct wn_tree_request, whose request number is ours
 * to give): returns its number, answered by `tree_done`, or 0 when the request is malformed
 * (a path wn_path_valid() refuses, a missing file id). Offline, it waits. */
uint32_t wn_guest_tree(wn_guest *g, int op, uint64_t file, const char *path,
                       const char *path2);
/* Tree requests not answered yet. */
size_t wn_guest_tree_pending(const wn_guest *g);
/* Messages of files not open here that arrived (updates in flight across a CLOSE, or a
 * host's mistake: a host relays a file only to its openers); for tests and diagnostics. */
uint64_t wn_guest_stray(const wn_guest *g);
/* Whether WELCOME said this is a one-file session. */
bool wn_guest_single_file(const wn_guest *g);

/* --- one file ------------------------------------------------------------------------------
 *
 * Starts connecting. doc is borrowed (until `replaced` hands over a new one) and should be
 * new and empty for a first join. Returns 0 and a new guest in *out (stop it with
 * wn_guest_stop()), or an error with nothing running. */
WF_MUST_CHECK int wn_guest_start(uv_loop_t *loop, wf_doc *doc, const wn_guest_config *cfg,
                                 const wn_guest_events *ev, void *data, wn_guest **out);

/* As wn_guest_start(), for a ticket that may be a project's: when the first WELCOME says the
 * host shares a directory, the guest becomes a project's (as wn_guest_start_project() with
 * pev; doc stays the caller's, unused) before it reports WN_GUEST_ONLINE, and
 * wn_guest_single_file() says which it became. A host that turns from one to the other
 * between connections is refused as another document would be. */
WF_MUST_CHECK int wn_guest_start_any(uv_loop_t *loop, wf_doc *doc, const wn_guest_config *cfg,
                                     const wn_guest_events *ev,
                                     const wn_guest_project_events *pev, void *data,
                                     wn_guest **out);

/* Sends the document's local edits (call after editing it; offline, they wait). */
void wn_guest_local_changed(wn_guest *g);
/* Our presence (cursor, selection, view); sent coalesced. */
void wn_guest_set_presence(wn_guest *g, const wn_presence *p);
/* Asks the host to save the file; the answer comes as a `saved` event. */
void wn_guest_request_save(wn_guest *g);

int wn_guest_state(const wn_guest *g);
/* Attempts that failed since the guest was last in the session (or since it started). */
unsigned wn_guest_failures(const wn_guest *g);
/* Milliseconds until the next attempt while one is scheduled (RECONNECTING), else 0. */
uint64_t wn_guest_retry_in(const wn_guest *g);
/* The code of the last failure (WN_E* or UV_E*; 0 before any). */
int wn_guest_error(const wn_guest *g);
int wn_guest_role(const wn_guest *g);       /* enum wn_role once joined */
bool wn_guest_synced(const wn_guest *g);    /* has received the host's document */
/* True when the last digest matched this replica and nothing changed since. */
bool wn_guest_in_sync(const wn_guest *g);
/* Our units the host does not have yet, as far as we know. */
uint64_t wn_guest_unsent(const wn_guest *g);
/* The host's goodbye once the state is WN_GUEST_ENDED, else NULL. Borrowed from g. */
const wn_goodbye *wn_guest_goodbye(const wn_guest *g);
uint8_t wn_guest_colour(const wn_guest *g);
const char *wn_guest_host_name(const wn_guest *g);
/* The session's document id (WN_DOC_ID_BYTES); false before the first WELCOME. */
bool wn_guest_doc_id(const wn_guest *g, uint8_t *out);
/* The shared file's name as the host gave it (no directories), "" before WELCOME. */
const char *wn_guest_file_name(const wn_guest *g);
/* Everyone else in the session (the host first): a borrowed array, valid until the next
 * event. */
size_t wn_guest_participants(const wn_guest *g, const wn_presence **list);

/* Disconnects and stops; done(data) runs once everything is closed, then g is freed. */
void wn_guest_stop(wn_guest *g, void (*done)(void *data), void *data);

#endif
