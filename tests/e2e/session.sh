#!/bin/bash
# A session on loopback: `weft serve` and headless guests typing at once. Every replica,
# `weft cat` and the saved file must end up equal; a wrong token is refused while the others
# go on; a guest killed mid-typing leaves the others unaffected; a read-only guest's edits
# are refused; SIGTERM saves and tells the guests the session is over; `weft cat | head`
# ends quietly.
set -u
builddir=${builddir:-.}
srcdir=${srcdir:-.}
. "$srcdir/tests/e2e/netlib.sh"

printf 'The base text of the file.\nSecond line.\n' >"$NET_DIR/doc.txt"
serve_start "$NET_DIR/doc.txt" --read-only-guests
[ -n "$TICKET_RO" ] || fail "no read-only ticket printed"

for c in alice bob carol; do client_start $c; done
for c in alice bob carol; do client_wait $c '^state online' || fail "$c did not join"; done
wait_log 'joined: carol' || fail "the host did not log carol's join"

# Everyone types at once, at random places.
client_send alice type 300 1 1
client_send bob type 300 2 1
client_send carol type 300 3 1
for c in alice bob carol; do client_wait $c '^typed 300' 30 || fail "$c did not finish typing"; done

converge alice bob carol
echo "converged: $CONVERGED"

# weft cat sees the same text, and the host's file after a save is that text too.
"$WEFT" cat "$TICKET" >"$NET_DIR/cat.txt" || fail "weft cat failed"
client_text alice "$NET_DIR/alice.txt"
cmp "$NET_DIR/cat.txt" "$NET_DIR/alice.txt" || fail "weft cat differs from alice's text"
len=$(echo "$CONVERGED" | cut -d' ' -f2)
[ "$(wc -c <"$NET_DIR/cat.txt")" -eq "$len" ] || fail "cat printed $(wc -c <"$NET_DIR/cat.txt") bytes, replicas have $len units"
client_send bob save
client_wait bob '^saved ok' || fail "the host did not save for bob"
cmp "$NET_DIR/doc.txt" "$NET_DIR/cat.txt" || fail "the saved file differs from the session's text"

# A wrong token is refused, and the others go on.
bad=$(echo "$TICKET" | sed 's#weft://[^@]*@#weft://AAAAAAAAAAAAAAAAAAAAAA@#')
client_start mallory "$bad"
client_wait mallory '^state offline .*wrong token' || fail "a wrong token was not refused"
wait_log 'refused .*wrong token' || fail "the host did not log the refusal"
client_send alice type 50 4 1
client_wait alice '^typed 50' 20 || fail "alice could not go on typing"
converge alice bob carol

# A read-only guest sees the text; its edits are refused and do not spread.
client_start reader "$TICKET_RO"
client_wait reader '^state online' || fail "the read-only guest did not join"
client_send reader insert 0 SHOULD-NOT-APPEAR
client_wait reader '^notice .*read-only' || fail "the read-only guest was not told"
"$WEFT" cat "$TICKET" >"$NET_DIR/cat2.txt" || fail "weft cat failed"
grep -q SHOULD-NOT-APPEAR "$NET_DIR/cat2.txt" && fail "a read-only guest's edit was applied"

# A guest killed while typing leaves the others unaffected.
client_send carol type 100000 5 1
for ((i = 0; i < 200; i++)); do
    client_send carol units
    client_wait carol '^units ' || fail "carol stopped answering"
    [ "${REPLY#units }" -gt 50 ] && break
done
kill -9 "${CLIENT_PID[carol]}"
wait "${CLIENT_PID[carol]}" 2>/dev/null
wait_log 'left: carol' 30 || fail "the host did not notice carol's death"
client_send bob type 50 6 1
client_wait bob '^typed 50' 20 || fail "bob could not go on typing"
converge alice bob
"$WEFT" cat "$TICKET" >"$NET_DIR/cat3.txt" || fail "weft cat failed after the kill"
client_text alice "$NET_DIR/alice3.txt"
cmp "$NET_DIR/cat3.txt" "$NET_DIR/alice3.txt" || fail "cat differs from alice after the kill"

# SIGTERM saves what changed and stops.
kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
status=$?
[ "$status" -eq 0 ] || fail "weft serve exited $status on SIGTERM"
cmp "$NET_DIR/doc.txt" "$NET_DIR/cat3.txt" || fail "SIGTERM did not save the session's text"
# The guests are told that the session is over, why, and that the host had all their edits.
for c in alice bob; do
    client_wait $c '^state ended .* ended the session \(stopped by SIGTERM\)$' ||
        fail "$c was not told the session ended"
    client_wait $c '^goodbye .* reason 2 saved 1 unsent 0 all 1$' || fail "$c's goodbye"
done

# A reader that stops early (head) ends weft cat quietly: status 0, nothing on stderr.
# 4 MB, far more than a pipe holds, so that weft is still writing when head has gone.
head -c 3000000 /dev/urandom | base64 >"$NET_DIR/big.txt"
serve_start "$NET_DIR/big.txt"
"$WEFT" cat "$TICKET" 2>"$NET_DIR/cat-head.err" | head -1 >"$NET_DIR/cat-head.out"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] ||
    fail "weft cat | head -1: weft exited $status: $(cat "$NET_DIR/cat-head.err")"
[ ! -s "$NET_DIR/cat-head.err" ] || fail "weft cat | head -1 said: $(cat "$NET_DIR/cat-head.err")"
[ "$(cat "$NET_DIR/cat-head.out")" = "$(head -1 "$NET_DIR/big.txt")" ] ||
    fail "weft cat | head -1 printed another first line"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" || fail "weft serve of the big file did not end cleanly"
echo "PASS: session"
