/* One open file: its document, where it lives on disk and how the disk looked when it was
 * last loaded or saved, the view on it (cursor, selection and scroll as core anchors; undo
 * lives in the document itself), and the last search.
 *
 * What is the editor's rather than one file's (the screen, keymap, clipboard, prompt,
 * messages, the session's participants) stays in struct editor (editor.h), which shows one
 * buffer at a time through ed->buf. Nothing here writes messages for people except
 * buffer_open()'s error text: the editor says what a load or a save did. */
#ifndef WEFT_APP_EDITOR_BUFFER_H
#define WEFT_APP_EDITOR_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/editor/file.h"
#include "app/editor/fileconf.h"
#include "app/editor/highlight.h"
#include "app/editor/syntax.h"
#include "app/editor/view.h"
#include "core/doc.h"
#include "core/error.h"

struct buffer {
    wf_doc *doc;              /* owned, unless doc_borrowed */
    bool doc_borrowed;        /* doc is a project host's (app/cmd/projhost.h), shared with
                                 its guests: buffer_free() and buffer_replace_doc() leave it */
    uint64_t file_id;         /* in a project session, the file's manifest id (net/manifest.h);
                                 0: none (a one-file session, or a file outside the project) */
    char *path;               /* owned: the file as named on the command line; for a guest,
                                 where a copy is saved by default */
    char *title;              /* owned: shown instead of the file's name, or NULL */
    struct file_stamp stamp;  /* the file on disk when last loaded or saved */
    bool crlf;                /* Enter inserts "\r\n": the file's first line ends so */
    bool modified;            /* the text may differ from the file as last loaded or saved
                                 (see editor_event, app/editor/route.h) */
    uint64_t saved_undo;      /* wf_doc_undo_position() at the last load or save */
    uint64_t seen_revision;   /* wf_doc_revision() when the last input event was done */
    bool others_edited;       /* alone or hosting: the text was changed since the last load
                                 or save by something other than our commands */
    struct view view;
    char *find;               /* owned: the last search text (NUL-terminated), or NULL */
    size_t find_origin;       /* cursor position when the find prompt opened, units */
    struct fileconf conf;     /* the file's indentation, tab width and save-time rules
                                 (config_buffer(); until then nano's defaults: tabs of 8) */
    struct syn_syntax *syntax; /* borrowed from the editor's config: the file's syntax, or
                                 NULL (no colours) */
    struct hl *hl;            /* owned: syntax colours for this document, or NULL */
    char *conf_name;          /* owned: the name config_buffer() chose by (for a guest, the
                                 host's file name), or NULL before */
    bool scratch;             /* the empty buffer `weft DIR` starts with before a file is
                                 chosen: closed when one is opened, if still unmodified */
};

/* Opens the file at path into a new buffer (*out; free with buffer_free()), with a new
 * document of the given agent: the file's text, or empty when there is no such file
 * (b->stamp.exists is then false). Returns 0, or -errno / a WF_E* code with *out NULL and a
 * message for people in err (file_open_error()). */
WF_MUST_CHECK int buffer_open(struct buffer **out, const char *path, uint64_t agent, char *err,
                              size_t errsize);
/* A new buffer on doc (taken over) with no file behind it (a guest's): path is where a copy
 * is saved by default, title (or NULL) is shown instead of its name. Never NULL (out of
 * memory is fatal, core/mem.h); free with buffer_free(). */
struct buffer *buffer_new_doc(wf_doc *doc, const char *path, const char *title);
/* Frees b, its document and strings; NULL is a no-op. */
void buffer_free(struct buffer *b);

/* The text is the file's, as of now: not modified, and the next typing starts a new undo
 * step. */
void buffer_mark_saved(struct buffer *b);
/* Swaps in a new document (taken over; the old one is freed), keeping the view's anchors,
 * which stay valid when the new document has the same IDs (a guest's resync). */
void buffer_replace_doc(struct buffer *b, wf_doc *doc);
/* Puts the cursor and the view back at the top, keeping the view's size and tab width. */
void buffer_reset_view(struct buffer *b);

/* Writes the whole text to path atomically (file_write_atomic: the bytes are exactly the
 * document's). Returns 0 with *st the new file's stamp, or -errno with *step (when not NULL)
 * the step that failed. Changes nothing in b. */
WF_MUST_CHECK int buffer_write(const struct buffer *b, const char *path, struct file_stamp *st,
                               enum file_step *step);
/* Lines as a user counts them: a last line without a newline counts too. */
size_t buffer_lines(const struct buffer *b);

#endif
