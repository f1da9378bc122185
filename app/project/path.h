/* Paths as guests name them: what a valid path is, and opening one below the root without
 * ever leaving it.
 *
 * A valid path is relative, '/'-separated, UTF-8 (RFC 3629: shortest form, no surrogates),
 * 1..PROJ_PATH_MAX bytes, at most PROJ_DEPTH_MAX components of 1..PROJ_NAME_MAX bytes, with
 * no empty, "." or ".." component (so no leading, trailing or doubled '/'), no '\' (a
 * separator to Windows guests: refused so that a name means one thing everywhere), no
 * control character (C0, DEL, C1: U+0080..U+009F, which include NEL U+0085), and no
 * character that reorders or breaks the text a person reads (bidi marks, embeddings,
 * overrides and isolates U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069; the line
 * and paragraph separators U+2028, U+2029). Validity is a property of the bytes alone, so its
 * error may be told to a guest: it says nothing about the disk.
 *
 * Opening walks one component at a time with openat(O_NOFOLLOW), from a directory file
 * descriptor: a symbolic link is never followed, not even one that stays inside (a file
 * reachable by two paths would become two documents, with two histories, saving over one
 * file; and a link's target can be changed under a check). A component renamed or swapped
 * for a link by another process between two steps cannot lead out, because each step is
 * relative to the directory already open, never re-read from a path. A name that exists only under another spelling (a case-insensitive directory opening
 * "README" for "readme") is not found: see proj_path_exact(). */
#ifndef WEFT_APP_PROJECT_PATH_H
#define WEFT_APP_PROJECT_PATH_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#define PROJ_PATH_MAX 4095 /* bytes of a path (a PATH_MAX buffer holds it with its NUL) */
#define PROJ_NAME_MAX 255  /* bytes of one component (NAME_MAX) */
#define PROJ_DEPTH_MAX 128 /* components of a path */

enum proj_path_error {
    PROJ_PATH_OK = 0,
    PROJ_PATH_EMPTY,         /* "" */
    PROJ_PATH_TOO_LONG,      /* more than PROJ_PATH_MAX bytes */
    PROJ_PATH_NAME_TOO_LONG, /* a component over PROJ_NAME_MAX bytes */
    PROJ_PATH_TOO_DEEP,      /* more than PROJ_DEPTH_MAX components */
    PROJ_PATH_ABSOLUTE,      /* starts with '/' */
    PROJ_PATH_EMPTY_NAME,    /* "a//b" or a trailing '/' */
    PROJ_PATH_DOT,           /* a "." or ".." component */
    PROJ_PATH_BACKSLASH,     /* a '\' */
    PROJ_PATH_BAD_UTF8,      /* not UTF-8 (overlong, surrogate, cut, stray byte) */
    PROJ_PATH_CONTROL,       /* C0, DEL or C1 */
    PROJ_PATH_FORMAT,        /* a bidi control or a line/paragraph separator */
};

/* Checks path[0..len). */
enum proj_path_error proj_path_check(const char *path, size_t len);
/* Checks one component name[0..len) ('/' counts as PROJ_PATH_EMPTY_NAME: two components). */
enum proj_path_error proj_name_check(const char *name, size_t len);
/* A static description of e, for messages to people ("a component is . or .."). */
const char *proj_path_strerror(enum proj_path_error e);

/* Opens the directory at path[0..len) (a valid path, or len 0 for dirfd itself) below
 * dirfd, one component at a time with O_DIRECTORY | O_NOFOLLOW, each name exact (see
 * proj_path_exact()). Returns a new file descriptor (O_RDONLY | O_CLOEXEC; close it), or
 * -errno: -ENOENT (a component is missing, a symbolic link, or found only under another
 * spelling), -ENOTDIR (a component is not a directory), -EINVAL (path is not valid), or what
 * openat reported (-EACCES, -EMFILE, ...). No filter is applied: see resolve.h. */
int proj_path_open_dir(int dirfd, const char *path, size_t len);

/* 0 when the entry name[0..n) of directory dirfd, whose lstat is *st, is listed in the
 * directory under exactly these bytes; -ENOENT when the directory only found it by folding
 * (it is listed as another spelling); -errno when the directory cannot be read. A directory
 * folds when another spelling of the name (upper, lower, NFD, NFC) reaches the same inode;
 * only then is it read to look for the exact name, so the common case costs a few fstatat()
 * calls. */
int proj_path_exact(int dirfd, const char *name, size_t n, const struct stat *st);

/* A listing of the directory dirfd, on a descriptor of its own (so dirfd's position is not
 * moved and it stays open): close with closedir(). NULL with errno set on failure. */
DIR *proj_path_opendir(int dirfd);

#endif
