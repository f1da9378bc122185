/* What git would know about a shared directory without running git: the repository it is
 * in, the repository's info/exclude, and the user's global excludes file.
 *
 * Discovery walks up from the shared root to the first directory with a `.git` (a directory
 * holding HEAD, or a file "gitdir: PATH" as in linked worktrees and submodules; a worktree's
 * "commondir" is followed to the repository's own directory), stopping where the file system
 * changes, as git does by default. The global excludes file is core.excludesFile from the
 * config files git reads (the system file if asked, $XDG_CONFIG_HOME/git/config or
 * ~/.config/git/config, ~/.gitconfig, the repository's config; the last one wins), read
 * minimally for that one key ([include] and [includeIf] are not followed), defaulting to
 * $XDG_CONFIG_HOME/git/ignore or ~/.config/git/ignore. */
#ifndef WEFT_APP_PROJECT_GITREPO_H
#define WEFT_APP_PROJECT_GITREPO_H

#include <stddef.h>

/* Where to look; any field may be NULL (then that place is not read). */
struct proj_git_env {
    const char *home;            /* $HOME, for ~/.gitconfig and "~/" in values */
    const char *xdg_config_home; /* $XDG_CONFIG_HOME; NULL or "" means $HOME/.config */
    const char *system_config;   /* e.g. "/etc/gitconfig"; NULL: not read */
};

/* Everything here is owned by the struct; free with proj_git_close(). */
struct proj_git {
    char *top;           /* the work tree's top (absolute), or NULL outside a repository */
    char *prefix;        /* the root below top: "" or "dir/sub/"; "" outside a repository */
    char *info_exclude;  /* absolute path of info/exclude, or NULL outside a repository */
    char *excludes_file; /* absolute path of the global excludes file, or NULL for none */
    char *config_error;  /* a config file that exists but could not be read ("PATH: reason"),
                            or NULL; the global excludes are then unknown */
};

/* Discovers the repository around root (an absolute, canonical directory path) and the
 * excludes files. Returns 0 (outside a repository too) or -ENOMEM; *g is filled in either
 * case and must be closed. */
int proj_git_discover(const char *root, const struct proj_git_env *env, struct proj_git *g);
void proj_git_close(struct proj_git *g);

/* Reads the config text buf[0..n) and sets *value (a new string, free with free(); the old
 * one is freed) to its last core.excludesFile, unchanged when it has none. Returns 0 or
 * -ENOMEM. Exposed for the tests: quoting, escapes, comments, sections, case. */
int proj_git_config_excludes(const char *buf, size_t n, char **value);

#endif
