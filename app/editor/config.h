/* What the editor is configured with, whatever file is open: the settings file
 * (settings.h) and nano's syntax definitions (syntax.h, nanorc.h), loaded once at start;
 * and how each buffer takes its share of them when it is opened: its file's conventions
 * (fileconf.h: EditorConfig, the settings, detection), its syntax, its highlighter.
 *
 * Tests that make no config_load() call get the defaults and no colours: nothing here reads
 * the user's files unless asked. */
#ifndef WEFT_APP_EDITOR_CONFIG_H
#define WEFT_APP_EDITOR_CONFIG_H

#include <stdbool.h>

#include "app/editor/buffer.h"
#include "app/editor/notes.h"
#include "app/editor/settings.h"
#include "app/editor/syntax.h"

/* Most messages kept from loading the syntax files and the settings file together. */
#define CONFIG_MAX_NOTES 32

struct config {
    struct settings settings;  /* the settings file's, over the defaults */
    struct syn_set *syntaxes;  /* owned: nano's syntaxes, or NULL when colours are off */
    bool colours_off;          /* NO_COLOR or `syntax off`: why syntaxes is NULL */
    bool no_syntax_files;      /* colours were wanted but no syntax file was found */
};

/* The defaults and no syntaxes (what tests use). Caller's storage; config_free() after. */
void config_defaults(struct config *c);
/* Loads the settings file (settings_path()) and, unless no_color (NO_COLOR's value, or
 * NULL) or the settings turn colours off, nano's syntax files and the user's
 * (nanorc_load_standard()). Messages for people go to notes (the caller shows them). */
void config_load(struct config *c, const char *no_color, struct notes *notes);
void config_free(struct config *c);

/* Gives b its share of c: its file's conventions (fileconf_resolve() on name, the file's
 * path, or for a guest the host's file name, with the first bytes of b's text), the tab
 * width of its view, and its syntax and highlighter (none when c has no syntaxes or none
 * fits). When local is false (a guest's buffer: the file is the host's), no EditorConfig
 * file is looked for. May be called again (a guest's document arrived): replaces what an
 * earlier call gave. b->conf_name keeps name, so that a later configuration (after the
 * settings and syntaxes are loaded) chooses by the same name. Messages go to notes. */
void config_buffer(struct config *c, struct buffer *b, const char *name, bool local,
                   struct notes *notes);

#endif
