/* weft: the command line (DESIGN.md §1).
 *
 * `weft FILE` edits FILE alone; `weft host`, `weft join` (app/cmd/host.c, app/cmd/join.c), `weft
 * serve` and `weft cat` (app/cmd/serve.c, app/cmd/cat.c) share it. Exit status: 0 success, 1
 * runtime failure (a message on stderr saying what, why and what to do), 2 usage error
 * (usage on stderr). The terminal is
 * restored on every path out (app/ui/ui.c), and SIGTERM/SIGHUP write unsaved text to
 * FILE.weft-save. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cmd/cli.h"
#include "app/cmd/collab.h"
#include "app/cmd/hostlock.h"
#include "app/cmd/serve.h"
#include "app/editor/editor.h"
#include "app/ui/term.h"
#include "app/ui/ui.h"
#include "core/mem.h"

static const char usage_text[] =
    "Usage: weft [OPTIONS] FILE             edit FILE (created when you first save)\n"
    "       weft host FILE [OPTIONS]        edit FILE and share it; prints the join tickets\n"
    "       weft join TICKET [--name NAME]  join a shared session in the editor\n"
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
        default: return cli_bad_option("weft", usage_text, c, "", argv);
        }
    }
    return cli_operand("weft", usage_text, "FILE", argc, argv, &o->file);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "serve"))
        return serve_main(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "cat"))
        return cat_main(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "host"))
        return host_main(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "join"))
        return join_main(argc - 1, argv + 1);
    struct options opt;
    int status = parse_args(argc, argv, &opt);
    if (status >= 0)
        return status;
    ui_set_locale();
    wf_set_oom_hook(term_oom_hook);

    /* A session shares the file: editing it alone too would overwrite one or the other. */
    if (!hostlock_edit_anyway(opt.file))
        return 1;
    static struct editor ed;
    char err[1024];
    if (editor_open(&ed, opt.file, err, sizeof err) != 0) {
        fprintf(stderr, "weft: %s\n", err);
        editor_close(&ed);
        return 1;
    }
    ed.line_numbers = opt.line_numbers;
    struct ui ui = { .ed = &ed, .mouse = opt.mouse };
    uv_loop_t loop;
    if (uv_loop_init(&loop) != 0) {
        fprintf(stderr, "weft: cannot start the event loop.\n");
        editor_close(&ed);
        return 1;
    }
    status = ui_run(&ui, &loop);
    if (status == 0 && ui.stopped)
        status = ui_after_stop(&ui);
    if (uv_loop_close(&loop) != 0)
        abort(); /* a handle left open: a bug in app/ui/input.c */
    editor_close(&ed);
    return status;
}
