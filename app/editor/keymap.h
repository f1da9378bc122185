/* Key bindings: which key runs which editor command (the contract of DESIGN.md §4).
 *
 * One table maps keys to commands; another describes each command. Dispatch, the help bar
 * and the F1 help screen all read these tables, so a binding cannot exist without being
 * documented. Commands are run by app/editor/commands.c; this module only names them. */
#ifndef WEFT_APP_EDITOR_KEYMAP_H
#define WEFT_APP_EDITOR_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

enum cmd {
    CMD_NONE = 0,
    /* movement; each has a selecting twin right after it (CMD_X + 1) */
    CMD_LEFT, CMD_SEL_LEFT, CMD_RIGHT, CMD_SEL_RIGHT, CMD_UP, CMD_SEL_UP,
    CMD_DOWN, CMD_SEL_DOWN, CMD_WORD_LEFT, CMD_SEL_WORD_LEFT, CMD_WORD_RIGHT,
    CMD_SEL_WORD_RIGHT, CMD_HOME, CMD_SEL_HOME, CMD_END, CMD_SEL_END, CMD_PGUP,
    CMD_SEL_PGUP, CMD_PGDN, CMD_SEL_PGDN, CMD_DOC_START, CMD_SEL_DOC_START, CMD_DOC_END,
    CMD_SEL_DOC_END,
    CMD_SCROLL_UP, CMD_SCROLL_DOWN,
    /* issue 14, view */
    CMD_BRACKET, CMD_JUMP, CMD_SOFTWRAP,
    /* editing */
    CMD_NEWLINE, CMD_TAB, CMD_BACKSPACE, CMD_DELETE, CMD_DELETE_WORD_LEFT,
    CMD_DELETE_WORD_RIGHT, CMD_SELECT_ALL, CMD_COPY, CMD_CUT, CMD_PASTE, CMD_UNDO, CMD_REDO,
    /* the rest */
    CMD_FIND, CMD_FIND_NEXT, CMD_FIND_PREV, CMD_GOTO, CMD_SAVE, CMD_QUIT, CMD_HELP,
    CMD_LINE_NUMBERS, CMD_TICKETS, CMD_FOLLOW, CMD_MESSAGES, CMD_REDRAW, CMD_ESCAPE,
    /* issue 14, editing */
    CMD_REPLACE, CMD_OUTDENT, CMD_COMMENT, CMD_SAVE_AS, CMD_SUSPEND,
    /* issue 11, files of a project */
    CMD_PICK, CMD_BUFFER_PREV, CMD_BUFFER_NEXT, CMD_SAVE_ALL,
    CMD_FILE_NEW, CMD_FILE_RENAME, CMD_FILE_DELETE,
    CMD_COUNT
};

struct binding {
    uint32_t code;  /* key code (app/editor/keys.h) */
    uint8_t mods;   /* MOD_* bits, exactly */
    uint8_t cmd;    /* enum cmd */
};

struct cmd_info {
    const char *name;  /* stable identifier, e.g. "save" */
    const char *help;  /* one line for the F1 screen */
};

/* The command bound to the key, or CMD_NONE. */
enum cmd keymap_lookup(uint32_t code, unsigned mods);

/* Name and help line of a command (CMD_NONE < c < CMD_COUNT). */
const struct cmd_info *keymap_cmd(enum cmd c);

/* The bindings table, in help order; *n receives its length. */
const struct binding *keymap_bindings(size_t *n);

/* Writes the names of every key bound to c, joined with " / ", to out; returns out. */
char *keymap_keys_of(enum cmd c, char *out, size_t size);

/* The one-line help bar: pairs of (key, label), terminated by {NULL, NULL}. */
struct helpbar_item {
    const char *key;
    const char *label;
};
const struct helpbar_item *keymap_helpbar(void);

#endif
