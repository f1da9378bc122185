/* Segmentation of bytes into units.
 *
 * A unit is one well-formed UTF-8 scalar value (RFC 3629: shortest form, no surrogates,
 * at most U+10FFFF), or one byte that does not begin one. Segmentation is greedy from the
 * left, so every replica cuts the same bytes into the same units, and any byte string,
 * including invalid UTF-8 and NUL bytes, is a sequence of units that reproduces it exactly.
 * Only the byte '\n' counts as a newline. */
#ifndef WEFT_CORE_UTF8_H
#define WEFT_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value returned by wf_utf8_decode() for a byte b that is a unit of its own: WF_UTF8_RAW(b). */
#define WF_UTF8_RAW(b) (-1 - (int32_t)(uint8_t)(b))
#define WF_UTF8_IS_RAW(c) ((c) < 0)
#define WF_UTF8_RAW_BYTE(c) ((uint8_t)(-1 - (c)))

/* Length in bytes (1..4) of the unit starting at s; n > 0 bytes are available. */
size_t wf_utf8_unit_len(const char *s, size_t n);

/* Decodes the unit at s (n > 0): returns its code point, or WF_UTF8_RAW(byte) for an
 * invalid byte. *len receives the unit's length in bytes. */
int32_t wf_utf8_decode(const char *s, size_t n, size_t *len);

/* Number of units in s[0..n); *newlines (if not NULL) receives the number of '\n' bytes. */
size_t wf_utf8_count(const char *s, size_t n, size_t *newlines);

/* Number of '\n' bytes in s[0..n). */
size_t wf_utf8_count_newlines(const char *s, size_t n);

/* Byte offset of unit k in s[0..n) (n if k is the unit count). s must hold at least k units. */
size_t wf_utf8_offset(const char *s, size_t n, size_t k);

/* True when appending any bytes after s[0..n) cannot change how s segments, i.e. s does
 * not end inside an incomplete but so far well-formed sequence. Runs are only joined at
 * such boundaries. */
bool wf_utf8_ends_clean(const char *s, size_t n);

/* Writes the UTF-8 encoding of code point cp (< 0x110000, not a surrogate) to out; returns
 * its length (1..4), or 0 if cp is not a scalar value. */
size_t wf_utf8_encode(uint32_t cp, char out[4]);

#endif
