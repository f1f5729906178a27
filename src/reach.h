/* reach.h - how requests reach an API (issue 9): TLS trust and client
 * certificate, HTTP version, proxy, retries of transport failures, and the
 * pace of the run. Filled from the command line (cli.c) and from a spec's
 * `defaults:` (spec.c); run.c merges the two, the command line winning
 * field by field; transfer.c turns the result into curl options. All with
 * curl's names and meanings. */
#ifndef AL_REACH_H
#define AL_REACH_H

#include <stddef.h>

#include "common.h"

enum al_http_version {
  AL_HTTP_ANY = 0, /* not set: libcurl's default (HTTP/2 over TLS by ALPN
                      when the server offers it, HTTP/1.1 otherwise) */
  AL_HTTP_1_1,     /* --http1.1 */
  AL_HTTP_2,       /* --http2: h2 by ALPN over TLS, Upgrade: h2c in clear */
  AL_HTTP_2_PRIOR  /* --http2-prior-knowledge: h2 without asking */
};

/* Strings are borrowed: from argv (the command line) or from the spec that
 * holds them (they outlive the run). NULL / 0 / -1 = not set. */
struct al_reach {
  const char *cacert;       /* --cacert / tls.cacert: CA bundle file (PEM) */
  const char *capath;       /* --capath / tls.capath: hashed CA directory */
  int insecure;             /* -k / tls.insecure: 1 = do not verify; -1 unset */
  const char *cert;         /* --cert FILE / tls.cert: client certificate */
  const char *cert_type;    /* --cert-type / tls.cert_type: PEM, DER, P12 */
  const char *key;          /* --key / tls.key: private key file */
  const char *key_type;     /* --key-type / tls.key_type: PEM, DER, ENG */
  const char *key_password; /* --cert FILE:PASSWORD, --pass /
                               tls.key_password: a secret */
  enum al_http_version http_version;
  const char *proxy;   /* --proxy / proxy: URL; "" = no proxy at all */
  const char *noproxy; /* --noproxy / noproxy: hosts that bypass it */
  int retry;           /* --retry / retry.count: extra attempts after a
                          transport failure; -1 = not set (0) */
  long retry_delay_ms; /* --retry-delay / retry.delay; -1 = not set: 1 s,
                          doubling each attempt (curl's backoff) */
};

/* --rate / defaults.rate: at most 'count' requests started per 'per_ms'. */
struct al_rate {
  long count;  /* 0 = no cap */
  long per_ms; /* 1000, 60000 or 3600000 */
};

/* Everything unset (-1 / NULL / 0). */
void al_reach_init(struct al_reach *r);

/* 'out' = 'top' where a field of 'top' is set, else 'base' (both may be the
 * same as 'out'). */
void al_reach_merge(struct al_reach *out, const struct al_reach *top,
                    const struct al_reach *base);

/* "N", "N/s", "N/m", "N/h" (N from 1 to 1000000; curl's --rate syntax,
 * also "N/second" etc.). Returns 1 and fills 'out', or 0. */
int al_rate_parse(const char *text, struct al_rate *out);

/* The minimum spacing, in ms, between request starts for 'rate' (0 when
 * there is no cap). */
double al_rate_interval_ms(const struct al_rate *rate);

/* "1.1", "2", "2-prior-knowledge" (spec `http_version:` values). Returns 1
 * and sets *out, or 0. */
int al_http_version_parse(const char *text, enum al_http_version *out);
const char *al_http_version_name(enum al_http_version v);

/* curl's --cert FILE[:PASSWORD]: splits at the first ':' that is not
 * escaped with a backslash ("\:" is a colon of the name). Writes a new
 * string with the file name to *file and, when there is a password, a new
 * string to *password (else NULL); the caller frees both. Returns AL_OK or
 * AL_E_NOMEM. */
enum al_code al_reach_split_cert(const char *arg, char **file, char **password);

/* 1 when 'type' is a --cert-type (cert = 1: PEM, DER, P12) or --key-type
 * (cert = 0: PEM, DER, ENG) libcurl knows, any case. */
int al_tls_type_ok(const char *type, int cert);

/* Attempt 'attempt' (1 = the first retry) waits this many ms: the set
 * delay every time, or 1 s doubling each attempt (at most 10 minutes) when
 * none is set, as curl does. */
long al_reach_retry_wait_ms(const struct al_reach *r, int attempt);

#endif
