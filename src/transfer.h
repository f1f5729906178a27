/* transfer.h - the only curl_multi user. Sends a batch of requests with up to
 * 'jobs' in flight, reusing connections, each with its own timeout; never
 * follows redirects (a redirect is a response to judge). Results land in the
 * caller's array at the request's own index, so the order of the output is
 * the order of the input whatever order transfers finish in. */
#ifndef AL_TRANSFER_H
#define AL_TRANSFER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "reach.h"
#include "request.h"
#include "response.h"

/* The pace of a whole run (--rate): request starts are spaced at least
 * interval_ms apart, across every al_transfer_run() call that shares it
 * (endpoints, probes, retries). Owned by the caller. */
struct al_pacer {
  double interval_ms; /* 0 = no pacing */
  long long next_ms;  /* monotonic ms before which nothing starts */
  size_t started;     /* requests started under it */
};

/* A pacer for 'rate' (NULL or count 0: none). */
void al_pacer_init(struct al_pacer *p, const struct al_rate *rate);

struct al_transfer_opts {
  int jobs;               /* requests in flight at once; >= 1 */
  size_t body_cap;        /* bytes of body kept per response (default 1 MiB) */
  uint64_t read_limit;    /* bytes of (decoded) body read before giving up on
                             an endless body; 0 = 64 x body_cap (64 MiB when
                             body_cap is 0) */
  size_t header_cap;      /* header fields kept per response (default 1000) */
  int verbose;            /* capture sent_head / received_head */
  long stray_wait_ms;     /* how long to watch the connection after a 204,
                             304 or HEAD answer for body bytes sent late
                             (default 200 ms); 0 = only what is there */
  struct al_pacer *pacer; /* borrowed; NULL = start requests at once */
  int no_sentinel;        /* 1: a watch never asks "OPTIONS *" (transfer.c:
                             the sentinel), for requests that must arrive as
                             they were planned (a rate-limit burst) */
  /* Called once for each request whose response is final (after the watch
   * of its connection, if any), with its index in the batch, in the order
   * transfers finish; NULL = none. It may read and free what the response
   * holds but must not free the response itself before the run returns. */
  void (*on_done)(void *ctx, size_t index);
  void *on_done_ctx;
  /* Asked before request 'index' is started (with on_done_ctx); 0 = not
   * yet: it is asked again after the next transfer ends. Lets the caller
   * bound how far ahead of its oldest unfinished result the run gets. When
   * nothing is in flight the request starts whatever it says, so a run
   * cannot stall. NULL = always. */
  int (*may_start)(void *ctx, size_t index);
  /* Called after every wait for the network (at least once a second while
   * transfers run), with on_done_ctx: for a progress display. NULL = none. */
  void (*on_tick)(void *ctx);
  /* When '*stop' becomes nonzero (a signal handler sets it), no request is
   * started any more and the ones in flight are abandoned: their responses
   * stay as they are, on_done is not called for them, and the run returns
   * AL_OK at once. NULL = never. 'wake_fd' (-1 = none) becomes readable
   * when *stop is set, so a wait ends without waiting out its timeout. */
  volatile sig_atomic_t *stop;
  int wake_fd;
  /* 0: 'responses' has an entry per request. Else it has this many and
   * request i answers into responses[i % response_ring]: a run that is
   * done with each answer once on_done has returned for it (and whose
   * may_start keeps every request within response_ring of the oldest one
   * it still holds) needs no response per endpoint. */
  size_t response_ring;
  /* With response_ring set, 'requests' is a ring of the same size too, and
   * this fills request i (requests[i % response_ring]) just before it
   * starts, with on_done_ctx; the run stops with its error if it fails.
   * NULL = every request is given in full up front. */
  enum al_code (*prepare)(void *ctx, size_t index, struct al_err *err);
};

/* Sets the defaults above (jobs 8, 1 MiB cap..., no callback, no stop flag,
 * wake_fd -1). No timeout: each request has its own (the spec loader's). */
void al_transfer_opts_init(struct al_transfer_opts *opts);

/* Global libcurl set-up and tear-down; call once per process. */
enum al_code al_transfer_global_init(struct al_err *err);
void al_transfer_global_cleanup(void);

/* Connection settings come with each request (req->reach: TLS trust,
 * client certificate, HTTP version, proxy, retries). libcurl reads the
 * proxy environment (http_proxy, https_proxy, all_proxy, no_proxy) itself
 * when a request names no proxy; nothing here turns that off.
 *
 * Retries (req->reach->retry): a transfer that failed before any byte of an
 * answer (connection refused, reset, nothing received, timed out with no
 * head: curl codes 7, 28, 52, 55, 56) is started again after the retry
 * wait, up to 'retry' more times; each failed attempt is kept in
 * res->attempts. An answer, whatever its status, is never asked again.
 *
 * How a result reads:
 *   received=1, transport_failed=0  a complete response; or, with
 *       body_limit_hit=1, a response whose body went past the read limit
 *       (an endless body or a decompression bomb): apilint stopped reading,
 *       body holds the start, body_incomplete=1. The server did nothing
 *       wrong by sending a big answer, so it is not a transport failure.
 *   received=1, transport_failed=1  the head (status, headers) arrived and is
 *       valid but the body did not complete: the timeout struck mid-body,
 *       or the connection broke. body_incomplete=1
 *       and body holds what was read. Rules can judge the head and the
 *       engine still reports the transport problem: the head is evidence,
 *       and hiding a hostile body behind a "clean" result would be wrong.
 *   received=0, transport_failed=1  no final response: refused, DNS, TLS,
 *       timeout, not HTTP, a 1xx and then a closed connection. status is 0,
 *       status_line NULL, headers empty. 1xx heads that did arrive are
 *       counted in interim_count, the last one kept in last_interim_status
 *       and last_interim_line (the server answered, but only with 1xx).
 *
 * Bytes after a 204/304/HEAD answer (stray, stray_size):
 *   - bytes that arrive together with the head are read and thrown away by
 *     libcurl 7.88 (its "Excess found" note, which we parse): they count in
 *     stray_size, but their content is gone, so stray stays empty for them.
 *     This works on any connection, https included.
 *   - on plain http:// HTTP/1.x (over TLS or HTTP/2 the socket carries
 *     records/frames, not the body) the connection is taken from libcurl
 *     the moment the bodyless head has been read, before libcurl could give
 *     it to another transfer. Bytes that came after libcurl's read (a server
 *     that writes the body separately) are read off it: right away if
 *     there, else by watching it for up to stray_wait_ms while all other
 *     transfers go on. At most body_cap of them are kept in stray. Then it
 *     is closed: never reused, so a body arriving even later cannot be read
 *     as the next response. A server that closes the connection itself is
 *     read the same way.
 * The cost for a correct server: one new connection after each bodyless
 * answer, and a run waits for its last watch (stray_wait_ms at most) before
 * returning. At most 256 connections are watched at once; beyond that new
 * transfers wait for a watch to end. */

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
