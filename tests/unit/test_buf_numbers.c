/* test_buf_numbers.c - al_buf_append_int and al_buf_append_fixed3 print
 * exactly what printf's "%lld" and "%.3f" print: the reports' bytes are a
 * contract, and these replace printf on every endpoint's lines. */
#include <float.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"

/* Appends 'v' after a prefix (so appending, not only writing, is tested)
 * and compares with snprintf. */
static void check_fixed3(double v)
{
  char want[512];
  snprintf(want, sizeof want, "t=%.3f", v);
  struct al_buf b;
  al_buf_init(&b);
  assert_int_equal(al_buf_append_str(&b, "t="), AL_OK);
  assert_int_equal(al_buf_append_fixed3(&b, v), AL_OK);
  if (strcmp(al_buf_str(&b), want) != 0)
    fail_msg("%.17g: got %s, printf %s", v, al_buf_str(&b), want);
  assert_int_equal(b.len, strlen(want));
  al_buf_cleanup(&b);
}

static void check_int(long long v)
{
  char want[64];
  snprintf(want, sizeof want, "n=%lld", v);
  struct al_buf b;
  al_buf_init(&b);
  assert_int_equal(al_buf_append_str(&b, "n="), AL_OK);
  assert_int_equal(al_buf_append_int(&b, v), AL_OK);
  assert_string_equal(al_buf_str(&b), want);
  al_buf_cleanup(&b);
}

/* A small deterministic generator (xorshift64), so a failure repeats. */
static uint64_t next(uint64_t *s)
{
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

static void test_fixed3_ties_round_to_even_like_printf(void **state)
{
  (void)state;
  /* Exact halves of a thousandth are m/16 and the like (0.0625 is 62.5
   * ms): printf rounds them to even, adding 0.5 and truncating did not. */
  for (int i = 1; i < 20000; i += 2)
    check_fixed3(i / 16.0); /* i * 62.5 ms: a tie every time */
  for (int i = 1; i < 4000; i++)
    check_fixed3(i / 2048.0);
  check_fixed3(0.0625);
  check_fixed3(0.1875);
  check_fixed3(1.0005); /* just below the half: 1.000, not 1.001 */
  check_fixed3(2.0005);
  check_fixed3(0.0005);
  check_fixed3(0.0015);
}

static void test_fixed3_times_as_the_transfer_makes_them(void **state)
{
  (void)state;
  /* elapsed_ms is microseconds / 1000, seconds that / 1000. */
  for (long long us = 0; us < 3000000; us += 7)
    check_fixed3((double)us / 1000.0 / 1000.0);
  for (long long us = 999000; us < 1002000; us++)
    check_fixed3((double)us / 1000.0 / 1000.0);
}

static void test_fixed3_any_double_matches_printf(void **state)
{
  (void)state;
  uint64_t s = 0x9e3779b97f4a7c15ull;
  for (int i = 0; i < 200000; i++) {
    uint64_t bits = next(&s);
    double v;
    memcpy(&v, &bits, sizeof v);
    check_fixed3(v); /* NaN, infinities, negatives and huge ones too */
  }
  for (int i = 0; i < 200000; i++) {
    /* Uniform over a few magnitudes where times live. */
    double unit = (double)(next(&s) >> 11) / 9007199254740992.0;
    double scale[] = {1e-3, 1, 1e3, 1e6, 1e11};
    check_fixed3(unit * scale[i % 5]);
  }
  double edges[] = {0.0,
                    -0.0,
                    DBL_MIN,
                    DBL_TRUE_MIN,
                    1e-300,
                    0.00049999999999999999,
                    0.0005000000000000001,
                    999.9995,
                    999999999999.9995,
                    999999999999.999,
                    1e12,
                    1e12 - 0.0001,
                    -0.0004,
                    -1.0,
                    4503599627370495.5};
  for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
    check_fixed3(edges[i]);
}

static void test_int_matches_printf(void **state)
{
  (void)state;
  long long edges[] = {
      0,   1,     -1,      9,       10,        -10,       99,
      100, 12345, INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN, LLONG_MIN + 1};
  for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
    check_int(edges[i]);
  uint64_t s = 12345;
  for (int i = 0; i < 10000; i++)
    check_int((long long)next(&s) >> (i % 63));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fixed3_ties_round_to_even_like_printf),
      cmocka_unit_test(test_fixed3_times_as_the_transfer_makes_them),
      cmocka_unit_test(test_fixed3_any_double_matches_printf),
      cmocka_unit_test(test_int_matches_printf),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
