/* report_fixture.h - one hand-built run result shared by the reporter tests
 * (test_report_*.c): two specs, five endpoints, findings at every severity,
 * a passing endpoint, a skipped rule, a transport error, secret headers and
 * a secret value inside evidence and a URL, and text that needs escaping
 * (markup characters, control bytes, invalid UTF-8). fx_add_probes adds
 * probe entries (a finding, a note, a burst, no answer) to two endpoints.
 *
 * Built by hand rather than by running the engine so that the reporters are
 * tested against exactly known input (finding.c's constructors, the real
 * redactor; spec endpoints filled in directly). Static functions: each test
 * program includes it once. */
#ifndef AL_REPORT_FIXTURE_H
#define AL_REPORT_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "finding.h"
#include "headers.h"
#include "redact.h"
#include "report.h"
#include "request.h"
#include "response.h"
#include "spec.h"

#define FX_SECRET "s3cr3t-token-value"
#define FX_ENDPOINTS 5
#define FX_PROBES 5 /* probe entries fx_add_probes adds */

struct fx {
  struct al_spec specs[2];
  struct al_endpoint eps[FX_ENDPOINTS];
  struct al_request reqs[FX_ENDPOINTS];
  struct al_response res[FX_ENDPOINTS];
  struct al_request preqs[FX_PROBES]; /* probes' requests (fx_add_probes) */
  struct al_response pres[FX_PROBES]; /* and their answers */
  struct al_redactor redactor;
  struct al_report report;
};

static char *fx_dup(const char *s)
{
  char *d = al_strdup(s);
  if (!d)
    abort();
  return d;
}

static void fx_check(enum al_code rc)
{
  if (rc != AL_OK)
    abort();
}

static void fx_endpoint(struct al_endpoint *ep, const char *name,
                        const char *method, const char *path, int line, int col)
{
  memset(ep, 0, sizeof *ep);
  al_headers_init(&ep->headers);
  ep->name = fx_dup(name);
  ep->method = fx_dup(method);
  ep->path = fx_dup(path);
  struct al_buf url;
  al_buf_init(&url);
  fx_check(al_buf_printf(&url, "http://127.0.0.1:8080%s", path));
  ep->url = al_buf_detach(&url);
  ep->line = line;
  ep->col = col;
}

static void fx_request(struct al_request *req, const struct al_endpoint *ep,
                       const char *url_suffix)
{
  al_request_init(req);
  req->method = fx_dup(ep->method);
  struct al_buf url;
  al_buf_init(&url);
  fx_check(al_buf_printf(&url, "%s%s", ep->url, url_suffix));
  req->url = al_buf_detach(&url);
  fx_check(al_headers_add(&req->headers, "Accept", "application/json"));
  fx_check(al_headers_add(&req->headers, "Authorization", "Bearer " FX_SECRET));
}

static void fx_response(struct al_response *res, long status,
                        const char *status_line, double elapsed_ms)
{
  al_response_init(res);
  res->elapsed_ms = elapsed_ms;
  if (status == 0)
    return;
  res->received = 1;
  res->status = status;
  res->status_line = fx_dup(status_line);
  res->http_version = fx_dup("1.1");
}

static struct al_rule_result *fx_rule(struct al_endpoint_result *er,
                                      const char *id, enum al_outcome outcome)
{
  struct al_rule_result *rr =
      al_rule_results_add(&er->results, &er->result_count, id, outcome);
  if (!rr)
    abort();
  return rr;
}

static void fx_finding(struct al_rule_result *rr, enum al_severity sev,
                       const char *message, const char *evidence)
{
  fx_check(al_rule_result_add_finding(rr, sev, message, evidence, "MUST",
                                      "RFC 9110"));
}

static void fx_spec(struct al_spec *spec, const char *path, const char *name)
{
  memset(spec, 0, sizeof *spec);
  spec->path = fx_dup(path);
  spec->name = fx_dup(name);
  spec->version = 1;
}

/* The redactor as run.c would set it up: the secret token, a spec-marked
 * secret header name. */
static void fx_redactor(struct al_redactor *r)
{
  al_redactor_init(r);
  fx_check(al_redactor_add_name(r, "X-Api-Key"));
  fx_check(al_redactor_add_value(r, FX_SECRET));
}

/* Endpoint 0: 401 without challenge (error, evidence already quoted in the
 * message), a passing rule, a disabled rule; raw heads with secrets. */
static void fx_build_users(struct fx *f, struct al_endpoint_result *er)
{
  fx_endpoint(&f->eps[0], "GET /users/42", "GET", "/users/42", 10, 5);
  fx_request(&f->reqs[0], &f->eps[0], "");
  fx_check(al_headers_add(&f->reqs[0].headers, "Cookie", "sid=abc123def"));
  fx_check(al_headers_add(&f->reqs[0].headers, "X-Api-Key", "k3y-k3y-k3y"));
  struct al_response *res = &f->res[0];
  fx_response(res, 401, "HTTP/1.1 401 Unauthorized", 3.2);
  fx_check(al_headers_add(&res->headers, "Content-Type", "application/json"));
  fx_check(al_headers_add(&res->headers, "Set-Cookie", "session=zzz-cookie"));
  fx_check(al_headers_add(&res->headers, "X-Echo", "token was " FX_SECRET));
  fx_check(al_buf_append_str(&res->sent_head,
                             "GET /users/42 HTTP/1.1\r\n"
                             "Host: 127.0.0.1:8080\r\n"
                             "Accept: application/json\r\n"
                             "Authorization: Bearer " FX_SECRET "\r\n"
                             "Cookie: sid=abc123def\r\n"
                             "X-Api-Key: k3y-k3y-k3y\r\n\r\n"));
  fx_check(al_buf_append_str(&res->received_head,
                             "HTTP/1.1 401 Unauthorized\r\n"
                             "Content-Type: application/json\r\n"
                             "Set-Cookie: session=zzz-cookie\r\n"
                             "X-Echo: token was " FX_SECRET "\r\n\r\n"));
  fx_check(al_buf_append_str(&res->body, "{\"error\":\"BODY-MARKER\"}"));
  struct al_rule_result *rr =
      fx_rule(er, "unauthorized-without-challenge", AL_OUTCOME_PASS);
  fx_finding(rr, AL_SEV_ERROR, "401 without WWW-Authenticate", "401");
  fx_rule(er, "error-body-on-success", AL_OUTCOME_PASS);
  fx_rule(er, "created-without-location", AL_OUTCOME_SKIPPED);
}

/* Endpoint 1: named; a warning whose evidence holds the secret, an info;
 * no recorded heads (-v rebuilds them). */
static void fx_build_create(struct fx *f, struct al_endpoint_result *er)
{
  fx_endpoint(&f->eps[1], "create user", "POST", "/users", 20, 5);
  fx_request(&f->reqs[1], &f->eps[1], "");
  struct al_response *res = &f->res[1];
  fx_response(res, 200, "HTTP/1.1 200 OK", 12.6);
  fx_check(al_headers_add(&res->headers, "Set-Cookie", "id=zzz-cookie"));
  fx_check(al_headers_add(&res->headers, "Content-Length", "48"));
  fx_check(al_buf_append_str(&res->body, "{\"success\": false, "
                                         "\"note\": \"BODY-MARKER\"}"));
  struct al_rule_result *rr =
      fx_rule(er, "error-body-on-success", AL_OUTCOME_PASS);
  fx_finding(rr, AL_SEV_WARNING,
             "2xx response with an error body: success false",
             "{\"success\": false, \"token\": \"" FX_SECRET "\"}");
  rr = fx_rule(er, "content-type-missing", AL_OUTCOME_PASS);
  fx_finding(rr, AL_SEV_INFO, "response without Content-Type", "");
}

/* Endpoint 2: everything passes; the secret is in the query string. */
static void fx_build_health(struct fx *f, struct al_endpoint_result *er)
{
  fx_endpoint(&f->eps[2], "GET /health", "GET", "/health", 30, 5);
  fx_request(&f->reqs[2], &f->eps[2], "?api_key=" FX_SECRET);
  fx_response(&f->res[2], 200, "HTTP/1.1 200 OK", 1.4);
  fx_rule(er, "error-body-on-success", AL_OUTCOME_PASS);
  fx_rule(er, "server-error-leak", AL_OUTCOME_PASS);
}

#define FX_TIMEOUT_MSG                                                         \
  "(28) Operation timed out after 1000 milliseconds with 0 bytes received"

/* Endpoint 3: no response. */
static void fx_build_slow(struct fx *f, struct al_endpoint_result *er)
{
  fx_endpoint(&f->eps[3], "GET /slow", "GET", "/slow", 35, 5);
  fx_request(&f->reqs[3], &f->eps[3], "");
  struct al_response *res = &f->res[3];
  fx_response(res, 0, NULL, 1000.4);
  res->transport_failed = 1;
  res->curl_code = 28;
  res->transport_error = fx_dup(FX_TIMEOUT_MSG);
  struct al_rule_result *rr = fx_rule(er, "transport-error", AL_OUTCOME_ERROR);
  fx_finding(rr, AL_SEV_ERROR, FX_TIMEOUT_MSG, "");
}

/* Endpoint 4 (second spec): a name and messages that need escaping, two
 * findings of one rule, control bytes and invalid UTF-8. */
static void fx_build_weird(struct fx *f, struct al_endpoint_result *er)
{
  fx_endpoint(&f->eps[4], "weird <&> \"name\"", "GET", "/x?a=1&b=2", 4, 3);
  fx_request(&f->reqs[4], &f->eps[4], "");
  fx_response(&f->res[4], 500, "HTTP/1.1 500 Internal Server Error", 7.0);
  struct al_rule_result *rr = fx_rule(er, "server-error-leak", AL_OUTCOME_PASS);
  fx_finding(rr, AL_SEV_ERROR,
             "stack trace in 5xx body: Traceback (most recent call last)",
             "Traceback (most recent call last):\n  File \"/app/x.py\", "
             "line 3");
  fx_finding(rr, AL_SEV_ERROR, "file path in body: /app/x.py", "/app/x.py");
  rr = fx_rule(er, "retry-after-missing", AL_OUTCOME_PASS);
  fx_finding(rr, AL_SEV_WARNING, "bad \x01 bytes \xff\xfe <here> & 'there'",
             "ctl\x1b[31m red");
}

#define FX_CONNECT_MSG                                                         \
  "(7) Failed to connect to 127.0.0.1 port 9: Connection refused"
#define FX_CONDITIONAL_NOTE                                                    \
  "the endpoint's answer had no ETag or Last-Modified to be conditional on"

/* A probe entry on 'er': its request (method, the endpoint's URL + 'suffix',
 * the secret credential) in f->preqs[i], its answer in f->pres[i]. */
static struct al_probe_result *fx_probe(struct fx *f, size_t i,
                                        struct al_endpoint_result *er,
                                        const char *probe, const char *step,
                                        const char *sent, const char *method,
                                        const char *suffix)
{
  struct al_probe_result *pr = al_endpoint_result_add_probe(er);
  if (!pr)
    abort();
  pr->probe = fx_dup(probe);
  pr->step = fx_dup(step);
  pr->sent = fx_dup(sent);
  pr->sent_count = 1;
  struct al_request *req = &f->preqs[i];
  req->method = fx_dup(method);
  struct al_buf url;
  al_buf_init(&url);
  fx_check(al_buf_printf(&url, "%s%s", er->endpoint->url, suffix));
  req->url = al_buf_detach(&url);
  fx_check(al_headers_add(&req->headers, "Authorization", "Bearer " FX_SECRET));
  pr->request = req;
  pr->response = &f->pres[i];
  return pr;
}

static struct al_rule_result *fx_probe_rule(struct al_probe_result *pr,
                                            const char *id,
                                            enum al_outcome outcome)
{
  struct al_rule_result *rr =
      al_rule_results_add(&pr->results, &pr->result_count, id, outcome);
  if (!rr)
    abort();
  return rr;
}

/* Probe entries, as run.c would record them, on "GET /users/42" (a HEAD
 * with a body and recorded heads, an undeclared PATCH answered 404 with
 * no recorded heads, a conditional GET that could not be sent, a burst of
 * 50) and on "GET /health" (an OPTIONS that got no answer; the secret is in
 * what it sent). Findings: 2 errors, 2 warnings; 53 probe requests.
 * inline: test_report_file.c includes this and does not use it. */
static inline void fx_add_probes(struct fx *f)
{
  struct al_endpoint_result *users = &f->report.specs[0].endpoints[0];
  struct al_endpoint_result *health = &f->report.specs[0].endpoints[2];

  struct al_probe_result *pr =
      fx_probe(f, 0, users, "head", "head", "HEAD /users/42", "HEAD", "");
  fx_response(&f->pres[0], 200, "HTTP/1.1 200 OK", 2.6);
  fx_check(al_headers_add(&f->pres[0].headers, "Set-Cookie", "p=zzz-cookie"));
  fx_check(al_buf_append_str(&f->pres[0].sent_head,
                             "HEAD /users/42 HTTP/1.1\r\n"
                             "Host: 127.0.0.1:8080\r\n"
                             "Authorization: Bearer " FX_SECRET "\r\n\r\n"));
  fx_check(al_buf_append_str(&f->pres[0].received_head,
                             "HTTP/1.1 200 OK\r\n"
                             "Set-Cookie: p=zzz-cookie\r\n\r\n"));
  struct al_rule_result *rr =
      fx_probe_rule(pr, "head-with-body", AL_OUTCOME_PASS);
  fx_check(al_rule_result_add_finding(
      rr, AL_SEV_ERROR, "HEAD response with a body: 12 bytes",
      "{\"token\":\"" FX_SECRET "\"}", "MUST", "RFC 9110 §9.3.2"));
  fx_probe_rule(pr, "server-error-leak", AL_OUTCOME_PASS);

  pr = fx_probe(f, 1, users, "method-not-allowed", "undeclared-method",
                "PATCH /users/42 (a method the spec does not declare)", "PATCH",
                "");
  fx_response(&f->pres[1], 404, "HTTP/1.1 404 Not Found", 1.2);
  rr = fx_probe_rule(pr, "not-found-instead-of-405", AL_OUTCOME_PASS);
  fx_check(al_rule_result_add_finding(
      rr, AL_SEV_WARNING, "404 to an undeclared method instead of 405", "",
      "SHOULD", "RFC 9110 §15.5.6; 000_x.txt"));
  fx_probe_rule(pr, "undeclared-method-accepted", AL_OUTCOME_PASS);
  fx_probe_rule(pr, "method-not-allowed-without-allow", AL_OUTCOME_SKIPPED);

  /* Not sent: no request, no response, no results. */
  pr = al_endpoint_result_add_probe(users);
  if (!pr)
    abort();
  pr->probe = fx_dup("conditional");
  pr->step = fx_dup("if-none-match");
  pr->sent = fx_dup("");
  pr->note = fx_dup(FX_CONDITIONAL_NOTE);

  pr = fx_probe(f, 3, users, "rate-limit", "burst",
                "50 x GET /users/42 (burst)", "GET", "");
  pr->sent_count = 50;
  pr->statuses = fx_dup("200 x43, 429 x7");
  fx_response(&f->pres[3], 429, "HTTP/1.1 429 Too Many Requests", 0.9);
  rr = fx_probe_rule(pr, "retry-after-missing", AL_OUTCOME_PASS);
  fx_check(al_rule_result_add_finding(rr, AL_SEV_WARNING,
                                      "429 without Retry-After", "429",
                                      "advice", "000_x.txt"));
  fx_probe_rule(pr, "rate-limit-missing", AL_OUTCOME_PASS);

  pr = fx_probe(f, 4, health, "options", "options",
                "OPTIONS /health?api_key=" FX_SECRET, "OPTIONS",
                "?api_key=" FX_SECRET);
  struct al_response *res = &f->pres[4];
  fx_response(res, 0, NULL, 0.7);
  res->transport_failed = 1;
  res->curl_code = 7;
  res->transport_error = fx_dup(FX_CONNECT_MSG);
  rr = fx_probe_rule(pr, "transport-error", AL_OUTCOME_ERROR);
  fx_check(
      al_rule_result_add_finding(rr, AL_SEV_ERROR, FX_CONNECT_MSG, "", "", ""));
}

static struct fx *fx_new(void)
{
  struct fx *f = calloc(1, sizeof *f);
  if (!f)
    abort();
  fx_redactor(&f->redactor);
  for (size_t i = 0; i < FX_PROBES; i++) {
    al_request_init(&f->preqs[i]);
    al_response_init(&f->pres[i]);
  }
  al_report_init(&f->report);
  f->report.redactor = &f->redactor;
  f->report.fail_on = AL_SEV_ERROR;
  strcpy(f->report.hostname, "ci-runner-1");

  fx_spec(&f->specs[0], "specs/demo.yaml", "demo");
  fx_spec(&f->specs[1], "specs/other.yaml", "other");
  f->report.specs = calloc(2, sizeof *f->report.specs);
  if (!f->report.specs)
    abort();
  f->report.spec_count = 2;
  struct al_spec_result *a = &f->report.specs[0];
  struct al_spec_result *b = &f->report.specs[1];
  a->spec = &f->specs[0];
  a->endpoint_count = 4;
  a->endpoints = calloc(4, sizeof *a->endpoints);
  a->elapsed_ms = 1500.0;
  strcpy(a->timestamp, "2026-11-22T02:00:00");
  b->spec = &f->specs[1];
  b->endpoint_count = 1;
  b->endpoints = calloc(1, sizeof *b->endpoints);
  b->elapsed_ms = 0; /* unknown: the suite time is the sum */
  if (!a->endpoints || !b->endpoints)
    abort();

  void (*build[FX_ENDPOINTS])(struct fx *, struct al_endpoint_result *) = {
      fx_build_users, fx_build_create, fx_build_health, fx_build_slow,
      fx_build_weird};
  for (size_t i = 0; i < FX_ENDPOINTS; i++) {
    struct al_endpoint_result *er = i < 4 ? &a->endpoints[i] : &b->endpoints[0];
    al_endpoint_result_init(er);
    build[i](f, er);
    er->endpoint = &f->eps[i];
    er->request = &f->reqs[i];
    er->response = &f->res[i];
  }
  return f;
}

static void fx_free(struct fx *f)
{
  if (!f)
    return;
  al_report_cleanup(&f->report);
  for (size_t i = 0; i < FX_ENDPOINTS; i++) {
    struct al_endpoint *ep = &f->eps[i];
    free(ep->name);
    free(ep->method);
    free(ep->path);
    free(ep->url);
    al_headers_cleanup(&ep->headers);
    al_request_cleanup(&f->reqs[i]);
    al_response_cleanup(&f->res[i]);
  }
  for (size_t i = 0; i < FX_PROBES; i++) {
    al_request_cleanup(&f->preqs[i]);
    al_response_cleanup(&f->pres[i]);
  }
  for (size_t i = 0; i < 2; i++) {
    free(f->specs[i].path);
    free(f->specs[i].name);
  }
  al_redactor_cleanup(&f->redactor);
  free(f);
}

/* Runs a writer into memory. Caller frees the text. */
static char *fx_render(al_report_write_fn fn, const struct al_report *report,
                       const struct al_report_opts *opts)
{
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  if (!mem)
    abort();
  enum al_code rc = fn(mem, report, opts);
  if (fclose(mem) != 0 || rc != AL_OK) {
    free(text);
    return NULL;
  }
  return text;
}

#endif
