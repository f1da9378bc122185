/* Alt-3 / Ctrl-/: comments or uncomments the cursor's line or the selected lines with the
 * syntax's `comment` string (app/editor/syntax.h): a prefix ("//"), or a prefix and a
 * suffix ("<!--|-->"); "#" when the syntax gave none or there is no syntax (nano's rule).
 * When every non-blank line is commented, they are all uncommented; else the uncommented
 * ones are commented. One edit and one undo step. */
#ifndef WEFT_APP_EDITOR_COMMENT_H
#define WEFT_APP_EDITOR_COMMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "app/editor/editor.h"

void comment_toggle(struct editor *ed);

/* The comment string split: prefix[0..*pn) and suffix[0..*sn) of s (nano's "a|b"). */
void comment_split(const char *s, size_t *pn, const char **suffix, size_t *sn);

#endif
