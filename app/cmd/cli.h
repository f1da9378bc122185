/* Command-line errors, said the same way by every weft command: what was wrong, then the
 * command's usage, on stderr, and exit status 2. */
#ifndef WEFT_APP_CMD_CLI_H
#define WEFT_APP_CMD_CLI_H

/* Reports the option getopt_long() just refused in argv for command prog ("weft host"):
 * one that needs an argument (c is ':', or optopt is one of the short codes in needs_arg)
 * or an unknown one. Returns 2. */
int cli_bad_option(const char *prog, const char *usage, int c, const char *needs_arg,
                   char **argv);

/* The getopt_long() loop of a command whose only option is -h/--help (the usage on stdout:
 * returns 0). Returns -1 to go on with the operands from optind, or the exit status. */
int cli_help_only(const char *prog, const char *usage, int argc, char **argv);

/* Takes the one operand (what: "FILE", "TICKET") left after the options into *out and
 * returns -1 (go on); if there is none or more than one, says so and returns 2. */
int cli_operand(const char *prog, const char *usage, const char *what, int argc, char **argv,
                const char **out);

#endif
