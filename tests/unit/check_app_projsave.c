/* A project file's atomic save (app/cmd/projsave.c): the bytes of every chunk replace the
 * file by a rename in the resolved directory, the mode is kept, nothing is left behind; a
 * failed rename leaves the old file and no temporary; a symbolic link at the name is
 * replaced, never written through. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/cmd/projsave.h"
#include "tests/common/tmpdir.h"

static char *dir;
static int dirfd_;

static void setup(void)
{
    dir = wt_tmpdir_new("projsave");
    dirfd_ = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ck_assert_int_ge(dirfd_, 0);
}

static void teardown(void)
{
    close(dirfd_);
    wt_tmpdir_free(dir);
}

/* The chunks: a NULL-terminated array of strings. */
static bool next(void *ctx, const char **p, size_t *n)
{
    const char ***at = ctx;
    if (!**at)
        return false;
    *p = **at;
    *n = strlen(**at);
    (*at)++;
    return true;
}

static char *slurp(const char *rel)
{
    char *path = wt_tmpdir_path(dir, rel);
    FILE *f = fopen(path, "rb");
    free(path);
    ck_assert_ptr_nonnull(f);
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Entries in the directory besides . and .. */
static int entries(void)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

START_TEST(test_projsave__replaces_keeps_mode_leaves_nothing)
{
    wt_tmpdir_puts(dir, "a.txt", "old text\n");
    char *path = wt_tmpdir_path(dir, "a.txt");
    ck_assert_int_eq(chmod(path, 0640), 0);
    struct stat before, after;
    ck_assert_int_eq(stat(path, &before), 0);
    const char *chunks[] = {"new ", "text ", "in three\n", NULL}, **at = chunks;
    enum file_step step = FILE_STEP_RESOLVE;
    ck_assert_int_eq(projsave_write(dirfd_, "a.txt", before.st_mode, next, &at, &step), 0);
    ck_assert_str_eq(slurp("a.txt"), "new text in three\n");
    ck_assert_int_eq(stat(path, &after), 0);
    ck_assert_uint_eq(after.st_mode & 07777, 0640);
    ck_assert(after.st_ino != before.st_ino); /* a rename, not a rewrite in place */
    ck_assert_int_eq(entries(), 1);
    free(path);
}
END_TEST

START_TEST(test_projsave__failed_rename_keeps_old_file)
{
    wt_tmpdir_puts(dir, "sub/keep.txt", "kept\n");
    const char *chunks[] = {"never\n", NULL}, **at = chunks;
    enum file_step step = FILE_STEP_RESOLVE;
    /* A directory at the name: the rename cannot replace it. */
    int e = projsave_write(dirfd_, "sub", 0644, next, &at, &step);
    ck_assert_int_lt(e, 0);
    ck_assert_int_eq(step, FILE_STEP_RENAME);
    ck_assert_str_eq(slurp("sub/keep.txt"), "kept\n");
    ck_assert_int_eq(entries(), 1);
}
END_TEST

START_TEST(test_projsave__a_link_is_replaced_not_followed)
{
    wt_tmpdir_puts(dir, "outside.txt", "outside\n");
    ck_assert_int_eq(symlinkat("outside.txt", dirfd_, "link"), 0);
    const char *chunks[] = {"saved\n", NULL}, **at = chunks;
    ck_assert_int_eq(projsave_write(dirfd_, "link", 0644, next, &at, NULL), 0);
    ck_assert_str_eq(slurp("outside.txt"), "outside\n");
    struct stat st;
    ck_assert_int_eq(fstatat(dirfd_, "link", &st, AT_SYMLINK_NOFOLLOW), 0);
    ck_assert(S_ISREG(st.st_mode));
    ck_assert_str_eq(slurp("link"), "saved\n");
}
END_TEST

START_TEST(test_projsave__empty_text)
{
    wt_tmpdir_puts(dir, "e.txt", "something\n");
    const char *chunks[] = {NULL}, **at = chunks;
    ck_assert_int_eq(projsave_write(dirfd_, "e.txt", 0644, next, &at, NULL), 0);
    ck_assert_str_eq(slurp("e.txt"), "");
}
END_TEST

static Suite *projsave_suite(void)
{
    Suite *s = suite_create("app_projsave");
    TCase *tc = tcase_create("save");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_projsave__replaces_keeps_mode_leaves_nothing);
    tcase_add_test(tc, test_projsave__failed_rename_keeps_old_file);
    tcase_add_test(tc, test_projsave__a_link_is_replaced_not_followed);
    tcase_add_test(tc, test_projsave__empty_text);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(projsave_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
