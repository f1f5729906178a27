/* suggest.c - edit distance and closest-candidate search (see suggest.h). */
#include "suggest.h"

#include <ctype.h>
#include <string.h>

enum { SUGGEST_MAXLEN = 64 };

static int same_char(char a, char b)
{
  return tolower((unsigned char)a) == tolower((unsigned char)b);
}

static size_t min_of(size_t a, size_t b)
{
  return a < b ? a : b;
}

size_t al_edit_distance(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b);
  if (la > SUGGEST_MAXLEN || lb > SUGGEST_MAXLEN)
    return (size_t)-1;
  size_t d[SUGGEST_MAXLEN + 1][SUGGEST_MAXLEN + 1];
  for (size_t i = 0; i <= la; i++)
    d[i][0] = i;
  for (size_t j = 0; j <= lb; j++)
    d[0][j] = j;
  for (size_t i = 1; i <= la; i++) {
    for (size_t j = 1; j <= lb; j++) {
      size_t cost = same_char(a[i - 1], b[j - 1]) ? 0 : 1;
      size_t best = min_of(d[i - 1][j] + 1, d[i][j - 1] + 1);
      best = min_of(best, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && same_char(a[i - 1], b[j - 2]) &&
          same_char(a[i - 2], b[j - 1]))
        best = min_of(best, d[i - 2][j - 2] + 1);
      d[i][j] = best;
    }
  }
  return d[la][lb];
}

void al_suggest_init(struct al_suggest *s, const char *word)
{
  s->word = word;
  s->best = NULL;
  s->best_distance = (size_t)-1;
}

void al_suggest_consider(struct al_suggest *s, const char *candidate)
{
  if (!s->word || !candidate)
    return;
  size_t d = al_edit_distance(s->word, candidate);
  if (d < s->best_distance) {
    s->best_distance = d;
    s->best = candidate;
  }
}

const char *al_suggest_result(const struct al_suggest *s)
{
  if (!s->best || !s->word)
    return NULL;
  size_t len = strlen(s->word);
  size_t limit = len < 4 ? 1 : (len / 3 > 2 ? len / 3 : 2);
  if (s->best_distance > limit || s->best_distance >= len)
    return NULL;
  return s->best;
}

const char *al_suggest_among(const char *word, const char *const *candidates)
{
  struct al_suggest s;
  al_suggest_init(&s, word);
  for (size_t i = 0; candidates && candidates[i]; i++)
    al_suggest_consider(&s, candidates[i]);
  return al_suggest_result(&s);
}
