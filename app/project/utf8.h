/* Strict UTF-8 (RFC 3629: shortest form, no surrogates, at most U+10FFFF), the one decoder
 * of the room: path.c validates guests' paths with it, sniff.c files' first bytes. */
#ifndef WEFT_APP_PROJECT_UTF8_H
#define WEFT_APP_PROJECT_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returned by proj_utf8_seq() for a sequence that is valid so far but cut by the end. */
#define PROJ_UTF8_CUT ((size_t)-1)

/* The sequence starting with the byte s[0] >= 0x80 of s[0..n): its length (2..4) with its
 * code point in *cp; 0 when it is not UTF-8; PROJ_UTF8_CUT when s ends inside it. */
size_t proj_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp);

/* True for the code points that are never shown as they are, neither in a guest's path nor
 * on the host's terminal: controls (C0, DEL, C1, which include NEL U+0085), and those that
 * reorder or break the text a person reads (bidi marks, embeddings, overrides and isolates
 * U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069; U+2028, U+2029). */
bool proj_utf8_unsafe(uint32_t cp);
/* The same split in two: controls only. */
bool proj_utf8_control(uint32_t cp);

/* Copies s[0..n) into out[0..cap) (always NUL-terminated, cut if it does not fit) with every
 * byte of an unsafe code point or of invalid UTF-8 written as \xHH, so that text from a file
 * (an ignore pattern) can be printed on a terminal without acting on it. Returns out. */
char *proj_utf8_printable(const char *s, size_t n, char *out, size_t cap);

#endif
