/* Allocation wrappers: fatal on failure for small structures, recoverable for input-sized
 * buffers. See core/mem.h. */
#include "core/mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The two pieces of process-wide state in core/ (see mem.h). */
static wf_oom_hook oom_hook;
static long trymalloc_countdown;

void wf_set_oom_hook(wf_oom_hook hook)
{
    oom_hook = hook;
}

static void out_of_memory(size_t n)
{
    if (oom_hook)
        oom_hook(n);
    fprintf(stderr, "weft: out of memory (%zu bytes)\n", n);
    abort();
}

void *wf_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory(n);
    return p;
}

void *wf_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory(count * size);
    return p;
}

void *wf_xrealloc(void *p, size_t n)
{
    if (n == 0) {
        free(p);
        return NULL;
    }
    void *q = realloc(p, n);
    if (!q)
        out_of_memory(n);
    return q;
}

void *wf_xreallocarray(void *p, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        out_of_memory(SIZE_MAX);
    return wf_xrealloc(p, count * size);
}

char *wf_xstrndup(const char *s, size_t n)
{
    char *d = wf_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static int injected_failure(void)
{
    return trymalloc_countdown > 0 && --trymalloc_countdown == 0;
}

void *wf_trymalloc(size_t n)
{
    if (injected_failure())
        return NULL;
    return malloc(n ? n : 1);
}

void *wf_tryrealloc(void *p, size_t n)
{
    if (injected_failure())
        return NULL;
    return realloc(p, n ? n : 1);
}

void wf_set_trymalloc_failure(long nth)
{
    trymalloc_countdown = nth > 0 ? nth : 0;
}
