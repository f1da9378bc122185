/* Fuzz target: wf_doc_apply() and wf_doc_apply_complete() of untrusted bytes against a
 * live document.
 *
 * The document already holds text from two agents (so known-ID checks, trimming and
 * equivocation run). Every input either applies or is rejected with the document unchanged;
 * after either, the document's invariants must hold (wf_doc_check), and its full state must
 * load into a fresh replica with the same text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec.h"
#include "core/doc.h"

static wf_doc *seeded(void)
{
    wf_doc *a = wf_doc_new(1), *b = wf_doc_new(2);
    if (wf_doc_insert(a, 0, "hello world\n", 12) || wf_doc_insert(b, 0, "\xc3\xa9t\xc3\xa9 \xff", 8))
        abort();
    wf_buf u;
    wf_buf_init(&u);
    wf_doc_flush(b, &u);
    if (wf_doc_apply(a, u.data, u.len) || wf_doc_delete(a, 2, 3))
        abort();
    wf_buf_free(&u);
    wf_doc_free(b);
    return a;
}

static char *text_of(const wf_doc *d, size_t *n)
{
    return wf_doc_text(d, 0, SIZE_MAX, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wf_doc *doc = seeded();
    size_t n0, n1;
    char *before = text_of(doc, &n0);
    size_t pending0 = wf_doc_pending(doc);
    int err = wf_doc_apply(doc, data, size);
    char msg[256];
    if (wf_doc_check(doc, msg, sizeof msg) != 0)
        abort();
    char *after = text_of(doc, &n1);
    if (err && (n0 != n1 || memcmp(before, after, n0) || wf_doc_pending(doc) != pending0))
        abort(); /* a rejected update changed the document */
    /* Whatever it holds now survives an encode/decode round trip. */
    wf_buf state;
    wf_buf_init(&state);
    wf_doc_encode_diff(doc, NULL, &state);
    wf_doc *copy = wf_doc_new(3);
    if (wf_doc_pending(doc) == 0) {
        if (wf_doc_apply(copy, state.data, state.len) != 0)
            abort();
        size_t n2;
        char *t2 = text_of(copy, &n2);
        if (n2 != n1 || memcmp(t2, after, n1))
            abort();
        free(t2);
    }
    wf_doc_free(copy);
    wf_buf_free(&state);
    /* wf_doc_apply_complete: what it accepts leaves nothing pending and the same text as
     * wf_doc_apply; what it refuses leaves the document as it was. */
    wf_doc *strict = seeded();
    int serr = wf_doc_apply_complete(strict, data, size);
    if (wf_doc_check(strict, msg, sizeof msg) != 0)
        abort();
    size_t n3;
    char *t3 = text_of(strict, &n3);
    if (serr == 0 && (err != 0 || wf_doc_pending(strict) != 0 || n3 != n1 || memcmp(t3, after, n1)))
        abort();
    if (serr != 0 && (n3 != n0 || memcmp(t3, before, n0) || wf_doc_pending(strict) != pending0))
        abort();
    if (err != 0 && serr == 0)
        abort();
    free(t3);
    wf_doc_free(strict);
    free(before);
    free(after);
    wf_doc_free(doc);
    return 0;
}
