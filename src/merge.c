/* merge.c - `apilint merge` (merge.h): each shard's JSON report, as
 * report_json.c writes it, is read with cJSON (one file at a time, its tree
 * freed before the next) into specs, requests, answers and endpoint
 * results; the checks that the shards add up to one run come first. */
#include "merge.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "baseline.h"
#include "buf.h"
#include "finding.h"
#include "fingerprint.h"
#include "request.h"
#include "response.h"
#include "spec.h"
#include "strmap.h"

#define MAX_REPORT_BYTES (2048L * 1024 * 1024) /* cJSON needs ~10x that */
/* Fewer bytes than the smallest endpoint entry a report can hold (its
 * required members' names alone take ~150), so the reports' size bounds
 * how many endpoints their specs may claim. */
#define MIN_ENDPOINT_BYTES 128

/* A request and its answer, as the report showed them. */
struct exchange {
  struct al_request req;
  struct al_response res;
};

struct al_merge {
  struct al_report report;
  struct al_spec **specs; /* owned; report.specs[i].spec borrows them */
  size_t spec_count;
  struct exchange **ex; /* owned; results borrow their request/response */
  size_t ex_count, ex_cap;
  size_t **filled; /* owned; per spec, per endpoint: 1 + the report it came
                      from, 0 = none yet */
  double max_elapsed;
};

/* Reading one report: where we are, for messages. */
struct reader {
  struct al_merge *m;
  const char *const *paths; /* every report, for messages */
  const char *file;
  const char *where; /* "endpoints[3]", "endpoints[3].probes[1]"... */
  char where_buf[96];
  struct al_err *err;
  enum al_code rc;      /* the first failure */
  size_t max_endpoints; /* what the reports' bytes can hold (input_bound) */
};

static int failf(struct reader *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Records the first failure with the file and the place in it. */
static int failf(struct reader *r, const char *fmt, ...)
{
  if (r->rc != AL_OK)
    return 0;
  char msg[700];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  r->rc = AL_E_USAGE;
  al_err_set(r->err, AL_E_USAGE, r->file, 0, 0, "%s%s%s", r->where,
             r->where[0] ? ": " : "", msg);
  return 0;
}

static int oom(struct reader *r)
{
  if (r->rc == AL_OK) {
    r->rc = AL_E_NOMEM;
    al_err_set(r->err, AL_E_NOMEM, r->file, 0, 0, "out of memory");
  }
  return 0;
}

/* ---- typed members ---- */

static const cJSON *member(struct reader *r, const cJSON *obj, const char *key)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!v)
    failf(r, "no '%s' (not a report of apilint %s?)", key, AL_VERSION);
  return v;
}

/* A string member or null; '*ok' 0 when it is neither (or missing). */
static const char *str_or_null(struct reader *r, const cJSON *obj,
                               const char *key)
{
  const cJSON *v = member(r, obj, key);
  if (!v || cJSON_IsNull(v))
    return NULL;
  if (!cJSON_IsString(v)) {
    failf(r, "'%s' must be a string or null", key);
    return NULL;
  }
  return v->valuestring;
}

static const char *str(struct reader *r, const cJSON *obj, const char *key)
{
  const cJSON *v = member(r, obj, key);
  if (v && !cJSON_IsString(v)) {
    failf(r, "'%s' must be a string", key);
    return NULL;
  }
  return v ? v->valuestring : NULL;
}

static int is_null(const cJSON *obj, const char *key)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  return !v || cJSON_IsNull(v);
}

/* Larger than any time, count or limit a run writes: a bound that keeps
 * every conversion to an integer type defined (C11 6.3.1.4). */
#define MAX_NUMBER 1e15

/* A number member; null counts as 'dflt'. cJSON reads 1e999 as infinity. */
static double number(struct reader *r, const cJSON *obj, const char *key,
                     double dflt)
{
  const cJSON *v = member(r, obj, key);
  if (!v || cJSON_IsNull(v))
    return dflt;
  if (!cJSON_IsNumber(v) ||
      !(v->valuedouble >= -MAX_NUMBER && v->valuedouble <= MAX_NUMBER)) {
    failf(r, "'%s' must be a number from %.0f to %.0f", key, -MAX_NUMBER,
          MAX_NUMBER);
    return dflt;
  }
  return v->valuedouble;
}

/* A whole number from 0 to 'max'. */
static size_t count_of(struct reader *r, const cJSON *obj, const char *key,
                       double max)
{
  double v = number(r, obj, key, 0);
  if (r->rc == AL_OK && !(v >= 0 && v <= max && v == (double)(size_t)v)) {
    failf(r, "'%s' must be a whole number from 0 to %.0f", key, max);
    return 0;
  }
  return (size_t)v;
}

static int boolean(struct reader *r, const cJSON *obj, const char *key)
{
  const cJSON *v = member(r, obj, key);
  if (v && !cJSON_IsBool(v))
    return failf(r, "'%s' must be true or false", key);
  return v && cJSON_IsTrue(v);
}

static const cJSON *array(struct reader *r, const cJSON *obj, const char *key)
{
  const cJSON *v = member(r, obj, key);
  if (v && !cJSON_IsArray(v)) {
    failf(r, "'%s' must be an array", key);
    return NULL;
  }
  return v;
}

/* A copy of 's' (NULL stays NULL); 0 on OOM. */
static int dup_to(struct reader *r, char **dst, const char *s)
{
  free(*dst);
  *dst = NULL;
  if (!s)
    return 1;
  *dst = al_strdup(s);
  return *dst ? 1 : oom(r);
}

/* ---- one exchange ---- */

static struct exchange *new_exchange(struct reader *r)
{
  struct al_merge *m = r->m;
  if (m->ex_count == m->ex_cap) {
    size_t cap = m->ex_cap ? m->ex_cap * 2 : 64;
    struct exchange **grown = realloc(m->ex, cap * sizeof *grown);
    if (!grown)
      return oom(r), NULL;
    m->ex = grown;
    m->ex_cap = cap;
  }
  struct exchange *x = calloc(1, sizeof *x);
  if (!x)
    return oom(r), NULL;
  al_request_init(&x->req);
  al_response_init(&x->res);
  m->ex[m->ex_count++] = x;
  return x;
}

/* [[name, value], ...] into 'h'. */
static void read_headers(struct reader *r, const cJSON *obj, const char *key,
                         struct al_headers *h)
{
  const cJSON *list = array(r, obj, key);
  const cJSON *pair;
  cJSON_ArrayForEach(pair, list)
  {
    const cJSON *n = cJSON_GetArrayItem(pair, 0);
    const cJSON *v = cJSON_GetArrayItem(pair, 1);
    if (!cJSON_IsArray(pair) || cJSON_GetArraySize(pair) != 2 ||
        !cJSON_IsString(n) || !cJSON_IsString(v)) {
      failf(r, "'%s' must hold [name, value] pairs of strings", key);
      return;
    }
    if (al_headers_add(h, n->valuestring, v->valuestring) != AL_OK) {
      oom(r);
      return;
    }
  }
}

/* The answer: what put_response, put_wire and put_exchange wrote. */
static void read_response(struct reader *r, const cJSON *obj,
                          struct al_response *res)
{
  res->received = boolean(r, obj, "received");
  long status = (long)count_of(r, obj, "status", 999);
  res->interim_count = count_of(r, obj, "interim_responses", 1e9);
  res->last_interim_status = (long)count_of(r, obj, "interim_status", 999);
  if (res->received)
    res->status = status;
  res->curl_code = (int)count_of(r, obj, "curl_code", 1e6);
  res->elapsed_ms = number(r, obj, "elapsed_ms", 0);
  res->body_limit_hit = boolean(r, obj, "body_prefix_only");
  res->read_limit = (uint64_t)count_of(r, obj, "read_limit", MAX_NUMBER);
  const char *terr = str_or_null(r, obj, "transport_error");
  res->transport_failed = res->curl_code != 0;
  if (!dup_to(r, &res->status_line, str_or_null(r, obj, "status_line")) ||
      !dup_to(r, &res->http_version, str_or_null(r, obj, "http_version")) ||
      !dup_to(r, &res->last_interim_line,
              str_or_null(r, obj, "interim_line")) ||
      !dup_to(r, &res->transport_error, terr))
    return;
  read_headers(r, obj, "response_headers", &res->headers);
  /* Every attempt but the last (the answer itself) was retried. */
  const cJSON *attempts = array(r, obj, "attempts");
  int n = attempts ? cJSON_GetArraySize(attempts) : 0;
  if (n > 1) {
    res->attempts = calloc((size_t)n - 1, sizeof *res->attempts);
    if (!res->attempts) {
      oom(r);
      return;
    }
    /* Walked, not indexed: cJSON_GetArrayItem walks from the start. */
    const cJSON *a = attempts->child;
    for (int i = 0; i + 1 < n && a && r->rc == AL_OK; i++, a = a->next) {
      struct al_attempt *at = &res->attempts[res->attempt_count++];
      at->elapsed_ms = number(r, a, "elapsed_ms", 0);
      at->wait_ms = (long)number(r, a, "retry_after_ms", 0);
      dup_to(r, &at->error, str_or_null(r, a, "transport_error"));
    }
  }
}

/* ---- rule results ---- */

/* The string items of 'list' into 'm' with 'value' unless there already
 * (keys borrowed from the tree); 0 on OOM. */
static int index_strings(struct reader *r, const cJSON *list, size_t value,
                         struct al_strmap *m)
{
  const cJSON *v;
  cJSON_ArrayForEach(v, list)
  {
    int added;
    if (cJSON_IsString(v) &&
        al_strmap_add(m, v->valuestring, strlen(v->valuestring), value, &added,
                      NULL) != AL_OK)
      return oom(r);
  }
  return 1;
}

static int severity_of(struct reader *r, const char *word,
                       enum al_severity *out)
{
  if (word && al_severity_parse(word, 0, out))
    return 1;
  return failf(r, "'severity' must be error, warning or info, got '%s'",
               word ? word : "");
}

/* One finding 'f' of the report into 'rr'. */
static void read_finding(struct reader *r, const cJSON *f,
                         struct al_rule_result *rr)
{
  enum al_severity sev;
  const char *msg = str(r, f, "message"), *ev = str(r, f, "evidence"),
             *level = str(r, f, "level"), *source = str(r, f, "source");
  if (r->rc != AL_OK || !severity_of(r, str(r, f, "severity"), &sev))
    return;
  const char *fp = str_or_null(r, f, "fingerprint");
  const char *expired = str_or_null(r, f, "baseline_expired");
  if (r->rc != AL_OK)
    return;
  /* Both are written as they are (--write-baseline's YAML, the text
   * report's line): only the shapes a run makes pass. */
  if (fp && !al_fingerprint_valid(fp)) {
    failf(r, "'fingerprint' must be %d lower-case hex digits or null",
          AL_FINGERPRINT_LEN);
    return;
  }
  if (expired && !al_baseline_date_valid(expired)) {
    failf(r, "'baseline_expired' must be a date YYYY-MM-DD or null");
    return;
  }
  if (al_rule_result_add_finding(rr, sev, msg, ev, level, source) != AL_OK) {
    oom(r);
    return;
  }
  /* The shard's fingerprint (fingerprint.h) stands: it was made from
   * the path template, which the report does not carry. So do the
   * shard's --baseline marks, unless merge --baseline replaces them. */
  struct al_finding *added = &rr->findings[rr->finding_count - 1];
  snprintf(added->fingerprint, sizeof added->fingerprint, "%s", fp ? fp : "");
  added->suppressed = boolean(r, f, "suppressed");
  if (dup_to(r, &added->baseline_reason, str_or_null(r, f, "baseline_reason")))
    dup_to(r, &added->baseline_expired, expired);
}

/* The results of an endpoint or a probe entry, in the order of "rules":
 * each rule's outcome from "checked", "skipped", "errored" (else it
 * failed) and its findings from "findings". Hashed and linked, not
 * searched: a hand-made report may list many thousands. */
static void read_results(struct reader *r, const cJSON *obj,
                         struct al_rule_result **results, size_t *count)
{
  const cJSON *rules = array(r, obj, "rules");
  const cJSON *checked = array(r, obj, "checked");
  const cJSON *skipped = array(r, obj, "skipped");
  const cJSON *errored = array(r, obj, "errored");
  const cJSON *findings = array(r, obj, "findings");
  if (r->rc != AL_OK)
    return;
  size_t nr = (size_t)cJSON_GetArraySize(rules);
  size_t nf = (size_t)cJSON_GetArraySize(findings);
  struct al_strmap ids, outcomes; /* id -> its first place; -> outcome */
  al_strmap_init(&ids);
  al_strmap_init(&outcomes);
  /* Per rule place, its findings in file order: head/tail into next. */
  size_t *head = malloc((nr + 1) * sizeof *head);
  size_t *tail = malloc((nr + 1) * sizeof *tail);
  size_t *next = malloc((nf + 1) * sizeof *next);
  const cJSON **items = malloc((nf + 1) * sizeof *items);
  const cJSON *id, *f;
  size_t i = 0, j = 0, k;
  if (!head || !tail || !next || !items) {
    oom(r);
    goto out;
  }
  cJSON_ArrayForEach(id, rules)
  {
    if (!cJSON_IsString(id)) {
      failf(r, "'rules' must hold rule ids");
      goto out;
    }
    head[i] = tail[i] = SIZE_MAX;
    int added;
    if (al_strmap_add(&ids, id->valuestring, strlen(id->valuestring), i++,
                      &added, NULL) != AL_OK) {
      oom(r);
      goto out;
    }
  }
  if (!index_strings(r, skipped, AL_OUTCOME_SKIPPED, &outcomes) ||
      !index_strings(r, checked, AL_OUTCOME_PASS, &outcomes) ||
      !index_strings(r, errored, AL_OUTCOME_ERROR, &outcomes))
    goto out;
  cJSON_ArrayForEach(f, findings)
  {
    const char *rule = str(r, f, "rule");
    if (r->rc != AL_OK)
      goto out;
    if (!al_strmap_get(&ids, rule, strlen(rule), &k)) {
      failf(r, "a finding of rule '%s', which is not in 'rules'", rule);
      goto out;
    }
    items[j] = f;
    next[j] = SIZE_MAX;
    if (tail[k] == SIZE_MAX)
      head[k] = j;
    else
      next[tail[k]] = j;
    tail[k] = j++;
  }
  cJSON_ArrayForEach(id, rules)
  {
    size_t outcome = AL_OUTCOME_FAIL;
    al_strmap_get(&outcomes, id->valuestring, strlen(id->valuestring),
                  &outcome);
    al_strmap_get(&ids, id->valuestring, strlen(id->valuestring), &k);
    struct al_rule_result *rr = al_rule_results_add(
        results, count, id->valuestring, (enum al_outcome)outcome);
    if (!rr) {
      oom(r);
      goto out;
    }
    for (size_t x = head[k]; x != SIZE_MAX && r->rc == AL_OK; x = next[x])
      read_finding(r, items[x], rr);
    if (r->rc != AL_OK)
      goto out;
    rr->outcome = (enum al_outcome)outcome;
  }
out:
  free(head);
  free(tail);
  free(next);
  free(items);
  al_strmap_cleanup(&ids);
  al_strmap_cleanup(&outcomes);
}

/* ---- probe entries and endpoints ---- */

static void read_probe(struct reader *r, const cJSON *obj,
                       struct al_endpoint_result *er)
{
  struct al_probe_result *pr = al_endpoint_result_add_probe(er);
  if (!pr) {
    oom(r);
    return;
  }
  if (!dup_to(r, &pr->probe, str(r, obj, "probe")) ||
      !dup_to(r, &pr->step, str(r, obj, "step")) ||
      !dup_to(r, &pr->sent, str(r, obj, "sent")) ||
      !dup_to(r, &pr->note, str_or_null(r, obj, "note")) ||
      !dup_to(r, &pr->statuses, str_or_null(r, obj, "statuses")))
    return;
  pr->sent_count = count_of(r, obj, "sent_count", 1e9);
  read_results(r, obj, &pr->results, &pr->result_count);
  /* A probe that sent nothing has neither request nor answer. */
  if (r->rc != AL_OK || pr->note)
    return;
  struct exchange *x = new_exchange(r);
  if (!x)
    return;
  if (!dup_to(r, &x->req.method, str_or_null(r, obj, "method")) ||
      !dup_to(r, &x->req.url, str_or_null(r, obj, "url")))
    return;
  read_headers(r, obj, "request_headers", &x->req.headers);
  read_response(r, obj, &x->res);
  pr->request = &x->req;
  pr->response = &x->res;
}

/* Fills the spec's endpoint (its place, name, method...) from the report. */
static void read_place(struct reader *r, const cJSON *obj,
                       const struct al_spec *spec, struct al_endpoint *ep)
{
  const char *file = str(r, obj, "file");
  if (!dup_to(r, &ep->name, str(r, obj, "name")) ||
      !dup_to(r, &ep->method, str(r, obj, "method")) ||
      !dup_to(r, &ep->path, str_or_null(r, obj, "path")) ||
      !dup_to(r, &ep->url, str(r, obj, "url")))
    return;
  /* Findings are located in `source:`'s file when it is not the spec. */
  if (file && spec->path && strcmp(file, spec->path) != 0 &&
      !dup_to(r, &ep->file, file))
    return;
  ep->line = (int)count_of(r, obj, "line", 1e9);
  ep->col = (int)count_of(r, obj, "column", 1e9);
}

static void read_endpoint(struct reader *r, const cJSON *obj, size_t file_no)
{
  struct al_merge *m = r->m;
  size_t s = count_of(r, obj, "spec_index", 1e9);
  size_t e = count_of(r, obj, "index", 1e12);
  if (r->rc != AL_OK)
    return;
  if (s >= m->spec_count) {
    failf(r, "'spec_index' %zu: the report has %zu specs", s, m->spec_count);
    return;
  }
  struct al_spec *spec = m->specs[s];
  struct al_spec_result *sr = &m->report.specs[s];
  if (e >= spec->endpoint_count) {
    failf(r, "'index' %zu: spec '%s' has %zu endpoints", e, spec->name,
          spec->endpoint_count);
    return;
  }
  if (m->filled[s][e]) {
    const char *name = str(r, obj, "name");
    failf(r,
          "endpoint '%s' (number %zu of spec '%s') is in %s too: the "
          "shards overlap",
          name ? name : "?", e + 1, spec->name, r->paths[m->filled[s][e] - 1]);
    return;
  }
  m->filled[s][e] = file_no + 1;
  struct al_endpoint *ep = &spec->endpoints[e];
  ep->index = e;
  read_place(r, obj, spec, ep);
  struct al_endpoint_result *er = &sr->endpoints[e];
  er->endpoint = ep;
  struct exchange *x = r->rc == AL_OK ? new_exchange(r) : NULL;
  if (!x)
    return;
  if (!dup_to(r, &x->req.method, ep->method) ||
      !dup_to(r, &x->req.url, ep->url))
    return;
  read_headers(r, obj, "request_headers", &x->req.headers);
  er->request = &x->req;
  /* The run always has an answer, maybe an empty one; a report written
   * without one (a collected report in tests) says null. */
  if (!is_null(obj, "elapsed_ms")) {
    read_response(r, obj, &x->res);
    er->response = &x->res;
  }
  read_results(r, obj, &er->results, &er->result_count);
  const cJSON *probes = array(r, obj, "probes");
  const cJSON *p;
  int i = 0;
  cJSON_ArrayForEach(p, probes)
  {
    if (r->rc != AL_OK)
      return;
    snprintf(r->where_buf + strlen(r->where_buf),
             sizeof r->where_buf - strlen(r->where_buf), ".probes[%d]", i);
    read_probe(r, p, er);
    char *dot = strrchr(r->where_buf, '.');
    if (dot && r->rc == AL_OK)
      *dot = '\0';
    i++;
  }
}

/* ---- the report's head: version, shard, specs ---- */

struct head {
  unsigned index, total; /* total 0: an unsharded report */
  enum al_severity fail_on;
};

/* The first report makes the specs; every other must name the same. */
static void read_specs(struct reader *r, const cJSON *root, int first,
                       const char *first_file)
{
  struct al_merge *m = r->m;
  const cJSON *specs = array(r, root, "specs");
  if (r->rc != AL_OK)
    return;
  size_t n = (size_t)cJSON_GetArraySize(specs);
  if (!first && n != m->spec_count) {
    failf(r, "%zu specs, %s has %zu: reports of different runs", n, first_file,
          m->spec_count);
    return;
  }
  if (first) {
    m->specs = calloc(n ? n : 1, sizeof *m->specs);
    m->filled = calloc(n ? n : 1, sizeof *m->filled);
    m->report.specs = calloc(n ? n : 1, sizeof *m->report.specs);
    if (!m->specs || !m->filled || !m->report.specs) {
      oom(r);
      return;
    }
  }
  const cJSON *js = specs->child; /* walked: see read_response */
  for (size_t i = 0; i < n && js && r->rc == AL_OK; i++, js = js->next) {
    snprintf(r->where_buf, sizeof r->where_buf, "specs[%zu]", i);
    const char *name = str(r, js, "name"), *digest = str(r, js, "digest");
    size_t total = count_of(r, js, "total_endpoints", 1e9);
    /* A spec's endpoints are allocated up front: a hand-edited count must
     * not make a small file claim gigabytes. */
    if (r->rc == AL_OK && total > r->max_endpoints)
      failf(r,
            "'total_endpoints' %zu: the reports given cannot hold that many "
            "endpoints (at most %zu)",
            total, r->max_endpoints);
    const char *path = str(r, js, "path");
    const char *base = str_or_null(r, js, "base_url");
    if (r->rc != AL_OK)
      return;
    if (!first) {
      const struct al_spec *have = m->specs[i];
      if (strcmp(have->name, name) != 0 || strcmp(have->digest, digest) != 0 ||
          have->endpoint_count != total) {
        failf(r,
              "spec '%s' (%zu endpoints, digest %s) is not %s's '%s' (%zu "
              "endpoints, digest %s): reports of different specs or spec "
              "versions",
              name, total, digest[0] ? digest : "none", first_file, have->name,
              have->endpoint_count, have->digest[0] ? have->digest : "none");
        return;
      }
      continue;
    }
    struct al_spec *spec = calloc(1, sizeof *spec);
    if (!spec) {
      oom(r);
      return;
    }
    m->specs[m->spec_count++] = spec;
    m->report.spec_count = m->spec_count;
    spec->endpoints = calloc(total ? total : 1, sizeof *spec->endpoints);
    m->filled[i] = calloc(total ? total : 1, sizeof *m->filled[i]);
    struct al_spec_result *sr = &m->report.specs[i];
    sr->endpoints = calloc(total ? total : 1, sizeof *sr->endpoints);
    if (!spec->endpoints || !m->filled[i] || !sr->endpoints) {
      oom(r);
      return;
    }
    for (size_t e = 0; e < total; e++) {
      al_headers_init(&spec->endpoints[e].headers);
      al_endpoint_result_init(&sr->endpoints[e]);
    }
    spec->endpoint_count = spec->loaded_count = total;
    sr->endpoint_count = sr->planned = total;
    sr->spec = spec;
    snprintf(spec->digest, sizeof spec->digest, "%s", digest);
    if (!dup_to(r, &spec->path, path) || !dup_to(r, &spec->name, name) ||
        !dup_to(r, &spec->base_url, base))
      return;
    sr->base_url = spec->base_url;
  }
  r->where_buf[0] = '\0';
}

static void read_head(struct reader *r, const cJSON *root, struct head *h)
{
  const char *version = str(r, root, "apilint");
  if (r->rc != AL_OK)
    return;
  if (strcmp(version, AL_VERSION) != 0) {
    failf(r,
          "written by apilint %s, this is apilint %s: merge with the version "
          "that ran the shards",
          version, AL_VERSION);
    return;
  }
  const cJSON *shard = member(r, root, "shard");
  if (shard && !cJSON_IsNull(shard)) {
    h->index = (unsigned)count_of(r, shard, "index", 1e6);
    h->total = (unsigned)count_of(r, shard, "total", 1e6);
    if (r->rc == AL_OK && (h->index < 1 || h->index > h->total))
      failf(r, "shard %u/%u is not a shard", h->index, h->total);
  }
  const cJSON *sum = member(r, root, "summary");
  if (r->rc != AL_OK)
    return;
  if (boolean(r, sum, "interrupted")) {
    const char *sig = str_or_null(r, sum, "signal");
    failf(r,
          "the run was interrupted (%s) after %zu of %zu endpoints: run that "
          "shard again",
          sig ? sig : "signal", count_of(r, sum, "endpoints", 1e12),
          count_of(r, sum, "planned", 1e12));
    return;
  }
  const char *fail_on = str(r, sum, "fail_on");
  if (r->rc == AL_OK && !al_severity_parse(fail_on, 1, &h->fail_on))
    failf(r, "summary: 'fail_on' must be error, warning, info or never");
  double elapsed = number(r, sum, "elapsed_ms", 0);
  if (elapsed > r->m->max_elapsed)
    r->m->max_elapsed = elapsed;
  if (!boolean(r, root, "tls_verified"))
    r->m->report.tls_unverified = 1;
  const char *started = str_or_null(r, root, "started");
  /* The merged run started when its first shard did (ISO 8601 strings of
   * one shape compare as text). */
  if (started && strlen(started) < sizeof r->m->report.started &&
      (!r->m->report.started[0] || strcmp(started, r->m->report.started) < 0))
    snprintf(r->m->report.started, sizeof r->m->report.started, "%s", started);
}

/* ---- files ---- */

/* The file's bytes, NUL-terminated, or NULL with 'err' set. */
static char *slurp(struct reader *r, size_t *len)
{
  struct al_buf b;
  al_buf_init(&b);
  switch (al_buf_read_file(&b, r->file, (size_t)MAX_REPORT_BYTES)) {
  case AL_READ_OK:
    break;
  case AL_READ_CANNOT_OPEN:
  case AL_READ_CANNOT_READ:
    failf(r, "cannot read: %s", strerror(errno));
    return NULL;
  case AL_READ_TOO_LARGE:
    failf(r, "larger than %ld MiB", MAX_REPORT_BYTES / 1024 / 1024);
    return NULL;
  case AL_READ_NOMEM:
    oom(r);
    return NULL;
  }
  *len = b.len;
  char *text = al_buf_detach(&b); /* "" for an empty file */
  if (!text)
    oom(r);
  return text;
}

/* Parses one file; on a syntax error names its line and column. */
static cJSON *parse_file(struct reader *r)
{
  size_t len = 0;
  char *text = slurp(r, &len);
  if (!text)
    return NULL;
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
  if (!root) {
    int line = 1, col = 1;
    const char *stop = end && end >= text && end <= text + len ? end : text;
    for (const char *p = text; p < stop; p++) {
      if (*p == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    if (len == 0)
      failf(r, "empty file: not a JSON report");
    else
      failf(r, "not JSON (broken or cut short at line %d, column %d)", line,
            col);
  } else if (!cJSON_IsObject(root)) {
    failf(r, "not an apilint JSON report (not an object)");
    cJSON_Delete(root);
    root = NULL;
  }
  free(text);
  return root;
}

/* Report 'i' against the ones before: one --shard total, each shard once
 * (before its endpoints are read, so a shard given twice says so). */
static void check_head(struct reader *r, const struct head *heads, size_t i)
{
  const struct head *h = &heads[i], *h0 = &heads[0];
  const char *const *paths = r->paths;
  if (i == 0)
    return;
  if (h->total == 0 || h0->total == 0) {
    failf(r,
          "%s is the report of a whole run (no --shard): only shards' "
          "reports are merged",
          h->total ? paths[0] : paths[i]);
    return;
  }
  if (h->total != h0->total) {
    failf(r,
          "shard %u/%u, but %s is shard %u/%u: reports of runs with "
          "different --shard totals",
          h->index, h->total, paths[0], h0->index, h0->total);
    return;
  }
  for (size_t k = 0; k < i; k++)
    if (heads[k].index == h->index) {
      failf(r, "shard %u/%u again (%s is that shard too): each shard once",
            h->index, h->total, paths[k]);
      return;
    }
}

static void read_file(struct reader *r, size_t file_no, const char *first_file,
                      struct head *heads)
{
  struct head *h = &heads[file_no];
  cJSON *root = parse_file(r);
  if (!root)
    return;
  if (!cJSON_GetObjectItemCaseSensitive(root, "apilint") ||
      !cJSON_GetObjectItemCaseSensitive(root, "endpoints")) {
    failf(r, "not an apilint JSON report (no 'apilint' and 'endpoints')");
    cJSON_Delete(root);
    return;
  }
  read_head(r, root, h);
  if (r->rc == AL_OK)
    check_head(r, heads, file_no);
  if (r->rc == AL_OK)
    read_specs(r, root, file_no == 0, first_file);
  const cJSON *eps = r->rc == AL_OK ? array(r, root, "endpoints") : NULL;
  const cJSON *ep;
  int i = 0;
  cJSON_ArrayForEach(ep, eps)
  {
    if (r->rc != AL_OK)
      break;
    snprintf(r->where_buf, sizeof r->where_buf, "endpoints[%d]", i++);
    read_endpoint(r, ep, file_no);
  }
  if (r->rc == AL_OK)
    r->where_buf[0] = '\0';
  cJSON_Delete(root);
}

/* Every shard 1..N (each once: check_head), each endpoint in a report. */
static void check_complete(struct reader *r, const struct head *heads,
                           size_t count)
{
  unsigned total = heads[0].total;
  r->file = "";
  if (total && count < total) {
    char missing[400] = "";
    size_t len = 0, n = 0;
    for (unsigned s = 1; s <= total; s++) {
      int have = 0;
      for (size_t i = 0; i < count && !have; i++)
        have = heads[i].index == s;
      if (have)
        continue;
      n++;
      if (len + 16 < sizeof missing)
        len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%u/%u",
                                n > 1 ? ", " : "", s, total);
    }
    failf(r, "%zu of %u shards missing: %s (give every shard's JSON report)", n,
          total, missing);
    return;
  }
  for (size_t s = 0; s < r->m->spec_count; s++)
    for (size_t e = 0; e < r->m->specs[s]->endpoint_count; e++)
      if (!r->m->filled[s][e]) {
        failf(r,
              "endpoint %zu of spec '%s' is in no report: the shards do "
              "not add up to the spec",
              e + 1, r->m->specs[s]->name);
        return;
      }
}

/* How many endpoints the files at 'paths' can hold in all: their sizes
 * over MIN_ENDPOINT_BYTES; unbounded when one is not a regular file (a
 * pipe's size is not known before it is read). */
static size_t input_bound(const char *const *paths, size_t count)
{
  size_t bytes = 0;
  for (size_t i = 0; i < count; i++) {
    struct stat st;
    if (stat(paths[i], &st) != 0)
      continue; /* read_file says why */
    if (!S_ISREG(st.st_mode))
      return (size_t)-1;
    bytes += (size_t)st.st_size;
  }
  return bytes / MIN_ENDPOINT_BYTES;
}

enum al_code al_merge_load(const char *const *paths, size_t count,
                           const enum al_severity *fail_on,
                           struct al_merge **out, struct al_err *err)
{
  *out = NULL;
  struct al_merge *m = calloc(1, sizeof *m);
  struct head *heads = calloc(count ? count : 1, sizeof *heads);
  if (!m || !heads) {
    free(m);
    free(heads);
    return al_err_set(err, AL_E_NOMEM, "", 0, 0, "out of memory");
  }
  al_report_init(&m->report);
  struct reader r;
  memset(&r, 0, sizeof r);
  r.m = m;
  r.paths = paths;
  r.err = err;
  r.where = r.where_buf;
  r.max_endpoints = input_bound(paths, count);
  for (size_t i = 0; i < count && r.rc == AL_OK; i++) {
    r.file = paths[i];
    r.where_buf[0] = '\0';
    read_file(&r, i, paths[0], heads);
  }
  r.where_buf[0] = '\0';
  if (r.rc == AL_OK && count > 0)
    check_complete(&r, heads, count);
  for (size_t i = 1; r.rc == AL_OK && !fail_on && i < count; i++)
    if (heads[i].fail_on != heads[0].fail_on) {
      r.file = paths[i];
      failf(&r,
            "--fail-on %s, but %s used --fail-on %s: give merge "
            "--fail-on",
            al_severity_name(heads[i].fail_on), paths[0],
            al_severity_name(heads[0].fail_on));
    }
  if (r.rc == AL_OK) {
    struct al_report *rep = &m->report;
    rep->fail_on = fail_on ? *fail_on : heads[0].fail_on;
    rep->elapsed_ms = m->max_elapsed;
    for (size_t s = 0; s < rep->spec_count; s++) {
      rep->planned += rep->specs[s].endpoint_count;
      /* The suites' wall time: the longest shard's (they ran side by
       * side); JUnit's timestamp has no zone. */
      rep->specs[s].elapsed_ms = m->max_elapsed;
      snprintf(rep->specs[s].timestamp, sizeof rep->specs[s].timestamp, "%.19s",
               rep->started);
    }
  }
  free(heads);
  if (r.rc != AL_OK) {
    al_merge_free(m);
    return r.rc;
  }
  *out = m;
  return AL_OK;
}

struct al_report *al_merge_report(struct al_merge *m)
{
  return &m->report;
}

static void clear_marks(struct al_rule_result *results, size_t n)
{
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < results[i].finding_count; k++) {
      struct al_finding *f = &results[i].findings[k];
      f->suppressed = 0;
      free(f->baseline_reason);
      free(f->baseline_expired);
      f->baseline_reason = f->baseline_expired = NULL;
    }
}

void al_merge_clear_baseline(struct al_merge *m)
{
  for (size_t s = 0; s < m->report.spec_count; s++) {
    struct al_spec_result *sr = &m->report.specs[s];
    for (size_t e = 0; e < sr->endpoint_count; e++) {
      struct al_endpoint_result *er = &sr->endpoints[e];
      clear_marks(er->results, er->result_count);
      for (size_t p = 0; p < er->probe_count; p++)
        clear_marks(er->probes[p].results, er->probes[p].result_count);
    }
  }
}

void al_merge_free(struct al_merge *m)
{
  if (!m)
    return;
  al_report_cleanup(&m->report);
  for (size_t i = 0; i < m->ex_count; i++) {
    al_request_cleanup(&m->ex[i]->req);
    al_response_cleanup(&m->ex[i]->res);
    free(m->ex[i]);
  }
  free(m->ex);
  for (size_t s = 0; s < m->spec_count; s++) {
    free(m->filled[s]);
    al_spec_free(m->specs[s]);
  }
  free(m->filled);
  free(m->specs);
  free(m);
}
