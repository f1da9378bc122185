/* Fitting text into screen columns without cutting words: the longest prefix that ends at a
 * word boundary, for a status line that must shorten a message, and word wrapping, for a
 * screen that shows messages whole. Widths are display columns of grapheme clusters
 * (app/editor/layout.h); a word is what lies between spaces. Nothing here allocates. */
#ifndef WEFT_APP_EDITOR_FIT_H
#define WEFT_APP_EDITOR_FIT_H

#include <stddef.h>

/* Bytes of s[0..n) that fit in width columns: all of it when it fits (trailing spaces
 * dropped), else the longest prefix that ends at the end of a word (before a space); only
 * when not even the first word fits is it cut, at a cluster boundary. */
size_t fit_words(const char *s, size_t n, int width);

/* The next line of s[0..n) wrapped to width columns: *len receives its bytes (no trailing
 * spaces); returns the bytes it uses up, with the spaces after it, so that s + return is
 * where the following line starts. At least one cluster per line, however narrow. */
size_t fit_wrap(const char *s, size_t n, int width, size_t *len);

#endif
