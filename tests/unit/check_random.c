/* Randomised convergence (CRDT.md T9, T10, T11, T19).
 *
 * A world of 3-5 replicas makes random edits (ASCII, multi-byte and 4-byte UTF-8, invalid
 * bytes, truncated sequences, NUL, CR LF) and exchanges updates in a random order, with
 * duplicates and re-sends: every update ever flushed is kept, and a delivery picks any of
 * them for any replica, so some arrive many times, some early (pending), some never until
 * the final sync. Replicas also send each other version-vector diffs.
 *
 * Every replica is mirrored by a naive replica (tests/common/naive.c) that sees the same
 * local edits at the same positions and the same deliveries; the texts must be identical
 * after every step (T19). Pairs of IDs are recorded and their order checked on every replica
 * after every step (T10). Some deliveries are applied twice: nothing may change (T11). At
 * the end, every replica must hold the same text, version vector and full-state encoding,
 * with nothing pending, and the set of all updates applied in many random orders to fresh
 * replicas must give the same (T9). WEFT_SEED replays a run; WEFT_TEST_SCALE scales it;
 * WEFT_VERBOSE=1 prints every step of every world on stderr (to write a reproduction). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec.h"
#include "core/doc.h"
#include "tests/common/naive.h"
#include "tests/common/testutil.h"

#define MAX_REPS 5
#define MAX_PAIRS 256

typedef struct msg {
    wt_update u; /* the core's update, from wf_doc_flush */
    wt_nops ops; /* the naive ops of the same edits */
} msg;

typedef struct rep {
    wf_doc *doc;   /* the replica under test */
    wt_naive *nv;  /* its oracle */
    wt_nops out;   /* naive ops made since the last flush */
    bool *has;     /* has[i]: message i made here, delivered here, or carried by a diff */
    wt_nops extra; /* naive ops that came in diffs but are in no message yet */
} rep;

typedef struct world {
    wt_rng rng;
    int nrep;                 /* replicas in use */
    rep r[MAX_REPS];
    msg *m;                   /* every update ever flushed */
    size_t nm, cap;
    wf_id pair[MAX_PAIRS][2]; /* pair[k][0] is before pair[k][1] in L */
    size_t npairs;
    long deliveries, dup_checks, diffs; /* statistics */
} world;

#define F_(lit) {lit, sizeof(lit) - 1}

/* Fragments for inserts; explicit lengths because of NUL. */
static const struct frag {
    const char *s;
    size_t n;
} frags[] = {
    F_("a"), F_("b"), F_("xyz"), F_(" "), F_("\n"), F_("\r\n"), F_("\xc3\xa9"),
    F_("\xf0\x9f\x98\x80"), F_("\xe6\x97\xa5"), F_("\xff"), F_("\x80"),
    F_("\xe2\x82"), F_("\0"), F_("q\0"), F_("\xf0\x9f"), F_("\xed\xa0\x80"),
};
#undef F_

static bool verbose;

static void world_init(world *w, uint64_t seed, int nrep)
{
    memset(w, 0, sizeof *w);
    wt_rng_init(&w->rng, seed);
    w->nrep = nrep;
    for (int i = 0; i < nrep; i++) {
        /* random 64-bit agents: the tie-break order changes from run to run */
        uint64_t agent = wt_rng_next(&w->rng) | 1;
        w->r[i].doc = wf_doc_new(agent);
        if (verbose)
            fprintf(stderr, "world %llu: replica %d = wf_doc_new(0x%llx)\n",
                    (unsigned long long)seed, i, (unsigned long long)agent);
        w->r[i].nv = wt_naive_new(agent);
        wt_nops_init(&w->r[i].out);
        wt_nops_init(&w->r[i].extra);
    }
}

static void world_free(world *w)
{
    for (int i = 0; i < w->nrep; i++) {
        wf_doc_free(w->r[i].doc);
        wt_naive_free(w->r[i].nv);
        wt_nops_free(&w->r[i].out);
        wt_nops_free(&w->r[i].extra);
        free(w->r[i].has);
    }
    for (size_t i = 0; i < w->nm; i++) {
        wt_update_free(&w->m[i].u);
        wt_nops_free(&w->m[i].ops);
    }
    free(w->m);
}

/* The core and naive texts of replica i must be byte-identical (T19). */
static void assert_same(const world *w, int i, const char *after)
{
    size_t n, nn;
    char *t = wt_text_n(w->r[i].doc, &n), *nt = wt_naive_text(w->r[i].nv, &nn);
    if (n != nn || memcmp(t, nt, n) != 0) {
        char a[300];
        snprintf(a, sizeof a, "%s", wt_esc(t, n));
        ck_abort_msg("replica %d after %s: core \"%s\", naive \"%s\"", i, after, a,
                     wt_esc(nt, nn));
    }
    free(t);
    free(nt);
    ck_assert_uint_eq(wf_doc_len(w->r[i].doc), wt_naive_len(w->r[i].nv));
}

/* T10: every recorded pair keeps its order on every replica that knows both IDs. */
static void assert_pairs(const world *w)
{
    for (size_t k = 0; k < w->npairs; k++)
        for (int i = 0; i < w->nrep; i++) {
            bool vx, vy;
            size_t px = wf_doc_pos_of(w->r[i].doc, w->pair[k][0], &vx);
            size_t py = wf_doc_pos_of(w->r[i].doc, w->pair[k][1], &vy);
            if (px == WF_NOPOS || py == WF_NOPOS)
                continue;
            if (vx ? px >= py : px > py)
                ck_abort_msg("replica %d: pair %zu swapped order (%zu%s, %zu%s)", i, k, px,
                             vx ? "" : "†", py, vy ? "" : "†");
            size_t rx = wt_naive_rank(w->r[i].nv, w->pair[k][0]);
            size_t ry = wt_naive_rank(w->r[i].nv, w->pair[k][1]);
            ck_assert(rx < ry);
        }
}

static void record_pair(world *w, int i)
{
    size_t len = wf_doc_len(w->r[i].doc);
    if (len < 2 || w->npairs == MAX_PAIRS)
        return;
    size_t p = wt_rng_below(&w->rng, (uint32_t)len - 1);
    size_t q = p + 1 + wt_rng_below(&w->rng, (uint32_t)(len - p - 1));
    w->pair[w->npairs][0] = wf_doc_id_at(w->r[i].doc, p);
    w->pair[w->npairs][1] = wf_doc_id_at(w->r[i].doc, q);
    w->npairs++;
}

static void local_insert(world *w, int i)
{
    rep *r = &w->r[i];
    size_t len = wf_doc_len(r->doc), pos;
    uint32_t where = wt_rng_below(&w->rng, 8);
    /* hot spots make concurrent inserts at the same place common */
    pos = where == 0 ? 0 : where == 1 ? len : where == 2 ? len / 2
                                                         : wt_rng_below(&w->rng,
                                                                        (uint32_t)len + 1);
    char buf[256];
    size_t n = 0;
    int parts = wt_rng_chance(&w->rng, 1, 10) ? 2 + (int)wt_rng_below(&w->rng, 30) : 1;
    for (int k = 0; k < parts; k++) {
        const struct frag *f = &frags[wt_rng_below(&w->rng, sizeof frags / sizeof *frags)];
        memcpy(buf + n, f->s, f->n);
        n += f->n;
    }
    if (wt_rng_chance(&w->rng, 1, 3) && n > 1) {
        /* type it unit by unit, as a user does */
        for (size_t o = 0; o < n; pos++) {
            size_t ul = wt_unit_len(buf + o, n - o);
            if (verbose)
                fprintf(stderr, "  r%d: insert(%zu, \"%s\", %zu)\n", i, pos, wt_esc(buf + o, ul),
                        ul);
            ck_assert_int_eq(wf_doc_insert(r->doc, pos, buf + o, ul), 0);
            ck_assert_int_eq(wt_naive_insert(r->nv, pos, buf + o, ul, &r->out), 0);
            o += ul;
        }
    } else {
        if (verbose)
            fprintf(stderr, "  r%d: insert(%zu, \"%s\", %zu)\n", i, pos, wt_esc(buf, n), n);
        ck_assert_int_eq(wf_doc_insert(r->doc, pos, buf, n), 0);
        ck_assert_int_eq(wt_naive_insert(r->nv, pos, buf, n, &r->out), 0);
    }
}

static void local_delete(world *w, int i)
{
    rep *r = &w->r[i];
    size_t len = wf_doc_len(r->doc);
    if (len == 0)
        return;
    size_t pos = wt_rng_below(&w->rng, (uint32_t)len);
    size_t n = 1 + wt_rng_below(&w->rng, wt_rng_chance(&w->rng, 1, 10) ? (uint32_t)len : 4);
    if (n > len - pos)
        n = len - pos;
    if (verbose)
        fprintf(stderr, "  r%d: delete(%zu, %zu)\n", i, pos, n);
    ck_assert_int_eq(wf_doc_delete(r->doc, pos, n), 0);
    ck_assert_int_eq(wt_naive_delete(r->nv, pos, n, &r->out), 0);
}

static void flush(world *w, int i)
{
    rep *r = &w->r[i];
    wt_update u = wt_flush(r->doc);
    ck_assert((u.n == 0) == (r->out.n == 0));
    if (u.n == 0)
        return;
    if (w->nm == w->cap) {
        size_t old = w->cap;
        w->cap = w->cap ? w->cap * 2 : 64;
        w->m = realloc(w->m, w->cap * sizeof *w->m);
        for (int j = 0; j < w->nrep; j++) {
            w->r[j].has = realloc(w->r[j].has, w->cap * sizeof *w->r[j].has);
            memset(w->r[j].has + old, 0, (w->cap - old) * sizeof *w->r[j].has);
        }
    }
    msg *m = &w->m[w->nm++];
    if (verbose) {
        fprintf(stderr, "  r%d: flush -> m%zu =", i, w->nm - 1);
        for (size_t k = 0; k < u.n; k++)
            fprintf(stderr, " %02x", u.data[k]);
        fprintf(stderr, "\n");
    }
    m->u = u;
    wt_nops_init(&m->ops);
    wt_nops_append(&m->ops, &r->out);
    wt_nops_clear(&r->out);
    /* A flush encodes the flushed runs as they are now: units that another replica has
     * deleted meanwhile travel as tombstones, so the update carries that delete too. */
    size_t nops = m->ops.n;
    for (size_t k = 0; k < nops; k++) {
        const wt_nop *op = &m->ops.v[k];
        for (uint32_t j = 0; op->kind == WT_NOP_INSERT && j < op->len; j++) {
            wf_id id = {op->id.agent, op->id.seq + j};
            bool del = false;
            size_t rank = wt_naive_rank(r->nv, id);
            if (rank != SIZE_MAX)
                wt_naive_id_at_rank(r->nv, rank, &del);
            if (del) {
                wt_nops one;
                wt_nops_init(&one);
                one.v = &(wt_nop){.kind = WT_NOP_DELETE, .id = id, .len = 1};
                one.n = 1;
                wt_nops_append(&m->ops, &one);
                op = &m->ops.v[k]; /* the append may have moved the array */
            }
        }
    }
    r->has[w->nm - 1] = true;
}

static void deliver(world *w, int i, size_t k)
{
    rep *r = &w->r[i];
    msg *m = &w->m[k];
    if (verbose)
        fprintf(stderr, "  r%d: apply m%zu\n", i, k);
    wt_apply(r->doc, &m->u);
    ck_assert_int_eq(wt_naive_apply(r->nv, &m->ops), 0);
    r->has[k] = true;
    w->deliveries++;
    assert_same(w, i, "a delivery");
    ck_assert_msg((wf_doc_pending(r->doc) == 0) == (wt_naive_pending(r->nv) == 0),
                  "replica %d: core pending %zu, naive pending %zu", i,
                  wf_doc_pending(r->doc), wt_naive_pending(r->nv));
    if (wt_rng_chance(&w->rng, 1, 4)) {
        /* T11: a second application changes nothing */
        wt_state s;
        wt_state_take(&s, r->doc);
        if (verbose)
            fprintf(stderr, "  r%d: apply m%zu (again)\n", i, k);
        wt_apply(r->doc, &m->u);
        wt_assert_state(r->doc, &s);
        wt_state_free(&s);
        w->dup_checks++;
    }
}

/* Replica i sends replica j a diff against j's version vector. Only when i has nothing
 * pending, so the naive equivalent (everything i has: the messages it made or got, its
 * unflushed edits, and what earlier diffs brought it) is exactly what the diff carries. */
static void send_diff(world *w, int i, int j)
{
    rep *ri = &w->r[i], *rj = &w->r[j];
    if (wf_doc_pending(ri->doc) != 0 || wt_naive_pending(ri->nv) != 0)
        return;
    wf_vv vj;
    wf_vv_init(&vj);
    wf_doc_vv(rj->doc, &vj);
    bool full = wt_rng_chance(&w->rng, 1, 5);
    wt_update d = wt_diff(ri->doc, full ? NULL : &vj);
    if (verbose)
        fprintf(stderr, "  r%d: apply diff of r%d against %s\n", j, i, full ? "nothing" : "its vv");
    wt_apply(rj->doc, &d);
    for (size_t k = 0; k < w->nm; k++)
        if (ri->has[k]) {
            ck_assert_int_eq(wt_naive_apply(rj->nv, &w->m[k].ops), 0);
            rj->has[k] = true;
        }
    ck_assert_int_eq(wt_naive_apply(rj->nv, &ri->out), 0);
    ck_assert_int_eq(wt_naive_apply(rj->nv, &ri->extra), 0);
    if (i != j) {
        wt_nops_append(&rj->extra, &ri->out);
        wt_nops_append(&rj->extra, &ri->extra);
    }
    assert_same(w, j, "a diff");
    wt_update_free(&d);
    wf_vv_free(&vj);
    w->diffs++;
}

static void step(world *w)
{
    int i = (int)wt_rng_below(&w->rng, (uint32_t)w->nrep);
    uint32_t what = wt_rng_below(&w->rng, 100);
    if (what < 33) {
        local_insert(w, i);
        assert_same(w, i, "a local insert");
    } else if (what < 48) {
        local_delete(w, i);
        assert_same(w, i, "a local delete");
    } else if (what < 63) {
        flush(w, i);
    } else if (what < 93) {
        if (w->nm == 0)
            return;
        /* mostly recent updates, sometimes any old one (a re-send) */
        size_t k = wt_rng_chance(&w->rng, 2, 3) && w->nm > 8
                       ? w->nm - 1 - wt_rng_below(&w->rng, 8)
                       : wt_rng_below(&w->rng, (uint32_t)w->nm);
        deliver(w, i, k);
    } else if (what < 96) {
        int j = (int)wt_rng_below(&w->rng, (uint32_t)w->nrep);
        if (j != i)
            send_diff(w, i, j);
    } else {
        record_pair(w, i);
    }
    wt_check(w->r[i].doc);
    assert_pairs(w);
}

/* Everyone gets everything, in a random order with duplicates; then the checks of T9. */
static void converge(world *w)
{
    for (int i = 0; i < w->nrep; i++)
        flush(w, i);
    size_t total = w->nm * (size_t)w->nrep;
    size_t *order = malloc((total ? total : 1) * sizeof *order);
    for (size_t k = 0; k < total; k++)
        order[k] = k;
    wt_rng_shuffle(&w->rng, order, total, sizeof *order);
    for (size_t k = 0; k < total; k++) {
        int i = (int)(order[k] % (size_t)w->nrep);
        deliver(w, i, order[k] / (size_t)w->nrep);
    }
    free(order);
    for (int i = 0; i < w->nrep; i++) {
        wt_check(w->r[i].doc);
        ck_assert_uint_eq(wf_doc_pending(w->r[i].doc), 0);
        ck_assert_uint_eq(wt_naive_pending(w->r[i].nv), 0);
    }
    /* a diff sync on top must be a no-op for the text */
    for (int i = 1; i < w->nrep; i++) {
        if (verbose)
            fprintf(stderr, "  sync r0 r%d\n", i);
        wt_sync(w->r[0].doc, w->r[i].doc);
    }
    size_t n0;
    char *t0 = wt_text_n(w->r[0].doc, &n0);
    wf_vv v0, vi;
    wf_vv_init(&v0);
    wf_vv_init(&vi);
    wf_doc_vv(w->r[0].doc, &v0);
    wt_update s0 = wt_diff(w->r[0].doc, NULL);
    for (int i = 0; i < w->nrep; i++) {
        assert_same(w, i, "the final sync");
        wt_assert_text_n(w->r[i].doc, t0, n0);
        wf_doc_vv(w->r[i].doc, &vi);
        ck_assert_msg(wt_vv_same(&v0, &vi), "replica %d: version vector differs", i);
        wt_update si = wt_diff(w->r[i].doc, NULL);
        ck_assert_msg(si.n == s0.n && memcmp(si.data, s0.data, s0.n) == 0,
                      "replica %d: full-state encoding differs (%zu vs %zu bytes)", i, si.n,
                      s0.n);
        wt_update_free(&si);
    }
    assert_pairs(w);
    wt_update_free(&s0);
    free(t0);
    wf_vv_free(&v0);
    wf_vv_free(&vi);
}

/* T9: all updates, in `shuffles` random orders with duplicates, into fresh replicas. */
static void shuffles(world *w, long count)
{
    size_t nwant;
    char *want = wt_text_n(w->r[0].doc, &nwant);
    wt_update s0 = wt_diff(w->r[0].doc, NULL);
    size_t *order = malloc((w->nm * 2 + 1) * sizeof *order);
    for (long s = 0; s < count; s++) {
        size_t n = 0;
        for (size_t k = 0; k < w->nm; k++) {
            order[n++] = k;
            if (wt_rng_chance(&w->rng, 1, 5))
                order[n++] = k; /* a duplicate */
        }
        wt_rng_shuffle(&w->rng, order, n, sizeof *order);
        wf_doc *d = wf_doc_new(wt_rng_next(&w->rng));
        for (size_t k = 0; k < n; k++) {
            const wt_update *u = &w->m[order[k]].u;
            ck_assert_int_eq(wf_doc_apply(d, u->data, u->n), 0);
            if (k % 64 == 0)
                wt_check(d);
        }
        wt_check(d);
        ck_assert_uint_eq(wf_doc_pending(d), 0);
        wt_assert_text_n(d, want, nwant);
        wt_update sd = wt_diff(d, NULL);
        ck_assert_msg(sd.n == s0.n && memcmp(sd.data, s0.data, s0.n) == 0,
                      "shuffle %ld: full-state encoding differs", s);
        wt_update_free(&sd);
        wf_doc_free(d);
    }
    free(order);
    wt_update_free(&s0);
    free(want);
}

/* Totals over the worlds of one test, printed so a run shows what it exercised. */
typedef struct totals {
    long worlds, updates, deliveries, dup_checks, diffs, pairs;
} totals;

static void run_world(uint64_t seed, int nrep, int steps, long nshuffles, totals *t)
{
    world w;
    world_init(&w, seed, nrep);
    for (int s = 0; s < steps; s++)
        step(&w);
    converge(&w);
    shuffles(&w, nshuffles);
    t->worlds++;
    t->updates += (long)w.nm;
    t->deliveries += w.deliveries;
    t->dup_checks += w.dup_checks;
    t->diffs += w.diffs;
    t->pairs += (long)w.npairs;
    world_free(&w);
}

static void print_totals(const char *what, const totals *t)
{
    fprintf(stderr, "%s: %ld worlds, %ld updates, %ld deliveries, %ld applied twice, "
            "%ld diffs, %ld ID pairs watched\n", what, t->worlds, t->updates, t->deliveries,
            t->dup_checks, t->diffs, t->pairs);
}

START_TEST(test_random__t9_t19_convergence)
{
    uint64_t seed = wt_seed("random convergence");
    long rounds = wt_scaled(24);
    totals t = {0};
    for (long k = 0; k < rounds; k++) {
        uint64_t s = seed * 1000003u + (uint64_t)k;
        run_world(s, 3 + (int)(s % 3), 400, 10, &t);
    }
    print_totals("random convergence", &t);
}
END_TEST

/* Two replicas hammering the same few places: long sibling scans in integrate. */
START_TEST(test_random__t9_hot_spots_two_replicas)
{
    uint64_t seed = wt_seed("random two");
    long rounds = wt_scaled(20);
    totals t = {0};
    for (long k = 0; k < rounds; k++)
        run_world(seed * 7919u + (uint64_t)k, 2, 500, 5, &t);
    print_totals("random two", &t);
}
END_TEST

/* Many short worlds: more distinct shapes of concurrency per second. */
START_TEST(test_random__t9_many_small_worlds)
{
    uint64_t seed = wt_seed("random small");
    long rounds = wt_scaled(300);
    totals t = {0};
    for (long k = 0; k < rounds; k++)
        run_world(seed * 104729u + (uint64_t)k, 3 + (int)(k % 3), 40, 10, &t);
    print_totals("random small", &t);
}
END_TEST

/* T11 on its own: every update applied twice, in both orders with a third. */
START_TEST(test_random__t11_idempotence)
{
    wt_rng r;
    wt_rng_init(&r, wt_seed("random idempotence"));
    long rounds = wt_scaled(40);
    for (long k = 0; k < rounds; k++) {
        wf_doc *a = wf_doc_new(1), *b = wf_doc_new(2), *c = wf_doc_new(3);
        wt_update ua[10], ub[10];
        for (int i = 0; i < 10; i++) {
            wt_ins(a, wt_rng_below(&r, (uint32_t)wf_doc_len(a) + 1), "ab\xc3\xa9");
            if (wf_doc_len(a) > 2 && wt_rng_chance(&r, 1, 3))
                wt_del(a, wt_rng_below(&r, (uint32_t)wf_doc_len(a) - 1), 2);
            ua[i] = wt_flush(a);
            wt_ins(b, wt_rng_below(&r, (uint32_t)wf_doc_len(b) + 1), "xy");
            ub[i] = wt_flush(b);
        }
        for (int i = 9; i >= 0; i--) {
            wt_update *us[2] = {&ua[i], &ub[i]};
            for (int j = 0; j < 2; j++) {
                wt_apply(c, us[j]);
                wt_state s;
                wt_state_take(&s, c);
                wt_apply(c, us[j]);
                wt_assert_state(c, &s);
                wt_state_free(&s);
            }
        }
        ck_assert_uint_eq(wf_doc_pending(c), 0);
        wt_sync(a, b);
        char *ta = wt_text(a);
        wt_assert_text(c, ta);
        free(ta);
        for (int i = 0; i < 10; i++) {
            wt_update_free(&ua[i]);
            wt_update_free(&ub[i]);
        }
        wf_doc_free(a);
        wf_doc_free(b);
        wf_doc_free(c);
    }
}
END_TEST

static Suite *random_suite(void)
{
    Suite *s = suite_create("random");
    TCase *tc = tcase_create("convergence");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_random__t9_t19_convergence);
    tcase_add_test(tc, test_random__t9_hot_spots_two_replicas);
    tcase_add_test(tc, test_random__t9_many_small_worlds);
    suite_add_tcase(s, tc);

    tc = tcase_create("idempotence");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_random__t11_idempotence);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    verbose = wt_verbose();
    return wt_run_suite(random_suite());
}
