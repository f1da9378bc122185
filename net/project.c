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
