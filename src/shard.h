/* shard.h - the shard stage (--shard I/N): between loading the specs and
 * building requests, keeps the endpoints of one of N shards and drops the
 * others, so N CI jobs together send every endpoint exactly once and
 * `apilint merge` (merge.h) puts their reports back together.
 *
 * The unit of sharding is a path group: the endpoints of one spec that
 * share a path (its query left out). Probes judge an answer against the
 * other answers on the same path (allow-inconsistent) and pick the methods
 * to try from the methods declared for it (method-not-allowed), so a path
 * split over two shards would judge differently than one run does. Groups
 * are sorted by a hash of their identity (the spec's name and the path:
 * never the base URL, a port or the order in the file) and dealt out in
 * that order, each to the shard with the fewest endpoints so far (the
 * lowest number on a tie). With one endpoint per path that is a round
 * robin over the hash order: shard sizes differ by at most 1; in general
 * by at most the largest group. */
#ifndef AL_SHARD_H
#define AL_SHARD_H

#include <stddef.h>

#include "common.h"
#include "spec.h"

#define AL_SHARD_MAX                                                           \
  1000 /* N of --shard I/N; GitLab's parallel: stops at                        \
          200 */

struct al_shard {
  unsigned index; /* 1-based */
  unsigned total; /* 0 = not sharded */
};

/* Parses "I/N" (1 <= I <= N <= AL_SHARD_MAX), or "auto": I and N from
 * GitLab CI's CI_NODE_INDEX (1-based, set only for a job with parallel:)
 * and CI_NODE_TOTAL (1 for a job without parallel:), read through
 * 'getenv_fn' (NULL = getenv) so tests can supply them. A job that is not
 * parallel (CI_NODE_TOTAL=1, no index) is shard 1/1. Returns AL_OK, or
 * AL_E_USAGE with a message naming the value and the variable in 'err'. */
enum al_code al_shard_parse(const char *arg,
                            const char *(*getenv_fn)(const char *name),
                            struct al_shard *out, struct al_err *err);

/* For every spec: records its digest, loaded_count and each endpoint's
 * index (spec.h), then, when
 * 'shard' is sharded (total > 0), keeps only the endpoints of shard
 * 'index' (al_spec_keep_endpoints). 'shard' NULL = not sharded. Returns
 * AL_OK or AL_E_NOMEM (the specs are then unchanged but for digests). */
enum al_code al_shard_apply(struct al_spec *const *specs, size_t count,
                            const struct al_shard *shard);

/* The shard (1..total) of every endpoint of 'specs', flattened in spec
 * order, into '*out' (a new array, one entry per endpoint of all specs,
 * that the caller frees). Returns AL_OK or AL_E_NOMEM. */
enum al_code al_shard_assign(const struct al_spec *const *specs, size_t count,
                             unsigned total, unsigned **out);

/* The digest of a spec's endpoint list: FNV-1a 64 of its name and every
 * endpoint's name, method and path in order, as 16 hex digits and a NUL.
 * Two reports come from the same spec when their digests agree. */
void al_shard_digest(const struct al_spec *spec, char out[17]);

#endif
