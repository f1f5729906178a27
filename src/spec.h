/* spec.h - the spec stage: a YAML spec file (CONTRACT.md "Spec file") becomes
 * a struct al_spec: base URL, defaults, rule settings and endpoints, every
 * endpoint knowing the line it was declared on. All ${VAR} / ${VAR:-default}
 * expansion happens here, so later stages see final strings. */
#ifndef AL_SPEC_H
#define AL_SPEC_H

#include <stddef.h>

#include "common.h"
#include "expect.h"
#include "headers.h"
#include "reach.h"

struct al_ynode;

/* Rule settings, from the spec's top-level `rules:` or an endpoint's
 * `rules:`. Lists are owned arrays of owned strings. Rule ids are not
 * checked here (the spec does not know the ruleset): run.c checks them
 * against the ruleset and reports unknown ids with the recorded position. */
struct al_rule_setting {
  char *id; /* owned */
  int line; /* where the id was written, for "unknown rule" errors */
  int col;
  int severity; /* enum al_severity for `severity:` entries; 0 otherwise */
};

struct al_rule_overrides {
  struct al_rule_setting *disable; /* owned */
  size_t disable_count;
  struct al_rule_setting *enable; /* owned */
  size_t enable_count;
  struct al_rule_setting *severity; /* owned; severity member set */
  size_t severity_count;
};

struct al_endpoint {
  char *name;                /* owned; default "METHOD path" */
  char *method;              /* owned; default "GET" */
  char *path;                /* owned; as written, after ${VAR} expansion */
  char *path_template;       /* owned; as written, before expansion (the
                                fingerprint's, fingerprint.h); NULL when it
                                is 'path' itself (no '$' in it) or the
                                endpoint was not read from a spec (HAR) */
  char *url;                 /* owned; base_url + path */
  struct al_headers headers; /* owned; defaults.headers then the endpoint's
                                own (an endpoint's header replaces a default
                                of the same name) */
  char *body; /* owned; NULL = no body; `json:` serialized, or `body:` */
  size_t body_len;
  long timeout_ms;         /* ms, always > 0: the endpoint's `timeout:`, else
                              defaults' `timeout:`, else the run's (opts->timeout_ms,
                              --timeout), else AL_SPEC_TIMEOUT_DEFAULT_MS. Decided
                              here only: later stages send with it as it is. */
  struct al_expect expect; /* when has_expect (below) */
  /* Active probes (probe.h). 'probes': owned; the names of defaults'
   * `probes:` then the endpoint's own, each once (exact duplicates across
   * the two are dropped), as written: probe names (al_probe_find() knows
   * each) or "all" (every probe but the by-name-only ones; see
   * al_probe_select()). Empty when neither lists any. */
  char **probes;
  size_t probe_count;
  /* Owned; defaults' `probe_methods:` then the endpoint's, each once: the
   * methods a probe may send besides the declared ones (probes never send
   * DELETE, PUT or POST otherwise). RFC 9110 tokens, upper-case. */
  char **probe_methods;
  size_t probe_method_count;
  long burst; /* rate-limit burst: the endpoint's `burst:`, else defaults';
                 1..AL_PROBE_BURST_MAX; 0 = neither set (the run decides:
                 --burst, else AL_PROBE_BURST_DEFAULT) */
  /* Owned; NULL when the endpoint has no `rules:` of its own (nearly
   * all: this keeps struct al_endpoint small). */
  struct al_rule_overrides *rules;
  /* `skip: "reason"`: the endpoint is validated but not sent; such
   * endpoints are moved to spec->skipped. NULL = sent. Owned. */
  char *skip;
  /* `source: FILE:LINE:COL`: where the endpoint is described (an imported
   * OpenAPI operation); findings are located there. NULL = the spec file
   * itself (spec->path at line:col). Owned. */
  char *file;
  int line; /* position of the endpoint's list item, or `source:`'s */
  int col;
  int has_expect;
  /* NULL, or the one allocation that name, method, path, path_template
   * and url point into (spec.c pack_strings): a spec of many endpoints is
   * mostly these short strings. Freed with the endpoint. */
  char *strings;
  size_t index; /* its place among the spec's endpoints to send, 0-based,
                   as loaded: kept when --shard drops others (shard.h) */
};

struct al_spec {
  char *path; /* owned; as given on the command line */
  char *name; /* owned; file name without directory and extension: the
                 JUnit suite name and classname prefix */
  long version;
  char *base_url; /* owned; NULL only if absent and --base-url is given */
  long default_timeout_ms; /* 0 = none set */
  /* defaults' tls:, http_version:, proxy:, noproxy:, retry: (reach.h; the
   * command line wins field by field) and rate:. The strings of 'reach'
   * point into reach_strings, owned by the spec; relative tls file paths
   * are already resolved against the spec file's directory. */
  struct al_reach reach;
  struct al_rate rate;  /* count 0 = not set */
  char **reach_strings; /* owned */
  size_t reach_string_count;
  struct al_rule_overrides rules;
  struct al_endpoint *endpoints; /* owned; the endpoints to send */
  size_t endpoint_count;
  struct al_endpoint *skipped; /* owned; those with `skip:`, spec order */
  size_t skipped_count;
  /* Secrets: the names listed in the spec's `secrets:` (header names whose
   * values print as ***, besides the built-in Authorization,
   * Proxy-Authorization, Cookie, Set-Cookie), and secret values: those of
   * variables that were listed or look secret (TOKEN, SECRET, PASSWORD,
   * PASSWD, APIKEY, API_KEY, CREDENTIAL, PRIVATE in the name, any case) and
   * were expanded into the spec, and the values the spec gives to
   * secret-named headers. See the top of spec.c for `secrets:`. */
  char **secret_headers; /* owned */
  size_t secret_header_count;
  char **secret_values; /* owned */
  size_t secret_value_count;
  /* Set by al_shard_apply (shard.h): the endpoints to send as loaded,
   * before --shard kept one shard's, and the digest of that whole list
   * (16 hex digits; "" when never set). */
  size_t loaded_count;
  char digest[17];
};

/* The timeout of a request when neither the spec nor the run sets one. */
#define AL_SPEC_TIMEOUT_DEFAULT_MS 10000L

struct al_spec_opts {
  const char *base_url_override; /* --base-url, or NULL */
  /* --timeout: the timeout of endpoints whose spec sets none; 0 =
   * AL_SPEC_TIMEOUT_DEFAULT_MS. */
  long timeout_ms;
  /* Looks up an environment variable; NULL = getenv. Lets tests supply
   * variables without touching the process environment. */
  const char *(*getenv_fn)(const char *name, void *ctx);
  void *getenv_ctx;
  /* An OpenAPI document given as a spec is imported in memory
   * (openapi.h); with this set, no operation is skipped (--methods all). */
  int openapi_all_methods;
};

/* Load and validate the spec at 'path'. An OpenAPI or Swagger document
 * (openapi.h) is accepted too: it is imported in memory first, and its
 * endpoints' positions are the operations' in the document.
 *
 * On success returns AL_OK and sets '*out' to a new spec that the caller
 * frees with al_spec_free(). On failure returns AL_E_SPEC, AL_E_IO or
 * AL_E_NOMEM, leaves '*out' NULL and fills 'err' with file:line:col and what
 * was expected. 'opts' may be NULL. */
enum al_code al_spec_load(const char *path, const struct al_spec_opts *opts,
                          struct al_spec **out, struct al_err *err);

/* Same, from text in memory; 'path' is used for messages and spec->path. */
enum al_code al_spec_parse(const char *text, size_t len, const char *path,
                           const struct al_spec_opts *opts,
                           struct al_spec **out, struct al_err *err);

/* Same, from a tree built in memory (yamldoc.h constructors): an imported
 * document, `apilint check URL`. Errors name 'path' and the positions the
 * builder gave the nodes. 'root' is only read. */
enum al_code al_spec_build(const struct al_ynode *root, const char *path,
                           const struct al_spec_opts *opts,
                           struct al_spec **out, struct al_err *err);

/* Where an endpoint's findings are located: its `source:` file, else the
 * spec's path. Borrowed. */
const char *al_endpoint_file(const struct al_spec *spec,
                             const struct al_endpoint *ep);

/* Drops (frees) every endpoint 'i' of spec->endpoints with keep[i] == 0;
 * the others keep their order and members. 'keep' has endpoint_count
 * entries. */
void al_spec_keep_endpoints(struct al_spec *spec, const unsigned char *keep);

void al_spec_free(struct al_spec *spec);

#endif
