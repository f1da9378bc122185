/* weft: the command line (DESIGN.md §1).
 *
 * `weft FILE` edits FILE alone; `weft host`, `weft join`, `weft serve` and `weft cat` share
 * it: one table names them, with their entries (app/cmd/cmd.h) and the lines of the usage.
 * Exit status: 0 success, 1 runtime failure (a message on stderr saying what, why and what
 * to do), 2 usage error (usage on stderr). The terminal is restored on every path out
 * (app/ui/ui.c), and SIGTERM/SIGHUP write unsaved text to FILE.weft-save. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/cmd/cli.h"
#include "app/cmd/cmd.h"
#include "app/cmd/hostlock.h"
#include "app/editor/dir.h"
#include "app/editor/editor.h"
#include "app/ui/term.h"
#include "app/ui/ui.h"
#include "core/mem.h"

/* `weft NAME ...`: the subcommands (app/cmd/cmd.h), in the order the usage lists them. */
static const struct subcommand {
    const char *name;
    int (*main)(int argc, char **argv); /* gets argv from NAME on */
    const char *args;                   /* for the usage line */
    const char *summary;                /* one line, for the usage */
} subcommands[] = {
    {"host", host_main, "FILE [OPTIONS]", "edit FILE and share it; prints the join tickets"},
    {"join", join_main, "TICKET [--name NAME]", "join a shared session in the editor"},
    {"serve", serve_main, "FILE|DIR [OPTIONS]", "share FILE or DIR without an editor"},
    {"ls", ls_main, "TICKET", "list the files a shared session shows"},
    {"cat", cat_main, "TICKET [PATH]", "print a shared file's text"},
};
#define NSUBCOMMANDS (sizeof subcommands / sizeof *subcommands)

static const char usage_head[] =
    "Usage: weft [OPTIONS] FILE             edit FILE (created when you first save)\n"
    "       weft [OPTIONS] DIR              open DIR's files (Ctrl-P finds them)\n";
static const char usage_tail[] =
    "\n"
    "Options:\n"
    "  -n, --line-numbers  show line numbers (Alt-N toggles them)\n"
    "      --no-mouse      leave the mouse to the terminal (no click to place the cursor)\n"
    "  -h, --help          show this help and exit\n"
    "  -V, --version       show the version and exit\n"
    "\n"
    "In the editor, F1 lists every key. Ctrl-S saves, Ctrl-Q quits. See weft(1).\n";

/* The usage: the head line, one line per subcommand from the table, the options. */
static const char *usage_text(void)
{
    static char text[2048];
    if (text[0])
        return text;
    size_t n = (size_t)snprintf(text, sizeof text, "%s", usage_head);
    for (size_t i = 0; i < NSUBCOMMANDS && n < sizeof text; i++) {
        char call[64];
        snprintf(call, sizeof call, "weft %s %s", subcommands[i].name, subcommands[i].args);
        n += (size_t)snprintf(text + n, sizeof text - n, "       %-30s  %s\n", call,
                              subcommands[i].summary);
    }
    if (n < sizeof text)
        snprintf(text + n, sizeof text - n, "%s", usage_tail);
    return text;
}

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
        case 'h': fputs(usage_text(), stdout); return 0;
        case 'V': puts("weft " PACKAGE_VERSION); return 0;
        default: return cli_bad_option("weft", usage_text(), c, "", argv);
        }
    }
    return cli_operand("weft", usage_text(), "FILE", argc, argv, &o->file);
}

/* `weft [OPTIONS] FILE`: the editor alone. Returns the exit status. */
static int edit(int argc, char **argv)
{
    struct options opt;
    int status = parse_args(argc, argv, &opt);
    if (status >= 0)
        return status;
    ui_set_locale();
    wf_set_oom_hook(term_oom_hook);

    struct stat sb;
    bool dir = stat(opt.file, &sb) == 0 && S_ISDIR(sb.st_mode);
    /* A session shares the file: editing it alone too would overwrite one or the other. */
    if (!dir && !hostlock_edit_anyway(opt.file))
        return 1;
    static struct editor ed; /* zeroed, and it lives until exit */
    char err[1024];
    int e = dir ? editor_open_dir(&ed, opt.file, err, sizeof err)
                : editor_open(&ed, opt.file, err, sizeof err);
    if (e != 0) {
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

int main(int argc, char **argv)
{
    for (size_t i = 0; argc >= 2 && i < NSUBCOMMANDS; i++)
        if (!strcmp(argv[1], subcommands[i].name))
            return subcommands[i].main(argc - 1, argv + 1);
    return edit(argc, argv);
}
