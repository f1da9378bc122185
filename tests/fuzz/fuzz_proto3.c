/* libFuzzer target: the decoders of protocol 3's messages (net/proto.h, net/manifest.h).
 * The first byte picks the message; the rest is its payload. What must hold: no crash, and
 * whatever a decoder accepts is sound: MANIFEST and CHANGES entries have non-zero ids,
 * known kinds and ops, and paths wn_path_valid() accepts, that re-encode to the same
 * bytes; a TREE request's paths are valid and fit its op. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/vv.h"
#include "net/manifest.h"
#include "net/proto.h"

static void check_entries(const wn_entries *e, bool manifest, const uint8_t *p, size_t n)
{
    wf_buf b;
    wf_buf_init(&b);
    for (size_t i = 0; i < e->n; i++) {
        const wn_change *c = &e->v[i];
        if (c->entry.id == 0 || c->entry.kind > WN_KIND_DIR || c->op > WN_CHANGE_RENAME
            || !wn_path_valid(c->entry.path, strlen(c->entry.path)))
            abort();
    }
    if (manifest) {
        wn_page pg;
        wn_page_init(&pg, SIZE_MAX);
        for (size_t i = 0; i < e->n; i++)
            if (!wn_page_add(&pg, &e->v[i].entry))
                abort();
        wn_manifest_encode(&pg, e->version, e->next_after, &b);
        wn_page_free(&pg);
    } else {
        wn_changes_encode(e->version, e->v, e->n, &b);
    }
    /* Canonical varuints only would make this exact; the length can only shrink. */
    if (b.len > n)
        abort();
    (void)p;
    wf_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    uint64_t file;
    wf_vv vv;
    wn_entries e;
    switch (data[0] % 8) {
    case 0:
        if (wn_manifest_decode(p, n, &e) == 0) {
            check_entries(&e, true, p, n);
            wn_entries_free(&e);
        }
        break;
    case 1:
        if (wn_changes_decode(p, n, &e) == 0) {
            check_entries(&e, false, p, n);
            wn_entries_free(&e);
        }
        break;
    case 2:
        if (wn_open_decode(p, n, &file, &vv) == 0) {
            if (file == 0)
                abort();
            wf_vv_free(&vv);
        }
        break;
    case 3: {
        wn_opened o;
        if (wn_opened_decode(p, n, &o) == 0)
            wf_vv_free(&o.vv);
        break;
    }
    case 4: {
        static char path[WN_PATH_MAX + 1], path2[WN_PATH_MAX + 1];
        wn_tree_request t;
        if (wn_tree_decode(p, n, &t, path, path2) == 0) {
            if (t.op >= WN_TREE_OPS || (path[0] && !wn_path_valid(path, strlen(path)))
                || (path2[0] && !wn_path_valid(path2, strlen(path2))))
                abort();
        }
        break;
    }
    case 5: {
        wn_tree_done d;
        (void)wn_tree_done_decode(p, n, &d);
        bool ok;
        char text[WN_TEXT_MAX];
        (void)wn_saved_decode(p, n, &file, &ok, text);
        break;
    }
    case 6: {
        const uint8_t *rest;
        size_t rn;
        if (wn_file_split(p, n, &file, &rest, &rn) == 0 && (file == 0 || rn > n))
            abort();
        break;
    }
    default: {
        wn_welcome w;
        (void)wn_welcome_decode(p, n, &w);
        wn_join j;
        (void)wn_join_decode(p, n, &j);
        break;
    }
    }
    return 0;
}
