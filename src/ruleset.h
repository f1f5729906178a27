/* ruleset.h - the rule stage: rule definitions (rules/<name>.yaml, compiled
 * into the binary, plus --rules files) become a validated struct al_ruleset.
 * What a rule tests is private to the rule engine (struct al_rule_logic in
 * rule_logic.h); other modules see the descriptive fields below. */
#ifndef AL_RULESET_H
#define AL_RULESET_H

#include <stddef.h>
#include "common.h"

struct al_rule_logic; /* private to the rule stage (rule_logic.h) */

struct al_rule {
  char *id;                  /* owned; kebab-case, API */
  enum al_severity severity; /* default severity */
  int enabled;               /* on by default? */
  char *summary;             /* owned; one line, for `apilint rules` */
  char *explain; /* owned; rationale, example, how to fix (multi-line) */
  char *level;   /* owned; "MUST" | "SHOULD" | "MAY" | "advice" | "" */
  char *source;  /* owned; references: RFC sections, seed file names */
  char *origin;  /* owned; "built-in" or the rule file's path */
  int line;      /* where the rule is defined in 'origin' */
  struct al_rule_logic *logic; /* owned */
};

struct al_ruleset {
  struct al_rule *rules; /* owned; built-in order, then new ids in file order */
  size_t count;
};

/* Loads the built-in rules (compiled in from rules/<name>.yaml). Fails only on
 * a broken build or OOM. Caller frees with al_ruleset_free(). */
enum al_code al_ruleset_new_builtin(struct al_ruleset **out,
                                    struct al_err *err);

/* Adds the rules of the file at 'path' (same format as rules/<name>.yaml): a
 * rule with an existing id replaces it in place; a new id is appended. Errors
 * name file:line:col. On failure the ruleset is unchanged. */
enum al_code al_ruleset_load_file(struct al_ruleset *rs, const char *path,
                                  struct al_err *err);
/* Same, from text ('name' used in messages and as the origin). */
enum al_code al_ruleset_parse(struct al_ruleset *rs, const char *text,
                              size_t len, const char *name, struct al_err *err);

void al_ruleset_free(struct al_ruleset *rs);

/* The rule with this id, or NULL; and its index (or -1). */
const struct al_rule *al_ruleset_find(const struct al_ruleset *rs,
                                      const char *id);
long al_ruleset_index(const struct al_ruleset *rs, const char *id);

/* The closest known id to 'id' when it is probably a typo, else NULL.
 * Borrowed from 'rs'. */
const char *al_ruleset_suggest(const struct al_ruleset *rs, const char *id);

#endif
