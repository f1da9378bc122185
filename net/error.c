/* Descriptions of the network layer's error codes; core and libuv codes are delegated. */
#include "net/error.h"

#include <uv.h>

#include "core/error.h"

const char *wn_strerror(int err)
{
    if (err >= WF_ERR_MIN && err <= WF_ERR_MAX)
        return wf_strerror(err);
    switch (err) {
    case 0: return "success";
    case WN_ETICKET: return "malformed ticket or token";
    case WN_EFRAME: return "malformed or oversized frame";
    case WN_EPROTO: return "protocol error";
    case WN_EAUTH: return "authentication failed (wrong token, or a tampered or replayed frame)";
    case WN_EVERSION: return "protocol version mismatch";
    case WN_ETIMEOUT: return "timed out";
    case WN_ECLOSED: return "connection closed";
    case WN_ETOOBIG: return "limit exceeded";
    case WN_EREADONLY: return "read-only participant";
    case WN_EDOC: return "different document";
    case WN_ECRYPTO: return "cryptography library unavailable";
    case WN_EREMOTE: return "the peer ended the connection";
    case WN_ESLOW: return "too slow to keep up";
    case WN_ELISTEN: return "malformed listen address (want HOST:PORT)";
    case WN_EDENIED: return "permission denied";
    case WN_ENOHOST: return "no such host";
    case WN_ESSH: return "ssh failed";
    case WN_ENOSSH: return "cannot run ssh";
    default: break;
    }
    /* uv_strerror() allocates (and leaks) a message for codes it does not know: keep it to
     * its own range. */
    if (err < 0 && err > -5000)
        return uv_strerror(err);
    return "unknown error";
}

bool wn_error_final(int err)
{
    switch (err) {
    case WN_EAUTH:
    case WN_EVERSION:
    case WN_EDOC:
    case WN_ETICKET:
    case WN_EDENIED:
    case WN_ENOHOST:
    case WN_ENOSSH:
        return true;
    default:
        return false;
    }
}
