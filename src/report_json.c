/* report_json.c - the machine-readable report (CONTRACT.md "Reports"): a
 * summary and one flat array of endpoints in spec order, each with its
 * findings and the rule ids that passed or were skipped, then its probe
 * entries with theirs; every finding says its level and source. Every
 * string is cleaned (secrets masked, valid UTF-8) before it reaches cJSON. */
#include "report.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "response.h"

/* Adds a cleaned copy of 's' under 'key'. 0 on OOM. */
static int add_string(cJSON *obj, const char *key,
                      const struct al_report *report, const char *s)
{
  char *clean = al_report_clean(report, s, s ? strlen(s) : 0, 0);
  if (!clean)
    return 0;
  cJSON *item = cJSON_AddStringToObject(obj, key, clean);
  free(clean);
  return item != NULL;
}

static int add_count(cJSON *obj, const char *key, size_t n)
{
  return cJSON_AddNumberToObject(obj, key, (double)n) != NULL;
}

static cJSON *summary_json(const struct al_report *report)
{
  const struct al_report_summary *s = &report->summary;
  cJSON *o = cJSON_CreateObject();
  if (!o || !add_count(o, "endpoints", s->endpoints) ||
      !add_count(o, "errors", s->errors) ||
      !add_count(o, "warnings", s->warnings) ||
      !add_count(o, "infos", s->infos) ||
      !add_count(o, "failing", s->failing) ||
      !add_count(o, "unreachable", s->transport_errors) ||
      !add_count(o, "probe_requests", s->probe_requests) ||
      !cJSON_AddStringToObject(o, "fail_on",
                               al_severity_name(report->fail_on)) ||
      !add_count(o, "planned", report->planned) ||
      !cJSON_AddBoolToObject(o, "interrupted", report->interrupted != 0) ||
      !(report->interrupted
            ? cJSON_AddStringToObject(
                  o, "signal", report->interrupted == 15 ? "SIGTERM" : "SIGINT")
            : cJSON_AddNullToObject(o, "signal")) ||
      !cJSON_AddNumberToObject(o, "elapsed_ms", report->elapsed_ms)) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

static cJSON *finding_json(const struct al_report *report,
                           const struct al_finding *f)
{
  cJSON *o = cJSON_CreateObject();
  if (!o || !add_string(o, "rule", report, f->rule_id) ||
      !cJSON_AddStringToObject(o, "severity", al_severity_name(f->severity)) ||
      !add_string(o, "message", report, f->message) ||
      !add_string(o, "evidence", report, f->evidence) ||
      !add_string(o, "level", report, f->level) ||
      !add_string(o, "source", report, f->source)) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

/* The findings of 'results' appended to array 'findings'. */
static int add_findings(cJSON *findings, const struct al_report *report,
                        const struct al_rule_result *results, size_t n)
{
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < results[i].finding_count; k++) {
      cJSON *f = finding_json(report, &results[i].findings[k]);
      if (!f)
        return 0;
      cJSON_AddItemToArray(findings, f);
    }
  return 1;
}

/* findings, checked (PASS) and skipped (SKIPPED) of one endpoint. */
static int add_results(cJSON *o, const struct al_report *report,
                       const struct al_endpoint_result *er)
{
  cJSON *findings = cJSON_AddArrayToObject(o, "findings");
  cJSON *checked = cJSON_AddArrayToObject(o, "checked");
  cJSON *skipped = cJSON_AddArrayToObject(o, "skipped");
  if (!findings || !checked || !skipped)
    return 0;
  if (!add_findings(findings, report, er->results, er->result_count))
    return 0;
  for (size_t i = 0; i < er->result_count; i++) {
    const struct al_rule_result *rr = &er->results[i];
    cJSON *list = rr->outcome == AL_OUTCOME_PASS      ? checked
                  : rr->outcome == AL_OUTCOME_SKIPPED ? skipped
                                                      : NULL;
    if (list) {
      char *id = al_report_clean(report, rr->rule_id,
                                 rr->rule_id ? strlen(rr->rule_id) : 0, 0);
      cJSON *s = id ? cJSON_CreateString(id) : NULL;
      free(id);
      if (!s)
        return 0;
      cJSON_AddItemToArray(list, s);
    }
  }
  return 1;
}

static int add_response(cJSON *o, const struct al_report *report,
                        const struct al_endpoint_result *er)
{
  const struct al_response *res = er->response;
  cJSON *item = al_report_reached(er)
                    ? cJSON_AddNumberToObject(
                          o, "status", (double)al_response_answer_status(res))
                    : cJSON_AddNullToObject(o, "status");
  if (!item)
    return 0;
  item = res ? cJSON_AddNumberToObject(o, "elapsed_ms", res->elapsed_ms)
             : cJSON_AddNullToObject(o, "elapsed_ms");
  if (!item)
    return 0;
  if (res && res->transport_error)
    return add_string(o, "transport_error", report, res->transport_error);
  if (!al_report_reached(er))
    return cJSON_AddStringToObject(o, "transport_error", "no response") != NULL;
  return cJSON_AddNullToObject(o, "transport_error") != NULL;
}

/* A cleaned string under 'key', or null when 's' is NULL. */
static int add_string_or_null(cJSON *obj, const char *key,
                              const struct al_report *report, const char *s)
{
  if (!s)
    return cJSON_AddNullToObject(obj, key) != NULL;
  return add_string(obj, key, report, s);
}

/* One probe entry: what it sent (method and URL of its request, null when
 * it sent nothing), what came back (for a burst: the judged answer and
 * every status in "statuses") and its findings. */
static cJSON *probe_json(const struct al_report *report,
                         const struct al_probe_result *pr)
{
  const struct al_request *req = pr->note ? NULL : pr->request;
  const struct al_response *res = pr->note ? NULL : pr->response;
  cJSON *o = cJSON_CreateObject();
  if (!o || !add_string(o, "probe", report, pr->probe) ||
      !add_string(o, "step", report, pr->step) ||
      !add_string(o, "sent", report, pr->sent) ||
      !add_string_or_null(o, "method", report, req ? req->method : NULL) ||
      !add_string_or_null(o, "url", report, req ? req->url : NULL))
    goto fail;
  cJSON *item = al_report_probe_reached(pr) && res
                    ? cJSON_AddNumberToObject(
                          o, "status", (double)al_response_answer_status(res))
                    : cJSON_AddNullToObject(o, "status");
  if (!item)
    goto fail;
  item = res ? cJSON_AddNumberToObject(o, "elapsed_ms", res->elapsed_ms)
             : cJSON_AddNullToObject(o, "elapsed_ms");
  if (!item || !add_count(o, "sent_count", pr->sent_count) ||
      !add_string_or_null(o, "statuses", report, pr->statuses) ||
      !add_string_or_null(o, "note", report, pr->note))
    goto fail;
  /* Why a sent probe got no answer, as for the endpoint itself. */
  const char *terr = NULL;
  if (res && res->transport_error)
    terr = res->transport_error;
  else if (!pr->note && !al_report_probe_reached(pr))
    terr = "no response";
  if (!add_string_or_null(o, "transport_error", report, terr))
    goto fail;
  cJSON *findings = cJSON_AddArrayToObject(o, "findings");
  if (!findings ||
      !add_findings(findings, report, pr->results, pr->result_count))
    goto fail;
  return o;
fail:
  cJSON_Delete(o);
  return NULL;
}

static int add_probes(cJSON *o, const struct al_report *report,
                      const struct al_endpoint_result *er)
{
  cJSON *probes = cJSON_AddArrayToObject(o, "probes");
  if (!probes)
    return 0;
  for (size_t i = 0; i < er->probe_count; i++) {
    cJSON *p = probe_json(report, &er->probes[i]);
    if (!p)
      return 0;
    cJSON_AddItemToArray(probes, p);
  }
  return 1;
}

static cJSON *endpoint_json(const struct al_report *report,
                            const struct al_spec *spec,
                            const struct al_endpoint_result *er)
{
  cJSON *o = cJSON_CreateObject();
  struct al_buf b;
  al_buf_init(&b);
  if (!o)
    goto fail;
  int line = er->endpoint ? er->endpoint->line : 0;
  if (al_buf_append_str(&b, al_endpoint_file(spec, er->endpoint)) != AL_OK ||
      (line > 0 && al_buf_printf(&b, ":%d", line) != AL_OK))
    goto fail;
  if (!add_string(o, "name", report, al_report_endpoint_name(er)) ||
      !add_string(o, "method", report, al_report_endpoint_method(er)) ||
      !add_string(o, "url", report, al_report_endpoint_url(er)) ||
      !add_string(o, "spec", report, al_buf_str(&b)) ||
      !add_response(o, report, er) || !add_results(o, report, er) ||
      !add_probes(o, report, er))
    goto fail;
  al_buf_cleanup(&b);
  return o;
fail:
  al_buf_cleanup(&b);
  cJSON_Delete(o);
  return NULL;
}

/* The run's head: version, start, and each spec with its base URL. */
static cJSON *specs_json(const struct al_report *report)
{
  cJSON *arr = cJSON_CreateArray();
  for (size_t i = 0; arr && i < report->spec_count; i++) {
    const struct al_spec_result *sr = &report->specs[i];
    cJSON *o = cJSON_CreateObject();
    if (!o) {
      cJSON_Delete(arr);
      return NULL;
    }
    cJSON_AddItemToArray(arr, o);
    if (!add_string(o, "path", report, sr->spec ? sr->spec->path : "") ||
        !add_string(o, "name", report, sr->spec ? sr->spec->name : "") ||
        !add_string_or_null(o, "base_url", report, sr->base_url) ||
        !add_count(o, "endpoints", sr->planned)) {
      cJSON_Delete(arr);
      return NULL;
    }
  }
  return arr;
}

/* Writes 'text' with every line after the first indented by 'indent', so
 * the parts printed one at a time nest like one cJSON_Print would. */
static int put_indented(FILE *out, const char *text, const char *indent)
{
  for (const char *p = text; *p; p++) {
    if (fputc(*p, out) == EOF)
      return 0;
    if (*p == '\n' && fputs(indent, out) == EOF)
      return 0;
  }
  return 1;
}

/* Prints 'item' (and deletes it) as the value of a member already opened. */
static enum al_code put_item(FILE *out, cJSON *item, const char *indent)
{
  if (!item)
    return AL_E_NOMEM;
  char *text = cJSON_Print(item);
  cJSON_Delete(item);
  if (!text)
    return AL_E_NOMEM;
  enum al_code rc = put_indented(out, text, indent) ? AL_OK : AL_E_IO;
  free(text);
  return rc;
}

struct json_state {
  FILE *out; /* borrowed */
  const struct al_report *report;
  size_t written; /* endpoints so far */
};

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
  *state = j;
  if (fprintf(out, "{\n\t\"apilint\":\t\"%s\",\n\t\"started\":\t", AL_VERSION) <
      0)
    return AL_E_IO;
  enum al_code rc = report->started[0]
                        ? put_item(out, cJSON_CreateString(report->started), "")
                        : put_item(out, cJSON_CreateNull(), "");
  if (rc == AL_OK && fputs(",\n\t\"specs\":\t", out) == EOF)
    rc = AL_E_IO;
  if (rc == AL_OK)
    rc = put_item(out, specs_json(report), "\t");
  if (rc == AL_OK && fputs(",\n\t\"endpoints\":\t[", out) == EOF)
    rc = AL_E_IO;
  return rc;
}

static enum al_code json_endpoint(void *state,
                                  const struct al_report_item *item)
{
  struct json_state *j = state;
  if (fputs(j->written++ ? ", " : "", j->out) == EOF)
    return AL_E_IO;
  return put_item(j->out, endpoint_json(j->report, item->spec, item->result),
                  "\t\t");
}

static enum al_code json_end(void *state)
{
  struct json_state *j = state;
  if (fputs("],\n\t\"summary\":\t", j->out) == EOF)
    return AL_E_IO;
  enum al_code rc = put_item(j->out, summary_json(j->report), "\t");
  if (rc == AL_OK && (fputs("\n}\n", j->out) == EOF || ferror(j->out)))
    rc = AL_E_IO;
  return rc;
}

static void json_free(void *state)
{
  free(state);
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
