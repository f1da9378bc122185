/* Search and replace over a document: literal text or a POSIX extended regex, with or
 * without case, a match count ("3 of 41"), next / previous match, replace one, and replace
 * all as one edit and one undo step.
 *
 * Matching is line by line, on each line's content, as in nano: a match never crosses or
 * includes a line break (a literal holding one, pasted into the prompt, finds nothing), and
 * a regex's `^` and `$` are the line's ends.
 *   - literal, case-sensitive: bytes compared (memchr, memcmp), never inside a character;
 *   - regex, and literal without case (an escaped regex with REG_ICASE, so case folds as
 *     the locale says, é and É included): regexec(REG_STARTEND) from the search position,
 *     which sees the text before it (`\<`, `^`). Empty matches count (so "^" can prefix
 *     every line), except one right where the previous match ended (as sed);
 *   - matches never overlap: the next is searched from the end of the previous one;
 *   - cost: lines are read one at a time in one pass over the document's chunks
 *     (app/editor/lines.h), never the whole document as one string; a line is copied
 *     whole, so a file that is one 20 MB line costs a 20 MB copy per search (tens of ms).
 *
 * The replacement text of a literal search is used as it is. For a regex, `\1`..`\9` are
 * the groups (a group the regex does not have, or did not match, gives nothing), `&` and
 * `\0` the whole match, `\&` and `\\` a literal & and backslash, `\n` and `\t` a newline
 * and a tab; any other backslash stays as it is.
 *
 * Others' edits: every call works on the document as it is when called, and nothing is
 * remembered between calls. A match the editor showed earlier is replaced through
 * replace_one() at the position it has now (keep it as an anchor, core/anchor.h), which
 * matches again there first, so a match that others' typing changed is not replaced.
 * replace_all() finds every match first, then applies the replacements from the last to
 * the first, so each position is still right when it is used; it runs to its end before
 * the event loop applies anything else.
 *
 * How the editor calls it (Ctrl-R: the search prompt, then the replacement prompt):
 *
 *     struct replace_query q;
 *     char why[200];
 *     if (replace_query_init(&q, text, n, flags, why, sizeof why) != 0) show(why);
 *     struct replace_match m;  bool wrapped;
 *     if (replace_next(doc, &q, cursor, &m, &wrapped)) { select m; keep its anchors }
 *     struct replace_count c;  replace_count(doc, &q, m.start, REPLACE_COUNT_BUDGET, &c);
 *     show c.complete ? "%zu of %zu" : "%zu of %zu+" (c.index, c.total)
 *     ...y:   replace_one(doc, &q, pos_of(anchor), repl, rn, &m);  then replace_next from m.end
 *     ...a:   replace_all(doc, &q, repl, rn, &count);   "Replaced %zu occurrences"
 *             (after some y/n: replace_all_in(doc, &q, m.start, round_start, ...))
 *     replace_query_close(&q);
 *
 * Positions are units (core/doc.h). Errors are core's WF_E* codes. */
#ifndef WEFT_APP_EDITOR_REPLACE_H
#define WEFT_APP_EDITOR_REPLACE_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/doc.h"
#include "core/error.h"

enum {
    REPLACE_REGEX = 1, /* the pattern is a POSIX extended regex */
    REPLACE_ICASE = 2, /* letters match without regard to case */
};

/* Longest literal pattern, in bytes (app/editor/find.c's limit). */
#define REPLACE_MAX_LITERAL 1024

/* Bytes a count may read before it stops (replace_count()): about 64 MB of literal search
 * or a few seconds of regex search is too much for a prompt; the editor passes less. */
#define REPLACE_COUNT_BUDGET ((uint64_t)16 << 20)

/* A compiled search. Caller's storage: replace_query_init(), then replace_query_close(). */
struct replace_query {
    char *pattern;   /* owned copy (the escaped regex for a literal without case) */
    size_t n;        /* bytes of the user's pattern */
    unsigned flags;  /* REPLACE_* */
    bool regex;      /* matched by regexec (REGEX, or ICASE) */
    regex_t re;      /* valid when regex */
    size_t groups;   /* the regex's parenthesised groups (0 for literals) */
};

/* One match: units [start, end). end == start for an empty regex match. */
struct replace_match {
    size_t start;
    size_t end;
};

/* Prepares pattern[0..n) (flags: REPLACE_*). Returns 0, or WF_EINVAL with a message for
 * people in msg (truncated to size): an empty pattern, a literal over REPLACE_MAX_LITERAL
 * bytes, a regex holding a NUL byte, or one regcomp refuses (its reason is given). On
 * error there is nothing to close. */
WF_MUST_CHECK int replace_query_init(struct replace_query *q, const char *pattern, size_t n,
                                     unsigned flags, char *msg, size_t size);
void replace_query_close(struct replace_query *q);

/* The first match starting at or after unit from; if there is none, the first one from the
 * start of the document (*wrapped set true). false when there is no match at all. To move
 * on from a match m, search from m.end (from m.end + 1 when m is empty). */
bool replace_next(const wf_doc *doc, const struct replace_query *q, size_t from,
                  struct replace_match *m, bool *wrapped);

/* The last match starting before unit before; if none, the last one in the document
 * (*wrapped set true). false when there is none. It reads blocks of lines upwards from
 * before's line, each twice the size of the one below it. */
bool replace_prev(const wf_doc *doc, const struct replace_query *q, size_t before,
                  struct replace_match *m, bool *wrapped);

struct replace_count {
    size_t total;  /* matches found */
    size_t index;  /* 1-based number of the match that starts at `at`, 0: none starts there
                      (or the budget ran out before it) */
    bool complete; /* false: the budget ran out, total is only a lower bound */
};

/* Counts the matches from the start of the document, reading at most about budget bytes.
 * at is the start of the current match. */
void replace_count(const wf_doc *doc, const struct replace_query *q, size_t at,
                   uint64_t budget, struct replace_count *c);

/* Replaces the match that starts exactly at unit `at` (matched again there now) with the
 * replacement repl[0..rn) (expanded for a regex, see above), as one undo step. *done (if
 * not NULL) receives the units of the inserted text. Returns 0; WF_EINVAL when no match
 * starts at `at` (others changed the text: nothing was changed; search again);
 * WF_ETOOBIG from the document. */
WF_MUST_CHECK int replace_one(wf_doc *doc, const struct replace_query *q, size_t at,
                              const char *repl, size_t rn, struct replace_match *done);

/* Replaces every match, as one edit the peers receive together and one undo step.
 * *count (if not NULL) receives the number of replacements. Returns 0, or WF_ETOOBIG when
 * the document ran out of room (the replacements made are then undone). */
WF_MUST_CHECK int replace_all(wf_doc *doc, const struct replace_query *q, const char *repl,
                              size_t rn, size_t *count);

/* replace_all() for the matches that start in units [from, to), or, when to <= from, in
 * [from, end] and [0, to): what is left of a round that asked at each match from the
 * cursor on and wrapped (nano's "All" after some "No"s: the matches declined stay). */
WF_MUST_CHECK int replace_all_in(wf_doc *doc, const struct replace_query *q, size_t from,
                                 size_t to, const char *repl, size_t rn, size_t *count);

/* The replacement for one regex match: repl[0..rn) with \1..\9, &, \0, \&, \\, \n, \t
 * expanded against subject s and its groups g[0..ng) (g[0] the whole match; offsets in s;
 * rm_so == -1 for a group that did not match). Returns a new string (free with free()),
 * its length in *outn. Literal queries do not expand: this is for regexes only. */
char *replace_expand(const char *repl, size_t rn, const char *s, const regmatch_t *g,
                     size_t ng, size_t *outn);

#endif
