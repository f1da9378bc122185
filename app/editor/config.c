/* The editor's configuration and each buffer's share of it (see config.h). */
#define _XOPEN_SOURCE 700 /* realpath(), which glibc declares only for X/Open */
#include "app/editor/config.h"

#include <stdlib.h>
#include <string.h>

#include "app/editor/fileconf.h"
#include "app/editor/highlight.h"
#include "app/editor/nanorc.h"
#include "core/doc.h"
#include "core/mem.h"

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    settings_defaults(&c->settings);
}

void config_load(struct config *c, const char *no_color, struct notes *notes)
{
    config_defaults(c);
    settings_load(&c->settings, NULL, notes);
    if (!settings_syntax_on(&c->settings, no_color)) {
        c->colours_off = true;
        return;
    }
    c->syntaxes = syn_set_new();
    nanorc_load_standard(c->syntaxes);
    for (size_t i = 0; i < syn_set_message_count(c->syntaxes); i++)
        notes_add(notes, "%s", syn_set_message(c->syntaxes, i));
    if (syn_set_count(c->syntaxes) == 0) {
        c->no_syntax_files = true;
        syn_set_free(c->syntaxes);
        c->syntaxes = NULL;
    }
}

void config_free(struct config *c)
{
    syn_set_free(c->syntaxes);
    memset(c, 0, sizeof *c);
}

/* The first bytes of b's text, for detection: a new string (free with free()), *n its
 * length. */
static char *sample_of(const struct buffer *b, size_t *n)
{
    size_t units = wf_doc_len(b->doc);
    /* A unit is at most 4 bytes: this many units hold at least the bytes detection reads,
     * and text is cut by wf_doc_text to whole units. */
    size_t want = FILECONF_DETECT_BYTES / 4;
    return wf_doc_text(b->doc, 0, units < want ? units : want, n);
}

void config_buffer(struct config *c, struct buffer *b, const char *name, bool local,
                   struct notes *notes)
{
    size_t n;
    char *sample = sample_of(b, &n);
    const char *given = name ? name : "";
    char *keep = wf_xstrndup(given, strlen(given)); /* name may be b->conf_name itself */
    free(b->conf_name);
    b->conf_name = keep;
    name = keep;
    fileconf_resolve(&b->conf, local ? name : NULL, &c->settings, sample, n, notes);
    b->view.tabw = b->conf.tab_width;
    hl_free(b->hl);
    b->hl = NULL;
    b->syntax = NULL;
    if (c->syntaxes) {
        const char *nl = memchr(sample, '\n', n);
        size_t first = nl ? (size_t)(nl - sample) : n;
        if (first > 0 && sample[first - 1] == '\r')
            first--;
        char *abs = local ? realpath(name, NULL) : NULL;
        b->syntax = syn_set_choose(c->syntaxes, abs ? abs : name, sample, first);
        free(abs);
        if (b->syntax)
            b->hl = hl_new(c->syntaxes, b->syntax);
    }
    free(sample);
}
