/* The lock of a shared file (see app/cmd/hostlock.h).
 *
 * Taking it: open (creating) the lock file, flock(LOCK_EX | LOCK_NB), then check that the
 * path still names the file locked: the previous holder removes the file when it releases
 * the lock, and a process that opened it just before would otherwise hold a lock on a file
 * nobody else can find. Someone only looking (hostlock_holder_of(), for `weft FILE`) takes
 * a shared lock for a moment; a host that meets it then finds no pid in the file and tries
 * again a few times before it believes the file is shared. */
#include "app/cmd/hostlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/cmd/journal.h"
#include "core/mem.h"

#define HOLDER_MAX 65536 /* bytes of a lock file read */
#define TAKE_TRIES 20    /* attempts when the lock is held by someone who said nothing */
#define TAKE_WAIT_MS 5   /* between them */

struct hostlock {
    int fd;
    char *path;
    char header[64]; /* "pid N\ncommand C\n" */
};

void hostlock_holder_free(hostlock_holder *who)
{
    free(who->tickets);
    memset(who, 0, sizeof *who);
}

/* Reads what the holder wrote in the lock file open at fd. */
static void read_holder(int fd, hostlock_holder *who)
{
    memset(who, 0, sizeof *who);
    char *text = wf_xmalloc(HOLDER_MAX + 1);
    ssize_t n = pread(fd, text, HOLDER_MAX, 0);
    text[n > 0 ? n : 0] = '\0';
    char *line = text, *next;
    for (; *line; line = next) {
        next = strchr(line, '\n');
        next = next ? next + 1 : line + strlen(line);
        if (!strncmp(line, "pid ", 4)) {
            who->pid = strtol(line + 4, NULL, 10);
        } else if (!strncmp(line, "command ", 8)) {
            size_t len = strcspn(line + 8, "\n");
            snprintf(who->command, sizeof who->command, "%.*s", (int)len, line + 8);
        } else {
            break; /* the tickets */
        }
    }
    if (*line)
        who->tickets = wf_xstrndup(line, strlen(line));
    free(text);
}

static int rewrite(hostlock *l, const char *tickets)
{
    size_t hn = strlen(l->header), tn = tickets ? strlen(tickets) : 0;
    if (ftruncate(l->fd, 0) != 0 || pwrite(l->fd, l->header, hn, 0) != (ssize_t)hn
        || (tn && pwrite(l->fd, tickets, tn, (off_t)hn) != (ssize_t)tn))
        return -errno;
    return 0;
}

static void pause_ms(long ms)
{
    struct timespec ts = {0, ms * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* One attempt: 0 (taken), HOSTLOCK_HELD, EAGAIN (the file went away: again) or -errno. */
static int try_take(const char *path, int *fd_out, hostlock_holder *who)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        if (e == EWOULDBLOCK)
            read_holder(fd, who);
        close(fd);
        return e == EWOULDBLOCK ? HOSTLOCK_HELD : -e;
    }
    struct stat locked, named;
    if (fstat(fd, &locked) != 0 || stat(path, &named) != 0 || locked.st_ino != named.st_ino
        || locked.st_dev != named.st_dev) {
        close(fd);
        return EAGAIN;
    }
    *fd_out = fd;
    return 0;
}

int hostlock_take(const char *file, const char *command, hostlock **out, hostlock_holder *who,
                  char *err, size_t errsize)
{
    memset(who, 0, sizeof *who);
    char *path = journal_lock_path(file, true);
    if (!path) {
        int e = errno;
        snprintf(err, errsize, "cannot place the lock of %s in the state directory: %s", file,
                 strerror(e));
        return -e;
    }
    int fd = -1, rc = EAGAIN;
    for (int i = 0; i < TAKE_TRIES && (rc == EAGAIN || (rc == HOSTLOCK_HELD && !who->pid));
         i++) {
        if (i > 0)
            pause_ms(TAKE_WAIT_MS);
        hostlock_holder_free(who);
        rc = try_take(path, &fd, who);
    }
    if (rc != 0) {
        if (rc < 0 || rc == EAGAIN)
            snprintf(err, errsize, "cannot lock %s: %s", path, strerror(rc < 0 ? -rc : rc));
        free(path);
        return rc == EAGAIN ? -EAGAIN : rc;
    }
    hostlock *l = wf_xcalloc(1, sizeof *l);
    l->fd = fd;
    l->path = path;
    snprintf(l->header, sizeof l->header, "pid %ld\ncommand %s\n", (long)getpid(), command);
    int e = rewrite(l, NULL);
    if (e) {
        snprintf(err, errsize, "cannot write %s: %s", path, strerror(-e));
        hostlock_release(l);
        return e;
    }
    *out = l;
    return 0;
}

int hostlock_set_tickets(hostlock *l, const char *tickets)
{
    return rewrite(l, tickets);
}

void hostlock_release(hostlock *l)
{
    if (!l)
        return;
    unlink(l->path); /* before the lock goes: see try_take() */
    close(l->fd);
    free(l->path);
    free(l);
}

bool hostlock_holder_of(const char *file, hostlock_holder *who)
{
    memset(who, 0, sizeof *who);
    char *path = journal_lock_path(file, false);
    if (!path)
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    free(path);
    if (fd < 0)
        return false;
    bool held = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    if (held)
        read_holder(fd, who);
    close(fd);
    return held;
}

/* Says on stderr, after "prefix: ", that file is shared by who, what doing it too would
 * do, and how to join it instead. */
static void explain(const char *prefix, const char *file, const hostlock_holder *who,
                    const char *consequence)
{
    char pid[32] = "";
    if (who->pid > 0)
        snprintf(pid, sizeof pid, " (pid %ld)", who->pid);
    fprintf(stderr, "%s: %s is already shared by %s%s: %s.\n", prefix, file,
            who->command[0] ? who->command : "another weft", pid, consequence);
    if (who->tickets) {
        fprintf(stderr, "Join that session instead, with weft join and one of its tickets:\n");
        for (const char *p = who->tickets; *p;) {
            size_t n = strcspn(p, "\n");
            fprintf(stderr, "  %.*s\n", (int)n, p);
            p += n + (p[n] == '\n');
        }
    } else {
        fprintf(stderr, "Join that session instead (weft join with one of the tickets it "
                        "printed).\n");
    }
    if (who->pid <= 0)
        return;
    if (!strcmp(who->command, "weft host"))
        fprintf(stderr, "Or end it first: Ctrl-Q in its editor (pid %ld).\n", who->pid);
    else
        fprintf(stderr, "Or end it first: Ctrl-C where it runs, or kill %ld.\n", who->pid);
}

int hostlock_share(const char *command, const char *file, hostlock **out)
{
    hostlock_holder who;
    char err[512];
    *out = NULL;
    int rc = hostlock_take(file, command, out, &who, err, sizeof err);
    if (rc == HOSTLOCK_HELD) {
        explain(command, file, &who, "a second session of it would save over the first "
                                     "one's work");
        hostlock_holder_free(&who);
        return 1;
    }
    if (rc < 0)
        fprintf(stderr, "%s: %s: nothing stops another weft from sharing %s at the same "
                "time\n", command, err, file);
    return -1;
}

bool hostlock_edit_anyway(const char *file)
{
    hostlock_holder who;
    if (!hostlock_holder_of(file, &who))
        return true;
    explain("weft", file, &who, "saving it here too would overwrite that session's work, "
                                "and its next save yours");
    hostlock_holder_free(&who);
    if (!isatty(STDIN_FILENO))
        return true; /* the editor will say it needs a terminal */
    fputs("Edit it here anyway? [y/N] ", stderr);
    char line[16];
    return fgets(line, sizeof line, stdin) && (line[0] == 'y' || line[0] == 'Y');
}
