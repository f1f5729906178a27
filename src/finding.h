/* finding.h - what the engine concludes about one endpoint's response: for
 * each rule that applied, whether it passed, failed (with findings), was
 * skipped because it is disabled, or could not be judged because no response
 * came (transport error). The reporters read these; nothing here does I/O.
 *
 * Secrets are masked at one stage, the judging stage (engine.c, with the
 * run's redactor, redact.h): a finding's message and evidence are masked
 * when the engine makes them (add_finding, the only maker of findings),
 * and the checks read a response whose body and stray bytes are masked
 * before they run, so no excerpt is ever cut through a secret. A finding
 * leaves the engine safe to print as it is. (The reporters still pass
 * every string they write through al_report_clean, report.h: it makes
 * text safe for a terminal and masks what is not a finding - URLs, names,
 * -v heads, error texts; on a finding it finds nothing left to mask.) */
#ifndef AL_FINDING_H
#define AL_FINDING_H

#include <stddef.h>

#include "common.h"

struct al_endpoint;
struct al_request;
struct al_response;

/* Buffer size of a finding's fingerprint (fingerprint.h: 16 hex digits). */
#define AL_FINDING_FINGERPRINT_SIZE 17

struct al_finding {
  const char *rule_id; /* shared (intern.h): never freed */
  enum al_severity severity;
  char *message;      /* owned, with 'evidence' in the same allocation (freed
                         through 'message'); one line, quotes the evidence
                         briefly; secrets already masked */
  char *evidence;     /* in message's allocation; the offending header line or
                         body excerpt (<= 200 bytes + "..."), secrets masked;
                         may be "" */
  const char *level;  /* shared (intern.h); "MUST", "SHOULD", "MAY",
                         "advice", or "" */
  const char *source; /* shared (intern.h); "RFC 9110 §15.5.2, §11.6.1" or
                         "" */
  /* Set after judging, before the reporters see the finding. */
  char fingerprint[AL_FINDING_FINGERPRINT_SIZE]; /* fingerprint.h; "" = not
                                                    computed */
  int suppressed;         /* 1: a --baseline entry covers it (baseline.h):
                             reported as suppressed, never failing */
  char *baseline_reason;  /* owned; the covering entry's `reason:`, or NULL */
  char *baseline_expired; /* owned; "YYYY-MM-DD" when the entry that matched
                             expired on that day (so it does not suppress);
                             NULL otherwise */
};

enum al_outcome {
  AL_OUTCOME_PASS,    /* rule applied and held */
  AL_OUTCOME_FAIL,    /* rule applied and found something (findings > 0) */
  AL_OUTCOME_SKIPPED, /* rule would have applied but is disabled */
  AL_OUTCOME_ERROR    /* no response to judge (transport-error only) */
};

struct al_rule_result {
  const char *rule_id; /* shared (intern.h): never freed */
  enum al_outcome outcome;
  struct al_finding *findings; /* owned */
  size_t finding_count;
};

/* What one probe request (or one burst) of an endpoint got, judged. A
 * probe that could not be sent for this endpoint (no ETag to be
 * conditional on, no credentials to leave out...) is an entry with a
 * 'note', no request and no results, so every report can say why. */
struct al_probe_result {
  char *probe; /* owned; the probe's name, "method-not-allowed" */
  char *step;  /* owned; which of the probe's requests: "invalid-json",
                  "undeclared-method"... (probe.h lists them) */
  char *sent;  /* owned; one line saying what was sent, secrets masked:
                  "PATCH /users (a method the spec does not declare)",
                  "50 x GET /users (burst)"; "" with a note */
  char *note;  /* owned; NULL, or why nothing was sent */
  const struct al_request *request;   /* borrowed; NULL with a note */
  const struct al_response *response; /* borrowed; NULL with a note; for a
                                         burst the answer that was judged */
  size_t sent_count; /* requests this entry stands for: 1, N for a burst,
                        0 with a note */
  char *statuses;    /* owned; a burst's answers, "200 x43, 429 x7"
                        ("none" for failed transfers); NULL otherwise */
  struct al_rule_result *results; /* owned; in ruleset order */
  size_t result_count;
};

struct al_endpoint_result {
  const struct al_endpoint *endpoint; /* borrowed from the spec */
  const struct al_request *request;   /* borrowed from the run */
  const struct al_response *response; /* borrowed from the run */
  struct al_rule_result *results;     /* owned; in ruleset order */
  size_t result_count;
  struct al_probe_result *probes; /* owned; in the order they were planned */
  size_t probe_count;
};

void al_endpoint_result_init(struct al_endpoint_result *er);
void al_endpoint_result_cleanup(struct al_endpoint_result *er);

/* Appends a rule result for 'rule_id' (kept as its shared copy, al_intern)
 * with the given outcome and no findings to a result list (an endpoint's
 * or a probe's); returns it (borrowed from the list, valid until the next
 * add) or NULL on OOM. */
struct al_rule_result *al_rule_results_add(struct al_rule_result **results,
                                           size_t *count, const char *rule_id,
                                           enum al_outcome outcome);

/* Appends an empty probe result (all strings NULL, counts 0) to 'er' and
 * returns it (borrowed, valid until the next add), or NULL on OOM. The
 * caller fills it; al_endpoint_result_cleanup frees what it owns. */
struct al_probe_result *
al_endpoint_result_add_probe(struct al_endpoint_result *er);

/* Appends a finding to 'rr' and sets its outcome to FAIL unless it is
 * ERROR. NULL strings become "". The message and evidence are copied; the
 * level and source become shared copies (al_intern), as the rule id is:
 * the reporters take two such pointers that are equal for the same text,
 * so a finding's rule_id, level and source must only ever be set from
 * al_intern. */
enum al_code al_rule_result_add_finding(struct al_rule_result *rr,
                                        enum al_severity severity,
                                        const char *message,
                                        const char *evidence, const char *level,
                                        const char *source);

void al_finding_cleanup(struct al_finding *f);
/* Frees what a rule result owns (its findings) and zeroes it. */
void al_rule_result_cleanup(struct al_rule_result *rr);

#endif
