/* `weft serve FILE`: share FILE without an editor, until SIGINT or SIGTERM.
 *
 * Prints the tickets on stdout, then logs one line per join, leave, refusal and save on
 * stderr. The file is saved when a guest asks, on SIGINT/SIGTERM (when anything changed),
 * and with --autosave N, N seconds after the last change. Saves are atomic (app/editor/file.h). */
#include "app/cmd/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uv.h>

#include "app/cmd/cli.h"
#include "app/cmd/hosting.h"
#include "app/cmd/share.h"
#include "app/editor/agent.h"
#include "app/editor/file.h"
#include "core/mem.h"
#include "net/host.h"

static const char usage_text[] =
    "Usage: weft serve FILE|DIR [OPTIONS]\n"
    "Share FILE, or the directory DIR, without an editor until interrupted; guests join\n"
    "with the printed tickets. A directory is shared through its filter: no .git, nothing\n"
    ".gitignore or .weftignore hides, no private files (.env*, keys); `weft ls TICKET`\n"
    "lists what guests see.\n"
    "\n"
    "Options:\n"
    HOSTING_USAGE_SESSION
    "  --autosave SECONDS    save that long after the last change (FILE only)\n"
    HOSTING_USAGE_JOURNAL
    "  -h, --help            show this help and exit\n";

/* The wn_host's callbacks get &hs, whose ctx is this. */
struct serve {
    uv_loop_t loop;
    struct hosting hs;        /* the options, tokens, lock, wn_host and journal */
    wf_doc *doc;
    struct file_stamp stamp;
    bool dirty;               /* changed since loaded or saved */
    unsigned autosave;        /* seconds, 0: off */
    uv_timer_t autosave_timer;
    struct hosting_signals signals;
    int status;
    bool stopping;
    bool saved_at_end;
};

struct serve_options {
    struct hosting_options share;
    unsigned autosave;        /* --autosave SECONDS, 0: off */
};

static struct serve *of(void *data)
{
    return ((struct hosting *)data)->ctx;
}

static bool next_chunk(void *ctx, const char **p, size_t *n)
{
    return wf_iter_next(ctx, p, n);
}

/* Saves the document; returns true on success. The message goes to the log and, through
 * *text, to whoever asked. */
static bool save(struct serve *s, char *text, size_t size)
{
    const char *path = s->hs.o.file;
    if (s->stamp.exists && file_changed(path, &s->stamp)) {
        struct stat sb;
        bool gone = stat(path, &sb) != 0 && errno == ENOENT;
        hosting_log("%s %s since it was loaded; the session's text replaces it", path,
                gone ? "was removed" : "changed on disk");
    }
    wf_iter it;
    wf_iter_init(&it, s->doc, 0, SIZE_MAX);
    enum file_step step;
    int err = file_write_atomic(path, next_chunk, &it, &s->stamp, &step);
    if (err) {
        snprintf(text, size, "cannot save %s: %s failed: %s", path, file_step_name(step),
                 strerror(-err));
        hosting_log("%s", text);
        return false;
    }
    s->dirty = false;
    snprintf(text, size, "saved %s (%llu bytes)", path,
             (unsigned long long)wf_doc_bytes(s->doc));
    hosting_log("%s", text);
    return true; /* the journal starts over on its next tick (hosting.h) */
}

static void on_log(void *data, const char *line)
{
    (void)data;
    hosting_log("%s", line);
}

/* What hosting says after the start: a line of the log. */
static void say(void *ctx, bool error, const char *text)
{
    (void)ctx;
    (void)error;
    hosting_log("%s", text);
}

/* Whether the file holds the document (then the journal starts over). */
static bool saved(void *ctx)
{
    return !((struct serve *)ctx)->dirty;
}

static void on_autosave(uv_timer_t *t)
{
    struct serve *s = t->data;
    char text[512];
    if (s->dirty && save(s, text, sizeof text))
        wn_host_notice(s->hs.host, text);
}

static void on_changed(void *data)
{
    struct serve *s = of(data);
    s->dirty = true;
    if (!s->autosave || s->stopping)
        return;
    int e = uv_timer_start(&s->autosave_timer, on_autosave, (uint64_t)s->autosave * 1000, 0);
    if (e)
        hosting_log("cannot schedule the autosave (%s): the file is saved on a guest's word "
                "and at the end", uv_strerror(e));
}

static void on_save(void *data, uint64_t agent)
{
    struct serve *s = of(data);
    char text[512];
    bool ok = save(s, text, sizeof text);
    wn_host_save_done(s->hs.host, agent, ok, text);
    if (ok)
        wn_host_notice(s->hs.host, text);
}

static void on_stopped(void *data)
{
    struct serve *s = data;
    s->hs.host = NULL;
    hosting_stop_timer(&s->hs);
    uv_close((uv_handle_t *)&s->autosave_timer, NULL);
    hosting_release_signals(&s->signals);
}

static void on_signal(uv_signal_t *sig, int signum)
{
    struct serve *s = sig->data;
    if (s->stopping)
        return;
    s->stopping = true;
    hosting_log("stopping (%s)", strsignal(signum));
    char text[512];
    if (s->dirty && !save(s, text, sizeof text))
        s->status = 1;
    s->saved_at_end = !s->dirty;
    wn_host_end(s->hs.host, hosting_end_reason(signum),
                s->saved_at_end, on_stopped, s);
}

static int parse(int argc, char **argv, struct serve_options *o)
{
    static const struct option longopts[] = {
        HOSTING_LONGOPTS,
        {"autosave", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (hosting_option(&o->share, c, optarg))
            continue;
        char *end;
        switch (c) {
        case 'a': {
            unsigned long v = strtoul(optarg, &end, 10);
            if (*end || end == optarg || v == 0 || v > 86400) {
                fprintf(stderr, "weft serve: --autosave wants seconds (1-86400)\n");
                return 2;
            }
            o->autosave = (unsigned)v;
            break;
        }
        case 'h': fputs(usage_text, stdout); return 0;
        default:
            return cli_bad_option("weft serve", usage_text, c, HOSTING_NEEDS_ARG "a", argv);
        }
    }
    return hosting_options_check("weft serve", usage_text, argc, argv, &o->share);
}

/* The journal of an unfinished session: recovered into s->doc, discarded or refused, as
 * the options say. Returns -1 to go on, or the exit status. */
static int recover(struct serve *s)
{
    const char *file = s->hs.o.file;
    enum hosting_journal found;
    char note[512];
    int status = hosting_recover(&s->hs, false, &found, &s->doc, note, sizeof note);
    if (status >= 0)
        return status;
    if (found == HOSTING_DISCARDED) {
        hosting_log("discarded the journal of an unfinished session of %s", file);
    } else if (found == HOSTING_RECOVERED) {
        hosting_log("recovered the session of %s: %s", file, note);
        s->dirty = true; /* the journal may hold edits the file does not */
    } else if (s->hs.o.recover) {
        hosting_log("no journal to recover for %s: starting a new session", file);
    }
    return -1;
}

/* Reads the file (a missing one is new and empty) into s->doc, unless a recovered session
 * has the text already. Returns 0, or 1 after saying why. */
static int load(struct serve *s)
{
    const char *file = s->hs.o.file;
    char *buf = NULL;
    size_t len = 0;
    int e = file_read(file, &buf, &len, &s->stamp);
    if (e && e != -ENOENT) {
        char why[1024];
        file_open_error(file, e, len, why, sizeof why);
        fprintf(stderr, "weft: %s\n", why);
        free(buf);
        return 1;
    }
    if (s->doc) {
        free(buf); /* the journal's text is the session's */
        return 0;
    }
    s->doc = wf_doc_new(agent_random());
    if (buf && (e = wf_doc_load(s->doc, buf, len)) != 0) {
        fprintf(stderr, "weft: cannot load %s: %s\n", file, wf_strerror(e));
        return 1;
    }
    return 0;
}

/* Serves the file once it is ours to share. Returns the exit status. */
static int run(struct serve *s)
{
    int status = recover(s);
    if (status >= 0)
        return status;
    if (load(s) != 0)
        return 1;
    int e = uv_loop_init(&s->loop);
    if (e) {
        fprintf(stderr, "weft serve: cannot start the event loop: %s.\n", uv_strerror(e));
        return 1;
    }
    wn_host_events ev = {.changed = on_changed, .log = on_log, .save = on_save};
    if (hosting_start(&s->hs, &s->loop, s->doc, ev) != 0) {
        uv_run(&s->loop, UV_RUN_DEFAULT);
        uv_loop_close(&s->loop);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    uv_timer_init(&s->loop, &s->autosave_timer);
    s->autosave_timer.data = s;
    e = hosting_catch_signals(&s->loop, &s->signals, on_signal, s);
    if (e) {
        /* Nothing could stop it but a kill: better not to start. */
        fprintf(stderr, "weft serve: cannot catch SIGINT and SIGTERM: %s.\n", uv_strerror(e));
        s->stopping = true;
        s->status = 1;
        wn_host_stop(s->hs.host, on_stopped, s);
    } else {
        const char *address = wn_host_address(s->hs.host);
        hosting_log("sharing %s on %s", s->hs.o.file, address);
        char *tickets = hosting_print_tickets(&s->hs);
        if (!tickets)
            hosting_log("cannot form the tickets for %s", address);
        free(tickets);
    }
    uv_run(&s->loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&s->loop) != 0)
        hosting_log("a handle was left open at exit");
    return s->status;
}

static int serve_file_or_dir(struct serve_options *o)
{
    /* Static: zeroed, and it outlives every handle on its loop. */
    static struct serve s;
    s.autosave = o->autosave;
    s.hs.say = say;
    s.hs.saved = saved;
    s.hs.ctx = &s;
    struct stat st;
    if (stat(o->share.file, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (o->autosave) {
            fprintf(stderr, "weft serve: %s is a directory: --autosave is for a FILE (guests "
                    "save a directory's files)\n", o->share.file);
            return 2;
        }
        return serve_dir(&o->share);
    }
    int status = hosting_begin(&s.hs, "weft serve", &o->share);
    if (status < 0)
        status = run(&s);
    /* A clean end with the file saved needs no journal; otherwise it stays for --recover. */
    hosting_end(&s.hs, s.saved_at_end);
    wf_doc_free(s.doc);
    return status;
}

int serve_main(int argc, char **argv)
{
    struct serve_options o;
    int status = parse(argc, argv, &o);
    if (status < 0)
        status = serve_file_or_dir(&o);
    hosting_options_release(&o.share);
    return status;
}
