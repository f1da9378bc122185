/* net/host and net/guest in the project form (protocol 3): a host sharing several files
 * on one connection. Each guest opens a different file and edits converge per file; a guest
 * that did not open a file receives none of its updates; the manifest of 10,000 entries
 * arrives page by page, each entry exactly once; a rename (CHANGES) keeps the file id and
 * the open document; an OPEN the application refuses gets OPENED(ok=0) and nothing else;
 * a rename out of a guest's sight reaches it as a remove; tree requests made offline go
 * out in order on reconnecting. One libuv loop over loopback TCP, bounded waits only. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/anchor.h"
#include "core/doc.h"
#include "net/crypto.h"
#include "net/guest.h"
#include "net/host.h"
#include "net/manifest.h"
#include "net/proto.h"
#include "net/ticket.h"
#include "tests/common/nettest.h"
#include "tests/common/testutil.h"

#define WAIT_MS 8000
#define NFILES 3
#define MAX_FILES 16

typedef struct pguest {
    wn_guest *g;
    uint64_t agent;
    bool stopped;
    uint64_t ids[MAX_FILES];  /* opened files and their documents */
    wf_doc *docs[MAX_FILES];
    int nopen;
    int nrefused;
    char refused_why[WN_TEXT_MAX];
    uint64_t refused_id;
    int changed[MAX_FILES];    /* `changed` per slot of ids */
    int foreign;               /* events for files not opened */
    unsigned char *seen;       /* manifest: times each id was listed (1..nseen) */
    size_t nseen;
    int pages;
    bool last_page;
    int nchanges;
    uint64_t changes_version;  /* of the last CHANGES */
    wn_change last_change;
    char last_path[WN_PATH_MAX + 1];
    uint8_t hist_op[16];       /* the first 16 changes */
    char hist_path[16][64];
    uint32_t done[8];          /* tree_done requests, in order */
    bool done_ok[8];
    int ndone;
} pguest;

typedef struct tree_call {
    uint64_t guest;
    uint8_t op;
    char path[64];
} tree_call;

typedef struct pworld {
    uv_loop_t loop;
    wn_host *host;
    bool host_stopped;
    char token[WN_TOKEN_GENERATED + 1];
    uint8_t doc_id[WN_DOC_ID_BYTES];
    uint16_t port;
    uint64_t host_agent;
    size_t nentries;           /* the manifest: ids 1..nentries, files[id-1] for the first */
    wf_doc *docs[NFILES];      /* ids 1..NFILES are text files with these documents */
    char paths[NFILES][64];
    int opens[NFILES + 1];     /* `open` calls per id */
    int nopen_other;
    tree_call trees[8];
    int ntrees;
    pguest guests[2];
} pworld;

static pworld P;

/* --- the host's application ------------------------------------------------------------- */

static const char *path_of(pworld *w, uint64_t id, char *buf, size_t size)
{
    if (id <= NFILES)
        return w->paths[id - 1];
    snprintf(buf, size, "d%llu/f%llu.txt", (unsigned long long)(id % 97),
             (unsigned long long)id);
    return buf;
}

static bool app_page(void *data, uint64_t guest, uint64_t after, wn_page *page)
{
    (void)guest;
    pworld *w = data;
    for (uint64_t id = after + 1; id <= w->nentries; id++) {
        char buf[64];
        wn_entry e = {.id = id, .kind = WN_KIND_TEXT, .mode = 0644, .size = id,
                      .path = path_of(w, id, buf, sizeof buf)};
        if (wn_page_full(page, &e))
            return true;
        ck_assert(wn_page_add(page, &e));
    }
    return false;
}

static uint64_t app_count(void *data, uint64_t guest)
{
    (void)guest;
    return ((pworld *)data)->nentries;
}

/* Paths under "secret/" are hidden from everyone. */
static bool app_may_see(void *data, uint64_t guest, uint64_t file, const char *path)
{
    (void)guest;
    pworld *w = data;
    char buf[64];
    if (!path)
        path = file >= 1 && file <= w->nentries ? path_of(w, file, buf, sizeof buf) : "?";
    return strncmp(path, "secret/", 7) != 0;
}

static int app_open(void *data, uint64_t guest, uint64_t file, wf_doc **doc, char *why,
                    size_t size)
{
    (void)guest;
    pworld *w = data;
    if (file < 1 || file > NFILES) {
        w->nopen_other++;
        snprintf(why, size, "no such file");
        return -1;
    }
    w->opens[file]++;
    *doc = w->docs[file - 1];
    return 0;
}

static void app_tree(void *data, uint64_t guest, const wn_tree_request *t)
{
    pworld *w = data;
    ck_assert_int_lt(w->ntrees, 8);
    tree_call *c = &w->trees[w->ntrees++];
    c->guest = guest;
    c->op = t->op;
    snprintf(c->path, sizeof c->path, "%s", t->path);
    wn_tree_done d = {.request = t->request, .ok = true, .file = 100 + (uint64_t)w->ntrees};
    wn_host_tree_done(w->host, guest, &d);
}

static const wn_project_ops app_ops = {.manifest_page = app_page, .manifest_count = app_count,
                                       .may_see = app_may_see, .open = app_open,
                                       .tree = app_tree};

static void host_start(pworld *w, const char *listen)
{
    wn_host_config cfg = {.listen = listen, .token_rw = w->token, .name = "host",
                          .doc_id = w->doc_id, .version = "test", .file = "proj",
                          .agent = w->host_agent};
    wn_host_events ev = {0};
    ck_assert_int_eq(wn_host_start_project(&w->loop, &cfg, &app_ops, &ev, w, &w->host), 0);
    w->port = wn_host_port(w->host);
    w->host_stopped = false;
}

static void world_open(pworld *w, size_t nentries)
{
    memset(w, 0, sizeof *w);
    ck_assert_int_eq(uv_loop_init(&w->loop), 0);
    ck_assert_int_eq(wn_token_generate(w->token, sizeof w->token), 0);
    randombytes_buf(w->doc_id, sizeof w->doc_id);
    w->host_agent = ((uint64_t)randombytes_random() << 32) | 1;
    w->nentries = nentries;
    for (int i = 0; i < NFILES; i++) {
        w->docs[i] = wf_doc_new(w->host_agent);
        char text[32];
        int n = snprintf(text, sizeof text, "file %d\n", i + 1);
        ck_assert_int_eq(wf_doc_insert(w->docs[i], 0, text, (size_t)n), 0);
        wf_buf b;
        wf_buf_init(&b);
        (void)wf_doc_flush(w->docs[i], &b);
        wf_buf_free(&b);
        snprintf(w->paths[i], sizeof w->paths[i], "src/file%d.c", i + 1);
    }
    host_start(w, "127.0.0.1:0");
}

/* --- the guests' application ------------------------------------------------------------ */

static int slot_of(const pguest *x, uint64_t file)
{
    for (int i = 0; i < x->nopen; i++)
        if (x->ids[i] == file)
            return i;
    return -1;
}

static void g_manifest(void *data, const wn_entries *page)
{
    pguest *x = data;
    x->pages++;
    for (size_t i = 0; i < page->n; i++) {
        uint64_t id = page->v[i].entry.id;
        ck_assert_uint_le(id, x->nseen);
        x->seen[id - 1]++;
    }
    x->last_page = page->next_after == 0;
}

static void g_changes(void *data, const wn_entries *c)
{
    pguest *x = data;
    x->changes_version = c->version;
    for (size_t i = 0; i < c->n; i++) {
        if (x->nchanges < 16) {
            x->hist_op[x->nchanges] = c->v[i].op;
            snprintf(x->hist_path[x->nchanges], 64, "%s", c->v[i].entry.path);
        }
        x->nchanges++;
        x->last_change = c->v[i];
        snprintf(x->last_path, sizeof x->last_path, "%s", c->v[i].entry.path);
        x->last_change.entry.path = x->last_path;
    }
}

static void g_opened(void *data, uint64_t file, wf_doc *doc, const char *why)
{
    pguest *x = data;
    if (!doc) {
        x->nrefused++;
        x->refused_id = file;
        snprintf(x->refused_why, sizeof x->refused_why, "%s", why);
        return;
    }
    int k = slot_of(x, file);
    ck_assert_int_ge(k, 0);
    x->docs[k] = doc;
}

static void g_changed(void *data, uint64_t file)
{
    pguest *x = data;
    int k = slot_of(x, file);
    if (k < 0)
        x->foreign++;
    else
        x->changed[k]++;
}

static void g_tree_done(void *data, const wn_tree_done *d)
{
    pguest *x = data;
    ck_assert_int_lt(x->ndone, 8);
    x->done_ok[x->ndone] = d->ok;
    x->done[x->ndone++] = d->request;
}

static const wn_guest_project_events guest_pev = {
    .manifest = g_manifest, .changes = g_changes, .opened = g_opened, .changed = g_changed,
    .tree_done = g_tree_done};

static pguest *guest_start(pworld *w, int i)
{
    pguest *x = &w->guests[i];
    memset(x, 0, sizeof *x);
    x->agent = ((uint64_t)randombytes_random() << 32) | randombytes_random() | 2;
    x->nseen = w->nentries;
    x->seen = calloc(x->nseen + 1, 1);
    wn_ticket t = {.token = w->token, .host = "127.0.0.1", .port = w->port};
    wn_guest_config cfg = {.ticket = &t, .name = i ? "bob" : "ana", .version = "test",
                           .reconnect = true, .retry_min_ms = 50, .retry_max_ms = 50};
    wn_guest_events ev = {0};
    ck_assert_int_eq(wn_guest_start_project(&w->loop, x->agent, &cfg, &ev, &guest_pev, x,
                                            &x->g), 0);
    return x;
}

static void guest_open(pguest *x, uint64_t file)
{
    x->ids[x->nopen++] = file;
    wn_guest_open(x->g, file, NULL);
}

static bool is_online(void *arg)
{
    pguest *x = arg;
    return wn_guest_state(x->g) == WN_GUEST_ONLINE;
}

typedef struct doc_wait {
    pguest *x;
    int slot;
} doc_wait;

static bool has_doc(void *arg)
{
    doc_wait *d = arg;
    return d->x->docs[d->slot] != NULL;
}

static bool same_text(const wf_doc *a, const wf_doc *b)
{
    size_t na, nb;
    char *ta = wf_doc_text(a, 0, wf_doc_len(a), &na);
    char *tb = wf_doc_text(b, 0, wf_doc_len(b), &nb);
    bool same = na == nb && memcmp(ta, tb, na) == 0;
    free(ta);
    free(tb);
    return same;
}

typedef struct text_wait {
    const wf_doc *doc;
    const char *needle;
} text_wait;

static bool contains(void *arg)
{
    text_wait *t = arg;
    size_t n;
    char *s = wf_doc_text(t->doc, 0, wf_doc_len(t->doc), &n);
    bool yes = strstr(s, t->needle) != NULL;
    free(s);
    return yes;
}

static void on_guest_done(void *data)
{
    ((pguest *)data)->stopped = true;
}

static void on_host_done(void *data)
{
    ((pworld *)data)->host_stopped = true;
}

static bool all_stopped(void *arg)
{
    pworld *w = arg;
    for (int i = 0; i < 2; i++)
        if (w->guests[i].g && !w->guests[i].stopped)
            return false;
    return w->host_stopped;
}

static void world_close(pworld *w)
{
    for (int i = 0; i < 2; i++)
        if (w->guests[i].g)
            wn_guest_stop(w->guests[i].g, on_guest_done, &w->guests[i]);
    if (w->host)
        wn_host_stop(w->host, on_host_done, w);
    else
        w->host_stopped = true;
    wt_wait(&w->loop, all_stopped, w, WAIT_MS, "everyone to stop");
    wt_loop_finish(&w->loop, 3000);
    for (int i = 0; i < 2; i++) {
        pguest *x = &w->guests[i];
        for (int k = 0; k < x->nopen; k++)
            wf_doc_free(x->docs[k]);
        free(x->seen);
    }
    for (int i = 0; i < NFILES; i++)
        wf_doc_free(w->docs[i]);
}

/* --- tests ------------------------------------------------------------------------------ */

static bool one_opener_of_1(void *arg)
{
    return wn_host_openers(((pworld *)arg)->host, 1) == 1;
}

START_TEST(test_project__files_apart)
{
    world_open(&P, NFILES);
    pguest *a = guest_start(&P, 0), *b = guest_start(&P, 1);
    guest_open(a, 1);
    guest_open(b, 2);
    doc_wait da = {a, 0}, db = {b, 0};
    wt_wait(&P.loop, has_doc, &da, WAIT_MS, "ana's file 1");
    wt_wait(&P.loop, has_doc, &db, WAIT_MS, "bob's file 2");
    ck_assert(same_text(a->docs[0], P.docs[0]));
    ck_assert(same_text(b->docs[0], P.docs[1]));
    ck_assert_uint_eq(wn_host_openers(P.host, 1), 1);
    ck_assert_uint_eq(wn_host_openers(P.host, 2), 1);

    /* ana edits file 1, bob file 2, the host both */
    ck_assert_int_eq(wf_doc_insert(a->docs[0], 0, "ANA ", 4), 0);
    wn_guest_file_changed(a->g, 1);
    ck_assert_int_eq(wf_doc_insert(b->docs[0], 0, "BOB ", 4), 0);
    wn_guest_file_changed(b->g, 2);
    ck_assert_int_eq(wf_doc_insert(P.docs[0], wf_doc_len(P.docs[0]), "host1\n", 6), 0);
    wn_host_file_changed(P.host, 1);
    ck_assert_int_eq(wf_doc_insert(P.docs[2], 0, "unopened ", 9), 0);
    wn_host_file_changed(P.host, 3); /* nobody has it: nothing sent */
    text_wait t1 = {P.docs[0], "ANA "}, t2 = {P.docs[1], "BOB "}, t3 = {a->docs[0], "host1"};
    wt_wait(&P.loop, contains, &t1, WAIT_MS, "ana's edit at the host");
    wt_wait(&P.loop, contains, &t2, WAIT_MS, "bob's edit at the host");
    wt_wait(&P.loop, contains, &t3, WAIT_MS, "the host's edit at ana");
    ck_assert(same_text(a->docs[0], P.docs[0]));
    ck_assert(same_text(b->docs[0], P.docs[1]));
    /* nobody got a file it did not open: no message, no event, no document */
    ck_assert_int_eq(a->foreign, 0);
    ck_assert_int_eq(b->foreign, 0);
    ck_assert_uint_eq(wn_guest_stray(a->g), 0);
    ck_assert_uint_eq(wn_guest_stray(b->g), 0);
    ck_assert_int_eq(P.opens[3], 0);
    /* bob opens file 1 late: he gets ana's and the host's edits */
    guest_open(b, 1);
    doc_wait db1 = {b, 1};
    wt_wait(&P.loop, has_doc, &db1, WAIT_MS, "bob's file 1");
    ck_assert(same_text(b->docs[1], P.docs[0]));
    /* and closing it stops its updates */
    wn_guest_close(b->g, 1);
    wf_doc_free(b->docs[1]);
    b->nopen = 1;
    wt_wait(&P.loop, one_opener_of_1, &P, WAIT_MS, "the host to take bob's CLOSE");
    uint64_t before = wn_guest_stray(b->g);
    ck_assert_int_eq(wf_doc_insert(a->docs[0], 0, "AFTER ", 6), 0);
    wn_guest_file_changed(a->g, 1);
    text_wait t4 = {P.docs[0], "AFTER "};
    wt_wait(&P.loop, contains, &t4, WAIT_MS, "ana's later edit at the host");
    /* bob's connection is FIFO after the host's: one round through the host */
    ck_assert_int_eq(wf_doc_insert(P.docs[1], 0, "ping ", 5), 0);
    wn_host_file_changed(P.host, 2);
    text_wait t5 = {b->docs[0], "ping "};
    wt_wait(&P.loop, contains, &t5, WAIT_MS, "the host's ping at bob");
    ck_assert_uint_eq(wn_guest_stray(b->g), before);
    ck_assert_uint_eq(before, 0);
    ck_assert_int_eq(b->foreign, 0);
    world_close(&P);
}
END_TEST

static bool last_page(void *arg)
{
    return ((pguest *)arg)->last_page;
}

START_TEST(test_project__manifest_paging)
{
    world_open(&P, 10000);
    pguest *a = guest_start(&P, 0);
    wt_wait(&P.loop, last_page, a, WAIT_MS * 2, "the whole manifest");
    for (size_t i = 0; i < P.nentries; i++)
        ck_assert_msg(a->seen[i] == 1, "entry %zu listed %d times", i + 1, a->seen[i]);
    ck_assert_int_gt(a->pages, 3); /* 10,000 entries do not fit one 64 KiB page */
    world_close(&P);
}
END_TEST

static int changes_wanted = 1;

static bool got_change(void *arg)
{
    return ((pguest *)arg)->nchanges >= changes_wanted;
}

static const wn_presence *host_seen(const pguest *x, uint64_t agent)
{
    const wn_presence *list;
    size_t n = wn_guest_participants(x->g, &list);
    for (size_t i = 0; i < n; i++)
        if (list[i].agent == agent)
            return &list[i];
    return NULL;
}

typedef struct presence_wait {
    const pguest *x;
    uint64_t agent;
    uint64_t clock; /* at least */
} presence_wait;

static bool sees_host(void *arg)
{
    presence_wait *w = arg;
    const wn_presence *p = host_seen(w->x, w->agent);
    return p && p->clock >= w->clock;
}

START_TEST(test_project__rename_keeps_the_file)
{
    world_open(&P, NFILES);
    pguest *a = guest_start(&P, 0), *b = guest_start(&P, 1);
    guest_open(a, 1);
    doc_wait da = {a, 0};
    wt_wait(&P.loop, has_doc, &da, WAIT_MS, "ana's file 1");
    wt_wait(&P.loop, is_online, b, WAIT_MS, "bob online");
    wf_doc *doc = a->docs[0];
    /* file 1 moves: everybody hears of it under the same id */
    snprintf(P.paths[0], sizeof P.paths[0], "lib/renamed.c");
    wn_change c = {WN_CHANGE_RENAME, {.id = 1, .kind = WN_KIND_TEXT, .path = P.paths[0]}};
    const char *old = "src/file1.c";
    wn_host_manifest_changed(P.host, 0, &c, &old, 1);
    wt_wait(&P.loop, got_change, a, WAIT_MS, "ana to hear of the rename");
    wt_wait(&P.loop, got_change, b, WAIT_MS, "bob to hear of the rename");
    ck_assert_uint_eq(a->last_change.op, WN_CHANGE_RENAME);
    ck_assert_uint_eq(a->last_change.entry.id, 1);
    ck_assert_str_eq(a->last_path, "lib/renamed.c");
    /* the open document goes on */
    ck_assert_ptr_eq(a->docs[0], doc);
    ck_assert_int_eq(wf_doc_insert(doc, 0, "still ", 6), 0);
    wn_guest_file_changed(a->g, 1);
    text_wait t = {P.docs[0], "still "};
    wt_wait(&P.loop, contains, &t, WAIT_MS, "ana's edit after the rename");

    /* file 2 moves out of sight: for the guests it is removed, under its old path */
    int na = a->nchanges;
    snprintf(P.paths[1], sizeof P.paths[1], "secret/hidden.c");
    wn_change h = {WN_CHANGE_RENAME, {.id = 2, .kind = WN_KIND_TEXT, .path = P.paths[1]}};
    const char *old2 = "src/file2.c";
    wn_host_manifest_changed(P.host, 0, &h, &old2, 1);
    /* and a rename within the hidden part says nothing at all */
    wn_change hh = {WN_CHANGE_RENAME, {.id = 2, .kind = WN_KIND_TEXT, .path = "secret/x.c"}};
    const char *old3 = "secret/hidden.c";
    wn_host_manifest_changed(P.host, 0, &hh, &old3, 1);
    wn_change add = {WN_CHANGE_ADD, {.id = 3, .kind = WN_KIND_TEXT, .path = "visible.c"}};
    wn_host_manifest_changed(P.host, 0, &add, NULL, 1);
    changes_wanted = na + 2;
    wt_wait(&P.loop, got_change, a, WAIT_MS, "the remove and the add");
    /* one more round: nothing else was on its way (FIFO) */
    wn_change up = {WN_CHANGE_UPDATE, {.id = 3, .kind = WN_KIND_TEXT, .path = "visible.c"}};
    wn_host_manifest_changed(P.host, 40, &up, NULL, 1); /* the application's count */
    changes_wanted = na + 3;
    wt_wait(&P.loop, got_change, a, WAIT_MS, "the update");
    ck_assert_int_eq(a->nchanges, na + 3);
    ck_assert_uint_eq(a->hist_op[na], WN_CHANGE_REMOVE);
    ck_assert_str_eq(a->hist_path[na], "src/file2.c"); /* not where it went */
    ck_assert_uint_eq(a->hist_op[na + 1], WN_CHANGE_ADD);
    ck_assert_str_eq(a->hist_path[na + 1], "visible.c");
    ck_assert_uint_eq(a->last_change.op, WN_CHANGE_UPDATE);
    ck_assert_uint_eq(wn_host_manifest_version(P.host), 40);
    ck_assert_uint_eq(a->changes_version, 40);

    /* presence: the host in the hidden file is shown in no file; in file 1, in file 1 */
    wn_presence me = {.flags = WN_PRESENCE_CURSOR, .file = 2};
    me.cursor.kind = WF_ANCHOR_END;
    wn_host_set_presence(P.host, &me);
    presence_wait pw = {a, P.host_agent, 1};
    wt_wait(&P.loop, sees_host, &pw, WAIT_MS, "ana to see the host");
    const wn_presence *hp = host_seen(a, P.host_agent);
    ck_assert_uint_eq(hp->file, 0);
    ck_assert_uint_eq(hp->flags & WN_PRESENCE_CURSOR, 0);
    me.file = 1;
    wn_host_set_presence(P.host, &me);
    pw.clock = hp->clock + 1;
    wt_wait(&P.loop, sees_host, &pw, WAIT_MS, "ana to see the host move");
    hp = host_seen(a, P.host_agent);
    ck_assert_uint_eq(hp->file, 1);
    ck_assert(hp->flags & WN_PRESENCE_CURSOR);
    world_close(&P);
}
END_TEST

static bool refused(void *arg)
{
    return ((pguest *)arg)->nrefused > 0;
}

START_TEST(test_project__open_refused)
{
    world_open(&P, NFILES);
    pguest *a = guest_start(&P, 0);
    guest_open(a, 999);
    wt_wait(&P.loop, refused, a, WAIT_MS, "the refusal");
    ck_assert_uint_eq(a->refused_id, 999);
    ck_assert_str_eq(a->refused_why, "no such file");
    ck_assert_int_eq(P.nopen_other, 1);
    /* nothing else came of it: the guest forgot the file, the host registered nothing */
    guest_open(a, 2);
    doc_wait d = {a, 1};
    wt_wait(&P.loop, has_doc, &d, WAIT_MS, "file 2 after the refusal");
    ck_assert_int_eq(a->foreign, 0);
    ck_assert_int_eq(a->changed[0], 0);
    ck_assert_uint_eq(wn_host_openers(P.host, 999), 0);
    a->nopen = 0; /* slot 0 never got a document */
    a->ids[0] = 2;
    a->docs[0] = a->docs[1];
    a->nopen = 1;
    world_close(&P);
}
END_TEST

static bool two_done(void *arg)
{
    return ((pguest *)arg)->ndone >= 2;
}

static bool host_is_stopped(void *arg)
{
    return ((pworld *)arg)->host_stopped;
}

START_TEST(test_project__tree_offline_queue)
{
    world_open(&P, NFILES);
    pguest *a = guest_start(&P, 0);
    wt_wait(&P.loop, is_online, a, WAIT_MS, "ana online");
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%u", P.port);
    wn_host_stop(P.host, on_host_done, &P);
    P.host = NULL;
    wt_wait(&P.loop, host_is_stopped, &P, WAIT_MS, "the host to stop");
    /* offline: two requests wait, a malformed one is refused at once */
    uint32_t r1 = wn_guest_tree(a->g, WN_TREE_CREATE, 0, "notes/new.md", NULL);
    uint32_t r2 = wn_guest_tree(a->g, WN_TREE_RENAME, 2, NULL, "src/two.c");
    ck_assert_uint_eq(wn_guest_tree(a->g, WN_TREE_CREATE, 0, "../escape", NULL), 0);
    ck_assert_uint_ne(r1, 0);
    ck_assert_uint_gt(r2, r1);
    ck_assert_uint_eq(wn_guest_tree_pending(a->g), 2);
    host_start(&P, listen);
    wt_wait(&P.loop, two_done, a, WAIT_MS, "both answers after reconnecting");
    ck_assert_int_eq(P.ntrees, 2);
    ck_assert_uint_eq(P.trees[0].op, WN_TREE_CREATE);
    ck_assert_str_eq(P.trees[0].path, "notes/new.md");
    ck_assert_uint_eq(P.trees[1].op, WN_TREE_RENAME);
    ck_assert_uint_eq(a->done[0], r1);
    ck_assert_uint_eq(a->done[1], r2);
    ck_assert_uint_eq(wn_guest_tree_pending(a->g), 0);
    world_close(&P);
}
END_TEST

typedef struct single {
    int state;
    char why[256];
} single;

static void single_state(void *data, int state, const char *why)
{
    single *s = data;
    s->state = state;
    snprintf(s->why, sizeof s->why, "%s", why);
}

static bool single_offline(void *arg)
{
    return ((single *)arg)->state == WN_GUEST_OFFLINE;
}

static void on_single_done(void *data)
{
    *(bool *)data = true;
}

static bool flag_set(void *arg)
{
    return *(bool *)arg;
}

/* A guest that joins one file (the API app/ uses today) at a project's host is told, finally,
 * that the host shares a directory. */
START_TEST(test_project__one_file_guest_at_a_project)
{
    world_open(&P, NFILES);
    wf_doc *doc = wf_doc_new(12345);
    wn_ticket t = {.token = P.token, .host = "127.0.0.1", .port = P.port};
    wn_guest_config cfg = {.ticket = &t, .name = "old", .version = "test", .reconnect = true};
    single s = {0};
    wn_guest_events ev = {.state = single_state};
    wn_guest *g;
    ck_assert_int_eq(wn_guest_start(&P.loop, doc, &cfg, &ev, &s, &g), 0);
    wt_wait(&P.loop, single_offline, &s, WAIT_MS, "the one-file guest to give up");
    ck_assert_msg(strstr(s.why, "shares a directory (proj)"), "'%s'", s.why);
    ck_assert_int_eq(wn_guest_error(g), WN_EDOC);
    bool done = false;
    wn_guest_stop(g, on_single_done, &done);
    wt_wait(&P.loop, flag_set, &done, WAIT_MS, "the guest to stop");
    wf_doc_free(doc);
    world_close(&P);
}
END_TEST

/* wn_guest_start_any() (what `weft join` uses, not knowing what the ticket shares) at a
 * project's host becomes a project's guest: online, not a one-file session, the manifest
 * comes whole and a file opens; the document given for a single file is left alone. */
START_TEST(test_project__any_guest_becomes_a_project)
{
    world_open(&P, NFILES);
    pguest *x = &P.guests[0];
    memset(x, 0, sizeof *x);
    x->agent = 0x5eed0002;
    x->nseen = P.nentries;
    x->seen = calloc(x->nseen + 1, 1);
    wf_doc *unused = wf_doc_new(x->agent);
    wn_ticket t = {.token = P.token, .host = "127.0.0.1", .port = P.port};
    wn_guest_config cfg = {.ticket = &t, .name = "any", .version = "test", .reconnect = true,
                           .retry_min_ms = 50, .retry_max_ms = 50};
    wn_guest_events ev = {0};
    ck_assert_int_eq(wn_guest_start_any(&P.loop, unused, &cfg, &ev, &guest_pev, x, &x->g), 0);
    wt_wait(&P.loop, is_online, x, WAIT_MS, "the guest online");
    ck_assert(!wn_guest_single_file(x->g));
    wt_wait(&P.loop, last_page, x, WAIT_MS, "the whole manifest");
    for (size_t i = 0; i < P.nentries; i++)
        ck_assert_msg(x->seen[i] == 1, "entry %zu listed %d times", i + 1, x->seen[i]);
    guest_open(x, 2);
    doc_wait d = {x, 0};
    wt_wait(&P.loop, has_doc, &d, WAIT_MS, "file 2 open");
    ck_assert_uint_eq(wf_doc_len(unused), 0);
    world_close(&P);
    wf_doc_free(unused);
}
END_TEST

static Suite *project_suite(void)
{
    Suite *s = suite_create("net_project");
    TCase *tc = tcase_create("project");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_project__files_apart);
    tcase_add_test(tc, test_project__manifest_paging);
    tcase_add_test(tc, test_project__rename_keeps_the_file);
    tcase_add_test(tc, test_project__open_refused);
    tcase_add_test(tc, test_project__tree_offline_queue);
    tcase_add_test(tc, test_project__one_file_guest_at_a_project);
    tcase_add_test(tc, test_project__any_guest_becomes_a_project);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    if (wn_crypto_init() != 0)
        return 99;
    return wt_run_suite(project_suite());
}
