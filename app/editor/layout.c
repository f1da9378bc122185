/* Line layout (see layout.h).
 *
 * Cells come from one left-to-right pass: decode a unit with the core's segmentation (so an
 * invalid byte here is the same unit the core counts), then extend a text cluster while
 * utf8proc says there is no grapheme break (UAX #29, extended clusters, state carried for
 * emoji ZWJ sequences and regional-indicator pairs). Widths come from utf8proc's East Asian
 * Width tables, not the C library's, so they do not depend on the locale; a cluster takes the
 * width of its first code point, made 2 by an emoji presentation selector (U+FE0F) or for a
 * flag (a pair of regional indicators). */
#include "app/editor/layout.h"

#include <stdio.h>
#include <utf8proc.h>

#include "core/utf8.h"

void layout_init(struct layout *l, const char *s, size_t n, unsigned tabw)
{
    l->s = s;
    l->n = n;
    l->off = 0;
    l->col = 0;
    l->unit = 0;
    l->tabw = tabw ? tabw : 1;
}

static bool is_mark(utf8proc_category_t cat)
{
    return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
           cat == UTF8PROC_CATEGORY_ME;
}

static bool is_regional(int32_t cp)
{
    return cp >= 0x1f1e6 && cp <= 0x1f1ff;
}

/* Width of the escaped form \uXXXX of cp. */
static unsigned escape_width(int32_t cp)
{
    char tmp[16];
    return (unsigned)snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)cp);
}

/* Whether a code point of boundclass `bc` can join a cluster that starts with one of
 * boundclass Other (UAX #29 GB9, GB9a); no other rule keeps such a cluster together. This
 * spares most text the stateful break call; check_app_layout holds utf8proc to it over
 * every code point. */
bool layout_joins_other(int bc)
{
    return bc == UTF8PROC_BOUNDCLASS_EXTEND || bc == UTF8PROC_BOUNDCLASS_ZWJ
           || bc == UTF8PROC_BOUNDCLASS_SPACINGMARK;
}

/* Extends the text cluster that starts with cp (len bytes, properties pr) as far as it
 * goes. */
static void take_cluster(struct layout *l, struct cell *c, int32_t cp, size_t len,
                         const utf8proc_property_t *pr)
{
    utf8proc_int32_t state = 0;
    int32_t prev = cp;
    int w = pr->charwidth;
    bool plain = pr->boundclass == UTF8PROC_BOUNDCLASS_OTHER;
    c->len = len;
    c->units = 1;
    while (l->off + c->len < l->n) {
        size_t nl;
        int32_t next = wf_utf8_decode(l->s + l->off + c->len, l->n - l->off - c->len, &nl);
        if (WF_UTF8_IS_RAW(next))
            break;
        if (plain) {
            /* The common case, a cluster of one code point, decided from the next one's
             * class; when it does join, utf8proc decides as before (and keeps the state). */
            if (!layout_joins_other(utf8proc_get_property(next)->boundclass))
                break;
            plain = false;
        }
        if (utf8proc_grapheme_break_stateful(prev, next, &state))
            break;
        if (next == 0xfe0f || (is_regional(prev) && is_regional(next)))
            w = 2;
        c->len += nl;
        c->units++;
        prev = next;
    }
    c->width = w > 0 ? (unsigned)w : 1;
}

bool layout_next(struct layout *l, struct cell *c)
{
    if (l->off >= l->n)
        return false;
    size_t len;
    int32_t cp = wf_utf8_decode(l->s + l->off, l->n - l->off, &len);
    c->off = l->off;
    c->col = l->col;
    c->unit = l->unit;
    c->len = len;
    c->units = 1;
    if (WF_UTF8_IS_RAW(cp)) {
        c->kind = CELL_ESCAPED;
        c->width = 4; /* \x9f */
    } else if (cp == '\t') {
        c->kind = CELL_TAB;
        c->width = l->tabw - (unsigned)(l->col % l->tabw);
    } else if (cp < 0x20 || cp == 0x7f) {
        c->kind = CELL_CTRL;
        c->width = 2;
    } else {
        const utf8proc_property_t *pr = utf8proc_get_property(cp);
        utf8proc_category_t cat = (utf8proc_category_t)pr->category;
        bool zero = pr->charwidth == 0;
        if ((cp >= 0x80 && cp <= 0x9f) || cat == UTF8PROC_CATEGORY_CN ||
            (zero && !is_mark(cat))) {
            c->kind = CELL_ESCAPED;
            c->width = escape_width(cp);
        } else {
            c->kind = zero ? CELL_LONE : CELL_TEXT;
            take_cluster(l, c, cp, len, pr);
        }
    }
    l->off += c->len;
    l->col += c->width;
    l->unit += c->units;
    return true;
}

size_t layout_skip_ascii(struct layout *l, size_t limit)
{
    /* A printable ASCII byte is a cell of its own, one column and one unit wide, unless
     * what follows could join its cluster (a combining mark, a ZWJ: never ASCII). */
    const unsigned char *p = (const unsigned char *)l->s;
    size_t i = l->off, end = l->n - l->off > limit ? l->off + limit : l->n;
    while (i < end && p[i] >= 0x20 && p[i] < 0x7f && (i + 1 == l->n || p[i + 1] < 0x80))
        i++;
    size_t k = i - l->off;
    l->off = i;
    l->col += k;
    l->unit += k;
    return k;
}

size_t layout_escape(const char *s, const struct cell *c, char *out, size_t size)
{
    size_t len;
    int32_t cp = wf_utf8_decode(s + c->off, c->len, &len);
    int n;
    if (WF_UTF8_IS_RAW(cp))
        n = snprintf(out, size, "\\x%02x", WF_UTF8_RAW_BYTE(cp));
    else if (cp < 0x20 || cp == 0x7f)
        n = snprintf(out, size, "^%c", (char)(cp ^ 0x40));
    else
        n = snprintf(out, size, "\\u%04x", (unsigned)cp);
    return n < 0 ? 0 : (size_t)n;
}

size_t layout_col_of(const char *s, size_t n, unsigned tabw, size_t units)
{
    struct layout l;
    struct cell c;
    layout_init(&l, s, n, tabw);
    for (;;) {
        if (l.unit < units)
            layout_skip_ascii(&l, units - l.unit);
        if (!layout_next(&l, &c))
            break;
        if (c.unit + c.units > units)
            return c.col;
    }
    return l.col;
}

size_t layout_units_at_col(const char *s, size_t n, unsigned tabw, size_t col)
{
    struct layout l;
    struct cell c;
    layout_init(&l, s, n, tabw);
    for (;;) {
        if (l.col < col)
            layout_skip_ascii(&l, col - l.col);
        if (!layout_next(&l, &c))
            break;
        if (col < c.col + c.width)
            return c.unit;
    }
    return l.unit;
}

size_t layout_width(const char *s, size_t n, unsigned tabw)
{
    struct layout l;
    struct cell c;
    layout_init(&l, s, n, tabw);
    do
        layout_skip_ascii(&l, SIZE_MAX);
    while (layout_next(&l, &c));
    return l.col;
}
