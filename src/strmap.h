/* strmap.h - a hash index from byte strings to size_t values, so that
 * "have we seen this name / path before?" costs O(1) instead of a scan of
 * everything loaded so far (duplicate endpoint names, the methods declared
 * for one path). Keys are borrowed: the map stores the pointer and length,
 * never a copy, so each key must outlive the map. Keys compare bytewise. */
#ifndef AL_STRMAP_H
#define AL_STRMAP_H

#include <stddef.h>

#include "common.h"

struct al_strmap_slot {
  const char *key; /* borrowed; NULL = empty slot */
  size_t len;
  size_t value;
};

struct al_strmap {
  struct al_strmap_slot *slots; /* owned; 'cap' of them, a power of two */
  size_t cap;
  size_t count;
};

/* Caller's storage: init before use, cleanup after (frees the slots, not
 * the keys). */
void al_strmap_init(struct al_strmap *m);
void al_strmap_cleanup(struct al_strmap *m);

/* Adds 'key' ('len' bytes, borrowed) with 'value' unless it is already
 * there. Returns AL_OK and sets '*added' to 1 when added; when the key was
 * present leaves the map unchanged, sets '*added' to 0 and '*value_out'
 * (if not NULL) to the stored value. Returns AL_E_NOMEM when growing the
 * table failed (the map is unchanged). */
enum al_code al_strmap_add(struct al_strmap *m, const char *key, size_t len,
                           size_t value, int *added, size_t *value_out);

/* Returns 1 and sets '*value' (if not NULL) when 'key' is present, else 0. */
int al_strmap_get(const struct al_strmap *m, const char *key, size_t len,
                  size_t *value);

#endif
