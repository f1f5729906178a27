/* fingerprint.h - a finding's stable identity across runs: what a baseline
 * entry matches, what SARIF's partialFingerprints carries (so GitHub code
 * scanning tracks one alert over many runs) and what `apilint merge` and
 * the JSON report ("fingerprint" of each finding) pass on.
 *
 * It is made from the rule id, the endpoint's method, the endpoint's path
 * TEMPLATE and, for a finding of a probe, the probe's name - and nothing
 * else: never a timestamp, the base URL or port, a body, an evidence text
 * or the order of endpoints or findings. The path template is the spec's
 * `path:` as written, before ${VAR} expansion, with every default dropped
 * (`/users/${USER_ID:-42}` and `/users/${USER_ID:-7}` are both
 * `/users/${USER_ID}`), so changing a variable's value or default keeps
 * the fingerprint; an OpenAPI document linted directly gives the same
 * template `apilint import` writes, so both give the same fingerprints.
 * Findings of one rule on one endpoint (two `expect:` mismatches) share
 * their fingerprint, as do two endpoints with the same method and path.
 *
 * The value is 16 lower-case hex digits: FNV-1a (64 bit) of the four parts
 * joined by NUL bytes after the version tag "apilint-fp/1". A change of
 * the recipe must change the tag (and AL_FINGERPRINT_KEY) so old baselines
 * are recognisably stale rather than silently wrong. */
#ifndef AL_FINGERPRINT_H
#define AL_FINGERPRINT_H

#include <stddef.h>

#include "buf.h"
#include "common.h"
#include "finding.h"

/* Digits of a fingerprint, and the size of its buffer with the NUL. */
#define AL_FINGERPRINT_LEN 16
#define AL_FINGERPRINT_SIZE AL_FINDING_FINGERPRINT_SIZE

/* The key SARIF partialFingerprints files it under (versioned, as SARIF
 * §3.27.17 asks). */
#define AL_FINGERPRINT_KEY "apilintFingerprint/v1"

struct al_endpoint;

/* Appends the path template of 'path' (a spec `path:` as written: ${VAR}
 * references kept, ":-default" parts dropped, "$$" kept) to 'out'. Returns
 * AL_OK or AL_E_NOMEM. */
enum al_code al_fingerprint_template(struct al_buf *out, const char *path);

/* Writes the fingerprint of a finding of 'rule_id' on 'method'
 * 'path_template' (already a template: al_fingerprint_template) into 'out'
 * (AL_FINGERPRINT_SIZE bytes, NUL-terminated). 'probe' is the probe's name,
 * or NULL / "" for the endpoint's own request. NULL strings count as "". */
void al_fingerprint_make(const char *rule_id, const char *method,
                         const char *path_template, const char *probe,
                         char out[AL_FINGERPRINT_SIZE]);

/* The path template of endpoint 'ep' into 'out': its `path:` before
 * expansion when the spec recorded it, else its path (a HAR entry's).
 * Returns AL_OK or AL_E_NOMEM. */
enum al_code al_fingerprint_endpoint_template(struct al_buf *out,
                                              const struct al_endpoint *ep);

/* Sets the 'fingerprint' of every finding of 'er' (its own and its probes')
 * from its endpoint (er->endpoint; without one, the request's method and
 * "?" as path). Returns AL_OK or AL_E_NOMEM. */
enum al_code al_fingerprint_result(struct al_endpoint_result *er);

/* 1 when 's' is AL_FINGERPRINT_LEN lower-case hex digits. */
int al_fingerprint_valid(const char *s);

#endif
