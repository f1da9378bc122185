/* Highlighting (see highlight.h).
 *
 * The cache: ckpt[i] is the exact state at the start of line i * HL_STRIDE, for i < nckpt
 * (ckpt[0] = 0: nothing is open at the top). `cur` remembers the last state computed, at
 * the start of the line after the last one drawn or scanned, so drawing a screen top to
 * bottom costs one line's matching per line; it is exact or estimated, as it says. An
 * invalidation at line L keeps the checkpoints at or above L and the cursor if it is not
 * below L: states at or above the first changed line cannot have changed.
 *
 * A line's work: its bytes are fetched into a buffer the highlighter owns (whole when it
 * is at most HL_FULL_LINE bytes, else only the window), then the rules run in order over a
 * paint array of one style per byte of the window, and the array is cut into spans. Region
 * rules run over the whole line (when it is not too long) so the state entering the window
 * and leaving the line is exact; single-line rules run on the window only. */
#include "app/editor/highlight.h"

#include <stdlib.h>
#include <string.h>

#include "app/editor/lines.h"
#include "app/editor/text.h"
#include "core/mem.h"

#ifndef REG_STARTEND
#error "weft's highlighter needs regexec() with REG_STARTEND (glibc, musl 1.2.4+, the BSDs)"
#endif

struct cursor {
    size_t line;    /* the state below is at this line's start */
    uint64_t state; /* one bit per region rule: open at the line's start */
    bool valid;
    bool exact;     /* false: estimated from a guess (see highlight.h) */
};

struct hl {
    const struct syn_syntax *syn;
    size_t *rules;                 /* indexes of the usable rules, painting order; owned */
    size_t nrules;
    size_t *regions;               /* indexes of the usable region rules; owned */
    size_t nregions;
    uint64_t *ckpt;                /* exact states at lines i * HL_STRIDE; owned */
    size_t nckpt, capckpt;         /* nckpt >= 1 */
    struct cursor cur;
    bool last_exact;               /* see hl_last_exact() */
    char *text;                    /* the fetched bytes of the line drawn; owned */
    size_t textcap;
    syn_style *paint;              /* one style per byte of the window; owned */
    size_t paintcap;
    struct hl_span *spans;         /* the answer of hl_line(); owned */
    size_t nspans, capspans;
};

struct hl *hl_new(struct syn_set *set, struct syn_syntax *syn)
{
    syn_compile(set, syn);
    struct hl *hl = wf_xcalloc(1, sizeof *hl);
    size_t n;
    const struct syn_rule *r = syn_rules(syn, &n);
    hl->syn = syn;
    hl->rules = wf_xcalloc(n ? n : 1, sizeof *hl->rules);
    hl->regions = wf_xcalloc(n ? n : 1, sizeof *hl->regions);
    for (size_t i = 0; i < n; i++) {
        if (!r[i].usable)
            continue;
        hl->rules[hl->nrules++] = i;
        if (r[i].end)
            hl->regions[hl->nregions++] = i;
    }
    hl->capckpt = 64;
    hl->ckpt = wf_xcalloc(hl->capckpt, sizeof *hl->ckpt);
    hl->paintcap = 256;
    hl->paint = wf_xcalloc(hl->paintcap, sizeof *hl->paint);
    hl->nckpt = 1;
    hl->last_exact = true;
    return hl;
}

void hl_free(struct hl *hl)
{
    if (!hl)
        return;
    free(hl->rules);
    free(hl->regions);
    free(hl->ckpt);
    free(hl->text);
    free(hl->paint);
    free(hl->spans);
    free(hl);
}

void hl_invalidate(struct hl *hl, size_t line)
{
    if (hl->nckpt > line / HL_STRIDE + 1)
        hl->nckpt = line / HL_STRIDE + 1;
    if (hl->cur.valid && hl->cur.line > line)
        hl->cur.valid = false;
}

/* --- matching ---------------------------------------------------------------------------- */

/* The first match of re in t[from..to) (t has at least `to` bytes; it is seen as ending at
 * `to`); offsets are from t. */
static bool find(const regex_t *re, const char *t, size_t from, size_t to, int eflags,
                 size_t *so, size_t *eo)
{
    regmatch_t m = { .rm_so = (regoff_t)from, .rm_eo = (regoff_t)to };
    if (regexec(re, t, 1, &m, eflags | REG_STARTEND) != 0)
        return false;
    *so = (size_t)m.rm_so;
    *eo = (size_t)m.rm_eo;
    return true;
}

/* The offset after the character at i (a UTF-8 lead byte and its continuation bytes). */
static size_t step(const char *t, size_t n, size_t i)
{
    i++;
    while (i < n && ((unsigned char)t[i] & 0xc0) == 0x80)
        i++;
    return i;
}

/* Where a painting goes: bytes [lo, hi) of t, into paint[0..hi-lo). */
struct canvas {
    syn_style *paint; /* NULL: only the state is wanted */
    size_t lo, hi;
};

static void paint(const struct canvas *cv, size_t a, size_t b, syn_style s)
{
    if (!cv->paint)
        return;
    if (a < cv->lo)
        a = cv->lo;
    if (b > cv->hi)
        b = cv->hi;
    for (size_t i = a; i < b; i++)
        cv->paint[i - cv->lo] = s;
}

/* A region rule over t[0..n), from state *st (its bit: open at t[0]); leaves in *st the
 * state at t[n]. As nano: inside, the end is looked for first; then each start, and the
 * end after it; a start without an end leaves the region open. */
static void run_region(const struct syn_rule *r, const char *t, size_t n, int eflags,
                       uint64_t *st, const struct canvas *cv)
{
    uint64_t bit = (uint64_t)1 << r->region;
    size_t pos = 0, so, eo;
    if (*st & bit) {
        if (!find(&r->end_re, t, 0, n, eflags, &so, &eo)) {
            paint(cv, 0, n, r->style);
            return;
        }
        paint(cv, 0, eo, r->style);
        *st &= ~bit;
        pos = eo;
    }
    while (pos <= n && find(&r->start_re, t, pos, n, eflags, &so, &eo)) {
        size_t es, ee;
        if (!find(&r->end_re, t, eo, n, eflags, &es, &ee)) {
            paint(cv, so, n, r->style);
            *st |= bit;
            return;
        }
        paint(cv, so, ee, r->style);
        if (ee > so)
            pos = ee;
        else if (so < n)
            pos = step(t, n, so);
        else
            break;
    }
}

/* A single-line rule: each match in t[from..to). */
static void run_single(const struct syn_rule *r, const char *t, size_t from, size_t to,
                       int eflags, const struct canvas *cv)
{
    size_t pos = from, so, eo;
    while (pos < to && find(&r->start_re, t, pos, to, eflags, &so, &eo)) {
        if (eo == so) {
            pos = step(t, to, so);
            continue;
        }
        paint(cv, so, eo, r->style);
        pos = eo;
    }
}

/* --- lines ------------------------------------------------------------------------------- */

/* A line of the document: its units and its byte extent. */
struct line {
    struct line_info li;
    uint64_t b0; /* document byte offset of its first byte */
    size_t len;  /* bytes of its content */
};

static bool get_line(const wf_doc *doc, size_t n, struct line *l)
{
    if (n > wf_doc_newlines(doc))
        return false;
    text_line(doc, n, &l->li);
    l->b0 = wf_doc_pos_to_byte(doc, l->li.start);
    l->len = (size_t)(wf_doc_pos_to_byte(doc, l->li.end) - l->b0);
    return true;
}

/* Copies the bytes of the units covering bytes [lo, hi) of the line into hl->text; returns
 * their number, and in *base the line offset of the first (<= lo: a unit boundary). */
static size_t fetch(struct hl *hl, const wf_doc *doc, const struct line *l, size_t lo,
                    size_t hi, size_t *base)
{
    size_t u0 = lo == 0 ? l->li.start : wf_doc_byte_to_pos(doc, l->b0 + lo);
    size_t u1 = hi >= l->len ? l->li.end : wf_doc_byte_to_pos(doc, l->b0 + hi);
    if (u1 < l->li.end && wf_doc_pos_to_byte(doc, u1) < l->b0 + hi)
        u1++;
    *base = (size_t)(wf_doc_pos_to_byte(doc, u0) - l->b0);
    size_t need = (size_t)(wf_doc_pos_to_byte(doc, u1) - l->b0) - *base;
    if (need + 1 > hl->textcap) {
        hl->textcap = need + 1;
        hl->text = wf_xrealloc(hl->text, hl->textcap);
    }
    size_t got = 0;
    wf_iter it;
    const char *p;
    size_t n;
    wf_iter_init(&it, doc, u0, u1 - u0);
    while (wf_iter_next(&it, &p, &n) && got < need) {
        if (n > need - got)
            n = need - got;
        memcpy(hl->text + got, p, n);
        got += n;
    }
    hl->text[got] = '\0';
    return got;
}

/* The region rules over one line's content t[0..n): the state after it. */
static uint64_t regions_over(const struct hl *hl, const char *t, size_t n, uint64_t st)
{
    size_t nr;
    const struct syn_rule *r = syn_rules(hl->syn, &nr);
    struct canvas none = { 0 };
    for (size_t i = 0; i < hl->nregions; i++)
        run_region(&r[hl->regions[i]], t, n, 0, &st, &none);
    return st;
}

/* Records st as the state at the start of line n, if that extends the checkpoints. */
static void record(struct hl *hl, size_t n, uint64_t st)
{
    if (n % HL_STRIDE != 0 || n / HL_STRIDE != hl->nckpt)
        return;
    if (hl->nckpt == hl->capckpt) {
        hl->capckpt *= 2;
        hl->ckpt = wf_xreallocarray(hl->ckpt, hl->capckpt, sizeof *hl->ckpt);
    }
    hl->ckpt[hl->nckpt++] = st;
}

/* Scans whole lines from the start of line `from` in state st, in one pass over the
 * document (app/editor/lines.h). Stops at the start of line `to`, or at the first line
 * start after `budget` bytes. Exact scans record checkpoints. Returns the state there;
 * *stop gets the line. A line whose content is over HL_FULL_LINE bytes passes the state on
 * (highlight.h). */
static uint64_t scan(struct hl *hl, const wf_doc *doc, size_t from, size_t to, uint64_t st,
                     bool exact, size_t budget, size_t *stop)
{
    size_t last = wf_doc_newlines(doc);
    if (to > last)
        to = last;
    *stop = from;
    if (from >= to || hl->nregions == 0)
        return st;
    struct line_stream ls;
    line_stream_init(&ls, doc, from, HL_FULL_LINE);
    size_t n = from;
    uint64_t first = 0;
    while (n < to && line_stream_next(&ls)) {
        if (n == from)
            first = ls.offset;
        if (ls.text)
            st = regions_over(hl, ls.text, ls.len, st);
        n++;
        if (exact)
            record(hl, n, st);
        if (ls.next_offset - first >= budget)
            break;
    }
    line_stream_close(&ls);
    *stop = n;
    return st;
}

/* The state at the start of line n: exact when the lines between the last exact state and
 * n hold at most HL_SCAN_UNITS units, else estimated. */
static uint64_t state_at(struct hl *hl, const wf_doc *doc, size_t n, bool *exact)
{
    *exact = true;
    if (hl->nregions == 0)
        return 0;
    size_t c = n / HL_STRIDE < hl->nckpt ? n / HL_STRIDE : hl->nckpt - 1;
    size_t from = c * HL_STRIDE;
    uint64_t st = hl->ckpt[c];
    struct cursor *cur = &hl->cur;
    if (cur->valid && cur->exact && cur->line <= n && cur->line > from) {
        from = cur->line;
        st = cur->state;
    }
    size_t un = wf_doc_line_start(doc, n);
    if (un - wf_doc_line_start(doc, from) <= HL_SCAN_UNITS) {
        st = scan(hl, doc, from, n, st, true, SIZE_MAX, &from);
    } else {
        *exact = false;
        if (cur->valid && !cur->exact && cur->line <= n &&
            un - wf_doc_line_start(doc, cur->line) <= HL_SCAN_UNITS) {
            from = cur->line;
            st = cur->state;
        } else {
            from = wf_doc_line_of(doc, un - HL_GUESS_UNITS);
            st = 0;
        }
        st = scan(hl, doc, from, n, st, false, SIZE_MAX, &from);
    }
    *cur = (struct cursor){ .line = n, .state = st, .valid = true, .exact = *exact };
    return st;
}

/* Cuts paint[0..n) (line offsets lo..lo+n) into the spans of hl. */
static void make_spans(struct hl *hl, size_t lo, size_t n)
{
    hl->nspans = 0;
    for (size_t i = 0; i < n;) {
        syn_style s = hl->paint[i];
        size_t j = i + 1;
        while (j < n && hl->paint[j] == s)
            j++;
        if (s != SYN_STYLE_NONE) {
            if (hl->nspans == hl->capspans) {
                hl->capspans = hl->capspans ? hl->capspans * 2 : 32;
                hl->spans = wf_xreallocarray(hl->spans, hl->capspans, sizeof *hl->spans);
            }
            hl->spans[hl->nspans++] = (struct hl_span){ lo + i, lo + j, s };
        }
        i = j;
    }
}

const struct hl_span *hl_line(struct hl *hl, const wf_doc *doc, size_t line, size_t lo,
                              size_t hi, size_t *n)
{
    struct line l;
    hl->nspans = 0;
    *n = 0;
    if (!get_line(doc, line, &l))
        return hl->spans;
    bool exact;
    uint64_t st = state_at(hl, doc, line, &exact);
    hl->last_exact = exact && l.len <= HL_FULL_LINE;
    if (hi > l.len)
        hi = l.len;
    if (lo > hi)
        lo = hi;
    size_t wlo = 0, whi = l.len; /* the window painted, in line offsets */
    if (l.len > HL_PAINT_WHOLE) {
        wlo = lo > HL_MARGIN ? lo - HL_MARGIN : 0;
        whi = l.len - hi > HL_MARGIN ? hi + HL_MARGIN : l.len;
    }
    bool whole = l.len <= HL_FULL_LINE;
    size_t base, tn = fetch(hl, doc, &l, whole ? 0 : wlo, whole ? l.len : whi, &base);
    if (!whole) {
        wlo = base;
        whi = base + tn;
    }
    size_t wn = whi - wlo;
    if (wn > hl->paintcap) {
        hl->paintcap = wn;
        hl->paint = wf_xreallocarray(hl->paint, wn, sizeof *hl->paint);
    }
    memset(hl->paint, 0, wn * sizeof *hl->paint);
    /* Offsets below are into hl->text, which starts at line offset `base`. */
    struct canvas cv = { hl->paint, wlo - base, whi - base };
    int eflags = (base > 0 ? REG_NOTBOL : 0) | (base + tn < l.len ? REG_NOTEOL : 0);
    int single_eflags = eflags | (whi < l.len ? REG_NOTEOL : 0);
    uint64_t out = st;
    size_t nr;
    const struct syn_rule *rules = syn_rules(hl->syn, &nr);
    for (size_t i = 0; i < hl->nrules; i++) {
        const struct syn_rule *r = &rules[hl->rules[i]];
        if (r->end)
            run_region(r, hl->text, tn, eflags, &out, &cv);
        else
            run_single(r, hl->text, wlo - base, whi - base, single_eflags, &cv);
    }
    make_spans(hl, wlo, wn);
    if (!whole)
        out = st; /* a very long line passes its state on unchanged (highlight.h) */
    if (hl->nregions) {
        if (exact)
            record(hl, line + 1, out);
        hl->cur = (struct cursor){ .line = line + 1, .state = out, .valid = true,
                                   .exact = exact };
    }
    *n = hl->nspans;
    return hl->spans;
}

bool hl_last_exact(const struct hl *hl)
{
    return hl->last_exact;
}

size_t hl_exact_lines(const struct hl *hl)
{
    size_t n = (hl->nckpt - 1) * HL_STRIDE;
    if (hl->cur.valid && hl->cur.exact && hl->cur.line > n)
        n = hl->cur.line;
    return n + 1;
}

bool hl_catch_up(struct hl *hl, const wf_doc *doc, size_t bytes)
{
    size_t last = wf_doc_newlines(doc);
    if (hl->nregions == 0)
        return false;
    size_t from = hl_exact_lines(hl) - 1, stop;
    uint64_t st = (hl->cur.valid && hl->cur.exact && hl->cur.line == from)
                      ? hl->cur.state : hl->ckpt[from / HL_STRIDE];
    st = scan(hl, doc, from, last, st, true, bytes, &stop);
    if (stop > from)
        hl->cur = (struct cursor){ .line = stop, .state = st, .valid = true, .exact = true };
    return stop < last;
}

size_t hl_memory(const struct hl *hl)
{
    return sizeof *hl + hl->capckpt * sizeof *hl->ckpt + hl->textcap +
           hl->paintcap * sizeof *hl->paint + hl->capspans * sizeof *hl->spans +
           2 * (hl->nrules + 1) * sizeof *hl->rules;
}
