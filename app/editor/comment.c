/* Commenting lines (see comment.h). A line is commented when, after its indentation, it
 * starts with the prefix (and, for a two-part comment, ends with the suffix): uncommenting
 * removes exactly those; commenting puts them at the line's very start and end, as nano
 * does, so that comment then uncomment gives the line back byte for byte. Lines are changed
 * from the last to the first so that positions stay right. */
#include "app/editor/comment.h"

#include <stdlib.h>
#include <string.h>

#include "app/editor/indent.h"
#include "app/editor/text.h"
#include "core/undo.h"
#include "core/utf8.h"

void comment_split(const char *s, size_t *pn, const char **suffix, size_t *sn)
{
    const char *bar = strchr(s, '|');
    *pn = bar ? (size_t)(bar - s) : strlen(s);
    *suffix = bar ? bar + 1 : "";
    *sn = strlen(*suffix);
}

struct comment {
    const char *pre, *suf;
    size_t pn, sn;       /* bytes */
    size_t pu, su;       /* units */
};

/* Where the comment of line li is: *at the prefix's position (units), or false when the
 * line is not commented. */
static bool commented(const wf_doc *doc, const struct line_info *li, const struct comment *c,
                      size_t *at)
{
    size_t ind = text_indent(doc, li, li->end);
    size_t s = li->start + ind;
    if (li->end - s < c->pu + c->su)
        return false;
    size_t n;
    char *t = wf_doc_text(doc, s, li->end - s, &n);
    bool yes = n >= c->pn + c->sn && memcmp(t, c->pre, c->pn) == 0
               && memcmp(t + n - c->sn, c->suf, c->sn) == 0;
    free(t);
    *at = s;
    return yes;
}

static bool blank(const wf_doc *doc, const struct line_info *li)
{
    return text_indent(doc, li, li->end) == li->end - li->start;
}

/* Comments (uncomment false) or uncomments lines first..last. */
static int change(wf_doc *doc, size_t first, size_t last, const struct comment *c,
                  bool uncomment, bool skip_blank)
{
    int err = 0;
    for (size_t l = last + 1; l-- > first && err == 0;) {
        struct line_info li;
        text_line(doc, l, &li);
        size_t at;
        bool is = commented(doc, &li, c, &at);
        if (uncomment) {
            if (!is)
                continue;
            if (c->su)
                err = wf_doc_delete(doc, li.end - c->su, c->su);
            if (!err)
                err = wf_doc_delete(doc, at, c->pu);
        } else if (!is && !(skip_blank && blank(doc, &li))) {
            if (c->sn)
                err = wf_doc_insert(doc, li.end, c->suf, c->sn);
            if (!err)
                err = wf_doc_insert(doc, li.start, c->pre, c->pn);
        }
    }
    return err;
}

void comment_toggle(struct editor *ed)
{
    const char *s = ed->buf->syntax ? syn_comment(ed->buf->syntax) : NULL;
    if (!s)
        s = "#";
    struct comment c;
    comment_split(s, &c.pn, &c.suf, &c.sn);
    c.pre = s;
    if (c.pn == 0) {
        editor_message(ed, false, "This file's syntax (%s) has no comments.",
                       syn_name(ed->buf->syntax));
        return;
    }
    c.pu = wf_utf8_count(c.pre, c.pn, NULL);
    c.su = wf_utf8_count(c.suf, c.sn, NULL);
    size_t first, last;
    bool had_sel = indent_lines(ed, &first, &last);
    wf_doc *doc = ed->buf->doc;
    bool all = true, any = false;
    for (size_t l = first; l <= last && all; l++) {
        struct line_info li;
        text_line(doc, l, &li);
        size_t at;
        if (first == last || !blank(doc, &li)) {
            any = true;
            all = commented(doc, &li, &c, &at);
        }
    }
    if (ed->clock)
        wf_doc_set_time(doc, ed->clock());
    wf_doc_undo_break(doc);
    int err = change(doc, first, last, &c, all && any, first != last);
    wf_doc_undo_break(doc);
    if (err)
        editor_message(ed, true, "Comment failed: %s.", wf_strerror(err));
    indent_reselect(ed, first, last, had_sel);
}
