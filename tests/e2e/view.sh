#!/bin/sh
# The view of issue 14 on a real terminal (tmux): the matching bracket highlighted and
# Alt-] jumping to it; soft wrap (Alt-S, and the softwrap setting) with Up and Down by
# screen rows. HOME and XDG_CONFIG_HOME point into the test's directory.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/colours.sh"

mkdir -p "$WORK/home/.config/weft"
ENV="env HOME=$WORK/home XDG_CONFIG_HOME=$WORK/home/.config"

# --- brackets -----------------------------------------------------------------------------
printf 'int main(void)\n{\n    f(a[1], {2});\n}\n' >"$WORK/b.txt"
start 60 12 "$ENV $WEFT b.txt"
expect_screen "Ln 1, Col 1"
expect_styled_row 0 'int main(void)'
keys Right Right Right Right Right Right Right Right
expect_styled_row 0 'int main{b,u}({}void{b,u})'
keys M-]
expect_cursor "13,0"
expect_screen "Ln 1, Col 14"
keys M-]
expect_cursor "8,0"
# from a closing bracket back, over nested ones of other kinds
keys Down Down End Left Left
expect_styled_row 2 '    f{b,u}({}a[1], {2}{b,u}){};'
keys M-]
expect_cursor "5,2"
# on no bracket: a message, the cursor stays
keys Home
keys M-]
expect_screen "Not on a bracket"
expect_cursor "4,2"
# the bracket of a line far down matches one far up
awk 'BEGIN { print "{"; for (i = 0; i < 3000; i++) print "  x;"; print "}" }' >"$WORK/far.txt"
stop_server
start 60 12 "$ENV $WEFT far.txt"
expect_screen "Ln 1, Col 1"
keys M-]
expect_screen "Ln 3002, Col 1"
keys M-]
expect_screen "Ln 1, Col 1"

# --- soft wrap ----------------------------------------------------------------------------
# A 110-column line in 30 columns: rows of 30, 30, 30, 20; Up and Down go by rows.
printf 'short\n%s\nend\n' "$(seq -s ' ' 1 40)" >"$WORK/w.txt"
stop_server
start 30 8 "$ENV $WEFT w.txt"
expect_screen "Ln 1, Col 1"
expect_row 1 "1 2 3 4 5 6 7 8 9 10 11 12 13"
expect_row 2 "end"
keys M-s
expect_row 1 "1 2 3 4 5 6 7 8 9 10 11 12 13"
expect_row 2 "14 15 16 17 18 19 20 21 22 23"
expect_row 4 "34 35 36 37 38 39 40"
expect_row 5 "end"
keys Down Down Right Right
expect_screen "Ln 2, Col 33"
expect_cursor "2,2"
keys End
expect_cursor "20,4"
keys Down
expect_screen "Ln 3, Col 4"
expect_cursor "3,5"
keys Up Up                      # the column kept from the first Down: 20
expect_screen "Ln 2, Col 81"
expect_cursor "20,3"
# Down past the last row scrolls by rows: "short" goes off the top, and the long line's
# first row is the top row.
keys Down Down Down
expect_screen "Ln 4, Col 1"
expect_row 0 "1 2 3 4 5 6 7 8 9 10 11 12 13"
expect_row 4 "end"
expect_cursor "0,5"
# Alt-S again: lines are cut at the edge once more, the view scrolled sideways
keys M-s
expect_screen "Soft wrap off"
expect_row 0 "1 2 3 4 5 6 7 8 9 10 11 12 13"
expect_row 1 "end"
# the setting starts with it on
printf 'softwrap on\n' >"$WORK/home/.config/weft/weftrc"
stop_server
start 30 8 "$ENV $WEFT w.txt"
expect_row 2 "14 15 16 17 18 19 20 21 22 23"
rm "$WORK/home/.config/weft/weftrc"

echo "PASS: view"
