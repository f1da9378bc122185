/* Error codes of the core library.
 *
 * Fallible calls return 0 or one of these negative codes. They live in their own range
 * (-20000 and below) so they never collide with libuv's UV_E* codes, which net/ passes
 * through unchanged. */
#ifndef WEFT_CORE_ERROR_H
#define WEFT_CORE_ERROR_H

#define WF_ENOMEM    (-20001) /* a recoverable allocation (wf_trymalloc) failed */
#define WF_EINVAL    (-20002) /* an argument is out of range (position, length) */
#define WF_EDECODE   (-20003) /* an update or vector is malformed; nothing was changed */
#define WF_ETOOBIG   (-20004) /* a size limit would be exceeded (seq space, pending queue) */
#define WF_ECONFLICT (-20005) /* a known ID arrived with other text or origins (equivocation) */
#define WF_EEMPTY    (-20006) /* nothing to undo or redo */
#define WF_ECORRUPT  (-20007) /* wf_doc_check() found a broken invariant */
#define WF_EDEPEND   (-20008) /* an update refers to units nobody sent (wf_doc_apply_complete) */

#define WF_ERR_MIN   (-20099) /* lowest code the core will ever use */
#define WF_ERR_MAX   (-20001)

/* Returns a static English description of a WF_E* code ("unknown error" otherwise). */
const char *wf_strerror(int err);

#if defined(__GNUC__)
#define WF_MUST_CHECK __attribute__((warn_unused_result))
#else
#define WF_MUST_CHECK
#endif

#endif
