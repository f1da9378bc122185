/* linediff-bench: figures for the line diff (app/project/linediff.h).
 *
 *   linediff-bench [MB]
 *
 * Cases: a 1 MB source-like file with 10 scattered lines changed; the same at MB megabytes
 * (default 100); and the worst case at MB megabytes: two texts of different lines with one
 * common line in a thousand, so no common end helps and the search spends its whole budget,
 * then falls back. Prints for each the best of 3 runs in ms, the hunks, whether it fell back,
 * and at the end the peak memory of the process. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "app/project/linediff.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

struct text {
    char *p;
    size_t n, cap;
};

static void put(struct text *t, const char *s, size_t n)
{
    if (t->n + n > t->cap) {
        t->cap = 2 * (t->n + n);
        t->p = realloc(t->p, t->cap);
        if (!t->p) {
            fprintf(stderr, "linediff-bench: out of memory\n");
            exit(1);
        }
    }
    memcpy(t->p + t->n, s, n);
    t->n += n;
}

/* Source-like lines of about 40 bytes until bytes; every (lines/10)th line changed in new. */
static void scattered(size_t bytes, struct text *old, struct text *new)
{
    char line[128];
    size_t lines = bytes / 40, every = lines / 10;
    for (size_t i = 0; old->n < bytes; i++) {
        int n = snprintf(line, sizeof line, "    x%zu = compute(x%zu, %zu); /* step */\n", i % 97,
                         i % 89, i);
        put(old, line, (size_t)n);
        if (every && i % every == every / 2)
            n = snprintf(line, sizeof line, "    changed(%zu);\n", i);
        put(new, line, (size_t)n);
    }
}

static void worst(size_t bytes, struct text *old, struct text *new)
{
    char line[64];
    for (size_t i = 0; old->n < bytes; i++) {
        if (i % 1000 == 999) {
            put(old, "common\n", 7);
            put(new, "common\n", 7);
            continue;
        }
        put(old, line, (size_t)snprintf(line, sizeof line, "old line number %zu\n", i));
        put(new, line, (size_t)snprintf(line, sizeof line, "new line number %zu\n", i));
    }
}

static void run(const char *name, const struct text *old, const struct text *new)
{
    double best = 1e18;
    struct ld_result r = { 0 };
    for (int k = 0; k < 3; k++) {
        ld_result_free(&r);
        double t0 = now_ms();
        if (ld_diff(old->p, old->n, new->p, new->n, NULL, &r) != 0) {
            fprintf(stderr, "linediff-bench: out of memory\n");
            exit(1);
        }
        double t = now_ms() - t0;
        best = t < best ? t : best;
    }
    printf("%-34s %7.1f MB -> %7.1f MB  %9.2f ms  %7zu hunks%s\n", name, old->n / 1e6,
           new->n / 1e6, best, r.n, r.fallback ? "  (fell back)" : "");
    ld_result_free(&r);
}

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 100;
    struct text old = { 0 }, new = { 0 };
    scattered(1000000, &old, &new);
    run("1 MB, 10 scattered lines changed", &old, &new);
    old.n = new.n = 0;
    scattered(mb * 1000000, &old, &new);
    run("big, 10 scattered lines changed", &old, &new);
    old.n = new.n = 0;
    worst(mb * 1000000, &old, &new);
    run("worst: 1 common line in 1000", &old, &new);
    free(old.p);
    free(new.p);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak memory %.0f MB, of which the two texts %.0f MB\n", ru.ru_maxrss / 1024.0,
           2.0 * (double)mb);
    return 0;
}
