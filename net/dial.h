/* Reaching a host for one connection attempt: over TCP (the ticket's host resolved, then a
 * connect that gives up after WN_CONNECT_MS), or through an `ssh -W HOST:PORT SSHHOST`
 * child (net/ssh.h) whose stdin and stdout carry the session. The dialler hands its owner
 * the connected streams and knows nothing of what runs over them (net/guest.h does): a
 * failure comes back as a code and a sentence for people (net/failure.h), and the owner
 * decides whether to try again.
 *
 * An ssh child outlives the connect: when the connection over its pipes ends before
 * anything came through, ssh itself failed or is stuck, and its end (exit status, stderr)
 * explains that best. So the owner holds a dial until the connection on its streams has
 * ended, and tells it how (wn_dial_hangup()).
 *
 * Life cycle. The owner holds the dial from wn_dial_start() until it lets go, in exactly one
 * of three ways: `failed` runs (the dial lets go of itself), wn_dial_cancel(), or
 * wn_dial_hangup() returning false. After that the owner must not use the dial again; no
 * event follows but `closed`, which runs once, from the loop (never inside a call into this
 * module), when the dial's last handle and child are gone and it has freed itself. */
#ifndef WEFT_NET_DIAL_H
#define WEFT_NET_DIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "net/error.h"
#include "net/ticket.h"

#define WN_SSH_ASK_MS 120000 /* time for the handshake while ssh may ask the user things */
#define WN_DIAL_WHY_MAX 400  /* a buffer this size holds any sentence of wn_dial_start() */

typedef struct wn_dial wn_dial;

typedef struct wn_dial_config {
    const wn_ticket *ticket; /* where to (TCP or ssh); borrowed until `closed` */
    const char *weft_ssh;    /* $WEFT_SSH (the ssh command), or NULL for "ssh"; borrowed
                                during wn_dial_start() only */
    /* ssh tickets: the child may ask the user on the terminal (host key, password,
     * passphrase). false: it runs with BatchMode=yes and without a controlling terminal,
     * so that it never asks (nor draws over a screen). */
    bool may_ask;
} wn_dial_config;

typedef struct wn_dial_events {
    /* The host is reached. rd and wr are new handles allocated with malloc, owned by the
     * callee from now on (for wn_conn_new()): the same TCP stream twice, or ssh's stdout
     * and stdin. handshake_ms is the time to give the handshake (WN_SSH_ASK_MS while ssh
     * may ask the user), or 0 for the usual. Runs at most once, and for an ssh ticket
     * before wn_dial_start() returns. */
    void (*connected)(void *data, uv_stream_t *rd, uv_stream_t *wr, uint64_t handshake_ms);
    /* The attempt failed: err classifies it (WN_E* or UV_E*, see net/failure.h and
     * wn_error_final()), why is a sentence for people, borrowed until the callback returns.
     * Runs before `connected` (the connect failed or timed out, the name was not found), or
     * after wn_dial_hangup() returned true (ssh's end says why). The dial has let go. */
    void (*failed)(void *data, int err, const char *why);
    /* Everything is closed and the dial is freed. Always runs, last. */
    void (*closed)(void *data);
} wn_dial_events;

/* Starts reaching cfg->ticket's host. *out is set before any event runs (`connected` may
 * run before this returns, see above). On failure returns the error (WN_ETICKET: the
 * ssh command line cannot be built; WN_ENOSSH: the ssh program cannot be started; a
 * UV_EAI_* or WN_ENOHOST when the lookup cannot start) with a sentence in why (cut to
 * size - 1 bytes), sets *out to NULL, and no event runs (what had been started closes by
 * itself). ev is copied. */
WF_MUST_CHECK int wn_dial_start(uv_loop_t *loop, const wn_dial_config *cfg,
                                const wn_dial_events *ev, void *data, char *why, size_t size,
                                wn_dial **out);

/* Lets go of a dial before `connected` or after it: a lookup or connect under way is
 * abandoned, an ssh child is asked to end (after a grace, during which it may end by
 * itself once its pipes are closed). Neither `connected` nor `failed` runs after this. */
void wn_dial_cancel(wn_dial *d);

/* After `connected`: the connection on the streams ended, with err (0, WN_* or UV_*), and
 * heard says whether anything came through it. Returns true for an ssh child through which
 * nothing came: it is stopped (at once when err is WN_ETIMEOUT, else after a grace in
 * which it may report its own exit), and `failed` says why once it is gone (the owner
 * still holds the dial, and may wn_dial_cancel() it meanwhile). Otherwise returns false,
 * with the dial let go (an ssh child is stopped, and reaped). */
bool wn_dial_hangup(wn_dial *d, bool heard, int err);

#endif
