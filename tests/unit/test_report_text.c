/* test_report_text.c - the terminal report: exact finding lines, the
 * per-endpoint head lines and summary, -q, colour on and off, and -v heads
 * with every secret masked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_fixture.h"

static const char expected_normal[] =
    "GET /users/42 -> 401 Unauthorized  3 ms\n"
    "specs/demo.yaml:10:5: error: GET /users/42: 401 without WWW-Authenticate "
    "[unauthorized-without-challenge]\n"
    "create user (POST /users) -> 200 OK  13 ms\n"
    "specs/demo.yaml:20:5: warning: create user: 2xx response with an error "
    "body: success false [error-body-on-success]\n"
    "    evidence: {\"success\": false, \"token\": \"***\"}\n"
    "specs/demo.yaml:20:5: info: create user: response without Content-Type "
    "[content-type-missing]\n"
    "GET /health -> 200 OK  1 ms  ok\n"
    "GET /slow -> no response  1000 ms\n"
    "specs/demo.yaml:35:5: error: GET /slow: " FX_TIMEOUT_MSG
    " [transport-error]\n"
    "weird <&> \"name\" (GET /x?a=1&b=2) -> 500 Internal Server Error  7 ms\n"
    "specs/other.yaml:4:3: error: weird <&> \"name\": stack trace in 5xx "
    "body: Traceback (most recent call last) [server-error-leak]\n"
    "    evidence: Traceback (most recent call last):\\n  File "
    "\"/app/x.py\", line 3\n"
    "specs/other.yaml:4:3: error: weird <&> \"name\": file path in body: "
    "/app/x.py [server-error-leak]\n"
    "specs/other.yaml:4:3: warning: weird <&> \"name\": bad ? bytes ?? "
    "<here> & 'there' [retry-after-missing]\n"
    "    evidence: ctl?[31m red\n"
    "5 endpoints, 4 errors, 2 warnings, 1 info, 1 unreachable\n";

/* The same run with fx_add_probes: each probe entry under its endpoint,
 * after the endpoint's own findings. */
static const char expected_probes[] =
    "GET /users/42 -> 401 Unauthorized  3 ms\n"
    "specs/demo.yaml:10:5: error: GET /users/42: 401 without WWW-Authenticate "
    "[unauthorized-without-challenge]\n"
    "  probe head: HEAD /users/42 -> 200 OK (3 ms)\n"
    "specs/demo.yaml:10:5: error: GET /users/42: probe head (HEAD /users/42): "
    "HEAD response with a body: 12 bytes [head-with-body]\n"
    "    evidence: {\"token\":\"***\"}\n"
    "  probe method-not-allowed: PATCH /users/42 (a method the spec does not "
    "declare) -> 404 Not Found (1 ms)\n"
    "specs/demo.yaml:10:5: warning: GET /users/42: probe method-not-allowed "
    "(PATCH /users/42 (a method the spec does not declare)): 404 to an "
    "undeclared method instead of 405 [not-found-instead-of-405]\n"
    "  probe conditional: not sent: " FX_CONDITIONAL_NOTE "\n"
    "  probe rate-limit: 50 x GET /users/42 (burst) -> 200 x43, 429 x7\n"
    "specs/demo.yaml:10:5: warning: GET /users/42: probe rate-limit (50 x GET "
    "/users/42 (burst)): 429 without Retry-After [retry-after-missing]\n"
    "create user (POST /users) -> 200 OK  13 ms\n"
    "specs/demo.yaml:20:5: warning: create user: 2xx response with an error "
    "body: success false [error-body-on-success]\n"
    "    evidence: {\"success\": false, \"token\": \"***\"}\n"
    "specs/demo.yaml:20:5: info: create user: response without Content-Type "
    "[content-type-missing]\n"
    "GET /health -> 200 OK  1 ms  ok\n"
    "  probe options: OPTIONS /health?api_key=*** -> no response (1 ms)\n"
    "specs/demo.yaml:30:5: error: GET /health: probe options (OPTIONS "
    "/health?api_key=***): " FX_CONNECT_MSG " [transport-error]\n"
    "GET /slow -> no response  1000 ms\n"
    "specs/demo.yaml:35:5: error: GET /slow: " FX_TIMEOUT_MSG
    " [transport-error]\n"
    "weird <&> \"name\" (GET /x?a=1&b=2) -> 500 Internal Server Error  7 ms\n"
    "specs/other.yaml:4:3: error: weird <&> \"name\": stack trace in 5xx "
    "body: Traceback (most recent call last) [server-error-leak]\n"
    "    evidence: Traceback (most recent call last):\\n  File "
    "\"/app/x.py\", line 3\n"
    "specs/other.yaml:4:3: error: weird <&> \"name\": file path in body: "
    "/app/x.py [server-error-leak]\n"
    "specs/other.yaml:4:3: warning: weird <&> \"name\": bad ? bytes ?? "
    "<here> & 'there' [retry-after-missing]\n"
    "    evidence: ctl?[31m red\n"
    "5 endpoints, 6 errors, 4 warnings, 1 info, 1 unreachable, 53 probe "
    "requests\n";

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

static char *render(struct fx *f, int color, int quiet, int verbose)
{
  struct al_report_opts opts = {color, quiet, verbose, NULL};
  char *text = fx_render(al_report_write_text, &f->report, &opts);
  assert_non_null(text);
  return text;
}

static void test_report_text_normal_lines_exact(void **state)
{
  char *text = render(*state, 0, 0, 0);
  assert_string_equal(text, expected_normal);
  free(text);
}

/* The finding lines of 'full' ("specs/..."), nothing else. */
static void assert_only_findings(const char *text, const char *full)
{
  struct al_buf want;
  al_buf_init(&want);
  const char *p = full;
  while (*p) {
    const char *nl = strchr(p, '\n');
    if (strncmp(p, "specs/", 6) == 0)
      assert_int_equal(al_buf_append(&want, p, (size_t)(nl - p + 1)), AL_OK);
    p = nl + 1;
  }
  assert_string_equal(text, al_buf_str(&want));
  al_buf_cleanup(&want);
}

/* -q: the finding lines and nothing else, in the same order. */
static void test_report_text_quiet_prints_only_findings(void **state)
{
  char *text = render(*state, 0, 1, 0);
  assert_only_findings(text, expected_normal);
  free(text);
}

/* -q wins over -v: still findings only. */
static void test_report_text_quiet_verbose_is_quiet(void **state)
{
  char *q = render(*state, 0, 1, 0);
  char *qv = render(*state, 0, 1, 1);
  assert_string_equal(q, qv);
  free(q);
  free(qv);
}

static void test_report_text_color_off_has_no_escapes(void **state)
{
  char *text = render(*state, 0, 0, 1);
  assert_null(strchr(text, '\033'));
  free(text);
}

static void test_report_text_color_on_marks_severity_and_endpoint(void **state)
{
  char *text = render(*state, 1, 0, 0);
  assert_non_null(
      strstr(text, "specs/demo.yaml:10:5: \033[1;31merror\033[0m: \033[1mGET "
                   "/users/42\033[0m: 401 without WWW-Authenticate "
                   "[unauthorized-without-challenge]\n"));
  assert_non_null(strstr(text,
                         "specs/demo.yaml:20:5: \033[1;35mwarning\033[0m: "
                         "\033[1mcreate user\033[0m: "));
  assert_non_null(
      strstr(text, "specs/demo.yaml:20:5: \033[1;36minfo\033[0m: "));
  assert_non_null(strstr(text, "\033[1mGET /health\033[0m -> 200 OK"));
  /* Stripping the escapes gives the plain report back. */
  struct al_buf plain;
  al_buf_init(&plain);
  for (const char *p = text; *p; p++) {
    if (*p == '\033') {
      p = strchr(p, 'm');
      assert_non_null(p);
      continue;
    }
    assert_int_equal(al_buf_append_char(&plain, *p), AL_OK);
  }
  assert_string_equal(al_buf_str(&plain), expected_normal);
  al_buf_cleanup(&plain);
  free(text);
}

/* Byte offset of 'needle' in 'hay'; fails the test when absent. */
static size_t offset_of(const char *hay, const char *needle)
{
  const char *p = strstr(hay, needle);
  if (!p)
    fail_msg("missing in verbose output: %s\n--- output:\n%s", needle, hay);
  return (size_t)(p - hay);
}

static void test_report_text_verbose_shows_masked_heads(void **state)
{
  char *text = render(*state, 0, 0, 1);
  /* Recorded heads, in order, between the head line and the findings. */
  size_t head = offset_of(text, "GET /users/42 -> 401 Unauthorized  3 ms\n");
  size_t req = offset_of(text, "> GET /users/42 HTTP/1.1\n"
                               "> Host: 127.0.0.1:8080\n"
                               "> Accept: application/json\n"
                               "> Authorization: ***\n"
                               "> Cookie: ***\n"
                               "> X-Api-Key: ***\n");
  size_t res = offset_of(text, "< HTTP/1.1 401 Unauthorized\n"
                               "< Content-Type: application/json\n"
                               "< Set-Cookie: ***\n"
                               "< X-Echo: token was ***\n");
  size_t finding = offset_of(text, "specs/demo.yaml:10:5: error:");
  assert_true(head < req && req < res && res < finding);
  /* Rebuilt from the request and response when nothing was recorded. */
  offset_of(text, "create user (POST /users) -> 200 OK  13 ms\n"
                  "> POST http://127.0.0.1:8080/users\n"
                  "> Accept: application/json\n"
                  "> Authorization: ***\n"
                  "< HTTP/1.1 200 OK\n"
                  "< Set-Cookie: ***\n"
                  "< Content-Length: 48\n"
                  "specs/demo.yaml:20:5: warning:");
  offset_of(text, "> GET http://127.0.0.1:8080/health?api_key=***\n");
  /* No response: the request only. */
  offset_of(text, "GET /slow -> no response  1000 ms\n"
                  "> GET http://127.0.0.1:8080/slow\n"
                  "> Accept: application/json\n"
                  "> Authorization: ***\n"
                  "specs/demo.yaml:35:5: error:");
  assert_null(strstr(text, FX_SECRET));
  assert_null(strstr(text, "abc123"));
  assert_null(strstr(text, "zzz-cookie"));
  assert_null(strstr(text, "k3y-k3y"));
  assert_null(strstr(text, "Bearer"));
  assert_null(strstr(text, "BODY-MARKER"));
  free(text);
}

/* A folded continuation of a secret header stays hidden too. */
static void test_report_text_verbose_masks_folded_secret(void **state)
{
  struct fx *f = *state;
  struct al_response *res = &f->res[0];
  al_buf_reset(&res->received_head);
  assert_int_equal(al_buf_append_str(&res->received_head,
                                     "HTTP/1.1 401 Unauthorized\r\n"
                                     "Set-Cookie: a=visible-part\r\n"
                                     "  folded-secret-part\r\n"
                                     "X-Other: shown\r\n\r\n"),
                   AL_OK);
  char *text = render(f, 0, 0, 1);
  assert_non_null(strstr(text, "< Set-Cookie: ***\n<  ***\n< X-Other: "
                               "shown\n"));
  assert_null(strstr(text, "visible-part"));
  assert_null(strstr(text, "folded-secret-part"));
  free(text);
}

static void test_report_text_summary_singular_and_no_unreachable(void **state)
{
  struct fx *f = *state;
  /* Only the passing endpoint of the first spec. */
  struct al_report one = f->report;
  struct al_spec_result sr = f->report.specs[0];
  sr.endpoints = &f->report.specs[0].endpoints[2];
  sr.endpoint_count = 1;
  one.specs = &sr;
  one.spec_count = 1;
  char *text = fx_render(al_report_write_text, &one, NULL);
  assert_non_null(text);
  assert_string_equal(text, "GET /health -> 200 OK  1 ms  ok\n"
                            "1 endpoint, 0 errors, 0 warnings, 0 infos\n");
  free(text);
}

static void test_report_text_probes_under_their_endpoint(void **state)
{
  struct fx *f = *state;
  fx_add_probes(f);
  char *text = render(f, 0, 0, 0);
  assert_string_equal(text, expected_probes);
  assert_null(strstr(text, FX_SECRET));
  free(text);
  /* -q: the probes' finding lines too, nothing else. */
  text = render(f, 0, 1, 0);
  assert_only_findings(text, expected_probes);
  free(text);
  /* Colour: the same marks as the endpoint's own findings. */
  text = render(f, 1, 0, 0);
  assert_non_null(strstr(
      text, "specs/demo.yaml:10:5: \033[1;31merror\033[0m: \033[1mGET "
            "/users/42\033[0m: probe head (HEAD /users/42): HEAD response"));
  free(text);
}

/* -v: each sent probe's heads after its line, masked; none for a probe
 * that sent nothing. */
static void test_report_text_verbose_probe_heads(void **state)
{
  struct fx *f = *state;
  fx_add_probes(f);
  char *text = render(f, 0, 0, 1);
  offset_of(text, "  probe head: HEAD /users/42 -> 200 OK (3 ms)\n"
                  "> HEAD /users/42 HTTP/1.1\n"
                  "> Host: 127.0.0.1:8080\n"
                  "> Authorization: ***\n"
                  "< HTTP/1.1 200 OK\n"
                  "< Set-Cookie: ***\n"
                  "specs/demo.yaml:10:5: error: GET /users/42: probe head");
  /* Rebuilt from the request and response when nothing was recorded. */
  offset_of(text, "404 Not Found (1 ms)\n"
                  "> PATCH http://127.0.0.1:8080/users/42\n"
                  "> Authorization: ***\n"
                  "< HTTP/1.1 404 Not Found\n"
                  "specs/demo.yaml:10:5: warning:");
  offset_of(text, "  probe conditional: not sent: " FX_CONDITIONAL_NOTE "\n"
                  "  probe rate-limit: 50 x GET /users/42 (burst) -> 200 x43, "
                  "429 x7\n"
                  "> GET http://127.0.0.1:8080/users/42\n"
                  "> Authorization: ***\n"
                  "< HTTP/1.1 429 Too Many Requests\n");
  offset_of(text, "no response (1 ms)\n"
                  "> OPTIONS http://127.0.0.1:8080/health?api_key=***\n"
                  "> Authorization: ***\n"
                  "specs/demo.yaml:30:5: error:");
  assert_null(strstr(text, FX_SECRET));
  assert_null(strstr(text, "zzz-cookie"));
  assert_null(strstr(text, "Bearer"));
  free(text);
}

/* One probe request: singular. */
static void test_report_text_summary_one_probe_request(void **state)
{
  struct fx *f = *state;
  fx_add_probes(f);
  struct al_endpoint_result *users = &f->report.specs[0].endpoints[0];
  users->probes[3].sent_count = 0; /* the burst */
  f->report.specs[0].endpoints[2].probes[0].sent_count = 0;
  users->probes[1].sent_count = 0;
  char *text = render(f, 0, 0, 0);
  assert_non_null(strstr(text, ", 1 unreachable, 1 probe request\n"));
  free(text);
}

static void test_report_text_empty_report(void **state)
{
  (void)state;
  struct al_report empty;
  al_report_init(&empty);
  char *text = fx_render(al_report_write_text, &empty, NULL);
  assert_non_null(text);
  assert_string_equal(text, "0 endpoints, 0 errors, 0 warnings, 0 infos\n");
  free(text);
  al_report_cleanup(&empty);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_report_text_normal_lines_exact,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_report_text_quiet_prints_only_findings, setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_text_quiet_verbose_is_quiet,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_text_color_off_has_no_escapes,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_report_text_color_on_marks_severity_and_endpoint, setup,
          teardown),
      cmocka_unit_test_setup_teardown(
          test_report_text_verbose_shows_masked_heads, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_report_text_verbose_masks_folded_secret, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_report_text_summary_singular_and_no_unreachable, setup,
          teardown),
      cmocka_unit_test_setup_teardown(
          test_report_text_probes_under_their_endpoint, setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_text_verbose_probe_heads,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_report_text_summary_one_probe_request, setup, teardown),
      cmocka_unit_test(test_report_text_empty_report),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
