/* checks_util.c - helpers shared by the named C checks (checks_util.h):
 * one-line quoting and excerpts for evidence, header lookups, the
 * RFC 9110 token / quoted-string scanners, and the hit list every check
 * reports into. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "checks_util.h"
#include "rule_logic.h"

/* Appends up to 'max' bytes of s[0..len) on one line: runs of whitespace
 * and control bytes become one space, so evidence never breaks a report
 * line. Cuts only at UTF-8 character starts. */
enum al_code al_cu_one_line(struct al_buf *b, const char *s, size_t len,
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
char *al_cu_excerpt(const char *text, size_t len, size_t from, size_t to)
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
      al_cu_one_line(&b, text + from, to - from, EXCERPT_MAX) != AL_OK ||
      (to < len && !ends_with_dots(&b) &&
       al_buf_append_str(&b, "...") != AL_OK)) {
    al_buf_cleanup(&b);
    return NULL;
  }
  return al_buf_detach(&b);
}

int al_cu_name_in(const char *name, const char *const *list)
{
  for (size_t i = 0; list[i]; i++)
    if (al_strcaseeq(name, list[i]))
      return 1;
  return 0;
}

/* Every field value of 'name' joined by ", " (as HTTP folds them), or NULL
 * when absent. Caller frees. */
char *al_cu_header_joined(const struct al_headers *h, const char *name,
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

size_t al_cu_skip_ows(const char *s, size_t i)
{
  while (s[i] == ' ' || s[i] == '\t')
    i++;
  return i;
}

size_t al_cu_scan_token(const char *s, size_t i)
{
  while (al_headers_is_tchar((unsigned char)s[i]))
    i++;
  return i;
}

/* quoted-string (RFC 9110 §5.6.4) starting at s[i] == '"': the index after
 * the closing quote, or 0 when it is not one (unterminated, control byte,
 * a backslash before a control byte). */
size_t al_cu_scan_quoted(const char *s, size_t i)
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
int al_cu_media_type_of(const char *value, char *out, size_t size)
{
  size_t i = al_cu_skip_ows(value, 0);
  size_t t = al_cu_scan_token(value, i);
  if (t == i || value[t] != '/')
    return 0;
  size_t e = al_cu_scan_token(value, t + 1);
  if (e == t + 1 || e - i + 1 > size)
    return 0;
  size_t after = al_cu_skip_ows(value, e);
  if (value[after] != '\0' && value[after] != ';')
    return 0;
  for (size_t k = i; k < e; k++)
    out[k - i] = (char)tolower((unsigned char)value[k]);
  out[e - i] = '\0';
  return 1;
}

const char *al_cu_response_media_type(const struct al_response *res, char *out,
                                      size_t size)
{
  const char *ct = al_headers_get(&res->headers, "Content-Type");
  return ct && al_cu_media_type_of(ct, out, size) ? ct : NULL;
}

/* ------------------------------------------------------------------ */
/* the hit list every check reports into (rule_logic.h)               */

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

int al_cu_labels_content(const struct al_request *req,
                         const struct al_response *res)
{
  if (res->body_size > 0)
    return 1;
  if (!req || !req->method || strcmp(req->method, "HEAD") != 0)
    return 0;
  /* HEAD's head describes what GET would send: a Content-Length above 0
   * says there is a representation; without one nothing says so. */
  const char *cl = al_headers_get(&res->headers, "Content-Length");
  return cl && al_response_length_above_zero(cl);
}
