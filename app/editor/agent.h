/* A replica's agent: the 64-bit identity under which one editing session's edits are known
 * to every replica (core/doc.h, wf_doc_new()). One generator for the editor alone and for
 * every subcommand (app/cmd/), so that they cannot disagree about what an agent is. */
#ifndef WEFT_APP_EDITOR_AGENT_H
#define WEFT_APP_EDITOR_AGENT_H

#include <stdint.h>

/* A new random agent, never 0 (which means "nobody": session.follow). Random, since two
 * replicas of one session must never share an agent, and nobody hands them out: from the
 * kernel (getrandom(2); the editor needs no crypto library), else from the clock and the
 * pid. */
uint64_t agent_random(void);

#endif
