/* `weft cat TICKET`: join a session, print its text byte for byte, leave.
 *
 * A reader that stops reading (`weft cat TICKET | head -1`) closes the pipe: that ends the
 * output quietly, with status 0, as it does for cat(1) in a shell pipeline. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "app/cmd/cli.h"
#include "app/cmd/cmd.h"
#include "app/cmd/share.h"
#include "app/editor/agent.h"
#include "net/crypto.h"
#include "net/guest.h"
#include "net/ticket.h"

static const char usage_text[] =
    "Usage: weft cat TICKET\n"
    "Print the current text of a shared session to standard output.\n"
    "\n"
    "Options:\n"
    "  -h, --help            show this help and exit\n";

struct cat {
    wf_doc *doc;
    wn_guest *guest;
    int status;
    char why[512];
    bool done;
};

static void on_stopped(void *data)
{
    (void)data;
}

static void finish(struct cat *c, int status)
{
    if (c->done)
        return;
    c->done = true;
    c->status = status;
    wn_guest_stop(c->guest, on_stopped, c);
}

static void on_state(void *data, int state, const char *why)
{
    struct cat *c = data;
    if (state == WN_GUEST_ONLINE) {
        int e = share_write_stream(c->doc, stdout);
        if (e == -EPIPE) /* the reader has all it wanted */
            e = 0;
        if (e)
            snprintf(c->why, sizeof c->why, "cannot write the text: %s", strerror(-e));
        finish(c, e ? 1 : 0);
    } else if (state == WN_GUEST_OFFLINE || state == WN_GUEST_ENDED) {
        snprintf(c->why, sizeof c->why, "%s", why);
        finish(c, 1);
    }
}

static void on_replaced(void *data, wf_doc *doc)
{
    struct cat *c = data;
    wf_doc_free(c->doc);
    c->doc = doc;
}

/* Takes the TICKET operand into *ticket. Returns -1 to go on, or the exit status. */
static int parse(int argc, char **argv, const char **ticket)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(usage_text, stdout); return 0;
        default: return cli_bad_option("weft cat", usage_text, c, "", argv);
        }
    }
    return cli_operand("weft cat", usage_text, "TICKET", argc, argv, ticket);
}

int cat_main(int argc, char **argv)
{
    const char *ticket;
    int status = parse(argc, argv, &ticket);
    if (status >= 0)
        return status;
    wn_ticket t;
    char err[256];
    if (wn_ticket_parse(ticket, &t, err, sizeof err) != 0) {
        fprintf(stderr, "weft cat: %s\n", err);
        return 2;
    }
    if (wn_crypto_init() != 0) {
        fprintf(stderr, "weft: cannot initialise libsodium (no entropy source?)\n");
        wn_ticket_free(&t);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    uv_loop_t loop;
    int e = uv_loop_init(&loop);
    if (e) {
        fprintf(stderr, "weft cat: cannot start the event loop: %s.\n", uv_strerror(e));
        wn_ticket_free(&t);
        return 1;
    }
    /* Static: zeroed, and it outlives every handle on the loop. */
    static struct cat c;
    c.doc = wf_doc_new(agent_random());
    wn_guest_config cfg = {.ticket = &t, .weft_ssh = getenv("WEFT_SSH"),
                           .name = share_name(NULL, "cat"), .version = PACKAGE_VERSION,
                           .reconnect = false, .ssh_may_ask = true};
    wn_guest_events ev = {.state = on_state, .replaced = on_replaced};
    e = wn_guest_start(&loop, c.doc, &cfg, &ev, &c, &c.guest);
    wn_ticket_free(&t);
    if (e) {
        fprintf(stderr, "weft cat: %s\n", wn_strerror(e));
        uv_loop_close(&loop);
        wf_doc_free(c.doc);
        return 1;
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    if (c.status)
        fprintf(stderr, "weft cat: %s\n", c.why);
    wf_doc_free(c.doc);
    return c.status;
}
