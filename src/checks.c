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

static const struct al_check_def checks[] = {
    {"error-body", AL_CHECK_RESPONSE,
     "the body, one JSON object, says the request failed (success/result/ok "
     "false, a non-empty error/errors, a 4xx/5xx status/code/statusCode; a "
     "resource's own error or status does not count)",
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
