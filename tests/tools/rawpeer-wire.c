/* The wire side of tests/tools/rawpeer (see rawpeer.c): one connection to a weft host over
 * plain blocking sockets, the guest's handshake (net/crypto.h), sealed messages in both
 * directions, and the host's last words. Every wait has a deadline; nothing here
 * misbehaves: rawpeer.c does that on purpose. */
#include "tests/tools/rawpeer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/mem.h"
#include "net/conn.h"
#include "net/proto.h"

#define READ_CHUNK 65536 /* bytes per read */

uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* --- the socket ----------------------------------------------------------------------- */

int peer_connect(peer *p, const struct addrinfo *target, const char *bind_addr, unsigned addrs,
                 unsigned n)
{
    memset(p, 0, sizeof *p);
    wn_frame_reader_init(&p->rd, WN_FRAME_MAX_HANDSHAKE);
    wf_buf_init(&p->plain);
    wf_buf_init(&p->whole);
    p->fd = socket(target->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (p->fd < 0)
        return -errno;
    if (bind_addr) {
        struct sockaddr_in a = {.sin_family = AF_INET};
        if (inet_pton(AF_INET, bind_addr, &a.sin_addr) != 1)
            return -EINVAL;
        a.sin_addr.s_addr = htonl(ntohl(a.sin_addr.s_addr) + n % (addrs ? addrs : 1));
        if (bind(p->fd, (struct sockaddr *)&a, sizeof a) != 0)
            return -errno;
    }
    if (connect(p->fd, target->ai_addr, target->ai_addrlen) != 0)
        return -errno;
    int one = 1;
    setsockopt(p->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return 0;
}

void peer_close(peer *p)
{
    if (p->fd >= 0)
        close(p->fd);
    p->fd = -1;
    wn_frame_reader_free(&p->rd);
    wn_handshake_wipe(&p->hs);
    wf_buf_free(&p->plain);
    wf_buf_free(&p->whole);
}

/* Writes everything; a failure means the host is gone (we learn why from the reads). */
int send_all(peer *p, const void *data, size_t n)
{
    const char *s = data;
    while (n > 0) {
        ssize_t w = send(p->fd, s, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -errno;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int send_buf(peer *p, wf_buf *b)
{
    int rc = send_all(p, b->data, b->len);
    wf_buf_reset(b);
    return rc;
}

static void set_closed(peer *p, const char *code, const char *why)
{
    if (p->closed)
        return;
    p->closed = true;
    if (!p->code[0]) {
        snprintf(p->code, sizeof p->code, "%s", code);
        snprintf(p->why, sizeof p->why, "%s", why);
    }
}

/* Reads what has arrived, waiting up to timeout_ms for something. Returns 1 when bytes
 * arrived, 0 on timeout, -1 when the connection ended. */
int read_some(peer *p, int timeout_ms)
{
    if (p->closed)
        return -1;
    struct pollfd pfd = {.fd = p->fd, .events = POLLIN};
    int rc = poll(&pfd, 1, timeout_ms < 0 ? 0 : timeout_ms);
    if (rc < 0 && errno == EINTR)
        return 0;
    if (rc <= 0)
        return 0;
    static char chunk[READ_CHUNK];
    ssize_t r = recv(p->fd, chunk, sizeof chunk, 0);
    if (r > 0) {
        wn_frame_reader_feed(&p->rd, chunk, (size_t)r);
        return 1;
    }
    if (r == 0)
        set_closed(p, "eof", "the host closed the connection without a word");
    else
        set_closed(p, "reset", strerror(errno));
    return -1;
}

/* The next frame within the deadline (absolute, now_ms()). Returns 1, 0 on timeout, -1
 * when the connection ended or the host sent something that is not a frame. */
int next_frame(peer *p, uint64_t deadline, uint8_t *type, const uint8_t **pl, size_t *n)
{
    for (;;) {
        int rc = wn_frame_next(&p->rd, type, pl, n);
        if (rc == 1)
            return 1;
        if (rc < 0) {
            set_closed(p, "badframe", "the host sent a malformed frame");
            return -1;
        }
        uint64_t now = now_ms();
        if (now >= deadline)
            return 0;
        if (read_some(p, (int)(deadline - now)) < 0 && wn_frame_reader_pending(&p->rd) == 0)
            return -1;
    }
}

/* Records the host's last words from an ERROR frame or a BYE payload (u16 code · text). */
void last_words(peer *p, const uint8_t *pl, size_t n)
{
    int code = n >= 2 ? (pl[0] << 8 | pl[1]) : 0;
    char text[512];
    wn_text_copy(text, sizeof text, pl + (n >= 2 ? 2 : n), n >= 2 ? n - 2 : 0);
    snprintf(p->code, sizeof p->code, "%d", -code);
    snprintf(p->why, sizeof p->why, "%s", text);
}

/* --- the protocol --------------------------------------------------------------------- */

int seal_send(peer *p, uint8_t type, const void *data, size_t n)
{
    wf_buf out;
    wf_buf_init(&out);
    wn_seal(&p->s, type, data, n, &out);
    int rc = send_buf(p, &out);
    wf_buf_free(&out);
    return rc;
}

int seal_send_file(peer *p, uint8_t type, const void *data, size_t n)
{
    wf_buf buf;
    wf_buf_init(&buf);
    wn_file_prefix(WN_SINGLE_FILE_ID, &buf);
    wf_buf_put(&buf, data, n);
    int rc = seal_send(p, type, buf.data, buf.len);
    wf_buf_free(&buf);
    return rc;
}

/* The next whole session message (pings answered, chunks joined). Returns 1 with *type and
 * p->whole holding it, 0 on timeout, -1 when the connection ended (p->code, p->why). */
int next_message(peer *p, uint64_t deadline, uint8_t *type)
{
    for (;;) {
        uint8_t ft;
        const uint8_t *pl;
        size_t n;
        int rc = next_frame(p, deadline, &ft, &pl, &n);
        if (rc <= 0)
            return rc;
        if (ft == WN_T_ERROR) {
            last_words(p, pl, n);
            continue; /* the host closes next */
        }
        uint8_t mt;
        if (ft != WN_T_SEALED || wn_open(&p->s, pl, n, &mt, &p->plain) != 0) {
            set_closed(p, "badframe", "the host sent a frame we cannot open");
            return -1;
        }
        bool more = mt & WN_MSG_MORE;
        wf_buf_put(&p->whole, p->plain.data, p->plain.len);
        if (more)
            continue;
        mt &= (uint8_t)~WN_MSG_MORE;
        if (mt == WN_M_PING) {
            seal_send(p, WN_M_PONG, NULL, 0);
        } else if (mt == WN_M_BYE) {
            last_words(p, p->whole.data, p->whole.len);
        } else if (mt != WN_M_PONG) {
            *type = mt;
            return 1;
        }
        wf_buf_reset(&p->whole);
    }
}

/* Runs the guest's side of the handshake. Returns 0, or -1 (p->code, p->why say why). */
int handshake(peer *p, const char *tok, int wait_ms)
{
    wn_handshake_guest(&p->hs, tok, "rawpeer");
    wf_buf out;
    wf_buf_init(&out);
    wn_handshake_start(&p->hs, &out);
    send_buf(p, &out);
    uint64_t deadline = now_ms() + (uint64_t)wait_ms;
    int result = -1;
    for (;;) {
        uint8_t type;
        const uint8_t *pl;
        size_t n;
        int rc = next_frame(p, deadline, &type, &pl, &n);
        if (rc == 0)
            set_closed(p, "timeout", "no answer to the handshake");
        if (rc <= 0)
            break;
        char msg[512] = "";
        if (p->proof_ms)
            p->answer_at = now_ms();
        rc = wn_handshake_feed(&p->hs, type, pl, n, &out, &p->s, msg, sizeof msg);
        bool proof = rc == 0 && out.len > 0; /* our AUTH, after the host's CHALLENGE */
        send_buf(p, &out);
        if (proof) {
            p->proof_ms = now_ms();
            if (p->answer_ms > 0 && p->proof_ms + (uint64_t)p->answer_ms < deadline)
                deadline = p->proof_ms + (uint64_t)p->answer_ms;
        }
        if (rc < 0) {
            if (type == WN_T_ERROR)
                last_words(p, pl, n);
            else
                snprintf(p->why, sizeof p->why, "%s", msg);
            break;
        }
        if (rc == 1) {
            p->ready = true;
            p->role = p->hs.role;
            wn_frame_reader_set_max(&p->rd, WN_FRAME_MAX);
            result = 0;
            break;
        }
    }
    wf_buf_free(&out);
    return result;
}

int send_join(peer *p, uint64_t agent)
{
    wn_join j;
    memset(&j, 0, sizeof j);
    j.agent = agent;
    while (!j.agent)
        randombytes_buf(&j.agent, sizeof j.agent);
    snprintf(j.name, sizeof j.name, "rawpeer");
    wf_buf buf;
    wf_buf_init(&buf);
    wn_join_encode(&j, &buf);
    int rc = seal_send(p, WN_M_JOIN, buf.data, buf.len);
    /* and the one file of a one-file session, from nothing */
    wf_buf_reset(&buf);
    wf_vv none;
    wf_vv_init(&none);
    wn_open_encode(WN_SINGLE_FILE_ID, &none, &buf);
    if (rc == 0)
        rc = seal_send(p, WN_M_OPEN, buf.data, buf.len);
    wf_buf_free(&buf);
    return rc;
}

/* Waits for the host to end the connection, draining what it sends and keeping its last
 * words (a plain ERROR frame before the handshake, a sealed BYE after). Prints the outcome;
 * returns true when the host ended it. */
bool await_close(peer *p, const char *label, uint64_t since, int wait_ms)
{
    uint64_t deadline = now_ms() + (uint64_t)wait_ms;
    while (!p->closed && now_ms() < deadline) {
        uint8_t type;
        const uint8_t *pl;
        size_t n;
        if (p->ready) {
            if (next_message(p, deadline, &type) == 1)
                wf_buf_reset(&p->whole);
        } else if (next_frame(p, deadline, &type, &pl, &n) == 1 && type == WN_T_ERROR) {
            last_words(p, pl, n);
        }
    }
    if (p->closed) {
        printf("conn %s closed %llu %s %s\n", label, (unsigned long long)(now_ms() - since),
               p->code, p->why);
        fflush(stdout);
        return true;
    }
    printf("conn %s open %llu\n", label, (unsigned long long)(now_ms() - since));
    fflush(stdout);
    return false;
}
