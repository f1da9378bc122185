/* Tests of app/project/manifest.c: add, rename, update and remove by id with lookups by id and
 * path, ids never reused, versions; random operations against a naive model (through
 * compactions and table deletions); paging covers every entry exactly once while the manifest
 * changes between pages (the rule in manifest.h); pages round-trip, and every cut or changed
 * byte of a page is refused or decodes to something valid; entries put out of id order; the
 * collision names; memory per entry at 100,000 entries. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/project/manifest.h"
#include "tests/common/testutil.h"

static const struct manifest_attr text_attr = { MANIFEST_TEXT, 0100644, 10, 1700000000000000000 };

static manifest *new_manifest(void)
{
    manifest *m = manifest_new();
    ck_assert_ptr_nonnull(m);
    return m;
}

static uint64_t add(manifest *m, const char *path)
{
    uint64_t id;
    ck_assert_int_eq(manifest_add(m, path, strlen(path), &text_attr, &id), 0);
    return id;
}

START_TEST(test_manifest__add_rename_remove)
{
    manifest *m = new_manifest();
    uint64_t a = add(m, "src/main.c"), b = add(m, "README.md");
    ck_assert_uint_eq(a, 1);
    ck_assert_uint_eq(b, 2);
    ck_assert_uint_eq(manifest_version(m), 2);
    uint64_t id;
    ck_assert_int_eq(manifest_add(m, "README.md", 9, &text_attr, &id), -EEXIST);
    ck_assert_int_eq(manifest_add(m, "../x", 4, &text_attr, &id), -EINVAL);
    ck_assert_int_eq(manifest_add(m, "a//b", 4, &text_attr, &id), -EINVAL);
    struct manifest_attr bad = text_attr;
    bad.kind = 3;
    ck_assert_int_eq(manifest_add(m, "x", 1, &bad, &id), -EINVAL);
    struct manifest_entry e;
    ck_assert(manifest_find(m, "src/main.c", 10, &e));
    ck_assert_uint_eq(e.id, a);
    ck_assert_uint_eq(e.version, 1);
    /* rename keeps the id */
    ck_assert_int_eq(manifest_rename(m, a, "src/app.c", 9), 0);
    ck_assert(!manifest_find(m, "src/main.c", 10, &e));
    ck_assert(manifest_get(m, a, &e));
    ck_assert_uint_eq(e.len, 9);
    ck_assert(memcmp(e.path, "src/app.c", 9) == 0);
    ck_assert_uint_eq(e.version, 3);
    ck_assert_int_eq(manifest_rename(m, a, "README.md", 9), -EEXIST);
    ck_assert_int_eq(manifest_rename(m, 99, "y", 1), -ENOENT);
    /* update */
    struct manifest_attr big = { MANIFEST_BINARY, 0100600, 1 << 20, 5 };
    ck_assert_int_eq(manifest_update(m, b, &big), 0);
    ck_assert(manifest_get(m, b, &e));
    ck_assert_uint_eq(e.attr.kind, MANIFEST_BINARY);
    ck_assert_uint_eq(e.attr.size, 1 << 20);
    ck_assert_int_eq(e.attr.mtime_ns, 5);
    /* remove; the id is not reused */
    ck_assert_int_eq(manifest_remove(m, a), 0);
    ck_assert_int_eq(manifest_remove(m, a), -ENOENT);
    ck_assert(!manifest_get(m, a, &e));
    ck_assert_uint_eq(manifest_count(m), 1);
    ck_assert_uint_eq(add(m, "src/app.c"), 3);
    ck_assert_uint_eq(manifest_version(m), 6);
    manifest_free(m);
}
END_TEST

/* --- random operations against a naive model ------------------------------------------- */

struct model {
    uint64_t id;
    char path[32];
    bool live;
};

static void random_path(wt_rng *g, char *out)
{
    static const char *const dirs[] = { "src", "lib", "a", "b", "docs" };
    snprintf(out, 32, "%s/f%u.c", dirs[wt_rng_below(g, 5)], wt_rng_below(g, 3000));
}

static long model_find(const struct model *md, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (md[i].live && strcmp(md[i].path, path) == 0)
            return (long)i;
    return -1;
}

START_TEST(test_manifest__random_against_model)
{
    wt_rng g;
    wt_rng_init(&g, wt_seed("manifest model"));
    enum { OPS = 40000 };
    static struct model md[OPS];
    size_t n = 0;
    manifest *m = new_manifest();
    for (long op = 0; op < wt_scaled(OPS) && n < OPS; op++) {
        char path[32];
        random_path(&g, path);
        uint32_t r = wt_rng_below(&g, 10);
        long have = model_find(md, n, path);
        size_t pick = n ? wt_rng_below(&g, (uint32_t)n) : 0;
        if (r < 5 || n == 0) {
            uint64_t id;
            int err = manifest_add(m, path, strlen(path), &text_attr, &id);
            ck_assert_int_eq(err, have >= 0 ? -EEXIST : 0);
            if (!err) {
                ck_assert_uint_eq(id, n + 1); /* ids grow by one, never reused */
                md[n].id = id;
                md[n].live = true;
                strcpy(md[n++].path, path);
            }
        } else if (r < 8) {
            int err = manifest_rename(m, md[pick].id, path, strlen(path));
            int want = !md[pick].live ? -ENOENT : have >= 0 && (size_t)have != pick ? -EEXIST : 0;
            ck_assert_int_eq(err, want);
            if (!err)
                strcpy(md[pick].path, path);
        } else {
            ck_assert_int_eq(manifest_remove(m, md[pick].id), md[pick].live ? 0 : -ENOENT);
            md[pick].live = false;
        }
        if (op == wt_scaled(OPS) / 2) { /* most entries go: the next add compacts */
            for (size_t i = 0; i < n; i++)
                if (md[i].live && wt_rng_chance(&g, 9, 10)) {
                    ck_assert_int_eq(manifest_remove(m, md[i].id), 0);
                    md[i].live = false;
                }
        }
        if (op % 997 == 0 || op + 1 == wt_scaled(OPS) || op == wt_scaled(OPS) / 2 + 1) {
            size_t live = 0;
            for (size_t i = 0; i < n; i++) {
                struct manifest_entry e;
                ck_assert(manifest_get(m, md[i].id, &e) == md[i].live);
                if (!md[i].live)
                    continue;
                live++;
                ck_assert(e.len == strlen(md[i].path) && memcmp(e.path, md[i].path, e.len) == 0);
                ck_assert(manifest_find(m, md[i].path, strlen(md[i].path), &e));
                ck_assert_uint_eq(e.id, md[i].id);
            }
            ck_assert_uint_eq(manifest_count(m), live);
        }
    }
    manifest_free(m);
}
END_TEST

/* --- pages -------------------------------------------------------------------------------- */

START_TEST(test_manifest__paging_under_changes)
{
    wt_rng g;
    wt_rng_init(&g, wt_seed("manifest paging"));
    for (int round = 0; round < 20; round++) {
        manifest *m = new_manifest();
        enum { START = 3000, MAXID = 20000 };
        static uint8_t seen[MAXID + 1], removed[MAXID + 1], at_start[MAXID + 1];
        memset(seen, 0, sizeof seen);
        memset(removed, 0, sizeof removed);
        memset(at_start, 0, sizeof at_start);
        char path[64];
        for (int i = 0; i < START; i++) {
            snprintf(path, sizeof path, "dir%d/file%d.txt", i % 37, i);
            at_start[add(m, path)] = 1;
        }
        uint64_t after = 0, next, max_id = START;
        bool last = false;
        size_t max = MANIFEST_PAGE_MIN + wt_rng_below(&g, 20000);
        uint8_t *buf = malloc(max);
        ck_assert_ptr_nonnull(buf);
        int renames = 0;
        while (!last) {
            size_t len;
            ck_assert_int_eq(manifest_page_encode(m, after, buf, max, &len, &next, &last), 0);
            struct manifest_page page;
            ck_assert_int_eq(manifest_page_decode(buf, len, &page), 0);
            ck_assert_uint_eq(page.after, after);
            ck_assert_uint_eq(page.next, next);
            ck_assert(page.last == last);
            ck_assert(page.n > 0 || last);
            for (size_t i = 0; i < page.n; i++) {
                const struct manifest_entry *e = &page.entries[i];
                ck_assert_msg(!seen[e->id], "id %llu in two pages", (unsigned long long)e->id);
                seen[e->id] = 1;
                struct manifest_entry now;
                ck_assert(manifest_get(m, e->id, &now)); /* as the manifest holds it now */
                ck_assert(now.len == e->len && memcmp(now.path, e->path, e->len) == 0);
            }
            manifest_page_free(&page);
            after = next;
            /* changes between pages: adds, removes, renames anywhere */
            for (uint32_t k = last ? 0 : wt_rng_below(&g, 30); k > 0; k--) {
                uint32_t r = wt_rng_below(&g, 3);
                uint64_t id = 1 + wt_rng_below(&g, (uint32_t)max_id);
                if (r == 0 && max_id < MAXID) {
                    snprintf(path, sizeof path, "new/%llu", (unsigned long long)max_id);
                    max_id = add(m, path);
                } else if (r == 1 && !removed[id]) {
                    ck_assert_int_eq(manifest_remove(m, id), 0);
                    removed[id] = 1;
                } else if (r == 2 && !removed[id]) {
                    snprintf(path, sizeof path, "renamed/%d", renames++);
                    ck_assert_int_eq(manifest_rename(m, id, path, strlen(path)), 0);
                }
            }
        }
        /* the rule: present throughout → exactly once; added during the walk → once (the
         * walk ran until no entry was left above its cursor); removed → at most once */
        for (uint64_t id = 1; id <= max_id; id++)
            if (!removed[id])
                ck_assert_msg(seen[id], "id %llu (%s) never paged", (unsigned long long)id,
                              at_start[id] ? "there from the start" : "added during the walk");
        free(buf);
        manifest_free(m);
    }
}
END_TEST

START_TEST(test_manifest__page_round_trip_and_limits)
{
    manifest *m = new_manifest();
    static uint8_t buf[1 << 16];
    size_t len;
    uint64_t next;
    bool last;
    ck_assert_int_eq(manifest_page_encode(m, 0, buf, MANIFEST_PAGE_MIN - 1, &len, &next, &last),
                     -EINVAL);
    /* empty */
    ck_assert_int_eq(manifest_page_encode(m, 0, buf, sizeof buf, &len, &next, &last), 0);
    ck_assert_uint_eq(len, MANIFEST_PAGE_HEADER);
    ck_assert(last);
    struct manifest_page page;
    ck_assert_int_eq(manifest_page_decode(buf, len, &page), 0);
    ck_assert_uint_eq(page.n, 0);
    manifest_page_free(&page);
    /* entries of every kind, a UTF-8 path, a long path */
    char longp[PROJ_PATH_MAX + 1];
    memset(longp, 'x', PROJ_PATH_MAX);
    for (int i = 100; i < PROJ_PATH_MAX; i += 101)
        longp[i] = '/';
    uint64_t id;
    ck_assert_int_eq(manifest_add(m, longp, PROJ_PATH_MAX, &text_attr, &id), 0);
    struct manifest_attr dir = { MANIFEST_DIR, 040755, 0, -1 };
    ck_assert_int_eq(manifest_add(m, "résumé", strlen("résumé"), &dir, &id), 0);
    /* the smallest page still holds the longest entry */
    ck_assert_int_eq(manifest_page_encode(m, 0, buf, MANIFEST_PAGE_MIN, &len, &next, &last), 0);
    ck_assert_uint_eq(len, MANIFEST_PAGE_MIN);
    ck_assert(!last);
    ck_assert_int_eq(manifest_page_encode(m, next, buf, MANIFEST_PAGE_MIN, &len, &next, &last), 0);
    ck_assert(last);
    ck_assert_int_eq(manifest_page_decode(buf, len, &page), 0);
    ck_assert_uint_eq(page.n, 1);
    ck_assert_uint_eq(page.entries[0].attr.kind, MANIFEST_DIR);
    ck_assert_uint_eq(page.entries[0].attr.mode, 040755);
    ck_assert_int_eq(page.entries[0].attr.mtime_ns, -1);
    ck_assert(memcmp(page.entries[0].path, "résumé", page.entries[0].len) == 0);
    manifest_page_free(&page);
    manifest_free(m);
}
END_TEST

START_TEST(test_manifest__malformed_pages)
{
    manifest *m = new_manifest();
    add(m, "a");
    add(m, "b/c");
    add(m, "d.txt");
    static uint8_t buf[8192], bad[8192];
    size_t len;
    uint64_t next;
    bool last;
    ck_assert_int_eq(manifest_page_encode(m, 0, buf, sizeof buf, &len, &next, &last), 0);
    struct manifest_page page;
    /* every cut is refused */
    for (size_t cut = 0; cut < len; cut++) {
        memcpy(bad, buf, cut);
        ck_assert_int_eq(manifest_page_decode(bad, cut, &page), -EBADMSG);
        ck_assert_ptr_null(page.entries);
    }
    /* a byte more */
    memcpy(bad, buf, len);
    bad[len] = 0;
    ck_assert_int_eq(manifest_page_decode(bad, len + 1, &page), -EBADMSG);
    /* every change of every byte: refused, or valid */
    for (size_t i = 0; i < len; i++)
        for (int bit = 0; bit < 8; bit++) {
            memcpy(bad, buf, len);
            bad[i] ^= (uint8_t)(1u << bit);
            int err = manifest_page_decode(bad, len, &page);
            if (err) {
                ck_assert_int_eq(err, -EBADMSG);
                continue;
            }
            for (size_t k = 0; k < page.n; k++) {
                ck_assert(page.entries[k].id > (k ? page.entries[k - 1].id : page.after));
                ck_assert_int_eq(proj_path_check(page.entries[k].path, page.entries[k].len), 0);
            }
            manifest_page_free(&page);
        }
    /* specific lies: a path with "..", a kind, ids out of order, a wrong next */
    static const struct { size_t at; uint8_t to; } lies[] = {
        { 34 + 39, '.' },  /* path "a" → "." */
        { 34 + 8, 7 },     /* kind */
        { 34, 9 },         /* first id 9 > the second */
        { 26, 2 },         /* next */
        { 4, 2 },          /* format */
        { 5, 2 },          /* unknown flag */
    };
    for (size_t k = 0; k < sizeof lies / sizeof lies[0]; k++) {
        memcpy(bad, buf, len);
        bad[lies[k].at] = lies[k].to;
        ck_assert_int_eq(manifest_page_decode(bad, len, &page), -EBADMSG);
    }
    manifest_free(m);
}
END_TEST

START_TEST(test_manifest__put_out_of_order)
{
    manifest *m = new_manifest();
    struct manifest_attr a = text_attr;
    ck_assert_int_eq(manifest_put(m, 50, "late", 4, &a, 7), 0);
    ck_assert_int_eq(manifest_put(m, 10, "early", 5, &a, 3), 0);
    ck_assert_int_eq(manifest_put(m, 30, "mid", 3, &a, 9), 0);
    ck_assert_int_eq(manifest_put(m, 30, "middle", 6, &a, 10), 0); /* replaces */
    ck_assert_int_eq(manifest_put(m, 31, "early", 5, &a, 11), -EEXIST);
    ck_assert_int_eq(manifest_put(m, 0, "zero", 4, &a, 1), -EINVAL);
    ck_assert_uint_eq(manifest_version(m), 10);
    uint64_t id;
    ck_assert_int_eq(manifest_add(m, "host", 4, &a, &id), 0);
    ck_assert_uint_eq(id, 51);
    static uint8_t buf[8192];
    size_t len;
    uint64_t next;
    bool last;
    ck_assert_int_eq(manifest_page_encode(m, 0, buf, sizeof buf, &len, &next, &last), 0);
    struct manifest_page page;
    ck_assert_int_eq(manifest_page_decode(buf, len, &page), 0);
    ck_assert_uint_eq(page.n, 4);
    static const uint64_t want[] = { 10, 30, 50, 51 };
    for (size_t i = 0; i < 4; i++)
        ck_assert_uint_eq(page.entries[i].id, want[i]);
    ck_assert(memcmp(page.entries[1].path, "middle", 6) == 0);
    manifest_page_free(&page);
    struct manifest_entry e;
    ck_assert(manifest_find(m, "early", 5, &e) && e.id == 10); /* the tables follow the sort */
    ck_assert(!manifest_find(m, "mid", 3, &e));
    manifest_free(m);
}
END_TEST

START_TEST(test_manifest__conflict_names)
{
    manifest *m = new_manifest();
    add(m, "src/main.c");
    char out[PROJ_PATH_MAX + 1];
    ck_assert_int_eq(manifest_conflict_name(m, "src/main.c", 10, "ben", 3, out, sizeof out), 14);
    ck_assert_str_eq(out, "src/main.c~ben");
    add(m, "src/main.c~ben");
    ck_assert_int_eq(manifest_conflict_name(m, "src/main.c", 10, "ben", 3, out, sizeof out), 16);
    ck_assert_str_eq(out, "src/main.c~ben~2");
    add(m, "src/main.c~ben~2");
    ck_assert_int_eq(manifest_conflict_name(m, "src/main.c", 10, "ben", 3, out, sizeof out), 16);
    ck_assert_str_eq(out, "src/main.c~ben~3");
    ck_assert_int_eq(manifest_conflict_name(m, "src/main.c", 10, "a/b", 3, out, sizeof out), -EINVAL);
    ck_assert_int_eq(manifest_conflict_name(m, "src/main.c", 10, "", 0, out, sizeof out), -EINVAL);
    ck_assert_int_eq(manifest_conflict_name(m, "src/main.c", 10, "a~b", 3, out, sizeof out), -EINVAL);
    ck_assert_int_eq(manifest_conflict_name(m, "src/main.c", 10, "ben", 3, out, 10), -ENAMETOOLONG);
    char name[PROJ_NAME_MAX];
    memset(name, 'n', sizeof name);
    ck_assert_int_eq(manifest_conflict_name(m, name, PROJ_NAME_MAX - 3, "ben", 3, out, sizeof out),
                     -ENAMETOOLONG);
    ck_assert_int_eq(manifest_conflict_name(m, name, PROJ_NAME_MAX - 4, "ben", 3, out, sizeof out),
                     PROJ_NAME_MAX);
    manifest_free(m);
}
END_TEST

START_TEST(test_manifest__memory_at_100k)
{
    manifest *m = new_manifest();
    char path[128];
    size_t bytes = 0;
    for (int i = 0; i < 100000; i++) {
        int n = snprintf(path, sizeof path, "pkg%02d/src/module_%03d/file_%05d.c", i % 20,
                         (i / 50) % 1000, i);
        bytes += (size_t)n;
        add(m, path);
    }
    size_t mem = manifest_memory(m);
    fprintf(stderr, "manifest: 100000 entries, %.1f path bytes each, %zu bytes: %.1f bytes per entry\n",
            (double)bytes / 1e5, mem, (double)mem / 1e5);
    ck_assert_uint_lt(mem / 100000, 200);
    struct manifest_entry e;
    ck_assert(manifest_find(m, "pkg07/src/module_001/file_00087.c", 33, &e));
    ck_assert_uint_eq(e.id, 88);
    manifest_free(m);
}
END_TEST

static Suite *manifest_suite(void)
{
    Suite *s = suite_create("proj_manifest");
    TCase *tc = tcase_create("manifest");
    tcase_add_test(tc, test_manifest__add_rename_remove);
    tcase_add_test(tc, test_manifest__random_against_model);
    tcase_add_test(tc, test_manifest__paging_under_changes);
    tcase_add_test(tc, test_manifest__page_round_trip_and_limits);
    tcase_add_test(tc, test_manifest__malformed_pages);
    tcase_add_test(tc, test_manifest__put_out_of_order);
    tcase_add_test(tc, test_manifest__conflict_names);
    tcase_add_test(tc, test_manifest__memory_at_100k);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(manifest_suite());
}
