/* White-box tests of the ID index (core/idmap.c): random assignments of seq ranges to
 * leaves against a plain array model, including the invariants the document relies on (an
 * entry at every agent's seq 0, the per-agent tail cache). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/doc-internal.h"
#include "tests/common/testutil.h"

enum { NAGENTS = 6, NSEQ = 600, NLEAVES = 9 };

typedef struct model {
    uint32_t leaf[NAGENTS][NSEQ];
    uint32_t next[NAGENTS];
} model;

static bool has_zero[NAGENTS];

static int mark_zero(void *ctx, uint64_t key, uint32_t val)
{
    (void)ctx;
    (void)val;
    if ((uint32_t)key == 0 && (key >> 32) < NAGENTS)
        has_zero[key >> 32] = true;
    return 0;
}

static void check_against(const wf__idmap *m, const model *md, long step)
{
    memset(has_zero, 0, sizeof has_zero);
    wf__idmap_each(m, mark_zero, NULL);
    for (uint32_t a = 0; a < NAGENTS; a++) {
        if (md->next[a] == 0)
            continue;
        ck_assert_msg(has_zero[a], "step %ld: agent %u has no entry at seq 0", step, a);
        ck_assert_msg(a < m->ntail && m->tail[a] == md->leaf[a][md->next[a] - 1],
                      "step %ld: agent %u tail cache", step, a);
        for (uint32_t s = 0; s < md->next[a]; s++)
            ck_assert_msg(wf__idmap_find(m, a, s) == md->leaf[a][s],
                          "step %ld: agent %u seq %u maps to %u, want %u", step, a, s,
                          wf__idmap_find(m, a, s), md->leaf[a][s]);
    }
}

START_TEST(test_idmap__random_against_model)
{
    wt_rng r;
    wt_rng_init(&r, wt_seed("idmap"));
    long steps = wt_scaled(6000);
    wf__idmap m;
    wf__idmap_init(&m);
    model *md = calloc(1, sizeof *md);
    for (long step = 0; step < steps; step++) {
        uint32_t a = wt_rng_below(&r, NAGENTS), leaf = wt_rng_below(&r, NLEAVES);
        if (md->next[a] == 0 || wt_rng_chance(&r, 1, 3)) {
            /* New units, as integration adds them; or entered with a range, as when the leaf
             * that receives them splits at once. */
            uint32_t len = 1 + wt_rng_below(&r, 6);
            if (md->next[a] + len > NSEQ)
                continue;
            if (wt_rng_chance(&r, 1, 2))
                wf__idmap_add(&m, a, md->next[a], leaf);
            else
                wf__idmap_set(&m, a, md->next[a], len, leaf, md->next[a]);
            for (uint32_t k = 0; k < len; k++)
                md->leaf[a][md->next[a] + k] = leaf;
            md->next[a] += len;
        } else {
            /* Known units moved to another leaf, as a leaf split moves them. */
            uint32_t s = wt_rng_below(&r, md->next[a]);
            uint32_t len = 1 + wt_rng_below(&r, md->next[a] - s);
            wf__idmap_set(&m, a, s, len, leaf, md->next[a]);
            for (uint32_t k = 0; k < len; k++)
                md->leaf[a][s + k] = leaf;
        }
        check_against(&m, md, step);
    }
    free(md);
    wf__idmap_free(&m);
}
END_TEST

START_TEST(test_idmap__bulk_build)
{
    /* Entries as the snapshot loader builds them: sorted, one per stretch. */
    enum { N = 5000 };
    uint64_t *keys = malloc(N * sizeof *keys);
    uint32_t *vals = malloc(N * sizeof *vals);
    for (uint32_t i = 0; i < N; i++) {
        keys[i] = (uint64_t)(i % 3) << 32 | (i / 3) * 4;
        vals[i] = i % 17;
    }
    /* Sort by key: agent-major. */
    size_t k = 0;
    uint64_t *sk = malloc(N * sizeof *sk);
    uint32_t *sv = malloc(N * sizeof *sv);
    for (uint32_t a = 0; a < 3; a++)
        for (uint32_t i = a; i < N; i += 3) {
            sk[k] = keys[i];
            sv[k++] = vals[i];
        }
    wf__idmap m;
    wf__idmap_init(&m);
    wf__idmap_build(&m, sk, sv, N);
    for (size_t i = 0; i < N; i++) {
        uint32_t a = (uint32_t)(sk[i] >> 32), s = (uint32_t)sk[i];
        for (uint32_t d = 0; d < 4; d++)
            ck_assert_uint_eq(wf__idmap_find(&m, a, s + d), sv[i]);
    }
    wf__idmap_free(&m);
    free(keys);
    free(vals);
    free(sk);
    free(sv);
}
END_TEST

static Suite *idmap_suite(void)
{
    Suite *s = suite_create("idmap");
    TCase *tc = tcase_create("idmap");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_idmap__random_against_model);
    tcase_add_test(tc, test_idmap__bulk_build);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(idmap_suite());
}
