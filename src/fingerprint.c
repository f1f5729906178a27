/* fingerprint.c - stable finding identities (fingerprint.h): the rule, the
 * endpoint's method and path template and the probe, hashed. Nothing here
 * reads the run's clock, URLs, answers or order, which is what makes the
 * value the same on every run and on every machine. */
#include "fingerprint.h"

#include <string.h>

#include "request.h"
#include "fnv.h"
#include "spec.h"

void al_fingerprint_make(const char *rule_id, const char *method,
                         const char *path_template, const char *probe,
                         char out[AL_FINGERPRINT_SIZE])
{
  static const char hex[] = "0123456789abcdef";
  uint64_t h = al_fnv1a_str(AL_FNV_OFFSET, "apilint-fp/1");
  h = al_fnv1a_str(h, rule_id);
  h = al_fnv1a_str(h, method);
  h = al_fnv1a_str(h, path_template);
  h = al_fnv1a_str(h, probe);
  for (int i = AL_FINGERPRINT_LEN - 1; i >= 0; i--) {
    out[i] = hex[h & 15];
    h >>= 4;
  }
  out[AL_FINGERPRINT_LEN] = '\0';
}

enum al_code al_fingerprint_template(struct al_buf *out, const char *path)
{
  enum al_code rc = AL_OK;
  const char *s = path ? path : "";
  while (*s && rc == AL_OK) {
    if (s[0] == '$' && s[1] == '$') { /* a literal '$' stays as written */
      rc = al_buf_append(out, s, 2);
      s += 2;
      continue;
    }
    const char *def = s[0] == '$' && s[1] == '{' ? strstr(s, ":-") : NULL;
    const char *close = s[0] == '$' && s[1] == '{' ? strchr(s, '}') : NULL;
    if (def && close && def < close) {
      /* "${NAME:-default}" -> "${NAME}": as spec.c reads it, the default
       * ends at the first '}'. */
      rc = al_buf_append(out, s, (size_t)(def - s));
      if (rc == AL_OK)
        rc = al_buf_append_char(out, '}');
      s = close + 1;
      continue;
    }
    rc = al_buf_append_char(out, *s++);
  }
  return rc;
}

enum al_code al_fingerprint_endpoint_template(struct al_buf *out,
                                              const struct al_endpoint *ep)
{
  if (!ep)
    return al_buf_append_str(out, "?");
  return al_fingerprint_template(out, ep->path_template ? ep->path_template
                                                        : ep->path);
}

static void stamp(const struct al_rule_result *results, size_t n,
                  const char *method, const char *tmpl, const char *probe)
{
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < results[i].finding_count; k++) {
      struct al_finding *f = &results[i].findings[k];
      al_fingerprint_make(f->rule_id, method, tmpl, probe, f->fingerprint);
    }
}

static int has_findings(const struct al_rule_result *results, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (results[i].finding_count > 0)
      return 1;
  return 0;
}

enum al_code al_fingerprint_result(struct al_endpoint_result *er)
{
  /* Every endpoint comes here: most have nothing to stamp, and most paths
   * have no "${...}" to rewrite, so neither costs a copy. */
  int any = has_findings(er->results, er->result_count);
  for (size_t p = 0; !any && p < er->probe_count; p++)
    any = has_findings(er->probes[p].results, er->probes[p].result_count);
  if (!any)
    return AL_OK;
  const struct al_endpoint *ep = er->endpoint;
  const char *path = ep && ep->path_template ? ep->path_template
                     : ep                    ? ep->path
                                             : "?";
  struct al_buf tmpl;
  al_buf_init(&tmpl);
  if (path && strchr(path, '$')) {
    enum al_code rc = al_fingerprint_endpoint_template(&tmpl, ep);
    if (rc != AL_OK) {
      al_buf_cleanup(&tmpl);
      return rc;
    }
    path = al_buf_str(&tmpl);
  }
  /* The endpoint's method, also for its probes' findings: a probe's PATCH
   * belongs to the endpoint's GET it was derived from. */
  const char *method = ep            ? ep->method
                       : er->request ? er->request->method
                                     : "?";
  stamp(er->results, er->result_count, method, path, NULL);
  for (size_t p = 0; p < er->probe_count; p++)
    stamp(er->probes[p].results, er->probes[p].result_count, method, path,
          er->probes[p].probe);
  al_buf_cleanup(&tmpl);
  return AL_OK;
}

int al_fingerprint_valid(const char *s)
{
  if (!s || strlen(s) != AL_FINGERPRINT_LEN)
    return 0;
  for (; *s; s++)
    if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
      return 0;
  return 1;
}
