/* net/ticket: ticket parsing (every error path), formatting and round trips, tokens, the
 * ssh transport's argv with $WEFT_SSH quoting, a host's --ssh-host as the ssh part of a
 * ticket; net/error: WN_E* codes collide with neither
 * libuv's UV_E* codes nor the core's WF_E* range. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "core/error.h"
#include "net/error.h"
#include "net/ticket.h"
#include "tests/common/testutil.h"

#define T16 "abcdefghijklmnop"            /* a 16-character token */
#define T22 "Xf3k_9-aZQ0pLm8vB2nR7w"      /* a 22-character token (as generated) */

/* --- parsing: valid tickets ------------------------------------------------------------ */

typedef struct good_case {
    const char *in;
    const char *token, *host;
    unsigned port;
    bool ssh;
    const char *user, *ssh_host;
    unsigned ssh_port;
    const char *canonical; /* NULL: the same as in */
} good_case;

static const good_case good[] = {
    {"weft://" T22 "@127.0.0.1:41234", T22, "127.0.0.1", 41234, false, NULL, NULL, 0, NULL},
    {"weft://" T16 "@localhost:1", T16, "localhost", 1, false, NULL, NULL, 0, NULL},
    {"weft://" T16 "@devbox.example.com:65535", T16, "devbox.example.com", 65535, false, NULL,
     NULL, 0, NULL},
    {"weft://" T16 "@[::1]:4000", T16, "::1", 4000, false, NULL, NULL, 0, NULL},
    {"weft://" T16 "@[2001:db8::42:1]:80", T16, "2001:db8::42:1", 80, false, NULL, NULL, 0,
     NULL},
    {"weft://" T16 "@[::ffff:192.0.2.1]:80", T16, "::ffff:192.0.2.1", 80, false, NULL, NULL, 0,
     NULL},
    {"weft://" T16 "@[fe80::1%eth0]:80", T16, "fe80::1%eth0", 80, false, NULL, NULL, 0, NULL},
    {"weft://" T16 "@my_box-2.lan:80", T16, "my_box-2.lan", 80, false, NULL, NULL, 0, NULL},
    {"weft://" T16 "@0.0.0.0:80", T16, "0.0.0.0", 80, false, NULL, NULL, 0, NULL},
    {"weft://" T16 "@255.255.255.255:80", T16, "255.255.255.255", 80, false, NULL, NULL, 0,
     NULL},
    {"weft://" T16 "@1a:80", T16, "1a", 80, false, NULL, NULL, 0, NULL},
    {"weft://--__--__--__--__@h:80", "--__--__--__--__", "h", 80, false, NULL, NULL, 0, NULL},
    /* tolerated, not canonical */
    {"  weft://" T16 "@h:80\n", T16, "h", 80, false, NULL, NULL, 0, "weft://" T16 "@h:80"},
    {"\t\r\nWEFT://" T16 "@h:80 \r\n", T16, "h", 80, false, NULL, NULL, 0,
     "weft://" T16 "@h:80"},
    {"Weft://" T16 "@h:00080", T16, "h", 80, false, NULL, NULL, 0, "weft://" T16 "@h:80"},
    {"SSH://devbox/" T16 "@h:80", T16, "h", 80, true, NULL, "devbox", 0,
     "ssh://devbox/" T16 "@h:80"},
    /* ssh */
    {"ssh://devbox/" T22 "@127.0.0.1:41234", T22, "127.0.0.1", 41234, true, NULL, "devbox", 0,
     NULL},
    {"ssh://alice@devbox/" T16 "@127.0.0.1:9", T16, "127.0.0.1", 9, true, "alice", "devbox", 0,
     NULL},
    {"ssh://a.b_c-d@devbox:2222/" T16 "@localhost:9", T16, "localhost", 9, true, "a.b_c-d",
     "devbox", 2222, NULL},
    {"ssh://10.0.0.7:22/" T16 "@[::1]:9", T16, "::1", 9, true, NULL, "10.0.0.7", 22, NULL},
    {"ssh://root@[2001:db8::1]:2222/" T16 "@[::1]:9", T16, "::1", 9, true, "root",
     "2001:db8::1", 2222, NULL},
    {"ssh://[::1]/" T16 "@127.0.0.1:9", T16, "127.0.0.1", 9, true, NULL, "::1", 0, NULL},
};

static void assert_str(const char *got, const char *want, const char *what, const char *in)
{
    if (!want) {
        ck_assert_msg(got == NULL, "%s: %s is '%s', expected NULL", in, what, got);
        return;
    }
    ck_assert_msg(got && strcmp(got, want) == 0, "%s: %s is '%s', expected '%s'", in, what,
                  got ? got : "(null)", want);
}

static void assert_same(const wn_ticket *a, const wn_ticket *b, const char *in)
{
    assert_str(a->token, b->token, "token", in);
    assert_str(a->host, b->host, "host", in);
    ck_assert_msg(a->port == b->port, "%s: port %u vs %u", in, a->port, b->port);
    ck_assert_msg(a->ssh == b->ssh, "%s: ssh differs", in);
    assert_str(a->ssh_user, b->ssh_user, "ssh_user", in);
    assert_str(a->ssh_host, b->ssh_host, "ssh_host", in);
    ck_assert_msg(a->ssh_port == b->ssh_port, "%s: ssh_port %u vs %u", in, a->ssh_port,
                  b->ssh_port);
}

START_TEST(test_ticket__valid)
{
    const good_case *c = &good[_i];
    wn_ticket t;
    char err[256] = "unchanged";
    int rc = wn_ticket_parse(c->in, &t, err, sizeof err);
    ck_assert_msg(rc == 0, "%s: rc %d: %s", wt_esc(c->in, strlen(c->in)), rc, err);
    ck_assert_str_eq(err, "");
    assert_str(t.token, c->token, "token", c->in);
    assert_str(t.host, c->host, "host", c->in);
    ck_assert_uint_eq(t.port, c->port);
    ck_assert(t.ssh == c->ssh);
    assert_str(t.ssh_user, c->user, "ssh_user", c->in);
    assert_str(t.ssh_host, c->ssh_host, "ssh_host", c->in);
    ck_assert_uint_eq(t.ssh_port, c->ssh_port);

    char *s = wn_ticket_format(&t);
    ck_assert_str_eq(s, c->canonical ? c->canonical : c->in);
    wn_ticket again;
    ck_assert_int_eq(wn_ticket_parse(s, &again, NULL, 0), 0);
    assert_same(&again, &t, s);
    free(s);
    wn_ticket_free(&again);
    wn_ticket_free(&t);
    ck_assert(t.token == NULL && t.host == NULL && t.ssh_host == NULL && t.port == 0);
    wn_ticket_free(&t); /* harmless twice */
}
END_TEST

/* --- parsing: every error path ----------------------------------------------------------- */

typedef struct bad_case {
    const char *in;
    const char *msg; /* a substring the message must contain */
} bad_case;

static const bad_case bad[] = {
    /* the whole */
    {"", "the ticket is empty"},
    {" \t\r\n ", "the ticket is empty"},
    {T16 "@h:80", "starts with weft:// or ssh://"},
    {"http://" T16 "@h:80", "starts with weft:// or ssh://"},
    {"weft:/" T16 "@h:80", "starts with weft:// or ssh://"},
    {"weft:", "starts with weft:// or ssh://"},
    {"weft://", "missing '@' between the token and the host"},
    {"weft://" T16, "missing '@' between the token and the host"},
    /* token */
    {"weft://@h:80", "the token before '@' is empty"},
    {"weft://abcdefghijklmno@h:80", "the token has 15 characters; it must have 16 to 128"},
    {"weft://a@h:80", "the token has 1 characters"},
    {"weft://abcdefgh!jklmnop@h:80", "the token has '!' at character 9"},
    {"weft://abcdefgh jklmnop@h:80", "the token has a space at character 9"},
    {"weft://abcdefgh+jklmnop@h:80", "a token is made of A-Z a-z 0-9 _ -"},
    {"weft://abcdefgh\xc3\xa9klmnop@h:80", "the token has byte 0xc3 at character 9"},
    {"weft://abcdefghijklmnop=@h:80", "the token has '=' at character 17"},
    /* host */
    {"weft://" T16 "@", "the host is empty"},
    {"weft://" T16 "@:80", "the host is empty"},
    {"weft://" T16 "@h", "missing ':PORT' after the host"},
    {"weft://" T16 "@[::1]", "missing ':PORT' after the host"},
    {"weft://" T16 "@::1:80", "the host and port '::1:80' have more than one ':' (an IPv6 "
                             "address goes in brackets: [::1]:PORT)"},
    {"weft://" T16 "@2001:db8::1:80", "have more than one ':'"},
    {"weft://" T16 "@[::1:80", "missing ']' after the IPv6 address of the host"},
    {"weft://" T16 "@[]:80", "the host in brackets is empty"},
    {"weft://" T16 "@[::g]:80", "the host '[::g]' is not a valid IPv6 address"},
    {"weft://" T16 "@[127.0.0.1]:80", "is not a valid IPv6 address"},
    {"weft://" T16 "@[devbox]:80", "is not a valid IPv6 address"},
    {"weft://" T16 "@[::1]80", "unexpected '8' after ']' of the host (expected ':PORT')"},
    {"weft://" T16 "@[fe80::1%]:80", "the zone of the host"},
    {"weft://" T16 "@[fe80::1%e/0]:80", "the zone of the host has '/'"},
    {"weft://" T16 "@1.2.3:80", "the host '1.2.3' is not a valid IPv4 address"},
    {"weft://" T16 "@1.2.3.256:80", "is not a valid IPv4 address"},
    {"weft://" T16 "@1.2.3.4.5:80", "is not a valid IPv4 address"},
    {"weft://" T16 "@01.2.3.4:80", "is not a valid IPv4 address"},
    {"weft://" T16 "@12345:80", "is not a valid IPv4 address"},
    {"weft://" T16 "@1111111111111111.2.3.4:80", "is not a valid IPv4 address"},
    {"weft://" T16 "@a..b:80", "has an empty label"},
    {"weft://" T16 "@.a:80", "has an empty label"},
    {"weft://" T16 "@a.:80", "has an empty label"},
    {"weft://" T16 "@-a:80", "a label of the host '-a' starts with '-'"},
    {"weft://" T16 "@a.-b:80", "starts with '-'"},
    {"weft://" T16 "@dev box:80", "the host has a space at character 4"},
    {"weft://" T16 "@a/b:80", "the host has '/' at character 2"},
    {"weft://" T16 "@a@b:80", "the host has '@' at character 2"},
    {"weft://" T16 "@"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:80",
     "a label of the host is longer than 63 characters"},
    /* port */
    {"weft://" T16 "@h:", "the port after ':' is empty"},
    {"weft://" T16 "@h:x", "the port 'x' is not a number"},
    {"weft://" T16 "@h:-1", "the port '-1' is not a number"},
    {"weft://" T16 "@h:+1", "the port '+1' is not a number"},
    {"weft://" T16 "@h:0", "the port '0' is out of range (1-65535)"},
    {"weft://" T16 "@h:65536", "the port '65536' is out of range"},
    {"weft://" T16 "@h:9999999999999999999999", "is out of range"},
    {"weft://" T16 "@h:80/", "unexpected '/' after the port"},
    {"weft://" T16 "@h:80 x", "unexpected ' x' after the port"},
    {"weft://" T16 "@h:80:81", "the host and port 'h:80:81' have more than one ':'"},
    {"weft://" T16 "@[::1]:80:81", "unexpected ':81' after the port"},
    /* ssh */
    {"ssh://", "missing '/' after the SSH host"},
    {"ssh://devbox", "missing '/' after the SSH host"},
    {"ssh:///" T16 "@h:80", "the SSH host after ssh:// is empty"},
    {"ssh://devbox/", "missing TOKEN@HOST:PORT after the '/'"},
    {"ssh://@devbox/" T16 "@h:80", "the SSH user before '@' is empty"},
    {"ssh://-oProxyCommand=x@devbox/" T16 "@h:80", "the SSH user starts with '-'"},
    {"ssh://.x@devbox/" T16 "@h:80", "the SSH user starts with '.'"},
    {"ssh://a b@devbox/" T16 "@h:80", "the SSH user has a space at character 2"},
    {"ssh://a;b@devbox/" T16 "@h:80", "the SSH user has ';' at character 2"},
    {"ssh://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@d/" T16 "@h:80",
     "the SSH user has 65 characters"},
    {"ssh://u@/" T16 "@h:80", "the SSH host is empty"},
    {"ssh://u@:22/" T16 "@h:80", "the SSH host is empty"},
    {"ssh://-oProxyCommand=x/" T16 "@h:80", "a label of the SSH host '-oProxyCommand=x'"},
    {"ssh://a@b@c/" T16 "@h:80", "the SSH host has '@' at character 2"},
    {"ssh://[::1/" T16 "@h:80", "missing ']' after the IPv6 address of the SSH host"},
    {"ssh://[x]/" T16 "@h:80", "the SSH host '[x]' is not a valid IPv6 address"},
    {"ssh://[::1]x/" T16 "@h:80", "unexpected 'x' after ']' of the SSH host (expected "
                                  "':SSHPORT')"},
    {"ssh://::1/" T16 "@h:80", "the SSH host and port '::1' have more than one ':'"},
    {"ssh://d:/" T16 "@h:80", "the SSH port after ':' is empty"},
    {"ssh://d:ssh/" T16 "@h:80", "the SSH port 'ssh' is not a number"},
    {"ssh://d:0/" T16 "@h:80", "the SSH port '0' is out of range"},
    {"ssh://d:99999/" T16 "@h:80", "the SSH port '99999' is out of range"},
    {"ssh://d:22x/" T16 "@h:80", "unexpected 'x' after the SSH port"},
    {"ssh://d/" T16, "missing '@' between the token and the host"},
    {"ssh://d/short@h:80", "the token has 5 characters"},
    {"ssh://d/" T16 "@h:80/x", "unexpected '/x' after the port"},
    {"ssh://d/" T16 "@h", "missing ':PORT' after the host"},
};

START_TEST(test_ticket__invalid)
{
    const bad_case *c = &bad[_i];
    const char *in = wt_esc(c->in, strlen(c->in));
    wn_ticket t;
    memset(&t, 0x5a, sizeof t);
    char err[256] = "";
    int rc = wn_ticket_parse(c->in, &t, err, sizeof err);
    ck_assert_msg(rc == WN_ETICKET, "'%s': rc %d, expected WN_ETICKET", in, rc);
    ck_assert_msg(strstr(err, c->msg) != NULL, "'%s': message\n  '%s'\nlacks\n  '%s'", in, err,
                  c->msg);
    ck_assert_msg(strchr(err, '\n') == NULL, "'%s': the message has a newline", in);
    ck_assert_msg(t.token == NULL && t.host == NULL && t.ssh_user == NULL && t.ssh_host == NULL
                  && t.port == 0 && !t.ssh && t.ssh_port == 0, "'%s': *t is not empty", in);
    /* The token is a secret: a message names the bad character, never the token. */
    ck_assert_msg(strstr(err, "abcdefghij") == NULL, "'%s': the message quotes the token", in);
    /* Without a buffer, and with a tiny one (cut, still terminated). */
    ck_assert_int_eq(wn_ticket_parse(c->in, &t, NULL, 0), WN_ETICKET);
    char small[8];
    memset(small, 'x', sizeof small);
    ck_assert_int_eq(wn_ticket_parse(c->in, &t, small, sizeof small), WN_ETICKET);
    ck_assert_uint_eq(strlen(small), sizeof small - 1);
    ck_assert(strncmp(small, err, sizeof small - 1) == 0);
    wn_ticket_free(&t);
}
END_TEST

/* A host name of 253 characters is accepted, 254 is not. */
START_TEST(test_ticket__host_length)
{
    char host[300], in[400];
    memset(host, 0, sizeof host);
    for (int i = 0; i < 253; i++)
        host[i] = i % 2 ? '.' : 'a';
    host[252] = 'b';
    snprintf(in, sizeof in, "weft://%s@%s:80", T16, host);
    wn_ticket t;
    char err[256];
    ck_assert_msg(wn_ticket_parse(in, &t, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(strlen(t.host), 253);
    wn_ticket_free(&t);
    host[253] = '.';
    host[254] = 'c';
    snprintf(in, sizeof in, "weft://%s@%s:80", T16, host);
    ck_assert_int_eq(wn_ticket_parse(in, &t, err, sizeof err), WN_ETICKET);
    ck_assert_str_eq(err, "the host has 255 characters; a host name has at most 253");
}
END_TEST

/* Tokens of 16 and 128 characters pass, 129 does not; the message gives the count. */
START_TEST(test_ticket__token_length)
{
    char tok[200], in[300], err[256];
    for (size_t n = 14; n <= 131; n++) {
        memset(tok, 'k', n);
        tok[n] = '\0';
        snprintf(in, sizeof in, "weft://%s@h:1", tok);
        wn_ticket t;
        int rc = wn_ticket_parse(in, &t, err, sizeof err);
        bool ok = n >= WN_TOKEN_MIN && n <= WN_TOKEN_MAX;
        ck_assert_msg(rc == (ok ? 0 : WN_ETICKET), "length %zu: rc %d", n, rc);
        ck_assert(wn_token_valid(tok) == ok);
        if (!ok) {
            char want[80];
            snprintf(want, sizeof want, "the token has %zu characters; it must have 16 to 128",
                     n);
            ck_assert_str_eq(err, want);
        }
        wn_ticket_free(&t);
    }
}
END_TEST

/* --- round trips over random tickets -------------------------------------------------- */

static void random_token(wt_rng *r, char *out)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    uint32_t n = WN_TOKEN_MIN + wt_rng_below(r, WN_TOKEN_MAX - WN_TOKEN_MIN + 1);
    for (uint32_t i = 0; i < n; i++)
        out[i] = alphabet[wt_rng_below(r, 64)];
    out[n] = '\0';
}

static void random_host(wt_rng *r, char *out, size_t size)
{
    static const char *const names[] = {"localhost", "devbox", "a", "x-1.example.org",
                                        "my_host.lan", "h0st"};
    static const char *const v6[] = {"::1", "::", "2001:db8::1", "fe80::1%eth0",
                                     "::ffff:10.0.0.1", "1:2:3:4:5:6:7:8"};
    switch (wt_rng_below(r, 3)) {
    case 0:
        snprintf(out, size, "%u.%u.%u.%u", wt_rng_below(r, 256), wt_rng_below(r, 256),
                 wt_rng_below(r, 256), wt_rng_below(r, 256));
        break;
    case 1: snprintf(out, size, "%s", v6[wt_rng_below(r, 6)]); break;
    default: snprintf(out, size, "%s", names[wt_rng_below(r, 6)]); break;
    }
}

START_TEST(test_ticket__random_round_trip)
{
    wt_rng r;
    wt_rng_init(&r, wt_seed("ticket round trip"));
    long iters = wt_scaled(2000);
    for (long it = 0; it < iters; it++) {
        char token[WN_TOKEN_MAX + 1], host[64], ssh_host[64], user[16];
        random_token(&r, token);
        random_host(&r, host, sizeof host);
        random_host(&r, ssh_host, sizeof ssh_host);
        snprintf(user, sizeof user, "u%u", wt_rng_below(&r, 1000));
        wn_ticket t = {
            .token = token,
            .host = host,
            .port = (uint16_t)(1 + wt_rng_below(&r, 65535)),
            .ssh = wt_rng_chance(&r, 1, 2),
        };
        if (t.ssh) {
            t.ssh_host = ssh_host;
            t.ssh_user = wt_rng_chance(&r, 1, 2) ? user : NULL;
            t.ssh_port = wt_rng_chance(&r, 1, 2) ? (uint16_t)(1 + wt_rng_below(&r, 65535)) : 0;
        }
        char *s = wn_ticket_format(&t);
        wn_ticket back;
        char err[256];
        ck_assert_msg(wn_ticket_parse(s, &back, err, sizeof err) == 0, "%s: %s", s, err);
        assert_same(&back, &t, s);
        char *s2 = wn_ticket_format(&back);
        ck_assert_str_eq(s, s2);
        free(s);
        free(s2);
        wn_ticket_free(&back);
    }
}
END_TEST

/* Mutated tickets either fail cleanly or parse to something that formats and parses back to
 * itself: no crash, no partial result (ASan checks the reads). */
START_TEST(test_ticket__random_mutations)
{
    static const char *const seeds[] = {
        "weft://" T22 "@127.0.0.1:41234",
        "ssh://alice@devbox:2222/" T22 "@[::1]:9",
        "ssh://[2001:db8::1]/" T16 "@h.example:80",
    };
    static const char pool[] = "@:/[]%.-_ aZ09\t\n\xff!#";
    wt_rng r;
    wt_rng_init(&r, wt_seed("ticket mutations"));
    long iters = wt_scaled(20000);
    long parsed = 0;
    for (long it = 0; it < iters; it++) {
        char buf[128];
        snprintf(buf, sizeof buf, "%s", seeds[wt_rng_below(&r, 3)]);
        size_t n = strlen(buf);
        for (uint32_t k = 1 + wt_rng_below(&r, 3); k > 0; k--) {
            size_t at = wt_rng_below(&r, (uint32_t)n + 1);
            switch (wt_rng_below(&r, 3)) {
            case 0: /* replace */
                if (at < n)
                    buf[at] = pool[wt_rng_below(&r, sizeof pool - 1)];
                break;
            case 1: /* delete */
                if (at < n) {
                    memmove(buf + at, buf + at + 1, n - at);
                    n--;
                }
                break;
            default: /* insert */
                if (n + 1 < sizeof buf) {
                    memmove(buf + at + 1, buf + at, n - at + 1);
                    buf[at] = pool[wt_rng_below(&r, sizeof pool - 1)];
                    n++;
                }
                break;
            }
        }
        wn_ticket t;
        char err[256] = "";
        int rc = wn_ticket_parse(buf, &t, err, sizeof err);
        if (rc == 0) {
            parsed++;
            char *s = wn_ticket_format(&t);
            wn_ticket back;
            ck_assert_msg(wn_ticket_parse(s, &back, err, sizeof err) == 0, "%s -> %s: %s",
                          wt_esc(buf, n), s, err);
            assert_same(&back, &t, s);
            ck_assert(wn_token_valid(t.token));
            ck_assert(t.host[0] != '-' && (!t.ssh_host || t.ssh_host[0] != '-'));
            wn_ticket_free(&back);
            free(s);
        } else {
            ck_assert_int_eq(rc, WN_ETICKET);
            ck_assert_msg(err[0] != '\0', "%s: no message", wt_esc(buf, n));
            ck_assert(t.token == NULL && t.host == NULL);
        }
        wn_ticket_free(&t);
    }
    ck_assert_int_gt(parsed, 0);
}
END_TEST

/* --- tokens ---------------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(test_ticket__token_generate)
{
    enum { N = 2000 };
    char **all = calloc(N, sizeof *all);
    ck_assert_ptr_nonnull(all);
    int seen[256] = {0};
    for (int i = 0; i < N; i++) {
        all[i] = malloc(WN_TOKEN_GENERATED + 1);
        ck_assert_int_eq(wn_token_generate(all[i], WN_TOKEN_GENERATED + 1), 0);
        ck_assert_uint_eq(strlen(all[i]), 22);
        ck_assert_msg(wn_token_valid(all[i]), "'%s' is not valid", all[i]);
        for (int k = 0; k < 21; k++)
            seen[(unsigned char)all[i][k]]++;
        /* 128 bits = 21 characters of 6 bits and 2 bits: the last has its low 4 bits zero */
        ck_assert_msg(strchr("AQgw", all[i][21]) != NULL, "last character of %s", all[i]);
        /* and it is a valid ticket token */
        char in[64];
        snprintf(in, sizeof in, "weft://%s@h:1", all[i]);
        wn_ticket t;
        ck_assert_int_eq(wn_ticket_parse(in, &t, NULL, 0), 0);
        wn_ticket_free(&t);
    }
    /* every symbol of the alphabet shows up (about 650 times each), nothing else does */
    const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    int total = 0;
    for (const char *a = alphabet; *a; a++) {
        ck_assert_msg(seen[(unsigned char)*a] > 300, "'%c' seen %d times", *a,
                      seen[(unsigned char)*a]);
        total += seen[(unsigned char)*a];
    }
    ck_assert_int_eq(total, N * 21);
    qsort(all, N, sizeof *all, cmp_str);
    for (int i = 1; i < N; i++)
        ck_assert_msg(strcmp(all[i - 1], all[i]) != 0, "duplicate token %s", all[i]);
    for (int i = 0; i < N; i++)
        free(all[i]);
    free(all);
}
END_TEST

START_TEST(test_ticket__token_small_buffer)
{
    char buf[WN_TOKEN_GENERATED + 1];
    memset(buf, 'x', sizeof buf);
    ck_assert_int_eq(wn_token_generate(buf, WN_TOKEN_GENERATED), WF_EINVAL);
    ck_assert_int_eq(wn_token_generate(buf, 0), WF_EINVAL);
    ck_assert_int_eq(buf[0], 'x');
    ck_assert_int_eq(wn_token_generate(buf, sizeof buf), 0);
    ck_assert_uint_eq(strlen(buf), WN_TOKEN_GENERATED);
}
END_TEST

START_TEST(test_ticket__token_valid)
{
    ck_assert(!wn_token_valid(NULL));
    ck_assert(!wn_token_valid(""));
    ck_assert(!wn_token_valid("abcdefghijklmno"));
    ck_assert(wn_token_valid("abcdefghijklmnop"));
    ck_assert(wn_token_valid("ABCXYZabcxyz0189_-"));
    ck_assert(!wn_token_valid("abcdefghijklmnop "));
    ck_assert(!wn_token_valid(" abcdefghijklmnop"));
    ck_assert(!wn_token_valid("abcdefgh=ijklmnop"));
    ck_assert(!wn_token_valid("abcdefgh/ijklmnop"));
    ck_assert(!wn_token_valid("abcdefgh+ijklmnop"));
    ck_assert(!wn_token_valid("abcdefgh.ijklmnop"));
    ck_assert(!wn_token_valid("abcdefgh\xc3\xa9ijklmnop"));
    char big[300];
    memset(big, 'a', sizeof big);
    big[299] = '\0';
    ck_assert(!wn_token_valid(big));
    big[128] = '\0';
    ck_assert(wn_token_valid(big));
    big[128] = '!';
    ck_assert(!wn_token_valid(big));
}
END_TEST

/* --- the ssh transport's argv -------------------------------------------------------- */

/* Compares argv with the NULL-terminated list want. */
static void assert_argv(char **argv, const char *const *want, const char *what)
{
    ck_assert_msg(argv != NULL, "%s: NULL argv", what);
    size_t i = 0;
    for (; want[i]; i++) {
        ck_assert_msg(argv[i] != NULL, "%s: argv ends at %zu, expected '%s'", what, i, want[i]);
        ck_assert_msg(strcmp(argv[i], want[i]) == 0, "%s: argv[%zu] is '%s', expected '%s'",
                      what, i, wt_esc(argv[i], strlen(argv[i])), wt_esc(want[i],
                      strlen(want[i])));
    }
    ck_assert_msg(argv[i] == NULL, "%s: extra argv[%zu] '%s'", what, i, argv[i]);
}

static wn_ticket parse_ok(const char *s)
{
    wn_ticket t;
    char err[256];
    ck_assert_msg(wn_ticket_parse(s, &t, err, sizeof err) == 0, "%s: %s", s, err);
    return t;
}

typedef struct split_case {
    const char *env;
    const char *words[8]; /* then "-W" "127.0.0.1:4000" "devbox" follow */
} split_case;

static const split_case splits[] = {
    {NULL, {"ssh"}},
    {"", {"ssh"}},
    {" \t\n ", {"ssh"}},
    {"# only a comment", {"ssh"}},
    {"ssh", {"ssh"}},
    {"  /usr/bin/ssh  -v  ", {"/usr/bin/ssh", "-v"}},
    {"ssh -i key -p 2222", {"ssh", "-i", "key", "-p", "2222"}},
    {"ssh\t-i\nkey", {"ssh", "-i", "key"}},
    {"ssh -i '/my keys/id'", {"ssh", "-i", "/my keys/id"}},
    {"ssh -o \"ProxyCommand=nc %h %p\"", {"ssh", "-o", "ProxyCommand=nc %h %p"}},
    {"ssh -i my\\ key", {"ssh", "-i", "my key"}},
    {"'it'\\''s'", {"it's"}},
    {"\"it's\" 'say \"hi\"'", {"it's", "say \"hi\""}},
    {"a'b'\"c\"d", {"abcd"}},
    {"\"a\\\"b\\\\c\\$d\\`e\\x\"", {"a\"b\\c$d`e\\x"}},
    {"'a\\\"b\\\\c'", {"a\\\"b\\\\c"}},
    {"\\a\\'\\\"\\\\", {"a'\"\\"}},
    {"ssh '' \"\" x", {"ssh", "", "", "x"}},
    {"ssh a\\\nb", {"ssh", "ab"}},
    {"ssh a \\\n b", {"ssh", "a", "b"}},
    {"ssh \"a\\\nb\"", {"ssh", "ab"}},
    {"ssh 'a\\\nb'", {"ssh", "a\\\nb"}},
    {"ssh # -v\n-q", {"ssh", "-q"}},
    {"ssh a#b '#c' \\#d", {"ssh", "a#b", "#c", "#d"}},
    {"ssh trailing\\", {"ssh", "trailing\\"}},
    {"ssh $HOME `id` ~/x *", {"ssh", "$HOME", "`id`", "~/x", "*"}},
    {"ssh a;b|c&d", {"ssh", "a;b|c&d"}},
    {"ssh \"multi\nline\"", {"ssh", "multi\nline"}},
};

START_TEST(test_ticket__ssh_argv_split)
{
    const split_case *c = &splits[_i];
    wn_ticket t = parse_ok("ssh://devbox/" T16 "@127.0.0.1:4000");
    const char *want[16];
    size_t n = 0;
    for (; c->words[n]; n++)
        want[n] = c->words[n];
    want[n++] = "-W";
    want[n++] = "127.0.0.1:4000";
    want[n++] = "devbox";
    want[n] = NULL;
    char err[128] = "x";
    char **argv = wn_ssh_argv(&t, c->env, err, sizeof err);
    const char *what = c->env ? wt_esc(c->env, strlen(c->env)) : "(null)";
    char what_copy[512];
    snprintf(what_copy, sizeof what_copy, "WEFT_SSH=%s", what);
    assert_argv(argv, want, what_copy);
    ck_assert_str_eq(err, "");
    wn_argv_free(argv);
    wn_ticket_free(&t);
}
END_TEST

START_TEST(test_ticket__ssh_argv_errors)
{
    static const struct {
        const char *env;
        const char *msg;
    } bad_env[] = {
        {"ssh -i 'key", "WEFT_SSH has an unterminated single quote (' at character 8)"},
        {"ssh -o \"a b", "WEFT_SSH has an unterminated double quote (\" at character 8)"},
        {"\"abc\\\"", "unterminated double quote"},
        {"'", "unterminated single quote"},
        {"ssh 'a'\"b", "unterminated double quote (\" at character 8)"},
    };
    wn_ticket t = parse_ok("ssh://devbox/" T16 "@127.0.0.1:4000");
    for (size_t i = 0; i < sizeof bad_env / sizeof *bad_env; i++) {
        char err[128] = "";
        char **argv = wn_ssh_argv(&t, bad_env[i].env, err, sizeof err);
        ck_assert_msg(argv == NULL, "%s: accepted", bad_env[i].env);
        ck_assert_msg(strstr(err, bad_env[i].msg), "%s: message '%s' lacks '%s'",
                      bad_env[i].env, err, bad_env[i].msg);
        ck_assert_ptr_null(wn_ssh_argv(&t, bad_env[i].env, NULL, 0));
    }
    wn_ticket_free(&t);

    t = parse_ok("weft://" T16 "@127.0.0.1:4000");
    char err[128] = "";
    ck_assert_ptr_null(wn_ssh_argv(&t, "ssh", err, sizeof err));
    ck_assert_str_eq(err, "not an ssh:// ticket");
    wn_ticket_free(&t);
    wn_argv_free(NULL);
}
END_TEST

START_TEST(test_ticket__ssh_argv_ticket_parts)
{
    wn_ticket t = parse_ok("ssh://alice@devbox:2222/" T16 "@127.0.0.1:4000");
    char **argv = wn_ssh_argv(&t, "ssh -F /dev/null", NULL, 0);
    assert_argv(argv, (const char *const[]){"ssh", "-F", "/dev/null", "-W", "127.0.0.1:4000",
                                            "-p", "2222", "alice@devbox", NULL}, "user+port");
    wn_argv_free(argv);
    wn_ticket_free(&t);

    t = parse_ok("ssh://bob@[2001:db8::1]/" T16 "@[::1]:4000");
    argv = wn_ssh_argv(&t, NULL, NULL, 0);
    assert_argv(argv, (const char *const[]){"ssh", "-W", "[::1]:4000", "bob@2001:db8::1", NULL},
                "IPv6");
    wn_argv_free(argv);
    wn_ticket_free(&t);

    t = parse_ok("ssh://10.1.2.3:22/" T16 "@localhost:1");
    argv = wn_ssh_argv(&t, "x", NULL, 0);
    assert_argv(argv, (const char *const[]){"x", "-W", "localhost:1", "-p", "22", "10.1.2.3",
                                            NULL}, "IPv4");
    wn_argv_free(argv);
    wn_ticket_free(&t);
}
END_TEST

/* --- ssh targets (a host's --ssh-host) ---------------------------------------------------- */

/* A host's --ssh-host as the ssh part of a ticket: the ticket formats to text that parses
 * back to the same parts, and its ssh command line names the user, host and port. */
static void assert_target_round_trip(const char *option, const char *user, const char *host,
                                     unsigned port)
{
    char err[256];
    wn_ssh_target via;
    ck_assert_msg(wn_ssh_target_parse(option, &via, err, sizeof err) == 0,
                  "--ssh-host '%s' refused: %s", option, err);
    ck_assert_pstr_eq(via.user, user);
    ck_assert_str_eq(via.host, host);
    ck_assert_uint_eq(via.port, port);
    wn_ticket t = {.token = T22, .host = "127.0.0.1", .port = 4000, .ssh = true,
                   .ssh_user = via.user, .ssh_host = via.host, .ssh_port = via.port};
    char *text = wn_ticket_format(&t);
    wn_ticket back;
    ck_assert_msg(wn_ticket_parse(text, &back, err, sizeof err) == 0,
                  "--ssh-host '%s' made the ticket '%s', which join refuses: %s", option, text,
                  err);
    ck_assert_pstr_eq(back.ssh_user, user);
    ck_assert_str_eq(back.ssh_host, host);
    ck_assert_uint_eq(back.ssh_port, port);
    char **argv = wn_ssh_argv(&back, NULL, NULL, 0);
    size_t n = 0;
    while (argv[n])
        n++;
    char dest[300];
    snprintf(dest, sizeof dest, "%s%s%s", user ? user : "", user ? "@" : "", host);
    ck_assert_str_eq(argv[n - 1], dest);
    if (port) {
        ck_assert_str_eq(argv[n - 3], "-p");
        ck_assert_uint_eq(strtoul(argv[n - 2], NULL, 10), port);
    } else {
        ck_assert_uint_eq(n, 4); /* ssh -W HOST:PORT DEST */
    }
    wn_argv_free(argv);
    wn_ticket_free(&back);
    free(text);
    wn_ssh_target_free(&via);
}

START_TEST(test_ticket__ssh_target_round_trip)
{
    static const struct {
        const char *option, *user, *host;
        unsigned port;
    } named[] = {
        {"devbox", NULL, "devbox", 0},
        {"devbox:2222", NULL, "devbox", 2222},
        {"ben@devbox:2222", "ben", "devbox", 2222},
        {"ben@devbox", "ben", "devbox", 0},
        {"[::1]:2222", NULL, "::1", 2222},
        {"ben@[2001:db8::1]", "ben", "2001:db8::1", 0},
        {"10.1.2.3:22", NULL, "10.1.2.3", 22},
        {"a.b_c-d@my-box.example.com:65535", "a.b_c-d", "my-box.example.com", 65535},
        {"[fe80::1%eth0]:1", NULL, "fe80::1%eth0", 1},
        {"devbox:00022", NULL, "devbox", 22},
    };
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        assert_target_round_trip(named[i].option, named[i].user, named[i].host, named[i].port);
    /* Every combination of a user, a host and a port. */
    static const char *const users[] = {NULL, "ben", "a.b_c-d", "_x9"};
    static const char *const hosts[] = {"devbox", "x", "10.1.2.3", "::1", "2001:db8::42:1",
                                        "fe80::1%eth0", "my-box.example.com", "1a.b2"};
    static const unsigned ports[] = {0, 1, 22, 2222, 65535};
    int n = 0;
    for (size_t u = 0; u < sizeof users / sizeof *users; u++)
        for (size_t h = 0; h < sizeof hosts / sizeof *hosts; h++)
            for (size_t p = 0; p < sizeof ports / sizeof *ports; p++) {
                bool v6 = strchr(hosts[h], ':') != NULL;
                char option[300], port[16] = "";
                if (ports[p])
                    snprintf(port, sizeof port, ":%u", ports[p]);
                snprintf(option, sizeof option, "%s%s%s%s%s%s", users[u] ? users[u] : "",
                         users[u] ? "@" : "", v6 ? "[" : "", hosts[h], v6 ? "]" : "", port);
                assert_target_round_trip(option, users[u], hosts[h], ports[p]);
                n++;
            }
    ck_assert_int_eq(n, 160);
}
END_TEST

/* Values that would make a ticket `weft join` refuses: refused with a reason. */
START_TEST(test_ticket__ssh_target_invalid)
{
    static const struct {
        const char *option, *why;
    } bad_targets[] = {
        {"", "empty"},
        {"bad host", "a space"},
        {" devbox", "a space"},
        {"a/b", "'/'"},
        {"devbox:", "empty"},
        {"devbox:0", "out of range"},
        {"devbox:70000", "out of range"},
        {"devbox:ssh", "not a number"},
        {"devbox:22:33", "more than one ':'"},
        {"::1", "more than one ':'"},
        {"[::1", "missing ']'"},
        {"[devbox]:22", "not a valid IPv6"},
        {"@devbox", "user before '@' is empty"},
        {"ben@", "empty"},
        {"ben@@devbox", "'@'"},
        {"-oProxyCommand=x", "starts with '-'"},
        {"ben@-devbox", "starts with '-'"},
        {"-ben@devbox", "starts with '-'"},
        {"dev..box", "empty label"},
        {"devbox/TOKEN@h:1", "'/'"},
    };
    for (size_t i = 0; i < sizeof bad_targets / sizeof *bad_targets; i++) {
        char err[256] = "unset";
        wn_ssh_target t;
        int rc = wn_ssh_target_parse(bad_targets[i].option, &t, err, sizeof err);
        ck_assert_msg(rc == WN_ETICKET, "--ssh-host '%s' accepted", bad_targets[i].option);
        ck_assert_msg(strstr(err, bad_targets[i].why) != NULL, "--ssh-host '%s': '%s' lacks '%s'",
                      bad_targets[i].option, err, bad_targets[i].why);
        ck_assert(t.user == NULL && t.host == NULL && t.port == 0);
    }
}
END_TEST

/* --- error codes ------------------------------------------------------------------------ */

/* The codes this test knows by name; codes added later are covered by the range checks
 * (every code in the WN range that has a message is checked against libuv's). */
static const int wn_codes[] = {
    WN_ETICKET, WN_EFRAME, WN_EPROTO, WN_EAUTH, WN_EVERSION, WN_ETIMEOUT,
    WN_ECLOSED, WN_ETOOBIG, WN_EREADONLY, WN_EDOC, WN_ECRYPTO,
};

/* Every UV_E* code of the libuv we build with, from its own list. */
#define XX(code, _) UV_##code,
static const int uv_codes[] = {UV_ERRNO_MAP(XX)};
#undef XX
#define XX(code, _) #code,
static const char *const uv_names[] = {UV_ERRNO_MAP(XX)};
#undef XX

START_TEST(test_ticket__error_ranges)
{
    size_t nuv = sizeof uv_codes / sizeof *uv_codes;
    ck_assert_uint_gt(nuv, 70); /* UV_ERRNO_MAP really is the whole list */
    ck_assert(WN_ERR_MIN <= WN_ERR_MAX && WN_ERR_MAX < 0);
    ck_assert(WN_ERR_MAX < WF_ERR_MIN || WN_ERR_MIN > WF_ERR_MAX); /* disjoint ranges */
    for (size_t k = 0; k < nuv; k++) {
        ck_assert_msg(uv_codes[k] > WN_ERR_MAX || uv_codes[k] < WN_ERR_MIN,
                      "UV_%s (%d) is in the WN range", uv_names[k], uv_codes[k]);
        ck_assert_msg(uv_codes[k] > WF_ERR_MAX || uv_codes[k] < WF_ERR_MIN,
                      "UV_%s (%d) is in the WF range", uv_names[k], uv_codes[k]);
        ck_assert_msg(uv_codes[k] > -5000, "UV_%s (%d): wn_strerror() assumes > -5000",
                      uv_names[k], uv_codes[k]);
    }
    for (size_t i = 0; i < sizeof wn_codes / sizeof *wn_codes; i++) {
        int c = wn_codes[i];
        ck_assert_msg(c >= WN_ERR_MIN && c <= WN_ERR_MAX, "%d out of the WN range", c);
        for (size_t j = 0; j < i; j++)
            ck_assert_msg(wn_codes[j] != c, "WN code %d twice", c);
        ck_assert_msg(strcmp(wn_strerror(c), "unknown error") != 0, "no message for %d", c);
    }
    /* Every code that has a message: not a UV code, and a message of its own. */
    size_t named = 0;
    for (int c = WN_ERR_MAX; c >= WN_ERR_MIN; c--) {
        const char *msg = wn_strerror(c);
        if (strcmp(msg, "unknown error") == 0)
            continue;
        named++;
        for (size_t k = 0; k < nuv; k++)
            ck_assert_msg(uv_codes[k] != c, "WN code %d is UV_%s", c, uv_names[k]);
        for (int d = WN_ERR_MAX; d > c; d--)
            ck_assert_msg(strcmp(wn_strerror(d), msg) != 0, "codes %d and %d share '%s'", d, c,
                          msg);
    }
    ck_assert_uint_ge(named, sizeof wn_codes / sizeof *wn_codes);
}
END_TEST

START_TEST(test_ticket__error_strerror)
{
    ck_assert_str_eq(wn_strerror(0), "success");
    ck_assert_str_eq(wn_strerror(WN_ETICKET), "malformed ticket or token");
    ck_assert_str_eq(wn_strerror(WF_ENOMEM), wf_strerror(WF_ENOMEM));
    ck_assert_str_eq(wn_strerror(WF_EDECODE), wf_strerror(WF_EDECODE));
    ck_assert_str_eq(wn_strerror(UV_ECONNRESET), uv_strerror(UV_ECONNRESET));
    ck_assert_str_eq(wn_strerror(UV_EOF), uv_strerror(UV_EOF));
    ck_assert_str_eq(wn_strerror(UV_EAI_NONAME), uv_strerror(UV_EAI_NONAME));
    ck_assert_str_eq(wn_strerror(WN_ERR_MIN), "unknown error");
    ck_assert_str_eq(wn_strerror(-30000), "unknown error");
    ck_assert_str_eq(wn_strerror(12), "unknown error");
}
END_TEST

static Suite *ticket_suite(void)
{
    Suite *s = suite_create("net_ticket");
    TCase *tc = tcase_create("parse");
    tcase_add_loop_test(tc, test_ticket__valid, 0, (int)(sizeof good / sizeof *good));
    tcase_add_loop_test(tc, test_ticket__invalid, 0, (int)(sizeof bad / sizeof *bad));
    tcase_add_test(tc, test_ticket__host_length);
    tcase_add_test(tc, test_ticket__token_length);
    suite_add_tcase(s, tc);

    tc = tcase_create("random");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_ticket__random_round_trip);
    tcase_add_test(tc, test_ticket__random_mutations);
    suite_add_tcase(s, tc);

    tc = tcase_create("token");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_ticket__token_generate);
    tcase_add_test(tc, test_ticket__token_small_buffer);
    tcase_add_test(tc, test_ticket__token_valid);
    suite_add_tcase(s, tc);

    tc = tcase_create("ssh_argv");
    tcase_add_loop_test(tc, test_ticket__ssh_argv_split, 0, (int)(sizeof splits / sizeof *splits));
    tcase_add_test(tc, test_ticket__ssh_argv_errors);
    tcase_add_test(tc, test_ticket__ssh_argv_ticket_parts);
    tcase_add_test(tc, test_ticket__ssh_target_round_trip);
    tcase_add_test(tc, test_ticket__ssh_target_invalid);
    suite_add_tcase(s, tc);

    tc = tcase_create("error");
    tcase_add_test(tc, test_ticket__error_ranges);
    tcase_add_test(tc, test_ticket__error_strerror);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return wt_run_suite(ticket_suite());
}
