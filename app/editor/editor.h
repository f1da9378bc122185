/* The editor: the open file shown (a buffer: document, file, view, last search;
 * app/editor/buffer.h) and what is the editor's whatever file is shown: the screen and its
 * modes, clipboard, prompt, messages, the session. Input events reach it through
 * app/editor/route.h.
 *
 * This is the state every command works on. It knows nothing of the terminal: input
 * arrives as decoded events (app/editor/keys.h), output goes through app/ui/draw.c, and raw terminal
 * output (OSC 52) through the term_write hook, so tests can drive an editor without a
 * terminal. */
#ifndef WEFT_APP_EDITOR_EDITOR_H
#define WEFT_APP_EDITOR_EDITOR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/editor/buffer.h"
#include "app/editor/clipboard.h"
#include "app/editor/config.h"
#include "app/editor/file.h"
#include "app/editor/keys.h"
#include "app/editor/msglog.h"
#include "app/editor/prompt.h"
#include "app/editor/replace_ui.h"
#include "app/editor/session.h"
#include "app/editor/view.h"
#include "core/doc.h"
#include "core/error.h"

struct editor {
    struct buffer *buf;       /* the open file shown: one of bufs */
    struct buffer **bufs;     /* owned: every open file, in the order opened (>= 1) */
    size_t nbufs;
    struct picker *picker;    /* owned: the project's files for Ctrl-P, or NULL (weft FILE) */
    uint64_t edits;           /* local edits so far: commands that changed a document */
    struct session *session;  /* borrowed: the shared session, or NULL when alone */
    struct config config;     /* settings and syntaxes (config.h): the defaults and no
                                 colours until editor_configure() */

    /* Editing whatever file is shown. */
    struct clipboard clip;
    struct prompt prompt;
    bool dragging;            /* a mouse button is down in the text */
    bool quit;                /* the main loop should end */
    bool quit_after_save;     /* the save under way was asked for by quit */

    /* Messages. */
    char msg[512];            /* message in the status line, "" for none */
    bool msg_error;           /* msg reports a failure (drawn highlighted) */
    struct msglog log;        /* every message shown, whole */

    /* The screen and its modes. */
    int screen_rows;          /* terminal size */
    int screen_cols;
    bool line_numbers;        /* the line-number gutter is shown */
    bool help;                /* the F1 help screen is shown */
    size_t help_top;          /* first help line shown */
    bool tickets;             /* the Ctrl-T tickets screen is shown */
    size_t tickets_left;      /* columns of long tickets scrolled off to the left */
    bool messages;            /* the message log's screen is shown */
    size_t messages_top;      /* its first line shown (clamped when drawn) */
    size_t follow_pick;       /* the follow chooser's highlighted participant */
    bool redraw_all;          /* the next draw repaints the whole terminal (Ctrl-L) */

    /* Issue 14, editing: Ctrl-R's round, mouse clicks, the disk watch. */
    struct replace_round replace; /* the search and replace under way, and its toggles */
    uint64_t click_ms;        /* when the last left press was (ed->clock), 0: none */
    int click_x, click_y;     /* where it was, screen cells */
    int clicks;               /* 1, 2, 3: single, double, triple click at the same cell */
    size_t click_from, click_to; /* the word or line a double/triple press selected, units */
    uint64_t disk_check_ms;   /* when the file on disk was last compared (ed->clock) */
    bool save_as_confirm;     /* Alt-W: the path typed exists; Enter again replaces it */

    /* Hooks the terminal sets (tests leave them NULL or fake them). */
    uint64_t (*clock)(void);  /* monotonic milliseconds, for undo grouping */
    void (*term_write)(const char *p, size_t n); /* raw terminal output, or NULL */
    void (*suspend)(void);    /* Alt-Z: stop to the shell, back on SIGCONT; NULL: cannot */
};

/* Opens path: loads it (or starts empty when it does not exist). Returns 0, or -errno /
 * a WF_E* code with a message for people (what, why, what to do) in err. */
WF_MUST_CHECK int editor_open(struct editor *ed, const char *path, char *err, size_t errsize);
void editor_close(struct editor *ed);
/* Loads the settings file and the syntax files (config_load(); no_color: NO_COLOR's value
 * or NULL), applies the settings that are the editor's (line numbers: on when either the
 * command line or the file says so; soft wrap), and configures the open buffer; the messages from
 * reading those files are shown (the last on the status line, all in the log). Call once,
 * after editor_open() or editor_open_doc(); tests that skip it get the defaults. */
void editor_configure(struct editor *ed, const char *no_color);
/* Configures the open buffer again for its file's name (a guest's, when the host's file
 * name is known: name, not local). */
void editor_configure_buffer(struct editor *ed, const char *name, bool local);

/* Opens another file (path) beside those open, or finds it open already (the same file by
 * device and inode, or the same path when it does not exist yet), and shows it; the view
 * keeps the screen's size. A new buffer gets its share of the configuration. Returns 0, or
 * an error as editor_open()'s, with its message in err; the buffer shown stays then. */
WF_MUST_CHECK int editor_open_another(struct editor *ed, const char *path, char *err,
                                      size_t errsize);
/* Adds b (taken over: a project file's buffer_new_doc(), e.g.) beside those open and shows
 * it, configured for the file name conf_name (local: a file on this machine, so its
 * EditorConfig applies). */
void editor_add_buffer(struct editor *ed, struct buffer *b, const char *conf_name, bool local);
/* The open buffer of a project's file (its manifest id, not 0), or NULL. */
struct buffer *editor_find_file(const struct editor *ed, uint64_t file);
/* Shows b, one of bufs. */
void editor_show(struct editor *ed, const struct buffer *b);
/* Shows bufs[i] (i < nbufs), its view taking the screen's size. */
void editor_show_buffer(struct editor *ed, size_t i);
/* The index of the buffer shown in bufs. */
size_t editor_shown(const struct editor *ed);
/* Closes the buffer shown (the caller has asked about unsaved text) and shows the one
 * opened before it. False, and nothing changes, when it is the only one. */
bool editor_close_buffer(struct editor *ed);
/* Closes b, an open buffer other than the one shown (the caller has asked about unsaved
 * text). */
void editor_forget_buffer(struct editor *ed, struct buffer *b);
/* Whether any open buffer may differ from its file. */
bool editor_any_modified(const struct editor *ed);

/* Starts an editor on doc (taken over: freed by editor_close()) with no file: a guest's.
 * path is where Ctrl-S offers to save a copy; title is shown in the status line. */
void editor_open_doc(struct editor *ed, wf_doc *doc, const char *path, const char *title);
/* Swaps in a new document (taken over; the old one is freed), keeping the view's anchors,
 * which stay valid when the new document has the same IDs (a guest's resync). */
void editor_replace_doc(struct editor *ed, wf_doc *doc);
/* Puts the cursor and the view back at the top of the document (a guest's first sync). */
void editor_reset_view(struct editor *ed);

/* Sets the text area size from the terminal size (rows, cols) and the gutter. In a
 * session, the caller then calls session_update() so that others see how many lines we
 * see (editor_event does it after every event). */
void editor_resize(struct editor *ed, int rows, int cols);
/* Width of the line-number gutter, 0 when hidden. */
int editor_gutter(const struct editor *ed);

/* Shows a message in the status line until the next key, and logs it (editor_log). */
void editor_message(struct editor *ed, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds text to the message log, for a message shown by other means (a session notice). */
void editor_log(struct editor *ed, bool error, const char *text);

/* Saves to the file (asking first when it changed on disk, unless force). True on success;
 * either way the status line (ed->msg) says what happened. In a session, the caller then
 * tells the others (session_saved). */
bool editor_save(struct editor *ed, bool force);
/* Writes the text to path atomically, as a copy (the editor's file and stamp stay). True on
 * success; either way the status line says what happened. */
bool editor_save_copy(struct editor *ed, const char *path);

/* Saves to path (Alt-W), which becomes the file edited, with its own EditorConfig and
 * syntax; an existing file there is replaced (the caller asks first). True on success;
 * else the file edited stays the old one, and the status line says why. */
bool editor_save_as(struct editor *ed, const char *path);

/* Writes the unsaved text to PATH.weft-save (after a hang-up or a fatal signal of the
 * kind that allows it). Returns 0 or -errno; *where receives the path (free with free()). */
WF_MUST_CHECK int editor_emergency_save(struct editor *ed, char **where);

/* Call after the document changed by other means than local commands (remote updates). */
void editor_doc_changed(struct editor *ed);

#endif
