/* The prompt (see prompt.h). Text is kept as UTF-8 bytes; Backspace removes one code point
 * (or one stray byte). Control characters in a paste are dropped: a prompt is one line. */
#include "app/editor/prompt.h"

#include <string.h>

#include "core/utf8.h"

void prompt_open(struct prompt *p, int kind, const char *initial, size_t n)
{
    p->kind = kind;
    p->len = 0;
    if (initial) {
        p->len = n < PROMPT_MAX ? n : PROMPT_MAX;
        memcpy(p->text, initial, p->len);
    }
    p->text[p->len] = '\0';
}

void prompt_close(struct prompt *p)
{
    p->kind = PROMPT_NONE;
}

static void append(struct prompt *p, const char *s, size_t n)
{
    if (n > PROMPT_MAX - p->len)
        return;
    memcpy(p->text + p->len, s, n);
    p->len += n;
    p->text[p->len] = '\0';
}

static void backspace(struct prompt *p)
{
    size_t off = 0, last = 0;
    while (off < p->len) {
        last = off;
        off += wf_utf8_unit_len(p->text + off, p->len - off);
    }
    p->len = last;
    p->text[p->len] = '\0';
}

bool prompt_edit(struct prompt *p, const struct keyev *ev)
{
    if (ev->type == KEV_PASTE) {
        for (size_t i = 0; i < ev->len; i++)
            if ((unsigned char)ev->text[i] >= 0x20 && ev->text[i] != 0x7f)
                append(p, ev->text + i, 1);
        return true;
    }
    if (ev->type != KEV_KEY)
        return false;
    if (ev->code == K_BACKSPACE && !ev->mods) {
        backspace(p);
        return true;
    }
    if (ev->code == 'u' && ev->mods == MOD_CTRL) {
        p->len = 0;
        p->text[0] = '\0';
        return true;
    }
    if ((ev->mods & (MOD_CTRL | MOD_ALT)) || ev->code < 0x20 || ev->code == 0x7f ||
        ev->code >= K_RAW)
        return false;
    char u[4];
    size_t n = wf_utf8_encode(ev->code, u);
    append(p, u, n);
    return true;
}

const char *prompt_label_short(int kind)
{
    switch (kind) {
    case PROMPT_FIND: return "Find: ";
    case PROMPT_GOTO: return "Go to line: ";
    case PROMPT_QUIT: return "Save changes? (y/n/Esc) ";
    case PROMPT_OVERWRITE: return "Changed on disk. Overwrite? (y/n) ";
    case PROMPT_FOLLOW: return "Follow: ";
    case PROMPT_JUMP: return "Jump to: ";
    case PROMPT_SAVE_COPY: return "Save a copy to: ";
    case PROMPT_LEAVE: return "Edits not sent. Quit? (y/n) ";
    case PROMPT_REPLACE: return "Replace: ";
    case PROMPT_REPLACE_WITH: return "With: ";
    case PROMPT_REPLACE_ASK: return "Replace? (y/n/a/Esc) ";
    case PROMPT_SAVE_AS: return "Save as: ";
    case PROMPT_RELOAD: return "Changed on disk: r/k/b (reload/keep/both) ";
    case PROMPT_PICK: return "Open: ";
    case PROMPT_NEW_FILE: return "New file: ";
    case PROMPT_RENAME: return "Rename to: ";
    case PROMPT_DELETE: return "Delete? (y/n) ";
    default: return "";
    }
}

const char *prompt_label(int kind)
{
    switch (kind) {
    case PROMPT_FIND: return "Find (Enter done, Down next, Up previous, Esc cancel): ";
    case PROMPT_GOTO: return "Go to line (LINE or LINE:COLUMN): ";
    case PROMPT_QUIT: return "Save changes before quitting? (y = save, n = discard, Esc = stay) ";
    case PROMPT_OVERWRITE: return "The file changed on disk since it was opened. Overwrite it? (y/n) ";
    case PROMPT_FOLLOW: return "Follow (Tab/arrows choose, Enter follow, Esc cancel): ";
    case PROMPT_JUMP: return "Jump to (Tab/arrows choose, Enter jump, Esc cancel): ";
    case PROMPT_SAVE_COPY:
        return "Not connected to the host. Save a copy to (Enter save, Esc cancel): ";
    case PROMPT_LEAVE:
        return "Some of your edits have not reached the host. Quit anyway? (y = quit, n = stay) ";
    case PROMPT_REPLACE: return "Replace (Alt-C case, Alt-R regex, Enter next, Esc cancel): ";
    case PROMPT_REPLACE_WITH: return "Replace with (Enter start, Esc cancel): ";
    case PROMPT_REPLACE_ASK: return "Replace this one? (y yes, n no, a all, Esc stop) ";
    case PROMPT_SAVE_AS: return "Save as (Enter save, Esc cancel): ";
    case PROMPT_RELOAD:
        return "Changed on disk: r reload, k keep mine, b both (theirs to .weft-disk) ";
    case PROMPT_PICK: return "Open (type to match, Up/Down choose, Enter open, Esc cancel): ";
    case PROMPT_NEW_FILE:
        return "New file in the project (a path; ending in / makes a directory; Esc cancel): ";
    case PROMPT_RENAME: return "Rename or move to (a path in the project; Esc cancel): ";
    case PROMPT_DELETE: return "Delete this file for everyone? (y = delete, any other key = keep) ";
    default: return "";
    }
}
