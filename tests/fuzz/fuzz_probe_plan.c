/* fuzz_probe_plan.c - libFuzzer target: the probe planner (probe_plan.c) on
 * every endpoint of a spec parsed from the input. The input is a spec, then
 * optionally a line "#@response" (a YAML comment, so the spec part stays a
 * spec) and a raw HTTP response: the endpoint's own answer the conditional
 * probe builds on (al_response_parse_raw; no answer when it does not parse).
 *
 * Every probe is planned for every endpoint, whatever its `probes:` say, and
 * each plan is held to the planner's safety promises (probe.h), checked by
 * code of its own rather than by al_probe_method_permitted():
 * - no DELETE, PUT or POST (any case) unless declared for the path or listed
 *   in probe_methods;
 * - no credential header value and no credential query value in `sent`;
 * - the unauthenticated probe's request carries neither.
 * To tell a leaked value from text that merely looks like it, the harness
 * first replaces every credential value in the endpoint's request with a
 * marker that occurs nowhere else (inputs that already hold a marker are
 * skipped). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "common.h"
#include "probe.h"
#include "request.h"
#include "response.h"
#include "rule_logic.h"
#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SPLIT "\n#@response\n"
#define HMARK "HdrSecretZ9"
#define QMARK "QrySecretZ9"

/* The fuzz_spec environment: ${TOKEN} is a secret value. */
static const char *fixed_getenv(const char *name, void *ctx)
{
  (void)ctx;
  if (!strcmp(name, "FIXTURE_URL") || !strcmp(name, "BASE"))
    return "http://127.0.0.1:8080";
  if (!strcmp(name, "TOKEN"))
    return "s3cr3t-token";
  if (!strcmp(name, "EMPTY"))
    return "";
  return NULL;
}

static char lower(char c)
{
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int eq_ci(const char *a, size_t alen, const char *b)
{
  if (strlen(b) != alen)
    return 0;
  for (size_t i = 0; i < alen; i++)
    if (lower(a[i]) != lower(b[i]))
      return 0;
  return 1;
}

static int has_ci(const char *hay, const char *needle)
{
  for (; *hay; hay++) {
    size_t k = 0;
    while (needle[k] && hay[k] && lower(hay[k]) == lower(needle[k]))
      k++;
    if (!needle[k])
      return 1;
  }
  return 0;
}

/* Header names that surely carry credentials: a subset of what the planner
 * strips (probe_plan.c is_credential_header), so no false alarm. */
static int credential_header(const struct al_spec *spec, const char *name)
{
  static const char *const words[] = {"api-key", "apikey", "api_key",  "token",
                                      "session", "secret", "password", NULL};
  size_t len = strlen(name);
  if (eq_ci(name, len, "Authorization") ||
      eq_ci(name, len, "Proxy-Authorization") || eq_ci(name, len, "Cookie"))
    return 1;
  for (size_t i = 0; words[i]; i++)
    if (has_ci(name, words[i]))
      return 1;
  for (size_t i = 0; i < spec->secret_header_count; i++)
    if (eq_ci(name, len, spec->secret_headers[i]))
      return 1;
  return 0;
}

/* Query parameters that carry credentials, as probe.h documents them. */
static int credential_param(const char *name, size_t len)
{
  static const char *const names[] = {
      "api_key", "apikey",     "api-key", "access_token",
      "token",   "auth_token", NULL};
  for (size_t i = 0; names[i]; i++)
    if (eq_ci(name, len, names[i]))
      return 1;
  return 0;
}

/* A copy of 'url' with the value of every credential query parameter
 * (between '?' and '#', split at '&', name up to '=') replaced by QMARK.
 * NULL on OOM. */
static char *mark_query(const char *url)
{
  struct al_buf b;
  al_buf_init(&b);
  size_t q = strcspn(url, "?#");
  size_t end = strcspn(url, "#");
  enum al_code rc = al_buf_append(&b, url, q);
  if (url[q] == '?') {
    rc = rc == AL_OK ? al_buf_append_char(&b, '?') : rc;
    for (size_t i = q + 1; rc == AL_OK && i < end;) {
      size_t n = strcspn(url + i, "&#");
      size_t name_len = strcspn(url + i, "=&#");
      if (name_len < n && credential_param(url + i, name_len))
        rc = al_buf_printf(&b, "%.*s=" QMARK, (int)name_len, url + i);
      else
        rc = al_buf_append(&b, url + i, n);
      i += n;
      if (rc == AL_OK && i < end && url[i] == '&')
        rc = al_buf_append_char(&b, '&');
      i++;
    }
  }
  if (rc == AL_OK)
    rc = al_buf_append_str(&b, url + end);
  if (rc != AL_OK) {
    al_buf_cleanup(&b);
    return NULL;
  }
  return al_buf_detach(&b);
}

/* The endpoint's own request as run.c builds it (no -H, no --timeout), with
 * the credential values marked. 0 on OOM. */
static int build_request(const struct al_spec *spec,
                         const struct al_endpoint *ep, struct al_request *req)
{
  req->method = al_strdup(ep->method);
  req->url = mark_query(ep->url);
  if (!req->method || !req->url)
    return 0;
  /* Credential values replaced by the marker as the fields are copied (a
   * field's value lives in its name's allocation: headers.h). */
  for (size_t i = 0; i < ep->headers.count; i++) {
    const struct al_header *h = &ep->headers.items[i];
    const char *v = credential_header(spec, h->name) ? HMARK : h->value;
    if (al_headers_add(&req->headers, h->name, v) != AL_OK)
      return 0;
  }
  if (ep->body) {
    req->body = malloc(ep->body_len + 1);
    if (!req->body)
      return 0;
    memcpy(req->body, ep->body, ep->body_len);
    req->body[ep->body_len] = '\0';
    req->body_len = ep->body_len;
  }
  req->timeout_ms = ep->timeout_ms;
  return 1;
}

static int in_list_ci(const char *const *list, size_t n, const char *s)
{
  for (size_t i = 0; i < n; i++)
    if (eq_ci(s, strlen(s), list[i]))
      return 1;
  return 0;
}

/* The methods declared for the endpoint's path, as probe_run.c collects
 * them (same path without query, any endpoint of the spec). */
static size_t collect_declared(const struct al_spec *spec,
                               const struct al_endpoint *ep, const char **out)
{
  size_t n = 0, plen = strcspn(ep->path, "?#");
  for (size_t e = 0; e < spec->endpoint_count; e++) {
    const struct al_endpoint *o = &spec->endpoints[e];
    if (strcspn(o->path, "?#") != plen || strncmp(o->path, ep->path, plen))
      continue;
    size_t k = 0;
    while (k < n && strcmp(out[k], o->method))
      k++;
    if (k == n)
      out[n++] = o->method;
  }
  return n;
}

static void check_item(const struct al_probe_target *t,
                       const struct al_probe_request *it)
{
  if (!it->sent || strstr(it->sent, HMARK) || strstr(it->sent, QMARK))
    __builtin_trap(); /* a credential in what reports show */
  if (it->note) {
    if (it->request.method || it->repeat != 0)
      __builtin_trap();
    return;
  }
  const char *m = it->request.method;
  if (!m || !it->request.url || it->repeat < 1 ||
      it->repeat > AL_PROBE_BURST_MAX)
    __builtin_trap();
  size_t len = strlen(m);
  if ((eq_ci(m, len, "DELETE") || eq_ci(m, len, "PUT") ||
       eq_ci(m, len, "POST")) &&
      !in_list_ci(t->declared, t->declared_count, m) &&
      !in_list_ci(t->probe_methods, t->probe_method_count, m))
    __builtin_trap(); /* a data-changing method nobody allowed */
  if (!strcmp(it->probe->name, "unauthenticated")) {
    if (strstr(it->request.url, QMARK))
      __builtin_trap();
    for (size_t i = 0; i < it->request.headers.count; i++)
      if (strstr(it->request.headers.items[i].value, HMARK))
        __builtin_trap();
  }
}

static int marked(const char *s)
{
  return s && (strstr(s, HMARK) || strstr(s, QMARK));
}

/* Plans every probe for one endpoint and checks the plan. */
static void plan_endpoint(const struct al_spec *spec, size_t e,
                          const struct al_response *own)
{
  const struct al_endpoint *ep = &spec->endpoints[e];
  const char **declared = malloc(
      (spec->endpoint_count ? spec->endpoint_count : 1) * sizeof *declared);
  struct al_request req;
  struct al_probe_plan plan;
  struct al_err err = {0};
  al_request_init(&req);
  al_probe_plan_init(&plan);
  if (!declared || !build_request(spec, ep, &req))
    goto out;
  /* A marker already in the input (URL, method, a header name or value:
   * everything `sent` is made of) cannot tell a leak from an echo. */
  if (marked(ep->url) || marked(ep->method))
    goto out;
  for (size_t i = 0; i < ep->headers.count; i++)
    if (marked(ep->headers.items[i].name) || marked(ep->headers.items[i].value))
      goto out;
  struct al_probe_target t = {0};
  t.endpoint = ep;
  t.request = &req;
  t.declared = declared;
  t.declared_count = collect_declared(spec, ep, declared);
  t.probe_methods = (const char *const *)ep->probe_methods;
  t.probe_method_count = ep->probe_method_count;
  t.secret_headers = (const char *const *)spec->secret_headers;
  t.secret_header_count = spec->secret_header_count;
  t.burst = ep->burst > 0 ? (size_t)ep->burst : AL_PROBE_BURST_DEFAULT;
  size_t n;
  const struct al_probe_def *defs = al_probe_all(&n);
  for (size_t i = 0; i < n; i++) {
    enum al_code rc = al_probe_plan_add(&plan, &defs[i], &t, own, &err);
    if (rc == AL_E_INTERNAL)
      __builtin_trap(); /* the method gate tripped: "must not happen" */
    if (rc != AL_OK)
      goto out;
  }
  for (size_t i = 0; i < plan.count; i++)
    check_item(&t, &plan.items[i]);
out:
  al_probe_plan_cleanup(&plan);
  al_request_cleanup(&req);
  free(declared);
}

/* Where SPLIT starts in the input, or 'size'. */
static size_t find_split(const uint8_t *data, size_t size)
{
  size_t k = sizeof SPLIT - 1;
  for (size_t i = 0; i + k <= size; i++)
    if (!memcmp(data + i, SPLIT, k))
      return i;
  return size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  size_t split = find_split(data, size);
  struct al_spec_opts opts = {0};
  opts.getenv_fn = fixed_getenv;
  struct al_spec *spec = NULL;
  struct al_err err = {0};
  struct al_response own;
  al_response_init(&own);
  if (al_spec_parse((const char *)data, split, "fuzz.yaml", &opts, &spec,
                    &err) != AL_OK)
    goto out;
  if (split < size) {
    size_t at = split + sizeof SPLIT - 1;
    const char *method =
        spec->endpoint_count ? spec->endpoints[0].method : "GET";
    if (al_response_parse_raw((const char *)data + at, size - at, method, &own,
                              &err) != AL_OK) {
      al_response_cleanup(&own);
      al_response_init(&own); /* no answer */
    }
  }
  for (size_t e = 0; e < spec->endpoint_count; e++)
    plan_endpoint(spec, e, &own);
out:
  al_response_cleanup(&own);
  al_spec_free(spec);
  return 0;
}
