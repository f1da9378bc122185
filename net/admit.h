/* A host's admission limits (net/host.h) as plain decisions, with the time given by the
 * caller (uv_now() in ms, any clock that does not go back in tests). Three of them:
 *
 * - Accepts per loop turn: at most WN_ACCEPTS_PER_TURN new connections are taken in one
 *   turn, so that a burst cannot push out an honest guest whose hello waits to be read.
 * - Failed handshakes per address: past WN_SLOW_AFTER of them from one IP address within
 *   WN_SLOW_WINDOW_MS, the answer to each further wrong token from it is held back
 *   WN_SLOW_ANSWER_MS. That slows a guesser down without turning anyone away: nobody is
 *   ever refused for an address's failures (all ssh guests arrive from the host's own
 *   loopback, so an address stands for many people). The last WN_ADMIT_ADDRESSES addresses
 *   are remembered; a new one past that takes the place of the one whose window is oldest.
 * - Connections setting up (not joined yet) are capped per address and in all; past a cap
 *   one of the others gives way: first one whose proof failed (it cannot join anyway), then
 *   the oldest that has sent nothing, then the oldest (an honest guest's handshake takes
 *   milliseconds; an attacker's never ends). The caller walks its connections and the scan
 *   picks (wn_admit_scan).
 *
 * Nothing here does I/O, logs, or knows a connection; the host acts on the answers. */
#ifndef WEFT_NET_ADMIT_H
#define WEFT_NET_ADMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WN_MAX_SETUP 256             /* connections not joined yet, in all ... */
#define WN_MAX_SETUP_PER_ADDRESS 64  /* ... and from one IP address */
#define WN_ACCEPTS_PER_TURN 32       /* new connections taken per loop turn */
#define WN_SLOW_AFTER 10             /* failed handshakes from one address ... */
#define WN_SLOW_WINDOW_MS 60000      /* ... within this time, and then ... */
#define WN_SLOW_ANSWER_MS 2000       /* ... each wrong token's answer waits this long */
#define WN_ADMIT_ADDRESSES 1024      /* addresses whose failures are remembered */
#define WN_ADMIT_IP_MAX 48           /* bytes of an IP address as text, with its NUL */

typedef struct wn_admit wn_admit;

/* Returns a new, empty set of limits; free with wn_admit_free() (NULL is fine). */
wn_admit *wn_admit_new(void);
void wn_admit_free(wn_admit *a);

/* The IP address part of "ip:port" or "[ip6]:port" (the text wn_conn_peer() gives), written
 * to ip (cut to size - 1 bytes; WN_ADMIT_IP_MAX holds any). */
void wn_admit_ip(const char *addr, char *ip, size_t size);

/* --- accepts per turn ----------------------------------------------------------------- */

/* Whether one more connection may be taken in the turn whose time is now (a new value of
 * now starts a new turn); true counts it as taken. */
bool wn_admit_may_accept(wn_admit *a, uint64_t now);
/* Starts a new turn at now even if the time has not moved (nothing taken in it yet). */
void wn_admit_new_turn(wn_admit *a, uint64_t now);

/* --- failed handshakes ---------------------------------------------------------------- */

/* Counts a failed handshake from addr ("ip:port"; only the IP counts) at now. Returns the
 * address's failures within its window, this one included: WN_SLOW_AFTER + 1 is the one
 * that starts slowing it down. A window is WN_SLOW_WINDOW_MS from its first failure. */
uint32_t wn_admit_fail(wn_admit *a, const char *addr, uint64_t now);
/* How long to hold back the answer to a wrong token, given what wn_admit_fail() returned
 * for it: WN_SLOW_ANSWER_MS past WN_SLOW_AFTER failures, else 0 (answer at once). */
uint64_t wn_admit_hold_ms(uint32_t failures);

/* --- who gives way -------------------------------------------------------------------- */

/* A walk over the connections still setting up, newest first. Caller's storage; nothing to
 * free. Treat as opaque. */
typedef struct wn_admit_scan {
    const char *ip;         /* only connections from this IP count, or NULL for all */
    size_t count;           /* connections counted */
    void *oldest, *oldest_silent, *oldest_held;
} wn_admit_scan;

/* Starts a walk counting connections from ip (an IP address as wn_admit_ip() gives it,
 * borrowed for the walk), or from anywhere when ip is NULL. */
void wn_admit_scan_init(wn_admit_scan *s, const char *ip);
/* One connection, newer ones first: who is the caller's (borrowed, returned as is), addr its
 * "ip:port", held whether its answer is being held back (a failed proof), heard whether it
 * has sent anything. */
void wn_admit_scan_add(wn_admit_scan *s, void *who, const char *addr, bool held, bool heard);
/* When the walk counted cap or more (the newcomer not among them), the one that gives way;
 * else NULL. */
void *wn_admit_scan_over(const wn_admit_scan *s, size_t cap);

#endif
