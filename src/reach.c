/* reach.c - the connection settings of reach.h: merging the command line
 * over a spec's defaults, and the small parsers both share (--rate,
 * http_version, --cert FILE:PASSWORD), so the two spell them the same. */
#include "reach.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define RATE_MAX 1000000L
#define BACKOFF_FIRST_MS 1000L
#define BACKOFF_MAX_MS (10L * 60L * 1000L)

void al_reach_init(struct al_reach *r)
{
  memset(r, 0, sizeof *r);
  r->insecure = -1;
  r->retry = -1;
  r->retry_delay_ms = -1;
}

#define PICK(field, unset)                                                     \
  out->field = top->field != (unset) ? top->field : base->field

void al_reach_merge(struct al_reach *out, const struct al_reach *top,
                    const struct al_reach *base)
{
  struct al_reach t = *top, b = *base;
  top = &t;
  base = &b;
  PICK(cacert, NULL);
  PICK(capath, NULL);
  PICK(insecure, -1);
  PICK(cert, NULL);
  PICK(cert_type, NULL);
  PICK(key, NULL);
  PICK(key_type, NULL);
  PICK(key_password, NULL);
  PICK(http_version, AL_HTTP_ANY);
  PICK(proxy, NULL);
  PICK(noproxy, NULL);
  PICK(retry, -1);
  PICK(retry_delay_ms, -1);
}

#undef PICK

int al_rate_parse(const char *text, struct al_rate *out)
{
  char *end;
  if (!text || *text < '0' || *text > '9')
    return 0;
  errno = 0;
  long n = strtol(text, &end, 10);
  if (errno || end == text || n < 1 || n > RATE_MAX)
    return 0;
  long per = 1000;
  if (*end == '/') {
    const char *u = end + 1;
    /* curl accepts the unit's first letter or its whole name. */
    if (!strcmp(u, "s") || !strcmp(u, "second"))
      per = 1000;
    else if (!strcmp(u, "m") || !strcmp(u, "minute"))
      per = 60000;
    else if (!strcmp(u, "h") || !strcmp(u, "hour"))
      per = 3600000;
    else
      return 0;
  } else if (*end) {
    return 0;
  }
  out->count = n;
  out->per_ms = per;
  return 1;
}

double al_rate_interval_ms(const struct al_rate *rate)
{
  if (!rate || rate->count <= 0 || rate->per_ms <= 0)
    return 0;
  return (double)rate->per_ms / (double)rate->count;
}

static const struct {
  const char *name;
  enum al_http_version v;
} versions[] = {
    {"1.1", AL_HTTP_1_1},
    {"2", AL_HTTP_2},
    {"2-prior-knowledge", AL_HTTP_2_PRIOR},
};

int al_http_version_parse(const char *text, enum al_http_version *out)
{
  for (size_t i = 0; text && i < sizeof versions / sizeof versions[0]; i++) {
    if (strcmp(text, versions[i].name) == 0) {
      *out = versions[i].v;
      return 1;
    }
  }
  return 0;
}

const char *al_http_version_name(enum al_http_version v)
{
  for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
    if (versions[i].v == v)
      return versions[i].name;
  }
  return "any";
}

enum al_code al_reach_split_cert(const char *arg, char **file, char **password)
{
  struct al_buf name;
  al_buf_init(&name);
  *file = NULL;
  *password = NULL;
  const char *p = arg;
  for (; *p && *p != ':'; p++) {
    if (p[0] == '\\' && p[1] == ':')
      p++;
    if (al_buf_append_char(&name, *p) != AL_OK)
      goto oom;
  }
  if (*p == ':' && !(*password = al_strdup(p + 1)))
    goto oom;
  if (!(*file = al_buf_detach(&name)))
    goto oom;
  al_buf_cleanup(&name);
  return AL_OK;
oom:
  al_buf_cleanup(&name);
  free(*password);
  *password = NULL;
  return AL_E_NOMEM;
}

int al_tls_type_ok(const char *type, int cert)
{
  return type && (al_strcaseeq(type, "PEM") || al_strcaseeq(type, "DER") ||
                  al_strcaseeq(type, cert ? "P12" : "ENG"));
}

long al_reach_retry_wait_ms(const struct al_reach *r, int attempt)
{
  if (r && r->retry_delay_ms >= 0)
    return r->retry_delay_ms;
  long ms = BACKOFF_FIRST_MS;
  for (int i = 1; i < attempt && ms < BACKOFF_MAX_MS; i++)
    ms *= 2;
  return ms < BACKOFF_MAX_MS ? ms : BACKOFF_MAX_MS;
}
