/* net/failure: the sentence for every class of failure to reach a host says what happened,
 * why and what to do, and the code it returns classifies it (wn_error_final(): a final no,
 * or one that can pass). ssh is judged by OpenSSH's own stderr lines. */
#include <string.h>
#include <uv.h>

#include "net/error.h"
#include "net/failure.h"
#include "tests/common/testutil.h"

#define HAS(s, part) ck_assert_msg(strstr((s), (part)) != NULL, "'%s' lacks '%s'", (s), (part))

START_TEST(test_failure__connect)
{
    static const struct {
        int err;
        const char *why, *todo;
    } cases[] = {
        {UV_ECONNREFUSED, "nothing listens there (connection refused)",
         "Is the host still running, and is the ticket current?"},
        {UV_ETIMEDOUT, "no answer (timed out)", "Is the address reachable from here"},
        {UV_EHOSTUNREACH, "no route to that address (unreachable)", "Check your network"},
        {UV_ENETUNREACH, "no route to that address (unreachable)", "use the ssh:// ticket"},
        {UV_ECONNRESET, "the connection was reset", "Trying again may help"},
        {UV_EADDRNOTAVAIL, "cannot be used from this machine", "Check the address"},
        {UV_EACCES, "ermission denied", "Is the host running"},
    };
    char out[512];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int err = wn_failure_connect(out, sizeof out, "127.0.0.1", 1, cases[i].err);
        ck_assert_int_eq(err, cases[i].err);
        ck_assert(!wn_error_final(err)); /* the host may come back, the network too */
        HAS(out, "cannot connect to 127.0.0.1:1: ");
        HAS(out, cases[i].why);
        HAS(out, cases[i].todo);
    }
    /* Cut to the buffer, terminated. */
    char small[20];
    wn_failure_connect(small, sizeof small, "127.0.0.1", 1, UV_ECONNREFUSED);
    ck_assert_str_eq(small, "cannot connect to 1");
}
END_TEST

START_TEST(test_failure__resolve)
{
    char out[512];
    int err = wn_failure_resolve(out, sizeof out, "devbox.example", UV_EAI_NONAME);
    ck_assert_int_eq(err, WN_ENOHOST);
    ck_assert(wn_error_final(err));
    HAS(out, "cannot find host devbox.example: no such name");
    HAS(out, "Check the host name in the ticket");
    err = wn_failure_resolve(out, sizeof out, "devbox.example", UV_EAI_AGAIN);
    ck_assert_int_eq(err, UV_EAI_AGAIN);
    ck_assert(!wn_error_final(err));
    HAS(out, "the name server did not answer");
    HAS(out, "Check your network connection");
    err = wn_failure_resolve(out, sizeof out, "devbox.example", UV_EAI_FAIL);
    ck_assert(!wn_error_final(err));
    HAS(out, "cannot find host devbox.example: ");
}
END_TEST

START_TEST(test_failure__spawn)
{
    char out[512];
    int err = wn_failure_spawn(out, sizeof out, "ssh", UV_ENOENT);
    ck_assert_int_eq(err, WN_ENOSSH);
    ck_assert(wn_error_final(err));
    HAS(out, "cannot run ssh: there is no program 'ssh'");
    HAS(out, "apt-get install openssh-client");
    HAS(out, "WEFT_SSH");
    err = wn_failure_spawn(out, sizeof out, "/bin/ssh", UV_EACCES);
    ck_assert_int_eq(err, WN_ENOSSH);
    HAS(out, "cannot run ssh ('/bin/ssh'): ");
    HAS(out, "Check WEFT_SSH");
}
END_TEST

/* A handshake that ended without a word from the host. */
START_TEST(test_failure__handshake)
{
    char out[512];
    ck_assert_int_eq(wn_failure_handshake(out, sizeof out, "h:1", WN_ECLOSED, "x"), WN_ECLOSED);
    HAS(out, "cannot join h:1: the connection closed during the handshake");
    HAS(out, "Is it a weft host");
    ck_assert_int_eq(wn_failure_handshake(out, sizeof out, "h:1", WN_ETIMEOUT, "x"),
                     WN_ETIMEOUT);
    HAS(out, "cannot join h:1: no answer to the handshake within 5 s");
    HAS(out, "Is the host busy, or stopped?");
    wn_failure_handshake(out, sizeof out, "h:1", WN_EFRAME, "x");
    HAS(out, "cannot join h:1: what answers there does not speak weft's protocol");
    HAS(out, "Is the port in the ticket right?");
    wn_failure_handshake(out, sizeof out, "h:1", WN_EPROTO, "x");
    HAS(out, "does not speak weft's protocol");
    ck_assert_int_eq(wn_failure_handshake(out, sizeof out, "h:1", UV_ECONNRESET, "x"),
                     UV_ECONNRESET);
    HAS(out, "the connection closed during the handshake");
    ck_assert_int_eq(wn_failure_handshake(out, sizeof out, "h:1", WN_ETOOBIG, "too big"),
                     WN_ETOOBIG);
    ck_assert_str_eq(out, "too big");
}
END_TEST

/* OpenSSH's own words, as they come on its stderr, and what they make. */
START_TEST(test_failure__ssh)
{
    static const struct {
        const char *err;
        bool batch;
        int code;
        const char *says[3];
    } cases[] = {
        {"ben@devbox: Permission denied (publickey).\n", false, WN_EDENIED,
         {"ssh could not log in to ben@devbox: permission denied",
          "(ssh said: ben@devbox: Permission denied (publickey).)",
          "Check the user name in the ticket and your key"}},
        {"ben@devbox: Permission denied (publickey,password).\r\n", true, WN_EDENIED,
         {"ssh needs a password or passphrase for ben@devbox",
          "cannot ask while the editor runs", "use ssh-agent (ssh-add) or ControlMaster"}},
        {"Host key verification failed.\n", true, WN_EDENIED,
         {"ssh could not verify the host key of ben@devbox",
          "Run 'ssh ben@devbox' once to check and accept it", "(ssh said: Host key"}},
        {"@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n", false,
         WN_EDENIED, {"could not verify the host key", "ask the host's owner", ""}},
        {"ssh: Could not resolve hostname devbox: Name or service not known\n", false,
         WN_ENOHOST, {"ssh cannot find the host ben@devbox", "Check the ssh host in the ticket",
                      "(ssh said: ssh: Could not resolve hostname devbox"}},
        {"channel 0: open failed: connect failed: Connection refused\nstdio forwarding "
         "failed\n", true, WN_ESSH,
         {"ssh logged in to ben@devbox, but nothing answers at 127.0.0.1:4000 there",
          "(ssh said: channel 0: open failed: connect failed: Connection refused)",
          "Is the weft host still running, and is the ticket current?"}},
        {"ssh: connect to host devbox port 22: Connection refused\n", true, WN_ESSH,
         {"no ssh server answers at ben@devbox (connection refused)",
          "Is the ssh port right", ""}},
        {"ssh: connect to host devbox port 22: Connection timed out\n", true, WN_ESSH,
         {"ssh cannot reach ben@devbox", "Check your network connection", ""}},
        {"ssh: connect to host devbox port 22: No route to host\n", true, WN_ESSH,
         {"ssh cannot reach ben@devbox", "No route to host", ""}},
        {"something else entirely\n\n", true, WN_ESSH,
         {"ssh to ben@devbox ended (exit status 255) before the session started",
          "(ssh said: something else entirely)", "Run 'ssh ben@devbox' to see why"}},
        {"", true, WN_ESSH, {"ssh to ben@devbox ended (exit status 255)", "to see why", ""}},
    };
    char out[1024];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        wn_ssh_end e = {.dest = "ben@devbox", .target = "127.0.0.1:4000", .exited = true,
                        .status = 255, .err = cases[i].err, .batch = cases[i].batch};
        int code = wn_failure_ssh(out, sizeof out, &e);
        ck_assert_msg(code == cases[i].code, "case %zu: code %d, want %d (%s)", i, code,
                      cases[i].code, out);
        ck_assert_int_eq(wn_error_final(code), code != WN_ESSH);
        for (int k = 0; k < 3; k++)
            if (cases[i].says[k][0])
                HAS(out, cases[i].says[k]);
        if (!cases[i].batch || code != WN_EDENIED)
            ck_assert_msg(strstr(out, "ssh-agent") == NULL, "case %zu: %s", i, out);
    }
}
END_TEST

/* How ssh ended, when its stderr names nothing known. */
START_TEST(test_failure__ssh_ending)
{
    char out[1024];
    wn_ssh_end e = {.dest = "devbox", .target = "127.0.0.1:4000", .exited = true, .status = 1};
    ck_assert_int_eq(wn_failure_ssh(out, sizeof out, &e), WN_ESSH);
    HAS(out, "ssh to devbox ended (exit status 1) before the session started");
    e.signal = 9;
    wn_failure_ssh(out, sizeof out, &e);
    HAS(out, "ssh to devbox was ended by signal 9");
    e = (wn_ssh_end){.dest = "devbox", .target = "127.0.0.1:4000", .exited = false};
    wn_failure_ssh(out, sizeof out, &e);
    HAS(out, "ssh to devbox ended before the session started");
    e.timed_out = true;
    wn_failure_ssh(out, sizeof out, &e);
    HAS(out, "the session did not start through ssh to devbox in time");
    HAS(out, "Is the weft host at 127.0.0.1:4000 there busy or stopped?");
    /* A known cause wins over how it ended. */
    e.err = "Permission denied (publickey).";
    ck_assert_int_eq(wn_failure_ssh(out, sizeof out, &e), WN_EDENIED);
}
END_TEST

START_TEST(test_failure__ssh_line)
{
    char line[64];
    wn_failure_ssh_line(line, sizeof line, "Warning: added\nPermission denied (publickey).\n");
    ck_assert_str_eq(line, "Permission denied (publickey).");
    wn_failure_ssh_line(line, sizeof line, "first\nsecond  \n\n");
    ck_assert_str_eq(line, "second");
    wn_failure_ssh_line(line, sizeof line, "");
    ck_assert_str_eq(line, "");
    wn_failure_ssh_line(line, sizeof line, NULL);
    ck_assert_str_eq(line, "");
    char tiny[8];
    wn_failure_ssh_line(tiny, sizeof tiny, "Permission denied (publickey).");
    ck_assert_str_eq(tiny, "Permiss");
}
END_TEST

/* Which codes are a final no. */
START_TEST(test_failure__final)
{
    static const int final[] = {WN_EAUTH, WN_EVERSION, WN_EDOC, WN_ETICKET, WN_EDENIED,
                                WN_ENOHOST, WN_ENOSSH};
    static const int passes[] = {0, WN_ETOOBIG, WN_ETIMEOUT, WN_ECLOSED, WN_EPROTO, WN_EFRAME,
                                 WN_EREMOTE, WN_ESLOW, WN_ESSH, UV_ECONNREFUSED, UV_ETIMEDOUT,
                                 UV_EAI_AGAIN, UV_ECONNRESET};
    for (size_t i = 0; i < sizeof final / sizeof *final; i++)
        ck_assert_msg(wn_error_final(final[i]), "%d (%s)", final[i], wn_strerror(final[i]));
    for (size_t i = 0; i < sizeof passes / sizeof *passes; i++)
        ck_assert_msg(!wn_error_final(passes[i]), "%d (%s)", passes[i], wn_strerror(passes[i]));
    /* Every new code has words. */
    for (int e = WN_ENOSSH; e <= WN_EDENIED; e++)
        ck_assert_str_ne(wn_strerror(e), "unknown error");
}
END_TEST

static Suite *failure_suite(void)
{
    Suite *s = suite_create("net_failure");
    TCase *tc = tcase_create("messages");
    tcase_add_test(tc, test_failure__connect);
    tcase_add_test(tc, test_failure__resolve);
    tcase_add_test(tc, test_failure__spawn);
    tcase_add_test(tc, test_failure__handshake);
    tcase_add_test(tc, test_failure__ssh);
    tcase_add_test(tc, test_failure__ssh_ending);
    tcase_add_test(tc, test_failure__ssh_line);
    tcase_add_test(tc, test_failure__final);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(failure_suite());
}
