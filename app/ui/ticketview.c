/* The Ctrl-T screen's rows (see ticketview.h). */
#include "app/ui/ticketview.h"

#include <string.h>

/* Bytes of the label of line ("read-write:"), 0 when the line is a bare ticket; the ticket
 * starts after it and one space. */
static size_t label_len(const char *line)
{
    const char *sep = strstr(line, ": ");
    if (!sep || !strstr(sep + 2, "://"))
        return 0;
    return (size_t)(sep - line) + 1;
}

size_t ticketview_rows(char *const *lines, size_t n, int cols, struct ticket_row *out,
                       size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < max; i++) {
        const char *t = lines[i];
        size_t len = strlen(t), lab = label_len(t);
        if (len <= (size_t)cols || lab == 0) {
            out[k++] = (struct ticket_row){t, len, false};
            continue;
        }
        out[k++] = (struct ticket_row){t, lab, true};
        if (k < max)
            out[k++] = (struct ticket_row){t + lab + 1, len - lab - 1, false};
    }
    return k;
}
