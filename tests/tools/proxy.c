/* proxy: a TCP proxy for fault-injection tests, driven by commands on stdin.
 *
 *     proxy [--listen PORT] [--limit BYTES] TARGET_HOST TARGET_PORT
 *     proxy --echo [--listen PORT]         an echo server (for the proxy's own tests)
 *     proxy --client PORT                  stdin -> 127.0.0.1:PORT -> stdout, like nc -N
 *
 * The proxy listens on 127.0.0.1:PORT (0, the default: a free port), prints "port=N" once
 * listening, and forwards each accepted connection to TARGET in both directions. Commands,
 * one per line on stdin, are acknowledged on stdout with "ok <command>" once in effect (or
 * "err <command>: <why>"), so that a test can wait for the line:
 *     delay MS       forward data arriving from now on MS ms later (order is kept)
 *     stall          stop forwarding; keep reading up to --limit bytes per direction
 *     resume         forward again what stall held
 *     cut            reset every open connection, both sides (RST; buffered data is lost)
 *     refuse on|off  reset new connections at once
 *     split N        forward in writes of at most N bytes (0: off)
 *     rate BPS       forward at most BPS bytes a second per direction, in writes of at most
 *                    a tenth of that (0: off): a slow link that still carries something,
 *                    so neither end takes the other for dead as it would during a stall
 *     cutafter N     cut each connection once N bytes have been forwarded in total, both
 *                    directions together (counted from the command for open connections,
 *                    from the accept for new ones); 0: off
 *     stats          print "conns=N bytes_up=N bytes_down=N accepted=N queued=N writes=N
 *                    max_write=N": open connections, bytes forwarded client->target and
 *                    back, connections accepted in all (refused ones too), bytes held now,
 *                    writes made, and the largest write since the last split command (the
 *                    first three fields are the contract; more may be added at the end)
 *     quit           reset every connection and exit 0 (so does end of file on stdin)
 * The echo server knows stats ("conns=N bytes=N accepted=N", bytes echoed), refuse and quit.
 * The client exits 0 when the server ends the connection cleanly, 1 on a reset or an error.
 *
 * Structure: a connection is two flows (up: client -> target, down: target -> client). A
 * flow reads its source into a queue of chunks stamped with the time they may leave, and
 * writes the queue's head to its destination one write at a time, so that delay, split and
 * the cut budget apply exactly and in order. A flow stops reading when it holds --limit
 * bytes (default 4 MiB): a slow destination slows the source down through TCP, as it would
 * without the proxy. End of file on a source is passed on (shutdown) once its queue is
 * empty; a connection closes when both directions have ended, and is reset when either side
 * resets or fails. One libuv loop, no threads. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <uv.h>

#define READ_SIZE 65536        /* bytes per read */
#define DEFAULT_LIMIT (4u << 20) /* bytes held per flow before reading stops */
#define LINE_MAX_LEN 1024      /* characters of a command */
#define ECHO_HIGH (1u << 20)   /* echo: stop reading above this many unsent bytes */

enum { UP, DOWN };

typedef struct proxy proxy;
typedef struct conn conn;

typedef struct chunk {
    struct chunk *next;
    uint64_t due; /* loop time (ms) from which it may be forwarded */
    size_t len;   /* bytes of data */
    size_t off;   /* bytes of data already written */
    char data[];
} chunk;

typedef struct flow {
    conn *c;
    int dir;             /* UP or DOWN */
    uv_tcp_t *src, *dst; /* the conn's handles */
    chunk *head, *tail;  /* queue; head is being written when writing */
    size_t held;         /* bytes in the queue (not yet written) */
    bool reading;        /* reading src */
    bool eof;            /* src has ended */
    bool shut;           /* shutdown of dst requested */
    bool done;           /* shutdown of dst completed */
    bool writing;        /* wreq in flight */
    uint64_t next_write; /* loop time (ms) before which rate allows no write */
    size_t wlen;         /* its bytes */
    uv_write_t wreq;
    uv_shutdown_t sreq;
} flow;

struct conn {
    proxy *px;
    uv_tcp_t client;   /* accepted */
    uv_tcp_t target;   /* ours, to the target */
    uv_timer_t timer;  /* wakes the flows for delayed chunks */
    uv_connect_t creq;
    flow f[2];         /* UP, DOWN */
    bool connected;    /* to the target */
    bool closing;      /* handles being closed; nothing more happens */
    int handles;       /* handles not yet closed */
    bool budgeted;     /* cutafter applies */
    uint64_t budget;   /* bytes left before the cut */
    conn *next;        /* in px->conns */
};

/* An echo connection: what it reads, it writes back. */
typedef struct echo_conn {
    proxy *px;
    uv_tcp_t tcp;
    uv_shutdown_t sreq;
    bool paused;       /* reading stopped: too much unsent */
    bool closing;
    struct echo_conn *next;
} echo_conn;

typedef struct echo_write {
    uv_write_t req;
    echo_conn *e;
    char data[];
} echo_write;

struct proxy {
    uv_loop_t *loop;
    uv_tcp_t server;
    uv_poll_t input;             /* stdin */
    char line[LINE_MAX_LEN + 1]; /* the command being read */
    size_t linelen;              /* its characters; > LINE_MAX_LEN: too long, skip to \n */
    bool echo;                   /* echo server mode */
    struct sockaddr_storage target;
    size_t limit;                /* bytes held per flow before reading stops */
    uint64_t delay;              /* ms */
    bool stalled;
    bool refuse;
    size_t split;                /* bytes per write; 0: no limit */
    uint64_t rate;               /* bytes a second per flow; 0: no limit */
    uint64_t cutafter;           /* bytes per connection; 0: off */
    bool quitting;
    conn *conns;                 /* proxied connections, closing ones included */
    echo_conn *echoes;           /* echo connections, closing ones included */
    size_t open;                 /* connections not closing */
    uint64_t bytes[2];           /* forwarded per direction */
    uint64_t accepted;
    uint64_t writes;
    size_t max_write;
};

static char read_buf[READ_SIZE]; /* every read lands here first (one loop, one read at a time) */

/* Prints one line on stdout and flushes it: the tests wait for these lines. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fprintf(stderr, "proxy: out of memory (%zu bytes)\n", n);
        abort();
    }
    return p;
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    (void)h;
    (void)hint;
    *buf = uv_buf_init(read_buf, sizeof read_buf);
}

/* Closes a TCP handle with a reset (SO_LINGER 0) rather than a FIN. Unlike
 * uv_tcp_close_reset(), it also works while a shutdown is pending. */
static void close_reset(uv_tcp_t *h, uv_close_cb cb)
{
    if (uv_is_closing((uv_handle_t *)h))
        return;
    uv_os_fd_t fd;
    if (uv_fileno((uv_handle_t *)h, &fd) == 0) {
        struct linger l = {1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    uv_close((uv_handle_t *)h, cb);
}

/* --- proxied connections ------------------------------------------------------------- */

static void conn_pump(conn *c);

static void on_conn_close(uv_handle_t *h)
{
    conn *c = h->data;
    if (--c->handles > 0)
        return;
    for (int d = UP; d <= DOWN; d++) {
        while (c->f[d].head) {
            chunk *k = c->f[d].head;
            c->f[d].head = k->next;
            free(k);
        }
    }
    conn **pp = &c->px->conns;
    while (*pp != c)
        pp = &(*pp)->next;
    *pp = c->next;
    free(c);
}

/* Ends the connection: reset both sides (abrupt) or close them (after both shutdowns). */
static void conn_close(conn *c, bool reset)
{
    if (c->closing)
        return;
    c->closing = true;
    c->px->open--;
    if (reset) {
        close_reset(&c->client, on_conn_close);
        close_reset(&c->target, on_conn_close);
    } else {
        uv_close((uv_handle_t *)&c->client, on_conn_close);
        uv_close((uv_handle_t *)&c->target, on_conn_close);
    }
    uv_close((uv_handle_t *)&c->timer, on_conn_close);
}

static void flow_read_start(flow *f);

static void on_write(uv_write_t *req, int status)
{
    flow *f = req->data;
    conn *c = f->c;
    f->writing = false;
    if (c->closing)
        return;
    if (status < 0) {
        conn_close(c, true);
        return;
    }
    chunk *k = f->head;
    k->off += f->wlen;
    f->held -= f->wlen;
    if (k->off == k->len) {
        f->head = k->next;
        if (!f->head)
            f->tail = NULL;
        free(k);
    }
    if (c->budgeted && c->budget == 0) {
        conn_close(c, true);
        return;
    }
    if (!f->reading && !f->eof && f->held < c->px->limit)
        flow_read_start(f);
    conn_pump(c);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
    flow *f = req->data;
    conn *c = f->c;
    if (c->closing)
        return;
    if (status < 0) {
        conn_close(c, true);
        return;
    }
    f->done = true;
    if (c->f[UP].done && c->f[DOWN].done)
        conn_close(c, false);
}

/* Starts the next write of f if its head is due; returns the time its head will be due
 * when it is not yet, else 0. */
static uint64_t flow_pump(flow *f)
{
    conn *c = f->c;
    proxy *px = c->px;
    if (f->writing || px->stalled || !c->connected)
        return 0;
    if (!f->head) {
        if (f->eof && !f->shut) {
            f->shut = true;
            f->sreq.data = f;
            if (uv_shutdown(&f->sreq, (uv_stream_t *)f->dst, on_shutdown) < 0)
                conn_close(c, true);
        }
        return 0;
    }
    chunk *k = f->head;
    if (k->due > uv_now(px->loop))
        return k->due;
    size_t n = k->len - k->off;
    if (px->split && n > px->split)
        n = px->split;
    if (px->rate) {
        uint64_t now = uv_now(px->loop);
        if (f->next_write > now)
            return f->next_write;
        uint64_t most = px->rate / 10 ? px->rate / 10 : 1;
        if (n > most)
            n = (size_t)most;
        f->next_write = now + (uint64_t)n * 1000 / px->rate;
    }
    if (c->budgeted) {
        if (c->budget == 0)
            return 0;
        if (n > c->budget)
            n = c->budget;
        c->budget -= n;
    }
    uv_buf_t buf = uv_buf_init(k->data + k->off, (unsigned)n);
    f->wreq.data = f;
    if (uv_write(&f->wreq, (uv_stream_t *)f->dst, &buf, 1, on_write) < 0) {
        conn_close(c, true);
        return 0;
    }
    f->writing = true;
    f->wlen = n;
    px->bytes[f->dir] += n;
    px->writes++;
    if (n > px->max_write)
        px->max_write = n;
    return 0;
}

static void on_timer(uv_timer_t *t)
{
    conn_pump(t->data);
}

/* Moves both flows on, and sets the timer for the earliest delayed head. */
static void conn_pump(conn *c)
{
    uint64_t next = 0;
    for (int d = UP; d <= DOWN && !c->closing; d++) {
        uint64_t due = flow_pump(&c->f[d]);
        if (due && (!next || due < next))
            next = due;
    }
    if (c->closing)
        return;
    if (next) {
        uint64_t now = uv_now(c->px->loop);
        uv_timer_start(&c->timer, on_timer, next > now ? next - now : 0, 0);
    } else {
        uv_timer_stop(&c->timer);
    }
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    (void)buf;
    conn *c = s->data;
    flow *f = &c->f[s == (uv_stream_t *)&c->client ? UP : DOWN];
    if (c->closing || nread == 0)
        return;
    if (nread == UV_EOF) {
        f->eof = true;
        f->reading = false;
        conn_pump(c);
        return;
    }
    if (nread < 0) {
        conn_close(c, true);
        return;
    }
    chunk *k = xmalloc(sizeof *k + (size_t)nread);
    memcpy(k->data, read_buf, (size_t)nread);
    k->len = (size_t)nread;
    k->off = 0;
    k->next = NULL;
    k->due = uv_now(c->px->loop) + c->px->delay;
    if (f->tail)
        f->tail->next = k;
    else
        f->head = k;
    f->tail = k;
    f->held += (size_t)nread;
    if (f->held >= c->px->limit) {
        uv_read_stop(s);
        f->reading = false;
    }
    conn_pump(c);
}

static void flow_read_start(flow *f)
{
    if (uv_read_start((uv_stream_t *)f->src, on_alloc, on_read) < 0) {
        conn_close(f->c, true);
        return;
    }
    f->reading = true;
}

static void on_connect(uv_connect_t *req, int status)
{
    conn *c = req->data;
    if (c->closing)
        return;
    if (status < 0) {
        fprintf(stderr, "proxy: cannot connect to the target: %s\n", uv_strerror(status));
        conn_close(c, true);
        return;
    }
    c->connected = true;
    uv_tcp_nodelay(&c->target, 1);
    flow_read_start(&c->f[DOWN]);
    if (!c->closing)
        conn_pump(c);
}

static void on_refused_close(uv_handle_t *h)
{
    free(h);
}

static void proxy_accept(proxy *px)
{
    conn *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->px = px;
    uv_tcp_init(px->loop, &c->client);
    uv_tcp_init(px->loop, &c->target);
    uv_timer_init(px->loop, &c->timer);
    c->client.data = c->target.data = c->timer.data = c->creq.data = c;
    c->handles = 3;
    c->next = px->conns;
    px->conns = c;
    px->open++;
    if (uv_accept((uv_stream_t *)&px->server, (uv_stream_t *)&c->client) < 0) {
        conn_close(c, true);
        return;
    }
    px->accepted++;
    c->budgeted = px->cutafter > 0;
    c->budget = px->cutafter;
    for (int d = UP; d <= DOWN; d++) {
        c->f[d].c = c;
        c->f[d].dir = d;
        c->f[d].src = d == UP ? &c->client : &c->target;
        c->f[d].dst = d == UP ? &c->target : &c->client;
    }
    uv_tcp_nodelay(&c->client, 1);
    int rc = uv_tcp_connect(&c->creq, &c->target, (const struct sockaddr *)&px->target,
                            on_connect);
    if (rc < 0) {
        fprintf(stderr, "proxy: cannot connect to the target: %s\n", uv_strerror(rc));
        conn_close(c, true);
        return;
    }
    flow_read_start(&c->f[UP]);
}

/* --- echo mode ------------------------------------------------------------------------ */

static void on_echo_close(uv_handle_t *h)
{
    echo_conn *e = h->data;
    echo_conn **pp = &e->px->echoes;
    while (*pp != e)
        pp = &(*pp)->next;
    *pp = e->next;
    free(e);
}

static void echo_close(echo_conn *e, bool reset)
{
    if (e->closing)
        return;
    e->closing = true;
    e->px->open--;
    if (reset)
        close_reset(&e->tcp, on_echo_close);
    else
        uv_close((uv_handle_t *)&e->tcp, on_echo_close);
}

static void on_echo_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);

static void on_echo_write(uv_write_t *req, int status)
{
    echo_write *w = (echo_write *)req;
    echo_conn *e = w->e;
    free(w);
    if (e->closing)
        return;
    if (status < 0) {
        echo_close(e, true);
        return;
    }
    if (e->paused && uv_stream_get_write_queue_size((uv_stream_t *)&e->tcp) < ECHO_HIGH / 4) {
        e->paused = false;
        if (uv_read_start((uv_stream_t *)&e->tcp, on_alloc, on_echo_read) < 0)
            echo_close(e, true);
    }
}

static void on_echo_shutdown(uv_shutdown_t *req, int status)
{
    echo_conn *e = req->data;
    (void)status;
    echo_close(e, status < 0);
}

static void on_echo_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    (void)buf;
    echo_conn *e = s->data;
    if (e->closing || nread == 0)
        return;
    if (nread == UV_EOF) {
        /* libuv runs the shutdown after the writes already queued */
        e->sreq.data = e;
        if (uv_shutdown(&e->sreq, s, on_echo_shutdown) < 0)
            echo_close(e, true);
        return;
    }
    if (nread < 0) {
        echo_close(e, true);
        return;
    }
    echo_write *w = xmalloc(sizeof *w + (size_t)nread);
    memcpy(w->data, read_buf, (size_t)nread);
    w->e = e;
    e->px->bytes[UP] += (uint64_t)nread;
    uv_buf_t out = uv_buf_init(w->data, (unsigned)nread);
    if (uv_write(&w->req, s, &out, 1, on_echo_write) < 0) {
        free(w);
        echo_close(e, true);
        return;
    }
    if (uv_stream_get_write_queue_size(s) > ECHO_HIGH) {
        uv_read_stop(s);
        e->paused = true;
    }
}

static void echo_accept(proxy *px)
{
    echo_conn *e = calloc(1, sizeof *e);
    if (!e)
        abort();
    e->px = px;
    uv_tcp_init(px->loop, &e->tcp);
    e->tcp.data = e;
    e->next = px->echoes;
    px->echoes = e;
    px->open++;
    if (uv_accept((uv_stream_t *)&px->server, (uv_stream_t *)&e->tcp) < 0
        || uv_read_start((uv_stream_t *)&e->tcp, on_alloc, on_echo_read) < 0) {
        echo_close(e, true);
        return;
    }
    px->accepted++;
}

/* --- listening and commands ------------------------------------------------------------- */

static void on_connection(uv_stream_t *server, int status)
{
    proxy *px = server->data;
    if (status < 0) {
        fprintf(stderr, "proxy: accept: %s\n", uv_strerror(status));
        return;
    }
    if (px->refuse) {
        uv_tcp_t *t = xmalloc(sizeof *t);
        uv_tcp_init(px->loop, t);
        if (uv_accept(server, (uv_stream_t *)t) == 0)
            px->accepted++;
        close_reset(t, on_refused_close);
        return;
    }
    if (px->echo)
        echo_accept(px);
    else
        proxy_accept(px);
}

static void proxy_quit(proxy *px)
{
    if (px->quitting)
        return;
    px->quitting = true;
    uv_close((uv_handle_t *)&px->server, NULL);
    uv_close((uv_handle_t *)&px->input, NULL);
    for (conn *c = px->conns; c; c = c->next)
        conn_close(c, true);
    for (echo_conn *e = px->echoes; e; e = e->next)
        echo_close(e, true);
}

/* Parses a decimal number in [0, max] from the whole of s. */
static bool parse_num(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

static void print_stats(proxy *px)
{
    size_t held = 0;
    for (conn *c = px->conns; c; c = c->next)
        if (!c->closing)
            held += c->f[UP].held + c->f[DOWN].held;
    if (px->echo) {
        say("conns=%zu bytes=%llu accepted=%llu", px->open, (unsigned long long)px->bytes[UP],
            (unsigned long long)px->accepted);
        return;
    }
    say("conns=%zu bytes_up=%llu bytes_down=%llu accepted=%llu queued=%zu writes=%llu "
        "max_write=%zu", px->open, (unsigned long long)px->bytes[UP],
        (unsigned long long)px->bytes[DOWN], (unsigned long long)px->accepted, held,
        (unsigned long long)px->writes, px->max_write);
}

/* Runs one command; returns NULL, or why it was refused. */
static const char *run_command(proxy *px, const char *cmd, const char *arg)
{
    uint64_t v;
    bool no_arg = arg[0] == '\0';
    if (strcmp(cmd, "stats") == 0 && no_arg) {
        print_stats(px);
    } else if (strcmp(cmd, "quit") == 0 && no_arg) {
        proxy_quit(px);
    } else if (strcmp(cmd, "refuse") == 0) {
        if (strcmp(arg, "on") != 0 && strcmp(arg, "off") != 0)
            return "expected 'refuse on' or 'refuse off'";
        px->refuse = strcmp(arg, "on") == 0;
    } else if (px->echo) {
        return "unknown command (echo mode knows stats, refuse, quit)";
    } else if (strcmp(cmd, "delay") == 0) {
        if (!parse_num(arg, 3600000, &v))
            return "expected 'delay MS' with MS from 0 to 3600000";
        px->delay = v;
    } else if (strcmp(cmd, "stall") == 0 && no_arg) {
        px->stalled = true;
    } else if (strcmp(cmd, "resume") == 0 && no_arg) {
        px->stalled = false;
        for (conn *c = px->conns; c; c = c->next)
            if (!c->closing)
                conn_pump(c);
    } else if (strcmp(cmd, "cut") == 0 && no_arg) {
        for (conn *c = px->conns; c; c = c->next)
            conn_close(c, true);
    } else if (strcmp(cmd, "split") == 0) {
        if (!parse_num(arg, SIZE_MAX / 2, &v))
            return "expected 'split N' with N a number of bytes (0: off)";
        px->split = (size_t)v;
        px->max_write = 0;
    } else if (strcmp(cmd, "rate") == 0) {
        if (!parse_num(arg, UINT64_MAX / 1000, &v))
            return "expected 'rate BPS' with BPS a number of bytes a second (0: off)";
        px->rate = v;
        for (conn *c = px->conns; c; c = c->next)
            if (!c->closing)
                conn_pump(c);
    } else if (strcmp(cmd, "cutafter") == 0) {
        if (!parse_num(arg, UINT64_MAX / 16, &v))
            return "expected 'cutafter N' with N a number of bytes (0: off)";
        px->cutafter = v;
        for (conn *c = px->conns; c; c = c->next) {
            c->budgeted = v > 0;
            c->budget = v;
        }
    } else {
        return "unknown command (delay MS, stall, resume, cut, refuse on|off, split N, "
               "rate BPS, cutafter N, stats, quit)";
    }
    return NULL;
}

/* Splits a line into a command word and its argument (blanks trimmed), runs it, answers. */
static void command(proxy *px, char *line)
{
    char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n = strlen(p);
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
        p[--n] = '\0';
    if (n == 0)
        return;
    char *arg = p + strcspn(p, " \t");
    if (*arg) {
        *arg++ = '\0';
        arg += strspn(arg, " \t");
    }
    const char *why = run_command(px, p, arg);
    const char *sep = *arg ? " " : "";
    if (why)
        say("err %s%s%s: %s", p, sep, arg, why);
    else
        say("ok %s%s%s", p, sep, arg);
}

static void on_input(uv_poll_t *h, int status, int events)
{
    proxy *px = h->data;
    (void)events;
    char buf[4096];
    if (status < 0) {
        proxy_quit(px);
        return;
    }
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        proxy_quit(px);
        return;
    }
    for (ssize_t i = 0; i < n && !px->quitting; i++) {
        if (buf[i] != '\n') {
            if (px->linelen < LINE_MAX_LEN)
                px->line[px->linelen] = buf[i];
            if (px->linelen <= LINE_MAX_LEN)
                px->linelen++;
            continue;
        }
        if (px->linelen > LINE_MAX_LEN) {
            say("err (a line of more than %d characters)", LINE_MAX_LEN);
        } else {
            px->line[px->linelen] = '\0';
            command(px, px->line);
        }
        px->linelen = 0;
    }
}

/* --- client mode (poll(2); no libuv) -------------------------------------------------------- */

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Copies stdin to the connection and the connection to stdout; shuts the connection down
 * for writing at the end of stdin. Exits 0 when the peer ends the connection cleanly, 1 on a
 * reset or another error (with a message). */
static int run_client(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        fprintf(stderr, "proxy --client: cannot connect to 127.0.0.1:%u: %s\n", port,
                strerror(errno));
        return 1;
    }
    static char out[READ_SIZE], in[READ_SIZE];
    size_t outlen = 0;
    bool in_eof = false, shut = false;
    for (;;) {
        struct pollfd p[2] = {
            {.fd = in_eof || outlen == sizeof out ? -1 : STDIN_FILENO, .events = POLLIN},
            {.fd = fd, .events = POLLIN | (outlen ? POLLOUT : 0)},
        };
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (p[0].revents) {
            ssize_t n = read(STDIN_FILENO, out + outlen, sizeof out - outlen);
            if (n > 0)
                outlen += (size_t)n;
            else if (n == 0 || errno != EINTR)
                in_eof = true;
        }
        if (outlen && (p[1].revents & POLLOUT)) {
            ssize_t n = send(fd, out, outlen, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0 && errno != EAGAIN && errno != EINTR)
                break;
            if (n > 0) {
                memmove(out, out + n, outlen - (size_t)n);
                outlen -= (size_t)n;
            }
        }
        if (in_eof && outlen == 0 && !shut) {
            shutdown(fd, SHUT_WR);
            shut = true;
        }
        if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = recv(fd, in, sizeof in, MSG_DONTWAIT);
            if (n == 0) {
                close(fd);
                return 0;
            }
            if (n < 0 && errno != EAGAIN && errno != EINTR)
                break;
            if (n > 0 && !write_all(STDOUT_FILENO, in, (size_t)n))
                break;
        }
    }
    fprintf(stderr, "proxy --client: %s\n", strerror(errno));
    close(fd);
    return 1;
}

/* --- main -------------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f, "usage: proxy [--listen PORT] [--limit BYTES] TARGET_HOST TARGET_PORT\n"
               "       proxy --echo [--listen PORT]\n"
               "       proxy --client PORT\n"
               "Commands on stdin: delay MS, stall, resume, cut, refuse on|off, split N,\n"
               "rate BPS, cutafter N, stats, quit. See the comment at the top of tests/tools/proxy.c.\n");
}

static int resolve(const char *host, const char *port, struct sockaddr_storage *out)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "proxy: cannot resolve %s port %s: %s\n", host, port, gai_strerror(rc));
        return -1;
    }
    memcpy(out, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    return 0;
}

static int listen_and_run(proxy *px, unsigned port)
{
    struct sockaddr_in addr;
    uv_ip4_addr("127.0.0.1", (int)port, &addr);
    px->server.data = px;
    int rc = uv_tcp_bind(&px->server, (const struct sockaddr *)&addr, 0);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&px->server, 128, on_connection);
    if (rc < 0) {
        fprintf(stderr, "proxy: cannot listen on 127.0.0.1:%u: %s\n", port, uv_strerror(rc));
        return 1;
    }
    struct sockaddr_storage bound;
    int len = sizeof bound;
    uv_tcp_getsockname(&px->server, (struct sockaddr *)&bound, &len);
    say("port=%u", (unsigned)ntohs(((struct sockaddr_in *)&bound)->sin_port));
    px->input.data = px;
    rc = uv_poll_start(&px->input, UV_READABLE, on_input);
    if (rc < 0) {
        fprintf(stderr, "proxy: cannot read commands from stdin: %s\n", uv_strerror(rc));
        return 1;
    }
    uv_run(px->loop, UV_RUN_DEFAULT);
    return 0;
}

int main(int argc, char **argv)
{
    proxy px = {.limit = DEFAULT_LIMIT};
    uint64_t listen_port = 0, v;
    const char *pos[2] = {NULL, NULL};
    int npos = 0;
    signal(SIGPIPE, SIG_IGN);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--echo") == 0) {
            px.echo = true;
        } else if (strcmp(a, "--client") == 0 && has_value && parse_num(argv[i + 1], 65535, &v)
                   && v > 0) {
            return run_client((unsigned)v);
        } else if (strcmp(a, "--listen") == 0 && has_value
                   && parse_num(argv[i + 1], 65535, &listen_port)) {
            i++;
        } else if (strcmp(a, "--limit") == 0 && has_value
                   && parse_num(argv[i + 1], SIZE_MAX / 2, &v) && v > 0) {
            px.limit = (size_t)v;
            i++;
        } else if (a[0] != '-' && npos < 2) {
            pos[npos++] = a;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (px.echo != (npos == 0)) {
        usage(stderr);
        return 2;
    }
    if (!px.echo && resolve(pos[0], pos[1], &px.target) < 0)
        return 1;

    uv_loop_t loop;
    uv_loop_init(&loop);
    px.loop = &loop;
    uv_tcp_init(&loop, &px.server);
    int rc = uv_poll_init(&loop, &px.input, STDIN_FILENO);
    if (rc < 0) {
        fprintf(stderr, "proxy: stdin must be a pipe, a FIFO, a socket or a terminal (commands "
                        "are read from it): %s\n", uv_strerror(rc));
        uv_close((uv_handle_t *)&px.server, NULL);
        uv_run(&loop, UV_RUN_DEFAULT);
        uv_loop_close(&loop);
        return 2;
    }
    int status = listen_and_run(&px, (unsigned)listen_port);
    if (status != 0) {
        proxy_quit(&px);
        uv_run(&loop, UV_RUN_DEFAULT);
    }
    uv_loop_close(&loop);
    return status;
}
