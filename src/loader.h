/* loader.h - the toolkit the YAML loaders (spec.c, ruleset.c, expect.c)
 * share over a yamldoc tree: errors with file:line:col, "what was written"
 * for messages, allowed keys with a "did you mean", node-kind checks and
 * status classes. One toolkit, so a spec and a rule file say the same thing
 * about the same mistake. Nothing here keeps state. */
#ifndef AL_LOADER_H
#define AL_LOADER_H

#include <stdarg.h>
#include <stddef.h>

#include "common.h"
#include "yamldoc.h"

/* Where a load is. Everything borrowed for the load's duration. */
struct al_loader {
  const char *file;  /* for messages */
  enum al_code code; /* what a failure returns: AL_E_SPEC or AL_E_RULES */
  struct al_err *err;
};

/* Fills L->err with file:line:col of 'at' (0:0 when NULL) and the message;
 * returns L->code. */
enum al_code al_loader_fail(const struct al_loader *L,
                            const struct al_ynode *at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* The same with the arguments as a va_list (for a loader's own fail()
 * wrapper, itself marked printf-like so its callers are checked). */
enum al_code al_loader_vfail(const struct al_loader *L,
                             const struct al_ynode *at, const char *fmt,
                             va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 0)))
#endif
    ;
/* AL_E_NOMEM with "out of memory" in L->err. */
enum al_code al_loader_oom(const struct al_loader *L);

/* "What was written", for messages, into buf[size] (or a constant):
 * strings quoted and cut at 40 bytes, other scalars as written, "nothing"
 * for an empty value, collections by kind ("a mapping"). Control bytes
 * become '?' so the one-line error format holds. */
const char *al_loader_got(const struct al_ynode *n, char *buf, size_t size);

/* Every key of MAP 'map' must be in the NULL-ended 'allowed'. Otherwise:
 * "unknown key 'K' (did you mean 'A'?)" when one is close, else
 * "unknown key 'K' in WHAT (expected one of: a, b, c)". */
enum al_code al_loader_check_keys(const struct al_loader *L,
                                  const struct al_ynode *map,
                                  const char *const *allowed, const char *what);

/* AL_OK when n is of 'kind', else "'KEY' must be EXPECTED, got ...". */
enum al_code al_loader_need_kind(const struct al_loader *L,
                                 const struct al_ynode *n,
                                 enum al_ynode_kind kind, const char *key,
                                 const char *expected);

/* 1..5 for "1xx".."5xx" (either case of x), else 0. */
int al_loader_status_class(const char *s);

#endif
