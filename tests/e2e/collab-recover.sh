#!/bin/sh
# `weft host` after a crash (issue 5): the editor is SIGKILLed while a guest types; the next
# `weft host FILE` asks whether to recover, recovers the text with the same ticket, and the
# guest reconnects by itself: every marker it typed is there exactly once. A clean quit after
# saving removes the journal.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/collablib.sh"
TESTCLIENT=${TESTCLIENT:-$PWD/tests/tools/testclient}
export XDG_STATE_HOME="$WORK/state"

printf 'alpha\n' >"$WORK/doc.txt"
start_as host 100 10 "$WEFT host --name hana doc.txt"
expect_on host "hosting"
TICKET=$(ticket_of host)
keys_to host Escape    # leave the tickets screen

mkfifo "$WORK/bot.in"
"$TESTCLIENT" --name bot "$TICKET" <"$WORK/bot.in" >"$WORK/bot.out" 2>"$WORK/bot.err" &
BOT=$!
exec 7>"$WORK/bot.in"
poll grep -q '^state online' "$WORK/bot.out" || fail "the bot did not join: $(cat "$WORK/bot.out")"
echo "mark 200 B 3" >&7
type_to host "typed by the host "
expect_on host "typed by the host"
# Kill the editor mid-way (no chance to save or clean up).
pid=$(t display-message -p -t host '#{pane_pid}')
poll grep -q 'units [0-9]' "$WORK/bot.out" 2>/dev/null || true
# The command was run by a shell in the pane: weft is its child. (By pid, not by name: a
# name would hit other tests' programs, and their tmux servers, running at the same time.)
pkill -9 -P "$pid" 2>/dev/null
kill -9 "$pid" 2>/dev/null
poll grep -q '^state reconnecting' "$WORK/bot.out" || fail "the bot did not notice: $(tail -3 "$WORK/bot.out")"
poll grep -q '^marked 200' "$WORK/bot.out" || fail "the bot did not finish its markers"
ls "$XDG_STATE_HOME"/weft/*.journal >/dev/null 2>&1 || fail "the editor left no journal"

# Asked, the user says yes: the same ticket, the text recovered, the bot back.
t kill-session -t host 2>/dev/null
start_as host2 100 10 "$WEFT host --name hana doc.txt"
expect_on host2 "Recover it"
keys_to host2 y Enter
expect_on host2 "hosting"
[ "$(ticket_of host2)" = "$TICKET" ] || fail "the recovered session has another ticket"
keys_to host2 Escape
poll grep -c '^state online' "$WORK/bot.out" | grep -q 2 \
    || poll sh -c "[ \$(grep -c '^state online' '$WORK/bot.out') -ge 2 ]" \
    || fail "the bot did not reconnect: $(tail -3 "$WORK/bot.out")"
echo sync >&7
poll grep -q '^synced' "$WORK/bot.out" || fail "the bot never got in sync"
"$WEFT" cat "$TICKET" >"$WORK/cat.txt" || fail "weft cat failed"
i=1
while [ $i -le 200 ]; do
    n=$(grep -o "<B-$i>" "$WORK/cat.txt" | wc -l)
    [ "$n" -eq 1 ] || fail "marker <B-$i> is there $n times, want 1"
    i=$((i + 1))
done
grep -q "typed by the host" "$WORK/cat.txt" || fail "the host's own typing was lost"

# Save and quit: the journal goes away.
keys_to host2 C-s
expect_on host2 "Saved"
keys_to host2 C-q
poll sh -c "! ls '$XDG_STATE_HOME'/weft/*.journal >/dev/null 2>&1" \
    || fail "a clean quit after saving left the journal"
cmp "$WORK/doc.txt" "$WORK/cat.txt" || fail "the saved file differs from the session"
echo quit >&7
wait $BOT
echo "PASS: collab-recover"
