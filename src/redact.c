/* redact.c - secret masking for everything apilint shows. Values are kept
 * longest first so a token is masked whole before a shorter secret that is
 * part of it could leave half of it visible. */
#include "redact.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Values shorter than this are not masked (see redact.h). */
#define MIN_SECRET 3

/* A header name in lower case (as equals_ci wants it) and its length, so
 * that most names are told apart by their length alone. */
struct header_word {
  const char *name;
  size_t len;
};

static const struct header_word builtin_names[] = {{"authorization", 13},
                                                   {"proxy-authorization", 19},
                                                   {"cookie", 6},
                                                   {"set-cookie", 10},
                                                   {NULL, 0}};

/* Challenges, not credentials: they say which scheme to use, and rules
 * quote them. */
static const struct header_word challenges[] = {
    {"www-authenticate", 16}, {"proxy-authenticate", 18}, {NULL, 0}};

void al_redactor_init(struct al_redactor *r)
{
  memset(r, 0, sizeof *r);
}

static void free_list(char **list, size_t count)
{
  for (size_t i = 0; i < count; i++)
    free(list[i]);
  free(list);
}

void al_redactor_cleanup(struct al_redactor *r)
{
  if (!r)
    return;
  free_list(r->names, r->name_count);
  free_list(r->values, r->value_count);
  memset(r, 0, sizeof *r);
}

static char lower(char c)
{
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int equals_ci(const char *a, size_t len, const char *lower_word)
{
  size_t k = 0;
  while (k < len && lower_word[k] && lower(a[k]) == lower_word[k])
    k++;
  return k == len && lower_word[k] == '\0';
}

static int hex_value(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Percent-decodes 'len' bytes of 'v' into 'out' (at least 'len' bytes;
 * never longer than the input), '+' as a space when 'plus_is_space'.
 * Returns the decoded length. */
static size_t percent_decode(const char *v, size_t len, int plus_is_space,
                             char *out)
{
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    int hi, lo;
    if (v[i] == '%' && i + 2 < len && (hi = hex_value(v[i + 1])) >= 0 &&
        (lo = hex_value(v[i + 2])) >= 0) {
      out[n++] = (char)(hi * 16 + lo);
      i += 2;
    } else {
      out[n++] = plus_is_space && v[i] == '+' ? ' ' : v[i];
    }
  }
  return n;
}

int al_redact_is_credential_param(const char *name, size_t len)
{
  /* Whole names only: "tokens=3" or "my_api_key=1" are not what any API
   * reads a credential from, and the unauthenticated probe must not drop
   * parameters the endpoint needs. */
  static const char *const names[] = {"api_key",
                                      "apikey",
                                      "api-key",
                                      "x-api-key",
                                      "access_token",
                                      "token",
                                      "auth_token",
                                      "id_token",
                                      "refresh_token",
                                      "oauth_token",
                                      "private_token",
                                      "session_token",
                                      "auth",
                                      "key",
                                      "password",
                                      "passwd",
                                      "pwd",
                                      "secret",
                                      "client_secret",
                                      "session",
                                      "sessionid",
                                      "session_id",
                                      "sid",
                                      "sig",
                                      "signature",
                                      "jwt",
                                      "x-amz-signature",
                                      "x-amz-credential",
                                      "x-amz-security-token",
                                      "code_verifier",
                                      NULL};
  if (!name)
    return 0;
  /* Servers decode the name before they read it: api%5Fkey is api_key. */
  char decoded[96];
  if (len > sizeof decoded)
    return 0; /* far longer than any name above */
  size_t n = percent_decode(name, len, 1, decoded);
  for (size_t i = 0; names[i]; i++)
    if (equals_ci(decoded, n, names[i]))
      return 1;
  return 0;
}

/* 1 when 'name' ('len' bytes) is one of 'words' in any case. */
static int is_one_of(const char *name, size_t len,
                     const struct header_word *words)
{
  for (size_t i = 0; words[i].name; i++)
    if (len == words[i].len && equals_ci(name, len, words[i].name))
      return 1;
  return 0;
}

/* 1 when 's' starts with 'lower_word' in any case. */
static int starts_ci(const char *s, const char *lower_word)
{
  while (*lower_word && lower(*s) == *lower_word) {
    s++;
    lower_word++;
  }
  return *lower_word == '\0';
}

/* "auth" at 'p' (X-Auth-Token, X-Authentication, X-OAuth-...) except where
 * it only starts "author" without going on to "authoriz" / "authoris":
 * X-Author or X-Authority name people and places, not credentials. */
static int auth_at(const char *p)
{
  if (!starts_ci(p, "auth"))
    return 0;
  const char *r = p + 4; /* after "auth"; NUL-terminated */
  if (lower(r[0]) != 'o' || lower(r[1]) != 'r')
    return 1;
  return lower(r[2]) == 'i' && (lower(r[3]) == 'z' || lower(r[3]) == 's');
}

/* 1 when one of the words that make a name a credential header starts at
 * 'p': api-key, apikey, api_key, token, session, secret, password, auth
 * (auth_at). Picked by the first letter: every report asks this of every
 * header of every answer, so the name is walked once. */
static int credential_word_at(const char *p)
{
  switch (lower(*p)) {
  case 'a':
    return starts_ci(p, "api-key") || starts_ci(p, "apikey") ||
           starts_ci(p, "api_key") || auth_at(p);
  case 't':
    return starts_ci(p, "token");
  case 's':
    return starts_ci(p, "session") || starts_ci(p, "secret");
  case 'p':
    return starts_ci(p, "password");
  default:
    return 0;
  }
}

int al_redact_is_credential_header(const char *name)
{
  if (!name)
    return 0;
  size_t len = strlen(name);
  if (is_one_of(name, len, builtin_names))
    return 1;
  if (is_one_of(name, len, challenges))
    return 0;
  for (const char *p = name; *p; p++)
    if (credential_word_at(p))
      return 1;
  return 0;
}

int al_redactor_is_secret_name(const struct al_redactor *r, const char *name)
{
  if (!name)
    return 0;
  if (al_redact_is_credential_header(name))
    return 1;
  for (size_t i = 0; r && i < r->name_count; i++) {
    if (al_strcaseeq(r->names[i], name))
      return 1;
  }
  return 0;
}

enum al_code al_redactor_add_name(struct al_redactor *r, const char *name)
{
  if (al_redactor_is_secret_name(r, name))
    return AL_OK;
  char *copy = al_strdup(name);
  if (!copy)
    return AL_E_NOMEM;
  char **grown = realloc(r->names, (r->name_count + 1) * sizeof *grown);
  if (!grown) {
    free(copy);
    return AL_E_NOMEM;
  }
  grown[r->name_count++] = copy;
  r->names = grown;
  return AL_OK;
}

/* Stores 'len' bytes of 'value' as they are, keeping the list longest
 * first. */
static enum al_code store(struct al_redactor *r, const char *value, size_t len)
{
  size_t at = r->value_count;
  if (len < MIN_SECRET)
    return AL_OK;
  for (size_t i = 0; i < r->value_count; i++) {
    size_t vlen = strlen(r->values[i]);
    if (vlen == len && memcmp(r->values[i], value, len) == 0)
      return AL_OK;
    if (vlen < len && at == r->value_count)
      at = i;
  }
  char *copy = al_strndup(value, len);
  if (!copy)
    return AL_E_NOMEM;
  char **grown = realloc(r->values, (r->value_count + 1) * sizeof *grown);
  if (!grown) {
    free(copy);
    return AL_E_NOMEM;
  }
  memmove(grown + at + 1, grown + at, (r->value_count - at) * sizeof *grown);
  grown[at] = copy;
  r->starts[(unsigned char)copy[0]] = 1;
  r->values = grown;
  r->value_count++;
  return AL_OK;
}

/* The ways a server writes a value back that are not the value itself: a
 * JSON string (with or without "\/", with Go's "\u003c" for < > & '),
 * percent-encoding (either hex case, and form style with '+' for space)
 * and HTML entities. A secret echoed in any of them is still the secret. */
enum escape_kind {
  ESC_JSON,
  ESC_JSON_SLASH,
  ESC_JSON_HTML,
  ESC_PCT_UPPER,
  ESC_PCT_LOWER,
  ESC_FORM,
  ESC_HTML,
  ESC_COUNT
};

static int unreserved(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

static enum al_code escape_one(struct al_buf *b, enum escape_kind kind,
                               unsigned char c)
{
  static const char upper[] = "0123456789ABCDEF",
                    lower_hex[] = "0123456789abcdef";
  switch (kind) {
  case ESC_JSON:
  case ESC_JSON_SLASH:
  case ESC_JSON_HTML:
    if (c == '"' || c == '\\' || (c == '/' && kind == ESC_JSON_SLASH))
      return al_buf_printf(b, "\\%c", c);
    if (c < 0x20 || (kind == ESC_JSON_HTML &&
                     (c == '<' || c == '>' || c == '&' || c == '\'')))
      return al_buf_printf(b, "\\u%04x", (unsigned)c);
    return al_buf_append_char(b, (char)c);
  case ESC_PCT_UPPER:
  case ESC_PCT_LOWER:
  case ESC_FORM: {
    const char *hex = kind == ESC_PCT_LOWER ? lower_hex : upper;
    if (unreserved(c))
      return al_buf_append_char(b, (char)c);
    if (c == ' ' && kind == ESC_FORM)
      return al_buf_append_char(b, '+');
    char e[3] = {'%', hex[c >> 4], hex[c & 15]};
    return al_buf_append(b, e, 3);
  }
  case ESC_HTML:
    switch (c) {
    case '&':
      return al_buf_append_str(b, "&amp;");
    case '<':
      return al_buf_append_str(b, "&lt;");
    case '>':
      return al_buf_append_str(b, "&gt;");
    case '"':
      return al_buf_append_str(b, "&quot;");
    case '\'':
      return al_buf_append_str(b, "&#39;");
    default:
      return al_buf_append_char(b, (char)c);
    }
  case ESC_COUNT:
    break;
  }
  return AL_E_INTERNAL;
}

/* Stores 'value' and each escaped form of it (store drops repeats, so a
 * value that needs no escaping is stored once). */
static enum al_code add_exact(struct al_redactor *r, const char *value,
                              size_t len)
{
  if (len < MIN_SECRET)
    return AL_OK;
  enum al_code rc = store(r, value, len);
  for (int k = 0; rc == AL_OK && k < ESC_COUNT; k++) {
    struct al_buf b;
    al_buf_init(&b);
    for (size_t i = 0; rc == AL_OK && i < len; i++)
      rc = escape_one(&b, (enum escape_kind)k, (unsigned char)value[i]);
    if (rc == AL_OK) /* store() drops a form equal to the value */
      rc = store(r, b.data, b.len);
    al_buf_cleanup(&b);
  }
  return rc;
}

/* Adds 'len' bytes of a value taken from a URL, and its percent-decoded
 * form: the server sees (and echoes) the decoded one. */
static enum al_code add_url_part(struct al_redactor *r, const char *v,
                                 size_t len, int plus_is_space)
{
  enum al_code rc = add_exact(r, v, len);
  char *dec = malloc(len + 1);
  if (!dec)
    return AL_E_NOMEM;
  size_t n = percent_decode(v, len, plus_is_space, dec);
  if (rc == AL_OK && (n != len || memcmp(dec, v, len) != 0) &&
      !memchr(dec, '\0', n))
    rc = add_exact(r, dec, n);
  free(dec);
  return rc;
}

/* "Basic dXNlcjpwYXNz" also leaks as "user:pass" or "pass" when a server
 * echoes the decoded credentials, so those are secret too. */
static enum al_code add_basic(struct al_redactor *r, const char *b64,
                              size_t len)
{
  char *out = malloc(len + 1);
  enum al_code rc = AL_OK;
  if (!out)
    return AL_E_NOMEM;
  size_t n = al_base64_decode(b64, len, out);
  if (n == (size_t)-1)
    goto out; /* not base64: nothing more to learn */
  out[n] = '\0';
  const char *colon = memchr(out, ':', n);
  if (!colon || memchr(out, '\0', n))
    goto out;
  rc = add_exact(r, out, n);
  if (rc == AL_OK)
    rc = add_exact(r, colon + 1, n - (size_t)(colon + 1 - out));
out:
  free(out);
  return rc;
}

static int scheme_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

static int is_basic(const char *scheme)
{
  static const char lower[] = "basic";
  for (size_t i = 0; i < 5; i++) {
    char c = scheme[i] >= 'A' && scheme[i] <= 'Z' ? (char)(scheme[i] + 32)
                                                  : scheme[i];
    if (c != lower[i])
      return 0;
  }
  return 1;
}

enum al_code al_redactor_add_value(struct al_redactor *r, const char *value)
{
  if (!value)
    return AL_OK;
  size_t len = strlen(value);
  enum al_code rc = add_exact(r, value, len);
  if (rc != AL_OK)
    return rc;
  /* "Scheme credentials": the credentials alone show up in bodies and
   * logs more often than the whole header value does. */
  size_t s = 0;
  while (s < len && scheme_char(value[s]))
    s++;
  if (s == 0 || s == len || value[s] != ' ')
    return AL_OK;
  size_t t = s;
  while (t < len && value[t] == ' ')
    t++;
  size_t end = len;
  while (end > t && value[end - 1] == ' ')
    end--;
  rc = add_exact(r, value + t, end - t);
  if (rc == AL_OK && s == 5 && is_basic(value))
    rc = add_basic(r, value + t, end - t);
  return rc;
}

/* Adds the value of each 'name=value' pair in a cookie list; 'first_only'
 * for Set-Cookie, whose later pairs are attributes (Path=/, Expires=...). */
static enum al_code add_cookie_values(struct al_redactor *r, const char *v,
                                      int first_only)
{
  while (*v) {
    size_t pair = strcspn(v, ";");
    const char *eq = memchr(v, '=', pair);
    if (eq) {
      const char *val = eq + 1;
      size_t vlen = pair - (size_t)(val - v);
      while (vlen && *val == ' ') {
        val++;
        vlen--;
      }
      while (vlen && val[vlen - 1] == ' ')
        vlen--;
      enum al_code rc = add_exact(r, val, vlen);
      if (rc != AL_OK)
        return rc;
    }
    if (first_only || v[pair] == '\0')
      break;
    v += pair + 1;
    while (*v == ' ')
      v++;
  }
  return AL_OK;
}

enum al_code al_redactor_add_headers(struct al_redactor *r,
                                     const struct al_headers *h)
{
  for (size_t i = 0; h && i < h->count; i++) {
    const char *name = h->items[i].name, *value = h->items[i].value;
    if (!value || !al_redactor_is_secret_name(r, name))
      continue;
    enum al_code rc = al_redactor_add_value(r, value);
    if (rc == AL_OK && al_strcaseeq(name, "Cookie"))
      rc = add_cookie_values(r, value, 0);
    else if (rc == AL_OK && al_strcaseeq(name, "Set-Cookie"))
      rc = add_cookie_values(r, value, 1);
    if (rc != AL_OK)
      return rc;
  }
  return AL_OK;
}

const char *al_redact_header(const struct al_redactor *r, const char *name,
                             const char *value)
{
  /* An empty value hides nothing; "***" would suggest a credential was
   * sent when the request carried an empty field. */
  int empty = value[strspn(value, " \t")] == '\0';
  return !empty && al_redactor_is_secret_name(r, name) ? "***" : value;
}

static int shown_as_is(unsigned char c)
{
  return (c >= 0x20 && c != 0x7f) || c == '\t' || c == '\n' || c == '\r';
}

/* The length of the secret value at text[i..len), 0 if none starts there.
 * 'values' are longest first, so the longest match wins. */
static size_t secret_at(const struct al_redactor *r, const char *text,
                        size_t len, size_t i)
{
  for (size_t k = 0; k < r->value_count; k++) {
    size_t vlen = strlen(r->values[k]);
    if (vlen <= len - i && memcmp(text + i, r->values[k], vlen) == 0)
      return vlen;
  }
  return 0;
}

/* 1 when the 8 bytes of 'w' are all printable ASCII (0x20-0x7E). Per byte
 * b of t = w with the top bits cleared: b + 0x60 has its top bit set when
 * b >= 0x20, b + 0x01 when b == 0x7F; neither carries into the next byte. */
static int word_printable(uint64_t w)
{
  const uint64_t top = 0x8080808080808080u, low = 0x7f7f7f7f7f7f7f7fu;
  uint64_t t = w & low;
  uint64_t bad = (w & top) | (~(t + 0x6060606060606060u) & top) |
                 ((t + 0x0101010101010101u) & top);
  return bad == 0;
}

int al_redact_is_plain(const struct al_redactor *r, const char *text,
                       size_t len)
{
  size_t i = 0;
  /* Without secret values only printable ASCII counts: eight bytes a
   * step. */
  if (!r || r->value_count == 0) {
    for (; i + 8 <= len; i += 8) {
      uint64_t w;
      memcpy(&w, text + i, sizeof w);
      if (!word_printable(w))
        return 0;
    }
  }
  static const unsigned char none[256];
  const unsigned char *starts = r ? r->starts : none;
  const unsigned char *p = (const unsigned char *)text;
  for (; i < len; i++) {
    unsigned char c = p[i];
    if ((unsigned char)(c - 0x20) > 0x7e - 0x20 || starts[c])
      return 0;
  }
  return 1;
}

char *al_redact_text(const struct al_redactor *r, const char *text, size_t len)
{
  struct al_buf out;
  static const unsigned char none[256];
  const unsigned char *starts = r ? r->starts : none; /* first bytes of
                                                          secret values */
  al_buf_init(&out);
  /* Reports pass every string they write through here: runs of plain
   * bytes are copied at once, not a byte at a time. */
  enum al_code rc = al_buf_reserve(&out, len);
  for (size_t i = 0; rc == AL_OK && i < len;) {
    size_t run = i;
    while (run < len && !starts[(unsigned char)text[run]] &&
           shown_as_is((unsigned char)text[run]))
      run++;
    if (run > i) {
      rc = al_buf_append(&out, text + i, run - i);
      i = run;
      continue;
    }
    unsigned char c = (unsigned char)text[i];
    size_t matched = starts[c] ? secret_at(r, text, len, i) : 0;
    if (matched) {
      rc = al_buf_append(&out, "***", 3);
      i += matched;
    } else {
      rc = al_buf_append_char(&out, shown_as_is(c) ? (char)c : '?');
      i++;
    }
  }
  if (rc != AL_OK) {
    al_buf_cleanup(&out);
    return NULL;
  }
  return al_buf_detach(&out);
}

/* Where the userinfo password of the URL starting at 'url' (after
 * "scheme://") is: sets *pw / *pw_len, or returns 0. */
static int userinfo_password(const char *auth, size_t len, const char **pw,
                             size_t *pw_len)
{
  size_t end = 0;
  while (end < len && !strchr("/?#\"' \t\r\n<>", auth[end]))
    end++;
  const char *at = NULL;
  for (size_t i = 0; i < end; i++)
    if (auth[i] == '@')
      at = auth + i; /* the last '@' ends the userinfo */
  if (!at)
    return 0;
  const char *colon = memchr(auth, ':', (size_t)(at - auth));
  if (!colon)
    return 0;
  *pw = colon + 1;
  *pw_len = (size_t)(at - *pw);
  return 1;
}

/* RFC 4648 4 Base64, padded, as libcurl writes Basic credentials. */
static enum al_code base64_encode(const unsigned char *in, size_t len,
                                  struct al_buf *out)
{
  static const char digits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  enum al_code rc = AL_OK;
  for (size_t i = 0; rc == AL_OK && i < len; i += 3) {
    unsigned v = (unsigned)in[i] << 16;
    if (i + 1 < len)
      v |= (unsigned)in[i + 1] << 8;
    if (i + 2 < len)
      v |= in[i + 2];
    char q[4] = {digits[(v >> 18) & 63], digits[(v >> 12) & 63],
                 i + 1 < len ? digits[(v >> 6) & 63] : '=',
                 i + 2 < len ? digits[v & 63] : '='};
    rc = al_buf_append(out, q, 4);
  }
  return rc;
}

/* The URL "http://user:pass@host" makes libcurl send "Authorization: Basic
 * <base64 of user:pass>" (both parts percent-decoded first), and a server
 * that echoes its request shows that Base64: it is the password too. */
static enum al_code add_userinfo_basic(struct al_redactor *r, const char *auth,
                                       const char *pw, size_t pw_len)
{
  size_t user_len = (size_t)(pw - 1 - auth), len = user_len + 1 + pw_len;
  char *plain = malloc(len + 1);
  if (!plain)
    return AL_E_NOMEM;
  size_t n = percent_decode(auth, user_len, 0, plain);
  plain[n++] = ':';
  n += percent_decode(pw, pw_len, 0, plain + n);
  struct al_buf b;
  al_buf_init(&b);
  enum al_code rc = base64_encode((const unsigned char *)plain, n, &b);
  if (rc == AL_OK)
    rc = add_exact(r, b.data, b.len);
  al_buf_cleanup(&b);
  free(plain);
  return rc;
}

enum al_code al_redactor_add_url(struct al_redactor *r, const char *text)
{
  if (!text)
    return AL_OK;
  size_t len = strlen(text);
  enum al_code rc = AL_OK;
  for (size_t i = 0; rc == AL_OK && i < len; i++) {
    char c = text[i];
    /* Most bytes start nothing: one test each (every request's URL). */
    if (c != ':' && c != '?' && c != '&' && c != ';')
      continue;
    if (c == ':' && i + 3 <= len && text[i + 1] == '/' && text[i + 2] == '/') {
      const char *pw;
      size_t pw_len;
      if (userinfo_password(text + i + 3, len - i - 3, &pw, &pw_len)) {
        rc = add_url_part(r, pw, pw_len, 0);
        if (rc == AL_OK && pw_len > 0)
          rc = add_userinfo_basic(r, text + i + 3, pw, pw_len);
      }
      continue;
    }
    if (text[i] != '?' && text[i] != '&' && text[i] != ';')
      continue;
    /* A query parameter "name=value" starts here. */
    size_t n = i + 1;
    while (n < len && !strchr("=&;#?\"' \t\r\n<>", text[n]))
      n++;
    if (n >= len || text[n] != '=' ||
        !al_redact_is_credential_param(text + i + 1, n - i - 1))
      continue;
    size_t v = n + 1, e = v;
    while (e < len && !strchr("&;#\"' \t\r\n<>", text[e]))
      e++;
    rc = add_url_part(r, text + v, e - v, 1);
  }
  return rc;
}

char *al_redact_url(const char *url)
{
  struct al_redactor r;
  al_redactor_init(&r);
  char *shown = al_redactor_add_url(&r, url) == AL_OK
                    ? al_redact_text(&r, url, strlen(url))
                    : NULL;
  al_redactor_cleanup(&r);
  return shown;
}

static int word_byte(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+';
}

/* Tracks whether byte 'c' leaves a JSON text inside a string. */
static void json_step(unsigned char c, int *in_str, int *esc)
{
  if (!*in_str)
    *in_str = c == '"';
  else if (*esc)
    *esc = 0;
  else if (c == '\\')
    *esc = 1;
  else if (c == '"')
    *in_str = 0;
}

enum al_code al_redact_values(const struct al_redactor *r, const char *text,
                              size_t len, int json, struct al_buf *out,
                              int *masked)
{
  size_t count = r ? r->value_count : 0;
  static const unsigned char none[256];
  const unsigned char *starts = r ? r->starts : none;
  enum al_code rc = AL_OK;
  int in_str = 0, esc = 0;
  *masked = 0;
  for (size_t i = 0, from = 0; rc == AL_OK && i <= len; i++) {
    size_t matched = 0;
    for (size_t k = 0; i < len && starts[(unsigned char)text[i]] && k < count;
         k++) {
      size_t vlen = strlen(r->values[k]);
      if (vlen <= len - i && memcmp(text + i, r->values[k], vlen) == 0) {
        matched = vlen;
        break;
      }
    }
    /* Outside a JSON string only numbers and literals stand: a secret
     * there is masked only whole, as a string, so the body stays valid
     * JSON (checks parse it). Part of a longer word stays as it is. */
    int bare = json && !in_str;
    if (matched && bare &&
        ((i > 0 && word_byte((unsigned char)text[i - 1])) ||
         (i + matched < len && word_byte((unsigned char)text[i + matched]))))
      matched = 0;
    if (!matched && i < len) {
      if (json)
        json_step((unsigned char)text[i], &in_str, &esc);
      continue;
    }
    /* Copy what came before the match (or the rest, at the end). */
    if (*masked || matched)
      rc = al_buf_append(out, text + from, i - from);
    if (rc == AL_OK && matched) {
      rc = bare ? al_buf_append(out, "\"***\"", 5)
                : al_buf_append(out, "***", 3);
      *masked = 1;
      i += matched - 1;
      from = i + 1;
    }
  }
  return rc;
}
