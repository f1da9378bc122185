/* Line diff (linediff.h): common ends cut by bytes, the middle lines hashed, then Myers'
 * linear-space bisection over the hashes with a step budget.
 *
 * Structure. ld_diff() cuts the common first and last lines, splits what is left into lines
 * (start offsets, so line i of a side is [off[i], off[i+1])), hashes each line to 64 bits and
 * runs split() on the whole range. split() cuts the common ends of its range, and either emits
 * the rest as one hunk (one side empty, or the budget spent) or finds the middle snake with
 * bisect() and recurses on both halves. Hunks come out in order, and emit() joins one to the
 * one before it when they touch, so no two hunks touch. Lines are equal when their hashes are;
 * verify() then compares every unchanged stretch byte for byte, and on a collision (never seen
 * in practice) the middle becomes one hunk, so the result is exact either way. Hashes rather
 * than interned numbers: interning needs a table probed at random, one cache miss per line,
 * which made a 100 MB file take seconds; hashing reads the text once, in order.
 *
 * bisect() is the forward/reverse search of Myers 1986 §4b as diff-match-patch writes it
 * (diff_bisect): v1[k] and v2[k] are the furthest x reached on diagonal k going forward from
 * (0,0) and backward from (N,M); when the paths overlap, the point where the forward one
 * stands splits the problem into two that each have at most about half the differences.
 * Reference: E. Myers, "An O(ND) Difference Algorithm and Its Variations", Algorithmica 1(2),
 * 1986. */
#include "app/project/linediff.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct side {
    const char *text;  /* the whole text */
    size_t base;       /* byte offset of line 0 of the middle */
    size_t line0;      /* line number (in the whole text) of line 0 of the middle */
    size_t n;          /* lines in the middle */
    size_t *off;       /* n + 1 byte offsets (from text) of the middle's line starts */
    uint64_t *id;      /* n line hashes: equal lines, equal hashes (see verify()) */
};

struct ctx {
    struct side a, b;
    int32_t *v1, *v2;  /* 2 * (maximal d) + 2 slots each, shared by every bisect() */
    size_t steps;      /* spent so far */
    size_t budget;
    bool fallback;
    struct ld_hunk *h; /* hunks so far */
    size_t n, cap;
    bool oom;
};

/* The number of lines in t[0..n), counting a last line without '\n'. */
static size_t count_lines(const char *t, size_t n)
{
    size_t lines = 0;
    for (const char *p = t, *end = t + n; p < end; lines++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    return lines;
}

/* The byte length of the common first lines of a and b, and their count in *lines. */
static size_t common_head(const char *a, size_t an, const char *b, size_t bn, size_t *lines)
{
    size_t n = an < bn ? an : bn, i = 0, last = 0, count = 0;
    while (i < n) {
        const char *nl = memchr(a + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - a) + 1 : n;
        if (memcmp(a + i, b + i, end - i) != 0)
            break;
        if (!nl) { /* a line without '\n' is whole only if it ends both texts */
            if (an == bn)
                last = end, count++;
            break;
        }
        i = last = end;
        count++;
    }
    *lines = count;
    return last;
}

/* The byte length of the common last lines of a and b, at most max bytes (so that the head and
 * the tail never share a byte): the longest common suffix that starts a line in both. */
static size_t common_tail(const char *a, size_t an, const char *b, size_t bn, size_t max)
{
    size_t k = 0, last = 0;
    while (k < max && a[an - 1 - k] == b[bn - 1 - k]) {
        k++;
        if ((k == an || a[an - 1 - k] == '\n') && (k == bn || b[bn - 1 - k] == '\n'))
            last = k;
    }
    return last;
}

static void emit(struct ctx *c, size_t a0, size_t a1, size_t b0, size_t b1)
{
    if (a0 == a1 && b0 == b1)
        return;
    size_t ao = c->a.off[a0], bo = c->b.off[b0];
    if (c->n > 0) {
        struct ld_hunk *last = &c->h[c->n - 1];
        if (last->old_off + last->old_len == ao && last->new_off + last->new_len == bo) {
            last->old_len = c->a.off[a1] - last->old_off;
            last->new_len = c->b.off[b1] - last->new_off;
            last->old_lines += a1 - a0;
            last->new_lines += b1 - b0;
            return;
        }
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        struct ld_hunk *h = realloc(c->h, cap * sizeof *h);
        if (!h) {
            c->oom = true;
            return;
        }
        c->h = h;
        c->cap = cap;
    }
    c->h[c->n++] = (struct ld_hunk){
        .old_off = ao, .old_len = c->a.off[a1] - ao,
        .new_off = bo, .new_len = c->b.off[b1] - bo,
        .old_line = c->a.line0 + a0, .old_lines = a1 - a0,
        .new_line = c->b.line0 + b0, .new_lines = b1 - b0,
    };
}

/* The middle snake of a[a0..a1) against b[b0..b1) (both non-empty, ends already differing):
 * stores the split point in *x, *y (relative to a0, b0) and returns true, or false when the
 * budget ran out first. */
static bool bisect(struct ctx *c, size_t a0, size_t a1, size_t b0, size_t b1, size_t *x,
                   size_t *y)
{
    const uint64_t *A = c->a.id + a0, *B = c->b.id + b0;
    const int32_t N = (int32_t)(a1 - a0), M = (int32_t)(b1 - b0);
    const int32_t max_d = (N + M + 1) / 2, voff = max_d, vlen = 2 * max_d + 2;
    int32_t *v1 = c->v1, *v2 = c->v2;
    c->steps += (size_t)vlen;
    for (int32_t i = 0; i < vlen; i++)
        v1[i] = v2[i] = -1;
    v1[voff + 1] = v2[voff + 1] = 0;
    const int32_t delta = N - M;
    const bool front = (delta & 1) != 0;
    int32_t k1start = 0, k1end = 0, k2start = 0, k2end = 0;
    for (int32_t d = 0; d < max_d; d++) {
        c->steps += 2 * (size_t)d + 2;
        if (c->steps > c->budget)
            return false;
        for (int32_t k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
            int32_t ko = voff + k1, x1;
            if (k1 == -d || (k1 != d && v1[ko - 1] < v1[ko + 1]))
                x1 = v1[ko + 1];
            else
                x1 = v1[ko - 1] + 1;
            int32_t y1 = x1 - k1, x0 = x1;
            while (x1 < N && y1 < M && A[x1] == B[y1])
                x1++, y1++;
            c->steps += (size_t)(x1 - x0);
            v1[ko] = x1;
            if (x1 > N) {
                k1end += 2;
            } else if (y1 > M) {
                k1start += 2;
            } else if (front) {
                int32_t k2o = voff + delta - k1;
                if (k2o >= 0 && k2o < vlen && v2[k2o] != -1 && x1 >= N - v2[k2o]) {
                    *x = (size_t)x1, *y = (size_t)y1;
                    return true;
                }
            }
        }
        for (int32_t k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
            int32_t ko = voff + k2, x2;
            if (k2 == -d || (k2 != d && v2[ko - 1] < v2[ko + 1]))
                x2 = v2[ko + 1];
            else
                x2 = v2[ko - 1] + 1;
            int32_t y2 = x2 - k2, x0 = x2;
            while (x2 < N && y2 < M && A[N - x2 - 1] == B[M - y2 - 1])
                x2++, y2++;
            c->steps += (size_t)(x2 - x0);
            v2[ko] = x2;
            if (x2 > N) {
                k2end += 2;
            } else if (y2 > M) {
                k2start += 2;
            } else if (!front) {
                int32_t k1o = voff + delta - k2;
                if (k1o >= 0 && k1o < vlen && v1[k1o] != -1) {
                    int32_t x1 = v1[k1o], y1 = voff + x1 - k1o;
                    if (x1 >= N - x2) {
                        *x = (size_t)x1, *y = (size_t)y1;
                        return true;
                    }
                }
            }
        }
    }
    /* no common line at all: the caller replaces the whole range */
    *x = (size_t)N, *y = (size_t)M;
    return true;
}

/* Recursion depth is O(log D) on typical inputs and bounded by the budget otherwise: every
 * level spends steps. */
static void split(struct ctx *c, size_t a0, size_t a1, size_t b0, size_t b1)
{
    const uint64_t *A = c->a.id, *B = c->b.id;
    while (a0 < a1 && b0 < b1 && A[a0] == B[b0])
        a0++, b0++;
    while (a0 < a1 && b0 < b1 && A[a1 - 1] == B[b1 - 1])
        a1--, b1--;
    if (a0 == a1 || b0 == b1 || c->oom) {
        emit(c, a0, a1, b0, b1);
        return;
    }
    size_t x, y;
    if (!bisect(c, a0, a1, b0, b1, &x, &y)) {
        c->fallback = true;
        emit(c, a0, a1, b0, b1);
        return;
    }
    if ((x == 0 && y == 0) || (x == a1 - a0 && y == b1 - b0)) {
        emit(c, a0, a1, b0, b1); /* no split: the range has no common line */
        return;
    }
    split(c, a0, a0 + x, b0, b0 + y);
    split(c, a0 + x, a1, b0 + y, b1);
}

/* Line start offsets of text[base..base+len) into s->off (n + 1 of them). */
static int index_lines(struct side *s, size_t len)
{
    s->off = malloc((s->n + 1) * sizeof *s->off);
    if (!s->off)
        return -ENOMEM;
    const char *t = s->text + s->base, *end = t + len;
    size_t i = 0;
    for (const char *p = t; p < end; i++) {
        s->off[i] = s->base + (size_t)(p - t);
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    s->off[i] = s->base + len;
    return 0;
}

/* A word at a time, then murmur3's finaliser, so that lines differing in one digit spread over
 * the whole table (linear probing needs good low bits). */
static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15u ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x87c37b91114253d5u;
        h = h << 31 | h >> 33;
    }
    uint64_t w = 0;
    memcpy(&w, p + i, n - i);
    h ^= w;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    h ^= h >> 33;
    return h;
}

/* Line hashes of a side's middle into s->id (n of them, plus one spare). */
static int hash_lines(struct side *s)
{
    s->id = malloc((s->n + 1) * sizeof *s->id);
    if (!s->id)
        return -ENOMEM;
    for (size_t i = 0; i < s->n; i++)
        s->id[i] = hash_bytes(s->text + s->off[i], s->off[i + 1] - s->off[i]);
    return 0;
}

/* True when every stretch between the hunks is the same bytes in both texts: lines were
 * compared by 64-bit hash, and this is what makes a collision harmless (about one chance in
 * 10^10 for two 100 MB files). */
static bool verify(const struct ctx *c)
{
    size_t at = c->a.base, nat = c->b.base;
    for (size_t i = 0; i <= c->n; i++) {
        size_t ao = i < c->n ? c->h[i].old_off : c->a.off[c->a.n];
        size_t bo = i < c->n ? c->h[i].new_off : c->b.off[c->b.n];
        if (ao - at != bo - nat || memcmp(c->a.text + at, c->b.text + nat, ao - at) != 0)
            return false;
        if (i < c->n)
            at = ao + c->h[i].old_len, nat = bo + c->h[i].new_len;
    }
    return true;
}

static void ctx_free(struct ctx *c)
{
    free(c->a.off);
    free(c->b.off);
    free(c->a.id);
    free(c->b.id);
    free(c->v1);
    free(c->v2);
}

/* The middle as one hunk (no line index needed). */
static int one_hunk(struct ld_result *out, size_t head, size_t head_lines, size_t an,
                    size_t bn, size_t a_lines, size_t b_lines)
{
    out->hunks = malloc(sizeof *out->hunks);
    if (!out->hunks)
        return -ENOMEM;
    out->hunks[0] = (struct ld_hunk){
        .old_off = head, .old_len = an, .new_off = head, .new_len = bn,
        .old_line = head_lines, .old_lines = a_lines,
        .new_line = head_lines, .new_lines = b_lines,
    };
    out->n = 1;
    return 0;
}

int ld_diff(const char *old, size_t old_len, const char *new, size_t new_len,
            const struct ld_limits *lim, struct ld_result *out)
{
    *out = (struct ld_result){ 0 };
    old = old ? old : ""; /* no arithmetic on NULL below */
    new = new ? new : "";
    size_t budget = lim && lim->budget ? lim->budget : LD_BUDGET;
    size_t lines_max = lim && lim->lines_max ? lim->lines_max : LD_LINES_MAX;
    if (lines_max > LD_LINES_MAX)
        lines_max = LD_LINES_MAX;
    size_t head_lines;
    size_t head = common_head(old, old_len, new, new_len, &head_lines);
    if (head == old_len && head == new_len)
        return 0;
    size_t max_tail = (old_len < new_len ? old_len : new_len) - head;
    size_t tail = common_tail(old + head, old_len - head, new + head, new_len - head, max_tail);
    size_t an = old_len - head - tail, bn = new_len - head - tail;
    struct ctx c = {
        .a = { .text = old, .base = head, .line0 = head_lines },
        .b = { .text = new, .base = head, .line0 = head_lines },
        .budget = budget,
    };
    c.a.n = count_lines(old + head, an);
    c.b.n = count_lines(new + head, bn);
    if (c.a.n == 0 || c.b.n == 0 || c.a.n + c.b.n > lines_max) {
        out->fallback = c.a.n != 0 && c.b.n != 0;
        return one_hunk(out, head, head_lines, an, bn, c.a.n, c.b.n);
    }
    int32_t vlen = (int32_t)((c.a.n + c.b.n + 1) / 2) * 2 + 2;
    c.v1 = malloc((size_t)vlen * sizeof *c.v1);
    c.v2 = malloc((size_t)vlen * sizeof *c.v2);
    int err = c.v1 && c.v2 ? 0 : -ENOMEM;
    if (!err)
        err = index_lines(&c.a, an);
    if (!err)
        err = index_lines(&c.b, bn);
    if (!err)
        err = hash_lines(&c.a);
    if (!err)
        err = hash_lines(&c.b);
    if (!err) {
        split(&c, 0, c.a.n, 0, c.b.n);
        err = c.oom ? -ENOMEM : 0;
    }
    bool same = !err && verify(&c);
    ctx_free(&c);
    if (err || !same) {
        free(c.h);
        if (err)
            return err;
        out->fallback = true;
        return one_hunk(out, head, head_lines, an, bn, c.a.n, c.b.n);
    }
    out->hunks = c.h;
    out->n = c.n;
    out->fallback = c.fallback;
    return 0;
}

void ld_result_free(struct ld_result *r)
{
    free(r->hunks);
    *r = (struct ld_result){ 0 };
}
