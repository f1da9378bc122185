/* Running an editor in the terminal (see ui.h). The terminal is restored on every path out:
 * term_close() here, the OOM hook, the fatal-signal handlers in app/ui/term.c, and the loop's
 * handling of SIGTERM/SIGHUP (on which the unsaved text is kept first, and
 * ui_after_stop() says where). */
#include "app/ui/ui.h"

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/editor/route.h"
#include "app/editor/session.h"
#include "app/ui/draw.h"
#include "app/ui/input.h"
#include "app/ui/term.h"

void ui_set_locale(void)
{
    setlocale(LC_ALL, "");
    if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
        setlocale(LC_CTYPE, "C.UTF-8");
}

int ui_check_terminal(char *err, size_t errsize)
{
    if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
        return 0;
    snprintf(err, errsize, "the editor needs a terminal, but standard %s is not one.\n"
             "Run weft from an interactive terminal (not a pipe or a script).",
             isatty(STDIN_FILENO) ? "output" : "input");
    return -1;
}

uint64_t ui_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void on_event(void *ctx, const struct keyev *ev)
{
    editor_event(((struct ui *)ctx)->ed, ev);
}

static void on_resize(void *ctx)
{
    struct ui *ui = ctx;
    int rows, cols;
    term_resize(&rows, &cols);
    term_redraw_all();
    editor_resize(ui->ed, rows, cols);
    session_update(ui->ed); /* others see how many lines we see */
}

static void on_draw(void *ctx)
{
    draw_screen(((struct ui *)ctx)->ed);
}

static bool on_idle(void *ctx)
{
    struct ui *ui = ctx;
    return draw_idle(ui->ed, &ui->redraw);
}

static void on_signal(void *ctx, int sig)
{
    struct ui *ui = ctx;
    ui->stopped = true;
    ui->signal = sig;
    if (!ui->ed->buf->modified)
        return;
    ui->kept = true;
    ui->kept_err = editor_emergency_save(ui->ed, &ui->kept_path);
}

static bool is_done(void *ctx)
{
    return ((struct ui *)ctx)->ed->quit;
}

int ui_run(struct ui *ui, uv_loop_t *loop)
{
    char err[1024];
    ui->ed->clock = ui_now_ms;
    ui->ed->term_write = term_write;
    ui->ed->suspend = term_suspend;
    signal(SIGPIPE, SIG_IGN);
    if (term_open(ui->mouse, err, sizeof err) != 0) {
        fprintf(stderr, "weft: %s\n", err);
        return 1;
    }
    editor_configure(ui->ed, getenv("NO_COLOR"));
    int rows, cols;
    term_size(&rows, &cols);
    editor_resize(ui->ed, rows, cols);
    session_update(ui->ed);
    struct input_handlers h = {
        .event = on_event, .resize = on_resize, .draw = on_draw, .signal = on_signal,
        .done = is_done, .ctx = ui, .redraw = &ui->redraw, .idle = on_idle,
    };
    int e = input_run(loop, &h);
    term_close();
    if (e) {
        fprintf(stderr, "weft: cannot watch the terminal for input: %s.\n", uv_strerror(e));
        return 1;
    }
    return 0;
}

int ui_after_stop(struct ui *ui)
{
    const char *why = ui->signal ? strsignal(ui->signal) : "the terminal went away";
    const char *where = ui->kept_path;
    if (!ui->kept)
        fprintf(stderr, "weft: stopped (%s); there were no unsaved changes.\n", why);
    else if (ui->kept_err)
        fprintf(stderr, "weft: stopped (%s); the unsaved changes could not be written to %s "
                "(%s) and are lost.\n", why, where ? where : "a backup file",
                strerror(-ui->kept_err));
    else
        fprintf(stderr, "weft: stopped (%s); the unsaved changes are in %s.\n"
                "Compare it with %s and keep the one you want.\n", why, where, ui->ed->buf->path);
    free(ui->kept_path);
    ui->kept_path = NULL;
    input_release_signals();
    return 1;
}
