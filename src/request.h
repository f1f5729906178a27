/* request.h - one HTTP request to send: what the spec endpoint (plus
 * defaults, --header and --timeout) asks for, in final form. Built by run.c,
 * read by transfer.c (which turns it into a curl easy handle) and by the
 * engine (rules may look at the method and request headers). */
#ifndef AL_REQUEST_H
#define AL_REQUEST_H

#include <stddef.h>

#include "common.h"
#include "headers.h"
#include "reach.h"

struct al_request {
  char *method;              /* owned; "GET", "POST", "HEAD", any token */
  char *url;                 /* owned; absolute http:// or https:// URL */
  struct al_headers headers; /* owned; sent in this order */
  char *body;                /* owned; NULL = none */
  size_t body_len;
  long timeout_ms; /* total time allowed for this request; must be > 0 to be
                      sent (the spec loader decides it: spec.h) */
  const struct al_reach *reach; /* borrowed from the run (it outlives every
                                   request); NULL = libcurl's defaults */
};

void al_request_init(struct al_request *req);
void al_request_cleanup(struct al_request *req);
/* Replaces the body with a NUL-terminated copy of body[0..len) (NULL: no
 * body). Returns AL_OK or AL_E_NOMEM (the old body is then kept). */
enum al_code al_request_set_body(struct al_request *req, const char *body,
                                 size_t len);

#endif
