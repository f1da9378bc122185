/* Syntaxes: the colouring rules of nano's syntax files, and which one a file gets.
 *
 * A syn_set holds every syntax loaded (app/editor/nanorc.h reads them from nano's files), in
 * the order they were defined, plus the messages for people that loading and compiling
 * produced. A syntax has a name, regexes on the file's path and on its first line that
 * choose it, a comment string, a tabgives string, and an ordered list of rules: a rule
 * paints the matches of one POSIX extended regex (single-line), or everything from a match
 * of `start` to the next match of `end` (a region, which may span lines).
 *
 * Regexes are compiled lazily, because there are ~40 syntaxes and a file uses one: the
 * file-name and header regexes when syn_set_choose() first needs them, a syntax's rules
 * when syn_compile() is first called for it (app/editor/highlight.h does, in hl_new()).
 * A regex that glibc refuses makes its rule (or choice regex) unusable, with a message;
 * nothing else changes.
 *
 * How the editor uses it (once, at start, and per opened file):
 *
 *     struct syn_set *set = syn_set_new();
 *     nanorc_load_standard(set);                         // app/editor/nanorc.h
 *     struct syn_syntax *syn = syn_set_choose(set, abs_path, first_line, first_len);
 *     if (syn) hl = hl_new(set, syn);                    // compiles syn's rules
 *     for (size_t i = shown; i < syn_set_message_count(set); i++)
 *         show(syn_set_message(set, i));                 // e.g. in the F1 help / status
 *
 * Ownership: the set owns its syntaxes, rules and messages; pointers to them are borrowed
 * until syn_set_free(). Not thread-safe. */
#ifndef WEFT_APP_EDITOR_SYNTAX_H
#define WEFT_APP_EDITOR_SYNTAX_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "app/editor/colour.h"
#include "app/editor/notes.h"

/* Most region (start=/end=) rules one syntax may have: the highlighter keeps, per line, one
 * bit per region (app/editor/highlight.h). nano's own files have at most 4. */
#define SYN_MAX_REGIONS 64

/* Bytes of a file's first line that header regexes see. */
#define SYN_HEADER_MAX 4096

/* Most messages a set keeps; later ones are counted, and the last message says so
 * (app/editor/notes.h). */
#define SYN_MAX_MESSAGES 64

struct syn_set;
struct syn_syntax;

/* One colouring rule. Read-only for users of this module. */
struct syn_rule {
    syn_style style;     /* what matches are painted with (foreground, bold, italic) */
    bool icase;          /* "icolor": matching ignores case */
    char *start;         /* the regex (single-line rule) or the start= regex; owned */
    char *end;           /* the end= regex of a region, NULL for a single-line rule; owned */
    const char *origin;  /* the file it came from (owned by the set) */
    unsigned line;       /* 1-based line in origin */
    unsigned region;     /* for a region: its index, 0..SYN_MAX_REGIONS-1 (its state bit) */
    bool compiled;       /* syn_compile() has looked at it */
    bool usable;         /* compiled without error (valid after syn_compile()) */
    regex_t start_re;    /* compiled start (valid when usable) */
    regex_t end_re;      /* compiled end (valid when usable and end != NULL) */
};

/* Returns a new empty set; free with syn_set_free(). */
struct syn_set *syn_set_new(void);
void syn_set_free(struct syn_set *set);

/* The syntaxes, in definition order (0 = first defined). */
size_t syn_set_count(const struct syn_set *set);
struct syn_syntax *syn_set_nth(const struct syn_set *set, size_t i);
/* The syntax defined last with this name, or NULL. */
struct syn_syntax *syn_set_find(const struct syn_set *set, const char *name);

/* The syntax for a file, as nano chooses: the syntax defined last whose file regex matches
 * path (pass the absolute path: nano's regexes may match directories, as in
 * "/etc/apt/sources.list"); else the one defined last whose header regex matches the first
 * line first[0..n) (its content, without the line break, of which the first SYN_HEADER_MAX
 * bytes are looked at; may be NULL when n is 0); else the syntax named "default"; else
 * NULL. Compiles the choice regexes it needs, once. */
struct syn_syntax *syn_set_choose(struct syn_set *set, const char *path, const char *first,
                                  size_t n);

/* Compiles the syntax's rules that are not compiled yet (so a second call costs nothing).
 * Returns the number of usable rules; each unusable one added a message naming its file,
 * line and the C library's reason. */
size_t syn_compile(struct syn_set *set, struct syn_syntax *syn);

/* The syntax's facts. Borrowed until syn_set_free(). */
const char *syn_name(const struct syn_syntax *syn);
/* The `comment` string: a prefix ("//"), or the two halves of a bracket comment with a bar
 * between them (CSS's slash-star, a bar, star-slash), or "" when the syntax has no
 * comments; NULL when the syntax gave none (nano then uses "#"). */
const char *syn_comment(const struct syn_syntax *syn);
/* The `tabgives` string, or NULL when the syntax gave none. */
const char *syn_tabgives(const struct syn_syntax *syn);
/* The rules in painting order (later rules paint over earlier ones), *n their number. The
 * compiled parts are valid after syn_compile(). */
const struct syn_rule *syn_rules(const struct syn_syntax *syn, size_t *n);
/* Number of region rules (0..SYN_MAX_REGIONS). */
unsigned syn_regions(const struct syn_syntax *syn);
/* Where the syntax was defined. */
const char *syn_origin(const struct syn_syntax *syn);
unsigned syn_line(const struct syn_syntax *syn);

/* Messages for people (what happened, why, what to do), oldest first. Borrowed until
 * syn_set_free(). */
size_t syn_set_message_count(const struct syn_set *set);
const char *syn_set_message(const struct syn_set *set, size_t i);
/* Where to add messages (app/editor/notes.h). Borrowed until syn_set_free(). */
struct notes *syn_set_notes(struct syn_set *set);

/* --- building (app/editor/nanorc.c) ------------------------------------------------------
 * Strings are copied. origin must come from syn_set_origin(). What is added after a
 * syn_compile() or syn_set_choose() is compiled by the next one. */

/* The set's copy of a file name (e.g. the real path of a syntax file), interned: the same
 * name gives the same pointer. Borrowed until syn_set_free(). */
const char *syn_set_origin(struct syn_set *set, const char *name);
/* Whether syn_set_origin() was called with this name. */
bool syn_set_has_origin(const struct syn_set *set, const char *name);

/* A new syntax at the end of the set. */
struct syn_syntax *syn_set_add(struct syn_set *set, const char *name, const char *origin,
                               unsigned line);
void syn_add_file_regex(struct syn_syntax *syn, const char *regex);
void syn_add_header_regex(struct syn_syntax *syn, const char *regex);
void syn_set_comment(struct syn_syntax *syn, const char *comment);
void syn_set_tabgives(struct syn_syntax *syn, const char *tabgives);
/* Appends a rule (end NULL: single-line). Returns false, adding nothing, when it is a region
 * and the syntax has SYN_MAX_REGIONS of them already. */
bool syn_add_rule(struct syn_syntax *syn, syn_style style, bool icase, const char *start,
                  const char *end, const char *origin, unsigned line);

#endif
