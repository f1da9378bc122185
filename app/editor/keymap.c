/* Key bindings (see keymap.h). The tables are the documentation: the F1 screen prints
 * cmd_infos in enum order with every key from `bindings` bound to each. */
#include "app/editor/keymap.h"

#include <string.h>

#include "app/editor/keys.h"

#define C MOD_CTRL
#define S MOD_SHIFT
#define A MOD_ALT

static const struct binding bindings[] = {
    { K_LEFT, 0, CMD_LEFT },           { K_LEFT, S, CMD_SEL_LEFT },
    { K_RIGHT, 0, CMD_RIGHT },         { K_RIGHT, S, CMD_SEL_RIGHT },
    { K_UP, 0, CMD_UP },               { K_UP, S, CMD_SEL_UP },
    { K_DOWN, 0, CMD_DOWN },           { K_DOWN, S, CMD_SEL_DOWN },
    { K_LEFT, C, CMD_WORD_LEFT },      { K_LEFT, C | S, CMD_SEL_WORD_LEFT },
    { K_LEFT, A, CMD_WORD_LEFT },      { K_LEFT, A | S, CMD_SEL_WORD_LEFT },
    { K_RIGHT, C, CMD_WORD_RIGHT },    { K_RIGHT, C | S, CMD_SEL_WORD_RIGHT },
    { K_RIGHT, A, CMD_WORD_RIGHT },    { K_RIGHT, A | S, CMD_SEL_WORD_RIGHT },
    { K_HOME, 0, CMD_HOME },           { K_HOME, S, CMD_SEL_HOME },
    { K_END, 0, CMD_END },             { K_END, S, CMD_SEL_END },
    { K_PGUP, 0, CMD_PGUP },           { K_PGUP, S, CMD_SEL_PGUP },
    { K_PGDN, 0, CMD_PGDN },           { K_PGDN, S, CMD_SEL_PGDN },
    { K_HOME, C, CMD_DOC_START },      { K_HOME, C | S, CMD_SEL_DOC_START },
    { K_END, C, CMD_DOC_END },         { K_END, C | S, CMD_SEL_DOC_END },
    { K_UP, C, CMD_SCROLL_UP },        { K_DOWN, C, CMD_SCROLL_DOWN },
    /* issue 14, view */
    { ']', A, CMD_BRACKET },           { 'j', A, CMD_JUMP },
    { 's', A, CMD_SOFTWRAP },
    { K_ENTER, 0, CMD_NEWLINE },       { K_TAB, 0, CMD_TAB },
    { K_BACKSPACE, 0, CMD_BACKSPACE }, { K_DELETE, 0, CMD_DELETE },
    { K_BACKSPACE, A, CMD_DELETE_WORD_LEFT }, { K_DELETE, C, CMD_DELETE_WORD_RIGHT },
    { 'a', C, CMD_SELECT_ALL },        { 'c', C, CMD_COPY },
    { 'x', C, CMD_CUT },               { 'v', C, CMD_PASTE },
    { 'z', C, CMD_UNDO },              { 'y', C, CMD_REDO },
    { 'f', C, CMD_FIND },              { 'n', C, CMD_FIND_NEXT },
    { K_F3, 0, CMD_FIND_NEXT },        { 'p', C, CMD_PICK },
    { K_F3, S, CMD_FIND_PREV },        { 'g', C, CMD_GOTO },
    { 's', C, CMD_SAVE },              { 'q', C, CMD_QUIT },
    { K_F1, 0, CMD_HELP },             { 'n', A, CMD_LINE_NUMBERS },
    { 't', C, CMD_TICKETS },           { 'o', C, CMD_FOLLOW },
    { 'm', A, CMD_MESSAGES },          { 'l', C, CMD_REDRAW },
    { K_ESC, 0, CMD_ESCAPE },
    /* issue 14, editing */
    { 'r', C, CMD_REPLACE },           { K_TAB, S, CMD_OUTDENT },
    { '3', A, CMD_COMMENT },           { '_', C, CMD_COMMENT },
    { 'w', A, CMD_SAVE_AS },           { 'z', A, CMD_SUSPEND },
    { ',', A, CMD_BUFFER_PREV },       { '.', A, CMD_BUFFER_NEXT },
    { 'a', A, CMD_SAVE_ALL },
    { 'o', A, CMD_FILE_NEW },          { K_F6, 0, CMD_FILE_RENAME },
    { K_F8, 0, CMD_FILE_DELETE },
};

static const struct cmd_info infos[CMD_COUNT] = {
    [CMD_LEFT] = { "left", "move left one character" },
    [CMD_SEL_LEFT] = { "select-left", "extend the selection left" },
    [CMD_RIGHT] = { "right", "move right one character" },
    [CMD_SEL_RIGHT] = { "select-right", "extend the selection right" },
    [CMD_UP] = { "up", "move up one line" },
    [CMD_SEL_UP] = { "select-up", "extend the selection up" },
    [CMD_DOWN] = { "down", "move down one line" },
    [CMD_SEL_DOWN] = { "select-down", "extend the selection down" },
    [CMD_WORD_LEFT] = { "word-left", "move to the start of the previous word" },
    [CMD_SEL_WORD_LEFT] = { "select-word-left", "extend the selection a word left" },
    [CMD_WORD_RIGHT] = { "word-right", "move to the end of the next word" },
    [CMD_SEL_WORD_RIGHT] = { "select-word-right", "extend the selection a word right" },
    [CMD_HOME] = { "home", "move to the start of the line (again: before the indent)" },
    [CMD_SEL_HOME] = { "select-home", "extend the selection to the start of the line" },
    [CMD_END] = { "end", "move to the end of the line" },
    [CMD_SEL_END] = { "select-end", "extend the selection to the end of the line" },
    [CMD_PGUP] = { "page-up", "move up one screen" },
    [CMD_SEL_PGUP] = { "select-page-up", "extend the selection up one screen" },
    [CMD_PGDN] = { "page-down", "move down one screen" },
    [CMD_SEL_PGDN] = { "select-page-down", "extend the selection down one screen" },
    [CMD_DOC_START] = { "doc-start", "move to the start of the file" },
    [CMD_SEL_DOC_START] = { "select-doc-start", "extend the selection to the start of the file" },
    [CMD_DOC_END] = { "doc-end", "move to the end of the file" },
    [CMD_SEL_DOC_END] = { "select-doc-end", "extend the selection to the end of the file" },
    /* issue 14, view */
    [CMD_BRACKET] = { "bracket", "jump to the bracket matching the one at (or just before) "
                                 "the cursor; ( ) [ ] { } are paired, and the match is "
                                 "highlighted" },
    [CMD_JUMP] = { "jump", "jump to a participant's cursor once (a chooser like Ctrl-O's; "
                           "nobody is followed)" },
    [CMD_SOFTWRAP] = { "soft-wrap", "wrap long lines on screen, or not (Up and Down then move "
                                    "by screen rows)" },
    [CMD_SCROLL_UP] = { "scroll-up", "scroll the view up one line" },
    [CMD_SCROLL_DOWN] = { "scroll-down", "scroll the view down one line" },
    [CMD_NEWLINE] = { "newline", "break the line, keeping the indentation" },
    [CMD_TAB] = { "tab", "insert a tab (or what the file's indentation says); with a "
                         "selection, indent its lines" },
    [CMD_BACKSPACE] = { "backspace", "delete the character (or selection) before the cursor" },
    [CMD_DELETE] = { "delete", "delete the character (or selection) under the cursor" },
    [CMD_DELETE_WORD_LEFT] = { "delete-word-left", "delete to the start of the word" },
    [CMD_DELETE_WORD_RIGHT] = { "delete-word-right", "delete to the end of the word" },
    [CMD_SELECT_ALL] = { "select-all", "select the whole file" },
    [CMD_COPY] = { "copy", "copy the selection (or line); also to the terminal's clipboard" },
    [CMD_CUT] = { "cut", "cut the selection (or the whole line)" },
    [CMD_PASTE] = { "paste", "paste what was copied or cut" },
    [CMD_UNDO] = { "undo", "undo your last change" },
    [CMD_REDO] = { "redo", "redo what was undone" },
    [CMD_FIND] = { "find", "find text (Enter/Down: next, Up: previous, Esc: cancel)" },
    [CMD_FIND_NEXT] = { "find-next", "find the next match (wraps around)" },
    [CMD_FIND_PREV] = { "find-previous", "find the previous match (wraps around)" },
    [CMD_GOTO] = { "goto", "go to a line (LINE or LINE:COLUMN)" },
    [CMD_SAVE] = { "save", "save the file (a guest: the host saves; offline: a copy here)" },
    [CMD_QUIT] = { "quit", "quit (asks when there are unsaved changes)" },
    [CMD_HELP] = { "help", "show this help" },
    [CMD_LINE_NUMBERS] = { "line-numbers", "show or hide line numbers" },
    [CMD_TICKETS] = { "tickets", "show the join tickets of a shared session" },
    [CMD_FOLLOW] = { "follow", "follow a participant: your view tracks their cursor until "
                               "you press a key" },
    [CMD_MESSAGES] = { "messages", "show the last 100 messages in full (the status line "
                                   "may have shortened them)" },
    [CMD_REDRAW] = { "redraw", "redraw the whole screen (after something else wrote on it)" },
    [CMD_ESCAPE] = { "escape", "clear the selection and the message" },
    /* issue 14, editing */
    [CMD_REPLACE] = { "replace", "replace text: what to find (Alt-C case, Alt-R regular "
                                 "expression, \\1.. groups), the replacement, then at each "
                                 "match y replace, n skip, a all the rest, Esc stop" },
    [CMD_OUTDENT] = { "outdent", "remove one level of indentation from the line or the "
                                 "selected lines" },
    [CMD_COMMENT] = { "comment", "comment or uncomment the line or the selected lines (the "
                                 "syntax's comment string, else #)" },
    [CMD_SAVE_AS] = { "save-as", "save to another file, which becomes the file edited" },
    [CMD_SUSPEND] = { "suspend", "suspend weft and return to the shell (fg resumes it)" },
    [CMD_PICK] = { "open-file", "open a file of the project (weft DIR): type part of its "
                                "name, Up/Down choose, Enter opens" },
    [CMD_BUFFER_PREV] = { "previous-file", "show the file opened before this one" },
    [CMD_BUFFER_NEXT] = { "next-file", "show the file opened after this one" },
    [CMD_SAVE_ALL] = { "save-all", "save every open file with unsaved changes (a host: also "
                                   "those only guests have open; a guest: the host saves)" },
    [CMD_FILE_NEW] = { "new-file", "a shared project: make a file (a path ending in / makes a "
                                   "directory) for everyone, and open it" },
    [CMD_FILE_RENAME] = { "rename-file", "a shared project: rename or move the file shown, for "
                                         "everyone (its text, cursors and undo stay)" },
    [CMD_FILE_DELETE] = { "delete-file", "a shared project: delete the file shown, for everyone "
                                         "(its text stays open here)" },
};

static const struct helpbar_item helpbar[] = {
    { "^S", "Save" }, { "^Q", "Quit" }, { "^F", "Find" }, { "^R", "Replace" },
    { "^G", "Go to" },
    { "^Z", "Undo" }, { "^Y", "Redo" }, { "^C", "Copy" }, { "^X", "Cut" },
    { "^V", "Paste" }, { "F1", "Help" }, { NULL, NULL },
};

enum cmd keymap_lookup(uint32_t code, unsigned mods)
{
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
        if (bindings[i].code == code && bindings[i].mods == mods)
            return (enum cmd)bindings[i].cmd;
    return CMD_NONE;
}

const struct cmd_info *keymap_cmd(enum cmd c)
{
    return &infos[c];
}

const struct binding *keymap_bindings(size_t *n)
{
    *n = sizeof bindings / sizeof bindings[0];
    return bindings;
}

char *keymap_keys_of(enum cmd c, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
        if (bindings[i].cmd != c)
            continue;
        char name[32];
        keys_name(bindings[i].code, bindings[i].mods, name, sizeof name);
        size_t need = strlen(name) + (used ? 3 : 0);
        if (used + need + 1 > size)
            break;
        if (used) {
            memcpy(out + used, " / ", 3);
            used += 3;
        }
        memcpy(out + used, name, strlen(name) + 1);
        used += strlen(name);
    }
    return out;
}

const struct helpbar_item *keymap_helpbar(void)
{
    return helpbar;
}
