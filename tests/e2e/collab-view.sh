#!/bin/sh
# The others at the screen's edges and Alt-J: a guest sees the host's cursor below its
# screen as a tag on its last text row ("hana ↓ 5000"), jumps there once with Alt-J (not
# following: the host moving on leaves the guest where it is), then sees the host above
# its screen on its first row ("hana ↑ 1"). A guest's syntax colours by the host's file
# name; the name from the settings file.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/collablib.sh"

down=$(printf '\342\206\223')
up=$(printf '\342\206\221')
seq 1 10000 | sed 's/^/line /' >"$WORK/long.txt"
start_as host 80 12 "$WEFT host --name hana long.txt"
TICKET=$(ticket_of host)
[ -n "$TICKET" ] || fail "no ticket"
start_as gus 60 10 "$WEFT join --name gus '$TICKET'"
expect_on gus "online"
expect_row_on gus 0 "line 1   hana"

keys_to host C-g
type_to host 5000
keys_to host Enter
expect_on host "Ln 5000, Col 1"
# at the right end of the last text row: " hana ↓ 5000 " is 13 columns of 60
expect_row_on gus 7 "$(printf '%-48s' 'line 8')hana $down 5000"
expect_row_on gus 0 "line 1"

# Alt-J: the chooser, then the guest's cursor on the host's; nobody is followed.
keys_to gus M-j
expect_on gus "Jump to"
expect_on gus ">hana<"
keys_to gus Enter
expect_on gus "At hana's cursor (line 5000)."
expect_on gus "Ln 5000, Col 1"
expect_on gus "line 5000   hana"
expect_not_on gus "hana $down"
expect_not_on gus "following hana"
keys_to host C-g
type_to host 1
keys_to host Enter
expect_on host "Ln 1, Col 1"
expect_on gus "Ln 5000, Col 1"
expect_on gus " hana $up 1"

# The host jumps to the guest the same way.
keys_to host M-j
expect_on host ">gus<"
keys_to host Enter
expect_on host "At gus's cursor (line 5000)."

# Alone, Alt-J says why it does nothing.
cp "$WORK/long.txt" "$WORK/solo.txt"
start_as solo 60 10 "$WEFT solo.txt"
expect_on solo "Ln 1, Col 1"
keys_to solo M-j
expect_on solo "Not in a shared session"
# A guest's colours come from the host's file name: a.c is C on both screens. The host's
# name comes from its settings file (no --name, no WEFT_NAME); the guest's --name wins
# over the same file.
if [ -f /usr/share/nano/c.nanorc ]; then
    . "${srcdir:-.}/tests/e2e/colours.sh"
    mkdir -p "$WORK/home/.config/weft"
    printf 'name cara\n' >"$WORK/home/.config/weft/weftrc"
    ENV="env -u WEFT_NAME HOME=$WORK/home XDG_CONFIG_HOME=$WORK/home/.config"
    printf 'int main(void)\n{\n}\n' >"$WORK/a.c"
    start_as chost 60 10 "$ENV $WEFT host a.c"
    CT=$(ticket_of chost)
    [ -n "$CT" ] || fail "no ticket for a.c"
    start_as cguest 60 10 "$ENV $WEFT join --name dev '$CT'"
    expect_on cguest "a.c (cara)"
    # The other's cursor cell keeps its palette colours over the syntax colour (black on
    # their hue: dev's red 160, cara's blue 33), and their name tag follows the line.
    expect_styled_row 0 '{fg16,bg160}i{fg2}nt{} main({fg2}void{})  {fg16,bg160} dev' chost
    expect_styled_row 0 '{fg16,bg33}i{fg2}nt{} main({fg2}void{})  {fg16,bg33} cara' cguest

    # A comment the host opens far above the guest's screen colours it at once (the
    # highlighter is told of remote edits too); closing it turns it back.
    awk 'BEGIN { for (i = 0; i < 3000; i++) print "int a;" }' >"$WORK/long.c"
    start_as lhost 60 10 "$ENV $WEFT host long.c"
    LT=$(ticket_of lhost)
    [ -n "$LT" ] || fail "no ticket for long.c"
    start_as lguest 60 10 "$ENV $WEFT join --name dev '$LT'"
    expect_on lguest "long.c (cara)"
    keys_to lguest C-g
    type_to lguest 2500
    keys_to lguest Enter
    expect_on lguest "Ln 2500, Col 1"
    expect_styled_row 1 '{fg2}int{} a;' lguest
    type_to lhost '/*'
    expect_styled_row 1 '{b,fg12}int a;' lguest
    keys_to lhost BSpace BSpace
    expect_styled_row 1 '{fg2}int{} a;' lguest
fi

echo "PASS: collab view"
