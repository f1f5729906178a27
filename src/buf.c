/* buf.c - growable byte buffer (see buf.h). Grows geometrically so appending
 * a body byte by byte stays linear. */
#include "buf.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
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

enum al_code al_buf_append_growing(struct al_buf *b, const void *data,
                                   size_t len)
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

size_t al_fmt_uint(char *out, unsigned long long v)
{
  char rev[AL_UINT_DIGITS];
  size_t n = 0;
  do {
    rev[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  for (size_t i = 0; i < n; i++)
    out[i] = rev[n - 1 - i];
  return n;
}

size_t al_fmt_int(char *out, long long v)
{
  size_t n = 0;
  if (v < 0)
    out[n++] = '-';
  /* In unsigned arithmetic, where the magnitude of LLONG_MIN fits. */
  return n + al_fmt_uint(out + n, v < 0 ? 0ull - (unsigned long long)v
                                        : (unsigned long long)v);
}

enum al_code al_buf_append_int(struct al_buf *b, long long v)
{
  char text[1 + AL_UINT_DIGITS];
  return al_buf_append(b, text, al_fmt_int(text, v));
}

/* 'v' (0 <= v < 2^53 / 2000) in thousandths, rounded as printf rounds: to
 * the nearest, a tie to even. Exact: the double is m * 2^-s (m an integer
 * below 2^53), so v * 2000 = m * 2000 * 2^-s, and m * 2000 fits in 64 bits.
 * Its whole part q counts half-thousandths: q odd means at or past the
 * half, a tie when nothing is left below. */
static unsigned long long round_thousandths(double v)
{
  _Static_assert(sizeof(double) == 8 && sizeof(uint64_t) == 8,
                 "IEEE 754 binary64 doubles");
  uint64_t bits;
  memcpy(&bits, &v, sizeof bits);
  int biased = (int)((bits >> 52) & 0x7ff);
  uint64_t m = bits & ((1ull << 52) - 1);
  int shift; /* v = m * 2^-shift */
  if (biased == 0) {
    shift = 1074; /* subnormal */
  } else {
    m |= 1ull << 52;
    shift = 1075 - biased;
  }
  uint64_t scaled = m * 2000u; /* < 2^64 */
  uint64_t q, rest;
  if (shift <= 0) { /* not reached below 2^53 / 2000, kept exact anyway */
    q = scaled << -shift;
    rest = 0;
  } else if (shift >= 64) {
    q = 0;
    rest = scaled;
  } else {
    q = scaled >> shift;
    rest = scaled & ((1ull << shift) - 1);
  }
  unsigned long long k = q >> 1; /* whole thousandths */
  if ((q & 1) && (rest != 0 || (k & 1)))
    k++;
  return k;
}

enum al_code al_buf_append_fixed3(struct al_buf *b, double v)
{
  if (!(v >= 0.0 && v < 1e12) || (v == 0.0 && signbit(v)))
    return al_buf_printf(b, "%.3f", v);
  unsigned long long k = round_thousandths(v);
  char text[AL_UINT_DIGITS + 4];
  size_t n = al_fmt_uint(text, k / 1000);
  unsigned frac = (unsigned)(k % 1000);
  text[n++] = '.';
  text[n++] = (char)('0' + frac / 100);
  text[n++] = (char)('0' + frac / 10 % 10);
  text[n++] = (char)('0' + frac % 10);
  return al_buf_append(b, text, n);
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

/* Reads 'f' to its end onto 'out', straight into the buffer's room (which
 * doubles), never more than max + 1 bytes: the one past 'max' shows the file
 * is too large without reading the rest of it. */
static enum al_read read_stream(struct al_buf *out, FILE *f, size_t max)
{
  for (;;) {
    if (al_buf_reserve(out, 65536) != AL_OK)
      return AL_READ_NOMEM;
    size_t room = out->cap - out->len - 1;
    size_t left = max - out->len;
    if (room > left)
      room = left + 1;
    size_t got = fread(out->data + out->len, 1, room, f);
    out->len += got;
    out->data[out->len] = '\0';
    if (out->len > max)
      return AL_READ_TOO_LARGE;
    if (got == 0)
      return ferror(f) ? AL_READ_CANNOT_READ : AL_READ_OK;
  }
}

enum al_read al_buf_read_file(struct al_buf *out, const char *path, size_t max)
{
  al_buf_reset(out);
  FILE *f = fopen(path, "rb");
  if (!f)
    return AL_READ_CANNOT_OPEN;
  enum al_read res = read_stream(out, f, max);
  int saved = errno; /* fclose and free may change it; the caller needs it */
  fclose(f);
  if (res != AL_READ_OK)
    al_buf_cleanup(out);
  errno = saved;
  return res;
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

/* ASCII only, whatever the locale: header names and the words looked for
 * in them are ASCII, and tolower() costs a call per byte. */
static unsigned char ascii_lower(unsigned char c)
{
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

const char *al_memcasemem(const char *hay, size_t len, const char *needle)
{
  size_t n = strlen(needle);
  if (n == 0)
    return hay;
  unsigned char first = ascii_lower((unsigned char)needle[0]);
  for (size_t i = 0; n <= len && i <= len - n; i++) {
    if (ascii_lower((unsigned char)hay[i]) != first)
      continue;
    size_t k = 1;
    while (k < n && ascii_lower((unsigned char)hay[i + k]) ==
                        ascii_lower((unsigned char)needle[k]))
      k++;
    if (k == n)
      return hay + i;
  }
  return NULL;
}

int al_strcaseeq_rest(const char *a, const char *b)
{
  for (; *a && *b; a++, b++) {
    if (*a != *b &&
        ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
      return 0;
  }
  return *a == *b;
}

size_t al_utf8_decode(const unsigned char *s, size_t left, unsigned *cp)
{
  unsigned char b = s[0];
  size_t n;
  unsigned lo = 0x80, hi = 0xBF;
  if (b < 0x80) {
    *cp = b;
    return 1;
  }
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
    *cp = b & 0x1Fu;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    *cp = b & 0x0Fu;
    if (b == 0xE0)
      lo = 0xA0;
    else if (b == 0xED)
      hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    *cp = b & 0x07u;
    if (b == 0xF0)
      lo = 0x90;
    else if (b == 0xF4)
      hi = 0x8F;
  } else {
    return 0;
  }
  if (left < n)
    return 0;
  for (size_t i = 1; i < n; i++) {
    unsigned char c = s[i];
    if (i == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF))
      return 0;
    *cp = (*cp << 6) | (c & 0x3Fu);
  }
  return n;
}

int al_utf8_valid(const char *s, size_t len, size_t *bad)
{
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < len;) {
    if (u[i] < 0x80) { /* a whole character: most bytes of most texts */
      i++;
      continue;
    }
    unsigned cp;
    size_t step = al_utf8_decode(u + i, len - i, &cp);
    if (step == 0) {
      if (bad)
        *bad = i;
      return 0;
    }
    i += step;
  }
  return 1;
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
