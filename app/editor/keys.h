/* Terminal input decoding: bytes from the terminal to key, paste and mouse events.
 *
 * The decoder understands what xterm-compatible terminals (and tmux, screen, the Linux
 * console, kitty's CSI u) send: UTF-8 text, C0 control keys, ESC-prefixed Alt keys, CSI and
 * SS3 sequences with xterm modifier parameters, bracketed paste (ESC[200~ ... ESC[201~) and
 * SGR mouse reports (ESC[<b;x;yM). It keeps no terminal state: it only parses, so it can be
 * unit-tested with byte strings. A lone ESC is ambiguous (the Escape key, or the start of a
 * sequence whose rest is still in flight): keys_feed() holds it, and the caller calls
 * keys_flush() when no more bytes arrive within a short timeout. */
#ifndef WEFT_APP_EDITOR_KEYS_H
#define WEFT_APP_EDITOR_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Key codes: a Unicode code point for text keys, or one of these above the Unicode range. */
enum {
    K_RAW = 0x110000, /* K_RAW + b: a byte that is not valid UTF-8 */
    K_SPECIAL = 0x200000,
    K_UP, K_DOWN, K_LEFT, K_RIGHT, K_HOME, K_END, K_PGUP, K_PGDN, K_INSERT, K_DELETE,
    K_BACKSPACE, K_ENTER, K_TAB, K_ESC,
    K_F1, K_F2, K_F3, K_F4, K_F5, K_F6, K_F7, K_F8, K_F9, K_F10, K_F11, K_F12,
    K_FOCUS_IN, K_FOCUS_OUT, /* the terminal window gained / lost focus (CSI I, CSI O) */
};

/* Modifier bits (xterm's parameter minus one). */
enum { MOD_SHIFT = 1, MOD_ALT = 2, MOD_CTRL = 4 };

enum keyev_type { KEV_KEY, KEV_PASTE, KEV_MOUSE };

enum mouse_action { MOUSE_PRESS, MOUSE_RELEASE, MOUSE_DRAG, MOUSE_WHEEL_UP, MOUSE_WHEEL_DOWN };

/* One input event. For KEV_PASTE, text is borrowed: valid only during the callback. */
struct keyev {
    uint8_t type;      /* enum keyev_type */
    uint8_t mods;      /* MOD_* bits */
    uint32_t code;     /* KEV_KEY: code point, K_RAW + byte, or K_* */
    const char *text;  /* KEV_PASTE: the pasted bytes, exactly as received */
    size_t len;        /* KEV_PASTE: bytes in text */
    uint8_t action;    /* KEV_MOUSE: enum mouse_action */
    uint8_t button;    /* KEV_MOUSE: 0 left, 1 middle, 2 right */
    int x, y;          /* KEV_MOUSE: 0-based column and row */
};

typedef void (*keys_emit_fn)(void *ctx, const struct keyev *ev);

/* Longest escape sequence held while incomplete; longer ones are dropped. */
#define KEYS_SEQ_MAX 64

/* Caller's storage; release with keys_close(). */
struct keys {
    unsigned char held[KEYS_SEQ_MAX]; /* bytes of an incomplete key or sequence */
    size_t nheld;                     /* bytes in held */
    bool in_paste;                    /* between ESC[200~ and ESC[201~ */
    char *paste;                      /* owned: pasted bytes so far (malloc'd) */
    size_t paste_len;                 /* bytes in paste */
    size_t paste_cap;                 /* bytes allocated */
};

void keys_init(struct keys *k);
void keys_close(struct keys *k);

/* Decodes n bytes, calling emit for every complete event, in order. Bytes that may be the
 * start of a longer sequence are held for the next call. */
void keys_feed(struct keys *k, const char *p, size_t n, keys_emit_fn emit, void *ctx);

/* True when bytes are held that keys_flush() would turn into keys. */
bool keys_pending(const struct keys *k);

/* Called when the input went quiet: a held ESC becomes the Escape key, a held partial
 * sequence becomes Alt-[ etc. Pastes are not flushed (they end with their terminator). */
void keys_flush(struct keys *k, keys_emit_fn emit, void *ctx);

/* Writes a name for the key to out ("Ctrl-S", "Shift-Up", "F1", "a"); returns out. */
char *keys_name(uint32_t code, unsigned mods, char *out, size_t size);

#endif
