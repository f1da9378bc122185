/* Names that a person, or a file system, may take for the same name.
 *
 * Two names collide when their keys are equal: the key is the name in Unicode normal form C,
 * case-folded, with default-ignorable code points (zero-width joiners and the like, which
 * HFS+ drops) removed. "README.md" and "readme.MD", or "é" as one code point and as e + a
 * combining accent, collide. A case-insensitive or normalisation-insensitive file system
 * (ext4 casefold, APFS, HFS+, NTFS) opens both names of a colliding pair as one file, so the
 * filter matches its private and VCS names on keys (".GIT" is ".git"), and guests may not
 * create a name that collides with a shared sibling. Input is valid UTF-8 (checked by
 * path.c); keys are UTF-8. Uses utf8proc. */
#ifndef WEFT_APP_PROJECT_FOLD_H
#define WEFT_APP_PROJECT_FOLD_H

#include <stdbool.h>
#include <stddef.h>

/* A key, in the caller's storage: proj_fold_init(), then proj_fold_close(). */
struct proj_fold {
    const char *s;   /* the key: NUL-terminated; borrowed from buf or heap */
    size_t len;      /* bytes of s */
    char buf[512];   /* short ASCII keys live here */
    char *heap;      /* owned: longer or non-ASCII keys */
};

/* Computes the key of s[0..n) (valid UTF-8; '/' stays '/'). Returns 0 or -ENOMEM (or
 * -EINVAL if s is not valid UTF-8). Call proj_fold_close() in either case. */
int proj_fold_init(struct proj_fold *k, const char *s, size_t n);
void proj_fold_close(struct proj_fold *k);

/* Spellings of name[0..n) that a folding file system would open as the same file: which = 0
 * upper case, 1 lower case, 2 decomposed (NFD), 3 composed (NFC). Writes the spelling into
 * out[0..cap) with a NUL and returns true when it differs from name and fits; false
 * otherwise (including on allocation failure: the caller then has one probe less). */
bool proj_fold_variant(const char *name, size_t n, int which, char *out, size_t cap);
#define PROJ_FOLD_VARIANTS 4

#endif
