/* The terminal (see term.h).
 *
 * The fatal-signal path cannot call endwin() (not async-signal-safe), so term_open() saves
 * what it needs beforehand: the original termios (restored with tcsetattr, which is
 * async-signal-safe) and one string of escape sequences that leaves the alternate screen,
 * shows the cursor and turns off paste and mouse modes (written with write()). */
#define NCURSES_WIDECHAR 1
#include "app/ui/term.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "core/mem.h"

#define MODES_ON_PASTE "\x1b[?2004h\x1b[?1004h" /* bracketed paste, focus reports */
#define MODES_ON_MOUSE "\x1b[?1000h\x1b[?1002h\x1b[?1006h"
#define MODES_OFF "\x1b[?1006l\x1b[?1002l\x1b[?1000l\x1b[?1004l\x1b[?2004l"

static bool is_open;
static bool mouse_on;  /* term_open() asked for mouse reports (term_suspend() asks again) */
static SCREEN *screen;
static struct termios saved_tio;
static bool have_tio;
static char restore_seq[256]; /* MODES_OFF + rmcup + cnorm + sgr0, for the signal path */
static size_t restore_len;

enum { PAIR_SPECIAL = 1, PAIR_GUTTER, PAIR_ERROR, PAIR_PEERS = 8 };

static enum palette_depth depth = PALETTE_MONO;
static bool colours; /* colour pairs in use: the terminal has colours and NO_COLOR is unset */

/* The bytes term_put_clusters() sends, gathered so that they go out in one write; the
 * output function of vid_puts() has no context, hence static. */
static char *cbuf;
static size_t clen, ccap;

static void write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

static void append_cap(const char *name)
{
    const char *s = tigetstr((char *)name);
    if (!s || s == (char *)-1)
        return;
    size_t n = strlen(s);
    if (restore_len + n < sizeof restore_seq) {
        memcpy(restore_seq + restore_len, s, n);
        restore_len += n;
    }
}

static void fatal_signal(int sig)
{
    write_all(restore_seq, restore_len);
    if (have_tio)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_fatal_handlers(void)
{
    static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fatal_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

static void init_colors(void)
{
    colours = has_colors() && !palette_no_color(getenv("NO_COLOR"));
    if (!colours)
        return;
    start_color();
    use_default_colors();
    init_pair(PAIR_SPECIAL, COLOR_CYAN, -1);
    init_pair(PAIR_GUTTER, COLOR_YELLOW, -1);
    init_pair(PAIR_ERROR, COLOR_WHITE, COLOR_RED);
    depth = palette_depth(COLORS);
    if (depth == PALETTE_MONO || COLOR_PAIRS < PAIR_PEERS + PALETTE_SIZE * PALETTE_USES) {
        depth = PALETTE_MONO;
        return;
    }
    for (unsigned c = 0; c < PALETTE_SIZE; c++) {
        for (int u = 0; u < PALETTE_USES; u++) {
            struct palette_style st = palette_style(depth, c, (enum palette_use)u);
            int pair = PAIR_PEERS + (int)c * PALETTE_USES + u;
            /* Direct colours are RGB values beyond a short: only the extended call takes them. */
            if (depth == PALETTE_DIRECT)
                init_extended_pair(pair, st.fg, st.bg);
            else
                init_pair((short)pair, (short)st.fg, (short)st.bg);
        }
    }
}

int term_open(bool mouse, char *err, size_t errsize)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, errsize, "the editor needs a terminal, but standard %s is not one.\n"
                 "Run weft FILE from an interactive terminal (not a pipe or a script).",
                 isatty(STDIN_FILENO) ? "output" : "input");
        return -1;
    }
    have_tio = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
    screen = newterm(NULL, stdout, stdin);
    if (!screen) {
        const char *t = getenv("TERM");
        snprintf(err, errsize, "the terminal type \"%s\" is not known to ncurses.\n"
                 "Set TERM to one that is, e.g. TERM=xterm-256color.", t ? t : "");
        return -1;
    }
    is_open = true;
    raw();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, FALSE); /* app/editor/keys.c decodes the keys itself */
    init_colors();
    restore_len = 0;
    memcpy(restore_seq, MODES_OFF, sizeof MODES_OFF - 1);
    restore_len = sizeof MODES_OFF - 1;
    append_cap("rmcup");
    append_cap("cnorm");
    append_cap("sgr0");
    install_fatal_handlers();
    refresh(); /* enters the alternate screen before the modes are turned on */
    write_all(MODES_ON_PASTE, sizeof MODES_ON_PASTE - 1);
    mouse_on = mouse;
    if (mouse)
        write_all(MODES_ON_MOUSE, sizeof MODES_ON_MOUSE - 1);
    return 0;
}

void term_close(void)
{
    free(cbuf);
    cbuf = NULL;
    clen = ccap = 0;
    if (!is_open)
        return;
    is_open = false;
    fflush(stdout);
    write_all(MODES_OFF, sizeof MODES_OFF - 1);
    endwin();
    delscreen(screen);
    screen = NULL;
}

void term_suspend(void)
{
    if (!is_open)
        return;
    fflush(stdout);
    write_all(MODES_OFF, sizeof MODES_OFF - 1);
    endwin();
    /* The default action, whatever ncurses installed: stop the whole job, as ^Z would. */
    struct sigaction dfl, old;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGTSTP, &dfl, &old);
    kill(0, SIGTSTP);
    /* Here after SIGCONT (fg): back to the program's modes, and the whole screen again. */
    sigaction(SIGTSTP, &old, NULL);
    refresh();
    write_all(MODES_ON_PASTE, sizeof MODES_ON_PASTE - 1);
    if (mouse_on)
        write_all(MODES_ON_MOUSE, sizeof MODES_ON_MOUSE - 1);
    clearok(curscr, TRUE);
}

void term_size(int *rows, int *cols)
{
    *rows = LINES;
    *cols = COLS;
}

void term_resize(int *rows, int *cols)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    term_size(rows, cols);
}

void term_redraw_all(void)
{
    clearok(curscr, TRUE);
}

void term_write(const char *p, size_t n)
{
    fflush(stdout);
    write_all(p, n);
}


static void cbuf_put(const char *p, size_t n)
{
    if (clen + n > ccap) {
        ccap = (clen + n) * 2;
        cbuf = wf_xrealloc(cbuf, ccap);
    }
    memcpy(cbuf + clen, p, n);
    clen += n;
}

static int cbuf_putc(int ch)
{
    char c = (char)ch;
    cbuf_put(&c, 1);
    return ch;
}

void term_put_clusters(const struct term_cluster *c, size_t n, const char *buf)
{
    if (!is_open || n == 0)
        return;
    const char *cup = tigetstr((char *)"cup");
    if (!cup || cup == (char *)-1)
        return; /* (ncurses itself needs it: newterm() would have failed) */
    int cy, cx;
    getyx(curscr, cy, cx);
    clen = 0;
    for (size_t i = 0; i < n; i++) {
        const char *move = tiparm(cup, c[i].row, c[i].col);
        if (move)
            cbuf_put(move, strlen(move));
        vid_puts((attr_t)c[i].attr & ~A_COLOR, (short)PAIR_NUMBER(c[i].attr), NULL, cbuf_putc);
        cbuf_put(buf + c[i].off, c[i].len);
    }
    vid_puts(A_NORMAL, 0, NULL, cbuf_putc);
    const char *back = tiparm(cup, cy, cx);
    if (back)
        cbuf_put(back, strlen(back));
    write_all(cbuf, clen);
    /* A terminal that draws a cluster wider than weft counts it (tmux 3.3 gives a skin
     * tone two more columns) leaves part of it where ncurses believes there are other
     * cells: ncurses repaints these rows whole next time, so no piece outlives its cluster. */
    for (size_t i = 0; i < n; i++)
        wredrawln(stdscr, c[i].row, 1);
}

unsigned term_attr(enum term_style s)
{
    bool c = colours;
    switch (s) {
    case TERM_SPECIAL: return c ? (unsigned)COLOR_PAIR(PAIR_SPECIAL) : A_BOLD;
    case TERM_GUTTER: return c ? (unsigned)COLOR_PAIR(PAIR_GUTTER) : A_DIM;
    case TERM_ERROR: return c ? (unsigned)(COLOR_PAIR(PAIR_ERROR) | A_BOLD) : A_BOLD;
    }
    return A_NORMAL;
}

unsigned term_peer_attr(unsigned colour, enum palette_use use)
{
    colour %= PALETTE_SIZE;
    struct palette_style st = palette_style(depth, colour, use);
    unsigned a = A_NORMAL;
    if (st.attrs & PALETTE_BOLD)
        a |= A_BOLD;
    if (st.attrs & PALETTE_UNDERLINE)
        a |= A_UNDERLINE;
    if (st.attrs & PALETTE_REVERSE)
        a |= A_REVERSE;
    if (depth != PALETTE_MONO)
        a |= (unsigned)COLOR_PAIR(PAIR_PEERS + (int)colour * PALETTE_USES + (int)use);
    return a;
}

void term_oom_hook(size_t nbytes)
{
    (void)nbytes;
    term_close();
}
