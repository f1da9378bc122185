/* Shared helpers of the core tests: seeds and a PRNG, test scaling, document shortcuts that
 * fail the running Check test on error, an independent UTF-8 segmenter, and the Check runner.
 * The file readers (wt_read_file, wt_read_gzip: gzip without zlib) are declared in trace.h.
 *
 * Every helper here that takes a wf_doc asserts with Check (ck_abort_msg and friends), so it
 * may only be called inside a running Check test. trace.c uses libc only: the benchmark
 * links it without Check. */
#ifndef WEFT_TESTS_TESTUTIL_H
#define WEFT_TESTS_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <check.h>

/* Check's ck_assert_msg() (and every ck_assert_* built on it) records a "mark point" on
 * every assertion that passes: in fork mode, a write to a pipe. The random tests assert
 * millions of times, so this made them spend most of their time in the kernel. Passing
 * assertions do nothing here; a failure still names the file and line. (The price: a test
 * that crashes is reported at its last failing-free checkpoint no longer; run the
 * sanitizer build, or the test under gdb, for a crash's location.) */
#undef ck_assert_msg
#define ck_assert_msg(expr, ...)                                                              \
    ((expr) ? (void)0                                                                        \
            : _ck_assert_failed(__FILE__, __LINE__, "Assertion '" #expr "' failed",          \
                                ##__VA_ARGS__))

#include "core/buf.h"
#include "core/codec.h"
#include "core/doc.h"
#include "core/vv.h"
#include "tests/common/trace.h" /* wt_read_file(), wt_read_gzip() */

/* Path of a file under tests/data; WEFT_TEST_DATA is set by Makefile.am for test programs. */
#ifdef WEFT_TEST_DATA
#define WT_DATA(rel) (WEFT_TEST_DATA "/" rel)
#endif

/* --- seeds, scale, PRNG ------------------------------------------------------------- */

/* The seed for one random test: WEFT_SEED if set, else one made from the clock and the pid.
 * Prints "<what>: seed=N (replay: WEFT_SEED=N)" on stderr. */
uint64_t wt_seed(const char *what);

/* WEFT_TEST_SCALE (a positive number, default 1): multiplies iteration counts. */
double wt_scale(void);
/* n * wt_scale(), rounded, at least 1. */
long wt_scaled(long n);

/* A deadline of ms milliseconds, stretched by CK_TIMEOUT_MULTIPLIER (as Check stretches its
 * test timeouts) when that is above 1: sanitizer and valgrind runs are slower, and a bounded
 * wait must not turn into timing luck there. */
uint64_t wt_deadline_ms(uint64_t ms);

/* True when WEFT_VERBOSE is set (and not "0"): random tests then print every step on
 * stderr, so a failure can be turned into a small reproduction. */
bool wt_verbose(void);

/* splitmix64: small, fast, good enough for tests; the whole state is one word. */
typedef struct wt_rng {
    uint64_t s; /* state; any value */
} wt_rng;

void wt_rng_init(wt_rng *r, uint64_t seed);
uint64_t wt_rng_next(wt_rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t wt_rng_below(wt_rng *r, uint32_t n);
/* True with probability num/den. */
bool wt_rng_chance(wt_rng *r, uint32_t num, uint32_t den);
/* Fisher-Yates shuffle of n elements of `size` bytes each (size <= 64). */
void wt_rng_shuffle(wt_rng *r, void *base, size_t n, size_t size);

/* --- an independent UTF-8 segmenter (the tests' own, not core/utf8.c) ------------------ */

/* Length (1..4) of the unit at s: a well-formed scalar (RFC 3629), else 1 byte. n > 0. */
size_t wt_unit_len(const char *s, size_t n);
/* Number of units in s[0..n). */
size_t wt_units(const char *s, size_t n);
/* Byte offset of unit k (k <= units). */
size_t wt_unit_offset(const char *s, size_t n, size_t k);

/* --- document shortcuts (Check assertions) -------------------------------------------- */

/* The whole visible text, NUL-terminated; *nbytes (if not NULL) gets its length. Free with
 * free(). */
char *wt_text(const wf_doc *doc);
char *wt_text_n(const wf_doc *doc, size_t *nbytes);

/* Runs wf_doc_check() and fails the test with its message (and the caller's line). */
#define wt_check(doc) wt__check((doc), __FILE__, __LINE__)
void wt__check(const wf_doc *doc, const char *file, int line);

/* Fails unless the visible text of doc is exactly the NUL-terminated string want. */
#define wt_assert_text(doc, want) wt__assert_text((doc), (want), __FILE__, __LINE__)
void wt__assert_text(const wf_doc *doc, const char *want, const char *file, int line);

/* The same for want[0..n), which may hold NUL bytes. */
#define wt_assert_text_n(doc, want, n) wt__assert_text_n((doc), (want), (n), __FILE__, __LINE__)
void wt__assert_text_n(const wf_doc *doc, const char *want, size_t n, const char *file,
                       int line);

/* Insert / delete that must succeed; each calls wt_check afterwards. */
#define wt_ins(doc, pos, str) wt__ins((doc), (pos), (str), __FILE__, __LINE__)
#define wt_del(doc, pos, n) wt__del((doc), (pos), (n), __FILE__, __LINE__)
void wt__ins(wf_doc *doc, size_t pos, const char *str, const char *file, int line);
void wt__del(wf_doc *doc, size_t pos, size_t n, const char *file, int line);

/* Types str one unit at a time at pos, pos+1, ... (the realistic typing form). */
#define wt_type(doc, pos, str) wt__type((doc), (pos), (str), __FILE__, __LINE__)
void wt__type(wf_doc *doc, size_t pos, const char *str, const char *file, int line);

/* An encoded update, owned. */
typedef struct wt_update {
    uint8_t *data; /* owned; NULL when n == 0 */
    size_t n;      /* bytes */
} wt_update;

/* wf_doc_flush(doc) into a new update (possibly empty). Free with wt_update_free(). */
wt_update wt_flush(wf_doc *doc);
void wt_update_free(wt_update *u);
/* wf_doc_apply() that must succeed (an empty update is skipped); then wt_check. */
#define wt_apply(doc, u) wt__apply((doc), (u), __FILE__, __LINE__)
void wt__apply(wf_doc *doc, const wt_update *u, const char *file, int line);

/* Flushes `from` and applies the result to each of the n docs in `to`. */
#define wt_send(from, to, n) wt__send((from), (to), (n), __FILE__, __LINE__)
void wt__send(wf_doc *from, wf_doc *const *to, size_t n, const char *file, int line);

/* Exchanges diffs both ways: a gets b's diff against a's vv, then b gets a's against b's.
 * Both must succeed. Local edits are not flushed (use wt_flush first if that matters). */
#define wt_sync(a, b) wt__sync((a), (b), __FILE__, __LINE__)
void wt__sync(wf_doc *a, wf_doc *b, const char *file, int line);

/* wf_doc_encode_diff(doc, since) into a new update. */
wt_update wt_diff(const wf_doc *doc, const wf_vv *since);

/* Entry-by-entry comparison of two version vectors (the tests' own, so that a bug in
 * wf_vv_equal() shows up in check_vv only). */
bool wt_vv_same(const wf_vv *a, const wf_vv *b);

/* Snapshot of a document's observable state, to prove that a failed call changed nothing. */
typedef struct wt_state {
    char *text;     /* owned */
    size_t nbytes;  /* of text */
    wf_vv vv;       /* owned */
    size_t pending; /* wf_doc_pending() */
    size_t len;     /* wf_doc_len() */
} wt_state;

void wt_state_take(wt_state *s, const wf_doc *doc);
void wt_state_free(wt_state *s);
/* Fails unless doc still matches s (text, vv, pending, len) and passes wf_doc_check. */
#define wt_assert_state(doc, s) wt__assert_state((doc), (s), __FILE__, __LINE__)
void wt__assert_state(const wf_doc *doc, const wt_state *s, const char *file, int line);

/* Escapes bytes for messages: printable ASCII as is, others as \xHH. Returns a static
 * buffer (truncated with "..." past ~400 bytes); valid until the next call. */
const char *wt_esc(const char *s, size_t n);

/* --- Check runner ------------------------------------------------------------------------ */

/* Runs the suite (CK_NORMAL output), frees it, returns the exit status for main(). */
int wt_run_suite(Suite *s);

#endif
