# Helpers for the reliability tests of issue 5 (scenarios.sh, hostile.sh, files.sh); source
# it after netlib.sh. Every wait is a bounded poll that prints what it expected and what it
# saw when it gives up.
#
#   LONG                   1 with --long (first argument) or WEFT_LONG=1: the figures of
#                          issue 5; 0 in CI, where each script stays well under a minute
#   pick CI LONG           prints the value for this mode
#   SANITIZED              1 when weft was built with sanitizers (memory figures inflated)
#   rss_kb PID             VmRSS of PID, in kB
#   poll_until SECS WHAT COMMAND...   runs COMMAND every 50 ms until it succeeds; on timeout
#                          fails with WHAT and COMMAND's last output (expected vs actual)
#   wait_online NAME...    every guest prints "state online"
#   wait_online_again NAME the guest's last state line says online (it never left, or
#                          reconnected)
#   quit_guests NAME...    asks guests to leave and waits until they have
#   converge NAME...       every guest gets in sync with the same length and hash: CONVERGED
#   try_converge SECS NAME...  the same, but returns 1 with the reason in CONVERGE_ERR
#   final_check FILE NAME...   converge; `weft cat` equals the replicas (length and BLAKE2b);
#                          the first guest asks for a save; FILE then equals `weft cat`
#   expect_markers TEXT PREFIX N [once|at-most-once]   markers <PREFIX-1>..<PREFIX-N> in the
#                          file TEXT each exactly once (or at most once)
#   expect_no_stray_markers TEXT PREFIX N   no <PREFIX-k> with k > N
#   timer_start / timer_ms     elapsed wall time, for the figures
#   report TEXT            a figure line, "FIGURE: TEXT", also appended to $WEFT_FIGURES
#   soft_fail TEXT         a failure reported at the end (finish), so that the other checks
#                          still run and report
#   finish NAME            fails with the deferred failures, if any, else prints PASS: NAME
#   expect_clean_log FILE  no sanitizer report in FILE
#   serve_stop             SIGTERM to weft serve: it must save, exit 0 and have nothing to
#                          report under sanitizers

LONG=${WEFT_LONG:-0}
if [ "${1:-}" = "--long" ]; then
    LONG=1
fi
[ "$LONG" = 1 ] || LONG=0

pick() { if [ "$LONG" = 1 ]; then echo "$2"; else echo "$1"; fi; }

# Logs may hold any bytes a peer sent: grep and sed must take them as bytes.
export LC_ALL=C

# A write to the FIFO of a guest that died must fail the test with a message, not kill the
# shell silently.
trap '' PIPE

# shellcheck disable=SC2034 # used by the scripts that source this
SANITIZED=0
grep -q -a -m1 '__asan_init\|__ubsan_handle' "$WEFT" 2>/dev/null && SANITIZED=1

: "${RAWPEER:=$builddir/tests/tools/rawpeer}"

rss_kb() {
    awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

report() {
    echo "FIGURE: $*"
    [ -n "${WEFT_FIGURES:-}" ] && echo "$(basename "$0") $(pick ci long): $*" >>"$WEFT_FIGURES"
    return 0
}

timer_start() { TIMER_T0=$(date +%s%N); }
timer_ms() { echo $((($(date +%s%N) - TIMER_T0) / 1000000)); }

POLL_OUT=""
poll_until() {
    local secs=$1 what=$2
    shift 2
    e2e_poll_out "$secs" "$@" && { POLL_OUT=$E2E_OUT; return 0; }
    POLL_OUT=$E2E_OUT
    fail "$what (after $(e2e_secs "$secs")s); last seen: $POLL_OUT"
}

wait_online() {
    local c
    for c in "$@"; do
        client_wait "$c" '^state online' 30 || fail "$c did not get online"
    done
}

wait_online_again() {
    poll_until 60 "$1 is not online after the link healed" _last_state_online "$1"
}
_last_state_online() {
    local st
    st=$(grep '^state ' "$NET_DIR/$1.out" | tail -n 1)
    echo "$st"
    case $st in "state online"*) return 0 ;; *) return 1 ;; esac
}

quit_guests() {
    local c
    for c in "$@"; do client_send "$c" quit; done
    for c in "$@"; do
        poll_until 20 "$c did not exit after quit" _gone "${CLIENT_PID[$c]}"
    done
}
_gone() { ! kill -0 "$1" 2>/dev/null; }

converge() {
    try_converge 60 "$@" || fail "$CONVERGE_ERR"
}

# try_converge SECS NAME...: converge, but returns 1 with the reason in CONVERGE_ERR.
try_converge() {
    local secs=$1 first="" c
    shift
    for c in "$@"; do
        client_send "$c" sync
        if ! client_wait "$c" '^synced ' "$secs"; then
            CONVERGE_ERR="$c never got in sync within ${secs}s"
            return 1
        fi
        [ -z "$first" ] && first=$REPLY
        if [ "$REPLY" != "$first" ]; then
            CONVERGE_ERR="replicas differ: expected '$first', $c has '$REPLY'"
            return 1
        fi
    done
    CONVERGED=$first
}

# weft cat of the session into $NET_DIR/final.txt. A host that has just sent a document of
# tens of MB (scenario 4's flood) may be busy past the 5 s handshake deadline under the
# sanitizers: a handshake that timed out is tried again, at most 3 times, and said so.
cat_final() {
    local try
    for try in 1 2 3; do
        "$WEFT" cat "$TICKET" >"$NET_DIR/final.txt" 2>"$NET_DIR/cat.err" && return 0
        grep -q "no answer to the handshake" "$NET_DIR/cat.err" ||
            fail "weft cat failed: $(cat "$NET_DIR/cat.err")"
        echo "NOTE: weft cat attempt $try: $(cat "$NET_DIR/cat.err")"
    done
    fail "weft cat failed 3 times: $(cat "$NET_DIR/cat.err")"
}

# final_check FILE NAME...: see above; leaves the session's text in $NET_DIR/final.txt.
final_check() {
    local file=$1
    shift
    converge "$@"
    local len=${CONVERGED#synced }
    len=${len%% *}
    local hash=${CONVERGED##* }
    cat_final
    local clen chash
    clen=$(wc -c <"$NET_DIR/final.txt")
    chash=$(b2sum -l 256 <"$NET_DIR/final.txt" | cut -d' ' -f1)
    [ "$chash" = "$hash" ] || fail "weft cat differs from the replicas: expected hash $hash" \
        "($len units), weft cat printed $clen bytes hashing to $chash"
    client_send "$1" save
    client_wait "$1" '^saved ' 30 || fail "no answer to $1's save request"
    case $REPLY in "saved ok"*) ;; *) fail "the save failed: $REPLY" ;; esac
    cmp "$file" "$NET_DIR/final.txt" >/dev/null || fail "the saved file differs from weft cat:" \
        "expected $clen bytes, the file has $(wc -c <"$file")"
}

# The count of each marker <PREFIX-k> in TEXT, as "k count" lines.
_marker_counts() {
    grep -o "<$2-[0-9]*>" "$1" | sed "s/^<$2-//; s/>\$//" | sort -n | uniq -c \
        | awk '{ print $2, $1 }'
}

expect_markers() {
    local text=$1 prefix=$2 n=$3 mode=${4:-once} bad
    bad=$(_marker_counts "$text" "$prefix" | awk -v n="$n" -v mode="$mode" '
        { seen[$1] = $2 }
        END {
            for (k = 1; k <= n; k++) {
                c = (k in seen) ? seen[k] : 0
                if (c > 1 || (mode == "once" && c != 1)) {
                    printf "<%s-%d> is there %d times; ", prefix, k, c
                    if (++shown == 5) break
                }
            }
        }' prefix="$prefix")
    [ -z "$bad" ] || fail "markers of $prefix (want each $mode of 1..$n): $bad"
}

expect_no_stray_markers() {
    local stray
    stray=$(_marker_counts "$1" "$2" | awk -v n="$3" '$1 > n || $1 < 1 { print "<" p "-" $1 ">" }' p="$2" | head -3)
    [ -z "$stray" ] || fail "markers of $2 that nobody typed: $stray"
}

DEFERRED=""
soft_fail() {
    echo "FAIL (deferred to the end): $*" >&2
    DEFERRED="$DEFERRED
FAIL: $*"
}

expect_clean_log() {
    if grep -q -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: .*Sanitizer' "$1"; then
        grep -E -A12 'ERROR: |runtime error:' "$1" | head -40 >&2
        fail "a sanitizer report in $1"
    fi
}

finish() {
    if [ -n "$DEFERRED" ]; then
        echo "$DEFERRED"
        exit 1
    fi
    echo "PASS: $1"
}

serve_stop() {
    [ -n "$SERVE_PID" ] || return 0
    kill -TERM "$SERVE_PID" 2>/dev/null
    local st=0
    wait "$SERVE_PID" 2>/dev/null || st=$?
    SERVE_PID=""
    [ "$st" -eq 0 ] || fail "weft serve exited $st on SIGTERM; log: $(tail -n 3 "$SERVE_LOG")"
    expect_clean_log "$SERVE_LOG"
}
