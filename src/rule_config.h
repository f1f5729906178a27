/* rule_config.h - which rules are on and at what severity for one
 * endpoint: rule defaults, then the spec's `rules:`, then the endpoint's
 * `rules:`, then --enable/--disable from the command line (the person
 * running apilint has the last word). Read by the engine. */
#ifndef AL_RULE_CONFIG_H
#define AL_RULE_CONFIG_H

#include <stddef.h>

#include "common.h"
#include "ruleset.h"
#include "spec.h"

/* Per-rule switches and severities, indexed like ruleset->rules. */
struct al_rule_config {
  int *enabled;               /* owned */
  enum al_severity *severity; /* owned */
  size_t count;
};

/* Sets every rule to its default. Caller cleans up. The layers are applied
 * by the caller in this order, each overriding the one before: defaults,
 * the spec's `rules:` (al_rule_config_apply), the endpoint's `rules:`
 * (al_rule_config_apply), then --enable/--disable (al_rule_config_switch).
 * Within one `rules:` block, `disable` wins over `enable`. */
enum al_code al_rule_config_init(struct al_rule_config *cfg,
                                 const struct al_ruleset *rs);
enum al_code al_rule_config_copy(struct al_rule_config *dst,
                                 const struct al_rule_config *src);
void al_rule_config_cleanup(struct al_rule_config *cfg);

/* Applies a spec's or endpoint's `rules:` block. An unknown rule id is an
 * AL_E_SPEC error naming 'file':line:col (with a "did you mean"). */
enum al_code al_rule_config_apply(struct al_rule_config *cfg,
                                  const struct al_ruleset *rs,
                                  const struct al_rule_overrides *ov,
                                  const char *file, struct al_err *err);
/* --enable / --disable ID. An unknown id is AL_E_USAGE. */
enum al_code al_rule_config_switch(struct al_rule_config *cfg,
                                   const struct al_ruleset *rs, const char *id,
                                   int on, struct al_err *err);

#endif
