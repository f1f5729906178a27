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
#include "har.h"
#include "msg.h"
#include "openapi.h"
#include "probe.h"
#include "probe_run.h"
#include "redact.h"
#include "report.h"
#include "request.h"
#include "response.h"
#include "ruleset.h"
#include "spec.h"
#include "transfer.h"
#include "yamldoc.h"

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
  char *file = al_report_clean(NULL, err->file, strlen(err->file), 1);
  char *msg = al_report_clean(NULL, err->msg, strlen(err->msg), 1);
  /* Cleaning replaces bytes one for one, so the copies fit. */
  if (file)
    memcpy(shown.file, file, strlen(file) + 1);
  if (msg)
    memcpy(shown.msg, msg, strlen(msg) + 1);
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
  if (al_spec_parse(yaml, strlen(yaml), cli->target, &opts, &spec, &err) !=
      AL_OK) {
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
        rc = describe_request(&raw, &st->requests[k], &st->redactor);
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
  char *shown = rc == AL_OK ? al_report_clean(&st->report, al_buf_str(&raw),
                                               raw.len, 0)
                             : NULL;
  int ok = shown && fputs(shown, stdout) != EOF && fflush(stdout) == 0;
  if (!shown)
    al_msg_error("out of memory");
  free(shown);
  al_buf_cleanup(&raw);
  return ok;
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
  if (cli->dry_run) {
    st.report.redactor = &st.redactor;
    status = dry_run(&st) ? AL_EXIT_CLEAN : AL_EXIT_USAGE;
    goto out;
  }
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
    show_error("'%s' is not an http:// or https:// URL (try 'apilint "
               "--help')",
               url);
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

static int lint_har(const struct al_cli *cli)
{
  struct run_state st;
  memset(&st, 0, sizeof st);
  al_redactor_init(&st.redactor);
  al_report_init(&st.report);
  int status = AL_EXIT_USAGE;
  struct al_cli quiet_probes = *cli;
  quiet_probes.probe_count = 0; /* a recording answers no probe */
  int loaded = load_hars(cli, &st);
  if (!load_rules(cli, &st) || !loaded || !resolve_configs(cli, &st) ||
      !collect_secrets(&st) || !collect_answer_secrets(&st) ||
      !plan_probes(&quiet_probes, &st))
    goto out;
  char timestamp[32];
  utc_timestamp(timestamp, sizeof timestamp);
  if (!judge_all(cli, &st, timestamp))
    goto out;
  status = exit_status(&st);
  if (!write_reports(cli, &st))
    status = AL_EXIT_USAGE;
out:
  run_cleanup(&st);
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
    return lint_har(cli);
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
