# Helpers for tests that drive programs through a FIFO, above all tests/tools/proxy
# (sourced, POSIX sh). Used by tests/e2e/proxy.sh and sshd-selftest.sh; meant for the
# fault-injection tests too:
#
#     . "${srcdir:-.}/tests/e2e/proxy-lib.sh"     # needs $PX_DIR, a private directory
#     px_start p 4 127.0.0.1 "$HOST_PORT"          # proxy "p" on descriptor 4
#     ... connect to 127.0.0.1:$(px_port p) ...
#     px_ctl p stall                               # returns once "ok stall" is printed
#     px_poll px_stat_is p conns 1 || px_fail "..."
#     px_kill_all                                  # in the cleanup
#
# A spawned program NAME reads stdin from the FIFO $PX_DIR/NAME.in, which this shell holds
# open as descriptor FD (3..9: one per running program); closing it (exec FD>&-) is an end
# of file for the program. Its stdout and stderr go to NAME.out and NAME.err, its pid to
# NAME.pid and, once it has exited, its status to NAME.status. Every wait is a bounded poll:
# every 50 ms for at most $TIMEOUT seconds (default 10).
#
# A spawned program holds no descriptor above 2 but its own, so closing a FIFO here is an
# end of file there. Programs started otherwise (plain "&") inherit the FIFOs open at that
# moment: stop a proxy with "px_ctl NAME quit" rather than by closing its stdin when such
# programs may still run. Works under sh (dash) and bash.

TIMEOUT=${TIMEOUT:-10}
PROXY=${PROXY:-$PWD/tests/tools/proxy}

. "${srcdir:-.}/tests/e2e/poll.sh"

px_fail() { e2e_fail "$@"; }

# px_poll COMMAND...: true as soon as COMMAND succeeds, false after $TIMEOUT seconds.
px_poll() { e2e_poll "$TIMEOUT" "$@"; }

# px_spawn NAME FD PROGRAM ARGS...: runs PROGRAM in the background as described above.
px_spawn() {
    _px_name=$1 _px_fd=$2
    shift 2
    rm -f "$PX_DIR/$_px_name".*
    mkfifo "$PX_DIR/$_px_name.in" || px_fail "mkfifo $PX_DIR/$_px_name.in"
    echo "$_px_fd" >"$PX_DIR/$_px_name.fd"
    (
        # Not the other programs' FIFOs: a copy held here would hide their end of file.
        # (bash, unlike dash, also has descriptors above 9, e.g. from exec {fd}>FILE.)
        exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
        if [ -n "${BASH_VERSION:-}" ]; then
            for _px_f in /proc/self/fd/*; do
                _px_f=${_px_f##*/}
                [ "$_px_f" -gt 9 ] 2>/dev/null && eval "exec $_px_f>&-"
            done
        fi
        "$@" <"$PX_DIR/$_px_name.in" >"$PX_DIR/$_px_name.out" 2>"$PX_DIR/$_px_name.err" &
        echo $! >"$PX_DIR/$_px_name.pid"
        wait $!
        echo $? >"$PX_DIR/$_px_name.status.tmp"
        mv "$PX_DIR/$_px_name.status.tmp" "$PX_DIR/$_px_name.status"
    ) 2>/dev/null &
    # Blocks until the program has opened its end.
    eval "exec $_px_fd>\"\$PX_DIR/\$_px_name.in\""
}

# px_send NAME TEXT: writes TEXT and a newline to NAME's stdin.
px_send() {
    printf '%s\n' "$2" >&"$(cat "$PX_DIR/$1.fd")"
}

# px_close NAME: closes NAME's stdin (an end of file for it).
px_close() {
    eval "exec $(cat "$PX_DIR/$1.fd")>&-"
}

px_exited() { [ -f "$PX_DIR/$1.status" ]; }

# px_expect_exit NAME STATUS: NAME exits with STATUS (a number, "nonzero" or "any").
px_expect_exit() {
    px_poll px_exited "$1" || px_fail "$1 did not exit"
    _px_st=$(cat "$PX_DIR/$1.status")
    rm -f "$PX_DIR/$1.pid"
    case $2 in
        any) return 0 ;;
        nonzero) [ "$_px_st" -ne 0 ] || px_fail "$1: exit status 0, expected non-zero" ;;
        *)
            [ "$_px_st" -eq "$2" ] && return 0
            echo "FAIL: $1: exit status $_px_st, expected $2; its stderr:"
            sed 's/^/|/' "$PX_DIR/$1.err"
            exit 1
            ;;
    esac
}

# px_kill NAME: SIGKILLs NAME (by its pid) and waits until it is gone.
px_kill() {
    kill -9 "$(cat "$PX_DIR/$1.pid")" 2>/dev/null
    px_poll px_exited "$1" || px_fail "$1 did not die"
    rm -f "$PX_DIR/$1.pid"
}

# px_kill_all: SIGTERM to every program still running (for the cleanup).
px_kill_all() {
    for _px_f in "$PX_DIR"/*.pid; do
        [ -f "$_px_f" ] && kill "$(cat "$_px_f")" 2>/dev/null
    done
    return 0
}

# px_port NAME: the port NAME printed as "port=N".
px_port() { sed -n 's/^port=//p' "$PX_DIR/$1.out"; }
px_has_port() { [ -n "$(px_port "$1")" ]; }

# px_start NAME FD ARGS...: starts the proxy (or, with --echo, the echo server) and waits
# until it listens.
px_start() {
    _px_sname=$1
    px_spawn "$@"
    px_poll px_has_port "$_px_sname" \
        || px_fail "$_px_sname printed no port; its stderr: $(cat "$PX_DIR/$_px_sname.err")"
}

_px_count() { grep -c -x -F -- "$2" "$PX_DIR/$1.out" 2>/dev/null; }
_px_more() { [ "$(_px_count "$1" "$2")" -gt "$3" ]; }

# px_ctl NAME COMMAND...: sends the command and waits for its "ok COMMAND".
px_ctl() {
    _px_cname=$1
    shift
    _px_before=$(_px_count "$_px_cname" "ok $*")
    px_send "$_px_cname" "$*"
    px_poll _px_more "$_px_cname" "ok $*" "$_px_before" || {
        echo "FAIL: $_px_cname: no 'ok $*' after the command; its output:"
        sed 's/^/|/' "$PX_DIR/$_px_cname.out"
        exit 1
    }
}

# px_field NAME FIELD: FIELD of NAME's last stats line (no new command).
px_field() {
    grep '^conns=' "$PX_DIR/$1.out" | tail -n 1 | tr ' ' '\n' | sed -n "s/^$2=//p"
}
# px_stat NAME FIELD: asks NAME for its stats and prints FIELD.
px_stat() {
    px_ctl "$1" stats >/dev/null
    px_field "$1" "$2"
}
px_stat_is() { [ "$(px_stat "$1" "$2")" = "$3" ]; }
px_stat_ge() { [ "$(px_stat "$1" "$2")" -ge "$3" ]; }
# px_expect_stat NAME FIELD VALUE: polls NAME's stats until FIELD is VALUE.
px_expect_stat() {
    px_poll px_stat_is "$1" "$2" "$3" || px_fail "$1 stats: expected $2=$3, got" \
        "$(grep '^conns=' "$PX_DIR/$1.out" | tail -n 1)"
}

# px_expect_out NAME EXPECTED: NAME's whole output becomes exactly the printf-style EXPECTED.
_px_out_is() { cmp -s "$PX_DIR/$1.out" "$PX_DIR/.expected"; }
px_expect_out() {
    printf "$2" >"$PX_DIR/.expected"
    px_poll _px_out_is "$1" || {
        echo "FAIL: the output of $1 differs from what was expected"
        echo "--- expected bytes:"
        od -c "$PX_DIR/.expected" | sed 's/^/|/'
        echo "--- actual bytes:"
        od -c "$PX_DIR/$1.out" | sed 's/^/|/'
        exit 1
    }
}

px_now_ms() { echo $(($(date +%s%N) / 1000000)); }
