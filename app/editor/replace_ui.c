/* Ctrl-R (see replace_ui.h). Three prompts in turn: PROMPT_REPLACE (the text to find, with
 * the toggles), PROMPT_REPLACE_WITH (the replacement), PROMPT_REPLACE_ASK (y / n / a / Esc
 * at each match, with "k of N" as the prompt's text). The match shown is also the
 * selection, so it is drawn as one; its ends are kept as anchors in the round, since a
 * selection cannot hold an empty match ("^"). */
#include "app/editor/replace_ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/editor.h"
#include "core/undo.h"

/* Bytes one count may read while a match is shown: a few ms of search per key. */
#define COUNT_BUDGET (REPLACE_COUNT_BUDGET / 4)

static void say_mode(struct editor *ed)
{
    unsigned f = ed->replace.flags;
    editor_message(ed, false, "%s, %s (Alt-R and Alt-C change them).",
                   f & REPLACE_REGEX ? "Regular expression" : "Plain text",
                   f & REPLACE_ICASE ? "any case" : "case as typed");
}

void replace_ui_start(struct editor *ed)
{
    replace_ui_end(&ed->replace);
    prompt_open(&ed->prompt, PROMPT_REPLACE, NULL, 0);
    say_mode(ed);
}

bool replace_ui_text_prompt(int kind)
{
    return kind == PROMPT_REPLACE || kind == PROMPT_REPLACE_WITH;
}

static bool cancel_key(const struct keyev *ev)
{
    return ev->code == K_ESC || (ev->mods == MOD_CTRL && (ev->code == 'c' || ev->code == 'q'));
}

/* Ends the round and says how many were replaced. */
static void finish(struct editor *ed, bool found_any)
{
    size_t n = ed->replace.replaced;
    prompt_close(&ed->prompt);
    replace_ui_end(&ed->replace);
    if (found_any)
        editor_message(ed, false, "Replaced %zu occurrence%s.", n, n == 1 ? "" : "s");
}

/* Shows match m: selects it, keeps its ends, and puts "k of N" in the ask prompt. */
static void show_match(struct editor *ed, const struct replace_match *m)
{
    struct replace_round *r = &ed->replace;
    struct view *v = &ed->buf->view;
    wf_doc *doc = ed->buf->doc;
    r->m_start = wf_doc_anchor_at(doc, m->start, 0);
    r->m_end = wf_doc_anchor_at(doc, m->end, -1);
    view_clear_selection(v);
    view_set_cursor(v, doc, m->start);
    if (m->end > m->start) {
        view_begin_selection(v, doc);
        view_set_cursor(v, doc, m->end);
    }
    view_center_cursor(v, doc);
    struct replace_count c;
    replace_count(doc, &r->q, m->start, COUNT_BUDGET, &c);
    char t[64];
    if (c.index)
        snprintf(t, sizeof t, "%zu of %zu%s", c.index, c.total, c.complete ? "" : "+");
    else
        snprintf(t, sizeof t, "? of %zu%s", c.total, c.complete ? "" : "+");
    prompt_open(&ed->prompt, PROMPT_REPLACE_ASK, t, strlen(t));
}

/* Finds the next match of the round from unit from and shows it; at the end of the round
 * (back where it started), finishes it. */
static void next_match(struct editor *ed, size_t from)
{
    struct replace_round *r = &ed->replace;
    wf_doc *doc = ed->buf->doc;
    struct replace_match m;
    bool wrapped = false;
    size_t start = wf_doc_anchor_pos(doc, r->start);
    bool first = ed->prompt.kind != PROMPT_REPLACE_ASK; /* with_answer() closed it */
    if (from > wf_doc_len(doc)) {
        from = 0;
        wrapped = true;
    }
    if (!replace_next(doc, &r->q, from, &m, &wrapped)) {
        if (first)
            editor_message(ed, true, "\"%s\" was not found.", r->q.pattern);
        finish(ed, !first);
        return;
    }
    /* Past the start again, or round the end a second time: the round is over. */
    bool again = wrapped && r->wrapped;
    if (wrapped && !r->wrapped) {
        r->wrapped = true;
        editor_message(ed, false, "Search wrapped around.");
    }
    if (!first && (again || (r->wrapped && start != WF_NOPOS && m.start >= start))) {
        finish(ed, true);
        return;
    }
    show_match(ed, &m);
}

/* Enter on the find prompt: compiles the query, asks for the replacement. */
static void find_answer(struct editor *ed)
{
    struct replace_round *r = &ed->replace;
    char why[256];
    if (ed->prompt.len == 0 && ed->buf->find && *ed->buf->find) /* the last search again */
        prompt_open(&ed->prompt, PROMPT_REPLACE, ed->buf->find, strlen(ed->buf->find));
    if (ed->prompt.len == 0) {
        prompt_close(&ed->prompt);
        return;
    }
    if (replace_query_init(&r->q, ed->prompt.text, ed->prompt.len, r->flags, why,
                           sizeof why) != 0) {
        editor_message(ed, true, "%s", why);
        return; /* the prompt stays open, to fix the text */
    }
    r->active = true;
    free(ed->buf->find);
    ed->buf->find = strdup(ed->prompt.text);
    prompt_open(&ed->prompt, PROMPT_REPLACE_WITH, NULL, 0);
    ed->msg[0] = '\0';
}

/* Enter on the replacement prompt: starts the round at the cursor. */
static void with_answer(struct editor *ed)
{
    struct replace_round *r = &ed->replace;
    wf_doc *doc = ed->buf->doc;
    r->with = strdup(ed->prompt.text);
    if (!r->with) {
        editor_message(ed, true, "Out of memory: nothing was replaced.");
        finish(ed, false);
        return;
    }
    r->with_n = ed->prompt.len;
    size_t from, to;
    size_t at = view_selection(&ed->buf->view, &from, &to) ? from : ed->buf->view.cur;
    r->start = wf_doc_anchor_at(doc, at, 0);
    r->wrapped = false;
    r->replaced = 0;
    prompt_close(&ed->prompt);
    next_match(ed, at);
}

static void tick(struct editor *ed)
{
    if (ed->clock)
        wf_doc_set_time(ed->buf->doc, ed->clock());
}

/* y: replaces the match shown (matched again where it is now), then the next. */
static void replace_this(struct editor *ed)
{
    struct replace_round *r = &ed->replace;
    wf_doc *doc = ed->buf->doc;
    size_t at = wf_doc_anchor_pos(doc, r->m_start);
    size_t end = wf_doc_anchor_pos(doc, r->m_end);
    bool empty = end == WF_NOPOS || at == WF_NOPOS || end <= at;
    struct replace_match done;
    tick(ed);
    int e = at == WF_NOPOS ? WF_EINVAL : replace_one(doc, &r->q, at, r->with, r->with_n, &done);
    if (e == WF_EINVAL) {
        editor_message(ed, false, "That match was changed by someone: not replaced.");
        next_match(ed, at == WF_NOPOS ? 0 : at + 1);
        return;
    }
    if (e) {
        editor_message(ed, true, "Not replaced: %s.", wf_strerror(e));
        finish(ed, true);
        return;
    }
    r->replaced++;
    ed->edits++;
    view_sync(&ed->buf->view, doc);
    next_match(ed, empty ? done.end + 1 : done.end);
}

/* n: skips the match shown. */
static void skip_this(struct editor *ed)
{
    struct replace_round *r = &ed->replace;
    size_t s = wf_doc_anchor_pos(ed->buf->doc, r->m_start);
    size_t e = wf_doc_anchor_pos(ed->buf->doc, r->m_end);
    if (s == WF_NOPOS || e == WF_NOPOS)
        s = e = 0;
    next_match(ed, e > s ? e : s + 1);
}

/* a: the match shown and every one left in the round, as one edit and one undo step. */
static void replace_rest(struct editor *ed)
{
    struct replace_round *r = &ed->replace;
    wf_doc *doc = ed->buf->doc;
    size_t at = wf_doc_anchor_pos(doc, r->m_start);
    size_t start = wf_doc_anchor_pos(doc, r->start);
    size_t n = 0;
    tick(ed);
    int e = replace_all_in(doc, &r->q, at == WF_NOPOS ? 0 : at, start == WF_NOPOS ? 0 : start,
                           r->with, r->with_n, &n);
    r->replaced += n;
    if (e)
        editor_message(ed, true, "Not replaced: %s.", wf_strerror(e));
    if (n)
        ed->edits++;
    view_sync(&ed->buf->view, doc);
    view_clear_selection(&ed->buf->view);
    view_show_cursor(&ed->buf->view, doc);
    finish(ed, e == 0);
}

static void ask_key(struct editor *ed, const struct keyev *ev)
{
    uint32_t k = ev->code;
    if (cancel_key(ev)) {
        view_clear_selection(&ed->buf->view);
        finish(ed, true);
    } else if (!ev->mods && (k == 'y' || k == 'Y' || k == K_ENTER || k == ' ')) {
        replace_this(ed);
    } else if (!ev->mods && (k == 'n' || k == 'N' || k == K_BACKSPACE)) {
        skip_this(ed);
    } else if (!ev->mods && (k == 'a' || k == 'A')) {
        replace_rest(ed);
    }
}

void replace_ui_key(struct editor *ed, const struct keyev *ev)
{
    if (ev->type != KEV_KEY)
        return;
    int kind = ed->prompt.kind;
    if (kind == PROMPT_REPLACE_ASK) {
        ask_key(ed, ev);
        return;
    }
    if (cancel_key(ev)) {
        prompt_close(&ed->prompt);
        replace_ui_end(&ed->replace);
        editor_message(ed, false, "Nothing replaced.");
        return;
    }
    if (kind == PROMPT_REPLACE && ev->mods == MOD_ALT && (ev->code == 'c' || ev->code == 'r')) {
        ed->replace.flags ^= ev->code == 'c' ? REPLACE_ICASE : REPLACE_REGEX;
        say_mode(ed);
    } else if (ev->code == K_ENTER && kind == PROMPT_REPLACE) {
        find_answer(ed);
    } else if (ev->code == K_ENTER && kind == PROMPT_REPLACE_WITH) {
        with_answer(ed);
    }
}
