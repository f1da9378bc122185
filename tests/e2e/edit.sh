#!/bin/sh
# A local editing session through a real terminal (tmux): type, move, go to a line, Enter
# with indentation, select, cut, paste, undo, redo, find and replace, word moves, save, quit.
# The file on disk must be exactly what the keys made.
. "${srcdir:-.}/tests/e2e/lib.sh"

printf 'alpha beta\n    gamma\ndelta\n' >"$WORK/doc.txt"
start 80 12 "$WEFT doc.txt"
expect_row 0 "alpha beta"
expect_screen "doc.txt"
expect_screen "Ln 1, Col 1"

# Type at the end of the file.
keys C-End
expect_screen "Ln 4, Col 1"
type_text "epsilon"
expect_row 3 "epsilon"
expect_screen "doc.txt [modified]"

# Go to line 2, break it at its end: the new line keeps the indentation.
keys C-g
expect_screen "Go to line"
type_text "2"
keys Enter
expect_screen "Ln 2, Col 1"
keys End Enter
type_text "zeta"
expect_row 2 "    zeta"
expect_cursor "8,2"

# Shift+Home selects back to the indentation; cut it, paste it at the top.
keys S-Home
expect_screen "Ln 3, Col 5"
keys C-x
expect_row 2 ""
keys C-Home C-v
expect_row 0 "zetaalpha beta"

# Undo the paste, redo it, undo it again.
keys C-z
expect_row 0 "alpha beta"
keys C-y
expect_row 0 "zetaalpha beta"
keys C-z
expect_row 0 "alpha beta"

# Find "delta" and type over the match.
keys C-f
expect_screen "Find"
type_text "delta"
keys Enter
expect_no_screen "Find ("
type_text "DELTA"
expect_row 3 "DELTA"

# Find wraps around: from the end, "beta" is found on the first line.
keys C-End C-f
type_text "beta"
expect_screen "Search wrapped around"
keys Enter
expect_screen "Ln 1, Col 11"

# Word moves: Ctrl-Left/Right.
keys C-Home C-Right
expect_screen "Ln 1, Col 6"
type_text "!"
keys C-Right C-Right
expect_screen "Ln 2, Col 10"
keys C-Left
expect_screen "Ln 2, Col 5"

# Home at the indentation goes to column 1; Shift+Down selects the line; Backspace deletes
# it; undo brings it back.
keys Home
expect_screen "Ln 2, Col 1"
keys S-Down
expect_screen "Ln 3, Col 1"
keys BSpace
expect_row 2 "DELTA"
keys C-z
expect_row 1 "    gamma"

keys C-s
expect_screen "Saved 5 lines"
expect_no_screen "[modified]"
expect_file "$WORK/doc.txt" 'alpha! beta\n    gamma\n    \nDELTA\nepsilon'

keys C-q
expect_exit 0
# The terminal is given back: normal screen, no mouse reports.
[ "$(t display-message -p -t main '#{alternate_on}#{mouse_any_flag}')" = 00 ] ||
    fail "the terminal was not restored on exit"
echo "PASS: edit session"

# Select all, delete, undo: the restored text is on screen at once, where it was (the view
# was anchored in the deleted text, and used to land after all of it: a blank screen).
stop_server
awk 'BEGIN { for (i = 0; i < 300; i++) printf "line %03d\n", i }' >"$WORK/many.txt"
start 80 12 "$WEFT many.txt"
expect_row 0 "line 000"
keys C-a
expect_row 0 "line 291"
keys Delete
expect_row 0 ""
expect_screen "Ln 1, Col 1"
keys C-z
expect_screen "Ln 301, Col 1"
expect_row 0 "line 291"
expect_row 8 "line 299"
expect_no_screen "[modified]"
echo "PASS: undoing a delete of everything shows the text"
