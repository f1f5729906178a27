/* test_report_junit.c - the JUnit report read back by a real XML parser
 * (xmllint --xpath): counts agree with the testcases and with the fixture,
 * fail_on moves findings between <failure> and <system-out>, markup and
 * secrets are handled; and the file validates against both the Ant and the
 * Jenkins xunit schema. The schemas are third-party files read from the
 * team's shared/ folder (AL_SHARED_DIR), never copied into the repo; the
 * validation is its own CTest test, skipped (77) when that folder is absent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report_fixture.h"

struct junit_state {
  struct fx *fx;
  char dir[64];
  char path[128]; /* the XML file of the current test */
};

static int setup(void **state)
{
  struct junit_state *s = calloc(1, sizeof *s);
  if (!s)
    return -1;
  s->fx = fx_new();
  strcpy(s->dir, "/tmp/al_junit_XXXXXX");
  if (!mkdtemp(s->dir))
    return -1;
  snprintf(s->path, sizeof s->path, "%s/report.xml", s->dir);
  *state = s;
  return 0;
}

static int teardown(void **state)
{
  struct junit_state *s = *state;
  unlink(s->path);
  rmdir(s->dir);
  fx_free(s->fx);
  free(s);
  return 0;
}

static int have_xmllint(void)
{
  return system("xmllint --version >/dev/null 2>&1") == 0;
}

/* Writes the report to s->path and returns its text (caller frees). */
static char *write_xml(struct junit_state *s)
{
  if (!have_xmllint())
    fail_msg("xmllint not found (Debian: apt-get install libxml2-utils)");
  char *text = fx_render(al_report_write_junit, &s->fx->report, NULL);
  assert_non_null(text);
  FILE *f = fopen(s->path, "w");
  assert_non_null(f);
  assert_int_equal(fputs(text, f) >= 0, 1);
  assert_int_equal(fclose(f), 0);
  return text;
}

/* The value of an XPath expression over s->path, as xmllint prints it
 * (trailing newline removed). 'expr' must not contain a single quote. */
static char *xpath(const struct junit_state *s, const char *expr)
{
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "xmllint --xpath '%s' '%s' 2>/dev/null", expr,
           s->path);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  struct al_buf out;
  al_buf_init(&out);
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
    assert_int_equal(al_buf_append(&out, chunk, n), AL_OK);
  pclose(p);
  if (out.len > 0 && out.data[out.len - 1] == '\n')
    out.data[--out.len] = '\0';
  char *v = al_buf_detach(&out);
  assert_non_null(v);
  return v;
}

static long xpath_long(const struct junit_state *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static long xpath_long(const struct junit_state *s, const char *fmt, ...)
{
  char expr[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(expr, sizeof expr, fmt, ap);
  va_end(ap);
  char *v = xpath(s, expr);
  char *end;
  long n = strtol(v, &end, 10);
  if (end == v || *end)
    fail_msg("xpath %s gave '%s'", expr, v);
  free(v);
  return n;
}

static void assert_xpath_str(const struct junit_state *s, const char *expr,
                             const char *want)
{
  char *v = xpath(s, expr);
  if (strcmp(v, want) != 0)
    fail_msg("xpath %s:\n got  '%s'\n want '%s'", expr, v, want);
  free(v);
}

/* Each suite's attributes match its testcases, and both match 'want'
 * (tests, failures, errors, skipped per suite). */
static void check_counts(const struct junit_state *s, const long want[2][4])
{
  static const char *attr[4] = {"tests", "failures", "errors", "skipped"};
  static const char *cases[4] = {"testcase", "testcase[failure]",
                                 "testcase[error]", "testcase[skipped]"};
  assert_int_equal(xpath_long(s, "count(/testsuites/testsuite)"), 2);
  for (int i = 0; i < 2; i++)
    for (int k = 0; k < 4; k++) {
      long declared = xpath_long(s, "number(/testsuites/testsuite[%d]/@%s)",
                                 i + 1, attr[k]);
      long counted =
          xpath_long(s, "count(/testsuites/testsuite[%d]/%s)", i + 1, cases[k]);
      if (declared != counted || declared != want[i][k])
        fail_msg("suite %d %s: declared %ld, counted %ld, want %ld", i + 1,
                 attr[k], declared, counted, want[i][k]);
    }
}

static void test_report_junit_counts_match(void **state)
{
  struct junit_state *s = *state;
  free(write_xml(s));
  /* demo: 8 rule results; the 401 error fails, the warning and the info
   * pass (below --fail-on error), the timeout errs, one rule is disabled.
   * other: server-error-leak fails (two findings, one testcase), the
   * warning passes. */
  const long want[2][4] = {{8, 1, 1, 1}, {2, 1, 0, 0}};
  check_counts(s, want);
}

static void test_report_junit_fail_on_moves_failures(void **state)
{
  struct junit_state *s = *state;
  s->fx->report.fail_on = AL_SEV_WARNING;
  free(write_xml(s));
  const long warn[2][4] = {{8, 2, 1, 1}, {2, 2, 0, 0}};
  check_counts(s, warn);

  s->fx->report.fail_on = AL_SEV_INFO;
  free(write_xml(s));
  const long info[2][4] = {{8, 3, 1, 1}, {2, 2, 0, 0}};
  check_counts(s, info);

  /* A transport error is still an <error>: nothing was tested. */
  s->fx->report.fail_on = AL_SEV_NEVER;
  free(write_xml(s));
  const long never[2][4] = {{8, 0, 1, 1}, {2, 0, 0, 0}};
  check_counts(s, never);
  char *out = xpath(s, "string(/testsuites/testsuite[2]/system-out)");
  assert_non_null(strstr(out, "file path in body: /app/x.py"));
  free(out);
}

static void test_report_junit_content(void **state)
{
  struct junit_state *s = *state;
  char *text = write_xml(s);
  assert_null(strstr(text, FX_SECRET));
  assert_non_null(strstr(text, "\n<testsuites>\n"));
  assert_int_equal(xpath_long(s, "count(/testsuites/@*)"), 0);

  assert_xpath_str(s, "string(/testsuites/testsuite[1]/@name)", "demo");
  assert_xpath_str(s, "string(/testsuites/testsuite[1]/@package)", "apilint");
  assert_xpath_str(s, "string(/testsuites/testsuite[2]/@id)", "1");
  assert_xpath_str(s, "string(/testsuites/testsuite[1]/@timestamp)",
                   "2026-11-22T02:00:00");
  assert_xpath_str(s, "string(/testsuites/testsuite[1]/@hostname)",
                   "ci-runner-1");
  /* Wall time when known, else the sum of the endpoints' times. */
  assert_xpath_str(s, "string(/testsuites/testsuite[1]/@time)", "1.500");
  assert_xpath_str(s, "string(/testsuites/testsuite[2]/@time)", "0.007");
  assert_xpath_str(s, "string(//testcase[1]/@time)", "0.003");
  assert_xpath_str(s, "string(//testcase[2]/@time)", "0.000");

  assert_xpath_str(s,
                   "string(//testcase[@name=\"unauthorized-without-challenge\"]"
                   "/@classname)",
                   "demo.GET /users/42");
  assert_xpath_str(
      s, "string(//testcase[@name=\"retry-after-missing\"]/@classname)",
      "other.weird <&> \"name\"");
  assert_xpath_str(
      s,
      "string(//testcase[@name=\"created-without-location\"]/skipped/@message)",
      "rule disabled");

  /* Two findings of one rule: one <failure>, the first message, both in
   * the text. */
  assert_int_equal(xpath_long(s, "count(//testcase[@name=\"server-error-leak\"]"
                                 "/failure)"),
                   1);
  assert_xpath_str(
      s, "string(//testcase[@name=\"server-error-leak\"]/failure/@type)",
      "server-error-leak");
  assert_xpath_str(
      s, "string(//testcase[@name=\"server-error-leak\"]/failure/@message)",
      "stack trace in 5xx body: Traceback (most recent call last)");
  char *body =
      xpath(s, "string(//testcase[@name=\"server-error-leak\"]/failure)");
  assert_non_null(strstr(body, "specs/other.yaml:4:3: error: weird <&> "
                               "\"name\": stack trace in 5xx body"));
  assert_non_null(strstr(body, "file path in body: /app/x.py"));
  assert_non_null(strstr(body, "evidence: Traceback (most recent call "
                               "last):\n  File \"/app/x.py\", line 3"));
  free(body);

  assert_xpath_str(s,
                   "string(//testcase[@name=\"transport-error\"]/error/@type)",
                   "transport-error");
  assert_xpath_str(
      s, "string(//testcase[@name=\"transport-error\"]/error/@message)",
      FX_TIMEOUT_MSG);

  /* Below --fail-on: passing testcases, findings listed in system-out. */
  assert_int_equal(
      xpath_long(s, "count(//testcase[@name=\"content-type-missing\"]/*)"), 0);
  char *out = xpath(s, "string(/testsuites/testsuite[1]/system-out)");
  assert_non_null(strstr(out, "specs/demo.yaml:20:5: warning: create user: "
                              "2xx response with an error body"));
  assert_non_null(strstr(out, "specs/demo.yaml:20:5: info: create user: "
                              "response without Content-Type"));
  assert_non_null(
      strstr(out, "evidence: {\"success\": false, \"token\": \"***\"}\n"));
  assert_null(strstr(out, "401 without"));
  free(out);
  out = xpath(s, "string(/testsuites/testsuite[2]/system-out)");
  assert_non_null(strstr(out, "bad ? bytes ?? <here> & 'there'"));
  free(out);
  free(text);
}

/* A failing finding's evidence is the <failure> text, secrets masked. */
static void test_report_junit_failure_evidence_masked(void **state)
{
  struct junit_state *s = *state;
  s->fx->report.fail_on = AL_SEV_WARNING;
  char *text = write_xml(s);
  assert_null(strstr(text, FX_SECRET));
  char *body = xpath(s, "string(//testcase[@name=\"error-body-on-success\" "
                        "and ../@name=\"demo\"][failure]/failure)");
  assert_non_null(strstr(body, "specs/demo.yaml:20:5: warning: create user: "
                               "2xx response with an error body"));
  assert_non_null(
      strstr(body, "evidence: {\"success\": false, \"token\": \"***\"}\n"));
  free(body);
  free(text);
}

static void test_report_junit_hostname_defaults_to_localhost(void **state)
{
  struct junit_state *s = *state;
  s->fx->report.hostname[0] = '\0';
  s->fx->report.specs[0].timestamp[0] = '\0';
  free(write_xml(s));
  assert_xpath_str(s, "string(/testsuites/testsuite[1]/@hostname)",
                   "localhost");
  /* A missing timestamp becomes the current one, in the schema's shape. */
  char *ts = xpath(s, "string(/testsuites/testsuite[1]/@timestamp)");
  assert_int_equal(strlen(ts), 19);
  assert_int_equal(ts[10], 'T');
  free(ts);
}

#define AL_SCHEMA_ANT AL_SHARED_DIR "/schemas/ant-junit.xsd"
#define AL_SCHEMA_JENKINS AL_SHARED_DIR "/schemas/jenkins-xunit-junit-10.xsd"

static void validate(const struct junit_state *s, const char *schema)
{
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "xmllint --noout --schema '%s' '%s'", schema,
           s->path);
  int status = system(cmd);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fail_msg("%s does not validate against %s", s->path, schema);
}

static void test_report_junit_validates_against_both_schemas(void **state)
{
  struct junit_state *s = *state;
  const char *ant = AL_SCHEMA_ANT;
  const char *jenkins = AL_SCHEMA_JENKINS;
  free(write_xml(s));
  validate(s, ant);
  validate(s, jenkins);
  /* Other shapes too: everything failing, and no hostname/timestamp. */
  s->fx->report.fail_on = AL_SEV_INFO;
  s->fx->report.hostname[0] = '\0';
  s->fx->report.specs[1].timestamp[0] = '\0';
  free(write_xml(s));
  validate(s, ant);
  validate(s, jenkins);
}

/* Probe entries: one testcase per (entry, rule result), named after the
 * rule, the probe and what it sent; a probe that sent nothing is one
 * skipped testcase with the reason. */
static void test_report_junit_probe_testcases(void **state)
{
  struct junit_state *s = *state;
  fx_add_probes(s->fx);
  char *text = write_xml(s);
  assert_null(strstr(text, FX_SECRET));
  /* demo: 8 + head 2 + method-not-allowed 3 + conditional 1 + rate-limit
   * 2 + options 1. Failures: + head-with-body (error). Errors: + the
   * OPTIONS without answer. Skipped: + a disabled rule, + conditional. */
  const long want[2][4] = {{17, 2, 2, 3}, {2, 1, 0, 0}};
  check_counts(s, want);

  assert_xpath_str(s,
                   "string(//testcase[@name=\"head-with-body (probe head: "
                   "HEAD /users/42)\"]/@classname)",
                   "demo.GET /users/42");
  assert_xpath_str(s,
                   "string(//testcase[@name=\"head-with-body (probe head: "
                   "HEAD /users/42)\"]/@time)",
                   "0.003");
  assert_xpath_str(s,
                   "string(//testcase[@name=\"head-with-body (probe head: "
                   "HEAD /users/42)\"]/failure/@message)",
                   "HEAD response with a body: 12 bytes");
  char *body = xpath(s, "string(//testcase[@name=\"head-with-body (probe "
                        "head: HEAD /users/42)\"]/failure)");
  assert_non_null(strstr(body, "specs/demo.yaml:10:5: error: GET /users/42: "
                               "probe head (HEAD /users/42): HEAD response "
                               "with a body: 12 bytes [head-with-body]\n"));
  assert_non_null(strstr(body, "evidence: {\"token\":\"***\"}"));
  free(body);
  assert_xpath_str(s,
                   "string(//testcase[@name=\"server-error-leak (probe head: "
                   "HEAD /users/42)\"]/@time)",
                   "0.000");
  assert_xpath_str(
      s,
      "string(//testcase[@name=\"method-not-allowed-without-allow (probe "
      "method-not-allowed: PATCH /users/42 (a method the spec does not "
      "declare))\"]/skipped/@message)",
      "rule disabled");

  assert_int_equal(
      xpath_long(s, "count(//testcase[@name=\"probe conditional\"])"), 1);
  assert_xpath_str(s,
                   "string(//testcase[@name=\"probe conditional\"]/@classname)",
                   "demo.GET /users/42");
  assert_xpath_str(
      s, "string(//testcase[@name=\"probe conditional\"]/skipped/@message)",
      FX_CONDITIONAL_NOTE);

  assert_xpath_str(s,
                   "string(//testcase[@name=\"transport-error (probe options: "
                   "OPTIONS /health?api_key=***)\"]/error/@message)",
                   FX_CONNECT_MSG);
  assert_xpath_str(s,
                   "string(//testcase[@name=\"transport-error (probe options: "
                   "OPTIONS /health?api_key=***)\"]/@classname)",
                   "demo.GET /health");

  /* Below --fail-on: the probes' warnings in system-out. */
  char *out = xpath(s, "string(/testsuites/testsuite[1]/system-out)");
  assert_non_null(strstr(out, "specs/demo.yaml:10:5: warning: GET /users/42: "
                              "probe rate-limit (50 x GET /users/42 (burst)): "
                              "429 without Retry-After [retry-after-missing]"));
  assert_non_null(strstr(out, "probe method-not-allowed (PATCH"));
  free(out);
  free(text);

  s->fx->report.fail_on = AL_SEV_WARNING;
  free(write_xml(s));
  const long warn[2][4] = {{17, 5, 2, 3}, {2, 2, 0, 0}};
  check_counts(s, warn);
  assert_xpath_str(s,
                   "string(//testcase[@name=\"retry-after-missing (probe "
                   "rate-limit: 50 x GET /users/42 (burst))\"]/failure/@type)",
                   "retry-after-missing");
}

static void test_report_junit_probes_validate_against_both_schemas(void **state)
{
  struct junit_state *s = *state;
  const char *ant = AL_SCHEMA_ANT;
  const char *jenkins = AL_SCHEMA_JENKINS;
  fx_add_probes(s->fx);
  free(write_xml(s));
  validate(s, ant);
  validate(s, jenkins);
  s->fx->report.fail_on = AL_SEV_INFO;
  free(write_xml(s));
  validate(s, ant);
  validate(s, jenkins);
}

static void test_report_junit_empty_report(void **state)
{
  struct junit_state *s = *state;
  struct al_report saved = s->fx->report;
  al_report_init(&s->fx->report);
  char *text = write_xml(s);
  assert_string_equal(text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            "<testsuites>\n</testsuites>\n");
  free(text);
  s->fx->report = saved;
}

/* Run with --schemas (CTest unit/test_report_junit_schemas): only the
 * schema validations, and exit 77, which CTest reports as skipped, when the
 * schemas are absent. Without it: every other test, which needs nothing from
 * outside the repo. */
int main(int argc, char **argv)
{
  if (argc > 1 && strcmp(argv[1], "--schemas") == 0) {
    if (access(AL_SCHEMA_ANT, R_OK) != 0 ||
        access(AL_SCHEMA_JENKINS, R_OK) != 0) {
      printf("SKIP: JUnit schemas not found in %s/schemas (third-party files "
             "kept in the team's shared/ folder, not in this repo)\n",
             AL_SHARED_DIR);
      return 77;
    }
    const struct CMUnitTest schema_tests[] = {
        cmocka_unit_test_setup_teardown(
            test_report_junit_validates_against_both_schemas, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_report_junit_probes_validate_against_both_schemas, setup,
            teardown),
    };
    return cmocka_run_group_tests(schema_tests, NULL, NULL);
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_report_junit_counts_match, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_report_junit_fail_on_moves_failures,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_junit_content, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_report_junit_failure_evidence_masked,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_report_junit_hostname_defaults_to_localhost, setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_junit_probe_testcases, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_report_junit_empty_report, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
