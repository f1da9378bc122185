/* The file picker (see picker.h). */
#include "app/editor/picker.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void picker_init(struct picker *p, const char *root)
{
    memset(p, 0, sizeof *p);
    p->root = wf_xstrndup(root, strlen(root));
    p->hits = wf_xcalloc(PICKER_HITS, sizeof *p->hits);
}

void picker_free(struct picker *p)
{
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

int picker_query(struct picker *p, const char *q, size_t len)
{
    proj_fuzzy *f;
    int e = proj_fuzzy_new(q, len, &f);
    if (e)
        return e;
    p->qchars = proj_fuzzy_len(f);
    p->nhits = proj_fuzzy_top(f, (const char *const *)p->paths, p->lens, p->n, p->hits,
                              PICKER_HITS);
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
