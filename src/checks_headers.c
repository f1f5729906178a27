/* checks_headers.c - checks on header content and syntax:
 * version-disclosure, accept-unmatched, www-authenticate-syntax. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "checks_util.h"
#include "checks_impl.h"
#include "ere.h"
#include "redact.h"
#include "rule_logic.h"

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

void al_checks_version_free(void *state)
{
  al_ere_free(state);
}

enum al_code al_checks_version_init(void **state, struct al_err *err)
{
  /* ere.h's matcher, as for user patterns: linear in the value a
   * hostile server sends, where glibc's regexec is quadratic. */
  char why[200];
  struct al_ere *re = al_ere_compile(version_ere, why, sizeof why);
  if (!re)
    return strcmp(why, "out of memory") == 0
               ? AL_E_NOMEM
               : al_err_set(err, AL_E_INTERNAL, "", 0, 0,
                            "built-in version pattern does not compile: %s",
                            why);
  *state = re;
  return AL_OK;
}

/* One hit quoting every offending header ("Server: nginx/1.22.1; ..."). */
enum al_code al_checks_version(const void *state,
                               const struct al_check_input *in,
                               struct al_check_hits *out)
{
  const struct al_headers *hs = &in->res->headers;
  struct al_buf q;
  al_buf_init(&q);
  enum al_code rc = AL_OK;
  for (size_t i = 0; i < hs->count && rc == AL_OK; i++) {
    const char *name = hs->items[i].name, *value = hs->items[i].value;
    const struct al_header *f = &hs->items[i];
    int hit = AL_HEADER_NAMED(f, "X-AspNet-Version") ||
              AL_HEADER_NAMED(f, "X-AspNetMvc-Version");
    if (!hit &&
        (AL_HEADER_NAMED(f, "Server") || AL_HEADER_NAMED(f, "X-Powered-By")))
      hit = al_ere_match_value(state, value);
    if (!hit)
      continue;
    const char *shown = al_redact_header(in->redactor, name, value);
    if ((q.len && al_buf_append_str(&q, "; ") != AL_OK) ||
        al_buf_append_str(&q, name) != AL_OK ||
        al_buf_append_str(&q, ": ") != AL_OK ||
        al_cu_one_line(&q, shown, strlen(shown), QUOTE_MAX) != AL_OK)
      rc = AL_E_NOMEM;
  }
  if (rc == AL_OK && q.len)
    rc = al_check_hits_add(out, al_buf_str(&q), al_buf_str(&q));
  al_buf_cleanup(&q);
  return rc;
}

/* ---- accept-unmatched --------------------------------------------- */

/* The index of the next list element at or after s[i]: past whitespace
 * and the empty elements (",,") a #rule list allows (RFC 9110 §5.6.1). */
static size_t skip_empty_elements(const char *s, size_t i)
{
  for (;;) {
    i = al_cu_skip_ows(s, i);
    if (s[i] != ',')
      return i;
    i++;
  }
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
  /* RFC 6839 §3.1: application/vnd.github+json is JSON with extra rules,
   * so a plain application/json answer to it is what GitHub and many
   * others send; same for +xml and application/xml. */
  const char *rplus = strrchr(sub, '+');
  if (rplus && rplus != sub && strcmp(rplus + 1, msub) == 0 &&
      (strcmp(msub, "json") == 0 || strcmp(msub, "xml") == 0))
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
    i = skip_empty_elements(accept, i);
    if (accept[i] == '\0')
      break;
    char range[128];
    size_t t = al_cu_scan_token(accept, i);
    if (t == i || accept[t] != '/')
      return -1;
    size_t e = al_cu_scan_token(accept, t + 1);
    if (e == t + 1 || e - i + 1 > sizeof range)
      return -1;
    for (size_t k = i; k < e; k++)
      range[k - i] = (char)tolower((unsigned char)accept[k]);
    range[e - i] = '\0';
    if (range[0] == '*' && strcmp(range, "*/*") != 0)
      return -1;
    int q_zero = 0;
    i = al_cu_skip_ows(accept, e);
    while (accept[i] == ';') {
      size_t p = al_cu_skip_ows(accept, i + 1);
      size_t pe = al_cu_scan_token(accept, p);
      if (pe == p)
        return -1;
      size_t v = al_cu_skip_ows(accept, pe);
      if (accept[v] != '=')
        return -1;
      v = al_cu_skip_ows(accept, v + 1);
      size_t ve = accept[v] == '"' ? al_cu_scan_quoted(accept, v)
                                   : al_cu_scan_token(accept, v);
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
      i = al_cu_skip_ows(accept, ve);
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

enum al_code al_checks_accept(const void *state,
                              const struct al_check_input *in,
                              struct al_check_hits *out)
{
  (void)state;
  const struct al_response *res = in->res;
  char mt[128];
  const char *ct = al_cu_response_media_type(res, mt, sizeof mt);
  /* 204/205 send no representation; Accept has nothing to judge. Nor has
   * it when the answer carries no content: a Content-Type over zero bytes
   * (Flask's automatic OPTIONS answer, Koa's, an empty 201) labels no
   * representation, so nothing was chosen against the Accept (RFC 9110
   * §6.4, §12.5.1). */
  if (!in->req || !ct || res->status < 200 || res->status > 299 ||
      res->status == 204 || res->status == 205 ||
      !al_cu_labels_content(in->req, res))
    return AL_OK;
  int oom = 0;
  char *accept = al_cu_header_joined(&in->req->headers, "Accept", &oom);
  if (oom)
    return AL_E_NOMEM;
  enum al_code rc = AL_OK;
  if (accept && accept_allows(accept, mt) == 0) {
    struct al_buf d, ev;
    al_buf_init(&d);
    al_buf_init(&ev);
    rc = al_buf_append_str(&d, "Accept: ");
    if (rc == AL_OK)
      rc = al_cu_one_line(&d, accept, strlen(accept), QUOTE_MAX);
    if (rc == AL_OK)
      rc = al_buf_printf(&d, ", got Content-Type: %s", mt);
    if (rc == AL_OK)
      rc = al_buf_append_str(&ev, "Content-Type: ");
    if (rc == AL_OK)
      rc = al_cu_one_line(&ev, ct, strlen(ct), EXCERPT_MAX);
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
  size_t t = al_cu_scan_token(s, i);
  if (t == i)
    return 0;
  t = al_cu_skip_ows(s, t);
  if (s[t] != '=')
    return 0;
  t = al_cu_skip_ows(s, t + 1);
  if (s[t] == '"')
    return al_cu_scan_quoted(s, t);
  size_t e = al_cu_scan_token(s, t);
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
  *at = al_cu_skip_ows(v, al_cu_skip_ows(v, t) + 1);
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
  i = al_cu_skip_ows(s, i);
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
    i = skip_empty_elements(v, i);
    if (v[i] == '\0')
      break;
    *at = i;
    size_t t = al_cu_scan_token(v, i);
    if (t == i)
      return "expected an auth-scheme or an auth-param";
    size_t e = scan_auth_param(v, i);
    if (e) {
      if (!challenges)
        return "an auth-param before any auth-scheme";
      if (token68)
        return "an auth-param after a token68";
      if (!element_ends(v, e)) {
        *at = al_cu_skip_ows(v, e);
        return "no comma after an auth-param";
      }
      i = e;
      continue;
    }
    if (v[al_cu_skip_ows(v, t)] == '=')
      return !challenges ? "an auth-param before any auth-scheme"
                         : param_value_error(v, t, at);
    challenges++;
    token68 = 0;
    i = t;
    if (element_ends(v, i))
      continue;
    if (v[i] != ' ' && v[i] != '\t')
      return "an auth-scheme followed by neither a space nor a comma";
    i = al_cu_skip_ows(v, i);
    *at = i;
    e = scan_auth_param(v, i);
    if (e && !element_ends(v, e)) {
      *at = al_cu_skip_ows(v, e);
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
    t = al_cu_scan_token(v, i);
    if (t > i && v[al_cu_skip_ows(v, t)] == '=')
      return param_value_error(v, t, at);
    return "neither a token68 nor an auth-param after the auth-scheme";
  }
  *at = 0;
  return challenges ? NULL : empty_challenge_list;
}

enum al_code al_checks_www_authenticate(const void *state,
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
    any_challenge = AL_HEADER_NAMED(&hs->items[i], "WWW-Authenticate") &&
                    !challenge_error(hs->items[i].value, &at);
  for (size_t i = 0; i < hs->count && rc == AL_OK; i++) {
    if (!AL_HEADER_NAMED(&hs->items[i], "WWW-Authenticate"))
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
      rc = al_cu_one_line(&d, v, strlen(v), QUOTE_MAX);
    if (rc == AL_OK)
      rc = v[0] ? al_buf_printf(&d, "': %s at byte %zu", why, at)
                : al_buf_printf(&d, "': %s", why);
    if (rc == AL_OK)
      rc = al_buf_printf(&ev, "%s: ", hs->items[i].name);
    if (rc == AL_OK)
      rc = al_cu_one_line(&ev, v, strlen(v), EXCERPT_MAX);
    if (rc == AL_OK)
      rc = al_check_hits_add(out, al_buf_str(&d), al_buf_str(&ev));
    al_buf_cleanup(&d);
    al_buf_cleanup(&ev);
  }
  return rc;
}
