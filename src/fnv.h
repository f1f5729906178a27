/* fnv.h - FNV-1a, 64 bit (Fowler, Noll, Vo; IETF draft-eastlake-fnv), the
 * one hash apilint uses: tiny, no library, and every input is ours or the
 * spec author's, so no adversary picks collisions. What it makes is kept
 * (finding fingerprints in baselines, spec digests in reports), so these
 * functions must never change their results. */
#ifndef AL_FNV_H
#define AL_FNV_H

#include <stddef.h>
#include <stdint.h>

#define AL_FNV_OFFSET 0xcbf29ce484222325ULL
#define AL_FNV_PRIME 0x100000001b3ULL

/* 'h' (AL_FNV_OFFSET to start) carried on over 'len' bytes at 'p'. */
static inline uint64_t al_fnv1a(uint64_t h, const void *p, size_t len)
{
  const unsigned char *s = p;
  for (size_t i = 0; i < len; i++) {
    h ^= s[i];
    h *= AL_FNV_PRIME;
  }
  return h;
}

/* The same over a string and its terminating NUL (NULL as ""), so that the
 * parts of a sequence stay apart: ("ab", "c") and ("a", "bc") differ. */
static inline uint64_t al_fnv1a_str(uint64_t h, const char *s)
{
  for (; s && *s; s++) {
    h ^= (unsigned char)*s;
    h *= AL_FNV_PRIME;
  }
  return h * AL_FNV_PRIME; /* the NUL: h ^= 0 changes nothing */
}

#endif
