/* One look at a session (see peek.h). The guest never reconnects: a look that loses the
 * host ends with status 1 and the reason, as `weft cat` always did. */
#include "app/cmd/peek.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "app/cmd/share.h"
#include "app/editor/agent.h"
#include "net/crypto.h"
#include "net/ticket.h"

static void on_stopped(void *data)
{
    (void)data;
}

void peek_finish(struct peek *p, int status, const char *why, ...)
{
    if (p->done)
        return;
    p->done = true;
    p->status = status;
    if (why) {
        va_list ap;
        va_start(ap, why);
        vsnprintf(p->why, sizeof p->why, why, ap);
        va_end(ap);
    }
    wn_guest_stop(p->guest, on_stopped, p);
}

static void on_state(void *data, int state, const char *why)
{
    if (state == WN_GUEST_OFFLINE || state == WN_GUEST_ENDED)
        peek_finish(data, 1, "%s", why && why[0] ? why : "the session was lost");
}

static void on_manifest(void *data, const wn_entries *page)
{
    struct peek *p = data;
    if (p->done)
        return;
    if (p->ops->page)
        p->ops->page(p, page);
    if (!p->done && page->next_after == 0 && p->ops->listed)
        p->ops->listed(p);
}

static void on_opened(void *data, uint64_t file, wf_doc *doc, const char *why)
{
    struct peek *p = data;
    if (p->done || !p->ops->opened) {
        wf_doc_free(doc);
        return;
    }
    p->ops->opened(p, file, doc, why);
}

void peek_open(struct peek *p, uint64_t file)
{
    wn_guest_open(p->guest, file, NULL);
}

bool peek_single_file(const struct peek *p)
{
    return wn_guest_single_file(p->guest);
}

/* Runs the guest on a loop of its own. Returns the status. */
static int run(struct peek *p, const wn_ticket *t)
{
    uv_loop_t loop;
    int e = uv_loop_init(&loop);
    if (e) {
        snprintf(p->why, sizeof p->why, "cannot start the event loop: %s.", uv_strerror(e));
        return 1;
    }
    wn_guest_config cfg = {.ticket = t, .weft_ssh = getenv("WEFT_SSH"),
                           .name = share_name(NULL, p->prog + (strncmp(p->prog, "weft ", 5)
                                                               ? 0 : 5)),
                           .version = PACKAGE_VERSION, .reconnect = false,
                           .ssh_may_ask = true};
    wn_guest_events ev = {.state = on_state};
    wn_guest_project_events pev = {.manifest = on_manifest, .opened = on_opened};
    e = wn_guest_start_project(&loop, agent_random(), &cfg, &ev, &pev, p, &p->guest);
    if (e) {
        snprintf(p->why, sizeof p->why, "%s", wn_strerror(e));
        uv_loop_close(&loop);
        return 1;
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    return p->status;
}

int peek_run(struct peek *p, const char *ticket)
{
    wn_ticket t;
    char err[256];
    int status;
    if (wn_ticket_parse(ticket, &t, err, sizeof err) != 0) {
        snprintf(p->why, sizeof p->why, "%s", err);
        status = 2;
    } else if (wn_crypto_init() != 0) {
        snprintf(p->why, sizeof p->why, "cannot initialise libsodium (no entropy source?)");
        wn_ticket_free(&t);
        status = 1;
    } else {
        signal(SIGPIPE, SIG_IGN);
        status = run(p, &t);
        wn_ticket_free(&t);
    }
    if (status)
        fprintf(stderr, "%s: %s\n", p->prog, p->why);
    return status;
}
