/* The event loop (see input.h). All handles live in one struct on input_run()'s stack;
 * they are closed, and the loop run until their close callbacks are done, before it
 * returns (libuv's rule: storage outlives the close callback). A handle that was never
 * initialised (set-up failed part way) has no loop and is skipped.
 *
 * Closing the last watcher of a signal puts back the signal's default action, which for
 * SIGHUP, SIGTERM, SIGINT and SIGQUIT ends the process. After one of them (or a hang-up)
 * the process is on its way out, and what is left to do (restore the terminal, say where
 * the unsaved text went, stop the network) must not be cut short by another: a shell whose
 * terminal closes sends SIGHUP again a few milliseconds after the first. So they are
 * blocked before the watchers close and ignored after, until the caller has said where the
 * text is (input_release_signals): a shutdown that hangs after that can still be ended. */
#include "app/ui/input.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

enum { SIG_WINCH, SIG_TERM, SIG_HUP, SIG_INT, SIG_QUIT, SIG_CONT, NSIG_HANDLES };

static const int watched[NSIG_HANDLES] = { SIGWINCH, SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGCONT };
static const int terminating[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT };

struct input {
    uv_loop_t *loop;
    uv_poll_t poll;                  /* stdin readable */
    uv_timer_t esc;                  /* ESC timeout */
    uv_prepare_t prepare;            /* redraw once per loop turn */
    uv_idle_t idle;                  /* background steps (h->idle) while nothing waits */
    uv_signal_t sigs[NSIG_HANDLES];
    struct keys keys;
    const struct input_handlers *h;
    bool dirty;                      /* something changed since the last draw */
    bool ending;                     /* a terminating signal or a hang-up was reported */
};

static void emit(void *ctx, const struct keyev *ev)
{
    struct input *in = ctx;
    in->h->event(in->h->ctx, ev);
    in->dirty = true;
}

/* Reports a terminating signal (0: a hang-up) once, and ends the loop. */
static void end_loop(struct input *in, int sig)
{
    if (in->ending)
        return; /* a second one in the same loop turn: already on the way out */
    in->ending = true;
    in->h->signal(in->h->ctx, sig);
    uv_stop(in->loop);
}

static void check_done(struct input *in)
{
    if (in->h->done(in->h->ctx))
        uv_stop(in->loop);
}

static void on_esc_timeout(uv_timer_t *t)
{
    struct input *in = t->data;
    keys_flush(&in->keys, emit, in);
    check_done(in);
}

static void on_readable(uv_poll_t *p, int status, int events)
{
    struct input *in = p->data;
    char buf[4096];
    (void)events;
    ssize_t r = status < 0 ? -1 : read(STDIN_FILENO, buf, sizeof buf);
    if (r < 0 && (errno == EINTR || errno == EAGAIN) && status >= 0)
        return;
    if (r <= 0) {
        end_loop(in, 0);
        return;
    }
    keys_feed(&in->keys, buf, (size_t)r, emit, in);
    if (keys_pending(&in->keys))
        uv_timer_start(&in->esc, on_esc_timeout, INPUT_ESC_MS, 0);
    else
        uv_timer_stop(&in->esc);
    check_done(in);
}

static void on_signal(uv_signal_t *s, int sig)
{
    struct input *in = s->data;
    if (sig == SIGWINCH) {
        in->h->resize(in->h->ctx);
        in->dirty = true;
        return;
    }
    if (sig == SIGCONT) {
        in->dirty = true;
        in->h->resize(in->h->ctx);
        return;
    }
    end_loop(in, sig);
}

static void on_idle(uv_idle_t *i)
{
    struct input *in = i->data;
    if (!in->h->idle(in->h->ctx))
        uv_idle_stop(i);
}

static void on_prepare(uv_prepare_t *p)
{
    struct input *in = p->data;
    bool *redraw = in->h->redraw;
    if (!in->dirty && !(redraw && *redraw))
        return;
    in->dirty = false;
    if (redraw)
        *redraw = false;
    in->h->draw(in->h->ctx);
    if (in->h->idle)
        uv_idle_start(&in->idle, on_idle);
}

static int start(struct input *in)
{
    int e;
    if ((e = uv_poll_init(in->loop, &in->poll, STDIN_FILENO)) != 0)
        return e;
    in->poll.data = in;
    if ((e = uv_poll_start(&in->poll, UV_READABLE, on_readable)) != 0)
        return e;
    uv_timer_init(in->loop, &in->esc);
    in->esc.data = in;
    uv_prepare_init(in->loop, &in->prepare);
    in->prepare.data = in;
    uv_prepare_start(&in->prepare, on_prepare);
    uv_idle_init(in->loop, &in->idle);
    in->idle.data = in;
    for (int i = 0; i < NSIG_HANDLES; i++) {
        uv_signal_init(in->loop, &in->sigs[i]);
        in->sigs[i].data = in;
        if ((e = uv_signal_start(&in->sigs[i], on_signal, watched[i])) != 0)
            return e;
    }
    return 0;
}

static void exit_now(int sig)
{
    (void)sig;
    _exit(1);
}

void input_release_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = exit_now;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof terminating / sizeof terminating[0]; i++)
        sigaction(terminating[i], &sa, NULL);
}

static void close_handle(uv_handle_t *h)
{
    if (h->loop && !uv_is_closing(h))
        uv_close(h, NULL);
}

/* Closes the signal watchers; after a terminating signal or a hang-up, without ever letting
 * the default action of one happen (see the top of this file). Blocked first, so that none
 * can arrive between the close (which restores SIG_DFL) and SIG_IGN; setting SIG_IGN also
 * discards any that came meanwhile, so unblocking after is safe. */
static void close_signals(struct input *in)
{
    sigset_t set, old;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof terminating / sizeof terminating[0]; i++)
        sigaddset(&set, terminating[i]);
    if (in->ending)
        pthread_sigmask(SIG_BLOCK, &set, &old);
    for (int i = 0; i < NSIG_HANDLES; i++)
        close_handle((uv_handle_t *)&in->sigs[i]);
    if (!in->ending)
        return;
    for (size_t i = 0; i < sizeof terminating / sizeof terminating[0]; i++)
        signal(terminating[i], SIG_IGN);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

int input_run(uv_loop_t *loop, const struct input_handlers *h)
{
    struct input in;
    memset(&in, 0, sizeof in);
    in.loop = loop;
    in.h = h;
    in.dirty = true;
    keys_init(&in.keys);
    int e = start(&in);
    if (!e && !h->done(h->ctx))
        uv_run(loop, UV_RUN_DEFAULT);
    /* Close only our handles (others on the loop are not ours), then let them finish. */
    close_handle((uv_handle_t *)&in.poll);
    close_handle((uv_handle_t *)&in.esc);
    close_handle((uv_handle_t *)&in.prepare);
    close_handle((uv_handle_t *)&in.idle);
    close_signals(&in);
    uv_run(loop, UV_RUN_NOWAIT);
    keys_close(&in.keys);
    return e;
}
