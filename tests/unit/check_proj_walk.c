/* Tests of app/project/walk.c and sniff.c: the paged walk lists exactly the shared entries,
 * in a stable order, in pages of any size, counts what it skips, never reads a hidden
 * directory, flags colliding names and policy files, keeps going past unreadable and
 * vanishing entries, and follows an invalidation mid-walk; on a random tree it agrees with
 * proj_filter_check() and proj_open() for every path. Then text/binary detection. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/project/filter.h"
#include "app/project/resolve.h"
#include "app/project/sniff.h"
#include "app/project/walk.h"
#include "tests/common/testutil.h"
#include "tests/common/treetest.h"

static char dir[512];
static char root[600];

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s", tt_mkdtemp("projwalk"));
    snprintf(root, sizeof root, "%s/root", dir);
    tt_mkdirs(dir, "root");
}

static void teardown(void)
{
    tt_rm_rf(dir);
}

static proj_filter *open_root(void)
{
    struct proj_filter_options opt = { 0 };
    proj_filter *f;
    ck_assert_int_eq(proj_filter_open(root, &opt, &f), 0);
    return f;
}

/* A walk's whole output: "path" per line ("path/" for directories, "!" after a colliding
 * name, "*" after a policy file, "~" after an unlisted directory). */
struct listing {
    char *text;
    size_t len, cap;
    size_t entries, pages;
};

static void add_line(struct listing *l, const struct proj_entry *e)
{
    size_t need = e->len + 8;
    if (l->len + need + 1 > l->cap) {
        l->cap = 2 * (l->len + need + 1);
        l->text = realloc(l->text, l->cap);
        ck_assert_ptr_nonnull(l->text);
    }
    memcpy(l->text + l->len, e->path, e->len);
    l->len += e->len;
    if (e->kind == PROJ_KIND_DIR)
        l->text[l->len++] = '/';
    if (e->flags & PROJ_ENTRY_COLLIDES)
        l->text[l->len++] = '!';
    if (e->flags & PROJ_ENTRY_POLICY)
        l->text[l->len++] = '*';
    if (e->flags & PROJ_ENTRY_UNLISTED)
        l->text[l->len++] = '~';
    l->text[l->len++] = '\n';
    l->text[l->len] = '\0';
}

/* Walks f in pages of `page` entries. */
static struct listing walk_all(proj_filter *f, size_t page, struct proj_walk_stats *st)
{
    struct listing l = { 0 };
    l.text = calloc(1, 1);
    proj_walk *w;
    ck_assert_int_eq(proj_walk_new(f, &w), 0);
    struct proj_entry *out = calloc(page, sizeof *out);
    ck_assert_ptr_nonnull(out);
    for (;;) {
        size_t n;
        ck_assert_int_eq(proj_walk_next(w, out, page, &n), 0);
        ck_assert_uint_le(n, page);
        if (n == 0)
            break;
        l.pages++;
        for (size_t i = 0; i < n; i++) {
            ck_assert_uint_eq(strlen(out[i].path), out[i].len);
            add_line(&l, &out[i]);
            l.entries++;
        }
    }
    size_t n;
    ck_assert_int_eq(proj_walk_next(w, out, page, &n), 0); /* done stays done */
    ck_assert_uint_eq(n, 0);
    if (st)
        proj_walk_stats(w, st);
    proj_walk_free(w);
    free(out);
    return l;
}

static void make_mixed_tree(void)
{
    tt_write(root, ".gitignore", "build/\n*.o\n", (size_t)-1);
    tt_write(root, ".weftignore", "notes.txt\n", (size_t)-1);
    tt_write(root, "README", "r\n", (size_t)-1);
    tt_write(root, "Makefile", "m\n", (size_t)-1);
    tt_write(root, "makefile", "m\n", (size_t)-1);
    tt_write(root, "src/main.c", "c\n", (size_t)-1);
    tt_write(root, "src/main.o", "o\n", (size_t)-1);
    tt_write(root, "src/caf\xc3\xa9", "nfc\n", (size_t)-1);
    tt_write(root, "src/cafe\xcc\x81", "nfd\n", (size_t)-1);
    tt_write(root, "src/lib/util.c", "u\n", (size_t)-1);
    tt_write(root, "src/.gitignore", "!keep.o\n", (size_t)-1);
    tt_write(root, "src/keep.o", "k\n", (size_t)-1);
    tt_write(root, "build/out/deep/x", "x\n", (size_t)-1);
    tt_mkdirs(root, "build/.gitignore"); /* broken, but hidden: never read */
    tt_write(root, "notes.txt", "n\n", (size_t)-1);
    tt_write(root, ".env", "SECRET=1\n", (size_t)-1);
    tt_write(root, "cfg/.ssh/id_rsa", "k\n", (size_t)-1);
    tt_write(root, ".git/config", "c\n", (size_t)-1);
    tt_write(root, "bad\nname", "x\n", (size_t)-1);
    tt_write(root, "back\\slash", "x\n", (size_t)-1);
    tt_write(root, "\xff\xfe", "x\n", (size_t)-1);
    tt_symlink(root, "link", "/etc");
    tt_symlink(root, "src/inner", "main.c");
    ck_assert_int_eq(mkfifo(tt_at(root, "fifo"), 0644), 0);
    tt_mkdirs(root, "empty");
}

static const char mixed_expected[] =
    ".gitignore*\n"
    "Makefile!\n"
    "README\n"
    "cfg/\n"
    "empty/\n"
    "makefile!\n"
    "src/\n"
    "src/.gitignore*\n"
    "src/cafe\xcc\x81!\n" /* NFD: 'e' sorts before the NFC form's 0xc3 */
    "src/caf\xc3\xa9!\n"
    "src/keep.o\n"
    "src/lib/\n"
    "src/lib/util.c\n"
    "src/main.c\n";

START_TEST(test_proj_walk__lists_exactly_the_shared)
{
    make_mixed_tree();
    proj_filter *f = open_root();
    struct proj_walk_stats st;
    struct listing l = walk_all(f, 1000, &st);
    ck_assert_msg(strcmp(l.text, mixed_expected) == 0, "listed:\n%s\nwant:\n%s", l.text,
                  mixed_expected);
    ck_assert_uint_eq(st.files, 10);
    ck_assert_uint_eq(st.dirs, 4);
    /* .weftignore, notes.txt, .env, cfg/.ssh, .git, build, src/main.o */
    ck_assert_uint_eq(st.hidden, 7);
    ck_assert_uint_eq(st.links, 2);
    ck_assert_uint_eq(st.special, 1);
    ck_assert_uint_eq(st.bad_names, 3);
    ck_assert_uint_eq(st.unlisted, 0);
    ck_assert(st.done);
    /* The hidden build/ was never opened: its broken .gitignore was not noticed. */
    for (size_t i = 0; i < proj_filter_notice_count(f); i++)
        ck_assert_msg(!strstr(proj_filter_notice(f, i), "build"), "read a hidden directory: %s",
                      proj_filter_notice(f, i));
    free(l.text);
    proj_filter_free(f);
}
END_TEST

START_TEST(test_proj_walk__pages)
{
    /* Any page size gives the same listing; the first page comes before the tree is read. */
    make_mixed_tree();
    for (int i = 0; i < 30; i++)
        for (int j = 0; j < 5; j++) {
            char p[64];
            snprintf(p, sizeof p, "many/d%02d/f%d", i, j);
            tt_write(root, p, "x", 1);
        }
    proj_filter *f = open_root();
    struct listing whole = walk_all(f, 100000, NULL);
    ck_assert_uint_eq(whole.pages, 1);
    static const size_t sizes[] = { 1, 2, 3, 7, 64 };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        struct listing l = walk_all(f, sizes[k], NULL);
        ck_assert_msg(strcmp(l.text, whole.text) == 0, "pages of %zu differ", sizes[k]);
        ck_assert_uint_eq(l.pages, (whole.entries + sizes[k] - 1) / sizes[k]);
        free(l.text);
    }
    /* After the first page, stats say what was seen so far, and not done. */
    proj_walk *w;
    ck_assert_int_eq(proj_walk_new(f, &w), 0);
    struct proj_entry e[5];
    size_t n;
    ck_assert_int_eq(proj_walk_next(w, e, 5, &n), 0);
    ck_assert_uint_eq(n, 5);
    struct proj_walk_stats st;
    proj_walk_stats(w, &st);
    ck_assert(!st.done);
    ck_assert_uint_eq(st.files + st.dirs, 5);
    proj_walk_free(w);
    free(whole.text);
    proj_filter_free(f);
}
END_TEST

START_TEST(test_proj_walk__metadata)
{
    tt_write(root, "a/file", "12345", 5);
    ck_assert_int_eq(chmod(tt_at(root, "a/file"), 0640), 0);
    proj_filter *f = open_root();
    proj_walk *w;
    ck_assert_int_eq(proj_walk_new(f, &w), 0);
    struct proj_entry e[4];
    size_t n;
    ck_assert_int_eq(proj_walk_next(w, e, 4, &n), 0);
    ck_assert_uint_eq(n, 2);
    struct stat st;
    ck_assert_int_eq(stat(tt_at(root, "a/file"), &st), 0);
    ck_assert_str_eq(e[0].path, "a");
    ck_assert_int_eq(e[0].kind, PROJ_KIND_DIR);
    ck_assert_str_eq(e[1].path, "a/file");
    ck_assert_int_eq(e[1].kind, PROJ_KIND_FILE);
    ck_assert_int_eq(e[1].size, 5);
    ck_assert_int_eq(e[1].mode & 07777, 0640);
    ck_assert(e[1].ino == st.st_ino && e[1].dev == st.st_dev);
    ck_assert_int_eq(e[1].mtime.tv_sec, st.st_mtim.tv_sec);
    proj_walk_free(w);
    proj_filter_free(f);
}
END_TEST

START_TEST(test_proj_walk__unlisted)
{
    /* A directory the host cannot read (as nobody, if we are root), and one whose entries
     * would be deeper than PROJ_DEPTH_MAX: listed, flagged, and the walk goes on. */
    tt_write(root, "locked/x", "x", 1);
    tt_write(root, "z/after", "x", 1);
    char deep[300] = "";
    for (int i = 0; i < 128; i++)
        strcat(deep, i ? "/d" : "d");
    tt_mkdirs(root, deep);
    char p[320];
    snprintf(p, sizeof p, "%s/too-deep", deep);
    tt_write(root, p, "x", 1);
    tt_drop_privileges(dir);
    ck_assert_int_eq(chmod(tt_at(root, "locked"), 0), 0);
    proj_filter *f = open_root();
    struct proj_walk_stats st;
    struct listing l = walk_all(f, 10, &st);
    ck_assert_msg(strstr(l.text, "\nlocked/~\n") != NULL, "%s", l.text);
    ck_assert_msg(strstr(l.text, "\nz/after\n") != NULL, "%s", l.text);
    char want[320];
    snprintf(want, sizeof want, "\n%s/~\n", deep);
    ck_assert_msg(strstr(l.text, want) != NULL, "the deepest directory is not flagged");
    ck_assert(strstr(l.text, "too-deep") == NULL);
    ck_assert_uint_eq(st.unlisted, 2);
    ck_assert_uint_eq(st.dirs, 128 + 2);
    free(l.text);
    proj_filter_free(f);
    ck_assert_int_eq(chmod(tt_at(root, "locked"), 0755), 0);
}
END_TEST

START_TEST(test_proj_walk__changes_during_walk)
{
    /* An entry deleted after its directory was read is skipped; a .gitignore added with an
     * invalidation hides what is not yet listed; a file turned into a directory is judged
     * as a directory. */
    tt_write(root, "a/1", "x", 1);
    tt_write(root, "a/2", "x", 1);
    tt_write(root, "a/3", "x", 1);
    tt_write(root, "b/keep", "x", 1);
    tt_write(root, "b/later/x", "x", 1);
    tt_write(root, "c", "x", 1);
    proj_filter *f = open_root();
    proj_walk *w;
    ck_assert_int_eq(proj_walk_new(f, &w), 0);
    struct proj_entry e[2];
    size_t n;
    ck_assert_int_eq(proj_walk_next(w, e, 2, &n), 0);
    ck_assert_str_eq(e[0].path, "a");
    ck_assert_str_eq(e[1].path, "a/1");
    ck_assert_int_eq(unlink(tt_at(root, "a/2")), 0);
    tt_write(root, ".gitignore", "later/\n", (size_t)-1);
    proj_filter_invalidate(f, "", 0);
    ck_assert_int_eq(unlink(tt_at(root, "c")), 0);
    tt_write(root, "c/inside", "x", 1);
    struct listing l = { .text = calloc(1, 1) };
    do {
        ck_assert_int_eq(proj_walk_next(w, e, 2, &n), 0);
        for (size_t i = 0; i < n; i++)
            add_line(&l, &e[i]);
    } while (n);
    ck_assert_str_eq(l.text, "a/3\nb/\nb/keep\nc/\nc/inside\n");
    free(l.text);
    proj_walk_free(w);
    proj_filter_free(f);
}
END_TEST

/* A random tree with random ignore files: the walk lists exactly the entries that
 * proj_filter_check() and proj_open() share, found by an independent recursive listing. */
static const char *const rnames[] = { "a", "b", "c", "d.o", "e.c", ".env", "k.key", "Makefile",
                                      "makefile", "x y", "build", "gen", "z" };
static const char *const rpatterns[] = { "*.o", "build/", "/gen", "!d.o", "a/", "!k.key",
                                         "**/z", "b/*", "!b/c", "*", "!*/", "!*.c", "e.c" };

static void random_tree(wt_rng *r, const char *rel, int depth)
{
    int n = 1 + (int)wt_rng_below(r, 5);
    for (int i = 0; i < n; i++) {
        char sub[512];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "",
                 rnames[wt_rng_below(r, sizeof rnames / sizeof rnames[0])]);
        struct stat st;
        if (lstat(tt_at(root, sub), &st) == 0)
            continue;
        if (depth < 4 && wt_rng_chance(r, 1, 2)) {
            tt_mkdirs(root, sub);
            if (wt_rng_chance(r, 1, 3)) {
                char ig[600], text[256] = "";
                for (int k = (int)wt_rng_below(r, 4); k > 0; k--) {
                    strcat(text, rpatterns[wt_rng_below(r, sizeof rpatterns / sizeof rpatterns[0])]);
                    strcat(text, "\n");
                }
                snprintf(ig, sizeof ig, "%s/%s", sub, wt_rng_chance(r, 1, 2) ? ".gitignore"
                                                                              : ".weftignore");
                tt_write(root, ig, text, (size_t)-1);
            }
            random_tree(r, sub, depth + 1);
        } else {
            tt_write(root, sub, "x", 1);
        }
    }
}

/* Every path below root (independently of the library), each with its shared verdict as
 * proj_filter_check() and proj_open() give it; appends the shared ones to l in walk order
 * (entries sorted by name: readdir order is not). */
static void expected_walk(proj_filter *f, const char *rel, struct listing *l)
{
    char d[1024];
    snprintf(d, sizeof d, "%s%s%s", root, *rel ? "/" : "", rel);
    struct paths { char *v[64]; size_t n; } p = { .n = 0 };
    DIR *dd = opendir(d);
    ck_assert_ptr_nonnull(dd);
    struct dirent *de;
    while ((de = readdir(dd)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
            ck_assert_uint_lt(p.n, 64);
            p.v[p.n++] = strdup(de->d_name);
        }
    closedir(dd);
    for (size_t i = 1; i < p.n; i++) /* byte order, as the walk's */
        for (size_t j = i; j > 0 && strcmp(p.v[j - 1], p.v[j]) > 0; j--) {
            char *t = p.v[j];
            p.v[j] = p.v[j - 1];
            p.v[j - 1] = t;
        }
    for (size_t i = 0; i < p.n; i++) {
        char sub[1024];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", p.v[i]);
        struct stat st;
        ck_assert_int_eq(lstat(tt_at(root, sub), &st), 0);
        bool is_dir = S_ISDIR(st.st_mode);
        bool shared = proj_filter_shared(f, sub, strlen(sub), is_dir ? PROJ_KIND_DIR
                                                                     : PROJ_KIND_FILE);
        int fd = proj_open(f, sub, strlen(sub), PROJ_WANT_ANY, NULL, NULL);
        ck_assert_msg((fd >= 0) == shared, "%s: the filter says %s, proj_open %d", sub,
                      shared ? "shared" : "hidden", fd);
        if (fd >= 0)
            close(fd);
        if (!shared)
            continue;
        struct proj_entry e = { .path = sub, .len = strlen(sub),
                                .kind = is_dir ? PROJ_KIND_DIR : PROJ_KIND_FILE,
                                .flags = proj_filter_is_policy_name(p.v[i], strlen(p.v[i]))
                                             ? PROJ_ENTRY_POLICY : 0 };
        if (strcmp(p.v[i], "Makefile") == 0 || strcmp(p.v[i], "makefile") == 0) {
            char other[1024];
            snprintf(other, sizeof other, "%s%s%s", rel, *rel ? "/" : "",
                     p.v[i][0] == 'M' ? "makefile" : "Makefile");
            struct stat ost;
            if (lstat(tt_at(root, other), &ost) == 0
                && proj_filter_shared(f, other, strlen(other),
                                      S_ISDIR(ost.st_mode) ? PROJ_KIND_DIR : PROJ_KIND_FILE))
                e.flags |= PROJ_ENTRY_COLLIDES;
        }
        add_line(l, &e);
        if (is_dir)
            expected_walk(f, sub, l);
    }
    for (size_t i = 0; i < p.n; i++)
        free(p.v[i]);
}

START_TEST(test_proj_walk__random_agrees_with_filter)
{
    uint64_t seed = wt_seed("check_proj_walk random");
    wt_rng r;
    wt_rng_init(&r, seed);
    long rounds = wt_scaled(40);
    for (long k = 0; k < rounds; k++) {
        tt_rm_rf(root);
        tt_mkdirs(dir, "root");
        random_tree(&r, "", 0);
        proj_filter *f = open_root();
        struct listing got = walk_all(f, 1 + wt_rng_below(&r, 20), NULL);
        struct listing want = { .text = calloc(1, 1) };
        expected_walk(f, "", &want);
        ck_assert_msg(strcmp(got.text, want.text) == 0, "walk:\n%s\nwant:\n%s", got.text,
                      want.text);
        free(got.text);
        free(want.text);
        proj_filter_free(f);
    }
}
END_TEST

/* --- sniff ---------------------------------------------------------------------------- */

START_TEST(test_proj_walk__sniff)
{
    ck_assert_int_eq(proj_sniff("", 0, true), PROJ_CONTENT_TEXT);
    ck_assert_int_eq(proj_sniff("hello\n", 6, true), PROJ_CONTENT_TEXT);
    ck_assert_int_eq(proj_sniff("caf\xc3\xa9 \xf0\x9f\x98\x80", 10, true), PROJ_CONTENT_TEXT);
    ck_assert_int_eq(proj_sniff("a\0b", 3, true), PROJ_CONTENT_BINARY_NUL);
    ck_assert_int_eq(proj_sniff("caf\xe9", 4, true), PROJ_CONTENT_BINARY_UTF8); /* Latin-1 */
    ck_assert_int_eq(proj_sniff("\xc0\xaf", 2, true), PROJ_CONTENT_BINARY_UTF8);
    ck_assert_int_eq(proj_sniff("\xed\xa0\x80", 3, true), PROJ_CONTENT_BINARY_UTF8);
    ck_assert_int_eq(proj_sniff("\xff\xfe" "a\0", 4, true), PROJ_CONTENT_BINARY_NUL); /* UTF-16 */
    /* A sequence cut by the end: text if the file goes on, binary if that is the end. */
    ck_assert_int_eq(proj_sniff("ab\xe2\x82", 4, false), PROJ_CONTENT_TEXT);
    ck_assert_int_eq(proj_sniff("ab\xe2\x82", 4, true), PROJ_CONTENT_BINARY_UTF8);
    ck_assert_int_eq(proj_sniff("ab\xe2\x28", 4, false), PROJ_CONTENT_BINARY_UTF8);
    /* Only the first PROJ_SNIFF_BYTES count. */
    char *buf = malloc(PROJ_SNIFF_BYTES + 10);
    ck_assert_ptr_nonnull(buf);
    memset(buf, 'a', PROJ_SNIFF_BYTES + 10);
    buf[PROJ_SNIFF_BYTES] = '\0';
    ck_assert_int_eq(proj_sniff(buf, PROJ_SNIFF_BYTES + 10, true), PROJ_CONTENT_TEXT);
    buf[PROJ_SNIFF_BYTES - 1] = '\0';
    ck_assert_int_eq(proj_sniff(buf, PROJ_SNIFF_BYTES + 10, true), PROJ_CONTENT_BINARY_NUL);
    free(buf);
}
END_TEST

/* Names that say text without reading the file: a known extension after a dot that is not
 * the name's first character. */
START_TEST(test_proj_walk__sniff_name)
{
    static const char *const text[] = { "a.c", "src/net/host.h", "x.tar.md", "d.v2/f.py",
                                        "entry.S", "b.json", "c.yaml" };
    static const char *const other[] = { "a.png", "a.C.gz", "Makefile", ".bashrc", "src/.c",
                                         "a.", "a.c/", "dir.c/file", "a.cc.o", "", ".",
                                         "a.verylongextension", "noext" };
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        ck_assert_msg(proj_sniff_name_is_text(text[i], strlen(text[i])), "%s", text[i]);
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
        ck_assert_msg(!proj_sniff_name_is_text(other[i], strlen(other[i])), "%s", other[i]);
    /* Only the bytes given count: "a.cpp" cut to "a.c" is text, "a.c" cut to "a." is not. */
    ck_assert(proj_sniff_name_is_text("a.cpp", 3));
    ck_assert(!proj_sniff_name_is_text("a.c", 2));
}
END_TEST

START_TEST(test_proj_walk__sniff_fd)
{
    /* A multibyte character across the window's end of a long valid file is text; the same
     * bytes as the whole file, cut, are not. */
    size_t n = 20000;
    char *buf = malloc(n);
    ck_assert_ptr_nonnull(buf);
    memset(buf, 'x', n);
    memcpy(buf + PROJ_SNIFF_BYTES - 1, "\xe2\x82\xac", 3);
    tt_write(root, "long", buf, n);
    tt_write(root, "cut", buf, PROJ_SNIFF_BYTES); /* the whole file, ending in a cut "€" */
    tt_write(root, "bin", "\x7f" "ELF\0\0", 6);
    free(buf);
    static const struct {
        const char *name;
        enum proj_content want;
    } cases[] = { { "long", PROJ_CONTENT_TEXT }, { "cut", PROJ_CONTENT_BINARY_UTF8 },
                  { "bin", PROJ_CONTENT_BINARY_NUL } };
    for (size_t i = 0; i < 3; i++) {
        int fd = open(tt_at(root, cases[i].name), O_RDONLY);
        ck_assert_int_ge(fd, 0);
        enum proj_content c;
        ck_assert_int_eq(proj_sniff_fd(fd, &c), 0);
        ck_assert_msg(c == cases[i].want, "%s: %d", cases[i].name, (int)c);
        ck_assert_int_eq(lseek(fd, 0, SEEK_CUR), 0); /* pread: the offset did not move */
        close(fd);
    }
    ck_assert_int_eq(proj_sniff_fd(-1, &(enum proj_content){ 0 }), -EBADF);
}
END_TEST

static Suite *walk_suite(void)
{
    Suite *s = suite_create("proj_walk");
    TCase *tc = tcase_create("walk");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_proj_walk__lists_exactly_the_shared);
    tcase_add_test(tc, test_proj_walk__pages);
    tcase_add_test(tc, test_proj_walk__metadata);
    tcase_add_test(tc, test_proj_walk__unlisted);
    tcase_add_test(tc, test_proj_walk__changes_during_walk);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_proj_walk__random_agrees_with_filter);
    suite_add_tcase(s, tc);
    tc = tcase_create("sniff");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_proj_walk__sniff);
    tcase_add_test(tc, test_proj_walk__sniff_name);
    tcase_add_test(tc, test_proj_walk__sniff_fd);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(walk_suite());
}
