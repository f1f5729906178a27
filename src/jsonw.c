/* jsonw.c - the streaming JSON writer of the reports (jsonw.h). */
#include "jsonw.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"
#include "report.h"

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define JW_SSE2 1
#endif

void al_jw_init(struct al_jw *w, struct al_buf *out,
                const struct al_report *report, int indent)
{
  memset(w, 0, sizeof *w);
  w->out = out;
  w->report = report;
  w->indent = indent;
  w->rc = AL_OK;
}

static inline void jw_put(struct al_jw *w, const char *s, size_t len)
{
  char *p = al_jw_room(w, len);
  if (p) {
    memcpy(p, s, len);
    al_jw_commit(w, p + len);
  }
}

void al_jw_put(struct al_jw *w, const char *s, size_t len)
{
  jw_put(w, s, len);
}

void al_jw_puts(struct al_jw *w, const char *s)
{
  jw_put(w, s, strlen(s));
}

static int jw_tab_count(const struct al_jw *w)
{
  int n = w->indent + w->depth;
  return n < 16 ? n : 16;
}

/* Before a value: inside an array, the separator from the one before. */
static inline void jw_value(struct al_jw *w)
{
  if (w->depth > 0 && !w->is_object[w->depth - 1] &&
      w->count[w->depth - 1]++ > 0)
    jw_put(w, ", ", 2);
}

void al_jw_value_text(struct al_jw *w, const char *text, size_t len)
{
  jw_value(w);
  jw_put(w, text, len);
}

void al_jw_members_text(struct al_jw *w, const char *text, size_t len,
                        size_t members)
{
  if (w->depth > 0)
    w->count[w->depth - 1] += members;
  jw_put(w, text, len);
}

void al_jw_open(struct al_jw *w, int object)
{
  jw_value(w);
  if (w->depth == AL_JW_DEPTH) {
    w->rc = AL_E_INTERNAL;
    return;
  }
  jw_put(w, object ? "{" : "[", 1);
  w->count[w->depth] = 0;
  w->is_object[w->depth] = object;
  w->depth++;
}

void al_jw_close(struct al_jw *w)
{
  if (w->depth == 0)
    return;
  w->depth--;
  if (!w->is_object[w->depth]) {
    jw_put(w, "]", 1);
    return;
  }
  if (w->count[w->depth]) {
    static const char tabs[] = "\n\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
    jw_put(w, tabs, 1 + (size_t)jw_tab_count(w));
  }
  jw_put(w, "}", 1);
}

/* The escape of byte 'c' in a JSON string at 'p' (room for 6), as cJSON
 * wrote it: the named escapes, else \u00XX. Returns the end. */
static char *jw_escape(char *p, unsigned char c)
{
  static const char hex[] = "0123456789abcdef";
  *p++ = '\\';
  switch (c) {
  case '"':
  case '\\':
    *p++ = (char)c;
    break;
  case '\b':
    *p++ = 'b';
    break;
  case '\f':
    *p++ = 'f';
    break;
  case '\n':
    *p++ = 'n';
    break;
  case '\r':
    *p++ = 'r';
    break;
  case '\t':
    *p++ = 't';
    break;
  default:
    memcpy(p, "u00", 3);
    p[3] = hex[c >> 4];
    p[4] = hex[c & 15];
    p += 5;
  }
  return p;
}

/* 's' as a JSON string, escaped as cJSON did: quote, backslash, the named
 * control escapes and \u00XX for the other control bytes; UTF-8 as is. */
static void jw_raw_string(struct al_jw *w, const char *s, size_t len)
{
  jw_put(w, "\"", 1);
  size_t run = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    jw_put(w, s + run, i - run);
    run = i + 1;
    char *p = al_jw_room(w, 6);
    if (p)
      al_jw_commit(w, jw_escape(p, c));
  }
  jw_put(w, s + run, len - run);
  jw_put(w, "\"", 1);
}

/* What a byte of a string asks of the writer. A string made only of COPY
 * and ESCAPE bytes and of UTF-8 sequences cleaning keeps is written as it
 * is; any SLOW byte (a control byte cleaning replaces, or the first byte of
 * a secret value, which may start a secret there) sends the whole string
 * through al_report_clean. END is the string's terminating NUL. */
enum { JW_COPY, JW_ESCAPE, JW_UTF8, JW_SLOW, JW_END };

/* Marks 'c' as a byte a secret value starts with. The scan of jw_copy_run
 * already stops at every byte outside printable ASCII; the printable ones
 * it must look for are listed, as long as they fit. */
static void jw_add_start(struct al_jw *w, unsigned char c)
{
  w->classes[c] = JW_SLOW;
  if (c < 0x20 || c >= 0x7f || w->start_count < 0)
    return;
  if (w->start_count == (int)sizeof w->starts)
    w->start_count = -1;
  else
    w->starts[w->start_count++] = c;
}

/* Fills w->classes for the redactor's values as they are now. */
static void jw_classes(struct al_jw *w)
{
  const struct al_redactor *r = w->report ? w->report->redactor : NULL;
  size_t values = r ? r->value_count : 0;
  unsigned char *k = w->classes;
  if (w->classes_ready && w->classes_values == values)
    return;
  memset(k, JW_SLOW, 0x20);
  memset(k + 0x20, JW_COPY, 0x7f - 0x20);
  memset(k + 0x7f, JW_SLOW, 1);
  memset(k + 0x80, JW_UTF8, 0x80);
  k['\t'] = k['\n'] = k['\r'] = k['"'] = k['\\'] = JW_ESCAPE;
  k[0] = JW_END;
  /* Few bytes start a secret: look at the table eight bytes at a time
   * (a writer is made for every endpoint of every report). */
  w->start_count = 0;
  for (size_t c = 0; values && c < 256; c += 8) {
    uint64_t eight;
    memcpy(&eight, r->starts + c, sizeof eight);
    for (size_t i = c; eight && i < c + 8; i++)
      if (i > 0 && r->starts[i]) /* a value never starts with NUL */
        jw_add_start(w, (unsigned char)i);
  }
  w->classes_values = values;
  w->classes_ready = 1;
}

/* The length of the UTF-8 sequence at 's' (NUL-terminated) when cleaning
 * keeps it (well-formed, a code point shown as is, no byte of it where a
 * secret could start), else 0. */
static size_t jw_kept_utf8(const struct al_jw *w, const unsigned char *s)
{
  unsigned cp;
  size_t n = al_utf8_decode(s, strnlen((const char *)s, 4), &cp);
  if (n == 0 || !al_report_shows_code_point(cp))
    return 0;
  for (size_t i = 1; i < n; i++)
    if (w->classes[s[i]] == JW_SLOW)
      return 0;
  return n;
}

#ifdef JW_SSE2
/* A mask of the bytes of 'x' that are not JW_COPY: outside printable
 * ASCII (the signed compare takes bytes from 0x80 as below 0x20), DEL, a
 * quote, a backslash, or a byte in w->starts. */
static inline unsigned jw_stops16(const struct al_jw *w, __m128i x)
{
  __m128i stop = _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
                              _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f)));
  stop = _mm_or_si128(stop, _mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
  stop = _mm_or_si128(stop, _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
  for (int k = 0; k < w->start_count; k++)
    stop = _mm_or_si128(stop,
                        _mm_cmpeq_epi8(x, _mm_set1_epi8((char)w->starts[k])));
  return (unsigned)_mm_movemask_epi8(stop);
}
#endif

/* Where the run of JW_COPY bytes of 'u' (of 'len' bytes) from 'i' ends:
 * the next byte that asks for more than a copy, or 'len'. Every string of
 * every report goes through here: sixteen bytes a step where it can. */
static inline size_t jw_copy_run(const struct al_jw *w, const unsigned char *u,
                                 size_t i, size_t len)
{
#ifdef JW_SSE2
  if (w->start_count >= 0) {
    for (; i + 16 <= len; i += 16) {
      unsigned m = jw_stops16(
          w, _mm_loadu_si128((const __m128i *)(const void *)(u + i)));
      if (m)
        return i + (size_t)__builtin_ctz(m);
    }
    if (i == len)
      return i;
    /* The last bytes, in a copy padded with NULs (which stop the scan): a
     * load past the string's end could cross into an unmapped page. */
    unsigned char tail[16] = {0};
    memcpy(tail, u + i, len - i);
    unsigned m = jw_stops16(w, _mm_loadu_si128((const __m128i *)(void *)tail));
    return i + (size_t)__builtin_ctz(m); /* the first NUL at the latest */
  }
#endif
  while (i < len && w->classes[u[i]] == JW_COPY)
    i++;
  return i;
}

/* Writes 's' as a JSON string when cleaning would leave it as it is,
 * copying each run of plain bytes at once, and returns 1 (also after a
 * failure, which rc keeps); else writes nothing and returns 0. The bytes
 * are those of al_report_clean then jw_raw_string. */
static int jw_kept_string(struct al_jw *w, const char *s, size_t len)
{
  const unsigned char *k = w->classes;
  const unsigned char *u = (const unsigned char *)s;
  size_t mark = w->out->len;
  size_t run = 0, i = 0;
  int opened = 0; /* the opening quote comes with the first piece */
  for (;;) {
    i = jw_copy_run(w, u, i, len);
    unsigned char c = i < len ? k[u[i]] : JW_END;
    size_t n = c == JW_UTF8 ? jw_kept_utf8(w, u + i) : 0;
    if (n) {
      i += n;
      continue;
    }
    if (c == JW_UTF8 || c == JW_SLOW)
      break;
    /* The run, then the escape or the closing quote. */
    char *p = al_jw_room(w, 1 + i - run + 2);
    if (!p)
      return 1;
    if (!opened)
      *p++ = '"';
    opened = 1;
    memcpy(p, s + run, i - run);
    p += i - run;
    if (c == JW_END) {
      *p++ = '"';
      al_jw_commit(w, p);
      return 1;
    }
    al_jw_commit(w, jw_escape(p, u[i]));
    run = ++i;
  }
  if (opened) /* an escape went out: take it back */
    al_jw_commit(w, w->out->data + mark);
  return 0;
}

/* A cleaned copy of 's' (secrets masked, valid UTF-8) as a string, or
 * null when 's' is NULL. */
void al_jw_string(struct al_jw *w, const char *s)
{
  jw_value(w);
  if (!s) {
    jw_put(w, "null", 4);
    return;
  }
  jw_classes(w);
  size_t len = strlen(s);
  if (jw_kept_string(w, s, len))
    return;
  char *clean = al_report_clean(w->report, s, len, 0);
  if (!clean) {
    if (w->rc == AL_OK)
      w->rc = AL_E_NOMEM;
    return;
  }
  jw_raw_string(w, clean, strlen(clean));
  free(clean);
}

/* A cleaned copy of 's' as a string, "" when 's' is NULL. */
void al_jw_text(struct al_jw *w, const char *s)
{
  al_jw_string(w, s ? s : "");
}

void al_jw_null(struct al_jw *w)
{
  jw_value(w);
  jw_put(w, "null", 4);
}

void al_jw_bool(struct al_jw *w, int v)
{
  jw_value(w);
  if (v)
    jw_put(w, "true", 4);
  else
    jw_put(w, "false", 5);
}

/* 'n' in decimal: one digit written as it is (most counts of a report:
 * indexes, attempts, zeros), longer ones by al_fmt_uint. */
static void jw_uint(struct al_jw *w, unsigned long long n)
{
  char num[AL_UINT_DIGITS];
  if (n < 10) {
    char *p = al_jw_room(w, 1);
    if (p) {
      *p = (char)('0' + n);
      al_jw_commit(w, p + 1);
    }
    return;
  }
  jw_put(w, num, al_fmt_uint(num, n));
}

void al_jw_count(struct al_jw *w, size_t n)
{
  jw_value(w);
  jw_uint(w, n);
}

/* 'v' as %.15g prints it when 'v' is the double nearest a whole number k
 * of thousandths (how times are kept: microseconds / 1000) with |v| < 1e12
 * and a fraction: the decimal k / 1000 itself, trailing zeros dropped. It
 * has at most 15 significant digits, so %.15g gives it back exactly
 * (DBL_DIG) and it reads back as 'v' (the nearest double to it), which
 * is what al_jw_number would check. Returns its length, or 0 for any
 * other 'v'. */
static size_t jw_thousandths(double v, char *num)
{
  if (!(v < 1e12 && v > -1e12))
    return 0;
  double scaled = v * 1000.0;
  long long k = (long long)(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
  if ((double)k / 1000.0 != v || k % 1000 == 0)
    return 0;
  unsigned long long mag =
      k < 0 ? 0ULL - (unsigned long long)k : (unsigned long long)k;
  unsigned frac = (unsigned)(mag % 1000);
  size_t n = 0;
  if (k < 0)
    num[n++] = '-';
  n += al_fmt_uint(num + n, mag / 1000);
  num[n++] = '.';
  num[n++] = (char)('0' + frac / 100);
  if (frac % 100) {
    num[n++] = (char)('0' + frac / 10 % 10);
    if (frac % 10)
      num[n++] = (char)('0' + frac % 10);
  }
  return n;
}

/* As cJSON printed numbers: an integral value as an integer, else the
 * shortest of %.15g and %.17g that reads back the same. The common shapes
 * (integers, times in thousandths) are formatted here without printf, to
 * the same bytes. */
void al_jw_number(struct al_jw *w, double v)
{
  char num[64];
  size_t n;
  jw_value(w);
  if (!isfinite(v)) { /* NaN, infinity: not JSON */
    jw_put(w, "null", 4);
    return;
  }
  /* The range first: converting a double outside long long's range (1e300)
   * is undefined behaviour, so the cast may only see |v| < 1e15. */
  if (v < 1e15 && v > -1e15 && v == (double)(long long)v) {
    if (v >= 0) { /* (-0.0 too: "0", as %lld prints it) */
      jw_uint(w, (unsigned long long)v);
      return;
    }
    n = al_fmt_int(num, (long long)v); /* as %lld prints it */
  } else if ((n = jw_thousandths(v, num)) == 0) {
    n = (size_t)snprintf(num, sizeof num, "%.15g", v);
    if (strtod(num, NULL) != v)
      n = (size_t)snprintf(num, sizeof num, "%.17g", v);
  }
  jw_put(w, num, n);
}
