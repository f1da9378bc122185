/* Updates on the wire, format version 2: columns, packed when large (CRDT.md §3.2,
 * compacted). All varuints are LEB128, varints zigzag.
 *
 *   u8 version (2) · u8 flags (bit 0 STATE: the runs are the sender's whole L in document
 *                              order; bit 1 PACKED: see below)
 *   agents: varuint n · n × u64 little-endian, strictly increasing; fields below index this
 *   dels:   varuint m · m × { varuint agent (strictly increasing), varuint k,
 *                             k × (varuint gap from the previous range's end, varuint len) }
 *   floors: varuint f · f × (varuint agent (strictly increasing), varuint dnext >= 1): the
 *           message holds every deletion of the agent below dnext (core/dellog.c)
 *   ops:    varuint g · g × { varuint deleter (strictly increasing), varuint k >= 1,
 *             k × (varuint dseq - the previous entry's (0 at first), varuint dlast - dseq,
 *                  varuint target agent, varint target seq - the previous entry's target
 *                  end (0 at first), varuint len >= 1) }: delete-log entries
 *   runs:   varuint r, then seven columns, then the text:
 *     FLAGS  r × u8: ol kind · 5 + or kind (0-29); bit 5 same agent as the previous run;
 *                    bit 6 deleted (no text); bit 7 one unit, of one byte if it has text
 *                    (no LEN nor BYTES value)
 *     AGENT  varuint agent, for each run not flagged same-agent
 *     SEQ    varint seq - (the end of this agent's previous run in the message, 0 at first)
 *     LEN    varuint len - 1 (runs not flagged one-unit)
 *     OL     what the ol kind needs (below)
 *     OR     what the or kind needs (below)
 *     BYTES  varuint nbytes - len, for each run with text (not flagged one-unit)
 *     TEXT   the text of every run with text, in run order
 *   ol kinds: 0 START · 1 the unit before (agent, seq - 1) · 2 the last unit of the previous
 *     run · 3 the last unit of run i - 2 - x (OL: varuint x) · 4 (OL: varuint agent, varuint
 *     seq) · 5 the run's own agent's unit seq - 1 - x (OL: varuint x)
 *   or kinds: 0 END · 1 the first unit of the next run · 2 the previous run's or · 3 the
 *     first unit of run i + 2 + x (OL: varuint x) · 4 (OR: varuint agent, varuint seq)
 *
 * Unpacked, the columns follow one another as they are (each holds a count of values the
 * FLAGS column determines). PACKED, every column and the text is a block
 *   varuint raw_len · varuint packed_len (0: the raw bytes follow) · packed_len bytes,
 * packed with core/lz.h. A state lists its runs in document order, so origins point at
 * neighbouring runs (kinds 1-3 cost one flag) and a replica that holds nothing loads it
 * without searching (core/load.c); a run's or is always the head of a later run there.
 *
 * Decoding checks the syntax and the arithmetic of the whole message (counts against the
 * bytes left, indexes, seqs within 32 bits, no reference to one's own units that do not
 * exist yet, text that segments into exactly each run's units); codec.c then checks it
 * against the document. */
#include <stdlib.h>
#include <string.h>

#include "core/codec.h"
#include "core/lz.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "core/wire.h"

#define FORMAT_VERSION 2
#define F_STATE 0x01
#define F_PACKED 0x02
#define PACK_MIN 512 /* messages with fewer bytes of columns and text go unpacked */

enum { OL_START, OL_SELF, OL_PREV, OL_RUN, OL_EXPLICIT, OL_OWN, OL_KINDS };
enum { OR_END, OR_NEXT, OR_SAME, OR_RUN, OR_EXPLICIT, OR_KINDS };
#define R_SAME_AGENT 0x20
#define R_DELETED 0x40
#define R_UNIT 0x80

enum { C_FLAGS, C_AGENT, C_SEQ, C_LEN, C_OL, C_OR, C_BYTES, C_TEXT, NCOLS };

const char *const wf__wire_col_names[8] = {"flags", "agent", "seq", "len",
                                           "ol", "or", "bytes", "text"};

/* --- writing ---------------------------------------------------------------------------- */

static int range_cmp(const void *a, const void *b)
{
    const wf__range *x = a, *y = b;
    if (x->agent != y->agent)
        return x->agent < y->agent ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorts the delete ranges by doc agent index and seq, merging overlaps. */
static void normalize_dels(wf__wmsg *m)
{
    if (m->ndels == 0)
        return;
    qsort(m->dels, m->ndels, sizeof *m->dels, range_cmp);
    size_t k = 0;
    for (size_t i = 1; i < m->ndels; i++) {
        wf__range *last = &m->dels[k], *r = &m->dels[i];
        uint64_t end = (uint64_t)last->seq + last->len;
        if (r->agent == last->agent && r->seq <= end) {
            uint64_t rend = (uint64_t)r->seq + r->len;
            if (rend > end)
                last->len = (uint32_t)(rend - last->seq);
        } else {
            m->dels[++k] = *r;
        }
    }
    m->ndels = k + 1;
}

/* The message's agent table: the agents it mentions, by increasing id. msg_of[doc agent]. */
static uint32_t agent_table(const wf__wmsg *m, uint32_t *msg_of, wf_buf *out)
{
    const wf_doc *doc = m->doc;
    bool small[64] = {false};
    bool *used = doc->nagents <= 64 ? small : wf_xcalloc(doc->nagents, sizeof *used);
    for (size_t i = 0; i < m->nw; i++) {
        used[m->w[i].agent] = true;
        if (!wf__lid_is_none(m->w[i].ol))
            used[m->w[i].ol.agent] = true;
        if (!wf__lid_is_none(m->w[i].or))
            used[m->w[i].or.agent] = true;
    }
    for (size_t i = 0; i < m->ndels; i++)
        used[m->dels[i].agent] = true;
    for (size_t i = 0; i < m->nfloors; i++)
        used[m->floors[i].agent] = true;
    for (size_t i = 0; i < m->nops; i++)
        used[m->opsby[i]] = used[m->ops[i].target.agent] = true;
    uint32_t n = 0;
    for (uint32_t i = 0; i < doc->nagents; i++)
        if (used[doc->by_id[i]])
            msg_of[doc->by_id[i]] = n++;
    wf_buf_put_varuint(out, n);
    for (uint32_t i = 0; i < doc->nagents; i++)
        if (used[doc->by_id[i]])
            wf_buf_put_u64le(out, doc->agents[doc->by_id[i]].id);
    if (used != small)
        free(used);
    return n;
}

/* The delete set, grouped by message agent index (increasing = increasing id). */
static void write_dels(const wf__wmsg *m, const uint32_t *msg_of, wf_buf *out)
{
    const wf_doc *doc = m->doc;
    uint32_t groups = 0;
    for (size_t i = 0; i < m->ndels; i++)
        groups += i == 0 || m->dels[i].agent != m->dels[i - 1].agent;
    wf_buf_put_varuint(out, groups);
    for (uint32_t j = 0; j < doc->nagents; j++) {
        uint32_t a = doc->by_id[j];
        size_t lo = 0, hi = m->ndels;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (m->dels[mid].agent < a)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t end = lo;
        while (end < m->ndels && m->dels[end].agent == a)
            end++;
        if (end == lo)
            continue;
        wf_buf_put_varuint(out, msg_of[a]);
        wf_buf_put_varuint(out, end - lo);
        uint64_t prev = 0;
        for (size_t i = lo; i < end; i++) {
            wf_buf_put_varuint(out, m->dels[i].seq - prev);
            wf_buf_put_varuint(out, m->dels[i].len);
            prev = (uint64_t)m->dels[i].seq + m->dels[i].len;
        }
    }
}

/* Floors and delete-log entries, by message agent index (increasing = increasing id). */
static void write_dlog(const wf__wmsg *m, const uint32_t *msg_of, wf_buf *out)
{
    const wf_doc *doc = m->doc;
    wf_buf_put_varuint(out, m->nfloors);
    for (uint32_t j = 0; j < doc->nagents; j++)
        for (size_t i = 0; i < m->nfloors; i++)
            if (m->floors[i].agent == doc->by_id[j]) {
                wf_buf_put_varuint(out, msg_of[doc->by_id[j]]);
                wf_buf_put_varuint(out, m->floors[i].seq);
            }
    uint32_t groups = 0;
    for (size_t i = 0; i < m->nops; i++)
        groups += i == 0 || m->opsby[i] != m->opsby[i - 1];
    wf_buf_put_varuint(out, groups);
    for (uint32_t j = 0; j < doc->nagents; j++) {
        uint32_t a = doc->by_id[j];
        size_t first = 0;
        while (first < m->nops && m->opsby[first] != a)
            first++;
        size_t end = first;
        while (end < m->nops && m->opsby[end] == a)
            end++;
        if (end == first)
            continue;
        wf_buf_put_varuint(out, msg_of[a]);
        wf_buf_put_varuint(out, end - first);
        uint32_t prev = 0, prev_end = 0;
        for (size_t i = first; i < end; i++) {
            const wf__dentry *e = &m->ops[i];
            wf_buf_put_varuint(out, e->dseq - prev);
            wf_buf_put_varuint(out, e->dlast - e->dseq);
            wf_buf_put_varuint(out, msg_of[e->target.agent]);
            wf_buf_put_varint(out, (int64_t)e->target.seq - prev_end);
            wf_buf_put_varuint(out, e->target.len);
            prev = e->dseq;
            prev_end = e->target.seq + e->target.len;
        }
    }
}

static bool lid_is(wf__lid id, uint32_t agent, uint32_t seq)
{
    return !wf__lid_is_none(id) && id.agent == agent && id.seq == seq;
}

/* Runs by their first (or last) unit, for states, whose origins are always the first (or
 * last) unit of another run: a hash table (heads_find: the run's index, or SIZE_MAX). */
typedef struct heads {
    uint64_t *key;  /* agent << 32 | seq, or UINT64_MAX */
    uint32_t *run;
    size_t mask;
} heads;

static uint64_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
}

/* Hashes every run by its first unit, or by its last when `last`. */
static void heads_build(heads *h, const wf__wmsg *m, bool last)
{
    size_t cap = 16;
    while (cap < 2 * m->nw)
        cap *= 2;
    h->key = wf_xreallocarray(NULL, cap, sizeof *h->key);
    h->run = wf_xreallocarray(NULL, cap, sizeof *h->run);
    h->mask = cap - 1;
    memset(h->key, 0xff, cap * sizeof *h->key);
    for (size_t i = 0; i < m->nw; i++) {
        uint32_t seq = m->w[i].seq + (last ? m->w[i].len - 1 : 0);
        uint64_t k = (uint64_t)m->w[i].agent << 32 | seq;
        size_t at = mix(k) & h->mask;
        while (h->key[at] != UINT64_MAX)
            at = (at + 1) & h->mask;
        h->key[at] = k;
        h->run[at] = (uint32_t)i;
    }
}

static size_t heads_find(const heads *h, wf__lid id)
{
    uint64_t k = (uint64_t)id.agent << 32 | id.seq;
    for (size_t at = mix(k) & h->mask; h->key[at] != UINT64_MAX; at = (at + 1) & h->mask)
        if (h->key[at] == k)
            return h->run[at];
    return SIZE_MAX;
}

static void heads_free(heads *h)
{
    free(h->key);
    free(h->run);
}

/* How each run is written: its flags byte and the run distances its kinds refer to. */
typedef struct run_kinds {
    uint8_t flags;
    uint32_t ol_run, or_run; /* OL_RUN: run i - 2 - x; OR_RUN: run i + 2 + x */
} run_kinds;

/* Decides every run's kinds (message agent indexes). */
static void classify(const wf__wmsg *m, run_kinds *kd)
{
    heads hd = {0}, tl = {0};
    if (m->state) {
        heads_build(&hd, m, false);
        heads_build(&tl, m, true);
    }
    for (size_t i = 0; i < m->nw; i++) {
        const wf__wrun *w = &m->w[i], *pw = i ? &m->w[i - 1] : NULL;
        unsigned olk, ork;
        size_t j = SIZE_MAX, k = SIZE_MAX;
        if (wf__lid_is_none(w->ol))
            olk = OL_START;
        else if (w->seq > 0 && lid_is(w->ol, w->agent, w->seq - 1))
            olk = OL_SELF;
        else if (pw && lid_is(w->ol, pw->agent, pw->seq + pw->len - 1))
            olk = OL_PREV;
        else if (m->state && i >= 2 && (j = heads_find(&tl, w->ol)) <= i - 2)
            olk = OL_RUN;
        else
            olk = w->ol.agent == w->agent ? OL_OWN : OL_EXPLICIT;
        if (wf__lid_is_none(w->or))
            ork = OR_END;
        else if (i + 1 < m->nw && lid_is(w->or, m->w[i + 1].agent, m->w[i + 1].seq))
            ork = OR_NEXT;
        else if (pw && wf__lid_eq(w->or, pw->or))
            ork = OR_SAME;
        else if (m->state && (k = heads_find(&hd, w->or)) != SIZE_MAX && k > i + 1)
            ork = OR_RUN;
        else
            ork = OR_EXPLICIT;
        bool same = pw && pw->agent == w->agent;
        bool unit = w->len == 1 && (w->deleted || w->nbytes == 1);
        kd[i].flags = (uint8_t)((olk * OR_KINDS + ork) | (same ? R_SAME_AGENT : 0)
                                | (w->deleted ? R_DELETED : 0) | (unit ? R_UNIT : 0));
        kd[i].ol_run = olk == OL_RUN ? (uint32_t)(i - 2 - j) : 0;
        kd[i].or_run = ork == OR_RUN ? (uint32_t)(k - i - 2) : 0;
    }
    if (m->state) {
        heads_free(&hd);
        heads_free(&tl);
    }
}

/* Writes column c (C_FLAGS..C_BYTES) of the runs to out. prev_end: scratch, one per doc
 * agent. */
static void put_column(const wf__wmsg *m, const run_kinds *kd, const uint32_t *msg_of, int c,
                       uint32_t *prev_end, wf_buf *out)
{
    if (c == C_SEQ)
        memset(prev_end, 0, (m->doc->nagents ? m->doc->nagents : 1) * sizeof *prev_end);
    for (size_t i = 0; i < m->nw; i++) {
        const wf__wrun *w = &m->w[i];
        uint8_t f = kd[i].flags;
        unsigned olk = (f & 31) / OR_KINDS, ork = (f & 31) % OR_KINDS;
        switch (c) {
        case C_FLAGS:
            wf_buf_put_u8(out, f);
            break;
        case C_AGENT:
            if (!(f & R_SAME_AGENT))
                wf_buf_put_varuint(out, msg_of[w->agent]);
            break;
        case C_SEQ:
            wf_buf_put_varint(out, (int64_t)w->seq - prev_end[w->agent]);
            prev_end[w->agent] = w->seq + w->len;
            break;
        case C_LEN:
            if (!(f & R_UNIT))
                wf_buf_put_varuint(out, w->len - 1);
            break;
        case C_OL:
            if (olk == OL_RUN) {
                wf_buf_put_varuint(out, kd[i].ol_run);
            } else if (olk == OL_OWN) {
                wf_buf_put_varuint(out, w->seq - 1 - w->ol.seq);
            } else if (olk == OL_EXPLICIT) {
                wf_buf_put_varuint(out, msg_of[w->ol.agent]);
                wf_buf_put_varuint(out, w->ol.seq);
            }
            break;
        case C_OR:
            if (ork == OR_RUN) {
                wf_buf_put_varuint(out, kd[i].or_run);
            } else if (ork == OR_EXPLICIT) {
                wf_buf_put_varuint(out, msg_of[w->or.agent]);
                wf_buf_put_varuint(out, w->or.seq);
            }
            break;
        default:
            if (!w->deleted && !(f & R_UNIT))
                wf_buf_put_varuint(out, w->nbytes - w->len);
            break;
        }
    }
}

/* Writes a column as a packed block: raw length, packed length (0: raw), bytes. */
static size_t put_block(wf_buf *out, const uint8_t *p, size_t n)
{
    size_t start = out->len;
    wf_buf_put_varuint(out, n);
    if (n == 0) {
        wf_buf_put_varuint(out, 0);
        return out->len - start;
    }
    wf_buf packed, lit;
    wf_buf_init(&packed);
    wf_buf_init(&lit);
    wf_lz_encode(p, n, &packed);
    /* A block of literals alone decodes about twice as fast: taken unless matches save a
     * tenth of its bytes. */
    wf_lz_encode_literals(p, n, &lit);
    if (lit.len <= packed.len + packed.len / 10) {
        wf_buf t = packed;
        packed = lit;
        lit = t;
    }
    wf_buf_free(&lit);
    /* Unpacking costs time at every load: worth it only for a fifth of the bytes or more. */
    if (packed.len < n - n / 5) {
        wf_buf_put_varuint(out, packed.len);
        wf_buf_put(out, packed.data, packed.len);
    } else {
        wf_buf_put_varuint(out, 0);
        wf_buf_put(out, p, n);
    }
    wf_buf_free(&packed);
    return out->len - start;
}

/* The visible texts of the runs, one after another. */
static void put_text(const wf__wmsg *m, wf_buf *out)
{
    for (size_t s = 0; s < m->nsegs; s++)
        wf_buf_put(out, m->segs[s].p, (size_t)m->segs[s].n);
}

void wf__wire_write(wf__wmsg *m, wf_buf *out, wf__wire_stats *st)
{
    const wf_doc *doc = m->doc;
    wf__wire_stats local;
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    normalize_dels(m);
    size_t start = out->len, na = doc->nagents ? doc->nagents : 1;
    /* Small messages (a keystroke) are the common case: no allocation for them. */
    uint32_t small_a[2][16];
    run_kinds small_k[8];
    uint32_t *msg_of = na <= 16 ? small_a[0] : wf_xcalloc(na, sizeof *msg_of);
    uint32_t *prev_end = na <= 16 ? small_a[1] : wf_xcalloc(na, sizeof *prev_end);
    run_kinds *kd = m->nw <= 8 ? small_k : wf_xreallocarray(NULL, m->nw, sizeof *kd);
    wf_buf_put_u8(out, FORMAT_VERSION);
    size_t flags_at = out->len;
    wf_buf_put_u8(out, m->state ? F_STATE : 0);
    agent_table(m, msg_of, out);
    st->header = out->len - start;
    size_t at = out->len;
    write_dels(m, msg_of, out);
    write_dlog(m, msg_of, out);
    st->dels = out->len - at;
    classify(m, kd);
    at = out->len;
    wf_buf_put_varuint(out, m->nw);
    st->header += out->len - at;
    st->runs = m->nw;
    uint64_t text = 0;
    for (size_t i = 0; i < m->nw; i++)
        text += m->w[i].nbytes;
    /* Packed when large: every column is made apart, then packed; else written in place. */
    bool packed = text + 6 * m->nw >= PACK_MIN;
    if (packed)
        out->data[flags_at] |= F_PACKED;
    wf_buf col;
    wf_buf_init(&col);
    for (int c = 0; c < NCOLS; c++) {
        at = out->len;
        wf_buf *dst = packed ? &col : out;
        wf_buf_reset(&col);
        size_t before = dst->len;
        if (c == C_TEXT)
            put_text(m, dst);
        else
            put_column(m, kd, msg_of, c, prev_end, dst);
        size_t raw = dst->len - before;
        if (packed)
            put_block(out, col.data, col.len);
        if (c == C_TEXT) {
            st->text_raw = raw;
            st->text = out->len - at;
        } else {
            st->col_raw[c] = raw;
            st->col[c] = out->len - at;
        }
    }
    wf_buf_free(&col);
    if (msg_of != small_a[0])
        free(msg_of);
    if (prev_end != small_a[1])
        free(prev_end);
    if (kd != small_k)
        free(kd);
}

/* --- reading ---------------------------------------------------------------------------- */

/* The hot loop's own varint readers (wf_read_varuint's contract, inlined): 0 or
 * WF_EDECODE (truncated, or longer than 64 bits). */
static inline int get_u(wf_reader *r, uint64_t *v)
{
    const uint8_t *p = r->p;
    if (p < r->end && p[0] < 0x80) {
        *v = p[0];
        r->p = p + 1;
        return 0;
    }
    if (r->end - p >= 3) {
        if (p[0] < 0x80) {
            *v = p[0];
            r->p = p + 1;
            return 0;
        }
        if (p[1] < 0x80) {
            *v = (uint64_t)(p[0] & 0x7f) | (uint64_t)p[1] << 7;
            r->p = p + 2;
            return 0;
        }
        if (p[2] < 0x80) {
            *v = (uint64_t)(p[0] & 0x7f) | (uint64_t)(p[1] & 0x7f) << 7 | (uint64_t)p[2] << 14;
            r->p = p + 3;
            return 0;
        }
    }
    return wf_read_varuint(r, v);
}

static inline int get_u32(wf_reader *r, uint32_t *v)
{
    uint64_t x;
    if (get_u(r, &x) || x > UINT32_MAX)
        return WF_EDECODE;
    *v = (uint32_t)x;
    return 0;
}

static inline int get_i(wf_reader *r, int64_t *v)
{
    uint64_t x;
    if (get_u(r, &x))
        return WF_EDECODE;
    *v = (int64_t)(x >> 1) ^ -(int64_t)(x & 1);
    return 0;
}


int wf__wire_start(wf_reader *r, const uint8_t *data, size_t n, wf__decoded *d,
                   uint8_t version, uint8_t known_flags, uint8_t *flags)
{
    memset(d, 0, sizeof *d);
    d->in_seq_order = true;
    wf_reader_init(r, data, n);
    uint8_t v;
    *flags = 0;
    if (wf_read_u8(r, &v) || v != version || wf_read_u8(r, flags) || (*flags & ~known_flags))
        return WF_EDECODE;
    return wf__wire_read_agents(r, d);
}

int wf__wire_read_agents(wf_reader *r, wf__decoded *d)
{
    uint64_t n;
    if (wf_read_varuint(r, &n) || n > wf_reader_left(r) / 8)
        return WF_EDECODE;
    d->nagents = (uint32_t)n;
    if (!(d->agents = wf_trymalloc((n ? n : 1) * sizeof *d->agents)))
        return WF_ENOMEM;
    for (uint32_t i = 0; i < d->nagents; i++)
        if (wf_read_u64le(r, &d->agents[i]) || (i > 0 && d->agents[i] <= d->agents[i - 1]))
            return WF_EDECODE;
    return 0;
}

int wf__wire_read_dels(wf_reader *r, wf__decoded *d, bool by_agent)
{
    uint64_t groups;
    if (wf_read_varuint(r, &groups) || groups > d->nagents)
        return WF_EDECODE;
    if (by_agent) {
        size_t na = d->nagents ? d->nagents : 1;
        d->del_first = wf_trymalloc(na * sizeof *d->del_first);
        d->del_end = wf_trymalloc(na * sizeof *d->del_end);
        if (!d->del_first || !d->del_end)
            return WF_ENOMEM;
        for (uint32_t i = 0; i < d->nagents; i++)
            d->del_first[i] = d->del_end[i] = 0;
    }
    size_t cap = 0;
    int64_t last_agent = -1;
    for (uint64_t g = 0; g < groups; g++) {
        uint32_t a;
        uint64_t k;
        if (wf_read_varu32(r, &a) || a >= d->nagents || (int64_t)a <= last_agent
            || wf_read_varuint(r, &k) || k == 0 || k > wf_reader_left(r) / 2)
            return WF_EDECODE;
        last_agent = a;
        if (d->ndels + k > cap) {
            cap = (d->ndels + k) * 2;
            wf__mdel *nd = wf_tryrealloc(d->dels, cap * sizeof *nd);
            if (!nd)
                return WF_ENOMEM;
            d->dels = nd;
        }
        if (by_agent)
            d->del_first[a] = (uint32_t)d->ndels;
        uint64_t prev = 0;
        for (uint64_t j = 0; j < k; j++) {
            uint64_t gap, len;
            if (wf_read_varuint(r, &gap) || wf_read_varuint(r, &len) || len == 0
                || gap > WF_MAX_SEQ || prev + gap + len > WF_MAX_SEQ)
                return WF_EDECODE;
            d->dels[d->ndels++] = (wf__mdel){a, (uint32_t)(prev + gap), (uint32_t)len};
            prev += gap + len;
        }
        if (by_agent)
            d->del_end[a] = (uint32_t)d->ndels;
    }
    return 0;
}

static int read_floors(wf_reader *r, wf__decoded *d)
{
    uint64_t n;
    if (wf_read_varuint(r, &n) || n > d->nagents)
        return WF_EDECODE;
    if (!(d->floors = wf_trymalloc((n ? n : 1) * sizeof *d->floors)))
        return WF_ENOMEM;
    for (uint64_t i = 0; i < n; i++) {
        uint32_t a, f;
        if (get_u32(r, &a) || a >= d->nagents || (i > 0 && a <= d->floors[i - 1].agent)
            || get_u32(r, &f) || f == 0 || f == UINT32_MAX)
            return WF_EDECODE;
        d->floors[d->nfloors++] = (wf__range){a, f, 0};
    }
    return 0;
}

/* One group of delete-log entries: deleter's, k of them. */
static int read_entries(wf_reader *r, wf__decoded *d, uint32_t deleter, uint64_t k)
{
    uint64_t dseq = 0, prev_end = 0;
    for (uint64_t j = 0; j < k; j++) {
        uint64_t step, span, len;
        uint32_t ta;
        int64_t delta;
        if (get_u(r, &step) || get_u(r, &span) || get_u32(r, &ta) || ta >= d->nagents
            || get_i(r, &delta) || get_u(r, &len) || len == 0)
            return WF_EDECODE;
        dseq += step;
        int64_t seq = (int64_t)prev_end + delta;
        if (step > UINT32_MAX || dseq + span >= UINT32_MAX || delta < -(int64_t)WF_MAX_SEQ
            || delta > (int64_t)WF_MAX_SEQ || seq < 0 || (uint64_t)seq + len > WF_MAX_SEQ)
            return WF_EDECODE;
        prev_end = (uint64_t)seq + len;
        d->ops[d->nops++] = (wf__mop){deleter, {(uint32_t)dseq, (uint32_t)(dseq + span),
                                                {ta, (uint32_t)seq, (uint32_t)len}}};
    }
    return 0;
}

static int read_dlog(wf_reader *r, wf__decoded *d)
{
    int err = read_floors(r, d);
    uint64_t groups;
    if (err || wf_read_varuint(r, &groups) || groups > d->nagents)
        return err ? err : WF_EDECODE;
    size_t cap = 0;
    int64_t last = -1;
    for (uint64_t g = 0; g < groups; g++) {
        uint32_t a;
        uint64_t k;
        /* An entry takes five bytes at least. */
        if (get_u32(r, &a) || a >= d->nagents || (int64_t)a <= last || get_u(r, &k) || k == 0
            || k > wf_reader_left(r) / 5 || d->nops + k > WF__MAX_ITEMS)
            return WF_EDECODE;
        last = a;
        if (d->nops + k > cap) {
            cap = (d->nops + k) * 2;
            wf__mop *n = wf_tryrealloc(d->ops, cap * sizeof *n);
            if (!n)
                return WF_ENOMEM;
            d->ops = n;
        }
        if ((err = read_entries(r, d, a, k)))
            return err;
    }
    return 0;
}

/* The message's columns: a reader over each, and the blocks they were unpacked into. */
typedef struct cols {
    wf_reader r[NCOLS];
    uint8_t *own[NCOLS];
} cols;

static void cols_free(cols *c)
{
    for (int i = 0; i < NCOLS; i++)
        free(c->own[i]);
}

static int skip_varuints(wf_reader *r, uint64_t k)
{
    uint64_t v;
    for (uint64_t i = 0; i < k; i++)
        if (get_u(r, &v))
            return WF_EDECODE;
    return 0;
}

/* Values each column holds, from the FLAGS column (already located in c->r[C_FLAGS]). */
static int column_counts(const wf_reader *flags, uint64_t nruns, uint64_t *count)
{
    const uint8_t *f = flags->p;
    if ((uint64_t)(flags->end - flags->p) != nruns)
        return WF_EDECODE;
    memset(count, 0, NCOLS * sizeof *count);
    count[C_FLAGS] = count[C_SEQ] = nruns;
    for (uint64_t i = 0; i < nruns; i++) {
        unsigned kind = f[i] & 31, olk = kind / OR_KINDS, ork = kind % OR_KINDS;
        if (kind >= OL_KINDS * OR_KINDS || (i == 0 && (f[i] & R_SAME_AGENT)))
            return WF_EDECODE;
        count[C_AGENT] += !(f[i] & R_SAME_AGENT);
        count[C_LEN] += !(f[i] & R_UNIT);
        count[C_OL] += olk == OL_EXPLICIT ? 2 : olk == OL_RUN || olk == OL_OWN;
        count[C_OR] += ork == OR_EXPLICIT ? 2 : ork == OR_RUN;
        count[C_BYTES] += !(f[i] & (R_DELETED | R_UNIT));
    }
    return 0;
}

/* Unpacked: the columns follow one another; each one's extent follows from the counts. */
static int locate_raw(wf_reader *msg, uint64_t nruns, cols *c)
{
    const uint8_t *p;
    if (wf_read_bytes(msg, (size_t)nruns, &p))
        return WF_EDECODE;
    wf_reader_init(&c->r[C_FLAGS], p, (size_t)nruns);
    uint64_t count[NCOLS];
    int err = column_counts(&c->r[C_FLAGS], nruns, count);
    for (int i = C_AGENT; i < C_TEXT && !err; i++) {
        const uint8_t *start = msg->p;
        if (skip_varuints(msg, count[i]))
            return WF_EDECODE;
        wf_reader_init(&c->r[i], start, (size_t)(msg->p - start));
    }
    if (!err)
        wf_reader_init(&c->r[C_TEXT], msg->p, wf_reader_left(msg));
    msg->p = msg->end;
    return err;
}

/* Packed: every column is a block (raw length, packed length or 0, bytes). */
static int locate_packed(wf_reader *msg, uint64_t nruns, cols *c)
{
    for (int i = 0; i < NCOLS; i++) {
        uint64_t raw, packed;
        const uint8_t *p;
        if (wf_read_varuint(msg, &raw) || wf_read_varuint(msg, &packed))
            return WF_EDECODE;
        if (packed == 0) {
            if (raw > wf_reader_left(msg) || wf_read_bytes(msg, (size_t)raw, &p))
                return WF_EDECODE;
            wf_reader_init(&c->r[i], p, (size_t)raw);
            continue;
        }
        /* A code spends at least 2 bits on 258 bytes: more is not a block of this size. */
        if (raw == 0 || packed > wf_reader_left(msg) || raw > 1032 * packed + 64
            || raw > WF_MAX_UPDATE || wf_read_bytes(msg, (size_t)packed, &p))
            return WF_EDECODE;
        if (!(c->own[i] = wf_trymalloc((size_t)raw)))
            return WF_ENOMEM;
        int err = wf_lz_decode(p, (size_t)packed, c->own[i], (size_t)raw);
        if (err)
            return err;
        wf_reader_init(&c->r[i], c->own[i], (size_t)raw);
    }
    /* read_one() checks each flags byte as it goes. */
    if (wf_reader_left(msg) != 0 || (uint64_t)(c->r[C_FLAGS].end - c->r[C_FLAGS].p) != nruns)
        return WF_EDECODE;
    return 0;
}

/* --- the runs: the hot loop of loading a state ------------------------------------------ */

/* A column being read: its next byte and its end. Kept in locals (no address taken on the
 * fast path), so that the loop below runs in registers. */
typedef struct cur {
    const uint8_t *p, *e;
} cur;

/* A varuint of more bytes than the fast path takes; p past it, or NULL. */
static const uint8_t *varint_slow(const uint8_t *p, const uint8_t *e, uint64_t *v)
{
    wf_reader r;
    wf_reader_init(&r, p, (size_t)(e - p));
    return wf_read_varuint(&r, v) ? NULL : r.p;
}

static inline bool next_u(cur *c, uint64_t *v)
{
    if (c->p < c->e && c->p[0] < 0x80) {
        *v = *c->p++;
        return true;
    }
    if (c->e - c->p >= 2 && c->p[1] < 0x80) {
        *v = (uint64_t)(c->p[0] & 0x7f) | (uint64_t)c->p[1] << 7;
        c->p += 2;
        return true;
    }
    if (c->e - c->p >= 3 && c->p[2] < 0x80) {
        *v = (uint64_t)(c->p[0] & 0x7f) | (uint64_t)(c->p[1] & 0x7f) << 7
             | (uint64_t)c->p[2] << 14;
        c->p += 3;
        return true;
    }
    const uint8_t *q = varint_slow(c->p, c->e, v);
    if (!q)
        return false;
    c->p = q;
    return true;
}

static inline bool next_u32(cur *c, uint32_t *v)
{
    uint64_t x;
    if (!next_u(c, &x) || x > UINT32_MAX)
        return false;
    *v = (uint32_t)x;
    return true;
}

static wf__lid last_of(const wf__run *r)
{
    return wf__lid_make(r->agent, r->seq + r->len - 1);
}

/* Everything the loop keeps between runs that does not fit in registers. */
typedef struct rd {
    wf__decoded *d;
    uint32_t *prev_end;  /* per message agent */
    uint32_t *or_run;    /* per run: the run whose head is its or, or UINT32_MAX */
    uint64_t nruns;
    uint64_t text_len;
    uint64_t extra;      /* non-zero when some run has more bytes than units */
} rd;

static bool read_lid(cur *c, uint32_t nagents, wf__lid *id)
{
    uint32_t a, s;
    if (!next_u32(c, &a) || a >= nagents || !next_u32(c, &s) || s == UINT32_MAX)
        return false;
    *id = wf__lid_make(a, s);
    return true;
}

/* The origins of run i (at p, after prev) from the kinds in its flags f. */
static bool read_origins(rd *x, uint64_t i, uint8_t f, wf__run *p, const wf__run *prev,
                         cur *col, cur *cor)
{
    unsigned kind = f & 31, olk = kind / OR_KINDS, ork = kind % OR_KINDS;
    uint32_t a = p->agent, seq = p->seq;
    uint64_t v;
    /* The kinds that need no value are the common ones: chosen from a table, so that which
     * one a run has costs no unpredictable branch. */
    if (olk <= OL_PREV && ork <= OR_SAME && prev && (olk != OL_SELF || seq > 0)) {
        wf__lid ols[3] = {WF__SENTINEL, wf__lid_make(a, seq - 1), last_of(prev)};
        wf__lid ors[3] = {WF__SENTINEL, WF__SENTINEL, prev->or};
        uint32_t runs[3] = {UINT32_MAX, (uint32_t)(i + 1), x->or_run[i - 1]};
        p->ol = ols[olk];
        p->or = ors[ork];
        x->or_run[i] = runs[ork];
        return (p->ol.agent != a || p->ol.seq < seq) && (ork != OR_NEXT || i + 1 < x->nruns);
    }
    switch (olk) {
    case OL_START:
        p->ol = WF__SENTINEL;
        break;
    case OL_SELF:
        if (seq == 0)
            return false;
        p->ol = wf__lid_make(a, seq - 1);
        break;
    case OL_PREV:
        if (!prev)
            return false;
        p->ol = last_of(prev);
        break;
    case OL_RUN:
        if (!next_u(col, &v) || i < 2 || v > i - 2)
            return false;
        p->ol = last_of(wf__decoded_run(x->d, i - 2 - v));
        break;
    case OL_OWN:
        if (!next_u(col, &v) || v >= seq)
            return false;
        p->ol = wf__lid_make(a, (uint32_t)(seq - 1 - v));
        break;
    default:
        if (!read_lid(col, x->d->nagents, &p->ol))
            return false;
        break;
    }
    /* No reference to one's own units that do not exist yet. */
    if (p->ol.agent == a && p->ol.seq >= seq)
        return false;
    x->or_run[i] = UINT32_MAX;
    switch (ork) {
    case OR_END:
        p->or = WF__SENTINEL;
        return true;
    case OR_NEXT:
        x->or_run[i] = (uint32_t)(i + 1);
        return i + 1 < x->nruns;
    case OR_SAME:
        if (!prev)
            return false;
        x->or_run[i] = x->or_run[i - 1];
        p->or = prev->or;
        return true;
    case OR_RUN:
        if (!next_u(cor, &v) || i + 2 >= x->nruns || v >= x->nruns - i - 2)
            return false;
        x->or_run[i] = (uint32_t)(i + 2 + v);
        return true;
    default:
        return read_lid(cor, x->d->nagents, &p->or);
    }
}

/* Reads every run from the columns into d's leaves; WF_EDECODE unless each column is used up
 * exactly. */
static int read_all(rd *x, const cols *c)
{
    wf__decoded *d = x->d;
    const uint8_t *flags = c->r[C_FLAGS].p;
    cur ca = {c->r[C_AGENT].p, c->r[C_AGENT].end}, cs = {c->r[C_SEQ].p, c->r[C_SEQ].end};
    cur cl = {c->r[C_LEN].p, c->r[C_LEN].end}, cb = {c->r[C_BYTES].p, c->r[C_BYTES].end};
    cur col = {c->r[C_OL].p, c->r[C_OL].end}, cor = {c->r[C_OR].p, c->r[C_OR].end};
    uint32_t a = 0, nagents = d->nagents;
    uint64_t text_len = 0, extra_or = 0;
    const wf__run *prev = NULL;
    for (size_t l = 0, i = 0; i < x->nruns; l++) {
        wf__run *runs = d->leaves[l].runs;
        for (uint32_t k = 0; k < WF_LOAD_FILL && i < x->nruns; k++, i++) {
            uint8_t f = flags[i];
            wf__run *p = &runs[k];
            uint64_t u, len = 0, extra = 0;
            if ((f & 31) >= OL_KINDS * OR_KINDS || (!prev && (f & R_SAME_AGENT)))
                return WF_EDECODE;
            if (!(f & R_SAME_AGENT) && (!next_u32(&ca, &a) || a >= nagents))
                return WF_EDECODE;
            if (!next_u(&cs, &u) || (!(f & R_UNIT) && !next_u(&cl, &len)) || len >= WF_MAX_SEQ)
                return WF_EDECODE;
            /* The zigzag seq delta: |delta| <= WF_MAX_SEQ, so no overflow below. */
            int64_t delta = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
            if ((uint64_t)delta + WF_MAX_SEQ > 2 * (uint64_t)WF_MAX_SEQ)
                return WF_EDECODE;
            len++;
            int64_t seq = (int64_t)x->prev_end[a] + delta;
            if (seq < 0 || (uint64_t)seq + len > WF_MAX_SEQ)
                return WF_EDECODE;
            if (delta < 0)
                d->in_seq_order = false;
            x->prev_end[a] = (uint32_t)(seq + (int64_t)len);
            p->agent = a;
            p->deleted = (f & R_DELETED) != 0;
            p->seq = (uint32_t)seq;
            p->len = (uint32_t)len;
            p->nl = 0;
            if (!read_origins(x, i, f, p, prev, &col, &cor))
                return WF_EDECODE;
            if (f & R_DELETED) {
                p->nbytes = 0;
                p->text = WF_NOTEXT;
            } else {
                if ((!(f & R_UNIT) && !next_u(&cb, &extra)) || extra > 3 * len
                    || text_len + len + extra > WF_LOG_MAX)
                    return WF_EDECODE;
                p->nbytes = (uint32_t)(len + extra);
                p->text = (uint32_t)text_len;
                text_len += p->nbytes;
                extra_or |= extra;
            }
            prev = p;
        }
    }
    x->text_len = text_len;
    x->extra = extra_or;
    if (ca.p != ca.e || cs.p != cs.e || cl.p != cl.e || cb.p != cb.e || col.p != col.e
        || cor.p != cor.e)
        return WF_EDECODE;
    return 0;
}

/* True when s[0..n) has no byte >= 0x80 (then every byte is a unit). */
static bool all_ascii(const char *s, uint64_t n)
{
    uint64_t acc = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, s + i, 8);
        acc |= v;
    }
    for (; i < n; i++)
        acc |= (uint8_t)s[i];
    return !(acc & 0x8080808080808080ULL);
}

/* Every run's text must segment into exactly its units. */
static int check_text(rd *x, const cols *c)
{
    const wf_reader *t = &c->r[C_TEXT];
    if ((uint64_t)(t->end - t->p) != x->text_len)
        return WF_EDECODE;
    const char *text = (const char *)t->p;
    x->d->text_base = text;
    /* ASCII text: every byte is a unit, so no run may have more bytes than units. */
    if (all_ascii(text, x->text_len))
        return x->extra ? WF_EDECODE : 0;
    for (uint64_t i = 0; i < x->nruns; i++) {
        const wf__run *p = wf__decoded_run(x->d, i);
        if (!p->deleted && wf_utf8_count(text + p->text, p->nbytes, NULL) != p->len)
            return WF_EDECODE;
    }
    return 0;
}

static int read_runs(wf_reader *msg, wf__decoded *d, bool packed)
{
    uint64_t nruns;
    if (wf_read_varuint(msg, &nruns) || nruns > WF__MAX_ITEMS
        || (!packed && nruns > wf_reader_left(msg)))
        return WF_EDECODE;
    cols c;
    memset(&c, 0, sizeof c);
    /* Small messages (a keystroke) are the common case: their scratch is on the stack. */
    uint32_t small_pe[16], small_or[16];
    rd x = {d, d->nagents <= 16 ? small_pe : wf_trymalloc(d->nagents * sizeof *x.prev_end),
            nruns <= 16 ? small_or : wf_trymalloc(nruns * sizeof *x.or_run), nruns, 0, 0};
    int err = x.prev_end && x.or_run ? wf__decoded_reserve(d, nruns, !d->state) : WF_ENOMEM;
    if (!err)
        err = packed ? locate_packed(msg, nruns, &c) : locate_raw(msg, nruns, &c);
    if (!err) {
        memset(x.prev_end, 0, (d->nagents ? d->nagents : 1) * sizeof *x.prev_end);
        err = read_all(&x, &c);
    }
    d->nruns = err ? 0 : nruns;
    for (size_t l = 0, i = 0; i < nruns && !err; l++)
        for (uint32_t k = 0; k < WF_LOAD_FILL && i < nruns; k++, i++) {
            wf__run *p = &d->leaves[l].runs[k];
            uint32_t h = x.or_run[i];
            if (h == (uint32_t)i + 1) /* the next run: usually in this leaf */
                p->or = k + 1 < WF_LOAD_FILL ? wf__lid_make(p[1].agent, p[1].seq)
                                             : wf__lid_make(d->leaves[l + 1].runs[0].agent,
                                                            d->leaves[l + 1].runs[0].seq);
            else if (h != UINT32_MAX)
                p->or = wf__lid_make(wf__decoded_run(d, h)->agent, wf__decoded_run(d, h)->seq);
            if (p->or.agent == p->agent && !wf__lid_is_none(p->or) && p->or.seq >= p->seq)
                err = WF_EDECODE;
        }
    if (!err)
        err = check_text(&x, &c);
    if (!err) {
        d->text_len = x.text_len;
        d->text = (char *)c.own[C_TEXT]; /* text_base points into it */
        c.own[C_TEXT] = NULL;
    }
    cols_free(&c);
    if (x.prev_end != small_pe)
        free(x.prev_end);
    if (x.or_run != small_or)
        free(x.or_run);
    return err;
}

int wf__wire2_decode(const uint8_t *data, size_t n, wf__decoded *d)
{
    wf_reader r;
    uint8_t flags;
    int err = wf__wire_start(&r, data, n, d, FORMAT_VERSION, F_STATE | F_PACKED, &flags);
    d->state = flags & F_STATE;
    if (!err)
        err = wf__wire_read_dels(&r, d, false);
    if (!err)
        err = read_dlog(&r, d);
    if (!err)
        err = read_runs(&r, d, flags & F_PACKED);
    return err;
}
