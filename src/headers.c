/* headers.c - ordered header field list (see headers.h). */
#include "headers.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

void al_headers_init(struct al_headers *h)
{
  h->items = NULL;
  h->count = 0;
  h->cap = 0;
}

void al_headers_cleanup(struct al_headers *h)
{
  for (size_t i = 0; i < h->count; i++)
    free(h->items[i].name);
  free(h->items);
  al_headers_init(h);
}

enum al_code al_headers_add(struct al_headers *h, const char *name,
                            const char *value)
{
  if (!name)
    return AL_E_NOMEM; /* as al_strdup(NULL) made it */
  if (!value)
    value = "";
  return al_headers_add_len(h, name, strlen(name), value, strlen(value));
}

/* A field of the first name_len bytes of 'name' and value_len of 'value'
 * (each ending early at a NUL) in one allocation (see struct al_header). */
static enum al_code make_field(struct al_header *f, const char *name,
                               size_t name_len, const char *value,
                               size_t value_len)
{
  name_len = strnlen(name, name_len);
  value_len = strnlen(value, value_len);
  char *n = malloc(name_len + 1 + value_len + 1);
  if (!n)
    return AL_E_NOMEM;
  memcpy(n, name, name_len);
  n[name_len] = '\0';
  memcpy(n + name_len + 1, value, value_len);
  n[name_len + 1 + value_len] = '\0';
  f->name = n;
  f->value = n + name_len + 1;
  return AL_OK;
}

enum al_code al_headers_add_len(struct al_headers *h, const char *name,
                                size_t name_len, const char *value,
                                size_t value_len)
{
  if (h->count == h->cap) {
    size_t cap = h->cap ? h->cap * 2 : 8;
    struct al_header *items = realloc(h->items, cap * sizeof *items);
    if (!items)
      return AL_E_NOMEM;
    h->items = items;
    h->cap = cap;
  }
  enum al_code rc =
      make_field(&h->items[h->count], name, name_len, value, value_len);
  if (rc == AL_OK)
    h->count++;
  return rc;
}

enum al_code al_headers_extend_last(struct al_headers *h, const char *text,
                                    size_t len)
{
  struct al_header *last = &h->items[h->count - 1];
  size_t name_len = (size_t)(last->value - last->name) - 1;
  size_t old = strlen(last->value);
  char *n = realloc(last->name, name_len + 1 + old + 1 + len + 1);
  if (!n)
    return AL_E_NOMEM;
  char *v = n + name_len + 1;
  v[old] = ' ';
  memcpy(v + old + 1, text, len);
  v[old + 1 + len] = '\0';
  last->name = n;
  last->value = v;
  return AL_OK;
}

void al_headers_remove(struct al_headers *h, const char *name)
{
  size_t kept = 0;
  for (size_t i = 0; i < h->count; i++) {
    if (al_strcaseeq(h->items[i].name, name)) {
      free(h->items[i].name);
    } else {
      h->items[kept++] = h->items[i];
    }
  }
  h->count = kept;
}

enum al_code al_headers_set(struct al_headers *h, const char *name,
                            const char *value)
{
  /* Replace in place where the field first appears, so a default header
   * overridden by an endpoint keeps its position in the sent order. */
  for (size_t i = 0; i < h->count; i++) {
    if (!al_strcaseeq(h->items[i].name, name))
      continue;
    const char *v = value ? value : "";
    struct al_header f;
    if (make_field(&f, h->items[i].name, strlen(h->items[i].name), v,
                   strlen(v)) != AL_OK)
      return AL_E_NOMEM;
    free(h->items[i].name);
    h->items[i] = f;
    for (size_t j = h->count; j-- > i + 1;) {
      if (al_strcaseeq(h->items[j].name, name)) {
        free(h->items[j].name);
        memmove(&h->items[j], &h->items[j + 1],
                (h->count - j - 1) * sizeof h->items[0]);
        h->count--;
      }
    }
    return AL_OK;
  }
  return al_headers_add(h, name, value);
}

enum al_code al_headers_copy(struct al_headers *dst,
                             const struct al_headers *src)
{
  for (size_t i = 0; i < src->count; i++) {
    enum al_code rc =
        al_headers_add(dst, src->items[i].name, src->items[i].value);
    if (rc != AL_OK)
      return rc;
  }
  return AL_OK;
}

const char *al_headers_get(const struct al_headers *h, const char *name)
{
  if (!name)
    return NULL; /* al_strcaseeq(field, NULL) holds for no field */
  size_t len = strlen(name);
  for (size_t i = 0; i < h->count; i++) {
    if (al_header_named(&h->items[i], name, len))
      return h->items[i].value;
  }
  return NULL;
}

size_t al_headers_count(const struct al_headers *h, const char *name)
{
  size_t n = 0;
  if (!name)
    return 0;
  size_t len = strlen(name);
  for (size_t i = 0; i < h->count; i++) {
    if (al_header_named(&h->items[i], name, len))
      n++;
  }
  return n;
}

int al_headers_is_framing(const char *name, size_t len)
{
  static const char *const framing[] = {"Content-Length", "Transfer-Encoding",
                                        NULL};
  for (size_t i = 0; framing[i]; i++) {
    if (strlen(framing[i]) == len && strncasecmp(framing[i], name, len) == 0)
      return 1;
  }
  return 0;
}

int al_headers_is_token(const char *s)
{
  if (!*s)
    return 0;
  for (; *s; s++)
    if (!al_headers_is_tchar((unsigned char)*s))
      return 0;
  return 1;
}
