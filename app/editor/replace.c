/* Search and replace (see replace.h).
 *
 * Every search runs over line contents: forward ones stream the lines in one pass
 * (app/editor/lines.h), backward ones stream blocks of lines that double in size upwards
 * and keep the last match of each, so neither copies more than a line at a time nor costs
 * a tree lookup per line. In a line, a literal is found with memchr and memcmp, a regex
 * with regexec(REG_STARTEND) from the previous match's end (so `^` only matches at the
 * line's start and `\<` sees the byte before). Byte offsets become unit positions by
 * counting the units between one match and the next.
 *
 * replace_all() collects every match with its expanded replacement first, then edits from
 * the last match to the first between two undo breaks: one undo step, one flush. */
#include "app/editor/replace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/lines.h"
#include "app/editor/text.h"
#include "core/mem.h"
#include "core/undo.h"
#include "core/utf8.h"

#define GROUPS 10 /* \0..\9 */

int replace_query_init(struct replace_query *q, const char *pattern, size_t n, unsigned flags,
                       char *msg, size_t size)
{
    memset(q, 0, sizeof *q);
    if (size)
        msg[0] = '\0';
    if (n == 0) {
        snprintf(msg, size, "nothing to search for: type the text to find");
        return WF_EINVAL;
    }
    bool regex = flags & REPLACE_REGEX, icase = flags & REPLACE_ICASE;
    if (!regex && !icase && n > REPLACE_MAX_LITERAL) {
        snprintf(msg, size, "the text to find is %zu bytes long; at most %d can be searched "
                 "for", n, REPLACE_MAX_LITERAL);
        return WF_EINVAL;
    }
    if ((regex || icase) && memchr(pattern, '\0', n)) {
        snprintf(msg, size, "a %s cannot hold a NUL byte", regex ? "regular expression" :
                 "search that ignores case");
        return WF_EINVAL;
    }
    if (regex || !icase) {
        q->pattern = wf_xstrndup(pattern, n);
    } else { /* a literal without case: the same text as an escaped regex */
        q->pattern = wf_xmalloc(2 * n + 1);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (strchr(".[]()*+?{}|^$\\", pattern[i]))
                q->pattern[k++] = '\\';
            q->pattern[k++] = pattern[i];
        }
        q->pattern[k] = '\0';
    }
    q->n = n;
    q->flags = flags;
    q->regex = regex || icase;
    if (q->regex) {
        int err = regcomp(&q->re, q->pattern, REG_EXTENDED | (icase ? REG_ICASE : 0));
        if (err) {
            char why[160];
            regerror(err, &q->re, why, sizeof why);
            regfree(&q->re);
            snprintf(msg, size, "the regular expression \"%.60s\" is not valid: %s", pattern,
                     why);
            free(q->pattern);
            memset(q, 0, sizeof *q);
            return WF_EINVAL;
        }
        q->groups = q->re.re_nsub;
    }
    return 0;
}

void replace_query_close(struct replace_query *q)
{
    if (q->regex)
        regfree(&q->re);
    free(q->pattern);
    memset(q, 0, sizeof *q);
}

/* --- matching in one line ------------------------------------------------------------------ */

/* The offset after the character at i (a UTF-8 lead byte and its continuation bytes). */
static size_t step(const char *t, size_t n, size_t i)
{
    i++;
    while (i < n && ((unsigned char)t[i] & 0xc0) == 0x80)
        i++;
    return i;
}

/* The first match in t[0..n) starting at or after byte `from`, not counting an empty match
 * at byte `no_empty` (SIZE_MAX: none). g[0] gets its bytes; for a regex, g[1..] the groups
 * (g holds GROUPS). */
static bool line_find(const struct replace_query *q, const char *t, size_t n, size_t from,
                      size_t no_empty, regmatch_t *g)
{
    while (from <= n) {
        if (q->regex) {
            g[0].rm_so = (regoff_t)from;
            g[0].rm_eo = (regoff_t)n;
            if (regexec(&q->re, t, GROUPS, g, REG_STARTEND) != 0)
                return false;
        } else {
            const char *p = n - from >= q->n ? memchr(t + from, q->pattern[0], n - from) : NULL;
            while (p && (size_t)(p - t) + q->n <= n && memcmp(p, q->pattern, q->n) != 0)
                p = memchr(p + 1, q->pattern[0], n - (size_t)(p + 1 - t));
            if (!p || (size_t)(p - t) + q->n > n)
                return false;
            g[0].rm_so = (regoff_t)(p - t);
            g[0].rm_eo = (regoff_t)(p - t + (ptrdiff_t)q->n);
        }
        if (g[0].rm_so != g[0].rm_eo || (size_t)g[0].rm_so != no_empty)
            return true;
        if ((size_t)g[0].rm_so >= n)
            return false;
        from = step(t, n, (size_t)g[0].rm_so);
    }
    return false;
}

/* Walks the matches of one line in order (the sed rule for empty matches), converting
 * offsets to units incrementally. */
struct walk {
    const struct replace_query *q;
    const char *t;   /* the line's content */
    size_t n;        /* its bytes */
    size_t start;    /* unit of t[0] */
    size_t pos;      /* next search offset */
    size_t no_empty; /* where an empty match does not count */
    size_t counted;  /* offset up to which units were counted */
    size_t units;    /* units in t[0..counted) */
    regmatch_t g[GROUPS];
};

static void walk_init(struct walk *w, const struct replace_query *q, const char *t, size_t n,
                      size_t start, size_t from)
{
    *w = (struct walk){ .q = q, .t = t, .n = n, .start = start, .pos = from,
                        .no_empty = SIZE_MAX };
}

/* Advances the unit count to byte off and gives its unit; false (nothing advanced) when off
 * is inside a unit (a literal's bytes can match the middle of a character). */
static bool count_to(struct walk *w, size_t off, size_t *unit)
{
    size_t c = w->counted, u = w->units;
    while (c < off) {
        c += wf_utf8_unit_len(w->t + c, w->n - c);
        u++;
    }
    if (c != off)
        return false;
    w->counted = c;
    w->units = u;
    *unit = w->start + u;
    return true;
}

/* The next match of the line into *m (units; w->g holds its bytes and groups). */
static bool walk_next(struct walk *w, struct replace_match *m)
{
    while (w->pos <= w->n && line_find(w->q, w->t, w->n, w->pos, w->no_empty, w->g)) {
        size_t so = (size_t)w->g[0].rm_so, eo = (size_t)w->g[0].rm_eo;
        if (!count_to(w, so, &m->start) || !count_to(w, eo, &m->end)) {
            w->pos = so + 1;
            continue;
        }
        if (eo > so) {
            w->pos = eo;
            w->no_empty = eo;
        } else {
            w->pos = so < w->n ? step(w->t, w->n, so) : w->n + 1;
        }
        return true;
    }
    return false;
}

/* --- forward and backward ------------------------------------------------------------------ */

/* The first match starting in units [from, to) (to: WF_NOPOS for the end). */
static bool find_forward(const wf_doc *doc, const struct replace_query *q, size_t from,
                         size_t to, struct replace_match *m)
{
    struct line_stream ls;
    line_stream_init(&ls, doc, wf_doc_line_of(doc, from), SIZE_MAX);
    bool found = false;
    while (!found && line_stream_next(&ls) && (to == WF_NOPOS || ls.start < to)) {
        size_t off = 0;
        if (from > ls.start)
            off = (size_t)(wf_doc_pos_to_byte(doc, from) - ls.offset);
        if (off > ls.len)
            continue;
        struct walk w;
        walk_init(&w, q, ls.text, ls.len, ls.start, off);
        found = walk_next(&w, m) && (to == WF_NOPOS || m->start < to);
    }
    line_stream_close(&ls);
    return found;
}

/* The last match starting in units [from, to), searching lines [la, lb) forward. */
static bool last_in_lines(const wf_doc *doc, const struct replace_query *q, size_t la,
                          size_t lb, size_t from, size_t to, struct replace_match *m)
{
    struct line_stream ls;
    line_stream_init(&ls, doc, la, SIZE_MAX);
    bool found = false;
    struct replace_match x;
    while (ls.next_line < lb && line_stream_next(&ls) && ls.start < to) {
        struct walk w;
        walk_init(&w, q, ls.text, ls.len, ls.start, 0);
        while (walk_next(&w, &x) && x.start < to)
            if (x.start >= from) {
                *m = x;
                found = true;
            }
    }
    line_stream_close(&ls);
    return found;
}

/* The last match starting in units [from, to): blocks of lines, doubling, upwards. */
static bool find_backward(const wf_doc *doc, const struct replace_query *q, size_t from,
                          size_t to, struct replace_match *m)
{
    if (to <= from)
        return false;
    size_t len = wf_doc_len(doc);
    size_t first = wf_doc_line_of(doc, from > len ? len : from);
    size_t lb = wf_doc_line_of(doc, to > len ? len : to) + 1, size = 64;
    while (lb > first) {
        size_t la = lb - first > size ? lb - size : first;
        if (last_in_lines(doc, q, la, lb, from, to, m))
            return true;
        lb = la;
        size *= 2;
    }
    return false;
}

bool replace_next(const wf_doc *doc, const struct replace_query *q, size_t from,
                  struct replace_match *m, bool *wrapped)
{
    size_t len = wf_doc_len(doc);
    *wrapped = false;
    if (from > len)
        from = len;
    if (find_forward(doc, q, from, WF_NOPOS, m))
        return true;
    *wrapped = from > 0 && find_forward(doc, q, 0, from, m);
    return *wrapped;
}

bool replace_prev(const wf_doc *doc, const struct replace_query *q, size_t before,
                  struct replace_match *m, bool *wrapped)
{
    size_t len = wf_doc_len(doc);
    *wrapped = false;
    if (before > len)
        before = len;
    if (find_backward(doc, q, 0, before, m))
        return true;
    *wrapped = find_backward(doc, q, before, len + 1, m);
    return *wrapped;
}

/* Calls fn for every match of the document, in order (w holds the match's line and
 * groups), until fn returns false or budget bytes were read. Returns true when it read
 * to the end. */
static bool each_match(const wf_doc *doc, const struct replace_query *q, uint64_t budget,
                       bool (*fn)(void *ctx, const struct walk *w,
                                  const struct replace_match *m),
                       void *ctx)
{
    struct line_stream ls;
    bool more = true;
    line_stream_init(&ls, doc, 0, SIZE_MAX);
    while (more && line_stream_next(&ls)) {
        struct walk w;
        struct replace_match m;
        walk_init(&w, q, ls.text, ls.len, ls.start, 0);
        while (more && walk_next(&w, &m))
            more = fn(ctx, &w, &m);
        if (ls.next_offset >= budget && !ls.done)
            more = false;
    }
    line_stream_close(&ls);
    return more;
}

struct counting {
    struct replace_count *c;
    size_t at;
};

static bool count_one(void *ctx, const struct walk *w, const struct replace_match *m)
{
    struct counting *k = ctx;
    (void)w;
    k->c->total++;
    if (m->start == k->at && k->c->index == 0)
        k->c->index = k->c->total;
    return true;
}

void replace_count(const wf_doc *doc, const struct replace_query *q, size_t at,
                   uint64_t budget, struct replace_count *c)
{
    *c = (struct replace_count){ 0 };
    struct counting k = { c, at };
    c->complete = each_match(doc, q, budget, count_one, &k);
}

/* --- replacing ------------------------------------------------------------------------------ */

struct text {
    char *s; /* owned */
    size_t n, cap;
};

static void put(struct text *t, const char *s, size_t n)
{
    if (t->n + n > t->cap || !t->s) {
        t->cap = 2 * (t->n + n) + 16;
        t->s = wf_xrealloc(t->s, t->cap);
    }
    memcpy(t->s + t->n, s, n);
    t->n += n;
}

static void put_group(struct text *t, const char *s, const regmatch_t *g, size_t ng, size_t k)
{
    if (k < ng && g[k].rm_so >= 0 && g[k].rm_eo >= g[k].rm_so)
        put(t, s + g[k].rm_so, (size_t)(g[k].rm_eo - g[k].rm_so));
}

char *replace_expand(const char *repl, size_t rn, const char *s, const regmatch_t *g,
                     size_t ng, size_t *outn)
{
    struct text t = { 0 };
    put(&t, "", 0);
    for (size_t i = 0; i < rn; i++) {
        char c = repl[i];
        if (c == '&') {
            put_group(&t, s, g, ng, 0);
            continue;
        }
        if (c != '\\' || i + 1 == rn) {
            put(&t, &c, 1);
            continue;
        }
        char d = repl[++i];
        if (d >= '0' && d <= '9')
            put_group(&t, s, g, ng, (size_t)(d - '0'));
        else if (d == '&' || d == '\\')
            put(&t, &d, 1);
        else if (d == 'n')
            put(&t, "\n", 1);
        else if (d == 't')
            put(&t, "\t", 1);
        else
            put(&t, repl + i - 1, 2);
    }
    *outn = t.n;
    return t.s;
}

/* The replacement text for the match the walk just found. A new string. */
static char *replacement(const struct walk *w, const char *repl, size_t rn, size_t *outn)
{
    if (!w->q->regex) {
        *outn = rn;
        return wf_xstrndup(repl, rn);
    }
    return replace_expand(repl, rn, w->t, w->g, w->q->groups + 1, outn);
}

/* Deletes units [start, end) and inserts r[0..rn) there; *changed is set once the
 * document changed (also when the insert then fails). */
static int splice(wf_doc *doc, size_t start, size_t end, const char *r, size_t rn,
                  bool *changed)
{
    int err = wf_doc_delete(doc, start, end - start);
    if (err)
        return err;
    *changed = *changed || end > start;
    err = wf_doc_insert(doc, start, r, rn);
    *changed = *changed || (err == 0 && rn > 0);
    return err;
}

/* After a failed step that changed the document: takes the partial step back. */
static void take_back(wf_doc *doc, bool changed)
{
    if (!changed)
        return;
    int err = wf_doc_undo(doc, NULL);
    (void)err; /* WF_EEMPTY: the step cancelled itself out, nothing to take back */
}

int replace_one(wf_doc *doc, const struct replace_query *q, size_t at, const char *repl,
                size_t rn, struct replace_match *done)
{
    if (at > wf_doc_len(doc))
        return WF_EINVAL;
    struct line_info li;
    text_line_at(doc, at, &li);
    size_t n;
    char *t = text_line_copy(doc, &li, &n);
    size_t off = (size_t)(wf_doc_pos_to_byte(doc, at) - wf_doc_pos_to_byte(doc, li.start));
    struct walk w;
    struct replace_match m;
    walk_init(&w, q, t, n, li.start, off);
    int err = WF_EINVAL;
    if (off <= n && walk_next(&w, &m) && m.start == at) {
        size_t r;
        char *text = replacement(&w, repl, rn, &r);
        bool changed = false;
        wf_doc_undo_break(doc);
        err = splice(doc, m.start, m.end, text, r, &changed);
        wf_doc_undo_break(doc);
        if (err)
            take_back(doc, changed);
        if (err == 0 && done)
            *done = (struct replace_match){ m.start, m.start + wf_utf8_count(text, r, NULL) };
        free(text);
    }
    free(t);
    return err;
}

/* One replacement to make: units [start, end) become bytes [at, at + n) of the texts. */
struct edit {
    size_t start, end;
    size_t at, n;
};

struct edits {
    const char *repl; /* the replacement as typed */
    size_t rn;
    size_t from, to;  /* the matches wanted start in [from, to), or outside [to, from) */
    struct edit *e;   /* owned */
    size_t n, cap;
    struct text texts; /* the expanded replacements, one after another */
};

static bool collect(void *ctx, const struct walk *w, const struct replace_match *m)
{
    struct edits *es = ctx;
    bool in = es->from < es->to ? m->start >= es->from && m->start < es->to
                                : m->start >= es->from || m->start < es->to;
    if (!in)
        return true;
    if (es->n == es->cap) {
        es->cap = es->cap ? es->cap * 2 : 64;
        es->e = wf_xreallocarray(es->e, es->cap, sizeof *es->e);
    }
    size_t r;
    char *text = replacement(w, es->repl, es->rn, &r);
    es->e[es->n++] = (struct edit){ m->start, m->end, es->texts.n, r };
    put(&es->texts, text, r);
    free(text);
    return true;
}

int replace_all(wf_doc *doc, const struct replace_query *q, const char *repl, size_t rn,
                size_t *count)
{
    return replace_all_in(doc, q, 0, SIZE_MAX, repl, rn, count);
}

int replace_all_in(wf_doc *doc, const struct replace_query *q, size_t from, size_t to,
                   const char *repl, size_t rn, size_t *count)
{
    struct edits es = { .repl = repl, .rn = rn, .from = from, .to = to };
    each_match(doc, q, UINT64_MAX, collect, &es);
    int err = 0;
    if (es.n) {
        bool changed = false;
        wf_doc_undo_break(doc);
        for (size_t i = es.n; i-- > 0 && err == 0;)
            err = splice(doc, es.e[i].start, es.e[i].end, es.texts.s + es.e[i].at, es.e[i].n,
                         &changed);
        wf_doc_undo_break(doc);
        if (err)
            take_back(doc, changed);
    }
    if (count)
        *count = err ? 0 : es.n;
    free(es.e);
    free(es.texts.s);
    return err;
}
