#!/bin/bash
# Crash recovery (issue 5, scenario 1): the host is SIGKILLed while three guests type; it is
# restarted with --recover; the guests reconnect by themselves and every edit typed by every
# participant is present exactly once. Also: serve refuses to guess when a journal exists,
# --discard starts over, a torn journal tail is cut off with a message, and a clean end
# removes the journal.
set -u
builddir=${builddir:-.}
srcdir=${srcdir:-.}
. "$srcdir/tests/e2e/netlib.sh"
export XDG_STATE_HOME=$NET_DIR/state

printf 'base line\n' >"$NET_DIR/doc.txt"
serve_start "$NET_DIR/doc.txt"
for c in a b c; do client_start $c; done
for c in a b c; do client_wait $c '^state online' || fail "$c did not join"; done

# Everyone leaves a trail of markers at the start of the text; the host dies mid-way.
client_send a mark 300 A 2
client_send b mark 300 B 2
client_send c mark 300 C 2
for ((i = 0; i < 200; i++)); do
    client_send a units
    client_wait a '^units ' || fail "a stopped answering"
    [ "${REPLY#units }" -gt 500 ] && break
done
kill -9 "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null
for c in a b c; do client_wait $c '^state reconnecting' 30 || fail "$c did not notice the crash"; done
for c in a b c; do client_wait $c '^marked 300' 30 || fail "$c did not finish its markers offline"; done

journal=$(ls "$XDG_STATE_HOME"/weft/*.journal 2>/dev/null | head -1)
[ -n "$journal" ] || fail "the host left no journal"

# Without a choice, serve refuses to guess.
if "$WEFT" serve "$NET_DIR/doc.txt" >/dev/null 2>"$NET_DIR/refuse.err"; then
    fail "serve started over a journal without --recover or --discard"
fi
grep -q -- '--recover' "$NET_DIR/refuse.err" || fail "no hint to --recover: $(cat "$NET_DIR/refuse.err")"

# Recover: same address, tokens and document; the guests come back by themselves.
old_ticket=$TICKET
serve_start "$NET_DIR/doc.txt" --recover
[ "$TICKET" = "$old_ticket" ] || fail "the recovered session has another ticket: $TICKET vs $old_ticket"
wait_log 'recovered the session' || fail "no recovery message"
for c in a b c; do client_wait $c '^state online' 40 || fail "$c did not reconnect"; done
converge a b c
"$WEFT" cat "$TICKET" >"$NET_DIR/after.txt" || fail "weft cat failed"
for p in A B C; do
    for ((i = 1; i <= 300; i++)); do
        n=$(grep -o "<$p-$i>" "$NET_DIR/after.txt" | wc -l)
        [ "$n" -eq 1 ] || fail "marker <$p-$i> is there $n times, want 1"
    done
done
grep -q '^base line' <(tail -c 20 "$NET_DIR/after.txt") || true

# A clean end saves and removes the journal.
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" || fail "serve did not end cleanly"
cmp "$NET_DIR/doc.txt" "$NET_DIR/after.txt" || fail "the saved file differs from the session"
[ -z "$(ls "$XDG_STATE_HOME"/weft/*.journal 2>/dev/null)" ] || fail "a clean end left the journal"

# A torn tail: crash again, chop the journal mid-record, recover what is intact.
serve_start "$NET_DIR/doc.txt"
client_start d
client_wait d '^state online' || fail "d did not join"
client_send d mark 50 D 1
client_wait d '^marked 50' 20 || fail "d did not finish"
client_send d sync
client_wait d '^synced ' 30 || fail "d never got in sync"
kill -9 "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null
journal=$(ls "$XDG_STATE_HOME"/weft/*.journal | head -1)
size=$(stat -c %s "$journal")
truncate -s $((size - 7)) "$journal"
client_send d quit
serve_start "$NET_DIR/doc.txt" --recover
wait_log 'torn or corrupt' || fail "a torn journal was not reported"
"$WEFT" cat "$TICKET" >"$NET_DIR/torn.txt" || fail "weft cat after a torn recovery failed"
n=$(grep -o '<D-[0-9]*>' "$NET_DIR/torn.txt" | wc -l)
[ "$n" -ge 40 ] || fail "only $n of d's 50 markers survived a 7-byte tear"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID"

# --discard starts over from the file.
serve_start "$NET_DIR/doc.txt"
kill -9 "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null
serve_start "$NET_DIR/doc.txt" --discard
wait_log 'discarded the journal' || fail "--discard did not say what it did"
echo "PASS: recover"
