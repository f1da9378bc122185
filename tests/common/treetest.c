/* Temporary trees for the project tests: see treetest.h. */
#include "tests/common/treetest.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *tt_mkdtemp(const char *tag)
{
    static char dir[512];
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/weft-%s-XXXXXX", t && *t ? t : "/tmp", tag);
    ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp %s: %s", dir, strerror(errno));
    return dir;
}

/* Removes the entries of directory fd (owned), then nothing else. */
static void rm_children(int fd)
{
    DIR *d = fdopendir(fd);
    ck_assert_msg(d != NULL, "fdopendir: %s", strerror(errno));
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        struct stat st;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            fchmodat(dirfd(d), de->d_name, 0700, 0);
            int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
            ck_assert_msg(sub >= 0, "open %s: %s", de->d_name, strerror(errno));
            rm_children(sub);
            ck_assert_msg(unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR) == 0, "rmdir %s: %s",
                          de->d_name, strerror(errno));
        } else {
            ck_assert_msg(unlinkat(dirfd(d), de->d_name, 0) == 0, "unlink %s: %s",
                          de->d_name, strerror(errno));
        }
        rewinddir(d); /* the listing changed under us */
    }
    closedir(d);
}

void tt_rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        chmod(path, 0700);
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
        rm_children(fd);
        ck_assert_msg(rmdir(path) == 0, "rmdir %s: %s", path, strerror(errno));
    } else {
        ck_assert_msg(unlink(path) == 0, "unlink %s: %s", path, strerror(errno));
    }
}

const char *tt_at(const char *dir, const char *rel)
{
    static char buf[8][8192];
    static int k;
    k = (k + 1) % 8;
    if (rel[0] == '/')
        snprintf(buf[k], sizeof buf[k], "%s", rel);
    else
        snprintf(buf[k], sizeof buf[k], "%s/%s", dir, rel);
    return buf[k];
}

static void mkdirs_abs(char *p)
{
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        ck_assert_msg(mkdir(p, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", p, strerror(errno));
        *s = '/';
    }
    ck_assert_msg(mkdir(p, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", p, strerror(errno));
}

void tt_mkdirs(const char *dir, const char *rel)
{
    char p[8192];
    snprintf(p, sizeof p, "%s", tt_at(dir, rel));
    mkdirs_abs(p);
}

/* Creates the directories above path. */
static void parents(const char *path)
{
    char p[8192];
    snprintf(p, sizeof p, "%s", path);
    char *slash = strrchr(p, '/');
    if (slash && slash != p) {
        *slash = '\0';
        mkdirs_abs(p);
    }
}

void tt_write(const char *dir, const char *rel, const char *data, size_t n)
{
    const char *path = tt_at(dir, rel);
    parents(path);
    if (n == (size_t)-1)
        n = strlen(data);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
    ck_assert_msg(fd >= 0, "create %s: %s", path, strerror(errno));
    ck_assert_msg(write(fd, data, n) == (ssize_t)n, "write %s: %s", path, strerror(errno));
    close(fd);
}

void tt_symlink(const char *dir, const char *rel, const char *target)
{
    const char *path = tt_at(dir, rel);
    parents(path);
    ck_assert_msg(symlink(target, path) == 0, "symlink %s -> %s: %s", path, target,
                  strerror(errno));
}

char *tt_run(char *const argv[], const char *in_path, size_t *n, int *status)
{
    int out[2];
    ck_assert_int_eq(pipe(out), 0);
    pid_t pid = fork();
    ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        int in = open(in_path ? in_path : "/dev/null", O_RDONLY);
        if (in < 0 || dup2(in, 0) < 0 || dup2(out[1], 1) < 0)
            _exit(126);
        close(out[0]);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(out[1]);
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    for (;;) {
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
        ssize_t r = read(out[0], buf + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        ck_assert_msg(r >= 0, "read from %s: %s", argv[0], strerror(errno));
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(out[0]);
    int ws;
    while (waitpid(pid, &ws, 0) < 0)
        ck_assert_int_eq(errno, EINTR);
    *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    *n = len;
    return buf;
}

int tt_have_git(void)
{
    char *argv[] = { "git", "--version", NULL };
    size_t n;
    int status;
    free(tt_run(argv, NULL, &n, &status));
    return status == 0;
}

void tt_drop_privileges(const char *dir)
{
    if (geteuid() != 0)
        return;
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "chown -R 65534:65534 '%s' && chmod 755 '%s'", dir, dir);
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_int_eq(setgid(65534), 0);
    ck_assert_int_eq(setuid(65534), 0);
}
