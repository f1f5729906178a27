/* test_report_sarif.c - the SARIF report of the shared fixture parses back
 * with cJSON: one result per finding (probes' too) at the spec file and
 * line with its fingerprint, no secret, escaping that survives control
 * bytes and invalid UTF-8, no ruleIndex without a ruleset; with a baseline,
 * suppressions and baselineState on the results and the stale entries in
 * the run's properties. And the --write-baseline writer: what it writes
 * reads back as a baseline, one entry per fingerprint, the kept reason and
 * date carried over. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "fingerprint.h"
#include "report_fixture.h"

static int setup(void **state)
{
  struct fx *f = fx_new();
  fx_add_probes(f);
  for (size_t s = 0; s < f->report.spec_count; s++)
    for (size_t e = 0; e < f->report.specs[s].endpoint_count; e++)
      fx_check(al_fingerprint_result(&f->report.specs[s].endpoints[e]));
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx_free(*state);
  return 0;
}

static size_t count_findings(const struct al_report *r)
{
  size_t n = 0;
  for (size_t s = 0; s < r->spec_count; s++)
    for (size_t e = 0; e < r->specs[s].endpoint_count; e++) {
      const struct al_endpoint_result *er = &r->specs[s].endpoints[e];
      for (size_t i = 0; i < er->result_count; i++)
        n += er->results[i].finding_count;
      for (size_t p = 0; p < er->probe_count; p++)
        for (size_t i = 0; i < er->probes[p].result_count; i++)
          n += er->probes[p].results[i].finding_count;
    }
  return n;
}

static cJSON *render(struct fx *f, char **text)
{
  *text = fx_render(al_report_write_sarif, &f->report, NULL);
  assert_non_null(*text);
  cJSON *root = cJSON_Parse(*text);
  if (!root)
    fail_msg("not JSON: %s", *text);
  return root;
}

static const cJSON *get(const cJSON *obj, const char *key)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!v)
    fail_msg("no member '%s'", key);
  return v;
}

static const char *str(const cJSON *obj, const char *key)
{
  const cJSON *v = get(obj, key);
  assert_true(cJSON_IsString(v));
  return v->valuestring;
}

static void test_report_sarif_one_result_per_finding(void **state)
{
  struct fx *f = *state;
  char *text;
  cJSON *root = render(f, &text);
  assert_null(strstr(text, FX_SECRET));
  assert_string_equal(str(root, "version"), "2.1.0");
  const cJSON *runs = get(root, "runs");
  assert_int_equal(cJSON_GetArraySize(runs), 1);
  const cJSON *run = cJSON_GetArrayItem(runs, 0);
  assert_string_equal(str(get(get(run, "tool"), "driver"), "name"), "apilint");
  const cJSON *results = get(run, "results");
  assert_int_equal((size_t)cJSON_GetArraySize(results),
                   count_findings(&f->report));
  /* The first result: endpoint 0's 401 in specs/demo.yaml at 10:5. */
  const cJSON *r0 = cJSON_GetArrayItem(results, 0);
  assert_string_equal(str(r0, "ruleId"), "unauthorized-without-challenge");
  assert_string_equal(str(r0, "level"), "error");
  assert_null(cJSON_GetObjectItemCaseSensitive(r0, "ruleIndex"));
  assert_null(cJSON_GetObjectItemCaseSensitive(r0, "suppressions"));
  const cJSON *loc =
      get(cJSON_GetArrayItem(get(r0, "locations"), 0), "physicalLocation");
  assert_string_equal(str(get(loc, "artifactLocation"), "uri"),
                      "specs/demo.yaml");
  assert_string_equal(str(get(loc, "artifactLocation"), "uriBaseId"),
                      "%SRCROOT%");
  assert_int_equal(get(get(loc, "region"), "startLine")->valueint, 10);
  assert_int_equal(get(get(loc, "region"), "startColumn")->valueint, 5);
  const char *fp = str(get(r0, "partialFingerprints"), AL_FINGERPRINT_KEY);
  assert_true(al_fingerprint_valid(fp));
  assert_string_equal(
      fp, f->report.specs[0].endpoints[0].results[0].findings[0].fingerprint);
  /* Every message is one valid string (cJSON parsed it), probe results
   * name their probe. */
  size_t probes = 0;
  const cJSON *r;
  cJSON_ArrayForEach(r, results)
  {
    const cJSON *props = get(r, "properties");
    probes += cJSON_GetObjectItemCaseSensitive(props, "probe") != NULL;
    assert_non_null(strstr(str(get(r, "message"), "text"), ": "));
  }
  assert_true(probes > 0);
  cJSON_Delete(root);
  free(text);
}

static void test_report_sarif_baseline_suppressions(void **state)
{
  struct fx *f = *state;
  const char *fp =
      f->report.specs[0].endpoints[0].results[0].findings[0].fingerprint;
  char doc[512];
  snprintf(doc, sizeof doc,
           "version: 1\nfindings:\n"
           "  - {fingerprint: \"%s\", reason: \"known " FX_SECRET "\"}\n"
           "  - {fingerprint: \"0123456789abcdef\", rule: gone}\n",
           fp);
  struct al_baseline *b = NULL;
  struct al_err err = {0};
  assert_int_equal(
      al_baseline_parse(doc, strlen(doc), "base.yaml", NULL, &b, &err), AL_OK);
  for (size_t s = 0; s < f->report.spec_count; s++)
    for (size_t e = 0; e < f->report.specs[s].endpoint_count; e++)
      fx_check(al_baseline_apply(b, &f->report.specs[s].endpoints[e]));
  f->report.baseline = b;
  char *text;
  cJSON *root = render(f, &text);
  assert_null(strstr(text, FX_SECRET));
  const cJSON *run = cJSON_GetArrayItem(get(root, "runs"), 0);
  const cJSON *results = get(run, "results");
  const cJSON *r0 = cJSON_GetArrayItem(results, 0);
  assert_string_equal(str(r0, "baselineState"), "unchanged");
  const cJSON *sup = cJSON_GetArrayItem(get(r0, "suppressions"), 0);
  assert_string_equal(str(sup, "kind"), "external");
  assert_string_equal(str(sup, "status"), "accepted");
  assert_string_equal(str(sup, "justification"), "known ***");
  const cJSON *r1 = cJSON_GetArrayItem(results, 1);
  assert_string_equal(str(r1, "baselineState"), "new");
  assert_int_equal(cJSON_GetArraySize(get(r1, "suppressions")), 0);
  const cJSON *base = get(get(run, "properties"), "baseline");
  assert_int_equal(get(base, "suppressed")->valueint, 1);
  const cJSON *gone = get(base, "no_longer_occurring");
  assert_int_equal(cJSON_GetArraySize(gone), 1);
  assert_string_equal(str(cJSON_GetArrayItem(gone, 0), "fingerprint"),
                      "0123456789abcdef");
  cJSON_Delete(root);
  free(text);
  f->report.baseline = NULL;
  al_baseline_free(b);
}

static void test_report_baseline_writer_reads_back(void **state)
{
  struct fx *f = *state;
  const char *fp =
      f->report.specs[1].endpoints[0].results[0].findings[0].fingerprint;
  char doc[256];
  snprintf(doc, sizeof doc,
           "version: 1\nfindings:\n"
           "  - {fingerprint: \"%s\", reason: 'say \"why\" \\ here',"
           " expires: 2030-01-31}\n",
           fp);
  struct al_baseline *keep = NULL;
  struct al_err err = {0};
  assert_int_equal(
      al_baseline_parse(doc, strlen(doc), "old.yaml", NULL, &keep, &err),
      AL_OK);
  struct al_report_opts opts = {0, 0, 0, keep};
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  assert_non_null(mem);
  assert_int_equal(
      al_report_replay(&al_reporter_baseline, mem, &f->report, &opts), AL_OK);
  assert_int_equal(fclose(mem), 0);
  assert_null(strstr(text, FX_SECRET));
  struct al_baseline *b = NULL;
  if (al_baseline_parse(text, len, "new.yaml", NULL, &b, &err) != AL_OK)
    fail_msg("%d:%d: %s in\n%s", err.line, err.col, err.msg, text);
  /* Two findings of one rule on "weird" share a fingerprint: one entry. */
  assert_int_equal(b->count, count_findings(&f->report) - 1);
  const struct al_baseline_entry *e = al_baseline_find(b, fp);
  assert_non_null(e);
  assert_string_equal(e->reason, "say \"why\" \\ here");
  assert_string_equal(e->expires, "2030-01-31");
  assert_string_equal(e->rule, "server-error-leak");
  assert_string_equal(e->path, "/x?a=1&b=2");
  assert_string_equal(e->spec, "specs/other.yaml:4");
  al_baseline_free(b);
  al_baseline_free(keep);
  free(text);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_report_sarif_one_result_per_finding,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_sarif_baseline_suppressions,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_baseline_writer_reads_back,
                                      setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
