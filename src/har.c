/* har.c - HAR file -> one endpoint, request and response per recorded
 * exchange (har.h). The file is read by yamldoc (JSON is YAML), so every
 * entry knows its line:col and a broken file is an error with a position.
 * Bodies are decoded (base64 included) up to the body cap; the true size
 * is counted as transfer.c counts it. */
#include "har.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "yamldoc.h"

#define BODY_CAP_DEFAULT (1024UL * 1024)

struct loader {
  const char *file;
  const struct al_har_opts *opts;
  struct al_err *err;
  struct al_har *har;
  size_t cap; /* entries allocated */
};

static const char *str_of(const struct al_ynode *n)
{
  return n && n->kind == AL_YNODE_SCALAR ? n->value : NULL;
}

static enum al_code oom(struct loader *L)
{
  return al_err_set(L->err, AL_E_NOMEM, L->file, 0, 0, "out of memory");
}

static int has_prefix_nocase(const char *s, const char *prefix)
{
  for (; *prefix; s++, prefix++) {
    char a = *s, b = *prefix;
    if (a >= 'A' && a <= 'Z')
      a = (char)(a - 'A' + 'a');
    if (a != b)
      return 0;
  }
  return 1;
}

/* The path of an absolute URL, without query or fragment: "/users/1". */
static char *url_path(const char *url)
{
  const char *p = strstr(url, "://");
  p = p ? strchr(p + 3, '/') : NULL;
  if (!p)
    return al_strdup("/");
  size_t n = strcspn(p, "?#");
  return al_strndup(p, n);
}

/* Browser noise: what no API owner asked for. */
static int is_noise(const char *url, long status)
{
  if (status <= 0)
    return 1; /* blocked, aborted, never answered */
  if (!has_prefix_nocase(url, "http://") && !has_prefix_nocase(url, "https://"))
    return 1; /* data:, blob:, about:, chrome-extension:, ws: ... */
  char *path = url_path(url);
  int noise = path && strlen(path) >= 12 &&
              strcmp(path + strlen(path) - 12, "/favicon.ico") == 0;
  free(path);
  return noise;
}

/* "HTTP/1.1" -> "1.1", "h2"/"HTTP/2.0" -> "2", "h3" -> "3"; else "1.1". */
static const char *http_version(const char *v)
{
  if (!v)
    return "1.1";
  if (has_prefix_nocase(v, "http/"))
    v += 5;
  else if (v[0] == 'h' || v[0] == 'H')
    v += 1;
  if (strncmp(v, "2", 1) == 0)
    return "2";
  if (strncmp(v, "3", 1) == 0)
    return "3";
  if (strcmp(v, "1.0") == 0)
    return "1.0";
  return "1.1";
}

static enum al_code add_secret(struct loader *L, const char *value)
{
  struct al_har *har = L->har;
  if (!value || strlen(value) < 3)
    return AL_OK;
  char *copy = al_strdup(value);
  char **grown =
      copy ? realloc(har->secrets, (har->secret_count + 1) * sizeof *grown)
           : NULL;
  if (!grown) {
    free(copy);
    return oom(L);
  }
  grown[har->secret_count++] = copy;
  har->secrets = grown;
  return AL_OK;
}

/* name=value of a Set-Cookie (up to ';'): the value is a credential. */
static enum al_code add_cookie_value(struct loader *L, const char *set_cookie)
{
  const char *eq = strchr(set_cookie, '=');
  if (!eq)
    return AL_OK;
  size_t n = strcspn(eq + 1, ";");
  char *v = al_strndup(eq + 1, n);
  if (!v)
    return oom(L);
  enum al_code rc = add_secret(L, v);
  free(v);
  return rc;
}

/* HAR headers [{name, value}] into 'h'. HTTP/2 pseudo-headers (":path")
 * are not fields. */
static enum al_code load_headers(struct loader *L, const struct al_ynode *list,
                                 struct al_headers *h, int response)
{
  if (!list || list->kind != AL_YNODE_SEQ)
    return AL_OK;
  for (size_t i = 0; i < list->count; i++) {
    const char *name = str_of(al_ynode_get(list->items[i], "name"));
    const char *value = str_of(al_ynode_get(list->items[i], "value"));
    if (!name || !*name || name[0] == ':')
      continue;
    if (al_headers_add(h, name, value ? value : "") != AL_OK)
      return oom(L);
    if (response && value && al_strcaseeq(name, "Set-Cookie") &&
        add_cookie_value(L, value) != AL_OK)
      return AL_E_NOMEM;
  }
  return AL_OK;
}

/* The values of a HAR cookies list [{name, value}]: all credentials. */
static enum al_code load_cookies(struct loader *L, const struct al_ynode *list)
{
  if (!list || list->kind != AL_YNODE_SEQ)
    return AL_OK;
  for (size_t i = 0; i < list->count; i++) {
    enum al_code rc =
        add_secret(L, str_of(al_ynode_get(list->items[i], "value")));
    if (rc != AL_OK)
      return rc;
  }
  return AL_OK;
}

/* content.text (base64 when content.encoding says so) into the body, up to
 * the cap; body_size is the whole decoded size. */
static enum al_code load_body(struct loader *L, const struct al_ynode *content,
                              struct al_response *res)
{
  const struct al_ynode *text = al_ynode_get(content, "text");
  const char *enc = str_of(al_ynode_get(content, "encoding"));
  if (!str_of(text))
    return AL_OK;
  size_t cap =
      L->opts && L->opts->body_cap ? L->opts->body_cap : BODY_CAP_DEFAULT;
  const char *data = text->value;
  size_t len = text->value_len;
  char *decoded = NULL;
  if (enc && strcmp(enc, "base64") == 0) {
    decoded = malloc(len / 4 * 3 + 4);
    if (!decoded)
      return oom(L);
    size_t n = al_base64_decode(data, len, decoded);
    if (n == (size_t)-1)
      n = 0; /* not base64 after all: nothing trustworthy to judge */
    data = decoded;
    len = n;
  }
  res->body_size = len;
  res->body_truncated = len > cap;
  enum al_code rc = al_buf_append(&res->body, data, len > cap ? cap : len);
  free(decoded);
  return rc == AL_OK ? AL_OK : oom(L);
}

static enum al_code grow(struct loader *L)
{
  struct al_har *har = L->har;
  struct al_spec *spec = har->spec;
  if (spec->endpoint_count < L->cap)
    return AL_OK;
  size_t ncap = L->cap ? L->cap * 2 : 64;
  struct al_endpoint *eps =
      realloc(spec->endpoints, ncap * sizeof *spec->endpoints);
  if (eps)
    spec->endpoints = eps;
  struct al_request *reqs =
      eps ? realloc(har->requests, ncap * sizeof *reqs) : NULL;
  if (reqs)
    har->requests = reqs;
  struct al_response *res =
      reqs ? realloc(har->responses, ncap * sizeof *res) : NULL;
  if (!res)
    return oom(L);
  har->responses = res;
  L->cap = ncap;
  return AL_OK;
}

static enum al_code load_entry(struct loader *L, const struct al_ynode *entry)
{
  const struct al_ynode *req = al_ynode_get(entry, "request");
  const struct al_ynode *resp = al_ynode_get(entry, "response");
  const char *method = str_of(al_ynode_get(req, "method"));
  const char *url = str_of(al_ynode_get(req, "url"));
  long status = 0;
  const struct al_ynode *st = al_ynode_get(resp, "status");
  if (!method || !url || !st || !al_ynode_int(st, &status)) {
    L->har->noise++;
    return AL_OK; /* not an exchange this tool can judge */
  }
  if (is_noise(url, status) || status < 100 || status > 999) {
    L->har->noise++;
    return AL_OK;
  }
  if (L->opts && L->opts->url_prefix &&
      strncmp(url, L->opts->url_prefix, strlen(L->opts->url_prefix)) != 0) {
    L->har->outside++;
    return AL_OK;
  }
  if (grow(L) != AL_OK)
    return AL_E_NOMEM;
  struct al_har *har = L->har;
  size_t k = har->spec->endpoint_count;
  struct al_endpoint *ep = &har->spec->endpoints[k];
  struct al_request *rq = &har->requests[k];
  struct al_response *rs = &har->responses[k];
  memset(ep, 0, sizeof *ep);
  al_headers_init(&ep->headers);
  al_request_init(rq);
  al_response_init(rs);
  har->spec->endpoint_count++; /* counted now: freed with the HAR */

  ep->line = entry->line;
  ep->col = entry->col;
  ep->method = al_strdup(method);
  ep->path = url_path(url);
  ep->url = al_strdup(url);
  rq->method = al_strdup(method);
  rq->url = al_strdup(url);
  struct al_buf b;
  al_buf_init(&b);
  if (ep->path)
    al_buf_printf(&b, "%s %s", method, ep->path);
  ep->name = al_buf_detach(&b);
  al_buf_cleanup(&b);
  if (!ep->method || !ep->path || !ep->url || !ep->name || !rq->method ||
      !rq->url)
    return oom(L);

  enum al_code rc =
      load_headers(L, al_ynode_get(req, "headers"), &rq->headers, 0);
  if (rc == AL_OK)
    rc = load_headers(L, al_ynode_get(resp, "headers"), &rs->headers, 1);
  if (rc == AL_OK)
    rc = load_cookies(L, al_ynode_get(req, "cookies"));
  if (rc == AL_OK)
    rc = load_cookies(L, al_ynode_get(resp, "cookies"));
  const char *post =
      str_of(al_ynode_get(al_ynode_get(req, "postData"), "text"));
  if (rc == AL_OK && post &&
      al_request_set_body(rq, post, strlen(post)) != AL_OK)
    rc = oom(L);
  if (rc != AL_OK)
    return rc;

  rs->received = 1;
  rs->status = status;
  const char *version = http_version(str_of(al_ynode_get(resp, "httpVersion")));
  const char *reason = str_of(al_ynode_get(resp, "statusText"));
  al_buf_init(&b);
  al_buf_printf(&b, "HTTP/%s %ld%s%s", version, status,
                reason && *reason ? " " : "", reason ? reason : "");
  rs->status_line = al_buf_detach(&b);
  al_buf_cleanup(&b);
  rs->http_version = al_strdup(version);
  if (!rs->status_line || !rs->http_version)
    return oom(L);
  double t = 0;
  if (al_ynode_double(al_ynode_get(entry, "time"), &t) && t > 0)
    rs->elapsed_ms = t;
  /* The browser drops what follows a bodyless answer and shows a 304 with
   * the cached copy: such recorded content is not what the server sent. */
  int bodyless = status == 204 || status == 304 || status < 200 ||
                 al_strcaseeq(method, "HEAD");
  if (!bodyless)
    rc = load_body(L, al_ynode_get(resp, "content"), rs);
  return rc;
}

static enum al_code spec_for(struct loader *L)
{
  struct al_spec *spec = calloc(1, sizeof *spec);
  if (!spec)
    return oom(L);
  L->har->spec = spec;
  spec->version = 1;
  spec->path = al_strdup(L->file);
  const char *base = strrchr(L->file, '/');
  base = base ? base + 1 : L->file;
  const char *dot = strrchr(base, '.');
  spec->name = al_strndup(base, dot && dot != base ? (size_t)(dot - base)
                                                   : strlen(base));
  return spec->path && spec->name ? AL_OK : oom(L);
}

enum al_code al_har_load(const char *path, const struct al_har_opts *opts,
                         struct al_har **out, struct al_err *err)
{
  struct loader L;
  memset(&L, 0, sizeof L);
  L.file = path;
  L.opts = opts;
  L.err = err;
  *out = NULL;
  struct al_ynode *root = NULL;
  enum al_code rc = al_yamldoc_load_max(path, AL_HAR_MAX_FILE, &root, err);
  if (rc != AL_OK)
    return rc;
  L.har = calloc(1, sizeof *L.har);
  if (!L.har) {
    rc = oom(&L);
    goto out;
  }
  if ((rc = spec_for(&L)) != AL_OK)
    goto out;
  const struct al_ynode *log = al_ynode_get(root, "log");
  const struct al_ynode *entries = al_ynode_get(log, "entries");
  if (!entries || entries->kind != AL_YNODE_SEQ) {
    rc = al_err_set(err, AL_E_SPEC, path, log ? log->line : root->line,
                    log ? log->col : root->col,
                    "not a HAR file: expected {\"log\": {\"entries\": "
                    "[...]}}");
    goto out;
  }
  for (size_t i = 0; rc == AL_OK && i < entries->count; i++)
    rc = load_entry(&L, entries->items[i]);
out:
  al_ynode_free(root);
  if (rc != AL_OK) {
    al_har_free(L.har);
    return rc;
  }
  *out = L.har;
  return AL_OK;
}

void al_har_free(struct al_har *har)
{
  if (!har)
    return;
  size_t n = har->spec ? har->spec->endpoint_count : 0;
  for (size_t i = 0; i < n; i++) {
    al_request_cleanup(&har->requests[i]);
    al_response_cleanup(&har->responses[i]);
  }
  free(har->requests);
  free(har->responses);
  al_spec_free(har->spec);
  for (size_t i = 0; i < har->secret_count; i++)
    free(har->secrets[i]);
  free(har->secrets);
  free(har);
}
