/* `weft ls TICKET`: join a session, print the paths of its shared files (relative to the
 * shared directory, one per line, in the host's order: depth first, names in byte order;
 * directories only through the files in them), leave. A one-file session lists its file's
 * name. A reader that stops reading ends the output quietly, with status 0. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "app/cmd/cli.h"
#include "app/cmd/cmd.h"
#include "app/cmd/peek.h"

static const char usage_text[] =
    "Usage: weft ls TICKET\n"
    "Print the paths of the files a shared session shows guests, one per line.\n"
    "\n"
    "Options:\n"
    "  -h, --help            show this help and exit\n";

static void on_page(struct peek *p, const wn_entries *page)
{
    for (size_t i = 0; i < page->n; i++) {
        const wn_entry *e = &page->v[i].entry;
        if (e->kind == WN_KIND_DIR)
            continue;
        if (fputs(e->path, stdout) == EOF || putchar('\n') == EOF) {
            if (errno == EPIPE) /* the reader has all it wanted */
                peek_finish(p, 0, NULL);
            else
                peek_finish(p, 1, "cannot write the list: %s", strerror(errno));
            return;
        }
    }
}

static void on_listed(struct peek *p)
{
    if (fflush(stdout) == EOF && errno != EPIPE)
        peek_finish(p, 1, "cannot write the list: %s", strerror(errno));
    peek_finish(p, 0, NULL);
}

static int parse(int argc, char **argv, const char **ticket)
{
    int st = cli_help_only("weft ls", usage_text, argc, argv);
    if (st >= 0)
        return st;
    return cli_operand("weft ls", usage_text, "TICKET", argc, argv, ticket);
}

int ls_main(int argc, char **argv)
{
    const char *ticket;
    int status = parse(argc, argv, &ticket);
    if (status >= 0)
        return status;
    static const struct peek_ops ops = {.page = on_page, .listed = on_listed};
    /* Static: zeroed, and it outlives every handle on the loop. */
    static struct peek p;
    p.prog = "weft ls";
    p.ops = &ops;
    return peek_run(&p, ticket);
}
