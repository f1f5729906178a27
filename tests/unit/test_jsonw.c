/* test_jsonw.c - the reports' JSON writer (jsonw.c): numbers written as
 * cJSON printed them, and no undefined conversion on the way. A double
 * outside long long's range (1e300, as a hand-edited report may hold) must
 * not reach the (long long) cast: .ci/test's sanitizer build has
 * -fsanitize=float-cast-overflow, which stops this test on such a cast. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_jsonw_number_integers_as_integers),
      cmocka_unit_test(test_jsonw_number_fractions_shortest_that_reads_back),
      cmocka_unit_test(test_jsonw_number_large_values_without_a_cast),
      cmocka_unit_test(test_jsonw_number_not_finite_is_null),
      cmocka_unit_test(test_jsonw_number_in_an_array),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
