/* The settings file: ~/.config/weft/weftrc ($XDG_CONFIG_HOME/weft/weftrc when that is set).
 *
 * One setting per line, `key value`, with blanks between; blank lines and lines whose
 * first non-blank character is `#` are comments. Keys, their values and defaults:
 *
 *     tabwidth N          display width of a tab, 1..16                     8 (as nano)
 *     tabstospaces B      Tab inserts spaces                                 off
 *     linenumbers B       show the line-number gutter                        off
 *     softwrap B          wrap long lines on screen                          off
 *     syntax B            syntax colours                                     on
 *     colourscheme S      dark or light (also spelt colorscheme)             dark
 *     name TEXT           the name others see (rest of the line, trimmed)    (none)
 *
 * B is on/off, yes/no, true/false or 1/0. A bad line (unknown key, bad value, a NUL byte)
 * gives a message with its line number and is skipped; every other line still applies,
 * and the editor starts. A later line for the same key wins. A missing file is no error.
 *
 * Precedence, for the editor to apply: the command line (-n/--name), then environment
 * variables (WEFT_NAME; NO_COLOR, non-empty, turns syntax colours off whatever this file
 * says: settings_syntax_on()), then this file, then the defaults. For a file's indentation
 * this file comes after its EditorConfig and before what is detected from its content
 * (app/editor/fileconf.h), so it records which keys were given. */
#ifndef WEFT_APP_EDITOR_SETTINGS_H
#define WEFT_APP_EDITOR_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "app/editor/colour.h"
#include "app/editor/notes.h"
#include "net/presence.h" /* WN_NAME_MAX */

#define SETTINGS_TABWIDTH_MAX 16
/* Largest settings file read, in bytes. */
#define SETTINGS_MAX_BYTES ((size_t)64 << 10)
/* Most messages to keep (notes_init(&notes, SETTINGS_MAX_NOTES, "the settings file")). */
#define SETTINGS_MAX_NOTES 16

/* Bits of settings.given: the keys the file set. */
enum {
    SETTING_TABWIDTH = 1 << 0,
    SETTING_TABSTOSPACES = 1 << 1,
    SETTING_LINENUMBERS = 1 << 2,
    SETTING_SOFTWRAP = 1 << 3,
    SETTING_SYNTAX = 1 << 4,
    SETTING_COLOURSCHEME = 1 << 5,
    SETTING_NAME = 1 << 6,
};

struct settings {
    unsigned tabwidth;              /* columns, 1..SETTINGS_TABWIDTH_MAX */
    bool tabstospaces;
    bool linenumbers;
    bool softwrap;
    bool syntax;
    enum syn_scheme scheme;
    char name[WN_NAME_MAX + 1];     /* UTF-8, no control characters; "" when not given */
    unsigned given;                 /* SETTING_* bits of the keys the file set */
};

/* The defaults above; nothing given. */
void settings_defaults(struct settings *s);

/* Applies the lines of text[0..n) over *s. origin names the file in messages. */
void settings_parse(struct settings *s, const char *origin, const char *text, size_t n,
                    struct notes *notes);

/* The settings file's path: a new string (free with free()), or NULL when neither
 * XDG_CONFIG_HOME (absolute) nor HOME is set. */
char *settings_path(void);

/* Reads the file at path (NULL: settings_path()) over *s. A missing file changes nothing
 * and says nothing; an unreadable, too large or non-regular one adds a message and changes
 * nothing. */
void settings_load(struct settings *s, const char *path, struct notes *notes);

/* Whether syntax colours are on: the setting, unless no_color (pass getenv("NO_COLOR"))
 * is set and not empty (https://no-color.org). */
bool settings_syntax_on(const struct settings *s, const char *no_color);

#endif
