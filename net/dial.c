/* Reaching a host for one attempt (see net/dial.h).
 *
 * A dial counts what it still waits for in `refs`: the owner's hold, its timer (every dial
 * has one, closed when the owner lets go, so that the last reference always drops in a
 * libuv callback and `closed` never runs inside a call into this module), a lookup in
 * flight, a TCP handle being connected, an ssh child not yet gone. When the count reaches
 * zero the dial tells its owner (`closed`) and frees itself.
 *
 * TCP: uv_getaddrinfo(), then uv_tcp_connect() to the first address, with the timer as the
 * WN_CONNECT_MS deadline; a connect that fails, times out or is cancelled closes its handle,
 * and the close callback reports it. ssh: the command line from net/ticket.h (with
 * "-o BatchMode=yes" unless it may ask), spawned by net/ssh.h; its pipes are the streams at
 * once, and the child is kept until it is gone, to explain a connection that ended with
 * nothing through it. */
#include "net/dial.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "net/failure.h"
#include "net/ssh.h"

#define SSH_EOF_GRACE_MS 500 /* an ssh whose pipes ended gets this long to exit by itself */

struct wn_dial {
    uv_loop_t *loop;
    const wn_ticket *ticket;  /* borrowed until `closed` */
    wn_dial_events ev;
    void *data;
    int refs;                 /* see the top of the file */
    bool released;            /* the owner let go: no event from now on but `closed` */
    bool silent;              /* wn_dial_start() failed: not even `closed` */
    uv_timer_t timer;         /* WN_CONNECT_MS for the TCP connect */
    uv_getaddrinfo_t gai;
    bool resolving;           /* gai is in flight */
    uv_connect_t connect;
    uv_tcp_t *tcp;            /* being connected (ours until `connected`), or NULL */
    int status;               /* the connect's outcome */
    bool timed_out;           /* WN_CONNECT_MS passed first */
    wn_ssh *ssh;              /* the child, until it is gone */
    bool batch;               /* it runs with BatchMode=yes */
    bool explain;             /* hung up with nothing heard: its end says why */
    int hangup_err;           /* ... and how the connection ended */
};

static void unref(wn_dial *d)
{
    if (--d->refs > 0)
        return;
    void (*closed)(void *) = d->silent ? NULL : d->ev.closed;
    void *data = d->data;
    free(d);
    if (closed)
        closed(data);
}

static void on_timer_closed(uv_handle_t *h)
{
    unref(h->data);
}

/* The owner's hold ends; the timer's close callback drops the last but other references. */
static void release(wn_dial *d)
{
    d->released = true;
    uv_close((uv_handle_t *)&d->timer, on_timer_closed);
    unref(d);
}

/* Tells the owner, which lets go of the dial with this event. */
static void fail(wn_dial *d, int err, const char *why)
{
    if (d->ev.failed)
        d->ev.failed(d->data, err, why);
    release(d);
}

/* --- TCP ------------------------------------------------------------------------------ */

static void on_tcp_closed(uv_handle_t *h)
{
    wn_dial *d = h->data;
    free(h);
    d->tcp = NULL;
    if (!d->released) {
        char why[WN_DIAL_WHY_MAX];
        int err = wn_failure_connect(why, sizeof why, d->ticket->host, d->ticket->port,
                                     d->timed_out ? UV_ETIMEDOUT : d->status);
        fail(d, err, why);
    }
    unref(d);
}

/* Ends the connect under way with status (its callback then sees UV_ECANCELED); the close
 * callback reports it. */
static void close_tcp(wn_dial *d, int status, bool timed_out)
{
    if (uv_is_closing((uv_handle_t *)d->tcp))
        return;
    (void)uv_timer_stop(&d->timer); /* cannot fail */
    d->status = status;
    d->timed_out = timed_out;
    uv_close((uv_handle_t *)d->tcp, on_tcp_closed);
}

static void on_connect_timeout(uv_timer_t *t)
{
    wn_dial *d = t->data;
    if (d->tcp)
        close_tcp(d, UV_ECANCELED, true);
}

static void on_connected(uv_connect_t *req, int status)
{
    wn_dial *d = req->data;
    if (uv_is_closing((uv_handle_t *)d->tcp))
        return; /* cancelled or timed out: on_tcp_closed() reports it */
    if (status < 0) {
        close_tcp(d, status, false);
        return;
    }
    (void)uv_timer_stop(&d->timer);
    /* Without TCP_NODELAY keystrokes wait for acknowledgements; a socket that refuses the
     * option still carries the session, only slower. */
    (void)uv_tcp_nodelay(d->tcp, 1);
    uv_stream_t *s = (uv_stream_t *)d->tcp;
    d->tcp = NULL;
    d->refs--; /* the handle is the owner's now; the owner's hold keeps refs above 0 */
    if (d->ev.connected)
        d->ev.connected(d->data, s, s, 0);
}

/* Connects to the first address found; a failure is reported by on_tcp_closed(). */
static void connect_to(wn_dial *d, const struct sockaddr *addr)
{
    d->tcp = wf_xmalloc(sizeof *d->tcp);
    int err = uv_tcp_init(d->loop, d->tcp);
    if (err) {
        free(d->tcp);
        d->tcp = NULL;
        char why[WN_DIAL_WHY_MAX];
        fail(d, wn_failure_connect(why, sizeof why, d->ticket->host, d->ticket->port, err),
             why);
        return;
    }
    d->refs++;
    d->tcp->data = d;
    d->connect.data = d;
    err = uv_tcp_connect(&d->connect, d->tcp, addr, on_connected);
    if (!err)
        err = uv_timer_start(&d->timer, on_connect_timeout, WN_CONNECT_MS, 0);
    if (err)
        close_tcp(d, err, false);
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
    wn_dial *d = req->data;
    d->resolving = false;
    if (d->released) {
        /* cancelled: nothing to report */
    } else if (status < 0) {
        char why[WN_DIAL_WHY_MAX];
        fail(d, wn_failure_resolve(why, sizeof why, d->ticket->host, status), why);
    } else {
        connect_to(d, res->ai_addr);
    }
    uv_freeaddrinfo(res); /* NULL is fine */
    unref(d);
}

static int start_tcp(wn_dial *d, char *why, size_t size)
{
    char port[8];
    snprintf(port, sizeof port, "%u", d->ticket->port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    d->gai.data = d;
    int err = uv_getaddrinfo(d->loop, &d->gai, on_resolved, d->ticket->host, port, &hints);
    if (err)
        return wn_failure_resolve(why, size, d->ticket->host, err);
    d->resolving = true;
    d->refs++;
    return 0;
}

/* --- ssh ------------------------------------------------------------------------------ */

/* The ssh destination as ssh takes it: [USER@]HOST, or ssh://[USER@]HOST:PORT with a port
 * (OpenSSH takes that form too). */
static void ssh_dest(const wn_ticket *t, char *out, size_t size)
{
    bool v6 = strchr(t->ssh_host, ':') != NULL;
    if (t->ssh_port)
        snprintf(out, size, "ssh://%s%s%s%s%s:%u", t->ssh_user ? t->ssh_user : "",
                 t->ssh_user ? "@" : "", v6 ? "[" : "", t->ssh_host, v6 ? "]" : "",
                 (unsigned)t->ssh_port);
    else
        snprintf(out, size, "%s%s%s", t->ssh_user ? t->ssh_user : "", t->ssh_user ? "@" : "",
                 t->ssh_host);
}

/* The child is gone. If the connection over it ended with nothing through it, this is the
 * moment to say why. */
static void on_ssh_done(const wn_ssh_result *r, void *data)
{
    wn_dial *d = data;
    d->ssh = NULL;
    if (d->explain && !d->released) {
        char dest[400], target[300], why[900];
        ssh_dest(d->ticket, dest, sizeof dest);
        snprintf(target, sizeof target, "%s:%u", d->ticket->host, d->ticket->port);
        wn_ssh_end e = {.dest = dest, .target = target,
                        .exited = r->exited && !r->stopped, .status = r->status,
                        .signal = r->signal, .err = r->err, .batch = d->batch,
                        .timed_out = d->hangup_err == WN_ETIMEOUT};
        int err = wn_failure_ssh(why, sizeof why, &e);
        fail(d, err, why);
    }
    unref(d);
}

/* argv with "-o BatchMode=yes" before its last word (the destination). ssh keeps the first
 * value it is given for an option, so a user's own -o BatchMode in WEFT_SSH still wins. */
static char **with_batch_mode(char **argv)
{
    size_t n = 0;
    while (argv[n])
        n++;
    char **v = wf_xreallocarray(argv, n + 3, sizeof *v);
    v[n + 1] = v[n - 1];
    v[n - 1] = wf_xstrndup("-o", 2);
    v[n] = wf_xstrndup("BatchMode=yes", 13);
    v[n + 2] = NULL;
    return v;
}

static int start_ssh(wn_dial *d, const wn_dial_config *cfg, char *why, size_t size)
{
    char **argv = wn_ssh_argv(d->ticket, cfg->weft_ssh, why, size);
    if (!argv)
        return WN_ETICKET;
    d->batch = !cfg->may_ask;
    if (d->batch)
        argv = with_batch_mode(argv);
    uv_pipe_t *rd, *wr;
    int rc = wn_ssh_spawn(d->loop, argv, d->batch, on_ssh_done, d, &rd, &wr, &d->ssh);
    if (rc) {
        int err = wn_failure_spawn(why, size, argv[0], rc);
        wn_argv_free(argv);
        return err;
    }
    wn_argv_free(argv);
    d->refs++;
    if (d->ev.connected)
        d->ev.connected(d->data, (uv_stream_t *)rd, (uv_stream_t *)wr,
                        cfg->may_ask ? WN_SSH_ASK_MS : 0);
    return 0;
}

/* --- the interface -------------------------------------------------------------------- */

int wn_dial_start(uv_loop_t *loop, const wn_dial_config *cfg, const wn_dial_events *ev,
                  void *data, char *why, size_t size, wn_dial **out)
{
    *out = NULL;
    wn_dial *d = wf_xcalloc(1, sizeof *d);
    int err = uv_timer_init(loop, &d->timer);
    if (err) {
        free(d);
        snprintf(why, size, "cannot start a connection: %s", uv_strerror(err));
        return err;
    }
    d->loop = loop;
    d->ticket = cfg->ticket;
    d->ev = *ev;
    d->data = data;
    d->timer.data = d;
    d->refs = 2; /* the owner's hold and the timer */
    *out = d;
    err = cfg->ticket->ssh ? start_ssh(d, cfg, why, size) : start_tcp(d, why, size);
    if (err) {
        *out = NULL;
        d->silent = true;
        release(d);
    }
    return err;
}

void wn_dial_cancel(wn_dial *d)
{
    if (d->resolving)
        (void)uv_cancel((uv_req_t *)&d->gai); /* fails once it runs: its callback then
                                                 comes as usual, and sees `released` */
    if (d->tcp)
        close_tcp(d, UV_ECANCELED, false);
    if (d->ssh)
        wn_ssh_stop(d->ssh, SSH_EOF_GRACE_MS); /* after the BYE, ssh ends by itself */
    release(d);
}

bool wn_dial_hangup(wn_dial *d, bool heard, int err)
{
    if (d->ssh && !heard) {
        d->explain = true;
        d->hangup_err = err;
        wn_ssh_stop(d->ssh, err == WN_ETIMEOUT ? 0 : SSH_EOF_GRACE_MS);
        return true;
    }
    if (d->ssh)
        wn_ssh_stop(d->ssh, 0); /* it goes on its own, and is reaped */
    release(d);
    return false;
}
