/* buf.c - growable byte buffer (see buf.h). Grows geometrically so appending
 * a body byte by byte stays linear. */
#include "buf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void al_buf_init(struct al_buf *b)
{
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
}

void al_buf_cleanup(struct al_buf *b)
{
  free(b->data);
  al_buf_init(b);
}

void al_buf_reset(struct al_buf *b)
{
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

enum al_code al_buf_reserve(struct al_buf *b, size_t extra)
{
  if (extra > (size_t)-1 - b->len - 1)
    return AL_E_NOMEM;
  size_t need = b->len + extra + 1;
  if (need <= b->cap)
    return AL_OK;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need)
    cap = cap > (size_t)-1 / 2 ? need : cap * 2;
  char *data = realloc(b->data, cap);
  if (!data)
    return AL_E_NOMEM;
  b->data = data;
  b->cap = cap;
  b->data[b->len] = '\0'; /* a new buffer is "" from the start */
  return AL_OK;
}

enum al_code al_buf_append(struct al_buf *b, const void *data, size_t len)
{
  if (al_buf_reserve(b, len) != AL_OK)
    return AL_E_NOMEM;
  if (len)
    memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
  return AL_OK;
}

enum al_code al_buf_append_str(struct al_buf *b, const char *s)
{
  return al_buf_append(b, s, strlen(s));
}

enum al_code al_buf_append_char(struct al_buf *b, char c)
{
  if (b->len + 1 >= b->cap && al_buf_reserve(b, 1) != AL_OK)
    return AL_E_NOMEM;
  b->data[b->len++] = c;
  b->data[b->len] = '\0';
  return AL_OK;
}

/* Formats into the room already there and only on overflow grows and
 * formats again: reports print many short pieces, and measuring each one
 * first cost a second vsnprintf every time. */
enum al_code al_buf_vprintf(struct al_buf *b, const char *fmt, va_list ap)
{
  va_list copy;
  va_copy(copy, ap);
  size_t room = b->cap > b->len ? b->cap - b->len : 0;
  int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, copy);
  va_end(copy);
  if (n < 0) {
    if (b->data)
      b->data[b->len] = '\0';
    return AL_E_INTERNAL;
  }
  if ((size_t)n >= room) {
    if (al_buf_reserve(b, (size_t)n) != AL_OK) {
      if (b->data)
        b->data[b->len] = '\0';
      return AL_E_NOMEM;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  }
  b->len += (size_t)n;
  return AL_OK;
}

enum al_code al_buf_printf(struct al_buf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  enum al_code rc = al_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return rc;
}

char *al_buf_detach(struct al_buf *b)
{
  char *data = b->data;
  if (!data)
    data = calloc(1, 1);
  al_buf_init(b);
  return data;
}

const char *al_buf_str(const struct al_buf *b)
{
  return b->data ? b->data : "";
}

char *al_strdup(const char *s)
{
  return s ? al_strndup(s, strlen(s)) : NULL;
}

char *al_strndup(const char *s, size_t n)
{
  if (!s)
    return NULL;
  size_t len = strnlen(s, n);
  char *copy = malloc(len + 1);
  if (!copy)
    return NULL;
  memcpy(copy, s, len);
  copy[len] = '\0';
  return copy;
}

const char *al_memcasemem(const char *hay, size_t len, const char *needle)
{
  size_t n = strlen(needle);
  for (size_t i = 0; n <= len && i <= len - n; i++) {
    size_t k = 0;
    while (k < n && tolower((unsigned char)hay[i + k]) ==
                        tolower((unsigned char)needle[k]))
      k++;
    if (k == n)
      return hay + i;
  }
  return NULL;
}

int al_strcaseeq(const char *a, const char *b)
{
  if (!a || !b)
    return a == b;
  for (; *a && *b; a++, b++) {
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
      return 0;
  }
  return *a == *b;
}

static int b64_digit(char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+' || c == '-')
    return 62;
  if (c == '/' || c == '_')
    return 63;
  return -1;
}

size_t al_base64_decode(const char *in, size_t len, char *out)
{
  size_t n = 0;
  unsigned acc = 0;
  int bits = 0;
  for (size_t i = 0; i < len && in[i] != '='; i++) {
    int d = b64_digit(in[i]);
    if (d < 0)
      return (size_t)-1;
    acc = ((acc << 6) | (unsigned)d) & 0xFFFFFFu;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (char)((acc >> bits) & 0xFFu);
    }
  }
  return n;
}
