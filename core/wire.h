/* Private to the codec (core/encode.c, core/wire1.c, core/wire2.c, core/codec.c): what an
 * update holds between the document and its bytes. Not included outside core/.
 *
 * Encoding: encode.c walks the document and collects the message (agents are the
 * document's, runs are wf__wrun in message order); wire2.c writes it in the current format.
 * Decoding: wire2.c (current format) or wire1.c (version 1, still read from old journals)
 * fills a wf__decoded with message agent indexes; codec.c validates it against the document
 * and applies it. The formats are described at the top of wire1.c and wire2.c. */
#ifndef WEFT_CORE_WIRE_H
#define WEFT_CORE_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/doc-internal.h"

/* --- encoding ------------------------------------------------------------------------- */

/* A stretch of a run's text, borrowed from the document. */
typedef struct wf__seg {
    const char *p;
    uint64_t n;
} wf__seg;

/* One run of the message: units [seq, seq+len) of agent, uniform in deletedness. */
typedef struct wf__wrun {
    uint32_t agent, seq, len;  /* doc agent index */
    wf__lid ol, or;            /* doc lids */
    bool deleted;              /* travels without text */
    uint32_t seg_first, nseg;  /* its text, in wf__wmsg.segs */
    uint64_t nbytes;           /* bytes of its text */
    uint8_t tail[3];           /* the last (up to 3) bytes of its text */
    uint8_t ntail;
} wf__wrun;

typedef struct wf__wmsg {
    const wf_doc *doc;
    bool state;                /* the runs are the whole of L, in document order */
    wf__wrun *w;
    size_t nw, wcap;
    wf__seg *segs;
    size_t nsegs, segcap;
    wf__range *dels;           /* deletions by nobody in particular (doc agent indexes):
                                * every tombstone, when floors vouch for them */
    size_t ndels, delcap;
    wf__range *floors;         /* {agent, dnext, unused}: the message holds every deletion of
                                * agent below dnext */
    size_t nfloors, floorcap;
    wf__dentry *ops;           /* delete-log entries, grouped by deleter (opsby) */
    uint32_t *opsby;           /* per entry: its deleter (doc agent index) */
    size_t nops, opcap;
} wf__wmsg;

/* Adds units [seq, seq+len) of agent, with origins ol (of the first unit) and or, to the
 * message, extending the last run when they continue it (by the text alone, so replicas
 * holding the same content encode it to the same bytes). text: their bytes, unless
 * deleted. */
void wf__wmsg_add(wf__wmsg *m, uint32_t agent, uint32_t seq, uint32_t len, wf__lid ol,
                  wf__lid or, bool deleted, const char *text, uint64_t nbytes);
void wf__wmsg_del(wf__wmsg *m, wf__range r);
void wf__wmsg_floor(wf__wmsg *m, uint32_t agent, uint32_t floor);
void wf__wmsg_op(wf__wmsg *m, uint32_t deleter, const wf__dentry *e);
void wf__wmsg_free(wf__wmsg *m);

/* Where the bytes of an encoded message go, per part (for benchmarks: trace-bench --bytes). */
typedef struct wf__wire_stats {
    size_t header;             /* version, flags, agent table */
    size_t dels;               /* the delete set, the floors and the delete-log entries */
    size_t col_raw[8], col[8]; /* each run column, before and after packing */
    size_t text_raw, text;     /* the text, before and after packing */
    size_t runs;               /* runs in the message */
} wf__wire_stats;

extern const char *const wf__wire_col_names[8];

/* Appends the message in the current format to out; fills *stats when not NULL. */
void wf__wire_write(wf__wmsg *m, wf_buf *out, wf__wire_stats *stats);
/* wf_doc_encode_diff() that also says where the bytes went (for trace-bench --bytes). */
void wf__encode_stats(const wf_doc *doc, const wf_vv *since, wf_buf *out,
                      wf__wire_stats *stats);

/* --- decoding ------------------------------------------------------------------------- */

typedef struct wf__mdel {
    uint32_t agent;            /* message agent index */
    uint32_t seq, len;
} wf__mdel;

/* A delete-log entry as read: deleter and target name message agents. */
typedef struct wf__mop {
    uint32_t deleter;
    wf__dentry e;
} wf__mop;

typedef struct wf__decoded {
    uint64_t *agents;          /* message agent table, strictly increasing */
    uint32_t nagents;
    wf__mdel *dels;            /* deletions (of any units, the runs' own included) */
    size_t ndels;
    wf__range *floors;         /* {agent, floor, unused}: see wf__wmsg */
    size_t nfloors;
    wf__mop *ops;              /* grouped by deleter, each group sorted by dseq */
    size_t nops;
    /* The runs, in message order, WF_LOAD_FILL to a leaf (wf__decoded_run), so that a full
     * state's become the document's leaves as they are (core/load.c). Their agent, ol and
     * or name message agents; text is an offset into text_base, nl is 0. */
    wf__leaf *leaves;
    size_t nruns, leaves_cap;
    const char *text_base;     /* the text of every run with text, one after another */
    uint64_t text_len;         /* its bytes (at most WF_LOG_MAX) */
    char *text;                /* owned, when text_base points into it; else NULL */
    bool state;                /* the runs are the sender's whole L, in document order */
    bool in_seq_order;         /* every agent's runs come in increasing seq order */
    /* version 1: the delete set cut the runs into pieces (so a state's dels within its
     * units are done once the runs are), and where each agent's ranges are */
    bool cut_by_dels;
    uint32_t *del_first, *del_end;
} wf__decoded;

static inline wf__run *wf__decoded_run(const wf__decoded *d, size_t i)
{
    return &d->leaves[i / WF_LOAD_FILL].runs[i % WF_LOAD_FILL];
}

/* Most pieces, delete ranges and pending items one document takes, so that a peer cannot
 * exhaust memory. */
#define WF__MAX_ITEMS ((size_t)1 << 24)

/* Decodes and validates the message's syntax (not against any document). Returns 0, or
 * WF_EDECODE / WF_ENOMEM; free *d with wf__decoded_free() in any case. */
int wf__wire1_decode(const uint8_t *data, size_t n, wf__decoded *d);
int wf__wire2_decode(const uint8_t *data, size_t n, wf__decoded *d);
void wf__decoded_free(wf__decoded *d);
/* Shared by both formats (wire2.c): the start (version, flags, agent table: clears *d
 * first), the agent table, and the delete set (by_agent: also fill del_first/del_end). */
int wf__wire_start(wf_reader *r, const uint8_t *data, size_t n, wf__decoded *d,
                   uint8_t version, uint8_t known_flags, uint8_t *flags);
int wf__wire_read_agents(wf_reader *r, wf__decoded *d);
int wf__wire_read_dels(wf_reader *r, wf__decoded *d, bool by_agent);
/* Room for n runs in all (one allocation when the count is known), or one more run.
 * `exact`: n is final and the runs will not become a tree's leaves (not a state): just the
 * bytes they need. */
int wf__decoded_reserve(wf__decoded *d, size_t n, bool exact);
int wf__decoded_push(wf__decoded *d, const wf__run *r);

#endif
