/* engine.h - (request, response) x applicable rules -> rule results with
 * findings, with the switches and severities an endpoint's rule
 * configuration (rule_config.h) says. */
#ifndef AL_ENGINE_H
#define AL_ENGINE_H

#include <stddef.h>

#include "common.h"
#include "finding.h"
#include "redact.h"
#include "request.h"
#include "response.h"
#include "rule_config.h"
#include "ruleset.h"
#include "spec.h"

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

/* The context a probe's answer is judged in. Everything borrowed. */
struct al_probe_context {
  const char *probe; /* the probe that sent the request: "head" */
  const char *step;  /* which of its requests: "invalid-json" */
  /* The endpoint's own request and answer (the answer may be a failed
   * transfer: received == 0). */
  const struct al_request *endpoint_req;
  const struct al_response *endpoint_res;
  /* Every request sent for this endpoint that got judged - its own and
   * each probe's, this one included - so checks can compare answers
   * (allow-inconsistent: OPTIONS says GET, PUT but PUT got 405). */
  const struct al_request *const *peer_reqs;
  const struct al_response *const *peer_res;
  size_t peer_count;
};

/* Judges one probe answer, like al_engine_eval (no expectation: `expect:`
 * is about the endpoint's own request), into 'out'->results. Rules without
 * a `probe:` key apply to probe answers as to any answer; rules with one
 * apply only to the answers of the probe (and step) they name, and never
 * in al_engine_eval. 'ctx' must not be NULL. 'out' keeps its other
 * members; only results/result_count grow. */
enum al_code al_engine_eval_probe(const struct al_ruleset *rs,
                                  const struct al_rule_config *cfg,
                                  const struct al_request *req,
                                  const struct al_response *res,
                                  const struct al_probe_context *ctx,
                                  const struct al_redactor *redactor,
                                  struct al_probe_result *out);

#endif
