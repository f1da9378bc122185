/* Ignore files: git's .gitignore syntax, parsed into pattern lists, and matching a path
 * against one list the way git does (gitignore(5)).
 *
 * A list holds the patterns of one file (a .gitignore, a .weftignore, info/exclude, the
 * global excludes file, or a built-in list) and the directory they are relative to (`base`).
 * Paths given to proj_ignore_match() are relative to the same top as the base and use '/'.
 * Which lists apply to a path, in which order, and the rule that nothing inside an excluded
 * directory can be re-included, are the filter's (filter.c); this file is one list. */
#ifndef WEFT_APP_PROJECT_IGNORE_H
#define WEFT_APP_PROJECT_IGNORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest ignore file read, in bytes; a larger one is an error (the filter then hides
 * everything the file could apply to: it fails closed). */
#define PROJ_IGNORE_FILE_MAX ((size_t)1 << 20)
/* Longest pattern line, in bytes after the line end is removed; a longer line is an error. */
#define PROJ_IGNORE_LINE_MAX 4096

enum proj_pattern_flags {
    PROJ_PAT_NEGATIVE = 1,  /* "!pattern": re-includes */
    PROJ_PAT_MUSTBEDIR = 2, /* "pattern/": matches directories only */
    PROJ_PAT_NODIR = 4,     /* no '/' in the pattern: matches the last path component */
    PROJ_PAT_ENDSWITH = 8,  /* "*literal": a suffix compare */
    PROJ_PAT_TOO_COMPLEX = 16, /* a match ran out of glob budget (glob.h): from then on the
                                  pattern matches every path it could (if negative: none) */
};

struct proj_pattern {
    char *text;          /* owned (one allocation with `written`): what is matched, without
                            '!' and the trailing '/'; NUL-terminated */
    const char *written; /* the line as git shows it ("!foo", "bar/"), after text's NUL */
    uint32_t len;        /* bytes of text */
    uint32_t nowild;     /* bytes of text before its first glob byte (git's nowildcardlen) */
    uint32_t line;       /* 1-based line in the source */
    unsigned flags;      /* enum proj_pattern_flags */
};

struct proj_ignore {
    struct proj_pattern *pat; /* owned; in file order */
    size_t n, cap;            /* patterns used / allocated */
    char *base;               /* owned: "" or "dir/sub/" (with the '/'), relative to the top */
    size_t baselen;           /* bytes of base */
    char *source;             /* owned: the file's name as shown to people ("a/.gitignore") */
    bool casefold;            /* match ASCII letters in either case (the private defaults) */
    const struct proj_pattern *complex_new; /* set when a match marked a pattern
                                               PROJ_PAT_TOO_COMPLEX; the caller clears it */
};

/* Caller's storage: initialises an empty list relative to base[0..baselen) (which must be
 * empty or end with '/'), shown as source. Returns 0 or -ENOMEM. Call proj_ignore_close()
 * in either case. */
int proj_ignore_init(struct proj_ignore *l, const char *base, size_t baselen, const char *source);
void proj_ignore_close(struct proj_ignore *l);

/* Parses the contents of an ignore file into l: lines end at '\n' (a '\r' before it is
 * dropped, as is a UTF-8 byte order mark at the start); blank lines and lines starting with
 * '#' are skipped; trailing spaces are removed unless escaped with '\'; a line is cut at a
 * NUL byte. Returns 0, -ENOMEM, -EFBIG (more than PROJ_IGNORE_FILE_MAX bytes) or -E2BIG (a
 * line longer than PROJ_IGNORE_LINE_MAX; *bad_line gets its number). On error l may hold
 * the patterns before the bad line: the caller discards it. */
int proj_ignore_parse(struct proj_ignore *l, const char *buf, size_t n, uint32_t *bad_line);

/* Adds the single pattern line[0..n) (no line end; trailing spaces are trimmed as in a file),
 * numbered lineno. Returns 0, -ENOMEM or -E2BIG. An empty pattern is accepted and never
 * matches. */
int proj_ignore_add(struct proj_ignore *l, const char *line, size_t n, uint32_t lineno);

/* The last pattern of l that matches path[0..len) (relative to the top, no trailing '/'),
 * which is a directory when is_dir; NULL when none does. The caller decides what a negative
 * pattern means. Borrowed: valid until l is closed.
 *
 * A pattern whose glob runs out of budget (glob.h) fails closed: it is marked
 * PROJ_PAT_TOO_COMPLEX (and l->complex_new set), and from then on a positive one matches
 * every path below its base that its other conditions allow (directory-only, anchoring),
 * hiding them, while a negative one matches nothing, re-including nothing. */
const struct proj_pattern *proj_ignore_match(struct proj_ignore *l, const char *path, size_t len,
                                             bool is_dir);

/* Reads a whole ignore file from the open file descriptor fd (which it does not close) into
 * a new buffer; free with free(). Returns 0, -EFBIG, -EINVAL (not a regular file), -ENOMEM
 * or -errno from fstat/read. */
int proj_ignore_read_fd(int fd, char **buf, size_t *n);

#endif
