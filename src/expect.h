/* expect.h - what an endpoint expects of its answer (`expect:` in a spec,
 * in a rule example, and the `status:` sets of rule conditions): one
 * grammar, one loader, one membership test, one compiled regex per header
 * pattern, kept from load to the last response judged. */
#ifndef AL_EXPECT_H
#define AL_EXPECT_H

#include <stddef.h>

#include "common.h"
#include "ere.h"
#include "loader.h"
#include "yamldoc.h"

/* A set of statuses: `status: 201`, `[200, 201]`, `"2xx"`, `[204, "3xx"]`. */
struct al_status_set {
  long *codes; /* owned; exact codes, e.g. 200, 201 */
  size_t code_count;
  unsigned char classes[6]; /* classes[2] = 1 means "2xx" accepted */
  /* As written, for messages: "201", "[200, 201]", "2xx". Owned: once
   * loaded it lives in the codes' allocation when there are codes, else
   * alone (al_status_set_cleanup frees whichever holds it). */
  char *text;
};

enum al_header_expect_kind {
  AL_HEXPECT_MATCH,   /* value must match a POSIX ERE (ere.h) */
  AL_HEXPECT_PRESENT, /* `true` */
  AL_HEXPECT_ABSENT   /* `false` */
};

struct al_header_expect {
  char *name; /* owned */
  enum al_header_expect_kind kind;
  char *pattern; /* owned; MATCH only */
  /* MATCH only: owned, compiled once (al_expect_compile_header); NULL
   * when not compiled. Bounded cost (ere.h), whatever the pattern. */
  struct al_ere *re;
};

struct al_expect {
  int has_status;
  struct al_status_set status;
  struct al_header_expect *headers; /* owned */
  size_t header_count;
  int line; /* position of `expect:` */
  int col;
};

/* Hands back the text of string scalar 'n' in '*out' (new, caller frees):
 * the spec expands ${VAR} here, a rule file takes it as written. Returns
 * AL_OK or fails through L. */
typedef enum al_code (*al_expect_text_fn)(void *ctx, const struct al_ynode *n,
                                          char **out);

/* Loads an `expect:` mapping (status, headers) into 'ex' (zeroed by the
 * caller): header names must be RFC 9110 tokens, each given once (any
 * case); a header's value is true (present), false (absent) or a regex
 * string (through 'text'), compiled now by ere.h's bounded-cost matcher
 * (a pattern it refuses fails at the string's line:col).
 * On failure 'ex' holds what was loaded; al_expect_cleanup() frees it. */
enum al_code al_expect_load(const struct al_loader *L, const struct al_ynode *n,
                            al_expect_text_fn text, void *ctx,
                            struct al_expect *ex);

/* Loads a status set (an integer 100-599, a class "4xx", or a non-empty
 * list of those) into 'set' (zeroed by the caller); 'key' names it in
 * messages ("status", "endpoint-status"). */
enum al_code al_status_set_load(const struct al_loader *L,
                                const struct al_ynode *n, const char *key,
                                struct al_status_set *set);

/* 1 if 'status' is one of the set's codes or in one of its classes. */
int al_status_set_has(const struct al_status_set *set, long status);
void al_status_set_cleanup(struct al_status_set *set);

/* Compiles he->pattern into he->re. Returns 1, or 0 with the reason in
 * why[why_size] (al_ere_compile's, or "out of memory"). For
 * expectations built by hand; al_expect_load calls it for every pattern. */
int al_expect_compile_header(struct al_header_expect *he, char *why,
                             size_t why_size);

/* Frees what 'ex' owns (compiled regexes included) and zeroes it. */
void al_expect_cleanup(struct al_expect *ex);

#endif
