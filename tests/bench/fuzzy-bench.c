/* fuzzy-bench: the file picker's matcher (app/project/fuzzy.h) over many paths.
 *
 *   fuzzy-bench [N] [FILE]
 *
 * Generates N realistic paths (default 100,000: packages, src/test/docs trees, camelCase and
 * snake_case names, a few UTF-8 ones, depth 2..8), or reads one path a line from FILE (e.g.
 * `git ls-files` of a large tree), then times proj_fuzzy_top() for the 50 best of each query
 * 21 times and prints p50 and max in ms, the matches and the best path. The picker's target
 * is 20 ms a query.
 *
 * Then, as a person types each query one character at a time into the picker (which narrows:
 * a keystroke scores only what the query before it matched, proj_fuzzy_top_among()), the
 * slowest keystroke of each, over 21 runs. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/project/fuzzy.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static uint64_t rng = 0x243f6a8885a308d3u;
static uint32_t below(uint32_t n)
{
    rng += 0x9e3779b97f4a7c15u;
    uint64_t z = rng;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return (uint32_t)((z ^ (z >> 31)) % n);
}

static const char *const dirs[] = {
    "src", "lib", "test", "tests", "docs", "include", "internal", "pkg", "cmd", "app",
    "components", "utils", "core", "net", "server", "client", "api", "models", "views",
    "controllers", "services", "config", "scripts", "tools", "vendor", "third_party",
    "assets", "styles", "fixtures", "examples", "parser", "compiler", "runtime", "drivers",
    "fs", "mm", "kernel", "arch", "x86", "arm64", "platform", "widgets", "résumé", "データ",
};
static const char *const words[] = {
    "main", "util", "parser", "lexer", "token", "buffer", "string", "file", "path", "config",
    "server", "client", "request", "response", "handler", "router", "button", "dialog",
    "window", "view", "model", "store", "cache", "queue", "thread", "worker", "socket",
    "stream", "reader", "writer", "encoder", "decoder", "hash", "map", "list", "tree",
    "graph", "node", "edge", "index", "search", "match", "format", "print", "log", "error",
    "test", "mock", "helper", "common", "types", "value", "state", "event", "loop", "timer",
};
static const char *const exts[] = { ".c", ".h", ".rs", ".go", ".ts", ".tsx", ".js", ".py",
                                     ".md", ".json", ".yaml", ".txt", ".cc", ".java", "" };

static void name(char *out, size_t cap)
{
    size_t n = 1 + below(3), at = 0;
    int style = (int)below(3); /* snake, camel, kebab */
    for (size_t i = 0; i < n; i++) {
        const char *w = words[below(sizeof words / sizeof words[0])];
        char sep = style == 0 ? '_' : '-';
        if (i && style != 1 && at + 1 < cap)
            out[at++] = sep;
        for (size_t k = 0; w[k] && at + 1 < cap; k++)
            out[at++] = (char)(i && style == 1 && k == 0 ? w[k] - 32 : w[k]);
    }
    if (below(10) == 0)
        at += (size_t)snprintf(out + at, cap - at, "%u", below(100));
    out[at] = '\0';
}

static char **generate(size_t n)
{
    char **paths = malloc(n * sizeof *paths);
    char buf[512], part[128];
    for (size_t i = 0; paths && i < n; i++) {
        size_t depth = 1 + below(7), at = 0;
        for (size_t d = 0; d < depth; d++) {
            const char *c = below(3) ? dirs[below(sizeof dirs / sizeof dirs[0])] : part;
            if (c == part)
                name(part, sizeof part);
            at += (size_t)snprintf(buf + at, sizeof buf - at, "%s/", c);
        }
        name(part, sizeof part);
        snprintf(buf + at, sizeof buf - at, "%s%s", part, exts[below(sizeof exts / sizeof exts[0])]);
        paths[i] = strdup(buf);
        if (!paths[i])
            return NULL;
    }
    return paths;
}

static char **read_paths(const char *file, size_t *n)
{
    FILE *fp = fopen(file, "r");
    if (!fp)
        return NULL;
    size_t cap = 1024;
    char **paths = malloc(cap * sizeof *paths), line[8192];
    *n = 0;
    while (paths && fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        if (*n == cap)
            paths = realloc(paths, (cap *= 2) * sizeof *paths);
        if (paths)
            paths[(*n)++] = strdup(line);
    }
    fclose(fp);
    return paths;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 100000;
    char **paths = argc > 2 ? read_paths(argv[2], &n) : generate(n);
    if (!paths) {
        fprintf(stderr, "fuzzy-bench: cannot read or make the paths\n");
        return 1;
    }
    size_t *lens = malloc(n * sizeof *lens), total = 0;
    for (size_t i = 0; lens && i < n; i++)
        total += lens[i] = strlen(paths[i]);
    printf("%zu paths, %.1f bytes on average\n", n, (double)total / (double)n);
    static const char *const queries[] = { "m", "main", "mkf", "srcutil", "test_parser",
                                           "ButtonDialog", "compsrvhdl", "résumé", "zzqx",
                                           "src/net/socket_reader.c", "e" };
    enum { RUNS = 21 };
    struct proj_fuzzy_hit hits[50];
    double worst = 0;
    for (size_t qi = 0; qi < sizeof queries / sizeof queries[0]; qi++) {
        proj_fuzzy *f;
        if (proj_fuzzy_new(queries[qi], strlen(queries[qi]), &f) != 0)
            return 1;
        double t[RUNS];
        size_t k = 0, matched = 0;
        for (int r = 0; r < RUNS; r++) {
            double t0 = now_ms();
            k = proj_fuzzy_top(f, (const char *const *)paths, lens, n, hits, 50);
            t[r] = now_ms() - t0;
        }
        for (size_t i = 0; i < n; i++)
            matched += proj_fuzzy_score(f, paths[i], lens[i], NULL) != PROJ_FUZZY_NOMATCH;
        qsort(t, RUNS, sizeof t[0], cmp_double);
        worst = t[RUNS - 1] > worst ? t[RUNS - 1] : worst;
        printf("%-26s p50 %6.2f ms  max %6.2f ms  %6zu match  best: %s\n", queries[qi],
               t[RUNS / 2], t[RUNS - 1], matched, k ? paths[hits[0].index] : "-");
        proj_fuzzy_free(f);
    }
    printf("slowest query: %.2f ms (target 20 ms)\n", worst);

    /* Typing: each prefix that ends on a whole character narrows from the one before. */
    uint32_t *among = malloc(n * sizeof *among), *matched = malloc(n * sizeof *matched);
    double worst_key = 0;
    for (size_t qi = 0; among && matched && qi < sizeof queries / sizeof queries[0]; qi++) {
        const char *q = queries[qi];
        double slowest[RUNS];
        for (int r = 0; r < RUNS; r++) {
            size_t namong = 0;
            bool narrowed = false;
            slowest[r] = 0;
            for (size_t len = 1; len <= strlen(q); len++) {
                if (len < strlen(q) && ((unsigned char)q[len] & 0xc0) == 0x80)
                    continue; /* inside a character: the prompt never holds that */
                double t0 = now_ms();
                proj_fuzzy *f;
                if (proj_fuzzy_new(q, len, &f) != 0)
                    return 1;
                size_t nm = 0;
                (void)proj_fuzzy_top_among(f, (const char *const *)paths, lens, among, namong,
                                           narrowed ? n : 0, n, hits, 50, matched, &nm);
                proj_fuzzy_free(f);
                double dt = now_ms() - t0;
                slowest[r] = dt > slowest[r] ? dt : slowest[r];
                uint32_t *t = among;
                among = matched, matched = t, namong = nm, narrowed = true;
            }
        }
        qsort(slowest, RUNS, sizeof slowest[0], cmp_double);
        worst_key = slowest[RUNS - 1] > worst_key ? slowest[RUNS - 1] : worst_key;
        printf("typed %-20s slowest keystroke p50 %6.2f ms  max %6.2f ms\n", q,
               slowest[RUNS / 2], slowest[RUNS - 1]);
    }
    printf("slowest keystroke: %.2f ms (target 20 ms)\n", worst_key);
    free(among);
    free(matched);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    free(lens);
    return 0;
}
