/* checks.c - the named C checks that rule files refer to with `check: NAME`
 * for what `when:`/`require:` data cannot say: reading a JSON body, hunting
 * stack traces, weighing the content signals of a 204/304, and the two
 * engine-level checks (transport failure, spec expectations). Input is one
 * response; output is zero or more hits (detail + evidence) the engine
 * turns into findings. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "engine.h"
#include "ere_guard.h"
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

/* The body describes a resource rather than wrapping a request's outcome:
 * it has an "id" (or "_id", "uuid"), a "done" flag (a long-running
 * operation, Google AIP-151), or a "status"/"state" that names a finished
 * job's failure. Its "error", "errors", "status" and "code" then tell about
 * that resource - a failed job, a webhook delivery that got a 503, a lint
 * report with its errors - and a 200 for the request that fetched it is
 * right. */
static int is_resource(const cJSON *root)
{
  static const char *const failed_states[] = {
      "failed",  "failure",   "errored",  "timed_out", "timedout",
      "aborted", "cancelled", "canceled", "rejected",  NULL};
  for (const cJSON *it = root->child; it; it = it->next) {
    if (key_is(it, "id") || key_is(it, "_id") || key_is(it, "uuid"))
      return 1;
    if (key_is(it, "done") && cJSON_IsBool(it))
      return 1;
    if ((key_is(it, "status") || key_is(it, "state")) && cJSON_IsString(it) &&
        it->valuestring)
      for (size_t i = 0; failed_states[i]; i++)
        if (al_strcaseeq(it->valuestring, failed_states[i]))
          return 1;
  }
  return 0;
}

/* A JSON-RPC reply: its "result" is the method's return value, so a
 * "result": false is an answer, not a failure. */
static int is_jsonrpc(const cJSON *root)
{
  for (const cJSON *it = root->child; it; it = it->next)
    if (key_is(it, "jsonrpc"))
      return 1;
  return 0;
}

/* Why 'item' (a top-level member) says "failed", or NULL. Deliberately
 * narrow: booleans that are false, non-empty error members, and numeric
 * 4xx/5xx statuses. Strings such as "400" or "fail" are not taken: a job
 * resource may well report "status": "failed" for a request that worked.
 * 'resource' and 'rpc' come from is_resource() and is_jsonrpc(). */
static const char *failure_reason(const cJSON *item, int resource, int rpc)
{
  if ((key_is(item, "success") || key_is(item, "ok") ||
       (key_is(item, "result") && !rpc)) &&
      cJSON_IsFalse(item))
    return "false";
  if (resource)
    return NULL;
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

static int is_json_space(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The body parsed as ONE JSON object, or NULL: not JSON, a list, or several
 * values (NDJSON: a log of records, not an answer). A UTF-8 BOM and
 * surrounding whitespace are allowed. Sets *start to the '{'. */
static cJSON *parse_object(const struct al_buf *body, size_t *start)
{
  size_t skip = 0;
  if (body->len >= 3 && memcmp(body->data, "\xEF\xBB\xBF", 3) == 0)
    skip = 3;
  while (skip < body->len && is_json_space(body->data[skip]))
    skip++;
  /* Only a JSON object can carry members; free text never fires. */
  if (skip == body->len || body->data[skip] != '{')
    return NULL;
  const char *end = NULL;
  cJSON *root =
      cJSON_ParseWithLengthOpts(body->data + skip, body->len - skip, &end, 0);
  if (!root)
    return NULL;
  size_t at = end ? (size_t)(end - body->data) : body->len;
  while (at < body->len && is_json_space(body->data[at]))
    at++;
  if (at < body->len || !cJSON_IsObject(root)) {
    cJSON_Delete(root);
    return NULL;
  }
  *start = skip;
  return root;
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
  cJSON *root = parse_object(body, &skip);
  if (!root)
    return AL_OK;
  enum al_code rc = AL_OK;
  struct al_buf detail;
  al_buf_init(&detail);
  int quoted = 0;
  int rpc = is_jsonrpc(root);
  /* A JSON-RPC "id" names the call, not a resource. */
  int resource = !rpc && is_resource(root);
  for (const cJSON *item = root->child; item && rc == AL_OK;
       item = item->next) {
    if (!failure_reason(item, resource, rpc))
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

enum leak_kind {
  LEAK_TEXT, /* the match is the evidence */
  LEAK_PATH  /* a file path: not when it is a URL in markup or a URL header */
};

struct leak_pattern {
  const char *what;
  const char *ere;
  enum leak_kind kind;
};

/* Source and config file endings that make "/app/x", "/srv/x", "/home/u/x"
 * a file on the server rather than an API route. */
#define SRC_EXT                                                                \
  "(js|mjs|cjs|jsx|ts|tsx|py|pyc|rb|erb|php|phtml|inc|java|class|jar|kt|"      \
  "scala|groovy|go|cs|vb|fs|cshtml|dll|so|ex|exs|pl|sh|sql|sqlite|db|json|"    \
  "env|ya?ml|ini|conf|cfg|toml|properties|xml|log|pem|key)"

/* Ordered most telling first: the first pattern that matches anywhere is
 * the one reported. Each is specific enough that a generic error message
 * ("Internal Server Error", "something went wrong") and the stock error
 * pages of proxies and frameworks in production never match. EVERY
 * repetition is bounded ({0,120}, never * or +): glibc's regexec tries each
 * start position and runs on as far as the pattern allows, so an unbounded
 * class is quadratic - "System." repeated over 1 MiB took 7 minutes with
 * "([A-Z][A-Za-z0-9]*\\.)*". Bounds keep a hostile 1 MiB body near 0.3 s. Text
 * quoted in JSON has its backslashes doubled ("Illuminate\\Database"), so
 * patterns with a backslash accept one or two. */
static const struct leak_pattern leak_patterns[] = {
    /* "at java.base/java.lang.Thread.run(Thread.java:833)": Java 9+
     * prefixes a module (or a class loader, "app//"). */
    {"a Java stack trace",
     "at [A-Za-z_$][A-Za-z0-9_$<>@/-]{0,100}\\.[A-Za-z0-9_$.<>@/-]{1,300}"
     "\\(([A-Za-z0-9_$-]{1,100}\\.(java|kt|scala|groovy):[0-9]{1,7}|"
     "Native Method|Unknown Source)\\)",
     LEAK_TEXT},
    {"a Python traceback", "Traceback \\(most recent call last\\)", LEAK_TEXT},
    {"a Python stack frame", "File \"[^\"]{1,300}\\.py\", line [0-9]{1,7}",
     LEAK_TEXT},
    {"a Node.js stack trace",
     "at ((async|new) )?[^ ()]{1,200}( \\[as [^]]{1,100}\\])? "
     "\\((/|[A-Za-z]:\\\\|file://|node:)[^()]{0,300}:[0-9]{1,7}:[0-9]{1,7}\\)",
     LEAK_TEXT},
    {"a Node.js stack trace",
     "at (async )?(/|file://|node:)[^ "
     "()]{0,300}\\.[cm]?js:[0-9]{1,7}:[0-9]{1,7}",
     LEAK_TEXT},
    {"a Go panic trace",
     "goroutine [0-9]{1,10} \\[[a-zA-Z0-9 ,]{1,80}\\]:", LEAK_TEXT},
    {"a Go panic", "panic: runtime error", LEAK_TEXT},
    {"a Go stack frame", "\\.go:[0-9]{1,7} \\+0x[0-9a-f]{1,16}", LEAK_TEXT},
    {"a PHP error",
     "(Fatal|Parse|Catchable fatal) error(</b>)?: .{0,200} on "
     "line (<b>)?[0-9]{1,7}|"
     "(Fatal|Parse) error(</b>)?: {1,10}Uncaught |"
     "thrown in (<b>)?[^ <]{1,300}(</b>)? on line|"
     " in (<b>)?[^ <]{1,300}\\.(php|inc|phtml)(</b>)? on line (<b>)?[0-9]{1,7}",
     LEAK_TEXT},
    {"a PHP stack trace", "Stack trace:\r?\n#0 ", LEAK_TEXT},
    {"a .NET exception", "(System|Microsoft)\\.[A-Za-z0-9.]{0,120}Exception",
     LEAK_TEXT},
    {"a .NET stack frame", " in ([A-Za-z]:\\\\|/)[^ ]{0,300}:line [0-9]{1,7}",
     LEAK_TEXT},
    {"the ASP.NET developer exception page",
     "An unhandled exception occurred while processing the request", LEAK_TEXT},
    /* No leading "[A-Za-z0-9_./-]+": glibc's regexec goes quadratic on an
     * unanchored repeated class; leak_match widens the quote instead. */
    {"a Ruby backtrace", "\\.rb:[0-9]{1,7}:in ", LEAK_TEXT},
    {"a Java exception",
     "(java|javax|jakarta)\\.[a-z]{1,30}\\.[A-Za-z0-9_.]{0,100}"
     "[A-Z][A-Za-z0-9_]{0,60}(Exception|Error)",
     LEAK_TEXT},
    {"an SQL syntax error", "syntax error at or near", LEAK_TEXT},
    {"an SQL syntax error", "You have an error in your SQL syntax", LEAK_TEXT},
    {"an SQL error", "SQLSTATE", LEAK_TEXT},
    {"an Oracle error", "ORA-[0-9]{5}", LEAK_TEXT},
    {"an SQLite error", "SQLITE_[A-Z]{1,40}|sqlite3\\.[A-Za-z]{0,40}Error",
     LEAK_TEXT},
    /* A JSON-quoted relation name reads relation \"users\". */
    {"a PostgreSQL error",
     "relation \\\\?\"[^\"]{1,200}\" does not exist|"
     "psycopg2?\\.(errors|extensions)\\.|\\(psycopg2?\\.[A-Za-z.]{1,100}\\)|"
     "org\\.postgresql\\.|PSQLException",
     LEAK_TEXT},
    {"an SQLAlchemy error",
     "sqlalchemy\\.exc\\.|\\(Background on this error at: |\\[SQL: ",
     LEAK_TEXT},
    {"a Hibernate error", "org\\.hibernate\\.|; SQL \\[", LEAK_TEXT},
    {"an SQL Server error",
     "Incorrect syntax near|Unclosed quotation mark after the character "
     "string|Invalid object name '",
     LEAK_TEXT},
    {"a MySQL error",
     "ER_[A-Z_]{3,60}: |Duplicate entry '[^']{0,200}' for key|"
     "Unknown column '[^']{1,200}' in '|Table '[^']{1,200}' doesn't exist",
     LEAK_TEXT},
    {"a MongoDB error", "Mongo[A-Za-z]{0,40}Error|E11000 duplicate key",
     LEAK_TEXT},
    {"the Werkzeug debugger",
     "Werkzeug Debugger|werkzeug\\.debug|The debugger caught an exception",
     LEAK_TEXT},
    {"the Django debug page",
     "seeing this error because you have (<code>)?DEBUG = True", LEAK_TEXT},
    {"the Rails debug page",
     "Action Controller: Exception caught|ActionController::[A-Z]|"
     "ActiveRecord::[A-Z]",
     LEAK_TEXT},
    {"the Laravel/Symfony debug page",
     "Illuminate\\\\{1,2}[A-Z][A-Za-z]{0,60}\\\\|vendor/laravel/framework|"
     "Symfony\\\\{1,2}Component\\\\|Whoops\\\\{1,2}(Run|Handler)|"
     "laravel-ignition|facade/ignition",
     LEAK_TEXT},
    /* Not inside a URL ("https://example.com/home/help/"): the path must
     * start the text or follow a separator. Directories an API route may
     * share a name with (/app/, /srv/, /home/NAME/) count only with a
     * source or config file at the end: "/home/feed/items" is a route,
     * "/home/deploy/app/.env" is not. */
    {"a server file path",
     "(^|[^A-Za-z0-9._~%/-])(/var/www/|/usr/src/|/usr/local/go/src/|"
     "/usr/(local/)?lib/python[0-9.]{0,10}/|"
     "(/srv|/opt|/root|/app|/code|/workspace|/home/[A-Za-z0-9._-]{1,100}|"
     "/var/[a-z]{1,20})/[A-Za-z0-9._/-]{0,200}\\." SRC_EXT "([^A-Za-z0-9]|$))|"
     "/site-packages/|/node_modules/|"
     "[A-Za-z]:\\\\{1,2}(inetpub|Users|Windows|Program Files)\\\\",
     LEAK_PATH},
};

#define LEAK_COUNT (sizeof leak_patterns / sizeof leak_patterns[0])

/* Headers whose value may name a file: only debug headers do that on
 * purpose. Symfony sends the exception URL-encoded, so the header itself is
 * the evidence. */
static const char *const debug_headers[] = {"X-Debug-Exception",
                                            "X-Debug-Exception-File", NULL};

/* Headers that carry URLs: a path in them is a link, not a file. */
static const char *const url_headers[] = {"Link",
                                          "Location",
                                          "Content-Location",
                                          "Refresh",
                                          "Report-To",
                                          "Reporting-Endpoints",
                                          "NEL",
                                          "Alt-Svc",
                                          "Content-Security-Policy",
                                          "Content-Security-Policy-Report-Only",
                                          "Access-Control-Allow-Origin",
                                          NULL};

static int name_in(const char *name, const char *const *list)
{
  for (size_t i = 0; list[i]; i++)
    if (al_strcaseeq(name, list[i]))
      return 1;
  return 0;
}

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

/* 1 if text[at-2..at) is a JSON escape such as "\n": a trace quoted in a
 * JSON string ends its words there. */
static int json_escape_before(const char *text, size_t at)
{
  return at >= 2 && text[at - 2] == '\\' && strchr("nrt\"", text[at - 1]);
}

/* 1 if the path starting at text[at] is a URL in markup: an attribute
 * value (src="/app/main.js", href=/node_modules/x.css), a Link target
 * (</app/main.js>) or a CSS url(...). A 503 maintenance page loads its
 * scripts like any page. */
static int path_is_url(const char *text, size_t at)
{
  size_t p = at;
  if (p > 0 && (text[p - 1] == '"' || text[p - 1] == '\''))
    p--;
  if (p > 0 && (text[p - 1] == '=' || text[p - 1] == '<'))
    return 1;
  return p >= 4 && memcmp(text + p - 4, "url(", 4) == 0;
}

/* The length of a credential value at s[i..n) following a key such as
 * password=, "secret": or token: at s[i], or 0. */
static size_t credential_at(const char *s, size_t n, size_t i, size_t *value)
{
  static const char *const keys[] = {
      "password", "passwd",  "pwd",        "secret",      "token", "api_key",
      "apikey",   "api-key", "access_key", "private_key", NULL};
  if (!strchr("pPsStTaA", s[i]) || (i > 0 && isalnum((unsigned char)s[i - 1])))
    return 0;
  for (size_t k = 0; keys[k]; k++) {
    size_t kl = strlen(keys[k]);
    if (i + kl > n || strncasecmp(s + i, keys[k], kl) != 0)
      continue;
    size_t j = i + kl;
    while (j < n && (s[j] == '"' || s[j] == '\'' || s[j] == '\\'))
      j++;
    while (j < n && s[j] == ' ')
      j++;
    if (j >= n || (s[j] != '=' && s[j] != ':'))
      continue;
    j++;
    while (j < n &&
           (s[j] == ' ' || s[j] == '"' || s[j] == '\'' || s[j] == '\\'))
      j++;
    size_t v = j;
    while (j < n && s[j] && !strchr(" \t\r\n\"'\\&;,<>)}]", s[j]))
      j++;
    if (j > v) {
      *value = v;
      return j - v;
    }
  }
  return 0;
}

/* The password of "scheme://user:PASSWORD@host" when s[i] starts "://",
 * or 0. */
static size_t userinfo_at(const char *s, size_t n, size_t i, size_t *value)
{
  if (s[i] != ':' || i + 2 >= n || s[i + 1] != '/' || s[i + 2] != '/')
    return 0;
  size_t j = i + 3, colon = 0;
  while (j < n && j - i < 200 && s[j] && !strchr("/@ \t\r\n\"'<>", s[j])) {
    if (s[j] == ':' && !colon)
      colon = j;
    j++;
  }
  if (j >= n || s[j] != '@' || !colon || j == colon + 1)
    return 0;
  *value = colon + 1;
  return j - colon - 1;
}

/* regexec needs a C string: a copy of the bytes with NUL made visible as a
 * space, so a binary body cannot hide text after its first zero byte, and
 * with what looks like a credential masked - the password of a connection
 * string, the value after password=, "secret":, token= ... - because error
 * pages quote settings and connection strings, and the excerpt of a leak
 * must not spread them. Masking before matching keeps every quote and
 * excerpt clean wherever it is cut. NULL on OOM. */
static char *scannable(const char *data, size_t len, size_t *out_len)
{
  struct al_buf b;
  al_buf_init(&b);
  size_t done = 0;
  for (size_t i = 0; i < len; i++) {
    size_t v = 0, vlen = userinfo_at(data, len, i, &v);
    if (!vlen)
      vlen = credential_at(data, len, i, &v);
    if (!vlen)
      continue;
    if (al_buf_append(&b, data + done, v - done) != AL_OK ||
        al_buf_append_str(&b, "***") != AL_OK)
      goto nomem;
    done = v + vlen;
    i = done - 1;
  }
  if (al_buf_append(&b, data + done, len - done) != AL_OK ||
      al_buf_append_char(&b, '\0') != AL_OK)
    goto nomem;
  b.len--;
  for (size_t i = 0; i < b.len; i++)
    if (b.data[i] == '\0')
      b.data[i] = ' ';
  *out_len = b.len;
  return al_buf_detach(&b);
nomem:
  al_buf_cleanup(&b);
  return NULL;
}

/* Adds the hit for a match at text[so..eo): the kind and the quoted word
 * as detail, ~120 bytes around it as evidence. */
static int leak_hit(const char *what, const char *text, size_t len, size_t so,
                    size_t eo, const char *where, struct al_check_hits *out)
{
  struct al_buf detail, evb;
  al_buf_init(&detail);
  al_buf_init(&evb);
  char *ev = excerpt(text, len, so > 30 ? so - 30 : 0, so + EXCERPT_MAX - 30);
  int rc = -1;
  if (ev && al_buf_printf(&detail, "%s: '", what) == AL_OK &&
      append_one_line(&detail, text + so, eo - so, QUOTE_MAX) == AL_OK &&
      al_buf_append_char(&detail, '\'') == AL_OK &&
      al_buf_printf(&evb, "%s%s", where, ev) == AL_OK &&
      al_check_hits_add(out, al_buf_str(&detail), al_buf_str(&evb)) == AL_OK)
    rc = 1;
  free(ev);
  al_buf_cleanup(&detail);
  al_buf_cleanup(&evb);
  return rc;
}

/* Reports the first match of pattern 'i' in 'text' that counts as a hit;
 * 'where' prefixes the evidence ("header X-Debug: "). Returns 1 on a hit, 0
 * none, -1 OOM. */
static int leak_match(const regex_t *re, size_t i, const char *text, size_t len,
                      const char *where, struct al_check_hits *out)
{
  regmatch_t m;
  size_t base = 0;
  /* A path that turns out to be a URL does not end the search; the number
   * of retries is bounded so a page of 10,000 links stays fast. */
  for (int tries = 0; tries < 64 && base < len; tries++) {
    if (regexec(re, text + base, 1, &m, base ? REG_NOTBOL : 0) != 0)
      return 0;
    size_t so = base + (size_t)m.rm_so, eo = base + (size_t)m.rm_eo;
    /* Quote the whole word the match is in ("app/user.rb:12:in" rather
     * than ".rb:12:in", "/srv/app/config.json" rather than "/srv/"),
     * without the separator a pattern may have matched before it. */
    static const char stops[] = " \t\r\n\"'`(<>=,;";
    int paren = so < eo && text[so] == '(';
    while (so < eo && strchr(stops, text[so]) && text[so] != '\0')
      so++;
    if (leak_patterns[i].kind == LEAK_PATH && path_is_url(text, so)) {
      base = so + 1;
      continue;
    }
    /* Nor the character a pattern matched after it ("x.json\"}"). */
    while (eo > so && text[eo - 1] != ' ' && strchr(stops, text[eo - 1]))
      eo--;
    size_t mso = so;
    while (so > 0 && mso - so < 40 && !strchr(stops, text[so - 1]) &&
           !json_escape_before(text, so))
      so--;
    size_t meo = eo;
    while (eo < len && eo - meo < 40 && !strchr(stops, text[eo]) &&
           !(text[eo] == '\\' && eo + 1 < len && strchr("nrt\"", text[eo + 1])))
      eo++;
    /* "(psycopg2.errors.X)" is quoted without its parentheses. */
    if (paren && eo > so && text[eo - 1] == ')')
      eo--;
    while (eo > so && strchr(" \t\r\n", text[eo - 1]))
      eo--;
    return leak_hit(leak_patterns[i].what, text, len, so, eo, where, out);
  }
  return 0;
}

/* 'value' is the header's scannable (masked) value. */
static int header_hit(const char *name, const char *value, const char *what,
                      struct al_check_hits *out)
{
  struct al_buf detail, ev;
  al_buf_init(&detail);
  al_buf_init(&ev);
  int rc = -1;
  if (al_buf_printf(&detail, "%s: '%s'", what, name) == AL_OK &&
      al_buf_printf(&ev, "%s: ", name) == AL_OK &&
      append_one_line(&ev, value, strlen(value), EXCERPT_MAX) == AL_OK &&
      al_check_hits_add(out, al_buf_str(&detail), al_buf_str(&ev)) == AL_OK)
    rc = 1;
  al_buf_cleanup(&detail);
  al_buf_cleanup(&ev);
  return rc;
}

/* Pattern i over every header value it may look at; 'values' are the
 * scannable copies (NULL for a secret header, never quoted). */
static int leak_in_headers(const regex_t *re, size_t i,
                           const struct al_headers *hs, char *const *values,
                           struct al_check_hits *out)
{
  int hit = 0;
  for (size_t h = 0; h < hs->count && hit == 0; h++) {
    const char *name = hs->items[h].name;
    if (!values[h] ||
        (leak_patterns[i].kind == LEAK_PATH && name_in(name, url_headers)))
      continue;
    struct al_buf where;
    al_buf_init(&where);
    if (al_buf_printf(&where, "header %s: ", name) != AL_OK)
      hit = -1;
    else
      hit = leak_match(re, i, values[h], strlen(values[h]), al_buf_str(&where),
                       out);
    al_buf_cleanup(&where);
  }
  return hit;
}

static enum al_code check_leak(const void *state,
                               const struct al_check_input *in,
                               struct al_check_hits *out)
{
  const struct leak_state *st = state;
  const struct al_response *res = in->res;
  const struct al_headers *hs = &res->headers;
  int hit = -1;
  size_t len = 0, n = 0;
  char *body =
      scannable(res->body.data ? res->body.data : "", res->body.len, &len);
  char **values = calloc(hs->count ? hs->count : 1, sizeof *values);
  if (!body || !values)
    goto out;
  for (n = 0; n < hs->count; n++) {
    const struct al_header *f = &hs->items[n];
    /* A cookie or credential is not quoted, whatever it holds. */
    if (al_redactor_is_secret_name(in->redactor, f->name))
      continue;
    size_t vlen;
    if (!(values[n] = scannable(f->value, strlen(f->value), &vlen)))
      goto out;
  }
  hit = 0;
  for (size_t i = 0; i < LEAK_COUNT && hit == 0; i++) {
    hit = leak_match(&st->re[i], i, body, len, "", out);
    if (hit == 0)
      hit = leak_in_headers(&st->re[i], i, hs, values, out);
  }
  /* Last: a debug header whose value said nothing the patterns know. */
  for (size_t h = 0; h < hs->count && hit == 0; h++)
    if (values[h] && name_in(hs->items[h].name, debug_headers))
      hit = header_hit(hs->items[h].name, values[h], "a debug exception header",
                       out);
out:
  for (size_t h = 0; values && h < n; h++)
    free(values[h]);
  free(values);
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
/* version-disclosure: Server / X-Powered-By with a product version,   */
/* or an X-AspNet-Version / X-AspNetMvc-Version header. A C check only  */
/* because the message must quote whichever header it was.              */

/* "nginx/1.22.1", "PHP/8.1.2-1ubuntu2", "Foo/v1.2", "Express 4.x",
 * "Jetty(9.4.44)". The slash form needs the version to end at a word
 * boundary so CDN node ids such as "ECS (nyb/1D13)" and "Gateway/v2"
 * (a product generation) stay quiet. */
static const char version_ere[] =
    "[A-Za-z][A-Za-z0-9._+-]*/([0-9]+|v[0-9]+\\.[0-9]+)(\\.[0-9A-Za-z+-]+)*"
    "($|[ ;,(])"
    "|[A-Za-z0-9)] v?[0-9]+\\.[0-9x]"
    "|[A-Za-z]\\(v?[0-9]+\\.[0-9]";

static void version_free(void *state)
{
  if (state)
    regfree(state);
  free(state);
}

static enum al_code version_init(void **state, struct al_err *err)
{
  regex_t *re = malloc(sizeof *re);
  if (!re)
    return AL_E_NOMEM;
  if (regcomp(re, version_ere, REG_EXTENDED | REG_NOSUB) != 0) {
    free(re);
    return al_err_set(err, AL_E_INTERNAL, "", 0, 0,
                      "built-in version pattern does not compile");
  }
  *state = re;
  return AL_OK;
}

/* One hit quoting every offending header ("Server: nginx/1.22.1; ..."). */
static enum al_code check_version(const void *state,
                                  const struct al_check_input *in,
                                  struct al_check_hits *out)
{
  const struct al_headers *hs = &in->res->headers;
  struct al_buf q;
  al_buf_init(&q);
  enum al_code rc = AL_OK;
  for (size_t i = 0; i < hs->count && rc == AL_OK; i++) {
    const char *name = hs->items[i].name, *value = hs->items[i].value;
    int hit = al_strcaseeq(name, "X-AspNet-Version") ||
              al_strcaseeq(name, "X-AspNetMvc-Version");
    if (!hit &&
        (al_strcaseeq(name, "Server") || al_strcaseeq(name, "X-Powered-By")))
      hit = al_ere_match_value(state, value);
    if (!hit)
      continue;
    const char *shown = al_redact_header(in->redactor, name, value);
    if ((q.len && al_buf_append_str(&q, "; ") != AL_OK) ||
        al_buf_printf(&q, "%s: ", name) != AL_OK ||
        append_one_line(&q, shown, strlen(shown), QUOTE_MAX) != AL_OK)
      rc = AL_E_NOMEM;
  }
  if (rc == AL_OK && q.len)
    rc = al_check_hits_add(out, al_buf_str(&q), al_buf_str(&q));
  al_buf_cleanup(&q);
  return rc;
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
  if (!res->received && res->interim_count > 0)
    return AL_OK; /* the server answered, with 1xx only: "interim-only" */
  if (res->transport_error && res->transport_error[0])
    return al_check_hits_add(out, res->transport_error, "");
  char why[64];
  snprintf(why, sizeof why, "(%d) no HTTP response received", res->curl_code);
  return al_check_hits_add(out, why, "");
}

/* Only 1xx came and then nothing final (RFC 9110 15.2: 1xx is interim).
 * The detail quotes the last 1xx status line and what ended the wait
 * (curl's reason: the server closed, or the timeout struck). */
static enum al_code check_interim_only(const void *state,
                                       const struct al_check_input *in,
                                       struct al_check_hits *out)
{
  (void)state;
  const struct al_response *res = in->res;
  if (res->received || res->interim_count == 0)
    return AL_OK;
  const char *line = res->last_interim_line ? res->last_interim_line : "1xx";
  const char *why =
      res->transport_error ? res->transport_error : "the connection ended";
  struct al_buf detail, ev;
  al_buf_init(&detail);
  al_buf_init(&ev);
  enum al_code rc = al_buf_append_char(&detail, '\'');
  if (rc == AL_OK)
    rc = append_one_line(&detail, line, strlen(line), QUOTE_MAX);
  if (rc == AL_OK)
    rc = al_buf_append_str(&detail, "' came, then ");
  if (rc == AL_OK)
    rc = append_one_line(&detail, why, strlen(why), QUOTE_MAX);
  if (rc == AL_OK)
    rc = append_one_line(&ev, line, strlen(line), QUOTE_MAX);
  if (rc == AL_OK)
    rc = al_check_hits_add(out, al_buf_str(&detail), al_buf_str(&ev));
  al_buf_cleanup(&detail);
  al_buf_cleanup(&ev);
  return rc;
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
    int matched = al_ere_match_value(&re, value);
    for (size_t i = 0; i < res->headers.count && !matched; i++)
      if (al_strcaseeq(res->headers.items[i].name, he->name))
        matched = al_ere_match_value(&re, res->headers.items[i].value);
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
/* The fuller catalogue (RULES.md): a 202's monitor, a client error's    */
/* detail, a status in the body, Content-Type against the body, Accept,  */
/* WWW-Authenticate syntax, HEAD with a body.                            */

#define JSON_WALK_DEPTH 32 /* deeper JSON is not walked (a hostile body) */

/* The body without a UTF-8 BOM and surrounding JSON whitespace. Returns 0
 * when nothing is left (no body, or only whitespace). */
static int body_core(const struct al_buf *body, const char **s, size_t *n)
{
  size_t from = 0, to = body->data ? body->len : 0;
  if (to >= 3 && memcmp(body->data, "\xEF\xBB\xBF", 3) == 0)
    from = 3;
  while (from < to && is_json_space(body->data[from]))
    from++;
  while (to > from && is_json_space(body->data[to - 1]))
    to--;
  *s = from < to ? body->data + from : "";
  *n = to - from;
  return *n > 0;
}

/* s[0..n) parsed as exactly one JSON value of any type, or NULL. */
static cJSON *parse_one_json(const char *s, size_t n)
{
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts(s, n, &end, 0);
  if (!root)
    return NULL;
  size_t at = end ? (size_t)(end - s) : n;
  while (at < n && is_json_space(s[at]))
    at++;
  if (at < n) {
    cJSON_Delete(root);
    return NULL;
  }
  return root;
}

/* 1 if s[0..n) is one or more JSON values separated by whitespace: one
 * document, or a stream of them (NDJSON, Docker's progress stream) that
 * some servers label application/json. */
static int is_json_text(const char *s, size_t n)
{
  size_t at = 0;
  while (at < n) {
    const char *end = NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(s + at, n - at, &end, 0);
    if (!v)
      return 0;
    cJSON_Delete(v);
    size_t next = end ? (size_t)(end - s) : n;
    if (next <= at) /* no progress: never loop */
      return 0;
    at = next;
    while (at < n && is_json_space(s[at]))
      at++;
  }
  return 1;
}

/* 1 if 'needle' (lower case) occurs in s[0..n) ignoring ASCII case. */
static int contains_ci(const char *s, size_t n, const char *needle)
{
  size_t m = strlen(needle);
  for (size_t i = 0; m <= n && i <= n - m; i++) {
    size_t k = 0;
    while (k < m && tolower((unsigned char)s[i + k]) == needle[k])
      k++;
    if (k == m)
      return 1;
  }
  return 0;
}

static int has_prefix_ci(const char *s, const char *prefix)
{
  return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* A member name (or a short text) folded for comparison: lower-case
 * letters and digits only ("status_url", "statusUrl" and "Status-URL" all
 * give "statusurl"; "Bad Request." gives "badrequest"); bytes of UTF-8
 * text are kept, so non-English text is never folded away. Returns 0 when
 * it does not fit in 'size'. */
static int fold_name(const char *s, size_t n, char *out, size_t size)
{
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (!isalnum(c) && c < 0x80)
      continue;
    if (k + 1 >= size)
      return 0;
    out[k++] = (char)tolower(c);
  }
  out[k] = '\0';
  return 1;
}

static int in_list(const char *word, const char *const *list)
{
  for (size_t i = 0; list[i]; i++)
    if (strcmp(word, list[i]) == 0)
      return 1;
  return 0;
}

static int ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A quoted piece of the body for a message: one line, at most QUOTE_MAX. */
static enum al_code quote_body(struct al_buf *b, const char *s, size_t n)
{
  return append_one_line(b, s, n, QUOTE_MAX);
}

/* ---- accepted-without-monitor -------------------------------------- */

/* Headers through which a 202 points at its job: the RFC's Location and
 * Content-Location, a Link, and Azure's long-running-operation headers. */
static const char *const monitor_headers[] = {
    "Location",           "Content-Location",     "Link",
    "Operation-Location", "Azure-AsyncOperation", NULL};

/* Member names (folded) that hold a link: href, self, status_url,
 * statusQueryGetUri, _links ... */
static int is_link_name(const char *folded)
{
  static const char *const names[] = {
      "href", "link",    "links",    "url",  "uri",       "location",
      "self", "monitor", "callback", "poll", "statusurl", NULL};
  return in_list(folded, names) || ends_with(folded, "url") ||
         ends_with(folded, "uri") || ends_with(folded, "href") ||
         ends_with(folded, "link") || ends_with(folded, "location");
}

static int is_absolute_url(const char *s)
{
  return (has_prefix_ci(s, "http://") && s[7] &&
          !isspace((unsigned char)s[7])) ||
         (has_prefix_ci(s, "https://") && s[8] &&
          !isspace((unsigned char)s[8]));
}

/* A link-named member's value is a link when it is a URL or a path:
 * "/jobs/7", "jobs/7", "https://api.example.com/jobs/7". "eu-west-1" and
 * free text are not. */
static int is_path_or_url(const char *s)
{
  if (!s[0])
    return 0;
  for (const char *p = s; *p; p++)
    if (isspace((unsigned char)*p))
      return 0;
  return strchr(s, '/') != NULL;
}

/* 1 if the JSON value holds a link: a link-named member with a URL or
 * path, or any absolute http(s) URL (in a 202 that is the job's address). */
static int json_has_link(const cJSON *node, int depth)
{
  if (depth > JSON_WALK_DEPTH)
    return 0;
  for (const cJSON *it = node->child; it; it = it->next) {
    if (cJSON_IsString(it) && it->valuestring) {
      char folded[64];
      if (is_absolute_url(it->valuestring))
        return 1;
      if (it->string &&
          fold_name(it->string, strlen(it->string), folded, sizeof folded) &&
          is_link_name(folded) && is_path_or_url(it->valuestring))
        return 1;
    } else if ((cJSON_IsObject(it) || cJSON_IsArray(it)) &&
               json_has_link(it, depth + 1)) {
      return 1;
    }
  }
  return 0;
}

static enum al_code check_monitor(const void *state,
                                  const struct al_check_input *in,
                                  struct al_check_hits *out)
{
  (void)state;
  const struct al_response *res = in->res;
  for (size_t i = 0; i < res->headers.count; i++) {
    const struct al_header *f = &res->headers.items[i];
    if (name_in(f->name, monitor_headers) &&
        f->value[strspn(f->value, " \t")] != '\0')
      return AL_OK;
  }
  /* The link may lie past what was kept of a long body. */
  if (res->body_truncated)
    return AL_OK;
  const char *s;
  size_t n;
  if (!body_core(&res->body, &s, &n))
    return al_check_hits_add(
        out, "no Location, Content-Location or Link header and an empty body",
        res->status_line ? res->status_line : "");
  int linked = 0;
  cJSON *root = parse_one_json(s, n);
  if (root) {
    linked = (cJSON_IsString(root) && root->valuestring &&
              is_absolute_url(root->valuestring)) ||
             json_has_link(root, 0);
    cJSON_Delete(root);
  } else {
    /* Text or HTML: a URL, or an href attribute. */
    linked = contains_ci(s, n, "http://") || contains_ci(s, n, "https://") ||
             contains_ci(s, n, "href=");
  }
  if (linked)
    return AL_OK;
  char *ev = excerpt(s, n, 0, EXCERPT_MAX);
  if (!ev)
    return AL_E_NOMEM;
  enum al_code rc = al_check_hits_add(
      out,
      "no Location, Content-Location or Link header and no link in the body",
      ev);
  free(ev);
  return rc;
}

/* ---- client-error-without-detail ----------------------------------- */

/* Texts that say only "it failed": reason phrases, generic words and the
 * sentences of stock error pages, folded like member names (so
 * "Bad Request", "BAD_REQUEST" and "bad-request" are one). Leading and
 * trailing numbers ("400 Bad Request", "Bad Request (400)") and a trailing
 * "error"/"exception" ("BadRequestException") are dropped first. */
static const char *const generic_texts[] = {
    "", "badrequest", "invalidrequest", "invalid", "notvalid", "error",
    "errors", "fail", "failed", "failure", "conflict", "unprocessableentity",
    "unprocessablecontent", "unprocessable", "client", "request", "http",
    "httpstatus", "statusbadrequest", "statusconflict",
    "statusunprocessableentity", "invalidinput", "invalidinputs", "invaliddata",
    "invalidrequestdata", "invalidparameter", "invalidparameters",
    "invalidparam", "invalidparams", "invalidargument", "invalidarguments",
    "invalidvalue", "invalidvalues", "invalidbody", "invalidrequestbody",
    "invalidrequestparameters", "badinput", "badparameter", "badparameters",
    "badrequestbody", "wronginput", "wrongrequest", "bad", "malformedrequest",
    "validation", "validationfailed", "validationerrors",
    "requestvalidationfailed", "inputvalidationfailed", "anerroroccurred",
    "anerrorhasoccurred", "erroroccurred", "anunexpectederroroccurred",
    "unexpected", "somethingwentwrong", "somethingwentwrongpleasetryagain",
    "requestfailed", "requestfailedwithstatuscode", "unknown", "oops", "null",
    "none", "na", "undefined", "nomessage", "nomessageavailable",
    "therequestisinvalid", "therequestwasinvalid", "yourrequestisinvalid",
    "yourrequestwasinvalid", "requestisinvalid", "invalidrequestreceived",
    "therequestcouldnotbeunderstoodbytheserverduetomalformedsyntax",
    "yourbrowsersentarequestthatthisservercouldnotunderstand",
    "thebrowserorproxysentarequestthatthisservercouldnotunderstand",
    "theservercannotorwillnotprocesstherequestduetosomethingthatisperceived"
    "tobeaclienterror",
    "oneormorevalidationerrorsoccurred",
    /* Korean, as in seed 004: return jsonify(error="잘못된 요청입니다."),
     * 400 ("it is a bad request"); "an error occurred"; "conflict". */
    "\xEC\x9E\x98\xEB\xAA\xBB\xEB\x90\x9C\xEC\x9A\x94\xEC\xB2\xAD"
    "\xEC\x9E\x85\xEB\x8B\x88\xEB\x8B\xA4",
    "\xEC\x9E\x98\xEB\xAA\xBB\xEB\x90\x9C\xEC\x9A\x94\xEC\xB2\xAD",
    "\xEC\x98\xA4\xEB\xA5\x98", "\xEC\x97\x90\xEB\x9F\xAC",
    "\xEC\x98\xA4\xEB\xA5\x98\xEA\xB0\x80\xEB\xB0\x9C\xEC\x83\x9D\xED\x96"
    "\x88\xEC\x8A\xB5\xEB\x8B\x88\xEB\x8B\xA4",
    "\xEC\xB6\xA9\xEB\x8F\x8C", "\xEC\x8B\xA4\xED\x8C\xA8", NULL};

/* 1 if s[0..n) says nothing but "it failed". */
static int is_generic_text(const char *s, size_t n)
{
  char f[160];
  if (!fold_name(s, n, f, sizeof f))
    return 0; /* a long text says something */
  char *p = f;
  if (strncmp(p, "http", 4) == 0 && isdigit((unsigned char)p[4]))
    p += 4;
  while (isdigit((unsigned char)*p))
    p++;
  size_t len = strlen(p);
  while (len > 0 && isdigit((unsigned char)p[len - 1]))
    p[--len] = '\0';
  if (in_list(p, generic_texts))
    return 1;
  static const char *const suffixes[] = {"exception", "errors", "error", NULL};
  for (size_t i = 0; suffixes[i]; i++) {
    size_t m = strlen(suffixes[i]);
    if (len > m && ends_with(p, suffixes[i])) {
      char cut[160];
      memcpy(cut, p, len - m);
      cut[len - m] = '\0';
      if (in_list(cut, generic_texts))
        return 1;
    }
  }
  return 0;
}

/* Members (folded names) that describe the response, not the mistake:
 * their values - a timestamp, the request path, a trace id, the status -
 * never count as detail. Names ending in url/uri/href are links too. */
static const char *const meta_members[] = {
    "timestamp", "time",       "date",       "datetime",   "path",
    "instance",  "type",       "requestid",  "traceid",    "correlationid",
    "spanid",    "errorid",    "incidentid", "logref",     "reference",
    "ref",       "id",         "status",     "statuscode", "httpstatus",
    "httpcode",  "statustext", "method",     "url",        "uri",
    "href",      "link",       "links",      "self",       "documentation",
    "docs",      "moreinfo",   "version",    "apiversion", "service",
    "host",      "server",     "locale",     NULL};

/* Members whose value is judged by what it says: "message": "Bad Request"
 * says nothing, "message": "email is required" does. Any other member
 * ("email", "field", "param", "balance") is detail in itself. */
static const char *const said_members[] = {"message",
                                           "msg",
                                           "messages",
                                           "detail",
                                           "details",
                                           "description",
                                           "errordescription",
                                           "error",
                                           "errors",
                                           "errormessage",
                                           "errormsg",
                                           "title",
                                           "reason",
                                           "code",
                                           "errorcode",
                                           "name",
                                           "text",
                                           "info",
                                           "summary",
                                           "hint",
                                           "cause",
                                           "explanation",
                                           "success",
                                           "ok",
                                           "result",
                                           "data",
                                           "meta",
                                           "severity",
                                           "level",
                                           "usermessage",
                                           "developermessage",
                                           "localizedmessage",
                                           "nonfielderrors",
                                           NULL};

static int is_meta_member(const char *folded)
{
  return in_list(folded, meta_members) || ends_with(folded, "url") ||
         ends_with(folded, "uri") || ends_with(folded, "href");
}

static int json_is_empty(const cJSON *v)
{
  return cJSON_IsNull(v) ||
         (cJSON_IsString(v) &&
          (!v->valuestring ||
           v->valuestring[strspn(v->valuestring, " \t\r\n")] == '\0')) ||
         ((cJSON_IsArray(v) || cJSON_IsObject(v)) && !v->child);
}

/* 1 if the JSON value says something about what was wrong. */
static int json_has_detail(const cJSON *node, int depth)
{
  if (depth > JSON_WALK_DEPTH)
    return 1; /* not walked: assume it says something */
  if (cJSON_IsString(node))
    return node->valuestring &&
           !is_generic_text(node->valuestring, strlen(node->valuestring));
  if (cJSON_IsArray(node)) {
    for (const cJSON *it = node->child; it; it = it->next)
      if (json_has_detail(it, depth + 1))
        return 1;
    return 0;
  }
  if (!cJSON_IsObject(node))
    return 0;
  for (const cJSON *it = node->child; it; it = it->next) {
    char folded[64];
    if (!it->string ||
        !fold_name(it->string, strlen(it->string), folded, sizeof folded))
      return 1; /* a long name is not one of ours: a field */
    if (is_meta_member(folded))
      continue;
    if (!in_list(folded, said_members)) {
      if (!json_is_empty(it))
        return 1;
      continue;
    }
    if (json_has_detail(it, depth + 1))
      return 1;
  }
  return 0;
}

/* A server's signature line on a stock page: "nginx/1.22.1",
 * "Apache/2.4.57 (Debian) Server at example.com Port 80", "cloudflare". */
static int is_server_signature(const char *s, size_t n)
{
  static const char *const products[] = {
      "nginx",     "openresty", "apache",   "cloudflare", "microsoft-httpapi",
      "envoy",     "caddy",     "tengine",  "lighttpd",   "awselb",
      "litespeed", "varnish",   "gunicorn", NULL};
  for (size_t i = 0; products[i]; i++) {
    size_t m = strlen(products[i]);
    if (n >= m && strncasecmp(s, products[i], m) == 0 &&
        (n == m || s[m] == '/'))
      return 1;
  }
  return 0;
}

/* 1 if a text or HTML body says something beyond generic words: each line
 * (and, in HTML, each run of text between tags) is judged on its own. */
static int text_has_detail(const char *s, size_t n)
{
  int html = s[0] == '<';
  size_t i = 0;
  while (i < n) {
    if (html && s[i] == '<') {
      while (i < n && s[i] != '>')
        i++;
      i++;
      continue;
    }
    size_t start = i;
    while (i < n && s[i] != '\n' && !(html && s[i] == '<'))
      i++;
    size_t a = start, b = i;
    while (a < b && isspace((unsigned char)s[a]))
      a++;
    while (b > a && isspace((unsigned char)s[b - 1]))
      b--;
    if (b > a && !is_generic_text(s + a, b - a) &&
        !is_server_signature(s + a, b - a))
      return 1;
    if (i < n && s[i] == '\n')
      i++;
  }
  return 0;
}

static int is_head_request(const struct al_check_input *in)
{
  return in->req && in->req->method && strcmp(in->req->method, "HEAD") == 0;
}

static enum al_code check_error_detail(const void *state,
                                       const struct al_check_input *in,
                                       struct al_check_hits *out)
{
  (void)state;
  const struct al_response *res = in->res;
  /* A HEAD answer has no body to explain in; a cut body is not judged. */
  if (is_head_request(in) || res->body_truncated || res->body_incomplete)
    return AL_OK;
  const char *s;
  size_t n;
  if (!body_core(&res->body, &s, &n))
    return al_check_hits_add(out, "empty body",
                             res->status_line ? res->status_line : "");
  cJSON *root = parse_one_json(s, n);
  int detail = root ? json_has_detail(root, 0) : text_has_detail(s, n);
  cJSON_Delete(root);
  if (detail)
    return AL_OK;
  struct al_buf d;
  al_buf_init(&d);
  char *ev = excerpt(s, n, 0, EXCERPT_MAX);
  enum al_code rc = AL_E_NOMEM;
  if (ev && al_buf_append_str(&d, "the body says only '") == AL_OK &&
      quote_body(&d, s, n) == AL_OK && al_buf_append_char(&d, '\'') == AL_OK)
    rc = al_check_hits_add(out, al_buf_str(&d), ev);
  free(ev);
  al_buf_cleanup(&d);
  return rc;
}

/* ---- status-mismatch-in-body --------------------------------------- */

static enum al_code check_body_status(const void *state,
                                      const struct al_check_input *in,
                                      struct al_check_hits *out)
{
  (void)state;
  const struct al_response *res = in->res;
  if (!res->body.data || res->body.len == 0 || res->body_truncated)
    return AL_OK;
  size_t skip = 0;
  cJSON *root = parse_object(&res->body, &skip);
  if (!root)
    return AL_OK;
  enum al_code rc = AL_OK;
  /* A job, a webhook delivery, an operation: its status is its own. */
  if (is_resource(root))
    goto out;
  for (const cJSON *it = root->child; it; it = it->next) {
    if (!(key_is(it, "status") || key_is(it, "statusCode") ||
          key_is(it, "status_code")) ||
        !cJSON_IsNumber(it))
      continue;
    double v = it->valuedouble;
    if (v < 100 || v > 599 || v != (double)(long)v || (long)v == res->status)
      continue;
    struct al_buf d;
    al_buf_init(&d);
    rc = quote_member(&d, it);
    char *ev = rc == AL_OK ? excerpt(res->body.data, res->body.len, skip,
                                     skip + EXCERPT_MAX)
                           : NULL;
    if (rc == AL_OK)
      rc = ev ? al_check_hits_add(out, al_buf_str(&d), ev) : AL_E_NOMEM;
    free(ev);
    al_buf_cleanup(&d);
    break; /* one finding names the first mismatch */
  }
out:
  cJSON_Delete(root);
  return rc;
}

/* ---- content-type-mismatch / not-acceptable-ignored ----------------- */

static int is_tchar_byte(unsigned char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static size_t skip_ows(const char *s, size_t i)
{
  while (s[i] == ' ' || s[i] == '\t')
    i++;
  return i;
}

static size_t scan_token(const char *s, size_t i)
{
  while (is_tchar_byte((unsigned char)s[i]))
    i++;
  return i;
}

/* quoted-string (RFC 9110 §5.6.4) starting at s[i] == '"': the index after
 * the closing quote, or 0 when it is not one (unterminated, control byte,
 * a backslash before a control byte). */
static size_t scan_quoted(const char *s, size_t i)
{
  for (i++;; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"')
      return i + 1;
    if (c == '\\') {
      unsigned char d = (unsigned char)s[i + 1];
      if (d != '\t' && (d < 0x20 || d == 0x7f))
        return 0;
      i++;
    } else if (c != '\t' && (c < 0x20 || c == 0x7f)) {
      return 0; /* includes the end of the string: unterminated */
    }
  }
}

/* "type/subtype" of a Content-Type value, lower-cased, parameters dropped,
 * into out. 0 when it is not a media type (empty, no '/', too long). */
static int media_type_of(const char *value, char *out, size_t size)
{
  size_t i = skip_ows(value, 0);
  size_t t = scan_token(value, i);
  if (t == i || value[t] != '/')
    return 0;
  size_t e = scan_token(value, t + 1);
  if (e == t + 1 || e - i + 1 > size)
    return 0;
  size_t after = skip_ows(value, e);
  if (value[after] != '\0' && value[after] != ';')
    return 0;
  for (size_t k = i; k < e; k++)
    out[k - i] = (char)tolower((unsigned char)value[k]);
  out[e - i] = '\0';
  return 1;
}

/* application/json or any "+json" type (problem+json, vnd.api+json). */
static int is_json_media(const char *mt)
{
  return strcmp(mt, "application/json") == 0 || ends_with(mt, "+json");
}

static enum al_code check_content_type_body(const void *state,
                                            const struct al_check_input *in,
                                            struct al_check_hits *out)
{
  (void)state;
  const struct al_response *res = in->res;
  const char *ct = al_headers_get(&res->headers, "Content-Type");
  char mt[128];
  const char *s;
  size_t n;
  /* A cut body is not judged, nor a HEAD answer's (there is none). */
  if (!ct || is_head_request(in) || res->body_truncated ||
      res->body_incomplete || !media_type_of(ct, mt, sizeof mt) ||
      !body_core(&res->body, &s, &n))
    return AL_OK;
  const char *why = NULL;
  if (is_json_media(mt)) {
    if (!is_json_text(s, n))
      why = "the body is not JSON";
  } else if (strcmp(mt, "text/html") == 0 && (s[0] == '{' || s[0] == '[')) {
    cJSON *root = parse_one_json(s, n);
    if (root && (cJSON_IsObject(root) || cJSON_IsArray(root)))
      why = "the body is JSON";
    cJSON_Delete(root);
  }
  if (!why)
    return AL_OK;
  struct al_buf d;
  al_buf_init(&d);
  char *ev = excerpt(s, n, 0, EXCERPT_MAX);
  enum al_code rc = AL_E_NOMEM;
  if (ev && al_buf_printf(&d, "Content-Type %s but %s: '", mt, why) == AL_OK &&
      quote_body(&d, s, n) == AL_OK && al_buf_append_char(&d, '\'') == AL_OK)
    rc = al_check_hits_add(out, al_buf_str(&d), ev);
  free(ev);
  al_buf_cleanup(&d);
  return rc;
}

/* How well the media range type/sub (lower-cased) covers the response's
 * media type mt: 3 exactly (or "json" for a "+json" type of the same top
 * type: application/hal+json is JSON a client of application/json reads),
 * 2 as type/x, 1 as x, 0 not at all. */
static int range_covers(const char *range, const char *mt)
{
  const char *slash = strchr(range, '/');
  const char *mslash = strchr(mt, '/');
  size_t tlen = (size_t)(slash - range);
  if (strcmp(range, "*/*") == 0)
    return 1;
  if (tlen != (size_t)(mslash - mt) || strncmp(range, mt, tlen) != 0)
    return 0;
  const char *sub = slash + 1, *msub = mslash + 1;
  if (strcmp(sub, "*") == 0)
    return 2;
  if (strcmp(sub, msub) == 0)
    return 3;
  const char *plus = strrchr(msub, '+');
  if (plus && strcmp(plus + 1, sub) == 0)
    return 3;
  return 0;
}

/* Judges 'accept' (all Accept fields joined) against media type mt, per
 * RFC 9110 §12.5.1: the most specific matching range gives the quality.
 * Returns 1 acceptable, 0 not acceptable, -1 cannot tell (malformed). */
static int accept_allows(const char *accept, const char *mt)
{
  int best = 0, best_ok = 0, ranges = 0;
  size_t i = 0;
  for (;;) {
    i = skip_ows(accept, i);
    if (accept[i] == ',') {
      i++;
      continue;
    }
    if (accept[i] == '\0')
      break;
    char range[128];
    size_t t = scan_token(accept, i);
    if (t == i || accept[t] != '/')
      return -1;
    size_t e = scan_token(accept, t + 1);
    if (e == t + 1 || e - i + 1 > sizeof range)
      return -1;
    for (size_t k = i; k < e; k++)
      range[k - i] = (char)tolower((unsigned char)accept[k]);
    range[e - i] = '\0';
    if (range[0] == '*' && strcmp(range, "*/*") != 0)
      return -1;
    int q_zero = 0;
    i = skip_ows(accept, e);
    while (accept[i] == ';') {
      size_t p = skip_ows(accept, i + 1);
      size_t pe = scan_token(accept, p);
      if (pe == p)
        return -1;
      size_t v = skip_ows(accept, pe);
      if (accept[v] != '=')
        return -1;
      v = skip_ows(accept, v + 1);
      size_t ve =
          accept[v] == '"' ? scan_quoted(accept, v) : scan_token(accept, v);
      if (ve == 0 || ve == v)
        return -1;
      if (pe - p == 1 && (accept[p] == 'q' || accept[p] == 'Q')) {
        /* qvalue 0, 0., 0.0, 0.00, 0.000 */
        size_t k = v;
        q_zero = accept[k++] == '0';
        if (q_zero && accept[k] == '.')
          for (k++; accept[k] == '0'; k++)
            ;
        q_zero = q_zero && k == ve;
      }
      i = skip_ows(accept, ve);
    }
    if (accept[i] != ',' && accept[i] != '\0')
      return -1;
    ranges++;
    int cover = range_covers(range, mt);
    if (cover > best) {
      best = cover;
      best_ok = !q_zero;
    } else if (cover > 0 && cover == best && !q_zero) {
      best_ok = 1;
    }
  }
  if (ranges == 0)
    return -1; /* an empty Accept says nothing we can judge */
  return best > 0 && best_ok;
}

static enum al_code check_accept(const void *state,
                                 const struct al_check_input *in,
                                 struct al_check_hits *out)
{
  (void)state;
  const struct al_response *res = in->res;
  const char *ct = al_headers_get(&res->headers, "Content-Type");
  char mt[128];
  /* 204/205 send no representation; Accept has nothing to judge. */
  if (!in->req || !ct || res->status < 200 || res->status > 299 ||
      res->status == 204 || res->status == 205 ||
      !media_type_of(ct, mt, sizeof mt))
    return AL_OK;
  int oom = 0;
  char *accept = header_joined(&in->req->headers, "Accept", &oom);
  if (oom)
    return AL_E_NOMEM;
  enum al_code rc = AL_OK;
  if (accept && accept_allows(accept, mt) == 0) {
    struct al_buf d, ev;
    al_buf_init(&d);
    al_buf_init(&ev);
    rc = al_buf_append_str(&d, "Accept: ");
    if (rc == AL_OK)
      rc = append_one_line(&d, accept, strlen(accept), QUOTE_MAX);
    if (rc == AL_OK)
      rc = al_buf_printf(&d, ", got Content-Type: %s", mt);
    if (rc == AL_OK)
      rc = al_buf_append_str(&ev, "Content-Type: ");
    if (rc == AL_OK)
      rc = append_one_line(&ev, ct, strlen(ct), EXCERPT_MAX);
    if (rc == AL_OK)
      rc = al_check_hits_add(out, al_buf_str(&d), al_buf_str(&ev));
    al_buf_cleanup(&d);
    al_buf_cleanup(&ev);
  }
  free(accept);
  return rc;
}

/* ---- www-authenticate-invalid -------------------------------------- */

/* auth-param = token BWS "=" BWS ( token / quoted-string ) at s[i]: the
 * index after it, or 0. */
static size_t scan_auth_param(const char *s, size_t i)
{
  size_t t = scan_token(s, i);
  if (t == i)
    return 0;
  t = skip_ows(s, t);
  if (s[t] != '=')
    return 0;
  t = skip_ows(s, t + 1);
  if (s[t] == '"')
    return scan_quoted(s, t);
  size_t e = scan_token(s, t);
  return e > t ? e : 0;
}

static int is_token68_byte(unsigned char c)
{
  return isalnum(c) || (c && strchr("-._~+/", c));
}

/* Why the value of the auth-param whose name ends at v[t] (then BWS "=")
 * is not a token or a quoted-string; sets *at to where the value starts. */
static const char *param_value_error(const char *v, size_t t, size_t *at)
{
  *at = skip_ows(v, skip_ows(v, t) + 1);
  if (v[*at] == '"')
    return "an unterminated quoted-string (or a control byte in it)";
  return v[*at] == '\0' || v[*at] == ','
             ? "an auth-param without a value"
             : "an auth-param value that is neither a token nor a "
               "quoted-string";
}

/* A list element ends here: OWS, then ',' or the end. */
static int element_ends(const char *s, size_t i)
{
  i = skip_ows(s, i);
  return s[i] == ',' || s[i] == '\0';
}

/* An empty field value (or only commas): an empty list, no challenge. */
static const char empty_challenge_list[] = "an empty value";

/* Why 'v' is not a challenge list (RFC 9110 §11.6.1), with the byte offset
 * in *at; NULL when it is one:
 *   challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 * in a comma-separated list where empty elements are allowed. A list
 * element of the form name=value continues the challenge before it; any
 * other element starts a new challenge. */
static const char *challenge_error(const char *v, size_t *at)
{
  size_t i = 0;
  int challenges = 0;
  int token68 = 0; /* the current challenge took a token68: no params */
  for (;;) {
    i = skip_ows(v, i);
    if (v[i] == ',') {
      i++;
      continue;
    }
    if (v[i] == '\0')
      break;
    *at = i;
    size_t t = scan_token(v, i);
    if (t == i)
      return "expected an auth-scheme or an auth-param";
    size_t e = scan_auth_param(v, i);
    if (e) {
      if (!challenges)
        return "an auth-param before any auth-scheme";
      if (token68)
        return "an auth-param after a token68";
      if (!element_ends(v, e)) {
        *at = skip_ows(v, e);
        return "no comma after an auth-param";
      }
      i = e;
      continue;
    }
    if (v[skip_ows(v, t)] == '=')
      return !challenges ? "an auth-param before any auth-scheme"
                         : param_value_error(v, t, at);
    challenges++;
    token68 = 0;
    i = t;
    if (element_ends(v, i))
      continue;
    if (v[i] != ' ' && v[i] != '\t')
      return "an auth-scheme followed by neither a space nor a comma";
    i = skip_ows(v, i);
    *at = i;
    e = scan_auth_param(v, i);
    if (e && !element_ends(v, e)) {
      *at = skip_ows(v, e);
      return "no comma after an auth-param";
    }
    if (e) {
      i = e;
      continue;
    }
    size_t k = i;
    while (is_token68_byte((unsigned char)v[k]))
      k++;
    if (k > i) {
      while (v[k] == '=')
        k++;
      if (element_ends(v, k)) {
        token68 = 1;
        i = k;
        continue;
      }
    }
    t = scan_token(v, i);
    if (t > i && v[skip_ows(v, t)] == '=')
      return param_value_error(v, t, at);
    return "neither a token68 nor an auth-param after the auth-scheme";
  }
  *at = 0;
  return challenges ? NULL : empty_challenge_list;
}

static enum al_code check_www_authenticate(const void *state,
                                           const struct al_check_input *in,
                                           struct al_check_hits *out)
{
  (void)state;
  const struct al_headers *hs = &in->res->headers;
  enum al_code rc = AL_OK;
  size_t at = 0;
  /* An empty field is an empty list (RFC 9110 §5.6.1): wrong only when no
   * other WWW-Authenticate field of the response holds a challenge. */
  int any_challenge = 0;
  for (size_t i = 0; i < hs->count && !any_challenge; i++)
    any_challenge = al_strcaseeq(hs->items[i].name, "WWW-Authenticate") &&
                    !challenge_error(hs->items[i].value, &at);
  for (size_t i = 0; i < hs->count && rc == AL_OK; i++) {
    if (!al_strcaseeq(hs->items[i].name, "WWW-Authenticate"))
      continue;
    const char *v = hs->items[i].value;
    at = 0;
    const char *why = challenge_error(v, &at);
    if (!why || (why == empty_challenge_list && any_challenge))
      continue;
    struct al_buf d, ev;
    al_buf_init(&d);
    al_buf_init(&ev);
    rc = al_buf_append_char(&d, '\'');
    if (rc == AL_OK)
      rc = append_one_line(&d, v, strlen(v), QUOTE_MAX);
    if (rc == AL_OK)
      rc = v[0] ? al_buf_printf(&d, "': %s at byte %zu", why, at)
                : al_buf_printf(&d, "': %s", why);
    if (rc == AL_OK)
      rc = al_buf_printf(&ev, "%s: ", hs->items[i].name);
    if (rc == AL_OK)
      rc = append_one_line(&ev, v, strlen(v), EXCERPT_MAX);
    if (rc == AL_OK)
      rc = al_check_hits_add(out, al_buf_str(&d), al_buf_str(&ev));
    al_buf_cleanup(&d);
    al_buf_cleanup(&ev);
  }
  return rc;
}

/* ---- head-with-body ------------------------------------------------- */

/* As for 304: only bytes count. Content-Length and Transfer-Encoding in a
 * HEAD answer describe what a GET would send (RFC 9110 §9.3.2, §8.6). */
static enum al_code check_head_body(const void *state,
                                    const struct al_check_input *in,
                                    struct al_check_hits *out)
{
  (void)state;
  return bodyless_signals(in->res, 0, out);
}

/* ------------------------------------------------------------------ */
/* probe answers compared with the other answers (engine.h,           */
/* struct al_probe_context); quiet for an endpoint's own answer.      */

/* Every value of header 'name' joined by ", " and kept to one line. */
static enum al_code quote_header(struct al_buf *b, const struct al_headers *h,
                                 const char *name)
{
  int n = 0;
  for (size_t i = 0; i < h->count; i++) {
    if (!al_strcaseeq(h->items[i].name, name))
      continue;
    if ((n++ && al_buf_append_str(b, ", ") != AL_OK) ||
        append_one_line(b, h->items[i].value, strlen(h->items[i].value),
                        QUOTE_MAX) != AL_OK)
      return AL_E_NOMEM;
  }
  return AL_OK;
}

/* 1 if some Allow field lists 'method'. Case-insensitive although methods
 * are not: a server writing "get" means GET, and a false alarm over case
 * would help nobody. */
static int allow_has(const struct al_headers *h, const char *method)
{
  size_t mlen = strlen(method);
  for (size_t i = 0; i < h->count; i++) {
    if (!al_strcaseeq(h->items[i].name, "Allow"))
      continue;
    const char *p = h->items[i].value;
    while (*p) {
      while (*p == ' ' || *p == '\t' || *p == ',')
        p++;
      size_t n = strcspn(p, " \t,");
      if (n == mlen && strncasecmp(p, method, n) == 0)
        return 1;
      p += n;
    }
  }
  return 0;
}

/* HEAD counts as allowed when GET is (RFC 9110 §9.3.2: HEAD is GET
 * without the content). */
static int allow_lists(const struct al_headers *h, const char *method)
{
  return allow_has(h, method) ||
         (strcasecmp(method, "HEAD") == 0 && allow_has(h, "GET"));
}

static enum al_code check_allow_consistency(const void *state,
                                            const struct al_check_input *in,
                                            struct al_check_hits *out)
{
  (void)state;
  const struct al_probe_context *pc = in->probe;
  const struct al_headers *h = &in->res->headers;
  if (!pc || al_headers_count(h, "Allow") == 0)
    return AL_OK; /* no Allow: options-without-allow's business */
  struct al_buf allow, detail, ev, seen;
  al_buf_init(&allow);
  al_buf_init(&detail);
  al_buf_init(&ev);
  al_buf_init(&seen); /* "\nPATCH\nPUT\n": one hit per method */
  enum al_code rc = quote_header(&allow, h, "Allow");
  if (rc == AL_OK)
    rc = al_buf_append_char(&seen, '\n');
  for (size_t i = 0; rc == AL_OK && i < pc->peer_count; i++) {
    const struct al_request *req = pc->peer_reqs[i];
    const struct al_response *res = pc->peer_res[i];
    /* Only real answers to other methods: OPTIONS itself says nothing
     * about the methods it lists. */
    if (!req || !res || res == in->res || !res->received || !req->method ||
        strcasecmp(req->method, "OPTIONS") == 0)
      continue;
    int listed = allow_lists(h, req->method);
    int wrong = listed ? res->status == 405 : res->status / 100 == 2;
    if (!wrong)
      continue;
    al_buf_reset(&detail);
    rc = al_buf_printf(&detail, "\n%s\n", req->method);
    if (rc != AL_OK || strstr(al_buf_str(&seen), al_buf_str(&detail)))
      continue;
    rc = al_buf_append_str(&seen, al_buf_str(&detail) + 1);
    al_buf_reset(&detail);
    al_buf_reset(&ev);
    const char *line = res->status_line ? res->status_line : "";
    if (rc == AL_OK)
      rc = al_buf_printf(&detail, "Allow: %s %s %s, but %s got %ld",
                         al_buf_str(&allow), listed ? "lists" : "does not list",
                         req->method, req->method, res->status);
    if (rc == AL_OK)
      rc = al_buf_printf(&ev, "Allow: %s; %s -> %s", al_buf_str(&allow),
                         req->method, line);
    if (rc == AL_OK)
      rc = al_check_hits_add(out, al_buf_str(&detail), al_buf_str(&ev));
  }
  al_buf_cleanup(&allow);
  al_buf_cleanup(&detail);
  al_buf_cleanup(&ev);
  al_buf_cleanup(&seen);
  return rc;
}

/* The media type of a Content-Type value, lower-cased, without
 * parameters or whitespace: "Application/JSON; charset=utf-8" ->
 * "application/json". */
static void media_type(const char *value, char *out, size_t size)
{
  size_t n = 0;
  for (const char *p = value; *p && *p != ';' && n + 1 < size; p++)
    if (*p != ' ' && *p != '\t')
      out[n++] = (char)tolower((unsigned char)*p);
  out[n] = '\0';
}

/* A status that says the server could not answer just then, not what it
 * does with the method: comparing it would be a false alarm. */
static int transient_status(long status)
{
  return status == 408 || status == 429 || status == 502 || status == 503 ||
         status == 504;
}

static enum al_code check_head_matches_get(const void *state,
                                           const struct al_check_input *in,
                                           struct al_check_hits *out)
{
  (void)state;
  const struct al_probe_context *pc = in->probe;
  if (!pc || !pc->endpoint_req || !pc->endpoint_res)
    return AL_OK;
  const struct al_response *get = pc->endpoint_res, *head = in->res;
  if (!pc->endpoint_req->method ||
      strcmp(pc->endpoint_req->method, "GET") != 0 || !get->received ||
      !head->received || transient_status(get->status) ||
      transient_status(head->status))
    return AL_OK;
  struct al_buf detail, ev;
  al_buf_init(&detail);
  al_buf_init(&ev);
  enum al_code rc = AL_OK;
  const char *gct = al_headers_get(&get->headers, "Content-Type");
  const char *hct = al_headers_get(&head->headers, "Content-Type");
  char gtype[128], htype[128];
  media_type(gct ? gct : "", gtype, sizeof gtype);
  media_type(hct ? hct : "", htype, sizeof htype);
  if (head->status != get->status) {
    if (al_buf_printf(&detail, "HEAD got %ld, GET got %ld", head->status,
                      get->status) != AL_OK ||
        al_buf_printf(&ev, "HEAD: %s; GET: %s",
                      head->status_line ? head->status_line : "",
                      get->status_line ? get->status_line : "") != AL_OK)
      rc = AL_E_NOMEM;
  } else if (gct && (!hct || strcmp(gtype, htype) != 0)) {
    /* Only the media type counts: a charset parameter added or dropped is
     * not worth a warning. A HEAD with a Content-Type where GET had none
     * is left alone (nothing a client relies on goes missing). */
    if (al_buf_append_str(&detail, "HEAD Content-Type ") != AL_OK ||
        (hct ? quote_header(&detail, &head->headers, "Content-Type")
             : al_buf_append_str(&detail, "(none)")) != AL_OK ||
        al_buf_append_str(&detail, ", GET Content-Type ") != AL_OK ||
        quote_header(&detail, &get->headers, "Content-Type") != AL_OK ||
        al_buf_append_str(&ev, "HEAD: Content-Type: ") != AL_OK ||
        (hct ? quote_header(&ev, &head->headers, "Content-Type")
             : al_buf_append_str(&ev, "(none)")) != AL_OK ||
        al_buf_append_str(&ev, "; GET: Content-Type: ") != AL_OK ||
        quote_header(&ev, &get->headers, "Content-Type") != AL_OK)
      rc = AL_E_NOMEM;
  }
  if (rc == AL_OK && detail.len)
    rc = al_check_hits_add(out, al_buf_str(&detail), al_buf_str(&ev));
  al_buf_cleanup(&detail);
  al_buf_cleanup(&ev);
  return rc;
}

/* 1 if entity tag 'tag' is one of the If-None-Match list 'list', by weak
 * comparison (RFC 9110 §13.1.2: W/ is ignored), or the list is "*". */
static int etag_in(const char *tag, const char *list)
{
  if (strncmp(tag, "W/", 2) == 0)
    tag += 2;
  size_t tlen = strcspn(tag, " \t");
  const char *p = list;
  while (*p) {
    while (*p == ' ' || *p == '\t' || *p == ',')
      p++;
    if (*p == '*')
      return 1;
    if (strncmp(p, "W/", 2) == 0)
      p += 2;
    size_t n = 0;
    if (*p == '"') {
      const char *end = strchr(p + 1, '"');
      n = end ? (size_t)(end - p) + 1 : strlen(p);
    } else {
      n = strcspn(p, " \t,");
    }
    if (n == 0)
      break;
    if (n == tlen && strncmp(p, tag, n) == 0)
      return 1;
    p += n;
  }
  return 0;
}

/* For a 200 to a conditional request: quiet when the answer shows a new
 * validator (the resource changed in between, and 200 was right). */
static enum al_code check_validator_unchanged(const void *state,
                                              const struct al_check_input *in,
                                              struct al_check_hits *out)
{
  (void)state;
  if (!in->probe || !in->req)
    return AL_OK;
  const struct al_headers *rq = &in->req->headers, *rs = &in->res->headers;
  const char *inm = al_headers_get(rq, "If-None-Match");
  const char *ims = al_headers_get(rq, "If-Modified-Since");
  const char *etag = al_headers_get(rs, "ETag");
  const char *lm = al_headers_get(rs, "Last-Modified");
  struct al_buf detail;
  al_buf_init(&detail);
  enum al_code rc = AL_OK;
  if (inm) {
    /* If-None-Match decides alone when both are sent (RFC 9110 §13.1.3). */
    if (!etag)
      rc = al_buf_append_str(&detail, "the answer carries no ETag");
    else if (etag_in(etag, inm))
      rc = al_buf_printf(&detail,
                         "its ETag %s is the one sent in If-None-Match", etag);
  } else if (ims) {
    if (!lm)
      rc = al_buf_append_str(&detail, "the answer carries no Last-Modified");
    else if (strcmp(lm, ims) == 0)
      rc = al_buf_printf(
          &detail, "its Last-Modified %s is the date sent in If-Modified-Since",
          lm);
  }
  if (rc == AL_OK && detail.len) {
    struct al_buf q;
    al_buf_init(&q);
    rc = append_one_line(&q, al_buf_str(&detail), detail.len, 200);
    if (rc == AL_OK)
      rc = al_check_hits_add(out, al_buf_str(&q),
                             in->res->status_line ? in->res->status_line : "");
    al_buf_cleanup(&q);
  }
  al_buf_cleanup(&detail);
  return rc;
}

/* ------------------------------------------------------------------ */

static const struct al_check_def checks[] = {
    {"accept-unmatched", AL_CHECK_RESPONSE,
     "a 2xx's Content-Type matches no media range of the request's Accept "
     "with q above 0 (RFC 9110 12.5.1 specificity; a +json type "
     "matches json)",
     NULL, NULL, check_accept},
    {"allow-consistency", AL_CHECK_RESPONSE,
     "for an OPTIONS probe's answer: a method its Allow lists got 405, or one "
     "it does not list got 2xx, in the endpoint's other answers",
     NULL, NULL, check_allow_consistency},
    {"body-status-mismatch", AL_CHECK_RESPONSE,
     "the body, one JSON object, has a top-level status/statusCode/"
     "status_code number 100-599 other than the real status (a resource's "
     "own status does not count)",
     NULL, NULL, check_body_status},
    {"content-type-body", AL_CHECK_RESPONSE,
     "Content-Type says JSON and the body is not JSON, or says text/html "
     "and the body is a JSON object or array",
     NULL, NULL, check_content_type_body},
    {"error-body", AL_CHECK_RESPONSE,
     "the body, one JSON object, says the request failed (success/result/ok "
     "false, a non-empty error/errors, a 4xx/5xx status/code/statusCode; a "
     "resource's own error or status does not count)",
     NULL, NULL, check_error_body},
    {"expectation", AL_CHECK_EXPECT,
     "the endpoint's `expect:` (status, headers) is not met; one hit per "
     "mismatch",
     NULL, NULL, check_expectation},
    {"head-body", AL_CHECK_RESPONSE,
     "the answer to HEAD carries actual body bytes (Content-Length and "
     "Transfer-Encoding do not count)",
     NULL, NULL, check_head_body},
    {"head-matches-get", AL_CHECK_RESPONSE,
     "for a HEAD probe's answer to a GET endpoint: a status or Content-Type "
     "media type other than the GET answer's",
     NULL, NULL, check_head_matches_get},
    {"interim-only", AL_CHECK_INTERIM,
     "only 1xx interim responses came and no final one (the server closed "
     "or the timeout struck); the detail quotes the last 1xx status line and "
     "curl's reason",
     NULL, NULL, check_interim_only},
    {"no-content-body", AL_CHECK_RESPONSE,
     "the response carries content: stray bytes after the head, body bytes, "
     "Content-Length above 0, or Transfer-Encoding",
     NULL, NULL, check_no_content},
    {"no-error-detail", AL_CHECK_RESPONSE,
     "the body is empty or says nothing about what was wrong (only reason "
     "phrases, generic words, a stock error page)",
     NULL, NULL, check_error_detail},
    {"no-monitor-link", AL_CHECK_RESPONSE,
     "no Location, Content-Location, Link (or Operation-Location) header "
     "and no link in the body",
     NULL, NULL, check_monitor},
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
    {"validator-unchanged", AL_CHECK_RESPONSE,
     "for a conditional probe's answer: it shows the validator the request "
     "sent (ETag, Last-Modified) or none, so the resource did not change",
     NULL, NULL, check_validator_unchanged},
    {"version-disclosure", AL_CHECK_RESPONSE,
     "Server or X-Powered-By carries a product version (nginx/1.22.1, "
     "Express 4.x), or X-AspNet-Version / X-AspNetMvc-Version is sent; the "
     "detail quotes the headers",
     version_init, version_free, check_version},
    {"www-authenticate-syntax", AL_CHECK_RESPONSE,
     "a WWW-Authenticate field is not a challenge list (RFC 9110 "
     "11.6.1); one hit per bad field",
     NULL, NULL, check_www_authenticate},
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
