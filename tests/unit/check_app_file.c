/* Tests of app/editor/file.c: whole-file load, atomic save, change stamps.
 *
 * This program is linked with -Wl,--wrap=write,--wrap=fsync: the wrappers below pass every
 * call through unless a test arms a fault, which is how a full disk and an I/O error are
 * injected. A real full disk is also tried on a tiny tmpfs when this process may mount one. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

#include "app/editor/file.h"
#include "core/doc.h"

ssize_t __real_write(int fd, const void *p, size_t n);
ssize_t __wrap_write(int fd, const void *p, size_t n);
int __real_fsync(int fd);
int __wrap_fsync(int fd);

static int write_errno;     /* armed: fail writes with this after write_budget bytes */
static size_t write_budget;
static int fsync_errno;     /* armed: fail fsync with this */

ssize_t __wrap_write(int fd, const void *p, size_t n)
{
    if (write_errno) {
        if (write_budget == 0) {
            errno = write_errno;
            return -1;
        }
        if (n > write_budget)
            n = write_budget;
        write_budget -= n;
    }
    return __real_write(fd, p, n);
}

int __wrap_fsync(int fd)
{
    if (fsync_errno) {
        errno = fsync_errno;
        return -1;
    }
    return __real_fsync(fd);
}

static char dir[256];

static void setup(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/weft-file-XXXXXX", t && *t ? t : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    write_errno = fsync_errno = 0;
}

static void teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static char *path_in(const char *name)
{
    static char p[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void put(const char *path, const char *data, size_t n, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(__real_write(fd, data, n), (ssize_t)n);
    ck_assert_int_eq(fchmod(fd, mode), 0);
    close(fd);
}

static void expect_content(const char *path, const char *data, size_t n)
{
    char *buf;
    size_t len;
    struct file_stamp st;
    ck_assert_int_eq(file_read(path, &buf, &len, &st), 0);
    ck_assert_uint_eq(len, n);
    ck_assert(memcmp(buf, data, n) == 0);
    free(buf);
}

/* Files in dir other than the ones named (temporary leftovers). */
static int stray_files(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".weft-"))
            n++;
    closedir(d);
    return n;
}

/* A chunk source over a byte array, in pieces of `piece` bytes. */
struct src {
    const char *p;
    size_t n, off, piece;
};

static bool next(void *ctx, const char **p, size_t *n)
{
    struct src *s = ctx;
    if (s->off >= s->n)
        return false;
    *p = s->p + s->off;
    *n = s->n - s->off < s->piece ? s->n - s->off : s->piece;
    s->off += *n;
    return true;
}

static int save(const char *path, const char *data, size_t n, enum file_step *step)
{
    struct src s = { data, n, 0, 3 };
    struct file_stamp st;
    return file_write_atomic(path, next, &s, &st, step);
}

struct iter_src {
    wf_iter it;
};

static bool iter_next(void *ctx, const char **p, size_t *n)
{
    return wf_iter_next(&((struct iter_src *)ctx)->it, p, n);
}

static const struct { const char *name; const char *data; size_t n; } samples[] = {
    { "crlf", "one\r\ntwo\r\n", 10 },
    { "no final newline", "one\ntwo", 7 },
    { "invalid utf-8", "a\xff\xfe\x80\xc0\xaf\xed\xa0\x80z\n", 11 },
    { "nul bytes", "a\0b\0\0\n", 6 },
    { "empty", "", 0 },
    { "mixed", "\xef\xbb\xbfh\xc3\xa9\r\n\t\xe4\xb8\xad\r\r\n\xf0\x9f\x98\x80", 19 },
};

START_TEST(test_file__round_trip)
{
    const char *path = path_in("f.txt");
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        put(path, samples[i].data, samples[i].n, 0644);
        char *buf;
        size_t len;
        struct file_stamp st;
        ck_assert_int_eq(file_read(path, &buf, &len, &st), 0);
        ck_assert_uint_eq(len, samples[i].n);
        /* Through the document, as the editor saves: load, then write wf_iter's chunks. */
        wf_doc *doc = wf_doc_new(42);
        ck_assert_int_eq(wf_doc_load(doc, buf, len), 0);
        struct iter_src src;
        wf_iter_init(&src.it, doc, 0, wf_doc_len(doc));
        put(path, "garbage", 7, 0644);
        ck_assert_int_eq(file_write_atomic(path, iter_next, &src, &st, NULL), 0);
        wf_doc_free(doc);
        ck_assert_msg(st.exists && st.size == (off_t)samples[i].n, "%s", samples[i].name);
        expect_content(path, samples[i].data, samples[i].n);
    }
    ck_assert_int_eq(stray_files(), 0);
}
END_TEST

START_TEST(test_file__mode_kept)
{
    const char *path = path_in("m.sh");
    put(path, "old", 3, 0751);
    ck_assert_int_eq(save(path, "new", 3, NULL), 0);
    struct stat sb;
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 07777, 0751);
    expect_content(path, "new", 3);
    /* A new file: 0666 minus the umask. */
    mode_t old = umask(027);
    const char *fresh = path_in("fresh");
    ck_assert_int_eq(save(fresh, "x", 1, NULL), 0);
    umask(old);
    ck_assert_int_eq(stat(fresh, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 07777, 0640);
}
END_TEST

START_TEST(test_file__replaces_atomically)
{
    const char *path = path_in("a.txt");
    put(path, "before", 6, 0644);
    struct stat before, after;
    ck_assert_int_eq(stat(path, &before), 0);
    int fd = open(path, O_RDONLY);
    ck_assert_int_eq(save(path, "after!", 6, NULL), 0);
    ck_assert_int_eq(stat(path, &after), 0);
    ck_assert(before.st_ino != after.st_ino); /* a new file took the name at once */
    char buf[8] = { 0 };
    ck_assert_int_eq(read(fd, buf, sizeof buf), 6); /* readers of the old one see it whole */
    ck_assert_str_eq(buf, "before");
    close(fd);
    expect_content(path, "after!", 6);
    ck_assert_int_eq(stray_files(), 0);
}
END_TEST

START_TEST(test_file__symlink_followed)
{
    ck_assert_int_eq(mkdir(path_in("real"), 0755), 0);
    const char *target = path_in("real/t.txt");
    const char *link = path_in("link.txt");
    put(target, "old", 3, 0600);
    ck_assert_int_eq(symlink("real/t.txt", link), 0); /* relative to the link's directory */
    ck_assert_int_eq(save(link, "new text", 8, NULL), 0);
    struct stat sb;
    ck_assert_int_eq(lstat(link, &sb), 0);
    ck_assert(S_ISLNK(sb.st_mode));
    expect_content(target, "new text", 8);
    ck_assert_int_eq(stat(target, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 07777, 0600);
    /* A chain of links, and a dangling one: the file is created where it points. */
    const char *link2 = path_in("link2");
    ck_assert_int_eq(symlink(link, link2), 0);
    ck_assert_int_eq(save(link2, "chain", 5, NULL), 0);
    expect_content(target, "chain", 5);
    const char *dangling = path_in("dangling");
    ck_assert_int_eq(symlink("real/new.txt", dangling), 0);
    ck_assert_int_eq(save(dangling, "made", 4, NULL), 0);
    expect_content(path_in("real/new.txt"), "made", 4);
    /* A loop is refused. */
    ck_assert_int_eq(symlink("loop2", path_in("loop1")), 0);
    ck_assert_int_eq(symlink("loop1", path_in("loop2")), 0);
    enum file_step step;
    ck_assert_int_eq(save(path_in("loop1"), "x", 1, &step), -ELOOP);
    ck_assert_int_eq(step, FILE_STEP_RESOLVE);
}
END_TEST

START_TEST(test_file__disk_full_injected)
{
    const char *path = path_in("full.txt");
    put(path, "precious", 8, 0644);
    enum file_step step;
    write_errno = ENOSPC;
    write_budget = 4;
    int e = save(path, "0123456789", 10, &step);
    write_errno = 0;
    ck_assert_int_eq(e, -ENOSPC);
    ck_assert_int_eq(step, FILE_STEP_WRITE);
    expect_content(path, "precious", 8);
    ck_assert_int_eq(stray_files(), 0);
}
END_TEST

START_TEST(test_file__fsync_error_injected)
{
    const char *path = path_in("io.txt");
    put(path, "precious", 8, 0644);
    enum file_step step;
    fsync_errno = EIO;
    int e = save(path, "new", 3, &step);
    fsync_errno = 0;
    ck_assert_int_eq(e, -EIO);
    ck_assert_int_eq(step, FILE_STEP_SYNC);
    expect_content(path, "precious", 8);
    ck_assert_int_eq(stray_files(), 0);
}
END_TEST

START_TEST(test_file__disk_full_tmpfs)
{
    const char *mnt = path_in("mnt");
    ck_assert_int_eq(mkdir(mnt, 0755), 0);
    if (mount("tmpfs", mnt, "tmpfs", 0, "size=64k") != 0) {
        printf("SKIP test_file__disk_full_tmpfs: cannot mount a tmpfs here (%s)\n",
               strerror(errno));
        return;
    }
    char path[600];
    snprintf(path, sizeof path, "%s/f.txt", mnt);
    put(path, "small and safe", 14, 0644);
    size_t n = 1 << 20;
    char *big = malloc(n);
    memset(big, 'x', n);
    enum file_step step;
    int e = save(path, big, n, &step);
    free(big);
    char *buf;
    size_t len;
    struct file_stamp st;
    int r = file_read(path, &buf, &len, &st);
    DIR *d = opendir(mnt);
    int entries = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        entries += de->d_name[0] != '.' || strstr(de->d_name, ".weft-") != NULL;
    closedir(d);
    umount(mnt);
    ck_assert_int_eq(e, -ENOSPC);
    ck_assert_int_eq(r, 0);
    ck_assert_uint_eq(len, 14);
    ck_assert(memcmp(buf, "small and safe", 14) == 0);
    ck_assert_int_eq(entries, 1);
    free(buf);
}
END_TEST

START_TEST(test_file__directory_gone)
{
    ck_assert_int_eq(mkdir(path_in("gone"), 0755), 0);
    const char *path = path_in("gone/f.txt");
    put(path, "x", 1, 0644);
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(rmdir(path_in("gone")), 0);
    enum file_step step;
    ck_assert_int_eq(save(path, "text", 4, &step), -ENOENT);
    ck_assert_int_eq(step, FILE_STEP_CREATE);
}
END_TEST

/* Saving into a directory we may not write to: EACCES, and the file is untouched. Root
 * ignores permissions, so as root the save runs in a child that became "nobody". */
START_TEST(test_file__read_only_directory)
{
    const char *sub = path_in("ro");
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    const char *path = path_in("ro/f.txt");
    put(path, "keep me", 7, 0666);
    ck_assert_int_eq(chmod(sub, 0555), 0);
    ck_assert_int_eq(chmod(dir, 0755), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        if (geteuid() == 0) {
            struct passwd *pw = getpwnam("nobody");
            if (!pw || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
                _exit(3);
        }
        enum file_step step;
        int e = save(path, "overwritten", 11, &step);
        _exit(e == -EACCES && step == FILE_STEP_CREATE ? 0 : 1);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    chmod(sub, 0755);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    expect_content(path, "keep me", 7);
}
END_TEST

START_TEST(test_file__read_errors)
{
    char *buf;
    size_t len;
    struct file_stamp st;
    ck_assert_int_eq(file_read(path_in("missing"), &buf, &len, &st), -ENOENT);
    ck_assert(!st.exists);
    ck_assert_int_eq(file_read(dir, &buf, &len, &st), -EISDIR);
    const char *fifo = path_in("fifo");
    ck_assert_int_eq(mkfifo(fifo, 0644), 0);
    ck_assert_int_eq(file_read(fifo, &buf, &len, &st), -EINVAL); /* and does not hang */
}
END_TEST

START_TEST(test_file__change_stamps)
{
    const char *path = path_in("s.txt");
    put(path, "v1", 2, 0644);
    char *buf;
    size_t len;
    struct file_stamp st;
    ck_assert_int_eq(file_read(path, &buf, &len, &st), 0);
    free(buf);
    ck_assert(!file_changed(path, &st));
    put(path, "v22", 3, 0644); /* another program rewrites it in place */
    ck_assert(file_changed(path, &st));
    ck_assert_int_eq(file_read(path, &buf, &len, &st), 0);
    free(buf);
    const char *other = path_in("other");
    put(other, "v33", 3, 0644);
    ck_assert_int_eq(rename(other, path), 0); /* another editor replaced it */
    ck_assert(file_changed(path, &st));
    ck_assert_int_eq(file_read(path, &buf, &len, &st), 0);
    free(buf);
    unlink(path);
    ck_assert(file_changed(path, &st)); /* removed */
    struct file_stamp none = { .exists = false };
    ck_assert(!file_changed(path, &none));
    put(path, "new", 3, 0644);
    ck_assert(file_changed(path, &none)); /* created meanwhile */
    /* Our own save leaves the stamp matching. */
    struct src s = { "ours", 4, 0, 4 };
    ck_assert_int_eq(file_write_atomic(path, next, &s, &st, NULL), 0);
    ck_assert(!file_changed(path, &st));
}
END_TEST

static Suite *file_suite(void)
{
    Suite *s = suite_create("app_file");
    TCase *tc = tcase_create("save");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_file__round_trip);
    tcase_add_test(tc, test_file__mode_kept);
    tcase_add_test(tc, test_file__replaces_atomically);
    tcase_add_test(tc, test_file__symlink_followed);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_file__disk_full_injected);
    tcase_add_test(tc, test_file__fsync_error_injected);
    tcase_add_test(tc, test_file__disk_full_tmpfs);
    tcase_add_test(tc, test_file__directory_gone);
    tcase_add_test(tc, test_file__read_only_directory);
    tcase_add_test(tc, test_file__read_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("stamps");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_file__change_stamps);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(file_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
