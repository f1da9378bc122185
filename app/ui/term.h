/* The terminal: ncurses set-up and the promise to give the terminal back.
 *
 * term_open() puts the terminal in raw mode (so ^C, ^Q, ^S, ^Z reach the editor as keys),
 * switches to the alternate screen and asks for bracketed paste and SGR mouse reports.
 * term_close() undoes all of it, and is idempotent: main() calls it on every exit path, the
 * out-of-memory hook calls it before the core aborts, and a fatal signal (SIGSEGV, SIGBUS,
 * SIGILL, SIGFPE, SIGABRT) restores the saved terminal modes with async-signal-safe calls
 * before the default action (core dump) happens. */
#ifndef WEFT_APP_UI_TERM_H
#define WEFT_APP_UI_TERM_H

#include <stdbool.h>
#include <stddef.h>

#include "app/ui/palette.h"
#include "core/error.h" /* WF_MUST_CHECK */

enum term_style { TERM_SPECIAL, TERM_GUTTER, TERM_ERROR };

/* Returns 0, or -1 with a message for people in err (not a terminal, unknown TERM). */
WF_MUST_CHECK int term_open(bool mouse, char *err, size_t errsize);
/* Restores the terminal; safe to call more than once, or before term_open(). */
void term_close(void);
/* Alt-Z: gives the terminal back and stops the job (SIGTSTP's default action, as ^Z in a
 * shell); returns after SIGCONT with the terminal in the editor's modes again and the
 * whole screen to be repainted at the next refresh. */
void term_suspend(void);
/* Re-reads the window size after SIGWINCH and tells ncurses; returns it. */
void term_resize(int *rows, int *cols);
/* The current size. */
void term_size(int *rows, int *cols);
/* Redraws the whole screen from scratch on the next refresh (after SIGCONT). */
void term_redraw_all(void);
/* Writes raw bytes to the terminal (OSC 52 clipboard). */
void term_write(const char *p, size_t n);

/* A grapheme cluster that ncurses cannot draw: a cell of ncurses holds one spacing
 * character and at most CCHARW_MAX - 1 zero-width ones, which leaves out the rest of a ZWJ
 * sequence, the second half of a flag, a skin tone, a spacing mark. The caller draws a
 * placeholder (its first character) through ncurses and gives the cluster here. */
struct term_cluster {
    int row, col;    /* its first cell on the screen */
    unsigned attr;   /* ncurses attributes, colour pair included */
    size_t off, len; /* its bytes in the caller's buffer */
};
/* After refresh(): writes each cluster's bytes (borrowed from buf) whole at its cell with
 * its attributes, over the placeholder, then puts the cursor and the attributes back where
 * ncurses left them, so that its idea of the terminal stays true, and has the rows
 * repainted whole at the next refresh (in case the terminal drew a cluster wider). */
void term_put_clusters(const struct term_cluster *c, size_t n, const char *buf);
/* ncurses attributes for a style (colours when the terminal has them). */
unsigned term_attr(enum term_style s);
/* ncurses attributes (a colour pair and A_* bits) for a participant's colour and a use,
 * at the terminal's colour depth (app/ui/palette.h). */
unsigned term_peer_attr(unsigned colour, enum palette_use use);
/* For wf_set_oom_hook(): restores the terminal so the core's message is readable. */
void term_oom_hook(size_t nbytes);

#endif
