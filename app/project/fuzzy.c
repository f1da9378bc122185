/* Fuzzy matching (fuzzy.h): a subsequence check, then fzf's scoring table over the stretch of
 * the path that can hold the match, then the top results by a bounded heap.
 *
 * Characters. A path is decoded into characters (code points; a byte that is not UTF-8 is a
 * character of its own, numbered above U+10FFFF so that it equals only itself), each with its
 * byte offset and its bonus, which depends on it and the one before (see fuzzy.h). Folded
 * for comparison unless the query is exact: ASCII by arithmetic, the rest by utf8proc.
 *
 * The table (Smith-Waterman with affine gaps, as fzf's FuzzyMatchV2). M[i][j] is the best
 * score of query characters 0..i with character i matched at path character j; it comes
 * either from M[i-1][j-1] (a consecutive run: its bonus is at least 4 and at least the bonus
 * of the run's first character) or from the best M[i-1][k], k <= j-2, less the gap's cost
 * (3 + the characters skipped beyond the first), which one running maximum G keeps as j
 * moves. Only columns from the first place query character 0 occurs to the last place the
 * last query character occurs are computed. The score keeps two rows; positions keep the
 * whole table (and which way each cell came) and walk it back from the best end.
 *
 * Two paths. A query beyond ASCII takes the one above: decode, then the dense table. An ASCII
 * query (nearly all of them) never decodes: scan() checks the subsequence on bytes by table,
 * score1() handles one character, and score_sparse() computes the same recurrence on the
 * cells where a query character occurs only, which made the picker's worst query over 100,000
 * paths about three times faster. */
#include "app/project/fuzzy.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "app/project/utf8.h"

enum {
    SCORE_MATCH = 16,
    GAP_START = -3,
    GAP_EXT = -1,
    BONUS_BOUNDARY = 8,       /* after a separator */
    BONUS_SLASH = 9,          /* after '/' or at the start */
    BONUS_WHITE = 10,         /* after white space */
    BONUS_NONWORD = 8,        /* a separator matched itself */
    BONUS_CAMEL = 7,          /* aB, or a1 */
    BONUS_CONSECUTIVE = 4,
    FIRST_MULTIPLIER = 2,
};
#define NEG (INT32_MIN / 2) /* "cannot match here"; sums with it stay negative */

enum cls { C_WHITE, C_SLASH, C_NONWORD, C_LOWER, C_UPPER, C_DIGIT, C_LETTER };

/* One cell of score_sparse()'s table: query character i matched at byte `at`. */
struct cell {
    int32_t score; /* < VALID: cannot match here */
    uint16_t at;   /* byte offset in the path */
    int16_t back;  /* index of the predecessor in the previous row's cells */
    int8_t bonus;  /* of the byte at `at` */
    int8_t run;    /* bonus of the run's first character (at least) */
};

struct proj_fuzzy {
    size_t m;                          /* query characters */
    bool exact;                        /* the query has an upper-case letter */
    bool ascii;                        /* the query is ASCII: the byte scan decides */
    uint32_t q[PROJ_FUZZY_QUERY_MAX];  /* query characters, folded unless exact */
    uint8_t fold[256];                 /* a byte as compared: ASCII folded unless exact */
    uint8_t cls[256];                  /* enum cls of each ASCII byte; C_LETTER beyond */
    uint64_t qmask[256];               /* ASCII query: bit i when a byte matches q[i] */
    int8_t bonus_of[7][7];             /* bonus_for(prev, cur) */
    /* scratch for one path */
    uint32_t cp[PROJ_FUZZY_PATH_MAX];  /* characters, folded unless exact */
    uint16_t off[PROJ_FUZZY_PATH_MAX]; /* byte offset of each */
    int8_t bonus[PROJ_FUZZY_PATH_MAX]; /* of each, from it and the one before */
    int32_t row[2][PROJ_FUZZY_PATH_MAX]; /* the score's two rows */
    int8_t run[2][PROJ_FUZZY_PATH_MAX];  /* bonus of each cell's run's first character */
    struct cell *cells;                /* ASCII query: m rows of PROJ_FUZZY_PATH_MAX */
    size_t ncells[PROJ_FUZZY_QUERY_MAX]; /* cells in each row */
    int32_t *table;                    /* m rows of PROJ_FUZZY_PATH_MAX, for positions */
    uint8_t *from_diag;                /* the same cells: 1 when it continued a run */
};

#define INVALID_BASE 0x110000u /* a byte that is not UTF-8 becomes INVALID_BASE + byte */

/* The character at s[0..n) (n > 0), its length in *len. */
static uint32_t decode(const unsigned char *s, size_t n, size_t *len)
{
    if (s[0] < 0x80) {
        *len = 1;
        return s[0];
    }
    uint32_t cp;
    size_t k = proj_utf8_seq(s, n, &cp);
    if (k == 0 || k == PROJ_UTF8_CUT) {
        *len = 1;
        return INVALID_BASE + s[0];
    }
    *len = k;
    return cp;
}

/* Lower case; a character beyond ASCII never folds into ASCII (the Kelvin sign stays itself,
 * not 'k'), so an ASCII query is decided on bytes alone. */
static uint32_t fold(uint32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c >= INVALID_BASE)
        return c;
    uint32_t l = (uint32_t)utf8proc_tolower((utf8proc_int32_t)c);
    return l < 0x80 ? c : l;
}

static bool is_upper(uint32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z';
    return c < INVALID_BASE && utf8proc_tolower((utf8proc_int32_t)c) != (utf8proc_int32_t)c;
}

static enum cls classify(uint32_t c)
{
    if (c >= 'a' && c <= 'z')
        return C_LOWER;
    if (c >= 'A' && c <= 'Z')
        return C_UPPER;
    if (c >= '0' && c <= '9')
        return C_DIGIT;
    if (c == '/')
        return C_SLASH;
    if (c == ' ' || c == '\t')
        return C_WHITE;
    if (c < 0x80)
        return C_NONWORD;
    return is_upper(c) ? C_UPPER : C_LETTER;
}

static int8_t bonus_for(enum cls prev, enum cls cur)
{
    if (cur >= C_LOWER) {
        switch (prev) {
        case C_WHITE: return BONUS_WHITE;
        case C_SLASH: return BONUS_SLASH;
        case C_NONWORD: return BONUS_BOUNDARY;
        default: break;
        }
        if ((prev == C_LOWER && cur == C_UPPER) || (prev != C_DIGIT && cur == C_DIGIT))
            return BONUS_CAMEL;
        return 0;
    }
    return cur == C_WHITE ? BONUS_WHITE : BONUS_NONWORD;
}

int proj_fuzzy_new(const char *q, size_t len, proj_fuzzy **out)
{
    *out = NULL;
    proj_fuzzy *f = calloc(1, sizeof *f);
    if (!f)
        return -ENOMEM;
    const unsigned char *s = (const unsigned char *)q;
    for (size_t i = 0, k; i < len; i += k) {
        if (f->m == PROJ_FUZZY_QUERY_MAX) {
            free(f);
            return -E2BIG;
        }
        uint32_t c = decode(s + i, len - i, &k);
        f->exact = f->exact || is_upper(c);
        f->q[f->m++] = c;
    }
    f->ascii = true;
    for (size_t i = 0; i < f->m; i++) {
        f->q[i] = f->exact ? f->q[i] : fold(f->q[i]);
        f->ascii = f->ascii && f->q[i] < 0x80;
    }
    for (unsigned b = 0; b < 256; b++)
        f->fold[b] = (uint8_t)(b < 0x80 && !f->exact ? fold(b) : b);
    for (unsigned b = 0; b < 256; b++) {
        f->cls[b] = (uint8_t)(b < 0x80 ? classify(b) : C_LETTER);
        for (size_t i = 0; f->ascii && i < f->m; i++)
            f->qmask[b] |= (uint64_t)(f->fold[b] == f->q[i]) << i;
    }
    for (int a = 0; a < 7; a++)
        for (int b = 0; b < 7; b++)
            f->bonus_of[a][b] = bonus_for((enum cls)a, (enum cls)b);
    if (f->m && f->ascii) {
        f->cells = malloc(f->m * PROJ_FUZZY_PATH_MAX * sizeof *f->cells);
        if (!f->cells) {
            proj_fuzzy_free(f);
            return -ENOMEM;
        }
    } else if (f->m) {
        f->table = malloc(f->m * PROJ_FUZZY_PATH_MAX * sizeof *f->table);
        f->from_diag = malloc(f->m * PROJ_FUZZY_PATH_MAX);
        if (!f->table || !f->from_diag) {
            proj_fuzzy_free(f);
            return -ENOMEM;
        }
    }
    *out = f;
    return 0;
}

void proj_fuzzy_free(proj_fuzzy *f)
{
    if (!f)
        return;
    free(f->cells);
    free(f->table);
    free(f->from_diag);
    free(f);
}

size_t proj_fuzzy_len(const proj_fuzzy *f)
{
    return f->m;
}

/* Decodes the characters of s[from..to) (from and to on character boundaries) into f's
 * scratch; returns their number. The first one's bonus needs the class of the character
 * before: one beyond ASCII is never C_LOWER, the only class that matters there, so its
 * last byte is enough. */
static size_t load(proj_fuzzy *f, const unsigned char *s, size_t from, size_t to)
{
    size_t n = 0;
    enum cls prev = from == 0 ? C_SLASH : (enum cls)f->cls[s[from - 1]];
    for (size_t i = from, k; i < to; i += k, n++) {
        uint32_t c;
        enum cls cl;
        if (s[i] < 0x80) {
            k = 1;
            c = f->fold[s[i]];
            cl = (enum cls)f->cls[s[i]];
        } else {
            c = decode(s + i, to - i, &k);
            cl = classify(c);
            c = f->exact ? c : fold(c);
        }
        f->bonus[n] = f->bonus_of[prev][cl];
        f->cp[n] = c;
        f->off[n] = (uint16_t)i;
        prev = cl;
    }
    return n;
}

/* For an ASCII query: is it a subsequence of s? On bytes (exact: see fold()). If so, the
 * bytes [*lo, *hi] from the first place its first character occurs to the last place its
 * last one does hold every placement. */
static bool scan(const proj_fuzzy *f, const unsigned char *s, size_t len, size_t *lo,
                 size_t *hi)
{
    size_t i = 0, j = 0;
    uint32_t qc = f->q[0];
    for (; j < len; j++) {
        if (f->fold[s[j]] != qc)
            continue;
        if (i == 0)
            *lo = j;
        if (++i == f->m)
            break;
        qc = f->q[i];
    }
    if (i < f->m)
        return false;
    *hi = j;
    for (size_t k = len - 1; k > j; k--)
        if (f->fold[s[k]] == qc) {
            *hi = k;
            break;
        }
    return true;
}

/* The window [*lo, *hi] of characters that can hold the match; false when there is none. */
static bool window(const proj_fuzzy *f, size_t n, size_t *lo, size_t *hi)
{
    size_t i = 0, j = 0;
    for (; j < n && i < f->m; j++)
        if (f->cp[j] == f->q[i] && i++ == 0)
            *lo = j;
    if (i < f->m)
        return false;
    for (size_t k = n; k-- > 0;)
        if (f->cp[k] == f->q[f->m - 1]) {
            *hi = k;
            return true;
        }
    return false;
}

/* The table from lo to hi; the best score, its end column in *end. full: every row kept in
 * f->table and f->from_diag (for positions). Row i is computed on the columns that can hold
 * it and leave room for the rest, [lo + i, hi - (m - 1 - i)]; a cell below VALID cannot match
 * (NEG plus the few thousand a path's gaps can cost stays far below it), which keeps the loop
 * free of tests for it. */
#define VALID (NEG / 2)
static int32_t fill(proj_fuzzy *f, size_t lo, size_t hi, bool full, size_t *end)
{
    int32_t *prev = f->row[0], *cur = f->row[1];
    int8_t *prun = f->run[0], *crun = f->run[1];
    int32_t best = NEG;
    const size_t m = f->m;
    for (size_t j = lo; j <= hi - (m - 1); j++) {
        bool hit = f->cp[j] == f->q[0];
        prev[j] = hit ? SCORE_MATCH + f->bonus[j] * FIRST_MULTIPLIER : NEG;
        prun[j] = f->bonus[j];
        if (full) {
            f->table[j] = prev[j];
            f->from_diag[j] = 0;
        }
        if (m == 1 && prev[j] > best)
            best = prev[j], *end = j;
    }
    for (size_t i = 1; i < m; i++) {
        const uint32_t qc = f->q[i];
        const size_t j0 = lo + i, j1 = hi - (m - 1 - i);
        int32_t g = NEG, pj1 = prev[j0 - 1]; /* g: best prev[k] + gap cost, k <= j - 2 */
        int8_t rj1 = prun[j0 - 1];
        int32_t *trow = f->table + i * PROJ_FUZZY_PATH_MAX;
        uint8_t *drow = f->from_diag + i * PROJ_FUZZY_PATH_MAX;
        for (size_t j = j0; j <= j1; j++) {
            int32_t v = NEG;
            int8_t r = 0;
            bool diag = false;
            if (f->cp[j] == qc) {
                int32_t b = f->bonus[j], cb = rj1 > b ? rj1 : b;
                int32_t c = pj1 + SCORE_MATCH + (cb > BONUS_CONSECUTIVE ? cb : BONUS_CONSECUTIVE);
                int32_t gv = g + SCORE_MATCH + b;
                if (c >= gv)
                    v = c, r = (int8_t)cb, diag = true;
                else
                    v = gv, r = (int8_t)b;
            }
            int32_t open = pj1 + GAP_START, ext = g + GAP_EXT;
            g = open > ext ? open : ext;
            pj1 = prev[j];
            rj1 = prun[j];
            cur[j] = v;
            crun[j] = r;
            if (full) {
                trow[j] = v;
                drow[j] = diag;
            }
            if (i == m - 1 && v > best)
                best = v, *end = j;
        }
        int32_t *t = prev;
        prev = cur, cur = t;
        int8_t *tr = prun;
        prun = crun, crun = tr;
    }
    return best < VALID ? NEG : best;
}

/* Walks the full table back from (m - 1, end) into pos. */
static void trace(const proj_fuzzy *f, size_t lo, size_t end, uint16_t *pos)
{
    size_t j = end;
    for (size_t i = f->m; i-- > 0;) {
        pos[i] = f->off[j];
        if (i == 0)
            break;
        const int32_t *up = f->table + (i - 1) * PROJ_FUZZY_PATH_MAX;
        if (f->from_diag[i * PROJ_FUZZY_PATH_MAX + j]) {
            j--;
            continue;
        }
        /* the k <= j - 2 whose gap gave this cell its score: the best up[k] + cost */
        int32_t best = NEG;
        size_t bk = j - 2;
        for (size_t k = lo + i - 1; k + 2 <= j; k++) {
            if (up[k] < VALID)
                continue;
            int32_t v = up[k] + GAP_START + GAP_EXT * (int32_t)(j - 2 - k);
            if (v >= best)
                best = v, bk = k;
        }
        j = bk;
    }
}

/* An ASCII query of one character, on bytes: the best bonus where it occurs in [b0, b1]. */
static int32_t score1(const proj_fuzzy *f, const unsigned char *s, size_t b0, size_t b1,
                      uint16_t *pos)
{
    enum cls prev = b0 == 0 ? C_SLASH : (enum cls)f->cls[s[b0 - 1]];
    int32_t best = -1;
    size_t at = b0;
    for (size_t j = b0; j <= b1; j++) {
        enum cls cl = (enum cls)f->cls[s[j]];
        if (f->fold[s[j]] == f->q[0] && f->bonus_of[prev][cl] > best)
            best = f->bonus_of[prev][cl], at = j;
        prev = cl;
    }
    if (pos)
        pos[0] = (uint16_t)at;
    return SCORE_MATCH + best * FIRST_MULTIPLIER;
}

/* --- ASCII queries: the table on the places each query character occurs ----------------- */

/* For an ASCII query the table needs only the cells where a query character occurs: the
 * gap recurrence M[i-1][k] - 3 - (j - 2 - k) is (M[i-1][k] + k) - j - 1, so the best gap
 * predecessor of a cell is a running maximum of M + k over the previous row's occurrences,
 * and a run predecessor is the occurrence at j - 1. Columns are bytes (a byte beyond ASCII
 * never matches and counts as C_LETTER before the next one: see load()), so a gap costs one
 * per byte. The work is the window's bytes plus the occurrences times... one, instead of the
 * window times the query. Each cell (struct cell, above) keeps where its score came from,
 * for positions. */

static int32_t score_sparse(proj_fuzzy *f, const unsigned char *s, size_t b0, size_t b1,
                            uint16_t *pos)
{
    const size_t m = f->m;
    struct cell *cells = f->cells;
    size_t *nc = f->ncells;
    for (size_t i = 0; i < m; i++)
        nc[i] = 0;
    enum cls prev = b0 == 0 ? C_SLASH : (enum cls)f->cls[s[b0 - 1]];
    for (size_t j = b0; j <= b1; j++) {
        enum cls cl = (enum cls)f->cls[s[j]];
        uint64_t mask = f->qmask[s[j]];
        int8_t b = f->bonus_of[prev][cl];
        prev = cl;
        while (mask) {
            size_t i = (size_t)__builtin_ctzll(mask);
            mask &= mask - 1;
            cells[i * PROJ_FUZZY_PATH_MAX + nc[i]++] = (struct cell){ .at = (uint16_t)j, .bonus = b };
        }
    }
    for (size_t k = 0; k < nc[0]; k++) {
        cells[k].score = SCORE_MATCH + cells[k].bonus * FIRST_MULTIPLIER;
        cells[k].run = cells[k].bonus;
        cells[k].back = -1;
    }
    for (size_t i = 1; i < m; i++) {
        const struct cell *P = cells + (i - 1) * PROJ_FUZZY_PATH_MAX;
        struct cell *C = cells + i * PROJ_FUZZY_PATH_MAX;
        size_t np = nc[i - 1], p = 0;
        int32_t gkey = NEG;
        int16_t gback = -1;
        for (size_t k = 0; k < nc[i]; k++) {
            struct cell *c = &C[k];
            size_t j = c->at;
            for (; p < np && (size_t)P[p].at + 2 <= j; p++)
                if (P[p].score >= VALID && P[p].score + P[p].at >= gkey)
                    gkey = P[p].score + P[p].at, gback = (int16_t)p;
            int32_t gv = gkey >= VALID ? gkey - (int32_t)j - 1 + SCORE_MATCH + c->bonus : NEG;
            int32_t cv = NEG, cb = 0;
            if (p < np && (size_t)P[p].at + 1 == j && P[p].score >= VALID) {
                cb = P[p].run > c->bonus ? P[p].run : c->bonus;
                cv = P[p].score + SCORE_MATCH + (cb > BONUS_CONSECUTIVE ? cb : BONUS_CONSECUTIVE);
            }
            if (cv >= VALID && cv >= gv)
                c->score = cv, c->run = (int8_t)cb, c->back = (int16_t)p;
            else
                c->score = gv, c->run = c->bonus, c->back = gback;
        }
    }
    const struct cell *last = cells + (m - 1) * PROJ_FUZZY_PATH_MAX;
    size_t best = SIZE_MAX;
    for (size_t k = 0; k < nc[m - 1]; k++)
        if (last[k].score >= VALID && (best == SIZE_MAX || last[k].score > last[best].score))
            best = k;
    if (best == SIZE_MAX)
        return PROJ_FUZZY_NOMATCH;
    int32_t score = last[best].score;
    for (size_t i = m, k = best; pos && i-- > 0;) {
        const struct cell *c = cells + i * PROJ_FUZZY_PATH_MAX + k;
        pos[i] = c->at;
        k = (size_t)c->back;
    }
    return score;
}

int32_t proj_fuzzy_score(proj_fuzzy *f, const char *path, size_t len, uint16_t *pos)
{
    if (f->m == 0)
        return 0;
    const unsigned char *s = (const unsigned char *)path;
    if (len > PROJ_FUZZY_PATH_MAX)
        return PROJ_FUZZY_NOMATCH;
    if (f->ascii) {
        size_t b0 = 0, b1 = 0;
        if (!scan(f, s, len, &b0, &b1))
            return PROJ_FUZZY_NOMATCH;
        return f->m == 1 ? score1(f, s, b0, b1, pos) : score_sparse(f, s, b0, b1, pos);
    }
    size_t n = load(f, s, 0, len), lo = 0, hi = 0, end = 0;
    if (!window(f, n, &lo, &hi))
        return PROJ_FUZZY_NOMATCH;
    int32_t score = fill(f, lo, hi, pos != NULL, &end);
    if (score <= NEG)
        return PROJ_FUZZY_NOMATCH;
    if (pos)
        trace(f, lo, end, pos);
    return score;
}

/* --- the top results ------------------------------------------------------------------- */

struct list {
    const char *const *paths;
    const size_t *lens;
};

static size_t len_of(const struct list *l, size_t i)
{
    return l->lens ? l->lens[i] : strlen(l->paths[i]);
}

/* True when hit a ranks before hit b: higher score, then shorter, then smaller bytes. */
static bool before(const struct list *l, const struct proj_fuzzy_hit *a,
                   const struct proj_fuzzy_hit *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    size_t an = len_of(l, a->index), bn = len_of(l, b->index);
    if (an != bn)
        return an < bn;
    int c = memcmp(l->paths[a->index], l->paths[b->index], an);
    return c != 0 ? c < 0 : a->index < b->index;
}

/* The heap keeps the worst kept hit at the root. */
static void sift_down(const struct list *l, struct proj_fuzzy_hit *h, size_t n, size_t i)
{
    for (;;) {
        size_t w = i, a = 2 * i + 1, b = a + 1;
        if (a < n && before(l, &h[w], &h[a]))
            w = a;
        if (b < n && before(l, &h[w], &h[b]))
            w = b;
        if (w == i)
            return;
        struct proj_fuzzy_hit t = h[i];
        h[i] = h[w], h[w] = t;
        i = w;
    }
}

static void sift_up(const struct list *l, struct proj_fuzzy_hit *h, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!before(l, &h[p], &h[i]))
            return;
        struct proj_fuzzy_hit t = h[i];
        h[i] = h[p], h[p] = t;
        i = p;
    }
}

/* One candidate considered for the top: kept in the heap when it ranks among the best. */
static bool consider(proj_fuzzy *f, const struct list *l, size_t i, struct proj_fuzzy_hit *hits,
                     size_t max, size_t *kept)
{
    struct proj_fuzzy_hit h;
    h.index = i;
    h.score = proj_fuzzy_score(f, l->paths[i], len_of(l, i), NULL);
    if (h.score == PROJ_FUZZY_NOMATCH)
        return false;
    if (*kept < max) {
        hits[*kept].index = h.index, hits[*kept].score = h.score;
        sift_up(l, hits, (*kept)++);
    } else if (before(l, &h, &hits[0])) {
        hits[0].index = h.index, hits[0].score = h.score;
        sift_down(l, hits, *kept, 0);
    }
    return true;
}

/* The heap of kept hits in order, best first, with the matched positions. */
static size_t finish(proj_fuzzy *f, const struct list *l, struct proj_fuzzy_hit *hits,
                     size_t kept)
{
    /* heap sort, best first: pop the worst to the back */
    for (size_t k = kept; k > 1; k--) {
        struct proj_fuzzy_hit t = hits[0];
        hits[0] = hits[k - 1], hits[k - 1] = t;
        sift_down(l, hits, k - 1, 0);
    }
    for (size_t k = 0; k < kept; k++) {
        size_t i = hits[k].index;
        int32_t s = proj_fuzzy_score(f, l->paths[i], len_of(l, i), hits[k].pos);
        (void)s; /* the same score as in the pass */
    }
    return kept;
}

size_t proj_fuzzy_top(proj_fuzzy *f, const char *const *paths, const size_t *lens, size_t n,
                      struct proj_fuzzy_hit *hits, size_t max)
{
    struct list l = { paths, lens };
    size_t kept = 0;
    if (max == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        (void)consider(f, &l, i, hits, max, &kept);
    return finish(f, &l, hits, kept);
}

size_t proj_fuzzy_top_among(proj_fuzzy *f, const char *const *paths, const size_t *lens,
                            const uint32_t *among, size_t namong, size_t from, size_t n,
                            struct proj_fuzzy_hit *hits, size_t max, uint32_t *matched,
                            size_t *nmatched)
{
    struct list l = { paths, lens };
    size_t kept = 0, m = 0;
    struct proj_fuzzy_hit none;
    if (max == 0) /* still record the matches: the next, longer query narrows from them */
        hits = &none;
    for (size_t k = 0; k < namong; k++)
        if (consider(f, &l, among[k], hits, max ? max : 1, &kept))
            matched[m++] = among[k];
    for (size_t i = from; i < n; i++)
        if (consider(f, &l, i, hits, max ? max : 1, &kept))
            matched[m++] = (uint32_t)i;
    *nmatched = m;
    return max ? finish(f, &l, hits, kept) : 0;
}
