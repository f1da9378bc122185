/* Tickets: parsing and formatting, tokens, and the argv of the ssh transport.
 *
 * The parser reads a ticket left to right, one part at a time (scheme, [ssh authority and
 * '/'], token, '@', host, ':', port), each over an explicit (pointer, length) span of the
 * trimmed input, and stops at the first fault with a message naming the part and what is
 * wrong with it. Nothing is allocated until every part has been validated, so a failed
 * parse has no effect. The grammar is in net/ticket.h; the canonical form is what
 * wn_ticket_format() prints, and parse(format(t)) == t for every valid t.
 *
 * The ssh transport's words come from $WEFT_SSH split like a POSIX shell's (quotes and
 * backslashes, no expansions), so that a user can write WEFT_SSH="ssh -i '/my keys/id'". */
#include "net/ticket.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/error.h"
#include "core/mem.h"

#define HOST_MAX 253  /* characters of a host name (RFC 1035) */
#define LABEL_MAX 63  /* characters of one label of a host name */
#define USER_MAX 64   /* characters of an ssh user name */
#define ZONE_MAX 32   /* characters of an IPv6 zone (interface name) */
#define QUOTE_MAX 40  /* characters of input quoted in a message */

/* A part of the input: n bytes at p (not NUL-terminated). */
typedef struct span {
    const char *p;
    size_t n;
} span;

/* Where messages go: err[0..size), may be NULL. */
typedef struct errbuf {
    char *s;
    size_t size;
} errbuf;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int fail(errbuf *e, const char *fmt, ...)
{
    if (e->s && e->size > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->s, e->size, fmt, ap);
        va_end(ap);
    }
    return WN_ETICKET;
}

/* Writes s for a message into out (at least QUOTE_MAX + 8 bytes): printable ASCII as is,
 * other bytes as '?', cut with "..." after QUOTE_MAX characters. */
static const char *quote(span s, char *out)
{
    size_t n = s.n < QUOTE_MAX ? s.n : QUOTE_MAX;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    strcpy(out + n, s.n > n ? "..." : "");
    return out;
}

/* Describes the character c for a message: "'x'", or "byte 0xNN" when not printable. */
static const char *describe(char c, char out[16])
{
    unsigned char u = (unsigned char)c;
    if (u > 0x20 && u < 0x7f)
        snprintf(out, 16, "'%c'", c);
    else if (u == ' ')
        snprintf(out, 16, "a space");
    else
        snprintf(out, 16, "byte 0x%02x", u);
    return out;
}

static bool is_token_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
           || c == '_' || c == '-';
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Finds c in s; returns its offset or s.n. */
static size_t find(span s, char c)
{
    const char *q = memchr(s.p, c, s.n);
    return q ? (size_t)(q - s.p) : s.n;
}

static span sub(span s, size_t from, size_t to)
{
    return (span){s.p + from, to - from};
}

static int check_token(span tok, errbuf *e)
{
    char d[16];
    if (tok.n == 0)
        return fail(e, "the token before '@' is empty");
    for (size_t i = 0; i < tok.n; i++)
        if (!is_token_char(tok.p[i]))
            return fail(e, "the token has %s at character %zu; a token is made of A-Z a-z 0-9 _ -",
                        describe(tok.p[i], d), i + 1);
    if (tok.n < WN_TOKEN_MIN || tok.n > WN_TOKEN_MAX)
        return fail(e, "the token has %zu characters; it must have %d to %d", tok.n,
                    WN_TOKEN_MIN, WN_TOKEN_MAX);
    return 0;
}

/* A port: 1-5 decimal digits, 1..65535. what: "port" or "SSH port". */
static int parse_port(span s, const char *what, uint16_t *out, errbuf *e)
{
    char q[QUOTE_MAX + 8];
    if (s.n == 0)
        return fail(e, "the %s after ':' is empty", what);
    size_t i = 0;
    unsigned long v = 0;
    while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9' && i < 6)
        v = v * 10 + (unsigned long)(s.p[i++] - '0');
    if (i == 0)
        return fail(e, "the %s '%s' is not a number", what, quote(s, q));
    if (i < s.n && s.p[i] >= '0' && s.p[i] <= '9')
        return fail(e, "the %s '%s' is out of range (1-65535)", what, quote(s, q));
    if (i < s.n)
        return fail(e, "unexpected '%s' after the %s", quote(sub(s, i, s.n), q), what);
    if (v < 1 || v > 65535)
        return fail(e, "the %s '%s' is out of range (1-65535)", what, quote(s, q));
    *out = (uint16_t)v;
    return 0;
}

static int check_ipv6(span s, const char *what, errbuf *e)
{
    char q[QUOTE_MAX + 8], d[16], addr[INET6_ADDRSTRLEN + 1];
    unsigned char bin[16];
    size_t pct = find(s, '%');
    span a = sub(s, 0, pct);
    if (a.n == 0)
        return fail(e, "the %s in brackets is empty", what);
    if (a.n >= sizeof addr)
        return fail(e, "the %s '[%s]' is not a valid IPv6 address", what, quote(s, q));
    memcpy(addr, a.p, a.n);
    addr[a.n] = '\0';
    if (inet_pton(AF_INET6, addr, bin) != 1)
        return fail(e, "the %s '[%s]' is not a valid IPv6 address", what, quote(a, q));
    if (pct == s.n)
        return 0;
    span zone = sub(s, pct + 1, s.n);
    if (zone.n == 0 || zone.n > ZONE_MAX)
        return fail(e, "the zone of the %s '[%s]' must have 1 to %d characters", what,
                    quote(s, q), ZONE_MAX);
    for (size_t i = 0; i < zone.n; i++)
        if (!is_token_char(zone.p[i]) && zone.p[i] != '.')
            return fail(e, "the zone of the %s has %s; a zone is made of A-Z a-z 0-9 . _ -", what,
                        describe(zone.p[i], d));
    return 0;
}

/* A name or an IPv4 address (no brackets). */
static int check_name(span s, const char *what, errbuf *e)
{
    char q[QUOTE_MAX + 8], d[16], addr[16];
    bool numeric = true;
    for (size_t i = 0; i < s.n; i++)
        numeric = numeric && ((s.p[i] >= '0' && s.p[i] <= '9') || s.p[i] == '.');
    if (numeric) {
        struct in_addr bin;
        if (s.n >= sizeof addr)
            return fail(e, "the %s '%s' is not a valid IPv4 address", what, quote(s, q));
        memcpy(addr, s.p, s.n);
        addr[s.n] = '\0';
        if (inet_pton(AF_INET, addr, &bin) != 1)
            return fail(e, "the %s '%s' is not a valid IPv4 address", what, quote(s, q));
        return 0;
    }
    if (s.n > HOST_MAX)
        return fail(e, "the %s has %zu characters; a host name has at most %d", what, s.n,
                    HOST_MAX);
    size_t label = 0; /* characters in the current label */
    for (size_t i = 0; i <= s.n; i++) {
        if (i == s.n || s.p[i] == '.') {
            if (label == 0)
                return fail(e, "the %s '%s' has an empty label (two dots, or a dot at an end)",
                            what, quote(s, q));
            label = 0;
            continue;
        }
        if (!is_token_char(s.p[i]))
            return fail(e, "the %s has %s at character %zu; a host name is made of "
                        "A-Z a-z 0-9 . _ - (an IPv6 address goes in brackets)",
                        what, describe(s.p[i], d), i + 1);
        if (label == 0 && s.p[i] == '-')
            return fail(e, "a label of the %s '%s' starts with '-'", what, quote(s, q));
        if (++label > LABEL_MAX)
            return fail(e, "a label of the %s is longer than %d characters", what, LABEL_MAX);
    }
    return 0;
}

/* HOST:PORT with HOST a name, an IPv4 address or [IPv6]. Sets *host (inside any brackets).
 * what: "host" or "SSH host"; optional_port: a missing ":PORT" leaves *port 0. */
static int parse_hostport(span s, const char *what, bool optional_port, span *host,
                          uint16_t *port, errbuf *e)
{
    char q[QUOTE_MAX + 8], d[16];
    const char *port_what = optional_port ? "SSH port" : "port";
    size_t colon;
    int rc;
    *port = 0;
    if (s.n == 0)
        return fail(e, "the %s is empty", what);
    if (s.p[0] == '[') {
        size_t close = find(s, ']');
        if (close == s.n)
            return fail(e, "missing ']' after the IPv6 address of the %s", what);
        *host = sub(s, 1, close);
        if ((rc = check_ipv6(*host, what, e)) < 0)
            return rc;
        colon = close + 1;
        if (colon < s.n && s.p[colon] != ':')
            return fail(e, "unexpected %s after ']' of the %s (expected ':%s')",
                        describe(s.p[colon], d), what, optional_port ? "SSHPORT" : "PORT");
    } else {
        colon = find(s, ':');
        *host = sub(s, 0, colon);
        if (colon < s.n && find(sub(s, colon + 1, s.n), ':') < s.n - colon - 1)
            return fail(e, "the %s and port '%s' have more than one ':' (an IPv6 address "
                        "goes in brackets: [::1]:PORT)", what, quote(s, q));
        if (host->n == 0)
            return fail(e, "the %s is empty", what);
        if ((rc = check_name(*host, what, e)) < 0)
            return rc;
    }
    if (colon >= s.n) {
        if (optional_port)
            return 0;
        return fail(e, "missing ':PORT' after the %s", what);
    }
    return parse_port(sub(s, colon + 1, s.n), port_what, port, e);
}

/* TOKEN@HOST:PORT. */
static int parse_endpoint(span s, span *token, span *host, uint16_t *port, errbuf *e)
{
    size_t at = find(s, '@');
    if (at == s.n)
        return fail(e, "missing '@' between the token and the host (TOKEN@HOST:PORT)");
    *token = sub(s, 0, at);
    int rc = check_token(*token, e);
    if (rc < 0)
        return rc;
    return parse_hostport(sub(s, at + 1, s.n), "host", false, host, port, e);
}

static int check_user(span u, errbuf *e)
{
    char d[16];
    if (u.n == 0)
        return fail(e, "the SSH user before '@' is empty");
    if (u.n > USER_MAX)
        return fail(e, "the SSH user has %zu characters; at most %d are allowed", u.n, USER_MAX);
    if (u.p[0] == '-' || u.p[0] == '.')
        return fail(e, "the SSH user starts with '%c'", u.p[0]);
    for (size_t i = 0; i < u.n; i++)
        if (!is_token_char(u.p[i]) && u.p[i] != '.')
            return fail(e, "the SSH user has %s at character %zu; a user name is made of "
                        "A-Z a-z 0-9 . _ -", describe(u.p[i], d), i + 1);
    return 0;
}

/* [USER@]SSHHOST[:SSHPORT] */
static int parse_ssh_authority(span s, span *user, span *host, uint16_t *port, errbuf *e)
{
    if (s.n == 0)
        return fail(e, "the SSH host after ssh:// is empty");
    size_t at = find(s, '@');
    *user = (span){NULL, 0};
    if (at < s.n) {
        *user = sub(s, 0, at);
        int rc = check_user(*user, e);
        if (rc < 0)
            return rc;
        s = sub(s, at + 1, s.n);
    }
    return parse_hostport(s, "SSH host", true, host, port, e);
}

static char *dup_span(span s)
{
    return wf_xstrndup(s.p, s.n);
}

int wn_ticket_parse(const char *str, wn_ticket *t, char *err, size_t errsize)
{
    errbuf e = {err, errsize};
    memset(t, 0, sizeof *t);
    if (err && errsize > 0)
        err[0] = '\0';
    span s = {str, strlen(str)};
    while (s.n > 0 && is_blank(s.p[0]))
        s = sub(s, 1, s.n);
    while (s.n > 0 && is_blank(s.p[s.n - 1]))
        s.n--;
    if (s.n == 0)
        return fail(&e, "the ticket is empty");

    bool ssh;
    if (s.n >= 7 && strncasecmp(s.p, "weft://", 7) == 0) {
        ssh = false;
        s = sub(s, 7, s.n);
    } else if (s.n >= 6 && strncasecmp(s.p, "ssh://", 6) == 0) {
        ssh = true;
        s = sub(s, 6, s.n);
    } else {
        return fail(&e, "a ticket starts with weft:// or ssh://");
    }

    span user = {NULL, 0}, ssh_host = {NULL, 0}, token = {NULL, 0}, host = {NULL, 0};
    uint16_t ssh_port = 0, port = 0;
    int rc;
    if (ssh) {
        size_t slash = find(s, '/');
        if (slash == s.n)
            return fail(&e, "missing '/' after the SSH host "
                        "(ssh://[USER@]SSHHOST[:SSHPORT]/TOKEN@HOST:PORT)");
        if ((rc = parse_ssh_authority(sub(s, 0, slash), &user, &ssh_host, &ssh_port, &e)) < 0)
            return rc;
        s = sub(s, slash + 1, s.n);
        if (s.n == 0)
            return fail(&e, "missing TOKEN@HOST:PORT after the '/'");
    }
    if ((rc = parse_endpoint(s, &token, &host, &port, &e)) < 0)
        return rc;

    t->token = dup_span(token);
    t->host = dup_span(host);
    t->port = port;
    t->ssh = ssh;
    if (ssh) {
        t->ssh_user = user.p ? dup_span(user) : NULL;
        t->ssh_host = dup_span(ssh_host);
        t->ssh_port = ssh_port;
    }
    return 0;
}

int wn_ssh_target_parse(const char *s, wn_ssh_target *t, char *err, size_t errsize)
{
    errbuf e = {err, errsize};
    memset(t, 0, sizeof *t);
    if (err && errsize > 0)
        err[0] = '\0';
    span in = {s, strlen(s)}, user, host;
    if (in.n == 0)
        return fail(&e, "the SSH host is empty");
    int rc = parse_ssh_authority(in, &user, &host, &t->port, &e);
    if (rc < 0) {
        t->port = 0;
        return rc;
    }
    t->user = user.p ? dup_span(user) : NULL;
    t->host = dup_span(host);
    return 0;
}

void wn_ssh_target_free(wn_ssh_target *t)
{
    free(t->user);
    free(t->host);
    memset(t, 0, sizeof *t);
}

void wn_ticket_free(wn_ticket *t)
{
    free(t->token);
    free(t->host);
    free(t->ssh_user);
    free(t->ssh_host);
    memset(t, 0, sizeof *t);
}

/* HOST or [HOST] (IPv6) followed by ":PORT" when port != 0, into a new string. */
static char *host_port(const char *host, uint16_t port)
{
    bool v6 = strchr(host, ':') != NULL;
    size_t size = strlen(host) + 9;
    char *out = wf_xmalloc(size);
    int n = snprintf(out, size, v6 ? "[%s]" : "%s", host);
    if (port)
        snprintf(out + n, size - (size_t)n, ":%u", (unsigned)port);
    return out;
}

char *wn_ticket_format(const wn_ticket *t)
{
    char *endpoint = host_port(t->host, t->port);
    char *ssh = t->ssh ? host_port(t->ssh_host, t->ssh_port) : NULL;
    size_t size = strlen(t->token) + strlen(endpoint) + 16;
    if (ssh)
        size += strlen(ssh) + (t->ssh_user ? strlen(t->ssh_user) : 0);
    char *out = wf_xmalloc(size);
    if (ssh)
        snprintf(out, size, "ssh://%s%s%s/%s@%s", t->ssh_user ? t->ssh_user : "",
                 t->ssh_user ? "@" : "", ssh, t->token, endpoint);
    else
        snprintf(out, size, "weft://%s@%s", t->token, endpoint);
    free(endpoint);
    free(ssh);
    return out;
}

int wn_token_generate(char *out, size_t size)
{
    enum { NBYTES = 16 };
    if (size < WN_TOKEN_GENERATED + 1)
        return WF_EINVAL;
    if (sodium_init() < 0)
        return WN_ECRYPTO;
    unsigned char bin[NBYTES];
    randombytes_buf(bin, sizeof bin);
    sodium_bin2base64(out, size, bin, sizeof bin, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(bin, sizeof bin);
    return 0;
}

bool wn_token_valid(const char *s)
{
    if (!s)
        return false;
    size_t n = 0;
    while (s[n] && n <= WN_TOKEN_MAX) {
        if (!is_token_char(s[n]))
            return false;
        n++;
    }
    return n >= WN_TOKEN_MIN && n <= WN_TOKEN_MAX && s[n] == '\0';
}

/* --- the ssh transport's argv ------------------------------------------------------------ */

/* A growing NULL-terminated vector of owned strings. */
typedef struct strvec {
    char **v;   /* owned; v[n] == NULL when cap > 0 */
    size_t n;   /* strings */
    size_t cap; /* slots allocated, the terminator included */
} strvec;

/* Takes ownership of s. */
static void strvec_push(strvec *w, char *s)
{
    if (w->n + 2 > w->cap) {
        w->cap = w->cap ? w->cap * 2 : 8;
        w->v = wf_xreallocarray(w->v, w->cap, sizeof *w->v);
    }
    w->v[w->n++] = s;
    w->v[w->n] = NULL;
}

/* Copies a '...' or "..." quotation starting at *pp (on the quote) into word[*wl...];
 * advances *pp past the closing quote. Returns false when it is unterminated. */
static bool copy_quoted(const char **pp, char *word, size_t *wl)
{
    const char *p = *pp;
    char q = *p++;
    while (*p && *p != q) {
        if (q == '"' && p[0] == '\\' && p[1] == '\n') {
            p += 2;
        } else if (q == '"' && p[0] == '\\' && p[1] && strchr("\"\\$`", p[1])) {
            word[(*wl)++] = p[1];
            p += 2;
        } else {
            word[(*wl)++] = *p++;
        }
    }
    if (*p != q)
        return false;
    *pp = p + 1;
    return true;
}

/* Splits s into words (see wn_ssh_argv() in net/ticket.h), appended to w. */
static int split_words(const char *s, strvec *w, errbuf *e)
{
    char *word = wf_xmalloc(strlen(s) + 1); /* no word is longer than s */
    size_t wl = 0;
    bool in_word = false;
    const char *p = s;
    while (*p) {
        if (p[0] == '\\' && p[1] == '\n') {
            p += 2;
        } else if (is_blank(*p)) {
            if (in_word)
                strvec_push(w, wf_xstrndup(word, wl));
            in_word = false;
            wl = 0;
            p++;
        } else if (!in_word && *p == '#') {
            p += strcspn(p, "\n");
        } else if (*p == '\\') {
            in_word = true;
            word[wl++] = p[1] ? p[1] : '\\';
            p += p[1] ? 2 : 1;
        } else if (*p == '\'' || *p == '"') {
            in_word = true;
            size_t at = (size_t)(p - s) + 1;
            char q = *p;
            if (!copy_quoted(&p, word, &wl)) {
                free(word);
                return fail(e, "WEFT_SSH has an unterminated %s quote (%c at character %zu)",
                            q == '\'' ? "single" : "double", q, at);
            }
        } else {
            in_word = true;
            word[wl++] = *p++;
        }
    }
    if (in_word)
        strvec_push(w, wf_xstrndup(word, wl));
    free(word);
    return 0;
}

char **wn_ssh_argv(const wn_ticket *t, const char *weft_ssh_env, char *err, size_t errsize)
{
    errbuf e = {err, errsize};
    if (err && errsize > 0)
        err[0] = '\0';
    if (!t->ssh || !t->ssh_host) {
        fail(&e, "not an ssh:// ticket");
        return NULL;
    }
    strvec w = {NULL, 0, 0};
    if (weft_ssh_env && split_words(weft_ssh_env, &w, &e) < 0) {
        wn_argv_free(w.v);
        return NULL;
    }
    if (w.n == 0)
        strvec_push(&w, wf_xstrndup("ssh", 3));
    strvec_push(&w, wf_xstrndup("-W", 2));
    strvec_push(&w, host_port(t->host, t->port));
    if (t->ssh_port) {
        char port[8];
        snprintf(port, sizeof port, "%u", (unsigned)t->ssh_port);
        strvec_push(&w, wf_xstrndup("-p", 2));
        strvec_push(&w, wf_xstrndup(port, strlen(port)));
    }
    size_t size = strlen(t->ssh_host) + (t->ssh_user ? strlen(t->ssh_user) + 1 : 0) + 1;
    char *dest = wf_xmalloc(size);
    snprintf(dest, size, "%s%s%s", t->ssh_user ? t->ssh_user : "", t->ssh_user ? "@" : "",
             t->ssh_host);
    strvec_push(&w, dest);
    return w.v;
}

void wn_argv_free(char **argv)
{
    if (!argv)
        return;
    for (char **a = argv; *a; a++)
        free(*a);
    free(argv);
}
