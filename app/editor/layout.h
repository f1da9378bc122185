/* Layout of one line of text on screen: grapheme clusters and their display columns.
 *
 * A line's bytes (without its line break) are cut into cells: one extended grapheme cluster
 * of valid text (UAX #29, utf8proc's stateful rules: exactly the boundaries of Unicode's
 * GraphemeBreakTest.txt), one tab, or one byte that is not valid UTF-8 (a unit of its own in
 * the core, see core/utf8.h). Each cell has a display width: for text, that of its first
 * character (CJK and emoji are 2; combining marks, a ZWJ and what it joins, a skin tone
 * and the second regional indicator of a flag ride on it), plus one for each spacing mark
 * (Devanagari's ा), and 2 for emoji presentation (U+FE0F) or a flag; the distance to the
 * next tab stop for a tab; the width of its visible escape for the others: `^M` for C0
 * controls and DEL (`^M^J` for CR LF, one cluster), `\x9f` for an invalid byte, `\u0085`
 * for C1 controls, unassigned code points and zero-width format characters that have
 * nothing to ride on (e.g. a BOM, or U+0600, which joins the character after it: then
 * that character follows its escape in the same cell). Nothing is ever hidden, so every
 * byte of the line is on screen in some form. */
#ifndef WEFT_APP_EDITOR_LAYOUT_H
#define WEFT_APP_EDITOR_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cell_kind {
    CELL_TEXT,    /* a grapheme cluster drawn as itself */
    CELL_LONE,    /* a cluster that starts with a combining mark: drawn on a space */
    CELL_TAB,     /* a tab, drawn as spaces */
    CELL_CTRL,    /* C0 control or DEL (or CR LF), drawn as ^X */
    CELL_ESCAPED, /* invalid byte, C1 control, unassigned or lone format character: drawn as
                     \x.. \u.., then the rest of its cluster, if any, as text */
};

struct cell {
    size_t off;      /* byte offset of the cell in the line */
    size_t len;      /* bytes */
    size_t unit;     /* units of the line before the cell */
    size_t units;    /* core units in the cell (code points, or 1 for an invalid byte) */
    size_t col;      /* display column where the cell starts */
    unsigned width;  /* display columns, >= 1 */
    uint8_t kind;    /* enum cell_kind */
    size_t esc_len;  /* CELL_CTRL, CELL_ESCAPED: the bytes shown as escapes (layout_escape);
                        the cell's other bytes are text drawn after them (layout_rest) */
};

/* An iterator over the cells of s[0..n); caller's storage, no resources. */
struct layout {
    const char *s;   /* borrowed line bytes, without the line break */
    size_t n;        /* bytes */
    size_t off;      /* byte offset of the next cell */
    size_t col;      /* display column of the next cell */
    size_t unit;     /* units before the next cell */
    unsigned tabw;   /* tab stop distance, >= 1 */
};

#define LAYOUT_TABW 8

void layout_init(struct layout *l, const char *s, size_t n, unsigned tabw);
/* Fills *c with the next cell; false at the end of the line. */
bool layout_next(struct layout *l, struct cell *c);

/* Skips at most `limit` cells of printable ASCII (one byte, one unit and one column each)
 * at once; returns how many. Long lines are mostly such cells: the walks below use it. */
size_t layout_skip_ascii(struct layout *l, size_t limit);

/* Whether a code point of utf8proc boundclass bc joins a cluster begun by one of class
 * Other (GB9, GB9a). Exposed for the test that checks this against utf8proc. */
bool layout_joins_other(int bc);

/* Writes the visible form of the escaped bytes of a control or escaped cell (`^M`, `\x9f`,
 * `\u0085`, one escape per unit) to out, NUL-terminated (cut short when size is too small);
 * returns its length in columns, which is the cell's width unless the cell has a rest. */
size_t layout_escape(const char *s, const struct cell *c, char *out, size_t size);
/* The text after a cell's escapes (a character that a U+0600 joins, a mark after a lone
 * ZWJ): false when there is none, else true with *rest filled as a cell of its own (kind
 * CELL_TEXT or CELL_LONE) at its column. */
bool layout_rest(const char *s, const struct cell *c, struct cell *rest);

/* Display column of unit `units` within the line (at most the line's width). */
size_t layout_col_of(const char *s, size_t n, unsigned tabw, size_t units);

/* The unit offset of the cell boundary at display column col: the start of the cell that
 * covers col, or the line's end when col is past it. */
size_t layout_units_at_col(const char *s, size_t n, unsigned tabw, size_t col);

/* Total display width of the line. */
size_t layout_width(const char *s, size_t n, unsigned tabw);

#endif
