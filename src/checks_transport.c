/* checks_transport.c - checks on the exchange itself: transport failure,
 * interim-only, content in a 204/304/HEAD answer, and the spec's
 * `expect:` (the engine-level checks). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "checks_util.h"
#include "checks_impl.h"
#include "ere.h"
#include "redact.h"
#include "rule_logic.h"

/* ------------------------------------------------------------------ */
/* no-content-body / not-modified-body / head-with-body                 */

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
  struct al_content_signals s;
  al_response_content_signals(res, &s);
  const char *cl = s.content_length;
  const char *te = s.transfer_encoding;
  if (s.stray_bytes > 0) {
    rc = al_buf_printf(&detail, "%" PRIu64 " byte%s sent after the head",
                       s.stray_bytes, s.stray_bytes == 1 ? "" : "s");
    if (rc == AL_OK)
      rc = al_cu_one_line(&ev, res->stray.data ? res->stray.data : "",
                          res->stray.len, EXCERPT_MAX);
  }
  if (rc == AL_OK && s.body_bytes > 0) {
    rc = al_buf_printf(&detail, "%s%" PRIu64 " body byte%s",
                       detail.len ? ", " : "", s.body_bytes,
                       s.body_bytes == 1 ? "" : "s");
    if (rc == AL_OK && ev.len == 0)
      rc = al_cu_one_line(&ev, res->body.data ? res->body.data : "",
                          res->body.len, EXCERPT_MAX);
  }
  if (rc == AL_OK && count_headers && cl) {
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

enum al_code al_checks_no_content(const void *state,
                                  const struct al_check_input *in,
                                  struct al_check_hits *out)
{
  (void)state;
  return bodyless_signals(in->res, 1, out);
}

/* not-modified-body and head-with-body: only bytes count. In a 304,
 * Content-Length and Transfer-Encoding may describe the selected
 * representation; in a HEAD answer they describe what a GET would send
 * (RFC 9110 §9.3.2, §8.6). */
enum al_code al_checks_content_bytes(const void *state,
                                     const struct al_check_input *in,
                                     struct al_check_hits *out)
{
  (void)state;
  return bodyless_signals(in->res, 0, out);
}

/* ------------------------------------------------------------------ */
/* transport and expectation: engine-level checks.                     */

enum al_code al_checks_transport(const void *state,
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
enum al_code al_checks_interim_only(const void *state,
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
    rc = al_cu_one_line(&detail, line, strlen(line), QUOTE_MAX);
  if (rc == AL_OK)
    rc = al_buf_append_str(&detail, "' came, then ");
  if (rc == AL_OK)
    rc = al_cu_one_line(&detail, why, strlen(why), QUOTE_MAX);
  if (rc == AL_OK)
    rc = al_cu_one_line(&ev, line, strlen(line), QUOTE_MAX);
  if (rc == AL_OK)
    rc = al_check_hits_add(out, al_buf_str(&detail), al_buf_str(&ev));
  al_buf_cleanup(&detail);
  al_buf_cleanup(&ev);
  return rc;
}

static enum al_code expect_header(const struct al_header_expect *he,
                                  const struct al_response *res,
                                  const struct al_redactor *rd,
                                  struct al_check_hits *out)
{
  int oom = 0;
  char *value = al_cu_header_joined(&res->headers, he->name, &oom);
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
      rc = al_cu_one_line(&ev, shown, strlen(shown), EXCERPT_MAX);
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
    /* Compiled once when the expectation was loaded (expect.c). */
    if (!he->re) {
      rc = al_buf_printf(&detail, "header %s: invalid pattern %s", he->name,
                         he->pattern);
      break;
    }
    /* Each field on its own first, then the folded value, so both
     * "^/users/[0-9]+$" on one field and a pattern over a list work. */
    int matched = al_ere_match_value(he->re, value);
    for (size_t i = 0; i < res->headers.count && !matched; i++)
      if (al_strcaseeq(res->headers.items[i].name, he->name))
        matched = al_ere_match_value(he->re, res->headers.items[i].value);
    if (!matched) {
      rc = al_buf_printf(&detail, "header %s '", he->name);
      if (rc == AL_OK)
        rc = al_cu_one_line(&detail, shown, strlen(shown), QUOTE_MAX);
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

enum al_code al_checks_expectation(const void *state,
                                   const struct al_check_input *in,
                                   struct al_check_hits *out)
{
  (void)state;
  const struct al_expect *ex = in->expect;
  const struct al_response *res = in->res;
  if (!ex)
    return AL_OK;
  if (ex->has_status && !al_status_set_has(&ex->status, res->status)) {
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
