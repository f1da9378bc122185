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

/* True when the NUL-terminated pattern matches text[0..tlen) (which holds no NUL byte).
 * A malformed pattern (an unclosed '[', an unknown [:class:], a trailing '\') matches
 * nothing, as in git. Recursion depth is bounded by the number of '*' in the pattern, time
 * by about (pattern length) x (text length). */
bool proj_glob_match(const char *pattern, const char *text, size_t tlen, unsigned flags);

/* True when c is one of the bytes that make a pattern a glob: * ? [ \ (git's
 * is_glob_special). */
bool proj_glob_special(unsigned char c);

#endif
