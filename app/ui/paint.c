/* Syntax colours on the screen (see paint.h).
 *
 * Colour pairs come from ncurses' alloc_pair() (one per distinct foreground: nano's files
 * use about 45 styles) and are remembered here in a small table of style -> attributes, so
 * a frame costs one lookup per span. A pair number has to fit the 8 bits that attr_t
 * keeps for it (COLOR_PAIR); past that, a style is drawn without colour. */
#define NCURSES_WIDECHAR 1
#include "app/ui/paint.h"

#include <curses.h>
#include <stdlib.h>

#include "app/editor/highlight.h"
#include "app/ui/palette.h"
#include "core/doc.h"

/* Styles remembered: more than nano's files hold; a full table still works (uncached). */
#define PAINT_CACHE 256

struct paint_entry {
    bool used;
    syn_style style;
    enum syn_scheme scheme;
    unsigned attr;
};

static struct paint_entry cache[PAINT_CACHE];

/* The terminal's depth for syntax colours: none without colours or with NO_COLOR. Unlike
 * the participants' colours (term.c), which need a fixed block of colour pairs, syntax
 * colours make their pairs on demand, so a terminal with few pairs still gets them. Asked
 * once ncurses has started colours. */
static enum palette_depth depth(void)
{
    static int known = -1;
    if (known < 0)
        known = has_colors() && !palette_no_color(getenv("NO_COLOR")) ? palette_depth(COLORS)
                                                                      : PALETTE_MONO;
    return (enum palette_depth)known;
}

void paint_sync(struct buffer *b)
{
    size_t low = wf_doc_take_lowest_change(b->doc);
    if (low != WF_NOPOS && b->hl)
        hl_invalidate(b->hl, wf_doc_line_of(b->doc, low));
}

static unsigned make_attr(syn_style s, enum syn_scheme scheme)
{
    struct palette_style st = palette_syntax(depth(), s, scheme);
    unsigned a = A_NORMAL;
    if (st.attrs & PALETTE_BOLD)
        a |= A_BOLD;
    if (st.attrs & PALETTE_ITALIC)
        a |= A_ITALIC;
    if (st.fg >= 0) {
        int pair = alloc_pair(st.fg, -1);
        if (pair > 0 && pair <= 255)
            a |= (unsigned)COLOR_PAIR(pair);
    }
    return a;
}

unsigned paint_attr(syn_style s, enum syn_scheme scheme)
{
    if (s == SYN_STYLE_NONE || depth() == PALETTE_MONO)
        return A_NORMAL;
    size_t h = ((size_t)s * 40503u + (size_t)scheme) % PAINT_CACHE;
    for (size_t i = 0; i < PAINT_CACHE; i++) {
        struct paint_entry *e = &cache[(h + i) % PAINT_CACHE];
        if (!e->used) {
            *e = (struct paint_entry){true, s, scheme, make_attr(s, scheme)};
            return e->attr;
        }
        if (e->style == s && e->scheme == scheme)
            return e->attr;
    }
    return make_attr(s, scheme);
}

bool paint_idle(struct buffer *b, size_t top, bool *redraw)
{
    if (!b->hl)
        return false;
    paint_sync(b);
    if (hl_exact_lines(b->hl) > top)
        return false;
    bool more = hl_catch_up(b->hl, b->doc, HL_SCAN_UNITS / 4);
    if (hl_exact_lines(b->hl) > top) {
        *redraw = true;
        return false;
    }
    return more;
}
