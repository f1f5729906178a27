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

/* Counts one testcase of kind 'kind'. */
static void count_kind(struct suite_counts *c, enum tc_kind kind)
{
  c->tests++;
  switch (kind) {
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
 * the start of the last endpoint's testcases, '    <testcase name="NAME',
 * the name cleaned and escaped, by index, kept with the rule id it is
 * for. Rule ids are shared copies that live as long as the process
 * (finding.h, intern.h), so the same pointer is the same id: one compare
 * and the start is copied, without a look at the bytes of the name. */
#define KNOWN_NAMES 64

struct known_start {
  const char *id; /* the rule id (shared, never freed); NULL = none */
  char *text;     /* owned */
  size_t len;
};

/* The class of every byte, for the redactor as it was with 'values' secret
 * values: secrets are added while a run goes on (a credential header seen
 * in an answer), and the table is made again when one is (and the known
 * names forgotten: one may hold the new secret's first byte). */
struct xml_bytes {
  unsigned char of[256];
  size_t values;
  int ready;
  struct known_start known[KNOWN_NAMES];
};

static void forget_names(struct xml_bytes *t)
{
  for (size_t i = 0; i < KNOWN_NAMES; i++) {
    free(t->known[i].text);
    t->known[i].text = NULL;
    t->known[i].id = NULL;
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
  struct al_buf *line;         /* scratch: a finding's line, the classname */
  struct suite_counts *counts; /* of the suite the endpoint is in */
  /* '" classname="SPEC.ENDPOINT" time="0.000"/>\n', the end of a passing
   * testcase without a time; its first 'classname_len' bytes end the name
   * attribute of any testcase of the endpoint. */
  struct al_buf *tail;
  size_t classname_len;
};

/* 'an' bytes of 'a', then 'cn' of 'c': a passing testcase is these two
 * pieces. */
static enum al_code put_two(struct al_buf *b, const char *a, size_t an,
                            const char *c, size_t cn)
{
  enum al_code rc = al_buf_append(b, a, an);
  return rc == AL_OK ? al_buf_append(b, c, cn) : rc;
}

/* The 'n' pieces 'piece' of lengths 'len' one after the other, with one
 * look at the room. */
static enum al_code put_pieces(struct al_buf *b, const char *const *piece,
                               const size_t *len, size_t n)
{
  size_t total = 0;
  for (size_t i = 0; i < n; i++)
    total += len[i];
  if (al_buf_reserve(b, total) != AL_OK)
    return AL_E_NOMEM;
  for (size_t i = 0; i < n; i++) {
    memcpy(b->data + b->len, piece[i], len[i]);
    b->len += len[i];
  }
  b->data[b->len] = '\0';
  return AL_OK;
}

/* What 'n' bytes at 's' ask of the writer, all together (enum xml_byte
 * flags). Four bytes a turn: this looks at every byte of the report. */
static unsigned xml_needs_n(const struct xml_bytes *t, const char *s, size_t n)
{
  const unsigned char *u = (const unsigned char *)s;
  unsigned need = XML_COPY;
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    need |= t->of[u[i]] | t->of[u[i + 1]] | t->of[u[i + 2]] | t->of[u[i + 3]];
  for (; i < n; i++)
    need |= t->of[u[i]];
  return need;
}

/* The same for the string 's', and its length in '*len' (strlen, which
 * looks at many bytes a step, then the count). */
static unsigned xml_needs(const struct xml_bytes *t, const char *s, size_t *len)
{
  *len = strlen(s);
  return xml_needs_n(t, s, *len);
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
  static const char zero[] = " time=\"0.000\"", start[] = " time=\"";
  if (!(seconds > 0.0)) /* 0, and never a negative or NaN time */
    return al_buf_append(b, zero, sizeof zero - 1);
  enum al_code rc = al_buf_append(b, start, sizeof start - 1);
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

/* put_text over the line of 'lp' (al_report_append_pieces). When no byte
 * of the pieces asks for a look (printable ASCII where no secret can
 * start), cleaning keeps each piece and then the whole line as they are:
 * the pieces are copied into place and looked at there, once. Else the
 * copy is taken back; the pieces are escaped one by one when markup is
 * all they hold, or the line is made and written as it always was (a
 * secret may span two pieces). */
static enum al_code put_line(const struct writer *w,
                             const struct al_line_pieces *lp)
{
  struct al_buf *b = w->b;
  size_t len[AL_LINE_PIECES];
  if (lp->overflow)
    return AL_E_INTERNAL; /* as al_report_append_pieces: never a cut line */
  for (size_t i = 0; i < lp->count; i++)
    len[i] = strlen(lp->piece[i]);
  size_t mark = b->len;
  enum al_code rc = put_pieces(b, lp->piece, len, lp->count);
  if (rc != AL_OK)
    return rc;
  unsigned need = xml_needs_n(w->bytes, b->data + mark, b->len - mark);
  if (need == XML_COPY)
    return AL_OK;
  b->len = mark;
  b->data[mark] = '\0';
  if (need & XML_LOOK) {
    al_buf_reset(w->line);
    rc = al_report_append_pieces(w->line, w->report, lp);
    return rc == AL_OK ? put_text(w, al_buf_str(w->line), 0) : rc;
  }
  for (size_t i = 0; rc == AL_OK && i < lp->count; i++)
    rc = put_escaped(b, lp->piece[i], 0);
  return rc;
}

/* A finding as text: its compiler-style line, then its evidence. 'pr' is
 * the probe entry the finding is about, or NULL for the endpoint's own. */
static enum al_code put_finding_text(const struct writer *w,
                                     const struct al_probe_result *pr,
                                     const struct al_finding *f)
{
  struct al_line_pieces lp;
  al_report_line_pieces(&lp, w->spec, w->er, pr, f, 0);
  enum al_code rc = put_line(w, &lp);
  if (rc == AL_OK)
    rc = al_buf_append_char(w->b, '\n');
  if (rc == AL_OK && f->evidence && f->evidence[0]) {
    static const char label[] = "evidence: ";
    rc = al_buf_append(w->b, label, sizeof label - 1);
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

/* The kept start of the testcase of rule 'id' at index 'slot' of the
 * endpoint's results (KNOWN_NAMES or more: none kept), made when the last
 * endpoint had another rule there; NULL when there is none to keep (a
 * probe's testcase, whose name is made for it) or no memory for it. */
static const struct known_start *make_known_start(const struct writer *w,
                                                  size_t slot, const char *id)
{
  if (!id || slot >= KNOWN_NAMES)
    return NULL;
  struct known_start *k = &w->bytes->known[slot];
  struct al_buf text;
  al_buf_init(&text);
  struct writer into = *w;
  into.b = &text;
  enum al_code rc =
      al_buf_append(&text, testcase_open, sizeof testcase_open - 1);
  if (rc == AL_OK)
    rc = put_text(&into, id, 1);
  char *made = rc == AL_OK ? al_buf_detach(&text) : NULL;
  al_buf_cleanup(&text);
  if (!made)
    return NULL;
  free(k->text);
  k->text = made;
  k->len = strlen(made);
  k->id = id;
  return k;
}

static const struct known_start *known_start(const struct writer *w,
                                             size_t slot, const char *id)
{
  if (slot < KNOWN_NAMES && id && w->bytes->known[slot].id == id)
    return &w->bytes->known[slot];
  return make_known_start(w, slot, id);
}

/* '    <testcase name="NAME" classname="..."' and then the first 'end'
 * bytes of the endpoint's tail: the attributes every testcase of the
 * endpoint shares, and with the whole tail a passing testcase without a
 * time. 'k' is the kept start for 'name', or NULL. */
static enum al_code put_testcase_start(const struct writer *w,
                                       const struct known_start *k,
                                       const char *name, size_t end)
{
  if (k)
    return put_two(w->b, k->text, k->len, w->tail->data, end);
  enum al_code rc =
      al_buf_append(w->b, testcase_open, sizeof testcase_open - 1);
  if (rc == AL_OK)
    rc = put_text(w, name, 1);
  return rc == AL_OK ? al_buf_append(w->b, w->tail->data, end) : rc;
}

/* One <testcase> named 'name' for rule result 'rr' of the endpoint ('pr'
 * NULL) or of one of its probe entries ('slot' as for known_start),
 * counted in its suite. */
static enum al_code put_testcase(const struct writer *w,
                                 const struct al_probe_result *pr,
                                 const struct al_rule_result *rr,
                                 const char *name, double seconds, size_t slot)
{
  struct al_buf *b = w->b;
  enum tc_kind kind = classify(w->report, rr);
  count_kind(w->counts, kind);
  const struct known_start *k = known_start(w, slot, name);
  /* Most: passing, without a time: the start and the ready-made end. */
  if (kind == TC_PASS && !(seconds > 0.0))
    return put_testcase_start(w, k, name, w->tail->len);
  enum al_code rc = put_testcase_start(w, k, name, w->classname_len);
  if (rc == AL_OK)
    rc = put_seconds(b, seconds);
  if (rc != AL_OK)
    return rc;
  if (kind == TC_PASS)
    return al_buf_append(b, "/>\n", 3);
  rc = al_buf_append(b, ">\n", 2);
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
    /* A probe that sent nothing is one skipped testcase saying why. */
    count_kind(w->counts, TC_SKIPPED);
    rc = al_buf_printf(&name, "probe %s", pr->probe ? pr->probe : "?");
    if (rc == AL_OK)
      rc = put_testcase_start(w, NULL, al_buf_str(&name), w->classname_len);
    if (rc == AL_OK)
      rc = al_buf_append_str(w->b, " time=\"0.000\">\n      <skipped");
    if (rc == AL_OK)
      rc = put_attr(w, "message", pr->note);
    if (rc == AL_OK)
      rc = al_buf_append_str(w->b, "/>\n    </testcase>\n");
  }
  if (pr->response && pr->result_count > 0)
    w->counts->endpoint_ms += pr->response->elapsed_ms;
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

static const char tail_open[] = "\" classname=\"";
static const char tail_end[] = " time=\"0.000\"/>\n";

/* make_tail for a classname of bytes that need neither cleaning nor
 * escaping (most): its pieces copied, without making it first. Returns 0
 * (and writes nothing) for another classname. */
static int make_plain_tail(struct writer *w, const char *spec_name,
                           const char *name, enum al_code *rc)
{
  const char *piece[] = {tail_open, spec_name, ".", name, "\"", tail_end};
  size_t len[] = {sizeof tail_open - 1, 0, 1, 0, 1, sizeof tail_end - 1};
  if ((xml_needs(w->bytes, spec_name, &len[1]) |
       xml_needs(w->bytes, name, &len[3]) | w->bytes->of['.']) != XML_COPY)
    return 0;
  al_buf_reset(w->tail);
  *rc = put_pieces(w->tail, piece, len, sizeof len / sizeof *len);
  w->classname_len = *rc == AL_OK ? w->tail->len - len[5] : 0;
  return 1;
}

/* Makes w->tail for the endpoint: its classname, cleaned and escaped once
 * for all its testcases, and the end of a passing one. */
static enum al_code make_tail(struct writer *w)
{
  const char *spec_name = w->spec && w->spec->name ? w->spec->name : "spec";
  const char *name = al_report_endpoint_name(w->er);
  enum al_code rc = AL_OK;
  if (make_plain_tail(w, spec_name, name, &rc))
    return rc;
  struct al_buf *classname = w->line; /* scratch until a finding's line */
  al_buf_reset(classname);
  rc = al_buf_append_str(classname, spec_name);
  if (rc == AL_OK)
    rc = al_buf_append_char(classname, '.');
  if (rc == AL_OK)
    rc = al_buf_append_str(classname, name);
  struct writer into = *w;
  into.b = w->tail;
  al_buf_reset(w->tail);
  if (rc == AL_OK)
    rc = al_buf_append(w->tail, tail_open, sizeof tail_open - 1);
  if (rc == AL_OK)
    rc = put_text(&into, al_buf_str(classname), 1);
  if (rc == AL_OK)
    rc = al_buf_append_char(w->tail, '"');
  w->classname_len = w->tail->len;
  if (rc == AL_OK)
    rc = al_buf_append(w->tail, tail_end, sizeof tail_end - 1);
  return rc;
}

/* The endpoint's testcases, counted in its suite. */
static enum al_code put_testcases(struct writer *w)
{
  const struct al_endpoint_result *er = w->er;
  if (er->response && er->result_count > 0)
    w->counts->endpoint_ms += er->response->elapsed_ms;
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
  struct writer w = {b,        j->report, &j->bytes, NULL, NULL,
                     &j->line, NULL,      &j->tail,  0};
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
  xml_bytes_update(&j->bytes, j->report->redactor);
  struct writer w = writer_of(j, &j->cases.out);
  w.spec = item->spec;
  w.er = er;
  w.counts = &p->counts;
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
