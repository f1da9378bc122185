/* Running an editor in the terminal: the locale, the terminal's set-up and restoration, the
 * input loop, and what is said after a signal. Shared by `weft FILE`, `weft host` and
 * `weft join`, which differ only in what else runs on the loop. */
#ifndef WEFT_APP_UI_UI_H
#define WEFT_APP_UI_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "app/editor/editor.h"

struct ui {
    struct editor *ed;  /* borrowed */
    bool mouse;         /* ask the terminal for mouse reports */
    bool redraw;        /* set it from anything on the loop to get a redraw */
    int signal;         /* the terminating signal, 0 for a hang-up of the terminal */
    bool stopped;       /* the loop ended by a signal or hang-up, not by quitting */
    bool kept;          /* after a stop: there were unsaved changes, written to kept_path */
    int kept_err;       /* 0, or -errno when they could not be written */
    char *kept_path;    /* owned: FILE.weft-save (freed by ui_after_stop()), or NULL */
};

/* Makes sure the C library speaks UTF-8 even when the locale says otherwise. */
void ui_set_locale(void);

/* 0 when standard input and output are a terminal; else -1 with a message for people in
 * err (checked before a session starts, so that no tickets are printed in vain). */
int ui_check_terminal(char *err, size_t errsize);

/* Monotonic milliseconds (the editor's clock). */
uint64_t ui_now_ms(void);

/* Opens the terminal and runs loop (initialised by the caller, which may have its own
 * handles on it) until the editor quits or a terminating signal arrives, then restores the
 * terminal. Returns 0, or 1 with a message for people on stderr. The loop is left for the
 * caller to finish and close.
 *
 * On a signal or hang-up (ui->stopped), unsaved text is written to FILE.weft-save at once,
 * before the terminal is touched (it may be gone, or block) and while further terminating
 * signals are caught and dropped (app/ui/input.h), which they are until ui_after_stop().
 * SIGPIPE is ignored from the start: a closed standard output or error is an error to
 * report, never a reason to die. */
int ui_run(struct ui *ui, uv_loop_t *loop);

/* After a signal or hang-up (ui->stopped), right after ui_run(): says on stderr what
 * happened and where the unsaved text is, then lets a further terminating signal end the
 * process, with status 1 (whatever shutdown follows may be interrupted: nothing is left to
 * lose). Returns the exit status (1). */
int ui_after_stop(struct ui *ui);

#endif
