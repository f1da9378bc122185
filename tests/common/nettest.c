/* Helpers of the net/ tests that run a libuv loop (see nettest.h). */
#include "tests/common/nettest.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/crypto.h"
#include "tests/common/testutil.h"

static void on_deadline(uv_timer_t *t)
{
    *(bool *)t->data = true;
}

bool wt_run_until(uv_loop_t *loop, wt_cond cond, void *arg, uint64_t ms)
{
    if (cond(arg))
        return true;
    bool expired = false;
    uv_timer_t t;
    uv_timer_init(loop, &t);
    t.data = &expired;
    uv_timer_start(&t, on_deadline, wt_deadline_ms(ms), 0);
    uv_unref((uv_handle_t *)&t);
    bool ok = false;
    while (!expired) {
        int alive = uv_run(loop, UV_RUN_ONCE);
        if ((ok = cond(arg)) || !alive)
            break;
    }
    /* The timer lives on this stack frame: let its close complete before returning. One
     * loop iteration runs every pending close callback. */
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    return ok || cond(arg);
}

void wt__wait(uv_loop_t *loop, wt_cond cond, void *arg, uint64_t ms, const char *what,
              const char *file, int line)
{
    if (!wt_run_until(loop, cond, arg, ms))
        ck_abort_msg("%s:%d: gave up after %llu ms waiting for %s", file, line,
                     (unsigned long long)wt_deadline_ms(ms), what);
}

static bool loop_done(void *arg)
{
    return !uv_loop_alive(arg);
}

static void name_handle(uv_handle_t *h, void *arg)
{
    char *list = arg;
    size_t n = strlen(list);
    if (n + 40 < 512)
        snprintf(list + n, 512 - n, " %s%s", uv_handle_type_name(h->type),
                 uv_is_closing(h) ? "(closing)" : uv_is_active(h) ? "(active)" : "");
}

void wt_loop_finish(uv_loop_t *loop, uint64_t ms)
{
    wt_run_until(loop, loop_done, loop, ms);
    int rc = uv_loop_close(loop);
    if (rc != 0) {
        char list[512] = "";
        uv_walk(loop, name_handle, list);
        ck_abort_msg("the loop still holds handles after %llu ms:%s", (unsigned long long)ms,
                     list);
    }
}

void wt_pipe_pair(uv_loop_t *loop, uv_pipe_t *p[2], int raw[2])
{
    int fd[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, fd), 0);
    for (int i = 0; i < 2; i++) {
        if (raw) {
            raw[i] = dup(fd[i]);
            ck_assert_int_ge(raw[i], 0);
        }
        p[i] = malloc(sizeof *p[i]);
        ck_assert_ptr_nonnull(p[i]);
        ck_assert_int_eq(uv_pipe_init(loop, p[i], 0), 0);
        ck_assert_int_eq(uv_pipe_open(p[i], fd[i]), 0);
    }
}

void wt_pipe_and_fd(uv_loop_t *loop, uv_pipe_t **p, int *fd)
{
    int fds[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    *p = malloc(sizeof **p);
    ck_assert_ptr_nonnull(*p);
    ck_assert_int_eq(uv_pipe_init(loop, *p, 0), 0);
    ck_assert_int_eq(uv_pipe_open(*p, fds[0]), 0);
    *fd = fds[1];
}

void wt_write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pfd = {.fd = fd, .events = POLLOUT};
            ck_assert_msg(poll(&pfd, 1, 5000) == 1, "the socket stayed full for 5 s");
            continue;
        }
        if (k < 0 && errno == EINTR)
            continue;
        ck_assert_msg(k > 0, "write: %s", strerror(errno));
        p += k;
        n -= (size_t)k;
    }
}

/* --- a relay in the middle ------------------------------------------------------------- */

typedef struct relay_write {
    uv_write_t req;
    uint8_t data[];
} relay_write;

static void on_relay_written(uv_write_t *req, int status)
{
    (void)status;
    free(req);
}

static void relay_send(wt_relay_leg *l, const uint8_t *p, size_t n)
{
    if (n == 0 || uv_is_closing((uv_handle_t *)l->to))
        return;
    relay_write *w = malloc(sizeof *w + n);
    ck_assert_ptr_nonnull(w);
    memcpy(w->data, p, n);
    uv_buf_t b = uv_buf_init((char *)w->data, (unsigned)n);
    if (uv_write(&w->req, (uv_stream_t *)l->to, &b, 1, on_relay_written) != 0)
        free(w); /* the other side is gone */
}

/* Applies the mode to the target frame (f: the whole frame, n: its payload bytes). */
static void relay_spoil(wt_relay_leg *l, long k, wf_buf *f, size_t n)
{
    switch (l->r->mode) {
    case WT_RELAY_PASS: relay_send(l, f->data, f->len); break;
    case WT_RELAY_DUPLICATE:
        relay_send(l, f->data, f->len);
        relay_send(l, f->data, f->len);
        break;
    case WT_RELAY_FLIP:
        f->data[f->len - 1 - n / 2] ^= 0x10;
        relay_send(l, f->data, f->len);
        break;
    case WT_RELAY_DROP: break;
    case WT_RELAY_SWAP:
        if (k == l->r->target) {
            wf_buf_put(&l->held, f->data, f->len);
        } else {
            relay_send(l, f->data, f->len);
            relay_send(l, l->held.data, l->held.len);
            wf_buf_reset(&l->held);
        }
        break;
    }
}

static void relay_frame(wt_relay_leg *l, uint8_t type, const uint8_t *p, size_t n)
{
    wf_buf f;
    wf_buf_init(&f);
    wn_frame_put(&f, type, p, n);
    long k = type == WN_T_SEALED ? l->sealed++ : -1;
    bool target = l->tamper && k >= 0
                  && (k == l->r->target || (l->r->mode == WT_RELAY_SWAP && k == l->r->target + 1));
    if (target)
        relay_spoil(l, k, &f, n);
    else
        relay_send(l, f.data, f.len);
    wf_buf_free(&f);
}

static void on_relay_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    buf->base = malloc(suggested);
    buf->len = buf->base ? suggested : 0;
}

static void on_relay_shutdown(uv_shutdown_t *req, int status)
{
    (void)status;
    free(req);
}

static void on_relay_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    wt_relay_leg *l = s->data;
    if (nread < 0) {
        uv_read_stop(s);
        uv_shutdown_t *req = malloc(sizeof *req);
        if (uv_shutdown(req, (uv_stream_t *)l->to, on_relay_shutdown) != 0)
            free(req);
    } else if (nread > 0) {
        wn_frame_reader_feed(&l->reader, buf->base, (size_t)nread);
        for (;;) {
            uint8_t type;
            const uint8_t *p;
            size_t n;
            int rc = wn_frame_next(&l->reader, &type, &p, &n);
            ck_assert_msg(rc >= 0, "the relay cannot parse the stream");
            if (rc == 0)
                break;
            relay_frame(l, type, p, n);
        }
    }
    free(buf->base);
}

static void leg_start(wt_relay *r, wt_relay_leg *l, uv_pipe_t *from, uv_pipe_t *to,
                      bool tamper)
{
    l->r = r;
    l->from = from;
    l->to = to;
    l->tamper = tamper;
    l->sealed = 0;
    wn_frame_reader_init(&l->reader, WN_FRAME_MAX);
    wf_buf_init(&l->held);
    from->data = l;
    ck_assert_int_eq(uv_read_start((uv_stream_t *)from, on_relay_alloc, on_relay_read), 0);
}

void wt_relay_start(wt_relay *r, uv_pipe_t *a, uv_pipe_t *b, enum wt_relay_mode mode,
                    long target, bool b_to_a)
{
    r->mode = mode;
    r->target = target;
    leg_start(r, &r->ab, a, b, !b_to_a);
    leg_start(r, &r->ba, b, a, b_to_a);
}

void wt_relay_close(wt_relay *r)
{
    uv_close((uv_handle_t *)r->ab.from, (uv_close_cb)free);
    uv_close((uv_handle_t *)r->ba.from, (uv_close_cb)free);
}

void wt_relay_free(wt_relay *r)
{
    wn_frame_reader_free(&r->ab.reader);
    wn_frame_reader_free(&r->ba.reader);
    wf_buf_free(&r->ab.held);
    wf_buf_free(&r->ba.held);
}
