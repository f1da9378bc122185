/* `weft host FILE`: edit FILE and share it (DESIGN.md §1, §4).
 *
 * The file is loaded as for `weft FILE`; a wn_host (net/host.h) shares the editor's
 * document on the editor's loop. The tickets are printed before the terminal is taken over,
 * and Ctrl-T shows them again. Our edits reach the guests through session_update() after
 * each input event (ops.edited); theirs arrive as `changed` events, after which the view's
 * anchors are resolved again, so nothing we see moves. The host owns the file: Ctrl-S saves
 * it as in `weft FILE`, and a guest's save request saves it too, unless the file changed on
 * disk, which only the host may decide about (the guest is told why). */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "app/cmd/cli.h"
#include "app/cmd/collab.h"
#include "app/cmd/hostlock.h"
#include "app/cmd/journal.h"
#include "app/cmd/share.h"
#include "app/ui/term.h"
#include "core/buf.h"
#include "core/codec.h"
#include "core/mem.h"
#include "net/host.h"
#include "net/ticket.h"

static const char usage_text[] =
    "Usage: weft host FILE [OPTIONS]\n"
    "Edit FILE and share it: prints the join tickets, then opens the editor.\n"
    "\n"
    "Options:\n"
    "  --listen HOST:PORT    address to listen on (default 127.0.0.1:0: loopback, any port)\n"
    "  --token TOKEN         the session token (16-128 of A-Z a-z 0-9 _ -; default: random,\n"
    "                        or $WEFT_TOKEN)\n"
    "  --read-only-guests    also print tickets that admit read-only guests\n"
    "  --name NAME           your name as others see it (default $WEFT_NAME, then $USER)\n"
    "  --ssh-host [USER@]HOST[:PORT]\n"
    "                        how guests reach this machine over ssh, for the ssh tickets\n"
    "  --recover             continue the session a crash left in its journal\n"
    "  --discard             throw that journal away and start a new session\n"
    "  -n, --line-numbers    show line numbers (Alt-N toggles them)\n"
    "      --no-mouse        leave the mouse to the terminal\n"
    "  -h, --help            show this help and exit\n"
    "\n"
    "In the editor, Ctrl-T shows the tickets again and Ctrl-O follows a participant.\n";

struct host {
    struct collab c;          /* first: the collab callbacks get this */
    wn_host *host;
    uint64_t clock;           /* our presence's clock */
    journal *journal;         /* crash recovery (app/cmd/journal.h), or NULL */
    uv_timer_t journal_timer; /* fsync within JOURNAL_SYNC_MS; compaction after saves */
    size_t journal_records;   /* updates recorded since the journal last started over */
    hostlock *lock;           /* one process shares the file at a time, or NULL */
};

struct host_options {
    const char *file, *listen, *token, *name, *ssh_host;
    bool read_only, line_numbers, mouse, recover, discard;
};

static struct host *of(void *data)
{
    return data;
}

/* --- what the editor asks ------------------------------------------------------------- */

static void op_edited(void *ctx)
{
    wn_host_local_changed(of(ctx)->host);
}

static void op_presence(void *ctx, const wn_presence *p)
{
    struct host *h = of(ctx);
    wn_presence mine = *p;
    mine.clock = ++h->clock; /* a newer record replaces the older one at the guests */
    wn_host_set_presence(h->host, &mine);
}

static void op_saved(void *ctx, const char *text)
{
    wn_host_notice(of(ctx)->host, text);
}

static const struct session_ops ops = {
    .edited = op_edited, .presence = op_presence, .saved = op_saved,
};

/* --- what the network says ------------------------------------------------------------ */

static void on_changed(void *data)
{
    struct host *h = data;
    h->c.ed.buf->modified = true;
    editor_doc_changed(&h->c.ed);
    session_follow_update(&h->c.ed);
    h->c.ui.redraw = true;
}

/* Takes the guests' list again; tells everyone who came and went. */
static void refresh_people(struct host *h)
{
    const wn_presence *list;
    size_t n = wn_host_guests(h->host, &list);
    char joined[200], left[200];
    session_set_people(&h->c.sess, list, n, joined, left, sizeof joined);
    char text[256];
    if (joined[0]) {
        snprintf(text, sizeof text, "%s joined", joined);
        wn_host_notice(h->host, text);
    }
    if (left[0]) {
        snprintf(text, sizeof text, "%s left", left);
        wn_host_notice(h->host, text);
    }
    session_follow_update(&h->c.ed);
    h->c.ui.redraw = true;
}

static void on_presence(void *data)
{
    refresh_people(data);
}

static void on_log(void *data, const char *line)
{
    struct host *h = data;
    collab_notice(&h->c, !strncmp(line, "refus", 5) || !strncmp(line, "dropped", 7), "%s", line);
    refresh_people(h);
}

/* A guest's Ctrl-S. Saved as the host's Ctrl-S would, except that a file changed on disk
 * is not overwritten on a guest's word: the host is told, and decides with Ctrl-S. */
static void on_save(void *data, uint64_t agent)
{
    struct host *h = data;
    struct editor *ed = &h->c.ed;
    const wn_presence *who = session_find(&h->c.sess, agent);
    const char *name = who ? who->name : "a guest";
    char text[sizeof ed->msg + 64];
    if (file_changed(ed->buf->path, &ed->buf->stamp)) {
        snprintf(text, sizeof text, "Not saved: %s changed on disk since it was opened; "
                 "the host decides whether to overwrite it.", ed->buf->path);
        wn_host_save_done(h->host, agent, false, text);
        collab_notice(&h->c, true, "%s asked to save, but %s changed on disk: press Ctrl-S "
                      "to decide.", name, ed->buf->path);
        return;
    }
    bool ok = editor_save(ed, true);
    if (ok)
        session_saved(&h->c.sess, ed->msg);
    wn_host_save_done(h->host, agent, ok, ed->msg);
    collab_notice(&h->c, !ok, "%s asked to save. %s", name, ed->msg);
    ed->msg[0] = '\0';
}

static void on_recorded(void *data, const uint8_t *update, size_t n)
{
    struct host *h = data;
    char err[512];
    if (!h->journal)
        return;
    if (journal_append(h->journal, update, n, err, sizeof err) != 0)
        collab_notice(&h->c, true, "%s", err);
    else
        h->journal_records++;
}

static void on_coloured(void *data, uint64_t agent, uint8_t colour)
{
    struct host *h = data;
    char err[512];
    if (h->journal && journal_append_colour(h->journal, agent, colour, err, sizeof err) != 0)
        collab_notice(&h->c, true, "%s", err);
}

/* Flushes the journal to disk; once the file is saved, starts it over from the saved text. */
static void on_journal_timer(uv_timer_t *t)
{
    struct host *h = t->data;
    if (!h->journal)
        return;
    journal_tick(h->journal);
    char err[512];
    if (!h->c.ed.buf->modified && h->journal_records > 0) {
        if (journal_restart(h->journal, h->c.ed.buf->doc, err, sizeof err) != 0)
            collab_notice(&h->c, true, "%s", err);
        h->journal_records = 0;
    }
}

/* Quitting the editor ends the session: the guests are told, and whether it was saved. A
 * signal or a hang-up (a closed terminal, a dropped ssh login) is no decision to end it:
 * the journal stays for `weft host FILE` to recover, and the guests, not told, reconnect
 * to it as after a crash. */
static void stop(struct collab *c, void (*done)(void *), void *data)
{
    struct host *h = (struct host *)c;
    uv_close((uv_handle_t *)&h->journal_timer, NULL);
    if (c->ui.stopped)
        wn_host_stop(h->host, done, data);
    else
        wn_host_end(h->host, WN_END_QUIT, !c->ed.buf->modified, done, data);
}

/* --- start ---------------------------------------------------------------------------- */

static int parse(int argc, char **argv, struct host_options *o)
{
    static const struct option longopts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"token", required_argument, NULL, 't'},
        {"read-only-guests", no_argument, NULL, 'r'},
        {"name", required_argument, NULL, 'N'},
        {"ssh-host", required_argument, NULL, 's'},
        {"recover", no_argument, NULL, 'R'},
        {"discard", no_argument, NULL, 'D'},
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
        switch (c) {
        case 'l': o->listen = optarg; break;
        case 't': o->token = optarg; break;
        case 'r': o->read_only = true; break;
        case 'N': o->name = optarg; break;
        case 's': o->ssh_host = optarg; break;
        case 'n': o->line_numbers = true; break;
        case 'M': o->mouse = false; break;
        case 'R': o->recover = true; break;
        case 'D': o->discard = true; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: return cli_bad_option("weft host", usage_text, c, "ltNs", argv);
        }
    }
    int st = cli_operand("weft host", usage_text, "FILE", argc, argv, &o->file);
    if (st != -1)
        return st;
    if (share_check_ssh_host("weft host", o->ssh_host) != 0)
        return 2;
    if (o->recover && o->discard) {
        fputs("weft host: --recover and --discard exclude each other\n", stderr);
        return 2;
    }
    return -1;
}

/* What to do about a journal left by a session that did not end cleanly: the options say,
 * else the user (before the editor takes the terminal). 'r' recover, 'd' discard, 'q'. */
static int journal_choice(const struct host_options *o, const char *jpath)
{
    if (o->recover)
        return 'r';
    if (o->discard)
        return 'd';
    if (!isatty(STDIN_FILENO))
        return 'q';
    fprintf(stderr, "weft: %s has a journal of a session that did not end cleanly (%s).\n"
            "Recover it (the text as it was, and the guests reconnect by themselves)? "
            "[Y]es, [n]o: discard it, [q]uit: ", o->file, jpath);
    char line[16];
    if (!fgets(line, sizeof line, stdin))
        return 'q';
    return line[0] == 'n' || line[0] == 'N' ? 'd' : line[0] == 'q' || line[0] == 'Q' ? 'q' : 'r';
}

/* Prints the tickets to stdout, keeps them for Ctrl-T and leaves them in the file's lock
 * for a second comer to show. */
static int tickets(struct host *h, const struct host_options *o, const char *rw, const char *ro)
{
    char *text = share_tickets(wn_host_address(h->host), o->ssh_host, rw, ro);
    if (!text)
        return WN_ETICKET;
    fputs(text, stdout);
    fflush(stdout);
    int e = h->lock ? hostlock_set_tickets(h->lock, text) : 0;
    if (e)
        collab_notice(&h->c, true, "Cannot note the tickets in the file's lock: %s.",
                      strerror(-e));
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        session_add_ticket(&h->c.sess, line);
    free(text);
    return 0;
}

/* Starts sharing, continuing a recovered session when was has one (its doc_id, tokens and
 * colours), and the journal. */
static int start(struct host *h, const struct host_options *o, const char *rw, const char *ro,
                 const uint8_t *doc_id, const char *listen, const journal_session *was)
{
    struct collab *c = &h->c;
    wn_host_config cfg = {
        .listen = listen, .token_rw = rw, .token_ro = ro, .name = share_name(o->name, "host"),
        .file = o->file, .doc_id = doc_id, .version = PACKAGE_VERSION,
        .colours = was->colours, .ncolours = was->ncolours,
    };
    wn_host_events ev = {
        .changed = on_changed, .presence = on_presence, .log = on_log, .save = on_save,
        .recorded = on_recorded, .coloured = on_coloured,
    };
    int e = wn_host_start(&c->loop, c->ed.buf->doc, &cfg, &ev, h, &h->host);
    if (e) {
        fprintf(stderr, "weft host: cannot listen on %s: %s.\n"
                "Give --listen an address of this machine (e.g. 127.0.0.1:0 for any free "
                "port on loopback).\n", listen ? listen : "127.0.0.1:0", wn_strerror(e));
        return 1;
    }
    char *jpath = journal_path(o->file), *abs = realpath(o->file, NULL), jerr[512];
    journal_session js = {.token_rw = (char *)rw, .token_ro = (char *)ro,
                          .listen = (char *)wn_host_address(h->host),
                          .file = abs ? abs : (char *)o->file,
                          .colours = was->colours, .ncolours = was->ncolours};
    memcpy(js.doc_id, doc_id, WN_DOC_ID_BYTES);
    if (!jpath || journal_create(jpath, &js, c->ed.buf->doc, &h->journal, jerr, sizeof jerr) != 0)
        collab_notice(c, true, "No crash journal (%s): a crash would lose recent edits.",
                      jpath ? jerr : strerror(errno));
    free(jpath);
    free(abs);
    uv_timer_init(&c->loop, &h->journal_timer);
    h->journal_timer.data = h;
    uv_timer_start(&h->journal_timer, on_journal_timer, JOURNAL_SYNC_MS, JOURNAL_SYNC_MS);
    if (tickets(h, o, rw, ro) != 0) {
        fprintf(stderr, "weft host: cannot form the tickets for %s.\n",
                wn_host_address(h->host));
        return 1;
    }
    return 0;
}

/* What to do with a journal a session of the file left (asked, or told by the options):
 * recovers it into the editor, replacing doc_id, the tokens and listen; *js gets the
 * session. Returns -1 to go on, or the exit status. */
static int recover(struct host *h, struct host_options *o, char *rw, char *ro, uint8_t *doc_id,
                   const char **listen, journal_session *js)
{
    struct collab *c = &h->c;
    char *jpath = journal_path(o->file);
    int status = -1;
    if (!jpath || access(jpath, F_OK) != 0) {
        free(jpath);
        return -1;
    }
    int choice = journal_choice(o, jpath);
    if (choice == 'q') {
        fprintf(stderr, "weft host: %s has a journal of an unfinished session (%s): run "
                "again with --recover to continue it, or --discard to start over\n",
                o->file, jpath);
        status = 2;
    } else if (choice == 'd') {
        unlink(jpath);
    } else {
        wf_doc *doc;
        char note[512];
        int e = journal_recover(jpath, share_new_agent(), js, &doc, note, sizeof note);
        if (e) {
            fprintf(stderr, "weft host: cannot recover from %s: %s\n", jpath,
                    *note ? note : strerror(-e));
            status = 1;
        } else {
            editor_replace_doc(&c->ed, doc);
            editor_reset_view(&c->ed);
            c->ed.buf->modified = true;
            memcpy(doc_id, js->doc_id, WN_DOC_ID_BYTES);
            snprintf(rw, WN_TOKEN_MAX + 1, "%s", js->token_rw);
            if (js->token_ro)
                snprintf(ro, WN_TOKEN_MAX + 1, "%s", js->token_ro);
            o->read_only = js->token_ro != NULL;
            if (!*listen)
                *listen = js->listen;
            editor_message(&c->ed, false, "Recovered the session: %.400s.", note);
        }
    }
    free(jpath);
    return status;
}

/* The editor and the session, once the file is ours to share (rw and ro: WN_TOKEN_MAX + 1
 * bytes, replaced by a recovered session's). Returns the exit status. */
static int run(struct host *h, struct host_options *o, char *rw, char *ro)
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
    if (editor_open(&c->ed, o->file, err, sizeof err) != 0) {
        fprintf(stderr, "weft: %s\n", err);
        editor_close(&c->ed);
        return 1;
    }
    /* A session that did not end cleanly left a journal: continue it, or not. */
    uint8_t doc_id[WN_DOC_ID_BYTES];
    share_new_doc_id(doc_id);
    const char *listen = o->listen;
    journal_session js;
    memset(&js, 0, sizeof js);
    int status = recover(h, o, rw, ro, doc_id, &listen, &js);
    if (status >= 0) {
        journal_session_free(&js);
        editor_close(&c->ed);
        return status;
    }
    c->ed.line_numbers = o->line_numbers;
    c->ed.clock = ui_now_ms;
    session_init(&c->sess, SESSION_HOST, &ops, h);
    c->ed.session = &c->sess;
    c->ui = (struct ui){.ed = &c->ed, .mouse = o->mouse};
    c->stop = stop;
    uv_loop_init(&c->loop);
    status = start(h, o, rw, o->read_only ? ro : NULL, doc_id, listen, &js);
    journal_session_free(&js);
    if (status == 0) {
        const char *base = strrchr(o->file, '/') ? strrchr(o->file, '/') + 1 : o->file;
        collab_notice(c, false, "Sharing %s: Ctrl-T shows the join tickets.", base);
        status = collab_run(c);
    } else {
        if (h->host)
            wn_host_stop(h->host, NULL, NULL);
        uv_run(&c->loop, UV_RUN_DEFAULT);
        uv_loop_close(&c->loop);
    }
    /* Ended with everything saved: the journal has nothing left to protect. */
    journal_close(h->journal, status == 0 && !c->ed.buf->modified);
    session_close(&c->sess);
    editor_close(&c->ed);
    return status;
}

int host_main(int argc, char **argv)
{
    struct host_options o;
    int rc = parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    char rw[WN_TOKEN_MAX + 1], ro[WN_TOKEN_MAX + 1];
    int status = share_session_tokens("weft host", o.token, o.read_only, rw, ro);
    if (status >= 0)
        return status;
    /* One process shares a file at a time: before anything touches its journal. */
    static struct host h;
    status = hostlock_share("weft host", o.file, &h.lock);
    if (status < 0)
        status = run(&h, &o, rw, ro);
    hostlock_release(h.lock);
    sodium_memzero(rw, sizeof rw);
    sodium_memzero(ro, sizeof ro);
    return status;
}
