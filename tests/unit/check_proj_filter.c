/* Tests of app/project/filter.c beyond git's rules (check_proj_git holds those): the
 * private defaults and that no ignore file can undo them, --share-private, VCS and policy
 * names (folded), .weftignore deciding before .gitignore, hidden directories hiding
 * everything below, ignore files that cannot be read hiding their whole scope, invalidation,
 * and repository discovery (worktrees, a root below the top). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/project/filter.h"
#include "app/project/gitrepo.h"
#include "tests/common/testutil.h"
#include "tests/common/treetest.h"

static char dir[512];  /* this test's temporary directory */
static char root[600]; /* dir/root: the shared directory */

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s", tt_mkdtemp("projfilter"));
    snprintf(root, sizeof root, "%s/root", dir);
    tt_mkdirs(dir, "root");
    tt_mkdirs(dir, "home");
}

static void teardown(void)
{
    tt_rm_rf(dir);
}

static proj_filter *open_with(const char *const *share, size_t nshare)
{
    char home[700];
    snprintf(home, sizeof home, "%s/home", dir);
    struct proj_filter_options opt = { .home = home, .share_private = share,
                                       .nshare_private = nshare };
    proj_filter *f;
    int rc = proj_filter_open(root, &opt, &f);
    ck_assert_msg(rc == 0, "proj_filter_open: %s", strerror(-rc));
    return f;
}

static proj_filter *open_root(void)
{
    return open_with(NULL, 0);
}

/* The verdict on path (a directory when it ends with '/'). */
static struct proj_verdict verdict(proj_filter *f, const char *path)
{
    size_t n = strlen(path);
    enum proj_kind kind = PROJ_KIND_FILE;
    if (n && path[n - 1] == '/') {
        n--;
        kind = PROJ_KIND_DIR;
    }
    struct proj_verdict v;
    int rc = proj_filter_check(f, path, n, kind, &v);
    ck_assert_msg(rc == 0, "proj_filter_check %s: %s", path, strerror(-rc));
    return v;
}

#define assert_shared(f, path)                                                                \
    do {                                                                                      \
        struct proj_verdict v_ = verdict((f), (path));                                        \
        ck_assert_msg(v_.shared, "%s should be shared, hidden by %s:%u: %s (why %d)",        \
                      wt_esc((path), strlen(path)), v_.source ? v_.source : "-", v_.line,    \
                      v_.pattern ? v_.pattern : "-", (int)v_.why);                            \
    } while (0)
#define assert_hidden(f, path, why_)                                                          \
    do {                                                                                      \
        struct proj_verdict v_ = verdict((f), (path));                                        \
        ck_assert_msg(!v_.shared && v_.why == (why_), "%s should be hidden (why %d), is %s " \
                      "(why %d)", wt_esc((path), strlen(path)), (int)(why_),                  \
                      v_.shared ? "shared" : "hidden", (int)v_.why);                          \
    } while (0)

/* Is there a notice containing s? */
static bool has_notice(const proj_filter *f, const char *s)
{
    for (size_t i = 0; i < proj_filter_notice_count(f); i++)
        if (strstr(proj_filter_notice(f, i), s))
            return true;
    return false;
}

static void dump_notices(const proj_filter *f)
{
    for (size_t i = 0; i < proj_filter_notice_count(f); i++)
        fprintf(stderr, "notice: %s\n", proj_filter_notice(f, i));
}

START_TEST(test_proj_filter__private_defaults)
{
    proj_filter *f = open_root();
    static const char *const hidden[] = {
        ".env", ".env.local", ".envrc", ".ENV", "sub/deep/.env", "server.pem", "x.key",
        "a.p12", "b.pfx", "id_rsa", "id_rsa.pub", "id_ed25519", "ID_ED25519.PUB", ".ssh/",
        ".ssh/config", "home/.ssh/", "home/.ssh/known_hosts", ".gnupg/", ".gnupg/pubring.kbx",
        ".netrc", "db.kdbx", "secrets.yml", "Secrets.JSON", "a/b/secrets.txt", "k.PEM/",
        ("server.\xe2\x84\xaa" "ey"), /* KELVIN SIGN: folds to "server.key" */
        ".e\xe2\x80\x8dnv",          /* a zero-width joiner, which folding drops */
        ".env/inside", "x.key/inside.txt",
    };
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
        assert_hidden(f, hidden[i], PROJ_WHY_PRIVATE);
    static const char *const shared[] = {
        "README", "env", "env.txt", "keys/", "keys/a", "key", "x.key.txt", "pem", "ssh/",
        "ssh/config", ".ssh", /* a file named .ssh: ".ssh/" is for directories */
        "my.netrc", "netrc", "secrets", "secret.yml", "id_dsa", "a.kdb", "p12",
    };
    for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++)
        assert_shared(f, shared[i]);
    struct proj_verdict v = verdict(f, "sub/x.pem");
    ck_assert_str_eq(v.source, "private defaults");
    ck_assert_str_eq(v.pattern, "*.pem");
    ck_assert_uint_eq(v.hidden_at, strlen("sub/x.pem"));
    v = verdict(f, ".ssh/id/deeper");
    ck_assert_uint_eq(v.hidden_at, 4); /* the directory .ssh is what is hidden */
    proj_filter_free(f);
}
END_TEST

START_TEST(test_proj_filter__negation_cannot_share_private)
{
    /* A "!" in a .gitignore, in a .weftignore, deeper or at the root, leaves private files
     * hidden, and each attempt is noticed, with the pattern and the way out. */
    tt_write(root, ".gitignore", "!.env\n!*.key\n", (size_t)-1);
    tt_write(root, ".weftignore", "!*.pem\n!.ssh/\n!.ssh/**\n", (size_t)-1);
    tt_write(root, "sub/.gitignore", "*\n!id_rsa\n", (size_t)-1);
    tt_write(root, "esc/.gitignore", "!.en[v\x1b]\n", (size_t)-1);
    tt_write(root, "sub/.weftignore", "!secrets.*\n", (size_t)-1);
    proj_filter *f = open_root();
    assert_hidden(f, ".env", PROJ_WHY_PRIVATE);
    assert_hidden(f, "a.key", PROJ_WHY_PRIVATE);
    assert_hidden(f, "c.pem", PROJ_WHY_PRIVATE);
    assert_hidden(f, ".ssh/", PROJ_WHY_PRIVATE);
    assert_hidden(f, ".ssh/known_hosts", PROJ_WHY_PRIVATE);
    assert_hidden(f, "sub/id_rsa", PROJ_WHY_PRIVATE);
    assert_hidden(f, "sub/secrets.txt", PROJ_WHY_PRIVATE);
    assert_hidden(f, "sub/other", PROJ_WHY_GITIGNORE);
    assert_hidden(f, "esc/.env", PROJ_WHY_PRIVATE);
    /* A notice quotes the pattern, whose escape sequence must not reach the terminal. */
    bool esc = false;
    for (size_t i = 0; i < proj_filter_notice_count(f); i++)
        esc = esc || strchr(proj_filter_notice(f, i), '\x1b') != NULL;
    ck_assert_msg(!esc, "a notice holds a raw ESC");
    if (!has_notice(f, "!.en[v\\x1b] does not share it")
        || !has_notice(f, ".gitignore:1: !.env does not share it")
        || !has_notice(f, ".weftignore:1: !*.pem does not share it")
        || !has_notice(f, "sub/.weftignore:1: !secrets.*")
        || !has_notice(f, "weft host --share-private 'sub/id_rsa'")) {
        dump_notices(f);
        ck_abort_msg("the refused re-inclusions were not all noticed");
    }
    proj_filter_free(f);
}
END_TEST

START_TEST(test_proj_filter__share_private)
{
    static const char *const share[] = { ".env.example", "/config/dev.key", "fixtures/**" };
    tt_write(root, ".gitignore", "*.log\n", (size_t)-1);
    proj_filter *f = open_with(share, 3);
    assert_shared(f, ".env.example");
    assert_shared(f, "a/.env.example");
    assert_hidden(f, ".env", PROJ_WHY_PRIVATE);
    assert_shared(f, "config/dev.key");
    assert_hidden(f, "other/config/dev.key", PROJ_WHY_PRIVATE);
    assert_shared(f, "fixtures/id_rsa");
    assert_shared(f, "fixtures/a/b/x.pem");
    assert_hidden(f, "fixtures/x.log", PROJ_WHY_GITIGNORE); /* still git's */
    ck_assert_uint_eq(proj_filter_share_private_count(f), 3);
    ck_assert_str_eq(proj_filter_share_private(f, 1), "/config/dev.key");
    proj_filter_free(f);

    /* Patterns that would mean nothing, or "hide": refused. */
    static const char *const bad[][1] = { { "!x" }, { "" }, { "   " } };
    for (size_t i = 0; i < 3; i++) {
        struct proj_filter_options opt = { .share_private = bad[i], .nshare_private = 1 };
        proj_filter *g = NULL;
        ck_assert_int_eq(proj_filter_open(root, &opt, &g), -EINVAL);
        ck_assert_ptr_null(g);
    }
}
END_TEST

START_TEST(test_proj_filter__private_root)
{
    /* "weft host" in ~/.ssh, or below ~/.gnupg: everything is private, unless shared on
     * purpose; in .git: nothing is shared at all. */
    static const char *const share[] = { "known_hosts" };
    const char *cases[] = { "home/.ssh", "home/.gnupg/private-keys-v1.d" };
    char home[700];
    snprintf(home, sizeof home, "%s/home", dir);
    for (size_t i = 0; i < 2; i++) {
        tt_write(dir, tt_at(cases[i], "config"), "Host *\n", (size_t)-1);
        tt_write(dir, tt_at(cases[i], "known_hosts"), "x\n", (size_t)-1);
        struct proj_filter_options opt = { .home = home, .share_private = share,
                                           .nshare_private = 1 };
        proj_filter *f;
        ck_assert_int_eq(proj_filter_open(tt_at(dir, cases[i]), &opt, &f), 0);
        assert_hidden(f, "config", PROJ_WHY_PRIVATE);
        assert_hidden(f, "sub/x.c", PROJ_WHY_PRIVATE);
        assert_shared(f, "known_hosts");
        ck_assert(has_notice(f, "is a private directory"));
        proj_filter_free(f);
    }
    tt_write(root, ".git/HEAD", "ref: x\n", (size_t)-1);
    struct proj_filter_options opt = { .share_private = share, .nshare_private = 1 };
    proj_filter *f;
    ck_assert_int_eq(proj_filter_open(tt_at(root, ".git"), &opt, &f), 0);
    assert_hidden(f, "HEAD", PROJ_WHY_VCS);
    assert_hidden(f, "known_hosts", PROJ_WHY_VCS);
    ck_assert(has_notice(f, "is a version control directory"));
    proj_filter_free(f);
}
END_TEST

START_TEST(test_proj_filter__vcs_and_policy)
{
    tt_mkdirs(root, ".git/objects");
    tt_write(root, ".gitignore", "!.git\n!.weftignore\n!.hg/\n", (size_t)-1);
    proj_filter *f = open_root();
    static const char *const vcs[] = { ".git/", ".git", ".git/config", ".hg/", ".svn/",
                                       "sub/.git", "sub/.git/HEAD", ".GIT/", ".Hg/store",
                                       ".g\xe2\x80\x8cit/" };
    for (size_t i = 0; i < sizeof vcs / sizeof vcs[0]; i++)
        assert_hidden(f, vcs[i], PROJ_WHY_VCS);
    assert_hidden(f, ".weftignore", PROJ_WHY_POLICY);
    assert_hidden(f, "a/.WeftIgnore", PROJ_WHY_POLICY);
    static const char *const shared[] = { ".gitignore", "git", ".gitx", ".github/", "x.git",
                                          ".gitattributes", "hg", "svn/" };
    for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++)
        assert_shared(f, shared[i]);
    ck_assert(proj_filter_is_policy_name(".gitignore", 10));
    ck_assert(proj_filter_is_policy_name(".GitIgnore", 10));
    ck_assert(proj_filter_is_policy_name(".weftignore", 11));
    ck_assert(!proj_filter_is_policy_name(".gitattributes", 14));
    ck_assert(!proj_filter_is_policy_name("gitignore", 9));
    proj_filter_free(f);
}
END_TEST

START_TEST(test_proj_filter__weftignore)
{
    /* .weftignore decides before any .gitignore, even a deeper one; nested .weftignore files
     * are anchored where they are and deeper ones win among themselves. */
    tt_write(root, ".gitignore", "build/\n*.gen\n", (size_t)-1);
    tt_write(root, "src/.gitignore", "!secret.txt\n!plans/\n", (size_t)-1);
    tt_write(root, ".weftignore", "!build/\n!report.gen\nsecret.txt\nplans/\n/notes\n",
             (size_t)-1);
    tt_write(root, "src/a/.weftignore", "!secret.txt\n/notes\n", (size_t)-1);
    proj_filter *f = open_root();
    assert_shared(f, "build/");
    assert_shared(f, "build/out.txt");
    assert_hidden(f, "x.gen", PROJ_WHY_GITIGNORE);
    assert_shared(f, "report.gen");
    assert_hidden(f, "src/secret.txt", PROJ_WHY_WEFTIGNORE);
    assert_hidden(f, "src/plans/", PROJ_WHY_WEFTIGNORE);
    assert_shared(f, "src/a/secret.txt");
    assert_hidden(f, "notes", PROJ_WHY_WEFTIGNORE);
    assert_shared(f, "src/notes");
    assert_hidden(f, "src/a/notes", PROJ_WHY_WEFTIGNORE);
    struct proj_verdict v = verdict(f, "report.gen");
    ck_assert_int_eq(v.why, PROJ_WHY_NEGATED);
    ck_assert_str_eq(v.source, ".weftignore");
    ck_assert_uint_eq(v.line, 2);
    proj_filter_free(f);
}
END_TEST

START_TEST(test_proj_filter__below_hidden)
{
    /* Nothing below a hidden directory comes back, whoever says "!". */
    tt_write(root, ".gitignore", "build/\n", (size_t)-1);
    tt_write(root, ".weftignore", "private/\n!private/ok\n", (size_t)-1);
    tt_write(root, "build/.gitignore", "!*\n", (size_t)-1);
    tt_write(root, "build/.weftignore", "!*\n", (size_t)-1);
    proj_filter *f = open_root();
    assert_hidden(f, "build/", PROJ_WHY_GITIGNORE);
    struct proj_verdict v = verdict(f, "build/x/y.c");
    ck_assert(!v.shared);
    ck_assert_uint_eq(v.hidden_at, 5);
    ck_assert_str_eq(v.pattern, "build/");
    assert_hidden(f, "private/ok", PROJ_WHY_WEFTIGNORE);
    assert_hidden(f, ".git/x/y", PROJ_WHY_VCS);
    proj_filter_free(f);
}
END_TEST

/* A fresh filter on root: the file broken makes everything in `scope` hidden, and the
 * notice names it. */
static void assert_fails_closed(const char *scope, const char *noticed)
{
    proj_filter *f = open_root();
    char in[300], beside[300];
    snprintf(in, sizeof in, "%s%sfile.c", scope, *scope ? "/" : "");
    snprintf(beside, sizeof beside, "beside.c");
    assert_hidden(f, in, PROJ_WHY_UNREADABLE);
    if (*scope) {
        assert_shared(f, beside);
        char d[300];
        snprintf(d, sizeof d, "%s/", scope);
        assert_shared(f, d); /* the directory itself is decided by its parent */
    }
    if (!has_notice(f, noticed)) {
        dump_notices(f);
        ck_abort_msg("no notice about %s", noticed);
    }
    proj_filter_free(f);
}

START_TEST(test_proj_filter__unreadable_fails_closed)
{
    /* A .gitignore that is a directory, a link, a FIFO, too big, or has a line too long. */
    tt_mkdirs(root, "a/.gitignore");
    assert_fails_closed("a", "a/.gitignore cannot be read (it is not a regular file)");
    tt_symlink(root, "b/.weftignore", "/etc/hostname");
    assert_fails_closed("b", "b/.weftignore cannot be read (it is a symbolic link");
    tt_mkdirs(root, "c");
    ck_assert_int_eq(mkfifo(tt_at(root, "c/.gitignore"), 0644), 0);
    assert_fails_closed("c", "c/.gitignore cannot be read (it is not a regular file)");
    char *big = malloc((1 << 20) + 2);
    ck_assert_ptr_nonnull(big);
    memset(big, '\n', (1 << 20) + 1);
    tt_write(root, "d/.gitignore", big, (1 << 20) + 1);
    assert_fails_closed("d", "d/.gitignore cannot be read (it is larger than 1 MiB)");
    memset(big, 'x', 5000);
    memcpy(big, "ok\n", 3);
    tt_write(root, "e/.weftignore", big, 5000);
    assert_fails_closed("e", "e/.weftignore cannot be read (line 2 is longer than 4096 bytes)");
    free(big);
}
END_TEST

START_TEST(test_proj_filter__too_complex_fails_closed)
{
    /* A pattern git's matcher cannot finish on (a hundred "**" segments): what it could
     * match is hidden, a "!" of the same kind re-includes nothing, and the host is told. */
    char pat[400] = "deep";
    for (int i = 0; i < 100; i++)
        strcat(pat, "/**");
    strcat(pat, "/x\n");
    tt_write(root, ".gitignore", pat, (size_t)-1);
    proj_filter *f = open_root();
    assert_shared(f, "deep/a/y"); /* short paths are answered exactly, until... */
    assert_hidden(f, "deep/a/x", PROJ_WHY_GITIGNORE);
    char path[600] = "deep";
    for (int i = 0; i < 120; i++)
        strcat(path, "/a");
    assert_hidden(f, path, PROJ_WHY_GITIGNORE); /* ...a match runs out of budget */
    assert_hidden(f, "deep/a/y", PROJ_WHY_GITIGNORE); /* then all it could match is hidden */
    assert_shared(f, "other/a/b"); /* but not what its literal prefix excludes */
    if (!has_notice(f, ".gitignore:1: deep/**") || !has_notice(f, "is too complex to match")) {
        dump_notices(f);
        ck_abort_msg("no notice about the complex pattern");
    }
    proj_filter_free(f);
}
END_TEST

START_TEST(test_proj_filter__unreadable_global)
{
    /* The global excludes file and git's config: everything is hidden. */
    tt_mkdirs(dir, "home/.config/git/ignore");
    assert_fails_closed("", ".config/git/ignore cannot be read (it is not a regular file)");
    tt_rm_rf(tt_at(dir, "home/.config"));
    tt_mkdirs(dir, "home/.gitconfig");
    assert_fails_closed("", "the global excludes file is unknown, so everything is hidden");
    tt_rm_rf(tt_at(dir, "home/.gitconfig"));
    tt_write(root, ".gitignore", "x\n", 2);
    ck_assert_int_eq(chmod(tt_at(root, ".gitignore"), 0), 0);
    if (geteuid() != 0) /* root reads it anyway */
        assert_fails_closed("", ".gitignore cannot be read (Permission denied)");
}
END_TEST

START_TEST(test_proj_filter__unreadable_directory)
{
    /* A shared directory that cannot be opened: its ignore files are unknown. As root the
     * test drops to nobody, so that permissions apply. */
    tt_write(root, "locked/in.c", "x", 1);
    tt_write(root, "open/in.c", "x", 1);
    tt_drop_privileges(dir);
    ck_assert_int_eq(chmod(tt_at(root, "locked"), 0), 0);
    proj_filter *f = open_root();
    assert_shared(f, "locked/");
    assert_hidden(f, "locked/in.c", PROJ_WHY_UNREADABLE);
    assert_shared(f, "open/in.c");
    ck_assert(has_notice(f, "locked/ cannot be read (Permission denied)"));
    proj_filter_free(f);
    ck_assert_int_eq(chmod(tt_at(root, "locked"), 0755), 0);
}
END_TEST

START_TEST(test_proj_filter__invalidate)
{
    tt_write(root, "sub/.gitignore", "a\n", (size_t)-1);
    proj_filter *f = open_root();
    assert_hidden(f, "sub/a", PROJ_WHY_GITIGNORE);
    assert_shared(f, "sub/b");
    assert_shared(f, "top");
    tt_write(root, "sub/.gitignore", "b\n", (size_t)-1);
    tt_write(root, ".gitignore", "top\n", (size_t)-1);
    assert_hidden(f, "sub/a", PROJ_WHY_GITIGNORE); /* read once, kept */
    proj_filter_invalidate(f, "sub", 3);
    assert_shared(f, "sub/a");
    assert_hidden(f, "sub/b", PROJ_WHY_GITIGNORE);
    assert_shared(f, "top");
    proj_filter_invalidate(f, "", 0);
    assert_hidden(f, "top", PROJ_WHY_GITIGNORE);
    /* A directory that did not exist when first asked about is read once it does. */
    assert_shared(f, "late/x");
    tt_write(root, "late/.gitignore", "x\n", (size_t)-1);
    assert_hidden(f, "late/x", PROJ_WHY_GITIGNORE);
    proj_filter_free(f);
}
END_TEST

START_TEST(test_proj_filter__errors)
{
    proj_filter *f = NULL;
    struct proj_filter_options opt = { 0 };
    ck_assert_int_eq(proj_filter_open(tt_at(dir, "missing"), &opt, &f), -ENOENT);
    tt_write(dir, "file", "x", 1);
    ck_assert_int_eq(proj_filter_open(tt_at(dir, "file"), &opt, &f), -ENOTDIR);
    ck_assert_ptr_null(f);
    f = open_root();
    struct proj_verdict v;
    ck_assert_int_eq(proj_filter_check(f, "../x", 4, PROJ_KIND_FILE, &v), -EINVAL);
    ck_assert_int_eq(proj_filter_check(f, "/etc", 4, PROJ_KIND_FILE, &v), -EINVAL);
    ck_assert_int_eq(proj_filter_check(f, "", 0, PROJ_KIND_FILE, &v), -EINVAL);
    ck_assert(!proj_filter_shared(f, "a//b", 4, PROJ_KIND_FILE));
    ck_assert(proj_filter_shared(f, "a/b", 3, PROJ_KIND_FILE));
    proj_filter_free(f);
}
END_TEST

START_TEST(test_proj_filter__worktree)
{
    /* A linked worktree: `.git` is a file naming the worktree's git directory, whose
     * commondir leads to the repository, where info/exclude lives. */
    tt_write(dir, "main/.git/HEAD", "ref: refs/heads/main\n", (size_t)-1);
    tt_write(dir, "main/.git/info/exclude", "*.wt\n", (size_t)-1);
    tt_write(dir, "main/.git/worktrees/w/HEAD", "x\n", (size_t)-1);
    tt_write(dir, "main/.git/worktrees/w/commondir", "../..\n", (size_t)-1);
    char gitfile[1200];
    snprintf(gitfile, sizeof gitfile, "gitdir: %s/main/.git/worktrees/w\n", dir);
    tt_write(root, ".git", gitfile, (size_t)-1);
    proj_filter *f = open_root();
    ck_assert_str_eq(proj_filter_git_top(f), proj_filter_root(f));
    assert_hidden(f, "a.wt", PROJ_WHY_GITIGNORE);
    assert_hidden(f, ".git", PROJ_WHY_VCS);
    struct proj_verdict v = verdict(f, "a.wt");
    ck_assert_msg(strstr(v.source, "/main/.git/info/exclude") != NULL, "source %s", v.source);
    proj_filter_free(f);
}
END_TEST

START_TEST(test_proj_filter__discovery)
{
    /* The root below a repository's top: the top's .gitignore applies, anchored at the top;
     * a root outside any repository still has its .gitignore files. */
    tt_write(dir, "root/.git/HEAD", "ref: refs/heads/main\n", (size_t)-1);
    tt_write(dir, "root/.gitignore", "/sub/a\nb\n", (size_t)-1);
    tt_mkdirs(root, "sub/deeper");
    struct proj_git_env env = { 0 };
    struct proj_git g;
    ck_assert_int_eq(proj_git_discover(tt_at(root, "sub/deeper"), &env, &g), 0);
    ck_assert_ptr_nonnull(g.top);
    ck_assert_str_eq(g.prefix, "sub/deeper/");
    ck_assert(strstr(g.info_exclude, "/root/.git/info/exclude") != NULL);
    ck_assert_ptr_null(g.excludes_file); /* no HOME, no XDG: none */
    proj_git_close(&g);

    char sub[700];
    snprintf(sub, sizeof sub, "%s/sub", root);
    char home[700];
    snprintf(home, sizeof home, "%s/home", dir);
    struct proj_filter_options opt = { .home = home };
    proj_filter *f;
    ck_assert_int_eq(proj_filter_open(sub, &opt, &f), 0);
    assert_hidden(f, "a", PROJ_WHY_GITIGNORE);
    assert_hidden(f, "deeper/b", PROJ_WHY_GITIGNORE);
    assert_shared(f, "deeper/a");
    proj_filter_free(f);

    tt_rm_rf(tt_at(root, ".git"));
    f = open_root();
    ck_assert_ptr_null(proj_filter_git_top(f));
    assert_hidden(f, "x/b", PROJ_WHY_GITIGNORE);
    proj_filter_free(f);
}
END_TEST

static Suite *filter_suite(void)
{
    Suite *s = suite_create("proj_filter");
    TCase *tc = tcase_create("private");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_proj_filter__private_defaults);
    tcase_add_test(tc, test_proj_filter__negation_cannot_share_private);
    tcase_add_test(tc, test_proj_filter__share_private);
    tcase_add_test(tc, test_proj_filter__private_root);
    suite_add_tcase(s, tc);
    tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_proj_filter__vcs_and_policy);
    tcase_add_test(tc, test_proj_filter__weftignore);
    tcase_add_test(tc, test_proj_filter__below_hidden);
    tcase_add_test(tc, test_proj_filter__invalidate);
    tcase_add_test(tc, test_proj_filter__errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("closed");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_proj_filter__unreadable_fails_closed);
    tcase_add_test(tc, test_proj_filter__unreadable_global);
    tcase_add_test(tc, test_proj_filter__too_complex_fails_closed);
    tcase_add_test(tc, test_proj_filter__unreadable_directory);
    suite_add_tcase(s, tc);
    tc = tcase_create("git");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_proj_filter__worktree);
    tcase_add_test(tc, test_proj_filter__discovery);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(filter_suite());
}
