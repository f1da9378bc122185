/* A temporary directory for one test, and files in it (Check assertions: call inside a
 * running Check test). */
#ifndef WEFT_TESTS_TMPDIR_H
#define WEFT_TESTS_TMPDIR_H

#include <stddef.h>

/* Makes a new directory $TMPDIR/weft-<what>-XXXXXX (TMPDIR defaults to /tmp) and returns
 * its path; free with wt_tmpdir_free(), which also removes it and everything in it. */
char *wt_tmpdir_new(const char *what);
void wt_tmpdir_free(char *dir);

/* dir + "/" + rel, as a new string; free with free(). */
char *wt_tmpdir_path(const char *dir, const char *rel);

/* Writes data[0..n) to dir/rel (mode 0644), making the directories on the way. */
void wt_tmpdir_put(const char *dir, const char *rel, const char *data, size_t n);
/* The same for a NUL-terminated string. */
void wt_tmpdir_puts(const char *dir, const char *rel, const char *text);

#endif
