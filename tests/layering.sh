#!/bin/sh
# The layers only include downwards: core/ -> libc, utf8proc; net/ -> core; app/ -> net, core.
srcdir=${srcdir:-.}
bad=$(grep -rn '#include "\(net\|app\)/' "$srcdir/core" 2>/dev/null;
      grep -rn '#include "app/' "$srcdir/net" 2>/dev/null;
      grep -rln '#include <\(uv\|sodium\|curses\|ncurses\)' "$srcdir/core" 2>/dev/null)
if [ -n "$bad" ]; then
    echo "layering violation:"; echo "$bad"; exit 1
fi
echo "layering ok"
