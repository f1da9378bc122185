/* The handshake and the encryption of every frame after it.
 *
 * Both sides prove they hold the session token without sending it, and derive fresh keys
 * from it and from random nonces of both sides (libsodium: BLAKE2b, secretstream with
 * XChaCha20-Poly1305). Messages, all plain frames (net/frame.h):
 *
 *   guest -> host  HELLO     "WEFT" · u16 protocol · u8 n · version[n] · nonce_g[32]
 *   host -> guest  CHALLENGE "WEFT" · u16 protocol · u8 n · version[n] · nonce_h[32]
 *   guest -> host  AUTH      header_g[24] · mac_g[32]
 *   host -> guest  AUTH_OK   u8 role · header_h[24] · mac_h[32]
 *   either         ERROR     u16 code · text            (then the sender closes)
 *
 * With T = BLAKE2b(HELLO payload · CHALLENGE payload), the token key tk = BLAKE2b(token) and
 * K = BLAKE2b_tk("weft-k1" · nonce_g · nonce_h): mac_g = BLAKE2b_K("weft-guest" · T ·
 * header_g), mac_h = BLAKE2b_K("weft-host" · T · header_g · role · header_h). The host tries
 * its read-write token, then its read-only token; the one that matches is the guest's role.
 * The guest checks mac_h, so a host that does not know the token is caught too.
 * Each direction is then a secretstream keyed by crypto_kdf(K): a SEALED frame's payload is
 * the encryption of (u8 type · message), so tampering, replay, reordering and truncation
 * all fail to open. What the token does not protect: an impostor host learns mac_g over
 * nonces it chose, so a guessable (short, chosen) token can be attacked offline; random
 * 128-bit tokens cannot. */
#ifndef WEFT_NET_CRYPTO_H
#define WEFT_NET_CRYPTO_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "net/error.h"

/* 2: updates in format version 2 (core/wire2.c); a peer of protocol 1 cannot read them.
 * 3: a session carries a project: documents keyed by file id, a manifest (net/proto.h). */
#define WN_PROTOCOL 3
#define WN_NONCE_BYTES 32
#define WN_MAC_BYTES 32
#define WN_KEY_BYTES 32
#define WN_VERSION_MAX 64

/* Outer frame types. */
enum wn_frame_type {
    WN_T_HELLO = 1,
    WN_T_CHALLENGE = 2,
    WN_T_AUTH = 3,
    WN_T_AUTH_OK = 4,
    WN_T_ERROR = 5,
    WN_T_SEALED = 6,
};

enum wn_role {
    WN_ROLE_NONE = 0,
    WN_ROLE_RW = 1, /* may edit */
    WN_ROLE_RO = 2, /* may only watch */
};

/* The keys of an authenticated connection. */
typedef struct wn_session {
    crypto_secretstream_xchacha20poly1305_state tx; /* what we send */
    crypto_secretstream_xchacha20poly1305_state rx; /* what we receive */
} wn_session;

typedef struct wn_handshake {
    bool host;
    int step;                          /* which message comes next */
    uint8_t nonce_g[WN_NONCE_BYTES], nonce_h[WN_NONCE_BYTES];
    uint8_t tk[2][WN_KEY_BYTES];       /* token keys: [0] read-write, [1] read-only (host) */
    int ntk;
    uint8_t k[WN_KEY_BYTES];           /* K, once the guest is known */
    uint8_t t[WN_KEY_BYTES];           /* T, the transcript hash */
    uint8_t hello[2 + WN_VERSION_MAX + WN_NONCE_BYTES + 8]; /* our HELLO or CHALLENGE */
    size_t hello_len;
    uint8_t peer[2 + WN_VERSION_MAX + WN_NONCE_BYTES + 8];
    size_t peer_len;
    uint8_t header_g[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    int role;                          /* enum wn_role, once known */
    char version[WN_VERSION_MAX + 1];      /* ours */
    char peer_version[WN_VERSION_MAX + 1]; /* theirs, once known */
} wn_handshake;

/* Call once before anything else in net/ (sodium_init). Returns 0 or WN_ECRYPTO. */
WF_MUST_CHECK int wn_crypto_init(void);

/* Caller's storage; no resources to release (wn_handshake_wipe() clears the secrets). */
void wn_handshake_guest(wn_handshake *hs, const char *token, const char *version);
/* token_ro may be NULL (no read-only guests). */
void wn_handshake_host(wn_handshake *hs, const char *token_rw, const char *token_ro,
                       const char *version);
void wn_handshake_wipe(wn_handshake *hs);

/* Guest: appends the HELLO frame to out. */
void wn_handshake_start(wn_handshake *hs, wf_buf *out);

/* Feeds one frame received during the handshake, and appends any reply frames to out.
 * Returns 0 (more to come), 1 (done: *s holds the keys, hs->role the guest's role), or an
 * error: WN_EVERSION (protocols differ), WN_EAUTH (wrong token on either side), WN_EPROTO
 * (a malformed or unexpected frame), WN_EREMOTE (the peer sent ERROR). On error, msg (if
 * size > 0) gets a sentence for people, and out may end with an ERROR frame to send before
 * closing. */
WF_MUST_CHECK int wn_handshake_feed(wn_handshake *hs, uint8_t type, const uint8_t *p, size_t n,
                                    wf_buf *out, wn_session *s, char *msg, size_t size);

/* Appends an ERROR frame (code, text) to out. */
void wn_error_frame(wf_buf *out, int code, const char *text);

/* Appends a SEALED frame carrying (type, payload) to out. */
void wn_seal(wn_session *s, uint8_t type, const void *payload, size_t n, wf_buf *out);
/* Opens the payload of a SEALED frame: *type, and the message in plain (replaced). Returns 0
 * or WN_EAUTH (tampered, replayed, out of order, or cut). */
WF_MUST_CHECK int wn_open(wn_session *s, const uint8_t *ct, size_t n, uint8_t *type,
                          wf_buf *plain);

#endif
