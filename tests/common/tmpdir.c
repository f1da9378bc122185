/* Temporary directories for tests (see tmpdir.h). */
#include "tests/common/tmpdir.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *wt_tmpdir_new(const char *what)
{
    const char *t = getenv("TMPDIR");
    size_t n = strlen(t && *t ? t : "/tmp") + strlen(what) + 32;
    char *dir = malloc(n);
    ck_assert_ptr_nonnull(dir);
    snprintf(dir, n, "%s/weft-%s-XXXXXX", t && *t ? t : "/tmp", what);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    return dir;
}

void wt_tmpdir_free(char *dir)
{
    if (!dir)
        return;
    size_t n = strlen(dir) + 16;
    char *cmd = malloc(n);
    ck_assert_ptr_nonnull(cmd);
    snprintf(cmd, n, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
    free(dir);
}

char *wt_tmpdir_path(const char *dir, const char *rel)
{
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/%s", dir, rel);
    return p;
}

void wt_tmpdir_put(const char *dir, const char *rel, const char *data, size_t n)
{
    char *p = wt_tmpdir_path(dir, rel);
    for (char *s = p + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        ck_assert_msg(mkdir(p, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", p,
                      strerror(errno));
        *s = '/';
    }
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ck_assert_msg(fd >= 0, "cannot create %s: %s", p, strerror(errno));
    for (size_t done = 0; done < n;) {
        ssize_t w = write(fd, data + done, n - done);
        ck_assert_msg(w > 0, "cannot write %s: %s", p, strerror(errno));
        done += (size_t)w;
    }
    close(fd);
    free(p);
}

void wt_tmpdir_puts(const char *dir, const char *rel, const char *text)
{
    wt_tmpdir_put(dir, rel, text, strlen(text));
}
