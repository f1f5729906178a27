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

static void test_outcomes_pass_fail_skipped_in_ruleset_order(void **state)
{
  struct fixture *f = *state;
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
  struct al_header_expect hx[] = {{loc, AL_HEXPECT_MATCH, pat},
                                  {dbg, AL_HEXPECT_ABSENT, NULL},
                                  {etag, AL_HEXPECT_PRESENT, NULL}};
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
  struct al_header_expect hx[] = {{name, AL_HEXPECT_MATCH, pat}};
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
      /* HEAD: the head of a 200, a 500 or a 404 with the representation's
       * Content-Length and no body */
      {"HEAD", "HTTP/1.1 200 OK\nContent-Type: application/json\n"
               "Content-Length: 5120\n"},
      {"HEAD", "HTTP/1.1 500 Internal Server Error\nContent-Type: text/html\n"
               "Content-Length: 3120\n"},
      {"HEAD", "HTTP/1.1 201 Created\nLocation: /jobs/7\n"},
      /* A 5xx that is just a stock page: no leak, no other rule */
      {"GET", "HTTP/1.1 502 Bad Gateway\nServer: nginx/1.22.1\n"
              "Content-Type: text/html\n\n<html>\n<head><title>502 Bad "
              "Gateway</title></head>\n<body>\n<center><h1>502 Bad "
              "Gateway</h1></center>\n<hr><center>nginx/1.22.1</center>\n"
              "</body>\n</html>"},
      {"GET", "HTTP/1.1 200 OK\nContent-Type: application/json\n\n"
              "{\"data\":{\"user\":null},\"errors\":[]}"},
      {"GET", "HTTP/1.1 200 OK\nContent-Type: application/json\n\n"
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
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
