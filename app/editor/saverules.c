/* Save-time rules (see saverules.h). The pass over the lines (app/editor/lines.h) collects
 * the edits in position order, none overlapping; applying them from the last keeps every
 * earlier position right. A line break is only seen whole at the next line (a line's
 * content excludes it): its kind is the gap between one line's content end and the next
 * line's start (1 unit: LF, 2: CR LF). */
#include "app/editor/saverules.h"

#include <stdlib.h>
#include <string.h>

#include "app/editor/lines.h"
#include "core/mem.h"
#include "core/undo.h"
#include "core/utf8.h"

struct fix {
    size_t pos, del;    /* units deleted at pos */
    const char *ins;    /* then inserted there (static), or NULL */
};

struct fixes {
    struct fix *f;
    size_t n, cap;
};

static void add(struct fixes *fx, size_t pos, size_t del, const char *ins)
{
    if (fx->n == fx->cap) {
        fx->cap = fx->cap ? fx->cap * 2 : 64;
        fx->f = wf_xrealloc(fx->f, fx->cap * sizeof *fx->f);
    }
    fx->f[fx->n++] = (struct fix){ pos, del, ins };
}

bool saverules_any(const struct fileconf *fc)
{
    return fc->trim_trailing == FILECONF_YES || fc->final_newline != FILECONF_UNSAID
           || fc->eol == FILECONF_EOL_LF || fc->eol == FILECONF_EOL_CRLF;
}

/* The break of the line whose content ended at unit end, given the next line's start. */
static void fix_break(struct fixes *fx, const struct fileconf *fc, size_t end, size_t next)
{
    size_t brk = next - end; /* 1: "\n", 2: "\r\n" */
    if (fc->eol == FILECONF_EOL_LF && brk == 2)
        add(fx, end, 1, NULL);
    else if (fc->eol == FILECONF_EOL_CRLF && brk == 1)
        add(fx, end, 0, "\r");
}

static void collect(const wf_doc *doc, const struct fileconf *fc, struct fixes *fx)
{
    struct line_stream ls;
    line_stream_init(&ls, doc, 0, SIZE_MAX);
    size_t prev_end = 0;
    bool have_prev = false;
    const char *eol = fc->eol == FILECONF_EOL_CRLF ? "\r\n" : "\n";
    while (line_stream_next(&ls)) {
        bool last = ls.line == wf_doc_newlines(doc);
        if (have_prev) {
            if (last && ls.len == 0 && fc->final_newline == FILECONF_NO)
                add(fx, prev_end, ls.start - prev_end, NULL);
            else
                fix_break(fx, fc, prev_end, ls.start);
        }
        size_t units = wf_utf8_count(ls.text, ls.len, NULL);
        size_t k = 0;
        if (fc->trim_trailing == FILECONF_YES)
            while (k < ls.len && (ls.text[ls.len - 1 - k] == ' ' || ls.text[ls.len - 1 - k] == '\t'))
                k++;
        if (k)
            add(fx, ls.start + units - k, k, NULL);
        prev_end = ls.start + units;
        have_prev = true;
        if (last && ls.len > k && fc->final_newline == FILECONF_YES)
            add(fx, prev_end, 0, eol);
    }
    line_stream_close(&ls);
}

int saverules_apply(wf_doc *doc, const struct fileconf *fc, size_t *changes)
{
    struct fixes fx = { NULL, 0, 0 };
    if (changes)
        *changes = 0;
    if (!saverules_any(fc))
        return 0;
    collect(doc, fc, &fx);
    int err = 0;
    if (fx.n)
        wf_doc_undo_break(doc);
    for (size_t i = fx.n; i-- > 0 && err == 0;) {
        const struct fix *f = &fx.f[i];
        if (f->del)
            err = wf_doc_delete(doc, f->pos, f->del);
        if (!err && f->ins)
            err = wf_doc_insert(doc, f->pos, f->ins, strlen(f->ins));
    }
    if (fx.n)
        wf_doc_undo_break(doc);
    if (changes)
        *changes = fx.n;
    free(fx.f);
    return err;
}
