/* report_junit.c - JUnit XML for CI tools: one <testsuite> per spec file, one
 * <testcase> per (endpoint, rule result) and per (probe entry, rule result),
 * named "RULE-ID (probe NAME: SENT)"; a probe that sent nothing is one
 * skipped testcase "probe NAME" with the reason. The shape satisfies both the
 * Ant JUnit schema and the Jenkins xunit one (shared/schemas/SOURCES.md):
 * <testsuites> without attributes; every suite with name, package, id,
 * timestamp, hostname, counts and time; children in the order properties,
 * testcases, system-out, system-err.
 *
 * Time: an endpoint's (or probe entry's) elapsed time goes on its first
 * testcase and 0.000 on the others, so the cases of an endpoint add up to its
 * request time. The suite's time is the spec's wall time when known (requests
 * run in parallel, so it can be less than the sum of the cases), else that sum.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "request.h"
#include "response.h"

enum tc_kind { TC_PASS, TC_FAIL, TC_SKIPPED, TC_ERROR };

/* A FAIL only fails the testcase when a finding reaches --fail-on; below it
 * the case passes and the finding is listed in <system-out>. */
static enum tc_kind classify(const struct al_report *report,
                             const struct al_rule_result *rr)
{
  if (rr->outcome == AL_OUTCOME_SKIPPED)
    return TC_SKIPPED;
  if (rr->outcome == AL_OUTCOME_ERROR)
    return TC_ERROR;
  for (size_t i = 0; i < rr->finding_count; i++)
    if (al_report_fails(report, &rr->findings[i]))
      return TC_FAIL;
  return TC_PASS;
}

struct suite_counts {
  size_t tests, failures, errors, skipped;
  double endpoint_ms; /* sum of the endpoints' elapsed times */
};

static void count_results(const struct al_report *report,
                          const struct al_rule_result *results, size_t n,
                          struct suite_counts *c)
{
  for (size_t k = 0; k < n; k++) {
    c->tests++;
    switch (classify(report, &results[k])) {
    case TC_FAIL:
      c->failures++;
      break;
    case TC_ERROR:
      c->errors++;
      break;
    case TC_SKIPPED:
      c->skipped++;
      break;
    case TC_PASS:
      break;
    }
  }
}

static void count_endpoint(const struct al_report *report,
                           const struct al_endpoint_result *er,
                           struct suite_counts *c)
{
  if (er->response && er->result_count > 0)
    c->endpoint_ms += er->response->elapsed_ms;
  count_results(report, er->results, er->result_count, c);
  for (size_t k = 0; k < er->probe_count; k++) {
    const struct al_probe_result *pr = &er->probes[k];
    /* A probe that sent nothing is one skipped testcase saying why. */
    if (pr->note) {
      c->tests++;
      c->skipped++;
    }
    if (pr->response && pr->result_count > 0)
      c->endpoint_ms += pr->response->elapsed_ms;
    count_results(report, pr->results, pr->result_count, c);
  }
}

/* Appends 's' (already cleaned) with markup escaped; runs of plain bytes
 * are copied at once (this runs for every attribute and text of the
 * report). In attributes, tab and line breaks become character references
 * because parsers would otherwise normalise them to spaces. */
static enum al_code put_escaped(struct al_buf *b, const char *s, int attr)
{
  enum al_code rc = AL_OK;
  const char *run = s;
  for (const char *p = s; rc == AL_OK; p++) {
    const char *ref = NULL;
    switch (*p) {
    case '&':
      ref = "&amp;";
      break;
    case '<':
      ref = "&lt;";
      break;
    case '>':
      ref = "&gt;";
      break;
    case '"':
      ref = "&quot;";
      break;
    case '\'':
      ref = "&apos;";
      break;
    case '\r':
      ref = "&#13;";
      break;
    case '\n':
      ref = attr ? "&#10;" : NULL;
      break;
    case '\t':
      ref = attr ? "&#9;" : NULL;
      break;
    case '\0':
      return al_buf_append(b, run, (size_t)(p - run));
    default:
      break;
    }
    if (!ref)
      continue;
    rc = al_buf_append(b, run, (size_t)(p - run));
    if (rc == AL_OK)
      rc = al_buf_append_str(b, ref);
    run = p + 1;
  }
  return rc;
}

/* Appends cleaned 's' (secrets masked, valid XML 1.0 characters only) with
 * markup escaped. */
static enum al_code put_xml(struct al_buf *b, const struct al_report *report,
                            const char *s, int attr)
{
  size_t len = s ? strlen(s) : 0;
  if (s && al_redact_is_plain(report ? report->redactor : NULL, s, len))
    return put_escaped(b, s, attr);
  char *clean = al_report_clean(report, s, len, 0);
  if (!clean)
    return AL_E_NOMEM;
  enum al_code rc = put_escaped(b, clean, attr);
  free(clean);
  return rc;
}

/* name="value" with a leading space. */
static enum al_code put_attr(struct al_buf *b, const struct al_report *report,
                             const char *name, const char *value)
{
  enum al_code rc = al_buf_printf(b, " %s=\"", name);
  if (rc == AL_OK)
    rc = put_xml(b, report, value, 1);
  if (rc == AL_OK)
    rc = al_buf_append_char(b, '"');
  return rc;
}

/* classname="..." from text already escaped. */
static enum al_code put_classname(struct al_buf *b, const char *xml)
{
  enum al_code rc = al_buf_append_str(b, " classname=\"");
  if (rc == AL_OK)
    rc = al_buf_append_str(b, xml);
  if (rc == AL_OK)
    rc = al_buf_append_char(b, '"');
  return rc;
}

/* time="S.mmm", rounded to the millisecond like "%.3f" (most cases are
 * 0.000: printing a double for each was a tenth of the report's cost). */
static enum al_code put_seconds(struct al_buf *b, double seconds)
{
  if (!(seconds > 0.0)) /* 0, and never a negative or NaN time */
    return al_buf_append_str(b, " time=\"0.000\"");
  if (seconds >= 1e12)
    return al_buf_printf(b, " time=\"%.3f\"", seconds);
  char text[48];
  unsigned long long ms = (unsigned long long)(seconds * 1000.0 + 0.5);
  int n = snprintf(text, sizeof text, " time=\"%llu.%03llu\"", ms / 1000,
                   ms % 1000);
  return al_buf_append(b, text, (size_t)n);
}

/* The schema wants YYYY-MM-DDTHH:MM:SS without a zone; a run that did not
 * record one gets the current UTC time. */
static void suite_timestamp(const struct al_spec_result *sr, char out[32])
{
  static const char shape[] = "dddd-dd-ddTdd:dd:dd";
  int ok = strlen(sr->timestamp) == sizeof shape - 1;
  for (size_t i = 0; ok && i < sizeof shape - 1; i++) {
    char c = sr->timestamp[i];
    ok = shape[i] == 'd' ? (c >= '0' && c <= '9') : c == shape[i];
  }
  if (ok) {
    memcpy(out, sr->timestamp, sizeof shape);
    return;
  }
  time_t now = time(NULL);
  struct tm tm;
  if (!gmtime_r(&now, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
    memcpy(out, "1970-01-01T00:00:00", sizeof shape);
}

/* A finding as text: its compiler-style line, then its evidence. 'pr' is
 * the probe entry the finding is about, or NULL for the endpoint's own. */
static enum al_code put_finding_text(struct al_buf *b,
                                     const struct al_report *report,
                                     const struct al_spec *spec,
                                     const struct al_endpoint_result *er,
                                     const struct al_probe_result *pr,
                                     const struct al_finding *f)
{
  struct al_buf line;
  al_buf_init(&line);
  enum al_code rc =
      pr ? al_report_probe_finding_line(&line, report, spec, er, pr, f, 0)
         : al_report_finding_line(&line, report, spec, er, f, 0);
  if (rc == AL_OK)
    rc = put_xml(b, report, al_buf_str(&line), 0);
  if (rc == AL_OK)
    rc = al_buf_append_char(b, '\n');
  if (rc == AL_OK && f->evidence && f->evidence[0]) {
    rc = al_buf_append_str(b, "evidence: ");
    if (rc == AL_OK)
      rc = put_xml(b, report, f->evidence, 0);
    if (rc == AL_OK)
      rc = al_buf_append_char(b, '\n');
  }
  al_buf_cleanup(&line);
  return rc;
}

/* The text of a <failure> or <error>: every finding of the rule. */
static enum al_code put_findings_text(struct al_buf *b,
                                      const struct al_report *report,
                                      const struct al_spec *spec,
                                      const struct al_endpoint_result *er,
                                      const struct al_probe_result *pr,
                                      const struct al_rule_result *rr)
{
  enum al_code rc = AL_OK;
  for (size_t i = 0; rc == AL_OK && i < rr->finding_count; i++)
    rc = put_finding_text(b, report, spec, er, pr, &rr->findings[i]);
  return rc;
}

/* The message of the first finding at or above --fail-on. */
static const char *failure_message(const struct al_report *report,
                                   const struct al_rule_result *rr)
{
  for (size_t i = 0; i < rr->finding_count; i++)
    if (al_report_fails(report, &rr->findings[i]))
      return rr->findings[i].message;
  return "";
}

static const char *error_message(const struct al_response *res,
                                 const struct al_rule_result *rr)
{
  if (rr->finding_count > 0 && rr->findings[0].message)
    return rr->findings[0].message;
  if (res && res->transport_error)
    return res->transport_error;
  return "no response";
}

/* The element inside a testcase, if any. */
static enum al_code
put_outcome(struct al_buf *b, const struct al_report *report,
            const struct al_spec *spec, const struct al_endpoint_result *er,
            const struct al_probe_result *pr, const struct al_rule_result *rr)
{
  enum al_code rc = AL_OK;
  const char *tag = NULL;
  switch (classify(report, rr)) {
  case TC_PASS:
    return AL_OK;
  case TC_SKIPPED:
    return al_buf_append_str(b, "      <skipped message=\"rule disabled\"/>\n");
  case TC_FAIL:
    tag = "failure";
    rc = al_buf_append_str(b, "      <failure");
    if (rc == AL_OK)
      rc = put_attr(b, report, "type", rr->rule_id);
    if (rc == AL_OK)
      rc = put_attr(b, report, "message", failure_message(report, rr));
    break;
  case TC_ERROR:
    tag = "error";
    rc = al_buf_append_str(b, "      <error type=\"transport-error\"");
    if (rc == AL_OK)
      rc = put_attr(b, report, "message",
                    error_message(pr ? pr->response : er->response, rr));
    break;
  }
  if (rc == AL_OK)
    rc = al_buf_append_char(b, '>');
  if (rc == AL_OK)
    rc = put_findings_text(b, report, spec, er, pr, rr);
  if (rc == AL_OK)
    rc = al_buf_printf(b, "</%s>\n", tag);
  return rc;
}

/* One <testcase> named 'name' for rule result 'rr' of the endpoint ('pr'
 * NULL) or of one of its probe entries. */
static enum al_code
put_testcase(struct al_buf *b, const struct al_report *report,
             const struct al_spec *spec, const struct al_endpoint_result *er,
             const struct al_probe_result *pr, const struct al_rule_result *rr,
             const char *name, const char *classname_xml, double seconds)
{
  enum al_code rc = al_buf_append_str(b, "    <testcase");
  if (rc == AL_OK)
    rc = put_attr(b, report, "name", name);
  if (rc == AL_OK)
    rc = put_classname(b, classname_xml);
  if (rc == AL_OK)
    rc = put_seconds(b, seconds);
  if (rc != AL_OK)
    return rc;
  if (classify(report, rr) == TC_PASS)
    return al_buf_append_str(b, "/>\n");
  rc = al_buf_append_str(b, ">\n");
  if (rc == AL_OK)
    rc = put_outcome(b, report, spec, er, pr, rr);
  if (rc == AL_OK)
    rc = al_buf_append_str(b, "    </testcase>\n");
  return rc;
}

/* The testcases of one probe entry: "RULE-ID (probe NAME: SENT)" for each
 * rule result, or a skipped "probe NAME" saying why nothing was sent. */
static enum al_code put_probe_testcases(struct al_buf *b,
                                        const struct al_report *report,
                                        const struct al_spec *spec,
                                        const struct al_endpoint_result *er,
                                        const struct al_probe_result *pr,
                                        const char *classname_xml)
{
  struct al_buf name;
  al_buf_init(&name);
  enum al_code rc = AL_OK;
  if (pr->note) {
    rc = al_buf_printf(&name, "probe %s", pr->probe ? pr->probe : "?");
    if (rc == AL_OK)
      rc = al_buf_append_str(b, "    <testcase");
    if (rc == AL_OK)
      rc = put_attr(b, report, "name", al_buf_str(&name));
    if (rc == AL_OK)
      rc = put_classname(b, classname_xml);
    if (rc == AL_OK)
      rc = al_buf_append_str(b, " time=\"0.000\">\n      <skipped");
    if (rc == AL_OK)
      rc = put_attr(b, report, "message", pr->note);
    if (rc == AL_OK)
      rc = al_buf_append_str(b, "/>\n    </testcase>\n");
  }
  double first_s = pr->response ? pr->response->elapsed_ms / 1000.0 : 0.0;
  for (size_t k = 0; rc == AL_OK && k < pr->result_count; k++) {
    const struct al_rule_result *rr = &pr->results[k];
    al_buf_reset(&name);
    rc = al_buf_printf(&name, "%s (probe %s: %s)",
                       rr->rule_id ? rr->rule_id : "?",
                       pr->probe ? pr->probe : "?", pr->sent ? pr->sent : "");
    if (rc == AL_OK)
      rc = put_testcase(b, report, spec, er, pr, rr, al_buf_str(&name),
                        classname_xml, k == 0 ? first_s : 0.0);
  }
  al_buf_cleanup(&name);
  return rc;
}

static enum al_code put_testcases(struct al_buf *b,
                                  const struct al_report *report,
                                  const struct al_spec *spec,
                                  const struct al_endpoint_result *er)
{
  /* Every testcase of the endpoint has the same classname: cleaned and
   * escaped once. */
  struct al_buf classname, xml;
  al_buf_init(&classname);
  al_buf_init(&xml);
  enum al_code rc = al_buf_printf(&classname, "%s.%s",
                                  spec && spec->name ? spec->name : "spec",
                                  al_report_endpoint_name(er));
  if (rc == AL_OK)
    rc = put_xml(&xml, report, al_buf_str(&classname), 1);
  double first_s = er->response ? er->response->elapsed_ms / 1000.0 : 0.0;
  for (size_t k = 0; rc == AL_OK && k < er->result_count; k++) {
    const struct al_rule_result *rr = &er->results[k];
    rc = put_testcase(b, report, spec, er, NULL, rr, rr->rule_id,
                      al_buf_str(&xml), k == 0 ? first_s : 0.0);
  }
  for (size_t k = 0; rc == AL_OK && k < er->probe_count; k++)
    rc = put_probe_testcases(b, report, spec, er, &er->probes[k],
                             al_buf_str(&xml));
  al_buf_cleanup(&classname);
  al_buf_cleanup(&xml);
  return rc;
}

/* Findings below --fail-on pass their testcase; they are listed here so a
 * CI page still shows them. */
/* The findings of passing testcases among 'results' ('pr' NULL: the
 * endpoint's own), after the heading when they are the first. */
static enum al_code put_passing_findings(struct al_buf *b,
                                         const struct al_report *report,
                                         const struct al_spec *spec,
                                         const struct al_endpoint_result *er,
                                         const struct al_probe_result *pr,
                                         int *first)
{
  const struct al_rule_result *results = pr ? pr->results : er->results;
  size_t count = pr ? pr->result_count : er->result_count;
  enum al_code rc = AL_OK;
  for (size_t k = 0; rc == AL_OK && k < count; k++) {
    const struct al_rule_result *rr = &results[k];
    /* A failing or erring rule shows all its findings in its element. */
    if (classify(report, rr) != TC_PASS)
      continue;
    for (size_t i = 0; rc == AL_OK && i < rr->finding_count; i++) {
      if (*first) {
        rc = al_buf_printf(b, "\nbelow --fail-on %s%s (not failing):\n",
                           al_severity_name(report->fail_on),
                           report->baseline ? " or suppressed by the baseline"
                                            : "");
        *first = 0;
      }
      if (rc == AL_OK)
        rc = put_finding_text(b, report, spec, er, pr, &rr->findings[i]);
    }
  }
  return rc;
}

static enum al_code put_property(struct al_buf *b,
                                 const struct al_report *report,
                                 const char *name, const char *value)
{
  enum al_code rc = al_buf_printf(b, "      <property name=\"%s\"", name);
  if (rc == AL_OK)
    rc = put_attr(b, report, "value", value);
  if (rc == AL_OK)
    rc = al_buf_append_str(b, "/>\n");
  return rc;
}

static enum al_code put_properties(struct al_buf *b,
                                   const struct al_report *report,
                                   const struct al_spec_result *sr)
{
  const struct al_spec *spec = sr->spec;
  enum al_code rc = al_buf_append_str(b, "    <properties>\n");
  if (rc == AL_OK)
    rc = put_property(b, report, "apilint.version", AL_VERSION);
  if (rc == AL_OK)
    rc = put_property(b, report, "apilint.fail-on",
                      al_severity_name(report->fail_on));
  if (rc == AL_OK && spec && spec->path)
    rc = put_property(b, report, "apilint.spec", spec->path);
  if (rc == AL_OK && sr->base_url)
    rc = put_property(b, report, "apilint.base-url", sr->base_url);
  if (rc == AL_OK && report->started[0])
    rc = put_property(b, report, "apilint.started", report->started);
  /* Only an interrupted run says so: CI tools show properties, and a
   * partial report must never pass for a complete one. */
  if (rc == AL_OK && report->interrupted) {
    rc = put_property(b, report, "apilint.interrupted",
                      report->interrupted == 15 ? "SIGTERM" : "SIGINT");
    if (rc == AL_OK)
      rc = al_buf_printf(b,
                         "      <property name=\"apilint.endpoints-done\" "
                         "value=\"%zu of %zu\"/>\n",
                         report->summary.endpoints, report->planned);
  }
  if (rc == AL_OK)
    rc = al_buf_append_str(b, "    </properties>\n");
  return rc;
}

/* The reporter streams. Each suite's counts must come first, in the
 * <testsuite> attributes, and whether the run was interrupted (a property
 * of every suite) is known only at the end: so the testcases and the
 * <system-out> text go to two unnamed temporary files as the endpoints
 * come, each suite's part a contiguous range (endpoints come in spec
 * order), and end() writes every suite whole from them. Memory stays flat:
 * a few numbers per spec. */
struct suite_part {
  long cases_from, cases_to;   /* byte range in 'cases' */
  long sysout_from, sysout_to; /* byte range in 'sysout' */
  int first_passing;           /* no passing finding written yet */
  struct suite_counts counts;
};

struct junit_state {
  FILE *out; /* borrowed */
  const struct al_report *report;
  FILE *cases;              /* owned; every suite's testcases */
  FILE *sysout;             /* owned; findings below --fail-on */
  long cases_len;           /* bytes written to 'cases' so far */
  long sysout_len;          /* and to 'sysout': counted, not asked with
                               ftell, which costs an lseek each time */
  struct suite_part *parts; /* owned; one per spec */
  struct al_buf b;          /* one endpoint's markup at a time */
};

static enum al_code put_suite_head(struct junit_state *j, size_t id)
{
  const struct al_report *report = j->report;
  const struct al_spec_result *sr = &report->specs[id];
  const struct suite_counts *c = &j->parts[id].counts;
  struct al_buf *b = &j->b;
  char stamp[32];
  suite_timestamp(sr, stamp);
  /* The real wall time when the pipeline measured it (requests run in
   * parallel, so it is less than the sum of the cases); else that sum. */
  double ms = sr->elapsed_ms > 0 ? sr->elapsed_ms : c->endpoint_ms;
  const char *name =
      sr->spec && sr->spec->name && sr->spec->name[0] ? sr->spec->name : "spec";
  al_buf_reset(b);
  enum al_code rc = al_buf_append_str(b, "  <testsuite");
  if (rc == AL_OK)
    rc = put_attr(b, report, "name", name);
  if (rc == AL_OK)
    rc = al_buf_printf(b, " package=\"apilint\" id=\"%zu\" timestamp=\"%s\"",
                       id, stamp);
  if (rc == AL_OK)
    rc = put_attr(b, report, "hostname",
                  report->hostname[0] ? report->hostname : "localhost");
  if (rc == AL_OK)
    rc = al_buf_printf(b,
                       " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
                       "skipped=\"%zu\" time=\"%.3f\">\n",
                       c->tests, c->failures, c->errors, c->skipped,
                       ms / 1000.0);
  if (rc == AL_OK)
    rc = put_properties(b, report, sr);
  if (rc == AL_OK && fwrite(b->data, 1, b->len, j->out) != b->len)
    rc = AL_E_IO;
  al_buf_reset(b);
  return rc;
}

/* Writes suite 'id' whole: head with counts, testcases, system-out. */
static enum al_code put_suite(struct junit_state *j, size_t id)
{
  const struct suite_part *p = &j->parts[id];
  enum al_code rc = put_suite_head(j, id);
  if (rc == AL_OK)
    rc = al_report_copy_range(j->cases, p->cases_from, p->cases_to, j->out);
  if (rc == AL_OK && fputs("    <system-out>", j->out) == EOF)
    rc = AL_E_IO;
  if (rc == AL_OK)
    rc = al_report_copy_range(j->sysout, p->sysout_from, p->sysout_to, j->out);
  if (rc == AL_OK && fputs("</system-out>\n    <system-err></system-err>\n"
                           "  </testsuite>\n",
                           j->out) == EOF)
    rc = AL_E_IO;
  return rc;
}

static enum al_code junit_begin(FILE *out, const struct al_report *report,
                                const struct al_report_opts *opts, void **state)
{
  (void)opts;
  struct junit_state *j = calloc(1, sizeof *j);
  if (!j)
    return AL_E_NOMEM;
  *state = j;
  j->out = out;
  j->report = report;
  al_buf_init(&j->b);
  j->parts =
      calloc(report->spec_count ? report->spec_count : 1, sizeof *j->parts);
  if (!j->parts)
    return AL_E_NOMEM;
  for (size_t i = 0; i < report->spec_count; i++)
    j->parts[i].first_passing = 1;
  /* tmpfile(): unnamed where the C library can (O_TMPFILE), and removed
   * on close or exit in any case. */
  j->cases = tmpfile();
  j->sysout = tmpfile();
  if (!j->cases || !j->sysout)
    return AL_E_IO;
  return AL_OK;
}

/* Appends the buffer to 'f', which holds '*len' bytes, and extends the
 * range [*from, *to) to cover it ('*from' set when the range is still
 * empty). */
static enum al_code append_part(FILE *f, long *len, struct al_buf *b,
                                long *from, long *to)
{
  long at = *len;
  if (*to <= *from)
    *from = at;
  if (b->len > 0 && fwrite(b->data, 1, b->len, f) != b->len)
    return AL_E_IO;
  *len = *to = at + (long)b->len;
  al_buf_reset(b);
  return AL_OK;
}

static enum al_code junit_endpoint(void *state,
                                   const struct al_report_item *item)
{
  struct junit_state *j = state;
  const struct al_endpoint_result *er = item->result;
  if (item->spec_index >= j->report->spec_count)
    return AL_E_INTERNAL;
  struct suite_part *p = &j->parts[item->spec_index];
  count_endpoint(j->report, er, &p->counts);
  al_buf_reset(&j->b);
  enum al_code rc = put_testcases(&j->b, j->report, item->spec, er);
  if (rc == AL_OK)
    rc = append_part(j->cases, &j->cases_len, &j->b, &p->cases_from,
                     &p->cases_to);
  if (rc == AL_OK)
    rc = put_passing_findings(&j->b, j->report, item->spec, er, NULL,
                              &p->first_passing);
  for (size_t k = 0; rc == AL_OK && k < er->probe_count; k++)
    rc = put_passing_findings(&j->b, j->report, item->spec, er, &er->probes[k],
                              &p->first_passing);
  if (rc == AL_OK)
    rc = append_part(j->sysout, &j->sysout_len, &j->b, &p->sysout_from,
                     &p->sysout_to);
  return rc;
}

static enum al_code junit_end(void *state)
{
  struct junit_state *j = state;
  enum al_code rc = AL_OK;
  if (fflush(j->cases) != 0 || fflush(j->sysout) != 0)
    rc = AL_E_IO;
  if (rc == AL_OK &&
      fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n",
            j->out) == EOF)
    rc = AL_E_IO;
  for (size_t i = 0; rc == AL_OK && i < j->report->spec_count; i++)
    rc = put_suite(j, i);
  if (rc == AL_OK && fputs("</testsuites>\n", j->out) == EOF)
    rc = AL_E_IO;
  if (rc == AL_OK && ferror(j->out))
    rc = AL_E_IO;
  return rc;
}

static void junit_free(void *state)
{
  struct junit_state *j = state;
  if (!j)
    return;
  if (j->cases)
    fclose(j->cases);
  if (j->sysout)
    fclose(j->sysout);
  free(j->parts);
  al_buf_cleanup(&j->b);
  free(j);
}

const struct al_reporter_ops al_reporter_junit = {
    "junit", junit_begin, junit_endpoint, junit_end, junit_free,
};

/* The whole-report signature (report.h): a collected report replayed
 * through this reporter. Here, not in report.c, so report.c never names a
 * reporter (no report <-> report_* cycle). */
enum al_code al_report_write_junit(FILE *out, const struct al_report *report,
                                   const struct al_report_opts *opts)
{
  return al_report_replay(&al_reporter_junit, out, report, opts);
}
