/* The manifest (manifest.h): entries in one array in id order, paths in one byte arena, and
 * two open-addressing tables (by id, by path) of array indices.
 *
 * Structure. `rec` holds the entries in increasing id order as long as ids arrive in order
 * (manifest_add() always; manifest_put() from pages and broadcasts nearly always); one that
 * arrives below the highest clears `sorted`, and the next page encoding sorts. A removed
 * entry stays as a dead record (so indices in the tables stay put) until dead records
 * outnumber live ones, then compact() rebuilds the array, the arena (renames leave their old
 * bytes behind) and both tables. Tables: linear probing, at most half full, slots hold index
 * + 1 (0 is empty), deletion by backward shift (Knuth 6.4, algorithm R), so no tombstones.
 * A page finds its first entry by binary search over the ids. */
#include "app/project/manifest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec {
    uint64_t id;
    uint64_t size;
    int64_t mtime_ns;
    uint64_t version;
    uint32_t off;  /* of the path in the arena */
    uint32_t mode;
    uint16_t len;  /* of the path */
    uint8_t kind;
    uint8_t live;  /* 0: removed, waiting for compact() */
};

struct table {
    uint32_t *slot; /* index + 1 of a record, 0 empty */
    size_t cap;     /* a power of two, or 0 */
};

struct manifest {
    struct rec *rec;
    size_t n, cap;      /* records, live or dead */
    size_t live;
    char *arena;        /* path bytes */
    size_t used, room;  /* bytes of the arena in use, allocated */
    size_t garbage;     /* bytes of the arena no live record points at */
    struct table by_id, by_path;
    uint64_t version;
    uint64_t max_id;    /* the highest id ever held */
    bool sorted;        /* rec is in increasing id order */
};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdu;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53u;
    return x ^ (x >> 33);
}

static uint64_t hash_path(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001b3u;
    return mix(h);
}

static const char *path_of(const manifest *m, const struct rec *r)
{
    return m->arena + r->off;
}

static uint64_t key_of(const manifest *m, const struct table *t, uint32_t idx)
{
    const struct rec *r = &m->rec[idx];
    return t == &m->by_id ? mix(r->id) : hash_path(path_of(m, r), r->len);
}

/* The slot holding index idx (which is in t). */
static size_t slot_of(const manifest *m, const struct table *t, uint32_t idx)
{
    size_t mask = t->cap - 1;
    for (size_t i = key_of(m, t, idx) & mask;; i = (i + 1) & mask)
        if (t->slot[i] == idx + 1)
            return i;
}

static void table_insert(const manifest *m, struct table *t, uint32_t idx)
{
    size_t mask = t->cap - 1, i = key_of(m, t, idx) & mask;
    while (t->slot[i])
        i = (i + 1) & mask;
    t->slot[i] = idx + 1;
}

/* Backward-shift deletion: later members of the probe run move up into the hole when their
 * home slot does not lie cyclically in (hole, their slot]. */
static void table_delete(const manifest *m, struct table *t, uint32_t idx)
{
    size_t mask = t->cap - 1, hole = slot_of(m, t, idx);
    t->slot[hole] = 0;
    for (size_t i = (hole + 1) & mask; t->slot[i]; i = (i + 1) & mask) {
        size_t home = key_of(m, t, t->slot[i] - 1) & mask;
        bool stays = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
        if (!stays) {
            t->slot[hole] = t->slot[i];
            t->slot[i] = 0;
            hole = i;
        }
    }
}

/* New empty tables with room for `records` records (at most half full). */
static int new_tables(size_t records, struct table *id, struct table *path)
{
    size_t cap = 64;
    while (cap < 2 * records)
        cap *= 2;
    uint32_t *a = calloc(cap, sizeof *a), *b = calloc(cap, sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return -ENOMEM;
    }
    *id = (struct table){ a, cap };
    *path = (struct table){ b, cap };
    return 0;
}

/* Replaces the tables with id and path and fills them from the live records. */
static void install_tables(manifest *m, struct table id, struct table path)
{
    free(m->by_id.slot);
    free(m->by_path.slot);
    m->by_id = id;
    m->by_path = path;
    for (size_t i = 0; i < m->n; i++)
        if (m->rec[i].live) {
            table_insert(m, &m->by_id, (uint32_t)i);
            table_insert(m, &m->by_path, (uint32_t)i);
        }
}

static int rebuild_tables(manifest *m, size_t records)
{
    struct table id, path;
    int err = new_tables(records, &id, &path);
    if (err)
        return err;
    install_tables(m, id, path);
    return 0;
}

manifest *manifest_new(void)
{
    manifest *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->sorted = true;
    if (rebuild_tables(m, 0) != 0) {
        free(m);
        return NULL;
    }
    return m;
}

void manifest_free(manifest *m)
{
    if (!m)
        return;
    free(m->rec);
    free(m->arena);
    free(m->by_id.slot);
    free(m->by_path.slot);
    free(m);
}

static long find_id(const manifest *m, uint64_t id)
{
    size_t mask = m->by_id.cap - 1;
    for (size_t i = mix(id) & mask; m->by_id.slot[i]; i = (i + 1) & mask) {
        uint32_t idx = m->by_id.slot[i] - 1;
        if (m->rec[idx].id == id)
            return (long)idx;
    }
    return -1;
}

static long find_path(const manifest *m, const char *p, size_t n)
{
    size_t mask = m->by_path.cap - 1;
    for (size_t i = hash_path(p, n) & mask; m->by_path.slot[i]; i = (i + 1) & mask) {
        uint32_t idx = m->by_path.slot[i] - 1;
        const struct rec *r = &m->rec[idx];
        if (r->len == n && memcmp(path_of(m, r), p, n) == 0)
            return (long)idx;
    }
    return -1;
}

static void fill_entry(const manifest *m, const struct rec *r, struct manifest_entry *e)
{
    *e = (struct manifest_entry){
        .id = r->id, .path = path_of(m, r), .len = r->len,
        .attr = { .kind = r->kind, .mode = r->mode, .size = r->size, .mtime_ns = r->mtime_ns },
        .version = r->version,
    };
}

bool manifest_get(const manifest *m, uint64_t id, struct manifest_entry *out)
{
    long i = find_id(m, id);
    if (i < 0)
        return false;
    fill_entry(m, &m->rec[i], out);
    return true;
}

bool manifest_find(const manifest *m, const char *path, size_t len, struct manifest_entry *out)
{
    long i = find_path(m, path, len);
    if (i < 0)
        return false;
    fill_entry(m, &m->rec[i], out);
    return true;
}

size_t manifest_count(const manifest *m)
{
    return m->live;
}

uint64_t manifest_version(const manifest *m)
{
    return m->version;
}

size_t manifest_memory(const manifest *m)
{
    return sizeof *m + m->cap * sizeof *m->rec + m->room +
           (m->by_id.cap + m->by_path.cap) * sizeof(uint32_t);
}

/* Drops dead records and garbage bytes, then rebuilds the tables (all allocated first, so
 * that a failure changes nothing). */
static int compact(manifest *m)
{
    size_t need = m->used - m->garbage;
    char *arena = malloc(need + 1);
    struct table id, path;
    if (!arena || new_tables(m->live, &id, &path) != 0) {
        free(arena);
        return -ENOMEM;
    }
    size_t k = 0, used = 0;
    for (size_t i = 0; i < m->n; i++) {
        struct rec r = m->rec[i];
        if (!r.live)
            continue;
        memcpy(arena + used, path_of(m, &r), r.len);
        r.off = (uint32_t)used;
        used += r.len;
        m->rec[k++] = r;
    }
    free(m->arena);
    m->arena = arena;
    m->used = used;
    m->room = need + 1;
    m->garbage = 0;
    m->n = k;
    install_tables(m, id, path);
    return 0;
}

/* Room for one more record and len more path bytes, and the tables at most half full. */
static int reserve(manifest *m, size_t len)
{
    if ((m->n > 1024 && m->n - m->live > m->live) || (m->garbage > 65536 && 2 * m->garbage > m->used)) {
        int err = compact(m);
        if (err)
            return err;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 64;
        struct rec *r = realloc(m->rec, cap * sizeof *r);
        if (!r)
            return -ENOMEM;
        m->rec = r, m->cap = cap;
    }
    if (m->used + len > m->room) {
        size_t room = m->room ? 2 * m->room : 4096;
        while (room < m->used + len)
            room *= 2;
        if (room > UINT32_MAX)
            return -ENOMEM; /* offsets are 32-bit: 4 GiB of paths */
        char *a = realloc(m->arena, room);
        if (!a)
            return -ENOMEM;
        m->arena = a, m->room = room;
    }
    if (2 * (m->n + 1) > m->by_id.cap)
        return rebuild_tables(m, m->n + 1);
    return 0;
}

static int check_entry(const char *path, size_t len, const struct manifest_attr *a)
{
    if (a->kind > MANIFEST_DIR || proj_path_check(path, len) != PROJ_PATH_OK)
        return -EINVAL;
    return 0;
}

static void set_attr(struct rec *r, const struct manifest_attr *a)
{
    r->kind = a->kind, r->mode = a->mode, r->size = a->size, r->mtime_ns = a->mtime_ns;
}

/* Appends a live record (room reserved). */
static void append(manifest *m, uint64_t id, const char *path, size_t len,
                   const struct manifest_attr *a, uint64_t version)
{
    struct rec *r = &m->rec[m->n];
    *r = (struct rec){ .id = id, .version = version, .off = (uint32_t)m->used,
                       .len = (uint16_t)len, .live = 1 };
    set_attr(r, a);
    memcpy(m->arena + m->used, path, len);
    m->used += len;
    if (m->n > 0 && id < m->rec[m->n - 1].id)
        m->sorted = false;
    table_insert(m, &m->by_id, (uint32_t)m->n);
    table_insert(m, &m->by_path, (uint32_t)m->n);
    m->n++;
    m->live++;
    if (id > m->max_id)
        m->max_id = id;
}

int manifest_add(manifest *m, const char *path, size_t len, const struct manifest_attr *a,
                 uint64_t *id)
{
    int err = check_entry(path, len, a);
    if (err)
        return err;
    if (find_path(m, path, len) >= 0)
        return -EEXIST;
    if ((err = reserve(m, len)) != 0)
        return err;
    *id = m->max_id + 1;
    append(m, *id, path, len, a, ++m->version);
    return 0;
}

static void kill(manifest *m, uint32_t idx)
{
    table_delete(m, &m->by_id, idx);
    table_delete(m, &m->by_path, idx);
    m->rec[idx].live = 0;
    m->garbage += m->rec[idx].len;
    m->live--;
}

int manifest_put(manifest *m, uint64_t id, const char *path, size_t len,
                 const struct manifest_attr *a, uint64_t version)
{
    if (id == 0)
        return -EINVAL;
    int err = check_entry(path, len, a);
    if (err)
        return err;
    long other = find_path(m, path, len);
    if (other >= 0 && m->rec[other].id != id)
        return -EEXIST;
    if ((err = reserve(m, len)) != 0) /* before kill(): a failure changes nothing */
        return err;
    long old = find_id(m, id);
    if (old >= 0)
        kill(m, (uint32_t)old);
    append(m, id, path, len, a, version);
    if (version > m->version)
        m->version = version;
    return 0;
}

int manifest_rename(manifest *m, uint64_t id, const char *path, size_t len)
{
    long i = find_id(m, id);
    if (i < 0)
        return -ENOENT;
    struct manifest_attr a = { .kind = m->rec[i].kind };
    int err = check_entry(path, len, &a);
    if (err)
        return err;
    long other = find_path(m, path, len);
    if (other >= 0)
        return other == i ? 0 : -EEXIST;
    if ((err = reserve(m, len)) != 0)
        return err;
    i = find_id(m, id); /* reserve() may have compacted */
    table_delete(m, &m->by_path, (uint32_t)i);
    m->garbage += m->rec[i].len;
    m->rec[i].off = (uint32_t)m->used;
    m->rec[i].len = (uint16_t)len;
    memcpy(m->arena + m->used, path, len);
    m->used += len;
    m->rec[i].version = ++m->version;
    table_insert(m, &m->by_path, (uint32_t)i);
    return 0;
}

int manifest_update(manifest *m, uint64_t id, const struct manifest_attr *a)
{
    long i = find_id(m, id);
    if (i < 0)
        return -ENOENT;
    if (a->kind > MANIFEST_DIR)
        return -EINVAL;
    set_attr(&m->rec[i], a);
    m->rec[i].version = ++m->version;
    return 0;
}

int manifest_remove(manifest *m, uint64_t id)
{
    long i = find_id(m, id);
    if (i < 0)
        return -ENOENT;
    kill(m, (uint32_t)i);
    m->version++;
    return 0;
}

/* --- pages ------------------------------------------------------------------------------ */

static int by_id(const void *a, const void *b)
{
    uint64_t x = ((const struct rec *)a)->id, y = ((const struct rec *)b)->id;
    return x < y ? -1 : x > y;
}

static int ensure_sorted(manifest *m)
{
    if (m->sorted)
        return 0;
    struct table id, path;
    if (new_tables(m->n, &id, &path) != 0)
        return -ENOMEM;
    qsort(m->rec, m->n, sizeof *m->rec, by_id);
    m->sorted = true;
    install_tables(m, id, path);
    return 0;
}

static uint8_t *put_le(uint8_t *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        *p++ = (uint8_t)(v >> (8 * i));
    return p;
}

static uint64_t get_le(const uint8_t *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

int manifest_page_encode(manifest *m, uint64_t after, uint8_t *buf, size_t max, size_t *len,
                         uint64_t *next, bool *last)
{
    if (max < MANIFEST_PAGE_MIN)
        return -EINVAL;
    int err = ensure_sorted(m);
    if (err)
        return err;
    size_t lo = 0, hi = m->n; /* the first record with id > after */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->rec[mid].id <= after)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint8_t *p = buf + MANIFEST_PAGE_HEADER;
    uint32_t count = 0;
    uint64_t last_id = after;
    size_t i = lo;
    for (; i < m->n; i++) {
        const struct rec *r = &m->rec[i];
        if (!r->live)
            continue;
        if ((size_t)(p - buf) + MANIFEST_ENTRY_FIXED + r->len > max || count == UINT32_MAX)
            break;
        p = put_le(p, r->id, 8);
        *p++ = r->kind;
        p = put_le(p, r->mode, 4);
        p = put_le(p, r->size, 8);
        p = put_le(p, (uint64_t)r->mtime_ns, 8);
        p = put_le(p, r->version, 8);
        p = put_le(p, r->len, 2);
        memcpy(p, path_of(m, r), r->len);
        p += r->len;
        count++;
        last_id = r->id;
    }
    while (i < m->n && !m->rec[i].live)
        i++;
    *last = i == m->n;
    *next = last_id;
    *len = (size_t)(p - buf);
    uint8_t *h = put_le(buf, *len, 4);
    *h++ = 1;
    *h++ = *last ? 1 : 0;
    h = put_le(h, count, 4);
    h = put_le(h, m->version, 8);
    h = put_le(h, after, 8);
    put_le(h, last_id, 8);
    return 0;
}

/* One pass over the entries: checks them, and fills out[] when it is not NULL. */
static int walk_entries(const uint8_t *p, const uint8_t *end, uint32_t count, uint64_t after,
                        uint64_t *last_id, struct manifest_entry *out)
{
    uint64_t prev = after;
    for (uint32_t k = 0; k < count; k++) {
        if ((size_t)(end - p) < MANIFEST_ENTRY_FIXED)
            return -EBADMSG;
        struct manifest_entry e = {
            .id = get_le(p, 8),
            .attr = { .kind = p[8], .mode = (uint32_t)get_le(p + 9, 4),
                      .size = get_le(p + 13, 8), .mtime_ns = (int64_t)get_le(p + 21, 8) },
            .version = get_le(p + 29, 8),
            .len = (size_t)get_le(p + 37, 2),
        };
        p += MANIFEST_ENTRY_FIXED;
        if ((size_t)(end - p) < e.len || e.id <= prev || e.attr.kind > MANIFEST_DIR)
            return -EBADMSG;
        e.path = (const char *)p;
        if (proj_path_check(e.path, e.len) != PROJ_PATH_OK)
            return -EBADMSG;
        p += e.len;
        prev = e.id;
        if (out)
            out[k] = e;
    }
    *last_id = prev;
    return p == end ? 0 : -EBADMSG;
}

int manifest_page_decode(const uint8_t *buf, size_t len, struct manifest_page *page)
{
    *page = (struct manifest_page){ 0 };
    if (len < MANIFEST_PAGE_HEADER || get_le(buf, 4) != len || buf[4] != 1 || (buf[5] & ~1u))
        return -EBADMSG;
    uint32_t count = (uint32_t)get_le(buf + 6, 4);
    uint64_t version = get_le(buf + 10, 8), after = get_le(buf + 18, 8), next = get_le(buf + 26, 8);
    if (count > (len - MANIFEST_PAGE_HEADER) / MANIFEST_ENTRY_FIXED)
        return -EBADMSG;
    const uint8_t *p = buf + MANIFEST_PAGE_HEADER, *end = buf + len;
    uint64_t last_id;
    if (walk_entries(p, end, count, after, &last_id, NULL) != 0 || last_id != next)
        return -EBADMSG;
    struct manifest_entry *e = NULL;
    if (count) {
        e = malloc(count * sizeof *e);
        if (!e)
            return -ENOMEM;
        int err = walk_entries(p, end, count, after, &last_id, e);
        (void)err; /* the same bytes passed just above */
    }
    *page = (struct manifest_page){ .version = version, .after = after, .next = next,
                                    .last = buf[5] & 1, .entries = e, .n = count };
    return 0;
}

void manifest_page_free(struct manifest_page *page)
{
    free(page->entries);
    *page = (struct manifest_page){ 0 };
}

/* --- names for collisions ---------------------------------------------------------------- */

int manifest_conflict_name(const manifest *m, const char *path, size_t len, const char *who,
                           size_t wlen, char *out, size_t cap)
{
    if (wlen == 0 || memchr(who, '/', wlen) || memchr(who, '~', wlen) ||
        proj_name_check(who, wlen) != PROJ_PATH_OK || proj_path_check(path, len) != PROJ_PATH_OK)
        return -EINVAL;
    size_t name = 0;
    while (name < len && path[len - 1 - name] != '/')
        name++; /* bytes of the last component */
    for (unsigned k = 1;; k++) {
        char num[16] = "";
        if (k > 1)
            snprintf(num, sizeof num, "~%u", k);
        size_t extra = 1 + wlen + strlen(num);
        if (name + extra > PROJ_NAME_MAX || len + extra > PROJ_PATH_MAX || len + extra + 1 > cap)
            return -ENAMETOOLONG;
        memcpy(out, path, len);
        out[len] = '~';
        memcpy(out + len + 1, who, wlen);
        memcpy(out + len + 1 + wlen, num, strlen(num) + 1);
        if (find_path(m, out, len + extra) < 0)
            return (int)(len + extra);
    }
}
