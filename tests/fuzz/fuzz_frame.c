/* Fuzz target: the frame reader fed untrusted bytes in pieces of fuzzer-chosen sizes, then
 * sealed-frame opening and the session messages' decoders on every complete frame. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/crypto.h"
#include "net/frame.h"
#include "net/presence.h"
#include "net/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    wn_frame_reader r;
    wn_frame_reader_init(&r, data[0] & 1 ? WN_FRAME_MAX : WN_FRAME_MAX_HANDSHAKE);
    size_t step = 1 + data[1] % 64, i = 2;
    while (i < size) {
        size_t n = size - i < step ? size - i : step;
        wn_frame_reader_feed(&r, data + i, n);
        i += n;
        for (;;) {
            uint8_t type;
            const uint8_t *p;
            size_t len;
            int rc = wn_frame_next(&r, &type, &p, &len);
            if (rc <= 0)
                break;
            if (len > WN_FRAME_MAX)
                abort();
            /* Every decoder of a payload must cope with it. */
            wn_presence pr;
            (void)wn_presence_decode(p, len, &pr);
            wn_join j;
            (void)wn_join_decode(p, len, &j);
            wn_welcome w;
            (void)wn_welcome_decode(p, len, &w);
            wf_vv vv;
            uint8_t hash[32];
            uint64_t file;
            if (wn_digest_decode(p, len, &file, &vv, hash) == 0)
                wf_vv_free(&vv);
        }
    }
    wn_frame_reader_free(&r);
    return 0;
}
