/* The ssh child of a connection attempt (see net/ssh.h).
 *
 * Three handles live in the object: the process, its stderr pipe and a timer (the SIGKILL
 * deadline while the child runs, then the grace for stderr after it exited). Each is
 * closed when its part is over: the process in its exit callback (never before: libuv would
 * not reap it), stderr at its end of file (or when the grace is over: a grandchild may hold
 * it open), the timer once both are closed. The last close callback tells the owner and
 * frees the object. The stdin and stdout pipes are handed to the caller (a wn_conn).
 *
 * The libuv calls whose result is discarded with (void) cannot fail here: uv_timer_init()
 * and uv_pipe_init() return 0, uv_timer_stop() and uv_read_stop() too, and uv_timer_start()
 * fails only on a closing handle or without a callback, uv_process_kill() only when the
 * child is already gone (ESRCH: it is exiting anyway, and its exit callback comes). */
#include "net/ssh.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

struct wn_ssh {
    uv_process_t proc;
    uv_pipe_t err;
    uv_timer_t timer;
    bool proc_open, err_open, timer_open;
    bool stopping;           /* wn_ssh_stop() was called */
    size_t err_len;          /* bytes in result.err */
    wn_ssh_result result;
    void (*done)(const wn_ssh_result *result, void *data);
    void *data;
    char chunk[1024];        /* for reads of stderr */
};

static void on_closed(uv_handle_t *h)
{
    wn_ssh *s = h->data;
    if (h == (uv_handle_t *)&s->proc)
        s->proc_open = false;
    else if (h == (uv_handle_t *)&s->err)
        s->err_open = false;
    else
        s->timer_open = false;
    if (!s->proc_open && !s->err_open && s->timer_open) {
        if (!uv_is_closing((uv_handle_t *)&s->timer))
            uv_close((uv_handle_t *)&s->timer, on_closed);
        return;
    }
    if (s->proc_open || s->err_open || s->timer_open)
        return;
    if (s->done)
        s->done(&s->result, s->data);
    free(s);
}

static void close_err(wn_ssh *s)
{
    if (s->err_open && !uv_is_closing((uv_handle_t *)&s->err))
        uv_close((uv_handle_t *)&s->err, on_closed);
}

/* Keeps the last WN_SSH_STDERR_KEEP bytes, control characters but newlines as blanks. */
static void keep_err(wn_ssh *s, const char *p, size_t n)
{
    if (n >= WN_SSH_STDERR_KEEP) {
        p += n - WN_SSH_STDERR_KEEP;
        n = WN_SSH_STDERR_KEEP;
    }
    if (s->err_len + n > WN_SSH_STDERR_KEEP) {
        size_t drop = s->err_len + n - WN_SSH_STDERR_KEEP;
        memmove(s->result.err, s->result.err + drop, s->err_len - drop);
        s->err_len -= drop;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        s->result.err[s->err_len++] = ch == '\n' || ch >= 0x20 ? (char)ch : ' ';
    }
    s->result.err[s->err_len] = '\0';
}

static void on_err_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    wn_ssh *s = h->data;
    *buf = uv_buf_init(s->chunk, sizeof s->chunk);
}

static void on_err_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    wn_ssh *s = st->data;
    if (nread < 0) {
        close_err(s);
        return;
    }
    keep_err(s, buf->base, (size_t)nread);
}

static void terminate(wn_ssh *s);

static void on_timer(uv_timer_t *t)
{
    wn_ssh *s = t->data;
    if (s->result.exited)
        close_err(s); /* the grace for stderr after the exit is over */
    else if (!s->result.stopped)
        terminate(s); /* the grace of wn_ssh_stop() is over */
    else
        (void)uv_process_kill(&s->proc, SIGKILL); /* it ignored SIGTERM */
}

static void terminate(wn_ssh *s)
{
    s->result.stopped = true;
    (void)uv_process_kill(&s->proc, SIGTERM); /* ESRCH: it is exiting anyway */
    (void)uv_timer_start(&s->timer, on_timer, WN_SSH_KILL_MS, 0);
}

static void on_child_exit(uv_process_t *p, int64_t status, int signal)
{
    wn_ssh *s = p->data;
    s->result.exited = true;
    s->result.status = status;
    s->result.signal = signal;
    uv_close((uv_handle_t *)&s->proc, on_closed);
    (void)uv_timer_stop(&s->timer);
    if (s->err_open)
        (void)uv_timer_start(&s->timer, on_timer, WN_SSH_STDERR_GRACE_MS, 0);
}

int wn_ssh_spawn(uv_loop_t *loop, char **argv, bool detached,
                 void (*done)(const wn_ssh_result *result, void *data), void *data,
                 uv_pipe_t **rd, uv_pipe_t **wr, wn_ssh **out)
{
    wn_ssh *s = wf_xcalloc(1, sizeof *s);
    uv_pipe_t *in = wf_xmalloc(sizeof *in), *outp = wf_xmalloc(sizeof *outp);
    (void)uv_pipe_init(loop, in, 0);
    (void)uv_pipe_init(loop, outp, 0);
    (void)uv_pipe_init(loop, &s->err, 0);
    uv_stdio_container_t stdio[3];
    stdio[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
    stdio[0].data.stream = (uv_stream_t *)in;
    stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[1].data.stream = (uv_stream_t *)outp;
    stdio[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[2].data.stream = (uv_stream_t *)&s->err;
    uv_process_options_t opt;
    memset(&opt, 0, sizeof opt);
    opt.file = argv[0];
    opt.args = argv;
    opt.exit_cb = on_child_exit;
    opt.stdio = stdio;
    opt.stdio_count = 3;
    opt.flags = detached ? UV_PROCESS_DETACHED : 0;
    s->done = done;
    s->data = data;
    s->proc.data = s->err.data = s->timer.data = s;
    s->proc_open = s->err_open = s->timer_open = true;
    (void)uv_timer_init(loop, &s->timer);
    int rc = uv_spawn(loop, &s->proc, &opt);
    if (rc) {
        /* No child: close everything; the last close frees s without a word. */
        s->done = NULL;
        uv_close((uv_handle_t *)in, (uv_close_cb)free);
        uv_close((uv_handle_t *)outp, (uv_close_cb)free);
        uv_close((uv_handle_t *)&s->proc, on_closed);
        uv_close((uv_handle_t *)&s->err, on_closed);
        return rc;
    }
    rc = uv_read_start((uv_stream_t *)&s->err, on_err_alloc, on_err_read);
    if (rc)
        close_err(s); /* the failure is explained without its words */
    *rd = outp;
    *wr = in;
    *out = s;
    return 0;
}

void wn_ssh_stop(wn_ssh *s, uint64_t grace_ms)
{
    if (s->result.exited || s->stopping)
        return;
    s->stopping = true;
    if (grace_ms == 0)
        terminate(s);
    else
        (void)uv_timer_start(&s->timer, on_timer, grace_ms, 0);
}

const wn_ssh_result *wn_ssh_result_of(const wn_ssh *s)
{
    return &s->result;
}
