/* Presence: who is in the session, in which colour, and where their cursor, selection and
 * view are. Positions are anchors (core/anchor.h), so they stay on their characters while
 * others edit. The host assigns colours; a record with a higher clock replaces an older one.
 *
 * The record names the file the participant is in (a manifest id, 0: none), so that the
 * others can show it and follow across files; the anchors are positions in that file.
 *
 * Encoding: u64 agent (LE) · varuint clock · u8 colour · u8 flags · varuint n · name[n] ·
 * varuint file · [anchor cursor] · [anchor selection end] · [anchor view top · varuint view lines]
 * flags: bit 0 cursor, bit 1 selection, bit 2 view, bit 3 read-only, bit 4 typing. */
#ifndef WEFT_NET_PRESENCE_H
#define WEFT_NET_PRESENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/anchor.h"
#include "core/buf.h"
#include "net/error.h"

#define WN_NAME_MAX 64     /* bytes of a display name */
#define WN_COLOURS 12      /* palette size; colour indexes are 0..WN_COLOURS-1 */

enum {
    WN_PRESENCE_CURSOR = 1,
    WN_PRESENCE_SELECTION = 2,
    WN_PRESENCE_VIEW = 4,
    WN_PRESENCE_READONLY = 8,
    WN_PRESENCE_TYPING = 16,
};

typedef struct wn_presence {
    uint64_t agent;            /* the participant's document agent */
    uint64_t clock;            /* increases with every change by its owner */
    uint8_t colour;            /* palette index, assigned by the host */
    uint8_t flags;             /* WN_PRESENCE_* */
    char name[WN_NAME_MAX + 1];/* UTF-8, NUL-terminated */
    uint64_t file;             /* the file they are in (net/manifest.h's ids), 0: none */
    wf_anchor cursor;          /* the caret */
    wf_anchor selection;       /* the other end of the selection */
    wf_anchor view_top;        /* the first line on their screen */
    uint32_t view_lines;       /* lines on their screen */
} wn_presence;

/* A colour the host gave a participant: it keeps it for the session, also when it
 * reconnects and after the host recovers from a crash (the host's journal keeps these). */
typedef struct wn_colour_entry {
    uint64_t agent; /* the participant's document agent */
    uint8_t colour; /* 1..WN_COLOURS-1 (0 is the host's) */
} wn_colour_entry;

void wn_presence_encode(const wn_presence *p, wf_buf *out);
/* Returns 0 or WN_EPROTO (truncated, trailing bytes, bad anchor, name too long). Control
 * characters in the name are replaced with '?'. */
WF_MUST_CHECK int wn_presence_decode(const uint8_t *data, size_t n, wn_presence *p);
/* Copies a display name, cutting it at a UTF-8 boundary to fit WN_NAME_MAX bytes and
 * replacing control characters. */
void wn_presence_set_name(wn_presence *p, const char *name);

/* The name a participant is shown under, unique in the session: wanted (a display name,
 * at most WN_NAME_MAX bytes) when taken(name, ctx) says nobody has it, else the first of
 * "wanted (2)", "wanted (3)", ... that nobody has, with wanted cut at a UTF-8 boundary so
 * that the whole fits WN_NAME_MAX bytes. Written to out. taken must say false for some
 * name of the series (the host calls it with the names of the others in the session). */
void wn_presence_unique_name(char out[WN_NAME_MAX + 1], const char *wanted,
                             bool (*taken)(const char *name, void *ctx), void *ctx);

#endif
