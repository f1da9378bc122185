/* The glob matcher, with the semantics of git's wildmatch (Rich Salz's algorithm as kept in
 * rsync and git), written for explicit text lengths.
 *
 * One recursive function walks the pattern; a star tries every split of the text. Three
 * results besides a match bound the work: NOMATCH (this split fails, try the next), ABORT_ALL
 * (the text ran out: no later split can match either) and ABORT_TO_STARSTAR (a single star
 * reached a '/': only an enclosing `**` may still try a longer split). Because ABORT_ALL
 * propagates through every enclosing star, time is about (pattern length) x (text length).
 *
 * Every call and every split tried costs a step from a budget (PROJ_GLOB_BUDGET): git's
 * algorithm is exponential in the number of `**` segments, and the patterns come from files
 * that a cloned repository brings along; when the budget runs out the match aborts and says
 * so.
 *
 * The edge cases follow git exactly, since .gitignore files are written against it: a `**`
 * is special only when it fills a whole path segment of the pattern being matched (the
 * caller's pattern after git's literal prefix is cut off, so "foo**" + "/bar" can start a
 * `**` segment: ignore.c cuts the same prefix); an unclosed class or an unknown [:name:]
 * aborts; a ']' first in a class is literal, and so is a '-' first or last. */
#include "app/project/glob.h"

#include <string.h>

enum { G_MATCH, G_NOMATCH, G_ABORT_ALL, G_ABORT_TO_STARSTAR };

typedef unsigned char uchar;

/* A text: bytes [t, end); reading at end yields 0, like a C string's terminator. */
struct text {
    const uchar *end;
    long budget; /* steps left; at 0 every call aborts */
};

static uchar at(const struct text *x, const uchar *t)
{
    return t < x->end ? *t : 0;
}

bool proj_glob_special(unsigned char c)
{
    return c == '*' || c == '?' || c == '[' || c == '\\';
}

static bool is_upper(uchar c) { return c >= 'A' && c <= 'Z'; }
static bool is_lower(uchar c) { return c >= 'a' && c <= 'z'; }
static bool is_digit(uchar c) { return c >= '0' && c <= '9'; }
static bool is_alpha(uchar c) { return is_upper(c) || is_lower(c); }
static bool is_space(uchar c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static bool is_print(uchar c) { return c >= 0x20 && c < 0x7f; }
static bool is_graph(uchar c) { return c > 0x20 && c < 0x7f; }
static bool is_cntrl(uchar c) { return c < 0x20 || c == 0x7f; }
static bool is_punct(uchar c) { return is_graph(c) && !is_alpha(c) && !is_digit(c); }
static bool is_xdigit(uchar c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static uchar lower(uchar c) { return is_upper(c) ? (uchar)(c - 'A' + 'a') : c; }
static uchar upper(uchar c) { return is_lower(c) ? (uchar)(c - 'a' + 'A') : c; }

/* Does t match the POSIX class named s[0..n)? -1 for an unknown name. */
static int posix_class(const uchar *s, size_t n, uchar t, unsigned flags)
{
    static const struct {
        const char *name;
        bool (*is)(uchar);
    } classes[] = {
        { "alnum", NULL }, { "alpha", is_alpha }, { "blank", NULL },    { "cntrl", is_cntrl },
        { "digit", is_digit }, { "graph", is_graph }, { "lower", is_lower }, { "print", is_print },
        { "punct", is_punct }, { "space", is_space }, { "upper", is_upper }, { "xdigit", is_xdigit },
    };
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        if (strlen(classes[i].name) != n || memcmp(classes[i].name, s, n) != 0)
            continue;
        if (i == 0)
            return is_alpha(t) || is_digit(t);
        if (i == 2)
            return t == ' ' || t == '\t';
        if (i == 10 && (flags & PROJ_GLOB_CASEFOLD) && is_lower(t))
            return 1;
        return classes[i].is(t);
    }
    return -1;
}

/* Matches the byte t against the class whose '[' is at *pp; leaves *pp on the closing ']'.
 * Returns 1 (in the class), 0 (not) or -1 (malformed: abort the whole match). */
static int match_class(const uchar **pp, uchar t, unsigned flags)
{
    const uchar *p = *pp;
    uchar c = *++p;
    if (c == '^')
        c = '!';
    bool negated = c == '!';
    if (negated)
        c = *++p;
    bool fold = flags & PROJ_GLOB_CASEFOLD;
    uchar prev = 0;
    bool matched = false;
    do {
        if (!c)
            return -1;
        if (c == '\\') {
            c = *++p;
            if (!c)
                return -1;
            if (t == c || (fold && t == lower(c)))
                matched = true;
        } else if (c == '-' && prev && p[1] && p[1] != ']') {
            c = *++p;
            if (c == '\\') {
                c = *++p;
                if (!c)
                    return -1;
            }
            if ((t >= prev && t <= c) || (fold && is_lower(t) && upper(t) >= prev && upper(t) <= c))
                matched = true;
            c = 0; /* a range cannot start another one */
        } else if (c == '[' && p[1] == ':') {
            const uchar *s = p + 2, *q = s;
            while (*q && *q != ']')
                q++;
            if (!*q)
                return -1;
            if (q - s < 1 || q[-1] != ':') {
                /* No ":]": the '[' was a plain member; carry on after it. */
                if (t == '[')
                    matched = true;
                c = '[';
            } else {
                int r = posix_class(s, (size_t)(q - s - 1), t, flags);
                if (r < 0)
                    return -1;
                if (r)
                    matched = true;
                p = q;
                c = 0;
            }
        } else if (t == c || (fold && t == lower(c))) {
            matched = true;
        }
        prev = c;
        c = *++p;
    } while (c != ']');
    *pp = p;
    if (matched == negated || ((flags & PROJ_GLOB_PATHNAME) && t == '/'))
        return 0;
    return 1;
}

/* Where a pattern of single or double stars at p (p[0] == '*') leads: *after is the first
 * byte past the stars, and the result says whether they may cross '/'. */
static bool stars(const uchar *pstart, const uchar *p, const uchar **after, unsigned flags)
{
    if (p[1] != '*') {
        *after = p + 1;
        return !(flags & PROJ_GLOB_PATHNAME);
    }
    const uchar *q = p + 1;
    while (*q == '*')
        q++;
    *after = q;
    /* Only a "**" that is a whole segment crosses slashes. */
    return (p == pstart || p[-1] == '/') && (*q == 0 || *q == '/' || (q[0] == '\\' && q[1] == '/'));
}

static int dowild(const uchar *p, const uchar *t, struct text *x, unsigned flags);

/* The text from t on against the stars at p (p[0] == '*'). */
static int match_star(const uchar *pstart, const uchar *p, const uchar *t, struct text *x,
                      unsigned flags)
{
    const uchar *rest;
    bool cross = stars(pstart, p, &rest, flags);
    bool fold = flags & PROJ_GLOB_CASEFOLD;
    if (cross && p[1] == '*' && *rest == '/' && dowild(rest + 1, t, x, flags) == G_MATCH)
        return G_MATCH; /* "a/" "**" "/b" also matches "a/b": zero directories */
    if (*rest == 0) {
        if (!cross && memchr(t, '/', (size_t)(x->end - t)))
            return G_NOMATCH;
        return G_MATCH;
    }
    if (!cross && *rest == '/') {
        /* "*" + "/": the star is the rest of this segment. */
        const uchar *slash = memchr(t, '/', (size_t)(x->end - t));
        if (!slash)
            return G_NOMATCH;
        return dowild(rest + 1, slash + 1, x, flags);
    }
    for (uchar tc = at(x, t); tc; tc = at(x, ++t)) {
        if (--x->budget <= 0)
            return G_ABORT_ALL;
        if (!proj_glob_special(*rest)) {
            /* Skip ahead to the next byte that can start what follows the star. */
            uchar want = fold ? lower(*rest) : *rest;
            while ((tc = at(x, t)) != 0 && (cross || tc != '/')) {
                if ((fold ? lower(tc) : tc) == want)
                    break;
                t++;
            }
            if ((fold ? lower(tc) : tc) != want)
                return G_NOMATCH;
        }
        int r = dowild(rest, t, x, flags);
        if (r != G_NOMATCH) {
            if (!cross || r != G_ABORT_TO_STARSTAR)
                return r;
        } else if (!cross && tc == '/') {
            return G_ABORT_TO_STARSTAR;
        }
    }
    return G_ABORT_ALL;
}

static int dowild(const uchar *p, const uchar *t, struct text *x, unsigned flags)
{
    if (--x->budget <= 0)
        return G_ABORT_ALL;
    const uchar *pstart = p;
    bool fold = flags & PROJ_GLOB_CASEFOLD;
    for (; *p; p++, t++) {
        uchar pc = *p, tc = at(x, t);
        if (!tc && pc != '*')
            return G_ABORT_ALL;
        if (fold) {
            pc = lower(pc);
            tc = lower(tc);
        }
        switch (pc) {
        case '\\':
            /* A literal byte; a trailing '\' compares with the end and fails. */
            pc = *++p;
            if (fold)
                pc = lower(pc);
            if (tc != pc)
                return G_NOMATCH;
            break;
        case '?':
            if ((flags & PROJ_GLOB_PATHNAME) && tc == '/')
                return G_NOMATCH;
            break;
        case '*':
            return match_star(pstart, p, t, x, flags);
        case '[': {
            int r = match_class(&p, tc, flags);
            if (r < 0)
                return G_ABORT_ALL;
            if (r == 0)
                return G_NOMATCH;
            break;
        }
        default:
            if (tc != pc)
                return G_NOMATCH;
        }
    }
    return t < x->end ? G_NOMATCH : G_MATCH;
}

int proj_glob_match(const char *pattern, const char *text, size_t tlen, unsigned flags)
{
    struct text x = { (const uchar *)text + tlen, PROJ_GLOB_BUDGET };
    int r = dowild((const uchar *)pattern, (const uchar *)text, &x, flags);
    if (r == G_MATCH)
        return PROJ_GLOB_MATCH;
    return x.budget <= 0 ? PROJ_GLOB_TOO_COMPLEX : PROJ_GLOB_NOMATCH;
}
