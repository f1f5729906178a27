/* probe_plan.c - the probe planner (see probe.h): turns an endpoint and a
 * probe into the requests the probe sends, or a note saying why it sends
 * nothing. Every planned method passes al_probe_method_permitted(): no
 * DELETE, PUT or POST the spec did not declare or list in probe_methods.
 * Also sums up a rate-limit burst. */
#include "probe.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "redact.h"

void al_probe_plan_init(struct al_probe_plan *plan)
{
  plan->items = NULL;
  plan->count = 0;
}

void al_probe_plan_cleanup(struct al_probe_plan *plan)
{
  for (size_t i = 0; i < plan->count; i++) {
    free(plan->items[i].sent);
    free(plan->items[i].note);
    al_request_cleanup(&plan->items[i].request);
  }
  free(plan->items);
  al_probe_plan_init(plan);
}

static int in_list(const char *const *list, size_t count, const char *method)
{
  for (size_t i = 0; list && i < count; i++)
    if (list[i] && al_strcaseeq(list[i], method))
      return 1;
  return 0;
}

/* The methods that change or create data. Compared ignoring case: HTTP
 * methods are case-sensitive, but a server that folds case would take
 * "delete" for DELETE, and the rule is there to protect real data. */
static int is_restricted(const char *method)
{
  return al_strcaseeq(method, "DELETE") || al_strcaseeq(method, "PUT") ||
         al_strcaseeq(method, "POST");
}

int al_probe_method_permitted(const struct al_probe_target *target,
                              const char *method)
{
  if (!method || !*method)
    return 0;
  if (!is_restricted(method))
    return 1;
  if (!target)
    return 0;
  return in_list(target->declared, target->declared_count, method) ||
         in_list(target->probe_methods, target->probe_method_count, method);
}

/* Fields that describe a body: a request sent without one (OPTIONS, HEAD,
 * an undeclared method) must not claim one, and one with a new body gets
 * its length from libcurl. */
static void remove_body_headers(struct al_headers *h)
{
  al_headers_remove(h, "Content-Type");
  al_headers_remove(h, "Content-Length");
  al_headers_remove(h, "Transfer-Encoding");
}

/* A new request to the endpoint's URL with its headers and timeout, the
 * given method, and the endpoint's body when 'keep_body' (else no body and
 * no body headers). */
static enum al_code base_request(struct al_request *out,
                                 const struct al_request *src,
                                 const char *method, int keep_body)
{
  al_request_init(out);
  out->method = al_strdup(method);
  out->url = al_strdup(src->url);
  out->timeout_ms = src->timeout_ms;
  out->reach = src->reach; /* a probe goes the way its endpoint's request
                              went: same CA, proxy, HTTP version */
  if (!out->method || !out->url ||
      al_headers_copy(&out->headers, &src->headers) != AL_OK)
    goto oom;
  if (keep_body) {
    if (al_request_set_body(out, src->body, src->body_len) != AL_OK)
      goto oom;
  } else {
    remove_body_headers(&out->headers);
  }
  return AL_OK;
oom:
  al_request_cleanup(out);
  return AL_E_NOMEM;
}

/* Sets a JSON body (a copy of the text) with Content-Type: application/json
 * in place of whatever body and type the request had. */
static enum al_code set_json_body(struct al_request *req, const char *json)
{
  if (al_request_set_body(req, json, strlen(json)) != AL_OK)
    return AL_E_NOMEM;
  remove_body_headers(&req->headers);
  return al_headers_set(&req->headers, "Content-Type", "application/json");
}

/* Credential parameters and headers: the redactor's list (redact.h), so
 * what the probe leaves out is exactly what reports mask. Over-matching is
 * the safe side: a stripped header can only make the probe request more
 * anonymous. */
static int is_credential_param(const char *name, size_t len)
{
  return al_redact_is_credential_param(name, len);
}

static int is_credential_header(const struct al_probe_target *t,
                                const char *name)
{
  return al_redact_is_credential_header(name) ||
         in_list(t->secret_headers, t->secret_header_count, name);
}

/* Where the path starts in an absolute URL ("http://h:1/p?q" -> "/p?q");
 * the end of the authority when the URL has no path. */
static const char *url_path_start(const char *url)
{
  const char *s = strstr(url, "://");
  s = s ? s + 3 : url;
  return s + strcspn(s, "/?#");
}

/* The URL's path and query as reports show it ("/users?page=2"), with the
 * values of credential parameters as "***" (sent lines carry no secrets).
 * NULL on OOM. */
static char *display_path(const char *url)
{
  struct al_buf b;
  al_buf_init(&b);
  const char *s = url_path_start(url);
  size_t len = strcspn(s, "#");
  size_t path_len = strcspn(s, "?#");
  enum al_code rc = AL_OK;
  if (s[0] != '/')
    rc = al_buf_append_char(&b, '/');
  if (rc == AL_OK)
    rc = al_buf_append(&b, s, path_len);
  if (rc == AL_OK && path_len < len)
    rc = al_buf_append_char(&b, '?');
  for (size_t i = path_len + 1; rc == AL_OK && i < len;) {
    size_t n = strcspn(s + i, "&#");
    if (n > len - i)
      n = len - i;
    size_t name_len = strcspn(s + i, "=&#");
    if (name_len > n)
      name_len = n;
    if (i > path_len + 1)
      rc = al_buf_append_char(&b, '&');
    if (rc == AL_OK && name_len < n && is_credential_param(s + i, name_len))
      rc = al_buf_printf(&b, "%.*s=***", (int)name_len, s + i);
    else if (rc == AL_OK)
      rc = al_buf_append(&b, s + i, n);
    i += n + 1;
  }
  if (rc != AL_OK) {
    al_buf_cleanup(&b);
    return NULL;
  }
  return al_buf_detach(&b);
}

/* Sets *out to 'url' without its user info ("user:pass@", which libcurl
 * would send as Basic credentials) and credential query parameters (and
 * without a fragment, which is never sent), and appends what was removed
 * to 'names' (", " separated: "user info (URL)", "NAME (query)"). */
static enum al_code strip_credential_params(const char *url, char **out,
                                            struct al_buf *names)
{
  struct al_buf b;
  al_buf_init(&b);
  const char *q = url + strcspn(url, "?#");
  size_t end = strcspn(url, "#");
  const char *host = strstr(url, "://");
  host = host && host < q ? host + 3 : url;
  const char *at = memchr(host, '@', strcspn(host, "/?#"));
  enum al_code rc = AL_OK;
  if (at) {
    rc = al_buf_append(&b, url, (size_t)(host - url));
    if (rc == AL_OK)
      rc = al_buf_printf(names, "%suser info (URL)", names->len ? ", " : "");
    host = at + 1;
  } else {
    host = url;
  }
  if (rc == AL_OK)
    rc = al_buf_append(&b, host, (size_t)(q - host));
  size_t kept = 0;
  if (*q == '?') {
    size_t start = (size_t)(q - url) + 1;
    for (size_t i = start; rc == AL_OK && i < end;) {
      size_t n = strcspn(url + i, "&#");
      size_t name_len = strcspn(url + i, "=&#");
      if (is_credential_param(url + i, name_len)) {
        rc = al_buf_printf(names, "%s%.*s (query)", names->len ? ", " : "",
                           (int)name_len, url + i);
      } else if (n > 0) {
        rc = al_buf_append_char(&b, kept++ ? '&' : '?');
        if (rc == AL_OK)
          rc = al_buf_append(&b, url + i, n);
      }
      i += n + 1;
    }
  }
  if (rc != AL_OK) {
    al_buf_cleanup(&b);
    return rc;
  }
  *out = al_buf_detach(&b);
  return *out ? AL_OK : AL_E_NOMEM;
}

/* Appends one entry to the plan. Takes 'req' (moved into the plan, left
 * initialised), 'sent' and 'note' (owned) whatever happens. The one gate
 * every planned method passes: a step that would send a method the target
 * does not permit is a bug, and nothing of it is planned. */
static enum al_code push(struct al_probe_plan *plan,
                         const struct al_probe_def *p, const char *step,
                         const struct al_probe_target *t,
                         struct al_request *req, char *sent, char *note,
                         size_t repeat, struct al_err *err)
{
  enum al_code rc = AL_OK;
  if (!sent) {
    rc = AL_E_NOMEM;
    goto fail;
  }
  if (req && req->method && !al_probe_method_permitted(t, req->method)) {
    rc = al_err_set(err, AL_E_INTERNAL, "", 0, 0,
                    "probe %s/%s planned %s, which the spec neither "
                    "declares for the path nor lists in probe_methods:",
                    p->name, step, req->method);
    goto fail;
  }
  struct al_probe_request *items =
      realloc(plan->items, (plan->count + 1) * sizeof *items);
  if (!items) {
    rc = AL_E_NOMEM;
    goto fail;
  }
  plan->items = items;
  struct al_probe_request *it = &items[plan->count++];
  it->probe = p;
  it->step = step;
  it->sent = sent;
  it->note = note;
  al_request_init(&it->request);
  if (req) {
    it->request = *req;
    al_request_init(req);
  }
  it->repeat = note ? 0 : repeat;
  return AL_OK;
fail:
  free(sent);
  free(note);
  if (req)
    al_request_cleanup(req);
  return rc;
}

/* One entry that says why the probe sends nothing here. */
static enum al_code push_note(struct al_probe_plan *plan,
                              const struct al_probe_def *p, const char *step,
                              const struct al_probe_target *t, const char *note,
                              struct al_err *err)
{
  char *n = al_strdup(note);
  if (!n)
    return AL_E_NOMEM;
  return push(plan, p, step, t, NULL, al_strdup(""), n, 0, err);
}

/* A new "PREFIXMETHOD /path SUFFIX" line ('prefix' and 'suffix' may be
 * ""). NULL on OOM. */
static char *sent_line(const char *prefix, const char *method, const char *url,
                       const char *suffix)
{
  char *path = display_path(url);
  if (!path)
    return NULL;
  struct al_buf b;
  al_buf_init(&b);
  enum al_code rc = al_buf_printf(&b, "%s%s %s%s%s", prefix, method, path,
                                  *suffix ? " " : "", suffix);
  free(path);
  if (rc != AL_OK) {
    al_buf_cleanup(&b);
    return NULL;
  }
  return al_buf_detach(&b);
}

/* A copy of the endpoint's request with 'method' (no body when 'keep_body'
 * is 0), planned as one request of 'step' shown with 'suffix'. */
static enum al_code push_simple(struct al_probe_plan *plan,
                                const struct al_probe_def *p, const char *step,
                                const struct al_probe_target *t,
                                const char *method, int keep_body,
                                const char *suffix, struct al_err *err)
{
  struct al_request req;
  enum al_code rc = base_request(&req, t->request, method, keep_body);
  if (rc != AL_OK)
    return rc;
  return push(plan, p, step, t, &req, sent_line("", method, req.url, suffix),
              NULL, 1, err);
}

/* ------------------------------------------------------------------ */
/* the probes                                                         */

static int method_is(const struct al_probe_target *t, const char *m)
{
  return al_strcaseeq(t->request->method, m);
}

static enum al_code plan_method_not_allowed(struct al_probe_plan *plan,
                                            const struct al_probe_def *p,
                                            const struct al_probe_target *t,
                                            struct al_err *err)
{
  static const char *const candidates[] = {"PATCH", "DELETE", "PUT", "POST",
                                           NULL};
  size_t planned = 0;
  for (size_t i = 0; candidates[i] && planned < 2; i++) {
    const char *m = candidates[i];
    if (in_list(t->declared, t->declared_count, m) ||
        al_strcaseeq(t->request->method, m) || !al_probe_method_permitted(t, m))
      continue;
    enum al_code rc = push_simple(plan, p, p->steps[0], t, m, 0, "", err);
    if (rc != AL_OK)
      return rc;
    planned++;
  }
  if (planned)
    return AL_OK;
  return push_note(plan, p, p->steps[0], t,
                   "no method left to try: PATCH is declared for this path, "
                   "and DELETE, PUT and POST are declared too or not listed "
                   "in probe_methods: (the probe sends them only when listed, "
                   "e.g. `probe_methods: [DELETE]`)",
                   err);
}

static enum al_code plan_unauthenticated(struct al_probe_plan *plan,
                                         const struct al_probe_def *p,
                                         const struct al_probe_target *t,
                                         struct al_err *err)
{
  struct al_buf names;
  al_buf_init(&names);
  struct al_request req;
  enum al_code rc = base_request(&req, t->request, t->request->method, 1);
  if (rc != AL_OK)
    return rc;
  const struct al_headers *h = &t->request->headers;
  /* 1 while every credential left out is a Cookie: a session cookie has
   * no standard 401 challenge, so frameworks (Django REST framework's
   * SessionAuthentication) rightly answer 403; its own step lets rules
   * tell the cases apart. */
  int only_cookie = 1;
  for (size_t i = 0; rc == AL_OK && i < h->count; i++) {
    const char *name = h->items[i].name;
    if (!is_credential_header(t, name))
      continue;
    if (!al_strcaseeq(name, "Cookie"))
      only_cookie = 0;
    /* List each name once, as first written. */
    size_t first = 0;
    while (!al_strcaseeq(h->items[first].name, name))
      first++;
    if (first == i)
      rc = al_buf_printf(&names, "%s%s", names.len ? ", " : "", name);
    al_headers_remove(&req.headers, name);
  }
  char *url = NULL;
  size_t header_names = names.len;
  if (rc == AL_OK)
    rc = strip_credential_params(t->request->url, &url, &names);
  if (names.len != header_names || header_names == 0)
    only_cookie = 0;
  const char *step = only_cookie ? p->steps[1] : p->steps[0];
  if (rc != AL_OK) {
    al_request_cleanup(&req);
    al_buf_cleanup(&names);
    return rc;
  }
  free(req.url);
  req.url = url;
  if (names.len == 0) {
    al_request_cleanup(&req);
    al_buf_cleanup(&names);
    return push_note(plan, p, p->steps[0], t,
                     "the endpoint's request carries no credentials "
                     "(Authorization, Proxy-Authorization, Cookie, an API-key, "
                     "token, auth or session header, a header listed in "
                     "secrets:, user info in the URL, or an api_key / "
                     "access_token query parameter), so there is nothing to "
                     "leave out",
                     err);
  }
  struct al_buf suffix;
  al_buf_init(&suffix);
  rc = al_buf_printf(&suffix, "without %s", al_buf_str(&names));
  al_buf_cleanup(&names);
  char *sent = rc == AL_OK
                   ? sent_line("", req.method, req.url, al_buf_str(&suffix))
                   : NULL;
  al_buf_cleanup(&suffix);
  return push(plan, p, step, t, &req, sent, NULL, 1, err);
}

/* Every top-level member of the endpoint's JSON object with a value of
 * another type, or NULL when the body is not a JSON object with members
 * (or on OOM: the caller then falls back to the fixed body, which is
 * still a wrong-typed body). */
static char *wrong_typed(const char *body)
{
  if (!body)
    return NULL;
  cJSON *root = cJSON_Parse(body);
  if (!cJSON_IsObject(root) || !root->child) {
    cJSON_Delete(root);
    return NULL;
  }
  cJSON *out = cJSON_CreateObject();
  for (const cJSON *it = root->child; out && it; it = it->next) {
    /* Values no mainstream binder coerces: DRF, Spring/Jackson and
     * Pydantic rightly turn 12345 into "12345" and "true" into true, so
     * those would make a correct API look lax. An object is no string,
     * number or boolean anywhere (null: its type is unknown, and an
     * object is wrong for every scalar). */
    cJSON *v;
    if (cJSON_IsString(it) || cJSON_IsNull(it)) {
      v = cJSON_CreateObject();
      if (v && !cJSON_AddStringToObject(v, "apilint-probe", "not-a-string")) {
        cJSON_Delete(v);
        v = NULL;
      }
    } else if (cJSON_IsNumber(it)) {
      v = cJSON_CreateString("not-a-number");
    } else if (cJSON_IsBool(it)) {
      v = cJSON_CreateString("not-a-boolean");
    } else {
      v = cJSON_CreateString("not-an-object");
    }
    if (!v || !it->string || !cJSON_AddItemToObject(out, it->string, v)) {
      cJSON_Delete(v);
      cJSON_Delete(out);
      out = NULL;
      break;
    }
  }
  char *text = out ? cJSON_PrintUnformatted(out) : NULL;
  cJSON_Delete(out);
  cJSON_Delete(root);
  return text;
}

static enum al_code plan_malformed_body(struct al_probe_plan *plan,
                                        const struct al_probe_def *p,
                                        const struct al_probe_target *t,
                                        struct al_err *err)
{
  static const char *const body_methods[] = {"POST", "PUT", "PATCH", NULL};
  const char *method = NULL;
  for (size_t i = 0; !method && body_methods[i]; i++)
    if (method_is(t, body_methods[i]))
      method = t->request->method; /* as written */
  for (size_t i = 0; !method && body_methods[i]; i++)
    if (in_list(t->probe_methods, t->probe_method_count, body_methods[i]))
      method = body_methods[i];
  if (!method) {
    char note[256];
    snprintf(note, sizeof note,
             "the endpoint is a %.40s, not a POST, PUT or PATCH, and its "
             "probe_methods: lists none of those (list one, e.g. "
             "`probe_methods: [PATCH]`, to send malformed bodies to this "
             "path)",
             t->request->method);
    return push_note(plan, p, p->steps[0], t, note, err);
  }

  char *typed = wrong_typed(t->endpoint ? t->endpoint->body : NULL);
  const char *bodies[3] = {"{\"name\": \"apilint-probe\",",
                           typed ? typed : "{\"name\": 123}", "{}"};
  static const char *const suffixes[3] = {"with invalid JSON",
                                          "with wrong-typed fields",
                                          "with {} (required fields missing)"};
  enum al_code rc = AL_OK;
  for (size_t i = 0; rc == AL_OK && i < 3; i++) {
    struct al_request req;
    rc = base_request(&req, t->request, method, 0);
    if (rc != AL_OK)
      break;
    rc = set_json_body(&req, bodies[i]);
    if (rc != AL_OK) {
      al_request_cleanup(&req);
      break;
    }
    rc = push(plan, p, p->steps[i], t, &req,
              sent_line("", method, req.url, suffixes[i]), NULL, 1, err);
  }
  cJSON_free(typed);
  return rc;
}

static enum al_code plan_conditional(struct al_probe_plan *plan,
                                     const struct al_probe_def *p,
                                     const struct al_probe_target *t,
                                     const struct al_response *res,
                                     struct al_err *err)
{
  char note[256];
  if (!method_is(t, "GET") && !method_is(t, "HEAD")) {
    snprintf(note, sizeof note,
             "the endpoint is a %.40s; only a GET or HEAD is asked again "
             "conditionally",
             t->request->method);
    return push_note(plan, p, p->steps[0], t, note, err);
  }
  if (!res->received)
    return push_note(plan, p, p->steps[0], t,
                     "the endpoint's own request got no answer, so there is "
                     "nothing to be conditional on",
                     err);
  if (res->status != 200) {
    snprintf(note, sizeof note,
             "the endpoint answered %ld, not 200, so there is no "
             "representation to be conditional on",
             res->status);
    return push_note(plan, p, p->steps[0], t, note, err);
  }
  const char *etag = al_headers_get(&res->headers, "ETag");
  const char *lm = al_headers_get(&res->headers, "Last-Modified");
  const char *step, *field, *value;
  if (etag && *etag) {
    step = p->steps[0];
    field = "If-None-Match";
    value = etag;
  } else if (lm && *lm) {
    step = p->steps[1];
    field = "If-Modified-Since";
    value = lm;
  } else {
    return push_note(plan, p, p->steps[0], t,
                     "the answer had no ETag or Last-Modified to be "
                     "conditional on",
                     err);
  }
  struct al_request req;
  enum al_code rc = base_request(&req, t->request, t->request->method, 1);
  if (rc != AL_OK)
    return rc;
  al_headers_remove(&req.headers, "If-None-Match");
  al_headers_remove(&req.headers, "If-Modified-Since");
  rc = al_headers_add(&req.headers, field, value);
  if (rc != AL_OK) {
    al_request_cleanup(&req);
    return rc;
  }
  snprintf(note, sizeof note, "with %s", field);
  return push(plan, p, step, t, &req, sent_line("", req.method, req.url, note),
              NULL, 1, err);
}

static enum al_code plan_not_acceptable(struct al_probe_plan *plan,
                                        const struct al_probe_def *p,
                                        const struct al_probe_target *t,
                                        struct al_err *err)
{
  static const char accept[] = "application/x-apilint-unsupported";
  struct al_request req;
  enum al_code rc = base_request(&req, t->request, t->request->method, 1);
  if (rc == AL_OK &&
      (rc = al_headers_set(&req.headers, "Accept", accept)) != AL_OK)
    al_request_cleanup(&req);
  if (rc != AL_OK)
    return rc;
  return push(plan, p, p->steps[0], t, &req,
              sent_line("", req.method, req.url,
                        "with Accept: application/x-apilint-unsupported"),
              NULL, 1, err);
}

static enum al_code plan_rate_limit(struct al_probe_plan *plan,
                                    const struct al_probe_def *p,
                                    const struct al_probe_target *t,
                                    struct al_err *err)
{
  size_t n = t->burst == 0                   ? AL_PROBE_BURST_DEFAULT
             : t->burst > AL_PROBE_BURST_MAX ? AL_PROBE_BURST_MAX
                                             : t->burst;
  struct al_request req;
  enum al_code rc = base_request(&req, t->request, t->request->method, 1);
  if (rc != AL_OK)
    return rc;
  char count[32];
  snprintf(count, sizeof count, "%zu x ", n);
  char *sent = sent_line(count, req.method, req.url, "");
  return push(plan, p, p->steps[0], t, &req, sent, NULL, n, err);
}

enum al_code al_probe_plan_add(struct al_probe_plan *plan,
                               const struct al_probe_def *p,
                               const struct al_probe_target *target,
                               const struct al_response *endpoint_res,
                               struct al_err *err)
{
  if (!plan || !p || !target || !target->request || !target->request->method ||
      !target->request->url)
    return al_err_set(err, AL_E_INTERNAL, "", 0, 0,
                      "probe planner called without a probe or a request");
  const struct al_probe_target *t = target;
  const char *name = p->name;
  if (strcmp(name, "method-not-allowed") == 0)
    return plan_method_not_allowed(plan, p, t, err);
  if (strcmp(name, "options") == 0)
    return push_simple(plan, p, p->steps[0], t, "OPTIONS", 0, "", err);
  if (strcmp(name, "unauthenticated") == 0)
    return plan_unauthenticated(plan, p, t, err);
  if (strcmp(name, "malformed-body") == 0)
    return plan_malformed_body(plan, p, t, err);
  if (strcmp(name, "conditional") == 0) {
    if (!endpoint_res)
      return al_err_set(err, AL_E_INTERNAL, "", 0, 0,
                        "probe conditional planned without the endpoint's "
                        "answer");
    return plan_conditional(plan, p, t, endpoint_res, err);
  }
  if (strcmp(name, "head") == 0) {
    if (method_is(t, "HEAD"))
      return push_note(plan, p, p->steps[0], t,
                       "the endpoint is a HEAD request already", err);
    return push_simple(plan, p, p->steps[0], t, "HEAD", 0, "", err);
  }
  if (strcmp(name, "not-acceptable") == 0)
    return plan_not_acceptable(plan, p, t, err);
  if (strcmp(name, "rate-limit") == 0)
    return plan_rate_limit(plan, p, t, err);
  return al_err_set(err, AL_E_INTERNAL, "", 0, 0, "unknown probe '%s'", name);
}

/* ------------------------------------------------------------------ */
/* bursts                                                             */

static int no_answer(const struct al_response *r)
{
  return !r->received;
}

size_t al_probe_burst_pick(const struct al_response *responses, size_t n)
{
  if (!responses || n == 0)
    return 0;
  static const long wanted[] = {429, 503};
  for (size_t w = 0; w < 2; w++)
    for (size_t i = 0; i < n; i++)
      if (responses[i].received && responses[i].status == wanted[w])
        return i;
  for (size_t i = 0; i < n; i++)
    if (no_answer(&responses[i]) || responses[i].transport_failed)
      return i;
  return n - 1;
}

static int cmp_long(const void *a, const void *b)
{
  long x = *(const long *)a, y = *(const long *)b;
  return (x > y) - (x < y);
}

/* A response that arrived counts under its status even when its body was
 * cut short: the status is what a burst is judged on. */
char *al_probe_burst_statuses(const struct al_response *responses, size_t n)
{
  struct al_buf b;
  al_buf_init(&b);
  long *st = malloc((n ? n : 1) * sizeof *st);
  if (!st)
    return NULL;
  size_t got = 0, failed = 0;
  for (size_t i = 0; responses && i < n; i++) {
    if (no_answer(&responses[i]))
      failed++;
    else
      st[got++] = responses[i].status;
  }
  qsort(st, got, sizeof *st, cmp_long);
  enum al_code rc = al_buf_append_str(&b, "");
  for (size_t i = 0; rc == AL_OK && i < got;) {
    size_t j = i;
    while (j < got && st[j] == st[i])
      j++;
    rc = al_buf_printf(&b, "%s%ld x%zu", b.len ? ", " : "", st[i], j - i);
    i = j;
  }
  if (rc == AL_OK && failed)
    rc = al_buf_printf(&b, "%sno answer x%zu", b.len ? ", " : "", failed);
  free(st);
  if (rc != AL_OK) {
    al_buf_cleanup(&b);
    return NULL;
  }
  return al_buf_detach(&b);
}
