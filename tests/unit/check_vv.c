/* core/vv: version vectors (agent -> units held), their comparison and their encoding. */
#include <stdlib.h>
#include <string.h>

#include "core/vv.h"
#include "tests/common/testutil.h"

/* Fails unless vv is sorted by agent, duplicate-free and has no zero entries. */
static void assert_canonical(const wf_vv *vv)
{
    ck_assert_uint_le(vv->n, vv->cap);
    for (size_t i = 0; i < vv->n; i++) {
        ck_assert(vv->e[i].next > 0 || vv->e[i].dels > 0);
        if (i > 0)
            ck_assert_uint_lt(vv->e[i - 1].agent, vv->e[i].agent);
    }
}

START_TEST(test_vv__get_set_remove)
{
    wf_vv vv;
    wf_vv_init(&vv);
    ck_assert_uint_eq(vv.n, 0);
    ck_assert_uint_eq(wf_vv_get(&vv, 5), 0);
    wf_vv_set(&vv, 5, 10);
    wf_vv_set(&vv, 1, 3);
    wf_vv_set(&vv, UINT64_MAX, UINT32_MAX);
    wf_vv_set(&vv, 0, 1);
    assert_canonical(&vv);
    ck_assert_uint_eq(vv.n, 4);
    ck_assert_uint_eq(wf_vv_get(&vv, 5), 10);
    ck_assert_uint_eq(wf_vv_get(&vv, 1), 3);
    ck_assert_uint_eq(wf_vv_get(&vv, 0), 1);
    ck_assert_uint_eq(wf_vv_get(&vv, UINT64_MAX), UINT32_MAX);
    ck_assert_uint_eq(wf_vv_get(&vv, 2), 0);
    ck_assert_uint_eq(wf_vv_total(&vv), 10 + 3 + 1 + (uint64_t)UINT32_MAX);
    wf_vv_set(&vv, 5, 11);
    ck_assert_uint_eq(wf_vv_get(&vv, 5), 11);
    ck_assert_uint_eq(vv.n, 4);
    wf_vv_set(&vv, 1, 0); /* removes */
    ck_assert_uint_eq(vv.n, 3);
    ck_assert_uint_eq(wf_vv_get(&vv, 1), 0);
    wf_vv_set(&vv, 77, 0); /* removing an absent agent is a no-op */
    ck_assert_uint_eq(vv.n, 3);
    assert_canonical(&vv);
    wf_vv_clear(&vv);
    ck_assert_uint_eq(vv.n, 0);
    ck_assert_uint_eq(wf_vv_total(&vv), 0);
    wf_vv_free(&vv);
}
END_TEST

START_TEST(test_vv__equal_covers_copy)
{
    wf_vv a, b, c;
    wf_vv_init(&a);
    wf_vv_init(&b);
    wf_vv_init(&c);
    ck_assert(wf_vv_equal(&a, &b));
    ck_assert(wf_vv_covers(&a, &b));
    wf_vv_set(&a, 1, 5);
    wf_vv_set(&a, 2, 5);
    wf_vv_set(&b, 1, 5);
    ck_assert(!wf_vv_equal(&a, &b));
    ck_assert(wf_vv_covers(&a, &b));
    ck_assert(!wf_vv_covers(&b, &a));
    wf_vv_set(&b, 2, 6);
    ck_assert(!wf_vv_covers(&a, &b));
    ck_assert(wf_vv_covers(&b, &a));
    wf_vv_set(&a, 3, 1);
    ck_assert(!wf_vv_covers(&a, &b)); /* concurrent */
    ck_assert(!wf_vv_covers(&b, &a));
    wf_vv_set(&a, 3, 0);
    wf_vv_set(&b, 2, 5);
    ck_assert(wf_vv_equal(&a, &b));
    ck_assert(wf_vv_covers(&a, &b) && wf_vv_covers(&b, &a));
    wf_vv_set(&c, 9, 9);
    wf_vv_copy(&c, &a);
    ck_assert(wf_vv_equal(&c, &a));
    ck_assert_uint_eq(wf_vv_get(&c, 9), 0);
    wf_vv_set(&c, 1, 100); /* the copy is deep */
    ck_assert_uint_eq(wf_vv_get(&a, 1), 5);
    ck_assert(wf_vv_covers(&c, &a));
    wf_vv_free(&a);
    wf_vv_free(&b);
    wf_vv_free(&c);
}
END_TEST

START_TEST(test_vv__encode_exact)
{
    wf_vv vv;
    wf_buf b;
    wf_vv_init(&vv);
    wf_buf_init(&b);
    wf_vv_encode(&vv, &b);
    ck_assert_uint_eq(b.len, 1);
    ck_assert_uint_eq(b.data[0], 0);
    wf_buf_reset(&b);
    wf_vv_set(&vv, 300, 2);
    wf_vv_set(&vv, 1, 128);
    wf_vv_set2(&vv, 7, 0, 5); /* deletions only */
    wf_vv_encode(&vv, &b);
    static const uint8_t want[] = {3, 1, 0x80, 0x01, 0, 7, 0, 5, 0xac, 0x02, 2, 0};
    ck_assert_uint_eq(b.len, sizeof want);
    ck_assert(memcmp(b.data, want, sizeof want) == 0);
    wf_vv out;
    wf_vv_init(&out);
    ck_assert_int_eq(wf_vv_decode(&out, b.data, b.len), 0);
    ck_assert(wf_vv_equal(&out, &vv));
    wf_vv_free(&out);
    wf_vv_free(&vv);
    wf_buf_free(&b);
}
END_TEST

START_TEST(test_vv__decode_rejects)
{
    static const struct {
        const char *what;
        uint8_t bytes[16];
        size_t n;
    } bad[] = {
        {"empty", {0}, 0},
        {"truncated count", {0x80}, 1},
        {"count larger than data", {3, 1, 1, 0}, 4},
        {"truncated entry", {1, 5, 1}, 3},
        {"trailing byte", {1, 5, 1, 0, 0}, 5},
        {"trailing byte after empty", {0, 0}, 2},
        {"zero counts", {1, 5, 0, 0}, 4},
        {"unsorted", {2, 5, 1, 0, 3, 1, 0}, 7},
        {"duplicate agent", {2, 5, 1, 0, 5, 0, 2}, 7},
        {"next > u32", {1, 5, 0x80, 0x80, 0x80, 0x80, 0x10, 0}, 8},
        {"dels > u32", {1, 5, 1, 0x80, 0x80, 0x80, 0x80, 0x10}, 8},
        {"huge count", {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 10},
    };
    wf_vv vv;
    wf_vv_init(&vv);
    wf_vv_set(&vv, 42, 7);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int rc = wf_vv_decode(&vv, bad[i].bytes, bad[i].n);
        ck_assert_msg(rc == WF_EDECODE, "%s: rc %d", bad[i].what, rc);
        ck_assert_msg(vv.n == 1 && wf_vv_get(&vv, 42) == 7, "%s: vv changed", bad[i].what);
    }
    wf_vv_free(&vv);
}
END_TEST

START_TEST(test_vv__random_model)
{
    wt_rng r;
    wt_rng_init(&r, wt_seed("vv random"));
    long iters = wt_scaled(300);
    for (long it = 0; it < iters; it++) {
        enum { NA = 24 };
        uint64_t agents[NA];
        uint32_t model[NA] = {0}, model2[NA] = {0}, dmodel[NA] = {0}, dmodel2[NA] = {0};
        for (int i = 0; i < NA; i++)
            agents[i] = i < 4 ? (uint64_t)i : wt_rng_next(&r) >> wt_rng_below(&r, 64);
        agents[NA - 1] = UINT64_MAX;
        for (int i = 0; i < NA; i++)
            for (int j = 0; j < i; j++)
                if (agents[j] == agents[i])
                    agents[i] = agents[i] ^ ((uint64_t)i << 40) ^ 0x5555;
        wf_vv a, b;
        wf_vv_init(&a);
        wf_vv_init(&b);
        for (int step = 0; step < 100; step++) {
            int k = (int)wt_rng_below(&r, NA);
            uint32_t v = wt_rng_chance(&r, 1, 5) ? 0 : wt_rng_below(&r, 1000);
            bool on_a = wt_rng_chance(&r, 1, 2);
            if (wt_rng_chance(&r, 1, 3)) { /* both counts */
                uint32_t dv = wt_rng_chance(&r, 1, 3) ? 0 : wt_rng_below(&r, 50);
                wf_vv_set2(on_a ? &a : &b, agents[k], v, dv);
                (on_a ? dmodel : dmodel2)[k] = dv;
            } else {
                wf_vv_set(on_a ? &a : &b, agents[k], v);
            }
            (on_a ? model : model2)[k] = v;
        }
        assert_canonical(&a);
        bool eq = true, a_cov = true, b_cov = true;
        uint64_t tot = 0;
        size_t nz = 0;
        for (int k = 0; k < NA; k++) {
            ck_assert_uint_eq(wf_vv_get(&a, agents[k]), model[k]);
            ck_assert_uint_eq(wf_vv_get_dels(&a, agents[k]), dmodel[k]);
            eq = eq && model[k] == model2[k] && dmodel[k] == dmodel2[k];
            a_cov = a_cov && model[k] >= model2[k] && dmodel[k] >= dmodel2[k];
            b_cov = b_cov && model2[k] >= model[k] && dmodel2[k] >= dmodel[k];
            tot += model[k];
            nz += model[k] != 0 || dmodel[k] != 0;
        }
        ck_assert_uint_eq(a.n, nz);
        ck_assert_uint_eq(wf_vv_total(&a), tot);
        ck_assert(wf_vv_equal(&a, &b) == eq);
        ck_assert(wf_vv_covers(&a, &b) == a_cov);
        ck_assert(wf_vv_covers(&b, &a) == b_cov);
        wf_buf buf;
        wf_buf_init(&buf);
        wf_vv_encode(&a, &buf);
        ck_assert_int_eq(wf_vv_decode(&b, buf.data, buf.len), 0);
        ck_assert(wf_vv_equal(&a, &b));
        /* every strict prefix of the encoding is rejected */
        for (size_t cut = 0; cut < buf.len; cut++)
            ck_assert_int_eq(wf_vv_decode(&b, buf.data, cut), WF_EDECODE);
        ck_assert(wf_vv_equal(&a, &b));
        wf_buf_free(&buf);
        wf_vv_free(&a);
        wf_vv_free(&b);
    }
}
END_TEST

static Suite *vv_suite(void)
{
    Suite *s = suite_create("vv");
    TCase *tc = tcase_create("basic");
    tcase_add_test(tc, test_vv__get_set_remove);
    tcase_add_test(tc, test_vv__equal_covers_copy);
    suite_add_tcase(s, tc);

    tc = tcase_create("encoding");
    tcase_add_test(tc, test_vv__encode_exact);
    tcase_add_test(tc, test_vv__decode_rejects);
    suite_add_tcase(s, tc);

    tc = tcase_create("random");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_vv__random_model);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(vv_suite());
}
