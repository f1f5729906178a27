/* test_jsonw.c - the reports' JSON writer (jsonw.c): numbers written as
 * cJSON printed them, and no undefined conversion on the way. A double
 * outside long long's range (1e300, as a hand-edited report may hold) must
 * not reach the (long long) cast: .ci/test's sanitizer build has
 * -fsanitize=float-cast-overflow, which stops this test on such a cast.
 * Strings are scanned 16 bytes a step: one that ends right before a page
 * no one may read is still written whole, and nothing past it is read. */
/* MAP_ANONYMOUS in <sys/mman.h>. */
#define _DEFAULT_SOURCE
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "jsonw.h"

/* Writes 'v' alone and checks the text. */
static void expect_number(double v, const char *want)
{
  struct al_buf out;
  struct al_jw w;
  al_buf_init(&out);
  al_jw_init(&w, &out, NULL, 0);
  al_jw_number(&w, v);
  assert_int_equal(w.rc, AL_OK);
  assert_string_equal(al_buf_str(&out), want);
  al_buf_cleanup(&out);
}

static void test_jsonw_number_integers_as_integers(void **state)
{
  (void)state;
  expect_number(0, "0");
  expect_number(42, "42");
  expect_number(-7, "-7");
  expect_number(999999999999999.0, "999999999999999");
  expect_number(-999999999999999.0, "-999999999999999");
}

static void test_jsonw_number_fractions_shortest_that_reads_back(void **state)
{
  (void)state;
  expect_number(0.1, "0.1");
  expect_number(-2.5, "-2.5");
  expect_number(1.0 / 3.0, "0.33333333333333331");
}

/* 1e15 and beyond are written with %g, as cJSON did; the ones past
 * long long's range (about 9.2e18) must not be cast to find that out. */
static void test_jsonw_number_large_values_without_a_cast(void **state)
{
  (void)state;
  expect_number(1e15, "1e+15");
  expect_number(-1e15, "-1e+15");
  expect_number(9.3e18, "9.3e+18");
  expect_number(1e19, "1e+19");
  expect_number(-1e19, "-1e+19");
  expect_number(1e300, "1e+300");
  expect_number(-1e300, "-1e+300");
  expect_number(1.7976931348623157e308, "1.7976931348623157e+308");
}

static void test_jsonw_number_not_finite_is_null(void **state)
{
  (void)state;
  expect_number((double)NAN, "null");
  expect_number((double)INFINITY, "null");
  expect_number(-(double)INFINITY, "null");
}

/* In an array: separated as the other values are. */
static void test_jsonw_number_in_an_array(void **state)
{
  (void)state;
  struct al_buf out;
  struct al_jw w;
  al_buf_init(&out);
  al_jw_init(&w, &out, NULL, 0);
  al_jw_open(&w, 0);
  al_jw_number(&w, 1e300);
  al_jw_number(&w, (double)NAN);
  al_jw_number(&w, 3);
  al_jw_close(&w);
  assert_int_equal(w.rc, AL_OK);
  assert_string_equal(al_buf_str(&out), "[1e+300, null, 3]");
  al_buf_cleanup(&out);
}

/* 's' as the writer should write it: ASCII, with quote, backslash and
 * newline escaped. */
static void escaped(const char *s, struct al_buf *want)
{
  al_buf_append_char(want, '"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') {
      al_buf_append_char(want, '\\');
      al_buf_append_char(want, *s);
    } else if (*s == '\n')
      al_buf_append_str(want, "\\n");
    else
      al_buf_append_char(want, *s);
  }
  al_buf_append_char(want, '"');
}

static void test_jsonw_string_ending_before_an_unreadable_page(void **state)
{
  (void)state;
  long page = sysconf(_SC_PAGESIZE);
  assert_true(page > 0);
  char *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  assert_true(map != MAP_FAILED);
  assert_int_equal(mprotect(map + page, (size_t)page, PROT_NONE), 0);
  static const char tails[] = {'a', '"', '\\', '\n'};
  for (size_t len = 0; len <= 70; len++) {
    for (size_t t = 0; t < sizeof tails; t++) {
      /* The string and its NUL fill the first page to its last byte. */
      char *s = map + page - (long)len - 1;
      memset(s, 'x', len);
      if (len > 0)
        s[len - 1] = tails[t];
      s[len] = '\0';
      struct al_buf out, want;
      struct al_jw w;
      al_buf_init(&out);
      al_buf_init(&want);
      al_jw_init(&w, &out, NULL, 0);
      al_jw_string(&w, s);
      escaped(s, &want);
      assert_int_equal(w.rc, AL_OK);
      assert_string_equal(al_buf_str(&out), al_buf_str(&want));
      al_buf_cleanup(&out);
      al_buf_cleanup(&want);
    }
  }
  munmap(map, (size_t)page * 2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_jsonw_number_integers_as_integers),
      cmocka_unit_test(test_jsonw_number_fractions_shortest_that_reads_back),
      cmocka_unit_test(test_jsonw_number_large_values_without_a_cast),
      cmocka_unit_test(test_jsonw_number_not_finite_is_null),
      cmocka_unit_test(test_jsonw_number_in_an_array),
      cmocka_unit_test(test_jsonw_string_ending_before_an_unreadable_page),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
