/* Iteration over the bytes of a range of visible units, chunk by chunk, borrowing the text
 * from the agents' logs (no copy). */
#include <stdlib.h>
#include <string.h>

#include "core/doc-internal.h"
#include "core/mem.h"

void wf_iter_init(wf_iter *it, const wf_doc *doc, size_t pos, size_t count)
{
    size_t len = (size_t)doc->total.vis;
    it->doc = doc;
    it->leaf = WF_NONE;
    it->slot = 0;
    it->skip = 0;
    it->left = 0;
    if (pos >= len || count == 0)
        return;
    if (count > len - pos)
        count = len - pos;
    uint64_t start = wf_doc_pos_to_byte(doc, pos);
    it->left = wf_doc_pos_to_byte(doc, pos + count) - start;
    uint64_t off;
    wf__pos p = wf__tree_descend(doc, offsetof(wf__counts, bytes), start, &off, NULL);
    it->leaf = p.leaf;
    it->slot = p.slot;
    it->skip = off;
}

bool wf_iter_next(wf_iter *it, const char **p, size_t *nbytes)
{
    const wf_doc *doc = it->doc;
    while (it->leaf != WF_NONE && it->left > 0) {
        const wf__leaf *l = &doc->leaves[it->leaf];
        const wf__run *r = &l->runs[it->slot];
        uint64_t skip = it->skip;
        it->skip = 0;
        if (++it->slot >= l->n) {
            it->leaf = l->next;
            it->slot = 0;
        }
        if (r->deleted || r->nbytes <= skip)
            continue;
        uint64_t n = r->nbytes - skip;
        if (n > it->left)
            n = it->left;
        it->left -= n;
        *p = wf__run_text(doc, r) + skip;
        *nbytes = (size_t)n;
        return true;
    }
    it->leaf = WF_NONE;
    return false;
}

char *wf_doc_text(const wf_doc *doc, size_t pos, size_t count, size_t *nbytes)
{
    wf_iter it;
    wf_iter_init(&it, doc, pos, count);
    char *out = wf_xmalloc((size_t)it.left + 1);
    size_t len = 0, n;
    const char *chunk;
    while (wf_iter_next(&it, &chunk, &n)) {
        memcpy(out + len, chunk, n);
        len += n;
    }
    out[len] = '\0';
    if (nbytes)
        *nbytes = len;
    return out;
}
