/* rule_example.c - runs the canned examples that every rule carries (the
 * documentation is the test): a raw HTTP response as text becomes a
 * struct al_response the way transfer.c would have filled it
 * (al_response_parse_raw, response.c), and goes through al_engine_eval with
 * only the rule under test switched on. A probe example also builds the
 * endpoint's own answer and the other answers, and goes through
 * al_engine_eval_probe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "engine.h"
#include "rule_config.h"
#include "probe.h"
#include "rule_logic.h"

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
