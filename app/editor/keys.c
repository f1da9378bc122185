/* Terminal input decoding (see keys.h).
 *
 * Bytes are appended to `held` one at a time and the held prefix is parsed after each: it
 * is either one complete event (emitted, then removed), or a prefix of one (kept), or
 * garbage (dropped). So held never holds more than one event, and a sequence split across
 * reads decodes the same as one that arrives whole. Inside a bracketed paste, bytes go in
 * bulk to the paste buffer until the terminator ESC[201~, which may itself be split across
 * reads. References: xterm's ctlseqs ("PC-Style Function Keys", "Extended coordinates"),
 * kitty's keyboard protocol (CSI u). */
#include "app/editor/keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/utf8.h"

#define ESC 0x1b

enum parse_result { P_INCOMPLETE, P_DONE };

static const char paste_end[] = "\x1b[201~";
#define PASTE_END_LEN (sizeof paste_end - 1)

void keys_init(struct keys *k)
{
    memset(k, 0, sizeof *k);
}

void keys_close(struct keys *k)
{
    free(k->paste);
    memset(k, 0, sizeof *k);
}

bool keys_pending(const struct keys *k)
{
    return k->nheld > 0 && !k->in_paste;
}

static void emit_key(keys_emit_fn emit, void *ctx, uint32_t code, unsigned mods)
{
    struct keyev ev = { .type = KEV_KEY, .code = code, .mods = (uint8_t)mods };
    emit(ctx, &ev);
}

/* Maps a C0 control byte or DEL to its key. */
static void control_key(unsigned char b, uint32_t *code, unsigned *mods)
{
    *mods = 0;
    switch (b) {
    case '\r': case '\n': *code = K_ENTER; return;
    case '\t': *code = K_TAB; return;
    case 0x7f: case 0x08: *code = K_BACKSPACE; return;
    case ESC: *code = K_ESC; return;
    case 0: *code = ' '; *mods = MOD_CTRL; return;
    default: break;
    }
    *mods = MOD_CTRL;
    if (b <= 0x1a)
        *code = 'a' + b - 1;
    else
        *code = "\\]^_"[b - 0x1c];
}

/* Bytes a UTF-8 sequence starting with lead b should have (1 when b cannot start one). */
static size_t utf8_need(unsigned char b)
{
    if (b >= 0xc2 && b <= 0xdf)
        return 2;
    if (b >= 0xe0 && b <= 0xef)
        return 3;
    if (b >= 0xf0 && b <= 0xf4)
        return 4;
    return 1;
}

/* Parses one plain (non-ESC) key at s[0..n). */
static enum parse_result parse_plain(const unsigned char *s, size_t n, size_t *used,
                                     uint32_t *code, unsigned *mods)
{
    if (s[0] < 0x20 || s[0] == 0x7f) {
        control_key(s[0], code, mods);
        *used = 1;
        return P_DONE;
    }
    *mods = 0;
    size_t need = utf8_need(s[0]);
    if (need > n) {
        /* Wait for the rest only while what we have is still a valid prefix. */
        bool ok = true;
        for (size_t i = 1; i < n; i++)
            ok = ok && (s[i] & 0xc0) == 0x80;
        if (ok)
            return P_INCOMPLETE;
    }
    size_t len;
    int32_t c = wf_utf8_decode((const char *)s, n, &len);
    *code = WF_UTF8_IS_RAW(c) ? (uint32_t)K_RAW + WF_UTF8_RAW_BYTE(c) : (uint32_t)c;
    *used = len;
    return P_DONE;
}

/* Splits CSI parameters "1;5" into numbers; missing ones are 0. Returns their count. */
static int csi_params(const unsigned char *p, size_t n, int *out, int max)
{
    int count = 0;
    int v = 0;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= '0' && p[i] <= '9') {
            if (v < 100000)
                v = v * 10 + (p[i] - '0');
            any = true;
        } else if (p[i] == ';' || p[i] == ':') {
            if (count < max)
                out[count++] = v;
            v = 0;
            any = true;
        }
    }
    if (any && count < max)
        out[count++] = v;
    for (int i = count; i < max; i++)
        out[i] = 0;
    return count;
}

static unsigned xterm_mods(int param)
{
    if (param < 2)
        return 0;
    unsigned m = (unsigned)(param - 1);
    return (m & (MOD_SHIFT | MOD_ALT | MOD_CTRL)) | ((m & 8) ? MOD_ALT : 0);
}

static void emit_mouse(const int *prm, unsigned char final, keys_emit_fn emit, void *ctx)
{
    int b = prm[0];
    struct keyev ev = { .type = KEV_MOUSE, .x = prm[1] - 1, .y = prm[2] - 1 };
    ev.mods = (uint8_t)(((b & 4) ? MOD_SHIFT : 0) | ((b & 8) ? MOD_ALT : 0) |
                        ((b & 16) ? MOD_CTRL : 0));
    ev.button = (uint8_t)(b & 3);
    if (b & 64)
        ev.action = (b & 1) ? MOUSE_WHEEL_DOWN : MOUSE_WHEEL_UP;
    else if (final == 'm')
        ev.action = MOUSE_RELEASE;
    else if (b & 32)
        ev.action = MOUSE_DRAG;
    else
        ev.action = MOUSE_PRESS;
    if (ev.x < 0 || ev.y < 0)
        return;
    emit(ctx, &ev);
}

/* The key for CSI n ~ (0 when unknown). */
static uint32_t tilde_key(int n)
{
    static const struct { int n; uint32_t code; } map[] = {
        { 1, K_HOME }, { 7, K_HOME }, { 4, K_END }, { 8, K_END }, { 2, K_INSERT },
        { 3, K_DELETE }, { 5, K_PGUP }, { 6, K_PGDN }, { 11, K_F1 }, { 12, K_F2 },
        { 13, K_F3 }, { 14, K_F4 }, { 15, K_F5 }, { 17, K_F6 }, { 18, K_F7 }, { 19, K_F8 },
        { 20, K_F9 }, { 21, K_F10 }, { 23, K_F11 }, { 24, K_F12 },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].n == n)
            return map[i].code;
    return 0;
}

/* The key for a CSI or SS3 final letter (0 when unknown). */
static uint32_t letter_key(unsigned char f)
{
    switch (f) {
    case 'A': return K_UP;
    case 'B': return K_DOWN;
    case 'C': return K_RIGHT;
    case 'D': return K_LEFT;
    case 'H': return K_HOME;
    case 'F': return K_END;
    case 'P': return K_F1;
    case 'Q': return K_F2;
    case 'R': return K_F3;
    case 'S': return K_F4;
    case 'M': return K_ENTER; /* SS3 M: keypad Enter */
    default: return 0;
    }
}

/* kitty CSI code;mods u */
static void emit_csi_u(const int *prm, keys_emit_fn emit, void *ctx)
{
    unsigned mods = xterm_mods(prm[1]);
    uint32_t code;
    switch (prm[0]) {
    case 13: code = K_ENTER; break;
    case 9: code = K_TAB; break;
    case 27: code = K_ESC; break;
    case 127: case 8: code = K_BACKSPACE; break;
    default:
        if (prm[0] <= 0 || prm[0] >= 0x110000)
            return;
        code = (uint32_t)prm[0];
        if ((mods & MOD_CTRL) && code >= 'A' && code <= 'Z')
            code += 'a' - 'A';
    }
    emit_key(emit, ctx, code, mods);
}

/* Interprets a complete CSI sequence: parameters p[0..n), final byte f. */
static void csi_dispatch(struct keys *k, const unsigned char *p, size_t n, unsigned char f,
                         keys_emit_fn emit, void *ctx)
{
    int prm[8];
    bool sgr_mouse = n > 0 && p[0] == '<';
    csi_params(p, n, prm, 8);
    if (sgr_mouse) {
        if (f == 'M' || f == 'm')
            emit_mouse(prm, f, emit, ctx);
        return;
    }
    if (n > 0 && (p[0] < '0' || p[0] > ';'))
        return; /* other private sequences (replies to queries): ignore */
    uint32_t code = 0;
    unsigned mods = 0;
    if (f == '~') {
        if (prm[0] == 200) {
            k->in_paste = true;
            k->paste_len = 0;
            return;
        }
        code = tilde_key(prm[0]);
        mods = xterm_mods(prm[1]);
    } else if (f == 'u') {
        emit_csi_u(prm, emit, ctx);
        return;
    } else if (f == 'Z') {
        code = K_TAB;
        mods = MOD_SHIFT;
    } else if (f == 'I' || f == 'O') { /* focus reports (mode 1004) */
        code = f == 'I' ? K_FOCUS_IN : K_FOCUS_OUT;
    } else if (f != 'M') {
        code = letter_key(f);
        mods = xterm_mods(prm[1]);
    }
    if (code)
        emit_key(emit, ctx, code, mods);
}

/* Parses an ESC-prefixed sequence at s[0..n) (s[0] == ESC). */
static enum parse_result parse_esc(struct keys *k, const unsigned char *s, size_t n,
                                   size_t *used, keys_emit_fn emit, void *ctx)
{
    if (n < 2)
        return P_INCOMPLETE;
    if (s[1] == '[') {
        if (n < 3)
            return P_INCOMPLETE;
        if (s[2] == '[') { /* Linux console F1-F5: ESC [ [ A..E */
            if (n < 4)
                return P_INCOMPLETE;
            if (s[3] >= 'A' && s[3] <= 'E')
                emit_key(emit, ctx, K_F1 + (uint32_t)(s[3] - 'A'), 0);
            *used = 4;
            return P_DONE;
        }
        size_t i = 2;
        while (i < n && s[i] >= 0x20 && s[i] <= 0x3f)
            i++;
        if (i == n)
            return P_INCOMPLETE;
        if (s[i] >= 0x40 && s[i] <= 0x7e)
            csi_dispatch(k, s + 2, i - 2, s[i], emit, ctx);
        *used = i + 1; /* a malformed sequence is dropped up to the offending byte */
        return P_DONE;
    }
    if (s[1] == 'O') {
        if (n < 3)
            return P_INCOMPLETE;
        uint32_t code = letter_key(s[2]);
        if (code)
            emit_key(emit, ctx, code, 0);
        *used = 3;
        return P_DONE;
    }
    if (s[1] == ESC) {
        emit_key(emit, ctx, K_ESC, 0);
        *used = 1;
        return P_DONE;
    }
    /* ESC followed by a key: that key with Alt. */
    uint32_t code;
    unsigned mods;
    size_t len;
    if (parse_plain(s + 1, n - 1, &len, &code, &mods) == P_INCOMPLETE)
        return P_INCOMPLETE;
    emit_key(emit, ctx, code, mods | MOD_ALT);
    *used = 1 + len;
    return P_DONE;
}

static enum parse_result parse_one(struct keys *k, size_t *used, keys_emit_fn emit, void *ctx)
{
    const unsigned char *s = k->held;
    if (s[0] == ESC)
        return parse_esc(k, s, k->nheld, used, emit, ctx);
    uint32_t code;
    unsigned mods;
    if (parse_plain(s, k->nheld, used, &code, &mods) == P_INCOMPLETE)
        return P_INCOMPLETE;
    emit_key(emit, ctx, code, mods);
    return P_DONE;
}

static void drop_held(struct keys *k, size_t n)
{
    memmove(k->held, k->held + n, k->nheld - n);
    k->nheld -= n;
}

/* Appends p[0..n) to the paste; on the terminator emits the paste and returns the bytes of
 * p consumed up to and including it; else returns n. */
static size_t paste_take(struct keys *k, const char *p, size_t n, keys_emit_fn emit, void *ctx)
{
    size_t old = k->paste_len;
    if (k->paste_cap - k->paste_len < n) {
        size_t cap = k->paste_cap ? k->paste_cap : 4096;
        while (cap - k->paste_len < n)
            cap *= 2;
        k->paste = wf_xrealloc(k->paste, cap);
        k->paste_cap = cap;
    }
    memcpy(k->paste + k->paste_len, p, n);
    k->paste_len += n;
    size_t from = old >= PASTE_END_LEN ? old - (PASTE_END_LEN - 1) : 0;
    for (size_t i = from; i + PASTE_END_LEN <= k->paste_len; i++) {
        if (k->paste[i] == ESC && memcmp(k->paste + i, paste_end, PASTE_END_LEN) == 0) {
            struct keyev ev = { .type = KEV_PASTE, .text = k->paste, .len = i };
            k->in_paste = false;
            k->paste_len = 0;
            emit(ctx, &ev);
            return i + PASTE_END_LEN - old;
        }
    }
    return n;
}

/* Parses and emits what held contains; stops at an incomplete prefix. */
static void drain(struct keys *k, keys_emit_fn emit, void *ctx)
{
    while (k->nheld > 0) {
        if (k->in_paste) {
            unsigned char tmp[KEYS_SEQ_MAX];
            size_t n = k->nheld;
            memcpy(tmp, k->held, n);
            k->nheld = 0;
            size_t used = paste_take(k, (const char *)tmp, n, emit, ctx);
            memcpy(k->held, tmp + used, n - used);
            k->nheld = n - used;
            continue;
        }
        size_t used = 0;
        if (parse_one(k, &used, emit, ctx) == P_INCOMPLETE) {
            if (k->nheld == KEYS_SEQ_MAX)
                k->nheld = 0; /* an absurdly long sequence: drop it */
            return;
        }
        drop_held(k, used);
    }
}

void keys_feed(struct keys *k, const char *p, size_t n, keys_emit_fn emit, void *ctx)
{
    size_t i = 0;
    while (i < n) {
        if (k->in_paste && k->nheld == 0) {
            i += paste_take(k, p + i, n - i, emit, ctx);
            continue;
        }
        k->held[k->nheld++] = (unsigned char)p[i++];
        drain(k, emit, ctx);
    }
}

void keys_flush(struct keys *k, keys_emit_fn emit, void *ctx)
{
    while (k->nheld > 0 && !k->in_paste) {
        size_t used = 0;
        if (parse_one(k, &used, emit, ctx) == P_DONE) {
            drop_held(k, used);
            continue;
        }
        /* Incomplete: the first byte on its own (ESC, or a truncated UTF-8 lead). */
        unsigned char b = k->held[0];
        if (b == ESC)
            emit_key(emit, ctx, K_ESC, 0);
        else
            emit_key(emit, ctx, (uint32_t)K_RAW + b, 0);
        drop_held(k, 1);
    }
}

static const char *special_name(uint32_t code)
{
    static const char *const names[] = {
        "Up", "Down", "Left", "Right", "Home", "End", "PgUp", "PgDn", "Insert", "Delete",
        "Backspace", "Enter", "Tab", "Esc",
        "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12",
    };
    if (code > K_SPECIAL && code <= K_F12)
        return names[code - K_SPECIAL - 1];
    return NULL;
}

char *keys_name(uint32_t code, unsigned mods, char *out, size_t size)
{
    char base[16];
    const char *name = special_name(code);
    if (!name) {
        if (code == ' ')
            name = "Space";
        else if (code >= K_RAW && code < K_RAW + 256) {
            snprintf(base, sizeof base, "\\x%02x", code - K_RAW);
            name = base;
        } else {
            char u[4];
            uint32_t c = code;
            if ((mods & (MOD_CTRL | MOD_ALT)) && c >= 'a' && c <= 'z')
                c -= 'a' - 'A';
            size_t n = wf_utf8_encode(c, u);
            snprintf(base, sizeof base, "%.*s", (int)n, u);
            name = base;
        }
    }
    snprintf(out, size, "%s%s%s%s", (mods & MOD_CTRL) ? "Ctrl-" : "",
             (mods & MOD_ALT) ? "Alt-" : "", (mods & MOD_SHIFT) ? "Shift-" : "", name);
    return out;
}
