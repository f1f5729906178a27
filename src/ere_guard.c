/* ere_guard.c - see ere_guard.h. A small recursive-descent walk over the
 * ERE that estimates how many nodes glibc's regcomp would build once it has
 * expanded every repetition (it copies the repeated subtree: "x{3}" is
 * "xxx", "x+" is "xx*"), without building anything. Malformed patterns are
 * left to regcomp to reject with its own message. */
#include "ere_guard.h"

#include <stdlib.h>
#include <string.h>

#include <stddef.h>

/* Estimated nodes allowed. Calibrated on glibc 2.36: at this budget regcomp
 * stays well under 0.3 s ("(((a{0,10}){0,10}){0,10}){0,10}" is ~15 000);
 * "(x{0,255}){0,255}" (~17 million) would take half a second and 100 MB,
 * the patterns people write for header values are in the hundreds. */
#define BUDGET 20000.0
#define MAX_DEPTH 64

struct walk {
  const char *p;
  const char *why; /* first problem found, or NULL */
};

static double alternation(struct walk *w, int depth);

/* Skips a bracket expression; 'w->p' is just past its '['. */
static void skip_bracket(struct walk *w)
{
  const char *p = w->p;
  if (*p == '^')
    p++;
  if (*p == ']')
    p++; /* a ']' first is a literal */
  while (*p && *p != ']') {
    if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
      char end = p[1];
      p += 2;
      while (*p && !(p[0] == end && p[1] == ']'))
        p++;
      if (*p)
        p++;
    }
    if (*p)
      p++;
  }
  w->p = *p ? p + 1 : p;
}

/* Reads "m}", "m,}" or "m,n}" after a '{'. Returns the cost factor of the
 * repetition, or -1 when this is not an interval (then regcomp decides).
 * regcomp copies the subtree n times (m + 1 without an upper bound), and
 * the n - m optional copies nest, which measured quadratic: "x{0,29000}"
 * takes seconds where "x{29000}" takes milliseconds. */
static double interval(struct walk *w)
{
  const char *p = w->p;
  double m = 0, n;
  if (*p < '0' || *p > '9')
    return -1;
  while (*p >= '0' && *p <= '9')
    m = m * 10 + (*p++ - '0');
  if (*p == ',' && p[1] >= '0' && p[1] <= '9') {
    p++;
    n = 0;
    while (*p >= '0' && *p <= '9')
      n = n * 10 + (*p++ - '0');
  } else if (*p == ',') {
    p++;
    n = m + 1;
    m = n; /* the unbounded rest is one star: nothing nests */
  } else {
    n = m;
  }
  if (*p != '}')
    return -1;
  w->p = p + 1;
  double optional = n > m ? n - m : 0;
  double f = n + optional * optional / 100;
  return f < 1 ? 1 : f;
}

/* One quantifier at w->p, if any: its copy factor, or 0 when none. */
static double quantifier(struct walk *w)
{
  switch (*w->p) {
  case '*':
  case '?':
    w->p++;
    return 1;
  case '+':
    w->p++;
    return 2;
  case '{': {
    w->p++;
    double f = interval(w);
    if (f < 0) {
      w->p--;
      return 0;
    }
    return f;
  }
  default:
    return 0;
  }
}

/* An atom and its quantifier: its expanded size. */
static double piece(struct walk *w, int depth)
{
  double size = 1;
  char c = *w->p++;
  if (c == '(') {
    if (depth >= MAX_DEPTH) {
      w->why = "groups nested too deep";
      return BUDGET + 1;
    }
    size = 1 + alternation(w, depth + 1);
    if (*w->p == ')')
      w->p++;
  } else if (c == '[') {
    skip_bracket(w);
  } else if (c == '\\') {
    if (*w->p >= '1' && *w->p <= '9') {
      w->why = "backreferences (\\1-\\9) are not supported (matching them "
               "can take exponential time on a long header value)";
      return BUDGET + 1;
    }
    if (*w->p)
      w->p++;
  }
  double f = quantifier(w);
  if (f == 0)
    return size;
  if (quantifier(w) != 0) {
    w->why = "repetition operators in a row (like 'a++' or 'a{2}{3}') "
             "are not supported (glibc compiles them in exponential time)";
    return BUDGET + 1;
  }
  return size * f + 1;
}

static double alternation(struct walk *w, int depth)
{
  double total = 0;
  while (*w->p && *w->p != ')' && !w->why && total <= BUDGET) {
    if (*w->p == '|') {
      w->p++;
      continue;
    }
    total += piece(w, depth);
  }
  return total;
}

const char *al_ere_guard_problem(const char *pattern)
{
  struct walk w = {pattern, NULL};
  double total = 0;
  while (*w.p && !w.why && total <= BUDGET) {
    total += alternation(&w, 0);
    if (*w.p == ')')
      w.p++; /* unbalanced: regcomp will say so */
  }
  if (w.why)
    return w.why;
  if (total > BUDGET)
    return "its repetitions expand too far (like '(x{0,255}){0,255}'; "
           "glibc would need seconds and gigabytes to compile it)";
  return NULL;
}

int al_ere_match_value(const regex_t *re, const char *value)
{
  size_t len = strnlen(value, AL_ERE_VALUE_MAX + 1);
  if (len <= AL_ERE_VALUE_MAX)
    return regexec(re, value, 0, NULL, 0) == 0;
  char *prefix = malloc(AL_ERE_VALUE_MAX + 1);
  if (!prefix)
    return 0;
  memcpy(prefix, value, AL_ERE_VALUE_MAX);
  prefix[AL_ERE_VALUE_MAX] = '\0';
  int matched = regexec(re, prefix, 0, NULL, 0) == 0;
  free(prefix);
  return matched;
}
