/* response.c - what came back for one request (see response.h). Filled by
 * transfer.c; this file owns the storage and the questions rules ask of it
 * regardless of how it was received. */
#include "response.h"

#include <stdlib.h>

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

/* A Content-Length of "0" (or "00") is no content; anything else that is
 * not a plain zero, including a malformed value, is a claim of content. */
static int length_claims_content(const char *v)
{
  const char *p = v;
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p == '\0')
    return 0;
  for (; *p; p++) {
    if (*p != '0' && *p != ' ' && *p != '\t')
      return 1;
  }
  return 0;
}

int al_response_has_content_signal(const struct al_response *res)
{
  if (res->body_size > 0 || res->body.len > 0)
    return 1;
  if (res->stray_size > 0 || res->stray.len > 0)
    return 1;
  for (size_t i = 0; i < res->headers.count; i++) {
    const struct al_header *h = &res->headers.items[i];
    if (al_strcaseeq(h->name, "Transfer-Encoding"))
      return 1;
    if (al_strcaseeq(h->name, "Content-Length") &&
        length_claims_content(h->value))
      return 1;
  }
  return 0;
}

long al_response_answer_status(const struct al_response *res)
{
  return res->received ? res->status : res->last_interim_status;
}

const char *al_response_answer_line(const struct al_response *res)
{
  return res->received ? res->status_line : res->last_interim_line;
}
