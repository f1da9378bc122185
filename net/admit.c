/* A host's admission limits (see net/admit.h).
 *
 * The failures are a fixed table of WN_ADMIT_ADDRESSES entries searched linearly (a failed
 * handshake costs a host far more than the search), so that a flood from many addresses
 * cannot grow the host's memory: when the table is full, the entry whose window started
 * first is reused. The accept budget is the time of the turn it counts and how many were
 * taken in it. */
#include "net/admit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

typedef struct strikes {
    char addr[WN_ADMIT_IP_MAX]; /* the IP address, without port */
    uint32_t failures;          /* in the window */
    uint64_t window_start;      /* the time of the first failure counted */
} strikes;

struct wn_admit {
    uint64_t turn;                        /* the time of the turn the budget counts */
    unsigned accepts;                     /* connections taken in that turn */
    strikes strikes[WN_ADMIT_ADDRESSES];
    size_t nstrikes;                      /* entries in use */
};

wn_admit *wn_admit_new(void)
{
    return wf_xcalloc(1, sizeof(wn_admit));
}

void wn_admit_free(wn_admit *a)
{
    free(a);
}

void wn_admit_ip(const char *addr, char *ip, size_t size)
{
    const char *end = strrchr(addr, ':');
    size_t n = end ? (size_t)(end - addr) : strlen(addr);
    if (n >= size)
        n = size - 1;
    memcpy(ip, addr, n);
    ip[n] = '\0';
}

/* --- accepts per turn ----------------------------------------------------------------- */

bool wn_admit_may_accept(wn_admit *a, uint64_t now)
{
    if (now != a->turn) {
        a->turn = now;
        a->accepts = 0;
    }
    if (a->accepts >= WN_ACCEPTS_PER_TURN)
        return false;
    a->accepts++;
    return true;
}

void wn_admit_new_turn(wn_admit *a, uint64_t now)
{
    a->turn = now;
    a->accepts = 0;
}

/* --- failed handshakes ---------------------------------------------------------------- */

/* The entry of ip, or a fresh one for it. */
static strikes *find_strikes(wn_admit *a, const char *ip)
{
    for (size_t i = 0; i < a->nstrikes; i++)
        if (!strcmp(a->strikes[i].addr, ip))
            return &a->strikes[i];
    size_t i = a->nstrikes < WN_ADMIT_ADDRESSES ? a->nstrikes++ : 0;
    if (i == 0 && a->nstrikes == WN_ADMIT_ADDRESSES) { /* full: reuse the oldest window */
        for (size_t k = 1; k < WN_ADMIT_ADDRESSES; k++)
            if (a->strikes[k].window_start < a->strikes[i].window_start)
                i = k;
    }
    memset(&a->strikes[i], 0, sizeof a->strikes[i]);
    snprintf(a->strikes[i].addr, sizeof a->strikes[i].addr, "%s", ip);
    return &a->strikes[i];
}

uint32_t wn_admit_fail(wn_admit *a, const char *addr, uint64_t now)
{
    char ip[WN_ADMIT_IP_MAX];
    wn_admit_ip(addr, ip, sizeof ip);
    strikes *b = find_strikes(a, ip);
    if (b->failures == 0 || now - b->window_start > WN_SLOW_WINDOW_MS) {
        b->window_start = now;
        b->failures = 0;
    }
    return ++b->failures;
}

uint64_t wn_admit_hold_ms(uint32_t failures)
{
    return failures > WN_SLOW_AFTER ? WN_SLOW_ANSWER_MS : 0;
}

/* --- who gives way -------------------------------------------------------------------- */

void wn_admit_scan_init(wn_admit_scan *s, const char *ip)
{
    *s = (wn_admit_scan){.ip = ip};
}

void wn_admit_scan_add(wn_admit_scan *s, void *who, const char *addr, bool held, bool heard)
{
    if (s->ip) {
        char other[WN_ADMIT_IP_MAX];
        wn_admit_ip(addr, other, sizeof other);
        if (strcmp(s->ip, other) != 0)
            return;
    }
    s->count++;
    s->oldest = who; /* newest first: the last one seen is the oldest */
    if (held)
        s->oldest_held = who;
    else if (!heard)
        s->oldest_silent = who;
}

void *wn_admit_scan_over(const wn_admit_scan *s, size_t cap)
{
    if (s->count < cap)
        return NULL;
    return s->oldest_held ? s->oldest_held : s->oldest_silent ? s->oldest_silent : s->oldest;
}
