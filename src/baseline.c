/* baseline.c - reading a baseline file and applying it to findings
 * (baseline.h). The file is read with the loaders' toolkit (loader.h), so
 * its errors look like a spec's: file:line:col, what was expected, a "did
 * you mean" for a misspelt key. */
#include "baseline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "finding.h"
#include "jsonw.h"
#include "loader.h"
#include "report.h"
#include "yamldoc.h"

/* ---- dates ---- */

static int leap(int y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int al_baseline_date_valid(const char *s)
{
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return 0;
  int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
  if (m < 1 || m > 12 || d < 1)
    return 0;
  return d <= days[m - 1] + (m == 2 && leap(y));
}

void al_baseline_today(char out[11])
{
  time_t now = time(NULL);
  struct tm tm;
  if (!gmtime_r(&now, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
    snprintf(out, 11, "1970-01-01");
}

/* ---- reading ---- */

static void entry_cleanup(struct al_baseline_entry *e)
{
  free(e->rule);
  free(e->method);
  free(e->path);
  free(e->probe);
  free(e->spec);
  free(e->reason);
  free(e->expires);
}

void al_baseline_free(struct al_baseline *b)
{
  if (!b)
    return;
  for (size_t i = 0; i < b->count; i++)
    entry_cleanup(&b->entries[i]);
  free(b->entries);
  al_strmap_cleanup(&b->index);
  free(b->path);
  free(b);
}

/* A string member of an entry: a scalar (any: `rule: 1` is odd but not
 * wrong), copied into '*out'. */
static enum al_code scalar(const struct al_loader *L, const struct al_ynode *n,
                           const char *key, char **out)
{
  enum al_code rc = al_loader_need_kind(L, n, AL_YNODE_SCALAR, key, "a string");
  if (rc != AL_OK)
    return rc;
  free(*out);
  if (!(*out = al_strndup(n->value, n->value_len)))
    return al_loader_oom(L);
  return AL_OK;
}

/* 'n' is a mapping whose keys are all in 'keys'. */
static enum al_code need_map(const struct al_loader *L,
                             const struct al_ynode *n, const char *key,
                             const char *expected, const char *const *keys,
                             const char *what)
{
  enum al_code rc = al_loader_need_kind(L, n, AL_YNODE_MAP, key, expected);
  return rc == AL_OK ? al_loader_check_keys(L, n, keys, what) : rc;
}

static const char *const entry_keys[] = {"fingerprint", "rule",    "method",
                                         "path",        "probe",   "spec",
                                         "reason",      "expires", NULL};

static enum al_code read_entry(const struct al_loader *L,
                               const struct al_ynode *n,
                               struct al_baseline_entry *e, const char *today)
{
  char got[64];
  enum al_code rc = need_map(L, n, "findings[]", "a mapping (fingerprint: ...)",
                             entry_keys, "a baseline entry");
  if (rc != AL_OK)
    return rc;
  e->line = n->line;
  const struct al_ynode *fp = al_ynode_get(n, "fingerprint");
  if (!fp)
    return al_loader_fail(L, n,
                          "baseline entry is missing required key "
                          "'fingerprint' (16 hex digits, as "
                          "--write-baseline writes it)");
  if (fp->kind != AL_YNODE_SCALAR || !al_fingerprint_valid(fp->value))
    return al_loader_fail(L, fp,
                          "'fingerprint' must be %d lower-case hex digits, "
                          "got %s",
                          AL_FINGERPRINT_LEN,
                          al_loader_got(fp, got, sizeof got));
  memcpy(e->fingerprint, fp->value, AL_FINGERPRINT_SIZE);
  static const char *const text_keys[] = {"rule",  "method", "path",
                                          "probe", "spec",   "reason"};
  char **fields[] = {&e->rule,  &e->method, &e->path,
                     &e->probe, &e->spec,   &e->reason};
  for (size_t i = 0; rc == AL_OK && i < 6; i++) {
    const struct al_ynode *v = al_ynode_get(n, text_keys[i]);
    if (v && !(i == 5 && al_ynode_is_null(v)))
      rc = scalar(L, v, text_keys[i], fields[i]);
    else if (i < 5 && !(*fields[i] = al_strdup("")))
      rc = al_loader_oom(L);
  }
  const struct al_ynode *ex = al_ynode_get(n, "expires");
  if (rc == AL_OK && ex && !al_ynode_is_null(ex)) {
    if (ex->kind != AL_YNODE_SCALAR || !al_baseline_date_valid(ex->value))
      return al_loader_fail(L, ex,
                            "'expires' must be a date written YYYY-MM-DD "
                            "(like 2027-01-31), got %s",
                            al_loader_got(ex, got, sizeof got));
    rc = scalar(L, ex, "expires", &e->expires);
    /* The entry suppresses through its last day; ISO dates compare as
     * text. */
    e->expired = rc == AL_OK && strcmp(e->expires, today) < 0;
  }
  return rc;
}

static const char *const top_keys[] = {"version", "findings", NULL};

static enum al_code read_doc(const struct al_loader *L,
                             const struct al_ynode *root, struct al_baseline *b)
{
  char got[64];
  long version;
  enum al_code rc =
      need_map(L, root, "baseline", "a mapping (version: 1, findings:)",
               top_keys, "a baseline");
  if (rc != AL_OK)
    return rc;
  const struct al_ynode *v = al_ynode_get(root, "version");
  if (!v)
    return al_loader_fail(L, root,
                          "baseline is missing required key 'version' "
                          "(version: 1)");
  if (!al_ynode_int(v, &version) || version != 1)
    return al_loader_fail(L, v, "'version' must be 1, got %s",
                          al_loader_got(v, got, sizeof got));
  const struct al_ynode *list = al_ynode_get(root, "findings");
  if (!list)
    return al_loader_fail(L, root,
                          "baseline is missing required key 'findings' (a "
                          "list; [] for none)");
  if (al_ynode_is_null(list))
    return AL_OK;
  rc = al_loader_need_kind(L, list, AL_YNODE_SEQ, "findings",
                           "a list of entries");
  if (rc != AL_OK || list->count == 0)
    return rc;
  if (!(b->entries = calloc(list->count, sizeof *b->entries)))
    return al_loader_oom(L);
  for (size_t i = 0; rc == AL_OK && i < list->count; i++) {
    rc = read_entry(L, list->items[i], &b->entries[i], b->today);
    b->count++;
  }
  /* A fingerprint twice would make "which reason?" a guess. */
  for (size_t i = 0; rc == AL_OK && i < b->count; i++) {
    int added = 0;
    size_t first = 0;
    rc = al_strmap_add(&b->index, b->entries[i].fingerprint, AL_FINGERPRINT_LEN,
                       i, &added, &first);
    if (rc != AL_OK)
      return al_loader_oom(L);
    if (!added)
      return al_loader_fail(L, list->items[i],
                            "fingerprint %s is already listed at line %d: "
                            "an entry may appear once",
                            b->entries[i].fingerprint, b->entries[first].line);
  }
  return rc;
}

static enum al_code finish(const struct al_ynode *root, const char *path,
                           const char *today, struct al_baseline **out,
                           struct al_err *err)
{
  struct al_loader L = {path, AL_E_SPEC, err};
  struct al_baseline *b = calloc(1, sizeof *b);
  if (!b)
    return al_loader_oom(&L);
  al_strmap_init(&b->index);
  if (today && al_baseline_date_valid(today))
    memcpy(b->today, today, sizeof b->today);
  else
    al_baseline_today(b->today);
  enum al_code rc =
      (b->path = al_strdup(path)) ? read_doc(&L, root, b) : al_loader_oom(&L);
  if (rc != AL_OK) {
    al_baseline_free(b);
    return rc;
  }
  *out = b;
  return AL_OK;
}

enum al_code al_baseline_parse(const char *text, size_t len, const char *path,
                               const char *today, struct al_baseline **out,
                               struct al_err *err)
{
  struct al_ynode *root = NULL;
  *out = NULL;
  enum al_code rc = al_yamldoc_parse(text, len, path, &root, err);
  if (rc == AL_OK)
    rc = finish(root, path, today, out, err);
  al_ynode_free(root);
  return rc;
}

enum al_code al_baseline_load(const char *path, const char *today,
                              struct al_baseline **out, struct al_err *err)
{
  struct al_ynode *root = NULL;
  *out = NULL;
  enum al_code rc = al_yamldoc_load(path, &root, err);
  if (rc == AL_OK)
    rc = finish(root, path, today, out, err);
  al_ynode_free(root);
  return rc;
}

/* ---- applying ---- */

const struct al_baseline_entry *al_baseline_find(const struct al_baseline *b,
                                                 const char *fp)
{
  size_t i;
  if (!b || !fp || !al_strmap_get(&b->index, fp, strlen(fp), &i))
    return NULL;
  return &b->entries[i];
}

static enum al_code apply(struct al_baseline *b, struct al_rule_result *rr,
                          size_t n)
{
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < rr[i].finding_count; k++) {
      struct al_finding *f = &rr[i].findings[k];
      const struct al_baseline_entry *c = al_baseline_find(b, f->fingerprint);
      if (!c)
        continue;
      struct al_baseline_entry *e = &b->entries[c - b->entries];
      e->matched++;
      if (e->expired) {
        b->expired_hits++;
        if (!(f->baseline_expired = al_strdup(e->expires)))
          return AL_E_NOMEM;
        continue;
      }
      b->suppressed++;
      f->suppressed = 1;
      if (e->reason && !(f->baseline_reason = al_strdup(e->reason)))
        return AL_E_NOMEM;
    }
  return AL_OK;
}

enum al_code al_baseline_apply(struct al_baseline *b,
                               struct al_endpoint_result *er)
{
  if (!b)
    return AL_OK;
  enum al_code rc = apply(b, er->results, er->result_count);
  for (size_t p = 0; rc == AL_OK && p < er->probe_count; p++)
    rc = apply(b, er->probes[p].results, er->probes[p].result_count);
  return rc;
}

const char *al_baseline_path(const struct al_baseline *b)
{
  return b && b->path ? b->path : "";
}

size_t al_baseline_unmatched(const struct al_baseline *b)
{
  size_t n = 0;
  for (size_t i = 0; b && i < b->count; i++)
    n += b->entries[i].matched == 0;
  return n;
}

/* ---- in JSON (report_json.c, report_sarif.c) ---- */

static void put_entry(struct al_jw *w, const struct al_baseline_entry *e)
{
  al_jw_open(w, 1);
  al_jw_key(w, "fingerprint");
  al_jw_string(w, e->fingerprint);
  al_jw_key(w, "rule");
  al_jw_text(w, e->rule);
  al_jw_key(w, "method");
  al_jw_text(w, e->method);
  al_jw_key(w, "path");
  al_jw_text(w, e->path);
  al_jw_key(w, "probe");
  al_jw_string(w, e->probe && e->probe[0] ? e->probe : NULL);
  al_jw_key(w, "line");
  al_jw_count(w, (size_t)e->line);
  al_jw_key(w, "reason");
  al_jw_string(w, e->reason);
  al_jw_key(w, "expires");
  al_jw_string(w, e->expires);
  al_jw_close(w);
}

void al_baseline_put_json(struct al_jw *w, const struct al_baseline *b,
                          const struct al_report *report)
{
  al_jw_key(w, "baseline");
  al_jw_open(w, 1);
  al_jw_key(w, "path");
  al_jw_text(w, al_baseline_path(b));
  al_jw_key(w, "entries");
  al_jw_count(w, b->count);
  al_jw_key(w, "suppressed");
  al_jw_count(w, b->suppressed);
  al_jw_key(w, "expired_matches");
  al_jw_count(w, b->expired_hits);
  al_jw_key(w, "expired");
  al_jw_open(w, 0);
  for (size_t i = 0; i < b->count; i++)
    if (b->entries[i].expired && b->entries[i].matched)
      put_entry(w, &b->entries[i]);
  al_jw_close(w);
  al_jw_key(w, "no_longer_occurring");
  if (report && (report->interrupted || report->shard_total)) {
    al_jw_null(w);
  } else {
    al_jw_open(w, 0);
    for (size_t i = 0; i < b->count; i++)
      if (!b->entries[i].matched)
        put_entry(w, &b->entries[i]);
    al_jw_close(w);
  }
  al_jw_close(w);
}
