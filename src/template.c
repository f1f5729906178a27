/* template.c - the placeholder grammar of rule messages (template.h): one
 * scanner, used both to validate a template once at load and to expand it
 * for every finding, so what loads is exactly what expands. */
#include "template.h"

#include <stdio.h>
#include <string.h>

/* Placeholders without an argument, by name. */
static const struct {
  const char *name;
  enum al_placeholder ph;
} plain[] = {
    {"status", AL_PH_STATUS},
    {"status-line", AL_PH_STATUS_LINE},
    {"method", AL_PH_METHOD},
    {"detail", AL_PH_DETAIL},
    {"probe", AL_PH_PROBE},
    {"endpoint-method", AL_PH_ENDPOINT_METHOD},
    {"endpoint-status", AL_PH_ENDPOINT_STATUS},
};

/* Placeholders of the form {PREFIXNAME}. */
static const struct {
  const char *prefix;
  enum al_placeholder ph;
} with_arg[] = {
    {"header:", AL_PH_HEADER},
    {"request-header:", AL_PH_REQUEST_HEADER},
};

/* The placeholder called 'name' (sets *arg for the NAME forms), or -1. */
static int placeholder_of(const char *name, const char **arg)
{
  *arg = NULL;
  for (size_t k = 0; k < sizeof plain / sizeof plain[0]; k++)
    if (strcmp(name, plain[k].name) == 0)
      return (int)plain[k].ph;
  for (size_t k = 0; k < sizeof with_arg / sizeof with_arg[0]; k++) {
    size_t n = strlen(with_arg[k].prefix);
    if (strncmp(name, with_arg[k].prefix, n) == 0) {
      *arg = name + n;
      return **arg ? (int)with_arg[k].ph : -1;
    }
  }
  return -1;
}

/* One literal byte; with out == NULL (validating) nothing is written. */
static int put(struct al_buf *out, char c)
{
  return !out || al_buf_append_char(out, c) == AL_OK;
}

/* A run of literal bytes, as put() does them one by one. */
static int put_run(struct al_buf *out, const char *run, size_t len)
{
  return !out || al_buf_append(out, run, len) == AL_OK;
}

/* The scanner behind both entry points: with value == NULL it only
 * validates. */
static int scan(const char *tmpl, al_template_value_fn value, void *ctx,
                struct al_buf *out, char *why, size_t why_size, size_t *at)
{
  const char *p = tmpl;
  while (*p) {
    if ((*p == '}' && p[1] == '}') || (*p == '{' && p[1] == '{')) {
      if (!put(out, *p))
        return -1;
      p += 2;
      continue;
    }
    if (*p == '}') {
      snprintf(why, why_size, "a lone '}' (write '}}' for a brace)");
      *at = (size_t)(p - tmpl);
      return 0;
    }
    if (*p != '{') {
      /* Up to the next brace at once: a message is mostly literal text. */
      size_t run = strcspn(p, "{}");
      if (!put_run(out, p, run ? run : 1))
        return -1;
      p += run ? run : 1;
      continue;
    }
    const char *end = strchr(p, '}');
    if (!end) {
      snprintf(why, why_size,
               "'{' without a closing '}' (write '{{' for a "
               "brace)");
      *at = (size_t)(p - tmpl);
      return 0;
    }
    char name[200];
    size_t n = (size_t)(end - p - 1);
    if (n >= sizeof name)
      n = sizeof name - 1;
    memcpy(name, p + 1, n);
    name[n] = '\0';
    const char *arg;
    int ph = placeholder_of(name, &arg);
    if (ph < 0) {
      snprintf(why, why_size,
               "unknown placeholder '{%.40s}' (known: {status}, "
               "{status-line}, {method}, {detail}, {header:NAME}, "
               "{request-header:NAME}, {probe}, {endpoint-method}, "
               "{endpoint-status})",
               name);
      *at = (size_t)(p - tmpl);
      return 0;
    }
    p = end + 1;
    if (value && value(ctx, (enum al_placeholder)ph, arg, out) != AL_OK)
      return -1;
  }
  return 1;
}

int al_template_validate(const char *tmpl, char *why, size_t why_size,
                         size_t *at)
{
  return scan(tmpl, NULL, NULL, NULL, why, why_size, at) == 1;
}

int al_template_expand(const char *tmpl, al_template_value_fn value, void *ctx,
                       struct al_buf *out, char *why, size_t why_size,
                       size_t *at)
{
  if (!value || !out)
    return -1;
  return scan(tmpl, value, ctx, out, why, why_size, at);
}
