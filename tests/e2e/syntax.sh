#!/bin/sh
# Syntax colours on a real terminal (tmux), from nano's own syntax files (/usr/share/nano,
# installed by scripts/setup): a golden screen per language family (C, Python, shell,
# Markdown), compared cell by cell as styles (tests/e2e/colours.sh); colours following an
# edit, its undo, and a comment opened far above the screen (exactly within 1 MiB, and
# after the idle catch-up beyond it); our selection drawn over them; 8 colours; the light
# scheme; NO_COLOR. HOME and XDG_CONFIG_HOME point into the test's directory, so the
# user's own settings and syntax files cannot change what is seen.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/colours.sh"

if [ ! -f /usr/share/nano/c.nanorc ]; then
    echo "SKIP: nano's syntax files are not installed (apt-get install nano)"
    exit 77
fi

mkdir -p "$WORK/home/.config"
ENV="env HOME=$WORK/home XDG_CONFIG_HOME=$WORK/home/.config"

# open FILE [TERM]: weft on FILE in a 60x12 window, on TERM (screen-256color by default).
open() {
    stop_server
    start 60 12 "$ENV TERM=${2:-screen-256color} $WEFT $1"
    expect_screen "Ln 1, Col 1"
}

# --- C ------------------------------------------------------------------------------------
printf '/* a comment */\n#include <stdio.h>\nint main(void)\n{\n    return 0; // done\n}\n' \
    >"$WORK/a.c"
open a.c
expect_styled_row 0 '{b,fg12}/* a comment */'
expect_styled_row 1 '{b,fg14}#include{b,fg11} <stdio.h>'
expect_styled_row 2 '{fg2}int{} main({fg2}void{})'
expect_styled_row 3 '{'
expect_styled_row 4 '    {fg5}return{} 0; {b,fg12}// done'
expect_styled_row 5 '}'

# An edit opens a comment: every line below it turns; its undo turns them back.
keys Down Down
type_text '/*'
expect_styled_row 2 '{b,fg12}/*int main(void)'
expect_styled_row 4 '{b,fg12}    return 0; // done'
expect_styled_row 5 '{b,fg12}}'
keys C-z
expect_styled_row 2 '{fg2}int{} main({fg2}void{})'
expect_styled_row 4 '    {fg5}return{} 0; {b,fg12}// done'

# The same further down, where the highlighter has cached the state of line 49 (every
# 16th line is): the edit must make it forget that, and so must the undo.
awk 'BEGIN { for (i = 0; i < 100; i++) print "int a;" }' >"$WORK/many.c"
open many.c
keys C-g
type_text 45
keys Enter
expect_screen "Ln 45, Col 1"
expect_styled_row 9 '{fg2}int{} a;'
type_text '/*'
expect_styled_row 9 '{b,fg12}int a;'
keys C-z
expect_styled_row 9 '{fg2}int{} a;'
open a.c
keys Down Down

# Our selection is reverse, without the syntax colour under it.
keys Home S-Right S-Right S-Right
expect_styled_row 2 '{r}int{} main({fg2}void{})'

# 8 colours: the light ones are their normal colour in bold.
open a.c screen
expect_styled_row 0 '{b,fg4}/* a comment */'
expect_styled_row 2 '{fg2}int{} main({fg2}void{})'

# --- Python, shell, Markdown --------------------------------------------------------------
printf '#!/usr/bin/python3\ndef f(x):\n    """doc"""\n    return "s" + x  # note\n' \
    >"$WORK/p.py"
open p.py
expect_styled_row 0 '{b,fg9}#!/usr/bin/python3'
expect_styled_row 1 '{b,fg14}def{b,fg12} f{}(x):'
expect_styled_row 2 '    {b,fg10}"""doc"""'
expect_styled_row 3 '    {b,fg14}return{} {b,fg10}"s"{} + x {b,fg9} # note'

printf '#!/bin/sh\n# comment\nif [ -n "$HOME" ]; then\n    echo "hi $USER"\nfi\n' >"$WORK/s.sh"
open s.sh
expect_styled_row 0 '{fg6}#!/bin/sh'
expect_styled_row 1 '{fg6}# comment'
expect_styled_row 2 '{fg2}if{} {fg2}[{b,fg13} -n{} {b,fg11}"$HOME"{} {fg2}];{} {fg2}then'
expect_styled_row 3 '    {b,fg12}echo{} {b,fg11}"hi $USER"'
expect_styled_row 4 '{fg2}fi'

printf '# Title\nSome *emphasis* and `code`.\n- item\n> quote\n' >"$WORK/m.md"
open m.md
expect_styled_row 0 '{b,fg11}# Title'
expect_styled_row 1 'Some {fg2}*emphasis*{} and {b,fg14}`code`{}.'
expect_styled_row 2 '{b,fg13}- {}item'
expect_styled_row 3 '{fg5}> quote'

# --- a comment opened far above the screen ---------------------------------------------
# Within HL_SCAN_UNITS (1 MiB) above, the state is found exactly on the jump.
awk 'BEGIN { print "/* opened here"; for (i = 0; i < 5000; i++) print "int a = 1;" }' \
    >"$WORK/near.c"
open near.c
keys C-g
type_text 4000
keys Enter
expect_screen "Ln 4000,"
expect_styled_row 0 '{b,fg12}int a = 1;'
# Beyond it, the first screen may be an estimate; the idle catch-up brings the truth.
awk 'BEGIN { print "/* opened here"; for (i = 0; i < 150000; i++) print "int a = 1;" }' \
    >"$WORK/far.c"
open far.c
keys C-g
type_text 150000
keys Enter
expect_screen "Ln 150000,"
expect_styled_row 0 '{b,fg12}int a = 1;'

# --- the light scheme, and NO_COLOR -------------------------------------------------------
mkdir -p "$WORK/home/.config/weft"
printf 'colourscheme light\n' >"$WORK/home/.config/weft/weftrc"
open a.c
expect_styled_row 0 '{b,fg4}/* a comment */'
expect_styled_row 1 '{b,fg6}#include{b,fg3} <stdio.h>'
rm "$WORK/home/.config/weft/weftrc"

stop_server
start 60 12 "$ENV NO_COLOR=1 $WEFT a.c"
expect_screen "Ln 1, Col 1"
expect_styled_row 0 '/* a comment */'
expect_styled_row 2 'int main(void)'
keys F1
expect_screen "Syntax colours are off"

echo "PASS: syntax colours"
