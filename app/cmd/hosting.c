/* What `weft host` and `weft serve` share (see hosting.h).
 *
 * The journal is behind the document from the first update recorded after it last started
 * over (counted in journal_records, whether the write worked or not); once the command says
 * the file holds the document again, the timer starts it over from the document as it is,
 * so that it stops growing, and a journal that had stopped recording (a full disk) records
 * again. */
#include "app/cmd/hosting.h"

#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/cmd/cli.h"
#include "app/cmd/share.h"
#include "app/editor/agent.h"
#include "core/mem.h"

bool hosting_option(struct hosting_options *o, int c, const char *arg)
{
    switch (c) {
    case 'l': o->listen = arg; return true;
    case 't': o->token = arg; return true;
    case 'r': o->read_only = true; return true;
    case 'N': o->name = arg; return true;
    case 's': o->ssh_host = arg; return true;
    case 'R': o->recover = true; return true;
    case 'D': o->discard = true; return true;
    case 'P':
        o->share_private = wf_xreallocarray(o->share_private, o->nshare_private + 1,
                                            sizeof *o->share_private);
        o->share_private[o->nshare_private++] = arg;
        return true;
    default: return false;
    }
}

int hosting_dir_check(const char *prog, const struct hosting_options *o)
{
    if (!o->recover && !o->discard)
        return -1;
    fprintf(stderr, "%s: %s is a directory: --recover and --discard are for a FILE's journal "
            "(a directory has none yet)\n", prog, o->file);
    return 2;
}

void hosting_options_release(struct hosting_options *o)
{
    free(o->share_private);
    o->share_private = NULL;
    o->nshare_private = 0;
}

int hosting_options_check(const char *prog, const char *usage, int argc, char **argv,
                          struct hosting_options *o)
{
    int st = cli_operand(prog, usage, "FILE", argc, argv, &o->file);
    if (st != -1)
        return st;
    if (share_check_ssh_host(prog, o->ssh_host) != 0)
        return 2;
    if (o->recover && o->discard) {
        fprintf(stderr, "%s: --recover and --discard exclude each other\n", prog);
        return 2;
    }
    struct stat sb;
    if (o->nshare_private && (stat(o->file, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
        fprintf(stderr, "%s: --share-private is for a directory's private files, and %s is "
                "not a directory\n", prog, o->file);
        return 2;
    }
    for (size_t i = 0; i < o->nshare_private; i++)
        if (!o->share_private[i][0] || o->share_private[i][0] == '!') {
            fprintf(stderr, "%s: --share-private '%s': a pattern shares files, so it can be "
                    "neither empty nor start with '!'\n", prog, o->share_private[i]);
            return 2;
        }
    return -1;
}

int hosting_begin(struct hosting *h, const char *prog, const struct hosting_options *o)
{
    h->prog = prog;
    h->o = *o;
    h->listen = o->listen;
    int st = share_session_tokens(prog, o->token, o->read_only, h->rw, h->ro);
    if (st >= 0)
        return st;
    share_new_doc_id(h->doc_id); /* libsodium is initialised now */
    /* One process shares a file at a time: before anything touches its journal (--discard
     * least of all). A lock that cannot be taken leaves the file unguarded, not unshared. */
    return hostlock_share(prog, o->file, &h->lock);
}

/* --- recovery ------------------------------------------------------------------------- */

/* What to do about the journal: the options say, else the user when ask and stdin is a
 * terminal (before any editor takes it). 'r' recover, 'd' discard, 'q' neither. */
static int journal_choice(const struct hosting *h, bool ask)
{
    if (h->o.recover)
        return 'r';
    if (h->o.discard)
        return 'd';
    if (!ask || !isatty(STDIN_FILENO))
        return 'q';
    fprintf(stderr, "weft: %s has a journal of a session that did not end cleanly (%s).\n"
            "Recover it (the text as it was, and the guests reconnect by themselves)? "
            "[Y]es, [n]o: discard it, [q]uit: ", h->o.file, h->jpath);
    char line[16];
    if (!fgets(line, sizeof line, stdin))
        return 'q';
    return line[0] == 'n' || line[0] == 'N' ? 'd' : line[0] == 'q' || line[0] == 'Q' ? 'q' : 'r';
}

int hosting_recover(struct hosting *h, bool ask, enum hosting_journal *found, wf_doc **doc,
                    char *note, size_t notesize)
{
    *found = HOSTING_NO_JOURNAL;
    *doc = NULL;
    note[0] = '\0';
    h->jpath = journal_path(h->o.file);
    if (!h->jpath) {
        h->jpath_err = errno; /* said by hosting_start(): the session goes on without */
        return -1;
    }
    if (access(h->jpath, F_OK) != 0)
        return -1;
    switch (journal_choice(h, ask)) {
    case 'q':
        fprintf(stderr, "%s: %s has a journal of an unfinished session (%s): run again with "
                "--recover to continue it (guests reconnect by themselves), or with --discard "
                "to start over\n", h->prog, h->o.file, h->jpath);
        return 2;
    case 'd':
        unlink(h->jpath);
        *found = HOSTING_DISCARDED;
        return -1;
    default:
        break;
    }
    int e = journal_recover(h->jpath, agent_random(), &h->was, doc, note, notesize);
    if (e) {
        fprintf(stderr, "%s: cannot recover from %s: %s\n", h->prog, h->jpath,
                *note ? note : strerror(-e));
        return 1;
    }
    memcpy(h->doc_id, h->was.doc_id, WN_DOC_ID_BYTES);
    snprintf(h->rw, sizeof h->rw, "%s", h->was.token_rw);
    if (h->was.token_ro)
        snprintf(h->ro, sizeof h->ro, "%s", h->was.token_ro);
    h->o.read_only = h->was.token_ro != NULL;
    if (!h->listen)
        h->listen = h->was.listen;
    *found = HOSTING_RECOVERED;
    return -1;
}

/* --- the journal ---------------------------------------------------------------------- */

static void say(struct hosting *h, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(struct hosting *h, bool error, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    h->say(h->ctx, error, text);
}

/* The journal says why only when a write first fails (then it stops recording): err stays
 * "" for the refusals that follow. */
static void on_recorded(void *data, const uint8_t *update, size_t n)
{
    struct hosting *h = data;
    char err[512] = "";
    if (!h->journal)
        return;
    h->journal_records++;
    if (journal_append(h->journal, update, n, err, sizeof err) != 0 && err[0])
        say(h, true, "%s", err);
}

static void on_coloured(void *data, uint64_t agent, uint8_t colour)
{
    struct hosting *h = data;
    char err[512] = "";
    if (h->journal && journal_append_colour(h->journal, agent, colour, err, sizeof err) != 0
        && err[0])
        say(h, true, "%s", err);
}

/* Forces the journal to disk; once the file holds the document, starts it over. */
static void on_journal_timer(uv_timer_t *t)
{
    struct hosting *h = t->data;
    if (!h->journal)
        return;
    int e = journal_tick(h->journal);
    if (e)
        say(h, true, "cannot flush the journal to disk: %s", strerror(-e));
    if (h->journal_records > 0 && h->saved && h->saved(h->ctx)) {
        char err[512] = "";
        if (journal_restart(h->journal, h->doc, err, sizeof err) != 0)
            say(h, true, "%s", err);
        h->journal_records = 0;
    }
}

/* Starts the journal with the session as the host now runs it. */
static void journal_begin(struct hosting *h, uv_loop_t *loop)
{
    if (!h->jpath) {
        say(h, true, "No crash journal: cannot use the journal directory (%s; set "
            "XDG_STATE_HOME or HOME): a crash would lose recent edits.", strerror(h->jpath_err));
        return;
    }
    char *abs = realpath(h->o.file, NULL), err[512] = "";
    journal_session js = {.token_rw = h->rw, .token_ro = h->o.read_only ? h->ro : NULL,
                          .listen = (char *)wn_host_address(h->host),
                          .file = abs ? abs : (char *)h->o.file,
                          .colours = h->was.colours, .ncolours = h->was.ncolours};
    memcpy(js.doc_id, h->doc_id, WN_DOC_ID_BYTES);
    if (journal_create(h->jpath, &js, h->doc, &h->journal, err, sizeof err) != 0)
        say(h, true, "No crash journal (%s): a crash would lose recent edits.", err);
    free(abs);
    if (!h->journal)
        return;
    uv_timer_init(loop, &h->journal_timer);
    h->journal_timer.data = h;
    h->timer_on = true;
    int e = uv_timer_start(&h->journal_timer, on_journal_timer, JOURNAL_SYNC_MS, JOURNAL_SYNC_MS);
    if (e)
        say(h, true, "The journal is written but not forced to disk (%s): a power loss "
            "would lose recent edits.", uv_strerror(e));
}

void hosting_config(const struct hosting *h, wn_host_config *cfg)
{
    *cfg = (wn_host_config){
        .listen = h->listen, .token_rw = h->rw, .token_ro = h->o.read_only ? h->ro : NULL,
        .name = share_name(h->o.name, "host"), .file = h->o.file, .doc_id = h->doc_id,
        .version = PACKAGE_VERSION, .colours = h->was.colours, .ncolours = h->was.ncolours,
    };
}

void hosting_listen_failed(const struct hosting *h, int err)
{
    fprintf(stderr, "%s: cannot listen on %s: %s.\n"
            "Give --listen an address of this machine (e.g. 127.0.0.1:0 for any free "
            "port on loopback).\n", h->prog, h->listen ? h->listen : "127.0.0.1:0",
            wn_strerror(err));
}

int hosting_start(struct hosting *h, uv_loop_t *loop, wf_doc *doc, wn_host_events ev)
{
    wn_host_config cfg;
    hosting_config(h, &cfg);
    ev.recorded = on_recorded;
    ev.coloured = on_coloured;
    h->doc = doc;
    int e = wn_host_start(loop, doc, &cfg, &ev, h, &h->host);
    if (e) {
        hosting_listen_failed(h, e);
    } else {
        journal_begin(h, loop);
    }
    /* The host and the journal have what they need of the recovered session. */
    journal_session_free(&h->was);
    h->listen = h->o.listen;
    return e ? 1 : 0;
}

char *hosting_print_tickets(struct hosting *h)
{
    char *text = share_tickets(wn_host_address(h->host), h->o.ssh_host, h->rw,
                               h->o.read_only ? h->ro : NULL);
    if (!text)
        return NULL;
    fputs(text, stdout);
    fflush(stdout);
    int e = h->lock ? hostlock_set_tickets(h->lock, text) : 0;
    if (e)
        say(h, true, "Cannot note the tickets in the file's lock: %s.", strerror(-e));
    return text;
}

void hosting_log(const char *fmt, ...)
{
    char stamp[32];
    time_t now = time(NULL);
    strftime(stamp, sizeof stamp, "%H:%M:%S", localtime(&now));
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "weft %s: ", stamp);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int hosting_catch_signals(uv_loop_t *loop, struct hosting_signals *sg, uv_signal_cb cb,
                          void *data)
{
    int e = uv_signal_init(loop, &sg->sigint);
    if (e)
        return e;
    e = uv_signal_init(loop, &sg->sigterm);
    if (e) {
        uv_close((uv_handle_t *)&sg->sigint, NULL);
        return e;
    }
    sg->on = true;
    sg->sigint.data = sg->sigterm.data = data;
    e = uv_signal_start(&sg->sigint, cb, SIGINT);
    return e ? e : uv_signal_start(&sg->sigterm, cb, SIGTERM);
}

void hosting_release_signals(struct hosting_signals *sg)
{
    if (!sg->on)
        return;
    uv_close((uv_handle_t *)&sg->sigint, NULL);
    uv_close((uv_handle_t *)&sg->sigterm, NULL);
    sg->on = false;
}

int hosting_end_reason(int signum)
{
    return signum == SIGINT ? WN_END_INTERRUPTED : WN_END_TERMINATED;
}

void hosting_stop_timer(struct hosting *h)
{
    if (h->timer_on)
        uv_close((uv_handle_t *)&h->journal_timer, NULL);
    h->timer_on = false;
}

void hosting_end(struct hosting *h, bool remove_journal)
{
    journal_close(h->journal, remove_journal);
    h->journal = NULL;
    free(h->jpath);
    h->jpath = NULL;
    journal_session_free(&h->was);
    hostlock_release(h->lock);
    h->lock = NULL;
    sodium_memzero(h->rw, sizeof h->rw);
    sodium_memzero(h->ro, sizeof h->ro);
}
