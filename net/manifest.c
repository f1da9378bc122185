/* The manifest's encoding (see net/manifest.h). */
#include "net/manifest.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "net/proto.h"

static bool entry_valid(const wn_entry *e)
{
    return e->id != 0 && e->kind <= WN_KIND_DIR && e->path
           && wn_path_valid(e->path, strlen(e->path));
}

bool wn_entry_encode(const wn_entry *e, wf_buf *out)
{
    if (!entry_valid(e))
        return false;
    size_t n = strlen(e->path);
    wf_buf_put_varuint(out, e->id);
    wf_buf_put_u8(out, e->kind);
    wf_buf_put_varuint(out, e->mode);
    wf_buf_put_varuint(out, e->size);
    wf_buf_put_varint(out, e->mtime_ns);
    wf_buf_put_varuint(out, e->version);
    wf_buf_put_varuint(out, n);
    wf_buf_put(out, e->path, n);
    return true;
}

void wn_page_init(wn_page *pg, size_t max)
{
    memset(pg, 0, sizeof *pg);
    wf_buf_init(&pg->entries);
    pg->max = max;
}

void wn_page_free(wn_page *pg)
{
    wf_buf_free(&pg->entries);
}

/* An entry's encoding is at most this long beyond its path. */
#define ENTRY_OVERHEAD (10 + 1 + 5 + 10 + 10 + 10 + 2)

bool wn_page_full(const wn_page *pg, const wn_entry *e)
{
    size_t n = e->path ? strlen(e->path) : 0;
    return pg->count > 0 && pg->entries.len + ENTRY_OVERHEAD + n > pg->max;
}

bool wn_page_add(wn_page *pg, const wn_entry *e)
{
    if (wn_page_full(pg, e) || !wn_entry_encode(e, &pg->entries))
        return false;
    pg->count++;
    pg->last_id = e->id;
    return true;
}

void wn_manifest_encode(const wn_page *pg, uint64_t version, uint64_t next_after, wf_buf *out)
{
    wf_buf_put_varuint(out, version);
    wf_buf_put_varuint(out, next_after);
    wf_buf_put_varuint(out, pg->count);
    wf_buf_put(out, pg->entries.data, pg->entries.len);
}

void wn_changes_encode(uint64_t version, const wn_change *c, size_t n, wf_buf *out)
{
    wf_buf_put_varuint(out, version);
    size_t count = 0;
    wf_buf tmp;
    wf_buf_init(&tmp);
    for (size_t i = 0; i < n; i++) {
        if (c[i].op > WN_CHANGE_RENAME || !entry_valid(&c[i].entry))
            continue;
        wf_buf_put_u8(&tmp, c[i].op);
        (void)wn_entry_encode(&c[i].entry, &tmp); /* valid: checked above */
        count++;
    }
    wf_buf_put_varuint(out, count);
    wf_buf_put(out, tmp.data, tmp.len);
    wf_buf_free(&tmp);
}

void wn_entries_free(wn_entries *e)
{
    free(e->v);
    free(e->paths);
    memset(e, 0, sizeof *e);
}

/* Reads count entries (with an op each when with_op) into out. */
static int read_entries(wf_reader *r, bool with_op, wn_entries *out)
{
    uint64_t count;
    if (wf_read_varuint(r, &count))
        return WN_EPROTO;
    /* Each entry takes at least 8 bytes: a count beyond that is a lie, not an allocation. */
    size_t left = wf_reader_left(r);
    if (count > left / 8)
        return WN_EPROTO;
    out->n = (size_t)count;
    out->v = count ? wf_xcalloc((size_t)count, sizeof *out->v) : NULL;
    /* Paths total less than what is left, plus a NUL each. */
    out->paths = wf_xmalloc(left + (size_t)count + 1);
    size_t used = 0;
    for (size_t i = 0; i < out->n; i++) {
        wn_change *c = &out->v[i];
        uint64_t id, mode, size, version, len;
        int64_t mtime;
        uint8_t kind, op = WN_CHANGE_ADD;
        const uint8_t *b;
        if ((with_op && (wf_read_u8(r, &op) || op > WN_CHANGE_RENAME))
            || wf_read_varuint(r, &id) || id == 0 || wf_read_u8(r, &kind) || kind > WN_KIND_DIR
            || wf_read_varuint(r, &mode) || mode > UINT32_MAX || wf_read_varuint(r, &size)
            || wf_read_varint(r, &mtime) || wf_read_varuint(r, &version)
            || wf_read_varuint(r, &len) || len > WN_PATH_MAX
            || wf_read_bytes(r, (size_t)len, &b) || !wn_path_valid((const char *)b, (size_t)len))
            return WN_EPROTO;
        memcpy(out->paths + used, b, (size_t)len);
        out->paths[used + len] = '\0';
        c->op = op;
        c->entry = (wn_entry){.id = id, .kind = kind, .mode = (uint32_t)mode, .size = size,
                              .mtime_ns = mtime, .version = version};
        c->entry.path = out->paths + used;
        used += (size_t)len + 1;
    }
    return r->err || wf_reader_left(r) != 0 ? WN_EPROTO : 0;
}

static int decode(const uint8_t *p, size_t n, bool manifest, wn_entries *out)
{
    memset(out, 0, sizeof *out);
    wf_reader r;
    wf_reader_init(&r, p, n);
    if (wf_read_varuint(&r, &out->version)
        || (manifest && wf_read_varuint(&r, &out->next_after)))
        return WN_EPROTO;
    int err = read_entries(&r, !manifest, out);
    if (err)
        wn_entries_free(out);
    return err;
}

int wn_manifest_decode(const uint8_t *p, size_t n, wn_entries *out)
{
    return decode(p, n, true, out);
}

int wn_changes_decode(const uint8_t *p, size_t n, wn_entries *out)
{
    return decode(p, n, false, out);
}
