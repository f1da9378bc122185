#!/bin/sh
# Self-test of tests/tools/proxy: the proxy between its own --client and --echo modes, every
# command proved by what arrives (or not) and by the proxy's counters: forwarding and
# half-close, a 3 MB stream, delay (and order kept when the delay drops), stall and resume,
# the stall limit (back-pressure without loss), split, rate, cutafter (repeatedly, then off), cut
# (both sides), refuse, peers vanishing mid-stream, bad commands, quit and end of stdin.
# Every wait is a bounded poll (tests/e2e/proxy-lib.sh).
set -u
. "${srcdir:-.}/tests/e2e/proxy-lib.sh"
[ -x "$PROXY" ] || px_fail "$PROXY is not built"
PX_DIR=$(mktemp -d "${TMPDIR:-/tmp}/weft-proxy.XXXXXX")

# The wrappers of killed programs may still be writing their status: retry the removal.
cleanup() {
    px_kill_all
    px_poll rm -rf "$PX_DIR" || rm -rf "$PX_DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

W=$PX_DIR
last_stats() { grep '^conns=' "$W/$1.out" | tail -n 1; }

# --- set-up: an echo server (descriptor 3), and the proxy in front of it (4) -------------
px_start echo 3 "$PROXY" --echo
EPORT=$(px_port echo)
px_start proxy 4 "$PROXY" 127.0.0.1 "$EPORT"
PPORT=$(px_port proxy)
echo "proxy: echo on $EPORT, proxy on $PPORT"

# --- forwarding, half-close, a large stream ----------------------------------------------
printf 'hello\nworld' >"$W/small"
timeout "$TIMEOUT" "$PROXY" --client "$PPORT" <"$W/small" >"$W/small.back" \
    || px_fail "client through the proxy: exit status $?"
cmp -s "$W/small" "$W/small.back" \
    || px_fail "echoed '$(cat "$W/small.back")', expected '$(cat "$W/small")'"
px_expect_stat proxy conns 0
[ "$(px_field proxy bytes_up)" = 11 ] && [ "$(px_field proxy bytes_down)" = 11 ] \
    || px_fail "after 11 bytes each way: $(last_stats proxy)"
echo "ok: forwarding with half-close"

head -c 3000000 /dev/urandom >"$W/big"
timeout $((TIMEOUT * 3)) "$PROXY" --client "$PPORT" <"$W/big" >"$W/big.back" \
    || px_fail "3 MB through the proxy: exit status $?"
cmp "$W/big" "$W/big.back" || px_fail "3 MB came back different"
px_expect_stat proxy conns 0
echo "ok: 3 MB both ways"

# --- delay, and order kept when the delay drops (client a, descriptor 6) ----------------
px_spawn a 6 "$PROXY" --client "$PPORT"
px_send a first
px_expect_out a 'first\n'
px_ctl proxy delay 300
t0=$(px_now_ms)
px_send a a
px_expect_out a 'first\na\n'
elapsed=$(($(px_now_ms) - t0))
[ "$elapsed" -ge 600 ] || px_fail "delay 300: a round trip took $elapsed ms, expected >= 600"
echo "ok: delay 300 -> round trip $elapsed ms"
px_ctl proxy delay 1000
px_send a b
px_poll px_stat_is proxy queued 2 \
    || px_fail "'b' was not held by the delay ($(px_stat proxy queued) bytes queued)"
px_ctl proxy delay 0
px_send a c
px_expect_out a 'first\na\nb\nc\n'
echo "ok: order kept when the delay dropped"

# --- stall and resume ---------------------------------------------------------------------
up=$(px_stat proxy bytes_up)
px_ctl proxy stall
px_send a held
px_poll px_stat_is proxy queued 5 \
    || px_fail "stall: 'held' not buffered ($(px_stat proxy queued) bytes queued)"
[ "$(px_field proxy bytes_up)" = "$up" ] || px_fail "stall: bytes were forwarded while stalled"
px_expect_out a 'first\na\nb\nc\n'
px_ctl proxy resume
px_expect_out a 'first\na\nb\nc\nheld\n'
px_expect_stat proxy queued 0
echo "ok: stall, resume"

# --- split --------------------------------------------------------------------------------
w0=$(px_stat proxy writes)
px_ctl proxy split 7
line=$(printf '%0100d' 0)
px_send a "$line"
px_expect_out a "first\na\nb\nc\nheld\n$line\n"
w1=$(px_stat proxy writes)
mw=$(px_field proxy max_write)
[ $((w1 - w0)) -ge 30 ] || px_fail "split 7: 101 bytes each way took $((w1 - w0)) writes"
[ "$mw" -le 7 ] && [ "$mw" -ge 1 ] || px_fail "split 7: the largest write was $mw bytes"
px_ctl proxy split 0
echo "ok: split 7 ($((w1 - w0)) writes, largest $mw bytes)"

# --- rate: 2,000 bytes a second, in writes of at most 200 bytes ----------------------------
px_ctl proxy split 0
px_ctl proxy rate 2000
long=$(printf '%04000d' 0)
t0=$(px_now_ms)
px_send a "$long"
px_expect_out a "first\na\nb\nc\nheld\n$line\n$long\n"
elapsed=$(($(px_now_ms) - t0))
mw=$(px_stat proxy max_write)
# 4,001 bytes at 2,000 a second: at least 1.9 s each way (the first write goes at once).
[ "$elapsed" -ge 1900 ] || px_fail "rate 2000: 4001 bytes echoed in $elapsed ms"
[ "$mw" -le 200 ] || px_fail "rate 2000: a write of $mw bytes (at most 200 expected)"
px_ctl proxy rate 0
echo "ok: rate 2000 -> 4001 bytes echoed in $elapsed ms, largest write $mw bytes"

# --- cut: both sides of every connection ----------------------------------------------------
px_poll px_stat_is echo conns 1 || px_fail "the echo server does not see client a"
px_ctl proxy cut
px_expect_exit a nonzero
px_close a
grep -q -i 'reset' "$W/a.err" || px_fail "cut: client a saw no reset: $(cat "$W/a.err")"
px_expect_stat proxy conns 0
px_expect_stat echo conns 0
echo "ok: cut ($(cat "$W/a.err"))"

# --- cutafter: every new connection cut after N bytes, until off (descriptor 7) -----------
px_ctl proxy cutafter 10
for name in b c; do
    up=$(px_stat proxy bytes_up)
    px_spawn $name 7 "$PROXY" --client "$PPORT"
    px_send $name 0123456789ABCDEF
    px_expect_exit $name nonzero
    px_close $name
    px_expect_stat proxy conns 0
    [ "$(px_field proxy bytes_up)" -eq $((up + 10)) ] \
        || px_fail "cutafter 10: client $name sent $(($(px_field proxy bytes_up) - up)) bytes up"
done
px_ctl proxy cutafter 0
px_spawn d 7 "$PROXY" --client "$PPORT"
px_send d 0123456789ABCDEF
px_expect_out d '0123456789ABCDEF\n'
px_close d
px_expect_exit d 0
echo "ok: cutafter 10 (twice), cutafter 0"

# --- refuse ---------------------------------------------------------------------------------
acc=$(px_stat proxy accepted)
eacc=$(px_stat echo accepted)
px_ctl proxy refuse on
timeout "$TIMEOUT" "$PROXY" --client "$PPORT" <"$W/small" >"$W/refused.back" \
    2>"$W/refused.err" && px_fail "refuse on: the client got through"
[ ! -s "$W/refused.back" ] || px_fail "refuse on: the client got '$(cat "$W/refused.back")'"
px_expect_stat proxy accepted $((acc + 1))
[ "$(px_field proxy conns)" = 0 ] || px_fail "refuse on: a connection is open"
[ "$(px_stat echo accepted)" = "$eacc" ] || px_fail "refuse on: the target was connected to"
px_ctl proxy refuse off
timeout "$TIMEOUT" "$PROXY" --client "$PPORT" <"$W/small" >"$W/small.back" \
    || px_fail "refuse off: exit status $?"
cmp -s "$W/small" "$W/small.back" || px_fail "refuse off: echoed '$(cat "$W/small.back")'"
echo "ok: refuse on, off"

# --- the stall limit: reading stops at --limit, nothing is lost (p2, descriptor 5) --------
px_start p2 5 "$PROXY" --limit 65536 127.0.0.1 "$EPORT"
P2PORT=$(px_port p2)
px_ctl p2 stall
head -c 1000000 /dev/urandom >"$W/mb"
px_spawn e 7 "$PROXY" --client "$P2PORT"
cat "$W/mb" >&7 &
feeder=$!
px_poll px_stat_ge p2 queued 65536 \
    || px_fail "stall: p2 holds $(px_stat p2 queued) bytes, expected >= 65536"
q=$(px_stat p2 queued)
[ "$q" -le $((65536 + 65536)) ] || px_fail "stall limit 65536: $q bytes held"
[ "$(px_field p2 bytes_up)" = 0 ] || px_fail "stall: p2 forwarded $(px_field p2 bytes_up) bytes"
px_ctl p2 resume
wait "$feeder"
px_close e
px_expect_exit e 0
cmp "$W/mb" "$W/e.out" || px_fail "1 MB through a stalled, then resumed, proxy differs"
echo "ok: stall limit ($q bytes held of 1 MB), then all of it delivered"

# --- peers vanishing mid-stream -------------------------------------------------------------
# An endless stream from a client; the feeder dies of SIGPIPE when the client is gone.
px_spawn f 7 "$PROXY" --client "$P2PORT"
cat /dev/zero >&7 2>/dev/null &
feeder=$!
px_poll px_stat_ge p2 bytes_up 100000 || px_fail "no data through p2"
px_kill f
px_close f
wait "$feeder" 2>/dev/null
px_expect_stat p2 conns 0
echo "ok: a client killed mid-stream"

up=$(px_stat p2 bytes_up)
px_spawn g 7 "$PROXY" --client "$P2PORT"
cat /dev/zero >&7 2>/dev/null &
feeder=$!
px_poll px_stat_ge p2 bytes_up $((up + 100000)) || px_fail "no data through p2"
px_kill echo
px_close echo
# The dead target's kernel sent a reset or, with nothing unread, an end of file: the client
# sees one or the other. Either way its connection ends.
px_expect_exit g any
px_close g
wait "$feeder" 2>/dev/null
px_expect_stat p2 conns 0
px_spawn h 7 "$PROXY" --client "$P2PORT"
px_expect_exit h nonzero
px_close h
grep -q 'cannot connect to the target' "$W/p2.err" \
    || px_fail "p2 did not report the dead target: $(cat "$W/p2.err")"
px_expect_stat p2 conns 0
echo "ok: the target killed mid-stream; new connections reset; the proxy still answers"

# --- bad commands, quit, end of stdin -------------------------------------------------------
px_send proxy 'delay soon'
px_send proxy frobnicate
has_errs() {
    grep -q '^err delay soon: ' "$W/proxy.out" && grep -q '^err frobnicate: ' "$W/proxy.out"
}
px_poll has_errs || px_fail "no 'err' answers to bad commands: $(tail -n 3 "$W/proxy.out")"
px_ctl proxy quit
px_expect_exit proxy 0
px_close proxy
px_close p2
px_expect_exit p2 0
echo "PASS: proxy"
