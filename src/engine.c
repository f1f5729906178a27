/* engine.c - the judging stage: (request, response) x rules -> rule results
 * with findings. Evaluates each rule's `when:` and `require:` data or its
 * named C check with the switches and severities of a rule_config.h
 * configuration, fills the message template (template.h) and masks secrets
 * in everything it writes. */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ere.h"
#include "json_body.h"
#include "probe.h"
#include "rule_logic.h"
#include "template.h"

/* ------------------------------------------------------------------ */
/* what a rule looks at                                               */

struct eval_in {
  const struct al_request *req;
  const struct al_response *res;
  const struct al_redactor *redactor;
  const struct al_probe_context *probe; /* NULL: the endpoint's own answer */
  struct al_json_body *json; /* res's body as JSON, parsed once for all */
};

/* The endpoint's own answer when judging a probe answer and it arrived. */
static const struct al_response *endpoint_answer(const struct eval_in *in)
{
  if (!in->probe || !in->probe->endpoint_res ||
      !in->probe->endpoint_res->received)
    return NULL;
  return in->probe->endpoint_res;
}

/* Every value of header 'name' joined by ", " into 'out' (secret headers
 * as ***). Returns 1 if the header is present, 0 if not, -1 on OOM. */
static int header_value(const struct al_redactor *rd,
                        const struct al_headers *h, const char *name,
                        struct al_buf *out)
{
  int found = 0;
  for (size_t i = 0; h && i < h->count; i++) {
    if (!al_strcaseeq(h->items[i].name, name))
      continue;
    const char *shown =
        al_redact_header(rd, h->items[i].name, h->items[i].value);
    if ((found++ && al_buf_append_str(out, ", ") != AL_OK) ||
        al_buf_append_str(out, shown) != AL_OK)
      return -1;
  }
  return found ? 1 : 0;
}

static const struct al_headers *req_headers(const struct eval_in *in)
{
  return in->req ? &in->req->headers : NULL;
}

/* ------------------------------------------------------------------ */
/* message templates (the grammar is template.c's; the values are here) */

struct template_ctx {
  const struct eval_in *in;
  const char *detail;
};

static enum al_code placeholder_value(void *ctx, enum al_placeholder ph,
                                      const char *arg, struct al_buf *out)
{
  const struct eval_in *in = ((const struct template_ctx *)ctx)->in;
  const char *detail = ((const struct template_ctx *)ctx)->detail;
  switch (ph) {
  case AL_PH_STATUS:
    return al_buf_printf(out, "%ld", in->res->status);
  case AL_PH_STATUS_LINE:
    return al_buf_append_str(out,
                             in->res->status_line ? in->res->status_line : "");
  case AL_PH_METHOD:
    return al_buf_append_str(out,
                             in->req && in->req->method ? in->req->method : "");
  case AL_PH_DETAIL:
    return al_buf_append_str(out, detail ? detail : "");
  case AL_PH_PROBE: /* "head/head", "" for an endpoint's own answer */
    if (in->probe && in->probe->probe)
      return al_buf_printf(out, "%s%s%s", in->probe->probe,
                           in->probe->step ? "/" : "",
                           in->probe->step ? in->probe->step : "");
    return AL_OK;
  case AL_PH_ENDPOINT_METHOD: {
    const struct al_request *er = in->probe ? in->probe->endpoint_req : NULL;
    return al_buf_append_str(out, er && er->method ? er->method : "");
  }
  case AL_PH_ENDPOINT_STATUS: {
    /* "" for an endpoint's own answer; "none" when a probe's endpoint
     * got no answer */
    const struct al_response *er = endpoint_answer(in);
    if (er)
      return al_buf_printf(out, "%ld", er->status);
    return in->probe ? al_buf_append_str(out, "none") : AL_OK;
  }
  case AL_PH_HEADER:
  case AL_PH_REQUEST_HEADER: {
    const struct al_headers *h =
        ph == AL_PH_HEADER ? &in->res->headers : req_headers(in);
    int found = header_value(in->redactor, h, arg, out);
    if (found < 0)
      return AL_E_NOMEM;
    return found ? AL_OK : al_buf_append_str(out, "(none)");
  }
  }
  return AL_OK;
}

/* ------------------------------------------------------------------ */
/* when: / require:                                                   */

static int block_holds(const struct al_cond_block *b, const struct eval_in *in,
                       struct al_buf *why, struct al_buf *ev);

static int header_holds(const struct al_cond *c, const struct eval_in *in,
                        struct al_buf *why, struct al_buf *ev)
{
  const struct al_headers *h =
      c->kind == AL_COND_RES_HEADER ? &in->res->headers : req_headers(in);
  const char *which = c->kind == AL_COND_RES_HEADER ? "" : "request ";
  int present = h && al_headers_count(h, c->name) > 0;
  int holds;
  if (c->test == AL_HTEST_PRESENT) {
    holds = present;
  } else if (c->test == AL_HTEST_ABSENT) {
    holds = !present;
  } else {
    holds = 0;
    for (size_t i = 0; present && i < h->count && !holds; i++)
      if (al_strcaseeq(h->items[i].name, c->name))
        holds = al_ere_match_value(c->re, h->items[i].value);
  }
  if (holds || !why)
    return holds;
  if (!present) {
    al_buf_printf(why, "no %s%s header", which, c->name);
    if (ev->len == 0)
      al_buf_append_str(ev, in->res->status_line ? in->res->status_line : "");
    return 0;
  }
  struct al_buf v;
  al_buf_init(&v);
  header_value(in->redactor, h, c->name, &v);
  if (c->test == AL_HTEST_ABSENT)
    al_buf_printf(why, "%s%s header present", which, c->name);
  else
    al_buf_printf(why, "%s%s '%s' does not match %s", which, c->name,
                  al_buf_str(&v), c->pattern);
  if (ev->len == 0)
    al_buf_printf(ev, "%s: %s", c->name, al_buf_str(&v));
  al_buf_cleanup(&v);
  return 0;
}

/* 1 if the response carries content in any form (response.h's signals),
 * and when 'what' is not NULL, what says so. */
static int has_content(const struct al_response *res, struct al_buf *what)
{
  struct al_content_signals s;
  int has = al_response_content_signals(res, &s);
  if (!has || !what)
    return has;
  if (s.body_bytes > 0)
    al_buf_printf(what, "%llu body bytes", (unsigned long long)s.body_bytes);
  if (s.stray_bytes > 0)
    al_buf_printf(what, "%s%llu bytes after the head", what->len ? ", " : "",
                  (unsigned long long)s.stray_bytes);
  if (s.content_length)
    al_buf_printf(what, "%sContent-Length: %s", what->len ? ", " : "",
                  s.content_length);
  if (s.transfer_encoding)
    al_buf_printf(what, "%sTransfer-Encoding: %s", what->len ? ", " : "",
                  s.transfer_encoding);
  return has;
}

static int cond_holds(const struct al_cond *c, const struct eval_in *in,
                      struct al_buf *why, struct al_buf *ev)
{
  const struct al_response *res = in->res;
  switch (c->kind) {
  case AL_COND_STATUS:
    if (al_status_set_has(&c->status, res->status))
      return 1;
    if (why) {
      al_buf_printf(why, "status %ld", res->status);
      if (ev->len == 0)
        al_buf_append_str(ev, res->status_line ? res->status_line : "");
    }
    return 0;
  case AL_COND_METHOD: {
    const char *m = in->req && in->req->method ? in->req->method : "";
    for (size_t i = 0; i < c->method_count; i++)
      if (strcmp(c->methods[i], m) == 0)
        return 1;
    if (why)
      al_buf_printf(why, "method %s", m);
    return 0;
  }
  case AL_COND_REQ_HEADER:
  case AL_COND_RES_HEADER:
    return header_holds(c, in, why, ev);
  case AL_COND_BODY:
    if ((res->body_size > 0) == (c->want != 0))
      return 1;
    if (why) {
      if (c->want)
        al_buf_append_str(why, "no body");
      else
        al_buf_printf(why, "%llu body bytes",
                      (unsigned long long)res->body_size);
    }
    return 0;
  case AL_COND_CONTENT: {
    struct al_buf what;
    al_buf_init(&what);
    int has = has_content(res, why ? &what : NULL);
    int holds = has == (c->want != 0);
    if (!holds && why)
      al_buf_append_str(why, c->want ? "no content" : al_buf_str(&what));
    al_buf_cleanup(&what);
    return holds;
  }
  case AL_COND_REQ_BODY: {
    int sent = in->req && in->req->body != NULL;
    if (sent == (c->want != 0))
      return 1;
    if (why)
      al_buf_append_str(why, sent ? "the request sent a body"
                                  : "the request sent no body");
    return 0;
  }
  case AL_COND_ENDPOINT_STATUS: {
    /* Only a probe answer has an endpoint answer to compare with. */
    const struct al_response *er = endpoint_answer(in);
    if (er && al_status_set_has(&c->status, er->status))
      return 1;
    if (why) {
      if (!in->probe)
        al_buf_append_str(why, "not a probe's answer");
      else if (!er)
        al_buf_append_str(why, "the endpoint's own request got no answer");
      else
        al_buf_printf(why, "the endpoint's own answer was %ld", er->status);
    }
    return 0;
  }
  case AL_COND_ANY: {
    struct al_buf sub;
    al_buf_init(&sub);
    for (size_t i = 0; i < c->block_count; i++) {
      al_buf_reset(&sub);
      if (block_holds(&c->blocks[i], in, why ? &sub : NULL, ev)) {
        al_buf_cleanup(&sub);
        return 1;
      }
      if (why)
        al_buf_printf(why, "%s%s", i ? " and " : "", al_buf_str(&sub));
    }
    al_buf_cleanup(&sub);
    return 0;
  }
  case AL_COND_NOT:
    if (!block_holds(&c->blocks[0], in, NULL, NULL))
      return 1;
    if (why)
      al_buf_printf(why, "the 'not' condition of line %d matched", c->line);
    return 0;
  }
  return 0;
}

/* All conditions hold; on the first that does not, says why (when 'why'
 * is not NULL) and adds evidence to 'ev' if it is still empty. */
static int block_holds(const struct al_cond_block *b, const struct eval_in *in,
                       struct al_buf *why, struct al_buf *ev)
{
  for (size_t i = 0; i < b->count; i++)
    if (!cond_holds(&b->conds[i], in, why, ev))
      return 0;
  return 1;
}

/* ------------------------------------------------------------------ */
/* judging                                                            */

static int rule_applies(const struct al_rule *rule, const struct eval_in *in,
                        const struct al_expect *expect)
{
  const struct al_rule_logic *lg = rule->logic;
  /* A `probe:` rule is about that probe's question only. */
  if (lg->probe_count && (!in->probe || !al_probe_filter_matches(
                                            lg->probes, lg->probe_count,
                                            in->probe->probe, in->probe->step)))
    return 0;
  enum al_check_scope scope = lg->check ? lg->check->scope : AL_CHECK_RESPONSE;
  int no_response = !in->res->received;
  /* Only 1xx and then nothing is an answer, a wrong one: the INTERIM
   * checks judge it, and it is not a transport error. */
  int interim_only = no_response && in->res->interim_count > 0;
  if (scope == AL_CHECK_TRANSPORT)
    return (no_response || in->res->transport_failed) && !interim_only;
  if (scope == AL_CHECK_INTERIM)
    return interim_only;
  if (no_response)
    return 0;
  if (scope == AL_CHECK_EXPECT &&
      (!expect || (!expect->has_status && expect->header_count == 0)))
    return 0;
  return block_holds(&lg->when, in, NULL, NULL);
}

/* The hits of one rule: its C check's, or one for a failed `require:`. */
static enum al_code rule_hits(const struct al_rule *rule,
                              const struct eval_in *in,
                              const struct al_expect *expect,
                              struct al_check_hits *hits)
{
  const struct al_rule_logic *lg = rule->logic;
  if (lg->check) {
    struct al_check_input ci = {in->req,      in->res,   expect,
                                in->redactor, in->probe, in->json};
    return lg->check->eval(lg->check_state, &ci, hits);
  }
  struct al_buf why, ev;
  al_buf_init(&why);
  al_buf_init(&ev);
  enum al_code rc = AL_OK;
  if (!block_holds(&lg->require, in, &why, &ev))
    rc = al_check_hits_add(hits, al_buf_str(&why), al_buf_str(&ev));
  al_buf_cleanup(&why);
  al_buf_cleanup(&ev);
  return rc;
}

static enum al_code add_finding(struct al_rule_result *rr,
                                const struct al_rule *rule,
                                enum al_severity sev, const struct eval_in *in,
                                const struct al_check_hit *hit)
{
  struct al_buf msg;
  al_buf_init(&msg);
  char why[300];
  size_t at;
  enum al_code rc = AL_E_NOMEM;
  char *shown_msg = NULL, *shown_ev = NULL;
  struct template_ctx tc = {in, hit->detail};
  int ok = al_template_expand(rule->logic->message, placeholder_value, &tc,
                              &msg, why, sizeof why, &at);
  if (ok < 0)
    goto out;
  /* A message is one line whatever the template and the detail held. */
  for (char *p = msg.data, *end = p ? p + msg.len : p; p < end; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  /* Masked and cleaned copies only where masking or cleaning would change
   * something: the finding copies the text anyway. */
  const char *text = al_buf_str(&msg);
  size_t ev_len = strlen(hit->evidence);
  if (!al_redact_is_plain(in->redactor, text, msg.len) &&
      !(shown_msg = al_redact_text(in->redactor, text, msg.len)))
    goto out;
  if (!al_redact_is_plain(in->redactor, hit->evidence, ev_len) &&
      !(shown_ev = al_redact_text(in->redactor, hit->evidence, ev_len)))
    goto out;
  rc = al_rule_result_add_finding(rr, sev, shown_msg ? shown_msg : text,
                                  shown_ev ? shown_ev : hit->evidence,
                                  rule->level, rule->source);
out:
  free(shown_msg);
  free(shown_ev);
  al_buf_cleanup(&msg);
  return rc;
}

/* The one judging loop behind al_engine_eval and al_engine_eval_probe:
 * appends to (*results, *count). */
static enum al_code eval_into(const struct al_ruleset *rs,
                              const struct al_rule_config *cfg,
                              const struct eval_in *in,
                              const struct al_expect *expect,
                              struct al_rule_result **results, size_t *count)
{
  if (cfg->count != rs->count)
    return AL_E_INTERNAL;
  for (size_t i = 0; i < rs->count; i++) {
    const struct al_rule *rule = &rs->rules[i];
    if (!rule_applies(rule, in, expect))
      continue;
    int transport =
        rule->logic->check && rule->logic->check->scope == AL_CHECK_TRANSPORT;
    if (!cfg->enabled[i]) {
      if (!al_rule_results_add(results, count, rule->id, AL_OUTCOME_SKIPPED))
        return AL_E_NOMEM;
      continue;
    }
    struct al_rule_result *rr =
        al_rule_results_add(results, count, rule->id,
                            transport ? AL_OUTCOME_ERROR : AL_OUTCOME_PASS);
    if (!rr)
      return AL_E_NOMEM;
    struct al_check_hits hits = {0};
    enum al_code rc = rule_hits(rule, in, expect, &hits);
    for (size_t h = 0; rc == AL_OK && h < hits.count; h++)
      rc = add_finding(rr, rule, cfg->severity[i], in, &hits.items[h]);
    al_check_hits_cleanup(&hits);
    if (rc != AL_OK)
      return rc;
  }
  return AL_OK;
}

/* A response as the checks see it (see masked_response); owns the masked
 * parts, borrows the rest from the real response. */
struct masked {
  struct al_response copy;
  struct al_buf body, stray;
};

static void masked_init(struct masked *m)
{
  al_buf_init(&m->body);
  al_buf_init(&m->stray);
}

static void masked_cleanup(struct masked *m)
{
  al_buf_cleanup(&m->body);
  al_buf_cleanup(&m->stray);
}

/* 1 when 'body' starts (after white space) like a JSON object or array:
 * the checks parse such a body, so masking must keep it JSON. Whatever the
 * Content-Type says, since rules also judge JSON sent with a wrong one. */
static int looks_json(const char *body, size_t len)
{
  size_t i = 0;
  while (i < len && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' ||
                     body[i] == '\n'))
    i++;
  return i < len && (body[i] == '{' || body[i] == '[');
}

/* The response the checks see: 'res' itself, or, when its body or stray
 * bytes hold a secret value, a shallow copy (m->copy) with those masked.
 * Checks cut evidence excerpts before the report masks them, and a cut
 * through a secret would leave its start visible; masked first, there is
 * nothing left to cut through. Header values are left as they are: checks
 * compare them (Content-Type, ETag, Allow), and a short secret such as a
 * cookie value "json" masked there would make them judge a different
 * answer; a header value is cut only past EXCERPT_MAX bytes, and whole
 * values are masked by the report. */
static enum al_code masked_response(const struct al_redactor *rd,
                                    const struct al_response *res,
                                    struct masked *m,
                                    const struct al_response **use)
{
  int body_masked = 0, stray_masked = 0;
  *use = res;
  if (!rd || !rd->value_count)
    return AL_OK;
  enum al_code rc = al_redact_values(rd, res->body.data, res->body.len,
                                     looks_json(res->body.data, res->body.len),
                                     &m->body, &body_masked);
  if (rc == AL_OK)
    rc = al_redact_values(rd, res->stray.data, res->stray.len, 0, &m->stray,
                          &stray_masked);
  if (rc != AL_OK || (!body_masked && !stray_masked))
    return rc;
  m->copy = *res;
  if (body_masked)
    m->copy.body = m->body;
  if (stray_masked)
    m->copy.stray = m->stray;
  *use = &m->copy;
  return AL_OK;
}

/* Judges 'res' with its body masked first (masked_response), so no check
 * can cut an excerpt through a secret, into (results, count). */
static enum al_code
eval_masked(const struct al_ruleset *rs, const struct al_rule_config *cfg,
            const struct al_request *req, const struct al_response *res,
            const struct al_redactor *redactor,
            const struct al_probe_context *ctx, const struct al_expect *expect,
            struct al_rule_result **results, size_t *count)
{
  struct masked m;
  const struct al_response *use;
  masked_init(&m);
  enum al_code rc = masked_response(redactor, res, &m, &use);
  if (rc == AL_OK) {
    /* One JSON reading of the body the checks see, for all of them. */
    struct al_json_body json;
    al_json_body_init(&json, &use->body);
    struct eval_in in = {req, use, redactor, ctx, &json};
    rc = eval_into(rs, cfg, &in, expect, results, count);
    al_json_body_cleanup(&json);
  }
  masked_cleanup(&m);
  return rc;
}

enum al_code al_engine_eval(const struct al_ruleset *rs,
                            const struct al_rule_config *cfg,
                            const struct al_request *req,
                            const struct al_response *res,
                            const struct al_expect *expect,
                            const struct al_redactor *redactor,
                            struct al_endpoint_result *out)
{
  return eval_masked(rs, cfg, req, res, redactor, NULL, expect, &out->results,
                     &out->result_count);
}

enum al_code al_engine_eval_probe(const struct al_ruleset *rs,
                                  const struct al_rule_config *cfg,
                                  const struct al_request *req,
                                  const struct al_response *res,
                                  const struct al_probe_context *ctx,
                                  const struct al_redactor *redactor,
                                  struct al_probe_result *out)
{
  if (!ctx)
    return AL_E_INTERNAL;
  return eval_masked(rs, cfg, req, res, redactor, ctx, NULL, &out->results,
                     &out->result_count);
}
