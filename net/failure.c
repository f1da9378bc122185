/* Sentences for failed attempts to reach a host (see net/failure.h).
 *
 * Each says what failed ("cannot connect to 127.0.0.1:1"), why in plain words ("nothing
 * listens there (connection refused)") and what to do ("is the host still running, and is
 * the ticket current?"). ssh is judged by what it wrote to stderr: its messages are stable
 * English sentences (OpenSSH), matched by the phrases below. */
#include "net/failure.h"

#include <stdio.h>
#include <string.h>
#include <uv.h>

#include "net/conn.h"

/* ssh's stderr phrases, in the order they are looked for (the first found decides). */
enum ssh_cause {
    SSH_DENIED,       /* the login was refused */
    SSH_HOSTKEY,      /* the host key could not be verified */
    SSH_NONAME,       /* no such ssh host */
    SSH_FORWARD,      /* logged in, but the weft host's port is not reachable from there */
    SSH_REFUSED,      /* no ssh server at that address and port */
    SSH_UNREACHABLE,  /* the network does not get there now */
    SSH_UNKNOWN,
};

static const struct {
    enum ssh_cause cause;
    const char *phrase;
} ssh_phrases[] = {
    {SSH_DENIED, "Permission denied"},
    {SSH_DENIED, "Too many authentication failures"},
    {SSH_HOSTKEY, "Host key verification failed"},
    {SSH_HOSTKEY, "REMOTE HOST IDENTIFICATION HAS CHANGED"},
    {SSH_HOSTKEY, "No ED25519 host key is known"},
    {SSH_HOSTKEY, "host key is known for"},
    {SSH_NONAME, "Could not resolve hostname"},
    {SSH_FORWARD, "open failed"},
    {SSH_FORWARD, "stdio forwarding failed"},
    {SSH_REFUSED, "Connection refused"},
    {SSH_UNREACHABLE, "timed out"},
    {SSH_UNREACHABLE, "No route to host"},
    {SSH_UNREACHABLE, "Network is unreachable"},
    {SSH_UNREACHABLE, "Connection closed by"},
    {SSH_UNREACHABLE, "Connection reset"},
};

#define NPHRASES (sizeof ssh_phrases / sizeof *ssh_phrases)

int wn_failure_connect(char *out, size_t size, const char *host, unsigned port, int uv_err)
{
    const char *why, *todo;
    switch (uv_err) {
    case UV_ECONNREFUSED:
        why = "nothing listens there (connection refused)";
        todo = "Is the host still running, and is the ticket current?";
        break;
    case UV_ETIMEDOUT:
        why = "no answer (timed out)";
        todo = "Is the address reachable from here (network, firewall, VPN)? If the host "
               "listens only on its own loopback, use the ssh:// ticket.";
        break;
    case UV_EHOSTUNREACH:
    case UV_ENETUNREACH:
        why = "this machine has no route to that address (unreachable)";
        todo = "Check your network connection; from another network, use the ssh:// "
               "ticket.";
        break;
    case UV_ECONNRESET:
    case UV_ECONNABORTED:
    case UV_EPIPE:
        why = "the connection was reset";
        todo = "Is it a weft host? Trying again may help.";
        break;
    case UV_EADDRNOTAVAIL:
    case UV_EAFNOSUPPORT:
        why = "that address cannot be used from this machine";
        todo = "Check the address in the ticket.";
        break;
    default:
        why = uv_strerror(uv_err);
        todo = "Is the host running, and is the ticket current?";
        break;
    }
    snprintf(out, size, "cannot connect to %s:%u: %s. %s", host, port, why, todo);
    return uv_err;
}

int wn_failure_resolve(char *out, size_t size, const char *host, int uv_err)
{
    if (uv_err == UV_EAI_NONAME || uv_err == UV_EAI_NODATA) {
        snprintf(out, size, "cannot find host %s: no such name. Check the host name in the "
                            "ticket.", host);
        return WN_ENOHOST;
    }
    if (uv_err == UV_EAI_AGAIN) {
        snprintf(out, size, "cannot find host %s: the name server did not answer. Check "
                            "your network connection.", host);
        return uv_err;
    }
    snprintf(out, size, "cannot find host %s: %s. Check the host name in the ticket and "
                        "your network connection.", host, uv_strerror(uv_err));
    return uv_err;
}

int wn_failure_spawn(char *out, size_t size, const char *program, int uv_err)
{
    if (uv_err == UV_ENOENT)
        snprintf(out, size, "cannot run ssh: there is no program '%s'. Install the OpenSSH "
                            "client (apt-get install openssh-client), or set WEFT_SSH to "
                            "the ssh command.", program);
    else
        snprintf(out, size, "cannot run ssh ('%s'): %s. Check WEFT_SSH, the ssh command.",
                 program, uv_strerror(uv_err));
    return WN_ENOSSH;
}

int wn_failure_handshake(char *out, size_t size, const char *target, int err, const char *why)
{
    switch (err) {
    case WN_ECLOSED:
    case UV_ECONNRESET:
    case UV_EPIPE:
        snprintf(out, size, "cannot join %s: the connection closed during the handshake. Is "
                            "it a weft host (the port may belong to another program now), and "
                            "is the ticket current?", target);
        break;
    case WN_ETIMEOUT:
        snprintf(out, size, "cannot join %s: no answer to the handshake within %d s. Is the "
                            "host busy, or stopped?", target, WN_HANDSHAKE_MS / 1000);
        break;
    case WN_EFRAME:
    case WN_EPROTO:
        snprintf(out, size, "cannot join %s: what answers there does not speak weft's "
                            "protocol. Is the port in the ticket right?", target);
        break;
    default:
        snprintf(out, size, "%s", why);
        break;
    }
    return err;
}

/* The cause named by the first known phrase of err, and the line it is on (line, of
 * size bytes); SSH_UNKNOWN and the last non-empty line when no phrase is there. */
static enum ssh_cause ssh_cause_of(const char *err, char *line, size_t size)
{
    if (size)
        line[0] = '\0';
    if (!err)
        return SSH_UNKNOWN;
    for (size_t k = 0; k < NPHRASES; k++) {
        const char *at = strstr(err, ssh_phrases[k].phrase);
        if (!at)
            continue;
        const char *start = at, *end = at;
        while (start > err && start[-1] != '\n')
            start--;
        while (*end && *end != '\n')
            end++;
        while (end > start && (end[-1] == ' ' || end[-1] == '\r'))
            end--;
        snprintf(line, size, "%.*s", (int)(end - start), start);
        return ssh_phrases[k].cause;
    }
    /* The last non-empty line. */
    const char *end = err + strlen(err);
    while (end > err && (end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\r'))
        end--;
    const char *start = end;
    while (start > err && start[-1] != '\n')
        start--;
    snprintf(line, size, "%.*s", (int)(end - start), start);
    return SSH_UNKNOWN;
}

void wn_failure_ssh_line(char *out, size_t size, const char *err)
{
    ssh_cause_of(err, out, size);
}

int wn_failure_ssh(char *out, size_t size, const wn_ssh_end *e)
{
    const char *dest = e->dest, *target = e->target;
    char line[300];
    enum ssh_cause cause = ssh_cause_of(e->err, line, sizeof line);
    char said[320] = "";
    if (line[0])
        snprintf(said, sizeof said, " (ssh said: %s)", line);
    switch (cause) {
    case SSH_DENIED:
        if (e->batch) /* ssh's own line adds nothing here: "Permission denied (...)" */
            snprintf(out, size, "ssh needs a password or passphrase for %s, and cannot ask "
                                "while the editor runs: use ssh-agent (ssh-add) or "
                                "ControlMaster, then join again.", dest);
        else
            snprintf(out, size, "ssh could not log in to %s: permission denied%s. Check the "
                                "user name in the ticket and your key (e.g. "
                                "WEFT_SSH='ssh -i KEY').", dest, said);
        return WN_EDENIED;
    case SSH_HOSTKEY:
        snprintf(out, size, "ssh could not verify the host key of %s%s. Run 'ssh %s' once "
                            "to check and accept it (if it changed, ask the host's owner why).",
                 dest, said, dest);
        return WN_EDENIED;
    case SSH_NONAME:
        snprintf(out, size, "ssh cannot find the host %s%s. Check the ssh host in the ticket.",
                 dest, said);
        return WN_ENOHOST;
    case SSH_FORWARD:
        snprintf(out, size, "ssh logged in to %s, but nothing answers at %s there%s. Is the "
                            "weft host still running, and is the ticket current?",
                 dest, target, said);
        return WN_ESSH;
    case SSH_REFUSED:
        snprintf(out, size, "no ssh server answers at %s (connection refused)%s. Is the ssh "
                            "port right (ssh://HOST:PORT/... in the ticket)?", dest, said);
        return WN_ESSH;
    case SSH_UNREACHABLE:
        snprintf(out, size, "ssh cannot reach %s%s. Check your network connection.", dest,
                 said);
        return WN_ESSH;
    case SSH_UNKNOWN:
        break;
    }
    if (e->timed_out)
        snprintf(out, size, "the session did not start through ssh to %s in time%s. Is the "
                            "weft host at %s there busy or stopped? Run 'ssh %s' to check "
                            "the login.", dest, said, target, dest);
    else if (!e->exited)
        snprintf(out, size, "ssh to %s ended before the session started%s. Run 'ssh %s' to "
                            "see why.", dest, said, dest);
    else if (e->signal)
        snprintf(out, size, "ssh to %s was ended by signal %d before the session started%s.",
                 dest, e->signal, said);
    else
        snprintf(out, size, "ssh to %s ended (exit status %lld) before the session "
                            "started%s. Run 'ssh %s' to see why.",
                 dest, (long long)e->status, said, dest);
    return WN_ESSH;
}
