/* The message log (see msglog.h): a ring of MSGLOG_MAX owned strings, and its wrapping into
 * screen lines (app/editor/fit.h) for the messages screen. */
#include "app/editor/msglog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/fit.h"
#include "core/mem.h"

#define INDENT 10 /* "14:03:07  " */

void msglog_close(struct msglog *log)
{
    for (size_t i = 0; i < log->n; i++)
        free(log->e[(log->first + i) % MSGLOG_MAX].text);
    memset(log, 0, sizeof *log);
}

size_t msglog_count(const struct msglog *log)
{
    return log->n;
}

const struct msglog_entry *msglog_get(const struct msglog *log, size_t i)
{
    return &log->e[(log->first + i) % MSGLOG_MAX];
}

void msglog_add(struct msglog *log, time_t when, bool error, const char *text)
{
    if (!text[0])
        return;
    if (log->n > 0) {
        struct msglog_entry *last = &log->e[(log->first + log->n - 1) % MSGLOG_MAX];
        if (last->error == error && strcmp(last->text, text) == 0) {
            last->count++;
            last->when = when;
            return;
        }
    }
    char *copy = wf_xstrndup(text, strlen(text));
    if (log->n == MSGLOG_MAX) {
        free(log->e[log->first].text);
        log->first = (log->first + 1) % MSGLOG_MAX;
        log->n--;
    }
    log->e[(log->first + log->n) % MSGLOG_MAX] = (struct msglog_entry){copy, when, 1, error};
    log->n++;
}

static void push_line(struct msglog_lines *out, size_t *cap, char *text, bool error)
{
    if (out->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        out->v = wf_xreallocarray(out->v, *cap, sizeof *out->v);
    }
    out->v[out->n++] = (struct msglog_line){text, error};
}

/* Adds one entry's lines: its time, then its text wrapped under itself. */
static void entry_lines(const struct msglog_entry *e, int width, struct msglog_lines *out,
                        size_t *cap)
{
    char head[INDENT + 1], tail[32] = "";
    struct tm tm;
    if (localtime_r(&e->when, &tm))
        strftime(head, sizeof head, "%H:%M:%S", &tm);
    else
        snprintf(head, sizeof head, "--:--:--");
    if (e->count > 1)
        snprintf(tail, sizeof tail, " (%u times)", e->count);
    size_t tn = strlen(e->text), tl = strlen(tail);
    char *all = wf_xmalloc(tn + tl + 1);
    memcpy(all, e->text, tn);
    memcpy(all + tn, tail, tl + 1);
    /* A narrow screen gives the text the whole width, under its time on a line of its own. */
    int indent = width > 2 * INDENT ? INDENT : 0;
    if (!indent)
        push_line(out, cap, wf_xstrndup(head, strlen(head)), e->error);
    const char *s = all;
    size_t n = tn + tl;
    bool first = true;
    do {
        size_t len, used = fit_wrap(s, n, width - indent, &len);
        char *line = wf_xmalloc((size_t)indent + len + 1);
        memset(line, ' ', (size_t)indent);
        if (first && indent)
            memcpy(line, head, strlen(head));
        memcpy(line + indent, s, len);
        line[indent + len] = '\0';
        push_line(out, cap, line, e->error);
        s += used;
        n -= used;
        first = false;
    } while (n > 0);
    free(all);
}

void msglog_lines(const struct msglog *log, int width, struct msglog_lines *out)
{
    size_t cap = 0;
    out->v = NULL;
    out->n = 0;
    for (size_t i = 0; i < log->n; i++)
        entry_lines(msglog_get(log, i), width, out, &cap);
}

void msglog_lines_free(struct msglog_lines *out)
{
    for (size_t i = 0; i < out->n; i++)
        free(out->v[i].text);
    free(out->v);
    out->v = NULL;
    out->n = 0;
}
