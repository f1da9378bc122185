/* Tests of the file picker (app/editor/picker.c), Ctrl-P and switching files
 * (app/editor/picking.c), `weft DIR` alone (app/editor/dir.c), and quitting with unsaved
 * changes in several files. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/editor/dir.h"
#include "app/editor/editor.h"
#include "app/editor/picker.h"
#include "app/editor/prompt.h"
#include "tests/common/edtest.h"

#define CTRL(c) ((char)((c) & 0x1f))
#define ESC "\x1b"
#define DOWN "\x1b[B"

static char at_buf[600];

/* et_dir/name, in a static buffer. */
static const char *at(const char *name)
{
    snprintf(at_buf, sizeof at_buf, "%s/%s", et_dir, name);
    return at_buf;
}

static void put(const char *name, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", et_dir, name);
    et_put(path, text, strlen(text));
}

static const char *const some[] = { "Makefile", "src/make_tmp_file.c", "src/main.c",
                                    "README.md", "docs/manual.md" };

/* The hits of p as "score:path" lines, for comparing two pickers. */
static void hits_text(const struct picker *p, char *out, size_t size)
{
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < p->nhits && at < size; i++) {
        const struct proj_fuzzy_hit *h = &p->hits[i];
        int n = snprintf(out + at, size - at, "%d:%s;", h->score, p->paths[h->index]);
        for (size_t k = 0; k < p->qchars; k++)
            n += snprintf(out + at + (size_t)n, size - at - (size_t)n, "%u,", h->pos[k]);
        at += (size_t)n;
    }
}

/* Narrowing as the person types (each query scores only what the one it extends matched)
 * gives exactly what a fresh picker gives for the same query: typing on, Backspace, a paste,
 * another query, smart case turning on, a query ending inside a UTF-8 character, and paths
 * added between two queries (they are candidates too). */
START_TEST(test_picker__narrowing_is_exact)
{
    static const char *const paths[] = {
        "Makefile", "src/make_tmp_file.c", "src/main.c", "README.md", "docs/manual.md",
        "src/Main.java", "src/résumé.txt", "src/r\xc3sum.txt", "lib/MakeFile.am",
        "tests/main_test.c", "src/mailbox/main.rs", "tools/mkfile.sh",
    };
    static const char *const later[] = { "src/main2.c", "MAIN.md", "src/résumé2.txt" };
    static const char *const queries[] = {
        "m", "ma", "mai", "main", "mai", "ma", "main", "mainX", "main", "", "mk", "mkf",
        "M", "Ma", "Mak", "ma", "r", "r\xc3", "r\xc3\xa9", "r\xc3\xa9s", "r\xc3", "r\xc3s",
        "zz", "zzq", "s", "sr", "src", "src/", "src/m", "src/ma",
    };
    struct picker narrow, fresh;
    picker_init(&narrow, "/r");
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        picker_add(&narrow, paths[i], strlen(paths[i]));
    static char a[16384], b[16384];
    for (size_t qi = 0; qi < sizeof queries / sizeof queries[0]; qi++) {
        if (qi == 8 || qi == 20) /* paths arrive between queries (the walk goes on) */
            for (size_t i = 0; i < sizeof later / sizeof later[0]; i++)
                if (qi == 8 ? i < 2 : i == 2)
                    picker_add(&narrow, later[i], strlen(later[i]));
        const char *q = queries[qi];
        ck_assert_int_eq(picker_query(&narrow, q, strlen(q)), 0);
        picker_init(&fresh, "/r");
        for (size_t i = 0; i < narrow.n; i++)
            picker_add(&fresh, narrow.paths[i], narrow.lens[i]);
        ck_assert_int_eq(picker_query(&fresh, q, strlen(q)), 0);
        hits_text(&narrow, a, sizeof a);
        hits_text(&fresh, b, sizeof b);
        ck_assert_msg(strcmp(a, b) == 0, "query %zu '%s': narrowed %s, fresh %s", qi, q, a, b);
        picker_free(&fresh);
    }
    /* The narrowing did happen: typing on keeps one level per query typed. */
    ck_assert_uint_ge(narrow.nlevels, 4);
    picker_free(&narrow);
}
END_TEST

/* A file deleted or renamed goes from the list: a query after it (even one extending the last,
 * whose narrowing held indices) matches exactly what a fresh picker of the rest matches. */
START_TEST(test_picker__remove)
{
    struct picker p, fresh;
    picker_init(&p, "/r");
    for (size_t i = 0; i < sizeof some / sizeof *some; i++)
        picker_add(&p, some[i], strlen(some[i]));
    ck_assert_int_eq(picker_query(&p, "ma", 2), 0);
    ck_assert_uint_eq(p.nhits, 4); /* all but README.md */
    ck_assert(picker_remove(&p, "src/main.c", 10));
    ck_assert(!picker_remove(&p, "src/main.c", 10)); /* gone already */
    ck_assert(!picker_remove(&p, "src/main", 8));    /* a prefix is another path */
    ck_assert_uint_eq(p.n, 4);
    ck_assert_uint_eq(p.nhits, 0); /* until the next query */
    ck_assert_int_eq(picker_query(&p, "mai", 3), 0);
    picker_init(&fresh, "/r");
    for (size_t i = 0; i < p.n; i++)
        picker_add(&fresh, p.paths[i], p.lens[i]);
    ck_assert_int_eq(picker_query(&fresh, "mai", 3), 0);
    static char a[4096], b[4096];
    hits_text(&p, a, sizeof a);
    hits_text(&fresh, b, sizeof b);
    ck_assert_str_eq(a, b);
    ck_assert(strstr(a, "src/main.c") == NULL);
    /* A rename is a removal and an addition: the new name is found. */
    ck_assert(picker_remove(&p, "README.md", 9));
    picker_add(&p, "docs/README.md", 14);
    ck_assert_int_eq(picker_query(&p, "readme", 6), 0);
    ck_assert_uint_eq(p.nhits, 1);
    ck_assert_str_eq(picker_selected(&p), "docs/README.md");
    picker_free(&fresh);
    picker_free(&p);
}
END_TEST

/* An empty query lists the paths in the order they came; a query ranks its matches and the
 * selection moves within them. */
START_TEST(test_picker__query_and_selection)
{
    struct picker p;
    picker_init(&p, "/root");
    for (size_t i = 0; i < sizeof some / sizeof *some; i++)
        picker_add(&p, some[i], strlen(some[i]));
    ck_assert_int_eq(picker_query(&p, "", 0), 0);
    ck_assert_uint_eq(p.nhits, 5);
    ck_assert_str_eq(picker_selected(&p), "Makefile");
    picker_move(&p, 10);
    ck_assert_str_eq(picker_selected(&p), "docs/manual.md");
    picker_move(&p, -99);
    ck_assert_str_eq(picker_selected(&p), "Makefile");
    ck_assert_int_eq(picker_query(&p, "main", 4), 0);
    ck_assert_uint_eq(p.nhits, 1);
    ck_assert_str_eq(picker_selected(&p), "src/main.c");
    ck_assert_uint_eq(p.qchars, 4);
    ck_assert_int_eq(picker_query(&p, "zzz", 3), 0);
    ck_assert_uint_eq(p.nhits, 0);
    ck_assert_ptr_null(picker_selected(&p));
    picker_move(&p, 1); /* nothing to move to */
    char *full = picker_full_path(&p, "src/main.c");
    ck_assert_str_eq(full, "/root/src/main.c");
    free(full);
    char q[PROJ_FUZZY_QUERY_MAX + 2];
    memset(q, 'a', sizeof q);
    ck_assert_int_eq(picker_query(&p, q, sizeof q), -E2BIG);
    picker_free(&p);
}
END_TEST

/* weft DIR lists what a guest would see (not .env, not what .gitignore ignores), starts
 * on a scratch buffer with the picker open; Enter opens the match and the untouched
 * scratch buffer goes; Alt-, and Alt-. switch between the files opened. */
START_TEST(test_picker__dir_open_pick_and_switch)
{
    ck_assert_int_eq(mkdir(at("src"), 0700), 0);
    ck_assert_int_eq(mkdir(at("build"), 0700), 0);
    put("src/main.c", "int main(void) { return 0; }\n");
    put("README.md", "hello\n");
    put(".env", "SECRET=1\n");
    put(".gitignore", "build/\n");
    put("build/out.o", "obj\n");
    char err[512];
    ck_assert_int_eq(editor_open_dir(&et_ed, et_dir, err, sizeof err), 0);
    editor_resize(&et_ed, 12, 40);
    ck_assert_ptr_nonnull(et_ed.picker);
    ck_assert(et_ed.picker->complete);
    ck_assert_uint_eq(et_ed.picker->n, 3); /* .gitignore, README.md, src/main.c */
    for (size_t i = 0; i < et_ed.picker->n; i++) {
        ck_assert_msg(!strstr(et_ed.picker->paths[i], ".env"), "%s", et_ed.picker->paths[i]);
        ck_assert_msg(!strstr(et_ed.picker->paths[i], "build"), "%s", et_ed.picker->paths[i]);
    }
    ck_assert_int_eq(et_ed.prompt.kind, PROMPT_PICK);
    ck_assert(et_ed.buf->scratch);
    et_feed("mai");
    ck_assert_str_eq(picker_selected(et_ed.picker), "src/main.c");
    et_feed("\r");
    ck_assert_int_eq(et_ed.prompt.kind, PROMPT_NONE);
    ck_assert_uint_eq(et_ed.nbufs, 1); /* the scratch buffer went */
    ck_assert_str_eq(et_ed.buf->path, at("src/main.c"));
    et_expect_text("int main(void) { return 0; }\n");
    /* A second file; then back and forth. */
    et_feed((char[]){CTRL('p'), 0});
    et_feed("READ\r");
    ck_assert_uint_eq(et_ed.nbufs, 2);
    et_expect_text("hello\n");
    et_feed(ESC ",");
    et_expect_text("int main(void) { return 0; }\n");
    ck_assert_ptr_nonnull(strstr(et_ed.msg, "1 of 2: src/main.c"));
    et_feed(ESC ".");
    et_expect_text("hello\n");
    /* Opening an open file shows it. */
    et_feed((char[]){CTRL('p'), 0});
    et_feed("main\r");
    ck_assert_uint_eq(et_ed.nbufs, 2);
    et_expect_text("int main(void) { return 0; }\n");
    /* Esc closes the picker and changes nothing. */
    et_feed((char[]){CTRL('p'), 0});
    et_feed(ESC);
    ck_assert_int_eq(et_ed.prompt.kind, PROMPT_NONE);
    ck_assert_uint_eq(et_ed.nbufs, 2);
}
END_TEST

/* Ctrl-Q with unsaved changes in two files asks about each (showing it); y saves it and
 * asks about the next; the last y quits. Edits in a file not shown are never lost. */
START_TEST(test_picker__quit_asks_for_every_file)
{
    put("a.txt", "a\n");
    put("b.txt", "b\n");
    char err[512];
    ck_assert_int_eq(editor_open(&et_ed, at("a.txt"), err, sizeof err), 0);
    editor_resize(&et_ed, 12, 40);
    et_feed("1");
    ck_assert_int_eq(editor_open_another(&et_ed, at("b.txt"), err, sizeof err), 0);
    et_feed("2");
    et_feed(ESC ","); /* show a.txt */
    et_feed(ESC ".");  /* and b.txt again */
    et_feed((char[]){CTRL('q'), 0});
    ck_assert_int_eq(et_ed.prompt.kind, PROMPT_QUIT);
    ck_assert(!et_ed.quit);
    et_feed("y");
    et_expect_file(at("b.txt"), "2b\n");
    ck_assert(!et_ed.quit);
    ck_assert_int_eq(et_ed.prompt.kind, PROMPT_QUIT); /* now about a.txt, shown */
    ck_assert_str_eq(et_ed.buf->path, at("a.txt"));
    et_feed("y");
    et_expect_file(at("a.txt"), "1a\n");
    ck_assert(et_ed.quit);
}
END_TEST

/* Ctrl-P without a project says how to get one. */
START_TEST(test_picker__no_project)
{
    et_open("x\n");
    et_feed((char[]){CTRL('p'), 0});
    ck_assert_int_eq(et_ed.prompt.kind, PROMPT_NONE);
    ck_assert_ptr_nonnull(strstr(et_ed.msg, "weft DIR"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("app_picker");
    TCase *tc = tcase_create("picker");
    tcase_add_checked_fixture(tc, et_setup, et_teardown);
    tcase_add_test(tc, test_picker__query_and_selection);
    tcase_add_test(tc, test_picker__narrowing_is_exact);
    tcase_add_test(tc, test_picker__remove);
    tcase_add_test(tc, test_picker__dir_open_pick_and_switch);
    tcase_add_test(tc, test_picker__quit_asks_for_every_file);
    tcase_add_test(tc, test_picker__no_project);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
