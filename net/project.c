/* The host's registry of documents and each guest's open files (see net/project.h). */
#include "net/project.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

wn_hdoc *wn_docs_find(const wn_docs *d, uint64_t id)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].id == id)
            return &d->v[i];
    return NULL;
}

wn_hdoc *wn_docs_add(wn_docs *d, uint64_t id, wf_doc *doc)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 4;
        d->v = wf_xreallocarray(d->v, d->cap, sizeof *d->v);
    }
    wn_hdoc *h = &d->v[d->n++];
    memset(h, 0, sizeof *h);
    h->id = id;
    h->doc = doc;
    return h;
}

void wn_docs_remove(wn_docs *d, uint64_t id)
{
    wn_hdoc *h = wn_docs_find(d, id);
    if (h)
        *h = d->v[--d->n];
}

void wn_docs_free(wn_docs *d)
{
    free(d->v);
    memset(d, 0, sizeof *d);
}

wn_opening *wn_openset_find(const wn_openset *s, uint64_t id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].id == id)
            return &s->v[i];
    return NULL;
}

wn_opening *wn_openset_add(wn_openset *s, uint64_t id)
{
    wn_opening *o = wn_openset_find(s, id);
    if (o)
        return o;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4;
        s->v = wf_xreallocarray(s->v, s->cap, sizeof *s->v);
    }
    o = &s->v[s->n++];
    memset(o, 0, sizeof *o);
    o->id = id;
    return o;
}

bool wn_openset_remove(wn_openset *s, uint64_t id)
{
    wn_opening *o = wn_openset_find(s, id);
    if (!o)
        return false;
    *o = s->v[--s->n];
    return true;
}

void wn_openset_free(wn_openset *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

static wn_tree_agent *tree_agent(wn_tree_log *l, uint64_t agent)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].agent == agent)
            return &l->v[i];
    if (l->n == WN_TREE_AGENTS) { /* forget the oldest */
        memmove(l->v, l->v + 1, (l->n - 1) * sizeof *l->v);
        l->n--;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->v = wf_xreallocarray(l->v, l->cap, sizeof *l->v);
    }
    wn_tree_agent *a = &l->v[l->n++];
    memset(a, 0, sizeof *a);
    a->agent = agent;
    return a;
}

bool wn_tree_log_hear(wn_tree_log *l, uint64_t agent, uint32_t request,
                      const wn_tree_done **answer)
{
    wn_tree_agent *a = tree_agent(l, agent);
    *answer = NULL;
    if (request > a->heard) {
        a->heard = request;
        return true;
    }
    for (size_t i = 0; i < WN_TREE_ANSWERS; i++)
        if (a->answers[i].request == request)
            *answer = &a->answers[i];
    return false;
}

void wn_tree_log_answer(wn_tree_log *l, uint64_t agent, const wn_tree_done *d)
{
    wn_tree_agent *a = tree_agent(l, agent);
    a->answers[a->next] = *d;
    a->next = (a->next + 1) % WN_TREE_ANSWERS;
}

void wn_tree_log_free(wn_tree_log *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}
