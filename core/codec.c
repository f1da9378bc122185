/* Applying updates: decode (core/wire2.c, or core/wire1.c for version 1), validate against
 * the document, then change it.
 *
 * Nothing changes before the whole update is known to be acceptable: its syntax and
 * arithmetic (the decoders), the limits on sizes and the pending queue, that it says the
 * same as the document about every unit both hold (core/conflict.c), and, for
 * wf_doc_apply_complete, that it depends on nothing nobody sent (core/depend.c). A full
 * state arriving in an empty document is loaded as it is (core/load.c); everything else is
 * integrated run by run (core/integrate.c). */
#include <stdlib.h>
#include <string.h>

#include "core/codec.h"
#include "core/doc-internal.h"
#include "core/mem.h"
#include "core/wire.h"

void wf__decoded_free(wf__decoded *d)
{
    free(d->agents);
    free(d->dels);
    free(d->floors);
    free(d->ops);
    free(d->del_first);
    free(d->del_end);
    free(d->leaves);
    free(d->text);
}

int wf__decoded_reserve(wf__decoded *d, size_t n, bool exact)
{
    size_t need = (n + WF_LOAD_FILL - 1) / WF_LOAD_FILL;
    if (exact && !d->leaves) {
        /* Not to become a tree's leaves: the last leaf only as long as its runs need. */
        size_t rest = n - (need ? need - 1 : 0) * WF_LOAD_FILL;
        size_t bytes = (need ? need - 1 : 0) * sizeof *d->leaves + offsetof(wf__leaf, runs)
                       + rest * sizeof(wf__run);
        if (!(d->leaves = wf_trymalloc(bytes)))
            return WF_ENOMEM;
        d->leaves_cap = 0; /* marks it: never adopted, never grown */
        return 0;
    }
    if (need <= d->leaves_cap)
        return 0;
    size_t cap = d->leaves_cap * 2 > need ? d->leaves_cap * 2 : need;
    wf__leaf *nl = wf_tryrealloc(d->leaves, (cap ? cap : 1) * sizeof *nl);
    if (!nl)
        return WF_ENOMEM;
    d->leaves = nl;
    d->leaves_cap = cap;
    return 0;
}

int wf__decoded_push(wf__decoded *d, const wf__run *r)
{
    if (d->nruns >= WF__MAX_ITEMS)
        return WF_ETOOBIG;
    int err = wf__decoded_reserve(d, d->nruns + 1, false);
    if (err)
        return err;
    *wf__decoded_run(d, d->nruns++) = *r;
    return 0;
}

/* The runs as pieces for integration (message agents; texts point into the block). */
static wf__piece *pieces_of(const wf__decoded *d)
{
    wf__piece *p = wf_trymalloc((d->nruns ? d->nruns : 1) * sizeof *p);
    for (size_t i = 0; p && i < d->nruns; i++) {
        const wf__run *r = wf__decoded_run(d, i);
        p[i] = (wf__piece){.agent = r->agent, .seq = r->seq, .len = r->len,
                           .deleted = r->deleted, .ol = r->ol, .or = r->or,
                           .text = r->deleted ? NULL : d->text_base + r->text,
                           .nbytes = r->deleted ? 0 : r->nbytes};
    }
    return p;
}

static int decode(const uint8_t *data, size_t n, wf__decoded *d)
{
    if (n > 0 && data[0] == 1)
        return wf__wire1_decode(data, n, d);
    return wf__wire2_decode(data, n, d);
}

/* wf_doc_apply() and wf_doc_apply_complete(): `complete` refuses an update that would
 * leave anything pending (core/depend.c). */
/* The checks against the document, for runs that are not loaded as a state: conflicts, and
 * completeness when asked (of the delete ranges and the delete-log entries' targets too:
 * dels has room for both; message agents). */
static int check_general(const wf_doc *doc, const wf__decoded *d, const wf__piece *pieces,
                         wf__range *dels, bool complete)
{
    /* A unit already held, or waiting, must come with the same origins and text. */
    int err = wf__check_conflicts(doc, d->agents, pieces, d->nruns, d->in_seq_order);
    for (size_t i = 0; i < d->ndels; i++)
        dels[i] = (wf__range){d->dels[i].agent, d->dels[i].seq, d->dels[i].len};
    for (size_t i = 0; i < d->nops; i++)
        dels[d->ndels + i] = d->ops[i].e.target;
    if (!err && complete)
        err = wf__check_complete(doc, d->agents, d->nagents, pieces, d->nruns, dels,
                                 d->ndels + d->nops);
    return err;
}

/* The delete-log entries, group by group, then the floors (message agents mapped by map).
 * wf_doc_apply_complete does not take a peer's word for deletions it did not send: it
 * keeps its own counts, and from then on sends every tombstone. */
static void apply_dlog(wf_doc *doc, const wf__decoded *d, const uint32_t *map, bool complete)
{
    wf__dentry *e = wf_xreallocarray(NULL, d->nops ? d->nops : 1, sizeof *e);
    for (size_t i = 0; i < d->nops;) {
        size_t j = i;
        for (; j < d->nops && d->ops[j].deleter == d->ops[i].deleter; j++) {
            e[j - i] = d->ops[j].e;
            e[j - i].target.agent = map[e[j - i].target.agent];
        }
        wf__dlog_take(doc, map[d->ops[i].deleter], e, j - i);
        i = j;
    }
    free(e);
    for (size_t i = 0; i < d->nfloors; i++) {
        uint32_t a = map[d->floors[i].agent];
        if (!complete)
            wf__dlog_floor(doc, a, d->floors[i].seq);
        else if (d->floors[i].seq > doc->agents[a].dnext)
            doc->legacy_dels = true;
    }
    /* Version 1 deletions belong to nobody's log. */
    if (d->cut_by_dels && d->ndels)
        doc->legacy_dels = true;
}

static int apply(wf_doc *doc, const uint8_t *data, size_t n, bool complete, bool may_load)
{
    if (n > WF_MAX_UPDATE)
        return WF_ETOOBIG;
    wf__decoded d;
    int err = decode(data, n, &d);
    if (!err && wf_doc_pending(doc) + d.nruns + d.ndels + d.nops > WF__MAX_ITEMS)
        err = WF_ETOOBIG;
    /* Every agent's log must stay within WF_LOG_MAX (32-bit offsets). */
    uint64_t fullest = 0;
    for (uint32_t i = 0; i < d.nagents && !err; i++) {
        uint32_t a = wf__agent_find(doc, d.agents[i]);
        if (a != WF_NONE && doc->agents[a].log_len > fullest)
            fullest = doc->agents[a].log_len;
    }
    if (!err && fullest + d.text_len > WF_LOG_MAX)
        err = WF_ETOOBIG;
    /* A full state into an empty document is loaded as it is, once it proves to be one (a
     * state that tiles holds each unit once, and the document holds none: nothing to
     * compare). Else the runs are checked as pieces and integrated one by one. */
    wf__state_plan plan;
    int state = 1;
    if (!err && d.state && may_load && !complete && doc->nruns == 0 && wf_doc_pending(doc) == 0)
        state = wf__state_check(&d, &plan);
    if (state < 0)
        err = state;
    wf__piece *pieces = NULL;
    wf__range *dels = NULL;
    if (!err && (!(dels = wf_trymalloc((d.ndels + d.nops + 1) * sizeof *dels))
                 || (state == 1 && !(pieces = pieces_of(&d)))))
        err = WF_ENOMEM;
    if (!err && state == 1)
        err = check_general(doc, &d, pieces, dels, complete);
    if (err) {
        if (state == 0)
            wf__state_plan_free(&plan);
        free(pieces);
        free(dels);
        wf__decoded_free(&d);
        return err;
    }
    /* Valid: from here on the document changes. Map message agents to document agents. */
    uint32_t *map = wf_xmalloc((d.nagents ? d.nagents : 1) * sizeof *map);
    for (uint32_t i = 0; i < d.nagents; i++)
        map[i] = wf__agent_intern(doc, d.agents[i]);
    for (size_t i = 0; i < d.ndels; i++)
        dels[i] = (wf__range){map[d.dels[i].agent], d.dels[i].seq, d.dels[i].len};
    if (state == 0) {
        wf__state_load(doc, &d, map, &plan);
        /* In version 1, the delete set cut the runs: only deletes of units the state lacks
         * are left to do (they wait for those units). */
        for (size_t i = 0; i < d.ndels; i++)
            if (!d.cut_by_dels
                || (uint64_t)dels[i].seq + dels[i].len > doc->agents[dels[i].agent].next)
                wf__apply_pieces(doc, NULL, 0, &dels[i], 1);
    } else {
        for (size_t i = 0; i < d.nruns; i++) {
            wf__piece *x = &pieces[i];
            x->agent = map[x->agent];
            if (!wf__lid_is_none(x->ol))
                x->ol.agent = map[x->ol.agent];
            if (!wf__lid_is_none(x->or))
                x->or.agent = map[x->or.agent];
        }
        wf__apply_pieces(doc, pieces, d.nruns, dels, d.ndels);
    }
    apply_dlog(doc, &d, map, complete);
    free(map);
    free(pieces);
    free(dels);
    wf__decoded_free(&d);
    return 0;
}

int wf_doc_apply(wf_doc *doc, const uint8_t *data, size_t n)
{
    return apply(doc, data, n, false, true);
}

int wf_doc_apply_complete(wf_doc *doc, const uint8_t *data, size_t n)
{
    return apply(doc, data, n, true, true);
}

int wf__apply_integrating(wf_doc *doc, const uint8_t *data, size_t n)
{
    return apply(doc, data, n, false, false);
}
