/* Tab and Shift-Tab: what Tab inserts (the syntax's `tabgives`, else the file's spaces or a
 * tab, app/editor/fileconf.h), and indenting or outdenting whole lines: the selected ones,
 * or Shift-Tab's cursor line. Each command is one edit and one undo step; blank lines are
 * left alone when indenting (nano's rule). */
#ifndef WEFT_APP_EDITOR_INDENT_H
#define WEFT_APP_EDITOR_INDENT_H

#include <stdbool.h>
#include <stddef.h>

#include "app/editor/editor.h"

/* Tab: indents the selected lines when there is a selection, else inserts one level at the
 * cursor (spaces up to the next multiple of the indent width, when the file uses spaces). */
void indent_tab(struct editor *ed);
/* Shift-Tab: removes one level (a tab, or up to the indent width in spaces) from the start
 * of the selected lines, or of the cursor's line. */
void indent_outdent(struct editor *ed);

/* The lines a line command works on: the selection's, or the cursor's. A selection that
 * ends at the start of a line leaves that line out. true when there was a selection. */
bool indent_lines(const struct editor *ed, size_t *first, size_t *last);
/* After a line command on lines first..last: selects them whole (when had_sel), else keeps
 * the cursor where its anchor put it; scrolls to it. */
void indent_reselect(struct editor *ed, size_t first, size_t last, bool had_sel);

#endif
