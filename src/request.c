/* request.c - one HTTP request in final form (see request.h). The easy
 * handle is set up from it in transfer.c, next to the callbacks that fill the
 * response, so libcurl stays in one file. */
#include "request.h"

#include <stdlib.h>

void al_request_init(struct al_request *req)
{
  req->method = NULL;
  req->url = NULL;
  al_headers_init(&req->headers);
  req->body = NULL;
  req->body_len = 0;
  req->timeout_ms = 0;
}

void al_request_cleanup(struct al_request *req)
{
  free(req->method);
  free(req->url);
  al_headers_cleanup(&req->headers);
  free(req->body);
  al_request_init(req);
}
