/* The editor in a shared session: `weft host FILE` (app/cmd/host.c) and `weft join TICKET`
 * (app/cmd/join.c), and what they share (app/cmd/collab.c): one libuv loop running the terminal,
 * the network and a tick timer; the editor, its session (app/editor/session.h) and the UI.
 *
 * Network events only change state and set ui.redraw; the screen is drawn once per loop
 * turn by app/ui/input.c. The tick timer ends the typing mark and old notices, and lets the
 * guest notice what changes without an event (the digest's in-sync verdict, the count of
 * unsent units). */
#ifndef WEFT_APP_CMD_COLLAB_H
#define WEFT_APP_CMD_COLLAB_H

#include <stdbool.h>
#include <uv.h>

#include "app/editor/editor.h"
#include "app/editor/session.h"
#include "app/ui/ui.h"

#define COLLAB_TICK_MS 100

struct collab {
    struct editor ed;
    struct session sess;
    struct ui ui;
    uv_loop_t loop;
    uv_timer_t tick;
    void (*on_tick)(struct collab *c);  /* or NULL: more to do on each tick */
    /* Stops the network side; done(data) must run once it is closed. */
    void (*stop)(struct collab *c, void (*done)(void *data), void *data);
    bool net_stopped;                   /* done() ran */
    uint64_t presence_clock;            /* a host's: its own presence's clock */
};

/* A host's, once its editor holds the files: starts c->loop and ties the editor to a host
 * session (ops with ctx). Returns 0, or 1 with a message on stderr and the editor closed. */
int collab_host_begin(struct collab *c, const struct session_ops *ops, void *ctx,
                      bool line_numbers, bool mouse);

/* Runs the UI on c->loop (already holding the network's handles) until the editor quits
 * or a signal stops it, then stops the network, lets the loop finish and closes it.
 * Returns the exit status. */
int collab_run(struct collab *c);

/* Stops the network side without a UI (e.g. a join that failed before the editor
 * started), lets the loop finish and closes it. Returns 0, or 1 if a handle was left open. */
int collab_finish(struct collab *c);

/* A host's: takes the guests' list again from host, tells everyone who came and went (a
 * notice to the guests), follows on, and asks for a redraw. */
struct wn_host;
void collab_take_people(struct collab *c, struct wn_host *host);

/* A host's: sends its own presence p to the guests, with a newer clock, so that it
 * replaces the record they hold. */
void collab_host_presence(struct collab *c, struct wn_host *host, const wn_presence *p);

/* A host's, once it listens: prints the join tickets (hosting_print_tickets()) and keeps
 * them for Ctrl-T. Returns 0, or 1 with a message on stderr. */
struct hosting;
int collab_show_tickets(struct collab *c, struct hosting *hs);

/* Shows a session notice now (it replaces the editor's message of the moment) and asks for
 * a redraw. */
void collab_notice(struct collab *c, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
