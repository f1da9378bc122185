/* manifest-bench: a project host with N entries and one guest on loopback, in one loop.
 *
 *   manifest-bench [--entries N] [--open-bytes B]
 *
 * The host lists N entries (paths like "dir12/sub3/file000123.c", as a generated tree
 * would) through its manifest callback; the guest joins, takes every page as it comes, then
 * opens a text file of B bytes (default 1 MB) the host has not opened before. Prints:
 *
 *   entries=N pages=N first_page_ms=X manifest_ms=X open_bytes=B open_ms=X
 *
 * first_page_ms is from starting the guest to its first page (the handshake included),
 * manifest_ms to the last; open_ms from wn_guest_open() to the `opened` event with the
 * whole text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "core/doc.h"
#include "net/crypto.h"
#include "net/guest.h"
#include "net/host.h"
#include "net/ticket.h"

typedef struct bench {
    uv_loop_t *loop;
    uint64_t entries;
    wf_doc *big;
    size_t open_bytes;
    uint64_t t0, first_page, last_page, open_at, opened_at;
    uint64_t seen, pages;
    wf_doc *guest_doc;
    wn_guest *g;
    wn_host *h;
    bool done;
} bench;

static uint64_t now_us(void)
{
    return uv_hrtime() / 1000;
}

static bool page(void *data, uint64_t guest, uint64_t after, wn_page *pg)
{
    (void)guest;
    bench *b = data;
    for (uint64_t id = after + 1; id <= b->entries; id++) {
        char path[64];
        snprintf(path, sizeof path, "dir%llu/sub%llu/file%06llu.c",
                 (unsigned long long)(id % 211), (unsigned long long)(id % 7),
                 (unsigned long long)id);
        wn_entry e = {.id = id, .kind = WN_KIND_TEXT, .mode = 0644, .size = 1000 + id,
                      .mtime_ns = 1700000000000000000LL, .path = path};
        if (wn_page_full(pg, &e))
            return true;
        (void)wn_page_add(pg, &e);
    }
    return false;
}

static int open_file(void *data, uint64_t guest, uint64_t file, wf_doc **doc, char *why,
                     size_t size)
{
    (void)guest;
    bench *b = data;
    if (file != 1) {
        snprintf(why, size, "not in this bench");
        return -1;
    }
    if (!b->big) { /* loaded on first open, as the host does from disk */
        b->big = wf_doc_new(1);
        char *text = malloc(b->open_bytes + 1);
        for (size_t i = 0; i < b->open_bytes; i++)
            text[i] = i % 64 == 63 ? '\n' : (char)('a' + i % 26);
        if (wf_doc_load(b->big, text, b->open_bytes) != 0)
            return -1;
    }
    *doc = b->big;
    return 0;
}

static void on_manifest(void *data, const wn_entries *e)
{
    bench *b = data;
    if (!b->pages++)
        b->first_page = now_us();
    b->seen += e->n;
    if (e->next_after == 0) {
        b->last_page = now_us();
        b->open_at = now_us();
        wn_guest_open(b->g, 1, NULL);
    }
}

static void on_opened(void *data, uint64_t file, wf_doc *doc, const char *why)
{
    (void)file;
    bench *b = data;
    if (!doc) {
        fprintf(stderr, "manifest-bench: open refused: %s\n", why);
        exit(1);
    }
    b->opened_at = now_us();
    b->guest_doc = doc;
    b->done = true;
    uv_stop(b->loop);
}

static void on_stopped(void *data)
{
    (void)data;
}

int main(int argc, char **argv)
{
    bench b = {.entries = 100000, .open_bytes = 1 << 20};
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--entries"))
            b.entries = strtoull(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--open-bytes"))
            b.open_bytes = strtoull(argv[i + 1], NULL, 10);
    }
    if (wn_crypto_init() != 0)
        return 1;
    uv_loop_t loop;
    uv_loop_init(&loop);
    b.loop = &loop;
    char token[WN_TOKEN_GENERATED + 1];
    if (wn_token_generate(token, sizeof token) != 0)
        return 1;
    uint8_t id[WN_DOC_ID_BYTES] = {1};
    wn_host_config hc = {.listen = "127.0.0.1:0", .token_rw = token, .name = "bench",
                         .doc_id = id, .version = "bench", .file = "tree", .agent = 1};
    wn_project_ops ops = {.manifest_page = page, .open = open_file};
    wn_host_events hev = {0};
    if (wn_host_start_project(&loop, &hc, &ops, &hev, &b, &b.h) != 0)
        return 1;
    wn_ticket t = {.token = token, .host = "127.0.0.1", .port = wn_host_port(b.h)};
    wn_guest_config gc = {.ticket = &t, .name = "guest", .version = "bench"};
    wn_guest_events gev = {0};
    wn_guest_project_events pev = {.manifest = on_manifest, .opened = on_opened};
    b.t0 = now_us();
    if (wn_guest_start_project(&loop, 2, &gc, &gev, &pev, &b, &b.g) != 0)
        return 1;
    uv_run(&loop, UV_RUN_DEFAULT);
    if (!b.done || b.seen != b.entries) {
        fprintf(stderr, "manifest-bench: saw %llu of %llu entries\n",
                (unsigned long long)b.seen, (unsigned long long)b.entries);
        return 1;
    }
    printf("entries=%llu pages=%llu first_page_ms=%.1f manifest_ms=%.1f open_bytes=%zu "
           "open_ms=%.1f\n", (unsigned long long)b.entries, (unsigned long long)b.pages,
           (double)(b.first_page - b.t0) / 1000, (double)(b.last_page - b.t0) / 1000,
           b.open_bytes, (double)(b.opened_at - b.open_at) / 1000);
    wn_guest_stop(b.g, on_stopped, NULL);
    wn_host_stop(b.h, on_stopped, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    wf_doc_free(b.guest_doc);
    wf_doc_free(b.big);
    return 0;
}
