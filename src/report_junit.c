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

/* What one byte of a string asks of put_text: nothing (copied), an entity
 * (markup), or the whole of put_xml (a control byte, a byte past ASCII, or
 * the first byte of a secret value: cleaning may change the string). */
enum xml_byte { XML_COPY = 0, XML_MARKUP = 1, XML_LOOK = 2 };

/* The endpoints of a run mostly check the same rules in the same order:
 * the names of the last endpoint's testcases that needed no escaping, by
 * index, so an equal name (one strcmp) is copied without a look at each
 * of its bytes. */
#define KNOWN_NAMES 64

/* The class of every byte, for the redactor as it was with 'values' secret
 * values: secrets are added while a run goes on (a credential header seen
 * in an answer), and the table is made again when one is (and the known
 * names forgotten: one may hold the new secret's first byte). */
struct xml_bytes {
  unsigned char of[256];
  size_t values;
  int ready;
  char *known[KNOWN_NAMES]; /* owned; NULL = none */
  size_t known_len[KNOWN_NAMES];
};

static void forget_names(struct xml_bytes *t)
{
  for (size_t i = 0; i < KNOWN_NAMES; i++) {
    free(t->known[i]);
    t->known[i] = NULL;
  }
}

static void xml_bytes_update(struct xml_bytes *t, const struct al_redactor *r)
{
  size_t values = r ? r->value_count : 0;
  if (t->ready && t->values == values)
    return;
  forget_names(t);
  for (int c = 0; c < 256; c++)
    t->of[c] = c < 0x20 || c > 0x7e ? XML_LOOK : XML_COPY;
  t->of['&'] = t->of['<'] = t->of['>'] = XML_MARKUP;
  t->of['"'] = t->of['\''] = XML_MARKUP;
  /* After the markup: a secret starting with '&' is still looked at. */
  for (int c = 0; r && c < 256; c++)
    if (r->starts[c])
      t->of[c] = XML_LOOK;
  t->values = values;
  t->ready = 1;
}

/* One piece of markup being written: where to, for which report, and
 * (while an endpoint is written) which endpoint. */
struct writer {
  struct al_buf *b;
  const struct al_report *report;
  struct xml_bytes *bytes;
  const struct al_spec *spec;
  const struct al_endpoint_result *er;
  struct al_buf *line; /* scratch: a finding's line */
  /* '" classname="SPEC.ENDPOINT" time="0.000"/>\n', the end of a passing
   * testcase without a time; its first 'classname_len' bytes end the name
   * attribute of any testcase of the endpoint. */
  struct al_buf *tail;
  size_t classname_len;
};

/* What the bytes of 's' ask of the writer, all together (enum xml_byte
 * flags), and its length in '*len'. */
static unsigned xml_needs(const struct xml_bytes *t, const char *s, size_t *len)
{
  unsigned need = XML_COPY;
  size_t n = 0;
  for (; s[n]; n++)
    need |= t->of[(unsigned char)s[n]];
  *len = n;
  return need;
}

/* put_xml for 'w': the same bytes, but a string of bytes that need
 * neither cleaning nor escaping (most: rule ids, names, finding lines) is
 * copied in one piece after one look at each byte. */
static enum al_code put_text(const struct writer *w, const char *s, int attr)
{
  if (!s)
    return AL_OK; /* put_xml writes nothing for NULL */
  size_t len;
  unsigned need = xml_needs(w->bytes, s, &len);
  if (need & XML_LOOK)
    return put_xml(w->b, w->report, s, attr);
  if (need & XML_MARKUP)
    return put_escaped(w->b, s, attr);
  return al_buf_append(w->b, s, len);
}

/* name="value" with a leading space. */
static enum al_code put_attr(const struct writer *w, const char *name,
                             const char *value)
{
  enum al_code rc = al_buf_append_char(w->b, ' ');
  if (rc == AL_OK)
    rc = al_buf_append_str(w->b, name);
  if (rc == AL_OK)
    rc = al_buf_append(w->b, "=\"", 2);
  if (rc == AL_OK)
    rc = put_text(w, value, 1);
  if (rc == AL_OK)
    rc = al_buf_append_char(w->b, '"');
  return rc;
}

/* time="S.mmm": what "%.3f" prints (al_buf_append_fixed3); most cases
 * are 0.000. */
static enum al_code put_seconds(struct al_buf *b, double seconds)
{
  if (!(seconds > 0.0)) /* 0, and never a negative or NaN time */
    return al_buf_append_str(b, " time=\"0.000\"");
  enum al_code rc = al_buf_append_str(b, " time=\"");
  if (rc == AL_OK)
    rc = al_buf_append_fixed3(b, seconds);
  if (rc == AL_OK)
    rc = al_buf_append_char(b, '"');
  return rc;
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
static enum al_code put_finding_text(const struct writer *w,
                                     const struct al_probe_result *pr,
                                     const struct al_finding *f)
{
  struct al_buf *line = w->line;
  al_buf_reset(line);
  enum al_code rc =
      pr ? al_report_probe_finding_line(line, w->report, w->spec, w->er, pr, f,
                                        0)
         : al_report_finding_line(line, w->report, w->spec, w->er, f, 0);
  if (rc == AL_OK)
    rc = put_text(w, al_buf_str(line), 0);
  if (rc == AL_OK)
    rc = al_buf_append_char(w->b, '\n');
  if (rc == AL_OK && f->evidence && f->evidence[0]) {
    rc = al_buf_append_str(w->b, "evidence: ");
    if (rc == AL_OK)
      rc = put_text(w, f->evidence, 0);
    if (rc == AL_OK)
      rc = al_buf_append_char(w->b, '\n');
  }
  return rc;
}

/* The text of a <failure> or <error>: every finding of the rule. */
static enum al_code put_findings_text(const struct writer *w,
                                      const struct al_probe_result *pr,
                                      const struct al_rule_result *rr)
{
  enum al_code rc = AL_OK;
  for (size_t i = 0; rc == AL_OK && i < rr->finding_count; i++)
    rc = put_finding_text(w, pr, &rr->findings[i]);
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

/* The element inside a testcase of kind 'kind' (not TC_PASS). */
static enum al_code put_outcome(const struct writer *w,
                                const struct al_probe_result *pr,
                                const struct al_rule_result *rr,
                                enum tc_kind kind)
{
  struct al_buf *b = w->b;
  enum al_code rc = AL_OK;
  const char *tag = NULL;
  switch (kind) {
  case TC_PASS:
    return AL_OK;
  case TC_SKIPPED:
    return al_buf_append_str(b, "      <skipped message=\"rule disabled\"/>\n");
  case TC_FAIL:
    tag = "failure";
    rc = al_buf_append_str(b, "      <failure");
    if (rc == AL_OK)
      rc = put_attr(w, "type", rr->rule_id);
    if (rc == AL_OK)
      rc = put_attr(w, "message", failure_message(w->report, rr));
    break;
  case TC_ERROR:
    tag = "error";
    rc = al_buf_append_str(b, "      <error type=\"transport-error\"");
    if (rc == AL_OK)
      rc = put_attr(w, "message",
                    error_message(pr ? pr->response : w->er->response, rr));
    break;
  }
  if (rc == AL_OK)
    rc = al_buf_append_char(b, '>');
  if (rc == AL_OK)
    rc = put_findings_text(w, pr, rr);
  if (rc == AL_OK)
    rc = al_buf_append(b, "</", 2);
  if (rc == AL_OK)
    rc = al_buf_append_str(b, tag);
  if (rc == AL_OK)
    rc = al_buf_append(b, ">\n", 2);
  return rc;
}

static const char testcase_open[] = "    <testcase name=\"";

/* '    <testcase name="NAME" classname="...", the start every testcase of
 * the endpoint shares. */
static enum al_code put_testcase_start(const struct writer *w, const char *name)
{
  enum al_code rc =
      al_buf_append(w->b, testcase_open, sizeof testcase_open - 1);
  if (rc == AL_OK)
    rc = put_text(w, name, 1);
  if (rc == AL_OK)
    rc = al_buf_append(w->b, w->tail->data, w->classname_len);
  return rc;
}

/* The length of 'name' when it is written as it is (no byte to escape or
 * clean), else (size_t)-1. 'slot' is the index of the endpoint's own
 * testcase (KNOWN_NAMES or more: none), whose last name is kept. */
static size_t plain_length(const struct writer *w, size_t slot,
                           const char *name)
{
  struct xml_bytes *t = w->bytes;
  if (slot < KNOWN_NAMES && t->known[slot] && strcmp(t->known[slot], name) == 0)
    return t->known_len[slot];
  size_t len;
  if (xml_needs(t, name, &len) != XML_COPY)
    return (size_t)-1;
  if (slot < KNOWN_NAMES) {
    /* Out of memory only means not remembered. */
    free(t->known[slot]);
    t->known[slot] = al_strndup(name, len);
    t->known_len[slot] = len;
  }
  return len;
}

/* A passing testcase without a time, named 'name' ('slot' as for
 * plain_length): most of them. Its name, then the endpoint's ready-made
 * end, in one piece when the name is written as it is. */
static enum al_code put_plain_testcase(const struct writer *w, size_t slot,
                                       const char *name)
{
  struct al_buf *b = w->b;
  size_t len = name ? plain_length(w, slot, name) : (size_t)-1;
  if (len == (size_t)-1) {
    enum al_code rc = al_buf_append(b, testcase_open, sizeof testcase_open - 1);
    if (rc == AL_OK)
      rc = put_text(w, name, 1);
    if (rc == AL_OK)
      rc = al_buf_append(b, w->tail->data, w->tail->len);
    return rc;
  }
  size_t size = sizeof testcase_open - 1 + len + w->tail->len;
  if (al_buf_reserve(b, size) != AL_OK)
    return AL_E_NOMEM;
  char *p = b->data + b->len;
  memcpy(p, testcase_open, sizeof testcase_open - 1);
  memcpy(p + sizeof testcase_open - 1, name, len);
  memcpy(p + sizeof testcase_open - 1 + len, w->tail->data, w->tail->len + 1);
  b->len += size; /* the NUL came with the tail */
  return AL_OK;
}

/* One <testcase> named 'name' for rule result 'rr' of the endpoint ('pr'
 * NULL) or of one of its probe entries ('slot' as for plain_length). */
static enum al_code put_testcase(const struct writer *w,
                                 const struct al_probe_result *pr,
                                 const struct al_rule_result *rr,
                                 const char *name, double seconds, size_t slot)
{
  struct al_buf *b = w->b;
  enum tc_kind kind = classify(w->report, rr);
  if (kind == TC_PASS && !(seconds > 0.0))
    return put_plain_testcase(w, slot, name);
  enum al_code rc = put_testcase_start(w, name);
  if (rc == AL_OK)
    rc = put_seconds(b, seconds);
  if (rc != AL_OK)
    return rc;
  if (kind == TC_PASS)
    return al_buf_append_str(b, "/>\n");
  rc = al_buf_append_str(b, ">\n");
  if (rc == AL_OK)
    rc = put_outcome(w, pr, rr, kind);
  if (rc == AL_OK)
    rc = al_buf_append_str(b, "    </testcase>\n");
  return rc;
}

/* The testcases of one probe entry: "RULE-ID (probe NAME: SENT)" for each
 * rule result, or a skipped "probe NAME" saying why nothing was sent. */
static enum al_code put_probe_testcases(const struct writer *w,
                                        const struct al_probe_result *pr)
{
  struct al_buf name;
  al_buf_init(&name);
  enum al_code rc = AL_OK;
  if (pr->note) {
    rc = al_buf_printf(&name, "probe %s", pr->probe ? pr->probe : "?");
    if (rc == AL_OK)
      rc = put_testcase_start(w, al_buf_str(&name));
    if (rc == AL_OK)
      rc = al_buf_append_str(w->b, " time=\"0.000\">\n      <skipped");
    if (rc == AL_OK)
      rc = put_attr(w, "message", pr->note);
    if (rc == AL_OK)
      rc = al_buf_append_str(w->b, "/>\n    </testcase>\n");
  }
  double first_s = pr->response ? pr->response->elapsed_ms / 1000.0 : 0.0;
  for (size_t k = 0; rc == AL_OK && k < pr->result_count; k++) {
    const struct al_rule_result *rr = &pr->results[k];
    /* "%s (probe %s: %s)" by appends: a probe run writes tens of these
     * an endpoint, and a printf costs ten times as much. */
    al_buf_reset(&name);
    const char *parts[] = {rr->rule_id ? rr->rule_id : "?", " (probe ",
                           pr->probe ? pr->probe : "?",     ": ",
                           pr->sent ? pr->sent : "",        ")"};
    for (size_t i = 0; rc == AL_OK && i < sizeof parts / sizeof *parts; i++)
      rc = al_buf_append_str(&name, parts[i]);
    if (rc == AL_OK)
      rc = put_testcase(w, pr, rr, al_buf_str(&name), k == 0 ? first_s : 0.0,
                        KNOWN_NAMES);
  }
  al_buf_cleanup(&name);
  return rc;
}

/* Makes w->tail for the endpoint: its classname, cleaned and escaped once
 * for all its testcases, and the end of a passing one. */
static enum al_code make_tail(struct writer *w)
{
  struct al_buf classname;
  al_buf_init(&classname);
  const char *spec_name = w->spec && w->spec->name ? w->spec->name : "spec";
  enum al_code rc = al_buf_append_str(&classname, spec_name);
  if (rc == AL_OK)
    rc = al_buf_append_char(&classname, '.');
  if (rc == AL_OK)
    rc = al_buf_append_str(&classname, al_report_endpoint_name(w->er));
  struct writer into = *w;
  into.b = w->tail;
  al_buf_reset(w->tail);
  if (rc == AL_OK)
    rc = al_buf_append_str(w->tail, "\" classname=\"");
  if (rc == AL_OK)
    rc = put_text(&into, al_buf_str(&classname), 1);
  if (rc == AL_OK)
    rc = al_buf_append_char(w->tail, '"');
  w->classname_len = w->tail->len;
  if (rc == AL_OK)
    rc = al_buf_append_str(w->tail, " time=\"0.000\"/>\n");
  al_buf_cleanup(&classname);
  return rc;
}

static enum al_code put_testcases(struct writer *w)
{
  const struct al_endpoint_result *er = w->er;
  enum al_code rc = make_tail(w);
  double first_s = er->response ? er->response->elapsed_ms / 1000.0 : 0.0;
  for (size_t k = 0; rc == AL_OK && k < er->result_count; k++) {
    const struct al_rule_result *rr = &er->results[k];
    rc = put_testcase(w, NULL, rr, rr->rule_id, k == 0 ? first_s : 0.0, k);
  }
  for (size_t k = 0; rc == AL_OK && k < er->probe_count; k++)
    rc = put_probe_testcases(w, &er->probes[k]);
  return rc;
}

/* Findings below --fail-on pass their testcase; they are listed in
 * <system-out> so a CI page still shows them. The findings of passing
 * testcases among the endpoint's results ('pr' NULL) or a probe entry's,
 * after the heading when they are the first. */
static enum al_code put_passing_findings(const struct writer *w,
                                         const struct al_probe_result *pr,
                                         int *first)
{
  const struct al_endpoint_result *er = w->er;
  const struct al_report *report = w->report;
  const struct al_rule_result *results = pr ? pr->results : er->results;
  size_t count = pr ? pr->result_count : er->result_count;
  enum al_code rc = AL_OK;
  for (size_t k = 0; rc == AL_OK && k < count; k++) {
    const struct al_rule_result *rr = &results[k];
    /* A failing or erring rule shows all its findings in its element. */
    if (rr->finding_count == 0 || classify(report, rr) != TC_PASS)
      continue;
    for (size_t i = 0; rc == AL_OK && i < rr->finding_count; i++) {
      if (*first) {
        rc = al_buf_printf(w->b, "\nbelow --fail-on %s%s (not failing):\n",
                           al_severity_name(report->fail_on),
                           report->baseline ? " or suppressed by the baseline"
                                            : "");
        *first = 0;
      }
      if (rc == AL_OK)
        rc = put_finding_text(w, pr, &rr->findings[i]);
    }
  }
  return rc;
}

static enum al_code put_property(const struct writer *w, const char *name,
                                 const char *value)
{
  enum al_code rc = al_buf_printf(w->b, "      <property name=\"%s\"", name);
  if (rc == AL_OK)
    rc = put_attr(w, "value", value);
  if (rc == AL_OK)
    rc = al_buf_append_str(w->b, "/>\n");
  return rc;
}

static enum al_code put_properties(const struct writer *w,
                                   const struct al_spec_result *sr)
{
  const struct al_report *report = w->report;
  const struct al_spec *spec = sr->spec;
  enum al_code rc = al_buf_append_str(w->b, "    <properties>\n");
  if (rc == AL_OK)
    rc = put_property(w, "apilint.version", AL_VERSION);
  if (rc == AL_OK)
    rc = put_property(w, "apilint.fail-on", al_severity_name(report->fail_on));
  if (rc == AL_OK && spec && spec->path)
    rc = put_property(w, "apilint.spec", spec->path);
  if (rc == AL_OK && sr->base_url)
    rc = put_property(w, "apilint.base-url", sr->base_url);
  if (rc == AL_OK && report->started[0])
    rc = put_property(w, "apilint.started", report->started);
  /* Only an interrupted run says so: CI tools show properties, and a
   * partial report must never pass for a complete one. */
  if (rc == AL_OK && report->interrupted) {
    rc = put_property(w, "apilint.interrupted",
                      report->interrupted == 15 ? "SIGTERM" : "SIGINT");
    if (rc == AL_OK)
      rc = al_buf_printf(w->b,
                         "      <property name=\"apilint.endpoints-done\" "
                         "value=\"%zu of %zu\"/>\n",
                         report->summary.endpoints, report->planned);
  }
  if (rc == AL_OK)
    rc = al_buf_append_str(w->b, "    </properties>\n");
  return rc;
}

/* The reporter streams. Each suite's counts must come first, in the
 * <testsuite> attributes, and whether the run was interrupted (a property
 * of every suite) is known only at the end: so the testcases and the
 * <system-out> text go to two unnamed temporary files as the endpoints
 * come, each suite's part a contiguous range (endpoints come in spec
 * order), and end() writes every suite whole from them. Memory stays flat:
 * a few numbers per spec, and what waits to be written to each part file
 * (PART_FLUSH: written in large pieces, not one per endpoint). */
#define PART_FLUSH 32768

struct suite_part {
  long cases_from, cases_to;   /* byte range in 'cases' */
  long sysout_from, sysout_to; /* byte range in 'sysout' */
  int first_passing;           /* no passing finding written yet */
  struct suite_counts counts;
};

/* A temporary part file and what is still to be written to it. */
struct part_file {
  FILE *f;           /* owned */
  long len;          /* bytes in it, the pending ones included: counted,
                        not asked with ftell, which costs an lseek */
  struct al_buf out; /* pending bytes */
};

struct junit_state {
  FILE *out; /* borrowed */
  const struct al_report *report;
  struct part_file cases;   /* every suite's testcases */
  struct part_file sysout;  /* findings below --fail-on */
  struct suite_part *parts; /* owned; one per spec */
  struct xml_bytes bytes;
  struct al_buf b;    /* the suite heads */
  struct al_buf line; /* scratch for the writer */
  struct al_buf tail; /* the endpoint's testcase end (struct writer) */
};

static struct writer writer_of(struct junit_state *j, struct al_buf *b)
{
  struct writer w = {b,    j->report, &j->bytes, NULL,
                     NULL, &j->line,  &j->tail,  0};
  return w;
}

static enum al_code put_suite_head(struct junit_state *j, size_t id)
{
  const struct al_report *report = j->report;
  const struct al_spec_result *sr = &report->specs[id];
  const struct suite_counts *c = &j->parts[id].counts;
  struct al_buf *b = &j->b;
  xml_bytes_update(&j->bytes, report->redactor);
  struct writer w = writer_of(j, b);
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
    rc = put_attr(&w, "name", name);
  if (rc == AL_OK)
    rc = al_buf_printf(b, " package=\"apilint\" id=\"%zu\" timestamp=\"%s\"",
                       id, stamp);
  if (rc == AL_OK)
    rc = put_attr(&w, "hostname",
                  report->hostname[0] ? report->hostname : "localhost");
  if (rc == AL_OK)
    rc = al_buf_printf(b,
                       " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
                       "skipped=\"%zu\" time=\"%.3f\">\n",
                       c->tests, c->failures, c->errors, c->skipped,
                       ms / 1000.0);
  if (rc == AL_OK)
    rc = put_properties(&w, sr);
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
    rc = al_report_copy_range(j->cases.f, p->cases_from, p->cases_to, j->out);
  if (rc == AL_OK && fputs("    <system-out>", j->out) == EOF)
    rc = AL_E_IO;
  if (rc == AL_OK)
    rc =
        al_report_copy_range(j->sysout.f, p->sysout_from, p->sysout_to, j->out);
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
  al_buf_init(&j->line);
  al_buf_init(&j->tail);
  al_buf_init(&j->cases.out);
  al_buf_init(&j->sysout.out);
  j->parts =
      calloc(report->spec_count ? report->spec_count : 1, sizeof *j->parts);
  if (!j->parts)
    return AL_E_NOMEM;
  for (size_t i = 0; i < report->spec_count; i++)
    j->parts[i].first_passing = 1;
  /* tmpfile(): unnamed where the C library can (O_TMPFILE), and removed
   * on close or exit in any case. */
  j->cases.f = tmpfile();
  j->sysout.f = tmpfile();
  if (!j->cases.f || !j->sysout.f)
    return AL_E_IO;
  return AL_OK;
}

/* Writes what is pending for 'p' to its file. */
static enum al_code part_flush(struct part_file *p)
{
  struct al_buf *b = &p->out;
  if (b->len > 0 && fwrite(b->data, 1, b->len, p->f) != b->len)
    return AL_E_IO;
  al_buf_reset(b);
  return AL_OK;
}

/* The bytes appended to p->out since it held 'before' join the part file:
 * the range [*from, *to) grows to cover them ('*from' set when the range
 * is still empty). Written out once enough is pending. */
static enum al_code part_added(struct part_file *p, size_t before, long *from,
                               long *to)
{
  long at = p->len;
  if (*to <= *from)
    *from = at;
  p->len = *to = at + (long)(p->out.len - before);
  return p->out.len >= PART_FLUSH ? part_flush(p) : AL_OK;
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
  xml_bytes_update(&j->bytes, j->report->redactor);
  struct writer w = writer_of(j, &j->cases.out);
  w.spec = item->spec;
  w.er = er;
  size_t before = j->cases.out.len;
  enum al_code rc = put_testcases(&w);
  if (rc == AL_OK)
    rc = part_added(&j->cases, before, &p->cases_from, &p->cases_to);
  w.b = &j->sysout.out;
  before = j->sysout.out.len;
  if (rc == AL_OK)
    rc = put_passing_findings(&w, NULL, &p->first_passing);
  for (size_t k = 0; rc == AL_OK && k < er->probe_count; k++)
    rc = put_passing_findings(&w, &er->probes[k], &p->first_passing);
  if (rc == AL_OK)
    rc = part_added(&j->sysout, before, &p->sysout_from, &p->sysout_to);
  return rc;
}

static enum al_code junit_end(void *state)
{
  struct junit_state *j = state;
  enum al_code rc = part_flush(&j->cases);
  if (rc == AL_OK)
    rc = part_flush(&j->sysout);
  if (rc == AL_OK && (fflush(j->cases.f) != 0 || fflush(j->sysout.f) != 0))
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
  if (j->cases.f)
    fclose(j->cases.f);
  if (j->sysout.f)
    fclose(j->sysout.f);
  free(j->parts);
  forget_names(&j->bytes);
  al_buf_cleanup(&j->b);
  al_buf_cleanup(&j->line);
  al_buf_cleanup(&j->tail);
  al_buf_cleanup(&j->cases.out);
  al_buf_cleanup(&j->sysout.out);
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
