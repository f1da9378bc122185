/* Shared helpers of the core tests; see testutil.h for the contracts.
 *
 * The document shortcuts turn every unexpected error into a Check failure that names the
 * caller's file and line, so a test reads as a list of edits and expectations. */
#include "tests/common/testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* --- seeds, scale, PRNG ------------------------------------------------------------- */

uint64_t wt_seed(const char *what)
{
    uint64_t seed;
    const char *env = getenv("WEFT_SEED");
    if (env && *env) {
        seed = strtoull(env, NULL, 0);
    } else {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        wt_rng r;
        wt_rng_init(&r, (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec
                            ^ ((uint64_t)getpid() << 32));
        seed = wt_rng_next(&r) & 0xffffffffu;
    }
    fprintf(stderr, "%s: seed=%" PRIu64 " (replay: WEFT_SEED=%" PRIu64 ")\n",
            what ? what : "test", seed, seed);
    return seed;
}

double wt_scale(void)
{
    const char *env = getenv("WEFT_TEST_SCALE");
    if (!env || !*env)
        return 1.0;
    double s = strtod(env, NULL);
    return s > 0 ? s : 1.0;
}

long wt_scaled(long n)
{
    double v = (double)n * wt_scale() + 0.5;
    return v < 1 ? 1 : (long)v;
}

uint64_t wt_deadline_ms(uint64_t ms)
{
    const char *env = getenv("CK_TIMEOUT_MULTIPLIER");
    double m = env && *env ? strtod(env, NULL) : 1.0;
    if (!(m >= 1.0)) /* unset, unreadable or below 1: deadlines are never shortened */
        return ms;
    return (uint64_t)((double)ms * m + 0.5);
}

bool wt_verbose(void)
{
    const char *v = getenv("WEFT_VERBOSE");
    return v && *v && strcmp(v, "0") != 0;
}

void wt_rng_init(wt_rng *r, uint64_t seed)
{
    r->s = seed;
}

uint64_t wt_rng_next(wt_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

uint32_t wt_rng_below(wt_rng *r, uint32_t n)
{
    /* Multiply-shift; the bias is far below anything a test could notice. */
    return (uint32_t)(((wt_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

bool wt_rng_chance(wt_rng *r, uint32_t num, uint32_t den)
{
    return wt_rng_below(r, den) < num;
}

void wt_rng_shuffle(wt_rng *r, void *base, size_t n, size_t size)
{
    unsigned char tmp[64];
    unsigned char *b = base;
    if (size > sizeof tmp)
        abort();
    for (size_t i = n; i > 1; i--) {
        size_t j = wt_rng_below(r, (uint32_t)i);
        memcpy(tmp, b + (i - 1) * size, size);
        memcpy(b + (i - 1) * size, b + j * size, size);
        memcpy(b + j * size, tmp, size);
    }
}

/* --- UTF-8 segmentation ---------------------------------------------------------------- */

static bool is_cont(unsigned char c)
{
    return (c & 0xc0) == 0x80;
}

size_t wt_unit_len(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t need;
    unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
    if (c >= 0xc2 && c <= 0xdf) {
        need = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 3;
        if (c == 0xe0)
            lo = 0xa0; /* overlong */
        if (c == 0xed)
            hi = 0x9f; /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 4;
        if (c == 0xf0)
            lo = 0x90; /* overlong */
        if (c == 0xf4)
            hi = 0x8f; /* > U+10FFFF */
    } else {
        return 1;
    }
    if (n < need || s[1] < lo || s[1] > hi)
        return 1;
    for (size_t i = 2; i < need; i++)
        if (!is_cont(s[i]))
            return 1;
    return need;
}

size_t wt_units(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; k++)
        i += wt_unit_len(s + i, n - i);
    return k;
}

size_t wt_unit_offset(const char *s, size_t n, size_t k)
{
    size_t i = 0;
    while (k-- > 0 && i < n)
        i += wt_unit_len(s + i, n - i);
    return i;
}

/* --- document shortcuts ---------------------------------------------------------------- */

char *wt_text_n(const wf_doc *doc, size_t *nbytes)
{
    size_t n = 0;
    char *t = wf_doc_text(doc, 0, SIZE_MAX, &n);
    ck_assert_msg(t != NULL, "wf_doc_text returned NULL");
    if (nbytes)
        *nbytes = n;
    return t;
}

char *wt_text(const wf_doc *doc)
{
    return wt_text_n(doc, NULL);
}

void wt__check(const wf_doc *doc, const char *file, int line)
{
    char msg[512] = "";
    int rc = wf_doc_check(doc, msg, sizeof msg);
    if (rc != 0)
        _ck_assert_failed(file, line, "wf_doc_check failed", "wf_doc_check: %d %s: %s", rc,
                          wf_strerror(rc), msg);
}

void wt__assert_text(const wf_doc *doc, const char *want, const char *file, int line)
{
    wt__assert_text_n(doc, want, strlen(want), file, line);
}

void wt__assert_text_n(const wf_doc *doc, const char *want, size_t wn, const char *file,
                       int line)
{
    size_t n;
    char *t = wt_text_n(doc, &n);
    if (n != wn || memcmp(t, want, n) != 0) {
        char got[512];
        snprintf(got, sizeof got, "%s", wt_esc(t, n));
        free(t);
        _ck_assert_failed(file, line, "text mismatch", "text: got \"%s\", want \"%s\"", got,
                          wt_esc(want, wn));
    }
    free(t);
    wt__check(doc, file, line);
}

void wt__ins(wf_doc *doc, size_t pos, const char *str, const char *file, int line)
{
    int rc = wf_doc_insert(doc, pos, str, strlen(str));
    if (rc != 0)
        _ck_assert_failed(file, line, "insert failed", "wf_doc_insert(%zu, \"%s\") = %d (%s)",
                          pos, wt_esc(str, strlen(str)), rc, wf_strerror(rc));
    wt__check(doc, file, line);
}

void wt__del(wf_doc *doc, size_t pos, size_t n, const char *file, int line)
{
    int rc = wf_doc_delete(doc, pos, n);
    if (rc != 0)
        _ck_assert_failed(file, line, "delete failed", "wf_doc_delete(%zu, %zu) = %d (%s)",
                          pos, n, rc, wf_strerror(rc));
    wt__check(doc, file, line);
}

void wt__type(wf_doc *doc, size_t pos, const char *str, const char *file, int line)
{
    size_t n = strlen(str);
    for (size_t i = 0; i < n; pos++) {
        size_t ul = wt_unit_len(str + i, n - i);
        int rc = wf_doc_insert(doc, pos, str + i, ul);
        if (rc != 0)
            _ck_assert_failed(file, line, "insert failed", "typing at %zu: %d (%s)", pos, rc,
                              wf_strerror(rc));
        wt__check(doc, file, line);
        i += ul;
    }
}

wt_update wt_flush(wf_doc *doc)
{
    wf_buf b;
    wf_buf_init(&b);
    size_t got = wf_doc_flush(doc, &b);
    ck_assert_msg(got == b.len, "wf_doc_flush returned %zu but appended %zu", got, b.len);
    wt_update u = {b.data, b.len};
    if (b.len == 0) {
        wf_buf_free(&b);
        u.data = NULL;
    }
    return u;
}

void wt_update_free(wt_update *u)
{
    free(u->data);
    u->data = NULL;
    u->n = 0;
}

void wt__apply(wf_doc *doc, const wt_update *u, const char *file, int line)
{
    if (u->n == 0)
        return;
    int rc = wf_doc_apply(doc, u->data, u->n);
    if (rc != 0)
        _ck_assert_failed(file, line, "apply failed", "wf_doc_apply(%zu bytes) = %d (%s)",
                          u->n, rc, wf_strerror(rc));
    wt__check(doc, file, line);
}

void wt__send(wf_doc *from, wf_doc *const *to, size_t n, const char *file, int line)
{
    wt_update u = wt_flush(from);
    for (size_t i = 0; i < n; i++)
        wt__apply(to[i], &u, file, line);
    wt_update_free(&u);
}

wt_update wt_diff(const wf_doc *doc, const wf_vv *since)
{
    wf_buf b;
    wf_buf_init(&b);
    wf_doc_encode_diff(doc, since, &b);
    wt_update u = {b.data, b.len};
    if (b.len == 0) {
        wf_buf_free(&b);
        u.data = NULL;
    }
    return u;
}

void wt__sync(wf_doc *a, wf_doc *b, const char *file, int line)
{
    wf_vv va, vb;
    wf_vv_init(&va);
    wf_vv_init(&vb);
    wf_doc_vv(a, &va);
    wf_doc_vv(b, &vb);
    wt_update to_a = wt_diff(b, &va);
    wt_update to_b = wt_diff(a, &vb);
    wt__apply(a, &to_a, file, line);
    wt__apply(b, &to_b, file, line);
    wt_update_free(&to_a);
    wt_update_free(&to_b);
    wf_vv_free(&va);
    wf_vv_free(&vb);
}

void wt_state_take(wt_state *s, const wf_doc *doc)
{
    s->text = wt_text_n(doc, &s->nbytes);
    wf_vv_init(&s->vv);
    wf_doc_vv(doc, &s->vv);
    s->pending = wf_doc_pending(doc);
    s->len = wf_doc_len(doc);
}

void wt_state_free(wt_state *s)
{
    free(s->text);
    s->text = NULL;
    wf_vv_free(&s->vv);
}

bool wt_vv_same(const wf_vv *a, const wf_vv *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->e[i].agent != b->e[i].agent || a->e[i].next != b->e[i].next)
            return false;
    return true;
}

void wt__assert_state(const wf_doc *doc, const wt_state *s, const char *file, int line)
{
    wt_state now;
    wt_state_take(&now, doc);
    bool same_text = now.nbytes == s->nbytes && memcmp(now.text, s->text, s->nbytes) == 0;
    bool same_vv = wt_vv_same(&now.vv, &s->vv);
    size_t pending = now.pending, len = now.len;
    wt_state_free(&now);
    if (!same_text || !same_vv || pending != s->pending || len != s->len)
        _ck_assert_failed(file, line, "state changed",
                          "state changed: text %s, vv %s, pending %zu -> %zu, len %zu -> %zu",
                          same_text ? "same" : "DIFFERENT", same_vv ? "same" : "DIFFERENT",
                          s->pending, pending, s->len, len);
    wt__check(doc, file, line);
}

const char *wt_esc(const char *s, size_t n)
{
    static char out[1700];
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (o > 1600) {
            memcpy(out + o, "...", 4);
            return out;
        }
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, sizeof out - o, "\\x%02X", c);
    }
    out[o] = '\0';
    return out;
}

/* --- Check runner ------------------------------------------------------------------------ */

int wt_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
