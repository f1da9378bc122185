/* The clipboard (see clipboard.h). Base64 per RFC 4648 §4, with padding, as xterm expects
 * in OSC 52 (xterm ctlseqs, "Manipulate Selection Data"). */
#include "app/editor/clipboard.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void clipboard_init(struct clipboard *c)
{
    memset(c, 0, sizeof *c);
}

void clipboard_close(struct clipboard *c)
{
    free(c->text);
    memset(c, 0, sizeof *c);
}

void clipboard_set(struct clipboard *c, char *text, size_t len, bool whole_line)
{
    free(c->text);
    c->text = text;
    c->len = len;
    c->whole_line = whole_line;
}

static size_t base64(const unsigned char *in, size_t n, char *out)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = tab[(v >> 18) & 63];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    return o;
}

char *clipboard_osc52(const char *text, size_t len, size_t *outlen)
{
    static const char head[] = "\x1b]52;c;";
    if (len > CLIPBOARD_OSC52_MAX)
        return NULL;
    size_t hl = sizeof head - 1;
    char *out = wf_xmalloc(hl + (len + 2) / 3 * 4 + 2);
    memcpy(out, head, hl);
    size_t n = hl + base64((const unsigned char *)text, len, out + hl);
    out[n++] = '\a';
    out[n] = '\0';
    *outlen = n;
    return out;
}
