/* ruleset.c - the rule stage: rule files (rules/NAME.yaml compiled in, plus
 * --rules files) become a validated struct al_ruleset. Everything that can
 * be wrong with a rule is found here, once, with file:line:col: unknown keys
 * (with a "did you mean"), bad values, regexes that do not compile, unknown
 * checks and template placeholders. The format is documented in
 * rules/README.md. */
#include "ruleset.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ere.h"
#include "expect.h"
#include "loader.h"
#include "probe.h"
#include "rule_logic.h"
#include "template.h"
#include "rule_builtin.h"
#include "yamldoc.h"

/* Where a parse is: the shared loader toolkit's context (file, AL_E_RULES,
 * the error to fill). */
struct pctx {
  struct al_loader y;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static enum al_code
fail(const struct pctx *pc, const struct al_ynode *at, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  enum al_code rc = al_loader_vfail(&pc->y, at, fmt, ap);
  va_end(ap);
  return rc;
}

/* ------------------------------------------------------------------ */
/* "did you mean"                                                     */

/* Every key of MAP 'node' must be in 'known' (NULL-terminated). */
static enum al_code check_keys(const struct pctx *pc,
                               const struct al_ynode *node, const char *what,
                               const char *const *known)
{
  return al_loader_check_keys(&pc->y, node, known, what);
}

/* ------------------------------------------------------------------ */
/* freeing                                                            */

static void rule_cleanup(struct al_rule *r)
{
  free(r->id);
  free(r->summary);
  free(r->explain);
  free(r->level);
  free(r->source);
  free(r->origin);
  al_rule_logic_free(r->logic);
  memset(r, 0, sizeof *r);
}

void al_ruleset_free(struct al_ruleset *rs)
{
  if (!rs)
    return;
  for (size_t i = 0; i < rs->count; i++)
    rule_cleanup(&rs->rules[i]);
  free(rs->rules);
  free(rs);
}

/* ------------------------------------------------------------------ */
/* scalars                                                            */

static enum al_code want_kind(const struct pctx *pc, const struct al_ynode *n,
                              enum al_ynode_kind kind, const char *key,
                              const char *expected)
{
  return al_loader_need_kind(&pc->y, n, kind, key, expected);
}

/* A copy of a scalar's text; numbers and booleans are taken as written. */
static enum al_code get_text(const struct pctx *pc, const struct al_ynode *n,
                             const char *key, char **out)
{
  if (n->kind != AL_YNODE_SCALAR || (!n->quoted && al_ynode_is_null(n)))
    return fail(pc, n, "'%s' must be a string, got %s", key,
                al_ynode_describe(n));
  free(*out);
  *out = al_strdup(n->value);
  return *out ? AL_OK : AL_E_NOMEM;
}

static enum al_code get_bool(const struct pctx *pc, const struct al_ynode *n,
                             const char *key, int *out)
{
  if (!al_ynode_bool(n, out))
    return fail(pc, n, "'%s' must be true or false, got %s", key,
                al_ynode_describe(n));
  return AL_OK;
}

static int is_kebab(const char *s)
{
  if (!islower((unsigned char)s[0]) && !isdigit((unsigned char)s[0]))
    return 0;
  for (const char *p = s; *p; p++) {
    if (*p == '-') {
      if (p[1] == '-' || p[1] == '\0')
        return 0;
    } else if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p)) {
      return 0;
    }
  }
  return 1;
}

static enum al_code compile_re(const struct pctx *pc, const struct al_ynode *n,
                               const char *pattern, struct al_ere **re)
{
  char why[300];
  *re = al_ere_compile(pattern, why, sizeof why);
  if (!*re)
    return fail(pc, n, "invalid regular expression '%s': %s", pattern, why);
  return AL_OK;
}

/* ------------------------------------------------------------------ */
/* when: / require: blocks                                            */

static const char *const cond_keys[] = {
    "status",  "method",       "request-headers", "headers", "body",
    "content", "request-body", "endpoint-status", "any",     "not",
    NULL};

static enum al_code parse_block(const struct pctx *pc, const struct al_ynode *n,
                                const char *what, struct al_cond_block *out,
                                int depth);

static enum al_code parse_header_conds(const struct pctx *pc,
                                       const struct al_ynode *map,
                                       const char *key, enum al_cond_kind kind,
                                       struct al_cond *conds, size_t *used)
{
  enum al_code rc = want_kind(pc, map, AL_YNODE_MAP, key,
                              "a mapping of header names to true, false or "
                              "a regular expression");
  for (size_t i = 0; rc == AL_OK && i < map->count; i++) {
    const struct al_ynode *name = map->keys[i], *v = map->items[i];
    struct al_cond *c = &conds[(*used)++];
    c->kind = kind;
    c->line = name->line;
    c->col = name->col;
    if (!al_headers_is_token(name->value))
      return fail(pc, name, "'%s' is not a valid header name", name->value);
    c->name = al_strdup(name->value);
    if (!c->name)
      return AL_E_NOMEM;
    int b;
    if (v->kind == AL_YNODE_SCALAR && al_ynode_bool(v, &b)) {
      c->test = b ? AL_HTEST_PRESENT : AL_HTEST_ABSENT;
    } else if (v->kind == AL_YNODE_SCALAR &&
               (v->quoted || !al_ynode_is_null(v))) {
      c->test = AL_HTEST_MATCH;
      c->pattern = al_strdup(v->value);
      if (!c->pattern)
        return AL_E_NOMEM;
      rc = compile_re(pc, v, c->pattern, &c->re);
    } else {
      return fail(pc, v,
                  "header '%s' must be true (present), false (absent) or a "
                  "regular expression, got %s",
                  name->value, al_ynode_describe(v));
    }
  }
  return rc;
}

static enum al_code parse_cond(const struct pctx *pc, const char *key,
                               const struct al_ynode *v, struct al_cond *c,
                               int depth)
{
  c->line = v->line;
  c->col = v->col;
  if (strcmp(key, "status") == 0 || strcmp(key, "endpoint-status") == 0) {
    c->kind = key[0] == 's' ? AL_COND_STATUS : AL_COND_ENDPOINT_STATUS;
    return al_status_set_load(&pc->y, v, key, &c->status);
  }
  if (strcmp(key, "method") == 0) {
    c->kind = AL_COND_METHOD;
    size_t items = v->kind == AL_YNODE_SEQ ? v->count : 1;
    if (v->kind == AL_YNODE_MAP || items == 0)
      return fail(pc, v, "'method' must be a method or a list of methods");
    c->methods = calloc(items, sizeof *c->methods);
    if (!c->methods)
      return AL_E_NOMEM;
    for (size_t i = 0; i < items; i++) {
      const struct al_ynode *m = v->kind == AL_YNODE_SEQ ? v->items[i] : v;
      if (m->kind != AL_YNODE_SCALAR || !al_headers_is_token(m->value))
        return fail(pc, m, "'method' must be a method name like POST, got %s",
                    al_ynode_describe(m));
      c->methods[c->method_count] = al_strdup(m->value);
      if (!c->methods[c->method_count++])
        return AL_E_NOMEM;
    }
    return AL_OK;
  }
  if (strcmp(key, "body") == 0 || strcmp(key, "content") == 0 ||
      strcmp(key, "request-body") == 0) {
    c->kind = key[0] == 'b'   ? AL_COND_BODY
              : key[0] == 'c' ? AL_COND_CONTENT
                              : AL_COND_REQ_BODY;
    return get_bool(pc, v, key, &c->want);
  }
  if (depth > 8)
    return fail(pc, v, "'%s' is nested too deeply", key);
  if (strcmp(key, "not") == 0) {
    c->kind = AL_COND_NOT;
    c->blocks = calloc(1, sizeof *c->blocks);
    if (!c->blocks)
      return AL_E_NOMEM;
    c->block_count = 1;
    return parse_block(pc, v, "not", &c->blocks[0], depth + 1);
  }
  /* any: a list of blocks, at least one must hold */
  c->kind = AL_COND_ANY;
  if (v->kind != AL_YNODE_SEQ || v->count == 0)
    return fail(pc, v,
                "'any' must be a non-empty list of condition blocks, "
                "got %s",
                al_ynode_describe(v));
  c->blocks = calloc(v->count, sizeof *c->blocks);
  if (!c->blocks)
    return AL_E_NOMEM;
  c->block_count = v->count;
  for (size_t i = 0; i < v->count; i++) {
    enum al_code rc =
        parse_block(pc, v->items[i], "any", &c->blocks[i], depth + 1);
    if (rc != AL_OK)
      return rc;
  }
  return AL_OK;
}

static enum al_code parse_block(const struct pctx *pc, const struct al_ynode *n,
                                const char *what, struct al_cond_block *out,
                                int depth)
{
  enum al_code rc =
      want_kind(pc, n, AL_YNODE_MAP, what, "a mapping of conditions");
  if (rc == AL_OK)
    rc = check_keys(pc, n, what, cond_keys);
  if (rc != AL_OK)
    return rc;
  /* Sized once, before any condition is parsed. */
  size_t total = 0;
  for (size_t i = 0; i < n->count; i++) {
    const char *key = n->keys[i]->value;
    int hdr = !strcmp(key, "headers") || !strcmp(key, "request-headers");
    total += hdr && n->items[i]->kind == AL_YNODE_MAP ? n->items[i]->count : 1;
  }
  out->conds = calloc(total ? total : 1, sizeof *out->conds);
  if (!out->conds)
    return AL_E_NOMEM;
  for (size_t i = 0; i < n->count && rc == AL_OK; i++) {
    const char *key = n->keys[i]->value;
    if (!strcmp(key, "headers") || !strcmp(key, "request-headers")) {
      rc = parse_header_conds(pc, n->items[i], key,
                              key[0] == 'h' ? AL_COND_RES_HEADER
                                            : AL_COND_REQ_HEADER,
                              out->conds, &out->count);
    } else {
      rc = parse_cond(pc, key, n->items[i], &out->conds[out->count++], depth);
    }
  }
  return rc;
}

/* ------------------------------------------------------------------ */
/* examples                                                           */

/* A string scalar of an example's `expect:`, taken as written. */
static enum al_code expect_text(void *ctx, const struct al_ynode *n, char **out)
{
  return get_text(ctx, n, "expect", out);
}

static enum al_code parse_expect(const struct pctx *pc,
                                 const struct al_ynode *n, struct al_expect *ex)
{
  struct pctx ctx = *pc; /* the callback's context is not const */
  return al_expect_load(&pc->y, n, expect_text, &ctx, ex);
}

/* ------------------------------------------------------------------ */
/* probes                                                             */

/* A `probe:` entry, "NAME" or "NAME/STEP", into *p and *step (NULL for a
 * bare name). Both point into the static probe table. */
static enum al_code parse_probe_ref(const struct pctx *pc,
                                    const struct al_ynode *n,
                                    const struct al_probe_def **p,
                                    const char **step)
{
  if (n->kind != AL_YNODE_SCALAR || al_ynode_is_null(n))
    return fail(pc, n,
                "'probe' must be a probe name or NAME/STEP (or a list of "
                "them), got %s",
                al_ynode_describe(n));
  const char *slash = strchr(n->value, '/');
  char *name = al_strndup(n->value, slash ? (size_t)(slash - n->value)
                                          : strlen(n->value));
  if (!name)
    return AL_E_NOMEM;
  enum al_code rc = AL_OK;
  *p = al_probe_find(name);
  *step = NULL;
  if (!*p) {
    /* "all" selects probes for an endpoint; a rule names one. */
    const char *hint = al_probe_suggest(name);
    char known[400];
    al_probe_names(known, sizeof known, NULL);
    if (hint && strcmp(hint, "all") != 0)
      rc = fail(pc, n, "unknown probe '%s' (did you mean '%s'?)", name, hint);
    else
      rc = fail(pc, n, "unknown probe '%s' (known: %s)", name, known);
    goto out;
  }
  if (!slash)
    goto out;
  for (size_t i = 0; (*p)->steps[i] && !*step; i++)
    if (strcmp((*p)->steps[i], slash + 1) == 0)
      *step = (*p)->steps[i];
  if (*step)
    goto out;
  const char *hint = al_suggest_among(slash + 1, (*p)->steps);
  if (hint) {
    rc = fail(pc, n, "probe '%s' has no step '%s' (did you mean '%s'?)", name,
              slash + 1, hint);
  } else {
    char steps[300] = "";
    size_t used = 0;
    for (size_t i = 0; (*p)->steps[i] && used < sizeof steps; i++) {
      int w = snprintf(steps + used, sizeof steps - used, "%s%s", i ? ", " : "",
                       (*p)->steps[i]);
      if (w < 0)
        break;
      used += (size_t)w;
    }
    rc = fail(pc, n, "probe '%s' has no step '%s' (its steps: %s)", name,
              slash + 1, steps);
  }
out:
  free(name);
  return rc;
}

/* The rule's `probe:` key: one entry or a non-empty list. */
static enum al_code parse_probe_filters(const struct pctx *pc,
                                        const struct al_ynode *n,
                                        struct al_rule_logic *lg)
{
  size_t items = n->kind == AL_YNODE_SEQ ? n->count : 1;
  if (n->kind == AL_YNODE_MAP || items == 0)
    return fail(pc, n,
                "'probe' must be a probe name or NAME/STEP, or a non-empty "
                "list of them");
  lg->probes = calloc(items, sizeof *lg->probes);
  if (!lg->probes)
    return AL_E_NOMEM;
  for (size_t i = 0; i < items; i++) {
    const struct al_ynode *one = n->kind == AL_YNODE_SEQ ? n->items[i] : n;
    struct al_probe_filter *f = &lg->probes[lg->probe_count];
    enum al_code rc = parse_probe_ref(pc, one, &f->probe, &f->step);
    if (rc != AL_OK)
      return rc;
    lg->probe_count++;
  }
  return AL_OK;
}

/* What a probe example's request method is when it does not say: what
 * the probe sends. */
static const char *probe_default_method(const struct al_probe_def *p,
                                        const char *endpoint_method)
{
  if (strcmp(p->name, "head") == 0)
    return "HEAD";
  if (strcmp(p->name, "options") == 0)
    return "OPTIONS";
  if (strcmp(p->name, "method-not-allowed") == 0)
    return "PATCH";
  return endpoint_method;
}

/* ------------------------------------------------------------------ */
/* examples                                                           */

/* A raw response of an example, parsed now so a broken one is a load
 * error with a position. */
static enum al_code check_raw(const struct pctx *pc, const struct al_ynode *n,
                              const char *what, const char *raw, size_t len,
                              const char *method)
{
  struct al_response res;
  struct al_err perr = {0};
  al_response_init(&res);
  enum al_code rc = al_response_parse_raw(raw, len, method, &res, &perr);
  al_response_cleanup(&res);
  if (rc == AL_E_RULES)
    return fail(pc, n, "%s: %s", what, perr.msg);
  return rc;
}

static enum al_code parse_method(const struct pctx *pc,
                                 const struct al_ynode *v, const char *key,
                                 char **out)
{
  enum al_code rc = get_text(pc, v, key, out);
  if (rc == AL_OK && !al_headers_is_token(*out))
    return fail(pc, v, "%s '%s' is not a method name",
                strcmp(key, "method") == 0 ? "example method" : key, *out);
  return rc;
}

/* peers: [{method: PUT, response: "HTTP/1.1 405 ..."}, ...] */
static enum al_code parse_peers(const struct pctx *pc, const struct al_ynode *n,
                                struct al_rule_example *ex)
{
  static const char *const keys[] = {"method", "response", NULL};
  enum al_code rc =
      want_kind(pc, n, AL_YNODE_SEQ, "peers",
                "a list of answers ({method: PUT, response: ...})");
  if (rc != AL_OK)
    return rc;
  ex->peers = calloc(n->count ? n->count : 1, sizeof *ex->peers);
  if (!ex->peers)
    return AL_E_NOMEM;
  for (size_t i = 0; i < n->count; i++) {
    const struct al_ynode *item = n->items[i];
    struct al_example_peer *peer = &ex->peers[ex->peer_count++];
    rc = want_kind(pc, item, AL_YNODE_MAP, "peer",
                   "a mapping with 'method' and 'response'");
    if (rc == AL_OK)
      rc = check_keys(pc, item, "peer", keys);
    const struct al_ynode *m = al_ynode_get(item, "method");
    const struct al_ynode *r = al_ynode_get(item, "response");
    if (rc == AL_OK && !r)
      rc = fail(pc, item, "a peer needs 'response:' (its raw answer)");
    if (rc == AL_OK && m)
      rc = parse_method(pc, m, "peer method", &peer->method);
    if (rc == AL_OK && !m && !(peer->method = al_strdup("GET")))
      rc = AL_E_NOMEM;
    if (rc == AL_OK)
      rc = get_text(pc, r, "response", &peer->response);
    if (rc != AL_OK)
      return rc;
    peer->response_len = strlen(peer->response);
    rc = check_raw(pc, r, "peer response", peer->response, peer->response_len,
                   peer->method);
    if (rc != AL_OK)
      return rc;
  }
  return AL_OK;
}

/* Makes 'ex' a probe example when it is one: every example of a rule with
 * `probe:`, and any that names a probe or gives the endpoint's answer. */
static enum al_code settle_probe_example(const struct pctx *pc,
                                         const struct al_ynode *n,
                                         const struct al_ynode *probe_node,
                                         const struct al_rule_logic *lg,
                                         struct al_rule_example *ex)
{
  int wants = lg->probe_count > 0 || ex->probe || ex->endpoint_response ||
              ex->endpoint_method || ex->peers;
  if (!wants)
    return AL_OK;
  if (!ex->probe && lg->probe_count == 0)
    return fail(pc, n,
                "an example with 'endpoint-response', 'endpoint-method' or "
                "'peers' needs 'probe:' (the probe whose answer it is)");
  if (!ex->probe) {
    ex->probe = lg->probes[0].probe;
    ex->step = lg->probes[0].step;
  }
  if (!ex->step)
    ex->step = ex->probe->steps[0];
  if (!al_probe_filter_matches(lg->probes, lg->probe_count, ex->probe->name,
                               ex->step))
    return fail(pc, probe_node ? probe_node : n,
                "example probe '%s/%s' is not one this rule judges (see its "
                "'probe:')",
                ex->probe->name, ex->step);
  if (!ex->endpoint_method && !(ex->endpoint_method = al_strdup("GET")))
    return AL_E_NOMEM;
  if (!ex->method && !(ex->method = al_strdup(probe_default_method(
                           ex->probe, ex->endpoint_method))))
    return AL_E_NOMEM;
  if (!ex->endpoint_response)
    return AL_OK;
  ex->endpoint_response_len = strlen(ex->endpoint_response);
  return check_raw(pc, al_ynode_get(n, "endpoint-response"),
                   "endpoint-response", ex->endpoint_response,
                   ex->endpoint_response_len, ex->endpoint_method);
}

static enum al_code parse_example(const struct pctx *pc,
                                  const struct al_ynode *n, int fires,
                                  const struct al_rule_logic *lg,
                                  struct al_rule_example *ex)
{
  static const char *const keys[] = {"response",
                                     "transport",
                                     "method",
                                     "request-headers",
                                     "expect",
                                     "message-contains",
                                     "probe",
                                     "endpoint-response",
                                     "endpoint-method",
                                     "peers",
                                     NULL};
  ex->fires = fires;
  ex->line = n->line;
  ex->col = n->col;
  al_headers_init(&ex->request_headers);
  enum al_code rc = AL_OK;
  const struct al_ynode *probe_node = NULL;
  if (n->kind == AL_YNODE_SCALAR) {
    /* Shorthand: the item is the raw response. */
    rc = get_text(pc, n, "example", &ex->response);
  } else {
    rc = want_kind(pc, n, AL_YNODE_MAP, "example",
                   "a raw response or a mapping with 'response:'");
    if (rc == AL_OK)
      rc = check_keys(pc, n, "example", keys);
    for (size_t i = 0; rc == AL_OK && i < n->count; i++) {
      const char *key = n->keys[i]->value;
      const struct al_ynode *v = n->items[i];
      if (!strcmp(key, "response"))
        rc = get_text(pc, v, key, &ex->response);
      else if (!strcmp(key, "transport"))
        rc = get_text(pc, v, key, &ex->transport);
      else if (!strcmp(key, "method"))
        rc = parse_method(pc, v, key, &ex->method);
      else if (!strcmp(key, "message-contains"))
        rc = get_text(pc, v, key, &ex->message_contains);
      else if (!strcmp(key, "endpoint-response"))
        rc = get_text(pc, v, key, &ex->endpoint_response);
      else if (!strcmp(key, "endpoint-method"))
        rc = parse_method(pc, v, key, &ex->endpoint_method);
      else if (!strcmp(key, "peers"))
        rc = parse_peers(pc, v, ex);
      else if (!strcmp(key, "probe")) {
        probe_node = v;
        rc = parse_probe_ref(pc, v, &ex->probe, &ex->step);
      } else if (!strcmp(key, "expect")) {
        ex->has_expect = 1;
        rc = parse_expect(pc, v, &ex->expect);
      } else { /* request-headers */
        rc = want_kind(pc, v, AL_YNODE_MAP, key, "a mapping of header values");
        for (size_t h = 0; rc == AL_OK && h < v->count; h++) {
          char *value = NULL;
          rc = get_text(pc, v->items[h], v->keys[h]->value, &value);
          if (rc == AL_OK)
            rc = al_headers_add(&ex->request_headers, v->keys[h]->value, value);
          free(value);
        }
      }
    }
  }
  if (rc != AL_OK)
    return rc;
  if (!ex->response == !ex->transport)
    return fail(pc, n,
                "an example needs exactly one of 'response' and "
                "'transport'");
  if (ex->response)
    ex->response_len = strlen(ex->response);
  if ((rc = settle_probe_example(pc, n, probe_node, lg, ex)) != AL_OK)
    return rc;
  if (ex->probe && ex->has_expect)
    return fail(pc, al_ynode_get(n, "expect"),
                "'expect' is about the endpoint's own request; a probe "
                "example cannot have it");
  if (!ex->method && !(ex->method = al_strdup("GET")))
    return AL_E_NOMEM;
  if (ex->response)
    rc = check_raw(pc, n, "example response", ex->response, ex->response_len,
                   ex->method);
  return rc;
}

static enum al_code parse_examples(const struct pctx *pc,
                                   const struct al_ynode *n,
                                   struct al_rule_logic *lg)
{
  static const char *const keys[] = {"fires", "passes", NULL};
  enum al_code rc = want_kind(pc, n, AL_YNODE_MAP, "examples",
                              "a mapping with 'fires:' and 'passes:'");
  if (rc == AL_OK)
    rc = check_keys(pc, n, "examples", keys);
  if (rc != AL_OK)
    return rc;
  const struct al_ynode *lists[2] = {al_ynode_get(n, "fires"),
                                     al_ynode_get(n, "passes")};
  size_t total = 0;
  for (int k = 0; k < 2; k++) {
    if (!lists[k])
      continue;
    rc = want_kind(pc, lists[k], AL_YNODE_SEQ, k ? "passes" : "fires",
                   "a list of examples");
    if (rc != AL_OK)
      return rc;
    total += lists[k]->count;
  }
  lg->examples = calloc(total ? total : 1, sizeof *lg->examples);
  if (!lg->examples)
    return AL_E_NOMEM;
  for (int k = 0; k < 2; k++) {
    for (size_t i = 0; lists[k] && i < lists[k]->count; i++) {
      rc = parse_example(pc, lists[k]->items[i], k == 0, lg,
                         &lg->examples[lg->example_count++]);
      if (rc != AL_OK)
        return rc;
    }
  }
  return AL_OK;
}

/* ------------------------------------------------------------------ */
/* one rule                                                           */

static const char *const rule_keys[] = {
    "id",      "severity", "enabled", "level", "source", "summary",  "message",
    "explain", "when",     "require", "check", "probe",  "examples", NULL};

static const char *const levels[] = {"MUST", "MUST NOT", "SHOULD", "SHOULD NOT",
                                     "MAY",  "advice",   NULL};

static enum al_code require_text(const struct pctx *pc,
                                 const struct al_ynode *rule, const char *key,
                                 char **out)
{
  const struct al_ynode *v = al_ynode_get(rule, key);
  if (!v)
    return fail(pc, rule, "rule is missing '%s'", key);
  enum al_code rc = get_text(pc, v, key, out);
  if (rc == AL_OK && (*out)[0] == '\0')
    return fail(pc, v, "'%s' must not be empty", key);
  return rc;
}

static enum al_code optional_text(const struct pctx *pc,
                                  const struct al_ynode *rule, const char *key,
                                  char **out)
{
  const struct al_ynode *v = al_ynode_get(rule, key);
  if (!v) {
    *out = al_strdup("");
    return *out ? AL_OK : AL_E_NOMEM;
  }
  return get_text(pc, v, key, out);
}

static enum al_code parse_logic(const struct pctx *pc, const struct al_ynode *n,
                                struct al_rule *r)
{
  struct al_rule_logic *lg = calloc(1, sizeof *lg);
  if (!lg)
    return AL_E_NOMEM;
  r->logic = lg;
  enum al_code rc = require_text(pc, n, "message", &lg->message);
  if (rc != AL_OK)
    return rc;
  char why[300];
  size_t at = 0;
  if (!al_template_validate(lg->message, why, sizeof why, &at))
    return fail(pc, al_ynode_get(n, "message"), "message: %s (at byte %zu)",
                why, at);
  const struct al_ynode *when = al_ynode_get(n, "when");
  if (when && (rc = parse_block(pc, when, "when", &lg->when, 0)) != AL_OK)
    return rc;
  const struct al_ynode *req = al_ynode_get(n, "require");
  const struct al_ynode *check = al_ynode_get(n, "check");
  if (req && check)
    return fail(pc, check, "a rule has 'require:' or 'check:', not both");
  if (!req && !check)
    return fail(pc, n,
                "rule '%s' needs 'require:' (conditions that must "
                "hold) or 'check:' (a named C check)",
                r->id);
  if (req) {
    lg->has_require = 1;
    rc = parse_block(pc, req, "require", &lg->require, 0);
  } else {
    if (check->kind != AL_YNODE_SCALAR)
      return fail(pc, check, "'check' must be a check name, got %s",
                  al_ynode_describe(check));
    lg->check = al_check_find(check->value);
    if (!lg->check) {
      const char *hint = al_check_suggest(check->value);
      size_t n_checks;
      const struct al_check_def *all = al_check_all(&n_checks);
      struct al_buf names;
      al_buf_init(&names);
      for (size_t i = 0; i < n_checks; i++)
        if (al_buf_printf(&names, "%s%s", i ? ", " : "", all[i].name) != AL_OK)
          break;
      if (hint)
        rc = fail(pc, check, "unknown check '%s' (did you mean '%s'?)",
                  check->value, hint);
      else
        rc = fail(pc, check, "unknown check '%s' (known: %s)", check->value,
                  al_buf_str(&names));
      al_buf_cleanup(&names);
      return rc;
    }
    if (lg->check->init) {
      rc = lg->check->init(&lg->check_state, pc->y.err);
      if (rc != AL_OK) {
        lg->check = NULL; /* nothing to free */
        return rc;
      }
    }
  }
  if (rc != AL_OK)
    return rc;
  /* Before the examples: they default to the rule's first probe. */
  const struct al_ynode *probe = al_ynode_get(n, "probe");
  if (probe && (rc = parse_probe_filters(pc, probe, lg)) != AL_OK)
    return rc;
  const struct al_ynode *ex = al_ynode_get(n, "examples");
  if (ex)
    rc = parse_examples(pc, ex, lg);
  return rc;
}

static enum al_code parse_rule(const struct pctx *pc, const struct al_ynode *n,
                               const char *origin, struct al_rule *r)
{
  enum al_code rc = want_kind(pc, n, AL_YNODE_MAP, "rule", "a mapping");
  if (rc == AL_OK)
    rc = check_keys(pc, n, "rule", rule_keys);
  if (rc == AL_OK)
    rc = require_text(pc, n, "id", &r->id);
  if (rc != AL_OK)
    return rc;
  r->line = n->line;
  if (!is_kebab(r->id))
    return fail(pc, al_ynode_get(n, "id"),
                "rule id '%s' must be kebab-case (a-z, 0-9, single '-')",
                r->id);
  const struct al_ynode *sev = al_ynode_get(n, "severity");
  if (!sev)
    return fail(pc, n, "rule '%s' is missing 'severity'", r->id);
  int sev_ok = sev->kind == AL_YNODE_SCALAR;
  if (sev_ok) {
    enum al_severity s;
    sev_ok = al_severity_parse(sev->value, 0, &s);
    r->severity = s;
  }
  if (!sev_ok)
    return fail(
        pc, sev, "'severity' must be error, warning or info, got %s%s%s",
        sev->kind == AL_YNODE_SCALAR ? "'" : "",
        sev->kind == AL_YNODE_SCALAR ? sev->value : al_ynode_describe(sev),
        sev->kind == AL_YNODE_SCALAR ? "'" : "");
  r->enabled = 1;
  const struct al_ynode *en = al_ynode_get(n, "enabled");
  if (en && (rc = get_bool(pc, en, "enabled", &r->enabled)) != AL_OK)
    return rc;
  if ((rc = require_text(pc, n, "summary", &r->summary)) != AL_OK ||
      (rc = optional_text(pc, n, "explain", &r->explain)) != AL_OK ||
      (rc = optional_text(pc, n, "level", &r->level)) != AL_OK ||
      (rc = optional_text(pc, n, "source", &r->source)) != AL_OK)
    return rc;
  if (strchr(r->summary, '\n'))
    return fail(pc, al_ynode_get(n, "summary"), "'summary' must be one line");
  if (r->level[0]) {
    int ok = 0;
    for (size_t i = 0; levels[i] && !ok; i++)
      ok = strcmp(r->level, levels[i]) == 0;
    if (!ok)
      return fail(pc, al_ynode_get(n, "level"),
                  "'level' must be MUST, MUST NOT, SHOULD, SHOULD NOT, MAY or "
                  "advice, got '%s'",
                  r->level);
  }
  r->origin = al_strdup(origin);
  if (!r->origin)
    return AL_E_NOMEM;
  return parse_logic(pc, n, r);
}

/* ------------------------------------------------------------------ */
/* files                                                              */

static enum al_code merge(struct al_ruleset *rs, struct al_rule *fresh,
                          size_t count)
{
  size_t added = 0;
  for (size_t i = 0; i < count; i++)
    added += al_ruleset_index(rs, fresh[i].id) < 0;
  if (added) {
    struct al_rule *grown =
        realloc(rs->rules, (rs->count + added) * sizeof *grown);
    if (!grown)
      return AL_E_NOMEM;
    rs->rules = grown;
  }
  /* From here nothing fails: the ruleset changes all at once or not. */
  for (size_t i = 0; i < count; i++) {
    long at = al_ruleset_index(rs, fresh[i].id);
    if (at >= 0) {
      rule_cleanup(&rs->rules[at]);
      rs->rules[at] = fresh[i];
    } else {
      rs->rules[rs->count++] = fresh[i];
    }
    memset(&fresh[i], 0, sizeof fresh[i]);
  }
  return AL_OK;
}

/* The rules of one rule file's tree (borrowed: read, never kept; every
 * text a rule keeps is copied) are added to 'rs', all or none. */
static enum al_code parse_tree(struct al_ruleset *rs,
                               const struct al_ynode *doc, const char *name,
                               const char *origin, struct al_err *err)
{
  struct pctx pc = {{name, AL_E_RULES, err}};
  struct al_rule *fresh = NULL;
  size_t count = 0;
  static const char *const top_keys[] = {"version", "rules", NULL};
  enum al_code rc = want_kind(&pc, doc, AL_YNODE_MAP, "a rule file",
                              "a mapping with 'rules:'");
  if (rc == AL_OK)
    rc = check_keys(&pc, doc, "the rule file", top_keys);
  if (rc != AL_OK)
    goto out;
  const struct al_ynode *version = al_ynode_get(doc, "version");
  long v;
  if (version && (!al_ynode_int(version, &v) || v != 1)) {
    rc = fail(&pc, version, "'version' must be 1");
    goto out;
  }
  const struct al_ynode *list = al_ynode_get(doc, "rules");
  if (!list) {
    rc = fail(&pc, doc, "a rule file needs a 'rules:' list");
    goto out;
  }
  if ((rc = want_kind(&pc, list, AL_YNODE_SEQ, "rules", "a list of rules")) !=
      AL_OK)
    goto out;
  fresh = calloc(list->count ? list->count : 1, sizeof *fresh);
  if (!fresh) {
    rc = AL_E_NOMEM;
    goto out;
  }
  for (size_t i = 0; i < list->count; i++) {
    /* A repeated id is reported before the rest of the rule is read. */
    const struct al_ynode *id = al_ynode_get(list->items[i], "id");
    for (size_t j = 0; id && id->kind == AL_YNODE_SCALAR && j < count; j++) {
      if (strcmp(fresh[j].id, id->value) == 0) {
        rc = fail(&pc, id,
                  "rule '%s' is defined twice in this file (first at line %d)",
                  fresh[j].id, fresh[j].line);
        goto out;
      }
    }
    rc = parse_rule(&pc, list->items[i], origin, &fresh[count++]);
    if (rc != AL_OK)
      goto out;
  }
  rc = merge(rs, fresh, count);
out:
  for (size_t i = 0; i < count; i++)
    rule_cleanup(&fresh[i]);
  free(fresh);
  return rc;
}

static enum al_code parse_file(struct al_ruleset *rs, const char *text,
                               size_t len, const char *name, const char *origin,
                               struct al_err *err)
{
  struct al_ynode *doc = NULL;
  enum al_code rc = al_yamldoc_parse(text, len, name, &doc, err);
  if (rc == AL_E_SPEC)
    return AL_E_RULES; /* same words, but it is a rule file */
  if (rc != AL_OK)
    return rc;
  rc = parse_tree(rs, doc, name, origin, err);
  al_ynode_free(doc);
  return rc;
}

enum al_code al_ruleset_parse(struct al_ruleset *rs, const char *text,
                              size_t len, const char *name, struct al_err *err)
{
  return parse_file(rs, text, len, name, name, err);
}

enum al_code al_ruleset_load_file(struct al_ruleset *rs, const char *path,
                                  struct al_err *err)
{
  struct al_buf b;
  al_buf_init(&b);
  switch (al_buf_read_file(&b, path, 4u * 1024 * 1024)) {
  case AL_READ_OK:
    break;
  case AL_READ_CANNOT_OPEN:
  case AL_READ_CANNOT_READ:
    return al_err_set(err, AL_E_IO, path, 0, 0, "cannot read rule file: %s",
                      strerror(errno));
  case AL_READ_TOO_LARGE:
    return al_err_set(err, AL_E_RULES, path, 0, 0,
                      "rule file is larger than 4 MiB");
  case AL_READ_NOMEM:
    return AL_E_NOMEM;
  }
  enum al_code rc = parse_file(rs, al_buf_str(&b), b.len, path, path, err);
  al_buf_cleanup(&b);
  return rc;
}

enum al_code al_ruleset_new_builtin(struct al_ruleset **out, struct al_err *err)
{
  *out = NULL;
  struct al_ruleset *rs = calloc(1, sizeof *rs);
  if (!rs)
    return AL_E_NOMEM;
  /* The trees made at build time from the rule files (rule_builtin.h): no
   * YAML is parsed at start-up. */
  for (size_t i = 0; i < al_builtin_rule_tree_count; i++) {
    const struct al_builtin_rule_tree *t = &al_builtin_rule_trees[i];
    enum al_code rc = parse_tree(rs, t->root, t->name, "built-in", err);
    if (rc != AL_OK) {
      al_ruleset_free(rs);
      return rc;
    }
  }
  *out = rs;
  return AL_OK;
}

long al_ruleset_index(const struct al_ruleset *rs, const char *id)
{
  for (size_t i = 0; rs && id && i < rs->count; i++)
    if (strcmp(rs->rules[i].id, id) == 0)
      return (long)i;
  return -1;
}

const struct al_rule *al_ruleset_find(const struct al_ruleset *rs,
                                      const char *id)
{
  long i = al_ruleset_index(rs, id);
  return i < 0 ? NULL : &rs->rules[i];
}

const char *al_ruleset_suggest(const struct al_ruleset *rs, const char *id)
{
  struct al_suggest sug;
  al_suggest_init(&sug, id);
  for (size_t i = 0; rs && i < rs->count; i++)
    al_suggest_consider(&sug, rs->rules[i].id);
  return al_suggest_result(&sug);
}
