/* LZ77 with canonical Huffman codes, for the columns and the text of large updates
 * (internal to the core: core/codec.c is its user).
 *
 * A DEFLATE-like scheme (RFC 1951) without its framing: one block, whose decoded size the
 * caller knows. Symbols 0-255 are literal bytes, 256-284 match lengths 3-258 (DEFLATE's
 * length codes and extra bits); each length is followed by a distance symbol 0-31 (DEFLATE's
 * 30 codes, plus 30 and 31 for distances up to 65536) and its extra bits.
 *
 * Block: the code lengths of the 285 literal/length symbols, then of the 32 distance
 * symbols (when any length is used), as 4-bit nibbles, least significant nibble first:
 *   0-12  a code length (0: the symbol is not used)
 *   13 n  3 + n zero lengths          14 n m  19 + (n | m << 4) zero lengths
 *   15 n  the previous length 3 + n more times
 * padded to a byte; then the codes, least significant bit first, padded with zero bits.
 * Codes are at most 12 bits long, so one table lookup decodes a symbol. */
#ifndef WEFT_CORE_LZ_H
#define WEFT_CORE_LZ_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"

/* Appends the block of src[0..n) (n > 0) to out. O(n) time, with a bounded match search. */
void wf_lz_encode(const uint8_t *src, size_t n, wf_buf *out);

/* The same block with no matches (Huffman codes of the bytes alone): larger, but faster to
 * decode. */
void wf_lz_encode_literals(const uint8_t *src, size_t n, wf_buf *out);

/* Decodes a block of exactly in_len bytes into dst[0..n). Returns 0, WF_EDECODE (bad
 * lengths, an unused code, a distance before the start, too few or too many bits or bytes),
 * or WF_ENOMEM. */
WF_MUST_CHECK int wf_lz_decode(const uint8_t *in, size_t in_len, uint8_t *dst, size_t n);

#endif
