/* Matching brackets: which bracket pairs with the one at the cursor, for the highlight
 * drawn on it and for the jump to it (Alt-]).
 *
 * The pairs are ( ), [ ] and { }, counted by nesting as nano does: nothing is skipped
 * (a bracket in a string or a comment counts too), and the other kinds are ignored (an
 * unbalanced "[" inside "( )" does not stop the search for ")"). The search reads at most
 * `budget` units from the bracket, so a lone bracket in a 100 MB file costs a bounded
 * time; past that it reports no match. Positions are units. */
#ifndef WEFT_APP_EDITOR_BRACKET_H
#define WEFT_APP_EDITOR_BRACKET_H

#include <stddef.h>

#include "core/doc.h"

/* Units read at most for one match: about 1 MB of text, a millisecond or two. */
#define BRACKET_BUDGET ((size_t)1 << 20)

/* If the unit at pos is a bracket: the position of its match, or WF_NOPOS when it has none
 * within budget units. WF_NOPOS when the unit at pos is not a bracket. */
size_t bracket_match(const wf_doc *doc, size_t pos, size_t budget);

/* The bracket the cursor at pos means: the unit at pos when it is a bracket, else the one
 * just before pos (after typing ")"); *at receives its position. Returns its match as
 * bracket_match(), or WF_NOPOS (then *at is WF_NOPOS too when neither is a bracket). */
size_t bracket_near(const wf_doc *doc, size_t pos, size_t budget, size_t *at);

#endif
