/* report_baseline.c - --write-baseline FILE: this run's findings as a
 * baseline file (the format is in baseline.h), one entry per fingerprint
 * in the order the findings first came (spec order, so a rewrite diffs
 * well), each keeping the `reason:` and `expires:` of the baseline it
 * replaces (opts->keep). A reporter like the others, so its file is made
 * before the first request and put in place whole or not at all; but it
 * is no -f format.
 *
 * It keeps one small entry per distinct fingerprint until the end: the
 * file is written only then, and a baseline is as large as that anyway. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "fingerprint.h"
#include "strmap.h"

struct entry {
  char *fingerprint;                         /* owned; the strmap's key */
  char *rule, *method, *path, *probe, *spec; /* owned; uncleaned */
};

struct writer {
  FILE *out; /* borrowed */
  const struct al_report *report;
  const struct al_baseline *keep; /* borrowed; NULL = nothing to keep */
  struct entry *entries;          /* owned */
  size_t count, cap;
  struct al_strmap seen; /* fingerprint -> index into entries */
};

static void entry_cleanup(struct entry *e)
{
  free(e->fingerprint);
  free(e->rule);
  free(e->method);
  free(e->path);
  free(e->probe);
  free(e->spec);
}

static enum al_code grow(struct writer *w)
{
  if (w->count < w->cap)
    return AL_OK;
  size_t cap = w->cap ? w->cap * 2 : 64;
  struct entry *grown = realloc(w->entries, cap * sizeof *grown);
  if (!grown)
    return AL_E_NOMEM;
  w->entries = grown;
  w->cap = cap;
  return AL_OK;
}

/* Adds an entry for fingerprint 'fp' unless one is there. */
static enum al_code add(struct writer *w, const char *fp, const char *rule,
                        const char *method, const char *path, const char *probe,
                        const char *spec)
{
  size_t len = strlen(fp);
  if (!len || al_strmap_get(&w->seen, fp, len, NULL))
    return AL_OK;
  if (grow(w) != AL_OK)
    return AL_E_NOMEM;
  struct entry *e = &w->entries[w->count];
  memset(e, 0, sizeof *e);
  e->fingerprint = al_strdup(fp);
  e->rule = al_strdup(rule ? rule : "");
  e->method = al_strdup(method ? method : "");
  e->path = al_strdup(path ? path : "");
  e->probe = al_strdup(probe ? probe : "");
  e->spec = al_strdup(spec ? spec : "");
  int added = 0;
  if (!e->fingerprint || !e->rule || !e->method || !e->path || !e->probe ||
      !e->spec ||
      al_strmap_add(&w->seen, e->fingerprint, len, w->count, &added, NULL) !=
          AL_OK) {
    entry_cleanup(e);
    return AL_E_NOMEM;
  }
  w->count++;
  return AL_OK;
}

static enum al_code baseline_begin(FILE *out, const struct al_report *report,
                                   const struct al_report_opts *opts,
                                   void **state)
{
  struct writer *w = calloc(1, sizeof *w);
  if (!w)
    return AL_E_NOMEM;
  w->out = out;
  w->report = report;
  w->keep = opts->keep;
  al_strmap_init(&w->seen);
  *state = w;
  return AL_OK;
}

static enum al_code add_results(struct writer *w,
                                const struct al_rule_result *results, size_t n,
                                const char *method, const char *path,
                                const char *probe, const char *spec)
{
  enum al_code rc = AL_OK;
  for (size_t i = 0; rc == AL_OK && i < n; i++)
    for (size_t k = 0; rc == AL_OK && k < results[i].finding_count; k++) {
      const struct al_finding *f = &results[i].findings[k];
      rc = add(w, f->fingerprint, f->rule_id, method, path, probe, spec);
    }
  return rc;
}

static enum al_code baseline_endpoint(void *state,
                                      const struct al_report_item *item)
{
  struct writer *w = state;
  const struct al_endpoint_result *er = item->result;
  const struct al_endpoint *ep = er->endpoint;
  struct al_buf path, spec;
  al_buf_init(&path);
  al_buf_init(&spec);
  enum al_code rc = al_fingerprint_endpoint_template(&path, ep);
  if (rc == AL_OK)
    rc = al_buf_append_str(&spec, al_endpoint_file(item->spec, ep));
  if (rc == AL_OK && ep && ep->line > 0)
    rc = al_buf_printf(&spec, ":%d", ep->line);
  const char *method = ep ? ep->method : al_report_endpoint_method(er);
  if (rc == AL_OK)
    rc = add_results(w, er->results, er->result_count, method,
                     al_buf_str(&path), NULL, al_buf_str(&spec));
  for (size_t p = 0; rc == AL_OK && p < er->probe_count; p++)
    rc = add_results(w, er->probes[p].results, er->probes[p].result_count,
                     method, al_buf_str(&path), er->probes[p].probe,
                     al_buf_str(&spec));
  al_buf_cleanup(&path);
  al_buf_cleanup(&spec);
  return rc;
}

/* 's' cleaned (secrets masked, one line) as a YAML double-quoted scalar
 * (YAML 1.2 §7.3.1: only '"' and '\' need escaping once control
 * characters are gone). */
static enum al_code put_quoted(struct al_buf *b, const struct al_report *rep,
                               const char *s)
{
  char *clean = al_report_clean(rep, s, strlen(s), 1);
  if (!clean)
    return AL_E_NOMEM;
  enum al_code rc = al_buf_append_char(b, '"');
  for (const char *p = clean; *p && rc == AL_OK; p++) {
    if (*p == '"' || *p == '\\')
      rc = al_buf_append_char(b, '\\');
    if (rc == AL_OK)
      rc = al_buf_append_char(b, *p);
  }
  free(clean);
  return rc == AL_OK ? al_buf_append_char(b, '"') : rc;
}

/* "    key: "value"\n" when 'value' is not empty. */
static enum al_code put_field(struct al_buf *b, const struct al_report *rep,
                              const char *key, const char *value)
{
  if (!value || !value[0])
    return AL_OK;
  enum al_code rc = al_buf_printf(b, "    %s: ", key);
  if (rc == AL_OK)
    rc = put_quoted(b, rep, value);
  return rc == AL_OK ? al_buf_append_char(b, '\n') : rc;
}

/* One entry: fingerprint, what it is for a reader, and what the old
 * baseline said about it. */
static enum al_code put_entry(struct al_buf *b, const struct al_report *rep,
                              const char *fp, const char *rule,
                              const char *method, const char *path,
                              const char *probe, const char *spec,
                              const struct al_baseline_entry *old)
{
  enum al_code rc = al_buf_printf(b, "  - fingerprint: \"%s\"\n", fp);
  if (rc == AL_OK)
    rc = put_field(b, rep, "rule", rule);
  if (rc == AL_OK)
    rc = put_field(b, rep, "method", method);
  if (rc == AL_OK)
    rc = put_field(b, rep, "path", path);
  if (rc == AL_OK)
    rc = put_field(b, rep, "probe", probe);
  if (rc == AL_OK)
    rc = put_field(b, rep, "spec", spec);
  if (rc == AL_OK && old)
    rc = put_field(b, rep, "reason", old->reason);
  if (rc == AL_OK && old && old->expires)
    rc = al_buf_printf(b, "    expires: %s\n", old->expires);
  return rc;
}

static enum al_code baseline_end(void *state)
{
  struct writer *w = state;
  const struct al_report *rep = w->report;
  struct al_buf b;
  al_buf_init(&b);
  enum al_code rc = al_buf_append_str(
      &b,
      "# apilint baseline: findings accepted for now (README, \"Baselines\").\n"
      "# `apilint --baseline FILE` reports them as suppressed and fails only\n"
      "# on findings not listed. Entries match by fingerprint; rule, method,\n"
      "# path, probe and spec are there to read. Give an entry a\n"
      "# `reason: \"...\"` and an `expires: YYYY-MM-DD` (it suppresses\n"
      "# through that day): --write-baseline keeps both when it rewrites.\n"
      "version: 1\n");
  /* An interrupted run, or one shard, did not see every endpoint: what it
   * did not reach is kept as it was, not dropped. */
  size_t kept = 0;
  int partial = rep->interrupted || rep->shard_total;
  for (size_t i = 0; partial && w->keep && i < w->keep->count; i++) {
    const char *fp = w->keep->entries[i].fingerprint;
    kept += !al_strmap_get(&w->seen, fp, strlen(fp), NULL);
  }
  if (rc == AL_OK)
    rc = al_buf_append_str(&b,
                           w->count + kept ? "findings:\n" : "findings: []\n");
  for (size_t i = 0; rc == AL_OK && i < w->count; i++) {
    const struct entry *e = &w->entries[i];
    rc =
        put_entry(&b, rep, e->fingerprint, e->rule, e->method, e->path,
                  e->probe, e->spec, al_baseline_find(w->keep, e->fingerprint));
  }
  for (size_t i = 0; rc == AL_OK && kept && i < w->keep->count; i++) {
    const struct al_baseline_entry *o = &w->keep->entries[i];
    if (!al_strmap_get(&w->seen, o->fingerprint, strlen(o->fingerprint), NULL))
      rc = put_entry(&b, rep, o->fingerprint, o->rule, o->method, o->path,
                     o->probe, o->spec, o);
  }
  if (rc == AL_OK && b.len && fwrite(b.data, 1, b.len, w->out) != b.len)
    rc = AL_E_IO;
  if (rc == AL_OK && ferror(w->out))
    rc = AL_E_IO;
  al_buf_cleanup(&b);
  return rc;
}

static void baseline_free(void *state)
{
  struct writer *w = state;
  if (!w)
    return;
  for (size_t i = 0; i < w->count; i++)
    entry_cleanup(&w->entries[i]);
  free(w->entries);
  al_strmap_cleanup(&w->seen);
  free(w);
}

const struct al_reporter_ops al_reporter_baseline = {
    "baseline", baseline_begin, baseline_endpoint, baseline_end, baseline_free,
};
