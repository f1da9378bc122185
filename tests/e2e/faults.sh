#!/bin/bash
# Faults between a guest and the host, through tests/tools/proxy: the link is cut (and new
# connections refused) while the guest edits, then restored; the link stalls, then resumes.
# Edits made on both sides while apart must arrive exactly once, and everyone converge.
set -u
builddir=${builddir:-.}
srcdir=${srcdir:-.}
. "$srcdir/tests/e2e/netlib.sh"
PX_DIR=$NET_DIR
PROXY=$builddir/tests/tools/proxy
. "$srcdir/tests/e2e/proxy-lib.sh"
trap 'px_kill_all 2>/dev/null; net_cleanup' EXIT

printf 'shared start\n' >"$NET_DIR/doc.txt"
serve_start "$NET_DIR/doc.txt"
port=${TICKET##*:}
px_start p 4 "$PROXY" 127.0.0.1 "$port"
via_proxy=${TICKET%:*}:$(px_port p)

client_start dana "$via_proxy"
client_start ed
client_wait dana '^state online' || fail "dana (through the proxy) did not join"
client_wait ed '^state online' || fail "ed did not join"


client_send dana type 100 11 1
client_send ed type 100 12 1
client_wait dana '^typed 100' 20 || fail "dana did not finish typing"
client_wait ed '^typed 100' 20 || fail "ed did not finish typing"
converge dana ed

# Cut the link and keep it down; both sides edit meanwhile.
px_ctl p refuse on
px_ctl p cut
client_wait dana '^state reconnecting' 30 || fail "dana did not notice the cut"
client_send dana type 40 13 1
client_wait dana '^typed 40' 20 || fail "dana could not type offline"
# (Last, so that none of dana's own random edits lands inside it.)
client_send dana insert 0 MARKER-WHILE-CUT%20
client_wait dana '^ok' || fail "dana could not edit offline"
client_send ed type 40 14 1
client_wait ed '^typed 40' 20 || fail "ed could not type"
px_ctl p refuse off
client_wait dana '^state online' 30 || fail "dana did not reconnect"
converge dana ed
"$WEFT" cat "$TICKET" >"$NET_DIR/cut.txt" || fail "weft cat failed"
n=$(grep -o MARKER-WHILE-CUT "$NET_DIR/cut.txt" | wc -l)
[ "$n" -eq 1 ] || fail "the edit made while cut arrived $n times, want 1"

# A stall: nothing passes for a while, then everything does, in order.
px_ctl p stall
client_send dana type 30 15 1
client_send ed type 30 16 1
client_wait dana '^typed 30' 20 || fail "dana could not type during the stall"
client_wait ed '^typed 30' 20 || fail "ed could not type during the stall"
px_ctl p resume
converge dana ed

# The link cut mid-frame, over and over, while the host's text flows to a new guest.
client_send ed type 400 17 0
client_wait ed '^typed 400' 30 || fail "ed did not finish typing"
px_ctl p cutafter 700
client_start fay "$via_proxy"
client_wait fay '^state (online|reconnecting)' 30 || fail "fay never got anywhere"
px_ctl p cutafter 0
client_wait fay '^state online' 40 || fail "fay did not get in once the cuts stopped"
converge dana ed fay
echo "PASS: faults"
