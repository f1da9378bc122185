/* Reading nano's syntax files (see nanorc.h).
 *
 * Two passes per file, so that a file is used whole or not at all: the first turns every
 * line into operations (define a syntax, add a regex, a rule, a comment string), checking
 * everything that can be checked without compiling a regex, and keeps the first bad
 * line's reason (counting the others); the second, only for a file without errors,
 * applies the operations to the set. Operations of `extendsyntax` name their syntax, the
 * others apply to the syntax defined last in the file. An rc file's `include` is loaded
 * during the first pass, when it is met, because the lines after it may extend the
 * syntaxes it brings; each included file is all or nothing on its own. */
#define _XOPEN_SOURCE 700 /* realpath(), which glibc declares only for X/Open */
#include "app/editor/nanorc.h"

#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/editor/paths.h"
#include "app/editor/smallfile.h"
#include "core/mem.h"

enum op_kind { OP_SYNTAX, OP_FILE_RE, OP_HEADER, OP_COMMENT, OP_TABGIVES, OP_RULE };

struct op {
    enum op_kind kind;
    unsigned line;   /* 1-based */
    char *target;    /* the syntax named by extendsyntax; NULL: the current one; owned */
    char *a;         /* name, regex, string or start regex; owned */
    char *b;         /* a region's end regex, else NULL; owned */
    syn_style style; /* OP_RULE */
    bool icase;      /* OP_RULE: icolor */
};

struct parse {
    struct syn_set *set;
    enum nanorc_kind kind;
    struct op *ops;    /* owned */
    size_t nops, cap;
    bool open;         /* a syntax is open (commands without a target go to it) */
    bool open_default; /* ... and it is "default" */
    unsigned line;     /* the line being parsed */
    char why[320];     /* the first error */
    unsigned bad_line; /* its line, 0: none yet */
    unsigned bad;      /* lines with errors */
};

/* Records that the current line is bad (keeping the first reason). Returns false. */
__attribute__((format(printf, 2, 3))) static bool fail(struct parse *ps, const char *fmt, ...)
{
    if (ps->bad_line == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ps->why, sizeof ps->why, fmt, ap);
        va_end(ap);
        ps->bad_line = ps->line;
    }
    return false;
}

static struct op *add_op(struct parse *ps, enum op_kind kind, const char *target)
{
    if (ps->nops == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 32;
        ps->ops = wf_xreallocarray(ps->ops, ps->cap, sizeof *ps->ops);
    }
    struct op *op = &ps->ops[ps->nops++];
    *op = (struct op){ .kind = kind, .line = ps->line,
                       .target = target ? wf_xstrndup(target, strlen(target)) : NULL };
    return op;
}

static void free_ops(struct parse *ps)
{
    for (size_t i = 0; i < ps->nops; i++) {
        free(ps->ops[i].target);
        free(ps->ops[i].a);
        free(ps->ops[i].b);
    }
    free(ps->ops);
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *p)
{
    while (blank(*p))
        p++;
    return p;
}

/* The word at *p (up to a blank or the end); *p moves past it and the blanks after. */
static char *next_word(const char **p)
{
    const char *s = *p, *e = s;
    while (*e && !blank(*e))
        e++;
    *p = skip_blanks(e);
    return wf_xstrndup(s, (size_t)(e - s));
}

/* A regex at *p: a double quote, then text up to the next double quote that is followed
 * by a blank or the end of the line (nano's rule: a regex cannot hold `" `). Returns a new
 * string and moves *p past it and the blanks after; NULL (a failure recorded) if there is
 * no such regex or it is empty. */
static char *next_regex(struct parse *ps, const char **p, const char *what)
{
    const char *s = *p;
    if (*s != '"') {
        fail(ps, "%s must be in double quotes", what);
        return NULL;
    }
    const char *e = s + 1;
    while (*e && !(*e == '"' && (e[1] == '\0' || blank(e[1]))))
        e++;
    if (*e == '\0') {
        fail(ps, "%s has no closing double quote (one followed by a blank or the end of "
             "the line)", what);
        return NULL;
    }
    if (e == s + 1) {
        fail(ps, "%s is empty", what);
        return NULL;
    }
    *p = skip_blanks(e + 1);
    return wf_xstrndup(s + 1, (size_t)(e - s - 1));
}

/* A string argument (comment, tabgives, linter, include): in double quotes up to the last
 * double quote of the line, or else the rest of the line. NULL (failure) when missing. */
static char *next_string(struct parse *ps, const char **p, const char *cmd)
{
    const char *s = *p;
    if (*s == '\0') {
        fail(ps, "'%s' needs an argument", cmd);
        return NULL;
    }
    size_t n = strlen(s);
    *p = s + n;
    if (*s != '"')
        return wf_xstrndup(s, n);
    const char *q = strrchr(s, '"');
    if (q == s) {
        fail(ps, "the argument of '%s' has no closing double quote", cmd);
        return NULL;
    }
    return wf_xstrndup(s + 1, (size_t)(q - s - 1));
}

/* Whether commands for target (NULL: the open syntax) may be given here. */
static bool have_syntax(struct parse *ps, const char *target, const char *cmd)
{
    if (!target && !ps->open)
        return fail(ps, "'%s' needs a 'syntax' line before it", cmd);
    return true;
}

/* `color` / `icolor`: a colour combination, then regexes or start=/end= pairs. */
static bool parse_rule(struct parse *ps, const char *p, const char *target, bool icase)
{
    const char *cmd = icase ? "icolor" : "color";
    if (!have_syntax(ps, target, cmd))
        return false;
    if (*p == '\0' || *p == '"')
        return fail(ps, "'%s' needs a colour before its regexes", cmd);
    char *combo = next_word(&p);
    char why[200];
    syn_style style;
    enum colour_parse cp = colour_parse(combo, strlen(combo), &style, why, sizeof why);
    free(combo);
    if (cp == COLOUR_BAD)
        return fail(ps, "%s", why);
    if (*p == '\0')
        return fail(ps, "'%s' needs a regex after its colour", cmd);
    while (*p) {
        char *start, *end = NULL;
        if (strncmp(p, "start=", 6) == 0) {
            p += 6;
            if (!(start = next_regex(ps, &p, "a start= regex")))
                return false;
            if (strncmp(p, "end=", 4) != 0) {
                free(start);
                return fail(ps, "a start= regex needs an end= regex after it");
            }
            p += 4;
            if (!(end = next_regex(ps, &p, "an end= regex"))) {
                free(start);
                return false;
            }
        } else if (!(start = next_regex(ps, &p, "a regex"))) {
            return false;
        }
        if (cp == COLOUR_BG_ONLY) { /* nothing to paint: weft keeps backgrounds for others */
            free(start);
            free(end);
            continue;
        }
        struct op *op = add_op(ps, OP_RULE, target);
        op->a = start;
        op->b = end;
        op->style = style;
        op->icase = icase;
    }
    return true;
}

/* `header` / `magic`: regexes on the first line (magic: on libmagic's answer, unused). */
static bool parse_choice(struct parse *ps, const char *p, const char *target, bool magic)
{
    const char *cmd = magic ? "magic" : "header";
    if (!have_syntax(ps, target, cmd))
        return false;
    if (!target && ps->open_default)
        return fail(ps, "the \"default\" syntax takes no '%s' regexes", cmd);
    if (*p == '\0')
        return fail(ps, "'%s' needs a regex", cmd);
    while (*p) {
        char *re = next_regex(ps, &p, "a regex");
        if (!re)
            return false;
        if (magic) {
            free(re);
            continue;
        }
        add_op(ps, OP_HEADER, target)->a = re;
    }
    return true;
}

/* `comment`, `tabgives`, `linter`, `formatter`: one string. */
static bool parse_string_cmd(struct parse *ps, const char *p, const char *target,
                             const char *cmd, int kind)
{
    if (!have_syntax(ps, target, cmd))
        return false;
    char *s = next_string(ps, &p, cmd);
    if (!s)
        return false;
    if (kind < 0) {
        free(s);
        return true;
    }
    add_op(ps, (enum op_kind)kind, target)->a = s;
    return true;
}

static bool parse_syntax(struct parse *ps, const char *p)
{
    char *name = next_word(&p);
    size_t n = strlen(name);
    if (n >= 2 && name[0] == '"' && name[n - 1] == '"') {
        memmove(name, name + 1, n - 2);
        name[n - 2] = '\0';
    }
    if (name[0] == '\0' || name[0] == '"') {
        free(name);
        return fail(ps, "'syntax' needs a name");
    }
    if (strcmp(name, "none") == 0) {
        free(name);
        return fail(ps, "the syntax name \"none\" is reserved (it means no syntax)");
    }
    bool is_default = strcmp(name, "default") == 0;
    if (is_default && *p) {
        free(name);
        return fail(ps, "the \"default\" syntax takes no file-name regexes");
    }
    add_op(ps, OP_SYNTAX, NULL)->a = name;
    while (*p) {
        char *re = next_regex(ps, &p, "a file-name regex");
        if (!re)
            return false;
        add_op(ps, OP_FILE_RE, NULL)->a = re;
    }
    ps->open = true;
    ps->open_default = is_default;
    return true;
}

static bool parse_command(struct parse *ps, const char *kw, const char *p, const char *target);

/* `extendsyntax NAME COMMAND ...`: COMMAND applies to the syntax NAME. */
static bool parse_extend(struct parse *ps, const char *p)
{
    char *name = next_word(&p);
    bool ok = false;
    if (name[0] == '\0' || *p == '\0') {
        fail(ps, "'extendsyntax' needs a syntax name and a command");
    } else {
        ok = syn_set_find(ps->set, name) != NULL;
        for (size_t i = 0; i < ps->nops && !ok; i++)
            ok = ps->ops[i].kind == OP_SYNTAX && strcmp(ps->ops[i].a, name) == 0;
        if (!ok)
            fail(ps, "there is no syntax \"%s\" to extend (it must be defined before)", name);
    }
    if (ok) {
        char *kw = next_word(&p);
        if (strcmp(kw, "syntax") == 0 || strcmp(kw, "include") == 0 ||
            strcmp(kw, "extendsyntax") == 0)
            ok = fail(ps, "'extendsyntax' cannot extend with '%s'", kw);
        else
            ok = parse_command(ps, kw, p, name);
        free(kw);
    }
    free(name);
    return ok;
}

/* One command with its arguments at p. target: the syntax of an extendsyntax, or NULL. */
static bool parse_command(struct parse *ps, const char *kw, const char *p, const char *target)
{
    if (strcmp(kw, "color") == 0 || strcmp(kw, "icolor") == 0)
        return parse_rule(ps, p, target, kw[0] == 'i');
    if (strcmp(kw, "header") == 0 || strcmp(kw, "magic") == 0)
        return parse_choice(ps, p, target, kw[0] == 'm');
    if (strcmp(kw, "comment") == 0)
        return parse_string_cmd(ps, p, target, kw, OP_COMMENT);
    if (strcmp(kw, "tabgives") == 0)
        return parse_string_cmd(ps, p, target, kw, OP_TABGIVES);
    if (strcmp(kw, "linter") == 0 || strcmp(kw, "formatter") == 0)
        return parse_string_cmd(ps, p, target, kw, -1);
    if (!target && strcmp(kw, "syntax") == 0)
        return parse_syntax(ps, p);
    if (!target && strcmp(kw, "extendsyntax") == 0)
        return parse_extend(ps, p);
    if (!target && strcmp(kw, "include") == 0) {
        if (ps->kind != NANORC_RC_FILE)
            return fail(ps, "'include' is only allowed in a nanorc, not in a syntax file");
        char *pat = next_string(ps, &p, kw);
        if (!pat)
            return false;
        /* Now, not in the second pass: the lines after it may extend what it defines. */
        nanorc_load_glob(ps->set, pat, NANORC_SYNTAX_FILE);
        free(pat);
        ps->open = ps->open_default = false;
        return true;
    }
    if (ps->kind == NANORC_RC_FILE && !target)
        return true; /* set, unset, bind, unbind, ...: nano's options, not ours */
    return fail(ps, "'%s' is not a command of nano's syntax files", kw);
}

/* Parses one line (NUL-terminated, no line break). */
static void parse_line(struct parse *ps, const char *line)
{
    const char *p = skip_blanks(line);
    if (*p == '\0' || *p == '#')
        return;
    char *kw = next_word(&p);
    if (!parse_command(ps, kw, p, NULL))
        ps->bad++;
    free(kw);
}

static struct syn_syntax *op_syntax(struct syn_set *set, const struct op *op,
                                    struct syn_syntax *cur)
{
    return op->target ? syn_set_find(set, op->target) : cur;
}

/* Applies the operations of a file that parsed without errors. */
static void apply(struct parse *ps, const char *origin)
{
    struct syn_syntax *cur = NULL;
    for (size_t i = 0; i < ps->nops; i++) {
        const struct op *op = &ps->ops[i];
        if (op->kind == OP_SYNTAX) {
            cur = syn_set_add(ps->set, op->a, origin, op->line);
            continue;
        }
        struct syn_syntax *syn = op_syntax(ps->set, op, cur);
        if (!syn)
            continue; /* cannot happen: pass 1 checked it */
        switch (op->kind) {
        case OP_FILE_RE: syn_add_file_regex(syn, op->a); break;
        case OP_HEADER: syn_add_header_regex(syn, op->a); break;
        case OP_COMMENT: syn_set_comment(syn, op->a); break;
        case OP_TABGIVES: syn_set_tabgives(syn, op->a); break;
        case OP_RULE:
            if (!syn_add_rule(syn, op->style, op->icase, op->a, op->b, origin, op->line))
                notes_add(syn_set_notes(ps->set), "%s line %u: syntax \"%s\" has more than "
                          "%d start=/end= rules; this one is not used", origin, op->line,
                          syn_name(syn), SYN_MAX_REGIONS);
            break;
        default: break;
        }
    }
}

bool nanorc_parse(struct syn_set *set, const char *origin, const char *text, size_t n,
                  enum nanorc_kind kind)
{
    origin = syn_set_origin(set, origin);
    struct parse ps = { .set = set, .kind = kind };
    const char *p = text, *end = text + n;
    char *line = NULL;
    size_t cap = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        ps.line++;
        if (memchr(p, '\0', len)) {
            fail(&ps, "the line holds a NUL byte: this is not a text file");
            ps.bad++;
        } else {
            if (len + 1 > cap) {
                cap = len + 1;
                line = wf_xrealloc(line, cap);
            }
            memcpy(line, p, len);
            if (len && line[len - 1] == '\r')
                len--;
            line[len] = '\0';
            parse_line(&ps, line);
        }
        p = nl ? nl + 1 : end;
    }
    free(line);
    bool ok = ps.bad == 0;
    if (ok) {
        apply(&ps, origin);
    } else {
        char more[64] = "";
        if (ps.bad > 1)
            snprintf(more, sizeof more, " (and %u more bad lines)", ps.bad - 1);
        notes_add(syn_set_notes(set), "%s line %u: %s%s. No syntax from this file is used; "
                  "fix the line (nanorc(5) describes the format) or remove the file.", origin,
                  ps.bad_line, ps.why, more);
    }
    free_ops(&ps);
    return ok;
}

bool nanorc_load_file(struct syn_set *set, const char *path, enum nanorc_kind kind,
                      bool quiet_missing)
{
    char *real = realpath(path, NULL);
    if (!real) {
        int e = errno;
        if (!(quiet_missing && e == ENOENT))
            notes_add(syn_set_notes(set), "cannot read the syntax file %s: %s", path, strerror(e));
        return false;
    }
    if (syn_set_has_origin(set, real)) {
        free(real);
        return true;
    }
    char *buf = NULL;
    size_t n = 0;
    int err = smallfile_read(real, NANORC_MAX_BYTES, &buf, &n);
    bool ok = false;
    if (err == -EFBIG)
        notes_add(syn_set_notes(set), "%s is larger than %zu bytes, too large for a syntax "
                  "file; it was skipped", real, NANORC_MAX_BYTES);
    else if (err == -EISDIR)
        notes_add(syn_set_notes(set), "%s is not a regular file; it was skipped", real);
    else if (err)
        notes_add(syn_set_notes(set), "cannot read the syntax file %s: %s", real, strerror(-err));
    else
        ok = nanorc_parse(set, real, buf, n, kind);
    if (!err)
        free(buf);
    free(real);
    return ok;
}

/* "~/x" → "$HOME/x" (a new string; free with free()); NULL when HOME is needed but unset. */
static char *expand_home(const char *pattern)
{
    if (pattern[0] != '~')
        return wf_xstrndup(pattern, strlen(pattern));
    return pattern[1] == '/' ? paths_home(pattern + 2) : NULL;
}

size_t nanorc_load_glob(struct syn_set *set, const char *pattern, enum nanorc_kind kind)
{
    char *pat = expand_home(pattern);
    if (!pat) {
        notes_add(syn_set_notes(set), "cannot expand \"%s\": only \"~/\" (with HOME set) is "
                  "understood", pattern);
        return 0;
    }
    glob_t g;
    int rc = glob(pat, 0, NULL, &g);
    size_t used = 0;
    if (rc == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++)
            used += nanorc_load_file(set, g.gl_pathv[i], kind, false);
    } else if (rc != GLOB_NOMATCH) {
        notes_add(syn_set_notes(set), "cannot list the syntax files \"%s\" (%s)", pat,
                     rc == GLOB_NOSPACE ? "out of memory" : "a directory could not be read");
    }
    globfree(&g);
    free(pat);
    return used;
}

void nanorc_load_paths(struct syn_set *set, const char *system_glob, const char *nanorc,
                       const char *user_glob)
{
    if (system_glob)
        nanorc_load_glob(set, system_glob, NANORC_SYNTAX_FILE);
    if (nanorc)
        nanorc_load_file(set, nanorc, NANORC_RC_FILE, true);
    if (user_glob)
        nanorc_load_glob(set, user_glob, NANORC_SYNTAX_FILE);
}

void nanorc_load_standard(struct syn_set *set)
{
    char *rc = paths_home(".nanorc");
    if (rc && access(rc, F_OK) != 0) {
        free(rc);
        rc = paths_config("nano/nanorc");
    }
    char *user = paths_config("weft/syntax/*.nanorc");
    nanorc_load_paths(set, NANORC_SYSTEM_GLOB, rc, user);
    free(user);
    free(rc);
}
