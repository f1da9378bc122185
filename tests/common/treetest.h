/* Temporary trees for the project tests (tests/unit/check_proj_*): make one, fill it with
 * files, directories and links, remove it, and run a program (git) on it.
 *
 * Every helper asserts with Check on failure, so call them inside a running test. Paths are
 * relative to the tree's directory unless they start with '/'. */
#ifndef WEFT_TESTS_TREETEST_H
#define WEFT_TESTS_TREETEST_H

#include <stddef.h>

/* A new empty directory under $TMPDIR (or /tmp), as an absolute path in a static buffer
 * that stays valid until the next tt_mkdtemp(). */
const char *tt_mkdtemp(const char *tag);

/* Removes the tree at path, whatever its permissions (directories are made writable and
 * searchable first). Symbolic links are removed, never followed. */
void tt_rm_rf(const char *path);

/* dir + "/" + rel in a rotating static buffer (eight are in use at once). */
const char *tt_at(const char *dir, const char *rel);

/* Creates the file dir/rel holding data[0..n) (n == (size_t)-1: strlen(data)), and the
 * directories above it. */
void tt_write(const char *dir, const char *rel, const char *data, size_t n);
/* Creates directory dir/rel and the ones above it (mkdir -p). */
void tt_mkdirs(const char *dir, const char *rel);
/* Creates the symbolic link dir/rel pointing to target. */
void tt_symlink(const char *dir, const char *rel, const char *target);

/* Runs argv (argv[0] looked up in PATH) with stdin from the file in_path (NULL: /dev/null)
 * and returns its stdout as a new buffer (free with free()), its length in *n and its exit
 * status in *status (127 when it could not be started). Its stderr goes to ours. */
char *tt_run(char *const argv[], const char *in_path, size_t *n, int *status);

/* When running as root (for whom permissions do not apply), gives the tree at dir to nobody
 * (65534) and becomes nobody for the rest of this test's process, so that a chmod 0 bites. A
 * no-op for other users. */
void tt_drop_privileges(const char *dir);

/* True when `git --version` runs. */
int tt_have_git(void);

#endif
