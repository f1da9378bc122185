#!/bin/sh
# A shared session in the editor: `weft host` and two `weft join` guests, each in a tmux
# session of its own (one guest in an 8-colour terminal), typing at once at the same spot
# and elsewhere. All three screens converge to the same text; each draws the other two
# cursors in their colours at the right cells, with their names after the line; the
# status lines list the participants; a guest's Ctrl-Z removes only its own edits; a
# guest's Ctrl-S saves the host's file, which then equals the text and `weft cat`; a
# headless guest (tests/tools/testclient) typing at random places converges with them.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/collablib.sh"
TESTCLIENT=${TESTCLIENT:-$PWD/tests/tools/testclient}

printf 'alpha\nbravo\ncharlie\n' >"$WORK/doc.txt"
start_as host 200 12 "$WEFT host --name hana doc.txt"
expect_on host "Sharing doc.txt: Ctrl-T shows the join tickets."
expect_on host "hosting  Ln 1, Col 1"
TICKET=$(ticket_of host)
case "$TICKET" in weft://*@127.0.0.1:*) ;; *) fail "no ticket: '$TICKET'" ;; esac
expect_row_on host 0 "alpha"

start_as gus 200 12 "$WEFT join --name gus '$TICKET'"
expect_on gus "online"    # gus first: the host gives colours in order of arrival
start_as ivy 200 12 "$WEFT join --name ivy '$TICKET'" screen   # 8 colours
expect_on gus "doc.txt (hana)"
expect_on ivy "doc.txt (hana)"
expect_row_on gus 0 "alpha   hana   ivy"
expect_row_on ivy 0 "alpha   hana   gus"
# Everyone is listed in the status lines: the host sees both guests, each guest the others.
expect_on host " gus   ivy "
expect_on gus " hana   ivy "
expect_on ivy " hana   gus "
expect_on gus "online"

# --- typing at once at the same spot, then elsewhere ------------------------------------
for who in host gus ivy; do keys_to $who End; done
# One tmux command writes the three runs to the three terminals within microseconds, so
# they cross on the network (a key at a time would be sequential typing, each seeing the
# others' letters first, and rightly interleaved).
t send-keys -t host -l HHHH \; send-keys -t gus -l GGGG \; send-keys -t ivy -l IIII
expect_same_rows 4 host gus ivy
line0=$(bare_rows host 1)
# Runs of typing are never interleaved (FugueMax): each run of four stays whole.
echo "$line0" | grep -Eq '^alpha(HHHH|GGGG|IIII){3}$' || fail "line 0 interleaved: '$line0'"
for r in HHHH GGGG IIII; do
    case "$line0" in *$r*) ;; *) fail "line 0 lacks $r: '$line0'" ;; esac
done
keys_to gus Down End
type_to gus " gus"
keys_to ivy Down Down End
type_to ivy " ivy"
expect_same_rows 4 host gus ivy
expect_row_on host 1 "bravo gus   gus"
expect_row_on host 2 "charlie ivy   ivy"

# --- the others' cursors, in their colours, at the right cells -------------------------
# The host picks colours: hana 0 (xterm 33, blue), gus 1 (160, red), ivy 2 (34, green);
# in 8 colours: blue 44, red 41, green 42. A cursor is a cell with that background.
# (The host's caret is anchored to the character after it, so runs that landed right after
# HHHH pushed it along: its own terminal says where it is.)
hcol=$(cursor_of host | cut -d, -f1)
expect_colour_at host 1 "48;5;160" 9
expect_colour_at host 2 "48;5;34" 11
expect_colour_at gus 0 "48;5;33" "$hcol"
expect_colour_at gus 2 "48;5;34" 11
expect_colour_at ivy 0 "44" "$hcol"
expect_colour_at ivy 1 "41" 9
# Each one's own cursor is the terminal's.
expect_cursor_on gus "9,1"
expect_cursor_on ivy "11,2"
# A selection is drawn in its owner's colour (256 colours: a dark shade behind the text).
keys_to host Home S-Right S-Right S-Right
expect_colour_at gus 0 "48;5;24" 0
expect_colour_at ivy 0 "4" 0   # 8 colours: underlined in blue
keys_to host End

# --- a guest's undo removes only its own edits ------------------------------------------
keys_to gus C-z
expect_row_on host 1 "bravo   gus"
keys_to gus C-z
expect_same_rows 4 host gus ivy
line0b=$(bare_rows host 1)
[ "$line0b" = "$(echo "$line0" | sed 's/GGGG//')" ] ||
    fail "gus's second undo should remove GGGG only: '$line0' became '$line0b'"
expect_row_on host 2 "charlie ivy   ivy"
keys_to gus C-y C-y
expect_same_rows 4 host gus ivy
[ "$(bare_rows host 1)" = "$line0" ] || fail "redo did not bring GGGG back: '$(bare_rows host 1)'"

# --- a headless guest types at random places while the others type ------------------------
mkfifo "$WORK/bot.in"
"$TESTCLIENT" --name bot "$TICKET" <"$WORK/bot.in" >"$WORK/bot.out" 2>"$WORK/bot.err" &
BOT=$!
exec 9>"$WORK/bot.in"
bot_says() { grep -q -- "$1" "$WORK/bot.out"; }
poll bot_says '^state online' || fail "the headless guest did not join: $(cat "$WORK/bot.err")"
expect_on host " bot "
echo "type 150 7 5" >&9
for i in 1 2 3 4 5 6; do
    type_to host "h$i"
    type_to gus "g$i"
    type_to ivy "i$i"
done
poll bot_says '^typed 150' || fail "the headless guest did not finish typing"
echo sync >&9
poll bot_says '^synced ' || fail "the headless guest never got in sync"

# --- a guest saves: the file is the session's text, as weft cat and the bot see it --------
keys_to ivy C-s
expect_on ivy "hana: Saved"
expect_on host "ivy asked to save."
# The bot's "synced LEN HASH": its length in units (all ASCII here: bytes) and the
# BLAKE2b-256 of its text, which b2sum computes for the file.
synced=$(grep -m1 '^synced ' "$WORK/bot.out")
want="synced $(wc -c <"$WORK/doc.txt" | tr -d ' ') $(b2sum -l 256 "$WORK/doc.txt" | cut -d' ' -f1)"
[ "$synced" = "$want" ] ||
    fail "the saved file is not the headless guest's text: '$synced' vs '$want'"
"$WEFT" cat "$TICKET" >"$WORK/cat.txt" || fail "weft cat failed"
cmp -s "$WORK/doc.txt" "$WORK/cat.txt" || fail "weft cat differs from the saved file"
# The screens show the file's first lines (200 columns of them), once everyone is at the
# start (a cursor far right would scroll its own view sideways).
echo quit >&9
wait "$BOT"
for who in host gus ivy; do keys_to $who C-Home; done
NAMES_RE="hana|gus|ivy|bot"
head -n 4 "$WORK/doc.txt" | cut -c1-200 >"$WORK/first4"
rows=$(wc -l <"$WORK/first4")
screen_is_file() { bare_rows host "$rows" | cmp -s "$WORK/first4" -; }
poll screen_is_file || {
    echo "FAIL: the host's screen differs from the saved file"
    bare_rows host "$rows" | diff "$WORK/first4" -
    exit 1
}
expect_same_rows "$rows" host gus ivy

# --- leaving --------------------------------------------------------------------------
keys_to gus C-q
expect_exit_of gus 0
expect_on host "left: gus"
expect_not_on ivy " gus "
keys_to host C-q
expect_exit_of host 0
expect_on ivy "hana ended the session (quit). All your edits reached hana and were saved."
expect_on ivy "session ended"
keys_to ivy C-q
expect_exit_of ivy 0
echo "PASS: collab"
