/* Path validation and the no-follow directory walk: see path.h for the rules.
 *
 * The validator is one left-to-right pass over the bytes that decodes UTF-8 strictly
 * (utf8.h) and checks each code point and each component as it ends. It is the guard in front of everything a guest names, and it is
 * fuzzed (tests/fuzz/fuzz_path.c). */
#include "app/project/path.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "app/project/fold.h"
#include "app/project/utf8.h"

/* The checks of one component s[0..n) that is not empty. */
static enum proj_path_error component_end(const char *s, size_t n)
{
    if (n > PROJ_NAME_MAX)
        return PROJ_PATH_NAME_TOO_LONG;
    if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
        return PROJ_PATH_DOT;
    return PROJ_PATH_OK;
}

enum proj_path_error proj_path_check(const char *path, size_t len)
{
    const unsigned char *s = (const unsigned char *)path;
    if (len == 0)
        return PROJ_PATH_EMPTY;
    if (len > PROJ_PATH_MAX)
        return PROJ_PATH_TOO_LONG;
    if (s[0] == '/')
        return PROJ_PATH_ABSOLUTE;
    size_t start = 0, depth = 0;
    for (size_t i = 0; i <= len;) {
        if (i == len || s[i] == '/') {
            if (i == start)
                return PROJ_PATH_EMPTY_NAME;
            enum proj_path_error e = component_end(path + start, i - start);
            if (e)
                return e;
            if (++depth > PROJ_DEPTH_MAX)
                return PROJ_PATH_TOO_DEEP;
            start = ++i;
            continue;
        }
        unsigned char b = s[i];
        if (b < 0x20 || b == 0x7f)
            return PROJ_PATH_CONTROL;
        if (b == '\\')
            return PROJ_PATH_BACKSLASH;
        if (b < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = proj_utf8_seq(s + i, len - i, &cp);
        if (l == 0 || l == PROJ_UTF8_CUT)
            return PROJ_PATH_BAD_UTF8;
        if (proj_utf8_control(cp))
            return PROJ_PATH_CONTROL;
        if (proj_utf8_unsafe(cp))
            return PROJ_PATH_FORMAT;
        i += l;
    }
    return PROJ_PATH_OK;
}

enum proj_path_error proj_name_check(const char *name, size_t len)
{
    if (len > 0 && memchr(name, '/', len))
        return PROJ_PATH_EMPTY_NAME;
    if (len > PROJ_NAME_MAX)
        return PROJ_PATH_NAME_TOO_LONG;
    return proj_path_check(name, len);
}

const char *proj_path_strerror(enum proj_path_error e)
{
    switch (e) {
    case PROJ_PATH_OK: return "valid";
    case PROJ_PATH_EMPTY: return "the path is empty";
    case PROJ_PATH_TOO_LONG: return "the path is longer than 4095 bytes";
    case PROJ_PATH_NAME_TOO_LONG: return "a name in the path is longer than 255 bytes";
    case PROJ_PATH_TOO_DEEP: return "the path has more than 128 components";
    case PROJ_PATH_ABSOLUTE: return "the path is absolute (it starts with /)";
    case PROJ_PATH_EMPTY_NAME: return "the path has an empty name (// or a trailing /)";
    case PROJ_PATH_DOT: return "a name in the path is . or ..";
    case PROJ_PATH_BACKSLASH: return "the path has a backslash";
    case PROJ_PATH_BAD_UTF8: return "the path is not valid UTF-8";
    case PROJ_PATH_CONTROL: return "the path has a control character";
    case PROJ_PATH_FORMAT: return "the path has a bidirectional or line-separator character";
    }
    return "unknown path error";
}

DIR *proj_path_opendir(int dirfd)
{
    int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    DIR *d = fdopendir(fd);
    if (!d) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return d;
}

/* Reads directory dirfd looking for exactly name[0..n); 0 found, -ENOENT not, -errno. */
static int listed(int dirfd, const char *name, size_t n)
{
    DIR *d = proj_path_opendir(dirfd);
    if (!d)
        return -errno;
    int rc = -ENOENT;
    struct dirent *de;
    while ((errno = 0, de = readdir(d)) != NULL) {
        if (strlen(de->d_name) == n && memcmp(de->d_name, name, n) == 0) {
            rc = 0;
            break;
        }
    }
    if (rc != 0 && errno != 0)
        rc = -errno;
    closedir(d);
    return rc;
}

int proj_path_exact(int dirfd, const char *name, size_t n, const struct stat *st)
{
    /* A spelling can grow: case mapping and decomposition up to 3 bytes per input byte. */
    char alt[3 * PROJ_NAME_MAX + 4];
    for (int which = 0; which < PROJ_FOLD_VARIANTS; which++) {
        if (!proj_fold_variant(name, n, which, alt, sizeof alt))
            continue;
        struct stat o;
        if (fstatat(dirfd, alt, &o, AT_SYMLINK_NOFOLLOW) == 0 && o.st_dev == st->st_dev
            && o.st_ino == st->st_ino)
            return listed(dirfd, name, n); /* this directory folds */
    }
    return 0;
}

int proj_path_open_dir(int dirfd, const char *path, size_t len)
{
    if (len && proj_path_check(path, len) != PROJ_PATH_OK)
        return -EINVAL;
    int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    char name[PROJ_NAME_MAX + 1];
    for (size_t i = 0; i < len;) {
        const char *slash = memchr(path + i, '/', len - i);
        size_t n = slash ? (size_t)(slash - (path + i)) : len - i;
        memcpy(name, path + i, n);
        name[n] = '\0';
        int next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int rc = next < 0 ? -errno : 0;
        if (rc == -ELOOP)
            rc = -ENOENT; /* a symbolic link: links do not exist for guests */
        struct stat st;
        if (rc == 0 && fstat(next, &st) < 0)
            rc = -errno;
        if (rc == 0)
            rc = proj_path_exact(fd, name, n, &st);
        close(fd);
        if (rc < 0) {
            if (next >= 0)
                close(next);
            return rc;
        }
        fd = next;
        i += n + 1;
    }
    return fd;
}
