/* Tags at the screen's edges (see edge.h). The few people of a session are picked nearest
 * first by repeated scans (no allocation); tags are placed from the right edge leftwards
 * with one blank column between them. */
#include "app/ui/edge.h"

#include <stdio.h>

#include "app/ui/status.h"

/* How far p is off the screen on this edge, or 0 when it is not off it there. */
static size_t distance(const struct edge_person *p, size_t first, size_t last, bool above)
{
    if (above)
        return p->line < first ? first - p->line : 0;
    return p->line > last ? p->line - last : 0;
}

size_t edge_tags(const struct edge_person *p, size_t n, size_t first, size_t last, bool above,
                 int cols, struct edge_tag *out, size_t max)
{
    size_t count = 0;
    int right = cols;             /* tags go left of this column */
    size_t after = 0;             /* distance of the last tag placed */
    size_t after_i = 0;           /* its index, to break ties in arrival order */
    for (size_t k = 0; k < n && count < max; k++) {
        size_t best = n, bd = 0;
        for (size_t i = 0; i < n; i++) {
            /* The next in (distance, arrival) order after the last one placed. */
            size_t d = distance(&p[i], first, last, above);
            bool next = k == 0 || d > after || (d == after && i > after_i);
            if (d == 0 || !next)
                continue;
            if (best == n || d < bd)
                best = i, bd = d;
        }
        if (best == n)
            break;
        after = bd;
        after_i = best;
        struct edge_tag *t = &out[count];
        snprintf(t->text, sizeof t->text, " %s %s %zu ", p[best].name,
                 above ? "\xe2\x86\x91" : "\xe2\x86\x93", p[best].line + 1);
        t->width = status_width(t->text);
        if (t->width > right)
            break; /* the rest are further away: none of them is shown either */
        t->col = right - t->width;
        t->colour = p[best].colour;
        right = t->col - 1;
        count++;
    }
    return count;
}
