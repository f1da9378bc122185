/* `weft cat TICKET [PATH]`: join a session, print a shared file's text byte for byte, leave.
 *
 * A one-file session needs no PATH (given, it must be the file's name). A shared directory
 * needs one: the manifest is paged through for it, and the file with that path is opened.
 * A PATH that is not in the manifest (hidden by the host's filter, outside the root,
 * nonexistent) gets one and the same answer, so that a guest cannot learn that a hidden
 * file exists. A reader that stops reading (`weft cat TICKET | head -1`) closes the pipe:
 * that ends the output quietly, with status 0, as it does for cat(1) in a pipeline. */
#include <errno.h>
#include <getopt.h> /* optind */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cmd/cli.h"
#include "app/cmd/cmd.h"
#include "app/cmd/peek.h"
#include "app/cmd/share.h"

static const char usage_text[] =
    "Usage: weft cat TICKET [PATH]\n"
    "Print the current text of a shared file to standard output. A session sharing a\n"
    "directory needs the file's PATH in it (`weft ls TICKET` lists them).\n"
    "\n"
    "Options:\n"
    "  -h, --help            show this help and exit\n";

struct cat {
    const char *path;  /* the PATH operand, or NULL */
    uint64_t file;     /* its id once found in the manifest, or 0 */
};

static void not_shared(struct peek *p, const char *path)
{
    peek_finish(p, 1, "%s is not shared in this session", path);
}

static void on_page(struct peek *p, const wn_entries *page)
{
    struct cat *c = p->ctx;
    for (size_t i = 0; i < page->n && !c->file; i++) {
        const wn_entry *e = &page->v[i].entry;
        bool single = peek_single_file(p);
        if (e->kind != WN_KIND_DIR && ((!c->path && single) ||
                                       (c->path && !strcmp(c->path, e->path))))
            c->file = e->id;
    }
}

static void on_listed(struct peek *p)
{
    struct cat *c = p->ctx;
    if (!c->path && !peek_single_file(p))
        peek_finish(p, 2, "this session shares a directory: name the file to print, "
                    "weft cat TICKET PATH (weft ls TICKET lists the paths)");
    else if (!c->file)
        not_shared(p, c->path ? c->path : "the file");
    else
        peek_open(p, c->file);
}

static void on_opened(struct peek *p, uint64_t file, wf_doc *doc, const char *why)
{
    struct cat *c = p->ctx;
    if (file != c->file) {
        wf_doc_free(doc);
        return;
    }
    if (!doc) {
        peek_finish(p, 1, "%s", why && why[0] ? why : "the host refused the file");
        return;
    }
    int e = share_write_stream(doc, stdout);
    wf_doc_free(doc);
    if (e == -EPIPE) /* the reader has all it wanted */
        e = 0;
    if (e)
        peek_finish(p, 1, "cannot write the text: %s", strerror(-e));
    else
        peek_finish(p, 0, NULL);
}

/* The operands: TICKET, and PATH when given. Returns -1 to go on, or the exit status. */
static int parse(int argc, char **argv, const char **ticket, const char **path)
{
    int st = cli_help_only("weft cat", usage_text, argc, argv);
    if (st >= 0)
        return st;
    *path = NULL;
    if (argc - optind == 2) {
        *ticket = argv[optind];
        *path = argv[optind + 1];
        return -1;
    }
    return cli_operand("weft cat", usage_text, "TICKET", argc, argv, ticket);
}

int cat_main(int argc, char **argv)
{
    const char *ticket;
    const char *path;
    int status = parse(argc, argv, &ticket, &path);
    if (status >= 0)
        return status;
    static const struct peek_ops ops = {.page = on_page, .listed = on_listed,
                                        .opened = on_opened};
    /* Static: zeroed, and they outlive every handle on the loop. */
    static struct cat c;
    static struct peek p;
    c.path = path;
    p.prog = "weft cat";
    p.ops = &ops;
    p.ctx = &c;
    return peek_run(&p, ticket);
}
