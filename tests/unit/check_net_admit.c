/* net/admit: a host's admission decisions on a fake clock (plain numbers of ms). The accept
 * budget per turn; failed handshakes counted per IP address (the port does not count) within
 * a window, and the answer held back past WN_SLOW_AFTER of them; a full table forgets the
 * address whose window is oldest; among connections setting up, who gives way past a cap
 * (a held one first, then the oldest silent one, then the oldest), per address and in all. */
#include <stdio.h>
#include <string.h>

#include "net/admit.h"
#include "tests/common/testutil.h"

START_TEST(test_admit__ip)
{
    char ip[WN_ADMIT_IP_MAX];
    wn_admit_ip("127.0.0.1:5000", ip, sizeof ip);
    ck_assert_str_eq(ip, "127.0.0.1");
    wn_admit_ip("[::1]:80", ip, sizeof ip);
    ck_assert_str_eq(ip, "[::1]");
    wn_admit_ip("ssh", ip, sizeof ip);
    ck_assert_str_eq(ip, "ssh");
    char small[4];
    wn_admit_ip("10.0.0.1:1", small, sizeof small);
    ck_assert_str_eq(small, "10.");
}
END_TEST

START_TEST(test_admit__accepts_per_turn)
{
    wn_admit *a = wn_admit_new();
    for (int i = 0; i < WN_ACCEPTS_PER_TURN; i++)
        ck_assert_msg(wn_admit_may_accept(a, 5), "accept %d of the turn", i + 1);
    ck_assert(!wn_admit_may_accept(a, 5));
    ck_assert(!wn_admit_may_accept(a, 5)); /* a refusal takes nothing */
    ck_assert(wn_admit_may_accept(a, 6));  /* the loop's time moved: a new turn */
    for (int i = 1; i < WN_ACCEPTS_PER_TURN; i++)
        ck_assert(wn_admit_may_accept(a, 6));
    ck_assert(!wn_admit_may_accept(a, 6));
    wn_admit_new_turn(a, 6); /* the same time, but a new turn (the host's idle callback) */
    ck_assert(wn_admit_may_accept(a, 6));
    wn_admit_free(a);
}
END_TEST

START_TEST(test_admit__slow_after_failures)
{
    wn_admit *a = wn_admit_new();
    for (uint32_t i = 1; i <= WN_SLOW_AFTER; i++) {
        char addr[32];
        snprintf(addr, sizeof addr, "192.0.2.7:%u", 40000 + i); /* a new port each time */
        uint32_t n = wn_admit_fail(a, addr, 1000 + i);
        ck_assert_uint_eq(n, i);
        ck_assert_uint_eq(wn_admit_hold_ms(n), 0);
    }
    uint32_t n = wn_admit_fail(a, "192.0.2.7:1", 2000);
    ck_assert_uint_eq(n, WN_SLOW_AFTER + 1);
    ck_assert_uint_eq(wn_admit_hold_ms(n), WN_SLOW_ANSWER_MS);
    /* Another address is not slowed for it. */
    ck_assert_uint_eq(wn_admit_fail(a, "192.0.2.8:1", 2000), 1);
    ck_assert_uint_eq(wn_admit_fail(a, "[2001:db8::1]:1", 2000), 1);
    ck_assert_uint_eq(wn_admit_fail(a, "[2001:db8::1]:2", 2001), 2);
    wn_admit_free(a);
}
END_TEST

START_TEST(test_admit__window)
{
    wn_admit *a = wn_admit_new();
    const uint64_t t0 = 500;
    for (uint32_t i = 0; i < WN_SLOW_AFTER; i++)
        wn_admit_fail(a, "198.51.100.1:1", t0 + i);
    /* Within the window (its last ms included), the count goes on ... */
    ck_assert_uint_eq(wn_admit_fail(a, "198.51.100.1:1", t0 + WN_SLOW_WINDOW_MS),
                      WN_SLOW_AFTER + 1);
    /* ... and after it, a new window starts from this failure. */
    ck_assert_uint_eq(wn_admit_fail(a, "198.51.100.1:1", t0 + WN_SLOW_WINDOW_MS + 1), 1);
    ck_assert_uint_eq(wn_admit_hold_ms(1), 0);
    wn_admit_free(a);
}
END_TEST

START_TEST(test_admit__table_full)
{
    wn_admit *a = wn_admit_new();
    char addr[32];
    for (unsigned i = 0; i < WN_ADMIT_ADDRESSES; i++) {
        snprintf(addr, sizeof addr, "10.%u.%u.1:9", i / 256, i % 256);
        ck_assert_uint_eq(wn_admit_fail(a, addr, 100 + i), 1);
    }
    /* One address more: the oldest window (10.0.0.1's) is forgotten for it. */
    ck_assert_uint_eq(wn_admit_fail(a, "172.16.0.1:9", 5000), 1);
    ck_assert_uint_eq(wn_admit_fail(a, "172.16.0.1:9", 5001), 2);
    /* The newest addresses are still counted. */
    snprintf(addr, sizeof addr, "10.%u.%u.1:9", (WN_ADMIT_ADDRESSES - 1) / 256,
             (WN_ADMIT_ADDRESSES - 1) % 256);
    ck_assert_uint_eq(wn_admit_fail(a, addr, 5002), 2);
    /* 10.0.0.1 starts again from one (taking the place of the next oldest, 10.0.1.1). */
    ck_assert_uint_eq(wn_admit_fail(a, "10.0.0.1:9", 5003), 1);
    wn_admit_free(a);
}
END_TEST

/* A connection as the host would walk it (newest first). */
typedef struct fake {
    const char *name;
    const char *addr;
    bool held, heard;
} fake;

static const char *victim(const fake *list, size_t n, const char *ip, size_t cap, size_t *count)
{
    wn_admit_scan s;
    wn_admit_scan_init(&s, ip);
    for (size_t i = 0; i < n; i++)
        wn_admit_scan_add(&s, (void *)&list[i], list[i].addr, list[i].held, list[i].heard);
    *count = s.count;
    const fake *f = wn_admit_scan_over(&s, cap);
    return f ? f->name : NULL;
}

START_TEST(test_admit__who_gives_way)
{
    size_t count;
    /* newest first */
    const fake all[] = {
        {"new-silent", "10.0.0.1:1", false, false}, {"held", "10.0.0.1:2", true, true},
        {"old-silent", "10.0.0.1:3", false, false}, {"old", "10.0.0.2:4", false, true},
    };
    ck_assert_str_eq(victim(all, 4, NULL, 4, &count), "held");
    ck_assert_uint_eq(count, 4);
    ck_assert_ptr_null(victim(all, 4, NULL, 5, &count)); /* under the cap: nobody */
    /* Without the held one: the oldest that has sent nothing. */
    const fake no_held[] = {all[0], all[2], all[3]};
    ck_assert_str_eq(victim(no_held, 3, NULL, 3, &count), "old-silent");
    /* Everyone has spoken: the oldest. */
    const fake spoken[] = {{"a", "10.0.0.1:1", false, true}, {"b", "10.0.0.1:2", false, true},
                           {"c", "10.0.0.1:3", false, true}};
    ck_assert_str_eq(victim(spoken, 3, NULL, 2, &count), "c");
    /* Per address: only 10.0.0.2's connections count toward its cap. */
    ck_assert_ptr_null(victim(all, 4, "10.0.0.2", 2, &count));
    ck_assert_uint_eq(count, 1);
    ck_assert_str_eq(victim(all, 4, "10.0.0.2", 1, &count), "old");
    ck_assert_str_eq(victim(all, 4, "10.0.0.1", 3, &count), "held");
    ck_assert_uint_eq(count, 3);
    /* Nothing at all. */
    ck_assert_ptr_null(victim(all, 0, NULL, 0, &count));
    ck_assert_uint_eq(count, 0);
}
END_TEST

static Suite *admit_suite(void)
{
    Suite *s = suite_create("net_admit");
    TCase *tc = tcase_create("limits");
    tcase_add_test(tc, test_admit__ip);
    tcase_add_test(tc, test_admit__accepts_per_turn);
    tcase_add_test(tc, test_admit__slow_after_failures);
    tcase_add_test(tc, test_admit__window);
    tcase_add_test(tc, test_admit__table_full);
    tcase_add_test(tc, test_admit__who_gives_way);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(admit_suite());
}
