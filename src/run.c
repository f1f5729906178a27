/* run.c - one invocation, stage by stage: rules, then every spec (all of them
 * load and validate before a single request leaves), then one transfer batch
 * for all endpoints (so --jobs spans specs), then the engine, then reports.
 * Decides the exit status (CONTRACT.md). */
#include "run.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"
#include "buf.h"
#include "engine.h"
#include "explain.h"
#include "fingerprint.h"
#include "handoff.h"
#include "har.h"
#include "init.h"
#include "interrupt.h"
#include "merge.h"
#include "msg.h"
#include "openapi.h"
#include "outpath.h"
#include "probe.h"
#include "probe_run.h"
#include "redact.h"
#include "report.h"
#include "request.h"
#include "response.h"
#include "ruleset.h"
#include "shard.h"
#include "spec.h"
#include "transfer.h"
#include "yamldoc.h"

/* Everything one lint run owns; freed in one place (run_cleanup). */
struct run_state {
  struct al_ruleset *ruleset;
  struct al_rule_config base_config; /* defaults + command line */
  struct al_spec **specs;
  size_t spec_count;
  size_t endpoint_count;             /* over all specs */
  struct al_rule_config *spec_rules; /* one per spec: the defaults and its
                                        `rules:`, applied once; every
                                        config below starts as a copy */
  struct al_rule_config *configs;    /* one per spec: spec_rules then the
                                        command line; an endpoint with
                                        `rules:` of its own gets its config
                                        made when it is judged */
  struct al_request *requests;       /* same indexing, or a ring of
                                        response_ring (request_of) */
  struct al_response *responses;     /* same indexing, or a ring of
                                        response_ring (response_of) */
  size_t response_ring;     /* 0 = a request and a response per endpoint */
  const struct al_cli *cli; /* borrowed: a ring's requests are built as
                               they start (fill_request) */
  struct al_redactor redactor;
  struct al_report report;
  struct al_probe_run_endpoint *probe_targets; /* same indexing */
  struct al_probe_run *probes;  /* owns probe requests and answers the
                                   report borrows */
  struct al_reach *reaches;     /* one per spec: its defaults under the command
                                   line; the requests borrow them */
  struct al_pacer pacer;        /* --rate / defaults' rate:, the whole run */
  struct al_shard shard;        /* --shard; total 0 = every endpoint */
  struct al_baseline *baseline; /* --baseline, or NULL */
  struct al_baseline *replaced; /* the file --write-baseline replaces (when
                                   no --baseline is given): its reasons
                                   are kept */
};

/* Prints 'err' with every byte a spec, rule file, argument or file name
 * brought in made safe for a terminal (al_report_clean: no escape
 * sequences, valid UTF-8, one line): a hostile spec must not be able to
 * retitle or clear the terminal through an error message. */
static void show_err(const struct al_err *err)
{
  struct al_err shown = *err;
  /* A URL given where a file was expected (apilint URL, --rules URL) or
   * quoted in a message keeps its password and tokens to itself. Masking
   * only shortens and cleaning replaces bytes one for one, so the copies
   * fit. */
  char *file_masked = al_redact_url(err->file);
  char *msg_masked = al_redact_url(err->msg);
  char *file = file_masked
                   ? al_report_clean(NULL, file_masked, strlen(file_masked), 1)
                   : NULL;
  char *msg = msg_masked
                  ? al_report_clean(NULL, msg_masked, strlen(msg_masked), 1)
                  : NULL;
  snprintf(shown.file, sizeof shown.file, "%s",
           file ? file : "(name withheld: out of memory)");
  snprintf(shown.msg, sizeof shown.msg, "%s",
           msg ? msg : "(message withheld: out of memory)");
  free(file_masked);
  free(msg_masked);
  free(file);
  free(msg);
  al_msg_err(&shown);
}

/* Prints a formatted error through show_err(). */
static void show_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static void show_error(const char *fmt, ...)
{
  struct al_err err;
  memset(&err, 0, sizeof err);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err.msg, sizeof err.msg, fmt, ap);
  va_end(ap);
  show_err(&err);
}

/* How many endpoints a run without probes may judge ahead of the oldest
 * one not handed over yet: the results waiting for one slow answer are
 * what memory holds, so this bounds it (a few KiB each: the rule results;
 * bodies are freed when judged). A slow endpoint then holds the run up
 * only after this many later ones are done. */
#define AHEAD_MAX 512

/* Endpoint k's response. A run without probes hands each answer over and
 * frees it before the pipeline lets an endpoint AHEAD_MAX later start
 * (may_start), so AHEAD_MAX responses serve any number of endpoints. */
static struct al_response *response_of(struct run_state *st, size_t k)
{
  return &st->responses[st->response_ring ? k % st->response_ring : k];
}

/* Endpoint k's request, in the same ring as its response: built when it
 * starts (fill_request), freed when it is handed over. */
static struct al_request *request_of(struct run_state *st, size_t k)
{
  return &st->requests[st->response_ring ? k % st->response_ring : k];
}

static void run_cleanup(struct run_state *st)
{
  al_report_cleanup(&st->report);
  al_baseline_free(st->baseline);
  al_baseline_free(st->replaced);
  al_probe_run_free(st->probes);
  free(st->probe_targets);
  for (size_t i = 0; st->configs && i < st->spec_count; i++)
    al_rule_config_cleanup(&st->configs[i]);
  for (size_t i = 0; st->spec_rules && i < st->spec_count; i++)
    al_rule_config_cleanup(&st->spec_rules[i]);
  free(st->spec_rules);
  for (size_t i = 0; i < st->endpoint_count; i++) {
    if (st->requests && (!st->response_ring || i < st->response_ring))
      al_request_cleanup(&st->requests[i]);
    if (st->responses && (!st->response_ring || i < st->response_ring))
      al_response_cleanup(&st->responses[i]);
  }
  free(st->configs);
  free(st->reaches);
  free(st->requests);
  free(st->responses);
  for (size_t i = 0; i < st->spec_count; i++)
    al_spec_free(st->specs[i]);
  free(st->specs);
  al_redactor_cleanup(&st->redactor);
  al_rule_config_cleanup(&st->base_config);
  al_ruleset_free(st->ruleset);
}

/* Built-in rules, then --rules files, then --enable/--disable. */
static int load_rules(const struct al_cli *cli, struct run_state *st)
{
  struct al_err err = {0};
  if (al_ruleset_new_builtin(&st->ruleset, &err) != AL_OK) {
    show_err(&err);
    return 0;
  }
  for (size_t i = 0; i < cli->rule_file_count; i++) {
    if (al_ruleset_load_file(st->ruleset, cli->rule_files[i], &err) != AL_OK) {
      show_err(&err);
      return 0;
    }
  }
  if (al_rule_config_init(&st->base_config, st->ruleset) != AL_OK) {
    al_msg_error("out of memory");
    return 0;
  }
  for (size_t i = 0; i < cli->switch_count; i++) {
    if (al_rule_config_switch(&st->base_config, st->ruleset,
                              cli->switches[i].id, cli->switches[i].on,
                              &err) != AL_OK) {
      show_err(&err);
      return 0;
    }
  }
  return 1;
}

/* apilint check URL: the one-endpoint spec made in memory. Its findings
 * carry the URL instead of a file position. */
static int load_check_spec(const struct al_ynode *doc, const struct al_cli *cli,
                           struct run_state *st)
{
  struct al_spec_opts opts = {0};
  opts.timeout_ms = cli->timeout_ms;
  struct al_err err = {0};
  struct al_spec *spec = NULL;
  st->specs = calloc(1, sizeof *st->specs);
  if (!st->specs)
    return 0;
  /* The URL names the spec in messages: its password, credential query
   * parameters (and their Base64) must not. */
  char *shown = al_redact_url(cli->target);
  if (!shown)
    return 0;
  enum al_code rc = al_spec_build(doc, shown, &opts, &spec, &err);
  free(shown);
  if (rc != AL_OK) {
    /* A line:col in a tree the user never saw would only confuse: the URL
     * (or -X) is what to fix. */
    err.line = err.col = 0;
    show_err(&err);
    return 0;
  }
  st->specs[st->spec_count++] = spec;
  st->endpoint_count = spec->endpoint_count;
  char *name = al_strdup("check");
  if (!name)
    return 0;
  free(spec->name);
  spec->name = name;
  for (size_t e = 0; e < spec->endpoint_count; e++)
    spec->endpoints[e].line = spec->endpoints[e].col = 0;
  return 1;
}

static int load_specs(const char *const *paths, size_t count,
                      const struct al_cli *cli, struct run_state *st)
{
  st->specs = calloc(count ? count : 1, sizeof *st->specs);
  if (!st->specs)
    return 0;
  struct al_spec_opts opts = {0};
  opts.base_url_override = cli->base_url;
  opts.timeout_ms = cli->timeout_ms;
  opts.openapi_all_methods = cli->all_methods;
  int ok = 1;
  /* Load every spec even after a failure, so one run reports every broken
   * file instead of one per attempt. */
  for (size_t i = 0; i < count; i++) {
    struct al_err err = {0};
    struct al_spec *spec = NULL;
    if (al_spec_load(paths[i], &opts, &spec, &err) != AL_OK) {
      show_err(&err);
      ok = 0;
      continue;
    }
    st->specs[st->spec_count++] = spec;
    st->endpoint_count += spec->endpoint_count;
  }
  return ok;
}

/* --shard: keeps this shard's endpoints of every spec (shard.h); every
 * spec gets its digest either way, so any report can be merged. */
static int shard_specs(const struct al_cli *cli, struct run_state *st)
{
  struct al_err err = {0};
  if (cli->shard &&
      al_shard_parse(cli->shard, NULL, &st->shard, &err) != AL_OK) {
    show_err(&err);
    return 0;
  }
  size_t before = st->endpoint_count;
  if (al_shard_apply(st->specs, st->spec_count,
                     cli->shard ? &st->shard : NULL) != AL_OK) {
    al_msg_error("out of memory");
    return 0;
  }
  st->endpoint_count = 0;
  for (size_t s = 0; s < st->spec_count; s++)
    st->endpoint_count += st->specs[s]->endpoint_count;
  if (cli->shard && !cli->quiet)
    al_msg_note("shard %u/%u: %zu of %zu endpoints", st->shard.index,
                st->shard.total, st->endpoint_count, before);
  return 1;
}

static int has_overrides(const struct al_rule_overrides *ov)
{
  return ov && ov->disable_count + ov->enable_count + ov->severity_count > 0;
}

/* The config of endpoint 'ep' of spec 's' (NULL: of its endpoints without
 * `rules:`): a copy of the spec's layer (the defaults and the spec's
 * `rules:`, applied once in resolve_configs), the endpoint's `rules:`, then
 * --enable/--disable (the person running apilint has the last word). Into
 * 'cfg' (caller cleans up). */
static enum al_code endpoint_config(const struct al_cli *cli,
                                    const struct run_state *st, size_t s,
                                    const struct al_endpoint *ep,
                                    struct al_rule_config *cfg,
                                    struct al_err *err)
{
  const struct al_spec *spec = st->specs[s];
  enum al_code rc = al_rule_config_copy(cfg, &st->spec_rules[s]);
  if (rc == AL_OK && ep && ep->rules)
    rc = al_rule_config_apply(cfg, st->ruleset, ep->rules, spec->path, err);
  for (size_t i = 0; rc == AL_OK && i < cli->switch_count; i++)
    rc = al_rule_config_switch(cfg, st->ruleset, cli->switches[i].id,
                               cli->switches[i].on, err);
  return rc;
}

/* Rule settings: one config per spec, shared by its endpoints, so a run
 * does not hold one per endpoint. Every endpoint's own `rules:` is
 * checked here, before anything is sent; its config is made again when
 * it is judged (judge_config). */
static int resolve_configs(const struct al_cli *cli, struct run_state *st)
{
  size_t n = st->spec_count ? st->spec_count : 1;
  st->configs = calloc(n, sizeof *st->configs);
  st->spec_rules = calloc(n, sizeof *st->spec_rules);
  if (!st->configs || !st->spec_rules)
    return 0;
  int ok = 1;
  for (size_t s = 0; s < st->spec_count; s++) {
    const struct al_spec *spec = st->specs[s];
    struct al_err err = {0};
    /* A bad spec-level `rules:` is reported once, not once per endpoint. */
    enum al_code rc = al_rule_config_init(&st->spec_rules[s], st->ruleset);
    if (rc == AL_OK)
      rc = al_rule_config_apply(&st->spec_rules[s], st->ruleset, &spec->rules,
                                spec->path, &err);
    if (rc == AL_OK)
      rc = endpoint_config(cli, st, s, NULL, &st->configs[s], &err);
    if (rc != AL_OK) {
      show_err(&err);
      ok = 0;
      continue;
    }
    for (size_t e = 0; e < spec->endpoint_count; e++) {
      const struct al_endpoint *ep = &spec->endpoints[e];
      if (!has_overrides(ep->rules))
        continue;
      struct al_rule_config cfg;
      memset(&cfg, 0, sizeof cfg);
      if (endpoint_config(cli, st, s, ep, &cfg, &err) != AL_OK) {
        show_err(&err);
        ok = 0;
      }
      al_rule_config_cleanup(&cfg);
    }
  }
  return ok;
}

/* "Name: value" from -H. "Name:" alone removes the header, as in curl. */
static enum al_code apply_cli_header(struct al_headers *h, const char *arg)
{
  const char *colon = strchr(arg, ':');
  char *name = al_strndup(arg, (size_t)(colon - arg));
  if (!name)
    return AL_E_NOMEM;
  size_t nlen = strlen(name);
  while (nlen && (name[nlen - 1] == ' ' || name[nlen - 1] == '\t'))
    name[--nlen] = '\0';
  const char *value = colon + 1;
  while (*value == ' ' || *value == '\t')
    value++;
  enum al_code rc = AL_OK;
  if (*value == '\0')
    al_headers_remove(h, name);
  else
    rc = al_headers_set(h, name, value);
  free(name);
  return rc;
}

static enum al_code build_request(const struct al_cli *cli,
                                  const struct al_endpoint *ep,
                                  struct al_request *req)
{
  req->method = al_strdup(ep->method);
  req->url = al_strdup(ep->url);
  if (!req->method || !req->url)
    return AL_E_NOMEM;
  enum al_code rc = al_headers_copy(&req->headers, &ep->headers);
  for (size_t i = 0; rc == AL_OK && i < cli->header_count; i++)
    rc = apply_cli_header(&req->headers, cli->headers[i]);
  if (rc != AL_OK)
    return rc;
  if (al_request_set_body(req, ep->body, ep->body_len) != AL_OK)
    return AL_E_NOMEM;
  req->timeout_ms = ep->timeout_ms; /* decided by the spec loader */
  return AL_OK;
}

/* curl's command line (not libcurl) reads these when no CA is given: the
 * same here, so a CI job set up for curl works unchanged. CURL_CA_BUNDLE
 * wins; else SSL_CERT_DIR and SSL_CERT_FILE (OpenSSL's names). */
static void ca_from_env(struct al_reach *r)
{
  if (r->cacert || r->capath)
    return;
  const char *bundle = getenv("CURL_CA_BUNDLE");
  if (bundle && *bundle) {
    r->cacert = bundle;
    return;
  }
  const char *dir = getenv("SSL_CERT_DIR");
  const char *file = getenv("SSL_CERT_FILE");
  if (dir && *dir)
    r->capath = dir;
  if (file && *file)
    r->cacert = file;
}

/* Each spec's way to the API: the command line over its defaults, then the
 * CA environment; and the run's pace: --rate, else the strictest rate:
 * of the specs (the tightest limit any of them asks for is respected). */
static int resolve_reach(const struct al_cli *cli, struct run_state *st)
{
  st->reaches =
      calloc(st->spec_count ? st->spec_count : 1, sizeof *st->reaches);
  if (!st->reaches)
    return 0;
  struct al_rate rate = cli->rate;
  int insecure = 0;
  for (size_t s = 0; s < st->spec_count; s++) {
    const struct al_spec *spec = st->specs[s];
    al_reach_merge(&st->reaches[s], &cli->reach, &spec->reach);
    ca_from_env(&st->reaches[s]);
    insecure |= st->reaches[s].insecure == 1;
    if (!cli->rate.count && spec->rate.count &&
        (!rate.count ||
         al_rate_interval_ms(&spec->rate) > al_rate_interval_ms(&rate)))
      rate = spec->rate;
  }
  al_pacer_init(&st->pacer, &rate);
  st->report.tls_unverified = insecure;
  if (insecure)
    al_msg_warn("TLS certificates are not verified (--insecure): anyone on "
                "the path can read and change the traffic");
  return 1;
}

/* 1 when some endpoint, the command line or `apilint check` asks for a
 * probe: a run without any plans none, and keeps no per-endpoint probe
 * state at all. */
static int probes_wanted(const struct al_cli *cli, const struct run_state *st)
{
  if (cli->command == AL_CMD_CHECK ||
      (cli->command != AL_CMD_HAR && cli->probe_count > 0))
    return 1;
  for (size_t s = 0; s < st->spec_count; s++)
    for (size_t e = 0; e < st->specs[s]->endpoint_count; e++)
      if (st->specs[s]->endpoints[e].probe_count > 0)
        return 1;
  return 0;
}

/* Builds endpoint k's request into 'req' (cleaned first). */
static enum al_code fill_request(const struct run_state *st, size_t k,
                                 struct al_request *req)
{
  size_t s = 0;
  while (s + 1 < st->spec_count && k >= st->specs[s]->endpoint_count) {
    k -= st->specs[s]->endpoint_count;
    s++;
  }
  al_request_cleanup(req);
  enum al_code rc = build_request(st->cli, &st->specs[s]->endpoints[k], req);
  req->reach = &st->reaches[s];
  return rc;
}

static int build_requests(const struct al_cli *cli, struct run_state *st)
{
  size_t n = st->endpoint_count ? st->endpoint_count : 1;
  /* Probes judge answers against each other until the end: all kept.
   * Otherwise a ring: requests are built as they start (prepare_request),
   * so neither requests nor answers grow with the spec. */
  if (!probes_wanted(cli, st) && n > AHEAD_MAX)
    n = st->response_ring = AHEAD_MAX;
  st->cli = cli;
  st->requests = calloc(n, sizeof *st->requests);
  st->responses = calloc(n, sizeof *st->responses);
  if (!st->requests || !st->responses)
    return 0;
  for (size_t i = 0; i < n; i++) {
    al_request_init(&st->requests[i]);
    al_response_init(&st->responses[i]);
  }
  for (size_t k = 0; !st->response_ring && k < st->endpoint_count; k++)
    if (fill_request(st, k, &st->requests[k]) != AL_OK)
      return 0;
  return 1;
}

/* Adds what endpoint k's request carries that must print as ***. */
static enum al_code add_request_secrets(struct run_state *st, size_t k)
{
  struct al_request built, *req = &st->requests[k];
  if (st->response_ring) { /* not built yet: built here just to look */
    al_request_init(&built);
    req = &built;
    if (fill_request(st, k, req) != AL_OK) {
      al_request_cleanup(req);
      return AL_E_NOMEM;
    }
  }
  enum al_code rc = al_redactor_add_headers(&st->redactor, &req->headers);
  if (rc == AL_OK)
    rc = al_redactor_add_url(&st->redactor, req->url);
  if (req == &built)
    al_request_cleanup(req);
  return rc;
}

/* Everything that must print as ***: the spec's secret headers and values,
 * and whatever credentials the requests carry. */
static int collect_secrets(struct run_state *st)
{
  struct al_redactor *r = &st->redactor;
  for (size_t s = 0; s < st->spec_count; s++) {
    const struct al_spec *spec = st->specs[s];
    for (size_t i = 0; i < spec->secret_header_count; i++) {
      if (al_redactor_add_name(r, spec->secret_headers[i]) != AL_OK)
        return 0;
    }
    for (size_t i = 0; i < spec->secret_value_count; i++) {
      if (al_redactor_add_value(r, spec->secret_values[i]) != AL_OK)
        return 0;
    }
  }
  /* Credential query parameters and URL passwords are secrets as much as
   * a token in a header: they show in endpoint names (`apilint check
   * URL`), request lines and echoes. */
  for (size_t i = 0; i < st->endpoint_count; i++) {
    if (add_request_secrets(st, i) != AL_OK)
      return 0;
  }
  /* Proxy credentials (user:password@ in a proxy URL, ours or the
   * environment's, which libcurl reads) and key passwords. */
  static const char *const proxy_env[] = {
      "http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"};
  for (size_t i = 0; i < sizeof proxy_env / sizeof proxy_env[0]; i++) {
    const char *v = getenv(proxy_env[i]);
    if (v && *v && al_redactor_add_url(r, v) != AL_OK)
      return 0;
  }
  for (size_t s = 0; s < st->spec_count; s++) {
    const struct al_reach *reach = &st->reaches[s];
    if ((reach->proxy && al_redactor_add_url(r, reach->proxy) != AL_OK) ||
        (reach->key_password && reach->key_password[0] &&
         al_redactor_add_value(r, reach->key_password) != AL_OK))
      return 0;
  }
  return 1;
}

/* Plans every endpoint's probes before anything is sent, so a probe that
 * cannot be planned stops the run as a broken spec would. */
static int plan_probes(const struct al_cli *cli, struct run_state *st)
{
  if (!probes_wanted(cli, st))
    return 1;
  size_t n = st->endpoint_count ? st->endpoint_count : 1;
  st->probe_targets = calloc(n, sizeof *st->probe_targets);
  if (!st->probe_targets)
    return 0;
  size_t k = 0;
  for (size_t s = 0; s < st->spec_count; s++) {
    for (size_t e = 0; e < st->specs[s]->endpoint_count; e++, k++) {
      st->probe_targets[k].spec = st->specs[s];
      st->probe_targets[k].endpoint = &st->specs[s]->endpoints[e];
      st->probe_targets[k].request = &st->requests[k];
      st->probe_targets[k].response = &st->responses[k];
    }
  }
  struct al_probe_run_opts opts = {0};
  opts.cli_probes = cli->probes;
  /* A recording answers no probe: nothing is sent for a HAR. */
  opts.cli_probe_count = cli->command == AL_CMD_HAR ? 0 : cli->probe_count;
  opts.cli_burst = cli->burst;
  opts.check_mode = cli->command == AL_CMD_CHECK;
  struct al_err err = {0};
  if (al_probe_run_plan(st->probe_targets, st->endpoint_count, &opts,
                        &st->probes, &err) != AL_OK) {
    show_err(&err);
    return 0;
  }
  return 1;
}

/* ---- the result pipeline ----
 *
 * Answers arrive in any order; reporters get them in spec order. Each
 * endpoint is judged the moment its answer is final (or, with probes,
 * once its probes are in), kept only until every endpoint before it has
 * been handed over, then handed to every reporter and freed. Without
 * probes its request and response go too, so memory does not grow with
 * the run; probes judge answers against other endpoints' answers on the
 * same path, so a run with probes keeps the answers until the end.
 *
 * In a run without probes the judging and reporting happen on a worker
 * thread (handoff.h) while the main thread goes on sending: on_answer
 * only queues the endpoint, the worker judges it and hands over what is
 * next in spec order, and publishes how far it has got, which is what
 * tells the main thread a ring slot is free again. When the main thread
 * would wait for that (a full window, the end of the run) it does the
 * same work itself, one batch at a time with the worker: whoever works on
 * a batch alone touches state, results and next_out; the main thread
 * alone touches curl, the requests it builds, 'answered' and 'started'. */

enum ep_state { EP_PENDING, EP_ANSWERED, EP_JUDGED, EP_DONE };

struct pipeline {
  const struct al_cli *cli;
  struct run_state *st;
  struct al_report_set *set;
  unsigned char *state;                /* owned; enum ep_state per endpoint */
  struct al_endpoint_result **results; /* owned; judged, not yet handed */
  double *done_ms;                     /* owned; when each answer was final */
  size_t *spec_first;                  /* owned; spec_count + 1 offsets */
  size_t next_out;                     /* first endpoint not handed over */
  int probing;                         /* keep answers until the end */
  int probes_sent;                     /* the probe phase is over */
  double start_ms;
  enum al_code failed;        /* AL_E_NOMEM when judging ran out of memory */
  enum al_code hand_failed;   /* AL_E_NOMEM when handing over did (kept
                                 apart: the two may run on two threads) */
  int progress;               /* draw the live line on stderr */
  size_t answered;            /* endpoints whose own answer is in */
  double drawn_ms;            /* when the line was last drawn */
  struct al_handoff *handoff; /* the worker, or NULL: judged on this thread */
  size_t started;             /* requests built and sent so far */
  size_t known_out;           /* the worker's next_out, last we looked */
  double nudged_ms;           /* when the worker was last nudged */
  int handoff_lost;           /* an answer could not be queued (a bug) */
};

static double mono_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static size_t spec_of(const struct pipeline *p, size_t k)
{
  size_t s = 0;
  while (s + 1 < p->st->spec_count && k >= p->spec_first[s + 1])
    s++;
  return s;
}

/* Judges endpoint k: its own answer, and its probes' when they were sent. */
static void judge(struct pipeline *p, size_t k)
{
  struct run_state *st = p->st;
  struct al_endpoint_result *er = calloc(1, sizeof *er);
  if (!er) {
    /* Judged as nothing, so the endpoints after it are still handed over
     * (and their ring slots freed): the run ends, exit 2, not hangs. */
    p->failed = AL_E_NOMEM;
    p->state[k] = EP_JUDGED;
    return;
  }
  al_endpoint_result_init(er);
  size_t s = spec_of(p, k);
  const struct al_endpoint *ep = &st->specs[s]->endpoints[k - p->spec_first[s]];
  er->endpoint = ep;
  struct al_response *res = response_of(st, k);
  er->request = request_of(st, k);
  er->response = res;
  struct al_rule_config own;
  memset(&own, 0, sizeof own);
  const struct al_rule_config *cfg = &st->configs[s];
  struct al_err err = {0};
  int has_own = has_overrides(ep->rules);
  if (has_own && endpoint_config(p->cli, st, s, ep, &own, &err) != AL_OK)
    p->failed = AL_E_NOMEM; /* it loaded before: only memory can fail */
  else if (has_own)
    cfg = &own;
  if (p->failed == AL_OK &&
      (al_engine_eval(st->ruleset, cfg, er->request, res,
                      ep->has_expect ? &ep->expect : NULL, &st->redactor,
                      er) != AL_OK ||
       (p->probes_sent && al_probe_run_judge(st->probes, k, st->ruleset, cfg,
                                             &st->redactor, er) != AL_OK)))
    p->failed = AL_E_NOMEM;
  if (has_own)
    al_rule_config_cleanup(&own);
  p->results[k] = er;
  p->state[k] = EP_JUDGED;
  /* No reporter shows bodies; without probes nothing reads them again. */
  if (!p->probing) {
    al_buf_cleanup(&res->body);
    al_buf_cleanup(&res->stray);
  }
}

/* ---- progress on a terminal ---- */

/* Only when stderr is a terminal a person watches: never into a file or
 * pipe, never with -q, never on a terminal that cannot redraw a line. */
static int want_progress(const struct al_cli *cli)
{
  const char *term = getenv("TERM");
  return !cli->quiet && isatty(STDERR_FILENO) &&
         !(term && strcmp(term, "dumb") == 0);
}

/* "12.3 s", "2 min 5 s" */
static void put_seconds(struct al_buf *b, double ms)
{
  double sec = ms / 1000.0;
  if (sec < 60)
    al_buf_printf(b, "%.1f s", sec);
  else
    al_buf_printf(b, "%d min %02d s", (int)(sec / 60), (int)sec % 60);
}

/* [done/total] findings so far by severity, elapsed, estimated time left.
 * At most ten redraws a second unless 'force'. */
static void draw_progress(struct pipeline *p, int force)
{
  if (!p->progress)
    return;
  double now = mono_ms();
  if (!force && now - p->drawn_ms < 100)
    return;
  p->drawn_ms = now;
  const struct al_report_summary *s = &p->st->report.summary;
  size_t total = p->st->endpoint_count;
  double elapsed = now - p->start_ms;
  struct al_buf b;
  al_buf_init(&b);
  al_buf_printf(&b, "[%zu/%zu] %zu %s, %zu %s, %zu %s  ", p->answered, total,
                s->errors, s->errors == 1 ? "error" : "errors", s->warnings,
                s->warnings == 1 ? "warning" : "warnings", s->infos,
                s->infos == 1 ? "info" : "infos");
  put_seconds(&b, elapsed);
  if (p->answered == total && p->probing && !p->probes_sent) {
    al_buf_append_str(&b, "  sending probes");
  } else if (p->answered > 0 && p->answered < total) {
    al_buf_append_str(&b, "  about ");
    put_seconds(&b,
                elapsed / (double)p->answered * (double)(total - p->answered));
    al_buf_append_str(&b, " left");
  }
  if (b.data)
    al_msg_progress(b.data);
  al_buf_cleanup(&b);
}

/* How long an answer may wait in the worker's queue for a batch to fill
 * before the worker is woken for it anyway. */
#define NUDGE_MS 20

static void on_tick(void *ctx)
{
  struct pipeline *p = ctx;
  if (p->handoff) {
    double now = mono_ms();
    if (now - p->nudged_ms >= NUDGE_MS) {
      al_handoff_nudge(p->handoff);
      p->nudged_ms = now;
    }
  }
  draw_progress(p, 0);
}

/* Builds endpoint k's request in its ring slot just before it is sent. */
static enum al_code prepare_request(void *ctx, size_t k, struct al_err *err)
{
  struct pipeline *p = ctx;
  /* Slot k % AHEAD_MAX is free once endpoint k - AHEAD_MAX is handed
   * over. may_start lets k this far ahead only when nothing is in flight,
   * so everything the worker needs to get there is already queued. */
  if (p->handoff && k >= p->known_out + AHEAD_MAX)
    p->known_out = al_handoff_wait_done(p->handoff, k - AHEAD_MAX + 1);
  if (p->handoff && k >= p->known_out + AHEAD_MAX)
    return al_err_set(err, AL_E_INTERNAL, "", 0, 0,
                      "the report pipeline stopped early");
  p->started++;
  if (fill_request(p->st, k, request_of(p->st, k)) != AL_OK)
    return al_err_set(err, AL_E_NOMEM, "", 0, 0, "out of memory");
  return AL_OK;
}

static int may_start(void *ctx, size_t k)
{
  struct pipeline *p = ctx;
  if (p->probing)
    return 1;
  if (!p->handoff)
    return k < p->next_out + AHEAD_MAX;
  if (k < p->known_out + AHEAD_MAX)
    return 1;
  p->known_out = al_handoff_done(p->handoff);
  /* Beyond the window only when nothing is in flight: then prepare_request
   * waits for the worker, and the worker waits for nothing. */
  return k < p->known_out + AHEAD_MAX || p->answered == p->started;
}

/* Endpoint k is done: without probes its request and response go. */
static void release_endpoint(struct pipeline *p, size_t k)
{
  p->state[k] = EP_DONE;
  if (!p->probing) {
    /* (Cleaned means re-initialised: a ring slot is the next endpoint's.) */
    al_response_cleanup(response_of(p->st, k));
    al_request_cleanup(request_of(p->st, k));
  }
}

/* Hands endpoint k to the reporters and frees what it held. */
static void hand_over(struct pipeline *p, size_t k)
{
  struct run_state *st = p->st;
  struct al_report *rep = &st->report;
  struct al_endpoint_result *er = p->results[k];
  if (!er) { /* judging it ran out of memory: nothing to report */
    release_endpoint(p, k);
    return;
  }
  size_t s = spec_of(p, k);
  struct al_report_item item = {s, st->specs[s], k - p->spec_first[s], er};
  if (al_fingerprint_result(er) != AL_OK ||
      al_baseline_apply(st->baseline, er) != AL_OK)
    p->hand_failed = AL_E_NOMEM;
  al_report_summary_add(&rep->summary, rep, er);
  double spent = p->done_ms[k] - p->start_ms;
  if (spent > rep->specs[s].elapsed_ms)
    rep->specs[s].elapsed_ms = spent;
  al_report_set_endpoint(p->set, &item);
  al_endpoint_result_cleanup(er);
  free(er);
  p->results[k] = NULL;
  release_endpoint(p, k);
}

/* Hands over every endpoint that is judged and has nothing pending before
 * it; with 'skip_pending' (an interrupted run's last flush) the ones that
 * never finished are passed over. */
static void flush_ready(struct pipeline *p, int skip_pending)
{
  size_t n = p->st->endpoint_count;
  while (p->next_out < n) {
    size_t k = p->next_out;
    if (p->state[k] == EP_JUDGED) {
      /* The text report may share the terminal: no line of it may be
       * drawn over the progress line. */
      al_msg_progress_clear();
      hand_over(p, k);
    } else if (!(skip_pending && p->state[k] == EP_PENDING))
      break;
    p->next_out++;
  }
}

static void on_answer(void *ctx, size_t k)
{
  struct pipeline *p = ctx;
  p->done_ms[k] = mono_ms();
  p->answered++;
  if (p->handoff) { /* the worker marks it answered when it takes it */
    if (al_handoff_put(p->handoff, k) != AL_OK)
      p->handoff_lost = 1;
    return;
  }
  p->state[k] = EP_ANSWERED;
  if (!al_probe_run_has_probes(p->st->probes, k)) {
    judge(p, k);
    flush_ready(p, 0);
  }
  draw_progress(p, 0);
}

static void utc_timestamp(char *out, size_t size, int zone)
{
  time_t now = time(NULL);
  struct tm tm;
  if (gmtime_r(&now, &tm))
    strftime(out, size, zone ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%dT%H:%M:%S", &tm);
  else
    snprintf(out, size, zone ? "1970-01-01T00:00:00Z" : "1970-01-01T00:00:00");
}

static int use_color(const struct al_cli *cli)
{
  const char *no_color = getenv("NO_COLOR");
  if (cli->no_color || (no_color && *no_color))
    return 0;
  return isatty(STDOUT_FILENO);
}

/* The run's context every reporter reads: one entry per spec. */
static int prepare_report(const struct al_cli *cli, struct run_state *st)
{
  struct al_report *rep = &st->report;
  rep->fail_on = cli->fail_on;
  rep->redactor = &st->redactor;
  rep->ruleset = st->ruleset;
  rep->baseline = st->baseline;
  if (gethostname(rep->hostname, sizeof rep->hostname - 1) != 0)
    snprintf(rep->hostname, sizeof rep->hostname, "localhost");
  utc_timestamp(rep->started, sizeof rep->started, 1);
  char stamp[32];
  utc_timestamp(stamp, sizeof stamp, 0);
  rep->specs = calloc(st->spec_count ? st->spec_count : 1, sizeof *rep->specs);
  if (!rep->specs)
    return 0;
  rep->spec_count = st->spec_count;
  rep->planned = st->endpoint_count;
  rep->shard_index = st->shard.index;
  rep->shard_total = st->shard.total;
  for (size_t s = 0; s < st->spec_count; s++) {
    struct al_spec_result *sr = &rep->specs[s];
    sr->spec = st->specs[s];
    sr->base_url = cli->base_url ? cli->base_url : st->specs[s]->base_url;
    sr->planned = st->specs[s]->endpoint_count;
    snprintf(sr->timestamp, sizeof sr->timestamp, "%s", stamp);
  }
  return 1;
}

/* Every requested report, its file's temporary made now: an unwritable
 * path stops the run before anything is sent. */
static int open_reports(const struct al_cli *cli, struct run_state *st,
                        struct al_report_set **out)
{
  struct al_report_opts opts = {0};
  opts.quiet = cli->quiet;
  opts.verbose = cli->verbose;
  struct al_err err = {0};
  struct al_report_set *set = NULL;
  if (al_report_set_new(&set) != AL_OK) {
    al_msg_error("out of memory");
    return 0;
  }
  *out = set;
  struct al_report_opts keep = opts;
  keep.keep = st->baseline ? st->baseline : st->replaced;
  if ((cli->json_path &&
       al_report_set_add(set, "json", cli->json_path, &opts, &err) != AL_OK) ||
      (cli->junit_path && al_report_set_add(set, "junit", cli->junit_path,
                                            &opts, &err) != AL_OK) ||
      (cli->sarif_path && al_report_set_add(set, "sarif", cli->sarif_path,
                                            &opts, &err) != AL_OK) ||
      (cli->html_path &&
       al_report_set_add(set, "html", cli->html_path, &opts, &err) != AL_OK) ||
      (cli->write_baseline_path &&
       al_report_set_add_reporter(set, &al_reporter_baseline,
                                  cli->write_baseline_path, &keep,
                                  &err) != AL_OK)) {
    show_err(&err);
    return 0;
  }
  opts.color = strcmp(cli->format, "text") == 0 && use_color(cli);
  if (al_report_set_add(set, cli->format, NULL, &opts, &err) != AL_OK) {
    show_err(&err);
    return 0;
  }
  return 1;
}

static int pipeline_init(struct pipeline *p, const struct al_cli *cli,
                         struct run_state *st, struct al_report_set *set)
{
  memset(p, 0, sizeof *p);
  p->cli = cli;
  p->st = st;
  p->set = set;
  size_t n = st->endpoint_count ? st->endpoint_count : 1;
  p->state = calloc(n, sizeof *p->state);
  p->results = calloc(n, sizeof *p->results);
  p->done_ms = calloc(n, sizeof *p->done_ms);
  p->spec_first = calloc(st->spec_count + 1, sizeof *p->spec_first);
  if (!p->state || !p->results || !p->done_ms || !p->spec_first)
    return 0;
  for (size_t s = 0; s < st->spec_count; s++)
    p->spec_first[s + 1] = p->spec_first[s] + st->specs[s]->endpoint_count;
  p->probing = al_probe_run_any(st->probes);
  p->progress = want_progress(cli);
  return 1;
}

static void pipeline_cleanup(struct pipeline *p)
{
  for (size_t k = 0; p->results && k < p->st->endpoint_count; k++) {
    if (p->results[k]) {
      al_endpoint_result_cleanup(p->results[k]);
      free(p->results[k]);
    }
  }
  free(p->results);
  free(p->state);
  free(p->done_ms);
  free(p->spec_first);
}

/* The work after an answer, on the worker thread or, while the main
 * thread would wait for the worker, on the main thread (handoff.h): judges
 * each answered endpoint of the batch, hands over every one that is next
 * in spec order, and says how far that got. */
static size_t judge_and_report(void *ctx, const size_t *batch, size_t n)
{
  struct pipeline *p = ctx;
  for (size_t i = 0; i < n; i++) {
    p->state[batch[i]] = EP_ANSWERED;
    judge(p, batch[i]);
  }
  flush_ready(p, 0);
  return p->next_out;
}

/* Whether work after the answers may go to a worker thread: when nothing
 * anyone sees can change by it: no progress line and no -v trace on the
 * terminal the text report may share, no destination (stdout too) where
 * a write can wait on a reader that stopped reading (Ctrl-C interrupts
 * only the main thread's writes), and more than one endpoint.
 * APILINT_ONE_THREAD=1 keeps it all on the main thread (the tests compare
 * the two). */
static int may_use_worker(const struct al_cli *cli, const struct pipeline *p)
{
  const char *one = getenv("APILINT_ONE_THREAD");
  return !p->progress && !cli->verbose && !al_report_set_may_block(p->set) &&
         p->st->endpoint_count >= 2 && !(one && *one && strcmp(one, "0") != 0);
}

/* Moves judging and reporting to a worker thread in a run without probes
 * (with probes, judging waits for the probe phase: see
 * judge_after_probes). When the thread cannot be had, the main thread
 * judges, as it always can. */
static void start_worker(const struct al_cli *cli, struct pipeline *p)
{
  if (p->probing || !may_use_worker(cli, p))
    return;
  if (al_handoff_start(AHEAD_MAX, "apilint-report", judge_and_report, p,
                       &p->handoff) != AL_OK)
    p->handoff = NULL;
}

/* The reporting half of judge_after_probes, on the worker (or the main
 * thread while it would wait): hands over each endpoint of the batch, in
 * spec order, passing over one never answered (an interrupted run). */
static size_t report_judged(void *ctx, const size_t *batch, size_t n)
{
  struct pipeline *p = ctx;
  for (size_t i = 0; i < n; i++) {
    size_t k = batch[i];
    if (p->state[k] == EP_JUDGED)
      hand_over(p, k);
    p->next_out = k + 1;
  }
  return p->next_out;
}

/* After the probe phase: judges, in spec order, every endpoint whose
 * answers waited for it, while a worker thread hands the judged ones to
 * the reporters (where may_use_worker allows; else both here). The main
 * thread alone judges and writes 'state' and 'results' of what it has not
 * put yet; the worker only reads what was put. */
static void judge_after_probes(const struct al_cli *cli, struct pipeline *p)
{
  size_t n = p->st->endpoint_count;
  struct al_handoff *h = NULL;
  /* Without probes everything was judged as it came: nothing to share. */
  if (p->probing && may_use_worker(cli, p) &&
      al_handoff_start(AHEAD_MAX, "apilint-report", report_judged, p, &h) !=
          AL_OK)
    h = NULL;
  size_t known_out = p->next_out;
  for (size_t k = p->next_out; k < n; k++) {
    if (p->state[k] == EP_ANSWERED)
      judge(p, k);
    if (!h)
      continue;
    /* At most AHEAD_MAX judged and not yet handed over. */
    if (k >= known_out + AHEAD_MAX)
      known_out = al_handoff_wait_done(h, k - AHEAD_MAX + 1);
    if (k >= known_out + AHEAD_MAX || al_handoff_put(h, k) != AL_OK) {
      p->hand_failed = AL_E_INTERNAL; /* cannot happen: see handoff.h */
      break;
    }
  }
  al_handoff_finish(h);
  flush_ready(p, 1); /* without a worker: all of it; else nothing left */
}

/* Sends everything, streaming each endpoint's result to the reporters.
 * Returns 0 when the transfer machinery failed (already reported). */
static int run_pipeline(const struct al_cli *cli, struct pipeline *p)
{
  struct run_state *st = p->st;
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.jobs = cli->jobs;
  opts.verbose = cli->verbose;
  opts.pacer = &st->pacer;
  opts.stop = al_interrupt_flag();
  opts.wake_fd = al_interrupt_wake_fd();
  struct al_transfer_opts probe_opts = opts;
  opts.on_done = on_answer;
  opts.on_done_ctx = p;
  opts.on_tick = on_tick;
  opts.may_start = may_start;
  opts.response_ring = st->response_ring;
  if (st->response_ring)
    opts.prepare = prepare_request;
  probe_opts.on_done_ctx = p;
  probe_opts.on_tick = on_tick;
  struct al_err err = {0};
  p->start_ms = mono_ms();
  draw_progress(p, 1);
  start_worker(cli, p);
  /* The endpoints' own requests first: the conditional probes need their
   * answers, and no probe should change what they see. */
  enum al_code sent = al_transfer_run(st->requests, st->responses,
                                      st->endpoint_count, &opts, &err);
  /* Whatever happened, the worker finishes what was queued first. */
  al_handoff_finish(p->handoff);
  p->handoff = NULL;
  if (sent == AL_OK && p->handoff_lost)
    sent = al_err_set(&err, AL_E_INTERNAL, "", 0, 0,
                      "an answer could not be passed to the report worker");
  if (sent != AL_OK) {
    show_err(&err);
    return 0;
  }
  if (p->probing && !*opts.stop) {
    draw_progress(p, 1);
    if (al_probe_run_send(st->probes, &probe_opts, &err) != AL_OK) {
      show_err(&err);
      return 0;
    }
    p->probes_sent = !*opts.stop;
  }
  /* What waited for the probe phase, or (interrupted) for nothing more. */
  judge_after_probes(cli, p);
  al_msg_progress_clear();
  return 1;
}

/* apilint har FILE...: each HAR becomes a spec of its recorded exchanges,
 * judged as if they had just been sent; nothing is sent. */
static int load_hars(const struct al_cli *cli, struct run_state *st)
{
  size_t count = cli->spec_count;
  struct al_har **hars = calloc(count ? count : 1, sizeof *hars);
  st->specs = calloc(count ? count : 1, sizeof *st->specs);
  if (!hars || !st->specs) {
    free(hars);
    al_msg_error("out of memory");
    return 0;
  }
  struct al_har_opts opts = {0};
  opts.url_prefix = cli->base_url;
  int ok = 1;
  size_t total = 0;
  /* Every file is read even after a failure: one run names every broken
   * file, as for specs. */
  for (size_t i = 0; i < count; i++) {
    struct al_err err = {0};
    if (al_har_load(cli->specs[i], &opts, &hars[i], &err) != AL_OK) {
      show_err(&err);
      ok = 0;
      continue;
    }
    total += hars[i]->spec->endpoint_count;
  }
  if (ok) {
    st->requests = calloc(total ? total : 1, sizeof *st->requests);
    st->responses = calloc(total ? total : 1, sizeof *st->responses);
    ok = st->requests && st->responses;
  }
  /* The HARs' specs, requests and answers move into the run state; what
   * is left of each HAR is freed below. */
  for (size_t i = 0; ok && i < count; i++) {
    struct al_har *h = hars[i];
    for (size_t e = 0; e < h->spec->endpoint_count; e++) {
      st->requests[st->endpoint_count] = h->requests[e];
      st->responses[st->endpoint_count++] = h->responses[e];
    }
    for (size_t s = 0; ok && s < h->secret_count; s++)
      ok = al_redactor_add_value(&st->redactor, h->secrets[s]) == AL_OK;
    st->specs[st->spec_count++] = h->spec;
    h->spec = NULL; /* al_har_free now frees only the emptied arrays */
  }
  for (size_t i = 0; i < count; i++)
    al_har_free(hars[i]);
  free(hars);
  return ok;
}

/* Secrets of recorded answers too: a Set-Cookie or a token header a server
 * sent must not be printed back from the recording. */
static int collect_answer_secrets(struct run_state *st)
{
  for (size_t i = 0; i < st->endpoint_count; i++) {
    if (al_redactor_add_headers(&st->redactor, &st->responses[i].headers) !=
        AL_OK)
      return 0;
  }
  return 1;
}

/* Appends one request as --dry-run shows it: "METHOD URL", then each
 * header indented (secret names as ***), then the body's size. Secret
 * values elsewhere in the text are masked by the caller's cleaning. */
static enum al_code describe_request(struct al_buf *b,
                                     const struct al_request *r,
                                     const struct al_redactor *redactor)
{
  enum al_code rc = al_buf_printf(b, "%s %s\n", r->method, r->url);
  for (size_t h = 0; rc == AL_OK && h < r->headers.count; h++)
    rc = al_buf_printf(b, "  %s: %s\n", r->headers.items[h].name,
                       al_redact_header(redactor, r->headers.items[h].name,
                                        r->headers.items[h].value));
  if (rc == AL_OK && r->body)
    rc = al_buf_printf(b, "  (body: %zu bytes)\n", r->body_len);
  return rc;
}

/* --dry-run: every request the run would send, masked, and nothing sent. */
static int dry_run(struct run_state *st)
{
  struct al_buf raw;
  al_buf_init(&raw);
  size_t requests = 0, k = 0, skipped = 0;
  enum al_code rc = AL_OK;
  for (size_t s = 0; rc == AL_OK && s < st->spec_count; s++) {
    const struct al_spec *spec = st->specs[s];
    for (size_t e = 0; rc == AL_OK && e < spec->endpoint_count; e++, k++) {
      const struct al_endpoint *ep = &spec->endpoints[e];
      rc = al_buf_printf(&raw, "%s:%d:%d: %s\n", al_endpoint_file(spec, ep),
                         ep->line, ep->col, ep->name);
      if (rc == AL_OK)
        rc = st->response_ring ? fill_request(st, k, request_of(st, k)) : AL_OK;
      if (rc == AL_OK)
        rc = describe_request(&raw, request_of(st, k), &st->redactor);
      if (rc == AL_OK)
        rc = al_probe_run_describe(st->probes, k, &st->redactor, &raw,
                                   &requests);
      requests++;
    }
    for (size_t e = 0; rc == AL_OK && e < spec->skipped_count; e++) {
      const struct al_endpoint *ep = &spec->skipped[e];
      rc = al_buf_printf(&raw, "%s:%d:%d: %s: not sent (skip: %s)\n",
                         al_endpoint_file(spec, ep), ep->line, ep->col,
                         ep->name, ep->skip);
      skipped++;
    }
  }
  if (rc == AL_OK)
    rc = al_buf_printf(&raw,
                       "dry run: %zu requests would be sent for %zu "
                       "endpoints (%zu skipped); nothing was sent\n",
                       requests, st->endpoint_count, skipped);
  char *shown = rc == AL_OK
                    ? al_report_clean(&st->report, al_buf_str(&raw), raw.len, 0)
                    : NULL;
  int ok = shown && fputs(shown, stdout) != EOF && fflush(stdout) == 0;
  if (!shown)
    al_msg_error("out of memory");
  free(shown);
  al_buf_cleanup(&raw);
  return ok;
}

/* apilint har: the recorded answers are all in; each is judged and handed
 * over in order, as if it had just arrived. */
static int replay_pipeline(struct pipeline *p)
{
  p->start_ms = mono_ms();
  for (size_t k = 0; k < p->st->endpoint_count; k++)
    on_answer(p, k);
  flush_ready(p, 1);
  return 1;
}

/* 1 when --write-baseline names the --baseline file itself. */
static int baseline_rewritten(const struct al_cli *cli)
{
  if (!cli->baseline_path || !cli->write_baseline_path)
    return 0;
  struct al_outpath_use pair[2] = {
      {cli->baseline_path, "--baseline", 0},
      {cli->write_baseline_path, "--write-baseline", 1}};
  struct al_err err = {0};
  return al_outpath_check(pair, 2, &err) == AL_E_USAGE;
}

/* --baseline, and the file --write-baseline replaces: both are read before
 * anything is sent, and a broken one stops the run (exit 2). The replaced
 * file is read for its reasons only when no --baseline gives them. */
static int load_baselines(const struct al_cli *cli, struct run_state *st)
{
  struct al_err err = {0};
  if (cli->baseline_path && al_baseline_load(cli->baseline_path, NULL,
                                             &st->baseline, &err) != AL_OK) {
    show_err(&err);
    return 0;
  }
  const char *old = cli->write_baseline_path;
  if (st->baseline || !old || access(old, F_OK) != 0)
    return 1;
  if (al_baseline_load(old, NULL, &st->replaced, &err) != AL_OK) {
    show_err(&err);
    al_msg_note("--write-baseline keeps the reasons of the file it replaces: "
                "fix it, or remove it first");
    return 0;
  }
  return 1;
}

/* A report that would replace another report or an input (the spec, a
 * rule file) is a usage error, found before anything is loaded or sent. */
static int check_paths(const struct al_cli *cli, const char *const *paths,
                       size_t count)
{
  size_t n = 0, cap = count + cli->rule_file_count + 6;
  struct al_outpath_use *uses = calloc(cap, sizeof *uses);
  if (!uses) {
    al_msg_error("out of memory");
    return 0;
  }
  const char *input = cli->command == AL_CMD_HAR     ? "recording"
                      : cli->command == AL_CMD_MERGE ? "report"
                                                     : "spec";
  for (size_t i = 0; i < count; i++)
    uses[n++] = (struct al_outpath_use){paths[i], input, 0};
  for (size_t i = 0; i < cli->rule_file_count; i++)
    uses[n++] = (struct al_outpath_use){cli->rule_files[i], "--rules", 0};
  if (cli->json_path)
    uses[n++] = (struct al_outpath_use){cli->json_path, "--json", 1};
  if (cli->junit_path)
    uses[n++] = (struct al_outpath_use){cli->junit_path, "--junit", 1};
  if (cli->sarif_path)
    uses[n++] = (struct al_outpath_use){cli->sarif_path, "--sarif", 1};
  if (cli->write_baseline_path)
    uses[n++] = (struct al_outpath_use){cli->write_baseline_path,
                                        "--write-baseline", 1};
  /* --baseline F --write-baseline F is how a baseline is refreshed: F is
   * read whole before anything is written. Any other clash is refused. */
  if (cli->baseline_path && !baseline_rewritten(cli))
    uses[n++] = (struct al_outpath_use){cli->baseline_path, "--baseline", 0};
  if (cli->html_path)
    uses[n++] = (struct al_outpath_use){cli->html_path, "--html", 1};
  struct al_err err = {0};
  int ok = al_outpath_check(uses, n, &err) == AL_OK;
  if (!ok)
    show_err(&err);
  free(uses);
  return ok;
}

/* Lints the spec files 'paths', or, when 'check_doc' is set, that one
 * in-memory spec (apilint check), or (apilint har) the recordings named in
 * 'cli'. */
static int lint(const struct al_cli *cli, const char *const *paths,
                size_t count, const struct al_ynode *check_doc)
{
  struct run_state st;
  memset(&st, 0, sizeof st);
  al_redactor_init(&st.redactor);
  al_report_init(&st.report);
  struct al_report_set *set = NULL;
  struct pipeline p;
  memset(&p, 0, sizeof p);
  int status = AL_EXIT_USAGE;
  if (!check_paths(cli, paths, count))
    goto out;
  int har = cli->command == AL_CMD_HAR;
  int loaded = har         ? load_hars(cli, &st)
               : check_doc ? load_check_spec(check_doc, cli, &st)
                           : load_specs(paths, count, cli, &st);
  if (!load_rules(cli, &st) || !loaded || (!har && !shard_specs(cli, &st)) ||
      !resolve_configs(cli, &st) || !resolve_reach(cli, &st) ||
      (!har && !build_requests(cli, &st)) || !collect_secrets(&st) ||
      (har && !collect_answer_secrets(&st)) || !plan_probes(cli, &st) ||
      !load_baselines(cli, &st))
    goto out;
  if (cli->dry_run) {
    st.report.redactor = &st.redactor;
    status = dry_run(&st) ? AL_EXIT_CLEAN : AL_EXIT_USAGE;
    goto out;
  }
  if (!prepare_report(cli, &st) || !open_reports(cli, &st, &set))
    goto out;
  if (!pipeline_init(&p, cli, &st, set)) {
    al_msg_error("out of memory");
    goto out;
  }
  al_interrupt_install();
  al_report_set_begin(set, &st.report);
  int sent = har ? replay_pipeline(&p) : run_pipeline(cli, &p);
  struct al_report *rep = &st.report;
  rep->elapsed_ms = mono_ms() - p.start_ms;
  rep->interrupted = al_interrupt_signal();
  /* Reports are finished even after a signal: that is the point of
   * stopping gently. A second signal exits at once (interrupt.c). */
  int written = al_report_set_end(set) == AL_OK;
  for (size_t i = 0; i < al_report_set_count(set); i++) {
    const struct al_err *e = al_report_set_error(set, i);
    if (e)
      show_err(e);
  }
  if (rep->interrupted)
    status = al_interrupt_exit_status(rep->interrupted);
  else if (!sent || p.failed != AL_OK || p.hand_failed != AL_OK || !written)
    status = AL_EXIT_USAGE;
  else if (rep->summary.endpoints > 0 && rep->summary.reached == 0)
    status = AL_EXIT_UNREACHABLE;
  else
    status = rep->summary.failing > 0 ? AL_EXIT_FINDINGS : AL_EXIT_CLEAN;
  al_interrupt_restore();
out:
  pipeline_cleanup(&p);
  al_report_set_free(set);
  run_cleanup(&st);
  return status;
}

static int list_rules(const struct al_cli *cli)
{
  struct run_state st;
  memset(&st, 0, sizeof st);
  int status = AL_EXIT_USAGE;
  if (load_rules(cli, &st) &&
      al_explain_write_rules(stdout, st.ruleset) == AL_OK &&
      fputs("\n", stdout) != EOF && al_explain_write_probes(stdout) == AL_OK)
    status = AL_EXIT_CLEAN;
  run_cleanup(&st);
  return status;
}

static int explain_rule(const struct al_cli *cli)
{
  struct run_state st;
  memset(&st, 0, sizeof st);
  int status = AL_EXIT_USAGE;
  if (!load_rules(cli, &st))
    goto out;
  const struct al_rule *rule = al_ruleset_find(st.ruleset, cli->target);
  const struct al_probe_def *probe = al_probe_find(cli->target);
  if (!rule && !probe) {
    const char *hint = al_ruleset_suggest(st.ruleset, cli->target);
    if (!hint)
      hint = al_probe_suggest(cli->target);
    if (hint && strcmp(hint, "all") != 0)
      show_error("unknown rule or probe '%s' (did you mean '%s'?); 'apilint "
                 "rules' lists them",
                 cli->target, hint);
    else
      show_error("unknown rule or probe '%s'; 'apilint rules' lists them",
                 cli->target);
    goto out;
  }
  /* Rule ids and probe names do not overlap; a rule would win. */
  if ((rule ? al_explain_write_rule(stdout, rule)
            : al_explain_write_probe(stdout, probe)) == AL_OK)
    status = AL_EXIT_CLEAN;
out:
  run_cleanup(&st);
  return status;
}

/* A string the spec loader reads exactly as typed: '$' doubled, so its
 * ${VAR} expansion leaves a URL alone. NULL on OOM. */
static struct al_ynode *as_typed(const char *s)
{
  struct al_buf b;
  al_buf_init(&b);
  enum al_code rc = AL_OK;
  for (const char *p = s; *p && rc == AL_OK; p++) {
    rc = al_buf_append_char(&b, *p);
    if (rc == AL_OK && *p == '$')
      rc = al_buf_append_char(&b, '$');
  }
  struct al_ynode *n =
      rc == AL_OK ? al_ynode_new_scalar(al_buf_str(&b), b.len, 1, 1, 1) : NULL;
  al_buf_cleanup(&b);
  return n;
}

/* The spec of `apilint check URL` as a tree (yamldoc.h constructors), the
 * loader's input without YAML text in between:
 *   {version: 1, base_url: BASE, endpoints: [{method: M, path: P}]}
 * NULL on OOM. */
static struct al_ynode *check_tree(const char *base, const char *method,
                                   const char *path)
{
  struct al_ynode *root = al_ynode_new_map(1, 1);
  struct al_ynode *eps = al_ynode_new_seq(1, 1);
  struct al_ynode *ep = al_ynode_new_map(1, 1);
  int ok = root && eps && ep &&
           al_ynode_map_add(ep, "method", as_typed(method)) == AL_OK &&
           al_ynode_map_add(ep, "path", as_typed(path)) == AL_OK;
  if (ok) {
    ok = al_ynode_seq_add(eps, ep) == AL_OK;
    ep = NULL; /* owned by eps now, whatever happened */
  }
  ok = ok &&
       al_ynode_map_add(root, "version",
                        al_ynode_new_scalar("1", 1, 0, 1, 1)) == AL_OK &&
       al_ynode_map_add(root, "base_url", as_typed(base)) == AL_OK;
  if (ok) {
    ok = al_ynode_map_add(root, "endpoints", eps) == AL_OK;
    eps = NULL;
  }
  al_ynode_free(ep);
  al_ynode_free(eps);
  if (!ok) {
    al_ynode_free(root);
    return NULL;
  }
  return root;
}

/* apilint check URL: a one-endpoint spec made in memory, so the URL and
 * method get the same validation as a spec file, then a normal lint. */
static int check_url(const struct al_cli *cli)
{
  const char *url = cli->target;
  const char *scheme_end = strstr(url, "://");
  const char *path = scheme_end ? strchr(scheme_end + 3, '/') : NULL;
  if (!scheme_end || (strncasecmp(url, "http://", 7) != 0 &&
                      strncasecmp(url, "https://", 8) != 0)) {
    char *shown = al_redact_url(url);
    show_error("'%s' is not an http:// or https:// URL (try 'apilint "
               "--help')",
               shown ? shown : "(URL withheld: out of memory masking it)");
    free(shown);
    return AL_EXIT_USAGE;
  }
  char *base = al_strndup(url, path ? (size_t)(path - url) : strlen(url));
  struct al_ynode *doc =
      base ? check_tree(base, cli->method ? cli->method : "GET",
                        path ? path : "/")
           : NULL;
  free(base);
  if (!doc) {
    al_msg_error("out of memory");
    return AL_EXIT_USAGE;
  }
  int status = lint(cli, NULL, 0, doc);
  al_ynode_free(doc);
  return status;
}

/* Writes 'imp' to 'path' whole or not at all (a temporary file renamed
 * over it), or to stdout when 'path' is NULL or "-". */
static int write_import(const struct al_openapi *imp, const char *path)
{
  if (!path || strcmp(path, "-") == 0) {
    if (al_openapi_write(stdout, imp) != AL_OK || fflush(stdout) != 0) {
      al_msg_error("could not write the spec to standard output");
      return 0;
    }
    return 1;
  }
  struct al_buf tmp;
  al_buf_init(&tmp);
  al_buf_printf(&tmp, "%s.tmpXXXXXX", path);
  char *name = al_buf_detach(&tmp);
  al_buf_cleanup(&tmp);
  int fd = name ? mkstemp(name) : -1;
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  int ok = f && al_openapi_write(f, imp) == AL_OK && fflush(f) == 0 &&
           fsync(fileno(f)) == 0;
  if (f)
    ok = fclose(f) == 0 && ok;
  else if (fd >= 0)
    close(fd);
  if (ok)
    ok = rename(name, path) == 0;
  if (!ok) {
    if (fd >= 0)
      unlink(name);
    show_error("cannot write '%s'", path);
  }
  free(name);
  return ok;
}

/* apilint import DOC [-o SPEC]. The written spec is loaded back before it
 * is kept, so what import writes always loads. */
static int import_doc(const struct al_cli *cli)
{
  struct al_err err = {0};
  struct al_ynode *doc = NULL;
  struct al_openapi *imp = NULL;
  struct al_openapi_opts opts = {0};
  opts.all_methods = cli->all_methods;
  int status = AL_EXIT_USAGE;
  if (al_yamldoc_load(cli->target, &doc, &err) != AL_OK)
    goto fail;
  if (!al_openapi_is_document(doc)) {
    al_err_set(&err, AL_E_SPEC, cli->target, doc->line, doc->col,
               "not an OpenAPI document (no 'openapi' or 'swagger' key)");
    goto fail;
  }
  if (al_openapi_convert(doc, cli->target, &opts, &imp, &err) != AL_OK)
    goto fail;
  {
    struct al_spec *check = NULL;
    struct al_spec_opts sopts = {0};
    sopts.base_url_override = cli->base_url;
    if (al_spec_build(imp->spec, cli->target, &sopts, &check, &err) != AL_OK)
      goto fail;
    al_spec_free(check);
  }
  status = write_import(imp, cli->output_path) ? AL_EXIT_CLEAN : AL_EXIT_USAGE;
  goto out;
fail:
  show_err(&err);
out:
  al_openapi_free(imp);
  al_ynode_free(doc);
  return status;
}

/* apilint merge REPORT.json...: the shards' reports back into the reports
 * one run would have written (merge.h), through the same reporters and
 * with the same exit status. */
static int merge_reports(const struct al_cli *cli)
{
  struct run_state st;
  memset(&st, 0, sizeof st);
  al_redactor_init(&st.redactor);
  al_report_init(&st.report);
  struct al_report_set *set = NULL;
  struct al_merge *m = NULL;
  struct al_err err = {0};
  int status = AL_EXIT_USAGE;
  if (!check_paths(cli, cli->specs, cli->spec_count) || !load_rules(cli, &st) ||
      !load_baselines(cli, &st))
    goto out;
  if (al_merge_load(cli->specs, cli->spec_count,
                    cli->fail_on_given ? &cli->fail_on : NULL, &m,
                    &err) != AL_OK) {
    show_err(&err);
    goto out;
  }
  /* The reports are masked already; the ruleset gives the reporters the
   * rules' texts. */
  struct al_report *rep = al_merge_report(m);
  rep->ruleset = st.ruleset;
  rep->redactor = &st.redactor;
  /* A baseline is applied to the whole run here: only the merged run
   * knows which entries no longer occur anywhere. */
  rep->baseline = st.baseline;
  if (st.baseline)
    al_merge_clear_baseline(m);
  if (gethostname(rep->hostname, sizeof rep->hostname - 1) != 0)
    snprintf(rep->hostname, sizeof rep->hostname, "localhost");
  if (!open_reports(cli, &st, &set))
    goto out;
  al_report_set_begin(set, rep);
  for (size_t s = 0; s < rep->spec_count; s++) {
    const struct al_spec_result *sr = &rep->specs[s];
    for (size_t e = 0; e < sr->endpoint_count; e++) {
      struct al_report_item item = {s, sr->spec, e, &sr->endpoints[e]};
      if (al_baseline_apply(st.baseline, &rep->specs[s].endpoints[e]) !=
          AL_OK) {
        al_msg_error("out of memory");
        goto out;
      }
      al_report_summary_add(&rep->summary, rep, &sr->endpoints[e]);
      al_report_set_endpoint(set, &item);
    }
  }
  int written = al_report_set_end(set) == AL_OK;
  for (size_t i = 0; i < al_report_set_count(set); i++) {
    const struct al_err *e = al_report_set_error(set, i);
    if (e)
      show_err(e);
  }
  if (!written)
    status = AL_EXIT_USAGE;
  else if (rep->summary.endpoints > 0 && rep->summary.reached == 0)
    status = AL_EXIT_UNREACHABLE;
  else
    status = rep->summary.failing > 0 ? AL_EXIT_FINDINGS : AL_EXIT_CLEAN;
out:
  al_report_set_free(set);
  al_merge_free(m);
  run_cleanup(&st);
  return status;
}

/* apilint init [FILE]: the template, and on a terminal how to go on. */
static int init_spec(const struct al_cli *cli)
{
  struct al_err err = {0};
  if (al_init_write(cli->target, &err) != AL_OK) {
    show_err(&err);
    return AL_EXIT_USAGE;
  }
  if (strcmp(cli->target, "-") != 0 && !cli->quiet)
    printf("wrote %s: point base_url at your API, list your endpoints, then "
           "run: apilint %s\n",
           cli->target, cli->target);
  return AL_EXIT_CLEAN;
}

int al_run(const struct al_cli *cli)
{
  switch (cli->command) {
  case AL_CMD_HELP:
    al_cli_write_help(stdout);
    return AL_EXIT_CLEAN;
  case AL_CMD_VERSION:
    printf("apilint %s\n", AL_VERSION);
    return AL_EXIT_CLEAN;
  case AL_CMD_RULES:
    return list_rules(cli);
  case AL_CMD_EXPLAIN:
    return explain_rule(cli);
  case AL_CMD_IMPORT:
    return import_doc(cli);
  case AL_CMD_HAR:
    break;
  case AL_CMD_INIT:
    return init_spec(cli);
  case AL_CMD_MERGE:
    return merge_reports(cli);
  case AL_CMD_CHECK:
  case AL_CMD_LINT:
    break;
  }
  {
    struct al_err err = {0};
    if (al_transfer_global_init(&err) != AL_OK) {
      show_err(&err);
      return AL_EXIT_USAGE;
    }
  }
  int status = cli->command == AL_CMD_CHECK
                   ? check_url(cli)
                   : lint(cli, cli->specs, cli->spec_count, NULL);
  al_transfer_global_cleanup();
  return status;
}
