/* ere_guard.h - refuses, before regcomp(), the POSIX extended regular
 * expressions from specs and rule files that glibc would compile or match
 * in exponential time or memory: backreferences, repetition operators in a
 * row ("a++", "a{9}{9}") and nested bounded repetitions that expand past a
 * budget. Such a pattern would otherwise hang apilint at load, or on a
 * hostile server's long header value. */
#ifndef AL_ERE_GUARD_H
#define AL_ERE_GUARD_H

/* NULL when 'pattern' is safe to compile and match; otherwise why not, as
 * a static string that completes "...: <why>". */
const char *al_ere_guard_problem(const char *pattern);

#include <regex.h>

/* Header values longer than this are matched on their first this-many
 * bytes only: glibc's regexec is quadratic in the subject's length, and a
 * hostile server may send a 100 KiB value. No real header needs more. */
#define AL_ERE_VALUE_MAX 8192

/* regexec() of 're' (compiled with REG_NOSUB) on at most the first
 * AL_ERE_VALUE_MAX bytes of 'value'. Returns 1 on a match, 0 otherwise
 * (also when out of memory). */
int al_ere_match_value(const regex_t *re, const char *value);

#endif
