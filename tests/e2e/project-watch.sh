#!/bin/bash
# Changes on the host's disk in a shared project (issue 11): `weft serve DIR` watches the tree.
# A file changed on disk reaches a guest that has it open, as the host's edit; a guest's
# unsaved edit elsewhere in the file survives the change (three-way merge); the host's own
# saves do not come back as changes. Files made, deleted and moved on disk (mv: same inode)
# update every guest's manifest, a moved file keeps its id (the guest editing it goes on, and
# its save lands at the new path), a directory moved on disk takes its files along, and a
# whole burst (a checkout of many files) is followed. An ignore rule added on disk hides what
# it names from then on.
set -u
builddir=${builddir:-.}
srcdir=${srcdir:-.}
. "$srcdir/tests/e2e/netlib.sh"
export XDG_STATE_HOME=$NET_DIR/state

P=$NET_DIR/proj
mkdir -p "$P/src"
printf 'one\ntwo\nthree\nfour\n' >"$P/src/main.c"
printf 'other\n' >"$P/src/other.c"
printf 'notes\n' >"$P/README.md"

serve_start "$P"
wait_log 'files shared' || fail "no summary"
CLIENT_OPTS="--file src/main.c" client_start ben
client_wait ben '^opened src/main.c' || fail "ben could not open src/main.c"

# ben_text WANT: ben's text (as %XX-escaped by testclient) becomes WANT, within 10 s.
ben_text() {
    local i
    for ((i = 0; i < $(e2e_secs 10) * 20; i++)); do
        client_send ben print
        client_wait ben '^text ' || fail "ben does not answer"
        [ "$REPLY" = "text $1" ] && return 0
        sleep 0.05
    done
    fail "ben's text: expected '$1', has '${REPLY#text }'"
}
ben_has() { client_has ben "$1" "$2"; }

# --- a change on disk reaches the guest -------------------------------------------------------
printf 'one\ntwo\nTHREE\nfour\n' >"$P/src/main.c"
ben_text 'one%0Atwo%0ATHREE%0Afour%0A'
wait_log 'src/main.c changed on disk: merged in .1 change.' || fail "the merge was not logged"

# --- a guest's unsaved edit and a change on disk: both stay -------------------------------------
client_send ben insert 0 'ben%20'
client_wait ben '^ok' || fail "ben could not edit"
converge ben
printf 'one\ntwo\nTHREE\nFOUR\n' >"$P/src/main.c"
ben_text 'ben%20one%0Atwo%0ATHREE%0AFOUR%0A'
# ben saves: the file holds both; the save's own event changes nothing.
client_send ben save
client_wait ben '^saved ok' || fail "ben's save failed"
[ "$(cat "$P/src/main.c")" = "$(printf 'ben one\ntwo\nTHREE\nFOUR')" ] || fail "the saved file: $(cat "$P/src/main.c")"
n=$(grep -c 'src/main.c changed on disk' "$SERVE_LOG")
client_send ben insert 0 'x'
client_wait ben '^ok' || fail "ben could not edit"
converge ben
ben_text 'xben%20one%0Atwo%0ATHREE%0AFOUR%0A'
[ "$(grep -c 'src/main.c changed on disk' "$SERVE_LOG")" = "$n" ] || fail "the host's own save came back as a change"

# --- files made, deleted and moved on disk ----------------------------------------------------------
printf 'new\n' >"$P/src/new.c"
ben_has src/new.c 1
mkdir -p "$P/lib/deep"
printf 'deep\n' >"$P/lib/deep/d.c"
ben_has lib/deep/d.c 1
rm "$P/src/new.c"
ben_has src/new.c 0
mv "$P/src/main.c" "$P/lib/main.c" # same inode: a rename, the id stays
ben_has lib/main.c 1
ben_has src/main.c 0

client_send ben insert 0 'moved%20'
client_wait ben '^ok' || fail "ben could not edit after the move"
converge ben
client_send ben save
client_wait ben '^saved ' || fail "no answer to ben's save"
case $REPLY in "saved ok"*) ;; *) fail "ben's save after the move: $REPLY" ;; esac
[ "$(head -c 13 "$P/lib/main.c")" = 'moved xben on' ] || fail "the save did not reach lib/main.c: $(head -n 1 "$P/lib/main.c")"
[ -e "$P/src/main.c" ] && fail "the save went to the old path"
mv "$P/lib" "$P/pkg" # a directory moved: its files go with it
ben_has pkg/main.c 1
ben_has pkg/deep/d.c 1
ben_has lib/deep/d.c 0

# --- a burst: many files at once ------------------------------------------------------------------
mkdir -p "$P/gen"
for i in $(seq 1 300); do printf '%s\n' "$i" >"$P/gen/f$i.c"; done
ben_has gen/f300.c 1
ben_has gen/f1.c 1
rm -r "$P/gen"
ben_has gen/f150.c 0

# --- an ignore rule added on disk hides what it names --------------------------------------------
ben_has README.md 1
printf 'README.md\n' >"$P/.gitignore"
ben_has README.md 0
ben_has .gitignore 1
"$WEFT" cat "$TICKET" README.md >/dev/null 2>&1 && fail "README.md is still shared"
echo "project-watch ok"
