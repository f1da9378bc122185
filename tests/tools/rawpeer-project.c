/* rawpeer's project modes (rawpeer.h): a guest of `weft serve DIR` that tries to learn of,
 * or touch, what the host does not share, through every message of protocol 3. What it
 * prints is judged by tests/e2e/project-hostile.sh: every answer about a file id or a path
 * the guest was never shown must be the same, whether something hidden is behind it or
 * nothing at all.
 *
 *   probe         two connections, an observer and a prober, each a JOIN and nothing else
 *                 (no OPEN of file 1). The prober reads the whole manifest ("entry ID KIND
 *                 PATH") and then, for ids never listed (1 .. last+32, and 2^20, 2^32, 2^63,
 *                 2^64-1): OPEN ("open ID ok" / "open ID refused TEXT"); SAVE ("save ID
 *                 ok|refused TEXT"); UPDATE, SYNC, RESYNC and CLOSE, also of listed files
 *                 it did not open, after which nothing of those may come back but a
 *                 read-only guest's REFUSED ("edit-refused TEXT"; "quiet", or "answered
 *                 TYPE ID"); MORE after 0, after every listed id and after ids
 *                 past the end ("more AFTER N", and "more-bad AFTER ID PATH" for an entry
 *                 not listed before or not after AFTER); TREE requests with valid paths
 *                 naming hidden, ignored, linked and absent files ("tree LABEL ok|refused
 *                 FILE TEXT"); PRESENCE claiming never-listed ids, then a listed one, as
 *                 the observer sees them ("seen FILE" per presence of the prober's).
 *   badtree OP:PATH...   per argument, a new connection: JOIN, then one TREE (create,
 *                 mkdir, or rename of the first listed id to PATH) whose PATH is sent as
 *                 given after %XX unescaping (so NUL, control bytes, "..", "/..." go as
 *                 they are), or "long:N" for an N-byte path; prints how the host ended it
 *                 ("conn LABEL closed MS CODE WHY") or that it answered ("tree LABEL ...").
 *   open PATH...  JOIN, the manifest, then OPEN of each PATH's id: "open PATH ok BYTES" (the
 *                 text's length) or "open PATH refused TEXT" (PATH not listed: "open PATH
 *                 unlisted").
 */
#include "tests/tools/rawpeer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "core/buf.h"
#include "core/codec.h"
#include "core/doc.h"
#include "core/mem.h"
#include "core/vv.h"
#include "net/conn.h"
#include "net/manifest.h"
#include "net/presence.h"
#include "net/proto.h"

/* The manifest as the prober saw it. */
struct listing {
    uint64_t *ids;
    char **paths;
    uint8_t *kinds;
    size_t n;
    uint64_t last;
};

static void listing_free(struct listing *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->paths[i]);
    free(l->ids);
    free(l->paths);
    free(l->kinds);
}

static ssize_t listed(const struct listing *l, uint64_t id)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->ids[i] == id)
            return (ssize_t)i;
    return -1;
}

/* Connects, handshakes and sends a JOIN (and nothing else). False, with a line, when the
 * host would not have us. */
static bool join_only(peer *p, const struct rawpeer_env *env, const char *label)
{
    int rc = peer_connect(p, env->target, env->bind, 1, 0);
    if (rc) {
        fprintf(stderr, "rawpeer: cannot connect: %s\n", strerror(-rc));
        exit(1);
    }
    if (handshake(p, env->token, env->wait_ms) != 0) {
        printf("conn %s handshake-failed %s %s\n", label, p->code, p->why);
        fflush(stdout);
        return false;
    }
    wn_join j;
    memset(&j, 0, sizeof j);
    while (!j.agent)
        randombytes_buf(&j.agent, sizeof j.agent);
    snprintf(j.name, sizeof j.name, "%s", label);
    wf_buf buf;
    wf_buf_init(&buf);
    wn_join_encode(&j, &buf);
    rc = seal_send(p, WN_M_JOIN, buf.data, buf.len);
    wf_buf_free(&buf);
    return rc == 0;
}

/* Waits for a message of type (others are dropped, save what `seen` wants to hear of):
 * true with it in p->whole. */
static bool wait_for(peer *p, uint8_t want, uint64_t deadline)
{
    uint8_t type;
    while (next_message(p, deadline, &type) == 1) {
        if (type == want)
            return true;
        wf_buf_reset(&p->whole);
    }
    return false;
}

static void send_file_only(peer *p, uint8_t type, uint64_t file)
{
    wf_buf buf;
    wf_buf_init(&buf);
    wn_file_prefix(file, &buf);
    seal_send(p, type, buf.data, buf.len);
    wf_buf_free(&buf);
}

static void send_more(peer *p, uint64_t after)
{
    wf_buf buf;
    wf_buf_init(&buf);
    wf_buf_put_varuint(&buf, after);
    seal_send(p, WN_M_MORE, buf.data, buf.len);
    wf_buf_free(&buf);
}

/* Reads the whole manifest (the first page follows WELCOME; MORE for the rest). */
static bool read_listing(peer *p, int wait_ms, struct listing *l, bool print)
{
    memset(l, 0, sizeof *l);
    uint64_t deadline = now_ms() + (uint64_t)wait_ms;
    for (;;) {
        if (!wait_for(p, WN_M_MANIFEST, deadline))
            return false;
        wn_entries es;
        if (wn_manifest_decode(p->whole.data, p->whole.len, &es) != 0)
            return false;
        wf_buf_reset(&p->whole);
        l->ids = wf_xreallocarray(l->ids, l->n + es.n + 1, sizeof *l->ids);
        l->paths = wf_xreallocarray(l->paths, l->n + es.n + 1, sizeof *l->paths);
        l->kinds = wf_xreallocarray(l->kinds, l->n + es.n + 1, sizeof *l->kinds);
        for (size_t i = 0; i < es.n; i++) {
            const wn_entry *e = &es.v[i].entry;
            l->ids[l->n] = e->id;
            l->paths[l->n] = wf_xmalloc(strlen(e->path) + 1);
            strcpy(l->paths[l->n], e->path);
            l->kinds[l->n] = e->kind;
            l->last = e->id > l->last ? e->id : l->last;
            if (print)
                printf("entry %llu %u %s\n", (unsigned long long)e->id, e->kind, e->path);
            l->n++;
        }
        uint64_t next = es.next_after;
        wn_entries_free(&es);
        if (!next)
            return true;
        send_more(p, next);
    }
}

/* The ids a guest was never shown: the holes and a little past the end, and a few far. */
static size_t unlisted_ids(const struct listing *l, uint64_t *out, size_t max)
{
    static const uint64_t far[] = {(uint64_t)1 << 20, (uint64_t)1 << 32, (uint64_t)1 << 63,
                                   UINT64_MAX};
    size_t n = 0;
    for (uint64_t id = 1; id <= l->last + 32 && n < max; id++)
        if (listed(l, id) < 0)
            out[n++] = id;
    for (size_t i = 0; i < sizeof far / sizeof *far && n < max; i++)
        out[n++] = far[i];
    return n;
}

static void probe_open(peer *p, const uint64_t *ids, size_t n, int wait_ms)
{
    for (size_t i = 0; i < n; i++) {
        wf_buf buf;
        wf_buf_init(&buf);
        wf_vv none;
        wf_vv_init(&none);
        wn_open_encode(ids[i], &none, &buf);
        seal_send(p, WN_M_OPEN, buf.data, buf.len);
        wf_buf_free(&buf);
        wn_opened o;
        if (!wait_for(p, WN_M_OPENED, now_ms() + (uint64_t)wait_ms)
            || wn_opened_decode(p->whole.data, p->whole.len, &o) != 0) {
            printf("open %llu no-answer %s %s\n", (unsigned long long)ids[i], p->code, p->why);
            continue;
        }
        wf_buf_reset(&p->whole);
        if (o.file != ids[i])
            printf("open %llu answered-for %llu\n", (unsigned long long)ids[i],
                   (unsigned long long)o.file);
        else if (o.ok)
            printf("open %llu ok\n", (unsigned long long)ids[i]);
        else
            printf("open %llu refused %s\n", (unsigned long long)ids[i], o.why);
        wf_vv_free(&o.vv);
    }
}

/* SAVE of file: prints the answer; true when one came. */
static bool probe_save(peer *p, uint64_t file, int wait_ms, bool print)
{
    send_file_only(p, WN_M_SAVE, file);
    uint64_t got;
    bool ok;
    char text[WN_TEXT_MAX];
    if (!wait_for(p, WN_M_SAVED, now_ms() + (uint64_t)wait_ms)
        || wn_saved_decode(p->whole.data, p->whole.len, &got, &ok, text) != 0) {
        printf("save %llu no-answer %s %s\n", (unsigned long long)file, p->code, p->why);
        return false;
    }
    wf_buf_reset(&p->whole);
    if (print)
        printf("save %llu %s %s\n", (unsigned long long)got, ok ? "ok" : "refused", text);
    return true;
}

/* UPDATE and SYNC of an insert that depends on nothing (a host applying it to a file the
 * guest never opened would put it in that file), then RESYNC and CLOSE; then a SAVE of
 * the last id, whose answer bounds the wait: what came before it answered the rest. */
static void probe_edits(peer *p, const uint64_t *ids, size_t n, int wait_ms)
{
    wf_doc *doc = wf_doc_new(0x48555354494c45ULL);
    if (wf_doc_insert(doc, 0, "HOSTILE\n", 8) != 0) {
        fprintf(stderr, "rawpeer: cannot insert\n");
        exit(1);
    }
    wf_buf upd;
    wf_buf_init(&upd);
    wf_doc_encode_diff(doc, NULL, &upd);
    for (size_t i = 0; i < n; i++) {
        wf_buf buf;
        wf_buf_init(&buf);
        wn_file_prefix(ids[i], &buf);
        wf_buf_put(&buf, upd.data, upd.len);
        seal_send(p, WN_M_UPDATE, buf.data, buf.len);
        seal_send(p, WN_M_SYNC, buf.data, buf.len);
        wf_buf_free(&buf);
        send_file_only(p, WN_M_RESYNC, ids[i]);
        send_file_only(p, WN_M_CLOSE, ids[i]);
    }
    wf_buf_free(&upd);
    wf_doc_free(doc);
    send_file_only(p, WN_M_SAVE, ids[n - 1]);
    uint64_t deadline = now_ms() + (uint64_t)wait_ms;
    uint8_t type;
    bool quiet = true;
    while (next_message(p, deadline, &type) == 1) {
        uint64_t file = 0;
        const uint8_t *rest;
        size_t rn;
        char text[WN_TEXT_MAX];
        wn_text_copy(text, sizeof text, p->whole.data, p->whole.len);
        if (wn_file_split(p->whole.data, p->whole.len, &file, &rest, &rn) != 0)
            file = 0;
        wf_buf_reset(&p->whole);
        if (type == WN_M_SAVED)
            break;
        if (type == WN_M_NOTICE || type == WN_M_PRESENCE || type == WN_M_GONE)
            continue;
        if (type == WN_M_REFUSED) { /* a read-only guest's edits: the same for any file */
            printf("edit-refused %s\n", text);
            continue;
        }
        printf("answered %u %llu\n", type, (unsigned long long)file);
        quiet = false;
    }
    printf("%s\n", p->closed ? "closed after the edits" : quiet ? "quiet" : "not quiet");
}

static void probe_more(peer *p, const struct listing *l, int wait_ms)
{
    size_t n = l->n + 7;
    uint64_t *after = wf_xcalloc(n, sizeof *after);
    size_t k = 0;
    after[k++] = 0;
    for (size_t i = 0; i < l->n; i++)
        after[k++] = l->ids[i];
    after[k++] = l->last + 1;
    after[k++] = l->last + 1000;
    after[k++] = (uint64_t)1 << 63;
    after[k++] = UINT64_MAX - 1;
    after[k++] = UINT64_MAX;
    for (size_t i = 0; i < k; i++) {
        send_more(p, after[i]);
        wn_entries es;
        if (!wait_for(p, WN_M_MANIFEST, now_ms() + (uint64_t)wait_ms)
            || wn_manifest_decode(p->whole.data, p->whole.len, &es) != 0) {
            printf("more %llu no-answer %s %s\n", (unsigned long long)after[i], p->code, p->why);
            continue;
        }
        wf_buf_reset(&p->whole);
        for (size_t j = 0; j < es.n; j++) {
            const wn_entry *e = &es.v[j].entry;
            ssize_t at = listed(l, e->id);
            if (at < 0 || strcmp(l->paths[at], e->path) != 0 || e->id <= after[i])
                printf("more-bad %llu %llu %s\n", (unsigned long long)after[i],
                       (unsigned long long)e->id, e->path);
        }
        printf("more %llu %zu\n", (unsigned long long)after[i], es.n);
        wn_entries_free(&es);
    }
    free(after);
}

static void send_tree(peer *p, uint32_t req, uint8_t op, uint64_t file, const char *path,
                      size_t pn, const char *path2, size_t p2n)
{
    wf_buf buf;
    wf_buf_init(&buf);
    uint8_t le[4] = {(uint8_t)req, (uint8_t)(req >> 8), (uint8_t)(req >> 16),
                     (uint8_t)(req >> 24)};
    wf_buf_put(&buf, le, 4);
    wf_buf_put_u8(&buf, op);
    wf_buf_put_varuint(&buf, file);
    wf_buf_put_varuint(&buf, pn);
    wf_buf_put(&buf, path, pn);
    wf_buf_put_varuint(&buf, p2n);
    wf_buf_put(&buf, path2, p2n);
    seal_send(p, WN_M_TREE, buf.data, buf.len);
    wf_buf_free(&buf);
}

/* Waits for the answer to a TREE request and prints it. */
static void tree_answer(peer *p, const char *label, int wait_ms)
{
    wn_tree_done d;
    if (!wait_for(p, WN_M_TREE_DONE, now_ms() + (uint64_t)wait_ms)
        || wn_tree_done_decode(p->whole.data, p->whole.len, &d) != 0) {
        if (p->closed)
            printf("conn %s closed 0 %s %s\n", label, p->code, p->why);
        else
            printf("tree %s no-answer\n", label);
        return;
    }
    wf_buf_reset(&p->whole);
    printf("tree %s %s %llu %s\n", label, d.ok ? "ok" : "refused", (unsigned long long)d.file,
           d.text);
}

/* TREE requests: first renames and deletes of ids never listed (one answer for all), then,
 * for each path of by_path (hidden by name, by being a link, or absent), a create, a mkdir
 * and a rename of the listed file mover.txt (else the first listed) onto it. A read-write
 * guest's may be done: what the host creates is the prober's own. */
static void probe_tree(peer *p, const struct listing *l, const uint64_t *unlisted, size_t nu,
                       int wait_ms)
{
    static const char *const by_path[] = {
        /* hidden by name first, each beside an absent one (the mover has not moved yet) */
        ".env", ".envrc", ".git", ".git/config", ".git/hooks/post-checkout", "build/x",
        "build/new", "out/passwd", "out", "passwd", "nonexistent", "nonexistent/deeper"};
    uint32_t req = 1;
    char label[64];
    for (size_t i = 0; i < nu; i++) {
        snprintf(label, sizeof label, "rename-id:%llu", (unsigned long long)unlisted[i]);
        send_tree(p, req++, WN_TREE_RENAME, unlisted[i], "", 0, "moved", 5);
        tree_answer(p, label, wait_ms);
        snprintf(label, sizeof label, "delete-id:%llu", (unsigned long long)unlisted[i]);
        send_tree(p, req++, WN_TREE_DELETE, unlisted[i], "", 0, "", 0);
        tree_answer(p, label, wait_ms);
    }
    uint64_t mover = l->ids[0];
    for (size_t i = 0; i < l->n; i++)
        if (l->paths[i] && !strcmp(l->paths[i], "mover.txt"))
            mover = l->ids[i];
    for (size_t i = 0; i < sizeof by_path / sizeof *by_path; i++) {
        for (uint8_t op = WN_TREE_CREATE; op <= WN_TREE_MKDIR; op++) {
            snprintf(label, sizeof label, "%s:%s", op ? "mkdir" : "create", by_path[i]);
            send_tree(p, req++, op, 0, by_path[i], strlen(by_path[i]), "", 0);
            tree_answer(p, label, wait_ms);
        }
        /* a listed file moved onto a hidden one (or anywhere) */
        snprintf(label, sizeof label, "rename:%s", by_path[i]);
        send_tree(p, req++, WN_TREE_RENAME, mover, "", 0, by_path[i], strlen(by_path[i]));
        tree_answer(p, label, wait_ms);
    }
}

static void send_presence(peer *p, uint64_t clock, uint64_t file)
{
    wn_presence pr;
    memset(&pr, 0, sizeof pr);
    pr.clock = clock;
    pr.file = file;
    pr.flags = WN_PRESENCE_CURSOR | WN_PRESENCE_VIEW;
    pr.view_lines = 24;
    wf_buf buf;
    wf_buf_init(&buf);
    wn_presence_encode(&pr, &buf);
    seal_send(p, WN_M_PRESENCE, buf.data, buf.len);
    wf_buf_free(&buf);
}

/* The prober claims to be in each never-listed file, then in the first listed one; the
 * observer prints what it is told of each (the last is the sentinel). */
static void probe_presence(peer *prober, peer *observer, const struct listing *l,
                           const uint64_t *unlisted, size_t nu, int wait_ms)
{
    uint64_t clock = 1;
    for (size_t i = 0; i < nu; i++)
        send_presence(prober, clock++, unlisted[i]);
    send_presence(prober, clock++, l->ids[0]);
    uint64_t deadline = now_ms() + (uint64_t)wait_ms;
    uint8_t type;
    while (next_message(observer, deadline, &type) == 1) {
        wn_presence pr;
        bool got = type == WN_M_PRESENCE
                   && wn_presence_decode(observer->whole.data, observer->whole.len, &pr) == 0
                   && !strcmp(pr.name, "prober");
        wf_buf_reset(&observer->whole);
        if (!got)
            continue;
        printf("seen %llu %u\n", (unsigned long long)pr.file, pr.flags);
        if (pr.clock == clock - 1)
            return;
    }
    printf("presence no-sentinel %s %s\n", observer->code, observer->why);
}

#define UNLISTED_MAX 256

static int mode_probe(const struct rawpeer_env *env)
{
    peer obs, pr;
    if (!join_only(&obs, env, "observer") || !wait_for(&obs, WN_M_MANIFEST,
                                                       now_ms() + (uint64_t)env->wait_ms)) {
        printf("observer could not join %s %s\n", obs.code, obs.why);
        return 0;
    }
    wf_buf_reset(&obs.whole);
    struct listing l;
    if (!join_only(&pr, env, "prober") || !read_listing(&pr, env->wait_ms, &l, true)
        || l.n == 0) {
        printf("prober could not list %s %s\n", pr.code, pr.why);
        return 0;
    }
    printf("role %s\n", pr.role == WN_ROLE_RW ? "rw" : "ro");
    fflush(stdout);
    uint64_t unlisted[UNLISTED_MAX];
    size_t nu = unlisted_ids(&l, unlisted, UNLISTED_MAX);
    probe_open(&pr, unlisted, nu, env->wait_ms);
    for (size_t i = 0; i < nu; i++)
        probe_save(&pr, unlisted[i], env->wait_ms, true);
    for (size_t i = 0; i < l.n; i++) /* listed, never opened */
        probe_save(&pr, l.ids[i], env->wait_ms, true);
    fflush(stdout);
    /* edits: to listed files never opened, and to ids never listed */
    uint64_t *all = wf_xcalloc(l.n + nu, sizeof *all);
    memcpy(all, l.ids, l.n * sizeof *all);
    memcpy(all + l.n, unlisted, nu * sizeof *all);
    probe_edits(&pr, all, l.n + nu, env->wait_ms);
    free(all);
    fflush(stdout);
    probe_more(&pr, &l, env->wait_ms);
    fflush(stdout);
    probe_presence(&pr, &obs, &l, unlisted, nu, env->wait_ms);
    fflush(stdout);
    /* last: a read-write guest's requests may make files (with ids never listed before) */
    probe_tree(&pr, &l, unlisted, nu, env->wait_ms);
    /* still there? */
    printf("%s\n", probe_save(&pr, l.ids[0], env->wait_ms, false) ? "alive" : "dropped");
    fflush(stdout);
    seal_send(&pr, WN_M_BYE, "\0\0", 2);
    seal_send(&obs, WN_M_BYE, "\0\0", 2);
    listing_free(&l);
    peer_close(&pr);
    peer_close(&obs);
    return 0;
}

/* %XX unescaping, into a new buffer (the caller frees it); *n its length. */
static char *unescape(const char *s, size_t *n)
{
    size_t len = strlen(s), k = 0;
    char *out = wf_xmalloc(len + 1);
    for (size_t i = 0; i < len; i++) {
        unsigned v;
        if (s[i] == '%' && i + 2 < len + 1 && sscanf(s + i + 1, "%2x", &v) == 1) {
            out[k++] = (char)v;
            i += 2;
        } else {
            out[k++] = s[i];
        }
    }
    *n = k;
    return out;
}

static int mode_badtree(const struct rawpeer_env *env, char **args, int nargs)
{
    for (int i = 0; i < nargs; i++) {
        const char *colon = strchr(args[i], ':');
        if (!colon) {
            fprintf(stderr, "rawpeer: badtree OP:PATH, not %s\n", args[i]);
            exit(2);
        }
        size_t pn;
        char *path;
        if (!strncmp(args[i], "long:", 5)) {
            pn = strtoul(colon + 1, NULL, 10);
            path = wf_xmalloc(pn + 1);
            for (size_t k = 0; k < pn; k++)
                path[k] = k % 100 == 99 ? '/' : 'a';
        } else {
            path = unescape(colon + 1, &pn);
        }
        peer p;
        struct listing l;
        if (join_only(&p, env, "badtree") && read_listing(&p, env->wait_ms, &l, false)) {
            uint64_t t0 = now_ms();
            if (!strncmp(args[i], "rename:", 7))
                send_tree(&p, 1, WN_TREE_RENAME, l.n ? l.ids[0] : 1, "", 0, path, pn);
            else
                send_tree(&p, 1, strncmp(args[i], "mkdir:", 6) ? WN_TREE_CREATE
                                                                : WN_TREE_MKDIR, 0, path, pn,
                          "", 0);
            wn_tree_done d;
            if (wait_for(&p, WN_M_TREE_DONE, t0 + (uint64_t)env->wait_ms)
                && wn_tree_done_decode(p.whole.data, p.whole.len, &d) == 0)
                printf("tree %s %s %s\n", args[i], d.ok ? "ok" : "refused", d.text);
            else
                await_close(&p, args[i], t0, 0);
            listing_free(&l);
        }
        fflush(stdout);
        free(path);
        peer_close(&p);
    }
    return 0;
}

static int mode_open(const struct rawpeer_env *env, char **args, int nargs)
{
    peer p;
    struct listing l;
    if (!join_only(&p, env, "opener") || !read_listing(&p, env->wait_ms, &l, false)) {
        printf("could not list %s %s\n", p.code, p.why);
        return 0;
    }
    for (int i = 0; i < nargs; i++) {
        ssize_t at = -1;
        for (size_t k = 0; k < l.n && at < 0; k++)
            if (!strcmp(l.paths[k], args[i]))
                at = (ssize_t)k;
        if (at < 0) {
            printf("open %s unlisted\n", args[i]);
            continue;
        }
        wf_buf buf;
        wf_buf_init(&buf);
        wf_vv none;
        wf_vv_init(&none);
        wn_open_encode(l.ids[at], &none, &buf);
        seal_send(&p, WN_M_OPEN, buf.data, buf.len);
        wf_buf_free(&buf);
        wn_opened o;
        uint64_t deadline = now_ms() + (uint64_t)env->wait_ms;
        if (!wait_for(&p, WN_M_OPENED, deadline)
            || wn_opened_decode(p.whole.data, p.whole.len, &o) != 0) {
            printf("open %s no-answer %s %s\n", args[i], p.code, p.why);
            continue;
        }
        wf_buf_reset(&p.whole);
        if (!o.ok) {
            printf("open %s refused %s\n", args[i], o.why);
        } else if (wait_for(&p, WN_M_SYNC, deadline)) {
            uint64_t file;
            const uint8_t *u;
            size_t un;
            wf_doc *doc = wf_doc_new(0x5241575045455230ULL);
            if (wn_file_split(p.whole.data, p.whole.len, &file, &u, &un) == 0
                && wf_doc_apply(doc, u, un) == 0)
                printf("open %s ok %zu\n", args[i], wf_doc_bytes(doc));
            else
                printf("open %s bad-sync\n", args[i]);
            wf_doc_free(doc);
            wf_buf_reset(&p.whole);
        }
        wf_vv_free(&o.vv);
        fflush(stdout);
    }
    seal_send(&p, WN_M_BYE, "\0\0", 2);
    listing_free(&l);
    peer_close(&p);
    return 0;
}

int rawpeer_project(const char *mode, const struct rawpeer_env *env, char **args, int nargs)
{
    if (!strcmp(mode, "probe"))
        return mode_probe(env);
    if (!strcmp(mode, "badtree"))
        return mode_badtree(env, args, nargs);
    if (!strcmp(mode, "open"))
        return mode_open(env, args, nargs);
    return -1;
}
