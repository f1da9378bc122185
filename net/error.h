/* Error codes of the network layer.
 *
 * Fallible net/ calls return 0 or a negative code: one of these WN_E* codes, a core WF_E*
 * code (-20001..-20099) passed up from core/, or a libuv UV_E* code passed through unchanged
 * (negated errno values and libuv's own codes, all above -5000). WN_E* codes live in their own
 * range, -21001..-21099, so the three never collide; tests/unit/check_net_ticket.c asserts it
 * against every UV_E* code of the libuv it is built with. */
#ifndef WEFT_NET_ERROR_H
#define WEFT_NET_ERROR_H

#include <stdbool.h>

#include "core/error.h" /* WF_MUST_CHECK, and the WF_E* codes passed up */

#define WN_ETICKET   (-21001) /* a ticket or token is malformed */
#define WN_EFRAME    (-21002) /* a frame is malformed, truncated or over the size limit */
#define WN_EPROTO    (-21003) /* the peer broke the protocol (unexpected frame, bad field) */
#define WN_EAUTH     (-21004) /* authentication failed: wrong token, tampered or replayed frame */
#define WN_EVERSION  (-21005) /* the peer speaks another protocol version */
#define WN_ETIMEOUT  (-21006) /* the peer did not answer in time (handshake, keepalive) */
#define WN_ECLOSED   (-21007) /* the connection is closed */
#define WN_ETOOBIG   (-21008) /* a peer exceeded a limit (buffered bytes, participants) */
#define WN_EREADONLY (-21009) /* a read-only guest tried to edit */
#define WN_EDOC      (-21010) /* the peer serves another document */
#define WN_ECRYPTO   (-21011) /* libsodium could not be initialised (no entropy source) */
#define WN_EREMOTE   (-21012) /* the peer ended the connection with a reason of its own */
#define WN_ESLOW     (-21013) /* the peer could not keep up and was dropped */
#define WN_ELISTEN   (-21014) /* a listen address is malformed */
#define WN_EDENIED   (-21015) /* ssh refused the login, or could not verify the host key */
#define WN_ENOHOST   (-21016) /* no such host name */
#define WN_ESSH      (-21017) /* ssh ended before the session started (can pass) */
#define WN_ENOSSH    (-21018) /* the ssh program cannot be run */

#define WN_ERR_MIN   (-21099) /* lowest code net/ will ever use */
#define WN_ERR_MAX   (-21001)

/* Returns a static English description of any code a net/ call can return: WN_E*, WF_E*
 * (through wf_strerror()) or UV_E* (through uv_strerror()). 0 gives "success"; an unknown
 * code in the WN range gives "unknown error". */
const char *wn_strerror(int err);

/* Whether a guest that failed with err should stop trying: a final no (wrong token,
 * another protocol version, another document, a malformed ticket, ssh refused the login,
 * no such host, no ssh program). Anything else can pass if tried again later: the host not
 * reachable now, busy, restarting, a link that dropped or was damaged. (net/guest.c also
 * weighs where it happened: see wn_guest_state's WN_GUEST_OFFLINE.) */
bool wn_error_final(int err);

#endif
