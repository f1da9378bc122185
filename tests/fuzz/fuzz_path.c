/* Fuzz target: guests' paths and ignore-file patterns (app/project/path.c, ignore.c,
 * glob.c, fold.c). The first byte picks the mode:
 *
 *   0  the rest is a path. proj_path_check() must not crash, and a path it accepts must hold
 *      what path.h promises, checked here by independent code: no '/' at the start or the
 *      end, no empty, "." or ".." component, no '\', no control byte, well-formed UTF-8 with
 *      no C1 control, within the length limits; and it folds (fold.h) without error.
 *   1  the rest is an ignore file, then a NUL, then a path: parse, match the path as a file
 *      and as a directory; every literal basename pattern the file holds must match a path
 *      ending in that name (some pattern of the list must).
 *   2  the rest is a glob, a NUL, a text: proj_glob_match() under each flag must not crash
 *      and must end within its budget, and a pattern without glob bytes matches exactly
 *      itself. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/project/fold.h"
#include "app/project/glob.h"
#include "app/project/ignore.h"
#include "app/project/path.h"

/* Independent of app/project/utf8.c: decode by the textbook formula, then check the
 * shortest form, the range and the surrogates. Returns the length, or 0. */
static size_t utf8_len(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len = s[0] < 0x80 ? 1 : s[0] >> 5 == 6 ? 2 : s[0] >> 4 == 14 ? 3 : s[0] >> 3 == 30 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    uint32_t c = len == 1 ? s[0] : s[0] & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3f);
    }
    static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

static void check_valid_path(const char *p, size_t n)
{
    if (n == 0 || n > PROJ_PATH_MAX || p[0] == '/' || p[n - 1] == '/')
        abort();
    size_t start = 0, depth = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && p[i] != '/')
            continue;
        size_t len = i - start;
        if (len == 0 || len > PROJ_NAME_MAX)
            abort();
        if ((len == 1 && p[start] == '.') || (len == 2 && p[start] == '.' && p[start + 1] == '.'))
            abort();
        if (proj_name_check(p + start, len) != PROJ_PATH_OK)
            abort();
        depth++;
        start = i + 1;
    }
    if (depth > PROJ_DEPTH_MAX)
        abort();
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_len((const unsigned char *)p + i, n - i, &cp);
        if (l == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == '\\')
            abort();
        i += l;
    }
    struct proj_fold k;
    if (proj_fold_init(&k, p, n) != 0)
        abort();
    proj_fold_close(&k);
}

static void fuzz_ignore(const char *s, size_t n)
{
    const char *nul = memchr(s, '\0', n);
    size_t tlen = nul ? (size_t)(nul - s) : n;
    const char *path = nul ? nul + 1 : "";
    size_t plen = nul ? n - tlen - 1 : 0;
    struct proj_ignore l;
    if (proj_ignore_init(&l, "", 0, "fuzz") != 0)
        abort();
    uint32_t bad;
    int rc = proj_ignore_parse(&l, s, tlen, &bad);
    if (rc != 0 && rc != -E2BIG && rc != -ENOMEM)
        abort();
    if (plen && proj_path_check(path, plen) == PROJ_PATH_OK) {
        (void)proj_ignore_match(&l, path, plen, false);
        (void)proj_ignore_match(&l, path, plen, true);
    }
    for (size_t i = 0; i < l.n; i++) {
        const struct proj_pattern *p = &l.pat[i];
        if (p->text[p->len] != '\0' || strlen(p->text) != p->len)
            abort();
        if (!(p->flags & PROJ_PAT_NODIR) || p->nowild != p->len || p->len == 0
            || p->len > PROJ_NAME_MAX || proj_name_check(p->text, p->len) != PROJ_PATH_OK)
            continue;
        char full[PROJ_NAME_MAX + 8] = "d/";
        memcpy(full + 2, p->text, p->len);
        bool as_dir = p->flags & PROJ_PAT_MUSTBEDIR;
        if (!proj_ignore_match(&l, full, p->len + 2, as_dir))
            abort();
    }
    proj_ignore_close(&l);
}

static void fuzz_glob(const char *s, size_t n)
{
    const char *nul = memchr(s, '\0', n);
    if (!nul)
        return;
    const char *text = nul + 1;
    size_t tlen = n - (size_t)(nul - s) - 1;
    if (memchr(text, '\0', tlen))
        return; /* texts hold no NUL */
    for (unsigned flags = 0; flags < 4; flags++)
        (void)proj_glob_match(s, text, tlen, flags);
    bool literal = true;
    for (const char *p = s; *p; p++)
        literal = literal && !proj_glob_special((unsigned char)*p);
    if (literal) {
        size_t pl = (size_t)(nul - s);
        bool same = pl == tlen && memcmp(s, text, tlen) == 0;
        if ((proj_glob_match(s, text, tlen, PROJ_GLOB_PATHNAME) == PROJ_GLOB_MATCH) != same)
            abort();
        if (proj_glob_match(s, s, pl, 0) != PROJ_GLOB_MATCH)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    switch (data[0] % 3) {
    case 0:
        if (proj_path_check(s, n) == PROJ_PATH_OK)
            check_valid_path(s, n);
        (void)proj_path_strerror(proj_path_check(s, n));
        break;
    case 1:
        fuzz_ignore(s, n);
        break;
    default: {
        /* The glob needs a NUL-terminated pattern: copy. */
        char *c = malloc(n + 1);
        if (!c)
            return 0;
        memcpy(c, s, n);
        c[n] = '\0';
        fuzz_glob(c, n);
        free(c);
    }
    }
    return 0;
}
