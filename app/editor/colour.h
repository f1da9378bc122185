/* Syntax colours: nano's colour names as one small value, and how to show it on a terminal.
 *
 * A syntax rule paints text with a *style*: a foreground colour plus bold and italic. The
 * background of a rule is dropped on purpose: weft keeps backgrounds for remote cursors
 * and selections (app/ui/palette.h), so syntax colours never hide them. A style fits in 16
 * bits, so a highlighted span is small and two styles compare with ==:
 *
 *     bits 0..12  colour: 0 the terminal's default foreground ("normal"),
 *                 1..16 the ANSI colours 0..15 (8..15 are nano's "light" ones),
 *                 17..256 the xterm-256 entries 16..255 (nano's named 256-colour hues
 *                 and its "#rgb" values, which nano maps to the nearest entry),
 *                 257..4352 a "#rgb" value itself (12 bits), kept for true-colour terminals
 *     bit 13      bold
 *     bit 14      italic
 *
 * Style 0 (SYN_STYLE_NONE) is "default foreground, no attributes": spans of it are not
 * reported. Nothing here touches the terminal: app/ui/ turns answers of syn_style_ansi(),
 * syn_style_xterm() and syn_style_rgb() into colour pairs for the depth it has (8 colours:
 * ANSI 0..7 plus bold for 8..15; 256; true colour), after syn_style_for_scheme(). */
#ifndef WEFT_APP_EDITOR_COLOUR_H
#define WEFT_APP_EDITOR_COLOUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint16_t syn_style;

#define SYN_STYLE_NONE ((syn_style)0)
#define SYN_STYLE_BOLD ((syn_style)(1u << 13))
#define SYN_STYLE_ITALIC ((syn_style)(1u << 14))

/* The outcome of parsing a colour combination. */
enum colour_parse {
    COLOUR_OK,        /* *style set (the rule paints a foreground) */
    COLOUR_BG_ONLY,   /* valid, but it names only a background: nothing for us to paint */
    COLOUR_BAD,       /* not a colour combination nano understands; see the message */
};

/* Parses nano's "[bold,][italic,]fg[,bg]" (e.g. "brightred", "bold,lagoon", ",green",
 * "italic,#c44", "brightwhite,yellow"). fg and bg are nano's names: red green blue magenta
 * yellow cyan white black, each with a "light" (brighter) or "bright" (brighter and bold)
 * prefix; grey/gray (light black); normal (the default); pink purple mauve lagoon mint lime
 * peach orange latte rosy beet plum sea sky slate teal sage brown ocher sand tawny brick
 * crimson; "#rgb" (three hex digits). Names are case-insensitive. The background is
 * checked, then ignored. On COLOUR_BAD a message for people (what was not understood) is
 * written to msg (NUL-terminated, truncated to size). text is s[0..n). */
enum colour_parse colour_parse(const char *s, size_t n, syn_style *style, char *msg,
                               size_t size);

/* The colour part of a style: SYN_STYLE_NONE for the default, else 1..4352 as above. */
unsigned syn_style_colour(syn_style s);
bool syn_style_is_bold(syn_style s);
bool syn_style_is_italic(syn_style s);

/* The nearest of the 16 ANSI colours (0..15), or -1 for the default foreground. For an
 * 8-colour terminal, show 8..15 as (n - 8) in bold. */
int syn_style_ansi(syn_style s);
/* The xterm-256 colour (0..255, the ANSI ones as 0..15), or -1 for the default. */
int syn_style_xterm(syn_style s);
/* The colour as 0xRRGGBB (xterm's standard values for palette entries, the exact value for
 * "#rgb"), or -1 for the default. */
int32_t syn_style_rgb(syn_style s);

/* Syntax colour schemes: nano's colours are made for a dark background. */
enum syn_scheme { SYN_SCHEME_DARK, SYN_SCHEME_LIGHT };

/* The style to show for scheme: SYN_SCHEME_DARK returns s. SYN_SCHEME_LIGHT replaces the
 * colours that fade on a light background with darker ones, keeping bold and italic: white
 * and light white become black, the light ANSI colours 9..14 their normal ones 1..6, and a
 * 256-colour or #rgb colour whose luminance is above 60% is darkened to half its RGB value
 * (then mapped to the nearest xterm-256 entry, or kept as #rgb). */
syn_style syn_style_for_scheme(syn_style s, enum syn_scheme scheme);

#endif
