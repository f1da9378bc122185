/* Naive FugueMax (list form "YjsMod") replica: the test oracle. See naive.h.
 *
 * State: `u`, every unit ever integrated, in document order (the list L of CRDT.md §1.1),
 * tombstones included; `pend`, units and delete targets whose dependencies are missing.
 * Everything is a linear scan; clarity beats speed here. The integrate loop is CRDT.md §1.3
 * applied to single units (a run's later units have the previous unit as origin-left, so
 * they land right after it: integrating unit by unit is the same as integrating the run).
 * Ties between true siblings (same ol and or) go to the lower ID, comparing agent then seq. */
#include "tests/common/naive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/common/testutil.h" /* wt_unit_len: the tests' own segmenter */

typedef struct unit {
    wf_id id;     /* its ID */
    wt_nref ol;   /* origin-left */
    wt_nref or;   /* origin-right */
    bool deleted; /* tombstone */
    uint8_t nb;   /* bytes in b, 1..4 */
    char b[4];    /* the unit's bytes */
} unit;

typedef struct pend {
    uint8_t kind; /* WT_NOP_INSERT: `u` waits; WT_NOP_DELETE: `u.id` is the target */
    unit u;
} pend;

struct wt_naive {
    uint64_t agent;    /* local agent */
    uint32_t next_seq; /* next local seq */
    unit *u;           /* L, in document order */
    size_t n, cap;
    pend *p;           /* waiting units / delete targets, in arrival order */
    size_t np, pcap;
};

/* --- op lists ---------------------------------------------------------------------------- */

void wt_nops_init(wt_nops *ops)
{
    ops->v = NULL;
    ops->n = ops->cap = 0;
}

void wt_nops_clear(wt_nops *ops)
{
    for (size_t i = 0; i < ops->n; i++)
        free(ops->v[i].bytes);
    ops->n = 0;
}

void wt_nops_free(wt_nops *ops)
{
    wt_nops_clear(ops);
    free(ops->v);
    wt_nops_init(ops);
}

static void push_op(wt_nops *ops, const wt_nop *op)
{
    if (ops->n == ops->cap) {
        ops->cap = ops->cap ? ops->cap * 2 : 8;
        ops->v = realloc(ops->v, ops->cap * sizeof *ops->v);
        if (!ops->v)
            abort();
    }
    wt_nop *o = &ops->v[ops->n++];
    *o = *op;
    if (op->bytes) {
        o->bytes = malloc(op->nbytes ? op->nbytes : 1);
        if (!o->bytes)
            abort();
        memcpy(o->bytes, op->bytes, op->nbytes);
    }
}

void wt_nops_append(wt_nops *dst, const wt_nops *src)
{
    for (size_t i = 0; i < src->n; i++)
        push_op(dst, &src->v[i]);
}

/* --- helpers -------------------------------------------------------------------------- */

static bool id_eq(wf_id a, wf_id b)
{
    return a.agent == b.agent && a.seq == b.seq;
}

static bool id_less(wf_id a, wf_id b)
{
    return a.agent < b.agent || (a.agent == b.agent && a.seq < b.seq);
}

/* Index of id in L, or -1. */
static long find(const wt_naive *d, wf_id id)
{
    for (size_t i = 0; i < d->n; i++)
        if (id_eq(d->u[i].id, id))
            return (long)i;
    return -1;
}

/* rank() of CRDT.md §1.1: START = -1, END = |L|, an ID = its index (-2 if unknown). */
static long rank_of(const wt_naive *d, wt_nref r)
{
    if (r.kind == WT_NREF_START)
        return -1;
    if (r.kind == WT_NREF_END)
        return (long)d->n;
    long i = find(d, r.id);
    return i < 0 ? -2 : i;
}

static void insert_at(wt_naive *d, size_t at, const unit *x)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->u = realloc(d->u, d->cap * sizeof *d->u);
        if (!d->u)
            abort();
    }
    memmove(&d->u[at + 1], &d->u[at], (d->n - at) * sizeof *d->u);
    d->u[at] = *x;
    d->n++;
}

/* Index in L of visible unit pos, or -1 if pos >= length. */
static long visible_index(const wt_naive *d, size_t pos)
{
    for (size_t i = 0; i < d->n; i++)
        if (!d->u[i].deleted && pos-- == 0)
            return (long)i;
    return -1;
}

static wt_nref ref_id(wf_id id)
{
    wt_nref r = {.kind = WT_NREF_ID, .id = id};
    return r;
}

/* --- lifecycle and queries ----------------------------------------------------------------- */

wt_naive *wt_naive_new(uint64_t agent)
{
    wt_naive *d = calloc(1, sizeof *d);
    if (!d)
        abort();
    d->agent = agent;
    return d;
}

void wt_naive_free(wt_naive *d)
{
    if (!d)
        return;
    free(d->u);
    free(d->p);
    free(d);
}

size_t wt_naive_pending(const wt_naive *d)
{
    return d->np;
}

size_t wt_naive_all(const wt_naive *d)
{
    return d->n;
}

size_t wt_naive_len(const wt_naive *d)
{
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++)
        k += !d->u[i].deleted;
    return k;
}

char *wt_naive_text(const wt_naive *d, size_t *nbytes)
{
    char *t = malloc(d->n * 4 + 1);
    size_t o = 0;
    if (!t)
        abort();
    for (size_t i = 0; i < d->n; i++)
        if (!d->u[i].deleted) {
            memcpy(t + o, d->u[i].b, d->u[i].nb);
            o += d->u[i].nb;
        }
    t[o] = '\0';
    if (nbytes)
        *nbytes = o;
    return t;
}

wf_id wt_naive_id_at(const wt_naive *d, size_t pos)
{
    long i = visible_index(d, pos);
    wf_id none = {0, 0};
    return i < 0 ? none : d->u[i].id;
}

size_t wt_naive_rank(const wt_naive *d, wf_id id)
{
    long i = find(d, id);
    return i < 0 ? SIZE_MAX : (size_t)i;
}

wf_id wt_naive_id_at_rank(const wt_naive *d, size_t i, bool *deleted)
{
    if (deleted)
        *deleted = d->u[i].deleted;
    return d->u[i].id;
}

uint32_t wt_naive_next_seq(const wt_naive *d)
{
    return d->next_seq;
}

/* --- local edits (CRDT.md §1.2) ------------------------------------------------------------ */

int wt_naive_insert(wt_naive *d, size_t pos, const char *text, size_t nbytes, wt_nops *out)
{
    if (pos > wt_naive_len(d))
        return -1;
    if (nbytes == 0)
        return 0;
    long at = pos == 0 ? -1 : visible_index(d, pos - 1); /* rank of ol */
    wt_nop op = {.kind = WT_NOP_INSERT, .id = {d->agent, d->next_seq}};
    op.ol.kind = WT_NREF_START;
    if (at >= 0)
        op.ol = ref_id(d->u[at].id);
    op.or.kind = WT_NREF_END;
    if ((size_t)(at + 1) < d->n)
        op.or = ref_id(d->u[at + 1].id); /* the successor of ol, tombstones included */
    wt_nref ol = op.ol;
    for (size_t i = 0; i < nbytes;) {
        unit x = {.id = {d->agent, d->next_seq++}, .ol = ol, .or = op.or};
        x.nb = (uint8_t)wt_unit_len(text + i, nbytes - i);
        memcpy(x.b, text + i, x.nb);
        i += x.nb;
        insert_at(d, (size_t)++at, &x);
        ol = ref_id(x.id);
        op.len++;
    }
    op.bytes = (char *)text;
    op.nbytes = nbytes;
    if (out)
        push_op(out, &op);
    return 0;
}

int wt_naive_delete(wt_naive *d, size_t pos, size_t n, wt_nops *out)
{
    if (pos > wt_naive_len(d) || n > wt_naive_len(d) - pos)
        return -1;
    long i = n ? visible_index(d, pos) : 0;
    for (size_t k = 0; k < n; i++) {
        if (d->u[i].deleted)
            continue;
        d->u[i].deleted = true;
        k++;
        wf_id id = d->u[i].id;
        wt_nop *last = out && out->n ? &out->v[out->n - 1] : NULL;
        if (last && last->kind == WT_NOP_DELETE && last->id.agent == id.agent
            && last->id.seq + last->len == id.seq) {
            last->len++;
        } else if (out) {
            wt_nop op = {.kind = WT_NOP_DELETE, .id = id, .len = 1};
            push_op(out, &op);
        }
    }
    return 0;
}

/* --- remote integrate (CRDT.md §1.3) ------------------------------------------------------- */

/* Places unit x (dependencies known) into L. */
static void integrate(wt_naive *d, const unit *x)
{
    long lo = rank_of(d, x->ol), hi = rank_of(d, x->or), n = (long)d->n;
    long dest = lo + 1;
    bool scanning = false;
    for (long i = lo + 1;; i++) {
        if (!scanning)
            dest = i;
        if (i == hi || i == n)
            break;
        const unit *o = &d->u[i];
        long ol = rank_of(d, o->ol), orr = rank_of(d, o->or);
        if (ol < lo)
            break; /* o lies outside the subtree x goes into */
        if (ol == lo) {
            if (orr == hi) {
                if (id_less(x->id, o->id))
                    break;     /* true siblings: lower ID first */
                scanning = false;
            } else {
                scanning = orr < hi;
            }
        }
        /* ol > lo: o is inside a subtree already passed */
    }
    insert_at(d, (size_t)dest, x);
}

static bool ref_known(const wt_naive *d, wt_nref r)
{
    return r.kind != WT_NREF_ID || find(d, r.id) >= 0;
}

/* Tries one pending entry. Returns 1 if it is done (integrated, or a duplicate), 0 if it
 * must wait, -1 for a known ID with different content (dropped). */
static int try_pending(wt_naive *d, const pend *p)
{
    long have = find(d, p->u.id);
    if (p->kind == WT_NOP_DELETE) {
        if (have < 0)
            return 0;
        d->u[have].deleted = true;
        return 1;
    }
    if (have >= 0)
        return d->u[have].nb == p->u.nb && memcmp(d->u[have].b, p->u.b, p->u.nb) == 0 ? 1 : -1;
    wf_id prev = {p->u.id.agent, p->u.id.seq - 1};
    if (!ref_known(d, p->u.ol) || !ref_known(d, p->u.or)
        || (p->u.id.seq > 0 && find(d, prev) < 0))
        return 0;
    integrate(d, &p->u);
    return 1;
}

static void push_pend(wt_naive *d, const pend *p)
{
    if (d->np == d->pcap) {
        d->pcap = d->pcap ? d->pcap * 2 : 64;
        d->p = realloc(d->p, d->pcap * sizeof *d->p);
        if (!d->p)
            abort();
    }
    d->p[d->np++] = *p;
}

/* Queues every unit and delete target of op. */
static void queue_op(wt_naive *d, const wt_nop *op)
{
    for (uint32_t k = 0, off = 0; k < op->len; k++) {
        pend p = {.kind = op->kind};
        p.u.id.agent = op->id.agent;
        p.u.id.seq = op->id.seq + k;
        if (op->kind == WT_NOP_INSERT) {
            p.u.ol = k == 0 ? op->ol : ref_id((wf_id){op->id.agent, op->id.seq + k - 1});
            p.u.or = op->or;
            p.u.nb = (uint8_t)wt_unit_len(op->bytes + off, op->nbytes - off);
            memcpy(p.u.b, op->bytes + off, p.u.nb);
            off += p.u.nb;
        }
        push_pend(d, &p);
    }
}

int wt_naive_apply(wt_naive *d, const wt_nops *ops)
{
    int rc = 0;
    for (size_t i = 0; i < ops->n; i++)
        queue_op(d, &ops->v[i]);
    for (bool progress = true; progress;) {
        progress = false;
        size_t keep = 0;
        for (size_t i = 0; i < d->np; i++) {
            int r = try_pending(d, &d->p[i]);
            if (r == 0)
                d->p[keep++] = d->p[i];
            else
                progress = true;
            if (r < 0)
                rc = -1;
        }
        d->np = keep;
    }
    return rc;
}
