/* Tests of app/editor/buffer.c: one open file's load, write, saved state and view. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/editor/buffer.h"
#include "app/editor/config.h"
#include "app/editor/editor.h"
#include "app/editor/layout.h"
#include "app/editor/nanorc.h"
#include "core/doc.h"
#include "core/undo.h"

static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/weft-buffer-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* dir/name, in a static buffer. */
static const char *at(const char *name)
{
    static char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static void put(const char *name, const char *data, size_t n)
{
    FILE *f = fopen(at(name), "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

/* The whole file at dir/name: a new string (free with free()), its size in *n. */
static char *slurp(const char *name, size_t *n)
{
    FILE *f = fopen(at(name), "rb");
    ck_assert_ptr_nonnull(f);
    char *p = malloc(4096);
    *n = fread(p, 1, 4096, f);
    fclose(f);
    return p;
}

/* A file with CRLF lines, invalid UTF-8 and no final newline is loaded, counted and written
 * back byte for byte. */
START_TEST(test_buffer__load_and_write_exact)
{
    static const char text[] = "one\r\ntwo \xff\xfe\r\nthree";
    put("a.txt", text, sizeof text - 1);
    struct buffer *b;
    char err[256];
    ck_assert_int_eq(buffer_open(&b, at("a.txt"), 7, err, sizeof err), 0);
    ck_assert(b->stamp.exists);
    ck_assert(b->crlf);
    ck_assert(!b->modified);
    ck_assert_str_eq(b->path, at("a.txt"));
    ck_assert_ptr_null(b->title);
    ck_assert_uint_eq(wf_doc_bytes(b->doc), sizeof text - 1);
    ck_assert_uint_eq(buffer_lines(b), 3);
    ck_assert_uint_eq(b->view.cur, 0);
    struct file_stamp st;
    enum file_step step;
    ck_assert_int_eq(buffer_write(b, at("b.txt"), &st, &step), 0);
    ck_assert(st.exists);
    size_t n;
    char *got = slurp("b.txt", &n);
    ck_assert_uint_eq(n, sizeof text - 1);
    ck_assert(memcmp(got, text, n) == 0);
    free(got);
    buffer_free(b);
}
END_TEST

/* No such file: an empty buffer whose stamp says there was none. */
START_TEST(test_buffer__missing_file_is_empty)
{
    struct buffer *b;
    char err[256];
    ck_assert_int_eq(buffer_open(&b, at("new.txt"), 7, err, sizeof err), 0);
    ck_assert(!b->stamp.exists);
    ck_assert(!b->crlf);
    ck_assert_uint_eq(wf_doc_len(b->doc), 0);
    ck_assert_uint_eq(buffer_lines(b), 0);
    buffer_free(b);
}
END_TEST

/* A directory is refused with the one description of a failed open, and nothing leaks. */
START_TEST(test_buffer__directory_refused)
{
    ck_assert_int_eq(mkdir(at("d"), 0700), 0);
    struct buffer *b = (struct buffer *)1;
    char err[256];
    ck_assert_int_eq(buffer_open(&b, at("d"), 7, err, sizeof err), -EISDIR);
    ck_assert_ptr_null(b);
    char want[256];
    file_open_error(at("d"), -EISDIR, 0, want, sizeof want);
    ck_assert_str_eq(err, want);
    ck_assert_ptr_nonnull(strstr(err, "is a directory"));
}
END_TEST

/* Typing marks nothing by itself (the router does), but mark_saved starts a new undo step
 * and replace_doc says others edited; reset_view keeps the view's size. */
START_TEST(test_buffer__saved_state_and_view)
{
    wf_doc *doc = wf_doc_new(3);
    ck_assert_int_eq(wf_doc_insert(doc, 0, "abc\ndef\n", 8), 0);
    struct buffer *b = buffer_new_doc(doc, at("copy.txt"), "their session");
    ck_assert_str_eq(b->title, "their session");
    ck_assert_uint_eq(b->saved_undo, wf_doc_undo_position(doc));
    b->view.rows = 5;
    b->view.cols = 20;
    view_set_cursor(&b->view, b->doc, 6);
    buffer_reset_view(b);
    ck_assert_uint_eq(b->view.cur, 0);
    ck_assert_int_eq(b->view.rows, 5);
    ck_assert_int_eq(b->view.cols, 20);
    wf_doc *other = wf_doc_new(4);
    buffer_replace_doc(b, other);
    ck_assert_ptr_eq(b->doc, other);
    ck_assert(b->others_edited);
    buffer_mark_saved(b);
    ck_assert(!b->others_edited);
    ck_assert(!b->modified);
    buffer_free(b);
    buffer_free(NULL);
}
END_TEST

/* A buffer takes its file's conventions from EditorConfig and its syntax from the set; a
 * guest's buffer (not local) looks for no EditorConfig file; configuring again replaces the
 * highlighter. */
START_TEST(test_buffer__configured_from_editorconfig_and_syntax)
{
    static const char ec[] = "root = true\n[*.c]\nindent_style = space\nindent_size = 4\n"
                             "tab_width = 4\n";
    put(".editorconfig", ec, sizeof ec - 1);
    static const char text[] = "int main(void)\n{\n\treturn 0;\n}\n";
    put("x.c", text, sizeof text - 1);
    struct config c;
    config_defaults(&c);
    c.syntaxes = syn_set_new();
    static const char rc[] = "syntax c \"\\.c$\"\ncolor red \"int\"\n";
    ck_assert(nanorc_parse(c.syntaxes, "test.nanorc", rc, sizeof rc - 1, NANORC_SYNTAX_FILE));
    struct buffer *b;
    char err[256];
    ck_assert_int_eq(buffer_open(&b, at("x.c"), 7, err, sizeof err), 0);
    ck_assert_uint_eq(b->view.tabw, LAYOUT_TABW); /* nano's default until configured */
    struct notes notes;
    notes_init(&notes, 8, "test");
    config_buffer(&c, b, at("x.c"), true, &notes);
    ck_assert_uint_eq(notes.n, 0);
    ck_assert_uint_eq(b->conf.tab_width, 4);
    ck_assert_uint_eq(b->conf.indent_width, 4);
    ck_assert(b->conf.spaces);
    ck_assert_uint_eq(b->view.tabw, 4);
    ck_assert_ptr_nonnull(b->syntax);
    ck_assert_str_eq(syn_name(b->syntax), "c");
    ck_assert_ptr_nonnull(b->hl);
    size_t n;
    const struct hl_span *sp = hl_line(b->hl, b->doc, 0, 0, SIZE_MAX, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(sp[0].start, 0);
    ck_assert_uint_eq(sp[0].end, 3);
    /* The same name as a guest's: the tabs detected, no EditorConfig. */
    config_buffer(&c, b, "x.c", false, &notes);
    ck_assert(!b->conf.spaces);
    ck_assert_uint_eq(b->view.tabw, LAYOUT_TABW);
    ck_assert_ptr_nonnull(b->hl);
    notes_free(&notes);
    buffer_free(b);
    config_free(&c);
}
END_TEST

/* A guest's buffer configured by the host's file name when the document arrives (before
 * the editor has loaded the syntaxes, as a join that syncs before the screen opens) keeps
 * that name: configuring the editor afterwards chooses the syntax by it, not by the path
 * of the guest's copy. */
START_TEST(test_buffer__guest_configured_by_the_hosts_file_name)
{
    char cfg[128];
    snprintf(cfg, sizeof cfg, "%s/weft/syntax", dir);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", cfg);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(cfg, sizeof cfg, "weft/syntax/mine.nanorc");
    static const char rc[] = "syntax mine \"\\.mine$\"\ncolor red \"int\"\n";
    put(cfg, rc, sizeof rc - 1);
    setenv("XDG_CONFIG_HOME", dir, 1);
    struct editor ed;
    editor_open_doc(&ed, wf_doc_new(9), "hana.weft-copy", "x.mine (hana)");
    static const char text[] = "int x;\n";
    ck_assert_int_eq(wf_doc_insert(ed.buf->doc, 0, text, sizeof text - 1), 0);
    editor_configure_buffer(&ed, "x.mine", false); /* the document arrived */
    ck_assert_ptr_null(ed.buf->hl);                 /* no syntaxes loaded yet */
    editor_configure(&ed, NULL);                    /* the screen opens */
    ck_assert_ptr_nonnull(ed.buf->syntax);
    ck_assert_str_eq(syn_name(ed.buf->syntax), "mine");
    ck_assert_str_eq(ed.buf->conf_name, "x.mine");
    editor_close(&ed);
    unsetenv("XDG_CONFIG_HOME");
}
END_TEST

/* Several files open in one editor: another is opened and shown with the screen's size, the
 * same file is found again (also by another name), a missing path is a new buffer, a failed
 * open changes nothing, and closing shows the one opened before. */
START_TEST(test_buffer__many_in_one_editor)
{
    put("a.txt", "alpha\n", 6);
    put("b.txt", "beta\nbeta\n", 10);
    struct editor ed;
    char err[256];
    ck_assert_int_eq(editor_open(&ed, at("a.txt"), err, sizeof err), 0);
    editor_resize(&ed, 12, 40);
    ck_assert_uint_eq(ed.nbufs, 1);
    struct buffer *a = ed.buf;
    ck_assert_int_eq(editor_open_another(&ed, at("b.txt"), err, sizeof err), 0);
    ck_assert_uint_eq(ed.nbufs, 2);
    ck_assert_uint_eq(editor_shown(&ed), 1);
    ck_assert_uint_eq(wf_doc_bytes(ed.buf->doc), 10);
    ck_assert_int_eq(ed.buf->view.rows, 10);
    ck_assert_int_eq(ed.buf->view.cols, 40);
    /* The same file by another name: shown, not opened twice. */
    char other[160];
    snprintf(other, sizeof other, "%s/./a.txt", dir);
    ck_assert_int_eq(editor_open_another(&ed, other, err, sizeof err), 0);
    ck_assert_uint_eq(ed.nbufs, 2);
    ck_assert_ptr_eq(ed.buf, a);
    /* A directory: refused, with the message; the buffer shown stays. */
    ck_assert_int_eq(mkdir(at("d"), 0700), 0);
    ck_assert_int_eq(editor_open_another(&ed, at("d"), err, sizeof err), -EISDIR);
    ck_assert_ptr_nonnull(strstr(err, "is a directory"));
    ck_assert_ptr_eq(ed.buf, a);
    ck_assert_uint_eq(ed.nbufs, 2);
    /* A new file twice by the same path: one buffer. */
    ck_assert_int_eq(editor_open_another(&ed, at("new.txt"), err, sizeof err), 0);
    ck_assert_int_eq(editor_open_another(&ed, at("new.txt"), err, sizeof err), 0);
    ck_assert_uint_eq(ed.nbufs, 3);
    ck_assert(!editor_any_modified(&ed));
    ed.bufs[1]->modified = true;
    ck_assert(editor_any_modified(&ed));
    /* Closing shows the one before; the last one cannot be closed. */
    ck_assert(editor_close_buffer(&ed));
    ck_assert_uint_eq(ed.nbufs, 2);
    ck_assert_uint_eq(editor_shown(&ed), 1);
    editor_show_buffer(&ed, 0);
    ck_assert(editor_close_buffer(&ed));
    ck_assert_uint_eq(ed.nbufs, 1);
    ck_assert_uint_eq(wf_doc_bytes(ed.buf->doc), 10);
    ck_assert(!editor_close_buffer(&ed));
    editor_close(&ed);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("app_buffer");
    TCase *tc = tcase_create("buffer");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_buffer__load_and_write_exact);
    tcase_add_test(tc, test_buffer__missing_file_is_empty);
    tcase_add_test(tc, test_buffer__directory_refused);
    tcase_add_test(tc, test_buffer__saved_state_and_view);
    tcase_add_test(tc, test_buffer__configured_from_editorconfig_and_syntax);
    tcase_add_test(tc, test_buffer__many_in_one_editor);
    tcase_add_test(tc, test_buffer__guest_configured_by_the_hosts_file_name);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
