/* The host's journal (see app/cmd/journal.h for the format and the durability policy). */
#include "app/cmd/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/editor/file.h"
#include "core/buf.h"
#include "core/codec.h"
#include "core/mem.h"

#define MAGIC "WEFTJRN2"
#define MAGIC_V1 "WEFTJRN1" /* before COLOUR records: read the same */
#define MAGIC_LEN 8
#define SUM_BYTES 8

enum { REC_SESSION = 1, REC_STATE = 2, REC_UPDATE = 3, REC_COLOUR = 4 };
#define COLOUR_BYTES 9

struct journal {
    int fd;
    char *path;
    journal_session s; /* owned copy */
    bool dirty;        /* written since the last fsync */
    bool failed;       /* a write failed: recording stopped */
};

void journal_session_free(journal_session *s)
{
    if (s->token_rw)
        sodium_memzero(s->token_rw, strlen(s->token_rw));
    free(s->token_rw);
    free(s->token_ro);
    free(s->listen);
    free(s->file);
    free(s->colours);
    memset(s, 0, sizeof *s);
}

/* Records agent's colour in s: replaces its earlier one, else appends. */
static void keep_colour(journal_session *s, uint64_t agent, uint8_t colour)
{
    for (size_t i = 0; i < s->ncolours; i++) {
        if (s->colours[i].agent == agent) {
            s->colours[i].colour = colour;
            return;
        }
    }
    s->colours = wf_xreallocarray(s->colours, s->ncolours + 1, sizeof *s->colours);
    s->colours[s->ncolours++] = (wn_colour_entry){agent, colour};
}

static char *dup_or_null(const char *s)
{
    return s ? wf_xstrndup(s, strlen(s)) : NULL;
}

/* --- where -------------------------------------------------------------------------- */

static int mkdirs(char *dir)
{
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int rc = mkdir(dir, 0700);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return -errno;
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return -errno;
    return 0;
}

/* The file's absolute path, also when it does not exist yet. */
static char *absolute(const char *file)
{
    char *r = realpath(file, NULL);
    if (r)
        return r;
    char *copy1 = wf_xstrndup(file, strlen(file)), *copy2 = wf_xstrndup(file, strlen(file));
    char *dir = realpath(dirname(copy1), NULL);
    char *out = NULL;
    if (dir) {
        const char *base = basename(copy2);
        out = wf_xmalloc(strlen(dir) + strlen(base) + 2);
        sprintf(out, "%s/%s", dir, base);
        free(dir);
    }
    free(copy1);
    free(copy2);
    return out;
}

/* The state directory (created when create is true), or NULL with errno set. Returns a new
 * string. */
static char *state_dir(bool create)
{
    const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    char dir[PATH_MAX];
    if (state && state[0] == '/')
        snprintf(dir, sizeof dir, "%s/weft", state);
    else if (home && *home)
        snprintf(dir, sizeof dir, "%s/.local/state/weft", home);
    else {
        errno = ENOENT;
        return NULL;
    }
    int err = create ? mkdirs(dir) : 0;
    if (err) {
        errno = -err;
        return NULL;
    }
    return wf_xstrndup(dir, strlen(dir));
}

/* "<dir>/<label>-<16 hex digits of BLAKE2b(key)><ext>" */
static char *named(const char *label, const char *key, const char *ext, bool create)
{
    char *dir = state_dir(create);
    if (!dir)
        return NULL;
    uint8_t h[8];
    crypto_generichash(h, sizeof h, (const uint8_t *)key, strlen(key), NULL, 0);
    char *path = wf_xmalloc(strlen(dir) + strlen(label) + strlen(ext) + 32);
    sprintf(path, "%s/%s-%02x%02x%02x%02x%02x%02x%02x%02x%s", dir, label, h[0], h[1], h[2],
            h[3], h[4], h[5], h[6], h[7], ext);
    free(dir);
    return path;
}

/* The path of a file of the state directory named after file, ending in ext. */
static char *path_for_file(const char *file, const char *ext, bool create)
{
    char *abs = absolute(file);
    if (!abs)
        return NULL;
    const char *base = strrchr(abs, '/') ? strrchr(abs, '/') + 1 : abs;
    char *path = named(base, abs, ext, create);
    free(abs);
    return path;
}

char *journal_path(const char *file)
{
    return path_for_file(file, ".journal", true);
}

char *journal_lock_path(const char *file, bool create)
{
    return path_for_file(file, ".lock", create);
}

char *journal_path_for_join(const char *ticket)
{
    return named("join", ticket, ".journal", true);
}

/* --- writing ------------------------------------------------------------------------ */

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void put_record(wf_buf *out, uint8_t type, const uint8_t *p, size_t n)
{
    uint32_t len = (uint32_t)(n + 1);
    uint8_t hdr[5] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16),
                      (uint8_t)(len >> 24), type};
    wf_buf_put(out, hdr, 5);
    wf_buf_put(out, p, n);
    uint8_t sum[SUM_BYTES];
    crypto_generichash(sum, SUM_BYTES, out->data + out->len - n - 1, n + 1, NULL, 0);
    wf_buf_put(out, sum, SUM_BYTES);
}

static void put_colour(wf_buf *out, uint64_t agent, uint8_t colour)
{
    uint8_t p[COLOUR_BYTES];
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(agent >> (8 * i));
    p[8] = colour;
    put_record(out, REC_COLOUR, p, sizeof p);
}

static void put_str(wf_buf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    wf_buf_put_varuint(b, n);
    wf_buf_put(b, s, n);
}

/* Writes a whole new journal (header, SESSION, STATE) to path.tmp, syncs it and renames it
 * over path. Returns the open descriptor, or -errno. */
static int write_fresh(const char *path, const journal_session *s, const wf_doc *doc)
{
    size_t plen = strlen(path);
    char *tmp = wf_xmalloc(plen + 5);
    sprintf(tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = -errno;
        free(tmp);
        return e;
    }
    wf_buf b, rec;
    wf_buf_init(&b);
    wf_buf_init(&rec);
    wf_buf_put(&b, MAGIC, MAGIC_LEN);
    wf_buf_put(&rec, s->doc_id, WN_DOC_ID_BYTES);
    put_str(&rec, s->token_rw);
    put_str(&rec, s->token_ro);
    put_str(&rec, s->listen);
    put_str(&rec, s->file);
    put_record(&b, REC_SESSION, rec.data, rec.len);
    sodium_memzero(rec.data, rec.len);
    wf_buf_reset(&rec);
    wf_doc_encode_diff(doc, NULL, &rec);
    put_record(&b, REC_STATE, rec.data, rec.len);
    for (size_t i = 0; i < s->ncolours; i++)
        put_colour(&b, s->colours[i].agent, s->colours[i].colour);
    int err = write_all(fd, b.data, b.len);
    if (!err && fsync(fd) != 0)
        err = -errno;
    if (!err && rename(tmp, path) != 0)
        err = -errno;
    sodium_memzero(b.data, b.len);
    wf_buf_free(&b);
    wf_buf_free(&rec);
    if (err) {
        close(fd);
        unlink(tmp);
        free(tmp);
        return err;
    }
    free(tmp);
    /* Make the rename itself durable. */
    char *copy = wf_xstrndup(path, plen);
    int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(copy);
    return fd;
}

int journal_create(const char *path, const journal_session *s, const wf_doc *doc,
                   journal **out, char *err, size_t errsize)
{
    int fd = write_fresh(path, s, doc);
    if (fd < 0) {
        snprintf(err, errsize, "cannot write the journal %s: %s", path, strerror(-fd));
        return fd;
    }
    journal *j = wf_xcalloc(1, sizeof *j);
    j->fd = fd;
    j->path = wf_xstrndup(path, strlen(path));
    memcpy(j->s.doc_id, s->doc_id, WN_DOC_ID_BYTES);
    j->s.token_rw = dup_or_null(s->token_rw);
    j->s.token_ro = dup_or_null(s->token_ro);
    j->s.listen = dup_or_null(s->listen);
    j->s.file = dup_or_null(s->file);
    for (size_t i = 0; i < s->ncolours; i++)
        keep_colour(&j->s, s->colours[i].agent, s->colours[i].colour);
    *out = j;
    return 0;
}

/* Writes one record of b's; on failure, stops recording and says so in err. */
static int append_record(journal *j, wf_buf *b, char *err, size_t errsize)
{
    int e = write_all(j->fd, b->data, b->len);
    wf_buf_free(b);
    if (e) {
        j->failed = true;
        snprintf(err, errsize, "cannot write the journal %s (%s): a crash now would lose "
                               "recent edits; save the file", j->path, strerror(-e));
        return e;
    }
    j->dirty = true;
    return 0;
}

int journal_append(journal *j, const uint8_t *update, size_t n, char *err, size_t errsize)
{
    if (j->failed)
        return -EIO;
    wf_buf b;
    wf_buf_init(&b);
    put_record(&b, REC_UPDATE, update, n);
    return append_record(j, &b, err, errsize);
}

int journal_append_colour(journal *j, uint64_t agent, uint8_t colour, char *err,
                          size_t errsize)
{
    keep_colour(&j->s, agent, colour); /* for restarts, even if this write fails */
    if (j->failed)
        return -EIO;
    wf_buf b;
    wf_buf_init(&b);
    put_colour(&b, agent, colour);
    return append_record(j, &b, err, errsize);
}

int journal_tick(journal *j)
{
    if (!j->dirty || j->failed)
        return 0;
    j->dirty = false;
    return fdatasync(j->fd) == 0 ? 0 : -errno;
}

int journal_restart(journal *j, const wf_doc *doc, char *err, size_t errsize)
{
    int fd = write_fresh(j->path, &j->s, doc);
    if (fd < 0) {
        snprintf(err, errsize, "cannot restart the journal %s: %s", j->path, strerror(-fd));
        return fd;
    }
    close(j->fd);
    j->fd = fd;
    j->dirty = false;
    j->failed = false;
    return 0;
}

void journal_close(journal *j, bool remove)
{
    if (!j)
        return;
    if (!remove)
        journal_tick(j);
    close(j->fd);
    if (remove)
        unlink(j->path);
    journal_session_free(&j->s);
    free(j->path);
    free(j);
}

/* --- reading ------------------------------------------------------------------------ */

static int get_str(wf_reader *r, char **out)
{
    uint64_t n;
    const uint8_t *p;
    if (wf_read_varuint(r, &n) || n > 4096 || wf_read_bytes(r, (size_t)n, &p))
        return -EINVAL;
    *out = n ? wf_xstrndup((const char *)p, (size_t)n) : NULL;
    return 0;
}

static int parse_session(const uint8_t *p, size_t n, journal_session *s)
{
    wf_reader r;
    wf_reader_init(&r, p, n);
    const uint8_t *id;
    memset(s, 0, sizeof *s);
    if (wf_read_bytes(&r, WN_DOC_ID_BYTES, &id))
        return -EINVAL;
    memcpy(s->doc_id, id, WN_DOC_ID_BYTES);
    if (get_str(&r, &s->token_rw) || get_str(&r, &s->token_ro) || get_str(&r, &s->listen)
        || get_str(&r, &s->file) || wf_reader_left(&r) != 0 || !s->token_rw || !s->listen) {
        journal_session_free(s);
        return -EINVAL;
    }
    return 0;
}

/* A COLOUR record into s; false if malformed. A colour out of the palette is dropped: the
 * participant gets a new one. */
static bool read_colour(const uint8_t *p, size_t n, journal_session *s)
{
    if (n != COLOUR_BYTES)
        return false;
    uint64_t agent = 0;
    for (int i = 7; i >= 0; i--)
        agent = agent << 8 | p[i];
    if (p[8] > 0 && p[8] < WN_COLOURS)
        keep_colour(s, agent, p[8]);
    return true;
}

int journal_recover(const char *path, uint64_t agent, journal_session *s, wf_doc **doc,
                    char *note, size_t notesize)
{
    note[0] = '\0';
    char *data = NULL;
    size_t size = 0;
    struct file_stamp st;
    int e = file_read(path, &data, &size, &st);
    if (e)
        return e;
    if (size < MAGIC_LEN || (memcmp(data, MAGIC, MAGIC_LEN) && memcmp(data, MAGIC_V1, MAGIC_LEN))) {
        snprintf(note, notesize, "%s is not a weft journal", path);
        free(data);
        return -EINVAL;
    }
    size_t pos = MAGIC_LEN, good = MAGIC_LEN;
    int records = 0;
    wf_doc *d = NULL;
    memset(s, 0, sizeof *s);
    while (size - pos >= 5 + SUM_BYTES) {
        const uint8_t *p = (const uint8_t *)data + pos;
        uint32_t len = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16
                       | (uint32_t)p[3] << 24;
        if (len == 0 || len > JOURNAL_RECORD_MAX || size - pos - 4 < (size_t)len + SUM_BYTES)
            break;
        uint8_t sum[SUM_BYTES];
        crypto_generichash(sum, SUM_BYTES, p + 4, len, NULL, 0);
        if (memcmp(sum, p + 4 + len, SUM_BYTES))
            break;
        uint8_t type = p[4];
        const uint8_t *payload = p + 5;
        size_t n = len - 1;
        bool ok;
        if (records == 0)
            ok = type == REC_SESSION && parse_session(payload, n, s) == 0;
        else if (records == 1)
            ok = type == REC_STATE && (d = wf_doc_new(agent)) && wf_doc_apply(d, payload, n) == 0;
        else if (type == REC_COLOUR)
            ok = read_colour(payload, n, s);
        else
            ok = type == REC_UPDATE && wf_doc_apply(d, payload, n) == 0;
        if (!ok)
            break;
        records++;
        pos += 4 + (size_t)len + SUM_BYTES;
        good = pos;
    }
    free(data);
    if (records < 2) {
        snprintf(note, notesize, "the journal %s is damaged before its first state: nothing "
                                 "to recover", path);
        journal_session_free(s);
        wf_doc_free(d);
        return -EINVAL;
    }
    if (good < size) {
        snprintf(note, notesize, "the journal's last %zu bytes were torn or corrupt (a power "
                                 "loss mid-write?) and were cut off; %d records recovered",
                 size - good, records);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd >= 0) {
            if (ftruncate(fd, (off_t)good) == 0)
                fsync(fd);
            close(fd);
        }
    } else {
        snprintf(note, notesize, "%d records recovered", records);
    }
    *doc = d;
    return 0;
}
