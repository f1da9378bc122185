/* Finding text in the document: exact byte matches, forward or backward, wrapping around.
 *
 * The search streams the document's own chunks (wf_iter) forward, and bounded blocks
 * backward, so it never copies the document; a match that straddles two chunks is found
 * through a small window over the seam. Positions are units. */
#ifndef WEFT_APP_EDITOR_FIND_H
#define WEFT_APP_EDITOR_FIND_H

#include <stdbool.h>
#include <stddef.h>

#include "core/doc.h"

/* The first match of needle[0..n) starting at or after unit from; if there is none, the
 * first one from the start of the document (*wrapped set true). WF_NOPOS when none at all
 * or n == 0. */
size_t find_next(const wf_doc *doc, const char *needle, size_t n, size_t from, bool *wrapped);

/* The last match starting before unit before; if none, the last one in the document
 * (*wrapped set true). WF_NOPOS when none at all or n == 0. */
size_t find_prev(const wf_doc *doc, const char *needle, size_t n, size_t before,
                 bool *wrapped);

#endif
