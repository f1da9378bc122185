/* The commands that need no terminal: `weft serve` and `weft cat`. */
#ifndef WEFT_APP_CMD_SERVE_H
#define WEFT_APP_CMD_SERVE_H

/* `weft serve FILE [OPTIONS]` (argv[0] is "serve"). Returns the exit status. */
int serve_main(int argc, char **argv);

/* `weft cat TICKET` (argv[0] is "cat"). Returns the exit status. */
int cat_main(int argc, char **argv);

#endif
