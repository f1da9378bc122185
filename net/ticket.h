/* Tickets, tokens and the ssh transport's command line (contract: DESIGN.md §1).
 *
 * A ticket is what a host prints and a guest pastes:
 *     weft://TOKEN@HOST:PORT                              direct TCP
 *     ssh://[USER@]SSHHOST[:SSHPORT]/TOKEN@HOST:PORT      ssh -W HOST:PORT [USER@]SSHHOST
 * TOKEN is 16-128 characters of A-Z a-z 0-9 _ - (WN_TOKEN_MIN..WN_TOKEN_MAX). HOST and SSHHOST
 * are an IPv4 address (four decimal numbers 0-255), an IPv6 address in brackets ([::1],
 * optionally with a zone: [fe80::1%eth0]) or a name (dot-separated labels of 1-63 characters
 * of A-Z a-z 0-9 _ -, none starting with '-'; 253 characters at most; a name that is all
 * digits and dots is read as an IPv4 address). USER is 1-64 characters of A-Z a-z 0-9 . _ -,
 * not starting with '-' or '.'. Ports are decimal, 1-65535. The scheme is case-insensitive;
 * blanks around the ticket (a pasted newline) are ignored; nothing else is accepted. Since no
 * host or user can start with '-', nothing from a ticket can be taken by ssh for an option. */
#ifndef WEFT_NET_TICKET_H
#define WEFT_NET_TICKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/error.h"

#define WN_TOKEN_MIN 16  /* characters */
#define WN_TOKEN_MAX 128 /* characters */
#define WN_TOKEN_GENERATED 22 /* characters of wn_token_generate()'s tokens (128 bits) */

typedef struct wn_ticket {
    char *token;       /* owned; WN_TOKEN_MIN..WN_TOKEN_MAX characters of A-Za-z0-9_- */
    char *host;        /* owned; the weft host, as seen from SSHHOST when ssh; IPv6 unbracketed */
    uint16_t port;     /* 1..65535 */
    bool ssh;          /* an ssh:// ticket */
    char *ssh_user;    /* owned, or NULL (ssh's default user, and always when !ssh) */
    char *ssh_host;    /* owned when ssh, else NULL; IPv6 unbracketed */
    uint16_t ssh_port; /* 0: ssh's default (and always when !ssh) */
} wn_ticket;

/* Parses the NUL-terminated ticket s into *t (caller's storage; release with
 * wn_ticket_free()). Returns 0, or WN_ETICKET with a one-line English message in err (always
 * NUL-terminated when errsize > 0; err may be NULL) saying exactly what is wrong, e.g. "the
 * port '70000' is out of range (1-65535)". Messages never quote the token. On error *t is
 * left empty (all NULL and 0), so wn_ticket_free() is harmless either way. */
WF_MUST_CHECK int wn_ticket_parse(const char *s, wn_ticket *t, char *err, size_t errsize);

/* Frees the strings of *t and empties it. */
void wn_ticket_free(wn_ticket *t);

/* Where guests reach a host's machine over ssh: the [USER@]SSHHOST[:SSHPORT] of an ssh://
 * ticket (a host's --ssh-host). */
typedef struct wn_ssh_target {
    char *user;    /* owned, or NULL (ssh's default user) */
    char *host;    /* owned; IPv6 unbracketed */
    uint16_t port; /* 0: ssh's default */
} wn_ssh_target;

/* Parses s ("devbox", "ben@devbox:2222", "[::1]:2222") by the ticket's grammar, without
 * blanks around it. Returns 0 and *t (caller's storage; release with wn_ssh_target_free()),
 * or WN_ETICKET with a one-line message in err (as for wn_ticket_parse()) and *t empty. */
WF_MUST_CHECK int wn_ssh_target_parse(const char *s, wn_ssh_target *t, char *err,
                                      size_t errsize);
/* Frees the strings of *t and empties it. */
void wn_ssh_target_free(wn_ssh_target *t);

/* Returns the canonical text of a valid ticket (lower-case scheme, IPv6 in brackets, ports
 * without leading zeros); free with free(). wn_ticket_parse() of it gives *t back. */
char *wn_ticket_format(const wn_ticket *t);

/* Writes a new token, 128 random bits from the OS (libsodium's randombytes_buf()) as 22
 * characters of base64url without padding, NUL-terminated, into out[0..size). Returns 0,
 * WF_EINVAL when size < WN_TOKEN_GENERATED + 1, or WN_ECRYPTO when libsodium cannot be
 * initialised. */
WF_MUST_CHECK int wn_token_generate(char *out, size_t size);

/* True when s (may be NULL) is WN_TOKEN_MIN..WN_TOKEN_MAX characters of A-Za-z0-9_-. */
bool wn_token_valid(const char *s);

/* The argv of the ssh transport for an ssh ticket: weft_ssh_env ($WEFT_SSH; NULL, empty or
 * blank: "ssh") split into words, then "-W" "HOST:PORT" (IPv6 as [addr]:port), then "-p"
 * "SSHPORT" when the ticket names one, then "[USER@]SSHHOST". Words are split like a POSIX
 * shell does without expansions: blanks (space, tab, newline) separate words; '...' keeps
 * everything literally; "..." too, except that a backslash before " \ $ ` or a newline
 * escapes it; outside quotes a backslash makes the next character literal (a backslash and
 * a newline vanish; a backslash at the end stays); an unquoted '#' starting a word begins a
 * comment to the end of the line. Nothing else is special.
 * Returns a new NULL-terminated vector; free with wn_argv_free(). Returns NULL with a
 * message in err (as for wn_ticket_parse()) when t is not an ssh ticket or weft_ssh_env has
 * an unterminated quote. */
char **wn_ssh_argv(const wn_ticket *t, const char *weft_ssh_env, char *err, size_t errsize);

/* Frees a vector from wn_ssh_argv() and its strings; NULL is ignored. */
void wn_argv_free(char **argv);

#endif
