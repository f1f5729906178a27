/* probe.c - the active probes: their table (names, steps, documentation),
 * `apilint explain PROBE` and selection (see probe.h). The planner, which
 * turns an endpoint into probe requests, is probe_plan.c. */
#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"

/* ------------------------------------------------------------------ */
/* the table                                                          */

static const char *const steps_method[] = {"undeclared-method", NULL};
static const char *const steps_options[] = {"options", NULL};
static const char *const steps_unauth[] = {"no-credentials", "no-cookie", NULL};
static const char *const steps_malformed[] = {"invalid-json", "wrong-types",
                                              "missing-fields", NULL};
static const char *const steps_conditional[] = {"if-none-match",
                                                "if-modified-since", NULL};
static const char *const steps_head[] = {"head", NULL};
static const char *const steps_accept[] = {"unsupported-accept", NULL};
static const char *const steps_burst[] = {"burst", NULL};

static const struct al_probe_def probes[] = {
    {"method-not-allowed", AL_PROBE_PHASE_FIRST, 0, 0, steps_method,
     "a method the endpoint does not declare gets 405 with Allow",
     "Sends up to two methods the spec does not declare for the endpoint's\n"
     "path, in this order of preference: PATCH, DELETE, PUT, POST, with the\n"
     "endpoint's headers and no body. DELETE, PUT and POST are sent only\n"
     "when listed in the endpoint's `probe_methods:`; when no candidate is\n"
     "left the probe sends nothing and says so.",
     "not-found-instead-of-405, undeclared-method-accepted, "
     "method-not-allowed-without-allow, server-error",
     "RFC 9110 §15.5.6, §15.5.5"},
    {"options", AL_PROBE_PHASE_FIRST, 1, 0, steps_options,
     "OPTIONS answers with an Allow that matches what the endpoint does",
     "Sends OPTIONS to the endpoint's URL with its headers and no body.",
     "options-without-allow, allow-inconsistent", "RFC 9110 §9.3.7, §10.2.1"},
    {"unauthenticated", AL_PROBE_PHASE_FIRST, 1, 0, steps_unauth,
     "the request without credentials gets 401 with a challenge",
     "Sends the endpoint's own request (method, body) without its\n"
     "credentials: Authorization, Proxy-Authorization, Cookie, headers\n"
     "whose name holds api-key, apikey, api_key, token, auth, session,\n"
     "secret or password (not \"author\": X-Author stays), the headers\n"
     "the spec marks secret, and the query parameters api_key, apikey,\n"
     "api-key, access_token, token and auth_token. An endpoint whose\n"
     "request carries no credentials gets no probe request. The step is\n"
     "no-cookie when every credential left out is a Cookie header (a\n"
     "session has no standard 401 challenge, so 403 is fine there), else\n"
     "no-credentials.",
     "forbidden-instead-of-401, unauthorized-without-challenge, "
     "auth-not-enforced",
     "RFC 9110 §15.5.2 (401: who are you?), §15.5.4 (403: I know you, "
     "no); RFC 9110 §11.6.1"},
    {"malformed-body", AL_PROBE_PHASE_FIRST, 0, 0, steps_malformed,
     "invalid input gets 400 with detail, never 2xx or 5xx",
     "Sends the endpoint's method with Content-Type: application/json and\n"
     "three bodies, one request each: invalid JSON (invalid-json), the\n"
     "endpoint's `json:` with every member of a type no mainstream binder\n"
     "coerces (a string or null becomes\n"
     "{\"apilint-probe\": \"not-a-string\"}, a number \"not-a-number\",\n"
     "a boolean \"not-a-boolean\", an object or array \"not-an-object\"),\n"
     "or {\"name\": 123} without one (wrong-types), and {}\n"
     "(missing-fields).\n"
     "Only for POST, PUT and PATCH endpoints; a GET endpoint is probed\n"
     "with the first of POST, PUT, PATCH listed in its `probe_methods:`,\n"
     "else not at all.",
     "validation-server-error, malformed-input-accepted, "
     "client-error-without-detail",
     "RFC 9110 §15.5.1 (400 for invalid input, never 500); RFC 9457"},
    {"conditional", AL_PROBE_PHASE_AFTER, 1, 0, steps_conditional,
     "a conditional GET for an unchanged resource gets 304 without a body",
     "After the endpoint's own GET (or HEAD) answered 200, sends it again\n"
     "with If-None-Match: <its ETag> (if-none-match), or, without an ETag,\n"
     "If-Modified-Since: <its Last-Modified> (if-modified-since). Sends\n"
     "nothing for other methods, other answers, or an answer with neither\n"
     "validator.",
     "conditional-ignored, not-modified-with-body", "RFC 9110 §13.1, §15.4.5"},
    {"head", AL_PROBE_PHASE_FIRST, 1, 0, steps_head,
     "HEAD answers like GET, without a body",
     "Sends HEAD to the endpoint's URL with its headers and no body (not\n"
     "for an endpoint that is a HEAD already).",
     "head-with-body, head-differs-from-get", "RFC 9110 §9.3.2"},
    {"not-acceptable", AL_PROBE_PHASE_FIRST, 1, 0, steps_accept,
     "an Accept the API cannot satisfy gets 406 (or what the client asked)",
     "Sends the endpoint's own request with\n"
     "Accept: application/x-apilint-unsupported.",
     "not-acceptable-ignored",
     "RFC 9110 §12.1 (server-driven negotiation), §15.5.7"},
    {"rate-limit", AL_PROBE_PHASE_LAST, 0, 1, steps_burst,
     "a burst of requests meets 429 with Retry-After",
     "After every other request of the run, sends the endpoint's own\n"
     "request `burst:` times (default 50, at most 1000) through the same\n"
     "timeouts, in rounds of --jobs requests; a burst stops when a whole\n"
     "round gets no answer (the report says how many were sent). Judges\n"
     "the first 429 (else the first 503, else the first failed transfer,\n"
     "else the last answer) and counts the rest. Runs only when named\n"
     "(`probes: [rate-limit]`, `--probe rate-limit`), never as part of\n"
     "`all`.",
     "retry-after-missing, no-rate-limit",
     "RFC 6585 §4 (429 Too Many Requests); OWASP API4:2023"},
};

#define PROBE_COUNT (sizeof probes / sizeof probes[0])

const struct al_probe_def *al_probe_all(size_t *count)
{
  *count = PROBE_COUNT;
  return probes;
}

const struct al_probe_def *al_probe_find(const char *name)
{
  for (size_t i = 0; name && i < PROBE_COUNT; i++)
    if (strcmp(probes[i].name, name) == 0)
      return &probes[i];
  return NULL;
}

int al_probe_has_step(const struct al_probe_def *p, const char *step)
{
  for (size_t i = 0; p && step && p->steps[i]; i++)
    if (strcmp(p->steps[i], step) == 0)
      return 1;
  return 0;
}

void al_probe_names(char *out, size_t size, const char *last)
{
  size_t used = 0;
  if (size == 0)
    return;
  out[0] = '\0';
  for (size_t i = 0; i <= PROBE_COUNT && used < size; i++) {
    const char *word = i < PROBE_COUNT ? probes[i].name : last;
    if (!word)
      break;
    int n = snprintf(out + used, size - used, "%s%s", i ? ", " : "", word);
    if (n < 0)
      break;
    used += (size_t)n;
  }
}

const char *al_probe_suggest(const char *name)
{
  struct al_suggest sug;
  al_suggest_init(&sug, name);
  for (size_t i = 0; i < PROBE_COUNT; i++)
    al_suggest_consider(&sug, probes[i].name);
  al_suggest_consider(&sug, "all");
  return al_suggest_result(&sug);
}

void al_probe_select(const char *const *names, size_t count, int *selected)
{
  for (size_t n = 0; n < count; n++) {
    int all = strcmp(names[n], "all") == 0;
    for (size_t i = 0; i < PROBE_COUNT; i++) {
      if (all ? !probes[i].by_name_only : strcmp(names[n], probes[i].name) == 0)
        selected[i] = 1;
    }
  }
}

int al_probe_filter_matches(const struct al_probe_filter *filters, size_t count,
                            const char *probe, const char *step)
{
  if (count == 0)
    return 1;
  for (size_t i = 0; probe && i < count; i++)
    if (strcmp(filters[i].probe->name, probe) == 0 &&
        (!filters[i].step || (step && strcmp(filters[i].step, step) == 0)))
      return 1;
  return 0;
}
