/* Segmentation of bytes into units (see core/utf8.h).
 *
 * A lead byte's valid second-byte range depends on the lead (RFC 3629 table 3-7: E0 needs
 * A0..BF to exclude overlongs, ED needs 80..9F to exclude surrogates, F0 needs 90..BF,
 * F4 needs 80..8F); later bytes are always 80..BF. Scans take eight ASCII bytes at a time. */
#include "core/utf8.h"

#include <string.h>

/* Expected sequence length for a lead byte, 0 for a byte that cannot start one. */
static const uint8_t seq_len[256] = {
    /* 00..7F */
    [0x00] = 1, [0x01 ... 0x7f] = 1,
    /* 80..C1: continuation bytes and overlong leads */
    [0xc2 ... 0xdf] = 2,
    [0xe0 ... 0xef] = 3,
    [0xf0 ... 0xf4] = 4,
};

static bool second_ok(uint8_t lead, uint8_t b)
{
    switch (lead) {
    case 0xe0: return b >= 0xa0 && b <= 0xbf;
    case 0xed: return b >= 0x80 && b <= 0x9f;
    case 0xf0: return b >= 0x90 && b <= 0xbf;
    case 0xf4: return b >= 0x80 && b <= 0x8f;
    default: return b >= 0x80 && b <= 0xbf;
    }
}

static bool is_cont(uint8_t b)
{
    return (b & 0xc0) == 0x80;
}

size_t wf_utf8_unit_len(const char *str, size_t n)
{
    const uint8_t *s = (const uint8_t *)str;
    uint8_t lead = s[0];
    size_t len = seq_len[lead];
    if (len <= 1)
        return 1;
    if (n < len || !second_ok(lead, s[1]))
        return 1;
    for (size_t i = 2; i < len; i++)
        if (!is_cont(s[i]))
            return 1;
    return len;
}

int32_t wf_utf8_decode(const char *str, size_t n, size_t *len)
{
    const uint8_t *s = (const uint8_t *)str;
    size_t l = wf_utf8_unit_len(str, n);
    *len = l;
    switch (l) {
    case 1: return s[0] < 0x80 ? s[0] : WF_UTF8_RAW(s[0]);
    case 2: return ((int32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
    case 3: return ((int32_t)(s[0] & 0x0f) << 12) | ((s[1] & 0x3f) << 6) | (s[2] & 0x3f);
    default:
        return ((int32_t)(s[0] & 0x07) << 18) | ((s[1] & 0x3f) << 12) | ((s[2] & 0x3f) << 6)
               | (s[3] & 0x3f);
    }
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

static uint64_t load8(const uint8_t *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* Number of '\n' bytes in the word (exact: no false positives from borrows). */
static unsigned newlines_in(uint64_t w)
{
    uint64_t x = w ^ (ONES * '\n');
    uint64_t y = (x & ~HIGHS) + ~HIGHS;
    y = ~(y | x | ~HIGHS);
    /* Each '\n' byte left 0x80 in y: sum the bytes of y >> 7 with one multiplication. */
    return (unsigned)(((y >> 7) * ONES) >> 56);
}

size_t wf_utf8_count(const char *str, size_t n, size_t *newlines)
{
    const uint8_t *s = (const uint8_t *)str;
    size_t units = 0, nl = 0, i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t w = load8(s + i);
            if (!(w & HIGHS)) {
                nl += newlines_in(w);
                units += 8;
                i += 8;
                continue;
            }
        }
        if (s[i] < 0x80) {
            nl += s[i] == '\n';
            i++;
        } else {
            i += wf_utf8_unit_len(str + i, n - i);
        }
        units++;
    }
    if (newlines)
        *newlines = nl;
    return units;
}

size_t wf_utf8_count_newlines(const char *str, size_t n)
{
    const uint8_t *s = (const uint8_t *)str;
    size_t nl = 0, i = 0;
    for (; i + 8 <= n; i += 8)
        nl += newlines_in(load8(s + i));
    for (; i < n; i++)
        nl += s[i] == '\n';
    return nl;
}

size_t wf_utf8_offset(const char *str, size_t n, size_t k)
{
    const uint8_t *s = (const uint8_t *)str;
    size_t i = 0;
    while (k > 0 && i < n) {
        if (k >= 8 && i + 8 <= n && !(load8(s + i) & HIGHS)) {
            i += 8;
            k -= 8;
            continue;
        }
        i += s[i] < 0x80 ? 1 : wf_utf8_unit_len(str + i, n - i);
        k--;
    }
    return i;
}

bool wf_utf8_ends_clean(const char *str, size_t n)
{
    const uint8_t *s = (const uint8_t *)str;
    if (n == 0 || s[n - 1] < 0x80)
        return true;
    size_t stop = n >= 3 ? n - 3 : 0;
    for (size_t i = n; i-- > stop;) {
        if (is_cont(s[i]))
            continue;
        /* s[i] starts a unit. Is it a well-formed prefix that the end cuts short? */
        size_t len = seq_len[s[i]];
        if (len <= 1 || i + len <= n)
            return true;
        if (i + 1 < n && !second_ok(s[i], s[i + 1]))
            return true;
        return false; /* the rest are continuation bytes, as the loop saw */
    }
    return true;
}

size_t wf_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp >= 0xd800 && cp <= 0xdfff)
        return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    if (cp < 0x110000) {
        out[0] = (char)(0xf0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[3] = (char)(0x80 | (cp & 0x3f));
        return 4;
    }
    return 0;
}
