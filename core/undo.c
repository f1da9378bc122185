/* Local undo and redo (CRDT.md §3.6, after Yjs's UndoManager and Item.redo).
 *
 * A step records ID ranges only: the own units it inserted and the units it deleted.
 * Deleted units keep their text in the logs, so nothing is copied. Undoing a step is one
 * ordinary local edit: (1) delete what it inserted that is still visible; (2) re-insert what
 * it deleted as *new* units, one run per stretch of tombstones that are adjacent in L, each
 * placed directly before the first tombstone of its stretch so it lands where the text was
 * even after others edited around it; (3) remember old -> new IDs ("redone") so that older
 * steps that name the old units act on their copies; (4) never re-insert units the step
 * itself inserted. The edit's own record becomes the inverse step on the other stack. */
#include <stdlib.h>
#include <string.h>

#include "core/doc-internal.h"
#include "core/mem.h"
#include "core/undo.h"
#include "core/utf8.h"

/* --- recording ------------------------------------------------------------------------ */

static void item_free(wf__undo_item *it)
{
    free(it->ins);
    free(it->del);
    memset(it, 0, sizeof *it);
}

static void stack_clear(wf__undo_stack *s)
{
    for (uint32_t i = 0; i < s->n; i++)
        item_free(&s->items[i]);
    s->n = 0;
}

static wf__undo_item *stack_push(wf__undo_stack *s)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->items = wf_xreallocarray(s->items, s->cap, sizeof *s->items);
    }
    wf__undo_item *it = &s->items[s->n++];
    memset(it, 0, sizeof *it);
    return it;
}

/* The item an edit records into: the inverse being built by undo/redo, or the top of the
 * undo stack (a new one unless the current group is still open). */
static inline wf__undo_item *target(wf_doc *doc)
{
    if (doc->rec)
        return doc->rec;
    bool fresh = !wf__undo_joins(doc);
    stack_clear(&doc->redo);
    doc->last_edit_ms = doc->now_ms;
    doc->group_open = true;
    wf__undo_item *it = fresh ? stack_push(&doc->undo) : &doc->undo.items[doc->undo.n - 1];
    it->id = ++doc->undo_ids; /* a step that grows is another step */
    return it;
}

void wf__undo_record(wf_doc *doc, bool ins, wf__range r)
{
    wf__undo_item *it = target(doc);
    if (ins)
        wf__range_push(&it->ins, &it->nins, &it->ins_cap, r);
    else
        wf__range_push(&it->del, &it->ndel, &it->del_cap, r);
}

void wf_doc_set_time(wf_doc *doc, uint64_t ms)
{
    doc->now_ms = ms;
}

void wf_doc_undo_break(wf_doc *doc)
{
    doc->group_open = false;
}


void wf__undo_free(wf_doc *doc)
{
    stack_clear(&doc->undo);
    stack_clear(&doc->redo);
    free(doc->undo.items);
    free(doc->redo.items);
    free(doc->redone);
}

size_t wf__undo_memory(const wf_doc *doc)
{
    size_t m = (size_t)(doc->undo.cap + doc->redo.cap) * sizeof(wf__undo_item);
    const wf__undo_stack *stacks[2] = {&doc->undo, &doc->redo};
    for (int s = 0; s < 2; s++)
        for (uint32_t i = 0; i < stacks[s]->n; i++)
            m += (size_t)(stacks[s]->items[i].ins_cap + stacks[s]->items[i].del_cap)
                 * sizeof(wf__range);
    return m + (size_t)doc->redone_cap * sizeof *doc->redone;
}

/* --- redo chains ---------------------------------------------------------------------- */

static int lid_cmp(uint32_t a1, uint32_t s1, uint32_t a2, uint32_t s2)
{
    if (a1 != a2)
        return a1 < a2 ? -1 : 1;
    return s1 < s2 ? -1 : s1 > s2;
}

/* Index of the first entry whose `from` ends after (agent, seq). */
static uint32_t redone_lower(const wf_doc *doc, uint32_t agent, uint32_t seq)
{
    uint32_t lo = 0, hi = doc->nredone;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const wf__range *f = &doc->redone[mid].from;
        if (lid_cmp(f->agent, f->seq + f->len - 1, agent, seq) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void redone_add(wf_doc *doc, wf__range from, uint32_t to_seq)
{
    uint32_t i = redone_lower(doc, from.agent, from.seq);
    if (doc->nredone == doc->redone_cap) {
        doc->redone_cap = doc->redone_cap ? doc->redone_cap * 2 : 16;
        doc->redone = wf_xreallocarray(doc->redone, doc->redone_cap, sizeof *doc->redone);
    }
    memmove(doc->redone + i + 1, doc->redone + i, (doc->nredone - i) * sizeof *doc->redone);
    doc->redone[i] = (wf__redone){from, to_seq};
    doc->nredone++;
}

wf__lid wf__undo_latest(const wf_doc *doc, wf__lid id)
{
    /* Each copy is a later unit of our own agent, so the chain ends. */
    for (;;) {
        uint32_t i = redone_lower(doc, id.agent, id.seq);
        const wf__redone *e = i < doc->nredone ? &doc->redone[i] : NULL;
        if (!e || e->from.agent != id.agent || e->from.seq > id.seq)
            return id;
        id = wf__lid_make(doc->me, e->to_seq + (id.seq - e->from.seq));
    }
}

typedef struct rlist {
    wf__range *r;
    size_t n, cap;
} rlist;

static void rlist_push(rlist *l, wf__range r)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->r = wf_xreallocarray(l->r, l->cap, sizeof *l->r);
    }
    l->r[l->n++] = r;
}

/* Replaces every unit of r by the last copy in its redo chain; appends the results to out. */
static void follow(const wf_doc *doc, wf__range r, rlist *out)
{
    rlist work = {0};
    rlist_push(&work, r);
    while (work.n > 0) {
        wf__range cur = work.r[--work.n];
        uint32_t i = redone_lower(doc, cur.agent, cur.seq);
        uint64_t at = cur.seq, end = (uint64_t)cur.seq + cur.len;
        while (at < end) {
            const wf__redone *e = i < doc->nredone ? &doc->redone[i] : NULL;
            bool same = e && e->from.agent == cur.agent;
            if (same && e->from.seq <= at) {
                uint64_t stop = (uint64_t)e->from.seq + e->from.len;
                if (stop > end)
                    stop = end;
                rlist_push(&work, (wf__range){doc->me, e->to_seq + (uint32_t)(at - e->from.seq),
                                              (uint32_t)(stop - at)});
                at = stop;
                i++;
            } else {
                uint64_t stop = same && e->from.seq < end ? e->from.seq : end;
                rlist_push(out, (wf__range){cur.agent, (uint32_t)at, (uint32_t)(stop - at)});
                at = stop;
            }
        }
    }
    free(work.r);
}

/* --- undo / redo ---------------------------------------------------------------------- */

/* A stretch of tombstones to re-insert: its place in L and its units. */
typedef struct tomb {
    uint64_t rank;
    wf__range r;
} tomb;

static int tomb_cmp(const void *a, const void *b)
{
    const tomb *x = a, *y = b;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* Removes from r the units that lie in the step's own inserts (rule 4). */
static void subtract_own(const wf__undo_item *it, wf__range r, rlist *out)
{
    rlist cur = {0}, next = {0};
    rlist_push(&cur, r);
    for (uint32_t k = 0; k < it->nins; k++) {
        wf__range s = it->ins[k];
        next.n = 0;
        for (size_t j = 0; j < cur.n; j++) {
            wf__range c = cur.r[j];
            uint64_t ce = (uint64_t)c.seq + c.len, se = (uint64_t)s.seq + s.len;
            if (c.agent != s.agent || se <= c.seq || s.seq >= ce) {
                rlist_push(&next, c);
                continue;
            }
            if (s.seq > c.seq)
                rlist_push(&next, (wf__range){c.agent, c.seq, s.seq - c.seq});
            if (se < ce)
                rlist_push(&next, (wf__range){c.agent, (uint32_t)se, (uint32_t)(ce - se)});
        }
        rlist tmp = cur;
        cur = next;
        next = tmp;
    }
    for (size_t j = 0; j < cur.n; j++)
        rlist_push(out, cur.r[j]);
    free(cur.r);
    free(next.r);
}

/* Collects the tombstone stretches (by run) of the units in r. */
static void collect_tombs(const wf_doc *doc, wf__range r, tomb **t, size_t *n, size_t *cap)
{
    uint32_t seq = r.seq, end = r.seq + r.len;
    while (seq < end) {
        wf__pos p;
        uint32_t off;
        if (!wf__find_id(doc, wf__lid_make(r.agent, seq), &p, &off))
            return;
        const wf__run *run = &doc->leaves[p.leaf].runs[p.slot];
        uint32_t take = run->len - off < end - seq ? run->len - off : end - seq;
        if (run->deleted && run->text != WF_NOTEXT) {
            if (*n == *cap) {
                *cap = *cap ? *cap * 2 : 16;
                *t = wf_xreallocarray(*t, *cap, sizeof **t);
            }
            (*t)[(*n)++] = (tomb){wf__tree_before(doc, p).all + off, {r.agent, seq, take}};
        }
        seq += take;
    }
}

/* Appends the text of tombstone units r to buf. */
static void tomb_text(const wf_doc *doc, wf__range r, wf_buf *buf)
{
    wf__pos p;
    uint32_t off;
    wf__find_id(doc, wf__lid_make(r.agent, r.seq), &p, &off);
    const wf__run *run = &doc->leaves[p.leaf].runs[p.slot];
    uint64_t b0, b1;
    uint32_t nl;
    wf__run_locate(doc, run, off, &b0, &nl);
    wf__run_locate(doc, run, off + r.len, &b1, &nl);
    wf_buf_put(buf, wf__run_text(doc, run) + b0, (size_t)(b1 - b0));
}

/* Re-inserts one stretch of adjacent tombstones t[0..n) before the first of them. */
static void reinsert(wf_doc *doc, const tomb *t, size_t n)
{
    wf__lid ol = WF__SENTINEL;
    if (t[0].rank > 0) {
        uint64_t off;
        wf__pos p = wf__tree_descend(doc, offsetof(wf__counts, all), t[0].rank - 1, &off, NULL);
        const wf__run *r = &doc->leaves[p.leaf].runs[p.slot];
        ol = wf__lid_make(r->agent, r->seq + (uint32_t)off);
    }
    wf_buf text;
    wf_buf_init(&text);
    size_t i = 0;
    while (i < n) {
        /* One run per stretch, unless joining texts would change their segmentation. */
        wf_buf_reset(&text);
        uint32_t units = 0, first_seq = doc->agents[doc->me].next;
        size_t j = i;
        do {
            tomb_text(doc, t[j].r, &text);
            units += t[j].r.len;
            j++;
        } while (j < n && wf_utf8_ends_clean((const char *)text.data, text.len));
        uint32_t nl = (uint32_t)wf_utf8_count_newlines((const char *)text.data, text.len);
        if (wf__insert_local(doc, ol, (const char *)text.data, text.len, units, nl) != 0)
            break; /* seq space exhausted: nothing sensible left to do */
        uint32_t seq = first_seq;
        for (size_t k = i; k < j; k++) {
            redone_add(doc, t[k].r, seq);
            seq += t[k].r.len;
        }
        ol = wf__lid_make(doc->me, seq - 1);
        i = j;
    }
    wf_buf_free(&text);
}

/* Where the cursor goes after a step that made the changes recorded in inv: after the
 * last text it brought back, else where the first text it removed was. */
static size_t step_cursor(const wf_doc *doc, const wf__undo_item *inv)
{
    size_t best = WF_NOPOS;
    for (uint32_t i = 0; i < inv->nins; i++) {
        wf__range r = inv->ins[i];
        size_t p = wf_doc_pos_of(doc, (wf_id){doc->agents[r.agent].id, r.seq + r.len - 1}, NULL);
        if (p != WF_NOPOS && (best == WF_NOPOS || p + 1 > best))
            best = p + 1;
    }
    if (best != WF_NOPOS)
        return best;
    for (uint32_t i = 0; i < inv->ndel; i++) {
        wf__range r = inv->del[i];
        size_t p = wf_doc_pos_of(doc, (wf_id){doc->agents[r.agent].id, r.seq}, NULL);
        if (p != WF_NOPOS && (best == WF_NOPOS || p < best))
            best = p;
    }
    return best;
}

/* Performs the inverse of `it`, recording it into *inv. Returns true if anything changed;
 * *cursor gets where. */
static bool revert(wf_doc *doc, const wf__undo_item *it, wf__undo_item *inv, size_t *cursor)
{
    doc->rec = inv;
    rlist cur = {0}, own = {0};
    /* (1) Delete what the step inserted, following redo chains to the current copies. */
    for (uint32_t i = 0; i < it->nins; i++)
        follow(doc, it->ins[i], &cur);
    for (size_t i = 0; i < cur.n; i++)
        wf__delete_ids(doc, cur.r[i], true);
    /* (2) Re-insert what it deleted, except its own inserts. */
    cur.n = 0;
    for (uint32_t i = 0; i < it->ndel; i++)
        subtract_own(it, it->del[i], &own);
    for (size_t i = 0; i < own.n; i++)
        follow(doc, own.r[i], &cur);
    tomb *t = NULL;
    size_t nt = 0, tcap = 0;
    for (size_t i = 0; i < cur.n; i++)
        collect_tombs(doc, cur.r[i], &t, &nt, &tcap);
    if (nt)
        qsort(t, nt, sizeof *t, tomb_cmp);
    /* Re-insert from the right so the ranks of stretches to the left stay valid. */
    size_t end = nt;
    while (end > 0) {
        size_t start = end - 1;
        while (start > 0 && t[start - 1].rank + t[start - 1].r.len == t[start].rank)
            start--;
        reinsert(doc, t + start, end - start);
        end = start;
    }
    free(t);
    free(cur.r);
    free(own.r);
    doc->rec = NULL;
    *cursor = step_cursor(doc, inv);
    return inv->nins > 0 || inv->ndel > 0;
}

/* Would reverting `it` change anything? (Steps whose edits cancelled out, or whose text
 * others have since removed, would not; undo and redo skip them.) */
static bool has_effect(const wf_doc *doc, const wf__undo_item *it)
{
    rlist cur = {0}, own = {0};
    bool effect = false;
    for (uint32_t i = 0; i < it->nins; i++)
        follow(doc, it->ins[i], &cur);
    for (size_t i = 0; i < cur.n && !effect; i++) {
        wf__range r = cur.r[i];
        for (uint32_t seq = r.seq, end = r.seq + r.len; seq < end && !effect;) {
            wf__pos p;
            uint32_t off;
            if (!wf__find_id(doc, wf__lid_make(r.agent, seq), &p, &off))
                break;
            const wf__run *run = &doc->leaves[p.leaf].runs[p.slot];
            effect = !run->deleted;
            seq += run->len - off < end - seq ? run->len - off : end - seq;
        }
    }
    cur.n = 0;
    for (uint32_t i = 0; i < it->ndel && !effect; i++)
        subtract_own(it, it->del[i], &own);
    for (size_t i = 0; i < own.n && !effect; i++)
        follow(doc, own.r[i], &cur);
    tomb *t = NULL;
    size_t nt = 0, tcap = 0;
    for (size_t i = 0; i < cur.n && !effect; i++) {
        collect_tombs(doc, cur.r[i], &t, &nt, &tcap);
        effect = nt > 0;
    }
    free(t);
    free(cur.r);
    free(own.r);
    return effect;
}

static bool stack_has_effect(const wf_doc *doc, const wf__undo_stack *s)
{
    for (uint32_t i = s->n; i-- > 0;)
        if (has_effect(doc, &s->items[i]))
            return true;
    return false;
}

uint64_t wf_doc_undo_position(const wf_doc *doc)
{
    return doc->undo.n ? doc->undo.items[doc->undo.n - 1].id : 0;
}

bool wf_doc_can_undo(const wf_doc *doc)
{
    return stack_has_effect(doc, &doc->undo);
}

bool wf_doc_can_redo(const wf_doc *doc)
{
    return stack_has_effect(doc, &doc->redo);
}

static int step(wf_doc *doc, wf__undo_stack *from, wf__undo_stack *to, size_t *cursor)
{
    size_t where = WF_NOPOS;
    while (from->n > 0) {
        wf__undo_item it = from->items[--from->n];
        wf__undo_item inv;
        memset(&inv, 0, sizeof inv);
        bool changed = revert(doc, &it, &inv, &where);
        inv.id = it.id; /* the same step, now on the other stack */
        item_free(&it);
        if (changed) {
            *stack_push(to) = inv;
            doc->group_open = false;
            if (cursor)
                *cursor = where == WF_NOPOS ? 0 : where;
            return 0;
        }
        item_free(&inv);
    }
    return WF_EEMPTY;
}

int wf_doc_undo(wf_doc *doc, size_t *cursor)
{
    return step(doc, &doc->undo, &doc->redo, cursor);
}

int wf_doc_redo(wf_doc *doc, size_t *cursor)
{
    return step(doc, &doc->redo, &doc->undo, cursor);
}
