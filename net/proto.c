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

void wn_join_encode(const wn_join *j, wf_buf *out)
{
    wf_buf_put_u64le(out, j->agent);
    wf_buf_put(out, j->doc_id, WN_DOC_ID_BYTES);
    put_name(out, j->name);
    wf_vv_encode(&j->vv, out);
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
    return get_vv(&r, &j->vv);
}

void wn_welcome_encode(const wn_welcome *w, wf_buf *out)
{
    wf_buf_put(out, w->doc_id, WN_DOC_ID_BYTES);
    wf_buf_put_u8(out, w->colour);
    put_name(out, w->name);
    size_t n = strlen(w->file);
    wf_buf_put_varuint(out, n);
    wf_buf_put(out, w->file, n);
    wf_vv_encode(&w->vv, out);
}

int wn_welcome_decode(const uint8_t *p, size_t n, wn_welcome *w)
{
    wf_reader r;
    wf_reader_init(&r, p, n);
    const uint8_t *id;
    if (wf_read_bytes(&r, WN_DOC_ID_BYTES, &id) || wf_read_u8(&r, &w->colour))
        return WN_EPROTO;
    memcpy(w->doc_id, id, WN_DOC_ID_BYTES);
    if (get_name(&r, w->name) || get_text(&r, w->file, sizeof w->file))
        return WN_EPROTO;
    return get_vv(&r, &w->vv);
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

void wn_digest_encode(const wf_vv *vv, const uint8_t hash[32], wf_buf *out)
{
    wf_buf_put(out, hash, 32);
    wf_vv_encode(vv, out);
}

int wn_digest_decode(const uint8_t *p, size_t n, wf_vv *vv, uint8_t hash[32])
{
    wf_reader r;
    wf_reader_init(&r, p, n);
    const uint8_t *h;
    if (wf_read_bytes(&r, 32, &h))
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
