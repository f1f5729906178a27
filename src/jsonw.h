/* jsonw.h - a small streaming JSON writer for the reports (report_json.c,
 * report_sarif.c): members and values appended to a buffer as they come,
 * in the layout cJSON_Print used (tabs, one member a line, arrays on one
 * line), every string cleaned first (al_report_clean: secrets masked,
 * valid UTF-8). Writes to the caller's buffer only; owns nothing. */
#ifndef AL_JSONW_H
#define AL_JSONW_H

#include <stddef.h>
#include <string.h>

#include "buf.h"
#include "common.h"

struct al_report;

#define AL_JW_DEPTH 16 /* JSON nests 6 deep, SARIF 10 */

/* Writes JSON text into 'out'. The first failure sticks in 'rc' and turns
 * later calls into no-ops, so callers check once at the end. */
struct al_jw {
  struct al_buf *out;
  const struct al_report *report; /* for cleaning strings */
  int indent;                     /* tabs before depth 0's members */
  int depth;                      /* open containers */
  size_t count[AL_JW_DEPTH];      /* members so far, per open container */
  int is_object[AL_JW_DEPTH];
  enum al_code rc;
  /* What each byte of a string asks of the writer (jsonw.c), for the
   * redactor as it was with 'classes_values' secret values: secrets are
   * added while a run goes on, and the table is made again when one is. */
  unsigned char classes[256];
  size_t classes_values;
  int classes_ready;
  /* The printable ASCII bytes a secret value starts with, for the
   * sixteen-bytes-at-a-time scan of strings (jsonw.c); a count of -1 when
   * there are more than fit, and the scan goes a byte at a time. */
  unsigned char starts[8];
  int start_count;
};

/* Starts writing into 'out' (borrowed while writing). 'report' (borrowed;
 * may be NULL) says which secrets to mask; 'indent' is the number of tabs
 * before the members at depth 0, for a part written inside a document
 * whose outer levels are written by hand. */
void al_jw_init(struct al_jw *w, struct al_buf *out,
                const struct al_report *report, int indent);

/* Raw bytes, as they are (punctuation the caller writes itself). */
void al_jw_put(struct al_jw *w, const char *s, size_t len);
void al_jw_puts(struct al_jw *w, const char *s);

/* A value given as JSON text already made by a writer (a part kept from
 * an earlier one), after the separator a value needs in an array. */
void al_jw_value_text(struct al_jw *w, const char *text, size_t len);

/* Members written as JSON text already made by a writer at the same depth
 * (a part kept from an earlier one): 'text' starts with the separator of
 * its first member, and 'members' is how many it holds. */
void al_jw_members_text(struct al_jw *w, const char *text, size_t len,
                        size_t members);

/* Room for 'len' more bytes (and the NUL) in the output: where to write
 * them, or NULL after a failure. Reports are made of many short pieces, so
 * the pieces are copied in place rather than appended one call each. */
static inline char *al_jw_room(struct al_jw *w, size_t len)
{
  struct al_buf *b = w->out;
  if (w->rc != AL_OK)
    return NULL;
  if (b->cap - b->len <= len && (w->rc = al_buf_reserve(b, len)) != AL_OK)
    return NULL;
  return b->data + b->len;
}

/* Ends a piece written at al_jw_room's pointer: 'end' is just past it. */
static inline void al_jw_commit(struct al_jw *w, char *end)
{
  struct al_buf *b = w->out;
  b->len = (size_t)(end - b->data);
  *end = '\0';
}

/* A member's key (plain ASCII, ours: not escaped) on its own line in the
 * innermost object, written in one piece; the value follows with one of
 * the calls below. Inline, so that a literal key is copied with its length
 * known: reports write sixty keys an endpoint. */
static inline void al_jw_key_len(struct al_jw *w, const char *key, size_t len)
{
  static const char tabs[16] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
  if (w->depth == 0)
    return;
  int comma = w->count[w->depth - 1]++ > 0;
  int n = w->indent + w->depth;
  size_t ntabs = (size_t)(n < 16 ? n : 16);
  /* Room for all 16 tabs: copied whole (a fixed-size copy), then the key
   * goes over the ones not wanted. */
  char *p = al_jw_room(w, 2 + 16 + 1 + len + 3);
  if (!p)
    return;
  *p = ',';
  p += comma;
  *p++ = '\n';
  memcpy(p, tabs, sizeof tabs);
  p += ntabs;
  *p++ = '"';
  memcpy(p, key, len);
  p += len;
  memcpy(p, "\":\t", 3);
  al_jw_commit(w, p + 3);
}

static inline void al_jw_key(struct al_jw *w, const char *key)
{
  al_jw_key_len(w, key, strlen(key));
}
/* Opens an object (object = 1) or array; al_jw_close closes the innermost.
 * Nesting deeper than AL_JW_DEPTH sets rc to AL_E_INTERNAL. */
void al_jw_open(struct al_jw *w, int object);
void al_jw_close(struct al_jw *w);

/* A cleaned copy of 's' as a string; null when 's' is NULL. */
void al_jw_string(struct al_jw *w, const char *s);
/* The same, "" when 's' is NULL. */
void al_jw_text(struct al_jw *w, const char *s);
void al_jw_null(struct al_jw *w);
void al_jw_bool(struct al_jw *w, int v);
void al_jw_count(struct al_jw *w, size_t n);
/* As cJSON printed numbers; NaN and infinities become null. */
void al_jw_number(struct al_jw *w, double v);

#endif
