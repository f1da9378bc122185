/* The event loop of the editor: terminal input, resize, signals and redraws, on libuv.
 *
 * stdin is watched with a uv_poll handle; its bytes go through app/editor/keys.c and the events
 * to the caller. A lone ESC waits INPUT_ESC_MS for the rest of a sequence (a uv_timer).
 * SIGWINCH resizes; SIGTERM, SIGHUP, SIGINT and SIGQUIT end the loop through the signal
 * handler; so does the terminal going away (read returns 0 or fails). After either, those
 * four signals are ignored until input_release_signals(), so that what the caller still
 * has to do (keep the unsaved text, say where it is) cannot be cut short by a second one. The draw callback runs
 * in a uv_prepare handle, i.e. at most once per loop turn, and only after something
 * happened. The loop is the caller's, so the network layer can run its handles on it too
 * (DESIGN.md §3: one libuv loop per process); their callbacks ask for a redraw by setting
 * *redraw (see struct input_handlers), which the same prepare handle honours. */
#ifndef WEFT_APP_UI_INPUT_H
#define WEFT_APP_UI_INPUT_H

#include <stdbool.h>
#include <uv.h>

#include "app/editor/keys.h"
#include "core/error.h" /* WF_MUST_CHECK */

#define INPUT_ESC_MS 50

struct input_handlers {
    void (*event)(void *ctx, const struct keyev *ev); /* one decoded input event */
    void (*resize)(void *ctx);                        /* the window size changed */
    void (*draw)(void *ctx);                          /* redraw (something changed) */
    /* A terminating signal arrived (sig > 0), or the terminal went away (sig == 0); the
     * loop ends after this returns. Called once, while further terminating signals are
     * still caught (and dropped): the place for work that must not be interrupted. */
    void (*signal)(void *ctx, int sig);
    bool (*done)(void *ctx);                          /* true: end the loop */
    void *ctx;
    /* Optional: anything on the loop (network events, timers) sets *redraw = true to have
     * draw() called once before the loop next waits; input_run() clears it. */
    bool *redraw;
    /* Optional: background work done in bounded steps while no input waits (a uv_idle
     * handle, started after each draw); returns true while more steps are wanted. */
    bool (*idle)(void *ctx);
};

/* Runs loop (initialised by the caller) until done() says so or a terminating signal
 * arrives, then closes the handles it added. Returns 0, or a UV_E* code if they could not
 * be set up. */
WF_MUST_CHECK int input_run(uv_loop_t *loop, const struct input_handlers *h);

/* Once the caller has done what a stop must not interrupt: from now on SIGTERM, SIGHUP,
 * SIGINT and SIGQUIT end the process at once, with status 1 (the status weft documents
 * after a signal), so that a shutdown that hangs can still be ended. */
void input_release_signals(void);

#endif
