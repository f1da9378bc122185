/* Editing commands on the core document: typing, line breaks, deletion, clipboard, undo.
 *
 * Every edit tells the core the time first (wf_doc_set_time), so that typing groups into
 * undo steps by pauses; cut, paste and bracketed paste are steps of their own. Deletions
 * remove whole grapheme clusters (app/editor/text.h). Typing replaces the selection. */
#ifndef WEFT_APP_EDITOR_EDIT_H
#define WEFT_APP_EDITOR_EDIT_H

#include <stddef.h>

#include "app/editor/editor.h"

/* Inserts text[0..n) at the cursor, replacing the selection; the cursor goes after it. */
void edit_insert(struct editor *ed, const char *text, size_t n);
/* Inserts a paste from the terminal as one undo step, with its line breaks converted to
 * the file's ("\n" or "\r\n"). */
void edit_paste_text(struct editor *ed, const char *text, size_t n);

void edit_newline(struct editor *ed);
void edit_backspace(struct editor *ed);
void edit_delete(struct editor *ed);
void edit_delete_word_left(struct editor *ed);
void edit_delete_word_right(struct editor *ed);
void edit_select_all(struct editor *ed);
void edit_copy(struct editor *ed);
void edit_cut(struct editor *ed);
void edit_paste(struct editor *ed);
void edit_undo(struct editor *ed);
void edit_redo(struct editor *ed);

#endif
