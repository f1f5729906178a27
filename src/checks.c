/* checks.c - the named C checks that rule files refer to with `check: NAME`
 * for what `when:`/`require:` data cannot say: reading a JSON body, hunting
 * stack traces, weighing the content signals of a 204/304, and the two
 * engine-level checks (transport failure, spec expectations). Input is one
 * response; output is zero or more hits (detail + evidence) the engine
 * turns into findings. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "redact.h"
#include "rule_logic.h"

#define EXCERPT_MAX 120 /* bytes of evidence around a match */
#define QUOTE_MAX 80    /* bytes of a JSON member quoted in a message */

enum al_code al_check_hits_add(struct al_check_hits *hits, const char *detail,
                               const char *evidence)
{
  struct al_check_hit h = {al_strdup(detail ? detail : ""),
                           al_strdup(evidence ? evidence : "")};
  if (!h.detail || !h.evidence)
    goto nomem;
  struct al_check_hit *grown =
      realloc(hits->items, (hits->count + 1) * sizeof *grown);
  if (!grown)
    goto nomem;
  hits->items = grown;
  hits->items[hits->count++] = h;
  return AL_OK;
nomem:
  free(h.detail);
  free(h.evidence);
  return AL_E_NOMEM;
}

void al_check_hits_cleanup(struct al_check_hits *hits)
{
  for (size_t i = 0; i < hits->count; i++) {
    free(hits->items[i].detail);
    free(hits->items[i].evidence);
  }
  free(hits->items);
  hits->items = NULL;
  hits->count = 0;
}

/* Appends up to 'max' bytes of s[0..len) on one line: runs of whitespace
 * and control bytes become one space, so evidence never breaks a report
 * line. Cuts only at UTF-8 character starts. */
static enum al_code append_one_line(struct al_buf *b, const char *s, size_t len,
                                    size_t max)
{
  int in_space = 0;
  size_t start_len = b->len;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (b->len - start_len >= max && (c & 0xC0) != 0x80) {
      return al_buf_append_str(b, "...");
    }
    if (c < 0x20 || c == 0x7f || c == ' ') {
      if (!in_space && b->len > start_len) {
        if (al_buf_append_char(b, ' ') != AL_OK)
          return AL_E_NOMEM;
      }
      in_space = 1;
      continue;
    }
    in_space = 0;
    if (al_buf_append_char(b, (char)c) != AL_OK)
      return AL_E_NOMEM;
  }
  return AL_OK;
}

static int ends_with_dots(const struct al_buf *b)
{
  return b->len >= 3 && memcmp(b->data + b->len - 3, "...", 3) == 0;
}

/* A new one-line excerpt of text[from..to) with "..." where it was cut. */
static char *excerpt(const char *text, size_t len, size_t from, size_t to)
{
  struct al_buf b;
  al_buf_init(&b);
  /* Never start inside a UTF-8 sequence. */
  while (from > 0 && from < len && ((unsigned char)text[from] & 0xC0) == 0x80)
    from--;
  if (to > len)
    to = len;
  if (from > to)
    from = to;
  if ((from > 0 && al_buf_append_str(&b, "...") != AL_OK) ||
      append_one_line(&b, text + from, to - from, EXCERPT_MAX) != AL_OK ||
      (to < len && !ends_with_dots(&b) &&
       al_buf_append_str(&b, "...") != AL_OK)) {
    al_buf_cleanup(&b);
    return NULL;
  }
  return al_buf_detach(&b);
}

/* ------------------------------------------------------------------ */
/* error-body: a 2xx whose JSON body says the request failed.          */

static int key_is(const cJSON *item, const char *name)
{
  return item->string && al_strcaseeq(item->string, name);
}

/* The member rendered compactly as `"name": value`, cut to QUOTE_MAX. */
static enum al_code quote_member(struct al_buf *b, const cJSON *item)
{
  char *value = cJSON_PrintUnformatted(item);
  if (!value)
    return AL_E_NOMEM;
  struct al_buf raw;
  al_buf_init(&raw);
  enum al_code rc = al_buf_printf(&raw, "\"%s\": %s", item->string, value);
  free(value);
  if (rc == AL_OK)
    rc = append_one_line(b, raw.data, raw.len, QUOTE_MAX);
  al_buf_cleanup(&raw);
  return rc;
}

/* Why 'item' (a top-level member) says "failed", or NULL. Deliberately
 * narrow: booleans that are false, non-empty error members, and numeric
 * 4xx/5xx statuses. Strings such as "400" or "fail" are not taken: a job
 * resource may well report "status": "failed" for a request that worked. */
static const char *failure_reason(const cJSON *item)
{
  if ((key_is(item, "success") || key_is(item, "result") ||
       key_is(item, "ok")) &&
      cJSON_IsFalse(item))
    return "false";
  if (key_is(item, "error") || key_is(item, "errors")) {
    if (cJSON_IsTrue(item))
      return "true";
    if (cJSON_IsString(item) && item->valuestring &&
        item->valuestring[strspn(item->valuestring, " \t\r\n")] != '\0')
      return "non-empty";
    if ((cJSON_IsObject(item) || cJSON_IsArray(item)) && item->child)
      return "non-empty";
    return NULL;
  }
  if ((key_is(item, "status") || key_is(item, "code") ||
       key_is(item, "statusCode")) &&
      cJSON_IsNumber(item)) {
    double v = item->valuedouble;
    if (v >= 400 && v <= 599 && v == (double)(long)v)
      return "4xx/5xx";
  }
  return NULL;
}

static enum al_code check_error_body(const void *state,
                                     const struct al_check_input *in,
                                     struct al_check_hits *out)
{
  (void)state;
  const struct al_buf *body = &in->res->body;
  if (!body->data || body->len == 0 || in->res->body_truncated)
    return AL_OK;
  size_t skip = 0;
  while (skip < body->len && strchr(" \t\r\n", body->data[skip]))
    skip++;
  /* Only a JSON object can carry members; free text never fires. */
  if (skip == body->len || body->data[skip] != '{')
    return AL_OK;
  cJSON *root = cJSON_ParseWithLength(body->data, body->len);
  if (!root)
    return AL_OK;
  enum al_code rc = AL_OK;
  struct al_buf detail;
  al_buf_init(&detail);
  int quoted = 0;
  if (cJSON_IsObject(root)) {
    for (const cJSON *item = root->child; item && rc == AL_OK;
         item = item->next) {
      if (!failure_reason(item))
        continue;
      if (quoted == 3) {
        rc = al_buf_append_str(&detail, ", ...");
        break;
      }
      if (quoted++ > 0)
        rc = al_buf_append_str(&detail, ", ");
      if (rc == AL_OK)
        rc = quote_member(&detail, item);
    }
  }
  cJSON_Delete(root);
  if (rc == AL_OK && quoted > 0) {
    char *ev = excerpt(body->data, body->len, skip, skip + EXCERPT_MAX);
    rc = ev ? al_check_hits_add(out, al_buf_str(&detail), ev) : AL_E_NOMEM;
    free(ev);
  }
  al_buf_cleanup(&detail);
  return rc;
}

/* ------------------------------------------------------------------ */
/* server-error-leak: a 5xx that shows internals.                       */

struct leak_pattern {
  const char *what;
  const char *ere;
};

/* Ordered most telling first: the first pattern that matches anywhere is
 * the one reported. Each is specific enough that a generic error message
 * ("Internal Server Error", "something went wrong") never matches. Every
 * repetition that can run past a word is bounded ({0,300}, not *): glibc's
 * regexec turns ".* on line" into minutes on a hostile 1 MiB body. */
static const struct leak_pattern leak_patterns[] = {
    {"a Java stack trace",
     "at [A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$<][A-Za-z0-9_$<>-]*)+"
     "\\(([A-Za-z0-9_$-]+\\.(java|kt|scala|groovy):[0-9]+|Native Method|"
     "Unknown Source)\\)"},
    {"a Python traceback", "Traceback \\(most recent call last\\)"},
    {"a Python stack frame", "File \"[^\"]{1,300}\\.py\", line [0-9]+"},
    {"a Node.js stack trace",
     "at [^ ()]{1,200} "
     "\\((/|[A-Za-z]:\\\\|file://|node:)[^()]{0,300}:[0-9]+:[0-9]+\\)"},
    {"a Node.js stack trace",
     "at (/|file://|node:)[^ ()]{0,300}\\.[cm]?js:[0-9]+:[0-9]+"},
    {"a Go panic trace", "goroutine [0-9]+ \\[[a-zA-Z0-9 ,]{1,80}\\]:"},
    {"a Go panic", "panic: runtime error"},
    {"a PHP error", "(Fatal|Parse|Catchable fatal) error(</b>)?: .{0,300} on "
                    "line (<b>)?[0-9]+|"
                    "(Fatal|Parse) error(</b>)?: +Uncaught |"
                    "thrown in (<b>)?[^ <]{1,300}(</b>)? on line"},
    {"a PHP stack trace", "Stack trace:\r?\n#0 "},
    {"a .NET exception",
     "System\\.([A-Z][A-Za-z0-9]*\\.)*[A-Z][A-Za-z0-9]*Exception"},
    {"a .NET stack frame", " in [A-Za-z]:\\\\[^ ]{0,300}:line [0-9]+"},
    /* No leading "[A-Za-z0-9_./-]+": glibc's regexec goes quadratic on an
     * unanchored repeated class; leak_match widens the quote instead. */
    {"a Ruby backtrace", "\\.rb:[0-9]+:in "},
    {"a Java exception",
     "(java|javax|jakarta)\\.[a-z]+(\\.[A-Za-z0-9_]+)*\\.[A-Z][A-Za-z0-9_]*"
     "(Exception|Error)"},
    {"an SQL syntax error", "syntax error at or near"},
    {"an SQL syntax error", "You have an error in your SQL syntax"},
    {"an SQL error", "SQLSTATE"},
    {"an Oracle error", "ORA-[0-9]{5}"},
    {"an SQLite error", "SQLITE_[A-Z]+|sqlite3\\.[A-Za-z]*Error"},
    {"the Werkzeug debugger",
     "Werkzeug Debugger|werkzeug\\.debug|The debugger caught an exception"},
    {"the Django debug page",
     "seeing this error because you have (<code>)?DEBUG = True"},
    {"the Rails debug page",
     "Action Controller: Exception caught|ActionController::[A-Z]|"
     "ActiveRecord::[A-Z]"},
    {"the Laravel/Symfony debug page",
     "Illuminate\\\\[A-Z][A-Za-z]+\\\\|vendor/laravel/framework|"
     "Symfony\\\\Component\\\\|Whoops\\\\(Run|Handler)"},
    /* Not inside a URL ("https://example.com/home/help/"): the path must
     * start the text or follow a separator. */
    {"a server file path",
     "(^|[^A-Za-z0-9._~%/-])(/var/www/|/srv/|/opt/|/root/|/usr/src/|"
     "/home/[A-Za-z0-9._-]+/|/usr/(local/)?lib/python[0-9.]*/|"
     "/app/[A-Za-z0-9._/"
     "-]{0,200}\\.(js|mjs|cjs|ts|py|rb|php|java|go|cs|json|env))|"
     "/site-packages/|/node_modules/|"
     "[A-Za-z]:\\\\(inetpub|Users|Windows|Program Files)\\\\"},
};

#define LEAK_COUNT (sizeof leak_patterns / sizeof leak_patterns[0])

struct leak_state {
  regex_t re[LEAK_COUNT];
};

static void leak_free(void *state)
{
  struct leak_state *st = state;
  if (!st)
    return;
  for (size_t i = 0; i < LEAK_COUNT; i++)
    regfree(&st->re[i]);
  free(st);
}

static enum al_code leak_init(void **state, struct al_err *err)
{
  struct leak_state *st = calloc(1, sizeof *st);
  if (!st)
    return AL_E_NOMEM;
  for (size_t i = 0; i < LEAK_COUNT; i++) {
    if (regcomp(&st->re[i], leak_patterns[i].ere, REG_EXTENDED | REG_NEWLINE) !=
        0) {
      for (size_t j = 0; j < i; j++)
        regfree(&st->re[j]);
      free(st);
      return al_err_set(err, AL_E_INTERNAL, "", 0, 0,
                        "built-in leak pattern %zu does not compile", i);
    }
  }
  *state = st;
  return AL_OK;
}

/* regexec needs a C string: a copy of the bytes with NUL made visible as
 * a space so a binary body cannot hide text after its first zero byte. */
static char *scannable(const char *data, size_t len)
{
  char *s = malloc(len + 1);
  if (!s)
    return NULL;
  for (size_t i = 0; i < len; i++)
    s[i] = data[i] ? data[i] : ' ';
  s[len] = '\0';
  return s;
}

/* 1 if text[at-2..at) is a JSON escape such as "\n": a trace quoted in a
 * JSON string ends its words there. */
static int json_escape_before(const char *text, size_t at)
{
  return at >= 2 && text[at - 2] == '\\' && strchr("nrt\"", text[at - 1]);
}

/* Reports the match of 're' in 'text' as a hit; 'where' prefixes the
 * evidence ("header X-Debug: "). Returns 1 on a hit, 0 none, -1 OOM. */
static int leak_match(const regex_t *re, const char *what, const char *text,
                      size_t len, const char *where, struct al_check_hits *out)
{
  regmatch_t m;
  if (regexec(re, text, 1, &m, 0) != 0)
    return 0;
  size_t so = (size_t)m.rm_so, eo = (size_t)m.rm_eo;
  /* Quote the whole word the match is in ("app/user.rb:12:in" rather than
   * ".rb:12:in", "/srv/app/config.json" rather than "/srv/"), without the
   * separator a pattern may have matched before it. */
  static const char stops[] = " \t\r\n\"'`(<>=";
  while (so < eo && strchr(stops, text[so]) && text[so] != '\0')
    so++;
  while (so > 0 && (size_t)m.rm_so - so < 40 && !strchr(stops, text[so - 1]) &&
         !json_escape_before(text, so))
    so--;
  while (eo < len && eo - (size_t)m.rm_eo < 40 && !strchr(stops, text[eo]) &&
         !(text[eo] == '\\' && eo + 1 < len && strchr("nrt\"", text[eo + 1])))
    eo++;
  struct al_buf detail;
  al_buf_init(&detail);
  char *ev = excerpt(text, len, so > 30 ? so - 30 : 0, so + EXCERPT_MAX - 30);
  int rc = -1;
  if (ev && al_buf_printf(&detail, "%s: '", what) == AL_OK &&
      append_one_line(&detail, text + so, eo - so, 60) == AL_OK &&
      al_buf_append_char(&detail, '\'') == AL_OK) {
    struct al_buf evb;
    al_buf_init(&evb);
    if (al_buf_printf(&evb, "%s%s", where, ev) == AL_OK &&
        al_check_hits_add(out, al_buf_str(&detail), al_buf_str(&evb)) == AL_OK)
      rc = 1;
    al_buf_cleanup(&evb);
  }
  free(ev);
  al_buf_cleanup(&detail);
  return rc;
}

static enum al_code check_leak(const void *state,
                               const struct al_check_input *in,
                               struct al_check_hits *out)
{
  const struct leak_state *st = state;
  const struct al_response *res = in->res;
  char *body = scannable(res->body.data ? res->body.data : "", res->body.len);
  if (!body)
    return AL_E_NOMEM;
  int hit = 0;
  for (size_t i = 0; i < LEAK_COUNT && hit == 0; i++) {
    hit = leak_match(&st->re[i], leak_patterns[i].what, body, res->body.len, "",
                     out);
    for (size_t h = 0; h < res->headers.count && hit == 0; h++) {
      const struct al_header *f = &res->headers.items[h];
      /* A cookie or credential is not quoted, whatever it holds. */
      if (al_redactor_is_secret_name(in->redactor, f->name))
        continue;
      struct al_buf where;
      al_buf_init(&where);
      if (al_buf_printf(&where, "header %s: ", f->name) != AL_OK) {
        hit = -1;
      } else {
        hit = leak_match(&st->re[i], leak_patterns[i].what, f->value,
                         strlen(f->value), al_buf_str(&where), out);
      }
      al_buf_cleanup(&where);
    }
  }
  free(body);
  return hit < 0 ? AL_E_NOMEM : AL_OK;
}

/* ------------------------------------------------------------------ */
/* no-content-body / not-modified-body                                  */

/* 1 if some Content-Length field holds a number above 0. */
static int content_length_positive(const struct al_headers *h,
                                   const char **value)
{
  for (size_t i = 0; i < h->count; i++) {
    if (!al_strcaseeq(h->items[i].name, "Content-Length"))
      continue;
    const char *v = h->items[i].value;
    if (v[0] >= '0' && v[0] <= '9' && strtoull(v, NULL, 10) > 0) {
      *value = v;
      return 1;
    }
  }
  return 0;
}

/* One hit naming every content signal present. The bytes themselves are
 * the best evidence; headers are next best. 'count_headers' is 0 for 304,
 * where Content-Length (RFC 9110 §8.6) and Transfer-Encoding (RFC 9112
 * §6.1) may describe the selected representation without sending it. */
static enum al_code bodyless_signals(const struct al_response *res,
                                     int count_headers,
                                     struct al_check_hits *out)
{
  struct al_buf detail, ev;
  al_buf_init(&detail);
  al_buf_init(&ev);
  enum al_code rc = AL_OK;
  const char *cl = NULL;
  const char *te = al_headers_get(&res->headers, "Transfer-Encoding");
  if (res->stray_size > 0) {
    rc = al_buf_printf(&detail, "%" PRIu64 " byte%s sent after the head",
                       res->stray_size, res->stray_size == 1 ? "" : "s");
    if (rc == AL_OK)
      rc = append_one_line(&ev, res->stray.data ? res->stray.data : "",
                           res->stray.len, EXCERPT_MAX);
  }
  if (rc == AL_OK && res->body_size > 0) {
    rc = al_buf_printf(&detail, "%s%" PRIu64 " body byte%s",
                       detail.len ? ", " : "", res->body_size,
                       res->body_size == 1 ? "" : "s");
    if (rc == AL_OK && ev.len == 0)
      rc = append_one_line(&ev, res->body.data ? res->body.data : "",
                           res->body.len, EXCERPT_MAX);
  }
  if (rc == AL_OK && count_headers &&
      content_length_positive(&res->headers, &cl)) {
    rc = al_buf_printf(&detail, "%sContent-Length: %s", detail.len ? ", " : "",
                       cl);
    if (rc == AL_OK && ev.len == 0)
      rc = al_buf_printf(&ev, "Content-Length: %s", cl);
  }
  if (rc == AL_OK && count_headers && te) {
    rc = al_buf_printf(&detail, "%sTransfer-Encoding: %s",
                       detail.len ? ", " : "", te);
    if (rc == AL_OK && ev.len == 0)
      rc = al_buf_printf(&ev, "Transfer-Encoding: %s", te);
  }
  /* libcurl may have counted the excess bytes and dropped them: then the
   * status line is the best evidence left. */
  if (rc == AL_OK && detail.len > 0 && ev.len == 0 && res->status_line)
    rc = al_buf_append_str(&ev, res->status_line);
  if (rc == AL_OK && detail.len > 0)
    rc = al_check_hits_add(out, al_buf_str(&detail), al_buf_str(&ev));
  al_buf_cleanup(&detail);
  al_buf_cleanup(&ev);
  return rc;
}

static enum al_code check_no_content(const void *state,
                                     const struct al_check_input *in,
                                     struct al_check_hits *out)
{
  (void)state;
  return bodyless_signals(in->res, 1, out);
}

static enum al_code check_not_modified(const void *state,
                                       const struct al_check_input *in,
                                       struct al_check_hits *out)
{
  (void)state;
  return bodyless_signals(in->res, 0, out);
}

/* ------------------------------------------------------------------ */
/* transport and expectation: engine-level checks.                     */

static enum al_code check_transport(const void *state,
                                    const struct al_check_input *in,
                                    struct al_check_hits *out)
{
  (void)state;
  const struct al_response *res = in->res;
  if (!res->transport_failed && res->received)
    return AL_OK;
  if (res->transport_error && res->transport_error[0])
    return al_check_hits_add(out, res->transport_error, "");
  char why[64];
  snprintf(why, sizeof why, "(%d) no HTTP response received", res->curl_code);
  return al_check_hits_add(out, why, "");
}

static int status_in(const struct al_status_set *set, long status)
{
  for (size_t i = 0; i < set->code_count; i++)
    if (set->codes[i] == status)
      return 1;
  return status >= 100 && status <= 599 && set->classes[status / 100];
}

/* Every field value of 'name' joined by ", " (as HTTP folds them), or NULL
 * when absent. Caller frees. */
static char *header_joined(const struct al_headers *h, const char *name,
                           int *oom)
{
  struct al_buf b;
  al_buf_init(&b);
  int found = 0;
  for (size_t i = 0; i < h->count; i++) {
    if (!al_strcaseeq(h->items[i].name, name))
      continue;
    if ((found++ && al_buf_append_str(&b, ", ") != AL_OK) ||
        al_buf_append_str(&b, h->items[i].value) != AL_OK) {
      *oom = 1;
      al_buf_cleanup(&b);
      return NULL;
    }
  }
  if (!found)
    return NULL;
  return al_buf_detach(&b);
}

static enum al_code expect_header(const struct al_header_expect *he,
                                  const struct al_response *res,
                                  const struct al_redactor *rd,
                                  struct al_check_hits *out)
{
  int oom = 0;
  char *value = header_joined(&res->headers, he->name, &oom);
  if (oom)
    return AL_E_NOMEM;
  /* Matched on the real value, shown masked when the name is secret. */
  const char *shown = value ? al_redact_header(rd, he->name, value) : NULL;
  struct al_buf detail, ev;
  al_buf_init(&detail);
  al_buf_init(&ev);
  enum al_code rc = AL_OK;
  if (value) {
    rc = al_buf_printf(&ev, "%s: ", he->name);
    if (rc == AL_OK)
      rc = append_one_line(&ev, shown, strlen(shown), EXCERPT_MAX);
  }
  if (rc != AL_OK)
    goto out;
  switch (he->kind) {
  case AL_HEXPECT_PRESENT:
    if (!value)
      rc = al_buf_printf(&detail, "header %s missing, expected present",
                         he->name);
    break;
  case AL_HEXPECT_ABSENT:
    if (value)
      rc = al_buf_printf(&detail, "header %s present, expected absent",
                         he->name);
    break;
  case AL_HEXPECT_MATCH: {
    if (!value) {
      rc = al_buf_printf(&detail, "header %s missing, expected to match %s",
                         he->name, he->pattern);
      break;
    }
    regex_t re;
    int cr = regcomp(&re, he->pattern, REG_EXTENDED | REG_NOSUB);
    if (cr != 0) {
      rc = al_buf_printf(&detail, "header %s: invalid pattern %s", he->name,
                         he->pattern);
      break;
    }
    /* Each field on its own first, then the folded value, so both
     * "^/users/[0-9]+$" on one field and a pattern over a list work. */
    int matched = regexec(&re, value, 0, NULL, 0) == 0;
    for (size_t i = 0; i < res->headers.count && !matched; i++)
      if (al_strcaseeq(res->headers.items[i].name, he->name))
        matched = regexec(&re, res->headers.items[i].value, 0, NULL, 0) == 0;
    regfree(&re);
    if (!matched) {
      rc = al_buf_printf(&detail, "header %s '", he->name);
      if (rc == AL_OK)
        rc = append_one_line(&detail, shown, strlen(shown), QUOTE_MAX);
      if (rc == AL_OK)
        rc = al_buf_printf(&detail, "' does not match %s", he->pattern);
    }
    break;
  }
  }
  if (rc == AL_OK && detail.len > 0)
    rc = al_check_hits_add(out, al_buf_str(&detail), al_buf_str(&ev));
out:
  free(value);
  al_buf_cleanup(&detail);
  al_buf_cleanup(&ev);
  return rc;
}

static enum al_code check_expectation(const void *state,
                                      const struct al_check_input *in,
                                      struct al_check_hits *out)
{
  (void)state;
  const struct al_expect *ex = in->expect;
  const struct al_response *res = in->res;
  if (!ex)
    return AL_OK;
  if (ex->has_status && !status_in(&ex->status, res->status)) {
    char detail[600];
    snprintf(detail, sizeof detail, "status %ld, expected %s", res->status,
             ex->status.text ? ex->status.text : "?");
    enum al_code rc = al_check_hits_add(
        out, detail, res->status_line ? res->status_line : "");
    if (rc != AL_OK)
      return rc;
  }
  for (size_t i = 0; i < ex->header_count; i++) {
    enum al_code rc = expect_header(&ex->headers[i], res, in->redactor, out);
    if (rc != AL_OK)
      return rc;
  }
  return AL_OK;
}

/* ------------------------------------------------------------------ */

static const struct al_check_def checks[] = {
    {"error-body", AL_CHECK_RESPONSE,
     "the JSON body says the request failed (success/result/ok false, a "
     "non-empty error/errors, a 4xx/5xx status/code/statusCode)",
     NULL, NULL, check_error_body},
    {"expectation", AL_CHECK_EXPECT,
     "the endpoint's `expect:` (status, headers) is not met; one hit per "
     "mismatch",
     NULL, NULL, check_expectation},
    {"no-content-body", AL_CHECK_RESPONSE,
     "the response carries content: stray bytes after the head, body bytes, "
     "Content-Length above 0, or Transfer-Encoding",
     NULL, NULL, check_no_content},
    {"not-modified-body", AL_CHECK_RESPONSE,
     "the response carries actual content bytes (Content-Length and "
     "Transfer-Encoding may describe the representation and do not count)",
     NULL, NULL, check_not_modified},
    {"server-error-leak", AL_CHECK_RESPONSE,
     "body or headers show a stack trace, an SQL error, a framework debug "
     "page or a server file path",
     leak_init, leak_free, check_leak},
    {"transport", AL_CHECK_TRANSPORT,
     "no usable HTTP response: curl's reason is the detail", NULL, NULL,
     check_transport},
};

const struct al_check_def *al_check_all(size_t *count)
{
  *count = sizeof checks / sizeof checks[0];
  return checks;
}

const struct al_check_def *al_check_find(const char *name)
{
  for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
    if (strcmp(checks[i].name, name) == 0)
      return &checks[i];
  return NULL;
}

const char *al_check_suggest(const char *name)
{
  struct al_suggest sug;
  al_suggest_init(&sug, name);
  for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
    al_suggest_consider(&sug, checks[i].name);
  return al_suggest_result(&sug);
}
