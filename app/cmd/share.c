/* Identities, names, tickets and text output shared by host, serve, join and cat. */
#include "app/cmd/share.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/editor/settings.h"
#include "net/crypto.h"
#include "net/ticket.h"

void share_new_doc_id(uint8_t id[WN_DOC_ID_BYTES])
{
    randombytes_buf(id, WN_DOC_ID_BYTES);
}

/* The `name` of the settings file (app/editor/settings.h), read once; "" when it gives
 * none. Its messages are the editor's to show (it reads the file again): none here. */
static const char *settings_name(void)
{
    static struct settings s;
    static bool read;
    if (!read) {
        struct notes notes;
        notes_init(&notes, SETTINGS_MAX_NOTES, "the settings file");
        settings_defaults(&s);
        settings_load(&s, NULL, &notes);
        notes_free(&notes);
        read = true;
    }
    return s.name;
}

const char *share_name(const char *option, const char *fallback)
{
    if (option && *option)
        return option;
    const char *env = getenv("WEFT_NAME");
    if (env && *env)
        return env;
    if (*settings_name())
        return settings_name();
    env = getenv("USER");
    return env && *env ? env : fallback;
}

int share_token(const char *option, char *out, size_t size, char *err, size_t errsize)
{
    const char *given = option ? option : getenv("WEFT_TOKEN");
    if (given && *given) {
        if (!wn_token_valid(given) || strlen(given) >= size) {
            snprintf(err, errsize, "the token must be %d to %d characters of A-Z a-z 0-9 _ -",
                     WN_TOKEN_MIN, WN_TOKEN_MAX);
            return -1;
        }
        snprintf(out, size, "%s", given);
        return 0;
    }
    if (wn_token_generate(out, size) != 0) {
        snprintf(err, errsize, "cannot make a random token: the system has no entropy source");
        return -1;
    }
    return 0;
}

int share_session_tokens(const char *command, const char *option, bool read_only,
                         char rw[WN_TOKEN_MAX + 1], char ro[WN_TOKEN_MAX + 1])
{
    if (wn_crypto_init() != 0) {
        fprintf(stderr, "weft: cannot initialise libsodium (no entropy source?)\n");
        return 1;
    }
    char err[256];
    if (share_token(option, rw, WN_TOKEN_MAX + 1, err, sizeof err) != 0
        || (read_only && share_token("", ro, WN_TOKEN_MAX + 1, err, sizeof err) != 0)) {
        fprintf(stderr, "%s: %s\n", command, err);
        return 2;
    }
    return -1;
}

/* Splits "IP:PORT" / "[IPv6]:PORT" into a host string and a port. */
static int split_address(const char *address, char *host, size_t size, uint16_t *port)
{
    const char *colon = strrchr(address, ':');
    if (!colon)
        return -1;
    size_t n = (size_t)(colon - address);
    if (n >= 2 && address[0] == '[') {
        address++;
        n -= 2;
    }
    if (n >= size)
        return -1;
    memcpy(host, address, n);
    host[n] = '\0';
    *port = (uint16_t)atoi(colon + 1);
    return 0;
}

/* Prints "label: ticket", after making sure that the ticket is one `weft join` takes. */
static int print_one(FILE *f, const char *label, const wn_ticket *t)
{
    char *s = wn_ticket_format(t);
    wn_ticket back;
    int err = wn_ticket_parse(s, &back, NULL, 0);
    wn_ticket_free(&back);
    if (!err)
        fprintf(f, "%s: %s\n", label, s);
    free(s);
    return err;
}

int share_check_ssh_host(const char *command, const char *ssh_host)
{
    wn_ssh_target t;
    char why[256];
    if (!ssh_host || wn_ssh_target_parse(ssh_host, &t, why, sizeof why) == 0) {
        if (ssh_host)
            wn_ssh_target_free(&t);
        return 0;
    }
    fprintf(stderr, "%s: --ssh-host '%s' cannot go in a ticket: %s.\n"
            "Give the name guests pass to ssh: HOST, USER@HOST, HOST:PORT or USER@HOST:PORT "
            "(an IPv6 address in brackets: [::1]:2222).\n", command, ssh_host, why);
    return 2;
}

/* The ssh target of the tickets: --ssh-host (checked by share_check_ssh_host()), else this
 * machine's name. Returns false, with a note on stderr, when the machine's name cannot go
 * in a ticket (then only weft:// tickets are printed). */
static bool ssh_target(const char *ssh_host, wn_ssh_target *t)
{
    char machine[256], why[256];
    if (ssh_host)
        return wn_ssh_target_parse(ssh_host, t, why, sizeof why) == 0;
    if (gethostname(machine, sizeof machine) != 0)
        snprintf(machine, sizeof machine, "localhost");
    machine[sizeof machine - 1] = '\0';
    if (wn_ssh_target_parse(machine, t, why, sizeof why) == 0)
        return true;
    fprintf(stderr, "weft: no ssh:// tickets: this machine's name '%s' cannot go in one (%s); "
            "give --ssh-host NAME\n", machine, why);
    return false;
}

int share_print_tickets(FILE *f, const char *address, const char *ssh_host,
                        const char *token_rw, const char *token_ro)
{
    char host[80];
    uint16_t port;
    if (split_address(address, host, sizeof host, &port) != 0)
        return WN_ETICKET;
    wn_ssh_target via;
    bool ssh = ssh_target(ssh_host, &via);
    if (!ssh && ssh_host)
        return WN_ETICKET;
    /* Listening on every interface: guests reach us by the machine's name. */
    bool any = !strcmp(host, "0.0.0.0") || !strcmp(host, "::");
    const char *tcp_host = any && ssh ? via.host : host;
    /* Through ssh, the weft host is seen from the ssh host, i.e. this machine. */
    const char *via_host = !strcmp(host, "0.0.0.0") ? "127.0.0.1"
                           : !strcmp(host, "::")    ? "::1"
                                                    : host;
    const char *tokens[2] = {token_rw, token_ro};
    const char *labels[2][2] = {{"read-write", "read-write over ssh"},
                                {"read-only", "read-only over ssh"}};
    int err = 0;
    for (int i = 0; i < 2 && !err; i++) {
        if (!tokens[i])
            continue;
        wn_ticket t = {.token = (char *)tokens[i], .host = (char *)tcp_host, .port = port};
        err = print_one(f, labels[i][0], &t);
        wn_ticket s = {.token = (char *)tokens[i], .host = (char *)via_host, .port = port,
                       .ssh = true, .ssh_user = ssh ? via.user : NULL,
                       .ssh_host = ssh ? via.host : NULL, .ssh_port = ssh ? via.port : 0};
        if (!err && ssh)
            err = print_one(f, labels[i][1], &s);
    }
    if (ssh)
        wn_ssh_target_free(&via);
    fflush(f);
    return err;
}

char *share_tickets(const char *address, const char *ssh_host, const char *token_rw,
                    const char *token_ro)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    int e = share_print_tickets(f, address, ssh_host, token_rw, token_ro);
    if (fclose(f) != 0 || e) {
        free(text);
        return NULL;
    }
    return text;
}

int share_write_stream(const wf_doc *doc, FILE *f)
{
    wf_iter it;
    const char *p;
    size_t n;
    wf_iter_init(&it, doc, 0, SIZE_MAX);
    while (wf_iter_next(&it, &p, &n))
        if (fwrite(p, 1, n, f) != n)
            return -errno;
    return fflush(f) == 0 ? 0 : -errno;
}
