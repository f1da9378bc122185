/* Loader for the conformance histories (tests/data/conformance/FORMAT.md, format
 * `weft-conformance 1`): concurrent editing histories from diamond-types, each with the
 * text every replica must converge to (CRDT.md T18).
 *
 * Everything is resolved while loading: parent LVs become txn indices, texts are decoded
 * and their code points counted, and each txn knows its ordinal among its agent's txns, so
 * that a replayer can give every txn its own agent id (wt_conf_txn_agent()). */
#ifndef WEFT_TESTS_CONFORMANCE_H
#define WEFT_TESTS_CONFORMANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wt_conf_op {
    char kind;        /* 'I' insert, 'D' delete */
    size_t pos;       /* units (code points) of the visible text before this op */
    size_t n;         /* units inserted ('I', >= 1) or deleted ('D', >= 1) */
    const char *text; /* 'I': the inserted bytes, NUL-terminated; 'D': "" */
    size_t len;       /* bytes of text */
} wt_conf_op;

typedef struct wt_conf_txn {
    size_t lv_start, lv_end; /* LV range [lv_start, lv_end) */
    unsigned agent;          /* index into the history's agents (= tie-break rank) */
    uint32_t seq_start;      /* DT seq of its first LV */
    uint32_t ordinal;        /* how many earlier txns (file order) the same agent has */
    size_t nops;
    wt_conf_op *ops;         /* nops entries, applied in order */
    size_t nparents;
    size_t *parents;         /* indices of the parent txns (earlier in the history) */
} wt_conf_txn;

typedef struct wt_conf_history {
    size_t index;        /* the H line's index */
    size_t nagents;
    char **agents;       /* names, in tie-break order */
    size_t ntxns;
    wt_conf_txn *txns;   /* in file order (a causal order) */
    const char *expect;  /* expected final text, NUL-terminated */
    size_t expect_len;   /* bytes */
    size_t expect_ncp;   /* units */
} wt_conf_history;

typedef struct wt_conformance {
    size_t nhist;
    wt_conf_history *hist; /* nhist entries */
    char *arena;           /* backing storage of every text */
} wt_conformance;

/* Loads a gzip'd conformance file. Returns 0 and a new set in *out (free with
 * wt_conformance_free()), or -1 with a message naming the line on stderr. */
int wt_conformance_load(const char *path, wt_conformance **out);

/* Parses uncompressed data[0..n). Returns 0, or -1 with a message in err. */
int wt_conformance_parse(const char *data, size_t n, wt_conformance **out, char *err,
                         size_t errsize);

void wt_conformance_free(wt_conformance *c);

/* Marks in anc[0..ntxns) every ancestor of txn t (transitive closure of its parents;
 * t itself is not marked). */
void wt_conf_ancestors(const wt_conf_history *h, size_t t, bool *anc);

/* The agent id the replay gives txn t: ((agent index + 1) << 32) | ordinal. It keeps the
 * tie-break order (agent, then seq) of the original IDs, and no two concurrent txns share
 * an agent, so every replica's seqs stay contiguous. */
uint64_t wt_conf_txn_agent(const wt_conf_history *h, size_t t);

#endif
