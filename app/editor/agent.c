/* The agent generator (see agent.h). */
#include "app/editor/agent.h"

#include <sys/random.h>
#include <time.h>
#include <unistd.h>

uint64_t agent_random(void)
{
    uint64_t a = 0;
    while (a == 0) {
        if (getrandom(&a, sizeof a, 0) == (ssize_t)sizeof a)
            continue;
        /* No entropy to be had (an old kernel, a signal): unique enough among the few
         * replicas of one session. */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        a = ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 16);
    }
    return a;
}
