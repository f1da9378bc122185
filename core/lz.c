/* LZ77 + canonical Huffman (see core/lz.h for the block format).
 *
 * The encoder finds matches with hash chains over 3-byte prefixes (at most MAX_CHAIN
 * candidates per position, one step of lazy matching, as zlib's middle levels do), collects
 * the symbols, then codes them with Huffman codes built for exactly these frequencies
 * (core/huff.c), limited to 12 bits. The decoder reads 12 bits at a time through one table
 * per alphabet. Everything a block says is checked: code lengths, that every code used
 * exists, that a match stays inside what was decoded and inside dst, and that the bits and
 * bytes end together. */
#include "core/lz.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/huff.h"
#include "core/mem.h"

#define NLIT 285      /* literal/length symbols */
#define NDIST 32      /* distance symbols */
#define MAX_BITS 12   /* longest code */
#define MIN_MATCH 3
#define MAX_MATCH 258
#define WINDOW 65536
#define HASH_BITS 15
#define MAX_CHAIN 48
#define FAR_3 4096    /* 3-byte matches further back cost more than their literals */

static const uint16_t len_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint32_t dist_base[32] = {
    1,    2,    3,    4,    5,    7,     9,     13,    17,    25,   33,
    49,   65,   97,   129,  193,  257,   385,   513,   769,   1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577, 32769, 49153};
static const uint8_t dist_extra[32] = {0, 0, 0, 0, 1, 1, 2,  2,  3,  3,  4,  4,  5,  5,  6,  6,
                                       7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14};

static unsigned len_code(unsigned len)
{
    unsigned c = 0;
    while (c + 1 < 29 && len_base[c + 1] <= len)
        c++;
    return c;
}

static unsigned dist_code(uint32_t d)
{
    unsigned c = 0;
    while (c + 1 < 32 && dist_base[c + 1] <= d)
        c++;
    return c;
}

/* --- bits ---------------------------------------------------------------------------- */

typedef struct bitw {
    wf_buf *out;
    uint64_t acc;
    unsigned have;
} bitw;

static void put_bits(bitw *w, uint32_t v, unsigned n)
{
    w->acc |= (uint64_t)v << w->have;
    w->have += n;
    while (w->have >= 8) {
        wf_buf_put_u8(w->out, (uint8_t)w->acc);
        w->acc >>= 8;
        w->have -= 8;
    }
}

static void flush_bits(bitw *w)
{
    if (w->have)
        wf_buf_put_u8(w->out, (uint8_t)w->acc);
    w->acc = 0;
    w->have = 0;
}

typedef struct bitr {
    const uint8_t *p, *end;
    uint64_t acc;
    unsigned have;
} bitr;

static void refill(bitr *r)
{
    if (r->end - r->p >= 8) {
        /* Eight bytes at once; the bytes beyond the whole ones that fit are read again next
         * time. */
        uint64_t v;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        memcpy(&v, r->p, 8);
#else
        v = 0;
        for (int i = 7; i >= 0; i--)
            v = v << 8 | r->p[i];
#endif
        r->acc |= v << r->have;
        r->p += (63 - r->have) >> 3;
        r->have |= 56;
        return;
    }
    while (r->have <= 56 && r->p < r->end) {
        r->acc |= (uint64_t)*r->p++ << r->have;
        r->have += 8;
    }
}

/* --- code length tables ---------------------------------------------------------------- */

static void put_lengths(bitw *w, const uint8_t *len, unsigned n)
{
    for (unsigned i = 0; i < n;) {
        unsigned run = 1;
        while (i + run < n && len[i + run] == len[i])
            run++;
        if (len[i] == 0 && run >= 19) {
            unsigned k = run > 274 ? 274 : run;
            put_bits(w, 14, 4);
            put_bits(w, k - 19, 8);
            i += k;
        } else if (len[i] == 0 && run >= 3) {
            put_bits(w, 13, 4);
            put_bits(w, run - 3, 4);
            i += run;
        } else if (len[i] != 0 && run >= 4) {
            unsigned k = run - 1 > 18 ? 18 : run - 1;
            put_bits(w, len[i], 4);
            put_bits(w, 15, 4);
            put_bits(w, k - 3, 4);
            i += k + 1;
        } else {
            put_bits(w, len[i], 4);
            i++;
        }
    }
}

static int get_lengths(bitr *r, uint8_t *len, unsigned n)
{
    for (unsigned i = 0; i < n;) {
        refill(r);
        if (r->have < 4)
            return WF_EDECODE;
        unsigned v = r->acc & 15, k;
        r->acc >>= 4;
        r->have -= 4;
        if (v <= MAX_BITS) {
            len[i++] = (uint8_t)v;
            continue;
        }
        unsigned need = v == 14 ? 8 : 4;
        if (r->have < need)
            return WF_EDECODE;
        unsigned x = (unsigned)(r->acc & ((1u << need) - 1));
        r->acc >>= need;
        r->have -= need;
        uint8_t fill = 0;
        if (v == 13)
            k = 3 + x;
        else if (v == 14)
            k = 19 + x;
        else if (i > 0)
            k = 3 + x, fill = len[i - 1];
        else
            return WF_EDECODE;
        if (k > n - i)
            return WF_EDECODE;
        memset(len + i, fill, k);
        i += k;
    }
    return 0;
}

/* --- encoding -------------------------------------------------------------------------- */

/* A symbol as found: a literal (len 0) or a match. */
typedef struct token {
    uint16_t len;  /* 0: literal */
    uint16_t lit;
    uint32_t dist;
} token;

typedef struct matcher {
    const uint8_t *src;
    size_t n;
    uint32_t *head; /* per hash: the last position, + 1 (0: none) */
    uint32_t *prev; /* per position: the previous one with the same hash, + 1 */
} matcher;

static uint32_t hash3(const uint8_t *p)
{
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

static void insert_pos(matcher *m, size_t i)
{
    if (i + MIN_MATCH > m->n)
        return;
    uint32_t h = hash3(m->src + i);
    m->prev[i] = m->head[h];
    m->head[h] = (uint32_t)i + 1;
}

/* The longest match for position i (already inserted), 0 when none pays. */
static unsigned longest(const matcher *m, size_t i, uint32_t *dist)
{
    if (i + MIN_MATCH > m->n)
        return 0;
    unsigned best = 0, limit = m->n - i < MAX_MATCH ? (unsigned)(m->n - i) : MAX_MATCH;
    uint32_t cand = m->prev[i];
    for (int chain = 0; cand && chain < MAX_CHAIN; chain++) {
        size_t j = cand - 1;
        if (i - j > WINDOW)
            break;
        const uint8_t *a = m->src + i, *b = m->src + j;
        if (b[best] == a[best]) {
            unsigned l = 0;
            while (l < limit && a[l] == b[l])
                l++;
            if (l > best && (l > MIN_MATCH || i - j <= FAR_3)) {
                best = l;
                *dist = (uint32_t)(i - j);
                if (l == limit)
                    break;
            }
        }
        cand = m->prev[j];
    }
    return best >= MIN_MATCH ? best : 0;
}

/* Inserts every position up to k that is not in the chains yet. */
static void insert_upto(matcher *m, size_t *ins, size_t k)
{
    for (; *ins <= k; (*ins)++)
        insert_pos(m, *ins);
}

/* The symbols of src, with one step of lazy matching. Returns their count. */
static size_t tokenize(const uint8_t *src, size_t n, token *tok)
{
    matcher m = {src, n, wf_xcalloc((size_t)1 << HASH_BITS, sizeof *m.head),
                 wf_xreallocarray(NULL, n, sizeof *m.prev)};
    size_t nt = 0, i = 0, ins = 0;
    while (i < n) {
        insert_upto(&m, &ins, i);
        uint32_t d = 0, d2 = 0;
        unsigned l = longest(&m, i, &d);
        if (l && l < MAX_MATCH && i + 1 < n) {
            insert_upto(&m, &ins, i + 1);
            unsigned l2 = longest(&m, i + 1, &d2);
            if (l2 > l) {
                tok[nt++] = (token){0, src[i], 0};
                i++;
                l = l2;
                d = d2;
            }
        }
        if (l) {
            tok[nt++] = (token){(uint16_t)l, 0, d};
            i += l;
        } else {
            tok[nt++] = (token){0, src[i], 0};
            i++;
        }
    }
    free(m.head);
    free(m.prev);
    return nt;
}

/* The symbols of src, all literals. */
static size_t literals(const uint8_t *src, size_t n, token *tok)
{
    for (size_t i = 0; i < n; i++)
        tok[i] = (token){0, src[i], 0};
    return n;
}

static void encode_tokens(const uint8_t *src, size_t n, wf_buf *out, bool matches_too);

void wf_lz_encode(const uint8_t *src, size_t n, wf_buf *out)
{
    encode_tokens(src, n, out, true);
}

void wf_lz_encode_literals(const uint8_t *src, size_t n, wf_buf *out)
{
    encode_tokens(src, n, out, false);
}

static void encode_tokens(const uint8_t *src, size_t n, wf_buf *out, bool matches_too)
{
    token *tok = wf_xreallocarray(NULL, n ? n : 1, sizeof *tok);
    size_t nt = matches_too ? tokenize(src, n, tok) : literals(src, n, tok);
    uint64_t lf[NLIT] = {0}, df[NDIST] = {0};
    for (size_t k = 0; k < nt; k++) {
        if (tok[k].len == 0) {
            lf[tok[k].lit]++;
        } else {
            lf[256 + len_code(tok[k].len)]++;
            df[dist_code(tok[k].dist)]++;
        }
    }
    uint8_t ll[NLIT], dl[NDIST];
    uint16_t lc[NLIT], dc[NDIST];
    wf__huff_lengths(lf, NLIT, MAX_BITS, ll);
    wf__huff_codes(ll, NLIT, lc);
    bool matches = false;
    for (unsigned c = 0; c < NDIST; c++)
        matches = matches || df[c];
    if (matches) {
        wf__huff_lengths(df, NDIST, MAX_BITS, dl);
        wf__huff_codes(dl, NDIST, dc);
    }
    wf_buf_reserve(out, n / 2 + 64);
    bitw w = {out, 0, 0};
    put_lengths(&w, ll, NLIT);
    if (matches)
        put_lengths(&w, dl, NDIST);
    flush_bits(&w);
    for (size_t k = 0; k < nt; k++) {
        const token *t = &tok[k];
        if (t->len == 0) {
            put_bits(&w, lc[t->lit], ll[t->lit]);
            continue;
        }
        unsigned c = len_code(t->len), e = dist_code(t->dist);
        put_bits(&w, lc[256 + c], ll[256 + c]);
        put_bits(&w, t->len - len_base[c], len_extra[c]);
        put_bits(&w, dc[e], dl[e]);
        put_bits(&w, t->dist - dist_base[e], dist_extra[e]);
    }
    flush_bits(&w);
    free(tok);
}

/* --- decoding -------------------------------------------------------------------------- */

/* A decoding table: 2^bits entries, bits = the longest code of the alphabet. */
typedef struct dtab {
    uint16_t *e;
    uint32_t mask;
} dtab;

/* The next symbol, or -1 for a code nobody has. The caller refilled: one refill holds a
 * whole match (12 + 5 + 12 + 14 bits). */
static int get_sym(bitr *r, const dtab *t)
{
    uint16_t e = t->e[r->acc & t->mask];
    unsigned l = e & 15;
    if (l == 0 || l > r->have)
        return -1;
    r->acc >>= l;
    r->have -= l;
    return e >> 4;
}

static int get_extra(bitr *r, unsigned n, uint32_t *v)
{
    if (n == 0) {
        *v = 0;
        return 0;
    }
    if (r->have < n)
        return WF_EDECODE;
    *v = (uint32_t)(r->acc & ((1u << n) - 1));
    r->acc >>= n;
    r->have -= n;
    return 0;
}

/* A block without matches: four literals per refill (4 x 12 bits fit in one). */
static int decode_literals(bitr *r, const dtab *lt, uint8_t *dst, size_t n)
{
    size_t o = 0;
    for (; o + 4 <= n && r->end - r->p >= 8; o += 4) {
        refill(r);
        for (int k = 0; k < 4; k++) {
            uint16_t e = lt->e[r->acc & lt->mask];
            unsigned l = e & 15;
            if (l == 0 || e >> 4 >= 256)
                return WF_EDECODE;
            dst[o + k] = (uint8_t)(e >> 4);
            r->acc >>= l;
            r->have -= l;
        }
    }
    for (; o < n; o++) { /* the last few, one by one */
        refill(r);
        int s = get_sym(r, lt);
        if (s < 0 || s >= 256)
            return WF_EDECODE;
        dst[o] = (uint8_t)s;
    }
    return 0;
}

static int decode_syms(bitr *r, const dtab *lt, const dtab *dt, uint8_t *dst, size_t n)
{
    if (!dt)
        return decode_literals(r, lt, dst, n);
    size_t o = 0;
    while (o < n) {
        refill(r);
        int s = get_sym(r, lt);
        if (s < 0)
            return WF_EDECODE;
        /* Literals while a whole match would still fit in what is left (43 bits). */
        while (s < 256 && o + 1 < n && r->have >= 43) {
            dst[o++] = (uint8_t)s;
            if ((s = get_sym(r, lt)) < 0)
                return WF_EDECODE;
        }
        if (s < 256) {
            dst[o++] = (uint8_t)s;
            continue;
        }
        if (!dt)
            return WF_EDECODE;
        uint32_t le, de;
        unsigned c = (unsigned)s - 256;
        if (get_extra(r, len_extra[c], &le))
            return WF_EDECODE;
        int e = get_sym(r, dt);
        if (e < 0 || get_extra(r, dist_extra[e], &de))
            return WF_EDECODE;
        size_t len = len_base[c] + le, dist = dist_base[e] + de;
        if (dist > o || len > n - o)
            return WF_EDECODE;
        const uint8_t *from = dst + o - dist;
        if (dist >= len)
            memcpy(dst + o, from, len);
        else
            for (size_t k = 0; k < len; k++) /* overlapping copies repeat the pattern */
                dst[o + k] = from[k];
        o += len;
    }
    return 0;
}

int wf_lz_decode(const uint8_t *in, size_t in_len, uint8_t *dst, size_t n)
{
    bitr r = {in, in + in_len, 0, 0};
    uint8_t ll[NLIT], dl[NDIST];
    if (get_lengths(&r, ll, NLIT))
        return WF_EDECODE;
    bool matches = false;
    for (unsigned c = 256; c < NLIT; c++)
        matches = matches || ll[c];
    if (matches && get_lengths(&r, dl, NDIST))
        return WF_EDECODE;
    /* The tables end on a byte boundary: drop the padding, which must be zero. */
    if ((r.acc & ((1u << (r.have % 8)) - 1)) != 0)
        return WF_EDECODE;
    r.acc >>= r.have % 8;
    r.have -= r.have % 8;
    /* Tables only as large as the longest codes need (small alphabets: small tables). */
    unsigned lbits = 1, dbits = 1;
    for (unsigned c = 0; c < NLIT; c++)
        lbits = ll[c] > lbits ? ll[c] : lbits;
    for (unsigned c = 0; matches && c < NDIST; c++)
        dbits = dl[c] > dbits ? dl[c] : dbits;
    uint16_t *mem = wf_trymalloc((((size_t)1 << lbits) + ((size_t)1 << dbits)) * sizeof *mem);
    if (!mem)
        return WF_ENOMEM;
    dtab lt = {mem, (1u << lbits) - 1}, dt = {mem + ((size_t)1 << lbits), (1u << dbits) - 1};
    int err = wf__huff_table(ll, NLIT, lbits, lt.e);
    if (!err && matches)
        err = wf__huff_table(dl, NDIST, dbits, dt.e);
    if (!err)
        err = decode_syms(&r, &lt, matches ? &dt : NULL, dst, n);
    /* Only the zero padding of the last byte may remain. */
    if (!err && (r.p != r.end || r.have >= 8 || r.acc != 0))
        err = WF_EDECODE;
    free(mem);
    return err ? WF_EDECODE : 0;
}
