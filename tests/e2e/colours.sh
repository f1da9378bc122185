# Reading the colours of the screen (sourced after lib.sh, POSIX sh).
#
# tmux capture-pane -e writes a row's text with the SGR sequences that change the
# attributes between cells, the state carrying from one row to the next. styled_rows turns
# that into one line per row where every change of attributes is written as {…}, the whole
# state after the change, in a fixed order, independent of how tmux chose to spell it:
#   b bold, d dim, i italic, u underline, r reverse, fgN / bgN a colour (0..255: the 16
#   ANSI ones as 0..15, so tmux's 30..37 and 90..97 are 0..7 and 8..15), fg#rrggbb an RGB
#   one; {} is the default. A row's text starts with its state when that is not the
#   default; trailing blanks are dropped (tmux itself writes some and not others). E.g. "{b,fg12}/* a comment */".
#
#   styled_rows [PANE]          the whole screen (of tmux target PANE, default main), styled
#   styled_row N [PANE]         row N (0-based)
#   expect_styled_row N TEXT [PANE]   polls until row N is exactly TEXT; prints both on
#                               failure

styled_rows() {
    t capture-pane -e -p -t "${1:-main}" | awk '
    function colour(p, i, n,    k) {
        # p[i] is 38 or 48; returns the colour and sets SKIP to the parameters used
        if (p[i + 1] == 5) { SKIP = 2; return p[i + 2] + 0 }
        if (p[i + 1] == 2) { SKIP = 4; return sprintf("#%02x%02x%02x", p[i + 2], p[i + 3], p[i + 4]) }
        SKIP = 0; return ""
    }
    function state(    s) {
        s = ""
        if (B) s = s ",b"
        if (D) s = s ",d"
        if (I) s = s ",i"
        if (U) s = s ",u"
        if (R) s = s ",r"
        if (FG != "") s = s ",fg" FG
        if (BG != "") s = s ",bg" BG
        return "{" substr(s, 2) "}"
    }
    function sgr(arg,    p, n, i, v) {
        if (arg == "") arg = "0"
        n = split(arg, p, ";")
        for (i = 1; i <= n; i++) {
            v = p[i] + 0
            if (v == 0) { B = D = I = U = R = 0; FG = BG = "" }
            else if (v == 1) B = 1
            else if (v == 2) D = 1
            else if (v == 3) I = 1
            else if (v == 4) U = 1
            else if (v == 7) R = 1
            else if (v == 22) B = D = 0
            else if (v == 23) I = 0
            else if (v == 24) U = 0
            else if (v == 27) R = 0
            else if (v >= 30 && v <= 37) FG = v - 30
            else if (v >= 90 && v <= 97) FG = v - 90 + 8
            else if (v == 39) FG = ""
            else if (v >= 40 && v <= 47) BG = v - 40
            else if (v >= 100 && v <= 107) BG = v - 100 + 8
            else if (v == 49) BG = ""
            else if (v == 38) { FG = colour(p, i, n); i += SKIP }
            else if (v == 48) { BG = colour(p, i, n); i += SKIP }
        }
    }
    BEGIN { FG = BG = ""; ESC = sprintf("%c", 27) }
    {
        line = $0; out = ""; shown = "{}"
        while (length(line) > 0) {
            k = index(line, ESC "[")
            text = k ? substr(line, 1, k - 1) : line
            if (text != "") {
                if (state() != shown) { out = out state(); shown = state() }
                out = out text
            }
            if (!k) break
            line = substr(line, k + 2)
            m = match(line, /[A-Za-z]/)
            if (substr(line, m, 1) == "m") sgr(substr(line, 1, m - 1))
            line = substr(line, m + 1)
        }
        sub(/ +$/, "", out) # tmux leaves out some trailing blanks, whatever their colour
        print out
    }'
}

styled_row() { styled_rows "$2" | sed -n "$(($1 + 1))p"; }
styled_row_is() { [ "$(styled_row "$1" "$3")" = "$2" ]; }

expect_styled_row() {
    poll styled_row_is "$1" "$2" "$3" || {
        echo "FAIL: row $1 (styled): expected '$2'"
        echo "                          got '$(styled_row "$1" "$3")'"
        echo "--- the screen, styled:"
        styled_rows "$3" | sed 's/^/|/'
        exit 1
    }
}
