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

echo "PASS: view"
