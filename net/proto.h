/* The session protocol: the messages host and guests exchange once a connection is ready
 * (net/conn.h carries them sealed). DESIGN.md §3, CRDT.md §3.3. Protocol 3 (net/crypto.h):
 * a session carries a project, a manifest of files and one CRDT document per text file,
 * keyed by a stable file id (never the path); a one-file session is a project of one file
 * (id WN_SINGLE_FILE_ID, WELCOME flag WN_WELCOME_SINGLE). Numbers are varuints unless said.
 *
 *   JOIN      guest -> host  u64 agent · session_id[16] (zeros: a first join) · name
 *   WELCOME   host -> guest  session_id[16] · u8 colour · host name · root name (the
 *                            directory's or the file's name) · u8 flags · manifest version ·
 *                            entries (how many the guest may see, as far as the host knows)
 *   MANIFEST  host -> guest  a page of the manifest (net/manifest.h): version · next_after
 *                            (0: the last page) · entries; the first page follows WELCOME
 *   MORE      guest -> host  after_id: the next page, of entries after that id
 *   CHANGES   host -> guest  version · changes (add, update, remove, rename: net/manifest.h)
 *   OPEN      guest -> host  file_id · vv of the guest's copy (empty: none)
 *   OPENED    host -> guest  file_id · u8 ok · text (why not) · [ok: the host's vv]; when ok,
 *                            SYNC(file_id) follows with what the guest lacks, the guest
 *                            answers SYNC with what the host lacks, and both stream UPDATEs
 *   CLOSE     guest -> host  file_id: stop sending me that file's updates
 *   SYNC      both ways      file_id · an update: what the other side lacks
 *   UPDATE    both ways      file_id · an update: live edits (relayed to the file's openers)
 *   PRESENCE  both ways      a presence record (net/presence.h; it names the file)
 *   GONE      host -> guest  u64 agent: that participant left
 *   SAVE      guest -> host  file_id: please save that file
 *   SAVED     host -> guest  file_id · u8 ok · text: the outcome
 *   DIGEST    host -> guest  file_id · BLAKE2b-256 of the text · vv: after a lull
 *   RESYNC    guest -> host  file_id: my text differs at the same vv; send everything
 *   TREE      guest -> host  u32 request (LE) · u8 op (enum wn_tree_op) · file_id (rename,
 *                            delete; else 0) · path · path2 (rename: the new path; else "")
 *   TREE_DONE host -> guest  u32 request (LE) · u8 ok · file_id (what was made or moved) ·
 *                            text: the outcome
 *   REFUSED   host -> guest  text: an edit was refused (read-only guest)
 *   NOTICE    host -> guest  text: a message for the status line (joins, leaves, saves)
 *   END       host -> guest  u8 reason · u8 flags · host name · BLAKE2b-256 of the text ·
 *                            host's vv, of file WN_SINGLE_FILE_ID (empty and a zero hash when
 *                            none): the host ends the session on purpose (sent last, before
 *                            the connection's BYE); flags bit 0: the file was saved
 *
 * Texts and names are varuint length · bytes. A guest pipelines: JOIN, then OPEN of every
 * file it has open (with its vv), without waiting for WELCOME; a host refusing the JOIN
 * closes the connection, so nothing of the OPENs is answered.
 *
 * Compatibility: each side ignores message types it does not know, so a newer peer may add
 * some; the protocol number changes when a known message changes (a v2 peer is refused in
 * the handshake, with a sentence naming both versions). */
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
    WN_M_MANIFEST = 29,
    WN_M_MORE = 30,
    WN_M_CHANGES = 31,
    WN_M_OPEN = 32,
    WN_M_OPENED = 33,
    WN_M_CLOSE = 34,
    WN_M_TREE = 35,
    WN_M_TREE_DONE = 36,
};

#define WN_SINGLE_FILE_ID 1 /* the file of a one-file session */
#define WN_WELCOME_SINGLE 1 /* WELCOME flag: a one-file session */
#define WN_ROOT_MAX 256     /* bytes of a root name, with its NUL */
#define WN_TEXT_MAX 512     /* bytes of a reason or outcome text, with its NUL */

/* Why the host ended the session (END). A newer host may send others. */
enum wn_end_reason {
    WN_END_QUIT = 0,        /* the host quit (its editor, or the program) */
    WN_END_INTERRUPTED = 1, /* SIGINT: Ctrl-C of weft serve */
    WN_END_TERMINATED = 2,  /* SIGTERM of weft serve */
};

#define WN_END_SAVED 1 /* END flag: the file holds the session's text */

typedef struct wn_join {
    uint64_t agent;
    uint8_t doc_id[WN_DOC_ID_BYTES]; /* the session's id */
    char name[WN_NAME_MAX + 1];
} wn_join;

typedef struct wn_welcome {
    uint8_t doc_id[WN_DOC_ID_BYTES];
    uint8_t colour;
    uint8_t flags;              /* WN_WELCOME_* */
    char name[WN_NAME_MAX + 1]; /* the host's */
    char file[WN_ROOT_MAX];     /* the root's name (directory or file), without directories */
    uint64_t version;           /* of the manifest */
    uint64_t entries;           /* in the manifest, as the guest may see it */
} wn_welcome;

/* Decoders return 0 or WN_EPROTO (truncated, trailing bytes, a text too long). */
void wn_join_encode(const wn_join *j, wf_buf *out);
WF_MUST_CHECK int wn_join_decode(const uint8_t *p, size_t n, wn_join *j);
void wn_welcome_encode(const wn_welcome *w, wf_buf *out);
WF_MUST_CHECK int wn_welcome_decode(const uint8_t *p, size_t n, wn_welcome *w);

/* The file id that prefixes SYNC, UPDATE, SAVE, RESYNC, CLOSE (and OPEN, OPENED, DIGEST,
 * SAVED): appended to out; read back with the rest as a borrowed pointer into p. A zero id
 * is malformed. */
void wn_file_prefix(uint64_t file, wf_buf *out);
WF_MUST_CHECK int wn_file_split(const uint8_t *p, size_t n, uint64_t *file,
                                const uint8_t **rest, size_t *rest_n);

/* OPEN: file and the guest's vector. On success *vv is initialised and the caller's. */
void wn_open_encode(uint64_t file, const wf_vv *vv, wf_buf *out);
WF_MUST_CHECK int wn_open_decode(const uint8_t *p, size_t n, uint64_t *file, wf_vv *vv);

typedef struct wn_opened {
    uint64_t file;
    bool ok;
    char why[WN_TEXT_MAX]; /* why not, for people ("" when ok) */
    wf_vv vv;              /* owned, initialised by the decoder: the host's (empty if not ok) */
} wn_opened;
void wn_opened_encode(uint64_t file, bool ok, const char *why, const wf_vv *vv, wf_buf *out);
WF_MUST_CHECK int wn_opened_decode(const uint8_t *p, size_t n, wn_opened *o);

/* SAVED and TREE_DONE share a shape: an outcome with a text. */
void wn_saved_encode(uint64_t file, bool ok, const char *text, wf_buf *out);
WF_MUST_CHECK int wn_saved_decode(const uint8_t *p, size_t n, uint64_t *file, bool *ok,
                                  char text[WN_TEXT_MAX]);

enum wn_tree_op {
    WN_TREE_CREATE = 0, /* a new empty text file at path */
    WN_TREE_MKDIR = 1,  /* a directory at path */
    WN_TREE_RENAME = 2, /* file (or directory) id to path2 */
    WN_TREE_DELETE = 3, /* file (or directory) id */
};
#define WN_TREE_OPS 4

typedef struct wn_tree_request {
    uint32_t request;   /* the guest's number for it (increasing) */
    uint8_t op;         /* enum wn_tree_op */
    uint64_t file;      /* rename, delete */
    const char *path;   /* create, mkdir; NUL-terminated, valid (wn_path_valid) */
    const char *path2;  /* rename: the new path; else "" */
} wn_tree_request;

void wn_tree_encode(const wn_tree_request *t, wf_buf *out);
/* Paths are copied into the caller's buffers (each WN_PATH_MAX + 1 bytes) and must be valid
 * for the op (wn_path_valid; "" where the op has none). */
WF_MUST_CHECK int wn_tree_decode(const uint8_t *p, size_t n, wn_tree_request *t, char *path,
                                 char *path2);

typedef struct wn_tree_done {
    uint32_t request;
    bool ok;
    uint64_t file;
    char text[WN_TEXT_MAX];
} wn_tree_done;
void wn_tree_done_encode(const wn_tree_done *d, wf_buf *out);
WF_MUST_CHECK int wn_tree_done_decode(const uint8_t *p, size_t n, wn_tree_done *d);

/* Paths on the wire: relative, '/'-separated, 1..WN_PATH_MAX bytes of UTF-8 (shortest form,
 * no surrogates), at most WN_PATH_DEPTH_MAX components of 1..WN_PATH_NAME_MAX bytes, no
 * empty, "." or ".." component (so no leading, trailing or doubled '/'), no '\', no control
 * character (C0, DEL, C1) and none that reorders what a person reads (bidi marks and
 * controls U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069; U+2028, U+2029): the
 * rules of app/project/path.h, checked again here because net/ cannot call app/ and every
 * path a peer sends passes through here. (The host's filter decides what is shared; this
 * only bars what no honest peer sends.) */
#define WN_PATH_MAX 4095
#define WN_PATH_NAME_MAX 255
#define WN_PATH_DEPTH_MAX 128
bool wn_path_valid(const char *p, size_t n);

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

void wn_digest_encode(uint64_t file, const wf_vv *vv, const uint8_t hash[32], wf_buf *out);
/* On success *vv is initialised and the caller's. */
WF_MUST_CHECK int wn_digest_decode(const uint8_t *p, size_t n, uint64_t *file, wf_vv *vv,
                                   uint8_t hash[32]);

/* Copies a text from a peer (names, SAVED, REFUSED, NOTICE, ERROR) for display: control
 * characters (C0, DEL, C1) and invalid UTF-8 bytes become '?', and the text is cut at a
 * character boundary to fit size - 1 bytes. */
void wn_text_copy(char *dst, size_t size, const uint8_t *p, size_t n);

/* BLAKE2b-256 of the document's text. */
struct wf_doc;
void wn_text_hash(const struct wf_doc *doc, uint8_t hash[32]);

#endif
