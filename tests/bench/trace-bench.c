/* trace-bench: replays real editing traces through the document core and prints figures.
 *
 *   trace-bench [--runs N] [--out DIR] [--bytes] [--delta K,K...] TRACE...
 *   trace-bench --random OPS [--seed S]
 *
 * Per trace, one line (medians over N runs, default 5):
 *   trace=NAME ops=N final_cp=N apply_ms=X merge_ms=X encode_ms=X state_bytes=N mem_kb=N gap_ms=X
 * apply: every op as a local edit on a fresh document; merge: the encoded full state applied
 * to an empty replica; encode: encoding the full state; state_bytes: its size; mem_kb: the
 * document's memory after the replay, by wf_doc_memory() (allocated capacity of every
 * structure: tree, ID index, text logs, queues, undo history); gap_ms: the same ops on a plain
 * gap buffer of code points, in this process. Exits 1 if any final text is wrong.
 *
 * A concurrent trace (NAME.ctrace.gz, tests/data/traces/concurrent/FORMAT.md) is replayed with
 * one replica per agent exchanging updates as its causal graph says (tests/common/creplay.h):
 *   trace=NAME ops=N final_cp=N apply_ms=X merge_ms=X encode_ms=X state_bytes=N mem_kb=N
 *   gap_ms=- agents=N updates=N exchanged_bytes=N
 * apply: the whole session (every replica's local edits, flushes and the updates it
 * receives); updates: the updates made (one per transaction); exchanged_bytes: the bytes of
 * every delivery of them to another replica (each replica ends with everything); merge,
 * encode, state_bytes: the final full state of one replica, as above; mem_kb: that replica.
 *
 * --bytes: after each trace's line, where the bytes of its full state go (core/wire.h):
 *   bytes trace=NAME header=N dels=N flags=RAW/PACKED agent=... text=RAW/PACKED total=N
 *
 * --delta K,...: reconnect deltas. For each K, a replica receives the full state after all
 * but the last K ops; the last K are made as local edits; the delta for the replica's
 * version is encoded and applied (the final text is checked):
 *   delta trace=NAME k=K bytes=N tombstones_bytes=N state_bytes=N
 * bytes: the delta; tombstones_bytes: the same delta with every tombstone of the units the
 * replica holds (what a delta cost before deletions had numbers: core/dellog.c).
 *
 * --random: OPS edits at random places (3/4 inserts of 1-8 units, 1/4 deletes of 1-4),
 * each followed by wf_doc_flush() as in a live session; prints the mean cost of the edit and
 * of encoding its update over the window of ops ending at each power of ten (the ops since
 * the previous line), to show how it grows with the document. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/buf.h"
#include "core/codec.h"
#include "core/doc.h"
#include "core/wire.h"
#include "gapbuf.h"
#include "tests/common/creplay.h"
#include "tests/common/trace.h"

#define AGENT 0x5eed5eed5eed5eedULL

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void die(const char *what, int err)
{
    fprintf(stderr, "trace-bench: %s: %s\n", what, wf_strerror(err));
    exit(1);
}

/* Replays ops [from, to) of t on doc as local edits. */
static void replay_range(wf_doc *doc, const wt_trace *t, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const wt_trace_op *op = &t->ops[i];
        int err = 0;
        if (op->del)
            err = wf_doc_delete(doc, op->pos, op->del);
        if (!err && op->len)
            err = wf_doc_insert(doc, op->pos, op->text, op->len);
        if (err)
            die("replay", err);
    }
}

static wf_doc *replay(const wt_trace *t)
{
    wf_doc *doc = wf_doc_new(AGENT);
    replay_range(doc, t, 0, t->nops);
    return doc;
}

static double replay_gap(const wt_trace *t, char **text, size_t *n)
{
    gapbuf g;
    double t0 = now_ms();
    gapbuf_init(&g);
    for (size_t i = 0; i < t->nops; i++) {
        const wt_trace_op *op = &t->ops[i];
        if (op->del)
            gapbuf_delete(&g, op->pos, op->del);
        if (op->len)
            gapbuf_insert(&g, op->pos, op->text, op->len);
    }
    double ms = now_ms() - t0;
    *text = gapbuf_text(&g, n);
    gapbuf_free(&g);
    return ms;
}

static int same_text(const wf_doc *doc, const wt_trace *t, const char *what)
{
    size_t n;
    char *text = wf_doc_text(doc, 0, SIZE_MAX, &n);
    int ok = n == t->final_len && !memcmp(text, t->final, n);
    if (!ok)
        fprintf(stderr, "trace-bench: %s: %s final text differs (%zu bytes, want %zu)\n",
                t->name, what, n, t->final_len);
    free(text);
    return ok;
}

static void write_out(const char *dir, const wt_trace *t, const wf_doc *doc)
{
    if (mkdir(dir, 0777) && errno != EEXIST) {
        perror(dir);
        exit(1);
    }
    size_t plen = strlen(dir) + strlen(t->name) + 8;
    char *path = malloc(plen);
    snprintf(path, plen, "%s/%s.txt", dir, t->name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    wf_iter it;
    const char *p;
    size_t n;
    wf_iter_init(&it, doc, 0, SIZE_MAX);
    while (wf_iter_next(&it, &p, &n))
        fwrite(p, 1, n, f);
    if (fclose(f)) {
        perror(path);
        exit(1);
    }
    free(path);
}

/* Times the full state of doc: encoding it, and loading it into an empty replica (the text
 * must be t's final text). */
static int time_state(const wf_doc *doc, const wt_trace *t, double *encode_ms, double *merge_ms,
                      size_t *state_bytes)
{
    wf_buf state;
    wf_buf_init(&state);
    double t0 = now_ms();
    wf_doc_encode_diff(doc, NULL, &state);
    *encode_ms = now_ms() - t0;
    *state_bytes = state.len;
    wf_doc *replica = wf_doc_new(AGENT + 1);
    t0 = now_ms();
    int err = wf_doc_apply(replica, state.data, state.len);
    *merge_ms = now_ms() - t0;
    if (err)
        die("merge", err);
    int ok = same_text(replica, t, "merged");
    wf_buf_free(&state);
    wf_doc_free(replica);
    return ok;
}

/* Prints where the bytes of doc's full state go (--bytes). */
static void print_bytes(const wf_doc *doc, const char *name)
{
    wf_buf state;
    wf_buf_init(&state);
    wf__wire_stats st;
    wf__encode_stats(doc, NULL, &state, &st);
    printf("bytes trace=%s runs=%zu header=%zu dels=%zu", name, st.runs, st.header, st.dels);
    for (int c = 0; c < 7; c++)
        printf(" %s=%zu/%zu", wf__wire_col_names[c], st.col_raw[c], st.col[c]);
    printf(" text=%zu/%zu total=%zu\n", st.text_raw, st.text, state.len);
    wf_buf_free(&state);
}

static int bench_trace(const char *path, int runs, const char *out_dir, bool bytes)
{
    wt_trace *t;
    if (wt_trace_load(path, &t) != 0)
        return 0;
    double *apply = calloc((size_t)runs, sizeof *apply), *merge = calloc((size_t)runs, sizeof *merge);
    double *encode = calloc((size_t)runs, sizeof *encode), *gap = calloc((size_t)runs, sizeof *gap);
    size_t state_bytes = 0, mem = 0;
    int ok = 1;
    for (int r = 0; r < runs; r++) {
        double t0 = now_ms();
        wf_doc *doc = replay(t);
        apply[r] = now_ms() - t0;
        ok &= same_text(doc, t, "replay");
        /* A live session flushes every edit; do it once here so the record of unsent local
         * edits is not counted as document memory. */
        wf_buf scratch;
        wf_buf_init(&scratch);
        (void)wf_doc_flush(doc, &scratch);
        wf_buf_free(&scratch);
        mem = wf_doc_memory(doc);

        ok &= time_state(doc, t, &encode[r], &merge[r], &state_bytes);

        char *gtext;
        size_t glen;
        gap[r] = replay_gap(t, &gtext, &glen);
        if (glen != t->final_len || memcmp(gtext, t->final, glen)) {
            fprintf(stderr, "trace-bench: %s: gap buffer final text differs\n", t->name);
            ok = 0;
        }
        free(gtext);
        if (r == runs - 1 && out_dir)
            write_out(out_dir, t, doc);
        if (r == runs - 1 && bytes)
            print_bytes(doc, t->name);
        wf_doc_free(doc);
    }
    printf("trace=%s ops=%zu final_cp=%zu apply_ms=%.2f merge_ms=%.2f encode_ms=%.2f "
           "state_bytes=%zu mem_kb=%zu gap_ms=%.2f\n",
           t->name, t->nops, t->final_chars, median(apply, runs), median(merge, runs),
           median(encode, runs), state_bytes, (mem + 1023) / 1024, median(gap, runs));
    fflush(stdout);
    free(apply);
    free(merge);
    free(encode);
    free(gap);
    wt_trace_free(t);
    return ok;
}

static int bench_ctrace(const char *path, int runs, bool bytes)
{
    wt_trace *t;
    if (wt_ctrace_load(path, &t) != 0)
        return 0;
    double *apply = calloc((size_t)runs, sizeof *apply), *merge = calloc((size_t)runs, sizeof *merge);
    double *encode = calloc((size_t)runs, sizeof *encode);
    size_t state_bytes = 0, mem = 0;
    int ok = 1;
    wt_creplay r;
    for (int k = 0; k < runs; k++) {
        char err[512];
        double t0 = now_ms();
        if (wt_creplay_run(t, &r, err, sizeof err) != 0) {
            fprintf(stderr, "trace-bench: %s\n", err);
            ok = 0;
            break;
        }
        apply[k] = now_ms() - t0;
        const wf_doc *last = r.docs[t->txns[t->ntxns - 1].agent];
        mem = wf_doc_memory(last);
        ok &= time_state(last, t, &encode[k], &merge[k], &state_bytes);
        if (k == runs - 1 && bytes)
            print_bytes(last, t->name);
        if (k < runs - 1)
            wt_creplay_free(&r);
    }
    if (ok)
        printf("trace=%s ops=%zu final_cp=%zu apply_ms=%.2f merge_ms=%.2f encode_ms=%.2f "
               "state_bytes=%zu mem_kb=%zu gap_ms=- agents=%zu updates=%llu "
               "exchanged_bytes=%llu\n",
               t->name, t->nops, t->final_chars, median(apply, runs), median(merge, runs),
               median(encode, runs), state_bytes, (mem + 1023) / 1024, t->nagents,
               (unsigned long long)r.updates, (unsigned long long)r.bytes);
    fflush(stdout);
    if (ok)
        wt_creplay_free(&r);
    free(apply);
    free(merge);
    free(encode);
    wt_trace_free(t);
    return ok;
}

static int bench_delta(const char *path, const char *ks)
{
    wt_trace *t;
    if (wt_trace_load(path, &t) != 0)
        return 0;
    int ok = 1;
    for (const char *k = ks; *k;) {
        size_t kk = strtoull(k, NULL, 10);
        if (kk > t->nops)
            kk = t->nops;
        wf_doc *a = wf_doc_new(AGENT), *b = wf_doc_new(AGENT + 1);
        replay_range(a, t, 0, t->nops - kk);
        wf_buf u;
        wf_buf_init(&u);
        wf_doc_encode_diff(a, NULL, &u);
        int err = wf_doc_apply(b, u.data, u.len);
        if (err)
            die("state", err);
        size_t state = u.len;
        replay_range(a, t, t->nops - kk, t->nops);
        wf_vv v;
        wf_vv_init(&v);
        wf_doc_vv(b, &v);
        wf_buf_reset(&u);
        a->legacy_dels = true; /* every tombstone, as before */
        wf_doc_encode_diff(a, &v, &u);
        size_t tombstones = u.len;
        a->legacy_dels = false;
        wf_buf_reset(&u);
        wf_doc_encode_diff(a, &v, &u);
        if ((err = wf_doc_apply(b, u.data, u.len)))
            die("delta", err);
        ok &= same_text(b, t, "delta");
        printf("delta trace=%s k=%zu bytes=%zu tombstones_bytes=%zu state_bytes=%zu\n", t->name,
               kk, u.len, tombstones, state);
        fflush(stdout);
        wf_vv_free(&v);
        wf_buf_free(&u);
        wf_doc_free(a);
        wf_doc_free(b);
        k = strchr(k, ',');
        k = k ? k + 1 : "";
    }
    wt_trace_free(t);
    return ok;
}

static uint64_t rng_state;

static uint64_t rng(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void bench_random(uint64_t ops, uint64_t seed)
{
    rng_state = seed;
    wf_doc *doc = wf_doc_new(AGENT);
    wf_buf upd;
    wf_buf_init(&upd);
    uint64_t next_report = 1000, window_start = 0, window_bytes = 0;
    double edit_ms = 0, flush_ms = 0;
    for (uint64_t i = 1; i <= ops; i++) {
        size_t len = wf_doc_len(doc);
        char text[8];
        size_t n = 0, pos;
        bool insert = len < 8 || rng() % 4;
        if (insert) {
            n = 1 + rng() % 8;
            for (size_t k = 0; k < n; k++)
                text[k] = "etaoin shrdlu\n"[rng() % 14];
            pos = (size_t)(rng() % (len + 1));
        } else {
            n = 1 + rng() % 4;
            pos = (size_t)(rng() % (len - n + 1));
        }
        double t0 = now_ms();
        int err = insert ? wf_doc_insert(doc, pos, text, n) : wf_doc_delete(doc, pos, n);
        double t1 = now_ms();
        if (err)
            die("random edit", err);
        wf_buf_reset(&upd);
        window_bytes += wf_doc_flush(doc, &upd);
        double t2 = now_ms();
        edit_ms += t1 - t0;
        flush_ms += t2 - t1;
        if (i == next_report || i == ops) {
            double k = (double)(i - window_start);
            printf("random ops=%llu len=%zu runs=%zu edit_ns=%.0f flush_ns=%.0f "
                   "update_bytes=%.1f mem_kb=%zu\n",
                   (unsigned long long)i, wf_doc_len(doc), wf_doc_runs(doc), edit_ms * 1e6 / k,
                   flush_ms * 1e6 / k, (double)window_bytes / k,
                   (wf_doc_memory(doc) + 1023) / 1024);
            fflush(stdout);
            next_report *= 10;
            window_start = i;
            window_bytes = 0;
            edit_ms = flush_ms = 0;
        }
    }
    wf_buf_free(&upd);
    wf_doc_free(doc);
}

static void usage(void)
{
    fprintf(stderr, "usage: trace-bench [--runs N] [--out DIR] [--bytes] [--delta K,K...] TRACE...\n"
                    "       trace-bench --random OPS [--seed S]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int runs = 5;
    bool bytes = false;
    const char *delta = NULL;
    const char *out_dir = NULL;
    uint64_t random_ops = 0, seed = 42;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out_dir = argv[++i];
        else if (!strcmp(argv[i], "--bytes"))
            bytes = true;
        else if (!strcmp(argv[i], "--delta") && i + 1 < argc)
            delta = argv[++i];
        else if (!strcmp(argv[i], "--random") && i + 1 < argc)
            random_ops = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else
            usage();
    }
    if (runs < 1)
        usage();
    if (random_ops) {
        bench_random(random_ops, seed);
        return 0;
    }
    if (i == argc)
        usage();
    int ok = 1;
    for (; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (n > 10 && !strcmp(argv[i] + n - 10, ".ctrace.gz"))
            ok &= bench_ctrace(argv[i], runs, bytes);
        else if (delta)
            ok &= bench_delta(argv[i], delta);
        else
            ok &= bench_trace(argv[i], runs, out_dir, bytes);
    }
    return ok ? 0 : 1;
}
