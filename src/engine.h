/* engine.h - (request, response) x applicable rules -> rule results with
 * findings. Also resolves which rules are on and at what severity for an
 * endpoint: rule defaults, then the spec's `rules:`, then the endpoint's
 * `rules:`, then --enable/--disable from the command line (the person
 * running apilint has the last word). */
#ifndef AL_ENGINE_H
#define AL_ENGINE_H

#include <stddef.h>

#include "common.h"
#include "finding.h"
#include "redact.h"
#include "request.h"
#include "response.h"
#include "ruleset.h"
#include "spec.h"

/* Per-rule switches and severities, indexed like ruleset->rules. */
struct al_rule_config {
  int *enabled;                 /* owned */
  enum al_severity *severity;   /* owned */
  size_t count;
};

/* Sets every rule to its default. Caller cleans up. */
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
                                   const struct al_ruleset *rs,
                                   const char *id, int on,
                                   struct al_err *err);

/* Judges one response. 'expect' may be NULL; 'redactor' may be NULL.
 * Appends one al_rule_result to 'out' for every rule that applies to this
 * response (enabled: PASS or FAIL; disabled: SKIPPED). When the response
 * has transport_failed, the only result is transport-error with outcome
 * ERROR (and its finding) unless that rule is disabled. 'out' must be
 * initialised; its endpoint/request/response pointers are left to the
 * caller. Returns AL_OK or AL_E_NOMEM. */
enum al_code al_engine_eval(const struct al_ruleset *rs,
                            const struct al_rule_config *cfg,
                            const struct al_request *req,
                            const struct al_response *res,
                            const struct al_expect *expect,
                            const struct al_redactor *redactor,
                            struct al_endpoint_result *out);

#endif
