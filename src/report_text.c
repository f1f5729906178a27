/* report_text.c - the terminal report: per endpoint in spec order a short
 * head line (unless -q), the request and response heads like curl -v (with
 * -v, secrets masked), then one compiler-style line per finding so editors
 * can jump to the spec; then the same for each of its probe entries (an
 * indented line saying what was sent and got, heads with -v, findings);
 * a summary line at the end (unless -q). */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "fnv.h"
#include "request.h"
#include "response.h"

#define BOLD "\033[1m"
#define GREEN "\033[1;32m"
#define RED "\033[1;31m"
#define RESET "\033[0m"

struct groups;

/* Everything an endpoint's block needs, passed down as one. */
struct text_ctx {
  const struct al_report *report;
  const struct al_report_opts *opts;
  const struct al_redactor *redactor; /* never NULL (an empty one if the
                                         report has none) */
  struct al_buf *out;
  struct groups *groups; /* NULL: show every finding */
  size_t shown;          /* finding lines written so far */
};

static enum al_code put_clean(struct text_ctx *c, const char *s, size_t len)
{
  return al_report_append_clean(c->out, c->report, s, len, 1);
}

static enum al_code put_str(struct text_ctx *c, const char *s)
{
  return put_clean(c, s, s ? strlen(s) : 0);
}

static const char *color(const struct text_ctx *c, const char *code)
{
  return c->opts->color ? code : "";
}

static size_t endpoint_finding_count(const struct al_endpoint_result *er)
{
  size_t n = 0;
  for (size_t i = 0; i < er->result_count; i++)
    n += er->results[i].finding_count;
  return n;
}

/* "401 Unauthorized" from "HTTP/1.1 401 Unauthorized"; HTTP/2 has no
 * reason phrase, so then just the code. */
static enum al_code put_status(struct text_ctx *c, const struct al_response *r)
{
  const char *line = al_response_answer_line(r);
  const char *sp = line ? strchr(line, ' ') : NULL;
  enum al_code rc =
      sp && sp[1] ? put_str(c, sp + 1)
                  : al_buf_printf(c->out, "%ld", al_response_answer_status(r));
  /* Only 1xx came (informational-as-final): say so, not just "100". */
  if (rc == AL_OK && !r->received)
    rc = al_buf_append_str(c->out, ", no final response");
  return rc;
}

/* GET /users/42 -> 401 Unauthorized  3 ms */
static enum al_code put_endpoint_head(struct text_ctx *c,
                                      const struct al_endpoint_result *er)
{
  const struct al_endpoint *ep = er->endpoint;
  const char *name = al_report_endpoint_name(er);
  enum al_code rc = al_buf_append_str(c->out, color(c, BOLD));
  if (rc == AL_OK)
    rc = put_str(c, name);
  if (rc == AL_OK)
    rc = al_buf_append_str(c->out, color(c, RESET));
  /* A named endpoint also shows what it requests. */
  if (rc == AL_OK && ep && ep->method && ep->path) {
    size_t ml = strlen(ep->method);
    if (!(strncmp(name, ep->method, ml) == 0 && name[ml] == ' ' &&
          strcmp(name + ml + 1, ep->path) == 0)) {
      rc = al_buf_append_str(c->out, " (");
      if (rc == AL_OK)
        rc = put_str(c, ep->method);
      if (rc == AL_OK)
        rc = al_buf_append_char(c->out, ' ');
      if (rc == AL_OK)
        rc = put_str(c, ep->path);
      if (rc == AL_OK)
        rc = al_buf_append_char(c->out, ')');
    }
  }
  if (rc == AL_OK)
    rc = al_buf_append_str(c->out, " -> ");
  if (rc == AL_OK) {
    if (al_report_reached(er))
      rc = put_status(c, er->response);
    else
      rc = al_buf_printf(c->out, "%sno response%s", color(c, RED),
                         color(c, RESET));
  }
  if (rc == AL_OK && er->response)
    rc = al_buf_printf(c->out, "  %.0f ms", er->response->elapsed_ms);
  if (rc == AL_OK && al_report_reached(er) && endpoint_finding_count(er) == 0)
    rc = al_buf_printf(c->out, "  %sok%s", color(c, GREEN), color(c, RESET));
  if (rc == AL_OK)
    rc = al_buf_append_char(c->out, '\n');
  return rc;
}

/* A header field name is a token: no spaces, so a request or status line
 * (which has a space before any colon) never looks like one. */
static size_t header_name_len(const char *line, size_t len)
{
  for (size_t i = 0; i < len; i++) {
    if (line[i] == ':')
      return i;
    if (line[i] == ' ' || line[i] == '\t')
      return 0;
  }
  return 0;
}

/* A header field as -v shows it: secret fields as ***, and in any other
 * value the credentials a URL carries (a server's Location or Link with
 * ?access_token=..., http://user:PASS@...), which are not ours to know in
 * advance, as *** too. */
static enum al_code put_header(struct text_ctx *c, const char *prefix,
                               const char *name, const char *value)
{
  enum al_code rc = al_buf_append_str(c->out, prefix);
  if (rc == AL_OK)
    rc = put_str(c, name);
  if (rc == AL_OK)
    rc = al_buf_append_str(c->out, ": ");
  const char *shown = al_redact_header(c->redactor, name, value);
  char *url_masked = value && shown == value ? al_redact_url(value) : NULL;
  if (value && shown == value && !url_masked)
    rc = AL_E_NOMEM;
  if (rc == AL_OK)
    rc = put_str(c, url_masked ? url_masked : shown);
  free(url_masked);
  if (rc == AL_OK)
    rc = al_buf_append_char(c->out, '\n');
  return rc;
}

/* One line of a raw head: header fields go through al_redact_header, and a
 * folded continuation of a secret field stays hidden with it. */
static enum al_code put_raw_line(struct text_ctx *c, const char *prefix,
                                 const char *line, size_t len,
                                 int *secret_field)
{
  size_t nl = header_name_len(line, len);
  enum al_code rc;
  if (nl > 0) {
    char *name = al_strndup(line, nl);
    const char *v = line + nl + 1;
    const char *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
      v++;
    char *value = al_strndup(v, (size_t)(end - v));
    if (!name || !value) {
      free(name);
      free(value);
      return AL_E_NOMEM;
    }
    *secret_field = al_redactor_is_secret_name(c->redactor, name);
    rc = put_header(c, prefix, name, value);
    free(name);
    free(value);
    return rc;
  }
  int folded = len > 0 && (line[0] == ' ' || line[0] == '\t');
  rc = al_buf_append_str(c->out, prefix);
  if (rc != AL_OK)
    return rc;
  if (folded && *secret_field)
    rc = al_buf_append_str(c->out, " ***");
  else
    rc = put_clean(c, line, len);
  if (!folded)
    *secret_field = 0;
  if (rc == AL_OK)
    rc = al_buf_append_char(c->out, '\n');
  return rc;
}

static enum al_code put_raw_head(struct text_ctx *c, const char *prefix,
                                 const struct al_buf *head)
{
  const char *p = head->data;
  const char *end = head->data + head->len;
  int secret_field = 0;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *stop = nl ? nl : end;
    size_t len = (size_t)(stop - p);
    if (len > 0 && p[len - 1] == '\r')
      len--;
    if (len > 0) {
      enum al_code rc = put_raw_line(c, prefix, p, len, &secret_field);
      if (rc != AL_OK)
        return rc;
    }
    p = nl ? nl + 1 : end;
  }
  return AL_OK;
}

static enum al_code put_headers(struct text_ctx *c, const char *prefix,
                                const struct al_headers *h)
{
  for (size_t i = 0; i < h->count; i++) {
    enum al_code rc =
        put_header(c, prefix, h->items[i].name, h->items[i].value);
    if (rc != AL_OK)
      return rc;
  }
  return AL_OK;
}

/* -v: what was sent and what came back, as curl -v shows it. The heads
 * transfer.c recorded are preferred; without them the request and response
 * structs are enough to rebuild the same picture. Bodies are not shown. */
static enum al_code put_heads(struct text_ctx *c, const struct al_request *req,
                              const struct al_response *res)
{
  enum al_code rc = AL_OK;
  /* --retry: each failed attempt before the one shown below. */
  for (size_t i = 0; res && rc == AL_OK && i < res->attempt_count; i++) {
    const struct al_attempt *a = &res->attempts[i];
    rc = al_buf_printf(c->out, "* attempt %zu: ", i + 1);
    if (rc == AL_OK)
      rc = put_str(c, a->error ? a->error : "failed");
    if (rc == AL_OK)
      rc = al_buf_printf(c->out, "; retrying in %ld ms (attempt %zu)\n",
                         a->wait_ms, i + 2);
  }
  if (res && res->sent_head.len > 0) {
    rc = put_raw_head(c, "> ", &res->sent_head);
  } else if (req) {
    rc = al_buf_append_str(c->out, "> ");
    if (rc == AL_OK)
      rc = put_str(c, req->method);
    if (rc == AL_OK)
      rc = al_buf_append_char(c->out, ' ');
    if (rc == AL_OK)
      rc = put_str(c, req->url);
    if (rc == AL_OK)
      rc = al_buf_append_char(c->out, '\n');
    if (rc == AL_OK)
      rc = put_headers(c, "> ", &req->headers);
  }
  if (rc != AL_OK || !res)
    return rc;
  if (res->received_head.len > 0) {
    rc = put_raw_head(c, "< ", &res->received_head);
  } else if (res->received) {
    rc = al_buf_append_str(c->out, "< ");
    if (rc == AL_OK && res->status_line)
      rc = put_str(c, res->status_line);
    else if (rc == AL_OK)
      rc = al_buf_printf(c->out, "%ld", res->status);
    if (rc == AL_OK)
      rc = al_buf_append_char(c->out, '\n');
    if (rc == AL_OK)
      rc = put_headers(c, "< ", &res->headers);
  }
  return rc;
}

/* Evidence is worth a line of its own only when the message does not
 * already quote it. Line breaks inside it are shown as \n so the report
 * stays one line per item. */
static enum al_code put_evidence(struct text_ctx *c, const struct al_finding *f)
{
  if (!f->evidence || !f->evidence[0])
    return AL_OK;
  if (f->message && strstr(f->message, f->evidence))
    return AL_OK;
  char *ev = al_report_clean(c->report, f->evidence, strlen(f->evidence), 0);
  if (!ev)
    return AL_E_NOMEM;
  enum al_code rc = al_buf_append_str(c->out, "    evidence: ");
  for (const char *p = ev; rc == AL_OK && *p; p++) {
    if (*p == '\n')
      rc = al_buf_append_str(c->out, "\\n");
    else if (*p == '\r')
      rc = al_buf_append_str(c->out, "\\r");
    else if (*p == '\t')
      rc = al_buf_append_char(c->out, ' ');
    else
      rc = al_buf_append_char(c->out, *p);
  }
  free(ev);
  if (rc == AL_OK)
    rc = al_buf_append_char(c->out, '\n');
  return rc;
}

/* ---- the same finding on many endpoints, said a few times ----
 *
 * A finding's key is its rule, its probe and its evidence (for a transport
 * error: the host and curl's message with every number masked, since it
 * carries timings: "after 3 ms"), and a host that did not answer at all is
 * shown once (SHOW_UNREACHED). The first SHOW_REPEATS endpoints with a key show
 * it; later ones are counted, and the end of the report says how many more
 * there were. Unless -v, which shows every one; the JSON and JUnit reports
 * always list every one. At most MAX_GROUPS keys are remembered, so a run of
 * endpoints that all differ costs bounded memory (past that, nothing is
 * grouped). */
#define SHOW_REPEATS 5
#define SHOW_UNREACHED 1 /* a dead host is said once, then counted */
#define MAX_GROUPS 4096
#define MAX_HOSTS 64

struct group {
  char *key;  /* owned */
  char *rule; /* owned; the rule id, cleaned */
  char *what; /* owned; the evidence or reason, cleaned, one line */
  size_t seen;
  size_t hidden;
};

/* Endpoints per scheme://host:port, for "nothing answered at ...". */
struct host {
  char *origin; /* owned; no user info */
  char *reason; /* owned; the first transport error, cleaned */
  size_t total, unreached;
};

struct groups {
  struct group *table; /* owned; open addressing, 2 x MAX_GROUPS slots */
  size_t used;
  size_t *order; /* owned; table indexes in first-seen order */
  struct host hosts[MAX_HOSTS];
  size_t nhosts;
  struct al_buf scratch; /* the key or origin being looked up: every
                            endpoint asks, so it is made without a malloc */
};

#define TABLE_SIZE (2 * MAX_GROUPS)

static size_t hash_key(const char *s)
{
  return (size_t)al_fnv1a(AL_FNV_OFFSET, s, strlen(s));
}

/* The group of 'key' (created when there is room), or NULL. */
static struct group *group_of(struct groups *g, const char *key)
{
  size_t i = hash_key(key) % TABLE_SIZE;
  while (g->table[i].key) {
    if (strcmp(g->table[i].key, key) == 0)
      return &g->table[i];
    i = (i + 1) % TABLE_SIZE;
  }
  if (g->used >= MAX_GROUPS)
    return NULL;
  if (!(g->table[i].key = al_strdup(key)))
    return NULL;
  g->order[g->used++] = i;
  return &g->table[i];
}

/* Appends "http://host:port" of 'url' without user info. */
static enum al_code append_origin(struct al_buf *b, const char *url)
{
  const char *p = strstr(url, "://");
  if (!p)
    return al_buf_append_str(b, url);
  const char *host = p + 3;
  const char *end = host + strcspn(host, "/?#");
  const char *at = memchr(host, '@', (size_t)(end - host));
  enum al_code rc = al_buf_append(b, url, (size_t)(host - url));
  if (at)
    host = at + 1;
  if (rc == AL_OK)
    rc = al_buf_append(b, host, (size_t)(end - host));
  return rc;
}

static void note_host(struct text_ctx *c, const struct al_endpoint_result *er)
{
  struct groups *g = c->groups;
  al_buf_reset(&g->scratch);
  if (append_origin(&g->scratch, al_report_endpoint_url(er)) != AL_OK)
    return;
  const char *origin = al_buf_str(&g->scratch);
  struct host *h = NULL;
  for (size_t i = 0; i < g->nhosts && !h; i++)
    if (strcmp(g->hosts[i].origin, origin) == 0)
      h = &g->hosts[i];
  if (!h && g->nhosts < MAX_HOSTS) {
    char *kept = al_strdup(origin);
    if (!kept)
      return;
    h = &g->hosts[g->nhosts++];
    h->origin = kept;
  }
  if (!h)
    return;
  h->total++;
  if (al_report_reached(er))
    return;
  h->unreached++;
  const struct al_response *res = er->response;
  if (!h->reason && res && res->transport_error)
    h->reason = al_report_clean(c->report, res->transport_error,
                                strlen(res->transport_error), 1);
}

/* Appends 'message' with every run of digits as one '#'. */
static enum al_code append_masking_numbers(struct al_buf *b,
                                           const char *message)
{
  enum al_code rc = AL_OK;
  for (const char *m = message ? message : ""; rc == AL_OK && *m; m++) {
    if (*m >= '0' && *m <= '9') {
      while (m[1] >= '0' && m[1] <= '9')
        m++;
      rc = al_buf_append_char(b, '#');
    } else {
      rc = al_buf_append_char(b, *m);
    }
  }
  return rc;
}

/* The key of finding 'f', made in g->scratch (borrowed until the next
 * key), or NULL on OOM. */
static const char *finding_key(struct groups *g,
                               const struct al_endpoint_result *er,
                               const struct al_probe_result *pr,
                               const struct al_finding *f)
{
  struct al_buf *b = &g->scratch;
  al_buf_reset(b);
  enum al_code rc = al_buf_append_str(b, f->rule_id ? f->rule_id : "");
  if (rc == AL_OK)
    rc = al_buf_append_char(b, '\x1f');
  if (rc == AL_OK)
    rc = al_buf_append_str(b, pr && pr->probe ? pr->probe : "");
  if (rc == AL_OK)
    rc = al_buf_append_char(b, '\x1f');
  const struct al_response *res = pr ? pr->response : er->response;
  if (rc == AL_OK && f->rule_id && strcmp(f->rule_id, "transport-error") == 0 &&
      res && !res->received) {
    rc = append_origin(b, pr && pr->request && pr->request->url
                              ? pr->request->url
                              : al_report_endpoint_url(er));
    if (rc == AL_OK)
      rc = al_buf_append_char(b, '\x1f');
    if (rc == AL_OK)
      rc = al_buf_append_int(b, res->curl_code);
    if (rc == AL_OK)
      rc = al_buf_append_char(b, '\x1f');
    if (rc == AL_OK)
      rc = append_masking_numbers(b, f->message);
  } else if (rc == AL_OK) {
    /* Same evidence; without evidence the message says it all. */
    rc = al_buf_append_str(b, f->evidence && f->evidence[0] ? f->evidence
                              : f->message                  ? f->message
                                                            : "");
  }
  return rc == AL_OK ? al_buf_str(b) : NULL;
}

/* curl's codes for "nothing answers there": the name does not resolve
 * (CURLE_COULDNT_RESOLVE_PROXY 5, _HOST 6), nothing listens (_CONNECT 7),
 * the TLS handshake or the certificate fails (SSL_CONNECT_ERROR 35,
 * PEER_FAILED_VERIFICATION 60). A server that answers badly is not one. */
static int nothing_there(int curl_code)
{
  return curl_code == 5 || curl_code == 6 || curl_code == 7 ||
         curl_code == 35 || curl_code == 60;
}

/* 1 when the finding is to be shown, 0 when it is one repeat too many. */
static int show_finding(struct text_ctx *c, const struct al_endpoint_result *er,
                        const struct al_probe_result *pr,
                        const struct al_finding *f)
{
  if (!c->groups)
    return 1;
  const char *key = finding_key(c->groups, er, pr, f);
  struct group *grp = key ? group_of(c->groups, key) : NULL;
  const struct al_response *res = pr ? pr->response : er->response;
  int dead = res && !res->received && res->interim_count == 0 &&
             nothing_there(res->curl_code) && f->rule_id &&
             strcmp(f->rule_id, "transport-error") == 0;
  if (!grp)
    return 1;
  if (!grp->rule) {
    const char *what = f->evidence && f->evidence[0] ? f->evidence : f->message;
    grp->rule = al_report_clean(c->report, f->rule_id,
                                f->rule_id ? strlen(f->rule_id) : 0, 1);
    grp->what = al_report_clean(c->report, what, what ? strlen(what) : 0, 1);
  }
  if (++grp->seen <= (dead ? SHOW_UNREACHED : SHOW_REPEATS))
    return 1;
  grp->hidden++;
  return 0;
}

static struct groups *groups_new(void)
{
  struct groups *g = calloc(1, sizeof *g);
  if (!g)
    return NULL;
  g->table = calloc(TABLE_SIZE, sizeof *g->table);
  g->order = calloc(MAX_GROUPS, sizeof *g->order);
  if (!g->table || !g->order) {
    free(g->table);
    free(g->order);
    free(g);
    return NULL;
  }
  al_buf_init(&g->scratch);
  return g;
}

static void groups_free(struct groups *g)
{
  if (!g)
    return;
  for (size_t i = 0; i < g->used; i++) {
    struct group *grp = &g->table[g->order[i]];
    free(grp->key);
    free(grp->rule);
    free(grp->what);
  }
  for (size_t i = 0; i < g->nhosts; i++) {
    free(g->hosts[i].origin);
    free(g->hosts[i].reason);
  }
  al_buf_cleanup(&g->scratch);
  free(g->table);
  free(g->order);
  free(g);
}

/* 1,997 */
static enum al_code put_count(struct al_buf *out, size_t n)
{
  char digits[32];
  int len = snprintf(digits, sizeof digits, "%zu", n);
  enum al_code rc = AL_OK;
  for (int i = 0; rc == AL_OK && i < len; i++) {
    if (i > 0 && (len - i) % 3 == 0)
      rc = al_buf_append_char(out, ',');
    if (rc == AL_OK)
      rc = al_buf_append_char(out, digits[i]);
  }
  return rc;
}

/* The end of the report: how many repeats were not shown, and each host
 * where nothing answered, with curl's reason. */
static enum al_code put_groups(struct text_ctx *c)
{
  struct groups *g = c->groups;
  enum al_code rc = AL_OK;
  if (!g)
    return AL_OK;
  for (size_t i = 0; rc == AL_OK && i < g->used; i++) {
    const struct group *grp = &g->table[g->order[i]];
    if (grp->hidden == 0)
      continue;
    rc = al_buf_append_str(c->out, "... and ");
    if (rc == AL_OK)
      rc = put_count(c->out, grp->hidden);
    if (rc == AL_OK)
      rc =
          al_buf_printf(c->out,
                        " more %s with the same finding [%s]: %s (-v shows "
                        "them; the JSON and JUnit reports list every one)\n",
                        grp->hidden == 1 ? "endpoint" : "endpoints",
                        grp->rule ? grp->rule : "", grp->what ? grp->what : "");
  }
  for (size_t i = 0; rc == AL_OK && i < g->nhosts; i++) {
    const struct host *h = &g->hosts[i];
    if (h->unreached == 0 || h->unreached < h->total)
      continue;
    rc = al_buf_append_str(c->out, "nothing answered at ");
    if (rc == AL_OK)
      rc = put_str(c, h->origin);
    if (rc == AL_OK)
      rc = al_buf_append_str(c->out, " (");
    if (rc == AL_OK)
      rc = put_count(c->out, h->total);
    if (rc == AL_OK)
      rc = al_buf_printf(c->out, " %s): %s\n",
                         h->total == 1 ? "endpoint" : "endpoints",
                         h->reason ? h->reason : "no response");
  }
  return rc;
}

/* The finding lines (and evidence) of the endpoint's own results, or of
 * probe entry 'pr' when it is not NULL. */
static enum al_code put_findings(struct text_ctx *c, const struct al_spec *spec,
                                 const struct al_endpoint_result *er,
                                 const struct al_probe_result *pr)
{
  const struct al_rule_result *results = pr ? pr->results : er->results;
  size_t count = pr ? pr->result_count : er->result_count;
  enum al_code rc = AL_OK;
  for (size_t i = 0; rc == AL_OK && i < count; i++) {
    const struct al_rule_result *rr = &results[i];
    for (size_t k = 0; rc == AL_OK && k < rr->finding_count; k++) {
      const struct al_finding *f = &rr->findings[k];
      if (!show_finding(c, er, pr, f))
        continue;
      c->shown++;
      rc = pr ? al_report_probe_finding_line(c->out, c->report, spec, er, pr, f,
                                             c->opts->color)
              : al_report_finding_line(c->out, c->report, spec, er, f,
                                       c->opts->color);
      if (rc == AL_OK)
        rc = al_buf_append_char(c->out, '\n');
      if (rc == AL_OK && !c->opts->quiet)
        rc = put_evidence(c, f);
    }
  }
  return rc;
}

/* One indented line per probe entry:
 *   probe head: HEAD /users -> 200 OK (3 ms)
 *   probe rate-limit: 50 x GET /users -> 200 x43, 429 x7
 *   probe conditional: not sent: NOTE */
static enum al_code put_probe_head(struct text_ctx *c,
                                   const struct al_probe_result *pr)
{
  enum al_code rc = al_buf_append_str(c->out, "  probe ");
  if (rc == AL_OK)
    rc = put_str(c, pr->probe);
  if (rc == AL_OK)
    rc = al_buf_append_str(c->out, ": ");
  if (rc != AL_OK)
    return rc;
  if (pr->note) {
    rc = al_buf_append_str(c->out, "not sent: ");
    if (rc == AL_OK)
      rc = put_str(c, pr->note);
    if (rc == AL_OK)
      rc = al_buf_append_char(c->out, '\n');
    return rc;
  }
  rc = put_str(c, pr->sent);
  if (rc == AL_OK)
    rc = al_buf_append_str(c->out, " -> ");
  if (rc != AL_OK)
    return rc;
  if (pr->statuses) {
    /* A burst: what all its answers were, not one time. */
    rc = put_str(c, pr->statuses);
  } else {
    if (al_report_probe_reached(pr))
      rc = put_status(c, pr->response);
    else
      rc = al_buf_printf(c->out, "%sno response%s", color(c, RED),
                         color(c, RESET));
    if (rc == AL_OK && pr->response)
      rc = al_buf_printf(c->out, " (%.0f ms)", pr->response->elapsed_ms);
  }
  if (rc == AL_OK)
    rc = al_buf_append_char(c->out, '\n');
  return rc;
}

/* A body past the read limit is no failure of the server's: one note that
 * the checks judged its start. */
static enum al_code put_prefix_note(struct text_ctx *c,
                                    const struct al_response *res)
{
  if (!res || !res->body_limit_hit)
    return AL_OK;
  return al_buf_printf(c->out,
                       "  note: the body is longer than the %llu byte read "
                       "limit; apilint stopped reading and judged the part "
                       "it read\n",
                       (unsigned long long)res->read_limit);
}

/* Probe entries i..j-1 that were all not sent for the same reason, on one
 * line: "  probe head, options, cors: not sent: NOTE". Sets '*end' to j. */
static enum al_code put_probe_notes(struct text_ctx *c,
                                    const struct al_endpoint_result *er,
                                    size_t i, size_t *end)
{
  const char *note = er->probes[i].note;
  size_t j = i + 1;
  while (j < er->probe_count && er->probes[j].note &&
         strcmp(er->probes[j].note, note) == 0)
    j++;
  *end = j;
  enum al_code rc = al_buf_append_str(c->out, "  probe ");
  for (size_t k = i; rc == AL_OK && k < j; k++) {
    if (k > i)
      rc = al_buf_append_str(c->out, ", ");
    if (rc == AL_OK)
      rc = put_str(c, er->probes[k].probe);
  }
  if (rc == AL_OK)
    rc = al_buf_append_str(c->out, ": not sent: ");
  if (rc == AL_OK)
    rc = put_str(c, note);
  if (rc == AL_OK)
    rc = al_buf_append_char(c->out, '\n');
  return rc;
}

static enum al_code put_endpoint(struct text_ctx *c, const struct al_spec *spec,
                                 const struct al_endpoint_result *er)
{
  enum al_code rc = AL_OK;
  size_t start = c->out->len;
  size_t shown_before = c->shown;
  if (c->groups)
    note_host(c, er);
  if (!c->opts->quiet)
    rc = put_endpoint_head(c, er);
  if (rc == AL_OK && c->opts->verbose && !c->opts->quiet)
    rc = put_heads(c, er->request, er->response);
  if (rc == AL_OK && !c->opts->quiet)
    rc = put_prefix_note(c, er->response);
  if (rc == AL_OK)
    rc = put_findings(c, spec, er, NULL);
  /* The probes' extra requests come after the endpoint's own, each with
   * what it sent and got, then its findings. */
  for (size_t i = 0; rc == AL_OK && i < er->probe_count;) {
    const struct al_probe_result *pr = &er->probes[i];
    if (pr->note) {
      size_t next = i + 1;
      if (!c->opts->quiet)
        rc = put_probe_notes(c, er, i, &next);
      i = next;
      continue;
    }
    if (!c->opts->quiet)
      rc = put_probe_head(c, pr);
    if (rc == AL_OK && c->opts->verbose && !c->opts->quiet)
      rc = put_heads(c, pr->request, pr->response);
    if (rc == AL_OK)
      rc = put_findings(c, spec, er, pr);
    i++;
  }
  /* An endpoint that got no answer and whose every finding was a repeat
   * says nothing new: its lines go, and the end of the report counts it
   * ("nothing answered at ..."). */
  if (rc == AL_OK && c->groups && !al_report_reached(er) &&
      c->shown == shown_before) {
    c->out->len = start;
    if (c->out->data)
      c->out->data[start] = '\0';
  }
  return rc;
}

static const char *plural(size_t n, const char *word, const char *words)
{
  return n == 1 ? word : words;
}

/* 12 endpoints, 3 errors, 2 warnings, 1 info[, 2 unreachable][, 9 probe
 * requests] */
static enum al_code put_summary(struct text_ctx *c)
{
  const struct al_report_summary *sp = &c->report->summary;
  const struct al_report_summary s = *sp;
  enum al_code rc =
      al_buf_printf(c->out, "%zu %s, %zu %s, %zu %s, %zu %s", s.endpoints,
                    plural(s.endpoints, "endpoint", "endpoints"), s.errors,
                    plural(s.errors, "error", "errors"), s.warnings,
                    plural(s.warnings, "warning", "warnings"), s.infos,
                    plural(s.infos, "info", "infos"));
  if (rc == AL_OK && s.transport_errors > 0)
    rc = al_buf_printf(c->out, ", %zu unreachable", s.transport_errors);
  if (rc == AL_OK && s.probe_requests > 0)
    rc = al_buf_printf(
        c->out, ", %zu %s", s.probe_requests,
        plural(s.probe_requests, "probe request", "probe requests"));
  if (rc == AL_OK && c->report->baseline)
    rc =
        al_buf_printf(c->out, ", %zu suppressed by the baseline", s.suppressed);
  if (rc == AL_OK && c->report->interrupted)
    rc = al_buf_printf(c->out, " (interrupted: %zu of %zu endpoints done)",
                       s.endpoints, c->report->planned);
  if (rc == AL_OK)
    rc = al_buf_append_char(c->out, '\n');
  return rc;
}

/* An entry may leave out what is only there to read. */
static const char *or_unknown(const char *s)
{
  return s && s[0] ? s : "?";
}

/* "  base.yaml:7: server-error GET /users (probe head) [99f755e74d9107b8]" */
static enum al_code put_entry_line(struct text_ctx *c, const char *lead,
                                   const struct al_baseline_entry *e)
{
  struct al_buf raw;
  al_buf_init(&raw);
  enum al_code rc = al_buf_printf(
      &raw, "%s%s:%d: %s %s %s%s%s%s [%s]", lead,
      al_baseline_path(c->report->baseline), e->line, or_unknown(e->rule),
      or_unknown(e->method), or_unknown(e->path), e->probe[0] ? " (probe " : "",
      e->probe, e->probe[0] ? ")" : "", e->fingerprint);
  /* al_buf_printf put the pieces together; cleaning masks and makes the
   * line safe as a whole. */
  if (rc == AL_OK)
    rc =
        al_report_append_clean(c->out, c->report, al_buf_str(&raw), raw.len, 1);
  al_buf_cleanup(&raw);
  return rc == AL_OK ? al_buf_append_char(c->out, '\n') : rc;
}

/* After the summary, what the baseline file needs: entries that matched
 * after their expiry, and entries that no longer occur (to prune). */
static enum al_code put_baseline(struct text_ctx *c)
{
  const struct al_baseline *b = c->report->baseline;
  enum al_code rc = AL_OK;
  if (!b)
    return AL_OK;
  for (size_t i = 0; rc == AL_OK && i < b->count; i++) {
    const struct al_baseline_entry *e = &b->entries[i];
    if (!e->expired || !e->matched)
      continue;
    rc = al_buf_printf(c->out,
                       "baseline: entry expired on %s, its findings "
                       "fail again:\n",
                       e->expires);
    if (rc == AL_OK)
      rc = put_entry_line(c, "  ", e);
  }
  size_t gone = al_baseline_unmatched(b);
  if (rc != AL_OK || gone == 0)
    return rc;
  if (c->report->interrupted || c->report->shard_total)
    return al_buf_printf(c->out,
                         "baseline: not judged which entries no longer occur "
                         "(%s)\n",
                         c->report->interrupted
                             ? "the run was interrupted"
                             : "one shard; apilint merge --baseline judges");
  rc = al_buf_printf(c->out,
                     "baseline: %zu %s no longer %s (remove %s, or rewrite "
                     "the file with --write-baseline):\n",
                     gone, gone == 1 ? "entry" : "entries",
                     gone == 1 ? "occurs" : "occur", gone == 1 ? "it" : "them");
  for (size_t i = 0; rc == AL_OK && i < b->count; i++)
    if (!b->entries[i].matched)
      rc = put_entry_line(c, "  ", &b->entries[i]);
  return rc;
}

static enum al_code flush_buf(FILE *out, struct al_buf *b)
{
  if (b->len > 0 && fwrite(b->data, 1, b->len, out) != b->len)
    return AL_E_IO;
  al_buf_reset(b);
  /* Each endpoint's lines go out as soon as they are made: a person
   * watching a long run sees findings as they come. */
  if (fflush(out) != 0)
    return AL_E_IO;
  return AL_OK;
}

/* The reporter's state for one run. */
struct text_state {
  struct text_ctx c;
  FILE *out; /* borrowed */
  struct al_redactor empty;
  struct al_buf buf;
};

static enum al_code text_begin(FILE *out, const struct al_report *report,
                               const struct al_report_opts *opts, void **state)
{
  struct text_state *t = calloc(1, sizeof *t);
  if (!t)
    return AL_E_NOMEM;
  al_redactor_init(&t->empty);
  al_buf_init(&t->buf);
  t->out = out;
  t->c.report = report;
  t->c.opts = opts;
  t->c.redactor = report->redactor ? report->redactor : &t->empty;
  t->c.out = &t->buf;
  *state = t;
  /* -v shows every repeat; so does a collected report with nothing to
   * group. */
  if (!opts->verbose && !(t->c.groups = groups_new()))
    return AL_E_NOMEM;
  return AL_OK;
}

static enum al_code text_endpoint(void *state,
                                  const struct al_report_item *item)
{
  struct text_state *t = state;
  enum al_code rc = put_endpoint(&t->c, item->spec, item->result);
  if (rc == AL_OK)
    rc = flush_buf(t->out, &t->buf);
  return rc;
}

static enum al_code text_end(void *state)
{
  struct text_state *t = state;
  enum al_code rc = put_groups(&t->c);
  if (rc == AL_OK && !t->c.opts->quiet)
    rc = put_summary(&t->c);
  if (rc == AL_OK && !t->c.opts->quiet)
    rc = put_baseline(&t->c);
  if (rc == AL_OK)
    rc = flush_buf(t->out, &t->buf);
  if (rc == AL_OK && ferror(t->out))
    rc = AL_E_IO;
  return rc;
}

static void text_free(void *state)
{
  struct text_state *t = state;
  if (!t)
    return;
  groups_free(t->c.groups);
  al_buf_cleanup(&t->buf);
  al_redactor_cleanup(&t->empty);
  free(t);
}

const struct al_reporter_ops al_reporter_text = {
    "text", text_begin, text_endpoint, text_end, text_free,
};

/* The whole-report signature (report.h): a collected report replayed
 * through this reporter. Here, not in report.c, so report.c never names a
 * reporter (no report <-> report_* cycle). */
enum al_code al_report_write_text(FILE *out, const struct al_report *report,
                                  const struct al_report_opts *opts)
{
  return al_report_replay(&al_reporter_text, out, report, opts);
}
