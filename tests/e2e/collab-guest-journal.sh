#!/bin/sh
# A guest's own crash (issue 5): edits typed while the host is away are kept in the guest's
# journal; the guest is SIGKILLed; the next `weft join` with the same ticket resumes from the
# journal, and once the host is back the edits arrive there exactly once.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/collablib.sh"
export XDG_STATE_HOME="$WORK/state"

printf 'shared line\n' >"$WORK/doc.txt"
(cd "$WORK" && exec "$WEFT" serve doc.txt >"$WORK/tickets" 2>"$WORK/serve.log") &
SERVE=$!
poll grep -q '^read-write: ' "$WORK/tickets" || fail "serve printed no ticket"
TICKET=$(sed -n 's/^read-write: //p' "$WORK/tickets")

start_as gus 100 10 "$WEFT join --name gus '$TICKET'"
expect_on gus "online"
expect_row_on gus 0 "shared line"

# The host dies; gus keeps typing.
kill -9 $SERVE
wait $SERVE 2>/dev/null
expect_on gus "reconnecting"
type_to gus "GUEST-OFFLINE-EDIT "
expect_on gus "GUEST-OFFLINE-EDIT"
poll sh -c "ls '$XDG_STATE_HOME'/weft/join-*.journal >/dev/null 2>&1" || fail "the guest keeps no journal"
# Then gus dies too, without a word.
pid=$(t display-message -p -t gus '#{pane_pid}')
pkill -9 -P "$pid" 2>/dev/null # weft, the pane shell's child (not by name: see collab-recover.sh)
t kill-session -t gus 2>/dev/null

# The host comes back (recovering its own journal), then gus.
(cd "$WORK" && exec "$WEFT" serve doc.txt --recover >"$WORK/tickets2" 2>"$WORK/serve2.log") &
SERVE=$!
poll grep -q '^read-write: ' "$WORK/tickets2" || fail "serve --recover printed no ticket"
[ "$(sed -n 's/^read-write: //p' "$WORK/tickets2")" = "$TICKET" ] || fail "the ticket changed"
start_as gus2 100 10 "$WEFT join --name gus '$TICKET'"
expect_on gus2 "GUEST-OFFLINE-EDIT"
expect_on gus2 "online"
poll sh -c "'$WEFT' cat '$TICKET' | grep -q GUEST-OFFLINE-EDIT" || fail "the guest's offline edit never reached the host"
n=$("$WEFT" cat "$TICKET" | grep -o GUEST-OFFLINE-EDIT | wc -l)
[ "$n" -eq 1 ] || fail "the offline edit is there $n times, want 1"
# Confirmed by the host, the guest's journal goes when it quits.
expect_on gus2 "✓"
keys_to gus2 C-q
poll sh -c "! ls '$XDG_STATE_HOME'/weft/join-*.journal >/dev/null 2>&1" \
    || fail "the guest's journal stayed after everything was confirmed"
kill -TERM $SERVE
wait $SERVE
echo "PASS: collab-guest-journal"
