/* rule_example.c - runs the canned examples that every rule carries (the
 * documentation is the test): a raw HTTP response as text becomes a
 * struct al_response the way transfer.c would have filled it, and goes
 * through al_engine_eval with only the rule under test switched on. A
 * probe example also builds the endpoint's own answer and the other
 * answers, and goes through al_engine_eval_probe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "engine.h"
#include "probe.h"
#include "rule_logic.h"

static int is_tchar(unsigned char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* The next line of text[*pos..len) without its LF or CRLF; sets *n. */
static const char *next_line(const char *text, size_t len, size_t *pos,
                             size_t *n)
{
  const char *start = text + *pos;
  const char *nl = memchr(start, '\n', len - *pos);
  size_t line_len = nl ? (size_t)(nl - start) : len - *pos;
  *pos += line_len + (nl ? 1 : 0);
  if (line_len > 0 && start[line_len - 1] == '\r')
    line_len--;
  *n = line_len;
  return start;
}

static enum al_code parse_status_line(const char *line, size_t n,
                                      struct al_response *res,
                                      struct al_err *err)
{
  /* "HTTP/1.1 204 No Content" or "HTTP/2 200" */
  size_t v = 5;
  if (n < 12 || strncmp(line, "HTTP/", 5) != 0)
    goto bad;
  while (v < n && line[v] != ' ')
    v++;
  if (v + 4 > n || line[v + 1] < '1' || line[v + 1] > '5' ||
      line[v + 2] < '0' || line[v + 2] > '9' || line[v + 3] < '0' ||
      line[v + 3] > '9' || (v + 4 < n && line[v + 4] != ' '))
    goto bad;
  res->status = (line[v + 1] - '0') * 100 + (line[v + 2] - '0') * 10 +
                (line[v + 3] - '0');
  free(res->status_line);
  free(res->http_version);
  res->status_line = al_strndup(line, n);
  res->http_version = al_strndup(line + 5, v - 5);
  return res->status_line && res->http_version ? AL_OK : AL_E_NOMEM;
bad:
  return al_err_set(err, AL_E_RULES, "", 0, 0,
                    "the first line must be a status line like "
                    "'HTTP/1.1 200 OK', got '%.*s'",
                    (int)(n > 60 ? 60 : n), line);
}

/* A 1xx head is never the final answer (libcurl reads on past it): it is
 * kept as the last interim head and the caller parses what follows as the
 * next head. */
static void keep_interim(struct al_response *res)
{
  res->interim_count++;
  res->last_interim_status = res->status;
  free(res->last_interim_line);
  res->last_interim_line = res->status_line;
  res->status_line = NULL;
  free(res->http_version);
  res->http_version = NULL;
  res->status = 0;
  al_headers_cleanup(&res->headers);
}

/* One head and what follows it; for a 1xx head sets *next to where the
 * next head starts (0 when this head was the final one). */
static enum al_code parse_one(const char *text, size_t len, const char *method,
                              struct al_response *res, struct al_err *err,
                              size_t *next)
{
  size_t pos = 0, n;
  *next = 0;
  const char *line = next_line(text, len, &pos, &n);
  enum al_code rc = parse_status_line(line, n, res, err);
  int line_no = 1;
  int in_head = 1;
  while (rc == AL_OK && in_head && pos < len) {
    line = next_line(text, len, &pos, &n);
    line_no++;
    if (n == 0) {
      in_head = 0;
      break;
    }
    size_t colon = 0;
    while (colon < n && is_tchar((unsigned char)line[colon]))
      colon++;
    if (colon == 0 || colon >= n || line[colon] != ':')
      return al_err_set(err, AL_E_RULES, "", 0, 0,
                        "line %d is not a header line 'Name: value': '%.*s'",
                        line_no, (int)(n > 60 ? 60 : n), line);
    size_t vs = colon + 1, ve = n;
    while (vs < ve && (line[vs] == ' ' || line[vs] == '\t'))
      vs++;
    while (ve > vs && (line[ve - 1] == ' ' || line[ve - 1] == '\t'))
      ve--;
    char *name = al_strndup(line, colon);
    char *value = al_strndup(line + vs, ve - vs);
    rc =
        name && value ? al_headers_add(&res->headers, name, value) : AL_E_NOMEM;
    free(name);
    free(value);
  }
  if (rc != AL_OK)
    return rc;
  if (res->status < 200) {
    keep_interim(res);
    while (pos < len && (text[pos] == '\n' || text[pos] == '\r'))
      pos++;
    *next = pos;
    return AL_OK;
  }
  res->received = 1;
  if (in_head)
    return AL_OK; /* no empty line: a head without a body */
  size_t body_len = len - pos;
  /* The fixture server drops the entry's final newline; so do we, so a
   * YAML block scalar and a replies file mean the same bytes. */
  if (body_len > 0 && text[len - 1] == '\n')
    body_len--;
  if (body_len == 0)
    return AL_OK;
  /* libcurl trusts the status: after a 204/304 or a HEAD answer it
   * reads no body, and whatever the server sent stays on the connection
   * for transfer.c to find. */
  int bodyless = res->status == 204 || res->status == 304 ||
                 (method && !strcmp(method, "HEAD"));
  struct al_buf *dst = bodyless ? &res->stray : &res->body;
  rc = al_buf_append(dst, text + pos, body_len);
  if (bodyless)
    res->stray_size = body_len;
  else
    res->body_size = body_len;
  return rc;
}

enum al_code al_response_parse_raw(const char *text, size_t len,
                                   const char *method, struct al_response *res,
                                   struct al_err *err)
{
  size_t next = 0;
  enum al_code rc;
  /* Each round eats at least a status line, so this ends. */
  while ((rc = parse_one(text, len, method, res, err, &next)) == AL_OK &&
         next > 0) {
    text += next;
    len -= next;
    if (len == 0) {
      /* Nothing after the 1xx: the server closed, as transfer.c says. */
      res->transport_failed = 1;
      res->curl_code = 52;
      free(res->transport_error);
      res->transport_error = al_strdup("(52) Empty reply from server");
      return res->transport_error ? AL_OK : AL_E_NOMEM;
    }
  }
  return rc;
}

/* The "(7)" of "(7) Failed to connect", else 7 (CURLE_COULDNT_CONNECT). */
static int curl_code_of(const char *reason)
{
  if (reason[0] == '(') {
    int code = atoi(reason + 1);
    if (code > 0)
      return code;
  }
  return 7;
}

static enum al_code build_exchange(const struct al_rule_example *ex,
                                   struct al_request *req,
                                   struct al_response *res, struct al_err *err)
{
  req->method = al_strdup(ex->method ? ex->method : "GET");
  req->url = al_strdup("http://127.0.0.1/example");
  if (!req->method || !req->url ||
      al_headers_copy(&req->headers, &ex->request_headers) != AL_OK)
    return AL_E_NOMEM;
  if (ex->transport) {
    res->transport_failed = 1;
    res->curl_code = curl_code_of(ex->transport);
    res->transport_error = al_strdup(ex->transport);
    return res->transport_error ? AL_OK : AL_E_NOMEM;
  }
  return al_response_parse_raw(ex->response, ex->response_len, req->method, res,
                               err);
}

/* A raw answer to 'method' as a (request, response) pair. */
static enum al_code build_raw(const char *method, const char *raw, size_t len,
                              struct al_request *req, struct al_response *res,
                              struct al_err *err)
{
  req->method = al_strdup(method);
  req->url = al_strdup("http://127.0.0.1/example");
  if (!req->method || !req->url)
    return AL_E_NOMEM;
  return raw ? al_response_parse_raw(raw, len, method, res, err) : AL_OK;
}

/* Everything a probe example is judged with: the endpoint's own exchange
 * (its response not received when the example gives none), the peers, and
 * the context pointing at them, this answer last. */
struct probe_world {
  size_t n;                /* exchanges: endpoint + peers + this one */
  struct al_request *reqs; /* owned [n] */
  struct al_response *res; /* owned [n] */
  const struct al_request **req_ptrs;
  const struct al_response **res_ptrs;
  struct al_probe_context ctx;
};

static void probe_world_cleanup(struct probe_world *w)
{
  for (size_t i = 0; w->reqs && i < w->n; i++) {
    al_request_cleanup(&w->reqs[i]);
    al_response_cleanup(&w->res[i]);
  }
  free(w->reqs);
  free(w->res);
  free(w->req_ptrs);
  free(w->res_ptrs);
  memset(w, 0, sizeof *w);
}

/* The last exchange of 'w' is left for the caller (the example itself). */
static enum al_code probe_world_build(const struct al_rule_example *ex,
                                      struct probe_world *w, struct al_err *err)
{
  w->n = ex->peer_count + 2;
  w->reqs = calloc(w->n, sizeof *w->reqs);
  w->res = calloc(w->n, sizeof *w->res);
  w->req_ptrs = calloc(w->n, sizeof *w->req_ptrs);
  w->res_ptrs = calloc(w->n, sizeof *w->res_ptrs);
  if (!w->reqs || !w->res || !w->req_ptrs || !w->res_ptrs) {
    free(w->reqs); /* not initialised yet: nothing inside to free */
    free(w->res);
    w->reqs = NULL;
    w->res = NULL;
    return AL_E_NOMEM;
  }
  for (size_t i = 0; i < w->n; i++) {
    al_request_init(&w->reqs[i]);
    al_response_init(&w->res[i]);
    w->req_ptrs[i] = &w->reqs[i];
    w->res_ptrs[i] = &w->res[i];
  }
  enum al_code rc = build_raw(ex->endpoint_method ? ex->endpoint_method : "GET",
                              ex->endpoint_response, ex->endpoint_response_len,
                              &w->reqs[0], &w->res[0], err);
  for (size_t i = 0; rc == AL_OK && i < ex->peer_count; i++)
    rc = build_raw(ex->peers[i].method, ex->peers[i].response,
                   ex->peers[i].response_len, &w->reqs[i + 1], &w->res[i + 1],
                   err);
  w->ctx.probe = ex->probe->name;
  w->ctx.step = ex->step;
  w->ctx.endpoint_req = &w->reqs[0];
  w->ctx.endpoint_res = &w->res[0];
  w->ctx.peer_reqs = w->req_ptrs;
  w->ctx.peer_res = w->res_ptrs;
  w->ctx.peer_count = w->n;
  return rc;
}

enum al_code al_rule_example_run(const struct al_ruleset *rs, size_t index,
                                 const struct al_rule_example *ex, int *fired,
                                 char **message, struct al_err *err)
{
  struct al_request own_req;
  struct al_response own_res;
  struct al_rule_config cfg = {0};
  struct al_endpoint_result er; /* owns the results either way */
  struct al_probe_result *pr = NULL;
  struct probe_world world;
  al_request_init(&own_req);
  al_response_init(&own_res);
  al_endpoint_result_init(&er);
  memset(&world, 0, sizeof world);
  struct al_request *req = &own_req;
  struct al_response *res = &own_res;
  *fired = 0;
  if (message)
    *message = NULL;
  enum al_code rc = AL_OK;
  if (ex->probe) {
    rc = probe_world_build(ex, &world, err);
    req = &world.reqs[world.n - 1];
    res = &world.res[world.n - 1];
  }
  if (rc == AL_OK)
    rc = build_exchange(ex, req, res, err);
  if (rc == AL_OK)
    rc = al_rule_config_init(&cfg, rs);
  if (rc != AL_OK)
    goto out;
  for (size_t i = 0; i < cfg.count; i++)
    cfg.enabled[i] = i == index;
  if (ex->probe) {
    pr = al_endpoint_result_add_probe(&er);
    rc = pr ? al_engine_eval_probe(rs, &cfg, req, res, &world.ctx, NULL, pr)
            : AL_E_NOMEM;
  } else
    rc = al_engine_eval(rs, &cfg, req, res, ex->has_expect ? &ex->expect : NULL,
                        NULL, &er);
  if (rc != AL_OK)
    goto out;
  const struct al_rule_result *results = pr ? pr->results : er.results;
  size_t count = pr ? pr->result_count : er.result_count;
  for (size_t i = 0; i < count; i++) {
    const struct al_rule_result *rr = &results[i];
    if (strcmp(rr->rule_id, rs->rules[index].id) != 0 || rr->finding_count == 0)
      continue;
    *fired = 1;
    if (message && !(*message = al_strdup(rr->findings[0].message)))
      rc = AL_E_NOMEM;
    break;
  }
out:
  probe_world_cleanup(&world);
  al_endpoint_result_cleanup(&er);
  al_rule_config_cleanup(&cfg);
  al_response_cleanup(&own_res);
  al_request_cleanup(&own_req);
  return rc;
}
