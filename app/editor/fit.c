/* Fitting text into columns (see fit.h): one pass over the clusters with app/editor/layout.c,
 * remembering the end of the last word that still fit. */
#include "app/editor/fit.h"

#include "app/editor/layout.h"

static size_t trim_spaces(const char *s, size_t n)
{
    while (n > 0 && s[n - 1] == ' ')
        n--;
    return n;
}

size_t fit_words(const char *s, size_t n, int width)
{
    struct layout l;
    struct cell c;
    size_t fits = 0;     /* bytes of whole clusters that fit */
    size_t word_end = 0; /* bytes up to the end of the last word that fits */
    layout_init(&l, s, n, LAYOUT_TABW);
    while (layout_next(&l, &c)) {
        if (s[c.off] == ' ')
            word_end = trim_spaces(s, c.off);
        if (width < 0 || c.col + c.width > (size_t)width)
            break;
        fits = c.off + c.len;
    }
    if (fits == n)
        return trim_spaces(s, n);
    if (s[fits] == ' ' || trim_spaces(s + fits, n - fits) == 0)
        return trim_spaces(s, fits);
    return word_end > 0 ? word_end : fits;
}

size_t fit_wrap(const char *s, size_t n, int width, size_t *len)
{
    size_t k = fit_words(s, n, width);
    if (k == 0 && n > 0) { /* not one cluster fits: take one anyway */
        struct layout l;
        struct cell c;
        layout_init(&l, s, n, LAYOUT_TABW);
        k = layout_next(&l, &c) ? c.len : n;
    }
    *len = k;
    while (k < n && s[k] == ' ')
        k++;
    return k;
}
