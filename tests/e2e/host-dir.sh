#!/bin/sh
# weft host DIR (issue 11): the host edits a shared directory in the editor while headless
# guests (tests/tools/testclient --file PATH) edit its files. Ctrl-P lists exactly what the
# filter shares (no .env, nothing .gitignore hides); a guest's typing shows in the host's
# buffer of that file and the host's reaches the guest (one document, no copies); the
# others' cursors are drawn only in the file they are in; a guest's save of a file the host
# has open is the host's save; Alt-A saves every file, also one only a guest edited;
# Ctrl-Q ends the session with status 0 and the guests are told.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/collablib.sh"
TESTCLIENT=${TESTCLIENT:-$PWD/tests/tools/testclient}
export XDG_STATE_HOME="$WORK/state"

P=$WORK/proj
mkdir -p "$P/src" "$P/build"
printf 'int main(void)\n{\n    return 0;\n}\n' >"$P/src/main.c"
printf 'notes\n' >"$P/README.md"
printf 'guest only\n' >"$P/src/other.c"
printf 'SECRET=1\n' >"$P/.env"
printf 'build/\n' >"$P/.gitignore"
printf 'object\n' >"$P/build/out.o"

start_as host 100 20 "$WEFT host --name hana proj"
expect_on host "hosting"
# The picker opens on the shared files, and on nothing else.
expect_on host "4 of 4 files"
for f in src/main.c README.md src/other.c .gitignore; do expect_on host " $f"; done
expect_not_on host ".env"
expect_not_on host "out.o"
keys_to host C-c
expect_not_on host "Open (type to match"
TICKET=$(ticket_of host)
case "$TICKET" in weft://*@127.0.0.1:*) ;; *) fail "no ticket: '$TICKET'" ;; esac

# --- a guest and the host in one file -----------------------------------------------------
guest() { # NAME FILE: a headless guest with FILE open, commands on descriptor 8 or 9
    mkfifo "$WORK/$1.in"
    "$TESTCLIENT" --name "$1" --file "$2" "$TICKET" <"$WORK/$1.in" >"$WORK/$1.out" \
        2>"$WORK/$1.err" &
}
says() { grep -q -- "$2" "$WORK/$1.out"; }
guest ben src/main.c
exec 8>"$WORK/ben.in"
poll says ben '^opened src/main.c' || fail "ben could not open src/main.c: $(cat "$WORK/ben.err")"
expect_on host "ben"
keys_to host C-p
type_to host "main"
keys_to host Enter
expect_row_on host 0 "int main(void)"
echo 'insert 0 /*ben*/%0A' >&8
expect_row_on host 0 "/*ben*/"
expect_row_on host 1 "int main(void)"
expect_on host "[modified]"
keys_to host C-End
type_to host "// hana"
# Asks for ben's text, then looks at the last answer (each poll asks again).
ben_has() { echo print >&8; tail -n 1 "$WORK/ben.out" | grep -q -- "$1"; }
poll ben_has "^text .*//%20hana$" || fail "ben did not get the host's typing: $(tail -n 3 "$WORK/ben.out")"
# ben's cursor is drawn in src/main.c, in ben's colour (his name after the line).
echo 'cursor 3' >&8
expect_on host "/*ben*/   ben"

# --- ben's Ctrl-S of a file the host has open is the host's save -----------------------------
echo save >&8
poll says ben '^saved ok' || fail "ben's save failed: $(tail -n 2 "$WORK/ben.out")"
printf '/*ben*/\nint main(void)\n{\n    return 0;\n}\n// hana' >"$WORK/want"
cmp "$WORK/want" "$P/src/main.c" || fail "the save did not write the shared text"
expect_on host "ben asked to save."
expect_not_on host "[modified]"

# --- another file: the others' cursors are not drawn in it -----------------------------------
keys_to host C-p
type_to host "READ"
keys_to host Enter
expect_row_on host 0 "notes" # and no ben after it: his cursor is in src/main.c
type_to host "more "
guest cleo src/other.c
exec 9>"$WORK/cleo.in"
poll says cleo '^opened src/other.c' || fail "cleo could not open src/other.c"
echo 'insert 0 cleo%20' >&9
echo sync >&9
poll says cleo '^synced ' || fail "cleo never got in sync"

# --- Alt-A saves what the host has open and what only a guest edited ------------------------
keys_to host M-a
expect_on host "Saved 1 file."
[ "$(cat "$P/README.md")" = "more notes" ] || fail "Alt-A did not save README.md: $(cat "$P/README.md")"
[ "$(cat "$P/src/other.c")" = "cleo guest only" ] ||
    fail "Alt-A did not save the file only cleo edited: $(cat "$P/src/other.c")"

# --- Ctrl-Q ends the session: the guests hear it --------------------------------------------
keys_to host C-q
expect_exit_of host 0
poll says ben '^state ended' || fail "ben was not told the session ended: $(tail -n 2 "$WORK/ben.out")"
[ "$(cat "$P/.env")" = "SECRET=1" ] || fail ".env changed"
echo "host-dir ok"
