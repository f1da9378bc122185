/* Version vectors as sorted arrays of (agent, next, dels) (see core/vv.h). Sessions have a
 * handful of agents, so binary search and memmove are the right tools. */
#include "core/vv.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void wf_vv_init(wf_vv *vv)
{
    vv->e = NULL;
    vv->n = vv->cap = 0;
}

void wf_vv_free(wf_vv *vv)
{
    free(vv->e);
    wf_vv_init(vv);
}

void wf_vv_clear(wf_vv *vv)
{
    vv->n = 0;
}

void wf_vv_copy(wf_vv *dst, const wf_vv *src)
{
    if (dst == src)
        return;
    if (dst->cap < src->n) {
        dst->e = wf_xreallocarray(dst->e, src->n, sizeof *dst->e);
        dst->cap = src->n;
    }
    if (src->n)
        memcpy(dst->e, src->e, src->n * sizeof *src->e);
    dst->n = src->n;
}

/* Index of the first entry with agent >= `agent`. */
static size_t lower_bound(const wf_vv *vv, uint64_t agent)
{
    size_t lo = 0, hi = vv->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (vv->e[mid].agent < agent)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

uint32_t wf_vv_get(const wf_vv *vv, uint64_t agent)
{
    size_t i = lower_bound(vv, agent);
    return i < vv->n && vv->e[i].agent == agent ? vv->e[i].next : 0;
}

uint32_t wf_vv_get_dels(const wf_vv *vv, uint64_t agent)
{
    size_t i = lower_bound(vv, agent);
    return i < vv->n && vv->e[i].agent == agent ? vv->e[i].dels : 0;
}

void wf_vv_set2(wf_vv *vv, uint64_t agent, uint32_t next, uint32_t dels)
{
    size_t i = lower_bound(vv, agent);
    bool found = i < vv->n && vv->e[i].agent == agent;
    if (found && (next || dels)) {
        vv->e[i].next = next;
        vv->e[i].dels = dels;
    } else if (found) {
        memmove(vv->e + i, vv->e + i + 1, (vv->n - i - 1) * sizeof *vv->e);
        vv->n--;
    } else if (next || dels) {
        if (vv->n == vv->cap) {
            vv->cap = vv->cap ? vv->cap * 2 : 4;
            vv->e = wf_xreallocarray(vv->e, vv->cap, sizeof *vv->e);
        }
        memmove(vv->e + i + 1, vv->e + i, (vv->n - i) * sizeof *vv->e);
        vv->e[i] = (wf_vv_entry){agent, next, dels};
        vv->n++;
    }
}

void wf_vv_set(wf_vv *vv, uint64_t agent, uint32_t next)
{
    wf_vv_set2(vv, agent, next, wf_vv_get_dels(vv, agent));
}

bool wf_vv_equal(const wf_vv *a, const wf_vv *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) /* field by field: the entries have padding */
        if (a->e[i].agent != b->e[i].agent || a->e[i].next != b->e[i].next
            || a->e[i].dels != b->e[i].dels)
            return false;
    return true;
}

bool wf_vv_covers(const wf_vv *a, const wf_vv *b)
{
    for (size_t i = 0; i < b->n; i++)
        if (wf_vv_get(a, b->e[i].agent) < b->e[i].next
            || wf_vv_get_dels(a, b->e[i].agent) < b->e[i].dels)
            return false;
    return true;
}

uint64_t wf_vv_total(const wf_vv *vv)
{
    uint64_t t = 0;
    for (size_t i = 0; i < vv->n; i++)
        t += vv->e[i].next;
    return t;
}

void wf_vv_encode(const wf_vv *vv, wf_buf *out)
{
    wf_buf_put_varuint(out, vv->n);
    for (size_t i = 0; i < vv->n; i++) {
        wf_buf_put_varuint(out, vv->e[i].agent);
        wf_buf_put_varuint(out, vv->e[i].next);
        wf_buf_put_varuint(out, vv->e[i].dels);
    }
}

int wf_vv_decode(wf_vv *vv, const uint8_t *data, size_t n)
{
    wf_reader r;
    wf_reader_init(&r, data, n);
    uint64_t count;
    if (wf_read_varuint(&r, &count) || count > wf_reader_left(&r) / 3)
        return WF_EDECODE;
    wf_vv tmp;
    wf_vv_init(&tmp);
    tmp.e = wf_xreallocarray(NULL, count ? count : 1, sizeof *tmp.e);
    tmp.cap = count ? count : 1;
    for (uint64_t i = 0; i < count; i++) {
        uint64_t agent;
        uint32_t next, dels;
        if (wf_read_varuint(&r, &agent) || wf_read_varu32(&r, &next)
            || wf_read_varu32(&r, &dels) || (next == 0 && dels == 0)
            || (i > 0 && agent <= tmp.e[i - 1].agent)) {
            wf_vv_free(&tmp);
            return WF_EDECODE;
        }
        tmp.e[tmp.n++] = (wf_vv_entry){agent, next, dels};
    }
    if (wf_reader_left(&r) != 0) {
        wf_vv_free(&tmp);
        return WF_EDECODE;
    }
    wf_vv_free(vv);
    *vv = tmp;
    return 0;
}
