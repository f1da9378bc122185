/* Reading nano's syntax files into a syntax set (app/editor/syntax.h).
 *
 * The format is nano 7's (nanorc(5), "SYNTAX HIGHLIGHTING"): `syntax NAME "fileregex"...`,
 * `header "regex"...`, `magic` (parsed and ignored: weft does not use libmagic), `comment`,
 * `tabgives`, `linter` and `formatter` (ignored), `color` / `icolor` with a colour
 * combination (app/editor/colour.h) and regexes or `start="regex" end="regex"` regions,
 * and `extendsyntax NAME COMMAND ...`. A regex is the text between a double quote and the
 * next double quote that is followed by a blank or the end of the line, as in nano. The
 * user's nanorc (~/.nanorc) is read for its `include` lines (globs, "~/" allowed), its
 * `extendsyntax` lines and any syntaxes it defines; its options (`set`, `bind`, ...) are
 * nano's business and skipped.
 *
 * A file is all or nothing: when any line cannot be parsed, no syntax from that file is
 * used and the set gets one message naming the file, the first bad line and why (and how
 * many other lines were bad). Nothing a file holds can crash the reader: sizes are capped,
 * NUL bytes and unterminated quotes are errors. Regexes are not compiled here (that is
 * lazy: syntax.h), so a bad regex disables only its own rule, when it is first used.
 *
 * Loading order (nanorc_load_standard()): the *.nanorc files of /usr/share/nano (sorted),
 * then the include lines of the user's nanorc, then the *.nanorc files of
 * ~/.config/weft/syntax ($XDG_CONFIG_HOME honoured). Later definitions win when two
 * syntaxes claim a file, so the user's own weft syntaxes override everything. A file
 * already read (same real path) is not read again: nanorc files often include all of
 * /usr/share/nano themselves. */
#ifndef WEFT_APP_EDITOR_NANORC_H
#define WEFT_APP_EDITOR_NANORC_H

#include <stdbool.h>
#include <stddef.h>

#include "app/editor/syntax.h"

/* Largest syntax or nanorc file read, in bytes (nano's biggest is under 10 KB). */
#define NANORC_MAX_BYTES ((size_t)1 << 20)

/* Where nano's own syntax files are: the *.nanorc files of /usr/share/nano. */
#define NANORC_SYSTEM_GLOB "/usr/share/nano/*.nanorc"

enum nanorc_kind {
    NANORC_SYNTAX_FILE, /* only syntax commands (a *.nanorc file, or one included) */
    NANORC_RC_FILE,     /* a user's nanorc: include lines too; options are skipped */
};

/* Parses text[0..n) read from origin (a name for messages; the set interns it) and adds
 * its syntaxes to set. Returns true when the file was used, false when it was skipped (a
 * message was added). An rc file's include lines are loaded as they come, each included
 * file on its own (so they stay loaded even when a later line of the rc file is bad, and
 * the rc file's own syntaxes come after them). */
bool nanorc_parse(struct syn_set *set, const char *origin, const char *text, size_t n,
                  enum nanorc_kind kind);

/* Reads the file at path and parses it. Returns true when it was used, or had been parsed
 * before (same real path: it is not parsed again); false when it was skipped or could not
 * be read (a message was added). A missing file is skipped without a message when
 * quiet_missing is true. */
bool nanorc_load_file(struct syn_set *set, const char *path, enum nanorc_kind kind,
                      bool quiet_missing);

/* Loads every file the glob pattern names (sorted; "~/" at its start is $HOME), each on its
 * own. Returns how many were used. No match is not an error. */
size_t nanorc_load_glob(struct syn_set *set, const char *pattern, enum nanorc_kind kind);

/* The three steps of the loading order; a NULL step is skipped. */
void nanorc_load_paths(struct syn_set *set, const char *system_glob, const char *nanorc,
                       const char *user_glob);

/* nanorc_load_paths() with NANORC_SYSTEM_GLOB, the user's nanorc (~/.nanorc, else
 * $XDG_CONFIG_HOME/nano/nanorc, else ~/.config/nano/nanorc) and the *.nanorc files of
 * $XDG_CONFIG_HOME/weft/syntax (else ~/.config/weft/syntax). Without HOME (and
 * XDG_CONFIG_HOME), only the system files are read. */
void nanorc_load_standard(struct syn_set *set);

#endif
