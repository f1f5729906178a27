/* checks_probe.c - probe answers compared with the endpoint's other
 * answers: allow-consistency, head-matches-get, validator-unchanged. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "checks_util.h"
#include "checks_impl.h"
#include "engine.h"
#include "rule_logic.h"

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
        al_cu_one_line(b, h->items[i].value, strlen(h->items[i].value),
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

/* Whether a method that got 'status' contradicts an Allow that does (or
 * does not) list it. Allow lists the methods the resource supports (RFC
 * 9110 §10.2.1) and is read as written: a listed method refused with 405
 * is a contradiction, and so is an unlisted one that succeeded - except
 * HEAD when GET is listed, since a server that supports GET supports HEAD
 * (§9.1, §9.3.2) whether or not it says so. An Allow without HEAD is not
 * wrong when HEAD then gets 405: Allow is accurate, and the missing HEAD
 * is head-differs-from-get's business, not Allow's. */
static int contradicts_allow(const struct al_headers *h, const char *method,
                             long status, int *listed)
{
  *listed = allow_has(h, method);
  if (*listed)
    return status == 405;
  if (strcasecmp(method, "HEAD") == 0 && allow_has(h, "GET"))
    return 0;
  return status / 100 == 2;
}

enum al_code al_checks_allow_consistency(const void *state,
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
    int listed;
    if (!contradicts_allow(h, req->method, res->status, &listed))
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

enum al_code al_checks_head_matches_get(const void *state,
                                        const struct al_check_input *in,
                                        struct al_check_hits *out)
{
  (void)state;
  const struct al_probe_context *pc = in->probe;
  if (!pc || !pc->endpoint_req || !pc->endpoint_res)
    return AL_OK;
  const struct al_response *get = pc->endpoint_res, *head = in->res;
  /* A GET that failed with a 5xx leaves nothing to compare with: the
   * endpoint fails whatever HEAD does (server-error reports it), and the
   * difference would not be the probe's. A HEAD that gets a 5xx where GET
   * worked is the probe's finding. */
  if (!pc->endpoint_req->method ||
      strcmp(pc->endpoint_req->method, "GET") != 0 || !get->received ||
      !head->received || get->status >= 500 || transient_status(get->status) ||
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
  } else if (gct && hct && head->status >= 200 && head->status <= 299 &&
             al_cu_labels_content(pc->endpoint_req, get) &&
             strcmp(gtype, htype) != 0) {
    /* Only the media type of two 2xx answers counts: a charset parameter
     * added or dropped is not worth a warning, an error page's type says
     * nothing about the resource, and a HEAD without Content-Type is
     * common and harmless (Express, many 404/301 handlers drop it). A
     * GET answer without content labels no representation to compare
     * (RFC 9110 §6.4). */
    if (al_buf_append_str(&detail, "HEAD Content-Type ") != AL_OK ||
        quote_header(&detail, &head->headers, "Content-Type") != AL_OK ||
        al_buf_append_str(&detail, ", GET Content-Type ") != AL_OK ||
        quote_header(&detail, &get->headers, "Content-Type") != AL_OK ||
        al_buf_append_str(&ev, "HEAD: Content-Type: ") != AL_OK ||
        quote_header(&ev, &head->headers, "Content-Type") != AL_OK ||
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
enum al_code al_checks_validator_unchanged(const void *state,
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
    rc = al_cu_one_line(&q, al_buf_str(&detail), detail.len, 200);
    if (rc == AL_OK)
      rc = al_check_hits_add(out, al_buf_str(&q),
                             in->res->status_line ? in->res->status_line : "");
    al_buf_cleanup(&q);
  }
  al_buf_cleanup(&detail);
  return rc;
}
