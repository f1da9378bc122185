/* The F1 help text (see help.h). Lines live in static storage, rebuilt when the width
 * changes: a column of keys, then the description, wrapped under itself; keys longer than
 * their column get a line of their own. */
#include "app/ui/help.h"

#include <stdio.h>
#include <string.h>

#include "app/editor/keymap.h"

#define MAXLINES 400
#define MAXW 200

static char text[MAXLINES][MAXW + 1];
static const char *lines[MAXLINES];
static size_t count;
static int built_width;
static char note[MAXW * 4]; /* help_set_note()'s, "" for none */

static void add(const char *s)
{
    if (count < MAXLINES) {
        snprintf(text[count], sizeof text[0], "%s", s);
        lines[count] = text[count];
        count++;
    }
}

/* Adds s word-wrapped to width, every line indented by `indent` spaces; the first line
 * starts with `head` instead (when it fits in the indent; else head gets a line of its
 * own). */
static void add_wrapped(const char *head, const char *s, int indent, int width)
{
    char line[MAXW + 1];
    int len = 0;
    if (indent > width - 10)
        indent = width - 10 > 0 ? width - 10 : 0;
    if (head && (int)strlen(head) >= indent) {
        add(head);
        head = NULL;
    }
    while (*s) {
        while (*s == ' ')
            s++;
        int w = (int)strcspn(s, " ");
        if (w == 0)
            break;
        if (len > 0 && len + 1 + w > width) {
            line[len] = '\0';
            add(line);
            len = 0;
        }
        if (len == 0) {
            memset(line, ' ', (size_t)indent);
            if (head) {
                memcpy(line, head, strlen(head));
                head = NULL;
            }
            len = indent;
        } else {
            line[len++] = ' ';
        }
        /* A word longer than a whole line is cut; its rest starts the next line. */
        int take = w < width - len ? w : width - len;
        memcpy(line + len, s, (size_t)take);
        len += take;
        s += take;
    }
    if (len > 0) {
        line[len] = '\0';
        add(line);
    }
}

static void build(int width)
{
    /* The key column: wide enough for most keys, never more than two fifths of the width. */
    int keycol = width >= 100 ? 36 : width * 2 / 5;
    count = 0;
    add_wrapped(NULL, "weft " PACKAGE_VERSION " - keys (Esc or F1 closes this; arrows scroll)",
                0, width);
    add("");
    add_wrapped(NULL, "Typing replaces the selection; a paste is one undo step. Mouse: "
                "click places the cursor, drag selects, double click: a word, triple: the "
                "line, wheel scrolls.", 0, width);
    add("");
    if (note[0]) {
        add_wrapped(NULL, note, 0, width);
        add("");
    }
    for (int c = CMD_NONE + 1; c < CMD_COUNT; c++) {
        char keys[128], head[160];
        keymap_keys_of((enum cmd)c, keys, sizeof keys);
        if (!keys[0])
            continue;
        snprintf(head, sizeof head, "  %s", keys);
        const char *h = keymap_cmd((enum cmd)c)->help;
        if ((int)strlen(head) > width) { /* too narrow even for the keys: wrap them too */
            add_wrapped(NULL, keys, 2, width);
            add_wrapped(NULL, h, keycol + 1, width);
        } else {
            add_wrapped(head, h, keycol + 1, width);
        }
    }
    built_width = width;
}

const char *const *help_lines(int width, size_t *n)
{
    if (width < 20)
        width = 20;
    if (width > MAXW)
        width = MAXW;
    if (width != built_width)
        build(width);
    *n = count;
    return lines;
}

void help_set_note(const char *s)
{
    if (strcmp(s ? s : "", note) == 0)
        return;
    snprintf(note, sizeof note, "%s", s ? s : "");
    built_width = 0; /* rebuilt by the next help_lines() */
}
