/* Allocation with a fatal out-of-memory hook.
 *
 * wf_xmalloc() and friends never return NULL: on failure they call the hook registered with
 * wf_set_oom_hook() (app/ registers one that restores the terminal), then print
 * "weft: out of memory (N bytes)" and abort. Callers that can recover from a failed
 * allocation of an input-sized buffer (a file, a join snapshot) use wf_trymalloc(), which
 * returns NULL, and report WF_ENOMEM.
 *
 * The hook and the test failure counter are the only process-wide state of the core. */
#ifndef WEFT_CORE_MEM_H
#define WEFT_CORE_MEM_H

#include <stddef.h>

typedef void (*wf_oom_hook)(size_t nbytes);

/* Registers the function called before aborting on out-of-memory (NULL: none). */
void wf_set_oom_hook(wf_oom_hook hook);

/* Never return NULL. Free with free(). wf_xrealloc(p, 0) frees p and returns NULL. */
void *wf_xmalloc(size_t n);
void *wf_xcalloc(size_t count, size_t size);
void *wf_xrealloc(void *p, size_t n);
/* Reallocates p to count*size bytes; the multiplication is checked for overflow. */
void *wf_xreallocarray(void *p, size_t count, size_t size);
/* Returns a new NUL-terminated copy of the n bytes at s; free with free(). */
char *wf_xstrndup(const char *s, size_t n);

/* May return NULL (or a fault injected by wf_set_trymalloc_failure()). Free with free(). */
void *wf_trymalloc(size_t n);
void *wf_tryrealloc(void *p, size_t n);

/* Test hook: the nth call from now to wf_trymalloc()/wf_tryrealloc() fails (1 = the next
 * one); 0 turns injection off. */
void wf_set_trymalloc_failure(long nth);

#endif
