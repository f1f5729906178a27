/* response.c - what came back for one request (see response.h). Filled by
 * transfer.c, or from text by al_response_parse_raw (rule examples, tests,
 * fuzzers); this file owns the storage and the questions rules ask of it
 * regardless of how it was received. */
#include "response.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void al_response_init(struct al_response *res)
{
  res->received = 0;
  res->status = 0;
  res->status_line = NULL;
  res->http_version = NULL;
  al_headers_init(&res->headers);
  res->headers_dropped = 0;
  res->interim_count = 0;
  res->last_interim_status = 0;
  res->last_interim_line = NULL;
  al_buf_init(&res->body);
  res->body_size = 0;
  res->body_truncated = 0;
  res->body_incomplete = 0;
  res->body_limit_hit = 0;
  res->read_limit = 0;
  al_buf_init(&res->stray);
  res->stray_size = 0;
  res->transport_failed = 0;
  res->curl_code = 0;
  res->transport_error = NULL;
  res->elapsed_ms = 0.0;
  res->reused_connection = 0;
  res->attempts = NULL;
  res->attempt_count = 0;
  al_buf_init(&res->sent_head);
  al_buf_init(&res->received_head);
}

void al_response_cleanup(struct al_response *res)
{
  free(res->status_line);
  free(res->http_version);
  free(res->last_interim_line);
  al_headers_cleanup(&res->headers);
  al_buf_cleanup(&res->body);
  al_buf_cleanup(&res->stray);
  free(res->transport_error);
  for (size_t i = 0; i < res->attempt_count; i++)
    free(res->attempts[i].error);
  free(res->attempts);
  al_buf_cleanup(&res->sent_head);
  al_buf_cleanup(&res->received_head);
  al_response_init(res);
}

int al_response_length_above_zero(const char *v)
{
  size_t i = 0;
  while (v[i] == ' ' || v[i] == '\t')
    i++;
  if (v[i] < '0' || v[i] > '9')
    return 0;
  while (v[i] == '0')
    i++;
  return v[i] >= '1' && v[i] <= '9';
}

int al_response_content_signals(const struct al_response *res,
                                struct al_content_signals *out)
{
  out->body_bytes =
      res->body_size > res->body.len ? res->body_size : (uint64_t)res->body.len;
  out->stray_bytes = res->stray_size > res->stray.len
                         ? res->stray_size
                         : (uint64_t)res->stray.len;
  out->content_length = NULL;
  out->transfer_encoding = NULL;
  for (size_t i = 0; i < res->headers.count; i++) {
    const struct al_header *h = &res->headers.items[i];
    if (!out->transfer_encoding && al_strcaseeq(h->name, "Transfer-Encoding"))
      out->transfer_encoding = h->value;
    if (!out->content_length && al_strcaseeq(h->name, "Content-Length") &&
        al_response_length_above_zero(h->value))
      out->content_length = h->value;
  }
  return out->body_bytes > 0 || out->stray_bytes > 0 || out->content_length ||
         out->transfer_encoding;
}

int al_response_has_content_signal(const struct al_response *res)
{
  struct al_content_signals s;
  return al_response_content_signals(res, &s);
}

long al_response_answer_status(const struct al_response *res)
{
  return res->received ? res->status : res->last_interim_status;
}

const char *al_response_answer_line(const struct al_response *res)
{
  return res->received ? res->status_line : res->last_interim_line;
}

/* ------------------------------------------------------------------ */
/* the head: one parser for the network (transfer.c) and for text     */

int al_response_parse_status_line(const char *line, size_t len, long *status,
                                  size_t *version_len)
{
  if (len < 10 || memcmp(line, "HTTP/", 5) != 0)
    return 0;
  size_t v = 5;
  while (v < len && line[v] != ' ')
    v++;
  if (v == 5 || v + 4 > len)
    return 0;
  const char *code = line + v + 1;
  for (int i = 0; i < 3; i++) {
    if (code[i] < '0' || code[i] > '9')
      return 0;
  }
  /* status-line = HTTP-version SP status-code SP [ reason-phrase ] */
  if (v + 4 < len && line[v + 4] != ' ')
    return 0;
  *status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
  *version_len = v - 5;
  return 1;
}

static int is_blank(char c)
{
  return c == ' ' || c == '\t';
}

enum al_field al_response_split_field(const char *line, size_t len,
                                      size_t *name_len, const char **value,
                                      size_t *value_len)
{
  const char *colon = memchr(line, ':', len);
  if (!colon || colon == line)
    return AL_FIELD_NONE;
  *name_len = (size_t)(colon - line);
  const char *v = colon + 1;
  size_t vlen = len - *name_len - 1;
  while (vlen > 0 && is_blank(*v)) {
    v++;
    vlen--;
  }
  while (vlen > 0 && is_blank(v[vlen - 1]))
    vlen--;
  *value = v;
  *value_len = vlen;
  for (size_t i = 0; i < *name_len; i++)
    if (!al_headers_is_tchar((unsigned char)line[i]))
      return AL_FIELD_BAD_NAME;
  return AL_FIELD_OK;
}

/* ------------------------------------------------------------------ */
/* a raw response written as text (rule examples, fuzzers, tests)     */

/* The next line of text[*pos..len) without its LF or CRLF; sets *n. */
static const char *next_line(const char *text, size_t len, size_t *pos,
                             size_t *n)
{
  const char *start = text + *pos;
  const char *nl = memchr(start, '\n', len - *pos);
  size_t line_len = nl ? (size_t)(nl - start) : len - *pos;
  *pos += line_len + (nl ? 1 : 0);
  if (line_len > 0 && start[line_len - 1] == '\r')
    line_len--;
  *n = line_len;
  return start;
}

static enum al_code parse_status_line(const char *line, size_t n,
                                      struct al_response *res,
                                      struct al_err *err)
{
  /* "HTTP/1.1 204 No Content" or "HTTP/2 200": the network's parser, and
   * a rule's example must hold a status a rule can judge (100-599). */
  long status;
  size_t version_len;
  if (!al_response_parse_status_line(line, n, &status, &version_len) ||
      status < 100 || status > 599)
    return al_err_set(err, AL_E_RULES, "", 0, 0,
                      "the first line must be a status line like "
                      "'HTTP/1.1 200 OK', got '%.*s'",
                      (int)(n > 60 ? 60 : n), line);
  res->status = status;
  free(res->status_line);
  free(res->http_version);
  res->status_line = al_strndup(line, n);
  res->http_version = al_strndup(line + 5, version_len);
  return res->status_line && res->http_version ? AL_OK : AL_E_NOMEM;
}

/* A 1xx head is never the final answer (libcurl reads on past it): it is
 * kept as the last interim head and the caller parses what follows as the
 * next head. */
static void keep_interim(struct al_response *res)
{
  res->interim_count++;
  res->last_interim_status = res->status;
  free(res->last_interim_line);
  res->last_interim_line = res->status_line;
  res->status_line = NULL;
  free(res->http_version);
  res->http_version = NULL;
  res->status = 0;
  al_headers_cleanup(&res->headers);
}

/* One head and what follows it; for a 1xx head sets *next to where the
 * next head starts (0 when this head was the final one). */
static enum al_code parse_one(const char *text, size_t len, const char *method,
                              struct al_response *res, struct al_err *err,
                              size_t *next)
{
  size_t pos = 0, n;
  *next = 0;
  const char *line = next_line(text, len, &pos, &n);
  enum al_code rc = parse_status_line(line, n, res, err);
  int line_no = 1;
  int in_head = 1;
  while (rc == AL_OK && in_head && pos < len) {
    line = next_line(text, len, &pos, &n);
    line_no++;
    if (n == 0) {
      in_head = 0;
      break;
    }
    size_t name_len, value_len;
    const char *v;
    /* The network keeps a field with a bad name as evidence; an example
     * that writes one is a mistake in the rule file. */
    if (al_response_split_field(line, n, &name_len, &v, &value_len) !=
        AL_FIELD_OK)
      return al_err_set(err, AL_E_RULES, "", 0, 0,
                        "line %d is not a header line 'Name: value': '%.*s'",
                        line_no, (int)(n > 60 ? 60 : n), line);
    char *name = al_strndup(line, name_len);
    char *value = al_strndup(v, value_len);
    rc =
        name && value ? al_headers_add(&res->headers, name, value) : AL_E_NOMEM;
    free(name);
    free(value);
  }
  if (rc != AL_OK)
    return rc;
  if (res->status < 200) {
    keep_interim(res);
    while (pos < len && (text[pos] == '\n' || text[pos] == '\r'))
      pos++;
    *next = pos;
    return AL_OK;
  }
  res->received = 1;
  if (in_head)
    return AL_OK; /* no empty line: a head without a body */
  size_t body_len = len - pos;
  /* The fixture server drops the entry's final newline; so do we, so a
   * YAML block scalar and a replies file mean the same bytes. */
  if (body_len > 0 && text[len - 1] == '\n')
    body_len--;
  if (body_len == 0)
    return AL_OK;
  /* libcurl trusts the status: after a 204/304 or a HEAD answer it
   * reads no body, and whatever the server sent stays on the connection
   * for transfer.c to find. */
  int bodyless = res->status == 204 || res->status == 304 ||
                 (method && !strcmp(method, "HEAD"));
  struct al_buf *dst = bodyless ? &res->stray : &res->body;
  rc = al_buf_append(dst, text + pos, body_len);
  if (bodyless)
    res->stray_size = body_len;
  else
    res->body_size = body_len;
  return rc;
}

/* ---- message framing (RFC 9112 §6.3) ---- */

/* The decimal number at v (after OWS), digits only, its leading zeros
 * dropped: start and length in *d, *dn. Returns the index after it and
 * its trailing OWS, or 0 when there are no digits. */
static size_t scan_length(const char *v, size_t i, size_t *d, size_t *dn)
{
  while (v[i] == ' ' || v[i] == '\t')
    i++;
  size_t start = i;
  while (v[i] >= '0' && v[i] <= '9')
    i++;
  if (i == start)
    return 0;
  *d = start;
  while (*d + 1 < i && v[*d] == '0')
    (*d)++;
  *dn = i - *d;
  while (v[i] == ' ' || v[i] == '\t')
    i++;
  return i;
}

int al_response_framing_error(const struct al_response *res, const char *method,
                              char *why, size_t size)
{
  /* RFC 9112 §6.3: these end at the head whatever Content-Length says,
   * and with Transfer-Encoding the length is not read from it at all. */
  if (res->status < 200 || res->status == 204 || res->status == 304 ||
      (method && strcmp(method, "HEAD") == 0) ||
      al_headers_get(&res->headers, "Transfer-Encoding"))
    return 0;
  const char *first = NULL; /* the first field's value */
  size_t fd = 0, fdn = 0;   /* and its number */
  for (size_t k = 0; k < res->headers.count; k++) {
    const struct al_header *h = &res->headers.items[k];
    if (!al_strcaseeq(h->name, "Content-Length"))
      continue;
    const char *v = h->value;
    size_t i = 0;
    /* RFC 9110 §8.6: Content-Length = 1*DIGIT. The one tolerated
     * deviation is the same number repeated, as a list ("42, 42") or on
     * several lines: a recipient MAY take it as that number. */
    for (;;) {
      size_t d = 0, dn = 0;
      size_t e = scan_length(v, i, &d, &dn);
      if (e == 0 || (v[e] != ',' && v[e] != '\0')) {
        snprintf(why, size,
                 "invalid Content-Length: '%.60s' is not a decimal number "
                 "(RFC 9110 §8.6): the framing of the response is invalid "
                 "and it must be discarded (RFC 9112 §6.3)",
                 v);
        return 1;
      }
      if (!first) {
        first = v;
        fd = d;
        fdn = dn;
      } else if (dn != fdn || memcmp(v + d, first + fd, dn) != 0) {
        if (v == first)
          snprintf(why, size,
                   "invalid Content-Length: '%.60s' holds different "
                   "lengths (RFC 9110 §8.6): the framing of the response "
                   "is invalid and it must be discarded (RFC 9112 §6.3)",
                   v);
        else
          snprintf(why, size,
                   "invalid Content-Length: two fields with different "
                   "lengths, '%.40s' and '%.40s' (RFC 9110 §8.6): the "
                   "framing of the response is invalid and it must be "
                   "discarded (RFC 9112 §6.3)",
                   first, v);
        return 1;
      }
      if (v[e] == '\0')
        break;
      i = e + 1;
    }
  }
  return 0;
}

enum al_code al_response_parse_raw(const char *text, size_t len,
                                   const char *method, struct al_response *res,
                                   struct al_err *err)
{
  size_t next = 0;
  enum al_code rc;
  /* Each round eats at least a status line, so this ends. */
  while ((rc = parse_one(text, len, method, res, err, &next)) == AL_OK &&
         next > 0) {
    text += next;
    len -= next;
    if (len == 0) {
      /* Nothing after the 1xx: the server closed, as transfer.c says. */
      res->transport_failed = 1;
      res->curl_code = 52;
      free(res->transport_error);
      res->transport_error = al_strdup("(52) Empty reply from server");
      return res->transport_error ? AL_OK : AL_E_NOMEM;
    }
  }
  char why[300];
  if (rc == AL_OK && res->received &&
      al_response_framing_error(res, method, why, sizeof why)) {
    /* As transfer.c: a malformed response, discarded (no answer). */
    struct al_buf b;
    al_buf_init(&b);
    res->received = 0;
    res->transport_failed = 1;
    res->curl_code = 8; /* CURLE_WEIRD_SERVER_REPLY */
    free(res->transport_error);
    res->transport_error = NULL;
    if (al_buf_printf(&b, "(8) %s", why) != AL_OK)
      rc = AL_E_NOMEM;
    res->transport_error = al_buf_detach(&b);
    al_buf_cleanup(&b);
  }
  return rc;
}
