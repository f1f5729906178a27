/* merge.h - `apilint merge`: the JSON reports of the shards of one run
 * (--shard I/N, shard.h) read back into the report one unsharded run would
 * have handed its reporters: every spec, every endpoint in spec order,
 * with its request and answer as far as reports show them (heads, status,
 * timings; never a body), its rule results and probe entries. The caller
 * streams it through the registered reporters (report.h), so a merge
 * writes every format a run writes.
 *
 * Refused (AL_E_USAGE, 'err' names the file and why): a file that cannot
 * be read or is not JSON (with line:column), not an apilint report or one
 * of another apilint version, an interrupted run, reports of different
 * specs (name, endpoint digest or count differ) or of different --shard
 * totals, a shard given twice, a shard missing, an endpoint in two
 * reports or in none. */
#ifndef AL_MERGE_H
#define AL_MERGE_H

#include <stddef.h>

#include "common.h"
#include "report.h"

struct al_merge; /* opaque: owns the specs, requests and answers */

/* Reads and checks the reports at 'paths'. 'fail_on' NULL keeps the
 * shards' own --fail-on (they must agree), else it is the merged report's.
 * On success '*out' is a new merge (al_merge_free) whose report
 * (al_merge_report) is complete: summary still zero (the caller counts as
 * it hands endpoints over, like a run), planned and specs filled, started
 * the earliest shard's, elapsed_ms the longest shard's; ruleset, redactor
 * and hostname are the caller's to set. */
enum al_code al_merge_load(const char *const *paths, size_t count,
                           const enum al_severity *fail_on,
                           struct al_merge **out, struct al_err *err);

/* The merged report, owned by 'm' and valid until al_merge_free. */
struct al_report *al_merge_report(struct al_merge *m);

/* Forgets the shards' --baseline marks (suppressed, reason, expiry) on
 * every finding: `merge --baseline FILE` judges the merged run anew. */
void al_merge_clear_baseline(struct al_merge *m);

/* Frees everything (NULL-safe); the report's borrowed ruleset and
 * redactor are the caller's. */
void al_merge_free(struct al_merge *m);

#endif
