/* What `weft host` and `weft join` share (see collab.h): running the UI beside the
 * network on one loop, and closing everything in order afterwards (libuv's rule: a handle's
 * storage outlives its close callback, so the loop runs until the network says it is done,
 * before the editor and its document go). */
#include "app/cmd/collab.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/cmd/hosting.h"

#include "net/host.h"

static void on_tick(uv_timer_t *t)
{
    struct collab *c = t->data;
    if (session_tick(&c->ed, ui_now_ms()))
        c->ui.redraw = true;
    if (c->on_tick)
        c->on_tick(c);
}

static void on_net_stopped(void *data)
{
    ((struct collab *)data)->net_stopped = true;
}

int collab_finish(struct collab *c)
{
    c->stop(c, on_net_stopped, c);
    uv_run(&c->loop, UV_RUN_DEFAULT);
    if (!c->net_stopped || uv_loop_close(&c->loop) != 0) {
        fprintf(stderr, "weft: a network handle was left open at exit\n");
        return 1;
    }
    return 0;
}

int collab_run(struct collab *c)
{
    uv_timer_init(&c->loop, &c->tick);
    c->tick.data = c;
    int e = uv_timer_start(&c->tick, on_tick, COLLAB_TICK_MS, COLLAB_TICK_MS);
    if (e) {
        /* Before the editor takes the terminal: without the tick, notices would never go
         * and a guest would not see its link change. */
        fprintf(stderr, "weft: cannot start the session's timer: %s.\n", uv_strerror(e));
        uv_close((uv_handle_t *)&c->tick, NULL);
        collab_finish(c);
        return 1;
    }
    int status = ui_run(&c->ui, &c->loop);
    if (status == 0 && c->ui.stopped) /* first: the network may take a while to stop */
        status = ui_after_stop(&c->ui);
    uv_close((uv_handle_t *)&c->tick, NULL);
    collab_finish(c);
    return status;
}

void collab_notice(struct collab *c, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char text[sizeof c->sess.notice];
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    session_notice(&c->sess, ui_now_ms(), error, "%s", text);
    editor_log(&c->ed, error, text);
    c->ed.msg[0] = '\0'; /* the newer word wins the status line */
    c->ui.redraw = true;
}

/* host-dir.c and join.c pass the editor's tree requests on as they are. */
_Static_assert((int)SESSION_TREE_CREATE == (int)WN_TREE_CREATE
               && (int)SESSION_TREE_MKDIR == (int)WN_TREE_MKDIR
               && (int)SESSION_TREE_RENAME == (int)WN_TREE_RENAME
               && (int)SESSION_TREE_DELETE == (int)WN_TREE_DELETE,
               "the editor's tree requests are the protocol's");

int collab_host_begin(struct collab *c, const struct session_ops *ops, void *ctx,
                      bool line_numbers, bool mouse)
{
    int e = uv_loop_init(&c->loop);
    if (e) {
        fprintf(stderr, "weft host: cannot start the event loop: %s.\n", uv_strerror(e));
        editor_close(&c->ed);
        return 1;
    }
    c->ed.line_numbers = line_numbers;
    c->ed.clock = ui_now_ms;
    session_init(&c->sess, SESSION_HOST, ops, ctx);
    c->ed.session = &c->sess;
    c->ui = (struct ui){.ed = &c->ed, .mouse = mouse};
    return 0;
}

void collab_host_presence(struct collab *c, struct wn_host *host, const wn_presence *p)
{
    wn_presence mine = *p;
    mine.clock = ++c->presence_clock;
    wn_host_set_presence(host, &mine);
}

int collab_show_tickets(struct collab *c, struct hosting *hs)
{
    char *text = hosting_print_tickets(hs);
    if (!text) {
        fprintf(stderr, "weft host: cannot form the tickets for %s.\n",
                wn_host_address(hs->host));
        return 1;
    }
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        session_add_ticket(&c->sess, line);
    free(text);
    return 0;
}

void collab_take_people(struct collab *c, struct wn_host *host)
{
    const wn_presence *list;
    size_t n = wn_host_guests(host, &list);
    char joined[200], left[200];
    session_set_people(&c->sess, list, n, joined, left, sizeof joined);
    char text[256];
    if (joined[0]) {
        snprintf(text, sizeof text, "%s joined", joined);
        wn_host_notice(host, text);
    }
    if (left[0]) {
        snprintf(text, sizeof text, "%s left", left);
        wn_host_notice(host, text);
    }
    session_follow_update(&c->ed);
    c->ui.redraw = true;
}
