/* Fuzz target: ticket parsing; a parsed ticket must format back to one that parses to the
 * same ticket, and its ssh argv must never start a word with '-' from the ticket. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/ticket.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    wn_ticket t;
    char err[256];
    if (wn_ticket_parse(s, &t, err, sizeof err) == 0) {
        char *f = wn_ticket_format(&t);
        wn_ticket u;
        if (!f || wn_ticket_parse(f, &u, err, sizeof err) != 0)
            abort();
        if (strcmp(t.token, u.token) || strcmp(t.host, u.host) || t.port != u.port
            || t.ssh != u.ssh)
            abort();
        if (t.ssh) {
            char **argv = wn_ssh_argv(&t, NULL, err, sizeof err);
            if (!argv)
                abort();
            /* The last word is [user@]host from the ticket: never an option. */
            size_t k = 0;
            while (argv[k])
                k++;
            if (k == 0 || argv[k - 1][0] == '-')
                abort();
            wn_argv_free(argv);
        }
        wn_ticket_free(&u);
        free(f);
    }
    wn_ticket_free(&t);
    free(s);
    return 0;
}
