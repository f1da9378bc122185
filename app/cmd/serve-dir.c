/* `weft serve DIR`: share a directory without an editor, until SIGINT or SIGTERM.
 *
 * The project's host is app/cmd/projhost.h's: the filter decides what guests see, the tree
 * is listed while the session runs, a file's document is made when a guest first opens it.
 * Logs "N files shared, M hidden" (once the tree is listed: at once for all but huge
 * trees), prints the tickets on stdout as `weft serve FILE` does, then logs joins,
 * opens, refusals and saves on stderr. Files are saved when a guest asks, and on SIGINT or
 * SIGTERM every file with unsaved edits is. No crash journal yet for a project
 * (TODO(#11)): the start-up says so. */
#include "app/cmd/cmd.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "app/cmd/hosting.h"
#include "app/cmd/projhost.h"
#include "net/host.h"

struct serve_dir {
    uv_loop_t loop;
    struct hosting hs;      /* the options, tokens, lock and the wn_host */
    projhost *ph;
    struct hosting_signals signals;
    bool stopping;
    int status;
};

static void say(void *ctx, bool error, const char *text)
{
    (void)ctx;
    (void)error;
    hosting_log("%s", text);
}

static void on_stopped(void *data)
{
    struct serve_dir *s = data;
    s->hs.host = NULL;
    projhost_stop(s->ph);
    hosting_release_signals(&s->signals);
}

static void on_signal(uv_signal_t *sig, int signum)
{
    struct serve_dir *s = sig->data;
    if (s->stopping)
        return;
    s->stopping = true;
    hosting_log("stopping (%s)", strsignal(signum));
    if (projhost_save_all(s->ph) > 0)
        s->status = 1;
    wn_host_end(s->hs.host, hosting_end_reason(signum),
                projhost_dirty(s->ph) == 0, on_stopped, s);
}

static void announce(struct serve_dir *s)
{
    struct proj_walk_stats st;
    projhost_stats(s->ph, &st);
    char text[256];
    projhost_summary(s->ph, text, sizeof text);
    if (st.done)
        hosting_log("%s", text);
    else
        hosting_log("listing %s: %s so far (the summary follows once the tree is listed)",
                s->hs.o.file, text);
    hosting_log("sharing %s on %s", s->hs.o.file, wn_host_address(s->hs.host));
    hosting_log("no crash journal for a directory yet: a crash loses edits not saved");
    char *tickets = hosting_print_tickets(&s->hs);
    if (!tickets)
        hosting_log("cannot form the tickets for %s", wn_host_address(s->hs.host));
    free(tickets);
}

static int run(struct serve_dir *s)
{
    int status = projhost_new(s->hs.o.file, &s->hs, NULL, &s->ph);
    if (status >= 0)
        return status;
    projtree_install(s->ph);
    projwatch_install(s->ph);
    int e = uv_loop_init(&s->loop);
    if (e) {
        fprintf(stderr, "weft serve: cannot start the event loop: %s.\n", uv_strerror(e));
        return 1;
    }
    if (projhost_start(s->ph, &s->loop) != 0) {
        uv_run(&s->loop, UV_RUN_DEFAULT);
        uv_loop_close(&s->loop);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    e = hosting_catch_signals(&s->loop, &s->signals, on_signal, s);
    if (e) {
        fprintf(stderr, "weft serve: cannot catch SIGINT and SIGTERM: %s.\n", uv_strerror(e));
        s->stopping = true;
        s->status = 1;
        wn_host_stop(s->hs.host, on_stopped, s);
    } else {
        announce(s);
    }
    uv_run(&s->loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&s->loop) != 0)
        hosting_log("a handle was left open at exit");
    return s->status;
}

int serve_dir(const struct hosting_options *o)
{
    int status = hosting_dir_check("weft serve", o);
    if (status >= 0)
        return status;
    /* Static: zeroed, and it outlives every handle on its loop. */
    static struct serve_dir s;
    s.hs.say = say;
    s.hs.ctx = &s;
    status = hosting_begin(&s.hs, "weft serve", o);
    if (status < 0)
        status = run(&s);
    hosting_end(&s.hs, true);
    projhost_free(s.ph);
    return status;
}
