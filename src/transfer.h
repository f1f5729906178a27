/* transfer.h - the only curl_multi user. Sends a batch of requests with up to
 * 'jobs' in flight, reusing connections, each with its own timeout; never
 * follows redirects (a redirect is a response to judge). Results land in the
 * caller's array at the request's own index, so the order of the output is
 * the order of the input whatever order transfers finish in. */
#ifndef AL_TRANSFER_H
#define AL_TRANSFER_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "request.h"
#include "response.h"

struct al_transfer_opts {
  int jobs;               /* requests in flight at once; >= 1 */
  long default_timeout_ms; /* for requests whose timeout_ms is 0 */
  size_t body_cap;        /* bytes of body kept per response (default 1 MiB) */
  uint64_t read_limit;    /* bytes of (decoded) body read before giving up on
                             an endless body; 0 = 64 x body_cap */
  size_t header_cap;      /* header fields kept per response (default 1000) */
  int verbose;            /* capture sent_head / received_head */
};

/* Sets the defaults above (jobs 8, timeout 10 s, 1 MiB cap...). */
void al_transfer_opts_init(struct al_transfer_opts *opts);

/* Global libcurl set-up and tear-down; call once per process. */
enum al_code al_transfer_global_init(struct al_err *err);
void al_transfer_global_cleanup(void);

/* Sends the 'count' requests and fills responses[i] for requests[i]
 * (responses must be al_response_init'ed by the caller, who also cleans them
 * up). A request that gets no HTTP response is not an error of this function:
 * its response has transport_failed = 1 and curl's reason. Returns AL_OK, or
 * AL_E_NOMEM / AL_E_NETWORK when the transfer machinery itself failed. Every
 * request finishes within its timeout (plus scheduling), whatever the server
 * does. */
enum al_code al_transfer_run(const struct al_request *requests,
                             struct al_response *responses, size_t count,
                             const struct al_transfer_opts *opts,
                             struct al_err *err);

#endif
