/* A file's conventions: how it is indented, how wide a tab is, its line ends, and what to
 * do with trailing whitespace and the final newline when it is saved.
 *
 * Each comes from the first of: the file's EditorConfig (.editorconfig files, read with
 * Debian's libeditorconfig: indent_style, indent_size, tab_width, end_of_line,
 * trim_trailing_whitespace, insert_final_newline; https://editorconfig.org), the settings
 * file when it gave the key (app/editor/settings.h: tabwidth, tabstospaces), what is
 * detected from the file's first lines (spaces or tabs, and the common indent width), and
 * the defaults (tabs, 8 columns). Line ends, trimming and the final newline come from
 * EditorConfig only; without it the editor keeps the file as it is.
 *
 * How the editor uses it, when it opens (or saves as) a file:
 *
 *     struct fileconf fc;
 *     fileconf_resolve(&fc, abs_path, &settings, first_bytes, n, &notes);
 *     tab display: fc.tab_width; Tab inserts fc.spaces ? fc.indent_width spaces : "\t";
 *     Shift-Tab removes one level (fc.indent_width columns); on save: fc.trim_trailing,
 *     fc.final_newline, fc.eol. A syntax's `tabgives` (syntax.h) overrides what Tab
 *     inserts, as in nano.
 *
 * Units: columns and bytes. No state; nothing to free. */
#ifndef WEFT_APP_EDITOR_FILECONF_H
#define WEFT_APP_EDITOR_FILECONF_H

#include <stdbool.h>
#include <stddef.h>

#include "app/editor/notes.h"
#include "app/editor/settings.h"

/* Bytes of a file's start that detection looks at, at most (and FILECONF_DETECT_LINES
 * lines). */
#define FILECONF_DETECT_BYTES ((size_t)64 << 10)
#define FILECONF_DETECT_LINES 1000

/* Where a value came from. */
enum fileconf_from {
    FILECONF_DEFAULT,
    FILECONF_DETECTED,
    FILECONF_SETTINGS,
    FILECONF_EDITORCONFIG,
};

enum fileconf_eol { FILECONF_EOL_KEEP, FILECONF_EOL_LF, FILECONF_EOL_CRLF, FILECONF_EOL_CR };

/* A yes / no that may not have been said. */
enum fileconf_tri { FILECONF_UNSAID = -1, FILECONF_NO = 0, FILECONF_YES = 1 };

struct fileconf {
    unsigned tab_width;         /* columns a tab shows as, 1..SETTINGS_TABWIDTH_MAX */
    unsigned indent_width;      /* columns of one indentation level, 1..16 */
    bool spaces;                /* indent with spaces (else tabs) */
    enum fileconf_tri trim_trailing; /* remove trailing blanks on save */
    enum fileconf_tri final_newline; /* end the file with a line break on save (NO: remove) */
    enum fileconf_eol eol;      /* line ends to write; KEEP: the file's own */
    enum fileconf_from tab_from, indent_from, spaces_from; /* for the help screen */
};

/* What the start of a file suggests. */
struct fileconf_guess {
    bool known;        /* enough indented lines to say */
    bool spaces;       /* most indented lines start with spaces */
    unsigned width;    /* the common step between indent levels (2..8), 0: not clear */
    size_t tab_lines;  /* lines indented with a tab */
    size_t space_lines;/* lines indented with (two or more) spaces */
};

/* Looks at text[0..n) (at most FILECONF_DETECT_BYTES and FILECONF_DETECT_LINES of it).
 * Blank lines, and lines of a C-style block comment (" * ..."), do not count. */
void fileconf_detect(const char *text, size_t n, struct fileconf_guess *g);

/* Fills *fc for the file at path (absolute, or relative to the working directory; it need
 * not exist yet), settings s, and the file's first bytes sample[0..n) (may be NULL when n
 * is 0). EditorConfig files that cannot be parsed, and values it does not understand, add
 * a message to notes (if not NULL) and are not used. */
void fileconf_resolve(struct fileconf *fc, const char *path, const struct settings *s,
                      const char *sample, size_t n, struct notes *notes);

#endif
