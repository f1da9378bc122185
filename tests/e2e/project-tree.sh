#!/bin/bash
# Tree requests in a project (issue 11): guests of `weft serve DIR` create, mkdir, rename and
# delete; the host checks each through the filter, does it on disk and tells everyone. A name
# that is taken keeps both (name~ben); a name the filter would hide (.env, an ignored
# directory) or that decides what is shared (.gitignore) is refused, and nothing appears on
# disk; a path outside the root never leaves the guest; a rename keeps the file's id, so a
# guest editing it goes on editing and saves to the new place, a directory's files move with
# it; a guest cannot delete a directory (it may hold what is not shared), nor can a read-only
# guest change anything.
set -u
builddir=${builddir:-.}
srcdir=${srcdir:-.}
. "$srcdir/tests/e2e/netlib.sh"
export XDG_STATE_HOME=$NET_DIR/state

P=$NET_DIR/proj
mkdir -p "$P/src" "$P/build"
printf 'SECRET=1\n' >"$P/.env"
printf 'build/\n' >"$P/.gitignore"
printf 'object\n' >"$P/build/x"
printf 'int main(void)\n{\n    return 0;\n}\n' >"$P/src/main.c"
printf 'other\n' >"$P/src/other.c"
printf 'notes\n' >"$P/README.md"

serve_start "$P" --read-only-guests
wait_log 'files shared' || fail "no summary"
CLIENT_OPTS="--file src/main.c" client_start ben
client_wait ben '^opened src/main.c' || fail "ben could not open src/main.c"
CLIENT_OPTS="--file src/main.c" client_start cleo
client_wait cleo '^opened src/main.c' || fail "cleo could not open src/main.c"

# tree NAME REQUEST...: sends a request and waits for its answer, left in REPLY.
tree() {
    local name=$1
    shift
    client_send "$name" "$@"
    client_wait "$name" '^tree ' || fail "no answer to $name's $*"
}
cleo_has() { client_has cleo "$1" "$2"; }

# --- create and mkdir ---------------------------------------------------------------------------
tree ben create src/new.c
[ "$REPLY" = "tree ok created src/new.c" ] || fail "create: $REPLY"
[ -f "$P/src/new.c" ] && [ ! -s "$P/src/new.c" ] || fail "src/new.c is not an empty file"
cleo_has src/new.c 1
wait_log 'ben created src/new.c' || fail "the create was not logged"
tree ben create src/new.c
[ "$REPLY" = "tree ok created src/new.c~ben (src/new.c was taken)" ] || fail "a taken name: $REPLY"
[ -f "$P/src/new.c~ben" ] || fail "src/new.c~ben is not on disk"
tree ben mkdir docs
[ "$REPLY" = "tree ok created docs/" ] || fail "mkdir: $REPLY"
[ -d "$P/docs" ] || fail "docs/ is not on disk"
tree ben create docs/guide.md
case $REPLY in "tree ok created docs/guide.md") ;; *) fail "create in a new directory: $REPLY" ;; esac

# --- what the filter hides is refused for its name, and nothing lands on disk ---------------
tree ben create .env.local
case $REPLY in "tree fail cannot create .env.local: the name would not be shared"*) ;;
    *) fail "a private name was not refused: $REPLY" ;; esac
[ -e "$P/.env.local" ] && fail ".env.local was created"
tree ben create src/.gitignore
case $REPLY in "tree fail cannot create src/.gitignore: the name would not be shared"*) ;;
    *) fail "a policy file was not refused: $REPLY" ;; esac
[ -e "$P/src/.gitignore" ] && fail "src/.gitignore was created"
tree ben create build/y.o
case $REPLY in "tree fail cannot create the directory build: the name would not be shared"*) ;;
    *) fail "a file in an ignored directory: $REPLY" ;; esac
[ -e "$P/build/y.o" ] && fail "build/y.o was created"
# Missing directories are made on the way (mkdir -p), each through the filter.
tree ben create deep/er/z.c
[ "$REPLY" = "tree ok created deep/er/z.c" ] || fail "a file in new directories: $REPLY"
[ -f "$P/deep/er/z.c" ] || fail "deep/er/z.c is not on disk"
cleo_has deep/er 1
tree ben create ../escape.c
[ "$REPLY" = "tree fail malformed" ] || fail "a path outside the root was sent: $REPLY"
[ -e "$NET_DIR/escape.c" ] && fail "a file was created outside the root"

# --- rename: the id stays, an open file follows, a directory's files move with it -----------
tree ben rename README.md NOTES.md
[ "$REPLY" = "tree ok renamed README.md to NOTES.md" ] || fail "rename: $REPLY"
[ -f "$P/NOTES.md" ] && [ ! -e "$P/README.md" ] || fail "README.md was not renamed on disk"
cleo_has NOTES.md 1
cleo_has README.md 0
tree ben rename NOTES.md src/other.c
[ "$REPLY" = "tree ok renamed NOTES.md to src/other.c~ben (src/other.c was taken)" ] ||
    fail "a rename onto a taken name: $REPLY"
[ "$(cat "$P/src/other.c")" = other ] || fail "src/other.c was overwritten"
tree ben rename src/other.c~ben .env
case $REPLY in "tree fail cannot rename src/other.c~ben to .env: the name would not be shared"*) ;;
    *) fail "a rename to a private name: $REPLY" ;; esac
[ "$(cat "$P/.env")" = SECRET=1 ] || fail ".env changed"
tree ben rename src lib
[ "$REPLY" = "tree ok renamed src to lib" ] || fail "a directory rename: $REPLY"
cleo_has lib/main.c 1
cleo_has lib/new.c~ben 1
cleo_has src/main.c 0
# cleo had src/main.c open: her edit and save go to lib/main.c.
client_send cleo insert 0 '/*cleo*/'
client_wait cleo '^ok' || fail "cleo could not edit"
converge cleo ben
client_send cleo save
client_wait cleo '^saved ' || fail "no answer to cleo's save"
case $REPLY in "saved ok"*) ;; *) fail "cleo's save after the rename: $REPLY" ;; esac
[ "$(head -c 22 "$P/lib/main.c")" = '/*cleo*/int main(void)' ] ||
    fail "the save did not go to lib/main.c: $(head -n 1 "$P/lib/main.c")"
[ -e "$P/src" ] && fail "src/ came back"

# --- delete: files yes, directories only by the host ----------------------------------------
tree ben remove lib/new.c
[ "$REPLY" = "tree ok deleted lib/new.c" ] || fail "delete: $REPLY"
[ -e "$P/lib/new.c" ] && fail "lib/new.c is still on disk"
cleo_has lib/new.c 0
tree ben remove docs
case $REPLY in "tree fail cannot delete docs: directories are deleted by the host"*) ;;
    *) fail "a guest deleted a directory: $REPLY" ;; esac
[ -d "$P/docs" ] || fail "docs/ was deleted"
tree ben remove lib/gone.c
[ "$REPLY" = "tree fail malformed" ] || fail "a file the guest does not know: $REPLY"

# --- a read-only guest changes nothing ----------------------------------------------------------
CLIENT_OPTS="--file lib/main.c" client_start ro "$TICKET_RO"
client_wait ro '^opened lib/main.c' || fail "the read-only guest could not open lib/main.c"
tree ro create lib/ro.c
case $REPLY in "tree fail "*) ;; *) fail "a read-only guest's create: $REPLY" ;; esac
tree ro remove lib/main.c
case $REPLY in "tree fail "*) ;; *) fail "a read-only guest's delete: $REPLY" ;; esac
[ -e "$P/lib/ro.c" ] && fail "a read-only guest created a file"
[ -f "$P/lib/main.c" ] || fail "a read-only guest deleted a file"

"$WEFT" ls "$TICKET" >"$NET_DIR/ls.out" || fail "weft ls failed"
printf '%s\n' .gitignore docs/guide.md lib/main.c lib/other.c lib/other.c~ben \
    lib/new.c~ben deep/er/z.c | sort >"$NET_DIR/ls.want"
sort "$NET_DIR/ls.out" | diff "$NET_DIR/ls.want" - >&2 || fail "weft ls after the changes"
echo "project-tree ok"
