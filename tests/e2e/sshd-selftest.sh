#!/bin/sh
# Self-test of tests/e2e/sshd.sh: sshd_start gives a working sshd on loopback, and the ssh
# transport's command ($WEFT_SSH -W 127.0.0.1:PORT 127.0.0.1, what weft runs for an ssh://
# ticket) reaches a local TCP port (the proxy's echo server) both ways, with end of file
# passed on, 1 MB intact, several connections at once; a foreign key is refused; -W to a
# closed port fails visibly; a missing sshd is a SKIP (77); sshd_stop ends it.
set -u
. "${srcdir:-.}/tests/e2e/sshd.sh"
. "${srcdir:-.}/tests/e2e/proxy-lib.sh"
[ -x "$PROXY" ] || px_fail "$PROXY is not built"

# Without sshd: a visible SKIP line and 77.
out=$(SSHD=/nonexistent/sshd WEFT_SSHD_REQUIRED=0 sshd_start)
rc=$?
[ "$rc" -eq 77 ] || px_fail "sshd_start without sshd returned $rc, expected 77 ($out)"
case $out in
    "SKIP: /nonexistent/sshd is not installed"*) ;;
    *) px_fail "sshd_start without sshd printed '$out'" ;;
esac

PX_DIR=$(mktemp -d "${TMPDIR:-/tmp}/weft-sshd-test.XXXXXX")
W=$PX_DIR
cleanup() {
    px_kill_all
    sshd_stop
    px_poll rm -rf "$PX_DIR" || rm -rf "$PX_DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

sshd_start || exit $?
echo "sshd-selftest: sshd on 127.0.0.1:$SSHD_PORT for $SSHD_USER"
echo "sshd-selftest: WEFT_SSH=$WEFT_SSH"

px_start echo 3 "$PROXY" --echo
EPORT=$(px_port echo)

# ssh_w PORT: the ssh transport's command to 127.0.0.1:PORT (stdin/stdout are the stream).
ssh_w() {
    # shellcheck disable=SC2086 # WEFT_SSH is words
    timeout "$TIMEOUT" $WEFT_SSH -W "127.0.0.1:$1" "$SSHD_USER@127.0.0.1"
}

# Both ways, and the end of file passed on: ssh exits 0 once the echo server has closed.
printf 'through ssh\nsecond line' >"$W/small"
ssh_w "$EPORT" <"$W/small" >"$W/small.back" 2>"$W/small.err" \
    || px_fail "ssh -W to the echo server: exit status $?: $(cat "$W/small.err")"
cmp -s "$W/small" "$W/small.back" \
    || px_fail "through ssh -W: got '$(cat "$W/small.back")', expected '$(cat "$W/small")'"
echo "ok: ssh -W reaches 127.0.0.1:$EPORT and back, end of file included"

head -c 1000000 /dev/urandom >"$W/mb"
ssh_w "$EPORT" <"$W/mb" >"$W/mb.back" 2>"$W/mb.err" \
    || px_fail "1 MB through ssh -W: exit status $?: $(cat "$W/mb.err")"
cmp "$W/mb" "$W/mb.back" || px_fail "1 MB through ssh -W came back different"
echo "ok: 1 MB intact"

# Several at once, kept open: what a host with several ssh guests sees.
for n in 1 2 3; do
    px_spawn "s$n" $((5 + n)) timeout $((TIMEOUT * 3)) $WEFT_SSH -W "127.0.0.1:$EPORT" \
        "$SSHD_USER@127.0.0.1"
done
px_poll px_stat_is echo conns 3 || px_fail "3 ssh -W connections: the echo server has" \
    "$(px_field echo conns)"
for n in 1 2 3; do px_send "s$n" "hello $n"; done
for n in 1 2 3; do px_expect_out "s$n" "hello $n\n"; done
for n in 1 2 3; do
    px_close "s$n"
    px_expect_exit "s$n" 0
done
px_expect_stat echo conns 0
echo "ok: 3 concurrent ssh -W streams"

# A key that is not in authorized_keys: refused, nothing forwarded.
ssh-keygen -q -N '' -t ed25519 -f "$W/other" </dev/null || px_fail "ssh-keygen"
# shellcheck disable=SC2086
if timeout "$TIMEOUT" $(echo "$WEFT_SSH" | sed "s|-i $SSHD_KEY|-i $W/other|") \
    -W "127.0.0.1:$EPORT" "$SSHD_USER@127.0.0.1" <"$W/small" >"$W/other.back" 2>"$W/other.err"
then
    px_fail "a foreign key was let in"
fi
[ ! -s "$W/other.back" ] || px_fail "a foreign key got '$(cat "$W/other.back")'"
grep -q 'Permission denied' "$W/other.err" \
    || px_fail "a foreign key: no 'Permission denied' from ssh: $(cat "$W/other.err")"
echo "ok: a foreign key is refused ($(head -n 1 "$W/other.err"))"

# -W to a port where nothing listens: ssh fails and says why.
px_kill echo
px_close echo
if ssh_w "$EPORT" <"$W/small" >"$W/closed.back" 2>"$W/closed.err"; then
    px_fail "ssh -W to a closed port succeeded"
fi
grep -q -e 'forwarding failed' -e 'open failed' "$W/closed.err" \
    || px_fail "ssh -W to a closed port: no 'forwarding failed': $(cat "$W/closed.err")"
echo "ok: ssh -W to a closed port fails ($(head -n 1 "$W/closed.err"))"

# sshd_stop: nothing listens on the port any more, and the directory is gone.
dir=$SSHD_DIR
port=$SSHD_PORT
sshd_stop
[ ! -e "$dir" ] || px_fail "sshd_stop left $dir"
if timeout "$TIMEOUT" "$PROXY" --client "$port" </dev/null >/dev/null 2>&1; then
    px_fail "something still answers on $port after sshd_stop"
fi
echo "PASS: sshd harness"
