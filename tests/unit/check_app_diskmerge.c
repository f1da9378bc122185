/* Tests of app/editor/diskmerge.c: with nothing else changed the document becomes the disk's
 * text byte for byte (random texts with CRLF, invalid UTF-8, no final newline, empty); an
 * unsaved edit elsewhere (the host's, or a guest's that arrived as an update) survives; a
 * conflict on one line keeps both texts; the merge is one undo step and reaches a peer;
 * carets on a changed line's kept bytes stay; random three-way merges never lose a changed
 * line of either side. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/diskmerge.h"
#include "core/anchor.h"
#include "core/undo.h"
#include "tests/common/testutil.h"

static wf_doc *doc_with(const char *text, size_t n)
{
    wf_doc *doc = wf_doc_new(1);
    char *buf = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, text, n);
    ck_assert_int_eq(wf_doc_load(doc, buf, n), 0);
    return doc;
}

static void merge(wf_doc *doc, const char *base, const char *disk, struct diskmerge_stats *st)
{
    ck_assert_int_eq(diskmerge(doc, base, strlen(base), disk, strlen(disk), st), 0);
    wt_check(doc);
}

START_TEST(test_diskmerge__unchanged_document_becomes_disk)
{
    static const char *const texts[] = { "", "a", "a\n", "a\r\nb\r\n", "x\ny\nz", "\xff\xfe\n\xc3",
                                         "one\ntwo\nthree\n", "\n\n\n" };
    size_t nt = sizeof texts / sizeof texts[0];
    for (size_t i = 0; i < nt; i++)
        for (size_t j = 0; j < nt; j++) {
            wf_doc *doc = doc_with(texts[i], strlen(texts[i]));
            struct diskmerge_stats st;
            merge(doc, texts[i], texts[j], &st);
            wt_assert_text(doc, texts[j]);
            ck_assert_uint_eq(st.conflicts, 0);
            wf_doc_free(doc);
        }
}
END_TEST

START_TEST(test_diskmerge__unsaved_edit_elsewhere_survives)
{
    const char *base = "l0\nl1\nl2\nl3\nl4\nl5\nl6\nl7\n";
    wf_doc *host = doc_with(base, strlen(base)), *guest = wf_doc_new(2);
    wt_sync(host, guest);
    /* the guest changes l1 (not saved), the host l6; both reach the host */
    wt_ins(guest, 3, "guest ");
    wt_send(guest, &host, 1);
    wt_ins(host, wf_doc_line_start(host, 6), "host ");
    wt_assert_text(host, "l0\nguest l1\nl2\nl3\nl4\nl5\nhost l6\nl7\n");
    /* a formatter rewrote l3 and appended a line */
    struct diskmerge_stats st;
    merge(host, base, "l0\nl1\nl2\nL3!\nl4\nl5\nl6\nl7\nend\n", &st);
    wt_assert_text(host, "l0\nguest l1\nl2\nL3!\nl4\nl5\nhost l6\nl7\nend\n");
    ck_assert_uint_eq(st.hunks, 2);
    ck_assert_uint_eq(st.conflicts, 0);
    /* the guest receives it as the host's edit */
    wt_send(host, &guest, 1);
    wt_assert_text(guest, "l0\nguest l1\nl2\nL3!\nl4\nl5\nhost l6\nl7\nend\n");
    wf_doc_free(host);
    wf_doc_free(guest);
}
END_TEST

START_TEST(test_diskmerge__same_line_keeps_both)
{
    const char *base = "a\nb\nc\n";
    wf_doc *doc = doc_with(base, strlen(base));
    wt_ins(doc, 2, "ours ");
    struct diskmerge_stats st;
    merge(doc, base, "a\ndisk b\nc\n", &st);
    wt_assert_text(doc, "a\nours b\ndisk b\nc\n");
    ck_assert_uint_eq(st.conflicts, 1);
    wf_doc_free(doc);
    /* the disk deletes the line we changed: ours stays */
    doc = doc_with(base, strlen(base));
    wt_ins(doc, 2, "ours ");
    merge(doc, base, "a\nc\n", &st);
    wt_assert_text(doc, "a\nours b\nc\n");
    wf_doc_free(doc);
    /* we delete the line the disk changed: the disk's text comes back */
    doc = doc_with(base, strlen(base));
    wt_del(doc, 2, 2);
    merge(doc, base, "a\nB\nc\n", &st);
    wt_assert_text(doc, "a\nB\nc\n");
    wf_doc_free(doc);
    /* both made the same change: once */
    doc = doc_with(base, strlen(base));
    wt_ins(doc, 2, "x");
    merge(doc, base, "a\nxb\nc\n", &st);
    wt_assert_text(doc, "a\nxb\nc\n");
    wf_doc_free(doc);
    /* both inserted at one point: ours first, then the disk's */
    doc = doc_with(base, strlen(base));
    wt_ins(doc, 2, "ours\n");
    merge(doc, base, "a\ndisk\nb\nc\n", &st);
    wt_assert_text(doc, "a\nours\ndisk\nb\nc\n");
    ck_assert_uint_eq(st.conflicts, 0);
    wf_doc_free(doc);
    /* the disk replaces lines around an insertion of ours: both kept */
    doc = doc_with(base, strlen(base));
    wt_ins(doc, 2, "ours\n");
    merge(doc, base, "A\nB\nc\n", &st);
    wt_assert_text(doc, "a\nours\nb\nA\nB\nc\n");
    ck_assert_uint_eq(st.conflicts, 1);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_diskmerge__one_undo_step)
{
    const char *base = "one\ntwo\nthree\nfour\n";
    wf_doc *doc = doc_with(base, strlen(base));
    wf_doc_set_time(doc, 1000);
    wt_ins(doc, 4, "typed ");
    merge(doc, base, "ONE\ntwo\nthree\nFOUR\nfive\n", NULL);
    wt_assert_text(doc, "ONE\ntyped two\nthree\nFOUR\nfive\n");
    ck_assert_int_eq(wf_doc_undo(doc, NULL), 0);
    wt_assert_text(doc, "one\ntyped two\nthree\nfour\n");
    ck_assert_int_eq(wf_doc_undo(doc, NULL), 0);
    wt_assert_text(doc, base);
    wf_doc_free(doc);
}
END_TEST

START_TEST(test_diskmerge__carets_on_kept_bytes_stay)
{
    const char *base = "int main(void)\n{\n    return 0;\n}\n";
    wf_doc *doc = doc_with(base, strlen(base));
    /* a caret before "return", and one before ";" */
    wf_anchor a = wf_doc_anchor_at(doc, 21, 0), b = wf_doc_anchor_at(doc, 29, 0);
    merge(doc, base, "int main(void)\n{\n    return 1;\n}\n", NULL);
    ck_assert_uint_eq(wf_doc_anchor_pos(doc, a), 21);
    ck_assert_uint_eq(wf_doc_anchor_pos(doc, b), 29);
    wf_doc_free(doc);
}
END_TEST

/* --- random three-way merges ------------------------------------------------------------ */

struct text {
    char *p;
    size_t n, cap;
};

static void put(struct text *t, const char *s, size_t n)
{
    if (t->n + n + 1 > t->cap) {
        t->cap = 2 * (t->n + n + 1);
        t->p = realloc(t->p, t->cap);
        ck_assert_ptr_nonnull(t->p);
    }
    memcpy(t->p + t->n, s, n);
    t->n += n;
    t->p[t->n] = '\0';
}

/* base with some lines replaced by lines tagged `tag` (unique, so they can be found after). */
static void edit_lines(wt_rng *g, const struct text *base, char tag, struct text *out,
                       struct text *added)
{
    char line[64];
    int k = 0;
    for (size_t at = 0; at < base->n;) {
        const char *nl = memchr(base->p + at, '\n', base->n - at);
        size_t end = nl ? (size_t)(nl - base->p) + 1 : base->n;
        uint32_t r = wt_rng_below(g, 10);
        if (r == 0) {
            /* dropped */
        } else if (r == 1 || r == 2) {
            int n = snprintf(line, sizeof line, "%c%d\xe2\x82\xac\r\n", tag, k++);
            put(out, line, (size_t)n);
            put(added, line, (size_t)n);
            if (r == 2)
                put(out, base->p + at, end - at);
        } else {
            put(out, base->p + at, end - at);
        }
        at = end;
    }
}

/* Every line of want[] (a sequence of lines) appears in order in text. */
static void assert_lines_in(const char *text, const struct text *want)
{
    const char *at = text;
    for (size_t i = 0; i < want->n;) {
        const char *nl = memchr(want->p + i, '\n', want->n - i);
        size_t end = (size_t)(nl - want->p) + 1;
        char line[64];
        memcpy(line, want->p + i, end - i);
        line[end - i] = '\0';
        const char *found = strstr(at, line);
        ck_assert_msg(found, "line %s lost from %s", wt_esc(line, end - i), wt_esc(text, strlen(text)));
        at = found + (end - i);
        i = end;
    }
}

START_TEST(test_diskmerge__random_three_way_keeps_every_change)
{
    wt_rng g;
    wt_rng_init(&g, wt_seed("diskmerge random"));
    long rounds = wt_scaled(400);
    for (long round = 0; round < rounds; round++) {
        struct text base = { 0 }, ours = { 0 }, disk = { 0 }, ours_added = { 0 },
                    disk_added = { 0 };
        char line[32];
        size_t lines = wt_rng_below(&g, 30);
        for (size_t i = 0; i < lines; i++)
            put(&base, line, (size_t)snprintf(line, sizeof line, "base %u\n", wt_rng_below(&g, 8)));
        put(&base, "", 0);
        edit_lines(&g, &base, 'o', &ours, &ours_added);
        edit_lines(&g, &base, 'd', &disk, &disk_added);
        put(&ours, "", 0);
        put(&disk, "", 0);
        wf_doc *doc = doc_with(base.p, base.n);
        /* ours arrives as one replacement of the whole text, like a paste */
        if (base.n)
            wt_del(doc, 0, wf_doc_len(doc));
        if (ours.n)
            ck_assert_int_eq(wf_doc_insert(doc, 0, ours.p, ours.n), 0);
        struct diskmerge_stats st;
        ck_assert_int_eq(diskmerge(doc, base.p, base.n, disk.p, disk.n, &st), 0);
        wt_check(doc);
        char *text = wt_text(doc);
        assert_lines_in(text, &ours_added);
        assert_lines_in(text, &disk_added);
        if (st.conflicts == 0) { /* no conflict: the text is the disk's with our lines in */
            size_t n = strlen(text);
            ck_assert_uint_eq(n, disk.n + ours.n - base.n);
        }
        free(text);
        wf_doc_free(doc);
        /* and with no edit of ours, exactly the disk's text */
        doc = doc_with(base.p, base.n);
        ck_assert_int_eq(diskmerge(doc, base.p, base.n, disk.p, disk.n, &st), 0);
        wt_assert_text_n(doc, disk.p, disk.n);
        wf_doc_free(doc);
        free(base.p);
        free(ours.p);
        free(disk.p);
        free(ours_added.p);
        free(disk_added.p);
    }
}
END_TEST

static Suite *diskmerge_suite(void)
{
    Suite *s = suite_create("app_diskmerge");
    TCase *tc = tcase_create("diskmerge");
    tcase_add_test(tc, test_diskmerge__unchanged_document_becomes_disk);
    tcase_add_test(tc, test_diskmerge__unsaved_edit_elsewhere_survives);
    tcase_add_test(tc, test_diskmerge__same_line_keeps_both);
    tcase_add_test(tc, test_diskmerge__one_undo_step);
    tcase_add_test(tc, test_diskmerge__carets_on_kept_bytes_stay);
    tcase_add_test(tc, test_diskmerge__random_three_way_keeps_every_change);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(diskmerge_suite());
}
