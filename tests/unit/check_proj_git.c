/* The filter against git itself: trees with ignore files are built in a `git init`ed
 * temporary repository, `git check-ignore --no-index -v -n -z --stdin` is asked about every
 * path in them, and the filter's verdict, and the file, line and pattern that decided it,
 * must be git's for every path.
 *
 * Hand-written cases cover each rule of gitignore(5) (its own examples among them); a
 * random generator (seeded: WEFT_SEED replays a run) then builds hundreds of trees with
 * nested .gitignore files, info/exclude and a global excludes file full of negations,
 * anchors, `**`, classes, escapes, trailing spaces and CRLF lines. Names avoid the private
 * defaults and the VCS names, which git does not know.
 *
 * git must be installed (scripts/setup installs it): without it these tests fail and say
 * so, rather than pass without comparing anything. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/project/filter.h"
#include "tests/common/testutil.h"
#include "tests/common/treetest.h"

/* One temporary world: a home, an XDG config directory, and a repository. */
struct world {
    char base[512], home[600], xdg[600], repo[600];
    char *files[64]; /* what was written, for failure messages: "path:\n<content>" */
    size_t nfiles;
};

static void require_git(void)
{
    ck_assert_msg(tt_have_git(),
                  "git is not installed, and this test compares the filter with git: "
                  "install it (apt-get install git; scripts/setup does)");
}

static void world_new(struct world *w)
{
    memset(w, 0, sizeof *w);
    snprintf(w->base, sizeof w->base, "%s", tt_mkdtemp("projgit"));
    snprintf(w->home, sizeof w->home, "%s/home", w->base);
    snprintf(w->xdg, sizeof w->xdg, "%s/xdg", w->base);
    snprintf(w->repo, sizeof w->repo, "%s/repo", w->base);
    tt_mkdirs(w->base, "home");
    tt_mkdirs(w->base, "xdg");
    /* git sees the same configuration as the filter, and none of the machine's. */
    setenv("HOME", w->home, 1);
    setenv("XDG_CONFIG_HOME", w->xdg, 1);
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    setenv("GIT_CEILING_DIRECTORIES", w->base, 1);
    unsetenv("GIT_DIR");
    unsetenv("GIT_WORK_TREE");
    unsetenv("GIT_INDEX_FILE");
    char *argv[] = { "git", "init", "-q", w->repo, NULL };
    size_t n;
    int status;
    free(tt_run(argv, NULL, &n, &status));
    ck_assert_msg(status == 0, "git init %s failed (%d)", w->repo, status);
}

static void world_free(struct world *w)
{
    for (size_t i = 0; i < w->nfiles; i++)
        free(w->files[i]);
    tt_rm_rf(w->base);
}

/* Writes an ignore or config file (rel is below base: "repo/.gitignore", "xdg/git/ignore")
 * and remembers it for messages. */
static void put(struct world *w, const char *rel, const char *content)
{
    tt_write(w->base, rel, content, (size_t)-1);
    if (w->nfiles < sizeof w->files / sizeof w->files[0]) {
        size_t len = strlen(rel) + strlen(content) + 8;
        char *s = malloc(len + 4 * strlen(content));
        ck_assert_ptr_nonnull(s);
        snprintf(s, len, "%s:\n", rel);
        strcat(s, wt_esc(content, strlen(content)));
        w->files[w->nfiles++] = s;
    }
}

/* --- listing every path --------------------------------------------------------------- */

struct paths {
    char **v;
    size_t n, cap;
};

static void add_path(struct paths *p, const char *s)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 64;
        p->v = realloc(p->v, p->cap * sizeof *p->v);
        ck_assert_ptr_nonnull(p->v);
    }
    p->v[p->n] = strdup(s);
    ck_assert_ptr_nonnull(p->v[p->n]);
    p->n++;
}

/* Every path below top/rel (rel "" for top), except the repository's .git. */
static void list_tree(const char *top, const char *rel, struct paths *p)
{
    char dir[8192];
    snprintf(dir, sizeof dir, "%s%s%s", top, *rel ? "/" : "", rel);
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "opendir %s: %s", dir, strerror(errno));
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0
            || (!*rel && strcmp(de->d_name, ".git") == 0))
            continue;
        char sub[8192];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
        add_path(p, sub);
        struct stat st;
        char abs[16384];
        snprintf(abs, sizeof abs, "%s/%s", top, sub);
        if (lstat(abs, &st) == 0 && S_ISDIR(st.st_mode))
            list_tree(top, sub, p);
    }
    closedir(d);
}

static void free_paths(struct paths *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i]);
    free(p->v);
    memset(p, 0, sizeof *p);
}

/* --- asking git ---------------------------------------------------------------------- */

struct answer {
    char *source;  /* "" when no pattern matched */
    unsigned line;
    char *pattern;
};

/* git's answers for paths p (relative to `top`, a directory of the repository: git runs
 * there). */
static struct answer *ask_git(struct world *w, const char *top, const struct paths *p)
{
    char in[700];
    snprintf(in, sizeof in, "%s/paths", w->base);
    FILE *f = fopen(in, "wb");
    ck_assert_ptr_nonnull(f);
    for (size_t i = 0; i < p->n; i++)
        fwrite(p->v[i], 1, strlen(p->v[i]) + 1, f);
    fclose(f);
    char *argv[] = { "git", "-C", (char *)top, "check-ignore", "--no-index", "-v", "-n", "-z",
                     "--stdin", NULL };
    size_t n;
    int status;
    char *out = tt_run(argv, in, &n, &status);
    ck_assert_msg(status == 0 || status == 1, "git check-ignore failed (%d)", status);
    struct answer *a = calloc(p->n ? p->n : 1, sizeof *a);
    ck_assert_ptr_nonnull(a);
    size_t o = 0;
    for (size_t i = 0; i < p->n; i++) {
        const char *field[4];
        for (int k = 0; k < 4; k++) {
            ck_assert_msg(o < n, "git check-ignore said too little for %s", p->v[i]);
            field[k] = out + o;
            o += strlen(out + o) + 1;
        }
        ck_assert_msg(strcmp(field[3], p->v[i]) == 0, "git answered for %s, asked %s", field[3],
                      p->v[i]);
        a[i].source = strdup(field[0]);
        a[i].line = (unsigned)strtoul(field[1], NULL, 10);
        a[i].pattern = strdup(field[2]);
    }
    free(out);
    return a;
}

static void free_answers(struct answer *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(a[i].source);
        free(a[i].pattern);
    }
    free(a);
}

/* Does the filter's source name git's? git names .gitignore files and info/exclude
 * relatively ("a/.gitignore", ".git/info/exclude"), the filter absolutely for the latter. */
static int same_source(const char *git, const char *mine)
{
    size_t lg = strlen(git), lm = strlen(mine);
    if (lg == lm)
        return strcmp(git, mine) == 0;
    if (lm > lg)
        return strcmp(mine + lm - lg, git) == 0 && mine[lm - lg - 1] == '/';
    return 0;
}

static void fail_world(const struct world *w, const char *what, const char *path)
{
    char msg[16384] = "";
    size_t o = 0;
    for (size_t i = 0; i < w->nfiles && o < sizeof msg - 200; i++)
        o += (size_t)snprintf(msg + o, sizeof msg - o, "--- %s\n", w->files[i]);
    ck_abort_msg("%s: %s\nignore files:\n%s", wt_esc(path, strlen(path)), what, msg);
}

/* Does git ignore the directory below[0..n) (ending in '/') or one above it? Then git hides
 * everything in it, while the filter never tests its own root or what is above it (the host
 * chose it: filter.h, rule 6). */
static bool root_ignored(struct world *w, const char *below)
{
    struct paths p = { 0 };
    char s[4200];
    snprintf(s, sizeof s, "%s", below);
    for (char *slash = strchr(s, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        add_path(&p, s);
        *slash = '/';
    }
    struct answer *a = ask_git(w, w->repo, &p);
    bool ignored = false;
    for (size_t i = 0; i < p.n; i++)
        ignored = ignored || (a[i].pattern[0] && a[i].pattern[0] != '!');
    free_answers(a, p.n);
    free_paths(&p);
    return ignored;
}

/* Compares the filter opened on root (the repository's top, or a directory below it: then
 * `below` is its path from the top, with a '/') with git for every path under root. */
static size_t compare(struct world *w, const char *below)
{
    char root[8192];
    snprintf(root, sizeof root, "%s/%s", w->repo, below);
    struct paths p = { 0 };
    list_tree(root, "", &p);
    struct paths g = { 0 }; /* the same paths, from the top */
    for (size_t i = 0; i < p.n; i++) {
        char s[8192];
        snprintf(s, sizeof s, "%s%s", below, p.v[i]);
        add_path(&g, s);
    }
    struct answer *a = ask_git(w, w->repo, &g);
    struct proj_filter_options opt = { .home = w->home, .xdg_config_home = w->xdg };
    proj_filter *f;
    ck_assert_int_eq(proj_filter_open(root, &opt, &f), 0);
    for (size_t i = 0; i < p.n; i++) {
        struct stat st;
        ck_assert_int_eq(lstat(tt_at(root, p.v[i]), &st), 0);
        struct proj_verdict v;
        ck_assert_int_eq(proj_filter_check(f, p.v[i], strlen(p.v[i]),
                                           S_ISDIR(st.st_mode) ? PROJ_KIND_DIR : PROJ_KIND_FILE,
                                           &v),
                         0);
        bool git_ignored = a[i].pattern[0] && a[i].pattern[0] != '!';
        char what[4096];
        snprintf(what, sizeof what,
                 "git says %s (%s:%u: %s), the filter says %s (%s:%u: %s, why %d)",
                 git_ignored ? "ignored" : "not ignored", a[i].source, a[i].line,
                 a[i].pattern, v.shared ? "shared" : "hidden", v.source ? v.source : "",
                 v.line, v.pattern ? v.pattern : "", (int)v.why);
        if (git_ignored == v.shared)
            fail_world(w, what, g.v[i]);
        if (a[i].pattern[0]) {
            if (!v.pattern || strcmp(v.pattern, a[i].pattern) != 0 || v.line != a[i].line
                || !v.source || !same_source(a[i].source, v.source))
                fail_world(w, what, g.v[i]);
        } else if (v.pattern) {
            fail_world(w, what, g.v[i]);
        }
    }
    proj_filter_free(f);
    free_answers(a, g.n);
    size_t n = p.n;
    free_paths(&p);
    free_paths(&g);
    return n;
}

/* Creates each entry of a NULL-terminated list below the repository ("dir/" a directory). */
static void make(struct world *w, const char *const *entries)
{
    for (; *entries; entries++) {
        size_t n = strlen(*entries);
        if ((*entries)[n - 1] == '/')
            tt_mkdirs(w->repo, *entries);
        else
            tt_write(w->repo, *entries, "x\n", (size_t)-1);
    }
}

/* --- hand-written cases ---------------------------------------------------------------- */

START_TEST(test_proj_git__manual_examples)
{
    /* gitignore(5)'s examples. */
    require_git();
    struct world w;
    world_new(&w);
    static const char *const tree[] = {
        "Documentation/foo.html", "Documentation/gitignore.html", "file.o", "lib.a",
        "src/internal.o", "hello.txt", "a/hello.java", "doc/frotz/x", "a/doc/frotz/y",
        "foo/bar/hello.c", "foo/test.json", "foo/baz/q", "arch/foo/kernel/vmlinux.lds.S",
        "vmlinux.x", "other/z", NULL
    };
    make(&w, tree);
    put(&w, "repo/.git/info/exclude", "# ignore objects and archives, anywhere in the tree.\n*.[oa]\n");
    put(&w, "repo/Documentation/.gitignore", "# ignore generated html files,\n*.html\n"
                                             "# except foo.html which is maintained by hand\n"
                                             "!foo.html\n");
    put(&w, "repo/.gitignore", "/hello.*\ndoc/frotz/\nvmlinux*\nfoo/*\n");
    put(&w, "repo/arch/foo/kernel/.gitignore", "!/vmlinux*\n");
    compare(&w, "");
    world_free(&w);
}
END_TEST

START_TEST(test_proj_git__manual_only_foo_bar)
{
    /* "exclude everything except directory foo/bar", and a file below an excluded
     * directory that a negation cannot bring back. */
    require_git();
    struct world w;
    world_new(&w);
    static const char *const tree[] = { "foo/bar/keep.c", "foo/other/x", "foo/top.c", "baz/y",
                                        "build/keep", "build/sub/keep", "z", NULL };
    make(&w, tree);
    put(&w, "repo/.gitignore", "/*\n!/foo\n/foo/*\n!/foo/bar\n!/build\nbuild/\n!build/keep\n"
                               "!keep\n");
    compare(&w, "");
    world_free(&w);
}
END_TEST

START_TEST(test_proj_git__manual_star_star)
{
    require_git();
    struct world w;
    world_new(&w);
    static const char *const tree[] = {
        "a/b", "a/x/b", "a/x/y/b", "abc/d/e", "abc/f", "q/foo", "r/s/foo", "foo/bar",
        "t/foo/bar", "u/foox/y/bar", "v/w", "lib/x/y/z.c", "lib/z.c", "m/**/n", "x/y", "x/a/b/y",
        NULL
    };
    make(&w, tree);
    /* Leading, trailing and middle "**", a "**" that is not a whole segment, "foo**" whose
     * literal prefix git cuts before the glob (so its "**" becomes a segment). */
    put(&w, "repo/.gitignore", "**/foo\nabc/**\na/**/b\nu/foo**/bar\nv**\nlib/**/*.c\n"
                               "!lib/z.c\nm/\\**/n\nx/**/**/y\n");
    compare(&w, "");
    world_free(&w);
}
END_TEST

START_TEST(test_proj_git__manual_classes_escapes_spaces)
{
    require_git();
    struct world w;
    world_new(&w);
    static const char *const tree[] = {
        "ax", "bx", "dx", "ay", "by", "]z", "az", "1d", "xd", "#hash", "!bang", "trail ",
        "trail", "sp", "sp  x", "star*", "starx", "q?", "qa", "[br]", "b", "-m", "cm", "em",
        "crlf", "crlf.keep", "Upper", "upper", "k\xc3\xa9", "tab ", NULL
    };
    make(&w, tree);
    put(&w, "repo/.gitignore",
        "[a-c]x\n[!a]y\n[]]z\n[[:digit:]]d\n\\#hash\n\\!bang\ntrail\\ \nsp  \n"
        "star\\*\nq\\?\n\\[br]\n[-]m\n[c-]m\n[[:bogus:]]\n[unclosed\ncrlf\r\n!crlf.keep\r\n"
        "[[:upper:]]pper\nk?\xa9\ntab[[:space:]]\n#comment\n\n   \n");
    compare(&w, "");
    world_free(&w);
}
END_TEST

START_TEST(test_proj_git__manual_dirs_and_nesting)
{
    /* Directory-only patterns, anchoring in nested files, deeper files overriding. */
    require_git();
    struct world w;
    world_new(&w);
    static const char *const tree[] = {
        "out/x", "src/out", "src/out2/y", "src/gen/a.c", "src/gen/b.c", "src/lib/gen/c.c",
        "src/deep/er/k.tmp", "src/deep/er/keep.tmp", "top.tmp", "src/top.tmp", "d/e/f/g",
        NULL
    };
    make(&w, tree);
    put(&w, "repo/.gitignore", "out/\n*.tmp\n/d/e\n");
    put(&w, "repo/src/.gitignore", "gen/\n/out2\n!top.tmp\n");
    put(&w, "repo/src/deep/er/.gitignore", "!keep.tmp\n");
    put(&w, "repo/src/lib/.gitignore", "!gen/\n");
    compare(&w, "");
    world_free(&w);
}
END_TEST

START_TEST(test_proj_git__manual_global_and_info)
{
    /* core.excludesFile from ~/.gitconfig ("~/" expanded), info/exclude above it, the
     * repository's .gitignore files above both. */
    require_git();
    struct world w;
    world_new(&w);
    static const char *const tree[] = { "a.log", "b.log", "c.bak", "d.swp", "keep.log", NULL };
    make(&w, tree);
    put(&w, "home/.gitconfig", "[user]\n\tname = x\n[core]\n\texcludesFile = \"~/global ignore\" ; c\n");
    put(&w, "home/global ignore", "*.log\n*.bak\n*.swp\n");
    put(&w, "xdg/git/ignore", "a.log\n"); /* not read: core.excludesFile says otherwise */
    put(&w, "repo/.git/info/exclude", "!b.log\n");
    put(&w, "repo/.gitignore", "!keep.log\n");
    compare(&w, "");
    world_free(&w);
}
END_TEST

START_TEST(test_proj_git__manual_root_below_top)
{
    /* The shared root is a directory inside the repository: the .gitignore files above it
     * apply, anchored where they are, and info/exclude too. */
    require_git();
    struct world w;
    world_new(&w);
    static const char *const tree[] = { "proj/sub/x.o", "proj/sub/y.c", "proj/sub/gen/z",
                                        "proj/sub/k/gen", "proj/sub/a.tmp", NULL };
    make(&w, tree);
    put(&w, "repo/.gitignore", "*.o\nproj/sub/gen/\n");
    put(&w, "repo/proj/.gitignore", "/sub/a.tmp\n");
    put(&w, "repo/.git/info/exclude", "y.c\n");
    compare(&w, "proj/sub/");
    world_free(&w);
}
END_TEST

/* --- the random generator --------------------------------------------------------------- */

static const char *const names[] = {
    "a", "b", "c", "ab", "ba", "a.o", "b.o", "x.txt", "foo", "Foo", "d.d", "x y", "#h", "!n",
    "a*", "q?", "[a]", "-", "k\xc3\xa9", "sp ", "aa", "abc", "o", "bar",
};
#define NNAMES (sizeof names / sizeof names[0])

static const char *const pieces[] = {
    "*", "?", "**", "[abc]", "[a-c]", "[!a]", "[^b]", "[]a]", "[[:alpha:]]", "\\*", "\\?",
    "a*", "*o", "*.o", "\\#h", "\\!n", "x\\ y", "[a-", "*a*", "b?", "[[:lower:]]*", "**a",
    "[\\]]", "\\", "\\a", "a\\b", "[!]]", "*/", "**/*",
};
#define NPIECES (sizeof pieces / sizeof pieces[0])

/* A random tree below the repository: up to depth 3, 1-4 entries per directory. Adds the
 * directories it made to dirs. */
static void random_tree(wt_rng *r, struct world *w, const char *rel, int depth, struct paths *dirs)
{
    int n = 1 + (int)wt_rng_below(r, 4);
    for (int i = 0; i < n; i++) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", names[wt_rng_below(r, NNAMES)]);
        struct stat st;
        if (lstat(tt_at(w->repo, sub), &st) == 0)
            continue;
        if (depth < 3 && wt_rng_chance(r, 1, 2)) {
            tt_mkdirs(w->repo, sub);
            add_path(dirs, sub);
            random_tree(r, w, sub, depth + 1, dirs);
        } else {
            tt_write(w->repo, sub, "x\n", (size_t)-1);
        }
    }
}

/* One random pattern line (no line end) into buf. */
static void random_pattern(wt_rng *r, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
#define PUT(s) (o += (size_t)snprintf(buf + o, o < cap ? cap - o : 0, "%s", (s)))
    if (wt_rng_chance(r, 1, 4))
        PUT("!");
    if (wt_rng_chance(r, 1, 5))
        PUT("/");
    int segs = 1 + (int)wt_rng_below(r, 3);
    for (int s = 0; s < segs; s++) {
        if (s)
            PUT("/");
        if (wt_rng_chance(r, 1, 2))
            PUT(names[wt_rng_below(r, NNAMES)]);
        else
            PUT(pieces[wt_rng_below(r, NPIECES)]);
        if (wt_rng_chance(r, 1, 6))
            PUT(pieces[wt_rng_below(r, NPIECES)]);
    }
    if (wt_rng_chance(r, 1, 5))
        PUT("/");
    switch (wt_rng_below(r, 8)) {
    case 0: PUT("  "); break;
    case 1: PUT("\\ "); break;
    case 2: PUT(" \\ "); break;
    default: break;
    }
#undef PUT
    if (o >= cap)
        buf[cap - 1] = '\0';
}

/* A random ignore file's content: 0-7 lines, some comments and blanks, LF or CRLF. */
static void random_ignore(wt_rng *r, char *buf, size_t cap)
{
    size_t o = 0;
    int lines = (int)wt_rng_below(r, 8);
    const char *eol = wt_rng_chance(r, 1, 4) ? "\r\n" : "\n";
    buf[0] = '\0';
    for (int i = 0; i < lines && o + 600 < cap; i++) {
        char line[512];
        if (wt_rng_chance(r, 1, 10))
            snprintf(line, sizeof line, "# comment");
        else if (wt_rng_chance(r, 1, 12))
            line[0] = '\0';
        else
            random_pattern(r, line, sizeof line);
        o += (size_t)snprintf(buf + o, cap - o, "%s%s", line, eol);
    }
    if (o && wt_rng_chance(r, 1, 5)) /* no final newline (for CRLF: perhaps a final '\r') */
        buf[o - (eol[1] && wt_rng_chance(r, 1, 2) ? 2 : 1)] = '\0';
}

START_TEST(test_proj_git__random)
{
    require_git();
    uint64_t seed = wt_seed("check_proj_git random");
    wt_rng r;
    wt_rng_init(&r, seed);
    long rounds = wt_scaled(120);
    size_t combos = 0;
    for (long round = 0; round < rounds; round++) {
        struct world w;
        world_new(&w);
        struct paths dirs = { 0 };
        add_path(&dirs, "");
        random_tree(&r, &w, "", 0, &dirs);
        size_t patterns = 0;
        for (size_t i = 0; i < dirs.n; i++) {
            if (i && !wt_rng_chance(&r, 1, 2))
                continue;
            char buf[8192], rel[4200];
            random_ignore(&r, buf, sizeof buf);
            snprintf(rel, sizeof rel, "repo/%s%s.gitignore", dirs.v[i], *dirs.v[i] ? "/" : "");
            put(&w, rel, buf);
            for (const char *p = buf; *p; p++)
                patterns += *p == '\n';
        }
        if (wt_rng_chance(&r, 1, 2)) {
            char buf[8192];
            random_ignore(&r, buf, sizeof buf);
            put(&w, "repo/.git/info/exclude", buf);
        }
        if (wt_rng_chance(&r, 1, 2)) {
            char buf[8192];
            random_ignore(&r, buf, sizeof buf);
            put(&w, "xdg/git/ignore", buf);
        }
        /* Now and then the shared root is a directory below the top, so that the .gitignore
         * files above it and info/exclude apply through the prefix. */
        size_t pick = dirs.n > 1 && wt_rng_chance(&r, 1, 3) ? 1 + wt_rng_below(&r, (uint32_t)(dirs.n - 1)) : 0;
        char below[4200] = "";
        if (pick)
            snprintf(below, sizeof below, "%s/", dirs.v[pick]);
        if (pick && root_ignored(&w, below))
            below[0] = '\0';
        size_t n = compare(&w, below);
        combos += n * (patterns + 1);
        free_paths(&dirs);
        world_free(&w);
    }
    fprintf(stderr, "check_proj_git random: %ld trees, about %zu pattern x path pairs\n", rounds,
            combos);
}
END_TEST

static Suite *git_suite(void)
{
    Suite *s = suite_create("proj_git");
    TCase *tc = tcase_create("manual");
    tcase_add_test(tc, test_proj_git__manual_examples);
    tcase_add_test(tc, test_proj_git__manual_only_foo_bar);
    tcase_add_test(tc, test_proj_git__manual_star_star);
    tcase_add_test(tc, test_proj_git__manual_classes_escapes_spaces);
    tcase_add_test(tc, test_proj_git__manual_dirs_and_nesting);
    tcase_add_test(tc, test_proj_git__manual_global_and_info);
    tcase_add_test(tc, test_proj_git__manual_root_below_top);
    suite_add_tcase(s, tc);
    tc = tcase_create("random");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_proj_git__random);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(git_suite());
}
