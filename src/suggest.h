/* suggest.h - "did you mean": the one edit-distance measure and closeness
 * test that every loader and the command line use, so a typo gets the same
 * help whether it is a spec key, a rule id, a check name or an option. */
#ifndef AL_SUGGEST_H
#define AL_SUGGEST_H

#include <stddef.h>

/* Optimal string alignment distance (Levenshtein plus adjacent swaps),
 * ignoring ASCII case: 'methd' -> 'method' is 1, 'mehtod' -> 'method' is 1.
 * Words longer than 64 bytes are never typos of a name: (size_t)-1. */
size_t al_edit_distance(const char *a, const char *b);

/* Finds the closest of a set of candidates, offered one at a time:
 *   struct al_suggest s; al_suggest_init(&s, word);
 *   for (...) al_suggest_consider(&s, name);
 *   const char *hint = al_suggest_result(&s);  // NULL: nothing close
 * Candidates are borrowed; the result lives as long as they do. */
struct al_suggest {
  const char *word;
  const char *best;
  size_t best_distance;
};

void al_suggest_init(struct al_suggest *s, const char *word);
void al_suggest_consider(struct al_suggest *s, const char *candidate);
/* The closest candidate when it is close enough to be the word meant: at
 * most 1 edit for words under 4 bytes, else at most max(2, len/3), and
 * always fewer edits than the word has bytes. */
const char *al_suggest_result(const struct al_suggest *s);

/* The same over a NULL-terminated array. */
const char *al_suggest_among(const char *word, const char *const *candidates);

#endif
