/* Anchors (CRDT.md §3.5): a position named by the unit it sticks to, so it follows that unit
 * through everyone's edits; on a deleted unit it resolves to where the unit was, or to the
 * copy that this replica's undo re-inserted in its place. */
#include "core/anchor.h"

#include "core/doc-internal.h"

wf_anchor wf_doc_anchor_at(const wf_doc *doc, size_t pos, int assoc)
{
    size_t len = wf_doc_len(doc);
    if (pos > len)
        pos = len;
    if (assoc >= 0)
        return pos == len ? (wf_anchor){{0, 0}, WF_ANCHOR_END, 0}
                          : (wf_anchor){wf_doc_id_at(doc, pos), WF_ANCHOR_ID, 0};
    return pos == 0 ? (wf_anchor){{0, 0}, WF_ANCHOR_START, -1}
                    : (wf_anchor){wf_doc_id_at(doc, pos - 1), WF_ANCHOR_ID, -1};
}

size_t wf_doc_anchor_pos(const wf_doc *doc, wf_anchor a)
{
    switch (a.kind) {
    case WF_ANCHOR_START: return 0;
    case WF_ANCHOR_END: return wf_doc_len(doc);
    default: break;
    }
    uint32_t agent = wf__agent_find(doc, a.id.agent);
    wf__pos p;
    uint32_t off;
    if (agent == WF_NONE || !wf__find_id(doc, wf__lid_make(agent, a.id.seq), &p, &off))
        return WF_NOPOS;
    const wf__run *r = &doc->leaves[p.leaf].runs[p.slot];
    if (r->deleted) {
        /* Text that our undo brought back is a copy: the anchor follows it (Yjs's
         * followRedone), or a view whose top was in deleted text would land after all
         * the restored text. */
        wf__lid copy = wf__undo_latest(doc, wf__lid_make(agent, a.id.seq));
        wf__pos cp;
        uint32_t coff;
        if ((copy.agent != agent || copy.seq != a.id.seq) && wf__find_id(doc, copy, &cp, &coff)) {
            p = cp;
            off = coff;
            r = &doc->leaves[p.leaf].runs[p.slot];
        }
    }
    size_t pos = (size_t)wf__tree_before(doc, p).vis;
    if (r->deleted)
        return pos;
    return pos + off + (a.assoc < 0 ? 1 : 0);
}

void wf_anchor_encode(wf_anchor a, wf_buf *out)
{
    wf_buf_put_u8(out, (uint8_t)(a.kind | (a.assoc < 0 ? 0x80 : 0)));
    if (a.kind == WF_ANCHOR_ID) {
        wf_buf_put_varuint(out, a.id.agent);
        wf_buf_put_varuint(out, a.id.seq);
    }
}

int wf_anchor_decode(wf_reader *r, wf_anchor *a)
{
    uint8_t b;
    if (wf_read_u8(r, &b))
        return WF_EDECODE;
    wf_anchor x = {{0, 0}, (uint8_t)(b & 0x7f), (int8_t)(b & 0x80 ? -1 : 0)};
    if (x.kind > WF_ANCHOR_ID)
        return WF_EDECODE;
    if (x.kind == WF_ANCHOR_ID
        && (wf_read_varuint(r, &x.id.agent) || wf_read_varu32(r, &x.id.seq)))
        return WF_EDECODE;
    *a = x;
    return 0;
}
