/* jsonw.c - the streaming JSON writer of the reports (jsonw.h). */
#include "jsonw.h"

#include <math.h>
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

void al_jw_put(struct al_jw *w, const char *s, size_t len)
{
  if (w->rc == AL_OK)
    w->rc = al_buf_append(w->out, s, len);
}

void al_jw_puts(struct al_jw *w, const char *s)
{
  al_jw_put(w, s, strlen(s));
}

static void jw_tabs(struct al_jw *w, int n)
{
  static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
  al_jw_put(w, tabs, (size_t)(n < 16 ? n : 16));
}

/* Before a value: inside an array, the separator from the one before. */
static void jw_value(struct al_jw *w)
{
  if (w->depth > 0 && !w->is_object[w->depth - 1] &&
      w->count[w->depth - 1]++ > 0)
    al_jw_put(w, ", ", 2);
}

/* A member's key: its own line in the innermost (object) container. */
void al_jw_key(struct al_jw *w, const char *key)
{
  if (w->depth == 0)
    return;
  if (w->count[w->depth - 1]++)
    al_jw_put(w, ",", 1);
  al_jw_put(w, "\n", 1);
  jw_tabs(w, w->indent + w->depth);
  al_jw_put(w, "\"", 1);
  al_jw_puts(w, key); /* keys are ours: plain ASCII */
  al_jw_put(w, "\":\t", 3);
}

void al_jw_open(struct al_jw *w, int object)
{
  jw_value(w);
  if (w->depth == AL_JW_DEPTH) {
    w->rc = AL_E_INTERNAL;
    return;
  }
  al_jw_put(w, object ? "{" : "[", 1);
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
    al_jw_put(w, "]", 1);
    return;
  }
  if (w->count[w->depth]) {
    al_jw_put(w, "\n", 1);
    jw_tabs(w, w->indent + w->depth);
  }
  al_jw_put(w, "}", 1);
}

/* 's' as a JSON string, escaped as cJSON did: quote, backslash, the named
 * control escapes and \u00XX for the other control bytes; UTF-8 as is. */
static void jw_raw_string(struct al_jw *w, const char *s, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  jw_value(w);
  al_jw_put(w, "\"", 1);
  size_t run = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    al_jw_put(w, s + run, i - run);
    run = i + 1;
    char esc[6] = {'\\', 0, 0, 0, 0, 0};
    size_t n = 2;
    switch (c) {
    case '"':
    case '\\':
      esc[1] = (char)c;
      break;
    case '\b':
      esc[1] = 'b';
      break;
    case '\f':
      esc[1] = 'f';
      break;
    case '\n':
      esc[1] = 'n';
      break;
    case '\r':
      esc[1] = 'r';
      break;
    case '\t':
      esc[1] = 't';
      break;
    default:
      memcpy(esc + 1, "u00", 3);
      esc[4] = hex[c >> 4];
      esc[5] = hex[c & 15];
      n = 6;
    }
    al_jw_put(w, esc, n);
  }
  al_jw_put(w, s + run, len - run);
  al_jw_put(w, "\"", 1);
}

/* A cleaned copy of 's' (secrets masked, valid UTF-8) as a string, or
 * null when 's' is NULL. */
void al_jw_string(struct al_jw *w, const char *s)
{
  if (!s) {
    jw_value(w);
    al_jw_put(w, "null", 4);
    return;
  }
  size_t len = strlen(s);
  if (al_redact_is_plain(w->report ? w->report->redactor : NULL, s, len)) {
    jw_raw_string(w, s, len);
    return;
  }
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
  al_jw_put(w, "null", 4);
}

void al_jw_bool(struct al_jw *w, int v)
{
  jw_value(w);
  al_jw_puts(w, v ? "true" : "false");
}

void al_jw_count(struct al_jw *w, size_t n)
{
  char num[32];
  jw_value(w);
  al_jw_put(w, num, (size_t)snprintf(num, sizeof num, "%zu", n));
}

/* As cJSON printed numbers: an integral value as an integer, else the
 * shortest of %.15g and %.17g that reads back the same. */
void al_jw_number(struct al_jw *w, double v)
{
  char num[64];
  int n;
  jw_value(w);
  if (!isfinite(v)) { /* NaN, infinity: not JSON */
    al_jw_put(w, "null", 4);
    return;
  }
  /* The range first: converting a double outside long long's range (1e300)
   * is undefined behaviour, so the cast may only see |v| < 1e15. */
  if (v < 1e15 && v > -1e15 && v == (double)(long long)v)
    n = snprintf(num, sizeof num, "%lld", (long long)v);
  else {
    n = snprintf(num, sizeof num, "%.15g", v);
    if (strtod(num, NULL) != v)
      n = snprintf(num, sizeof num, "%.17g", v);
  }
  al_jw_put(w, num, (size_t)n);
}
