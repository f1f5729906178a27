/* test_fastpaths.c - the reports' fast paths give the bytes the plain way
 * gave: a JSON string written without al_report_clean when cleaning would
 * change nothing (jsonw.c), numbers formatted without printf, and the
 * credential-header test walking a name once (redact.c). Each is checked
 * against the old way, kept here as the reference, on named edge cases
 * (control bytes, bidirectional characters, invalid UTF-8, secrets that
 * must print ***) and on many strings made from such pieces; strings are
 * scanned 16 bytes a step, and one that ends right before a page no one may
 * read is written whole without a byte past it read. */
/* MAP_ANONYMOUS in <sys/mman.h>. */
#define _DEFAULT_SOURCE
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "fnv.h"
#include "jsonw.h"
#include "redact.h"
#include "report.h"

/* ---- the references: the code as it was before the fast paths ---- */

/* jsonw.c's escaping as cJSON did it. */
static void ref_raw_string(struct al_buf *out, const char *s)
{
  static const char hex[] = "0123456789abcdef";
  assert_int_equal(al_buf_append_char(out, '"'), AL_OK);
  for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
    char esc[7] = "";
    switch (*u) {
    case '"':
      strcpy(esc, "\\\"");
      break;
    case '\\':
      strcpy(esc, "\\\\");
      break;
    case '\b':
      strcpy(esc, "\\b");
      break;
    case '\f':
      strcpy(esc, "\\f");
      break;
    case '\n':
      strcpy(esc, "\\n");
      break;
    case '\r':
      strcpy(esc, "\\r");
      break;
    case '\t':
      strcpy(esc, "\\t");
      break;
    default:
      if (*u < 0x20) {
        memcpy(esc, "\\u00", 4);
        esc[4] = hex[*u >> 4];
        esc[5] = hex[*u & 15];
      } else {
        esc[0] = (char)*u;
      }
    }
    assert_int_equal(al_buf_append_str(out, esc), AL_OK);
  }
  assert_int_equal(al_buf_append_char(out, '"'), AL_OK);
}

/* al_jw_string as it was: every string cleaned, then escaped. */
static void ref_string(struct al_buf *out, const struct al_report *report,
                       const char *s)
{
  if (!s) {
    assert_int_equal(al_buf_append_str(out, "null"), AL_OK);
    return;
  }
  char *clean = al_report_clean(report, s, strlen(s), 0);
  assert_non_null(clean);
  ref_raw_string(out, clean);
  free(clean);
}

/* al_jw_number as it was (the range checked before the cast). */
static void ref_number(char *num, size_t size, double v)
{
  if (!isfinite(v))
    snprintf(num, size, "null");
  else if (v < 1e15 && v > -1e15 && v == (double)(long long)v)
    snprintf(num, size, "%lld", (long long)v);
  else {
    snprintf(num, size, "%.15g", v);
    if (strtod(num, NULL) != v)
      snprintf(num, size, "%.17g", v);
  }
}

static char ref_lower(char c)
{
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* al_redact_is_credential_header as it was. */
static int ref_credential_header(const char *name)
{
  static const char *const builtin[] = {"Authorization", "Proxy-Authorization",
                                        "Cookie", "Set-Cookie", NULL};
  static const char *const words[] = {"api-key", "apikey", "api_key",  "token",
                                      "session", "secret", "password", NULL};
  for (size_t i = 0; builtin[i]; i++)
    if (al_strcaseeq(builtin[i], name))
      return 1;
  if (al_strcaseeq(name, "WWW-Authenticate") ||
      al_strcaseeq(name, "Proxy-Authenticate"))
    return 0;
  size_t len = strlen(name);
  for (size_t i = 0; words[i]; i++)
    if (al_memcasemem(name, len, words[i]))
      return 1;
  const char *at = NULL;
  for (size_t off = 0;
       off < len && (at = al_memcasemem(name + off, len - off, "auth"));
       off = (size_t)(at - name) + 1) {
    const char *r = at + 4;
    if (ref_lower(r[0]) != 'o' || ref_lower(r[1]) != 'r')
      return 1;
    if (ref_lower(r[2]) == 'i' &&
        (ref_lower(r[3]) == 'z' || ref_lower(r[3]) == 's'))
      return 1;
  }
  return 0;
}

/* ---- helpers ---- */

/* A fixed-seed xorshift: the same strings every run. */
static uint32_t next_random(uint32_t *x)
{
  *x ^= *x << 13;
  *x ^= *x >> 17;
  *x ^= *x << 5;
  return *x;
}

/* Writes 's' alone with the writer and checks it against the reference. */
static void same_string_as_before(const struct al_report *report, const char *s)
{
  struct al_buf got, want;
  struct al_jw w;
  al_buf_init(&got);
  al_buf_init(&want);
  al_jw_init(&w, &got, report, 0);
  al_jw_string(&w, s);
  assert_int_equal(w.rc, AL_OK);
  ref_string(&want, report, s);
  assert_string_equal(al_buf_str(&got), al_buf_str(&want));
  al_buf_cleanup(&got);
  al_buf_cleanup(&want);
}

/* Writes 's' alone and checks the text. */
static void string_is(const struct al_report *report, const char *s,
                      const char *text)
{
  struct al_buf got;
  struct al_jw w;
  al_buf_init(&got);
  al_jw_init(&w, &got, report, 0);
  al_jw_string(&w, s);
  assert_int_equal(w.rc, AL_OK);
  assert_string_equal(al_buf_str(&got), text);
  al_buf_cleanup(&got);
  same_string_as_before(report, s);
}

/* A report whose redactor knows one secret value. */
struct secret_report {
  struct al_redactor redactor;
  struct al_report report;
};

static void secret_report_init(struct secret_report *s, const char *secret)
{
  al_redactor_init(&s->redactor);
  assert_int_equal(al_redactor_add_value(&s->redactor, secret), AL_OK);
  al_report_init(&s->report);
  s->report.redactor = &s->redactor;
}

static void secret_report_cleanup(struct secret_report *s)
{
  al_redactor_cleanup(&s->redactor);
}

/* ---- strings ---- */

static void test_fast_string_plain_and_escaped(void **state)
{
  (void)state;
  string_is(NULL, "", "\"\"");
  string_is(NULL, "version-disclosure", "\"version-disclosure\"");
  string_is(NULL, "a\"b\\c", "\"a\\\"b\\\\c\"");
  string_is(NULL, "tab\there\r\n", "\"tab\\there\\r\\n\"");
  string_is(NULL, "\"", "\"\\\"\"");
  string_is(NULL, NULL, "null");
  /* UTF-8 that cleaning keeps is written as it is. */
  string_is(NULL,
            "RFC 9110 \xc2\xa7"
            "10.2.4",
            "\"RFC 9110 \xc2\xa7"
            "10.2.4\"");
  string_is(NULL, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
            "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

static void test_fast_string_cleaned_as_before(void **state)
{
  (void)state;
  /* Control bytes other than \t \n \r, and DEL, become '?'. */
  string_is(NULL, "a\x01z", "\"a?z\"");
  string_is(NULL, "a\"\x1b[31m", "\"a\\\"?[31m\"");
  string_is(NULL, "del\x7f", "\"del?\"");
  /* C1 controls, bidirectional formatting, U+FFFE/U+FFFF: '?' a byte. */
  string_is(NULL, "c1 \xc2\x85", "\"c1 ??\"");
  string_is(NULL, "bad \xe2\x80\xae x", "\"bad ??? x\"");
  string_is(NULL, "\xe2\x81\xa6x\xe2\x81\xa9", "\"???x???\"");
  string_is(NULL, "\xd8\x9c", "\"??\"");
  string_is(NULL, "\xef\xbf\xbe", "\"???\"");
  /* Invalid UTF-8: lone continuation, truncated, overlong, surrogate,
   * past U+10FFFF, a lead byte at the very end. */
  string_is(NULL, "\x80", "\"?\"");
  string_is(NULL, "a\xc3", "\"a?\"");
  string_is(NULL, "\xe2\x82", "\"??\"");
  string_is(NULL, "\xc0\xaf", "\"??\"");
  string_is(NULL, "\xed\xa0\x80", "\"???\"");
  string_is(NULL, "\xf4\x90\x80\x80", "\"????\"");
  string_is(NULL, "\xff", "\"?\"");
}

static void test_fast_string_masks_secrets(void **state)
{
  (void)state;
  struct secret_report s;
  secret_report_init(&s, "s3cr3t-token");
  string_is(&s.report, "s3cr3t-token", "\"***\"");
  string_is(&s.report, "Bearer s3cr3t-token!", "\"Bearer ***!\"");
  /* After an escape already written: taken back, then masked. */
  string_is(&s.report, "a\\b\"c s3cr3t-token", "\"a\\\\b\\\"c ***\"");
  /* The secret's first byte alone is only looked at closer. */
  string_is(&s.report, "sss", "\"sss\"");
  string_is(&s.report, "\xc3\xa9s3cr3t-token\x01", "\"\xc3\xa9***?\"");
  secret_report_cleanup(&s);

  /* A secret starting with a byte of a UTF-8 sequence, and one starting
   * with a byte the writer escapes. */
  secret_report_init(&s, "\xa9tail");
  same_string_as_before(&s.report, "caf\xc3\xa9tail");
  secret_report_cleanup(&s);
  secret_report_init(&s, "\"quoted\"");
  string_is(&s.report, "say \"quoted\" twice", "\"say *** twice\"");
  secret_report_cleanup(&s);
}

/* A secret added while a writer is in use (answers bring secrets during a
 * run) is masked from then on. */
static void test_fast_string_secret_added_later(void **state)
{
  (void)state;
  struct al_redactor r;
  struct al_report report;
  struct al_buf out;
  struct al_jw w;
  al_redactor_init(&r);
  al_report_init(&report);
  report.redactor = &r;
  al_buf_init(&out);
  al_jw_init(&w, &out, &report, 0);
  al_jw_open(&w, 0);
  al_jw_string(&w, "xyzzy-secret");
  assert_int_equal(al_redactor_add_value(&r, "xyzzy-secret"), AL_OK);
  al_jw_string(&w, "xyzzy-secret");
  al_jw_close(&w);
  assert_int_equal(w.rc, AL_OK);
  assert_string_equal(al_buf_str(&out), "[\"xyzzy-secret\", \"***\"]");
  al_buf_cleanup(&out);
  al_redactor_cleanup(&r);
}

/* Strings of random pieces, with and without secrets: the same bytes as
 * cleaning and escaping every one. */
/* Strings of 0-70 bytes whose NUL is the last readable byte: plain, and
 * ending in each kind of byte the scan stops at. */
static void test_fast_string_before_an_unreadable_page(void **state)
{
  (void)state;
  long page = sysconf(_SC_PAGESIZE);
  assert_true(page > 0);
  char *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  assert_true(map != MAP_FAILED);
  assert_int_equal(mprotect(map + page, (size_t)page, PROT_NONE), 0);
  static const char *const tails[] = {"a",  "\"",   "\\",
                                      "\n", "\x01", "\xc3\xa9"};
  struct secret_report sr;
  secret_report_init(&sr, "s3cr3t-token");
  for (size_t len = 0; len <= 70; len++) {
    for (size_t t = 0; t < sizeof tails / sizeof *tails; t++) {
      size_t tail = strlen(tails[t]) < len ? strlen(tails[t]) : len;
      char *s = map + page - (long)len - 1;
      memset(s, 'x', len);
      memcpy(s + len - tail, tails[t], tail);
      s[len] = '\0';
      same_string_as_before(NULL, s);
      same_string_as_before(&sr.report, s);
    }
  }
  secret_report_cleanup(&sr);
  munmap(map, (size_t)page * 2);
}

static void test_fast_string_random_as_before(void **state)
{
  (void)state;
  static const char *const pieces[] = {"a",
                                       "Z9 ",
                                       "\"",
                                       "\\",
                                       "\t",
                                       "\n",
                                       "\r",
                                       "\x01",
                                       "\x1f",
                                       "\x7f",
                                       "\xc2\xa7",
                                       "\xc2\x85",
                                       "\xc3\xa9",
                                       "\xc3",
                                       "\x80",
                                       "\xbf",
                                       "\xe2\x80\xae",
                                       "\xe2\x82\xac",
                                       "\xe2\x82",
                                       "\xef\xbf\xbf",
                                       "\xed\xa0\x80",
                                       "\xf0\x9f\x98\x80",
                                       "\xf4\x90\x80\x80",
                                       "\xc0\xaf",
                                       "\xff",
                                       "tok3n",
                                       "tok",
                                       "%2F",
                                       "pa$$"};
  const size_t n_pieces = sizeof pieces / sizeof pieces[0];
  struct secret_report s;
  secret_report_init(&s, "tok3n");
  assert_int_equal(al_redactor_add_value(&s.redactor, "pa$$w0rd/x"), AL_OK);
  uint32_t seed = 12345;
  char text[256];
  for (int round = 0; round < 20000; round++) {
    size_t len = 0;
    size_t count = next_random(&seed) % 8;
    text[0] = '\0';
    for (size_t k = 0; k < count; k++) {
      const char *p = pieces[next_random(&seed) % n_pieces];
      size_t plen = strlen(p);
      memcpy(text + len, p, plen + 1);
      len += plen;
    }
    same_string_as_before(NULL, text);
    same_string_as_before(&s.report, text);
  }
  secret_report_cleanup(&s);
}

/* ---- numbers ---- */

static void same_number_as_before(double v)
{
  char want[64];
  struct al_buf got;
  struct al_jw w;
  ref_number(want, sizeof want, v);
  al_buf_init(&got);
  al_jw_init(&w, &got, NULL, 0);
  al_jw_number(&w, v);
  assert_int_equal(w.rc, AL_OK);
  assert_string_equal(al_buf_str(&got), want);
  al_buf_cleanup(&got);
}

static void test_fast_number_times_as_before(void **state)
{
  (void)state;
  /* Times as they are kept: microseconds / 1000. */
  for (long long us = -3000; us <= 300000; us++)
    same_number_as_before((double)us / 1000.0);
  uint32_t seed = 99;
  for (int i = 0; i < 200000; i++) {
    long long us = ((long long)next_random(&seed) << 20) ^ next_random(&seed);
    us %= 1000000000000000LL; /* below 1e15 thousandths */
    same_number_as_before((double)us / 1000.0);
    same_number_as_before(-(double)us / 1000.0);
  }
  /* The edges of the thousandths path, and next to them. */
  same_number_as_before(999999999999.999);
  same_number_as_before(-999999999999.999);
  same_number_as_before(1e12 + 0.5);
  same_number_as_before(0.0005);
  same_number_as_before(0.001);
  same_number_as_before(-0.001);
  same_number_as_before(1.0005);
  same_number_as_before(0.1 + 0.2);
}

static void test_fast_number_others_as_before(void **state)
{
  (void)state;
  static const double values[] = {0.0,    -0.0,
                                  1.0,    -1.0,
                                  42.0,   1e14,
                                  -1e14,  999999999999999.0,
                                  1e15,   -1e15,
                                  1e19,   1e300,
                                  1e-5,   1.0 / 3.,
                                  2.5e-7, 123456.789012,
                                  5e-324, 1.7976931348623157e308};
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
    same_number_as_before(values[i]);
  same_number_as_before((double)NAN);
  same_number_as_before((double)INFINITY);
  same_number_as_before(-(double)INFINITY);
  uint32_t seed = 7;
  for (int i = 0; i < 100000; i++) {
    uint64_t bits = ((uint64_t)next_random(&seed) << 32) | next_random(&seed);
    double v;
    memcpy(&v, &bits, sizeof v);
    same_number_as_before(v);
    same_number_as_before((double)(int32_t)next_random(&seed));
  }
}

static void test_fast_count(void **state)
{
  (void)state;
  static const size_t values[] = {0, 7, 10, 99, 100, 4096, (size_t)-1};
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    char want[32];
    struct al_buf got;
    struct al_jw w;
    snprintf(want, sizeof want, "%zu", values[i]);
    al_buf_init(&got);
    al_jw_init(&w, &got, NULL, 0);
    al_jw_count(&w, values[i]);
    assert_string_equal(al_buf_str(&got), want);
    al_buf_cleanup(&got);
  }
}

static void test_fast_fmt_uint(void **state)
{
  (void)state;
  char num[AL_UINT_DIGITS + 1];
  num[al_fmt_uint(num, 0)] = '\0';
  assert_string_equal(num, "0");
  num[al_fmt_uint(num, 1234567890)] = '\0';
  assert_string_equal(num, "1234567890");
  num[al_fmt_uint(num, 18446744073709551615ULL)] = '\0';
  assert_string_equal(num, "18446744073709551615");
}

/* Keys in one piece: the comma, the line, the tabs (at most 16), the key. */
static void test_fast_keys(void **state)
{
  (void)state;
  struct al_buf out;
  struct al_jw w;
  al_buf_init(&out);
  al_jw_init(&w, &out, NULL, 1);
  al_jw_open(&w, 1);
  al_jw_key(&w, "a");
  al_jw_null(&w);
  al_jw_key(&w, "bb");
  al_jw_count(&w, 2);
  al_jw_close(&w);
  assert_string_equal(al_buf_str(&out),
                      "{\n\t\t\"a\":\tnull,\n\t\t\"bb\":\t2\n\t}");
  al_buf_reset(&out);
  al_jw_init(&w, &out, NULL, 20);
  al_jw_open(&w, 1);
  al_jw_key(&w, "deep");
  al_jw_bool(&w, 1);
  al_jw_close(&w);
  assert_int_equal(w.rc, AL_OK);
  assert_string_equal(al_buf_str(&out),
                      "{\n\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\"deep\":\ttrue"
                      "\n\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t}");
  al_buf_cleanup(&out);
}

/* ---- credential headers ---- */

static void test_fast_credential_header_as_before(void **state)
{
  (void)state;
  static const char *const pieces[] = {"",
                                       "X-",
                                       "x-",
                                       "-",
                                       "a",
                                       "Auth",
                                       "AUTH",
                                       "auth",
                                       "author",
                                       "AuthoriZ",
                                       "authoris",
                                       "Authority",
                                       "OAuth",
                                       "api-key",
                                       "ApiKey",
                                       "API_KEY",
                                       "api",
                                       "Token",
                                       "tok",
                                       "session",
                                       "SECRET",
                                       "password",
                                       "pass",
                                       "Cookie",
                                       "Set-Cookie",
                                       "Authorization",
                                       "www-authenticate",
                                       "Proxy-Authenticate",
                                       "Proxy-Authorization",
                                       "Server",
                                       "Content-Type",
                                       "\xc3\xa9"};
  const size_t n = sizeof pieces / sizeof pieces[0];
  char name[128];
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++)
      for (size_t k = 0; k < n; k++) {
        snprintf(name, sizeof name, "%s%s%s", pieces[i], pieces[j], pieces[k]);
        if (al_redact_is_credential_header(name) != ref_credential_header(name))
          fail_msg("differs on '%s'", name);
      }
  assert_false(al_redact_is_credential_header(NULL));
  assert_true(al_redact_is_credential_header("X-Auth"));
  assert_false(al_redact_is_credential_header("X-Author"));
  assert_true(al_redact_is_credential_header("X-Authoris"));
}

/* The published FNV-1a 64-bit vectors (draft-eastlake-fnv), and the
 * NUL-terminated form: fingerprints and digests kept in baselines and
 * reports depend on both never changing. */
static void test_fnv1a_vectors(void **state)
{
  (void)state;
  assert_true(al_fnv1a(AL_FNV_OFFSET, "", 0) == 0xcbf29ce484222325ULL);
  assert_true(al_fnv1a(AL_FNV_OFFSET, "a", 1) == 0xaf63dc4c8601ec8cULL);
  assert_true(al_fnv1a(AL_FNV_OFFSET, "foobar", 6) == 0x85944171f73967e8ULL);
  assert_true(al_fnv1a_str(AL_FNV_OFFSET, "foobar") ==
              al_fnv1a(AL_FNV_OFFSET, "foobar", 7));
  assert_true(al_fnv1a_str(AL_FNV_OFFSET, NULL) ==
              al_fnv1a_str(AL_FNV_OFFSET, ""));
  assert_true(al_fnv1a_str(al_fnv1a_str(AL_FNV_OFFSET, "ab"), "c") !=
              al_fnv1a_str(al_fnv1a_str(AL_FNV_OFFSET, "a"), "bc"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fnv1a_vectors),
      cmocka_unit_test(test_fast_string_plain_and_escaped),
      cmocka_unit_test(test_fast_string_cleaned_as_before),
      cmocka_unit_test(test_fast_string_masks_secrets),
      cmocka_unit_test(test_fast_string_secret_added_later),
      cmocka_unit_test(test_fast_string_random_as_before),
      cmocka_unit_test(test_fast_string_before_an_unreadable_page),
      cmocka_unit_test(test_fast_number_times_as_before),
      cmocka_unit_test(test_fast_number_others_as_before),
      cmocka_unit_test(test_fast_count),
      cmocka_unit_test(test_fast_fmt_uint),
      cmocka_unit_test(test_fast_keys),
      cmocka_unit_test(test_fast_credential_header_as_before),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
