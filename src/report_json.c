/* report_json.c - the machine-readable report (CONTRACT.md "Reports"): a
 * summary and one flat array of endpoints in spec order, each with its
 * findings and the rule ids that passed or were skipped, then its probe
 * entries with theirs; every finding says its level and source. Every
 * string is cleaned (secrets masked, valid UTF-8) before it is written.
 *
 * The JSON is written directly, one endpoint object into a buffer and the
 * buffer to the file, in the layout cJSON_Print used (tabs, one member a
 * line, arrays on one line): building a cJSON tree per endpoint and
 * printing it cost more than the request (80,000 instructions an
 * endpoint). */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "response.h"

/* ---- a small JSON writer ---- */

#define JW_DEPTH 16 /* the report nests 6 deep */

/* Writes JSON text into 'out'. The first failure sticks in 'rc' and turns
 * later calls into no-ops, so callers check once at the end. */
struct jw {
  struct al_buf *out;
  const struct al_report *report; /* for cleaning strings */
  int indent;                     /* tabs before depth 0's members */
  int depth;                      /* open containers */
  size_t count[JW_DEPTH];         /* members so far, per open container */
  int is_object[JW_DEPTH];
  enum al_code rc;
};

static void jw_init(struct jw *w, struct al_buf *out,
                    const struct al_report *report, int indent)
{
  memset(w, 0, sizeof *w);
  w->out = out;
  w->report = report;
  w->indent = indent;
  w->rc = AL_OK;
}

static void jw_put(struct jw *w, const char *s, size_t len)
{
  if (w->rc == AL_OK)
    w->rc = al_buf_append(w->out, s, len);
}

static void jw_puts(struct jw *w, const char *s)
{
  jw_put(w, s, strlen(s));
}

static void jw_tabs(struct jw *w, int n)
{
  static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
  jw_put(w, tabs, (size_t)(n < 16 ? n : 16));
}

/* Before a value: inside an array, the separator from the one before. */
static void jw_value(struct jw *w)
{
  if (w->depth > 0 && !w->is_object[w->depth - 1] &&
      w->count[w->depth - 1]++ > 0)
    jw_put(w, ", ", 2);
}

/* A member's key: its own line in the innermost (object) container. */
static void jw_key(struct jw *w, const char *key)
{
  if (w->depth == 0)
    return;
  if (w->count[w->depth - 1]++)
    jw_put(w, ",", 1);
  jw_put(w, "\n", 1);
  jw_tabs(w, w->indent + w->depth);
  jw_put(w, "\"", 1);
  jw_puts(w, key); /* keys are ours: plain ASCII */
  jw_put(w, "\":\t", 3);
}

static void jw_open(struct jw *w, int object)
{
  jw_value(w);
  if (w->depth == JW_DEPTH) {
    w->rc = AL_E_INTERNAL;
    return;
  }
  jw_put(w, object ? "{" : "[", 1);
  w->count[w->depth] = 0;
  w->is_object[w->depth] = object;
  w->depth++;
}

static void jw_close(struct jw *w)
{
  if (w->depth == 0)
    return;
  w->depth--;
  if (!w->is_object[w->depth]) {
    jw_put(w, "]", 1);
    return;
  }
  if (w->count[w->depth]) {
    jw_put(w, "\n", 1);
    jw_tabs(w, w->indent + w->depth);
  }
  jw_put(w, "}", 1);
}

/* 's' as a JSON string, escaped as cJSON did: quote, backslash, the named
 * control escapes and \u00XX for the other control bytes; UTF-8 as is. */
static void jw_raw_string(struct jw *w, const char *s, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  jw_value(w);
  jw_put(w, "\"", 1);
  size_t run = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    jw_put(w, s + run, i - run);
    run = i + 1;
    char esc[6] = {'\\', 0, 0, 0, 0, 0};
    size_t n = 2;
    switch (c) {
    case '"':
    case '\\':
      esc[1] = (char)c;
      break;
    case '\b':
      esc[1] = 'b';
      break;
    case '\f':
      esc[1] = 'f';
      break;
    case '\n':
      esc[1] = 'n';
      break;
    case '\r':
      esc[1] = 'r';
      break;
    case '\t':
      esc[1] = 't';
      break;
    default:
      memcpy(esc + 1, "u00", 3);
      esc[4] = hex[c >> 4];
      esc[5] = hex[c & 15];
      n = 6;
    }
    jw_put(w, esc, n);
  }
  jw_put(w, s + run, len - run);
  jw_put(w, "\"", 1);
}

/* A cleaned copy of 's' (secrets masked, valid UTF-8) as a string, or
 * null when 's' is NULL. */
static void jw_string(struct jw *w, const char *s)
{
  if (!s) {
    jw_value(w);
    jw_put(w, "null", 4);
    return;
  }
  size_t len = strlen(s);
  if (al_redact_is_plain(w->report ? w->report->redactor : NULL, s, len)) {
    jw_raw_string(w, s, len);
    return;
  }
  char *clean = al_report_clean(w->report, s, len, 0);
  if (!clean) {
    if (w->rc == AL_OK)
      w->rc = AL_E_NOMEM;
    return;
  }
  jw_raw_string(w, clean, strlen(clean));
  free(clean);
}

/* A cleaned copy of 's' as a string, "" when 's' is NULL. */
static void jw_text(struct jw *w, const char *s)
{
  jw_string(w, s ? s : "");
}

static void jw_null(struct jw *w)
{
  jw_value(w);
  jw_put(w, "null", 4);
}

static void jw_bool(struct jw *w, int v)
{
  jw_value(w);
  jw_puts(w, v ? "true" : "false");
}

static void jw_count(struct jw *w, size_t n)
{
  char num[32];
  jw_value(w);
  jw_put(w, num, (size_t)snprintf(num, sizeof num, "%zu", n));
}

/* As cJSON printed numbers: an integral value as an integer, else the
 * shortest of %.15g and %.17g that reads back the same. */
static void jw_number(struct jw *w, double v)
{
  char num[64];
  int n;
  jw_value(w);
  if (v != v || v - v != 0) { /* NaN, infinity: not JSON */
    jw_put(w, "null", 4);
    return;
  }
  if (v == (double)(long long)v && v < 1e15 && v > -1e15)
    n = snprintf(num, sizeof num, "%lld", (long long)v);
  else {
    n = snprintf(num, sizeof num, "%.15g", v);
    if (strtod(num, NULL) != v)
      n = snprintf(num, sizeof num, "%.17g", v);
  }
  jw_put(w, num, (size_t)n);
}

/* ---- the report's parts ---- */

static void put_summary(struct jw *w, const struct al_report *report)
{
  const struct al_report_summary *s = &report->summary;
  jw_open(w, 1);
  jw_key(w, "endpoints");
  jw_count(w, s->endpoints);
  jw_key(w, "errors");
  jw_count(w, s->errors);
  jw_key(w, "warnings");
  jw_count(w, s->warnings);
  jw_key(w, "infos");
  jw_count(w, s->infos);
  jw_key(w, "failing");
  jw_count(w, s->failing);
  jw_key(w, "unreachable");
  jw_count(w, s->transport_errors);
  jw_key(w, "probe_requests");
  jw_count(w, s->probe_requests);
  jw_key(w, "fail_on");
  jw_string(w, al_severity_name(report->fail_on));
  jw_key(w, "planned");
  jw_count(w, report->planned);
  jw_key(w, "interrupted");
  jw_bool(w, report->interrupted != 0);
  jw_key(w, "signal");
  if (report->interrupted)
    jw_string(w, report->interrupted == 15 ? "SIGTERM" : "SIGINT");
  else
    jw_null(w);
  jw_key(w, "elapsed_ms");
  jw_number(w, report->elapsed_ms);
  jw_close(w);
}

static void put_finding(struct jw *w, const struct al_finding *f)
{
  jw_open(w, 1);
  jw_key(w, "rule");
  jw_text(w, f->rule_id);
  jw_key(w, "severity");
  jw_string(w, al_severity_name(f->severity));
  jw_key(w, "message");
  jw_text(w, f->message);
  jw_key(w, "evidence");
  jw_text(w, f->evidence);
  jw_key(w, "level");
  jw_text(w, f->level);
  jw_key(w, "source");
  jw_text(w, f->source);
  jw_close(w);
}

/* The findings of 'results' as an array. */
static void put_findings(struct jw *w, const struct al_rule_result *results,
                         size_t n)
{
  jw_open(w, 0);
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < results[i].finding_count; k++)
      put_finding(w, &results[i].findings[k]);
  jw_close(w);
}

/* The rule ids of the results with 'outcome' (every one when 'all'). */
static void put_rule_ids(struct jw *w, const struct al_rule_result *results,
                         size_t n, enum al_outcome outcome, int all)
{
  jw_open(w, 0);
  for (size_t i = 0; i < n; i++)
    if (all || results[i].outcome == outcome)
      jw_text(w, results[i].rule_id);
  jw_close(w);
}

/* What `apilint merge` needs to give every reporter the results back as
 * they were (merge.c): the rules that erred (no answer to judge) and every
 * rule that judged, in ruleset order; "checked" and "skipped" say the
 * others' outcomes, the findings the failures'. */
static void put_outcomes(struct jw *w, const struct al_rule_result *results,
                         size_t n)
{
  jw_key(w, "errored");
  put_rule_ids(w, results, n, AL_OUTCOME_ERROR, 0);
  jw_key(w, "rules");
  put_rule_ids(w, results, n, AL_OUTCOME_PASS, 1);
}

/* Header fields as [name, value] pairs in order, secret values as ***. */
static void put_headers(struct jw *w, const struct al_headers *h)
{
  const struct al_redactor *r = w->report ? w->report->redactor : NULL;
  jw_open(w, 0);
  for (size_t i = 0; h && i < h->count; i++) {
    jw_open(w, 0);
    jw_text(w, h->items[i].name);
    jw_text(w, al_redact_header(r, h->items[i].name, h->items[i].value));
    jw_close(w);
  }
  jw_close(w);
}

/* The rest of an exchange the reporters show (text -v, HTML): the request
 * headers sent, the answer's status line and headers, interim 1xx answers,
 * curl's code and the read limit. Bodies are never in a report. */
static void put_exchange(struct jw *w, const struct al_request *req,
                         const struct al_response *res)
{
  jw_key(w, "request_headers");
  put_headers(w, req ? &req->headers : NULL);
  jw_key(w, "received");
  jw_bool(w, res && res->received);
  jw_key(w, "status_line");
  jw_string(w, res && res->received ? res->status_line : NULL);
  jw_key(w, "response_headers");
  put_headers(w, res ? &res->headers : NULL);
  jw_key(w, "interim_responses");
  jw_count(w, res ? res->interim_count : 0);
  jw_key(w, "interim_line");
  jw_string(w, res ? res->last_interim_line : NULL);
  jw_key(w, "interim_status");
  jw_number(w, res ? (double)res->last_interim_status : 0);
  jw_key(w, "curl_code");
  jw_number(w, res ? (double)res->curl_code : 0);
  jw_key(w, "read_limit");
  jw_number(w, res ? (double)res->read_limit : 0);
}

static void put_response(struct jw *w, const struct al_endpoint_result *er)
{
  const struct al_response *res = er->response;
  jw_key(w, "status");
  if (al_report_reached(er))
    jw_number(w, (double)al_response_answer_status(res));
  else
    jw_null(w);
  jw_key(w, "elapsed_ms");
  if (res)
    jw_number(w, res->elapsed_ms);
  else
    jw_null(w);
  jw_key(w, "transport_error");
  if (res && res->transport_error)
    jw_string(w, res->transport_error);
  else if (!al_report_reached(er))
    jw_string(w, "no response");
  else
    jw_null(w);
}

/* How the answer came: its HTTP version (null without one), whether checks
 * saw only the start of a body past the read limit, and every attempt
 * (--retry; the last one is the answer itself). */
static void put_wire(struct jw *w, const struct al_response *res)
{
  jw_key(w, "http_version");
  jw_string(w, res && res->received ? res->http_version : NULL);
  jw_key(w, "body_prefix_only");
  jw_bool(w, res && res->body_limit_hit);
  jw_key(w, "attempts");
  jw_open(w, 0);
  size_t failed = res ? res->attempt_count : 0;
  for (size_t i = 0; res && i <= failed; i++) {
    int last = i == failed;
    jw_open(w, 1);
    jw_key(w, "attempt");
    jw_count(w, i + 1);
    jw_key(w, "elapsed_ms");
    jw_number(w, last ? res->elapsed_ms : res->attempts[i].elapsed_ms);
    jw_key(w, "transport_error");
    jw_string(w, last ? res->transport_error : res->attempts[i].error);
    jw_key(w, "retry_after_ms");
    if (last)
      jw_null(w);
    else
      jw_number(w, (double)res->attempts[i].wait_ms);
    jw_close(w);
  }
  jw_close(w);
}

/* One probe entry: what it sent (method and URL of its request, null when
 * it sent nothing), what came back (for a burst: the judged answer and
 * every status in "statuses") and its findings. */
static void put_probe(struct jw *w, const struct al_probe_result *pr)
{
  const struct al_request *req = pr->note ? NULL : pr->request;
  const struct al_response *res = pr->note ? NULL : pr->response;
  jw_open(w, 1);
  jw_key(w, "probe");
  jw_text(w, pr->probe);
  jw_key(w, "step");
  jw_text(w, pr->step);
  jw_key(w, "sent");
  jw_text(w, pr->sent);
  jw_key(w, "method");
  jw_string(w, req ? req->method : NULL);
  jw_key(w, "url");
  jw_string(w, req ? req->url : NULL);
  jw_key(w, "status");
  if (al_report_probe_reached(pr) && res)
    jw_number(w, (double)al_response_answer_status(res));
  else
    jw_null(w);
  jw_key(w, "elapsed_ms");
  if (res)
    jw_number(w, res->elapsed_ms);
  else
    jw_null(w);
  jw_key(w, "sent_count");
  jw_count(w, pr->sent_count);
  jw_key(w, "statuses");
  jw_string(w, pr->statuses);
  jw_key(w, "note");
  jw_string(w, pr->note);
  /* Why a sent probe got no answer, as for the endpoint itself. */
  const char *terr = NULL;
  if (res && res->transport_error)
    terr = res->transport_error;
  else if (!pr->note && !al_report_probe_reached(pr))
    terr = "no response";
  jw_key(w, "transport_error");
  jw_string(w, terr);
  if (res)
    put_wire(w, res);
  jw_key(w, "findings");
  put_findings(w, pr->results, pr->result_count);
  jw_key(w, "checked");
  put_rule_ids(w, pr->results, pr->result_count, AL_OUTCOME_PASS, 0);
  jw_key(w, "skipped");
  put_rule_ids(w, pr->results, pr->result_count, AL_OUTCOME_SKIPPED, 0);
  put_outcomes(w, pr->results, pr->result_count);
  if (!pr->note)
    put_exchange(w, req, res);
  jw_close(w);
}

/* Where the endpoint is: its spec (an index into "specs"), its place among
 * the spec's endpoints as loaded (so shards' reports merge back in spec
 * order), its path as written and its position. */
static void put_place(struct jw *w, const struct al_report_item *item)
{
  const struct al_endpoint *ep = item->result->endpoint;
  jw_key(w, "spec_index");
  jw_count(w, item->spec_index);
  jw_key(w, "index");
  jw_count(w, ep && item->spec && item->spec->loaded_count ? ep->index
                                                           : item->index);
  jw_key(w, "path");
  jw_string(w, ep ? ep->path : NULL);
  jw_key(w, "file");
  jw_text(w, al_endpoint_file(item->spec, ep));
  jw_key(w, "line");
  jw_count(w, ep && ep->line > 0 ? (size_t)ep->line : 0);
  jw_key(w, "column");
  jw_count(w, ep && ep->col > 0 ? (size_t)ep->col : 0);
}

static void put_endpoint(struct jw *w, const struct al_report_item *item)
{
  const struct al_spec *spec = item->spec;
  const struct al_endpoint_result *er = item->result;
  char where[32] = "";
  int line = er->endpoint ? er->endpoint->line : 0;
  if (line > 0)
    snprintf(where, sizeof where, ":%d", line);
  jw_open(w, 1);
  jw_key(w, "name");
  jw_text(w, al_report_endpoint_name(er));
  jw_key(w, "method");
  jw_text(w, al_report_endpoint_method(er));
  jw_key(w, "url");
  jw_text(w, al_report_endpoint_url(er));
  jw_key(w, "spec");
  {
    struct al_buf b;
    al_buf_init(&b);
    if (al_buf_append_str(&b, al_endpoint_file(spec, er->endpoint)) != AL_OK ||
        al_buf_append_str(&b, where) != AL_OK) {
      if (w->rc == AL_OK)
        w->rc = AL_E_NOMEM;
    } else {
      jw_string(w, al_buf_str(&b));
    }
    al_buf_cleanup(&b);
  }
  put_place(w, item);
  put_response(w, er);
  put_wire(w, er->response);
  jw_key(w, "findings");
  put_findings(w, er->results, er->result_count);
  jw_key(w, "checked");
  put_rule_ids(w, er->results, er->result_count, AL_OUTCOME_PASS, 0);
  jw_key(w, "skipped");
  put_rule_ids(w, er->results, er->result_count, AL_OUTCOME_SKIPPED, 0);
  put_outcomes(w, er->results, er->result_count);
  put_exchange(w, er->request, er->response);
  jw_key(w, "probes");
  jw_open(w, 0);
  for (size_t i = 0; i < er->probe_count; i++)
    put_probe(w, &er->probes[i]);
  jw_close(w);
  jw_close(w);
}

/* The run's head: each spec with its base URL. */
static void put_specs(struct jw *w, const struct al_report *report)
{
  jw_open(w, 0);
  for (size_t i = 0; i < report->spec_count; i++) {
    const struct al_spec_result *sr = &report->specs[i];
    jw_open(w, 1);
    jw_key(w, "path");
    jw_text(w, sr->spec ? sr->spec->path : NULL);
    jw_key(w, "name");
    jw_text(w, sr->spec ? sr->spec->name : NULL);
    jw_key(w, "base_url");
    jw_string(w, sr->base_url);
    jw_key(w, "endpoints");
    jw_count(w, sr->planned);
    /* The whole spec, whatever --shard kept of it: merge checks that
     * shards come from one spec and add up to it. */
    jw_key(w, "digest");
    jw_string(w, sr->spec ? sr->spec->digest : NULL);
    jw_key(w, "total_endpoints");
    jw_count(w, sr->spec && sr->spec->loaded_count ? sr->spec->loaded_count
                                                   : sr->planned);
    jw_close(w);
  }
  jw_close(w);
}

struct json_state {
  FILE *out; /* borrowed */
  const struct al_report *report;
  size_t written;    /* endpoints so far */
  struct al_buf buf; /* one part's text, reused */
};

/* Writes the part in j->buf to the file and empties the buffer. */
static enum al_code flush_part(struct json_state *j, enum al_code rc)
{
  if (rc == AL_OK && j->buf.len &&
      fwrite(j->buf.data, 1, j->buf.len, j->out) != j->buf.len)
    rc = AL_E_IO;
  al_buf_reset(&j->buf);
  return rc;
}

/* The document streams: its head at begin, one endpoint object at a time,
 * the summary (known only then) at the end. Members are in that order. */
static enum al_code json_begin(FILE *out, const struct al_report *report,
                               const struct al_report_opts *opts, void **state)
{
  (void)opts;
  struct json_state *j = calloc(1, sizeof *j);
  if (!j)
    return AL_E_NOMEM;
  j->out = out;
  j->report = report;
  al_buf_init(&j->buf);
  *state = j;
  struct jw w;
  jw_init(&w, &j->buf, report, 0);
  jw_open(&w, 1);
  jw_key(&w, "apilint");
  jw_string(&w, AL_VERSION);
  jw_key(&w, "started");
  jw_string(&w, report->started[0] ? report->started : NULL);
  jw_key(&w, "specs");
  put_specs(&w, report);
  /* -k/--insecure is a property of the whole run and of every answer in
   * it: a report must not look as trustworthy as a verified one. */
  jw_key(&w, "tls_verified");
  jw_bool(&w, !report->tls_unverified);
  jw_key(&w, "warnings");
  jw_open(&w, 0);
  if (report->tls_unverified)
    jw_string(&w, "TLS certificates are not verified (--insecure)");
  jw_close(&w);
  /* --shard I/N: which part of the run this report is (null = all). */
  jw_key(&w, "shard");
  if (report->shard_total) {
    jw_open(&w, 1);
    jw_key(&w, "index");
    jw_count(&w, report->shard_index);
    jw_key(&w, "total");
    jw_count(&w, report->shard_total);
    jw_close(&w);
  } else {
    jw_null(&w);
  }
  jw_key(&w, "endpoints");
  jw_put(&w, "[", 1);
  return flush_part(j, w.rc);
}

static enum al_code json_endpoint(void *state,
                                  const struct al_report_item *item)
{
  struct json_state *j = state;
  struct jw w;
  jw_init(&w, &j->buf, j->report, 2);
  if (j->written++)
    jw_put(&w, ", ", 2);
  put_endpoint(&w, item);
  return flush_part(j, w.rc);
}

static enum al_code json_end(void *state)
{
  struct json_state *j = state;
  struct jw w;
  jw_init(&w, &j->buf, j->report, 1);
  jw_puts(&w, "],\n\t\"summary\":\t");
  put_summary(&w, j->report);
  jw_put(&w, "\n}\n", 3);
  enum al_code rc = flush_part(j, w.rc);
  if (rc == AL_OK && ferror(j->out))
    rc = AL_E_IO;
  return rc;
}

static void json_free(void *state)
{
  struct json_state *j = state;
  if (j)
    al_buf_cleanup(&j->buf);
  free(j);
}

const struct al_reporter_ops al_reporter_json = {
    "json", json_begin, json_endpoint, json_end, json_free,
};

/* The whole-report signature (report.h): a collected report replayed
 * through this reporter. Here, not in report.c, so report.c never names a
 * reporter (no report <-> report_* cycle). */
enum al_code al_report_write_json(FILE *out, const struct al_report *report,
                                  const struct al_report_opts *opts)
{
  return al_report_replay(&al_reporter_json, out, report, opts);
}
