/* Tests of app/ui/ticketview.c: on the Ctrl-T screen every ticket is whole on a row of its
 * own at any width (a copied ticket is never broken), beside its label when both fit. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "app/ui/ticketview.h"

static char *lines[] = {
    "read-write: weft://LWbdWUHFyRiyhi9bd5HXKQ@127.0.0.1:40031",
    "read-write over ssh: ssh://devbox/LWbdWUHFyRiyhi9bd5HXKQ@127.0.0.1:40031",
    "weft://bare1234567890abcdefgh@127.0.0.1:1",
};

static bool row_is(const struct ticket_row *r, const char *text, bool label)
{
    return r->len == strlen(text) && !memcmp(r->text, text, r->len) && r->label == label;
}

START_TEST(test_ticketview__whole_tickets_at_every_width)
{
    struct ticket_row r[8];
    size_t n = ticketview_rows(lines, 3, 200, r, 8);
    ck_assert_uint_eq(n, 3);
    for (size_t i = 0; i < 3; i++)
        ck_assert(row_is(&r[i], lines[i], false));
    /* 60 columns: the ssh line does not fit with its label; its ticket does, alone. */
    n = ticketview_rows(lines, 3, 60, r, 8);
    ck_assert_uint_eq(n, 4);
    ck_assert(row_is(&r[0], lines[0], false));
    ck_assert(row_is(&r[1], "read-write over ssh:", true));
    ck_assert(row_is(&r[2], "ssh://devbox/LWbdWUHFyRiyhi9bd5HXKQ@127.0.0.1:40031", false));
    ck_assert(row_is(&r[3], lines[2], false));
    /* Narrower than the tickets: still one row each, whole (the drawing scrolls them). */
    for (int cols = 20; cols <= 200; cols++) {
        n = ticketview_rows(lines, 3, cols, r, 8);
        const char *tickets[3] = {strstr(lines[0], "weft://"), strstr(lines[1], "ssh://"),
                                  lines[2]};
        for (size_t t = 0; t < 3; t++) {
            bool found = false;
            for (size_t i = 0; i < n && !found; i++)
                found = r[i].len >= strlen(tickets[t])
                        && !memcmp(r[i].text + r[i].len - strlen(tickets[t]), tickets[t],
                                   strlen(tickets[t]));
            ck_assert_msg(found, "at %d columns, ticket %zu is not whole on a row", cols, t);
        }
        for (size_t i = 0; i < n; i++)
            ck_assert_msg(r[i].len <= (size_t)cols || !memchr(r[i].text, ' ', r[i].len),
                          "at %d columns a row wider than the screen holds more than a ticket",
                          cols);
    }
    /* The rows given are at most max. */
    ck_assert_uint_eq(ticketview_rows(lines, 3, 30, r, 2), 2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("app_ticketview");
    TCase *tc = tcase_create("rows");
    tcase_add_test(tc, test_ticketview__whole_tickets_at_every_width);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
