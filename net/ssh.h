/* The `ssh -W HOST:PORT SSHHOST` child of one connection attempt of a guest (net/guest.h):
 * its stdin and stdout carry the session (a wn_conn on the two pipes), its stderr is kept to
 * explain a failure (net/failure.h reads it).
 *
 * Every child is reaped. libuv waits for a child only while its process handle is open, so
 * the handle stays open until the exit callback has run (closing it earlier, as weft once
 * did, leaves a zombie per attempt). wn_ssh_stop() asks the child to end (SIGTERM) and
 * kills it (SIGKILL) if it has not ended WN_SSH_KILL_MS later. The object frees itself once
 * the child has exited and its stderr is closed, after telling its owner (`done`). */
#ifndef WEFT_NET_SSH_H
#define WEFT_NET_SSH_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "net/error.h"

#define WN_SSH_KILL_MS 2000        /* SIGTERM to SIGKILL */
#define WN_SSH_STDERR_GRACE_MS 500 /* stderr kept open this long after the exit */
#define WN_SSH_STDERR_KEEP 2048    /* bytes of the end of stderr kept */

typedef struct wn_ssh wn_ssh;

/* How the child ended, and what it said. */
typedef struct wn_ssh_result {
    bool exited;         /* it has exited (else: not yet) */
    int64_t status;      /* exit status, when it exited by itself */
    int signal;          /* the signal that ended it, or 0 */
    bool stopped;        /* wn_ssh_stop() sent it SIGTERM before it exited */
    char err[WN_SSH_STDERR_KEEP + 1]; /* the end of its stderr, NUL-terminated; control
                                         characters but newlines made blanks */
} wn_ssh_result;

/* Spawns argv[0] (searched in PATH) with argv. With `detached`, the child runs in a session
 * of its own, without a controlling terminal: it cannot open /dev/tty, so it can neither
 * ask the user anything nor draw over a screen (the editor's). On success returns 0 with
 * *out, and the child's stdout in *rd and stdin in *wr: new uv_pipe_t allocated with
 * malloc, for wn_conn_new() to take. done(result, data) runs once the child has exited and
 * its stderr is closed; the object is freed when it returns. On failure returns the libuv error of
 * uv_spawn() (UV_ENOENT: no such program) with nothing left running and done never
 * called. */
WF_MUST_CHECK int wn_ssh_spawn(uv_loop_t *loop, char **argv, bool detached,
                               void (*done)(const wn_ssh_result *result, void *data),
                               void *data, uv_pipe_t **rd, uv_pipe_t **wr, wn_ssh **out);

/* Ends the child: SIGTERM grace_ms from now unless it has exited by then (0: now), SIGKILL
 * WN_SSH_KILL_MS after that. (A grace lets a child that is ending anyway, e.g. after its
 * stdout closed, report its own exit status.) Only the first call counts. `done` still
 * runs once it is gone. */
void wn_ssh_stop(wn_ssh *s, uint64_t grace_ms);

/* What is known so far (valid until `done` returns). */
const wn_ssh_result *wn_ssh_result_of(const wn_ssh *s);

#endif
