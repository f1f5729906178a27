/* test_reach.c - the connection settings shared by the command line and
 * the spec (reach.c): --rate syntax, --cert FILE:PASSWORD, the retry
 * backoff, and the command line winning field by field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reach.h"

static void test_rate_parse_reads_units(void **state)
{
  (void)state;
  static const struct {
    const char *text;
    long count, per_ms;
  } ok[] = {{"10", 10, 1000},       {"10/s", 10, 1000},
            {"3/m", 3, 60000},      {"7200/h", 7200, 3600000},
            {"5/second", 5, 1000},  {"2/minute", 2, 60000},
            {"1/hour", 1, 3600000}, {"1000000", 1000000, 1000}};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    struct al_rate r = {0, 0};
    assert_int_equal(al_rate_parse(ok[i].text, &r), 1);
    assert_int_equal(r.count, ok[i].count);
    assert_int_equal(r.per_ms, ok[i].per_ms);
  }
  struct al_rate r = {0, 0};
  assert_true(al_rate_interval_ms(&(struct al_rate){4, 1000}) == 250.0);
  assert_true(al_rate_interval_ms(&r) == 0.0);
}

static void test_rate_parse_rejects_bad_text(void **state)
{
  (void)state;
  static const char *const bad[] = {"",        "0",     "-1/s", "10/d",
                                    "10/",     "x/s",   "1.5",  "10 /s",
                                    "1000001", "10/ss", " 10",  NULL};
  for (size_t i = 0; bad[i]; i++) {
    struct al_rate r = {0, 0};
    if (al_rate_parse(bad[i], &r))
      fail_msg("'%s' was accepted", bad[i]);
  }
}

static void test_split_cert_takes_password_after_first_colon(void **state)
{
  (void)state;
  char *file, *pass;
  assert_int_equal(al_reach_split_cert("client.pem:s3cr:et", &file, &pass),
                   AL_OK);
  assert_string_equal(file, "client.pem");
  assert_string_equal(pass, "s3cr:et");
  free(file);
  free(pass);
  assert_int_equal(al_reach_split_cert("c\\:d.pem", &file, &pass), AL_OK);
  assert_string_equal(file, "c:d.pem");
  assert_null(pass);
  free(file);
  assert_int_equal(al_reach_split_cert("a.pem:", &file, &pass), AL_OK);
  assert_string_equal(file, "a.pem");
  assert_string_equal(pass, "");
  free(file);
  free(pass);
}

static void test_retry_wait_backs_off_or_keeps_the_delay(void **state)
{
  (void)state;
  struct al_reach r;
  al_reach_init(&r);
  assert_int_equal(al_reach_retry_wait_ms(&r, 1), 1000);
  assert_int_equal(al_reach_retry_wait_ms(&r, 2), 2000);
  assert_int_equal(al_reach_retry_wait_ms(&r, 4), 8000);
  assert_int_equal(al_reach_retry_wait_ms(&r, 30), 600000);
  r.retry_delay_ms = 0;
  assert_int_equal(al_reach_retry_wait_ms(&r, 3), 0);
  r.retry_delay_ms = 150;
  assert_int_equal(al_reach_retry_wait_ms(&r, 5), 150);
}

static void test_merge_lets_the_command_line_win_field_by_field(void **state)
{
  (void)state;
  struct al_reach cli, spec, out;
  al_reach_init(&cli);
  al_reach_init(&spec);
  spec.cacert = "spec-ca.pem";
  spec.proxy = "http://spec:1";
  spec.insecure = 0;
  spec.retry = 2;
  spec.http_version = AL_HTTP_2;
  cli.cacert = "cli-ca.pem";
  cli.retry = 0;
  al_reach_merge(&out, &cli, &spec);
  assert_string_equal(out.cacert, "cli-ca.pem");
  assert_string_equal(out.proxy, "http://spec:1");
  assert_int_equal(out.insecure, 0);
  assert_int_equal(out.retry, 0);
  assert_int_equal(out.retry_delay_ms, -1);
  assert_int_equal(out.http_version, AL_HTTP_2);
  /* In place, as run.c does it. */
  al_reach_merge(&spec, &cli, &spec);
  assert_string_equal(spec.cacert, "cli-ca.pem");
}

static void test_http_version_and_tls_types(void **state)
{
  (void)state;
  enum al_http_version v = AL_HTTP_ANY;
  assert_int_equal(al_http_version_parse("1.1", &v), 1);
  assert_int_equal(v, AL_HTTP_1_1);
  assert_int_equal(al_http_version_parse("2-prior-knowledge", &v), 1);
  assert_string_equal(al_http_version_name(v), "2-prior-knowledge");
  assert_int_equal(al_http_version_parse("3", &v), 0);
  assert_int_equal(al_tls_type_ok("p12", 1), 1);
  assert_int_equal(al_tls_type_ok("P12", 0), 0);
  assert_int_equal(al_tls_type_ok("ENG", 0), 1);
  assert_int_equal(al_tls_type_ok("JKS", 1), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rate_parse_reads_units),
      cmocka_unit_test(test_rate_parse_rejects_bad_text),
      cmocka_unit_test(test_split_cert_takes_password_after_first_colon),
      cmocka_unit_test(test_retry_wait_backs_off_or_keeps_the_delay),
      cmocka_unit_test(test_merge_lets_the_command_line_win_field_by_field),
      cmocka_unit_test(test_http_version_and_tls_types),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
