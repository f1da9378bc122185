/* Text queries on the core document for the editor: lines, grapheme clusters, words,
 * display columns.
 *
 * Units are core units (code points, or single invalid bytes). A line's *content* excludes
 * its line break, which is "\n" or "\r\n" (CR LF is one grapheme cluster, UAX #29 GB3, so
 * the cursor never stands between the two). Every query reads only the line it is about, or
 * a bounded window around the position; none walks the document. */
#ifndef WEFT_APP_EDITOR_TEXT_H
#define WEFT_APP_EDITOR_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/doc.h"

struct line_info {
    size_t line;   /* 0-based line number */
    size_t start;  /* first unit */
    size_t end;    /* end of the content: the unit of its line break, or len */
    size_t next;   /* first unit of the next line, or len for the last line */
};

/* Fills *li for line (0 <= line <= wf_doc_newlines()). */
void text_line(const wf_doc *doc, size_t line, struct line_info *li);
/* Fills *li for the line holding pos. */
void text_line_at(const wf_doc *doc, size_t pos, struct line_info *li);
/* Returns a new copy of the line's content (free with free()), its length in *nbytes. */
char *text_line_copy(const wf_doc *doc, const struct line_info *li, size_t *nbytes);

/* The cluster boundary after / before pos (a line break counts as one cluster). */
size_t text_next_cluster(const wf_doc *doc, size_t pos);
size_t text_prev_cluster(const wf_doc *doc, size_t pos);
/* End of the next word at or after pos / start of the word before pos. Words are runs of
 * letters, digits, marks and '_'. */
size_t text_word_right(const wf_doc *doc, size_t pos);
size_t text_word_left(const wf_doc *doc, size_t pos);

/* Display column of pos in its line (tabs every tabw columns). */
size_t text_col_of(const wf_doc *doc, size_t pos, unsigned tabw);
/* The position in line li nearest to display column col (a cluster start, or li->end). */
size_t text_pos_at_col(const wf_doc *doc, const struct line_info *li, size_t col,
                       unsigned tabw);
/* 0-based count of clusters between the start of pos's line and pos. */
size_t text_cluster_col(const wf_doc *doc, size_t pos);
/* The position of the cluster-th cluster (0-based) of line li, or li->end. */
size_t text_pos_at_cluster(const wf_doc *doc, const struct line_info *li, size_t cluster);

/* The display column and the cluster count of one position, remembered: a frame asks for
 * the cursor's column several times, and on a very long line each answer is a walk from
 * the line's start. Valid while the document's revision, the position and the tab width
 * are the same. Caller's storage, no resources; zero-initialise, and zero again when the
 * document is replaced by another. */
struct col_memo {
    const wf_doc *doc;
    uint64_t revision;
    size_t pos;
    unsigned tabw;
    bool valid;
    size_t col;      /* text_col_of(doc, pos, tabw) */
    size_t clusters; /* text_cluster_col(doc, pos) */
};

/* text_col_of() and text_cluster_col() through a memo. */
size_t text_col_memo(struct col_memo *m, const wf_doc *doc, size_t pos, unsigned tabw);
size_t text_cluster_col_memo(struct col_memo *m, const wf_doc *doc, size_t pos);

/* Units of whitespace (space, tab) that start line li, at most up to limit. */
size_t text_indent(const wf_doc *doc, const struct line_info *li, size_t limit);

#endif
