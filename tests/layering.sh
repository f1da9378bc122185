#!/bin/sh
# The rooms only include downwards, and every source file is on its directory's map:
#   core/        libc, utf8proc; nothing from net/ or app/
#   net/         core/; nothing from app/, no terminal
#   app/editor/  core/, app/project/ (the line diff), utf8proc, libeditorconfig, POSIX regex
#                (libc), and from net/ only the presence types (net/presence.h); no terminal,
#                no event loop, no crypto,
#                nothing from app/ui/ or app/cmd/
#   app/ui/      app/editor/, ncurses, libuv; nothing from app/cmd/ or the network
#   app/project/ libc and utf8proc only: nothing from core/, net/ or app/'s other rooms,
#                no terminal, event loop or crypto (the filter stands alone)
#   app/cmd/     everything below
# The link checks the same from the other side: the editor's tests link app/editor/ alone.
srcdir=${srcdir:-.}
status=0

# violation TITLE MATCHES: reports MATCHES (grep -n output) when there are any.
violation() {
    if [ -n "$2" ]; then
        echo "layering violation: $1"
        echo "$2"
        status=1
    fi
}

inc() { # inc DIR PATTERN: the #include lines of DIR's own files (not subdirectories) matching
    for f in "$srcdir/$1"/*.c "$srcdir/$1"/*.h; do
        [ -f "$f" ] && grep -Hn "^#include $2" "$f"
    done
}

system='<\(uv\|sodium\|curses\|ncurses\|term\)\.h>'

violation "core/ includes net/ or app/" "$(inc core '"\(net\|app\)/')"
violation "core/ includes a library it may not use" "$(inc core "$system")"
violation "net/ includes app/" "$(inc net '"app/')"
violation "net/ includes the terminal" "$(inc net '<\(curses\|ncurses\|term\)\.h>')"
violation "app/editor/ includes app/ui/ or app/cmd/" "$(inc app/editor '"app/\(ui\|cmd\)/')"
violation "app/editor/ includes the terminal, libuv or libsodium" "$(inc app/editor "$system")"
violation "app/editor/ includes net/ beyond the presence types" \
    "$(inc app/editor '"net/' | grep -v '"net/presence\.h"')"
violation "app/ui/ includes app/cmd/" "$(inc app/ui '"app/cmd/')"
violation "app/ui/ includes the network or libsodium" \
    "$(inc app/ui '"net/' | grep -v '"net/presence\.h"'; inc app/ui '<sodium\.h>')"
violation "app/project/ includes core/, net/ or another room of app/" \
    "$(inc app/project '"\(core\|net\)/'; inc app/project '"app/' | grep -v '"app/project/')"
violation "app/project/ includes the terminal, libuv or libsodium" "$(inc app/project "$system")"

# Every .c file is named in its directory's README.md (the map a newcomer reads first).
for d in core net app app/editor app/ui app/cmd app/project; do
    readme="$srcdir/$d/README.md"
    if [ ! -f "$readme" ]; then
        violation "$d/ has no README.md" "$d/README.md is missing"
        continue
    fi
    for f in "$srcdir/$d"/*.c; do
        [ -f "$f" ] || continue
        name=$(basename "$f" .c)
        grep -Eq "(^|[^A-Za-z0-9_-])$name\.(c|\{c,h\})([^A-Za-z0-9_]|\$)" "$readme" ||
            violation "$d/README.md does not name $name.c" "$d/$name.c"
    done
done

# app/ itself holds only main.c; the rest lives in the rooms.
for f in "$srcdir"/app/*.c "$srcdir"/app/*.h; do
    [ -f "$f" ] || continue
    case $(basename "$f") in main.c) ;; *) violation "a file outside app/'s rooms" "$f" ;; esac
done

[ $status -eq 0 ] && echo "layering ok"
exit $status
