/* EditorConfig's save-time rules applied to a document before it is written:
 * trim_trailing_whitespace (blanks at line ends removed), insert_final_newline (true: the
 * text ends with a line break, false: its last line break is removed) and end_of_line (lf
 * or crlf: every line break made so; cr is not converted). app/editor/fileconf.h says which
 * apply to a file.
 *
 * They are edits of the document, not a filter on the bytes written, so that what is on
 * screen, what the others have and what is on disk stay the same text. The editor applies
 * them only when the buffer is modified: opening and saving an unchanged file writes it
 * back byte for byte. Positions are units. */
#ifndef WEFT_APP_EDITOR_SAVERULES_H
#define WEFT_APP_EDITOR_SAVERULES_H

#include <stddef.h>

#include "app/editor/fileconf.h"
#include "core/doc.h"
#include "core/error.h"

/* True when fc has a rule to apply (trim yes, a final-newline yes or no, eol LF or CRLF). */
bool saverules_any(const struct fileconf *fc);

/* Applies fc's rules to doc, as one undo step; *changes (if not NULL) receives the number of
 * places changed. One pass over the document to find them, then the edits from the last to
 * the first. Returns 0, or a WF_E* code from the document (the edits made stay: the text
 * is consistent, only less tidy). */
WF_MUST_CHECK int saverules_apply(wf_doc *doc, const struct fileconf *fc, size_t *changes);

#endif
