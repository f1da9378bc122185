/* Helpers of the net/ tests that run a libuv loop: bounded waits and socket pairs.
 *
 * No test sleeps: every wait runs the loop until a condition holds, with a deadline after
 * which the test fails and says what it was waiting for. Like testutil.h's helpers, the
 * asserting ones may only be called inside a running Check test. */
#ifndef WEFT_TESTS_NETTEST_H
#define WEFT_TESTS_NETTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "core/buf.h"
#include "net/frame.h"

/* A condition to wait for; arg is the caller's. */
typedef bool (*wt_cond)(void *arg);

/* Runs loop until cond(arg) holds or ms milliseconds have passed, and returns cond's final
 * value. Returns early (false) when the loop has nothing left that could change anything.
 * The deadline timer is unreferenced, so it keeps nothing alive. ms is stretched by
 * CK_TIMEOUT_MULTIPLIER (wt_deadline_ms). */
bool wt_run_until(uv_loop_t *loop, wt_cond cond, void *arg, uint64_t ms);

/* wt_run_until() that must succeed: fails the test with `what` (and the caller's line). */
#define wt_wait(loop, cond, arg, ms, what) \
    wt__wait((loop), (cond), (arg), (ms), (what), __FILE__, __LINE__)
void wt__wait(uv_loop_t *loop, wt_cond cond, void *arg, uint64_t ms, const char *what,
              const char *file, int line);

/* Runs the loop until every handle has closed (at most ms), then closes it; fails the test,
 * naming the handle types still open, if any remain (a leaked handle). */
void wt_loop_finish(uv_loop_t *loop, uint64_t ms);

/* A connected pair of Unix stream sockets (socketpair(2)) as two new uv_pipe_t on loop,
 * allocated with malloc (so that wn_conn_new() may take them). If raw is not NULL, raw[i]
 * gets a duplicate of end i's descriptor, to write bytes behind the handle's back; close it
 * with close(). */
void wt_pipe_pair(uv_loop_t *loop, uv_pipe_t *p[2], int raw[2]);

/* A connected pair of Unix stream sockets: one end as a new uv_pipe_t (malloc'd, as for
 * wt_pipe_pair), the other as a plain blocking descriptor in *fd for the test to drive by
 * hand; close it with close(). */
void wt_pipe_and_fd(uv_loop_t *loop, uv_pipe_t **p, int *fd);

/* Writes all of buf[0..n) to the descriptor fd (blocking on EAGAIN with poll(2), at most
 * 5 s); fails the test otherwise. */
void wt_write_all(int fd, const void *buf, size_t n);

/* --- a relay in the middle ------------------------------------------------------------- */

/* A man in the middle between two socket pairs: it reads whole frames on one side and writes
 * them on the other, and can spoil one SEALED frame of one direction: send it twice, flip a
 * bit of its ciphertext, drop it, or swap it with the next one. The end of either stream is
 * passed on (after what is queued). */
enum wt_relay_mode {
    WT_RELAY_PASS,
    WT_RELAY_DUPLICATE,
    WT_RELAY_FLIP,
    WT_RELAY_DROP,
    WT_RELAY_SWAP,
};

typedef struct wt_relay wt_relay;

/* One direction: frames read from `from` are written to `to`. */
typedef struct wt_relay_leg {
    wt_relay *r;
    uv_pipe_t *from, *to;
    wn_frame_reader reader;
    bool tamper;   /* the relay's mode applies to this direction */
    long sealed;   /* SEALED frames seen */
    wf_buf held;   /* a frame held back (SWAP) */
} wt_relay_leg;

struct wt_relay {
    enum wt_relay_mode mode;
    long target;   /* which SEALED frame (0-based) of the tampered direction */
    wt_relay_leg ab, ba;
};

/* Starts relaying between a and b (the relay's ends of two socket pairs, which it takes:
 * wt_pipe_pair() handles), spoiling the target-th SEALED frame from a to b (from b to a when
 * b_to_a). Caller's storage: wt_relay_close(), run the loop, then wt_relay_free(). */
void wt_relay_start(wt_relay *r, uv_pipe_t *a, uv_pipe_t *b, enum wt_relay_mode mode,
                    long target, bool b_to_a);
void wt_relay_close(wt_relay *r);
void wt_relay_free(wt_relay *r);

#endif
