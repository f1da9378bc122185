/* Strict UTF-8 decoding: the ranges of table 3-7 of the Unicode standard. The second byte's
 * range depends on the first (that is what excludes overlong forms, surrogates and code
 * points above U+10FFFF); every later byte is 0x80..0xbf. */
#include "app/project/utf8.h"

#include <stdio.h>

size_t proj_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char b = s[0];
    unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
    size_t len;
    if (b >= 0xc2 && b <= 0xdf) {
        len = 2;
        *cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
        len = 3;
        *cp = b & 0x0f;
        if (b == 0xe0)
            lo = 0xa0; /* overlong */
        if (b == 0xed)
            hi = 0x9f; /* surrogates */
    } else if (b >= 0xf0 && b <= 0xf4) {
        len = 4;
        *cp = b & 0x07;
        if (b == 0xf0)
            lo = 0x90; /* overlong */
        if (b == 0xf4)
            hi = 0x8f; /* above U+10FFFF */
    } else {
        return 0; /* a continuation byte, an overlong 0xc0/0xc1 lead, or 0xf5..0xff */
    }
    for (size_t i = 1; i < len; i++) {
        if (i >= n)
            return PROJ_UTF8_CUT;
        unsigned char l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xbf;
        if (s[i] < l || s[i] > h)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3f);
    }
    return len;
}

bool proj_utf8_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
}

bool proj_utf8_unsafe(uint32_t cp)
{
    return proj_utf8_control(cp) || cp == 0x061c || cp == 0x200e || cp == 0x200f
           || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028
           || cp == 0x2029;
}

char *proj_utf8_printable(const char *s, size_t n, char *out, size_t cap)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0;
    for (size_t i = 0; i < n && cap > 0;) {
        uint32_t cp = u[i];
        size_t l = u[i] < 0x80 ? 1 : proj_utf8_seq(u + i, n - i, &cp);
        bool ok = l != 0 && l != PROJ_UTF8_CUT && !proj_utf8_unsafe(cp);
        if (!ok)
            l = (l == 0 || l == PROJ_UTF8_CUT) ? 1 : l; /* escape the bytes of this one */
        if (ok) {
            if (o + l >= cap)
                break;
            for (size_t k = 0; k < l; k++)
                out[o++] = s[i + k];
        } else {
            if (o + 4 * l >= cap)
                break;
            for (size_t k = 0; k < l; k++)
                o += (size_t)snprintf(out + o, cap - o, "\\x%02x", u[i + k]);
        }
        i += l;
    }
    if (cap > 0)
        out[o < cap ? o : cap - 1] = '\0';
    return out;
}
