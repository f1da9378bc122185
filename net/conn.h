/* A connection: one peer over a libuv stream (TCP, or the pipes of an `ssh -W` child,
 * whose process is net/ssh.h's).
 *
 * It runs the handshake (net/crypto.h), then carries sealed messages: (u8 type, payload)
 * pairs, encrypted and authenticated. A message larger than a frame travels as several
 * chunks (the type's high bit marks "more follows") and arrives whole. It sends keepalives
 * when idle, and ends the connection when the peer says nothing for too long, when the
 * handshake does not finish in time, or on any malformed, tampered or oversized input; the
 * `closed` event says why. One libuv loop drives everything; no threads. */
#ifndef WEFT_NET_CONN_H
#define WEFT_NET_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "net/crypto.h"
#include "net/error.h"

#define WN_MSG_MORE 0x80              /* chunk flag on a message type */
#define WN_MSG_MAX ((size_t)1 << 30)  /* largest reassembled message */
#define WN_HANDSHAKE_MS 5000          /* a handshake must finish within this */
#define WN_PING_MS 5000               /* idle time before a keepalive */
#define WN_DEAD_MS 20000              /* silence after which the peer is taken for dead */

/* Message types used by the connection itself (higher layers use 16..127). */
enum {
    WN_M_PING = 1,
    WN_M_PONG = 2,
    WN_M_BYE = 3, /* u16 code · text: the sender is closing, and why */
};

typedef struct wn_conn wn_conn;

typedef struct wn_conn_events {
    /* The handshake finished; wn_conn_role() says what the guest may do. */
    void (*ready)(wn_conn *c);
    /* A whole message arrived. p is borrowed until the callback returns. */
    void (*message)(wn_conn *c, uint8_t type, const uint8_t *p, size_t n);
    /* The connection ended: err is 0 after wn_conn_close(), else why it failed; why is a
     * sentence for people (the peer's own words when it said BYE). The connection is freed
     * after this returns; do not use it again. */
    void (*closed)(wn_conn *c, int err, const char *why);
    /* Optional, host side: the guest's proof of the token failed (err is WN_EAUTH).
     * Returns how long to hold the answer back, in ms (0: answer at once). A held
     * connection reads nothing more and costs little (a few hundred bytes); it answers
     * when the time is over, or at once on wn_conn_fail() or wn_conn_close(), then closes
     * with err and the reason of the failed proof. */
    uint64_t (*refused)(wn_conn *c, int err);
} wn_conn_events;

/* Wraps streams that are already connected: rd to read, wr to write (the same stream for
 * TCP). Takes ownership of both handles (allocated with malloc). hs is copied: a prepared
 * guest or host handshake, which must finish within WN_HANDSHAKE_MS (see
 * wn_conn_set_handshake_deadline()). The guest side starts the handshake at once. Returns a
 * new connection; it frees itself after its `closed` event. */
wn_conn *wn_conn_new(uv_loop_t *loop, uv_stream_t *rd, uv_stream_t *wr,
                     const wn_handshake *hs, const wn_conn_events *ev, void *data);

/* Gives the handshake ms milliseconds from now instead (e.g. while ssh may ask the user
 * for a password); no effect once it is over. */
void wn_conn_set_handshake_deadline(wn_conn *c, uint64_t ms);

void *wn_conn_data(const wn_conn *c);
void wn_conn_set_data(wn_conn *c, void *data);
/* enum wn_role of the guest (on both sides), once ready. */
int wn_conn_role(const wn_conn *c);
bool wn_conn_is_ready(const wn_conn *c);
/* Whether the peer has sent anything yet (a connection that never did is the first to give
 * way when too many are setting up). */
bool wn_conn_heard(const wn_conn *c);
/* Whether the answer to a failed proof is being held back (see `refused` above): such a
 * connection has no chance of joining, and is the first to give way. */
bool wn_conn_held(const wn_conn *c);
/* Whether the reason the connection ended with is the peer's own (an ERROR frame or a
 * BYE), rather than what this side saw (end of file, time out, a malformed frame). */
bool wn_conn_peer_said(const wn_conn *c);
/* The peer's software version, once the handshake has seen it ("" before). */
const char *wn_conn_peer_version(const wn_conn *c);
/* The peer's address as text ("127.0.0.1:5000", "ssh"); "" if unknown. */
const char *wn_conn_peer(const wn_conn *c);

/* Lowers the size of the largest message taken from the peer (WN_MSG_MAX at first); a
 * larger one ends the connection (WN_ETOOBIG) before it is buffered. */
void wn_conn_limit_messages(wn_conn *c, size_t max);

/* Queues a message (type 16..127). Does nothing once the connection is closing. */
void wn_conn_send(wn_conn *c, uint8_t type, const void *p, size_t n);
/* Bytes queued for the network and not written yet. */
size_t wn_conn_queued(const wn_conn *c);

/* Ends the connection: after the handshake, tells the peer why (BYE), then closes. */
void wn_conn_fail(wn_conn *c, int err, const char *why);
/* Ends the connection cleanly (closed event with err 0). */
void wn_conn_close(wn_conn *c);

#endif
