#!/bin/sh
# Wide characters, emoji and combining marks in a shared session: every participant's own
# cursor (the terminal's) and the others' cursors (cells in their colours) are at exact
# columns: a CJK character and an emoji take two columns, a combining mark none. The guest
# runs in a true-colour terminal where terminfo has one.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/collablib.sh"

printf 'a\344\270\255\346\226\207b\n\360\237\230\200x\ne\314\201z\n' >"$WORK/u.txt"
start_as host 60 10 "$WEFT host --name hana u.txt"
TICKET=$(ticket_of host)
[ -n "$TICKET" ] || fail "no ticket"
# The guest's terminal has true colour when terminfo knows one (tmux passes RGB through).
GUS_TERM=screen-256color
HANA="48;5;33"
if infocmp tmux-direct >/dev/null 2>&1; then
    GUS_TERM=tmux-direct
    HANA="48;2;0;135;255"   # the same hue as xterm's 33
fi
start_as gus 60 10 "$WEFT join --name gus '$TICKET'" "$GUS_TERM"
expect_on gus "online"
expect_row_on gus 0 "a中文b   hana"
expect_row_on gus 1 "😀x"
expect_row_on gus 2 "$(printf 'e\314\201z')"
E=$(printf 'e\314\201')   # e and a combining acute: one column
GUS="48;5;160"

# The guest after the emoji: its own cursor at column 2, and the host sees it there.
keys_to gus Down Right
expect_cursor_on gus "2,1"
expect_colour_at host 1 "$GUS" 2
expect_row_on host 1 "😀x   gus"
# On the emoji itself: the whole two-column cell is the guest's.
keys_to gus Left
expect_cursor_on gus "0,1"
expect_colour_at host 1 "$GUS" 0
# After a combining mark: one column.
keys_to gus Down Right
expect_cursor_on gus "1,2"
expect_colour_at host 2 "$GUS" 1
# Between the CJK characters, and at the end of the line (a coloured blank there).
keys_to host Right Right
expect_cursor_on host "3,0"
expect_colour_at gus 0 "$HANA" 3
keys_to host End
expect_cursor_on host "6,0"
expect_colour_at gus 0 "$HANA" 6
expect_row_on gus 0 "a中文b   hana"

# Typing wide text moves everyone's cursors by its width: the guest types an emoji and a
# CJK character before "z"; the host types one at the start of line 1, before the emoji.
type_to gus "👍日"
expect_cursor_on gus "5,2"
expect_row_on host 2 "${E}👍日z   gus"
expect_colour_at host 2 "$GUS" 5
keys_to host Down Home
type_to host "中"
expect_cursor_on host "2,1"
expect_row_on gus 1 "中😀x   hana"
expect_colour_at gus 1 "$HANA" 2
# The guest's view and cursor did not move for the host's edit on another line.
expect_cursor_on gus "5,2"

# Both save the same bytes: the guest asks, the host writes.
keys_to gus C-s
expect_on gus "hana: Saved 3 lines"
printf 'a\344\270\255\346\226\207b\n\344\270\255\360\237\230\200x\n' >"$WORK/want.txt"
printf 'e\314\201\360\237\221\215\346\227\245z\n' >>"$WORK/want.txt"
cmp -s "$WORK/u.txt" "$WORK/want.txt" || fail "the saved bytes differ: $(od -c "$WORK/u.txt")"

keys_to gus C-q
expect_exit_of gus 0
keys_to host C-q
expect_exit_of host 0
echo "PASS: collab-wide"
