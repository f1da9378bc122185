/* The filter: the one place that decides what exists for guests.
 *
 * Every way a guest learns of or touches a path (listing, opening, searching, creating,
 * renaming, deleting, following) asks this filter, through resolve.h and walk.h, which ask
 * it for every component. A path is hidden when it, or any directory above it, is hidden;
 * hidden is invisible: the answers for a hidden path are the answers for a path that does
 * not exist (resolve.h turns both into -ENOENT), never a distinct "refused".
 *
 * What is hidden, strongest rule first:
 *   1. VCS directories and files: .git, .hg, .svn (also as .GIT etc.: names are compared
 *      case- and normalisation-folded, as a folding file system would open them).
 *   2. .weftignore files: the host's own rules are neither shown nor changeable.
 *   3. An ignore file that applies but cannot be read (unreadable, not a regular file, a
 *      symbolic link, over 1 MiB, a line over 4096 bytes; the global excludes file or
 *      info/exclude, or a git config that cannot be read): everything it could apply to is
 *      hidden. The filter fails closed, and says so in a notice.
 *   4. Private files: the defaults .env* *.pem *.key *.p12 *.pfx id_rsa* id_ed25519* .ssh/
 *      .gnupg/ .netrc *.kdbx secrets.*, matched at any depth on folded names (".ENV" is
 *      private). Nothing in any ignore file can undo this: a "!" pattern in a .weftignore or
 *      .gitignore that would re-include a private path does not, and the filter records a
 *      notice naming the pattern and the way to share it on purpose: the host's explicit
 *      share_private patterns (weft host --share-private PATTERN), which the start-up
 *      summary lists. .weftignore files can add to the private files only by hiding more.
 *      A root that is, or is inside, a private directory (weft host ~/.ssh) makes
 *      everything in it private; one that is, or is inside, a VCS directory hides
 *      everything (a notice says so).
 *   5. .weftignore patterns, in gitignore syntax, nested like .gitignore files. A path that
 *      some .weftignore decides (hidden, or re-included with "!") is decided; so a
 *      .weftignore can share a file that .gitignore hides.
 *   6. git's rules, as `git check-ignore --no-index` applies them (gitignore(5)): nested
 *      .gitignore files (deeper files first; within a file the last matching pattern),
 *      including those between the repository's top and the root when the root is below it,
 *      then the repository's info/exclude, then the global excludes file (gitrepo.h). A
 *      directory above the root is never itself tested: the host chose the root. Outside a
 *      repository the .gitignore files and the global excludes file still apply.
 *
 * Matching is case-sensitive, on bytes, as git on Linux; only rules 1, 2 and 4 fold. The
 * filter does not look at file types: resolve.h and walk.h refuse symbolic links, devices,
 * FIFOs and sockets, and names that proj_name_check() refuses, before asking it.
 *
 * Ignore files are read once, when a directory is first needed, and kept: a guest editing a
 * shared .gitignore would otherwise un-hide files, so guests may not create, change, rename
 * or delete a file with a policy name (proj_filter_is_policy_name(); the protocol enforces
 * it), and the host calls proj_filter_invalidate() when an ignore file changes on its disk.
 * Not thread-safe: one filter is used from one thread. */
#ifndef WEFT_APP_PROJECT_FILTER_H
#define WEFT_APP_PROJECT_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "app/project/common.h"

typedef struct proj_filter proj_filter;

struct proj_filter_options {
    const char *home;            /* $HOME: ~/.gitconfig, "~/" in core.excludesFile; or NULL */
    const char *xdg_config_home; /* $XDG_CONFIG_HOME; NULL or "" means $HOME/.config */
    const char *system_config;   /* "/etc/gitconfig", or NULL not to read one */
    const char *const *share_private; /* the host's explicit exceptions to the private files,
                                         gitignore syntax relative to the root; borrowed */
    size_t nshare_private;       /* entries of share_private */
};

/* Fills *opt from the environment: HOME, XDG_CONFIG_HOME, and /etc/gitconfig unless
 * GIT_CONFIG_NOSYSTEM is set; no share_private. The strings are borrowed from environ. */
void proj_filter_options_from_env(struct proj_filter_options *opt);

/* Opens a filter on the directory root (any path the host gave; symbolic links in it are
 * followed, since the host chose it). Reads the git configuration and the root's ignore
 * files. Returns 0 and a new filter in *out (free with proj_filter_free()), or -errno:
 * -ENOENT / -ENOTDIR / -EACCES for the root, -EINVAL for a share_private pattern that is
 * empty or starts with '!', -ENOMEM. Unreadable ignore files are not errors: see rule 3. */
PROJ_MUST_CHECK int proj_filter_open(const char *root, const struct proj_filter_options *opt,
                                   proj_filter **out);
void proj_filter_free(proj_filter *f);

/* The root as an open directory (O_RDONLY | O_DIRECTORY); borrowed, closed by
 * proj_filter_free(). Everything below it is opened relative to it. */
int proj_filter_root_fd(const proj_filter *f);
/* The root's canonical absolute path; borrowed. */
const char *proj_filter_root(const proj_filter *f);

enum proj_kind { PROJ_KIND_FILE, PROJ_KIND_DIR };

/* Why a path is shared or hidden. */
enum proj_why {
    PROJ_WHY_NONE,       /* shared: no rule matched */
    PROJ_WHY_NEGATED,    /* shared: a "!" pattern re-included it */
    PROJ_WHY_VCS,        /* hidden: .git .hg .svn */
    PROJ_WHY_POLICY,     /* hidden: a .weftignore file */
    PROJ_WHY_UNREADABLE, /* hidden: an ignore file that applies could not be read */
    PROJ_WHY_PRIVATE,    /* hidden: a private file */
    PROJ_WHY_WEFTIGNORE, /* hidden: a .weftignore pattern */
    PROJ_WHY_GITIGNORE,  /* hidden: a .gitignore, info/exclude or global excludes pattern */
};

struct proj_verdict {
    bool shared;
    enum proj_why why;
    const char *source;  /* the deciding file ("src/.gitignore": relative to the repository's
                            top for .gitignore files, to the root for .weftignore files,
                            absolute for info/exclude and the global file; "private
                            defaults", "--share-private"), or NULL; borrowed */
    unsigned line;       /* the deciding pattern's 1-based line, or 0 */
    const char *pattern; /* the deciding pattern as written ("!keep", "build/"), or NULL;
                            borrowed; raw bytes from a file: escape them before printing
                            (proj_utf8_printable(), utf8.h) */
    size_t hidden_at;    /* when hidden: the length of the prefix of the path that the rule
                            hides (a directory above it, or the whole path) */
};

/* Is path[0..len) (relative to the root), of kind kind, shared? Directories above it are
 * taken as directories; they need not exist (a path to create is checked the same way).
 * Fills *v. Returns 0, -EINVAL (not a valid path: path.h), or -ENOMEM. The strings in *v
 * are borrowed until the next proj_filter_invalidate() or proj_filter_free(). */
PROJ_MUST_CHECK int proj_filter_check(proj_filter *f, const char *path, size_t len,
                                    enum proj_kind kind, struct proj_verdict *v);
/* proj_filter_check() as a yes or no; any error is "no" (fail closed). */
bool proj_filter_shared(proj_filter *f, const char *path, size_t len, enum proj_kind kind);

/* Forgets what was read for directory dir[0..len) (relative to the root; len 0: the whole
 * tree) and everything below it: the next question reads its ignore files again. For the
 * host, when an ignore file or a directory changes on disk. The global excludes file,
 * info/exclude and the git configuration are read once, by proj_filter_open(). */
void proj_filter_invalidate(proj_filter *f, const char *dir, size_t len);

/* True for the names of files that shape the filter (.gitignore, .weftignore, compared
 * folded): guests may read a shared .gitignore but not create, change, rename or delete
 * one, since that could un-hide files. */
bool proj_filter_is_policy_name(const char *name, size_t len);

/* Notices for the host's terminal: ignore files that could not be read (and what that hid),
 * private files that a "!" pattern tried to re-include, patterns too complex to match.
 * Control and bidi characters in them are escaped (\xHH): they are safe to print. At most PROJ_FILTER_NOTICES are
 * kept (each once); proj_filter_notices_dropped() counts the rest. Borrowed until
 * proj_filter_free(). */
#define PROJ_FILTER_NOTICES 32
size_t proj_filter_notice_count(const proj_filter *f);
const char *proj_filter_notice(const proj_filter *f, size_t i);
size_t proj_filter_notices_dropped(const proj_filter *f);

/* The host's share_private patterns in effect, for the start-up summary ("private files
 * shared on purpose: .env.example"); borrowed. */
size_t proj_filter_share_private_count(const proj_filter *f);
const char *proj_filter_share_private(const proj_filter *f, size_t i);

/* The repository's top (absolute), or NULL when the root is not in a git repository;
 * borrowed. */
const char *proj_filter_git_top(const proj_filter *f);

#endif
