/* The file picker (see picker.h). */
#include "app/editor/picker.h"

#include <stdlib.h>
#include <string.h>

#include "app/project/utf8.h"
#include "core/mem.h"

void picker_init(struct picker *p, const char *root)
{
    memset(p, 0, sizeof *p);
    p->root = wf_xstrndup(root, strlen(root));
    p->hits = wf_xcalloc(PICKER_HITS, sizeof *p->hits);
}

static void drop_levels(struct picker *p, size_t keep)
{
    while (p->nlevels > keep)
        free(p->levels[--p->nlevels].idx);
}

void picker_free(struct picker *p)
{
    drop_levels(p, 0);
    free(p->levels);
    free(p->query);
    for (size_t i = 0; i < p->n; i++)
        free(p->paths[i]);
    free(p->paths);
    free(p->lens);
    free(p->hits);
    free(p->root);
    memset(p, 0, sizeof *p);
}

void picker_add(struct picker *p, const char *path, size_t len)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        p->paths = wf_xreallocarray(p->paths, p->cap, sizeof *p->paths);
        p->lens = wf_xreallocarray(p->lens, p->cap, sizeof *p->lens);
    }
    p->paths[p->n] = wf_xstrndup(path, len);
    p->lens[p->n] = len;
    p->n++;
}

bool picker_remove(struct picker *p, const char *path, size_t len)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->lens[i] != len || memcmp(p->paths[i], path, len) != 0)
            continue;
        free(p->paths[i]);
        memmove(p->paths + i, p->paths + i + 1, (p->n - i - 1) * sizeof *p->paths);
        memmove(p->lens + i, p->lens + i + 1, (p->n - i - 1) * sizeof *p->lens);
        p->n--;
        /* The levels and hits hold indices: the next query starts afresh. */
        drop_levels(p, 0);
        p->nhits = 0;
        p->sel = p->top = 0;
        return true;
    }
    return false;
}

/* Whether q[0..len) is whole UTF-8: a query ending inside a character (or holding bytes that
 * are not UTF-8, which match only themselves) may not be narrowed from. */
static bool whole_utf8(const char *q, size_t len)
{
    for (size_t i = 0; i < len;) {
        if ((unsigned char)q[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = proj_utf8_seq((const unsigned char *)q + i, len - i, &cp);
        if (n == 0 || n == PROJ_UTF8_CUT)
            return false;
        i += n;
    }
    return true;
}

/* Keeps the levels whose query is a prefix of q[0..len), and returns the longest of them
 * (NULL: score every path). */
static const struct picker_level *narrowest(struct picker *p, const char *q, size_t len)
{
    size_t common = 0;
    while (p->query && common < p->query_len && common < len && p->query[common] == q[common])
        common++;
    size_t keep = 0;
    while (keep < p->nlevels && p->levels[keep].qlen <= common)
        keep++;
    drop_levels(p, keep);
    /* The same query again (paths were added): its level is remade below. */
    if (p->nlevels && p->levels[p->nlevels - 1].qlen == len)
        drop_levels(p, p->nlevels - 1);
    return p->nlevels ? &p->levels[p->nlevels - 1] : NULL;
}

static void remember(struct picker *p, const char *q, size_t len, uint32_t *idx, size_t n)
{
    free(p->query);
    p->query = wf_xstrndup(q, len);
    p->query_len = len;
    if (len == 0 || !whole_utf8(q, len) || p->n > UINT32_MAX) {
        free(idx);
        return;
    }
    if (p->nlevels == p->levels_cap) {
        p->levels_cap = p->levels_cap ? p->levels_cap * 2 : 8;
        p->levels = wf_xreallocarray(p->levels, p->levels_cap, sizeof *p->levels);
    }
    p->levels[p->nlevels++] = (struct picker_level){ .qlen = len, .idx = idx, .n = n,
                                                     .upto = p->n };
}

int picker_query(struct picker *p, const char *q, size_t len)
{
    proj_fuzzy *f;
    int e = proj_fuzzy_new(q, len, &f);
    if (e)
        return e;
    p->qchars = proj_fuzzy_len(f);
    if (len == 0 || p->n > UINT32_MAX) {
        p->nhits = proj_fuzzy_top(f, (const char *const *)p->paths, p->lens, p->n, p->hits,
                                  PICKER_HITS);
        drop_levels(p, 0);
        remember(p, q, len, NULL, 0);
    } else {
        const struct picker_level *base = narrowest(p, q, len);
        size_t from = base ? base->upto : 0, cap = (base ? base->n : 0) + (p->n - from), nm = 0;
        uint32_t *matched = wf_xreallocarray(NULL, cap ? cap : 1, sizeof *matched);
        p->nhits = proj_fuzzy_top_among(f, (const char *const *)p->paths, p->lens,
                                        base ? base->idx : NULL, base ? base->n : 0, from,
                                        p->n, p->hits, PICKER_HITS, matched, &nm);
        remember(p, q, len, matched, nm);
    }
    proj_fuzzy_free(f);
    if (len == 0) /* no query: the order of the walk, not the matcher's ties */
        for (size_t i = 0; i < p->nhits; i++)
            p->hits[i] = (struct proj_fuzzy_hit){ .index = i };
    p->sel = 0;
    p->top = 0;
    return 0;
}

void picker_move(struct picker *p, long delta)
{
    if (p->nhits == 0)
        return;
    if (delta < 0)
        p->sel = (size_t)-delta > p->sel ? 0 : p->sel - (size_t)-delta;
    else
        p->sel = p->sel + (size_t)delta >= p->nhits ? p->nhits - 1 : p->sel + (size_t)delta;
}

const char *picker_selected(const struct picker *p)
{
    return p->nhits ? p->paths[p->hits[p->sel].index] : NULL;
}

char *picker_full_path(const struct picker *p, const char *path)
{
    size_t r = strlen(p->root), n = strlen(path);
    char *full = wf_xmalloc(r + n + 2);
    memcpy(full, p->root, r);
    full[r] = '/';
    memcpy(full + r + 1, path, n + 1);
    return full;
}
