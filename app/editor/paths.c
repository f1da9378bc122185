/* Where the configuration lives (see paths.h). */
#include "app/editor/paths.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

char *paths_join(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = wf_xmalloc(na + nb + 1);
    memcpy(s, a, na);
    memcpy(s + na, b, nb + 1);
    return s;
}

/* dir + "/" + rel: a new string. */
static char *under(const char *dir, const char *sub, const char *rel)
{
    char *d = paths_join(dir, sub);
    char *p = paths_join(d, rel);
    free(d);
    return p;
}

char *paths_home(const char *rel)
{
    const char *home = getenv("HOME");
    return home && *home ? under(home, "/", rel) : NULL;
}

char *paths_config(const char *rel)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    if (xdg && xdg[0] == '/')
        return under(xdg, "/", rel);
    const char *home = getenv("HOME");
    return home && *home ? under(home, "/.config/", rel) : NULL;
}
