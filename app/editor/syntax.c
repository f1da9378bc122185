/* Syntaxes (see syntax.h).
 *
 * A set is three growable arrays: syntaxes (in definition order), interned origins, and
 * messages. A syntax keeps its choice regexes (file name, header) as source strings with a
 * compiled form made on first use, and its rules likewise; so loading all of nano's files
 * compiles nothing, and choosing a syntax compiles only the file-name regexes (about fifty
 * small ones). Rules are compiled with REG_EXTENDED (plus REG_ICASE for icolor), as nano
 * does; glibc's regcomp understands nano's GNU extensions (\<, \>, \b, \s, \w, \`). */
#include "app/editor/syntax.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/notes.h"
#include "core/mem.h"

struct choice {
    char *src;   /* the regex; owned */
    int state;   /* 0 not compiled yet, 1 compiled, -1 refused by regcomp */
    regex_t re;  /* valid when state == 1 */
};

struct choices {
    struct choice *v; /* owned */
    size_t n, cap;
};

struct syn_syntax {
    char *name;             /* owned */
    const char *origin;     /* interned in the set */
    unsigned line;          /* 1-based */
    struct choices files;   /* regexes on the path */
    struct choices headers; /* regexes on the first line */
    char *comment;          /* owned, NULL: not given */
    char *tabgives;         /* owned, NULL: not given */
    struct syn_rule *rules; /* owned; painting order */
    size_t nrules, cap;
    unsigned nregions;      /* region rules among them */
};

struct syn_set {
    struct syn_syntax **syn; /* owned, definition order */
    size_t nsyn, capsyn;
    char **origins;          /* owned, interned file names */
    size_t norig, caporig;
    struct notes msgs;       /* messages for people */
};

/* Grows *v (of elements of size sz) to hold one more, doubling. */
static void *grow(void *v, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return v;
    *cap = *cap ? *cap * 2 : 8;
    return wf_xreallocarray(v, *cap, sz);
}

static char *xstrdup(const char *s)
{
    return wf_xstrndup(s, strlen(s));
}

struct syn_set *syn_set_new(void)
{
    struct syn_set *set = wf_xcalloc(1, sizeof(struct syn_set));
    notes_init(&set->msgs, SYN_MAX_MESSAGES, "syntax files");
    return set;
}

static void choices_free(struct choices *c)
{
    for (size_t i = 0; i < c->n; i++) {
        if (c->v[i].state == 1)
            regfree(&c->v[i].re);
        free(c->v[i].src);
    }
    free(c->v);
}

static void syntax_free(struct syn_syntax *syn)
{
    for (size_t i = 0; i < syn->nrules; i++) {
        struct syn_rule *r = &syn->rules[i];
        if (r->usable) {
            regfree(&r->start_re);
            if (r->end)
                regfree(&r->end_re);
        }
        free(r->start);
        free(r->end);
    }
    free(syn->rules);
    choices_free(&syn->files);
    choices_free(&syn->headers);
    free(syn->name);
    free(syn->comment);
    free(syn->tabgives);
    free(syn);
}

void syn_set_free(struct syn_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->nsyn; i++)
        syntax_free(set->syn[i]);
    for (size_t i = 0; i < set->norig; i++)
        free(set->origins[i]);
    notes_free(&set->msgs);
    free(set->syn);
    free(set->origins);
    free(set);
}

size_t syn_set_count(const struct syn_set *set)
{
    return set->nsyn;
}

struct syn_syntax *syn_set_nth(const struct syn_set *set, size_t i)
{
    return i < set->nsyn ? set->syn[i] : NULL;
}

struct syn_syntax *syn_set_find(const struct syn_set *set, const char *name)
{
    for (size_t i = set->nsyn; i-- > 0;)
        if (strcmp(set->syn[i]->name, name) == 0)
            return set->syn[i];
    return NULL;
}

/* Compiles c's regex if that was not tried yet; true when it is usable. */
static bool choice_ready(struct syn_set *set, const struct syn_syntax *syn, struct choice *c,
                         const char *what)
{
    if (c->state == 0) {
        int err = regcomp(&c->re, c->src, REG_EXTENDED | REG_NOSUB);
        if (err == 0) {
            c->state = 1;
        } else {
            char why[160];
            regerror(err, &c->re, why, sizeof why);
            regfree(&c->re);
            c->state = -1;
            notes_add(&set->msgs, "%s: syntax \"%s\" (line %u): its %s regex \"%.80s\" is not "
                         "valid (%s); it is not used", syn->origin, syn->name, syn->line, what,
                         c->src, why);
        }
    }
    return c->state == 1;
}

static bool choices_match(struct syn_set *set, const struct syn_syntax *syn,
                          struct choices *cs, const char *what, const char *s, size_t n)
{
    for (size_t i = 0; i < cs->n; i++) {
        if (!choice_ready(set, syn, &cs->v[i], what))
            continue;
        regmatch_t m = { .rm_so = 0, .rm_eo = (regoff_t)n };
        if (regexec(&cs->v[i].re, s, 1, &m, REG_STARTEND) == 0)
            return true;
    }
    return false;
}

struct syn_syntax *syn_set_choose(struct syn_set *set, const char *path, const char *first,
                                  size_t n)
{
    if (path)
        for (size_t i = set->nsyn; i-- > 0;)
            if (choices_match(set, set->syn[i], &set->syn[i]->files, "file-name", path,
                              strlen(path)))
                return set->syn[i];
    /* A NUL-terminated copy: regexec() reads no further than REG_STARTEND says, but
     * sanitizers' interceptors of it measure the string with strlen(). */
    if (n > SYN_HEADER_MAX)
        n = SYN_HEADER_MAX;
    char *line = wf_xstrndup(first ? first : "", first ? n : 0);
    struct syn_syntax *found = NULL;
    for (size_t i = set->nsyn; i-- > 0 && !found;)
        if (choices_match(set, set->syn[i], &set->syn[i]->headers, "header", line, n))
            found = set->syn[i];
    free(line);
    return found ? found : syn_set_find(set, "default");
}

/* Compiles one regex of a rule; false (with a message) when regcomp refuses it. */
static bool rule_regex(struct syn_set *set, const struct syn_syntax *syn,
                       const struct syn_rule *r, const char *src, regex_t *re)
{
    int err = regcomp(re, src, REG_EXTENDED | (r->icase ? REG_ICASE : 0));
    if (err == 0)
        return true;
    char why[160];
    regerror(err, re, why, sizeof why);
    regfree(re);
    notes_add(&set->msgs, "%s line %u: the regex \"%.80s\" of syntax \"%s\" is not valid (%s); "
                 "that rule is not used", r->origin, r->line, src, syn->name, why);
    return false;
}

size_t syn_compile(struct syn_set *set, struct syn_syntax *syn)
{
    size_t usable = 0;
    for (size_t i = 0; i < syn->nrules; i++) {
        struct syn_rule *r = &syn->rules[i];
        if (!r->compiled) {
            r->compiled = true;
            r->usable = rule_regex(set, syn, r, r->start, &r->start_re);
            if (r->usable && r->end && !rule_regex(set, syn, r, r->end, &r->end_re)) {
                regfree(&r->start_re);
                r->usable = false;
            }
        }
        usable += r->usable;
    }
    return usable;
}

const char *syn_name(const struct syn_syntax *syn)
{
    return syn->name;
}

const char *syn_comment(const struct syn_syntax *syn)
{
    return syn->comment;
}

const char *syn_tabgives(const struct syn_syntax *syn)
{
    return syn->tabgives;
}

const struct syn_rule *syn_rules(const struct syn_syntax *syn, size_t *n)
{
    *n = syn->nrules;
    return syn->rules;
}

unsigned syn_regions(const struct syn_syntax *syn)
{
    return syn->nregions;
}

const char *syn_origin(const struct syn_syntax *syn)
{
    return syn->origin;
}

unsigned syn_line(const struct syn_syntax *syn)
{
    return syn->line;
}

size_t syn_set_message_count(const struct syn_set *set)
{
    return set->msgs.n;
}

const char *syn_set_message(const struct syn_set *set, size_t i)
{
    return i < set->msgs.n ? set->msgs.text[i] : NULL;
}

struct notes *syn_set_notes(struct syn_set *set)
{
    return &set->msgs;
}

const char *syn_set_origin(struct syn_set *set, const char *name)
{
    for (size_t i = 0; i < set->norig; i++)
        if (strcmp(set->origins[i], name) == 0)
            return set->origins[i];
    set->origins = grow(set->origins, &set->caporig, set->norig, sizeof *set->origins);
    set->origins[set->norig] = xstrdup(name);
    return set->origins[set->norig++];
}

bool syn_set_has_origin(const struct syn_set *set, const char *name)
{
    for (size_t i = 0; i < set->norig; i++)
        if (strcmp(set->origins[i], name) == 0)
            return true;
    return false;
}

struct syn_syntax *syn_set_add(struct syn_set *set, const char *name, const char *origin,
                               unsigned line)
{
    struct syn_syntax *syn = wf_xcalloc(1, sizeof *syn);
    syn->name = xstrdup(name);
    syn->origin = origin;
    syn->line = line;
    set->syn = grow(set->syn, &set->capsyn, set->nsyn, sizeof *set->syn);
    set->syn[set->nsyn++] = syn;
    return syn;
}

static void choices_add(struct choices *c, const char *regex)
{
    c->v = grow(c->v, &c->cap, c->n, sizeof *c->v);
    c->v[c->n++] = (struct choice){ .src = xstrdup(regex) };
}

void syn_add_file_regex(struct syn_syntax *syn, const char *regex)
{
    choices_add(&syn->files, regex);
}

void syn_add_header_regex(struct syn_syntax *syn, const char *regex)
{
    choices_add(&syn->headers, regex);
}

void syn_set_comment(struct syn_syntax *syn, const char *comment)
{
    free(syn->comment);
    syn->comment = xstrdup(comment);
}

void syn_set_tabgives(struct syn_syntax *syn, const char *tabgives)
{
    free(syn->tabgives);
    syn->tabgives = xstrdup(tabgives);
}

bool syn_add_rule(struct syn_syntax *syn, syn_style style, bool icase, const char *start,
                  const char *end, const char *origin, unsigned line)
{
    if (end && syn->nregions >= SYN_MAX_REGIONS)
        return false;
    syn->rules = grow(syn->rules, &syn->cap, syn->nrules, sizeof *syn->rules);
    syn->rules[syn->nrules++] = (struct syn_rule){
        .style = style,
        .icase = icase,
        .start = xstrdup(start),
        .end = end ? xstrdup(end) : NULL,
        .origin = origin,
        .line = line,
        .region = end ? syn->nregions++ : 0,
    };
    return true;
}
