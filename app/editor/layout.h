/* Layout of one line of text on screen: grapheme clusters and their display columns.
 *
 * A line's bytes (without its line break) are cut into cells: one grapheme cluster of
 * valid text (UAX #29 via utf8proc), one tab, one control character, or one byte that is
 * not valid UTF-8 (a unit of its own in the core, see core/utf8.h). Each cell has a display
 * width: 1 or 2 for text (CJK and emoji are 2, combining marks ride on their base), the
 * distance to the next tab stop for a tab, and the width of its visible escape for the
 * others: `^M` for C0 controls and DEL, `\x9f` for an invalid byte, `\u0085` for C1
 * controls and for zero-width format characters standing alone (e.g. a BOM). Nothing is
 * ever hidden, so every byte of the line is on screen in some form. */
#ifndef WEFT_APP_EDITOR_LAYOUT_H
#define WEFT_APP_EDITOR_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cell_kind {
    CELL_TEXT,    /* a grapheme cluster drawn as itself */
    CELL_LONE,    /* a cluster that starts with a combining mark: drawn on a space */
    CELL_TAB,     /* a tab, drawn as spaces */
    CELL_CTRL,    /* C0 control or DEL, drawn as ^X */
    CELL_ESCAPED, /* invalid byte, C1 control or lone format character: drawn as \x.. \u.. */
};

struct cell {
    size_t off;      /* byte offset of the cell in the line */
    size_t len;      /* bytes */
    size_t unit;     /* units of the line before the cell */
    size_t units;    /* core units in the cell (code points, or 1 for an invalid byte) */
    size_t col;      /* display column where the cell starts */
    unsigned width;  /* display columns, >= 1 */
    uint8_t kind;    /* enum cell_kind */
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

/* Writes the visible form of an escaped or control cell (`^M`, `\x9f`, `\u0085`) to out,
 * NUL-terminated; returns its length, which equals the cell's width. */
size_t layout_escape(const char *s, const struct cell *c, char *out, size_t size);

/* Display column of unit `units` within the line (at most the line's width). */
size_t layout_col_of(const char *s, size_t n, unsigned tabw, size_t units);

/* The unit offset of the cell boundary at display column col: the start of the cell that
 * covers col, or the line's end when col is past it. */
size_t layout_units_at_col(const char *s, size_t n, unsigned tabw, size_t col);

/* Total display width of the line. */
size_t layout_width(const char *s, size_t n, unsigned tabw);

#endif
