/* `weft join TICKET`: edit a shared session's document (DESIGN.md §1, §4).
 *
 * The first attempt to join is made before the editor starts, on the terminal as it is: ssh
 * may ask there (an unknown host key, a password, a passphrase) without drawing over the
 * editor, and a final no (wrong token, ssh refused the login, no such host) ends weft at
 * once with the reason, exit status 1. Joined, or not reached yet (the host is not running,
 * the network is away), the editor starts; until the host's document arrives the status
 * line says why and when the next try is (Ctrl-Q gives up, exit status 1), and edits are
 * refused (typing into the empty document would land at its very start). Later attempts
 * never let ssh ask (net/guest.h). From then on the guest keeps editing whatever happens to
 * the connection: offline, edits wait and go out on reconnecting, until the host ends the
 * session: then we say who ended it and what of ours did not arrive, and stop. Ctrl-S asks
 * the host to save; without the host, it saves a copy here. A read-only ticket gives a
 * read-only editor. A journal (app/cmd/journal.h) keeps our copy while the host has not
 * confirmed all our edits, so that they survive a crash of this process too: the next
 * `weft join` with the same ticket starts from it. */
#include <ctype.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "app/cmd/cli.h"
#include "app/cmd/cmd.h"
#include "app/cmd/collab.h"
#include "app/cmd/join-internal.h"
#include "app/cmd/journal.h"
#include "app/cmd/share.h"
#include "app/editor/agent.h"
#include "app/ui/term.h"
#include "core/mem.h"
#include "net/crypto.h"
#include "net/guest.h"
#include "net/ticket.h"

static const char usage_text[] =
    "Usage: weft join TICKET [OPTIONS]\n"
    "Join a shared session in the editor. TICKET is what `weft host` printed:\n"
    "weft://TOKEN@HOST:PORT, or ssh://[USER@]SSHHOST[:SSHPORT]/TOKEN@HOST:PORT (through ssh).\n"
    "\n"
    "Options:\n"
    "  --name NAME           your name as others see it (default $WEFT_NAME, then the\n"
    "                        name setting of weftrc, then $USER)\n"
    "  -n, --line-numbers    show line numbers (Alt-N toggles them)\n"
    "      --no-mouse        leave the mouse to the terminal\n"
    "  -h, --help            show this help and exit\n"
    "\n"
    "The first connection is made before the editor starts (ssh may ask for a password or\n"
    "a host key there); a final no (wrong token, login refused) exits with status 1.\n"
    "Until the session is reached the status line says why; Ctrl-Q gives up.\n"
    "Ctrl-S asks the host to save (offline: saves a copy here). $WEFT_SSH replaces ssh.\n";

struct join_options {
    const char *ticket, *name;
    bool line_numbers, mouse;
};

/* --- what the editor asks ------------------------------------------------------------- */

static void op_edited(void *ctx)
{
    struct join *j = ctx;
    if (!j->project)
        wn_guest_local_changed(j->guest);
    else if (j->c.ed.buf->file_id) /* a project's file (the scratch buffer is ours alone) */
        wn_guest_file_changed(j->guest, j->c.ed.buf->file_id);
    session_set_sync_state(&j->c.sess, j->c.sess.in_sync, wn_guest_unsent(j->guest));
}

static void op_presence(void *ctx, const wn_presence *p)
{
    wn_guest_set_presence(((struct join *)ctx)->guest, p);
}

static void op_save(void *ctx)
{
    struct join *j = ctx;
    if (!j->project)
        wn_guest_request_save(j->guest);
    else if (j->c.ed.buf->file_id)
        wn_guest_save_file(j->guest, j->c.ed.buf->file_id);
}

static bool op_open_file(void *ctx, const char *rel)
{
    return join_project_open(ctx, rel);
}

static bool op_show_file(void *ctx, uint64_t file)
{
    return join_project_show(ctx, file);
}

static void op_tree(void *ctx, int op, uint64_t file, const char *path, const char *path2)
{
    join_project_tree(ctx, op, file, path, path2);
}

static const struct session_ops ops = {
    .edited = op_edited, .presence = op_presence, .save = op_save,
    .open_file = op_open_file, .show_file = op_show_file, .tree = op_tree,
};

/* --- what the network says ------------------------------------------------------------ */

static void journal_start(struct join *j);

/* The default path of a copy: "<host>-session.weft-copy" in the current directory, with
 * anything but letters, digits, '.', '_' and '-' in the name made '_'. */
static void copy_path(const char *host, char *out, size_t size)
{
    char name[WN_NAME_MAX + 1];
    size_t n = 0;
    for (const char *p = host; *p && n < sizeof name - 1; p++)
        name[n++] = isalnum((unsigned char)*p) || strchr("._-", *p) ? *p : '_';
    name[n] = '\0';
    snprintf(out, size, "%s.weft-copy", n && name[0] != '.' ? name : "weft-session");
}

/* The first time the document arrives: the view starts at its top. */
static void first_sync(struct join *j)
{
    struct collab *c = &j->c;
    session_set_synced(&c->sess);
    editor_reset_view(&c->ed);
    /* Named after the shared file when the host says which (else after the host). */
    const char *file = wn_guest_file_name(j->guest);
    char title[WN_NAME_MAX + 300], path[WN_NAME_MAX + 300];
    if (*file)
        snprintf(title, sizeof title, "%s (%s)", file, c->sess.host_name);
    else
        snprintf(title, sizeof title, "%s's session", c->sess.host_name);
    copy_path(*file ? file : c->sess.host_name, path, sizeof path);
    free(c->ed.buf->title);
    c->ed.buf->title = wf_xstrndup(title, strlen(title));
    free(c->ed.buf->path);
    c->ed.buf->path = wf_xstrndup(path, strlen(path));
    /* Its syntax and conventions by the host's file name and the text now here. */
    editor_configure_buffer(&c->ed, file, false);
    journal_start(j);
}

static void on_changed(void *data)
{
    struct join *j = data;
    struct collab *c = &j->c;
    if (!c->sess.synced && wn_guest_synced(j->guest))
        first_sync(j);
    editor_doc_changed(&c->ed);
    session_follow_update(&c->ed);
    session_set_sync_state(&c->sess, wn_guest_in_sync(j->guest), wn_guest_unsent(j->guest));
    session_update(&c->ed); /* our presence, now that it can point into the text */
    c->ui.redraw = true;
}

static void on_replaced(void *data, wf_doc *doc)
{
    struct join *j = data;
    editor_replace_doc(&j->c.ed, doc);
    journal_start(j);
    session_follow_update(&j->c.ed);
    j->c.ui.redraw = true;
}

static void on_presence(void *data)
{
    struct join *j = data;
    const wn_presence *list;
    size_t n = wn_guest_participants(j->guest, &list);
    session_set_people(&j->c.sess, list, n, NULL, NULL, 0);
    session_follow_update(&j->c.ed);
    j->c.ui.redraw = true;
}

_Static_assert((int)SESSION_ENDED == (int)WN_GUEST_ENDED, "session links are guest states");

/* The host ended the session (why says who and why): says what of ours it did not get, and
 * offers the copy. The notice stays: no session is coming back to replace it. */
static void ended(struct join *j, const char *why)
{
    struct collab *c = &j->c;
    const wn_goodbye *bye = wn_guest_goodbye(j->guest);
    char lost[WN_NAME_MAX + 96];
    if (bye->all_received)
        snprintf(lost, sizeof lost, "All your edits reached %s%s", bye->host,
                 bye->saved ? " and were saved" : ", who did not save them");
    else if (bye->unsent)
        snprintf(lost, sizeof lost, "%llu characters you typed did not reach %s",
                 (unsigned long long)bye->unsent, bye->host);
    else
        snprintf(lost, sizeof lost, "Your last deletions did not reach %s", bye->host);
    if (c->sess.read_only) /* nothing of ours to lose */
        collab_notice(c, false, "%s. Ctrl-S saves a copy.", why);
    else
        collab_notice(c, !bye->all_received, "%s. %s%s Ctrl-S saves a copy.", why, lost,
                      bye->all_received ? "." : ":");
    session_keep_notice(&c->sess);
    /* All confirmed: what the journal holds need not outlive us, as if it had started
     * over (not rewritten: another guest of the same ticket here shares the file). */
    j->confirmed = bye->all_received;
    if (bye->all_received)
        j->journal_records = 0;
}

static void link_notice(struct join *j);

static void on_state(void *data, int state, const char *why)
{
    struct join *j = data;
    struct collab *c = &j->c;
    int was = c->sess.link;
    session_set_link(&c->sess, state); /* online: the host forgot our presence */
    if (state != WN_GUEST_ONLINE) {
        snprintf(j->why, sizeof j->why, "%s", why);
        j->failures = wn_guest_failures(j->guest);
    }
    session_set_sync_state(&c->sess, c->sess.in_sync, wn_guest_unsent(j->guest));
    switch (state) {
    case WN_GUEST_ONLINE:
        session_set_host(&c->sess, wn_guest_host_name(j->guest),
                         wn_guest_role(j->guest) == WN_ROLE_RO);
        if (!c->sess.synced && !wn_guest_single_file(j->guest))
            join_project_begin(j); /* a project: its files come when picked */
        else if (!c->sess.synced) /* the first time (first_sync() comes next) */
            collab_notice(c, false, "Joined %s's session%s.", c->sess.host_name,
                          c->sess.read_only ? " (read-only: you can watch, not edit)" : "");
        else
            collab_notice(c, false, "Back online with %s; your edits made meanwhile were sent.",
                          c->sess.host_name);
        if (j->project && was != SESSION_CONNECTING)
            join_project_online(j); /* the host lists its files again */
        session_update(&c->ed);
        break;
    case WN_GUEST_RECONNECTING:
        if (!c->sess.synced)
            link_notice(j); /* not joined yet: why, and when the next try is */
        else if (was != SESSION_RECONNECTING) /* not again on every failed attempt */
            collab_notice(c, true, "Lost the host (%s). Reconnecting; keep editing, nothing "
                          "is lost.", why);
        break;
    case WN_GUEST_OFFLINE:
        if (!c->sess.synced) {
            /* A final no before we ever joined: nothing to edit; say it on the terminal. */
            c->ed.quit = true;
            uv_stop(&c->loop);
        } else {
            link_notice(j);
        }
        break;
    case WN_GUEST_ENDED:
        ended(j, why);
        break;
    default:
        break;
    }
    c->ui.redraw = true;
}

static void on_notice(void *data, const char *text)
{
    struct join *j = data;
    /* The host tells everyone who joined, us too; our own welcome says more. */
    if (strcmp(text, j->joined_me) != 0)
        collab_notice(&j->c, false, "%s", text);
}

static void on_saved(void *data, bool ok, const char *text)
{
    struct join *j = data;
    if (ok)
        collab_notice(&j->c, false, "%s: %s", j->c.sess.host_name, text);
    else
        collab_notice(&j->c, true, "%s could not save: %s", j->c.sess.host_name, text);
}

/* The journal says why only when a write first fails (then it stops recording): err stays
 * "" for the refusals that follow. */
static void on_recorded(void *data, const uint8_t *update, size_t n)
{
    struct join *j = data;
    char err[512] = "";
    if (!j->journal)
        return;
    if (journal_append(j->journal, update, n, err, sizeof err) == 0)
        j->journal_records++;
    else if (err[0])
        collab_notice(&j->c, true, "%s", err);
}

/* Starts the guest's journal from the document as it is now. */
static void journal_start(struct join *j)
{
    if (!j->jpath)
        return;
    journal_session js = {.token_rw = j->tokenbuf, .listen = j->hostport,
                          .file = j->c.ed.buf->title ? j->c.ed.buf->title : ""};
    if (!wn_guest_doc_id(j->guest, js.doc_id))
        return;
    char err[512];
    journal_close(j->journal, false);
    j->journal = NULL;
    if (journal_create(j->jpath, &js, j->c.ed.buf->doc, &j->journal, err, sizeof err) != 0)
        collab_notice(&j->c, true, "%s: a crash would lose your unsent edits", err);
    j->journal_records = 0;
}

/* The notice that says what is wrong with the link, while something is: not joined yet
 * (why, the attempt, the next try, the key that gives up) or offline for good. Shown again
 * when it changes (the countdown) or has timed out, unless another message is up. */
static void link_notice(struct join *j)
{
    struct collab *c = &j->c;
    int link = c->sess.link;
    bool waiting = link == SESSION_RECONNECTING && !c->sess.synced;
    if (!waiting && link != SESSION_OFFLINE)
        return;
    if ((c->sess.notice[0] && strcmp(c->sess.notice, j->link_notice) != 0) || c->ed.msg[0])
        return; /* another message has the status line now */
    char text[sizeof j->why + 128]; /* cut to the notice's size by collab_notice() */
    if (link == SESSION_OFFLINE) {
        size_t n = strlen(j->why);
        snprintf(text, sizeof text, "Offline: %s%s Your edits stay here: Ctrl-S saves a copy.",
                 j->why, n && strchr(".!?", j->why[n - 1]) ? "" : ".");
    } else {
        unsigned failed = wn_guest_failures(j->guest);
        uint64_t in = wn_guest_retry_in(j->guest);
        if (in > 0)
            snprintf(text, sizeof text, "Cannot reach the host (attempt %u): next try in %u s; "
                     "Ctrl-Q gives up. %s", failed, (unsigned)((in + 999) / 1000), j->why);
        else
            snprintf(text, sizeof text, "Cannot reach the host (attempt %u): trying again now; "
                     "Ctrl-Q gives up. %s", failed, j->why);
    }
    if (strcmp(text, c->sess.notice) != 0 || !c->sess.notice[0]) {
        collab_notice(c, true, "%s", text);
        snprintf(j->link_notice, sizeof j->link_notice, "%s", c->sess.notice);
    }
}

/* The digest's verdict and the unsent count change without an event. */
static void poll_guest(struct collab *c)
{
    struct join *j = (struct join *)c;
    link_notice(j);
    bool in_sync = wn_guest_in_sync(j->guest);
    uint64_t unsent = wn_guest_unsent(j->guest);
    const wn_goodbye *bye = wn_guest_goodbye(j->guest);
    j->confirmed = bye ? bye->all_received : in_sync && unsent == 0;
    if (j->journal) {
        journal_tick(j->journal);
        /* All confirmed: start over from here, so the journal stays small. */
        if (in_sync && j->journal_records > 0)
            journal_start(j);
    }
    if (session_set_sync_state(&c->sess, in_sync, unsent))
        c->ui.redraw = true;
}

static void stop(struct collab *c, void (*done)(void *), void *data)
{
    wn_guest_stop(((struct join *)c)->guest, done, data);
}

/* --- start ---------------------------------------------------------------------------- */

static int parse(int argc, char **argv, struct join_options *o)
{
    static const struct option longopts[] = {
        {"name", required_argument, NULL, 'N'},
        {"line-numbers", no_argument, NULL, 'n'},
        {"no-mouse", no_argument, NULL, 'M'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct join_options){.mouse = true};
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "nh", longopts, NULL)) != -1) {
        switch (c) {
        case 'N': o->name = optarg; break;
        case 'n': o->line_numbers = true; break;
        case 'M': o->mouse = false; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: return cli_bad_option("weft join", usage_text, c, "N", argv);
        }
    }
    return cli_operand("weft join", usage_text, "TICKET", argc, argv, &o->ticket);
}

/* The ticket checked into *t (free with wn_ticket_free()), libsodium and the terminal
 * ready. Returns -1 to go on, or the exit status after saying why. */
static int prepare(const char *ticket, wn_ticket *t)
{
    char err[256];
    if (wn_ticket_parse(ticket, t, err, sizeof err) != 0) {
        fprintf(stderr, "weft join: %s\n", err);
        return 2;
    }
    if (wn_crypto_init() != 0) {
        fprintf(stderr, "weft: cannot initialise libsodium (no entropy source?)\n");
        wn_ticket_free(t);
        return 1;
    }
    if (ui_check_terminal(err, sizeof err) != 0) {
        fprintf(stderr, "weft: %s\n", err);
        wn_ticket_free(t);
        return 1;
    }
    ui_set_locale();
    wf_set_oom_hook(term_oom_hook);
    signal(SIGPIPE, SIG_IGN);
    return -1;
}

/* A journal from a session of ours that did not end cleanly: its copy (a new document) and
 * the session's doc_id, so that the edits the host never confirmed go out on joining; note
 * says what was recovered. NULL when there is none to resume. */
static wf_doc *resume(struct join *j, uint8_t doc_id[WN_DOC_ID_BYTES], char *note,
                      size_t notesize)
{
    j->jpath = journal_path_for_join(j->ticket);
    if (!j->jpath || access(j->jpath, F_OK) != 0)
        return NULL;
    journal_session js;
    wf_doc *doc = NULL;
    if (journal_recover(j->jpath, agent_random(), &js, &doc, note, notesize) != 0)
        return NULL;
    memcpy(doc_id, js.doc_id, WN_DOC_ID_BYTES);
    journal_session_free(&js);
    return doc;
}

/* The editor, on doc (a resumed copy; NULL: a new empty document), with its session. */
static void open_editor(struct join *j, const struct join_options *o, const wn_ticket *t,
                        wf_doc *doc, const char *title)
{
    struct collab *c = &j->c;
    char path[WN_NAME_MAX + 32];
    copy_path(t->ssh ? t->ssh_host : t->host, path, sizeof path);
    editor_open_doc(&c->ed, doc ? doc : wf_doc_new(agent_random()), path, title);
    c->ed.line_numbers = o->line_numbers;
    c->ed.clock = ui_now_ms;
    session_init(&c->sess, SESSION_GUEST, &ops, j);
    session_add_ticket(&c->sess, j->ticket);
    c->ed.session = &c->sess;
    c->ui = (struct ui){.ed = &c->ed, .mouse = o->mouse};
    c->stop = stop;
    c->on_tick = poll_guest;
}

/* Starts the guest on the loop (doc_id: the resumed copy's session, or NULL). Returns -1 to
 * go on, or the exit status after saying why. */
static int start(struct join *j, const struct join_options *o, const wn_ticket *t,
                 const uint8_t *doc_id, const char *where)
{
    struct collab *c = &j->c;
    int e = uv_loop_init(&c->loop);
    if (e) {
        fprintf(stderr, "weft join: cannot start the event loop: %s.\n", uv_strerror(e));
        return 1;
    }
    snprintf(j->joined_me, sizeof j->joined_me, "%s joined", share_name(o->name, "guest"));
    wn_guest_config cfg = {
        .ticket = t, .weft_ssh = getenv("WEFT_SSH"), .name = share_name(o->name, "guest"),
        .version = PACKAGE_VERSION, .reconnect = true, .doc_id = doc_id, .ssh_may_ask = true,
    };
    wn_guest_events ev = {
        .changed = on_changed, .replaced = on_replaced, .presence = on_presence,
        .state = on_state, .notice = on_notice, .saved = on_saved, .recorded = on_recorded,
    };
    fprintf(stderr, "weft: connecting to %s...\n", where);
    e = wn_guest_start_any(&c->loop, c->ed.buf->doc, &cfg, &ev, &join_project_events, j,
                           &j->guest);
    if (e) {
        fprintf(stderr, "weft join: %s\n", wn_strerror(e));
        uv_loop_close(&c->loop);
        return 1;
    }
    return -1;
}

/* The first attempt, then the editor until it quits (unless a final no came first).
 * Returns the exit status. */
static int run(struct join *j, const char *where)
{
    struct collab *c = &j->c;
    /* The first attempt, on the terminal as it is (see the top of this file). */
    while (c->sess.link == SESSION_CONNECTING && uv_run(&c->loop, UV_RUN_ONCE))
        ;
    int status = c->sess.link == SESSION_OFFLINE ? collab_finish(c) : collab_run(c);
    if (!c->sess.synced && status == 0 && !c->ui.stopped) {
        /* Never joined: a final no, or Ctrl-Q while the host could not be reached. */
        if (c->sess.link == SESSION_OFFLINE)
            fprintf(stderr, "weft join: cannot join %s: %s\n", where, j->why);
        else
            fprintf(stderr, "weft join: gave up on %s after %u attempts; the last one: %s\n",
                    where, j->failures, j->why);
        status = 1;
    }
    return status;
}

/* Left with everything confirmed by the host (as last seen: stopping the guest has closed
 * its connection by now): nothing for the journal to keep. */
static void close_journal(struct join *j, int status)
{
    bool confirmed = j->confirmed && j->journal_records == 0;
    journal_close(j->journal, status == 0 && confirmed);
    if (!j->journal && j->jpath && status == 0 && confirmed)
        unlink(j->jpath);
    j->journal = NULL;
    free(j->jpath);
    j->jpath = NULL;
}

int join_main(int argc, char **argv)
{
    struct join_options o;
    wn_ticket t;
    int status = parse(argc, argv, &o);
    if (status >= 0 || (status = prepare(o.ticket, &t)) >= 0)
        return status;
    /* Static: zeroed, and it outlives every handle on its loop. */
    static struct join j;
    char *canon = wn_ticket_format(&t);
    snprintf(j.ticket, sizeof j.ticket, "%s", canon ? canon : o.ticket);
    free(canon);
    snprintf(j.tokenbuf, sizeof j.tokenbuf, "%s", t.token);
    snprintf(j.hostport, sizeof j.hostport, "%s:%u", t.host, t.port);
    char title[300], where[700], note[512] = "";
    snprintf(title, sizeof title, "%s:%u", t.host, t.port);
    if (t.ssh)
        snprintf(where, sizeof where, "%s through ssh to %s", title, t.ssh_host);
    else
        snprintf(where, sizeof where, "%s", title);
    uint8_t doc_id[WN_DOC_ID_BYTES];
    wf_doc *doc = resume(&j, doc_id, note, sizeof note);
    bool resumed = doc != NULL;
    open_editor(&j, &o, &t, doc, title);
    status = start(&j, &o, &t, resumed ? doc_id : NULL, where);
    wn_ticket_free(&t);
    if (status < 0) {
        if (resumed)
            collab_notice(&j.c, false, "Resuming your copy from the last session (%s).", note);
        status = run(&j, where);
    }
    close_journal(&j, status);
    session_close(&j.c.sess);
    editor_close(&j.c.ed);
    join_project_free(&j);
    return status;
}
