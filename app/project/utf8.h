/* Strict UTF-8 (RFC 3629: shortest form, no surrogates, at most U+10FFFF), the one decoder
 * of the room: path.c validates guests' paths with it, sniff.c files' first bytes. */
#ifndef WEFT_APP_PROJECT_UTF8_H
#define WEFT_APP_PROJECT_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Returned by proj_utf8_seq() for a sequence that is valid so far but cut by the end. */
#define PROJ_UTF8_CUT ((size_t)-1)

/* The sequence starting with the byte s[0] >= 0x80 of s[0..n): its length (2..4) with its
 * code point in *cp; 0 when it is not UTF-8; PROJ_UTF8_CUT when s ends inside it. */
size_t proj_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp);

#endif
