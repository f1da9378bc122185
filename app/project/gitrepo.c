/* Repository discovery and the one config key the filter needs: see gitrepo.h.
 *
 * The config reader follows git's config.c for the parts that decide a value: sections are
 * case-insensitive and "[core "x"]" is another section; keys are case-insensitive; a value
 * runs to the end of the line, where '#' or ';' outside quotes starts a comment; blanks
 * outside quotes are dropped at both ends and each one inside becomes a space; '"' toggles
 * quoting; \n \t \b \\ \" and backslash-newline are the escapes. A malformed line is
 * skipped (git would stop with an error; weft must not stop sharing over it). */
/* realpath() is in XSI. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#include "app/project/gitrepo.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/project/ignore.h" /* proj_ignore_read_fd */

/* a + "/" + b (b may be NULL: a copy of a), or NULL when out of memory. */
static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = b ? strlen(b) : 0;
    char *s = malloc(la + 1 + lb + 1);
    if (!s)
        return NULL;
    memcpy(s, a, la);
    size_t o = la;
    if (b) {
        if (o == 0 || s[o - 1] != '/')
            s[o++] = '/';
        memcpy(s + o, b, lb);
        o += lb;
    }
    s[o] = '\0';
    return s;
}

/* Reads the file at path: 0, -ENOENT, or another -errno. */
static int read_file(const char *path, char **buf, size_t *n)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return -errno;
    int rc = proj_ignore_read_fd(fd, buf, n);
    close(fd);
    return rc;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* --- the config reader --------------------------------------------------------------- */

struct cfg {
    const char *s; /* the text */
    size_t n, i;   /* bytes, position */
};

/* The next byte, with "\r\n" read as "\n"; -1 at the end. */
static int next_char(struct cfg *c)
{
    if (c->i >= c->n)
        return -1;
    char ch = c->s[c->i++];
    if (ch == '\r' && c->i < c->n && c->s[c->i] == '\n')
        ch = c->s[c->i++];
    return (unsigned char)ch;
}

static void skip_line(struct cfg *c)
{
    int ch;
    while ((ch = next_char(c)) != -1 && ch != '\n') {}
}

/* Parses a value after '=' as git's parse_value() does. Returns a new string, NULL for a
 * malformed one (or on allocation failure: *oom is then set). */
static char *parse_value(struct cfg *c, bool *oom)
{
    size_t cap = 64, len = 0, spaces = 0;
    char *out = malloc(cap);
    if (!out) {
        *oom = true;
        return NULL;
    }
    bool quote = false, bad = false;
    for (;;) {
        int ch = next_char(c);
        if (ch == -1 || ch == '\n') {
            bad = quote; /* a newline inside quotes is an error */
            break;
        }
        if (!quote && is_space((char)ch)) {
            if (len) /* blanks before the value are dropped, after it too (never flushed) */
                spaces++;
            continue;
        }
        if (!quote && (ch == ';' || ch == '#')) {
            skip_line(c);
            break;
        }
        if (len + spaces + 2 > cap) {
            cap = 2 * (len + spaces + 2);
            char *b = realloc(out, cap);
            if (!b) {
                free(out);
                *oom = true;
                return NULL;
            }
            out = b;
        }
        for (; spaces; spaces--)
            out[len++] = ' ';
        if (ch == '\\') {
            ch = next_char(c);
            if (ch == '\n')
                continue; /* continuation */
            if (ch == 't')
                ch = '\t';
            else if (ch == 'b')
                ch = '\b';
            else if (ch == 'n')
                ch = '\n';
            else if (ch != '\\' && ch != '"') {
                bad = true;
                if (ch != -1)
                    skip_line(c);
                break;
            }
        } else if (ch == '"') {
            quote = !quote;
            continue;
        }
        out[len++] = (char)ch;
    }
    if (bad) {
        free(out);
        return NULL;
    }
    out[len] = '\0';
    return out;
}

static bool is_key_char(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
           || ch == '-';
}

/* After '[': reads the header; true when it is exactly [core]. Leaves c after ']'. */
static bool parse_section(struct cfg *c)
{
    size_t start = c->i;
    while (c->i < c->n && (is_key_char((unsigned char)c->s[c->i]) || c->s[c->i] == '.'))
        c->i++;
    bool core = c->i - start == 4 && strncasecmp(c->s + start, "core", 4) == 0 && c->i < c->n
                && c->s[c->i] == ']';
    while (c->i < c->n && c->s[c->i] != ']' && c->s[c->i] != '\n')
        c->i++;
    if (c->i < c->n && c->s[c->i] == ']')
        c->i++;
    else
        core = false;
    return core;
}

int proj_git_config_excludes(const char *buf, size_t n, char **value)
{
    struct cfg c = { buf, n, 0 };
    bool in_core = false;
    for (;;) {
        while (c.i < c.n && (is_space(c.s[c.i]) || c.s[c.i] == '\n' || c.s[c.i] == '\r'))
            c.i++;
        if (c.i >= c.n)
            return 0;
        char ch = c.s[c.i];
        if (ch == '#' || ch == ';') {
            skip_line(&c);
        } else if (ch == '[') {
            c.i++;
            in_core = parse_section(&c);
        } else if (is_key_char((unsigned char)ch)) {
            size_t start = c.i;
            while (c.i < c.n && is_key_char((unsigned char)c.s[c.i]))
                c.i++;
            bool wanted = in_core && c.i - start == 12
                          && strncasecmp(c.s + start, "excludesfile", 12) == 0;
            while (c.i < c.n && is_space(c.s[c.i]))
                c.i++;
            if (c.i < c.n && c.s[c.i] == '=') {
                c.i++;
                bool oom = false;
                char *v = parse_value(&c, &oom);
                if (oom)
                    return -ENOMEM;
                if (v && wanted) {
                    free(*value);
                    *value = v;
                } else {
                    free(v);
                }
            } else {
                skip_line(&c); /* "key" alone is a boolean; not a path */
            }
        } else {
            skip_line(&c);
        }
    }
}

/* --- discovery ------------------------------------------------------------------------ */

/* The git directory named by the `.git` entry of dir, or NULL (none, or out of memory:
 * *oom). */
static char *git_dir_of(const char *dir, bool *oom)
{
    char *dotgit = join(dir, ".git");
    if (!dotgit) {
        *oom = true;
        return NULL;
    }
    struct stat st;
    if (lstat(dotgit, &st) < 0) {
        free(dotgit);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        char *head = join(dotgit, "HEAD");
        if (!head) {
            *oom = true;
            free(dotgit);
            return NULL;
        }
        bool ok = access(head, F_OK) == 0;
        free(head);
        if (ok)
            return dotgit;
        free(dotgit);
        return NULL;
    }
    char *buf = NULL;
    size_t n = 0;
    int rc = S_ISREG(st.st_mode) ? read_file(dotgit, &buf, &n) : -EINVAL;
    free(dotgit);
    if (rc < 0)
        return NULL;
    char *gd = NULL;
    if (n > 8 && memcmp(buf, "gitdir: ", 8) == 0) {
        size_t e = 8;
        while (e < n && buf[e] != '\n' && buf[e] != '\r' && buf[e] != '\0')
            e++;
        buf[e] = '\0';
        gd = buf[8] == '/' ? strdup(buf + 8) : join(dir, buf + 8);
        if (!gd)
            *oom = true;
    }
    free(buf);
    return gd;
}

/* The repository's own directory of git directory gd (its "commondir", for worktrees). */
static char *common_dir_of(const char *gd)
{
    char *f = join(gd, "commondir");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0;
    int rc = read_file(f, &buf, &n);
    free(f);
    if (rc < 0)
        return strdup(gd);
    size_t e = 0;
    while (e < n && buf[e] != '\n' && buf[e] != '\r' && buf[e] != '\0')
        e++;
    char *cd;
    if (e == 0) {
        cd = strdup(gd);
    } else {
        buf[e] = '\0';
        cd = buf[0] == '/' ? strdup(buf) : join(gd, buf);
    }
    free(buf);
    char *canon = cd ? realpath(cd, NULL) : NULL; /* ".../worktrees/w/../.." reads badly */
    if (canon) {
        free(cd);
        cd = canon;
    }
    return cd;
}

/* Expands a config path: "~/x" and "~user/x"; a relative path is taken from base (git runs
 * at the top of the work tree). Takes ownership of v; NULL when it cannot be expanded. */
static char *expand_path(char *v, const char *home, const char *base)
{
    if (v[0] == '~') {
        char *slash = strchr(v, '/');
        const char *rest = slash ? slash + 1 : NULL;
        const char *dir = NULL;
        if (v[1] == '/' || v[1] == '\0') {
            dir = home;
        } else {
            if (slash)
                *slash = '\0';
            struct passwd *pw = getpwnam(v + 1);
            dir = pw ? pw->pw_dir : NULL;
        }
        char *r = dir ? join(dir, rest && *rest ? rest : NULL) : NULL;
        free(v);
        return r;
    }
    if (v[0] == '/' || !base)
        return v;
    char *r = join(base, v);
    free(v);
    return r;
}

/* Reads core.excludesFile from the config file at path into *value. Returns 0 (also when the
 * file is missing), -ENOMEM, or -errno for a file that exists but cannot be read. */
static int read_config(const char *path, char **value)
{
    char *buf = NULL;
    size_t n = 0;
    int rc = read_file(path, &buf, &n);
    if (rc == -ENOENT || rc == -ENOTDIR)
        return 0;
    if (rc < 0)
        return rc;
    rc = proj_git_config_excludes(buf, n, value);
    free(buf);
    return rc;
}

static int set_config_error(struct proj_git *g, const char *path, int err)
{
    if (g->config_error)
        return 0;
    size_t len = strlen(path) + 64;
    g->config_error = malloc(len);
    if (!g->config_error)
        return -ENOMEM;
    snprintf(g->config_error, len, "%s: %s", path,
             err == -EINVAL ? "not a regular file" : err == -EFBIG ? "larger than 1 MiB"
                                                                   : strerror(-err));
    return 0;
}

/* The global excludes file: the last core.excludesFile of the config files, or git's
 * default. */
static int find_excludes(struct proj_git *g, const struct proj_git_env *env, const char *common)
{
    char *xdg = NULL;
    if (env->xdg_config_home && *env->xdg_config_home)
        xdg = strdup(env->xdg_config_home);
    else if (env->home)
        xdg = join(env->home, ".config");
    if ((env->xdg_config_home && *env->xdg_config_home) || env->home)
        if (!xdg)
            return -ENOMEM;
    char *files[4] = { 0 };
    int nf = 0, rc = 0;
    if (env->system_config)
        files[nf++] = strdup(env->system_config);
    if (xdg)
        files[nf++] = join(xdg, "git/config");
    if (env->home)
        files[nf++] = join(env->home, ".gitconfig");
    if (common)
        files[nf++] = join(common, "config");
    char *value = NULL;
    for (int i = 0; i < nf && rc == 0; i++) {
        if (!files[i]) {
            rc = -ENOMEM;
            break;
        }
        int r = read_config(files[i], &value);
        if (r == -ENOMEM)
            rc = r;
        else if (r < 0)
            rc = set_config_error(g, files[i], r);
    }
    for (int i = 0; i < nf; i++)
        free(files[i]);
    if (rc == 0) {
        if (value) {
            g->excludes_file = expand_path(value, env->home, g->top);
            value = NULL;
        } else if (xdg) {
            g->excludes_file = join(xdg, "git/ignore");
            if (!g->excludes_file)
                rc = -ENOMEM;
        }
    }
    free(value);
    free(xdg);
    return rc;
}

int proj_git_discover(const char *root, const struct proj_git_env *env, struct proj_git *g)
{
    memset(g, 0, sizeof *g);
    struct stat st;
    if (stat(root, &st) < 0)
        return find_excludes(g, env, NULL);
    dev_t dev = st.st_dev;
    char *dir = strdup(root);
    if (!dir)
        return -ENOMEM;
    char *gd = NULL;
    bool oom = false;
    for (;;) {
        gd = git_dir_of(dir, &oom);
        if (gd || oom)
            break;
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir) {
            if (strcmp(dir, "/") == 0)
                break;
            dir[1] = '\0'; /* from "/x" to "/" */
        } else {
            *slash = '\0';
        }
        if (stat(dir, &st) < 0 || st.st_dev != dev)
            break; /* git does not cross into another file system either */
    }
    int rc = oom ? -ENOMEM : 0;
    char *common = NULL;
    if (gd) {
        common = common_dir_of(gd);
        size_t tl = strlen(dir);
        g->top = dir;
        dir = NULL;
        const char *below = root + tl;
        while (*below == '/')
            below++;
        g->prefix = *below ? join(below, NULL) : strdup("");
        if (g->prefix && *below) {
            size_t pl = strlen(g->prefix);
            char *p = realloc(g->prefix, pl + 2);
            if (p) {
                p[pl] = '/';
                p[pl + 1] = '\0';
                g->prefix = p;
            } else {
                free(g->prefix);
                g->prefix = NULL;
            }
        }
        g->info_exclude = common ? join(common, "info/exclude") : NULL;
        if (!common || !g->prefix || !g->info_exclude)
            rc = -ENOMEM;
    } else if (!oom) {
        g->prefix = strdup("");
        if (!g->prefix)
            rc = -ENOMEM;
    }
    free(dir);
    free(gd);
    if (rc == 0)
        rc = find_excludes(g, env, common);
    free(common);
    return rc;
}

void proj_git_close(struct proj_git *g)
{
    free(g->top);
    free(g->prefix);
    free(g->info_exclude);
    free(g->excludes_file);
    free(g->config_error);
    memset(g, 0, sizeof *g);
}
