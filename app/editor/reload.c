/* Reloading a file changed on disk (see reload.h). The common start and end are found in
 * bytes, then moved back to a unit boundary: any byte that is not a UTF-8 continuation
 * byte starts a unit (a unit of several bytes is a lead byte and its continuations), so
 * stepping back over continuation bytes always lands on one. */
#include "app/editor/reload.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/editor/file.h"
#include "core/undo.h"

static bool is_cont(unsigned char c)
{
    return (c & 0xc0) == 0x80;
}

int reload_replace_text(wf_doc *doc, const char *text, size_t n)
{
    size_t on;
    char *old = wf_doc_text(doc, 0, wf_doc_len(doc), &on);
    size_t max = on < n ? on : n;
    size_t p = 0;
    while (p < max && old[p] == text[p])
        p++;
    while (p > 0 && ((p < on && is_cont((unsigned char)old[p]))
                     || (p < n && is_cont((unsigned char)text[p]))))
        p--;
    size_t s = 0;
    while (s < max - p && old[on - 1 - s] == text[n - 1 - s])
        s++;
    while (s > 0 && (is_cont((unsigned char)old[on - s]) || is_cont((unsigned char)text[n - s])))
        s--;
    free(old);
    /* Whole units on both sides: the new text's cut points hold the same bytes. */
    size_t from = wf_doc_byte_to_pos(doc, p);
    size_t to = wf_doc_byte_to_pos(doc, on - s);
    int err = 0;
    wf_doc_undo_break(doc);
    if (to > from)
        err = wf_doc_delete(doc, from, to - from);
    if (!err && n - s > p)
        err = wf_doc_insert(doc, from, text + p, n - s - p);
    wf_doc_undo_break(doc);
    return err;
}

/* Ours to reload: a file of this machine (not a guest's copy of the host's, nor a shared
 * project's document, which the project host merges from the disk itself: projwatch.c). */
static bool is_local(const struct editor *ed)
{
    return !ed->buf->title && !ed->buf->doc_borrowed
           && !(ed->session && ed->session->role == SESSION_GUEST);
}

/* Reads the file; false (with a message) when it cannot be read. */
static bool read_disk(struct editor *ed, char **text, size_t *n, struct file_stamp *st)
{
    int e = file_read(ed->buf->path, text, n, st);
    if (e == 0)
        return true;
    if (!st->exists || e == -ENOENT) {
        ed->buf->stamp.exists = false;
        editor_message(ed, true, "%s was removed from the disk: Ctrl-S writes it again.",
                       ed->buf->path);
    } else {
        ed->buf->stamp = *st;
        editor_message(ed, true, "%s changed on disk but cannot be read (%s): your text is "
                       "unchanged.", ed->buf->path, strerror(-e));
    }
    return false;
}

static void reload(struct editor *ed)
{
    char *text;
    size_t n;
    struct file_stamp st;
    if (!read_disk(ed, &text, &n, &st))
        return;
    if (ed->clock)
        wf_doc_set_time(ed->buf->doc, ed->clock());
    int e = reload_replace_text(ed->buf->doc, text, n);
    free(text);
    if (e) {
        editor_message(ed, true, "Not reloaded: %s.", wf_strerror(e));
        return;
    }
    view_sync(&ed->buf->view, ed->buf->doc); /* the view stays: only the changed part moved */
    ed->buf->stamp = st;
    buffer_mark_saved(ed->buf);
    ed->buf->others_edited = false;
    ed->buf->seen_revision = wf_doc_revision(ed->buf->doc);
    ed->edits++;
    editor_message(ed, false, "Reloaded %s: it changed on disk (Ctrl-Z undoes the reload).",
                   ed->buf->path);
}

/* Keeps ours; with side, copies the disk's version to FILE.weft-disk first. */
static void keep(struct editor *ed, bool side)
{
    char *text;
    size_t n;
    struct file_stamp st;
    if (!read_disk(ed, &text, &n, &st))
        return;
    ed->buf->stamp = st; /* the next save overwrites it without asking again */
    if (!side) {
        free(text);
        editor_message(ed, false, "Kept your text: Ctrl-S replaces the version on disk.");
        return;
    }
    size_t pn = strlen(ed->buf->path) + sizeof RELOAD_SIDE_SUFFIX;
    char *p = malloc(pn);
    FILE *f = p ? (snprintf(p, pn, "%s" RELOAD_SIDE_SUFFIX, ed->buf->path), fopen(p, "wb"))
                : NULL;
    bool ok = f && fwrite(text, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = false;
    if (ok)
        editor_message(ed, false, "Kept your text; the version on disk is in %s to compare. "
                       "Ctrl-S replaces %s.", p, ed->buf->path);
    else
        editor_message(ed, true, "Kept your text, but could not write %s (%s).",
                       p ? p : "the copy", strerror(errno));
    free(p);
    free(text);
}

void reload_check(struct editor *ed, bool now)
{
    if (!now) {
        if (!ed->clock)
            return;
        uint64_t t = ed->clock();
        if (ed->disk_check_ms && t - ed->disk_check_ms < RELOAD_CHECK_MS)
            return;
        ed->disk_check_ms = t;
    }
    if (!is_local(ed) || ed->prompt.kind != PROMPT_NONE)
        return;
    if (!ed->buf->stamp.exists || !file_changed(ed->buf->path, &ed->buf->stamp))
        return;
    struct stat sb;
    if (stat(ed->buf->path, &sb) != 0)
        return; /* removed (or its directory): nothing to reload; Ctrl-S asks, then writes */
    if (ed->buf->modified)
        prompt_open(&ed->prompt, PROMPT_RELOAD, NULL, 0);
    else
        reload(ed);
}

void reload_key(struct editor *ed, const struct keyev *ev)
{
    if (ev->type != KEV_KEY || (ev->mods && ev->code != K_ESC))
        return;
    switch (ev->code) {
    case 'r': case 'R': prompt_close(&ed->prompt); reload(ed); break;
    case 'k': case 'K': case K_ESC: prompt_close(&ed->prompt); keep(ed, false); break;
    case 'b': case 'B': prompt_close(&ed->prompt); keep(ed, true); break;
    default: break;
    }
}
