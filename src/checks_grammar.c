/* checks_grammar.c - the grammar of the header fields the rules read, as
 * RFC 9110 (and RFC 3986 for URIs) defines it: location-syntax,
 * allow-syntax, content-type-syntax, etag-syntax, http-date-syntax and
 * singleton-repeated. Each judges every field line of its name on its own
 * and reports one hit per field that is not in the grammar, with the
 * value, what is wrong and the byte offset. A sender MUST NOT generate a
 * protocol element that does not match its grammar (RFC 9110 §2.2), but a
 * checker that cries wolf gets switched off, so each scanner accepts all
 * the grammar allows (empty list elements, obsolete date formats, the
 * same singleton value repeated) and nothing is judged beyond it. */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "checks_impl.h"
#include "checks_util.h"
#include "rule_logic.h"

/* One hit: detail "NAME 'VALUE' is not WHAT: WHY at byte N" (without the
 * offset when at is (size_t)-1), evidence "NAME: VALUE". */
static enum al_code grammar_hit(struct al_check_hits *out, const char *name,
                                const char *value, const char *what,
                                const char *why, size_t at)
{
  struct al_buf d, ev;
  al_buf_init(&d);
  al_buf_init(&ev);
  enum al_code rc = al_buf_printf(&d, "%s '", name);
  if (rc == AL_OK)
    rc = al_cu_one_line(&d, value, strlen(value), QUOTE_MAX);
  if (rc == AL_OK)
    rc = al_buf_printf(&d, "' is not %s: %s", what, why);
  if (rc == AL_OK && at != (size_t)-1)
    rc = al_buf_printf(&d, " at byte %zu", at);
  if (rc == AL_OK)
    rc = al_buf_printf(&ev, "%s: ", name);
  if (rc == AL_OK)
    rc = al_cu_one_line(&ev, value, strlen(value), EXCERPT_MAX);
  if (rc == AL_OK)
    rc = al_check_hits_add(out, al_buf_str(&d), al_buf_str(&ev));
  al_buf_cleanup(&d);
  al_buf_cleanup(&ev);
  return rc;
}

/* Why 'v' is not in a field's grammar (NULL when it is), with the offset
 * of the problem in *at. */
typedef const char *(*field_error_fn)(const char *v, size_t *at);

/* Runs 'error' over every field named 'name': one hit per bad field. */
static enum al_code judge_fields(const struct al_check_input *in,
                                 const char *name, const char *what,
                                 field_error_fn error,
                                 struct al_check_hits *out)
{
  const struct al_headers *hs = &in->res->headers;
  size_t len = strlen(name);
  enum al_code rc = AL_OK;
  for (size_t i = 0; i < hs->count && rc == AL_OK; i++) {
    if (!al_header_named(&hs->items[i], name, len))
      continue;
    size_t at = (size_t)-1;
    const char *why = error(hs->items[i].value, &at);
    if (why)
      rc = grammar_hit(out, hs->items[i].name, hs->items[i].value, what, why,
                       at);
  }
  return rc;
}

/* ---- Location: URI-reference (RFC 9110 §10.2.2, RFC 3986 §4.1) ---- */

static int is_alpha(unsigned char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_digit(unsigned char c)
{
  return c >= '0' && c <= '9';
}

static int is_hex(unsigned char c)
{
  return is_digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

/* unreserved / sub-delims / ":" / "@" / "/" / "?": the bytes a URI holds
 * as themselves anywhere ('%', '#', '[' and ']' are placed by the caller). */
static int is_uri_byte(unsigned char c)
{
  return is_alpha(c) || is_digit(c) || (c && strchr("-._~!$&'()*+,;=:@/?", c));
}

static const char *location_error(const char *v, size_t *at)
{
  /* A ':' before any '/', '?' or '#' ends a scheme (RFC 3986 §3.1:
   * ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )); a relative reference may
   * not have one in its first segment (§4.2). */
  size_t first = strcspn(v, "/?#");
  const char *colon = memchr(v, ':', first);
  if (colon) {
    size_t n = (size_t)(colon - v);
    int scheme = n > 0 && is_alpha((unsigned char)v[0]);
    for (size_t k = 1; scheme && k < n; k++)
      scheme = is_alpha((unsigned char)v[k]) || is_digit((unsigned char)v[k]) ||
               strchr("+-.", v[k]);
    if (!scheme) {
      *at = 0;
      return "a ':' in the first segment that does not end a scheme (a "
             "scheme starts with a letter; write ./ before a relative path "
             "with a colon)";
    }
  }
  /* '[' and ']' only inside the authority ("//" up to '/', '?', '#'),
   * around an IP-literal host. */
  const char *auth = strstr(v, "//");
  size_t auth_from = (size_t)-1, auth_to = 0;
  if (auth && (size_t)(auth - v) <= first &&
      (auth == v || v[auth - v - 1] == ':')) {
    auth_from = (size_t)(auth - v) + 2;
    auth_to = auth_from + strcspn(v + auth_from, "/?#");
  }
  int fragment = 0;
  for (size_t i = 0; v[i]; i++) {
    unsigned char c = (unsigned char)v[i];
    *at = i;
    if (c == '%') {
      if (!is_hex((unsigned char)v[i + 1]) || !is_hex((unsigned char)v[i + 2]))
        return "a '%' not followed by two hex digits";
      i += 2;
    } else if (c == '#') {
      if (fragment)
        return "a second '#' (the fragment may not hold one; write %23)";
      fragment = 1;
    } else if (c == '[' || c == ']') {
      if (i < auth_from || i >= auth_to)
        return c == '[' ? "a '[' outside the host (write %5B)"
                        : "a ']' outside the host (write %5D)";
    } else if (c == ' ') {
      return "a space (write %20)";
    } else if (c < 0x20 || c == 0x7f) {
      return "a control byte";
    } else if (c >= 0x80) {
      return "a byte outside ASCII (percent-encode the UTF-8 bytes: "
             "%C3%A9 for \xC3\xA9)";
    } else if (!is_uri_byte(c)) {
      return "a character a URI holds only percent-encoded (one of \" < > "
             "\\ ^ ` { | })";
    }
  }
  return NULL;
}

enum al_code al_checks_location_syntax(const void *state,
                                       const struct al_check_input *in,
                                       struct al_check_hits *out)
{
  (void)state;
  return judge_fields(in, "Location", "a URI-reference (RFC 3986 §4.1)",
                      location_error, out);
}

/* ---- Allow: #method (RFC 9110 §10.2.1, §9.1, §5.6.1) ---------------- */

static const char *allow_error(const char *v, size_t *at)
{
  size_t i = 0;
  for (;;) {
    /* empty elements (",,") and OWS are allowed (§5.6.1) */
    while (v[i] == ' ' || v[i] == '\t' || v[i] == ',')
      i++;
    if (v[i] == '\0')
      return NULL;
    *at = i;
    size_t e = al_cu_scan_token(v, i);
    if (e == i)
      return "a byte that cannot start a method name (a method is a "
             "token)";
    i = al_cu_skip_ows(v, e);
    if (v[i] != ',' && v[i] != '\0') {
      *at = i;
      return i > e ? "two methods without a comma between them (Allow is a "
                     "comma-separated list)"
                   : "a byte that is not allowed in a method name (a "
                     "method is a token)";
    }
  }
}

enum al_code al_checks_allow_syntax(const void *state,
                                    const struct al_check_input *in,
                                    struct al_check_hits *out)
{
  (void)state;
  return judge_fields(in, "Allow", "a list of methods (RFC 9110 §10.2.1)",
                      allow_error, out);
}

/* ---- Content-Type: media-type (RFC 9110 §8.3.1, §5.6.6) ------------- */

static const char *content_type_error(const char *v, size_t *at)
{
  *at = 0;
  size_t t = al_cu_scan_token(v, 0);
  if (t == 0)
    return v[0] ? "no type before the '/' (a media type is type/subtype)"
                : "an empty value (a media type is type/subtype)";
  if (v[t] != '/') {
    *at = t;
    return "no '/' after the type (a media type is type/subtype)";
  }
  size_t s = al_cu_scan_token(v, t + 1);
  if (s == t + 1) {
    *at = s;
    return "no subtype after the '/'";
  }
  size_t i = s;
  for (;;) {
    i = al_cu_skip_ows(v, i);
    if (v[i] == '\0')
      return NULL;
    if (v[i] != ';') {
      *at = i;
      return v[i] == ',' ? "a ',' (a Content-Type holds one media type, not a "
                           "list)"
                         : "neither ';' nor the end after the media type";
    }
    i = al_cu_skip_ows(v, i + 1);
    if (v[i] == ';' || v[i] == '\0')
      continue; /* an empty parameter is allowed */
    *at = i;
    size_t n = al_cu_scan_token(v, i);
    if (n == i)
      return "a parameter that does not start with a name";
    if (v[n] != '=')
      return v[n] == ' ' || v[n] == '\t'
                 ? "white space before '=' (RFC 9110 §5.6.6: none around it)"
                 : "a parameter without '=' and a value";
    i = n + 1;
    *at = i;
    if (v[i] == '"') {
      size_t q = al_cu_scan_quoted(v, i);
      if (q == 0)
        return "an unterminated quoted-string";
      i = q;
    } else {
      size_t e = al_cu_scan_token(v, i);
      if (e == i)
        return v[i] == ' ' || v[i] == '\t'
                   ? "white space after '=' (RFC 9110 §5.6.6: none around "
                     "it)"
                   : "a parameter value that is neither a token nor a "
                     "quoted-string";
      i = e;
    }
  }
}

enum al_code al_checks_content_type_syntax(const void *state,
                                           const struct al_check_input *in,
                                           struct al_check_hits *out)
{
  (void)state;
  return judge_fields(in, "Content-Type", "a media type (RFC 9110 §8.3.1)",
                      content_type_error, out);
}

/* ---- ETag: entity-tag (RFC 9110 §8.8.3) ----------------------------- */

static const char *etag_error(const char *v, size_t *at)
{
  size_t i = 0;
  *at = 0;
  if (strncmp(v, "W/", 2) == 0)
    i = 2;
  else if (strncmp(v, "w/", 2) == 0)
    return "a weak prefix in lower case (it is W/, case-sensitive)";
  if (v[i] != '"') {
    *at = i;
    return "no opening double quote (an entity-tag is quoted: \"v1\" or "
           "W/\"v1\")";
  }
  for (i++;; i++) {
    unsigned char c = (unsigned char)v[i];
    if (c == '"')
      break;
    *at = i;
    if (c == '\0')
      return "no closing double quote";
    /* etagc = %x21 / %x23-7E / obs-text */
    if (c <= 0x20 || c == 0x7f)
      return c == ' ' ? "a space inside the quotes"
                      : "a control byte inside the quotes";
  }
  if (v[i + 1] != '\0') {
    *at = i + 1;
    return "more after the closing double quote (one entity-tag per field)";
  }
  return NULL;
}

enum al_code al_checks_etag_syntax(const void *state,
                                   const struct al_check_input *in,
                                   struct al_check_hits *out)
{
  (void)state;
  return judge_fields(in, "ETag", "an entity-tag (RFC 9110 §8.8.3)", etag_error,
                      out);
}

/* ---- Date, Last-Modified: HTTP-date (RFC 9110 §5.6.7) --------------- */

static const char *const day_names[] = {"Mon", "Tue", "Wed", "Thu",
                                        "Fri", "Sat", "Sun", NULL};
static const char *const long_day_names[] = {"Monday",   "Tuesday", "Wednesday",
                                             "Thursday", "Friday",  "Saturday",
                                             "Sunday",   NULL};
static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May",
                                          "Jun", "Jul", "Aug", "Sep", "Oct",
                                          "Nov", "Dec", NULL};

/* The length of the entry of 'names' that s starts with (case-sensitive,
 * as HTTP-date is), or 0. */
static size_t name_at(const char *s, const char *const *names)
{
  for (size_t k = 0; names[k]; k++) {
    if (s[0] != names[k][0]) /* most names: no strlen, no strncmp */
      continue;
    size_t n = strlen(names[k]);
    if (strncmp(s, names[k], n) == 0)
      return n;
  }
  return 0;
}

/* 'n' digits at s, with a value in lo..hi. */
static int number_at(const char *s, int n, int lo, int hi)
{
  int v = 0;
  for (int k = 0; k < n; k++) {
    if (!is_digit((unsigned char)s[k]))
      return 0;
    v = v * 10 + (s[k] - '0');
  }
  return v >= lo && v <= hi;
}

/* time-of-day = hour ":" minute ":" second (second 60: a leap second) */
static int time_at(const char *s)
{
  return number_at(s, 2, 0, 23) && s[2] == ':' && number_at(s + 3, 2, 0, 59) &&
         s[5] == ':' && number_at(s + 6, 2, 0, 60);
}

/* IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" */
static int is_imf_fixdate(const char *s)
{
  size_t m;
  return name_at(s, day_names) == 3 && strncmp(s + 3, ", ", 2) == 0 &&
         number_at(s + 5, 2, 1, 31) && s[7] == ' ' &&
         (m = name_at(s + 8, month_names)) == 3 && s[11] == ' ' &&
         number_at(s + 12, 4, 0, 9999) && s[16] == ' ' && time_at(s + 17) &&
         strcmp(s + 25, " GMT") == 0;
}

/* obsolete RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT" */
static int is_rfc850_date(const char *s)
{
  size_t d = name_at(s, long_day_names);
  if (d == 0 || strncmp(s + d, ", ", 2) != 0)
    return 0;
  s += d + 2;
  return number_at(s, 2, 1, 31) && s[2] == '-' &&
         name_at(s + 3, month_names) == 3 && s[6] == '-' &&
         number_at(s + 7, 2, 0, 99) && s[9] == ' ' && time_at(s + 10) &&
         strcmp(s + 18, " GMT") == 0;
}

/* obsolete asctime "Sun Nov  6 08:49:37 1994" (day as SP DIGIT or 2DIGIT) */
static int is_asctime_date(const char *s)
{
  return name_at(s, day_names) == 3 && s[3] == ' ' &&
         name_at(s + 4, month_names) == 3 && s[7] == ' ' &&
         (number_at(s + 8, 2, 1, 31) ||
          (s[8] == ' ' && number_at(s + 9, 1, 1, 9))) &&
         s[10] == ' ' && time_at(s + 11) && s[19] == ' ' &&
         number_at(s + 20, 4, 0, 9999) && s[24] == '\0';
}

static const char *http_date_error(const char *v, size_t *at)
{
  (void)at; /* no one position is wrong: the whole format is */
  if (is_imf_fixdate(v) || is_rfc850_date(v) || is_asctime_date(v))
    return NULL;
  if (strstr(v, "+0000") || strstr(v, "UTC") || strstr(v, "-0000"))
    return "an HTTP-date is in GMT and says so: Sun, 06 Nov 1994 08:49:37 "
           "GMT (IMF-fixdate)";
  return "it matches neither IMF-fixdate (Sun, 06 Nov 1994 08:49:37 GMT) "
         "nor the obsolete RFC 850 and asctime formats (names and GMT are "
         "case-sensitive)";
}

enum al_code al_checks_http_date_syntax(const void *state,
                                        const struct al_check_input *in,
                                        struct al_check_hits *out)
{
  (void)state;
  enum al_code rc = judge_fields(in, "Date", "an HTTP-date (RFC 9110 §5.6.7)",
                                 http_date_error, out);
  if (rc == AL_OK)
    rc = judge_fields(in, "Last-Modified", "an HTTP-date (RFC 9110 §5.6.7)",
                      http_date_error, out);
  return rc;
}

/* ---- a singleton field on several lines (RFC 9110 §5.3) ------------- */

/* Response fields defined as one value, not a list: a second field line
 * cannot be combined with the first (RFC 9110 §5.3), and recipients pick
 * different ones. Content-Length is not here: different lengths are
 * invalid framing, a transport error (response.h). */
static const struct al_cu_name singletons[] = {
    AL_CU_NAME("Age"),              /* RFC 9111 §5.1 */
    AL_CU_NAME("Content-Location"), /* RFC 9110 §8.7 */
    AL_CU_NAME("Content-Range"),    /* §14.4 */
    AL_CU_NAME("Content-Type"),     /* §8.3 */
    AL_CU_NAME("Date"),             /* §6.6.1 */
    AL_CU_NAME("ETag"),             /* §8.8.3 */
    AL_CU_NAME("Expires"),          /* RFC 9111 §5.3 */
    AL_CU_NAME("Last-Modified"),    /* §8.8.2 */
    AL_CU_NAME("Location"),         /* §10.2.2 */
    AL_CU_NAME("Retry-After"),      /* §10.2.3 */
};
#define SINGLETONS (sizeof singletons / sizeof *singletons)

/* Bit k set when singletons[k] names two or more fields of 'hs': one pass
 * over the fields, so the common answer (none) costs no name-by-name
 * search. A field whose name is as long as no singleton's (Server,
 * Content-Length, Connection) is passed over on its length alone. */
static uint32_t repeated_singletons(const struct al_headers *hs)
{
  _Static_assert(SINGLETONS <= 32, "one bit of a uint32_t per singleton");
  uint64_t lengths = 0; /* bit n: a singleton is n bytes long (all < 64) */
  for (size_t k = 0; k < SINGLETONS; k++)
    lengths |= UINT64_C(1) << singletons[k].len;
  uint32_t seen = 0, repeated = 0;
  for (size_t i = 0; i < hs->count; i++) {
    size_t n = al_header_name_len(&hs->items[i]);
    if (n >= 64 || !((lengths >> n) & 1u))
      continue;
    int k = al_cu_field_index(&hs->items[i], singletons, SINGLETONS);
    if (k < 0)
      continue;
    repeated |= seen & (UINT32_C(1) << k);
    seen |= UINT32_C(1) << k;
  }
  return repeated;
}

enum al_code al_checks_singleton_repeated(const void *state,
                                          const struct al_check_input *in,
                                          struct al_check_hits *out)
{
  (void)state;
  const struct al_headers *hs = &in->res->headers;
  uint32_t repeated = repeated_singletons(hs);
  if (!repeated)
    return AL_OK;
  enum al_code rc = AL_OK;
  for (size_t k = 0; k < SINGLETONS && rc == AL_OK; k++) {
    if (!(repeated & (UINT32_C(1) << k)))
      continue;
    const struct al_header *first = NULL, *other = NULL;
    for (size_t i = 0; i < hs->count && !other; i++) {
      if (!al_header_named(&hs->items[i], singletons[k].name,
                           singletons[k].len))
        continue;
      if (!first)
        first = &hs->items[i];
      else if (strcmp(first->value, hs->items[i].value) != 0)
        other = &hs->items[i];
    }
    if (!other)
      continue; /* once, or the same value again: nothing to choose */
    struct al_buf d, ev;
    al_buf_init(&d);
    al_buf_init(&ev);
    rc = al_buf_printf(&d, "%s sent on several lines with different values, '",
                       first->name);
    if (rc == AL_OK)
      rc = al_cu_one_line(&d, first->value, strlen(first->value), QUOTE_MAX);
    if (rc == AL_OK)
      rc = al_buf_append_str(&d, "' and '");
    if (rc == AL_OK)
      rc = al_cu_one_line(&d, other->value, strlen(other->value), QUOTE_MAX);
    if (rc == AL_OK)
      rc = al_buf_append_char(&d, '\'');
    if (rc == AL_OK)
      rc = al_buf_printf(&ev, "%s: ", first->name);
    if (rc == AL_OK)
      rc = al_cu_one_line(&ev, first->value, strlen(first->value), QUOTE_MAX);
    if (rc == AL_OK)
      rc = al_buf_printf(&ev, "; %s: ", other->name);
    if (rc == AL_OK)
      rc = al_cu_one_line(&ev, other->value, strlen(other->value), QUOTE_MAX);
    if (rc == AL_OK)
      rc = al_check_hits_add(out, al_buf_str(&d), al_buf_str(&ev));
    al_buf_cleanup(&d);
    al_buf_cleanup(&ev);
  }
  return rc;
}
