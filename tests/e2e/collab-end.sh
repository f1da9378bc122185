#!/bin/sh
# The host ends a session on purpose (issue 9): two guests who both call themselves ben are
# told apart by the host on every screen (ben, ben (2)); when the host quits, each guest is
# told who ended the session and why, and what of its own the host did not get: all of it
# for one, three characters typed while its weft was stopped (and so still unsent when the
# host quit) for the other, whose status line keeps the count. Neither reconnects; Ctrl-S
# saves a copy.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/collablib.sh"
export XDG_STATE_HOME="$WORK/state"
NAMES_RE='ana|ben|\(2\)' # "ben (2)" is two words for bare_rows

printf 'alpha\nbravo\n' >"$WORK/doc.txt"
start_as host 200 10 "$WEFT host --name ana doc.txt"
expect_on host "hosting"
TICKET=$(ticket_of host)
start_as ben 200 10 "$WEFT join --name ben '$TICKET'"
expect_on ben "online"
start_as ben2 200 10 "$WEFT join --name ben '$TICKET'"
expect_on ben2 "online"

# --- the same name twice: the host gives the second one a number, for everyone -----------
expect_on host " ben   ben (2) "
expect_on ben " ana   ben (2) "
expect_on ben2 " ana   ben "
expect_not_on ben2 "ben (2) "

type_to ben "from ben "
expect_row_on host 0 "from ben alpha   ben   ben (2)"
expect_same_rows 2 host ben ben2
keys_to host C-s
expect_on host "Saved"

# --- the host quits while ben (2)'s last edit has not gone out -----------------------------
# Its weft is stopped while its keys wait in the terminal; the host quits meanwhile. When it
# runs again, it reads the keys (they came first) before the host's goodbye.
ben2_pid=$(pgrep -P "$(t display-message -p -t ben2 '#{pane_pid}')")
[ -n "$ben2_pid" ] || fail "cannot find ben (2)'s weft"
kill -STOP "$ben2_pid"
type_to ben2 "xyz"
keys_to host C-q
expect_exit_of host 0
kill -CONT "$ben2_pid"
expect_on ben "ana ended the session (quit). All your edits reached ana and were saved."
expect_on ben "session ended"
expect_on ben2 "ana ended the session (quit). 3 characters you typed did not reach ana:"
expect_on ben2 "session ended 3 unsent"
# The file has what the host got, not the three characters.
grep -q xyz "$WORK/doc.txt" && fail "the host saved ben (2)'s unsent edit"
grep -q "from ben alpha" "$WORK/doc.txt" || fail "the host did not save ben's edit"

# --- nothing reconnects; Ctrl-S saves a copy ------------------------------------------------
keys_to ben2 C-s
expect_on ben2 "Save a copy to"
keys_to ben2 Enter
expect_on ben2 "Saved a copy (2 lines) to doc.txt.weft-copy."
grep -q "xyz" "$WORK/doc.txt.weft-copy" || fail "the copy lacks the unsent edit"
grep -q "from ben" "$WORK/doc.txt.weft-copy" || fail "the copy lacks the session's text"
expect_not_on ben2 "reconnecting"
expect_not_on ben2 "online"
# Leaving with unsent edits asks first.
keys_to ben2 C-q
expect_on ben2 "have not reached the host"
keys_to ben2 y
expect_exit_of ben2 0
keys_to ben C-q
expect_exit_of ben 0
echo "PASS: collab-end"
