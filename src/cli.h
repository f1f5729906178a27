/* cli.h - the command line (CONTRACT.md "Command line") parsed into a
 * struct al_cli. Parsing only: nothing is loaded or sent here. Strings are
 * borrowed from argv, which outlives the run. */
#ifndef AL_CLI_H
#define AL_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "common.h"
#include "reach.h"

enum al_command {
  AL_CMD_LINT,    /* apilint [OPTIONS] SPEC... */
  AL_CMD_CHECK,   /* apilint check URL [-X METHOD] [-H ...] */
  AL_CMD_RULES,   /* apilint rules */
  AL_CMD_EXPLAIN, /* apilint explain RULE-ID|PROBE */
  AL_CMD_IMPORT,  /* apilint import DOC [-o SPEC] */
  AL_CMD_HAR,     /* apilint har FILE.har [...] */
  AL_CMD_INIT,    /* apilint init [FILE] */
  AL_CMD_MERGE,   /* apilint merge REPORT.json... (merge.h) */
  AL_CMD_HELP,
  AL_CMD_VERSION
};

struct al_rule_switch {
  const char *id; /* borrowed from argv */
  int on;         /* --enable = 1, --disable = 0 */
};

struct al_cli {
  enum al_command command;
  int jobs;                        /* --jobs, default 8 */
  const char *junit_path;          /* --junit */
  const char *json_path;           /* --json */
  const char *sarif_path;          /* --sarif */
  const char *html_path;           /* --html */
  const char *baseline_path;       /* --baseline */
  const char *write_baseline_path; /* --write-baseline */
  const char *format;              /* -f: a reporter's format (report.h):
                                      "text" (default), "json", "junit", ... */
  enum al_severity fail_on;        /* --fail-on, default error */
  const char *base_url;            /* --base-url */
  long timeout_ms;                 /* --timeout, default 10 s */
  const char *method;              /* check: -X */
  const char *target;              /* check: URL; explain: RULE-ID or PROBE (not
                                      checked here: the ruleset knows the ids);
                                      init: FILE ("apilint.yaml" by default) */
  long burst; /* --burst: rate-limit burst, 1..AL_PROBE_BURST_MAX; 0 = not
                 given (the spec's `burst:`, else the default) */
  int no_color, quiet, verbose;
  /* TLS, HTTP version, proxy, retries (--cacert ... --retry-delay); wins
   * over a spec's defaults field by field. Strings borrowed from argv, but
   * --cert FILE:PASSWORD's two halves, owned by cert_file / cert_password. */
  struct al_reach reach;
  struct al_rate rate;     /* --rate; count 0 = not given */
  char *cert_file;         /* owned */
  char *cert_password;     /* owned; a secret */
  int dry_run;             /* --dry-run: plan and print, send nothing */
  int all_methods;         /* --methods all (default safe: GET and HEAD) */
  const char *output_path; /* import: -o FILE (default stdout) */
  const char *shard;       /* --shard I/N|auto, checked and resolved when
                              the run starts (shard.h); NULL = all */
  int fail_on_given;       /* --fail-on was on the command line (merge
                              otherwise keeps the shards' own) */

  /* Arrays owned by the struct (al_cli_cleanup); elements borrowed. */
  const char **headers; /* -H 'Name: value', in order */
  size_t header_count;
  const char **rule_files; /* --rules */
  size_t rule_file_count;
  struct al_rule_switch *switches; /* --enable/--disable, in order */
  size_t switch_count;
  const char **specs; /* spec paths; import: the document; har: the HAR
                         files; merge: the JSON reports */
  size_t spec_count;
  const char **probes; /* --probe: probe names (al_probe_find() knows each)
                          or "all", in order, each once */
  size_t probe_count;
};

/* Parses argv. On success returns AL_OK with 'cli' filled (clean up with
 * al_cli_cleanup). On a usage error returns AL_E_USAGE (or AL_E_NOMEM) with
 * the reason in 'err'; 'cli' still needs al_cli_cleanup. */
enum al_code al_cli_parse(int argc, char **argv, struct al_cli *cli,
                          struct al_err *err);
void al_cli_cleanup(struct al_cli *cli);

void al_cli_write_help(FILE *out);

#endif
