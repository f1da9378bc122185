/* Where weft's configuration lives: the XDG base directory for configuration
 * ($XDG_CONFIG_HOME when it is an absolute path, else ~/.config) and the home directory.
 * Every function returns a new string (free with free()), or NULL when the directory is not
 * known (HOME, and for configuration XDG_CONFIG_HOME too, unset or empty). */
#ifndef WEFT_APP_EDITOR_PATHS_H
#define WEFT_APP_EDITOR_PATHS_H

/* The configuration directory + "/" + rel (e.g. "weft/weftrc"). */
char *paths_config(const char *rel);
/* $HOME + "/" + rel. */
char *paths_home(const char *rel);
/* a + b. Never NULL. */
char *paths_join(const char *a, const char *b);

#endif
