/* The one-line prompt at the bottom of the screen (find, go to line, yes/no questions).
 *
 * A prompt is modal: while one is open, app/editor/editor.c sends keys here first. This module
 * only keeps and edits the answer's text; what Enter does is the editor's business. */
#ifndef WEFT_APP_EDITOR_PROMPT_H
#define WEFT_APP_EDITOR_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

#include "app/editor/keys.h"

enum prompt_kind {
    PROMPT_NONE, PROMPT_FIND, PROMPT_GOTO, PROMPT_QUIT, PROMPT_OVERWRITE,
    PROMPT_FOLLOW,    /* choose a participant to follow (drawn by app/ui/draw.c) */
    PROMPT_JUMP,      /* issue 14, view: choose a participant to jump to once (Alt-J) */
    PROMPT_SAVE_COPY, /* a guest offline: where to save a copy */
    PROMPT_LEAVE,     /* a guest quitting with edits the host does not have */
    /* issue 14, editing */
    PROMPT_REPLACE,      /* Ctrl-R: the text to find (Alt-C case, Alt-R regex) */
    PROMPT_REPLACE_WITH, /* Ctrl-R: the replacement */
    PROMPT_REPLACE_ASK,  /* Ctrl-R: y / n / a / Esc at a match; the text is "3 of 41" */
    PROMPT_SAVE_AS,      /* Alt-W: the path to save to */
    PROMPT_RELOAD,       /* the file changed on disk under unsaved edits: r / k / b */
    /* issue 11, files of a project */
    PROMPT_PICK,         /* Ctrl-P: the query; the matches are drawn above (picking.h) */
    PROMPT_NEW_FILE,     /* Alt-O: a path in the project (filecmd.h) */
    PROMPT_RENAME,       /* F6: the file's new path */
    PROMPT_DELETE,       /* F8: y deletes the file shown */
};

#define PROMPT_MAX 1024

struct prompt {
    int kind;                    /* enum prompt_kind; PROMPT_NONE when closed */
    char text[PROMPT_MAX + 1];   /* the answer so far, UTF-8, NUL-terminated */
    size_t len;                  /* bytes in text */
};

void prompt_open(struct prompt *p, int kind, const char *initial, size_t n);
void prompt_close(struct prompt *p);
/* Applies a text-editing key or a paste (text, Backspace, Ctrl-U); true if it was one. */
bool prompt_edit(struct prompt *p, const struct keyev *ev);
/* The question shown before the answer, with its keys ("Find (Enter done, ...): "), and a
 * short form for narrow terminals ("Find: "). */
const char *prompt_label(int kind);
const char *prompt_label_short(int kind);

#endif
