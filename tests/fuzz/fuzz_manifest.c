/* Fuzz target: manifest pages (app/project/manifest.c), the bytes a guest receives from the
 * host when it joins a project. manifest_page_decode() must not crash or read outside the
 * input, and must refuse what it does not accept with -EBADMSG, leaving the page empty. What
 * it accepts must hold what manifest.h promises, checked here again: ids increasing and above
 * `after`, `next` the last id, kinds known, every path valid (proj_path_check()). The entries
 * are then put into a fresh manifest (a path that two entries share is refused with
 * -EEXIST), encoded from the same cursor and decoded again: the entries that went in come
 * back, in order, with the same fields. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/project/manifest.h"

static uint8_t out[1 << 20];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct manifest_page page;
    int err = manifest_page_decode(data, size, &page);
    if (err) {
        if (err != -EBADMSG || page.entries || page.n)
            abort();
        return 0;
    }
    manifest *m = manifest_new();
    if (!m)
        abort();
    struct manifest_entry *kept = malloc((page.n + 1) * sizeof *kept);
    size_t nk = 0;
    if (!kept)
        abort();
    for (size_t i = 0; i < page.n; i++) {
        const struct manifest_entry *e = &page.entries[i];
        if (e->id <= (i ? page.entries[i - 1].id : page.after) || e->attr.kind > MANIFEST_DIR ||
            proj_path_check(e->path, e->len) != PROJ_PATH_OK)
            abort();
        int perr = manifest_put(m, e->id, e->path, e->len, &e->attr, e->version);
        if (perr == 0)
            kept[nk++] = *e;
        else if (perr != -EEXIST)
            abort();
    }
    if ((page.n ? page.entries[page.n - 1].id : page.after) != page.next)
        abort();
    size_t len;
    uint64_t next;
    bool last;
    if (manifest_page_encode(m, page.after, out, sizeof out, &len, &next, &last) != 0 || !last)
        abort();
    struct manifest_page again;
    if (manifest_page_decode(out, len, &again) != 0 || again.n != nk)
        abort();
    for (size_t i = 0; i < nk; i++) {
        const struct manifest_entry *a = &again.entries[i], *b = &kept[i];
        if (a->id != b->id || a->len != b->len || memcmp(a->path, b->path, a->len) != 0 ||
            a->attr.kind != b->attr.kind || a->attr.mode != b->attr.mode ||
            a->attr.size != b->attr.size || a->attr.mtime_ns != b->attr.mtime_ns ||
            a->version != b->version)
            abort();
    }
    manifest_page_free(&again);
    free(kept);
    manifest_page_free(&page);
    manifest_free(m);
    return 0;
}
