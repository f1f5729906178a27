/* buf.h - a growable byte buffer, always NUL-terminated so text can be used
 * as a C string. Used by every module that builds text or collects bytes. */
#ifndef AL_BUF_H
#define AL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "common.h"

struct al_buf {
  char *data; /* owned; NULL until the first append; data[len] == '\0' */
  size_t len;
  size_t cap;
};

/* Caller's storage: init before use, cleanup after. */
void al_buf_init(struct al_buf *b);
void al_buf_cleanup(struct al_buf *b);
/* Empties the buffer, keeps its memory. */
void al_buf_reset(struct al_buf *b);
/* Makes room for 'extra' more bytes (and the NUL) without changing the
 * contents, so a caller that knows its size grows the buffer once. */
enum al_code al_buf_reserve(struct al_buf *b, size_t extra);
/* al_buf_append when the room is short: grows, then appends (buf.c). */
enum al_code al_buf_append_growing(struct al_buf *b, const void *data,
                                   size_t len);
/* Appends 'len' bytes of 'data'. Inline while there is room: reports are
 * written as many short pieces, and a call a piece cost more than the
 * copy. */
static inline enum al_code al_buf_append(struct al_buf *b, const void *data,
                                         size_t len)
{
  if (b->cap - b->len <= len) /* no room for the bytes and the NUL */
    return al_buf_append_growing(b, data, len);
  if (len)
    memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
  return AL_OK;
}
enum al_code al_buf_append_str(struct al_buf *b, const char *s);
enum al_code al_buf_append_char(struct al_buf *b, char c);
enum al_code al_buf_printf(struct al_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
enum al_code al_buf_vprintf(struct al_buf *b, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 0)))
#endif
    ;

/* Hands the bytes to the caller (free() them); the buffer is left empty.
 * Never returns NULL unless out of memory: an empty buffer gives "". */
char *al_buf_detach(struct al_buf *b);
/* The contents as a C string; "" when empty. Borrowed until the next change. */
const char *al_buf_str(const struct al_buf *b);

/* Writes the decimal digits of 'v' to 'out' as %llu prints them, without
 * a NUL, and returns how many: for reports, which print many numbers and
 * where printf cost more than the rest of a number's writing. 'out' has
 * room for AL_UINT_DIGITS bytes. */
#define AL_UINT_DIGITS 20
size_t al_fmt_uint(char *out, unsigned long long v);
/* The same for a signed 'v', as %lld prints it: room for 1 + AL_UINT_DIGITS. */
size_t al_fmt_int(char *out, long long v);
/* Appends 'v' in decimal, the bytes printf's "%lld" prints. */
enum al_code al_buf_append_int(struct al_buf *b, long long v);
/* Appends 'v' as printf's "%.3f" prints it, to the byte: the exact value
 * of the double rounded to thousandths, a tie to the even one. Without
 * printf for 0 <= v < 1e12 (times in seconds); printf itself otherwise. */
enum al_code al_buf_append_fixed3(struct al_buf *b, double v);

/* What al_buf_read_file found. */
enum al_read {
  AL_READ_OK,
  AL_READ_CANNOT_OPEN, /* fopen failed; errno says why */
  AL_READ_CANNOT_READ, /* a read failed (a directory, EIO); errno says why */
  AL_READ_TOO_LARGE,   /* more than 'max' bytes */
  AL_READ_NOMEM
};
/* The whole file at 'path' into 'out' (its contents replaced; NUL-terminated
 * as always), at most 'max' bytes. On any result but AL_READ_OK 'out' is
 * left as al_buf_init leaves it (nothing to clean up) and, for the two errno
 * results, errno is the failing call's, so the caller words its own message
 * with strerror(errno). */
enum al_read al_buf_read_file(struct al_buf *out, const char *path, size_t max);

/* strdup that returns NULL for NULL. */
char *al_strdup(const char *s);
char *al_strndup(const char *s, size_t n);
/* al_strcaseeq past the first bytes, which the caller found equal in any
 * case (buf.c). */
int al_strcaseeq_rest(const char *a, const char *b);
/* Case-insensitive ASCII compare, for header names: 1 when equal (two
 * NULLs are, a NULL and a string are not). Inline up to the first byte:
 * most names that differ differ there, and the checks ask every field of
 * every response for several names. */
static inline int al_strcaseeq(const char *a, const char *b)
{
  if (!a || !b)
    return a == b;
  unsigned char x = (unsigned char)a[0], y = (unsigned char)b[0];
  if (x != y && (x >= 'A' && x <= 'Z' ? x + 32 : x) !=
                    (y >= 'A' && y <= 'Z' ? y + 32 : y))
    return 0;
  return al_strcaseeq_rest(a, b);
}
/* The first place in hay[0..len) where 'needle' occurs, ignoring ASCII
 * case, or NULL. Borrowed from 'hay'. */
const char *al_memcasemem(const char *hay, size_t len, const char *needle);

/* Length of the well-formed UTF-8 sequence at 's' (at most 'left' bytes,
 * left > 0) and its code point in *cp, or 0 when the bytes there are not
 * well-formed UTF-8 (RFC 3629: overlong forms, surrogates and values past
 * U+10FFFF included). */
size_t al_utf8_decode(const unsigned char *s, size_t left, unsigned *cp);
/* 1 when s[0..len) is well-formed UTF-8; else 0 with the offset of the
 * first bad byte in *bad (when 'bad' is not NULL). */
int al_utf8_valid(const char *s, size_t len, size_t *bad);

/* Decodes base64 (standard or URL-safe alphabet, padding optional, stops
 * at the first '=') from in[0..len) into 'out', which has room for at
 * least len * 3 / 4 + 1 bytes. Returns the decoded length, or (size_t)-1
 * when a byte is not base64 (then 'out' holds garbage). */
size_t al_base64_decode(const char *in, size_t len, char *out);

#endif
