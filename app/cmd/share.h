/* What hosting and joining have in common in the program: identities, names, tickets to
 * print, and writing a document to a file or a stream. */
#ifndef WEFT_APP_CMD_SHARE_H
#define WEFT_APP_CMD_SHARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/doc.h"
#include "net/proto.h"
#include "net/ticket.h"

void share_new_doc_id(uint8_t id[WN_DOC_ID_BYTES]);

/* The display name: --name, else $WEFT_NAME, else the settings file's `name`, else $USER,
 * else fallback. Borrowed. */
const char *share_name(const char *option, const char *fallback);

/* Checks a --ssh-host value ([USER@]HOST[:PORT], as in an ssh:// ticket; NULL: none given).
 * Returns 0, or 2 (the usage error status) after saying on stderr, after "command: ",
 * what is wrong and what to give. */
int share_check_ssh_host(const char *command, const char *ssh_host);

/* The session's tickets for a host listening at address ("IP:PORT" or "[IPv6]:PORT").
 * ssh_host: [USER@]HOST[:PORT], how guests reach this machine over ssh, checked by
 * share_check_ssh_host() (NULL: this machine's host name; when that cannot go in a ticket,
 * the ssh lines are left out, with a note on stderr). token_ro may be NULL. Writes the four
 * lines (two without a read-only token) "read-write: weft://...", "read-write over ssh:
 * ssh://...", "read-only: ...", "read-only over ssh: ..." to f, each a ticket that
 * wn_ticket_parse() accepts. Returns 0, or WN_ETICKET if a ticket cannot be formed. */
int share_print_tickets(FILE *f, const char *address, const char *ssh_host,
                        const char *token_rw, const char *token_ro);

/* The lines of share_print_tickets() as a new string (free with free()), or NULL when a
 * ticket cannot be formed. */
char *share_tickets(const char *address, const char *ssh_host, const char *token_rw,
                    const char *token_ro);

/* Writes the document's text to the stream. Returns 0 or -errno. */
int share_write_stream(const wf_doc *doc, FILE *f);

/* The tokens of a new session for command ("weft serve"): rw from the --token option (or
 * share_token()'s default), ro a random one when read_only. Initialises libsodium first.
 * Returns -1 to go on, or the exit status after saying why on stderr: 2 for a malformed
 * token, 1 without libsodium. */
int share_session_tokens(const char *command, const char *option, bool read_only,
                         char rw[WN_TOKEN_MAX + 1], char ro[WN_TOKEN_MAX + 1]);

/* A random 128-bit token, or $WEFT_TOKEN / option when given and valid. Writes an error to
 * err and returns -1 if the given token is malformed. */
int share_token(const char *option, char *out, size_t size, char *err, size_t errsize);

#endif
