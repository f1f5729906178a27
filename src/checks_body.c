/* checks_body.c - checks that read what a body says: error-body,
 * body-status-mismatch, no-error-detail, no-monitor-link and
 * content-type-body. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "checks_util.h"
#include "checks_impl.h"
#include "json_body.h"
#include "rule_logic.h"

/* ------------------------------------------------------------------ */
/* The body as JSON: what every check here reads first. The evaluation's
 * view (in->json, json_body.h) is parsed once for all of them.          */

/* The view of the body to ask: the evaluation's own, or 'own' made here
 * over in->res's body when the caller gave none (the caller cleans 'own'
 * up either way). */
static struct al_json_body *json_view(const struct al_check_input *in,
                                      struct al_json_body *own)
{
  al_json_body_init(own, &in->res->body);
  return in->json ? in->json : own;
}

/* The body as ONE JSON object, or NULL: not JSON, a list, or several
 * values (NDJSON: a log of records, not an answer), or a body cut short. A
 * UTF-8 BOM and surrounding whitespace are allowed. Sets *start to the
 * '{'. Owned by the view. */
static const cJSON *json_object(const struct al_response *res,
                                struct al_json_body *view, size_t *start)
{
  const char *s;
  size_t n;
  if (res->body_truncated || !al_json_body_core(&res->body, &s, &n))
    return NULL;
  /* Only a JSON object can carry members; free text never fires. */
  if (s[0] != '{')
    return NULL;
  const cJSON *root = al_json_body_value(view);
  if (!cJSON_IsObject(root))
    return NULL;
  *start = (size_t)(s - res->body.data);
  return root;
}

/* ------------------------------------------------------------------ */
/* error-body: a 2xx whose JSON body says the request failed.          */

static int key_is(const cJSON *item, const char *name)
{
  return item->string && al_strcaseeq(item->string, name);
}

/* The member rendered compactly as `"name": value`, cut to QUOTE_MAX. */
static enum al_code quote_member(struct al_buf *b, const cJSON *item)
{
  char *value = cJSON_PrintUnformatted(item);
  if (!value)
    return AL_E_NOMEM;
  struct al_buf raw;
  al_buf_init(&raw);
  enum al_code rc = al_buf_printf(&raw, "\"%s\": %s", item->string, value);
  free(value);
  if (rc == AL_OK)
    rc = al_cu_one_line(b, raw.data, raw.len, QUOTE_MAX);
  al_buf_cleanup(&raw);
  return rc;
}

/* The body describes a resource rather than wrapping a request's outcome:
 * it has an "id" (or "_id", "uuid"), a "done" flag (a long-running
 * operation, Google AIP-151), or a "status"/"state" that names a finished
 * job's failure. Its "error", "errors", "status" and "code" then tell about
 * that resource - a failed job, a webhook delivery that got a 503, a lint
 * report with its errors - and a 200 for the request that fetched it is
 * right. */
static int is_resource(const cJSON *root)
{
  static const char *const failed_states[] = {
      "failed",  "failure",   "errored",  "timed_out", "timedout",
      "aborted", "cancelled", "canceled", "rejected",  NULL};
  for (const cJSON *it = root->child; it; it = it->next) {
    if (key_is(it, "id") || key_is(it, "_id") || key_is(it, "uuid"))
      return 1;
    if (key_is(it, "done") && cJSON_IsBool(it))
      return 1;
    if ((key_is(it, "status") || key_is(it, "state")) && cJSON_IsString(it) &&
        it->valuestring)
      for (size_t i = 0; failed_states[i]; i++)
        if (al_strcaseeq(it->valuestring, failed_states[i]))
          return 1;
  }
  return 0;
}

/* A JSON-RPC reply: its "result" is the method's return value, so a
 * "result": false is an answer, not a failure. */
static int is_jsonrpc(const cJSON *root)
{
  for (const cJSON *it = root->child; it; it = it->next)
    if (key_is(it, "jsonrpc"))
      return 1;
  return 0;
}

/* Why 'item' (a top-level member) says "failed", or NULL. Deliberately
 * narrow: booleans that are false, non-empty error members, and numeric
 * 4xx/5xx statuses. Strings such as "400" or "fail" are not taken: a job
 * resource may well report "status": "failed" for a request that worked.
 * 'resource' and 'rpc' come from is_resource() and is_jsonrpc(). */
static const char *failure_reason(const cJSON *item, int resource, int rpc)
{
  if ((key_is(item, "success") || key_is(item, "ok") ||
       (key_is(item, "result") && !rpc)) &&
      cJSON_IsFalse(item))
    return "false";
  if (resource)
    return NULL;
  if (key_is(item, "error") || key_is(item, "errors")) {
    if (cJSON_IsTrue(item))
      return "true";
    if (cJSON_IsString(item) && item->valuestring &&
        item->valuestring[strspn(item->valuestring, " \t\r\n")] != '\0')
      return "non-empty";
    if ((cJSON_IsObject(item) || cJSON_IsArray(item)) && item->child)
      return "non-empty";
    return NULL;
  }
  if ((key_is(item, "status") || key_is(item, "code") ||
       key_is(item, "statusCode")) &&
      cJSON_IsNumber(item)) {
    double v = item->valuedouble;
    if (v >= 400 && v <= 599 && v == (double)(long)v)
      return "4xx/5xx";
  }
  return NULL;
}

enum al_code al_checks_error_body(const void *state,
                                  const struct al_check_input *in,
                                  struct al_check_hits *out)
{
  (void)state;
  const struct al_buf *body = &in->res->body;
  size_t skip = 0;
  struct al_json_body own;
  const cJSON *root = json_object(in->res, json_view(in, &own), &skip);
  if (!root) {
    al_json_body_cleanup(&own);
    return AL_OK;
  }
  enum al_code rc = AL_OK;
  struct al_buf detail;
  al_buf_init(&detail);
  int quoted = 0;
  int rpc = is_jsonrpc(root);
  /* A JSON-RPC "id" names the call, not a resource. */
  int resource = !rpc && is_resource(root);
  for (const cJSON *item = root->child; item && rc == AL_OK;
       item = item->next) {
    if (!failure_reason(item, resource, rpc))
      continue;
    if (quoted == 3) {
      rc = al_buf_append_str(&detail, ", ...");
      break;
    }
    if (quoted++ > 0)
      rc = al_buf_append_str(&detail, ", ");
    if (rc == AL_OK)
      rc = quote_member(&detail, item);
  }
  al_json_body_cleanup(&own);
  if (rc == AL_OK && quoted > 0) {
    char *ev = al_cu_excerpt(body->data, body->len, skip, skip + EXCERPT_MAX);
    rc = ev ? al_check_hits_add(out, al_buf_str(&detail), ev) : AL_E_NOMEM;
    free(ev);
  }
  al_buf_cleanup(&detail);
  return rc;
}

/* ------------------------------------------------------------------ */
/* The fuller catalogue (RULES.md): a 202's monitor, a client error's    */
/* detail, a status in the body, Content-Type against the body.         */

#define JSON_WALK_DEPTH 32 /* deeper JSON is not walked (a hostile body) */

static int has_prefix_ci(const char *s, const char *prefix)
{
  return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* A member name (or a short text) folded for comparison: lower-case
 * letters and digits only ("status_url", "statusUrl" and "Status-URL" all
 * give "statusurl"; "Bad Request." gives "badrequest"); bytes of UTF-8
 * text are kept, so non-English text is never folded away. Returns 0 when
 * it does not fit in 'size'. */
static int fold_name(const char *s, size_t n, char *out, size_t size)
{
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (!isalnum(c) && c < 0x80)
      continue;
    if (k + 1 >= size)
      return 0;
    out[k++] = (char)tolower(c);
  }
  out[k] = '\0';
  return 1;
}

static int in_list(const char *word, const char *const *list)
{
  for (size_t i = 0; list[i]; i++)
    if (strcmp(word, list[i]) == 0)
      return 1;
  return 0;
}

static int ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* One hit whose detail is the printf-style lead followed by the body
 * s[0..n) quoted on one line (at most QUOTE_MAX), and whose evidence is
 * the body's start. */
static enum al_code add_body_hit(struct al_check_hits *out, const char *s,
                                 size_t n, const char *lead_fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static enum al_code add_body_hit(struct al_check_hits *out, const char *s,
                                 size_t n, const char *lead_fmt, ...)
{
  struct al_buf d;
  al_buf_init(&d);
  char *ev = al_cu_excerpt(s, n, 0, EXCERPT_MAX);
  va_list ap;
  va_start(ap, lead_fmt);
  enum al_code rc = ev ? al_buf_vprintf(&d, lead_fmt, ap) : AL_E_NOMEM;
  va_end(ap);
  if (rc == AL_OK && (al_buf_append_char(&d, '\'') != AL_OK ||
                      al_cu_one_line(&d, s, n, QUOTE_MAX) != AL_OK ||
                      al_buf_append_char(&d, '\'') != AL_OK))
    rc = AL_E_NOMEM;
  if (rc == AL_OK)
    rc = al_check_hits_add(out, al_buf_str(&d), ev);
  free(ev);
  al_buf_cleanup(&d);
  return rc;
}

/* ---- accepted-without-monitor -------------------------------------- */

/* Headers through which a 202 points at its job: the RFC's Location and
 * Content-Location, a Link, and Azure's long-running-operation headers. */
static const char *const monitor_headers[] = {
    "Location",           "Content-Location",     "Link",
    "Operation-Location", "Azure-AsyncOperation", NULL};

/* Member names (folded) that hold a link: href, self, status_url,
 * statusQueryGetUri, _links ... */
static int is_link_name(const char *folded)
{
  static const char *const names[] = {
      "href", "link",    "links",    "url",  "uri",       "location",
      "self", "monitor", "callback", "poll", "statusurl", NULL};
  return in_list(folded, names) || ends_with(folded, "url") ||
         ends_with(folded, "uri") || ends_with(folded, "href") ||
         ends_with(folded, "link") || ends_with(folded, "location");
}

static int is_absolute_url(const char *s)
{
  return (has_prefix_ci(s, "http://") && s[7] &&
          !isspace((unsigned char)s[7])) ||
         (has_prefix_ci(s, "https://") && s[8] &&
          !isspace((unsigned char)s[8]));
}

/* A link-named member's value is a link when it is a URL or a path:
 * "/jobs/7", "jobs/7", "https://api.example.com/jobs/7". "eu-west-1" and
 * free text are not. */
static int is_path_or_url(const char *s)
{
  if (!s[0])
    return 0;
  for (const char *p = s; *p; p++)
    if (isspace((unsigned char)*p))
      return 0;
  return strchr(s, '/') != NULL;
}

static int has_link_name(const cJSON *it)
{
  char folded[64];
  return it->string &&
         fold_name(it->string, strlen(it->string), folded, sizeof folded) &&
         is_link_name(folded);
}

/* 1 if the JSON value holds a link: a link-named member with a URL or
 * path, any absolute http(s) URL (in a 202 that is the job's address), or
 * any path inside a link-named member: {"links": {"status": "/ops/1"}}
 * (in_links). */
static int json_has_link(const cJSON *node, int depth, int in_links)
{
  if (depth > JSON_WALK_DEPTH)
    return 0;
  for (const cJSON *it = node->child; it; it = it->next) {
    if (cJSON_IsString(it) && it->valuestring) {
      if (is_absolute_url(it->valuestring))
        return 1;
      if ((in_links || has_link_name(it)) && is_path_or_url(it->valuestring))
        return 1;
    } else if ((cJSON_IsObject(it) || cJSON_IsArray(it)) &&
               json_has_link(it, depth + 1, in_links || has_link_name(it))) {
      return 1;
    }
  }
  return 0;
}

enum al_code al_checks_monitor(const void *state,
                               const struct al_check_input *in,
                               struct al_check_hits *out)
{
  (void)state;
  const struct al_response *res = in->res;
  /* A 202 to GET or HEAD ("computing, ask again", GitHub's statistics):
   * the request's own URL is the monitor. */
  if (in->req && in->req->method &&
      (strcmp(in->req->method, "GET") == 0 ||
       strcmp(in->req->method, "HEAD") == 0))
    return AL_OK;
  for (size_t i = 0; i < res->headers.count; i++) {
    const struct al_header *f = &res->headers.items[i];
    if (al_cu_name_in(f->name, monitor_headers) &&
        f->value[strspn(f->value, " \t")] != '\0')
      return AL_OK;
  }
  /* The link may lie past what was kept of a long body. */
  if (res->body_truncated)
    return AL_OK;
  const char *s;
  size_t n;
  if (!al_json_body_core(&res->body, &s, &n))
    return al_check_hits_add(
        out, "no Location, Content-Location or Link header and an empty body",
        res->status_line ? res->status_line : "");
  int linked = 0;
  struct al_json_body own;
  const cJSON *root = al_json_body_value(json_view(in, &own));
  if (root) {
    linked = (cJSON_IsString(root) && root->valuestring &&
              is_absolute_url(root->valuestring)) ||
             json_has_link(root, 0, 0);
  } else {
    /* Text or HTML: a URL, or an href attribute. */
    linked = al_memcasemem(s, n, "http://") ||
             al_memcasemem(s, n, "https://") || al_memcasemem(s, n, "href=");
  }
  al_json_body_cleanup(&own);
  if (linked)
    return AL_OK;
  char *ev = al_cu_excerpt(s, n, 0, EXCERPT_MAX);
  if (!ev)
    return AL_E_NOMEM;
  enum al_code rc = al_check_hits_add(
      out,
      "no Location, Content-Location or Link header and no link in the body",
      ev);
  free(ev);
  return rc;
}

/* ---- client-error-without-detail ----------------------------------- */

/* Texts that say only "it failed": reason phrases, generic words and the
 * sentences of stock error pages, folded like member names (so
 * "Bad Request", "BAD_REQUEST" and "bad-request" are one). Leading and
 * trailing numbers ("400 Bad Request", "Bad Request (400)") and a trailing
 * "error"/"exception" ("BadRequestException") are dropped first. */
static const char *const generic_texts[] = {
    "", "badrequest", "invalidrequest", "invalid", "notvalid", "error",
    "errors", "fail", "failed", "failure", "conflict", "unprocessableentity",
    "unprocessablecontent", "unprocessable", "client", "request", "http",
    "httpstatus", "statusbadrequest", "statusconflict",
    "statusunprocessableentity", "invalidinput", "invalidinputs", "invaliddata",
    "invalidrequestdata", "invalidparameter", "invalidparameters",
    "invalidparam", "invalidparams", "invalidargument", "invalidarguments",
    "invalidvalue", "invalidvalues", "invalidbody", "invalidrequestbody",
    "invalidrequestparameters", "badinput", "badparameter", "badparameters",
    "badrequestbody", "wronginput", "wrongrequest", "bad", "malformedrequest",
    "validation", "validationfailed", "validationerrors",
    "requestvalidationfailed", "inputvalidationfailed", "anerroroccurred",
    "anerrorhasoccurred", "erroroccurred", "anunexpectederroroccurred",
    "unexpected", "somethingwentwrong", "somethingwentwrongpleasetryagain",
    "requestfailed", "requestfailedwithstatuscode", "unknown", "oops", "null",
    "none", "na", "undefined", "nomessage", "nomessageavailable",
    "therequestisinvalid", "therequestwasinvalid", "yourrequestisinvalid",
    "yourrequestwasinvalid", "requestisinvalid", "invalidrequestreceived",
    "therequestcouldnotbeunderstoodbytheserverduetomalformedsyntax",
    "yourbrowsersentarequestthatthisservercouldnotunderstand",
    "thebrowserorproxysentarequestthatthisservercouldnotunderstand",
    "theservercannotorwillnotprocesstherequestduetosomethingthatisperceived"
    "tobeaclienterror",
    "oneormorevalidationerrorsoccurred",
    /* Spring Boot's fixed problem detail for any unreadable body. */
    "failedtoreadrequest",
    /* Korean, as in seed 004: return jsonify(error="잘못된 요청입니다."),
     * 400 ("it is a bad request"); "an error occurred"; "conflict". */
    "\xEC\x9E\x98\xEB\xAA\xBB\xEB\x90\x9C\xEC\x9A\x94\xEC\xB2\xAD"
    "\xEC\x9E\x85\xEB\x8B\x88\xEB\x8B\xA4",
    "\xEC\x9E\x98\xEB\xAA\xBB\xEB\x90\x9C\xEC\x9A\x94\xEC\xB2\xAD",
    "\xEC\x98\xA4\xEB\xA5\x98", "\xEC\x97\x90\xEB\x9F\xAC",
    "\xEC\x98\xA4\xEB\xA5\x98\xEA\xB0\x80\xEB\xB0\x9C\xEC\x83\x9D\xED\x96"
    "\x88\xEC\x8A\xB5\xEB\x8B\x88\xEB\x8B\xA4",
    "\xEC\xB6\xA9\xEB\x8F\x8C", "\xEC\x8B\xA4\xED\x8C\xA8", NULL};

/* 1 if s[0..n) says nothing but "it failed". */
static int is_generic_text(const char *s, size_t n)
{
  char f[160];
  if (!fold_name(s, n, f, sizeof f))
    return 0; /* a long text says something */
  char *p = f;
  if (strncmp(p, "http", 4) == 0 && isdigit((unsigned char)p[4]))
    p += 4;
  while (isdigit((unsigned char)*p))
    p++;
  size_t len = strlen(p);
  while (len > 0 && isdigit((unsigned char)p[len - 1]))
    p[--len] = '\0';
  if (in_list(p, generic_texts))
    return 1;
  static const char *const suffixes[] = {"exception", "errors", "error", NULL};
  for (size_t i = 0; suffixes[i]; i++) {
    size_t m = strlen(suffixes[i]);
    if (len > m && ends_with(p, suffixes[i])) {
      char cut[160];
      memcpy(cut, p, len - m);
      cut[len - m] = '\0';
      if (in_list(cut, generic_texts))
        return 1;
    }
  }
  return 0;
}

/* Members (folded names) that describe the response, not the mistake:
 * their values - a timestamp, the request path, a trace id, the status -
 * never count as detail. Names ending in url/uri/href are links too. */
static const char *const meta_members[] = {
    "timestamp", "time",       "date",       "datetime",   "path",
    "instance",  "type",       "requestid",  "traceid",    "correlationid",
    "spanid",    "errorid",    "incidentid", "logref",     "reference",
    "ref",       "id",         "status",     "statuscode", "httpstatus",
    "httpcode",  "statustext", "method",     "url",        "uri",
    "href",      "link",       "links",      "self",       "documentation",
    "docs",      "moreinfo",   "version",    "apiversion", "service",
    "host",      "server",     "locale",     NULL};

/* Members whose value is judged by what it says: "message": "Bad Request"
 * says nothing, "message": "email is required" does. Any other member
 * ("email", "field", "param", "balance") is detail in itself. */
static const char *const said_members[] = {"message",
                                           "msg",
                                           "messages",
                                           "detail",
                                           "details",
                                           "description",
                                           "errordescription",
                                           "error",
                                           "errors",
                                           "errormessage",
                                           "errormsg",
                                           "title",
                                           "reason",
                                           "code",
                                           "errorcode",
                                           "name",
                                           "text",
                                           "info",
                                           "summary",
                                           "hint",
                                           "cause",
                                           "explanation",
                                           "success",
                                           "ok",
                                           "result",
                                           "data",
                                           "meta",
                                           "severity",
                                           "level",
                                           "usermessage",
                                           "developermessage",
                                           "localizedmessage",
                                           "nonfielderrors",
                                           NULL};

static int is_meta_member(const char *folded)
{
  return in_list(folded, meta_members) || ends_with(folded, "url") ||
         ends_with(folded, "uri") || ends_with(folded, "href");
}

static int json_is_empty(const cJSON *v)
{
  return cJSON_IsNull(v) ||
         (cJSON_IsString(v) &&
          (!v->valuestring ||
           v->valuestring[strspn(v->valuestring, " \t\r\n")] == '\0')) ||
         ((cJSON_IsArray(v) || cJSON_IsObject(v)) && !v->child);
}

/* 1 if the JSON value says something about what was wrong. */
static int json_has_detail(const cJSON *node, int depth)
{
  if (depth > JSON_WALK_DEPTH)
    return 1; /* not walked: assume it says something */
  if (cJSON_IsString(node))
    return node->valuestring &&
           !is_generic_text(node->valuestring, strlen(node->valuestring));
  if (cJSON_IsArray(node)) {
    for (const cJSON *it = node->child; it; it = it->next)
      if (json_has_detail(it, depth + 1))
        return 1;
    return 0;
  }
  if (!cJSON_IsObject(node))
    return 0;
  for (const cJSON *it = node->child; it; it = it->next) {
    char folded[64];
    if (!it->string ||
        !fold_name(it->string, strlen(it->string), folded, sizeof folded))
      return 1; /* a long name is not one of ours: a field */
    if (is_meta_member(folded))
      continue;
    if (!in_list(folded, said_members)) {
      if (!json_is_empty(it))
        return 1;
      continue;
    }
    if (json_has_detail(it, depth + 1))
      return 1;
  }
  return 0;
}

/* A server's signature line on a stock page: "nginx/1.22.1",
 * "Apache/2.4.57 (Debian) Server at example.com Port 80", "cloudflare". */
static int is_server_signature(const char *s, size_t n)
{
  static const char *const products[] = {
      "nginx",     "openresty", "apache",   "cloudflare", "microsoft-httpapi",
      "envoy",     "caddy",     "tengine",  "lighttpd",   "awselb",
      "litespeed", "varnish",   "gunicorn", NULL};
  for (size_t i = 0; products[i]; i++) {
    size_t m = strlen(products[i]);
    if (n >= m && strncasecmp(s, products[i], m) == 0 &&
        (n == m || s[m] == '/'))
      return 1;
  }
  return 0;
}

/* 1 if a text or HTML body says something beyond generic words: each line
 * (and, in HTML, each run of text between tags) is judged on its own. */
static int text_has_detail(const char *s, size_t n)
{
  int html = s[0] == '<';
  size_t i = 0;
  while (i < n) {
    if (html && s[i] == '<') {
      while (i < n && s[i] != '>')
        i++;
      i++;
      continue;
    }
    size_t start = i;
    while (i < n && s[i] != '\n' && !(html && s[i] == '<'))
      i++;
    size_t a = start, b = i;
    while (a < b && isspace((unsigned char)s[a]))
      a++;
    while (b > a && isspace((unsigned char)s[b - 1]))
      b--;
    if (b > a && !is_generic_text(s + a, b - a) &&
        !is_server_signature(s + a, b - a))
      return 1;
    if (i < n && s[i] == '\n')
      i++;
  }
  return 0;
}

static int is_head_request(const struct al_check_input *in)
{
  return in->req && in->req->method && strcmp(in->req->method, "HEAD") == 0;
}

enum al_code al_checks_error_detail(const void *state,
                                    const struct al_check_input *in,
                                    struct al_check_hits *out)
{
  (void)state;
  const struct al_response *res = in->res;
  /* A HEAD answer has no body to explain in; a cut body is not judged. */
  if (is_head_request(in) || res->body_truncated || res->body_incomplete)
    return AL_OK;
  const char *s;
  size_t n;
  if (!al_json_body_core(&res->body, &s, &n))
    return al_check_hits_add(out, "empty body",
                             res->status_line ? res->status_line : "");
  struct al_json_body own;
  const cJSON *root = al_json_body_value(json_view(in, &own));
  int detail = root ? json_has_detail(root, 0) : text_has_detail(s, n);
  al_json_body_cleanup(&own);
  if (detail)
    return AL_OK;
  return add_body_hit(out, s, n, "the body says only ");
}

/* ---- status-mismatch-in-body --------------------------------------- */

enum al_code al_checks_body_status(const void *state,
                                   const struct al_check_input *in,
                                   struct al_check_hits *out)
{
  (void)state;
  const struct al_response *res = in->res;
  size_t skip = 0;
  struct al_json_body own;
  const cJSON *root = json_object(res, json_view(in, &own), &skip);
  enum al_code rc = AL_OK;
  if (!root)
    goto out;
  /* A job, a webhook delivery, an operation: its status is its own. */
  if (is_resource(root))
    goto out;
  for (const cJSON *it = root->child; it; it = it->next) {
    if (!(key_is(it, "status") || key_is(it, "statusCode") ||
          key_is(it, "status_code")) ||
        !cJSON_IsNumber(it))
      continue;
    double v = it->valuedouble;
    if (v < 100 || v > 599 || v != (double)(long)v || (long)v == res->status)
      continue;
    struct al_buf d;
    al_buf_init(&d);
    rc = quote_member(&d, it);
    char *ev = rc == AL_OK ? al_cu_excerpt(res->body.data, res->body.len, skip,
                                           skip + EXCERPT_MAX)
                           : NULL;
    if (rc == AL_OK)
      rc = ev ? al_check_hits_add(out, al_buf_str(&d), ev) : AL_E_NOMEM;
    free(ev);
    al_buf_cleanup(&d);
    break; /* one finding names the first mismatch */
  }
out:
  al_json_body_cleanup(&own);
  return rc;
}

/* ---- content-type-mismatch ---------------------------------------- */

/* application/json or any "+json" type (problem+json, vnd.api+json). */
static int is_json_media(const char *mt)
{
  return strcmp(mt, "application/json") == 0 || ends_with(mt, "+json");
}

/* A +json type that names a stream of JSON values, not one: Spring
 * WebFlux's application/stream+json, NDJSON before application/x-ndjson.
 * (application/x-ndjson, application/jsonl and application/json-seq are
 * not JSON types at all and are not judged.) */
static int is_json_stream_media(const char *mt)
{
  return strcmp(mt, "application/stream+json") == 0;
}

/* Why a body labelled with JSON type 'mt' is not JSON, or NULL. RFC 8259
 * §2: a JSON text is ONE value (a second one after it is not JSON, it is
 * NDJSON, which has its own media types); §8.1: it MUST be UTF-8 (a BOM,
 * which parsers MAY ignore, is not judged). Sets *bad to the offset of a
 * byte that is not UTF-8. */
static const char *json_body_error(const char *mt, struct al_json_body *view,
                                   const char *s, size_t n, size_t *bad)
{
  int count = al_json_body_count(view);
  if (count == 0)
    return "the body is not JSON";
  if (count == 2 && !is_json_stream_media(mt))
    return "the body is not one JSON value but several in a row (RFC 8259 "
           "§2; NDJSON has its own media types)";
  if (count > 0 && !al_utf8_valid(s, n, bad))
    return "the body is not UTF-8 (RFC 8259 §8.1)";
  return NULL;
}

enum al_code al_checks_content_type_body(const void *state,
                                         const struct al_check_input *in,
                                         struct al_check_hits *out)
{
  (void)state;
  const struct al_response *res = in->res;
  char mt[128];
  const char *s;
  size_t n;
  /* A cut body is not judged, nor a HEAD answer's (there is none). */
  if (!al_cu_response_media_type(res, mt, sizeof mt) || is_head_request(in) ||
      res->body_truncated || res->body_incomplete ||
      !al_json_body_core(&res->body, &s, &n))
    return AL_OK;
  const char *why = NULL;
  size_t bad = 0;
  struct al_json_body own;
  struct al_json_body *view = json_view(in, &own);
  if (is_json_media(mt)) {
    why = json_body_error(mt, view, s, n, &bad);
  } else if (strcmp(mt, "text/html") == 0 && (s[0] == '{' || s[0] == '[')) {
    const cJSON *root = al_json_body_value(view);
    if (cJSON_IsObject(root) || cJSON_IsArray(root))
      why = "the body is JSON";
  }
  al_json_body_cleanup(&own);
  if (!why)
    return AL_OK;
  if (strstr(why, "UTF-8"))
    return add_body_hit(out, s, n,
                        "Content-Type %s but %s: byte 0x%02X at offset %zu of ",
                        mt, why, (unsigned)(unsigned char)s[bad],
                        bad + (size_t)(s - res->body.data));
  return add_body_hit(out, s, n, "Content-Type %s but %s: ", mt, why);
}
