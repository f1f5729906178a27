/* json_body.h - a response body read as JSON, parsed at most once per
 * evaluation: the engine makes one view per judged response (of the body
 * the checks see, secrets already masked) and every check that reads the
 * body as JSON asks the view, so five checks mean one parse, not five.
 * Parsing is lazy: a response no check reads as JSON is never parsed.
 *
 * What is JSON follows RFC 8259: the body without a UTF-8 BOM and
 * surrounding JSON whitespace; a lone-surrogate escape (§8.2 allows it,
 * cJSON refuses it) is read as U+FFFD; nesting deeper than cJSON takes
 * (CJSON_NESTING_LIMIT) cannot be judged. */
#ifndef AL_JSON_BODY_H
#define AL_JSON_BODY_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "buf.h"

struct al_json_body {
  const struct al_buf *body; /* borrowed; must outlive the view */
  int state;                 /* private: what has been worked out */
  char *text;  /* private, owned: the judgeable copy of the core */
  cJSON *root; /* private, owned: the first value, whatever follows it */
  size_t len;  /* private: bytes in text */
  size_t next; /* private: offset in text after the first value and the
                  whitespace behind it */
  int count;   /* private: al_json_body_count's answer once known */
};

/* A view of 'body' (borrowed; may be empty). Nothing is parsed yet. */
void al_json_body_init(struct al_json_body *j, const struct al_buf *body);
/* Frees what the view parsed; the view can be initialised again. */
void al_json_body_cleanup(struct al_json_body *j);

/* The body without a UTF-8 BOM and surrounding JSON whitespace, into
 * (*s, *n); *s points into 'body' ("" when nothing is left). Returns 0 when
 * nothing is left (no body, or only whitespace). Parses nothing. */
int al_json_body_core(const struct al_buf *body, const char **s, size_t *n);

/* The core parsed as exactly one JSON value of any type, or NULL: not JSON,
 * several values in a row, nested too deep, or out of memory. Owned by the
 * view (valid until al_json_body_cleanup); the first call parses. */
const cJSON *al_json_body_value(struct al_json_body *j);

/* How many JSON values the core holds one after the other with only
 * whitespace between (a stream of them is what NDJSON and Docker's
 * progress stream send): 0 when it is not such a sequence (or empty), 1,
 * or 2 for two or more (counting stops there); -1 when that cannot be told
 * (nested too deep; out of memory). */
int al_json_body_count(struct al_json_body *j);

#endif
