/* The editor's side of a shared session (see session.h).
 *
 * Our presence is rebuilt from the view after every input event and compared with the one
 * last handed on, field by field (anchors, not positions: a remote edit moves positions
 * but not anchors, and needs no new presence). The people list keeps the order in which
 * participants arrived, so that the status line and the follow chooser do not reshuffle
 * when someone moves. */
#include "app/editor/session.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/editor.h"
#include "app/editor/text.h"
#include "app/editor/view.h"
#include "core/mem.h"

void session_init(struct session *s, int role, const struct session_ops *ops, void *ctx)
{
    memset(s, 0, sizeof *s);
    s->role = role;
    s->ops = ops;
    s->ctx = ctx;
    s->link = role == SESSION_HOST ? SESSION_ONLINE : SESSION_CONNECTING;
    s->synced = role == SESSION_HOST;
}

void session_close(struct session *s)
{
    free(s->people);
    for (size_t i = 0; i < s->ntickets; i++)
        free(s->tickets[i]);
    memset(s, 0, sizeof *s);
}

void session_add_ticket(struct session *s, const char *line)
{
    if (s->ntickets < SESSION_TICKETS_MAX)
        s->tickets[s->ntickets++] = wf_xstrndup(line, strlen(line));
}

/* Appends ", name" (or "name") to out[0..size), cutting at the end. */
static void append_name(char *out, size_t size, const char *name)
{
    size_t used = strlen(out);
    if (used + 1 >= size)
        return;
    snprintf(out + used, size - used, "%s%s", used ? ", " : "", name);
}

static bool in_list(const wn_presence *list, size_t n, uint64_t agent)
{
    for (size_t i = 0; i < n; i++)
        if (list[i].agent == agent)
            return true;
    return false;
}

void session_set_people(struct session *s, const wn_presence *list, size_t n, char *joined,
                        char *left, size_t size)
{
    if (joined && size)
        joined[0] = '\0';
    if (left && size)
        left[0] = '\0';
    /* Those who went, in their old order; the others keep their place. */
    size_t kept = 0;
    for (size_t i = 0; i < s->npeople; i++) {
        if (!in_list(list, n, s->people[i].agent)) {
            if (left)
                append_name(left, size, s->people[i].name);
            continue;
        }
        s->people[kept++] = s->people[i];
    }
    s->npeople = kept;
    for (size_t i = 0; i < n; i++) {
        wn_presence *p = (wn_presence *)session_find(s, list[i].agent);
        if (p) {
            *p = list[i];
            continue;
        }
        if (s->npeople == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 8;
            s->people = wf_xreallocarray(s->people, s->cap, sizeof *s->people);
        }
        s->people[s->npeople++] = list[i];
        if (joined)
            append_name(joined, size, list[i].name);
    }
}

const wn_presence *session_find(const struct session *s, uint64_t agent)
{
    for (size_t i = 0; i < s->npeople; i++)
        if (s->people[i].agent == agent)
            return &s->people[i];
    return NULL;
}

void session_notice(struct session *s, uint64_t now, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->notice, sizeof s->notice, fmt, ap);
    va_end(ap);
    s->notice_error = error;
    s->notice_until = now + SESSION_NOTICE_MS;
}

static uint64_t now_of(const struct editor *ed)
{
    return ed->clock ? ed->clock() : 0;
}

/* Our presence now: the cursor as our view anchors it (bound to the unit just typed after
 * our own typing, so that every screen puts others' text at the same side of it), the
 * selection's other end (assoc -1 when it is the
 * end of the selection, 0 when the start, so that it never grows when others type at its
 * edge), the top line of the screen and the screen's height, the typing flag. */
static void session_presence(const struct editor *ed, wn_presence *p)
{
    const struct view *v = &ed->buf->view;
    const struct session *s = ed->session;
    memset(p, 0, sizeof *p);
    p->flags = WN_PRESENCE_CURSOR | WN_PRESENCE_VIEW;
    p->cursor = v->cur_a;
    size_t from, to;
    if (view_selection(v, &from, &to)) {
        p->flags |= WN_PRESENCE_SELECTION;
        p->selection = wf_doc_anchor_at(ed->buf->doc, v->mark, v->mark > v->cur ? -1 : 0);
    }
    p->view_top = v->top_a;
    p->view_lines = (uint32_t)(v->rows > 0 ? v->rows : 1);
    p->file = ed->buf->file_id;
    if (s && s->typing)
        p->flags |= WN_PRESENCE_TYPING;
    if (s && s->read_only)
        p->flags |= WN_PRESENCE_READONLY;
}

static bool anchor_eq(wf_anchor a, wf_anchor b)
{
    return a.kind == b.kind && a.assoc == b.assoc
           && (a.kind != WF_ANCHOR_ID || (a.id.agent == b.id.agent && a.id.seq == b.id.seq));
}

static bool presence_eq(const wn_presence *a, const wn_presence *b)
{
    return a->flags == b->flags && a->file == b->file && anchor_eq(a->cursor, b->cursor)
           && (!(a->flags & WN_PRESENCE_SELECTION) || anchor_eq(a->selection, b->selection))
           && anchor_eq(a->view_top, b->view_top) && a->view_lines == b->view_lines;
}

static void send_presence(struct editor *ed)
{
    struct session *s = ed->session;
    if (!s->synced)
        return; /* anchors into the empty document would mean nothing to the others */
    wn_presence p;
    session_presence(ed, &p);
    if (s->has_sent && presence_eq(&p, &s->sent))
        return;
    s->sent = p;
    s->has_sent = true;
    if (s->ops && s->ops->presence)
        s->ops->presence(s->ctx, &p);
}

void session_saved(struct session *s, const char *text)
{
    if (s && s->ops && s->ops->saved)
        s->ops->saved(s->ctx, text);
}

void session_update(struct editor *ed)
{
    struct session *s = ed->session;
    if (!s)
        return;
    if (ed->edits != s->edits_seen) {
        if (s->link != SESSION_ONLINE)
            s->offline_edits += ed->edits - s->edits_seen;
        s->edits_seen = ed->edits;
        if (s->ops && s->ops->edited)
            s->ops->edited(s->ctx);
        s->typing = true;
        s->typing_until = now_of(ed) + SESSION_TYPING_MS;
    }
    send_presence(ed);
}

bool session_tick(struct editor *ed, uint64_t now)
{
    struct session *s = ed->session;
    bool changed = false;
    if (s->typing && now >= s->typing_until) {
        s->typing = false;
        send_presence(ed);
    }
    if (s->notice[0] && now >= s->notice_until) {
        s->notice[0] = '\0';
        changed = true;
    }
    return changed;
}

bool session_may_edit(const struct session *s, const char **why)
{
    if (!s)
        return true;
    if (s->read_only) {
        *why = "Read-only session: you can watch and copy, not edit.";
        return false;
    }
    if (!s->synced) {
        *why = "The document has not arrived yet: wait until it shows.";
        return false;
    }
    return true;
}

bool session_in_shown_file(const struct editor *ed, const wn_presence *p)
{
    const struct session *s = ed->session;
    return !s || !s->project || (p->file != 0 && p->file == ed->buf->file_id);
}

bool session_follow(struct editor *ed, uint64_t agent)
{
    struct session *s = ed->session;
    if (agent && !session_find(s, agent))
        return false;
    s->follow = agent;
    session_follow_update(ed);
    return true;
}

void session_stop_following(struct editor *ed)
{
    struct session *s = ed->session;
    if (!s || !s->follow)
        return;
    const wn_presence *p = session_find(s, s->follow);
    s->follow = 0;
    editor_message(ed, false, "Stopped following %s.", p ? p->name : "them");
}

/* Line of an anchor, or WF_NOPOS when its unit is not known here yet. */
static size_t anchor_line(const wf_doc *doc, wf_anchor a, size_t *pos)
{
    size_t p = wf_doc_anchor_pos(doc, a);
    if (p == WF_NOPOS)
        return WF_NOPOS;
    size_t len = wf_doc_len(doc);
    *pos = p > len ? len : p;
    return wf_doc_line_of(doc, *pos);
}

void session_follow_update(struct editor *ed)
{
    struct session *s = ed->session;
    if (!s || !s->follow)
        return;
    const wn_presence *p = session_find(s, s->follow);
    if (!p) {
        s->follow = 0;
        const char *text = "The one you followed left: not following anymore.";
        session_notice(s, now_of(ed), false, "%s", text);
        editor_log(ed, false, text);
        return;
    }
    if (!(p->flags & WN_PRESENCE_CURSOR))
        return;
    /* Following crosses files: theirs is shown (opened, for a guest, once it arrives). */
    if (!session_in_shown_file(ed, p)
        && (!p->file || !s->ops || !s->ops->show_file || !s->ops->show_file(s->ctx, p->file)
            || !session_in_shown_file(ed, p)))
        return;
    struct view *v = &ed->buf->view;
    size_t pos;
    size_t line = anchor_line(ed->buf->doc, p->cursor, &pos);
    if (line == WF_NOPOS)
        return;
    size_t rows = (size_t)(v->rows > 1 ? v->rows : 1);
    size_t top_pos;
    size_t their_top = (p->flags & WN_PRESENCE_VIEW) ? anchor_line(ed->buf->doc, p->view_top, &top_pos)
                                                    : WF_NOPOS;
    /* What they see, when their cursor is on it and fits on our screen. */
    if (their_top != WF_NOPOS && line >= their_top && line < their_top + rows)
        view_set_top(v, ed->buf->doc, their_top);
    else if (line < v->top_line || line >= v->top_line + rows) /* a jump: centre it */
        view_set_top(v, ed->buf->doc, line > rows / 2 ? line - rows / 2 : 0);
    view_show_pos(v, ed->buf->doc, pos);
}

void session_set_link(struct session *s, int link)
{
    s->link = link;
    if (link == SESSION_ONLINE) {
        s->offline_edits = 0;
        s->has_sent = false;
    }
}

void session_set_host(struct session *s, const char *host_name, bool read_only)
{
    snprintf(s->host_name, sizeof s->host_name, "%s", host_name);
    s->read_only = read_only;
}

void session_set_synced(struct session *s)
{
    s->synced = true;
}

bool session_set_sync_state(struct session *s, bool in_sync, uint64_t unsent)
{
    bool changed = in_sync != s->in_sync || unsent != s->unsent;
    s->in_sync = in_sync;
    s->unsent = unsent;
    return changed;
}

void session_keep_notice(struct session *s)
{
    s->notice_until = UINT64_MAX;
}
