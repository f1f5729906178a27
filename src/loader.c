/* loader.c - the shared toolkit of the YAML loaders (loader.h). */
#include "loader.h"

#include <stdio.h>
#include <string.h>

#include "suggest.h"

enum al_code al_loader_vfail(const struct al_loader *L,
                             const struct al_ynode *at, const char *fmt,
                             va_list ap)
{
  char msg[sizeof L->err->msg];
  vsnprintf(msg, sizeof msg, fmt, ap);
  return al_err_set(L->err, L->code, L->file ? L->file : "", at ? at->line : 0,
                    at ? at->col : 0, "%s", msg);
}

enum al_code al_loader_fail(const struct al_loader *L,
                            const struct al_ynode *at, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  enum al_code rc = al_loader_vfail(L, at, fmt, ap);
  va_end(ap);
  return rc;
}

enum al_code al_loader_oom(const struct al_loader *L)
{
  return al_err_set(L->err, AL_E_NOMEM, L->file ? L->file : "", 0, 0,
                    "out of memory");
}

const char *al_loader_got(const struct al_ynode *n, char *buf, size_t size)
{
  enum { SHOWN = 40 };
  long l;
  double d;
  int b;
  if (!n)
    return "nothing";
  if (n->kind != AL_YNODE_SCALAR)
    return al_ynode_describe(n);
  if (!n->quoted && n->value[0] == '\0')
    return "nothing";
  int bare = al_ynode_is_null(n) || al_ynode_bool(n, &b) ||
             al_ynode_int(n, &l) || al_ynode_double(n, &d);
  size_t len = n->value_len > SHOWN ? SHOWN : n->value_len;
  snprintf(buf, size, "%s%.*s%s%s", bare ? "" : "\"", (int)len, n->value,
           n->value_len > SHOWN ? "..." : "", bare ? "" : "\"");
  for (char *p = buf; *p; p++) {
    if ((unsigned char)*p < 0x20 || *p == 0x7f)
      *p = '?';
  }
  return buf;
}

static void join_names(char *buf, size_t size, const char *const *names)
{
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; names[i] && used < size; i++) {
    int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", names[i]);
    if (n < 0)
      break;
    used += (size_t)n;
  }
}

static int in_list(const char *word, const char *const *list)
{
  for (size_t i = 0; list[i]; i++) {
    if (strcmp(word, list[i]) == 0)
      return 1;
  }
  return 0;
}

enum al_code al_loader_check_keys(const struct al_loader *L,
                                  const struct al_ynode *map,
                                  const char *const *allowed, const char *what)
{
  for (size_t i = 0; i < map->count; i++) {
    const struct al_ynode *key = map->keys[i];
    if (in_list(key->value, allowed))
      continue;
    const char *near = al_suggest_among(key->value, allowed);
    if (near)
      return al_loader_fail(L, key, "unknown key '%s' (did you mean '%s'?)",
                            key->value, near);
    char names[512];
    join_names(names, sizeof names, allowed);
    return al_loader_fail(L, key,
                          "unknown key '%s' in %s (expected one of: %s)",
                          key->value, what, names);
  }
  return AL_OK;
}

enum al_code al_loader_need_kind(const struct al_loader *L,
                                 const struct al_ynode *n,
                                 enum al_ynode_kind kind, const char *key,
                                 const char *expected)
{
  char buf[64];
  if (n->kind == kind)
    return AL_OK;
  return al_loader_fail(L, n, "'%s' must be %s, got %s", key, expected,
                        al_loader_got(n, buf, sizeof buf));
}

int al_loader_status_class(const char *s)
{
  if (s[0] < '1' || s[0] > '5' || (s[1] != 'x' && s[1] != 'X') ||
      (s[2] != 'x' && s[2] != 'X') || s[3] != '\0')
    return 0;
  return s[0] - '0';
}
