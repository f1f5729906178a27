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

/* Judges one response. 'expect' may be NULL; 'redactor' may be NULL.
 * Appends one al_rule_result to 'out' for every rule that applies to this
 * response, in ruleset order (enabled: PASS or FAIL; disabled: SKIPPED).
 * Messages and evidence are masked with 'redactor'; findings carry the
 * severity from 'cfg' and the rule's level and source.
 *
 * No HTTP response (!res->received): the only result is transport-error
 * (outcome ERROR, one finding whose message is res->transport_error), or
 * SKIPPED when that rule is disabled.
 * A response that arrived but whose transfer then failed (received and
 * transport_failed: the body read limit or a timeout mid-body) is judged
 * like any response - its status and headers are real evidence - AND gets
 * the transport-error ERROR result, so the cut transfer is never silent.
 * The rule `expectation` applies only when 'expect' sets a status or a
 * header.
 *
 * 'out' must be initialised; its endpoint/request/response pointers are
 * left to the caller. 'cfg' must come from al_rule_config_init(rs).
 * Returns AL_OK, AL_E_NOMEM, or AL_E_INTERNAL when cfg does not match rs. */
enum al_code al_engine_eval(const struct al_ruleset *rs,
                            const struct al_rule_config *cfg,
                            const struct al_request *req,
                            const struct al_response *res,
                            const struct al_expect *expect,
                            const struct al_redactor *redactor,
                            struct al_endpoint_result *out);

#endif
