#!/bin/sh
# weft DIR alone (issue 11): the picker lists what the project shares (not .env, not what
# .gitignore ignores), finds a file by a few letters, opens it; a second file; Alt-, and
# Alt-. switch; Ctrl-Q asks about each file with unsaved changes; both files on disk end
# up right.
. "${srcdir:-.}/tests/e2e/lib.sh"

mkdir -p "$WORK/proj/src" "$WORK/proj/build"
printf 'int main(void) { return 0; }\n' >"$WORK/proj/src/main.c"
printf 'hello\n' >"$WORK/proj/README.md"
printf 'SECRET=1\n' >"$WORK/proj/.env"
printf 'build/\n' >"$WORK/proj/.gitignore"
printf 'obj\n' >"$WORK/proj/build/out.o"
start 80 16 "$WEFT proj"
expect_screen "Open (type to match"
expect_screen "src/main.c"
expect_screen "README.md"
expect_screen "3 of 3 files"
expect_no_screen ".env"
expect_no_screen "out.o"

type_text "smc"
expect_screen "1 of 3 files"
keys Enter
expect_row 0 "int main(void) { return 0; }"
expect_screen "main.c"

keys C-p
type_text "read"
keys Enter
expect_row 0 "hello"
keys M-,
expect_row 0 "int main(void) { return 0; }"
expect_screen "1 of 2: src/main.c"
keys M-.
expect_row 0 "hello"

# Unsaved changes in both files: Ctrl-Q asks about each in turn.
type_text "A"
keys M-,
type_text "B"
keys C-q
expect_screen "Save changes before quitting"
type_text "y"
expect_file "$WORK/proj/src/main.c" "Bint main(void) { return 0; }
"
expect_screen "Save changes before quitting"
expect_row 0 "Ahello"
type_text "y"
expect_exit 0
expect_file "$WORK/proj/README.md" "Ahello
"
echo "PASS: weft DIR: picker, two files, switching, quit asks for each"
