/* Private structures of the document, shared by the core's .c files. Not installed, not
 * included outside core/.
 *
 * The document is the list L of every unit ever inserted, tombstones included, in FugueMax
 * order (CRDT.md §1). L is stored as runs: maximal stretches of units by one agent with
 * consecutive seqs, where each unit's origin-left is the unit before it, all share one
 * origin-right, and all are deleted or all visible. Runs sit in the leaves of a counted
 * B+tree (tree.c) whose internal nodes hold, per child, the number of units, visible units,
 * visible bytes and visible newlines below it. An ID index (idmap.c) maps each
 * (agent, seq) range to the leaf holding it. Text lives in per-agent append-only logs; runs
 * point into them (CRDT.md §2.1). Nodes live in arrays addressed by u32 indexes.
 *
 * Units never leave L, so leaves never empty: runs only split, or merge with a neighbour
 * in the same leaf. */
#ifndef WEFT_CORE_DOC_INTERNAL_H
#define WEFT_CORE_DOC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/doc.h"
#include "core/undo.h"
#include "core/vv.h"

#ifdef WF_TREE_FANOUT
#define WF_LEAF_CAP WF_TREE_FANOUT
#define WF_NODE_CAP WF_TREE_FANOUT
#define WF_IDX_CAP WF_TREE_FANOUT
#else
#define WF_LEAF_CAP 32 /* runs per leaf */
#define WF_NODE_CAP 16 /* children per internal node */
#define WF_IDX_CAP 32  /* entries per ID-index node */
#endif

/* Runs per leaf when a tree is built whole (a loaded state): 3/4 full, so that the first
 * edits do not split every leaf. */
#define WF_LOAD_FILL (WF_LEAF_CAP - WF_LEAF_CAP / 4)

#if WF_LEAF_CAP < 4 || WF_NODE_CAP < 4 || WF_IDX_CAP < 4
#error "tree fanout must be at least 4"
#endif

#define WF_NONE UINT32_MAX        /* no node / no agent */
#define WF_NOTEXT UINT32_MAX      /* run without stored text */
#define WF_LOG_MAX (UINT32_MAX - 1) /* most bytes in one agent's log */
#define WF_CKPT_EVERY 1024        /* seq spacing of log checkpoints */

/* An ID inside a document: agent index into doc->agents, and seq. As an origin-left,
 * agent == WF_NONE means START; as an origin-right, END. */
typedef struct wf__lid {
    uint32_t agent;
    uint32_t seq;
} wf__lid;

static inline wf__lid wf__lid_make(uint32_t agent, uint32_t seq)
{
    return (wf__lid){agent, seq};
}
static inline bool wf__lid_is_none(wf__lid id)
{
    return id.agent == WF_NONE;
}
static inline bool wf__lid_eq(wf__lid a, wf__lid b)
{
    return a.agent == b.agent && (a.agent == WF_NONE || a.seq == b.seq);
}
#define WF__SENTINEL ((wf__lid){WF_NONE, 0})

typedef struct wf__run {
    uint32_t agent : 31; /* index into doc->agents */
    uint32_t deleted : 1;
    uint32_t seq;        /* seq of the first unit */
    uint32_t len;        /* units, >= 1 */
    uint32_t nl;         /* '\n' bytes in its text (0 without text) */
    uint32_t nbytes;     /* bytes of its text (0 without text) */
    uint32_t text;       /* offset of its text in the agent's log, or WF_NOTEXT */
    wf__lid ol;          /* origin-left of the first unit (later units: the unit before) */
    wf__lid or;          /* origin-right of every unit */
} wf__run;

/* Counts of a subtree (or a run). */
typedef struct wf__counts {
    uint64_t all;   /* units, tombstones included */
    uint64_t vis;   /* visible units */
    uint64_t bytes; /* bytes of visible units */
    uint64_t nl;    /* newlines in visible units */
} wf__counts;

typedef struct wf__leaf {
    uint32_t parent;           /* internal node, or WF_NONE when this leaf is the root */
    uint32_t pslot;            /* index of this leaf among the parent's children */
    uint32_t prev, next;       /* neighbours in document order, WF_NONE at the ends */
    uint32_t n;                /* runs in use, >= 1 except in an empty document */
    wf__run runs[WF_LEAF_CAP];
} wf__leaf;

typedef struct wf__node {
    uint32_t parent;                 /* WF_NONE for the root */
    uint32_t pslot;                  /* index among the parent's children */
    uint32_t n;                      /* children in use */
    uint32_t child[WF_NODE_CAP];     /* leaves when height == 1, else nodes */
    wf__counts cnt[WF_NODE_CAP];     /* counts of each child's subtree */
} wf__node;

/* A point of an agent's log: unit `seq` starts at byte `byte`, after `nl` newlines of
 * the log. Recorded every WF_CKPT_EVERY seqs so that a unit's byte offset or line within a
 * long non-ASCII run is found with a bounded scan. */
typedef struct wf__ckpt {
    uint32_t seq;
    uint32_t nl;
    uint64_t byte;
} wf__ckpt;

/* A heap entry: something waiting until agent.next > seq. */
typedef struct wf__wait {
    uint32_t seq;  /* needed seq */
    uint32_t item; /* index into doc->pend */
} wf__wait;

/* An ID range of one agent (agent index). */
typedef struct wf__range {
    uint32_t agent;
    uint32_t seq;
    uint32_t len;
} wf__range;

/* An entry of an agent's delete log (core/dellog.c): its deletions dseq..dlast together
 * deleted the units of target (and maybe fewer: a superset is harmless). */
typedef struct wf__dentry {
    uint32_t dseq, dlast;
    wf__range target;     /* doc agent index */
} wf__dentry;

typedef struct wf__agent {
    uint64_t id;          /* the agent's random id */
    uint32_t next;        /* version vector entry: seqs 0..next-1 are integrated */
    uint32_t dnext;       /* its deletions 0..dnext-1 are held (core/dellog.c) */
    uint32_t dlog_start;  /* the log holds every deletion from here on (below: a state's) */
    wf__dentry *dlog;     /* its deletions, sorted by dseq */
    uint32_t ndlog, dlog_cap;
    bool dlog_tangled;    /* some entry's dlast is below an earlier one's (scan it all) */
    char *log;            /* text of its text-bearing units (append-only; a loaded state's
                           * in document order, later ones in seq order) */
    uint64_t log_len, log_cap;
    uint32_t log_nl;      /* newlines in log */
    wf__ckpt *ckpt;       /* sorted by seq */
    uint32_t nckpt, ckpt_cap;
    wf__wait *waiters;    /* min-heap by seq: pending items blocked on this agent */
    uint32_t nwait, wait_cap;
} wf__agent;

/* The ID index: a B+tree from key (agent << 32 | seq) to the leaf holding that unit. An
 * entry covers the keys from its own up to the next entry's. */
typedef struct wf__idx_node {
    uint32_t n;
    uint64_t key[WF_IDX_CAP];
    uint32_t val[WF_IDX_CAP]; /* leaf: content leaf id; internal: child idx node */
} wf__idx_node;

typedef struct wf__idmap {
    wf__idx_node *nodes;
    uint32_t nnodes, cap, free_list;
    uint32_t root;
    uint32_t height; /* 0: root is a leaf */
    uint32_t *tail;  /* per agent: the leaf its newest units map to (WF_NONE: unknown) */
    uint32_t ntail;
    uint32_t hint;   /* index leaf of the last re-pointing, or WF_NONE (released nodes) */
} wf__idmap;

/* A decoded or pending insert: one piece of a run, uniform in deletedness. */
typedef struct wf__piece {
    uint32_t agent;     /* doc agent index */
    uint32_t seq;
    uint32_t len;
    bool deleted;       /* no text when deleted */
    wf__lid ol, or;
    const char *text;   /* borrowed (decode) or owned (pending: see wf__pend) */
    uint64_t nbytes;
} wf__piece;

typedef struct wf__pend {
    wf__piece p;        /* p.text points into `own` */
    char *own;          /* owned copy of the text, or NULL */
    bool live;          /* false once integrated or dropped */
} wf__pend;

/* A pending delete: units [seq, seq+len) of agent, not all integrated yet. */
typedef struct wf__pend_del {
    wf__range r;
    bool live;
} wf__pend_del;

/* One undo step: the units it inserted and the units it deleted. Deleted units keep their
 * text in the logs (tombstones with text), so the step stores IDs only. */
typedef struct wf__undo_item {
    uint64_t id;        /* unique in the doc; new whenever the step's edits change, and kept
                           when the step moves between the stacks (wf_doc_undo_position) */
    wf__range *ins;     /* own units inserted by the step */
    uint32_t nins, ins_cap;
    wf__range *del;     /* units deleted by the step */
    uint32_t ndel, del_cap;
} wf__undo_item;

typedef struct wf__undo_stack {
    wf__undo_item *items;
    uint32_t n, cap;
} wf__undo_stack;

/* Redo chains: old unit -> the copy that re-inserted it (Yjs `redone`). */
typedef struct wf__redone {
    wf__range from;     /* units that were re-inserted */
    uint32_t to_seq;    /* seq of the copy of from.seq (own agent) */
} wf__redone;

struct wf_doc {
    uint32_t me;                /* index of the local agent */
    wf__agent *agents;
    uint32_t nagents, agents_cap;
    uint32_t *by_id;            /* agent indexes sorted by agent id */

    wf__leaf *leaves;
    uint32_t nleaves, leaves_cap, free_leaf;
    wf__node *nodes;
    uint32_t nnodes, nodes_cap, free_node;
    uint32_t root;              /* a leaf when height == 0, else a node */
    uint32_t height;
    wf__counts total;
    uint64_t nruns;
    /* The finger: the leaf of the last lookup by position and the counts of everything
     * before it, so that edits near the previous one skip the descent. Valid while no count
     * changes outside that leaf (wf__tree_add and leaf splits invalidate it). */
    uint32_t finger;            /* leaf, or WF_NONE */
    wf__counts finger_before;
    /* Within the finger leaf: a run and the visible units of the runs before it, so that
     * editing on at one place needs no scan. Valid while no run before it changes place or
     * length (runs inserted or merged before it, wf__tree_add of a run before it and leaf
     * splits invalidate it). */
    uint32_t finger_slot;       /* or WF_NONE */
    uint64_t finger_slot_vis;
    /* Counts added to one leaf (the leaf last edited) but not yet to its ancestors' entries,
     * so that typing into one leaf touches no internal node. Everything that reads or
     * restructures the internal nodes settles them first (wf__tree_settle). doc->total is
     * always exact. */
    uint32_t lazy_leaf;         /* or WF_NONE */
    wf__counts lazy;
    /* The typing cursor: the local run that the last local insert made or extended, which a
     * local insert at visible position type_pos (right after it) extends with no lookup.
     * Valid until the tree changes in any other way: wf__tree_add, every run inserted or
     * merged and a bulk load forget it (type_leaf = WF_NONE), and wf_doc_insert sets it
     * again after its own edit. */
    uint32_t type_leaf;         /* or WF_NONE */
    uint32_t type_slot;
    uint64_t type_pos;

    wf__idmap idmap;

    bool touched;               /* anything inserted or applied (wf_doc_load refuses) */
    uint64_t revision;          /* bumped by every change of the visible text (tree.c) */
    uint64_t lowest_change;     /* lowest visible position changed since the last
                                 * wf_doc_take_lowest_change(), UINT64_MAX: none (tree.c) */

    /* Local edits not yet flushed. */
    wf__range *out_ins;         /* own inserted ranges, in seq order */
    uint32_t nout_ins, out_ins_cap;
    uint32_t flushed_dels;      /* own deletions from here on are not flushed yet */
    bool legacy_dels;           /* holds deletions its delete logs do not cover (version 1
                                 * updates): diffs then send every tombstone */

    /* Pending remote inserts and deletes. */
    wf__pend *pend;
    uint32_t npend, pend_cap, pend_live;
    wf__pend_del *pdel;
    uint32_t npdel, pdel_cap, pdel_live;
    /* Hash of pending items by (kind, agent, seq), so that a re-sent update does not queue
     * the same thing twice. Entries may be stale: lookups check the item they point at. */
    uint64_t *pkeys;
    uint32_t *pvals;
    uint32_t pcap, pused;

    /* Undo. */
    wf__undo_stack undo, redo;
    wf__undo_item *rec;         /* item that local edits record into, or NULL for grouping */
    uint64_t now_ms, last_edit_ms;
    bool group_open;            /* the top undo item may absorb the next edit */
    uint64_t undo_ids;          /* the last wf__undo_item id handed out */
    wf__redone *redone;
    uint32_t nredone, redone_cap;
};

/* --- agents and logs (doc.c) ---------------------------------------------------------- */
uint32_t wf__agent_find(const wf_doc *doc, uint64_t id);  /* WF_NONE if unknown */
uint32_t wf__agent_intern(wf_doc *doc, uint64_t id);      /* adds it if unknown */
/* Appends text of units [seq, seq+len) of agent a, holding nl newlines, to its log;
 * returns the offset. */
uint32_t wf__log_append(wf_doc *doc, uint32_t a, uint32_t seq, uint32_t len,
                        const char *text, uint64_t nbytes, uint32_t nl);
/* The same for text already written at the end of the log (log_len + nbytes <= log_cap):
 * counts it in, with its checkpoints. Checkpoints are pushed in call order; a caller that
 * takes runs out of seq order sorts them afterwards (wf__log_sort_checkpoints). */
uint32_t wf__log_take(wf_doc *doc, uint32_t a, uint32_t seq, uint32_t len, uint64_t nbytes,
                      uint32_t nl);
static inline const char *wf__run_text(const wf_doc *doc, const wf__run *r)
{
    return doc->agents[r->agent].log + r->text;
}
/* Byte offset and newline count of unit k (0..len) relative to the run's start. */
void wf__run_locate(const wf_doc *doc, const wf__run *r, uint32_t k, uint64_t *byte,
                    uint32_t *nl);

/* --- tree (tree.c) -------------------------------------------------------------------- */
/* A position in L between runs, or at a run: (leaf, slot); slot may equal leaf->n only for
 * the last leaf (the end of L). */
typedef struct wf__pos {
    uint32_t leaf;
    uint32_t slot;
} wf__pos;

void wf__tree_init(wf_doc *doc);
void wf__tree_free(wf_doc *doc);
static inline wf__counts wf__run_counts(const wf__run *r)
{
    if (r->deleted)
        return (wf__counts){r->len, 0, 0, 0};
    return (wf__counts){r->len, r->len, r->nbytes, r->nl};
}
static inline wf__run *wf__run_at(wf_doc *doc, wf__pos p)
{
    return &doc->leaves[p.leaf].runs[p.slot];
}
uint32_t wf__first_leaf(const wf_doc *doc);
/* Moves to the next/previous run; false at the end/start of L. */
bool wf__pos_next(const wf_doc *doc, wf__pos *p);
bool wf__pos_prev(const wf_doc *doc, wf__pos *p);
/* The run holding the unit with the given 0-based index among units counted by `field`
 * (offsetof(wf__counts, vis) etc.; `all`, `vis`, `bytes` or `nl`). For vis/all: *off =
 * unit offset in the run, *before = counts of everything before the run. idx must be
 * < the total of that field. */
wf__pos wf__tree_descend(const wf_doc *doc, size_t field, uint64_t idx, uint64_t *off,
                         wf__counts *before);
/* The run holding visible unit pos (< len): *off its offset in the run, *before (if not
 * NULL) the counts before the run. Uses and sets the finger. */
wf__pos wf__find_visible(wf_doc *doc, uint64_t pos, uint32_t *off, wf__counts *before);
/* Counts of everything in L before the run at p (p may be the end position). */
wf__counts wf__tree_before(const wf_doc *doc, wf__pos p);
/* Inserts run r before position p (p.slot may be leaf->n). Returns r's position. */
wf__pos wf__tree_insert(wf_doc *doc, wf__pos p, const wf__run *r);
/* The two runs that run r becomes when cut before unit k (0 < k < len): its first k units
 * and the rest (whose origin-left is the unit before it). */
void wf__run_cut(const wf_doc *doc, const wf__run *r, uint32_t k, wf__run *left,
                 wf__run *right);
/* Splits the run at p so that its first k units stay (0 < k < len). Returns the position of
 * the second part. */
wf__pos wf__tree_split(wf_doc *doc, wf__pos p, uint32_t k);
/* Adds delta (fields wrap modulo 2^64, so a decrease is a negative delta), the change of
 * the run at (leaf, slot), to the counts of every ancestor of leaf (maybe lazily: see
 * doc->lazy_leaf) and to the totals. */
/* Adds the pending counts of doc->lazy_leaf to its ancestors. A cache flush: const queries
 * call it too. */
void wf__tree_settle(const wf_doc *doc);
/* The visible text changes at the run at (leaf, slot) or after its start: lowers
 * doc->lowest_change to that run's position (wf_doc_take_lowest_change). Needs the counts
 * before that run right, so it comes before a change is counted. Nothing to do while
 * lowest_change is 0 (a new or loaded document that nobody has asked about yet: so replays
 * and benchmarks never pay for it); else one wf__tree_before(), once per frame in the
 * editor. */
void wf__note_change(wf_doc *doc, uint32_t leaf, uint32_t slot);
/* Inline: every keystroke comes here. */
static inline void wf__tree_add_counts(wf_doc *doc, uint32_t leaf, uint32_t slot, uint64_t all,
                                       uint64_t vis, uint64_t bytes, uint64_t nl)
{
    doc->revision++;
    if (vis && doc->lowest_change != 0)
        wf__note_change(doc, leaf, slot);
    doc->type_leaf = WF_NONE;
    if (leaf != doc->finger)
        doc->finger = WF_NONE;
    else if (slot < doc->finger_slot)
        doc->finger_slot = WF_NONE;
    if (leaf != doc->lazy_leaf) {
        wf__tree_settle(doc);
        doc->lazy_leaf = leaf;
        doc->lazy = (wf__counts){0, 0, 0, 0};
    }
    doc->lazy.all += all;
    doc->lazy.vis += vis;
    doc->lazy.bytes += bytes;
    doc->lazy.nl += nl;
    doc->total.all += all;
    doc->total.vis += vis;
    doc->total.bytes += bytes;
    doc->total.nl += nl;
}
/* Inline so that the caller's delta stays in registers: a delta stored field by field and
 * read back whole by the callee stalls on store forwarding (a tenth of local typing). */
static inline void wf__tree_add(wf_doc *doc, uint32_t leaf, uint32_t slot,
                                const wf__counts *delta)
{
    wf__tree_add_counts(doc, leaf, slot, delta->all, delta->vis, delta->bytes, delta->nl);
}
/* Tries to merge the run at p with its right neighbour in the same leaf. True if merged
 * (p then holds the merged run). */
bool wf__tree_try_merge(wf_doc *doc, wf__pos p);
/* Can run b directly follow run a as one run? */
bool wf__runs_chain(const wf_doc *doc, const wf__run *a, const wf__run *b);
/* Builds the tree and the ID index over n runs in document order that fill
 * doc->leaves[0..], WF_LOAD_FILL to a leaf (n > 0; doc was empty); order[0..n) lists the
 * run indexes sorted by (agent, seq), key[i] is run i's agent << 32 | seq, leaf_counts[l]
 * the counts of leaf l's runs. */
void wf__tree_bulk_load(wf_doc *doc, size_t n, const uint32_t *order, const uint64_t *key,
                        const wf__counts *leaf_counts);

/* --- loading a full state (load.c) -------------------------------------------------- */
typedef struct wf__decoded wf__decoded;

typedef struct wf__state_plan {
    uint64_t *key;   /* per run: agent << 32 | seq */
    uint32_t *order; /* run indexes sorted by (agent, seq) */
    uint32_t *next;  /* per message agent: the units the state holds */
} wf__state_plan;

/* Checks, before the document changes, that the decoded runs are a full state: they tile
 * every agent's seqs from 0 and every origin is one of their units. Returns 0 with *plan
 * filled (pass it to wf__state_load, or free it with wf__state_plan_free); 1 when they do
 * not tile (not a state: use the general path); WF_EDECODE when an origin is not a unit of
 * the state; WF_ENOMEM. */
int wf__state_check(const wf__decoded *d, wf__state_plan *plan);
void wf__state_plan_free(wf__state_plan *plan);
/* Builds the empty document from the planned state: map[message agent] gives the doc
 * agents (interned). Takes d's leaves (and its text block, when it can serve as a log).
 * Frees the plan. */
void wf__state_load(wf_doc *doc, wf__decoded *d, const uint32_t *map, wf__state_plan *plan);

/* --- ID index (idmap.c) -------------------------------------------------------------- */
void wf__idmap_init(wf__idmap *m);
void wf__idmap_free(wf__idmap *m);
/* Leaf holding (agent, seq), or WF_NONE. Caller ensures seq < agents[agent].next. */
uint32_t wf__idmap_find(const wf__idmap *m, uint32_t agent, uint32_t seq);
/* Maps units [seq, seq+len) of agent to leaf. `known_end` is the agent's next seq before
 * this call (units at or past it have no mapping to preserve). */
void wf__idmap_set(wf__idmap *m, uint32_t agent, uint32_t seq, uint32_t len, uint32_t leaf,
                   uint32_t known_end);
/* Asks the memory for the index nodes that lookups of keys[0..n) (agent << 32 | seq; at
 * most 64 are used) will read, all at once: re-pointing a leaf's runs then waits for one
 * round of cache misses per level, not one per run and level. Changes nothing; does
 * nothing for an index of less than 8 MiB. */
void wf__idmap_prefetch(const wf__idmap *m, const uint64_t *keys, size_t n);
/* Builds the index of an empty map from n entries sorted by key. */
void wf__idmap_build(wf__idmap *m, const uint64_t *keys, const uint32_t *vals, size_t n);
/* Maps the units from (agent, seq) on, which are not integrated yet, to leaf. */
void wf__idmap_add(wf__idmap *m, uint32_t agent, uint32_t seq, uint32_t leaf);
size_t wf__idmap_memory(const wf__idmap *m);
/* Calls fn for every entry in key order (for wf_doc_check). Stops when fn returns nonzero. */
int wf__idmap_each(const wf__idmap *m, int (*fn)(void *ctx, uint64_t key, uint32_t val),
                   void *ctx);

/* Appends r to a growable array of ranges as a range of its own. */
void wf__range_append(wf__range **arr, uint32_t *n, uint32_t *cap, wf__range r);
/* Appends r to a growable array of ranges, extending the last range when r continues it
 * (typing) or precedes it (backspacing). Inline: that is once per keystroke. */
static inline void wf__range_push(wf__range **arr, uint32_t *n, uint32_t *cap, wf__range r)
{
    if (*n > 0) {
        wf__range *last = &(*arr)[*n - 1];
        if (last->agent == r.agent && last->seq + last->len == r.seq) {
            last->len += r.len;
            return;
        }
        if (last->agent == r.agent && r.seq + r.len == last->seq) { /* backspacing */
            last->seq = r.seq;
            last->len += r.len;
            return;
        }
    }
    wf__range_append(arr, n, cap, r);
}

/* --- lookups (doc.c) ------------------------------------------------------------------ */
/* Position of the run holding unit id, and its offset in the run. False if unknown. */
bool wf__find_id(const wf_doc *doc, wf__lid id, wf__pos *p, uint32_t *off);
/* Index in L (tombstones included) of unit id; -1 for START (ol) ... callers pass sentinels
 * themselves. The id must be known. */
uint64_t wf__rank(const wf_doc *doc, wf__lid id);

/* --- edits shared by local edits, integrate and undo (doc.c) -------------------------- */
/* Places a run of the local agent's units directly after unit ol (START: at the beginning
 * of L), with origin-right the unit that follows ol in L, extending the run that ends at ol
 * when the chain allows. Text is appended to the local log. Records the insert for flush and undo.
 * Returns 0 or WF_ETOOBIG. */
int wf__insert_local(wf_doc *doc, wf__lid ol, const char *text, uint64_t nbytes,
                     uint32_t units, uint32_t nl);
/* Marks units [seq, seq+len) of agent deleted (those known; already deleted ones stay).
 * When `local`, records the visible ones deleted for flush and undo. */
void wf__delete_ids(wf_doc *doc, wf__range r, bool local);

/* --- integrate (integrate.c) ---------------------------------------------------------- */
/* WF_EDEPEND unless every unit the pieces (message agent indexes) and dels (likewise)
 * refer to is in doc or among the pieces, without cycles; 0, or WF_ENOMEM. */
int wf__check_complete(const wf_doc *doc, const uint64_t *agents, uint32_t nagents,
                       const wf__piece *pieces, size_t npieces, const wf__range *dels,
                       size_t ndels);
/* Integrates, or queues, each piece; then applies the deletes. */
void wf__apply_pieces(wf_doc *doc, wf__piece *pieces, size_t n, const wf__range *dels,
                      size_t ndels);
void wf__pending_free(wf_doc *doc);

/* --- delete logs (dellog.c) ---------------------------------------------------------- */
/* Records a local deletion of r: one deletion of the local agent (the next dseq), logged. */
void wf__dlog_local(wf_doc *doc, wf__range r);
/* Takes entries of deleter's log (doc agent indexes, sorted by dseq) from a peer: deletes
 * their targets (or queues them), logs what is new, advances the deleter's dnext. */
void wf__dlog_take(wf_doc *doc, uint32_t deleter, const wf__dentry *e, size_t n);
/* A peer vouches that its message held every deletion of the agent below floor. */
void wf__dlog_floor(wf_doc *doc, uint32_t agent, uint32_t floor);
/* The first entry of the agent's log that a replica holding its deletions below `from`
 * lacks; entries from there on with dlast >= from are the ones it lacks (all of them
 * unless dlog_tangled). */
uint32_t wf__dlog_since(const wf__agent *ag, uint32_t from);
void wf__dlog_free(wf__agent *ag);

/* --- applying (codec.c) --------------------------------------------------------------- */
/* wf_doc_apply() that integrates a full state run by run even into an empty document
 * (for tests that compare that with loading it). */
int wf__apply_integrating(wf_doc *doc, const uint8_t *data, size_t n);

/* --- equivocation (conflict.c) -------------------------------------------------------- */
/* WF_ECONFLICT if a piece (message agent indexes into agents[]) says something about a unit
 * that the document holds, or that waits in its pending queue, with other origins or other
 * text; WF_EDECODE if two pieces list the same unit; 0, or WF_ENOMEM. `in_seq_order`: every
 * agent's pieces come in increasing seq order (then they cannot overlap one another). */
int wf__check_conflicts(const wf_doc *doc, const uint64_t *agents, const wf__piece *pieces,
                        size_t npieces, bool in_seq_order);

/* --- undo (undo.c) -------------------------------------------------------------------- */
/* Whether the next local edit joins the top undo step: the group is open and the previous
 * edit was less than WF_UNDO_GROUP_MS ago (not while undo/redo records its inverse). */
static inline bool wf__undo_joins(const wf_doc *doc)
{
    return !doc->rec && doc->group_open && doc->undo.n > 0
           && doc->now_ms >= doc->last_edit_ms
           && doc->now_ms - doc->last_edit_ms < WF_UNDO_GROUP_MS;
}
/* Records into the step that target() in undo.c picks; out of line. */
void wf__undo_record(wf_doc *doc, bool ins, wf__range r);
/* Records own units inserted, or units deleted, by a local edit. Inline for the edit that
 * joins the open step when nothing waits to be redone (typing, backspacing): it does what
 * wf__undo_record() would. */
static inline void wf__undo_record_range(wf_doc *doc, bool ins, wf__range r)
{
    if (!wf__undo_joins(doc) || doc->redo.n) {
        wf__undo_record(doc, ins, r);
        return;
    }
    wf__undo_item *it = &doc->undo.items[doc->undo.n - 1];
    doc->last_edit_ms = doc->now_ms;
    it->id = ++doc->undo_ids; /* a step that grows is another step */
    if (ins)
        wf__range_push(&it->ins, &it->nins, &it->ins_cap, r);
    else
        wf__range_push(&it->del, &it->ndel, &it->del_cap, r);
}
static inline void wf__undo_record_insert(wf_doc *doc, uint32_t seq, uint32_t len)
{
    wf__undo_record_range(doc, true, (wf__range){doc->me, seq, len});
}
static inline void wf__undo_record_delete(wf_doc *doc, wf__range r)
{
    wf__undo_record_range(doc, false, r);
}
void wf__undo_free(wf_doc *doc);
size_t wf__undo_memory(const wf_doc *doc);
/* The unit that now stands for unit id: the last copy in its redo chain, i.e. the unit that
 * this replica's undo or redo re-inserted in its place (id itself when there is none). */
wf__lid wf__undo_latest(const wf_doc *doc, wf__lid id);

#endif
