/* Ignore-file patterns: parsing lines into patterns and matching one list, as git's dir.c
 * does (add_patterns_from_buffer, parse_path_pattern, match_basename, match_pathname).
 *
 * A pattern keeps git's precomputed facts: negative, directory-only, whether it has a '/'
 * (NODIR: it then matches the last component at any depth below the base), its literal
 * prefix (compared byte for byte before the glob runs: this cut is also what lets
 * "foo**" + "/bar" start a `**` segment, as in git), and "*literal" (a suffix compare).
 * A list is matched from its last pattern back to its first; the first hit wins. */
#include "app/project/ignore.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/project/glob.h"

int proj_ignore_init(struct proj_ignore *l, const char *base, size_t baselen, const char *source)
{
    memset(l, 0, sizeof *l);
    l->base = malloc(baselen + 1);
    l->source = strdup(source);
    if (!l->base || !l->source)
        return -ENOMEM;
    memcpy(l->base, base, baselen);
    l->base[baselen] = '\0';
    l->baselen = baselen;
    return 0;
}

void proj_ignore_close(struct proj_ignore *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->pat[i].text);
    free(l->pat);
    free(l->base);
    free(l->source);
    memset(l, 0, sizeof *l);
}

/* Length of s[0..n) without trailing spaces that are not escaped (git's
 * trim_trailing_spaces: only ' ', and a '\' protects the byte after it). */
static size_t trimmed_len(const char *s, size_t n)
{
    size_t keep = n;
    bool in_spaces = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ') {
            if (!in_spaces)
                keep = i;
            in_spaces = true;
        } else if (s[i] == '\\') {
            if (++i == n)
                return n; /* a lone trailing '\' keeps everything */
            in_spaces = false;
        } else {
            in_spaces = false;
        }
    }
    return in_spaces ? keep : n;
}

/* Bytes of s before its first glob byte (git's simple_length). */
static size_t literal_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && !proj_glob_special((unsigned char)s[i]))
        i++;
    return i;
}

int proj_ignore_add(struct proj_ignore *l, const char *line, size_t n, uint32_t lineno)
{
    const char *nul = memchr(line, '\0', n);
    if (nul)
        n = (size_t)(nul - line);
    n = trimmed_len(line, n);
    if (n > PROJ_IGNORE_LINE_MAX)
        return -E2BIG;
    const char *p = line;
    size_t len = n;
    unsigned flags = 0;
    if (len && *p == '!') {
        flags |= PROJ_PAT_NEGATIVE;
        p++;
        len--;
    }
    if (len == 0)
        return 0; /* "" and "!" match nothing */
    /* git measures the literal prefix and the "*literal" form before the trailing '/' is
     * cut, and then caps the prefix to the cut length. */
    size_t nowild = literal_len(p, len);
    bool endswith = p[0] == '*' && literal_len(p + 1, len - 1) == len - 1;
    if (p[len - 1] == '/') {
        len--;
        flags |= PROJ_PAT_MUSTBEDIR;
    }
    if (!memchr(p, '/', len))
        flags |= PROJ_PAT_NODIR;
    if (endswith)
        flags |= PROJ_PAT_ENDSWITH;
    if (nowild > len)
        nowild = len;

    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        struct proj_pattern *v = realloc(l->pat, cap * sizeof *v);
        if (!v)
            return -ENOMEM;
        l->pat = v;
        l->cap = cap;
    }
    char *mem = malloc(len + 1 + n + 1);
    if (!mem)
        return -ENOMEM;
    memcpy(mem, p, len);
    mem[len] = '\0';
    memcpy(mem + len + 1, line, n);
    mem[len + 1 + n] = '\0';
    l->pat[l->n++] = (struct proj_pattern){ .text = mem, .written = mem + len + 1,
                                            .len = (uint32_t)len, .nowild = (uint32_t)nowild,
                                            .line = lineno, .flags = flags };
    return 0;
}

int proj_ignore_parse(struct proj_ignore *l, const char *buf, size_t n, uint32_t *bad_line)
{
    if (n > PROJ_IGNORE_FILE_MAX)
        return -EFBIG;
    size_t i = 0;
    if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    uint32_t lineno = 1;
    while (i < n) {
        const char *nl = memchr(buf + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - buf) : n;
        size_t len = end - i;
        /* git tests for a comment and an empty line before dropping the '\r'. */
        if (len > 0 && buf[i] != '#') {
            if (buf[end - 1] == '\r')
                len--;
            int rc = proj_ignore_add(l, buf + i, len, lineno);
            if (rc < 0) {
                if (bad_line)
                    *bad_line = lineno;
                return rc;
            }
        }
        lineno++;
        i = end + 1;
    }
    return 0;
}

static int cmp_n(const struct proj_ignore *l, const char *a, const char *b, size_t n)
{
    return l->casefold ? strncasecmp(a, b, n) : strncmp(a, b, n);
}

/* The glob, failing closed: a pattern that once ran out of budget matches from then on if
 * it hides, and never if it re-includes. */
static bool glob(struct proj_ignore *l, struct proj_pattern *pt, const char *p, const char *text,
                 size_t tlen, unsigned flags)
{
    if (!(pt->flags & PROJ_PAT_TOO_COMPLEX)) {
        int r = proj_glob_match(p, text, tlen, flags | (l->casefold ? PROJ_GLOB_CASEFOLD : 0));
        if (r != PROJ_GLOB_TOO_COMPLEX)
            return r == PROJ_GLOB_MATCH;
        pt->flags |= PROJ_PAT_TOO_COMPLEX;
        l->complex_new = pt;
    }
    return !(pt->flags & PROJ_PAT_NEGATIVE);
}

static bool match_basename(struct proj_ignore *l, struct proj_pattern *pt, const char *name,
                           size_t nlen)
{
    if (pt->nowild == pt->len)
        return pt->len == nlen && cmp_n(l, pt->text, name, nlen) == 0;
    if (pt->flags & PROJ_PAT_ENDSWITH)
        return pt->len - 1 <= nlen
               && cmp_n(l, pt->text + 1, name + nlen - (pt->len - 1), pt->len - 1) == 0;
    return glob(l, pt, pt->text, name, nlen, 0);
}

static bool match_pathname(struct proj_ignore *l, struct proj_pattern *pt, const char *path,
                           size_t plen)
{
    const char *p = pt->text;
    size_t len = pt->len, prefix = pt->nowild;
    if (*p == '/') { /* a leading '/' only anchors, which every pattern with a '/' does */
        p++;
        len--;
        prefix--;
    }
    size_t baselen = l->baselen ? l->baselen - 1 : 0; /* without the base's '/' */
    if (plen < baselen + 1 || (baselen && path[baselen] != '/')
        || cmp_n(l, path, l->base, baselen) != 0)
        return false;
    size_t nlen = baselen ? plen - baselen - 1 : plen;
    const char *name = path + plen - nlen;
    if (prefix) {
        if (prefix > nlen || cmp_n(l, p, name, prefix) != 0)
            return false;
        p += prefix;
        len -= prefix;
        name += prefix;
        nlen -= prefix;
        if (!len && !nlen)
            return true;
    }
    return glob(l, pt, p, name, nlen, PROJ_GLOB_PATHNAME);
}

const struct proj_pattern *proj_ignore_match(struct proj_ignore *l, const char *path, size_t len,
                                             bool is_dir)
{
    size_t start = len;
    while (start > 0 && path[start - 1] != '/')
        start--;
    const char *name = path + start;
    size_t nlen = len - start;
    for (size_t i = l->n; i-- > 0;) {
        struct proj_pattern *pt = &l->pat[i];
        if ((pt->flags & PROJ_PAT_MUSTBEDIR) && !is_dir)
            continue;
        bool hit = (pt->flags & PROJ_PAT_NODIR) ? match_basename(l, pt, name, nlen)
                                                : match_pathname(l, pt, path, len);
        if (hit)
            return pt;
    }
    return NULL;
}

int proj_ignore_read_fd(int fd, char **buf, size_t *n)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return -errno;
    if (!S_ISREG(st.st_mode))
        return -EINVAL;
    if ((uintmax_t)st.st_size > PROJ_IGNORE_FILE_MAX)
        return -EFBIG;
    /* One byte more than the limit, to notice a file that grew since fstat. */
    size_t cap = (size_t)st.st_size + 1, got = 0;
    char *b = malloc(cap);
    if (!b)
        return -ENOMEM;
    for (;;) {
        ssize_t r = read(fd, b + got, cap - got);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = -errno;
            free(b);
            return e;
        }
        if (r == 0)
            break;
        got += (size_t)r;
        if (got == cap) {
            if (cap > PROJ_IGNORE_FILE_MAX) {
                free(b);
                return -EFBIG;
            }
            size_t ncap = cap * 2 > PROJ_IGNORE_FILE_MAX + 1 ? PROJ_IGNORE_FILE_MAX + 1 : cap * 2;
            char *nb = realloc(b, ncap);
            if (!nb) {
                free(b);
                return -ENOMEM;
            }
            b = nb;
            cap = ncap;
        }
    }
    *buf = b;
    *n = got;
    return 0;
}
