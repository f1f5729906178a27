/* har.h - recorded traffic as input: a HAR file (HTTP Archive 1.2, from a
 * browser's devtools, a proxy, chrome-har) becomes what a run would have
 * produced by sending - one spec endpoint, request and response per
 * recorded exchange - so the engine and the reporters judge it unchanged,
 * and nothing is sent.
 *
 * Each kept entry is an endpoint named "METHOD path" (no query: names are
 * shown everywhere and a query may hold a credential) located at the
 * entry's line:col in the HAR file. Skipped: what the browser did on its
 * own or could not complete - data:, blob:, about:, extension and other
 * non-HTTP URLs, favicon requests, entries with status 0 (blocked,
 * aborted) - and, with a prefix, every URL outside it.
 *
 * What a recording cannot show is left out rather than guessed: bytes a
 * server sent after a 204, a 304 or a HEAD answer are dropped by the
 * browser before they are recorded (and a 304's recorded content is the
 * cached copy), so those answers are judged by their headers alone. */
#ifndef AL_HAR_H
#define AL_HAR_H

#include <stddef.h>

#include "common.h"
#include "request.h"
#include "response.h"
#include "spec.h"

/* HAR files are recordings, larger than specs by nature. */
#define AL_HAR_MAX_FILE (512UL * 1024 * 1024)

struct al_har_opts {
  const char *url_prefix; /* --base-url: keep only URLs starting with it;
                             NULL = every HTTP(S) URL */
  size_t body_cap;        /* decoded body bytes kept per answer; 0 = 1 MiB
                             (the true size is still counted) */
};

struct al_har {
  struct al_spec *spec;          /* owned; path = the HAR file, one endpoint per
                                    kept entry (name, method, path, url, line:col) */
  struct al_request *requests;   /* owned; spec->endpoint_count of them */
  struct al_response *responses; /* owned; same indexing */
  size_t noise;   /* entries skipped as browser noise or failed (status 0) */
  size_t outside; /* entries skipped for being outside url_prefix */
  /* Owned; credentials found only in the recording's cookie lists and
   * Set-Cookie values, to be masked like any secret (the headers
   * themselves are masked by name). */
  char **secrets;
  size_t secret_count;
};

/* Reads the HAR file at 'path'. On success returns AL_OK and sets '*out'
 * (free with al_har_free). On failure returns AL_E_SPEC (not JSON, not a
 * HAR: 'err' names path:line:col), AL_E_IO or AL_E_NOMEM, '*out' NULL.
 * A HAR with no entry left after filtering is not an error. 'opts' may be
 * NULL. */
enum al_code al_har_load(const char *path, const struct al_har_opts *opts,
                         struct al_har **out, struct al_err *err);

void al_har_free(struct al_har *har);

#endif
