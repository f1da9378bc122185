/* Fuzz target: the handshake state machines (host and guest) fed untrusted frames. Neither
 * may crash, and neither may finish (return 1) without the token. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/crypto.h"
#include "net/frame.h"

static void feed(bool host, const uint8_t *data, size_t size)
{
    wn_handshake hs;
    if (host)
        wn_handshake_host(&hs, "fuzz-token-fuzz-token", "fuzz-readonly-token", "fuzz");
    else
        wn_handshake_guest(&hs, "fuzz-token-fuzz-token", "fuzz");
    wf_buf out;
    wf_buf_init(&out);
    if (!host)
        wn_handshake_start(&hs, &out);
    wn_session s;
    wn_frame_reader r;
    wn_frame_reader_init(&r, WN_FRAME_MAX_HANDSHAKE);
    wn_frame_reader_feed(&r, data, size);
    for (;;) {
        uint8_t type;
        const uint8_t *p;
        size_t n;
        if (wn_frame_next(&r, &type, &p, &n) <= 0)
            break;
        char msg[256];
        int rc = wn_handshake_feed(&hs, type, p, n, &out, &s, msg, sizeof msg);
        if (rc == 1 && !host)
            abort(); /* a guest can only finish with a host that knows the token */
        if (rc == 1 && host) {
            /* Only a MAC made with the token gets here: impossible for random input. */
            abort();
        }
        if (rc < 0)
            break;
    }
    wn_frame_reader_free(&r);
    wf_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    if (!init) {
        if (wn_crypto_init() != 0)
            abort();
        init = true;
    }
    feed(true, data, size);
    feed(false, data, size);
    return 0;
}
