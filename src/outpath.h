/* outpath.h - which file a report path really names, and the usage check
 * that no report replaces another report or one of the run's inputs
 * (`--json same.out --junit same.out`, `apilint s.yaml --json s.yaml`).
 * Read by run.c before anything is loaded or sent, and by outfile.c to
 * find the file a report through a symlink replaces. */
#ifndef AL_OUTPATH_H
#define AL_OUTPATH_H

#include <stddef.h>

#include "common.h"

/* The file a report written to 'path' replaces: 'path' itself, or, when it
 * is a symlink, the file at the end of the link chain (followed by hand, so
 * a dangling link gives the path it points to, which is then created: the
 * link stays a link). A new string the caller frees; NULL on OOM. A chain
 * longer than 40 links (a loop) gives 'path' itself. */
char *al_outpath_target(const char *path);

/* One path the run reads or writes. */
struct al_outpath_use {
  const char *path; /* borrowed */
  const char *role; /* borrowed; how the user gave it: "--json", "--junit",
                       "spec", "--rules" */
  int written;      /* 1 for a report, 0 for an input */
};

/* AL_OK when no written path names the same file as another path of
 * 'uses' (written or read). Two paths are the same file when, after
 * al_outpath_target, they have the same device and inode, or, for a file
 * that does not exist yet, the same resolved parent directory and name (so
 * links, "./x" and "x", "d/../x" all count). /dev/null may be named any
 * number of times. Otherwise AL_E_USAGE with 'err' naming both. AL_E_NOMEM
 * on OOM. */
enum al_code al_outpath_check(const struct al_outpath_use *uses, size_t count,
                              struct al_err *err);

#endif
