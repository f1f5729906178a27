/* strmap.c - open addressing with linear probing, kept at most half full,
 * so a lookup touches a slot or two on average (see strmap.h). */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fnv.h"

void al_strmap_init(struct al_strmap *m)
{
  m->slots = NULL;
  m->cap = 0;
  m->count = 0;
}

void al_strmap_cleanup(struct al_strmap *m)
{
  free(m->slots);
  al_strmap_init(m);
}

/* FNV-1a (fnv.h): short keys (names, paths), no attacker-chosen flood to
 * fear in a spec its own author wrote. */
static size_t hash(const char *key, size_t len)
{
  uint64_t h = al_fnv1a(AL_FNV_OFFSET, key, len);
  return (size_t)(h ^ (h >> 32));
}

/* The slot holding 'key', or the empty slot where it would go. */
static struct al_strmap_slot *find(struct al_strmap_slot *slots, size_t cap,
                                   const char *key, size_t len)
{
  size_t i = hash(key, len) & (cap - 1);
  for (;;) {
    struct al_strmap_slot *s = &slots[i];
    if (!s->key || (s->len == len && memcmp(s->key, key, len) == 0))
      return s;
    i = (i + 1) & (cap - 1);
  }
}

static enum al_code grow(struct al_strmap *m)
{
  size_t cap = m->cap ? m->cap * 2 : 16;
  if (cap < m->cap || cap > SIZE_MAX / sizeof *m->slots)
    return AL_E_NOMEM;
  struct al_strmap_slot *slots = calloc(cap, sizeof *slots);
  if (!slots)
    return AL_E_NOMEM;
  for (size_t i = 0; i < m->cap; i++)
    if (m->slots[i].key)
      *find(slots, cap, m->slots[i].key, m->slots[i].len) = m->slots[i];
  free(m->slots);
  m->slots = slots;
  m->cap = cap;
  return AL_OK;
}

enum al_code al_strmap_add(struct al_strmap *m, const char *key, size_t len,
                           size_t value, int *added, size_t *value_out)
{
  *added = 0;
  if (m->cap) {
    struct al_strmap_slot *s = find(m->slots, m->cap, key, len);
    if (s->key) {
      if (value_out)
        *value_out = s->value;
      return AL_OK;
    }
  }
  if ((m->count + 1) * 2 > m->cap && grow(m) != AL_OK)
    return AL_E_NOMEM;
  struct al_strmap_slot *s = find(m->slots, m->cap, key, len);
  s->key = key;
  s->len = len;
  s->value = value;
  m->count++;
  *added = 1;
  return AL_OK;
}

int al_strmap_get(const struct al_strmap *m, const char *key, size_t len,
                  size_t *value)
{
  if (!m->cap)
    return 0;
  const struct al_strmap_slot *s = find(m->slots, m->cap, key, len);
  if (!s->key)
    return 0;
  if (value)
    *value = s->value;
  return 1;
}
