#!/bin/sh
# weft join of a project (issue 11): hana runs `weft host DIR`, ben joins with `weft join` in
# the editor. ben's Ctrl-P lists exactly the shared files as the host's manifest gives them
# (no .env, nothing .gitignore hides); picking one opens the host's document of it, with
# the path relative to the root in the status line; typing goes both ways in one document;
# ben's Ctrl-S saves through the host; ben's second file opens beside the first (Alt-,
# goes back); hana, following ben (Ctrl-O), is taken into the file ben is in; Alt-O makes a
# file (and its directory) for everyone, F6 renames it, F8 deletes it; a read-only
# guest can watch and not type; Ctrl-Q on the host ends both with status 0.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/collablib.sh"
export XDG_STATE_HOME="$WORK/state"

P=$WORK/proj
mkdir -p "$P/src" "$P/build"
printf 'int main(void)\n{\n    return 0;\n}\n' >"$P/src/main.c"
printf 'notes\n' >"$P/README.md"
printf 'SECRET=1\n' >"$P/.env"
printf 'build/\n' >"$P/.gitignore"
printf 'object\n' >"$P/build/out.o"

start_as host 100 20 "$WEFT host --name hana --read-only-guests proj"
expect_on host "3 of 3 files"
keys_to host C-c
expect_not_on host "Open (type to match"
TICKET=$(ticket_of host)
RO=$(ticket_of host read-only)

# --- ben joins: the picker holds the host's files and nothing else -------------------------
start_as ben 100 20 "$WEFT join --name ben '$TICKET'"
expect_on ben "3 of 3 files"
for f in src/main.c README.md .gitignore; do expect_on ben " $f"; done
expect_not_on ben ".env"
expect_not_on host "out.o"
type_to ben "main"
keys_to ben Enter
expect_row_on ben 0 "int main(void)"
expect_on ben " src/main.c "
expect_on host "ben opened src/main.c"

# --- one document: ben's typing at the host, the host's at ben --------------------------
type_to ben "/*ben*/"
keys_to host C-p
type_to host "main"
keys_to host Enter
expect_row_on host 0 "/*ben*/int main(void)   ben"
keys_to host C-End
type_to host "// hana"
expect_row_on ben 4 "// hana   hana"

# --- ben's Ctrl-S: the host saves the file ---------------------------------------------------
keys_to ben C-s
expect_on ben "hana: Saved 5 lines"
printf '/*ben*/int main(void)\n{\n    return 0;\n}\n// hana' >"$WORK/want"
cmp "$WORK/want" "$P/src/main.c" || fail "ben's save did not write the shared text: $(cat "$P/src/main.c")"

# --- a second file beside the first; the host follows ben into it -------------------------
keys_to host C-o
expect_on host "ben"
keys_to host Enter
expect_on host "Following ben"
keys_to ben C-p
type_to ben "READ"
keys_to ben Enter
expect_row_on ben 0 "notes"
expect_on ben " README.md "
type_to ben "more "
expect_row_on host 0 "more notes   ben"
keys_to ben M-,
expect_row_on ben 0 "/*ben*/int main(void)"
expect_row_on host 0 "/*ben*/int main(void)   ben" # following ben back
keys_to host Up # stops following
expect_on host "Stopped following ben."

# --- Alt-O makes a file for everyone and opens it; F6 moves it; F8 deletes it --------------
keys_to ben M-o
expect_on ben "New file in the project"
type_to ben "lib/util.c"
keys_to ben Enter
expect_on ben " lib/util.c "
[ -f "$P/lib/util.c" ] && [ ! -s "$P/lib/util.c" ] || fail "lib/util.c is not an empty file"
type_to ben "int util = 1"
keys_to ben C-s
expect_on ben "saved lib/util.c (12 bytes)"
[ "$(cat "$P/lib/util.c")" = "int util = 1" ] || fail "lib/util.c: $(cat "$P/lib/util.c")"
keys_to ben F6
expect_on ben "Rename or move to"
expect_on ben ": lib/util.c"
keys_to ben C-u
type_to ben "lib/helpers.c"
keys_to ben Enter
expect_on ben " lib/helpers.c "
expect_on ben "hana: renamed lib/util.c to lib/helpers.c"
[ -f "$P/lib/helpers.c" ] && [ ! -e "$P/lib/util.c" ] || fail "lib/util.c was not moved"
keys_to host C-p
type_to host "helpers"
expect_on host " lib/helpers.c"
expect_on host "1 of 4 files"
keys_to host Escape
keys_to ben F8
expect_on ben "Delete this file for everyone?"
keys_to ben y
expect_on ben "lib/helpers.c was deleted on the host"
[ -e "$P/lib/helpers.c" ] && fail "lib/helpers.c was not deleted"
expect_row_on ben 0 "int util = 1" # its text stays here
keys_to ben M-,
expect_row_on ben 0 "more notes"
keys_to ben M-,
expect_row_on ben 0 "/*ben*/int main(void)"

# --- a read-only guest watches ---------------------------------------------------------------
start_as cleo 100 20 "$WEFT join --name cleo '$RO'"
expect_on cleo "online ✓  read-only"
type_to cleo "READ"
keys_to cleo Enter
expect_row_on cleo 0 "more notes"
type_to cleo "x"
expect_on cleo "read-only"
expect_row_on cleo 0 "more notes"

# --- the host ends the session, saving README.md (its buffer, opened by following ben, holds
# ben's edit); the guests are told ----------------------------------------------------------
keys_to host C-q
expect_on host "README.md [modified]"
expect_on host "Save changes before quitting?"
keys_to host y
expect_exit_of host 0
[ "$(cat "$P/README.md")" = "more notes" ] || fail "README.md was not saved: $(cat "$P/README.md")"
expect_on ben "hana ended the session"
expect_on cleo "hana ended the session"
keys_to ben C-q
expect_exit_of ben 0
keys_to cleo C-q
expect_exit_of cleo 0
[ "$(cat "$P/.env")" = "SECRET=1" ] || fail ".env changed"
echo "join-dir ok"
