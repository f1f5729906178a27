/* intern.h - one shared copy of each short string that repeats across the
 * results of a run (rule ids, requirement levels, sources: a few dozen
 * distinct values in a run, written for every endpoint; `apilint merge`
 * adds those of the reports it reads), so judging an endpoint copies and
 * frees none of them. Equal text, equal pointer: reporters compare these
 * by address.
 *
 * A copy lives until the process ends: it is never freed, and it stays
 * reachable from the table, so leak checkers do not count it. The table
 * grows only with distinct values (bounded by the rule files and reports
 * read). Safe to call from any thread. */
#ifndef AL_INTERN_H
#define AL_INTERN_H

/* The shared copy of 's' (NUL-terminated), or NULL when out of memory. */
const char *al_intern(const char *s);

#endif
