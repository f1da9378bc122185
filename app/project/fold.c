/* Collision keys and folding spellings (utf8proc): see fold.h.
 *
 * Nearly every name in a source tree is ASCII, where the key is the name in lower case; that
 * path runs without utf8proc or the heap, since the walker folds every name it lists. */
#include "app/project/fold.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static bool ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

int proj_fold_init(struct proj_fold *k, const char *s, size_t n)
{
    k->heap = NULL;
    k->buf[0] = '\0';
    k->s = k->buf;
    k->len = 0;
    if (ascii(s, n) && n < sizeof k->buf) {
        for (size_t i = 0; i < n; i++) {
            char c = s[i];
            k->buf[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        }
        k->buf[n] = '\0';
        k->len = n;
        return 0;
    }
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &out,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD
                                          | UTF8PROC_IGNORE);
    if (r < 0)
        return r == UTF8PROC_ERROR_NOMEM ? -ENOMEM : -EINVAL;
    k->heap = (char *)out;
    k->s = k->heap;
    k->len = (size_t)r;
    return 0;
}

void proj_fold_close(struct proj_fold *k)
{
    free(k->heap);
    k->heap = NULL;
    k->s = k->buf;
    k->len = 0;
}

/* Maps every code point of s[0..n) with f into out; false if it does not fit or s is not
 * valid UTF-8. */
static bool map_each(const char *s, size_t n, utf8proc_int32_t (*f)(utf8proc_int32_t),
                     char *out, size_t cap, size_t *outlen)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &c);
        if (l <= 0)
            return false;
        i += (size_t)l;
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t el = utf8proc_encode_char(f(c), enc);
        if (el <= 0 || o + (size_t)el >= cap)
            return false;
        memcpy(out + o, enc, (size_t)el);
        o += (size_t)el;
    }
    out[o] = '\0';
    *outlen = o;
    return true;
}

bool proj_fold_variant(const char *name, size_t n, int which, char *out, size_t cap)
{
    size_t len = 0;
    if (which == 0 || which == 1) {
        if (!map_each(name, n, which == 0 ? utf8proc_toupper : utf8proc_tolower, out, cap, &len))
            return false;
    } else if (which == 2 || which == 3) {
        if (ascii(name, n))
            return false; /* ASCII is its own NFC and NFD */
        utf8proc_uint8_t *m = NULL;
        utf8proc_ssize_t r =
            utf8proc_map((const utf8proc_uint8_t *)name, (utf8proc_ssize_t)n, &m,
                         UTF8PROC_STABLE | (which == 2 ? UTF8PROC_DECOMPOSE : UTF8PROC_COMPOSE));
        if (r < 0)
            return false;
        len = (size_t)r;
        bool fits = len < cap;
        if (fits) {
            memcpy(out, m, len);
            out[len] = '\0';
        }
        free(m);
        if (!fits)
            return false;
    } else {
        return false;
    }
    return len != n || memcmp(out, name, n) != 0;
}
