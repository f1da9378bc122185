/* Updates in format version 1 (no longer written; still read: old journals hold them).
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
 * The delete set covers every deleted unit of the message's runs, which it cuts into
 * pieces uniform in deletedness (deleted ones travel without text), and deletions of units
 * held before. The decoder checks the syntax and arithmetic as core/wire2.c does. */
#include <stdlib.h>
#include <string.h>

#include "core/huff.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "core/wire.h"

#define FORMAT_VERSION 1
#define F_DOC_ORDER 0x01
#define F_HUFF 0x02

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

/* --- decoding ------------------------------------------------------------------------- */

static int read_lid(wf_reader *r, const wf__decoded *d, wf__lid *id)
{
    uint32_t a, s;
    if (wf_read_varu32(r, &a) || a >= d->nagents || wf_read_varu32(r, &s) || s == UINT32_MAX)
        return WF_EDECODE;
    *id = wf__lid_make(a, s);
    return 0;
}

/* Splits run [seq, seq+len) into pieces by the message's delete set, handing out the
 * visible text. ol/or are message lids. */
static int split_run(wf__decoded *d, uint32_t a, uint32_t seq, uint32_t len, wf__lid ol,
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
        wf__run p = {.agent = a, .seq = at, .len = n, .deleted = deleted, .text = WF_NOTEXT,
                     .ol = at == seq ? ol : wf__lid_make(a, at - 1), .or = or};
        if (!deleted) {
            size_t b = wf_utf8_offset(text + used, (size_t)(nbytes - used), n);
            p.text = (uint32_t)(text + used - d->text_base);
            p.nbytes = (uint32_t)b;
            used += b;
        }
        int err = wf__decoded_push(d, &p);
        if (err)
            return err;
        at = (uint32_t)stop;
    }
    return 0;
}

/* Units of [seq, seq+len) of agent a that the message deletes. */
static uint64_t deleted_units(const wf__decoded *d, uint32_t a, uint32_t seq, uint32_t len)
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
static int read_run(wf_reader *r, wf__decoded *d, uint32_t *agent, uint32_t *prev_end,
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
static int decode_runs(wf_reader *r, wf__decoded *d, bool huff)
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
    if (!err && huff) {
        size_t left = wf_reader_left(r);
        const uint8_t *block;
        /* A Huffman code spends at least one bit per byte. */
        if (text_len == 0 || text_len > (uint64_t)8 * left || wf_read_bytes(r, left, &block))
            err = WF_EDECODE;
        else if (!(d->text = wf_trymalloc((size_t)text_len)))
            err = WF_ENOMEM;
        else
            err = wf_huff_decode(block, left, (uint8_t *)d->text, (size_t)text_len);
        text = (const uint8_t *)d->text;
    } else if (!err && (text_len != wf_reader_left(r)
                        || wf_read_bytes(r, (size_t)text_len, &text))) {
        err = WF_EDECODE;
    }
    if (!err && text_len > WF_LOG_MAX)
        err = WF_ETOOBIG;
    d->text_base = (const char *)text;
    for (uint64_t i = 0; i < nruns && !err; i++) {
        const mrun *m = &runs[i];
        if (m->vis && wf_utf8_count((const char *)text, (size_t)m->nbytes, NULL) != m->vis)
            err = WF_EDECODE;
        else
            err = split_run(d, m->agent, m->seq, m->len, m->ol, m->or, (const char *)text,
                            m->nbytes);
        text += m->nbytes;
    }
    d->text_len = text_len;
    free(prev_end);
    free(runs);
    return err;
}

int wf__wire1_decode(const uint8_t *data, size_t n, wf__decoded *d)
{
    wf_reader r;
    uint8_t flags;
    int err = wf__wire_start(&r, data, n, d, FORMAT_VERSION, F_DOC_ORDER | F_HUFF, &flags);
    d->state = flags & F_DOC_ORDER;
    d->cut_by_dels = true;
    if (!err)
        err = wf__wire_read_dels(&r, d, true);
    if (!err)
        err = decode_runs(&r, d, flags & F_HUFF); /* the text column: the rest of the message */
    return err;
}
