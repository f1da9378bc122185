/* The clipboard: an internal one, and a copy to the terminal's own clipboard.
 *
 * Cut and copy keep the text here; paste inserts it. Copy also builds an OSC 52 sequence
 * (ESC ] 52 ; c ; BASE64 BEL) that app/ui/term.c writes to the terminal, which puts the text on
 * the system clipboard where the terminal allows it, also over SSH and through tmux
 * (set-clipboard on). Text copied without a selection is a whole line, and is pasted as a
 * whole line: above the cursor's line, not at the cursor. */
#ifndef WEFT_APP_EDITOR_CLIPBOARD_H
#define WEFT_APP_EDITOR_CLIPBOARD_H

#include <stdbool.h>
#include <stddef.h>

/* Largest copy sent to the terminal, in bytes of text (terminals cap OSC 52 payloads). */
#define CLIPBOARD_OSC52_MAX 100000

/* Caller's storage; release with clipboard_close(). */
struct clipboard {
    char *text;       /* owned, malloc'd; NULL when empty */
    size_t len;       /* bytes */
    bool whole_line;  /* copied as a whole line (no selection) */
};

void clipboard_init(struct clipboard *c);
void clipboard_close(struct clipboard *c);
/* Replaces the contents. Takes ownership of text (malloc'd). */
void clipboard_set(struct clipboard *c, char *text, size_t len, bool whole_line);

/* Returns a new OSC 52 sequence carrying text (free with free()), its length in *outlen;
 * NULL when len exceeds CLIPBOARD_OSC52_MAX. */
char *clipboard_osc52(const char *text, size_t len, size_t *outlen);

#endif
