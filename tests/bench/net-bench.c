/* net-bench: a host and N guests on loopback, each guest typing at random places.
 *
 *   net-bench [--peers N] [--rate R] [--seconds S] [--join-bytes B] [--files F]
 *
 * The host runs in a child process (net/host.h, as `weft serve` does), so that its CPU time
 * and memory can be read from /proc; the guests share this process's loop. Each guest
 * inserts 1-3 letters at a random place R times a second (timers with jitter), then the
 * typing stops and the guests wait until the host's digest matches each of them. Prints:
 *
 *   peers=N rate=R ops=N p50_us=X p99_us=X max_us=X converged=yes|no host_cpu_pct=X
 *   host_rss_kb=N [join_ms=X]
 *
 * Latency is from a guest's local edit to its integration at another guest (every
 * (edit, other guest) pair counts), measured by watching each guest's version vector
 * advance. With --join-bytes B the host starts with B bytes of text, and join_ms is the time
 * a fresh guest takes from connecting to holding the whole document.
 *
 * With --files F the host shares a project of F files (net/host.h's project ops, in memory,
 * as `weft serve DIR` does with files read from disk), and each guest opens NET_BENCH_OPEN of
 * them (guest k: 2k, 2k + 1, 2k + 2 mod F, so that neighbours share a file and 32 guests
 * cover 50 files), and types into one of its files at random. Latency then counts every (edit, other guest
 * with that file open) pair; convergence is every guest's digest matching on every file it
 * has open. The line says files=F. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "core/codec.h"
#include "core/doc.h"
#include "core/mem.h"
#include "net/crypto.h"
#include "net/guest.h"
#include "net/host.h"
#include "net/ticket.h"

#define TOKEN "benchbenchbenchbench"

typedef struct edit_time {
    uint32_t seq_end; /* the edit's units are [previous seq_end, seq_end) */
    uint64_t ns;
} edit_time;

#define NET_BENCH_OPEN 3 /* files each guest opens in a project */

/* One document a guest has: the one-file session's, or one of a project's files. */
typedef struct slot {
    uint64_t file;    /* the manifest id (WN_SINGLE_FILE_ID for one file) */
    wf_doc *doc;      /* NULL until the host's copy arrived (a project's OPENED) */
    edit_time *edits; /* our edits to it, in order */
    size_t nedits, cap;
    uint32_t *seen;   /* per other guest: next seq of theirs already integrated here */
} slot;

typedef struct guest {
    struct bench *b;
    int index;
    slot slots[NET_BENCH_OPEN];
    int nslots;
    wn_guest *g;
    uv_timer_t timer;
    uint64_t agent;
    uint64_t rng;
    bool online;
    int opened;       /* slots whose document arrived */
} guest;

typedef struct bench {
    uv_loop_t loop;
    int peers;
    int files;        /* 0: one file; else a project of this many */
    double rate;
    double seconds;
    guest *guests;
    uint64_t *lat;    /* latencies in ns */
    size_t nlat, latcap;
    uint64_t ops;
    int online;
    bool typing;
    bool waiting_sync;
    uv_timer_t stop_timer, sync_timer;
    uint64_t sync_deadline;
    bool converged;
    wn_ticket ticket;
} bench;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* --- the host, in a child process ----------------------------------------------------- */

static uv_loop_t host_loop;

static void host_on_signal(uv_signal_t *s, int signum)
{
    (void)signum;
    uv_stop(s->loop);
}

/* A project of host_files files, each an in-memory document with a line of text. */
static size_t host_files;
static wf_doc **host_docs;

static bool project_page(void *data, uint64_t who, uint64_t after, wn_page *page)
{
    (void)data, (void)who;
    for (uint64_t id = after + 1; id <= host_files; id++) {
        char path[64];
        snprintf(path, sizeof path, "src/d%llu/file%llu.c", (unsigned long long)(id % 7),
                 (unsigned long long)id);
        wn_entry e = {.id = id, .kind = WN_KIND_TEXT, .mode = 0100644, .path = path};
        if (wn_page_full(page, &e))
            return true;
        if (!wn_page_add(page, &e))
            return true;
    }
    return false;
}

static uint64_t project_count(void *data, uint64_t who)
{
    (void)data, (void)who;
    return host_files;
}

static int project_open(void *data, uint64_t who, uint64_t file, wf_doc **doc, char *why,
                        size_t size)
{
    (void)data, (void)who;
    if (file < 1 || file > host_files) {
        snprintf(why, size, "no such file");
        return -1;
    }
    *doc = host_docs[file - 1];
    return 0;
}

static const wn_project_ops project_ops = {
    .manifest_page = project_page, .manifest_count = project_count, .open = project_open};

static void run_host(int port_fd, size_t join_bytes, size_t files)
{
    uv_loop_init(&host_loop);
    wf_doc *doc = wf_doc_new(1);
    if (join_bytes) {
        char *text = wf_xmalloc(join_bytes);
        uint64_t s = 7;
        for (size_t i = 0; i < join_bytes; i++)
            text[i] = i % 61 == 60 ? '\n' : (char)("etaoinshrdlu "[rnd(&s) % 13]);
        if (wf_doc_load(doc, text, join_bytes) != 0)
            _exit(1);
    }
    uint8_t id[WN_DOC_ID_BYTES] = {1};
    wn_host_config cfg = {.listen = "127.0.0.1:0", .token_rw = TOKEN, .name = "bench-host",
                          .doc_id = id, .version = PACKAGE_VERSION, .agent = 1};
    wn_host_events ev = {0};
    wn_host *h;
    int rc;
    if (files) {
        host_files = files;
        host_docs = wf_xcalloc(files, sizeof *host_docs);
        for (size_t i = 0; i < files; i++) {
            host_docs[i] = wf_doc_new(1);
            if (wf_doc_load(host_docs[i], "int main(void) { return 0; }\n", 29) != 0)
                _exit(1);
        }
        cfg.file = "bench";
        rc = wn_host_start_project(&host_loop, &cfg, &project_ops, &ev, NULL, &h);
    } else {
        rc = wn_host_start(&host_loop, doc, &cfg, &ev, NULL, &h);
    }
    if (rc != 0)
        _exit(1);
    uint16_t port = wn_host_port(h);
    if (write(port_fd, &port, sizeof port) != sizeof port)
        _exit(1);
    close(port_fd);
    uv_signal_t sig;
    uv_signal_init(&host_loop, &sig);
    uv_signal_start(&sig, host_on_signal, SIGTERM);
    uv_run(&host_loop, UV_RUN_DEFAULT);
    _exit(0);
}

static pid_t start_host(size_t join_bytes, size_t files, uint16_t *port)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        run_host(fds[1], join_bytes, files);
    }
    close(fds[1]);
    if (pid < 0 || read(fds[0], port, sizeof *port) != sizeof *port) {
        close(fds[0]);
        return -1;
    }
    close(fds[0]);
    return pid;
}

/* CPU seconds used by pid (user + system), from /proc. */
static double cpu_seconds(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    unsigned long utime = 0, stime = 0;
    if (p)
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime);
    return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

static long rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

/* --- guests --------------------------------------------------------------------------- */

static void record(bench *b, uint64_t ns)
{
    if (b->nlat == b->latcap) {
        b->latcap = b->latcap ? b->latcap * 2 : 4096;
        b->lat = wf_xreallocarray(b->lat, b->latcap, sizeof *b->lat);
    }
    b->lat[b->nlat++] = ns;
}

static slot *slot_of(guest *gu, uint64_t file)
{
    for (int i = 0; i < gu->nslots; i++)
        if (gu->slots[i].file == file)
            return &gu->slots[i];
    return NULL;
}

/* Guest `at` integrated edits to file: for every other guest whose units in it advanced,
 * time them. */
static void integrated(guest *at, uint64_t file)
{
    bench *b = at->b;
    slot *here = slot_of(at, file);
    if (!here || !here->doc)
        return;
    uint64_t now = now_ns();
    wf_vv vv;
    wf_vv_init(&vv);
    wf_doc_vv(here->doc, &vv);
    for (int k = 0; k < b->peers; k++) {
        guest *from = &b->guests[k];
        slot *there = from == at ? NULL : slot_of(from, file);
        if (!there)
            continue;
        uint32_t next = wf_vv_get(&vv, from->agent);
        uint32_t seen = here->seen[k];
        if (next <= seen)
            continue;
        /* The edits of `from` that ended in (seen, next]. */
        size_t lo = 0, hi = there->nedits;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (there->edits[mid].seq_end <= seen)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t i = lo; i < there->nedits && there->edits[i].seq_end <= next; i++)
            record(b, now - there->edits[i].ns);
        here->seen[k] = next;
    }
    wf_vv_free(&vv);
}

static void on_changed(void *data)
{
    integrated(data, WN_SINGLE_FILE_ID);
}

static void on_file_changed(void *data, uint64_t file)
{
    integrated(data, file);
}

static void on_type(uv_timer_t *t)
{
    guest *gu = t->data;
    bench *b = gu->b;
    if (!b->typing)
        return;
    slot *sl = &gu->slots[rnd(&gu->rng) % (uint64_t)gu->nslots];
    char text[3];
    size_t n = 1 + rnd(&gu->rng) % 3;
    for (size_t i = 0; i < n; i++)
        text[i] = (char)('a' + rnd(&gu->rng) % 26);
    size_t len = wf_doc_len(sl->doc);
    if (wf_doc_insert(sl->doc, (size_t)(rnd(&gu->rng) % (len + 1)), text, n) != 0)
        return;
    if (sl->nedits == sl->cap) {
        sl->cap = sl->cap ? sl->cap * 2 : 256;
        sl->edits = wf_xreallocarray(sl->edits, sl->cap, sizeof *sl->edits);
    }
    uint32_t end = (sl->nedits ? sl->edits[sl->nedits - 1].seq_end : 0) + (uint32_t)n;
    sl->edits[sl->nedits++] = (edit_time){end, now_ns()};
    b->ops++;
    if (b->files)
        wn_guest_file_changed(gu->g, sl->file);
    else
        wn_guest_local_changed(gu->g);
    /* The next keystroke after 1/R s, +-30%, so guests do not march in step. */
    double ms = 1000.0 / b->rate * (0.7 + 0.6 * (double)(rnd(&gu->rng) % 1000) / 1000.0);
    uv_timer_start(t, on_type, (uint64_t)(ms < 1 ? 1 : ms), 0);
}

static void start_typing(bench *b);

/* A guest is ready when it is online and (in a project) holds every file it opened. */
static void maybe_ready(guest *gu)
{
    bench *b = gu->b;
    if (gu->online && gu->opened == gu->nslots && ++b->online == b->peers)
        start_typing(b);
}

static void on_state(void *data, int state, const char *why)
{
    guest *gu = data;
    bench *b = gu->b;
    if (state == WN_GUEST_ONLINE && !gu->online) {
        gu->online = true;
        if (b->files)
            for (int i = 0; i < gu->nslots; i++)
                wn_guest_open(gu->g, gu->slots[i].file, NULL);
        maybe_ready(gu);
    } else if (state == WN_GUEST_OFFLINE || state == WN_GUEST_RECONNECTING) {
        fprintf(stderr, "net-bench: guest %d: %s\n", gu->index, why);
    }
}

static void on_replaced(void *data, wf_doc *doc)
{
    guest *gu = data;
    wf_doc_free(gu->slots[0].doc);
    gu->slots[0].doc = doc;
}

static void on_opened(void *data, uint64_t file, wf_doc *doc, const char *why)
{
    guest *gu = data;
    slot *sl = slot_of(gu, file);
    if (!doc || !sl) {
        fprintf(stderr, "net-bench: guest %d could not open file %llu: %s\n", gu->index,
                (unsigned long long)file, why ? why : "?");
        exit(1);
    }
    sl->doc = doc;
    gu->opened++;
    maybe_ready(gu);
}

static void on_file_replaced(void *data, uint64_t file, wf_doc *doc)
{
    slot *sl = slot_of(data, file);
    if (sl) {
        wf_doc_free(sl->doc);
        sl->doc = doc;
    }
}

static const wn_guest_project_events project_events = {
    .opened = on_opened, .changed = on_file_changed, .replaced = on_file_replaced};

static void on_sync_check(uv_timer_t *t)
{
    bench *b = t->data;
    bool all = true;
    for (int k = 0; k < b->peers && all; k++)
        all = wn_guest_in_sync(b->guests[k].g);
    if (all || uv_now(&b->loop) > b->sync_deadline) {
        b->converged = all;
        uv_timer_stop(t);
        uv_stop(&b->loop);
    }
}

static void on_stop_typing(uv_timer_t *t)
{
    bench *b = t->data;
    b->typing = false;
    b->sync_deadline = uv_now(&b->loop) + 30000;
    uv_timer_start(&b->sync_timer, on_sync_check, 50, 50);
}

static void start_typing(bench *b)
{
    b->typing = true;
    for (int k = 0; k < b->peers; k++)
        uv_timer_start(&b->guests[k].timer, on_type, 1 + rnd(&b->guests[k].rng) % 50, 0);
    uv_timer_start(&b->stop_timer, on_stop_typing, (uint64_t)(b->seconds * 1000), 0);
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, c = *(const uint64_t *)y;
    return a < c ? -1 : a > c;
}

/* --- join time ------------------------------------------------------------------------ */

static uint64_t join_started, join_done;

static void on_join_state(void *data, int state, const char *why)
{
    (void)why;
    if (state == WN_GUEST_ONLINE) {
        join_done = now_ns();
        uv_stop(data);
    } else if (state == WN_GUEST_OFFLINE) {
        uv_stop(data);
    }
}

static double measure_join(uint16_t port)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    char s[128];
    snprintf(s, sizeof s, "weft://%s@127.0.0.1:%u", TOKEN, port);
    wn_ticket t;
    if (wn_ticket_parse(s, &t, NULL, 0) != 0)
        return -1;
    wf_doc *doc = wf_doc_new(99);
    wn_guest_config cfg = {.ticket = &t, .name = "join", .version = PACKAGE_VERSION};
    wn_guest_events ev = {.state = on_join_state};
    wn_guest *g;
    join_started = now_ns();
    if (wn_guest_start(&loop, doc, &cfg, &ev, &loop, &g) != 0)
        return -1;
    uv_run(&loop, UV_RUN_DEFAULT);
    wn_guest_stop(g, NULL, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    size_t bytes = (size_t)wf_doc_bytes(doc);
    wf_doc_free(doc);
    wn_ticket_free(&t);
    return join_done && bytes ? (double)(join_done - join_started) / 1e6 : -1;
}

int main(int argc, char **argv)
{
    static bench b = {.peers = 4, .rate = 20, .seconds = 5};
    size_t join_bytes = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--peers") && i + 1 < argc)
            b.peers = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--rate") && i + 1 < argc)
            b.rate = atof(argv[++i]);
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
            b.seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--join-bytes") && i + 1 < argc)
            join_bytes = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--files") && i + 1 < argc)
            b.files = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: net-bench [--peers N] [--rate R] [--seconds S] "
                            "[--join-bytes B] [--files F]\n");
            return 2;
        }
    }
    if (b.peers < 1 || b.rate <= 0 || b.seconds <= 0 || b.files < 0 || (b.files && join_bytes) ||
        wn_crypto_init() != 0)
        return 2;
    signal(SIGPIPE, SIG_IGN);
    uint16_t port;
    pid_t host = start_host(join_bytes, (size_t)b.files, &port);
    if (host < 0) {
        fprintf(stderr, "net-bench: cannot start the host\n");
        return 1;
    }
    double join_ms = join_bytes ? measure_join(port) : 0;

    uv_loop_init(&b.loop);
    char s[128];
    snprintf(s, sizeof s, "weft://%s@127.0.0.1:%u", TOKEN, port);
    if (wn_ticket_parse(s, &b.ticket, NULL, 0) != 0)
        return 1;
    b.guests = wf_xcalloc((size_t)b.peers, sizeof *b.guests);
    uv_timer_init(&b.loop, &b.stop_timer);
    uv_timer_init(&b.loop, &b.sync_timer);
    b.stop_timer.data = b.sync_timer.data = &b;
    for (int k = 0; k < b.peers; k++) {
        guest *gu = &b.guests[k];
        gu->b = &b;
        gu->index = k;
        gu->agent = 1000 + (uint64_t)k;
        gu->rng = 12345 + (uint64_t)k;
        uv_timer_init(&b.loop, &gu->timer);
        gu->timer.data = gu;
        wn_guest_config cfg = {.ticket = &b.ticket, .name = "bench",
                               .version = PACKAGE_VERSION, .reconnect = true};
        wn_guest_events ev = {.changed = on_changed, .state = on_state,
                              .replaced = on_replaced};
        int rc;
        if (b.files) {
            /* Guest k's files: 2k, 2k + 1 and 2k + 2 (mod F): neighbours share one, and
             * 32 guests cover 50 files. */
            for (int i = 0; i < NET_BENCH_OPEN; i++) {
                uint64_t file = 1 + (uint64_t)((2 * k + i) % b.files);
                if (!slot_of(gu, file))
                    gu->slots[gu->nslots++].file = file;
            }
            for (int i = 0; i < gu->nslots; i++)
                gu->slots[i].seen = wf_xcalloc((size_t)b.peers, sizeof(uint32_t));
            rc = wn_guest_start_project(&b.loop, gu->agent, &cfg, &ev, &project_events, gu,
                                        &gu->g);
        } else {
            gu->nslots = gu->opened = 1;
            gu->slots[0].file = WN_SINGLE_FILE_ID;
            gu->slots[0].doc = wf_doc_new(gu->agent);
            gu->slots[0].seen = wf_xcalloc((size_t)b.peers, sizeof(uint32_t));
            rc = wn_guest_start(&b.loop, gu->slots[0].doc, &cfg, &ev, gu, &gu->g);
        }
        if (rc != 0)
            return 1;
    }
    double cpu0 = cpu_seconds(host);
    uint64_t t0 = now_ns();
    uv_run(&b.loop, UV_RUN_DEFAULT);
    double wall = (double)(now_ns() - t0) / 1e9;
    double cpu = cpu_seconds(host) - cpu0;
    long rss = rss_kb(host);
    qsort(b.lat, b.nlat, sizeof *b.lat, cmp_u64);
    uint64_t p50 = b.nlat ? b.lat[b.nlat / 2] : 0;
    uint64_t p99 = b.nlat ? b.lat[(size_t)((double)b.nlat * 0.99)] : 0;
    uint64_t max = b.nlat ? b.lat[b.nlat - 1] : 0;
    if (b.files)
        printf("files=%d ", b.files);
    printf("peers=%d rate=%g ops=%llu p50_us=%.0f p99_us=%.0f max_us=%.0f converged=%s "
           "host_cpu_pct=%.1f host_rss_kb=%ld",
           b.peers, b.rate, (unsigned long long)b.ops, (double)p50 / 1e3, (double)p99 / 1e3,
           (double)max / 1e3, b.converged ? "yes" : "no", 100 * cpu / wall, rss);
    if (join_bytes)
        printf(" join_ms=%.1f", join_ms);
    printf("\n");
    kill(host, SIGTERM);
    waitpid(host, NULL, 0);
    return b.converged ? 0 : 1;
}
