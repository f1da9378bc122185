/* Tests of app/project/path.c and resolve.c: which paths are valid, and that a guest's path
 * cannot reach outside the root, a hidden file, a link, a device, a FIFO or a socket, by any
 * spelling, and not by racing the walk either.
 *
 * The races are made deterministic: this program is linked with -Wl,--wrap=fstatat and
 * --wrap=openat, and the wrappers below run an armed action (swap a directory for a link,
 * a file for a FIFO) at the exact moment between the library's check and its next step. */
/* mknod() is in XSI. */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "app/project/filter.h"
#include "app/project/path.h"
#include "app/project/resolve.h"
#include "app/project/utf8.h"
#include "tests/common/testutil.h"
#include "tests/common/treetest.h"

int __real_fstatat(int dirfd, const char *name, struct stat *st, int flags);
int __wrap_fstatat(int dirfd, const char *name, struct stat *st, int flags);
int __real_openat(int dirfd, const char *name, int flags, ...);
int __wrap_openat(int dirfd, const char *name, int flags, ...);

/* An action to run once, right after the library's fstatat() (or openat()) of `name`. */
static const char *after_fstatat, *after_openat;
static void (*action)(void);

int __wrap_fstatat(int dirfd, const char *name, struct stat *st, int flags)
{
    int rc = __real_fstatat(dirfd, name, st, flags);
    if (after_fstatat && strcmp(name, after_fstatat) == 0) {
        after_fstatat = NULL;
        action();
    }
    return rc;
}

int __wrap_openat(int dirfd, const char *name, int flags, ...)
{
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    int rc = __real_openat(dirfd, name, flags, mode);
    if (after_openat && strcmp(name, after_openat) == 0) {
        after_openat = NULL;
        action();
    }
    return rc;
}

/* --- validation ---------------------------------------------------------------------- */

static char *repeat(const char *unit, size_t times, const char *sep)
{
    size_t lu = strlen(unit), ls = strlen(sep);
    char *s = malloc(times * (lu + ls) + 1);
    ck_assert_ptr_nonnull(s);
    size_t o = 0;
    for (size_t i = 0; i < times; i++) {
        if (i) {
            memcpy(s + o, sep, ls);
            o += ls;
        }
        memcpy(s + o, unit, lu);
        o += lu;
    }
    s[o] = '\0';
    return s;
}

static void check_path(const char *path, size_t len, enum proj_path_error want)
{
    enum proj_path_error e = proj_path_check(path, len);
    ck_assert_msg(e == want, "\"%s\": got %d (%s), want %d (%s)", wt_esc(path, len), (int)e,
                  proj_path_strerror(e), (int)want, proj_path_strerror(want));
}

START_TEST(test_proj_path__valid)
{
    static const struct {
        const char *path;
        enum proj_path_error want;
    } cases[] = {
        { "a", PROJ_PATH_OK },
        { "a/b", PROJ_PATH_OK },
        { "a b/c d", PROJ_PATH_OK },
        { "\xc3\xa9", PROJ_PATH_OK },
        { "\xe6\x97\xa5\xe6\x9c\xac/\xe3\x83\x95.txt", PROJ_PATH_OK },
        { "\xf0\x9f\x98\x80", PROJ_PATH_OK }, /* 4 bytes: U+1F600 */
        { "\xf4\x8f\xbf\xbf", PROJ_PATH_OK }, /* U+10FFFF */
        { ".hidden", PROJ_PATH_OK },
        { "...", PROJ_PATH_OK },
        { "a..b", PROJ_PATH_OK },
        { "..a", PROJ_PATH_OK },
        { "a/.b/-c~", PROJ_PATH_OK },
        { "\xc2\xa0", PROJ_PATH_OK }, /* NO-BREAK SPACE: not a control character */
        { "", PROJ_PATH_EMPTY },
        { "/", PROJ_PATH_ABSOLUTE },
        { "/etc/passwd", PROJ_PATH_ABSOLUTE },
        { "//x", PROJ_PATH_ABSOLUTE },
        { "a//b", PROJ_PATH_EMPTY_NAME },
        { "a/", PROJ_PATH_EMPTY_NAME },
        { "a/b/", PROJ_PATH_EMPTY_NAME },
        { ".", PROJ_PATH_DOT },
        { "..", PROJ_PATH_DOT },
        { "../x", PROJ_PATH_DOT },
        { "a/../b", PROJ_PATH_DOT },
        { "a/..", PROJ_PATH_DOT },
        { "./a", PROJ_PATH_DOT },
        { "a/./b", PROJ_PATH_DOT },
        { "a\\b", PROJ_PATH_BACKSLASH },
        { "..\\x", PROJ_PATH_BACKSLASH },
        { "a\nb", PROJ_PATH_CONTROL },
        { "a\tb", PROJ_PATH_CONTROL },
        { "a\rb", PROJ_PATH_CONTROL },
        { "\x1b[31mred", PROJ_PATH_CONTROL },
        { "a\x7f", PROJ_PATH_CONTROL },
        { "a\xc2\x85" "b", PROJ_PATH_CONTROL }, /* NEL, U+0085 */
        { "\xc2\x9b" "31m", PROJ_PATH_CONTROL }, /* C1 CSI */
        { "\xc2\x80", PROJ_PATH_CONTROL },
        { "\xc2\x9f", PROJ_PATH_CONTROL },
        { "\xc0\xaf", PROJ_PATH_BAD_UTF8 },      /* overlong '/' */
        { "\xc0\xae\xc0\xae/x", PROJ_PATH_BAD_UTF8 }, /* overlong ".." */
        { "\xe0\x80\xaf", PROJ_PATH_BAD_UTF8 },
        { "\xf0\x80\x80\xaf", PROJ_PATH_BAD_UTF8 },
        { "\xc1\xbf", PROJ_PATH_BAD_UTF8 },
        { "\xed\xa0\x80", PROJ_PATH_BAD_UTF8 },  /* a surrogate */
        { "\xf4\x90\x80\x80", PROJ_PATH_BAD_UTF8 }, /* above U+10FFFF */
        { "\xff", PROJ_PATH_BAD_UTF8 },
        { "\x80", PROJ_PATH_BAD_UTF8 },
        { "a\xc3", PROJ_PATH_BAD_UTF8 },          /* cut */
        { "\xe2\x82", PROJ_PATH_BAD_UTF8 },
        { "\xe2\x82/x", PROJ_PATH_BAD_UTF8 },
        { "\xf8\x88\x80\x80\x80", PROJ_PATH_BAD_UTF8 },
        { "\xe2\x80\xae" "txt.exe", PROJ_PATH_FORMAT }, /* RIGHT-TO-LEFT OVERRIDE */
        { "a\xe2\x81\xa6" "b", PROJ_PATH_FORMAT },      /* LEFT-TO-RIGHT ISOLATE */
        { "a\xe2\x80\xa8" "b", PROJ_PATH_FORMAT },      /* LINE SEPARATOR */
        { "a\xe2\x80\xa9", PROJ_PATH_FORMAT },
        { "\xd8\x9c", PROJ_PATH_FORMAT },               /* ARABIC LETTER MARK */
        { "\xe2\x80\x8f", PROJ_PATH_FORMAT },           /* RIGHT-TO-LEFT MARK */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_path(cases[i].path, strlen(cases[i].path), cases[i].want);
    check_path("a\0b", 3, PROJ_PATH_CONTROL);
    check_path("a/\0", 3, PROJ_PATH_CONTROL);
    /* Lengths: a name of 255 bytes, a path of 4095, 128 components, and one more each. */
    char *name = repeat("n", 255, "");
    check_path(name, 255, PROJ_PATH_OK);
    free(name);
    name = repeat("n", 256, "");
    check_path(name, 256, PROJ_PATH_NAME_TOO_LONG);
    free(name);
    name = repeat("\xc3\xa9", 128, ""); /* 256 bytes in 128 characters */
    check_path(name, 256, PROJ_PATH_NAME_TOO_LONG);
    free(name);
    char *path = repeat("p", 2048, "/"); /* 4095 bytes, but 2048 components */
    check_path(path, 4095, PROJ_PATH_TOO_DEEP);
    free(path);
    char *unit = repeat("x", 31, "");
    path = repeat(unit, 128, "/"); /* 128 x 31 + 127 = 4095 bytes */
    check_path(path, strlen(path), PROJ_PATH_OK);
    free(path);
    path = repeat("x", 129, "/");
    check_path(path, strlen(path), PROJ_PATH_TOO_DEEP);
    free(path);
    path = repeat(unit, 129, "/");
    check_path(path, strlen(path), PROJ_PATH_TOO_LONG);
    free(path);
    free(unit);
    /* One component: a '/' is two. */
    ck_assert_int_eq(proj_name_check("a/b", 3), PROJ_PATH_EMPTY_NAME);
    ck_assert_int_eq(proj_name_check("..", 2), PROJ_PATH_DOT);
    ck_assert_int_eq(proj_name_check("ok", 2), PROJ_PATH_OK);
    for (int e = PROJ_PATH_OK; e <= PROJ_PATH_FORMAT; e++)
        ck_assert_str_ne(proj_path_strerror((enum proj_path_error)e), "unknown path error");
}
END_TEST

START_TEST(test_proj_path__printable)
{
    /* Text from files, made safe for a terminal: controls, C1, bidi controls and invalid
     * bytes escaped, everything else as it is; cut, never overrun, at the buffer's end. */
    static const char in[] = "a\x1b[31mb\xc2\x85" "c\xe2\x80\xae" "d\xff\xc3\xa9\xe6\x97\xa5\x7f"
                             "\xe2\x82";
    char out[128];
    proj_utf8_printable(in, sizeof in - 1, out, sizeof out);
    ck_assert_str_eq(out, "a\\x1b[31mb\\xc2\\x85" "c\\xe2\\x80\\xae" "d\\xff\xc3\xa9\xe6\x97\xa5"
                          "\\x7f\\xe2\\x82");
    char small[6];
    proj_utf8_printable("abc\x1b" "def", 7, small, sizeof small);
    ck_assert_str_eq(small, "abc"); /* an escape that does not fit is left out whole */
    proj_utf8_printable("\xc3\xa9\xc3\xa9\xc3\xa9", 6, small, sizeof small);
    ck_assert_str_eq(small, "\xc3\xa9\xc3\xa9"); /* so is a character */
}
END_TEST

/* --- resolution ------------------------------------------------------------------------ */

static char dir[512];  /* the test's directory */
static char root[600]; /* dir/root, shared */
static proj_filter *f;

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s", tt_mkdtemp("projpath"));
    snprintf(root, sizeof root, "%s/root", dir);
    tt_write(dir, "outside/secret", "outside secret\n", (size_t)-1);
    tt_write(root, "a.txt", "inside a\n", (size_t)-1);
    tt_write(root, "dir/b.txt", "inside b\n", (size_t)-1);
    tt_write(root, "dir/sub/c.txt", "inside c\n", (size_t)-1);
    tt_write(root, ".env", "TOKEN=1\n", (size_t)-1);
    tt_write(root, ".git/config", "[core]\n", (size_t)-1);
    tt_write(root, ".gitignore", "build/\n*.log\n", (size_t)-1);
    tt_write(root, "build/out", "built\n", (size_t)-1);
    tt_write(root, "build.log", "log\n", (size_t)-1);
    tt_write(root, "caf\xc3\xa9", "nfc\n", (size_t)-1);
    tt_symlink(root, "etc", "/etc");
    tt_symlink(root, "up", "..");
    tt_symlink(root, "self", ".");
    tt_symlink(root, "link.txt", "a.txt");
    tt_symlink(root, "loop", "loop");
    tt_symlink(root, "devnull", "/dev/null");
    tt_symlink(root, "dir/out", "../../outside");
    ck_assert_int_eq(mkfifo(tt_at(root, "fifo"), 0644), 0);
    struct proj_filter_options opt = { 0 };
    ck_assert_int_eq(proj_filter_open(root, &opt, &f), 0);
    after_fstatat = after_openat = NULL;
}

static void teardown(void)
{
    proj_filter_free(f);
    tt_rm_rf(dir);
}

/* proj_open() of path as want: the descriptor, or the error. */
static int try_open(const char *path, enum proj_want want)
{
    struct stat st;
    enum proj_path_error why;
    return proj_open(f, path, strlen(path), want, &st, &why);
}

static void assert_not_there(const char *path)
{
    for (int w = PROJ_WANT_FILE; w <= PROJ_WANT_ANY; w++) {
        int fd = try_open(path, (enum proj_want)w);
        if (fd >= 0)
            close(fd);
        ck_assert_msg(fd == -ENOENT, "%s (want %d): got %d (%s), want -ENOENT",
                      wt_esc(path, strlen(path)), w, fd, fd < 0 ? strerror(-fd) : "opened");
    }
}

/* Reads the file path through proj_open(). */
static char *read_shared(const char *path)
{
    int fd = try_open(path, PROJ_WANT_FILE);
    ck_assert_msg(fd >= 0, "%s: %s", path, strerror(-fd));
    static char buf[256];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    ck_assert_int_ge(n, 0);
    buf[n] = '\0';
    close(fd);
    return buf;
}

START_TEST(test_proj_path__opens_shared)
{
    ck_assert_str_eq(read_shared("a.txt"), "inside a\n");
    ck_assert_str_eq(read_shared("dir/sub/c.txt"), "inside c\n");
    ck_assert_str_eq(read_shared(".gitignore"), "build/\n*.log\n");
    struct stat st;
    int fd = proj_open(f, "dir", 3, PROJ_WANT_DIR, &st, NULL);
    ck_assert_int_ge(fd, 0);
    ck_assert(S_ISDIR(st.st_mode));
    close(fd);
    fd = proj_open(f, "dir/b.txt", 9, PROJ_WANT_ANY, &st, NULL);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(st.st_size, 9);
    ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
    close(fd);
    /* A shared entry of the other kind says so; a hidden one never does. */
    ck_assert_int_eq(try_open("dir", PROJ_WANT_FILE), -EISDIR);
    ck_assert_int_eq(try_open("a.txt", PROJ_WANT_DIR), -ENOTDIR);
}
END_TEST

START_TEST(test_proj_path__escapes)
{
    /* Syntax first: the error may be told, and nothing is looked up. */
    static const char *const invalid[] = { "../outside/secret", "/etc/passwd", "dir//b.txt",
                                           "dir/b.txt/", "dir/../a.txt", "./a.txt",
                                           "dir\\b.txt", "a.txt\n", "" };
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        enum proj_path_error why = PROJ_PATH_OK;
        int fd = proj_open(f, invalid[i], strlen(invalid[i]), PROJ_WANT_ANY, NULL, &why);
        ck_assert_msg(fd == -EINVAL && why != PROJ_PATH_OK, "%s: got %d",
                      wt_esc(invalid[i], strlen(invalid[i])), fd);
    }
    /* Links, wherever they point (out, up, in, to a device, to themselves), and every
     * special file: as if absent. */
    static const char *const absent[] = {
        "etc", "etc/passwd", "up", "up/outside/secret", "self", "self/a.txt", "link.txt",
        "loop", "loop/x", "devnull", "dir/out", "dir/out/secret", "fifo", "fifo/x",
        "a.txt/x", "missing", "missing/x", "dir/missing",
    };
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        assert_not_there(absent[i]);
}
END_TEST

START_TEST(test_proj_path__hidden_is_absent)
{
    /* Hidden entries answer exactly as missing ones do, as any kind, and so does anything
     * below them, whether it exists or not. */
    static const char *const hidden[] = { ".env", ".git", ".git/config", ".git/missing",
                                          "build", "build/out", "build/missing", "build.log",
                                          ".GIT/config" };
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
        assert_not_there(hidden[i]);
}
END_TEST

START_TEST(test_proj_path__devices_and_sockets)
{
    /* A character device inside the tree (as root, where mknod is allowed) and a socket:
     * never opened. */
    int made_device = mknod(tt_at(root, "null"), S_IFCHR | 0666, makedev(1, 3)) == 0;
    if (!made_device)
        fprintf(stderr, "check_proj_path: mknod not permitted here (%s); the device case is "
                        "covered by the link to /dev/null only\n", strerror(errno));
    else
        assert_not_there("null");
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    ck_assert_int_ge(s, 0);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    int n = snprintf(a.sun_path, sizeof a.sun_path, "%s/sock", root);
    if (n > 0 && (size_t)n < sizeof a.sun_path) {
        ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0);
        assert_not_there("sock");
    }
    close(s);
}
END_TEST

START_TEST(test_proj_path__long_and_deep)
{
    char *name = repeat("n", 255, "");
    tt_write(root, name, "long\n", (size_t)-1);
    ck_assert_str_eq(read_shared(name), "long\n");
    free(name);
    /* 128 components: the deepest path a guest may name. */
    char *deep = repeat("d", 127, "/");
    tt_mkdirs(root, deep);
    char path[600];
    snprintf(path, sizeof path, "%s/f", deep);
    tt_write(root, path, "deep\n", (size_t)-1);
    ck_assert_str_eq(read_shared(path), "deep\n");
    snprintf(path, sizeof path, "%s/d/f", deep);
    enum proj_path_error why;
    ck_assert_int_eq(proj_open(f, path, strlen(path), PROJ_WANT_ANY, NULL, &why), -EINVAL);
    ck_assert_int_eq(why, PROJ_PATH_TOO_DEEP);
    free(deep);
}
END_TEST

/* --- races ------------------------------------------------------------------------------ */

static void swap_dir_for_link(void)
{
    char moved[700];
    snprintf(moved, sizeof moved, "%s/dir.moved", root);
    ck_assert_int_eq(rename(tt_at(root, "dir"), moved), 0);
    char target[700];
    snprintf(target, sizeof target, "%s/outside", dir);
    ck_assert_int_eq(symlink(target, tt_at(root, "dir")), 0);
    tt_write(dir, "outside/b.txt", "outside b\n", (size_t)-1);
}

START_TEST(test_proj_path__race_dir_swapped_before_open)
{
    /* "dir" is checked (fstatat: a directory), then replaced by a link to outside before it
     * is opened: openat(O_NOFOLLOW) meets the link and refuses. */
    after_fstatat = "dir";
    action = swap_dir_for_link;
    assert_not_there("dir/b.txt");
    ck_assert_ptr_null(after_fstatat); /* the swap did happen */
}
END_TEST

START_TEST(test_proj_path__race_dir_swapped_after_open)
{
    /* "dir" is opened, then replaced by a link to outside: the rest of the walk is relative
     * to the descriptor, i.e. the real directory (now dir.moved), never the link. */
    after_openat = "dir";
    action = swap_dir_for_link;
    ck_assert_str_eq(read_shared("dir/b.txt"), "inside b\n");
    ck_assert_ptr_null(after_openat);
}
END_TEST

static void swap_file_for_fifo(void)
{
    ck_assert_int_eq(unlink(tt_at(root, "a.txt")), 0);
    ck_assert_int_eq(mkfifo(tt_at(root, "a.txt"), 0644), 0);
}

static void swap_file_for_link(void)
{
    ck_assert_int_eq(unlink(tt_at(root, "a.txt")), 0);
    char target[700];
    snprintf(target, sizeof target, "%s/outside/secret", dir);
    ck_assert_int_eq(symlink(target, tt_at(root, "a.txt")), 0);
}

static void swap_file_for_other_file(void)
{
    ck_assert_int_eq(rename(tt_at(root, "dir/b.txt"), tt_at(root, "a.txt")), 0);
}

START_TEST(test_proj_path__race_file_swapped)
{
    /* Between the check of a.txt and its open: a FIFO (the open must not block: O_NONBLOCK,
     * and the fstat differs), a link (O_NOFOLLOW), another file (another inode). */
    after_fstatat = "a.txt";
    action = swap_file_for_fifo;
    assert_not_there("a.txt");
    ck_assert_int_eq(unlink(tt_at(root, "a.txt")), 0);
    tt_write(root, "a.txt", "inside a\n", (size_t)-1);
    after_fstatat = "a.txt";
    action = swap_file_for_link;
    assert_not_there("a.txt");
    ck_assert_int_eq(unlink(tt_at(root, "a.txt")), 0);
    tt_write(root, "a.txt", "inside a\n", (size_t)-1);
    after_fstatat = "a.txt";
    action = swap_file_for_other_file;
    ck_assert_int_eq(try_open("a.txt", PROJ_WANT_FILE), -ENOENT);
    ck_assert_ptr_null(after_fstatat);
}
END_TEST

/* --- names that fold ------------------------------------------------------------------ */

START_TEST(test_proj_path__exact_names)
{
    /* proj_path_exact() on a directory that appears to fold: "README" is a hard link to
     * "readme", so the upper-case probe reaches the same inode. The exact name is then
     * looked for in the listing. */
    tt_write(root, "readme", "r\n", (size_t)-1);
    ck_assert_int_eq(link(tt_at(root, "readme"), tt_at(root, "README")), 0);
    int d = proj_filter_root_fd(f);
    struct stat st;
    ck_assert_int_eq(fstatat(d, "readme", &st, AT_SYMLINK_NOFOLLOW), 0);
    ck_assert_int_eq(proj_path_exact(d, "readme", 6, &st), 0);
    /* Asked for "Readme" with the inode "readme" has, as a case-insensitive directory would
     * answer: "README" probes equal, and "Readme" is not in the listing. */
    ck_assert_int_eq(proj_path_exact(d, "Readme", 6, &st), -ENOENT);
    /* A name with no other spelling, or whose spellings reach other files: no scan. */
    ck_assert_int_eq(proj_path_exact(d, "123", 3, &st), 0);
    tt_write(root, "Other", "o\n", (size_t)-1);
    tt_write(root, "OTHER", "O\n", (size_t)-1);
    ck_assert_int_eq(fstatat(d, "Other", &st, AT_SYMLINK_NOFOLLOW), 0);
    ck_assert_int_eq(proj_path_exact(d, "Other", 5, &st), 0);
    /* NFD "café" is another name here: not found, and not a collision-free create. */
    assert_not_there("cafe\xcc\x81");
}
END_TEST

START_TEST(test_proj_path__targets_new)
{
    struct proj_target t;
    char coll[PROJ_NAME_MAX + 1];
    enum proj_path_error why;
#define NEW(path, kind, except)                                                              \
    proj_target(f, (path), strlen(path), (kind), PROJ_TARGET_NEW, (except), &t, coll,       \
                sizeof coll, &why)
    ck_assert_int_eq(NEW("dir/new.txt", PROJ_KIND_FILE, NULL), 0);
    ck_assert_str_eq(t.name, "new.txt");
    ck_assert(!t.exists);
    int fd = openat(t.dirfd, t.name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
    ck_assert_int_ge(fd, 0);
    close(fd);
    proj_target_close(&t);
    ck_assert_int_eq(t.dirfd, -1);
    ck_assert_int_eq(access(tt_at(root, "dir/new.txt"), F_OK), 0);
    /* Collisions with a shared sibling, by case and by normalisation. */
    coll[0] = '\0';
    ck_assert_int_eq(NEW("dir/B.TXT", PROJ_KIND_FILE, NULL), -EEXIST);
    ck_assert_str_eq(coll, "b.txt");
    ck_assert_int_eq(t.dirfd, -1);
    ck_assert_int_eq(NEW("cafe\xcc\x81", PROJ_KIND_FILE, NULL), -EEXIST);
    ck_assert_str_eq(coll, "caf\xc3\xa9");
    ck_assert_int_eq(NEW("DIR", PROJ_KIND_DIR, NULL), -EEXIST);
    /* Renaming b.txt to B.txt: b.txt itself does not count. */
    ck_assert_int_eq(NEW("dir/B.txt", PROJ_KIND_FILE, "b.txt"), 0);
    proj_target_close(&t);
    /* A hidden sibling that folds the same is not told ("build.log" is hidden). */
    ck_assert_int_eq(NEW("BUILD.LOG", PROJ_KIND_FILE, NULL), 0);
    proj_target_close(&t);
    /* Names the filter would hide, as either kind, and policy names. */
    static const char *const refused[] = { ".env", "dir/x.key", "build", "x.log", ".git",
                                           ".gitignore", "dir/.GitIgnore", ".weftignore" };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        ck_assert_msg(NEW(refused[i], PROJ_KIND_FILE, NULL) == -EPERM, "%s not refused",
                      refused[i]);
    /* Taken: a shared file, a link, a FIFO (their existence is the name's, not hidden). */
    ck_assert_int_eq(NEW("a.txt", PROJ_KIND_FILE, NULL), -EEXIST);
    ck_assert_int_eq(NEW("etc", PROJ_KIND_DIR, NULL), -EEXIST);
    ck_assert_int_eq(NEW("fifo", PROJ_KIND_FILE, NULL), -EEXIST);
    /* Parents that are not shared directories. */
    ck_assert_int_eq(NEW("missing/x", PROJ_KIND_FILE, NULL), -ENOENT);
    ck_assert_int_eq(NEW("etc/x", PROJ_KIND_FILE, NULL), -ENOENT);
    ck_assert_int_eq(NEW("a.txt/x", PROJ_KIND_FILE, NULL), -ENOENT);
    ck_assert_int_eq(NEW("build/x", PROJ_KIND_FILE, NULL), -ENOENT);
    ck_assert_int_eq(NEW(".git/hooks", PROJ_KIND_DIR, NULL), -ENOENT);
    ck_assert_int_eq(NEW("../x", PROJ_KIND_FILE, NULL), -EINVAL);
    ck_assert_int_eq(why, PROJ_PATH_DOT);
#undef NEW
    /* The host may write its own .gitignore. */
    ck_assert_int_eq(proj_target(f, "dir/.gitignore", 14, PROJ_KIND_FILE,
                                 PROJ_TARGET_NEW | PROJ_TARGET_ALLOW_POLICY, NULL, &t, NULL, 0,
                                 NULL),
                     0);
    proj_target_close(&t);
}
END_TEST

START_TEST(test_proj_path__targets_existing)
{
    struct proj_target t;
#define OLD(path, kind)                                                                      \
    proj_target(f, (path), strlen(path), (kind), PROJ_TARGET_EXISTING, NULL, &t, NULL, 0, NULL)
    ck_assert_int_eq(OLD("dir/b.txt", PROJ_KIND_FILE), 0);
    ck_assert(t.exists);
    ck_assert_int_eq(t.st.st_size, 9);
    ck_assert_str_eq(t.name, "b.txt");
    proj_target_close(&t);
    ck_assert_int_eq(OLD("dir/sub", PROJ_KIND_DIR), 0);
    proj_target_close(&t);
    ck_assert_int_eq(OLD("dir", PROJ_KIND_FILE), -EISDIR);
    ck_assert_int_eq(OLD("a.txt", PROJ_KIND_DIR), -ENOTDIR);
    static const char *const absent[] = { ".env", "etc", "link.txt", "fifo", "build/out",
                                          "missing", ".git/config" };
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        ck_assert_msg(OLD(absent[i], PROJ_KIND_FILE) == -ENOENT, "%s", absent[i]);
    ck_assert_int_eq(OLD(".gitignore", PROJ_KIND_FILE), -EPERM);
#undef OLD
}
END_TEST

static Suite *path_suite(void)
{
    Suite *s = suite_create("proj_path");
    TCase *tc = tcase_create("valid");
    tcase_add_test(tc, test_proj_path__valid);
    tcase_add_test(tc, test_proj_path__printable);
    suite_add_tcase(s, tc);
    tc = tcase_create("resolve");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_proj_path__opens_shared);
    tcase_add_test(tc, test_proj_path__escapes);
    tcase_add_test(tc, test_proj_path__hidden_is_absent);
    tcase_add_test(tc, test_proj_path__devices_and_sockets);
    tcase_add_test(tc, test_proj_path__long_and_deep);
    suite_add_tcase(s, tc);
    tc = tcase_create("races");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_proj_path__race_dir_swapped_before_open);
    tcase_add_test(tc, test_proj_path__race_dir_swapped_after_open);
    tcase_add_test(tc, test_proj_path__race_file_swapped);
    suite_add_tcase(s, tc);
    tc = tcase_create("names");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_proj_path__exact_names);
    tcase_add_test(tc, test_proj_path__targets_new);
    tcase_add_test(tc, test_proj_path__targets_existing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(path_suite());
}
