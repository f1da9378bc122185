/* weft-trace v1 loader (tests/data/traces/FORMAT.md).
 *
 * The file is parsed from memory, line by line. Op texts are %XX-decoded into one arena
 * allocated up front: a decoded text plus its NUL is never longer than the line it came
 * from, so an arena of the input's size can hold them all and no op needs its own
 * allocation (automerge-paper has 259,778 ops). While parsing, the document length is
 * tracked in code points so an op that reaches past the end is reported at its line. Only
 * libc is used: the benchmark links this with the core under test. */
#include "tests/common/trace.h"

#include <errno.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;


typedef struct parser {
    const char *p;     /* next unread byte */
    const char *end;   /* end of input */
    size_t lineno;     /* 1-based number of the current line */
    const char *line;  /* current line (not NUL-terminated) */
    size_t linelen;    /* its length */
    char *err;         /* message buffer (may be NULL) */
    size_t errsize;
} parser;

static int perr(parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int perr(parser *ps, const char *fmt, ...)
{
    if (ps->err && ps->errsize) {
        int k = snprintf(ps->err, ps->errsize, "line %zu: ", ps->lineno);
        if (k < 0)
            k = 0;
        if ((size_t)k < ps->errsize) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(ps->err + k, ps->errsize - (size_t)k, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

/* Advances to the next line; false at the end of input. */
static bool next_line(parser *ps)
{
    if (ps->p >= ps->end)
        return false;
    const char *nl = memchr(ps->p, '\n', (size_t)(ps->end - ps->p));
    const char *stop = nl ? nl : ps->end;
    ps->line = ps->p;
    ps->linelen = (size_t)(stop - ps->p);
    ps->p = nl ? nl + 1 : ps->end;
    ps->lineno++;
    return true;
}

/* Splits the current line on single spaces into at most max fields. Returns the count, or
 * -1 for an empty field (two spaces, or a leading/trailing space) or too many fields. */
static int split(const parser *ps, const char **f, size_t *flen, int max)
{
    int k = 0;
    const char *s = ps->line, *e = ps->line + ps->linelen;
    for (;;) {
        const char *sp = memchr(s, ' ', (size_t)(e - s));
        const char *stop = sp ? sp : e;
        if (stop == s || k == max)
            return -1;
        f[k] = s;
        flen[k++] = (size_t)(stop - s);
        if (!sp)
            return k;
        s = sp + 1;
    }
}

/* Strict unsigned decimal: digits only, no sign, no overflow. */
static bool parse_size(const char *s, size_t n, size_t *out)
{
    if (n == 0 || n > 19)
        return false;
    size_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (size_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

static bool field_is(const char *f, size_t n, const char *word)
{
    return strlen(word) == n && memcmp(f, word, n) == 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decodes a %XX text token into dst (NUL-terminated). Returns the decoded length, or -1
 * for a bad escape or a byte that must have been escaped. */
static long pct_decode(const char *s, size_t n, char *dst)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            if (n - i < 3)
                return -1;
            int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            dst[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else if (c > 0x20 && c < 0x7f) {
            dst[o++] = (char)c;
        } else {
            return -1;
        }
    }
    dst[o] = '\0';
    return (long)o;
}

/* Length (2..4) of the well-formed UTF-8 sequence at s (RFC 3629), or 0. Kept here rather
 * than shared with testutil.c so the benchmark links this file without Check. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xbf;
    size_t need;
    if (c >= 0xc2 && c <= 0xdf)
        need = 2;
    else if (c >= 0xe0 && c <= 0xef)
        need = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
    else if (c >= 0xf0 && c <= 0xf4)
        need = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
    else
        return 0;
    if (n < need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < need; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return need;
}

/* Code points of valid UTF-8 s[0..n); (size_t)-1 if s is not valid UTF-8. */
static size_t utf8_count(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        size_t ul = s[i] < 0x80 ? 1 : utf8_seq_len(s + i, n - i);
        if (ul == 0)
            return (size_t)-1;
        i += ul;
    }
    return k;
}

/* Line 1, "<prefix><name>" (the name goes to t->name), and the comment lines after it: on
 * return the current line is the first other one. */
static int parse_name(parser *ps, wt_trace *t, const char *prefix, const char *next_what)
{
    size_t pl = strlen(prefix);
    if (!next_line(ps) || ps->linelen <= pl || memcmp(ps->line, prefix, pl) != 0)
        return perr(ps, "not a %.*s file (want \"%s<name>\")", (int)(pl - 3), prefix + 2,
                    prefix);
    size_t nl = ps->linelen - pl;
    if (!(t->name = malloc(nl + 1)))
        return perr(ps, "out of memory");
    memcpy(t->name, ps->line + pl, nl);
    t->name[nl] = '\0';
    do {
        if (!next_line(ps))
            return perr(ps, "missing the %s header line", next_what);
    } while (ps->linelen > 0 && ps->line[0] == '#');
    return 0;
}

static int parse_header(parser *ps, wt_trace *t, size_t *nops, size_t *ntxns)
{
    if (parse_name(ps, t, "# weft-trace v1 ", "ops/txns") != 0)
        return -1;

    static const char *const keys[] = {"ops", "txns", "start_chars", "final_chars",
                                       "final_bytes", "ins_chars", "del_chars"};
    size_t *vals[] = {nops, ntxns, &t->start_chars, &t->final_chars, &t->final_bytes,
                      &t->ins_chars, &t->del_chars};
    const char *f[14];
    size_t fl[14];
    if (split(ps, f, fl, 14) != 14)
        return perr(ps, "header: want \"ops N txns T start_chars S final_chars C "
                        "final_bytes B ins_chars I del_chars D\"");
    for (int i = 0; i < 7; i++)
        if (!field_is(f[2 * i], fl[2 * i], keys[i]) || !parse_size(f[2 * i + 1], fl[2 * i + 1],
                                                                   vals[i]))
            return perr(ps, "header: bad or missing field \"%s\"", keys[i]);
    return 0;
}

static int parse_start(parser *ps, wt_trace *t, char **arena_pos)
{
    const char *f[3];
    size_t fl[3];
    if (!next_line(ps))
        return perr(ps, "missing the start line");
    int k = split(ps, f, fl, 3);
    size_t s;
    if (k < 2 || !field_is(f[0], fl[0], "start") || !parse_size(f[1], fl[1], &s))
        return perr(ps, "want \"start 0\" or \"start <chars> <text>\"");
    char *dst = *arena_pos;
    long len = 0;
    if (k == 3 && (len = pct_decode(f[2], fl[2], dst)) < 0)
        return perr(ps, "bad %%XX text");
    if (k == 2)
        dst[0] = '\0';
    size_t cps = utf8_count(dst, (size_t)len);
    if (cps == (size_t)-1)
        return perr(ps, "start text is not valid UTF-8");
    if (cps != s || s != t->start_chars)
        return perr(ps, "start text has %zu code points; line says %zu, header %zu", cps, s,
                    t->start_chars);
    t->start = dst;
    t->start_len = (size_t)len;
    *arena_pos = dst + len + 1;
    return 0;
}

static int push_txn(wt_trace *t, size_t *cap, size_t first, size_t n)
{
    if (t->ntxns == *cap) {
        size_t nc = *cap ? *cap * 2 : 1024;
        wt_trace_txn *nt = realloc(t->txns, nc * sizeof *nt);
        if (!nt)
            return -1;
        t->txns = nt;
        *cap = nc;
    }
    t->txns[t->ntxns].first = first;
    t->txns[t->ntxns].n = n;
    t->ntxns++;
    return 0;
}

/* Parses one op line into t->ops[t->nops] and checks it against the current length (unless
 * doclen is NULL: a concurrent trace's ops apply to their agent's view). */
static int parse_op(parser *ps, wt_trace *t, char **arena_pos, size_t *doclen)
{
    const char *f[3];
    size_t fl[3];
    int k = split(ps, f, fl, 3);
    wt_trace_op *op = &t->ops[t->nops];
    if (k < 2 || !parse_size(f[0], fl[0], &op->pos) || !parse_size(f[1], fl[1], &op->del))
        return perr(ps, "want \"<pos> <del> [<text>]\", \"T <k>\" or \"end\"");
    char *dst = *arena_pos;
    long len = 0;
    if (k == 3 && (len = pct_decode(f[2], fl[2], dst)) < 0)
        return perr(ps, "bad %%XX text");
    if (k == 2)
        dst[0] = '\0';
    size_t cps = utf8_count(dst, (size_t)len);
    if (cps == (size_t)-1)
        return perr(ps, "text is not valid UTF-8");
    if (op->del == 0 && len == 0)
        return perr(ps, "op neither deletes nor inserts");
    if (doclen && (op->pos > *doclen || op->del > *doclen - op->pos))
        return perr(ps, "op %zu %zu reaches past the end of the text (%zu code points)", op->pos,
                    op->del, *doclen);
    op->text = dst;
    op->len = (size_t)len;
    op->ncp = cps;
    *arena_pos = dst + len + 1;
    if (doclen)
        *doclen = *doclen - op->del + cps;
    t->nops++;
    return 0;
}

/* After "end": nothing but empty lines, and the ops and txns the header announced. */
static int parse_after_end(parser *ps, const wt_trace *t, size_t nops, size_t ntxns)
{
    while (next_line(ps))
        if (ps->linelen != 0)
            return perr(ps, "text after \"end\"");
    if (t->nops != nops || t->ntxns != ntxns)
        return perr(ps, "file has %zu ops and %zu txns; header says %zu and %zu", t->nops,
                    t->ntxns, nops, ntxns);
    return 0;
}

static int parse_body(parser *ps, wt_trace *t, size_t nops, size_t ntxns, char *arena_pos)
{
    size_t doclen = t->start_chars, txn_cap = 0, in_txn = 0, ins = 0, del = 0;
    t->ops = calloc(nops ? nops : 1, sizeof *t->ops);
    if (!t->ops)
        return perr(ps, "out of memory (%zu ops)", nops);
    for (;;) {
        if (!next_line(ps))
            return perr(ps, "missing \"end\"");
        const char *f[3];
        size_t fl[3];
        int k = split(ps, f, fl, 3);
        if (k == 1 && field_is(f[0], fl[0], "end"))
            break;
        if (k == 2 && field_is(f[0], fl[0], "T")) {
            size_t n;
            if (in_txn)
                return perr(ps, "T line inside a transaction");
            if (!parse_size(f[1], fl[1], &n) || n < 2)
                return perr(ps, "want \"T <k>\" with k >= 2");
            if (push_txn(t, &txn_cap, t->nops, n) != 0)
                return perr(ps, "out of memory");
            in_txn = n;
            continue;
        }
        if (t->nops == nops)
            return perr(ps, "more ops than the header's %zu", nops);
        if (parse_op(ps, t, &arena_pos, &doclen) != 0)
            return -1;
        ins += t->ops[t->nops - 1].ncp;
        del += t->ops[t->nops - 1].del;
        if (in_txn)
            in_txn--;
        else if (push_txn(t, &txn_cap, t->nops - 1, 1) != 0)
            return perr(ps, "out of memory");
    }
    if (in_txn)
        return perr(ps, "\"end\" inside a transaction (%zu ops missing)", in_txn);
    if (parse_after_end(ps, t, nops, ntxns) != 0)
        return -1;
    if (ins != t->ins_chars || del != t->del_chars || doclen != t->final_chars)
        return perr(ps, "ops insert %zu, delete %zu, leave %zu code points; header says %zu, "
                        "%zu, %zu", ins, del, doclen, t->ins_chars, t->del_chars,
                    t->final_chars);
    return 0;
}

/* --- concurrent traces (weft-ctrace v1) ------------------------------------------------ */

/* The next space-separated field of the current line from *at on; false at its end. */
static bool next_field(const parser *ps, const char **at, const char **f, size_t *fl)
{
    const char *e = ps->line + ps->linelen;
    if (*at >= e)
        return false;
    const char *sp = memchr(*at, ' ', (size_t)(e - *at));
    const char *stop = sp ? sp : e;
    *f = *at;
    *fl = (size_t)(stop - *at);
    *at = sp ? sp + 1 : e;
    return *fl > 0;
}

static bool next_size(const parser *ps, const char **at, size_t *v)
{
    const char *f;
    size_t fl;
    return next_field(ps, at, &f, &fl) && parse_size(f, fl, v);
}

static int ctrace_header(parser *ps, wt_trace *t, size_t *nops, size_t *ntxns)
{
    if (parse_name(ps, t, "# weft-ctrace v1 ", "agents/txns") != 0)
        return -1;
    static const char *const keys[] = {"agents", "txns", "ops", "final_chars", "final_bytes"};
    size_t *vals[] = {&t->nagents, ntxns, nops, &t->final_chars, &t->final_bytes};
    const char *f[10];
    size_t fl[10];
    if (split(ps, f, fl, 10) != 10)
        return perr(ps, "header: want \"agents A txns T ops N final_chars C final_bytes B\"");
    for (int i = 0; i < 5; i++)
        if (!field_is(f[2 * i], fl[2 * i], keys[i])
            || !parse_size(f[2 * i + 1], fl[2 * i + 1], vals[i]))
            return perr(ps, "header: bad or missing field \"%s\"", keys[i]);
    if (t->nagents == 0 || t->nagents > 1024 || *ntxns == 0)
        return perr(ps, "header: want 1 to 1024 agents and at least one txn");
    return 0;
}

/* Parses "x <idx> <agent> <np> <p1> ... <k>" for txn t->ntxns: its parents are appended to
 * t->parent_ids, its version is computed from theirs. */
static int ctrace_txn(parser *ps, wt_trace *t, size_t *pcap, size_t *nparent_ids, size_t *own,
                      size_t *k)
{
    const char *at = ps->line, *f;
    size_t fl, idx, agent, np;
    if (!next_field(ps, &at, &f, &fl) || !field_is(f, fl, "x") || !next_size(ps, &at, &idx)
        || !next_size(ps, &at, &agent) || !next_size(ps, &at, &np))
        return perr(ps, "want \"x <idx> <agent> <np> <parents...> <k>\"");
    size_t i = t->ntxns;
    if (idx != i || agent >= t->nagents || (np == 0) != (i == 0))
        return perr(ps, "txn %zu: want index %zu, an agent below %zu and parents unless it "
                        "is the first", idx, i, t->nagents);
    if (*nparent_ids + np > *pcap) {
        size_t nc = (*nparent_ids + np) * 2;
        size_t *np_ids = realloc(t->parent_ids, nc * sizeof *np_ids);
        if (!np_ids)
            return perr(ps, "out of memory");
        t->parent_ids = np_ids;
        *pcap = nc;
    }
    size_t *v = &t->versions[i * t->nagents];
    for (size_t j = 0; j < np; j++) {
        size_t p;
        if (!next_size(ps, &at, &p) || p >= i)
            return perr(ps, "txn %zu: parent %zu is not an earlier txn", i, j + 1);
        t->parent_ids[*nparent_ids + j] = p;
        for (size_t a = 0; a < t->nagents; a++)
            if (t->versions[p * t->nagents + a] > v[a])
                v[a] = t->versions[p * t->nagents + a];
    }
    if (!next_size(ps, &at, k) || at < ps->line + ps->linelen)
        return perr(ps, "txn %zu: want the op count last", i);
    /* v[agent] now counts the agent's txns its parents hold: all of its earlier ones. */
    if (v[agent] != own[agent])
        return perr(ps, "txn %zu: agent %zu branches from itself (its parents hold %zu of its "
                        "%zu earlier txns)", i, agent, v[agent], own[agent]);
    v[agent] = ++own[agent];
    t->txns[i] = (wt_trace_txn){.first = t->nops, .n = *k, .agent = agent, .nparents = np};
    *nparent_ids += np;
    t->ntxns++;
    return 0;
}

static int ctrace_txns(parser *ps, wt_trace *t, size_t nops, size_t ntxns, char *arena_pos,
                       size_t *pcap, size_t *nparent_ids, size_t *own);

static int ctrace_body(parser *ps, wt_trace *t, size_t nops, size_t ntxns, char *arena_pos)
{
    size_t pcap = 0, nparent_ids = 0;
    t->ops = calloc(nops ? nops : 1, sizeof *t->ops);
    t->txns = calloc(ntxns, sizeof *t->txns);
    t->versions = calloc(ntxns * t->nagents, sizeof *t->versions);
    size_t *own = calloc(t->nagents, sizeof *own); /* each agent's txns so far */
    int rc = !t->ops || !t->txns || !t->versions || !own
                 ? perr(ps, "out of memory (%zu ops, %zu txns)", nops, ntxns)
                 : ctrace_txns(ps, t, nops, ntxns, arena_pos, &pcap, &nparent_ids, own);
    if (rc == 0)
        for (size_t a = 0; a < t->nagents && rc == 0; a++)
            if (t->versions[(ntxns - 1) * t->nagents + a] != own[a])
                rc = perr(ps, "the last txn does not hold all of agent %zu's txns", a);
    free(own);
    if (rc != 0)
        return rc;
    /* The parents were stored in txn order: point each txn at its own, now that the array
     * no longer moves. */
    for (size_t j = 0, at = 0; j < ntxns; at += t->txns[j++].nparents) {
        t->txns[j].parents = t->parent_ids + at;
        t->txns[j].version = &t->versions[j * t->nagents];
    }
    t->start = "";
    return 0;
}

/* The txn and op lines up to "end" and what may follow it. */
static int ctrace_txns(parser *ps, wt_trace *t, size_t nops, size_t ntxns, char *arena_pos,
                       size_t *pcap, size_t *nparent_ids, size_t *own)
{
    for (;;) {
        if (!next_line(ps))
            return perr(ps, "missing \"end\"");
        if (ps->linelen == 3 && memcmp(ps->line, "end", 3) == 0)
            break;
        size_t k;
        if (t->ntxns == ntxns)
            return perr(ps, "more txns than the header's %zu", ntxns);
        if (ctrace_txn(ps, t, pcap, nparent_ids, own, &k) != 0)
            return -1;
        for (size_t j = 0; j < k; j++) {
            if (!next_line(ps))
                return perr(ps, "txn %zu: %zu of its %zu ops missing", t->ntxns - 1, k - j, k);
            if (t->nops == nops)
                return perr(ps, "more ops than the header's %zu", nops);
            if (parse_op(ps, t, &arena_pos, NULL) != 0)
                return -1;
        }
    }
    return parse_after_end(ps, t, nops, ntxns);
}

static int ctrace_all(parser *ps, wt_trace *t)
{
    size_t nops = 0, ntxns = 0;
    if (ctrace_header(ps, t, &nops, &ntxns) != 0)
        return -1;
    return ctrace_body(ps, t, nops, ntxns, t->arena);
}

/* --- files (declared in trace.h; here so the benchmark links without Check) ------- */

/* Reads fd to its end into a new NUL-terminated buffer. Returns 0 or -1 (errno set). */
static int read_all(int fd, char **data, size_t *n)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap + 1);
    if (!buf)
        return -1;
    for (;;) {
        if (len == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                return -1;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t got = read(fd, buf + len, cap - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            free(buf);
            errno = e;
            return -1;
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    buf[len] = '\0';
    *data = buf;
    *n = len;
    return 0;
}

int wt_read_file(const char *path, char **data, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "weft tests: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = read_all(fileno(f), data, n);
    if (rc != 0)
        fprintf(stderr, "weft tests: cannot read %s: %s\n", path, strerror(errno));
    fclose(f);
    return rc;
}

int wt_read_gzip(const char *path, char **data, size_t *n)
{
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "weft tests: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    int fds[2];
    if (pipe(fds) != 0) {
        fprintf(stderr, "weft tests: pipe: %s\n", strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    char *argv[] = {"gzip", "-dc", (char *)path, NULL};
    pid_t pid;
    int err = posix_spawnp(&pid, "gzip", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (err != 0) {
        close(fds[0]);
        fprintf(stderr, "weft tests: cannot run gzip to read %s: %s%s\n", path, strerror(err),
                err == ENOENT ? " (gzip is not installed: apt-get install gzip)" : "");
        return -1;
    }
    int rc = read_all(fds[0], data, n);
    int rerr = errno;
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (rc != 0) {
        fprintf(stderr, "weft tests: reading gzip output for %s: %s\n", path, strerror(rerr));
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "weft tests: gzip -dc %s failed (status %d)\n", path, status);
        free(*data);
        *data = NULL;
        return -1;
    }
    return 0;
}

static int trace_all(parser *ps, wt_trace *t)
{
    char *arena_pos = t->arena;
    size_t nops = 0, ntxns = 0;
    if (parse_header(ps, t, &nops, &ntxns) != 0 || parse_start(ps, t, &arena_pos) != 0)
        return -1;
    return parse_body(ps, t, nops, ntxns, arena_pos);
}

/* Parses data[0..n) with `all` into a new trace whose arena can hold every op text. */
static int parse_with(const char *data, size_t n, wt_trace **out, char *err, size_t errsize,
                      int (*all)(parser *, wt_trace *))
{
    parser ps = {.p = data, .end = data + n, .err = err, .errsize = errsize};
    if (err && errsize)
        err[0] = '\0';
    *out = NULL;
    wt_trace *t = calloc(1, sizeof *t);
    if (!t || !(t->arena = malloc(n + 1))) {
        free(t);
        return perr(&ps, "out of memory");
    }
    if (all(&ps, t) != 0) {
        wt_trace_free(t);
        return -1;
    }
    *out = t;
    return 0;
}

int wt_trace_parse(const char *data, size_t n, wt_trace **out, char *err, size_t errsize)
{
    return parse_with(data, n, out, err, errsize, trace_all);
}

int wt_ctrace_parse(const char *data, size_t n, wt_trace **out, char *err, size_t errsize)
{
    return parse_with(data, n, out, err, errsize, ctrace_all);
}

/* Loads path, which must end in suffix, with parse, then "<base>.final.txt.gz" next to it. */
static int load_with_final(const char *path, const char *suffix,
                           int (*parse)(const char *, size_t, wt_trace **, char *, size_t),
                           wt_trace **out)
{
    size_t pl = strlen(path), sl = strlen(suffix);
    *out = NULL;
    if (pl < sl || strcmp(path + pl - sl, suffix) != 0) {
        fprintf(stderr, "weft tests: %s: a trace file name must end in %s\n", path, suffix);
        return -1;
    }
    char *data;
    size_t n;
    if (wt_read_gzip(path, &data, &n) != 0)
        return -1;
    char err[256];
    wt_trace *t;
    int rc = parse(data, n, &t, err, sizeof err);
    free(data);
    if (rc != 0) {
        fprintf(stderr, "weft tests: %s: %s\n", path, err);
        return -1;
    }
    char *fpath = malloc(pl + 16);
    if (!fpath) {
        wt_trace_free(t);
        return -1;
    }
    memcpy(fpath, path, pl - sl);
    strcpy(fpath + pl - sl, ".final.txt.gz");
    rc = wt_read_gzip(fpath, &t->final, &t->final_len);
    if (rc == 0 && t->final_len != t->final_bytes) {
        fprintf(stderr, "weft tests: %s has %zu bytes; the trace header says %zu\n", fpath,
                t->final_len, t->final_bytes);
        rc = -1;
    } else if (rc == 0 && utf8_count(t->final, t->final_len) != t->final_chars) {
        fprintf(stderr, "weft tests: %s is not %zu code points of UTF-8\n", fpath,
                t->final_chars);
        rc = -1;
    }
    free(fpath);
    if (rc != 0) {
        wt_trace_free(t);
        return -1;
    }
    *out = t;
    return 0;
}

int wt_trace_load(const char *path, wt_trace **out)
{
    return load_with_final(path, ".trace.gz", wt_trace_parse, out);
}

int wt_ctrace_load(const char *path, wt_trace **out)
{
    return load_with_final(path, ".ctrace.gz", wt_ctrace_parse, out);
}

void wt_trace_free(wt_trace *t)
{
    if (!t)
        return;
    free(t->name);
    free(t->ops);
    free(t->txns);
    free(t->final);
    free(t->arena);
    free(t->parent_ids);
    free(t->versions);
    free(t);
}
