/* Presence records (see net/presence.h). */
#include "net/presence.h"

#include <stdio.h>
#include <string.h>

#include "net/proto.h"

void wn_presence_encode(const wn_presence *p, wf_buf *out)
{
    wf_buf_put_u64le(out, p->agent);
    wf_buf_put_varuint(out, p->clock);
    wf_buf_put_u8(out, p->colour);
    wf_buf_put_u8(out, p->flags);
    size_t n = strlen(p->name);
    wf_buf_put_varuint(out, n);
    wf_buf_put(out, p->name, n);
    wf_buf_put_varuint(out, p->file);
    if (p->flags & WN_PRESENCE_CURSOR)
        wf_anchor_encode(p->cursor, out);
    if (p->flags & WN_PRESENCE_SELECTION)
        wf_anchor_encode(p->selection, out);
    if (p->flags & WN_PRESENCE_VIEW) {
        wf_anchor_encode(p->view_top, out);
        wf_buf_put_varuint(out, p->view_lines);
    }
}

/* Copies n bytes of name for display (see wn_text_copy). */
static void copy_name(char *dst, const char *src, size_t n)
{
    wn_text_copy(dst, WN_NAME_MAX + 1, (const uint8_t *)src, n);
}

void wn_presence_set_name(wn_presence *p, const char *name)
{
    copy_name(p->name, name, strlen(name));
}

void wn_presence_unique_name(char out[WN_NAME_MAX + 1], const char *wanted,
                             bool (*taken)(const char *name, void *ctx), void *ctx)
{
    copy_name(out, wanted, strlen(wanted));
    for (unsigned n = 2; taken(out, ctx); n++) {
        char suffix[16];
        int k = snprintf(suffix, sizeof suffix, " (%u)", n);
        /* the base, cut to leave room for the suffix */
        wn_text_copy(out, WN_NAME_MAX + 1 - (size_t)k, (const uint8_t *)wanted, strlen(wanted));
        strcat(out, suffix);
    }
}

int wn_presence_decode(const uint8_t *data, size_t n, wn_presence *p)
{
    wf_reader r;
    wf_reader_init(&r, data, n);
    const uint8_t *b;
    wn_presence x;
    memset(&x, 0, sizeof x);
    uint64_t len;
    if (wf_read_bytes(&r, 8, &b))
        return WN_EPROTO;
    for (int i = 7; i >= 0; i--)
        x.agent = x.agent << 8 | b[i];
    if (wf_read_varuint(&r, &x.clock) || wf_read_u8(&r, &x.colour) || wf_read_u8(&r, &x.flags)
        || x.colour >= WN_COLOURS || (x.flags & ~0x1f) || wf_read_varuint(&r, &len)
        || len > WN_NAME_MAX || wf_read_bytes(&r, (size_t)len, &b))
        return WN_EPROTO;
    copy_name(x.name, (const char *)b, (size_t)len);
    if (wf_read_varuint(&r, &x.file))
        return WN_EPROTO;
    if ((x.flags & WN_PRESENCE_CURSOR) && wf_anchor_decode(&r, &x.cursor))
        return WN_EPROTO;
    if ((x.flags & WN_PRESENCE_SELECTION) && wf_anchor_decode(&r, &x.selection))
        return WN_EPROTO;
    if (x.flags & WN_PRESENCE_VIEW) {
        uint32_t lines;
        if (wf_anchor_decode(&r, &x.view_top) || wf_read_varu32(&r, &lines))
            return WN_EPROTO;
        x.view_lines = lines;
    }
    if (r.err || wf_reader_left(&r) != 0)
        return WN_EPROTO;
    *p = x;
    return 0;
}
