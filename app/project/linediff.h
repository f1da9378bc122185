/* Line diff: what to replace in an old text to get a new one, line by line (for merging a file
 * that changed on disk into its document, app/editor/diskmerge.h).
 *
 * Units: bytes. A line is the bytes up to and including a '\n' (so "\r\n" ends a line with
 * its '\r' inside it), or the bytes after the last '\n' when the text does not end with one;
 * lines are compared byte for byte, so any bytes work (NUL, invalid UTF-8, CRLF, no final
 * newline, empty texts). Applying the hunks to old, in order, gives new exactly.
 *
 * Method: the common first and last lines are cut off, the lines between are hashed (64 bits;
 * what is kept as unchanged is then compared byte for byte), and Myers' O(ND) algorithm in linear space
 * (the "middle snake" bisection, Myers 1986 §4b) finds a shortest edit script over the numbers.
 * Its cost is bounded: every diagonal visited and every line compared on a snake counts one
 * step, and when the steps reach the budget (or the lines between the common ends exceed
 * lines_max) the parts not yet done are each one replace hunk after their own common ends are
 * cut off ("fallback"). So time stays O(budget + bytes) and memory O(lines) (24 bytes a line
 * of old and new between the common ends), and a fallback is never wrong, only coarser. */
#ifndef WEFT_APP_PROJECT_LINEDIFF_H
#define WEFT_APP_PROJECT_LINEDIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "app/project/common.h"

/* Old bytes [old_off, old_off + old_len) are replaced by new bytes [new_off, new_off +
 * new_len); both ranges start and end at line boundaries. Line numbers are 0-based over the
 * whole texts (line k starts after the k-th '\n'). */
struct ld_hunk {
    size_t old_off, old_len;     /* bytes of old */
    size_t new_off, new_len;     /* bytes of new */
    size_t old_line, old_lines;  /* the same range of old, in lines */
    size_t new_line, new_lines;  /* the same range of new, in lines */
};

/* Hunks in increasing order of old_off (and of new_off), never overlapping or touching: two
 * hunks with no unchanged line between them are one. */
struct ld_result {
    struct ld_hunk *hunks; /* owned: free with ld_result_free() */
    size_t n;              /* hunks */
    bool fallback;         /* a budget or a limit cut the search short somewhere */
};

struct ld_limits {
    size_t budget;    /* steps (diagonals visited + lines compared); 0: LD_BUDGET */
    size_t lines_max; /* lines of old + new between the common ends; 0: LD_LINES_MAX */
};
#define LD_BUDGET ((size_t)50 * 1000 * 1000) /* about 100 ms on a 2020s machine */
#define LD_LINES_MAX ((size_t)1 << 24)        /* 16 Mi lines: 24 bytes each, ~400 MB at most */

/* Diffs old[0..old_len) against new[0..new_len) (either may be NULL when its length is 0).
 * lim may be NULL for the defaults. Fills *out (free with ld_result_free(), also when it has
 * no hunks). Returns 0, or -ENOMEM (then *out is empty and needs no free). */
PROJ_MUST_CHECK int ld_diff(const char *old, size_t old_len, const char *new, size_t new_len,
                            const struct ld_limits *lim, struct ld_result *out);

void ld_result_free(struct ld_result *r);

#endif
