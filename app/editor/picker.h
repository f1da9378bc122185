/* The file picker (Ctrl-P): the files of a project and the best matches of a query among
 * them, for the prompt to show as a list (fuzzy matching: app/project/fuzzy.h).
 *
 * The paths are the project's, relative to its root, added as the tree's walk yields them
 * (a picker can be used before the list is complete). A query keeps the PICKER_HITS best
 * matches, best first; an empty query lists the paths in the order they came. Units: bytes
 * for paths and queries, entries for the selection. */
#ifndef WEFT_APP_EDITOR_PICKER_H
#define WEFT_APP_EDITOR_PICKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/project/fuzzy.h"
#include "core/error.h"

#define PICKER_HITS 200 /* matches kept for a query */

/* What a query matched, kept while the person types on: a query that extends it can only
 * match among these (and among the paths added since), so each keystroke scores fewer paths.
 * Levels form a stack of ever longer prefixes of the last query, so that Backspace goes back
 * to the level before at once. */
struct picker_level {
    size_t qlen;    /* bytes of the query it is for (complete UTF-8: a prefix of the last) */
    uint32_t *idx;  /* owned: the matching paths' indices, increasing */
    size_t n;
    size_t upto;    /* paths[upto..] were added after it was made: candidates too */
};

struct picker {
    char *root;                 /* owned: the directory the paths are relative to */
    char **paths;               /* owned: n paths, each NUL-terminated */
    size_t *lens;               /* bytes of each */
    size_t n, cap;
    struct proj_fuzzy_hit *hits; /* owned: PICKER_HITS entries; nhits used, best first */
    size_t nhits;
    size_t qchars;              /* characters in the query: matched positions per hit */
    size_t sel;                 /* the selected hit, < nhits (0 when there is none) */
    size_t top;                 /* the first hit shown (the drawing keeps sel in view) */
    bool complete;              /* every path of the project has been added */
    char *query;                /* owned: the last query's bytes (NULL before one) */
    size_t query_len;
    struct picker_level *levels; /* owned: nlevels of cap, shortest query first */
    size_t nlevels, levels_cap;
};

/* Caller's storage; root is copied. Free with picker_free(). */
void picker_init(struct picker *p, const char *root);
void picker_free(struct picker *p);
/* Adds path[0..len) (copied) to the list. */
void picker_add(struct picker *p, const char *path, size_t len);
/* Removes path[0..len) from the list (a file deleted or renamed); false when it is not
 * there. O(n). The hits are dropped: query again (picker_query()) to show a list. */
bool picker_remove(struct picker *p, const char *path, size_t len);
/* Finds the best matches of q[0..len) (UTF-8); the selection goes to the best. A query that
 * extends an earlier one (typing on) scores only what that one matched. Returns 0,
 * or -E2BIG for a query over PROJ_FUZZY_QUERY_MAX characters, or -ENOMEM (the matcher's
 * scratch memory); on error the hits stay as they were. */
WF_MUST_CHECK int picker_query(struct picker *p, const char *q, size_t len);
/* Moves the selection by delta hits, stopping at the ends. */
void picker_move(struct picker *p, long delta);
/* The selected path (borrowed until the picker changes), or NULL when nothing matches. */
const char *picker_selected(const struct picker *p);
/* root/path for a path of the list: a new string (free with free()). */
char *picker_full_path(const struct picker *p, const char *path);

#endif
