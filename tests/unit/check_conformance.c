/* Conformance (CRDT.md T18): the 1000 diamond-types histories of
 * tests/data/conformance/conformance.txt.gz must each converge to their expected text,
 * through the core and through the naive oracle (tests/common/naive.c).
 *
 * Replay rule (no self-concurrency): every txn gets its own agent,
 * ((agent index + 1) << 32) | ordinal of the txn among its agent's txns, which keeps the
 * tie-break order (agent, then seq) of the original IDs. A txn's replica starts empty,
 * applies the updates of all its ancestors in file order, makes the txn's ops as local
 * edits and flushes: that is the txn's update. One fresh replica then applies every update
 * in file order, another in a seeded random order (exercising the pending queue).
 *
 * WEFT_CONF_ONLY=<index> replays one history (for debugging); with the WEFT_SEED printed by
 * the failing run, it replays the same random order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec.h"
#include "core/doc.h"
#include "tests/common/conformance.h"
#include "tests/common/naive.h"
#include "tests/common/testutil.h"

static wt_conformance *conf;

static void load_conformance(void)
{
    if (wt_conformance_load(WT_DATA("conformance/conformance.txt.gz"), &conf) != 0)
        conf = NULL;
}

static void free_conformance(void)
{
    wt_conformance_free(conf);
    conf = NULL;
}

/* The histories to run: all, or the one named by WEFT_CONF_ONLY. */
static void hist_range(size_t *lo, size_t *hi)
{
    const char *only = getenv("WEFT_CONF_ONLY");
    ck_assert_msg(conf != NULL, "conformance data failed to load (see stderr)");
    *lo = 0;
    *hi = conf->nhist;
    if (only && *only) {
        *lo = strtoul(only, NULL, 10);
        ck_assert_msg(*lo < conf->nhist, "WEFT_CONF_ONLY out of range");
        *hi = *lo + 1;
    }
}

/* --- the loader ------------------------------------------------------------------------ */

START_TEST(test_conformance__loader_counts)
{
    ck_assert_msg(conf != NULL, "conformance data failed to load (see stderr)");
    ck_assert_uint_eq(conf->nhist, 1000);
    size_t txns = 0, maxtx = 0;
    for (size_t i = 0; i < conf->nhist; i++) {
        const wt_conf_history *h = &conf->hist[i];
        ck_assert_uint_eq(h->index, i);
        ck_assert_uint_eq(h->nagents, 3);
        ck_assert_str_eq(h->agents[0], "a");
        ck_assert_str_eq(h->agents[2], "c");
        txns += h->ntxns;
        maxtx = h->ntxns > maxtx ? h->ntxns : maxtx;
    }
    ck_assert_uint_eq(txns, 45294);
    ck_assert_uint_le(maxtx, 50);
    /* H 0 of the file: "T 9 11 b 1 2 2 7 8" is txn 4, parents LV 7 and 8. */
    const wt_conf_txn *x = &conf->hist[0].txns[4];
    ck_assert_uint_eq(x->lv_start, 9);
    ck_assert_uint_eq(x->agent, 1);
    ck_assert_uint_eq(x->nparents, 2);
    ck_assert_uint_eq(x->parents[0], 2);
    ck_assert_uint_eq(x->parents[1], 3);
    ck_assert_int_eq(x->ops[0].kind, 'I');
    ck_assert_str_eq(x->ops[1].text, "Q");
    /* txn 2 "T 6 8 c 4 2 0" is c's second txn: ordinal 1, agent (3 << 32) | 1. */
    ck_assert_uint_eq(conf->hist[0].txns[2].ordinal, 1);
    ck_assert_uint_eq(wt_conf_txn_agent(&conf->hist[0], 2), ((uint64_t)3 << 32) | 1);
}
END_TEST

START_TEST(test_conformance__loader_ancestors)
{
    ck_assert_msg(conf != NULL, "conformance data failed to load");
    const wt_conf_history *h = &conf->hist[0];
    bool anc[64];
    wt_conf_ancestors(h, 4, anc); /* parents 2 (c, no parents) and 3 (b, parent LV 5 = txn 1) */
    ck_assert(!anc[4]);
    ck_assert(anc[3] && anc[2] && anc[1] && anc[0]); /* txn 1 has parent LV 1 = txn 0 */
    wt_conf_ancestors(h, 0, anc);
    for (size_t i = 0; i < h->ntxns; i++)
        ck_assert(!anc[i]);
}
END_TEST

static const char *const bad_inputs[] = {
    "",
    "weft-conformance 2\nN 0\n",
    "weft-conformance 1\nN 1\n",
    "weft-conformance 1\nN 1\nH 0 1\nA 1 a\nT 0 1 a 0 1 0\nI 0 1 =x\nE 1 =x\n",
    /* ^ valid; the ones below break one rule each */
    "weft-conformance 1\nN 1\nH 0 1\nA 1 a\nT 0 1 a 0 1 0\nI 0 2 =x\nE 1 =x\n",
    "weft-conformance 1\nN 1\nH 0 1\nA 1 a\nT 0 2 a 0 1 0\nI 0 1 =x\nE 1 =x\n",
    "weft-conformance 1\nN 1\nH 0 1\nA 1 a\nT 0 1 z 0 1 0\nI 0 1 =x\nE 1 =x\n",
    "weft-conformance 1\nN 1\nH 0 1\nA 1 a\nT 0 1 a 0 1 1 5\nI 0 1 =x\nE 1 =x\n",
    "weft-conformance 1\nN 1\nH 0 1\nA 1 a\nT 0 1 a 0 1 0\nI 0 1 =%G0\nE 1 =x\n",
    "weft-conformance 1\nN 1\nH 0 1\nA 1 a\nT 0 1 a 0 1 0\nI 0 1 =%C3\nE 1 =x\n",
    "weft-conformance 1\nN 1\nH 0 1\nA 1 a\nT 0 1 a 0 1 0\nI 0 1 =x\nE 1 =x\nH 1 0\n",
    "weft-conformance 1\nN 1\nH 0 1\nA 1 a\nT 0 1 a 0 1 0\nI 0 1 =x\nE 1 =x",
    "weft-conformance 1\nN 1\nH 0 1\nA 2 b a\nT 0 1 a 0 1 0\nI 0 1 =x\nE 1 =x\n",
    "weft-conformance 1\nN 1\nH 0 1\nA 1 a\nT 0 1 a 0 1 0\nD 0 0\nE 0 =\n",
    "weft-conformance 1\nN 1\nH 0 1\nA 1 a\nT 0 1 a 0 1 0\nI  0 1 =x\nE 1 =x\n",
};

START_TEST(test_conformance__loader_rejects_malformed)
{
    for (size_t i = 0; i < sizeof bad_inputs / sizeof *bad_inputs; i++) {
        wt_conformance *c = NULL;
        char err[256] = "";
        int rc = wt_conformance_parse(bad_inputs[i], strlen(bad_inputs[i]), &c, err,
                                      sizeof err);
        bool valid = i == 3 || i == 11; /* 11: no final newline is fine */
        ck_assert_msg(valid ? rc == 0 : rc == -1, "input %zu: rc %d (%s)", i, rc, err);
        ck_assert_msg(valid || strlen(err) > 0, "input %zu: no message", i);
        if (valid) {
            ck_assert_uint_eq(c->nhist, 1);
            ck_assert_str_eq(c->hist[0].expect, "x");
        }
        wt_conformance_free(c);
    }
}
END_TEST

/* --- naive oracle ------------------------------------------------------------------------ */

/* Replays history h through the naive replica; returns true if both final replicas (file
 * order, random order) have the expected text and nothing pending. */
static bool naive_history(const wt_conf_history *h, wt_rng *rng, wt_nops *upd, bool *anc)
{
    for (size_t t = 0; t < h->ntxns; t++) {
        wt_naive *d = wt_naive_new(wt_conf_txn_agent(h, t));
        wt_conf_ancestors(h, t, anc);
        for (size_t u = 0; u < t; u++)
            if (anc[u])
                wt_naive_apply(d, &upd[u]);
        ck_assert_uint_eq(wt_naive_pending(d), 0);
        wt_nops_clear(&upd[t]);
        for (size_t k = 0; k < h->txns[t].nops; k++) {
            const wt_conf_op *op = &h->txns[t].ops[k];
            int rc = op->kind == 'I' ? wt_naive_insert(d, op->pos, op->text, op->len, &upd[t])
                                     : wt_naive_delete(d, op->pos, op->n, &upd[t]);
            ck_assert_msg(rc == 0, "history %zu txn %zu op %zu out of range", h->index, t, k);
        }
        wt_naive_free(d);
    }
    size_t order[64];
    for (size_t t = 0; t < h->ntxns; t++)
        order[t] = t;
    bool ok = true;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            wt_rng_shuffle(rng, order, h->ntxns, sizeof *order);
        wt_naive *d = wt_naive_new(1);
        for (size_t t = 0; t < h->ntxns; t++)
            wt_naive_apply(d, &upd[order[t]]);
        size_t n;
        char *text = wt_naive_text(d, &n);
        ok = ok && wt_naive_pending(d) == 0 && n == h->expect_len
             && memcmp(text, h->expect, n) == 0;
        free(text);
        wt_naive_free(d);
    }
    return ok;
}

START_TEST(test_conformance__naive_oracle)
{
    size_t lo, hi, passed = 0, shown = 0;
    hist_range(&lo, &hi);
    uint64_t seed = wt_seed("conformance naive");
    wt_rng rng;
    wt_nops upd[64];
    bool anc[64];
    for (size_t i = 0; i < 64; i++)
        wt_nops_init(&upd[i]);
    for (size_t i = lo; i < hi; i++) {
        ck_assert_uint_le(conf->hist[i].ntxns, 64);
        wt_rng_init(&rng, seed + i); /* per history, so WEFT_CONF_ONLY replays it */
        if (naive_history(&conf->hist[i], &rng, upd, anc))
            passed++;
        else if (shown++ < 10)
            fprintf(stderr, "naive: history %zu FAILED\n", i);
    }
    for (size_t i = 0; i < 64; i++)
        wt_nops_free(&upd[i]);
    fprintf(stderr, "conformance: naive passed %zu/%zu\n", passed, hi - lo);
    ck_assert_msg(passed == hi - lo, "naive oracle passed only %zu/%zu histories", passed,
                  hi - lo);
}
END_TEST

/* --- the core ---------------------------------------------------------------------------- */

typedef struct core_result {
    bool ok;            /* everything matched */
    char why[256];      /* first failure */
} core_result;

/* wf_doc_check (T21) as a history failure rather than an abort, so the report names the
 * history. */
static bool doc_ok(const wf_doc *doc, core_result *r, const char *what, size_t t)
{
    char msg[200] = "";
    if (wf_doc_check(doc, msg, sizeof msg) == 0)
        return true;
    snprintf(r->why, sizeof r->why, "%s (txn %zu): wf_doc_check: %s", what, t, msg);
    return false;
}

/* Applies txn t's ops to doc (and to the naive replica nd alongside, to localise a
 * difference). Returns false and fills r->why on the first error or text difference. */
static bool core_txn_ops(const wt_conf_history *h, size_t t, wf_doc *doc, wt_naive *nd,
                         wt_nops *nupd, core_result *r)
{
    for (size_t k = 0; k < h->txns[t].nops; k++) {
        const wt_conf_op *op = &h->txns[t].ops[k];
        int rc = op->kind == 'I' ? wf_doc_insert(doc, op->pos, op->text, op->len)
                                 : wf_doc_delete(doc, op->pos, op->n);
        if (op->kind == 'I')
            wt_naive_insert(nd, op->pos, op->text, op->len, nupd);
        else
            wt_naive_delete(nd, op->pos, op->n, nupd);
        if (rc != 0) {
            snprintf(r->why, sizeof r->why, "txn %zu op %zu: error %d (%s)", t, k, rc,
                     wf_strerror(rc));
            return false;
        }
        if (!doc_ok(doc, r, "after a local op", t))
            return false;
    }
    size_t n, nn;
    char *got = wt_text_n(doc, &n), *want = wt_naive_text(nd, &nn);
    bool same = n == nn && memcmp(got, want, n) == 0;
    if (!same)
        snprintf(r->why, sizeof r->why, "txn %zu: after its ops the core has \"%.60s\", the "
                 "naive replica \"%.60s\"", t, got, want);
    free(got);
    free(want);
    return same;
}

/* Builds every txn's update (upd[t]) by the replay rule. */
static bool core_build_updates(const wt_conf_history *h, wt_update *upd, wt_nops *nupd,
                               bool *anc, core_result *r)
{
    for (size_t t = 0; t < h->ntxns; t++) {
        uint64_t agent = wt_conf_txn_agent(h, t);
        wf_doc *doc = wf_doc_new(agent);
        wt_naive *nd = wt_naive_new(agent);
        wt_conf_ancestors(h, t, anc);
        bool ok = true;
        for (size_t u = 0; u < t; u++)
            if (anc[u])
                wt_naive_apply(nd, &nupd[u]);
        for (size_t u = 0; u < t && ok; u++) {
            if (!anc[u])
                continue;
            int rc = upd[u].n ? wf_doc_apply(doc, upd[u].data, upd[u].n) : 0;
            if (rc != 0) {
                snprintf(r->why, sizeof r->why, "txn %zu: applying txn %zu's update: %d (%s)",
                         t, u, rc, wf_strerror(rc));
                ok = false;
            }
        }
        if (ok && wf_doc_pending(doc) != 0) {
            snprintf(r->why, sizeof r->why, "txn %zu: %zu pending after its ancestors", t,
                     wf_doc_pending(doc));
            ok = false;
        }
        ok = ok && doc_ok(doc, r, "after the ancestors", t);
        wt_nops_clear(&nupd[t]);
        ok = ok && core_txn_ops(h, t, doc, nd, &nupd[t], r);
        upd[t] = wt_flush(doc);
        wt_naive_free(nd);
        wf_doc_free(doc);
        if (!ok)
            return false;
    }
    return true;
}

/* Applies every update in `order` to a fresh replica and compares with the expected text. */
static bool core_final(const wt_conf_history *h, const wt_update *upd, const size_t *order,
                       const char *what, core_result *r)
{
    wf_doc *doc = wf_doc_new(7);
    bool ok = true;
    for (size_t t = 0; t < h->ntxns && ok; t++) {
        const wt_update *u = &upd[order[t]];
        int rc = u->n ? wf_doc_apply(doc, u->data, u->n) : 0;
        if (rc != 0) {
            snprintf(r->why, sizeof r->why, "%s: applying txn %zu: %d (%s)", what, order[t], rc,
                     wf_strerror(rc));
            ok = false;
        }
        ok = ok && doc_ok(doc, r, what, order[t]);
    }
    size_t n;
    char *got = wt_text_n(doc, &n);
    if (ok && (n != h->expect_len || memcmp(got, h->expect, n) != 0)) {
        snprintf(r->why, sizeof r->why, "%s: got \"%.80s\", want \"%.80s\"", what, got,
                 h->expect);
        ok = false;
    }
    if (ok && wf_doc_pending(doc) != 0) {
        snprintf(r->why, sizeof r->why, "%s: %zu still pending", what, wf_doc_pending(doc));
        ok = false;
    }
    free(got);
    wf_doc_free(doc);
    return ok;
}

static void core_history(const wt_conf_history *h, wt_rng *rng, core_result *r)
{
    wt_update upd[64] = {{0}};
    wt_nops nupd[64];
    bool anc[64];
    size_t order[64];
    for (size_t t = 0; t < 64; t++)
        wt_nops_init(&nupd[t]);
    r->ok = core_build_updates(h, upd, nupd, anc, r);
    for (size_t t = 0; t < h->ntxns; t++)
        order[t] = t;
    r->ok = r->ok && core_final(h, upd, order, "file order", r);
    wt_rng_shuffle(rng, order, h->ntxns, sizeof *order);
    r->ok = r->ok && core_final(h, upd, order, "random order", r);
    for (size_t t = 0; t < 64; t++) {
        wt_update_free(&upd[t]);
        wt_nops_free(&nupd[t]);
    }
}

START_TEST(test_conformance__core_all_histories)
{
    size_t lo, hi, passed = 0, shown = 0;
    hist_range(&lo, &hi);
    uint64_t seed = wt_seed("conformance core");
    wt_rng rng;
    for (size_t i = lo; i < hi; i++) {
        core_result r = {.ok = false, .why = ""};
        wt_rng_init(&rng, seed + i); /* per history, so WEFT_CONF_ONLY replays it */
        core_history(&conf->hist[i], &rng, &r);
        if (r.ok)
            passed++;
        else if (shown++ < 10)
            fprintf(stderr, "core: history %zu FAILED: %s\n", i, r.why);
    }
    fprintf(stderr, "conformance: core passed %zu/%zu\n", passed, hi - lo);
    ck_assert_msg(passed == hi - lo, "core passed only %zu/%zu histories (WEFT_CONF_ONLY=N "
                  "replays one)", passed, hi - lo);
}
END_TEST

static Suite *conformance_suite(void)
{
    Suite *s = suite_create("conformance");
    TCase *tc = tcase_create("loader");
    tcase_add_unchecked_fixture(tc, load_conformance, free_conformance);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_conformance__loader_counts);
    tcase_add_test(tc, test_conformance__loader_ancestors);
    tcase_add_test(tc, test_conformance__loader_rejects_malformed);
    suite_add_tcase(s, tc);

    tc = tcase_create("naive");
    tcase_add_unchecked_fixture(tc, load_conformance, free_conformance);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_conformance__naive_oracle);
    suite_add_tcase(s, tc);

    tc = tcase_create("core");
    tcase_add_unchecked_fixture(tc, load_conformance, free_conformance);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_conformance__core_all_histories);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(conformance_suite());
}
