/* Indentation commands (see indent.h). Lines are changed from the last to the first, so
 * that each line's position is still right when it is used; the cursor and the selection
 * are anchors, resolved again afterwards (view_sync). */
#include "app/editor/indent.h"

#include <stdlib.h>
#include <string.h>

#include "app/editor/edit.h"
#include "app/editor/text.h"
#include "core/mem.h"
#include "core/undo.h"
#include "core/utf8.h"

/* Most columns one level of spaces can be (fileconf's indent_width limit). */
#define MAX_LEVEL 16

static void tick(struct editor *ed)
{
    if (ed->clock)
        wf_doc_set_time(ed->buf->doc, ed->clock());
}

/* The text one level of indentation is, into out (at least MAX_LEVEL + 1 bytes, or the
 * tabgives string, returned instead). */
static const char *level(const struct editor *ed, char *out, size_t *n)
{
    const char *given = ed->buf->syntax ? syn_tabgives(ed->buf->syntax) : NULL;
    if (given && *given) {
        *n = strlen(given);
        return given;
    }
    if (!ed->buf->conf.spaces) {
        *n = 1;
        return "\t";
    }
    unsigned w = ed->buf->conf.indent_width;
    *n = w >= 1 && w <= MAX_LEVEL ? w : 4;
    memset(out, ' ', *n);
    out[*n] = '\0';
    return out;
}

bool indent_lines(const struct editor *ed, size_t *first, size_t *last)
{
    const wf_doc *doc = ed->buf->doc;
    size_t from, to;
    if (!view_selection(&ed->buf->view, &from, &to)) {
        *first = *last = wf_doc_line_of(doc, ed->buf->view.cur);
        return false;
    }
    *first = wf_doc_line_of(doc, from);
    *last = wf_doc_line_of(doc, to);
    if (*last > *first && wf_doc_line_start(doc, *last) == to)
        (*last)--;
    return true;
}

void indent_reselect(struct editor *ed, size_t first, size_t last, bool had_sel)
{
    struct view *v = &ed->buf->view;
    wf_doc *doc = ed->buf->doc;
    view_sync(v, doc);
    if (had_sel) {
        struct line_info li;
        text_line(doc, last, &li);
        view_clear_selection(v);
        view_set_cursor(v, doc, wf_doc_line_start(doc, first));
        view_begin_selection(v, doc);
        view_set_cursor(v, doc, li.next > li.end ? li.next : li.end);
    }
    view_show_cursor(v, doc);
    ed->edits++;
}

/* True when line li holds nothing but blanks. */
static bool blank(const wf_doc *doc, const struct line_info *li)
{
    return text_indent(doc, li, li->end) == li->end - li->start;
}

static void indent_selection(struct editor *ed)
{
    size_t first, last;
    indent_lines(ed, &first, &last);
    char buf[MAX_LEVEL + 1];
    size_t n;
    const char *lv = level(ed, buf, &n);
    wf_doc *doc = ed->buf->doc;
    tick(ed);
    wf_doc_undo_break(doc);
    int err = 0;
    for (size_t l = last + 1; l-- > first && err == 0;) {
        struct line_info li;
        text_line(doc, l, &li);
        if (!blank(doc, &li))
            err = wf_doc_insert(doc, li.start, lv, n);
    }
    wf_doc_undo_break(doc);
    if (err)
        editor_message(ed, true, "Indent failed: %s.", wf_strerror(err));
    indent_reselect(ed, first, last, true);
}

void indent_tab(struct editor *ed)
{
    size_t from, to;
    if (view_selection(&ed->buf->view, &from, &to)) {
        indent_selection(ed);
        return;
    }
    char buf[MAX_LEVEL + 1];
    size_t n;
    const char *lv = level(ed, buf, &n);
    if (lv == buf) {
        /* Spaces up to the next multiple of the level, as a tab stop would. */
        size_t col = text_col_of(ed->buf->doc, ed->buf->view.cur, ed->buf->view.tabw);
        n -= col % n;
        buf[n] = '\0';
    }
    edit_insert(ed, lv, n);
}

/* Units of one level at the start of line li: a tab, or up to width spaces (before a tab:
 * those spaces and the tab). */
static size_t level_at(const wf_doc *doc, const struct line_info *li, unsigned width)
{
    size_t n;
    size_t len = li->end - li->start < width + 1 ? li->end - li->start : width + 1;
    char *s = wf_doc_text(doc, li->start, len, &n);
    size_t k = 0;
    if (n > 0 && s[0] == '\t')
        k = 1;
    else {
        while (k < n && k < width && s[k] == ' ')
            k++;
        if (k < n && k < width && s[k] == '\t')
            k++;
    }
    free(s);
    return k; /* the bytes are ASCII: units */
}

void indent_outdent(struct editor *ed)
{
    size_t first, last;
    bool had_sel = indent_lines(ed, &first, &last);
    wf_doc *doc = ed->buf->doc;
    const char *given = ed->buf->syntax ? syn_tabgives(ed->buf->syntax) : NULL;
    unsigned width = given && *given && *given != '\t' ? (unsigned)strlen(given)
                     : ed->buf->conf.indent_width ? ed->buf->conf.indent_width : 8;
    if (!ed->buf->conf.spaces && !(given && *given == ' '))
        width = ed->buf->conf.tab_width ? ed->buf->conf.tab_width : 8;
    tick(ed);
    wf_doc_undo_break(doc);
    int err = 0;
    size_t removed = 0;
    for (size_t l = last + 1; l-- > first && err == 0;) {
        struct line_info li;
        text_line(doc, l, &li);
        size_t k = level_at(doc, &li, width);
        if (k) {
            err = wf_doc_delete(doc, li.start, k);
            removed++;
        }
    }
    wf_doc_undo_break(doc);
    if (err)
        editor_message(ed, true, "Outdent failed: %s.", wf_strerror(err));
    else if (!removed)
        editor_message(ed, false, "Nothing to outdent: no indentation at the line's start.");
    indent_reselect(ed, first, last, had_sel);
}
