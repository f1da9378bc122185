/* Participants' colours (see palette.h).
 *
 * The twelve hues are xterm-256 entries picked to be told apart on dark and light
 * backgrounds; each has a dark shade of the same hue for selections, drawn under white text
 * so that it reads on any background. A cursor and a name tag are black on the hue. */
#include "app/ui/palette.h"

#include <stdbool.h>

/* xterm-256 indexes: the hue, and its dark shade. */
static const uint8_t hue256[PALETTE_SIZE] = {
    33,  /* blue (the host's) */
    160, /* red */
    34,  /* green */
    208, /* orange */
    98,  /* purple */
    44,  /* cyan */
    205, /* pink */
    178, /* gold */
    130, /* brown */
    36,  /* teal */
    61,  /* indigo */
    148, /* lime */
};
static const uint8_t shade256[PALETTE_SIZE] = {24, 52, 22, 94, 54, 23, 89, 58, 95, 29, 17, 64};

/* The six hues of an 8-colour terminal (curses' COLOR_* numbers), in palette order. */
enum { C8_BLACK = 0, C8_RED = 1, C8_GREEN = 2, C8_YELLOW = 3, C8_BLUE = 4, C8_MAGENTA = 5,
       C8_CYAN = 6, C8_WHITE = 7 };
static const uint8_t hue8[6] = {C8_BLUE, C8_RED, C8_GREEN, C8_YELLOW, C8_MAGENTA, C8_CYAN};

enum { BLACK256 = 16, WHITE256 = 231 };

enum palette_depth palette_depth(int colors)
{
    if (colors >= 0x1000000)
        return PALETTE_DIRECT;
    if (colors >= 256)
        return PALETTE_256;
    if (colors >= 8)
        return PALETTE_8;
    return PALETTE_MONO;
}

bool palette_no_color(const char *no_color)
{
    return no_color && no_color[0];
}

/* RGB of an xterm-256 entry of the colour cube (16..231). */
static uint32_t rgb256(unsigned i)
{
    static const uint8_t level[6] = {0, 95, 135, 175, 215, 255};
    i -= 16;
    return (uint32_t)level[i / 36] << 16 | (uint32_t)level[i / 6 % 6] << 8 | level[i % 6];
}

uint32_t palette_rgb(unsigned colour)
{
    return rgb256(hue256[colour % PALETTE_SIZE]);
}

static struct palette_style style8(unsigned c, enum palette_use use)
{
    int32_t hue = hue8[c % 6];
    bool second = c >= 6; /* the second round of hues: told apart by attributes */
    switch (use) {
    case PALETTE_SELECTION:
        return (struct palette_style){hue, -1, PALETTE_UNDERLINE | (second ? PALETTE_BOLD : 0)};
    default:
        if (second)
            return (struct palette_style){C8_WHITE, hue, PALETTE_BOLD | PALETTE_UNDERLINE};
        return (struct palette_style){C8_BLACK, hue, 0};
    }
}

struct palette_style palette_style(enum palette_depth d, unsigned colour, enum palette_use use)
{
    unsigned c = colour % PALETTE_SIZE;
    switch (d) {
    case PALETTE_DIRECT:
        if (use == PALETTE_SELECTION)
            return (struct palette_style){0xffffff, (int32_t)rgb256(shade256[c]), 0};
        return (struct palette_style){0x000000, (int32_t)palette_rgb(c), 0};
    case PALETTE_256:
        if (use == PALETTE_SELECTION)
            return (struct palette_style){WHITE256, shade256[c], 0};
        return (struct palette_style){BLACK256, hue256[c], 0};
    case PALETTE_8:
        return style8(c, use);
    default:
        switch (use) {
        case PALETTE_SELECTION: return (struct palette_style){-1, -1, PALETTE_UNDERLINE};
        case PALETTE_TAG: return (struct palette_style){-1, -1, PALETTE_REVERSE | PALETTE_BOLD};
        default: return (struct palette_style){-1, -1, PALETTE_REVERSE | PALETTE_UNDERLINE};
        }
    }
}

struct palette_style palette_syntax(enum palette_depth d, syn_style s, enum syn_scheme scheme)
{
    struct palette_style st = {-1, -1, 0};
    if (d == PALETTE_MONO)
        return st;
    s = syn_style_for_scheme(s, scheme);
    if (syn_style_is_bold(s))
        st.attrs |= PALETTE_BOLD;
    if (syn_style_is_italic(s))
        st.attrs |= PALETTE_ITALIC;
    switch (d) {
    case PALETTE_8: {
        int n = syn_style_ansi(s);
        if (n >= 8) {
            n -= 8;
            st.attrs |= PALETTE_BOLD;
        }
        st.fg = n;
        break;
    }
    case PALETTE_256: st.fg = syn_style_xterm(s); break;
    default: st.fg = syn_style_rgb(s); break;
    }
    return st;
}
