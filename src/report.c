/* report.c - what the reporters share: the summary counts, text cleaning
 * (secrets masked, output always valid UTF-8 and legal XML), the
 * compiler-style finding line, the replay of a collected report through a
 * streaming reporter, and the whole-or-nothing file writer on outfile.c. */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "outfile.h"
#include "request.h"
#include "response.h"

int al_report_fails(const struct al_report *report, const struct al_finding *f)
{
  return !f->suppressed && f->severity != AL_SEV_NONE &&
         f->severity >= report->fail_on;
}

/* A server that answered only with 1xx (informational-as-final) did
 * answer: the endpoint is reached, its finding is a failure, not a
 * transport error, and exit status 3 ("nothing reached") would mislead. */
static int answered(const struct al_response *res)
{
  return res && (res->received || res->interim_count > 0);
}

int al_report_reached(const struct al_endpoint_result *er)
{
  return answered(er->response);
}

int al_report_probe_reached(const struct al_probe_result *pr)
{
  return answered(pr->response);
}

const char *al_report_endpoint_name(const struct al_endpoint_result *er)
{
  if (er->endpoint && er->endpoint->name)
    return er->endpoint->name;
  if (er->request && er->request->url)
    return er->request->url;
  return "?";
}

const char *al_report_endpoint_method(const struct al_endpoint_result *er)
{
  if (er->request && er->request->method)
    return er->request->method;
  if (er->endpoint && er->endpoint->method)
    return er->endpoint->method;
  return "?";
}

const char *al_report_endpoint_url(const struct al_endpoint_result *er)
{
  if (er->request && er->request->url)
    return er->request->url;
  if (er->endpoint && er->endpoint->url)
    return er->endpoint->url;
  return "";
}

static void count_finding(struct al_report_summary *s,
                          const struct al_report *report,
                          const struct al_finding *f)
{
  switch (f->severity) {
  case AL_SEV_ERROR:
    s->errors++;
    break;
  case AL_SEV_WARNING:
    s->warnings++;
    break;
  case AL_SEV_INFO:
    s->infos++;
    break;
  default:
    break;
  }
  if (al_report_fails(report, f))
    s->failing++;
  if (f->suppressed)
    s->suppressed++;
}

static void count_results(struct al_report_summary *s,
                          const struct al_report *report,
                          const struct al_rule_result *results, size_t n)
{
  for (size_t k = 0; k < n; k++)
    for (size_t m = 0; m < results[k].finding_count; m++)
      count_finding(s, report, &results[k].findings[m]);
}

void al_report_summary_add(struct al_report_summary *sum,
                           const struct al_report *report,
                           const struct al_endpoint_result *er)
{
  sum->endpoints++;
  if (al_report_reached(er))
    sum->reached++;
  else
    sum->transport_errors++;
  count_results(sum, report, er->results, er->result_count);
  for (size_t k = 0; k < er->probe_count; k++) {
    const struct al_probe_result *pr = &er->probes[k];
    sum->probe_requests += pr->sent_count;
    count_results(sum, report, pr->results, pr->result_count);
  }
}

void al_report_summarize(const struct al_report *report,
                         struct al_report_summary *out)
{
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < report->spec_count; i++) {
    const struct al_spec_result *sr = &report->specs[i];
    for (size_t j = 0; j < sr->endpoint_count; j++)
      al_report_summary_add(out, report, &sr->endpoints[j]);
  }
}

/* Bidirectional formatting characters (Unicode UAX #9: ALM, LRM, RLM, the
 * embeddings and overrides U+202A-U+202E, the isolates U+2066-U+2069) make
 * a terminal show text in another order than it is: "Trojan Source",
 * CVE-2021-42574. A server's words never get to reorder ours. */
static int is_bidi_control(unsigned cp)
{
  return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

int al_report_shows_code_point(unsigned cp)
{
  if (cp < 0x20)
    return cp == '\t' || cp == '\n' || cp == '\r';
  if (cp >= 0x7F && cp <= 0x9F)
    return 0;
  return cp != 0xFFFE && cp != 0xFFFF && !is_bidi_control(cp);
}

char *al_report_clean(const struct al_report *report, const char *text,
                      size_t len, int oneline)
{
  const struct al_redactor *r = report ? report->redactor : NULL;
  /* Most report strings (rule ids, names, URLs) need nothing: one copy. */
  if (!text || al_redact_is_plain(r, text, len))
    return al_strndup(text ? text : "", text ? len : 0);
  char *masked = al_redact_text(r, text, len);
  if (!masked)
    return NULL;
  /* Cleaning only replaces or keeps bytes, so it works in place. */
  unsigned char *s = (unsigned char *)masked;
  size_t n = strlen(masked);
  size_t i = 0;
  while (i < n) {
    unsigned cp;
    size_t step = al_utf8_decode(s + i, n - i, &cp);
    if (step == 0 || !al_report_shows_code_point(cp)) {
      size_t bad = step ? step : 1;
      for (size_t k = 0; k < bad; k++)
        s[i + k] = '?';
      i += bad;
      continue;
    }
    if (oneline && (cp == '\t' || cp == '\n' || cp == '\r'))
      s[i] = ' ';
    i += step;
  }
  return masked;
}

static const char *severity_color(enum al_severity sev)
{
  switch (sev) {
  case AL_SEV_ERROR:
    return "\033[1;31m";
  case AL_SEV_WARNING:
    return "\033[1;35m";
  case AL_SEV_INFO:
    return "\033[1;36m";
  default:
    return "\033[1m";
  }
}

enum al_code al_report_append_clean(struct al_buf *out,
                                    const struct al_report *report,
                                    const char *text, size_t len, int oneline)
{
  if (text && al_redact_is_plain(report ? report->redactor : NULL, text, len))
    return al_buf_append(out, text, len);
  char *c = al_report_clean(report, text, len, oneline);
  if (!c)
    return AL_E_NOMEM;
  enum al_code rc = al_buf_append_str(out, c);
  free(c);
  return rc;
}

/* Adds piece 's' (NULL: "", as cleaning makes it) to 'lp' unless empty. */
static void add_piece(struct al_line_pieces *lp, const char *s, int clean)
{
  if (!s || !s[0])
    return;
  if (lp->count == AL_LINE_PIECES) {
    lp->overflow = 1; /* AL_LINE_PIECES is too small for a new piece */
    return;
  }
  lp->piece[lp->count] = s;
  lp->clean[lp->count++] = (unsigned char)clean;
}

void al_report_line_pieces(struct al_line_pieces *lp,
                           const struct al_spec *spec,
                           const struct al_endpoint_result *er,
                           const struct al_probe_result *pr,
                           const struct al_finding *f, int color)
{
  const char *reset = color ? "\033[0m" : "";
  int line = er->endpoint ? er->endpoint->line : 0;
  int col = er->endpoint ? er->endpoint->col : 0;
  lp->count = 0;
  lp->overflow = 0;
  add_piece(lp, al_endpoint_file(spec, er->endpoint), 1);
  /* Line 0: the spec was made in memory (apilint check URL): no position.
   * Digits written, not printed: this runs for every finding. */
  if (line > 0) {
    size_t n = 0;
    lp->pos[n++] = ':';
    n += al_fmt_int(lp->pos + n, line);
    lp->pos[n++] = ':';
    n += al_fmt_int(lp->pos + n, col);
    lp->pos[n] = '\0';
    add_piece(lp, lp->pos, 0);
  }
  add_piece(lp, ": ", 0);
  add_piece(lp, color ? severity_color(f->severity) : "", 0);
  add_piece(lp, al_severity_name(f->severity), 0);
  add_piece(lp, reset, 0);
  add_piece(lp, ": ", 0);
  add_piece(lp, color ? "\033[1m" : "", 0);
  add_piece(lp, al_report_endpoint_name(er), 1);
  add_piece(lp, reset, 0);
  add_piece(lp, ": ", 0);
  if (pr) {
    /* The probe and what it sent, so the line alone says which of the
     * endpoint's extra requests got this answer. */
    add_piece(lp, "probe ", 0);
    add_piece(lp, pr->probe, 1);
    if (pr->sent && pr->sent[0]) {
      add_piece(lp, " (", 0);
      add_piece(lp, pr->sent, 1);
      add_piece(lp, ")", 0);
    }
    add_piece(lp, ": ", 0);
  }
  add_piece(lp, f->message, 1);
  add_piece(lp, " [", 0);
  add_piece(lp, f->rule_id, 1);
  add_piece(lp, "]", 0);
  /* What a baseline made of it (baseline.h), on the line itself, so a
   * grep of the log tells a suppressed finding from a failing one. */
  if (f->suppressed) {
    add_piece(lp, " (suppressed by the baseline", 0);
    if (f->baseline_reason) {
      add_piece(lp, ": ", 0);
      add_piece(lp, f->baseline_reason, 1);
    }
    add_piece(lp, ")", 0);
  } else if (f->baseline_expired) {
    add_piece(lp, " (baseline entry expired on ", 0);
    add_piece(lp, f->baseline_expired, 0);
    add_piece(lp, ": fails again)", 0);
  }
}

enum al_code al_report_append_pieces(struct al_buf *out,
                                     const struct al_report *report,
                                     const struct al_line_pieces *lp)
{
  enum al_code rc = lp->overflow ? AL_E_INTERNAL : AL_OK;
  for (size_t i = 0; rc == AL_OK && i < lp->count; i++) {
    const char *s = lp->piece[i];
    rc = lp->clean[i] ? al_report_append_clean(out, report, s, strlen(s), 1)
                      : al_buf_append_str(out, s);
  }
  return rc;
}

/* Both finding lines; 'pr' NULL for the endpoint's own findings. */
static enum al_code finding_line(struct al_buf *out,
                                 const struct al_report *report,
                                 const struct al_spec *spec,
                                 const struct al_endpoint_result *er,
                                 const struct al_probe_result *pr,
                                 const struct al_finding *f, int color)
{
  struct al_line_pieces lp;
  al_report_line_pieces(&lp, spec, er, pr, f, color);
  return al_report_append_pieces(out, report, &lp);
}

enum al_code al_report_finding_line(struct al_buf *out,
                                    const struct al_report *report,
                                    const struct al_spec *spec,
                                    const struct al_endpoint_result *er,
                                    const struct al_finding *f, int color)
{
  return finding_line(out, report, spec, er, NULL, f, color);
}

enum al_code al_report_probe_finding_line(struct al_buf *out,
                                          const struct al_report *report,
                                          const struct al_spec *spec,
                                          const struct al_endpoint_result *er,
                                          const struct al_probe_result *pr,
                                          const struct al_finding *f, int color)
{
  return finding_line(out, report, spec, er, pr, f, color);
}

enum al_code al_report_replay(const struct al_reporter_ops *ops, FILE *out,
                              const struct al_report *report,
                              const struct al_report_opts *opts)
{
  static const struct al_report_opts defaults = {0, 0, 0, NULL};
  /* A collected report's totals are known up front; a copy carries them
   * so the caller's report stays const. */
  struct al_report copy = *report;
  al_report_summarize(report, &copy.summary);
  if (copy.planned == 0)
    copy.planned = copy.summary.endpoints;
  for (size_t i = 0; i < copy.spec_count; i++)
    if (copy.specs[i].planned < copy.specs[i].endpoint_count)
      copy.specs[i].planned = copy.specs[i].endpoint_count;
  void *state = NULL;
  enum al_code rc = ops->begin(out, &copy, opts ? opts : &defaults, &state);
  if (rc != AL_OK)
    return rc;
  for (size_t i = 0; rc == AL_OK && i < copy.spec_count; i++) {
    const struct al_spec_result *sr = &copy.specs[i];
    for (size_t j = 0; rc == AL_OK && j < sr->endpoint_count; j++) {
      struct al_report_item item = {i, sr->spec, j, &sr->endpoints[j]};
      rc = ops->endpoint(state, &item);
    }
  }
  if (rc == AL_OK)
    rc = ops->end(state);
  ops->free(state);
  if (rc == AL_OK && ferror(out))
    rc = AL_E_IO;
  return rc;
}

enum al_code al_report_write_file(const char *path, al_report_write_fn fn,
                                  const struct al_report *report,
                                  const struct al_report_opts *opts,
                                  struct al_err *err)
{
  struct al_outfile *o = NULL;
  enum al_code rc = al_outfile_open(path, &o, err);
  if (rc != AL_OK)
    return rc;
  errno = 0;
  rc = fn(al_outfile_stream(o), report, opts);
  if (rc != AL_OK) {
    int e = errno;
    al_outfile_abort(o);
    return al_err_set(err, rc, path, 0, 0, "cannot write the report: %s",
                      rc == AL_E_NOMEM ? "out of memory"
                      : e              ? strerror(e)
                                       : "write error");
  }
  return al_outfile_commit(o, err);
}

void al_report_init(struct al_report *report)
{
  memset(report, 0, sizeof *report);
  report->fail_on = AL_SEV_ERROR;
}

void al_report_cleanup(struct al_report *report)
{
  if (!report)
    return;
  for (size_t i = 0; i < report->spec_count; i++) {
    struct al_spec_result *sr = &report->specs[i];
    for (size_t j = 0; j < sr->endpoint_count; j++)
      al_endpoint_result_cleanup(&sr->endpoints[j]);
    free(sr->endpoints);
  }
  free(report->specs);
  al_report_init(report);
}

/* Below this a range goes through stdio: the kernel path costs a few
 * system calls (fstat, flushes, seeks) that a short copy does not repay;
 * a JUnit suite's testcases are megabytes at 10,000 endpoints. */
#define KERNEL_COPY_MIN 65536

enum al_code al_report_copy_range(FILE *in, long from, long to, FILE *out)
{
  char chunk[16384];
  if (to - from >= KERNEL_COPY_MIN &&
      (from = al_stream_copy_in_kernel(in, from, to, out)) < 0)
    return AL_E_IO;
  if (to <= from)
    return AL_OK;
  if (fseek(in, from, SEEK_SET) != 0)
    return AL_E_IO;
  long left = to - from;
  while (left > 0) {
    size_t want = left < (long)sizeof chunk ? (size_t)left : sizeof chunk;
    size_t n = fread(chunk, 1, want, in);
    if (n == 0 || fwrite(chunk, 1, n, out) != n)
      return AL_E_IO;
    left -= (long)n;
  }
  return AL_OK;
}
