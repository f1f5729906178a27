/* test_engine.c - the judging stage: rule configuration layers (defaults,
 * spec, endpoint, command line), outcomes (PASS, FAIL, SKIPPED, ERROR),
 * transport failures, spec expectations, and secrets kept out of messages
 * and evidence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "redact.h"
#include "rule_logic.h"
#include "ruleset.h"

struct fixture {
  struct al_ruleset *rs;
  struct al_rule_config cfg;
  struct al_request req;
  struct al_response res;
  struct al_endpoint_result er;
};

static int setup(void **state)
{
  struct fixture *f = calloc(1, sizeof *f);
  struct al_err err = {0};
  if (!f || al_ruleset_new_builtin(&f->rs, &err) != AL_OK ||
      al_rule_config_init(&f->cfg, f->rs) != AL_OK)
    return -1;
  al_request_init(&f->req);
  f->req.method = al_strdup("GET");
  f->req.url = al_strdup("http://127.0.0.1:1/x");
  al_response_init(&f->res);
  al_endpoint_result_init(&f->er);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *f = *state;
  al_endpoint_result_cleanup(&f->er);
  al_response_cleanup(&f->res);
  al_request_cleanup(&f->req);
  al_rule_config_cleanup(&f->cfg);
  al_ruleset_free(f->rs);
  free(f);
  return 0;
}

static void respond(struct fixture *f, const char *raw)
{
  struct al_err err = {0};
  assert_int_equal(
      al_response_parse_raw(raw, strlen(raw), f->req.method, &f->res, &err),
      AL_OK);
}

static long idx(const struct fixture *f, const char *id)
{
  long i = al_ruleset_index(f->rs, id);
  assert_true(i >= 0);
  return i;
}

static const struct al_rule_result *result(const struct fixture *f,
                                           const char *id)
{
  for (size_t i = 0; i < f->er.result_count; i++)
    if (strcmp(f->er.results[i].rule_id, id) == 0)
      return &f->er.results[i];
  return NULL;
}

static void eval(struct fixture *f, const struct al_expect *expect,
                 const struct al_redactor *rd)
{
  assert_int_equal(
      al_engine_eval(f->rs, &f->cfg, &f->req, &f->res, expect, rd, &f->er),
      AL_OK);
}

/* Judges 'raw' as the answer to 'method' from a clean slate: a new request
 * method, response and result list, for table-driven tests. */
static void judge_fresh(struct fixture *f, const char *method, const char *raw)
{
  free(f->req.method);
  f->req.method = al_strdup(method);
  assert_non_null(f->req.method);
  al_response_cleanup(&f->res);
  al_response_init(&f->res);
  al_endpoint_result_cleanup(&f->er);
  al_endpoint_result_init(&f->er);
  respond(f, raw);
  eval(f, NULL, NULL);
}

static void test_config_layers_last_word_wins(void **state)
{
  struct fixture *f = *state;
  long loc = idx(f, "created-without-location");
  long retry = idx(f, "retry-after-missing");
  assert_int_equal(f->cfg.enabled[loc], 1);
  assert_int_equal(f->cfg.severity[retry], AL_SEV_WARNING);

  /* Writable copies: struct al_rule_setting owns (char *) ids. */
  char loc_id[] = "created-without-location",
       retry_id[] = "retry-after-missing";
  /* spec: disable created-without-location, retry-after-missing -> error */
  struct al_rule_setting spec_disable[] = {{loc_id, 4, 13, 0}};
  struct al_rule_setting spec_sev[] = {{retry_id, 5, 14, AL_SEV_ERROR}};
  struct al_rule_overrides spec = {spec_disable, 1, NULL, 0, spec_sev, 1};
  struct al_err err = {0};
  assert_int_equal(
      al_rule_config_apply(&f->cfg, f->rs, &spec, "api.yaml", &err), AL_OK);
  assert_int_equal(f->cfg.enabled[loc], 0);
  assert_int_equal(f->cfg.severity[retry], AL_SEV_ERROR);

  /* endpoint: enable it again, retry-after-missing -> info */
  struct al_rule_setting ep_enable[] = {{loc_id, 9, 20, 0}};
  struct al_rule_setting ep_sev[] = {{retry_id, 10, 20, AL_SEV_INFO}};
  struct al_rule_overrides ep = {NULL, 0, ep_enable, 1, ep_sev, 1};
  assert_int_equal(al_rule_config_apply(&f->cfg, f->rs, &ep, "api.yaml", &err),
                   AL_OK);
  assert_int_equal(f->cfg.enabled[loc], 1);
  assert_int_equal(f->cfg.severity[retry], AL_SEV_INFO);

  /* command line: --disable has the last word */
  assert_int_equal(al_rule_config_switch(&f->cfg, f->rs,
                                         "created-without-location", 0, &err),
                   AL_OK);
  assert_int_equal(f->cfg.enabled[loc], 0);

  /* copies are independent */
  struct al_rule_config copy;
  assert_int_equal(al_rule_config_copy(&copy, &f->cfg), AL_OK);
  copy.enabled[loc] = 1;
  assert_int_equal(f->cfg.enabled[loc], 0);
  al_rule_config_cleanup(&copy);

  /* the severity reaches the finding */
  respond(f, "HTTP/1.1 429 Too Many Requests\n");
  eval(f, NULL, NULL);
  const struct al_rule_result *rr = result(f, "retry-after-missing");
  assert_non_null(rr);
  assert_int_equal(rr->outcome, AL_OUTCOME_FAIL);
  assert_int_equal(rr->finding_count, 1);
  assert_int_equal(rr->findings[0].severity, AL_SEV_INFO);
  assert_string_equal(rr->findings[0].message, "429 without Retry-After");
  assert_string_equal(rr->findings[0].level, "advice");
  assert_non_null(strstr(rr->findings[0].source, "RFC 6585"));
}

static void test_unknown_rule_ids_are_errors_with_position(void **state)
{
  struct fixture *f = *state;
  long leak = idx(f, "server-error-leak");
  char leak_id[] = "server-error-leak", typo[] = "retry-after-mising";
  struct al_rule_setting good[] = {{leak_id, 3, 5, 0}};
  struct al_rule_setting bad[] = {{typo, 7, 15, 0}};
  struct al_rule_overrides ov = {good, 1, bad, 1, NULL, 0};
  struct al_err err = {0};
  assert_int_equal(
      al_rule_config_apply(&f->cfg, f->rs, &ov, "specs/a.yaml", &err),
      AL_E_SPEC);
  assert_string_equal(err.file, "specs/a.yaml");
  assert_int_equal(err.line, 7);
  assert_int_equal(err.col, 15);
  assert_non_null(strstr(err.msg, "unknown rule 'retry-after-mising'"));
  assert_non_null(strstr(err.msg, "did you mean 'retry-after-missing'"));
  /* nothing of the bad block was applied */
  assert_int_equal(f->cfg.enabled[leak], 1);

  struct al_err err2 = {0};
  assert_int_equal(
      al_rule_config_switch(&f->cfg, f->rs, "no-such-rule", 1, &err2),
      AL_E_USAGE);
  assert_non_null(strstr(err2.msg, "unknown rule 'no-such-rule'"));
}

/* Replaces the fixture's ruleset with rules/core.yaml alone, so counts of
 * results do not change whenever a rule is added to the catalogue. */
static void use_core_rules_only(struct fixture *f)
{
  struct al_err err = {0};
  al_rule_config_cleanup(&f->cfg);
  al_ruleset_free(f->rs);
  f->rs = calloc(1, sizeof *f->rs);
  assert_non_null(f->rs);
  assert_int_equal(
      al_ruleset_load_file(f->rs, AL_SOURCE_DIR "/rules/core.yaml", &err),
      AL_OK);
  assert_int_equal(al_rule_config_init(&f->cfg, f->rs), AL_OK);
}

static void test_outcomes_pass_fail_skipped_in_ruleset_order(void **state)
{
  struct fixture *f = *state;
  use_core_rules_only(f);
  respond(f, "HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n"
             "{\"error\": \"login\"}");
  eval(f, NULL, NULL);
  /* only rules whose `when:` holds have a result */
  assert_int_equal(f->er.result_count, 1);
  assert_string_equal(f->er.results[0].rule_id,
                      "unauthorized-without-challenge");
  assert_int_equal(f->er.results[0].outcome, AL_OUTCOME_FAIL);
  assert_string_equal(f->er.results[0].findings[0].message,
                      "401 without WWW-Authenticate");
  assert_string_equal(f->er.results[0].findings[0].evidence,
                      "HTTP/1.1 401 Unauthorized");
  al_endpoint_result_cleanup(&f->er);

  f->cfg.enabled[idx(f, "unauthorized-without-challenge")] = 0;
  eval(f, NULL, NULL);
  assert_int_equal(f->er.result_count, 1);
  assert_int_equal(f->er.results[0].outcome, AL_OUTCOME_SKIPPED);
  assert_int_equal(f->er.results[0].finding_count, 0);
  al_endpoint_result_cleanup(&f->er);
  al_response_cleanup(&f->res);
  al_response_init(&f->res);

  f->cfg.enabled[idx(f, "unauthorized-without-challenge")] = 1;
  respond(f, "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic\n");
  eval(f, NULL, NULL);
  assert_int_equal(f->er.result_count, 1);
  assert_int_equal(f->er.results[0].outcome, AL_OUTCOME_PASS);
  al_endpoint_result_cleanup(&f->er);
  al_response_cleanup(&f->res);
  al_response_init(&f->res);

  /* a 200 meets error-body-on-success; with an expect, also expectation,
   * after it (ruleset order) */
  struct al_expect ex = {0};
  ex.has_status = 1;
  ex.status.classes[2] = 1;
  char text[] = "2xx";
  ex.status.text = text;
  respond(f, "HTTP/1.1 200 OK\n\n{\"ok\": true}");
  eval(f, &ex, NULL);
  assert_int_equal(f->er.result_count, 2);
  assert_string_equal(f->er.results[0].rule_id, "error-body-on-success");
  assert_string_equal(f->er.results[1].rule_id, "expectation");
  assert_int_equal(f->er.results[0].outcome, AL_OUTCOME_PASS);
  assert_int_equal(f->er.results[1].outcome, AL_OUTCOME_PASS);
}

static void test_transport_failure_gives_only_transport_error(void **state)
{
  struct fixture *f = *state;
  f->res.transport_failed = 1;
  f->res.curl_code = 7;
  f->res.transport_error =
      al_strdup("(7) Failed to connect to 127.0.0.1 port 1: Connection "
                "refused");
  struct al_expect ex = {0};
  ex.has_status = 1;
  ex.status.classes[2] = 1;
  char text[] = "2xx";
  ex.status.text = text;
  eval(f, &ex, NULL);
  assert_int_equal(f->er.result_count, 1);
  const struct al_rule_result *rr = &f->er.results[0];
  assert_string_equal(rr->rule_id, "transport-error");
  assert_int_equal(rr->outcome, AL_OUTCOME_ERROR);
  assert_int_equal(rr->finding_count, 1);
  assert_string_equal(rr->findings[0].message, f->res.transport_error);
  assert_int_equal(rr->findings[0].severity, AL_SEV_ERROR);
  al_endpoint_result_cleanup(&f->er);

  f->cfg.enabled[idx(f, "transport-error")] = 0;
  eval(f, &ex, NULL);
  assert_int_equal(f->er.result_count, 1);
  assert_int_equal(f->er.results[0].outcome, AL_OUTCOME_SKIPPED);
}

/* A response that arrived and then broke off (body limit, timeout mid-body)
 * is judged AND reported as a transport error. */
static void test_cut_transfer_is_judged_and_reported(void **state)
{
  struct fixture *f = *state;
  respond(f, "HTTP/1.1 503 Service Unavailable\n\npartial");
  f->res.transport_failed = 1;
  f->res.body_incomplete = 1;
  f->res.curl_code = 28;
  f->res.transport_error = al_strdup("(28) Operation timed out");
  eval(f, NULL, NULL);
  const struct al_rule_result *retry = result(f, "retry-after-missing");
  const struct al_rule_result *tr = result(f, "transport-error");
  assert_non_null(retry);
  assert_non_null(tr);
  assert_int_equal(retry->outcome, AL_OUTCOME_FAIL);
  assert_int_equal(tr->outcome, AL_OUTCOME_ERROR);
  assert_string_equal(tr->findings[0].message, "(28) Operation timed out");
}

static void test_expectation_reports_each_mismatch(void **state)
{
  struct fixture *f = *state;
  respond(f, "HTTP/1.1 404 Not Found\nContent-Location: /u/1\nX-Debug: on\n");
  char text[] = "2xx", loc[] = "Content-Location", dbg[] = "X-Debug",
       etag[] = "ETag", pat[] = "^/users/[0-9]+$";
  struct al_header_expect hx[] = {
      {.name = loc, .kind = AL_HEXPECT_MATCH, .pattern = pat},
      {.name = dbg, .kind = AL_HEXPECT_ABSENT},
      {.name = etag, .kind = AL_HEXPECT_PRESENT}};
  char why[300];
  /* Compiled once, as al_expect_load does for a loaded expectation. */
  assert_true(al_expect_compile_header(&hx[0], why, sizeof why));
  struct al_expect ex = {0};
  ex.has_status = 1;
  ex.status.classes[2] = 1;
  ex.status.text = text;
  ex.headers = hx;
  ex.header_count = 3;
  eval(f, &ex, NULL);
  const struct al_rule_result *rr = result(f, "expectation");
  assert_non_null(rr);
  assert_int_equal(rr->outcome, AL_OUTCOME_FAIL);
  assert_int_equal(rr->finding_count, 4);
  assert_string_equal(rr->findings[0].message, "status 404, expected 2xx");
  assert_string_equal(rr->findings[0].evidence, "HTTP/1.1 404 Not Found");
  assert_string_equal(rr->findings[1].message,
                      "header Content-Location '/u/1' does not match "
                      "^/users/[0-9]+$");
  assert_string_equal(rr->findings[1].evidence, "Content-Location: /u/1");
  assert_string_equal(rr->findings[2].message,
                      "header X-Debug present, expected absent");
  assert_string_equal(rr->findings[3].message,
                      "header ETag missing, expected present");
  al_endpoint_result_cleanup(&f->er);

  /* no expectation set: the rule does not apply at all */
  struct al_expect empty = {0};
  eval(f, &empty, NULL);
  assert_null(result(f, "expectation"));
  al_ere_free(hx[0].re);
}

static void test_secrets_are_masked_in_message_and_evidence(void **state)
{
  struct fixture *f = *state;
  assert_int_equal(al_headers_add(&f->req.headers, "Authorization",
                                  "Bearer s3cr3t-t0ken-value"),
                   AL_OK);
  struct al_redactor rd;
  al_redactor_init(&rd);
  assert_int_equal(al_redactor_add_headers(&rd, &f->req.headers), AL_OK);
  respond(f, "HTTP/1.1 500 Internal Server Error\n\n"
             "Traceback (most recent call last): auth=s3cr3t-t0ken-value\n");
  eval(f, NULL, &rd);
  const struct al_rule_result *rr = result(f, "server-error-leak");
  assert_non_null(rr);
  assert_int_equal(rr->finding_count, 1);
  assert_non_null(strstr(rr->findings[0].evidence, "Traceback"));
  assert_null(strstr(rr->findings[0].evidence, "s3cr3t"));
  assert_non_null(strstr(rr->findings[0].evidence, "***"));
  assert_null(strstr(rr->findings[0].message, "s3cr3t"));
  al_endpoint_result_cleanup(&f->er);

  /* a user rule quoting a request header in its message */
  static const char text[] =
      "rules:\n"
      "  - id: shows-auth\n"
      "    severity: info\n"
      "    summary: s\n"
      "    message: \"sent {request-header:Authorization} got {status}\"\n"
      "    when: {status: 5xx}\n"
      "    require: {headers: {Retry-After: true}}\n";
  struct al_err err = {0};
  assert_int_equal(
      al_ruleset_parse(f->rs, text, strlen(text), "org.yaml", &err), AL_OK);
  al_rule_config_cleanup(&f->cfg);
  assert_int_equal(al_rule_config_init(&f->cfg, f->rs), AL_OK);
  eval(f, NULL, &rd);
  rr = result(f, "shows-auth");
  assert_non_null(rr);
  assert_int_equal(rr->finding_count, 1);
  assert_string_equal(rr->findings[0].message, "sent *** got 500");
  al_redactor_cleanup(&rd);
}

/* An expectation on a secret-named header matches the real value but never
 * prints it; the leak check does not quote cookies either. */
static void test_secret_headers_are_never_quoted(void **state)
{
  struct fixture *f = *state;
  respond(f, "HTTP/1.1 500 Internal Server Error\n"
             "Set-Cookie: sid=/var/www/abcdef123456\n");
  char name[] = "Set-Cookie", pat[] = "^token=";
  struct al_header_expect hx[] = {
      {.name = name, .kind = AL_HEXPECT_MATCH, .pattern = pat}};
  char why[300];
  assert_true(al_expect_compile_header(&hx[0], why, sizeof why));
  struct al_expect ex = {0};
  ex.headers = hx;
  ex.header_count = 1;
  struct al_redactor rd;
  al_redactor_init(&rd);
  eval(f, &ex, &rd);
  const struct al_rule_result *rr = result(f, "expectation");
  assert_non_null(rr);
  assert_int_equal(rr->finding_count, 1);
  assert_string_equal(rr->findings[0].message,
                      "header Set-Cookie '***' does not match ^token=");
  assert_string_equal(rr->findings[0].evidence, "Set-Cookie: ***");
  rr = result(f, "server-error-leak");
  assert_non_null(rr);
  assert_int_equal(rr->outcome, AL_OUTCOME_PASS);
  al_redactor_cleanup(&rd);
  al_ere_free(hx[0].re);
}

/* Real-world heads the core rules must accept: every built-in rule on, no
 * finding at all. */
static void test_real_world_heads_give_no_finding(void **state)
{
  struct fixture *f = *state;
  static const struct {
    const char *method, *raw;
  } cases[] = {
      {"POST", "HTTP/1.1 201 Created\nLocation: /users/42\n"},
      {"POST", "HTTP/1.1 201 Created\nContent-Location: /users/42\n"
               "Content-Type: application/json\n\n{\"id\":42}"},
      {"GET", "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer "
              "realm=\"api\"\nWWW-Authenticate: Basic realm=\"api\", "
              "charset=\"UTF-8\"\nContent-Type: application/json\n\n"
              "{\"error\":\"invalid_token\"}"},
      {"GET", "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: \n"
              "WWW-Authenticate: Negotiate\n"},
      {"DELETE", "HTTP/1.1 405 Method Not Allowed\nAllow: \n"},
      {"PATCH", "HTTP/1.1 405 Method Not Allowed\nAllow: GET, HEAD\n"
                "Allow: OPTIONS\n"},
      {"POST", "HTTP/1.1 429 Too Many Requests\nRetry-After: Wed, 21 Oct "
               "2026 07:28:00 GMT\nContent-Type: text/plain\n\nslow down"},
      {"GET", "HTTP/1.1 503 Service Unavailable\nRetry-After: 0\n"
              "Content-Type: text/html\n\n<h1>Back soon</h1>"},
      {"GET", "HTTP/1.1 503 Service Unavailable\nretry-after: 120\n"},
      {"DELETE", "HTTP/1.1 204 No Content\nConnection: close\n"
                 "Date: Sun, 22 Nov 2026 03:00:00 GMT\n"},
      {"PUT", "HTTP/1.1 204 No Content\nETag: \"v2\"\n\n"},
      {"GET", "HTTP/1.1 304 Not Modified\nETag: \"v1\"\nContent-Length: 1234\n"
              "Cache-Control: max-age=60\nVary: Accept-Encoding\n"},
      {"GET", "HTTP/1.1 304 Not Modified\nETag: W/\"v1\"\n"
              "Transfer-Encoding: chunked\n"},
      /* HEAD: the head of a 200, a 503 or a 404 with the representation's
       * Content-Length and no body (a 500 is server-error's, always) */
      {"HEAD", "HTTP/1.1 200 OK\nContent-Type: application/json\n"
               "Content-Length: 5120\n"},
      {"HEAD", "HTTP/1.1 503 Service Unavailable\nRetry-After: 30\n"
               "Content-Type: text/html\nContent-Length: 3120\n"},
      {"HEAD", "HTTP/1.1 404 Not Found\nContent-Type: text/html\n"
               "Content-Length: 153\n"},
      {"HEAD", "HTTP/1.1 201 Created\nLocation: /jobs/7\n"},
      /* A 5xx that is just a stock page: no leak, no other rule */
      {"GET", "HTTP/1.1 502 Bad Gateway\nServer: nginx\n"
              "Content-Type: text/html\n\n<html>\n<head><title>502 Bad "
              "Gateway</title></head>\n<body>\n<center><h1>502 Bad "
              "Gateway</h1></center>\n<hr><center>nginx/1.22.1</center>\n"
              "</body>\n</html>"},
      {"GET", "HTTP/1.1 200 OK\nContent-Type: application/json\n\n"
              "{\"data\":{\"user\":null},\"errors\":[]}"},
      /* not JSON: error-body never guesses (as application/json it would
       * rightly be content-type-mismatch's) */
      {"GET", "HTTP/1.1 200 OK\nContent-Type: text/plain\n\n"
              "not json at all {\"success\": false"},
  };
  int bad = 0;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    judge_fresh(f, cases[i].method, cases[i].raw);
    for (size_t r = 0; r < f->er.result_count; r++) {
      const struct al_rule_result *rr = &f->er.results[r];
      for (size_t k = 0; k < rr->finding_count; k++) {
        print_error("case %zu: %s: %s\n", i, rr->rule_id,
                    rr->findings[k].message);
        bad++;
      }
    }
  }
  assert_int_equal(bad, 0);
}

/* The messages say what was found, with the evidence quoted on one line. */
static void test_messages_quote_their_evidence(void **state)
{
  struct fixture *f = *state;
  static const struct {
    const char *method, *raw, *rule, *message, *evidence;
  } cases[] = {
      {"DELETE",
       "HTTP/1.1 204 No Content\nContent-Length: 17\n\n{\"deleted\": true}",
       "no-content-with-body",
       "204 No Content carries content: 17 bytes sent after the head, "
       "Content-Length: 17",
       "{\"deleted\": true}"},
      {"GET", "HTTP/1.1 304 Not Modified\nETag: \"v1\"\n\n{\"id\": 1}",
       "not-modified-with-body",
       "304 Not Modified carries a body: 9 bytes sent after the head",
       "{\"id\": 1}"},
      {"GET",
       "HTTP/1.1 200 OK\nContent-Type: application/json\n\n"
       "{\n  \"success\": false,\n  \"message\": \"no such user\"\n}",
       "error-body-on-success",
       "200 response body says the request failed: \"success\": false",
       "{ \"success\": false, \"message\": \"no such user\" }"},
      {"GET",
       "HTTP/1.1 500 Internal Server Error\n\nTypeError: x\n    at getUser "
       "(/app/src/users.js:14:22)\n    at next (/app/node_modules/x.js:1:1)",
       "server-error-leak",
       "500 response reveals a Node.js stack trace: 'at getUser "
       "(/app/src/users.js:14:22)'",
       "TypeError: x at getUser (/app/src/users.js:14:22) at next "
       "(/app/node_modules/x.js:1:1)"},
      {"POST", "HTTP/1.1 429 Too Many Requests\n", "retry-after-missing",
       "429 without Retry-After", "HTTP/1.1 429 Too Many Requests"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    judge_fresh(f, cases[i].method, cases[i].raw);
    const struct al_rule_result *rr = result(f, cases[i].rule);
    assert_non_null(rr);
    assert_int_equal(rr->finding_count, 1);
    assert_string_equal(rr->findings[0].message, cases[i].message);
    assert_string_equal(rr->findings[0].evidence, cases[i].evidence);
  }
}

static void test_mismatched_config_is_an_internal_error(void **state)
{
  struct fixture *f = *state;
  struct al_rule_config small = {0};
  small.count = 1;
  int en = 1;
  enum al_severity sev = AL_SEV_ERROR;
  small.enabled = &en;
  small.severity = &sev;
  respond(f, "HTTP/1.1 200 OK\n");
  assert_int_equal(
      al_engine_eval(f->rs, &small, &f->req, &f->res, NULL, NULL, &f->er),
      AL_E_INTERNAL);
}

/* ------------------------------------------------------------------ */
/* probe answers (al_engine_eval_probe)                               */

/* One answer of a probe test: a method and a raw response, or NULL raw
 * for a request that got no answer. */
struct exchange {
  const char *method, *raw;
};

/* The world a probe answer is judged in, built from raw text: [0] is the
 * endpoint's own exchange, [1..n-2] the peers, [n-1] the probe answer. */
struct probe_case {
  struct al_request req[6];
  struct al_response res[6];
  const struct al_request *reqs[6];
  const struct al_response *ress[6];
  size_t n;
  struct al_probe_context ctx;
  struct al_probe_result *pr; /* borrowed from f->er */
};

static void probe_case_cleanup(struct probe_case *pc)
{
  for (size_t i = 0; i < pc->n; i++) {
    al_request_cleanup(&pc->req[i]);
    al_response_cleanup(&pc->res[i]);
  }
  pc->n = 0;
}

/* Judges 'answer' as the answer to probe/step; the endpoint's own exchange
 * is 'own' and 'peers' (n_peers, up to 4) the other answers. Header
 * 'req_header' ("Name: value" or NULL) goes into the probe request. */
static void judge_probe(struct fixture *f, struct probe_case *pc,
                        const char *probe, const char *step,
                        struct exchange own, const struct exchange *peers,
                        size_t n_peers, struct exchange answer,
                        const char *req_header)
{
  struct exchange all[6];
  assert_true(n_peers <= 4);
  all[0] = own;
  for (size_t i = 0; i < n_peers; i++)
    all[i + 1] = peers[i];
  all[n_peers + 1] = answer;
  pc->n = n_peers + 2;
  for (size_t i = 0; i < pc->n; i++) {
    struct al_err err = {0};
    al_request_init(&pc->req[i]);
    al_response_init(&pc->res[i]);
    pc->req[i].method = al_strdup(all[i].method);
    pc->req[i].url = al_strdup("http://127.0.0.1:1/x");
    assert_non_null(pc->req[i].method);
    if (all[i].raw)
      assert_int_equal(al_response_parse_raw(all[i].raw, strlen(all[i].raw),
                                             all[i].method, &pc->res[i], &err),
                       AL_OK);
    pc->reqs[i] = &pc->req[i];
    pc->ress[i] = &pc->res[i];
  }
  if (req_header) {
    char name[64];
    const char *colon = strchr(req_header, ':');
    assert_non_null(colon);
    snprintf(name, sizeof name, "%.*s", (int)(colon - req_header), req_header);
    assert_int_equal(
        al_headers_add(&pc->req[pc->n - 1].headers, name, colon + 2), AL_OK);
  }
  struct al_probe_context ctx = {probe,    step,     &pc->req[0], &pc->res[0],
                                 pc->reqs, pc->ress, pc->n};
  pc->ctx = ctx;
  al_endpoint_result_cleanup(&f->er);
  al_endpoint_result_init(&f->er);
  pc->pr = al_endpoint_result_add_probe(&f->er);
  assert_non_null(pc->pr);
  assert_int_equal(al_engine_eval_probe(f->rs, &f->cfg, &pc->req[pc->n - 1],
                                        &pc->res[pc->n - 1], &pc->ctx, NULL,
                                        pc->pr),
                   AL_OK);
}

static const struct al_rule_result *probe_result(const struct probe_case *pc,
                                                 const char *id)
{
  for (size_t i = 0; i < pc->pr->result_count; i++)
    if (strcmp(pc->pr->results[i].rule_id, id) == 0)
      return &pc->pr->results[i];
  return NULL;
}

/* The message of the only finding of rule 'id', or NULL when the rule
 * has no finding (asserts it has at most one). */
static const char *probe_finding(const struct probe_case *pc, const char *id)
{
  const struct al_rule_result *rr = probe_result(pc, id);
  if (!rr || rr->finding_count == 0)
    return NULL;
  assert_int_equal(rr->finding_count, 1);
  return rr->findings[0].message;
}

static const struct exchange got_200_json = {
    "GET", "HTTP/1.1 200 OK\nContent-Type: application/json\n\n[{\"id\": 1}]"};

/* A rule with `probe:` never judges an endpoint's own answer, whatever it
 * is; its ordinary peers do. */
static void test_probe_rules_never_judge_an_endpoint_answer(void **state)
{
  struct fixture *f = *state;
  static const char *const raws[] = {
      "HTTP/1.1 404 Not Found\n", "HTTP/1.1 403 Forbidden\n",
      "HTTP/1.1 200 OK\nContent-Type: text/plain\n\nok",
      "HTTP/1.1 500 Internal Server Error\n", "HTTP/1.1 204 No Content\n"};
  for (size_t i = 0; i < sizeof raws / sizeof raws[0]; i++) {
    judge_fresh(f, i == 4 ? "OPTIONS" : "GET", raws[i]);
    for (size_t r = 0; r < f->er.result_count; r++) {
      const struct al_rule *rule =
          al_ruleset_find(f->rs, f->er.results[r].rule_id);
      assert_non_null(rule);
      if (rule->logic->probe_count)
        print_error("%s judged an endpoint's answer\n", rule->id);
      assert_int_equal(rule->logic->probe_count, 0);
    }
  }
  judge_fresh(f, "GET", "HTTP/1.1 500 Internal Server Error\n");
  assert_non_null(result(f, "server-error"));
}

static void test_probe_rule_judges_only_its_probe_and_step(void **state)
{
  struct fixture *f = *state;
  struct probe_case pc;
  struct exchange own = {"POST", "HTTP/1.1 201 Created\nLocation: /u/1\n"};
  struct exchange accepted = {"POST", "HTTP/1.1 201 Created\nLocation: /u/2\n"};
  judge_probe(f, &pc, "malformed-body", "invalid-json", own, NULL, 0, accepted,
              NULL);
  assert_non_null(probe_finding(&pc, "malformed-input-accepted"));
  assert_string_equal(probe_finding(&pc, "malformed-input-accepted"),
                      "POST with a malformed body "
                      "was accepted with 201: the API does not validate its "
                      "input");
  /* validation-server-error applies (all steps) and passes */
  assert_int_equal(probe_result(&pc, "validation-server-error")->outcome,
                   AL_OUTCOME_PASS);
  /* other probes' rules are not there at all */
  assert_null(probe_result(&pc, "auth-not-enforced"));
  assert_null(probe_result(&pc, "head-differs-from-get"));
  probe_case_cleanup(&pc);

  /* missing-fields: {} may well be accepted; the step is not judged */
  judge_probe(f, &pc, "malformed-body", "missing-fields", own, NULL, 0,
              accepted, NULL);
  assert_null(probe_result(&pc, "malformed-input-accepted"));
  assert_non_null(probe_result(&pc, "validation-server-error"));
  probe_case_cleanup(&pc);

  /* a 500 to a malformed body: the probe rule and the ordinary rules */
  struct exchange boom = {"POST", "HTTP/1.1 500 Internal Server Error\n"
                                  "Content-Type: text/plain\n\noops"};
  judge_probe(f, &pc, "malformed-body", "wrong-types", own, NULL, 0, boom,
              NULL);
  assert_non_null(probe_finding(&pc, "validation-server-error"));
  assert_non_null(probe_finding(&pc, "server-error"));
  assert_null(probe_finding(&pc, "malformed-input-accepted"));
  probe_case_cleanup(&pc);

  /* an unknown probe name matches no probe rule, yet ordinary rules run */
  judge_probe(f, &pc, "no-such-probe", "x", own, NULL, 0, boom, NULL);
  assert_non_null(probe_finding(&pc, "server-error"));
  assert_null(probe_result(&pc, "validation-server-error"));
  probe_case_cleanup(&pc);
}

static void test_endpoint_status_needs_the_endpoint_answer(void **state)
{
  struct fixture *f = *state;
  struct probe_case pc;
  struct exchange patch404 = {"PATCH", "HTTP/1.1 404 Not Found\n"};
  judge_probe(f, &pc, "method-not-allowed", "undeclared-method", got_200_json,
              NULL, 0, patch404, NULL);
  assert_string_equal(
      probe_finding(&pc, "not-found-instead-of-405"),
      "PATCH answered 404 Not Found while the endpoint's own GET got 200: the "
      "resource exists, so a method it does not support gets 405 Method Not "
      "Allowed with Allow");
  assert_null(probe_finding(&pc, "undeclared-method-accepted"));
  probe_case_cleanup(&pc);

  /* the endpoint itself got 404 or no answer: a 404 may be right */
  struct exchange own404 = {"GET", "HTTP/1.1 404 Not Found\n"};
  judge_probe(f, &pc, "method-not-allowed", "undeclared-method", own404, NULL,
              0, patch404, NULL);
  assert_null(probe_result(&pc, "not-found-instead-of-405"));
  probe_case_cleanup(&pc);
  struct exchange lost = {"GET", NULL};
  judge_probe(f, &pc, "method-not-allowed", "undeclared-method", lost, NULL, 0,
              patch404, NULL);
  assert_null(probe_result(&pc, "not-found-instead-of-405"));
  probe_case_cleanup(&pc);

  /* 405 with Allow: right; 405 without: the core rule, on a probe answer */
  struct exchange ok405 = {"PATCH", "HTTP/1.1 405 Method Not Allowed\n"
                                    "Allow: GET, HEAD\n"};
  judge_probe(f, &pc, "method-not-allowed", "undeclared-method", got_200_json,
              NULL, 0, ok405, NULL);
  for (size_t i = 0; i < pc.pr->result_count; i++)
    assert_int_equal(pc.pr->results[i].finding_count, 0);
  assert_non_null(probe_result(&pc, "method-not-allowed-without-allow"));
  probe_case_cleanup(&pc);
  struct exchange bare405 = {"PATCH", "HTTP/1.1 405 Method Not Allowed\n"};
  judge_probe(f, &pc, "method-not-allowed", "undeclared-method", got_200_json,
              NULL, 0, bare405, NULL);
  assert_non_null(probe_finding(&pc, "method-not-allowed-without-allow"));
  probe_case_cleanup(&pc);

  /* 2xx to an undeclared method */
  struct exchange patch200 = {"PATCH", "HTTP/1.1 200 OK\nContent-Type: "
                                       "application/json\n\n{\"id\": 1}"};
  judge_probe(f, &pc, "method-not-allowed", "undeclared-method", got_200_json,
              NULL, 0, patch200, NULL);
  assert_non_null(probe_finding(&pc, "undeclared-method-accepted"));
  assert_non_null(
      strstr(probe_finding(&pc, "undeclared-method-accepted"),
             "either the spec is incomplete or the API accepts a method"));
  probe_case_cleanup(&pc);
}

static void test_unauthenticated_probe_rules(void **state)
{
  struct fixture *f = *state;
  struct probe_case pc;
  struct exchange r403 = {"GET", "HTTP/1.1 403 Forbidden\n"};
  judge_probe(f, &pc, "unauthenticated", "no-credentials", got_200_json, NULL,
              0, r403, NULL);
  assert_non_null(probe_finding(&pc, "forbidden-instead-of-401"));
  assert_null(probe_finding(&pc, "auth-not-enforced"));
  probe_case_cleanup(&pc);
  /* forbidden for everybody: 403 with and without credentials */
  judge_probe(f, &pc, "unauthenticated", "no-credentials", r403, NULL, 0, r403,
              NULL);
  assert_null(probe_result(&pc, "forbidden-instead-of-401"));
  probe_case_cleanup(&pc);
  struct exchange r401 = {"GET", "HTTP/1.1 401 Unauthorized\n"
                                 "WWW-Authenticate: Bearer realm=\"api\"\n"};
  judge_probe(f, &pc, "unauthenticated", "no-credentials", got_200_json, NULL,
              0, r401, NULL);
  for (size_t i = 0; i < pc.pr->result_count; i++)
    assert_int_equal(pc.pr->results[i].finding_count, 0);
  assert_non_null(probe_result(&pc, "auth-not-enforced"));
  probe_case_cleanup(&pc);
  judge_probe(f, &pc, "unauthenticated", "no-credentials", got_200_json, NULL,
              0, got_200_json, NULL);
  assert_string_equal(probe_finding(&pc, "auth-not-enforced"),
                      "without credentials the request still got 200: the "
                      "endpoint does not enforce the authentication its "
                      "request carries");
  /* optional authentication answers 2xx either way: a warning */
  assert_int_equal(probe_result(&pc, "auth-not-enforced")->findings[0].severity,
                   AL_SEV_WARNING);
  probe_case_cleanup(&pc);

  /* only a session Cookie left out: 403 is right (Django REST framework's
   * SessionAuthentication), yet a 2xx is still not enforcing it */
  judge_probe(f, &pc, "unauthenticated", "no-cookie", got_200_json, NULL, 0,
              r403, NULL);
  assert_null(probe_result(&pc, "forbidden-instead-of-401"));
  assert_non_null(probe_result(&pc, "auth-not-enforced"));
  assert_null(probe_finding(&pc, "auth-not-enforced"));
  probe_case_cleanup(&pc);
  judge_probe(f, &pc, "unauthenticated", "no-cookie", got_200_json, NULL, 0,
              got_200_json, NULL);
  assert_non_null(probe_finding(&pc, "auth-not-enforced"));
  probe_case_cleanup(&pc);
}

static void test_options_allow_against_the_other_answers(void **state)
{
  struct fixture *f = *state;
  struct probe_case pc;
  struct exchange options = {"OPTIONS", "HTTP/1.1 204 No Content\n"
                                        "Allow: GET, HEAD, OPTIONS, PUT\n"};
  const struct exchange peers[] = {
      {"HEAD", "HTTP/1.1 200 OK\nContent-Type: application/json\n"},
      {"PATCH", "HTTP/1.1 200 OK\nContent-Type: application/json\n\n{}"},
      {"PUT", "HTTP/1.1 405 Method Not Allowed\nAllow: GET, HEAD\n"},
      {"PATCH", "HTTP/1.1 204 No Content\n"}};
  judge_probe(f, &pc, "options", "options", got_200_json, peers, 4, options,
              NULL);
  const struct al_rule_result *rr = probe_result(&pc, "allow-inconsistent");
  assert_non_null(rr);
  /* PATCH once although two PATCH answers succeeded; PUT; not HEAD */
  assert_int_equal(rr->finding_count, 2);
  assert_string_equal(rr->findings[0].message,
                      "the OPTIONS answer's Allow disagrees with the "
                      "endpoint's answers: Allow: GET, HEAD, OPTIONS, PUT "
                      "does not list PATCH, but PATCH got 200");
  assert_string_equal(rr->findings[0].evidence,
                      "Allow: GET, HEAD, OPTIONS, PUT; PATCH -> HTTP/1.1 200 "
                      "OK");
  assert_non_null(
      strstr(rr->findings[1].message, "lists PUT, but PUT got 405"));
  assert_null(probe_finding(&pc, "options-without-allow"));
  probe_case_cleanup(&pc);

  /* no Allow: options-without-allow, and nothing to compare */
  struct exchange bare = {"OPTIONS", "HTTP/1.1 200 OK\nContent-Length: 0\n"};
  judge_probe(f, &pc, "options", "options", got_200_json, peers, 4, bare, NULL);
  assert_string_equal(probe_finding(&pc, "options-without-allow"),
                      "OPTIONS answered 200 without Allow: the client cannot "
                      "learn which methods the resource supports");
  assert_null(probe_finding(&pc, "allow-inconsistent"));
  probe_case_cleanup(&pc);

  /* consistent: listed methods work, unlisted ones get 405; answers that
   * never arrived are not evidence */
  const struct exchange good[] = {
      {"HEAD", "HTTP/1.1 200 OK\n"},
      {"PATCH", "HTTP/1.1 405 Method Not Allowed\nAllow: GET, HEAD\n"},
      {"DELETE", NULL}};
  struct exchange opt2 = {"OPTIONS",
                          "HTTP/1.1 200 OK\nAllow: get, head\n\nGET, HEAD"};
  judge_probe(f, &pc, "options", "options", got_200_json, good, 3, opt2, NULL);
  assert_int_equal(probe_result(&pc, "allow-inconsistent")->outcome,
                   AL_OUTCOME_PASS);
  probe_case_cleanup(&pc);

  /* allow-consistency is quiet for an endpoint's own answer */
  judge_fresh(f, "OPTIONS", "HTTP/1.1 204 No Content\nAllow: GET\n");
  assert_null(result(f, "allow-inconsistent"));
}

static void test_head_compared_with_get(void **state)
{
  struct fixture *f = *state;
  struct probe_case pc;
  struct exchange head404 = {"HEAD", "HTTP/1.1 404 Not Found\n"};
  judge_probe(f, &pc, "head", "head", got_200_json, NULL, 0, head404, NULL);
  assert_string_equal(probe_finding(&pc, "head-differs-from-get"),
                      "HEAD differs from GET: HEAD got 404, GET got 200");
  assert_string_equal(
      probe_result(&pc, "head-differs-from-get")->findings[0].evidence,
      "HEAD: HTTP/1.1 404 Not Found; GET: HTTP/1.1 200 OK");
  probe_case_cleanup(&pc);

  struct exchange head_html = {"HEAD", "HTTP/1.1 200 OK\n"
                                       "Content-Type: text/html\n"};
  judge_probe(f, &pc, "head", "head", got_200_json, NULL, 0, head_html, NULL);
  assert_string_equal(probe_finding(&pc, "head-differs-from-get"),
                      "HEAD differs from GET: HEAD Content-Type text/html, GET "
                      "Content-Type application/json");
  probe_case_cleanup(&pc);

  /* a HEAD without Content-Type is common and harmless (status same) */
  struct exchange head_none = {"HEAD", "HTTP/1.1 200 OK\n"};
  judge_probe(f, &pc, "head", "head", got_200_json, NULL, 0, head_none, NULL);
  assert_int_equal(probe_result(&pc, "head-differs-from-get")->outcome,
                   AL_OUTCOME_PASS);
  probe_case_cleanup(&pc);

  /* the same error status: an error page's type is not compared */
  struct exchange get404 = {"GET", "HTTP/1.1 404 Not Found\nContent-Type: "
                                   "application/json\n\n{\"message\": "
                                   "\"user 999 not found\"}"};
  struct exchange head404_html = {"HEAD", "HTTP/1.1 404 Not Found\n"
                                          "Content-Type: text/html\n"};
  judge_probe(f, &pc, "head", "head", get404, NULL, 0, head404_html, NULL);
  assert_int_equal(probe_result(&pc, "head-differs-from-get")->outcome,
                   AL_OUTCOME_PASS);
  probe_case_cleanup(&pc);

  /* same media type, other parameters and case; a HEAD with a body is
   * head-with-body's, not this rule's */
  struct exchange head_ok = {"HEAD",
                             "HTTP/1.1 200 OK\nContent-Type: Application/JSON;"
                             " charset=utf-8\nContent-Length: 11\n"};
  judge_probe(f, &pc, "head", "head", got_200_json, NULL, 0, head_ok, NULL);
  assert_int_equal(probe_result(&pc, "head-differs-from-get")->outcome,
                   AL_OUTCOME_PASS);
  probe_case_cleanup(&pc);

  /* a passing refusal of either says nothing about HEAD */
  struct exchange busy = {"GET", "HTTP/1.1 503 Service Unavailable\n"
                                 "Retry-After: 5\n"};
  judge_probe(f, &pc, "head", "head", busy, NULL, 0, head_html, NULL);
  assert_int_equal(probe_result(&pc, "head-differs-from-get")->outcome,
                   AL_OUTCOME_PASS);
  probe_case_cleanup(&pc);
  struct exchange head429 = {"HEAD", "HTTP/1.1 429 Too Many Requests\n"
                                     "Retry-After: 5\n"};
  judge_probe(f, &pc, "head", "head", got_200_json, NULL, 0, head429, NULL);
  assert_int_equal(probe_result(&pc, "head-differs-from-get")->outcome,
                   AL_OUTCOME_PASS);
  probe_case_cleanup(&pc);

  /* not a GET endpoint, or no GET answer: nothing to compare */
  struct exchange post = {"POST", "HTTP/1.1 201 Created\nLocation: /u/1\n"};
  judge_probe(f, &pc, "head", "head", post, NULL, 0, head404, NULL);
  assert_int_equal(probe_result(&pc, "head-differs-from-get")->outcome,
                   AL_OUTCOME_PASS);
  probe_case_cleanup(&pc);
  struct exchange lost = {"GET", NULL};
  judge_probe(f, &pc, "head", "head", lost, NULL, 0, head404, NULL);
  assert_int_equal(probe_result(&pc, "head-differs-from-get")->outcome,
                   AL_OUTCOME_PASS);
  probe_case_cleanup(&pc);
}

static void test_conditional_ignored_only_when_unchanged(void **state)
{
  struct fixture *f = *state;
  struct probe_case pc;
  struct exchange own = {"GET", "HTTP/1.1 200 OK\nETag: W/\"v1\"\n"
                                "Last-Modified: Sun, 22 Nov 2026 03:00:00 "
                                "GMT\nContent-Type: text/plain\n\nhi"};
  struct exchange same = own;
  judge_probe(f, &pc, "conditional", "if-none-match", own, NULL, 0, same,
              "If-None-Match: W/\"v1\"");
  assert_string_equal(probe_finding(&pc, "conditional-ignored"),
                      "the conditional request got "
                      "200 instead of 304 Not Modified: its ETag W/\"v1\" is "
                      "the one sent in If-None-Match");
  probe_case_cleanup(&pc);
  /* weak comparison: "v1" and W/"v1" are the same tag */
  judge_probe(f, &pc, "conditional", "if-none-match", own, NULL, 0, same,
              "If-None-Match: \"v0\", \"v1\"");
  assert_non_null(probe_finding(&pc, "conditional-ignored"));
  probe_case_cleanup(&pc);
  /* a new ETag: the resource changed meanwhile and 200 is right */
  struct exchange changed = {"GET", "HTTP/1.1 200 OK\nETag: \"v2\"\n"
                                    "Content-Type: text/plain\n\nho"};
  judge_probe(f, &pc, "conditional", "if-none-match", own, NULL, 0, changed,
              "If-None-Match: W/\"v1\"");
  assert_int_equal(probe_result(&pc, "conditional-ignored")->outcome,
                   AL_OUTCOME_PASS);
  probe_case_cleanup(&pc);
  struct exchange noetag = {"GET", "HTTP/1.1 200 OK\n"
                                   "Content-Type: text/plain\n\nhi"};
  judge_probe(f, &pc, "conditional", "if-none-match", own, NULL, 0, noetag,
              "If-None-Match: W/\"v1\"");
  assert_non_null(strstr(probe_finding(&pc, "conditional-ignored"),
                         "the answer carries no ETag"));
  probe_case_cleanup(&pc);
  /* If-Modified-Since: the same date again */
  judge_probe(f, &pc, "conditional", "if-modified-since", own, NULL, 0, same,
              "If-Modified-Since: Sun, 22 Nov 2026 03:00:00 GMT");
  assert_non_null(strstr(probe_finding(&pc, "conditional-ignored"),
                         "is the date sent in If-Modified-Since"));
  probe_case_cleanup(&pc);
  judge_probe(f, &pc, "conditional", "if-modified-since", own, NULL, 0, same,
              "If-Modified-Since: Sat, 21 Nov 2026 03:00:00 GMT");
  assert_null(probe_finding(&pc, "conditional-ignored"));
  probe_case_cleanup(&pc);
  /* 304: the rule does not apply */
  struct exchange nm = {"GET", "HTTP/1.1 304 Not Modified\nETag: W/\"v1\"\n"};
  judge_probe(f, &pc, "conditional", "if-none-match", own, NULL, 0, nm,
              "If-None-Match: W/\"v1\"");
  assert_null(probe_result(&pc, "conditional-ignored"));
  assert_non_null(probe_result(&pc, "not-modified-with-body"));
  probe_case_cleanup(&pc);
}

static void test_burst_without_429(void **state)
{
  struct fixture *f = *state;
  struct probe_case pc;
  judge_probe(f, &pc, "rate-limit", "burst", got_200_json, NULL, 0,
              got_200_json, NULL);
  assert_string_equal(probe_finding(&pc, "no-rate-limit"),
                      "no 429 Too Many Requests after the burst (the answer "
                      "judged: 200): either the API sets no limit a client "
                      "can meet, or it signals the limit some other way");
  assert_int_equal(probe_result(&pc, "no-rate-limit")->findings[0].severity,
                   AL_SEV_INFO);
  probe_case_cleanup(&pc);
  struct exchange limited = {"GET", "HTTP/1.1 429 Too Many Requests\n"};
  judge_probe(f, &pc, "rate-limit", "burst", got_200_json, NULL, 0, limited,
              NULL);
  assert_null(probe_finding(&pc, "no-rate-limit"));
  assert_non_null(probe_finding(&pc, "retry-after-missing"));
  probe_case_cleanup(&pc);
  /* the burst's judged request failed: only transport-error */
  struct exchange lost = {"GET", NULL};
  judge_probe(f, &pc, "rate-limit", "burst", got_200_json, NULL, 0, lost, NULL);
  assert_int_equal(pc.pr->result_count, 1);
  assert_string_equal(pc.pr->results[0].rule_id, "transport-error");
  assert_int_equal(pc.pr->results[0].outcome, AL_OUTCOME_ERROR);
  probe_case_cleanup(&pc);
}

/* Switches and severities apply to probe rules like to any rule. */
static void test_probe_rules_obey_the_config(void **state)
{
  struct fixture *f = *state;
  struct probe_case pc;
  f->cfg.enabled[idx(f, "auth-not-enforced")] = 0;
  f->cfg.severity[idx(f, "forbidden-instead-of-401")] = AL_SEV_ERROR;
  judge_probe(f, &pc, "unauthenticated", "no-credentials", got_200_json, NULL,
              0, got_200_json, NULL);
  assert_int_equal(probe_result(&pc, "auth-not-enforced")->outcome,
                   AL_OUTCOME_SKIPPED);
  assert_int_equal(probe_result(&pc, "auth-not-enforced")->finding_count, 0);
  probe_case_cleanup(&pc);
  struct exchange r403 = {"GET", "HTTP/1.1 403 Forbidden\n"};
  judge_probe(f, &pc, "unauthenticated", "no-credentials", got_200_json, NULL,
              0, r403, NULL);
  const struct al_rule_result *rr =
      probe_result(&pc, "forbidden-instead-of-401");
  assert_int_equal(rr->findings[0].severity, AL_SEV_ERROR);
  assert_string_equal(rr->findings[0].level, "SHOULD");
  assert_non_null(strstr(rr->findings[0].source, "RFC 9110 \xc2\xa7"
                                                 "15.5.2"));
  probe_case_cleanup(&pc);
}

/* The conditions and placeholders only a probe answer gives meaning to,
 * in a user's rule file. */
static void test_probe_conditions_and_placeholders(void **state)
{
  struct fixture *f = *state;
  static const char text[] =
      "rules:\n"
      "  - id: probe-echo\n"
      "    severity: info\n"
      "    summary: s\n"
      "    message: \"{probe} {method} {status} after {endpoint-method} "
      "{endpoint-status}\"\n"
      "    when: {endpoint-status: [\"2xx\", 304], request-body: true}\n"
      "    require: {status: 599}\n"
      "  - id: bodyless\n"
      "    severity: info\n"
      "    summary: s\n"
      "    message: \"[{probe}] [{endpoint-method}] [{endpoint-status}]\"\n"
      "    when: {request-body: false}\n"
      "    require: {status: 599}\n";
  struct al_err err = {0};
  assert_int_equal(
      al_ruleset_parse(f->rs, text, sizeof text - 1, "t.yaml", &err), AL_OK);
  al_rule_config_cleanup(&f->cfg);
  assert_int_equal(al_rule_config_init(&f->cfg, f->rs), AL_OK);

  /* an endpoint's own answer: endpoint-status never holds */
  free(f->req.body);
  f->req.body = al_strdup("{}");
  f->req.body_len = 2;
  judge_fresh(f, "POST", "HTTP/1.1 400 Bad Request\n");
  assert_null(result(f, "probe-echo"));
  assert_null(result(f, "bodyless"));
  free(f->req.body);
  f->req.body = NULL;
  f->req.body_len = 0;
  judge_fresh(f, "GET", "HTTP/1.1 200 OK\n");
  assert_non_null(result(f, "bodyless"));
  assert_string_equal(result(f, "bodyless")->findings[0].message, "[] [] []");

  struct probe_case pc;
  struct exchange own = {"POST", "HTTP/1.1 201 Created\nLocation: /u/1\n"};
  struct exchange bad = {"POST", "HTTP/1.1 400 Bad Request\n"};
  judge_probe(f, &pc, "malformed-body", "invalid-json", own, NULL, 0, bad,
              NULL);
  /* the probe request sent no body here: request-body: true fails */
  assert_null(probe_result(&pc, "probe-echo"));
  assert_string_equal(probe_finding(&pc, "bodyless"),
                      "[malformed-body/invalid-json] [POST] [201]");
  probe_case_cleanup(&pc);

  /* the same with a body in the probe request, judged again */
  judge_probe(f, &pc, "malformed-body", "invalid-json", own, NULL, 0, bad,
              NULL);
  pc.req[pc.n - 1].body = al_strdup("{not json");
  pc.req[pc.n - 1].body_len = 9;
  al_endpoint_result_cleanup(&f->er);
  al_endpoint_result_init(&f->er);
  pc.pr = al_endpoint_result_add_probe(&f->er);
  assert_non_null(pc.pr);
  assert_int_equal(al_engine_eval_probe(f->rs, &f->cfg, &pc.req[pc.n - 1],
                                        &pc.res[pc.n - 1], &pc.ctx, NULL,
                                        pc.pr),
                   AL_OK);
  assert_string_equal(probe_finding(&pc, "probe-echo"),
                      "malformed-body/invalid-json POST 400 after POST 201");
  assert_null(probe_result(&pc, "bodyless"));
  probe_case_cleanup(&pc);

  /* the endpoint's answer never came: "none" */
  struct exchange lost = {"POST", NULL};
  judge_probe(f, &pc, "head", "head", lost, NULL, 0, bad, NULL);
  assert_string_equal(probe_finding(&pc, "bodyless"), "[head/head] [POST] "
                                                      "[none]");
  probe_case_cleanup(&pc);
}

static void test_eval_probe_refuses_a_missing_context(void **state)
{
  struct fixture *f = *state;
  respond(f, "HTTP/1.1 200 OK\n");
  struct al_probe_result *pr = al_endpoint_result_add_probe(&f->er);
  assert_non_null(pr);
  assert_int_equal(
      al_engine_eval_probe(f->rs, &f->cfg, &f->req, &f->res, NULL, NULL, pr),
      AL_E_INTERNAL);
  struct al_probe_context ctx = {"head", "head", NULL, NULL, NULL, NULL, 0};
  struct al_rule_config small = {0};
  int en = 1;
  enum al_severity sev = AL_SEV_ERROR;
  small.count = 1;
  small.enabled = &en;
  small.severity = &sev;
  assert_int_equal(
      al_engine_eval_probe(f->rs, &small, &f->req, &f->res, &ctx, NULL, pr),
      AL_E_INTERNAL);
  /* a context without an endpoint answer or peers is fine */
  assert_int_equal(
      al_engine_eval_probe(f->rs, &f->cfg, &f->req, &f->res, &ctx, NULL, pr),
      AL_OK);
  int judged = 0;
  for (size_t i = 0; i < pr->result_count; i++)
    if (strcmp(pr->results[i].rule_id, "head-differs-from-get") == 0)
      judged = pr->results[i].outcome == AL_OUTCOME_PASS;
  assert_true(judged);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_config_layers_last_word_wins, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          test_unknown_rule_ids_are_errors_with_position, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_outcomes_pass_fail_skipped_in_ruleset_order, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_transport_failure_gives_only_transport_error, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cut_transfer_is_judged_and_reported,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_expectation_reports_each_mismatch,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_secrets_are_masked_in_message_and_evidence, setup, teardown),
      cmocka_unit_test_setup_teardown(test_secret_headers_are_never_quoted,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_real_world_heads_give_no_finding,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_messages_quote_their_evidence, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          test_mismatched_config_is_an_internal_error, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_probe_rules_never_judge_an_endpoint_answer, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_probe_rule_judges_only_its_probe_and_step, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_endpoint_status_needs_the_endpoint_answer, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unauthenticated_probe_rules, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          test_options_allow_against_the_other_answers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_head_compared_with_get, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          test_conditional_ignored_only_when_unchanged, setup, teardown),
      cmocka_unit_test_setup_teardown(test_burst_without_429, setup, teardown),
      cmocka_unit_test_setup_teardown(test_probe_rules_obey_the_config, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_probe_conditions_and_placeholders,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_eval_probe_refuses_a_missing_context,
                                      setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
