/* common.h - types every apilint module shares: result codes, the error
 * record modules fill (only msg.c prints it), the severity scale and the
 * version string. No module state lives here. */
#ifndef AL_COMMON_H
#define AL_COMMON_H

#include <stddef.h>

#ifndef AL_VERSION
#define AL_VERSION "0.1.0"
#endif

enum al_code {
  AL_OK = 0,
  AL_E_USAGE,   /* bad command line */
  AL_E_SPEC,    /* a spec file does not load or validate */
  AL_E_RULES,   /* a rule file does not load or validate */
  AL_E_IO,      /* a file could not be read or written */
  AL_E_NOMEM,   /* allocation failed */
  AL_E_NETWORK, /* curl could not be set up at all */
  AL_E_INTERNAL /* a broken invariant: a bug in apilint */
};

/* Exit statuses, as CONTRACT.md promises them. */
enum al_exit {
  AL_EXIT_CLEAN = 0,      /* nothing at or above --fail-on */
  AL_EXIT_FINDINGS = 1,   /* findings at or above --fail-on */
  AL_EXIT_USAGE = 2,      /* usage error, or a spec/rule file that fails */
  AL_EXIT_UNREACHABLE = 3 /* not one endpoint answered */
};

/* Ordered so that a larger value is more severe; AL_SEV_NONE sorts lowest
 * and is what --fail-on never means ("never" is AL_SEV_NEVER). */
enum al_severity {
  AL_SEV_NONE = 0,
  AL_SEV_INFO = 1,
  AL_SEV_WARNING = 2,
  AL_SEV_ERROR = 3,
  AL_SEV_NEVER = 4 /* only as a --fail-on threshold: nothing reaches it */
};

/* "error", "warning", "info"; "never" for AL_SEV_NEVER; "none" otherwise. */
const char *al_severity_name(enum al_severity sev);
/* Parses "error" | "warning" | "info" (and "never" when allow_never).
 * Returns 1 and sets *out on success, 0 on an unknown word. */
int al_severity_parse(const char *word, int allow_never, enum al_severity *out);

/* What went wrong, where. Filled by the module that failed; printed once by
 * msg.c as "FILE:LINE:COL: MESSAGE" (parts that are 0/empty are left out). */
struct al_err {
  char file[512]; /* may be empty */
  int line;       /* 1-based; 0 = unknown */
  int col;        /* 1-based; 0 = unknown */
  char msg[1024];
};

/* Fills 'err' (when not NULL) with the location and a printf-style message.
 * Returns 'code' so callers can write: return al_err_set(err, AL_E_SPEC, ...).
 */
enum al_code al_err_set(struct al_err *err, enum al_code code, const char *file,
                        int line, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

#endif
