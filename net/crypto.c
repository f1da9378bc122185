/* The handshake and frame sealing (see net/crypto.h for the protocol). */
#include "net/crypto.h"

#include <stdio.h>
#include <string.h>

#include "net/frame.h"
#include "net/proto.h"

#define MAGIC "WEFT"
#define SS_HEADER crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SS_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES

enum { STEP_HELLO, STEP_CHALLENGE, STEP_AUTH, STEP_AUTH_OK, STEP_DONE };

int wn_crypto_init(void)
{
    return sodium_init() < 0 ? WN_ECRYPTO : 0;
}

static void token_key(uint8_t out[WN_KEY_BYTES], const char *token)
{
    crypto_generichash(out, WN_KEY_BYTES, (const uint8_t *)token, strlen(token), NULL, 0);
}

static void set_version(char *dst, const char *v)
{
    snprintf(dst, WN_VERSION_MAX + 1, "%s", v ? v : "?");
}

void wn_handshake_guest(wn_handshake *hs, const char *token, const char *version)
{
    memset(hs, 0, sizeof *hs);
    hs->host = false;
    token_key(hs->tk[0], token);
    hs->ntk = 1;
    set_version(hs->version, version);
    hs->step = STEP_CHALLENGE;
}

void wn_handshake_host(wn_handshake *hs, const char *token_rw, const char *token_ro,
                       const char *version)
{
    memset(hs, 0, sizeof *hs);
    hs->host = true;
    token_key(hs->tk[0], token_rw);
    hs->ntk = 1;
    if (token_ro)
        token_key(hs->tk[hs->ntk++], token_ro);
    set_version(hs->version, version);
    hs->step = STEP_HELLO;
}

void wn_handshake_wipe(wn_handshake *hs)
{
    sodium_memzero(hs, sizeof *hs);
}

/* HELLO and CHALLENGE share a layout: "WEFT" · u16 protocol · u8 n · version · nonce. */
static size_t put_greeting(uint8_t *out, const char *version, const uint8_t *nonce)
{
    size_t vn = strlen(version), k = 0;
    memcpy(out, MAGIC, 4);
    k = 4;
    out[k++] = (uint8_t)(WN_PROTOCOL >> 8);
    out[k++] = (uint8_t)WN_PROTOCOL;
    out[k++] = (uint8_t)vn;
    memcpy(out + k, version, vn);
    k += vn;
    memcpy(out + k, nonce, WN_NONCE_BYTES);
    return k + WN_NONCE_BYTES;
}

/* Parses a greeting; returns its protocol, or -1 if malformed. */
static int get_greeting(const uint8_t *p, size_t n, char *version, uint8_t *nonce)
{
    if (n < 7 || memcmp(p, MAGIC, 4))
        return -1;
    int proto = p[4] << 8 | p[5];
    size_t vn = p[6];
    if (vn > WN_VERSION_MAX || n != 7 + vn + WN_NONCE_BYTES)
        return -1;
    for (size_t i = 0; i < vn; i++)
        version[i] = p[7 + i] >= 0x20 && p[7 + i] < 0x7f ? (char)p[7 + i] : '?';
    version[vn] = '\0';
    memcpy(nonce, p + 7 + vn, WN_NONCE_BYTES);
    return proto;
}

void wn_handshake_start(wn_handshake *hs, wf_buf *out)
{
    randombytes_buf(hs->nonce_g, WN_NONCE_BYTES);
    hs->hello_len = put_greeting(hs->hello, hs->version, hs->nonce_g);
    wn_frame_put(out, WN_T_HELLO, hs->hello, hs->hello_len);
}

void wn_error_frame(wf_buf *out, int code, const char *text)
{
    size_t n = strlen(text);
    if (n > 1000)
        n = 1000;
    wn_frame_put_header(out, WN_T_ERROR, 2 + n);
    wf_buf_put_u8(out, (uint8_t)((uint16_t)(-code) >> 8));
    wf_buf_put_u8(out, (uint8_t)(-code));
    wf_buf_put(out, text, n);
}

static int fail(char *msg, size_t size, int err, const char *text)
{
    if (msg && size)
        snprintf(msg, size, "%s", text);
    return err;
}

/* The transcript hash over both greetings, in the order guest, host. */
static void transcript(wn_handshake *hs)
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, WN_KEY_BYTES);
    if (hs->host) {
        crypto_generichash_update(&st, hs->peer, hs->peer_len);
        crypto_generichash_update(&st, hs->hello, hs->hello_len);
    } else {
        crypto_generichash_update(&st, hs->hello, hs->hello_len);
        crypto_generichash_update(&st, hs->peer, hs->peer_len);
    }
    crypto_generichash_final(&st, hs->t, WN_KEY_BYTES);
}

static void derive_k(const wn_handshake *hs, const uint8_t tk[WN_KEY_BYTES],
                     uint8_t k[WN_KEY_BYTES])
{
    uint8_t m[7 + 2 * WN_NONCE_BYTES];
    memcpy(m, "weft-k1", 7);
    memcpy(m + 7, hs->nonce_g, WN_NONCE_BYTES);
    memcpy(m + 7 + WN_NONCE_BYTES, hs->nonce_h, WN_NONCE_BYTES);
    crypto_generichash(k, WN_KEY_BYTES, m, sizeof m, tk, WN_KEY_BYTES);
}

static void mac_guest(const wn_handshake *hs, const uint8_t k[WN_KEY_BYTES],
                      uint8_t mac[WN_MAC_BYTES])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, k, WN_KEY_BYTES, WN_MAC_BYTES);
    crypto_generichash_update(&st, (const uint8_t *)"weft-guest", 10);
    crypto_generichash_update(&st, hs->t, WN_KEY_BYTES);
    crypto_generichash_update(&st, hs->header_g, SS_HEADER);
    crypto_generichash_final(&st, mac, WN_MAC_BYTES);
}

static void mac_host(const wn_handshake *hs, uint8_t role, const uint8_t *header_h,
                     uint8_t mac[WN_MAC_BYTES])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, hs->k, WN_KEY_BYTES, WN_MAC_BYTES);
    crypto_generichash_update(&st, (const uint8_t *)"weft-host", 9);
    crypto_generichash_update(&st, hs->t, WN_KEY_BYTES);
    crypto_generichash_update(&st, hs->header_g, SS_HEADER);
    crypto_generichash_update(&st, &role, 1);
    crypto_generichash_update(&st, header_h, SS_HEADER);
    crypto_generichash_final(&st, mac, WN_MAC_BYTES);
}

/* Directional keys: 1 for guest -> host, 2 for host -> guest. */
static void stream_key(const wn_handshake *hs, uint64_t id, uint8_t key[WN_KEY_BYTES])
{
    crypto_kdf_derive_from_key(key, WN_KEY_BYTES, id, "weftwire", hs->k);
}

/* The peer's ERROR: its own code when it is one of ours, its words as the message. */
static int on_error_frame(const uint8_t *p, size_t n, char *msg, size_t size)
{
    int code = n >= 2 ? -(int)(p[0] << 8 | p[1]) : 0;
    char text[1001];
    wn_text_copy(text, sizeof text, p + (n > 2 ? 2 : n), n > 2 ? n - 2 : 0);
    fail(msg, size, 0, text);
    return code >= WN_ERR_MIN && code <= WN_ERR_MAX ? code : WN_EREMOTE;
}

static int host_feed(wn_handshake *hs, uint8_t type, const uint8_t *p, size_t n, wf_buf *out,
                     wn_session *s, char *msg, size_t size)
{
    if (hs->step == STEP_HELLO && type == WN_T_HELLO) {
        int proto = get_greeting(p, n, hs->peer_version, hs->nonce_g);
        if (proto < 0)
            return fail(msg, size, WN_EPROTO, "malformed greeting");
        if (proto != WN_PROTOCOL) {
            char text[320];
            snprintf(text, sizeof text,
                     "this host runs weft %s (protocol %d), you run weft %s (protocol %d): "
                     "use the same version",
                     hs->version, WN_PROTOCOL, hs->peer_version, proto);
            wn_error_frame(out, WN_EVERSION, text);
            return fail(msg, size, WN_EVERSION, text);
        }
        memcpy(hs->peer, p, n);
        hs->peer_len = n;
        randombytes_buf(hs->nonce_h, WN_NONCE_BYTES);
        hs->hello_len = put_greeting(hs->hello, hs->version, hs->nonce_h);
        wn_frame_put(out, WN_T_CHALLENGE, hs->hello, hs->hello_len);
        transcript(hs);
        hs->step = STEP_AUTH;
        return 0;
    }
    if (hs->step == STEP_AUTH && type == WN_T_AUTH) {
        if (n != SS_HEADER + WN_MAC_BYTES)
            return fail(msg, size, WN_EPROTO, "malformed authentication");
        memcpy(hs->header_g, p, SS_HEADER);
        const uint8_t *mac = p + SS_HEADER;
        int role = WN_ROLE_NONE;
        for (int i = 0; i < hs->ntk && role == WN_ROLE_NONE; i++) {
            uint8_t k[WN_KEY_BYTES], want[WN_MAC_BYTES];
            derive_k(hs, hs->tk[i], k);
            mac_guest(hs, k, want);
            if (sodium_memcmp(want, mac, WN_MAC_BYTES) == 0) {
                role = i == 0 ? WN_ROLE_RW : WN_ROLE_RO;
                memcpy(hs->k, k, WN_KEY_BYTES);
            }
            sodium_memzero(k, sizeof k);
        }
        if (role == WN_ROLE_NONE) {
            wn_error_frame(out, WN_EAUTH, "wrong token: check the ticket you were given");
            return fail(msg, size, WN_EAUTH, "a guest used a wrong token");
        }
        uint8_t key[WN_KEY_BYTES], header_h[SS_HEADER], mac_h[WN_MAC_BYTES];
        stream_key(hs, 1, key);
        if (crypto_secretstream_xchacha20poly1305_init_pull(&s->rx, hs->header_g, key) != 0)
            return fail(msg, size, WN_EPROTO, "bad stream header");
        stream_key(hs, 2, key);
        crypto_secretstream_xchacha20poly1305_init_push(&s->tx, header_h, key);
        sodium_memzero(key, sizeof key);
        mac_host(hs, (uint8_t)role, header_h, mac_h);
        wn_frame_put_header(out, WN_T_AUTH_OK, 1 + SS_HEADER + WN_MAC_BYTES);
        wf_buf_put_u8(out, (uint8_t)role);
        wf_buf_put(out, header_h, SS_HEADER);
        wf_buf_put(out, mac_h, WN_MAC_BYTES);
        hs->role = role;
        hs->step = STEP_DONE;
        return 1;
    }
    return fail(msg, size, WN_EPROTO, "unexpected message during the handshake");
}

static int guest_feed(wn_handshake *hs, uint8_t type, const uint8_t *p, size_t n, wf_buf *out,
                      wn_session *s, char *msg, size_t size)
{
    if (hs->step == STEP_CHALLENGE && type == WN_T_CHALLENGE) {
        int proto = get_greeting(p, n, hs->peer_version, hs->nonce_h);
        if (proto < 0)
            return fail(msg, size, WN_EPROTO, "malformed greeting from the host");
        if (proto != WN_PROTOCOL) {
            char text[320];
            snprintf(text, sizeof text, "host runs weft %s (protocol %d), you run weft %s "
                                        "(protocol %d): use the same version",
                     hs->peer_version, proto, hs->version, WN_PROTOCOL);
            return fail(msg, size, WN_EVERSION, text);
        }
        memcpy(hs->peer, p, n);
        hs->peer_len = n;
        transcript(hs);
        derive_k(hs, hs->tk[0], hs->k);
        uint8_t key[WN_KEY_BYTES], mac[WN_MAC_BYTES];
        stream_key(hs, 1, key);
        crypto_secretstream_xchacha20poly1305_init_push(&s->tx, hs->header_g, key);
        sodium_memzero(key, sizeof key);
        mac_guest(hs, hs->k, mac);
        wn_frame_put_header(out, WN_T_AUTH, SS_HEADER + WN_MAC_BYTES);
        wf_buf_put(out, hs->header_g, SS_HEADER);
        wf_buf_put(out, mac, WN_MAC_BYTES);
        hs->step = STEP_AUTH_OK;
        return 0;
    }
    if (hs->step == STEP_AUTH_OK && type == WN_T_AUTH_OK) {
        if (n != 1 + SS_HEADER + WN_MAC_BYTES || (p[0] != WN_ROLE_RW && p[0] != WN_ROLE_RO))
            return fail(msg, size, WN_EPROTO, "malformed answer from the host");
        uint8_t want[WN_MAC_BYTES];
        mac_host(hs, p[0], p + 1, want);
        if (sodium_memcmp(want, p + 1 + SS_HEADER, WN_MAC_BYTES) != 0)
            return fail(msg, size, WN_EAUTH, "the host could not prove it knows the token: "
                                             "wrong ticket, or someone in between");
        uint8_t key[WN_KEY_BYTES];
        stream_key(hs, 2, key);
        int bad = crypto_secretstream_xchacha20poly1305_init_pull(&s->rx, p + 1, key);
        sodium_memzero(key, sizeof key);
        if (bad)
            return fail(msg, size, WN_EPROTO, "bad stream header");
        hs->role = p[0];
        hs->step = STEP_DONE;
        return 1;
    }
    return fail(msg, size, WN_EPROTO, "unexpected message from the host during the handshake");
}

int wn_handshake_feed(wn_handshake *hs, uint8_t type, const uint8_t *p, size_t n, wf_buf *out,
                      wn_session *s, char *msg, size_t size)
{
    if (type == WN_T_ERROR)
        return on_error_frame(p, n, msg, size);
    return hs->host ? host_feed(hs, type, p, n, out, s, msg, size)
                    : guest_feed(hs, type, p, n, out, s, msg, size);
}

void wn_seal(wn_session *s, uint8_t type, const void *payload, size_t n, wf_buf *out)
{
    /* The plaintext is (type · payload); encrypt it straight into the frame. */
    size_t ct_len = 1 + n + SS_ABYTES;
    wn_frame_put_header(out, WN_T_SEALED, ct_len);
    wf_buf_reserve(out, ct_len + 1 + n);
    /* Build the plaintext after the space the ciphertext will take, then encrypt down. */
    uint8_t *ct = out->data + out->len, *pt = ct + ct_len;
    pt[0] = type;
    if (n)
        memcpy(pt + 1, payload, n);
    crypto_secretstream_xchacha20poly1305_push(&s->tx, ct, NULL, pt, 1 + n, NULL, 0,
                                               crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
    out->len += ct_len;
}

int wn_open(wn_session *s, const uint8_t *ct, size_t n, uint8_t *type, wf_buf *plain)
{
    if (n < SS_ABYTES + 1)
        return WN_EAUTH;
    wf_buf_reset(plain);
    wf_buf_reserve(plain, n);
    unsigned long long len;
    uint8_t tag;
    if (crypto_secretstream_xchacha20poly1305_pull(&s->rx, plain->data, &len, &tag, ct, n,
                                                   NULL, 0) != 0
        || tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE || len < 1)
        return WN_EAUTH;
    *type = plain->data[0];
    memmove(plain->data, plain->data + 1, (size_t)len - 1);
    plain->len = (size_t)len - 1;
    return 0;
}
