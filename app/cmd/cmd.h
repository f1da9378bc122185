/* The subcommands' entries, one per file of app/cmd/: `weft NAME ARGS...` runs NAME's with
 * argv[0] "NAME" (app/main.c holds the table). Each returns the exit status: 0 success,
 * 1 runtime failure (a message on stderr saying what, why and what to do), 2 usage error
 * (usage on stderr). */
#ifndef WEFT_APP_CMD_CMD_H
#define WEFT_APP_CMD_CMD_H

#include <stdbool.h>

/* `weft host FILE|DIR [OPTIONS]`: edit FILE and share it (app/cmd/host.c), or a directory's
 * files: host_dir() with the parsed options (app/cmd/host-dir.c). */
int host_main(int argc, char **argv);
struct hosting_options;
int host_dir(const struct hosting_options *o, bool line_numbers, bool mouse);
/* `weft join TICKET [OPTIONS]`: join a shared session in the editor (app/cmd/join.c). */
int join_main(int argc, char **argv);
/* `weft serve FILE|DIR [OPTIONS]`: share FILE without an editor (app/cmd/serve.c), or a
 * directory: serve_dir() with the parsed options (app/cmd/serve-dir.c). */
int serve_main(int argc, char **argv);
int serve_dir(const struct hosting_options *o);
/* `weft cat TICKET [PATH]`: print a shared file's text (app/cmd/cat.c). */
int cat_main(int argc, char **argv);
/* `weft ls TICKET`: list a session's shared files (app/cmd/ls.c). */
int ls_main(int argc, char **argv);

#endif
