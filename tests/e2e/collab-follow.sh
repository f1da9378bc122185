#!/bin/sh
# Following in a long file: a guest follows the host (Ctrl-O), the host jumps to line 5000
# and then 9000 with Ctrl-G, and the guest's view shows the host's line with the host's
# cursor in the host's colour, while the guest's own cursor stays on line 1; the guest's
# own key stops following and brings its view back; then the host follows the guest.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/collablib.sh"

seq 1 10000 | sed 's/^/line /' >"$WORK/long.txt"
start_as host 80 12 "$WEFT host --name hana long.txt"
TICKET=$(ticket_of host)
[ -n "$TICKET" ] || fail "no ticket"
start_as gus 60 10 "$WEFT join --name gus '$TICKET'"
expect_on gus "online"
expect_row_on gus 0 "line 1   hana"

# Ctrl-O: the chooser lists the host; Enter follows.
keys_to gus C-o
expect_on gus "Follow"
expect_on gus ">hana<"
keys_to gus Enter
expect_on gus "following hana"

# The host jumps: its line is centred on its 10 text rows (top 4995); the guest, with 8
# rows, sees the same top since the host's line fits.
keys_to host C-g
type_to host 5000
keys_to host Enter
# (the guest's cursor, on line 1, is above the host's screen: tagged at its edge)
expect_row_on host 0 "$(printf '%-72s' 'line 4995')gus $(printf '\342\206\221') 1"
expect_row_on gus 0 "line 4995"
expect_row_on gus 5 "line 5000   hana"
expect_colour_at gus 5 "48;5;33" 0
keys_to host C-g
type_to host 9000:3
keys_to host Enter
expect_row_on gus 5 "line 9000   hana"
expect_colour_at gus 5 "48;5;33" 2
# The host types there: the guest sees it, and its own cursor has not moved.
type_to host "HI"
expect_row_on gus 5 "liHIne 9000   hana"
expect_on gus "Ln 1, Col 1"
# Moving down a page takes the guest along.
keys_to host PageDown
expect_on host "Ln 9009, Col 5"
expect_on gus "line 9009   hana"
expect_cursor_hidden_on gus   # its own caret is off the screen

# A key of the guest's stops following; its view returns to its own cursor.
keys_to gus Right
expect_on gus "Stopped following hana."
expect_row_on gus 0 "line 1"
expect_not_on gus " following hana  "
expect_cursor_on gus "1,0"

# The host follows the guest: its view goes to line 1, where the guest is.
keys_to host C-o
expect_on host ">gus<"
keys_to host Enter
expect_on host "following gus"
expect_row_on host 0 "line 1   gus"
expect_colour_at host 0 "48;5;160" 1
keys_to gus C-g
type_to gus 7000
keys_to gus Enter
expect_on host "line 7000   gus"
# The host's own cursor is still on line 9009.
expect_on host "Ln 9009, Col 5"
# Esc stops following too (and clears the message); the view stays where it is.
keys_to host Escape
expect_not_on host " following gus  "
expect_row_on host 4 "line 7000   gus"

keys_to gus C-q
expect_exit_of gus 0
keys_to host C-q
expect_on host "Save changes"
keys_to host n
expect_exit_of host 0
echo "PASS: collab-follow"
