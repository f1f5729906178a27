/* checks_util.c - helpers shared by the named C checks (checks_util.h):
 * one-line quoting and excerpts for evidence, header lookups, the
 * RFC 9110 token / quoted-string scanners, and the hit list every check
 * reports into. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "checks_util.h"
#include "rule_logic.h"

/* Whitespace and control bytes: al_cu_one_line makes each run one space. */
static int is_blank_byte(unsigned char c)
{
  return c < 0x20 || c == 0x7f || c == ' ';
}

/* Appends up to 'max' bytes of s[0..len) on one line: runs of whitespace
 * and control bytes become one space, so evidence never breaks a report
 * line. Cuts only at UTF-8 character starts. */
enum al_code al_cu_one_line(struct al_buf *b, const char *s, size_t len,
                            size_t max)
{
  int in_space = 0;
  size_t start_len = b->len;
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)s[i];
    size_t used = b->len - start_len;
    if (used >= max && (c & 0xC0) != 0x80) {
      return al_buf_append_str(b, "...");
    }
    if (is_blank_byte(c)) {
      if (!in_space && b->len > start_len) {
        if (al_buf_append_char(b, ' ') != AL_OK)
          return AL_E_NOMEM;
      }
      in_space = 1;
      i++;
      continue;
    }
    in_space = 0;
    /* A run of bytes kept as they are goes in with one append: up to where
     * the cut could fall (max - used bytes), the check above cannot fire
     * inside it. Past max a continuation byte goes in alone, as before. */
    size_t room = used < max ? max - used : 1, j = i + 1;
    while (j < len && j - i < room && !is_blank_byte((unsigned char)s[j]))
      j++;
    if (al_buf_append(b, s + i, j - i) != AL_OK)
      return AL_E_NOMEM;
    i = j;
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

int al_cu_field_index(const struct al_header *f, const struct al_cu_name *list,
                      size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (al_header_named(f, list[i].name, list[i].len))
      return (int)i;
  return -1;
}

/* Every field value of 'name' joined by ", " (as HTTP folds them), or NULL
 * when absent. Caller frees. */
char *al_cu_header_joined(const struct al_headers *h, const char *name,
                          int *oom)
{
  struct al_buf b;
  al_buf_init(&b);
  int found = 0;
  if (!name)
    return NULL; /* al_strcaseeq(field, NULL) holds for no field */
  size_t len = strlen(name);
  for (size_t i = 0; i < h->count; i++) {
    if (!al_header_named(&h->items[i], name, len))
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

/* tchar_lower[c]: c lower-cased when it is a tchar (RFC 9110 §5.6.2), else
 * 0: one load a byte for the scanners below, which read every byte of the
 * values the checks judge. Built from headers.h's tchar bits. */
#define TCHAR_(c)                                                              \
  ((c) < 64 ? (AL_HEADERS_TCHAR_LOW >> ((c)&63)) & 1u                          \
            : (AL_HEADERS_TCHAR_HIGH >> ((c)&63)) & 1u)
#define TL_(c) ((c) >= 'A' && (c) <= 'Z' ? (c) + 32 : TCHAR_(c) ? (c) : 0)
#define TL4_(c) TL_(c), TL_((c) + 1), TL_((c) + 2), TL_((c) + 3)
#define TL16_(c) TL4_(c), TL4_((c) + 4), TL4_((c) + 8), TL4_((c) + 12)
static const unsigned char tchar_lower[256] = {
    TL16_(0),  TL16_(16), TL16_(32), TL16_(48),
    TL16_(64), TL16_(80), TL16_(96), TL16_(112)}; /* 128..255: none */

size_t al_cu_skip_ows(const char *s, size_t i)
{
  while (s[i] == ' ' || s[i] == '\t')
    i++;
  return i;
}

size_t al_cu_scan_token(const char *s, size_t i)
{
  while (tchar_lower[(unsigned char)s[i]])
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
  size_t i = al_cu_skip_ows(value, 0), k = i;
  /* type "/" subtype, each a token, lower-cased into out as it is scanned;
   * out[k - i] is value[k]'s copy. */
  for (int part = 0; part < 2; part++) {
    size_t start = k;
    for (unsigned char c; (c = tchar_lower[(unsigned char)value[k]]); k++) {
      if (k - i + 2 > size)
        return 0; /* no room for this byte and the NUL: too long */
      out[k - i] = (char)c;
    }
    if (k == start)
      return 0;
    if (part == 0) {
      if (value[k] != '/')
        return 0;
      out[k++ - i] = '/';
    }
  }
  size_t after = al_cu_skip_ows(value, k);
  if (value[after] != '\0' && value[after] != ';')
    return 0;
  out[k - i] = '\0';
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
  if (!hits->items) { /* most checks hit nothing: no free(NULL) for them */
    hits->count = 0;
    return;
  }
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
