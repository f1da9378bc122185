/* Updates: encoding and decoding (CRDT.md §3.2, compacted).
 *
 * Format, version 1 (all varuints LEB128, varints zigzag):
 *
 *   u8 version (1) · u8 flags (bit 0: runs are in document order; bit 1: the text column
 *                              is a Huffman block, core/huff.h)
 *   agents: varuint n · n × u64 little-endian, strictly increasing; fields below index this
 *   dels:   varuint m · m × { varuint agent (strictly increasing), varuint k,
 *                             k × (varuint gap from the previous range's end, varuint len) }
 *   runs:   varuint r · r × run
 *   text:   the visible text of every run, in run order, to the end of the message
 *
 *   run:    u8 flags · [varuint agent] · varint seq delta · [varuint len] · [ol] · [or]
 *           · [varuint nbytes]
 *     flags bits 0-1, origin-left:  0 START, 1 (agent, seq-1), 2 the last unit of the
 *                                   previous run, 3 explicit
 *     flags bits 2-3, origin-right: 0 END, 1 the first unit of the next run, 2 explicit,
 *                                   3 explicit, own agent
 *     flags bit 4: same agent as the previous run (agent field omitted)
 *     flags bit 5: the run's text has one byte per visible unit (nbytes omitted)
 *     flags bit 6: the explicit origin-left is the run's own agent
 *     flags bit 7: len is 1 (len omitted)
 *     seq = the end of this agent's previous run in the message (0 at first) + delta.
 *     An explicit origin is (varuint agent, varuint seq); one of the run's own agent (which
 *     must precede it) is varuint (seq - 1 - origin seq).
 *     nbytes: bytes of the run's *visible* units, present when it has any.
 *
 * The delete set comes first so that a decoder knows, for every run, which of its units
 * are deleted (they travel without text). A diff lists every tombstone (the peer may lack
 * any deletion), as Yjs does. Runs are emitted in document order, so origins usually point
 * at the neighbouring run and cost no bytes; a decoder that holds nothing loads such a
 * snapshot without searching (bulk_load below). Text sits in one column at the end.
 *
 * Decoding validates the whole message before changing the document: every count against
 * the bytes left, every index, seq ranges within 32 bits, no forward reference to one's own
 * units, text that segments into exactly the visible unit count, no known unit with
 * different text. */
#include <stdlib.h>
#include <string.h>

#include "core/codec.h"
#include "core/doc-internal.h"
#include "core/huff.h"
#include "core/mem.h"
#include "core/utf8.h"

#define FORMAT_VERSION 1
#define F_DOC_ORDER 0x01
#define F_HUFF 0x02 /* the text column is a Huffman block (core/huff.h) */
#define HUFF_MIN 1024 /* smaller text columns are sent as they are */

#define OL_START 0
#define OL_SELF 1
#define OL_PREV 2
#define OL_EXPLICIT 3
#define OR_END (0 << 2)
#define OR_NEXT (1 << 2)
#define OR_EXPLICIT (2 << 2)
#define OR_OWN (3 << 2)
#define R_SAME_AGENT 0x10
#define R_BYTE_UNITS 0x20
#define R_OL_OWN 0x40
#define R_LEN1 0x80

/* Most pieces and pending items one document accepts, so a peer cannot exhaust memory. */
#define MAX_PENDING ((size_t)1 << 24)

/* --- encoding ------------------------------------------------------------------------- */

typedef struct seg {
    const char *p;
    uint64_t n;
} seg;

typedef struct wire {
    uint32_t agent, seq, len; /* doc agent index */
    wf__lid ol, or;
    uint32_t seg_first, nseg; /* its visible text, in enc.segs */
    uint64_t nbytes;          /* visible bytes */
    uint64_t vis;             /* visible units */
    uint8_t tail[3];          /* the last (up to 3) bytes of its text */
    uint8_t ntail;
} wire;

typedef struct enc {
    const wf_doc *doc;
    wire *w;
    size_t nw, wcap;
    seg *segs;
    size_t nsegs, segcap;
    wf__range *dels;
    size_t ndels, delcap;
} enc;

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    *cap = c;
    return wf_xreallocarray(p, c, size);
}

static void enc_del(enc *e, wf__range r)
{
    e->dels = grow(e->dels, &e->delcap, e->ndels + 1, sizeof *e->dels);
    e->dels[e->ndels++] = r;
}

/* Can text continue the wire run's text without changing how either segments? This looks
 * at the text only (never at how runs happen to be split in memory), so that replicas with
 * the same content encode it to the same bytes. */
static bool text_joins(const wire *w)
{
    return wf_utf8_ends_clean((const char *)w->tail, w->ntail);
}

static void keep_tail(wire *w, const char *text, uint64_t n)
{
    uint8_t buf[6];
    size_t k = 0;
    for (uint8_t i = 0; i < w->ntail; i++)
        buf[k++] = w->tail[i];
    for (uint64_t i = n > 3 ? n - 3 : 0; i < n; i++)
        buf[k++] = (uint8_t)text[i];
    size_t keep = k < 3 ? k : 3;
    memcpy(w->tail, buf + k - keep, keep);
    w->ntail = (uint8_t)keep;
}

/* Adds units [seq, seq+len) of agent, with origins ol (first unit) and or, to the message,
 * with their text (deleted units: none; the caller puts them in the delete set). */
static void enc_piece(enc *e, uint32_t agent, uint32_t seq, uint32_t len, wf__lid ol,
                      wf__lid or, bool deleted, const char *text, uint64_t nbytes)
{
    wire *w = e->nw ? &e->w[e->nw - 1] : NULL;
    bool chain = w && w->agent == agent && w->seq + w->len == seq
                 && wf__lid_eq(ol, wf__lid_make(agent, seq - 1)) && wf__lid_eq(w->or, or)
                 && (deleted || text_joins(w));
    if (!chain) {
        e->w = grow(e->w, &e->wcap, e->nw + 1, sizeof *e->w);
        w = &e->w[e->nw++];
        *w = (wire){agent, seq, 0, ol, or, (uint32_t)e->nsegs, 0, 0, 0, {0, 0, 0}, 0};
    }
    w->len += len;
    if (!deleted && nbytes) {
        e->segs = grow(e->segs, &e->segcap, e->nsegs + 1, sizeof *e->segs);
        e->segs[e->nsegs++] = (seg){text, nbytes};
        keep_tail(w, text, nbytes);
        w->nseg++;
        w->nbytes += nbytes;
        w->vis += len;
    }
}

static int range_cmp(const void *a, const void *b)
{
    const wf__range *x = a, *y = b;
    if (x->agent != y->agent)
        return x->agent < y->agent ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorts the delete ranges by doc agent index and seq, merging overlaps. */
static void normalize_dels(enc *e)
{
    if (e->ndels == 0)
        return;
    qsort(e->dels, e->ndels, sizeof *e->dels, range_cmp);
    size_t k = 0;
    for (size_t i = 1; i < e->ndels; i++) {
        wf__range *last = &e->dels[k], *r = &e->dels[i];
        uint64_t end = (uint64_t)last->seq + last->len;
        if (r->agent == last->agent && r->seq <= end) {
            uint64_t rend = (uint64_t)r->seq + r->len;
            if (rend > end)
                last->len = (uint32_t)(rend - last->seq);
        } else {
            e->dels[++k] = *r;
        }
    }
    e->ndels = k + 1;
}

static void put_u64le(wf_buf *out, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    wf_buf_put(out, b, 8);
}

static void put_lid(wf_buf *out, const uint32_t *msg_of, wf__lid id)
{
    wf_buf_put_varuint(out, msg_of[id.agent]);
    wf_buf_put_varuint(out, id.seq);
}

static void enc_write(enc *e, bool doc_order, wf_buf *out)
{
    const wf_doc *doc = e->doc;
    normalize_dels(e);
    /* The message's agent table: the agents it mentions, by increasing id. */
    uint32_t *msg_of = wf_xcalloc(doc->nagents, sizeof *msg_of);
    bool *used = wf_xcalloc(doc->nagents, sizeof *used);
    for (size_t i = 0; i < e->nw; i++) {
        used[e->w[i].agent] = true;
        if (!wf__lid_is_none(e->w[i].ol))
            used[e->w[i].ol.agent] = true;
        if (!wf__lid_is_none(e->w[i].or))
            used[e->w[i].or.agent] = true;
    }
    for (size_t i = 0; i < e->ndels; i++)
        used[e->dels[i].agent] = true;
    uint32_t n = 0;
    for (uint32_t i = 0; i < doc->nagents; i++)
        if (used[doc->by_id[i]])
            msg_of[doc->by_id[i]] = n++;
    size_t header = out->len;
    wf_buf_put_u8(out, FORMAT_VERSION);
    wf_buf_put_u8(out, doc_order ? F_DOC_ORDER : 0);
    wf_buf_put_varuint(out, n);
    for (uint32_t i = 0; i < doc->nagents; i++)
        if (used[doc->by_id[i]])
            put_u64le(out, doc->agents[doc->by_id[i]].id);

    /* Delete set, grouped by message agent index (increasing = increasing doc id). */
    uint32_t groups = 0;
    for (size_t i = 0; i < e->ndels; i++)
        groups += i == 0 || e->dels[i].agent != e->dels[i - 1].agent;
    wf_buf_put_varuint(out, groups);
    /* Doc agent index order is not id order: emit groups in id order. */
    for (uint32_t j = 0; j < doc->nagents; j++) {
        uint32_t a = doc->by_id[j];
        size_t lo = 0, hi = e->ndels;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (e->dels[mid].agent < a)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t end = lo;
        while (end < e->ndels && e->dels[end].agent == a)
            end++;
        if (end == lo)
            continue;
        wf_buf_put_varuint(out, msg_of[a]);
        wf_buf_put_varuint(out, end - lo);
        uint64_t prev = 0;
        for (size_t i = lo; i < end; i++) {
            wf_buf_put_varuint(out, e->dels[i].seq - prev);
            wf_buf_put_varuint(out, e->dels[i].len);
            prev = (uint64_t)e->dels[i].seq + e->dels[i].len;
        }
    }

    wf_buf_put_varuint(out, e->nw);
    uint32_t *prev_end = wf_xcalloc(doc->nagents, sizeof *prev_end);
    uint64_t text_len = 0;
    for (size_t i = 0; i < e->nw; i++) {
        const wire *w = &e->w[i];
        uint8_t flags = 0;
        if (wf__lid_is_none(w->ol))
            flags |= OL_START;
        else if (wf__lid_eq(w->ol, wf__lid_make(w->agent, w->seq - 1)) && w->seq > 0)
            flags |= OL_SELF;
        else if (i > 0 && wf__lid_eq(w->ol, wf__lid_make(e->w[i - 1].agent,
                                                          e->w[i - 1].seq + e->w[i - 1].len - 1)))
            flags |= OL_PREV;
        else
            flags |= OL_EXPLICIT | (w->ol.agent == w->agent ? R_OL_OWN : 0);
        if (wf__lid_is_none(w->or))
            flags |= OR_END;
        else if (i + 1 < e->nw
                 && wf__lid_eq(w->or, wf__lid_make(e->w[i + 1].agent, e->w[i + 1].seq)))
            flags |= OR_NEXT;
        else
            flags |= w->or.agent == w->agent ? OR_OWN : OR_EXPLICIT;
        if (i > 0 && e->w[i - 1].agent == w->agent)
            flags |= R_SAME_AGENT;
        if (w->nbytes == w->vis)
            flags |= R_BYTE_UNITS;
        if (w->len == 1)
            flags |= R_LEN1;
        wf_buf_put_u8(out, flags);
        if (!(flags & R_SAME_AGENT))
            wf_buf_put_varuint(out, msg_of[w->agent]);
        wf_buf_put_varint(out, (int64_t)w->seq - prev_end[w->agent]);
        prev_end[w->agent] = w->seq + w->len;
        if (!(flags & R_LEN1))
            wf_buf_put_varuint(out, w->len);
        /* Own origins come before the run: send the distance back, seq - 1 - origin. */
        if ((flags & 3) == OL_EXPLICIT) {
            if (flags & R_OL_OWN)
                wf_buf_put_varuint(out, w->seq - 1 - w->ol.seq);
            else
                put_lid(out, msg_of, w->ol);
        }
        if ((flags & 0xc) == OR_OWN)
            wf_buf_put_varuint(out, w->seq - 1 - w->or.seq);
        else if ((flags & 0xc) == OR_EXPLICIT)
            put_lid(out, msg_of, w->or);
        if (w->vis && !(flags & R_BYTE_UNITS))
            wf_buf_put_varuint(out, w->nbytes);
        text_len += w->nbytes;
    }
    /* The text column: every run's visible text, in run order; Huffman-coded when large
     * enough to gain. */
    size_t col = out->len;
    wf_buf_reserve(out, (size_t)text_len);
    for (size_t s = 0; s < e->nsegs; s++)
        wf_buf_put(out, e->segs[s].p, (size_t)e->segs[s].n);
    if (text_len >= HUFF_MIN && wf_huff_size(out->data + col, (size_t)text_len) < text_len) {
        uint8_t *raw = wf_xmalloc((size_t)text_len);
        memcpy(raw, out->data + col, (size_t)text_len);
        out->len = col;
        wf_huff_encode(raw, (size_t)text_len, out);
        free(raw);
        out->data[header + 1] |= F_HUFF;
    }
    free(prev_end);
    free(msg_of);
    free(used);
}

static void enc_free(enc *e)
{
    free(e->w);
    free(e->segs);
    free(e->dels);
}

void wf_doc_encode_diff(const wf_doc *doc, const wf_vv *since, wf_buf *out)
{
    enc e = {.doc = doc};
    uint32_t *from = wf_xcalloc(doc->nagents ? doc->nagents : 1, sizeof *from);
    bool everything = true;
    for (uint32_t a = 0; since && a < doc->nagents; a++) {
        from[a] = wf_vv_get(since, doc->agents[a].id);
        everything = everything && from[a] == 0;
    }
    wf__pos p = {wf__first_leaf(doc), 0};
    for (bool more = doc->leaves[p.leaf].n > 0; more; more = wf__pos_next(doc, &p)) {
        const wf__run *r = &doc->leaves[p.leaf].runs[p.slot];
        if (r->deleted)
            enc_del(&e, (wf__range){r->agent, r->seq, r->len});
        if ((uint64_t)r->seq + r->len <= from[r->agent])
            continue;
        uint32_t k = r->seq < from[r->agent] ? from[r->agent] - r->seq : 0;
        uint64_t byte = 0;
        uint32_t nl;
        if (k && !r->deleted)
            wf__run_locate(doc, r, k, &byte, &nl);
        wf__lid ol = k ? wf__lid_make(r->agent, r->seq + k - 1) : r->ol;
        enc_piece(&e, r->agent, r->seq + k, r->len - k, ol, r->or, r->deleted,
                  r->deleted ? NULL : wf__run_text(doc, r) + byte,
                  r->deleted ? 0 : r->nbytes - byte);
    }
    free(from);
    enc_write(&e, everything, out);
    enc_free(&e);
}

size_t wf_doc_flush(wf_doc *doc, wf_buf *out)
{
    if (doc->nout_ins == 0 && doc->nout_del == 0)
        return 0;
    size_t start = out->len;
    enc e = {.doc = doc};
    for (uint32_t i = 0; i < doc->nout_del; i++)
        enc_del(&e, doc->out_del[i]);
    for (uint32_t i = 0; i < doc->nout_ins; i++) {
        wf__range rg = doc->out_ins[i];
        uint32_t seq = rg.seq, end = rg.seq + rg.len;
        while (seq < end) {
            wf__pos p;
            uint32_t off;
            wf__find_id(doc, wf__lid_make(rg.agent, seq), &p, &off);
            const wf__run *r = wf__run_at(doc, p);
            uint32_t take = r->len - off < end - seq ? r->len - off : end - seq;
            uint64_t b0 = 0, b1 = 0;
            uint32_t nl;
            wf__run_locate(doc, r, off, &b0, &nl);
            wf__run_locate(doc, r, off + take, &b1, &nl);
            wf__lid ol = off ? wf__lid_make(r->agent, seq - 1) : r->ol;
            if (r->deleted)
                enc_del(&e, (wf__range){r->agent, seq, take});
            enc_piece(&e, r->agent, seq, take, ol, r->or, r->deleted,
                      wf__run_text(doc, r) + b0, b1 - b0);
            seq += take;
        }
    }
    enc_write(&e, false, out);
    enc_free(&e);
    doc->nout_ins = doc->nout_del = 0;
    return out->len - start;
}

/* --- decoding ------------------------------------------------------------------------- */

typedef struct msg_del {
    uint32_t agent; /* message agent index */
    uint32_t seq, len;
} msg_del;

typedef struct decoded {
    uint64_t *agents; /* message agent table */
    uint32_t nagents;
    msg_del *dels;
    size_t ndels;
    uint32_t *del_first; /* per message agent: first index in dels (ndels if none) */
    uint32_t *del_end;
    wf__piece *pieces;   /* agent fields are message indexes until mapped */
    size_t npieces, piece_cap;
    bool doc_order;
    bool in_seq_order;   /* every agent's runs come in increasing seq order */
    bool huff;           /* the text column is Huffman-coded */
    uint8_t *text;       /* decoded text column (owned), when huff */
} decoded;

static void decoded_free(decoded *d)
{
    free(d->agents);
    free(d->dels);
    free(d->del_first);
    free(d->del_end);
    free(d->pieces);
    free(d->text);
}

static int read_u64le(wf_reader *r, uint64_t *v)
{
    const uint8_t *p;
    if (wf_read_bytes(r, 8, &p))
        return WF_EDECODE;
    uint64_t x = 0;
    for (int i = 7; i >= 0; i--)
        x = x << 8 | p[i];
    *v = x;
    return 0;
}

static int read_lid(wf_reader *r, const decoded *d, wf__lid *id)
{
    uint32_t a, s;
    if (wf_read_varu32(r, &a) || a >= d->nagents || wf_read_varu32(r, &s) || s == UINT32_MAX)
        return WF_EDECODE;
    *id = wf__lid_make(a, s);
    return 0;
}

static int decode_dels(wf_reader *r, decoded *d)
{
    uint64_t groups;
    if (wf_read_varuint(r, &groups) || groups > d->nagents)
        return WF_EDECODE;
    d->del_first = wf_trymalloc((d->nagents ? d->nagents : 1) * sizeof *d->del_first);
    d->del_end = wf_trymalloc((d->nagents ? d->nagents : 1) * sizeof *d->del_end);
    if (!d->del_first || !d->del_end)
        return WF_ENOMEM;
    for (uint32_t i = 0; i < d->nagents; i++)
        d->del_first[i] = d->del_end[i] = 0;
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
            msg_del *nd = wf_tryrealloc(d->dels, cap * sizeof *nd);
            if (!nd)
                return WF_ENOMEM;
            d->dels = nd;
        }
        d->del_first[a] = (uint32_t)d->ndels;
        uint64_t prev = 0;
        for (uint64_t j = 0; j < k; j++) {
            uint64_t gap, len;
            if (wf_read_varuint(r, &gap) || wf_read_varuint(r, &len) || len == 0
                || gap > WF_MAX_SEQ || prev + gap + len > WF_MAX_SEQ)
                return WF_EDECODE;
            d->dels[d->ndels++] = (msg_del){a, (uint32_t)(prev + gap), (uint32_t)len};
            prev += gap + len;
        }
        d->del_end[a] = (uint32_t)d->ndels;
    }
    return 0;
}

static int push_piece(decoded *d, const wf__piece *p)
{
    if (d->npieces == d->piece_cap) {
        size_t cap = d->piece_cap ? d->piece_cap * 2 : 64;
        wf__piece *np = wf_tryrealloc(d->pieces, cap * sizeof *np);
        if (!np)
            return WF_ENOMEM;
        d->pieces = np;
        d->piece_cap = cap;
    }
    d->pieces[d->npieces++] = *p;
    return 0;
}

/* Splits run [seq, seq+len) into pieces by the message's delete set, handing out the
 * visible text. ol/or are message lids. */
static int split_run(decoded *d, uint32_t a, uint32_t seq, uint32_t len, wf__lid ol,
                     wf__lid or, const char *text, uint64_t nbytes)
{
    /* First delete range of agent a that ends after seq. */
    uint32_t lo = d->del_first[a], hi = d->del_end[a];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if ((uint64_t)d->dels[mid].seq + d->dels[mid].len <= seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint64_t end = (uint64_t)seq + len;
    uint32_t at = seq;
    uint64_t used = 0;
    while (at < end) {
        bool deleted = false;
        uint64_t stop = end;
        if (lo < d->del_end[a] && d->dels[lo].seq <= at) {
            deleted = true;
            uint64_t dend = (uint64_t)d->dels[lo].seq + d->dels[lo].len;
            stop = dend < end ? dend : end;
            lo++;
        } else if (lo < d->del_end[a] && d->dels[lo].seq < end) {
            stop = d->dels[lo].seq;
        }
        uint32_t n = (uint32_t)(stop - at);
        wf__piece p = {.agent = a, .seq = at, .len = n, .deleted = deleted,
                       .ol = at == seq ? ol : wf__lid_make(a, at - 1), .or = or};
        if (!deleted) {
            size_t b = wf_utf8_offset(text + used, (size_t)(nbytes - used), n);
            p.text = text + used;
            p.nbytes = b;
            used += b;
        }
        int err = push_piece(d, &p);
        if (err)
            return err;
        at = (uint32_t)stop;
    }
    return 0;
}

/* Units of [seq, seq+len) of agent a that the message deletes. */
static uint64_t deleted_units(const decoded *d, uint32_t a, uint32_t seq, uint32_t len)
{
    uint64_t n = 0, end = (uint64_t)seq + len;
    uint32_t lo = d->del_first[a], hi = d->del_end[a];
    while (lo < hi) { /* the first range that ends after seq */
        uint32_t mid = lo + (hi - lo) / 2;
        if ((uint64_t)d->dels[mid].seq + d->dels[mid].len <= seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (uint32_t i = lo; i < d->del_end[a]; i++) {
        uint64_t s = d->dels[i].seq, e = s + d->dels[i].len;
        if (e <= seq)
            continue;
        if (s >= end)
            break;
        n += (e < end ? e : end) - (s > seq ? s : seq);
    }
    return n;
}

/* A run as read, before its text is attached and it is split by the delete set. */
typedef struct mrun {
    uint32_t agent, seq, len; /* message agent index */
    wf__lid ol, or;           /* message lids */
    uint64_t nbytes, vis;     /* its visible text and units */
} mrun;

static int read_origin_own(wf_reader *r, uint32_t agent, int64_t seq, wf__lid *id)
{
    uint64_t back;
    if (wf_read_varuint(r, &back) || back >= (uint64_t)seq)
        return WF_EDECODE;
    *id = wf__lid_make(agent, (uint32_t)(seq - 1 - (int64_t)back));
    return 0;
}

/* Reads one run's header (everything but its text) into *m. */
static int read_run(wf_reader *r, decoded *d, uint32_t *agent, uint32_t *prev_end,
                    wf__lid prev_last, mrun *m)
{
    uint8_t flags;
    int64_t delta;
    uint64_t len = 1;
    if (wf_read_u8(r, &flags))
        return WF_EDECODE;
    if ((flags & R_OL_OWN) && (flags & 3) != OL_EXPLICIT)
        return WF_EDECODE;
    if (!(flags & R_SAME_AGENT)) {
        if (wf_read_varu32(r, agent) || *agent >= d->nagents)
            return WF_EDECODE;
    } else if (*agent == WF_NONE) {
        return WF_EDECODE;
    }
    uint32_t a = *agent;
    if (wf_read_varint(r, &delta) || (!(flags & R_LEN1) && wf_read_varuint(r, &len)) || len == 0)
        return WF_EDECODE;
    if (delta < -(int64_t)WF_MAX_SEQ || delta > (int64_t)WF_MAX_SEQ)
        return WF_EDECODE;
    int64_t seq = (int64_t)prev_end[a] + delta;
    if (delta < 0)
        d->in_seq_order = false;
    if (seq < 0 || (uint64_t)seq + len > WF_MAX_SEQ)
        return WF_EDECODE;
    prev_end[a] = (uint32_t)(seq + (int64_t)len);
    *m = (mrun){a, (uint32_t)seq, (uint32_t)len, WF__SENTINEL, WF__SENTINEL, 0, 0};
    int err = 0;
    switch (flags & 3) {
    case OL_START: break;
    case OL_SELF:
        if (seq == 0)
            return WF_EDECODE;
        m->ol = wf__lid_make(a, (uint32_t)seq - 1);
        break;
    case OL_PREV:
        if (wf__lid_is_none(prev_last))
            return WF_EDECODE;
        m->ol = prev_last;
        break;
    default:
        err = flags & R_OL_OWN ? read_origin_own(r, a, seq, &m->ol) : read_lid(r, d, &m->ol);
        break;
    }
    if (!err && (flags & 0xc) == OR_OWN)
        err = read_origin_own(r, a, seq, &m->or);
    else if (!err && (flags & 0xc) == OR_EXPLICIT)
        err = read_lid(r, d, &m->or);
    if (err)
        return err;
    /* No reference to one's own units that do not exist yet. */
    if ((m->ol.agent == a && m->ol.seq >= seq) || (m->or.agent == a && m->or.seq >= seq))
        return WF_EDECODE;
    m->vis = len - deleted_units(d, a, (uint32_t)seq, (uint32_t)len);
    if (m->vis) {
        if (flags & R_BYTE_UNITS)
            m->nbytes = m->vis;
        else if (wf_read_varuint(r, &m->nbytes) || m->nbytes < m->vis
                 || m->nbytes > (uint64_t)4 * m->vis)
            return WF_EDECODE;
    }
    return (flags & 0xc) == OR_NEXT ? 1 : 0;
}

/* Reads the runs, then the text column, and splits the runs into pieces. */
static int decode_runs(wf_reader *r, decoded *d)
{
    uint64_t nruns;
    if (wf_read_varuint(r, &nruns) || nruns > wf_reader_left(r) / 2)
        return WF_EDECODE;
    size_t na = d->nagents ? d->nagents : 1;
    uint32_t *prev_end = wf_trymalloc(na * sizeof *prev_end);
    mrun *runs = wf_trymalloc((nruns ? nruns : 1) * sizeof *runs);
    if (!prev_end || !runs) {
        free(prev_end);
        free(runs);
        return WF_ENOMEM;
    }
    memset(prev_end, 0, na * sizeof *prev_end);
    int err = 0;
    uint32_t agent = WF_NONE;
    bool want_next = false; /* the previous run's or is this run's first unit */
    uint64_t text_len = 0;
    for (uint64_t i = 0; i < nruns && !err; i++) {
        wf__lid prev_last = i ? wf__lid_make(runs[i - 1].agent, runs[i - 1].seq
                                                                   + runs[i - 1].len - 1)
                              : WF__SENTINEL;
        int next = read_run(r, d, &agent, prev_end, prev_last, &runs[i]);
        if (next < 0) {
            err = next;
            break;
        }
        if (want_next) {
            mrun *p = &runs[i - 1];
            p->or = wf__lid_make(runs[i].agent, runs[i].seq);
            if (p->or.agent == p->agent && p->or.seq >= p->seq)
                err = WF_EDECODE;
        }
        want_next = next == 1;
        text_len += runs[i].nbytes;
    }
    if (!err && want_next)
        err = WF_EDECODE; /* OR_NEXT on the last run */
    const uint8_t *text = NULL;
    if (!err && d->huff) {
        size_t left = wf_reader_left(r);
        const uint8_t *block;
        /* A Huffman code spends at least one bit per byte. */
        if (text_len == 0 || text_len > (uint64_t)8 * left || wf_read_bytes(r, left, &block))
            err = WF_EDECODE;
        else if (!(d->text = wf_trymalloc((size_t)text_len)))
            err = WF_ENOMEM;
        else
            err = wf_huff_decode(block, left, d->text, (size_t)text_len);
        text = d->text;
    } else if (!err && (text_len != wf_reader_left(r)
                        || wf_read_bytes(r, (size_t)text_len, &text))) {
        err = WF_EDECODE;
    }
    for (uint64_t i = 0; i < nruns && !err; i++) {
        const mrun *m = &runs[i];
        if (m->vis && wf_utf8_count((const char *)text, (size_t)m->nbytes, NULL) != m->vis)
            err = WF_EDECODE;
        else
            err = split_run(d, m->agent, m->seq, m->len, m->ol, m->or, (const char *)text,
                            m->nbytes);
        text += m->nbytes;
    }
    free(prev_end);
    free(runs);
    return err;
}

static int decode(const uint8_t *data, size_t n, decoded *d)
{
    memset(d, 0, sizeof *d);
    wf_reader r;
    wf_reader_init(&r, data, n);
    uint8_t version, flags;
    uint64_t nagents;
    if (wf_read_u8(&r, &version) || version != FORMAT_VERSION || wf_read_u8(&r, &flags)
        || (flags & ~(F_DOC_ORDER | F_HUFF)) || wf_read_varuint(&r, &nagents)
        || nagents > wf_reader_left(&r) / 8)
        return WF_EDECODE;
    d->doc_order = flags & F_DOC_ORDER;
    d->in_seq_order = true;
    d->huff = flags & F_HUFF;
    d->nagents = (uint32_t)nagents;
    d->agents = wf_trymalloc((nagents ? nagents : 1) * sizeof *d->agents);
    if (!d->agents)
        return WF_ENOMEM;
    for (uint32_t i = 0; i < d->nagents; i++)
        if (read_u64le(&r, &d->agents[i]) || (i > 0 && d->agents[i] <= d->agents[i - 1]))
            return WF_EDECODE;
    int err = decode_dels(&r, d);
    if (!err)
        err = decode_runs(&r, d); /* consumes the text column: the rest of the message */
    return err;
}

/* wf_doc_apply() and wf_doc_apply_complete(): `complete` refuses an update that would
 * leave anything pending (core/depend.c). */
static int apply(wf_doc *doc, const uint8_t *data, size_t n, bool complete)
{
    if (n > WF_MAX_UPDATE)
        return WF_ETOOBIG;
    decoded d;
    int err = decode(data, n, &d);
    if (err) {
        decoded_free(&d);
        return err;
    }
    if (wf_doc_pending(doc) + d.npieces + d.ndels > MAX_PENDING) {
        decoded_free(&d);
        return WF_ETOOBIG;
    }
    /* Every agent's log must stay within WF_LOG_MAX (32-bit offsets). */
    uint64_t incoming = 0, fullest = 0;
    for (size_t i = 0; i < d.npieces; i++)
        incoming += d.pieces[i].nbytes;
    for (uint32_t i = 0; i < d.nagents; i++) {
        uint32_t a = wf__agent_find(doc, d.agents[i]);
        if (a != WF_NONE && doc->agents[a].log_len > fullest)
            fullest = doc->agents[a].log_len;
    }
    if (fullest + incoming > WF_LOG_MAX) {
        decoded_free(&d);
        return WF_ETOOBIG;
    }
    /* A full state into an empty document is loaded as it is, once it proves to be one. */
    wf__state_plan plan;
    int state = 1;
    if (d.doc_order && !complete && doc->nruns == 0 && wf_doc_pending(doc) == 0)
        state = wf__state_check(d.pieces, d.npieces, d.nagents, &plan);
    if (state < 0) {
        decoded_free(&d);
        return state;
    }
    /* A unit already held, or waiting, must come with the same origins and text (a state
     * that tiles holds each unit once, and the document holds none). */
    wf__range *dels = NULL;
    if (state == 1)
        err = wf__check_conflicts(doc, d.agents, d.pieces, d.npieces, d.in_seq_order);
    if (!err && !(dels = wf_trymalloc((d.ndels ? d.ndels : 1) * sizeof *dels)))
        err = WF_ENOMEM;
    if (!err && complete) {
        for (size_t i = 0; i < d.ndels; i++) /* message agents, for the check */
            dels[i] = (wf__range){d.dels[i].agent, d.dels[i].seq, d.dels[i].len};
        err = wf__check_complete(doc, d.agents, d.nagents, d.pieces, d.npieces, dels,
                                 d.ndels);
    }
    if (err) {
        if (state == 0)
            wf__state_plan_free(&plan);
        free(dels);
        decoded_free(&d);
        return err;
    }
    /* Valid: from here on the document changes. Map message agents to document agents. */
    uint32_t *map = wf_xmalloc((d.nagents ? d.nagents : 1) * sizeof *map);
    for (uint32_t i = 0; i < d.nagents; i++)
        map[i] = wf__agent_intern(doc, d.agents[i]);
    for (size_t i = 0; i < d.npieces; i++) {
        wf__piece *x = &d.pieces[i];
        x->agent = map[x->agent];
        if (!wf__lid_is_none(x->ol))
            x->ol.agent = map[x->ol.agent];
        if (!wf__lid_is_none(x->or))
            x->or.agent = map[x->or.agent];
    }
    for (size_t i = 0; i < d.ndels; i++)
        dels[i] = (wf__range){map[d.dels[i].agent], d.dels[i].seq, d.dels[i].len};
    if (state == 0) {
        uint64_t text_len = 0;
        for (size_t i = 0; i < d.npieces; i++)
            text_len += d.pieces[i].nbytes;
        char *none = NULL;
        wf__state_load(doc, d.pieces, d.npieces, map, d.nagents, &plan,
                       d.huff ? (char **)&d.text : &none, text_len);
        /* The pieces were cut by the delete set: only deletes of units the state lacks
         * are left to do (they wait for those units). */
        for (size_t i = 0; i < d.ndels; i++)
            if ((uint64_t)dels[i].seq + dels[i].len > doc->agents[dels[i].agent].next)
                wf__apply_pieces(doc, NULL, 0, &dels[i], 1);
    } else {
        wf__apply_pieces(doc, d.pieces, d.npieces, dels, d.ndels);
    }
    free(map);
    free(dels);
    decoded_free(&d);
    return 0;
}

int wf_doc_apply(wf_doc *doc, const uint8_t *data, size_t n)
{
    return apply(doc, data, n, false);
}

int wf_doc_apply_complete(wf_doc *doc, const uint8_t *data, size_t n)
{
    return apply(doc, data, n, true);
}
