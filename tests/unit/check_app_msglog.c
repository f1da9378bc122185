/* Tests of app/editor/fit.c (the longest prefix of whole words, word wrapping) and app/editor/msglog.c
 * (the last 100 messages, repeats counted, wrapped for the messages screen). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/editor/fit.h"
#include "app/editor/msglog.h"
#include "app/ui/status.h"

static size_t fitw(const char *s, int width)
{
    return fit_words(s, strlen(s), width);
}

START_TEST(test_fit__words)
{
    ck_assert_uint_eq(fitw("abc def", 7), 7);
    ck_assert_uint_eq(fitw("abc def  ", 9), 7);   /* trailing blanks dropped */
    ck_assert_uint_eq(fitw("abc def", 6), 3);
    ck_assert_uint_eq(fitw("abc def", 3), 3);
    ck_assert_uint_eq(fitw("abc def", 4), 3);      /* "abc " */
    ck_assert_uint_eq(fitw("abc  def ghi", 9), 8); /* "abc  def " fits: cut before ghi */
    ck_assert_uint_eq(fitw("abc  def ghi", 7), 3);
    ck_assert_uint_eq(fitw("abcdef", 4), 4);       /* one word too long: cut */
    ck_assert_uint_eq(fitw("abc", 0), 0);
    ck_assert_uint_eq(fitw("", 5), 0);
    /* Widths are columns of clusters: 中文 is 4 columns, é is one cluster of 3 bytes. */
    ck_assert_uint_eq(fitw("\xe4\xb8\xad\xe6\x96\x87 x", 5), 6);
    ck_assert_uint_eq(fitw("\xe4\xb8\xad\xe6\x96\x87 x", 6), 8);
    ck_assert_uint_eq(fitw("e\xcc\x81" "e\xcc\x81" "e\xcc\x81", 2), 6);
    ck_assert_uint_eq(fitw("\xe4\xb8\xad\xe6\x96\x87", 3), 3); /* never half a wide one */
}
END_TEST

START_TEST(test_fit__wrap)
{
    const char *s = "one two three four five six seven";
    size_t n = strlen(s), len;
    char got[8][40];
    int lines = 0;
    while (n > 0 && lines < 8) {
        size_t used = fit_wrap(s, n, 10, &len);
        snprintf(got[lines++], sizeof got[0], "%.*s", (int)len, s);
        s += used;
        n -= used;
    }
    ck_assert_int_eq(lines, 4);
    ck_assert_str_eq(got[0], "one two");
    ck_assert_str_eq(got[1], "three four");
    ck_assert_str_eq(got[2], "five six");
    ck_assert_str_eq(got[3], "seven");
    /* narrower than a cluster: one per line all the same */
    ck_assert_uint_eq(fit_wrap("\xe4\xb8\xad\xe6\x96\x87", 6, 1, &len), 3);
    ck_assert_uint_eq(len, 3);
}
END_TEST

START_TEST(test_msglog__keeps_the_last_100)
{
    struct msglog log = {0};
    char t[32];
    for (int i = 0; i < 150; i++) {
        snprintf(t, sizeof t, "message %d", i);
        msglog_add(&log, 1000 + i, i % 7 == 0, t);
    }
    ck_assert_uint_eq(msglog_count(&log), MSGLOG_MAX);
    ck_assert_str_eq(msglog_get(&log, 0)->text, "message 50");
    ck_assert_str_eq(msglog_get(&log, 99)->text, "message 149");
    ck_assert(msglog_get(&log, 6)->error); /* 56 */
    /* the same message again: one entry, counted; an empty one is not logged */
    msglog_add(&log, 2000, false, "message 149");
    msglog_add(&log, 2001, false, "");
    ck_assert_uint_eq(msglog_count(&log), MSGLOG_MAX);
    ck_assert_uint_eq(msglog_get(&log, 99)->count, 2);
    ck_assert_int_eq(msglog_get(&log, 99)->when, 2000);
    msglog_close(&log);
    ck_assert_uint_eq(msglog_count(&log), 0);
}
END_TEST

/* A message is shown whole on the messages screen: wrapped at words within the width,
 * indented under its time, its words all there in order. */
START_TEST(test_msglog__lines_show_messages_whole)
{
    static const char msg[] = "notes.md.weft-save holds unsaved text from an earlier weft "
                              "that was stopped: compare it with notes.md, keep what you "
                              "want, then delete it.";
    struct msglog log = {0};
    msglog_add(&log, 0, false, "Saved 3 lines to notes.md.");
    msglog_add(&log, 0, true, msg);
    msglog_add(&log, 0, true, msg);
    for (int width = 20; width <= 120; width += 20) {
        struct msglog_lines ml;
        msglog_lines(&log, width, &ml);
        ck_assert_uint_ge(ml.n, 2);
        char joined[1024] = "";
        for (size_t i = 0; i < ml.n; i++) {
            ck_assert_msg(status_width(ml.v[i].text) <= width, "%d: '%s'", width, ml.v[i].text);
            if (!ml.v[i].error) /* "Saved 3 lines" */
                continue;
            const char *t = ml.v[i].text;
            if (t[2] == ':' && t[5] == ':') /* the time */
                t += 8;
            while (*t == ' ')
                t++;
            if (*t) {
                if (joined[0])
                    strcat(joined, " ");
                strcat(joined, t);
            }
        }
        char want[400];
        snprintf(want, sizeof want, "%s (2 times)", msg);
        ck_assert_msg(strstr(joined, want), "%d: '%s'", width, joined);
        msglog_lines_free(&ml);
    }
    msglog_close(&log);
}
END_TEST

static Suite *msglog_suite(void)
{
    Suite *s = suite_create("app_msglog");
    TCase *tc = tcase_create("fit");
    tcase_add_test(tc, test_fit__words);
    tcase_add_test(tc, test_fit__wrap);
    suite_add_tcase(s, tc);
    tc = tcase_create("log");
    tcase_add_test(tc, test_msglog__keeps_the_last_100);
    tcase_add_test(tc, test_msglog__lines_show_messages_whole);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(msglog_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
