/* baseline.h - findings accepted for now (--baseline FILE), so a team can
 * adopt apilint on an API that already has findings and fail only on new
 * ones. Between the engine and the reporters: each finished endpoint's
 * findings (fingerprinted, fingerprint.h) are looked up; a finding an
 * entry covers is marked suppressed (shown, never failing) and an entry
 * whose `expires:` date has passed marks it expired instead (it fails
 * again, and says so). At the end the entries nothing matched are the ones
 * that no longer occur, for the reporters to list.
 *
 * The file is YAML (read with the spec loader's toolkit, so a broken one
 * is an error with file:line:col), written by --write-baseline
 * (report_baseline.c):
 *
 *   version: 1
 *   findings:
 *     - fingerprint: "99f755e74d9107b8"  # the match; the rest is for people
 *       rule: server-error
 *       method: GET
 *       path: "/users/${USER_ID}"
 *       probe: head                      # only for a probe's finding
 *       spec: "specs/api.yaml:12"
 *       reason: "known; fixed by API-123" # optional, kept on rewrite
 *       expires: 2027-01-31              # optional: suppresses through
 *                                        # that day (UTC), kept on rewrite
 */
#ifndef AL_BASELINE_H
#define AL_BASELINE_H

#include <stddef.h>

#include "common.h"
#include "fingerprint.h"
#include "strmap.h"

struct al_endpoint_result;
struct al_jw;
struct al_report;

struct al_baseline_entry {
  char fingerprint[AL_FINGERPRINT_SIZE];
  /* Owned; what the entry says for a reader ("" when it says nothing). */
  char *rule, *method, *path, *probe, *spec;
  char *reason;   /* owned; NULL = none */
  char *expires;  /* owned; "YYYY-MM-DD"; NULL = never */
  int line;       /* where the entry starts in the file */
  int expired;    /* 'expires' is before today: it no longer suppresses */
  size_t matched; /* findings of this run it matched (al_baseline_apply) */
};

struct al_baseline {
  char *path;                        /* owned; as given */
  struct al_baseline_entry *entries; /* owned; file order */
  size_t count;
  struct al_strmap index; /* fingerprint -> entry index; keys borrowed
                             from 'entries' */
  char today[11];         /* "YYYY-MM-DD" (UTC) the expiry is judged on */
  size_t suppressed;      /* findings suppressed so far */
  size_t expired_hits;    /* findings an expired entry matched so far */
};

/* Reads and validates the baseline at 'path'; 'today' ("YYYY-MM-DD", NULL
 * = the current UTC date) decides which entries have expired. On success
 * sets '*out' (free with al_baseline_free). On failure returns AL_E_SPEC
 * (with file:line:col and what was expected in 'err'), AL_E_IO (cannot be
 * read: 'err' says why) or AL_E_NOMEM, and '*out' is NULL. */
enum al_code al_baseline_load(const char *path, const char *today,
                              struct al_baseline **out, struct al_err *err);

/* The same from text in memory; 'path' names it in messages. */
enum al_code al_baseline_parse(const char *text, size_t len, const char *path,
                               const char *today, struct al_baseline **out,
                               struct al_err *err);

void al_baseline_free(struct al_baseline *b); /* NULL-safe */

/* The entry with fingerprint 'fp', or NULL. Borrowed from 'b'. */
const struct al_baseline_entry *al_baseline_find(const struct al_baseline *b,
                                                 const char *fp);

/* Looks up every fingerprinted finding of 'er' (own and probes'): one an
 * entry covers gets suppressed = 1 and a copy of the entry's reason; one
 * an expired entry covers gets a copy of its expiry date in
 * baseline_expired. Counts the matches in the entries and in 'b'. A NULL
 * 'b' does nothing. Returns AL_OK or AL_E_NOMEM. */
enum al_code al_baseline_apply(struct al_baseline *b,
                               struct al_endpoint_result *er);

/* The path as given. Borrowed. */
const char *al_baseline_path(const struct al_baseline *b);

/* Entries nothing matched so far (at the end of a run: those that no
 * longer occur). */
size_t al_baseline_unmatched(const struct al_baseline *b);

/* Writes the member "baseline" into the open JSON object of 'w': the path,
 * the numbers of entries, suppressed findings and expired matches, the
 * entries that matched after their expiry, and the entries that no longer
 * occur - null for those when the run was interrupted or is one shard (not
 * every endpoint ran, so absence proves nothing). Strings cleaned through
 * 'report'. */
void al_baseline_put_json(struct al_jw *w, const struct al_baseline *b,
                          const struct al_report *report);

/* Today's UTC date as "YYYY-MM-DD" into out[11]. */
void al_baseline_today(char out[11]);

/* 1 when 's' is a real date written YYYY-MM-DD. */
int al_baseline_date_valid(const char *s);

#endif
