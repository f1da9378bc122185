/* testclient: a headless guest driven by commands on stdin, for end-to-end tests.
 *
 *   testclient [--name NAME] [--file PATH] TICKET
 *
 * Joins the session like `weft join` would (net/guest.h), without a terminal, and answers
 * one line per command on stdout, so a test can wait for each answer. With --file, it
 * joins as a project's guest, finds PATH in the manifest and opens it ("opened PATH", or
 * "refused WHY" / "missing PATH"); the commands then work on that file:
 *
 *   insert POS TEXT     insert %XX-escaped TEXT at unit POS      -> "ok"
 *   delete POS N        delete N units at POS                    -> "ok" / "error ..."
 *   type N SEED [MS]    type N random edits (inserts of 1-3 letters, some deletes) at random
 *                       places, one every MS ms (default 2)      -> "typed N" when done
 *   mark N PREFIX [MS]  insert "<PREFIX-1>" ... "<PREFIX-N>" at the start, one every MS ms
 *                       (default 2): each stays whole, so a test can count them
 *                                                                -> "marked N" when done
 *   sync                wait until the host's digest matches     -> "synced LEN HASH"
 *   print               the text, %XX-escaped                    -> "text TEXT"
 *   units               how many units this client inserted      -> "units N"
 *   save                ask the host to save                     -> "saved ok|fail TEXT"
 *   colour              the colour the host gave it              -> "colour N"
 *   cursor POS          our presence: the caret at unit POS (in --file's file)  -> "ok"
 *   create PATH, mkdir PATH, rename PATH NEWPATH, remove PATH
 *                       a tree request (--file: a project's guest)  -> "tree ok|fail TEXT"
 *   has PATH            whether the manifest lists PATH (pages and changes so far)
 *                                                                -> "has 0|1"
 *   quit                leave                                    -> (exit 0)
 *
 * It also prints, as they happen: "state online|reconnecting|offline|ended WHY" (after
 * "ended", "goodbye HOST reason N saved 0|1 unsent N all 0|1": net/guest.h's wn_goodbye),
 * "notice TEXT".
 * Every output line is flushed at once. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "core/buf.h"
#include "core/codec.h"
#include "core/doc.h"
#include "core/mem.h"
#include "net/crypto.h"
#include "net/guest.h"
#include "net/proto.h"
#include "net/ticket.h"

struct client {
    uv_loop_t loop;
    uv_pipe_t in;
    uv_timer_t typer;
    wf_doc *doc;
    wn_guest *guest;
    wf_buf line;          /* the command being read */
    bool waiting_sync;
    long to_type;         /* edits left to type */
    long typed;
    bool marking;         /* the edits are markers */
    char prefix[32];
    uint64_t rng;
    unsigned type_ms;
    bool quitting;
    const char *path;     /* --file: the project's file to open, or NULL */
    uint64_t file;        /* its id once found in the manifest */
    struct listed {       /* the manifest as told: ids and paths (owned), n of cap */
        uint64_t id;
        char *path;
    } *files;
    size_t nfiles, files_cap;
};

/* The entry of id, or NULL. */
static struct listed *listed_of(struct client *c, uint64_t id)
{
    for (size_t i = 0; i < c->nfiles; i++)
        if (c->files[i].id == id)
            return &c->files[i];
    return NULL;
}

static uint64_t id_of(const struct client *c, const char *path)
{
    for (size_t i = 0; i < c->nfiles; i++)
        if (!strcmp(c->files[i].path, path))
            return c->files[i].id;
    return 0;
}

static void list_entry(struct client *c, uint8_t op, const wn_entry *e)
{
    struct listed *l = listed_of(c, e->id);
    if (op == WN_CHANGE_REMOVE) {
        if (l) {
            free(l->path);
            *l = c->files[--c->nfiles];
        }
        return;
    }
    if (!l) {
        if (c->nfiles == c->files_cap) {
            c->files_cap = c->files_cap ? 2 * c->files_cap : 64;
            c->files = wf_xreallocarray(c->files, c->files_cap, sizeof *c->files);
        }
        l = &c->files[c->nfiles++];
        l->id = e->id;
        l->path = NULL;
    }
    free(l->path);
    l->path = wf_xstrndup(e->path, strlen(e->path));
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

/* Our edits go out: the file's in a project, the document's otherwise. */
static void local_changed(struct client *c)
{
    if (c->path)
        wn_guest_file_changed(c->guest, c->file);
    else
        wn_guest_local_changed(c->guest);
}

static uint64_t next_rand(struct client *c)
{
    uint64_t z = (c->rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* %XX-escapes bytes <= 0x20, >= 0x7f and '%' (the trace format's rule). */
static void print_escaped(const char *prefix, const char *s, size_t n)
{
    fputs(prefix, stdout);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch <= 0x20 || ch >= 0x7f || ch == '%')
            printf("%%%02X", ch);
        else
            putchar(ch);
    }
    putchar('\n');
    fflush(stdout);
}

static size_t unescape(const char *s, char *out)
{
    size_t k = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '%' && isxdigit((unsigned char)s[i + 1]) && isxdigit((unsigned char)s[i + 2])) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            out[k++] = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            out[k++] = s[i];
        }
    }
    return k;
}

static void check_synced(struct client *c)
{
    if (!c->waiting_sync || !wn_guest_in_sync(c->guest))
        return;
    c->waiting_sync = false;
    uint8_t hash[32];
    wn_text_hash(c->doc, hash);
    printf("synced %zu ", wf_doc_len(c->doc));
    for (int i = 0; i < 32; i++)
        printf("%02x", hash[i]);
    putchar('\n');
    fflush(stdout);
}

static void on_state(void *data, int state, const char *why)
{
    static const char *names[] = {"connecting", "online", "reconnecting", "offline", "ended"};
    struct client *c = data;
    say("state %s %s", names[state], why);
    /* (a failed first attempt is told from within wn_guest_start(), before c->guest) */
    const wn_goodbye *bye = state == WN_GUEST_ENDED ? wn_guest_goodbye(c->guest) : NULL;
    if (bye)
        say("goodbye %s reason %d saved %d unsent %llu all %d", bye->host, bye->reason,
            bye->saved, (unsigned long long)bye->unsent, bye->all_received);
}

static void on_notice(void *data, const char *text)
{
    (void)data;
    say("notice %s", text);
}

static void on_saved(void *data, bool ok, const char *text)
{
    (void)data;
    say("saved %s %s", ok ? "ok" : "fail", text);
}

static void on_replaced(void *data, wf_doc *doc)
{
    struct client *c = data;
    wf_doc_free(c->doc);
    c->doc = doc;
}

static void on_manifest(void *data, const wn_entries *page)
{
    struct client *c = data;
    for (size_t i = 0; i < page->n; i++)
        list_entry(c, WN_CHANGE_ADD, &page->v[i].entry);
    for (size_t i = 0; i < page->n && !c->file; i++)
        if (!strcmp(page->v[i].entry.path, c->path))
            c->file = page->v[i].entry.id;
    if (page->next_after != 0)
        return;
    if (c->file)
        wn_guest_open(c->guest, c->file, c->doc);
    else
        say("missing %s", c->path);
}

static void on_changes(void *data, const wn_entries *changes)
{
    struct client *c = data;
    for (size_t i = 0; i < changes->n; i++)
        list_entry(c, changes->v[i].op, &changes->v[i].entry);
}

static void on_tree_done(void *data, const wn_tree_done *d)
{
    (void)data;
    say("tree %s %s", d->ok ? "ok" : "fail", d->text);
}

static void on_opened(void *data, uint64_t file, wf_doc *doc, const char *why)
{
    struct client *c = data;
    if (file != c->file)
        return;
    if (doc)
        say("opened %s", c->path);
    else
        say("refused %s", why);
}

static void on_file_changed(void *data, uint64_t file)
{
    (void)file;
    check_synced(data);
}

static void on_file_replaced(void *data, uint64_t file, wf_doc *doc)
{
    (void)file;
    on_replaced(data, doc);
}

static void on_file_saved(void *data, uint64_t file, bool ok, const char *text)
{
    (void)file;
    on_saved(data, ok, text);
}

static void one_edit(struct client *c)
{
    size_t len = wf_doc_len(c->doc);
    int err;
    if (len > 4 && next_rand(c) % 4 == 0) {
        err = wf_doc_delete(c->doc, (size_t)(next_rand(c) % len), 1);
    } else {
        char text[3];
        size_t n = 1 + next_rand(c) % 3;
        for (size_t i = 0; i < n; i++)
            text[i] = (char)('a' + next_rand(c) % 26);
        err = wf_doc_insert(c->doc, (size_t)(next_rand(c) % (len + 1)), text, n);
    }
    if (err)
        say("error %s", wf_strerror(err));
    local_changed(c);
}

static void one_marker(struct client *c)
{
    char m[64];
    int n = snprintf(m, sizeof m, "<%s-%ld>", c->prefix, c->typed + 1);
    int err = wf_doc_insert(c->doc, 0, m, (size_t)n);
    if (err)
        say("error %s", wf_strerror(err));
    local_changed(c);
}

static void on_type(uv_timer_t *t)
{
    struct client *c = t->data;
    if (c->marking)
        one_marker(c);
    else
        one_edit(c);
    c->typed++;
    if (--c->to_type <= 0) {
        uv_timer_stop(t);
        say(c->marking ? "marked %ld" : "typed %ld", c->typed);
    }
}

static void on_changed(void *data)
{
    check_synced(data);
}

static void on_stopped(void *data)
{
    struct client *c = data;
    uv_close((uv_handle_t *)&c->in, NULL);
    uv_close((uv_handle_t *)&c->typer, NULL);
}

static void quit(struct client *c)
{
    if (c->quitting)
        return;
    c->quitting = true;
    uv_read_stop((uv_stream_t *)&c->in);
    uv_timer_stop(&c->typer);
    wn_guest_stop(c->guest, on_stopped, c);
}

static void command(struct client *c, char *line)
{
    char *cmd = strtok(line, " ");
    if (!cmd)
        return;
    char *a = strtok(NULL, " "), *b = strtok(NULL, " "), *d = strtok(NULL, " ");
    if (!strcmp(cmd, "insert") && a && b) {
        char *text = wf_xmalloc(strlen(b) + 1);
        size_t n = unescape(b, text);
        int err = wf_doc_insert(c->doc, strtoul(a, NULL, 10), text, n);
        free(text);
        local_changed(c);
        say(err ? "error %s" : "ok", wf_strerror(err));
    } else if (!strcmp(cmd, "delete") && a && b) {
        int err = wf_doc_delete(c->doc, strtoul(a, NULL, 10), strtoul(b, NULL, 10));
        local_changed(c);
        say(err ? "error %s" : "ok", wf_strerror(err));
    } else if (!strcmp(cmd, "mark") && a && b) {
        c->to_type = atol(a);
        c->typed = 0;
        c->marking = true;
        snprintf(c->prefix, sizeof c->prefix, "%s", b);
        c->type_ms = d ? (unsigned)atoi(d) : 2;
        if (c->to_type <= 0)
            say("marked 0");
        else
            uv_timer_start(&c->typer, on_type, 0, c->type_ms ? c->type_ms : 1);
    } else if (!strcmp(cmd, "type") && a && b) {
        c->marking = false;
        c->to_type = atol(a);
        c->typed = 0;
        c->rng = strtoull(b, NULL, 10);
        c->type_ms = d ? (unsigned)atoi(d) : 2;
        if (c->to_type <= 0)
            say("typed 0");
        else
            uv_timer_start(&c->typer, on_type, 0, c->type_ms ? c->type_ms : 1);
    } else if (!strcmp(cmd, "sync")) {
        c->waiting_sync = true;
        check_synced(c);
    } else if (!strcmp(cmd, "print")) {
        size_t n;
        char *text = wf_doc_text(c->doc, 0, SIZE_MAX, &n);
        print_escaped("text ", text, n);
        free(text);
    } else if (!strcmp(cmd, "units")) {
        wf_vv vv;
        wf_vv_init(&vv);
        wf_doc_vv(c->doc, &vv);
        say("units %u", wf_vv_get(&vv, wf_doc_agent(c->doc)));
        wf_vv_free(&vv);
    } else if (!strcmp(cmd, "save")) {
        if (c->path)
            wn_guest_save_file(c->guest, c->file);
        else
            wn_guest_request_save(c->guest);
    } else if (!strcmp(cmd, "cursor") && a) {
        wn_presence p;
        memset(&p, 0, sizeof p);
        p.flags = WN_PRESENCE_CURSOR;
        p.file = c->path ? c->file : 0;
        p.cursor = wf_doc_anchor_at(c->doc, strtoul(a, NULL, 10), 0);
        wn_guest_set_presence(c->guest, &p);
        say("ok");
    } else if (c->path && (!strcmp(cmd, "create") || !strcmp(cmd, "mkdir")) && a) {
        if (!wn_guest_tree(c->guest, cmd[0] == 'c' ? WN_TREE_CREATE : WN_TREE_MKDIR, 0, a, ""))
            say("tree fail malformed");
    } else if (c->path && !strcmp(cmd, "rename") && a && b) {
        if (!wn_guest_tree(c->guest, WN_TREE_RENAME, id_of(c, a), "", b))
            say("tree fail malformed");
    } else if (c->path && !strcmp(cmd, "remove") && a) {
        if (!wn_guest_tree(c->guest, WN_TREE_DELETE, id_of(c, a), "", ""))
            say("tree fail malformed");
    } else if (!strcmp(cmd, "has") && a) {
        say("has %d", id_of(c, a) != 0);
    } else if (!strcmp(cmd, "colour")) {
        say("colour %u", wn_guest_colour(c->guest));
    } else if (!strcmp(cmd, "quit")) {
        quit(c);
    } else {
        say("error unknown command");
    }
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    (void)suggested;
    static char chunk[4096];
    *buf = uv_buf_init(chunk, sizeof chunk);
}

static void on_stdin(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    struct client *c = s->data;
    if (nread < 0) {
        quit(c);
        return;
    }
    for (ssize_t i = 0; i < nread; i++) {
        if (buf->base[i] != '\n') {
            wf_buf_put_u8(&c->line, (uint8_t)buf->base[i]);
            continue;
        }
        wf_buf_put_u8(&c->line, 0);
        command(c, (char *)c->line.data);
        wf_buf_reset(&c->line);
        if (c->quitting)
            return;
    }
}

/* Checks for a digest match now and then (the guest tells state, not digests). */
static void on_poll(uv_timer_t *t)
{
    check_synced(t->data);
}

int main(int argc, char **argv)
{
    const char *name = "testclient";
    int i = 1;
    static struct client c;
    for (; i + 2 < argc; i += 2) {
        if (!strcmp(argv[i], "--name"))
            name = argv[i + 1];
        else if (!strcmp(argv[i], "--file"))
            c.path = argv[i + 1];
        else
            break;
    }
    if (argc - i != 1) {
        fprintf(stderr, "usage: testclient [--name NAME] [--file PATH] TICKET\n");
        return 2;
    }
    wn_ticket t;
    char err[256];
    if (wn_ticket_parse(argv[i], &t, err, sizeof err) != 0) {
        fprintf(stderr, "testclient: %s\n", err);
        return 2;
    }
    if (wn_crypto_init() != 0)
        return 1;
    uv_loop_init(&c.loop);
    wf_buf_init(&c.line);
    uint64_t agent = 0;
    while (!agent)
        randombytes_buf(&agent, sizeof agent);
    c.doc = wf_doc_new(agent);
    wn_guest_config cfg = {.ticket = &t, .weft_ssh = getenv("WEFT_SSH"), .name = name,
                           .version = PACKAGE_VERSION, .reconnect = true};
    wn_guest_events ev = {.changed = on_changed, .replaced = on_replaced, .state = on_state,
                          .notice = on_notice, .saved = on_saved};
    wn_guest_project_events pev = {.manifest = on_manifest, .opened = on_opened,
                                   .changed = on_file_changed, .replaced = on_file_replaced,
                                   .saved = on_file_saved, .changes = on_changes,
                                   .tree_done = on_tree_done};
    if (c.path ? wn_guest_start_project(&c.loop, agent, &cfg, &ev, &pev, &c, &c.guest) != 0
               : wn_guest_start(&c.loop, c.doc, &cfg, &ev, &c, &c.guest) != 0)
        return 1;
    wn_ticket_free(&t);
    uv_pipe_init(&c.loop, &c.in, 0);
    uv_pipe_open(&c.in, 0);
    c.in.data = &c;
    uv_read_start((uv_stream_t *)&c.in, on_alloc, on_stdin);
    uv_timer_init(&c.loop, &c.typer);
    c.typer.data = &c;
    uv_timer_t poll;
    uv_timer_init(&c.loop, &poll);
    poll.data = &c;
    uv_timer_start(&poll, on_poll, 50, 50);
    uv_unref((uv_handle_t *)&poll);
    uv_run(&c.loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&poll, NULL);
    uv_run(&c.loop, UV_RUN_DEFAULT);
    uv_loop_close(&c.loop);
    wf_doc_free(c.doc);
    wf_buf_free(&c.line);
    for (size_t k = 0; k < c.nfiles; k++)
        free(c.files[k].path);
    free(c.files);
    return 0;
}
