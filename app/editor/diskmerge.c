/* Disk changes merged into a document (diskmerge.h): two line diffs over the base, a sweep
 * that pairs them, then the edits applied from the last to the first.
 *
 * Offsets. A hunk list (base → X) maps a base offset b to X: before a hunk, b moves by the
 * hunk's shift (the stretches between hunks are equal in both texts); at a hunk's start it
 * goes to the start of its new text and at its end to the end of it; an insertion at b (an
 * empty base range) is passed when b starts a range ("right", so a disk hunk starting there
 * does not swallow what we inserted) and not when b ends one ("left"). Lookups come in
 * non-decreasing b, so a cursor walks each list once: the sweep is O(hunks).
 *
 * Overlap is strict: base ranges [r, s) and [p, q) overlap when r < q and p < s, so an empty
 * range overlaps only a range strictly around it, and two insertions at one point do not
 * overlap (ours comes first, by the right bias). A conflict region grows while any hunk of
 * either list overlaps it. */
#include "app/editor/diskmerge.h"

#include <stdlib.h>
#include <string.h>

#include "app/project/linediff.h"
#include "core/mem.h"
#include "core/undo.h"

/* A walk over one hunk list in non-decreasing base offsets. */
struct mapper {
    const struct ld_result *r;
    size_t i; /* first hunk that may matter to the next lookup */
};

static size_t map(struct mapper *m, size_t b, bool right)
{
    while (m->i < m->r->n) {
        const struct ld_hunk *h = &m->r->hunks[m->i];
        size_t s = h->old_off + h->old_len;
        if (b < h->old_off)
            return b - h->old_off + h->new_off;
        if (b > s) {
            m->i++;
            continue;
        }
        if (h->old_len == 0) /* an insertion at b */
            return right ? h->new_off + h->new_len : h->new_off;
        if (b == h->old_off)
            return h->new_off;
        if (b == s)
            return h->new_off + h->new_len;
        return right ? h->new_off + h->new_len : h->new_off; /* inside: not asked */
    }
    if (m->r->n == 0)
        return b;
    const struct ld_hunk *h = &m->r->hunks[m->r->n - 1];
    return b - (h->old_off + h->old_len) + h->new_off + h->new_len;
}

static bool overlaps(const struct ld_hunk *h, size_t lo, size_t hi)
{
    return h->old_off < hi && lo < h->old_off + h->old_len;
}

static size_t end_of(const struct ld_hunk *h)
{
    return h->old_off + h->old_len;
}

/* Bytes [off, off + len) of the current text become repl[0..n). */
struct edit {
    size_t off, len;
    const char *repl;
    size_t n;
};

struct plan {
    struct edit *e; /* owned; in increasing off, equal offs in text order */
    size_t n, cap;
};

static void add(struct plan *p, size_t off, size_t len, const char *repl, size_t n)
{
    if (len == 0 && n == 0)
        return;
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 16;
        p->e = wf_xreallocarray(p->e, p->cap, sizeof *p->e);
    }
    p->e[p->n++] = (struct edit){ off, len, repl, n };
}

/* The edits that bring the disk's change into cur (whose change from base is ours). */
static void plan_merge(const struct ld_result *disk_h, const struct ld_result *ours,
                       const char *cur, const char *disk, struct plan *p,
                       struct diskmerge_stats *st)
{
    struct mapper mo = { ours, 0 }, md = { disk_h, 0 };
    size_t i = 0, j = 0;
    while (i < disk_h->n) {
        const struct ld_hunk *d = &disk_h->hunks[i];
        while (j < ours->n && end_of(&ours->hunks[j]) <= d->old_off)
            j++; /* ours before d (an insertion at d's start included) stays as it is */
        if (j == ours->n || !overlaps(&ours->hunks[j], d->old_off, end_of(d))) {
            size_t a = map(&mo, d->old_off, true);
            size_t b = d->old_len ? map(&mo, end_of(d), false) : a;
            add(p, a, b - a, disk + d->new_off, d->new_len);
            st->hunks++;
            i++;
            continue;
        }
        /* a conflict: grow the region while a hunk of either side overlaps it */
        size_t lo = d->old_off < ours->hunks[j].old_off ? d->old_off : ours->hunks[j].old_off;
        size_t hi = end_of(d) > end_of(&ours->hunks[j]) ? end_of(d) : end_of(&ours->hunks[j]);
        for (bool grew = true; grew;) {
            grew = false;
            for (; i < disk_h->n && overlaps(&disk_h->hunks[i], lo, hi); i++, grew = true)
                hi = end_of(&disk_h->hunks[i]) > hi ? end_of(&disk_h->hunks[i]) : hi;
            for (; j < ours->n && overlaps(&ours->hunks[j], lo, hi); j++, grew = true)
                hi = end_of(&ours->hunks[j]) > hi ? end_of(&ours->hunks[j]) : hi;
        }
        size_t c0 = map(&mo, lo, true), c1 = map(&mo, hi, false);
        size_t d0 = map(&md, lo, true), d1 = map(&md, hi, false);
        if (c1 - c0 != d1 - d0 || (c1 > c0 && memcmp(cur + c0, disk + d0, c1 - c0) != 0))
            add(p, c1, 0, disk + d0, d1 - d0);
        st->conflicts++;
    }
}

/* The unit boundary at or before byte b, and the one at or after it. */
static size_t unit_floor(const wf_doc *doc, size_t b)
{
    return wf_doc_byte_to_pos(doc, b);
}

static size_t unit_ceil(const wf_doc *doc, size_t b)
{
    size_t pos = wf_doc_byte_to_pos(doc, b);
    return wf_doc_pos_to_byte(doc, pos) < b ? pos + 1 : pos;
}

/* Applies one edit, keeping the bytes its two sides share at the start and the end. */
static int apply(wf_doc *doc, const char *cur, const struct edit *e, bool *changed)
{
    size_t pre = 0, max = e->len < e->n ? e->len : e->n;
    while (pre < max && cur[e->off + pre] == e->repl[pre])
        pre++;
    size_t suf = 0;
    while (suf < max - pre && cur[e->off + e->len - 1 - suf] == e->repl[e->n - 1 - suf])
        suf++;
    size_t start = unit_floor(doc, e->off + pre);
    size_t end = unit_ceil(doc, e->off + e->len - suf);
    size_t b0 = (size_t)wf_doc_pos_to_byte(doc, start), b1 = (size_t)wf_doc_pos_to_byte(doc, end);
    /* [b0, b1) of cur becomes repl without the bytes outside it */
    size_t r0 = b0 - e->off, r1 = e->n - (e->off + e->len - b1);
    int err = wf_doc_delete(doc, start, end - start);
    if (err)
        return err;
    *changed = *changed || end > start;
    err = wf_doc_insert(doc, start, e->repl + r0, r1 - r0);
    *changed = *changed || (err == 0 && r1 > r0);
    return err;
}

int diskmerge(wf_doc *doc, const char *base, size_t base_len, const char *disk,
              size_t disk_len, struct diskmerge_stats *stats)
{
    struct diskmerge_stats st = { 0 };
    base = base ? base : ""; /* no arithmetic on NULL below */
    disk = disk ? disk : "";
    size_t cur_len;
    char *cur = wf_doc_text(doc, 0, wf_doc_len(doc), &cur_len);
    struct ld_result theirs, ours;
    int err = ld_diff(base, base_len, disk, disk_len, NULL, &theirs);
    if (err) {
        free(cur);
        return WF_ENOMEM;
    }
    err = ld_diff(base, base_len, cur, cur_len, NULL, &ours);
    if (err) {
        ld_result_free(&theirs);
        free(cur);
        return WF_ENOMEM;
    }
    st.fallback = theirs.fallback || ours.fallback;
    struct plan p = { 0 };
    plan_merge(&theirs, &ours, cur, disk, &p, &st);
    bool changed = false;
    if (p.n) {
        wf_doc_undo_break(doc);
        for (size_t k = p.n; k-- > 0 && err == 0;)
            err = apply(doc, cur, &p.e[k], &changed);
        wf_doc_undo_break(doc);
        if (err && changed) {
            int undone = wf_doc_undo(doc, NULL);
            (void)undone; /* WF_EEMPTY: the partial step cancelled itself out */
        }
    }
    free(p.e);
    ld_result_free(&theirs);
    ld_result_free(&ours);
    free(cur);
    if (stats)
        *stats = err ? (struct diskmerge_stats){ 0 } : st;
    return err;
}
