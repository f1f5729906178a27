/* report_html.c - the audit page (--html FILE, -f html): one self-contained
 * HTML5 document an auditor opens in a browser or prints. A summary by
 * severity and by rule (with inline SVG charts), an index of the
 * endpoints, every endpoint with its request, answer, the header fields the
 * rules read and its findings (evidence, level, source, the rule's summary
 * and a link to its explanation), then the explanation of every rule that
 * fired. A filter by severity and rule is a small inline script; without
 * script the page is whole and readable, and it has a print stylesheet.
 *
 * Nothing in the page loads anything: no external script, style, font or
 * image, and a Content-Security-Policy (default-src 'none', the one style
 * and script allowed by a nonce) keeps it so even if a server's bytes got
 * past the escaping. Every string is cleaned (secrets masked, valid UTF-8,
 * no control or bidi characters: al_report_clean) and then HTML-escaped.
 *
 * Streaming: the summary comes first in the page but is known only at the
 * end, so endpoint sections and index rows go to two unnamed temporary
 * files as endpoints come, and end() writes head, summary, index, details
 * and rule explanations in that order. Memory holds a few counters per rule
 * that fired, never the endpoints. */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"
#include "request.h"
#include "response.h"
#include "ruleset.h"

/* ---- an HTML writer with a sticky error ---- */

struct hw {
  struct al_buf *b;
  const struct al_report *report; /* for cleaning strings */
  enum al_code rc;                /* first failure; later calls do nothing */
};

static void hw_raw(struct hw *w, const char *s)
{
  if (w->rc == AL_OK)
    w->rc = al_buf_append_str(w->b, s);
}

static void hw_printf(struct hw *w, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void hw_printf(struct hw *w, const char *fmt, ...)
{
  va_list ap;
  if (w->rc != AL_OK)
    return;
  va_start(ap, fmt);
  w->rc = al_buf_vprintf(w->b, fmt, ap);
  va_end(ap);
}

/* The character reference for a byte that is markup in text or in a
 * quoted attribute, else NULL. */
static const char *entity(char c)
{
  switch (c) {
  case '&':
    return "&amp;";
  case '<':
    return "&lt;";
  case '>':
    return "&gt;";
  case '"':
    return "&quot;";
  case '\'':
    return "&#39;";
  default:
    return NULL;
  }
}

/* 'len' bytes of 's' (already clean) with markup escaped; plain runs are
 * copied at once. */
static void hw_escaped(struct hw *w, const char *s, size_t len)
{
  size_t run = 0;
  for (size_t i = 0; i < len && w->rc == AL_OK; i++) {
    const char *ref = entity(s[i]);
    if (!ref)
      continue;
    w->rc = al_buf_append(w->b, s + run, i - run);
    hw_raw(w, ref);
    run = i + 1;
  }
  if (w->rc == AL_OK)
    w->rc = al_buf_append(w->b, s + run, len - run);
}

/* 's' (NULL = "") cleaned (secrets masked, valid UTF-8, no controls) and
 * escaped: safe as text and inside a quoted attribute. */
static void hw_text(struct hw *w, const char *s)
{
  if (w->rc != AL_OK)
    return;
  size_t len = s ? strlen(s) : 0;
  const struct al_redactor *r = w->report ? w->report->redactor : NULL;
  if (!s || al_redact_is_plain(r, s, len)) {
    hw_escaped(w, s ? s : "", len);
    return;
  }
  char *clean = al_report_clean(w->report, s, len, 0);
  if (!clean) {
    w->rc = AL_E_NOMEM;
    return;
  }
  hw_escaped(w, clean, strlen(clean));
  free(clean);
}

/* ---- what the page counts ---- */

enum { SEV_ERROR, SEV_WARNING, SEV_INFO, SEV_SLOTS };

static const char *const slot_name[SEV_SLOTS] = {"error", "warning", "info"};
static const char *const slot_plural[SEV_SLOTS] = {"errors", "warnings",
                                                   "infos"};

/* The counter of a severity, or -1 for one that is not counted. */
static int slot_of(enum al_severity sev)
{
  switch (sev) {
  case AL_SEV_ERROR:
    return SEV_ERROR;
  case AL_SEV_WARNING:
    return SEV_WARNING;
  case AL_SEV_INFO:
    return SEV_INFO;
  default:
    return -1;
  }
}

/* One rule that fired: its findings by severity and on how many
 * endpoints. */
struct rule_stat {
  char *id; /* owned */
  size_t by_sev[SEV_SLOTS];
  size_t total;
  size_t endpoints;
  size_t last_endpoint; /* 1 + the endpoint that counted last; 0 = none */
};

struct html_state {
  FILE *out; /* borrowed */
  const struct al_report *report;
  FILE *details;           /* owned; the endpoint sections */
  FILE *index;             /* owned; the index rows */
  struct rule_stat *rules; /* owned */
  size_t rule_count, rule_cap;
  size_t seq;      /* endpoints so far */
  struct al_buf b; /* one part's markup at a time */
  char nonce[33];  /* the CSP nonce of the page's style and script */
};

static struct rule_stat *rule_stat_get(struct html_state *h, const char *id)
{
  for (size_t i = 0; i < h->rule_count; i++)
    if (strcmp(h->rules[i].id, id) == 0)
      return &h->rules[i];
  if (h->rule_count == h->rule_cap) {
    size_t cap = h->rule_cap ? 2 * h->rule_cap : 16;
    struct rule_stat *grown = realloc(h->rules, cap * sizeof *grown);
    if (!grown)
      return NULL;
    h->rules = grown;
    h->rule_cap = cap;
  }
  struct rule_stat *rs = &h->rules[h->rule_count];
  memset(rs, 0, sizeof *rs);
  if (!(rs->id = al_strdup(id)))
    return NULL;
  h->rule_count++;
  return rs;
}

/* Counts the findings of 'results' for the summary and into 'mine' (this
 * endpoint's counts by severity). */
static enum al_code count_results(struct html_state *h,
                                  const struct al_rule_result *results,
                                  size_t n, size_t mine[SEV_SLOTS])
{
  for (size_t k = 0; k < n; k++) {
    for (size_t i = 0; i < results[k].finding_count; i++) {
      const struct al_finding *f = &results[k].findings[i];
      struct rule_stat *rs = rule_stat_get(h, f->rule_id ? f->rule_id : "?");
      if (!rs)
        return AL_E_NOMEM;
      int s = slot_of(f->severity);
      if (s >= 0) {
        rs->by_sev[s]++;
        mine[s]++;
      }
      rs->total++;
      if (rs->last_endpoint != h->seq) {
        rs->last_endpoint = h->seq;
        rs->endpoints++;
      }
    }
  }
  return AL_OK;
}

/* ---- one endpoint ---- */

/* The response fields the rules read (RULES.md), in the order shown: the
 * page lists these, not every field a server sends. */
static const char *const shown_fields[] = {
    "Content-Type",
    "Content-Length",
    "Transfer-Encoding",
    "Content-Encoding",
    "Location",
    "Content-Location",
    "Allow",
    "Accept-Patch",
    "WWW-Authenticate",
    "Proxy-Authenticate",
    "Retry-After",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "Vary",
    "Set-Cookie",
    "Date",
};
#define SHOWN_FIELD_COUNT (sizeof shown_fields / sizeof shown_fields[0])

static int field_is_shown(const char *name)
{
  for (size_t i = 0; i < SHOWN_FIELD_COUNT; i++)
    if (al_strcaseeq(shown_fields[i], name))
      return 1;
  return 0;
}

/* "error/rule-id" tokens, space-separated, of every finding in 'results':
 * what the filter script matches an element by. */
static void put_filter_tokens(struct hw *w,
                              const struct al_rule_result *results, size_t n,
                              int *first)
{
  for (size_t k = 0; k < n; k++)
    for (size_t i = 0; i < results[k].finding_count; i++) {
      const struct al_finding *f = &results[k].findings[i];
      hw_raw(w, *first ? "" : " ");
      *first = 0;
      hw_raw(w, al_severity_name(f->severity));
      hw_raw(w, "/");
      hw_text(w, f->rule_id);
    }
}

static void put_endpoint_tokens(struct hw *w,
                                const struct al_endpoint_result *er)
{
  int first = 1;
  hw_raw(w, " data-f=\"");
  put_filter_tokens(w, er->results, er->result_count, &first);
  for (size_t k = 0; k < er->probe_count; k++)
    put_filter_tokens(w, er->probes[k].results, er->probes[k].result_count,
                      &first);
  hw_raw(w, "\"");
}

/* "s2" .. "s5" for a status class, "s0" for none. */
static const char *status_class(long status)
{
  static const char *const cls[] = {"s0", "s1", "s2", "s3", "s4", "s5"};
  return status >= 100 && status <= 599 ? cls[status / 100] : "s0";
}

static void put_status_badge(struct hw *w, const struct al_response *res,
                             int reached)
{
  long status = reached ? al_response_answer_status(res) : 0;
  if (reached)
    hw_printf(w, "<span class=\"status %s\">%ld</span>", status_class(status),
              status);
  else
    hw_raw(w, "<span class=\"status s0\">no answer</span>");
}

/* What a --baseline said of the finding: it covers it (suppressed: shown,
 * never failing), or its entry has expired (so it counts again). */
static void put_baseline(struct hw *w, const struct al_finding *f)
{
  if (f->suppressed) {
    hw_raw(w, " <span class=\"badge suppressed\">suppressed by the "
              "baseline");
    if (f->baseline_reason && f->baseline_reason[0]) {
      hw_raw(w, ": ");
      hw_text(w, f->baseline_reason);
    }
    hw_raw(w, "</span>");
  } else if (f->baseline_expired) {
    hw_raw(w, " <span class=\"badge expired\">baseline entry expired on ");
    hw_text(w, f->baseline_expired);
    hw_raw(w, "</span>");
  }
}

static void put_finding(struct hw *w, const struct al_finding *f)
{
  const struct al_rule *rule =
      w->report && w->report->ruleset && f->rule_id
          ? al_ruleset_find(w->report->ruleset, f->rule_id)
          : NULL;
  const char *sev = al_severity_name(f->severity);
  hw_printf(w, "<li class=\"finding %s%s\" data-f=\"%s/", sev,
            f->suppressed ? " suppressed" : "", sev);
  hw_text(w, f->rule_id);
  hw_printf(w,
            "\"><span class=\"sev\">%s</span> <a class=\"rule\" "
            "href=\"#rule-",
            sev);
  hw_text(w, f->rule_id);
  hw_raw(w, "\">");
  hw_text(w, f->rule_id);
  hw_raw(w, "</a>");
  if (f->level && f->level[0]) {
    hw_raw(w, " <span class=\"level\">");
    hw_text(w, f->level);
    hw_raw(w, "</span>");
  }
  put_baseline(w, f);
  hw_raw(w, "<div class=\"msg\">");
  hw_text(w, f->message);
  hw_raw(w, "</div>");
  if (f->evidence && f->evidence[0]) {
    hw_raw(w, "<pre class=\"evidence\">");
    hw_text(w, f->evidence);
    hw_raw(w, "</pre>");
  }
  if ((rule && rule->summary) || (f->source && f->source[0])) {
    hw_raw(w, "<p class=\"why\">");
    if (rule && rule->summary) {
      hw_text(w, rule->summary);
      hw_raw(w, ". ");
    }
    if (f->source && f->source[0]) {
      hw_raw(w, "<span class=\"src\">");
      hw_text(w, f->source);
      hw_raw(w, "</span> ");
    }
    if (rule && rule->explain && rule->explain[0]) {
      hw_raw(w, "<a class=\"fix\" href=\"#rule-");
      hw_text(w, f->rule_id);
      hw_raw(w, "\">Why, and how to fix</a>");
    }
    hw_raw(w, "</p>");
  }
  hw_raw(w, "</li>\n");
}

/* The findings of 'results' as a list; nothing when there are none. */
static void put_findings(struct hw *w, const struct al_rule_result *results,
                         size_t n)
{
  int open = 0;
  for (size_t k = 0; k < n; k++)
    for (size_t i = 0; i < results[k].finding_count; i++) {
      if (!open)
        hw_raw(w, "<ol class=\"findings\">\n");
      open = 1;
      put_finding(w, &results[k].findings[i]);
    }
  if (open)
    hw_raw(w, "</ol>\n");
}

static size_t count_outcome(const struct al_rule_result *results, size_t n,
                            enum al_outcome outcome)
{
  size_t c = 0;
  for (size_t k = 0; k < n; k++)
    c += results[k].outcome == outcome;
  return c;
}

static void put_header_row(struct hw *w, const char *side, const char *name,
                           const char *value)
{
  const struct al_redactor *r = w->report ? w->report->redactor : NULL;
  hw_printf(w, "<tr><th>%s</th><td>", side);
  hw_text(w, name);
  hw_raw(w, "</td><td>");
  hw_text(w, al_redact_header(r, name, value));
  hw_raw(w, "</td></tr>\n");
}

/* The request's own fields (the spec's and -H: all of them, masked) and
 * the response fields the rules read. */
static void put_fields(struct hw *w, const struct al_request *req,
                       const struct al_response *res)
{
  size_t req_n = req ? req->headers.count : 0;
  size_t res_n = 0, other = 0;
  if (res && res->received)
    for (size_t i = 0; i < res->headers.count; i++) {
      if (field_is_shown(res->headers.items[i].name))
        res_n++;
      else
        other++;
    }
  if (req_n + res_n == 0 && other == 0)
    return;
  hw_raw(w, "<table class=\"fields\">\n");
  for (size_t i = 0; i < req_n; i++)
    put_header_row(w, "request", req->headers.items[i].name,
                   req->headers.items[i].value);
  for (size_t i = 0; res && res->received && i < res->headers.count; i++)
    if (field_is_shown(res->headers.items[i].name))
      put_header_row(w, "response", res->headers.items[i].name,
                     res->headers.items[i].value);
  if (other || (res && res->headers_dropped))
    hw_printf(w,
              "<tr class=\"more\"><th>response</th><td colspan=\"2\">%zu "
              "more field(s) not shown</td></tr>\n",
              other + (res ? res->headers_dropped : 0));
  hw_raw(w, "</table>\n");
}

/* The answer line: status line, time, HTTP version; or why none came. */
static void put_answer(struct hw *w, const struct al_response *res, int reached)
{
  hw_raw(w, "<dt>Answer</dt><dd>");
  if (reached) {
    const char *line = al_response_answer_line(res);
    hw_raw(w, "<code>");
    if (line)
      hw_text(w, line);
    else
      hw_printf(w, "%ld", al_response_answer_status(res));
    hw_raw(w, "</code>");
  } else {
    hw_raw(w, "<span class=\"terr\">");
    hw_text(w,
            res && res->transport_error ? res->transport_error : "no response");
    hw_raw(w, "</span>");
  }
  if (res && res->elapsed_ms > 0)
    hw_printf(w, " &middot; %.0f ms", res->elapsed_ms);
  if (res && res->attempt_count)
    hw_printf(w, " &middot; %zu retried attempt(s)", res->attempt_count);
  if (res && res->body_limit_hit)
    hw_raw(w, " &middot; body read up to the read limit only");
  hw_raw(w, "</dd>\n");
}

static void put_request_line(struct hw *w, const char *method, const char *url)
{
  hw_raw(w, "<dt>Request</dt><dd><code>");
  hw_text(w, method);
  hw_raw(w, " ");
  hw_text(w, url);
  hw_raw(w, "</code></dd>\n");
}

static void put_probe(struct hw *w, const struct al_probe_result *pr)
{
  int reached = al_report_probe_reached(pr);
  int first = 1;
  hw_raw(w, "<div class=\"probe\" data-f=\"");
  put_filter_tokens(w, pr->results, pr->result_count, &first);
  hw_raw(w, "\"><h4>probe ");
  hw_text(w, pr->probe);
  if (pr->sent && pr->sent[0]) {
    hw_raw(w, ": ");
    hw_text(w, pr->sent);
  }
  hw_raw(w, " ");
  if (!pr->note)
    put_status_badge(w, pr->response, reached);
  hw_raw(w, "</h4>\n");
  if (pr->note) {
    hw_raw(w, "<p class=\"note\">Not sent: ");
    hw_text(w, pr->note);
    hw_raw(w, "</p>\n");
  } else {
    hw_raw(w, "<dl>\n");
    if (pr->request)
      put_request_line(w, pr->request->method, pr->request->url);
    put_answer(w, pr->response, reached);
    if (pr->statuses) {
      hw_printf(w, "<dt>Burst</dt><dd>%zu requests: ", pr->sent_count);
      hw_text(w, pr->statuses);
      hw_raw(w, "</dd>\n");
    }
    hw_raw(w, "</dl>\n");
  }
  put_findings(w, pr->results, pr->result_count);
  hw_raw(w, "</div>\n");
}

/* Severity badges "2 errors 1 warning" for counts 'n'; "clean" for none. */
static void put_count_badges(struct hw *w, const size_t n[SEV_SLOTS])
{
  int any = 0;
  for (int s = 0; s < SEV_SLOTS; s++)
    if (n[s]) {
      hw_printf(w, " <span class=\"badge %s\">%zu %s</span>", slot_name[s],
                n[s], n[s] == 1 ? slot_name[s] : slot_plural[s]);
      any = 1;
    }
  if (!any)
    hw_raw(w, " <span class=\"badge clean\">no findings</span>");
}

static void put_section(struct hw *w, const struct al_report_item *item,
                        size_t seq, const size_t n[SEV_SLOTS])
{
  const struct al_endpoint_result *er = item->result;
  int reached = al_report_reached(er);
  hw_printf(w, "<section class=\"ep\" id=\"ep-%zu\"", seq);
  put_endpoint_tokens(w, er);
  hw_raw(w, ">\n<h3><span class=\"method\">");
  hw_text(w, al_report_endpoint_method(er));
  hw_raw(w, "</span> ");
  hw_text(w, al_report_endpoint_name(er));
  hw_raw(w, " ");
  put_status_badge(w, er->response, reached);
  put_count_badges(w, n);
  hw_raw(w, "</h3>\n<dl>\n");
  put_request_line(w, al_report_endpoint_method(er),
                   al_report_endpoint_url(er));
  hw_raw(w, "<dt>Spec</dt><dd><code>");
  hw_text(w, al_endpoint_file(item->spec, er->endpoint));
  if (er->endpoint && er->endpoint->line > 0)
    hw_printf(w, ":%d", er->endpoint->line);
  hw_raw(w, "</code></dd>\n");
  put_answer(w, er->response, reached);
  hw_printf(w,
            "<dt>Rules</dt><dd>%zu applied: %zu passed, %zu found "
            "something, %zu disabled</dd>\n",
            er->result_count,
            count_outcome(er->results, er->result_count, AL_OUTCOME_PASS),
            count_outcome(er->results, er->result_count, AL_OUTCOME_FAIL) +
                count_outcome(er->results, er->result_count, AL_OUTCOME_ERROR),
            count_outcome(er->results, er->result_count, AL_OUTCOME_SKIPPED));
  hw_raw(w, "</dl>\n");
  put_fields(w, er->request, er->response);
  put_findings(w, er->results, er->result_count);
  for (size_t k = 0; k < er->probe_count; k++)
    put_probe(w, &er->probes[k]);
  hw_raw(w, "</section>\n");
}

static void put_index_row(struct hw *w, const struct al_report_item *item,
                          size_t seq, const size_t n[SEV_SLOTS])
{
  const struct al_endpoint_result *er = item->result;
  hw_raw(w, "<tr");
  put_endpoint_tokens(w, er);
  hw_printf(w, "><td>%zu</td><td><code>", seq);
  hw_text(w, al_report_endpoint_method(er));
  hw_printf(w, "</code></td><td><a href=\"#ep-%zu\">", seq);
  hw_text(w, al_report_endpoint_name(er));
  hw_raw(w, "</a></td><td>");
  put_status_badge(w, er->response, al_report_reached(er));
  hw_raw(w, "</td>");
  for (int s = 0; s < SEV_SLOTS; s++)
    hw_printf(w, "<td class=\"num\">%zu</td>", n[s]);
  hw_raw(w, "</tr>\n");
}

/* ---- the page around the endpoints ---- */

static const char page_css[] =
    ":root{--err:#b42318;--warn:#a15c07;--info:#175cd3;--ok:#067647;"
    "--mute:#5d6b82;--line:#d0d5dd;--bg:#f5f7fa}\n"
    "*{box-sizing:border-box}\n"
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,"
    "sans-serif;color:#101828;margin:0;background:var(--bg)}\n"
    "main{max-width:1100px;margin:0 auto;padding:0 20px 40px}\n"
    "header.top{background:#101828;color:#fff;padding:18px 20px}\n"
    "header.top h1{margin:0 0 4px;font-size:22px}\n"
    "header.top p{margin:0;color:#cfd4dc;font-size:13px}\n"
    "h2{margin:28px 0 10px;font-size:19px}\n"
    "section.box,section.ep,article.rule{background:#fff;border:1px solid "
    "var(--line);border-radius:8px;padding:14px 18px;margin:12px 0}\n"
    ".banner{border-radius:8px;padding:10px 14px;margin:12px 0;"
    "background:#fef3f2;border:1px solid #fecdca;color:var(--err)}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:10px}\n"
    ".card{flex:1 1 120px;border:1px solid var(--line);border-radius:8px;"
    "padding:10px 12px;background:#fff}\n"
    ".card .n{display:block;font-size:26px;font-weight:700}\n"
    ".card.error .n{color:var(--err)}.card.warning .n{color:var(--warn)}"
    ".card.info .n{color:var(--info)}\n"
    ".verdict{font-weight:600}.verdict.fail{color:var(--err)}"
    ".verdict.pass{color:var(--ok)}\n"
    "table{border-collapse:collapse;width:100%;font-size:14px}\n"
    "th,td{text-align:left;padding:4px 8px;border-bottom:1px solid "
    "var(--line);vertical-align:top}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "table.fields{margin:8px 0;font-size:13px}\n"
    "table.fields th{color:var(--mute);font-weight:500;width:80px}\n"
    "table.fields td:nth-child(2){font-family:ui-monospace,monospace;"
    "white-space:nowrap;width:220px}\n"
    "table.fields td:last-child{font-family:ui-monospace,monospace;"
    "word-break:break-all}\n"
    "code,pre{font-family:ui-monospace,'SFMono-Regular',Menlo,Consolas,"
    "monospace;font-size:13px}\n"
    "dl{display:grid;grid-template-columns:110px 1fr;gap:2px 10px;"
    "margin:8px 0}\n"
    "dt{color:var(--mute)}dd{margin:0;word-break:break-all}\n"
    "h3{margin:0 0 6px;font-size:16px}h4{margin:10px 0 4px;font-size:14px}\n"
    ".method{font-family:ui-monospace,monospace;background:#eef2f6;"
    "border-radius:4px;padding:1px 6px}\n"
    ".status,.badge,.sev,.level{display:inline-block;border-radius:10px;"
    "padding:0 8px;font-size:12px;font-weight:600;border:1px solid "
    "currentColor}\n"
    ".s2{color:var(--ok)}.s3{color:var(--info)}.s4{color:var(--warn)}"
    ".s5,.s1{color:var(--err)}.s0{color:var(--mute)}\n"
    ".error .sev,.badge.error{color:var(--err)}"
    ".warning .sev,.badge.warning{color:var(--warn)}"
    ".info .sev,.badge.info{color:var(--info)}\n"
    ".badge.clean{color:var(--ok)}.level{color:var(--mute)}\n"
    ".badge.suppressed{color:var(--mute);font-weight:500}"
    ".badge.expired{color:var(--err)}"
    "li.finding.suppressed{opacity:.7;border-left-style:dashed}\n"
    ".terr{color:var(--err)}\n"
    "ol.findings{list-style:none;padding:0;margin:8px 0}\n"
    "li.finding{border-left:4px solid var(--mute);padding:6px 10px;"
    "margin:6px 0;background:#fafbfc}\n"
    "li.finding.error{border-color:var(--err)}"
    "li.finding.warning{border-color:var(--warn)}"
    "li.finding.info{border-color:var(--info)}\n"
    "a.rule{font-family:ui-monospace,monospace;font-weight:600}\n"
    ".msg{margin:4px 0}\n"
    "pre{white-space:pre-wrap;word-break:break-all;margin:4px 0}\n"
    "pre.evidence{background:#fff;border:1px solid var(--line);"
    "border-radius:4px;padding:4px 8px}\n"
    ".why{margin:4px 0;color:var(--mute);font-size:13px}\n"
    ".probe{border-top:1px dashed var(--line);margin-top:8px}\n"
    ".explain{white-space:pre-wrap}\n"
    "#filter{position:sticky;top:0;z-index:1;background:#fff;border:1px "
    "solid var(--line);border-radius:8px;padding:8px 14px;margin:12px 0;"
    "display:flex;flex-wrap:wrap;gap:14px;align-items:center}\n"
    "#filter[hidden]{display:none}\n"
    "svg text{font:12px system-ui,sans-serif;fill:#101828}\n"
    "svg#chart-rules{max-width:860px}\n"
    "a.only{display:none;font-size:12px;white-space:nowrap}"
    ".js a.only{display:inline}\n"
    "footer{color:var(--mute);font-size:12px;margin-top:30px}\n";

/* Printed: black on white, no filter, sections kept on one page where
 * they fit. */
static const char page_css_print[] =
    "@media print{body{background:#fff;font-size:11pt}"
    "header.top{background:#fff;color:#000;border-bottom:2px solid #000;"
    "padding:0 0 6px}header.top p{color:#333}main{max-width:none;padding:0}"
    "#filter,a.only{display:none!important}"
    "section.box,section.ep,article.rule{border:1px solid #999;"
    "break-inside:avoid-page}li.finding{break-inside:avoid;background:#fff}"
    "a{color:inherit;text-decoration:none}"
    "a.fix::after{content:\": under Rules that found something\"}"
    "h2{break-after:avoid}}\n";

/* The filter: hides findings, probe blocks, endpoint sections and index
 * rows whose "severity/rule" tokens (data-f) the choice excludes. Reads
 * only our own attributes and never writes markup. */
static const char page_js[] =
    "(function(){\n"
    "var form=document.getElementById('filter');if(!form)return;\n"
    "form.hidden=false;document.documentElement.classList.add('js');\n"
    "var rule=document.getElementById('f-rule');\n"
    "var boxes=form.querySelectorAll('input[name=sev]');\n"
    "var shown=document.getElementById('f-shown');\n"
    "function apply(){\n"
    " var sev={},all=true;\n"
    " boxes.forEach(function(b){sev[b.value]=b.checked;if(!b.checked)all=false;"
    "});\n"
    " var r=rule.value,narrow=r!==''||!all,eps=0,total=0;\n"
    " function pass(t){var i=t.indexOf('/');"
    "return sev[t.slice(0,i)]!==false&&(r===''||t.slice(i+1)===r);}\n"
    " document.querySelectorAll('[data-f]').forEach(function(el){\n"
    "  var ts=el.getAttribute('data-f').split(' ').filter(Boolean);\n"
    "  var on=!narrow||ts.some(pass);\n"
    "  el.hidden=!on;\n"
    "  if(el.tagName==='SECTION'){total++;if(on)eps++;}\n"
    " });\n"
    " shown.textContent=eps+' of '+total+' endpoints shown';\n"
    "}\n"
    "form.addEventListener('change',apply);\n"
    "document.querySelectorAll('a[data-only]').forEach(function(a){\n"
    " a.addEventListener('click',function(){"
    "rule.value=a.getAttribute('data-only');apply();});\n"
    "});\n"
    "document.getElementById('f-reset').addEventListener('click',function(){"
    "\n rule.value='';boxes.forEach(function(b){b.checked=true;});apply();});\n"
    "apply();\n"
    "})();\n";

/* Sorts the rules most findings first, then by id, so the chart reads
 * from the top. */
static int by_total(const void *a, const void *b)
{
  const struct rule_stat *x = a, *y = b;
  if (x->total != y->total)
    return x->total > y->total ? -1 : 1;
  return strcmp(x->id, y->id);
}

static void put_head(struct hw *w, const struct html_state *h)
{
  const struct al_report *report = h->report;
  hw_raw(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
            "<meta charset=\"utf-8\">\n");
  /* The page loads nothing; only its own style and script run. */
  hw_printf(w,
            "<meta http-equiv=\"Content-Security-Policy\" "
            "content=\"default-src 'none'; style-src 'nonce-%s'; "
            "script-src 'nonce-%s'; base-uri 'none'; form-action 'none'\">\n",
            h->nonce, h->nonce);
  hw_raw(w, "<meta name=\"referrer\" content=\"no-referrer\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, "
            "initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"apilint " AL_VERSION "\">\n"
            "<title>apilint report");
  for (size_t i = 0; i < report->spec_count; i++) {
    hw_raw(w, i ? ", " : ": ");
    hw_text(w, report->specs[i].spec ? report->specs[i].spec->path : "?");
  }
  hw_printf(w, "</title>\n<style nonce=\"%s\">\n", h->nonce);
  hw_raw(w, page_css);
  hw_raw(w, page_css_print);
  hw_raw(w, "</style>\n</head>\n<body>\n<header class=\"top\">\n"
            "<h1>apilint audit report</h1>\n<p>");
  for (size_t i = 0; i < report->spec_count; i++) {
    const struct al_spec_result *sr = &report->specs[i];
    hw_raw(w, i ? "<br>" : "");
    hw_raw(w, "spec <code>");
    hw_text(w, sr->spec ? sr->spec->path : "?");
    hw_raw(w, "</code>");
    if (sr->base_url) {
      hw_raw(w, " against <code>");
      hw_text(w, sr->base_url);
      hw_raw(w, "</code>");
    }
  }
  hw_raw(w, "<br>apilint " AL_VERSION);
  if (report->started[0]) {
    hw_raw(w, " &middot; started ");
    hw_text(w, report->started);
  }
  if (report->hostname[0]) {
    hw_raw(w, " on ");
    hw_text(w, report->hostname);
  }
  hw_printf(w,
            " &middot; %.1f s &middot; --fail-on %s</p>\n</header>\n<main>\n",
            report->elapsed_ms / 1000.0, al_severity_name(report->fail_on));
  if (report->interrupted)
    hw_printf(w,
              "<p class=\"banner\" id=\"interrupted\">Interrupted by %s: "
              "%zu of %zu endpoints finished; this report shows only "
              "those.</p>\n",
              report->interrupted == 15 ? "SIGTERM" : "SIGINT",
              report->summary.endpoints, report->planned);
  if (report->tls_unverified)
    hw_raw(w, "<p class=\"banner\">TLS certificates were not verified "
              "(--insecure): any server could have answered.</p>\n");
}

/* The chart colours of the severities. */
static const char *const sev_fill[SEV_SLOTS] = {"#b42318", "#dc6803",
                                                "#175cd3"};

/* One stacked bar of 'n' (by severity) at x0..x0+width, y..y+height. */
static void put_bar(struct hw *w, const size_t n[SEV_SLOTS], size_t max,
                    double x0, double width, double y, double height)
{
  double x = x0;
  for (int s = 0; s < SEV_SLOTS && max > 0; s++) {
    if (!n[s])
      continue;
    double wd = width * (double)n[s] / (double)max;
    hw_printf(w,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
              "fill=\"%s\"><title>%zu %s</title></rect>",
              x, y, wd, height, sev_fill[s], n[s],
              n[s] == 1 ? slot_name[s] : slot_plural[s]);
    x += wd;
  }
}

/* The chart of findings by rule: one stacked bar a rule, most first. */
static void put_rule_chart(struct hw *w, const struct html_state *h)
{
  const double row = 22, top = 8, label = 260, bars = 400;
  size_t max = h->rule_count ? h->rules[0].total : 0;
  double height = top * 2 + row * (double)h->rule_count;
  hw_printf(w,
            "<svg id=\"chart-rules\" role=\"img\" viewBox=\"0 0 720 %.0f\" "
            "width=\"100%%\" xmlns=\"http://www.w3.org/2000/svg\">"
            "<title>Findings by rule</title>\n",
            height);
  for (size_t i = 0; i < h->rule_count; i++) {
    const struct rule_stat *rs = &h->rules[i];
    double y = top + row * (double)i;
    hw_printf(w, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", label - 8,
              y + 15);
    hw_text(w, rs->id);
    hw_raw(w, "</text>");
    put_bar(w, rs->by_sev, max, label, bars, y + 3, row - 6);
    hw_printf(w, "<text x=\"%.1f\" y=\"%.1f\">%zu</text>\n",
              label + bars * (double)rs->total / (double)(max ? max : 1) + 6,
              y + 15, rs->total);
  }
  hw_raw(w, "</svg>\n");
}

/* One bar of all findings by severity, with a legend. */
static void put_severity_chart(struct hw *w, const struct al_report *report)
{
  const struct al_report_summary *s = &report->summary;
  size_t n[SEV_SLOTS] = {s->errors, s->warnings, s->infos};
  size_t total = n[0] + n[1] + n[2];
  hw_raw(w, "<svg id=\"chart-severity\" role=\"img\" viewBox=\"0 0 720 "
            "46\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">"
            "<title>Findings by severity</title>");
  if (total)
    put_bar(w, n, total, 0, 720, 0, 20);
  else
    hw_raw(w, "<rect x=\"0\" y=\"0\" width=\"720\" height=\"20\" "
              "fill=\"#067647\"><title>no findings</title></rect>");
  /* A legend, so the colours read on a black-and-white print too. */
  for (int k = 0; k < SEV_SLOTS; k++)
    hw_printf(w,
              "<rect x=\"%d\" y=\"30\" width=\"12\" height=\"12\" "
              "fill=\"%s\"/><text x=\"%d\" y=\"41\">%zu %s</text>",
              k * 150, sev_fill[k], k * 150 + 18, n[k],
              n[k] == 1 ? slot_name[k] : slot_plural[k]);
  hw_raw(w, "</svg>\n");
}

static void put_summary(struct hw *w, const struct html_state *h)
{
  const struct al_report *report = h->report;
  const struct al_report_summary *s = &report->summary;
  size_t n[SEV_SLOTS] = {s->errors, s->warnings, s->infos};
  hw_raw(w, "<h2 id=\"summary\">Summary</h2>\n<section class=\"box\">\n"
            "<div class=\"cards\">\n");
  for (int k = 0; k < SEV_SLOTS; k++)
    hw_printf(w,
              "<div class=\"card %s\"><span class=\"n\" id=\"n-%s\">%zu"
              "</span>%s</div>\n",
              slot_name[k], slot_name[k], n[k], slot_plural[k]);
  hw_printf(w,
            "<div class=\"card\"><span class=\"n\" id=\"n-endpoints\">%zu"
            "</span>endpoints</div>\n"
            "<div class=\"card\"><span class=\"n\" id=\"n-unreachable\">%zu"
            "</span>unreachable</div>\n",
            s->endpoints, s->transport_errors);
  if (report->baseline || s->suppressed)
    hw_printf(w,
              "<div class=\"card\"><span class=\"n\" id=\"n-suppressed\">"
              "%zu</span>suppressed by the baseline</div>\n",
              s->suppressed);
  if (s->probe_requests)
    hw_printf(w,
              "<div class=\"card\"><span class=\"n\">%zu</span>probe "
              "requests</div>\n",
              s->probe_requests);
  hw_raw(w, "</div>\n");
  if (s->failing)
    hw_printf(w,
              "<p class=\"verdict fail\">FAIL: %zu finding(s) at or above "
              "--fail-on %s.</p>\n",
              s->failing, al_severity_name(report->fail_on));
  else
    hw_printf(w,
              "<p class=\"verdict pass\">PASS: no finding at or above "
              "--fail-on %s.</p>\n",
              al_severity_name(report->fail_on));
  put_severity_chart(w, report);
  if (h->rule_count == 0) {
    hw_raw(w, "</section>\n");
    return;
  }
  hw_raw(w, "<h3>Findings by rule</h3>\n");
  put_rule_chart(w, h);
  hw_raw(w, "<table id=\"by-rule\">\n<thead><tr><th>rule</th><th>level</th>"
            "<th class=\"num\">errors</th><th class=\"num\">warnings</th>"
            "<th class=\"num\">infos</th><th class=\"num\">endpoints</th>"
            "<th>summary</th></tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < h->rule_count; i++) {
    const struct rule_stat *rs = &h->rules[i];
    const struct al_rule *rule =
        report->ruleset ? al_ruleset_find(report->ruleset, rs->id) : NULL;
    hw_raw(w, "<tr><td><a class=\"rule\" href=\"#rule-");
    hw_text(w, rs->id);
    hw_raw(w, "\">");
    hw_text(w, rs->id);
    hw_raw(w, "</a> <a class=\"only\" href=\"#endpoints\" data-only=\"");
    hw_text(w, rs->id);
    hw_raw(w, "\">filter</a></td><td>");
    hw_text(w, rule ? rule->level : "");
    hw_raw(w, "</td>");
    for (int k = 0; k < SEV_SLOTS; k++)
      hw_printf(w, "<td class=\"num\">%zu</td>", rs->by_sev[k]);
    hw_printf(w, "<td class=\"num\">%zu</td><td>", rs->endpoints);
    hw_text(w, rule ? rule->summary : "");
    hw_raw(w, "</td></tr>\n");
  }
  hw_raw(w, "</tbody></table>\n</section>\n");
}

static void put_filter(struct hw *w, const struct html_state *h)
{
  /* Hidden until the script shows it: without script it could do
   * nothing. */
  hw_raw(w, "<form id=\"filter\" hidden>\n<strong>Filter</strong>\n");
  for (int k = 0; k < SEV_SLOTS; k++)
    hw_printf(w,
              "<label><input type=\"checkbox\" name=\"sev\" value=\"%s\" "
              "checked> %s</label>\n",
              slot_name[k], slot_plural[k]);
  hw_raw(w, "<label>rule <select id=\"f-rule\"><option value=\"\">every "
            "rule</option>\n");
  for (size_t i = 0; i < h->rule_count; i++) {
    hw_raw(w, "<option value=\"");
    hw_text(w, h->rules[i].id);
    hw_raw(w, "\">");
    hw_text(w, h->rules[i].id);
    hw_printf(w, " (%zu)</option>\n", h->rules[i].total);
  }
  hw_raw(w, "</select></label>\n<button type=\"button\" id=\"f-reset\">show "
            "all</button>\n<span id=\"f-shown\"></span>\n</form>\n");
}

/* One baseline entry as a table row: where it is, what it names. */
static void put_entry_row(struct hw *w, const struct al_baseline *b,
                          const struct al_baseline_entry *e)
{
  hw_raw(w, "<tr><td><code>");
  hw_text(w, al_baseline_path(b));
  hw_printf(w, ":%d</code></td><td><code>", e->line);
  hw_text(w, e->rule);
  hw_raw(w, "</code></td><td><code>");
  hw_text(w, e->method);
  hw_raw(w, " ");
  hw_text(w, e->path);
  if (e->probe[0]) {
    hw_raw(w, "</code> probe <code>");
    hw_text(w, e->probe);
  }
  hw_raw(w, "</code></td><td>");
  hw_text(w, e->reason ? e->reason : "");
  hw_raw(w, "</td><td>");
  hw_text(w, e->expires ? e->expires : "");
  hw_raw(w, "</td></tr>\n");
}

static void put_entry_table(struct hw *w, const char *id)
{
  hw_printf(w,
            "<table id=\"%s\"><thead><tr><th>entry</th><th>rule</th>"
            "<th>endpoint</th><th>reason</th><th>expires</th></tr></thead>"
            "\n<tbody>\n",
            id);
}

/* What --baseline did: how many findings it suppressed, the entries that
 * matched after their expiry (their findings count again) and those that
 * no longer occur (to prune) - not judged for an interrupted run or one
 * shard, where absence proves nothing. */
static void put_baseline_section(struct hw *w, const struct al_report *report)
{
  const struct al_baseline *b = report->baseline;
  if (!b)
    return;
  hw_raw(w, "<h2 id=\"baseline\">Baseline</h2>\n<section class=\"box\">\n"
            "<p><code>");
  hw_text(w, al_baseline_path(b));
  hw_printf(w,
            "</code>: %zu entries; %zu finding(s) suppressed (shown, never "
            "failing).</p>\n",
            b->count, report->summary.suppressed);
  int open = 0;
  for (size_t i = 0; i < b->count; i++) {
    const struct al_baseline_entry *e = &b->entries[i];
    if (!e->expired || !e->matched)
      continue;
    if (!open)
      hw_raw(w, "<h3>Expired entries: their findings fail again</h3>\n");
    if (!open)
      put_entry_table(w, "baseline-expired");
    open = 1;
    put_entry_row(w, b, e);
  }
  if (open)
    hw_raw(w, "</tbody></table>\n");
  size_t gone = al_baseline_unmatched(b);
  if (gone && (report->interrupted || report->shard_total)) {
    hw_printf(w, "<p>Not judged which entries no longer occur (%s).</p>\n",
              report->interrupted
                  ? "the run was interrupted"
                  : "one shard; apilint merge --baseline judges");
  } else if (gone) {
    hw_printf(w,
              "<h3>%zu entr%s no longer occur%s: remove, or rewrite the file "
              "with --write-baseline</h3>\n",
              gone, gone == 1 ? "y" : "ies", gone == 1 ? "s" : "");
    put_entry_table(w, "baseline-gone");
    for (size_t i = 0; i < b->count; i++)
      if (!b->entries[i].matched)
        put_entry_row(w, b, &b->entries[i]);
    hw_raw(w, "</tbody></table>\n");
  }
  hw_raw(w, "</section>\n");
}

static void put_rules_appendix(struct hw *w, const struct html_state *h)
{
  const struct al_report *report = h->report;
  if (h->rule_count == 0)
    return;
  hw_raw(w, "<h2 id=\"rules\">Rules that found something</h2>\n");
  for (size_t i = 0; i < h->rule_count; i++) {
    const char *id = h->rules[i].id;
    const struct al_rule *rule =
        report->ruleset ? al_ruleset_find(report->ruleset, id) : NULL;
    hw_raw(w, "<article class=\"rule\" id=\"rule-");
    hw_text(w, id);
    hw_raw(w, "\"><h3><code>");
    hw_text(w, id);
    hw_raw(w, "</code></h3>\n");
    if (!rule) {
      hw_raw(w, "<p>Not a rule of this run's ruleset.</p></article>\n");
      continue;
    }
    hw_printf(w, "<dl><dt>Severity</dt><dd>%s</dd>\n",
              al_severity_name(rule->severity));
    if (rule->level && rule->level[0]) {
      hw_raw(w, "<dt>Level</dt><dd>");
      hw_text(w, rule->level);
      hw_raw(w, "</dd>\n");
    }
    if (rule->source && rule->source[0]) {
      hw_raw(w, "<dt>Source</dt><dd>");
      hw_text(w, rule->source);
      hw_raw(w, "</dd>\n");
    }
    hw_raw(w, "<dt>Summary</dt><dd>");
    hw_text(w, rule->summary);
    hw_raw(w, "</dd></dl>\n");
    if (rule->explain && rule->explain[0]) {
      hw_raw(w, "<div class=\"explain\">");
      hw_text(w, rule->explain);
      hw_raw(w, "</div>\n");
    }
    hw_raw(w, "</article>\n");
  }
}

/* ---- the reporter ---- */

/* A fresh nonce a page: the Content-Security-Policy lets only the page's
 * own <style> and <script> through. */
static void make_nonce(char out[33])
{
  static const char hex[] = "0123456789abcdef";
  unsigned char raw[16] = {0};
  size_t got = 0;
  FILE *f = fopen("/dev/urandom", "rb");
  if (f) {
    got = fread(raw, 1, sizeof raw, f);
    fclose(f);
  }
  if (got != sizeof raw) {
    /* No /dev/urandom: still unknown to a server when it answers. */
    unsigned long long x =
        (unsigned long long)time(NULL) * 6364136223846793005ULL ^
        (unsigned long long)getpid() ^ (unsigned long long)(size_t)out;
    for (size_t i = 0; i < sizeof raw; i++) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      raw[i] = (unsigned char)(x >> 56);
    }
  }
  for (size_t i = 0; i < sizeof raw; i++) {
    out[2 * i] = hex[raw[i] >> 4];
    out[2 * i + 1] = hex[raw[i] & 15];
  }
  out[32] = '\0';
}

static enum al_code html_begin(FILE *out, const struct al_report *report,
                               const struct al_report_opts *opts, void **state)
{
  (void)opts;
  struct html_state *h = calloc(1, sizeof *h);
  if (!h)
    return AL_E_NOMEM;
  *state = h;
  h->out = out;
  h->report = report;
  al_buf_init(&h->b);
  make_nonce(h->nonce);
  /* tmpfile(): unnamed where the C library can (O_TMPFILE), removed on
   * close or exit in any case. */
  h->details = tmpfile();
  h->index = tmpfile();
  return h->details && h->index ? AL_OK : AL_E_IO;
}

static enum al_code spill(struct html_state *h, FILE *f, enum al_code rc)
{
  if (rc == AL_OK && h->b.len && fwrite(h->b.data, 1, h->b.len, f) != h->b.len)
    rc = AL_E_IO;
  al_buf_reset(&h->b);
  return rc;
}

static enum al_code html_endpoint(void *state,
                                  const struct al_report_item *item)
{
  struct html_state *h = state;
  const struct al_endpoint_result *er = item->result;
  size_t n[SEV_SLOTS] = {0};
  h->seq++;
  enum al_code rc = count_results(h, er->results, er->result_count, n);
  for (size_t k = 0; rc == AL_OK && k < er->probe_count; k++)
    rc = count_results(h, er->probes[k].results, er->probes[k].result_count, n);
  if (rc != AL_OK)
    return rc;
  struct hw w = {&h->b, h->report, AL_OK};
  put_section(&w, item, h->seq, n);
  rc = spill(h, h->details, w.rc);
  w.rc = rc;
  put_index_row(&w, item, h->seq, n);
  return spill(h, h->index, w.rc);
}

/* Writes the buffer to the page and empties it. */
static enum al_code emit(struct html_state *h, enum al_code rc)
{
  return spill(h, h->out, rc);
}

static enum al_code copy_part(FILE *part, FILE *out)
{
  if (fflush(part) != 0)
    return AL_E_IO;
  long end = ftell(part);
  return end < 0 ? AL_E_IO : al_report_copy_range(part, 0, end, out);
}

static enum al_code html_end(void *state)
{
  struct html_state *h = state;
  if (h->rule_count > 1)
    qsort(h->rules, h->rule_count, sizeof *h->rules, by_total);
  struct hw w = {&h->b, h->report, AL_OK};
  put_head(&w, h);
  put_summary(&w, h);
  put_baseline_section(&w, h->report);
  put_filter(&w, h);
  hw_raw(&w, "<h2 id=\"index\">Endpoints</h2>\n<section class=\"box\">\n"
             "<table id=\"endpoint-index\"><thead><tr><th>#</th>"
             "<th>method</th><th>endpoint</th><th>status</th>"
             "<th class=\"num\">errors</th><th class=\"num\">warnings</th>"
             "<th class=\"num\">infos</th></tr></thead>\n<tbody>\n");
  enum al_code rc = emit(h, w.rc);
  if (rc == AL_OK)
    rc = copy_part(h->index, h->out);
  w.rc = rc;
  hw_raw(&w, "</tbody></table>\n</section>\n"
             "<h2 id=\"endpoints\">Endpoint details</h2>\n");
  rc = emit(h, w.rc);
  if (rc == AL_OK)
    rc = copy_part(h->details, h->out);
  w.rc = rc;
  put_rules_appendix(&w, h);
  hw_raw(&w, "<footer>Written by apilint " AL_VERSION
             ". Secrets are shown as ***. Findings cite their sources; "
             "<code>apilint explain RULE-ID</code> shows a rule's "
             "examples.</footer>\n</main>\n");
  hw_printf(&w, "<script nonce=\"%s\">\n", h->nonce);
  hw_raw(&w, page_js);
  hw_raw(&w, "</script>\n</body>\n</html>\n");
  rc = emit(h, w.rc);
  if (rc == AL_OK && ferror(h->out))
    rc = AL_E_IO;
  return rc;
}

static void html_free(void *state)
{
  struct html_state *h = state;
  if (!h)
    return;
  if (h->details)
    fclose(h->details);
  if (h->index)
    fclose(h->index);
  for (size_t i = 0; i < h->rule_count; i++)
    free(h->rules[i].id);
  free(h->rules);
  al_buf_cleanup(&h->b);
  free(h);
}

const struct al_reporter_ops al_reporter_html = {
    "html", html_begin, html_endpoint, html_end, html_free,
};

/* The whole-report signature (report.h), as the other reporters have it. */
enum al_code al_report_write_html(FILE *out, const struct al_report *report,
                                  const struct al_report_opts *opts)
{
  return al_report_replay(&al_reporter_html, out, report, opts);
}
