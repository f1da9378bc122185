/* Descriptions of the core's error codes. */
#include "core/error.h"

const char *wf_strerror(int err)
{
    switch (err) {
    case 0: return "success";
    case WF_ENOMEM: return "out of memory";
    case WF_EINVAL: return "invalid argument (position or length out of range)";
    case WF_EDECODE: return "malformed data";
    case WF_ETOOBIG: return "size limit exceeded";
    case WF_ECONFLICT: return "an update gives a known ID other text or origins";
    case WF_EEMPTY: return "nothing to undo or redo";
    case WF_ECORRUPT: return "document invariant broken";
    case WF_EDEPEND: return "refers to text that was never sent";
    default: return "unknown error";
    }
}
