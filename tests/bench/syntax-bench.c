/* syntax-bench: the figures of syntax colouring (app/editor/nanorc.h, highlight.h).
 *
 *   load      reading and parsing every nano syntax file (nothing compiled), choosing the
 *             syntax of a .c file, compiling the C syntax, compiling every syntax
 *   c-file    highlighting every line of the C files given (weft's own sources in `make
 *             bench-syntax`) top to bottom, cold; then one 50-line screen redrawn after an
 *             edit at its top (what a keystroke costs)
 *   engines   the same C file painted with nano's C rules by a minimal painter on POSIX
 *             regexec (glibc) and, when built with PCRE2, on pcre2_match with JIT (the
 *             rules translated: \< \> \` to PCRE2's forms, backslashes in brackets
 *             escaped), in the C and the C.UTF-8 locales
 *   large     a 100 MB C document (the file repeated): the last screen after a jump to
 *             the end (estimated state), and the idle catch-up to the end
 *   long-line one 20 MB line of C: one screen of it after an edit (one keystroke)
 *
 * Usage: syntax-bench [FILE.c ...]   (prints name=value lines; times in ms, medians of 5) */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/editor/highlight.h"
#include "app/editor/nanorc.h"
#include "core/doc.h"
#include "tests/common/trace.h"

#ifdef HAVE_PCRE2
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif

#define RUNS 5
#define SCREEN 50

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

static wf_doc *doc_of(const char *text, size_t n)
{
    wf_doc *doc = wf_doc_new(1);
    char *copy = malloc(n ? n : 1);
    if (!doc || !copy) {
        fprintf(stderr, "syntax-bench: out of memory\n");
        exit(1);
    }
    memcpy(copy, text, n);
    if (wf_doc_load(doc, copy, n) != 0) {
        fprintf(stderr, "syntax-bench: cannot load a document of %zu bytes\n", n);
        exit(1);
    }
    return doc;
}

static void bench_load(void)
{
    double load[RUNS], choose[RUNS], compile_c[RUNS], compile_all[RUNS];
    size_t nsyn = 0, rules = 0;
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_ms();
        struct syn_set *set = syn_set_new();
        nanorc_load_glob(set, NANORC_SYSTEM_GLOB, NANORC_SYNTAX_FILE);
        double t1 = now_ms();
        struct syn_syntax *c = syn_set_choose(set, "/home/me/src/main.c", "", 0);
        double t2 = now_ms();
        if (c)
            syn_compile(set, c);
        double t3 = now_ms();
        rules = 0;
        for (size_t i = 0; i < syn_set_count(set); i++)
            rules += syn_compile(set, syn_set_nth(set, i));
        double t4 = now_ms();
        nsyn = syn_set_count(set);
        load[r] = t1 - t0;
        choose[r] = t2 - t1;
        compile_c[r] = t3 - t2;
        compile_all[r] = t4 - t3 + (t3 - t2);
        syn_set_free(set);
    }
    printf("load syntaxes=%zu rules=%zu parse_all_ms=%.2f choose_c_ms=%.2f compile_c_ms=%.2f "
           "compile_all_ms=%.2f\n", nsyn, rules, median(load, RUNS), median(choose, RUNS),
           median(compile_c, RUNS), median(compile_all, RUNS));
}

/* Highlights lines [from, to) of doc; returns the spans seen. */
static size_t draw(struct hl *hl, const wf_doc *doc, size_t from, size_t to, size_t lo,
                   size_t hi)
{
    size_t spans = 0, n;
    for (size_t l = from; l < to; l++) {
        hl_line(hl, doc, l, lo, hi, &n);
        spans += n;
    }
    return spans;
}

static void bench_c_file(struct syn_set *set, struct syn_syntax *c, const char *text, size_t n)
{
    wf_doc *doc = doc_of(text, n);
    size_t lines = wf_doc_newlines(doc) + 1;
    double cold[RUNS], frame[RUNS];
    size_t spans = 0;
    for (int r = 0; r < RUNS; r++) {
        struct hl *hl = hl_new(set, c);
        double t0 = now_ms();
        spans = draw(hl, doc, 0, lines, 0, SIZE_MAX);
        cold[r] = now_ms() - t0;
        size_t top = lines / 2;
        t0 = now_ms();
        for (int k = 0; k < 100; k++) {
            hl_invalidate(hl, top);
            draw(hl, doc, top, top + SCREEN, 0, 200);
        }
        frame[r] = (now_ms() - t0) / 100;
        hl_free(hl);
    }
    printf("c-file bytes=%zu lines=%zu spans=%zu all_lines_ms=%.2f us_per_line=%.2f "
           "screen_after_edit_ms=%.3f\n", n, lines, spans, median(cold, RUNS),
           median(cold, RUNS) * 1e3 / (double)lines, median(frame, RUNS));
    wf_doc_free(doc);
}

/* --- the engines compared ----------------------------------------------------------------- */

/* A minimal nano painter over one engine: returns the painted bytes (a checksum). */
struct engine {
    const char *name;
    void *(*compile)(const char *re, bool icase);
    bool (*find)(void *re, const char *t, size_t n, size_t from, size_t *so, size_t *eo);
};

static bool posix_find(void *re, const char *t, size_t n, size_t from, size_t *so, size_t *eo)
{
    regmatch_t m = { .rm_so = (regoff_t)from, .rm_eo = (regoff_t)n };
    if (regexec(re, t, 1, &m, REG_STARTEND) != 0)
        return false;
    *so = (size_t)m.rm_so;
    *eo = (size_t)m.rm_eo;
    return true;
}

static void *posix_compile(const char *src, bool icase)
{
    regex_t *re = malloc(sizeof *re);
    if (!re || regcomp(re, src, REG_EXTENDED | (icase ? REG_ICASE : 0)) != 0) {
        fprintf(stderr, "syntax-bench: regcomp refused %s\n", src);
        exit(1);
    }
    return re;
}

#ifdef HAVE_PCRE2
static pcre2_match_data *pcre_md;

/* nano's POSIX ERE with GNU extensions → PCRE2: \< \> \` \' and backslashes in brackets. */
static char *to_pcre(const char *s)
{
    size_t n = strlen(s);
    char *o = malloc(n * 12 + 1), *p = o;
    if (!o)
        exit(1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            const char *rep = NULL;
            switch (s[i + 1]) {
            case '<': rep = "\\b(?=\\w)"; break;
            case '>': rep = "\\b(?<=\\w)"; break;
            case '`': rep = "\\A"; break;
            case '\'': rep = "\\z"; break;
            }
            if (rep) {
                p += sprintf(p, "%s", rep);
            } else {
                *p++ = s[i];
                *p++ = s[i + 1];
            }
            i++;
        } else if (s[i] == '[') {
            *p++ = s[i++];
            if (i < n && s[i] == '^')
                *p++ = s[i++];
            if (i < n && s[i] == ']')
                *p++ = s[i++];
            for (; i < n && s[i] != ']'; i++) {
                if (s[i] == '[' && i + 1 < n && s[i + 1] == ':') {
                    const char *e = strstr(s + i + 2, ":]");
                    if (e) {
                        size_t k = (size_t)(e + 2 - (s + i));
                        memcpy(p, s + i, k);
                        p += k;
                        i += k - 1;
                        continue;
                    }
                }
                if (s[i] == '\\' || s[i] == '[')
                    *p++ = '\\';
                *p++ = s[i];
            }
            if (i < n)
                *p++ = ']';
        } else {
            *p++ = s[i];
        }
    }
    *p = '\0';
    return o;
}

static void *pcre_compile(const char *src, bool icase)
{
    char *t = to_pcre(src);
    int err;
    PCRE2_SIZE off;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)t, PCRE2_ZERO_TERMINATED,
                                  PCRE2_UTF | PCRE2_MATCH_INVALID_UTF |
                                      (icase ? PCRE2_CASELESS : 0), &err, &off, NULL);
    if (!c) {
        PCRE2_UCHAR msg[200];
        pcre2_get_error_message(err, msg, sizeof msg);
        fprintf(stderr, "syntax-bench: pcre2 refused %s (from %s): %s\n", t, src, msg);
        exit(1);
    }
    pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
    free(t);
    return c;
}

static bool pcre_find(void *re, const char *t, size_t n, size_t from, size_t *so, size_t *eo)
{
    int rc = pcre2_match(re, (PCRE2_SPTR)t, n, from, 0, pcre_md, NULL);
    if (rc < 0)
        return false;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(pcre_md);
    *so = ov[0];
    *eo = ov[1];
    return true;
}
#endif

struct erule {
    void *start, *end;
};

static size_t paint_all(const struct engine *e, const struct erule *rules, size_t nrules,
                        const char *text, size_t len)
{
    size_t painted = 0;
    uint64_t st = 0;
    for (const char *line = text, *end = text + len; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t n = (size_t)((nl ? nl : end) - line);
        for (size_t i = 0; i < nrules; i++) {
            size_t pos = 0, so, eo, es, ee;
            uint64_t bit = (uint64_t)1 << (i & 63);
            if (!rules[i].end) {
                while (pos < n && e->find(rules[i].start, line, n, pos, &so, &eo)) {
                    painted += eo - so;
                    pos = eo > so ? eo : so + 1;
                }
                continue;
            }
            if (st & bit) {
                if (!e->find(rules[i].end, line, n, 0, &so, &eo)) {
                    painted += n;
                    continue;
                }
                st &= ~bit;
                pos = eo;
            }
            while (pos <= n && e->find(rules[i].start, line, n, pos, &so, &eo)) {
                if (!e->find(rules[i].end, line, n, eo, &es, &ee)) {
                    st |= bit;
                    painted += n - so;
                    break;
                }
                painted += ee - so;
                pos = ee > so ? ee : so + 1;
            }
        }
        line = nl ? nl + 1 : end;
    }
    return painted;
}

static void bench_engine(const struct engine *e, const struct syn_syntax *c, const char *locale,
                         const char *text, size_t n)
{
    size_t nr;
    const struct syn_rule *r = syn_rules(c, &nr);
    struct erule *rules = calloc(nr ? nr : 1, sizeof *rules);
    if (!rules)
        exit(1);
    double t0 = now_ms();
    for (size_t i = 0; i < nr; i++) {
        rules[i].start = e->compile(r[i].start, r[i].icase);
        rules[i].end = r[i].end ? e->compile(r[i].end, r[i].icase) : NULL;
    }
    double compile = now_ms() - t0;
    double v[RUNS];
    size_t painted = 0;
    for (int k = 0; k < RUNS; k++) {
        t0 = now_ms();
        painted = paint_all(e, rules, nr, text, n);
        v[k] = now_ms() - t0;
    }
    printf("engine=%s locale=%s compile_ms=%.2f paint_ms=%.2f mb_per_s=%.1f painted=%zu\n",
           e->name, locale, compile, median(v, RUNS), (double)n / 1e3 / median(v, RUNS),
           painted);
    free(rules); /* the compiled regexes are left to the exit */
}

/* --- large documents ---------------------------------------------------------------------- */

static void bench_large(struct syn_set *set, struct syn_syntax *c, const char *text, size_t n)
{
    size_t target = (size_t)100 << 20, reps = target / n + 1;
    char *big = malloc(reps * n);
    if (!big)
        exit(1);
    for (size_t i = 0; i < reps; i++)
        memcpy(big + i * n, text, n);
    wf_doc *doc = doc_of(big, reps * n);
    free(big);
    size_t lines = wf_doc_newlines(doc) + 1;
    struct hl *hl = hl_new(set, c);
    double t0 = now_ms();
    draw(hl, doc, 0, SCREEN, 0, 200);
    double first = now_ms() - t0;
    t0 = now_ms();
    draw(hl, doc, lines - SCREEN, lines, 0, 200);
    double jump = now_ms() - t0;
    bool exact = hl_last_exact(hl);
    t0 = now_ms();
    int steps = 0;
    double worst = 0;
    for (;;) {
        double s0 = now_ms();
        bool more = hl_catch_up(hl, doc, HL_SCAN_UNITS);
        double d = now_ms() - s0;
        worst = d > worst ? d : worst;
        steps++;
        if (!more)
            break;
    }
    double catch_up = now_ms() - t0;
    t0 = now_ms();
    draw(hl, doc, lines - SCREEN, lines, 0, 200);
    double after = now_ms() - t0;
    printf("large bytes=%zu lines=%zu first_screen_ms=%.2f end_screen_ms=%.2f "
           "end_exact=%d catch_up_ms=%.0f catch_up_steps=%d worst_step_ms=%.2f "
           "end_screen_after_ms=%.2f exact_after=%d cache_bytes=%zu\n",
           reps * n, lines, first, jump, exact, catch_up, steps, worst, after,
           hl_last_exact(hl), hl_memory(hl));
    hl_free(hl);
    wf_doc_free(doc);
}

static void bench_long_line(struct syn_set *set, struct syn_syntax *c, const char *text,
                            size_t n)
{
    size_t target = (size_t)20 << 20;
    char *line = malloc(target);
    if (!line)
        exit(1);
    for (size_t i = 0; i < target; i++) {
        char ch = text[i % n];
        line[i] = ch == '\n' ? ' ' : ch;
    }
    wf_doc *doc = doc_of(line, target);
    free(line);
    struct hl *hl = hl_new(set, c);
    double v[RUNS];
    size_t spans = 0;
    for (int k = 0; k < RUNS; k++) {
        double t0 = now_ms();
        for (int j = 0; j < 100; j++) {
            hl_invalidate(hl, 0);
            spans = draw(hl, doc, 0, 1, target - 120, target);
        }
        v[k] = (now_ms() - t0) / 100;
    }
    printf("long-line bytes=%zu screen_after_edit_ms=%.3f spans=%zu\n", target, median(v, RUNS),
           spans);
    hl_free(hl);
    wf_doc_free(doc);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "C.UTF-8");
    bench_load();
    struct syn_set *set = syn_set_new();
    nanorc_load_glob(set, NANORC_SYSTEM_GLOB, NANORC_SYNTAX_FILE);
    struct syn_syntax *c = syn_set_choose(set, "/x/main.c", "", 0);
    if (!c) {
        printf("no C syntax: install nano (/usr/share/nano/c.nanorc)\n");
        syn_set_free(set);
        return 0;
    }
    syn_compile(set, c);
    /* The C text: the files given, concatenated. */
    size_t n = 0, cap = 0;
    char *text = NULL;
    for (int i = 1; i < argc; i++) {
        size_t fn;
        char *f;
        if (wt_read_file(argv[i], &f, &fn) != 0) {
            fprintf(stderr, "syntax-bench: cannot read %s\n", argv[i]);
            return 1;
        }
        if (n + fn > cap) {
            cap = (n + fn) * 2;
            text = realloc(text, cap);
            if (!text)
                return 1;
        }
        memcpy(text + n, f, fn);
        n += fn;
        free(f);
    }
    if (n == 0) {
        printf("no C files given: usage: syntax-bench FILE.c ...\n");
        syn_set_free(set);
        return 0;
    }
    bench_c_file(set, c, text, n);
    struct engine posix = { "posix", posix_compile, posix_find };
    const char *locales[] = { "C", "C.UTF-8" };
    for (int i = 0; i < 2; i++) {
        setlocale(LC_ALL, locales[i]);
        bench_engine(&posix, c, locales[i], text, n);
#ifdef HAVE_PCRE2
        pcre_md = pcre2_match_data_create(4, NULL);
        struct engine pcre = { "pcre2-jit", pcre_compile, pcre_find };
        bench_engine(&pcre, c, locales[i], text, n);
#endif
    }
    setlocale(LC_ALL, "C.UTF-8");
    bench_large(set, c, text, n);
    bench_long_line(set, c, text, n);
    free(text);
    syn_set_free(set);
    return 0;
}
