/* `weft host FILE`: edit FILE and share it (DESIGN.md §1, §4).
 *
 * The file is loaded as for `weft FILE`; a wn_host (net/host.h) shares the editor's
 * document on the editor's loop. The tickets are printed before the terminal is taken over,
 * and Ctrl-T shows them again. Our edits reach the guests through session_update() after
 * each input event (ops.edited); theirs arrive as `changed` events, after which the view's
 * anchors are resolved again, so nothing we see moves. The host owns the file: Ctrl-S saves
 * it as in `weft FILE`, and a guest's save request saves it too, unless the file changed on
 * disk, which only the host may decide about (the guest is told why). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uv.h>

#include "app/cmd/cli.h"
#include "app/cmd/cmd.h"
#include "app/cmd/collab.h"
#include "app/cmd/hosting.h"
#include "app/ui/term.h"
#include "core/mem.h"
#include "net/host.h"
#include "net/ticket.h"

static const char usage_text[] =
    "Usage: weft host FILE|DIR [OPTIONS]\n"
    "Edit FILE and share it: prints the join tickets, then opens the editor. A directory\n"
    "shares its files (what .gitignore, .weftignore and the private-file rules leave):\n"
    "Ctrl-P opens one, Alt-A saves them all.\n"
    "\n"
    "Options:\n"
    HOSTING_USAGE_SESSION
    HOSTING_USAGE_JOURNAL
    "  -n, --line-numbers    show line numbers (Alt-N toggles them)\n"
    "      --no-mouse        leave the mouse to the terminal\n"
    "  -h, --help            show this help and exit\n"
    "\n"
    "In the editor, Ctrl-T shows the tickets again and Ctrl-O follows a participant.\n";

/* The session's host is hs; the callbacks of the editor's session (ops) and of the wn_host
 * all get &hs, whose ctx is this. */
struct host {
    struct collab c;   /* first: the collab callbacks get this */
    struct hosting hs; /* the options, tokens, lock, wn_host and journal (app/cmd/hosting.h) */
};

struct host_options {
    struct hosting_options share;
    bool line_numbers, mouse;
};

static struct host *of(void *data)
{
    return ((struct hosting *)data)->ctx;
}

/* --- what the editor asks ------------------------------------------------------------- */

static void op_edited(void *ctx)
{
    wn_host_local_changed(of(ctx)->hs.host);
}

static void op_presence(void *ctx, const wn_presence *p)
{
    struct host *h = of(ctx);
    collab_host_presence(&h->c, h->hs.host, p);
}

static void op_saved(void *ctx, const char *text)
{
    wn_host_notice(of(ctx)->hs.host, text);
}

static const struct session_ops ops = {
    .edited = op_edited, .presence = op_presence, .saved = op_saved,
};

/* --- what the network says ------------------------------------------------------------ */

static void on_changed(void *data)
{
    struct host *h = of(data);
    h->c.ed.buf->modified = true;
    editor_doc_changed(&h->c.ed);
    session_follow_update(&h->c.ed);
    h->c.ui.redraw = true;
}


static void on_presence(void *data)
{
    collab_take_people(&of(data)->c, of(data)->hs.host);
}

static void on_log(void *data, const char *line)
{
    struct host *h = of(data);
    collab_notice(&h->c, !strncmp(line, "refus", 5) || !strncmp(line, "dropped", 7), "%s", line);
    collab_take_people(&h->c, h->hs.host);
}

/* A guest's Ctrl-S. Saved as the host's Ctrl-S would, except that a file changed on disk
 * is not overwritten on a guest's word: the host is told, and decides with Ctrl-S. */
static void on_save(void *data, uint64_t agent)
{
    struct host *h = of(data);
    struct editor *ed = &h->c.ed;
    const wn_presence *who = session_find(&h->c.sess, agent);
    const char *name = who ? who->name : "a guest";
    char text[sizeof ed->msg + 64];
    if (file_changed(ed->buf->path, &ed->buf->stamp)) {
        snprintf(text, sizeof text, "Not saved: %s changed on disk since it was opened; "
                 "the host decides whether to overwrite it.", ed->buf->path);
        wn_host_save_done(h->hs.host, agent, false, text);
        collab_notice(&h->c, true, "%s asked to save, but %s changed on disk: press Ctrl-S "
                      "to decide.", name, ed->buf->path);
        return;
    }
    bool ok = editor_save(ed, true);
    if (ok)
        session_saved(&h->c.sess, ed->msg);
    wn_host_save_done(h->hs.host, agent, ok, ed->msg);
    collab_notice(&h->c, !ok, "%s asked to save. %s", name, ed->msg);
    ed->msg[0] = '\0';
}

/* What hosting says after the start: a notice. */
static void say(void *ctx, bool error, const char *text)
{
    collab_notice(&((struct host *)ctx)->c, error, "%s", text);
}

/* Whether the file holds the document (then the journal starts over). */
static bool saved(void *ctx)
{
    return !((struct host *)ctx)->c.ed.buf->modified;
}

/* Quitting the editor ends the session: the guests are told, and whether it was saved. A
 * signal or a hang-up (a closed terminal, a dropped ssh login) is no decision to end it:
 * the journal stays for `weft host FILE` to recover, and the guests, not told, reconnect
 * to it as after a crash. */
static void stop(struct collab *c, void (*done)(void *), void *data)
{
    struct host *h = (struct host *)c;
    hosting_stop_timer(&h->hs);
    if (c->ui.stopped)
        wn_host_stop(h->hs.host, done, data);
    else
        wn_host_end(h->hs.host, WN_END_QUIT, !c->ed.buf->modified, done, data);
}

/* --- start ---------------------------------------------------------------------------- */

static int parse(int argc, char **argv, struct host_options *o)
{
    static const struct option longopts[] = {
        HOSTING_LONGOPTS,
        {"line-numbers", no_argument, NULL, 'n'},
        {"no-mouse", no_argument, NULL, 'M'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct host_options){.mouse = true};
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "nh", longopts, NULL)) != -1) {
        if (hosting_option(&o->share, c, optarg))
            continue;
        switch (c) {
        case 'n': o->line_numbers = true; break;
        case 'M': o->mouse = false; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: return cli_bad_option("weft host", usage_text, c, HOSTING_NEEDS_ARG, argv);
        }
    }
    return hosting_options_check("weft host", usage_text, argc, argv, &o->share);
}

/* A journal a session of the file left (asked about, or as the options say): recovered
 * into the editor. Returns -1 to go on, or the exit status. */
static int recover(struct host *h)
{
    enum hosting_journal found;
    wf_doc *doc;
    char note[512];
    int status = hosting_recover(&h->hs, true, &found, &doc, note, sizeof note);
    if (status < 0 && found == HOSTING_RECOVERED) {
        editor_replace_doc(&h->c.ed, doc);
        editor_reset_view(&h->c.ed);
        h->c.ed.buf->modified = true;
        editor_message(&h->c.ed, false, "Recovered the session: %.400s.", note);
    }
    return status;
}

/* Starts sharing, and prints the tickets, kept for Ctrl-T. Returns 0 or the exit status. */
static int start(struct host *h)
{
    struct collab *c = &h->c;
    wn_host_events ev = {
        .changed = on_changed, .presence = on_presence, .log = on_log, .save = on_save,
    };
    if (hosting_start(&h->hs, &c->loop, c->ed.buf->doc, ev) != 0)
        return 1;
    return collab_show_tickets(c, &h->hs);
}

/* The editor and the session, once the file is ours to share. *clean: it ended with
 * everything saved (the journal has nothing left to protect). Returns the exit status. */
static int run(struct host *h, const struct host_options *o, bool *clean)
{
    struct collab *c = &h->c;
    char err[1024];
    if (ui_check_terminal(err, sizeof err) != 0) {
        fprintf(stderr, "weft: %s\n", err);
        return 1;
    }
    ui_set_locale();
    wf_set_oom_hook(term_oom_hook);
    signal(SIGPIPE, SIG_IGN);
    if (editor_open(&c->ed, o->share.file, err, sizeof err) != 0) {
        fprintf(stderr, "weft: %s\n", err);
        editor_close(&c->ed);
        return 1;
    }
    /* A session that did not end cleanly left a journal: continue it, or not. */
    int status = recover(h);
    if (status >= 0) {
        editor_close(&c->ed);
        return status;
    }
    if (collab_host_begin(c, &ops, &h->hs, o->line_numbers, o->mouse) != 0)
        return 1;
    c->stop = stop;
    status = start(h);
    if (status == 0) {
        const char *file = o->share.file;
        const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
        collab_notice(c, false, "Sharing %s: Ctrl-T shows the join tickets.", base);
        status = collab_run(c);
    } else {
        hosting_stop_timer(&h->hs);
        if (h->hs.host)
            wn_host_stop(h->hs.host, NULL, NULL);
        uv_run(&c->loop, UV_RUN_DEFAULT);
        uv_loop_close(&c->loop);
    }
    *clean = status == 0 && !c->ed.buf->modified;
    session_close(&c->sess);
    editor_close(&c->ed);
    return status;
}

static int host_file(const struct host_options *o)
{
    struct stat st;
    if (stat(o->share.file, &st) == 0 && S_ISDIR(st.st_mode))
        return host_dir(&o->share, o->line_numbers, o->mouse);
    /* Static: zeroed, and it outlives every handle on its loop. */
    static struct host h;
    h.hs.say = say;
    h.hs.saved = saved;
    h.hs.ctx = &h;
    bool clean = false;
    int status = hosting_begin(&h.hs, "weft host", &o->share);
    if (status < 0)
        status = run(&h, o, &clean);
    hosting_end(&h.hs, clean);
    return status;
}

int host_main(int argc, char **argv)
{
    struct host_options o;
    int status = parse(argc, argv, &o);
    if (status < 0)
        status = host_file(&o);
    hosting_options_release(&o.share);
    return status;
}
