#!/bin/sh
# The editor's other features through a real terminal (tmux): wide characters and emoji
# with exact cursor placement, visible escapes for invalid bytes and control characters,
# CRLF files, bracketed paste as one undo step, mouse clicks, F1 help, line numbers,
# resize, the collaboration keys outside a session, a file changed on disk, a failed save,
# quitting with unsaved changes, and SIGTERM keeping unsaved text.
. "${srcdir:-.}/tests/e2e/lib.sh"

# --- display and cursor placement -------------------------------------------------------
printf 'a\344\270\255\346\226\207b\n\360\237\230\200x\ne\314\201z\nbad\237\001\tend\r\nlast' \
    >"$WORK/u.txt"
cp "$WORK/u.txt" "$WORK/u.orig"
start 60 12 "$WEFT u.txt"
expect_row 0 "a中文b"
expect_row 1 "😀x"
expect_row 3 'bad\x9f^A       end'
expect_row 4 "last"
keys End
expect_cursor "6,0"           # a(1) 中(2) 文(2) b(1)
keys Left Left
expect_cursor "3,0"           # before 文
keys Down
expect_cursor "3,1"           # column 3 is the end of "😀x"
keys Left
expect_cursor "2,1"
keys Left
expect_cursor "0,1"           # the emoji is one step
keys Down End
expect_cursor "2,2"           # e + combining acute is one column
keys Down End
expect_cursor "19,3"          # bad, \x9f, ^A, the tab to 16, "end"; the CR LF is the break
keys C-s
expect_screen "Saved 5 lines"
cmp -s "$WORK/u.txt" "$WORK/u.orig" || fail "an unchanged save changed the bytes"

# A wide character typed: the cursor moves two columns; Backspace removes it whole.
keys C-Home
type_text "日"
expect_row 0 "日a中文b"
expect_cursor "2,0"
type_text "é"
keys BSpace BSpace
expect_row 0 "a中文b"
expect_cursor "0,0"

# --- line numbers, resize, help, collaboration keys ------------------------------------
keys M-n
expect_row 0 "1 a中文b"
keys M-n
expect_row 0 "a中文b"
t resize-window -t main -x 64 -y 8
expect_screen "Ln 1, Col 1"
# Too narrow for every item: as many as fit, and F1 Help (the way to every key) at the end.
expect_row 7 "^S Save  ^Q Quit  ^F Find  ^R Replace  ^G Go to          F1 Help"
keys F1
expect_screen "weft 0.1.0 - keys"
expect_screen "Shift-Left"
keys Escape
expect_row 0 "a中文b"
keys C-t
expect_screen "Not in a shared session"
keys Escape
expect_no_screen "Not in a shared session"
keys C-o
expect_screen "Not in a shared session"
keys C-q
expect_screen "Save changes? (y/n/Esc)"
keys n
expect_exit 0
cmp -s "$WORK/u.txt" "$WORK/u.orig" || fail "discarding changes changed the file"

# --- CRLF, paste, mouse -------------------------------------------------------------------
printf 'one\r\ntwo\r\n' >"$WORK/crlf.txt"
stop_server
start 80 10 "$WEFT crlf.txt"
expect_row 0 "one"
expect_screen "CRLF"
keys End Enter
type_text "1.5"
expect_row 1 "1.5"
# Bracketed paste (tmux sends it so because weft asked for it): one change, one undo.
t set-buffer -b clip "$(printf 'p1\np2')"
t paste-buffer -p -b clip -t main
expect_row 2 "p2"
keys C-z
expect_row 1 "1.5"
expect_row 2 "two"
# Mouse: a click on row 2, column 1 puts the cursor there.
t send-keys -t main -l "$(printf '\033[<0;2;3M\033[<0;2;3m')"
expect_screen "Ln 3, Col 2"
type_text "w"
expect_row 2 "twwo"
keys C-s
expect_screen "Saved"
expect_file "$WORK/crlf.txt" 'one\r\n1.5\r\ntwwo\r\n'

# --- changed on disk, failed save, quit prompt ---------------------------------------------
printf 'changed elsewhere\n' >"$WORK/crlf.txt"
type_text "!"
keys C-s
expect_screen "changed on disk"
keys n
expect_screen "Not saved."
expect_file "$WORK/crlf.txt" 'changed elsewhere\n'
keys C-q
expect_screen "Save changes before quitting?"
keys Escape
expect_no_screen "Save changes before quitting?"
keys C-q
expect_screen "Save changes before quitting?"
keys n
expect_exit 0
expect_file "$WORK/crlf.txt" 'changed elsewhere\n'

mkdir "$WORK/sub"
printf 'x\n' >"$WORK/sub/f.txt"
stop_server
start 200 10 "$WEFT sub/f.txt"
expect_row 0 "x"
type_text "y"
rm -r "$WORK/sub"
keys C-s
expect_screen "changed on disk"
keys y
expect_screen "Not saved: could not create a temporary file"
expect_screen "directory no longer exists"
expect_row 0 "yx"
mkdir "$WORK/sub"
keys C-s y
expect_screen "Saved 1 line"
expect_file "$WORK/sub/f.txt" 'yx\n'

# --- SIGTERM with unsaved changes: written beside the file, terminal restored ----------
type_text "z"
expect_row 0 "yzx"
kill -TERM "$(program_pid)"
expect_exit 1
expect_file "$WORK/sub/f.txt.weft-save" 'yzx\n'
expect_file "$WORK/sub/f.txt" 'yx\n'
echo "PASS: features"

# --- horizontal scrolling; copy reaches the terminal's clipboard (OSC 52) -----------------
stop_server
long=$(awk 'BEGIN { for (i = 0; i < 30; i++) printf "word%02d ", i }')
printf '%s\nshort\n' "$long" >"$WORK/long.txt"
start 80 10 "$WEFT long.txt"
t set-option -g set-clipboard on
expect_row 0 "$(printf '%s' "$long" | cut -c1-80 | sed 's/ *$//')"
keys End
expect_screen "Ln 1, Col 211"
expect_row 0 "$(printf '%s' "$long" | cut -c152- | sed 's/ *$//')"
expect_cursor "59,0"
keys Down
expect_screen "Ln 2, Col 6"
expect_row 0 "$(printf '%s' "$long" | cut -c1-80 | sed 's/ *$//')"
clipboard_is() { [ "$(t show-buffer 2>/dev/null)" = "$1" ]; }
keys Home S-End C-c
expect_screen "Copied."
poll clipboard_is "short" || fail "the terminal's clipboard has '$(t show-buffer 2>&1)', not 'short'"
keys C-q
expect_exit 0
echo "PASS: scrolling and clipboard"

# --- a fatal signal restores the terminal (normal screen, no mouse reports) -------------
for sig in SEGV ABRT; do
    stop_server
    start 80 10 "$WEFT sub/f.txt"
    expect_row 0 "yx"
    [ "$(t display-message -p -t main '#{alternate_on}#{mouse_any_flag}')" = 11 ] ||
        fail "weft did not switch to the alternate screen with mouse reports on"
    kill -"$sig" "$(program_pid)"
    poll exited || fail "weft did not die of SIG$sig"
    [ "$(exit_status)" -gt 128 ] || fail "exit status $(exit_status) after SIG$sig"
    [ "$(t display-message -p -t main '#{alternate_on}#{mouse_any_flag}')" = 00 ] ||
        fail "the terminal was not restored after SIG$sig"
done
echo "PASS: fatal signals"
