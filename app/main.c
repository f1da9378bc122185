/* weft: the command line (DESIGN.md §1).
 *
 * `weft FILE` edits FILE alone. Exit status: 0 success, 1 runtime failure (a message on
 * stderr saying what, why and what to do), 2 usage error (usage on stderr). The terminal is
 * restored on every path out: term_close() on return, the OOM hook, the fatal-signal
 * handlers in app/term.c, and the loop's handling of SIGTERM/SIGHUP, which also writes
 * unsaved text to FILE.weft-save. */
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/draw.h"
#include "app/editor.h"
#include "app/input.h"
#include "app/serve.h"
#include "app/term.h"
#include "core/mem.h"

static const char usage_text[] =
    "Usage: weft [OPTIONS] FILE             edit FILE (created when you first save)\n"
    "       weft serve FILE [OPTIONS]       share FILE without an editor, until interrupted\n"
    "       weft cat TICKET                 print a shared session's text\n"
    "\n"
    "Options:\n"
    "  -n, --line-numbers  show line numbers (Alt-N toggles them)\n"
    "      --no-mouse      leave the mouse to the terminal (no click to place the cursor)\n"
    "  -h, --help          show this help and exit\n"
    "  -V, --version       show the version and exit\n"
    "\n"
    "In the editor, F1 lists every key. Ctrl-S saves, Ctrl-Q quits. See weft(1).\n";

struct options {
    const char *file;
    bool line_numbers;
    bool mouse;
};

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        { "line-numbers", no_argument, NULL, 'n' },
        { "no-mouse", no_argument, NULL, 'M' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    *o = (struct options){ .mouse = true };
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "+nhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'n': o->line_numbers = true; break;
        case 'M': o->mouse = false; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': puts("weft " PACKAGE_VERSION); return 0;
        default:
            if (optopt)
                fprintf(stderr, "weft: unknown option '-%c'\n", optopt);
            else
                fprintf(stderr, "weft: unknown option '%s'\n", argv[optind - 1]);
            fputs(usage_text, stderr);
            return 2;
        }
    }
    if (argc - optind != 1) {
        fputs(argc - optind == 0 ? "weft: missing FILE\n" : "weft: too many arguments\n",
              stderr);
        fputs(usage_text, stderr);
        return 2;
    }
    o->file = argv[optind];
    return -1;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct app {
    struct editor ed;
    int signal;      /* terminating signal, 0 for a hang-up of the terminal */
    bool stopped;    /* the loop ended by signal or hang-up */
};

static void on_event(void *ctx, const struct keyev *ev)
{
    editor_event(&((struct app *)ctx)->ed, ev);
}

static void on_resize(void *ctx)
{
    struct app *a = ctx;
    int rows, cols;
    term_resize(&rows, &cols);
    term_redraw_all();
    editor_resize(&a->ed, rows, cols);
}

static void on_draw(void *ctx)
{
    draw_screen(&((struct app *)ctx)->ed);
}

static void on_signal(void *ctx, int sig)
{
    struct app *a = ctx;
    a->stopped = true;
    a->signal = sig;
}

static bool is_done(void *ctx)
{
    return ((struct app *)ctx)->ed.quit;
}

/* After a signal or hang-up: keeps unsaved text and says what happened. */
static int after_stop(struct app *a)
{
    const char *why = a->signal ? strsignal(a->signal) : "the terminal went away";
    if (!a->ed.modified) {
        fprintf(stderr, "weft: stopped (%s); there were no unsaved changes.\n", why);
        return 1;
    }
    char *where = NULL;
    int e = editor_emergency_save(&a->ed, &where);
    if (e)
        fprintf(stderr, "weft: stopped (%s); the unsaved changes could not be written to %s "
                "(%s) and are lost.\n", why, where ? where : "a backup file", strerror(-e));
    else
        fprintf(stderr, "weft: stopped (%s); the unsaved changes are in %s.\n"
                "Compare it with %s and keep the one you want.\n", why, where, a->ed.path);
    free(where);
    return 1;
}

/* Makes sure the C library speaks UTF-8 even when the locale says otherwise. */
static void set_locale(void)
{
    setlocale(LC_ALL, "");
    if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
        setlocale(LC_CTYPE, "C.UTF-8");
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "serve"))
        return serve_main(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "cat"))
        return cat_main(argc - 1, argv + 1);
    struct options opt;
    int status = parse_args(argc, argv, &opt);
    if (status >= 0)
        return status;
    set_locale();
    wf_set_oom_hook(term_oom_hook);

    static struct app a;
    char err[1024];
    if (editor_open(&a.ed, opt.file, err, sizeof err) != 0) {
        fprintf(stderr, "weft: %s\n", err);
        editor_close(&a.ed);
        return 1;
    }
    a.ed.clock = now_ms;
    a.ed.term_write = term_write;
    a.ed.line_numbers = opt.line_numbers;
    if (term_open(opt.mouse, err, sizeof err) != 0) {
        fprintf(stderr, "weft: %s\n", err);
        editor_close(&a.ed);
        return 1;
    }
    int rows, cols;
    term_size(&rows, &cols);
    editor_resize(&a.ed, rows, cols);

    struct input_handlers h = {
        .event = on_event, .resize = on_resize, .draw = on_draw, .signal = on_signal,
        .done = is_done, .ctx = &a,
    };
    uv_loop_t loop;
    int e = uv_loop_init(&loop);
    if (!e) {
        e = input_run(&loop, &h);
        if (uv_loop_close(&loop) != 0)
            abort(); /* a handle left open: a bug in app/input.c */
    }
    term_close();
    status = 0;
    if (e) {
        fprintf(stderr, "weft: cannot watch the terminal for input: %s.\n", uv_strerror(e));
        status = 1;
    } else if (a.stopped) {
        status = after_stop(&a);
    }
    editor_close(&a.ed);
    return status;
}
