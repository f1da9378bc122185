/* Loader for weft-trace v1 files (tests/data/traces/FORMAT.md): sequential editing traces
 * as a flat array of ops, grouped into transactions, plus the expected final text; and for
 * weft-ctrace v1 files (concurrent/FORMAT.md there), whose transactions also name their
 * agent and parents.
 *
 *     wt_trace *t;
 *     if (wt_trace_load(WT_DATA("traces/rustcode.trace.gz"), &t) != 0) ...;
 *     for (size_t i = 0; i < t->nops; i++) {
 *         const wt_trace_op *op = &t->ops[i];
 *         delete op->del units at op->pos, then insert op->text (op->len bytes) at op->pos;
 *     }
 *     compare with t->final (t->final_len bytes);
 *     wt_trace_free(t);
 *
 * Units are code points. The loader checks the whole file: every op stays inside the
 * document as it is at that point (replayed as lengths only), and every header count
 * matches what the ops add up to. It uses only libc (no core calls), so the benchmark can
 * link it with any core. */
#ifndef WEFT_TESTS_TRACE_H
#define WEFT_TESTS_TRACE_H

#include <stddef.h>

typedef struct wt_trace_op {
    size_t pos;       /* units: offset into the text as it is just before this op */
    size_t del;       /* units deleted at pos (first) */
    const char *text; /* bytes inserted at pos (after the delete); NUL-terminated, "" if none */
    size_t len;       /* bytes of text */
    size_t ncp;       /* units of text */
} wt_trace_op;

/* One transaction: ops[first .. first+n) applied in order. Every op is in exactly one. */
typedef struct wt_trace_txn {
    size_t first;          /* index of its first op */
    size_t n;              /* number of ops, >= 1 (a concurrent trace's may have 0) */
    /* Concurrent traces only (wt_ctrace_load; 0 and NULL otherwise): */
    size_t agent;          /* who made it, 0..nagents-1 */
    size_t nparents;       /* versions it starts from (their merge), >= 1 but for txn 0 */
    const size_t *parents; /* txn indexes, each < this one's; into the trace's storage */
    const size_t *version; /* nagents entries: how many of each agent's txns its version
                            * holds, itself included (each agent's are a prefix of its own) */
} wt_trace_txn;

typedef struct wt_trace {
    char *name;          /* from line 1 ("automerge-paper"); owned */
    size_t nops;         /* ops in the file */
    wt_trace_op *ops;    /* owned; nops entries */
    size_t ntxns;        /* transactions (single ops count as one) */
    wt_trace_txn *txns;  /* owned; ntxns entries, in op order */
    const char *start;   /* initial text (usually ""); NUL-terminated */
    size_t start_len;    /* bytes */
    size_t start_chars;  /* units */
    char *final;         /* expected final text, NUL-terminated; owned; NULL if not loaded */
    size_t final_len;    /* bytes of final */
    size_t final_chars;  /* units, from the header */
    size_t final_bytes;  /* bytes, from the header */
    size_t ins_chars;    /* units inserted in total, from the header */
    size_t del_chars;    /* units deleted in total, from the header */
    char *arena;         /* owned: backing storage of every op text and of start */
    size_t nagents;      /* concurrent traces: number of agents; 0 for sequential ones */
    size_t *parent_ids;  /* owned: backing storage of every txn's parents */
    size_t *versions;    /* owned: backing storage of every txn's version */
} wt_trace;

/* Loads path (gzip, read with `gzip -dc`) and the matching "<base>.final.txt.gz" next to it
 * (path must end in ".trace.gz"). Returns 0 and a new trace in *out (free with
 * wt_trace_free()), or -1 with a message naming the file and line on stderr. */
int wt_trace_load(const char *path, wt_trace **out);

/* Parses an uncompressed trace from memory (data[0..n), not modified). final is not loaded
 * (NULL). Returns 0 and a new trace, or -1 and a message in err (if err && errsize). */
int wt_trace_parse(const char *data, size_t n, wt_trace **out, char *err, size_t errsize);

void wt_trace_free(wt_trace *t);

/* Concurrent traces (weft-ctrace v1, tests/data/traces/concurrent/FORMAT.md): several agents'
 * transactions with the causal graph. An op's pos and del count units of the document as its
 * agent saw it (the merge of the txn's parents, then the txn's earlier ops), so they are not
 * checked against a length here; the loader checks the grammar, that every parent precedes
 * its txn, that each agent's txns descend from one another, and the header's counts.
 * path must end in ".ctrace.gz"; "<base>.final.txt.gz" next to it is loaded as final.
 * start is "" and start_chars, ins_chars, del_chars are 0. Returns 0 and a new trace in *out
 * (free with wt_trace_free()), or -1 with a message on stderr. */
int wt_ctrace_load(const char *path, wt_trace **out);
int wt_ctrace_parse(const char *data, size_t n, wt_trace **out, char *err, size_t errsize);

/* --- files (also used by the other test helpers) ------------------------------------------- */

/* Reads a whole file into memory. Returns 0, or -1 with a message on stderr. *data is
 * NUL-terminated (not counted in *n); free with free(). */
int wt_read_file(const char *path, char **data, size_t *n);

/* Decompresses a gzip file by running `gzip -dc path` (posix_spawnp and a pipe; no zlib).
 * Returns 0, or -1 with a message on stderr (also when gzip is not installed). *data is
 * NUL-terminated (not counted in *n); free with free(). */
int wt_read_gzip(const char *path, char **data, size_t *n);

#endif
