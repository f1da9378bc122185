/* Highlighting: one syntax's rules matched on the lines being drawn, as foreground spans.
 *
 * Painting follows nano: the rules apply in their order and a later rule paints over an
 * earlier one; a single-line rule paints each of its matches in the line; a region rule
 * paints from a match of its start to the next match of its end, across lines. The only
 * thing that carries from one line to the next is which regions are open at its start: the
 * line's *state*, one bit per region rule. The highlighter caches the state at the start
 * of every HL_STRIDE-th line, from the top down to the last line it computed, and computes
 * the state of line N from the nearest cached line above it. So:
 *
 *   - it never reads the whole document: drawing lines N..N+h reads the lines between the
 *     last cached state and N (once; then they are cached), and the visible lines;
 *   - an edit costs nothing until it is drawn: the editor calls hl_invalidate() with the
 *     first line the edit touched (local, remote or undo), which only forgets the cached
 *     states below it; the next draw recomputes from there to the screen;
 *   - a jump far down (the end of a 100 MB file) does not scan everything above: when the
 *     lines between the last cached state and N hold more than HL_SCAN_UNITS units, the
 *     state at N is *estimated* by scanning only the HL_GUESS_UNITS units above N from a
 *     state with no region open. The estimate is wrong only if a region (a comment)
 *     opened further above is still open at N. hl_line() says when its answer is an
 *     estimate, and hl_catch_up(), called when the editor is idle, extends the exact cache
 *     downwards in bounded steps, so the estimate is replaced by the truth soon after.
 *   - a very long line (over HL_FULL_LINE bytes, e.g. a 20 MB line) is never matched whole:
 *     only a window of the part being drawn plus HL_MARGIN bytes either side. Its state at
 *     the window is taken to be its state at the line start, and its state at its end the
 *     same (regions that open or close inside a very long line, outside the window, are
 *     not seen). This keeps typing on a 20 MB line as fast as without colours, at the cost
 *     of colours that may be wrong on such lines and just below them.
 *
 * A region without an end is painted to the end of the document (nano paints it only if an
 * end exists somewhere below; finding out would mean reading to the end of the file).
 *
 * Matching uses the C library's POSIX regexec() with REG_STARTEND on the line's bytes
 * (never NUL-terminated copies of the document), so `^`, `\<` and `\b` see the text
 * before the match position. It runs in the process's locale (the editor sets a UTF-8
 * one): `.` and [[:alpha:]] then match characters, so spans start and end on character
 * boundaries of valid UTF-8.
 *
 * How the editor draws with it (the design note is in app/editor/README.md):
 *
 *     struct hl *hl = hl_new(set, syntax);             // once per buffer
 *     ...on every edit touching line L (yours or a peer's):   hl_invalidate(hl, L);
 *     ...per visible line y, top to bottom:
 *         size_t n;
 *         const struct hl_span *sp = hl_line(hl, doc, line, lo, hi, &n);
 *         // paint bytes [sp[i].start, sp[i].end) of the line with sp[i].style
 *     ...when idle:   if (hl_catch_up(hl, doc, HL_SCAN_UNITS)) schedule again;
 *
 * Positions are bytes within a line; line numbers are 0-based. Not thread-safe. */
#ifndef WEFT_APP_EDITOR_HIGHLIGHT_H
#define WEFT_APP_EDITOR_HIGHLIGHT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/editor/colour.h"
#include "app/editor/syntax.h"
#include "core/doc.h"

/* Lines between two cached states. */
#define HL_STRIDE 16
/* Most units scanned to reach a line's state exactly, per hl_line() call; past this the
 * state is estimated. About 1 MB of text. */
#define HL_SCAN_UNITS ((size_t)1 << 20)
/* Units above a line scanned to estimate its state. */
#define HL_GUESS_UNITS ((size_t)1 << 16)
/* Lines up to this many bytes have their regions matched whole (exact states); longer ones
 * are matched only in a window around the drawn part. */
#define HL_FULL_LINE ((size_t)64 << 10)
/* Lines up to this many bytes are painted whole; on longer ones the single-line rules run
 * only on the drawn part plus HL_MARGIN bytes either side (a match reaching further than
 * that out of the drawn part may be missed, or cut at the window's edge). */
#define HL_PAINT_WHOLE ((size_t)4 << 10)
#define HL_MARGIN ((size_t)1024)

/* One painted piece of a line. */
struct hl_span {
    size_t start;    /* byte offset in the line (content, without the line break) */
    size_t end;      /* byte offset, exclusive; > start */
    syn_style style; /* never SYN_STYLE_NONE */
};

struct hl;

/* Returns a new highlighter for syn (which belongs to set: both must outlive it); compiles
 * syn's rules (syn_compile()) if that was not done. Rules added to syn later are not used
 * by it. Free with hl_free(). */
struct hl *hl_new(struct syn_set *set, struct syn_syntax *syn);
void hl_free(struct hl *hl);

/* The document changed at line `line` (0-based: the first line an insert, delete, remote
 * update or undo touched): forgets the states cached below it. O(1). */
void hl_invalidate(struct hl *hl, size_t line);

/* The spans of line `line` of doc, sorted, not overlapping, covering at least the bytes
 * [lo, hi) of its content (the part being drawn; pass 0, SIZE_MAX for all of it). A line
 * of at most HL_FULL_LINE bytes is matched whole and its spans cover it all. *n receives
 * the number of spans. Borrowed: valid until the next call on hl. A line past the end of
 * doc has no spans. */
const struct hl_span *hl_line(struct hl *hl, const wf_doc *doc, size_t line, size_t lo,
                              size_t hi, size_t *n);

/* Whether the last hl_line() was exact: false when its start state was estimated (a jump
 * far down) or the line is longer than HL_FULL_LINE. */
bool hl_last_exact(const struct hl *hl);

/* Extends the exact cache downwards, reading whole lines until about `bytes` bytes were
 * read. Returns true when lines remain whose state is not known exactly (call again when
 * idle), false when the cache reaches the end of doc. After each call hl_exact_lines()
 * tells how far the truth reaches: redraw if that passed the screen's top. */
bool hl_catch_up(struct hl *hl, const wf_doc *doc, size_t bytes);

/* The number of lines from the top whose start states are known exactly. */
size_t hl_exact_lines(const struct hl *hl);

/* Bytes held by the cache and buffers. */
size_t hl_memory(const struct hl *hl);

#endif
