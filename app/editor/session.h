/* A shared session as the editor sees it: who else is here (their presence: name, colour,
 * cursor, selection, view), the state of the connection, whether we may edit, whom we
 * follow, and brief notices for the status line.
 *
 * It knows nothing of sockets. app/cmd/host.c and app/cmd/join.c fill it from net/host.h or
 * net/guest.h, and it asks them to send our edits and presence through session_ops. The
 * editor holds a borrowed pointer to one (NULL when editing alone) and calls
 * session_update() after every input event, so this is the single place where local edits
 * and presence changes leave the editor.
 *
 * Following: our view tracks the followed participant's cursor (their view when it fits,
 * else just enough scrolling to show their cursor); our own cursor stays where it was, so
 * that typing never lands in someone else's text by surprise. Any key of ours other than
 * Ctrl-O, Ctrl-T and F1 (and any click or wheel turn) stops following. */
#ifndef WEFT_APP_EDITOR_SESSION_H
#define WEFT_APP_EDITOR_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/presence.h"

struct editor;

enum session_role { SESSION_HOST, SESSION_GUEST };

/* The link to the host (a host is always SESSION_ONLINE). Same values as enum
 * wn_guest_state; SESSION_ENDED: the host ended the session on purpose. */
enum session_link {
    SESSION_CONNECTING, SESSION_ONLINE, SESSION_RECONNECTING, SESSION_OFFLINE, SESSION_ENDED
};

#define SESSION_TYPING_MS 1000  /* we show as typing this long after a local edit */
#define SESSION_NOTICE_MS 5000  /* a notice stays in the status line this long */
#define SESSION_TICKETS_MAX 8

/* The tree requests of a project (net/proto.h's enum wn_tree_op, in the same order). */
enum session_tree_op {
    SESSION_TREE_CREATE, SESSION_TREE_MKDIR, SESSION_TREE_RENAME, SESSION_TREE_DELETE
};

/* What the editor asks of the network (app/cmd/host.c, app/cmd/join.c). */
struct session_ops {
    void (*edited)(void *ctx);                          /* the document has local edits */
    void (*presence)(void *ctx, const wn_presence *p);  /* our presence changed */
    void (*save)(void *ctx);                            /* a guest's Ctrl-S while online */
    void (*saved)(void *ctx, const char *text);         /* the host saved the file */
    /* A project session (session.project): the picker's choice, rel relative to the
     * project's root. The network side opens it as the session's file (the host at once,
     * a guest once the host sends it) and shows it; false: not one of the session's files,
     * the editor opens it alone. */
    bool (*open_file)(void *ctx, const char *rel);
    /* A project session: show file (a manifest id) because we follow someone into it, or
     * jump there; false when it cannot be shown (yet). */
    bool (*show_file)(void *ctx, uint64_t file);
    /* A project session: asks the host to change the tree (enum session_tree_op; path for
     * a create or mkdir, file and path2 for a rename, file for a delete). The answer comes
     * as a message; a file made so opens. */
    void (*tree)(void *ctx, int op, uint64_t file, const char *path, const char *path2);
    /* Alt-A, after the editor saved its open buffers: the host saves the rest (files only
     * guests have open). Optional. */
    void (*save_all)(void *ctx);
};

struct session {
    int role;                    /* enum session_role */
    bool project;                /* many files (a directory): presence is per file, and
                                    only those in the file shown are drawn in it */
    int link;                    /* enum session_link */
    bool read_only;              /* we may only watch: edits are refused locally */
    bool synced;                 /* the document has arrived (always for a host) */
    bool in_sync;                /* guests: the host's last digest matched our text */
    uint64_t unsent;             /* guests: our units the host does not have yet */
    uint64_t offline_edits;      /* guests: edits made since the link was last online (the
                                    unit count misses deletions) */
    char host_name[WN_NAME_MAX + 1]; /* guests: whose session this is */
    wn_presence *people;         /* owned: everyone else, in order of arrival */
    size_t npeople;              /* entries in people */
    size_t cap;                  /* entries allocated */
    uint64_t follow;             /* the agent we follow, 0 for nobody */
    char *tickets[SESSION_TICKETS_MAX]; /* owned: the lines Ctrl-T shows */
    size_t ntickets;             /* lines in tickets */
    char notice[256];            /* a message from the session, "" for none */
    bool notice_error;           /* it reports a failure (drawn highlighted) */
    uint64_t notice_until;       /* clock (ms) at which it goes away */
    bool typing;                 /* we edited less than SESSION_TYPING_MS ago */
    uint64_t typing_until;       /* clock (ms) at which typing ends */
    uint64_t edits_seen;         /* the editor's edit count when last looked at */
    wn_presence sent;            /* our presence as last handed to ops->presence */
    bool has_sent;               /* sent is meaningful */
    const struct session_ops *ops;
    void *ctx;                   /* for ops */
};

/* Caller's storage; release with session_close(). */
void session_init(struct session *s, int role, const struct session_ops *ops, void *ctx);
void session_close(struct session *s);

/* Adds a line for the Ctrl-T screen (copied). */
void session_add_ticket(struct session *s, const char *line);

/* Replaces the list of the others with list[0..n) (copied; n may be 0), keeping the order
 * of those already known and appending newcomers. When joined/left is not NULL, writes the
 * names that arrived / went, comma-separated, cut to size ("" for none). */
void session_set_people(struct session *s, const wn_presence *list, size_t n, char *joined,
                        char *left, size_t size);
/* The participant with this agent, or NULL. Borrowed: valid until the next set_people. */
const wn_presence *session_find(const struct session *s, uint64_t agent);

/* Shows a notice in the status line for SESSION_NOTICE_MS from now (ms). */
void session_notice(struct session *s, uint64_t now, bool error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* After an input event (or a resize): hands new local edits to ops->edited, marks us
 * typing, and hands our presence to ops->presence if it changed. */
void session_update(struct editor *ed);
/* Time passed: ends the typing mark and the notice when due. Returns true when something
 * shown changed (a redraw is needed). */
bool session_tick(struct editor *ed, uint64_t now);

/* Starts following agent (0: stops). Returns false if nobody has that agent. */
bool session_follow(struct editor *ed, uint64_t agent);
/* Scrolls our view to the followed participant (call after their presence or the document
 * changed); stops following, with a notice, when they left. */
void session_follow_update(struct editor *ed);
/* Our own action stops following (with a message); no-op when not following. */
void session_stop_following(struct editor *ed);

/* The file was saved (text: the status line's "Saved ..." message): tells the others
 * through ops->saved. No-op when s is NULL (editing alone) or nobody listens. */
void session_saved(struct session *s, const char *text);

/* What the network side (app/cmd/join.c) learns, told through these: the fields are there
 * to read, but a write can carry consequences (coming online resets what the old link
 * left). */

/* The link is now link (enum session_link). Coming online, the join's exchange carried our
 * offline edits (offline_edits starts over) and the host forgot our presence with the old
 * connection (the next session_update() hands it to ops->presence again, changed or not). */
void session_set_link(struct session *s, int link);
/* Whose session it is (copied, cut to WN_NAME_MAX bytes) and whether we may only watch. */
void session_set_host(struct session *s, const char *host_name, bool read_only);
/* The host's document has arrived: edits and our presence may go out. */
void session_set_synced(struct session *s);
/* The host's last digest verdict, and the count of our units it does not have yet. Returns
 * true when either changed (what the status line shows). */
bool session_set_sync_state(struct session *s, bool in_sync, uint64_t unsent);
/* The notice shown now stays until another replaces it (no session is coming back to do
 * so). */
void session_keep_notice(struct session *s);

/* Whether p is in the file ed shows, so that its cursor and selection are positions in
 * ed->buf's document (always in a one-file session). */
bool session_in_shown_file(const struct editor *ed, const wn_presence *p);

/* Whether our edits may be made now; if not, *why says so (a message for people). */
bool session_may_edit(const struct session *s, const char **why);

#endif
