/* Real editing traces (tests/data/traces/NAME.trace.gz, FORMAT.md there) replayed as local
 * edits: each must reproduce its .final.txt.gz byte for byte, and the result must travel to
 * other replicas both as one full-state update and as the stream of per-transaction
 * updates from wf_doc_flush. Also the trace loader's handling of malformed files. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/codec.h"
#include "core/doc.h"
#include "tests/common/creplay.h"
#include "tests/common/testutil.h"
#include "tests/common/trace.h"

#define MAX_TRACES 64

static char *trace_paths[MAX_TRACES];
static size_t ntraces;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the .trace.gz files in tests/data/traces, sorted (run before the suite is built). */
static void find_traces(void)
{
    DIR *d = opendir(WT_DATA("traces"));
    if (!d) {
        fprintf(stderr, "check_traces: cannot open %s\n", WT_DATA("traces"));
        return;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL && ntraces < MAX_TRACES;) {
        size_t n = strlen(e->d_name);
        if (n > 9 && strcmp(e->d_name + n - 9, ".trace.gz") == 0) {
            size_t need = strlen(WT_DATA("traces")) + n + 2;
            trace_paths[ntraces] = malloc(need);
            snprintf(trace_paths[ntraces], need, "%s/%s", WT_DATA("traces"), e->d_name);
            ntraces++;
        }
    }
    closedir(d);
    qsort(trace_paths, ntraces, sizeof *trace_paths, cmp_str);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void assert_final(const wf_doc *doc, const wt_trace *t, const char *what)
{
    size_t n;
    char *got = wt_text_n(doc, &n);
    size_t i = 0;
    while (i < n && i < t->final_len && got[i] == t->final[i])
        i++;
    if (n != t->final_len || i != n)
        ck_abort_msg("%s: %s: text differs from the final text at byte %zu (%zu vs %zu bytes)",
                     t->name, what, i, n, t->final_len);
    free(got);
    ck_assert_uint_eq(wf_doc_len(doc), t->final_chars);
    ck_assert_uint_eq(wf_doc_bytes(doc), t->final_bytes);
}

START_TEST(test_traces__replay)
{
    ck_assert_msg(ntraces > 0, "no traces found under %s", WT_DATA("traces"));
    wt_trace *t;
    ck_assert_msg(wt_trace_load(trace_paths[_i], &t) == 0, "cannot load %s", trace_paths[_i]);
    double t0 = now_ms();
    wf_doc *doc = wf_doc_new(1), *stream = wf_doc_new(2);
    if (t->start_len) {
        ck_assert_int_eq(wf_doc_insert(doc, 0, t->start, t->start_len), 0);
    }
    wf_buf buf;
    wf_buf_init(&buf);
    size_t next_check = 5000, updates = 0;
    uint64_t update_bytes = 0;
    for (size_t x = 0; x < t->ntxns; x++) {
        for (size_t k = 0; k < t->txns[x].n; k++) {
            size_t i = t->txns[x].first + k;
            const wt_trace_op *op = &t->ops[i];
            int rc = op->del ? wf_doc_delete(doc, op->pos, op->del) : 0;
            ck_assert_msg(rc == 0, "%s op %zu: delete(%zu, %zu) = %d", t->name, i, op->pos,
                          op->del, rc);
            rc = op->len ? wf_doc_insert(doc, op->pos, op->text, op->len) : 0;
            ck_assert_msg(rc == 0, "%s op %zu: insert at %zu = %d", t->name, i, op->pos, rc);
            if (i >= next_check) {
                wt_check(doc);
                next_check += 5000;
            }
        }
        /* (b) one update per transaction, applied in order to another replica */
        wf_buf_reset(&buf);
        size_t n = wf_doc_flush(doc, &buf);
        ck_assert_uint_gt(n, 0);
        ck_assert_int_eq(wf_doc_apply(stream, buf.data, buf.len), 0);
        updates++;
        update_bytes += n;
        if (x % 4096 == 4095) {
            wt_check(stream);
            ck_assert_uint_eq(wf_doc_len(stream), wf_doc_len(doc));
        }
    }
    double t1 = now_ms();
    wt_check(doc);
    assert_final(doc, t, "local replay");
    wt_check(stream);
    assert_final(stream, t, "per-transaction updates");
    ck_assert_uint_eq(wf_doc_pending(stream), 0);
    /* (a) the full state into a fresh replica */
    wf_buf_reset(&buf);
    wf_doc_encode_diff(doc, NULL, &buf);
    wf_doc *copy = wf_doc_new(3);
    double t2 = now_ms();
    ck_assert_int_eq(wf_doc_apply(copy, buf.data, buf.len), 0);
    double t3 = now_ms();
    wt_check(copy);
    assert_final(copy, t, "full-state update");
    /* and every replica encodes the same state to the same bytes */
    wf_buf again;
    wf_buf_init(&again);
    wf_doc_encode_diff(copy, NULL, &again);
    ck_assert(again.len == buf.len && memcmp(again.data, buf.data, buf.len) == 0);
    wf_buf_reset(&again);
    wf_doc_encode_diff(stream, NULL, &again);
    ck_assert(again.len == buf.len && memcmp(again.data, buf.data, buf.len) == 0);
    fprintf(stderr, "%-28s %7zu ops  replay+stream %7.1f ms  state %7zu B  load %6.1f ms  "
            "%.1f B/update  runs %zu\n", t->name, t->nops, t1 - t0, buf.len, t3 - t2,
            (double)update_bytes / (double)(updates ? updates : 1), wf_doc_runs(doc));
    wf_buf_free(&again);
    wf_buf_free(&buf);
    wf_doc_free(doc);
    wf_doc_free(stream);
    wf_doc_free(copy);
    wt_trace_free(t);
}
END_TEST

/* --- concurrent traces -------------------------------------------------------------------- */

static const char *const ctraces[] = {"traces/concurrent/clownschool.ctrace.gz",
                                      "traces/concurrent/friendsforever.ctrace.gz"};

/* Two and three people typing at once (tests/data/traces/concurrent): one replica per agent,
 * exchanging updates as the causal graph says, must end with the final text everywhere
 * (wt_creplay_run checks it); every replica's invariants hold, they encode the same state,
 * and that state loads into a fresh replica that then takes edits like the originals. */
START_TEST(test_traces__concurrent)
{
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/%s", WT_DATA(""), ctraces[_i]);
    wt_trace *t;
    ck_assert_msg(wt_ctrace_load(path, &t) == 0, "cannot load %s", path);
    ck_assert_uint_ge(t->nagents, 2);
    wt_creplay r;
    ck_assert_msg(wt_creplay_run(t, &r, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(r.delivered, r.updates * (t->nagents - 1)); /* once to every other */
    wf_buf state, other;
    wf_buf_init(&state);
    wf_buf_init(&other);
    wf_doc_encode_diff(r.docs[0], NULL, &state);
    for (size_t a = 0; a < r.ndocs; a++) {
        wt_check(r.docs[a]);
        assert_final(r.docs[a], t, "replica");
        wf_buf_reset(&other);
        wf_doc_encode_diff(r.docs[a], NULL, &other);
        ck_assert(other.len == state.len && memcmp(other.data, state.data, state.len) == 0);
    }
    wf_doc *copy = wf_doc_new(3);
    ck_assert_int_eq(wf_doc_apply(copy, state.data, state.len), 0);
    wt_check(copy);
    assert_final(copy, t, "full-state update");
    /* The loaded copy and a replica make the same edit; a third replica takes both. */
    wt_ins(copy, 7, "[copy]");
    wt_ins(r.docs[0], 7, "[orig]");
    wt_sync(copy, r.docs[0]);
    wt_check(copy);
    char *want = wt_text(r.docs[0]);
    wt_assert_text(copy, want);
    ck_assert_ptr_nonnull(strstr(want, "[copy]"));
    ck_assert_ptr_nonnull(strstr(want, "[orig]"));
    free(want);
    fprintf(stderr, "%-28s %7zu ops  %zu agents  %llu updates, %llu bytes exchanged  state %zu B\n",
            t->name, t->nops, t->nagents, (unsigned long long)r.updates,
            (unsigned long long)r.bytes, state.len);
    wf_doc_free(copy);
    wf_buf_free(&state);
    wf_buf_free(&other);
    wt_creplay_free(&r);
    wt_trace_free(t);
}
END_TEST

static const char cgood[] = "# weft-ctrace v1 duo\n# a comment\n"
                            "agents 2 txns 4 ops 4 final_chars 3 final_bytes 3\n"
                            "x 0 0 0 1\n0 0 ab\nx 1 1 1 0 1\n2 0 c\nx 2 0 1 0 1\n0 1\n"
                            "x 3 0 2 1 2 1\n0 0 z\nend\n";

START_TEST(test_traces__cloader_parses_tiny)
{
    wt_trace *t;
    char err[200];
    ck_assert_msg(wt_ctrace_parse(cgood, sizeof cgood - 1, &t, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(t->name, "duo");
    ck_assert_uint_eq(t->nagents, 2);
    ck_assert_uint_eq(t->ntxns, 4);
    ck_assert_uint_eq(t->nops, 4);
    ck_assert_uint_eq(t->txns[1].agent, 1);
    ck_assert_uint_eq(t->txns[3].nparents, 2);
    ck_assert_uint_eq(t->txns[3].parents[0], 1);
    ck_assert_uint_eq(t->txns[3].parents[1], 2);
    ck_assert_uint_eq(t->txns[3].version[0], 3);
    ck_assert_uint_eq(t->txns[3].version[1], 1);
    ck_assert_uint_eq(t->txns[2].version[1], 0);
    ck_assert_uint_eq(t->ops[2].del, 1);
    ck_assert_str_eq(t->ops[3].text, "z");
    wt_trace_free(t);
}
END_TEST

static const struct {
    const char *from, *to;
} cbreaks[] = {
    {"# weft-ctrace v1", "# weft-ctrace v2"},
    {"agents 2", "agents 0"},
    {"txns 4", "txns 5"},
    {"ops 4", "ops 5"},
    {"x 1 1 1 0 1", "x 2 1 1 0 1"},       /* index out of order */
    {"x 1 1 1 0 1", "x 1 2 1 0 1"},       /* agent out of range */
    {"x 1 1 1 0 1", "x 1 1 1 1 1"},       /* a parent that is not earlier */
    {"x 1 1 1 0 1", "x 1 1 0 1"},         /* no parents */
    {"x 0 0 0 1", "x 0 0 1 0 1"},         /* the first with a parent */
    {"x 3 0 2 1 2 1", "x 3 0 1 1 1"},     /* agent 0 branches from itself (misses txn 2) */
    {"x 3 0 2 1 2 1", "x 3 0 1 2 1"},     /* the last misses agent 1's txn */
    {"x 3 0 2 1 2 1", "x 3 0 2 1 2 2"},   /* an op missing */
    {"x 3 0 2 1 2 1", "x 3 0 2 1 2"},     /* no op count */
    {"0 1\n", "0 0\n"},                  /* neither deletes nor inserts */
    {"\nend\n", "\n"},
};

START_TEST(test_traces__cloader_rejects_malformed)
{
    char buf[1024], err[200];
    for (size_t i = 0; i < sizeof cbreaks / sizeof *cbreaks; i++) {
        const char *at = strstr(cgood, cbreaks[i].from);
        ck_assert_ptr_nonnull(at);
        snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - cgood), cgood, cbreaks[i].to,
                 at + strlen(cbreaks[i].from));
        wt_trace *t = (wt_trace *)1;
        err[0] = '\0';
        ck_assert_msg(wt_ctrace_parse(buf, strlen(buf), &t, err, sizeof err) == -1,
                      "break %zu (%s -> %s) was accepted", i, cbreaks[i].from, cbreaks[i].to);
        ck_assert_ptr_null(t);
        ck_assert_msg(strncmp(err, "line ", 5) == 0, "break %zu: message \"%s\"", i, err);
    }
    for (size_t cut = 0; cut + 1 < sizeof cgood - 1; cut++) {
        wt_trace *t;
        ck_assert_int_eq(wt_ctrace_parse(cgood, cut, &t, NULL, 0), -1);
    }
}
END_TEST

/* --- the loader --------------------------------------------------------------------------- */

START_TEST(test_traces__loader_counts)
{
    ck_assert_uint_ge(ntraces, 1);
    for (size_t i = 0; i < ntraces; i++) {
        wt_trace *t;
        ck_assert_int_eq(wt_trace_load(trace_paths[i], &t), 0);
        size_t ins = 0, del = 0, in_txns = 0;
        for (size_t k = 0; k < t->nops; k++) {
            ins += t->ops[k].ncp;
            del += t->ops[k].del;
            ck_assert(t->ops[k].text[t->ops[k].len] == '\0');
        }
        for (size_t k = 0; k < t->ntxns; k++) {
            ck_assert_uint_eq(t->txns[k].first, in_txns);
            in_txns += t->txns[k].n;
        }
        ck_assert_uint_eq(in_txns, t->nops);
        ck_assert_uint_eq(ins, t->ins_chars);
        ck_assert_uint_eq(del, t->del_chars);
        ck_assert_uint_eq(t->final_len, t->final_bytes);
        if (strcmp(t->name, "automerge-paper") == 0) {
            ck_assert_uint_eq(t->nops, 259778);
            ck_assert_uint_eq(t->final_chars, 104852);
        }
        wt_trace_free(t);
    }
}
END_TEST

static const char good[] = "# weft-trace v1 tiny\n# a comment\n"
                           "ops 3 txns 2 start_chars 0 final_chars 3 final_bytes 4 "
                           "ins_chars 4 del_chars 1\nstart 0\n"
                           "0 0 ab%C3%A9\nT 2\n1 1\n0 0 %25\nend\n";

START_TEST(test_traces__loader_parses_tiny)
{
    wt_trace *t;
    char err[200];
    ck_assert_msg(wt_trace_parse(good, sizeof good - 1, &t, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(t->name, "tiny");
    ck_assert_uint_eq(t->nops, 3);
    ck_assert_uint_eq(t->ntxns, 2);
    ck_assert_str_eq(t->ops[0].text, "ab\xc3\xa9");
    ck_assert_uint_eq(t->ops[0].len, 4);
    ck_assert_uint_eq(t->ops[0].ncp, 3);
    ck_assert_uint_eq(t->ops[1].del, 1);
    ck_assert_str_eq(t->ops[1].text, "");
    ck_assert_str_eq(t->ops[2].text, "%");
    ck_assert_uint_eq(t->txns[1].first, 1);
    ck_assert_uint_eq(t->txns[1].n, 2);
    ck_assert_ptr_null(t->final);
    wt_trace_free(t);
}
END_TEST

/* Each entry replaces one substring of the good file to break one rule. */
static const struct {
    const char *from, *to;
} breaks[] = {
    {"# weft-trace v1 tiny", "# weft-trace v2 tiny"},
    {"ops 3", "ops 4"},
    {"txns 2", "txns 3"},
    {"final_chars 3", "final_chars 4"},
    {"ins_chars 4", "ins_chars 5"},
    {"del_chars 1", "del_chars 0"},
    {"ab%C3%A9", "ab%C3%A"},     /* truncated escape */
    {"ab%C3%A9", "ab%C3"},       /* invalid UTF-8 */
    {"ab%C3%A9", "ab%ZZ"},       /* bad hex */
    {"T 2", "T 1"},              /* k must be >= 2 */
    {"T 2", "T 3"},              /* end inside a transaction */
    {"1 1\n", "9 1\n"},          /* past the end */
    {"1 1\n", "1 9\n"},
    {"1 1\n", "1 0\n"},          /* neither deletes nor inserts */
    {"1 1\n", "1  1\n"},         /* double space */
    {"1 1\n", "-1 1\n"},
    {"start 0", "start 1"},
    {"\nend\n", "\n"},           /* no end */
    {"\nend\n", "\nend\n0 0 x\n"},
    {"ops 3 txns", "ops 3 txn"},
    {"0 0 %25", "0 0 a b"},
};

START_TEST(test_traces__loader_rejects_malformed)
{
    char buf[1024], err[200];
    for (size_t i = 0; i < sizeof breaks / sizeof *breaks; i++) {
        const char *at = strstr(good, breaks[i].from);
        ck_assert_ptr_nonnull(at);
        size_t pre = (size_t)(at - good);
        snprintf(buf, sizeof buf, "%.*s%s%s", (int)pre, good, breaks[i].to,
                 at + strlen(breaks[i].from));
        wt_trace *t = (wt_trace *)1;
        err[0] = '\0';
        int rc = wt_trace_parse(buf, strlen(buf), &t, err, sizeof err);
        ck_assert_msg(rc == -1, "break %zu (%s -> %s) was accepted", i, breaks[i].from,
                      breaks[i].to);
        ck_assert_ptr_null(t);
        ck_assert_msg(strncmp(err, "line ", 5) == 0, "break %zu: message \"%s\"", i, err);
    }
    /* every strict prefix fails too */
    for (size_t cut = 0; cut + 1 < sizeof good - 1; cut++) {
        wt_trace *t;
        ck_assert_int_eq(wt_trace_parse(good, cut, &t, NULL, 0), -1);
    }
}
END_TEST

START_TEST(test_traces__load_missing_files)
{
    wt_trace *t = (wt_trace *)1;
    ck_assert_int_eq(wt_trace_load(WT_DATA("traces/no-such.trace.gz"), &t), -1);
    ck_assert_ptr_null(t);
    ck_assert_int_eq(wt_trace_load(WT_DATA("traces/FORMAT.md"), &t), -1);
    char *data;
    size_t n;
    ck_assert_int_eq(wt_read_gzip(WT_DATA("traces/FORMAT.md"), &data, &n), -1); /* not gzip */
    ck_assert_int_eq(wt_read_file(WT_DATA("traces/FORMAT.md"), &data, &n), 0);
    ck_assert_uint_gt(n, 100);
    ck_assert(data[n] == '\0');
    free(data);
}
END_TEST

static Suite *traces_suite(void)
{
    Suite *s = suite_create("traces");
    TCase *tc = tcase_create("loader");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_traces__loader_counts);
    tcase_add_test(tc, test_traces__loader_parses_tiny);
    tcase_add_test(tc, test_traces__loader_rejects_malformed);
    tcase_add_test(tc, test_traces__load_missing_files);
    tcase_add_test(tc, test_traces__cloader_parses_tiny);
    tcase_add_test(tc, test_traces__cloader_rejects_malformed);
    suite_add_tcase(s, tc);

    tc = tcase_create("concurrent");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_traces__concurrent, 0, (int)(sizeof ctraces / sizeof *ctraces));
    suite_add_tcase(s, tc);

    tc = tcase_create("replay");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_traces__replay, 0, ntraces ? (int)ntraces : 1);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    find_traces();
    int rc = wt_run_suite(traces_suite());
    for (size_t i = 0; i < ntraces; i++)
        free(trace_paths[i]);
    return rc;
}
