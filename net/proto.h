/* The session protocol: the messages host and guests exchange once a connection is ready
 * (net/conn.h carries them sealed). DESIGN.md §3, CRDT.md §3.3.
 *
 *   JOIN     guest -> host   u64 agent · doc_id[16] (zeros: a first join) · varuint n ·
 *                            name[n] · version vector (core/vv.h encoding)
 *   WELCOME  host -> guest   doc_id[16] · u8 colour · varuint n · host name[n] · varuint m ·
 *                            file name[m] · host's vv
 *   SYNC     both ways       an update: what the other side lacks (after JOIN / WELCOME)
 *   UPDATE   both ways       an update: live edits (the host relays guests' to the others)
 *   PRESENCE both ways       a presence record (net/presence.h)
 *   GONE     host -> guest   u64 agent: that participant left
 *   SAVE     guest -> host   (empty): please save the file
 *   SAVED    host -> guest   u8 ok · text: the outcome
 *   DIGEST   host -> guest   vv · BLAKE2b-256 of the text: what the host holds, after a lull
 *   RESYNC   guest -> host   (empty): my text differs at the same vv; send everything
 *   REFUSED  host -> guest   text: an edit was refused (read-only guest)
 *   NOTICE   host -> guest   text: a message for the status line (joins, leaves, saves)
 *   END      host -> guest   u8 reason · u8 flags · varuint n · host name[n] · BLAKE2b-256 of
 *                            the text · host's vv: the host ends the session on purpose (sent
 *                            last, before the connection's BYE); flags bit 0: the file was
 *                            saved with the session's text
 *
 * The join: the guest sends JOIN with its version vector; the host answers WELCOME (with its
 * own vector), SYNC (what the guest lacks: everything, for a new guest) and the presence of
 * everyone; the guest answers SYNC with what the host lacks (its offline edits). From then
 * on both sides stream UPDATEs.
 *
 * Compatibility: a guest ignores message types it does not know, so END needs no new
 * protocol version: an older guest takes the BYE that follows it for a lost host and
 * reconnects, as it always did; a newer guest of an older host (no END) does the same. */
#ifndef WEFT_NET_PROTO_H
#define WEFT_NET_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/vv.h"
#include "net/error.h"
#include "net/presence.h" /* WN_NAME_MAX */

#define WN_DOC_ID_BYTES 16

enum wn_message {
    WN_M_JOIN = 16,
    WN_M_WELCOME = 17,
    WN_M_SYNC = 18,
    WN_M_UPDATE = 19,
    WN_M_PRESENCE = 20,
    WN_M_GONE = 21,
    WN_M_SAVE = 22,
    WN_M_SAVED = 23,
    WN_M_DIGEST = 24,
    WN_M_RESYNC = 25,
    WN_M_REFUSED = 26,
    WN_M_NOTICE = 27,
    WN_M_END = 28,
};

/* Why the host ended the session (END). A newer host may send others. */
enum wn_end_reason {
    WN_END_QUIT = 0,        /* the host quit (its editor, or the program) */
    WN_END_INTERRUPTED = 1, /* SIGINT: Ctrl-C of weft serve */
    WN_END_TERMINATED = 2,  /* SIGTERM of weft serve */
};

#define WN_END_SAVED 1 /* END flag: the file holds the session's text */

typedef struct wn_join {
    uint64_t agent;
    uint8_t doc_id[WN_DOC_ID_BYTES];
    char name[WN_NAME_MAX + 1];
    wf_vv vv; /* owned: wf_vv_free() */
} wn_join;

typedef struct wn_welcome {
    uint8_t doc_id[WN_DOC_ID_BYTES];
    uint8_t colour;
    char name[WN_NAME_MAX + 1];
    char file[256]; /* the shared file's name, without directories */
    wf_vv vv; /* owned */
} wn_welcome;

void wn_join_encode(const wn_join *j, wf_buf *out);
/* Returns 0 or WN_EPROTO; on success j->vv is initialised and owned by the caller. */
WF_MUST_CHECK int wn_join_decode(const uint8_t *p, size_t n, wn_join *j);
void wn_welcome_encode(const wn_welcome *w, wf_buf *out);
WF_MUST_CHECK int wn_welcome_decode(const uint8_t *p, size_t n, wn_welcome *w);

typedef struct wn_end {
    uint8_t reason;   /* enum wn_end_reason */
    uint8_t flags;    /* WN_END_* */
    char name[65];    /* the host's name */
    uint8_t hash[32]; /* BLAKE2b-256 of the host's text */
    wf_vv vv;         /* owned: what the host holds */
} wn_end;

void wn_end_encode(const wn_end *e, wf_buf *out);
/* Returns 0 or WN_EPROTO; on success e->vv is initialised and owned by the caller. */
WF_MUST_CHECK int wn_end_decode(const uint8_t *p, size_t n, wn_end *e);
/* Words for a reason, to follow "ended the session": "quit", "stopped with Ctrl-C", ...;
 * "" for a reason this version does not know. Static. */
const char *wn_end_reason_text(int reason);

void wn_digest_encode(const wf_vv *vv, const uint8_t hash[32], wf_buf *out);
WF_MUST_CHECK int wn_digest_decode(const uint8_t *p, size_t n, wf_vv *vv, uint8_t hash[32]);

/* Copies a text from a peer (names, SAVED, REFUSED, NOTICE, ERROR) for display: control
 * characters (C0, DEL, C1) and invalid UTF-8 bytes become '?', and the text is cut at a
 * character boundary to fit size - 1 bytes. */
void wn_text_copy(char *dst, size_t size, const uint8_t *p, size_t n);

/* BLAKE2b-256 of the document's text. */
struct wf_doc;
void wn_text_hash(const struct wf_doc *doc, uint8_t hash[32]);

#endif
