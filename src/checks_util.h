/* checks_util.h - private to the named C checks (checks*.c): the helpers
 * more than one of them needs. Evidence and quotes are built here so every
 * check cuts and flattens them the same way: one report line each, never
 * split inside a UTF-8 character. Nothing here keeps state. */
#ifndef AL_CHECKS_UTIL_H
#define AL_CHECKS_UTIL_H

#include <stddef.h>

#include "buf.h"
#include "headers.h"
#include "request.h"
#include "response.h"

#define EXCERPT_MAX 120 /* bytes of evidence around a match */
#define QUOTE_MAX 80    /* bytes of a JSON member quoted in a message */

/* Appends up to 'max' bytes of s[0..len) to b on one line: runs of
 * whitespace and control bytes become one space, "..." marks a cut. */
enum al_code al_cu_one_line(struct al_buf *b, const char *s, size_t len,
                            size_t max);
/* A new one-line excerpt of text[from..to), at most EXCERPT_MAX bytes,
 * with "..." where it was cut; NULL when out of memory. Caller frees. */
char *al_cu_excerpt(const char *text, size_t len, size_t from, size_t to);
/* 1 if 'name' equals an entry of the NULL-ended 'list', ignoring ASCII
 * case (header names). */
int al_cu_name_in(const char *name, const char *const *list);
/* A field name and its length, for lists searched field by field. */
struct al_cu_name {
  const char *name;
  size_t len;
};
#define AL_CU_NAME(literal)                                                    \
  {                                                                            \
    (literal), sizeof(literal) - 1                                             \
  }
/* The index of the entry of list[0..n) that names field f (ignoring ASCII
 * case), or -1. */
int al_cu_field_index(const struct al_header *f, const struct al_cu_name *list,
                      size_t n);
/* Every field value of 'name' joined by ", ", or NULL when absent (or out
 * of memory: then *oom is set to 1). Caller frees. */
char *al_cu_header_joined(const struct al_headers *h, const char *name,
                          int *oom);

/* RFC 9110 §5.6 scanners over a NUL-ended s from index i: */
/* The index after any spaces and tabs. */
size_t al_cu_skip_ows(const char *s, size_t i);
/* The index after a run of tchar bytes (i itself when there is none). */
size_t al_cu_scan_token(const char *s, size_t i);
/* For s[i] == '"': the index after the closing quote, or 0 when it is not
 * a quoted-string (unterminated, control byte). */
size_t al_cu_scan_quoted(const char *s, size_t i);
/* "type/subtype" of a Content-Type value, lower-cased, parameters dropped,
 * into out[size]. 0 when it is not a media type (empty, no '/', too
 * long). */
int al_cu_media_type_of(const char *value, char *out, size_t size);
/* The response's Content-Type value, with its media type written as above
 * into out[size]; NULL (out undefined) when it has none or it is not a
 * media type. Points into res. */
const char *al_cu_response_media_type(const struct al_response *res, char *out,
                                      size_t size);
/* 1 when the response's Content-Type labels a representation: body bytes
 * arrived, or, for an answer to HEAD (which carries no body), its
 * Content-Length is above 0. A Content-Type over zero bytes (Flask's
 * automatic OPTIONS answer: 200, text/html, Content-Length: 0; an empty
 * 201) labels nothing (RFC 9110 §6.4, §8.3): rules that judge what the
 * Content-Type says about the content stay quiet then. 'req' may be NULL
 * (not HEAD). Unlike al_response_has_content_signal (any sign of content,
 * for the bodyless statuses), a Transfer-Encoding with an empty body is
 * no representation here. */
int al_cu_labels_content(const struct al_request *req,
                         const struct al_response *res);

#endif
