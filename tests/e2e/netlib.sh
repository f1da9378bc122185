# Helpers for end-to-end tests of sessions: a `weft serve` and headless guests
# (tests/tools/testclient) driven through FIFOs. Source it; every wait is a bounded poll
# that prints what it expected and what it saw when it gives up.
#
#   serve_start FILE [OPTIONS...]   starts `weft serve`; sets SERVE_PID, TICKET (read-write),
#                                   TICKET_SSH, TICKET_RO (if any), SERVE_LOG
#   client_start NAME [TICKET]      starts a guest called NAME (default: $TICKET), with the
#                                   testclient options in CLIENT_OPTS (e.g. --file PATH)
#   client_send NAME COMMAND...     sends one command line
#   client_wait NAME REGEX [SECS]   waits for an output line matching REGEX; sets REPLY
#   wait_log REGEX [SECS]           waits for a line of the serve log
#   converge NAME...                waits until the clients are in sync with the host, and
#                                   fails unless they all hold the same text
#   net_cleanup                     kills everything started (also on EXIT)

: "${WEFT:=$builddir/app/weft}"
: "${TESTCLIENT:=$builddir/tests/tools/testclient}"

NET_DIR=$(mktemp -d "${TMPDIR:-/tmp}/weft-net.XXXXXX")
NET_PIDS=""
SERVE_PID=""
SERVE_LOG="$NET_DIR/serve.log"

# Only the pids of NET_PIDS that are still running jobs of this shell: one that has ended
# (and was reaped) may be another program's by now, e.g. another test's tmux server.
net_cleanup() {
    local running pid
    running=" $(jobs -pr | tr '\n' ' ') "
    for pid in $NET_PIDS; do
        case $running in *" $pid "*) kill -9 "$pid" 2>/dev/null ;; esac
    done
    for pid in $NET_PIDS; do
        case $running in *" $pid "*) wait "$pid" 2>/dev/null ;; esac
    done
    rm -rf "$NET_DIR"
}
trap net_cleanup EXIT

. "$srcdir/tests/e2e/poll.sh"

fail() { e2e_fail "$@" >&2; }

# wait_file FILE REGEX SECS: the first line of FILE matching REGEX, polled every 50 ms.
wait_file() {
    local file=$1 re=$2 secs=${3:-10}
    if e2e_poll_out "$secs" grep -E -m1 -- "$re" "$file"; then
        REPLY=$E2E_OUT
        return 0
    fi
    echo "timed out after $(e2e_secs "$secs")s waiting in $file for: $re" >&2
    echo "--- last lines of $file:" >&2
    tail -n 15 "$file" >&2 2>/dev/null
    return 1
}

serve_start() {
    local file=$1
    shift
    # A previous serve's tickets and log must not pass for this one's before the shell
    # truncates the files for the new process.
    rm -f "$NET_DIR/tickets" "$SERVE_LOG"
    "$WEFT" serve "$file" "$@" >"$NET_DIR/tickets" 2>"$SERVE_LOG" &
    SERVE_PID=$!
    NET_PIDS="$NET_PIDS $SERVE_PID"
    wait_file "$NET_DIR/tickets" '^read-write: ' 10 || fail "weft serve did not print a ticket"
    TICKET=$(sed -n 's/^read-write: //p' "$NET_DIR/tickets")
    TICKET_SSH=$(sed -n 's/^read-write over ssh: //p' "$NET_DIR/tickets")
    TICKET_RO=$(sed -n 's/^read-only: //p' "$NET_DIR/tickets")
}

declare -A CLIENT_FD CLIENT_PID CLIENT_SEEN

client_start() {
    local name=$1 ticket=${2:-$TICKET}
    mkfifo "$NET_DIR/$name.in"
    # shellcheck disable=SC2086 # CLIENT_OPTS is words
    "$TESTCLIENT" --name "$name" ${CLIENT_OPTS:-} "$ticket" <"$NET_DIR/$name.in" \
        >"$NET_DIR/$name.out" 2>"$NET_DIR/$name.err" &
    CLIENT_PID[$name]=$!
    NET_PIDS="$NET_PIDS $!"
    local fd
    exec {fd}>"$NET_DIR/$name.in"
    CLIENT_FD[$name]=$fd
    CLIENT_SEEN[$name]=0
}

client_send() {
    local name=$1
    shift
    echo "$*" >&"${CLIENT_FD[$name]}"
}

# Waits for a line matching REGEX that comes after the lines already consumed.
# _client_match OUT SEEN REGEX: the number (after line SEEN) of OUT's first line matching.
_client_match() { tail -n +"$(($2 + 1))" "$1" | grep -E -n -m1 -- "$3" | cut -d: -f1 | grep .; }

client_wait() {
    local name=$1 re=$2 secs=${3:-10} seen n
    local out="$NET_DIR/$name.out"
    seen=${CLIENT_SEEN[$name]}
    if e2e_poll_out "$secs" _client_match "$out" "$seen" "$re"; then
        n=$E2E_OUT
        REPLY=$(tail -n +"$((seen + 1))" "$out" | sed -n "${n}p")
        CLIENT_SEEN[$name]=$((seen + n))
        return 0
    fi
    echo "timed out after $(e2e_secs "$secs")s waiting for $name: $re" >&2
    echo "--- output of $name:" >&2
    tail -n 15 "$out" >&2
    echo "--- its stderr:" >&2
    tail -n 5 "$NET_DIR/$name.err" >&2
    return 1
}

# client_has NAME PATH 0|1: a project guest's manifest lists PATH (1) or not (0), once the
# change arrived (asked again every 50 ms, for at most 10 s; not e2e_poll: client_wait polls
# inside it).
client_has() {
    local i
    for ((i = 0; i < $(e2e_secs 10) * 20; i++)); do
        client_send "$1" has "$2"
        client_wait "$1" '^has ' || fail "$1 does not answer"
        [ "$REPLY" = "has $3" ] && return 0
        sleep 0.05
    done
    fail "$1's manifest: has $2 should be $3, after $(e2e_secs 10) s"
}

wait_log() {
    wait_file "$SERVE_LOG" "$1" "${2:-10}"
}

# converge NAME...: every named client waits for the host's digest to match its text; all
# must report the same length and hash (left in CONVERGED).
converge() {
    local first="" c
    for c in "$@"; do
        client_send "$c" sync
        client_wait "$c" '^synced ' 30 || fail "$c never got in sync"
        [ -z "$first" ] && first=$REPLY
        [ "$REPLY" = "$first" ] || fail "replicas differ: '$first' vs '$REPLY' ($c)"
    done
    CONVERGED=$first
}

# The text of a client, decoded from its %XX-escaped "text" line, into FILE.
client_text() {
    local name=$1 file=$2
    client_send "$name" print
    client_wait "$name" '^text ' || return 1
    printf '%b' "$(printf '%s' "${REPLY#text }" | sed 's/%\([0-9A-F][0-9A-F]\)/\\x\1/g')" \
        >"$file"
}
