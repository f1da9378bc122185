/* Tests of app/editor/replace.c: queries and their errors, literal and regex search with and
 * without case, groups in replacements, empty matches, the match count, replace one (also
 * of a match others changed), replace all as one undo step, on documents of many runs and
 * with a peer typing at the same time, a random comparison with a naive line-by-line
 * search of the whole text (WEFT_SEED=N replays), and a 10 MB replace all (timed). */
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/editor/replace.h"
#include "core/undo.h"
#include "tests/common/testutil.h"

static wf_doc *doc_of(const char *text)
{
    wf_doc *doc = wf_doc_new(11);
    size_t n = strlen(text);
    char *copy = malloc(n + 1);
    memcpy(copy, text, n + 1);
    ck_assert_int_eq(wf_doc_load(doc, copy, n), 0);
    return doc;
}

static void query(struct replace_query *q, const char *pat, unsigned flags)
{
    char msg[200];
    ck_assert_msg(replace_query_init(q, pat, strlen(pat), flags, msg, sizeof msg) == 0,
                  "%s: %s", pat, msg);
}

/* replace_all of pat by repl on text must give want, with `count` replacements. */
static void expect_all(const char *text, const char *pat, unsigned flags, const char *repl,
                       const char *want, size_t count)
{
    wf_doc *doc = doc_of(text);
    struct replace_query q;
    query(&q, pat, flags);
    size_t n = 99;
    ck_assert_int_eq(replace_all(doc, &q, repl, strlen(repl), &n), 0);
    char *got = wt_text(doc);
    ck_assert_msg(strcmp(got, want) == 0 && n == count, "%s -> %s on \"%s\": got \"%s\" (%zu), "
                  "want \"%s\" (%zu)", pat, repl, wt_esc(text, strlen(text)), got, n, want,
                  count);
    free(got);
    wt_check(doc);
    replace_query_close(&q);
    wf_doc_free(doc);
}

START_TEST(test_replace__query_errors)
{
    struct replace_query q;
    char msg[200];
    ck_assert_int_eq(replace_query_init(&q, "", 0, 0, msg, sizeof msg), WF_EINVAL);
    ck_assert_msg(strstr(msg, "nothing to search for"), "%s", msg);
    ck_assert_int_eq(replace_query_init(&q, "a(", 2, REPLACE_REGEX, msg, sizeof msg),
                     WF_EINVAL);
    ck_assert_msg(strstr(msg, "\"a(\" is not valid") && strlen(msg) > 30, "%s", msg);
    ck_assert_int_eq(replace_query_init(&q, "a\0b", 3, REPLACE_REGEX, msg, sizeof msg),
                     WF_EINVAL);
    ck_assert_msg(strstr(msg, "NUL"), "%s", msg);
    char big[REPLACE_MAX_LITERAL + 2];
    memset(big, 'x', sizeof big);
    ck_assert_int_eq(replace_query_init(&q, big, sizeof big, 0, msg, sizeof msg), WF_EINVAL);
    ck_assert_msg(strstr(msg, "at most 1024"), "%s", msg);
    /* a literal with regex characters, without case: escaped, not a regex */
    query(&q, "a.(b", REPLACE_ICASE);
    wf_doc *doc = doc_of("xA.(Bx axxb");
    struct replace_match m;
    bool w;
    ck_assert(replace_next(doc, &q, 0, &m, &w) && m.start == 1 && m.end == 5 && !w);
    ck_assert(!replace_next(doc, &q, 0, &m, &w) || m.start == 1);
    replace_query_close(&q);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_replace__next_prev_wrap)
{
    wf_doc *doc = doc_of("one two\none\r\ntwo one\n");
    struct replace_query q;
    query(&q, "one", 0);
    struct replace_match m;
    bool w;
    ck_assert(replace_next(doc, &q, 0, &m, &w) && m.start == 0 && m.end == 3 && !w);
    ck_assert(replace_next(doc, &q, 1, &m, &w) && m.start == 8 && !w);
    ck_assert(replace_next(doc, &q, 9, &m, &w) && m.start == 17 && !w);
    ck_assert(replace_next(doc, &q, 18, &m, &w) && m.start == 0 && w);
    ck_assert(replace_prev(doc, &q, 17, &m, &w) && m.start == 8 && !w);
    ck_assert(replace_prev(doc, &q, 18, &m, &w) && m.start == 17 && !w);
    ck_assert(replace_prev(doc, &q, 0, &m, &w) && m.start == 17 && w);
    ck_assert(replace_prev(doc, &q, 1, &m, &w) && m.start == 0 && !w);
    replace_query_close(&q);
    /* no match; and a literal does not cross a line break */
    query(&q, "one\ntwo", 0);
    ck_assert(!replace_next(doc, &q, 0, &m, &w) && !w);
    ck_assert(!replace_prev(doc, &q, 5, &m, &w) && !w);
    replace_query_close(&q);
    /* a regex's $ is the line's end, before a CR LF too */
    query(&q, "e$", REPLACE_REGEX);
    ck_assert(replace_next(doc, &q, 0, &m, &w) && m.start == 10 && m.end == 11);
    ck_assert(replace_next(doc, &q, 11, &m, &w) && m.start == 19 && m.end == 20);
    replace_query_close(&q);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_replace__case)
{
    expect_all("Foo foo FOO fOo", "foo", 0, "x", "Foo x FOO fOo", 1);
    expect_all("Foo foo FOO fOo", "foo", REPLACE_ICASE, "x", "x x x x", 4);
    /* case folding follows the locale: é and É */
    expect_all("\xc3\xa9t\xc3\xa9 \xc3\x89T\xc3\x89", "\xc3\xa9t\xc3\xa9", REPLACE_ICASE, "summer",
               "summer summer", 2);
    expect_all("ab AB", "a(b)", REPLACE_REGEX | REPLACE_ICASE, "<\\1>", "<b> <B>", 2);
    /* a literal never matches the middle of a character */
    expect_all("\xc3\xa9 \xa9", "\xa9", 0, "!", "\xc3\xa9 !", 1);
}
END_TEST

START_TEST(test_replace__groups)
{
    expect_all("ann@host bob@box", "([a-z]+)@([a-z]+)", REPLACE_REGEX, "\\2 at \\1",
               "host at ann box at bob", 2);
    expect_all("a1 b2", "[a-z][0-9]", REPLACE_REGEX, "[&]", "[a1] [b2]", 2);
    expect_all("a1", "([a-z])([0-9])", REPLACE_REGEX, "\\0|\\&|\\\\|\\5|\\x", "a1|&|\\||\\x", 1);
    expect_all("a=1;b=2", "([a-z])=([0-9]);?", REPLACE_REGEX, "\\1\\n\\t\\2",
               "a\n\t1b\n\t2", 2);
    expect_all("ab b", "a?(b)", REPLACE_REGEX, "(\\1)", "(b) (b)", 2);
    expect_all("xy", "x(z)?y", REPLACE_REGEX, "[\\1]", "[]", 1); /* a group that did not match */
    /* a literal replacement is literal */
    expect_all("a.b", "a.b", 0, "\\1&", "\\1&", 1);
    /* the replacement may hold line breaks */
    expect_all("a,b,c", ",", 0, "\n", "a\nb\nc", 2);
}
END_TEST

START_TEST(test_replace__empty_matches)
{
    expect_all("a\nb\n", "^", REPLACE_REGEX, "> ", "> a\n> b\n> ", 3);
    expect_all("abc", "x*", REPLACE_REGEX, "-", "-a-b-c-", 4);
    expect_all("baaac", "a*", REPLACE_REGEX, "-", "-b-c-", 3); /* as sed */
    expect_all("ab\n\ncd", "$", REPLACE_REGEX, ";", "ab;\n;\ncd;", 3);
    expect_all("\xc3\xa9\xc3\xa9", "\xc3\xa9?", REPLACE_REGEX, ".", "..", 2);
}
END_TEST

START_TEST(test_replace__count)
{
    char text[41 * 8 + 1];
    size_t k = 0;
    for (int i = 0; i < 41; i++)
        k += (size_t)sprintf(text + k, i % 3 ? "x key\n" : "key y\n");
    wf_doc *doc = doc_of(text);
    struct replace_query q;
    query(&q, "key", 0);
    struct replace_match m;
    bool w;
    ck_assert(replace_next(doc, &q, 0, &m, &w));
    ck_assert(replace_next(doc, &q, m.end, &m, &w));
    ck_assert(replace_next(doc, &q, m.end, &m, &w));
    struct replace_count c;
    replace_count(doc, &q, m.start, REPLACE_COUNT_BUDGET, &c);
    ck_assert_msg(c.index == 3 && c.total == 41 && c.complete, "%zu of %zu (%d)", c.index,
                  c.total, c.complete);
    replace_count(doc, &q, m.start + 1, REPLACE_COUNT_BUDGET, &c);
    ck_assert(c.index == 0 && c.total == 41);
    replace_count(doc, &q, m.start, 30, &c); /* a budget of 30 bytes: five lines */
    ck_assert_msg(!c.complete && c.total == 5 && c.index == 3, "%zu of %zu", c.index, c.total);
    replace_count(doc, &q, m.start, 10, &c);
    ck_assert(!c.complete && c.total == 2 && c.index == 0);
    replace_query_close(&q);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_replace__one)
{
    wf_doc *doc = doc_of("cat cat cat");
    struct replace_query q;
    query(&q, "c(a)t", REPLACE_REGEX);
    struct replace_match m, done;
    bool w;
    ck_assert(replace_next(doc, &q, 1, &m, &w) && m.start == 4);
    ck_assert_int_eq(replace_one(doc, &q, m.start, "d\\1wg", 5, &done), 0);
    wt_assert_text(doc, "cat dawg cat");
    ck_assert(done.start == 4 && done.end == 8);
    /* a match others changed is not replaced */
    ck_assert(replace_next(doc, &q, done.end, &m, &w) && m.start == 9);
    wt_ins(doc, 10, "o"); /* "coat" */
    ck_assert_int_eq(replace_one(doc, &q, m.start, "x", 1, NULL), WF_EINVAL);
    wt_assert_text(doc, "cat dawg coat");
    ck_assert_int_eq(replace_one(doc, &q, 1, "x", 1, NULL), WF_EINVAL); /* not a start */
    ck_assert_int_eq(replace_one(doc, &q, 999, "x", 1, NULL), WF_EINVAL);
    /* one undo step */
    ck_assert_int_eq(replace_one(doc, &q, 0, "", 0, NULL), 0);
    wt_assert_text(doc, " dawg coat");
    ck_assert_int_eq(wf_doc_undo(doc, NULL), 0);
    wt_assert_text(doc, "cat dawg coat");
    replace_query_close(&q);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_replace__all_one_undo_step)
{
    wf_doc *doc = doc_of("a-b-c\nd-e\n");
    wf_doc_set_time(doc, 1000);
    wt_ins(doc, 0, "x"); /* typing just before: a step of its own */
    struct replace_query q;
    query(&q, "-", 0);
    size_t n;
    ck_assert_int_eq(replace_all(doc, &q, "+=", 2, &n), 0);
    ck_assert_uint_eq(n, 3);
    wt_assert_text(doc, "xa+=b+=c\nd+=e\n");
    ck_assert_int_eq(wf_doc_undo(doc, NULL), 0);
    wt_assert_text(doc, "xa-b-c\nd-e\n");
    ck_assert_int_eq(wf_doc_redo(doc, NULL), 0);
    wt_assert_text(doc, "xa+=b+=c\nd+=e\n");
    ck_assert_int_eq(wf_doc_undo(doc, NULL), 0);
    ck_assert_int_eq(wf_doc_undo(doc, NULL), 0);
    wt_assert_text(doc, "a-b-c\nd-e\n");
    /* nothing to replace: no step */
    replace_query_close(&q);
    query(&q, "zzz", 0);
    ck_assert_int_eq(replace_all(doc, &q, "y", 1, &n), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert(!wf_doc_can_undo(doc));
    replace_query_close(&q);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_replace__all_in_a_range)
{
    /* units: a0 at 0, a1 at 3, a2 at 6, a3 at 9 */
    const char *text = "a0 a1 a2 a3";
    struct { size_t from, to; const char *want; size_t n; } cases[] = {
        { 3, 9, "a0 b1 b2 a3", 2 },
        { 6, 3, "b0 a1 b2 b3", 3 }, /* wraps: from 6 to the end, then up to 3 */
        { 0, 0, "b0 b1 b2 b3", 4 }, /* to <= from: everything */
        { 4, 6, "a0 a1 a2 a3", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wf_doc *doc = doc_of(text);
        struct replace_query q;
        query(&q, "a([0-9])", REPLACE_REGEX);
        size_t n;
        ck_assert_int_eq(replace_all_in(doc, &q, cases[i].from, cases[i].to, "b\\1", 3, &n),
                         0);
        wt_assert_text(doc, cases[i].want);
        ck_assert_uint_eq(n, cases[i].n);
        replace_query_close(&q);
        wf_doc_free(doc);
    }
}
END_TEST

/* Removes the first occurrence of w from s (which must hold it). */
static void cut(char *s, const char *w)
{
    char *p = strstr(s, w);
    ck_assert_ptr_nonnull(p);
    memmove(p, p + strlen(w), strlen(p + strlen(w)) + 1);
}

/* A document built from two replicas' interleaved typing (many runs, tombstones), then a
 * replace all while the other replica types: both converge, nothing typed is lost. */
START_TEST(test_replace__others_edits)
{
    wf_doc *a = wf_doc_new(1), *b = wf_doc_new(2);
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("check_app_replace others"));
    static const char *const words[] = { "foo ", "bar ", "\n", "fo", "o ", "x" };
    for (int i = 0; i < 600; i++) {
        wf_doc *d = wt_rng_chance(&rng, 1, 2) ? a : b;
        const char *wd = words[wt_rng_below(&rng, 6)];
        ck_assert_int_eq(wf_doc_insert(d, wt_rng_below(&rng, (uint32_t)wf_doc_len(d) + 1), wd,
                                       strlen(wd)), 0);
        if (wf_doc_len(d) > 10 && wt_rng_chance(&rng, 1, 8))
            ck_assert_int_eq(wf_doc_delete(d, wt_rng_below(&rng, (uint32_t)wf_doc_len(d) - 2),
                                           2), 0);
        if (i % 7 == 0) {
            wt_update ua = wt_flush(a), ub = wt_flush(b);
            wt_apply(b, &ua);
            wt_apply(a, &ub);
            wt_update_free(&ua);
            wt_update_free(&ub);
        }
    }
    wt_sync(a, b);
    ck_assert_uint_gt(wf_doc_runs(a), 50);
    /* the naive answer */
    char *before = wt_text(a);
    size_t cap = strlen(before) * 2 + 1, k = 0;
    char *want = malloc(cap);
    for (const char *p = before; *p;) {
        if (strncmp(p, "foo", 3) == 0) {
            memcpy(want + k, "quux", 4);
            k += 4;
            p += 3;
        } else {
            want[k++] = *p++;
        }
    }
    want[k] = '\0';
    struct replace_query q;
    query(&q, "foo", 0);
    size_t n;
    ck_assert_int_eq(replace_all(a, &q, "quux", 4, &n), 0);
    ck_assert_uint_gt(n, 10);
    wt_assert_text(a, want);
    /* b typed meanwhile, at the start and at the end */
    wt_ins(b, 0, "B0 ");
    wt_ins(b, wf_doc_len(b), " B1");
    wt_sync(a, b);
    char *ta = wt_text(a), *tb = wt_text(b);
    ck_assert_str_eq(ta, tb);
    /* b's words are there (where, against a replacement at the same place, is the CRDT's
     * choice), and no "foo" is left */
    ck_assert(strstr(ta, "B0 ") && strstr(ta, " B1"));
    ck_assert_ptr_null(strstr(ta, "foo"));
    free(ta);
    free(tb);
    /* undo takes back the replacement only, not b's typing */
    ck_assert_int_eq(wf_doc_undo(a, NULL), 0);
    ta = wt_text(a);
    cut(ta, "B0 ");
    cut(ta, " B1");
    ck_assert_str_eq(ta, before);
    free(ta);
    replace_query_close(&q);
    free(want);
    free(before);
    wf_doc_free(a);
    wf_doc_free(b);
}
END_TEST

/* --- a naive reference ------------------------------------------------------------------ */

struct naive {
    size_t start[4096], end[4096]; /* units */
    size_t n;
};

/* Every match of q in text, line by line, by regexec on NUL-terminated copies of the lines
 * (REG_NOTBOL past a line's start) or memcmp, with sed's rule for empty matches. */
static void naive_matches(const char *text, const struct replace_query *q, struct naive *out)
{
    out->n = 0;
    size_t unit = 0;
    for (const char *line = text;;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        size_t clen = len && line[len - 1] == '\r' && nl ? len - 1 : len;
        char *copy = strndup(line, clen);
        size_t pos = 0, no_empty = SIZE_MAX;
        while (pos <= clen) {
            size_t so, eo;
            if (q->regex) {
                regmatch_t g;
                if (regexec(&q->re, copy + pos, 1, &g, pos ? REG_NOTBOL : 0) != 0)
                    break;
                so = pos + (size_t)g.rm_so;
                eo = pos + (size_t)g.rm_eo;
            } else {
                char *f = NULL;
                for (size_t i = pos; i + q->n <= clen && !f; i++)
                    if (memcmp(copy + i, q->pattern, q->n) == 0 &&
                        wt_unit_offset(copy, clen, wt_units(copy, i)) == i)
                        f = copy + i;
                if (!f)
                    break;
                so = (size_t)(f - copy);
                eo = so + q->n;
            }
            if (so == eo && so == no_empty) {
                if (so >= clen)
                    break;
                pos = so + wt_unit_len(copy + so, clen - so);
                continue;
            }
            ck_assert_uint_lt(out->n, 4096);
            out->start[out->n] = unit + wt_units(copy, so);
            out->end[out->n++] = unit + wt_units(copy, eo);
            if (eo > so) {
                pos = no_empty = eo;
            } else {
                pos = so < clen ? so + wt_unit_len(copy + so, clen - so) : clen + 1;
            }
        }
        free(copy);
        unit += wt_units(line, len);
        if (!nl)
            break;
        unit++;
        line = nl + 1;
    }
}

/* The first match starting at or after unit from, by a fresh search from there (as a search
 * from the cursor: not the sequence of non-overlapping matches from the line's start). */
static bool naive_first(const char *text, const struct replace_query *q, size_t from,
                        size_t *start, size_t *end)
{
    size_t unit = 0;
    for (const char *line = text;;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        size_t clen = len && line[len - 1] == '\r' && nl ? len - 1 : len;
        size_t lunits = wt_units(line, len);
        if (from <= unit + wt_units(line, clen)) {
            char *copy = strndup(line, clen);
            size_t off = from > unit ? wt_unit_offset(copy, clen, from - unit) : 0;
            for (size_t pos = off; pos <= clen;) {
                size_t so = SIZE_MAX, eo = 0;
                if (q->regex) {
                    regmatch_t g;
                    if (regexec(&q->re, copy + pos, 1, &g, pos ? REG_NOTBOL : 0) == 0) {
                        so = pos + (size_t)g.rm_so;
                        eo = pos + (size_t)g.rm_eo;
                    }
                } else {
                    for (size_t i = pos; i + q->n <= clen && so == SIZE_MAX; i++)
                        if (memcmp(copy + i, q->pattern, q->n) == 0 &&
                            wt_unit_offset(copy, clen, wt_units(copy, i)) == i &&
                            wt_unit_offset(copy, clen, wt_units(copy, i + q->n)) == i + q->n)
                            so = i, eo = i + q->n;
                }
                if (so == SIZE_MAX)
                    break;
                *start = unit + wt_units(copy, so);
                *end = unit + wt_units(copy, eo);
                free(copy);
                return true;
            }
            free(copy);
        }
        unit += lunits;
        if (!nl)
            return false;
        unit++;
        line = nl + 1;
    }
}

START_TEST(test_replace__random_against_naive)
{
    static const char *const alphabet[] = { "a", "b", "ab", "\n", "\r\n", " ", "\xc3\xa9",
                                            "\xff", "A" };
    static const char *const literals[] = { "a", "ab", "b a", "\xc3\xa9", "aa", "\xa9" };
    static const char *const regexes[] = { "a+", "b|ab", "(a)(b)?", "^a", "b$", "a*", "[^a ]",
                                           "\xc3\xa9+", "^", "$" };
    wt_rng rng;
    wt_rng_init(&rng, wt_seed("check_app_replace random"));
    for (int round = 0; round < 300; round++) {
        wf_doc *doc = wf_doc_new(5);
        size_t pieces = 1 + wt_rng_below(&rng, 60);
        for (size_t i = 0; i < pieces; i++) {
            const char *u = alphabet[wt_rng_below(&rng, 9)];
            ck_assert_int_eq(wf_doc_insert(doc, wt_rng_below(&rng, (uint32_t)wf_doc_len(doc) + 1),
                                           u, strlen(u)), 0);
        }
        char *text = wt_text(doc);
        struct replace_query q;
        bool rx = wt_rng_chance(&rng, 1, 2);
        query(&q, rx ? regexes[wt_rng_below(&rng, 10)] : literals[wt_rng_below(&rng, 6)],
              rx ? REPLACE_REGEX : 0);
        struct naive *nv = malloc(sizeof *nv);
        naive_matches(text, &q, nv);
        /* next from every position */
        size_t len = wf_doc_len(doc);
        for (size_t from = 0; from <= len; from++) {
            struct replace_match m;
            bool w, found = replace_next(doc, &q, from, &m, &w);
            size_t ws, we;
            bool want_w = false, want_found = naive_first(text, &q, from, &ws, &we);
            if (!want_found && nv->n) {
                want_found = want_w = naive_first(text, &q, 0, &ws, &we);
                ck_assert(want_found);
            }
            ck_assert_msg(found == want_found, "round %d: \"%s\" in \"%s\" from %zu", round,
                          q.pattern, wt_esc(text, strlen(text)), from);
            if (found)
                ck_assert_msg(m.start == ws && m.end == we && w == want_w, "round %d: \"%s\" in "
                              "\"%s\" from %zu: [%zu,%zu) want [%zu,%zu)", round, q.pattern,
                              wt_esc(text, strlen(text)), from, m.start, m.end, ws, we);
            found = replace_prev(doc, &q, from, &m, &w);
            size_t want = SIZE_MAX;
            for (size_t i = nv->n; i-- > 0 && want == SIZE_MAX;)
                if (nv->start[i] < from)
                    want = i;
            want_w = want == SIZE_MAX && nv->n;
            if (want_w)
                want = nv->n - 1;
            ck_assert(found == (want != SIZE_MAX));
            if (found)
                ck_assert_msg(m.start == nv->start[want] && w == want_w, "round %d: prev \"%s\" "
                              "in \"%s\" before %zu: %zu want %zu", round, q.pattern,
                              wt_esc(text, strlen(text)), from, m.start, nv->start[want]);
        }
        struct replace_count c;
        replace_count(doc, &q, nv->n ? nv->start[nv->n - 1] : 0, REPLACE_COUNT_BUDGET, &c);
        ck_assert(c.complete && c.total == nv->n);
        if (nv->n && (nv->n < 2 || nv->start[nv->n - 2] != nv->start[nv->n - 1]))
            ck_assert_uint_eq(c.index, nv->n);
        size_t count;
        ck_assert_int_eq(replace_all(doc, &q, "<>", 2, &count), 0);
        ck_assert_uint_eq(count, nv->n);
        wt_check(doc);
        /* the naive replacement: text between matches, then "<>" */
        char *got = wt_text(doc);
        size_t at = 0, k = 0, tn = strlen(text);
        char *want = malloc(tn + 2 * nv->n + 1);
        for (size_t i = 0; i < nv->n; i++) {
            size_t sb = wt_unit_offset(text, tn, nv->start[i]);
            memcpy(want + k, text + at, sb - at);
            k += sb - at;
            memcpy(want + k, "<>", 2);
            k += 2;
            at = wt_unit_offset(text, tn, nv->end[i]);
        }
        memcpy(want + k, text + at, tn - at);
        want[k + tn - at] = '\0';
        ck_assert_msg(strcmp(got, want) == 0, "round %d: \"%s\" in \"%s\": \"%s\" want \"%s\"",
                      round, q.pattern, text, got, want);
        free(want);
        free(got);
        free(nv);
        free(text);
        replace_query_close(&q);
        wf_doc_free(doc);
    }
}
END_TEST

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

START_TEST(test_replace__ten_megabytes)
{
    size_t lines = 10 * 1024 * 1024 / 40, cap = lines * 41 + 1, k = 0;
    char *text = malloc(cap);
    for (size_t i = 0; i < lines; i++)
        k += (size_t)snprintf(text + k, cap - k, "%07zu the quick brown %s jumps over\n", i,
                              i % 64 ? "fox" : "elk");
    wf_doc *doc = wf_doc_new(3);
    ck_assert_int_eq(wf_doc_load(doc, text, k), 0);
    size_t foxes = lines - lines / 64, elks = lines / 64;
    struct replace_query q;
    query(&q, "fox", 0);
    double t0 = now_ms();
    struct replace_count c;
    replace_count(doc, &q, 0, UINT64_MAX, &c);
    double t_count = now_ms() - t0;
    ck_assert(c.complete && c.total == foxes);
    t0 = now_ms();
    size_t n;
    ck_assert_int_eq(replace_all(doc, &q, "cat", 3, &n), 0);
    double t_all = now_ms() - t0;
    ck_assert_uint_eq(n, foxes);
    ck_assert_uint_eq(wf_doc_bytes(doc), k);
    struct replace_match m;
    bool w;
    t0 = now_ms();
    ck_assert(!replace_next(doc, &q, 0, &m, &w));
    double t_none = now_ms() - t0;
    replace_query_close(&q);
    /* a regex with a group over the same 10 MB */
    query(&q, "([0-9]+) the", REPLACE_REGEX);
    t0 = now_ms();
    ck_assert_int_eq(replace_all(doc, &q, "\\1 a", 4, &n), 0);
    double t_regex = now_ms() - t0;
    ck_assert_uint_eq(n, lines);
    replace_query_close(&q);
    /* undo of a replace all (core's undo is quadratic in the ranges of a step: see the
     * report; a step of lines / 64 replacements is timed here) */
    query(&q, "elk", 0);
    ck_assert_int_eq(replace_all(doc, &q, "gnu", 3, &n), 0);
    ck_assert_uint_eq(n, elks);
    t0 = now_ms();
    ck_assert_int_eq(wf_doc_undo(doc, NULL), 0);
    double t_undo = now_ms() - t0;
    ck_assert(replace_next(doc, &q, 0, &m, &w) && m.start == 22); /* "0000000 a quick brown elk" */
    replace_query_close(&q);
    wt_check(doc);
    fprintf(stderr, "check_app_replace: 10 MB, %zu lines: count %zu matches %.0f ms, replace "
            "all (literal, %zu) %.0f ms, search without a match %.0f ms, replace all (regex "
            "with a group, %zu) %.0f ms, undo of a replace all (%zu) %.0f ms\n", lines, foxes,
            t_count, foxes, t_all, t_none, lines, t_regex, elks, t_undo);
    wf_doc_free(doc);
}
END_TEST

static Suite *replace_suite(void)
{
    Suite *s = suite_create("app_replace");
    TCase *tc = tcase_create("replace");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_replace__query_errors);
    tcase_add_test(tc, test_replace__next_prev_wrap);
    tcase_add_test(tc, test_replace__case);
    tcase_add_test(tc, test_replace__groups);
    tcase_add_test(tc, test_replace__empty_matches);
    tcase_add_test(tc, test_replace__count);
    tcase_add_test(tc, test_replace__one);
    tcase_add_test(tc, test_replace__all_one_undo_step);
    tcase_add_test(tc, test_replace__all_in_a_range);
    tcase_add_test(tc, test_replace__others_edits);
    tcase_add_test(tc, test_replace__random_against_naive);
    tcase_add_test(tc, test_replace__ten_megabytes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8"); /* as the editor runs: case folds é and É */
    return wt_run_suite(replace_suite());
}
