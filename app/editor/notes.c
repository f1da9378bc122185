/* Messages for people (see notes.h). */
#include "app/editor/notes.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void notes_init(struct notes *notes, size_t max, const char *what)
{
    *notes = (struct notes){ .max = max ? max : 1, .what = what };
}

void notes_free(struct notes *notes)
{
    for (size_t i = 0; i < notes->n; i++)
        free(notes->text[i]);
    free(notes->text);
    notes->text = NULL;
    notes->n = notes->cap = notes->dropped = 0;
}

/* Appends m (owned) or replaces the last message by the summary. */
static void add(struct notes *notes, char *m)
{
    if (notes->n == notes->max) {
        free(m);
        notes->dropped++;
        int len = snprintf(NULL, 0, "... and %zu more problems with %s", notes->dropped + 1,
                           notes->what);
        m = wf_xmalloc((size_t)len + 1);
        snprintf(m, (size_t)len + 1, "... and %zu more problems with %s", notes->dropped + 1,
                 notes->what);
        free(notes->text[notes->n - 1]);
        notes->text[notes->n - 1] = m;
        return;
    }
    if (notes->n == notes->cap) {
        notes->cap = notes->cap ? notes->cap * 2 : 8;
        notes->text = wf_xreallocarray(notes->text, notes->cap, sizeof *notes->text);
    }
    notes->text[notes->n++] = m;
}

void notes_add(struct notes *notes, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    size_t n = len > 0 ? (size_t)len : 0;
    char *m = wf_xmalloc(n + 1);
    va_start(ap, fmt);
    vsnprintf(m, n + 1, fmt, ap);
    va_end(ap);
    add(notes, m);
}
