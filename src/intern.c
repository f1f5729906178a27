/* intern.c - the table behind al_intern (intern.h): a strmap from each
 * value to its copy, under one lock (judging runs on the main thread and
 * on the report worker). */
#include "intern.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

static pthread_mutex_t intern_lock = PTHREAD_MUTEX_INITIALIZER;
/* Keys are the copies themselves; each value is its key's address. */
static struct al_strmap interned;

/* Callers mostly pass the same few pointers (a rule's own id, level and
 * source, endpoint after endpoint), so each thread remembers its last
 * answers by address, checked by content (an address may be reused for
 * another string), and takes the lock only when that misses. */
#define RECENT_BITS 8
static _Thread_local struct {
  const char *asked;
  const char *copy;
} recent[1u << RECENT_BITS];

static const char *intern_locked(const char *s);

const char *al_intern(const char *s)
{
  /* Fibonacci hashing of the address: neighbouring strings spread out. */
  size_t slot = (size_t)(((uint64_t)(uintptr_t)s * 0x9E3779B97F4A7C15u) >>
                         (64 - RECENT_BITS));
  if (recent[slot].asked == s && strcmp(recent[slot].copy, s) == 0)
    return recent[slot].copy;
  const char *copy = intern_locked(s);
  if (copy) {
    recent[slot].asked = s;
    recent[slot].copy = copy;
  }
  return copy;
}

static const char *intern_locked(const char *s)
{
  size_t len = strlen(s);
  size_t found = 0;
  const char *out = NULL;
  pthread_mutex_lock(&intern_lock);
  if (al_strmap_get(&interned, s, len, &found)) {
    out = (const char *)(uintptr_t)found;
  } else {
    char *copy = malloc(len + 1);
    int added = 0;
    if (copy) {
      memcpy(copy, s, len + 1);
      if (al_strmap_add(&interned, copy, len, (size_t)(uintptr_t)copy, &added,
                        NULL) == AL_OK &&
          added)
        out = copy;
      else
        free(copy);
    }
  }
  pthread_mutex_unlock(&intern_lock);
  return out;
}
