/* Participants' colours on the terminal: the host gives each participant a palette index
 * (0..WN_COLOURS-1, net/presence.h); this module says how to show each index, for the
 * colour depth the terminal has, as the foreground, background and attributes of three
 * uses: a remote cursor, a remote selection, and a name tag (beside a cursor and in the
 * status line).
 *
 * True-colour and 256-colour terminals get twelve distinct hues (the same ones: the RGB
 * values of the xterm-256 entries). An 8-colour terminal has six usable hues, so indexes
 * 6..11 repeat them with other attributes (bold, underlined), which keeps all twelve
 * distinct. A terminal without colours, or NO_COLOR, gets attributes only (a cursor reverse
 * and underlined, a selection underlined, a tag reverse and bold). Nothing
 * here touches the terminal: app/ui/term.c makes colour pairs from these answers, and the unit
 * tests check them. */
#ifndef WEFT_APP_UI_PALETTE_H
#define WEFT_APP_UI_PALETTE_H

#include <stdbool.h>
#include <stdint.h>

#include "app/editor/colour.h"

#define PALETTE_SIZE 12 /* equals WN_COLOURS; a test checks it */

enum palette_depth { PALETTE_MONO, PALETTE_8, PALETTE_256, PALETTE_DIRECT };

enum palette_use { PALETTE_CURSOR, PALETTE_SELECTION, PALETTE_TAG, PALETTE_USES };

/* Attribute bits (mapped to A_* by app/ui/term.c). */
enum { PALETTE_BOLD = 1, PALETTE_UNDERLINE = 2, PALETTE_REVERSE = 4, PALETTE_ITALIC = 8 };

struct palette_style {
    int32_t fg;     /* colour number for the depth (an RGB value when direct), -1: default */
    int32_t bg;     /* likewise */
    unsigned attrs; /* PALETTE_* bits */
};

/* The depth a terminal with `colors` colours (ncurses' COLORS; 0 without colour) gets. */
enum palette_depth palette_depth(int colors);
/* Whether colours are to be left out: the value of the NO_COLOR environment variable (NULL
 * when unset) is not empty (no-color.org). Then everything is drawn as on a terminal
 * without colours, by attributes only (PALETTE_MONO, and bold or dim for the editor's own
 * marks). */
bool palette_no_color(const char *no_color);

/* How to draw palette index `colour` (taken modulo PALETTE_SIZE) for `use` at depth d. */
struct palette_style palette_style(enum palette_depth d, unsigned colour, enum palette_use use);

/* How to draw syntax style s (app/editor/colour.h) with scheme at depth d: a foreground
 * only (bg is always -1, the background stays the terminal's or a participant's), and bold
 * or italic. 8 colours: the nearest ANSI colour, 8..15 as 0..7 in bold; 256: the nearest
 * xterm-256 entry; direct: the RGB value. PALETTE_MONO (and so NO_COLOR) gets nothing at
 * all: {-1, -1, 0}, drawn as plain text. */
struct palette_style palette_syntax(enum palette_depth d, syn_style s, enum syn_scheme scheme);

/* The colour's RGB value (0xRRGGBB), for documentation and true-colour terminals. */
uint32_t palette_rgb(unsigned colour);

#endif
