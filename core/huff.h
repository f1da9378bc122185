/* Canonical Huffman coding of bytes, for the text column of large updates (internal to the
 * core: core/codec.c is its only user).
 *
 * Block: 128 bytes of code lengths (two 4-bit lengths per byte, symbol 2k in the low
 * nibble; 0 = unused, at most 15), then the codes of every byte, packed least significant
 * bit first, padded with zero bits to a byte boundary. Codes are assigned canonically
 * (by length, then symbol), as in DEFLATE (RFC 1951 §3.2.2). */
#ifndef WEFT_CORE_HUFF_H
#define WEFT_CORE_HUFF_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"

#define WF_HUFF_MAX_BITS 15
#define WF_HUFF_TABLE_BYTES 128

/* Appends the block for src[0..n) (n > 0) to out. */
void wf_huff_encode(const uint8_t *src, size_t n, wf_buf *out);

/* Bytes wf_huff_encode() would append for src[0..n), without encoding. */
size_t wf_huff_size(const uint8_t *src, size_t n);

/* Decodes a block of exactly in_len bytes into dst[0..n). Returns 0, WF_EDECODE (bad
 * lengths, an unused code, too few or too many bits, non-zero padding). */
WF_MUST_CHECK int wf_huff_decode(const uint8_t *in, size_t in_len, uint8_t *dst, size_t n);

/* --- the code construction, shared with core/lz.c ------------------------------------- */

#define WF__HUFF_MAX_SYMS 320

/* Code lengths (0 = unused, at most max_bits <= WF_HUFF_MAX_BITS) for the frequencies of
 * nsym <= WF__HUFF_MAX_SYMS symbols; a single used symbol gets length 1. */
void wf__huff_lengths(const uint64_t *freq, unsigned nsym, unsigned max_bits, uint8_t *len);
/* Canonical codes for the lengths, bit-reversed for least-significant-bit-first output. */
void wf__huff_codes(const uint8_t *len, unsigned nsym, uint16_t *code);
/* Fills the decoding table of 2^bits entries: table[next bits] = symbol << 4 | length, or 0
 * for bits no code starts with. WF_EDECODE when no symbol is used, a length exceeds bits, or
 * the lengths oversubscribe the code space. */
WF_MUST_CHECK int wf__huff_table(const uint8_t *len, unsigned nsym, unsigned bits,
                                 uint16_t *table);

#endif
