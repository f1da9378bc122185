/* The journals: what it takes to bring a session back after a crash. The host keeps one per
 * shared file; a guest keeps one per ticket, so that its edits the host has not confirmed
 * survive a crash of its own (the same format: SESSION then holds the ticket's token and
 * HOST:PORT).
 *
 * One file per shared file, in $XDG_STATE_HOME/weft/ (else ~/.local/state/weft/), mode
 * 0600 (it holds the tokens). It starts with "WEFTJRN2" (journals from before COLOUR
 * records start with "WEFTJRN1" and are read the same), then records:
 *
 *   u32 length (LE, of type + payload) · u8 type · payload · 8-byte BLAKE2b checksum of
 *   (type · payload)
 *
 *   SESSION  doc_id[16] · varuint n · read-write token · varuint n · read-only token ·
 *            varuint n · listen address · varuint n · the file's absolute path
 *   STATE    the document when the journal was (re)started: a full update (core/codec.h)
 *   UPDATE   one update integrated after that, in order
 *   COLOUR   u64 agent (LE) · u8 colour: the host gave that participant that colour (written
 *            after STATE, among the updates, and again after STATE on every restart)
 *
 * Records are written at once with write(2), so a crash of weft itself loses nothing, and
 * forced to disk with fsync(2) at most JOURNAL_SYNC_MS later (journal_tick), so a power loss
 * loses at most that much. A torn or corrupt tail is detected by the checksums and cut off
 * at the last good record. The journal is removed when the session ends cleanly with the
 * file saved. */
#ifndef WEFT_APP_CMD_JOURNAL_H
#define WEFT_APP_CMD_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/doc.h"
#include "core/error.h"
#include "net/presence.h"
#include "net/proto.h"

#define JOURNAL_SYNC_MS 200
#define JOURNAL_RECORD_MAX ((size_t)1 << 30)

typedef struct journal journal;

typedef struct journal_session {
    uint8_t doc_id[WN_DOC_ID_BYTES];
    char *token_rw;  /* owned */
    char *token_ro;  /* owned, or NULL */
    char *listen;    /* owned: the address actually listened on, "IP:PORT" */
    char *file;      /* owned: the shared file's absolute path */
    wn_colour_entry *colours; /* owned, or NULL: participants' colours (host journals) */
    size_t ncolours; /* entries in colours */
} journal_session;

void journal_session_free(journal_session *s);

/* The journal's path for a shared file (the file need not exist). Returns a new string
 * (free with free()), or NULL with errno set. */
char *journal_path(const char *file);
/* The path of the lock that lets one process at a time share the file (app/cmd/hostlock.h):
 * beside its journal, named the same way. As journal_path(), but the state directory is
 * created only when create is true. */
char *journal_lock_path(const char *file, bool create);
/* The path of a guest's journal for the session of a ticket (its canonical text). */
char *journal_path_for_join(const char *ticket);

/* Starts a journal at path (replacing any): SESSION and STATE of doc. Returns 0 and a new
 * journal in *out (close with journal_close()), or -errno with a message in err. */
WF_MUST_CHECK int journal_create(const char *path, const journal_session *s, const wf_doc *doc,
                                 journal **out, char *err, size_t errsize);

/* Appends an UPDATE record. Returns 0 or -errno (the journal then stops recording and says
 * so in err). */
WF_MUST_CHECK int journal_append(journal *j, const uint8_t *update, size_t n, char *err,
                                 size_t errsize);

/* Appends a COLOUR record (and keeps the colour for the journal's restarts). Returns 0 or
 * -errno, as journal_append(). */
WF_MUST_CHECK int journal_append_colour(journal *j, uint64_t agent, uint8_t colour, char *err,
                                        size_t errsize);

/* Calls fsync when records were written since the last one. Returns 0 or -errno. */
int journal_tick(journal *j);

/* Starts the journal over with the document as it is now (after a save: it stops growing). */
WF_MUST_CHECK int journal_restart(journal *j, const wf_doc *doc, char *err, size_t errsize);

/* Closes the journal, removing its file when `remove` is true. */
void journal_close(journal *j, bool remove);

/* Reads the journal at path: *s gets the session (with the colours recorded, the last one
 * for each agent), *doc a new document (local agent `agent`) holding everything recorded.
 * A torn or corrupt tail is cut off (the file is truncated to the last good record) and
 * described in note. Returns 0, -ENOENT when there is no journal,
 * or another -errno / WF_E* code with a message in note. */
WF_MUST_CHECK int journal_recover(const char *path, uint64_t agent, journal_session *s,
                                  wf_doc **doc, char *note, size_t notesize);

#endif
