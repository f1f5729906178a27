/* report_sarif.c - the SARIF 2.1.0 report (OASIS, "Static Analysis Results
 * Interchange Format Version 2.1.0", 2020), which GitHub code scanning and
 * other CI dashboards read: one run, every rule of the ruleset as a
 * reportingDescriptor (summary, explain text, level and source), one
 * result per finding - probe findings included - located at the spec file
 * (relative to the working directory) and the endpoint's line, carrying
 * the finding's fingerprint in partialFingerprints so an alert is tracked
 * across runs, and a baseline's suppression when one covers it.
 *
 * It streams like the JSON report: the rules are known before the first
 * request, so the head (tool, rules) is written at begin, each endpoint's
 * results as it is handed over, and what is known only at the end
 * (invocation, baseline summary) after the results: JSON objects have no
 * order, so SARIF readers do not mind. */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"
#include "jsonw.h"
#include "request.h"
#include "ruleset.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SRCROOT "%SRCROOT%"

struct sarif_state {
  FILE *out; /* borrowed */
  const struct al_report *report;
  char *cwd;         /* owned; absolute, no trailing '/'; NULL = unknown */
  char *last_file;   /* owned; the spec file 'last_uri' is for */
  char *last_uri;    /* owned; its artifact URI */
  int last_relative; /* 'last_uri' is relative to %SRCROOT% */
  size_t results;    /* written so far */
  struct al_buf buf; /* one part's text, reused */
};

/* ---- artifact locations ---- */

/* Appends 's' percent-encoded as a URI path (RFC 3986 §3.3: unreserved,
 * sub-delims, ':', '@' and '/' as they are, every other byte %XX). */
static enum al_code put_uri_path(struct al_buf *b, const char *s)
{
  static const char hex[] = "0123456789ABCDEF";
  static const char keep[] = "-._~!$&'()*+,;=:@/";
  enum al_code rc = AL_OK;
  for (; *s && rc == AL_OK; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || (c && strchr(keep, c)))
      rc = al_buf_append_char(b, (char)c);
    else
      rc = al_buf_printf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
  }
  return rc;
}

/* 'path' made absolute against 'cwd' and its "." and ".." segments
 * resolved as text (no symlink is followed: the report names the file
 * the way the user did). A new string, or NULL on OOM. */
static char *absolute_path(const char *cwd, const char *path)
{
  struct al_buf in, out;
  al_buf_init(&in);
  al_buf_init(&out);
  if ((path[0] != '/' && (al_buf_append_str(&in, cwd) != AL_OK ||
                          al_buf_append_char(&in, '/') != AL_OK)) ||
      al_buf_append_str(&in, path) != AL_OK) {
    al_buf_cleanup(&in);
    return NULL;
  }
  enum al_code rc = AL_OK;
  const char *p = al_buf_str(&in);
  while (*p && rc == AL_OK) {
    while (*p == '/')
      p++;
    size_t n = strcspn(p, "/");
    if (n == 0)
      break;
    if (n == 1 && p[0] == '.') {
      /* stays here */
    } else if (n == 2 && p[0] == '.' && p[1] == '.') {
      char *slash = out.data ? strrchr(out.data, '/') : NULL;
      if (slash) {
        out.len = (size_t)(slash - out.data);
        *slash = '\0';
      }
    } else if ((rc = al_buf_append_char(&out, '/')) == AL_OK) {
      rc = al_buf_append(&out, p, n);
    }
    p += n;
  }
  al_buf_cleanup(&in);
  if (rc == AL_OK && out.len == 0)
    rc = al_buf_append_char(&out, '/');
  if (rc != AL_OK) {
    al_buf_cleanup(&out);
    return NULL;
  }
  return al_buf_detach(&out);
}

/* The artifact URI of spec file 'file': relative to %SRCROOT% (the working
 * directory) when it is inside it, else an absolute file: URI; a URL (the
 * "spec" of `apilint check URL`) is itself. Cached for the last file:
 * results come grouped by spec. Returns AL_OK or AL_E_NOMEM. */
static enum al_code artifact(struct sarif_state *s, const char *file)
{
  if (s->last_file && strcmp(s->last_file, file) == 0)
    return AL_OK;
  free(s->last_file);
  free(s->last_uri);
  s->last_uri = NULL;
  if (!(s->last_file = al_strdup(file)))
    return AL_E_NOMEM;
  struct al_buf b;
  al_buf_init(&b);
  enum al_code rc = AL_OK;
  s->last_relative = 0;
  if (strstr(file, "://")) {
    rc = al_buf_append_str(&b, file); /* cleaned (masked) when written */
  } else {
    char *abs = absolute_path(s->cwd ? s->cwd : "/", file);
    size_t n = s->cwd ? strlen(s->cwd) : 0;
    if (!abs)
      rc = AL_E_NOMEM;
    else if (s->cwd && strncmp(abs, s->cwd, n) == 0 && abs[n] == '/' &&
             abs[n + 1]) {
      s->last_relative = 1;
      rc = put_uri_path(&b, abs + n + 1);
    } else if ((rc = al_buf_append_str(&b, "file://")) == AL_OK) {
      rc = put_uri_path(&b, abs);
    }
    free(abs);
  }
  if (rc == AL_OK && !(s->last_uri = al_buf_detach(&b)))
    rc = AL_E_NOMEM;
  al_buf_cleanup(&b);
  return rc;
}

/* The working directory as a file: URI with the trailing slash SARIF
 * wants for a base (§3.14.14). */
static enum al_code put_srcroot(struct al_jw *w, const char *cwd)
{
  struct al_buf b;
  al_buf_init(&b);
  enum al_code rc = al_buf_append_str(&b, "file://");
  if (rc == AL_OK)
    rc = put_uri_path(&b, cwd);
  if (rc == AL_OK && strcmp(cwd, "/") != 0)
    rc = al_buf_append_char(&b, '/');
  if (rc == AL_OK) {
    al_jw_key(w, "originalUriBaseIds");
    al_jw_open(w, 1);
    al_jw_key(w, SRCROOT);
    al_jw_open(w, 1);
    al_jw_key(w, "uri");
    al_jw_string(w, al_buf_str(&b));
    al_jw_close(w);
    al_jw_close(w);
  }
  al_buf_cleanup(&b);
  return rc;
}

/* ---- rules ---- */

static const char *sarif_level(enum al_severity sev)
{
  switch (sev) {
  case AL_SEV_ERROR:
    return "error";
  case AL_SEV_WARNING:
    return "warning";
  case AL_SEV_INFO:
    return "note";
  default:
    return "none";
  }
}

/* The member "name": "error-body-on-success" -> "ErrorBodyOnSuccess",
 * SARIF's readable identifier of a rule (§3.49.7). */
static void put_rule_name(struct al_jw *w, const char *id)
{
  struct al_buf b;
  al_buf_init(&b);
  int up = 1;
  enum al_code rc = AL_OK;
  for (const char *p = id; *p && rc == AL_OK; p++) {
    if (*p == '-' || *p == '_' || *p == '.') {
      up = 1;
      continue;
    }
    char c = *p;
    if (up && c >= 'a' && c <= 'z')
      c = (char)(c - 'a' + 'A');
    up = 0;
    rc = al_buf_append_char(&b, c);
  }
  /* A one-word id ("expectation") would give a name that only differs in
   * case, which SARIF readers take for the id itself (multitool SARIF1001):
   * then there is no name. */
  if (rc == AL_OK && !al_strcaseeq(al_buf_str(&b), id)) {
    al_jw_key(w, "name");
    al_jw_text(w, al_buf_str(&b));
  } else if (rc != AL_OK && w->rc == AL_OK) {
    w->rc = rc;
  }
  al_buf_cleanup(&b);
}

/* The help text: the rule's explanation, then where it comes from and
 * where to read more. */
static void put_help(struct al_jw *w, const struct al_rule *r)
{
  struct al_buf b;
  al_buf_init(&b);
  enum al_code rc =
      al_buf_append_str(&b, r->explain[0] ? r->explain : r->summary);
  if (rc == AL_OK && b.len && b.data[b.len - 1] != '\n')
    rc = al_buf_append_char(&b, '\n');
  if (rc == AL_OK && r->level[0])
    rc = al_buf_printf(&b, "\nLevel: %s.", r->level);
  if (rc == AL_OK && r->source[0])
    rc =
        al_buf_printf(&b, "%sSource: %s.", r->level[0] ? " " : "\n", r->source);
  if (rc == AL_OK)
    rc = al_buf_printf(
        &b, "\nExamples that fire and pass: `apilint explain %s`.", r->id);
  al_jw_open(w, 1);
  al_jw_key(w, "text");
  if (rc == AL_OK)
    al_jw_text(w, al_buf_str(&b));
  else if (w->rc == AL_OK)
    w->rc = rc;
  al_jw_close(w);
  al_buf_cleanup(&b);
}

static void put_message(struct al_jw *w, const char *text)
{
  al_jw_open(w, 1);
  al_jw_key(w, "text");
  al_jw_text(w, text);
  al_jw_close(w);
}

static void put_rule(struct al_jw *w, const struct al_rule *r)
{
  al_jw_open(w, 1);
  al_jw_key(w, "id");
  al_jw_text(w, r->id);
  put_rule_name(w, r->id);
  al_jw_key(w, "shortDescription");
  put_message(w, r->summary);
  al_jw_key(w, "fullDescription");
  put_message(w, r->explain[0] ? r->explain : r->summary);
  al_jw_key(w, "help");
  put_help(w, r);
  al_jw_key(w, "defaultConfiguration");
  al_jw_open(w, 1);
  al_jw_key(w, "enabled");
  al_jw_bool(w, r->enabled);
  al_jw_key(w, "level");
  al_jw_string(w, sarif_level(r->severity));
  al_jw_close(w);
  al_jw_key(w, "properties");
  al_jw_open(w, 1);
  al_jw_key(w, "level");
  al_jw_text(w, r->level);
  al_jw_key(w, "source");
  al_jw_text(w, r->source);
  al_jw_key(w, "origin");
  al_jw_text(w, r->origin);
  al_jw_close(w);
  al_jw_close(w);
}

/* ---- results ---- */

/* "physicalLocation": {"artifactLocation": {"uri": URI[, "uriBaseId"]},
 * left open for a region. */
static void open_physical(struct al_jw *w, const char *uri, int relative)
{
  al_jw_key(w, "physicalLocation");
  al_jw_open(w, 1);
  al_jw_key(w, "artifactLocation");
  al_jw_open(w, 1);
  al_jw_key(w, "uri");
  al_jw_string(w, uri);
  if (relative) {
    al_jw_key(w, "uriBaseId");
    al_jw_string(w, SRCROOT);
  }
  al_jw_close(w);
}

static void put_location(struct al_jw *w, const struct sarif_state *s,
                         const struct al_endpoint_result *er)
{
  const struct al_endpoint *ep = er->endpoint;
  al_jw_open(w, 0);
  al_jw_open(w, 1);
  open_physical(w, s->last_uri, s->last_relative);
  /* Line 0: a spec made in memory (apilint check URL) has no position. */
  if (ep && ep->line > 0) {
    al_jw_key(w, "region");
    al_jw_open(w, 1);
    al_jw_key(w, "startLine");
    al_jw_count(w, (size_t)ep->line);
    if (ep->col > 0) {
      al_jw_key(w, "startColumn");
      al_jw_count(w, (size_t)ep->col);
    }
    al_jw_close(w);
  }
  al_jw_close(w);
  al_jw_key(w, "logicalLocations");
  al_jw_open(w, 0);
  al_jw_open(w, 1);
  al_jw_key(w, "name");
  al_jw_text(w, al_report_endpoint_name(er));
  al_jw_key(w, "kind");
  al_jw_string(w, "member"); /* an operation of the API (§3.33.7) */
  al_jw_close(w);
  al_jw_close(w);
  al_jw_close(w);
  al_jw_close(w);
}

/* "get user: MESSAGE" or "get user: probe head (HEAD /u): MESSAGE". */
static void put_result_message(struct al_jw *w,
                               const struct al_endpoint_result *er,
                               const struct al_probe_result *pr,
                               const struct al_finding *f)
{
  struct al_buf b;
  al_buf_init(&b);
  enum al_code rc = al_buf_printf(&b, "%s: ", al_report_endpoint_name(er));
  if (rc == AL_OK && pr)
    rc = al_buf_printf(&b, "probe %s%s%s%s: ", pr->probe ? pr->probe : "",
                       pr->sent && pr->sent[0] ? " (" : "",
                       pr->sent ? pr->sent : "",
                       pr->sent && pr->sent[0] ? ")" : "");
  if (rc == AL_OK)
    rc = al_buf_append_str(&b, f->message ? f->message : "");
  if (rc == AL_OK)
    put_message(w, al_buf_str(&b));
  else if (w->rc == AL_OK)
    w->rc = rc;
  al_buf_cleanup(&b);
}

/* How a baseline judged the finding (SARIF §3.27.23 suppressions, §3.27.24
 * baselineState); nothing when no baseline is in effect. */
static void put_baseline_state(struct al_jw *w, const struct al_report *rep,
                               const struct al_finding *f)
{
  if (!rep->baseline)
    return;
  int known = f->suppressed || f->baseline_expired;
  al_jw_key(w, "baselineState");
  al_jw_string(w, known ? "unchanged" : "new");
  /* An empty list says "looked, none applies" (§3.27.23). */
  al_jw_key(w, "suppressions");
  al_jw_open(w, 0);
  if (f->suppressed) {
    al_jw_open(w, 1);
    al_jw_key(w, "kind");
    al_jw_string(w, "external");
    al_jw_key(w, "status");
    al_jw_string(w, "accepted");
    al_jw_key(w, "justification");
    al_jw_text(w, f->baseline_reason ? f->baseline_reason
                                     : "recorded in the baseline");
    al_jw_key(w, "location");
    al_jw_open(w, 1);
    open_physical(w, al_baseline_path(rep->baseline), 0);
    al_jw_close(w);
    al_jw_close(w);
    al_jw_close(w);
  }
  al_jw_close(w);
}

static void put_result(struct al_jw *w, const struct sarif_state *s,
                       const struct al_endpoint_result *er,
                       const struct al_probe_result *pr,
                       const struct al_finding *f)
{
  const struct al_report *rep = s->report;
  long index = rep->ruleset ? al_ruleset_index(rep->ruleset, f->rule_id) : -1;
  al_jw_open(w, 1);
  al_jw_key(w, "ruleId");
  al_jw_text(w, f->rule_id);
  if (index >= 0) {
    al_jw_key(w, "ruleIndex");
    al_jw_count(w, (size_t)index);
  }
  al_jw_key(w, "level");
  al_jw_string(w, sarif_level(f->severity));
  al_jw_key(w, "message");
  put_result_message(w, er, pr, f);
  al_jw_key(w, "locations");
  put_location(w, s, er);
  if (f->fingerprint[0]) {
    al_jw_key(w, "partialFingerprints");
    al_jw_open(w, 1);
    al_jw_key(w, AL_FINGERPRINT_KEY);
    al_jw_string(w, f->fingerprint);
    al_jw_close(w);
  }
  put_baseline_state(w, rep, f);
  al_jw_key(w, "properties");
  al_jw_open(w, 1);
  al_jw_key(w, "endpoint");
  al_jw_text(w, al_report_endpoint_name(er));
  al_jw_key(w, "method");
  al_jw_text(w, al_report_endpoint_method(er));
  al_jw_key(w, "url");
  al_jw_text(w, al_report_endpoint_url(er));
  al_jw_key(w, "severity");
  al_jw_string(w, al_severity_name(f->severity));
  al_jw_key(w, "level");
  al_jw_text(w, f->level);
  al_jw_key(w, "source");
  al_jw_text(w, f->source);
  al_jw_key(w, "evidence");
  al_jw_text(w, f->evidence);
  al_jw_key(w, "failing");
  al_jw_bool(w, al_report_fails(rep, f));
  if (pr) {
    al_jw_key(w, "probe");
    al_jw_text(w, pr->probe);
    al_jw_key(w, "probeSent");
    al_jw_text(w, pr->sent);
  }
  if (f->baseline_expired) {
    al_jw_key(w, "baselineExpired");
    al_jw_text(w, f->baseline_expired);
  }
  al_jw_close(w);
  al_jw_close(w);
}

static void put_results(struct al_jw *w, struct sarif_state *s,
                        const struct al_endpoint_result *er,
                        const struct al_probe_result *pr,
                        const struct al_rule_result *results, size_t n)
{
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < results[i].finding_count; k++) {
      if (s->results++)
        al_jw_put(w, ", ", 2);
      put_result(w, s, er, pr, &results[i].findings[k]);
    }
}

/* ---- the reporter ---- */

static enum al_code flush_part(struct sarif_state *s, enum al_code rc)
{
  if (rc == AL_OK && s->buf.len &&
      fwrite(s->buf.data, 1, s->buf.len, s->out) != s->buf.len)
    rc = AL_E_IO;
  al_buf_reset(&s->buf);
  return rc;
}

static char *current_dir(void)
{
  size_t size = 256;
  for (int tries = 0; tries < 8; tries++, size *= 4) {
    char *buf = malloc(size);
    if (!buf)
      return NULL;
    if (getcwd(buf, size))
      return buf;
    free(buf);
    if (errno != ERANGE)
      return NULL;
  }
  return NULL;
}

static enum al_code sarif_begin(FILE *out, const struct al_report *report,
                                const struct al_report_opts *opts, void **state)
{
  (void)opts;
  struct sarif_state *s = calloc(1, sizeof *s);
  if (!s)
    return AL_E_NOMEM;
  s->out = out;
  s->report = report;
  al_buf_init(&s->buf);
  *state = s;
  s->cwd = current_dir(); /* NULL: every location becomes a file: URI */
  struct al_jw w;
  /* Depth 0 is runs[0]'s members: the two outer levels are written here. */
  al_jw_init(&w, &s->buf, report, 2);
  al_jw_puts(&w, "{\n\t\"$schema\":\t\"" SARIF_SCHEMA "\",\n"
                 "\t\"version\":\t\"2.1.0\",\n"
                 "\t\"runs\":\t[");
  al_jw_open(&w, 1);
  al_jw_key(&w, "tool");
  al_jw_open(&w, 1);
  al_jw_key(&w, "driver");
  al_jw_open(&w, 1);
  al_jw_key(&w, "name");
  al_jw_string(&w, "apilint");
  al_jw_key(&w, "version");
  al_jw_string(&w, AL_VERSION);
  al_jw_key(&w, "semanticVersion");
  al_jw_string(&w, AL_VERSION);
  al_jw_key(&w, "rules");
  al_jw_open(&w, 0);
  for (size_t i = 0; report->ruleset && i < report->ruleset->count; i++)
    put_rule(&w, &report->ruleset->rules[i]);
  al_jw_close(&w);
  al_jw_close(&w);
  al_jw_close(&w);
  /* libyaml counts columns in characters. */
  al_jw_key(&w, "columnKind");
  al_jw_string(&w, "unicodeCodePoints");
  if (s->cwd && put_srcroot(&w, s->cwd) != AL_OK && w.rc == AL_OK)
    w.rc = AL_E_NOMEM;
  al_jw_key(&w, "results");
  al_jw_put(&w, "[", 1);
  return flush_part(s, w.rc);
}

static enum al_code sarif_endpoint(void *state,
                                   const struct al_report_item *item)
{
  struct sarif_state *s = state;
  const struct al_endpoint_result *er = item->result;
  enum al_code rc = artifact(s, al_endpoint_file(item->spec, er->endpoint));
  if (rc != AL_OK)
    return rc;
  struct al_jw w;
  al_jw_init(&w, &s->buf, s->report, 4);
  put_results(&w, s, er, NULL, er->results, er->result_count);
  for (size_t p = 0; p < er->probe_count; p++)
    put_results(&w, s, er, &er->probes[p], er->probes[p].results,
                er->probes[p].result_count);
  return flush_part(s, w.rc);
}

static void put_notification(struct al_jw *w, const char *level,
                             const char *text)
{
  al_jw_open(w, 1);
  al_jw_key(w, "level");
  al_jw_string(w, level);
  al_jw_key(w, "message");
  put_message(w, text);
  al_jw_close(w);
}

/* The invocation: when, whether it ran to its end, and what a reader of
 * the results must know (an interrupted run, unverified TLS). */
static void put_invocation(struct al_jw *w, const struct al_report *rep)
{
  char ended[32] = "";
  time_t now = time(NULL);
  struct tm tm;
  if (gmtime_r(&now, &tm))
    strftime(ended, sizeof ended, "%Y-%m-%dT%H:%M:%SZ", &tm);
  al_jw_open(w, 0);
  al_jw_open(w, 1);
  al_jw_key(w, "executionSuccessful");
  al_jw_bool(w, !rep->interrupted);
  if (rep->started[0]) {
    al_jw_key(w, "startTimeUtc");
    al_jw_string(w, rep->started);
  }
  if (ended[0]) {
    al_jw_key(w, "endTimeUtc");
    al_jw_string(w, ended);
  }
  if (rep->interrupted || rep->tls_unverified) {
    char text[160];
    al_jw_key(w, "toolExecutionNotifications");
    al_jw_open(w, 0);
    if (rep->interrupted) {
      snprintf(text, sizeof text,
               "interrupted by %s: %zu of %zu endpoints done",
               rep->interrupted == 15 ? "SIGTERM" : "SIGINT",
               rep->summary.endpoints, rep->planned);
      put_notification(w, "error", text);
    }
    if (rep->tls_unverified)
      put_notification(w, "warning",
                       "TLS certificates are not verified (--insecure)");
    al_jw_close(w);
  }
  al_jw_close(w);
  al_jw_close(w);
}

static enum al_code sarif_end(void *state)
{
  struct sarif_state *s = state;
  struct al_jw w;
  al_jw_init(&w, &s->buf, s->report, 2);
  al_jw_puts(&w, "],\n\t\t\t\"invocations\":\t");
  put_invocation(&w, s->report);
  al_jw_puts(&w, ",\n\t\t\t\"properties\":\t");
  al_jw_init(&w, &s->buf, s->report, 3);
  al_jw_open(&w, 1);
  al_jw_key(&w, "failing");
  al_jw_count(&w, s->report->summary.failing);
  al_jw_key(&w, "failOn");
  al_jw_string(&w, al_severity_name(s->report->fail_on));
  if (s->report->baseline)
    al_baseline_put_json(&w, s->report->baseline, s->report);
  al_jw_close(&w);
  enum al_code rc = w.rc;
  if (rc == AL_OK)
    rc = al_buf_append_str(&s->buf, "\n\t\t}]\n}\n");
  rc = flush_part(s, rc);
  if (rc == AL_OK && ferror(s->out))
    rc = AL_E_IO;
  return rc;
}

static void sarif_free(void *state)
{
  struct sarif_state *s = state;
  if (!s)
    return;
  al_buf_cleanup(&s->buf);
  free(s->cwd);
  free(s->last_file);
  free(s->last_uri);
  free(s);
}

const struct al_reporter_ops al_reporter_sarif = {
    "sarif", sarif_begin, sarif_endpoint, sarif_end, sarif_free,
};

/* The whole-report signature (report.h), as for the other reporters. */
enum al_code al_report_write_sarif(FILE *out, const struct al_report *report,
                                   const struct al_report_opts *opts)
{
  return al_report_replay(&al_reporter_sarif, out, report, opts);
}
