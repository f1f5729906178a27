/* test_junit_stream.c - the JUnit reporter driven as the pipeline drives
 * it (begin, one endpoint at a time, end), its bytes compared exactly: the
 * names it remembers between endpoints (a name equal to the last one is
 * copied without a look at its bytes) never outlive a change, a secret
 * added in the middle of a run is masked from then on, markup and control
 * bytes are escaped as before, a suite split over many flushes of its part
 * file comes out whole and in order, the same bytes reach every kind of
 * stream, and times print as "%.3f" does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "finding.h"
#include "redact.h"
#include "report.h"
#include "response.h"
#include "spec.h"

#define MAX_SPECS 2

/* A run of the reporter: the report, its specs and one redactor. */
struct run {
  struct al_report report;
  struct al_spec_result specs[MAX_SPECS];
  struct al_spec spec[MAX_SPECS];
  struct al_redactor redactor;
  FILE *mem;
  char *text;
  size_t len;
  void *state;
};

/* Begins a run writing to 'out' (NULL: a memory stream run_end reads). */
static void run_start_to(struct run *r, size_t spec_count, FILE *out)
{
  memset(r, 0, sizeof *r);
  al_report_init(&r->report);
  al_redactor_init(&r->redactor);
  static char names[MAX_SPECS][8] = {"api", "other"};
  static char path[] = "spec.yaml";
  for (size_t i = 0; i < spec_count; i++) {
    r->spec[i].name = names[i];
    r->spec[i].path = path;
    r->specs[i].spec = &r->spec[i];
    strcpy(r->specs[i].timestamp, "2026-01-02T03:04:05");
  }
  r->report.specs = r->specs;
  r->report.spec_count = spec_count;
  r->report.redactor = &r->redactor;
  strcpy(r->report.hostname, "host");
  r->mem = out ? out : open_memstream(&r->text, &r->len);
  assert_non_null(r->mem);
  struct al_report_opts opts = {0};
  assert_int_equal(
      al_reporter_junit.begin(r->mem, &r->report, &opts, &r->state), AL_OK);
}

static void run_start(struct run *r, size_t spec_count)
{
  run_start_to(r, spec_count, NULL);
}

/* Hands over an endpoint named 'name' of spec 'spec' whose rules are
 * 'rules' (NULL-terminated; all pass), answered in 'elapsed_ms' (< 0: no
 * answer). A rule id starting with "info:" gets an info finding (below
 * --fail-on: listed in <system-out>). */
static void run_endpoint(struct run *r, size_t spec, const char *name,
                         const char *const *rules, double elapsed_ms)
{
  struct al_endpoint ep;
  memset(&ep, 0, sizeof ep);
  char *own_name = al_strdup(name);
  assert_non_null(own_name);
  ep.name = own_name;
  ep.line = 7;
  ep.col = 3;
  struct al_response res;
  al_response_init(&res);
  res.received = 1;
  res.status = 200;
  res.elapsed_ms = elapsed_ms;
  struct al_endpoint_result er;
  al_endpoint_result_init(&er);
  er.endpoint = &ep;
  er.response = elapsed_ms < 0 ? NULL : &res;
  for (size_t i = 0; rules[i]; i++) {
    struct al_rule_result *rr = al_rule_results_add(
        &er.results, &er.result_count, rules[i], AL_OUTCOME_PASS);
    assert_non_null(rr);
    if (strncmp(rules[i], "info:", 5) == 0)
      assert_int_equal(al_rule_result_add_finding(rr, AL_SEV_INFO, "noted",
                                                  "ev <1>", "MAY", ""),
                       AL_OK);
  }
  struct al_report_item item = {spec, &r->spec[spec], 0, &er};
  assert_int_equal(al_reporter_junit.endpoint(r->state, &item), AL_OK);
  r->report.summary.endpoints++;
  al_endpoint_result_cleanup(&er);
  al_response_cleanup(&res);
  free(own_name);
}

/* Ends the run; returns the report's text (owned by 'r'). */
static const char *run_end(struct run *r)
{
  assert_int_equal(al_reporter_junit.end(r->state), AL_OK);
  al_reporter_junit.free(r->state);
  assert_int_equal(fclose(r->mem), 0);
  return r->text;
}

static void run_free(struct run *r)
{
  free(r->text);
  al_redactor_cleanup(&r->redactor);
}

/* The testcases of the report's first suite: from the first testcase to
 * <system-out> (caller frees). */
static char *testcases(const char *xml)
{
  const char *from = strstr(xml, "    <testcase");
  const char *to = from ? strstr(from, "    <system-out>") : NULL;
  assert_non_null(to);
  return al_strndup(from, (size_t)(to - from));
}

static void assert_testcases(const char *xml, const char *want)
{
  char *got = testcases(xml);
  if (strcmp(got, want) != 0)
    fail_msg("testcases:\n%s\nwanted:\n%s", got, want);
  free(got);
}

static void test_remembered_names_follow_each_endpoint(void **state)
{
  (void)state;
  struct run r;
  run_start(&r, 1);
  /* The same rules, then others in their places, then markup, a control
   * byte and UTF-8 where plain names were, then the plain ones again. */
  const char *const a[] = {"rule-one", "rule-two", NULL};
  const char *const b[] = {"rule-two", "rule-one", "rule-three", NULL};
  const char *const c[] = {"a<&>\"'b", "tab\there", "caf\xc3\xa9", NULL};
  const char *const d[] = {"rule-one", "rule-", "rule-one-longer", NULL};
  run_endpoint(&r, 0, "e1", a, -1);
  run_endpoint(&r, 0, "e2", a, -1);
  run_endpoint(&r, 0, "e3", b, -1);
  run_endpoint(&r, 0, "e4", c, -1);
  run_endpoint(&r, 0, "e5", d, -1);
  const char *xml = run_end(&r);
  assert_testcases(
      xml,
      "    <testcase name=\"rule-one\" classname=\"api.e1\" time=\"0.000\"/>\n"
      "    <testcase name=\"rule-two\" classname=\"api.e1\" time=\"0.000\"/>\n"
      "    <testcase name=\"rule-one\" classname=\"api.e2\" time=\"0.000\"/>\n"
      "    <testcase name=\"rule-two\" classname=\"api.e2\" time=\"0.000\"/>\n"
      "    <testcase name=\"rule-two\" classname=\"api.e3\" time=\"0.000\"/>\n"
      "    <testcase name=\"rule-one\" classname=\"api.e3\" time=\"0.000\"/>\n"
      "    <testcase name=\"rule-three\" classname=\"api.e3\" "
      "time=\"0.000\"/>\n"
      "    <testcase name=\"a&lt;&amp;&gt;&quot;&apos;b\" classname=\"api.e4\" "
      "time=\"0.000\"/>\n"
      "    <testcase name=\"tab&#9;here\" classname=\"api.e4\" "
      "time=\"0.000\"/>\n"
      "    <testcase name=\"caf\xc3\xa9\" classname=\"api.e4\" "
      "time=\"0.000\"/>\n"
      "    <testcase name=\"rule-one\" classname=\"api.e5\" time=\"0.000\"/>\n"
      "    <testcase name=\"rule-\" classname=\"api.e5\" time=\"0.000\"/>\n"
      "    <testcase name=\"rule-one-longer\" classname=\"api.e5\" "
      "time=\"0.000\"/>\n");
  run_free(&r);
}

static void test_secret_added_mid_run_is_masked_from_then_on(void **state)
{
  (void)state;
  struct run r;
  run_start(&r, 1);
  const char *const rules[] = {"leak-abcdef", "plain", NULL};
  run_endpoint(&r, 0, "before-abcdef", rules, -1);
  /* As a credential seen in an answer adds itself while the run goes on. */
  assert_int_equal(al_redactor_add_value(&r.redactor, "abcdef"), AL_OK);
  run_endpoint(&r, 0, "after-abcdef", rules, -1);
  const char *xml = run_end(&r);
  assert_testcases(xml, "    <testcase name=\"leak-abcdef\" "
                        "classname=\"api.before-abcdef\" time=\"0.000\"/>\n"
                        "    <testcase name=\"plain\" "
                        "classname=\"api.before-abcdef\" time=\"0.000\"/>\n"
                        "    <testcase name=\"leak-***\" "
                        "classname=\"api.after-***\" time=\"0.000\"/>\n"
                        "    <testcase name=\"plain\" "
                        "classname=\"api.after-***\" time=\"0.000\"/>\n");
  run_free(&r);
}

/* The first testcase of an endpoint carries its time, as "%.3f" prints it
 * (ties to even: 62.5 ms is 0.062). */
static void test_first_testcase_time_prints_like_printf(void **state)
{
  (void)state;
  static const double ms[] = {62.5, 187.5,  1000.5,   0.4,       0.5,
                              1.5,  12.345, 999.9996, 3600000.25};
  struct run r;
  run_start(&r, 1);
  const char *const rules[] = {"first", "second", NULL};
  for (size_t i = 0; i < sizeof ms / sizeof *ms; i++)
    run_endpoint(&r, 0, "t", rules, ms[i]);
  const char *xml = run_end(&r);
  struct al_buf want;
  al_buf_init(&want);
  for (size_t i = 0; i < sizeof ms / sizeof *ms; i++)
    assert_int_equal(
        al_buf_printf(&want,
                      "    <testcase name=\"first\" classname=\"api.t\" "
                      "time=\"%.3f\"/>\n"
                      "    <testcase name=\"second\" classname=\"api.t\" "
                      "time=\"0.000\"/>\n",
                      ms[i] / 1000.0),
        AL_OK);
  assert_testcases(xml, al_buf_str(&want));
  al_buf_cleanup(&want);
  run_free(&r);
}

/* Enough endpoints that each suite's part files are written out many
 * times, two suites: each suite's testcases and <system-out> whole and in
 * order. */
static void test_suites_whole_across_part_flushes(void **state)
{
  (void)state;
  enum { PER_SPEC = 1500 };
  struct run r;
  run_start(&r, 2);
  const char *const rules[] = {"info:rule", "other", NULL};
  struct al_buf want[2], sysout[2];
  for (size_t s = 0; s < 2; s++) {
    al_buf_init(&want[s]);
    al_buf_init(&sysout[s]);
    assert_int_equal(al_buf_append_str(&sysout[s],
                                       "    <system-out>\nbelow --fail-on "
                                       "error (not failing):\n"),
                     AL_OK);
    for (int i = 0; i < PER_SPEC; i++) {
      char name[32];
      snprintf(name, sizeof name, "e%d", i);
      run_endpoint(&r, s, name, rules, -1);
      const char *spec = s == 0 ? "api" : "other";
      assert_int_equal(
          al_buf_printf(&want[s],
                        "    <testcase name=\"info:rule\" classname=\"%s.%s\" "
                        "time=\"0.000\"/>\n"
                        "    <testcase name=\"other\" classname=\"%s.%s\" "
                        "time=\"0.000\"/>\n",
                        spec, name, spec, name),
          AL_OK);
      assert_int_equal(al_buf_printf(&sysout[s],
                                     "spec.yaml:7:3: info: %s: noted "
                                     "[info:rule]\nevidence: ev &lt;1&gt;\n",
                                     name),
                       AL_OK);
    }
    assert_int_equal(al_buf_append_str(&sysout[s], "</system-out>\n"), AL_OK);
  }
  const char *xml = run_end(&r);
  const char *second = strstr(xml, "  <testsuite name=\"other\"");
  assert_non_null(second);
  assert_testcases(xml, al_buf_str(&want[0]));
  assert_testcases(second, al_buf_str(&want[1]));
  for (size_t s = 0; s < 2; s++) {
    const char *at = strstr(s == 0 ? xml : second, "    <system-out>");
    assert_non_null(at);
    assert_memory_equal(at, al_buf_str(&sysout[s]), sysout[s].len);
    al_buf_cleanup(&want[s]);
    al_buf_cleanup(&sysout[s]);
  }
  assert_non_null(strstr(xml, "tests=\"3000\""));
  assert_non_null(strstr(second, "tests=\"3000\""));
  run_free(&r);
}

/* Two suites, each with testcase and <system-out> ranges far over the
 * size report.c copies inside the kernel (64 KiB). */
static void big_run_to(FILE *out)
{
  struct run r;
  run_start_to(&r, 2, out);
  const char *const rules[] = {"info:rule", "other", NULL};
  for (size_t s = 0; s < 2; s++)
    for (int i = 0; i < 1500; i++) {
      char name[32];
      snprintf(name, sizeof name, "e%d", i);
      run_endpoint(&r, s, name, rules, -1);
    }
  assert_int_equal(al_reporter_junit.end(r.state), AL_OK);
  al_reporter_junit.free(r.state);
  run_free(&r);
}

static char *slurp(const char *path, size_t *len)
{
  struct al_buf b;
  al_buf_init(&b);
  assert_int_equal(al_buf_read_file(&b, path, 64u * 1024 * 1024), AL_READ_OK);
  *len = b.len;
  char *text = al_buf_detach(&b);
  assert_non_null(text);
  return text;
}

/* A new file "DIR/apilint-junit-XXXXXX" holding 'prefix'; its path in
 * 'path'. */
static void new_file(char path[64], const char *dir, const char *prefix)
{
  snprintf(path, 64, "%s/apilint-junit-XXXXXX", dir);
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  size_t n = strlen(prefix);
  assert_int_equal(write(fd, prefix, n), (ssize_t)n);
  assert_int_equal(close(fd), 0);
}

static void assert_report_bytes(const char *got, size_t got_len,
                                const char *want, size_t want_len,
                                const char *where)
{
  if (got_len != want_len || memcmp(got, want, want_len) != 0)
    fail_msg("%s: %zu bytes, not the %zu of the memory stream", where, got_len,
             want_len);
}

/* The same bytes whichever way the part files reach the report: a memory
 * stream (stdio), a regular file (copy_file_range), one on another file
 * system when /dev/shm is one (EXDEV: sendfile), one opened O_APPEND and
 * a pipe (both stdio after the kernel declines). After the in-kernel copy
 * the stream still knows where it is: ftell gives the report's length and
 * the next write lands right after it. */
static void test_same_bytes_to_every_kind_of_stream(void **state)
{
  (void)state;
  char *want = NULL;
  size_t want_len = 0;
  FILE *mem = open_memstream(&want, &want_len);
  assert_non_null(mem);
  big_run_to(mem);
  assert_int_equal(fclose(mem), 0);
  assert_true(want_len > 4 * 65536); /* four ranges, each over 64 KiB */

  static const char *const dirs[] = {"/tmp", "/dev/shm"};
  for (size_t d = 0; d < 2; d++) {
    struct stat st;
    if (stat(dirs[d], &st) != 0 || !S_ISDIR(st.st_mode))
      continue;
    char path[64];
    new_file(path, dirs[d], "");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    big_run_to(f);
    assert_int_equal(ftell(f), (long)want_len);
    assert_true(fputs("END\n", f) >= 0);
    assert_int_equal(fclose(f), 0);
    size_t len;
    char *got = slurp(path, &len);
    assert_true(len == want_len + 4);
    assert_memory_equal(got + want_len, "END\n", 4);
    assert_report_bytes(got, want_len, want, want_len, path);
    free(got);
    unlink(path);
  }

  char path[64];
  new_file(path, "/tmp", "PREFIX\n");
  FILE *f = fopen(path, "a");
  assert_non_null(f);
  big_run_to(f);
  assert_int_equal(fclose(f), 0);
  size_t len;
  char *got = slurp(path, &len);
  assert_true(len == want_len + 7);
  assert_memory_equal(got, "PREFIX\n", 7);
  assert_report_bytes(got + 7, len - 7, want, want_len, "O_APPEND");
  free(got);

  char cmd[128];
  snprintf(cmd, sizeof cmd, "cat >'%s'", path);
  FILE *to_cat = popen(cmd, "w");
  assert_non_null(to_cat);
  big_run_to(to_cat);
  assert_int_equal(pclose(to_cat), 0);
  got = slurp(path, &len);
  assert_report_bytes(got, len, want, want_len, "a pipe");
  free(got);
  unlink(path);
  free(want);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_remembered_names_follow_each_endpoint),
      cmocka_unit_test(test_secret_added_mid_run_is_masked_from_then_on),
      cmocka_unit_test(test_first_testcase_time_prints_like_printf),
      cmocka_unit_test(test_suites_whole_across_part_flushes),
      cmocka_unit_test(test_same_bytes_to_every_kind_of_stream),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
