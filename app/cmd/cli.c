/* Command-line errors (see cli.h). Uses getopt's optind and optopt as left by the caller's
 * getopt_long() loop. */
#include "app/cmd/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

int cli_bad_option(const char *prog, const char *usage, int c, const char *needs_arg,
                   char **argv)
{
    if (c == ':' || (optopt && strchr(needs_arg, optopt)))
        fprintf(stderr, "%s: option '%s' needs an argument\n", prog, argv[optind - 1]);
    else if (optopt)
        fprintf(stderr, "%s: unknown option '-%c'\n", prog, optopt);
    else
        fprintf(stderr, "%s: unknown option '%s'\n", prog, argv[optind - 1]);
    fputs(usage, stderr);
    return 2;
}

int cli_help_only(const char *prog, const char *usage, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c != 'h')
            return cli_bad_option(prog, usage, c, "", argv);
        fputs(usage, stdout);
        return 0;
    }
    return -1;
}

int cli_operand(const char *prog, const char *usage, const char *what, int argc, char **argv,
                const char **out)
{
    if (argc - optind == 1) {
        *out = argv[optind];
        return -1;
    }
    if (argc == optind)
        fprintf(stderr, "%s: missing %s\n", prog, what);
    else
        fprintf(stderr, "%s: too many arguments\n", prog);
    fputs(usage, stderr);
    return 2;
}
