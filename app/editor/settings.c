/* The settings file (see settings.h).
 *
 * A table of keys, each with a parser for its value; a line is split into its key and the
 * rest (trimmed), the key looked up, the value parsed into the settings or a message made
 * that names the file, the line, what was wrong and what is allowed. */
#include "app/editor/settings.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/editor/paths.h"
#include "app/editor/smallfile.h"
#include "core/mem.h"
#include "core/utf8.h"

void settings_defaults(struct settings *s)
{
    *s = (struct settings){ .tabwidth = 8, .syntax = true, .scheme = SYN_SCHEME_DARK };
}

/* A value's parser: false (with *why set) when the value is not valid. */
typedef bool (*value_fn)(struct settings *s, const char *v, size_t n, const char **why);

static bool word_is(const char *v, size_t n, const char *w)
{
    return strlen(w) == n && strncasecmp(v, w, n) == 0;
}

static bool parse_bool(const char *v, size_t n, bool *out, const char **why)
{
    static const char *const yes[] = { "on", "yes", "true", "1" };
    static const char *const no[] = { "off", "no", "false", "0" };
    for (size_t i = 0; i < 4; i++) {
        if (word_is(v, n, yes[i]))
            return *out = true;
        if (word_is(v, n, no[i])) {
            *out = false;
            return true;
        }
    }
    *why = "must be on or off (or yes/no, true/false, 1/0)";
    return false;
}

static bool v_tabwidth(struct settings *s, const char *v, size_t n, const char **why)
{
    unsigned w = 0;
    size_t i = 0;
    while (i < n && v[i] >= '0' && v[i] <= '9' && w <= SETTINGS_TABWIDTH_MAX)
        w = w * 10 + (unsigned)(v[i++] - '0');
    if (n == 0 || i != n || w < 1 || w > SETTINGS_TABWIDTH_MAX) {
        *why = "must be a number from 1 to 16";
        return false;
    }
    s->tabwidth = w;
    return true;
}

static bool v_tabstospaces(struct settings *s, const char *v, size_t n, const char **why)
{
    return parse_bool(v, n, &s->tabstospaces, why);
}

static bool v_linenumbers(struct settings *s, const char *v, size_t n, const char **why)
{
    return parse_bool(v, n, &s->linenumbers, why);
}

static bool v_softwrap(struct settings *s, const char *v, size_t n, const char **why)
{
    return parse_bool(v, n, &s->softwrap, why);
}

static bool v_syntax(struct settings *s, const char *v, size_t n, const char **why)
{
    return parse_bool(v, n, &s->syntax, why);
}

static bool v_scheme(struct settings *s, const char *v, size_t n, const char **why)
{
    if (word_is(v, n, "dark"))
        s->scheme = SYN_SCHEME_DARK;
    else if (word_is(v, n, "light"))
        s->scheme = SYN_SCHEME_LIGHT;
    else {
        *why = "must be dark or light";
        return false;
    }
    return true;
}

static bool v_name(struct settings *s, const char *v, size_t n, const char **why)
{
    if (n == 0 || n > WN_NAME_MAX) {
        *why = "must be 1 to 64 bytes long";
        return false;
    }
    for (size_t i = 0; i < n;) {
        size_t len;
        int32_t c = wf_utf8_decode(v + i, n - i, &len);
        if (WF_UTF8_IS_RAW(c) || c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
            *why = "must be UTF-8 text without control characters";
            return false;
        }
        i += len;
    }
    memcpy(s->name, v, n);
    s->name[n] = '\0';
    return true;
}

static const struct key {
    const char *name;
    unsigned bit;
    value_fn parse;
} keys[] = {
    { "tabwidth", SETTING_TABWIDTH, v_tabwidth },
    { "tabstospaces", SETTING_TABSTOSPACES, v_tabstospaces },
    { "linenumbers", SETTING_LINENUMBERS, v_linenumbers },
    { "softwrap", SETTING_SOFTWRAP, v_softwrap },
    { "syntax", SETTING_SYNTAX, v_syntax },
    { "colourscheme", SETTING_COLOURSCHEME, v_scheme },
    { "colorscheme", SETTING_COLOURSCHEME, v_scheme },
    { "name", SETTING_NAME, v_name },
};

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* One line (no line break). */
static void parse_line(struct settings *s, const char *origin, unsigned no, const char *l,
                       size_t n, struct notes *notes)
{
    size_t i = 0;
    while (i < n && blank(l[i]))
        i++;
    while (n > i && (blank(l[n - 1]) || l[n - 1] == '\r'))
        n--;
    if (i == n || l[i] == '#')
        return;
    if (memchr(l + i, '\0', n - i)) {
        notes_add(notes, "%s line %u: holds a NUL byte; the line is ignored (is this a text file?)",
             origin, no);
        return;
    }
    size_t k = i;
    while (k < n && !blank(l[k]))
        k++;
    size_t v = k;
    while (v < n && blank(l[v]))
        v++;
    for (size_t j = 0; j < sizeof keys / sizeof keys[0]; j++) {
        if (strlen(keys[j].name) != k - i || memcmp(keys[j].name, l + i, k - i) != 0)
            continue;
        const char *why = "";
        if (keys[j].parse(s, l + v, n - v, &why))
            s->given |= keys[j].bit;
        else
            notes_add(notes, "%s line %u: %s %s, not \"%.*s\"; the line is ignored", origin, no,
                 keys[j].name, why, (int)(n - v > 40 ? 40 : n - v), l + v);
        return;
    }
    notes_add(notes, "%s line %u: \"%.*s\" is not a setting (known: tabwidth, tabstospaces, "
         "linenumbers, softwrap, syntax, colourscheme, name); the line is ignored", origin, no,
         (int)(k - i > 40 ? 40 : k - i), l + i);
}

void settings_parse(struct settings *s, const char *origin, const char *text, size_t n,
                    struct notes *notes)
{
    unsigned no = 0;
    for (const char *p = text, *end = text + n; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        parse_line(s, origin, ++no, p, len, notes);
        p = nl ? nl + 1 : end;
    }
}

char *settings_path(void)
{
    return paths_config("weft/weftrc");
}

void settings_load(struct settings *s, const char *path, struct notes *notes)
{
    char *own = path ? NULL : settings_path();
    if (!path)
        path = own;
    if (!path)
        return;
    char *buf;
    size_t n;
    int err = smallfile_read(path, SETTINGS_MAX_BYTES, &buf, &n);
    if (err == 0) {
        settings_parse(s, path, buf, n, notes);
        free(buf);
    } else if (err == -EFBIG) {
        notes_add(notes, "%s is larger than %zu bytes, too large for a settings file; it was not "
             "read", path, SETTINGS_MAX_BYTES);
    } else if (err == -EISDIR) {
        notes_add(notes, "%s is not a regular file; the settings were not read", path);
    } else if (err != -ENOENT && err != -ENOTDIR) {
        notes_add(notes, "cannot read the settings file %s: %s", path, strerror(-err));
    }
    free(own);
}

bool settings_syntax_on(const struct settings *s, const char *no_color)
{
    return s->syntax && !(no_color && *no_color);
}
