/* Loader for `weft-conformance 1` files (tests/data/conformance/FORMAT.md).
 *
 * Parsed from memory line by line; comment and empty lines are skipped anywhere. Texts are
 * %XX-decoded into one arena of the input's size (a decoded text and its NUL never exceed
 * the line they come from). Every count the format states is checked against the data: op
 * lengths against the txn's LV span, code points against the decoded UTF-8, parent LVs
 * against the ends of earlier txns. */
#include "tests/common/conformance.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/common/testutil.h"
#include "tests/common/trace.h"

typedef struct parser {
    const char *p, *end; /* unread input */
    size_t lineno;       /* 1-based */
    const char *f[64];   /* fields of the current line */
    size_t fl[64];       /* their lengths */
    int nf;              /* number of fields */
    char *arena_pos;     /* next free arena byte */
    char *err;
    size_t errsize;
} parser;

static int perr(parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int perr(parser *ps, const char *fmt, ...)
{
    if (ps->err && ps->errsize) {
        int k = snprintf(ps->err, ps->errsize, "line %zu: ", ps->lineno);
        if (k >= 0 && (size_t)k < ps->errsize) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(ps->err + k, ps->errsize - (size_t)k, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

/* Reads the next line that is neither empty nor a comment and splits it on single spaces.
 * Returns 0, or -1 at the end of input or for a malformed line. */
static int next_line(parser *ps)
{
    for (;;) {
        if (ps->p >= ps->end)
            return perr(ps, "unexpected end of file");
        const char *nl = memchr(ps->p, '\n', (size_t)(ps->end - ps->p));
        const char *line = ps->p, *stop = nl ? nl : ps->end;
        ps->p = nl ? nl + 1 : ps->end;
        ps->lineno++;
        if (stop == line || line[0] == '#')
            continue;
        ps->nf = 0;
        for (const char *s = line;;) {
            const char *sp = memchr(s, ' ', (size_t)(stop - s));
            const char *e = sp ? sp : stop;
            if (e == s || ps->nf == 64)
                return perr(ps, "empty field or too many fields");
            ps->f[ps->nf] = s;
            ps->fl[ps->nf++] = (size_t)(e - s);
            if (!sp)
                return 0;
            s = sp + 1;
        }
    }
}

static bool is_tag(const parser *ps, const char *tag)
{
    return ps->nf > 0 && ps->fl[0] == strlen(tag) && memcmp(ps->f[0], tag, ps->fl[0]) == 0;
}

/* Field i as a strict unsigned decimal. */
static int num(parser *ps, int i, size_t *out)
{
    if (i >= ps->nf || ps->fl[i] == 0 || ps->fl[i] > 18)
        return perr(ps, "missing or bad number in field %d", i + 1);
    size_t v = 0;
    for (size_t k = 0; k < ps->fl[i]; k++) {
        char c = ps->f[i][k];
        if (c < '0' || c > '9')
            return perr(ps, "bad number in field %d", i + 1);
        v = v * 10 + (size_t)(c - '0');
    }
    *out = v;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Field i as a text token ("=" then %XX-escaped bytes) of exactly ncp code points of valid
 * UTF-8; decoded into the arena. */
static int text(parser *ps, int i, size_t ncp, const char **out, size_t *len)
{
    if (i >= ps->nf || ps->fl[i] == 0 || ps->f[i][0] != '=')
        return perr(ps, "missing text token (\"=...\") in field %d", i + 1);
    const char *s = ps->f[i] + 1;
    size_t n = ps->fl[i] - 1, o = 0;
    char *dst = ps->arena_pos;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c == '%') {
            int hi = n - k >= 3 ? hexval(s[k + 1]) : -1, lo = n - k >= 3 ? hexval(s[k + 2]) : -1;
            if (hi < 0 || lo < 0)
                return perr(ps, "bad %%XX escape");
            dst[o++] = (char)(hi * 16 + lo);
            k += 2;
        } else if (c > 0x20 && c < 0x7f) {
            dst[o++] = (char)c;
        } else {
            return perr(ps, "byte 0x%02X must be escaped", c);
        }
    }
    dst[o] = '\0';
    size_t units = 0;
    for (size_t k = 0; k < o; units++) {
        size_t ul = wt_unit_len(dst + k, o - k);
        if (ul == 1 && (unsigned char)dst[k] >= 0x80)
            return perr(ps, "text is not valid UTF-8");
        k += ul;
    }
    if (units != ncp)
        return perr(ps, "text has %zu code points, line says %zu", units, ncp);
    *out = dst;
    *len = o;
    ps->arena_pos = dst + o + 1;
    return 0;
}

static int parse_op(parser *ps, wt_conf_op *op)
{
    if (next_line(ps) != 0)
        return -1;
    if (is_tag(ps, "I") && ps->nf == 4) {
        op->kind = 'I';
        if (num(ps, 1, &op->pos) || num(ps, 2, &op->n) || text(ps, 3, op->n, &op->text,
                                                                &op->len))
            return -1;
    } else if (is_tag(ps, "D") && ps->nf == 3) {
        op->kind = 'D';
        op->text = "";
        op->len = 0;
        if (num(ps, 1, &op->pos) || num(ps, 2, &op->n))
            return -1;
    } else {
        return perr(ps, "want \"I <pos> <ncp> <text>\" or \"D <pos> <count>\"");
    }
    if (op->n == 0)
        return perr(ps, "op of length 0");
    return 0;
}

/* Parses a T line and its ops into h->txns[t]. */
static int parse_txn(parser *ps, wt_conf_history *h, size_t t, size_t *lv)
{
    wt_conf_txn *x = &h->txns[t];
    size_t seq, nparents, span = 0;
    if (next_line(ps) != 0)
        return -1;
    if (!is_tag(ps, "T") || ps->nf < 7)
        return perr(ps, "want a T line");
    if (num(ps, 1, &x->lv_start) || num(ps, 2, &x->lv_end) || num(ps, 4, &seq)
        || num(ps, 5, &x->nops) || num(ps, 6, &nparents))
        return -1;
    if (x->lv_start != *lv || x->lv_end <= x->lv_start || seq > UINT32_MAX)
        return perr(ps, "LV range [%zu, %zu) does not follow %zu", x->lv_start, x->lv_end, *lv);
    if ((size_t)ps->nf != 7 + nparents)
        return perr(ps, "%zu parents announced, %d given", nparents, ps->nf - 7);
    x->seq_start = (uint32_t)seq;
    x->agent = (unsigned)h->nagents;
    for (size_t a = 0; a < h->nagents; a++)
        if (strlen(h->agents[a]) == ps->fl[3] && memcmp(h->agents[a], ps->f[3], ps->fl[3]) == 0)
            x->agent = (unsigned)a;
    if (x->agent == h->nagents)
        return perr(ps, "agent not in the A line");
    x->ordinal = 0;
    for (size_t u = 0; u < t; u++)
        x->ordinal += h->txns[u].agent == x->agent;
    x->nparents = nparents;
    x->parents = calloc(nparents ? nparents : 1, sizeof *x->parents);
    x->ops = calloc(x->nops ? x->nops : 1, sizeof *x->ops);
    if (!x->parents || !x->ops)
        return perr(ps, "out of memory");
    for (size_t i = 0; i < nparents; i++) {
        size_t plv, u = 0;
        if (num(ps, 7 + (int)i, &plv))
            return -1;
        while (u < t && h->txns[u].lv_end - 1 != plv)
            u++;
        if (u == t || (i > 0 && plv <= h->txns[x->parents[i - 1]].lv_end - 1))
            return perr(ps, "parent LV %zu is not the last LV of an earlier txn (or unsorted)",
                        plv);
        x->parents[i] = u;
    }
    for (size_t i = 0; i < x->nops; i++) {
        if (parse_op(ps, &x->ops[i]) != 0)
            return -1;
        span += x->ops[i].n;
    }
    if (span != x->lv_end - x->lv_start)
        return perr(ps, "txn ops cover %zu LVs, its T line %zu", span, x->lv_end - x->lv_start);
    *lv = x->lv_end;
    return 0;
}

static int parse_history(parser *ps, wt_conf_history *h, size_t idx)
{
    if (next_line(ps) != 0)
        return -1;
    if (!is_tag(ps, "H") || ps->nf != 3 || num(ps, 1, &h->index) || num(ps, 2, &h->ntxns))
        return perr(ps, "want \"H <index> <ntxns>\"");
    if (h->index != idx)
        return perr(ps, "history %zu where %zu was expected", h->index, idx);
    if (next_line(ps) != 0)
        return -1;
    if (!is_tag(ps, "A") || num(ps, 1, &h->nagents) || (size_t)ps->nf != 2 + h->nagents)
        return perr(ps, "want \"A <n> <name>...\"");
    h->agents = calloc(h->nagents ? h->nagents : 1, sizeof *h->agents);
    h->txns = calloc(h->ntxns ? h->ntxns : 1, sizeof *h->txns);
    if (!h->agents || !h->txns)
        return perr(ps, "out of memory");
    for (size_t a = 0; a < h->nagents; a++) {
        h->agents[a] = strndup(ps->f[2 + a], ps->fl[2 + a]);
        if (!h->agents[a])
            return perr(ps, "out of memory");
        if (a > 0 && strcmp(h->agents[a - 1], h->agents[a]) >= 0)
            return perr(ps, "agents not in increasing (memcmp) order");
    }
    size_t lv = 0;
    for (size_t t = 0; t < h->ntxns; t++)
        if (parse_txn(ps, h, t, &lv) != 0)
            return -1;
    if (next_line(ps) != 0)
        return -1;
    if (!is_tag(ps, "E") || ps->nf != 3 || num(ps, 1, &h->expect_ncp)
        || text(ps, 2, h->expect_ncp, &h->expect, &h->expect_len))
        return perr(ps, "want \"E <ncp> <text>\"");
    return 0;
}

int wt_conformance_parse(const char *data, size_t n, wt_conformance **out, char *err,
                         size_t errsize)
{
    parser ps = {.p = data, .end = data + n, .err = err, .errsize = errsize};
    *out = NULL;
    wt_conformance *c = calloc(1, sizeof *c);
    if (!c || !(c->arena = malloc(n + 1))) {
        free(c);
        return perr(&ps, "out of memory");
    }
    ps.arena_pos = c->arena;
    size_t nhist;
    if (next_line(&ps) != 0 || !is_tag(&ps, "weft-conformance") || ps.nf != 2
        || ps.fl[1] != 1 || ps.f[1][0] != '1') {
        wt_conformance_free(c);
        return perr(&ps, "not a weft-conformance 1 file");
    }
    if (next_line(&ps) != 0 || !is_tag(&ps, "N") || ps.nf != 2 || num(&ps, 1, &nhist)) {
        wt_conformance_free(c);
        return perr(&ps, "want \"N <histories>\"");
    }
    c->hist = calloc(nhist ? nhist : 1, sizeof *c->hist);
    if (!c->hist) {
        wt_conformance_free(c);
        return perr(&ps, "out of memory");
    }
    for (size_t i = 0; i < nhist; i++) {
        c->nhist = i + 1;
        if (parse_history(&ps, &c->hist[i], i) != 0) {
            wt_conformance_free(c);
            return -1;
        }
    }
    while (ps.p < ps.end) {
        if (next_line(&ps) == 0) {
            wt_conformance_free(c);
            return perr(&ps, "data after the last history");
        }
    }
    *out = c;
    return 0;
}

int wt_conformance_load(const char *path, wt_conformance **out)
{
    char *data, err[256];
    size_t n;
    *out = NULL;
    if (wt_read_gzip(path, &data, &n) != 0)
        return -1;
    int rc = wt_conformance_parse(data, n, out, err, sizeof err);
    free(data);
    if (rc != 0)
        fprintf(stderr, "weft tests: %s: %s\n", path, err);
    return rc;
}

void wt_conformance_free(wt_conformance *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nhist; i++) {
        wt_conf_history *h = &c->hist[i];
        for (size_t a = 0; h->agents && a < h->nagents; a++)
            free(h->agents[a]);
        free(h->agents);
        for (size_t t = 0; h->txns && t < h->ntxns; t++) {
            free(h->txns[t].ops);
            free(h->txns[t].parents);
        }
        free(h->txns);
    }
    free(c->hist);
    free(c->arena);
    free(c);
}

void wt_conf_ancestors(const wt_conf_history *h, size_t t, bool *anc)
{
    memset(anc, 0, h->ntxns * sizeof *anc);
    /* Parents are earlier in file order, so one backwards sweep closes the set. */
    for (size_t i = 0; i < h->txns[t].nparents; i++)
        anc[h->txns[t].parents[i]] = true;
    for (size_t u = t; u-- > 0;)
        if (anc[u])
            for (size_t i = 0; i < h->txns[u].nparents; i++)
                anc[h->txns[u].parents[i]] = true;
}

uint64_t wt_conf_txn_agent(const wt_conf_history *h, size_t t)
{
    return ((uint64_t)(h->txns[t].agent + 1) << 32) | h->txns[t].ordinal;
}
