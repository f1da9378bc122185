/* Why a guest's attempt to reach a host failed, as a sentence for people: what happened,
 * why (the cause in plain words), and what to do. Each function writes the sentence to out
 * (cut to size - 1 bytes) and returns the code that classifies the failure: a WN_E* code or
 * the libuv code it was given. wn_error_final() (net/error.h) tells from that code whether
 * trying again can help: a refused connection can pass (the host may come back), a login
 * that ssh refused cannot.
 *
 * Plain functions of their inputs (no I/O), so that every message can be tested. */
#ifndef WEFT_NET_FAILURE_H
#define WEFT_NET_FAILURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/error.h"

#define WN_CONNECT_MS 10000 /* a TCP connect that has not finished by then has timed out */

/* The TCP connect to host:port failed with the libuv code uv_err (UV_ECONNREFUSED,
 * UV_ETIMEDOUT, UV_EHOSTUNREACH, ...). Returns uv_err. */
int wn_failure_connect(char *out, size_t size, const char *host, unsigned port, int uv_err);

/* Looking up host's address failed with uv_err (UV_EAI_*). Returns WN_ENOHOST when the
 * name does not exist, else uv_err (a name server that did not answer can come back). */
int wn_failure_resolve(char *out, size_t size, const char *host, int uv_err);

/* The ssh program (argv[0]) could not be started: uv_err from uv_spawn(). Returns
 * WN_ENOSSH. */
int wn_failure_spawn(char *out, size_t size, const char *program, int uv_err);

/* The connection to target (HOST:PORT) ended during the handshake, on our side's word: err
 * WN_ECLOSED, UV_ECONNRESET or UV_EPIPE (the peer closed it), WN_ETIMEOUT (no answer in
 * time), WN_EFRAME or WN_EPROTO (what came is not weft's protocol); why is the connection's
 * own reason, used for any other err. Returns err. */
int wn_failure_handshake(char *out, size_t size, const char *target, int err, const char *why);

/* How an ssh child ended before the session started. */
typedef struct wn_ssh_end {
    const char *dest;    /* the ssh destination, [USER@]HOST */
    const char *target;  /* the weft host's HOST:PORT as seen from there */
    bool exited;         /* it exited by itself (else it was stopped after the session failed) */
    int64_t status;      /* its exit status, if it exited by itself */
    int signal;          /* the signal that ended it, if it exited by itself */
    const char *err;     /* the end of what it wrote to stderr (lines), or NULL */
    bool batch;          /* it ran with BatchMode=yes: it could not ask for a password,
                            passphrase or host key */
    bool timed_out;      /* the session did not start in time */
} wn_ssh_end;

/* Returns WN_EDENIED (login refused, host key not verified), WN_ENOHOST (no such ssh host)
 * or WN_ESSH (anything that can pass: the ssh server or the weft host not reachable now). */
int wn_failure_ssh(char *out, size_t size, const wn_ssh_end *e);

/* The line of text (ssh's stderr) worth showing: the first line that names a known cause,
 * else the last non-empty line; "" if none. Copied to out (cut to size - 1 bytes). */
void wn_failure_ssh_line(char *out, size_t size, const char *err);

#endif
