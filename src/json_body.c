/* json_body.c - a response body read as JSON, parsed once (json_body.h).
 * The first value is parsed on the first question; a second value is
 * looked for only when al_json_body_count asks. */
#include "json_body.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum {
  ST_NEW,    /* nothing worked out yet */
  ST_PARSED, /* text, root and next set (root NULL: the core is no value) */
  ST_NONE,   /* no core, too deep or no memory: nothing can be said */
};

static int is_json_space(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int al_json_body_core(const struct al_buf *body, const char **s, size_t *n)
{
  size_t from = 0, to = body->data ? body->len : 0;
  if (to >= 3 && memcmp(body->data, "\xEF\xBB\xBF", 3) == 0)
    from = 3;
  while (from < to && is_json_space(body->data[from]))
    from++;
  while (to > from && is_json_space(body->data[to - 1]))
    to--;
  *s = from < to ? body->data + from : "";
  *n = to - from;
  return *n > 0;
}

void al_json_body_init(struct al_json_body *j, const struct al_buf *body)
{
  memset(j, 0, sizeof *j);
  j->body = body;
  j->state = ST_NEW;
  j->count = -2; /* not asked yet */
}

void al_json_body_cleanup(struct al_json_body *j)
{
  cJSON_Delete(j->root);
  free(j->text);
  j->root = NULL;
  j->text = NULL;
  j->state = ST_NEW;
  j->count = -2;
}

static int is_hex4(const char *p)
{
  for (int i = 0; i < 4; i++)
    if (!isxdigit((unsigned char)p[i]))
      return 0;
  return 1;
}

/* A copy of s[0..n) that cJSON can judge, or NULL (no memory, or
 * *too_deep set: arrays/objects nested past CJSON_NESTING_LIMIT, which
 * RFC 8259 allows and cJSON refuses, so nothing can be said).
 *
 * RFC 8259 §8.2 allows a string escape of a lone surrogate (backslash-u
 * d83d, what JavaScript's JSON.stringify emits for a string cut
 * mid-emoji) and cJSON rejects it; every escape of D800-DFFF becomes one
 * of FFFD, which has the same length, so offsets into the copy are
 * offsets into s. */
static char *judgeable_copy(const char *s, size_t n, int *too_deep)
{
  *too_deep = 0;
  char *c = malloc(n + 1);
  if (!c)
    return NULL;
  memcpy(c, s, n);
  c[n] = '\0';
  /* Without a backslash there is no escape to rewrite, and n bytes hold at
   * most n opening brackets: the walk below could change nothing. */
  if (n <= CJSON_NESTING_LIMIT && !memchr(c, '\\', n))
    return c;
  size_t depth = 0;
  int in_string = 0;
  for (size_t i = 0; i < n; i++) {
    if (in_string) {
      if (c[i] == '"') {
        in_string = 0;
      } else if (c[i] == '\\' && i + 1 < n) {
        if (c[i + 1] == 'u' && i + 5 < n && is_hex4(c + i + 2) &&
            (c[i + 2] == 'd' || c[i + 2] == 'D') &&
            strchr("89abcdefABCDEF", c[i + 3])) {
          memcpy(c + i + 2, "FFFD", 4);
          i += 5;
        } else {
          i++; /* skip the escaped character, even a quote */
        }
      }
    } else if (c[i] == '"') {
      in_string = 1;
    } else if (c[i] == '[' || c[i] == '{') {
      if (++depth > CJSON_NESTING_LIMIT) {
        *too_deep = 1;
        free(c);
        return NULL;
      }
    } else if ((c[i] == ']' || c[i] == '}') && depth > 0) {
      depth--;
    }
  }
  return c;
}

/* Works out the first value once: the one parse every check shares. */
static void parse_first(struct al_json_body *j)
{
  if (j->state != ST_NEW)
    return;
  const char *s;
  size_t n;
  int too_deep;
  if (!al_json_body_core(j->body, &s, &n) ||
      !(j->text = judgeable_copy(s, n, &too_deep))) {
    j->state = ST_NONE;
    return;
  }
  j->len = n;
  const char *end = NULL;
  j->root = cJSON_ParseWithLengthOpts(j->text, n, &end, 0);
  j->next = j->root && end ? (size_t)(end - j->text) : n;
  while (j->next < n && is_json_space(j->text[j->next]))
    j->next++;
  j->state = ST_PARSED;
}

const cJSON *al_json_body_value(struct al_json_body *j)
{
  parse_first(j);
  if (j->state != ST_PARSED || !j->root || j->next < j->len)
    return NULL;
  return j->root;
}

/* 2 when a second value follows the first (with only whitespace between),
 * else 0: the sequence does not go on as JSON. */
static int second_value(const struct al_json_body *j)
{
  size_t n = j->len;
  const char *end = NULL;
  cJSON *v = cJSON_ParseWithLengthOpts(j->text + j->next, n - j->next, &end, 0);
  if (!v)
    return 0;
  cJSON_Delete(v);
  size_t after = end ? (size_t)(end - j->text) : n;
  return after > j->next ? 2 : 0; /* no progress: not a sequence */
}

int al_json_body_count(struct al_json_body *j)
{
  if (j->count != -2)
    return j->count;
  parse_first(j);
  if (j->state == ST_NONE) {
    const char *s;
    size_t n;
    /* An empty core is no sequence; anything else could not be judged. */
    j->count = al_json_body_core(j->body, &s, &n) ? -1 : 0;
  } else if (!j->root) {
    j->count = 0;
  } else {
    j->count = j->next < j->len ? second_value(j) : 1;
  }
  return j->count;
}
