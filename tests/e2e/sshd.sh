# An sshd on a loopback port, for the tests of the ssh:// transport (sourced, POSIX sh).
#
#     . "${srcdir:-.}/tests/e2e/sshd.sh"
#     sshd_start || exit $?        # 0, or 77 after a "SKIP: ..." line
#     ...                          # ssh://127.0.0.1/TOKEN@127.0.0.1:PORT tickets work now
#     sshd_stop                    # in the test's cleanup (harmless if not started)
#
# sshd_start makes a temporary directory with a throwaway host key and client key, an
# authorized_keys and an sshd_config (ListenAddress 127.0.0.1 on a free port, public keys
# only, TCP forwarding allowed, no PAM), starts "$SSHD -D -e -f CONFIG" in the background,
# waits (a bounded poll) until it listens, and proves that the key logs in and that -W
# forwards (to sshd's own port, which answers "SSH-2.0-..."). It then exports
#     SSHD_PORT   the port
#     SSHD_USER   the user the key logs in as (the current user)
#     SSHD_KEY    the client's private key
#     WEFT_SSH    "ssh -F /dev/null -i KEY -p PORT -o StrictHostKeyChecking=no ..."
# (no word of WEFT_SSH needs quoting: the directory comes from mktemp under a TMPDIR without
# blanks). When sshd, ssh or ssh-keygen is missing or sshd cannot be made to work, it prints
# "SKIP: <why>" and returns 77 (automake's "skipped"), or returns 1 after a FAIL line when
# WEFT_SSHD_REQUIRED=1 (for CI, where scripts/setup installs openssh-server). The sshd log
# is $SSHD_DIR/sshd.log; sshd_start prints its end when it fails.
#
# Running as root in a container needs sshd's privilege separation directory /run/sshd,
# made here when missing. SSHD (default /usr/sbin/sshd: sshd must be started by its absolute
# path) and SSHD_TIMEOUT (seconds per wait, default 10) can be set by the caller.

SSHD=${SSHD:-/usr/sbin/sshd}
SSHD_TIMEOUT=${SSHD_TIMEOUT:-10}
SSHD_DIR=
SSHD_PID=
SSHD_PORT=

. "${srcdir:-.}/tests/e2e/poll.sh"

# _sshd_poll COMMAND...: true as soon as COMMAND succeeds, false after $SSHD_TIMEOUT s.
_sshd_poll() { e2e_poll "$SSHD_TIMEOUT" "$@"; }

# _sshd_skip WHY...: the SKIP line (or FAIL when required), the end of the log, clean-up.
_sshd_skip() {
    if [ "${WEFT_SSHD_REQUIRED:-0}" = 1 ]; then
        echo "FAIL: $* (WEFT_SSHD_REQUIRED=1, so this is not skipped)"
        _sshd_rc=1
    else
        echo "SKIP: $*"
        _sshd_rc=77
    fi
    if [ -n "$SSHD_DIR" ] && [ -s "$SSHD_DIR/sshd.log" ]; then
        echo "--- end of the sshd log:"
        tail -n 15 "$SSHD_DIR/sshd.log" | sed 's/^/|/'
    fi
    sshd_stop
    return "$_sshd_rc"
}

# A port in 20000..59999 that nothing listens on now (sshd_start retries if it is taken by
# the time sshd binds it).
_sshd_pick_port() {
    while :; do
        _sshd_p=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
        _sshd_hex=$(printf '%04X' "$_sshd_p")
        if ! cat /proc/net/tcp /proc/net/tcp6 2>/dev/null \
            | awk -v h=":$_sshd_hex" '$4 == "0A" && substr($2, length($2) - 4) == h { f = 1 }
                                      END { exit !f }'; then
            echo "$_sshd_p"
            return 0
        fi
    done
}

_sshd_listening() {
    grep -q "Server listening on 127.0.0.1 port $SSHD_PORT" "$SSHD_DIR/sshd.log"
}
_sshd_gone() { ! kill -0 "$SSHD_PID" 2>/dev/null; }
_sshd_up_or_gone() {
    _sshd_listening || _sshd_gone || grep -q -e 'Cannot bind' -e 'fatal' "$SSHD_DIR/sshd.log"
}

_sshd_write_config() {
    cat >"$SSHD_DIR/sshd_config" <<EOF
ListenAddress 127.0.0.1:$SSHD_PORT
HostKey $SSHD_DIR/host_key
AuthorizedKeysFile $SSHD_DIR/authorized_keys
PidFile $SSHD_DIR/sshd.pid
UsePAM no
StrictModes no
PubkeyAuthentication yes
AuthenticationMethods publickey
PasswordAuthentication no
KbdInteractiveAuthentication no
HostbasedAuthentication no
PermitRootLogin prohibit-password
AllowTcpForwarding yes
PermitOpen any
X11Forwarding no
AllowAgentForwarding no
PrintMotd no
UseDNS no
MaxStartups 100
MaxSessions 100
LogLevel INFO
EOF
}

sshd_start() {
    for _sshd_prog in ssh ssh-keygen; do
        command -v "$_sshd_prog" >/dev/null 2>&1 \
            || { _sshd_skip "$_sshd_prog is not installed (apt-get install openssh-client)"
                 return; }
    done
    [ -x "$SSHD" ] \
        || { _sshd_skip "$SSHD is not installed (apt-get install openssh-server)"; return; }
    command -v timeout >/dev/null 2>&1 \
        || { _sshd_skip "timeout(1) is not installed (coreutils)"; return; }

    case ${TMPDIR:-/tmp} in
        *[[:space:]]*) _sshd_tmp=/tmp ;;
        *) _sshd_tmp=${TMPDIR:-/tmp} ;;
    esac
    SSHD_DIR=$(mktemp -d "$_sshd_tmp/weft-sshd.XXXXXX") \
        || { _sshd_skip "mktemp -d failed"; return; }
    ssh-keygen -q -N '' -t ed25519 -C weft-test-host -f "$SSHD_DIR/host_key" </dev/null \
        && ssh-keygen -q -N '' -t ed25519 -C weft-test-client -f "$SSHD_DIR/id" </dev/null \
        && cp "$SSHD_DIR/id.pub" "$SSHD_DIR/authorized_keys" \
        || { _sshd_skip "ssh-keygen could not make throwaway keys"; return; }
    if [ "$(id -u)" -eq 0 ] && [ ! -d /run/sshd ]; then
        mkdir -p /run/sshd && chmod 755 /run/sshd \
            || { _sshd_skip "cannot create sshd's privilege separation directory /run/sshd"
                 return; }
    fi

    _sshd_try=0
    while :; do
        _sshd_try=$((_sshd_try + 1))
        SSHD_PORT=$(_sshd_pick_port)
        _sshd_write_config
        # (Descriptors 3-9 closed: a test's FIFOs held open by sshd would never end.)
        "$SSHD" -D -e -f "$SSHD_DIR/sshd_config" >"$SSHD_DIR/sshd.log" 2>&1 </dev/null \
            3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
        SSHD_PID=$!
        _sshd_poll _sshd_up_or_gone \
            || { _sshd_skip "sshd did not start listening within ${SSHD_TIMEOUT}s"; return; }
        _sshd_listening && break
        # Someone took the port between the check and the bind: another one.
        if grep -q 'Address already in use' "$SSHD_DIR/sshd.log" && [ "$_sshd_try" -lt 10 ]
        then
            kill "$SSHD_PID" 2>/dev/null
            wait "$SSHD_PID" 2>/dev/null
            continue
        fi
        _sshd_skip "sshd could not start (its log is below)"
        return
    done

    SSHD_USER=$(id -un)
    SSHD_KEY=$SSHD_DIR/id
    WEFT_SSH="ssh -F /dev/null -i $SSHD_KEY -p $SSHD_PORT -o IdentitiesOnly=yes"
    WEFT_SSH="$WEFT_SSH -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
    WEFT_SSH="$WEFT_SSH -o BatchMode=yes -o LogLevel=ERROR"
    export SSHD_PORT SSHD_USER SSHD_KEY WEFT_SSH

    # The key logs in and -W forwards: through sshd to its own port, which greets first.
    # shellcheck disable=SC2086 # WEFT_SSH is words
    timeout "$SSHD_TIMEOUT" $WEFT_SSH -W "127.0.0.1:$SSHD_PORT" 127.0.0.1 </dev/null \
        >"$SSHD_DIR/banner" 2>"$SSHD_DIR/banner.err"
    if ! grep -q '^SSH-2.0-' "$SSHD_DIR/banner"; then
        _sshd_skip "sshd runs, but 'ssh -W' through it failed:" \
            "$(head -c 300 "$SSHD_DIR/banner.err")"
        return
    fi
    return 0
}

# Stops the sshd started by sshd_start (by its pid) and removes its directory.
sshd_stop() {
    if [ -n "$SSHD_PID" ]; then
        kill "$SSHD_PID" 2>/dev/null
        wait "$SSHD_PID" 2>/dev/null
        SSHD_PID=
    fi
    if [ -n "$SSHD_DIR" ]; then
        rm -rf "$SSHD_DIR"
        SSHD_DIR=
    fi
    return 0
}
