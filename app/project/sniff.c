/* Text or binary: see sniff.h. One pass over the window: a NUL decides at once; UTF-8 is
 * checked by the same strict decoder as guests' paths (utf8.h). */
#include "app/project/sniff.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/project/utf8.h"

enum proj_content proj_sniff(const void *buf, size_t n, bool whole)
{
    const unsigned char *s = buf;
    if (n > PROJ_SNIFF_BYTES) {
        n = PROJ_SNIFF_BYTES;
        whole = false;
    }
    if (memchr(s, '\0', n))
        return PROJ_CONTENT_BINARY_NUL;
    for (size_t i = 0; i < n;) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = proj_utf8_seq(s + i, n - i, &cp);
        if (l == PROJ_UTF8_CUT)
            return whole ? PROJ_CONTENT_BINARY_UTF8 : PROJ_CONTENT_TEXT;
        if (l == 0)
            return PROJ_CONTENT_BINARY_UTF8;
        i += l;
    }
    return PROJ_CONTENT_TEXT;
}

int proj_sniff_fd(int fd, enum proj_content *out)
{
    unsigned char buf[PROJ_SNIFF_BYTES + 1]; /* one more byte: is the window the whole file? */
    size_t got = 0;
    while (got < sizeof buf) {
        ssize_t r = pread(fd, buf + got, sizeof buf - got, (off_t)got);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    *out = proj_sniff(buf, got > PROJ_SNIFF_BYTES ? PROJ_SNIFF_BYTES : got,
                      got <= PROJ_SNIFF_BYTES);
    return 0;
}

/* Extensions of text files, without the dot, sorted for bsearch (strcmp order). */
static const char *const text_exts[] = {
    "S", "ac", "am", "asm", "awk", "bash", "bib", "c", "cc", "cfg", "clj", "cmake", "conf",
    "cpp", "cs", "css", "csv", "cxx", "d", "dart", "diff", "dts", "dtsi", "el", "erl", "ex",
    "exs", "go", "gradle", "h", "hh", "hpp", "hrl", "hs", "htm", "html", "hxx", "in", "ini",
    "java", "js", "json", "jsx", "kt", "kts", "less", "lisp", "lua", "m", "mak", "md", "mk",
    "ml", "mli", "mm", "nix", "patch", "php", "pl", "pm", "po", "proto", "ps1", "py", "r",
    "rb", "rs", "rst", "s", "scala", "scss", "sh", "sql", "swift", "tcl", "tex", "toml", "ts",
    "tsx", "txt", "vim", "vue", "xml", "yaml", "yml", "zig", "zsh",
};

static int cmp_ext(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

bool proj_sniff_name_is_text(const char *path, size_t len)
{
    size_t dot = len;
    while (dot > 0 && path[dot - 1] != '.' && path[dot - 1] != '/')
        dot--;
    if (dot <= 1 || path[dot - 1] != '.' || path[dot - 2] == '/')
        return false; /* no extension, or a dot file such as ".bashrc" */
    char ext[8];
    size_t n = len - dot;
    if (n == 0 || n >= sizeof ext)
        return false;
    memcpy(ext, path + dot, n);
    ext[n] = '\0';
    return bsearch(ext, text_exts, sizeof text_exts / sizeof text_exts[0], sizeof text_exts[0],
                   cmp_ext) != NULL;
}
