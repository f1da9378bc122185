/* Replays a concurrent trace (wt_ctrace_load, tests/common/trace.h) through weft replicas as
 * a live session would: one document per agent; before each transaction its agent's replica
 * receives the updates of every transaction in the txn's version that it lacks (in trace
 * order, which is causal), then makes the txn's ops as local edits and flushes them into
 * one update. At the end every replica receives what it still lacks, and all must hold the
 * trace's final text.
 *
 *     wt_creplay r;
 *     if (wt_creplay_run(t, &r, err, sizeof err) != 0) fail(err);
 *     ... r.docs[0..t->nagents), r.updates, r.bytes ...
 *     wt_creplay_free(&r);
 *
 * Uses the core and libc only (the benchmark links it). */
#ifndef WEFT_TESTS_CREPLAY_H
#define WEFT_TESTS_CREPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "core/doc.h"
#include "tests/common/trace.h"

typedef struct wt_creplay {
    wf_doc **docs;      /* owned: one replica per agent, agent ids WT_CREPLAY_AGENT(a) */
    size_t ndocs;
    uint64_t updates;   /* non-empty updates made (one per txn with ops) */
    uint64_t sent;      /* bytes of those updates, each counted once */
    uint64_t delivered; /* updates applied at other replicas */
    uint64_t bytes;     /* bytes of those deliveries: what the session exchanged */
} wt_creplay;

/* The agent id of agent a's replica: 64 bits that look random, as real agent ids are (so
 * that update sizes are realistic), but fixed. */
#define WT_CREPLAY_AGENT(a) (0x9e3779b97f4a7c15ULL * ((uint64_t)(a) + 1))

/* Runs the whole replay. Returns 0 with every replica holding t->final, or -1 with a message
 * (which txn, which op, what failed) in err; *r is then freed already. */
int wt_creplay_run(const wt_trace *t, wt_creplay *r, char *err, size_t errsize);
void wt_creplay_free(wt_creplay *r);

#endif
