/* report_json.c - the machine-readable report (CONTRACT.md "Reports"): a
 * summary and one flat array of endpoints in spec order, each with its
 * findings and the rule ids that passed or were skipped, then its probe
 * entries with theirs; every finding says its level and source. Every
 * string is cleaned (secrets masked, valid UTF-8) before it is written.
 *
 * The JSON is written directly (jsonw.h), one endpoint object into a
 * buffer and the buffer to the file: building a cJSON tree per endpoint
 * and printing it cost more than the request (80,000 instructions an
 * endpoint). */
#include "report.h"
#include "baseline.h"
#include "jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "response.h"

/* ---- the report's parts ---- */

static void put_summary(struct al_jw *w, const struct al_report *report)
{
  const struct al_report_summary *s = &report->summary;
  al_jw_open(w, 1);
  al_jw_key(w, "endpoints");
  al_jw_count(w, s->endpoints);
  al_jw_key(w, "errors");
  al_jw_count(w, s->errors);
  al_jw_key(w, "warnings");
  al_jw_count(w, s->warnings);
  al_jw_key(w, "infos");
  al_jw_count(w, s->infos);
  al_jw_key(w, "failing");
  al_jw_count(w, s->failing);
  al_jw_key(w, "suppressed");
  al_jw_count(w, s->suppressed);
  al_jw_key(w, "unreachable");
  al_jw_count(w, s->transport_errors);
  al_jw_key(w, "probe_requests");
  al_jw_count(w, s->probe_requests);
  al_jw_key(w, "fail_on");
  al_jw_string(w, al_severity_name(report->fail_on));
  al_jw_key(w, "planned");
  al_jw_count(w, report->planned);
  al_jw_key(w, "interrupted");
  al_jw_bool(w, report->interrupted != 0);
  al_jw_key(w, "signal");
  if (report->interrupted)
    al_jw_string(w, report->interrupted == 15 ? "SIGTERM" : "SIGINT");
  else
    al_jw_null(w);
  al_jw_key(w, "elapsed_ms");
  al_jw_number(w, report->elapsed_ms);
  if (report->baseline)
    al_baseline_put_json(w, report->baseline, report);
  else {
    al_jw_key(w, "baseline");
    al_jw_null(w);
  }
  al_jw_close(w);
}

/* The writer's state a kept part of the text depends on: where it goes
 * (depth, indent, whether a separator comes first) and the secrets it was
 * masked with. The redactor's values and names are only ever added to, so
 * a part made with as many of each is masked exactly as it would be now. */
struct kept_at {
  size_t values, names;
  int depth, indent, comma;
};

static struct kept_at kept_at(const struct al_jw *w)
{
  const struct al_redactor *r = w->report ? w->report->redactor : NULL;
  struct kept_at at = {r ? r->value_count : 0, r ? r->name_count : 0, w->depth,
                       w->indent, w->depth > 0 && w->count[w->depth - 1] > 0};
  return at;
}

static int same_at(struct kept_at a, struct kept_at b)
{
  return a.values == b.values && a.names == b.names && a.depth == b.depth &&
         a.indent == b.indent && a.comma == b.comma;
}

/* Two strings and the text written for them, as last written at one
 * place: a kept finding's message and evidence, a header field's name and
 * value. */
struct kept_pair {
  struct al_buf strings; /* "FIRST\0SECOND" */
  size_t first_len;
  struct kept_at at;
  struct al_buf text;
  int valid;
};

static void kept_pair_cleanup(struct kept_pair *k)
{
  al_buf_cleanup(&k->strings);
  al_buf_cleanup(&k->text);
}

static int kept_pair_is(const struct kept_pair *k, struct kept_at at,
                        const char *first, const char *second)
{
  return k->valid && same_at(k->at, at) &&
         strcmp(k->strings.data, first) == 0 &&
         strcmp(k->strings.data + k->first_len + 1, second) == 0;
}

/* Keeps in 'k' the strings and what the writer wrote from 'mark' on, at
 * 'at'. */
static void keep_pair(struct kept_pair *k, const struct al_jw *w,
                      struct kept_at at, size_t mark, const char *first,
                      const char *second)
{
  al_buf_reset(&k->strings);
  al_buf_reset(&k->text);
  k->first_len = strlen(first);
  k->at = at;
  k->valid =
      al_buf_append(&k->strings, first, k->first_len + 1) == AL_OK &&
      al_buf_append_str(&k->strings, second) == AL_OK &&
      al_buf_append(&k->text, w->out->data + mark, w->out->len - mark) == AL_OK;
}

/* A finding's members from "rule" to "source" as last written at its
 * place among an endpoint's findings: the same rule says the same thing of
 * most endpoints. Rule ids, levels and sources are shared copies (one
 * pointer for one text, never freed: intern.h); the message and evidence
 * are compared. */
struct kept_finding {
  const char *rule_id, *level, *source;
  enum al_severity severity;
  struct kept_pair said; /* the message and the evidence */
};

#define KEPT_FINDINGS 4 /* findings kept of each endpoint */

static void kept_findings_cleanup(struct kept_finding *k)
{
  for (size_t i = 0; i < KEPT_FINDINGS; i++)
    kept_pair_cleanup(&k[i].said);
}

static int same_finding(const struct kept_finding *k, const struct al_jw *w,
                        const struct al_finding *f, const char *message,
                        const char *evidence)
{
  return k->rule_id == f->rule_id && k->level == f->level &&
         k->source == f->source && k->severity == f->severity &&
         kept_pair_is(&k->said, kept_at(w), message, evidence);
}

static void keep_finding(struct kept_finding *k, const struct al_jw *w,
                         struct kept_at at, size_t mark,
                         const struct al_finding *f, const char *message,
                         const char *evidence)
{
  k->rule_id = f->rule_id;
  k->level = f->level;
  k->source = f->source;
  k->severity = f->severity;
  keep_pair(&k->said, w, at, mark, message, evidence);
}

/* What a finding says: its members from "rule" to "source", as kept in
 * 'k' (may be NULL) when they are the same. */
static void put_said(struct al_jw *w, const struct al_finding *f,
                     struct kept_finding *k)
{
  const char *message = f->message ? f->message : "";
  const char *evidence = f->evidence ? f->evidence : "";
  if (k && same_finding(k, w, f, message, evidence)) {
    al_jw_members_text(w, k->said.text.data, k->said.text.len, 6);
    return;
  }
  struct kept_at at = kept_at(w);
  size_t mark = w->out->len;
  al_jw_key(w, "rule");
  al_jw_text(w, f->rule_id);
  al_jw_key(w, "severity");
  al_jw_string(w, al_severity_name(f->severity));
  al_jw_key(w, "message");
  al_jw_text(w, message);
  al_jw_key(w, "evidence");
  al_jw_text(w, evidence);
  al_jw_key(w, "level");
  al_jw_text(w, f->level);
  al_jw_key(w, "source");
  al_jw_text(w, f->source);
  if (k && w->rc == AL_OK)
    keep_finding(k, w, at, mark, f, message, evidence);
}

static void put_finding(struct al_jw *w, const struct al_finding *f,
                        struct kept_finding *k)
{
  al_jw_open(w, 1);
  put_said(w, f, k);
  al_jw_key(w, "fingerprint");
  al_jw_string(w, f->fingerprint[0] ? f->fingerprint : NULL);
  al_jw_key(w, "suppressed");
  al_jw_bool(w, f->suppressed);
  al_jw_key(w, "baseline_reason");
  al_jw_string(w, f->baseline_reason);
  al_jw_key(w, "baseline_expired");
  al_jw_string(w, f->baseline_expired);
  al_jw_close(w);
}

/* The findings of 'results' as an array; the first KEPT_FINDINGS as for
 * put_said with 'kept' (NULL or KEPT_FINDINGS of them). */
static void put_findings(struct al_jw *w, const struct al_rule_result *results,
                         size_t n, struct kept_finding *kept)
{
  size_t at = 0;
  al_jw_open(w, 0);
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < results[i].finding_count; k++, at++)
      put_finding(w, &results[i].findings[k],
                  kept && at < KEPT_FINDINGS ? &kept[at] : NULL);
  al_jw_close(w);
}

/* An endpoint's rule outcomes as last written, with the text of its four
 * rule-id arrays: consecutive endpoints mostly have the same rules with
 * the same outcomes, and rule ids are shared copies (intern.h: one pointer
 * for one text, never freed), so the pointers alone tell the ids apart.
 * Owned by the JSON reporter's state. */
struct kept_rules {
  struct al_buf rules; /* struct kept_rule [count] */
  size_t count;
  struct kept_at at;
  struct al_buf text; /* the four members, from the first one's comma */
  int valid;
};

struct kept_rule {
  const char *id;
  enum al_outcome outcome;
};

static void kept_rules_cleanup(struct kept_rules *k)
{
  al_buf_cleanup(&k->rules);
  al_buf_cleanup(&k->text);
}

/* 1 when 'k' holds these results' ids and outcomes, for a writer as 'w'. */
static int same_rules(const struct kept_rules *k, const struct al_jw *w,
                      const struct al_rule_result *results, size_t n)
{
  if (!k->valid || k->count != n || !same_at(k->at, kept_at(w)))
    return 0;
  const struct kept_rule *kr = (const struct kept_rule *)(void *)k->rules.data;
  for (size_t i = 0; i < n; i++)
    if (kr[i].id != results[i].rule_id || kr[i].outcome != results[i].outcome)
      return 0;
  return 1;
}

/* Keeps in 'k' the ids and outcomes of 'results' and the text written for
 * them from 'mark' on, by a writer that was at 'at'. */
static void keep_rules(struct kept_rules *k, const struct al_jw *w,
                       struct kept_at at, size_t mark,
                       const struct al_rule_result *results, size_t n)
{
  al_buf_reset(&k->rules);
  al_buf_reset(&k->text);
  k->valid = 0;
  for (size_t i = 0; i < n; i++) {
    struct kept_rule kr = {results[i].rule_id, results[i].outcome};
    if (al_buf_append(&k->rules, &kr, sizeof kr) != AL_OK)
      return;
  }
  if (al_buf_append(&k->text, w->out->data + mark, w->out->len - mark) != AL_OK)
    return;
  k->count = n;
  k->at = at;
  k->valid = 1;
}

/* The rule ids of the results with 'outcome' (every one when 'all'). */
static void put_rule_ids(struct al_jw *w, const struct al_rule_result *results,
                         size_t n, enum al_outcome outcome, int all)
{
  al_jw_open(w, 0);
  for (size_t i = 0; i < n; i++)
    if (all || results[i].outcome == outcome)
      al_jw_text(w, results[i].rule_id);
  al_jw_close(w);
}

/* The rule-id arrays of an endpoint or probe entry: "checked" and
 * "skipped", then what `apilint merge` needs to give every reporter the
 * results back as they were (merge.c): the rules that erred (no answer to
 * judge) and every rule that judged, in ruleset order; the findings say
 * the failures' outcomes. The text kept in 'kept' (may be NULL) when it
 * has these outcomes. */
static void put_rule_lists(struct al_jw *w,
                           const struct al_rule_result *results, size_t n,
                           struct kept_rules *kept)
{
  if (kept && same_rules(kept, w, results, n)) {
    al_jw_members_text(w, kept->text.data, kept->text.len, 4);
    return;
  }
  struct kept_at at = kept_at(w);
  size_t mark = w->out->len;
  al_jw_key(w, "checked");
  put_rule_ids(w, results, n, AL_OUTCOME_PASS, 0);
  al_jw_key(w, "skipped");
  put_rule_ids(w, results, n, AL_OUTCOME_SKIPPED, 0);
  al_jw_key(w, "errored");
  put_rule_ids(w, results, n, AL_OUTCOME_ERROR, 0);
  al_jw_key(w, "rules");
  put_rule_ids(w, results, n, AL_OUTCOME_PASS, 1);
  if (kept && w->rc == AL_OK)
    keep_rules(kept, w, at, mark, results, n);
}

/* A header field as last written at its place in a header list, with
 * the text of its [name, value] pair (a kept_pair): answers from one
 * server mostly have the same fields in the same order (Date changes once
 * a second). */
#define KEPT_FIELDS 16 /* fields kept of each header list */

static void kept_fields_cleanup(struct kept_pair *k)
{
  for (size_t i = 0; i < KEPT_FIELDS; i++)
    kept_pair_cleanup(&k[i]);
}

/* Where a value in an array is: kept_at without the separator, which
 * al_jw_value_text adds. */
static struct kept_at value_at(const struct al_jw *w)
{
  struct kept_at at = kept_at(w);
  at.comma = 0;
  return at;
}

/* Header fields as [name, value] pairs in order, secret values as ***:
 * a pair as it was kept in 'kept' (NULL or KEPT_FIELDS of them) when its
 * field is the same. */
static void put_headers(struct al_jw *w, const struct al_headers *h,
                        struct kept_pair *kept)
{
  const struct al_redactor *r = w->report ? w->report->redactor : NULL;
  al_jw_open(w, 0);
  for (size_t i = 0; h && i < h->count; i++) {
    const char *name = h->items[i].name, *value = h->items[i].value;
    struct kept_pair *k = kept && i < KEPT_FIELDS ? &kept[i] : NULL;
    if (k && name && value && kept_pair_is(k, value_at(w), name, value)) {
      al_jw_value_text(w, k->text.data, k->text.len);
      continue;
    }
    struct kept_at at = value_at(w);
    al_jw_open(w, 0);
    size_t mark = w->out->len - 1; /* from the '[', after any separator */
    al_jw_text(w, name);
    al_jw_text(w, al_redact_header(r, name, value));
    al_jw_close(w);
    if (k && name && value && w->rc == AL_OK)
      keep_pair(k, w, at, mark, name, value);
  }
  al_jw_close(w);
}

/* The rest of an exchange the reporters show (text -v, HTML): the request
 * headers sent, the answer's status line and headers, interim 1xx answers,
 * curl's code and the read limit. Bodies are never in a report. */
static void put_exchange(struct al_jw *w, const struct al_request *req,
                         const struct al_response *res,
                         struct kept_pair *kept_req, struct kept_pair *kept_res)
{
  al_jw_key(w, "request_headers");
  put_headers(w, req ? &req->headers : NULL, kept_req);
  al_jw_key(w, "received");
  al_jw_bool(w, res && res->received);
  al_jw_key(w, "status_line");
  al_jw_string(w, res && res->received ? res->status_line : NULL);
  al_jw_key(w, "response_headers");
  put_headers(w, res ? &res->headers : NULL, kept_res);
  al_jw_key(w, "interim_responses");
  al_jw_count(w, res ? res->interim_count : 0);
  al_jw_key(w, "interim_line");
  al_jw_string(w, res ? res->last_interim_line : NULL);
  al_jw_key(w, "interim_status");
  al_jw_number(w, res ? (double)res->last_interim_status : 0);
  al_jw_key(w, "curl_code");
  al_jw_number(w, res ? (double)res->curl_code : 0);
  al_jw_key(w, "read_limit");
  al_jw_number(w, res ? (double)res->read_limit : 0);
}

static void put_response(struct al_jw *w, const struct al_endpoint_result *er)
{
  const struct al_response *res = er->response;
  al_jw_key(w, "status");
  if (al_report_reached(er))
    al_jw_number(w, (double)al_response_answer_status(res));
  else
    al_jw_null(w);
  al_jw_key(w, "elapsed_ms");
  if (res)
    al_jw_number(w, res->elapsed_ms);
  else
    al_jw_null(w);
  al_jw_key(w, "transport_error");
  if (res && res->transport_error)
    al_jw_string(w, res->transport_error);
  else if (!al_report_reached(er))
    al_jw_string(w, "no response");
  else
    al_jw_null(w);
}

/* How the answer came: its HTTP version (null without one), whether checks
 * saw only the start of a body past the read limit, and every attempt
 * (--retry; the last one is the answer itself). */
static void put_wire(struct al_jw *w, const struct al_response *res)
{
  al_jw_key(w, "http_version");
  al_jw_string(w, res && res->received ? res->http_version : NULL);
  al_jw_key(w, "body_prefix_only");
  al_jw_bool(w, res && res->body_limit_hit);
  al_jw_key(w, "attempts");
  al_jw_open(w, 0);
  size_t failed = res ? res->attempt_count : 0;
  for (size_t i = 0; res && i <= failed; i++) {
    int last = i == failed;
    al_jw_open(w, 1);
    al_jw_key(w, "attempt");
    al_jw_count(w, i + 1);
    al_jw_key(w, "elapsed_ms");
    al_jw_number(w, last ? res->elapsed_ms : res->attempts[i].elapsed_ms);
    al_jw_key(w, "transport_error");
    al_jw_string(w, last ? res->transport_error : res->attempts[i].error);
    al_jw_key(w, "retry_after_ms");
    if (last)
      al_jw_null(w);
    else
      al_jw_number(w, (double)res->attempts[i].wait_ms);
    al_jw_close(w);
  }
  al_jw_close(w);
}

/* One probe entry: what it sent (method and URL of its request, null when
 * it sent nothing), what came back (for a burst: the judged answer and
 * every status in "statuses") and its findings. */
static void put_probe(struct al_jw *w, const struct al_probe_result *pr)
{
  const struct al_request *req = pr->note ? NULL : pr->request;
  const struct al_response *res = pr->note ? NULL : pr->response;
  al_jw_open(w, 1);
  al_jw_key(w, "probe");
  al_jw_text(w, pr->probe);
  al_jw_key(w, "step");
  al_jw_text(w, pr->step);
  al_jw_key(w, "sent");
  al_jw_text(w, pr->sent);
  al_jw_key(w, "method");
  al_jw_string(w, req ? req->method : NULL);
  al_jw_key(w, "url");
  al_jw_string(w, req ? req->url : NULL);
  al_jw_key(w, "status");
  if (al_report_probe_reached(pr) && res)
    al_jw_number(w, (double)al_response_answer_status(res));
  else
    al_jw_null(w);
  al_jw_key(w, "elapsed_ms");
  if (res)
    al_jw_number(w, res->elapsed_ms);
  else
    al_jw_null(w);
  al_jw_key(w, "sent_count");
  al_jw_count(w, pr->sent_count);
  al_jw_key(w, "statuses");
  al_jw_string(w, pr->statuses);
  al_jw_key(w, "note");
  al_jw_string(w, pr->note);
  /* Why a sent probe got no answer, as for the endpoint itself. */
  const char *terr = NULL;
  if (res && res->transport_error)
    terr = res->transport_error;
  else if (!pr->note && !al_report_probe_reached(pr))
    terr = "no response";
  al_jw_key(w, "transport_error");
  al_jw_string(w, terr);
  if (res)
    put_wire(w, res);
  al_jw_key(w, "findings");
  put_findings(w, pr->results, pr->result_count, NULL);
  /* Not kept: probes' rules differ from the endpoints' and each other's. */
  put_rule_lists(w, pr->results, pr->result_count, NULL);
  if (!pr->note)
    put_exchange(w, req, res, NULL, NULL);
  al_jw_close(w);
}

/* Where the endpoint is: its spec (an index into "specs"), its place among
 * the spec's endpoints as loaded (so shards' reports merge back in spec
 * order), its path as written and its position. */
static void put_place(struct al_jw *w, const struct al_report_item *item)
{
  const struct al_endpoint *ep = item->result->endpoint;
  al_jw_key(w, "spec_index");
  al_jw_count(w, item->spec_index);
  al_jw_key(w, "index");
  al_jw_count(w, ep && item->spec && item->spec->loaded_count ? ep->index
                                                              : item->index);
  al_jw_key(w, "path");
  al_jw_string(w, ep ? ep->path : NULL);
  al_jw_key(w, "file");
  al_jw_text(w, al_endpoint_file(item->spec, ep));
  al_jw_key(w, "line");
  al_jw_count(w, ep && ep->line > 0 ? (size_t)ep->line : 0);
  al_jw_key(w, "column");
  al_jw_count(w, ep && ep->col > 0 ? (size_t)ep->col : 0);
}

/* What writing one endpoint leaves for the next (owned by json_state). */
struct json_reuse {
  struct kept_finding findings[KEPT_FINDINGS];  /* put_said */
  struct kept_rules rules;                      /* put_rule_lists */
  struct kept_pair request_fields[KEPT_FIELDS]; /* put_headers */
  struct kept_pair response_fields[KEPT_FIELDS];
  struct al_buf spec_at; /* room for "FILE:LINE" */
};

/* "FILE:LINE" of the endpoint (just FILE without a line) in 'at'. */
static enum al_code spec_at(struct al_buf *at, const struct al_spec *spec,
                            const struct al_endpoint *ep)
{
  char num[1 + AL_UINT_DIGITS] = ":";
  int line = ep ? ep->line : 0;
  al_buf_reset(at);
  if (al_buf_append_str(at, al_endpoint_file(spec, ep)) != AL_OK)
    return AL_E_NOMEM;
  if (line <= 0)
    return AL_OK;
  return al_buf_append(at, num, 1 + al_fmt_uint(num + 1, (unsigned)line));
}

static void put_endpoint(struct al_jw *w, const struct al_report_item *item,
                         struct json_reuse *reuse)
{
  const struct al_endpoint_result *er = item->result;
  al_jw_open(w, 1);
  al_jw_key(w, "name");
  al_jw_text(w, al_report_endpoint_name(er));
  al_jw_key(w, "method");
  al_jw_text(w, al_report_endpoint_method(er));
  al_jw_key(w, "url");
  al_jw_text(w, al_report_endpoint_url(er));
  al_jw_key(w, "spec");
  if (spec_at(&reuse->spec_at, item->spec, er->endpoint) == AL_OK)
    al_jw_string(w, al_buf_str(&reuse->spec_at));
  else if (w->rc == AL_OK)
    w->rc = AL_E_NOMEM;
  put_place(w, item);
  put_response(w, er);
  put_wire(w, er->response);
  al_jw_key(w, "findings");
  put_findings(w, er->results, er->result_count, reuse->findings);
  put_rule_lists(w, er->results, er->result_count, &reuse->rules);
  put_exchange(w, er->request, er->response, reuse->request_fields,
               reuse->response_fields);
  al_jw_key(w, "probes");
  al_jw_open(w, 0);
  for (size_t i = 0; i < er->probe_count; i++)
    put_probe(w, &er->probes[i]);
  al_jw_close(w);
  al_jw_close(w);
}

/* The run's head: each spec with its base URL. */
static void put_specs(struct al_jw *w, const struct al_report *report)
{
  al_jw_open(w, 0);
  for (size_t i = 0; i < report->spec_count; i++) {
    const struct al_spec_result *sr = &report->specs[i];
    al_jw_open(w, 1);
    al_jw_key(w, "path");
    al_jw_text(w, sr->spec ? sr->spec->path : NULL);
    al_jw_key(w, "name");
    al_jw_text(w, sr->spec ? sr->spec->name : NULL);
    al_jw_key(w, "base_url");
    al_jw_string(w, sr->base_url);
    al_jw_key(w, "endpoints");
    al_jw_count(w, sr->planned);
    /* The whole spec, whatever --shard kept of it: merge checks that
     * shards come from one spec and add up to it. */
    al_jw_key(w, "digest");
    al_jw_string(w, sr->spec ? sr->spec->digest : NULL);
    al_jw_key(w, "total_endpoints");
    al_jw_count(w, sr->spec && sr->spec->loaded_count ? sr->spec->loaded_count
                                                      : sr->planned);
    al_jw_close(w);
  }
  al_jw_close(w);
}

struct json_state {
  FILE *out; /* borrowed */
  const struct al_report *report;
  size_t written;    /* endpoints so far */
  struct al_buf buf; /* parts not yet written, reused */
  struct json_reuse reuse;
};

/* Parts are collected up to this much before they go to the file: one
 * write of many endpoints instead of a stdio copy each. */
#define FLUSH_AT 65536

/* Writes the parts in j->buf to the file and empties the buffer, once
 * they are 'at_least' bytes (0: whatever there is). */
static enum al_code flush_part(struct json_state *j, enum al_code rc,
                               size_t at_least)
{
  if (rc != AL_OK || j->buf.len < at_least)
    return rc;
  if (j->buf.len && fwrite(j->buf.data, 1, j->buf.len, j->out) != j->buf.len)
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
  al_buf_init(&j->reuse.spec_at);
  *state = j;
  struct al_jw w;
  al_jw_init(&w, &j->buf, report, 0);
  al_jw_open(&w, 1);
  al_jw_key(&w, "apilint");
  al_jw_string(&w, AL_VERSION);
  al_jw_key(&w, "started");
  al_jw_string(&w, report->started[0] ? report->started : NULL);
  al_jw_key(&w, "specs");
  put_specs(&w, report);
  /* -k/--insecure is a property of the whole run and of every answer in
   * it: a report must not look as trustworthy as a verified one. */
  al_jw_key(&w, "tls_verified");
  al_jw_bool(&w, !report->tls_unverified);
  al_jw_key(&w, "warnings");
  al_jw_open(&w, 0);
  if (report->tls_unverified)
    al_jw_string(&w, "TLS certificates are not verified (--insecure)");
  al_jw_close(&w);
  /* --shard I/N: which part of the run this report is (null = all). */
  al_jw_key(&w, "shard");
  if (report->shard_total) {
    al_jw_open(&w, 1);
    al_jw_key(&w, "index");
    al_jw_count(&w, report->shard_index);
    al_jw_key(&w, "total");
    al_jw_count(&w, report->shard_total);
    al_jw_close(&w);
  } else {
    al_jw_null(&w);
  }
  al_jw_key(&w, "endpoints");
  al_jw_put(&w, "[", 1);
  return flush_part(j, w.rc, FLUSH_AT);
}

static enum al_code json_endpoint(void *state,
                                  const struct al_report_item *item)
{
  struct json_state *j = state;
  struct al_jw w;
  al_jw_init(&w, &j->buf, j->report, 2);
  if (j->written++)
    al_jw_put(&w, ", ", 2);
  put_endpoint(&w, item, &j->reuse);
  return flush_part(j, w.rc, FLUSH_AT);
}

static enum al_code json_end(void *state)
{
  struct json_state *j = state;
  struct al_jw w;
  al_jw_init(&w, &j->buf, j->report, 1);
  al_jw_puts(&w, "],\n\t\"summary\":\t");
  put_summary(&w, j->report);
  al_jw_put(&w, "\n}\n", 3);
  enum al_code rc = flush_part(j, w.rc, 0);
  if (rc == AL_OK && ferror(j->out))
    rc = AL_E_IO;
  return rc;
}

static void json_free(void *state)
{
  struct json_state *j = state;
  if (j) {
    al_buf_cleanup(&j->buf);
    kept_findings_cleanup(j->reuse.findings);
    kept_rules_cleanup(&j->reuse.rules);
    kept_fields_cleanup(j->reuse.request_fields);
    kept_fields_cleanup(j->reuse.response_fields);
    al_buf_cleanup(&j->reuse.spec_at);
  }
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
