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

#include "buf.h"
#include "engine.h"
#include "msg.h"
#include "probe.h"
#include "probe_run.h"
#include "redact.h"
#include "report.h"
#include "request.h"
#include "response.h"
#include "ruleset.h"
#include "spec.h"
#include "transfer.h"

/* Everything one lint run owns; freed in one place (run_cleanup). */
struct run_state {
  struct al_ruleset *ruleset;
  struct al_rule_config base_config; /* defaults + command line */
  struct al_spec **specs;
  size_t spec_count;
  size_t endpoint_count;          /* over all specs */
  struct al_rule_config *configs; /* one per endpoint, flat, spec order */
  struct al_request *requests;    /* same indexing */
  struct al_response *responses;  /* same indexing */
  struct al_redactor redactor;
  struct al_report report;
  struct al_probe_run_endpoint *probe_targets; /* same indexing */
  struct al_probe_run *probes; /* owns probe requests and answers the
                                  report borrows */
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

static void run_cleanup(struct run_state *st)
{
  al_report_cleanup(&st->report);
  al_probe_run_free(st->probes);
  free(st->probe_targets);
  for (size_t i = 0; i < st->endpoint_count; i++) {
    if (st->configs)
      al_rule_config_cleanup(&st->configs[i]);
    if (st->requests)
      al_request_cleanup(&st->requests[i]);
    if (st->responses)
      al_response_cleanup(&st->responses[i]);
  }
  free(st->configs);
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
static int load_check_spec(const char *yaml, const struct al_cli *cli,
                           struct run_state *st)
{
  struct al_spec_opts opts = {0};
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
  enum al_code rc =
      al_spec_parse(yaml, strlen(yaml), shown, &opts, &spec, &err);
  free(shown);
  if (rc != AL_OK) {
    /* A line:col in YAML the user never saw would only confuse: the URL
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

/* Rule settings per endpoint: command line on top of the spec's and the
 * endpoint's, so the person running apilint has the last word. */
static int resolve_configs(const struct al_cli *cli, struct run_state *st)
{
  st->configs =
      calloc(st->endpoint_count ? st->endpoint_count : 1, sizeof *st->configs);
  if (!st->configs)
    return 0;
  for (size_t k = 0; k < st->endpoint_count; k++) {
    if (al_rule_config_init(&st->configs[k], st->ruleset) != AL_OK)
      return 0;
  }
  int ok = 1;
  size_t first = 0; /* index of the spec's first endpoint */
  for (size_t s = 0; s < st->spec_count;
       first += st->specs[s]->endpoint_count, s++) {
    const struct al_spec *spec = st->specs[s];
    struct al_err err = {0};
    /* A bad spec-level `rules:` is reported once, not once per endpoint. */
    struct al_rule_config probe;
    if (al_rule_config_init(&probe, st->ruleset) != AL_OK)
      return 0;
    int spec_ok = al_rule_config_apply(&probe, st->ruleset, &spec->rules,
                                       spec->path, &err) == AL_OK;
    al_rule_config_cleanup(&probe);
    if (!spec_ok) {
      show_err(&err);
      ok = 0;
      continue;
    }
    for (size_t e = 0; e < spec->endpoint_count; e++) {
      struct al_rule_config *cfg = &st->configs[first + e];
      if (al_rule_config_apply(cfg, st->ruleset, &spec->rules, spec->path,
                               &err) != AL_OK ||
          al_rule_config_apply(cfg, st->ruleset, &spec->endpoints[e].rules,
                               spec->path, &err) != AL_OK) {
        show_err(&err);
        ok = 0;
        continue;
      }
      for (size_t i = 0; i < cli->switch_count; i++) {
        if (al_rule_config_switch(cfg, st->ruleset, cli->switches[i].id,
                                  cli->switches[i].on, &err) != AL_OK)
          return 0;
      }
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
                                  const struct al_spec *spec,
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
  /* The spec's own timeouts are specific to the API; --timeout is the
   * default for endpoints that set none. */
  req->timeout_ms = ep->timeout_ms             ? ep->timeout_ms
                    : spec->default_timeout_ms ? spec->default_timeout_ms
                                               : cli->timeout_ms;
  return AL_OK;
}

static int build_requests(const struct al_cli *cli, struct run_state *st)
{
  size_t n = st->endpoint_count ? st->endpoint_count : 1;
  st->requests = calloc(n, sizeof *st->requests);
  st->responses = calloc(n, sizeof *st->responses);
  if (!st->requests || !st->responses)
    return 0;
  for (size_t i = 0; i < st->endpoint_count; i++) {
    al_request_init(&st->requests[i]);
    al_response_init(&st->responses[i]);
  }
  size_t k = 0;
  for (size_t s = 0; s < st->spec_count; s++) {
    const struct al_spec *spec = st->specs[s];
    for (size_t e = 0; e < spec->endpoint_count; e++, k++) {
      if (build_request(cli, spec, &spec->endpoints[e], &st->requests[k]) !=
          AL_OK)
        return 0;
    }
  }
  return 1;
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
    if (al_redactor_add_headers(r, &st->requests[i].headers) != AL_OK ||
        al_redactor_add_url(r, st->requests[i].url) != AL_OK)
      return 0;
  }
  return 1;
}

/* Plans every endpoint's probes before anything is sent, so a probe that
 * cannot be planned stops the run as a broken spec would. */
static int plan_probes(const struct al_cli *cli, struct run_state *st)
{
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
  opts.cli_probe_count = cli->probe_count;
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

static int send_all(const struct al_cli *cli, struct run_state *st)
{
  struct al_transfer_opts opts;
  al_transfer_opts_init(&opts);
  opts.jobs = cli->jobs;
  opts.default_timeout_ms = cli->timeout_ms;
  opts.verbose = cli->verbose;
  struct al_err err = {0};
  /* The endpoints' own requests first: the conditional probes need their
   * answers, and no probe should change what they see. */
  if (al_transfer_run(st->requests, st->responses, st->endpoint_count, &opts,
                      &err) != AL_OK ||
      al_probe_run_send(st->probes, &opts, &err) != AL_OK) {
    show_err(&err);
    return 0;
  }
  return 1;
}

static void utc_timestamp(char *out, size_t size)
{
  time_t now = time(NULL);
  struct tm tm;
  if (gmtime_r(&now, &tm))
    strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
  else
    snprintf(out, size, "1970-01-01T00:00:00");
}

/* Judges every response and fills the report, one spec result per spec. */
static int judge_all(const struct al_cli *cli, struct run_state *st,
                     const char *timestamp)
{
  struct al_report *rep = &st->report;
  rep->fail_on = cli->fail_on;
  rep->redactor = &st->redactor;
  rep->ruleset = st->ruleset;
  if (gethostname(rep->hostname, sizeof rep->hostname - 1) != 0)
    snprintf(rep->hostname, sizeof rep->hostname, "localhost");
  rep->specs = calloc(st->spec_count ? st->spec_count : 1, sizeof *rep->specs);
  if (!rep->specs)
    return 0;
  size_t k = 0;
  for (size_t s = 0; s < st->spec_count; s++) {
    const struct al_spec *spec = st->specs[s];
    struct al_spec_result *sr = &rep->specs[rep->spec_count++];
    sr->spec = spec;
    snprintf(sr->timestamp, sizeof sr->timestamp, "%s", timestamp);
    sr->endpoints = calloc(spec->endpoint_count ? spec->endpoint_count : 1,
                           sizeof *sr->endpoints);
    if (!sr->endpoints)
      return 0;
    for (size_t e = 0; e < spec->endpoint_count; e++, k++) {
      struct al_endpoint_result *er = &sr->endpoints[sr->endpoint_count++];
      al_endpoint_result_init(er);
      er->endpoint = &spec->endpoints[e];
      er->request = &st->requests[k];
      er->response = &st->responses[k];
      const struct al_endpoint *ep = &spec->endpoints[e];
      if (al_engine_eval(st->ruleset, &st->configs[k], &st->requests[k],
                         &st->responses[k], ep->has_expect ? &ep->expect : NULL,
                         &st->redactor, er) != AL_OK ||
          al_probe_run_judge(st->probes, k, st->ruleset, &st->configs[k],
                             &st->redactor, er) != AL_OK)
        return 0;
      sr->elapsed_ms += st->responses[k].elapsed_ms;
    }
  }
  return 1;
}

static int use_color(const struct al_cli *cli)
{
  const char *no_color = getenv("NO_COLOR");
  if (cli->no_color || (no_color && *no_color))
    return 0;
  return isatty(STDOUT_FILENO);
}

/* Report files first (whole or not at all), then stdout. Returns 0 when a
 * report could not be written. */
static int write_reports(const struct al_cli *cli, struct run_state *st)
{
  struct al_report_opts opts = {0};
  opts.color = strcmp(cli->format, "text") == 0 && use_color(cli);
  opts.quiet = cli->quiet;
  opts.verbose = cli->verbose;
  int ok = 1;
  struct al_err err = {0};
  if (cli->json_path &&
      al_report_write_file(cli->json_path, al_report_write_json, &st->report,
                           &opts, &err) != AL_OK) {
    show_err(&err);
    ok = 0;
  }
  if (cli->junit_path &&
      al_report_write_file(cli->junit_path, al_report_write_junit, &st->report,
                           &opts, &err) != AL_OK) {
    show_err(&err);
    ok = 0;
  }
  al_report_write_fn fn = al_report_writer(cli->format);
  if (!fn || fn(stdout, &st->report, &opts) != AL_OK || fflush(stdout) != 0) {
    al_msg_error("could not write the %s report to standard output",
                 cli->format);
    ok = 0;
  }
  return ok;
}

static int exit_status(const struct run_state *st)
{
  struct al_report_summary sum;
  al_report_summarize(&st->report, &sum);
  if (sum.endpoints > 0 && sum.reached == 0)
    return AL_EXIT_UNREACHABLE;
  return sum.failing > 0 ? AL_EXIT_FINDINGS : AL_EXIT_CLEAN;
}

/* Lints the spec files 'paths', or, when 'check_yaml' is set, that one
 * in-memory spec. */
static int lint(const struct al_cli *cli, const char *const *paths,
                size_t count, const char *check_yaml)
{
  struct run_state st;
  memset(&st, 0, sizeof st);
  al_redactor_init(&st.redactor);
  al_report_init(&st.report);
  int status = AL_EXIT_USAGE;
  int loaded = check_yaml ? load_check_spec(check_yaml, cli, &st)
                          : load_specs(paths, count, cli, &st);
  if (!load_rules(cli, &st) || !loaded || !resolve_configs(cli, &st) ||
      !build_requests(cli, &st) || !collect_secrets(&st) ||
      !plan_probes(cli, &st))
    goto out;
  char timestamp[32];
  utc_timestamp(timestamp, sizeof timestamp);
  if (!send_all(cli, &st) || !judge_all(cli, &st, timestamp))
    goto out;
  status = exit_status(&st);
  if (!write_reports(cli, &st))
    status = AL_EXIT_USAGE;
out:
  run_cleanup(&st);
  return status;
}

static int list_rules(const struct al_cli *cli)
{
  struct run_state st;
  memset(&st, 0, sizeof st);
  int status = AL_EXIT_USAGE;
  if (load_rules(cli, &st) &&
      al_ruleset_write_list(stdout, st.ruleset) == AL_OK &&
      fputs("\n", stdout) != EOF && al_probe_write_list(stdout) == AL_OK)
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
  if ((rule ? al_ruleset_write_explain(stdout, rule)
            : al_probe_write_explain(stdout, probe)) == AL_OK)
    status = AL_EXIT_CLEAN;
out:
  run_cleanup(&st);
  return status;
}

/* Writes 's' as a YAML double-quoted scalar with '$' doubled so the spec
 * loader's ${VAR} expansion leaves a URL exactly as typed. */
static void yaml_quote(struct al_buf *b, const char *s)
{
  al_buf_append_char(b, '"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      al_buf_append_char(b, '\\');
    if (*s == '$')
      al_buf_append_char(b, '$');
    al_buf_append_char(b, *s);
  }
  al_buf_append_char(b, '"');
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
  struct al_buf yaml;
  al_buf_init(&yaml);
  al_buf_append_str(&yaml, "version: 1\nbase_url: ");
  yaml_quote(&yaml, base ? base : "");
  al_buf_append_str(&yaml, "\nendpoints:\n  - method: ");
  yaml_quote(&yaml, cli->method ? cli->method : "GET");
  al_buf_append_str(&yaml, "\n    path: ");
  yaml_quote(&yaml, path ? path : "/");
  al_buf_append_str(&yaml, "\n");
  free(base);

  int status = lint(cli, NULL, 0, al_buf_str(&yaml));
  al_buf_cleanup(&yaml);
  return status;
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
