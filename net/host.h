/* The host side of a session: listens for guests, admits those with the token, keeps them
 * in sync with the document it shares, relays every edit and presence, and answers save
 * requests through the application.
 *
 * The host names and colours the participants (a second "ana" is "ana (2)", for everyone)
 * and forces those on every presence record it relays. A participant keeps its colour for
 * the whole session (the host remembers WN_COLOURS_KEPT of them), so that it does not
 * change on reconnecting, nor, given the journal's record, after a crash.
 *
 * The host integrates each guest's updates into the shared document, then relays the same
 * bytes to every other guest in its own integration order, which (TCP being FIFO) keeps
 * every stream causal (CRDT.md §3.3). Read-only guests' edits are refused and reported to
 * them. A guest that cannot keep up (more than WN_SLOW_BYTES queued) is disconnected with a
 * reason; it reconnects and catches up by exchanging diffs. After a lull, the host sends
 * every guest a digest (version vector and text hash) so that guests can tell they are in
 * sync.
 *
 * Admission (the limits and their decisions are net/admit.h's): a guest that proves the
 * token is never refused because of other connections' failures (all ssh guests arrive
 * from the host's own loopback, so an address stands for many people). Failed handshakes are counted per address; past WN_SLOW_AFTER of them
 * within WN_SLOW_WINDOW_MS, the answer to each further wrong token from that address is
 * held back WN_SLOW_ANSWER_MS, which slows a guesser down without turning anyone away.
 * Connections still setting up are capped per address and in all; when a new one comes
 * past a cap, another gives way: first one whose proof failed (it cannot join anyway),
 * then the oldest that has sent nothing, then the oldest (an honest guest's handshake takes
 * milliseconds). */
#ifndef WEFT_NET_HOST_H
#define WEFT_NET_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "core/doc.h"
#include "net/admit.h" /* the admission limits: WN_MAX_SETUP, WN_SLOW_AFTER, ... */
#include "net/error.h"
#include "net/presence.h"
#include "net/proto.h"

#define WN_SLOW_BYTES ((size_t)32 << 20) /* queued bytes after which a guest is dropped */
#define WN_MAX_GUESTS 1024               /* participants joined at once */
#define WN_READONLY_MSG_MAX ((size_t)1 << 20) /* largest message a read-only guest sends */
#define WN_QUIET_MS 400                   /* lull before a digest */
#define WN_RESYNC_INTERVAL_MS 1000        /* least time between full states for one guest */
#define WN_COLOURS_KEPT 4096              /* participants whose colour is remembered */

typedef struct wn_host wn_host;

typedef struct wn_host_config {
    const char *listen;     /* "HOST:PORT" (an IP address, or localhost); port 0: any free */
    const char *token_rw;   /* admits editors */
    const char *token_ro;   /* admits read-only guests, or NULL */
    const char *name;       /* the host's display name */
    const uint8_t *doc_id;  /* WN_DOC_ID_BYTES identifying this session's document */
    const char *version;    /* weft's version, for mismatch messages */
    const char *file;       /* the shared file's name, shown to guests (NULL: none) */
    /* Colours given earlier in this session (a recovered journal's, from `coloured`): those
     * participants get theirs back. Borrowed during wn_host_start() only; may be NULL. */
    const wn_colour_entry *colours;
    size_t ncolours;        /* entries in colours */
} wn_host_config;

typedef struct wn_host_events {
    void (*changed)(void *data);              /* guests' edits were applied to the document */
    void (*presence)(void *data);             /* someone's presence changed, or they left */
    void (*log)(void *data, const char *line);/* joins, leaves, refusals: one line each */
    /* A guest asks to save; answer with wn_host_save_done() (now or later). */
    void (*save)(void *data, uint64_t agent);
    /* An update became part of the shared document (a guest's, or the local edits sent by
     * wn_host_local_changed()), in integration order: for the journal. */
    void (*recorded)(void *data, const uint8_t *update, size_t n);
    /* A participant got a colour for the first time in this session: for the journal, so
     * that it keeps it after a crash (give them back in wn_host_config.colours). */
    void (*coloured)(void *data, uint64_t agent, uint8_t colour);
} wn_host_events;

/* Starts listening. doc is borrowed and must outlive the host; the application edits it
 * and calls wn_host_local_changed() after. Returns 0 and a new host in *out (stop it with
 * wn_host_stop()), or a libuv error / WN_ELISTEN with nothing left running. */
WF_MUST_CHECK int wn_host_start(uv_loop_t *loop, wf_doc *doc, const wn_host_config *cfg,
                                const wn_host_events *ev, void *data, wn_host **out);

/* The address actually listened on. */
uint16_t wn_host_port(const wn_host *h);
const char *wn_host_address(const wn_host *h);

/* Sends the document's local edits to every guest (call after editing doc). */
void wn_host_local_changed(wn_host *h);
/* The host's own presence (cursor, selection, view); its agent and colour are filled in. */
void wn_host_set_presence(wn_host *h, const wn_presence *p);
/* Answers a guest's save request. */
void wn_host_save_done(wn_host *h, uint64_t agent, bool ok, const char *text);
/* Sends a notice to every guest (e.g. "saved notes.md"). */
void wn_host_notice(wn_host *h, const char *text);

/* The guests in the session now: *list gets a borrowed array, valid until the next event. */
size_t wn_host_guests(wn_host *h, const wn_presence **list);

/* Closes every connection and the listener; done(data) runs once all is closed, after which
 * the host is freed. Guests are not told that the session is over: they take it for a lost
 * host and reconnect (to a host started again on the same address, e.g.). */
void wn_host_stop(wn_host *h, void (*done)(void *data), void *data);

/* Ends the session on purpose: tells every guest (END) why (enum wn_end_reason), whether
 * the file was saved with the session's text, and what the host holds (so that each can
 * tell which of its edits did not arrive); the guests stop reconnecting. Then stops as
 * wn_host_stop() does. */
void wn_host_end(wn_host *h, int reason, bool saved, void (*done)(void *data), void *data);

#endif
