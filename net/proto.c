/* Encoding of the session messages (see net/proto.h). */
#include "net/proto.h"

#include <sodium.h>
#include <string.h>

#include "core/doc.h"
#include "core/utf8.h"

static int get_u64le(wf_reader *r, uint64_t *v)
{
    return wf_read_u64le(r, v) ? WN_EPROTO : 0;
}

static void put_name(wf_buf *out, const char *name)
{
    size_t n = strlen(name);
    if (n > 64)
        n = 64;
    wf_buf_put_varuint(out, n);
    wf_buf_put(out, name, n);
}

static int get_text(wf_reader *r, char *out, size_t size)
{
    uint64_t n;
    const uint8_t *b;
    if (wf_read_varuint(r, &n) || n >= size || wf_read_bytes(r, (size_t)n, &b))
        return WN_EPROTO;
    wn_text_copy(out, size, b, (size_t)n);
    return 0;
}

static int get_name(wf_reader *r, char name[WN_NAME_MAX + 1])
{
    return get_text(r, name, WN_NAME_MAX + 1);
}

/* The vector takes the rest of the message. */
static int get_vv(wf_reader *r, wf_vv *vv)
{
    wf_vv_init(vv);
    size_t left = wf_reader_left(r);
    const uint8_t *b;
    if (wf_read_bytes(r, left, &b) || wf_vv_decode(vv, b, left) != 0) {
        wf_vv_free(vv);
        return WN_EPROTO;
    }
    return 0;
}

static void put_text(wf_buf *out, const char *text, size_t max)
{
    size_t n = strlen(text);
    if (n > max)
        n = max;
    wf_buf_put_varuint(out, n);
    wf_buf_put(out, text, n);
}

/* A varuint file id, which must not be 0. */
static int get_file(wf_reader *r, uint64_t *file)
{
    return wf_read_varuint(r, file) || *file == 0 ? WN_EPROTO : 0;
}

static int done(const wf_reader *r)
{
    return r->err || wf_reader_left(r) != 0 ? WN_EPROTO : 0;
}

void wn_join_encode(const wn_join *j, wf_buf *out)
{
    wf_buf_put_u64le(out, j->agent);
    wf_buf_put(out, j->doc_id, WN_DOC_ID_BYTES);
    put_name(out, j->name);
}

int wn_join_decode(const uint8_t *p, size_t n, wn_join *j)
{
    wf_reader r;
    wf_reader_init(&r, p, n);
    const uint8_t *id;
    if (get_u64le(&r, &j->agent) || wf_read_bytes(&r, WN_DOC_ID_BYTES, &id))
        return WN_EPROTO;
    memcpy(j->doc_id, id, WN_DOC_ID_BYTES);
    if (get_name(&r, j->name))
        return WN_EPROTO;
    return done(&r);
}

void wn_welcome_encode(const wn_welcome *w, wf_buf *out)
{
    wf_buf_put(out, w->doc_id, WN_DOC_ID_BYTES);
    wf_buf_put_u8(out, w->colour);
    put_name(out, w->name);
    put_text(out, w->file, sizeof w->file - 1);
    wf_buf_put_u8(out, w->flags);
    wf_buf_put_varuint(out, w->version);
    wf_buf_put_varuint(out, w->entries);
}

int wn_welcome_decode(const uint8_t *p, size_t n, wn_welcome *w)
{
    wf_reader r;
    wf_reader_init(&r, p, n);
    const uint8_t *id;
    if (wf_read_bytes(&r, WN_DOC_ID_BYTES, &id) || wf_read_u8(&r, &w->colour))
        return WN_EPROTO;
    memcpy(w->doc_id, id, WN_DOC_ID_BYTES);
    if (get_name(&r, w->name) || get_text(&r, w->file, sizeof w->file)
        || wf_read_u8(&r, &w->flags) || wf_read_varuint(&r, &w->version)
        || wf_read_varuint(&r, &w->entries))
        return WN_EPROTO;
    return done(&r);
}

void wn_file_prefix(uint64_t file, wf_buf *out)
{
    wf_buf_put_varuint(out, file);
}

int wn_file_split(const uint8_t *p, size_t n, uint64_t *file, const uint8_t **rest,
                  size_t *rest_n)
{
    wf_reader r;
    wf_reader_init(&r, p, n);
    if (get_file(&r, file))
        return WN_EPROTO;
    *rest_n = wf_reader_left(&r);
    *rest = p + (n - *rest_n);
    return 0;
}

void wn_open_encode(uint64_t file, const wf_vv *vv, wf_buf *out)
{
    wf_buf_put_varuint(out, file);
    wf_vv_encode(vv, out);
}

int wn_open_decode(const uint8_t *p, size_t n, uint64_t *file, wf_vv *vv)
{
    wf_reader r;
    wf_reader_init(&r, p, n);
    if (get_file(&r, file))
        return WN_EPROTO;
    return get_vv(&r, vv);
}

void wn_opened_encode(uint64_t file, bool ok, const char *why, const wf_vv *vv, wf_buf *out)
{
    wf_buf_put_varuint(out, file);
    wf_buf_put_u8(out, ok);
    put_text(out, ok ? "" : why, WN_TEXT_MAX - 1);
    if (ok)
        wf_vv_encode(vv, out);
}

int wn_opened_decode(const uint8_t *p, size_t n, wn_opened *o)
{
    wf_reader r;
    wf_reader_init(&r, p, n);
    uint8_t ok;
    if (get_file(&r, &o->file) || wf_read_u8(&r, &ok) || ok > 1
        || get_text(&r, o->why, sizeof o->why))
        return WN_EPROTO;
    o->ok = ok;
    if (ok)
        return get_vv(&r, &o->vv);
    wf_vv_init(&o->vv);
    return done(&r);
}

void wn_saved_encode(uint64_t file, bool ok, const char *text, wf_buf *out)
{
    wf_buf_put_varuint(out, file);
    wf_buf_put_u8(out, ok);
    put_text(out, text, WN_TEXT_MAX - 1);
}

int wn_saved_decode(const uint8_t *p, size_t n, uint64_t *file, bool *ok,
                    char text[WN_TEXT_MAX])
{
    wf_reader r;
    wf_reader_init(&r, p, n);
    uint8_t b;
    if (get_file(&r, file) || wf_read_u8(&r, &b) || b > 1 || get_text(&r, text, WN_TEXT_MAX))
        return WN_EPROTO;
    *ok = b;
    return done(&r);
}

static void put_u32le(wf_buf *out, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    wf_buf_put(out, b, 4);
}

static int get_u32le(wf_reader *r, uint32_t *v)
{
    const uint8_t *b;
    if (wf_read_bytes(r, 4, &b))
        return WN_EPROTO;
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return 0;
}

/* A path (or "") into out (WN_PATH_MAX + 1 bytes): valid, or WN_EPROTO. */
static int get_path(wf_reader *r, char *out)
{
    uint64_t n;
    const uint8_t *b;
    if (wf_read_varuint(r, &n) || n > WN_PATH_MAX || wf_read_bytes(r, (size_t)n, &b)
        || (n > 0 && !wn_path_valid((const char *)b, (size_t)n)))
        return WN_EPROTO;
    memcpy(out, b, (size_t)n);
    out[n] = '\0';
    return 0;
}

void wn_tree_encode(const wn_tree_request *t, wf_buf *out)
{
    put_u32le(out, t->request);
    wf_buf_put_u8(out, t->op);
    wf_buf_put_varuint(out, t->file);
    put_text(out, t->path ? t->path : "", WN_PATH_MAX);
    put_text(out, t->path2 ? t->path2 : "", WN_PATH_MAX);
}

int wn_tree_decode(const uint8_t *p, size_t n, wn_tree_request *t, char *path, char *path2)
{
    wf_reader r;
    wf_reader_init(&r, p, n);
    if (get_u32le(&r, &t->request) || wf_read_u8(&r, &t->op) || t->op >= WN_TREE_OPS
        || wf_read_varuint(&r, &t->file) || get_path(&r, path) || get_path(&r, path2)
        || done(&r))
        return WN_EPROTO;
    t->path = path;
    t->path2 = path2;
    bool by_path = t->op == WN_TREE_CREATE || t->op == WN_TREE_MKDIR;
    /* What each op needs, and nothing it does not. */
    if (by_path ? !path[0] || path2[0] || t->file
                : !t->file || path[0] || (t->op == WN_TREE_RENAME) != (path2[0] != '\0'))
        return WN_EPROTO;
    return 0;
}

void wn_tree_done_encode(const wn_tree_done *d, wf_buf *out)
{
    put_u32le(out, d->request);
    wf_buf_put_u8(out, d->ok);
    wf_buf_put_varuint(out, d->file);
    put_text(out, d->text, WN_TEXT_MAX - 1);
}

int wn_tree_done_decode(const uint8_t *p, size_t n, wn_tree_done *d)
{
    wf_reader r;
    wf_reader_init(&r, p, n);
    uint8_t ok;
    if (get_u32le(&r, &d->request) || wf_read_u8(&r, &ok) || ok > 1
        || wf_read_varuint(&r, &d->file) || get_text(&r, d->text, sizeof d->text))
        return WN_EPROTO;
    d->ok = ok;
    return done(&r);
}

/* Characters that reorder or break the text a person reads (app/project/path.h). */
static bool misleading(int32_t cp)
{
    return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e)
           || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

bool wn_path_valid(const char *p, size_t n)
{
    if (n == 0 || n > WN_PATH_MAX || p[0] == '/' || p[n - 1] == '/')
        return false;
    size_t start = 0, depth = 0;
    for (size_t i = 0; i < n;) {
        size_t len;
        int32_t cp = wf_utf8_decode(p + i, n - i, &len);
        if (WF_UTF8_IS_RAW(cp) || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == '\\'
            || misleading(cp))
            return false;
        if (cp == '/' || i + len == n) {
            size_t end = cp == '/' ? i : n, k = end - start;
            if (k == 0 || k > WN_PATH_NAME_MAX || ++depth > WN_PATH_DEPTH_MAX
                || (k == 1 && p[start] == '.')
                || (k == 2 && p[start] == '.' && p[start + 1] == '.'))
                return false;
            start = i + 1;
        }
        i += len;
    }
    return true;
}

void wn_end_encode(const wn_end *e, wf_buf *out)
{
    wf_buf_put_u8(out, e->reason);
    wf_buf_put_u8(out, e->flags);
    put_name(out, e->name);
    wf_buf_put(out, e->hash, 32);
    wf_vv_encode(&e->vv, out);
}

int wn_end_decode(const uint8_t *p, size_t n, wn_end *e)
{
    wf_reader r;
    wf_reader_init(&r, p, n);
    const uint8_t *h;
    if (wf_read_u8(&r, &e->reason) || wf_read_u8(&r, &e->flags) || get_name(&r, e->name)
        || wf_read_bytes(&r, 32, &h))
        return WN_EPROTO;
    memcpy(e->hash, h, 32);
    return get_vv(&r, &e->vv);
}

const char *wn_end_reason_text(int reason)
{
    switch (reason) {
    case WN_END_QUIT: return "quit";
    case WN_END_INTERRUPTED: return "stopped with Ctrl-C";
    case WN_END_TERMINATED: return "stopped by SIGTERM";
    default: return "";
    }
}

void wn_digest_encode(uint64_t file, const wf_vv *vv, const uint8_t hash[32], wf_buf *out)
{
    wf_buf_put_varuint(out, file);
    wf_buf_put(out, hash, 32);
    wf_vv_encode(vv, out);
}

int wn_digest_decode(const uint8_t *p, size_t n, uint64_t *file, wf_vv *vv, uint8_t hash[32])
{
    wf_reader r;
    wf_reader_init(&r, p, n);
    const uint8_t *h;
    if (get_file(&r, file) || wf_read_bytes(&r, 32, &h))
        return WN_EPROTO;
    memcpy(hash, h, 32);
    return get_vv(&r, vv);
}

void wn_text_copy(char *dst, size_t size, const uint8_t *p, size_t n)
{
    if (size == 0)
        return;
    size_t k = 0, i = 0;
    while (i < n) {
        size_t len;
        int32_t cp = wf_utf8_decode((const char *)p + i, n - i, &len);
        /* Controls (C0, DEL, C1) and invalid bytes could drive the terminal: '?'. */
        bool bad = WF_UTF8_IS_RAW(cp) || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
        size_t out = bad ? 1 : len;
        if (k + out + 1 > size)
            break;
        if (bad)
            dst[k] = '?';
        else
            memcpy(dst + k, p + i, len);
        k += out;
        i += len;
    }
    dst[k] = '\0';
}

void wn_text_hash(const wf_doc *doc, uint8_t hash[32])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    wf_iter it;
    const char *chunk;
    size_t n;
    wf_iter_init(&it, doc, 0, SIZE_MAX);
    while (wf_iter_next(&it, &chunk, &n))
        crypto_generichash_update(&st, (const uint8_t *)chunk, n);
    crypto_generichash_final(&st, hash, 32);
}
