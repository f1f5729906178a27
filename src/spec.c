/* spec.c - the spec stage: yamldoc tree -> struct al_spec (CONTRACT.md "Spec
 * file"). Every key is validated here, once, with file:line:col in each
 * error, so later stages can trust what they get.
 *
 * Extension to the contract, `secrets:` (top level, optional): a list of
 * names whose values must print as ***. Each name is both a header name
 * (its value is masked wherever it is shown, like Authorization) and an
 * environment variable name (its expanded value is masked in any text):
 *
 *   secrets: [X-Api-Key, SESSION_ID]
 *
 * Variables whose name contains TOKEN, SECRET, PASSWORD, PASSWD, APIKEY,
 * API_KEY, CREDENTIAL or PRIVATE (any case) are secret without being listed.
 *
 * Expansion rules: ${VAR} and ${VAR:-default} in every string value (keys
 * are never expanded); as in the shell, the default is used when VAR is
 * unset or empty; `$$` is a literal `$`; any other `$` is literal. In `json:`
 * a scalar is typed by how it is written, before expansion: `n: ${N}` is the
 * string "8080", never the number. */
#include "spec.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expect.h"
#include "loader.h"
#include "openapi.h"
#include "probe.h"
#include "redact.h"
#include "strmap.h"
#include "suggest.h"
#include "yamldoc.h"

#define MAX_TIMEOUT_S 86400.0

struct loader {
  struct al_loader y; /* file, AL_E_SPEC, err: the shared toolkit */
  const char *file;
  const struct al_spec_opts *opts; /* may be NULL */
  struct al_err *err;
  struct al_spec *spec;
  struct al_headers default_headers;
  /* defaults' `probes:` and `probe_methods:` (owned), merged into each
   * endpoint's; defaults' `burst:` (0 = not set). */
  char **default_probes;
  size_t default_probe_count;
  char **default_probe_methods;
  size_t default_probe_method_count;
  long default_burst;
  /* endpoint name -> index in spec->endpoints, so the duplicate check is
   * one lookup (a scan of the earlier endpoints made loading quadratic:
   * 40,000 endpoints took 9.7 s). Keys borrowed from the endpoints. */
  struct al_strmap names;
  /* The document when it is the loader's to free as it goes (al_spec_load,
   * al_spec_parse), else NULL: each endpoint's subtree is freed once the
   * endpoint is loaded, so a big spec never holds both its whole YAML tree
   * and all of its endpoints. */
  struct al_ynode *owned_root;
  /* NULL, or where the items of `endpoints:` come from one at a time
   * (yamldoc.h al_ystream): the tree then has an empty list there. */
  struct al_ystream *stream;
};

static const char *const top_keys[] = {
    "version", "base_url", "defaults", "rules", "endpoints", "secrets", NULL};
static const char *const defaults_keys[] = {
    "headers",      "timeout", "probes",  "probe_methods", "burst", "tls",
    "http_version", "proxy",   "noproxy", "rate",          "retry", NULL};
static const char *const tls_keys[] = {"cacert",   "capath",       "insecure",
                                       "cert",     "cert_type",    "key",
                                       "key_type", "key_password", NULL};
static const char *const retry_keys[] = {"count", "delay", NULL};
static const char *const rules_keys[] = {"disable", "enable", "severity", NULL};
static const char *const endpoint_keys[] = {
    "name",  "method",  "path",   "headers", "json",
    "body",  "timeout", "expect", "probes",  "probe_methods",
    "burst", "rules",   "skip",   "source",  NULL};
static const char *const secret_words[] = {"TOKEN",      "SECRET",  "PASSWORD",
                                           "PASSWD",     "APIKEY",  "API_KEY",
                                           "CREDENTIAL", "PRIVATE", NULL};

static enum al_code fail(struct loader *L, const struct al_ynode *at,
                         const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static enum al_code fail(struct loader *L, const struct al_ynode *at,
                         const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  enum al_code rc = al_loader_vfail(&L->y, at, fmt, ap);
  va_end(ap);
  return rc;
}

static enum al_code oom(struct loader *L)
{
  return al_loader_oom(&L->y);
}

static const char *got(const struct al_ynode *n, char *buf, size_t size)
{
  return al_loader_got(n, buf, size);
}

/* 'what' names the place for the message: "endpoint", "defaults"... */
static enum al_code check_keys(struct loader *L, const struct al_ynode *map,
                               const char *const *allowed, const char *what)
{
  return al_loader_check_keys(&L->y, map, allowed, what);
}

static enum al_code need_kind(struct loader *L, const struct al_ynode *n,
                              enum al_ynode_kind kind, const char *key,
                              const char *expected)
{
  return al_loader_need_kind(&L->y, n, kind, key, expected);
}

static enum al_code push_string(char ***arr, size_t *count, const char *s)
{
  char *copy = al_strdup(s);
  if (!copy)
    return AL_E_NOMEM;
  char **grown = realloc(*arr, (*count + 1) * sizeof *grown);
  if (!grown) {
    free(copy);
    return AL_E_NOMEM;
  }
  grown[(*count)++] = copy;
  *arr = grown;
  return AL_OK;
}

/* ---- secrets and variables ---- */

static int listed_secret(const struct al_spec *spec, const char *name)
{
  for (size_t i = 0; i < spec->secret_header_count; i++) {
    if (al_strcaseeq(spec->secret_headers[i], name))
      return 1;
  }
  return 0;
}

static int secret_variable(const struct al_spec *spec, const char *name)
{
  if (listed_secret(spec, name))
    return 1;
  for (size_t i = 0; secret_words[i]; i++) {
    if (al_memcasemem(name, strlen(name), secret_words[i]))
      return 1;
  }
  return 0;
}

static int secret_header(const struct al_spec *spec, const char *name)
{
  return al_redactor_is_secret_name(NULL, name) || listed_secret(spec, name);
}

static enum al_code add_secret_value(struct loader *L, const char *value)
{
  struct al_spec *spec = L->spec;
  if (!value[0])
    return AL_OK;
  for (size_t i = 0; i < spec->secret_value_count; i++) {
    if (strcmp(spec->secret_values[i], value) == 0)
      return AL_OK;
  }
  if (push_string(&spec->secret_values, &spec->secret_value_count, value))
    return oom(L);
  return AL_OK;
}

static const char *lookup_env(const struct loader *L, const char *name)
{
  if (L->opts && L->opts->getenv_fn)
    return L->opts->getenv_fn(name, L->opts->getenv_ctx);
  return getenv(name);
}

static int var_start(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int var_char(char c)
{
  return var_start(c) || (c >= '0' && c <= '9');
}

/* Expands one ${...} starting at s[*i] (which is "${") into 'b'. */
static enum al_code expand_var(struct loader *L, const struct al_ynode *n,
                               size_t *i, struct al_buf *b)
{
  const char *s = n->value;
  size_t start = *i + 2, j = start;
  if (!var_start(s[j]))
    return fail(L, n,
                "bad variable reference in \"%s\": a name after '${' is "
                "letters, digits and '_', not starting with a digit",
                n->value);
  while (var_char(s[j]))
    j++;
  size_t name_len = j - start;
  const char *def = NULL;
  size_t def_len = 0;
  if (s[j] == ':' && s[j + 1] == '-') {
    def = s + j + 2;
    const char *close = strchr(def, '}');
    if (!close)
      return fail(L, n, "unterminated '${' in \"%s\" (missing '}')", n->value);
    def_len = (size_t)(close - def);
    j = (size_t)(close - s);
  } else if (s[j] != '}') {
    return fail(L, n,
                "bad variable reference in \"%s\": expected '}' or ':-' after "
                "'${%.*s'",
                n->value, (int)name_len, s + start);
  }
  char *name = al_strndup(s + start, name_len);
  if (!name)
    return oom(L);
  enum al_code rc = AL_OK;
  const char *value = lookup_env(L, name);
  size_t value_len = value ? strlen(value) : 0;
  if (def && value_len == 0) {
    value = def;
    value_len = def_len;
  }
  if (!value) {
    rc = fail(L, n,
              "environment variable '%s' is not set (set it, or write "
              "${%s:-default} to give a default)",
              name, name);
    goto out;
  }
  if (al_buf_append(b, value, value_len) != AL_OK) {
    rc = oom(L);
    goto out;
  }
  if (secret_variable(L->spec, name) && value_len) {
    char *copy = al_strndup(value, value_len);
    if (!copy) {
      rc = oom(L);
      goto out;
    }
    rc = add_secret_value(L, copy);
    free(copy);
  }
  *i = j + 1;
out:
  free(name);
  return rc;
}

/* The scalar's text with ${VAR} expanded: a new string in '*out'. */
static enum al_code expand(struct loader *L, const struct al_ynode *n,
                           char **out)
{
  struct al_buf b;
  enum al_code rc = AL_OK;
  const char *s = n->value;
  /* Most values name no variable: one copy of exactly their size (a
   * spec's strings live for the whole run, a buffer's spare room with
   * them). */
  if (!memchr(s, '$', n->value_len)) {
    *out = al_strndup(s, n->value_len);
    return *out ? AL_OK : oom(L);
  }
  al_buf_init(&b);
  for (size_t i = 0; i < n->value_len;) {
    if (s[i] == '$' && s[i + 1] == '{') {
      rc = expand_var(L, n, &i, &b);
      if (rc != AL_OK)
        goto out;
      continue;
    }
    /* "$$" is one literal '$'; a lone '$' is literal too. */
    if (al_buf_append_char(&b, s[i]) != AL_OK) {
      rc = oom(L);
      goto out;
    }
    i += (s[i] == '$' && s[i + 1] == '$') ? 2 : 1;
  }
  *out = al_strndup(b.data ? b.data : "", b.len);
  if (!*out)
    rc = oom(L);
out:
  al_buf_cleanup(&b);
  return rc;
}

/* A scalar value as an expanded string. 'key' names it in messages. */
static enum al_code string_value(struct loader *L, const struct al_ynode *n,
                                 const char *key, char **out)
{
  char buf[64];
  *out = NULL;
  if (n->kind != AL_YNODE_SCALAR || al_ynode_is_null(n))
    return fail(L, n, "'%s' must be a string, got %s", key,
                got(n, buf, sizeof buf));
  return expand(L, n, out);
}

/* ---- small value parsers ---- */

/* The timeout of an endpoint that sets none: the one place it is decided
 * (spec.h, timeout_ms). */
static long endpoint_default_timeout(const struct loader *L)
{
  if (L->spec->default_timeout_ms > 0)
    return L->spec->default_timeout_ms;
  if (L->opts && L->opts->timeout_ms > 0)
    return L->opts->timeout_ms;
  return AL_SPEC_TIMEOUT_DEFAULT_MS;
}

static enum al_code parse_timeout(struct loader *L, const struct al_ynode *n,
                                  long *ms)
{
  char buf[64];
  double secs;
  if (n->kind != AL_YNODE_SCALAR || !al_ynode_double(n, &secs))
    return fail(L, n, "'timeout' must be a number of seconds, got %s",
                got(n, buf, sizeof buf));
  if (!(secs > 0))
    return fail(L, n, "'timeout' must be more than 0 seconds, got %s",
                got(n, buf, sizeof buf));
  if (secs > MAX_TIMEOUT_S)
    return fail(L, n, "'timeout' must be at most %.0f seconds, got %s",
                MAX_TIMEOUT_S, got(n, buf, sizeof buf));
  *ms = (long)(secs * 1000.0 + 0.5);
  if (*ms < 1)
    *ms = 1; /* 0 means "no timeout set" to later stages */
  return AL_OK;
}

static int header_value_ok(const char *v)
{
  for (; *v; v++) {
    if (*v == '\r' || *v == '\n')
      return 0;
  }
  return 1;
}

/* Reads a `headers:` map into 'h' (al_headers_set, so a name given again
 * replaces what 'h' already holds, e.g. a default). */
static enum al_code load_headers(struct loader *L, const struct al_ynode *map,
                                 struct al_headers *h)
{
  enum al_code rc = need_kind(L, map, AL_YNODE_MAP, "headers",
                              "a mapping of header names to values");
  if (rc != AL_OK)
    return rc;
  for (size_t i = 0; i < map->count; i++) {
    const struct al_ynode *key = map->keys[i], *val = map->items[i];
    char buf[64];
    if (!al_headers_is_token(key->value))
      return fail(L, key,
                  "'%s' is not a valid header name (letters, digits and "
                  "!#$%%&'*+-.^_`|~ only)",
                  key->value);
    for (size_t k = 0; k < i; k++) {
      if (al_strcaseeq(map->keys[k]->value, key->value))
        return fail(L, key, "header '%s' given twice (first at %d:%d)",
                    key->value, map->keys[k]->line, map->keys[k]->col);
    }
    if (al_headers_is_framing(key->value, strlen(key->value)))
      return fail(L, key,
                  "header '%s' frames the request and is set from its body "
                  "(RFC 9112 6); a value of its own would make the request "
                  "hang or be cut: leave it out",
                  key->value);
    if (val->kind != AL_YNODE_SCALAR)
      return fail(L, val, "header '%s' must have a single value, got %s",
                  key->value, got(val, buf, sizeof buf));
    char *value = NULL;
    if (al_ynode_is_null(val)) {
      value = al_strdup("");
      if (!value)
        return oom(L);
    } else {
      rc = expand(L, val, &value);
      if (rc != AL_OK)
        return rc;
    }
    if (!header_value_ok(value)) {
      free(value);
      return fail(L, val, "header '%s' must be one line (no CR or LF)",
                  key->value);
    }
    rc = al_headers_set(h, key->value, value);
    if (rc == AL_OK && secret_header(L->spec, key->value))
      rc = add_secret_value(L, value);
    free(value);
    if (rc != AL_OK)
      return rc == AL_E_NOMEM ? oom(L) : rc;
  }
  return AL_OK;
}

static enum al_code push_setting(struct al_rule_setting **arr, size_t *count,
                                 const struct al_ynode *n, int severity)
{
  struct al_rule_setting *grown = realloc(*arr, (*count + 1) * sizeof *grown);
  if (!grown)
    return AL_E_NOMEM;
  *arr = grown;
  char *id = al_strdup(n->value);
  if (!id)
    return AL_E_NOMEM;
  grown[*count].id = id;
  grown[*count].line = n->line;
  grown[*count].col = n->col;
  grown[*count].severity = severity;
  (*count)++;
  return AL_OK;
}

static enum al_code rule_id(struct loader *L, const struct al_ynode *n,
                            const char *key)
{
  char buf[64];
  if (n->kind != AL_YNODE_SCALAR || n->value[0] == '\0' || al_ynode_is_null(n))
    return fail(L, n, "'%s' must list rule ids (like server-error), got %s",
                key, got(n, buf, sizeof buf));
  return AL_OK;
}

static enum al_code load_rule_list(struct loader *L, const struct al_ynode *n,
                                   const char *key,
                                   struct al_rule_setting **arr, size_t *count)
{
  enum al_code rc = need_kind(L, n, AL_YNODE_SEQ, key, "a list of rule ids");
  for (size_t i = 0; rc == AL_OK && i < n->count; i++) {
    rc = rule_id(L, n->items[i], key);
    if (rc == AL_OK && push_setting(arr, count, n->items[i], 0) != AL_OK)
      rc = oom(L);
  }
  return rc;
}

static enum al_code load_severities(struct loader *L, const struct al_ynode *n,
                                    struct al_rule_overrides *ro)
{
  enum al_code rc = need_kind(L, n, AL_YNODE_MAP, "severity",
                              "a mapping of rule ids to error, warning or "
                              "info");
  for (size_t i = 0; rc == AL_OK && i < n->count; i++) {
    const struct al_ynode *val = n->items[i];
    enum al_severity sev;
    char buf[64];
    if (val->kind != AL_YNODE_SCALAR || !al_severity_parse(val->value, 0, &sev))
      return fail(L, val,
                  "severity of '%s' must be error, warning or info, got %s",
                  n->keys[i]->value, got(val, buf, sizeof buf));
    if (push_setting(&ro->severity, &ro->severity_count, n->keys[i],
                     (int)sev) != AL_OK)
      rc = oom(L);
  }
  return rc;
}

static enum al_code load_rules(struct loader *L, const struct al_ynode *n,
                               struct al_rule_overrides *ro)
{
  enum al_code rc = need_kind(L, n, AL_YNODE_MAP, "rules",
                              "a mapping (disable, enable, severity)");
  if (rc == AL_OK)
    rc = check_keys(L, n, rules_keys, "rules");
  for (size_t i = 0; rc == AL_OK && i < n->count; i++) {
    const char *key = n->keys[i]->value;
    const struct al_ynode *val = n->items[i];
    if (strcmp(key, "disable") == 0)
      rc = load_rule_list(L, val, key, &ro->disable, &ro->disable_count);
    else if (strcmp(key, "enable") == 0)
      rc = load_rule_list(L, val, key, &ro->enable, &ro->enable_count);
    else
      rc = load_severities(L, val, ro);
  }
  return rc;
}

static void rule_overrides_cleanup(struct al_rule_overrides *ro)
{
  for (size_t i = 0; i < ro->disable_count; i++)
    free(ro->disable[i].id);
  for (size_t i = 0; i < ro->enable_count; i++)
    free(ro->enable[i].id);
  for (size_t i = 0; i < ro->severity_count; i++)
    free(ro->severity[i].id);
  free(ro->disable);
  free(ro->enable);
  free(ro->severity);
}

/* ---- expect: ---- */

/* A string scalar of `expect:` (a header pattern), ${VAR}-expanded. */
static enum al_code expect_text(void *ctx, const struct al_ynode *n, char **out)
{
  return expand(ctx, n, out);
}

static enum al_code load_expect(struct loader *L, const struct al_ynode *n,
                                struct al_expect *ex)
{
  return al_expect_load(&L->y, n, expect_text, L, ex);
}

/* ---- json: ---- */

static enum al_code json_value(struct loader *L, const struct al_ynode *n,
                               cJSON **out);

static enum al_code json_scalar(struct loader *L, const struct al_ynode *n,
                                cJSON **out)
{
  long l;
  double d;
  int b;
  char *s = NULL;
  if (al_ynode_is_null(n)) {
    *out = cJSON_CreateNull();
  } else if (al_ynode_bool(n, &b)) {
    *out = cJSON_CreateBool(b);
  } else if (al_ynode_int(n, &l)) {
    /* Raw text keeps every digit of a long (a double holds 53 bits) and
     * drops what JSON forbids (a '+' sign, leading zeros). */
    char num[32];
    snprintf(num, sizeof num, "%ld", l);
    *out = cJSON_CreateRaw(num);
  } else if (al_ynode_double(n, &d)) {
    *out = cJSON_CreateNumber(d);
  } else {
    enum al_code rc = expand(L, n, &s);
    if (rc != AL_OK)
      return rc;
    *out = cJSON_CreateString(s);
    free(s);
  }
  return *out ? AL_OK : oom(L);
}

static enum al_code json_value(struct loader *L, const struct al_ynode *n,
                               cJSON **out)
{
  enum al_code rc = AL_OK;
  *out = NULL;
  if (n->kind == AL_YNODE_SCALAR)
    return json_scalar(L, n, out);
  int is_map = n->kind == AL_YNODE_MAP;
  cJSON *c = is_map ? cJSON_CreateObject() : cJSON_CreateArray();
  if (!c)
    return oom(L);
  for (size_t i = 0; i < n->count; i++) {
    cJSON *child = NULL;
    rc = json_value(L, n->items[i], &child);
    if (rc != AL_OK)
      goto fail;
    if (is_map)
      cJSON_AddItemToObject(c, n->keys[i]->value, child);
    else
      cJSON_AddItemToArray(c, child);
  }
  *out = c;
  return AL_OK;
fail:
  cJSON_Delete(c);
  return rc;
}

static enum al_code load_json(struct loader *L, const struct al_ynode *n,
                              struct al_endpoint *ep)
{
  cJSON *json = NULL;
  enum al_code rc = json_value(L, n, &json);
  if (rc != AL_OK)
    return rc;
  ep->body = cJSON_PrintUnformatted(json);
  cJSON_Delete(json);
  if (!ep->body)
    return oom(L);
  ep->body_len = strlen(ep->body);
  if (!al_headers_get(&ep->headers, "Content-Type") &&
      al_headers_add(&ep->headers, "Content-Type", "application/json") != AL_OK)
    return oom(L);
  return AL_OK;
}

static enum al_code load_body(struct loader *L, const struct al_ynode *n,
                              struct al_endpoint *ep)
{
  char buf[64];
  /* `body: ~` is refused rather than guessed at: no body is written by
   * leaving 'body' out, and an empty one as body: "". */
  if (n->kind != AL_YNODE_SCALAR || al_ynode_is_null(n))
    return fail(L, n,
                "'body' must be a string (use 'json:' for structured data, "
                "body: \"\" for an empty body), got %s",
                got(n, buf, sizeof buf));
  enum al_code rc = expand(L, n, &ep->body);
  if (rc == AL_OK)
    ep->body_len = strlen(ep->body);
  return rc;
}

/* ---- probes ---- */

static void free_strings(char **arr, size_t count)
{
  for (size_t i = 0; i < count; i++)
    free(arr[i]);
  free(arr);
}

static int has_string(char *const *arr, size_t count, const char *s)
{
  for (size_t i = 0; i < count; i++) {
    if (strcmp(arr[i], s) == 0)
      return 1;
  }
  return 0;
}

/* Appends the strings of 'from' that 'arr' does not hold yet: how defaults'
 * lists merge into an endpoint's. */
static enum al_code merge_strings(char ***arr, size_t *count, char *const *from,
                                  size_t from_count)
{
  for (size_t i = 0; i < from_count; i++) {
    if (!has_string(*arr, *count, from[i]) &&
        push_string(arr, count, from[i]) != AL_OK)
      return AL_E_NOMEM;
  }
  return AL_OK;
}

/* The items of a `probes:` or `probe_methods:` list before item 'i' that
 * are written the same, or NULL: listing one twice in the same list is a
 * slip worth pointing at (across defaults and an endpoint it is not). */
static const struct al_ynode *earlier_same(const struct al_ynode *list,
                                           size_t i, const char *value)
{
  for (size_t k = 0; k < i; k++) {
    if (strcmp(list->items[k]->value, value) == 0)
      return list->items[k];
  }
  return NULL;
}

/* A `probes:` list (an endpoint's or defaults'): probe names or "all",
 * appended to *arr unless already there. */
static enum al_code load_probes(struct loader *L, const struct al_ynode *n,
                                char ***arr, size_t *count)
{
  enum al_code rc =
      need_kind(L, n, AL_YNODE_SEQ, "probes", "a list of probe names (or all)");
  for (size_t i = 0; rc == AL_OK && i < n->count; i++) {
    const struct al_ynode *p = n->items[i], *first;
    char buf[64], names[512];
    if (p->kind != AL_YNODE_SCALAR || al_ynode_is_null(p) ||
        p->value[0] == '\0')
      return fail(L, p, "'probes' must list probe names (or all), got %s",
                  got(p, buf, sizeof buf));
    if (strcmp(p->value, "all") != 0 && !al_probe_find(p->value)) {
      const char *near = al_probe_suggest(p->value);
      if (near)
        return fail(L, p, "unknown probe '%s' (did you mean '%s'?)", p->value,
                    near);
      al_probe_names(names, sizeof names, "or all");
      return fail(L, p, "unknown probe '%s' (known probes: %s)", p->value,
                  names);
    }
    if ((first = earlier_same(n, i, p->value)) != NULL)
      return fail(L, p, "probe '%s' is listed twice (first at %d:%d)", p->value,
                  first->line, first->col);
    if (!has_string(*arr, *count, p->value) &&
        push_string(arr, count, p->value) != AL_OK)
      rc = oom(L);
  }
  return rc;
}

static int has_lower(const char *s)
{
  for (; *s; s++) {
    if (*s >= 'a' && *s <= 'z')
      return 1;
  }
  return 0;
}

/* A `probe_methods:` list: HTTP methods a probe may send although the spec
 * does not declare them (DELETE, PUT, POST need this). Upper-case only:
 * methods are case-sensitive (RFC 9110 §9.1), so "delete" would be another
 * method, and allowing it would not allow DELETE. */
static enum al_code load_probe_methods(struct loader *L,
                                       const struct al_ynode *n, char ***arr,
                                       size_t *count)
{
  static const char expected[] = "a list of HTTP methods (like [DELETE, PUT])";
  enum al_code rc = need_kind(L, n, AL_YNODE_SEQ, "probe_methods", expected);
  for (size_t i = 0; rc == AL_OK && i < n->count; i++) {
    const struct al_ynode *m = n->items[i], *first;
    char buf[64], *method = NULL;
    if (m->kind != AL_YNODE_SCALAR || al_ynode_is_null(m))
      return fail(L, m,
                  "'probe_methods' must list HTTP methods (like DELETE, PUT), "
                  "got %s",
                  got(m, buf, sizeof buf));
    rc = expand(L, m, &method);
    if (rc != AL_OK)
      return rc;
    if (!al_headers_is_token(method))
      rc = fail(L, m,
                "'probe_methods' must list HTTP method tokens (like DELETE, "
                "PUT: letters, digits and !#$%%&'*+-.^_`|~), got %s",
                got(m, buf, sizeof buf));
    else if (has_lower(method))
      rc = fail(L, m,
                "'probe_methods' must list methods in upper case (methods "
                "are case-sensitive; like DELETE, PUT), got %s",
                got(m, buf, sizeof buf));
    else if ((first = earlier_same(n, i, m->value)) != NULL)
      rc = fail(L, m,
                "method '%s' is listed twice in 'probe_methods' (first "
                "at %d:%d)",
                method, first->line, first->col);
    else if (!has_string(*arr, *count, method) &&
             push_string(arr, count, method) != AL_OK)
      rc = oom(L);
    free(method);
  }
  return rc;
}

/* `burst:` the rate-limit probe's number of requests. */
static enum al_code parse_burst(struct loader *L, const struct al_ynode *n,
                                long *burst)
{
  char buf[64];
  long v;
  if (n->kind != AL_YNODE_SCALAR || !al_ynode_int(n, &v))
    return fail(L, n,
                "'burst' must be a whole number of requests from 1 to %d, "
                "got %s",
                AL_PROBE_BURST_MAX, got(n, buf, sizeof buf));
  if (v < 1 || v > AL_PROBE_BURST_MAX)
    return fail(L, n, "'burst' must be from 1 to %d requests, got %ld",
                AL_PROBE_BURST_MAX, v);
  *burst = v;
  return AL_OK;
}

/* An endpoint's probes:, probe_methods: and burst:, on top of defaults'. */
static enum al_code endpoint_probes(struct loader *L,
                                    const struct al_ynode *map,
                                    struct al_endpoint *ep)
{
  const struct al_ynode *v;
  enum al_code rc = AL_OK;
  if (merge_strings(&ep->probes, &ep->probe_count, L->default_probes,
                    L->default_probe_count) != AL_OK ||
      merge_strings(&ep->probe_methods, &ep->probe_method_count,
                    L->default_probe_methods,
                    L->default_probe_method_count) != AL_OK)
    return oom(L);
  ep->burst = L->default_burst;
  if ((v = al_ynode_get(map, "probes")) != NULL)
    rc = load_probes(L, v, &ep->probes, &ep->probe_count);
  if (rc == AL_OK && (v = al_ynode_get(map, "probe_methods")) != NULL)
    rc = load_probe_methods(L, v, &ep->probe_methods, &ep->probe_method_count);
  if (rc == AL_OK && (v = al_ynode_get(map, "burst")) != NULL)
    rc = parse_burst(L, v, &ep->burst);
  return rc;
}

/* ---- endpoints ---- */

/* The registered method 'm' spells in another case (RFC 9110 §9 and
 * PATCH, RFC 5789), or NULL. */
static const char *standard_method(const char *m)
{
  static const char *const methods[] = {"GET",     "HEAD",   "POST",
                                        "PUT",     "DELETE", "CONNECT",
                                        "OPTIONS", "TRACE",  "PATCH"};
  for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
    if (al_strcaseeq(methods[i], m))
      return methods[i];
  }
  return NULL;
}

static enum al_code endpoint_method(struct loader *L,
                                    const struct al_ynode *map,
                                    struct al_endpoint *ep)
{
  const struct al_ynode *n = al_ynode_get(map, "method");
  if (!n) {
    ep->method = al_strdup("GET");
    return ep->method ? AL_OK : oom(L);
  }
  enum al_code rc = string_value(L, n, "method", &ep->method);
  if (rc == AL_OK && !al_headers_is_token(ep->method))
    return fail(L, n,
                "'method' must be an HTTP method token (like GET, POST, "
                "PROPFIND: letters, digits and !#$%%&'*+-.^_`|~), got \"%s\"",
                ep->method);
  /* Methods are case-sensitive (RFC 9110 §9.1): "get" is another method
   * than GET, which no server implements; a typo, never what was meant.
   * Extension methods in any case stay allowed. */
  const char *standard = rc == AL_OK ? standard_method(ep->method) : NULL;
  if (standard && strcmp(standard, ep->method) != 0)
    rc = fail(L, n,
              "'method' is case-sensitive (RFC 9110 §9.1): \"%s\" is not "
              "%s; write 'method: %s'",
              ep->method, standard, standard);
  return rc;
}

static enum al_code join_url(struct loader *L, struct al_endpoint *ep)
{
  const char *base = L->spec->base_url;
  size_t blen = strlen(base);
  /* "http://h/api/" + "/users" must not give "//users". */
  if (blen && base[blen - 1] == '/')
    blen--;
  size_t plen = strlen(ep->path);
  ep->url = malloc(blen + plen + 1);
  if (!ep->url)
    return oom(L);
  memcpy(ep->url, base, blen);
  memcpy(ep->url + blen, ep->path, plen + 1);
  return AL_OK;
}

static int has_space_or_control(const char *s)
{
  for (; *s; s++) {
    if ((unsigned char)*s <= 0x20 || *s == 0x7f)
      return 1;
  }
  return 0;
}

static enum al_code endpoint_path(struct loader *L, const struct al_ynode *map,
                                  struct al_endpoint *ep)
{
  const struct al_ynode *n = al_ynode_get(map, "path");
  if (!n)
    return fail(L, map,
                "endpoint is missing required key 'path' (like path: /users)");
  enum al_code rc = string_value(L, n, "path", &ep->path);
  if (rc != AL_OK)
    return rc;
  /* Without a '$' the template is the path itself: no second copy. */
  if (memchr(n->value, '$', n->value_len) &&
      !(ep->path_template = al_strndup(n->value, n->value_len)))
    return oom(L);
  if (ep->path[0] != '/')
    return fail(L, n, "'path' must start with '/', got \"%s\"", ep->path);
  if (has_space_or_control(ep->path))
    return fail(L, n,
                "'path' must not contain spaces or control characters "
                "(percent-encode them, e.g. %%20)");
  return join_url(L, ep);
}

static enum al_code endpoint_name(struct loader *L, const struct al_ynode *map,
                                  struct al_endpoint *ep)
{
  const struct al_ynode *n = al_ynode_get(map, "name");
  enum al_code rc;
  if (n) {
    rc = string_value(L, n, "name", &ep->name);
    if (rc == AL_OK && ep->name[0] == '\0')
      rc = fail(L, n, "'name' must not be empty");
    return rc;
  }
  size_t len = strlen(ep->method) + 1 + strlen(ep->path) + 1;
  ep->name = malloc(len);
  if (!ep->name)
    return oom(L);
  snprintf(ep->name, len, "%s %s", ep->method, ep->path);
  return AL_OK;
}

static enum al_code endpoint_body(struct loader *L, const struct al_ynode *map,
                                  struct al_endpoint *ep)
{
  const struct al_ynode *json = NULL, *body = NULL, *json_key = NULL,
                        *body_key = NULL;
  for (size_t i = 0; i < map->count; i++) {
    if (strcmp(map->keys[i]->value, "json") == 0) {
      json = map->items[i];
      json_key = map->keys[i];
    } else if (strcmp(map->keys[i]->value, "body") == 0) {
      body = map->items[i];
      body_key = map->keys[i];
    }
  }
  if (json && body) {
    int json_first =
        json_key->line < body_key->line ||
        (json_key->line == body_key->line && json_key->col < body_key->col);
    const struct al_ynode *second = json_first ? body_key : json_key;
    const struct al_ynode *first = json_first ? json_key : body_key;
    return fail(L, second,
                "an endpoint has either 'json' or 'body', not both ('%s' at "
                "%d:%d)",
                first->value, first->line, first->col);
  }
  if (json)
    return load_json(L, json, ep);
  if (body)
    return load_body(L, body, ep);
  return AL_OK;
}

static enum al_code endpoint_unique(struct loader *L,
                                    const struct al_ynode *map,
                                    const struct al_endpoint *ep)
{
  const struct al_ynode *at = al_ynode_get(map, "name");
  const struct al_spec *spec = L->spec;
  size_t index = (size_t)(ep - spec->endpoints), first = 0;
  int added = 0;
  if (al_strmap_add(&L->names, ep->name, strlen(ep->name), index, &added,
                    &first) != AL_OK)
    return oom(L);
  if (!added)
    return fail(L, at ? at : map,
                "duplicate endpoint name '%s': the endpoints at lines %d "
                "and %d have it (names must be unique in a file; add or "
                "change 'name:')",
                ep->name, spec->endpoints[first].line, ep->line);
  return AL_OK;
}

/* `skip: "reason"` (or `skip: true`): loaded and checked, never sent. */
static enum al_code endpoint_skip(struct loader *L, const struct al_ynode *n,
                                  struct al_endpoint *ep)
{
  char buf[64];
  int b;
  if (al_ynode_bool(n, &b)) {
    if (!b)
      return AL_OK;
    ep->skip = al_strdup("skip: true");
    return ep->skip ? AL_OK : oom(L);
  }
  if (n->kind != AL_YNODE_SCALAR || !n->quoted || n->value[0] == '\0')
    return fail(L, n,
                "'skip' must be a reason (a string) or true/false, got %s",
                got(n, buf, sizeof buf));
  return string_value(L, n, "skip", &ep->skip);
}

/* `source: FILE:LINE:COL`: the endpoint's findings are located there. The
 * file may itself hold ':' (a Windows drive), so the numbers are read from
 * the right. */
static enum al_code endpoint_source(struct loader *L, const struct al_ynode *n,
                                    struct al_endpoint *ep)
{
  char *text = NULL;
  enum al_code rc = string_value(L, n, "source", &text);
  if (rc != AL_OK)
    return rc;
  char *c2 = strrchr(text, ':');
  char *c1 = NULL;
  if (c2) {
    *c2 = '\0';
    c1 = strrchr(text, ':');
    *c2 = ':';
  }
  char *e1 = NULL, *e2 = NULL;
  long line = c1 ? strtol(c1 + 1, &e1, 10) : 0;
  long col = c2 ? strtol(c2 + 1, &e2, 10) : 0;
  if (!c1 || c1 == text || e1 != c2 || *e2 != '\0' || line < 1 ||
      line > 100000000 || col < 1 || col > 100000000) {
    rc = fail(L, n,
              "'source' must be FILE:LINE:COLUMN (like openapi.yaml:12:5), "
              "got \"%s\"",
              text);
    free(text);
    return rc;
  }
  *c1 = '\0';
  ep->file = text;
  ep->line = (int)line;
  ep->col = (int)col;
  return AL_OK;
}

/* Moves the endpoint's short strings into one allocation (ep->strings):
 * five allocations become one, which is most of what a big spec costs in
 * memory beyond struct al_endpoint itself. Nothing changes the strings
 * after loading. On OOM they stay as they are. */
static void pack_strings(struct al_endpoint *ep)
{
  char **field[] = {&ep->name, &ep->method, &ep->path, &ep->path_template,
                    &ep->url};
  enum { NFIELDS = sizeof field / sizeof field[0] };
  size_t len[NFIELDS], total = 0;
  for (size_t i = 0; i < NFIELDS; i++) {
    len[i] = *field[i] ? strlen(*field[i]) + 1 : 0;
    total += len[i];
  }
  char *block = malloc(total ? total : 1);
  if (!block)
    return;
  char *at = block;
  for (size_t i = 0; i < NFIELDS; i++) {
    if (!*field[i])
      continue;
    memcpy(at, *field[i], len[i]);
    free(*field[i]);
    *field[i] = at;
    at += len[i];
  }
  ep->strings = block;
}

static enum al_code load_endpoint(struct loader *L, const struct al_ynode *n,
                                  struct al_endpoint *ep)
{
  char buf[64];
  ep->line = n->line;
  ep->col = n->col;
  if (n->kind != AL_YNODE_MAP)
    return fail(L, n,
                "each endpoint must be a mapping (name, method, path...), "
                "got %s",
                got(n, buf, sizeof buf));
  enum al_code rc = check_keys(L, n, endpoint_keys, "an endpoint");
  if (rc == AL_OK)
    rc = endpoint_method(L, n, ep);
  if (rc == AL_OK)
    rc = endpoint_path(L, n, ep);
  if (rc == AL_OK)
    rc = endpoint_name(L, n, ep);
  if (rc == AL_OK && al_headers_copy(&ep->headers, &L->default_headers))
    rc = oom(L);
  const struct al_ynode *v = al_ynode_get(n, "headers");
  if (rc == AL_OK && v)
    rc = load_headers(L, v, &ep->headers);
  if (rc == AL_OK)
    rc = endpoint_body(L, n, ep);
  ep->timeout_ms = endpoint_default_timeout(L);
  if (rc == AL_OK && (v = al_ynode_get(n, "timeout")) != NULL)
    rc = parse_timeout(L, v, &ep->timeout_ms);
  if (rc == AL_OK && (v = al_ynode_get(n, "expect")) != NULL) {
    ep->has_expect = 1;
    rc = load_expect(L, v, &ep->expect);
  }
  if (rc == AL_OK)
    rc = endpoint_probes(L, n, ep);
  if (rc == AL_OK && (v = al_ynode_get(n, "rules")) != NULL)
    rc = (ep->rules = calloc(1, sizeof *ep->rules)) != NULL
             ? load_rules(L, v, ep->rules)
             : oom(L);
  if (rc == AL_OK && (v = al_ynode_get(n, "skip")) != NULL)
    rc = endpoint_skip(L, v, ep);
  if (rc == AL_OK && (v = al_ynode_get(n, "source")) != NULL)
    rc = endpoint_source(L, v, ep);
  if (rc == AL_OK) {
    pack_strings(ep); /* first: L->names borrows the name */
    rc = endpoint_unique(L, n, ep);
  }
  return rc;
}

static void endpoint_cleanup(struct al_endpoint *ep)
{
  free(ep->skip);
  free(ep->file);
  if (ep->strings) {
    free(ep->strings); /* name, method, path, path_template, url */
  } else {
    free(ep->name);
    free(ep->method);
    free(ep->path);
    free(ep->path_template);
    free(ep->url);
  }
  al_headers_cleanup(&ep->headers);
  free(ep->body);
  al_expect_cleanup(&ep->expect);
  free_strings(ep->probes, ep->probe_count);
  free_strings(ep->probe_methods, ep->probe_method_count);
  if (ep->rules) {
    rule_overrides_cleanup(ep->rules);
    free(ep->rules);
  }
}

/* Moves the endpoints with `skip:` to spec->skipped, keeping the order of
 * both, so every later stage sees only what is sent. */
static enum al_code split_skipped(struct loader *L)
{
  struct al_spec *spec = L->spec;
  size_t skipped = 0;
  for (size_t i = 0; i < spec->endpoint_count; i++)
    skipped += spec->endpoints[i].skip != NULL;
  if (!skipped)
    return AL_OK;
  spec->skipped = calloc(skipped, sizeof *spec->skipped);
  if (!spec->skipped)
    return oom(L);
  size_t kept = 0;
  for (size_t i = 0; i < spec->endpoint_count; i++) {
    if (spec->endpoints[i].skip)
      spec->skipped[spec->skipped_count++] = spec->endpoints[i];
    else
      spec->endpoints[kept++] = spec->endpoints[i];
  }
  spec->endpoint_count = kept;
  return AL_OK;
}

/* The `endpoints:` list of L->owned_root, writable, or NULL (the one
 * al_ynode_get finds: the first key of that name). */
static struct al_ynode *owned_endpoints(const struct loader *L)
{
  struct al_ynode *root = L->owned_root;
  if (!root || root->kind != AL_YNODE_MAP)
    return NULL;
  for (size_t i = 0; i < root->count; i++)
    if (strcmp(root->keys[i]->value, "endpoints") == 0)
      return root->items[i]->kind == AL_YNODE_SEQ ? root->items[i] : NULL;
  return NULL;
}

/* Room for one more endpoint in a list whose length is not known yet. */
static enum al_code endpoint_room(struct loader *L, size_t *cap)
{
  struct al_spec *spec = L->spec;
  if (spec->endpoint_count < *cap)
    return AL_OK;
  size_t ncap = *cap ? *cap * 2 : 16;
  struct al_endpoint *grown = realloc(spec->endpoints, ncap * sizeof *grown);
  if (!grown)
    return oom(L);
  spec->endpoints = grown;
  *cap = ncap;
  return AL_OK;
}

/* Loads 'n' as the next endpoint, into room the caller made. */
static enum al_code add_endpoint(struct loader *L, const struct al_ynode *n)
{
  struct al_spec *spec = L->spec;
  struct al_endpoint *ep = &spec->endpoints[spec->endpoint_count];
  memset(ep, 0, sizeof *ep);
  al_headers_init(&ep->headers);
  spec->endpoint_count++; /* counted first so al_spec_free cleans it */
  return load_endpoint(L, n, ep);
}

/* The endpoints of a streamed spec: each item is loaded and freed before
 * the next is read, so the YAML of only one endpoint is ever in memory. */
static enum al_code load_streamed_endpoints(struct loader *L)
{
  struct al_spec *spec = L->spec;
  size_t cap = 0;
  enum al_code rc = endpoint_room(L, &cap); /* never NULL, as below */
  struct al_ynode *item = NULL;
  int got = 0;
  while (rc == AL_OK && (got = al_ystream_next(L->stream, &item)) == 1) {
    rc = endpoint_room(L, &cap);
    if (rc == AL_OK)
      rc = add_endpoint(L, item);
    al_ynode_free(item);
  }
  if (rc == AL_OK && got < 0) /* the stream refused: the caller reloads */
    rc = fail(L, NULL, "the spec could not be read as a stream");
  if (rc != AL_OK)
    return rc;
  if (spec->endpoint_count && spec->endpoint_count < cap) {
    struct al_endpoint *fit =
        realloc(spec->endpoints, spec->endpoint_count * sizeof *fit);
    if (fit)
      spec->endpoints = fit;
  }
  return split_skipped(L);
}

static enum al_code load_endpoints(struct loader *L,
                                   const struct al_ynode *root)
{
  const struct al_ynode *n = al_ynode_get(root, "endpoints");
  struct al_spec *spec = L->spec;
  if (!n)
    return fail(L, root,
                "missing required key 'endpoints' (a list of the endpoints "
                "to check)");
  enum al_code rc =
      need_kind(L, n, AL_YNODE_SEQ, "endpoints", "a list of endpoints");
  if (rc != AL_OK)
    return rc;
  if (L->stream)
    return load_streamed_endpoints(L);
  /* An empty list loads: an imported document may describe no operation
   * (webhooks only), and a run with nothing to send reports 0 endpoints. */
  spec->endpoints = calloc(n->count ? n->count : 1, sizeof *spec->endpoints);
  if (!spec->endpoints)
    return oom(L);
  struct al_ynode *owned = owned_endpoints(L);
  for (size_t i = 0; rc == AL_OK && i < n->count; i++) {
    rc = add_endpoint(L, n->items[i]);
    if (owned && rc == AL_OK) {
      /* Nothing reads an endpoint's nodes once it is loaded. */
      al_ynode_free(owned->items[i]);
      owned->items[i] = NULL;
    }
  }
  return rc == AL_OK ? split_skipped(L) : rc;
}

/* ---- top level ---- */

static enum al_code load_secrets(struct loader *L, const struct al_ynode *root)
{
  const struct al_ynode *n = al_ynode_get(root, "secrets");
  struct al_spec *spec = L->spec;
  if (!n)
    return AL_OK;
  enum al_code rc = need_kind(L, n, AL_YNODE_SEQ, "secrets",
                              "a list of header or variable names");
  for (size_t i = 0; rc == AL_OK && i < n->count; i++) {
    const struct al_ynode *s = n->items[i];
    char buf[64];
    if (s->kind != AL_YNODE_SCALAR || !al_headers_is_token(s->value))
      return fail(L, s, "'secrets' must list header or variable names, got %s",
                  got(s, buf, sizeof buf));
    if (push_string(&spec->secret_headers, &spec->secret_header_count,
                    s->value) != AL_OK)
      rc = oom(L);
  }
  return rc;
}

static enum al_code load_version(struct loader *L, const struct al_ynode *root)
{
  const struct al_ynode *n = al_ynode_get(root, "version");
  char buf[64];
  if (!n)
    return fail(L, root,
                "missing required key 'version' (write 'version: "
                "1' at the top)");
  if (!al_ynode_int(n, &L->spec->version))
    return fail(L, n, "'version' must be the number 1, got %s",
                got(n, buf, sizeof buf));
  if (L->spec->version != 1)
    return fail(L, n,
                "unsupported spec version %ld (this apilint reads version 1)",
                L->spec->version);
  return AL_OK;
}

static int prefix_nocase(const char *s, const char *prefix)
{
  for (; *prefix; s++, prefix++) {
    char c = *s >= 'A' && *s <= 'Z' ? (char)(*s + 32) : *s;
    if (c != *prefix)
      return 0;
  }
  return 1;
}

/* Why the authority "[user@]host[:port]" at 'a' (up to the first '/' or
 * the end) is unusable, or NULL. Checked here so a typo in the port or an
 * unclosed IPv6 bracket is a spec error with a position, not the same
 * transport error on every endpoint after the run has started. */
static const char *authority_problem(const char *a)
{
  size_t len = strcspn(a, "/");
  const char *at = NULL;
  for (size_t i = 0; i < len; i++)
    if (a[i] == '@')
      at = a + i;
  if (at) {
    len -= (size_t)(at + 1 - a);
    a = at + 1;
  }
  const char *end = a + len, *port;
  if (len > 0 && a[0] == '[') {
    const char *close = memchr(a, ']', len);
    if (!close)
      return "has an IPv6 host without its closing ']'";
    if (close == a + 1)
      return "has no host";
    port = close + 1;
    if (port < end && *port != ':')
      return "has bytes after its IPv6 host's ']' (expected ':PORT' or '/')";
  } else {
    port = memchr(a, ':', len);
    if (!port)
      port = end;
    if (port == a)
      return "has no host";
  }
  if (port == end || port + 1 == end)
    return NULL; /* no port, or "host:" (the scheme's default) */
  long value = 0;
  for (const char *p = port + 1; p < end; p++) {
    if (*p < '0' || *p > '9' || value > 65535)
      return "has a port that is not a number from 1 to 65535";
    value = value * 10 + (*p - '0');
  }
  if (value < 1 || value > 65535)
    return "has a port that is not a number from 1 to 65535";
  return NULL;
}

/* Why 'url' is not a usable base URL, or NULL when it is. */
static const char *base_url_problem(const char *url)
{
  const char *rest = NULL;
  if (prefix_nocase(url, "http://"))
    rest = url + 7;
  else if (prefix_nocase(url, "https://"))
    rest = url + 8;
  if (!rest)
    return "must start with http:// or https://";
  if (*rest == '\0' || *rest == '/')
    return "has no host";
  if (has_space_or_control(url))
    return "must not contain spaces or control characters";
  if (strpbrk(url, "?#"))
    return "must not have a query or fragment (put them in 'path')";
  return authority_problem(rest);
}

static enum al_code load_base_url(struct loader *L, const struct al_ynode *root)
{
  const char *override = L->opts ? L->opts->base_url_override : NULL;
  const char *why;
  if (override) {
    if ((why = base_url_problem(override)) != NULL)
      return al_err_set(L->err, AL_E_SPEC, "", 0, 0,
                        "--base-url %s, got \"%s\"", why, override);
    L->spec->base_url = al_strdup(override);
    return L->spec->base_url ? AL_OK : oom(L);
  }
  const struct al_ynode *n = al_ynode_get(root, "base_url");
  if (!n)
    return fail(L, root,
                "missing required key 'base_url' (the API's address, like "
                "base_url: http://127.0.0.1:8080; or pass --base-url)");
  enum al_code rc = string_value(L, n, "base_url", &L->spec->base_url);
  if (rc == AL_OK && (why = base_url_problem(L->spec->base_url)) != NULL)
    rc = fail(L, n, "'base_url' %s, got \"%s\"", why, L->spec->base_url);
  return rc;
}

/* ---- how to reach the API: defaults' tls:, http_version:, proxy:,
 * noproxy:, rate:, retry: (reach.h) ---- */

/* A string value kept by the spec (reach_strings); *out borrows it. With
 * 'is_path', a relative path is taken from the spec file's directory, so a
 * spec and its certificates can move together. */
static enum al_code reach_string(struct loader *L, const struct al_ynode *n,
                                 const char *key, int is_path, const char **out)
{
  char *v = NULL;
  enum al_code rc = string_value(L, n, key, &v);
  if (rc != AL_OK)
    return rc;
  const char *slash = strrchr(L->file, '/');
  if (is_path && v[0] && v[0] != '/' && slash) {
    struct al_buf b;
    al_buf_init(&b);
    rc = al_buf_printf(&b, "%.*s/%s", (int)(slash - L->file), L->file, v);
    free(v);
    v = rc == AL_OK ? al_buf_detach(&b) : NULL;
    al_buf_cleanup(&b);
    if (!v)
      return oom(L);
  }
  if (push_string(&L->spec->reach_strings, &L->spec->reach_string_count, v) !=
      AL_OK) {
    free(v);
    return oom(L);
  }
  free(v);
  *out = L->spec->reach_strings[L->spec->reach_string_count - 1];
  return AL_OK;
}

static enum al_code load_tls(struct loader *L, const struct al_ynode *n)
{
  struct al_reach *r = &L->spec->reach;
  enum al_code rc = need_kind(L, n, AL_YNODE_MAP, "tls",
                              "a mapping (cacert, capath, insecure, cert, "
                              "cert_type, key, key_type, key_password)");
  if (rc == AL_OK)
    rc = check_keys(L, n, tls_keys, "tls");
  for (size_t i = 0; rc == AL_OK && i < n->count; i++) {
    const char *key = n->keys[i]->value;
    const struct al_ynode *v = n->items[i];
    char buf[64];
    if (strcmp(key, "insecure") == 0) {
      if (v->kind != AL_YNODE_SCALAR || !al_ynode_bool(v, &r->insecure))
        rc = fail(L, v, "'insecure' must be true or false, got %s",
                  got(v, buf, sizeof buf));
    } else if (strcmp(key, "cacert") == 0) {
      rc = reach_string(L, v, key, 1, &r->cacert);
    } else if (strcmp(key, "capath") == 0) {
      rc = reach_string(L, v, key, 1, &r->capath);
    } else if (strcmp(key, "cert") == 0) {
      rc = reach_string(L, v, key, 1, &r->cert);
    } else if (strcmp(key, "key") == 0) {
      rc = reach_string(L, v, key, 1, &r->key);
    } else if (strcmp(key, "key_password") == 0) {
      rc = reach_string(L, v, key, 0, &r->key_password);
      /* A password is a secret wherever it came from. */
      if (rc == AL_OK && r->key_password[0])
        rc = add_secret_value(L, r->key_password);
    } else {
      int cert = strcmp(key, "cert_type") == 0;
      const char **out = cert ? &r->cert_type : &r->key_type;
      rc = reach_string(L, v, key, 0, out);
      if (rc == AL_OK && !al_tls_type_ok(*out, cert))
        rc = fail(L, v, "'%s' must be %s, got %s", key,
                  cert ? "PEM, DER or P12" : "PEM, DER or ENG",
                  got(v, buf, sizeof buf));
    }
  }
  return rc;
}

static enum al_code load_retry(struct loader *L, const struct al_ynode *n)
{
  struct al_reach *r = &L->spec->reach;
  char buf[64];
  enum al_code rc =
      need_kind(L, n, AL_YNODE_MAP, "retry", "a mapping (count, delay)");
  if (rc == AL_OK)
    rc = check_keys(L, n, retry_keys, "retry");
  for (size_t i = 0; rc == AL_OK && i < n->count; i++) {
    const struct al_ynode *v = n->items[i];
    long count;
    double secs;
    if (strcmp(n->keys[i]->value, "count") == 0) {
      if (v->kind != AL_YNODE_SCALAR || !al_ynode_int(v, &count) || count < 0 ||
          count > 100)
        rc = fail(L, v,
                  "'count' must be a whole number of retries from 0 to 100, "
                  "got %s",
                  got(v, buf, sizeof buf));
      else
        r->retry = (int)count;
    } else if (v->kind != AL_YNODE_SCALAR || !al_ynode_double(v, &secs) ||
               !(secs >= 0) || secs > 3600) {
      rc = fail(L, v,
                "'delay' must be a number of seconds from 0 to 3600, got %s",
                got(v, buf, sizeof buf));
    } else {
      r->retry_delay_ms = (long)(secs * 1000.0 + 0.5);
    }
  }
  return rc;
}

/* One of defaults' keys about reaching the API. */
static enum al_code load_reach_key(struct loader *L, const char *key,
                                   const struct al_ynode *v)
{
  struct al_reach *r = &L->spec->reach;
  char buf[64];
  if (strcmp(key, "tls") == 0)
    return load_tls(L, v);
  if (strcmp(key, "retry") == 0)
    return load_retry(L, v);
  if (strcmp(key, "proxy") == 0) {
    /* proxy: "" means no proxy, whatever the environment says (curl's
     * --proxy ""). */
    enum al_code rc = reach_string(L, v, key, 0, &r->proxy);
    if (rc == AL_OK && r->proxy[0] && !strstr(r->proxy, "://") &&
        !strchr(r->proxy, ':'))
      return fail(L, v,
                  "'proxy' must be a URL like http://proxy:3128, got \"%s\"",
                  r->proxy);
    return rc;
  }
  if (strcmp(key, "noproxy") == 0)
    return reach_string(L, v, key, 0, &r->noproxy);
  if (v->kind != AL_YNODE_SCALAR || al_ynode_is_null(v))
    return fail(L, v, "'%s' must be a %s, got %s", key,
                strcmp(key, "rate") == 0 ? "rate like 10/s" : "version",
                got(v, buf, sizeof buf));
  /* ${VAR} works here as in every string; the message quotes the
   * expanded text, since that is what was wrong. */
  char *text = NULL;
  enum al_code rc = expand(L, v, &text);
  if (rc != AL_OK)
    return rc;
  if (strcmp(key, "rate") == 0) {
    if (!al_rate_parse(text, &L->spec->rate))
      rc = fail(L, v,
                "'rate' must be N, N/s, N/m or N/h (N from 1 to 1000000), "
                "got \"%s\"",
                text);
  } else if (!al_http_version_parse(text, &r->http_version)) {
    rc = fail(L, v,
              "'http_version' must be \"1.1\", \"2\" or "
              "\"2-prior-knowledge\", got \"%s\"",
              text);
  }
  free(text);
  return rc;
}

static enum al_code load_defaults(struct loader *L, const struct al_ynode *root)
{
  const struct al_ynode *n = al_ynode_get(root, "defaults");
  if (!n)
    return AL_OK;
  enum al_code rc =
      need_kind(L, n, AL_YNODE_MAP, "defaults",
                "a mapping (headers, timeout, probes, probe_methods, burst, "
                "tls, http_version, proxy, noproxy, rate, retry)");
  if (rc == AL_OK)
    rc = check_keys(L, n, defaults_keys, "defaults");
  for (size_t i = 0; rc == AL_OK && i < n->count; i++) {
    const char *key = n->keys[i]->value;
    const struct al_ynode *val = n->items[i];
    if (strcmp(key, "headers") == 0)
      rc = load_headers(L, val, &L->default_headers);
    else if (strcmp(key, "timeout") == 0)
      rc = parse_timeout(L, val, &L->spec->default_timeout_ms);
    else if (strcmp(key, "probes") == 0)
      rc = load_probes(L, val, &L->default_probes, &L->default_probe_count);
    else if (strcmp(key, "probe_methods") == 0)
      rc = load_probe_methods(L, val, &L->default_probe_methods,
                              &L->default_probe_method_count);
    else if (strcmp(key, "burst") == 0)
      rc = parse_burst(L, val, &L->default_burst);
    else
      rc = load_reach_key(L, key, val);
  }
  return rc;
}

static enum al_code spec_name(struct al_spec *spec, const char *path)
{
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t len = strlen(base);
  static const char *const exts[] = {".yaml", ".yml", ".YAML", ".YML"};
  for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
    size_t elen = strlen(exts[i]);
    if (len > elen && strcmp(base + len - elen, exts[i]) == 0) {
      len -= elen;
      break;
    }
  }
  spec->name = al_strndup(base, len);
  return spec->name ? AL_OK : AL_E_NOMEM;
}

static enum al_code load_tree(struct loader *L, const struct al_ynode *root)
{
  char buf[64];
  if (root->kind != AL_YNODE_MAP)
    return fail(L, root,
                "a spec must be a mapping (version, base_url, endpoints...), "
                "got %s",
                got(root, buf, sizeof buf));
  enum al_code rc = check_keys(L, root, top_keys, "the spec");
  /* secrets first: they decide which expanded values are secret. */
  if (rc == AL_OK)
    rc = load_secrets(L, root);
  if (rc == AL_OK)
    rc = load_version(L, root);
  if (rc == AL_OK)
    rc = load_base_url(L, root);
  if (rc == AL_OK)
    rc = load_defaults(L, root);
  const struct al_ynode *rules = al_ynode_get(root, "rules");
  if (rc == AL_OK && rules)
    rc = load_rules(L, rules, &L->spec->rules);
  if (rc == AL_OK)
    rc = load_endpoints(L, root);
  return rc;
}

/* Error messages quote what was written, after expansion: a secret
 * variable's value, a URL password or a credential query parameter would
 * be printed by the very message that stops the run. Masks the values
 * known when loading stopped, the base URL's password and any credential
 * in a URL the message quotes. On OOM the message is replaced: better no
 * detail than a leak. */
static void mask_error(struct loader *L, struct al_err *err)
{
  struct al_redactor r;
  al_redactor_init(&r);
  enum al_code rc = AL_OK;
  for (size_t i = 0; rc == AL_OK && i < L->spec->secret_value_count; i++)
    rc = al_redactor_add_value(&r, L->spec->secret_values[i]);
  if (rc == AL_OK)
    rc = al_redactor_add_url(&r, L->spec->base_url);
  if (rc == AL_OK && L->opts)
    rc = al_redactor_add_url(&r, L->opts->base_url_override);
  if (rc == AL_OK)
    rc = al_redactor_add_url(&r, err->msg);
  char *shown =
      rc == AL_OK ? al_redact_text(&r, err->msg, strlen(err->msg)) : NULL;
  snprintf(err->msg, sizeof err->msg, "%s",
           shown ? shown : "(message withheld: out of memory masking it)");
  free(shown);
  al_redactor_cleanup(&r);
}

/* 'owned' is NULL or 'root' itself, when the caller lets the loader free
 * parts of it as it goes (struct loader's owned_root). */
static enum al_code build(const struct al_ynode *root, struct al_ynode *owned,
                          struct al_ystream *stream, const char *path,
                          const struct al_spec_opts *opts, struct al_spec **out,
                          struct al_err *err)
{
  struct loader L;
  enum al_code rc;
  memset(&L, 0, sizeof L);
  L.owned_root = owned;
  L.stream = stream;
  L.file = path;
  L.opts = opts;
  L.err = err;
  L.y.file = path;
  L.y.code = AL_E_SPEC;
  L.y.err = err;
  al_headers_init(&L.default_headers);
  al_strmap_init(&L.names);
  L.spec = calloc(1, sizeof *L.spec);
  if (!L.spec) {
    rc = oom(&L);
    goto out;
  }
  al_reach_init(&L.spec->reach);
  L.spec->path = al_strdup(path);
  if (!L.spec->path || spec_name(L.spec, path) != AL_OK) {
    rc = oom(&L);
    goto out;
  }
  rc = load_tree(&L, root);
  if (rc != AL_OK && rc != AL_E_NOMEM && err)
    mask_error(&L, err);
out:
  al_headers_cleanup(&L.default_headers);
  al_strmap_cleanup(&L.names);
  free_strings(L.default_probes, L.default_probe_count);
  free_strings(L.default_probe_methods, L.default_probe_method_count);
  if (rc != AL_OK) {
    al_spec_free(L.spec);
    return rc;
  }
  *out = L.spec;
  return AL_OK;
}

/* An OpenAPI document where a spec is expected: imported in memory, then
 * loaded like the spec `apilint import` would write. */
static enum al_code build_openapi(const struct al_ynode *doc, const char *path,
                                  const struct al_spec_opts *opts,
                                  struct al_spec **out, struct al_err *err)
{
  struct al_openapi_opts io = {0};
  io.all_methods = opts && opts->openapi_all_methods;
  struct al_openapi *imp = NULL;
  enum al_code rc = al_openapi_convert(doc, path, &io, &imp, err);
  if (rc == AL_OK)
    rc = build(imp->spec, NULL, NULL, path, opts, out, err);
  al_openapi_free(imp);
  return rc;
}

enum al_code al_spec_parse(const char *text, size_t len, const char *path,
                           const struct al_spec_opts *opts,
                           struct al_spec **out, struct al_err *err)
{
  struct al_ynode *root = NULL;
  *out = NULL;
  enum al_code rc = al_yamldoc_parse(text, len, path, &root, err);
  if (rc == AL_OK)
    rc = al_openapi_is_document(root)
             ? build_openapi(root, path, opts, out, err)
             : build(root, root, NULL, path, opts, out, err);
  al_ynode_free(root);
  return rc;
}

enum al_code al_spec_build(const struct al_ynode *root, const char *path,
                           const struct al_spec_opts *opts,
                           struct al_spec **out, struct al_err *err)
{
  *out = NULL;
  return build(root, NULL, NULL, path, opts, out, err);
}

/* A spec whose `endpoints:` list comes last (as `apilint init` and
 * `apilint import` write it) is loaded while it is read: the YAML of one
 * endpoint at a time is in memory, not the whole tree (issue 8). Anything
 * the stream cannot be sure of (yamldoc.h), and any error at all, gives
 * up: nothing is kept, and the whole-tree load below decides, with its
 * exact error message. */
static enum al_code load_streamed(const char *path,
                                  const struct al_spec_opts *opts,
                                  struct al_spec **out)
{
  const struct al_ynode *root = NULL;
  struct al_ystream *stream = al_ystream_open(path, "endpoints", &root);
  if (!stream)
    return AL_E_SPEC;
  struct al_err scratch = {0};
  enum al_code rc = AL_E_SPEC;
  if (!al_openapi_is_document(root))
    rc = build(root, NULL, stream, path, opts, out, &scratch);
  if (rc == AL_OK && !al_ystream_finish(stream)) {
    al_spec_free(*out);
    *out = NULL;
    rc = AL_E_SPEC;
  }
  al_ystream_close(stream);
  return rc;
}

enum al_code al_spec_load(const char *path, const struct al_spec_opts *opts,
                          struct al_spec **out, struct al_err *err)
{
  struct al_ynode *root = NULL;
  *out = NULL;
  if (load_streamed(path, opts, out) == AL_OK)
    return AL_OK;
  enum al_code rc = al_yamldoc_load(path, &root, err);
  if (rc == AL_OK)
    rc = al_openapi_is_document(root)
             ? build_openapi(root, path, opts, out, err)
             : build(root, root, NULL, path, opts, out, err);
  al_ynode_free(root);
  return rc;
}

const char *al_endpoint_file(const struct al_spec *spec,
                             const struct al_endpoint *ep)
{
  if (ep && ep->file)
    return ep->file;
  return spec && spec->path ? spec->path : "?";
}

void al_spec_keep_endpoints(struct al_spec *spec, const unsigned char *keep)
{
  size_t kept = 0;
  for (size_t i = 0; i < spec->endpoint_count; i++) {
    if (keep[i])
      spec->endpoints[kept++] = spec->endpoints[i];
    else
      endpoint_cleanup(&spec->endpoints[i]);
  }
  spec->endpoint_count = kept;
}

void al_spec_free(struct al_spec *spec)
{
  if (!spec)
    return;
  free(spec->path);
  free(spec->name);
  free(spec->base_url);
  rule_overrides_cleanup(&spec->rules);
  for (size_t i = 0; i < spec->endpoint_count; i++)
    endpoint_cleanup(&spec->endpoints[i]);
  free(spec->endpoints);
  for (size_t i = 0; i < spec->skipped_count; i++)
    endpoint_cleanup(&spec->skipped[i]);
  free(spec->skipped);
  for (size_t i = 0; i < spec->secret_header_count; i++)
    free(spec->secret_headers[i]);
  free(spec->secret_headers);
  for (size_t i = 0; i < spec->secret_value_count; i++)
    free(spec->secret_values[i]);
  free(spec->secret_values);
  for (size_t i = 0; i < spec->reach_string_count; i++)
    free(spec->reach_strings[i]);
  free(spec->reach_strings);
  free(spec);
}
