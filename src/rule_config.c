/* rule_config.c - one endpoint's rule switches and severities
 * (rule_config.h), layered from the rule defaults, `rules:` blocks and the
 * command line; ids are checked against the ruleset with a "did you mean". */
#include "rule_config.h"

#include <stdlib.h>
#include <string.h>

enum al_code al_rule_config_init(struct al_rule_config *cfg,
                                 const struct al_ruleset *rs)
{
  size_t n = rs ? rs->count : 0;
  cfg->count = n;
  cfg->enabled = calloc(n ? n : 1, sizeof *cfg->enabled);
  cfg->severity = calloc(n ? n : 1, sizeof *cfg->severity);
  if (!cfg->enabled || !cfg->severity) {
    al_rule_config_cleanup(cfg);
    return AL_E_NOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    cfg->enabled[i] = rs->rules[i].enabled;
    cfg->severity[i] = rs->rules[i].severity;
  }
  return AL_OK;
}

enum al_code al_rule_config_copy(struct al_rule_config *dst,
                                 const struct al_rule_config *src)
{
  size_t n = src->count;
  dst->count = n;
  dst->enabled = calloc(n ? n : 1, sizeof *dst->enabled);
  dst->severity = calloc(n ? n : 1, sizeof *dst->severity);
  if (!dst->enabled || !dst->severity) {
    al_rule_config_cleanup(dst);
    return AL_E_NOMEM;
  }
  if (n) {
    memcpy(dst->enabled, src->enabled, n * sizeof *dst->enabled);
    memcpy(dst->severity, src->severity, n * sizeof *dst->severity);
  }
  return AL_OK;
}

void al_rule_config_cleanup(struct al_rule_config *cfg)
{
  free(cfg->enabled);
  free(cfg->severity);
  cfg->enabled = NULL;
  cfg->severity = NULL;
  cfg->count = 0;
}

static enum al_code unknown_rule(const struct al_ruleset *rs, const char *id,
                                 enum al_code code, const char *file, int line,
                                 int col, struct al_err *err)
{
  const char *hint = al_ruleset_suggest(rs, id);
  if (hint)
    return al_err_set(err, code, file ? file : "", line, col,
                      "unknown rule '%s' (did you mean '%s'?)", id, hint);
  return al_err_set(err, code, file ? file : "", line, col,
                    "unknown rule '%s'; 'apilint rules' lists them", id);
}

static enum al_code check_ids(const struct al_ruleset *rs,
                              const struct al_rule_setting *list, size_t n,
                              const char *file, struct al_err *err)
{
  for (size_t i = 0; i < n; i++)
    if (al_ruleset_index(rs, list[i].id) < 0)
      return unknown_rule(rs, list[i].id, AL_E_SPEC, file, list[i].line,
                          list[i].col, err);
  return AL_OK;
}

enum al_code al_rule_config_apply(struct al_rule_config *cfg,
                                  const struct al_ruleset *rs,
                                  const struct al_rule_overrides *ov,
                                  const char *file, struct al_err *err)
{
  if (!ov)
    return AL_OK;
  if (cfg->count != rs->count)
    return al_err_set(err, AL_E_INTERNAL, "", 0, 0,
                      "rule config does not match the ruleset");
  /* All ids first, so a bad block changes nothing. */
  enum al_code rc = check_ids(rs, ov->severity, ov->severity_count, file, err);
  if (rc == AL_OK)
    rc = check_ids(rs, ov->enable, ov->enable_count, file, err);
  if (rc == AL_OK)
    rc = check_ids(rs, ov->disable, ov->disable_count, file, err);
  if (rc != AL_OK)
    return rc;
  for (size_t i = 0; i < ov->severity_count; i++) {
    int sev = ov->severity[i].severity;
    if (sev >= AL_SEV_INFO && sev <= AL_SEV_ERROR)
      cfg->severity[al_ruleset_index(rs, ov->severity[i].id)] =
          (enum al_severity)sev;
  }
  /* Within one block "disable" wins over "enable": switching a rule off
   * is the safer reading of a contradiction. */
  for (size_t i = 0; i < ov->enable_count; i++)
    cfg->enabled[al_ruleset_index(rs, ov->enable[i].id)] = 1;
  for (size_t i = 0; i < ov->disable_count; i++)
    cfg->enabled[al_ruleset_index(rs, ov->disable[i].id)] = 0;
  return AL_OK;
}

enum al_code al_rule_config_switch(struct al_rule_config *cfg,
                                   const struct al_ruleset *rs, const char *id,
                                   int on, struct al_err *err)
{
  long i = al_ruleset_index(rs, id);
  if (i < 0)
    return unknown_rule(rs, id, AL_E_USAGE, "", 0, 0, err);
  if ((size_t)i >= cfg->count)
    return al_err_set(err, AL_E_INTERNAL, "", 0, 0,
                      "rule config does not match the ruleset");
  cfg->enabled[i] = on ? 1 : 0;
  return AL_OK;
}
