/* report.h - the report stage: the results of a run become text, JSON or
 * JUnit XML (and whatever else registers). Reporters STREAM: the pipeline
 * hands each endpoint's result over in spec order as soon as it (and every
 * endpoint before it) is judged, then frees it, so nothing grows with the
 * number of endpoints but what a reporter chooses to count. One reporter a
 * file (report_text.c, report_json.c, report_junit.c) behind one small
 * interface (struct al_reporter_ops); the registry is in reporters.c; the
 * helpers every reporter shares (cleaning, finding lines, counts) and the
 * file writer are in report.c.
 *
 * The life of one report:
 *
 *   ops->begin(out, report, opts, &state)      once, before the first request
 *   ops->endpoint(state, item)                 once per finished endpoint,
 *                                              spec order, no gaps
 *   ops->end(state)                            once; report->summary,
 *                                              ->elapsed_ms, ->interrupted
 *                                              and each spec's elapsed_ms are
 *                                              final now
 *   ops->free(state)                           always, once begin succeeded
 *
 * A reporter writes only to 'out' (a temporary file the pipeline renames
 * into place after end() succeeded, or stdout) and to files of its own
 * making (e.g. tmpfile() to assemble parts whose counts come first). It
 * never decides the exit status and never prints to stderr. */
#ifndef AL_REPORT_H
#define AL_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "common.h"
#include "finding.h"
#include "redact.h"
#include "spec.h"

struct al_baseline;
struct al_ruleset;

/* One spec of the run. While streaming, 'endpoints' is NULL and
 * endpoint_count 0: results come one at a time through ops->endpoint. A
 * collected report (tests, al_report_replay) owns them here instead. */
struct al_spec_result {
  const struct al_spec *spec;           /* borrowed */
  struct al_endpoint_result *endpoints; /* owned; spec order; NULL while
                                           streaming */
  size_t endpoint_count;
  const char *base_url; /* borrowed (the spec's or --base-url); NULL =
                           unknown. Unmasked: clean it before showing it */
  size_t planned;       /* endpoints this spec has (all of them, also those
                           an interrupted run never handed over) */
  double elapsed_ms;    /* real wall time: from the run's first request to
                           this spec's last answer; final at end() */
  char timestamp[32];   /* UTC start, "YYYY-MM-DDTHH:MM:SS" (no zone) */
};

struct al_report_summary {
  size_t endpoints;
  size_t reached;                 /* endpoints that got an HTTP response */
  size_t transport_errors;        /* endpoints that did not */
  size_t errors, warnings, infos; /* findings by severity */
  size_t failing;                 /* findings at or above fail_on */
  /* Findings of probes count in errors/warnings/infos/failing above;
   * reached and transport_errors are about the endpoints' own requests. */
  size_t probe_requests; /* requests probes sent (a burst counts N) */
  size_t suppressed;     /* findings a --baseline entry covers: counted in
                            errors/warnings/infos, never in failing */
};

/* The run as every reporter sees it. Owned by the pipeline; reporters get
 * a const pointer that stays valid from begin() to free(). */
struct al_report {
  struct al_spec_result *specs; /* owned; one per spec, command-line order */
  size_t spec_count;
  enum al_severity fail_on;           /* findings at or above this fail */
  const struct al_redactor *redactor; /* borrowed; may be NULL */
  const struct al_ruleset *ruleset;   /* borrowed; may be NULL */
  char hostname[256];
  char started[32]; /* UTC start of the run, "YYYY-MM-DDTHH:MM:SSZ"; "" =
                       unknown */
  size_t planned;   /* endpoints in the run, over all specs */
  /* Final when ops->end() is called (streaming: counted as the endpoints
   * were handed over; al_report_replay: summarized first). */
  struct al_report_summary summary;
  double elapsed_ms;  /* real wall time of the run so far */
  int interrupted;    /* 0, or the signal (SIGINT, SIGTERM) that stopped the
                         run: then only the endpoints that finished were
                         handed over (summary.endpoints < planned) */
  int tls_unverified; /* -k/--insecure (or tls.insecure) was in effect */
  /* --baseline (baseline.h), or NULL. Findings arrive marked already; the
   * entries' match counts are final at end(). Borrowed. */
  const struct al_baseline *baseline;
  unsigned shard_index, shard_total; /* --shard I/N (shard.h); total 0 =
                                        the whole run */
};

struct al_report_opts {
  int color;   /* ANSI colour (text only) */
  int quiet;   /* text: findings only, no per-endpoint OK lines / summary */
  int verbose; /* text: request and response heads too (masked), and every
                  repeat of a finding instead of a grouped count */
  /* The baseline writer (--write-baseline): the baseline whose reasons and
   * expiry dates the new file keeps (borrowed; NULL = none). */
  const struct al_baseline *keep;
};

/* One endpoint's result as handed to a reporter. It and everything it
 * points to (findings, request, response, probe entries) are valid ONLY
 * during the ops->endpoint call: the pipeline frees them right after. A
 * reporter may keep nothing that points into it; it copies what it must
 * keep (counts, a short key) and should keep little, since memory must not
 * grow with the number of endpoints. */
struct al_report_item {
  size_t spec_index;                       /* into report->specs */
  const struct al_spec *spec;              /* report->specs[spec_index].spec */
  size_t index;                            /* endpoint index in its spec */
  const struct al_endpoint_result *result; /* borrowed for the call */
};

/* One output format. Every function returns AL_OK, AL_E_NOMEM, AL_E_IO
 * (a write to 'out' failed) or another code of its own failure; after a
 * failure the pipeline calls no more of them except free(), and the
 * report file is not put in place. */
struct al_reporter_ops {
  const char *format; /* "text", "json", "junit": the name -f takes */
  /* Starts the report on 'out' (borrowed until free). 'report' and 'opts'
   * are borrowed until free. Sets '*state' to the reporter's own state
   * (anything, or NULL). */
  enum al_code (*begin)(FILE *out, const struct al_report *report,
                        const struct al_report_opts *opts, void **state);
  /* One finished endpoint, in spec order, each exactly once (see struct
   * al_report_item for what may be kept: nothing it points to). */
  enum al_code (*endpoint)(void *state, const struct al_report_item *item);
  /* After the last endpoint; the report's final members are set. Writes
   * what remains (summary, closing markup) to 'out'. Must not close it. */
  enum al_code (*end)(void *state);
  /* Frees 'state' (NULL-safe); called once whenever begin() succeeded,
   * also after a failure. */
  void (*free)(void *state);
};

extern const struct al_reporter_ops al_reporter_text;
extern const struct al_reporter_ops al_reporter_json;
extern const struct al_reporter_ops al_reporter_junit;
extern const struct al_reporter_ops al_reporter_sarif;
/* --write-baseline (report_baseline.c): not a -f format. */
extern const struct al_reporter_ops al_reporter_baseline;
extern const struct al_reporter_ops al_reporter_html;

/* The registry (reporters.c): the reporter for 'format' ("text", "json",
 * ...), or NULL. */
const struct al_reporter_ops *al_reporter_find(const char *format);
/* Every registered reporter, NULL-terminated, in the order --help lists
 * them. */
const struct al_reporter_ops *const *al_reporter_list(void);

/* Drives 'ops' over a collected report (every spec's 'endpoints' filled,
 * as tests build them): begin, every endpoint in order, end, free. The
 * reporter sees a copy of 'report' whose summary (and 'planned' counts,
 * when 0) are computed first. Returns the first failure. */
enum al_code al_report_replay(const struct al_reporter_ops *ops, FILE *out,
                              const struct al_report *report,
                              const struct al_report_opts *opts);

/* Adds one endpoint's counts to 'sum' (what the pipeline does for every
 * endpoint it hands over). */
void al_report_summary_add(struct al_report_summary *sum,
                           const struct al_report *report,
                           const struct al_endpoint_result *er);

/* The old whole-report signature: al_report_replay with one reporter. */
typedef enum al_code (*al_report_write_fn)(FILE *out,
                                           const struct al_report *report,
                                           const struct al_report_opts *opts);

enum al_code al_report_write_text(FILE *out, const struct al_report *report,
                                  const struct al_report_opts *opts);
enum al_code al_report_write_json(FILE *out, const struct al_report *report,
                                  const struct al_report_opts *opts);
enum al_code al_report_write_junit(FILE *out, const struct al_report *report,
                                   const struct al_report_opts *opts);
enum al_code al_report_write_sarif(FILE *out, const struct al_report *report,
                                   const struct al_report_opts *opts);
enum al_code al_report_write_html(FILE *out, const struct al_report *report,
                                  const struct al_report_opts *opts);

void al_report_summarize(const struct al_report *report,
                         struct al_report_summary *out);

/* Writes a collected report to 'path' whole or not at all (outfile.h): into
 * a temporary file in the same directory, put in place over 'path' when
 * complete (not fsync'ed: see outfile.h). On failure 'path' is untouched, the
 * temporary file is removed and 'err' says why (AL_E_IO, or AL_E_NOMEM / the
 * writer's own code when 'fn' fails). A replaced file keeps its permission
 * bits; a new one gets 0666 & ~umask. A symlink is followed (the file it names
 * is replaced, the link stays). A path that is a device or pipe (/dev/stdout)
 * is written directly: it cannot be replaced. */
enum al_code al_report_write_file(const char *path, al_report_write_fn fn,
                                  const struct al_report *report,
                                  const struct al_report_opts *opts,
                                  struct al_err *err);

/* ---- The pipeline's side: every requested report of one run ---- */

struct al_report_set; /* opaque; reporters.c */

/* An empty set. Returns AL_OK or AL_E_NOMEM. Free with al_report_set_free. */
enum al_code al_report_set_new(struct al_report_set **out);

/* Adds a report in 'format' (al_reporter_find) written to 'path', or to
 * stdout when 'path' is NULL. A file's temporary is created NOW (outfile.h):
 * add every report before the first request, so an unwritable path is a
 * usage error with nothing sent. 'opts' is copied. AL_E_USAGE for an
 * unknown format, AL_E_IO / AL_E_NOMEM with 'err' set otherwise. */
enum al_code al_report_set_add(struct al_report_set *set, const char *format,
                               const char *path,
                               const struct al_report_opts *opts,
                               struct al_err *err);

/* The same with the reporter given ('ops', static), for one that is not a
 * -f format (the baseline writer). */
enum al_code al_report_set_add_reporter(struct al_report_set *set,
                                        const struct al_reporter_ops *ops,
                                        const char *path,
                                        const struct al_report_opts *opts,
                                        struct al_err *err);

/* Calls every reporter's begin() with 'report' (borrowed until free). */
enum al_code al_report_set_begin(struct al_report_set *set,
                                 const struct al_report *report);

/* Hands one endpoint to every reporter that has not failed. A reporter
 * that fails is dropped (its file will not be put in place); the others
 * go on. Returns AL_OK, or the first new failure's code. */
enum al_code al_report_set_endpoint(struct al_report_set *set,
                                    const struct al_report_item *item);

/* Calls end() on every reporter still going and puts each file in place
 * (stdout is flushed). Returns AL_OK when every report was written. */
enum al_code al_report_set_end(struct al_report_set *set);

/* The number of reports in the set, and for report 'i' NULL or what went
 * wrong with it (file name and reason), for the caller to print. */
/* Whether a write to any of the set's destinations (stdout included) can
 * block on a reader (al_stream_may_block). */
int al_report_set_may_block(const struct al_report_set *set);
size_t al_report_set_count(const struct al_report_set *set);
const struct al_err *al_report_set_error(const struct al_report_set *set,
                                         size_t i);

/* Discards every temporary file not yet in place and frees the set
 * (NULL-safe). */
void al_report_set_free(struct al_report_set *set);

/* Shared by the writers (report.c, report_*.c). */

/* 1 when finding 'f' is at or above the report's fail_on and no baseline
 * entry suppresses it. */
int al_report_fails(const struct al_report *report, const struct al_finding *f);

/* A new string (caller frees) safe to show anywhere: 'len' bytes of 'text'
 * (NULL = "") with the redactor's secrets masked, then every byte that is
 * not valid UTF-8, every control character other than \t \n \r (C0, DEL,
 * C1) and U+FFFE/U+FFFF replaced by '?', so the result is valid UTF-8, legal
 * XML 1.0 text and cannot steer a terminal. With 'oneline', \t \n \r
 * become spaces too. NULL only on OOM. */
char *al_report_clean(const struct al_report *report, const char *text,
                      size_t len, int oneline);

/* 1 when al_report_clean keeps code point 'cp' as it is (with 'oneline'
 * off): not a control character other than \t \n \r, not U+FFFE/U+FFFF,
 * not a bidirectional formatting character. For writers that copy text
 * cleaning would not change without calling it. */
int al_report_shows_code_point(unsigned cp);

/* Appends al_report_clean(report, text, len, oneline) to 'out'. Returns
 * AL_OK or AL_E_NOMEM. */
enum al_code al_report_append_clean(struct al_buf *out,
                                    const struct al_report *report,
                                    const char *text, size_t len, int oneline);

/* The endpoint's name and method, falling back to the request (then "?")
 * when the endpoint is missing. Borrowed from 'er'. */
const char *al_report_endpoint_name(const struct al_endpoint_result *er);
const char *al_report_endpoint_method(const struct al_endpoint_result *er);
/* The URL requested: the request's when known, else the endpoint's
 * (unmasked: pass it through al_report_clean). Never NULL. */
const char *al_report_endpoint_url(const struct al_endpoint_result *er);

/* 1 when the endpoint got an HTTP response. */
int al_report_reached(const struct al_endpoint_result *er);

/* Appends the compiler-style line of one finding, without a newline:
 *   SPECFILE:LINE:COL: SEVERITY: ENDPOINT-NAME: MESSAGE [RULE-ID]
 * every part cleaned (al_report_clean, one line). With 'color' the
 * severity word is coloured and the endpoint name bold (ANSI).
 * Returns AL_OK or AL_E_NOMEM. */
enum al_code al_report_finding_line(struct al_buf *out,
                                    const struct al_report *report,
                                    const struct al_spec *spec,
                                    const struct al_endpoint_result *er,
                                    const struct al_finding *f, int color);

/* The same line for a finding of one of the endpoint's probes:
 *   SPECFILE:LINE:COL: SEVERITY: ENDPOINT-NAME: probe NAME (SENT): MESSAGE
 *   [RULE-ID]
 * ("probe NAME: " when the probe sent nothing). Returns AL_OK or
 * AL_E_NOMEM. */
enum al_code al_report_probe_finding_line(
    struct al_buf *out, const struct al_report *report,
    const struct al_spec *spec, const struct al_endpoint_result *er,
    const struct al_probe_result *pr, const struct al_finding *f, int color);

/* A finding line (al_report_finding_line, al_report_probe_finding_line:
 * 'pr' NULL for the endpoint's own findings) as the pieces it is made of,
 * in order, none empty: each is appended cleaned to one line
 * (al_report_append_clean) when clean[i] is set, else as it is. For a
 * writer that can tell from the pieces' bytes that cleaning keeps them all
 * and copies them without building the line. 'piece' may point into
 * 'pos' (":LINE:COL") and into the finding, spec and results. */
#define AL_LINE_PIECES 28
struct al_line_pieces {
  size_t count;
  int overflow; /* a piece found no room: appending the line fails */
  const char *piece[AL_LINE_PIECES];
  unsigned char clean[AL_LINE_PIECES];
  char pos[2 * (2 + AL_UINT_DIGITS) + 1];
};
void al_report_line_pieces(struct al_line_pieces *out,
                           const struct al_spec *spec,
                           const struct al_endpoint_result *er,
                           const struct al_probe_result *pr,
                           const struct al_finding *f, int color);
/* Appends the line of 'lp' to 'out'. Returns AL_OK, AL_E_NOMEM, or
 * AL_E_INTERNAL when a piece found no room in 'lp' (a line cut short is
 * never written). */
enum al_code al_report_append_pieces(struct al_buf *out,
                                     const struct al_report *report,
                                     const struct al_line_pieces *lp);

/* 1 when the probe entry got an HTTP response (for a burst: the answer
 * that was judged). */
int al_report_probe_reached(const struct al_probe_result *pr);

/* Copies bytes [from, to) of 'in' (a reporter's temporary part file) to
 * 'out'. Returns AL_OK or AL_E_IO. */
enum al_code al_report_copy_range(FILE *in, long from, long to, FILE *out);

/* Empty report: no specs, fail_on error, hostname "". */
void al_report_init(struct al_report *report);
/* Frees what the report owns (spec results and their endpoint results), not
 * the borrowed spec, ruleset or redactor. */
void al_report_cleanup(struct al_report *report);

#endif
