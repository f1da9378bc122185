/* The editor test harness (see edtest.h). */
#include "tests/common/edtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/editor/keys.h"
#include "app/editor/route.h"
#include "core/doc.h"

struct editor et_ed;
uint64_t et_now;
char et_dir[256];
char et_path[512];

static uint64_t fake_clock(void)
{
    return et_now;
}

static void on_event(void *ctx, const struct keyev *ev)
{
    editor_event(ctx, ev);
}

void et_setup(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(et_dir, sizeof et_dir, "%s/weft-edtest-XXXXXX", t && *t ? t : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(et_dir));
    snprintf(et_path, sizeof et_path, "%s/f.txt", et_dir);
    et_now = 1000;
    memset(&et_ed, 0, sizeof et_ed);
}

void et_teardown(void)
{
    char cmd[300];
    if (et_ed.buf)
        editor_close(&et_ed);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", et_dir);
    ck_assert_int_eq(system(cmd), 0);
}

void et_put(const char *path, const char *data, size_t n)
{
    /* A distinct mtime even within the file system's granularity: the stamp also has the
     * size and inode, and a rename gives a new inode. */
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(rename(tmp, path), 0);
}

void et_open_as(const char *name, const char *text)
{
    char err[512];
    if (et_ed.buf)
        editor_close(&et_ed);
    snprintf(et_path, sizeof et_path, "%s/%s", et_dir, name);
    if (text)
        et_put(et_path, text, strlen(text));
    else
        unlink(et_path);
    ck_assert_int_eq(editor_open(&et_ed, et_path, err, sizeof err), 0);
    et_ed.clock = fake_clock;
    editor_resize(&et_ed, 12, 40);
}

void et_open(const char *text)
{
    et_open_as("f.txt", text);
}

void et_feed(const char *bytes)
{
    struct keys k;
    keys_init(&k);
    keys_feed(&k, bytes, strlen(bytes), on_event, &et_ed);
    keys_flush(&k, on_event, &et_ed);
    keys_close(&k);
}

void et_expect_text(const char *want)
{
    size_t n;
    wf_doc *doc = et_ed.buf->doc;
    char *got = wf_doc_text(doc, 0, wf_doc_len(doc), &n);
    ck_assert_msg(n == strlen(want) && memcmp(got, want, n) == 0,
                  "text is \"%s\", want \"%s\"", got, want);
    free(got);
    char msg[256];
    ck_assert_msg(wf_doc_check(doc, msg, sizeof msg) == 0, "%s", msg);
}

void et_expect_file(const char *path, const char *want)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s does not exist", path);
    static char buf[1 << 16];
    size_t got = fread(buf, 1, sizeof buf, f);
    fclose(f);
    ck_assert_msg(got == strlen(want) && memcmp(buf, want, got) == 0,
                  "%s has \"%.*s\", want \"%s\"", path, (int)got, buf, want);
}

void et_expect_selection(size_t from, size_t to)
{
    size_t f = 0, t = 0;
    bool has = view_selection(&et_ed.buf->view, &f, &t);
    ck_assert_msg(has && f == from && t == to, "selection %s[%zu, %zu), want [%zu, %zu)",
                  has ? "" : "(none) ", f, t, from, to);
}
