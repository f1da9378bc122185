/* The wire side of tests/tools/rawpeer: a connection to a weft host that speaks the real
 * handshake and sealed messages, for a tool that then misbehaves on purpose. Blocking
 * sockets; every wait has a deadline (absolute, in now_ms() milliseconds). */
#ifndef WEFT_TESTS_TOOLS_RAWPEER_H
#define WEFT_TESTS_TOOLS_RAWPEER_H

#include <netdb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "net/crypto.h"
#include "net/frame.h"

/* One connection to the host. */
typedef struct peer {
    int fd;
    wn_frame_reader rd;
    wn_handshake hs;
    wn_session s;
    bool ready;          /* handshake done */
    bool closed;         /* the host ended it (or the socket failed) */
    char code[16];       /* the host's code, "eof" or "reset" */
    char why[600];       /* the host's words */
    wf_buf plain;        /* an opened message */
    wf_buf whole;        /* a message being reassembled from chunks */
    int role;
    int answer_ms;       /* handshake(): how long to wait for the answer to our proof (0:
                            until the handshake's deadline) */
    uint64_t proof_ms;   /* handshake(): now_ms() when our proof went out */
    uint64_t answer_at;  /* ... and when the answer came (0: none) */
} peer;

/* Milliseconds of a monotonic clock. */
uint64_t now_ms(void);

/* Connects to target, from the (n % addrs)-th IPv4 address after bind_addr when bind_addr
 * is not NULL (so that a host's per-address limits hit only this peer). Caller's storage;
 * release with peer_close(), also after a failure. Returns 0 or -errno. */
int peer_connect(peer *p, const struct addrinfo *target, const char *bind_addr, unsigned addrs,
                 unsigned n);
void peer_close(peer *p);

/* Writes all n bytes (send_buf: and empties b). Returns 0 or -errno. */
int send_all(peer *p, const void *data, size_t n);
int send_buf(peer *p, wf_buf *b);
/* Reads what has arrived, waiting up to timeout_ms: 1 bytes came, 0 timeout, -1 ended. */
int read_some(peer *p, int timeout_ms);
/* The next frame (payload borrowed until the next call): 1, 0 on timeout, -1 ended. */
int next_frame(peer *p, uint64_t deadline, uint8_t *type, const uint8_t **pl, size_t *n);
/* Keeps the host's last words from an ERROR frame or a BYE payload (u16 code, text). */
void last_words(peer *p, const uint8_t *pl, size_t n);

/* Runs the guest's side of the handshake with token, waiting at most wait_ms in all and
 * p->answer_ms (if set) for the answer to our proof. Returns 0, or -1 (p->code, p->why;
 * "timeout" when no answer came in time). */
int handshake(peer *p, const char *token, int wait_ms);
/* Sends a sealed message (after the handshake). Returns 0 or -errno. */
int seal_send(peer *p, uint8_t type, const void *data, size_t n);
/* seal_send() of a message of the one file's (its id first: SYNC, UPDATE, ...). */
int seal_send_file(peer *p, uint8_t type, const void *data, size_t n);
/* Sends JOIN as agent (0: a random one), name "rawpeer", an empty version vector. */
/* JOIN, and OPEN of the one file (a one-file session's). */
int send_join(peer *p, uint64_t agent);
/* The next whole session message (pings answered, chunks joined, BYE and ERROR kept as last
 * words): 1 with *type and p->whole holding it, 0 on timeout, -1 when it ended. */
int next_message(peer *p, uint64_t deadline, uint8_t *type);
/* Waits up to wait_ms for the host to end the connection, draining what it sends; prints
 * "conn LABEL closed MS CODE WHY" or "conn LABEL open MS" (MS since `since`). True when
 * the host ended it. */
bool await_close(peer *p, const char *label, uint64_t since, int wait_ms);

/* What the modes share: where the host is, the ticket's token, the options that matter. */
struct rawpeer_env {
    const struct addrinfo *target;
    const char *token;
    const char *bind; /* or NULL */
    int wait_ms;
};
/* The project modes (rawpeer-project.c: probe, badtree, open): returns the exit status, or
 * -1 when mode is none of them. */
int rawpeer_project(const char *mode, const struct rawpeer_env *env, char **args, int nargs);

#endif
