/* Fuzz target: reading a journal (app/cmd/journal.c) from untrusted bytes, as after a power
 * loss or a corrupted disk. It must never crash; whatever it recovers must be a sound
 * document; a damaged tail must be cut off so that reading the file again gives the same. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/cmd/journal.h"
#include "core/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/weft-fuzz-journal-%d", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    /* Most inputs get a right magic (today's or the first one), so the records themselves
     * are fuzzed. */
    if (size > 0 && data[0] & 1)
        fwrite(data[0] & 2 ? "WEFTJRN2" : "WEFTJRN1", 1, 8, f);
    fwrite(data, 1, size, f);
    fclose(f);
    journal_session s;
    wf_doc *doc = NULL;
    char note[512];
    if (journal_recover(path, 7, &s, &doc, note, sizeof note) == 0) {
        char msg[256];
        if (wf_doc_check(doc, msg, sizeof msg) != 0)
            abort();
        size_t n1;
        char *t1 = wf_doc_text(doc, 0, SIZE_MAX, &n1);
        wf_doc_free(doc);
        journal_session_free(&s);
        /* The file was cut to what was good: reading it again gives the same text. */
        if (journal_recover(path, 7, &s, &doc, note, sizeof note) != 0)
            abort();
        size_t n2;
        char *t2 = wf_doc_text(doc, 0, SIZE_MAX, &n2);
        if (n1 != n2 || memcmp(t1, t2, n1))
            abort();
        free(t1);
        free(t2);
        wf_doc_free(doc);
        journal_session_free(&s);
    }
    unlink(path);
    return 0;
}
