/* Differential fuzz target: the fuzzer's bytes are a program for three replicas (local
 * inserts and deletes, deliveries of any sent update to any replica, in any order, with
 * duplicates). Each replica is the real document and, beside it, the naive reference
 * implementation (tests/common/naive.c) given the same edits and deliveries. After every
 * step their texts must be equal; at the end, once everything has reached everyone, all
 * replicas must hold the same text (CRDT.md T9, T19). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec.h"
#include "core/doc.h"
#include "tests/common/naive.h"

#define REPLICAS 3
#define MAX_MSGS 64

typedef struct msg {
    wf_buf bytes;
    wt_nops ops;
} msg;

static const char *const texts[] = {"a", "bc", "\xc3\xa9", "\xf0\x9f\x98\x80", "\xff", "\n",
                                    "\r\n", "xyz", "\xe2\x82", "\x80"};

static void same(wf_doc *d, wt_naive *n)
{
    size_t a, b;
    char *x = wf_doc_text(d, 0, SIZE_MAX, &a), *y = wt_naive_text(n, &b);
    if (a != b || memcmp(x, y, a))
        abort();
    free(x);
    free(y);
}

static void deliver(wf_doc *d, wt_naive *n, msg *m)
{
    if (wf_doc_apply(d, m->bytes.data, m->bytes.len) != 0)
        abort();
    if (wt_naive_apply(n, &m->ops) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wf_doc *doc[REPLICAS];
    wt_naive *nav[REPLICAS];
    for (int r = 0; r < REPLICAS; r++) {
        doc[r] = wf_doc_new((uint64_t)r + 1);
        nav[r] = wt_naive_new((uint64_t)r + 1);
    }
    msg msgs[MAX_MSGS];
    int nmsgs = 0;
    wt_nops pend[REPLICAS];
    for (int r = 0; r < REPLICAS; r++)
        wt_nops_init(&pend[r]);
    for (size_t i = 0; i + 2 < size && i < 3 * 400; i += 3) {
        int r = data[i] % REPLICAS, op = (data[i] / REPLICAS) % 4;
        size_t len = wf_doc_len(doc[r]);
        if (op == 0 || len == 0) {
            const char *t = texts[data[i + 1] % (sizeof texts / sizeof *texts)];
            size_t pos = len ? data[i + 2] % (len + 1) : 0;
            if (wf_doc_insert(doc[r], pos, t, strlen(t))
                || wt_naive_insert(nav[r], pos, t, strlen(t), &pend[r]))
                abort();
        } else if (op == 1) {
            size_t pos = data[i + 1] % len, n = 1 + data[i + 2] % 3;
            if (n > len - pos)
                n = len - pos;
            if (wf_doc_delete(doc[r], pos, n) || wt_naive_delete(nav[r], pos, n, &pend[r]))
                abort();
        } else if (op == 2 && nmsgs < MAX_MSGS - REPLICAS) {
            /* Send what r did since its last send. */
            msg *m = &msgs[nmsgs];
            wf_buf_init(&m->bytes);
            wt_nops_init(&m->ops);
            if (wf_doc_flush(doc[r], &m->bytes) == 0) {
                wf_buf_free(&m->bytes);
                wt_nops_free(&m->ops);
            } else {
                wt_nops_append(&m->ops, &pend[r]);
                wt_nops_clear(&pend[r]);
                nmsgs++;
            }
        } else if (op == 3 && nmsgs > 0) {
            deliver(doc[r], nav[r], &msgs[data[i + 1] % nmsgs]);
        }
        same(doc[r], nav[r]);
    }
    /* Everything to everyone: flush the rest (room was kept for it), then deliver every
     * message everywhere. */
    for (int r = 0; r < REPLICAS; r++) {
        msg *m = &msgs[nmsgs];
        wf_buf_init(&m->bytes);
        wt_nops_init(&m->ops);
        if (wf_doc_flush(doc[r], &m->bytes) == 0) {
            wf_buf_free(&m->bytes);
            wt_nops_free(&m->ops);
        } else {
            wt_nops_append(&m->ops, &pend[r]);
            nmsgs++;
        }
    }
    for (int r = 0; r < REPLICAS; r++)
        for (int k = 0; k < nmsgs; k++)
            deliver(doc[r], nav[r], &msgs[k]);
    bool complete = true; /* nothing left waiting anywhere */
    for (int r = 0; r < REPLICAS; r++) {
        same(doc[r], nav[r]);
        char msgbuf[256];
        if (wf_doc_check(doc[r], msgbuf, sizeof msgbuf) != 0)
            abort();
        complete = complete && wf_doc_pending(doc[r]) == 0;
    }
    /* Everything reached everyone: all replicas agree. */
    if (!complete)
        abort();
    {
        size_t a, b;
        char *x = wf_doc_text(doc[0], 0, SIZE_MAX, &a);
        for (int r = 1; r < REPLICAS; r++) {
            char *y = wf_doc_text(doc[r], 0, SIZE_MAX, &b);
            if (a != b || memcmp(x, y, a))
                abort();
            free(y);
        }
        free(x);
    }
    for (int k = 0; k < nmsgs; k++) {
        wf_buf_free(&msgs[k].bytes);
        wt_nops_free(&msgs[k].ops);
    }
    for (int r = 0; r < REPLICAS; r++) {
        wt_nops_free(&pend[r]);
        wf_doc_free(doc[r]);
        wt_naive_free(nav[r]);
    }
    return 0;
}
