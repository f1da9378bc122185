/* net/proto (protocol 3's messages) and net/manifest: round trips of OPEN, OPENED, SAVED,
 * TREE, TREE_DONE, file prefixes, MANIFEST pages and CHANGES; every strict prefix and a
 * trailing byte refused; malformed fields (a zero file id, unknown kinds and ops, paths no
 * honest peer sends) refused; pages bounded by bytes; the host's log of tree requests. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/vv.h"
#include "net/manifest.h"
#include "net/project.h"
#include "net/proto.h"
#include "tests/common/testutil.h"

/* Every strict prefix of b, and b with a byte more, is refused by decode. */
#define ASSERT_CUTS_REFUSED(b, decode_call)                                                 \
    do {                                                                                    \
        size_t full_ = (b)->len;                                                            \
        for (size_t cut_ = 0; cut_ < full_; cut_++) {                                       \
            (b)->len = cut_;                                                                \
            ck_assert_msg((decode_call) == WN_EPROTO, "cut at %zu of %zu accepted", cut_,   \
                          full_);                                                           \
        }                                                                                   \
        (b)->len = full_;                                                                   \
        wf_buf_put_u8((b), 0);                                                              \
        ck_assert_msg((decode_call) == WN_EPROTO, "a trailing byte accepted");              \
        (b)->len = full_;                                                                   \
    } while (0)

START_TEST(test_proto3__file_prefix)
{
    static const uint64_t ids[] = {1, 127, 128, 1ULL << 40, UINT64_MAX};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        wf_buf b;
        wf_buf_init(&b);
        wn_file_prefix(ids[i], &b);
        wf_buf_put(&b, "xyz", 3);
        uint64_t file;
        const uint8_t *rest;
        size_t n;
        ck_assert_int_eq(wn_file_split(b.data, b.len, &file, &rest, &n), 0);
        ck_assert_uint_eq(file, ids[i]);
        ck_assert_uint_eq(n, 3);
        ck_assert(memcmp(rest, "xyz", 3) == 0);
        wf_buf_free(&b);
    }
    uint64_t file;
    const uint8_t *rest;
    size_t n;
    ck_assert_int_eq(wn_file_split((const uint8_t *)"\0abc", 4, &file, &rest, &n), WN_EPROTO);
    ck_assert_int_eq(wn_file_split(NULL, 0, &file, &rest, &n), WN_EPROTO);
    ck_assert_int_eq(wn_file_split((const uint8_t *)"\x80", 1, &file, &rest, &n), WN_EPROTO);
}
END_TEST

START_TEST(test_proto3__open_and_opened)
{
    wf_vv vv;
    wf_vv_init(&vv);
    wf_vv_set(&vv, 42, 7);
    wf_vv_set(&vv, 9, 1000);
    wf_buf b;
    wf_buf_init(&b);
    wn_open_encode(300, &vv, &b);
    uint64_t file;
    wf_vv got;
    ck_assert_int_eq(wn_open_decode(b.data, b.len, &file, &got), 0);
    ck_assert_uint_eq(file, 300);
    ck_assert(wf_vv_equal(&got, &vv));
    wf_vv_free(&got);
    for (size_t cut = 0; cut < 2; cut++) /* the id itself cut */
        ck_assert_int_eq(wn_open_decode(b.data, cut == 0 ? 0 : 1, &file, &got), WN_EPROTO);
    wf_buf_reset(&b);
    wn_open_encode(0, &vv, &b);
    ck_assert_int_eq(wn_open_decode(b.data, b.len, &file, &got), WN_EPROTO);

    wf_buf_reset(&b);
    wn_opened_encode(5, true, "ignored", &vv, &b);
    wn_opened o;
    ck_assert_int_eq(wn_opened_decode(b.data, b.len, &o), 0);
    ck_assert(o.ok);
    ck_assert_uint_eq(o.file, 5);
    ck_assert_str_eq(o.why, "");
    ck_assert(wf_vv_equal(&o.vv, &vv));
    wf_vv_free(&o.vv);
    wf_buf_reset(&b);
    wn_opened_encode(6, false, "not shared", NULL, &b);
    ck_assert_int_eq(wn_opened_decode(b.data, b.len, &o), 0);
    ck_assert(!o.ok);
    ck_assert_str_eq(o.why, "not shared");
    wf_vv_free(&o.vv);
    ASSERT_CUTS_REFUSED(&b, wn_opened_decode(b.data, b.len, &o));
    b.data[1] = 2; /* ok is 0 or 1 */
    ck_assert_int_eq(wn_opened_decode(b.data, b.len, &o), WN_EPROTO);
    wf_buf_free(&b);
    wf_vv_free(&vv);
}
END_TEST

START_TEST(test_proto3__saved_and_tree_done)
{
    wf_buf b;
    wf_buf_init(&b);
    wn_saved_encode(77, true, "saved a.c", &b);
    uint64_t file;
    bool ok;
    char text[WN_TEXT_MAX];
    ck_assert_int_eq(wn_saved_decode(b.data, b.len, &file, &ok, text), 0);
    ck_assert_uint_eq(file, 77);
    ck_assert(ok);
    ck_assert_str_eq(text, "saved a.c");
    ASSERT_CUTS_REFUSED(&b, wn_saved_decode(b.data, b.len, &file, &ok, text));

    wf_buf_reset(&b);
    wn_tree_done d = {.request = 0xdeadbeef, .ok = false, .file = 12};
    snprintf(d.text, sizeof d.text, "a file of that name exists: \x1b[2J");
    wn_tree_done_encode(&d, &b);
    wn_tree_done g;
    ck_assert_int_eq(wn_tree_done_decode(b.data, b.len, &g), 0);
    ck_assert_uint_eq(g.request, 0xdeadbeef);
    ck_assert(!g.ok);
    ck_assert_uint_eq(g.file, 12);
    ck_assert_str_eq(g.text, "a file of that name exists: ?[2J"); /* made harmless */
    ASSERT_CUTS_REFUSED(&b, wn_tree_done_decode(b.data, b.len, &g));
    wf_buf_free(&b);
}
END_TEST

START_TEST(test_proto3__tree)
{
    static char path[WN_PATH_MAX + 1], path2[WN_PATH_MAX + 1];
    const wn_tree_request good[] = {
        {.request = 1, .op = WN_TREE_CREATE, .path = "src/new.c"},
        {.request = 2, .op = WN_TREE_MKDIR, .path = "docs"},
        {.request = 3, .op = WN_TREE_RENAME, .file = 9, .path2 = "src/b.c"},
        {.request = UINT32_MAX, .op = WN_TREE_DELETE, .file = 1ULL << 50},
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        wf_buf b;
        wf_buf_init(&b);
        wn_tree_encode(&good[i], &b);
        wn_tree_request t;
        ck_assert_int_eq(wn_tree_decode(b.data, b.len, &t, path, path2), 0);
        ck_assert_uint_eq(t.request, good[i].request);
        ck_assert_uint_eq(t.op, good[i].op);
        ck_assert_uint_eq(t.file, good[i].file);
        ck_assert_str_eq(t.path, good[i].path ? good[i].path : "");
        ck_assert_str_eq(t.path2, good[i].path2 ? good[i].path2 : "");
        ASSERT_CUTS_REFUSED(&b, wn_tree_decode(b.data, b.len, &t, path, path2));
        wf_buf_free(&b);
    }
    /* what no op takes: paths that escape, ops that lack what they need, unknown ops */
    const wn_tree_request bad[] = {
        {.op = WN_TREE_CREATE, .path = "../etc/passwd"},
        {.op = WN_TREE_CREATE, .path = "/etc/passwd"},
        {.op = WN_TREE_CREATE, .path = "a/./b"},
        {.op = WN_TREE_CREATE, .path = "a//b"},
        {.op = WN_TREE_CREATE, .path = "a/"},
        {.op = WN_TREE_CREATE, .path = "a\nb"},
        {.op = WN_TREE_CREATE, .path = "a\xc2\x9b" "b"},
        {.op = WN_TREE_CREATE, .path = "bad\xff"},
        {.op = WN_TREE_CREATE, .path = ""},
        {.op = WN_TREE_CREATE, .path = "a", .file = 3},
        {.op = WN_TREE_MKDIR, .path = "a", .path2 = "b"},
        {.op = WN_TREE_RENAME, .file = 0, .path2 = "b"},
        {.op = WN_TREE_RENAME, .file = 3},
        {.op = WN_TREE_RENAME, .file = 3, .path2 = ".."},
        {.op = WN_TREE_DELETE, .file = 0},
        {.op = WN_TREE_DELETE, .file = 3, .path = "a"},
        {.op = WN_TREE_OPS, .file = 3},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        wf_buf b;
        wf_buf_init(&b);
        wn_tree_encode(&bad[i], &b);
        wn_tree_request t;
        ck_assert_msg(wn_tree_decode(b.data, b.len, &t, path, path2) == WN_EPROTO,
                      "bad request %zu accepted", i);
        wf_buf_free(&b);
    }
}
END_TEST

START_TEST(test_proto3__paths)
{
    static const char *const ok[] = {"a", "a/b", ".gitignore", "..a", "a..", "x/.y/z",
                                     "\xc3\xa9t\xc3\xa9.txt", "a b/c d"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        ck_assert_msg(wn_path_valid(ok[i], strlen(ok[i])), "'%s' refused", ok[i]);
    static const char *const no[] = {"", "/", "/a", "a/", ".", "..", "a/..", "../a", "a/./b",
                                     "a//b", "a\tb", "\x7f", "a\xc2\x85", "\xc0\xaf", "\xff",
                                     "a\\b", "evil\xe2\x80\xaegpj.exe", "a\xe2\x80\xa8z",
                                     "\xd8\x9c", "\xed\xa0\x80" /* a surrogate */};
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        ck_assert_msg(!wn_path_valid(no[i], strlen(no[i])), "case %zu accepted", i);
    ck_assert(!wn_path_valid("a\0b", 3)); /* NUL inside */
    /* lengths: the whole path, one component, the depth */
    char *big = malloc(WN_PATH_MAX + 2);
    for (size_t i = 0; i < WN_PATH_MAX + 1; i++)
        big[i] = i % 40 == 39 ? '/' : 'a';
    ck_assert(wn_path_valid(big, WN_PATH_MAX));
    ck_assert(!wn_path_valid(big, WN_PATH_MAX + 1));
    memset(big, 'n', WN_PATH_NAME_MAX + 1);
    ck_assert(wn_path_valid(big, WN_PATH_NAME_MAX));
    ck_assert(!wn_path_valid(big, WN_PATH_NAME_MAX + 1));
    for (size_t i = 0; i < 2 * (WN_PATH_DEPTH_MAX + 1); i++)
        big[i] = i % 2 ? '/' : 'd';
    ck_assert(wn_path_valid(big, 2 * WN_PATH_DEPTH_MAX - 1));
    ck_assert(!wn_path_valid(big, 2 * WN_PATH_DEPTH_MAX + 1));
    free(big);
}
END_TEST

static wn_entry entry(uint64_t id, const char *path)
{
    return (wn_entry){.id = id, .kind = (uint8_t)(id % 3), .mode = 0100644 | (uint32_t)(id & 1),
                      .size = id * 1000, .mtime_ns = -(int64_t)id * 7, .version = id * 3,
                      .path = path};
}

START_TEST(test_manifest__page_round_trip)
{
    wn_page pg;
    wn_page_init(&pg, WN_MANIFEST_PAGE_BYTES);
    char paths[100][32];
    for (int i = 0; i < 100; i++) {
        snprintf(paths[i], sizeof paths[i], "dir%d/file%d.c", i % 7, i);
        wn_entry e = entry((uint64_t)i + 1, paths[i]);
        ck_assert(wn_page_add(&pg, &e));
    }
    wn_entry bad = entry(0, "zero-id");
    ck_assert(!wn_page_add(&pg, &bad));
    bad = entry(5, "../up");
    ck_assert(!wn_page_add(&pg, &bad));
    ck_assert_uint_eq(pg.count, 100);
    ck_assert_uint_eq(pg.last_id, 100);
    wf_buf b;
    wf_buf_init(&b);
    wn_manifest_encode(&pg, 17, 100, &b);
    wn_entries got;
    ck_assert_int_eq(wn_manifest_decode(b.data, b.len, &got), 0);
    ck_assert_uint_eq(got.version, 17);
    ck_assert_uint_eq(got.next_after, 100);
    ck_assert_uint_eq(got.n, 100);
    for (int i = 0; i < 100; i++) {
        wn_entry want = entry((uint64_t)i + 1, paths[i]);
        const wn_entry *e = &got.v[i].entry;
        ck_assert_uint_eq(got.v[i].op, WN_CHANGE_ADD);
        ck_assert_uint_eq(e->id, want.id);
        ck_assert_uint_eq(e->kind, want.kind);
        ck_assert_uint_eq(e->mode, want.mode);
        ck_assert_uint_eq(e->size, want.size);
        ck_assert_int_eq(e->mtime_ns, want.mtime_ns);
        ck_assert_uint_eq(e->version, want.version);
        ck_assert_str_eq(e->path, want.path);
    }
    wn_entries_free(&got);
    ASSERT_CUTS_REFUSED(&b, wn_manifest_decode(b.data, b.len, &got));
    wf_buf_free(&b);
    wn_page_free(&pg);
}
END_TEST

/* A page stops at its byte budget (and always takes one entry). */
START_TEST(test_manifest__page_bounded)
{
    wn_page pg;
    wn_page_init(&pg, 1000);
    char path[64];
    uint64_t id = 1;
    for (;; id++) {
        snprintf(path, sizeof path, "some/longer/path/name-%06llu.txt", (unsigned long long)id);
        wn_entry e = entry(id, path);
        if (!wn_page_add(&pg, &e))
            break;
    }
    ck_assert_uint_gt(pg.count, 10);
    ck_assert_uint_le(pg.entries.len, 1000);
    ck_assert_uint_eq(pg.last_id, id - 1);
    wn_page_free(&pg);
    /* a tiny budget still takes the first entry */
    wn_page_init(&pg, 1);
    wn_entry e = entry(1, "a");
    ck_assert(wn_page_add(&pg, &e));
    ck_assert(!wn_page_add(&pg, &e));
    wn_page_free(&pg);
}
END_TEST

START_TEST(test_manifest__changes)
{
    wn_change c[4] = {
        {WN_CHANGE_ADD, entry(3, "new.c")},
        {WN_CHANGE_UPDATE, entry(4, "old.c")},
        {WN_CHANGE_RENAME, entry(5, "moved/here.c")},
        {WN_CHANGE_REMOVE, entry(6, "gone.c")},
    };
    wf_buf b;
    wf_buf_init(&b);
    wn_changes_encode(99, c, 4, &b);
    wn_entries got;
    ck_assert_int_eq(wn_changes_decode(b.data, b.len, &got), 0);
    ck_assert_uint_eq(got.version, 99);
    ck_assert_uint_eq(got.n, 4);
    for (int i = 0; i < 4; i++) {
        ck_assert_uint_eq(got.v[i].op, c[i].op);
        ck_assert_uint_eq(got.v[i].entry.id, c[i].entry.id);
        ck_assert_str_eq(got.v[i].entry.path, c[i].entry.path);
    }
    wn_entries_free(&got);
    ASSERT_CUTS_REFUSED(&b, wn_changes_decode(b.data, b.len, &got));
    /* an unknown op */
    size_t op_at = 2; /* version (1 byte) · count (1 byte) · op */
    b.data[op_at] = 4;
    ck_assert_int_eq(wn_changes_decode(b.data, b.len, &got), WN_EPROTO);
    wf_buf_free(&b);
    /* invalid changes are never encoded */
    wn_change nope[2] = {{9, entry(1, "a")}, {WN_CHANGE_ADD, entry(2, "/abs")}};
    wf_buf_init(&b);
    wn_changes_encode(1, nope, 2, &b);
    ck_assert_int_eq(wn_changes_decode(b.data, b.len, &got), 0);
    ck_assert_uint_eq(got.n, 0);
    wn_entries_free(&got);
    wf_buf_free(&b);
}
END_TEST

/* Hand-made entries a hostile host might send: each refused. */
START_TEST(test_manifest__malformed)
{
    struct {
        uint64_t id, kind, mode, len;
        const char *path;
    } bad[] = {
        {0, 0, 0, 1, "a"},                /* id 0 */
        {1, 3, 0, 1, "a"},                /* unknown kind */
        {1, 0, 1ULL << 33, 1, "a"},       /* mode beyond 32 bits */
        {1, 0, 0, 2, ".."},               /* escapes */
        {1, 0, 0, 4, "/etc"},             /* absolute */
        {1, 0, 0, 3, "a\x1b["},           /* control character */
        {1, 0, 0, 1ULL << 40, "a"},       /* a length beyond the message */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        wf_buf b;
        wf_buf_init(&b);
        wf_buf_put_varuint(&b, 1); /* version */
        wf_buf_put_varuint(&b, 0); /* next_after */
        wf_buf_put_varuint(&b, 1); /* count */
        wf_buf_put_varuint(&b, bad[i].id);
        wf_buf_put_u8(&b, (uint8_t)bad[i].kind);
        wf_buf_put_varuint(&b, bad[i].mode);
        wf_buf_put_varuint(&b, 10);
        wf_buf_put_varint(&b, 0);
        wf_buf_put_varuint(&b, 1); /* version */
        wf_buf_put_varuint(&b, bad[i].len);
        wf_buf_put(&b, bad[i].path, strlen(bad[i].path));
        wn_entries got;
        ck_assert_msg(wn_manifest_decode(b.data, b.len, &got) == WN_EPROTO, "case %zu", i);
        wf_buf_free(&b);
    }
    /* a count far beyond the bytes: refused before any allocation of that size */
    wf_buf b;
    wf_buf_init(&b);
    wf_buf_put_varuint(&b, 1);
    wf_buf_put_varuint(&b, 0);
    wf_buf_put_varuint(&b, UINT64_MAX);
    wn_entries got;
    ck_assert_int_eq(wn_manifest_decode(b.data, b.len, &got), WN_EPROTO);
    wf_buf_free(&b);
}
END_TEST

/* A tree request sent again after a reconnect: answered again from the log, never done
 * twice; one still being done is neither done again nor answered twice. */
START_TEST(test_project__tree_log)
{
    wn_tree_log l = {0};
    const wn_tree_done *a;
    ck_assert(wn_tree_log_hear(&l, 7, 100, &a));
    ck_assert(!wn_tree_log_hear(&l, 7, 100, &a)); /* again, before its answer */
    ck_assert_ptr_null(a);
    wn_tree_done d = {.request = 100, .ok = true, .file = 55};
    snprintf(d.text, sizeof d.text, "created");
    wn_tree_log_answer(&l, 7, &d);
    ck_assert(!wn_tree_log_hear(&l, 7, 100, &a));
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(a->file, 55);
    ck_assert_str_eq(a->text, "created");
    ck_assert(!wn_tree_log_hear(&l, 7, 99, &a)); /* older than heard: never done */
    ck_assert(wn_tree_log_hear(&l, 8, 1, &a));   /* another participant's numbers */
    ck_assert(wn_tree_log_hear(&l, 7, 101, &a));
    /* the oldest answers go after WN_TREE_ANSWERS more */
    for (uint32_t r = 101; r < 101 + WN_TREE_ANSWERS; r++) {
        wn_tree_done e = {.request = r, .ok = true};
        wn_tree_log_answer(&l, 7, &e);
    }
    ck_assert(!wn_tree_log_hear(&l, 7, 100, &a));
    ck_assert_ptr_null(a);
    /* at most WN_TREE_AGENTS participants: the oldest forgotten */
    for (uint64_t agent = 1000; agent < 1000 + WN_TREE_AGENTS; agent++)
        ck_assert(wn_tree_log_hear(&l, agent, 1, &a));
    ck_assert_uint_eq(l.n, WN_TREE_AGENTS);
    wn_tree_log_free(&l);
}
END_TEST

static Suite *proto_suite(void)
{
    Suite *s = suite_create("net_proto");
    TCase *tc = tcase_create("messages");
    tcase_add_test(tc, test_proto3__file_prefix);
    tcase_add_test(tc, test_proto3__open_and_opened);
    tcase_add_test(tc, test_proto3__saved_and_tree_done);
    tcase_add_test(tc, test_proto3__tree);
    tcase_add_test(tc, test_proto3__paths);
    suite_add_tcase(s, tc);
    tc = tcase_create("manifest");
    tcase_add_test(tc, test_manifest__page_round_trip);
    tcase_add_test(tc, test_manifest__page_bounded);
    tcase_add_test(tc, test_manifest__changes);
    tcase_add_test(tc, test_manifest__malformed);
    tcase_add_test(tc, test_project__tree_log);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    if (sodium_init() < 0)
        return 99;
    return wt_run_suite(proto_suite());
}
