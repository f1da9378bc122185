/* An editor driven without a terminal, for the tests of its commands: a file in a
 * temporary directory, terminal bytes fed through app/editor/keys.c into editor_event(),
 * a fake clock, and checks of the text and the file (Check assertions: call inside a
 * running Check test, between et_setup() and et_teardown(), which fit
 * tcase_add_checked_fixture). */
#ifndef WEFT_TESTS_EDTEST_H
#define WEFT_TESTS_EDTEST_H

#include <stddef.h>
#include <stdint.h>

#include "app/editor/editor.h"

extern struct editor et_ed;  /* the editor under test (open after et_open) */
extern uint64_t et_now;      /* the fake clock, ms (starts at 1000) */
extern char et_dir[256];     /* the temporary directory */
extern char et_path[512];    /* the file edited: et_dir/name given to et_open_as */

void et_setup(void);
void et_teardown(void);

/* Writes text to the file (NULL: removes it), then opens it in a 12 x 40 editor. */
void et_open(const char *text);
/* The same for et_dir/name. */
void et_open_as(const char *name, const char *text);
/* Writes data to path, replacing it (with a new mtime, as another program's save). */
void et_put(const char *path, const char *data, size_t n);
/* Sends terminal bytes to the editor, as if typed (a lone ESC is flushed as Escape). */
void et_feed(const char *bytes);
/* Asserts the document's text (and its invariants) / the bytes of a file. */
void et_expect_text(const char *want);
void et_expect_file(const char *path, const char *want);
/* Asserts the selection, in units. */
void et_expect_selection(size_t from, size_t to);

#endif
