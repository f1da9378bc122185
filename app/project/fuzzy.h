/* Fuzzy matching of a query against paths, for the Ctrl-P file picker: which paths match,
 * how well, and where (for highlighting).
 *
 * A path matches when the query's characters appear in it in order (a subsequence), compared
 * as code points; case-insensitively (ASCII, and other letters through utf8proc, though a
 * letter beyond ASCII never folds into ASCII: the Kelvin sign does not match 'k') unless the
 * query holds an upper-case letter ("smart case", as fzf and VS Code). There is no accent
 * stripping ("e" does not match "é"). Bytes that are not UTF-8 count as one character each
 * and match only themselves.
 *
 * The score is fzf's (algo v2: a Smith-Waterman-like table over the stretch of the path that
 * can hold the match, so the best placement is found, not the first): 16 a matched character,
 * -3 to open a gap and -1 for each further skipped character (byte, for an ASCII query: the
 * fast path works on bytes), nothing for what comes before the first match or after the last;
 * and a bonus on each matched character: 9 after '/' or at the start, 10 after white space,
 * 8 after another separator ('_', '-', '.', ...), 7 at a camelCase hump or the first digit of a
 * number, 8 on a separator itself; a character in a consecutive run gets at least 4 and at
 * least the bonus of the run's first character; the first query character's bonus counts
 * twice. Paths are not split into directory and name (fzf's "path" scheme works the same
 * way): '/' is the strongest boundary, so "mf" prefers "src/main/foo.c" to "src/maxfoo.c".
 * Equal scores rank the shorter path first, then the smaller bytes, so results are stable.
 * Like fzf's, the table keeps one run per cell, so very rarely a placement scoring a little
 * more is missed (under 1% of random short cases in the test); the reported positions always
 * give the reported score.
 *
 * Speed: an ASCII query first scans the bytes (a table lookup a byte), and scores only the
 * paths that contain it, on the places where its characters occur; p50 3.5..12 ms, max 13 ms
 * per query over 100,000 generated paths (tests/bench/fuzzy-bench, on 2 cores at a load of 2;
 * the max rose to 28 ms at a load of 6).
 *
 * The decision the picker's users notice: "mkf" ranks "src/make_tmp_file.c" above
 * "Makefile". Both start at a boundary ('M', 'm' after '/'); "make_tmp_file" then matches 'f'
 * at a word start (after '_'), worth more than the shorter gap in "Makefile" costs. A person
 * who wants the Makefile types "make" (then "Makefile" wins: one run from the start, and the
 * shorter path), as in fzf; the test pins both. */
#ifndef WEFT_APP_PROJECT_FUZZY_H
#define WEFT_APP_PROJECT_FUZZY_H

#include <stddef.h>
#include <stdint.h>

#include "app/project/common.h"

#define PROJ_FUZZY_QUERY_MAX 64     /* characters of a query (more: -E2BIG) */
#define PROJ_FUZZY_PATH_MAX 4096    /* bytes of a path (longer paths never match) */
#define PROJ_FUZZY_NOMATCH INT32_MIN

typedef struct proj_fuzzy proj_fuzzy;

/* Prepares the query q[0..len) (UTF-8; not UTF-8 bytes are characters of their own). Returns
 * 0 and a new matcher in *out (free with proj_fuzzy_free()), or -E2BIG (more than
 * PROJ_FUZZY_QUERY_MAX characters) or -ENOMEM. The empty query matches every path with score
 * 0. A matcher holds scratch memory (about 70 KiB, and 48 KiB a query character): use one
 * from one thread at a time. */
PROJ_MUST_CHECK int proj_fuzzy_new(const char *q, size_t len, proj_fuzzy **out);
void proj_fuzzy_free(proj_fuzzy *f);

/* The score of path[0..len), or PROJ_FUZZY_NOMATCH. When pos is not NULL and the path
 * matches, pos[i] receives the byte offset in path of the character that query character i
 * matched (the query's length in characters: proj_fuzzy_len()), in increasing order. */
int32_t proj_fuzzy_score(proj_fuzzy *f, const char *path, size_t len, uint16_t *pos);

/* Characters in the query. */
size_t proj_fuzzy_len(const proj_fuzzy *f);

struct proj_fuzzy_hit {
    size_t index;                        /* into the caller's list */
    int32_t score;
    uint16_t pos[PROJ_FUZZY_QUERY_MAX];  /* byte offsets of the matched characters (see above) */
};

/* The best matches among paths[0..n) (lens[i] bytes each; lens may be NULL for
 * NUL-terminated paths), best first: at most max of them into hits (caller's storage, max
 * entries). Returns how many were written. Time: one pass over the paths (a subsequence
 * check, then the score for those that match) plus O(n log max); the positions are computed
 * for the results only. Allocates nothing. */
size_t proj_fuzzy_top(proj_fuzzy *f, const char *const *paths, const size_t *lens, size_t n,
                      struct proj_fuzzy_hit *hits, size_t max);

/* proj_fuzzy_top() over some of the paths only: the candidates among[0..namong) (indices
 * into paths), then every index in [from, n). Each candidate that matches is also written to
 * matched (caller's storage for namong + n - from entries; may alias nothing else), in that
 * order, and their count to *nmatched: a query that extends this one (more characters after
 * it) can only match among these, which is how the picker narrows as a person types.
 * Returns the hits written, as proj_fuzzy_top(). Allocates nothing. */
size_t proj_fuzzy_top_among(proj_fuzzy *f, const char *const *paths, const size_t *lens,
                            const uint32_t *among, size_t namong, size_t from, size_t n,
                            struct proj_fuzzy_hit *hits, size_t max, uint32_t *matched,
                            size_t *nmatched);

#endif
