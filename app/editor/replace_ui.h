/* Ctrl-R, search and replace, as the user drives it: the text to find (Alt-C toggles case,
 * Alt-R regular expressions), the replacement, then at each match y (replace it), n (skip
 * it), a (replace it and every one left in the round, as one edit and one undo step) or Esc
 * (stop); the prompt shows "3 of 41". The matching and replacing are app/editor/replace.h's.
 *
 * A round starts at the cursor, wraps at the end of the file, and ends when it comes back
 * to where it started (nano's rule). The match shown and the round's start are core
 * anchors, so others typing meanwhile move them with the text: a match that others'
 * typing changed is not replaced (replace_one() matches again first), and the round goes
 * on from there. */
#ifndef WEFT_APP_EDITOR_REPLACE_UI_H
#define WEFT_APP_EDITOR_REPLACE_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#include "app/editor/keys.h"
#include "app/editor/replace.h"
#include "core/anchor.h"

struct editor;

/* The round under way, in struct editor. Caller's storage, zeroed: no round. */
struct replace_round {
    unsigned flags;            /* REPLACE_* for the next Ctrl-R (kept between rounds) */
    bool active;               /* q, with, start, m_* are valid */
    struct replace_query q;    /* the compiled search */
    char *with;                /* owned: the replacement, NUL-terminated */
    size_t with_n;             /* bytes in with */
    wf_anchor start;           /* where the round began */
    bool wrapped;              /* the round went past the end of the file */
    wf_anchor m_start, m_end;  /* the match shown */
    size_t replaced;           /* replacements made in this round */
};

/* Ctrl-R: opens the prompt for the text to find (Enter on it empty: the last search). */
void replace_ui_start(struct editor *ed);
/* True for the prompts of a round that take typed text (what to find, the replacement). */
bool replace_ui_text_prompt(int kind);
/* A key in one of the round's prompts (after prompt_edit() took the text keys). */
void replace_ui_key(struct editor *ed, const struct keyev *ev);
/* Ends the round, freeing what it holds; the flags stay. Inline, as editor_close() calls
 * it too and this module calls the editor (no call circle between their objects). */
static inline void replace_ui_end(struct replace_round *r)
{
    if (r->active)
        replace_query_close(&r->q);
    free(r->with);
    r->with = NULL;
    r->active = false;
}

#endif
