/* Replay of a concurrent trace through one weft replica per agent (creplay.h).
 *
 * A txn's version holds a prefix of each agent's txns (trace.h), so what replica g lacks
 * before txn i is, per agent a, a's txns from the number g already has up to version[a]:
 * gathered and applied in trace order. Each txn's update is kept until the end, as a
 * host keeps what it relays. */
#include "tests/common/creplay.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/codec.h"

typedef struct state {
    const wt_trace *t;
    wt_creplay *r;
    wf_buf *upd;        /* per txn: its update (empty if it had no ops) */
    size_t **by_agent;  /* per agent: its txn indexes in order */
    size_t *have;       /* ndocs x nagents: txns of each agent replica g holds */
    size_t *batch;      /* txn indexes to deliver, scratch */
    char *err;
    size_t errsize;
} state;

static int fail(state *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(state *s, const char *fmt, ...)
{
    if (s->err && s->errsize) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s->err, s->errsize, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Brings replica g up to version v (nagents counts), applying the missing txns' updates. */
static int deliver(state *s, size_t g, const size_t *v)
{
    const wt_trace *t = s->t;
    size_t n = 0, *have = &s->have[g * t->nagents];
    for (size_t a = 0; a < t->nagents; a++)
        for (; have[a] < v[a]; have[a]++)
            s->batch[n++] = s->by_agent[a][have[a]];
    qsort(s->batch, n, sizeof *s->batch, cmp_size);
    for (size_t k = 0; k < n; k++) {
        const wf_buf *u = &s->upd[s->batch[k]];
        if (u->len == 0)
            continue;
        int rc = wf_doc_apply(s->r->docs[g], u->data, u->len);
        if (rc != 0)
            return fail(s, "%s: replica %zu: the update of txn %zu: %s", t->name, g,
                        s->batch[k], wf_strerror(rc));
        s->r->delivered++;
        s->r->bytes += u->len;
    }
    return 0;
}

static int run_txn(state *s, size_t i)
{
    const wt_trace *t = s->t;
    const wt_trace_txn *x = &t->txns[i];
    wf_doc *doc = s->r->docs[x->agent];
    if (deliver(s, x->agent, x->version) != 0)
        return -1;
    for (size_t k = 0; k < x->n; k++) {
        const wt_trace_op *op = &t->ops[x->first + k];
        int rc = op->del ? wf_doc_delete(doc, op->pos, op->del) : 0;
        if (rc == 0 && op->len)
            rc = wf_doc_insert(doc, op->pos, op->text, op->len);
        if (rc != 0)
            return fail(s, "%s: txn %zu op %zu (pos %zu del %zu, document of %zu units): %s",
                        t->name, i, k, op->pos, op->del, wf_doc_len(doc), wf_strerror(rc));
    }
    size_t n = wf_doc_flush(doc, &s->upd[i]);
    if (n) {
        s->r->updates++;
        s->r->sent += n;
    }
    s->have[x->agent * t->nagents + x->agent]++;
    return 0;
}

static int final_text_everywhere(state *s)
{
    const wt_trace *t = s->t;
    const size_t *all = t->txns[t->ntxns - 1].version;
    for (size_t g = 0; g < t->nagents; g++) {
        if (deliver(s, g, all) != 0)
            return -1;
        size_t n;
        char *text = wf_doc_text(s->r->docs[g], 0, SIZE_MAX, &n);
        size_t at = 0;
        while (at < n && at < t->final_len && text[at] == t->final[at])
            at++;
        free(text);
        if (n != t->final_len || at != n)
            return fail(s, "%s: replica %zu ends with %zu bytes, differing from the final text "
                           "(%zu bytes) at byte %zu", t->name, g, n, t->final_len, at);
        if (wf_doc_pending(s->r->docs[g]) != 0)
            return fail(s, "%s: replica %zu ends with %zu pending items", t->name, g,
                        wf_doc_pending(s->r->docs[g]));
    }
    return 0;
}

int wt_creplay_run(const wt_trace *t, wt_creplay *r, char *err, size_t errsize)
{
    memset(r, 0, sizeof *r);
    state s = {.t = t, .r = r, .err = err, .errsize = errsize};
    if (t->nagents == 0)
        return fail(&s, "%s is not a concurrent trace", t->name);
    r->ndocs = t->nagents;
    r->docs = calloc(t->nagents, sizeof *r->docs);
    s.upd = calloc(t->ntxns, sizeof *s.upd);
    s.by_agent = calloc(t->nagents, sizeof *s.by_agent);
    s.have = calloc(t->nagents * t->nagents, sizeof *s.have);
    s.batch = calloc(t->ntxns, sizeof *s.batch);
    int rc = r->docs && s.upd && s.by_agent && s.have && s.batch ? 0 : fail(&s, "out of memory");
    for (size_t a = 0; a < t->nagents && rc == 0; a++) {
        r->docs[a] = wf_doc_new(WT_CREPLAY_AGENT(a));
        if (!(s.by_agent[a] = calloc(t->txns[t->ntxns - 1].version[a] + 1, sizeof(size_t))))
            rc = fail(&s, "out of memory");
    }
    if (rc == 0) {
        size_t *fill = calloc(t->nagents, sizeof *fill);
        if (!fill)
            rc = fail(&s, "out of memory");
        for (size_t i = 0; i < t->ntxns && rc == 0; i++)
            s.by_agent[t->txns[i].agent][fill[t->txns[i].agent]++] = i;
        free(fill);
    }
    for (size_t i = 0; i < t->ntxns && rc == 0; i++) {
        wf_buf_init(&s.upd[i]);
        rc = run_txn(&s, i);
    }
    if (rc == 0)
        rc = final_text_everywhere(&s);
    for (size_t i = 0; s.upd && i < t->ntxns; i++)
        wf_buf_free(&s.upd[i]);
    for (size_t a = 0; s.by_agent && a < t->nagents; a++)
        free(s.by_agent[a]);
    free(s.upd);
    free(s.by_agent);
    free(s.have);
    free(s.batch);
    if (rc != 0)
        wt_creplay_free(r);
    return rc;
}

void wt_creplay_free(wt_creplay *r)
{
    for (size_t a = 0; r->docs && a < r->ndocs; a++)
        wf_doc_free(r->docs[a]);
    free(r->docs);
    memset(r, 0, sizeof *r);
}
