/* probe_run.h - the probe stage of a lint run. For every endpoint the probes
 * it asked for (its `probes:`, plus --probe) are planned before anything is
 * sent, so a plan that cannot be made stops the run with nothing sent. After
 * the endpoints' own requests they are sent through the same transfer
 * machinery, --jobs limit and timeouts: first every probe request that
 * needs nothing more (and the conditional ones, which need the endpoint's
 * answer), then, last of all, the rate-limit bursts, so a limiter they
 * trip cannot spoil another answer. Each answer is then judged into its
 * endpoint's result (al_engine_eval_probe). */
#ifndef AL_PROBE_RUN_H
#define AL_PROBE_RUN_H

#include <stddef.h>

#include "buf.h"
#include "common.h"
#include "engine.h"
#include "finding.h"
#include "redact.h"
#include "request.h"
#include "response.h"
#include "ruleset.h"
#include "spec.h"
#include "transfer.h"

/* One endpoint as the run sees it. Everything borrowed. */
struct al_probe_run_endpoint {
  const struct al_spec *spec;
  const struct al_endpoint *endpoint;
  const struct al_request *request;   /* its own request, final form */
  const struct al_response *response; /* its own answer (read only after
                                         the endpoints' batch was sent) */
};

struct al_probe_run_opts {
  const char *const *cli_probes; /* --probe names (or "all"); borrowed */
  size_t cli_probe_count;
  long cli_burst; /* --burst; 0 = not given */
  int check_mode; /* apilint check URL: the safe probes run without being
                     asked; unauthenticated only when credentials were
                     given */
};

struct al_probe_run; /* opaque; owns the plans, probe requests, answers */

/* Plans every endpoint's probes. 'endpoints' must outlive the probe run and
 * list every endpoint of each spec it names: the methods declared for a
 * path, and the peers of a probe answer, are the listed endpoints of the
 * same spec on that path. Costs linear time in 'count' (a hash of paths,
 * built only when some endpoint has a probe).
 * On success *out is a new probe run (free with al_probe_run_free; it may
 * hold no probes at all). On failure returns the code with 'err' set. */
enum al_code al_probe_run_plan(const struct al_probe_run_endpoint *endpoints,
                               size_t count,
                               const struct al_probe_run_opts *opts,
                               struct al_probe_run **out, struct al_err *err);

/* Sends every probe request (call after the endpoints' own answers are in
 * their responses). Returns AL_OK, or AL_E_NOMEM / AL_E_NETWORK when the
 * transfer machinery failed. */
enum al_code al_probe_run_send(struct al_probe_run *pr,
                               const struct al_transfer_opts *topts,
                               struct al_err *err);

/* Judges the probe answers of endpoint 'index' into 'er' (its probes
 * array), with the endpoint's rule config. The results borrow requests and
 * responses owned by 'pr': keep 'pr' until the report is written. */
enum al_code al_probe_run_judge(const struct al_probe_run *pr, size_t index,
                                const struct al_ruleset *rs,
                                const struct al_rule_config *cfg,
                                const struct al_redactor *redactor,
                                struct al_endpoint_result *er);

/* --dry-run: appends to 'out' one line per probe request planned for
 * endpoint 'index' ("  probe head: HEAD URL", then its headers, indented;
 * a burst says "x N"), one line per probe that sends nothing there (its
 * note), and one per probe that can only be planned from the endpoint's
 * answer (conditional). Secret header values print as *** (by name, with
 * 'r'); other secrets in the text are left to the caller's cleaning
 * (al_report_clean). Adds the number of requests that would be sent to
 * '*requests'. Returns AL_OK or AL_E_NOMEM. */
enum al_code al_probe_run_describe(const struct al_probe_run *pr, size_t index,
                                   const struct al_redactor *r,
                                   struct al_buf *out, size_t *requests);

/* 1 when endpoint 'index' has any probe selected (its answers then wait
 * for the probe phase before it can be judged), 0 otherwise; also 0 for a
 * NULL run. */
int al_probe_run_has_probes(const struct al_probe_run *pr, size_t index);

/* 1 when any endpoint of the run has a probe. */
int al_probe_run_any(const struct al_probe_run *pr);

void al_probe_run_free(struct al_probe_run *pr);

#endif
