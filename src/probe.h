/* probe.h - active probes (RULES.md "Active probes"): extra requests derived
 * from an endpoint that ask the awkward questions (a method it does not
 * declare, no credentials, a malformed body, a conditional GET...). This
 * module knows the probes (names, steps, what each sends, for `apilint
 * explain PROBE`) and plans the requests for one endpoint. It never plans
 * DELETE, PUT or POST for an endpoint unless the spec declares that method
 * for the endpoint's path or lists it in `probe_methods:` (audits run
 * against real data). Sending is transfer.c's job, judging the engine's
 * (rules with a `probe:` key see the probe's answers); run.c strings them
 * together. Nothing here does network I/O. */
#ifndef AL_PROBE_H
#define AL_PROBE_H

#include <stddef.h>
#include <stdio.h>

#include "common.h"
#include "request.h"
#include "response.h"
#include "spec.h"

/* When a probe's requests can be sent. */
enum al_probe_phase {
  AL_PROBE_PHASE_FIRST, /* with the endpoints' own requests */
  AL_PROBE_PHASE_AFTER, /* needs the endpoint's own answer first
                           (conditional: the ETag / Last-Modified it sent) */
  AL_PROBE_PHASE_LAST   /* after everything else: a burst may make the API
                           refuse whatever comes next (rate-limit) */
};

/* Burst size of the rate-limit probe. */
#define AL_PROBE_BURST_DEFAULT 50
#define AL_PROBE_BURST_MAX 1000

struct al_probe_def {
  const char *name; /* "method-not-allowed" */
  enum al_probe_phase phase;
  int safe;         /* sends only GET/HEAD/OPTIONS-like requests: part of
                       `apilint check URL` (head, options, conditional,
                       not-acceptable, unauthenticated) */
  int by_name_only; /* not part of `all`; runs only when named
                       (rate-limit) */
  const char *const *steps; /* NULL-terminated; the kinds of request it
                               sends, e.g. {"invalid-json", "wrong-types",
                               "missing-fields", NULL}; rules name them as
                               `probe: NAME/STEP` */
  const char *summary;      /* one line, for listings */
  const char *sends;        /* what it sends and when it sends nothing,
                               multi-line, for `apilint explain` */
  const char *judged_by;    /* the rule ids that judge its answers, ", "
                               separated, for `apilint explain` */
  const char *source;       /* where it comes from (seed files, RFC) */
};

/* Every probe, in RULES.md order; sets *count. */
const struct al_probe_def *al_probe_all(size_t *count);
/* The probe called 'name', or NULL. */
const struct al_probe_def *al_probe_find(const char *name);
/* 1 if 'step' is one of p's steps. */
int al_probe_has_step(const struct al_probe_def *p, const char *step);
/* Writes every probe name, ", " separated, into 'out' (always
 * terminated, cut at 'size'), then ", " and 'last' when it is not NULL:
 * al_probe_names(buf, sizeof buf, "or all") for error messages. */
void al_probe_names(char *out, size_t size, const char *last);
/* The closest probe name to a misspelt 'name' (or "all"), or NULL. */
const char *al_probe_suggest(const char *name);

/* A rule's `probe:` entry: the answers it applies to. */
struct al_probe_filter {
  const struct al_probe_def *probe; /* borrowed (static table) */
  const char *step; /* borrowed from probe->steps; NULL = every step */
};

/* 1 if a rule with these `probe:` filters judges the answers of 'probe'
 * and 'step'; a rule without filters (count 0) judges every answer. */
int al_probe_filter_matches(const struct al_probe_filter *filters, size_t count,
                            const char *probe, const char *step);

/* Which probes run: 'names' are probe names or "all" (every probe that is
 * not by_name_only), as validated by the spec loader and the command line.
 * Sets selected[i] = 1 for al_probe_all()[i] when named; leaves the other
 * entries as they are, so an endpoint's `probes:` and --probe can be
 * applied one after the other. Unknown names are ignored. */
void al_probe_select(const char *const *names, size_t count, int *selected);

/* What a probe knows about the endpoint it probes. Everything borrowed. */
struct al_probe_target {
  const struct al_endpoint *endpoint;
  const struct al_request *request; /* the endpoint's own request in final
                                       form (defaults, -H, timeout) */
  const char *const *declared;      /* the methods the spec declares for this
                                       endpoint's path (path without query, any
                                       endpoint of the same spec), the endpoint's
                                       own included; upper-case */
  size_t declared_count;
  const char *const *probe_methods; /* the endpoint's `probe_methods:` (with
                                       the defaults'), upper-case */
  size_t probe_method_count;
  const char *const *secret_headers; /* header names the spec marks secret:
                                        credentials for `unauthenticated`
                                        besides the built-in ones */
  size_t secret_header_count;
  size_t burst; /* rate-limit burst; 0 = AL_PROBE_BURST_DEFAULT, above
                   AL_PROBE_BURST_MAX = the maximum */
};

/* One planned probe request. Either 'request' is set (request.method not
 * NULL) and is to be sent 'repeat' times, or 'note' says why this probe
 * sends nothing for this endpoint ("the endpoint's answer had no ETag or
 * Last-Modified to be conditional on"). */
struct al_probe_request {
  const struct al_probe_def *probe; /* borrowed (static table) */
  const char *step;                 /* borrowed (static) */
  char *sent; /* owned; one line: what is sent, as the reports show it:
                 "PATCH /users (a method the spec does not declare)",
                 "GET /users without Authorization, X-Api-Key",
                 "50 x GET /users (burst)". No header values, so no
                 secrets. "" with a note. */
  char *note; /* owned; NULL when a request is planned */
  struct al_request request; /* owned */
  size_t repeat;             /* 1, or the burst size; 0 with a note */
};

struct al_probe_plan {
  struct al_probe_request *items; /* owned */
  size_t count;
};

void al_probe_plan_init(struct al_probe_plan *plan);
void al_probe_plan_cleanup(struct al_probe_plan *plan);

/* Appends the requests of probe 'p' for 'target' to 'plan' (in step
 * order), or one entry with a note when it sends nothing here.
 * 'endpoint_res' is the endpoint's own answer: required (may be a failed
 * one) for PHASE_AFTER probes, ignored otherwise. The requests copy the
 * endpoint's URL, headers (minus what the step changes) and timeout.
 * Every method passes al_probe_method_permitted(); AL_E_INTERNAL if a
 * step would break that rule (it must not happen). */
enum al_code al_probe_plan_add(struct al_probe_plan *plan,
                               const struct al_probe_def *p,
                               const struct al_probe_target *target,
                               const struct al_response *endpoint_res,
                               struct al_err *err);

/* 1 when a probe may send 'method' to the target: any method but DELETE,
 * PUT and POST; those only when declared for the path or listed in
 * probe_methods. Compared ignoring case, although HTTP methods are
 * case-sensitive: a server that folds case would take "delete" for DELETE,
 * so "delete" is restricted too, and a spec that declares `method: delete`
 * declares DELETE. */
int al_probe_method_permitted(const struct al_probe_target *target,
                              const char *method);

/* For a burst: the index of the answer to judge (the first 429, else the
 * first 503, else the first transfer that failed, else the last). 'n' >=
 * 1. */
size_t al_probe_burst_pick(const struct al_response *responses, size_t n);
/* A new string summing up a burst's statuses in ascending order,
 * "200 x43, 429 x7", failed transfers as "no answer xN". NULL on OOM. */
char *al_probe_burst_statuses(const struct al_response *responses, size_t n);

#endif
