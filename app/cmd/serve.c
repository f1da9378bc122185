/* `weft serve FILE`: share FILE without an editor, until SIGINT or SIGTERM.
 *
 * Prints the tickets on stdout, then logs one line per join, leave, refusal and save on
 * stderr. The file is saved when a guest asks, on SIGINT/SIGTERM (when anything changed),
 * and with --autosave N, N seconds after the last change. Saves are atomic (app/editor/file.h). */
#include "app/cmd/serve.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "app/cmd/cli.h"
#include "app/cmd/hostlock.h"
#include "app/cmd/journal.h"
#include "app/cmd/share.h"
#include "app/editor/file.h"
#include "core/mem.h"
#include "net/host.h"
#include "net/ticket.h"

static const char usage_text[] =
    "Usage: weft serve FILE [OPTIONS]\n"
    "Share FILE without an editor until interrupted; guests join with the printed tickets.\n"
    "\n"
    "Options:\n"
    "  --listen HOST:PORT    address to listen on (default 127.0.0.1:0: loopback, any port)\n"
    "  --token TOKEN         the session token (16-128 of A-Z a-z 0-9 _ -; default: random,\n"
    "                        or $WEFT_TOKEN)\n"
    "  --read-only-guests    also print tickets that admit read-only guests\n"
    "  --name NAME           your name as others see it (default $WEFT_NAME, then $USER)\n"
    "  --ssh-host [USER@]HOST[:PORT]\n"
    "                        how guests reach this machine over ssh, for the ssh tickets\n"
    "  --autosave SECONDS    save that long after the last change\n"
    "  --recover             continue the session a crash left in its journal\n"
    "  --discard             throw that journal away and start a new session\n"
    "  -h, --help            show this help and exit\n";

struct serve {
    uv_loop_t loop;
    wf_doc *doc;
    wn_host *host;
    const char *path;
    struct file_stamp stamp;
    bool dirty;               /* changed since loaded or saved */
    unsigned autosave;        /* seconds, 0: off */
    uv_timer_t autosave_timer;
    uv_signal_t sigint, sigterm;
    int status;
    bool stopping;
    journal *journal;         /* NULL if it could not be started */
    uv_timer_t journal_timer; /* fsync within JOURNAL_SYNC_MS */
    bool saved_at_end;
};

static void logline(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void logline(const char *fmt, ...)
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

static bool next_chunk(void *ctx, const char **p, size_t *n)
{
    return wf_iter_next(ctx, p, n);
}

/* Saves the document; returns true on success. The message goes to the log and, through
 * *text, to whoever asked. */
static bool save(struct serve *s, char *text, size_t size)
{
    if (s->stamp.exists && file_changed(s->path, &s->stamp)) {
        struct stat sb;
        bool gone = stat(s->path, &sb) != 0 && errno == ENOENT;
        logline("%s %s since it was loaded; the session's text replaces it", s->path,
                gone ? "was removed" : "changed on disk");
    }
    wf_iter it;
    wf_iter_init(&it, s->doc, 0, SIZE_MAX);
    enum file_step step;
    int err = file_write_atomic(s->path, next_chunk, &it, &s->stamp, &step);
    if (err) {
        snprintf(text, size, "cannot save %s: %s failed: %s", s->path, file_step_name(step),
                 strerror(-err));
        logline("%s", text);
        return false;
    }
    s->dirty = false;
    snprintf(text, size, "saved %s (%llu bytes)", s->path,
             (unsigned long long)wf_doc_bytes(s->doc));
    logline("%s", text);
    /* The file holds everything now: start the journal over, so it stops growing. */
    char jerr[512];
    if (s->journal && journal_restart(s->journal, s->doc, jerr, sizeof jerr) != 0)
        logline("%s", jerr);
    return true;
}

static void on_log(void *data, const char *line)
{
    (void)data;
    logline("%s", line);
}

static void on_autosave(uv_timer_t *t)
{
    struct serve *s = t->data;
    char text[512];
    if (s->dirty && save(s, text, sizeof text))
        wn_host_notice(s->host, text);
}

static void on_changed(void *data)
{
    struct serve *s = data;
    s->dirty = true;
    if (s->autosave)
        uv_timer_start(&s->autosave_timer, on_autosave, (uint64_t)s->autosave * 1000, 0);
}

static void on_save(void *data, uint64_t agent)
{
    struct serve *s = data;
    char text[512];
    bool ok = save(s, text, sizeof text);
    wn_host_save_done(s->host, agent, ok, text);
    if (ok)
        wn_host_notice(s->host, text);
}

static void on_recorded(void *data, const uint8_t *update, size_t n)
{
    struct serve *s = data;
    char err[512];
    if (s->journal && journal_append(s->journal, update, n, err, sizeof err) != 0)
        logline("%s", err);
}

static void on_coloured(void *data, uint64_t agent, uint8_t colour)
{
    struct serve *s = data;
    char err[512];
    if (s->journal && journal_append_colour(s->journal, agent, colour, err, sizeof err) != 0)
        logline("%s", err);
}

static void on_journal_timer(uv_timer_t *t)
{
    struct serve *s = t->data;
    if (s->journal && journal_tick(s->journal) != 0)
        logline("cannot flush the journal to disk: %s", strerror(errno));
}

static void on_stopped(void *data)
{
    struct serve *s = data;
    s->host = NULL;
    uv_close((uv_handle_t *)&s->journal_timer, NULL);
    uv_close((uv_handle_t *)&s->autosave_timer, NULL);
    uv_close((uv_handle_t *)&s->sigint, NULL);
    uv_close((uv_handle_t *)&s->sigterm, NULL);
}

static void on_signal(uv_signal_t *sig, int signum)
{
    struct serve *s = sig->data;
    if (s->stopping)
        return;
    s->stopping = true;
    logline("stopping (%s)", strsignal(signum));
    char text[512];
    if (s->dirty && !save(s, text, sizeof text))
        s->status = 1;
    s->saved_at_end = !s->dirty;
    wn_host_end(s->host, signum == SIGINT ? WN_END_INTERRUPTED : WN_END_TERMINATED,
                s->saved_at_end, on_stopped, s);
}

struct serve_options {
    const char *file, *listen, *token, *name, *ssh_host;
    bool read_only;
    unsigned autosave;
    bool recover, discard;
};

static int parse(int argc, char **argv, struct serve_options *o)
{
    static const struct option longopts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"token", required_argument, NULL, 't'},
        {"read-only-guests", no_argument, NULL, 'r'},
        {"name", required_argument, NULL, 'n'},
        {"ssh-host", required_argument, NULL, 's'},
        {"autosave", required_argument, NULL, 'a'},
        {"recover", no_argument, NULL, 'R'},
        {"discard", no_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'l': o->listen = optarg; break;
        case 't': o->token = optarg; break;
        case 'r': o->read_only = true; break;
        case 'n': o->name = optarg; break;
        case 's': o->ssh_host = optarg; break;
        case 'a': {
            unsigned long v = strtoul(optarg, &end, 10);
            if (*end || end == optarg || v == 0 || v > 86400) {
                fprintf(stderr, "weft serve: --autosave wants seconds (1-86400)\n");
                return 2;
            }
            o->autosave = (unsigned)v;
            break;
        }
        case 'R': o->recover = true; break;
        case 'D': o->discard = true; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: return cli_bad_option("weft serve", usage_text, c, "ltnsa", argv);
        }
    }
    int st = cli_operand("weft serve", usage_text, "FILE", argc, argv, &o->file);
    if (st != -1)
        return st;
    if (share_check_ssh_host("weft serve", o->ssh_host) != 0)
        return 2;
    if (o->recover && o->discard) {
        fprintf(stderr, "weft serve: --recover and --discard exclude each other\n");
        return 2;
    }
    return -1;
}

/* Serves the file once it is ours to share (token and token_ro: WN_TOKEN_MAX + 1 bytes,
 * replaced by a recovered session's). Returns the exit status. */
static int run(struct serve_options o, char *token, char *token_ro, hostlock *lock)
{
    static struct serve s;
    s.path = o.file;
    s.autosave = o.autosave;
    uint8_t doc_id[WN_DOC_ID_BYTES];
    share_new_doc_id(doc_id);
    const char *listen = o.listen;
    char *jpath = journal_path(o.file);
    journal_session js;
    memset(&js, 0, sizeof js);
    bool recovered = false;
    if (!jpath) {
        fprintf(stderr, "weft: cannot use the journal directory (%s): a crash would lose "
                        "edits; set XDG_STATE_HOME or HOME\n", strerror(errno));
    } else if (access(jpath, F_OK) == 0) {
        if (o.discard) {
            unlink(jpath);
            logline("discarded the journal of an unfinished session of %s", o.file);
        } else if (!o.recover) {
            fprintf(stderr, "weft serve: %s has a journal of an unfinished session (%s): "
                            "run again with --recover to continue it (guests reconnect by "
                            "themselves), or with --discard to start over\n", o.file, jpath);
            free(jpath);
            return 2;
        } else {
            char note[512];
            int e = journal_recover(jpath, share_new_agent(), &js, &s.doc, note, sizeof note);
            if (e) {
                fprintf(stderr, "weft serve: cannot recover from %s: %s\n", jpath,
                        *note ? note : strerror(-e));
                free(jpath);
                return 1;
            }
            recovered = true;
            logline("recovered the session of %s: %s", o.file, note);
            memcpy(doc_id, js.doc_id, WN_DOC_ID_BYTES);
            snprintf(token, WN_TOKEN_MAX + 1, "%s", js.token_rw);
            if (js.token_ro)
                snprintf(token_ro, WN_TOKEN_MAX + 1, "%s", js.token_ro);
            o.read_only = js.token_ro != NULL;
            if (!listen)
                listen = js.listen;
            s.dirty = true; /* the journal may hold edits the file does not */
        }
    } else if (o.recover) {
        logline("no journal to recover for %s: starting a new session", o.file);
    }
    char *buf = NULL;
    size_t len = 0;
    int e = file_read(o.file, &buf, &len, &s.stamp);
    if (e && e != -ENOENT) {
        char why[1024];
        file_open_error(o.file, e, len, why, sizeof why);
        fprintf(stderr, "weft: %s\n", why);
        free(buf);
        wf_doc_free(s.doc);
        journal_session_free(&js);
        free(jpath);
        return 1;
    }
    if (recovered) {
        free(buf); /* the journal's text is the session's */
    } else {
        s.doc = wf_doc_new(share_new_agent());
        if (buf && (e = wf_doc_load(s.doc, buf, len)) != 0) {
            fprintf(stderr, "weft: cannot load %s: %s\n", o.file, wf_strerror(e));
            wf_doc_free(s.doc);
            free(jpath);
            return 1;
        }
    }
    uv_loop_init(&s.loop);
    wn_host_config cfg = {
        .listen = listen, .token_rw = token, .token_ro = o.read_only ? token_ro : NULL,
        .name = share_name(o.name, "host"), .file = o.file, .doc_id = doc_id,
        .version = PACKAGE_VERSION, .colours = js.colours, .ncolours = js.ncolours,
    };
    wn_host_events ev = {.changed = on_changed, .log = on_log, .save = on_save,
                         .recorded = on_recorded, .coloured = on_coloured};
    e = wn_host_start(&s.loop, s.doc, &cfg, &ev, &s, &s.host);
    if (e) {
        fprintf(stderr, "weft: cannot listen on %s: %s\n", listen ? listen : "127.0.0.1:0",
                wn_strerror(e));
        uv_run(&s.loop, UV_RUN_DEFAULT);
        uv_loop_close(&s.loop);
        wf_doc_free(s.doc);
        journal_session_free(&js);
        free(jpath);
        return 1;
    }
    if (jpath) {
        char *abs = realpath(o.file, NULL);
        journal_session now = {.token_rw = token, .token_ro = o.read_only ? token_ro : NULL,
                               .listen = (char *)wn_host_address(s.host),
                               .file = abs ? abs : (char *)o.file,
                               .colours = js.colours, .ncolours = js.ncolours};
        memcpy(now.doc_id, doc_id, WN_DOC_ID_BYTES);
        char jerr[512];
        if (journal_create(jpath, &now, s.doc, &s.journal, jerr, sizeof jerr) != 0)
            logline("%s: a crash would lose edits", jerr);
        free(abs);
    }
    journal_session_free(&js);
    signal(SIGPIPE, SIG_IGN);
    uv_timer_init(&s.loop, &s.autosave_timer);
    s.autosave_timer.data = &s;
    uv_timer_init(&s.loop, &s.journal_timer);
    s.journal_timer.data = &s;
    uv_timer_start(&s.journal_timer, on_journal_timer, JOURNAL_SYNC_MS, JOURNAL_SYNC_MS);
    uv_signal_init(&s.loop, &s.sigint);
    uv_signal_init(&s.loop, &s.sigterm);
    s.sigint.data = s.sigterm.data = &s;
    uv_signal_start(&s.sigint, on_signal, SIGINT);
    uv_signal_start(&s.sigterm, on_signal, SIGTERM);
    logline("sharing %s on %s", o.file, wn_host_address(s.host));
    char *tickets = share_tickets(wn_host_address(s.host), o.ssh_host, token,
                                  o.read_only ? token_ro : NULL);
    if (!tickets) {
        logline("cannot form the tickets for %s", wn_host_address(s.host));
    } else {
        fputs(tickets, stdout);
        fflush(stdout);
        /* for a second `weft serve` of the file to show */
        if (lock && (e = hostlock_set_tickets(lock, tickets)) != 0)
            logline("cannot note the tickets in the file's lock: %s", strerror(-e));
        free(tickets);
    }
    uv_run(&s.loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&s.loop) != 0)
        logline("a handle was left open at exit");
    /* A clean end with the file saved needs no journal; otherwise it stays for --recover. */
    journal_close(s.journal, s.saved_at_end);
    free(jpath);
    wf_doc_free(s.doc);
    return s.status;
}

int serve_main(int argc, char **argv)
{
    struct serve_options o;
    int rc = parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    char token[WN_TOKEN_MAX + 1], token_ro[WN_TOKEN_MAX + 1];
    int status = share_session_tokens("weft serve", o.token, o.read_only, token, token_ro);
    if (status >= 0)
        return status;
    /* One process shares a file at a time: before anything touches its journal (--discard
     * least of all). A lock that cannot be taken leaves the file unguarded, not unserved. */
    hostlock *lock;
    status = hostlock_share("weft serve", o.file, &lock);
    if (status < 0)
        status = run(o, token, token_ro, lock);
    hostlock_release(lock);
    sodium_memzero(token, sizeof token);
    sodium_memzero(token_ro, sizeof token_ro);
    return status;
}
