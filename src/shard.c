/* shard.c - --shard I/N: which endpoints one of N CI jobs sends (see
 * shard.h for why the unit is a path group and how groups are dealt). */
#include "shard.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fnv.h"
#include "strmap.h"

void al_shard_digest(const struct al_spec *spec, char out[17])
{
  uint64_t h = al_fnv1a_str(AL_FNV_OFFSET, spec->name);
  for (size_t i = 0; i < spec->endpoint_count; i++) {
    const struct al_endpoint *ep = &spec->endpoints[i];
    h = al_fnv1a_str(al_fnv1a_str(al_fnv1a_str(h, ep->name), ep->method),
                     ep->path);
  }
  snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* A whole number in [lo, hi] and nothing else. */
static int parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
  if (!s || *s < '0' || *s > '9')
    return 0;
  char *end;
  errno = 0;
  unsigned long v = strtoul(s, &end, 10);
  if (errno || *end || v < lo || v > hi)
    return 0;
  *out = (unsigned)v;
  return 1;
}

static enum al_code from_env(const char *(*get)(const char *),
                             struct al_shard *out, struct al_err *err)
{
  const char *index = get("CI_NODE_INDEX");
  const char *total = get("CI_NODE_TOTAL");
  if (!total || !*total)
    return al_err_set(err, AL_E_USAGE, NULL, 0, 0,
                      "--shard auto: CI_NODE_TOTAL is not set (GitLab CI "
                      "sets CI_NODE_INDEX and CI_NODE_TOTAL in a job with "
                      "'parallel:'; elsewhere give --shard I/N) (try "
                      "'apilint --help')");
  if (!parse_uint(total, 1, AL_SHARD_MAX, &out->total))
    return al_err_set(err, AL_E_USAGE, NULL, 0, 0,
                      "--shard auto: CI_NODE_TOTAL must be a number from 1 "
                      "to %d, got '%.64s' (try 'apilint --help')",
                      AL_SHARD_MAX, total);
  /* A job without parallel: has CI_NODE_TOTAL=1 and no index: the whole
   * run is its one shard. */
  if ((!index || !*index) && out->total == 1) {
    out->index = 1;
    return AL_OK;
  }
  if (!index || !*index)
    return al_err_set(err, AL_E_USAGE, NULL, 0, 0,
                      "--shard auto: CI_NODE_TOTAL is %u but CI_NODE_INDEX "
                      "is not set (try 'apilint --help')",
                      out->total);
  if (!parse_uint(index, 1, out->total, &out->index))
    return al_err_set(err, AL_E_USAGE, NULL, 0, 0,
                      "--shard auto: CI_NODE_INDEX must be a number from 1 "
                      "to CI_NODE_TOTAL (%u), got '%.64s' (GitLab counts "
                      "from 1) (try 'apilint --help')",
                      out->total, index);
  return AL_OK;
}

static const char *plain_getenv(const char *name)
{
  return getenv(name);
}

enum al_code al_shard_parse(const char *arg,
                            const char *(*getenv_fn)(const char *name),
                            struct al_shard *out, struct al_err *err)
{
  memset(out, 0, sizeof *out);
  if (strcmp(arg, "auto") == 0)
    return from_env(getenv_fn ? getenv_fn : plain_getenv, out, err);
  const char *slash = strchr(arg, '/');
  char index[16];
  size_t ilen = slash ? (size_t)(slash - arg) : 0;
  int ok = slash && ilen > 0 && ilen < sizeof index;
  if (ok) {
    memcpy(index, arg, ilen);
    index[ilen] = '\0';
    ok = parse_uint(slash + 1, 1, AL_SHARD_MAX, &out->total) &&
         parse_uint(index, 1, out->total, &out->index);
  }
  if (!ok) {
    memset(out, 0, sizeof *out);
    return al_err_set(err, AL_E_USAGE, NULL, 0, 0,
                      "--shard must be I/N with 1 <= I <= N <= %d, or auto, "
                      "got '%.64s' (try 'apilint --help')",
                      AL_SHARD_MAX, arg);
  }
  return AL_OK;
}

struct group {
  uint64_t hash;
  size_t spec;  /* which spec */
  size_t first; /* its first endpoint, flattened index */
  size_t size;
  size_t id;      /* its place in the unsorted list */
  unsigned shard; /* 1..N once dealt */
};

static int by_hash(const void *a, const void *b)
{
  const struct group *x = a, *y = b;
  if (x->hash != y->hash)
    return x->hash < y->hash ? -1 : 1;
  if (x->spec != y->spec)
    return x->spec < y->spec ? -1 : 1;
  return x->first < y->first ? -1 : x->first > y->first;
}

static size_t path_len(const char *path)
{
  return strcspn(path, "?#");
}

/* Groups the endpoints of every spec by path; group_of[k] is endpoint k's
 * group. The same path in two specs is two groups. */
static enum al_code make_groups(const struct al_spec *const *specs,
                                size_t count, size_t total,
                                struct group **groups_out, size_t *ngroups,
                                size_t *group_of)
{
  struct group *groups = calloc(total ? total : 1, sizeof *groups);
  if (!groups)
    return AL_E_NOMEM;
  size_t n = 0, k = 0;
  enum al_code rc = AL_OK;
  for (size_t s = 0; rc == AL_OK && s < count; s++) {
    const struct al_spec *spec = specs[s];
    struct al_strmap paths;
    al_strmap_init(&paths);
    uint64_t base = al_fnv1a_str(AL_FNV_OFFSET, spec->name);
    for (size_t e = 0; rc == AL_OK && e < spec->endpoint_count; e++, k++) {
      const char *path = spec->endpoints[e].path ? spec->endpoints[e].path : "";
      size_t len = path_len(path);
      int added = 0;
      size_t g = 0;
      rc = al_strmap_add(&paths, path, len, n, &added, &g);
      if (rc != AL_OK)
        break;
      if (added) {
        g = n++;
        groups[g].hash = al_fnv1a(base, path, len);
        groups[g].spec = s;
        groups[g].first = k;
      }
      groups[g].size++;
      group_of[k] = g;
    }
    al_strmap_cleanup(&paths);
  }
  if (rc != AL_OK) {
    free(groups);
    return rc;
  }
  *groups_out = groups;
  *ngroups = n;
  return AL_OK;
}

enum al_code al_shard_assign(const struct al_spec *const *specs, size_t count,
                             unsigned total, unsigned **out)
{
  *out = NULL;
  size_t endpoints = 0;
  for (size_t s = 0; s < count; s++)
    endpoints += specs[s]->endpoint_count;
  size_t *group_of = calloc(endpoints ? endpoints : 1, sizeof *group_of);
  size_t *load = calloc(total ? total : 1, sizeof *load);
  unsigned *shard_of = calloc(endpoints ? endpoints : 1, sizeof *shard_of);
  struct group *groups = NULL;
  size_t ngroups = 0;
  enum al_code rc = group_of && load && shard_of ? AL_OK : AL_E_NOMEM;
  if (rc == AL_OK)
    rc = make_groups(specs, count, endpoints, &groups, &ngroups, group_of);
  if (rc == AL_OK) {
    /* A sorted copy: group_of indexes the unsorted groups. */
    struct group *sorted = calloc(ngroups ? ngroups : 1, sizeof *sorted);
    if (!sorted)
      rc = AL_E_NOMEM;
    for (size_t g = 0; rc == AL_OK && g < ngroups; g++) {
      sorted[g] = groups[g];
      sorted[g].id = g;
    }
    if (rc == AL_OK)
      qsort(sorted, ngroups, sizeof *sorted, by_hash);
    for (size_t i = 0; rc == AL_OK && i < ngroups; i++) {
      unsigned best = 0;
      for (unsigned t = 1; t < total; t++)
        if (load[t] < load[best])
          best = t;
      load[best] += sorted[i].size;
      groups[sorted[i].id].shard = best + 1;
    }
    free(sorted);
  }
  for (size_t k = 0; rc == AL_OK && k < endpoints; k++)
    shard_of[k] = groups[group_of[k]].shard;
  free(groups);
  free(group_of);
  free(load);
  if (rc != AL_OK) {
    free(shard_of);
    return rc;
  }
  *out = shard_of;
  return AL_OK;
}

enum al_code al_shard_apply(struct al_spec *const *specs, size_t count,
                            const struct al_shard *shard)
{
  for (size_t s = 0; s < count; s++) {
    al_shard_digest(specs[s], specs[s]->digest);
    specs[s]->loaded_count = specs[s]->endpoint_count;
    for (size_t e = 0; e < specs[s]->endpoint_count; e++)
      specs[s]->endpoints[e].index = e;
  }
  if (!shard || shard->total == 0)
    return AL_OK;
  unsigned *shard_of = NULL;
  enum al_code rc = al_shard_assign((const struct al_spec *const *)specs, count,
                                    shard->total, &shard_of);
  if (rc != AL_OK)
    return rc;
  size_t k = 0;
  for (size_t s = 0; rc == AL_OK && s < count; s++) {
    size_t n = specs[s]->endpoint_count;
    unsigned char *keep = calloc(n ? n : 1, 1);
    if (!keep) {
      rc = AL_E_NOMEM;
      break;
    }
    for (size_t e = 0; e < n; e++, k++)
      keep[e] = shard_of[k] == shard->index;
    al_spec_keep_endpoints(specs[s], keep);
    free(keep);
  }
  free(shard_of);
  return rc;
}
