/* explain.c - the printers of `apilint rules` and `apilint explain`
 * (explain.h): rules and probes as a reader meets them. A firing example is
 * run through the engine (rule_example.c) while it is printed, so the text
 * can never drift from the behaviour. */
#include "explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule_logic.h"

/* ------------------------------------------------------------------ */
/* rules                                                              */

/* "method-not-allowed, malformed-body/invalid-json": a rule's `probe:`. */
static int write_probes(FILE *out, const struct al_rule_logic *lg)
{
  for (size_t i = 0; lg && i < lg->probe_count; i++)
    if (fprintf(out, "%s%s%s%s", i ? ", " : "", lg->probes[i].probe->name,
                lg->probes[i].step ? "/" : "",
                lg->probes[i].step ? lg->probes[i].step : "") < 0)
      return -1;
  return 0;
}

enum al_code al_explain_write_rules(FILE *out, const struct al_ruleset *rs)
{
  size_t w = strlen("RULE");
  for (size_t i = 0; i < rs->count; i++)
    if (strlen(rs->rules[i].id) > w)
      w = strlen(rs->rules[i].id);
  int wi = (int)w;
  if (fprintf(out, "%-*s  %-8s  %-7s  %s\n", wi, "RULE", "SEVERITY", "DEFAULT",
              "SUMMARY") < 0)
    return AL_E_IO;
  for (size_t i = 0; i < rs->count; i++) {
    const struct al_rule *r = &rs->rules[i];
    if (fprintf(out, "%-*s  %-8s  %-7s  %s", wi, r->id,
                al_severity_name(r->severity), r->enabled ? "on" : "off",
                r->summary) < 0)
      return AL_E_IO;
    /* A probe rule says whose answers it judges: it never fires without
     * that probe. */
    if (r->logic && r->logic->probe_count &&
        (fputs(" [probe: ", out) == EOF || write_probes(out, r->logic) != 0 ||
         fputc(']', out) == EOF))
      return AL_E_IO;
    if (fputc('\n', out) == EOF)
      return AL_E_IO;
  }
  return fflush(out) == 0 && !ferror(out) ? AL_OK : AL_E_IO;
}

/* Writes 'text' with every line indented by 'indent' ('blank' for empty
 * lines, so a quoted response keeps its empty line visible). */
static int write_indented(FILE *out, const char *text, const char *indent,
                          const char *blank)
{
  const char *p = text;
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    if (fprintf(out, "%s%.*s\n", n ? indent : blank, (int)n, p) < 0)
      return -1;
    p += n + (nl ? 1 : 0);
  }
  return 0;
}

/* " with Name: value, Name: value" for an example's request headers. */
static int write_request_headers(FILE *out, const struct al_rule_example *ex)
{
  for (size_t i = 0; i < ex->request_headers.count; i++)
    if (fprintf(out, "%s%s: %s", i ? ", " : " with ",
                ex->request_headers.items[i].name,
                ex->request_headers.items[i].value) < 0)
      return -1;
  return 0;
}

/* A probe example: the endpoint's own answer, the other answers, and which
 * probe request the example's response answers. */
static int write_probe_context(FILE *out, const struct al_rule_example *ex)
{
  if (ex->endpoint_response &&
      (fprintf(out, "    endpoint's own %s answered:\n", ex->endpoint_method) <
           0 ||
       write_indented(out, ex->endpoint_response, "    | ", "    |") != 0))
    return -1;
  if (!ex->endpoint_response &&
      fprintf(out, "    (the endpoint's own %s got no answer)\n",
              ex->endpoint_method) < 0)
    return -1;
  for (size_t i = 0; i < ex->peer_count; i++)
    if (fprintf(out, "    another probe's %s answered:\n",
                ex->peers[i].method) < 0 ||
        write_indented(out, ex->peers[i].response, "    | ", "    |") != 0)
      return -1;
  if (fprintf(out, "    probe %s/%s sent %s", ex->probe->name, ex->step,
              ex->method) < 0 ||
      write_request_headers(out, ex) != 0)
    return -1;
  return fprintf(out, ", answer:\n") < 0 ? -1 : 0;
}

static int write_request(FILE *out, const struct al_rule_example *ex)
{
  if (ex->probe)
    return write_probe_context(out, ex);
  if (strcmp(ex->method, "GET") == 0 && ex->request_headers.count == 0)
    return 0;
  if (fprintf(out, "    request: %s", ex->method) < 0 ||
      write_request_headers(out, ex) != 0)
    return -1;
  return fputc('\n', out) == EOF ? -1 : 0;
}

static int write_expect(FILE *out, const struct al_expect *ex)
{
  if (fprintf(out, "    expect:") < 0)
    return -1;
  if (ex->has_status && fprintf(out, " status %s", ex->status.text) < 0)
    return -1;
  for (size_t i = 0; i < ex->header_count; i++) {
    const struct al_header_expect *he = &ex->headers[i];
    if (fprintf(out, "%s header %s %s", ex->has_status || i ? ";" : "",
                he->name,
                he->kind == AL_HEXPECT_PRESENT  ? "present"
                : he->kind == AL_HEXPECT_ABSENT ? "absent"
                                                : he->pattern) < 0)
      return -1;
  }
  return fputc('\n', out) == EOF ? -1 : 0;
}

/* One example as the user would meet it, and for a firing example the
 * finding it really produces (run through the engine now, so the text can
 * never drift from the behaviour). */
static int write_example(FILE *out, const struct al_rule *rule,
                         const struct al_rule_example *ex)
{
  if (ex->transport) {
    if ((ex->probe && write_probe_context(out, ex) != 0) ||
        fprintf(out, "    (no response) %s\n", ex->transport) < 0)
      return -1;
  } else if (write_request(out, ex) != 0 ||
             (ex->has_expect && write_expect(out, &ex->expect) != 0) ||
             write_indented(out, ex->response, "    | ", "    |") != 0) {
    return -1;
  }
  if (ex->fires) {
    /* A ruleset of this one rule; shallow and read-only, never freed. */
    struct al_rule alone = *rule;
    struct al_ruleset rs = {&alone, 1};
    int fired = 0;
    char *message = NULL;
    struct al_err err = {0};
    if (al_rule_example_run(&rs, 0, ex, &fired, &message, &err) == AL_OK &&
        fired &&
        fprintf(out, "    => %s: %s [%s]\n", al_severity_name(rule->severity),
                message ? message : "", rule->id) < 0) {
      free(message);
      return -1;
    }
    free(message);
  }
  return fputc('\n', out) == EOF ? -1 : 0;
}

enum al_code al_explain_write_rule(FILE *out, const struct al_rule *rule)
{
  const struct al_rule_logic *lg = rule->logic;
  if (fprintf(out, "%s\n\n", rule->id) < 0 ||
      fprintf(out, "  severity: %s (%s by default)\n",
              al_severity_name(rule->severity),
              rule->enabled ? "on" : "off") < 0 ||
      (rule->level[0] && fprintf(out, "  level:    %s\n", rule->level) < 0) ||
      (rule->source[0] && fprintf(out, "  source:   %s\n", rule->source) < 0) ||
      (lg && lg->probe_count &&
       (fputs("  probe:    ", out) == EOF || write_probes(out, lg) != 0 ||
        fputs(" (judges only this probe's answers)\n", out) == EOF)) ||
      (lg && lg->check &&
       fprintf(out, "  check:    %s\n", lg->check->name) < 0) ||
      fprintf(out, "  defined:  %s\n", rule->origin) < 0 ||
      fprintf(out, "  summary:  %s\n\n", rule->summary) < 0)
    return AL_E_IO;
  if (rule->explain[0]) {
    if (write_indented(out, rule->explain, "  ", "") != 0 ||
        fputc('\n', out) == EOF)
      return AL_E_IO;
  }
  for (int fires = 1; fires >= 0; fires--) {
    int header = 0;
    for (size_t i = 0; lg && i < lg->example_count; i++) {
      if (lg->examples[i].fires != fires)
        continue;
      if (!header++ &&
          fprintf(out, "  %s:\n\n", fires ? "Fires on" : "Passes on") < 0)
        return AL_E_IO;
      if (write_example(out, rule, &lg->examples[i]) != 0)
        return AL_E_IO;
    }
  }
  return fflush(out) == 0 && !ferror(out) ? AL_OK : AL_E_IO;
}

/* ------------------------------------------------------------------ */
/* probes                                                             */

static const char *phase_words(enum al_probe_phase phase)
{
  switch (phase) {
  case AL_PROBE_PHASE_FIRST:
    return "first: sent with the endpoints' own requests";
  case AL_PROBE_PHASE_AFTER:
    return "after: sent once the endpoint's own answer is in";
  case AL_PROBE_PHASE_LAST:
    return "last: sent after every other request of the run";
  }
  return "unknown";
}

enum al_code al_explain_write_probe(FILE *out, const struct al_probe_def *p)
{
  if (!out || !p)
    return AL_E_INTERNAL;
  if (fprintf(out, "%s (probe)\n\n", p->name) < 0 ||
      fprintf(out, "  summary:   %s\n", p->summary) < 0 ||
      fprintf(out, "  phase:     %s\n", phase_words(p->phase)) < 0 ||
      fprintf(out, "  run by `apilint check URL`: %s\n",
              p->safe ? "yes" : "no") < 0)
    return AL_E_IO;
  if (p->by_name_only) {
    if (fprintf(out,
                "  runs:      only when named (`probes: [%s]` or `--probe "
                "%s`), never as part of `all`\n",
                p->name, p->name) < 0)
      return AL_E_IO;
  } else if (fprintf(out, "  runs:      when named or as part of `all` "
                          "(`probes: [all]`, `--probe all`)\n") < 0) {
    return AL_E_IO;
  }
  /* The safety rule is printed whole for every probe: it is what a reader
   * auditing a production API needs to find, whichever probe they read. */
  if (fprintf(out, "  safety:    never DELETE, PUT or POST unless the spec "
                   "declares it for the path or lists it in probe_methods:\n"
                   "             rate-limit runs only when named\n") < 0 ||
      fprintf(out, "  steps:    ") < 0)
    return AL_E_IO;
  for (size_t i = 0; p->steps[i]; i++)
    if (fprintf(out, "%s%s", i ? ", " : " ", p->steps[i]) < 0)
      return AL_E_IO;
  if (fprintf(out, " (rules name them `probe: %s/STEP`)\n", p->name) < 0 ||
      fprintf(out, "  judged by: %s\n", p->judged_by) < 0 ||
      fprintf(out, "  source:    %s\n\n", p->source) < 0 ||
      fprintf(out, "  What it sends:\n\n") < 0 ||
      write_indented(out, p->sends, "    ", "") != 0)
    return AL_E_IO;
  return fflush(out) == 0 && !ferror(out) ? AL_OK : AL_E_IO;
}

enum al_code al_explain_write_probes(FILE *out)
{
  if (!out)
    return AL_E_INTERNAL;
  size_t count;
  const struct al_probe_def *probes = al_probe_all(&count);
  size_t w = strlen("PROBE");
  for (size_t i = 0; i < count; i++)
    if (strlen(probes[i].name) > w)
      w = strlen(probes[i].name);
  int wi = (int)w;
  if (fprintf(out, "%-*s  %s\n", wi, "PROBE", "SUMMARY") < 0)
    return AL_E_IO;
  for (size_t i = 0; i < count; i++)
    if (fprintf(out, "%-*s  %s\n", wi, probes[i].name, probes[i].summary) < 0)
      return AL_E_IO;
  return fflush(out) == 0 && !ferror(out) ? AL_OK : AL_E_IO;
}
