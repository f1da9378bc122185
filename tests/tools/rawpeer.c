/* rawpeer: a hostile guest for end-to-end tests. It speaks the real handshake
 * (net/crypto.h) when it needs to, then misbehaves on purpose, and reports what the host
 * did about it.
 *
 *   rawpeer [--bind ADDR] [--addrs N] [--count N] [--seed N] [--wait MS] [--text T]
 *           [--agent HEX] [--keep MS] [--answer MS] TICKET MODE [FILE...]
 *
 *   --bind ADDR   connect from this IPv4 address (e.g. 127.0.0.2), so that what the host
 *                 does to a misbehaving address (slowing it down) hits this tool alone
 *   --addrs N     cycle through N source addresses from ADDR up (wrongtoken)
 *   --count N     attempts (wrongtoken), connections (silent, half-hello); default 1
 *   --seed N      seed of the random choices (printed; default: from the clock)
 *   --wait MS     how long to wait for the host to end a connection (default 8000)
 *   --text T      what the edit mode inserts (default RAWPEER-EDIT)
 *   --agent HEX   the agent our JOIN claims (default: a random one)
 *   --keep MS     silent, half-hello: for MS ms, replace each connection the host ends with
 *                 a new one from the next source address
 *   --answer MS   wrongtoken: wait at most MS ms for the answer to each wrong proof (the
 *                 host holds it back from an address that failed often), then go on
 *
 * Modes (each connection ends with one line, see below):
 *   silent        connect and send nothing (--count connections at once)
 *   half-hello    send the first half of a HELLO frame, then nothing (likewise)
 *   oversize      send a frame header announcing 100 MB (before any handshake), then junk
 *   oversize-sealed   handshake and JOIN, then a frame header announcing 100 MB
 *   truncated-sealed  handshake and JOIN, then the first half of a sealed frame, then end
 *                 our side of the stream (shutdown)
 *   raw FILE...   per FILE, a new connection: handshake and JOIN, then FILE's bytes as they
 *                 are; if the host still waits (for the rest of a frame) after --wait, end
 *                 our side of the stream
 *   sealed FILE...    per FILE, a new connection: handshake and JOIN, then FILE's bytes cut
 *                 into validly sealed messages of random types (known ones, unknown ones,
 *                 connection-level ones, with and without the "more" flag) and lengths;
 *                 if the host has not dropped us after all of them, one last message of a
 *                 reserved type that it must refuse
 *   update FILE...    per FILE, a new connection: handshake and JOIN, then FILE whole as one
 *                 UPDATE; "conn FILE kept" when the host took it (we then leave cleanly)
 *   bye FILE...   per FILE, a new connection: handshake and JOIN, then a BYE whose words are
 *                 FILE's bytes
 *   orphan        handshake and JOIN, then one well-formed UPDATE whose dependencies never
 *                 arrive (an insert after units of an agent nobody has heard of)
 *   edit          handshake and JOIN, receive the text, insert --text at its start, send it
 *                 as an UPDATE and as a SYNC, print what the host answers, leave cleanly
 *   agents        handshake and JOIN, receive the text, print "agent HEX TEXT" per run of
 *                 units by one agent (what any participant can learn of the others)
 *   join          handshake and JOIN (as --agent HEX, if given), stay --wait ms, print what
 *                 the host says ("notice", "refused", "gone AGENT") and how it ended
 *   bigmsg        handshake and JOIN, then --count MB of one UPDATE in 1 MB chunks, never
 *                 finished; stay --wait ms
 *   wrongtoken    --count handshakes with a wrong token (the ticket's, altered)
 *   probe, badtree OP:PATH..., open PATH...   against a project host (`weft serve DIR`):
 *                 see rawpeer-project.c
 *
 * Output, one line per connection:
 *   "conn LABEL closed MS CODE WHY"   the host ended it after MS ms (counted from the
 *                                     misbehaviour), CODE being the host's error code
 *                                     (ERROR frame or sealed BYE), "eof" or "reset"
 *   "conn LABEL open MS"              still open when we stopped waiting
 * plus "seed N" first and, per mode: "role rw|ro", "sent N messages (B bytes of T)", "sent the
 * finisher", "conn LABEL kept", "refused TEXT", "notice TEXT", "agent HEX TEXT" and,
 * for wrongtoken, "wrongtoken attempts=N wrong-token=N held=N slow=N other=N": answered
 * "wrong token", no answer within --answer, answered after 1 s or more (of the wrong-token
 * ones), anything else (and the first few "other" reasons). Exit status: 0 when it ran
 * (the test judges the lines), 1 when the host could not be reached, 2 on a usage error.
 * The connection itself (sockets, handshake, sealing, the host's last words) is in
 * rawpeer-wire.c; the project modes in rawpeer-project.c. */
#include "tests/tools/rawpeer.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/codec.h"
#include "core/doc.h"
#include "core/mem.h"
#include "net/conn.h"
#include "net/crypto.h"
#include "net/frame.h"
#include "net/proto.h"
#include "net/ticket.h"

#define OVERSIZE ((uint64_t)100 << 20) /* bytes announced by the oversize modes */

struct options {
    const char *bind;   /* source address, or NULL */
    unsigned addrs;     /* source addresses to cycle through */
    long count;         /* wrongtoken attempts */
    uint64_t seed;
    int wait_ms;
    const char *text;   /* what edit inserts */
    uint64_t agent;     /* the agent our JOIN claims; 0: a random one */
    int keep_ms;        /* silent, half-hello: how long to replace closed connections */
    int answer_ms;      /* wrongtoken: how long to wait for the answer to the proof */
};

#define SLOW_ANSWER_MS 1000 /* wrongtoken: an answer this late counts as slowed down */


static struct addrinfo *target;
static uint64_t join_agent; /* --agent, or 0 */
static char token[WN_TOKEN_MAX + 1];
static uint64_t rng;

static uint64_t next_rand(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}


/* --- modes ---------------------------------------------------------------------------- */

static int connect_or_die(peer *p, const struct options *o, unsigned n)
{
    int rc = peer_connect(p, target, o->bind, o->addrs, n);
    if (rc) {
        fprintf(stderr, "rawpeer: cannot connect: %s\n", strerror(-rc));
        exit(1);
    }
    return 0;
}

/* Handshake and JOIN; false (with a line printed) when the host would not have us. */
static bool enter(peer *p, const struct options *o, const char *label)
{
    connect_or_die(p, o, 0);
    if (handshake(p, token, o->wait_ms) != 0) {
        printf("conn %s handshake-failed %s %s\n", label, p->code, p->why);
        fflush(stdout);
        return false;
    }
    printf("role %s\n", p->role == WN_ROLE_RW ? "rw" : "ro");
    send_join(p, join_agent);
    return true;
}

/* Ends our side politely (a BYE without a reason) when the host has not ended it. */
static void say_bye(peer *p)
{
    seal_send(p, WN_M_BYE, "\0\0", 2);
}

/* Opens --count connections (from the --addrs source addresses) that send nothing, or half
 * a HELLO, and waits until the host has ended them all. With one connection, prints its
 * line. With more, prints "holding N after MS ms" once they are open; for --keep MS after
 * that, each one the host ends after holding it a second or more is replaced at once by a
 * new one from the next source address (an attacker with many addresses); then it waits
 * for the host to end the rest and
 * prints "silent: N connections (R replacements), C closed by the host aged MIN..MAX ms,
 * S still open". */
static int mode_silent(const struct options *o, bool half)
{
    const char *label = half ? "half-hello" : "silent";
    long count = o->count > 0 ? o->count : 1;
    peer *ps = wf_xcalloc((size_t)count, sizeof *ps);
    uint64_t *opened = wf_xcalloc((size_t)count, sizeof *opened);
    wf_buf hello;
    wf_buf_init(&hello);
    wn_handshake hs;
    wn_handshake_guest(&hs, token, "rawpeer");
    wn_handshake_start(&hs, &hello);
    wn_handshake_wipe(&hs);
    uint64_t t0 = now_ms();
    unsigned next_addr = 0;
    for (long i = 0; i < count; i++) {
        connect_or_die(&ps[i], o, next_addr++);
        opened[i] = now_ms();
        if (half)
            send_all(&ps[i], hello.data, hello.len / 2);
    }
    if (count == 1) {
        await_close(&ps[0], label, t0, o->wait_ms);
    } else {
        uint64_t now = now_ms();
        printf("holding %ld after %llu ms\n", count, (unsigned long long)(now - t0));
        fflush(stdout);
        uint64_t keep_until = now + (uint64_t)o->keep_ms;
        uint64_t deadline = keep_until + (uint64_t)o->wait_ms, lo = UINT64_MAX, hi = 0;
        long closed = 0, open = count, replaced = 0;
        struct pollfd *pfd = wf_xcalloc((size_t)count, sizeof *pfd);
        while (open > 0 && now_ms() < deadline) {
            for (long i = 0; i < count; i++)
                pfd[i] = (struct pollfd){.fd = ps[i].closed ? -1 : ps[i].fd, .events = POLLIN};
            if (poll(pfd, (nfds_t)count, 100) <= 0)
                continue;
            for (long i = 0; i < count; i++) {
                if (ps[i].closed || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                    continue;
                while (read_some(&ps[i], 0) > 0)
                    ;
                if (!ps[i].closed)
                    continue;
                uint64_t age = now_ms() - opened[i];
                lo = age < lo ? age : lo;
                hi = age > hi ? age : hi;
                closed++;
                open--;
                /* Replace what the host held for a while, not what it refused at once (a
                 * full session): that would only spin. */
                if (now_ms() < keep_until && age >= 1000) {
                    peer_close(&ps[i]);
                    connect_or_die(&ps[i], o, next_addr++);
                    opened[i] = now_ms();
                    if (half)
                        send_all(&ps[i], hello.data, hello.len / 2);
                    replaced++;
                    open++;
                }
            }
        }
        free(pfd);
        printf("%s: %ld connections (%ld replacements), %ld closed by the host aged %llu..%llu "
               "ms, %ld still open\n", label, count, replaced, closed,
               closed ? (unsigned long long)lo : 0ULL, (unsigned long long)hi, open);
    }
    fflush(stdout);
    for (long i = 0; i < count; i++)
        peer_close(&ps[i]);
    free(ps);
    free(opened);
    wf_buf_free(&hello);
    return 0;
}

/* A frame header announcing OVERSIZE bytes, then some junk (not all of it, of course). */
static void oversize_header(wf_buf *out, uint8_t type)
{
    wf_buf_put_varuint(out, OVERSIZE);
    wf_buf_put_u8(out, type);
    for (int i = 0; i < 1000; i++)
        wf_buf_put_u8(out, (uint8_t)next_rand());
}

static int mode_oversize(const struct options *o, bool sealed)
{
    peer p;
    wf_buf out;
    wf_buf_init(&out);
    oversize_header(&out, sealed ? WN_T_SEALED : WN_T_HELLO);
    if (!sealed) {
        connect_or_die(&p, o, 0);
        uint64_t t0 = now_ms();
        send_buf(&p, &out);
        await_close(&p, "oversize", t0, o->wait_ms);
    } else if (enter(&p, o, "oversize-sealed")) {
        uint64_t t0 = now_ms();
        send_buf(&p, &out);
        await_close(&p, "oversize-sealed", t0, o->wait_ms);
    }
    wf_buf_free(&out);
    peer_close(&p);
    return 0;
}

static int mode_truncated(const struct options *o)
{
    peer p;
    if (enter(&p, o, "truncated-sealed")) {
        wf_buf out;
        wf_buf_init(&out);
        char junk[2000];
        randombytes_buf(junk, sizeof junk);
        wn_seal(&p.s, WN_M_PRESENCE, junk, sizeof junk, &out);
        uint64_t t0 = now_ms();
        send_all(&p, out.data, out.len / 2);
        shutdown(p.fd, SHUT_WR);
        await_close(&p, "truncated-sealed", t0, o->wait_ms);
        wf_buf_free(&out);
    }
    peer_close(&p);
    return 0;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "rawpeer: cannot read %s: %s\n", path, strerror(errno));
        exit(2);
    }
    wf_buf b;
    wf_buf_init(&b);
    char chunk[65536];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
        wf_buf_put(&b, chunk, r);
    fclose(f);
    *n = b.len;
    wf_buf_put_u8(&b, 0);
    return (char *)b.data;
}

static int mode_raw(const struct options *o, char **files, int nfiles)
{
    for (int i = 0; i < nfiles; i++) {
        size_t n;
        char *data = slurp(files[i], &n);
        peer p;
        if (enter(&p, o, files[i])) {
            uint64_t t0 = now_ms();
            send_all(&p, data, n);
            if (!await_close(&p, files[i], t0, o->wait_ms)) {
                /* The host waits for the rest of a frame: end our side, as a cut would. */
                shutdown(p.fd, SHUT_WR);
                await_close(&p, files[i], t0, o->wait_ms);
            }
        }
        peer_close(&p);
        free(data);
    }
    return 0;
}

/* A message type for the sealed mode: mostly the session's (16..27), some the connection's
 * (0..15), some unknown (28..127), some with the chunk flag. */
static uint8_t random_type(void)
{
    uint64_t r = next_rand() % 100;
    uint8_t t;
    if (r < 60)
        t = (uint8_t)(WN_M_JOIN + next_rand() % (WN_M_NOTICE - WN_M_JOIN + 1));
    else if (r < 75)
        t = (uint8_t)(next_rand() % 16);
    else
        t = (uint8_t)(28 + next_rand() % 100);
    if (next_rand() % 10 == 0)
        t |= WN_MSG_MORE;
    return t;
}

static int mode_sealed(const struct options *o, char **files, int nfiles)
{
    for (int i = 0; i < nfiles; i++) {
        size_t n;
        char *data = slurp(files[i], &n);
        peer p;
        if (!enter(&p, o, files[i])) {
            peer_close(&p);
            free(data);
            continue;
        }
        uint64_t t0 = now_ms();
        size_t off = 0, sent = 0, total = 0;
        /* Messages of 0..300 bytes (or the whole file at once, one time in four). */
        bool whole = next_rand() % 4 == 0;
        while (off < n || total == 0) {
            size_t k = whole ? n : (size_t)(next_rand() % 301);
            if (k > n - off)
                k = n - off;
            uint8_t type = random_type();
            total++;
            if (p.closed || seal_send(&p, type, data + off, k) != 0)
                break;
            sent++;
            off += k;
            uint8_t mt;
            while (next_message(&p, now_ms(), &mt) == 1)
                wf_buf_reset(&p.whole); /* drain: welcome, sync, digests */
            if (n == 0)
                break;
        }
        printf("sent %zu messages (%zu bytes of %zu)\n", sent, off, n);
        fflush(stdout);
        if (!await_close(&p, files[i], t0, 300)) {
            /* A finisher it must refuse: a connection-level type that does not exist. */
            seal_send(&p, 4, "x", 1);
            printf("sent the finisher\n");
            await_close(&p, files[i], t0, o->wait_ms);
        }
        peer_close(&p);
        free(data);
    }
    return 0;
}

/* Waits for the host's SYNC and applies it to a new document. Returns it, or NULL (with a
 * line printed) when the connection ended first. */
static wf_doc *receive_doc(peer *p, int wait_ms, const char *label)
{
    uint64_t agent = 0;
    while (!agent)
        randombytes_buf(&agent, sizeof agent);
    wf_doc *doc = wf_doc_new(agent);
    uint64_t deadline = now_ms() + (uint64_t)wait_ms;
    uint8_t type;
    int rc;
    while ((rc = next_message(p, deadline, &type)) == 1 && type != WN_M_SYNC)
        wf_buf_reset(&p->whole);
    uint64_t file;
    const uint8_t *u;
    size_t un;
    if (rc != 1 || wn_file_split(p->whole.data, p->whole.len, &file, &u, &un) != 0
        || wf_doc_apply(doc, u, un) != 0) {
        printf("conn %s no-sync %s %s\n", label, p->code, p->why);
        fflush(stdout);
        wf_doc_free(doc);
        return NULL;
    }
    wf_buf_reset(&p->whole);
    return doc;
}

/* enter(), then the host's copy of the document (NULL, with a line printed, if either
 * fails). The caller frees the document and closes p. */
static wf_doc *enter_with_doc(peer *p, const struct options *o, const char *label)
{
    return enter(p, o, label) ? receive_doc(p, o->wait_ms, label) : NULL;
}

/* Leaves with a BYE whose words are FILE's bytes (code 1), as a peer may: the host should
 * log them only once made harmless (no control characters, valid UTF-8). */
static int mode_bye(const struct options *o, char **files, int nfiles)
{
    for (int i = 0; i < nfiles; i++) {
        size_t n;
        char *data = slurp(files[i], &n);
        peer p;
        if (enter(&p, o, files[i])) {
            uint8_t *m = wf_xmalloc(n + 2);
            m[0] = 0;
            m[1] = 1;
            memcpy(m + 2, data, n);
            seal_send(&p, WN_M_BYE, m, n + 2);
            free(m);
            await_close(&p, files[i], now_ms(), o->wait_ms);
        }
        peer_close(&p);
        free(data);
    }
    return 0;
}

/* Sends each FILE whole as one UPDATE, on a connection of its own, and reports whether the
 * host took it (the connection stays: "conn FILE kept") or dropped us ("closed"). */
static int mode_update(const struct options *o, char **files, int nfiles)
{
    for (int i = 0; i < nfiles; i++) {
        size_t n;
        char *data = slurp(files[i], &n);
        peer p;
        if (enter(&p, o, files[i])) {
            uint64_t t0 = now_ms();
            seal_send_file(&p, WN_M_UPDATE, data, n);
            if (!await_close(&p, files[i], t0, o->wait_ms)) {
                printf("conn %s kept\n", files[i]);
                say_bye(&p);
            }
            fflush(stdout);
        }
        peer_close(&p);
        free(data);
    }
    return 0;
}

/* Sends one well-formed UPDATE whose dependencies never arrive: the insert of "ORPHAN" after
 * three units of a made-up agent that the host never hears of. Reports like update. */
static int mode_orphan(const struct options *o)
{
    peer p;
    if (enter(&p, o, "orphan")) {
        uint64_t agent = 0;
        while (!agent)
            randombytes_buf(&agent, sizeof agent);
        wf_doc *doc = wf_doc_new(agent);
        wf_buf upd;
        wf_buf_init(&upd);
        if (wf_doc_insert(doc, 0, "abc", 3) != 0)
            return 1;
        wf_doc_flush(doc, &upd); /* never sent */
        wf_buf_reset(&upd);
        if (wf_doc_insert(doc, 2, "ORPHAN", 6) != 0)
            return 1;
        wf_doc_flush(doc, &upd);
        uint64_t t0 = now_ms();
        seal_send_file(&p, WN_M_UPDATE, upd.data, upd.len);
        if (!await_close(&p, "orphan", t0, o->wait_ms)) {
            printf("conn orphan kept\n");
            say_bye(&p);
        }
        fflush(stdout);
        wf_buf_free(&upd);
        wf_doc_free(doc);
    }
    peer_close(&p);
    return 0;
}

/* Receives the text, inserts o->text at its start as this guest, and sends the edit both
 * as an UPDATE and as a SYNC. Prints the host's answers. */
static int mode_edit(const struct options *o)
{
    peer p;
    wf_doc *doc = enter_with_doc(&p, o, "edit");
    if (!doc) {
        peer_close(&p);
        return 0;
    }
    printf("joined %zu units\n", wf_doc_len(doc));
    wf_buf upd;
    wf_buf_init(&upd);
    if (wf_doc_insert(doc, 0, o->text, strlen(o->text)) != 0) {
        fprintf(stderr, "rawpeer: cannot insert the text\n");
        exit(1);
    }
    wf_doc_flush(doc, &upd);
    seal_send_file(&p, WN_M_UPDATE, upd.data, upd.len);
    wf_buf_reset(&upd);
    wf_doc_encode_diff(doc, NULL, &upd);
    seal_send_file(&p, WN_M_SYNC, upd.data, upd.len);
    wf_buf_free(&upd);
    /* Two answers expected; notices and digests may come between. */
    int refused = 0;
    uint8_t type;
    uint64_t deadline = now_ms() + (uint64_t)o->wait_ms;
    while (refused < 2 && next_message(&p, deadline, &type) == 1) {
        char text[512];
        wn_text_copy(text, sizeof text, p.whole.data, p.whole.len);
        if (type == WN_M_REFUSED) {
            printf("refused %s\n", text);
            refused++;
        } else if (type == WN_M_NOTICE) {
            printf("notice %s\n", text);
        }
        fflush(stdout);
        wf_buf_reset(&p.whole);
    }
    printf("refusals %d\n", refused);
    if (p.closed)
        printf("conn edit closed 0 %s %s\n", p.code, p.why);
    else
        say_bye(&p);
    fflush(stdout);
    wf_doc_free(doc);
    peer_close(&p);
    return 0;
}

/* Prints "agent HEX TEXT" for each run of units by one agent (the first 16 bytes of it):
 * what any participant, read-only ones too, can learn of the others' identities. */
static int mode_agents(const struct options *o)
{
    peer p;
    wf_doc *doc = enter_with_doc(&p, o, "agents");
    if (doc) {
        size_t len = wf_doc_len(doc);
        for (size_t pos = 0; pos < len;) {
            uint64_t a = wf_doc_id_at(doc, pos).agent;
            size_t end = pos + 1;
            while (end < len && wf_doc_id_at(doc, end).agent == a)
                end++;
            size_t nb;
            char *text = wf_doc_text(doc, pos, end - pos < 16 ? end - pos : 16, &nb);
            for (size_t k = 0; k < nb; k++)
                if ((unsigned char)text[k] <= 0x20 || (unsigned char)text[k] >= 0x7f)
                    text[k] = '.';
            printf("agent %016llx %s\n", (unsigned long long)a, text);
            free(text);
            pos = end;
        }
        wf_doc_free(doc);
        say_bye(&p);
    }
    fflush(stdout);
    peer_close(&p);
    return 0;
}

/* Joins (as --agent, if given) and stays for --wait ms, printing what the host says to us:
 * "notice TEXT", "refused TEXT", "gone AGENT", and how the connection ended. */
static int mode_join(const struct options *o)
{
    peer p;
    if (!enter(&p, o, "join")) {
        peer_close(&p);
        return 0;
    }
    uint64_t t0 = now_ms(), deadline = t0 + (uint64_t)o->wait_ms;
    uint8_t type;
    while (next_message(&p, deadline, &type) == 1) {
        char text[512];
        wn_text_copy(text, sizeof text, p.whole.data, p.whole.len);
        if (type == WN_M_NOTICE || type == WN_M_REFUSED)
            printf("%s %s\n", type == WN_M_NOTICE ? "notice" : "refused", text);
        else if (type == WN_M_SYNC)
            printf("sync %zu bytes\n", p.whole.len);
        else if (type == WN_M_GONE && p.whole.len == 8) {
            uint64_t a = 0;
            for (int k = 7; k >= 0; k--)
                a = a << 8 | p.whole.data[k];
            printf("gone %016llx\n", (unsigned long long)a);
        }
        fflush(stdout);
        wf_buf_reset(&p.whole);
    }
    if (!await_close(&p, "join", t0, 0))
        say_bye(&p);
    peer_close(&p);
    return 0;
}

/* Sends --count MB of one message in 1 MB chunks (an UPDATE never finished), prints
 * "chunks N sent" and waits --wait ms for the host's answer. */
static int mode_bigmsg(const struct options *o)
{
    peer p;
    if (!enter(&p, o, "bigmsg")) {
        peer_close(&p);
        return 0;
    }
    long mb = o->count > 0 ? o->count : 1, sent = 0;
    uint8_t *chunk = wf_xmalloc(1 << 20);
    randombytes_buf(chunk, 1 << 20);
    uint64_t t0 = now_ms();
    for (; sent < mb && !p.closed; sent++) {
        if (seal_send(&p, WN_M_UPDATE | WN_MSG_MORE, chunk, 1 << 20) != 0)
            break;
        uint8_t type;
        while (next_message(&p, now_ms(), &type) == 1)
            wf_buf_reset(&p.whole);
    }
    printf("chunks %ld sent\n", sent);
    fflush(stdout);
    if (!await_close(&p, "bigmsg", t0, o->wait_ms))
        say_bye(&p);
    free(chunk);
    peer_close(&p);
    return 0;
}

static int mode_wrongtoken(const struct options *o)
{
    char bad[sizeof token];
    snprintf(bad, sizeof bad, "%s", token);
    bad[0] = bad[0] == 'A' ? 'B' : 'A';
    long wrong = 0, held = 0, slow = 0, other = 0;
    int shown = 0;
    long count = o->count > 0 ? o->count : 1;
    for (long i = 0; i < count; i++) {
        peer p;
        int rc = peer_connect(&p, target, o->bind, o->addrs, (unsigned)i);
        if (rc) {
            other++;
            if (shown++ < 5)
                printf("other connect: %s\n", strerror(-rc));
        } else {
            p.answer_ms = o->answer_ms;
            handshake(&p, bad, o->wait_ms);
            if (strstr(p.why, "wrong token")) {
                wrong++;
                slow += p.answer_at - p.proof_ms >= SLOW_ANSWER_MS;
            } else if (!strcmp(p.code, "timeout") && p.proof_ms) {
                held++;
            } else if (other++, shown++ < 5) {
                printf("other %s %s%s\n", p.code, p.why, p.ready ? " (admitted!)" : "");
            }
        }
        peer_close(&p);
    }
    printf("wrongtoken attempts=%ld wrong-token=%ld held=%ld slow=%ld other=%ld\n", count,
           wrong, held, slow, other);
    return 0;
}

/* --- main ----------------------------------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr, "usage: rawpeer [--bind ADDR] [--addrs N] [--count N] [--seed N] "
                    "[--wait MS] [--text T] [--agent HEX] [--keep MS] [--answer MS] TICKET MODE "
                    "[FILE...]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    struct options o = {.count = 0, .wait_ms = 8000, .text = "RAWPEER-EDIT", .addrs = 1};
    o.seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
    int i = 1;
    for (; i + 1 < argc && !strncmp(argv[i], "--", 2); i += 2) {
        const char *v = argv[i + 1];
        if (!strcmp(argv[i], "--bind"))
            o.bind = v;
        else if (!strcmp(argv[i], "--addrs"))
            o.addrs = (unsigned)strtoul(v, NULL, 10);
        else if (!strcmp(argv[i], "--count"))
            o.count = atol(v);
        else if (!strcmp(argv[i], "--seed"))
            o.seed = strtoull(v, NULL, 10);
        else if (!strcmp(argv[i], "--wait"))
            o.wait_ms = atoi(v);
        else if (!strcmp(argv[i], "--text"))
            o.text = v;
        else if (!strcmp(argv[i], "--keep"))
            o.keep_ms = atoi(v);
        else if (!strcmp(argv[i], "--agent"))
            o.agent = strtoull(v, NULL, 16);
        else if (!strcmp(argv[i], "--answer"))
            o.answer_ms = atoi(v);
        else
            usage();
    }
    if (argc - i < 2)
        usage();
    const char *mode = argv[i + 1];
    wn_ticket t;
    char err[256];
    if (wn_ticket_parse(argv[i], &t, err, sizeof err) != 0 || t.ssh) {
        fprintf(stderr, "rawpeer: %s\n", t.ssh ? "a weft:// ticket, please" : err);
        return 2;
    }
    if (wn_crypto_init() != 0)
        return 1;
    snprintf(token, sizeof token, "%s", t.token);
    char port[8];
    snprintf(port, sizeof port, "%u", t.port);
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM};
    int rc = getaddrinfo(t.host, port, &hints, &target);
    wn_ticket_free(&t);
    if (rc != 0) {
        fprintf(stderr, "rawpeer: cannot resolve the host: %s\n", gai_strerror(rc));
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    rng = o.seed;
    join_agent = o.agent;
    printf("seed %llu\n", (unsigned long long)o.seed);
    fflush(stdout);
    char **files = argv + i + 2;
    int nfiles = argc - i - 2;
    if (!strcmp(mode, "silent"))
        rc = mode_silent(&o, false);
    else if (!strcmp(mode, "half-hello"))
        rc = mode_silent(&o, true);
    else if (!strcmp(mode, "oversize"))
        rc = mode_oversize(&o, false);
    else if (!strcmp(mode, "oversize-sealed"))
        rc = mode_oversize(&o, true);
    else if (!strcmp(mode, "truncated-sealed"))
        rc = mode_truncated(&o);
    else if (!strcmp(mode, "raw"))
        rc = mode_raw(&o, files, nfiles);
    else if (!strcmp(mode, "sealed"))
        rc = mode_sealed(&o, files, nfiles);
    else if (!strcmp(mode, "update"))
        rc = mode_update(&o, files, nfiles);
    else if (!strcmp(mode, "bye"))
        rc = mode_bye(&o, files, nfiles);
    else if (!strcmp(mode, "orphan"))
        rc = mode_orphan(&o);
    else if (!strcmp(mode, "edit"))
        rc = mode_edit(&o);
    else if (!strcmp(mode, "agents"))
        rc = mode_agents(&o);
    else if (!strcmp(mode, "bigmsg"))
        rc = mode_bigmsg(&o);
    else if (!strcmp(mode, "join"))
        rc = mode_join(&o);
    else if (!strcmp(mode, "wrongtoken"))
        rc = mode_wrongtoken(&o);
    else {
        struct rawpeer_env env = {.target = target, .token = token, .bind = o.bind,
                                  .wait_ms = o.wait_ms};
        if ((rc = rawpeer_project(mode, &env, files, nfiles)) < 0)
            usage();
    }
    freeaddrinfo(target);
    return rc;
}
