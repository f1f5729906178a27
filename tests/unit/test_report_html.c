/* test_report_html.c - the HTML audit report over the shared fixture
 * (report_fixture.h): every element in the page is one the reporter writes
 * (so no text of the fixture became markup), no secret survives, the
 * counts are the fixture's, every endpoint and probe has its section, an
 * interrupted run says so, and a failing write is AL_E_IO. The page in a
 * real browser is tests/ci/html.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <ctype.h>
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

static size_t count(const char *hay, const char *needle)
{
  size_t n = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
    n++;
  return n;
}

/* The elements report_html.c writes; anything else is injected. */
static int known_tag(const char *name, size_t len)
{
  static const char *const tags[] = {
      "html",   "head",    "meta",  "title", "style",  "body",   "header",
      "h1",     "h2",      "h3",    "h4",    "p",      "code",   "br",
      "main",   "section", "div",   "span",  "svg",    "rect",   "text",
      "table",  "thead",   "tbody", "tr",    "th",     "td",     "a",
      "form",   "strong",  "label", "input", "select", "option", "button",
      "dl",     "dt",      "dd",    "ol",    "li",     "pre",    "article",
      "footer", "script"};
  for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
    if (strlen(tags[i]) == len && strncmp(tags[i], name, len) == 0)
      return 1;
  return 0;
}

static void test_html_only_its_own_markup(void **state)
{
  struct fx *f = *state;
  fx_add_probes(f);
  char *page = fx_render(al_report_write_html, &f->report, NULL);
  assert_non_null(page);
  assert_null(strstr(page, FX_SECRET));
  size_t scripts = 0;
  for (const char *p = page; (p = strchr(p, '<')); p++) {
    const char *name = p + 1 + (p[1] == '/');
    size_t len = 0;
    while (isalnum((unsigned char)name[len]))
      len++;
    if (strncmp(p, "<!DOCTYPE html>", 15) == 0)
      continue;
    if (!known_tag(name, len))
      fail_msg("unexpected markup in the page: %.40s", p);
    if (p[1] != '/' && len == 6 && strncmp(name, "script", 6) == 0)
      scripts++;
  }
  assert_int_equal(scripts, 1);
  /* The fixture's markup characters are shown, escaped. */
  assert_non_null(strstr(page, "weird &lt;&amp;&gt; &quot;name&quot;"));
  assert_non_null(strstr(page, "&lt;here&gt; &amp; &#39;there&#39;"));
  assert_non_null(strstr(page, "***"));
  free(page);
}

static void test_html_counts_and_sections(void **state)
{
  struct fx *f = *state;
  fx_add_probes(f);
  struct al_report_summary sum;
  al_report_summarize(&f->report, &sum);
  char *page = fx_render(al_report_write_html, &f->report, NULL);
  assert_non_null(page);
  char want[128];
  snprintf(want, sizeof want, "id=\"n-error\">%zu<", sum.errors);
  assert_non_null(strstr(page, want));
  snprintf(want, sizeof want, "id=\"n-warning\">%zu<", sum.warnings);
  assert_non_null(strstr(page, want));
  snprintf(want, sizeof want, "id=\"n-info\">%zu<", sum.infos);
  assert_non_null(strstr(page, want));
  snprintf(want, sizeof want, "id=\"n-endpoints\">%d<", FX_ENDPOINTS);
  assert_non_null(strstr(page, want));
  assert_int_equal(count(page, "<section class=\"ep\""), FX_ENDPOINTS);
  assert_int_equal(count(page, "<div class=\"probe\""), FX_PROBES);
  assert_int_equal(count(page, "<li class=\"finding "),
                   sum.errors + sum.warnings + sum.infos);
  /* The summary comes before the endpoints, the script last. */
  const char *summary = strstr(page, "id=\"summary\"");
  const char *details = strstr(page, "id=\"endpoints\"");
  assert_non_null(summary);
  assert_non_null(details);
  assert_true(summary < details);
  assert_true(strstr(page, "<script") > details);
  assert_null(strstr(page, "id=\"interrupted\""));
  assert_non_null(strstr(page, "</html>\n"));
  free(page);
}

static void test_html_says_interrupted(void **state)
{
  struct fx *f = *state;
  f->report.interrupted = 2;
  f->report.planned = 9;
  char *page = fx_render(al_report_write_html, &f->report, NULL);
  assert_non_null(page);
  assert_non_null(strstr(page, "Interrupted by SIGINT: 5 of 9 endpoints"));
  free(page);
}

/* The first finding of the report, to mark. */
static struct al_finding *first_finding(struct fx *f)
{
  for (size_t i = 0; i < f->report.spec_count; i++)
    for (size_t j = 0; j < f->report.specs[i].endpoint_count; j++) {
      struct al_endpoint_result *er = &f->report.specs[i].endpoints[j];
      for (size_t k = 0; k < er->result_count; k++)
        if (er->results[k].finding_count)
          return &er->results[k].findings[0];
    }
  fail_msg("the fixture has no finding");
  return NULL;
}

static void test_html_shows_baselined_as_suppressed(void **state)
{
  struct fx *f = *state;
  struct al_finding *fd = first_finding(f);
  fd->suppressed = 1;
  fd->baseline_reason = fx_dup("known <b>since</b> 2025");
  char *page = fx_render(al_report_write_html, &f->report, NULL);
  assert_non_null(page);
  assert_non_null(strstr(page, "id=\"n-suppressed\">1<"));
  assert_int_equal(count(page, " suppressed\" data-f="), 1);
  assert_non_null(strstr(page, "suppressed by the baseline: known "
                               "&lt;b&gt;since&lt;/b&gt; 2025"));
  free(page);
}

static void test_html_write_error_is_io(void **state)
{
  struct fx *f = *state;
  FILE *full = fopen("/dev/full", "w");
  if (!full)
    skip();
  setvbuf(full, NULL, _IONBF, 0);
  assert_int_equal(al_report_write_html(full, &f->report, NULL), AL_E_IO);
  fclose(full);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_html_only_its_own_markup, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_html_counts_and_sections, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_html_says_interrupted, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_html_shows_baselined_as_suppressed,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_html_write_error_is_io, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
