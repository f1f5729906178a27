/* request.c - one HTTP request in final form (see request.h). The easy
 * handle is set up from it in transfer.c, next to the callbacks that fill the
 * response, so libcurl stays in one file. */
#include "request.h"

#include <stdlib.h>
#include <string.h>

void al_request_init(struct al_request *req)
{
  req->method = NULL;
  req->url = NULL;
  al_headers_init(&req->headers);
  req->body = NULL;
  req->body_len = 0;
  req->timeout_ms = 0;
  req->reach = NULL;
}

void al_request_cleanup(struct al_request *req)
{
  free(req->method);
  free(req->url);
  al_headers_cleanup(&req->headers);
  free(req->body);
  al_request_init(req);
}

enum al_code al_request_set_body(struct al_request *req, const char *body,
                                 size_t len)
{
  char *copy = NULL;
  if (body) {
    if (!(copy = malloc(len + 1)))
      return AL_E_NOMEM;
    memcpy(copy, body, len);
    copy[len] = '\0';
  }
  free(req->body);
  req->body = copy;
  req->body_len = body ? len : 0;
  return AL_OK;
}
