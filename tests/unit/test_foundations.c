/* test_foundations.c - the shared building blocks: byte buffer, header list
 * (order, repeats, case-insensitive names), severities, error records, the
 * string hash index and the whole-file reader. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "headers.h"
#include "request.h"
#include "strmap.h"
#include "suggest.h"
#include "template.h"

static void test_buf_grows_and_stays_terminated(void **state)
{
  (void)state;
  struct al_buf b;
  al_buf_init(&b);
  assert_string_equal(al_buf_str(&b), "");
  for (int i = 0; i < 1000; i++)
    assert_int_equal(al_buf_append_char(&b, 'x'), AL_OK);
  assert_int_equal(b.len, 1000);
  assert_int_equal(b.data[1000], '\0');
  assert_int_equal(al_buf_printf(&b, "%d-%s", 42, "y"), AL_OK);
  assert_string_equal(b.data + 1000, "42-y");
  assert_int_equal(al_buf_append(&b, "a\0b", 3), AL_OK);
  assert_int_equal(b.len, 1007);
  char *owned = al_buf_detach(&b);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  assert_memory_equal(owned + 1004, "a\0b", 3);
  free(owned);
  char *empty = al_buf_detach(&b);
  assert_string_equal(empty, "");
  free(empty);
  al_buf_cleanup(&b);
}

/* Writes 'len' bytes of 'c' to dir/name; returns the path (static). */
static const char *write_file(const char *dir, const char *name, char c,
                              size_t len)
{
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  for (size_t i = 0; i < len; i++)
    assert_int_equal(fputc(c, f), c);
  assert_int_equal(fclose(f), 0);
  return path;
}

/* One reader for spec, rule and report files: the bytes whole (past the
 * 64 KiB it reads at a time), an empty file as "", more than 'max' refused
 * whatever the buffer held, and errno kept for the caller's message. */
static void test_buf_read_file(void **state)
{
  (void)state;
  char dir[] = "/tmp/al_read_file.XXXXXX";
  assert_non_null(mkdtemp(dir));
  struct al_buf b;
  al_buf_init(&b);

  const char *big = write_file(dir, "big", 'y', 200000);
  assert_int_equal(al_buf_read_file(&b, big, 200000), AL_READ_OK);
  assert_int_equal(b.len, 200000);
  assert_int_equal(b.data[0], 'y');
  assert_int_equal(b.data[199999], 'y');
  assert_int_equal(b.data[200000], '\0');
  /* One byte over the limit, with the buffer full of the last file. */
  assert_int_equal(al_buf_read_file(&b, big, 199999), AL_READ_TOO_LARGE);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  assert_int_equal(unlink(big), 0);

  const char *small = write_file(dir, "small", 'x', 10);
  assert_int_equal(al_buf_append_str(&b, "old"), AL_OK);
  assert_int_equal(al_buf_read_file(&b, small, 10), AL_READ_OK);
  assert_string_equal(al_buf_str(&b), "xxxxxxxxxx"); /* replaced, not added */
  assert_int_equal(al_buf_read_file(&b, small, 9), AL_READ_TOO_LARGE);
  assert_string_equal(al_buf_str(&b), "");
  assert_int_equal(al_buf_read_file(&b, small, 0), AL_READ_TOO_LARGE);
  assert_int_equal(unlink(small), 0);

  const char *empty = write_file(dir, "empty", 'z', 0);
  assert_int_equal(al_buf_read_file(&b, empty, 0), AL_READ_OK);
  assert_int_equal(b.len, 0);
  assert_string_equal(al_buf_str(&b), "");
  assert_int_equal(unlink(empty), 0);

  char missing[512];
  snprintf(missing, sizeof missing, "%s/missing", dir);
  errno = 0;
  assert_int_equal(al_buf_read_file(&b, missing, 100), AL_READ_CANNOT_OPEN);
  assert_int_equal(errno, ENOENT);
  assert_int_equal(b.len, 0);
  /* A directory opens but cannot be read. */
  errno = 0;
  assert_int_equal(al_buf_read_file(&b, dir, 100), AL_READ_CANNOT_READ);
  assert_int_equal(errno, EISDIR);
  assert_null(b.data);

  assert_int_equal(rmdir(dir), 0);
  al_buf_cleanup(&b);
}

static void test_headers_keep_order_and_repeats(void **state)
{
  (void)state;
  struct al_headers h;
  al_headers_init(&h);
  assert_int_equal(al_headers_add(&h, "WWW-Authenticate", "Basic"), AL_OK);
  assert_int_equal(al_headers_add(&h, "X-A", "1"), AL_OK);
  assert_int_equal(al_headers_add(&h, "www-authenticate", "Bearer"), AL_OK);
  assert_int_equal(h.count, 3);
  assert_int_equal(al_headers_count(&h, "WWW-AUTHENTICATE"), 2);
  assert_string_equal(al_headers_get(&h, "www-Authenticate"), "Basic");
  assert_null(al_headers_get(&h, "Allow"));
  assert_string_equal(h.items[2].name, "www-authenticate");
  al_headers_cleanup(&h);
}

static void test_headers_set_replaces_in_place(void **state)
{
  (void)state;
  struct al_headers h;
  al_headers_init(&h);
  al_headers_add(&h, "Accept", "a");
  al_headers_add(&h, "X-Id", "1");
  al_headers_add(&h, "accept", "b");
  assert_int_equal(al_headers_set(&h, "ACCEPT", "c"), AL_OK);
  assert_int_equal(h.count, 2);
  assert_string_equal(h.items[0].name, "Accept");
  assert_string_equal(h.items[0].value, "c");
  assert_string_equal(h.items[1].name, "X-Id");
  assert_int_equal(al_headers_set(&h, "New", NULL), AL_OK);
  assert_string_equal(h.items[2].value, "");
  al_headers_remove(&h, "x-id");
  assert_int_equal(h.count, 2);
  assert_string_equal(h.items[1].name, "New");

  struct al_headers copy;
  al_headers_init(&copy);
  assert_int_equal(al_headers_copy(&copy, &h), AL_OK);
  assert_int_equal(copy.count, 2);
  assert_string_equal(copy.items[0].value, "c");
  al_headers_cleanup(&copy);
  al_headers_cleanup(&h);
}

/* A field's name and value share one allocation (headers.h): each copy
 * ends at its length or an earlier NUL, a longer value (set, an obs-fold
 * continuation) moves both, and the fields around stay as they were
 * (ASan checks the bounds). */
static void test_headers_field_in_one_block(void **state)
{
  (void)state;
  struct al_headers h;
  al_headers_init(&h);
  assert_int_equal(al_headers_add_len(&h, "X-Cut: no", 5, "val\0ue", 6), AL_OK);
  assert_string_equal(h.items[0].name, "X-Cut");
  assert_string_equal(h.items[0].value, "val");
  assert_int_equal(al_headers_add_len(&h, "Empty", 5, "", 0), AL_OK);
  assert_string_equal(h.items[1].value, "");
  assert_int_equal(al_headers_extend_last(&h, "second line", 6), AL_OK);
  assert_string_equal(h.items[1].name, "Empty");
  assert_string_equal(h.items[1].value, " second");
  assert_int_equal(al_headers_extend_last(&h, "third", 5), AL_OK);
  assert_string_equal(h.items[1].value, " second third");
  assert_int_equal(
      al_headers_set(&h, "x-cut", "a much longer value than before"), AL_OK);
  assert_string_equal(h.items[0].name, "X-Cut");
  assert_string_equal(h.items[0].value, "a much longer value than before");
  assert_string_equal(h.items[1].value, " second third");
  for (int i = 0; i < 20; i++)
    assert_int_equal(al_headers_add(&h, "N", "v"), AL_OK);
  assert_int_equal(al_headers_extend_last(&h, "w", 1), AL_OK);
  assert_string_equal(h.items[21].value, "v w");
  assert_string_equal(h.items[20].value, "v");
  al_headers_remove(&h, "n");
  assert_int_equal(h.count, 2);
  al_headers_cleanup(&h);
}

static void test_severity_names_round_trip(void **state)
{
  (void)state;
  enum al_severity s;
  assert_true(al_severity_parse("warning", 0, &s));
  assert_int_equal(s, AL_SEV_WARNING);
  assert_false(al_severity_parse("never", 0, &s));
  assert_true(al_severity_parse("never", 1, &s));
  assert_int_equal(s, AL_SEV_NEVER);
  assert_false(al_severity_parse("fatal", 1, &s));
  assert_string_equal(al_severity_name(AL_SEV_ERROR), "error");
  assert_true(AL_SEV_ERROR > AL_SEV_WARNING && AL_SEV_WARNING > AL_SEV_INFO);
}

static void test_err_set_records_location(void **state)
{
  (void)state;
  struct al_err err;
  assert_int_equal(al_err_set(&err, AL_E_SPEC, "a.yaml", 3, 7, "bad %s", "x"),
                   AL_E_SPEC);
  assert_string_equal(err.file, "a.yaml");
  assert_int_equal(err.line, 3);
  assert_int_equal(err.col, 7);
  assert_string_equal(err.msg, "bad x");
  assert_int_equal(al_err_set(NULL, AL_E_IO, NULL, 0, 0, "ignored"), AL_E_IO);
}

static void test_suggest_finds_typos_and_ignores_strangers(void **state)
{
  (void)state;
  static const char *const keys[] = {"method", "path", "headers", "timeout",
                                     NULL};
  assert_int_equal(al_edit_distance("methd", "method"), 1);
  assert_int_equal(al_edit_distance("mehtod", "method"), 1); /* swap */
  assert_int_equal(al_edit_distance("METHOD", "method"), 0);
  assert_string_equal(al_suggest_among("methd", keys), "method");
  assert_string_equal(al_suggest_among("Path", keys), "path");
  assert_string_equal(al_suggest_among("timout", keys), "timeout");
  assert_null(al_suggest_among("banana", keys));
  assert_null(al_suggest_among("x", keys));
  assert_null(al_suggest_among("methd", NULL));

  struct al_suggest s;
  al_suggest_init(&s, "unauthorized-without-challange");
  al_suggest_consider(&s, "retry-after-missing");
  al_suggest_consider(&s, "unauthorized-without-challenge");
  assert_string_equal(al_suggest_result(&s), "unauthorized-without-challenge");
}

static void test_memcasemem_finds_first_match_any_case(void **state)
{
  (void)state;
  const char hay[] = "X-Api-KEY: Auth\0auth";
  assert_ptr_equal(al_memcasemem(hay, strlen(hay), "api-key"), hay + 2);
  assert_ptr_equal(al_memcasemem(hay, strlen(hay), "AUTH"), hay + 11);
  /* 'len' bounds the search, even past a NUL */
  assert_ptr_equal(al_memcasemem(hay + 12, sizeof hay - 1 - 12, "auth"),
                   hay + 16);
  assert_ptr_equal(al_memcasemem(hay, 14, "auth"), NULL);
  assert_null(al_memcasemem(hay, 2, "X-A"));
  assert_ptr_equal(al_memcasemem(hay, 2, ""), hay);
}

/* ASCII case only (header names), the same in every locale: bytes around
 * 'A'-'Z' and 'a'-'z' and high bytes compare as they are. */
static void test_strcaseeq_folds_ascii_letters_only(void **state)
{
  (void)state;
  assert_true(al_strcaseeq("Content-Type", "content-TYPE"));
  assert_true(al_strcaseeq("", ""));
  assert_true(al_strcaseeq(NULL, NULL));
  assert_false(al_strcaseeq("a", NULL));
  assert_false(al_strcaseeq("ETag", "ETa"));
  assert_false(al_strcaseeq("ETa", "ETag"));
  assert_false(al_strcaseeq("@", "`"));               /* 'A' - 1 and 'a' - 1 */
  assert_false(al_strcaseeq("[", "{"));               /* 'Z' + 1 and 'z' + 1 */
  assert_false(al_strcaseeq("\xc3\x89", "\xc3\xa9")); /* E acute, e acute */
  assert_true(al_strcaseeq("\xc3\xa9", "\xc3\xa9"));
  assert_null(al_memcasemem("\xc3\x89T", 3, "\xc3\xa9t"));
  assert_null(al_memcasemem("[x", 2, "{X"));
}

/* RFC 9110 5.6.2 tchar, every byte value: letters, digits and the 15
 * marks, nothing else (NUL included). */
static void test_headers_tchar_is_the_rfc_set(void **state)
{
  (void)state;
  static const char marks[] = "!#$%&'*+-.^_`|~";
  for (int c = 0; c < 256; c++) {
    int want = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
               (c >= 'A' && c <= 'Z') || (c != 0 && strchr(marks, c));
    if (al_headers_is_tchar((unsigned char)c) != want)
      fail_msg("byte 0x%02x: tchar %d, want %d", c,
               al_headers_is_tchar((unsigned char)c), want);
  }
}

static void test_request_set_body_copies_and_replaces(void **state)
{
  (void)state;
  struct al_request req;
  al_request_init(&req);
  char src[] = "{\"a\":1}";
  assert_int_equal(al_request_set_body(&req, src, 3), AL_OK);
  src[0] = 'X'; /* a copy: the caller's buffer may change */
  assert_string_equal(req.body, "{\"a");
  assert_int_equal(req.body_len, 3);
  assert_int_equal(al_request_set_body(&req, NULL, 5), AL_OK);
  assert_null(req.body);
  assert_int_equal(req.body_len, 0);
  al_request_cleanup(&req);
}

/* al_buf_printf formats into the room already there and grows on
 * overflow (then formats again): both paths give the same bytes, and a
 * reserved buffer is "" before anything is appended. */
static void test_buf_printf_fits_and_overflows(void **state)
{
  (void)state;
  struct al_buf b;
  al_buf_init(&b);
  assert_int_equal(al_buf_reserve(&b, 10), AL_OK);
  assert_string_equal(al_buf_str(&b), "");
  assert_int_equal(b.len, 0);
  assert_int_equal(al_buf_printf(&b, "%d-%s", 42, "x"), AL_OK); /* fits */
  assert_string_equal(al_buf_str(&b), "42-x");
  size_t cap = b.cap;
  char big[300];
  memset(big, 'y', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  assert_int_equal(al_buf_printf(&b, "[%s]", big), AL_OK); /* overflows */
  assert_true(b.cap > cap);
  assert_int_equal(b.len, 4 + 2 + 299);
  assert_memory_equal(b.data, "42-x[yyy", 8);
  assert_int_equal(b.data[b.len - 1], ']');
  assert_int_equal(b.data[b.len], '\0');
  assert_int_equal(al_buf_append_char(&b, '!'), AL_OK);
  assert_int_equal(b.data[b.len - 1], '!');
  assert_int_equal(b.data[b.len], '\0');
  al_buf_cleanup(&b);
}

/* The hash index behind the linear duplicate-name and same-path lookups:
 * every key found again after the table grew many times, values kept,
 * a second add of a key reports the first value, length counts (a key is
 * its bytes, not a C string: "/a" of "/a?q" is found). */
static void test_strmap_finds_every_key_after_growth(void **state)
{
  (void)state;
  struct al_strmap m;
  al_strmap_init(&m);
  static char keys[5000][16];
  for (size_t i = 0; i < 5000; i++) {
    int added = 0;
    snprintf(keys[i], sizeof keys[i], "/e/%zu", i);
    assert_int_equal(
        al_strmap_add(&m, keys[i], strlen(keys[i]), i, &added, NULL), AL_OK);
    assert_int_equal(added, 1);
  }
  assert_int_equal(m.count, 5000);
  for (size_t i = 0; i < 5000; i++) {
    size_t v = 0;
    int added = 1;
    assert_true(al_strmap_get(&m, keys[i], strlen(keys[i]), &v));
    assert_int_equal(v, i);
    assert_int_equal(
        al_strmap_add(&m, keys[i], strlen(keys[i]), 9999, &added, &v), AL_OK);
    assert_int_equal(added, 0);
    assert_int_equal(v, i);
  }
  assert_int_equal(m.count, 5000);
  assert_false(al_strmap_get(&m, "/e/5000", 7, NULL));
  assert_false(al_strmap_get(&m, "/e/1", 3, NULL)); /* "/e/": a prefix */
  assert_true(al_strmap_get(&m, "/e/12?q=1", 5, NULL));
  al_strmap_cleanup(&m);
  assert_false(al_strmap_get(&m, "/e/1", 4, NULL));
}

/* Every placeholder is shown as [NAME:ARG] (or [PH] without an arg). */
static enum al_code show_placeholder(void *ctx, enum al_placeholder ph,
                                     const char *arg, struct al_buf *out)
{
  (void)ctx;
  return arg ? al_buf_printf(out, "[%d:%s]", (int)ph, arg)
             : al_buf_printf(out, "[%d]", (int)ph);
}

static void expect_expansion(const char *tmpl, int want_rc, const char *want)
{
  struct al_buf out;
  al_buf_init(&out);
  char why[200] = "";
  size_t at = 0;
  int rc = al_template_expand(tmpl, show_placeholder, NULL, &out, why,
                              sizeof why, &at);
  assert_int_equal(rc, want_rc);
  if (want_rc == 1)
    assert_string_equal(al_buf_str(&out), want);
  else
    assert_int_equal(at, (size_t)atoi(want)); /* 'want': the offset */
  al_buf_cleanup(&out);
}

/* Literal runs, doubled braces, placeholders between and around them,
 * and where a broken template is blamed. */
static void test_template_expands_literals_and_placeholders(void **state)
{
  (void)state;
  expect_expansion("", 1, "");
  expect_expansion("plain text only", 1, "plain text only");
  expect_expansion("{status} x", 1, "[0] x");
  expect_expansion("got {status}, {{not}} {header:Retry-After}!", 1,
                   "got [0], {not} [7:Retry-After]!");
  expect_expansion("a}}b{{c", 1, "a}b{c");
  expect_expansion("{detail}{method}", 1, "[3][2]");
  expect_expansion("ab } c", 0, "3");
  expect_expansion("ab {status c", 0, "3");
  expect_expansion("ab {nope} c", 0, "3");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_buf_grows_and_stays_terminated),
      cmocka_unit_test(test_template_expands_literals_and_placeholders),
      cmocka_unit_test(test_buf_read_file),
      cmocka_unit_test(test_strmap_finds_every_key_after_growth),
      cmocka_unit_test(test_buf_printf_fits_and_overflows),
      cmocka_unit_test(test_memcasemem_finds_first_match_any_case),
      cmocka_unit_test(test_strcaseeq_folds_ascii_letters_only),
      cmocka_unit_test(test_headers_tchar_is_the_rfc_set),
      cmocka_unit_test(test_request_set_body_copies_and_replaces),
      cmocka_unit_test(test_headers_keep_order_and_repeats),
      cmocka_unit_test(test_headers_set_replaces_in_place),
      cmocka_unit_test(test_headers_field_in_one_block),
      cmocka_unit_test(test_severity_names_round_trip),
      cmocka_unit_test(test_err_set_records_location),
      cmocka_unit_test(test_suggest_finds_typos_and_ignores_strangers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
