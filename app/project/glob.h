/* Glob matching with git's wildmatch semantics: the matcher under .gitignore patterns.
 *
 * `*` matches any run of bytes, `?` any one byte, `[...]` one byte of a class (ranges a-z,
 * negation with `!` or `^`, POSIX classes [:alpha:] and friends, `\` escapes inside), and
 * `\x` the byte x. With PROJ_GLOB_PATHNAME, `*`, `?` and classes never match '/', and `**`
 * between slashes (or at either end) matches any number of whole directories. Matching is on
 * bytes (a multibyte UTF-8 character is several `?`), ASCII-only case folding, no locale. */
#ifndef WEFT_APP_PROJECT_GLOB_H
#define WEFT_APP_PROJECT_GLOB_H

#include <stdbool.h>
#include <stddef.h>

enum {
    PROJ_GLOB_PATHNAME = 1, /* '/' is special (git's WM_PATHNAME) */
    PROJ_GLOB_CASEFOLD = 2, /* ASCII letters match either case */
};

/* Results of proj_glob_match(). */
enum { PROJ_GLOB_NOMATCH = 0, PROJ_GLOB_MATCH = 1, PROJ_GLOB_TOO_COMPLEX = -1 };

/* Steps one match may take. Git's algorithm is exponential in the number of `**` segments
 * (git itself hangs on a hundred "slash, star, star" in a row); sane patterns take hundreds of
 * steps, the budget about a millisecond. */
#define PROJ_GLOB_BUDGET (1L << 20)

/* Does the NUL-terminated pattern match text[0..tlen) (which holds no NUL byte)?
 * PROJ_GLOB_MATCH or PROJ_GLOB_NOMATCH; PROJ_GLOB_TOO_COMPLEX when the budget ran out
 * before an answer (the caller decides what that means: ignore.c fails closed). A
 * malformed pattern (an unclosed '[', an unknown [:class:], a trailing '\') matches
 * nothing, as in git. Recursion depth is bounded by the number of '*' in the pattern. */
int proj_glob_match(const char *pattern, const char *text, size_t tlen, unsigned flags);

/* True when c is one of the bytes that make a pattern a glob: * ? [ \ (git's
 * is_glob_special). */
bool proj_glob_special(unsigned char c);

#endif
