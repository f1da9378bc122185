/* The status line's content (see status.h).
 *
 * The right side is built as a list of items in screen order, each with a priority; items
 * are dropped, lowest priority first, until the right side leaves the left side room for
 * the name (or 16 columns of it). The participants' item has three forms, tried from the
 * longest: every name, every initial, a count. */
#include "app/ui/status.h"

#include <stdio.h>
#include <string.h>

#include "app/editor/fit.h"
#include "app/editor/keymap.h"
#include "app/editor/layout.h"
#include "app/editor/picker.h"
#include "app/editor/text.h"
#include "core/utf8.h"

#define TYPING_MARK "\xe2\x9c\x8e" /* U+270E LOWER RIGHT PENCIL */
#define SYNC_MARK "\xe2\x9c\x93"   /* U+2713 CHECK MARK */
#define ELLIPSIS "\xe2\x80\xa6"    /* U+2026 */
#define LEFT_MIN 16                /* columns of the name kept beside the right side */
#define PEOPLE_PRIO 2              /* dropped first; "following" 3, read-only 4, link 5 */

int status_width(const char *s)
{
    return (int)layout_width(s, strlen(s), LAYOUT_TABW);
}

/* One item of the right side: its parts, and how much it matters (higher stays longer). */
struct item {
    struct status_part part[WN_COLOURS + 2];
    size_t n;
    int width;   /* columns, with the blanks between its parts */
    int prio;
};

static void add_part(struct item *it, const char *text, int style, unsigned colour)
{
    if (it->n == sizeof it->part / sizeof it->part[0])
        return;
    struct status_part *p = &it->part[it->n++];
    snprintf(p->text, sizeof p->text, "%s", text);
    p->style = (uint8_t)style;
    p->colour = (uint8_t)colour;
    p->width = status_width(p->text);
    it->width += p->width + (it->n > 1 ? 1 : 0);
}

/* The first character (one UTF-8 unit) of a name. */
static void initial(const char *name, char *out, size_t size)
{
    size_t n = *name ? wf_utf8_unit_len(name, strlen(name)) : 0;
    snprintf(out, size, "%.*s", (int)n, name);
}

/* The participants: form 0 every name, 1 initials, 2 a count. */
static void people_item(const struct session *s, int form, struct item *it)
{
    memset(it, 0, sizeof *it);
    it->prio = PEOPLE_PRIO;
    if (form == 2) {
        char t[32];
        snprintf(t, sizeof t, "+%zu", s->npeople);
        add_part(it, t, STATUS_BOLD, 0);
        return;
    }
    size_t shown = s->npeople < WN_COLOURS ? s->npeople : WN_COLOURS;
    for (size_t i = 0; i < shown; i++) {
        const wn_presence *p = &s->people[i];
        char name[WN_NAME_MAX + 1], t[WN_NAME_MAX + 16];
        if (form == 1)
            initial(p->name, name, sizeof name);
        else
            snprintf(name, sizeof name, "%s", p->name);
        snprintf(t, sizeof t, " %s%s ", name, (p->flags & WN_PRESENCE_TYPING) ? TYPING_MARK : "");
        add_part(it, t, STATUS_PEER, p->colour);
    }
    if (shown < s->npeople) {
        char t[32];
        snprintf(t, sizeof t, "+%zu", s->npeople - shown);
        add_part(it, t, STATUS_BOLD, 0);
    }
}

static void link_text(const struct session *s, char *t, size_t size)
{
    if (s->role == SESSION_HOST) {
        snprintf(t, size, "hosting");
        return;
    }
    switch (s->link) {
    case SESSION_CONNECTING: snprintf(t, size, "connecting" ELLIPSIS); break;
    case SESSION_ONLINE: snprintf(t, size, "online%s", s->in_sync ? " " SYNC_MARK : ""); break;
    default:
        snprintf(t, size, "%s", s->link == SESSION_ENDED     ? "session ended"
                                : s->link == SESSION_OFFLINE ? "offline"
                                                             : "reconnecting" ELLIPSIS);
        if (s->unsent)
            snprintf(t + strlen(t), size - strlen(t), " %llu unsent",
                     (unsigned long long)s->unsent);
        else if (s->offline_edits) /* deletions only: the host lacks them all the same */
            snprintf(t + strlen(t), size - strlen(t), " edits unsent");
    }
}

/* Fills items[] (screen order) for the right side; returns the count. */
static size_t right_items(struct editor *ed, struct item *items, int people_form)
{
    const struct session *s = ed->session;
    size_t n = 0;
    char t[128];
    if (s && s->follow) {
        const wn_presence *p = session_find(s, s->follow);
        memset(&items[n], 0, sizeof items[n]);
        snprintf(t, sizeof t, "following %s", p ? p->name : "?");
        add_part(&items[n], t, STATUS_BOLD, 0);
        items[n++].prio = 3;
    }
    if (s && s->npeople)
        people_item(s, people_form, &items[n++]);
    if (s) {
        memset(&items[n], 0, sizeof items[n]);
        link_text(s, t, sizeof t);
        add_part(&items[n], t, s->link == SESSION_ONLINE ? STATUS_PLAIN : STATUS_BOLD, 0);
        items[n++].prio = 5;
    }
    if (s && s->read_only) {
        memset(&items[n], 0, sizeof items[n]);
        add_part(&items[n], "read-only", STATUS_BOLD, 0);
        items[n++].prio = 4;
    }
    memset(&items[n], 0, sizeof items[n]);
    size_t line = wf_doc_line_of(ed->buf->doc, ed->buf->view.cur);
    size_t col = text_cluster_col_memo(&ed->buf->view.colm, ed->buf->doc, ed->buf->view.cur);
    snprintf(t, sizeof t, "Ln %zu, Col %zu%s", line + 1, col + 1, ed->buf->crlf ? "  CRLF" : "");
    add_part(&items[n], t, STATUS_PLAIN, 0);
    items[n++].prio = 100;
    return n;
}

static int total(const struct item *items, size_t n, int min_prio)
{
    int w = 0;
    for (size_t i = 0; i < n; i++)
        if (items[i].prio >= min_prio)
            w += items[i].width + 2;
    return w;
}

static size_t emit(struct status_part *parts, size_t k, size_t max, const struct status_part *p,
                   int col)
{
    if (k < max) {
        parts[k] = *p;
        parts[k].col = col;
        k++;
    }
    return k;
}

/* The message at column x in room columns: whole when it fits, else cut after its last
 * word that fits, with an ellipsis and the key that shows it whole. */
static size_t message_parts(const char *msg, bool error, int room, int x,
                            struct status_part *parts, size_t k, size_t max)
{
    struct status_part p;
    memset(&p, 0, sizeof p);
    p.style = (uint8_t)(error ? STATUS_ERROR : STATUS_BOLD);
    size_t n = strlen(msg); /* less than p.text holds: ed->msg and notices are shorter */
    if (status_width(msg) <= room) {
        snprintf(p.text, sizeof p.text, "%s", msg);
        p.width = status_width(p.text);
        return emit(parts, k, max, &p, x);
    }
    char keys[64], more[80];
    keymap_keys_of(CMD_MESSAGES, keys, sizeof keys);
    snprintf(more, sizeof more, " %s", keys);
    int mw = status_width(more);
    if (mw + 8 > room) /* no room to say which key: the ellipsis alone */
        more[0] = '\0', mw = 0;
    int ew = status_width(ELLIPSIS);
    size_t cut = fit_words(msg, n, room - mw - ew);
    snprintf(p.text, sizeof p.text, "%.*s" ELLIPSIS, (int)cut, msg);
    p.width = status_width(p.text);
    k = emit(parts, k, max, &p, x);
    if (more[0]) {
        struct status_part hint;
        memset(&hint, 0, sizeof hint);
        snprintf(hint.text, sizeof hint.text, "%s", more);
        hint.width = mw;
        hint.style = STATUS_PLAIN;
        k = emit(parts, k, max, &hint, x + p.width);
    }
    return k;
}

/* Chooses the right side for a left side of need columns: the longest form of the
 * participants, dropping low priorities (those below `upto` at most: 100 drops all but
 * the line and column), until it fits. Fills items[0..*ni) and *min_prio; false when it
 * does not fit, which leaves the shortest it could. */
static bool fit_right(struct editor *ed, int cols, int need, int upto, struct item *items,
                      size_t *ni, int *min_prio)
{
    for (int form = 0; form < 3; form++) {
        *ni = right_items(ed, items, form);
        for (*min_prio = 0; *min_prio < upto; (*min_prio)++)
            if (total(items, *ni, *min_prio) + need <= cols)
                break;
        if (*min_prio <= PEOPLE_PRIO)
            break; /* the participants fit in this form */
    }
    return total(items, *ni, *min_prio) + need <= cols;
}

/* The name of the file shown: its title, else its path relative to the project's root in a
 * project (src/net.c, not net.c: a project has many of those), else its last component. */
static const char *shown_name(const struct editor *ed)
{
    const char *path = ed->buf->path ? ed->buf->path : "";
    if (ed->buf->title)
        return ed->buf->title;
    if (ed->picker) {
        size_t n = strlen(ed->picker->root);
        if (n && !strncmp(path, ed->picker->root, n) && path[n] == '/' && path[n + 1])
            return path + n + 1;
    }
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

size_t status_compose(struct editor *ed, int cols, struct status_part *parts, size_t max)
{
    char left[600];
    const char *name = shown_name(ed);
    bool guest = ed->session && ed->session->role == SESSION_GUEST;
    snprintf(left, sizeof left, " %s%s", name, ed->buf->modified && !guest ? " [modified]" : "");
    int lw = status_width(left);
    int need_left = lw < LEFT_MIN ? lw : LEFT_MIN;
    const char *msg = ed->msg;
    bool error = ed->msg_error;
    if (!msg[0] && ed->session && ed->session->notice[0]) {
        msg = ed->session->notice;
        error = ed->session->notice_error;
    }

    /* The right side: the longest form that fits. A message of the moment may push out
     * what the right side can drop (the line and column stay) when that shows all of it;
     * else the participants give way to it (they are back with the next key), and it is
     * shortened. */
    struct item items[8];
    size_t ni = 0;
    int min_prio = 0;
    int need_msg = msg[0] ? 1 + status_width(msg) : 0;
    bool done = false;
    if (need_msg > need_left) {
        done = fit_right(ed, cols, need_msg, 100, items, &ni, &min_prio);
        if (!done) {
            fit_right(ed, cols, need_msg, PEOPLE_PRIO + 1, items, &ni, &min_prio);
            done = total(items, ni, min_prio) + need_left <= cols;
        }
    }
    if (!done)
        fit_right(ed, cols, need_left, 100, items, &ni, &min_prio);
    int rw = total(items, ni, min_prio);
    size_t k = 0;
    int col = cols - rw;
    for (size_t i = 0; i < ni; i++) {
        if (items[i].prio < min_prio)
            continue;
        int x = col + 1;
        for (size_t j = 0; j < items[i].n; j++) {
            k = emit(parts, k, max, &items[i].part[j], x);
            x += items[i].part[j].width + 1;
        }
        col += items[i].width + 2;
    }

    /* The left side: name and message, before the right side. */
    int room = cols - rw;
    struct status_part p;
    memset(&p, 0, sizeof p);
    int x = 0;
    int mw = msg[0] ? status_width(msg) : 0;
    if (!msg[0] || lw + 2 + mw <= room) {
        snprintf(p.text, sizeof p.text, "%s", left);
        p.width = lw < room ? lw : room;
        p.style = STATUS_PLAIN;
        if (p.width > 0)
            k = emit(parts, k, max, &p, 0);
        x = p.width + 2;
    } else {
        x = 1;
    }
    if (msg[0] && room - x > 0)
        k = message_parts(msg, error, room - x, x, parts, k, max);
    return k;
}

void status_text(const struct status_part *parts, size_t n, char *out, size_t size)
{
    size_t used = 0;
    int col = 0;
    out[0] = '\0';
    /* Parts in column order (the right side was emitted first). */
    for (;;) {
        const struct status_part *next = NULL;
        for (size_t i = 0; i < n; i++)
            if (parts[i].col >= col && (!next || parts[i].col < next->col))
                next = &parts[i];
        if (!next)
            break;
        while (col < next->col && used + 1 < size) {
            out[used++] = ' ';
            col++;
        }
        /* A clipped part: copy whole clusters up to its width. */
        const char *t = next->text;
        size_t tl = strlen(t), off = 0;
        struct layout l;
        struct cell c;
        layout_init(&l, t, tl, LAYOUT_TABW);
        while (layout_next(&l, &c) && (int)(c.col + c.width) <= next->width)
            off = c.off + c.len;
        if (used + off + 1 < size) {
            memcpy(out + used, t, off);
            used += off;
        }
        col = next->col + next->width;
        if (col <= next->col)
            col = next->col + 1;
    }
    out[used] = '\0';
}
