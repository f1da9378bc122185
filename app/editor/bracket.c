/* Matching brackets (see bracket.h).
 *
 * Forward, the bytes are read in the document's own chunks (wf_iter, no copy); backward,
 * in copied windows of BACK_WINDOW units, last byte first. Brackets are ASCII, and an ASCII
 * byte is always a unit of its own, so a bracket's byte offset converts to its unit
 * position with wf_doc_byte_to_pos(). */
#include "app/editor/bracket.h"

#include <stdbool.h>
#include <stdlib.h>

/* Units copied per step of a backward search. */
#define BACK_WINDOW ((size_t)16 << 10)

/* The pair of c: its partner, and whether c opens (the match lies after it). */
static bool pair_of(char c, char *partner, bool *opens)
{
    static const char pairs[] = "()[]{}";
    for (int i = 0; i < 6; i++) {
        if (pairs[i] == c) {
            *partner = pairs[i ^ 1];
            *opens = (i & 1) == 0;
            return true;
        }
    }
    return false;
}

static int unit_byte(const wf_doc *doc, size_t pos)
{
    if (pos >= wf_doc_len(doc))
        return -1;
    wf_iter it;
    const char *p;
    size_t n;
    wf_iter_init(&it, doc, pos, 1);
    return wf_iter_next(&it, &p, &n) && n == 1 ? (unsigned char)p[0] : -1;
}

static size_t forward(const wf_doc *doc, size_t pos, char self, char partner, size_t budget)
{
    uint64_t base = wf_doc_pos_to_byte(doc, pos + 1), off = 0;
    size_t depth = 1;
    wf_iter it;
    const char *p;
    size_t n;
    wf_iter_init(&it, doc, pos + 1, budget);
    while (wf_iter_next(&it, &p, &n)) {
        for (size_t i = 0; i < n; i++) {
            if (p[i] == self)
                depth++;
            else if (p[i] == partner && --depth == 0)
                return wf_doc_byte_to_pos(doc, base + off + i);
        }
        off += n;
    }
    return WF_NOPOS;
}

static size_t backward(const wf_doc *doc, size_t pos, char self, char partner, size_t budget)
{
    size_t depth = 1, hi = pos, lo_limit = pos > budget ? pos - budget : 0;
    while (hi > lo_limit) {
        size_t lo = hi - lo_limit > BACK_WINDOW ? hi - BACK_WINDOW : lo_limit, n;
        char *t = wf_doc_text(doc, lo, hi - lo, &n);
        for (size_t i = n; i-- > 0;) {
            if (t[i] == self) {
                depth++;
            } else if (t[i] == partner && --depth == 0) {
                free(t);
                return wf_doc_byte_to_pos(doc, wf_doc_pos_to_byte(doc, lo) + i);
            }
        }
        free(t);
        hi = lo;
    }
    return WF_NOPOS;
}

size_t bracket_match(const wf_doc *doc, size_t pos, size_t budget)
{
    int c = unit_byte(doc, pos);
    char partner;
    bool opens;
    if (c < 0 || !pair_of((char)c, &partner, &opens))
        return WF_NOPOS;
    return opens ? forward(doc, pos, (char)c, partner, budget)
                 : backward(doc, pos, (char)c, partner, budget);
}

size_t bracket_near(const wf_doc *doc, size_t pos, size_t budget, size_t *at)
{
    char partner;
    bool opens;
    for (int k = 0; k < 2; k++) {
        if (k == 1 && pos == 0)
            break;
        size_t p = k == 0 ? pos : pos - 1;
        int c = unit_byte(doc, p);
        if (c >= 0 && pair_of((char)c, &partner, &opens)) {
            *at = p;
            return bracket_match(doc, p, budget);
        }
    }
    *at = WF_NOPOS;
    return WF_NOPOS;
}
