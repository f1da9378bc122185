/* Canonical Huffman coding of bytes (see core/huff.h).
 *
 * Lengths come from the classic two-queue construction over the sorted frequencies; when
 * a code would exceed WF_HUFF_MAX_BITS, the frequencies are halved (keeping every used
 * symbol at least 1) and the tree is rebuilt, which always terminates because equal
 * frequencies give a balanced tree of depth 8. The decoder reads 15 bits at a time through
 * a 2^15-entry table built from the lengths. */
#include "core/huff.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

#define NSYM 256
#define TABLE_SIZE (1u << WF_HUFF_MAX_BITS)
#define MAX_SYMS WF__HUFF_MAX_SYMS

typedef struct node {
    uint64_t freq;
    int left, right; /* children, or -1 for a leaf */
    int sym;
} node;

static int cmp_node(const void *a, const void *b)
{
    const node *x = a, *y = b;
    if (x->freq != y->freq)
        return x->freq < y->freq ? -1 : 1;
    return x->sym - y->sym;
}

static void depths(const node *t, int i, unsigned d, uint8_t *len, unsigned *max)
{
    if (t[i].left < 0) {
        len[t[i].sym] = (uint8_t)(d ? d : 1);
        if (d > *max)
            *max = d;
        return;
    }
    depths(t, t[i].left, d + 1, len, max);
    depths(t, t[i].right, d + 1, len, max);
}

void wf__huff_lengths(const uint64_t *freq_in, unsigned nsym, unsigned max_bits, uint8_t *len)
{
    uint64_t freq[MAX_SYMS];
    memcpy(freq, freq_in, nsym * sizeof *freq);
    for (;;) {
        node t[2 * MAX_SYMS];
        int n = 0;
        for (unsigned s = 0; s < nsym; s++)
            if (freq[s])
                t[n++] = (node){freq[s], -1, -1, (int)s};
        qsort(t, (size_t)n, sizeof *t, cmp_node);
        /* Two queues: leaves t[0..n) and internal nodes t[n..), both in rising order. */
        int leaf = 0, inner = n, end = n;
        while ((n - leaf) + (end - inner) > 1) {
            int pick[2];
            for (int k = 0; k < 2; k++) {
                if (leaf < n && (inner == end || t[leaf].freq <= t[inner].freq))
                    pick[k] = leaf++;
                else
                    pick[k] = inner++;
            }
            t[end] = (node){t[pick[0]].freq + t[pick[1]].freq, pick[0], pick[1], -1};
            end++;
        }
        memset(len, 0, nsym);
        unsigned max = 0;
        if (n > 0)
            depths(t, end - 1, 0, len, &max);
        if (max <= max_bits)
            return;
        for (unsigned s = 0; s < nsym; s++)
            if (freq[s])
                freq[s] = (freq[s] + 1) / 2;
    }
}

void wf__huff_codes(const uint8_t *len, unsigned nsym, uint16_t *code)
{
    unsigned count[WF_HUFF_MAX_BITS + 1] = {0}, next[WF_HUFF_MAX_BITS + 2];
    for (unsigned s = 0; s < nsym; s++)
        count[len[s]]++;
    count[0] = 0;
    unsigned c = 0;
    for (int b = 1; b <= WF_HUFF_MAX_BITS; b++) {
        c = (c + count[b - 1]) << 1;
        next[b] = c;
    }
    for (unsigned s = 0; s < nsym; s++) {
        if (!len[s])
            continue;
        unsigned v = next[len[s]]++, r = 0;
        for (unsigned b = 0; b < len[s]; b++)
            r |= ((v >> b) & 1u) << (len[s] - 1 - b);
        code[s] = (uint16_t)r;
    }
}

int wf__huff_table(const uint8_t *len, unsigned nsym, unsigned bits, uint16_t *table)
{
    /* The lengths must not oversubscribe the code space (Kraft). */
    uint64_t kraft = 0, size = (uint64_t)1 << bits;
    int used = 0;
    for (unsigned s = 0; s < nsym; s++) {
        if (len[s] > bits)
            return WF_EDECODE;
        if (len[s]) {
            kraft += size >> len[s];
            used++;
        }
    }
    if (used == 0 || kraft > size)
        return WF_EDECODE;
    uint16_t code[MAX_SYMS];
    wf__huff_codes(len, nsym, code);
    memset(table, 0, (size_t)size * sizeof *table);
    for (unsigned s = 0; s < nsym; s++)
        if (len[s])
            for (uint64_t v = code[s]; v < size; v += (uint64_t)1 << len[s])
                table[v] = (uint16_t)(s << 4 | len[s]);
    return 0;
}

static void count_freq(const uint8_t *src, size_t n, uint64_t *freq)
{
    memset(freq, 0, NSYM * sizeof *freq);
    for (size_t i = 0; i < n; i++)
        freq[src[i]]++;
}

size_t wf_huff_size(const uint8_t *src, size_t n)
{
    uint64_t freq[NSYM];
    uint8_t len[NSYM];
    count_freq(src, n, freq);
    wf__huff_lengths(freq, NSYM, WF_HUFF_MAX_BITS, len);
    uint64_t bits = 0;
    for (int s = 0; s < NSYM; s++)
        bits += freq[s] * len[s];
    return WF_HUFF_TABLE_BYTES + (size_t)((bits + 7) / 8);
}

void wf_huff_encode(const uint8_t *src, size_t n, wf_buf *out)
{
    uint64_t freq[NSYM];
    uint8_t len[NSYM];
    uint16_t code[NSYM];
    count_freq(src, n, freq);
    wf__huff_lengths(freq, NSYM, WF_HUFF_MAX_BITS, len);
    wf__huff_codes(len, NSYM, code);
    for (int s = 0; s < NSYM; s += 2)
        wf_buf_put_u8(out, (uint8_t)(len[s] | len[s + 1] << 4));
    uint64_t acc = 0;
    unsigned have = 0;
    wf_buf_reserve(out, n + 8);
    for (size_t i = 0; i < n; i++) {
        acc |= (uint64_t)code[src[i]] << have;
        have += len[src[i]];
        while (have >= 8) {
            wf_buf_put_u8(out, (uint8_t)acc);
            acc >>= 8;
            have -= 8;
        }
    }
    if (have)
        wf_buf_put_u8(out, (uint8_t)acc);
}

int wf_huff_decode(const uint8_t *in, size_t in_len, uint8_t *dst, size_t n)
{
    if (in_len < WF_HUFF_TABLE_BYTES)
        return WF_EDECODE;
    uint8_t len[NSYM];
    for (int s = 0; s < NSYM; s += 2) {
        len[s] = in[s / 2] & 15;
        len[s + 1] = in[s / 2] >> 4;
    }
    /* table[bits] = symbol << 4 | length; length 0 marks a code no symbol has. */
    uint16_t *table = wf_trymalloc(TABLE_SIZE * sizeof *table);
    if (!table)
        return WF_ENOMEM;
    if (wf__huff_table(len, NSYM, WF_HUFF_MAX_BITS, table) != 0) {
        free(table);
        return WF_EDECODE;
    }
    const uint8_t *p = in + WF_HUFF_TABLE_BYTES, *end = in + in_len;
    uint64_t acc = 0;
    unsigned have = 0;
    int err = 0;
    for (size_t i = 0; i < n; i++) {
        while (have <= 56 && p < end) {
            acc |= (uint64_t)*p++ << have;
            have += 8;
        }
        uint16_t e = table[acc & (TABLE_SIZE - 1)];
        unsigned l = e & 15;
        if (l == 0 || l > have) {
            err = WF_EDECODE;
            break;
        }
        dst[i] = (uint8_t)(e >> 4);
        acc >>= l;
        have -= l;
    }
    /* Only the zero padding of the last byte may remain. */
    if (!err && (p != end || have >= 8 || acc != 0))
        err = WF_EDECODE;
    free(table);
    return err;
}
