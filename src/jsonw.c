/* jsonw.c - the streaming JSON writer of the reports (jsonw.h). */
#include "jsonw.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"
#include "report.h"

void al_jw_init(struct al_jw *w, struct al_buf *out,
                const struct al_report *report, int indent)
{
  memset(w, 0, sizeof *w);
  w->out = out;
  w->report = report;
  w->indent = indent;
  w->rc = AL_OK;
}

/* Room for 'len' more bytes (and the NUL) in the output: where to write
 * them, or NULL after a failure. Reports are made of many short pieces, so
 * the pieces are copied in place rather than appended one call each. */
static inline char *jw_room(struct al_jw *w, size_t len)
{
  struct al_buf *b = w->out;
  if (w->rc != AL_OK)
    return NULL;
  if (b->cap - b->len <= len && (w->rc = al_buf_reserve(b, len)) != AL_OK)
    return NULL;
  return b->data + b->len;
}

/* Ends a piece written at jw_room's pointer: 'end' is just past it. */
static inline void jw_commit(struct al_jw *w, char *end)
{
  struct al_buf *b = w->out;
  b->len = (size_t)(end - b->data);
  *end = '\0';
}

static inline void jw_put(struct al_jw *w, const char *s, size_t len)
{
  char *p = jw_room(w, len);
  if (p) {
    memcpy(p, s, len);
    jw_commit(w, p + len);
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

/* A member's key: its own line in the innermost (object) container,
 * written in one piece. */
void al_jw_key_len(struct al_jw *w, const char *key, size_t len)
{
  static const char tabs[16] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
  if (w->depth == 0)
    return;
  int comma = w->count[w->depth - 1]++ > 0;
  size_t ntabs = (size_t)jw_tab_count(w);
  /* Room for all 16 tabs: copied whole (a fixed-size copy), then the key
   * goes over the ones not wanted. */
  char *p = jw_room(w, 2 + 16 + 1 + len + 3);
  if (!p)
    return;
  if (comma)
    *p++ = ',';
  *p++ = '\n';
  memcpy(p, tabs, sizeof tabs);
  p += ntabs;
  *p++ = '"';
  memcpy(p, key, len);
  p += len;
  memcpy(p, "\":\t", 3);
  jw_commit(w, p + 3);
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
    char *p = jw_room(w, 6);
    if (p)
      jw_commit(w, jw_escape(p, c));
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
  for (size_t c = 0; values && c < 256; c += 8) {
    uint64_t eight;
    memcpy(&eight, r->starts + c, sizeof eight);
    for (size_t i = c; eight && i < c + 8; i++)
      if (i > 0 && r->starts[i]) /* a value never starts with NUL */
        k[i] = JW_SLOW;
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

/* Writes 's' as a JSON string when cleaning would leave it as it is,
 * copying each run of plain bytes at once, and returns 1 (also after a
 * failure, which rc keeps); else writes nothing and returns 0. The bytes
 * are those of al_report_clean then jw_raw_string. */
static int jw_kept_string(struct al_jw *w, const char *s)
{
  const unsigned char *k = w->classes;
  const unsigned char *u = (const unsigned char *)s;
  size_t mark = w->out->len;
  size_t run = 0, i = 0;
  int opened = 0; /* the opening quote comes with the first piece */
  for (;;) {
    while (k[u[i]] == JW_COPY) /* the NUL ends it */
      i++;
    unsigned char c = k[u[i]];
    size_t n = c == JW_UTF8 ? jw_kept_utf8(w, u + i) : 0;
    if (n) {
      i += n;
      continue;
    }
    if (c == JW_UTF8 || c == JW_SLOW)
      break;
    /* The run, then the escape or the closing quote. */
    char *p = jw_room(w, 1 + i - run + 2);
    if (!p)
      return 1;
    if (!opened)
      *p++ = '"';
    opened = 1;
    memcpy(p, s + run, i - run);
    p += i - run;
    if (c == JW_END) {
      *p++ = '"';
      jw_commit(w, p);
      return 1;
    }
    jw_commit(w, jw_escape(p, u[i]));
    run = ++i;
  }
  if (opened) /* an escape went out: take it back */
    jw_commit(w, w->out->data + mark);
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
  if (jw_kept_string(w, s))
    return;
  char *clean = al_report_clean(w->report, s, strlen(s), 0);
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

void al_jw_count(struct al_jw *w, size_t n)
{
  char num[AL_UINT_DIGITS];
  size_t len = al_fmt_uint(num, n);
  jw_value(w);
  jw_put(w, num, len);
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
  if (v < 1e15 && v > -1e15 && v == (double)(long long)v)
    n = al_fmt_int(num, (long long)v); /* as %lld prints it */
  else if ((n = jw_thousandths(v, num)) == 0) {
    n = (size_t)snprintf(num, sizeof num, "%.15g", v);
    if (strtod(num, NULL) != v)
      n = (size_t)snprintf(num, sizeof num, "%.17g", v);
  }
  jw_put(w, num, n);
}
