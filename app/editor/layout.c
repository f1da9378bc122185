/* Line layout (see layout.h).
 *
 * Cells come from one left-to-right pass: decode a unit with the core's segmentation (so an
 * invalid byte here is the same unit the core counts), then extend a cluster while
 * utf8proc says there is no grapheme break (UAX #29, extended clusters, state carried for
 * emoji ZWJ sequences and regional-indicator pairs; check_app_grapheme holds the cells to
 * every line of Unicode's GraphemeBreakTest.txt). Widths come from utf8proc's East Asian
 * Width tables, not the C library's, so they do not depend on the locale, with the rules
 * of layout.h on top: what a cluster's first character carries adds nothing, except a
 * spacing mark (one column, as terminals draw it), and emoji presentation or a flag makes
 * it 2. A cluster whose first characters cannot be drawn (a lone format character, an
 * unassigned code point) shows them as escapes, then the rest of the cluster as text. */
#include "app/editor/layout.h"

#include <stdio.h>
#include <string.h>
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

/* A non-spacing mark: a cluster that starts with one is drawn on a space. */
static bool is_lone_mark(const utf8proc_property_t *pr)
{
    return pr->category == UTF8PROC_CATEGORY_MN || pr->category == UTF8PROC_CATEGORY_ME;
}

/* Width of the escaped form \uXXXX of cp. */
static unsigned escape_width(int32_t cp)
{
    char tmp[16];
    return (unsigned)snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)cp);
}

/* Whether cp (properties pr) is shown as an escape when nothing before it in its cluster
 * can carry it: a C1 control, an unassigned code point, a zero-width character that is not
 * a mark (a BOM, a ZWJ, U+0600 ARABIC NUMBER SIGN). */
static bool escaped_alone(int32_t cp, const utf8proc_property_t *pr)
{
    if (pr->category == UTF8PROC_CATEGORY_CN)
        return true;
    if (pr->charwidth > 0) /* (C1 controls have none) */
        return false;
    return (cp >= 0x80 && cp <= 0x9f) || !is_mark((utf8proc_category_t)pr->category);
}

/* Whether a code point of utf8proc boundclass `bc` can join a cluster that starts with one of
 * boundclass Other (UAX #29 GB9, GB9a); no other rule keeps such a cluster together. This
 * spares most text the stateful break call; check_app_layout holds utf8proc to it over
 * every code point. */
bool layout_joins_other(int bc)
{
    return bc == UTF8PROC_BOUNDCLASS_EXTEND || bc == UTF8PROC_BOUNDCLASS_ZWJ
           || bc == UTF8PROC_BOUNDCLASS_SPACINGMARK;
}

/* Columns that a code point adds to the text cluster it joins (not its first): a spacing
 * mark one; what rides on the first (marks, ZWJ, the vowels and finals of a Hangul
 * syllable) nothing; a character that a prepended one joins its own width. */
static unsigned joined_width(const utf8proc_property_t *pr)
{
    switch (pr->boundclass) {
    case UTF8PROC_BOUNDCLASS_SPACINGMARK:
        return 1;
    case UTF8PROC_BOUNDCLASS_EXTEND: case UTF8PROC_BOUNDCLASS_ZWJ:
    case UTF8PROC_BOUNDCLASS_L: case UTF8PROC_BOUNDCLASS_V: case UTF8PROC_BOUNDCLASS_T:
    case UTF8PROC_BOUNDCLASS_LV: case UTF8PROC_BOUNDCLASS_LVT:
        return 0;
    default:
        return pr->category == UTF8PROC_CATEGORY_MC ? 1 : (unsigned)pr->charwidth;
    }
}

/* Display width of a cluster's text s[0..n) (after its escapes, if any): its first
 * character's, plus what joined_width() adds; an emoji's (a pictograph or a regional
 * indicator first) only grows to 2, by U+FE0F or a second regional indicator. */
static unsigned text_width(const char *s, size_t n)
{
    size_t len;
    int32_t cp = wf_utf8_decode(s, n, &len);
    const utf8proc_property_t *pr = utf8proc_get_property(cp);
    bool emoji = pr->boundclass == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC
                 || pr->boundclass == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR;
    unsigned w = (unsigned)pr->charwidth;
    for (size_t off = len; off < n; off += len) {
        int32_t next = wf_utf8_decode(s + off, n - off, &len);
        const utf8proc_property_t *np = utf8proc_get_property(next);
        if (next == 0xfe0f || (emoji && np->boundclass == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR))
            w = w < 2 ? 2 : w;
        else if (!emoji)
            w += joined_width(np);
    }
    return w > 0 ? w : 1;
}

/* Extends the cluster that starts with cp (len bytes, properties pr) as far as UAX #29
 * keeps it together; sets c->len, c->units and c->esc_len (its leading code points shown as
 * escapes, each escaped_alone() with nothing drawable before it). */
static void take_cluster(struct layout *l, struct cell *c, int32_t cp, size_t len,
                         const utf8proc_property_t *pr)
{
    utf8proc_int32_t state = 0;
    int32_t prev = cp;
    bool escaping = escaped_alone(cp, pr);
    c->len = len;
    c->units = 1;
    c->esc_len = escaping ? len : 0;
    while (l->off + c->len < l->n) {
        size_t nl;
        int32_t next = wf_utf8_decode(l->s + l->off + c->len, l->n - l->off - c->len, &nl);
        if (WF_UTF8_IS_RAW(next))
            break;
        const utf8proc_property_t *np = utf8proc_get_property(next);
        if (utf8proc_grapheme_break_stateful(prev, next, &state))
            break;
        escaping = escaping && escaped_alone(next, np);
        c->len += nl;
        c->units++;
        if (escaping)
            c->esc_len = c->len;
        prev = next;
    }
}

/* Whether the code point after the len bytes at l->off joins a cluster of class Other. */
static bool next_joins_other(const struct layout *l, size_t len)
{
    if (l->off + len >= l->n)
        return false;
    size_t nl;
    int32_t next = wf_utf8_decode(l->s + l->off + len, l->n - l->off - len, &nl);
    return !WF_UTF8_IS_RAW(next) && layout_joins_other(utf8proc_get_property(next)->boundclass);
}

/* Fills c's kind, escapes and width for a cluster of valid text that starts with cp. */
static void text_cell(struct layout *l, struct cell *c, int32_t cp, size_t len)
{
    const utf8proc_property_t *pr = utf8proc_get_property(cp);
    unsigned w = pr->charwidth;
    if (w > 0 && pr->boundclass == UTF8PROC_BOUNDCLASS_OTHER
        && pr->category != UTF8PROC_CATEGORY_CN && !next_joins_other(l, len)) {
        c->kind = CELL_TEXT; /* most text: a visible character, a cell of its own */
        c->width = w;
        return;
    }
    take_cluster(l, c, cp, len, pr);
    const char *s = l->s + c->off;
    if (c->esc_len) {
        unsigned esc = 0;
        for (size_t off = 0, k; off < c->esc_len; off += k)
            esc += escape_width(wf_utf8_decode(s + off, c->esc_len - off, &k));
        c->kind = CELL_ESCAPED;
        c->width = esc;
        if (c->esc_len < c->len)
            c->width += text_width(s + c->esc_len, c->len - c->esc_len);
        return;
    }
    c->kind = is_lone_mark(pr) ? CELL_LONE : CELL_TEXT;
    c->width = text_width(s, c->len);
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
    c->esc_len = 0;
    if (WF_UTF8_IS_RAW(cp)) {
        c->kind = CELL_ESCAPED;
        c->width = 4; /* \x9f */
        c->esc_len = len;
    } else if (cp == '\t') {
        c->kind = CELL_TAB;
        c->width = l->tabw - (unsigned)(l->col % l->tabw);
    } else if (cp < 0x20 || cp == 0x7f) {
        c->kind = CELL_CTRL;
        c->width = 2;
        if (cp == '\r' && l->off + 1 < l->n && l->s[l->off + 1] == '\n') { /* GB3 */
            c->len = c->units = 2;
            c->width = 4;
        }
        c->esc_len = c->len;
    } else {
        text_cell(l, c, cp, len);
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
    size_t cols = 0, used = 0;
    if (size)
        out[0] = '\0';
    for (size_t off = c->off, len; off < c->off + c->esc_len; off += len) {
        int32_t cp = wf_utf8_decode(s + off, c->off + c->esc_len - off, &len);
        char one[16];
        int n;
        if (WF_UTF8_IS_RAW(cp))
            n = snprintf(one, sizeof one, "\\x%02x", WF_UTF8_RAW_BYTE(cp));
        else if (cp < 0x20 || cp == 0x7f)
            n = snprintf(one, sizeof one, "^%c", (char)(cp ^ 0x40));
        else
            n = snprintf(one, sizeof one, "\\u%04x", (unsigned)cp);
        if (n < 0)
            continue;
        cols += (size_t)n;
        if (used + (size_t)n < size) {
            memcpy(out + used, one, (size_t)n + 1);
            used += (size_t)n;
        }
    }
    return cols;
}

bool layout_rest(const char *s, const struct cell *c, struct cell *rest)
{
    if (c->kind != CELL_ESCAPED || c->esc_len >= c->len)
        return false;
    size_t len;
    const char *t = s + c->off + c->esc_len;
    size_t n = c->len - c->esc_len;
    int32_t cp = wf_utf8_decode(t, n, &len);
    size_t esc_units = wf_utf8_count(s + c->off, c->esc_len, NULL);
    *rest = (struct cell){
        .off = c->off + c->esc_len, .len = n, .unit = c->unit + esc_units,
        .units = c->units - esc_units, .col = c->col + layout_escape(s, c, NULL, 0),
        .width = text_width(t, n),
        .kind = is_lone_mark(utf8proc_get_property(cp)) ? CELL_LONE : CELL_TEXT,
    };
    return true;
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
