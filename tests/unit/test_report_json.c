/* test_report_json.c - the JSON report parses back with cJSON, its summary
 * matches both the findings it lists and the fixture, endpoints come in
 * spec order, and no secret survives. Also al_report_summarize itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_fixture.h"

static int setup(void **state)
{
  *state = fx_new();
  return 0;
}

static int teardown(void **state)
{
  fx_free(*state);
  return 0;
}

static cJSON *render_parsed(struct fx *f, char **text_out)
{
  char *text = fx_render(al_report_write_json, &f->report, NULL);
  assert_non_null(text);
  cJSON *root = cJSON_Parse(text);
  if (!root)
    fail_msg("JSON does not parse:\n%s", text);
  if (text_out)
    *text_out = text;
  else
    free(text);
  return root;
}

static double num(const cJSON *obj, const char *key)
{
  const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!cJSON_IsNumber(item))
    fail_msg("'%s' is not a number", key);
  return item->valuedouble;
}

static const char *str(const cJSON *obj, const char *key)
{
  const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!cJSON_IsString(item))
    fail_msg("'%s' is not a string", key);
  return item->valuestring;
}

static const cJSON *arr(const cJSON *obj, const char *key)
{
  const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!cJSON_IsArray(item))
    fail_msg("'%s' is not an array", key);
  return item;
}

static void test_report_summarize_counts(void **state)
{
  struct fx *f = *state;
  struct al_report_summary s;
  al_report_summarize(&f->report, &s);
  assert_int_equal(s.endpoints, 5);
  assert_int_equal(s.reached, 4);
  assert_int_equal(s.transport_errors, 1);
  assert_int_equal(s.errors, 4);
  assert_int_equal(s.warnings, 2);
  assert_int_equal(s.infos, 1);
  assert_int_equal(s.failing, 4);
  f->report.fail_on = AL_SEV_WARNING;
  al_report_summarize(&f->report, &s);
  assert_int_equal(s.failing, 6);
  f->report.fail_on = AL_SEV_INFO;
  al_report_summarize(&f->report, &s);
  assert_int_equal(s.failing, 7);
  f->report.fail_on = AL_SEV_NEVER;
  al_report_summarize(&f->report, &s);
  assert_int_equal(s.failing, 0);
  assert_int_equal(s.probe_requests, 0);
}

/* Probe findings count by severity and toward failing; reached and
 * transport_errors stay about the endpoints' own requests (a probe that
 * got no answer does not make its endpoint unreachable). */
static void test_report_summarize_counts_probes(void **state)
{
  struct fx *f = *state;
  fx_add_probes(f);
  struct al_report_summary s;
  al_report_summarize(&f->report, &s);
  assert_int_equal(s.endpoints, 5);
  assert_int_equal(s.reached, 4);
  assert_int_equal(s.transport_errors, 1);
  assert_int_equal(s.errors, 6);
  assert_int_equal(s.warnings, 4);
  assert_int_equal(s.infos, 1);
  assert_int_equal(s.failing, 6);
  assert_int_equal(s.probe_requests, 53);
  f->report.fail_on = AL_SEV_WARNING;
  al_report_summarize(&f->report, &s);
  assert_int_equal(s.failing, 10);
}

/* The summary agrees with the findings listed, which agree with the
 * fixture's own rule results. */
static void check_counts_match(struct fx *f)
{
  cJSON *root = render_parsed(f, NULL);
  assert_string_equal(str(root, "apilint"), AL_VERSION);
  const cJSON *sum = cJSON_GetObjectItemCaseSensitive(root, "summary");
  assert_true(cJSON_IsObject(sum));
  const cJSON *eps = arr(root, "endpoints");
  assert_int_equal(cJSON_GetArraySize(eps), FX_ENDPOINTS);

  size_t by_sev[4] = {0}, failing = 0, unreachable = 0, n = 0;
  size_t probe_requests = 0;
  const cJSON *ep;
  cJSON_ArrayForEach(ep, eps)
  {
    const cJSON *finding;
    cJSON_ArrayForEach(finding, arr(ep, "findings"))
    {
      enum al_severity sev;
      assert_true(al_severity_parse(str(finding, "severity"), 0, &sev));
      by_sev[sev]++;
      failing += sev >= AL_SEV_ERROR;
    }
    const cJSON *probe;
    cJSON_ArrayForEach(probe, arr(ep, "probes"))
    {
      probe_requests += (size_t)num(probe, "sent_count");
      cJSON_ArrayForEach(finding, arr(probe, "findings"))
      {
        enum al_severity sev;
        assert_true(al_severity_parse(str(finding, "severity"), 0, &sev));
        by_sev[sev]++;
        failing += sev >= AL_SEV_ERROR;
      }
    }
    unreachable += cJSON_IsNull(cJSON_GetObjectItem(ep, "status"));
    n++;
  }
  size_t fixture_findings = 0;
  for (size_t i = 0; i < f->report.spec_count; i++)
    for (size_t j = 0; j < f->report.specs[i].endpoint_count; j++) {
      const struct al_endpoint_result *er = &f->report.specs[i].endpoints[j];
      for (size_t k = 0; k < er->result_count; k++)
        fixture_findings += er->results[k].finding_count;
      for (size_t p = 0; p < er->probe_count; p++)
        for (size_t k = 0; k < er->probes[p].result_count; k++)
          fixture_findings += er->probes[p].results[k].finding_count;
    }
  assert_int_equal(by_sev[1] + by_sev[2] + by_sev[3], fixture_findings);

  assert_int_equal(num(sum, "endpoints"), n);
  assert_int_equal(num(sum, "errors"), by_sev[AL_SEV_ERROR]);
  assert_int_equal(num(sum, "warnings"), by_sev[AL_SEV_WARNING]);
  assert_int_equal(num(sum, "infos"), by_sev[AL_SEV_INFO]);
  assert_int_equal(num(sum, "failing"), failing);
  assert_int_equal(num(sum, "unreachable"), unreachable);
  assert_int_equal(num(sum, "probe_requests"), probe_requests);
  assert_string_equal(str(sum, "fail_on"), "error");
  assert_int_equal(unreachable, 1);
  cJSON_Delete(root);
}

static void test_report_json_parses_back_and_counts_match(void **state)
{
  struct fx *f = *state;
  check_counts_match(f);
  struct al_report_summary s;
  al_report_summarize(&f->report, &s);
  assert_int_equal(s.errors, 4);
  assert_int_equal(s.warnings, 2);
  assert_int_equal(s.infos, 1);
  /* With probes: their findings are in the summary too. */
  fx_add_probes(f);
  check_counts_match(f);
}

static void test_report_json_endpoints_in_spec_order(void **state)
{
  cJSON *root = render_parsed(*state, NULL);
  const char *names[FX_ENDPOINTS] = {"GET /users/42", "create user",
                                     "GET /health", "GET /slow",
                                     "weird <&> \"name\""};
  const char *specs[FX_ENDPOINTS] = {"specs/demo.yaml:10", "specs/demo.yaml:20",
                                     "specs/demo.yaml:30", "specs/demo.yaml:35",
                                     "specs/other.yaml:4"};
  const cJSON *eps = arr(root, "endpoints");
  for (int i = 0; i < FX_ENDPOINTS; i++) {
    const cJSON *ep = cJSON_GetArrayItem(eps, i);
    assert_string_equal(str(ep, "name"), names[i]);
    assert_string_equal(str(ep, "spec"), specs[i]);
  }
  cJSON_Delete(root);
}

static void test_report_json_endpoint_fields(void **state)
{
  cJSON *root = render_parsed(*state, NULL);
  const cJSON *eps = arr(root, "endpoints");

  const cJSON *users = cJSON_GetArrayItem(eps, 0);
  assert_string_equal(str(users, "method"), "GET");
  assert_string_equal(str(users, "url"), "http://127.0.0.1:8080/users/42");
  assert_int_equal(num(users, "status"), 401);
  assert_true(num(users, "elapsed_ms") > 3.1 && num(users, "elapsed_ms") < 3.3);
  assert_true(cJSON_IsNull(cJSON_GetObjectItem(users, "transport_error")));
  const cJSON *checked = arr(users, "checked");
  assert_int_equal(cJSON_GetArraySize(checked), 1);
  assert_string_equal(cJSON_GetArrayItem(checked, 0)->valuestring,
                      "error-body-on-success");
  const cJSON *skipped = arr(users, "skipped");
  assert_int_equal(cJSON_GetArraySize(skipped), 1);
  assert_string_equal(cJSON_GetArrayItem(skipped, 0)->valuestring,
                      "created-without-location");
  const cJSON *f0 = cJSON_GetArrayItem(arr(users, "findings"), 0);
  assert_string_equal(str(f0, "rule"), "unauthorized-without-challenge");
  assert_string_equal(str(f0, "severity"), "error");
  assert_string_equal(str(f0, "message"), "401 without WWW-Authenticate");
  assert_string_equal(str(f0, "evidence"), "401");
  assert_string_equal(str(f0, "level"), "MUST");
  assert_string_equal(str(f0, "source"), "RFC 9110");

  const cJSON *create = cJSON_GetArrayItem(eps, 1);
  const cJSON *warn = cJSON_GetArrayItem(arr(create, "findings"), 0);
  assert_string_equal(str(warn, "evidence"),
                      "{\"success\": false, \"token\": \"***\"}");
  assert_int_equal(cJSON_GetArraySize(arr(create, "checked")), 0);

  const cJSON *health = cJSON_GetArrayItem(eps, 2);
  assert_string_equal(str(health, "url"),
                      "http://127.0.0.1:8080/health?api_key=***");
  assert_int_equal(cJSON_GetArraySize(arr(health, "findings")), 0);
  assert_int_equal(cJSON_GetArraySize(arr(health, "checked")), 2);

  const cJSON *slow = cJSON_GetArrayItem(eps, 3);
  assert_true(cJSON_IsNull(cJSON_GetObjectItem(slow, "status")));
  assert_string_equal(str(slow, "transport_error"), FX_TIMEOUT_MSG);
  assert_int_equal(cJSON_GetArraySize(arr(slow, "findings")), 1);

  const cJSON *weird = cJSON_GetArrayItem(eps, 4);
  const cJSON *wf = arr(weird, "findings");
  assert_int_equal(cJSON_GetArraySize(wf), 3);
  assert_string_equal(str(cJSON_GetArrayItem(wf, 0), "evidence"),
                      "Traceback (most recent call last):\n  File "
                      "\"/app/x.py\", line 3");
  /* Control bytes and invalid UTF-8 come out as '?'. */
  assert_string_equal(str(cJSON_GetArrayItem(wf, 2), "message"),
                      "bad ? bytes ?? <here> & 'there'");
  assert_string_equal(str(cJSON_GetArrayItem(wf, 2), "evidence"),
                      "ctl?[31m red");
  cJSON_Delete(root);
}

/* Without probes every endpoint still has "probes": []. */
static void test_report_json_probes_always_present(void **state)
{
  cJSON *root = render_parsed(*state, NULL);
  const cJSON *ep;
  cJSON_ArrayForEach(ep, arr(root, "endpoints"))
  {
    assert_int_equal(cJSON_GetArraySize(arr(ep, "probes")), 0);
  }
  assert_int_equal(
      num(cJSON_GetObjectItemCaseSensitive(root, "summary"), "probe_requests"),
      0);
  cJSON_Delete(root);
}

static int is_null(const cJSON *obj, const char *key)
{
  const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!item)
    fail_msg("'%s' is missing", key);
  return cJSON_IsNull(item);
}

static void test_report_json_probe_fields(void **state)
{
  struct fx *f = *state;
  fx_add_probes(f);
  cJSON *root = render_parsed(f, NULL);
  const cJSON *eps = arr(root, "endpoints");
  const cJSON *users = cJSON_GetArrayItem(eps, 0);
  /* The endpoint's own findings stay its own. */
  assert_int_equal(cJSON_GetArraySize(arr(users, "findings")), 1);
  const cJSON *probes = arr(users, "probes");
  assert_int_equal(cJSON_GetArraySize(probes), 4);

  const cJSON *head = cJSON_GetArrayItem(probes, 0);
  assert_string_equal(str(head, "probe"), "head");
  assert_string_equal(str(head, "step"), "head");
  assert_string_equal(str(head, "sent"), "HEAD /users/42");
  assert_string_equal(str(head, "method"), "HEAD");
  assert_string_equal(str(head, "url"), "http://127.0.0.1:8080/users/42");
  assert_int_equal(num(head, "status"), 200);
  assert_true(num(head, "elapsed_ms") > 2.5 && num(head, "elapsed_ms") < 2.7);
  assert_int_equal(num(head, "sent_count"), 1);
  assert_true(is_null(head, "statuses"));
  assert_true(is_null(head, "note"));
  assert_true(is_null(head, "transport_error"));
  const cJSON *hf = arr(head, "findings");
  assert_int_equal(cJSON_GetArraySize(hf), 1);
  const cJSON *f0 = cJSON_GetArrayItem(hf, 0);
  assert_string_equal(str(f0, "rule"), "head-with-body");
  assert_string_equal(str(f0, "severity"), "error");
  assert_string_equal(str(f0, "message"),
                      "HEAD response with a body: 12 bytes");
  assert_string_equal(str(f0, "evidence"), "{\"token\":\"***\"}");
  assert_string_equal(str(f0, "level"), "MUST");
  assert_string_equal(str(f0, "source"), "RFC 9110 §9.3.2");

  const cJSON *mna = cJSON_GetArrayItem(probes, 1);
  assert_string_equal(str(mna, "step"), "undeclared-method");
  assert_int_equal(num(mna, "status"), 404);
  const cJSON *mf = cJSON_GetArrayItem(arr(mna, "findings"), 0);
  assert_string_equal(str(mf, "level"), "SHOULD");
  assert_string_equal(str(mf, "source"), "RFC 9110 §15.5.6; 000_x.txt");

  /* Not sent: nulls and the reason. */
  const cJSON *cond = cJSON_GetArrayItem(probes, 2);
  assert_string_equal(str(cond, "probe"), "conditional");
  assert_string_equal(str(cond, "sent"), "");
  assert_string_equal(str(cond, "note"), FX_CONDITIONAL_NOTE);
  assert_true(is_null(cond, "method"));
  assert_true(is_null(cond, "url"));
  assert_true(is_null(cond, "status"));
  assert_true(is_null(cond, "elapsed_ms"));
  assert_true(is_null(cond, "statuses"));
  assert_true(is_null(cond, "transport_error"));
  assert_int_equal(num(cond, "sent_count"), 0);
  assert_int_equal(cJSON_GetArraySize(arr(cond, "findings")), 0);

  /* A burst: how many, every status, the judged answer. */
  const cJSON *burst = cJSON_GetArrayItem(probes, 3);
  assert_string_equal(str(burst, "sent"), "50 x GET /users/42 (burst)");
  assert_int_equal(num(burst, "sent_count"), 50);
  assert_string_equal(str(burst, "statuses"), "200 x43, 429 x7");
  assert_int_equal(num(burst, "status"), 429);
  assert_true(is_null(burst, "note"));
  assert_string_equal(
      str(cJSON_GetArrayItem(arr(burst, "findings"), 0), "level"), "advice");

  /* No answer: status null, the transport error, its finding. */
  const cJSON *health = cJSON_GetArrayItem(eps, 2);
  assert_int_equal(num(health, "status"), 200);
  const cJSON *opt = cJSON_GetArrayItem(arr(health, "probes"), 0);
  assert_string_equal(str(opt, "sent"), "OPTIONS /health?api_key=***");
  assert_string_equal(str(opt, "url"),
                      "http://127.0.0.1:8080/health?api_key=***");
  assert_true(is_null(opt, "status"));
  assert_string_equal(str(opt, "transport_error"), FX_CONNECT_MSG);
  const cJSON *of = cJSON_GetArrayItem(arr(opt, "findings"), 0);
  assert_string_equal(str(of, "rule"), "transport-error");
  assert_string_equal(str(of, "level"), "");
  assert_string_equal(str(of, "source"), "");

  assert_int_equal(
      cJSON_GetArraySize(arr(cJSON_GetArrayItem(eps, 1), "probes")), 0);
  cJSON_Delete(root);
}

/* Every finding object, the endpoints' and the probes', says its level
 * and source. */
static void test_report_json_every_finding_has_level_and_source(void **state)
{
  struct fx *f = *state;
  fx_add_probes(f);
  cJSON *root = render_parsed(f, NULL);
  size_t n = 0;
  const cJSON *ep;
  cJSON_ArrayForEach(ep, arr(root, "endpoints"))
  {
    const cJSON *finding;
    cJSON_ArrayForEach(finding, arr(ep, "findings"))
    {
      (void)str(finding, "level");
      (void)str(finding, "source");
      n++;
    }
    const cJSON *probe;
    cJSON_ArrayForEach(probe, arr(ep, "probes"))
    {
      cJSON_ArrayForEach(finding, arr(probe, "findings"))
      {
        (void)str(finding, "level");
        (void)str(finding, "source");
        n++;
      }
    }
  }
  assert_int_equal(n, 11);
  cJSON_Delete(root);
}

static void test_report_json_no_secret_anywhere(void **state)
{
  char *text = NULL;
  fx_add_probes(*state);
  cJSON *root = render_parsed(*state, &text);
  assert_null(strstr(text, FX_SECRET));
  cJSON_Delete(root);
  free(text);
}

/* The JSON is written by hand (no cJSON tree): every byte that needs an
 * escape reads back as itself. */
static void test_report_json_escapes_read_back(void **state)
{
  struct fx *f = *state;
  struct al_endpoint_result *er = &f->report.specs[0].endpoints[0];
  assert_true(er->result_count > 0 && er->results[0].finding_count > 0);
  struct al_finding *fd = &er->results[0].findings[0];
  /* The evidence lives in the message's allocation (finding.h): point it
   * at this text instead, which cleanup does not free. */
  char evidence[] = "q\" b\\s t\tn\nr\r / \xc3\xa9 end";
  fd->evidence = evidence;
  cJSON *root = render_parsed(f, NULL);
  const cJSON *ep = cJSON_GetArrayItem(arr(root, "endpoints"), 0);
  assert_string_equal(
      str(cJSON_GetArrayItem(arr(ep, "findings"), 0), "evidence"),
      "q\" b\\s t\tn\nr\r / \xc3\xa9 end");
  cJSON_Delete(root);
}

/* The JSON reporter keeps the text of parts that repeat from one endpoint
 * to the next (rule-id arrays, findings, header fields): a secret learnt
 * between two endpoints must still be masked in the second, where every
 * such part is the same as in the first. */
static void test_report_json_secret_learnt_between_endpoints(void **state)
{
  struct fx *f = *state;
  const struct al_report_item item = {0, f->report.specs[0].spec, 0,
                                      &f->report.specs[0].endpoints[0]};
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  assert_non_null(mem);
  void *st = NULL;
  assert_int_equal(al_reporter_json.begin(mem, &f->report, NULL, &st), AL_OK);
  assert_int_equal(al_reporter_json.endpoint(st, &item), AL_OK);
  assert_int_equal(al_reporter_json.endpoint(st, &item), AL_OK);
  /* The first endpoint again, now that these are secrets too. */
  static const char *const learnt[] = {"error-body-on-success", "WWW-Auth",
                                       "application/json", NULL};
  for (size_t i = 0; learnt[i]; i++)
    fx_check(al_redactor_add_value(&f->redactor, learnt[i]));
  assert_int_equal(al_reporter_json.endpoint(st, &item), AL_OK);
  assert_int_equal(al_reporter_json.end(st), AL_OK);
  al_reporter_json.free(st);
  assert_int_equal(fclose(mem), 0);
  cJSON *root = cJSON_Parse(text);
  assert_non_null(root);
  char *before =
      cJSON_PrintUnformatted(cJSON_GetArrayItem(arr(root, "endpoints"), 1));
  const cJSON *ep = cJSON_GetArrayItem(arr(root, "endpoints"), 2);
  char *after = cJSON_PrintUnformatted(ep);
  assert_true(before && after);
  for (size_t i = 0; learnt[i]; i++) {
    assert_non_null(strstr(before, learnt[i]));
    assert_null(strstr(after, learnt[i]));
  }
  assert_string_equal(cJSON_GetArrayItem(arr(ep, "rules"), 1)->valuestring,
                      "***");
  free(before);
  free(after);
  cJSON_Delete(root);
  free(text);
}

static void test_report_json_empty_report(void **state)
{
  (void)state;
  struct al_report empty;
  al_report_init(&empty);
  char *text = fx_render(al_report_write_json, &empty, NULL);
  assert_non_null(text);
  cJSON *root = cJSON_Parse(text);
  assert_non_null(root);
  const cJSON *sum = cJSON_GetObjectItemCaseSensitive(root, "summary");
  assert_int_equal(num(sum, "endpoints"), 0);
  assert_int_equal(cJSON_GetArraySize(arr(root, "endpoints")), 0);
  cJSON_Delete(root);
  free(text);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_report_summarize_counts, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          test_report_json_parses_back_and_counts_match, setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_json_endpoints_in_spec_order,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_json_endpoint_fields, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_report_summarize_counts_probes,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_json_probes_always_present,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_json_probe_fields, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          test_report_json_every_finding_has_level_and_source, setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_json_no_secret_anywhere,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_json_escapes_read_back, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          test_report_json_secret_learnt_between_endpoints, setup, teardown),
      cmocka_unit_test(test_report_json_empty_report),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
