/* Syntax colours (see colour.h).
 *
 * The names and numbers follow nano 7's rcfile.c, so a syntax file looks as its author saw
 * it in nano: the eight ANSI names (with "light" for the brighter half and "bright" for
 * brighter and bold), nano's 23 named hues as their xterm-256 entries, and "#rgb" mapped to
 * the xterm-256 cube by nano's own levels (greys to the grey ramp). Only the foreground is
 * kept; the background is parsed so that a bad one is still reported. */
#include "app/editor/colour.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define COLOUR_MASK 0x1fffu
#define RGB12_BASE 257u /* colour values 257..4352 hold a #rgb value */

/* nano's 256-colour hues and their xterm-256 entries. */
static const struct { const char *name; unsigned char xterm; } hues[] = {
    { "pink", 204 },  { "purple", 163 }, { "mauve", 134 }, { "lagoon", 38 },
    { "mint", 48 },   { "lime", 148 },   { "peach", 215 }, { "orange", 208 },
    { "latte", 137 }, { "rosy", 175 },   { "beet", 127 },  { "plum", 98 },
    { "sea", 32 },    { "sky", 111 },    { "slate", 66 },  { "teal", 35 },
    { "sage", 107 },  { "brown", 100 },  { "ocher", 142 }, { "sand", 186 },
    { "tawny", 136 }, { "brick", 166 },  { "crimson", 161 },
};

/* The eight ANSI names, in ANSI order. */
static const char *const ansi_names[8] = { "black", "red",     "green", "yellow",
                                           "blue",  "magenta", "cyan",  "white" };

/* xterm's default RGB values of the 16 ANSI colours. */
static const int32_t ansi_rgb[16] = {
    0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
    0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};

static bool word_is(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && strncasecmp(s, w, n) == 0;
}

static int hexdigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* nano's closest_index_color(): a #rgb value (each 0..15) to an xterm-256 entry. */
static unsigned rgb12_to_xterm(unsigned rgb12)
{
    static const unsigned char level[16] = { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 };
    static const unsigned char grey[14] = { 1, 2, 3, 4, 5, 6, 7, 9, 11, 13, 15, 18, 21, 23 };
    unsigned r = rgb12 >> 8, g = (rgb12 >> 4) & 15, b = rgb12 & 15;
    if (r == g && g == b && r > 0 && r < 15)
        return 232u + grey[r - 1];
    return 16u + 36u * level[r] + 6u * level[g] + level[b];
}

static int32_t xterm_rgb(unsigned x)
{
    static const int cube[6] = { 0, 95, 135, 175, 215, 255 };
    if (x < 16)
        return ansi_rgb[x];
    if (x >= 232) {
        int v = 8 + 10 * (int)(x - 232);
        return (v << 16) | (v << 8) | v;
    }
    x -= 16;
    return (cube[x / 36] << 16) | (cube[x / 6 % 6] << 8) | cube[x % 6];
}

static unsigned nearest_ansi(int32_t rgb)
{
    unsigned best = 0;
    long best_d = -1;
    for (unsigned i = 0; i < 16; i++) {
        long dr = ((rgb >> 16) & 255) - ((ansi_rgb[i] >> 16) & 255);
        long dg = ((rgb >> 8) & 255) - ((ansi_rgb[i] >> 8) & 255);
        long db = (rgb & 255) - (ansi_rgb[i] & 255);
        long d = 3 * dr * dr + 4 * dg * dg + 2 * db * db; /* a rough perceptual weight */
        if (best_d < 0 || d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

/* One colour name (no attributes, no comma) to a colour value with its bold flag; false
 * with a message when it is not one. An empty name is the default. */
static bool colour_name(const char *s, size_t n, unsigned *colour, bool *bold, char *msg,
                        size_t size)
{
    const char *name = s;
    size_t len = n;
    bool light = false;
    *bold = false;
    if (len > 6 && strncasecmp(name, "bright", 6) == 0) {
        light = *bold = true;
        name += 6;
        len -= 6;
    } else if (len > 5 && strncasecmp(name, "light", 5) == 0) {
        light = true;
        name += 5;
        len -= 5;
    }
    for (unsigned i = 0; i < 8; i++)
        if (word_is(name, len, ansi_names[i])) {
            *colour = 1 + i + (light ? 8 : 0);
            return true;
        }
    if (!light && (word_is(name, len, "grey") || word_is(name, len, "gray"))) {
        *colour = 1 + 8;
        return true;
    }
    if (!light && word_is(name, len, "normal")) {
        *colour = 0;
        return true;
    }
    for (size_t i = 0; i < sizeof hues / sizeof hues[0]; i++)
        if (word_is(name, len, hues[i].name)) {
            if (light)
                goto prefix;
            *colour = 1u + hues[i].xterm;
            return true;
        }
    if (len == 4 && name[0] == '#') {
        int r = hexdigit(name[1]), g = hexdigit(name[2]), b = hexdigit(name[3]);
        if (r >= 0 && g >= 0 && b >= 0) {
            if (light)
                goto prefix;
            *colour = RGB12_BASE + (unsigned)(r << 8 | g << 4 | b);
            return true;
        }
    }
    snprintf(msg, size, "colour \"%.*s\" is not one nano knows (the eight ANSI names, with "
             "\"light\" or \"bright\" before them, grey, normal, pink, purple, ... crimson, "
             "or #rgb)", (int)(n > 64 ? 64 : n), s);
    return false;
prefix:
    snprintf(msg, size, "colour \"%.*s\" takes no \"light\" or \"bright\" prefix",
             (int)(n > 64 ? 64 : n), s);
    return false;
}

/* Consumes "word," from *s when it is there. */
static bool take_attribute(const char **s, size_t *n, const char *word)
{
    size_t w = strlen(word);
    if (*n > w && strncasecmp(*s, word, w) == 0 && (*s)[w] == ',') {
        *s += w + 1;
        *n -= w + 1;
        return true;
    }
    return false;
}

enum colour_parse colour_parse(const char *s, size_t n, syn_style *style, char *msg,
                               size_t size)
{
    if (size)
        msg[0] = '\0';
    syn_style attrs = 0;
    if (take_attribute(&s, &n, "bold"))
        attrs |= SYN_STYLE_BOLD;
    if (take_attribute(&s, &n, "italic"))
        attrs |= SYN_STYLE_ITALIC;
    const char *comma = memchr(s, ',', n);
    size_t fn = comma ? (size_t)(comma - s) : n;
    if (fn == 0 && (!comma || comma + 1 == s + n)) {
        snprintf(msg, size, "a colour combination needs a foreground or a background");
        return COLOUR_BAD;
    }
    unsigned fg = 0, bg = 0;
    bool fg_bold = false, bg_bold = false;
    if (fn && !colour_name(s, fn, &fg, &fg_bold, msg, size))
        return COLOUR_BAD;
    if (comma) {
        const char *b = comma + 1;
        size_t bn = (size_t)(s + n - b);
        if (bn == 0) {
            snprintf(msg, size, "colour combination \"%.*s\" has nothing after its comma",
                     (int)(n > 64 ? 64 : n), s);
            return COLOUR_BAD;
        }
        if (memchr(b, ',', bn)) {
            snprintf(msg, size, "colour combination \"%.*s\" has more than two colours",
                     (int)(n > 64 ? 64 : n), s);
            return COLOUR_BAD;
        }
        if (!colour_name(b, bn, &bg, &bg_bold, msg, size))
            return COLOUR_BAD;
    }
    if (fn == 0) {
        *style = SYN_STYLE_NONE;
        return COLOUR_BG_ONLY;
    }
    *style = (syn_style)(fg | attrs | (fg_bold ? SYN_STYLE_BOLD : 0));
    return COLOUR_OK;
}

unsigned syn_style_colour(syn_style s)
{
    return s & COLOUR_MASK;
}

bool syn_style_is_bold(syn_style s)
{
    return (s & SYN_STYLE_BOLD) != 0;
}

bool syn_style_is_italic(syn_style s)
{
    return (s & SYN_STYLE_ITALIC) != 0;
}

int syn_style_xterm(syn_style s)
{
    unsigned c = syn_style_colour(s);
    if (c == 0)
        return -1;
    if (c < RGB12_BASE)
        return (int)c - 1;
    return (int)rgb12_to_xterm(c - RGB12_BASE);
}

int32_t syn_style_rgb(syn_style s)
{
    unsigned c = syn_style_colour(s);
    if (c == 0)
        return -1;
    if (c < RGB12_BASE)
        return xterm_rgb(c - 1);
    unsigned v = c - RGB12_BASE;
    return (int32_t)(((v >> 8) * 17u) << 16 | (((v >> 4) & 15) * 17u) << 8 | (v & 15) * 17u);
}

int syn_style_ansi(syn_style s)
{
    int x = syn_style_xterm(s);
    if (x < 0)
        return -1;
    if (x < 16)
        return x;
    return (int)nearest_ansi(syn_style_rgb(s));
}

/* Relative luminance of an RGB value, in thousandths (Rec. 709 weights, no gamma). */
static long luminance(int32_t rgb)
{
    return (2126L * ((rgb >> 16) & 255) + 7152L * ((rgb >> 8) & 255) + 722L * (rgb & 255)) /
           2550;
}

syn_style syn_style_for_scheme(syn_style s, enum syn_scheme scheme)
{
    unsigned c = syn_style_colour(s);
    syn_style attrs = s & (SYN_STYLE_BOLD | SYN_STYLE_ITALIC);
    if (scheme == SYN_SCHEME_DARK || c == 0)
        return s;
    if (c <= 16) {
        unsigned a = c - 1;
        if (a == 7 || a == 15)
            a = 0;
        else if (a >= 9 && a <= 14)
            a -= 8;
        return (syn_style)((1 + a) | attrs);
    }
    int32_t rgb = syn_style_rgb(s);
    if (luminance(rgb) <= 600)
        return s;
    if (c >= RGB12_BASE) {
        unsigned v = c - RGB12_BASE;
        v = ((v >> 8) / 2) << 8 | (((v >> 4) & 15) / 2) << 4 | (v & 15) / 2;
        return (syn_style)((RGB12_BASE + v) | attrs);
    }
    unsigned r = ((unsigned)rgb >> 16 & 255) / 2, g = ((unsigned)rgb >> 8 & 255) / 2,
             b = ((unsigned)rgb & 255) / 2;
    unsigned x = rgb12_to_xterm((r / 17) << 8 | (g / 17) << 4 | b / 17);
    return (syn_style)((1 + x) | attrs);
}
