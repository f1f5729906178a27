/* report.h - the report stage: the results of a run become text, JSON or
 * JUnit XML. One writer per file (report_text.c, report_json.c,
 * report_junit.c) behind one signature; report.c has the registry, the
 * summary counts every writer shares, and the atomic file writer. */
#ifndef AL_REPORT_H
#define AL_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "common.h"
#include "finding.h"
#include "redact.h"
#include "spec.h"

struct al_ruleset;

struct al_spec_result {
  const struct al_spec *spec;          /* borrowed */
  struct al_endpoint_result *endpoints; /* owned; spec order */
  size_t endpoint_count;
  double elapsed_ms;     /* wall time for this spec's requests */
  char timestamp[32];    /* UTC start, "YYYY-MM-DDTHH:MM:SS" (no zone) */
};

struct al_report {
  struct al_spec_result *specs; /* owned */
  size_t spec_count;
  enum al_severity fail_on;     /* findings at or above this fail */
  const struct al_redactor *redactor; /* borrowed; may be NULL */
  const struct al_ruleset *ruleset;   /* borrowed; may be NULL */
  char hostname[256];
};

struct al_report_opts {
  int color;   /* ANSI colour (text only) */
  int quiet;   /* text: findings only, no per-endpoint OK lines / summary */
  int verbose; /* text: request and response heads too (masked) */
};

struct al_report_summary {
  size_t endpoints;
  size_t reached;           /* endpoints that got an HTTP response */
  size_t transport_errors;  /* endpoints that did not */
  size_t errors, warnings, infos; /* findings by severity */
  size_t failing;           /* findings at or above fail_on */
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
 * why (AL_E_IO). */
enum al_code al_report_write_file(const char *path, al_report_write_fn fn,
                                  const struct al_report *report,
                                  const struct al_report_opts *opts,
                                  struct al_err *err);

void al_report_init(struct al_report *report);
/* Frees what the report owns (spec results and their endpoint results), not
 * the borrowed spec, ruleset or redactor. */
void al_report_cleanup(struct al_report *report);

#endif
