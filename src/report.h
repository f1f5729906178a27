/* report.h - the report stage: the results of a run become text, JSON or
 * JUnit XML. One writer per file (report_text.c, report_json.c,
 * report_junit.c) behind one signature; report.c has the registry, the
 * summary counts every writer shares, and the atomic file writer. */
#ifndef AL_REPORT_H
#define AL_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "common.h"
#include "buf.h"
#include "finding.h"
#include "redact.h"
#include "spec.h"

struct al_ruleset;

struct al_spec_result {
  const struct al_spec *spec;           /* borrowed */
  struct al_endpoint_result *endpoints; /* owned; spec order */
  size_t endpoint_count;
  double elapsed_ms;  /* wall time for this spec's requests */
  char timestamp[32]; /* UTC start, "YYYY-MM-DDTHH:MM:SS" (no zone) */
};

struct al_report {
  struct al_spec_result *specs; /* owned */
  size_t spec_count;
  enum al_severity fail_on;           /* findings at or above this fail */
  const struct al_redactor *redactor; /* borrowed; may be NULL */
  const struct al_ruleset *ruleset;   /* borrowed; may be NULL */
  char hostname[256];
  int tls_unverified; /* -k/--insecure (or tls.insecure) was in effect */
};

struct al_report_opts {
  int color;   /* ANSI colour (text only) */
  int quiet;   /* text: findings only, no per-endpoint OK lines / summary */
  int verbose; /* text: request and response heads too (masked) */
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
};

typedef enum al_code (*al_report_write_fn)(FILE *out,
                                           const struct al_report *report,
                                           const struct al_report_opts *opts);

enum al_code al_report_write_text(FILE *out, const struct al_report *report,
                                  const struct al_report_opts *opts);
enum al_code al_report_write_json(FILE *out, const struct al_report *report,
                                  const struct al_report_opts *opts);
enum al_code al_report_write_junit(FILE *out, const struct al_report *report,
                                   const struct al_report_opts *opts);

/* The writer for "text" | "json" | "junit", or NULL. */
al_report_write_fn al_report_writer(const char *format);

void al_report_summarize(const struct al_report *report,
                         struct al_report_summary *out);

/* Writes the report to 'path' whole or not at all: into a temporary file in
 * the same directory, flushed and fsync'ed, then renamed over 'path'. On
 * failure 'path' is untouched, the temporary file is removed and 'err' says
 * why (AL_E_IO, or AL_E_NOMEM / the writer's own code when 'fn' fails). A
 * replaced file keeps its permission bits; a new one gets 0666 & ~umask.
 * A symlink is followed (the file it names is replaced, the link stays). A
 * path that is a device or pipe (/dev/stdout) is written directly: it
 * cannot be replaced, so there is nothing atomic to do. */
enum al_code al_report_write_file(const char *path, al_report_write_fn fn,
                                  const struct al_report *report,
                                  const struct al_report_opts *opts,
                                  struct al_err *err);

/* Shared by the writers (report.c, report_text.c). */

/* 1 when finding 'f' is at or above the report's fail_on. */
int al_report_fails(const struct al_report *report, const struct al_finding *f);

/* A new string (caller frees) safe to show anywhere: 'len' bytes of 'text'
 * (NULL = "") with the redactor's secrets masked, then every byte that is
 * not valid UTF-8, every control character other than \t \n \r (C0, DEL,
 * C1) and U+FFFE/U+FFFF replaced by '?', so the result is valid UTF-8, legal
 * XML 1.0 text and cannot steer a terminal. With 'oneline', \t \n \r
 * become spaces too. NULL only on OOM. */
char *al_report_clean(const struct al_report *report, const char *text,
                      size_t len, int oneline);

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

/* 1 when the probe entry got an HTTP response (for a burst: the answer
 * that was judged). */
int al_report_probe_reached(const struct al_probe_result *pr);

/* Empty report: no specs, fail_on error, hostname "". */
void al_report_init(struct al_report *report);
/* Frees what the report owns (spec results and their endpoint results), not
 * the borrowed spec, ruleset or redactor. */
void al_report_cleanup(struct al_report *report);

#endif
