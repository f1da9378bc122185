/* Anchors (CRDT.md §3.5): a position named by the unit it sticks to, so it follows that unit
 * through everyone's edits; on a deleted unit it resolves to where the unit was. */
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
    bool visible;
    size_t pos = wf_doc_pos_of(doc, a.id, &visible);
    if (pos == WF_NOPOS)
        return WF_NOPOS;
    return visible && a.assoc < 0 ? pos + 1 : pos;
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
