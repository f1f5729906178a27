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

/* A member's key (plain ASCII, ours: not escaped) on its own line in the
 * innermost object; the value follows with one of the calls below. */
void al_jw_key_len(struct al_jw *w, const char *key, size_t len);
/* Inline so that the length of a literal key is known where it is
 * written: reports write tens of keys an endpoint. */
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
