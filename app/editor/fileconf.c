/* A file's conventions (see fileconf.h).
 *
 * EditorConfig: libeditorconfig finds the .editorconfig files from the file's directory
 * up to one that says root = true, matches their sections' globs against the file's path
 * and hands back the resulting name = value pairs (nearer files win; it also fills
 * tab_width from indent_size and the reverse, as the specification says).
 *
 * Detection: in the first lines, count the lines indented with a tab and those indented
 * with two or more spaces, and, between consecutive lines indented with spaces (or not
 * at all), the histogram of indent changes of 2..8 columns; the most frequent change is
 * the width (ties go to the smaller). Blank lines and the lines of a C block comment
 * (" * ...") are skipped: their indent says nothing about the file's. */
#include "app/editor/fileconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <editorconfig/editorconfig.h>

#include "core/mem.h"

/* --- detection ------------------------------------------------------------------------- */

/* Whether [p, e) holds only blanks (a CR before the line break included). */
static bool blank_rest(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    return p == e;
}

void fileconf_detect(const char *text, size_t n, struct fileconf_guess *g)
{
    memset(g, 0, sizeof *g);
    if (!text)
        return;
    if (n > FILECONF_DETECT_BYTES)
        n = FILECONF_DETECT_BYTES;
    size_t hist[9] = { 0 }, prev = 0, lines = 0;
    bool prev_ok = true; /* the previous counted line was indented with spaces only, or not */
    for (const char *p = text, *end = text + n; p < end && lines < FILECONF_DETECT_LINES;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line = p, *le = nl ? nl : end;
        p = nl ? nl + 1 : end;
        lines++;
        const char *q = line;
        while (q < le && *q == ' ')
            q++;
        size_t indent = (size_t)(q - line);
        if (blank_rest(q, le) || (*q == '*' && indent > 0))
            continue;
        if (*q == '\t') { /* a tab, after spaces or not */
            g->tab_lines++;
            prev_ok = false;
            continue;
        }
        if (indent >= 2)
            g->space_lines++;
        size_t d = indent > prev ? indent - prev : prev - indent;
        if (prev_ok && d >= 2 && d <= 8)
            hist[d]++;
        prev = indent;
        prev_ok = true;
    }
    g->known = g->tab_lines + g->space_lines >= 3;
    g->spaces = g->space_lines > g->tab_lines;
    size_t best = 0;
    for (unsigned w = 2; w <= 8; w++)
        if (hist[w] > best) {
            best = hist[w];
            g->width = w;
        }
}

/* --- EditorConfig ---------------------------------------------------------------------- */

/* What the EditorConfig files said (0 / -1 / KEEP: nothing). */
struct ec {
    int spaces;         /* indent_style: 1 space, 0 tab, -1 unsaid */
    unsigned indent;    /* indent_size in columns, 0 unsaid */
    bool indent_tab;    /* indent_size = tab */
    unsigned tab;       /* tab_width, 0 unsaid */
    enum fileconf_tri trim, final;
    enum fileconf_eol eol;
};

/* A width of 1..SETTINGS_TABWIDTH_MAX, or 0. */
static unsigned width_of(const char *v)
{
    char *end;
    errno = 0;
    long w = strtol(v, &end, 10);
    if (errno || end == v || *end || w < 1 || w > SETTINGS_TABWIDTH_MAX)
        return 0;
    return (unsigned)w;
}

static void bad_value(struct notes *notes, const char *path, const char *name,
                      const char *value, const char *allowed)
{
    if (notes)
        notes_add(notes, "EditorConfig for %s: %s = %.40s is not understood (%s); it is not "
                  "used", path, name, value, allowed);
}

static void ec_value(struct ec *ec, const char *path, const char *name, const char *v,
                     struct notes *notes)
{
    if (strcasecmp(v, "unset") == 0)
        return;
    if (strcasecmp(name, "indent_style") == 0) {
        if (strcasecmp(v, "space") == 0 || strcasecmp(v, "tab") == 0)
            ec->spaces = strcasecmp(v, "space") == 0;
        else
            bad_value(notes, path, name, v, "space or tab");
    } else if (strcasecmp(name, "indent_size") == 0) {
        if (strcasecmp(v, "tab") == 0)
            ec->indent_tab = true;
        else if (!(ec->indent = width_of(v)))
            bad_value(notes, path, name, v, "a number from 1 to 16, or tab");
    } else if (strcasecmp(name, "tab_width") == 0) {
        if (!(ec->tab = width_of(v)))
            bad_value(notes, path, name, v, "a number from 1 to 16");
    } else if (strcasecmp(name, "end_of_line") == 0) {
        if (strcasecmp(v, "lf") == 0)
            ec->eol = FILECONF_EOL_LF;
        else if (strcasecmp(v, "crlf") == 0)
            ec->eol = FILECONF_EOL_CRLF;
        else if (strcasecmp(v, "cr") == 0)
            ec->eol = FILECONF_EOL_CR;
        else
            bad_value(notes, path, name, v, "lf, crlf or cr");
    } else if (strcasecmp(name, "trim_trailing_whitespace") == 0 ||
               strcasecmp(name, "insert_final_newline") == 0) {
        enum fileconf_tri *t = name[0] == 't' || name[0] == 'T' ? &ec->trim : &ec->final;
        if (strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0)
            *t = strcasecmp(v, "true") == 0 ? FILECONF_YES : FILECONF_NO;
        else
            bad_value(notes, path, name, v, "true or false");
    }
    /* charset, max_line_length and editors' own keys: not weft's business */
}

/* path made absolute: a new string (free with free()), or NULL. */
static char *absolute(const char *path)
{
    if (path[0] == '/')
        return wf_xstrndup(path, strlen(path));
    size_t cap = 256;
    char *cwd = wf_xmalloc(cap);
    while (!getcwd(cwd, cap)) {
        if (errno != ERANGE) {
            free(cwd);
            return NULL;
        }
        cap *= 2;
        cwd = wf_xrealloc(cwd, cap);
    }
    size_t c = strlen(cwd), p = strlen(path);
    cwd = wf_xrealloc(cwd, c + p + 2);
    cwd[c] = '/';
    memcpy(cwd + c + 1, path, p + 1);
    return cwd;
}

static void read_editorconfig(const char *path, struct ec *ec, struct notes *notes)
{
    char *abs = absolute(path);
    if (!abs) {
        if (notes)
            notes_add(notes, "EditorConfig for %s: the working directory cannot be read (%s); "
                      "no .editorconfig file is used", path, strerror(errno));
        return;
    }
    editorconfig_handle h = editorconfig_handle_init();
    if (!h) {
        free(abs);
        if (notes)
            notes_add(notes, "EditorConfig for %s: out of memory; not used", path);
        return;
    }
    int err = editorconfig_parse(abs, h);
    if (err > 0 && notes) {
        const char *file = editorconfig_handle_get_err_file(h);
        notes_add(notes, "%s line %d cannot be parsed (EditorConfig); its settings are not "
                  "used for %s. Fix that line (https://editorconfig.org).",
                  file ? file : ".editorconfig", err, abs);
    } else if (err < 0 && notes) {
        notes_add(notes, "EditorConfig for %s: %s; not used", abs,
                  editorconfig_get_error_msg(err));
    } else if (err == 0) {
        int count = editorconfig_handle_get_name_value_count(h);
        for (int i = 0; i < count; i++) {
            const char *name, *value;
            editorconfig_handle_get_name_value(h, i, &name, &value);
            if (name && value)
                ec_value(ec, abs, name, value, notes);
        }
    }
    editorconfig_handle_destroy(h);
    free(abs);
}

/* --- resolution -------------------------------------------------------------------------- */

void fileconf_resolve(struct fileconf *fc, const char *path, const struct settings *s,
                      const char *sample, size_t n, struct notes *notes)
{
    struct ec ec = { .spaces = -1, .trim = FILECONF_UNSAID, .final = FILECONF_UNSAID,
                     .eol = FILECONF_EOL_KEEP };
    if (path && *path)
        read_editorconfig(path, &ec, notes);
    struct fileconf_guess g;
    fileconf_detect(sample, n, &g);
    bool s_tab = s->given & SETTING_TABWIDTH, s_spaces = s->given & SETTING_TABSTOSPACES;
    *fc = (struct fileconf){ .trim_trailing = ec.trim, .final_newline = ec.final,
                             .eol = ec.eol };

    if (ec.tab) {
        fc->tab_width = ec.tab;
        fc->tab_from = FILECONF_EDITORCONFIG;
    } else {
        fc->tab_width = s->tabwidth;
        fc->tab_from = s_tab ? FILECONF_SETTINGS : FILECONF_DEFAULT;
    }

    if (ec.spaces >= 0) {
        fc->spaces = ec.spaces;
        fc->spaces_from = FILECONF_EDITORCONFIG;
    } else if (s_spaces || !g.known) {
        fc->spaces = s->tabstospaces;
        fc->spaces_from = s_spaces ? FILECONF_SETTINGS : FILECONF_DEFAULT;
    } else {
        fc->spaces = g.spaces;
        fc->spaces_from = FILECONF_DETECTED;
    }

    if (ec.indent_tab || ec.indent) {
        fc->indent_width = ec.indent ? ec.indent : fc->tab_width;
        fc->indent_from = FILECONF_EDITORCONFIG;
    } else if (s_tab) {
        fc->indent_width = s->tabwidth;
        fc->indent_from = FILECONF_SETTINGS;
    } else if (fc->spaces && g.known && g.spaces && g.width) {
        fc->indent_width = g.width;
        fc->indent_from = FILECONF_DETECTED;
    } else {
        fc->indent_width = fc->tab_width;
        fc->indent_from = fc->tab_from;
    }
}
