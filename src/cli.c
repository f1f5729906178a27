/* cli.c - argv -> struct al_cli. One sorted option table drives parsing and
 * the "did you mean" for unknown options (curl's tool_getparam idea). */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "headers.h"
#include "probe.h"
#include "report.h"
#include "spec.h"
#include "suggest.h"

enum opt_id {
  OPT_BASE_URL,
  OPT_BASELINE,
  OPT_BURST,
  OPT_CACERT,
  OPT_CAPATH,
  OPT_CERT,
  OPT_CERT_TYPE,
  OPT_DISABLE,
  OPT_DRY_RUN,
  OPT_ENABLE,
  OPT_FAIL_ON,
  OPT_FORMAT,
  OPT_HEADER,
  OPT_HELP,
  OPT_HTML,
  OPT_HTTP1_1,
  OPT_HTTP2,
  OPT_HTTP2_PRIOR,
  OPT_INSECURE,
  OPT_JOBS,
  OPT_JSON,
  OPT_JUNIT,
  OPT_KEY,
  OPT_KEY_TYPE,
  OPT_METHOD,
  OPT_METHODS,
  OPT_NO_COLOR,
  OPT_NOPROXY,
  OPT_OUTPUT,
  OPT_PASS,
  OPT_PROBE,
  OPT_PROXY,
  OPT_QUIET,
  OPT_RATE,
  OPT_RETRY,
  OPT_RETRY_DELAY,
  OPT_RULES,
  OPT_SARIF,
  OPT_SHARD,
  OPT_TIMEOUT,
  OPT_VERBOSE,
  OPT_VERSION,
  OPT_WRITE_BASELINE
};

struct opt {
  const char *name; /* long name without "--" */
  char short_name;  /* 0 = none */
  int takes_arg;
  enum opt_id id;
};

/* Sorted by long name. */
static const struct opt options[] = {
    {"base-url", 0, 1, OPT_BASE_URL},
    {"baseline", 0, 1, OPT_BASELINE},
    {"burst", 0, 1, OPT_BURST},
    {"cacert", 0, 1, OPT_CACERT},
    {"capath", 0, 1, OPT_CAPATH},
    {"cert", 0, 1, OPT_CERT},
    {"cert-type", 0, 1, OPT_CERT_TYPE},
    {"disable", 0, 1, OPT_DISABLE},
    {"dry-run", 0, 0, OPT_DRY_RUN},
    {"enable", 0, 1, OPT_ENABLE},
    {"fail-on", 0, 1, OPT_FAIL_ON},
    {"format", 'f', 1, OPT_FORMAT},
    {"header", 'H', 1, OPT_HEADER},
    {"help", 'h', 0, OPT_HELP},
    {"html", 0, 1, OPT_HTML},
    {"http1.1", 0, 0, OPT_HTTP1_1},
    {"http2", 0, 0, OPT_HTTP2},
    {"http2-prior-knowledge", 0, 0, OPT_HTTP2_PRIOR},
    {"insecure", 'k', 0, OPT_INSECURE},
    {"jobs", 'j', 1, OPT_JOBS},
    {"json", 0, 1, OPT_JSON},
    {"junit", 0, 1, OPT_JUNIT},
    {"key", 0, 1, OPT_KEY},
    {"key-type", 0, 1, OPT_KEY_TYPE},
    {"method", 'X', 1, OPT_METHOD},
    {"methods", 0, 1, OPT_METHODS},
    {"no-color", 0, 0, OPT_NO_COLOR},
    {"noproxy", 0, 1, OPT_NOPROXY},
    {"output", 'o', 1, OPT_OUTPUT},
    {"pass", 0, 1, OPT_PASS},
    {"probe", 0, 1, OPT_PROBE},
    {"proxy", 'x', 1, OPT_PROXY},
    {"quiet", 'q', 0, OPT_QUIET},
    {"rate", 0, 1, OPT_RATE},
    {"retry", 0, 1, OPT_RETRY},
    {"retry-delay", 0, 1, OPT_RETRY_DELAY},
    {"rules", 0, 1, OPT_RULES},
    {"sarif", 0, 1, OPT_SARIF},
    {"shard", 0, 1, OPT_SHARD},
    {"timeout", 0, 1, OPT_TIMEOUT},
    {"verbose", 'v', 0, OPT_VERBOSE},
    {"version", 'V', 0, OPT_VERSION},
    {"write-baseline", 0, 1, OPT_WRITE_BASELINE},
};
#define OPTION_COUNT (sizeof options / sizeof options[0])

void al_cli_write_help(FILE *out)
{
  fputs("Usage: apilint [OPTIONS] SPEC.yaml [SPEC.yaml ...]\n"
        "       apilint check URL [-X METHOD] [-H 'Name: value'] ...\n"
        "       apilint import OPENAPI.yaml|json [-o SPEC.yaml] [--methods "
        "all]\n"
        "       apilint har FILE.har [...] [--base-url PREFIX]\n"
        "       apilint rules\n"
        "       apilint explain RULE-ID|PROBE\n"
        "       apilint init [FILE]\n"
        "       apilint merge REPORT.json... [--json F] [--junit F] ...\n"
        "\n"
        "Probes a live HTTP API described by a YAML spec (or an OpenAPI\n"
        "document) and reports the status-code anti-patterns that break\n"
        "clients; 'har' judges recorded traffic without sending anything.\n"
        "\n"
        "Options:\n"
        "  -j, --jobs N             requests in flight at once (default 8)\n"
        "      --junit FILE         also write a JUnit XML report to FILE\n"
        "      --json FILE          also write a JSON report to FILE\n"
        "      --sarif FILE         also write a SARIF 2.1.0 report to FILE\n"
        "      --html FILE          also write an HTML audit report to FILE\n"
        "  -f, --format FMT         stdout format: text (default), json, "
        "junit,\n"
        "                           sarif, html\n"
        "      --fail-on LEVEL      error (default), warning, info or never\n"
        "      --baseline FILE      findings FILE lists are shown as\n"
        "                           suppressed and do not fail the run\n"
        "      --write-baseline FILE  record this run's findings in FILE\n"
        "                           (keeping the reasons it had)\n"
        "      --base-url URL       override the spec's base_url\n"
        "  -H, --header 'N: v'      extra request header (repeatable)\n"
        "      --timeout SECONDS    per-request timeout (default 10)\n"
        "      --rules FILE         load more rule files (repeatable)\n"
        "      --enable ID          switch a rule on (repeatable)\n"
        "      --disable ID         switch a rule off (repeatable)\n"
        "      --probe NAME         run an active probe on every endpoint\n"
        "                           (repeatable; all = every probe but\n"
        "                           rate-limit, which runs only by name)\n"
        "      --burst N            rate-limit probe: requests per endpoint\n"
        "                           (1-1000; default: the spec's burst:,\n"
        "                           else 50)\n"
        "  -X, --method METHOD      request method for 'check' (default GET)\n"
        "      --dry-run            load and plan everything, print each\n"
        "                           request that would be sent, send nothing\n"
        "      --methods safe|all   OpenAPI operations to send: GET and HEAD\n"
        "                           (safe, default) or all of them\n"
        "  -o, --output FILE        import: write the spec to FILE (default\n"
        "                           stdout)\n"
        "      --shard I/N|auto     send only shard I of N (auto: GitLab's\n"
        "                           CI_NODE_INDEX/CI_NODE_TOTAL); 'merge'\n"
        "                           joins the shards' JSON reports\n"
        "\n",
        out);
  /* Two pieces: C99 promises string literals of 4095 bytes only. */
  fputs("Reaching the API (curl's names and meanings):\n"
        "      --cacert FILE        trust the CAs in FILE (PEM)\n"
        "      --capath DIR         trust the CAs in DIR (c_rehash'ed)\n"
        "  -k, --insecure           do not verify the server's certificate\n"
        "      --cert FILE[:PASS]   client certificate (mTLS)\n"
        "      --cert-type TYPE     PEM (default), DER or P12\n"
        "      --key FILE           client private key\n"
        "      --key-type TYPE      PEM (default), DER or ENG\n"
        "      --pass PASSWORD      the private key's password\n"
        "      --http1.1            use HTTP/1.1\n"
        "      --http2              use HTTP/2 (ALPN over TLS, else upgrade)\n"
        "      --http2-prior-knowledge  HTTP/2 without asking first\n"
        "  -x, --proxy URL          use this proxy (else http_proxy etc.)\n"
        "      --noproxy LIST       hosts that bypass the proxy (* = all)\n"
        "      --rate N[/s|/m|/h]   start at most N requests per second,\n"
        "                           minute or hour (default /s)\n"
        "      --retry N            retry a transport failure N times\n"
        "      --retry-delay SECS   wait between retries (default: 1 s,\n"
        "                           doubling each time)\n"
        "\n"
        "      --no-color           plain text output\n"
        "  -q, --quiet              findings only\n"
        "  -v, --verbose            also print requests and response heads\n"
        "  -V, --version            print the version and exit\n"
        "  -h, --help               print this help and exit\n"
        "\n"
        "Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or\n"
        "spec error (nothing sent), 3 no endpoint could be reached.\n",
        out);
}

static const struct opt *find_long(const char *name, size_t len)
{
  for (size_t i = 0; i < OPTION_COUNT; i++) {
    if (strlen(options[i].name) == len &&
        strncmp(options[i].name, name, len) == 0)
      return &options[i];
  }
  return NULL;
}

static const struct opt *find_short(char c)
{
  for (size_t i = 0; i < OPTION_COUNT; i++) {
    if (options[i].short_name == c)
      return &options[i];
  }
  return NULL;
}

static enum al_code push(const char ***arr, size_t *count, const char *s)
{
  const char **grown = realloc((void *)*arr, (*count + 1) * sizeof *grown);
  if (!grown)
    return AL_E_NOMEM;
  grown[(*count)++] = s;
  *arr = grown;
  return AL_OK;
}

static enum al_code push_switch(struct al_cli *cli, const char *id, int on)
{
  struct al_rule_switch *grown =
      realloc(cli->switches, (cli->switch_count + 1) * sizeof *grown);
  if (!grown)
    return AL_E_NOMEM;
  grown[cli->switch_count].id = id;
  grown[cli->switch_count].on = on;
  cli->switch_count++;
  cli->switches = grown;
  return AL_OK;
}

static int parse_long_in_range(const char *s, long lo, long hi, long *out)
{
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < lo || v > hi)
    return 0;
  *out = v;
  return 1;
}

/* Seconds, integer or decimal, > 0 and at most a day. */
static int parse_seconds(const char *s, long *ms)
{
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end || !(v > 0) || v > 86400)
    return 0;
  *ms = (long)(v * 1000.0 + 0.5);
  if (*ms < 1)
    *ms = 1;
  return 1;
}

static enum al_code usage(struct al_err *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Arguments are quoted back in messages; an escape sequence in one must
 * not reach the terminal (C0 controls, DEL and UTF-8 encoded C1 controls
 * become '?'), and the message stays one line. */
static void make_printable(char *s)
{
  for (unsigned char *p = (unsigned char *)s; *p; p++) {
    if (*p < 0x20 || *p == 0x7f)
      *p = '?';
    else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
      p[0] = '?';
      p[1] = '?';
      p++;
    }
  }
}

/* Fills 'err' with a usage error that ends with the --help hint. */
static enum al_code usage(struct al_err *err, const char *fmt, ...)
{
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  make_printable(msg);
  return al_err_set(err, AL_E_USAGE, NULL, 0, 0, "%s (try 'apilint --help')",
                    msg);
}

/* -f FMT names a registered reporter; the message lists them all. */
static enum al_code bad_format(struct al_err *err, const char *arg)
{
  char names[128] = "";
  const struct al_reporter_ops *const *r = al_reporter_list();
  for (size_t i = 0; r[i]; i++) {
    size_t len = strlen(names);
    snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "",
             r[i]->format);
  }
  return usage(err, "--format must be one of %s, got '%s'", names, arg);
}

/* --probe NAME: a probe or "all"; repeating one is harmless (kept once). */
static enum al_code add_probe(struct al_cli *cli, const char *name,
                              struct al_err *err)
{
  if (strcmp(name, "all") != 0 && !al_probe_find(name)) {
    const char *near = al_probe_suggest(name);
    if (near)
      return usage(err, "unknown probe '%s' for --probe (did you mean '%s'?)",
                   name, near);
    char names[512];
    al_probe_names(names, sizeof names, "or all");
    return usage(err, "unknown probe '%s' for --probe (known probes: %s)", name,
                 names);
  }
  for (size_t i = 0; i < cli->probe_count; i++) {
    if (strcmp(cli->probes[i], name) == 0)
      return AL_OK;
  }
  return push(&cli->probes, &cli->probe_count, name);
}

/* --cert FILE[:PASSWORD]: the password, if any, goes to the key password
 * (libcurl's CURLOPT_KEYPASSWD serves the certificate and the key). */
static enum al_code set_cert(struct al_cli *cli, const char *arg)
{
  free(cli->cert_file);
  free(cli->cert_password);
  cli->cert_file = cli->cert_password = NULL;
  if (al_reach_split_cert(arg, &cli->cert_file, &cli->cert_password) != AL_OK)
    return AL_E_NOMEM;
  cli->reach.cert = cli->cert_file;
  if (cli->cert_password)
    cli->reach.key_password = cli->cert_password;
  return AL_OK;
}

/* Seconds from 0 (no wait) to an hour, integer or decimal. */
static int parse_delay(const char *s, long *ms)
{
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end || !(v >= 0) || v > 3600)
    return 0;
  *ms = (long)(v * 1000.0 + 0.5);
  return 1;
}

static enum al_code apply_option(struct al_cli *cli, const struct opt *o,
                                 const char *arg, struct al_err *err)
{
  long n;
  switch (o->id) {
  case OPT_BASE_URL:
    cli->base_url = arg;
    return AL_OK;
  case OPT_BURST:
    if (!parse_long_in_range(arg, 1, AL_PROBE_BURST_MAX, &cli->burst))
      return usage(err, "--burst must be a number from 1 to %d, got '%s'",
                   AL_PROBE_BURST_MAX, arg);
    return AL_OK;
  case OPT_CACERT:
    cli->reach.cacert = arg;
    return AL_OK;
  case OPT_CAPATH:
    cli->reach.capath = arg;
    return AL_OK;
  case OPT_CERT:
    return set_cert(cli, arg);
  case OPT_CERT_TYPE:
    if (!al_tls_type_ok(arg, 1))
      return usage(err, "--cert-type must be PEM, DER or P12, got '%s'", arg);
    cli->reach.cert_type = arg;
    return AL_OK;
  case OPT_DISABLE:
    return push_switch(cli, arg, 0);
  case OPT_DRY_RUN:
    cli->dry_run = 1;
    return AL_OK;
  case OPT_ENABLE:
    return push_switch(cli, arg, 1);
  case OPT_FAIL_ON:
    if (!al_severity_parse(arg, 1, &cli->fail_on))
      return usage(err,
                   "--fail-on must be error, warning, info or never, got '%s'",
                   arg);
    cli->fail_on_given = 1;
    return AL_OK;
  case OPT_FORMAT:
    if (!al_reporter_find(arg))
      return bad_format(err, arg);
    cli->format = arg;
    return AL_OK;
  case OPT_HEADER:
    if (!strchr(arg, ':') || arg[0] == ':')
      return usage(err, "--header must look like 'Name: value', got '%s'", arg);
    if (al_headers_is_framing(arg, (size_t)(strchr(arg, ':') - arg)))
      return usage(err,
                   "--header '%s': this header frames the request and is set "
                   "from its body (RFC 9112 6); leave it out",
                   arg);
    return push(&cli->headers, &cli->header_count, arg);
  case OPT_HELP:
    cli->command = AL_CMD_HELP;
    return AL_OK;
  case OPT_HTML:
    cli->html_path = arg;
    return AL_OK;
  case OPT_HTTP1_1:
    cli->reach.http_version = AL_HTTP_1_1;
    return AL_OK;
  case OPT_HTTP2:
    cli->reach.http_version = AL_HTTP_2;
    return AL_OK;
  case OPT_HTTP2_PRIOR:
    cli->reach.http_version = AL_HTTP_2_PRIOR;
    return AL_OK;
  case OPT_INSECURE:
    cli->reach.insecure = 1;
    return AL_OK;
  case OPT_JOBS:
    if (!parse_long_in_range(arg, 1, 1024, &n))
      return usage(err, "--jobs must be a number from 1 to 1024, got '%s'",
                   arg);
    cli->jobs = (int)n;
    return AL_OK;
  case OPT_JSON:
    cli->json_path = arg;
    return AL_OK;
  case OPT_JUNIT:
    cli->junit_path = arg;
    return AL_OK;
  case OPT_SARIF:
    cli->sarif_path = arg;
    return AL_OK;
  case OPT_BASELINE:
    cli->baseline_path = arg;
    return AL_OK;
  case OPT_WRITE_BASELINE:
    cli->write_baseline_path = arg;
    return AL_OK;
  case OPT_KEY:
    cli->reach.key = arg;
    return AL_OK;
  case OPT_KEY_TYPE:
    if (!al_tls_type_ok(arg, 0))
      return usage(err, "--key-type must be PEM, DER or ENG, got '%s'", arg);
    cli->reach.key_type = arg;
    return AL_OK;
  case OPT_METHOD:
    cli->method = arg;
    return AL_OK;
  case OPT_METHODS:
    if (strcmp(arg, "safe") != 0 && strcmp(arg, "all") != 0)
      return usage(err, "--methods must be safe or all, got '%s'", arg);
    cli->all_methods = strcmp(arg, "all") == 0;
    return AL_OK;
  case OPT_NO_COLOR:
    cli->no_color = 1;
    return AL_OK;
  case OPT_OUTPUT:
    cli->output_path = arg;
    return AL_OK;
  case OPT_NOPROXY:
    cli->reach.noproxy = arg;
    return AL_OK;
  case OPT_PASS:
    /* The password is not quoted back in any message. */
    cli->reach.key_password = arg;
    return AL_OK;
  case OPT_PROBE:
    return add_probe(cli, arg, err);
  case OPT_PROXY:
    cli->reach.proxy = arg;
    return AL_OK;
  case OPT_QUIET:
    cli->quiet = 1;
    return AL_OK;
  case OPT_RATE:
    if (!al_rate_parse(arg, &cli->rate))
      return usage(err,
                   "--rate must be N, N/s, N/m or N/h with N from 1 to "
                   "1000000, got '%s'",
                   arg);
    return AL_OK;
  case OPT_RETRY:
    if (!parse_long_in_range(arg, 0, 100, &n))
      return usage(err, "--retry must be a number from 0 to 100, got '%s'",
                   arg);
    cli->reach.retry = (int)n;
    return AL_OK;
  case OPT_RETRY_DELAY:
    if (!parse_delay(arg, &cli->reach.retry_delay_ms))
      return usage(err,
                   "--retry-delay must be a number of seconds from 0 to "
                   "3600, got '%s'",
                   arg);
    return AL_OK;
  case OPT_RULES:
    return push(&cli->rule_files, &cli->rule_file_count, arg);
  case OPT_SHARD:
    cli->shard = arg;
    return AL_OK;
  case OPT_TIMEOUT:
    if (!parse_seconds(arg, &cli->timeout_ms))
      return usage(err, "--timeout must be a number of seconds > 0, got '%s'",
                   arg);
    return AL_OK;
  case OPT_VERBOSE:
    cli->verbose = 1;
    return AL_OK;
  case OPT_VERSION:
    cli->command = AL_CMD_VERSION;
    return AL_OK;
  }
  return AL_E_INTERNAL;
}

static void cli_defaults(struct al_cli *cli)
{
  memset(cli, 0, sizeof *cli);
  cli->command = AL_CMD_LINT;
  cli->jobs = 8;
  cli->format = "text";
  cli->fail_on = AL_SEV_ERROR;
  cli->timeout_ms = AL_SPEC_TIMEOUT_DEFAULT_MS;
  al_reach_init(&cli->reach);
}

/* "--name=value", "--name value", "-j8", "-j 8", "-qv". Sets *consumed to
 * how many argv entries were used. */
static enum al_code parse_option(int argc, char **argv, int i,
                                 struct al_cli *cli, int *consumed,
                                 struct al_err *err)
{
  const char *a = argv[i];
  *consumed = 1;
  if (a[1] == '-') {
    const char *name = a + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const struct opt *o = find_long(name, len);
    if (!o) {
      char typed[65];
      snprintf(typed, sizeof typed, "%.*s", (int)(len < 64 ? len : 64), name);
      struct al_suggest sug;
      al_suggest_init(&sug, typed);
      for (size_t k = 0; k < OPTION_COUNT; k++)
        al_suggest_consider(&sug, options[k].name);
      const char *hint = al_suggest_result(&sug);
      if (hint) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "unknown option '%.*s' (did you mean '--%s'?)",
                 (int)(len + 2 > 200 ? 200 : len + 2), a, hint);
        return usage(err, "%s", msg);
      }
      return usage(err, "unknown option '%s'", a);
    }
    if (!o->takes_arg) {
      if (eq)
        return usage(err, "option '--%s' takes no value", o->name);
      return apply_option(cli, o, NULL, err);
    }
    if (eq)
      return apply_option(cli, o, eq + 1, err);
    if (i + 1 >= argc)
      return usage(err, "option '--%s' needs a value", o->name);
    *consumed = 2;
    return apply_option(cli, o, argv[i + 1], err);
  }
  for (const char *p = a + 1; *p; p++) {
    const struct opt *o = find_short(*p);
    if (!o) {
      char flag[3] = {'-', *p, '\0'};
      return usage(err, "unknown option '%s'", flag);
    }
    if (!o->takes_arg) {
      enum al_code rc = apply_option(cli, o, NULL, err);
      if (rc != AL_OK)
        return rc;
      continue;
    }
    if (p[1])
      return apply_option(cli, o, p + 1, err);
    if (i + 1 >= argc) {
      char flag[3] = {'-', *p, '\0'};
      return usage(err, "option '%s' needs a value", flag);
    }
    *consumed = 2;
    return apply_option(cli, o, argv[i + 1], err);
  }
  return AL_OK;
}

/* The first positional word may name a command; a spec file with such a
 * name can still be given as ./rules. */
static int take_command(struct al_cli *cli, const char *word)
{
  if (strcmp(word, "rules") == 0)
    cli->command = AL_CMD_RULES;
  else if (strcmp(word, "explain") == 0)
    cli->command = AL_CMD_EXPLAIN;
  else if (strcmp(word, "check") == 0)
    cli->command = AL_CMD_CHECK;
  else if (strcmp(word, "import") == 0)
    cli->command = AL_CMD_IMPORT;
  else if (strcmp(word, "har") == 0)
    cli->command = AL_CMD_HAR;
  else if (strcmp(word, "init") == 0)
    cli->command = AL_CMD_INIT;
  else if (strcmp(word, "merge") == 0)
    cli->command = AL_CMD_MERGE;
  else
    return 0;
  return 1;
}

static enum al_code check_positionals(struct al_cli *cli, struct al_err *err)
{
  switch (cli->command) {
  case AL_CMD_HELP:
  case AL_CMD_VERSION:
    return AL_OK;
  case AL_CMD_LINT:
    if (cli->spec_count == 0)
      return usage(err, "%s", "no spec file given");
    return AL_OK;
  case AL_CMD_HAR:
    if (cli->spec_count == 0)
      return usage(err, "%s", "'har' needs at least one HAR file");
    return AL_OK;
  case AL_CMD_MERGE:
    if (cli->spec_count == 0)
      return usage(err, "%s",
                   "'merge' needs the JSON reports of the shards (--json)");
    return AL_OK;
  case AL_CMD_IMPORT:
    if (cli->spec_count != 1)
      return usage(err, "%s", "'import' takes exactly one OpenAPI document");
    cli->target = cli->specs[0];
    cli->spec_count = 0;
    return AL_OK;
  case AL_CMD_RULES:
    if (cli->spec_count)
      return usage(err, "'rules' takes no argument, got '%s'", cli->specs[0]);
    return AL_OK;
  case AL_CMD_EXPLAIN:
  case AL_CMD_CHECK:
    if (cli->spec_count != 1)
      return usage(err, "%s",
                   cli->command == AL_CMD_EXPLAIN
                       ? "'explain' takes exactly one RULE-ID or PROBE"
                       : "'check' takes exactly one URL");
    cli->target = cli->specs[0];
    cli->spec_count = 0;
    return AL_OK;
  case AL_CMD_INIT:
    if (cli->spec_count > 1)
      return usage(err, "%s", "'init' takes at most one FILE");
    cli->target = cli->spec_count ? cli->specs[0] : "apilint.yaml";
    cli->spec_count = 0;
    return AL_OK;
  }
  return AL_OK;
}

enum al_code al_cli_parse(int argc, char **argv, struct al_cli *cli,
                          struct al_err *err)
{
  cli_defaults(cli);
  int only_positionals = 0;
  int seen_positional = 0;
  for (int i = 1; i < argc;) {
    const char *a = argv[i];
    if (!only_positionals && strcmp(a, "--") == 0) {
      only_positionals = 1;
      i++;
      continue;
    }
    if (!only_positionals && a[0] == '-' && a[1] != '\0') {
      int consumed;
      enum al_code rc = parse_option(argc, argv, i, cli, &consumed, err);
      if (rc != AL_OK)
        return rc;
      i += consumed;
      continue;
    }
    if (!seen_positional && !only_positionals && take_command(cli, a)) {
      seen_positional = 1;
      i++;
      continue;
    }
    seen_positional = 1;
    if (push(&cli->specs, &cli->spec_count, a) != AL_OK)
      return AL_E_NOMEM;
    i++;
  }
  if (cli->method && cli->command != AL_CMD_CHECK &&
      cli->command != AL_CMD_HELP && cli->command != AL_CMD_VERSION)
    return usage(err, "%s", "-X/--method is only for 'apilint check URL'");
  if (cli->output_path && cli->command != AL_CMD_IMPORT &&
      cli->command != AL_CMD_HELP && cli->command != AL_CMD_VERSION)
    return usage(err, "%s", "-o/--output is only for 'apilint import'");
  /* A shard is a part of a spec run; a recording, a URL or a merge has
   * none. */
  if (cli->shard && cli->command != AL_CMD_LINT &&
      cli->command != AL_CMD_HELP && cli->command != AL_CMD_VERSION)
    return usage(err, "%s", "--shard is only for runs of spec files");
  return check_positionals(cli, err);
}

void al_cli_cleanup(struct al_cli *cli)
{
  free(cli->cert_file);
  free(cli->cert_password);
  cli->cert_file = cli->cert_password = NULL;
  free((void *)cli->headers);
  free((void *)cli->rule_files);
  free(cli->switches);
  free((void *)cli->specs);
  free((void *)cli->probes);
  cli->probes = NULL;
  cli->probe_count = 0;
  cli->headers = NULL;
  cli->rule_files = NULL;
  cli->switches = NULL;
  cli->specs = NULL;
}
