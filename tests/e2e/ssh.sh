#!/bin/bash
# An ssh:// ticket through a real sshd on a loopback port with a throwaway key: the guest
# runs `ssh -W HOST:PORT` and speaks the protocol over its stdio. SKIP (77) only when sshd
# cannot run here.
set -u
builddir=${builddir:-.}
srcdir=${srcdir:-.}
. "$srcdir/tests/e2e/netlib.sh"
. "$srcdir/tests/e2e/sshd.sh"
sshd_start || exit $?
trap 'sshd_stop; net_cleanup' EXIT

printf 'over ssh\n' >"$NET_DIR/doc.txt"
serve_start "$NET_DIR/doc.txt"
[ -n "$TICKET_SSH" ] || fail "no ssh ticket printed"
token=${TICKET#weft://}
token=${token%%@*}
target=${TICKET#*@}
ssh_ticket="ssh://$SSHD_USER@127.0.0.1:$SSHD_PORT/$token@$target"

client_start sam "$ssh_ticket"
client_start tcp
client_wait sam '^state online' 30 || fail "the ssh guest did not join"
client_wait tcp '^state online' || fail "the tcp guest did not join"
client_send sam type 100 21 1
client_send tcp type 100 22 1
client_wait sam '^typed 100' 20 || fail "sam did not finish typing"
client_wait tcp '^typed 100' 20 || fail "tcp did not finish typing"
for c in sam tcp; do
    client_send $c sync
    client_wait $c '^synced ' 30 || fail "$c never got in sync"
    eval "sum_$c=\$REPLY"
done
[ "$sum_sam" = "$sum_tcp" ] || fail "replicas differ: $sum_sam vs $sum_tcp"
WEFT_SSH=$WEFT_SSH "$WEFT" cat "$ssh_ticket" >"$NET_DIR/cat.txt" || fail "weft cat over ssh failed"
client_text tcp "$NET_DIR/tcp.txt"
cmp "$NET_DIR/cat.txt" "$NET_DIR/tcp.txt" || fail "weft cat over ssh differs"

# A wrong user/key: ssh's own words come back.
WEFT_SSH="ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -p $SSHD_PORT" \
    "$WEFT" cat "ssh://nobody@127.0.0.1:$SSHD_PORT/$token@$target" 2>"$NET_DIR/err.txt" \
    && fail "weft cat with a refused ssh login succeeded"
grep -qi 'denied\|permission\|closed' "$NET_DIR/err.txt" || fail "no useful message: $(cat "$NET_DIR/err.txt")"
echo "PASS: ssh"
