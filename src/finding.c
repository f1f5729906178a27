/* finding.c - the engine's output for one endpoint: a rule result per rule
 * that applied, each with its findings (see finding.h). Owns every string
 * it holds so results outlive the responses they judged. */
#include "finding.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "intern.h"

void al_endpoint_result_init(struct al_endpoint_result *er)
{
  memset(er, 0, sizeof *er);
}

void al_finding_cleanup(struct al_finding *f)
{
  if (!f)
    return;
  free(f->message); /* and the evidence with it */
  free(f->baseline_reason);
  free(f->baseline_expired);
  memset(f, 0, sizeof *f);
}

void al_rule_result_cleanup(struct al_rule_result *rr)
{
  for (size_t i = 0; i < rr->finding_count; i++)
    al_finding_cleanup(&rr->findings[i]);
  free(rr->findings);
  memset(rr, 0, sizeof *rr);
}

static void rule_results_free(struct al_rule_result *results, size_t count)
{
  for (size_t i = 0; i < count; i++)
    al_rule_result_cleanup(&results[i]);
  free(results);
}

static void probe_result_cleanup(struct al_probe_result *pr)
{
  free(pr->probe);
  free(pr->step);
  free(pr->sent);
  free(pr->note);
  free(pr->statuses);
  rule_results_free(pr->results, pr->result_count);
  memset(pr, 0, sizeof *pr);
}

void al_endpoint_result_cleanup(struct al_endpoint_result *er)
{
  if (!er)
    return;
  rule_results_free(er->results, er->result_count);
  er->results = NULL;
  er->result_count = 0;
  for (size_t i = 0; i < er->probe_count; i++)
    probe_result_cleanup(&er->probes[i]);
  free(er->probes);
  er->probes = NULL;
  er->probe_count = 0;
}

/* The arrays below keep no capacity: it is implied, the count rounded up
 * to a power of two no smaller than 'first' (a power of two), so they
 * double when the count is 0, first, 2 first, ... and appending costs
 * amortized O(1), not a copy of the array (realloc moves it under ASan,
 * and a merged report may list many thousands). Every such array is made
 * by these functions. */
static size_t grown_size(size_t count, size_t first)
{
  if (count == 0)
    return first;
  if (count < first || (count & (count - 1)))
    return 0; /* room left */
  return count * 2;
}

/* An endpoint's rule results start with room for this many: every
 * endpoint gets one per rule that applies (14 for a plain GET), so one
 * allocation instead of five. Findings and probes are few: from 1. */
#define RESULTS_FIRST 16

struct al_rule_result *al_rule_results_add(struct al_rule_result **results,
                                           size_t *count, const char *rule_id,
                                           enum al_outcome outcome)
{
  const char *id = al_intern(rule_id ? rule_id : "");
  if (!id)
    return NULL;
  size_t size = grown_size(*count, RESULTS_FIRST);
  struct al_rule_result *grown =
      size ? realloc(*results, size * sizeof *grown) : *results;
  if (!grown)
    return NULL;
  *results = grown;
  struct al_rule_result *rr = &grown[(*count)++];
  memset(rr, 0, sizeof *rr);
  rr->rule_id = id;
  rr->outcome = outcome;
  return rr;
}

struct al_probe_result *
al_endpoint_result_add_probe(struct al_endpoint_result *er)
{
  size_t size = grown_size(er->probe_count, 1);
  struct al_probe_result *grown =
      size ? realloc(er->probes, size * sizeof *grown) : er->probes;
  if (!grown)
    return NULL;
  er->probes = grown;
  struct al_probe_result *pr = &grown[er->probe_count++];
  memset(pr, 0, sizeof *pr);
  return pr;
}

enum al_code al_rule_result_add_finding(struct al_rule_result *rr,
                                        enum al_severity severity,
                                        const char *message,
                                        const char *evidence, const char *level,
                                        const char *source)
{
  struct al_finding f = {0};
  f.severity = severity;
  f.rule_id = rr->rule_id ? rr->rule_id : al_intern("");
  f.level = al_intern(level ? level : "");
  f.source = al_intern(source ? source : "");
  /* The message and the evidence in one allocation: one malloc and one
   * free a finding instead of two. */
  message = message ? message : "";
  evidence = evidence ? evidence : "";
  size_t mlen = strlen(message), elen = strlen(evidence);
  f.message = elen < SIZE_MAX - mlen - 1 ? malloc(mlen + elen + 2) : NULL;
  if (!f.rule_id || !f.level || !f.source || !f.message)
    goto nomem;
  memcpy(f.message, message, mlen + 1);
  f.evidence = f.message + mlen + 1;
  memcpy(f.evidence, evidence, elen + 1);
  size_t size = grown_size(rr->finding_count, 1);
  struct al_finding *grown =
      size ? realloc(rr->findings, size * sizeof *grown) : rr->findings;
  if (!grown)
    goto nomem;
  rr->findings = grown;
  rr->findings[rr->finding_count++] = f;
  if (rr->outcome != AL_OUTCOME_ERROR)
    rr->outcome = AL_OUTCOME_FAIL;
  return AL_OK;
nomem:
  al_finding_cleanup(&f);
  return AL_E_NOMEM;
}
