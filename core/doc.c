/* The document: lifecycle, agents and their text logs, lookups by position and by ID, and
 * local edits.
 *
 * Local insert follows CRDT.md §1.2: origin-left is the visible unit before the insertion
 * point, origin-right the unit right after it in L (tombstones included), and the run is
 * placed directly after origin-left; typing at the end of one's own run just extends it.
 * Local delete marks units deleted, splitting runs at the edges, and merges the result with
 * neighbouring tombstones where the run rules allow (§1.4). */
#include <stdlib.h>
#include <string.h>

#include "core/doc-internal.h"
#include "core/mem.h"
#include "core/undo.h"
#include "core/utf8.h"

/* --- lifecycle ------------------------------------------------------------------------ */

wf_doc *wf_doc_new(uint64_t agent)
{
    wf_doc *doc = wf_xcalloc(1, sizeof *doc);
    wf__tree_init(doc);
    wf__idmap_init(&doc->idmap);
    doc->me = wf__agent_intern(doc, agent);
    return doc;
}

void wf_doc_free(wf_doc *doc)
{
    if (!doc)
        return;
    for (uint32_t i = 0; i < doc->nagents; i++) {
        free(doc->agents[i].log);
        free(doc->agents[i].ckpt);
        free(doc->agents[i].waiters);
        wf__dlog_free(&doc->agents[i]);
    }
    free(doc->agents);
    free(doc->by_id);
    wf__tree_free(doc);
    wf__idmap_free(&doc->idmap);
    free(doc->out_ins);
    wf__pending_free(doc);
    wf__undo_free(doc);
    free(doc);
}

uint64_t wf_doc_agent(const wf_doc *doc)
{
    return doc->agents[doc->me].id;
}

/* --- agents --------------------------------------------------------------------------- */

/* Position in by_id of the first agent with id >= `id`. */
static uint32_t agent_lower_bound(const wf_doc *doc, uint64_t id)
{
    uint32_t lo = 0, hi = doc->nagents;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (doc->agents[doc->by_id[mid]].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

uint32_t wf__agent_find(const wf_doc *doc, uint64_t id)
{
    uint32_t i = agent_lower_bound(doc, id);
    if (i < doc->nagents && doc->agents[doc->by_id[i]].id == id)
        return doc->by_id[i];
    return WF_NONE;
}

uint32_t wf__agent_intern(wf_doc *doc, uint64_t id)
{
    uint32_t i = agent_lower_bound(doc, id);
    if (i < doc->nagents && doc->agents[doc->by_id[i]].id == id)
        return doc->by_id[i];
    if (doc->nagents == doc->agents_cap) {
        doc->agents_cap = doc->agents_cap ? doc->agents_cap * 2 : 4;
        doc->agents = wf_xreallocarray(doc->agents, doc->agents_cap, sizeof *doc->agents);
        doc->by_id = wf_xreallocarray(doc->by_id, doc->agents_cap, sizeof *doc->by_id);
    }
    uint32_t a = doc->nagents++;
    memset(&doc->agents[a], 0, sizeof doc->agents[a]);
    doc->agents[a].id = id;
    memmove(doc->by_id + i + 1, doc->by_id + i, (a - i) * sizeof *doc->by_id);
    doc->by_id[i] = a;
    return a;
}

/* --- text logs ------------------------------------------------------------------------ */

static void log_reserve(wf__agent *ag, uint64_t n)
{
    if (ag->log_cap - ag->log_len >= n)
        return;
    uint64_t cap = ag->log_cap ? ag->log_cap + ag->log_cap / 2 : 256;
    if (cap < ag->log_len + n)
        cap = ag->log_len + n;
    ag->log = wf_xrealloc(ag->log, (size_t)cap);
    ag->log_cap = cap;
}

static void ckpt_push(wf__agent *ag, uint32_t seq, uint32_t nl, uint64_t byte)
{
    if (ag->nckpt == ag->ckpt_cap) {
        ag->ckpt_cap = ag->ckpt_cap ? ag->ckpt_cap * 2 : 8;
        ag->ckpt = wf_xreallocarray(ag->ckpt, ag->ckpt_cap, sizeof *ag->ckpt);
    }
    ag->ckpt[ag->nckpt++] = (wf__ckpt){seq, nl, byte};
}

/* Records a checkpoint at every multiple of WF_CKPT_EVERY among seqs [seq, seq+len) whose
 * text starts at log offset `off`. */
static void add_checkpoints(wf__agent *ag, uint32_t seq, uint32_t len, uint64_t off)
{
    uint64_t m = ((uint64_t)seq + WF_CKPT_EVERY - 1) / WF_CKPT_EVERY * WF_CKPT_EVERY;
    if (m >= (uint64_t)seq + len)
        return;
    const char *text = ag->log + off;
    uint64_t nbytes = ag->log_len - off;
    uint64_t byte = 0;
    uint32_t nl = ag->log_nl, at = seq;
    bool ascii = nbytes == len;
    for (; m < (uint64_t)seq + len; m += WF_CKPT_EVERY) {
        uint32_t step = (uint32_t)(m - at);
        uint64_t b = ascii ? byte + step
                           : byte + wf_utf8_offset(text + byte, (size_t)(nbytes - byte), step);
        nl += (uint32_t)wf_utf8_count_newlines(text + byte, (size_t)(b - byte));
        byte = b;
        at = (uint32_t)m;
        ckpt_push(ag, at, nl, off + byte);
    }
}

uint32_t wf__log_append(wf_doc *doc, uint32_t a, uint32_t seq, uint32_t len,
                        const char *text, uint64_t nbytes, uint32_t nl)
{
    wf__agent *ag = &doc->agents[a];
    log_reserve(ag, nbytes);
    memcpy(ag->log + ag->log_len, text, (size_t)nbytes);
    return wf__log_take(doc, a, seq, len, nbytes, nl);
}

uint32_t wf__log_take(wf_doc *doc, uint32_t a, uint32_t seq, uint32_t len, uint64_t nbytes,
                      uint32_t nl)
{
    wf__agent *ag = &doc->agents[a];
    uint64_t off = ag->log_len;
    ag->log_len += nbytes;
    add_checkpoints(ag, seq, len, off);
    ag->log_nl += nl;
    return (uint32_t)off;
}

/* Checkpoints of agent a whose seq lies in [from, to): indexes [*first, *last). */
static void ckpt_span(const wf__agent *ag, uint32_t from, uint64_t to, uint32_t *first,
                      uint32_t *last)
{
    uint32_t lo = 0, hi = ag->nckpt;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ag->ckpt[mid].seq < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    hi = ag->nckpt;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ag->ckpt[mid].seq < to)
            lo = mid + 1;
        else
            hi = mid;
    }
    *last = lo;
}

/* Newlines of the log before the run's first unit, from its first checkpoint. */
static uint32_t run_base_nl(const wf_doc *doc, const wf__run *r, const wf__ckpt *c0)
{
    const char *text = wf__run_text(doc, r);
    return c0->nl - (uint32_t)wf_utf8_count_newlines(text, (size_t)(c0->byte - r->text));
}

void wf__run_locate(const wf_doc *doc, const wf__run *r, uint32_t k, uint64_t *byte,
                    uint32_t *nl)
{
    if (k == 0 || r->text == WF_NOTEXT) {
        *byte = 0;
        *nl = 0;
        return;
    }
    if (k >= r->len) {
        *byte = r->nbytes;
        *nl = r->nl;
        return;
    }
    const wf__agent *ag = &doc->agents[r->agent];
    const char *text = wf__run_text(doc, r);
    uint32_t first = 0, last = 0;
    /* Short stretches are scanned from the run's start: no checkpoint search. */
    if (k >= WF_CKPT_EVERY)
        ckpt_span(ag, r->seq + 1, (uint64_t)r->seq + k + 1, &first, &last);
    uint64_t from = 0;
    uint32_t nl_from = 0, units = k;
    if (first < last) {
        const wf__ckpt *c = &ag->ckpt[last - 1];
        from = c->byte - r->text;
        nl_from = c->nl - run_base_nl(doc, r, &ag->ckpt[first]);
        units = r->seq + k - c->seq;
    }
    uint64_t b = r->nbytes == r->len
                     ? from + units
                     : from + wf_utf8_offset(text + from, (size_t)(r->nbytes - from), units);
    *byte = b;
    if (r->nl == 0)
        *nl = 0;
    else if (first >= last && b > r->nbytes - b) /* the rest is shorter: count there */
        *nl = r->nl - (uint32_t)wf_utf8_count_newlines(text + b, (size_t)(r->nbytes - b));
    else
        *nl = nl_from + (uint32_t)wf_utf8_count_newlines(text + from, (size_t)(b - from));
}

/* The unit index (0..len) within run r of the unit holding byte b of its text. */
static uint32_t wf__run_unit_at_byte(const wf_doc *doc, const wf__run *r, uint64_t b)
{
    if (r->nbytes == r->len)
        return (uint32_t)b;
    const wf__agent *ag = &doc->agents[r->agent];
    const char *text = wf__run_text(doc, r);
    uint32_t first, last;
    ckpt_span(ag, r->seq + 1, (uint64_t)r->seq + r->len, &first, &last);
    uint64_t from = 0;
    uint32_t unit = 0;
    /* The last checkpoint at or before byte b. */
    uint32_t lo = first, hi = last;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ag->ckpt[mid].byte - r->text <= b)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > first) {
        from = ag->ckpt[lo - 1].byte - r->text;
        unit = ag->ckpt[lo - 1].seq - r->seq;
    }
    while (from < b) {
        size_t l = wf_utf8_unit_len(text + from, (size_t)(r->nbytes - from));
        if (from + l > b)
            break;
        from += l;
        unit++;
    }
    return unit;
}

/* The unit index (0..len) within run r of the unit after its nl-th newline. */
static uint32_t wf__run_unit_after_nl(const wf_doc *doc, const wf__run *r, uint32_t nl)
{
    const wf__agent *ag = &doc->agents[r->agent];
    const char *text = wf__run_text(doc, r);
    uint32_t first, last;
    ckpt_span(ag, r->seq + 1, (uint64_t)r->seq + r->len, &first, &last);
    uint64_t from = 0;
    uint32_t unit = 0, seen = 0;
    if (first < last) {
        uint32_t base = run_base_nl(doc, r, &ag->ckpt[first]);
        /* The last checkpoint with fewer than nl+1 newlines before it. */
        uint32_t lo = first, hi = last;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (ag->ckpt[mid].nl - base <= nl)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > first) {
            const wf__ckpt *c = &ag->ckpt[lo - 1];
            from = c->byte - r->text;
            unit = c->seq - r->seq;
            seen = c->nl - base;
        }
    }
    const char *p = text + from, *end = text + r->nbytes;
    for (;;) {
        const char *q = memchr(p, '\n', (size_t)(end - p));
        if (!q)
            return r->len; /* unreachable: the caller asks for a newline the run has */
        if (seen == nl) {
            uint64_t stop = (uint64_t)(q - text) + 1;
            return unit + (uint32_t)(r->nbytes == r->len
                                         ? stop - from
                                         : wf_utf8_count(text + from, (size_t)(stop - from),
                                                         NULL));
        }
        seen++;
        p = q + 1;
    }
}

/* --- lookups -------------------------------------------------------------------------- */

bool wf__find_id(const wf_doc *doc, wf__lid id, wf__pos *p, uint32_t *off)
{
    if (id.agent >= doc->nagents || id.seq >= doc->agents[id.agent].next)
        return false;
    uint32_t leaf = wf__idmap_find(&doc->idmap, id.agent, id.seq);
    if (leaf == WF_NONE)
        return false;
    const wf__leaf *l = &doc->leaves[leaf];
    for (uint32_t i = 0; i < l->n; i++) {
        const wf__run *r = &l->runs[i];
        if (r->agent == id.agent && id.seq >= r->seq && id.seq - r->seq < r->len) {
            *p = (wf__pos){leaf, i};
            *off = id.seq - r->seq;
            return true;
        }
    }
    return false;
}

uint64_t wf__rank(const wf_doc *doc, wf__lid id)
{
    wf__pos p;
    uint32_t off;
    if (!wf__find_id(doc, id, &p, &off))
        return UINT64_MAX;
    return wf__tree_before(doc, p).all + off;
}

size_t wf_doc_len(const wf_doc *doc)
{
    return (size_t)doc->total.vis;
}

uint64_t wf_doc_bytes(const wf_doc *doc)
{
    return doc->total.bytes;
}

size_t wf_doc_newlines(const wf_doc *doc)
{
    return (size_t)doc->total.nl;
}

uint64_t wf_doc_revision(const wf_doc *doc)
{
    return doc->revision;
}

size_t wf_doc_take_lowest_change(wf_doc *doc)
{
    uint64_t low = doc->lowest_change;
    doc->lowest_change = UINT64_MAX;
    if (low == UINT64_MAX)
        return WF_NOPOS;
    return low < doc->total.vis ? (size_t)low : (size_t)doc->total.vis;
}

size_t wf_doc_runs(const wf_doc *doc)
{
    return (size_t)doc->nruns;
}

/* The visible unit at pos (< len): its run and offset, and the counts before the run. The
 * finger is a cache: const queries may move it. */
static wf__pos find_visible(const wf_doc *doc, size_t pos, uint32_t *off, wf__counts *before)
{
    return wf__find_visible((wf_doc *)doc, pos, off, before);
}

uint64_t wf_doc_pos_to_byte(const wf_doc *doc, size_t pos)
{
    if (pos >= doc->total.vis)
        return doc->total.bytes;
    wf__counts before;
    uint32_t off, nl;
    uint64_t byte;
    wf__pos p = find_visible(doc, pos, &off, &before);
    wf__run_locate(doc, &doc->leaves[p.leaf].runs[p.slot], off, &byte, &nl);
    return before.bytes + byte;
}

size_t wf_doc_byte_to_pos(const wf_doc *doc, uint64_t b)
{
    if (b >= doc->total.bytes)
        return (size_t)doc->total.vis;
    wf__counts before;
    uint64_t off;
    wf__pos p = wf__tree_descend(doc, offsetof(wf__counts, bytes), b, &off, &before);
    return (size_t)before.vis
           + wf__run_unit_at_byte(doc, &doc->leaves[p.leaf].runs[p.slot], off);
}

size_t wf_doc_line_start(const wf_doc *doc, size_t line)
{
    if (line == 0)
        return 0;
    if (line > doc->total.nl)
        return WF_NOPOS;
    wf__counts before;
    uint64_t off;
    wf__pos p = wf__tree_descend(doc, offsetof(wf__counts, nl), line - 1, &off, &before);
    return (size_t)before.vis
           + wf__run_unit_after_nl(doc, &doc->leaves[p.leaf].runs[p.slot], (uint32_t)off);
}

size_t wf_doc_line_of(const wf_doc *doc, size_t pos)
{
    if (pos >= doc->total.vis)
        return (size_t)doc->total.nl;
    wf__counts before;
    uint32_t off, nl;
    uint64_t byte;
    wf__pos p = find_visible(doc, pos, &off, &before);
    wf__run_locate(doc, &doc->leaves[p.leaf].runs[p.slot], off, &byte, &nl);
    return (size_t)before.nl + nl;
}

wf_id wf_doc_id_at(const wf_doc *doc, size_t pos)
{
    if (pos >= doc->total.vis)
        return (wf_id){0, 0};
    uint32_t off;
    wf__pos p = find_visible(doc, pos, &off, NULL);
    const wf__run *r = &doc->leaves[p.leaf].runs[p.slot];
    return (wf_id){doc->agents[r->agent].id, r->seq + off};
}

size_t wf_doc_pos_of(const wf_doc *doc, wf_id id, bool *visible)
{
    uint32_t a = wf__agent_find(doc, id.agent);
    wf__pos p;
    uint32_t off;
    if (a == WF_NONE || !wf__find_id(doc, wf__lid_make(a, id.seq), &p, &off)) {
        if (visible)
            *visible = false;
        return WF_NOPOS;
    }
    const wf__run *r = &doc->leaves[p.leaf].runs[p.slot];
    wf__counts before = wf__tree_before(doc, p);
    if (visible)
        *visible = !r->deleted;
    return (size_t)before.vis + (r->deleted ? 0 : off);
}

void wf_doc_vv(const wf_doc *doc, wf_vv *out)
{
    wf_vv_clear(out);
    for (uint32_t i = 0; i < doc->nagents; i++) {
        const wf__agent *ag = &doc->agents[doc->by_id[i]];
        if (ag->next || ag->dnext)
            wf_vv_set2(out, ag->id, ag->next, ag->dnext);
    }
}

size_t wf_doc_memory(const wf_doc *doc)
{
    size_t m = sizeof *doc;
    m += (size_t)doc->leaves_cap * sizeof *doc->leaves;
    m += (size_t)doc->nodes_cap * sizeof *doc->nodes;
    m += wf__idmap_memory(&doc->idmap);
    m += (size_t)doc->agents_cap * (sizeof *doc->agents + sizeof *doc->by_id);
    for (uint32_t i = 0; i < doc->nagents; i++) {
        const wf__agent *ag = &doc->agents[i];
        m += (size_t)ag->log_cap + (size_t)ag->ckpt_cap * sizeof *ag->ckpt;
        m += (size_t)ag->wait_cap * sizeof *ag->waiters;
    }
    m += (size_t)doc->out_ins_cap * sizeof *doc->out_ins;
    for (uint32_t i = 0; i < doc->nagents; i++)
        m += (size_t)doc->agents[i].dlog_cap * sizeof *doc->agents[i].dlog;
    m += (size_t)doc->pend_cap * sizeof *doc->pend;
    for (uint32_t i = 0; i < doc->npend; i++)
        if (doc->pend[i].live)
            m += (size_t)doc->pend[i].p.nbytes;
    m += (size_t)doc->pdel_cap * sizeof *doc->pdel;
    m += (size_t)doc->pcap * (sizeof *doc->pkeys + sizeof *doc->pvals);
    m += wf__undo_memory(doc);
    return m;
}

/* --- local edits ---------------------------------------------------------------------- */

void wf__range_append(wf__range **arr, uint32_t *n, uint32_t *cap, wf__range r)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *arr = wf_xreallocarray(*arr, *cap, sizeof **arr);
    }
    (*arr)[(*n)++] = r;
}

/* The first unit of L at or after position p, or END. */
static wf__lid head_at(const wf_doc *doc, wf__pos p)
{
    const wf__leaf *l = &doc->leaves[p.leaf];
    if (p.slot >= l->n) {
        if (l->next == WF_NONE)
            return WF__SENTINEL;
        l = &doc->leaves[l->next];
        p.slot = 0;
    }
    return wf__lid_make(l->runs[p.slot].agent, l->runs[p.slot].seq);
}

/* Inserts the local agent's units directly after unit `off` of the run at `tail` (or at the
 * very beginning of L when at_start). See wf__insert_local(). */
static int insert_after(wf_doc *doc, bool at_start, wf__pos tail, uint32_t off,
                        const char *text, uint64_t nbytes, uint32_t units, uint32_t nl)
{
    wf__agent *me = &doc->agents[doc->me];
    uint32_t seq = me->next;
    if (units == 0)
        return 0;
    if ((uint64_t)seq + units > WF_MAX_SEQ || me->log_len + nbytes > WF_LOG_MAX)
        return WF_ETOOBIG;
    wf__pos at; /* where a new run goes */
    wf__lid ol = WF__SENTINEL, or;
    if (at_start) {
        at = (wf__pos){wf__first_leaf(doc), 0};
    } else {
        const wf__run *t = wf__run_at(doc, tail);
        ol = wf__lid_make(t->agent, t->seq + off);
        if (off + 1 < t->len) {
            at = wf__tree_split(doc, tail, off + 1);
            tail = at;
            wf__pos_prev(doc, &tail);
        } else {
            at = (wf__pos){tail.leaf, tail.slot + 1};
        }
    }
    or = head_at(doc, at);
    uint32_t text_off = wf__log_append(doc, doc->me, seq, units, text, nbytes, nl);
    me = &doc->agents[doc->me];
    wf__run *r = at_start ? NULL : wf__run_at(doc, tail);
    if (r && r->agent == doc->me && r->seq + r->len == seq && !r->deleted
        && r->text != WF_NOTEXT && r->text + r->nbytes == text_off && wf__lid_eq(r->or, or)
        && wf_utf8_ends_clean(wf__run_text(doc, r), (size_t)r->nbytes)) {
        /* Typing on: extend the run. Its ID index entry already covers the new seqs. */
        r->len += units;
        r->nbytes += nbytes;
        r->nl += nl;
        wf__counts delta = {units, units, nbytes, nl};
        wf__tree_add(doc, tail.leaf, tail.slot, &delta);
    } else {
        wf__run run = {.agent = doc->me, .deleted = 0, .seq = seq, .len = units, .nl = nl,
                       .nbytes = nbytes, .text = text_off, .ol = ol, .or = or};
        tail = wf__tree_insert(doc, at, &run);
        r = wf__run_at(doc, tail);
    }
    /* The run at tail now ends at our newest unit, at the end of our log, and its
     * origin-right is the unit after it: the next unit typed after it extends it (if its
     * text ends with a whole unit). wf_doc_insert() says where that is. */
    if (wf_utf8_ends_clean(wf__run_text(doc, r), (size_t)r->nbytes)) {
        doc->type_leaf = tail.leaf;
        doc->type_slot = tail.slot;
    }
    me->next = seq + units;
    doc->touched = true;
    wf__range_push(&doc->out_ins, &doc->nout_ins, &doc->out_ins_cap,
               (wf__range){doc->me, seq, units});
    wf__undo_record_insert(doc, seq, units);
    return 0;
}

int wf__insert_local(wf_doc *doc, wf__lid ol, const char *text, uint64_t nbytes,
                     uint32_t units, uint32_t nl)
{
    wf__pos tail = {0, 0};
    uint32_t off = 0;
    if (!wf__lid_is_none(ol) && !wf__find_id(doc, ol, &tail, &off))
        return WF_EINVAL;
    int err = insert_after(doc, wf__lid_is_none(ol), tail, off, text, nbytes, units, nl);
    doc->type_leaf = WF_NONE; /* where typing would go on is not known here */
    return err;
}

/* Typing on at the typing cursor (doc->type_leaf): extends its run as insert_after() would,
 * without looking up the position. False, with nothing changed, when that does not apply. */
static bool type_on(wf_doc *doc, size_t pos, const char *text, uint64_t nbytes, uint32_t units,
                    uint32_t nl)
{
    uint32_t leaf = doc->type_leaf, slot = doc->type_slot;
    wf__agent *me = &doc->agents[doc->me];
    wf__run *r = &doc->leaves[leaf].runs[slot];
    uint32_t seq = me->next;
    if (units == 0 || (uint64_t)seq + units > WF_MAX_SEQ || me->log_len + nbytes > WF_LOG_MAX
        || r->agent != doc->me || r->deleted || r->seq + r->len != seq
        || r->text == WF_NOTEXT || r->text + r->nbytes != me->log_len)
        return false;
    /* wf__log_append(), inline. */
    log_reserve(me, nbytes);
    if (nbytes == 1)
        me->log[me->log_len] = text[0];
    else
        memcpy(me->log + me->log_len, text, (size_t)nbytes);
    if (seq % WF_CKPT_EVERY == 0 || seq % WF_CKPT_EVERY + units > WF_CKPT_EVERY) {
        (void)wf__log_take(doc, doc->me, seq, units, nbytes, nl);
    } else {
        me->log_len += nbytes;
        me->log_nl += nl;
    }
    r->len += units;
    r->nbytes += (uint32_t)nbytes;
    r->nl += nl;
    wf__tree_add_counts(doc, leaf, slot, units, units, nbytes, nl);
    me->next = seq + units;
    doc->touched = true;
    wf__range_push(&doc->out_ins, &doc->nout_ins, &doc->out_ins_cap,
                   (wf__range){doc->me, seq, units});
    wf__undo_record_insert(doc, seq, units);
    /* The run's text ends with the new text (nbytes > 0). */
    if ((unsigned char)text[nbytes - 1] < 0x80
        || wf_utf8_ends_clean(wf__run_text(doc, r), (size_t)r->nbytes)) {
        doc->type_leaf = leaf;
        doc->type_slot = slot;
        doc->type_pos = pos + units;
    }
    return true;
}

int wf_doc_insert(wf_doc *doc, size_t pos, const char *text, size_t nbytes)
{
    if (pos > doc->total.vis)
        return WF_EINVAL;
    if (nbytes == 0)
        return 0;
    if (nbytes > WF_LOG_MAX)
        return WF_ETOOBIG;
    size_t nl, units;
    if (nbytes == 1 && (unsigned char)text[0] < 0x80) { /* a keystroke */
        units = 1;
        nl = text[0] == '\n';
    } else {
        units = wf_utf8_count(text, nbytes, &nl);
    }
    if (units > WF_MAX_SEQ)
        return WF_ETOOBIG;
    if (doc->type_leaf != WF_NONE && pos == doc->type_pos
        && type_on(doc, pos, text, nbytes, (uint32_t)units, (uint32_t)nl))
        return 0;
    wf__pos tail = {0, 0};
    uint32_t off = 0;
    if (pos > 0)
        tail = find_visible(doc, pos - 1, &off, NULL);
    int err = insert_after(doc, pos == 0, tail, off, text, nbytes, (uint32_t)units, (uint32_t)nl);
    if (!err && doc->type_leaf != WF_NONE)
        doc->type_pos = pos + units;
    return err;
}

int wf_doc_load(wf_doc *doc, char *buf, size_t len)
{
    if (doc->touched || doc->nruns) {
        free(buf);
        return WF_EINVAL;
    }
    if (len == 0) {
        free(buf);
        return 0;
    }
    if (len > WF_LOG_MAX) {
        free(buf);
        return WF_ETOOBIG;
    }
    size_t nl;
    size_t units = wf_utf8_count(buf, len, &nl);
    if (units > WF_MAX_SEQ) {
        free(buf);
        return WF_ETOOBIG;
    }
    wf__agent *me = &doc->agents[doc->me];
    if (me->log_cap == 0) {
        /* Adopt the buffer as the log: no copy of a large file. */
        me->log = buf;
        me->log_len = me->log_cap = len;
        add_checkpoints(me, 0, (uint32_t)units, 0);
        me->log_nl = (uint32_t)nl;
        wf__run run = {.agent = doc->me, .seq = 0, .len = (uint32_t)units, .nl = (uint32_t)nl,
                       .nbytes = (uint32_t)len, .text = 0, .ol = WF__SENTINEL, .or = WF__SENTINEL};
        wf__tree_insert(doc, (wf__pos){wf__first_leaf(doc), 0}, &run);
        me->next = (uint32_t)units;
        doc->touched = true;
        /* The base state: peers get it from wf_doc_encode_diff(), not from a flush. */
        return 0;
    }
    int err = wf__insert_local(doc, WF__SENTINEL, buf, len, (uint32_t)units, (uint32_t)nl);
    free(buf);
    return err;
}

/* Records a local deletion for flush (one deletion of the local agent, core/dellog.c) and
 * undo. */
static void record_local_delete(wf_doc *doc, wf__range rg)
{
    wf__dlog_local(doc, rg);
    wf__undo_record_delete(doc, rg);
}

/* Marks the whole run at p deleted and merges it with its neighbours where possible.
 * Records it for flush and undo when local. */
static void delete_run(wf_doc *doc, wf__pos p, bool local)
{
    wf__run *r = wf__run_at(doc, p);
    r->deleted = 1;
    wf__counts delta = {0, -(uint64_t)r->len, -(uint64_t)r->nbytes, -(uint64_t)r->nl};
    wf__tree_add(doc, p.leaf, p.slot, &delta);
    if (local)
        record_local_delete(doc, (wf__range){r->agent, r->seq, r->len});
    wf__tree_try_merge(doc, p);
    if (p.slot > 0) {
        p.slot--;
        wf__tree_try_merge(doc, p);
    }
}

/* Isolates units [off, off+n) of the run at p as a run of their own; returns its position. */
static wf__pos isolate(wf_doc *doc, wf__pos p, uint32_t off, uint32_t n)
{
    if (off > 0)
        p = wf__tree_split(doc, p, off);
    if (n < wf__run_at(doc, p)->len) {
        wf__pos right = wf__tree_split(doc, p, n);
        p = right;
        wf__pos_prev(doc, &p);
    }
    return p;
}

/* Deletes the last `take` units of the run at p (from unit off on) when the run after it
 * is their deleted continuation, as after a backspace: the units move from one run to the
 * other instead of being split off and merged, which is what isolate() and delete_run()
 * would end with. False, with nothing changed, when that does not apply. */
static bool delete_tail_into_next(wf_doc *doc, wf__pos p, uint32_t off, uint32_t take)
{
    wf__leaf *l = &doc->leaves[p.leaf];
    if (off == 0 || p.slot + 1 >= l->n)
        return false;
    wf__run *r = &l->runs[p.slot], *next = r + 1;
    if (r->deleted || !next->deleted || off + take != r->len)
        return false;
    wf__run head, tail; /* what wf__tree_split(p, off) would leave; the tail deleted */
    wf__run_cut(doc, r, off, &head, &tail);
    tail.deleted = 1;
    if (!wf__runs_chain(doc, &tail, next))
        return false;
    /* The tail and next, merged as wf__tree_try_merge() would, take next's place. Both runs
     * stay in this leaf: the ID index is unchanged. */
    wf__counts delta = {0, -(uint64_t)tail.len, -(uint64_t)tail.nbytes, -(uint64_t)tail.nl};
    *r = head;
    wf__run merged = tail;
    merged.len += next->len;
    merged.nbytes += next->nbytes;
    merged.nl += next->nl;
    *next = merged;
    wf__tree_add(doc, p.leaf, p.slot, &delta);
    record_local_delete(doc, (wf__range){tail.agent, tail.seq, tail.len});
    return true;
}

/* Deletes the first `take` units of the run at p (take < its length) when the run before it
 * is the deleted stretch they continue, as when deleting forward: the units move from one
 * run to the other, as delete_tail_into_next() does for backspacing. False, with nothing
 * changed, when that does not apply. */
static bool delete_head_into_prev(wf_doc *doc, wf__pos p, uint32_t off, uint32_t take)
{
    wf__leaf *l = &doc->leaves[p.leaf];
    if (off != 0 || p.slot == 0)
        return false;
    wf__run *r = &l->runs[p.slot], *prev = r - 1;
    if (r->deleted || !prev->deleted || take >= r->len)
        return false;
    wf__run head, rest; /* what wf__tree_split(p, take) would leave; the head deleted */
    wf__run_cut(doc, r, take, &head, &rest);
    head.deleted = 1;
    if (!wf__runs_chain(doc, prev, &head))
        return false;
    /* prev and the head, merged as wf__tree_try_merge() would; both stay in this leaf: the
     * ID index is unchanged. */
    prev->len += head.len;
    prev->nbytes += head.nbytes;
    prev->nl += head.nl;
    *r = rest;
    wf__tree_add_counts(doc, p.leaf, p.slot, 0, -(uint64_t)head.len, -(uint64_t)head.nbytes,
                        -(uint64_t)head.nl);
    record_local_delete(doc, (wf__range){head.agent, head.seq, head.len});
    return true;
}

int wf_doc_delete(wf_doc *doc, size_t pos, size_t n)
{
    if (pos > doc->total.vis || n > doc->total.vis - pos)
        return WF_EINVAL;
    while (n > 0) {
        uint32_t off;
        wf__pos p = find_visible(doc, pos, &off, NULL);
        uint32_t avail = wf__run_at(doc, p)->len - off;
        uint32_t take = n < avail ? (uint32_t)n : avail;
        if (!delete_tail_into_next(doc, p, off, take)
            && !delete_head_into_prev(doc, p, off, take)) {
            p = isolate(doc, p, off, take);
            delete_run(doc, p, true);
        }
        n -= take;
    }
    doc->touched = true;
    return 0;
}

void wf__delete_ids(wf_doc *doc, wf__range rg, bool local)
{
    uint32_t seq = rg.seq, end = rg.seq + rg.len;
    while (seq < end) {
        wf__pos p;
        uint32_t off;
        if (!wf__find_id(doc, wf__lid_make(rg.agent, seq), &p, &off))
            return; /* callers only pass known units */
        const wf__run *r = wf__run_at(doc, p);
        uint32_t take = r->len - off;
        if (take > end - seq)
            take = end - seq;
        if (!r->deleted) {
            p = isolate(doc, p, off, take);
            delete_run(doc, p, local);
        }
        seq += take;
    }
}
