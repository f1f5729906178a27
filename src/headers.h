/* headers.h - an ordered list of HTTP header fields. Order and repeats are
 * kept because they are evidence (two Content-Length fields, a repeated
 * WWW-Authenticate). Names compare case-insensitively. */
#ifndef AL_HEADERS_H
#define AL_HEADERS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "common.h"

/* One allocation holds both strings, the value right after the name's NUL
 * (a response's fields cost one allocation each, not two): free 'name'
 * frees the field; change them only through the functions below. */
struct al_header {
  char *name;  /* owned; as received/written, case kept */
  char *value; /* in name's allocation; surrounding whitespace trimmed */
};

struct al_headers {
  struct al_header *items; /* owned */
  size_t count;
  size_t cap;
};

void al_headers_init(struct al_headers *h);
void al_headers_cleanup(struct al_headers *h);
/* Appends a copy of name/value (value may be NULL for ""). */
enum al_code al_headers_add(struct al_headers *h, const char *name,
                            const char *value);
/* Appends a copy of name_len bytes of 'name' and value_len bytes of
 * 'value' (each ends early at a NUL, as al_strndup). */
enum al_code al_headers_add_len(struct al_headers *h, const char *name,
                                size_t name_len, const char *value,
                                size_t value_len);
/* Replaces every field named 'name' with one field (appended if absent). */
enum al_code al_headers_set(struct al_headers *h, const char *name,
                            const char *value);
/* Appends " " and len bytes of 'text' to the last field's value (an
 * obs-fold continuation line, RFC 9112 5.2). There must be a field. */
enum al_code al_headers_extend_last(struct al_headers *h, const char *text,
                                    size_t len);
/* Removes every field named 'name'. */
void al_headers_remove(struct al_headers *h, const char *name);
/* Copies every field of 'src' to the end of 'dst'. */
enum al_code al_headers_copy(struct al_headers *dst,
                             const struct al_headers *src);
/* The value of the first field named 'name', or NULL. Borrowed. */
const char *al_headers_get(const struct al_headers *h, const char *name);
/* How many fields are named 'name'. */
size_t al_headers_count(const struct al_headers *h, const char *name);
/* 1 when the field named by the first 'len' bytes of 'name' (any case)
 * frames the message (Content-Length, Transfer-Encoding: RFC 9112 6): the
 * transfer sets it from the body, and a value a user wrote would make the
 * request hang until the timeout or be cut short. Specs and -H refuse
 * them. */
int al_headers_is_framing(const char *name, size_t len);

/* The length of f's name, free by the layout above (the value starts right
 * after the name's NUL). */
static inline size_t al_header_name_len(const struct al_header *f)
{
  return (size_t)(f->value - f->name) - 1;
}

/* 1 when f is named by the len bytes of 'name', any ASCII case: as
 * al_strcaseeq(f->name, name), but other lengths are turned away without
 * comparing a byte, which matters for the many Content-* names. */
static inline int al_header_named(const struct al_header *f, const char *name,
                                  size_t len)
{
  /* Same bytes (the usual case: both spelled as the RFC does) settle it
   * with one memcmp; otherwise case decides. */
  return al_header_name_len(f) == len &&
         (memcmp(f->name, name, len) == 0 || al_strcaseeq(f->name, name));
}
/* al_header_named with a string literal's length. */
#define AL_HEADER_NAMED(f, literal)                                            \
  al_header_named((f), (literal), sizeof(literal) - 1)

/* RFC 9110 §5.6.2: 1 if c is a tchar (ALPHA, DIGIT, !#$%&'*+-.^_`|~).
 * A bit test, inline: the scanners ask it of every byte of every value. */
/* Bit c of LOW (c < 64: !#$%&'*+-. 0-9), bit c-64 of HIGH (A-Z ^_` a-z |~) */
#define AL_HEADERS_TCHAR_LOW UINT64_C(0x03ff6cfa00000000)
#define AL_HEADERS_TCHAR_HIGH UINT64_C(0x57ffffffc7fffffe)
static inline int al_headers_is_tchar(unsigned char c)
{
  if (c < 64)
    return (int)((AL_HEADERS_TCHAR_LOW >> c) & 1u);
  return c < 128 ? (int)((AL_HEADERS_TCHAR_HIGH >> (c - 64)) & 1u) : 0;
}

/* 1 if s is a token (one or more tchars): a field name or a method. */
int al_headers_is_token(const char *s);

#endif
