/* checks_leak.c - server-error-leak: its corpus of stack-trace, SQL-error,
 * debug-page and file-path patterns, and the scan of body and headers. */
#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "checks_util.h"
#include "checks_impl.h"
#include "redact.h"
#include "rule_logic.h"

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

/* The patterns are compiled one by one the first time a body is judged
 * against them, not at load: compiling all of them was more than half of a
 * one-endpoint run's start-up, and they only ever see 5xx answers. The state
 * the engine holds is const; the cache it points to is what fills in. */
struct leak_cache {
  regex_t re[LEAK_COUNT];
  unsigned char ready[LEAK_COUNT]; /* re[i] compiled */
};

struct leak_state {
  struct leak_cache *cache;
};

void al_checks_leak_free(void *state)
{
  struct leak_state *st = state;
  if (!st)
    return;
  for (size_t i = 0; i < LEAK_COUNT; i++)
    if (st->cache->ready[i])
      regfree(&st->cache->re[i]);
  free(st->cache);
  free(st);
}

enum al_code al_checks_leak_init(void **state, struct al_err *err)
{
  (void)err; /* nothing can fail but memory until a pattern is used */
  struct leak_state *st = calloc(1, sizeof *st);
  if (!st || !(st->cache = calloc(1, sizeof *st->cache))) {
    free(st);
    return AL_E_NOMEM;
  }
  *state = st;
  return AL_OK;
}

/* Pattern i, compiled on first use; NULL when it does not compile (the
 * unit tests compile every one, so that is a bug, not an input). */
static const regex_t *leak_re(const struct leak_state *st, size_t i)
{
  struct leak_cache *c = st->cache;
  if (!c->ready[i]) {
    if (regcomp(&c->re[i], leak_patterns[i].ere, REG_EXTENDED | REG_NEWLINE) !=
        0)
      return NULL;
    c->ready[i] = 1;
  }
  return &c->re[i];
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
  char *ev =
      al_cu_excerpt(text, len, so > 30 ? so - 30 : 0, so + EXCERPT_MAX - 30);
  int rc = -1;
  if (ev && al_buf_printf(&detail, "%s: '", what) == AL_OK &&
      al_cu_one_line(&detail, text + so, eo - so, QUOTE_MAX) == AL_OK &&
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
      al_cu_one_line(&ev, value, strlen(value), EXCERPT_MAX) == AL_OK &&
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
    if (!values[h] || (leak_patterns[i].kind == LEAK_PATH &&
                       al_cu_name_in(name, url_headers)))
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

enum al_code al_checks_leak(const void *state, const struct al_check_input *in,
                            struct al_check_hits *out)
{
  const struct leak_state *st = state;
  const struct al_response *res = in->res;
  const struct al_headers *hs = &res->headers;
  int hit = -1, internal = 0;
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
    const regex_t *re = leak_re(st, i);
    if (!re) {
      internal = 1;
      break;
    }
    hit = leak_match(re, i, body, len, "", out);
    if (hit == 0)
      hit = leak_in_headers(re, i, hs, values, out);
  }
  /* Last: a debug header whose value said nothing the patterns know. */
  for (size_t h = 0; h < hs->count && hit == 0; h++)
    if (values[h] && al_cu_name_in(hs->items[h].name, debug_headers))
      hit = header_hit(hs->items[h].name, values[h], "a debug exception header",
                       out);
out:
  for (size_t h = 0; values && h < n; h++)
    free(values[h]);
  free(values);
  free(body);
  if (internal)
    return AL_E_INTERNAL;
  return hit < 0 ? AL_E_NOMEM : AL_OK;
}
